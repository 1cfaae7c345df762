"""The text part as a plain-text reader gets it: RFC 3676 flowed lines of at most 76 characters.

Found by a persona reading greeter's letters as their recipient (an assistant reading
plain text): each paragraph of the text part was one line of 168–251 characters, and the
140-character unsubscribe link stood on the line of its sentence.
"""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.message import Message

from hypothesis import given
from hypothesis import strategies as st

from greeter.message import build_message
from greeter.plan_types import Rendered
from greeter.text_flowed import WIDTH, flowed
from tests.mime_oracle import unflowed
from tests.test_message import SENDER

LINK = "https://greet.romashka.example/unsubscribe/am9obi5zbWl0aEBjbGllbnQuZXhhbXBsZQ.8U5X0jC94KUDdXYXTa0_dtdMKV4"
#: The persona's English letter, as the renderer wrote its text part.
LETTER = f"""Dear John,

Warmest birthday wishes from all of us at Romashka LLC!

We wish you good health, happiness and success in everything you do, and continued prosperity to Smith & Co Ltd. Thank you for being with us: working with you is a real pleasure.

Kind regards,
Romashka LLC

Romashka LLC · manager@romashka.example

If you would rather not receive our greetings, please unsubscribe: {LINK}"""


def test_a_long_paragraph_is_cut_after_spaces_and_the_link_stands_on_its_own_line() -> None:
    lines = flowed(LETTER).split("\n")
    assert (
        lines[lines.index(LINK) - 1] == "If you would rather not receive our greetings, please unsubscribe: "
    )
    assert all(len(line) <= WIDTH for line in lines if line != LINK)
    assert lines[4:7] == [
        "We wish you good health, happiness and success in everything you do, and ",
        "continued prosperity to Smith & Co Ltd. Thank you for being with us: ",
        "working with you is a real pleasure.",
    ]
    assert unflowed(flowed(LETTER)) == LETTER


def test_short_lines_come_back_as_they_are() -> None:
    text = "Уважаемый Иван Петрович!\n\nС днём рождения!\n\nОльга"
    assert flowed(text) is text
    signed = "Уважаемый Иван Петрович!\n-- \nОльга"
    assert flowed(signed) == signed


def test_a_quote_a_from_line_and_leading_spaces_are_stuffed_and_hard_lines_lose_trailing_spaces() -> None:
    text = ">not a quote\nFrom here on\n  indented\nhard line   \n-- \n" + "word " * 30 + ">x"
    result = flowed(text)
    assert result.split("\n")[:5] == [" >not a quote", " From here on", "   indented", "hard line", "-- "]
    assert unflowed(result) == text.replace("hard line   ", "hard line")


def test_a_word_longer_than_the_line_is_not_cut_and_the_words_after_a_link_start_a_new_line() -> None:
    long_word = "x" * 100
    text = f"see {long_word} and then {LINK} thanks for reading this far, it was a long line indeed"
    lines = flowed(text).split("\n")
    assert lines[:4] == ["see ", f"{long_word} ", "and then ", f"{LINK} "]
    assert unflowed("\n".join(lines)) == text


@given(
    st.lists(
        st.sampled_from(["a", "b", " ", ">", "\n", "Ж", "From ", "-- ", "https://x.example/a ", "word "]),
        max_size=150,
    ).map("".join)
)
def test_a_flowed_reader_reads_back_the_text(text: str) -> None:
    result = flowed(text)
    stripped = "\n".join(line if line == "-- " else line.rstrip(" ") for line in text.split("\n"))
    assert unflowed(result) == stripped
    for line in result.split("\n"):
        assert not line.startswith((">", "From ")), line  # stuffed
        if len(line) > WIDTH:
            assert " " not in line.removeprefix(" ").rstrip(" ") or "https://" in line


def test_the_letters_text_part_says_it_is_flowed_and_holds_the_flowed_lines() -> None:
    rendered = Rendered(subject="Happy birthday", text=LETTER, html="<p>Dear John,</p>")
    data = build_message(
        rendered,
        to_email="john@example.com",
        to_name="John Smith",
        sender=SENDER,
        message_id="<1@romashka.example>",
        date=datetime(2026, 12, 8, 9, tzinfo=UTC),
    )
    message = email.message_from_bytes(bytes(data))
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert isinstance(plain, Message)
    assert plain.get_param("format") == "flowed" and plain.get_param("delsp") == "no"
    payload = plain.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert unflowed(text.removesuffix("\r\n")) == LETTER
    assert max(len(line) for line in text.split("\r\n") if LINK not in line) <= WIDTH
