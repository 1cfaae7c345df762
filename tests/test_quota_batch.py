"""A daily quota smaller than the batch: the letters that got a permit go, the rest wait.

Each sending worker takes a permit and pulls a letter before its connection opens. With
``per_day: 3``, four workers and five letters due, the fourth worker's permit was refused;
that stopped the run, the three letters already pulled were given up unclaimed and their
permits kept: ``sent: 0``, the quota spent on sends that never happened, nothing until
tomorrow. Real CLI processes, a real SMTP server, a real SQLite journal; a real daemon.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from greeter.ratelimit import DAY_SECONDS, RateLimiter
from greeter.testing import FakeClock, SmtpSink
from greeter.transport import SendResult, run_batch
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_day_quota import QUICKLY, send_json
from tests.test_send_e2e import NOW, greeter_process, people, smtp
from tests.test_stop_signals import LISTEN, journal_states


def quota_only(port: int, pool_size: int | None) -> dict[str, Any]:
    """``per_day: 3`` and nothing else paced: the workers pull their letters at the same moment."""
    config = smtp(port)
    if pool_size is None:
        del config["delivery"]["smtp"]["pool_size"]  # the default pool (four workers)
    else:
        config["delivery"]["smtp"]["pool_size"] = pool_size
    config["delivery"]["rate_limit"] = {"per_second": None, "per_day": 3}
    return config


def first_run_sends_the_quota(config: Path, sink: SmtpSink) -> datetime:
    first = send_json(config, NOW)
    assert (first["due"], first["sent"], first["retry"], first["quota_unsent"]) == (5, 3, 0, 2), first
    free_at = datetime.fromisoformat(first["quota_free_at"])
    now = datetime.fromisoformat(NOW)
    assert now + timedelta(hours=24) <= free_at <= now + timedelta(hours=24, seconds=QUICKLY)
    assert len(sink.messages) == 3
    assert journal_states(config) == Counter({"sent": 3})  # the two left are not claimed
    return free_at


def test_the_default_pool_sends_the_letters_the_quota_permits_and_leaves_the_rest(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(5), **quota_only(sink.port, None))
        free_at = first_run_sends_the_quota(config, sink)
        text = greeter_process(
            config, "send", "--once", "--now", "2027-04-14T12:00:00+03:00", timeout=QUICKLY
        )
        assert text.returncode == 0, text.stderr
        assert "sent: 0" in text.stdout, text.stdout
        assert (
            f"daily quota used up (delivery.rate_limit.per_day): 2 left unsent until its next slot"
            f" frees at {free_at:%Y-%m-%d %H:%M}{f':{free_at:%S}' if free_at.second else ''} MSK"
            in text.stdout
        ), text.stdout
        assert len(sink.messages) == 3
    assert journal_states(config) == Counter({"sent": 3})


def test_one_connection_sends_the_same_three(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(5), **quota_only(sink.port, 1))
        first_run_sends_the_quota(config, sink)


def test_the_daemon_sends_the_quota_of_a_default_pool(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(5), **quota_only(sink.port, None))
        with DaemonProcess(config, "--now", NOW, "--speed", "600", *LISTEN) as daemon:
            run = daemon.wait_for("run")
            time.sleep(2)
            runs = daemon.finished_runs()
            assert daemon.stop() == 0
        assert (run["due"], run["sent"], run["quota_unsent"]) == (5, 3, 2), run
        assert datetime.fromisoformat(run["quota_free_at"]) >= datetime.fromisoformat(NOW) + timedelta(
            hours=24
        )
        assert len(runs) == 1, runs
        assert len(sink.messages) == 3
    assert journal_states(config) == Counter({"sent": 3})


def test_a_permit_given_back_by_its_moment_frees_its_slot_whoever_took_the_last_one() -> None:
    """Workers hold permits at once: the one given back is named by its moment, not "the last"."""
    clock = FakeClock(start=1_000.0)
    limiter = RateLimiter(clock, per_day=2)
    assert asyncio.run(limiter.acquire()) is True
    first = limiter.granted_at
    clock.now += 5
    assert asyncio.run(limiter.acquire()) is True
    assert first is not None and limiter.granted_at == first + 5
    assert limiter.quota_wait() is not None  # both slots taken
    limiter.give_back(first)  # the first letter was not sent: its slot is free again
    assert limiter.quota_wait() is None
    assert asyncio.run(limiter.acquire()) is True
    assert limiter.quota_wait() == pytest.approx(DAY_SECONDS)  # both slots taken at this moment
    limiter.give_back(first)  # given back twice, or one never taken: nothing more happens
    assert limiter.quota_wait() == pytest.approx(DAY_SECONDS)


def test_run_batch_gives_back_the_permit_of_a_letter_not_sent_and_stops_pulling_at_the_quota() -> None:
    """Four workers, ``per_day: 3``, the first letter not sent (its claim lost): three others go."""
    clock = FakeClock(start=1_000.0)
    limiter = RateLimiter(clock, per_day=3)
    told: list[float] = []
    limiter.on_quota_spent(told.append)
    sent: list[int] = []

    async def send(letter: int) -> bool:
        await asyncio.sleep(0)  # its connection opens while the other workers take permits
        if letter == 1:
            return False
        sent.append(letter)
        return True

    async def run() -> list[SendResult]:
        return [r async for r in run_batch(send, range(1, 6), concurrency=4, limiter=limiter)]

    assert asyncio.run(run()) == []
    assert sorted(sent) == [2, 3, 4]
    assert told and limiter.quota_wait() == pytest.approx(DAY_SECONDS)  # three kept, none given back twice
