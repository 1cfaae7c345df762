"""Sending rate limits (per second, per minute, per day) with an injected clock.

Mail providers cap how fast and how much an account may send; going over
gets the account throttled or blocked, which costs far more than waiting.

* ``per_second`` and ``per_minute`` are token buckets holding one token: the
  letters are *paced* evenly (one every 1/rate seconds) instead of leaving in
  bursts at each window boundary, which is gentler on the server. Pacing alone
  let N + 1 letters into one window (``per_minute: 20``: the 1st at 0 s and the
  21st at 60 s, which reached the server 59.91 s apart because the first one's
  connection took longer to open), and a provider counting a strict 20 in any
  60 s refuses the 21st. So each is also a :class:`SlidingWindow` of
  ``floor(rate × window)`` letters over 1 s or 60 s, whose moments are when the
  server *had* each letter (:meth:`RateLimiter.handed_over`, the end of its
  hand-over), not when it was allowed to start: the next letter's hand-over
  begins more than a whole window after the server took the one it replaces.
  A letter still in flight (permit granted, hand-over not ended) has not reached the
  server yet and may at any moment: it holds its place in the pacing windows until its
  hand-over ends, however long that takes. Counted from its permit it left them a
  window later while it was still on its way (a first connection opening for over a
  second under ``per_second: 5``: the sink saw six letters within 0.77 s).
* ``per_day`` is a hard quota over any rolling 24 hours, so it is a sliding
  window log rather than a bucket (a full bucket would allow twice the quota
  in the first day); it can be seeded with the sends the journal already
  holds, so a restart does not hand out a fresh quota.

A wait on the per-second or per-minute limit is pacing and is waited out.
A wait on the daily quota longer than :data:`QUOTA_PATIENCE` is not: once
the quota is used up the next slot may be up to 24 hours away, and a batch
that slept that long held the journal's lock (every cron run meanwhile
exited 75) while its letters expired. A caller that can end its batch
registers :meth:`RateLimiter.on_quota_spent`; :meth:`RateLimiter.acquire`
then tells it when the next slot frees and returns without a permit.

The clock is a parameter (:class:`Clock`): tests drive a fake one and never
sleep for real, and the arithmetic reads time only through it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from greeter.config import RateLimit

#: Waits shorter than this count as "now"; float rounding must not cause extra sleeps.
_EPSILON = 1e-9
DAY_SECONDS = 86_400.0
#: The longest wait on the daily quota that is still waited out (seconds). A minute: the
#: finest a cron line can schedule, so a ``send --once`` from cron never outlasts the next
#: one by more than that; and a slot that frees within it (the oldest of the last 24 h's
#: sends is about to age out) is worth a pause rather than a batch ended with letters left.
#: Longer waits end the batch (:meth:`RateLimiter.on_quota_spent`): the letters not handed
#: over stay unclaimed for the run after the slot frees.
QUOTA_PATIENCE = 60.0
#: A window is closed at both ends: an event leaves it this long after the whole window has
#: passed, so a letter at exactly 0 s and one at exactly 60 s are never both in a minute's N.
WINDOW_MARGIN = 0.001


def slot_frees_at(now: datetime, wait: float) -> datetime:
    """When the daily quota's next slot frees, as a summary, ``--json`` and the daemon announce it:
    ``wait`` seconds (the daily window's :meth:`SlidingWindow.wait_time`) after ``now`` (UTC).

    The whole second it frees in. WHY: the window holds a send :data:`WINDOW_MARGIN` past its
    24 hours, and this run's moments lag the journal's by its own milliseconds, so rounded up a
    send at 17:05:00 announced "frees at 17:05:01" — while a run at 17:05:00 finds the slot
    a fraction of a second away, waits it out (under :data:`QUOTA_PATIENCE`) and sends. One
    computation for the send (:meth:`~greeter.delivery.Deliverer.quota_spent`) and the dry run
    (:func:`~greeter.dry_run_hold.foresee_hold`): a run at the moment announced gets the slot.
    """
    frees = now + timedelta(seconds=max(0.0, wait - WINDOW_MARGIN))
    return frees.astimezone(UTC).replace(microsecond=0)


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

    def refund(self, at: float) -> None:  # `at`: one signature with SlidingWindow.refund
        self._tokens = min(self.burst, self._tokens + 1.0)


class SlidingWindow:
    """At most ``limit`` events in any ``window`` seconds (exact; memory grows with ``limit``)."""

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._events: deque[float] = deque()

    def _expire(self, now: float, flying: Counter[float] | None) -> None:
        events = self._events
        kept: list[float] | None = None  # letters still in flight: they have not left, nor arrived
        while events and events[0] + self.window + WINDOW_MARGIN <= now:
            moment = events.popleft()
            if flying and moment in flying and flying[moment] > (0 if kept is None else kept.count(moment)):
                kept = kept or []
                kept.append(moment)
        if kept:
            events.extendleft(reversed(kept))

    def wait_time(self, now: float, flying: Counter[float] | None = None) -> float:
        """Seconds until one more event fits (0 if one does now).

        ``flying``: the moments (as taken) of letters still in flight, each counted as arriving
        now: it holds its place until it is moved (:meth:`move`, its hand-over ended) or refunded,
        and the place frees a whole window after the first letter that did arrive, if any.
        """
        self._expire(now, flying)
        if len(self._events) < self.limit:
            return 0.0
        first = self._events[0]
        if not flying or first not in flying:  # dict lookups: Counter's [] of a missing key is a call
            return max(0.0, first + self.window + WINDOW_MARGIN - now)
        passed: Counter[float] = Counter()
        for moment in self._events:  # oldest first; rarely past the first
            if passed[moment] < flying.get(moment, 0):
                passed[moment] += 1
                continue
            return max(0.0, moment + self.window + WINDOW_MARGIN - now)
        return self.window + WINDOW_MARGIN  # all in flight: none can leave before a window after now

    def take(self, now: float) -> None:
        self._events.append(now)

    def refund(self, at: float) -> None:
        """Forget the event taken at ``at`` (a permit given back)."""
        self._remove(at)

    def move(self, at: float, to: float) -> None:
        """The event taken at ``at`` happened at ``to`` after all (a letter's hand-over ended then).

        Looked for from the newest: it is one of the permits still in flight. Kept in
        order, so :meth:`_expire` and :meth:`wait_time` read the oldest first.
        """
        if self._remove(at):
            index = len(self._events)
            while index > 0 and self._events[index - 1] > to:
                index -= 1
            self._events.insert(index, to)

    def _remove(self, at: float) -> bool:
        for back in range(1, len(self._events) + 1):
            if self._events[-back] == at:
                del self._events[-back]
                return True
        return False

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
        for rate, window in ((per_second, 1.0), (per_minute, 60.0)):
            if rate:
                self._buckets.append(TokenBucket(rate / window))
                # At most floor(rate × window) letters in any window; a rate below one a window
                # (per_second: 0.5) is paced further apart than any window by the bucket alone.
                if (most := math.floor(rate + _EPSILON)) >= 1:
                    self._buckets.append(SlidingWindow(most, window))
        self._day = SlidingWindow(per_day, DAY_SECONDS) if per_day else None
        if self._day is not None:
            self._buckets.append(self._day)
        self._lock = asyncio.Lock()
        #: Told the seconds until the daily quota frees a slot, when that is beyond QUOTA_PATIENCE.
        self._on_spent: list[Callable[[float], None]] = []
        #: When the last :meth:`acquire` took its permit (monotonic), None if it took none:
        #: :meth:`refund` gives back only one taken, :meth:`handed_over` names it by this.
        self.granted_at: float | None = None
        #: The permits granted whose letters are still in flight, by their moments: each holds its
        #: place in the pacing windows until :meth:`handed_over`, :meth:`refused` or
        #: :meth:`give_back` says what became of it (it may reach the server any moment until then).
        self._flying: Counter[float] = Counter()

    @classmethod
    def from_config(cls, limits: RateLimit, clock: Clock) -> RateLimiter:
        return cls(clock, per_second=limits.per_second, per_minute=limits.per_minute, per_day=limits.per_day)

    @property
    def unlimited(self) -> bool:
        return not self._buckets

    def record_past_sends(self, seconds_ago: Iterable[float]) -> None:
        """Count sends that happened before this process started against the daily quota,
        and those of the last minute against ``per_minute`` (a daemon's run a few seconds
        after the last one's twenty letters must not send twenty more).

        Give ages in seconds (e.g. ``(now - t).total_seconds()`` for the journal's
        :meth:`~greeter.journal.Journal.sent_times` of the last 24 h).
        """
        ages = list(seconds_ago)
        now = self._clock.monotonic()
        for bucket in self._buckets:
            if bucket is self._day:
                self._day.record(now - age for age in ages if age < DAY_SECONDS)
            elif isinstance(bucket, SlidingWindow):
                bucket.record(now - age for age in ages if 0 <= age < bucket.window)

    def wait_time(self) -> float:
        """How long an :meth:`acquire` now would wait (no token taken): lets a caller
        stop a batch instead of sleeping until tomorrow on the daily quota."""
        return self._wait(self._clock.monotonic())

    def _wait(self, now: float) -> float:
        """How long until every limit allows one more send. The pacing windows count the letters
        in flight as arriving now; the daily quota counts them from their permits (no hand-over
        lasts a meaningful part of a day, and a quota's announced slot keeps its second)."""
        wait = 0.0
        for bucket in self._buckets:
            if isinstance(bucket, TokenBucket) or bucket is self._day:
                this = bucket.wait_time(now)
            else:
                this = bucket.wait_time(now, self._flying)
            if this > wait:
                wait = this
        return wait

    def quota_wait(self) -> float | None:
        """Seconds until the daily quota frees a slot, when that is beyond :data:`QUOTA_PATIENCE`
        (a send now would end its batch); None: a letter could go now, or there is no ``per_day``."""
        if self._day is None:
            return None
        wait = self._day.wait_time(self._clock.monotonic())
        return wait if wait > QUOTA_PATIENCE else None

    def on_quota_spent(self, listener: Callable[[float], None]) -> Callable[[], None]:
        """Call ``listener(seconds)`` instead of sleeping when the daily quota's next slot is more
        than :data:`QUOTA_PATIENCE` away; returns a function that forgets it.

        The listener must end the batch (nothing more may be sent: :meth:`acquire` then
        returns False without a permit). With no listener, :meth:`acquire` sleeps as long
        as it takes: a caller that cannot stop must still never exceed the quota.
        """
        self._on_spent.append(listener)
        return lambda: self._on_spent.remove(listener)

    async def acquire(self) -> bool:
        """Wait until every limit allows one more send, then count it (True).

        False, at once and with nothing counted, when the daily quota is used up for
        longer than :data:`QUOTA_PATIENCE` and a listener (:meth:`on_quota_spent`) was
        told so: the caller sends nothing more.
        """
        self.granted_at = None
        if not self._buckets:
            return True
        async with self._lock:
            while True:
                now = self._clock.monotonic()
                if self._day is not None and self._on_spent:
                    day_wait = self._day.wait_time(now)
                    if day_wait > QUOTA_PATIENCE:
                        for listener in list(self._on_spent):
                            listener(day_wait)
                        return False
                wait = self._wait(now)
                if wait <= _EPSILON:
                    for bucket in self._buckets:
                        bucket.take(now)
                    self.granted_at = now
                    self._flying[now] = self._flying.get(now, 0) + 1
                    return True
                await self._clock.sleep(wait)

    def refund(self) -> None:
        """Give back the last permit (it was acquired but nothing was sent); none if it was refused."""
        at, self.granted_at = self.granted_at, None
        if at is None:
            return
        self._land(at)
        for bucket in self._buckets:
            bucket.refund(at)

    def give_back(self, granted_at: float) -> None:
        """Give back the permit granted at ``granted_at`` (:attr:`granted_at` then): its letter was
        not sent after all (a stop, a claim another sender won, a connection that never opened).

        Named by its moment, not "the last": the workers hold several permits at once, and
        the one given back is rarely the newest. Kept, a permit whose letter never left
        counted against the daily quota for 24 hours (four workers, ``per_day: 3``: three
        letters pulled, none sent, the quota spent until tomorrow). Given back twice, or
        after :meth:`handed_over` moved it, nothing more happens. The windows forget it;
        the pacing buckets do not (a token given back for an old permit let the next two
        letters leave back to back).
        """
        if not self._land(granted_at):
            return  # given back twice, or after handed_over: nothing more happens
        for bucket in self._buckets:
            if isinstance(bucket, SlidingWindow):
                bucket.refund(granted_at)

    def _land(self, granted_at: float) -> bool:
        """The letter whose permit was granted at ``granted_at`` is in flight no more; False if
        it was not (already handed over or given back)."""
        if granted_at not in self._flying:
            return False
        self._flying[granted_at] -= 1
        if not self._flying[granted_at]:
            del self._flying[granted_at]
        return True

    def refused(self, granted_at: float) -> None:
        """The server refused the letter whose permit was granted at ``granted_at``: the pacing windows
        count its hand-over from now (:meth:`handed_over`: the server saw it), the daily quota forgets it.

        WHY: a provider's daily cap counts the messages it accepted, and the next run seeds
        ``per_day`` from the journal's *sent* letters. Kept, a 4xx's permit ended the batch a
        letter early — "quota used up until tomorrow" — and a run five minutes later found
        the slot free and sent into it.
        """
        if self._day is not None:
            self._day.refund(granted_at)  # first: handed_over moves only what is still there
        self.handed_over(granted_at)

    def handed_over(self, granted_at: float) -> None:
        """The letter whose permit was granted at ``granted_at`` (:attr:`granted_at` then) is with
        the server now: its windows count it from this moment.

        The server counts a letter when it arrives, which is after the permit by as long as
        the hand-over took — a new connection's opening, login and DATA for the first letter,
        a few milliseconds on an open one. Counted from the permit, the 21st letter of
        ``per_minute: 20`` reached the server 59.91 s after the 1st. Counted from the end of
        the hand-over (the server's reply to the final dot, or the failure), a letter never
        arrives later than its moment here, so the letter that would be N + 1 in a window
        starts more than the whole window after it.
        """
        if not self._land(granted_at):
            return
        now = self._clock.monotonic()
        for bucket in self._buckets:
            if isinstance(bucket, SlidingWindow):
                bucket.move(granted_at, max(now, granted_at))
