"""``delivery.rate_limit.per_day`` used up: the batch ends with the rest unclaimed, it never sleeps.

A send that waited for the daily quota's next slot slept up to 24 hours holding
the journal's lock: every cron run meanwhile exited 75 and the letters waiting
expired. Real CLI processes and daemon, a real SMTP server, a real SQLite journal.
Birthdays are on 13 April 2027; the clock (``--now``) is Wednesday 14 April
11:00 Moscow time, so all five greetings are due at once.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from greeter.ratelimit import DAY_SECONDS, RateLimiter
from greeter.testing import FakeClock, SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, greeter_process, people, smtp
from tests.test_stop_signals import LISTEN, journal_states

#: A run must end within this (real seconds); the quota's next slot is a day away.
QUICKLY = 30


def per_day(port: int, quota: int) -> dict[str, Any]:
    config = smtp(port)
    config["delivery"]["rate_limit"] = {"per_second": 2, "per_day": quota}
    return config


def send_json(config: Path, now: str) -> dict[str, Any]:
    """``send --once --json`` at ``now``; a run that sleeps on the quota fails by the timeout."""
    result = greeter_process(config, "send", "--once", "--json", "--now", now, timeout=QUICKLY)
    assert result.returncode == 0, (
        result.stdout + result.stderr
    )  # a quota is not a fault (see send_result.exit_code)
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_send_once_stops_at_the_used_up_quota_leaves_the_rest_unclaimed_and_sends_them_after(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(5), **per_day(sink.port, 3))
        started = time.monotonic()
        first = send_json(config, NOW)
        assert time.monotonic() - started < QUICKLY
        assert (first["due"], first["sent"], first["retry"], first["quota_unsent"]) == (5, 3, 0, 2)
        assert (first["stopped_by"], first["left_unsent"]) == (None, None)  # not a stop signal
        free_at = datetime.fromisoformat(first["quota_free_at"])
        now = datetime.fromisoformat(NOW)
        # The first of the three sends ages out of the 24 h window: a day after this run, in its zone.
        assert now + timedelta(hours=24) <= free_at <= now + timedelta(hours=24, seconds=QUICKLY)
        assert free_at.utcoffset() == now.utcoffset()
        assert len(sink.messages) == 3
        assert journal_states(config) == Counter({"sent": 3})  # the two left are not claimed

        # Right after: the journal's sends of the last 24 h fill the quota; nothing is sent.
        again = send_json(config, "2027-04-14T11:05:00+03:00")
        assert (again["due"], again["sent"], again["quota_unsent"]) == (2, 0, 2)
        assert datetime.fromisoformat(again["quota_free_at"]) == free_at
        text = greeter_process(
            config, "send", "--once", "--now", "2027-04-14T11:06:00+03:00", timeout=QUICKLY
        )
        assert text.returncode == 0, text.stderr
        assert "sent: 0" in text.stdout
        assert (
            f"daily quota used up (delivery.rate_limit.per_day): 2 left unsent until its next slot"
            f" frees at {free_at:%Y-%m-%d %H:%M}{f':{free_at:%S}' if free_at.second else ''} MSK"
            in text.stdout
        ), text.stdout
        assert len(sink.messages) == 3 and journal_states(config) == Counter({"sent": 3})

        # A day later (still within catch_up_days) the quota has room: the two go, once each.
        later = send_json(config, "2027-04-15T11:30:00+03:00")
        assert (later["due"], later["sent"], later["quota_unsent"], later["quota_free_at"]) == (
            2,
            2,
            None,
            None,
        )
        assert send_json(config, "2027-04-15T11:35:00+03:00")["due"] == 0
        ids = sink.message_ids()
        assert len(ids) == 5 and len(set(ids)) == 5
        assert sorted(m.rcpt_tos[0] for m in sink.messages) == sorted(
            f"client{i}@example.com" for i in range(1, 6)
        )
    assert journal_states(config) == Counter({"sent": 5})


def test_a_quota_used_up_by_the_last_letter_leaves_nothing_to_say(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **per_day(sink.port, 3))
        summary = send_json(config, NOW)
        assert (summary["sent"], summary["quota_unsent"], summary["quota_free_at"]) == (3, None, None)


def test_waits_of_a_second_are_pacing_and_a_quota_with_room_does_not_stop(make_project: MakeProject) -> None:
    """per_second 2: the letters are paced (waited out), not left for the next run."""
    with SmtpSink() as sink:
        config = make_project(people(3), **per_day(sink.port, 10))
        result = send_json(config, NOW)
        assert (result["sent"], result["quota_unsent"], result["quota_free_at"]) == (3, None, None)
        assert len(sink.messages) == 3


def test_the_daemon_logs_the_quota_and_sleeps_until_it_frees_instead_of_running_every_tick(
    make_project: MakeProject,
) -> None:
    """At 600× a cron of */10 fires every real second: each tick would find the quota spent."""
    with SmtpSink() as sink:
        config = make_project(people(5), **per_day(sink.port, 3))
        with DaemonProcess(config, "--now", NOW, "--speed", "600", *LISTEN) as daemon:
            run = daemon.wait_for("run")
            time.sleep(4)  # 40 rehearsed minutes: four cron ticks
            runs = daemon.finished_runs()
            assert daemon.stop() == 0
        assert (run["due"], run["sent"], run["quota_unsent"]) == (5, 3, 2)
        assert "interrupted" not in run and run["level"] == "info"
        free_at = datetime.fromisoformat(run["quota_free_at"])
        assert free_at >= datetime.fromisoformat(NOW) + timedelta(hours=24)
        assert len(runs) == 1, runs  # no run before the quota frees a slot: no busy loop
        assert len(sink.messages) == 3
    assert journal_states(config) == Counter({"sent": 3})


def test_the_limiter_waits_for_a_slot_a_few_seconds_away_and_gives_up_on_one_hours_away() -> None:
    """The bound (QUOTA_PATIENCE, a minute) on the fake clock the limiter's own tests use."""
    clock = FakeClock(start=1_000_000.0)
    told: list[float] = []
    soon = RateLimiter(clock, per_day=1)
    soon.on_quota_spent(told.append)
    soon.record_past_sends([DAY_SECONDS - 30])  # its slot frees in 30 s: pacing
    assert asyncio.run(soon.acquire()) is True
    assert told == [] and clock.now == pytest.approx(1_000_030.0)

    late = RateLimiter(clock, per_day=1)
    forget = late.on_quota_spent(told.append)
    late.record_past_sends([DAY_SECONDS - 3600])  # an hour away: the batch must end, not sleep
    assert asyncio.run(late.acquire()) is False
    assert told == [pytest.approx(3600.0)] and clock.now == pytest.approx(1_000_030.0)
    late.refund()  # nothing was taken: nothing given back
    assert late.wait_time() == pytest.approx(3600.0)
    forget()  # with nobody to end the batch, it waits as before (never over the quota)
    assert asyncio.run(late.acquire()) is True
    assert clock.now == pytest.approx(1_003_630.0)
