"""What a letter's bytes say to a reader: canonical text parts, exact names, an unsubscribe link always.

Each test here failed on the builder before its fix (see the module docstrings
of :mod:`greeter.message`): bare-LF base64 text parts (RFC 2045 §6.8), a name
cut inside a word where a space was at hand, and no ``List-Unsubscribe`` at
all when the config had no ``unsubscribe:`` section.
"""

from __future__ import annotations

import base64
import email
import email.policy
import itertools
from dataclasses import replace
from email.header import decode_header, make_header

import pytest

from greeter.config import Sender
from greeter.message import _encoded_words, flowed
from tests.test_message import LETTER, build, raw_header

NAMES = [
    "Сергей Николаевич Лебедев",
    "Александра Вячеславовна Константинопольская",
    "Константинопольская-Светлогорская Александра Вячеславовна",
    "Ёлкина " * 12 + "Ёлкина",
    "Анна-Мария Петрова-Водкина",
]


def parts(data: bytes) -> list[bytes]:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    return [part.get_payload(decode=True) for part in msg.walk() if not part.is_multipart()]


def test_text_parts_are_encoded_from_crlf_lines() -> None:
    text, _html = parts(build())
    assert text == flowed(LETTER.text).replace("\n", "\r\n").encode("utf-8")  # format=flowed
    assert b"\n" not in text.replace(b"\r\n", b"")


def test_text_already_in_crlf_is_not_doubled() -> None:
    crlf = replace(LETTER, text="Строка\r\nещё\nи ещё\r\n", html=None)
    (text,) = parts(build(crlf))
    assert text == "Строка\r\nещё\r\nи ещё\r\n".encode()


@pytest.mark.parametrize("name", NAMES)
def test_rfc2047_readers_get_the_exact_name(name: str) -> None:
    to = raw_header(build(to_name=name), "To")
    assert str(make_header(decode_header(to.rsplit(" <", 1)[0]))) == name


@pytest.mark.parametrize("name", NAMES)
def test_a_word_is_cut_only_when_it_is_longer_than_an_encoded_word(name: str) -> None:
    """Each encoded-word ends after a space, unless the next word alone fills one."""
    lines = _encoded_words(name, "To", "<ivan@example.com>").lines
    words = [word for line in lines for word in line.split() if word.startswith("=?")]
    texts = [base64.b64decode(word.split("?")[3]).decode("utf-8") for word in words]
    assert "".join(texts) == name
    for text, following in itertools.pairwise(texts):
        if not text.endswith(" "):  # a cut inside a word: only a word too long for one encoded-word
            word = (text.rsplit(" ", 1)[-1] + following.split(" ", 1)[0]).encode("utf-8")
            assert len(word) > 45, (text, following)


def test_python_reads_a_short_name_exactly() -> None:
    data = build(to_name="Ольга Смирнова")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["To"].addresses[0].display_name == "Ольга Смирнова"


@pytest.mark.parametrize(
    ("reply_to", "mailto"),
    [(None, "hello@romashka.example"), ("manager@romashka.example", "manager@romashka.example")],
)
def test_without_an_unsubscribe_mailto_the_link_goes_where_replies_go(
    reply_to: str | None, mailto: str
) -> None:
    sender = Sender(name="Ромашка", email="hello@romashka.example", reply_to=reply_to)
    data = build(sender=sender)
    assert raw_header(data, "List-Unsubscribe") == f"<mailto:{mailto}?subject=unsubscribe>"
    configured = build(sender=sender, unsubscribe_mailto="stop@romashka.example")
    assert raw_header(configured, "List-Unsubscribe") == "<mailto:stop@romashka.example?subject=unsubscribe>"
