"""The per-reply timeout of a pooled SMTP connection: one timer a connection, not one a reply.

Split out of :mod:`greeter.smtp_transport` (each of whose connections has one)
so that each module stays small enough to read; it knows nothing of SMTP but
the client whose transport it hangs up.
"""

from __future__ import annotations

import asyncio

import aiosmtplib


class Watchdog:
    """Hangs up a connection whose awaited reply is overdue: a per-reply timeout without timer churn.

    Each command's reply gets ``timeout_seconds``. Moving the deadline after a
    reply is a float store; the connection's one timer wakes at the deadline
    it was set for, finds the newer one and sleeps again. (A timer per reply —
    ``asyncio.wait_for`` or ``asyncio.timeout`` — costs a heap push and a
    cancel every time: ~20 µs a letter of the event loop's thread.) Hanging up
    makes the awaited reply fail as a lost connection; ``fired`` tells the
    transaction it was a timeout.
    """

    def __init__(self) -> None:
        self.fired = False
        self._deadline: float | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._client: aiosmtplib.SMTP | None = None

    def expect(self, client: aiosmtplib.SMTP, seconds: float) -> None:
        """A command is out on ``client``: its reply is due within ``seconds`` from now."""
        loop = asyncio.get_running_loop()
        self._client = client
        self._deadline = loop.time() + seconds
        if self._handle is None:
            self._handle = loop.call_at(self._deadline, self._check, loop)

    def idle(self) -> None:
        """No reply is awaited (the timer, if any, lapses when it next wakes)."""
        self._deadline = None
        self._client = None

    def stop(self) -> None:
        self.idle()
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _check(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handle = None
        if self._deadline is None:
            return
        if loop.time() < self._deadline:
            self._handle = loop.call_at(self._deadline, self._check, loop)
            return
        client, self.fired = self._client, True
        self.idle()
        transport = client.protocol.transport if client is not None and client.protocol else None
        if isinstance(transport, asyncio.WriteTransport):  # TCP or TLS: both can be cut at once
            transport.abort()
