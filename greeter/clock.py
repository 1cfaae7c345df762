"""The daemon's clock: real time, or a rehearsal clock started at ``--now`` and running ``speed``× faster.

Everything that decides takes ``now`` as an argument; this is the one place
the daemon reads the time it decides by, so a test (or a marketer rehearsing a
week) can run the real daemon through hours of schedule in seconds. (How long
a run took, and timeouts, are measured on the system's clocks: durations, not
moments of the schedule.)

A rehearsal compresses the daemon's *waiting* only. While it works — starting
up, planning, sending — its clock runs at real time (:meth:`Clock.working`),
and waiting it stops at the wake-up the daemon waits for (:meth:`Clock.wake_at`).
At ``--speed 360000`` a run's 0.2 real seconds were 20 hours of schedule, so
the letters of a batch found their send windows closed by the time each was
claimed, and after 29 December the New Year holidays expired them (21 to 27
of the example project's 29 letters around New Year, at speeds of 100000 to
360000). Work taking the time it takes in production, a rehearsal sends what
production would, at any speed; it just cannot go faster than its runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    """``origin=None``: the system clock. Otherwise ``origin`` at start, advancing ``speed``× real time
    while the daemon waits and at real time while it works (:meth:`working`).

    A rehearsal's time since its start is measured on ``monotonic`` (the system's monotonic clock;
    a test's own), not the wall clock: NTP stepping the wall clock a minute would move a
    ``--speed 3600`` rehearsal by an hour — past a send window, or back over one already used.
    """

    origin: datetime | None = None
    speed: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    #: (the rehearsal's moment, the monotonic reading then, the pace since, the moment it stops at):
    #: where the pace last changed. One tuple, replaced whole, so a reader in another thread (a
    #: run plans off the event loop) never sees half a change.
    _pace: tuple[datetime, float, float, datetime | None] = field(init=False)
    #: How many :meth:`working` blocks are open (the pace is real time while any is).
    _working: int = field(default=0, init=False)
    #: The wake-up the daemon waits for (:meth:`wake_at`): waiting, the clock goes no further.
    _wake: datetime | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._pace = (self.origin or datetime.now(UTC), self.monotonic(), self.speed, None)

    @property
    def working_pace(self) -> float:
        """Rehearsal seconds per real second while the daemon works: real time, never faster than
        ``speed`` (a slowed-down rehearsal stays slowed down)."""
        return min(self.speed, 1.0)

    def now(self) -> datetime:
        if self.origin is None:
            return datetime.now(UTC)
        return self._at(self.monotonic()).astimezone(UTC)

    def real_seconds_until(self, moment: datetime) -> float:
        """How long to really wait until this clock shows ``moment`` (0 if it already has).

        At ``speed``: waiting is what a rehearsal compresses.
        """
        return max((moment - self.now()).total_seconds() / self.speed, 0.0)

    @contextmanager
    def working(self) -> Iterator[None]:
        """While inside: a rehearsal's clock runs at real time (:attr:`working_pace`).

        The daemon's start-up and each run (plan, claims, sending) take the
        real seconds they would take in production, and their letters are
        claimed — each one's send window checked — at the moment production
        would claim them. Nothing changes for the system clock.
        """
        if self.origin is None:
            yield
            return
        self._working += 1
        if self._working == 1:
            self._repace(self.working_pace, None)
        try:
            yield
        finally:
            self._working -= 1
            if self._working == 0:
                self._repace(self.speed, self._wake)

    def wake_at(self, moment: datetime) -> None:
        """The daemon's next wake-up: while it waits for it, a rehearsal's clock stops there.

        The event loop and the scheduler wake a few milliseconds late — at
        ``--speed 360000`` minutes of schedule, by which a letter planned for
        17:25 had found its window closed at 17:30. Production wakes on
        time, so the rehearsal's next run starts at ``moment`` too. Never
        back: a moment already passed stops the clock where it is.
        """
        self._wake = moment
        if self.origin is not None and self._working == 0:
            self._repace(self.speed, moment)

    def arrive(self) -> None:
        """The daemon woke for its wake-up: a rehearsal's clock shows it now, if not there yet.

        The scheduler's timer is set by the system clock as a run ends, the rehearsal's wait
        starts a moment later (when the run's :meth:`working` block closes): a process
        descheduled in between (a loaded machine) woke a few milliseconds before its clock got
        there — at ``--speed 60``, a cron minute's run at hh:mm:59.7 reading the minute before,
        then once more at once for the minute itself. Production's timer and clock are one.
        """
        wake = self._wake
        if self.origin is None or wake is None:
            return
        reading = self.monotonic()
        if self._at(reading) < wake:
            _, _, pace, stop = self._pace
            self._pace = (wake, reading, pace, None if stop is None else max(stop, wake))

    def _at(self, reading: float) -> datetime:
        """The rehearsal's moment at the monotonic clock's ``reading``."""
        moment, since, pace, stop = self._pace
        at = moment + timedelta(seconds=(reading - since) * pace)
        return at if stop is None or at <= stop else stop

    def _repace(self, pace: float, stop: datetime | None) -> None:
        """Go on from this moment at ``pace`` rehearsal seconds per real second, up to ``stop``."""
        reading = self.monotonic()
        at = self._at(reading)
        self._pace = (at, reading, pace, None if stop is None else max(stop, at))
