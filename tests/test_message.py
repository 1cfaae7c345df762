"""Message building: structure, encodings, List-Unsubscribe, and header injection both ways.

Every message is parsed back with the modern parser (``policy=default``), the
way a mail reader sees it, and checked for the exact set of headers.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from email import base64mime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.mime.text import MIMEText
from email.policy import compat32

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter.config import Sender
from greeter.errors import GreeterError, UnsafeHeaderError
from greeter.message import (
    POLICY,
    _encoded_word,
    _encoded_words,
    _mailto_link,
    _reply_to,
    build_message,
    content_language,
    make_message_id,
    validate_header_value,
)
from greeter.plan_types import Rendered
from greeter.testing import parse
from greeter.transport import CleanLetter, is_clean
from tests.mime_oracle import _text_part, build_mime

SENDER = Sender(name="ООО «Ромашка»", email="hello@romashka.example")
WHEN = datetime(2025, 3, 14, 10, 30, tzinfo=timezone(timedelta(hours=3)))
MID = "<greeter.0123456789abcdef@romashka.example>"
LETTER = Rendered(
    subject="С днём рождения, Иван Петрович!",
    text="Уважаемый Иван Петрович!\n\nПоздравляем с днём рождения.\n.Строка с точкой\nFrom the team\n",
    html="<p>Уважаемый <b>Иван Петрович</b>!</p>",
)
#: Every letter's headers; List-Unsubscribe too: without a configured mailto it names the reply address,
#: and the two that mark it as automatic mail (no out-of-office replies to it).
BASE_HEADERS = {
    "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe",
    "Auto-Submitted", "X-Auto-Response-Suppress",
}  # fmt: skip


def build(rendered: Rendered = LETTER, /, **overrides: object) -> bytes:
    kwargs: dict[str, object] = {
        "to_email": "ivan@example.com",
        "to_name": "Иван Петрович Сидоров",
        "sender": SENDER,
        "message_id": MID,
        "date": WHEN,
        "unsubscribe_mailto": None,
        "unsubscribe_url": None,
    }
    kwargs.update(overrides)
    return build_message(rendered, **kwargs)  # type: ignore[arg-type]


def header_names(msg: EmailMessage) -> list[str]:
    return [name for name, _ in msg.items()]


def decoded(raw_value: str) -> str:
    """RFC 2047-decode a raw header value (joins adjacent encoded-words correctly)."""
    return str(make_header(decode_header(raw_value)))


def raw_header(data: bytes, name: str) -> str:
    """The unfolded raw value of header ``name`` as it is on the wire."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    for field in head.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n"):
        key, _, value = field.partition(":")
        if key.lower() == name.lower():
            return value.strip()
    raise KeyError(name)


def assert_wire_safe(data: bytes) -> None:
    assert data.isascii(), "7-bit clean: encoded headers, 7bit or base64 bodies"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), "CRLF line endings only"
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_text_and_html_become_multipart_alternative_in_utf8() -> None:
    data = build()
    assert_wire_safe(data)
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    # Encoded from the canonical CRLF form (RFC 2045 §6.8); the parser hands it back as it is.
    # format=flowed: the line starting "From " is space-stuffed (RFC 3676 §4.4; greeter.message.flowed)
    assert parts[0].get_content() == LETTER.text.replace("\nFrom ", "\n From ").replace("\n", "\r\n")
    assert parts[1].get_content() == LETTER.html
    assert set(header_names(msg)) == BASE_HEADERS


def test_text_only_letter_is_a_single_text_part() -> None:
    msg = parse(build(Rendered(subject="Hello", text="Привет!\n")))
    assert msg.get_content_type() == "text/plain"
    assert not msg.is_multipart()
    assert msg.get_content() == "Привет!\r\n"
    assert set(header_names(msg)) == BASE_HEADERS | {"Content-Transfer-Encoding"}


def test_cyrillic_names_and_subject_are_rfc2047_encoded_and_round_trip() -> None:
    data = build()
    assert "=?utf-8?" in raw_header(data, "To")
    assert "=?utf-8?" in raw_header(data, "Subject")
    msg = parse(data)
    (to,) = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Иван Петрович Сидоров", "ivan@example.com")
    (sender,) = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("ООО «Ромашка»", "hello@romashka.example")
    assert msg["Subject"] == LETTER.subject
    assert msg["Message-ID"] == MID
    assert msg["Date"].datetime == WHEN


def test_ascii_names_with_specials_are_quoted_not_split_into_recipients() -> None:
    msg = parse(build(to_name='Ivanov, Ivan "Boss"', to_email="boss@example.com"))
    assert len(msg["To"].addresses) == 1
    assert msg["To"].addresses[0].display_name == 'Ivanov, Ivan "Boss"'
    assert msg["To"].addresses[0].addr_spec == "boss@example.com"


def test_without_display_name_the_bare_address_is_used() -> None:
    msg = parse(build(to_name="  "))
    assert msg["To"].addresses[0].addr_spec == "ivan@example.com"
    assert msg["To"].addresses[0].display_name == ""


def test_reply_to_only_when_configured() -> None:
    assert "Reply-To" not in parse(build())
    sender = Sender(name="Ромашка", email="hello@romashka.example", reply_to="manager@romashka.example")
    msg = parse(build(sender=sender))
    assert msg["Reply-To"].addresses[0].addr_spec == "manager@romashka.example"


@pytest.mark.parametrize(
    ("mailto", "url", "expected", "one_click"),
    [
        # No mailto configured: the link is the reply address (here the From: address).
        (None, None, "<mailto:hello@romashka.example?subject=unsubscribe>", False),
        (
            "unsubscribe@romashka.example",
            None,
            "<mailto:unsubscribe@romashka.example?subject=unsubscribe>",
            False,
        ),
        (
            None,
            "https://romashka.example/u?t=abc",
            "<mailto:hello@romashka.example?subject=unsubscribe>, <https://romashka.example/u?t=abc>",
            True,
        ),
        (
            "mailto:u+tok123@romashka.example",
            "https://romashka.example/u?t=abc",
            "<mailto:u+tok123@romashka.example>, <https://romashka.example/u?t=abc>",
            True,
        ),
    ],
)
def test_list_unsubscribe_per_config(
    mailto: str | None, url: str | None, expected: str | None, one_click: bool
) -> None:
    msg = parse(build(unsubscribe_mailto=mailto, unsubscribe_url=url))
    assert msg.get("List-Unsubscribe") == expected
    if one_click:
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    else:
        assert "List-Unsubscribe-Post" not in msg


def test_the_configs_reply_to_and_mailto_are_validated_once_not_per_letter() -> None:
    """They are the same in every letter of a batch: validated (two regexes each) once, then reused.

    The one-click URL is not cached: it carries each recipient's own token.
    """
    sender = Sender(name="Ромашка", email="hello@romashka.example", reply_to="manager@romashka.example")
    mailto = "unsub@romashka.example"
    first = build(sender=sender, unsubscribe_mailto=mailto, unsubscribe_url="https://r.example/u?t=1")
    reply_hits, mailto_hits = _reply_to.cache_info().hits, _mailto_link.cache_info().hits
    again = build(sender=sender, unsubscribe_mailto=mailto, unsubscribe_url="https://r.example/u?t=1")
    assert again == first
    assert _reply_to.cache_info().hits == reply_hits + 1
    assert _mailto_link.cache_info().hits == mailto_hits + 1
    other = parse(build(sender=sender, unsubscribe_mailto=mailto, unsubscribe_url="https://r.example/u?t=2"))
    assert (
        other["List-Unsubscribe"]
        == "<mailto:unsub@romashka.example?subject=unsubscribe>, <https://r.example/u?t=2>"
    )
    # A bad value is refused every time (a refusal is never cached as a value).
    for _ in range(2):
        with pytest.raises(UnsafeHeaderError):
            build(unsubscribe_mailto="mailto:x@romashka.example\r\nBcc: y@evil.example")
        with pytest.raises(UnsafeHeaderError):
            build(sender=Sender.model_construct(name="Shop", email="a@romashka.example", reply_to="x y@z"))


def test_message_id_is_derived_from_the_journal_key_and_the_journals_secret_only() -> None:
    key = ("c-42", "birthday", date(2025, 3, 14))
    secret = bytes(range(32))
    first = make_message_id(key, "romashka.example", secret)
    assert first == make_message_id(key, "romashka.example", secret)
    assert first.startswith("<greeter.") and first.endswith("@romashka.example>")
    assert "c-42" not in first, "CRM ids stay out of headers"
    assert first != make_message_id(("c-42", "birthday", date(2026, 3, 14)), "romashka.example", secret)
    assert first != make_message_id(("c-43", "birthday", date(2025, 3, 14)), "romashka.example", secret)
    assert first != make_message_id(("c-42", "new_year", date(2025, 3, 14)), "romashka.example", secret)
    assert first != make_message_id(key, "romashka.example", bytes(range(1, 33)))  # another journal's
    with pytest.raises(UnsafeHeaderError):
        make_message_id(key, "romashka.example>\r\nBcc: x@evil.example", secret)
    with pytest.raises(ValueError, match="32 bytes"):
        make_message_id(key, "romashka.example", b"")


INJECTIONS = [
    "Ivan\r\nBcc: x@evil.example",
    "Иван\r\nBcc: x@evil.example",
    "Ivan\nBcc: x@evil.example",
    "Ivan\rBcc: x@evil.example",
    "Ivan\x00",
    "Ivan\u2028Bcc: x@evil.example",
    "Ivan\u0085Bcc: x@evil.example",
    "Ivan\tPetrov",
]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("field", ["to_name", "subject", "sender_name"])
def test_line_breaks_and_controls_in_text_values_are_refused_before_building(
    field: str, payload: str
) -> None:
    with pytest.raises(UnsafeHeaderError) as info:
        if field == "subject":
            build(Rendered(subject=f"Hi {payload} there", text="x"))
        elif field == "sender_name":  # unvalidated: the config's loader refuses it first (test_check_headers)
            build(sender=Sender.model_construct(name=f"Shop {payload}", email="hello@romashka.example"))
        else:
            build(to_name=f"{payload} Petrov")
    assert isinstance(info.value, GreeterError)
    assert "control or line-break character" in str(info.value)


@pytest.mark.parametrize(
    "address",
    [
        "ivan@example.com\r\nBcc: x@evil.example",
        "ivan@example.com\n",
        "ivan@example.com, x@evil.example",
        "Ivan <ivan@example.com>",
        "ivan@example.com>\r\nBcc:<x@evil.example",
        "иван@пример.рф",
        "no-at-sign",
        "ivan@example.com\x00",
    ],
)
@pytest.mark.parametrize("field", ["to_email", "sender_email", "reply_to", "unsubscribe_mailto"])
def test_unsafe_addresses_are_refused(field: str, address: str) -> None:
    with pytest.raises(UnsafeHeaderError):
        if field == "sender_email":
            build(sender=Sender.model_construct(name="Shop", email=address, reply_to=None))
        elif field == "reply_to":
            build(sender=Sender.model_construct(name="Shop", email="a@romashka.example", reply_to=address))
        else:
            build(**{field: address})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message_id", "<a@b>\r\nBcc: x@evil.example"),
        ("message_id", "no-brackets@romashka.example"),
        ("unsubscribe_url", "https://romashka.example/u?t=1\r\nBcc: x@evil.example"),
        ("unsubscribe_url", "https://romashka.example/u>, <https://evil.example"),
        ("unsubscribe_url", "http://romashka.example/u"),
        ("unsubscribe_mailto", "mailto:u@romashka.example>, <https://evil.example"),
    ],
)
def test_unsafe_ids_and_links_are_refused(field: str, value: str) -> None:
    with pytest.raises(UnsafeHeaderError):
        build(**{field: value})


def assert_exact_headers(data: bytes, extra: frozenset[str] = frozenset()) -> EmailMessage:
    assert_wire_safe(data)
    msg = parse(data)
    names = header_names(msg)
    assert set(names) == BASE_HEADERS | extra
    assert len(names) == len(set(names)), f"a header appears twice: {names}"
    assert "Bcc" not in msg and len(msg.get_all("To", [])) == 1 and len(msg.get_all("Subject", [])) == 1
    return msg


@pytest.mark.parametrize(
    "literal",
    [
        "=?utf-8?q?x=0D=0ABcc:_x@evil.example?=",
        "=?utf-8?b?SXZhbg0KQmNjOiB4QGV2aWwuZXhhbXBsZQ==?=",
        "Иван =?utf-8?q?=0D=0ABcc:_x@evil.example?=",
    ],
)
def test_encoded_word_lookalikes_in_data_stay_literal_text(literal: str) -> None:
    """Contact data that *looks* like an encoded-word is encoded itself, so no reader decodes the CR/LF."""
    data = build(Rendered(subject=literal, text="x"), to_name=literal)
    msg = assert_exact_headers(data, frozenset({"Content-Transfer-Encoding"}))
    assert msg["Subject"] == literal
    assert "=?utf-8?q?x=0D" not in raw_header(data, "To"), "the look-alike is not on the wire as-is"
    assert decoded(raw_header(data, "Subject")) == literal
    # RFC 2047 decoding of the phrase (CPython's address parser adds a space between
    # adjacent encoded-words, contrary to RFC 2047 §6.2, so compare the RFC way).
    assert decoded(raw_header(data, "To")) == f"{literal} <ivan@example.com>"
    assert [a.addr_spec for a in msg["To"].addresses] == ["ivan@example.com"]


def test_a_500_character_cyrillic_name_and_subject_fold_within_line_limits() -> None:
    name = ("Александра-Виктория Константиновна " * 15)[:500]
    subject = "Поздравляем! " * 40
    data = build(Rendered(subject=subject, text="x", html="<p>x</p>"), to_name=name)
    msg = assert_exact_headers(data)
    assert max(len(line) for line in data.split(b"\r\n")) <= 78
    assert msg["To"].addresses[0].addr_spec == "ivan@example.com"
    assert decoded(raw_header(data, "To")) == f"{name.strip()} <ivan@example.com>"
    assert msg["Subject"] == subject.strip()


def test_a_long_unbroken_ascii_word_is_encoded_so_it_can_fold() -> None:
    subject = "x" * 1500
    data = build(Rendered(subject=subject, text="x"))
    assert_wire_safe(data)
    assert parse(data)["Subject"] == subject


def test_surrounding_whitespace_of_the_subject_is_dropped_but_empty_is_an_error() -> None:
    assert parse(build(Rendered(subject="  Hello\n", text="x")))["Subject"] == "Hello"
    with pytest.raises(UnsafeHeaderError, match="empty subject"):
        build(Rendered(subject="\n", text="x"))


def test_template_like_text_in_data_is_kept_literally() -> None:
    msg = parse(build(to_name="{{ 7*7 }} Иван"))
    assert msg["To"].addresses[0].display_name == "{{ 7*7 }} Иван"


def test_date_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        build(date=datetime(2025, 1, 1, 10, 0))
    assert parse(build(date=datetime(2025, 1, 1, 10, 0, tzinfo=UTC)))[
        "Date"
    ].datetime.utcoffset() == timedelta(0)


def test_validate_header_value_returns_clean_values_unchanged() -> None:
    assert validate_header_value("Subject", "С днём рождения! «Ура»") == "С днём рождения! «Ура»"


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"to_name": ("Александра-Виктория Константиновна " * 15)[:500]},
        {"to_name": 'Ivanov, Ivan "Boss"', "unsubscribe_mailto": "u@romashka.example"},
        {"unsubscribe_url": "https://romashka.example/unsubscribe?token=" + "a" * 200},
    ],
)
def test_the_fast_header_path_writes_exactly_what_compat32_writes(overrides: dict[str, str]) -> None:
    kwargs: dict[str, object] = {"to_email": "ivan@example.com", "to_name": "Иван", "sender": SENDER,
                                 "message_id": MID, "date": WHEN, **overrides}  # fmt: skip
    mime = build_mime(LETTER, **kwargs)  # type: ignore[arg-type]
    mime.set_boundary("fixed-boundary-for-the-comparison")
    reference = compat32.clone(linesep="\r\n", max_line_length=78)
    assert mime.as_bytes(policy=POLICY) == mime.as_bytes(policy=reference)


@pytest.mark.parametrize("text", ["", "x", "Привет!\n", "строка\r\n" * 300, "a" * 57, "a" * 58, "€" * 1000])
def test_the_fast_text_part_is_what_mimetext_makes(text: str) -> None:
    reference = compat32.clone(linesep="\r\n")
    for subtype in ("plain", "html"):
        fast = _text_part(text, subtype).as_bytes(policy=reference)
        canonical = text.replace("\r\n", "\n").replace("\n", "\r\n")  # RFC 2045 §6.8, which MIMEText skips
        made = MIMEText(canonical, subtype, "utf-8")
        if subtype == "plain":  # greeter's plain text is format=flowed (greeter.message.flowed)
            made.replace_header("Content-Type", f"{made['Content-Type']}; format=flowed")
        assert fast == made.as_bytes(policy=reference)


@given(
    text=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=300)
    .map(str.strip)
    .filter(bool),
    name=st.sampled_from(["Subject", "To", "From", "Reply-To"]),
)
def test_encoded_words_round_trip_within_rfc_2047_limits(text: str, name: str) -> None:
    """The fast encoder says what ``Header`` would say: any text decodes back exactly, in legal words."""
    folded = _encoded_words(text, name, "<ivan@example.com>" if name != "Subject" else "")
    line = f"{name}: {(chr(13) + chr(10) + ' ').join(folded.lines)}"
    assert all(len(x) <= 78 for x in line.split("\r\n"))
    words = [w for w in " ".join(folded.lines).split() if w.startswith("=?")]
    assert all(len(w) <= 75 for w in words)
    for word in words:  # every word holds whole characters (RFC 2047 §5)
        base64.b64decode(word[10:-2]).decode("utf-8")
    expected = text if name == "Subject" else f"{text} <ivan@example.com>"
    assert decoded(" ".join(folded.lines)) == expected


@pytest.mark.parametrize(
    "name",
    [
        "Вера Константиновна Гусева",
        "Анна-Мария Олеговна Петрова-Водкина",
        "Александра-Виктория Константиновна Римская-Корсакова",
    ],
)
def test_a_long_display_name_is_cut_between_its_words_not_inside_one(name: str) -> None:
    """Python's address parser (and some mail readers) show the space between two encoded-words:
    cut inside "Гусева" it read "Гус ева"; cut after a space, at worst two spaces."""
    data = build(to_name=name)
    words = [w for w in " ".join(raw_lines(data, "To")).split() if w.startswith("=?")]
    assert len(words) > 1
    pieces = [base64.b64decode(w[10:-2]).decode("utf-8") for w in words]
    assert all(piece.endswith(" ") for piece in pieces[:-1])
    assert " ".join(str(parse(data)["To"].addresses[0].display_name).split()) == name


def test_the_address_shares_the_last_line_when_it_fits_and_gets_its_own_when_not() -> None:
    own_line = shared = 0
    for length in range(1, 120):
        name = ("Ёлкина-Щукина Анастасия " * 6)[:length].strip() or "Ё"
        data = build(to_name=name)
        lines = raw_lines(data, "To")
        assert max(len(x) for x in lines) <= 78
        assert parse(data)["To"].addresses[0].addr_spec == "ivan@example.com"
        assert decoded(raw_header(data, "To")) == f"{name} <ivan@example.com>"
        if lines[-1] == " <ivan@example.com>":
            own_line += 1
        else:
            assert lines[-1].endswith("?= <ivan@example.com>")
            shared += 1
    assert own_line and shared, "both layouts occur over these lengths"


def test_four_byte_characters_are_never_split_between_words() -> None:
    subject = "🎂" * 100
    data = build(Rendered(subject=subject, text="x"))
    assert_wire_safe(data)
    assert parse(data)["Subject"] == subject


def raw_lines(data: bytes, name: str) -> list[str]:
    """The physical lines of header ``name`` (first line and its continuations)."""
    lines = data.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")
    start = next(i for i, x in enumerate(lines) if x.lower().startswith(name.lower() + ":"))
    end = start + 1
    while end < len(lines) and lines[end][:1] in (" ", "\t"):
        end += 1
    return lines[start:end]


@pytest.mark.parametrize(
    "overrides", [{}, {"to_name": "Ёлкина " * 40}, {"unsubscribe_mailto": "u@romashka.example"}]
)
def test_the_direct_writer_makes_the_trees_bytes_for_long_letters(overrides: dict[str, str]) -> None:
    """Bodies of many base64 lines (the hypothesis test below keeps its letters short)."""
    letter = Rendered(subject=LETTER.subject, text="строка\n" * 200 + "end", html="<p>" + "€" * 3000 + "</p>")
    kwargs: dict[str, object] = {"to_email": "ivan@example.com", "to_name": "Иван", "sender": SENDER,
                                 "message_id": MID, "date": WHEN, **overrides}  # fmt: skip
    built = build_message(letter, **kwargs)  # type: ignore[arg-type]
    assert built == build_mime(letter, **kwargs).as_bytes(policy=POLICY)  # type: ignore[arg-type]
    assert type(built) is CleanLetter and is_clean(built)


_SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=120)


@given(
    subject=_SAFE_TEXT.filter(lambda s: s.strip() != ""),
    to_name=_SAFE_TEXT,
    text=st.text(max_size=400),
    html=st.none() | st.text(max_size=400),
    reply_to=st.sampled_from([None, "manager@romashka.example"]),
    mailto=st.sampled_from([None, "u@romashka.example", "mailto:u@romashka.example?subject=stop"]),
    url=st.sampled_from([None, "https://romashka.example/u?t=abc"]),
    sender_name=st.sampled_from(["ООО «Ромашка»", "Romashka, Ltd.", 'A "quoted" name']),
)
def test_the_direct_writer_makes_the_bytes_of_the_email_package_tree(
    subject: str, to_name: str, text: str, html: str | None, reply_to: str | None,
    mailto: str | None, url: str | None, sender_name: str,
) -> None:  # fmt: skip
    """build_message skips the Message tree and the generator; its bytes must be the tree's, exactly."""
    sender = Sender(name=sender_name, email="hello@romashka.example", reply_to=reply_to)
    letter = Rendered(subject=subject, text=text, html=html)
    kwargs: dict[str, object] = {"to_email": "ivan@example.com", "to_name": to_name, "sender": sender,
                                 "message_id": MID, "date": WHEN, "unsubscribe_mailto": mailto,
                                 "unsubscribe_url": url}  # fmt: skip
    expected = build_mime(letter, **kwargs).as_bytes(policy=POLICY)  # type: ignore[arg-type]
    built = build_message(letter, **kwargs)  # type: ignore[arg-type]
    assert built == expected
    # Judged clean from its header lines and a 7bit body's leading dots: the verdict of scanning
    # the whole letter (a 7bit line starting with "." leaves it to be dot-stuffed when sent).
    assert (type(built) is CleanLetter) == is_clean(expected)


def test_the_from_name_follows_the_letters_language() -> None:
    """An English letter comes from "Romashka LLC", not from «ООО «Ромашка»» (sender.by_locale)."""
    from dataclasses import replace

    from greeter.config import SenderInLanguage

    sender = SENDER.model_copy(update={"by_locale": {"en": SenderInLanguage(name="Romashka LLC")}})
    english = parse(build(replace(LETTER, locale="en_GB"), sender=sender))
    assert english["From"] == "Romashka LLC <hello@romashka.example>"
    russian = parse(build(replace(LETTER, locale="ru"), sender=sender))
    assert str(russian["From"]) == "ООО «Ромашка» <hello@romashka.example>"
    assert str(parse(build(LETTER, sender=sender))["From"]) == "ООО «Ромашка» <hello@romashka.example>"


def test_the_approval_covers_the_from_name_the_letter_is_written_with() -> None:
    """An approval fingerprints the From name (greeter.review.Envelope): it must be the one the
    letter's locale gives, or renaming the English sender would keep English approvals."""
    from dataclasses import replace

    from greeter.config import SenderInLanguage
    from greeter.contacts import Contact
    from greeter.review import Envelope, content_hash

    contact = Contact(id="1", email="ivan@example.com", first_name="John")
    sender = SENDER.model_copy(update={"by_locale": {"en": SenderInLanguage(name="Romashka LLC")}})
    renamed = SENDER.model_copy(update={"by_locale": {"en": SenderInLanguage(name="Romashka Ltd")}})
    for locale in ("en_GB", "ru"):
        letter = replace(LETTER, locale=locale)
        envelope = Envelope.of(contact, sender, letter.locale)
        written = parse(build(letter, sender=sender))["From"].addresses[0].display_name
        assert envelope.from_name == written
    english = replace(LETTER, locale="en")
    before = content_hash(english, Envelope.of(contact, sender, "en"))
    assert before != content_hash(english, Envelope.of(contact, renamed, "en"))
    russian = replace(LETTER, locale="ru")  # the Russian letter's sender did not change
    assert content_hash(russian, Envelope.of(contact, sender, "ru")) == content_hash(
        russian, Envelope.of(contact, renamed, "ru")
    )


@given(st.binary(min_size=1, max_size=120))
def test_an_encoded_word_is_what_base64mime_writes(chunk: bytes) -> None:
    assert _encoded_word(chunk) == base64mime.header_encode(chunk, "utf-8")


@pytest.mark.parametrize(
    ("locale", "header"),
    [("ru", "ru"), ("sr_Latn", "sr-Latn"), ("en_GB", "en-GB"), ("sr_Latn_ME", "sr-Latn-ME"), ("", None)],
)
def test_the_letter_says_its_language_in_a_header(locale: str, header: str | None) -> None:
    """Webmail drops ``<html lang>``; ``Content-Language`` (RFC 3282) carries the language."""
    msg = parse(build(replace(LETTER, locale=locale)))
    assert msg.get_all("Content-Language") == (None if header is None else [header])


@pytest.mark.parametrize("locale", ["ru\r\nBcc: x@evil.example", "ru;x", "r", "ru_" + "x" * 9])
def test_a_locale_that_is_no_language_tag_writes_no_header(locale: str) -> None:
    assert content_language(locale) == ""


def test_a_letter_whose_header_lines_are_not_clean_stays_plain_bytes_to_be_scanned() -> None:
    """Only clean header lines make a CleanLetter (sent as it is): a line starting with a dot, a
    bare LF, never with validated values, leave the letter to the sending side's scan and dot-stuffing."""
    from greeter.message import _as_sent

    body = b'Content-Type: text/plain; charset="utf-8"\r\n\r\nYQ==\r\n'
    assert type(_as_sent(b"X-A: b\r\n", b"X-A: b\r\n" + body)) is CleanLetter
    for top in (b"X-A: b\r\n.X-B: c\r\n", b"X-A: b\nX-B: c\r\n", b"X-A: b\r\rX-B: c\r\n", b"X-A: b"):
        assert type(_as_sent(top, top + body)) is bytes
