"""The sender's company is named once at the end of a letter: in the signature, or else in the footer.

Found by a persona reading greeter's letters as their recipient: the starter's Russian letter
signed «ООО «Ромашка», +7 495 000-00-00» and its footer said «ООО «Ромашка» · manager@…» right
under it; an English one signed «Kind regards, Romashka LLC» above «Romashka LLC · …». The footer
now leaves out the name the signature already says, and keeps the address replies go to and the
unsubscribe line; a signature without it keeps the footer's name (who writes).
"""

from __future__ import annotations

import re

import pytest

from greeter.config import Sender
from greeter.render import Renderer
from tests.test_render import SENDER, TEMPLATES, item, person


def _text(html: str) -> str:
    """The visible text of the HTML part's body (tags, anything display:none and entities' blanks out)."""
    body = html[html.index("<body") :]
    body = re.sub(r'<div style="display:none.*?</div>', "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body).replace("\u00a0", " ")  # «ООО\u00a0«Ромашка»» (held together)


def _ending(rendered: str, signature_start: str) -> str:
    return rendered[rendered.rindex(signature_start) :]


@pytest.mark.parametrize(
    ("contact", "company", "closing"),
    [
        (person("r", "Иван", "Петрович", "Иванов", locale="ru"), "ООО «Ромашка»", "С уважением,"),
        (person("e", "John", "", "Smith", locale="en_GB"), "Romashka LLC", "Kind regards,"),
    ],
    ids=["ru-own-signature", "en-closing-and-name"],
)
def test_the_starter_letter_names_its_sender_once_at_its_end(
    contact: object, company: str, closing: str
) -> None:
    sender = Sender.model_validate(
        {
            **SENDER.model_dump(),
            "reply_to": "manager@romashka.example",
            "by_locale": {"en": {"name": "Romashka LLC", "company": "Romashka LLC"}},
        }
    )
    out = Renderer(TEMPLATES, sender).render(item(contact, "company_anniversary"))  # type: ignore[arg-type]
    assert out.html is not None
    for part in (out.text, _text(out.html)):
        end = _ending(part, closing)
        assert end.count(company) == 1, end
        assert "manager@romashka.example" in end  # where replies go, still in the footer
    assert out.text.endswith("\n\nmanager@romashka.example")
    assert '<a href="mailto:manager@romashka.example"' in out.html


def test_a_signature_without_the_company_keeps_it_in_the_footer() -> None:
    sender = Sender.model_validate({**SENDER.model_dump(), "signature": "С уважением,\nОльга Смирнова"})
    out = Renderer(TEMPLATES, sender).render(item(person("r", "Иван", "Петрович", "Иванов", locale="ru")))
    assert out.text.endswith("С уважением,\nОльга Смирнова\n\nООО «Ромашка» · greetings@romashka.example")
    assert out.html is not None
    assert '>ООО\u00a0«Ромашка» · <a href="mailto:greetings@romashka.example"' in out.html
