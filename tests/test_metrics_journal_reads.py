"""The journal reads of ``/metrics`` (every scrape) and of the daemon's start (``refusing``) use indexes.

Before, a scrape's one query (:data:`~greeter.journal_sql.TALLY_QUERY`) walked ``greetings_by_state``
and looked every row up in the table, its skip-reason ``CASE`` worked out per row and every row
sorted for the grouping: 0.7–1.7 s a scrape at 200,000 greetings on SQLite (bench/bench_metrics.py),
against the probe's 1.5 s — past it, ``/metrics`` says ``greeter_journal_up 0`` of a journal that is
only big. And ``refusing`` was not read from the journal at all. Real SQLite files and PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter import journal_sql
from greeter.journal import Journal
from greeter.journal_store import JournalStore
from tests import databases

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SPAM = "554 5.7.1 Message rejected: spam content detected"


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=NOW) as journal:
        yield journal


def verdict(journal: JournalStore, n: int, at: datetime, reply: str) -> None:
    """Greeting ``n`` claimed and answered ``reply`` at ``at``: sent for a 250, failed for a 5xx."""
    key = (f"c{n}", "birthday", date(2026, 12, 7))
    assert journal.claim(key, email=f"c{n}@example.com", message_id=f"<{n}@x>", planned_at=at, now=at)
    if reply.startswith("250"):
        journal.mark_sent(key, reply, at)
    else:
        journal.mark_failed(key, reply, at)


def test_recent_refusals_are_those_since_the_newest_letter_that_left(journal: JournalStore) -> None:
    at = [NOW + timedelta(minutes=n) for n in range(6)]
    assert journal.recent_refusals() == []
    verdict(journal, 1, at[0], SPAM)
    verdict(journal, 2, at[1], "550 5.1.1 no such user")
    assert journal.recent_refusals() == [("550 5.1.1 no such user", at[1]), (SPAM, at[0])]
    verdict(journal, 3, at[2], "250 2.0.0 Ok")
    assert journal.recent_refusals() == [], "a letter accepted since: the server takes our mail"
    verdict(journal, 4, at[3], SPAM)
    verdict(journal, 5, at[4], SPAM)
    assert journal.recent_refusals() == [(SPAM, at[4]), (SPAM, at[3])]


def plan(db: sqlite3.Connection, query: str) -> list[str]:
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()]


def test_the_scrape_reads_an_index_and_the_start_searches_one(tmp_path: Path) -> None:
    """A table scan (``SCAN greetings``, or through ``greetings_by_state`` with a look-up per row)
    reads every greeting's whole row, its letter's bytes too; the scrape reads a covering index."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(f"sqlite:///{path}", now=NOW) as journal:
        for n in range(20):
            verdict(journal, n, NOW, SPAM if n % 3 else "250 2.0.0 Ok")
    db = sqlite3.connect(path)
    db.execute("ANALYZE")  # the planner's choice with the journal's own statistics, not a guess
    tally = plan(db, journal_sql.TALLY_QUERY)
    assert any("USING COVERING INDEX greetings_tally" in step for step in tally), tally
    assert not [step for step in tally if step.startswith("SCAN greetings") and "COVERING" not in step], tally
    refusals = plan(db, journal_sql.recent_refusals_query("''"))
    assert [step for step in refusals if step.startswith("SEARCH greetings")] == [
        "SEARCH greetings USING INDEX greetings_by_verdict (state=? AND updated_at>?)",
        "SEARCH greetings USING COVERING INDEX greetings_by_verdict (state=?)",
    ], refusals
