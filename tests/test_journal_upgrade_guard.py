"""Upgrading greeter: the journal's schema is never upgraded under a running older greeter, and an
upgrade is said when it happens.

Found by an operator upgrading over a year-old SQLite journal: with the old release's daemon
running on its schema-8 journal, the new ``send --once`` answered "another greeter is already
sending" (exit 75) — after it had upgraded the journal to the new schema, under the old daemon,
which went on sending on a schema it does not know and refused it at its next restart.
``history`` did the same. And ``history``, ``preview``, a dry run… upgraded a schema-5 journal
without a word: only ``check`` said, beforehand, that the next command would.

The older greeter here is another process holding the journal's sender lock (``flock`` on
``<db>.lock``, as every release took it), on a journal built by the first migrations.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter import journal_pg_schema
from greeter.cli import main
from greeter.journal_pg import PgJournal
from greeter.journal_schema import MIGRATIONS, lock_path, migrate
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, people

LATEST = len(MIGRATIONS)

#: What an older greeter's sender does: take ``<db>.lock`` and write its pid into it, then run.
HOLDER = """
import fcntl, os, socket, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
os.ftruncate(fd, 0)
os.write(fd, f"{os.getpid()} {socket.gethostname()}\\n".encode())
print("holding", flush=True)
sys.stdin.read()
"""


def old_journal(path: Path, version: int) -> None:
    """A journal at schema ``version``, as the greeter of that schema left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2026-01-10T09:00:00+00:00", migrations=MIGRATIONS[:version]) == version
    conn.close()


def schema_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def old_daemon(make_project: MakeProject) -> Iterator[tuple[Path, int]]:
    """A project whose schema-8 journal an older greeter's sender (another process) holds: the
    config, and that process's pid."""
    config = make_project(people(2))
    journal = config.parent / "data" / "journal.sqlite3"
    old_journal(journal, 8)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(journal))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield config, holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


@pytest.mark.parametrize(
    "command",
    [
        ["send", "--once", "--now", NOW],
        ["send", "--once", "--dry-run", "--now", NOW],
        ["history", "--format", "json"],
        ["preview", "--now", NOW],
        ["uncertain", "dismiss", "--all", "--date", "2027-04-13"],
    ],
    ids=["send", "dry-run", "history", "preview", "uncertain"],
)
def test_no_command_upgrades_the_journal_an_older_greeter_is_running_on(
    old_daemon: tuple[Path, int], command: list[str]
) -> None:
    config, pid = old_daemon
    result = CliRunner().invoke(main, ["--config", str(config), *command])
    assert result.exit_code == 75, result.output
    assert f"a greeter (pid {pid}" in result.stderr
    assert f"stop it before upgrading the journal to schema {LATEST}" in result.stderr
    assert "Traceback" not in result.output
    assert schema_of(config.parent / "data" / "journal.sqlite3") == 8, "left as the old greeter knows it"


@pytest.mark.parametrize(
    "command",
    [
        ["history", "--format", "json"],
        ["preview", "--now", NOW, "--format", "json"],
        ["send", "--once", "--dry-run", "--json", "--now", NOW],
    ],
    ids=["history", "preview", "dry-run"],
)
def test_a_command_that_upgrades_the_journal_says_so_on_stderr(
    make_project: MakeProject, command: list[str]
) -> None:
    config = make_project(people(2))
    journal = config.parent / "data" / "journal.sqlite3"
    old_journal(journal, 5)
    result = CliRunner().invoke(main, ["--config", str(config), *command])
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "upgraded from schema" in line]
    assert said == [
        f"journal {journal} upgraded from schema 5 to {LATEST}; an older greeter can no longer open it"
        " (docs/operations.md, Upgrading greeter)"
    ]
    json.loads(result.stdout)  # the note is on stderr only
    assert schema_of(journal) == LATEST
    again = CliRunner().invoke(main, ["--config", str(config), *command])
    assert again.exit_code == 0, again.output
    assert "upgraded" not in again.stderr, "said once: the next command finds it upgraded"


def test_the_daemon_logs_the_upgrade(make_project: MakeProject) -> None:
    config = make_project(people(1))
    old_journal(config.parent / "data" / "journal.sqlite3", 5)
    with DaemonProcess(config, "--now", NOW) as daemon:
        event = daemon.wait_for("journal_upgraded")
        daemon.wait_for("started")
        assert daemon.stop() == 0
    assert (event["from_schema"], event["to_schema"]) == (5, LATEST)


def test_a_postgresql_journal_says_its_upgrade_once() -> None:
    """The PostgreSQL journal's open says its upgrade too (what the command then prints)."""
    now = datetime.fromisoformat(NOW)
    latest = len(journal_pg_schema.MIGRATIONS)
    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=now, migrations=journal_pg_schema.MIGRATIONS[:3])
        with PgJournal.open(url, now=now) as journal:
            assert journal.upgraded == (3, latest)
        with PgJournal.open(url, now=now) as journal:
            assert journal.upgraded is None


def _journal_line(result_stdout: str) -> str:
    return next(line for line in result_stdout.splitlines() if line.startswith("journal: "))


def test_check_says_an_older_greeter_running_on_the_journal_keeps_it_from_being_upgraded(
    old_daemon: tuple[Path, int],
) -> None:
    """``check`` said "the next command that opens it … upgrades it" while every command refused
    it (exit 75) for the older greeter holding its lock: it now names that greeter, and only asks
    (the shared lock ``backup`` tries, released at once), so the journal and its lock are left as
    they were."""
    config, pid = old_daemon
    journal = config.parent / "data" / "journal.sqlite3"
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert "Traceback" not in result.output
    line = _journal_line(result.stdout)
    assert f"journal schema version 8 of {LATEST}, but a greeter (pid {pid} on host " in line
    assert "refuses the journal (exit 75) until that greeter stops; stop it first" in line
    assert "the next command that opens it" not in line
    assert schema_of(journal) == 8


def test_check_says_the_next_command_upgrades_an_older_journal_no_greeter_runs_on(
    make_project: MakeProject,
) -> None:
    config = make_project(people(2))
    journal = config.parent / "data" / "journal.sqlite3"
    old_journal(journal, 8)
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    line = _journal_line(result.stdout)
    assert f"journal schema version 8 of {LATEST}: the next command that opens it" in line
    assert "is running on it" not in line
    assert schema_of(journal) == 8
