"""What only the PostgreSQL journal does: several senders, leases, advisory locks, reconnects.

All against the real server, each test in its own schema (dropped afterwards).
"""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from greeter import journal_pg_schema
from greeter.errors import JournalError, JournalUnavailableError
from greeter.journal import Journal
from greeter.journal_copy import SqliteSide
from greeter.journal_pg import PgJournal
from greeter.journal_pg_base import Conn
from greeter.journal_pg_schema import MIGRATIONS, TABLES
from greeter.journal_store import INTERRUPTED_REASON, JournalKey
from greeter.testing import TcpRelay
from tests import databases
from tests.test_stop_journal_down import _via

NOW = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
PLANNED = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)


@pytest.fixture
def pg_url() -> Iterator[str]:
    with databases.pg_schema() as (url, _):
        yield url


def key(i: int) -> JournalKey:
    return (f"c-{i}", "birthday", date(2025, 3, 14))


def claim(j: PgJournal, k: JournalKey) -> bool:
    return j.claim(k, email="x@example.com", message_id=f"<{k[0]}@t>", planned_at=PLANNED, now=NOW)


def _claimer(url: str, keys: list[JournalKey], barrier: object, out: object) -> None:
    """One sender process: open its own journal, wait for the others, claim everything it can."""
    with PgJournal.open(url, now=NOW) as j:
        j.lock_sender()
        mine = list(keys)
        random.Random(j.worker_id).shuffle(mine)
        barrier.wait()  # type: ignore[attr-defined]
        won = [k[0] for k in mine if claim(j, k)]
    out.put(won)  # type: ignore[attr-defined]


def test_four_senders_claiming_the_same_2000_keys_win_each_exactly_once(pg_url: str) -> None:
    keys = [key(i) for i in range(2000)]
    PgJournal.open(pg_url, now=NOW).close()  # migrate once, so the race is about claims only
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_claimer, args=(pg_url, keys, barrier, out)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=10)
        assert p.exitcode == 0
    won = [cid for result in results for cid in result]
    assert len(won) == len(keys), "every key claimed exactly once, in total"
    assert set(won) == {k[0] for k in keys}
    assert sum(1 for r in results if r) >= 2, "the senders really competed"
    with databases.pg_admin() as conn:
        conn.execute(f"SET search_path TO {pg_url.rsplit('schema=', 1)[1]}")
        rows = conn.execute("SELECT state, attempts, COUNT(DISTINCT claimed_by) FROM greetings GROUP BY 1, 2")
        assert rows.fetchall() == [("claimed", 1, sum(1 for r in results if r))]


def test_recovery_takes_only_dead_or_own_claims_never_a_live_senders(pg_url: str) -> None:
    live, ending = PgJournal.open(pg_url, now=NOW), PgJournal.open(pg_url, now=NOW)
    newcomer = PgJournal.open(pg_url, now=NOW)
    dead = PgJournal.open(pg_url + "&lease_seconds=5", now=NOW)  # surely live until it dies
    try:
        for j in (live, ending, newcomer, dead):
            j.lock_sender()  # nobody is excluded: four senders on one journal
        assert claim(live, key(1)) and claim(dead, key(2)) and claim(ending, key(3))
        assert newcomer.recover_stale_claims(NOW) == 0, "every claim still has a live lease"
        dead.close()  # dies without a verdict and stops renewing
        deadline = time.monotonic() + 35
        while (recovered := newcomer.recover_stale_claims(NOW)) == 0:  # until its lease runs out
            assert time.monotonic() < deadline, "the dead sender's lease never ran out"
            time.sleep(0.05)
        assert recovered == 1, "the dead sender's claim, once its lease ran out"
        assert ending.recover_stale_claims(NOW) == 1, "at shutdown: its own cut-off letter"
        interrupted = ("uncertain", INTERRUPTED_REASON)
        states = {e.contact_id: (e.state, e.reason) for e in live.history()}
        assert states == {"c-1": ("claimed", None), "c-2": interrupted, "c-3": interrupted}
        live.mark_sent(key(1), "250 ok", NOW)  # the live sender's verdict still lands
        assert not claim(live, key(2)), "uncertain is never claimed again"
    finally:
        for j in (live, ending, newcomer):
            j.close()


def test_a_working_sender_renews_its_leases(pg_url: str) -> None:
    with (
        PgJournal.open(pg_url + "&lease_seconds=0.4", now=NOW) as busy,
        PgJournal.open(pg_url, now=NOW) as other,
    ):
        other.lock_sender()
        assert claim(busy, key(1))
        for i in range(2, 8):  # keeps working for longer than one lease
            time.sleep(0.1)
            assert claim(busy, key(i))
        assert other.recover_stale_claims(NOW) == 0
        assert busy.renew_leases() == 7


def test_fresh_schema_opened_by_four_at_once_is_migrated_once(pg_url: str) -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def opener() -> None:
        barrier.wait()
        try:
            PgJournal.open(pg_url, now=NOW).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    with databases.pg_admin() as conn:
        conn.execute(f"SET search_path TO {pg_url.rsplit('schema=', 1)[1]}")
        versions = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [v for (v,) in versions] == [m.version for m in MIGRATIONS]


def test_connections_killed_by_the_server_are_replaced(pg_url: str) -> None:
    with PgJournal.open(pg_url, now=NOW) as j:
        assert claim(j, key(1))

        def kill_my_connections() -> int:
            with databases.pg_admin() as conn:
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                    (j.worker_id[:63],),
                ).fetchall()
            return len(rows)

        assert kill_my_connections() >= 1
        assert [e.state for e in j.history()] == ["claimed"]  # a read after the restart
        assert kill_my_connections() >= 1
        j.mark_sent(key(1), "250 ok", NOW)  # a write after the restart, exactly once
        assert kill_my_connections() >= 1
        assert claim(j, key(2)) and not claim(j, key(2))
        assert j.counts_by_state()["sent"] == 1 and j.counts_by_state()["claimed"] == 1


class EndedSessions:
    """The next ``n`` connections the journal takes from its pool have had their session ended by
    the server (``pg_terminate_backend``, as a restart's fast stop does): a restart as a statement
    sees it when the pool check kept a connection the stopping server ended a moment later."""

    def __init__(self, journal: PgJournal, monkeypatch: pytest.MonkeyPatch, n: float) -> None:
        self.left = n
        self.ended = 0
        pool = journal._pool
        take = pool.getconn

        def getconn(timeout: float | None = None) -> Conn:
            conn = take(timeout=timeout)
            if self.left > 0:
                self.left -= 1
                self.ended += 1
                with databases.pg_admin() as admin:  # waits (up to 5 s) for the session to be gone
                    admin.execute("SELECT pg_terminate_backend(%s, 5000)", (conn.info.backend_pid,))
            return conn

        monkeypatch.setattr(pool, "getconn", getconn)


def test_a_restart_that_outlasts_the_first_retry_loses_no_write(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verdict written while the server restarts lands once it is back, it is not left ``claimed``.

    Before: one pool check and one more try, so two dead connections in a row
    (the retry's too) failed the write, and the daemon's run with it; the
    next run turned the claim of a letter the server had accepted (or that
    was never sent) into ``uncertain`` (tests/test_pg_daemons.py's restart
    test, now and then on a loaded machine).
    """
    with PgJournal.open(pg_url, now=NOW) as j:
        j.lock_sender()
        assert claim(j, key(1))
        ended = EndedSessions(j, monkeypatch, 4)
        j.mark_sent(key(1), "250 ok", NOW)
        assert ended.ended == 4
        ended.left = 4
        assert claim(j, key(2)) and not claim(j, key(2))
        ended.left = 4
        with j.contact_lock("c-3"):
            assert claim(j, key(3))
        assert ended.ended == 12  # the verdict, the first claim of key 2, the lock: four dead sessions each
        assert j.counts_by_state()["sent"] == 1 and j.counts_by_state()["claimed"] == 2
        assert j.recover_stale_claims(NOW) == 2


def test_a_server_that_stays_away_fails_the_write_as_unavailable_in_bounded_time(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with PgJournal.open(pg_url, now=NOW) as j:
        default = j.reconnect_seconds
        assert default == 30  # the default lease (10 min) allows the full wait
        assert claim(j, key(1))
        j.reconnect_seconds = 1.0
        EndedSessions(j, monkeypatch, float("inf"))
        started = time.monotonic()
        with pytest.raises(JournalUnavailableError):
            j.mark_sent(key(1), "250 ok", NOW)
        took = time.monotonic() - started
        # Its own second, not the default's thirty: the bound is that gap, not this machine's speed.
        assert 1.0 <= took < default, f"{took:.1f} s"


#: How long the server stays away: past the pool's fourth attempt (about 15 s after the first failure
#: by psycopg_pool's doubling pauses, 1 + 2 + 4 + 8) and well before its fifth (about 31 s).
OUTAGE_SECONDS = 20.0
#: The most a journal may take to answer again once its server does: a pause between attempts
#: (about 2 s at most) and a connection, on a loaded machine.
ANSWERS_AGAIN_WITHIN = 5.0


def test_a_journal_answers_again_within_seconds_of_its_server_however_long_it_was_away() -> None:
    """Before: psycopg_pool's pauses between connect attempts doubled for 5 minutes (1, 2, 4, 8, 16,
    32 s…), so after 20 s of outage the journal answered again only some 10 s after the server did
    — the daemon's put-off reload, its runs, ``/healthz`` all that much later. Now a round of
    attempts lasts :data:`~greeter.journal_pg.POOL_ROUND_SECONDS` and the next begins at once."""
    pg = urlsplit(databases.require_pg())
    with (
        databases.pg_schema() as (_, schema),
        TcpRelay(pg.port or 5432) as relay,
        PgJournal.open(_via(relay.port, schema), now=NOW) as j,
    ):
        assert claim(j, key(1))
        j.reconnect_seconds = 1.0
        port = relay.port
        relay.stop()  # the server is gone: every connection refused from now on
        gone = time.monotonic()
        with pytest.raises(JournalUnavailableError):
            j.counts_by_state()  # the pool's connection lost: it starts connecting again
        time.sleep(max(0.0, gone + OUTAGE_SECONDS - time.monotonic()))  # the outage itself
        relay.port = port
        relay.start()  # the server answers again, on the same address
        back = time.monotonic()
        counts: dict[str, int] | None = None
        while counts is None and time.monotonic() - back < 60:
            try:
                counts = j.counts_by_state()
            except JournalUnavailableError:
                continue  # the pool's timeout (10 s) ran out before it connected
        answered = time.monotonic() - back
    assert counts is not None and counts["claimed"] == 1, counts
    assert answered < ANSWERS_AGAIN_WITHIN, f"the journal answered {answered:.1f} s after its server"


def test_the_wait_for_a_server_is_at_most_half_a_lease() -> None:
    with databases.pg_schema() as (url, _), PgJournal.open(f"{url}&lease_seconds=5", now=NOW) as j:
        assert j.reconnect_seconds == 2.5


def test_contact_lock_holds_one_contact_across_instances(pg_url: str) -> None:
    with PgJournal.open(pg_url, now=NOW) as a, PgJournal.open(pg_url, now=NOW) as b:
        a_in, release, b_in = threading.Event(), threading.Event(), threading.Event()

        def holder() -> None:
            with a.contact_lock("c-1"):
                a_in.set()
                release.wait(10)

        def waiter() -> None:
            with b.contact_lock("c-1"):
                b_in.set()

        threads = [threading.Thread(target=holder), threading.Thread(target=waiter)]
        threads[0].start()
        assert a_in.wait(10)
        threads[1].start()
        assert not b_in.wait(0.3), "the second daemon waits for the first"
        with b.contact_lock("c-2"):
            pass  # another contact is not held up
        release.set()
        assert b_in.wait(10), "and gets the contact once the first is done"
        for t in threads:
            t.join(timeout=10)


def test_schema_mirrors_the_sqlite_journal(pg_url: str, tmp_path: Path) -> None:
    """A column added to one backend's journal must be added to the other's. SQLite's unsent letters
    are a table of their own (``letters``, migration 14), PostgreSQL's ``greetings.payload``: the
    columns compared are those ``copy-journal`` sees (:class:`~greeter.journal_copy.SqliteSide`)."""
    Journal.open(str(tmp_path / "j.sqlite3"), now=NOW).close()
    lite = sqlite3.connect(tmp_path / "j.sqlite3")
    PgJournal.open(pg_url, now=NOW).close()
    pg_only = {"claimed_by", "claim_token", "lease_until"}
    with databases.pg_admin() as conn:
        for table in (*TABLES, "schema_version"):
            sqlite_cols = set(SqliteSide(lite, "j.sqlite3").columns(table))
            pg_cols = {
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = %s AND table_name = %s",
                    (pg_url.rsplit("schema=", 1)[1], table),
                )
            }
            assert pg_cols - pg_only == sqlite_cols, table


def test_newer_foreign_and_badly_named_schemas_are_refused(pg_url: str) -> None:
    schema = pg_url.rsplit("schema=", 1)[1]
    PgJournal.open(pg_url, now=NOW).close()
    with databases.pg_admin() as conn:
        conn.execute(f"INSERT INTO {schema}.schema_version VALUES (99, 'future', now())")
    with pytest.raises(JournalError, match="newer than this greeter"):
        PgJournal.open(pg_url, now=NOW)
    with databases.pg_admin() as conn:
        conn.execute(f"DROP TABLE {schema}.schema_version")
    with pytest.raises(JournalError, match="not a greeter journal"):
        PgJournal.open(pg_url, now=NOW)
    with pytest.raises(JournalError, match="not a plain SQL identifier"):
        PgJournal.open(databases.with_query(databases.require_pg(), "schema=x;drop"), now=NOW)


def test_search_path_from_libpq_options_works_too() -> None:
    name = databases.unique("greeter_t")
    with databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        url = databases.with_query(databases.require_pg(), f"options=-csearch_path%3D{name}")
        with PgJournal.open(url, now=NOW) as j:
            assert j.schema == name
            assert claim(j, key(1))
        with databases.pg_admin() as conn:
            assert conn.execute(f"SELECT COUNT(*) FROM {name}.greetings").fetchone() == (1,)
    finally:
        with databases.pg_admin() as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def test_lease_defaults_to_ten_minutes_and_must_be_positive(pg_url: str) -> None:
    with PgJournal.open(pg_url, now=NOW) as j:
        assert j.lease == timedelta(minutes=10)
    with pytest.raises(JournalError, match=r"storage\.url: lease_seconds='0' must be positive"):
        PgJournal.open(pg_url + "&lease_seconds=0", now=NOW)


def test_verdicts_skip_the_flush_only_inside_their_own_transaction(pg_url: str) -> None:
    """Like SQLite's: a verdict may commit without waiting for the disk, a claim never does."""
    with PgJournal.open(pg_url, now=NOW) as j:

        def setting() -> str:
            return str(j._run(lambda conn, _: conn.execute("SHOW synchronous_commit").fetchone()[0]))  # type: ignore[index]

        assert claim(j, key(1)) and claim(j, key(2))
        j.mark_sent(key(1), "250 ok", NOW)  # the one-statement path
        assert setting() == "on"
        j.mark_skipped(key(3), "suppressed", NOW)  # the transaction path, a row never seen
        j.mark_uncertain(key(2), "lost", NOW)
        assert setting() == "on"
        with pytest.raises(JournalError):
            j.mark_sent(key(1), "250 again", NOW)  # refused: already sent
        assert setting() == "on"
        assert [e.state for e in j.history()] == ["sent", "uncertain", "skipped"]


@contextmanager
def table_locked(schema: str) -> Iterator[None]:
    """Another session holds ``greetings`` in ACCESS EXCLUSIVE mode (a migration, a manual ``LOCK``)."""
    with databases.pg_admin() as other:
        other.execute("BEGIN")
        other.execute(f"LOCK TABLE {schema}.greetings IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


def _within(seconds: float, work: Callable[[], object]) -> BaseException | None:
    """Run ``work`` in a thread: the error it raised (None: it returned); fails if it still waits."""
    raised: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            raised.append(None)
        except BaseException as exc:  # handed to the test
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: the journal has no lock timeout"
    return raised[0]


def test_a_lock_held_by_another_session_fails_claims_and_reads_as_unavailable_in_bounded_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A claim or a read behind another session's lock waited for as long as the lock was held
    (forever, for a forgotten ``LOCK TABLE``): now it fails after ``lock_timeout`` as "journal
    unavailable" (exit 75), once — not retried at once like a lost connection."""
    monkeypatch.setattr(journal_pg_schema, "LOCK_TIMEOUT", "300ms")
    with databases.pg_schema() as (url, schema), PgJournal.open(url, now=NOW) as j:
        failed: list[BaseException] = []  # each failed try, as the journal weighs trying again
        weigh = j._again_or_raise

        def counted(tries: Any, exc: Any) -> None:
            failed.append(exc)
            weigh(tries, exc)

        monkeypatch.setattr(j, "_again_or_raise", counted)
        with table_locked(schema):
            for work in (
                lambda: claim(j, key(1)),
                j.counts_by_state,
                lambda: j.mark_sent(key(2), "250", NOW),
            ):
                failed.clear()
                started = time.monotonic()
                error = _within(10, work)
                took = time.monotonic() - started
                assert isinstance(error, JournalUnavailableError), error
                assert "lock timeout" in str(error) and "\n" not in str(error)
                assert len(failed) == 1, f"tried {len(failed)} times: {failed}"  # once, not again at once
                assert took >= 0.3, f"{took:.2f} s: failed before the lock timeout"
        assert j.counts_by_state()["claimed"] == 0, "the timed-out claim was not made"
        assert claim(j, key(1)), "the lock released, the journal works again"


def test_the_journal_sets_lock_and_statement_timeouts_unless_the_url_or_server_gives_them() -> None:
    def limits(j: PgJournal) -> tuple[str, str]:
        row = j._run(lambda conn, _: conn.execute("SHOW lock_timeout").fetchone())
        stmt = j._run(lambda conn, _: conn.execute("SHOW statement_timeout").fetchone())
        assert row is not None and stmt is not None
        return str(row[0]), str(stmt[0])

    with databases.pg_schema() as (url, _):
        with PgJournal.open(url, now=NOW) as j:
            assert limits(j) == ("5s", "30s")
        own = databases.with_query(url, "options=-clock_timeout%3D2min%20-cstatement_timeout%3D90s")
        with PgJournal.open(own, now=NOW) as j:
            assert limits(j) == ("2min", "90s"), "the operator's limits win"


def test_a_schema_from_before_the_occasions_table_knows_the_occasions_it_greeted() -> None:
    """Migration 2 on a schema with greetings: those occasions always existed (``since`` None).

    An empty table read as a journal never planned, and the first plan after the upgrade
    forgot a greeting still inside its catch-up (the upgrading operator's lost letter).
    """
    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=NOW, migrations=MIGRATIONS[:1])
        conn.execute(
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at,"
            " updated_at) VALUES ('c-9', 'birthday', '2025-03-14', 'sent', now(), now())"
        )
        with PgJournal.open(url, now=NOW) as j:
            assert j.known_occasions() == {"birthday": None}
