"""The unsubscribe page in a reader's dark mode: it declares both schemes and has a dark palette.

Found by a persona reading greeter's letters as their recipient: the letters carry a dark palette
(_brand.j2's), but the page their "unsubscribe" link opens declared no colour scheme and set only
a dark text colour — a reader in dark mode clicked from a dark letter into a glaring white page.
Each scheme's colours are read from the page's own style sheet and their contrast computed (WCAG
AA, 4.5:1 for text; 3:1 for the button against the page, a control's outline).
"""

from __future__ import annotations

import re

import pytest

from greeter.unsubscribe import PAGE_WORDS, render_page
from tests.colour import contrast
from tests.test_letter_dark_mode import RULE

STYLE = re.compile(r"<style>(.*)</style>", re.S)
DARK = re.compile(r"@media \(prefers-color-scheme: ?dark\) ?\{((?:[^{}]*\{[^{}]*\})*)\s*\}")


def _rules(css: str) -> dict[str, dict[str, str]]:
    """Each selector of ``css`` (no nesting) and its declarations."""
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in RULE.findall(css):
        declared = {k.strip(): v.strip() for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)}
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declared)
    return rules


def schemes(page: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The page's light rules, and its rules in dark mode (the light ones overridden by the dark block)."""
    found = STYLE.search(page)
    assert found, "no style sheet"
    css = found.group(1)
    dark_block = DARK.search(css)
    assert dark_block, "no prefers-color-scheme: dark block"
    light = _rules(css[: dark_block.start()] + css[dark_block.end() :])
    dark = {selector: dict(declared) for selector, declared in light.items()}
    for selector, declared in _rules(dark_block.group(1)).items():
        dark.setdefault(selector, {}).update(declared)
    return light, dark


@pytest.mark.parametrize("kind", ["offer", "done", "invalid"])
@pytest.mark.parametrize("language", sorted(PAGE_WORDS))
def test_the_page_declares_light_and_dark_and_is_readable_in_both(kind: str, language: str) -> None:
    page = render_page(kind, language, mailto="unsubscribe@romashka.example", sender="ООО «Ромашка»")
    assert '<meta name="color-scheme" content="light dark">' in page
    light, dark = schemes(page)
    assert "light dark" in light[":root"]["color-scheme"]
    for scheme, rules in (("light", light), ("dark", dark)):
        ground = rules["body"]["background-color"]
        assert contrast(rules["body"]["color"], ground) >= 4.5, scheme
        assert contrast(rules["a"]["color"], ground) >= 4.5, scheme
        button = rules["button"]
        assert contrast(button["color"], button["background-color"]) >= 4.5, scheme
        assert contrast(button["background-color"], ground) >= 3, scheme
    assert light["body"]["background-color"] != dark["body"]["background-color"]
