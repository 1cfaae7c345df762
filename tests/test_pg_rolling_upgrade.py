"""A rolling upgrade of greeter across machines sharing one PostgreSQL journal.

docs/operations.md said: the first command of the new version upgrades the
journal, "and the older daemons still on it refuse it at their next start". Until
then those daemons kept claiming and writing rows of a schema they did not know
(columns added, constraints changed). Now a sender of this version reads the
journal's schema version once a run, before it claims anything, and stops
sending while it is newer than it knows: the daemon keeps running, says
``journal_newer`` once and ``/healthz`` why; ``send --once`` exits 75.

Real pieces: the test PostgreSQL (a schema of its own per test), the aiosmtpd
sink, the daemon in-process on a rehearsal clock (:class:`~greeter.clock.Clock`).
The newer greeter is played by a row added to ``schema_version``, as its
migration would add one.
"""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from structlog.testing import capture_logs

from greeter import journal_pg_schema
from greeter.clock import Clock
from greeter.daemon import Daemon
from greeter.errors import JournalLockedError, JournalNewerError
from greeter.journal_pg import PgJournal
from greeter.journal_pg_schema import MIGRATIONS
from greeter.journal_pg_senders import MARKED, guard_upgrade, mark_key, older_marks
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, people, smtp

MOSCOW = ZoneInfo("Europe/Moscow")
#: A Wednesday; the window is 10:00–10:02, so both birthday letters are due by :data:`ALL_DUE`.
OPENS = datetime(2027, 4, 14, 10, 0, tzinfo=MOSCOW)
ALL_DUE = OPENS + timedelta(minutes=2)
WINDOW = {"hours": {"start": "10:00", "end": "10:02"}, "lunch": None, "end_margin_minutes": 0}
LATEST = len(MIGRATIONS)
NEWER = LATEST + 1


def migrate_elsewhere(schema: str) -> None:
    """What a newer greeter's first command on another machine does to the journal's ledger."""
    with databases.pg_admin() as conn:
        conn.execute(
            f"INSERT INTO {schema}.schema_version (version, description, applied_at)"
            " VALUES (%s, 'a newer greeter', now())",
            (NEWER,),
        )


def states(schema: str) -> list[str]:
    with databases.pg_admin() as conn:
        return [str(r[0]) for r in conn.execute(f"SELECT state FROM {schema}.greetings").fetchall()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def until(done: object, seconds: float) -> None:
    """Wait (on the loop the daemon runs on) until ``done()`` or ``seconds`` passed."""
    assert callable(done)
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def ran_since(daemon: Daemon, moment: datetime) -> bool:
    last = daemon.stats.last_run_at
    return last is not None and last >= moment


def test_a_running_daemon_stops_claiming_once_a_newer_greeter_upgraded_the_journal(
    make_project: MakeProject,
) -> None:
    """Before: at 10:00 the daemon claimed and sent both letters in the journal a newer greeter had
    migrated (schema 8 to its 7), as if it knew what that greeter had changed."""
    port = free_port()
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(
            people(2, day="14.04.1980"), storage={"url": url}, send_window=WINDOW, **smtp(sink.port)
        )
        # A minute a real second, from four minutes before the window opens.
        clock = Clock(OPENS - timedelta(minutes=4), speed=60.0)
        daemon = Daemon(config, clock=clock, listen=("127.0.0.1", port))

        async def scenario() -> tuple[int, int, dict[str, object]]:
            serving = asyncio.ensure_future(daemon.serve())
            await until(lambda: daemon.stats.runs >= 1 and not daemon.stats.running, 60)
            assert clock.now() < OPENS and sink.messages == []  # the first run: nothing due yet
            await asyncio.to_thread(migrate_elsewhere, schema)
            # Until a run ended after both letters were due (a failed run tries again a minute on).
            await until(lambda: not daemon.stats.running and ran_since(daemon, ALL_DUE), 60)
            status, body = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/healthz")
            daemon.request_stop("test")
            return await serving, status, body

        with capture_logs() as logs:
            code, status, health = asyncio.run(scenario())
        assert code == 0  # it kept running until told to stop
        assert sink.messages == [] and "claimed" not in states(schema) and "sent" not in states(schema)
    newer = [e for e in logs if e["event"] == "journal_newer"]
    assert len(newer) == 1, [e["event"] for e in logs]
    assert (newer[0]["journal_schema"], newer[0]["greeter_schema"]) == (NEWER, LATEST)
    assert "upgrade greeter on this machine" in str(newer[0]["error"])
    failed = [e for e in logs if e["event"] == "run_failed"]
    assert failed and f"journal schema version {NEWER} is newer than this greeter knows ({LATEST})" in str(
        failed[-1]["error"]
    )
    assert (status, health["status"], health["journal"]) == (503, "unhealthy", "failing"), health
    assert (health["journal_problem"], health["last_error"]) == ("journal_newer", "journal_newer"), health


def test_a_journal_upgraded_after_it_was_opened_is_refused_before_a_claim() -> None:
    """The per-run check itself: one SELECT of the ledger, exit 75 naming both versions."""
    now = datetime.now(MOSCOW)
    with databases.pg_schema() as (url, schema), PgJournal.open(url, now=now) as journal:
        journal.check_schema()  # as opened: nothing to say
        migrate_elsewhere(schema)
        with pytest.raises(JournalNewerError) as raised:
            journal.check_schema()
    assert raised.value.exit_code == 75
    assert (raised.value.found, raised.value.latest) == (NEWER, LATEST)
    said = str(raised.value)
    assert f"version {NEWER} is newer than this greeter knows ({LATEST})" in said
    assert "upgrade greeter on this machine" in said and "\n" not in said


def test_send_once_on_a_journal_a_newer_greeter_upgraded_exits_75_naming_both_versions(
    make_project: MakeProject,
) -> None:
    """Before: exit 2, as for a mistake in the config — cron's next run is the one to try again."""
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(people(2), storage={"url": url}, **smtp(sink.port))
        made = greeter(config, "suppress", "nobody@example.com")  # the journal's tables exist now
        assert made.returncode == 0, made.stderr
        migrate_elsewhere(schema)
        refused = greeter(config, "send", "--once", "--now", NOW, "--json")
        assert refused.returncode == 75, refused.stdout + refused.stderr
        assert sink.messages == [] and states(schema) == []
    said = [line for line in refused.stderr.splitlines() if "newer than this greeter" in line]
    assert len(said) == 1, refused.stderr
    assert f"journal schema version {NEWER} is newer than this greeter knows ({LATEST})" in said[0]
    assert "upgrade greeter on this machine" in said[0]
    summary = json.loads(refused.stdout)
    assert summary["sent"] == 0 and "upgrade greeter on this machine" in summary["journal_unavailable"]


# --- the upgrading side: an older greeter still on the journal ------------------------------------


def older_journal(name: str) -> None:
    """Journal ``name`` as the greeter before this one left it: every migration but the last."""
    with databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=datetime.now(MOSCOW), migrations=MIGRATIONS[:-1])


def version_of(name: str) -> int:
    with databases.pg_admin() as conn:
        row = conn.execute(f"SELECT max(version) FROM {name}.schema_version").fetchone()
    assert row is not None
    return int(row[0])


def test_a_running_greeter_of_this_version_is_seen_by_the_next_versions_upgrade() -> None:
    """Every pooled connection holds the schema mark: the next version's upgrade refuses while it runs."""
    now = datetime.now(MOSCOW)
    with databases.pg_schema() as (url, schema):
        with PgJournal.open(url, now=now) as running, databases.pg_admin() as conn:
            with pytest.raises(JournalLockedError) as raised:
                guard_upgrade(conn, schema, url, LATEST, NEWER)  # what the next version runs first
            assert raised.value.exit_code == 75
            said = str(raised.value)
            assert f"a greeter that knows schema {LATEST}" in said and running.worker_id in said, said
            assert f"upgrading the journal to schema {NEWER}" in said and "Nothing was changed" in said
            assert older_marks(conn, "another_journal", NEWER) == []  # its own journal's schema only
        with databases.pg_admin() as conn:  # the greeter stopped: its connections, and marks, are gone
            assert guard_upgrade(conn, schema, url, LATEST, NEWER) is None


def test_an_older_greeters_schema_mark_refuses_the_upgrade_and_changes_nothing() -> None:
    """Before: the journal was migrated under a live older greeter, which went on sending."""
    with databases.pg_schema() as (url, schema):
        older_journal(schema)
        with databases.pg_admin() as older:  # the older greeter's pooled connection, as it marks it
            older.execute("SET application_name = 'greeter db1/4242/abcdef@12345678'")
            older.execute(
                "SELECT pg_advisory_lock_shared(%s), pg_advisory_lock_shared(%s)",
                (mark_key(schema, LATEST - 1), MARKED),
            )
            with pytest.raises(
                JournalLockedError, match=f"a greeter that knows schema {LATEST - 1}"
            ) as raised:
                PgJournal.open(url, now=datetime.now(MOSCOW))
            assert "greeter db1/4242/abcdef" in str(raised.value)
            assert version_of(schema) == LATEST - 1
        with PgJournal.open(url, now=datetime.now(MOSCOW)) as journal:  # stopped: the upgrade goes on
            assert journal.upgraded == (LATEST - 1, LATEST) and journal.upgrade_warning is None


def test_live_claims_of_an_older_greeter_refuse_the_upgrade_until_they_end(make_project: MakeProject) -> None:
    """A greeter older than the mark leaves one sure trace while it sends: claims whose lease runs."""
    with databases.pg_schema() as (url, schema):
        older_journal(schema)
        with databases.pg_admin() as conn:
            conn.execute(
                f"INSERT INTO {schema}.greetings (contact_id, occasion, occasion_date, state, claimed_by,"
                " lease_until, created_at, updated_at) VALUES ('1', 'birthday', '2027-04-14', 'claimed',"
                " 'greeter db2/77/a1b2c3@12345678', now() + interval '10 minutes', now(), now())"
            )
        config = make_project(people(2), storage={"url": url})
        refused = greeter(config, "send", "--once", "--now", NOW)
        assert refused.returncode == 75, refused.stdout + refused.stderr
        assert (
            "a greeter (greeter db2/77/a1b2c3@12345678) is sending: 1 claim(s) live until" in refused.stderr
        )
        assert version_of(schema) == LATEST - 1
        with databases.pg_admin() as conn:  # its lease ran out (it finished, or died)
            conn.execute(f"UPDATE {schema}.greetings SET lease_until = now() - interval '1 second'")
        assert version_of(schema) == LATEST - 1
        upgraded = greeter(config, "history")
        assert upgraded.returncode == 0, upgraded.stderr
        assert version_of(schema) == LATEST


def test_an_unmarked_greeter_connection_is_warned_of_but_cannot_be_told_apart() -> None:
    """A greeter older than the mark, idle between runs: its application_name alone, no schema in it."""
    with databases.pg_schema() as (url, schema):
        older_journal(schema)
        with databases.pg_admin() as older:
            older.execute("SET application_name = 'greeter db3/99/0a0b0c@12345678'")
            with PgJournal.open(url, now=datetime.now(MOSCOW)) as journal:
                assert journal.upgraded == (LATEST - 1, LATEST)
                said = journal.upgrade_warning
    assert said is not None and "greeter db3/99/0a0b0c" in said and "stop it" in said, said


def _journal_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("journal: "))


def test_check_names_the_older_greeter_whose_mark_keeps_the_journal_from_being_upgraded(
    make_project: MakeProject,
) -> None:
    """check said "the next command that opens it … upgrades it" while that command exited 75 for the
    older greeter still marked on the journal; it now names it, reading only (no DDL, no lock)."""
    with databases.pg_schema() as (url, schema):
        older_journal(schema)
        config = make_project(people(2), storage={"url": url})
        with databases.pg_admin() as older:  # the older greeter's pooled connection, as it marks it
            older.execute("SET application_name = 'greeter vm/6656/abcdef@12345678'")
            older.execute(
                "SELECT pg_advisory_lock_shared(%s), pg_advisory_lock_shared(%s)",
                (mark_key(schema, LATEST - 1), MARKED),
            )
            checked = greeter(config, "check")
            line = _journal_line(checked.stdout)
            assert (
                f"journal schema version {LATEST - 1} of {LATEST}, but a greeter that knows schema"
                f" {LATEST - 1} ('greeter vm/6656/abcdef@12345678' from " in line
            ), line
            assert "refuses the journal (exit 75) until that greeter stops; stop it" in line, line
            assert "the next command that opens it" not in line, line
            refused = greeter(config, "history")  # what check now foretells
            assert refused.returncode == 75, refused.stderr
            assert "a greeter that knows schema" in refused.stderr
            assert version_of(schema) == LATEST - 1
        line = _journal_line(greeter(config, "check").stdout)  # it stopped: the next command upgrades
        assert f"journal schema version {LATEST - 1} of {LATEST}: the next command that opens it" in line
        assert version_of(schema) == LATEST - 1


def test_check_names_the_sender_whose_live_claims_keep_the_journal_from_being_upgraded(
    make_project: MakeProject,
) -> None:
    with databases.pg_schema() as (url, schema):
        older_journal(schema)
        with databases.pg_admin() as conn:
            conn.execute(
                f"INSERT INTO {schema}.greetings (contact_id, occasion, occasion_date, state, claimed_by,"
                " lease_until, created_at, updated_at) VALUES ('1', 'birthday', '2027-04-14', 'claimed',"
                " 'greeter db2/77/a1b2c3@12345678', now() + interval '10 minutes', now(), now())"
            )
        config = make_project(people(2), storage={"url": url})
        line = _journal_line(greeter(config, "check").stdout)
        assert "but a greeter (greeter db2/77/a1b2c3@12345678) is sending: 1 claim(s) live until" in line
        assert "refuses the journal (exit 75)" in line and "the next command that opens it" not in line
        assert version_of(schema) == LATEST - 1
