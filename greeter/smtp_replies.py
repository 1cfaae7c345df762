"""Replies to pipelined SMTP commands (RFC 2920), read on a connection aiosmtplib opened.

Why: with PIPELINING a client writes MAIL FROM, RCPT TO and DATA at once and
reads the three replies after — one round trip and one socket write instead
of three of each, per letter. On a real network that is most of a letter's
time (a relay 20 ms away: 80 ms a letter in lockstep, 40 ms pipelined); on
loopback it is the sending process's CPU. aiosmtplib cannot do it: its
protocol reads one reply per command and drops whatever arrives while no
command waits for it.

So for the length of one transaction :class:`ReplyReader` takes the
connection's transport over (``transport.set_protocol``), keeps every byte
and hands the replies out in order; then the transport goes back to
aiosmtplib's protocol, which does everything else (greeting, EHLO, STARTTLS,
AUTH, RSET, QUIT) as before. A connection lost while the reader holds it is
passed on to aiosmtplib's protocol, so the client knows it is closed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import cast

from aiosmtplib import SMTPResponseException, SMTPServerDisconnected
from aiosmtplib.protocol import SMTPProtocol
from aiosmtplib.response import SMTPResponse

#: RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; aiosmtplib accepts up to 8192.
MAX_LINE = 8192


class ReplyReader(asyncio.Protocol):
    """The protocol of one connection while a transaction is on it; see the module docstring.

    Made for an open connection (raises :class:`SMTPServerDisconnected` if it
    is not); :meth:`attach` before writing the first command, :meth:`detach`
    when the transaction is over, whatever happened.
    """

    def __init__(self, inner: SMTPProtocol) -> None:
        transport = inner.transport
        if transport is None or transport.is_closing():
            raise SMTPServerDisconnected("Connection lost")
        self._inner = inner
        self._transport = cast(asyncio.Transport, transport)
        self._buffer = bytearray()
        self._replies: deque[SMTPResponse] = deque()
        self._error: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None

    def attach(self) -> None:
        self._transport.set_protocol(self)

    def detach(self) -> None:
        if not self._transport.is_closing():
            self._transport.set_protocol(self._inner)

    def write(self, data: bytes) -> None:
        if self._error is not None or self._transport.is_closing():
            raise SMTPServerDisconnected("Connection lost")
        self._transport.write(data)

    def ready(self) -> SMTPResponse | None:
        """The next reply if it has come already (pipelined replies often come together), else None:
        no coroutine for it — ``ready() or await reply()``."""
        return self._replies.popleft() if self._replies else None

    async def reply(self) -> SMTPResponse:
        """The next reply, in the order the commands were written."""
        while not self._replies:
            if self._error is not None:
                raise self._error
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._replies.popleft()

    # ------------------------------------------------------------------ asyncio.Protocol

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            while (reply := parse_reply(self._buffer)) is not None:
                self._replies.append(reply)
        except SMTPResponseException as exc:
            self._error = exc
            self._transport.abort()  # out of step with the server: the connection is useless
        self._wake()

    def eof_received(self) -> bool:
        self._fail(SMTPServerDisconnected("Unexpected EOF received"))
        return False  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        lost = SMTPServerDisconnected("Connection lost")
        lost.__cause__ = exc
        self._fail(lost)
        self._inner.connection_lost(exc)  # aiosmtplib's client learns the connection is gone

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def _fail(self, exc: Exception) -> None:
        if self._error is None:
            self._error = exc
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def parse_reply(buffer: bytearray) -> SMTPResponse | None:
    """Take one complete (possibly multi-line) reply off the front of ``buffer``, or None yet.

    ``250-first`` lines continue a reply, ``250 last`` (or a bare ``250``)
    ends it; the text of its lines is joined with newlines, as aiosmtplib does.
    """
    end = buffer.find(b"\n")
    if 4 <= end < MAX_LINE and buffer[3] == 0x20 and buffer[:3].isdigit():
        # The common case, a one-line reply ("250 2.0.0 Ok"): three pipelined replies a letter.
        message = bytes(buffer[4:end]).strip(b" \t\r\n").decode("utf-8", "surrogateescape")
        code = int(buffer[:3])
        del buffer[: end + 1]
        return SMTPResponse(code, message)
    offset = 0
    lines: list[bytes] = []
    while True:
        end = buffer.find(b"\n", offset)
        if end == -1:
            if len(buffer) - offset > MAX_LINE:
                raise SMTPResponseException(-1, "Response too long")
            return None
        line = bytes(buffer[offset : end + 1])
        if len(line) > MAX_LINE:
            raise SMTPResponseException(-1, "Response too long")
        head = line[:3]
        if not head.isdigit():
            text = line.decode("utf-8", "replace").strip()
            raise SMTPResponseException(-1, f"Malformed SMTP response line: {text}")
        offset = end + 1
        lines.append(line[4:].strip(b" \t\r\n"))
        if line[3:4] != b"-":
            del buffer[:offset]
            message = b"\n".join(lines).decode("utf-8", "surrogateescape")
            return SMTPResponse(int(head), message)
