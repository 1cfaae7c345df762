"""What ``greeter copy-journal`` carries and what it leaves: opt-out history kept, identity mark not.

Found by an operator after the opt-out events (SQLite migration 12, PostgreSQL 8) came in: a
copy that dropped them would lose the compliance record ("you wrote to me after I opted out":
who lifted an opt-out, when, why). And a SQLite → SQLite copy carried the source's identity mark
(``journal_identity``, by which a running daemon sees another journal copied over its file): two
daemons sending from two copies — the journal cloned for a second site, or the way back from
PostgreSQL with the old file unmarked again — had one mark, and either copy written over the
other's file under its daemon went unseen. A copy is another journal: its first sender marks it.
Real SQLite files, a real PostgreSQL schema, real ``greeter`` processes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from greeter.errors import JournalError
from greeter.journal import Journal
from greeter.journal_pg import PgJournal
from greeter.journal_store import OptOutEvent
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_copy_journal import MOMENT, a_years_journal, copy, journal_file, rows
from tests.test_send_e2e import greeter, smtp

OVERWRITTEN = "was overwritten in place while greeter was running"
IDENTITY = "SELECT fingerprint FROM notices WHERE name = 'journal_identity'"


def _identity(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute(IDENTITY)]


def _first_run(path: Path) -> None:
    """What a sender's first run leaves: its identity mark (taken at the run's first step)."""
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        journal.lock_sender()
        journal.recover_stale_claims(MOMENT)


def test_a_sqlite_copy_is_another_journal_with_a_mark_of_its_own(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        config = a_years_journal(make_project, sink)
    source, clone = journal_file(config), tmp_path / "clone.sqlite3"
    [mark] = _identity(source)  # the sends made it
    dry = copy(config, f"sqlite:///{clone}", "--dry-run", "--json")
    done = copy(config, f"sqlite:///{clone}", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    with sqlite3.connect(source) as conn:
        notices = int(
            conn.execute("SELECT count(*) FROM notices WHERE name <> 'journal_moved'").fetchone()[0]
        )
    copied = json.loads(done.stdout)["tables"]["notices"]["rows"]
    assert copied == notices - 1 == json.loads(dry.stdout)["tables"]["notices"]["rows"]  # all but the mark
    assert _identity(clone) == []  # no mark until its own first sender
    _first_run(clone)
    [own] = _identity(clone)
    assert own != mark and _identity(source) == [mark]

    # The second site's clone copied over the first site's file under its sender: seen.
    assert greeter(config, "copy-journal", "--unmark").returncode == 0  # both sites send
    journal = Journal.open(f"sqlite:///{source}", now=MOMENT)
    try:
        journal.lock_sender()
        journal.recover_stale_claims(MOMENT)
        assert journal.checkpoint() is None
        shutil.copyfile(clone, source)
        with pytest.raises(JournalError, match=OVERWRITTEN):
            journal.recover_stale_claims(MOMENT)
    finally:
        journal.close()


def _events(journal: Journal | PgJournal) -> list[OptOutEvent]:
    return sorted(
        journal.optout_events(), key=lambda e: (e.recorded_at, e.email, e.event, e.contact_id or "")
    )


def test_the_opt_out_history_goes_to_postgresql_and_back_value_for_value(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)  # its sends left the file's identity mark
        assert len(_identity(journal_file(config))) == 1
        said = [
            ("suppress", "client4@example.com", "--by", "ann", "--now", "2027-04-10T09:00:00+03:00"),
            ("suppress", "--contact", "2", "--by", "bob", "--now", "2027-04-11T09:00:00+03:00"),
            ("unsuppress", "client4@example.com", "--by", "ann", "--reason", "asked again by phone"),
            ("suppress", "client6@example.com", "--address-only", "--now", "2027-04-12T09:00:00+03:00"),
        ]
        for args in said:
            done = greeter(config, *args)
            assert done.returncode == 0, (args, done.stdout + done.stderr)
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as lite:
            before = _events(lite)
        assert {e.event for e in before} == {"added", "lifted"} and len(before) >= 4, before
        assert {"ann", "bob"} <= {e.by for e in before} and any(e.contact_id == "2" for e in before)
        assert any(e.reason == "asked again by phone" for e in before), before

        there = copy(config, url, "--json")
        assert there.returncode == 0, there.stdout + there.stderr
        with PgJournal.open(url, now=MOMENT) as pg:
            assert _events(pg) == before
        with databases.pg_admin() as conn:  # the SQLite file's mark stays with the file
            assert conn.execute(
                f"SELECT count(*) FROM {schema}.notices WHERE name = 'journal_identity'"
            ).fetchone() == (0,)

        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})
        back_file = tmp_path / "back.sqlite3"
        back = copy(moved, f"sqlite:///{back_file}", "--json")
        assert back.returncode == 0, back.stdout + back.stderr
        with Journal.open(f"sqlite:///{back_file}", now=MOMENT) as lite_again:
            assert _events(lite_again) == before
    there_tables, back_tables = json.loads(there.stdout)["tables"], json.loads(back.stdout)["tables"]
    assert there_tables["optout_events"] == back_tables["optout_events"]
    assert there_tables["optout_events"]["rows"] == len(before)
