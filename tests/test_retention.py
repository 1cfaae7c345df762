"""Storage limitation: ``storage.retention_days``, ``greeter purge`` and the daemon's daily purge.

A finished greeting's row (who, for what, when, at which address) is personal
data, kept no longer than it serves; but the frequency cap and "never twice"
need the rows of the last window and of every occasion the planner may still
look at, so a purge deletes only finished rows wholly older than a cut-off that
can never come too close. Real SQLite files and the real PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.errors import ConfigError
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest, JournalKey, JournalStore
from greeter.planner import LONGEST_DAYS_OFF
from greeter.retention import minimum_retention_days, retention_cutoff, retention_problem
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess

OLD = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
RECENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
#: Before the real clock of any run: ``purge`` refuses a --now after it.
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
#: 730 days before 20 November 2026.
CUTOFF = date(2024, 11, 20)

SENT_OLD: JournalKey = ("1", "birthday", date(2024, 3, 1))
SKIPPED_OLD: JournalKey = ("1", "new_year", date(2024, 1, 1))
EXPIRED_OLD: JournalKey = ("2", "birthday", date(2024, 2, 20))
FAILED_OLD: JournalKey = ("3", "birthday", date(2024, 3, 1))
UNCERTAIN_OLD: JournalKey = ("4", "birthday", date(2024, 3, 1))
RETRY_OLD: JournalKey = ("5", "birthday", date(2024, 3, 1))
SENT_RECENT: JournalKey = ("1", "birthday", date(2026, 11, 2))


# --- the pure rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window_days", "min_gap_days", "longest_days_off", "least"),
    [
        (365, 14, 10, 365 + 60 + 60 + 10 + 1),  # the default cap: catch-up's largest (60) outreaches the gap
        (30, 14, 10, 30 + 60 + 60 + 10 + 1),  # a short window still keeps the largest catch-up's occasions
        (365, 90, 10, 365 + 90 + 60 + 10 + 1),  # a minimum gap past 60 days reaches back further
        (1, 0, 0, 1 + 60 + 60 + 0 + 1),
    ],
)
def test_the_minimum_retention_covers_every_reach_at_its_largest(
    window_days: int, min_gap_days: int, longest_days_off: int, least: int
) -> None:
    assert minimum_retention_days(window_days, min_gap_days, longest_days_off) == least
    assert retention_problem(least, window_days, min_gap_days, longest_days_off) is None
    problem = retention_problem(least - 1, window_days, min_gap_days, longest_days_off)
    assert problem is not None and f"at least {least} days" in problem


def test_the_reaches_taken_at_their_largest_are_the_configs_own_limits() -> None:
    """retention.py keeps the config's upper limits as numbers: a raised limit must raise them too."""
    from annotated_types import Le

    from greeter import retention
    from greeter.config import Occasion, Settings

    def most(field: object) -> int:
        return next(m.le for m in field.metadata if isinstance(m, Le))  # type: ignore[attr-defined]

    assert most(Settings.model_fields["catch_up_days"]) == retention._MOST_CATCH_UP
    assert most(Occasion.model_fields["days_before"]) == retention._MOST_DAYS_BEFORE
    assert most(Settings.model_fields["storage"].annotation.model_fields["retention_days"]) == (  # type: ignore[union-attr]
        retention.MOST_RETENTION_DAYS
    )


def test_the_cutoff_is_the_first_day_kept() -> None:
    assert retention_cutoff(date(2026, 11, 20), 730) == CUTOFF
    assert retention_cutoff(date(2028, 3, 1), 366) == date(2027, 3, 1)  # across 29 February 2028


def test_a_retention_shorter_than_the_cap_needs_is_a_config_error_at_its_line(
    make_project: MakeProject,
) -> None:
    config = make_project([], storage={"retention_days": 180})

    with pytest.raises(ConfigError) as caught:
        load_settings(config, today=NOW.date())

    lines = enumerate(config.read_text().splitlines(), 1)
    line = next(n for n, text in lines if text.strip().startswith("retention_days:"))
    message = str(caught.value)
    assert f"greeter.yaml:{line}:" in message
    assert "storage.retention_days: 180 days is too short" in message
    assert f"at least {minimum_retention_days(365, 14, LONGEST_DAYS_OFF)} days" in message


def test_a_long_enough_retention_loads(make_project: MakeProject) -> None:
    config = make_project([], storage={"retention_days": 730})
    assert load_settings(config, today=NOW.date()).storage.retention_days == 730


# --- the journal's part, on both backends -------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=OLD) as journal:
        yield journal


def claim(journal: JournalStore, key: JournalKey, at: datetime) -> None:
    request = ClaimRequest(key, f"client{key[0]}@example.com", f"<{key[0]}.{key[2]}@x>", at)
    assert journal.claim_many([request], now=at) == [True]


def fill(journal: JournalStore) -> None:
    """Finished and unfinished greetings of 2024, one sent last month, approvals, an opt-out of 2024."""
    claim(journal, SENT_OLD, OLD)
    journal.mark_sent(SENT_OLD, "250 ok", OLD)
    journal.mark_skipped(SKIPPED_OLD, "merged into birthday", OLD, email="client1@example.com")
    journal.mark_expired(EXPIRED_OLD, OLD, email="client2@example.com")
    claim(journal, FAILED_OLD, OLD)
    journal.mark_failed(FAILED_OLD, "550 no such user", OLD)
    claim(journal, UNCERTAIN_OLD, OLD)
    journal.mark_uncertain(UNCERTAIN_OLD, "connection lost after DATA", OLD)
    claim(journal, RETRY_OLD, OLD)
    journal.mark_retry(RETRY_OLD, "451 try later", OLD + timedelta(hours=1), OLD)
    claim(journal, SENT_RECENT, RECENT)
    journal.mark_sent(SENT_RECENT, "250 ok", RECENT)
    journal.approve([(SENT_OLD, "h1"), (UNCERTAIN_OLD, "h2"), (SENT_RECENT, "h3")], "anna", RECENT)
    journal.suppress(["gone@example.com"], "unsubscribed", OLD)


def keys(journal: JournalStore) -> set[JournalKey]:
    return {(e.contact_id, e.occasion, e.occasion_date) for e in journal.history()}


def test_a_purge_deletes_only_finished_greetings_older_than_the_cutoff(journal: JournalStore) -> None:
    fill(journal)

    done = journal.purge(CUTOFF)

    assert (done.greetings, done.approvals) == (4, 1)  # sent, skipped, expired, failed of 2024; SENT_OLD's
    assert done.kept == {"retry": 1, "uncertain": 1}
    assert keys(journal) == {UNCERTAIN_OLD, RETRY_OLD, SENT_RECENT}
    assert set(journal.approvals_since(date(2000, 1, 1)).hashes) == {UNCERTAIN_OLD, SENT_RECENT}
    assert journal.is_suppressed("gone@example.com")  # an opt-out is never forgotten
    assert journal.purge(CUTOFF).greetings == 0  # nothing left to delete


def test_a_dry_run_counts_the_same_and_deletes_nothing(journal: JournalStore) -> None:
    fill(journal)
    before = keys(journal)

    counted = journal.purge(CUTOFF, dry_run=True)

    assert (counted.greetings, counted.approvals, counted.kept) == (4, 1, {"retry": 1, "uncertain": 1})
    assert keys(journal) == before
    assert journal.purge(CUTOFF) == counted


def test_a_row_changed_after_the_cutoff_stays_though_its_occasion_is_older(journal: JournalStore) -> None:
    """An old occasion resent by an operator last month is recent history: the last change counts too."""
    claim(journal, UNCERTAIN_OLD, OLD)
    journal.mark_uncertain(UNCERTAIN_OLD, "connection lost after DATA", OLD)
    journal.dismiss(UNCERTAIN_OLD, RECENT)

    assert journal.purge(CUTOFF).greetings == 0
    assert keys(journal) == {UNCERTAIN_OLD}
    assert journal.purge(date(2026, 11, 3)).greetings == 1


# --- greeter purge ------------------------------------------------------------------------------


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def journal_of(config: Path) -> Journal:
    return Journal.open(f"sqlite:///{config.parent}/data/journal.sqlite3", now=OLD)


def test_purge_without_a_retention_says_how_to_give_one(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com")], storage={"retention_days": None})
    journal_of(config).close()

    result = greeter(config, "purge")

    assert result.exit_code == 2
    assert "no retention is set; give --older-than DAYS or set storage.retention_days" in result.stderr


def test_purge_refuses_a_retention_too_short_for_the_cap(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com")])
    journal_of(config).close()

    result = greeter(config, "purge", "--older-than", "90")

    assert result.exit_code == 2
    assert "nothing purged: 90 days is too short" in result.stderr


def test_purge_deletes_past_the_configured_retention_and_reports_it(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com")], storage={"retention_days": 730})
    with journal_of(config) as journal:
        fill(journal)

    dry = greeter(config, "purge", "--dry-run", "--json", "--now", NOW.isoformat())
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout) == {
        "before": CUTOFF.isoformat(), "retention_days": 730, "dry_run": True,
        "greetings": 4, "approvals": 1, "kept": {"retry": 1, "uncertain": 1},
        "config_error": None, "journal_unavailable": None,
    }  # fmt: skip

    done = greeter(config, "purge", "--now", NOW.isoformat())

    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "deleted 4 finished greeting(s) and 1 approval(s) whose occasion, send day and last change are all"
        f" before {CUTOFF.isoformat()} (retention 730 days); the do-not-contact list is kept",
        "kept 1 uncertain greeting(s) as old: decide them (greeter history --state uncertain;"
        " greeter uncertain resend|dismiss)",
        "kept 1 retry greeting(s) as old: the next send retries or expires them",
        f"the outbox's letters are not touched: {config.parent / 'data' / 'outbox'} is its reader's to empty",
    ]
    with journal_of(config) as journal:
        assert keys(journal) == {UNCERTAIN_OLD, RETRY_OLD, SENT_RECENT}


def test_purge_on_the_real_clock_purges(make_project: MakeProject) -> None:
    """Without --now, the real clock: the first real run refused itself ("--now None is after the real clock")."""
    config = make_project([contact_row("1", "client1@example.com")])
    with journal_of(config) as journal:
        fill(journal)

    zone = ZoneInfo(load_settings(config, today=NOW.date()).defaults.timezone)  # its "today" is this zone's
    started = datetime.now(UTC)
    result = greeter(config, "purge", "--older-than", "730", "--json")
    ended = datetime.now(UTC)

    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["greetings"] == 4 and done["dry_run"] is False
    # The days the purge ran on, in the zone (two when it ran across midnight there)
    first, last = started.astimezone(zone).date(), ended.astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    assert done["before"] in {(day - timedelta(days=730)).isoformat() for day in days}


def test_purge_refuses_a_moment_after_the_real_clock(make_project: MakeProject) -> None:
    """A rehearsal's --now in the future would purge as of a later day: rows the cap still needs."""
    config = make_project([contact_row("1", "client1@example.com")], storage={"retention_days": 730})
    with journal_of(config) as journal:
        fill(journal)
    later = datetime.now(UTC) + timedelta(days=400)

    result = greeter(config, "purge", "--now", later.isoformat())

    assert result.exit_code == 2
    assert "is after the real clock" in result.stderr
    with journal_of(config) as journal:
        assert SENT_OLD in keys(journal)


def test_a_retention_beyond_a_hundred_years_is_refused_not_crashed(make_project: MakeProject) -> None:
    config = make_project([], storage={"retention_days": 1_000_000})
    with pytest.raises(ConfigError, match=r"storage\.retention_days: .*36500"):
        load_settings(config, today=NOW.date())
    config = make_project([contact_row("1", "client1@example.com")])
    journal_of(config).close()

    result = greeter(config, "purge", "--older-than", "800000")

    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "800000 is not in the range 1<=x<=36500" in result.stderr


def test_forget_after_a_purge_still_finds_the_letters_to_the_address_in_the_outbox(
    make_project: MakeProject,
) -> None:
    """A purge deletes the rows that named an old letter's file; the erasure must still delete the file."""
    rows = [
        contact_row("1", "client1@example.com", birthday="15.04.1980"),
        contact_row("10", "client10@example.com", birthday="15.04.1980"),
    ]
    config = make_project(rows)
    # A Monday and a Wednesday; the second run also records, as expired, what the year before it
    # missed (the last run's day is more than a year back: a year's), and exits 1 for it.
    for day, code in (("2024-04-15", 0), ("2026-04-15", 1)):
        sent = greeter(config, "send", "--once", "--now", f"{day}T17:29:00+03:00")
        assert sent.exit_code == code, sent.output
    outbox = config.parent / "data" / "outbox"
    assert len(list(outbox.glob("*.eml"))) == 4
    purged = greeter(config, "purge", "--older-than", "500", "--now", NOW.isoformat())
    assert purged.exit_code == 0, purged.output
    assert purged.stdout.startswith("deleted 2 finished greeting(s)")

    erased = greeter(config, "forget", "client1@example.com", "--yes")

    assert erased.exit_code == 0, erased.output
    # the 2026 letter and the two 2025 greetings recorded expired (the 2024 row was purged)
    assert "erased 3 greeting(s), 0 approval(s), 2 .eml file(s)" in erased.stdout
    left = sorted(p.name for p in outbox.glob("*.eml"))
    assert len(left) == 2 and all("_10_" in name for name in left), left


def test_the_daemon_purges_on_its_first_run_of_the_day(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com")], storage={"retention_days": 730})
    with journal_of(config) as journal:
        fill(journal)

    with DaemonProcess(config, "--now", NOW.isoformat()) as daemon:
        purged = daemon.wait_for("purged")
        daemon.wait_for("run")

    assert purged["before"] == CUTOFF.isoformat() and purged["retention_days"] == 730
    assert (purged["greetings"], purged["approvals"]) == (4, 1)
    # The run before it found the 2024 retry past its deadline and recorded it expired today:
    # finished now, but changed today, so it stays until it is as old as the rest.
    assert purged["kept"] == {"uncertain": 1}
    assert len(daemon.named("purged")) == 1
    with journal_of(config) as journal:
        assert keys(journal) == {UNCERTAIN_OLD, RETRY_OLD, SENT_RECENT}
        assert {e.occasion_date: e.state for e in journal.history(contact_id="5")} == {
            RETRY_OLD[2]: "expired"
        }


@pytest.mark.parametrize("days", [None, 730])
def test_check_says_how_long_the_journal_keeps_greetings(make_project: MakeProject, days: int | None) -> None:
    """A data-protection officer's first question, answered where the config is checked."""
    config = make_project([contact_row("1", "client1@example.com")], storage={"retention_days": days})
    least = minimum_retention_days(365, 14, LONGEST_DAYS_OFF)  # the example config's cap
    text = greeter(config, "check")
    line = next(x for x in text.output.splitlines() if x.startswith("retention: "))
    if days is None:
        assert "keeps every greeting" in line and f"at least {least} days" in line
    else:
        assert f"older than {days} days are deleted" in line and "greeter purge" in line
    report = json.loads(greeter(config, "check", "--json").stdout)
    assert report["retention"] == {"days": days, "minimum_days": least}
