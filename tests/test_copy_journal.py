"""``greeter copy-journal``: a year's SQLite journal carried over to PostgreSQL (and back), whole.

Pointed at an empty schema, the next send forgot every letter sent (and sent
again those inside catch_up_days), every opt-out and every decision. Real
SQLite files, a real PostgreSQL (a fresh schema per test, dropped after),
real ``greeter`` processes and a real SMTP sink.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from greeter.journal import Journal, open_journal
from greeter.journal_project import journal_shown
from greeter.journal_schema import MIGRATIONS
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import LATER, NOW, greeter_process, smtp

#: Among the suite's longest files (CI's --durations): handed out first under xdist (tests/parallel.py).
pytestmark = pytest.mark.slow

MOMENT = datetime.fromisoformat(NOW)
SECRET = "s3cret-pw"
APPROVED = ("6", "birthday", datetime.fromisoformat("2027-05-20T00:00:00+03:00").date())


def rows() -> list[str]:
    """Six clients greeted on 13 April, and a sixth whose birthday is next month (approved ahead)."""
    found = [contact_row(str(i), f"client{i}@example.com", birthday="13.04.1980") for i in range(1, 6)]
    return [*found, contact_row("6", "client6@example.com", birthday="20.05.1980")]


def journal_file(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


def history(config: Path) -> list[dict[str, Any]]:
    done = greeter_process(config, "history", "--format", "json")
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def a_years_journal(make_project: MakeProject, sink: SmtpSink) -> Path:
    """A SQLite journal with a letter in every state a send leaves, opt-outs, an approval, the key."""
    config = make_project(rows(), **smtp(sink.port))
    optout = greeter_process(config, "suppress", "client5@example.com", "--now", NOW)  # a person's opt-out
    assert optout.returncode == 0, optout.stderr
    sink.reject("client2@example.com", 550)  # failed, and its address on the do-not-contact list
    sink.reject("client3@example.com", 451)  # retry
    sink.drop_next(1)  # the first letter's DATA is lost: uncertain
    first = greeter_process(config, "send", "--once", "--now", NOW)
    assert first.returncode == 1, first.stdout + first.stderr
    with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as journal:
        journal.approve([(APPROVED, "hash-of-the-letter")], "ann", MOMENT)
    states = {r["state"] for r in history(config)}
    assert {"sent", "failed", "retry", "uncertain"} <= states, states  # client5: no row, opted out
    return config


def greetings_in(path: Path) -> int:
    """The journal's greeting rows (history shows fewer: it leaves out those merged into another letter)."""
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM greetings").fetchone()[0])


def copy(config: Path, target: str, *args: str) -> Any:
    return greeter_process(config, "copy-journal", target, *args)


def test_a_journal_copied_to_postgresql_sends_nothing_twice_and_greets_no_one_suppressed(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        before = history(config)
        sent_to = {m.rcpt_tos[0] for m in sink.messages if not m.dropped}
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as lite:
            key, optouts = lite.message_key(create=False), lite.suppressed()
            events = lite.optout_events()
        target = url.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")

        done = copy(config, target)

        assert done.returncode == 0, done.stdout + done.stderr
        assert SECRET not in done.stdout + done.stderr
        assert done.stdout.startswith(
            f"copied journal {journal_file(config)} (schema {len(MIGRATIONS)}) to postgresql://postgres@"
        )
        n = greetings_in(journal_file(config))
        assert (
            f": {n} greetings, 2 do-not-contact addresses, 1 opted-out contact, 1 approval, " in done.stdout
        )
        assert done.stdout.rstrip().endswith(f"now set storage.url to {journal_shown(url)} and start greeter")
        with open_journal(url, now=MOMENT) as pg:
            assert pg.message_key(create=False) == key  # the same Message-IDs for every letter
            assert pg.suppressed() == optouts
            assert set(pg.opted_out_contacts()) == {"5"}
            assert events and pg.optout_events() == events  # the opt-outs' record moves with them
            assert pg.approvals_since(APPROVED[2]).hashes == {APPROVED: "hash-of-the-letter"}

        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})  # storage.url switched
        assert history(moved) == before  # every row, every column history shows
        received = len(sink.messages)
        again = greeter_process(moved, "send", "--once", "--now", LATER)
        # due 1: only client3's retry, whose time had come (the sink still answers 451: exit 75)
        assert again.returncode == 75 and "due 1; sent: 0; retry: 1;" in again.stdout, (
            again.stdout + again.stderr
        )
        new = [m.rcpt_tos[0] for m in sink.messages[received:]]
        assert not set(new) & sent_to, "a letter sent before the move went again"
        assert "client5@example.com" not in new and "client2@example.com" not in new  # opted out, failed
        assert set(new) <= {"client3@example.com"}  # only the retry, whose time had come
        uncertain = [r for r in history(moved) if r["state"] == "uncertain"]
        assert len(uncertain) == 1  # still waiting for the operator, not sent again


def test_and_back_from_postgresql_to_a_sqlite_file_the_same_rows_and_checksums(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        before = history(config)
        there = copy(config, url, "--json")
        assert there.returncode == 0, there.stderr
        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})
        audit = tmp_path / "audit" / "journal.sqlite3"
        audit.parent.mkdir()  # a folder that does not exist is refused, never made
        back = copy(moved, f"sqlite:///{audit}", "--json")
        assert back.returncode == 0, back.stderr
        there_tables, back_tables = json.loads(there.stdout)["tables"], json.loads(back.stdout)["tables"]
        assert back_tables == there_tables  # every row of every table, value for value
        assert there_tables["greetings"]["rows"] == greetings_in(journal_file(config))
        audited = make_project(rows(), **smtp(sink.port), storage={"url": f"sqlite:///{audit}"})
        assert history(audited) == before


def test_a_postgresql_journal_a_sender_is_working_on_is_not_copied(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        assert copy(config, url).returncode == 0
        with databases.pg_admin() as conn:  # a daemon on web1 has claimed a letter, its lease running
            conn.execute(
                f"UPDATE {schema}.greetings SET state = 'claimed', claimed_by = 'web1/4242',"
                " lease_until = clock_timestamp() + interval '10 minutes' WHERE contact_id = '1'"
            )
        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})
        audit = tmp_path / "audit.sqlite3"
        done = copy(moved, f"sqlite:///{audit}")
        assert done.returncode == 75, done.stdout + done.stderr
        assert "a greeter is sending from journal" in done.stderr and "web1/4242 (1 letter)" in done.stderr
        assert not audit.exists()


def test_a_target_that_holds_rows_is_refused_never_merged(make_project: MakeProject, tmp_path: Path) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        assert copy(config, url).returncode == 0
        with databases.pg_admin() as conn:
            held = conn.execute(f"SELECT count(*) FROM {schema}.greetings").fetchone()
        assert greeter_process(config, "copy-journal", "--unmark").returncode == 0  # else: "already holds it"
        again = copy(config, url)
        assert again.returncode == 2, again.stdout + again.stderr
        assert "is not empty" in again.stderr and "nothing was copied" in again.stderr
        assert len(again.stderr.strip().splitlines()) == 1
        with databases.pg_admin() as conn:
            assert conn.execute(f"SELECT count(*) FROM {schema}.greetings").fetchone() == held
        other = tmp_path / "other.sqlite3"
        assert copy(config, f"sqlite:///{other}").returncode == 0
        assert greeter_process(config, "copy-journal", "--unmark").returncode == 0
        twice = copy(config, f"sqlite:///{other}")
        assert twice.returncode == 2 and "is not empty" in twice.stderr
        itself = copy(config, f"sqlite:///{journal_file(config)}")
        assert itself.returncode == 2 and "is the journal being copied" in itself.stderr


def test_a_running_sender_refuses_the_copy_and_the_target_is_left_untouched(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as sender:
            sender.lock_sender(config=config)  # a daemon or a send --once at work
            done = copy(config, url)
        assert done.returncode == 75, done.stdout + done.stderr
        assert "another greeter is already sending from journal" in done.stderr
        assert f"pid {os.getpid()}" in done.stderr
        with databases.pg_admin() as conn:
            made = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
        assert made is None  # nothing made in the target


def test_a_copy_that_fails_midway_leaves_the_target_without_a_row(make_project: MakeProject) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        with sqlite3.connect(journal_file(config)) as raw:  # a row no greeter wrote: a time without offset
            raw.execute(
                "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at, updated_at)"
                " VALUES ('zz', 'birthday', '2027-04-13', 'sent', '2027-04-14T08:00:00', '2027-04-14T08:00:00')"
            )
        done = copy(config, url)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "a time without its offset" in done.stderr and "nothing was copied" in done.stderr
        with databases.pg_admin() as conn:
            made = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
        assert made is None  # the schema and its tables were made in the copy's transaction: rolled back


def test_a_dry_run_says_what_would_go_and_makes_nothing(make_project: MakeProject, tmp_path: Path) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        n = greetings_in(journal_file(config))
        done = copy(config, url, "--dry-run")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"would copy journal {journal_file(config)} (schema {len(MIGRATIONS)})")
        assert f"{n} greetings, 2 do-not-contact addresses" in done.stdout and "nothing copied" in done.stdout
        with databases.pg_admin() as conn:
            assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is None
        lite = tmp_path / "new.sqlite3"
        assert copy(config, f"sqlite:///{lite}", "--dry-run").returncode == 0
        assert not lite.exists()


@pytest.mark.parametrize(
    "target", ["mysql://x@y/z", "postgresql://postgres@127.0.0.1:5432/test?schema=x;drop"]
)
def test_a_url_that_is_no_journal_is_refused(make_project: MakeProject, target: str) -> None:
    with SmtpSink() as sink:
        config = a_years_journal(make_project, sink)
        done = copy(config, target)
        assert done.returncode == 2, done.stdout + done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_a_database_that_does_not_answer_is_75_and_its_password_is_never_said(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = a_years_journal(make_project, sink)
        done = copy(config, f"postgresql://postgres:{SECRET}@127.0.0.1:1/test?schema=x")
        assert done.returncode == 75, done.stdout + done.stderr
        assert SECRET not in done.stdout + done.stderr
        assert (
            done.stderr.startswith("cannot copy journal ")
            and "postgresql://postgres@127.0.0.1:1/test" in done.stderr
        )
        assert len(done.stderr.strip().splitlines()) == 1


def copy_from(cwd: Path, config: Path, target: str, *args: str) -> Any:
    """``greeter copy-journal`` run from another working directory (a cron line, a shell elsewhere)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config.resolve()), "copy-journal", target, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_a_relative_sqlite_target_is_the_file_storage_url_would_name(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        config = a_years_journal(make_project, sink)
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        for args in ((), ("--dry-run",)):  # a folder that does not exist is refused, never made
            missing = copy_from(elsewhere, config, "sqlite:///nofolder/back.sqlite3", *args)
            assert missing.returncode == 2, missing.stdout + missing.stderr
            assert f"no folder {config.parent.absolute() / 'nofolder'}" in missing.stderr
            assert "mkdir -p" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
            assert not (config.parent / "nofolder").exists() and not (elsewhere / "nofolder").exists()
        done = copy_from(elsewhere, config, "sqlite:///data/back.sqlite3")
        assert done.returncode == 0, done.stdout + done.stderr
        meant = (config.parent / "data" / "back.sqlite3").absolute()
        assert meant.exists() and not (elsewhere / "data").exists()
        assert f" to {meant}: " in done.stdout  # the absolute path, the one storage.url will name
        assert greetings_in(meant) == greetings_in(journal_file(config))


def test_a_postgres_url_is_taken_as_storage_url_takes_it_and_no_password_is_ever_said(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        short = url.replace("postgresql://postgres@", f"postgres://postgres:{SECRET}@")
        done = copy(config, short, "--dry-run")
        assert done.returncode == 0, done.stdout + done.stderr
        assert SECRET not in done.stdout + done.stderr and "would copy journal" in done.stdout
        refused = copy(config, f"mysql://root:{SECRET}@127.0.0.1/test", "--dry-run")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert SECRET not in refused.stdout + refused.stderr
        assert "postgresql://" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def moved_notices(conn: Any, table: str) -> int:
    """The rows marking a journal moved (greeter.journal_moved) in a ``notices`` table."""
    return int(conn.execute(f"SELECT count(*) FROM {table} WHERE name = 'journal_moved'").fetchone()[0])


def test_a_copied_journal_is_marked_so_a_forgotten_cron_sends_nothing_from_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, schema):
        config = a_years_journal(make_project, sink)
        assert copy(config, url).returncode == 0
        received = len(sink.messages)

        cron = greeter_process(config, "send", "--once", "--now", LATER)  # the old config's cron, forgotten
        assert cron.returncode == 2, cron.stdout + cron.stderr
        said = cron.stderr.strip()
        assert len(said.splitlines()) == 1 and said.endswith("nothing was sent")
        assert f"journal {journal_file(config)} was copied to postgresql://postgres@" in said
        assert "greeter now sends from there; set storage.url to postgresql://postgres@" in said
        trial = greeter_process(
            config, "test-send", "--contact", "4", "--to", "me@example.com", "--now", LATER
        )
        assert trial.returncode == 2 and "was copied to" in trial.stderr, trial.stdout + trial.stderr
        optout = greeter_process(
            config, "suppress", "x@example.com", "--now", LATER
        )  # it would be lost there
        assert optout.returncode == 2 and "was copied to" in optout.stderr, optout.stdout + optout.stderr
        assert len(sink.messages) == received
        read = greeter_process(config, "history", "--format", "json")  # a reader is told, and goes on
        assert read.returncode == 0 and "warning: journal" in read.stderr and "was copied to" in read.stderr
        assert json.loads(read.stdout)
        dry = greeter_process(config, "send", "--once", "--dry-run", "--now", LATER)
        assert "was copied to" in dry.stderr, dry.stdout + dry.stderr
        checked = greeter_process(config, "check")
        assert "was copied to" in checked.stdout + checked.stderr

        with databases.pg_admin() as conn:  # the mark is the source's only
            assert moved_notices(conn, f"{schema}.notices") == 0
        again = copy(config, url)  # copied twice to the same place: said, not refused
        assert again.returncode == 0, again.stdout + again.stderr
        assert "already holds this journal, copied on" in again.stdout and "nothing to do" in again.stdout
        elsewhere = copy(config, f"sqlite:///{tmp_path / 'stale.sqlite3'}")  # a stale journal is not copied
        assert elsewhere.returncode == 2 and "was copied to" in elsewhere.stderr
        assert not (tmp_path / "stale.sqlite3").exists()

        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})
        back = tmp_path / "back.sqlite3"  # the way back: PostgreSQL copied into a new file, marked too
        assert copy(moved, f"sqlite:///{back}").returncode == 0
        with sqlite3.connect(back) as conn:
            assert moved_notices(conn, "notices") == 0
        refused = greeter_process(moved, "send", "--once", "--now", LATER)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"was copied to {back} on " in refused.stderr and len(sink.messages) == received

        unmark = greeter_process(moved, "copy-journal", "--unmark")  # the operator who really means it
        assert unmark.returncode == 0 and "cleared its mark" in unmark.stdout, unmark.stdout + unmark.stderr
        assert "was copied to" not in greeter_process(moved, "history").stderr


@pytest.mark.parametrize(
    ("made", "said"),
    [
        (  # another application's rows
            "CREATE TABLE {schema}.clients (id int); INSERT INTO {schema}.clients VALUES (1)",
            "its schema holds other tables' rows (1 in clients); the journal needs a schema of its own",
        ),
        ("CREATE TABLE {schema}.greetings (x int)", "not a greeter journal"),  # a foreign, empty table
        (  # a runtime role in a schema a DBA made: the copy is run as the owner, never a send first
            "ALTER SCHEMA {schema} OWNER TO postgres; GRANT USAGE ON SCHEMA {schema} TO {role}",
            "run greeter copy-journal as the schema's owner role",
        ),
    ],
    ids=["others_rows", "foreign_greetings", "no_create"],
)
def test_a_dry_run_refuses_what_the_copy_refuses(make_project: MakeProject, made: str, said: str) -> None:
    role = f"greeter_rt_{os.getpid()}"
    with SmtpSink() as sink, databases.pg_schema() as (url, schema), databases.pg_admin() as admin:
        config = a_years_journal(make_project, sink)
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN")
        try:
            admin.execute(f"CREATE SCHEMA {schema}")
            for statement in made.format(schema=schema, role=role).split("; "):
                admin.execute(statement)
            target = url.replace("postgresql://postgres@", f"postgresql://{role}@") if "role" in made else url
            dry, real = copy(config, target, "--dry-run"), copy(config, target)
            assert real.returncode != 0, real.stdout + real.stderr
            assert dry.returncode == real.returncode, dry.stdout + dry.stderr + real.stderr
            assert len(dry.stderr.strip().splitlines()) == 1
            assert said in dry.stderr and said in real.stderr, dry.stderr + real.stderr
            assert "run greeter send" not in real.stderr and "no journal in it" not in real.stderr
            assert "would copy" not in dry.stdout
            moved = greeter_process(config, "send", "--once", "--dry-run", "--now", LATER)
            assert "was copied to" not in moved.stderr  # a refused copy marks nothing
        finally:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_dry_run_while_a_sender_holds_the_lock_is_75_as_the_copy_and_says_stop_it(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as sender:
            sender.lock_sender(config=config)  # greeter run at work
            dry, real = copy(config, url, "--dry-run"), copy(config, url)
        for done in (dry, real):
            assert done.returncode == 75, done.stdout + done.stderr
            assert "another greeter is already sending from journal" in done.stderr
            assert "systemctl stop greeter" in done.stderr and "try again once" not in done.stderr
            assert len(done.stderr.strip().splitlines()) == 1


def test_a_send_started_during_a_copy_is_told_the_journal_is_being_copied(make_project: MakeProject) -> None:
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as copying:
            copying.lock_sender(config=config, doing="greeter copy-journal")  # as the copy holds it
            cron = greeter_process(config, "send", "--once", "--now", LATER)
        assert cron.returncode == 75, cron.stdout + cron.stderr
        said = cron.stderr.strip()
        assert (
            f"journal {journal_file(config)} is being copied (greeter copy-journal, pid {os.getpid()}" in said
        )
        assert "another greeter is already sending" not in said and len(said.splitlines()) == 1
        assert copy(config, url).returncode == 0  # the copy itself records what it does in the lock file
        lock = journal_file(config).with_name(journal_file(config).name + ".lock")
        assert "doing: greeter copy-journal" in lock.read_text()
