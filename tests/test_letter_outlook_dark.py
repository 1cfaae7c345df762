"""The letter's dark palette in Outlook.com's and the Outlook apps' dark mode.

Found by a persona reading greeter's letters as their recipient: those clients ignore
``prefers-color-scheme`` and rewrite the colours themselves, marking what they changed with
``data-ogsc`` (a text colour) and ``data-ogsb`` (a background); the letter's dark palette held
everywhere but there. The same style sheet now carries the palette under those attribute selectors.
"""

from __future__ import annotations

import re

import pytest

from greeter.render import Renderer
from tests.test_letter_a11y import IVAN, JOHN, SEND_AT
from tests.test_letter_dark_mode import DARK_BLOCK, RULE, dark_rules
from tests.test_render import SENDER, TEMPLATES, item

OUTLOOK = re.compile(r"^\[data-ogs([cb])\] (.+)$")


def outlook_rules(html: str) -> dict[str, dict[str, str]]:
    """The rules outside the ``prefers-color-scheme`` block keyed ``c .g-text`` / ``b .g-page``:
    the attribute Outlook marks (c: colour, b: background) and the class selector after it."""
    style = html[html.index("<style>") : html.index("</style>")]
    outside = DARK_BLOCK.sub("", style + "</style>")
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in RULE.findall(outside):
        declared = {
            k.strip(): v.replace("!important", "").strip()
            for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        }
        for selector in selectors.split(","):
            marked = OUTLOOK.match(selector.strip())
            if marked:
                rules.setdefault(f"{marked[1]} {marked[2]}", {}).update(declared)
    return rules


@pytest.mark.parametrize("template", ["birthday", "company_anniversary"])
@pytest.mark.parametrize("contact", [IVAN, JOHN], ids=["ru", "en"])
def test_every_dark_colour_is_also_worn_where_outlook_marks_its_dark_mode(
    template: str, contact: object
) -> None:
    html = Renderer(TEMPLATES, SENDER).render(item(contact, template, send_at=SEND_AT)).html  # type: ignore[arg-type]
    assert html is not None
    outlook = outlook_rules(html)
    for selector, declared in dark_rules(html).items():
        for name, value in declared.items():
            mark = "b" if "background-color" in declared else "c"  # a card's border goes with its ground
            assert outlook.get(f"{mark} {selector}", {}).get(name) == value, (selector, name)
