"""Turn a rendered letter into the exact RFC 5322 bytes handed to the transport.

Why compat32 and not the modern ``EmailMessage`` policy: building is on the
hot path of every send, and ``bench/bench_message_build.py`` measures the
``MIMEMultipart``/``MIMEText``/``Header`` path 5-7x faster than
``EmailMessage`` + ``as_bytes(policy=SMTP)`` (DESIGN.md §7 saw 4x). Shortcuts
make greeter's builder several times faster again than plain compat32: short
plain headers are written directly, bodies use the C base64 encoder, the
multipart boundary is fixed instead of invented and scanned for, and
:func:`build_message` writes the headers the policy folds and the constant
MIME framing straight into bytes instead of building a ``Message`` tree and
walking it with the generator (216 → 79 µs a letter) — the tests check the
bytes are identical to compat32's tree (``tests/mime_oracle.py``).

The price is that compat32 does not guard header values: it raises on ASCII
CR/LF only sometimes and silently wraps them inside non-ASCII encoded-words.
So this module owns header safety: :func:`validate_header_value` refuses every
control and line-break character in every value that reaches a header
(display names, addresses, subject, message id, unsubscribe links) *before*
anything is built, and headers are always produced by the email package
(``formataddr``, ``email.base64mime`` encoded-words written by the
policy's ``fold_binary``), never by concatenating contact data into header
text.

Values that look like RFC 2047 encoded-words (``=?utf-8?q?...?=``) in contact
data are always re-encoded, so a reader shows them literally instead of
decoding an attacker's CR/LF.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import base64mime
from email.message import Message
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from greeter.config import Sender, extra_header_problem
from greeter.contacts import UNSAFE_IN_HEADER
from greeter.errors import UnsafeHeaderError
from greeter.journal_store import MESSAGE_KEY_BYTES, JournalKey, JournalStore, new_message_key
from greeter.plan_types import Rendered
from greeter.transport import CleanLetter, is_clean
from greeter.unsubscribe import mailto_href

#: Control and line-break characters: none of them has a place in a header, and each can
#: split or smuggle a header somewhere (the same set the contacts' loader rejects).
_FORBIDDEN = UNSAFE_IN_HEADER
#: Plain dot-atom addresses only: no quoted local parts, comments, commas or
#: angle brackets that could add a second recipient. Non-ASCII addresses need
#: SMTPUTF8, which greeter does not negotiate.
_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>")
_URL = re.compile(r"https://[\x21-\x3b\x3d\x3f-\x7e]+")
_MAILTO = re.compile(r"mailto:[\x21-\x3b\x3d\x3f-\x7e]+")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
#: Longest run without whitespace we let compat32 fold as plain ASCII; longer
#: runs are encoded so they can be split into several encoded-words.
_MAX_PLAIN_WORD = 60


if TYPE_CHECKING:
    _Compat32 = Compat32[Message[str, str]]  # generic in the stubs only
else:
    _Compat32 = Compat32


class _EncodedWords(str):
    """A header value already RFC 2047-encoded and folded: the lines of one header, in order.

    Made only by :func:`_encoded_words` from ``email.base64mime`` encoded-words
    (base64 alphabet only) and validated addresses, so it can hold no CR, LF or
    other control character; the policy joins its lines with folding white space.
    """

    lines: tuple[str, ...]

    def __new__(cls, lines: tuple[str, ...]) -> _EncodedWords:
        folded = super().__new__(cls, " ".join(lines))
        folded.lines = lines
        return folded


class _FastCompat32(_Compat32):
    """compat32 with shortcuts for the common headers: short plain ASCII, and pre-encoded words.

    Profiling showed most of the build time in compat32 wrapping *every*
    header value in ``Header(...).encode()``, even ``MIME-Version: 1.0``. For
    a value that needs no folding or encoding the result is the same text, so
    it is written directly (``tests/test_message.py`` checks the bytes are
    identical to plain compat32's). Non-ASCII subjects and display names come
    already encoded (:class:`_EncodedWords`, ~10x cheaper than ``Header``'s
    character-by-character folding); anything else takes the normal path.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        if type(value) is _EncodedWords:
            return f"{name}: {(self.linesep + ' ').join(value.lines)}{self.linesep}".encode("ascii")
        if (
            type(value) is str
            and len(name) + len(value) <= 76
            and value.isascii()
            and value.isprintable()  # ASCII: the same as no _FORBIDDEN match (see validate_header_value)
            and "=?" not in value
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


#: CRLF line endings on the wire and in .eml files (RFC 5322 canonical form);
#: lines folded at 78 so every header line stays far below the 998-octet limit.
POLICY = _FastCompat32(linesep="\r\n", max_line_length=78)
#: A plain-text header line as :data:`POLICY` folds it, by name and value: most of a letter's header
#: lines are the same in every letter of a batch (From's address, Content-Language, Reply-To,
#: List-Unsubscribe's mailto, the automatic ones), and each was written afresh (~40 bytecodes a
#: line). Exact ``str`` values only (an :class:`_EncodedWords` equal to a ``str`` folds otherwise);
#: a letter's own lines (Date, Message-ID) pass through without pushing those out.
_folded = lru_cache(maxsize=256)(POLICY.fold_binary)


def validate_header_value(field: str, value: str) -> str:
    """Return ``value`` unchanged if it is safe in a header, else raise :class:`UnsafeHeaderError`.

    ``field`` only names the value in the error (e.g. ``"To display name"``).

    A printable string holds none of the forbidden characters (control
    characters, C1 controls, U+2028/U+2029 and surrogates are all
    non-printable; ``tests/test_render_shortcuts.py`` checks every code point),
    so it is accepted by ``str.isprintable`` (C, a table look-up a character)
    without the regex; anything else is searched, and the regex decides.
    """
    if value.isprintable():
        return value
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise UnsafeHeaderError(field, value, f"control or line-break character U+{ord(bad.group()):04X}")
    return value


def validate_address(field: str, address: str) -> str:
    """Return ``address`` if it is a single plain ASCII ``local@domain``, else raise."""
    validate_header_value(field, address)
    if not address.isascii():
        raise UnsafeHeaderError(field, address, "non-ASCII address (needs SMTPUTF8; use the punycode domain)")
    if len(address) > 254 or _ADDRESS.fullmatch(address) is None:
        raise UnsafeHeaderError(field, address, "not a single plain e-mail address")
    return address


def make_message_id(key: JournalKey, domain: str, secret: bytes) -> str:
    """A Message-ID that depends only on the journal key and ``secret``, the journal's own random key.

    A resend of the same greeting therefore carries the same id, so a server
    or a test sink can recognise a duplicate; hashing keeps contact ids (CRM
    data) out of headers that every relay logs. Keyed (HMAC-SHA256), because
    ``greeter suppress --from-bounces`` believes a report whose returned
    Message-ID is a greeting's: an unkeyed hash of (contact id, occasion, date)
    let anyone who knows a CRM id and a birthday compute the id and forge a
    bounce that suppresses the client.
    """
    if _DOMAIN.fullmatch(domain) is None:
        raise UnsafeHeaderError("Message-ID domain", domain, "not a plain domain name")
    if len(secret) < MESSAGE_KEY_BYTES:
        raise ValueError(f"a Message-ID key has at least {MESSAGE_KEY_BYTES} bytes")
    contact_id, occasion, day = key
    text = f"{contact_id}\x1f{occasion}\x1f{day.isoformat()}".encode()
    mac = _keyed_hmac(secret).copy()
    mac.update(text)
    return f"<greeter.{mac.hexdigest()[:32]}@{domain}>"


@lru_cache(maxsize=8)
def _keyed_hmac(secret: bytes) -> hmac.HMAC:
    """HMAC-SHA256 keyed with ``secret``, to copy for each Message-ID.

    ``hmac.digest`` finds SHA-256 by name and keys it afresh for every letter
    (~20 K instructions of a build worker's letter); a copy of a keyed HMAC
    (the key's padding already hashed in) is a fraction of that. One journal
    key per send: a handful of entries at most.
    """
    return hmac.new(secret, digestmod=hashlib.sha256)


@dataclass(frozen=True, slots=True)
class MessageIds:
    """How each greeting's Message-ID is had: the one the journal holds for it, else made with
    the journal's key (:func:`make_message_id`)."""

    #: The journal's key, or a sample one (:attr:`sample`).
    key: bytes
    #: The ids the journal holds for greetings that go again: a failed one put back in line is
    #: written afresh, and keeps the id it first went with — even one made before the journal
    #: had a key (an upgrade), when ids were not keyed.
    stored: Mapping[JournalKey, str]
    #: The key is no journal's but a random one (no journal, or one without a key that cannot
    #: be given one here): the ids are samples, not those sent.
    sample: bool = False

    @classmethod
    def of(cls, journal: JournalStore | None, *, create: bool) -> MessageIds:
        """The journal's (``create``: its key made if it has none and can be written), else a sample."""
        if journal is None:
            return cls(new_message_key(), {}, sample=True)
        key = journal.message_key(create=create)
        stored = {e.key: e.message_id for e in journal.history(state="retry") if e.message_id is not None}
        return cls(key or new_message_key(), stored, sample=key is None)

    def make(self, key: JournalKey, domain: str) -> str:
        """The Message-ID of the greeting ``key`` (the same every time it is built)."""
        return self.stored.get(key) or make_message_id(key, domain, self.key)


def _needs_encoding(value: str) -> bool:
    """Whether compat32 must emit ``value`` as encoded-words rather than plain folded text."""
    if not value.isascii() or "=?" in value:
        return True
    return any(len(word) > _MAX_PLAIN_WORD for word in value.split())


#: Longest header line written (RFC 5322 §2.1.1 recommends 78 characters).
_LINE = 78
#: An encoded-word's frame, ``=?utf-8?b?`` + ``?=``: 12 characters around the base64 text.
_WORD_FRAME = len(base64mime.header_encode(b"x", "utf-8")) - 4
#: RFC 2047 §2: an encoded-word is at most 75 characters long.
_MAX_WORD = 75


def _encoded_word(chunk: bytes) -> str:
    """``base64mime.header_encode(chunk, "utf-8")`` for a non-empty chunk, without its two Python frames.

    The same text: its ``=?utf-8?b?…?=`` around ``b64encode``, which is this
    ``b2a_base64`` (``tests/test_message.py`` compares the two).
    """
    return "=?utf-8?b?" + binascii.b2a_base64(chunk, newline=False).decode("ascii") + "?="


def _encoded_words(text: str, name: str, tail: str = "") -> _EncodedWords:
    """``text`` as UTF-8 base64 encoded-words folded into lines of at most 78 characters.

    What ``Header(text, "utf-8").encode()`` produces, without its per-character
    length probing: the UTF-8 bytes are cut at character boundaries (RFC 2047
    §5: an encoded-word holds whole characters) into chunks whose words fit
    the line, and each chunk is encoded as ``email.base64mime`` encodes it
    (:func:`_encoded_word`). ``tail`` (an
    already validated ``<address>``) follows the last word.

    A chunk ends after its last space, so a word of the text is cut between
    two encoded-words only when it is longer than one (then at a character
    boundary). The space stays inside the encoded-word: RFC 2047 §6.2 readers
    (every mail client, ``email.header.decode_header``) drop the folding white
    space between adjacent encoded-words and read the name exactly. Python's
    ``policy.default`` address parser (3.11–3.13, CPython gh-128110, fixed by
    python/cpython#130749) keeps that folding space instead, so it reads a
    name of several encoded-words with two spaces where a line is folded
    ("Сергей Николаевич  Лебедев") and a word cut in two with a space in it.
    No folding satisfies both: encoded-words written without white space
    between them would, but RFC 2047 §5 forbids that in a display name and a
    strict reader then decodes nothing, so the standard form is kept.
    """
    data = text.encode("utf-8")
    lines: list[str] = []
    room = _LINE - len(name) - 2  # "Name: " on the first line
    start = 0
    while start < len(data):
        size = max((min(room, _MAX_WORD) - _WORD_FRAME) // 4 * 3, 12)
        end = min(start + size, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # never split a character
            end -= 1
        if end < len(data):
            space = data.rfind(b" ", start, end)
            if space >= 0:
                end = space + 1  # the space stays inside this word: RFC 2047 drops the one between
        lines.append(_encoded_word(data[start:end]))
        start, room = end, _LINE - 1  # continuation lines begin with one space
    if tail:
        if len(lines[-1]) + 1 + len(tail) <= (room if len(lines) > 1 else _LINE - len(name) - 2):
            lines[-1] = f"{lines[-1]} {tail}"
        else:
            lines.append(tail)
    return _EncodedWords(tuple(lines))


def _text_header(name: str, value: str) -> _EncodedWords | str:
    if _needs_encoding(value):
        return _encoded_words(value, name)
    return value


@lru_cache(maxsize=64)  # the config's Reply-To: the same in every letter, validated once
def _reply_to(address: str) -> str:
    return validate_address("Reply-To", address)


@lru_cache(maxsize=256)  # the From header is the same in every letter
def _address_header(name: str, display: str, address: str) -> _EncodedWords | str:
    validate_header_value(f"{name} display name", display)
    validate_address(f"{name} address", address)
    if not display:
        return address
    if not _needs_encoding(display):
        return formataddr((display, address))  # quotes specials such as "," and '"'
    return _encoded_words(display, name, f"<{address}>")


@lru_cache(maxsize=64)  # the config's mailto: the same in every letter, validated once
def _mailto_link(mailto: str) -> str:
    """The header's mailto, checked, as :func:`greeter.unsubscribe.mailto_href` writes the body's link."""
    validate_header_value("List-Unsubscribe mailto", mailto)
    if mailto.startswith("mailto:"):
        if len(mailto) > 900 or _MAILTO.fullmatch(mailto) is None:
            raise UnsafeHeaderError("List-Unsubscribe mailto", mailto, "not a plain mailto: URI")
    else:
        validate_address("List-Unsubscribe mailto", mailto)
    return f"<{mailto_href(mailto)}>"


#: Date headers already written: (wall-clock time to the second, UTC offset) → header value.
_DATES: dict[tuple[datetime, timedelta | None], str] = {}
_MAX_DATES = 64


def _date_header(date: datetime) -> str:
    """The Date header of the moment ``date``, written in UTC ("Wed, 14 Apr 2027 08:00:00 +0000"),
    once per second of wall-clock time and UTC offset.

    Always UTC, whichever zone the moment comes in: a sent letter is dated by the
    deliverer's clock, a ``preview --format eml`` file by its planned send time in the
    recipient's zone, ``send --now`` by the moment as typed; the same letter's files
    must not differ in how they write the time, and UTC tells nobody where the
    server or the recipient is. A batch's letters are built moments apart, so the
    wall clock and offset given are the cache's key — cheap to read, no conversion
    on a hit — and never the aware datetime itself. Microseconds are not written,
    so the key drops them and the letters of one second share one entry.
    """
    key = (date.replace(microsecond=0, tzinfo=None), date.utcoffset())
    header = _DATES.get(key)
    if header is None:
        if len(_DATES) >= _MAX_DATES:
            _DATES.clear()  # the clock moves on: old seconds are not asked for again
        header = _DATES[key] = format_datetime(date.astimezone(UTC))
    return header


def _list_unsubscribe(mailto: str | None, url: str | None) -> str | None:
    # Not cached as a whole: the one-click URL carries each recipient's own token.
    links: list[str] = []
    if mailto:
        links.append(_mailto_link(mailto))
    if url:
        validate_header_value("List-Unsubscribe URL", url)
        if len(url) > 900 or _URL.fullmatch(url) is None:
            raise UnsafeHeaderError("List-Unsubscribe URL", url, "not a plain https:// URL")
        links.append(f"<{url}>")
    return ", ".join(links) if links else None


def list_unsubscribe(mailto: str | None, url: str | None) -> str | None:
    """The ``List-Unsubscribe`` value of these links, validated as every letter's is.

    Public so that the config's loader judges ``unsubscribe.mailto`` and
    ``unsubscribe.url`` by this rule itself (:mod:`greeter.config_delivery`),
    not a copy of it that could drift: a link every letter would be held
    for is then the setting's error, at its line.
    """
    return _list_unsubscribe(mailto, url)


def build_message(
    rendered: Rendered,
    *,
    to_email: str,
    to_name: str,
    sender: Sender,
    message_id: str,
    date: datetime,
    unsubscribe_mailto: str | None = None,
    unsubscribe_url: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> bytes:
    """The message's bytes, CRLF line endings, ready for SMTP DATA or an ``.eml`` file.

    ``multipart/alternative`` (text + HTML), or one text part without HTML.
    Every header value is validated first (raising :class:`UnsafeHeaderError`),
    so a letter is either built with exactly the intended headers or not at
    all. Surrounding whitespace of the subject is dropped (templates often end
    the subject block with a newline); anything inside it must be clean.
    ``List-Unsubscribe-Post`` (RFC 8058 one-click) is added only with an HTTPS
    URL, because a mailto link cannot be "posted". Without ``unsubscribe_mailto``
    the mailto link is the sender's reply address (``reply_to``, else ``email``).
    Every letter says it was sent automatically (:data:`AUTOMATIC`);
    ``extra_headers`` (``delivery.headers``) follow, in the config's order.

    The bytes are exactly those of the email package's compat32 tree of the
    same letter (``tests/mime_oracle.py`` builds that tree;
    ``tests/test_message.py`` compares the two over generated letters), written
    straight from the headers instead of through a ``Message`` tree and the
    generator: every header line still comes from the email package (the
    policy's ``fold_binary``, the same call the generator makes), and the MIME
    framing around them — part headers, boundary lines — is constant text that
    holds no contact data. The tree and the generator's dispatch were half the
    build time of a letter, in the process that builds every letter of a batch.

    The bytes come back as :class:`~greeter.transport.CleanLetter` (they go into
    SMTP DATA as they are) when the header lines are clean (:func:`~greeter.transport.is_clean`):
    everything else is constant CRLF-terminated framing, the boundary (``=_g`` and hex
    digits) and body lines — base64, or 7bit text whose line breaks :func:`_part` made
    CRLF and whose lines starting with a dot it reports — so the headers and that one
    ``b"\n."`` search decide for the whole letter. Scanning those ~1 KB rather than the
    whole ~6.5 KB letter saved a build worker ~90 K instructions a letter.

    Each part is 7bit when its text allows (ASCII, lines of at most 998 octets: an English
    letter), else base64 (:func:`_part`).
    """
    headers = _headers(
        rendered,
        to_email=to_email,
        to_name=to_name,
        sender=sender,
        message_id=message_id,
        date=date,
        unsubscribe_mailto=unsubscribe_mailto,
        unsubscribe_url=unsubscribe_url,
        extra_headers=extra_headers,
    )
    fold = POLICY.fold_binary
    top = b"".join(
        [_folded(name, value) if type(value) is str else fold(name, value) for name, value in headers]
    )
    if rendered.html is None:
        part, text, dotted = _part(flowed(rendered.text), b"", False)
        return _as_sent(top, part + top + b"\r\n" + text, dotted)
    boundary = _boundary(message_id).encode("ascii")
    part, text, dotted = _part(flowed(rendered.text), boundary, False)
    html_part, html, html_dotted = _part(ascii_punctuation(rendered.html), boundary, True)
    return _as_sent(top, b"".join((
        b'Content-Type: multipart/alternative; boundary="', boundary, b'"\r\nMIME-Version: 1.0\r\n',
        top, b"\r\n--", boundary, b"\r\n", part, b"\r\n", text,
        b"\r\n--", boundary, b"\r\n", html_part, b"\r\n", html,
        b"\r\n--", boundary, b"--\r\n",
    )), dotted or html_dotted)  # fmt: skip


def _as_sent(top: bytes, data: bytes, dotted: bool = False) -> bytes:
    """``data``, a letter :func:`build_message` wrote around the header lines ``top``: as
    :class:`~greeter.transport.CleanLetter` when ``top`` is clean and no body line starts
    with a dot (``dotted``), for then so is ``data``.

    ``top`` is whole CRLF-terminated lines and stands between the constant framing's
    CRLFs, so no line of ``data`` starts inside it but its own; one that is not clean
    (never, with validated values) leaves ``data`` plain bytes, scanned where it is sent.
    A 7bit body (:func:`_part`) is CRLF-only by construction but is the letter's own text:
    a line of it starting with "." leaves the letter plain bytes too, and the sending side
    dot-stuffs it (:func:`greeter.smtp_transport.dot_stuffed`).
    """
    return CleanLetter(data) if not dotted and is_clean(top) else data


#: The headers compat32 writes for a text part (``MIMENonMultipart`` + C-T-E), in its order; the
#: plain part's text is format=flowed (:func:`flowed`).
_HTML_HEADERS = (
    b'Content-Type: text/html; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n'
)
_PLAIN_HEADERS = _HTML_HEADERS.replace(
    b'text/html; charset="utf-8"', b'text/plain; charset="utf-8"; format=flowed'
)
_PLAIN_7BIT_HEADERS = _PLAIN_HEADERS.replace(b"base64", b"7bit")
_HTML_7BIT_HEADERS = _HTML_HEADERS.replace(b"base64", b"7bit")
#: RFC 5322 §2.1.1 / RFC 2045 §2.7: a 7bit line holds at most 998 octets before its CRLF.
MAX_7BIT_LINE: Final = 998
#: A line longer than :data:`MAX_7BIT_LINE` after a line break (the engine jumps from one LF to the next).
_LONG_LINE: Final = re.compile(rb"\n[^\n]{%d}" % (MAX_7BIT_LINE + 1))
#: Any run of more than :data:`MAX_7BIT_LINE` bytes covers a whole aligned block of this many.
_BLOCK: Final = (MAX_7BIT_LINE + 1) // 2


def _has_long_line(data: bytes) -> bool:
    """Whether a line of ``data`` (LF line breaks) is longer than :data:`MAX_7BIT_LINE` octets.

    Every aligned block of :data:`_BLOCK` bytes holding an LF (a ``memchr`` each: a few for an
    HTML part) leaves no run of 997 bytes without one, so no line too long; only a block with
    none is looked at line by line (:data:`_LONG_LINE`). The regex alone costs a build ~25 K
    instructions an HTML part (``[^\n]{999}`` tried from every byte, 200 K); splitting into
    lines, a bytes object a line.
    """
    find = data.find
    for start in range(0, len(data) - _BLOCK + 1, _BLOCK):
        if find(b"\n", start, start + _BLOCK) < 0:
            return _LONG_LINE.search(b"\n" + data) is not None
    return False


#: A character of an HTML part that is neither ASCII nor typographic punctuation (dashes, quotes,
#: the ellipsis, the middle dot, the no-break and thin spaces): a letter of the text's own language.
_NOT_PUNCTUATION: Final = re.compile("[^\x00-\x7f\u00a0\u00ab\u00b7\u00bb\u2009\u2010-\u2027\u202f]")


def ascii_punctuation(html: str) -> str:
    """``html`` with the no-break space written ``&nbsp;``, and, when typographic punctuation is
    all that is not ASCII in it, that too as character references (``&#8212;``): then ASCII.

    Why: a part goes out 7bit only when it is ASCII (:func:`_part`), else base64, which spam
    filters score against text that needed no encoding (rspamd ``MIME_BASE64_TEXT``). An English
    letter's HTML held a single non-ASCII character, the no-break space the renderer puts into a
    company name (:func:`~greeter.company_names.held_together`: «Romashka LLC» on one line), and
    a merged one the dash of its subject in ``<title>`` and the heading. A reference is the same
    character wherever the layout prints text (content, attribute values, ``<title>``). A letter
    of another script (Cyrillic, «ő», «ü») keeps its letters literal — as references they would
    be three to seven times the bytes and unreadable as source — so only its no-break spaces
    change. Done here, on the way out, not in the rendered letter: the preview, the gallery and
    the journal keep the characters. ``isascii`` is constant time and the search stops at the
    first letter of the language, so a Cyrillic part costs one ``replace`` scan.
    """
    if html.isascii():
        return html
    if "\u00a0" in html:
        html = html.replace("\u00a0", "&nbsp;")
        if html.isascii():
            return html
    if _NOT_PUNCTUATION.search(html) is None:
        return html.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return html


#: RFC 5322 §2.1.1: a line SHOULD be at most 78 characters.
FLOWED_WIDTH: Final = 78


def flowed(text: str) -> str:
    """``text`` as a format=flowed text part (RFC 3676, DelSp=no): every line longer than
    :data:`FLOWED_WIDTH` broken after a space, which stays at the end of the line (a soft break).

    Why flowed and not plain hard wrapping: the text part's paragraphs are single lines of several
    hundred characters, past RFC 5322's 78, which some clients and filters show or read as a wall;
    cut at 78 with hard breaks, a phone's narrower screen wraps each short line again (ragged
    text) and a reply quotes them broken. A flowed reader (Apple Mail, Thunderbird, mutt…)
    joins the soft-broken lines back into its paragraph and wraps it to its window; any other
    shows 78-character lines. Nothing is cut inside a word, so a URL stays whole: one longer than
    the line stands on a line of its own (at most :data:`MAX_7BIT_LINE`, as before), and the
    unsubscribe line reads the same once joined. As §4.2 asks, a hard line loses its trailing
    spaces (else it would read as soft; the renderer's text has none: ``tidy_text``) but the
    signature separator «-- », and a line starting with a space, «>» or «From » gets one more
    space in front (§4.4 stuffing), which the reader takes off. A short line is left as it is,
    so an ordinary letter's lines cost one length check each. Text holding a CR is left as it is.
    """
    if "\r" in text:  # never the renderer's (tidy_text); a bare CR keeps the part base64 (_part)
        return text
    out = []
    for line in text.split("\n"):
        if line != "-- ":
            line = line.rstrip(" ")
        while len(line) > FLOWED_WIDTH:
            cut = line.rfind(" ", 1, FLOWED_WIDTH)  # line[: cut + 1], its space last, is 78 at most
            if cut < 0:
                cut = line.find(" ", FLOWED_WIDTH)  # a word longer than the line (a URL): whole
                if cut < 0:
                    break
            out.append(_stuffed(line[: cut + 1]))
            line = line[cut + 1 :]
        out.append(_stuffed(line))
    return "\n".join(out)


def _stuffed(line: str) -> str:
    """``line`` space-stuffed where a flowed reader would misread its start (RFC 3676 §4.4)."""
    return " " + line if line.startswith((" ", ">", "From ")) else line


def _part(text: str, boundary: bytes, html: bool) -> tuple[bytes, bytes, bool]:
    """``text`` as a part: its headers (text/html if ``html``) and body, 7bit when it can be, else
    base64 (:func:`_base64_body`), and whether a line of the body starts with "." (only a 7bit
    one can: the letter then needs dot-stuffing). A tuple, not a dataclass: two parts a letter.

    7bit (RFC 2045 §2.7) when the text is ASCII, has no NUL and no CR outside a line
    break, no line longer than 998 octets, and does not hold the multipart ``boundary``
    (RFC 2046 §5.1.1: the delimiter must not occur inside a part; ``b""`` for a letter of
    one part). An English letter then goes out readable, as every mail client writes one:
    rspamd scores a base64 body that needs no encoding as spam-like
    (``MIME_BASE64_TEXT_BOGUS``). Anything else stays base64, not quoted-printable, which
    would triple a Cyrillic letter. Line breaks are CRLF (RFC 2045 §6.8's canonical form, as
    the base64 path encodes), and the body ends in one, so a letter of one part ends in CRLF.
    """
    if text.isascii() and "\0" not in text:  # on the str: a Cyrillic letter is not encoded twice
        data = text.encode("ascii")
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        if b"\r" not in data and not _has_long_line(data) and (not boundary or boundary not in data):
            if data and not data.endswith(b"\n"):
                data += b"\n"
            dotted = data.startswith(b".") or b"\n." in data
            return _HTML_7BIT_HEADERS if html else _PLAIN_7BIT_HEADERS, data.replace(b"\n", b"\r\n"), dotted
    return _HTML_HEADERS if html else _PLAIN_HEADERS, _base64_body(text), False


def _base64_body(text: str) -> bytes:
    """``text`` as UTF-8 base64 in CRLF-terminated lines of 76 characters, its own lines ending in CRLF.

    RFC 2045 §6.8: a text part is encoded from its canonical form, with CRLF
    line breaks (``MIMEText`` encodes the bare LF Python's text has, and a
    reader that decodes it as RFC 2046 §4.1.1 says sees no line breaks at all).
    The line breaks are made CRLF in the UTF-8 bytes rather than in the text: UTF-8 writes a CR
    or LF as that one byte and never has those bytes inside a longer character, so the result
    is the same, and the bytes of a mostly ASCII HTML part are half the text's two-byte
    characters (a Cyrillic letter's str): ~22 K fewer instructions a letter.

    The lines are cut by one ``struct.unpack`` ("76s76s…", the last line's length
    last) rather than a Python loop slicing 76 bytes at a time: an HTML part is
    a hundred lines, and the loop was a third of a letter's build bytecode.
    """
    data = text.encode("utf-8")
    if b"\r" in data:  # already CRLF somewhere: one form first, so no line ends in CR CR LF
        data = data.replace(b"\r\n", b"\n")
    encoded = binascii.b2a_base64(data.replace(b"\n", b"\r\n"), newline=False)
    if not encoded:
        return b""
    rows, rest = divmod(len(encoded), 76)
    lines = struct.unpack("76s" * rows + (f"{rest}s" if rest else ""), encoded)
    return b"\r\n".join(lines) + b"\r\n"


def _boundary(message_id: str) -> str:
    # "=_" cannot occur in base64 bodies, so no collision scan (and no regex compiled per
    # message, as compat32 does for the random boundaries it invents). Short enough that
    # Content-Type stays on one line (the policy's fast path).
    return "=_g" + hashlib.sha256(message_id.encode()).hexdigest()[:20]


def _headers(
    rendered: Rendered,
    *,
    to_email: str,
    to_name: str,
    sender: Sender,
    message_id: str,
    date: datetime,
    unsubscribe_mailto: str | None,
    unsubscribe_url: str | None,
    extra_headers: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """The letter's own headers, validated, in the order they are written (see :func:`build_message`)."""
    subject = validate_header_value("Subject", rendered.subject.strip())
    if not subject:
        raise UnsafeHeaderError("Subject", rendered.subject, "empty subject")
    to_header = _address_header("To", to_name.strip(), to_email)
    name = sender_name(sender, rendered.locale)  # "Romashka LLC" on an English letter
    from_header = _address_header("From", name.strip(), sender.email)
    reply_to = _reply_to(sender.reply_to) if sender.reply_to else None
    validate_header_value("Message-ID", message_id)
    if len(message_id) > 250 or _MESSAGE_ID.fullmatch(message_id) is None:
        raise UnsafeHeaderError("Message-ID", message_id, "not of the form <id@domain>")
    if date.tzinfo is None:
        raise ValueError("the Date header needs an aware datetime")
    # Without unsubscribe.mailto the link goes where replies go: every letter carries
    # List-Unsubscribe (RFC 2369), which Gmail's and Yahoo's bulk-sender rules ask for.
    unsubscribe = _list_unsubscribe(unsubscribe_mailto or sender.reply_address, unsubscribe_url)
    headers = [
        ("From", from_header),
        ("To", to_header),
        ("Subject", _text_header("Subject", subject)),
        ("Date", _date_header(date)),
        ("Message-ID", message_id),
    ]
    language = content_language(rendered.locale)
    if language:
        headers.append(("Content-Language", language))
    if reply_to:
        headers.append(("Reply-To", reply_to))
    if unsubscribe:
        headers.append(("List-Unsubscribe", unsubscribe))
        if unsubscribe_url:
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    headers.extend(AUTOMATIC)
    if extra_headers:
        headers.extend(_extra_headers(tuple(extra_headers.items())))
    return headers


#: A locale as greeter writes it (``ru``, ``sr_Latn``, ``en_GB``): what a language tag can be made of.
_LOCALE: Final = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")


@lru_cache(maxsize=64)
def content_language(locale: str) -> str:
    """The letter's language as RFC 3282's ``Content-Language`` writes it (a BCP 47 tag: ``sr-Latn``,
    ``en-GB``); "" for a locale that is no such tag (the header is then left out).

    The HTML part says its language on ``<html lang>``, but webmail (Gmail, Outlook.com) drops
    that element, and a screen reader or a translate offer then guesses; the header survives.
    """
    return locale.replace("_", "-") if _LOCALE.fullmatch(locale) else ""


#: The From name of a sender in a letter's locale, by the sender's identity: (id, locale) →
#: (sender, name). ``Sender.in_locale`` walks ``by_locale`` (an import, a tuple of its keys, a
#: cached look-up) for the same answer on every letter of a batch. The sender is a frozen
#: model, and the entry holds it, so an id is never reused for another one while its entry
#: lives; a reloaded config is a new sender and new entries.
_SENDER_NAMES: dict[tuple[int, str | None], tuple[Sender, str]] = {}
_MAX_SENDER_NAMES = 64


def sender_name(sender: Sender, locale: str | None) -> str:
    """``sender.in_locale(locale)``'s name, once per sender and locale: the From header's, and the
    review envelope's (:meth:`greeter.review.Envelope.of`, which every letter of a send makes)."""
    key = (id(sender), locale)
    known = _SENDER_NAMES.get(key)
    if known is not None and known[0] is sender:
        return known[1]
    if len(_SENDER_NAMES) >= _MAX_SENDER_NAMES:
        _SENDER_NAMES.clear()
    name = sender.in_locale(locale)[0]
    _SENDER_NAMES[key] = (sender, name)
    return name


#: The letter's headers, validated, without its body: what ``greeter check`` builds for every letter
#: it renders (:func:`greeter.check_render.header_problem`), so that a letter ``send`` would hold
#: (a subject the template made unsafe) is check's problem too, for a fraction of a build's cost.
letter_headers = _headers


#: Every letter is machine-sent mail: ``Auto-Submitted`` (RFC 3834 §5) tells a
#: responder not to answer it, and Exchange/Outlook, which ignore that, read
#: ``X-Auto-Response-Suppress``. Without them each client on holiday sends the
#: Reply-To manager an out-of-office reply to a batch mailed on 29 December.
AUTOMATIC: tuple[tuple[str, str], ...] = (
    ("Auto-Submitted", "auto-generated"),
    ("X-Auto-Response-Suppress", "OOF, AutoReply"),
)


@lru_cache(maxsize=16)  # the config's delivery.headers: the same in every letter, checked once
def _extra_headers(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, _EncodedWords | str], ...]:
    """``delivery.headers`` as (name, value) pairs to fold, checked again here.

    The config's loader refuses bad ones with the setting's line
    (:func:`greeter.config.extra_header_problem`); the same rule here keeps
    this module the one place that guarantees no header carries a line break,
    whoever calls it. Values are written as the Subject is (:func:`_text_header`):
    plain ASCII as it is, anything else as RFC 2047 encoded-words.
    """
    out: list[tuple[str, _EncodedWords | str]] = []
    for name, raw in pairs:
        value = raw.strip()
        problem = extra_header_problem(name, value)
        if problem is not None:
            raise UnsafeHeaderError(name, value, problem)
        out.append((name, _text_header(name, value)))
    return tuple(out)
