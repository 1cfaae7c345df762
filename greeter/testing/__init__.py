"""Test doubles greeter ships, so its own tests and a deployment's tests use the same ones.

* :class:`RecordingTransport` — an in-memory transport with scripted answers.
* :class:`SmtpSink` — a real SMTP server (aiosmtpd, in a thread, on an
  ephemeral loopback port) that records messages and injects the faults a
  real mail server produces: 4xx/5xx for chosen recipients or the next N
  messages, a provider's quota (:meth:`~SmtpSink.refuse_after`: a reply to every
  letter after the first N accepted), a slow reply, or a connection dropped after
  DATA's final dot; each message carries the moment it arrived (``received_at``).
* :class:`FakeClock` — a :class:`~greeter.ratelimit.Clock` whose ``sleep``
  advances time instantly, for exact rate-limit tests without real waiting.
* :class:`PostfixSink` — Postfix's ``smtp-sink`` (a real MTA's test server) as
  a subprocess with its own fault options (``-r -f -Q -q -A -M``) and a dump
  directory, read back as :class:`DumpedMessage` (Message-ID, complete, refused).
* :class:`FaultProxy` — an SMTP-aware loopback proxy in a thread that adds
  latency, sends a seeded-random share of transactions to other (faulty)
  servers, or cuts the connection mid-DATA or right after DATA's final dot.
* :class:`SilentServer` — a raw SMTP server that accepts connections and then
  stops answering at a chosen point (before the banner, after EHLO or AUTH,
  after DATA's final dot), keeping every connection open: a hung mail server.
* :class:`TcpRelay` — a plain TCP relay to another port that :meth:`~TcpRelay.stop`
  cuts: a database (or any server) going away without touching the real one.

``aiosmtpd`` is a test dependency; it is imported only when a sink starts.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from email.message import EmailMessage

from greeter.journal_store import JournalKey
from greeter.ratelimit import RateLimiter
from greeter.reply_classes import classify_reply
from greeter.testing._base import Served, free_port, parse
from greeter.testing.faults import (
    CutMode,
    EventKind,
    FaultProxy,
    ProxyEvent,
    ProxyPlan,
    Route,
    SilentAt,
    SilentServer,
    TcpRelay,
    _ThreadedServer,
)
from greeter.testing.postfix import SMTP_SINK, DumpedMessage, PostfixSink
from greeter.testing.smtp_sink import ReceivedMessage, SmtpSink
from greeter.transport import OnReady, Outcome, Outgoing, SendResult, send_many


class FakeClock:
    """Monotonic time that only moves when someone sleeps (or :meth:`advance` is called)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingTransport:
    """Keeps every message it is given; answers OK unless told otherwise."""

    def __init__(self) -> None:
        self.attempts: list[Outgoing] = []
        self.delivered: list[Outgoing] = []
        self.closed = False
        self._by_rcpt: dict[str, tuple[int | None, str, Outcome | None]] = {}
        self._next: deque[tuple[int | None, str, Outcome | None]] = deque()

    def answer(self, rcpt: str, code: int | None, text: str = "", outcome: Outcome | None = None) -> None:
        """Answer ``code text`` for this recipient from now on (``outcome`` overrides, e.g. UNCERTAIN)."""
        self._by_rcpt[rcpt.lower()] = (code, text, outcome)

    def answer_next(self, n: int, code: int | None, text: str = "", outcome: Outcome | None = None) -> None:
        """Answer ``code text`` for the next ``n`` messages, whoever they are for."""
        self._next.extend([(code, text, outcome)] * n)

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        if ready is not None and not await ready():
            return None
        item = Outgoing(key, envelope_from, rcpt, data)
        self.attempts.append(item)
        scripted = self._next.popleft() if self._next else self._by_rcpt.get(rcpt.lower())
        if scripted is None:
            self.delivered.append(item)
            return SendResult(key, Outcome.OK, 250, "2.0.0 OK recorded")
        code, text, outcome = scripted
        if outcome is not None:
            result = SendResult(key, outcome, code, text)
        else:
            assert code is not None, "give a code or an outcome"
            result = classify_reply(key, code, text)
        if result.ok:
            self.delivered.append(item)
        return result

    def send_many(
        self, items: Iterable[Outgoing] | AsyncIterable[Outgoing], *, limiter: RateLimiter | None = None
    ) -> AsyncIterator[SendResult]:
        return send_many(self, items, concurrency=1, limiter=limiter)

    async def close(self) -> None:
        self.closed = True

    def messages(self) -> list[EmailMessage]:
        return [parse(item.data) for item in self.delivered]


__all__ = [
    "SMTP_SINK",
    "CutMode",
    "DumpedMessage",
    "EventKind",
    "FakeClock",
    "FaultProxy",
    "PostfixSink",
    "ProxyEvent",
    "ProxyPlan",
    "ReceivedMessage",
    "RecordingTransport",
    "Route",
    "Served",
    "SilentAt",
    "SilentServer",
    "SmtpSink",
    "TcpRelay",
    "_ThreadedServer",
    "free_port",
    "parse",
]
