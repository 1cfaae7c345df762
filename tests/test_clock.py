"""The daemon's rehearsal clock (greeter.clock): ``--now`` advancing ``--speed``× the monotonic clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from greeter.clock import Clock

ORIGIN = datetime(2027, 4, 13, 9, tzinfo=UTC)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_a_rehearsal_runs_from_its_origin_at_its_speed_on_the_monotonic_clock() -> None:
    ticks = Ticks()
    clock = Clock(ORIGIN, speed=60.0, monotonic=ticks)
    assert clock.now() == ORIGIN
    ticks.value += 2.5  # two and a half real seconds: two and a half minutes of rehearsal
    assert clock.now() == ORIGIN + timedelta(minutes=2.5)
    assert clock.real_seconds_until(ORIGIN + timedelta(minutes=3.5)) == 1.0
    assert clock.real_seconds_until(ORIGIN) == 0.0


def test_a_wall_clock_step_does_not_move_a_rehearsal(monkeypatch: pytest.MonkeyPatch) -> None:
    """NTP stepping the wall clock an hour moved a --speed 60 rehearsal by 60 hours (time.time)."""
    clock = Clock(ORIGIN, speed=60.0)
    stepped = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: stepped)
    # what the real seconds since the clock's start make of it, and no more (well under an hour)
    assert ORIGIN <= clock.now() < ORIGIN + timedelta(hours=1)


def test_without_an_origin_it_is_the_system_clock() -> None:
    assert Clock().now().tzinfo is not None
