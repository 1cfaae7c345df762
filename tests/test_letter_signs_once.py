"""Every shipped letter names its sender once in its words: in the signature (or the footer), not in the body too.

Found reading the English birthday letter: "Warmest birthday wishes from all of us at Romashka
LLC!" above "Kind regards, Romashka LLC" — and its HTML part said it a third time, in the hidden
preheader an inbox shows under the subject (the first paragraph). The From: line names the company
already, and the end of the letter always does (the signature, else the footer's contact line:
test_letter_company_once), so the body's "from all of us at …" was a second signature. The same
stood in the English holiday and New Year letters, the Russian and Ukrainian New Year letters
(«От всей команды ООО «Ромашка»…» above «…ООО «Ромашка», +7 495…»), and the Serbian and
Hungarian birthday, holiday and New Year letters. They now say "from all of us", «от всей нашей
команды», «од свих нас», «egész csapatunk nevében».
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from greeter.config import Sender
from greeter.config_loader import load_settings
from greeter.plan_types import Rendered
from greeter.render import Renderer
from tests.test_render import TEMPLATES, item, person

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_NAMES = ["birthday", "new_year", "company_anniversary", "first_deal", "holiday"]
LOCALES = ["ru", "en", "de", "et", "hu", "sr", "uk"]


@pytest.fixture(scope="module")
def sender() -> Sender:
    """The sample project's sender (config.example.yaml): by_locale names in every starter language."""
    return load_settings(ROOT / "config.example.yaml", today=date(2026, 12, 1)).sender


@pytest.fixture(scope="module")
def sample(sender: Sender) -> Renderer:
    """The shipped letters as the sample project signs them."""
    return Renderer(TEMPLATES, sender, default_locale="ru")


def _visible(html: str) -> str:
    """The HTML body's text, tags and entities out (the layout hides no preheader since: test_letter_form)."""
    body = html[html.index("<body") :]
    return re.sub(r"<[^>]+>", " ", body).replace("\u00a0", " ").replace("&amp;", "&")


def _parts(letter: Rendered) -> list[str]:
    assert letter.html is not None
    return [letter.text, _visible(letter.html)]


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_sender_is_named_once_in_each_part(
    sample: Renderer, sender: Sender, template: str, locale: str
) -> None:
    contact = person("c", "Mila", "", "Test", company="Acme Ltd", locale=locale)
    occasion = "womens_day" if template == "holiday" else template
    day = (
        date(2027, 3, 8) if template == "holiday" else date(2027, 12, 31) if template == "new_year" else None
    )
    letter = sample.render(item(contact, template, occasion=occasion, **({"day": day} if day else {})))
    _, company = sender.in_locale(locale)  # the letter's own name for the sender
    for part in _parts(letter):
        assert part.count(company) == 1, part
