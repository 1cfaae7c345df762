"""A journal a newer greeter wrote: exit 2 for a SQLite one, 75 for a shared PostgreSQL one; check agrees.

The two differ on purpose (docs/commands.md, "Exit codes, case by case"). A
SQLite journal newer than this greeter was written here by a newer greeter
(downgraded since) or on the machine it was copied from: nothing mends that by
itself, so exit 2 and ``RestartPreventExitStatus=2`` keep the unit from looping.
A PostgreSQL journal is shared: a newer schema there is the middle of a rolling
upgrade another machine began, mended by upgrading greeter on this one — exit 75,
as the daemon already running on it keeps trying (tests/test_pg_rolling_upgrade.py).

Before: ``check`` exited 1 for both, where send and history exit 2 and 75, though
it promises their exit code for a journal they refuse; and a SQLite journal's
refusal did not say which file it was. Real SQLite files, the real PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from greeter.journal_pg_schema import MIGRATIONS as PG_MIGRATIONS
from greeter.journal_schema import MIGRATIONS, migrate
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, people, smtp

#: A command that sends and one that only reads.
COMMANDS = [("send", "--once", "--now", NOW), ("history",)]
NEWER = len(MIGRATIONS) + 1
PG_NEWER = len(PG_MIGRATIONS) + 1


def newer_sqlite_journal(path: Path) -> None:
    """A journal of this greeter's schema, with the ledger row a newer greeter's migration adds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, now_iso="2027-04-01T09:00:00+00:00")
    conn.execute(
        "INSERT INTO schema_version (version, description, applied_at)"
        " VALUES (?, 'a newer greeter', '2027-04-02T09:00:00+00:00')",
        (NEWER,),
    )
    conn.close()


def upgraded_elsewhere(schema: str) -> None:
    """What a newer greeter's first command on another machine adds to a shared journal's ledger."""
    with databases.pg_admin() as conn:
        conn.execute(
            f"INSERT INTO {schema}.schema_version (version, description, applied_at)"
            " VALUES (%s, 'a newer greeter', now())",
            (PG_NEWER,),
        )


@pytest.mark.parametrize("args", COMMANDS, ids=["send", "history"])
def test_a_sqlite_journal_a_newer_greeter_wrote_is_exit_2_naming_it(
    make_project: MakeProject, args: tuple[str, ...]
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        path = config.parent / "data" / "journal.sqlite3"
        newer_sqlite_journal(path)
        refused = greeter(config, *args)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert sink.messages == []
    said = f"journal {path}: journal schema version {NEWER} is newer than this greeter knows ({NEWER - 1})"
    assert said in refused.stderr and "upgrade greeter" in refused.stderr, refused.stderr
    with sqlite3.connect(path) as conn:  # left as it was
        assert conn.execute("SELECT MAX(version), COUNT(*) FROM schema_version").fetchone() == (NEWER, NEWER)
        assert conn.execute("SELECT COUNT(*) FROM greetings").fetchone() == (0,)


def test_check_exits_2_for_a_sqlite_journal_a_newer_greeter_wrote(make_project: MakeProject) -> None:
    config = make_project(people(2))
    newer_sqlite_journal(config.parent / "data" / "journal.sqlite3")
    checked = greeter(config, "check", "--json")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] is False
    journal = report["databases"]["journal"]
    assert (journal["schema_version"], journal["latest_version"]) == (NEWER, NEWER - 1)
    assert "is newer than this greeter knows" in journal["detail"]


@pytest.mark.parametrize("args", COMMANDS, ids=["send", "history"])
def test_a_postgresql_journal_a_newer_greeter_upgraded_is_exit_75(
    make_project: MakeProject, args: tuple[str, ...]
) -> None:
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(people(2), storage={"url": url}, **smtp(sink.port))
        made = greeter(config, "suppress", "nobody@example.com")  # the journal's tables exist now
        assert made.returncode == 0, made.stderr
        upgraded_elsewhere(schema)
        refused = greeter(config, *args)
        assert refused.returncode == 75, refused.stdout + refused.stderr
        assert sink.messages == []
    said = f"journal schema version {PG_NEWER} is newer than this greeter knows ({PG_NEWER - 1})"
    assert said in refused.stderr and "upgrade greeter on this machine" in refused.stderr, refused.stderr


def test_check_exits_75_for_a_postgresql_journal_a_newer_greeter_upgraded(make_project: MakeProject) -> None:
    """75 when it is all that is wrong, as for the journal's server down: what send would exit."""
    with databases.pg_schema() as (url, schema):
        config = make_project(people(2), storage={"url": url})
        made = greeter(config, "suppress", "nobody@example.com")
        assert made.returncode == 0, made.stderr
        upgraded_elsewhere(schema)
        checked = greeter(config, "check", "--json")
    assert checked.returncode == 75, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] is False
    journal = report["databases"]["journal"]
    assert (journal["schema_version"], journal["latest_version"]) == (PG_NEWER, PG_NEWER - 1)
    assert "is newer than this greeter knows" in journal["detail"]


def test_a_read_only_sqlite_journal_a_newer_greeter_wrote_is_said_so(make_project: MakeProject) -> None:
    """Before: ``journal … cannot be written here: …`` — why the writable open failed (a ``chmod 444``
    journal, read read-only as history may), though the read-only open found the real refusal."""
    config = make_project(people(2))
    path = config.parent / "data" / "journal.sqlite3"
    newer_sqlite_journal(path)
    path.chmod(0o444)
    refused = greeter(config, "history")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    said = f"journal {path}: journal schema version {NEWER} is newer than this greeter knows ({NEWER - 1})"
    assert said in refused.stderr and "cannot be written" not in refused.stderr, refused.stderr
