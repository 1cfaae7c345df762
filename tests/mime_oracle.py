"""The reference :func:`greeter.message.build_message` is tested against: the email package's tree.

``build_message`` writes a letter's bytes directly (the hot path of every
send); this module builds the same letter the plain way — compat32
``MIMEMultipart``/``MIMENonMultipart`` parts, headers set on the tree, bytes from
the stock generator — so ``tests/test_message.py`` can check the two are
byte-identical. It lives in the tests because nothing else builds letters
this way.
"""

from __future__ import annotations

import base64
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from typing import cast

from greeter.config import Sender
from greeter.message import _boundary, _headers, ascii_punctuation, flowed
from greeter.plan_types import Rendered


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    """A UTF-8, base64 text part — what ``MIMEText(text, subtype, "utf-8")`` makes, but with
    one C ``base64.b64encode`` instead of the email package's per-line Python loop, and
    encoded from the text's canonical CRLF form (RFC 2045 §6.8), which ``MIMEText`` skips."""
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    if subtype == "plain":  # its text is format=flowed (greeter.message.flowed); in place, not moved last
        part.replace_header("Content-Type", f"{part['Content-Type']}; format=flowed")
    part["Content-Transfer-Encoding"] = "base64"
    canonical = text.replace("\r\n", "\n").replace("\n", "\r\n")
    encoded = base64.b64encode(canonical.encode("utf-8")).decode("ascii")
    # encodebytes' lines (76 characters, each ending in a newline), cut from one encoding
    # instead of one call per 57-byte chunk.
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    part.set_payload("\n".join(lines) + "\n" if lines else "")
    return part


def _fits_7bit(canonical: str, boundary: str) -> bool:
    """RFC 2045 §2.7 7bit data, judged line by line: ASCII, no NUL, CR and LF only as CRLF, lines of
    at most 998 octets, and no multipart delimiter inside (RFC 2046 §5.1.1)."""
    lines = canonical.split("\r\n")
    return (
        canonical.isascii()
        and "\0" not in canonical
        and not any("\r" in line or "\n" in line or len(line) > 998 for line in lines)
        and (not boundary or boundary not in canonical)
    )


def _chosen_part(text: str, subtype: str, boundary: str) -> MIMENonMultipart:
    """The part as a mail client writes it: 7bit when the text is 7bit data (ending in a line
    break), else base64 (:func:`_text_part`)."""
    canonical = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if not _fits_7bit(canonical, boundary):
        return _text_part(text, subtype)
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    if subtype == "plain":  # its text is format=flowed (greeter.message.flowed); in place, not moved last
        part.replace_header("Content-Type", f"{part['Content-Type']}; format=flowed")
    part["Content-Transfer-Encoding"] = "7bit"
    part.set_payload(canonical if not canonical or canonical.endswith("\r\n") else canonical + "\r\n")
    return part


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
    """The letter :func:`~greeter.message.build_message` writes, as an email package tree.

    The same validated headers (``_headers``) and boundary; the parts and the
    framing are the email package's own.
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
    )
    if rendered.html is None:
        body: Message[str, str] = _chosen_part(flowed(rendered.text), "plain", "")
    else:
        boundary = _boundary(message_id)
        body = MIMEMultipart(
            "alternative",
            boundary=boundary,
            _subparts=[
                _chosen_part(flowed(rendered.text), "plain", boundary),
                _chosen_part(ascii_punctuation(rendered.html), "html", boundary),
            ],
        )
    # The stubs only allow str header values; compat32 takes Header objects too.
    msg = cast("Message[str, Header | str]", body)
    for name, value in headers:
        msg[name] = value
    return msg


def unflowed(text: str) -> str:
    """``text`` as a format=flowed reader shows it (RFC 3676 §4.2, DelSp=no): stuffing off, a line
    ending in a space joined to the next."""
    lines = [line[1:] if line.startswith(" ") else line for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith(" ") and out[-1] != "-- ":
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)
