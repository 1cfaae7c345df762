"""Each text part goes out 7bit when its text is 7bit data, else base64 (:func:`greeter.message._part`).

An English letter was base64 like every other, which rspamd scores as spam-like
(``MIME_BASE64_TEXT_BOGUS``, 1.0): a mail client writes ASCII text readable. The
guarantees base64 gave by construction must hold for 7bit bodies too: no line
over 998 octets, CRLF only, no multipart delimiter inside a part, and a line
starting with "." dot-stuffed on the way into SMTP DATA.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter.errors import UnsafeHeaderError
from greeter.message import _boundary, _has_long_line
from greeter.plan_types import Rendered
from greeter.smtp_transport import dot_stuffed
from greeter.transport import CleanLetter, is_clean
from tests.test_message import MID, assert_wire_safe, build

ENGLISH = Rendered(
    subject="Happy birthday, John!",
    text="Dear John,\n\nHappy birthday from all of us.\n\nThe Romashka team\n",
    html='<html lang="en"><body><p>Dear <b>John</b>,</p>\n<p>Happy birthday!</p></body></html>\n',
    locale="en",
)


def parsed(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def encodings(data: bytes) -> list[str]:
    return [str(p["Content-Transfer-Encoding"]) for p in parsed(data).walk() if not p.is_multipart()]


def test_an_ascii_letter_goes_out_7bit_and_reads_back_the_same() -> None:
    data = build(ENGLISH, to_name="John Smith")
    assert_wire_safe(data)
    assert encodings(data) == ["7bit", "7bit"]
    assert b"\r\nHappy birthday from all of us.\r\n" in data  # readable, CRLF
    text, html = (p.get_content() for p in parsed(data).walk() if not p.is_multipart())
    assert text == ENGLISH.text.replace("\n", "\r\n")
    assert html == ENGLISH.html.replace("\n", "\r\n")
    assert type(data) is CleanLetter and is_clean(data)


def test_a_text_only_ascii_letter_is_one_7bit_part_ending_in_crlf() -> None:
    data = build(Rendered(subject="Hello", text="Hello, John", locale="en"))
    assert parsed(data)["Content-Transfer-Encoding"] == "7bit"
    assert data.endswith(b"\r\n\r\nHello, John\r\n")
    assert type(data) is CleanLetter and is_clean(data)


def test_non_ascii_parts_stay_base64_each_on_its_own() -> None:
    data = build(Rendered(subject="Hi", text="Dear Ivan,\n", html="<p>Уважаемый Иван!</p>"))
    assert encodings(data) == ["7bit", "base64"]
    assert encodings(build(Rendered(subject="Hi", text="Grüße\n", html=None))) == ["base64"]


@pytest.mark.parametrize(("length", "encoding"), [(998, "7bit"), (999, "base64"), (5000, "base64")])
def test_a_line_longer_than_998_octets_never_goes_out_7bit(length: int, encoding: str) -> None:
    for text in ("x" * length, "first\n" + "x" * length + "\nlast\n", "a\r\n" + "x" * length):
        data = build(Rendered(subject="Hi", text=text, html="<p>" + "y" * (length - 3) + "\n"))
        assert encodings(data) == [encoding, encoding]
        assert_wire_safe(data)


@pytest.mark.parametrize("text", ["a\rb\n", "a\x00b\n", "one\r\r\ntwo\n"])
def test_a_bare_cr_or_a_nul_keeps_the_part_base64(text: str) -> None:
    data = build(Rendered(subject="Hi", text=text, html=None))
    assert encodings(data) == ["base64"]
    assert_wire_safe(data)


def test_a_part_holding_the_boundary_is_base64_so_the_structure_stays_whole() -> None:
    delimiter = "--" + _boundary(MID)
    data = build(
        Rendered(subject="Hi", text=f"a\n{delimiter}\nContent-Type: text/html\n\nb\n", html="<p>x</p>")
    )
    assert encodings(data) == ["base64", "7bit"]
    assert [p.get_content_type() for p in parsed(data).walk()][1:] == ["text/plain", "text/html"]


def test_a_body_line_starting_with_a_dot_is_dot_stuffed_when_sent() -> None:
    data = build(Rendered(subject="Hi", text=".hidden\nline\n..two\n", html="<p>x</p>\n.p{}\n"))
    assert encodings(data) == ["7bit", "7bit"]
    assert type(data) is not CleanLetter and not is_clean(data)  # left to the sending side's scan
    wire = dot_stuffed(data)
    assert b"\r\n..hidden\r\n" in wire and b"\r\n...two\r\n" in wire and b"\r\n..p{}\r\n" in wire
    assert wire.endswith(b"\r\n.\r\n") and wire.count(b"\r\n.\r\n") == 1
    unstuffed = wire[: -len(b".\r\n")].replace(b"\r\n..", b"\r\n.")
    assert unstuffed == data


@pytest.mark.parametrize("subject", ["Hi\r\nBcc: x@evil.example", "Hi\nX: y", "Hi\x00"])
def test_header_injection_is_refused_whatever_the_body_encoding(subject: str) -> None:
    with pytest.raises(UnsafeHeaderError):
        build(Rendered(subject=subject, text="plain ascii\n", html=None))


def test_a_7bit_body_cannot_add_headers() -> None:
    data = build(Rendered(subject="Hi", text="\r\nBcc: x@evil.example\r\n", html=None))
    msg = parsed(data)
    assert msg["Bcc"] is None and msg.get_content() == "\r\nBcc: x@evil.example\r\n"


@given(
    text=st.text(st.characters(max_codepoint=127), max_size=300),
    html=st.none() | st.text(st.characters(max_codepoint=127), max_size=300),
)
def test_every_ascii_letter_is_wire_safe_and_clean_or_left_to_be_stuffed(text: str, html: str | None) -> None:
    data = build(Rendered(subject="Hi", text=text, html=html))
    assert_wire_safe(data)
    assert b"\x00" not in data
    assert (type(data) is CleanLetter) == is_clean(data)
    # What the receiver un-stuffs is the letter, exactly.
    assert dot_stuffed(data)[: -len(b".\r\n")].replace(b"\r\n..", b"\r\n.") == data


@given(
    st.lists(st.integers(min_value=0, max_value=1200), min_size=1, max_size=8),
)
def test_the_block_scan_finds_exactly_the_lines_over_998_octets(lengths: list[int]) -> None:
    data = b"\n".join(b"x" * n for n in lengths)
    assert _has_long_line(data) == (max(lengths) > 998)


@pytest.mark.parametrize("before", [0, 1, 498, 499, 500, 997, 998, 999, 1500])
@pytest.mark.parametrize("length", [998, 999])
def test_a_long_line_is_found_wherever_it_starts(before: int, length: int) -> None:
    data = b"a" * max(before - 1, 0) + (b"\n" if before else b"") + b"x" * length + b"\nend\n"
    if before - 1 > 998:  # the leading line itself is too long then
        return
    assert _has_long_line(data) == (length > 998)
