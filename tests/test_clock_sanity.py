"""A clock gone back below the journal's own records, and a ``--now`` far from the clock with real mail.

As a chaos engineer found them, on real SQLite files, real PostgreSQL and
real ``greeter`` processes (``faketime`` moves their clock):

* run a week ahead, ``send --once`` recorded 168 greetings ``expired`` for
  good; set right again it said ``due 0; sent: 0``, exit 0. Now the clock
  earlier than what the journal recorded is refused (exit 75, one line),
  ``check`` says it, and ``--clock-is-right`` accepts the clock and puts the
  wrongly expired greetings back;
* ``send --once --now 2030-…`` with ``transport: smtp`` on the production
  journal sent 2030's greetings to real people, exit 0: now it needs
  ``--really-deliver``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from greeter.clock_sanity import far_rehearsal_problem
from greeter.errors import journal_clock_problem
from greeter.journal import Journal
from greeter.journal_pg import PgJournal
from greeter.journal_store import JournalStore
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import greeter_process, history, people, smtp

ROOT = Path(__file__).resolve().parent.parent
NEEDS_FAKETIME = pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime")


def test_a_clock_earlier_than_the_journal_records_is_a_problem_said_with_both_times() -> None:
    newest = datetime(2027, 1, 6, 12, 0, tzinfo=UTC)
    said = journal_clock_problem(newest - timedelta(days=7, hours=1), newest)
    assert said is not None
    assert "the clock reads 2026-12-30" in said and "the journal recorded a greeting at 2027-01-06" in said
    assert "7 days later: fix the clock" in said and "--clock-is-right" in said
    assert journal_clock_problem(newest - timedelta(minutes=4), newest) is None  # within the tolerance
    assert journal_clock_problem(newest + timedelta(days=30), newest) is None  # later is not detectable
    assert journal_clock_problem(newest, None) is None  # nothing recorded yet


def faked(config: Path, offset: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    return subprocess.run(
        ["faketime", "-f", offset, sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


#: Monday 12 April 2027 08:00 in Moscow (faketime reads "@…" in the zone of the process: UTC here).
MONDAY_8AM = "@2027-04-12 05:00:00"


@NEEDS_FAKETIME
def test_after_a_week_ahead_send_refuses_the_corrected_clock_until_told_and_puts_the_expired_back(
    make_project: MakeProject,
) -> None:
    # Every step at a fixed moment (faketime "@…", the machine's zone UTC): Monday 12 April 2027,
    # 08:00 Moscow time, before the send window, the birthdays on Tuesday. Run at the real time,
    # the first send sent the day's letters whose moment had passed (a run at 12:30 Moscow time
    # sent 2 of 3) and nothing was left for the clock ahead to record expired.
    config = make_project(people(3, day="13.04.1980"))
    first = faked(config, MONDAY_8AM, "send", "--once")  # the journal, and since when each is planned
    assert first.returncode in (0, 1), first.stderr
    ahead = faked(config, "@2027-04-19 05:00:00", "send", "--once")  # a week ahead
    assert ahead.returncode == 1, ahead.stdout + ahead.stderr  # recorded expired: something for a person
    assert sorted(e["state"] for e in history(config)) == ["expired"] * 3

    back = faked(config, MONDAY_8AM, "send", "--once")
    assert back.returncode == 75, back.stdout + back.stderr
    assert "the clock reads" in back.stderr and "fix the clock (NTP)" in back.stderr, back.stderr
    assert "greeter send --once --clock-is-right" in back.stderr
    assert sorted(e["state"] for e in history(config)) == ["expired"] * 3  # nothing written

    check = faked(config, MONDAY_8AM, "check")
    assert "send refuses it: the clock reads" in check.stdout + check.stderr, check.stdout + check.stderr
    assert check.returncode == 0  # a warning: a rehearsed copy holds later times too
    assert faked(config, MONDAY_8AM, "check", "--strict").returncode == 1

    rehearsal = faked(config, MONDAY_8AM, "send", "--once", "--dry-run")  # writes nothing: not refused
    assert rehearsal.returncode != 75, rehearsal.stderr

    accepted = faked(config, MONDAY_8AM, "send", "--once", "--clock-is-right")
    assert accepted.returncode != 75, accepted.stdout + accepted.stderr
    assert "clock: 3 greetings recorded expired by a clock ahead put back" in accepted.stderr, accepted.stderr
    assert "expired" not in [e["state"] for e in history(config)]  # planned afresh at the right time
    again = faked(config, MONDAY_8AM, "send", "--once")
    assert again.returncode != 75, again.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    now = datetime.now(UTC)
    if request.param == "sqlite":
        journal: JournalStore = Journal.open(str(tmp_path / "journal.sqlite3"), now=now)
        yield journal
        journal.close()
        return
    with databases.pg_schema() as (url, _):
        journal = PgJournal.open(url, now=now)
        yield journal
        journal.close()


def test_the_newest_change_and_pulling_later_ones_back_on_both_stores(store: JournalStore) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    assert store.newest_change() is None
    ahead = now + timedelta(days=365)
    store.record_handled(
        ("1", "birthday", ahead.date()), "sent by another tool", ahead, email="a@example.com"
    )
    store.record_handled(("2", "birthday", now.date()), "sent by another tool", now, email="b@example.com")
    assert store.newest_change() == ahead
    assert store.pull_back(now) == (0, 1)  # no expired row; one change re-dated
    assert store.newest_change() == now
    assert journal_clock_problem(now, store.newest_change()) is None


def test_send_now_far_from_the_clock_with_smtp_needs_really_deliver(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2, day="15.04.1980"), **smtp(sink.port))
        yesterday = datetime.now(UTC) - timedelta(days=1)  # production's: a letter sent yesterday
        with Journal.open(str(config.parent / "data" / "journal.sqlite3"), now=yesterday) as journal:
            journal.lock_sender()
            key = ("9", "birthday", yesterday.date())
            mid = "<9@example.com>"
            journal.claim(key, email="n@example.com", message_id=mid, planned_at=yesterday, now=yesterday)
            journal.mark_sent(key, "250 ok", yesterday)
        refused = greeter_process(config, "send", "--once", "--now", "2030-04-15T11:00:00+03:00")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "--really-deliver" in refused.stderr and "transport is smtp" in refused.stderr
        assert sink.messages == []
        confirmed = greeter_process(
            config, "send", "--once", "--now", "2030-04-15T11:00:00+03:00", "--really-deliver"
        )
        assert confirmed.returncode == 0, confirmed.stderr
        assert len(sink.messages) == 2


def test_send_now_far_from_the_clock_stays_free_with_the_file_transport(make_project: MakeProject) -> None:
    config = make_project(people(2, day="15.04.1980"))
    rehearsal = greeter_process(config, "send", "--once", "--now", "2030-04-15T11:00:00+03:00")
    assert rehearsal.returncode == 0, rehearsal.stderr
    assert "sent: 2" in rehearsal.stdout


def test_far_rehearsal_problem_is_about_delivering_transports_on_a_journal_in_use() -> None:
    clock = datetime(2026, 12, 29, 12, tzinfo=UTC)
    in_use = clock - timedelta(days=2)
    assert far_rehearsal_problem(clock + timedelta(hours=23), clock, "smtp", in_use) is None
    assert far_rehearsal_problem(clock + timedelta(days=1200), clock, "file", in_use) is None
    said = far_rehearsal_problem(clock + timedelta(days=1200), clock, "smtp", in_use)
    assert said is not None and "ahead of the clock" in said and "--really-deliver" in said
    # A journal only rehearsals wrote (its times at --now), or a new one, is a rehearsal's.
    assert far_rehearsal_problem(clock + timedelta(days=1200), clock, "smtp", None) is None
    rehearsed = clock + timedelta(days=1200)
    assert far_rehearsal_problem(clock + timedelta(days=1200), clock, "smtp", rehearsed) is None
