"""The form of the shipped letters as a spam filter reads it (rspamd 3.4, scored offline).

Found by a deliverability review: an English letter's HTML part went out base64 because the
renderer wrote the no-break spaces of a company name («Romashka\u00a0LLC») as the character
itself, the only non-ASCII one in the part (``MIME_BASE64_TEXT``); the layout hid a preheader
(``display:none``, ``opacity:0``, padded with zero-width characters) and drew its two accent
lines as text of font size 0 (``MANY_INVISIBLE_PARTS``, ``ZERO_FONT``).
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, date, datetime
from email.message import EmailMessage
from html import unescape as html_text

import pytest

from greeter.config import Sender
from greeter.config_delivery import Unsubscribe
from greeter.contacts import Gender
from greeter.message import build_message
from greeter.occasions import Hit
from greeter.plan_types import Rendered
from greeter.render import Renderer
from tests.mime_oracle import unflowed
from tests.test_render import OCCASIONS, TEMPLATES, every_shipped_letter, item, person

ENGLISH_SENDER = Sender(
    name="Romashka LLC",
    email="greetings@romashka.example",
    company="Romashka LLC",
    by_locale={"en": {"name": "Romashka LLC", "company": "Romashka LLC"}},
)
#: The one-click link's words end the letter: «please unsubscribe: https://…», a line longer than 78.
RENDERER = Renderer(
    TEMPLATES,
    ENGLISH_SENDER,
    unsubscribe=Unsubscribe(url="https://greet.romashka.example/unsubscribe", secret_env="UNUSED"),
    unsubscribe_secret=b"s" * 32,
)
JOHN = person("e", "John", "", "Smith", company="Smith Imports Ltd", locale="en", gender=Gender.MALE)


def _english_letters() -> list[tuple[str, Rendered]]:
    """Each English starter letter alone and with the New Year merged into it (first_deal's subject
    then holds a dash: «… of partnership — and a happy New Year»)."""
    renderer = RENDERER
    new_year = (Hit(JOHN, "new_year", date(2026, 12, 31), None, 60, "new_year"),)
    return [
        (
            f"{template}{'+new_year' if also else ''}",
            renderer.render(item(JOHN, template, occasion=occasion, also=also)),
        )
        for template, occasion in OCCASIONS.items()
        for also in ((), new_year)
        if not (also and template == "new_year")
    ]


def _sent(out: Rendered) -> list[EmailMessage]:
    """The parts of ``out`` as a reader's client gets them."""
    data = build_message(
        out,
        to_email="john@example.com",
        to_name="John Smith",
        sender=ENGLISH_SENDER,
        message_id="<greeter.0123@romashka.example>",
        date=datetime(2027, 1, 2, 10, 0, tzinfo=UTC),
        unsubscribe_url="https://greet.romashka.example/unsubscribe/abc",
    )
    msg = email.message_from_bytes(data, policy=email.policy.default)
    return [p for p in msg.walk() if isinstance(p, EmailMessage) and not p.is_multipart()]


@pytest.mark.parametrize(("template", "out"), _english_letters())
def test_an_english_letter_is_ascii_and_both_parts_go_out_7bit(template: str, out: Rendered) -> None:
    text, html = _sent(out)
    assert [str(text["Content-Transfer-Encoding"]), str(html["Content-Transfer-Encoding"])] == [
        "7bit",
        "7bit",
    ]
    sent = html.get_content().replace("\r\n", "\n").strip()
    assert "\u00a0" not in sent and "Romashka&nbsp;LLC" in sent, template  # an ASCII entity
    assert html_text(sent) == html_text(out.html or ""), template  # the same characters to a reader


def test_the_no_break_space_of_a_cyrillic_letter_is_an_entity_and_its_letters_stay() -> None:
    renderer = Renderer(TEMPLATES, ENGLISH_SENDER)
    out = renderer.render(
        item(person("r", "Анна", "Ильинична", "Смирнова", company="ООО «Вектор»", locale="ru"))
    )
    _, html = _sent(out)
    sent = html.get_content().replace("\r\n", "\n").strip()
    assert str(html["Content-Transfer-Encoding"]) == "base64"
    assert "\u00a0" not in sent and "ООО&nbsp;«Вектор»" in sent
    assert "Анна Ильинична" in sent  # not &#1040;…: the letters stay, the part is not tripled
    assert html_text(sent) == html_text(out.html or "")


#: What a filter counts as hidden text: display:none, visibility:hidden, opacity:0, a size of 0,
#: and the zero-width characters a hidden preheader is padded with.
HIDDEN = re.compile(
    r"display:\s*none|visibility:\s*hidden|opacity:\s*0[;\"]|font-size:\s*0[;\"]|max-height:\s*0[;\"]"
    r"|&#847;|&zwnj;|\u200c|\u034f"
)


@pytest.mark.parametrize("locale", ["ru", "en", "uk", "sr", "hu", "et", "de"])
def test_no_shipped_letter_holds_hidden_or_zero_size_text(locale: str) -> None:
    contact = person("c", "Иван", "Петрович", "Иванов", company="ООО Тест", locale=locale, gender=Gender.MALE)
    for out in every_shipped_letter(contact):
        assert out.html is not None
        body = out.html.split("<body", 1)[1]
        found = HIDDEN.search(body)
        assert found is None, body[max(0, found.start() - 200) : found.end() + 50]


#: A line of the text part longer than 78 characters may only be a word that long: a URL.
URL = re.compile(r"\S*://\S*|mailto:\S*")


@pytest.mark.parametrize(("template", "out"), _english_letters())
def test_the_text_part_is_flowed_at_78_and_reads_back_whole(template: str, out: Rendered) -> None:
    text, _ = _sent(out)
    assert text.get_param("format") == "flowed"
    body = text.get_content().replace("\r\n", "\n")
    assert any(len(line) > 78 for line in out.text.split("\n")), "a paragraph longer than a line"
    for line in body.split("\n"):
        assert len(line) <= 78 or URL.fullmatch(line.strip()), (template, line)
    assert unflowed(body).rstrip("\n") == out.text  # the same paragraphs to a reader, URLs whole
    link = RENDERER.unsubscribe_link(JOHN.email)
    assert (
        link and f"please unsubscribe: {link}" in out.text and link in body.split("\n")
    )  # whole, its own line


@pytest.mark.parametrize(
    "text",
    [
        "From the team\n> quoted\n a space first",
        "word " * 40,
        "two  spaces " * 12 + "end",
        "x" * 120 + " tail",
        "Dear John,\n\n" + "long " * 30 + "https://example.com/" + "p" * 90 + " after\n-- \nsig",
    ],
)
def test_flowing_keeps_every_character(text: str) -> None:
    from greeter.message import flowed

    wrapped = flowed(text)
    assert unflowed(wrapped) == "\n".join(
        line if line == "-- " else line.rstrip(" ") for line in text.split("\n")
    )
    for line in wrapped.split("\n"):
        assert len(line) <= 79 or " " not in line.strip(), line  # 78, and a stuffing space
        assert not line.startswith(("From ", ">")), line
