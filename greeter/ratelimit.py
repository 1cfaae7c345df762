"""Sending rate limits (per second, per minute, per day) with an injected clock.

Mail providers cap how fast and how much an account may send; going over
gets the account throttled or blocked, which costs far more than waiting.

* ``per_second`` and ``per_minute`` are token buckets holding one token: the
  letters are *paced* evenly (one every 1/rate seconds) instead of leaving in
  bursts at each window boundary, which is both gentler on the server and
  exact to within one letter over any window.
* ``per_day`` is a hard quota over any rolling 24 hours, so it is a sliding
  window log rather than a bucket (a full bucket would allow twice the quota
  in the first day); it can be seeded with the sends the journal already
  holds, so a restart does not hand out a fresh quota.

The clock is a parameter (:class:`Clock`): tests drive a fake one and never
sleep for real, and the arithmetic reads time only through it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterable
from typing import Protocol

from greeter.config import RateLimit

#: Waits shorter than this count as "now"; float rounding must not cause extra sleeps.
_EPSILON = 1e-9
DAY_SECONDS = 86_400.0


class Clock(Protocol):
    """Monotonic time in seconds and a way to wait."""

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: ``time.monotonic`` and ``asyncio.sleep``."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class TokenBucket:
    """``rate`` tokens per second, holding at most ``burst``; starts full."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._last: float | None = None  # set on first use: constructors do not read clocks

    def _refill(self, now: float) -> None:
        if self._last is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def wait_time(self, now: float) -> float:
        """Seconds until a token is available (0 if one is)."""
        self._refill(now)
        missing = 1.0 - self._tokens
        return 0.0 if missing <= _EPSILON else missing / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1.0

    def refund(self) -> None:
        self._tokens = min(self.burst, self._tokens + 1.0)


class SlidingWindow:
    """At most ``limit`` events in any ``window`` seconds (exact; memory grows with ``limit``)."""

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._events: deque[float] = deque()

    def _expire(self, now: float) -> None:
        while self._events and self._events[0] <= now - self.window:
            self._events.popleft()

    def wait_time(self, now: float) -> float:
        self._expire(now)
        if len(self._events) < self.limit:
            return 0.0
        return max(0.0, self._events[0] + self.window - now)

    def take(self, now: float) -> None:
        self._events.append(now)

    def refund(self) -> None:
        if self._events:
            self._events.pop()

    def record(self, moments: Iterable[float]) -> None:
        """Count past events (monotonic times, possibly before the clock's zero)."""
        self._events.extend(moments)
        self._events = deque(sorted(self._events))


class RateLimiter:
    """All configured limits together; :meth:`acquire` waits until every one allows a send.

    Waiters are served in arrival order (one lock), so a burst of concurrent
    senders is paced fairly instead of racing.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        per_second: float | None = None,
        per_minute: float | None = None,
        per_day: int | None = None,
    ) -> None:
        self._clock = clock
        self._buckets: list[TokenBucket | SlidingWindow] = []
        if per_second:
            self._buckets.append(TokenBucket(per_second))
        if per_minute:
            self._buckets.append(TokenBucket(per_minute / 60.0))
        self._day = SlidingWindow(per_day, DAY_SECONDS) if per_day else None
        if self._day is not None:
            self._buckets.append(self._day)
        self._lock = asyncio.Lock()

    @classmethod
    def from_config(cls, limits: RateLimit, clock: Clock) -> RateLimiter:
        return cls(clock, per_second=limits.per_second, per_minute=limits.per_minute, per_day=limits.per_day)

    @property
    def unlimited(self) -> bool:
        return not self._buckets

    def record_past_sends(self, seconds_ago: Iterable[float]) -> None:
        """Count sends that happened before this process started against the daily quota.

        Give ages in seconds (e.g. ``(now - t).total_seconds()`` for the journal's
        :meth:`~greeter.journal.Journal.sent_times` of the last 24 h).
        """
        if self._day is not None:
            now = self._clock.monotonic()
            self._day.record(now - age for age in seconds_ago if age < DAY_SECONDS)

    def wait_time(self) -> float:
        """How long an :meth:`acquire` now would wait (no token taken): lets a caller
        stop a batch instead of sleeping until tomorrow on the daily quota."""
        now = self._clock.monotonic()
        return max((b.wait_time(now) for b in self._buckets), default=0.0)

    async def acquire(self) -> None:
        """Wait until every limit allows one more send, then count it."""
        if not self._buckets:
            return
        async with self._lock:
            while True:
                now = self._clock.monotonic()
                wait = max(b.wait_time(now) for b in self._buckets)
                if wait <= _EPSILON:
                    for bucket in self._buckets:
                        bucket.take(now)
                    return
                await self._clock.sleep(wait)

    def refund(self) -> None:
        """Give back the last permit (it was acquired but nothing was sent)."""
        for bucket in self._buckets:
            bucket.refund()
