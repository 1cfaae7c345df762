"""The daemon's clock: real time, or a rehearsal clock started at ``--now`` and running ``speed``× faster.

Everything that decides takes ``now`` as an argument; this is the one place
the daemon reads the time it decides by, so a test (or a marketer rehearsing a
week) can run the real daemon through hours of schedule in seconds. (How long
a run took, and timeouts, are measured on the system's clocks: durations, not
moments of the schedule.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Clock:
    """``origin=None``: the system clock. Otherwise ``origin`` at start, advancing ``speed``× real time."""

    origin: datetime | None = None
    speed: float = 1.0
    _started: float = field(default_factory=time.time)

    def now(self) -> datetime:
        if self.origin is None:
            return datetime.now(UTC)
        return datetime.fromtimestamp(
            self.origin.timestamp() + (time.time() - self._started) * self.speed, UTC
        )

    def real_seconds_until(self, moment: datetime) -> float:
        """How long to really wait until this clock shows ``moment`` (0 if it already has)."""
        return max((moment - self.now()).total_seconds() / self.speed, 0.0)
