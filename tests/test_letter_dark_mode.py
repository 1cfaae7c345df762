"""The shipped letter in a reader's dark mode: it says which colour schemes it supports, and has its own.

Found by a persona reading greeter's letters on a phone: the HTML declared no colour scheme, so
the mail app inverted it on its own — half of it (backgrounds dark, the card's inline colours
kept). The layout now declares ``light dark`` and carries a dark palette (_brand.j2's ``dark``)
in a ``prefers-color-scheme: dark`` block; a brand without one declares ``light only``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from greeter.render import Renderer
from tests.colour import contrast
from tests.test_gallery import Node
from tests.test_letter_a11y import IVAN, JOHN, SEND_AT, tree
from tests.test_render import SENDER, TEMPLATES, item

DARK_BLOCK = re.compile(r"@media \(prefers-color-scheme: ?dark\) ?\{(.*)\}\s*</style>", re.S)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def dark_rules(html: str) -> dict[str, dict[str, str]]:
    """The dark block's rules: each selector (``.g-card``) and its declarations, ``!important`` left out."""
    found = DARK_BLOCK.search(html)
    assert found, "no prefers-color-scheme: dark block"
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in RULE.findall(found.group(1)):
        declared = dict(
            (k.strip(), v.replace("!important", "").strip())
            for k, v in (d.split(":", 1) for d in body.split(";") if d.strip())
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declared)
    return rules


def walk(node: Node, above: frozenset[str]) -> Iterator[tuple[Node, frozenset[str]]]:
    """Every element under ``node``, with the classes of the elements around it."""
    for child in node.children:
        yield child, above
        yield from walk(child, above | set(child.attrs.get("class", "").split()))


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


@pytest.mark.parametrize("template", ["birthday", "new_year", "company_anniversary"])
@pytest.mark.parametrize("contact", [IVAN, JOHN], ids=["ru", "en"])
def test_the_letter_declares_light_and_dark_and_every_coloured_cell_has_a_dark_colour(
    shipped: Renderer, template: str, contact: object
) -> None:
    letter = shipped.render(item(contact, template, years=5, send_at=SEND_AT))  # type: ignore[arg-type]
    html = letter.html
    assert html is not None
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    rules = dark_rules(html)
    classes = {name for selector in rules for name in re.findall(r"\.([\w-]+)", selector)}
    # Every element whose inline style sets a text or background colour is named by a dark rule,
    # but the accent bars (a colour on either ground): nothing is left light on a dark page.
    for node, above in walk(tree(html), frozenset()):
        style = node.attrs.get("style", "")
        if not re.search(r"(^|;|\s)(color|background-color):", style) or "g-accent" in node.attrs.get(
            "class", ""
        ):
            continue
        own = set(node.attrs.get("class", "").split())
        inherited = {c for c in above if f".{c} {node.tag}" in rules}
        assert own & classes or inherited, f"<{node.tag} style={style!r}> has no dark colour"
    # Readable in the dark: the text on the card and the footer on the page (WCAG AA, 4.5:1).
    card, page = rules[".g-card"]["background-color"], rules[".g-page"]["background-color"]
    for selector in (".g-heading", ".g-text", ".g-signature", ".g-muted"):
        assert contrast(rules[selector]["color"], card) >= 4.5, selector
    assert contrast(rules[".g-footer"]["color"], page) >= 4.5
    assert contrast(rules[".g-text a.g-link"]["color"], card) >= 4.5


def test_a_brand_without_a_dark_palette_says_light_only(shipped: Renderer, tmp_path: Path) -> None:
    """A project's _brand.j2 from before the dark palette: the letter stays light, and says so,
    so that a client does not invert half of it."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    brand = templates / "_brand.j2"
    text = brand.read_text(encoding="utf-8")
    start = text.index("{#- The same colours in a reader's dark mode")
    end = text.index("{#- An optional logo", start)  # the palette, its rules and Outlook's
    brand.write_text(text[:start] + text[end:], encoding="utf-8")
    html = Renderer(templates, SENDER).render(item(IVAN, "birthday", send_at=SEND_AT)).html
    assert html is not None
    assert '<meta name="color-scheme" content="light only">' in html
    assert "prefers-color-scheme" not in html
    assert "data-ogs" not in html
