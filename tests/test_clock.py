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


def test_a_rehearsal_runs_at_real_time_while_the_daemon_works() -> None:
    """A run's real seconds were ``speed``× as long on the rehearsal's clock: at --speed 360000 a
    0.2 s batch lasted 20 hours of schedule, each letter found its window closed when claimed,
    and most of the example project's 29 New Year letters expired. Only waiting is compressed now."""
    ticks = Ticks()
    clock = Clock(ORIGIN, speed=3600.0, monotonic=ticks)
    ticks.value += 1.0  # waiting: an hour
    assert clock.now() == ORIGIN + timedelta(hours=1)
    with clock.working():
        ticks.value += 0.5  # working: half a second, as in production
        assert clock.now() == ORIGIN + timedelta(hours=1, seconds=0.5)
        with clock.working():  # nested (a run inside start-up): still real time, and after it too
            ticks.value += 0.25
        ticks.value += 0.25
        assert clock.now() == ORIGIN + timedelta(hours=1, seconds=1)
        # a wake-up an hour away is an hour of waiting, compressed whether asked now or later
        assert clock.real_seconds_until(clock.now() + timedelta(hours=1)) == 1.0
    ticks.value += 2.0  # waiting again: two hours
    assert clock.now() == ORIGIN + timedelta(hours=3, seconds=1)


def test_working_leaves_a_slowed_rehearsal_and_the_system_clock_as_they_are() -> None:
    ticks = Ticks()
    slow = Clock(ORIGIN, speed=0.5, monotonic=ticks)
    with slow.working():
        ticks.value += 2.0
        assert slow.now() == ORIGIN + timedelta(seconds=1)  # never faster than asked
    system = Clock()
    with system.working():
        assert abs(system.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_waiting_stops_at_the_wake_up_the_daemon_waits_for() -> None:
    """The scheduler wakes the daemon milliseconds late; at --speed 360000 each millisecond was
    six minutes of schedule, enough to miss a window's last half hour. Production wakes on time."""
    ticks = Ticks()
    clock = Clock(ORIGIN, speed=360000.0, monotonic=ticks)
    wake = ORIGIN + timedelta(hours=1)
    clock.wake_at(wake)
    assert clock.real_seconds_until(wake) == 0.01
    ticks.value += 0.015  # woken 5 ms late: half an hour later on a free-running clock
    assert clock.now() == wake
    with clock.working():  # the run starts at the wake-up, and takes its real time
        assert clock.now() == wake
        ticks.value += 0.25
        clock.wake_at(wake + timedelta(hours=2))  # the next one, set during the run
        assert clock.now() == wake + timedelta(seconds=0.25)
    ticks.value += 1.0
    assert clock.now() == wake + timedelta(hours=2)
    clock.wake_at(ORIGIN)  # a moment already passed holds the clock where it is, never back
    assert clock.now() == wake + timedelta(hours=2)
    # Woken a moment early (the timer is set by the system clock as a run ends, the wait starts when
    # its working block closes, milliseconds later on a loaded machine): the run starts at its wake-up.
    later = wake + timedelta(hours=3)
    clock.wake_at(later)
    ticks.value += 0.005  # half of the 0.01 s the hour takes
    assert clock.now() < later
    clock.arrive()
    assert clock.now() == later
    ticks.value += 1.0
    assert clock.now() == later  # and waits there, as for a wake-up reached on its own
    with clock.working():
        ticks.value += 0.25
        assert clock.now() == later + timedelta(seconds=0.25)
    clock.arrive()  # a tick with its wake-up passed (a reload's "at once") moves nothing
    assert clock.now() == later + timedelta(seconds=0.25)
