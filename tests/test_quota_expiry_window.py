"""Letters the daily quota held back expire when their window opens too late, not the slot.

A slot freed Friday 17:05, past the 15:00 Friday cut-off: the summary said "5 left unsent
until its next slot frees at … 17:05", exit 0, and the letters expired over the weekend —
``quota_expiring`` compared their deadline with the moment the slot frees, not with the
first moment their recipient's window opens after it (Monday 10:00). And the slot was
announced "17:05:01" while the limiter lets a run at 17:05:00 send. Pure tables, then real
``send --once`` processes against an SMTP sink and a SQLite journal (``per_day`` 5).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import build_calendar
from greeter.config_window import SendWindow
from greeter.quota_plan import expiring_before, quota_rank, window_opener
from greeter.ratelimit import RateLimiter, slot_frees_at
from greeter.testing import FakeClock, SmtpSink
from tests.conftest import MakeProject
from tests.test_day_quota import per_day
from tests.test_send_e2e import greeter, people

MSK = ZoneInfo("Europe/Moscow")
WINDOW = SendWindow()
RU = window_opener(MSK, WINDOW, build_calendar(WINDOW, "RU", range(2026, 2029)))
FRIDAY_1705 = datetime(2027, 4, 16, 17, 5, tzinfo=MSK)
DAY = date(2027, 4, 13)


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        (datetime(2027, 4, 17, tzinfo=MSK), 2),  # ends Saturday: the window opens Monday 10:00
        (datetime(2027, 4, 19, 10, tzinfo=MSK), 2),  # at the very moment it opens: too late
        (datetime(2027, 4, 19, 10, 1, tzinfo=MSK), 0),  # a minute into Monday's window: it goes
    ],
)
def test_expiring_before_compares_with_the_first_open_moment_after_the_slot(
    ends: datetime, expected: int
) -> None:
    ranks = [quota_rank(ends, (100,), (str(i), "birthday", DAY)) for i in range(2)]
    assert expiring_before(ranks, 2, FRIDAY_1705, lambda contact_id: RU) == expected
    assert expiring_before(ranks, 2, FRIDAY_1705) == 0  # without windows: the slot itself


def test_the_slot_is_announced_at_the_moment_the_limiter_lets_a_run_send() -> None:
    """A send at 17:05:00 frees its slot at 17:05:00 the next day (the limiter's margin of a
    millisecond is no later second)."""
    sent = datetime(2027, 4, 15, 17, 5, tzinfo=MSK)
    clock = FakeClock(start=1_000.0)
    limiter = RateLimiter(clock, per_day=1)
    limiter.record_past_sends([0.0])
    assert slot_frees_at(sent, limiter.wait_time()) == (sent + timedelta(days=1)).astimezone(UTC)


def sent_times(config: Path) -> list[datetime]:
    db = sqlite3.connect(f"file:{config.parent / 'data' / 'journal.sqlite3'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT sent_at FROM greetings WHERE state = 'sent' ORDER BY sent_at").fetchall()
    finally:
        db.close()
    return [datetime.fromisoformat(at) for (at,) in rows]


def test_held_letters_whose_window_opens_after_their_deadline_expire_and_exit_1(
    make_project: MakeProject,
) -> None:
    """10 birthdays of Tuesday 13.04 (catch_up_days 3: they may leave until Saturday 17.04 00:00) at
    Thursday 15.04 17:05, ``per_day`` 5: the slot frees Friday 17:05, past the cut-off; the window
    opens next on Monday — the five left are lost, and a run says so."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="13.04.1980"), **per_day(sink.port, 5))
        first = greeter(config, "send", "--once", "--json", "--now", "2027-04-15T17:05:00+03:00", timeout=60)
        summary = json.loads(first.stdout)
        assert (summary["sent"], summary["quota_unsent"], summary["quota_expiring"]) == (5, 5, 5), summary
        assert first.returncode == 1, first.stderr
        oldest = sent_times(config)[0]
        announced = datetime.fromisoformat(summary["quota_free_at"])
        # The second the slot frees in, not the next one: the journal's moment and the limiter's
        # lie milliseconds apart, so the bound allows that lag rather than a whole second.
        frees = oldest + timedelta(days=1)
        lag = timedelta(milliseconds=200)
        assert frees - timedelta(seconds=1) - lag < announced <= frees + lag, (oldest, announced)
        text = greeter(config, "send", "--once", "--now", "2027-04-15T17:10:00+03:00", timeout=60)
        assert "5 left unsent, all of them expire before they could go" in text.stdout, text.stdout
        assert text.returncode == 1
    assert len(sink.messages) == 5


def test_a_dry_run_marks_the_letters_lost_to_the_window_after_the_slot(make_project: MakeProject) -> None:
    """The case above as a dry run: its listing marked a held letter "after its catch-up period
    ends" only when its deadline came before the slot itself (Saturday 00:00 is after Friday
    17:05), while its ``quota_expiring`` already counted to Monday's window — five counted lost,
    none marked so (docs-truth pass)."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="13.04.1980"), **per_day(sink.port, 5))
        done = greeter(config, "send", "--once", "--dry-run", "--json", "--now", "2027-04-15T17:05:00+03:00")
        summary = json.loads(done.stdout)
        assert (summary["quota_unsent"], summary["quota_expiring"]) == (5, 5), summary
        details = [letter["detail"] for letter in summary["letters"] if letter["held"] == "daily_quota"]
        assert len(details) == 5, summary["letters"]
        assert all(detail.endswith(", after its catch-up period ends") for detail in details), details
    assert not sink.messages
