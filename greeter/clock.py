"""The daemon's clock: real time, or a rehearsal clock started at ``--now`` and running ``speed``× faster.

Everything that decides takes ``now`` as an argument; this is the one place
the daemon reads the time it decides by, so a test (or a marketer rehearsing a
week) can run the real daemon through hours of schedule in seconds. (How long
a run took, and timeouts, are measured on the system's clocks: durations, not
moments of the schedule.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    """``origin=None``: the system clock. Otherwise ``origin`` at start, advancing ``speed``× real time.

    A rehearsal's time since its start is measured on ``monotonic`` (the system's monotonic clock;
    a test's own), not the wall clock: NTP stepping the wall clock a minute would move a
    ``--speed 3600`` rehearsal by an hour — past a send window, or back over one already used.
    """

    origin: datetime | None = None
    speed: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    _started: float = field(init=False)

    def __post_init__(self) -> None:
        self._started = self.monotonic()

    def now(self) -> datetime:
        if self.origin is None:
            return datetime.now(UTC)
        elapsed = (self.monotonic() - self._started) * self.speed
        return (self.origin + timedelta(seconds=elapsed)).astimezone(UTC)

    def real_seconds_until(self, moment: datetime) -> float:
        """How long to really wait until this clock shows ``moment`` (0 if it already has)."""
        return max((moment - self.now()).total_seconds() / self.speed, 0.0)
