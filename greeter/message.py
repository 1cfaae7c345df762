"""Turn a rendered letter into the exact RFC 5322 bytes handed to the transport.

Why compat32 and not the modern ``EmailMessage`` policy: building is on the
hot path of every send, and ``bench/bench_message_build.py`` measures the
``MIMEMultipart``/``MIMEText``/``Header`` path 5-7x faster than
``EmailMessage`` + ``as_bytes(policy=SMTP)`` (DESIGN.md §7 saw 4x). Three
shortcuts make greeter's builder another ~1.6x faster than plain compat32:
short plain headers are written directly, bodies use the C base64 encoder,
and the multipart boundary is fixed instead of invented and scanned for —
the tests check the bytes are otherwise identical to compat32's.

The price is that compat32 does not guard header values: it raises on ASCII
CR/LF only sometimes and silently wraps them inside non-ASCII encoded-words.
So this module owns header safety: :func:`validate_header_value` refuses every
control and line-break character in every value that reaches a header
(display names, addresses, subject, message id, unsubscribe links) *before*
anything is built, and headers are always produced by the email package
(``Header``, ``formataddr``), never by string concatenation.

Values that look like RFC 2047 encoded-words (``=?utf-8?q?...?=``) in contact
data are always re-encoded, so a reader shows them literally instead of
decoding an attacker's CR/LF.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING, cast

from greeter.config import Sender
from greeter.errors import GreeterError
from greeter.journal_store import JournalKey
from greeter.plan_types import Rendered

#: C0 controls (incl. TAB, CR, LF, NUL), DEL, C1 controls (incl. NEL U+0085),
#: the Unicode line/paragraph separators and lone surrogates: none of them has
#: a place in a header, and each can split or smuggle a header somewhere.
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
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


class _FastCompat32(_Compat32):
    """compat32 with a shortcut for the common header: short, plain ASCII, already validated.

    Profiling showed most of the build time in compat32 wrapping *every*
    header value in ``Header(...).encode()``, even ``MIME-Version: 1.0``. For
    a value that needs no folding or encoding the result is the same text, so
    it is written directly (``tests/test_message.py`` checks the bytes are
    identical to plain compat32's); anything else takes the normal path.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        if (
            type(value) is str
            and len(name) + len(value) <= 76
            and value.isascii()
            and _FORBIDDEN.search(value) is None
            and "=?" not in value
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


#: CRLF line endings on the wire and in .eml files (RFC 5322 canonical form);
#: lines folded at 78 so every header line stays far below the 998-octet limit.
POLICY = _FastCompat32(linesep="\r\n", max_line_length=78)


class UnsafeHeaderError(GreeterError, ValueError):
    """A value meant for a header would break (or inject) headers; nothing was built."""

    def __init__(self, field: str, value: str, problem: str) -> None:
        self.field = field
        self.value = value
        shown = value if len(value) <= 60 else value[:57] + "..."
        super().__init__(f"{field}: {problem} in {shown!r}")


def validate_header_value(field: str, value: str) -> str:
    """Return ``value`` unchanged if it is safe in a header, else raise :class:`UnsafeHeaderError`.

    ``field`` only names the value in the error (e.g. ``"To display name"``).
    """
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


def make_message_id(key: JournalKey, domain: str) -> str:
    """A Message-ID that depends only on the journal key.

    A resend of the same greeting therefore carries the same id, so a server
    or a test sink can recognise a duplicate; hashing keeps contact ids (CRM
    data) out of headers that every relay logs.
    """
    if _DOMAIN.fullmatch(domain) is None:
        raise UnsafeHeaderError("Message-ID domain", domain, "not a plain domain name")
    contact_id, occasion, day = key
    digest = hashlib.sha256(f"{contact_id}\x1f{occasion}\x1f{day.isoformat()}".encode()).hexdigest()
    return f"<greeter.{digest[:32]}@{domain}>"


def _needs_encoding(value: str) -> bool:
    """Whether compat32 must emit ``value`` as encoded-words rather than plain folded text."""
    if not value.isascii() or "=?" in value:
        return True
    return any(len(word) > _MAX_PLAIN_WORD for word in value.split())


def _text_header(name: str, value: str) -> Header | str:
    if _needs_encoding(value):
        return Header(value, "utf-8", header_name=name)
    return value


def _address_header(name: str, display: str, address: str) -> Header | str:
    validate_header_value(f"{name} display name", display)
    validate_address(f"{name} address", address)
    if not display:
        return address
    if not _needs_encoding(display):
        return formataddr((display, address))  # quotes specials such as "," and '"'
    header = Header(header_name=name)
    header.append(display, "utf-8")
    header.append(f"<{address}>", "us-ascii")
    return header


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    """A UTF-8, base64 text part — what ``MIMEText(text, subtype, "utf-8")`` makes, but with
    the C ``base64.encodebytes`` instead of the email package's per-line Python loop."""
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(base64.encodebytes(text.encode("utf-8")).decode("ascii"))
    return part


def _list_unsubscribe(mailto: str | None, url: str | None) -> str | None:
    links: list[str] = []
    if mailto:
        validate_header_value("List-Unsubscribe mailto", mailto)
        if mailto.startswith("mailto:"):
            if len(mailto) > 900 or _MAILTO.fullmatch(mailto) is None:
                raise UnsafeHeaderError("List-Unsubscribe mailto", mailto, "not a plain mailto: URI")
            links.append(f"<{mailto}>")
        else:
            validate_address("List-Unsubscribe mailto", mailto)
            links.append(f"<mailto:{mailto}?subject=unsubscribe>")
    if url:
        validate_header_value("List-Unsubscribe URL", url)
        if len(url) > 900 or _URL.fullmatch(url) is None:
            raise UnsafeHeaderError("List-Unsubscribe URL", url, "not a plain https:// URL")
        links.append(f"<{url}>")
    return ", ".join(links) if links else None


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
) -> bytes:
    """The message's bytes, CRLF line endings, ready for SMTP DATA or an ``.eml`` file.

    See :func:`build_mime` for what is in it and what is refused.
    """
    mime = build_mime(
        rendered,
        to_email=to_email,
        to_name=to_name,
        sender=sender,
        message_id=message_id,
        date=date,
        unsubscribe_mailto=unsubscribe_mailto,
        unsubscribe_url=unsubscribe_url,
    )
    return mime.as_bytes(policy=POLICY)


def build_mime(
    rendered: Rendered,
    *,
    to_email: str,
    to_name: str,
    sender: Sender,
    message_id: str,
    date: datetime,
    unsubscribe_mailto: str | None = None,
    unsubscribe_url: str | None = None,
) -> Message[str, Header | str]:
    """The complete message: ``multipart/alternative`` (text + HTML) or a single text part.

    Every header value is validated first (raising :class:`UnsafeHeaderError`),
    so a letter is either built with exactly the intended headers or not at
    all. Surrounding whitespace of the subject is dropped (templates often end
    the subject block with a newline); anything inside it must be clean.
    ``List-Unsubscribe-Post`` (RFC 8058 one-click) is added only with an
    HTTPS URL, because a mailto link cannot be "posted".
    """
    subject = validate_header_value("Subject", rendered.subject.strip())
    if not subject:
        raise UnsafeHeaderError("Subject", rendered.subject, "empty subject")
    to_header = _address_header("To", to_name.strip(), to_email)
    from_header = _address_header("From", sender.name.strip(), sender.email)
    reply_to = validate_address("Reply-To", sender.reply_to) if sender.reply_to else None
    validate_header_value("Message-ID", message_id)
    if len(message_id) > 250 or _MESSAGE_ID.fullmatch(message_id) is None:
        raise UnsafeHeaderError("Message-ID", message_id, "not of the form <id@domain>")
    if date.tzinfo is None:
        raise ValueError("the Date header needs an aware datetime")
    unsubscribe = _list_unsubscribe(unsubscribe_mailto, unsubscribe_url)

    text_part = _text_part(rendered.text, "plain")
    body = (
        text_part
        if rendered.html is None
        else MIMEMultipart(
            "alternative",
            # "=_" cannot occur in base64 bodies, so no collision scan (and no regex
            # compiled per message, as compat32 does for the random boundaries it invents).
            boundary="=_greeter_" + hashlib.sha256(message_id.encode()).hexdigest()[:24],
            _subparts=[text_part, _text_part(rendered.html, "html")],
        )
    )
    # The stubs only allow str header values; compat32 takes Header objects too.
    msg = cast("Message[str, Header | str]", body)
    msg["From"] = from_header
    msg["To"] = to_header
    msg["Subject"] = _text_header("Subject", subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if reply_to:
        msg["Reply-To"] = reply_to
    if unsubscribe:
        msg["List-Unsubscribe"] = unsubscribe
        if unsubscribe_url:
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return msg
