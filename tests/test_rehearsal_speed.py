"""A fast rehearsal (``greeter run --now … --speed N``) sends what production would: its clock
runs at real time while the daemon works (:meth:`greeter.clock.Clock.working`).

The clock ran at ``speed`` during runs too, so a batch's real seconds were hours of schedule: at
``--speed 360000`` the example project lost 23 of its 29 letters around New Year (each letter's
window had closed by the time it was claimed, and the holidays that followed expired them).
Here a real daemon, a real SQLite journal and a real SMTP server that takes a quarter of a second
per letter: at ``--speed 3600`` that was 15 minutes of schedule a letter, so in a half-hour window
the third letter found its recipient's day over.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from greeter.clock import Clock
from greeter.daemon import Daemon
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import people, smtp
from tests.test_wake_spacing_daemon import sent_greetings

MOSCOW = ZoneInfo("Europe/Moscow")
#: Thursday 15 April 2027: the window (10:00–10:30) opens the day after the birthdays, so all the
#: belated letters are due at its opening, in one batch.
OPENS = datetime(2027, 4, 15, 10, 0, tzinfo=MOSCOW)
CLOSES = datetime(2027, 4, 15, 10, 30, tzinfo=MOSCOW)
LETTERS = 4


async def run_until(daemon: Daemon, clock: Clock, sink: SmtpSink) -> int:
    """Serve until every letter arrived (or the window is over and a run has ended since), then stop."""
    serving = asyncio.ensure_future(daemon.serve())
    while not serving.done() and len(sink.messages) < LETTERS:
        if clock.now() > CLOSES and daemon.stats.runs and not daemon.stats.running:
            break
        await asyncio.sleep(0.02)
    daemon.request_stop("test")
    return await serving


def test_a_fast_rehearsal_sends_a_slow_batch_inside_its_window(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        sink.delay(0.25)  # a slow server: a quarter of a second before each reply to the final dot
        window = {"hours": {"start": "10:00", "end": "11:00"}, "lunch": None}  # 10:00–10:30: end margin
        config = make_project(
            people(LETTERS, day="14.04.1980"),  # Wednesday's birthdays, missed: sent the next morning
            schedule={"cron": "0 3 * * *"},
            send_window=window,
            **smtp(sink.port, pool_size=1),
        )
        # An hour a second (15 minutes a letter, until now), from two hours before the window.
        clock = Clock(OPENS - timedelta(hours=2), speed=3600.0)
        daemon = Daemon(config, clock=clock)
        assert asyncio.run(run_until(daemon, clock, sink)) == 0
        received = len(sink.messages)
    assert daemon.stats.outcomes.get("skipped_window_closed", 0) == 0, daemon.stats.outcomes
    greetings = sent_greetings(config)
    assert received == LETTERS and [state for state, _, _ in greetings] == ["sent"] * LETTERS
    for _, planned, sent in greetings:
        # the run woke at the window's opening, not milliseconds (minutes of schedule) after it,
        # and each letter left as production would leave it: seconds later, not hours
        assert planned == OPENS and sent < OPENS + timedelta(minutes=10), (planned, sent)
