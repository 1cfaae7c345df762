"""``per_second`` / ``per_minute`` hold at most N letters in ANY window of their length.

Pacing alone (a one-token bucket) granted the 1st letter at 0 s and the 21st of
``per_minute: 20`` at 60 s; the first one's connection took longer to open, so the
sink saw 21 letters within 59.91 s, and a provider counting a strict 20 in any
60 s refuses the 21st. A pure table on the limiter (fake clock), then a real
``send --once`` through :class:`~greeter.testing.SmtpSink` measured by arrival times.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Sequence
from typing import Any

import pytest

from greeter.ratelimit import RateLimiter
from greeter.testing import FakeClock, SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter_process, people, smtp


def most_in_a_window(moments: Sequence[float], window: float) -> int:
    """The most moments in any CLOSED window of ``window`` seconds (a provider counting strictly)."""
    ordered = sorted(moments)
    return max((bisect.bisect_right(ordered, t + window) - i for i, t in enumerate(ordered)), default=0)


def grants(limiter: RateLimiter, clock: FakeClock, n: int, handover: float = 0.0) -> list[float]:
    """``n`` permits one after another; each letter's hand-over then takes ``handover`` seconds."""

    async def run() -> list[float]:
        got: list[float] = []
        for _ in range(n):
            await limiter.acquire()
            granted = limiter.granted_at
            assert granted is not None
            got.append(granted)
            clock.advance(handover)
            limiter.handed_over(granted)
        return got

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("limits", "window", "most", "n", "handover"),
    [
        ({"per_minute": 20}, 60.0, 20, 45, 0.0),
        ({"per_minute": 20}, 60.0, 20, 45, 0.09),  # the persona's first connection: 90 ms
        ({"per_second": 5}, 1.0, 5, 40, 0.0),
        ({"per_second": 5}, 1.0, 5, 40, 0.05),
        ({"per_minute": 20.5}, 60.0, 20, 45, 0.0),  # a fraction of a letter is no letter
        ({"per_second": 50, "per_minute": 60}, 60.0, 60, 130, 0.0),
    ],
)
def test_no_window_of_the_configured_length_holds_more_than_n(
    limits: dict[str, float], window: float, most: int, n: int, handover: float
) -> None:
    clock = FakeClock()
    granted = grants(RateLimiter(clock, **limits), clock, n, handover)  # type: ignore[arg-type]
    # Each letter arrives at the server at the latest when its hand-over ends.
    arrived = [g + handover for g in granted]
    assert most_in_a_window(arrived, window) == most
    assert most_in_a_window(granted, window) <= most


def test_a_letter_still_in_flight_holds_its_place_until_its_hand_over_ends() -> None:
    """``per_second: 5``, the first letter's connection slow to open: it reaches the server 1.2 s
    after its permit. Counted from its permit, it left the window at 1.001 s while still on its
    way, and the sixth letter went then: the server had six within 1 s (a loaded machine's sink
    saw six in 0.77 s)."""
    clock = FakeClock()
    limiter = RateLimiter(clock, per_second=5)

    async def run() -> list[float]:
        await limiter.acquire()
        slow = limiter.granted_at  # its hand-over goes on while the others are paced
        assert slow is not None
        arrived = await asyncio.gather(*(one_letter() for _ in range(4)))
        arrived.append(await one_letter())  # the sixth permit, asked for while the first is in flight
        clock.now = max(clock.now, 1.2)
        limiter.handed_over(slow)  # the server has the first letter only now
        arrived.append(clock.now)
        arrived.extend([await one_letter() for _ in range(6)])
        return arrived

    async def one_letter() -> float:
        await limiter.acquire()
        granted = limiter.granted_at
        assert granted is not None
        limiter.handed_over(granted)  # a hand-over of no time: it arrives at its permit
        return clock.now

    arrived = asyncio.run(run())
    assert most_in_a_window(arrived, 1.0) == 5, sorted(arrived)


def test_still_paced_evenly_not_a_burst_of_n() -> None:
    clock = FakeClock()
    granted = grants(RateLimiter(clock, per_minute=20), clock, 5)
    assert granted == pytest.approx([0.0, 3.0, 6.0, 9.0, 12.0])


def test_a_rate_below_one_a_window_is_paced_by_the_bucket() -> None:
    clock = FakeClock()
    granted = grants(RateLimiter(clock, per_second=0.5), clock, 3)
    assert granted == pytest.approx([0.0, 2.0, 4.0])


def test_a_refunded_permit_frees_its_place_in_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, per_second=2)

    async def run() -> list[float]:
        await limiter.acquire()
        limiter.refund()
        return [clock.now for _ in range(2) if await limiter.acquire()]

    assert asyncio.run(run())[0] == pytest.approx(0.0)


def test_the_last_minutes_sends_of_an_earlier_run_count_against_per_minute() -> None:
    clock = FakeClock(start=500.0)
    limiter = RateLimiter(clock, per_minute=3)
    limiter.record_past_sends([50.0, 40.0, 30.0, 90.0])  # three in the last minute, one older
    granted = grants(limiter, clock, 1)
    assert granted == pytest.approx([510.0], abs=0.01)  # when the one sent 50 s ago leaves the window


def per_second(port: int, rate: int) -> dict[str, Any]:
    config = smtp(port, pool_size=2)
    config["delivery"]["rate_limit"] = {"per_second": rate}
    return config


def test_send_once_hands_at_most_n_letters_to_the_server_in_any_second(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(14), **per_second(sink.port, 5))
        result = greeter_process(config, "send", "--once", "--now", NOW)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "sent: 14" in result.stdout
        arrived = [m.received_at for m in sink.messages]
        assert len(arrived) == 14
        assert most_in_a_window(arrived, 1.0) <= 5, sorted(b - arrived[0] for b in arrived)
