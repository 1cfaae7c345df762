"""Rate limits measured on a fake clock: exact to ±2 % over simulated time, no real sleeping."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from greeter.config import RateLimit
from greeter.ratelimit import DAY_SECONDS, RateLimiter, SlidingWindow, TokenBucket
from greeter.testing import FakeClock


async def count_until(
    limiter: RateLimiter, clock: FakeClock, horizon: float, senders: int = 1
) -> list[float]:
    """Acquire with ``senders`` concurrent tasks until simulated ``horizon``; return grant times.
    Each letter's hand-over ends as its permit is granted (a letter still in flight holds its place)."""
    grants: list[float] = []

    async def sender() -> None:
        while True:
            await limiter.acquire()
            if limiter.granted_at is not None:
                limiter.handed_over(limiter.granted_at)
            if clock.now >= horizon:
                return
            grants.append(clock.now)

    await asyncio.gather(*(sender() for _ in range(senders)))
    return grants


@pytest.mark.parametrize("senders", [1, 8])
def test_per_second_is_precise_over_a_simulated_minute(senders: int) -> None:
    clock = FakeClock(start=1000.0)
    limiter = RateLimiter(clock, per_second=10)
    started = time.monotonic()
    grants = asyncio.run(count_until(limiter, clock, horizon=1060.0, senders=senders))
    assert time.monotonic() - started < 2, "no real sleeping"
    assert abs(len(grants) - 600) <= 12  # ±2 %
    gaps = [b - a for a, b in itertools.pairwise(grants)]
    assert min(gaps) == pytest.approx(0.1), "paced evenly, no bursts"
    # Any one-second window holds at most 10 + 1 grants.
    assert max(sum(1 for g in grants if t <= g < t + 1.0) for t in grants) <= 10


def test_per_minute_paces_evenly() -> None:
    clock = FakeClock()
    limiter = RateLimiter.from_config(RateLimit(per_minute=120), clock)
    grants = asyncio.run(count_until(limiter, clock, horizon=300.0, senders=4))
    assert abs(len(grants) - 600) <= 12
    # Every 120th waits a millisecond more: 0 s and 60 s must not both be in one minute's 120.
    assert all(b - a == pytest.approx(0.5, abs=0.0015) for a, b in itertools.pairwise(grants))


def test_the_strictest_limit_wins() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, per_second=50, per_minute=60)
    grants = asyncio.run(count_until(limiter, clock, horizon=60.0))
    assert abs(len(grants) - 60) <= 2


def test_per_day_is_a_hard_quota_over_any_24_hours() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, per_day=100)
    grants = asyncio.run(count_until(limiter, clock, horizon=2 * DAY_SECONDS + 1))
    assert len(grants) == 300  # 100 at once, 100 when the first day's slide out, 100 again
    assert grants[99] == 0.0 and grants[100] == pytest.approx(DAY_SECONDS)
    assert max(sum(1 for g in grants if t <= g < t + DAY_SECONDS) for t in grants) == 100


def test_past_sends_count_against_the_daily_quota_after_a_restart() -> None:
    clock = FakeClock(start=50.0)
    limiter = RateLimiter(clock, per_day=3)
    limiter.record_past_sends([3600.0, 7200.0, DAY_SECONDS + 5])  # the last one is too old to count
    assert limiter.wait_time() == 0.0

    async def run() -> float:
        await limiter.acquire()  # the third of the last 24 h
        await limiter.acquire()  # must wait until the send of 2 h ago is 24 h old
        return clock.now

    assert asyncio.run(run()) == pytest.approx(50.0 + DAY_SECONDS - 7200.0)


def test_wait_time_peeks_without_taking_and_refund_gives_back() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, per_second=2)
    asyncio.run(limiter.acquire())
    assert limiter.wait_time() == pytest.approx(0.5)
    assert limiter.wait_time() == pytest.approx(0.5), "peeking takes nothing"
    limiter.refund()
    assert limiter.wait_time() == 0.0


def test_no_limits_never_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter.from_config(RateLimit(), clock)
    assert limiter.unlimited

    async def run() -> None:
        for _ in range(1000):
            await limiter.acquire()

    asyncio.run(run())
    assert clock.sleeps == [] and clock.now == 0.0


def test_building_blocks_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        SlidingWindow(0, 10)
