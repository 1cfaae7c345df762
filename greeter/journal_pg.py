"""The PostgreSQL journal: the SQLite journal's ledger, shared by senders on several machines.

Same keys, states and transitions as :class:`greeter.journal.Journal` (drawn
in :mod:`greeter.journal_store`); what differs is who may send:

* **Several senders at once.** :meth:`PgJournal.lock_sender` excludes nobody;
  it only names this instance a sender. Who sends a greeting is decided per
  greeting by :meth:`PgJournal.claim`, one ``INSERT … ON CONFLICT DO UPDATE …
  WHERE state = 'retry' AND next_attempt_at <= now`` — PostgreSQL lets exactly
  one concurrent statement insert or update the row, so exactly one sender wins.
* **Leases, not file locks.** A claim records its sender (``claimed_by``) and
  a lease (``lease_until``, server clock, :data:`DEFAULT_LEASE` unless the URL
  says ``lease_seconds=N``). A sender renews its leases while it works.
  :meth:`PgJournal.recover_stale_claims` turns into ``uncertain`` only claims
  whose lease ran out (their sender died) and this instance's own (called when
  its in-flight letters are over) — never a live sender's.
* **The frequency cap across daemons.** :meth:`PgJournal.contact_lock` holds a
  transaction-level advisory lock on one contact: wrap "read the contact's
  history, decide the cap, claim" in it, and two daemons cannot both decide
  there is room for one more letter. (SQLite needs none: one sender per file.)

Connections come from a small ``psycopg_pool`` pool, which tries to connect again every second or
two while the server is away (:data:`POOL_ROUND_SECONDS`). After a lost connection
(server restart, failover) the pool is checked and the operation tried again
— at once, then after short pauses while the connection is what keeps
failing, for up to :data:`~greeter.journal_pg_base.RECONNECT_SECONDS` (a
restart is seldom over by the second try); a retried claim recognises its own
committed first attempt by its token, and a retried outcome accepts a row
already in the target state, so a retry never turns into a false "not ours"
or a state error.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from greeter.contacts import email_key
from greeter.erasure_records import Erasure, erasable, former_addresses
from greeter.errors import ClaimedNowError, JournalError, JournalNewerError, JournalUnavailableError
from greeter.journal_optouts import OptOuts
from greeter.journal_pg_base import (
    KEY_WHERE,
    Conn,
    PgJournalBase,
    Reconnect,
    aware,
    bad_connection_string,
    connection_lost,
    connection_string_error,
    key_params,
    pg_journal_error,
    pg_message,
    timed_out,
)
from greeter.journal_pg_schema import (
    DEFAULT_LEASE,
    MIGRATIONS,
    PgTarget,
    advisory_key,
    configure,
    inspect,
    migrate,
    parse_target,
)
from greeter.journal_pg_senders import guard_upgrade, mark_connection
from greeter.journal_store import INTERRUPTED_REASON, WAIT_FOR_SENDER, ClaimRequest, JournalKey, Suppression
from greeter.journal_transitions import Move, Transitions, merged_reason, release_check, suppressed_reason

__all__ = ["DEFAULT_LEASE", "PgJournal"]

#: Connections per journal: the delivery loop uses one at a time, ``contact_lock`` holds a second.
POOL_SIZE = 4
CONNECT_TIMEOUT = 10
#: One round of the pool's connect attempts after a failed one (psycopg_pool's ``reconnect_timeout``):
#: pauses of about 1 and 2 s, then what is left of the round, then a new round at once
#: (:func:`_connect_again`) — never more than about 2 s between attempts while the server is away,
#: and one attempt at a time. psycopg_pool's own round (5 min) doubles the pause each time, 16, 32,
#: 64 s…: after a minute's outage the daemon noticed the server back tens of seconds late.
POOL_ROUND_SECONDS = 5.0

#: The claim. ``NOT EXISTS`` only spares the row lock (and a WAL flush) when the row is plainly
#: not claimable in the statement's snapshot — the common "another sender has it" case; the
#: decision itself is ``ON CONFLICT … WHERE``, re-checked on the newest row version under its lock.
#: The do-not-contact list is read once, in the ``SELECT``: an address on it proposes no row, so
#: neither the insert nor the update happens (the list is no row the conflict re-reads).
_CLAIM = """
INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id, attempts,
    planned_at, send_day, utc_offset_minutes, merged, content_hash, payload, subject,
    claimed_by, claim_token, lease_until, created_at, updated_at)
SELECT %(cid)s, %(occ)s, %(day)s, 'claimed', %(email)s, %(mid)s, 1, %(planned)s, %(send_day)s,
    %(offset)s, %(merged)s, %(hash)s, %(payload)s, %(subject)s, %(me)s, %(token)s,
    clock_timestamp() + %(lease)s, %(now)s, %(now)s
WHERE NOT EXISTS (SELECT 1 FROM greetings WHERE contact_id = %(cid)s AND occasion = %(occ)s
    AND occasion_date = %(day)s AND NOT (state = 'retry' AND next_attempt_at <= %(now)s))
    AND (NOT %(retry)s OR EXISTS (SELECT 1 FROM greetings WHERE contact_id = %(cid)s
        AND occasion = %(occ)s AND occasion_date = %(day)s))
    AND NOT EXISTS (SELECT 1 FROM suppression WHERE suppression.email = %(email_key)s)
ON CONFLICT (contact_id, occasion, occasion_date) DO UPDATE SET
    state = 'claimed', email = EXCLUDED.email, message_id = EXCLUDED.message_id,
    attempts = greetings.attempts + 1, merged = EXCLUDED.merged,
    content_hash = COALESCE(EXCLUDED.content_hash, greetings.content_hash),
    payload = COALESCE(EXCLUDED.payload, greetings.payload),
    subject = COALESCE(EXCLUDED.subject, greetings.subject),
    next_attempt_at = NULL, reason = NULL, claimed_by = EXCLUDED.claimed_by,
    claim_token = EXCLUDED.claim_token, lease_until = EXCLUDED.lease_until,
    updated_at = EXCLUDED.updated_at
WHERE greetings.state = 'retry' AND greetings.next_attempt_at <= EXCLUDED.updated_at
"""

#: A due retry (or resend) whose address is on the do-not-contact list: ``skipped``, letter dropped.
_SKIP_SUPPRESSED = f"""
UPDATE greetings SET state = 'skipped', reason = %(reason)s, payload = NULL, next_attempt_at = NULL,
    lease_until = NULL, updated_at = %(now)s
WHERE {KEY_WHERE} AND state = 'retry'
    AND EXISTS (SELECT 1 FROM suppression WHERE suppression.email = %(email_key)s)
"""
#: The reason :meth:`PgJournal.recover_stale_claims` records (the SQLite journal's words too).
RECOVERED_REASON = INTERRUPTED_REASON

_SENT_DAY = "((%(now)s AT TIME ZONE 'UTC') + make_interval(mins => COALESCE(utc_offset_minutes, 0)))::date"


def _process_table() -> str:
    """Which process table this process's PID is in: this boot of this machine, this PID namespace.

    Eight hex digits of a hash of the kernel's boot id and the PID namespace;
    "" where there is no ``/proc`` to tell (then no claim is judged by its PID).
    Two machines may share a host name (``localhost``), and a container its
    host's: a PID says something only inside the same process table.
    """
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    return hashlib.sha256(f"{boot} {namespace}".encode()).hexdigest()[:8]


def _worker_id() -> str:
    """Names this instance in ``claimed_by`` and in ``pg_stat_activity.application_name`` (after the
    operator's own name, if the URL gives one: :func:`application_name`).

    ``greeter HOST/PID/TOKEN@TABLE`` (:func:`_process_table`; without ``@TABLE``
    where it is unknown): what :func:`dead_here` reads.
    """
    table = _process_table()
    where = f"@{table}" if table else ""
    return f"greeter {socket.gethostname()[:24]}/{os.getpid()}/{uuid.uuid4().hex[:6]}{where}"


#: The longest ``application_name`` PostgreSQL keeps (``NAMEDATALEN - 1``); it cuts a longer one.
_APPLICATION_NAME_MAX = 63


def application_name(theirs: str | None, worker_id: str) -> str:
    """The journal connections' ``application_name``: the operator's (URL or ``PGAPPNAME``) first, then
    greeter's :func:`_worker_id`; greeter's alone when none was given. Pure.

    greeter used to replace the operator's name with its own, so a DBA's
    ``pg_stat_activity`` filter or per-application pooler rule no longer found
    it. Nothing in greeter reads the name back (claims carry ``claimed_by``);
    it names one instance among several daemons, so it is kept after theirs —
    cut, if it must be, from its end, never theirs.
    """
    name = f"{theirs} {worker_id}" if theirs else worker_id
    return name[:_APPLICATION_NAME_MAX]


def _given_application_name(conninfo: str) -> str | None:
    """The ``application_name`` the URL (or, failing it, ``PGAPPNAME``) gives libpq, if any."""
    given = conninfo_to_dict(conninfo).get("application_name")
    return str(given) if given else os.environ.get("PGAPPNAME") or None


_WORKER = re.compile(r"greeter (?P<host>[^/]+)/(?P<pid>\d+)/[0-9a-f]+@(?P<table>[0-9a-f]+)")


def dead_here(claimed_by: str, me: str, alive: Callable[[int], bool]) -> bool:
    """Pure (``alive`` injected): whether the sender named ``claimed_by`` is a process that is gone.

    Only a sender in this process's own table (``me``'s host and
    :func:`_process_table`) can be judged, by asking whether its PID still
    exists; anyone else's claims wait for their lease. A PID reused since by
    another process reads as alive: its claims then wait for the lease, as
    before — the error is a delay, never a live sender's claims taken.
    """
    theirs, mine = _WORKER.fullmatch(claimed_by), _WORKER.fullmatch(me)
    if theirs is None or mine is None or claimed_by == me:
        return False
    if (theirs["host"], theirs["table"]) != (mine["host"], mine["table"]):
        return False
    return not alive(int(theirs["pid"]))


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists here (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _guard_upgrade(conn: Conn, target: PgTarget, found: int | None) -> str | None:
    """:func:`~greeter.journal_pg_senders.guard_upgrade` when opening will migrate a journal at ``found``."""
    if found is None or found >= len(MIGRATIONS):
        return None
    if (schema := target.schema) is None:
        row = conn.execute("SELECT current_schema()").fetchone()
        schema = str(row[0]) if row and row[0] else "public"
    return guard_upgrade(conn, schema, target.shown, found, len(MIGRATIONS))


def _connect_again(pool: ConnectionPool[Conn]) -> None:
    """psycopg_pool's ``reconnect_failed``: a round of connect attempts ended (:data:`POOL_ROUND_SECONDS`)
    with the server still away — begin another at once, its pauses short again.

    ``check`` grows a pool short of connections by one attempt, unless one is already under way.
    Without it the pool gave up on that connection until a caller next asked for one, and a
    caller already waiting waited out its timeout with no attempt made meanwhile.
    """
    if not pool.closed:
        pool.check()


def _configure_marked(conn: Conn, schema: str | None, resolved: str) -> None:
    """Each pooled connection: :func:`~greeter.journal_pg_schema.configure`, then the schema mark a later
    greeter's upgrade looks for (:func:`~greeter.journal_pg_senders.mark_connection`)."""
    configure(conn, schema)
    mark_connection(conn, resolved, len(MIGRATIONS))


class PgJournal(PgJournalBase, Transitions, OptOuts):
    """The PostgreSQL journal (psycopg 3 + a small pool). Construct with :meth:`open`."""

    #: Several daemons may send from it at once.
    shared = True
    #: (from, to): the schema versions of the upgrade this open made (None: none).
    upgraded: tuple[int, int] | None = None
    #: Said with the upgrade: connections of an older greeter were open on the database (None: none).
    upgrade_warning: str | None = None
    _SENT_DAY = _SENT_DAY
    #: The letter's bytes stay a column of ``greetings`` here, unlike SQLite's table of their own
    #: (:data:`~greeter.journal_schema.LETTERS_TABLE`): PostgreSQL keeps a ~10 KB ``bytea`` out of the
    #: row already (TOAST), so a row's heap tuple stays small, and what a verdict leaves behind (the
    #: row's old version, its dropped TOAST chunks) is dead space (auto)vacuum reclaims — not a live
    #: page left mostly empty, as SQLite's rows were: 2,000 letters sent, ``greetings`` 13.1 MB, 1.8 MB
    #: after a VACUUM; a second batch, 15.0 MB, 3.6 MB after its VACUUM: 0.6 KB a row
    #: (bench/bench_journal_size.py --pg). One column, one claim statement: no table to add.
    _DROP_LETTER = ", payload = NULL"
    #: Text sorts by ``COLLATE "C"`` (bytes), so the order is SQLite's whatever the database's locale.
    _HISTORY_ORDER = 'occasion_date, contact_id COLLATE "C", occasion COLLATE "C"'

    def _p(self, name: str) -> str:
        return f"%({name})s"

    def _at(self, moment: datetime) -> datetime:
        return aware(moment)

    def _day(self, day: date) -> date:
        return day

    def _merged_value(self, names: Sequence[str]) -> Jsonb:
        return Jsonb(list(names))

    def __init__(
        self, pool: ConnectionPool[Conn], target: PgTarget, schema_name: str, worker_id: str
    ) -> None:
        super().__init__(pool, target, schema_name, worker_id)
        self._sender = False
        self._renewed = time.monotonic()

    @classmethod
    def open(cls, url: str, *, now: datetime) -> PgJournal:
        """Connect to ``postgresql://…[?schema=NAME][&lease_seconds=N]`` and migrate the schema.

        Migration uses one direct connection first, so an unreachable server
        or a wrong password fails at once with the driver's reason.
        """
        journal = cls._open(url, now=now, create=True)
        assert journal is not None, "a journal is created when missing"
        return journal

    @classmethod
    def open_existing(cls, url: str, *, now: datetime) -> PgJournal | None:
        """:meth:`open`, but None when the schema holds no journal yet — nothing is created.

        For readers that must leave no trace (``send --dry-run``, preview): the
        dry run of a project whose PostgreSQL journal did not exist yet created
        the schema and every table, while docs/commands.md (``send``) promises a dry
        run creates nothing (as it holds for a SQLite journal: no file is made).
        """
        return cls._open(url, now=now, create=False)

    @classmethod
    def _open(cls, url: str, *, now: datetime, create: bool) -> PgJournal | None:
        target = parse_target(url)
        now = aware(now)
        connected = False
        try:
            with psycopg.connect(target.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                connected = True
                configure(conn, target.schema)
                found = inspect(conn, target.schema)
                if not create and found is None:
                    return None
                older = _guard_upgrade(conn, target, found)  # refuses while an older greeter sends
                version = migrate(conn, schema=target.schema, now=now)
                row = conn.execute("SELECT current_schema()").fetchone()
        except JournalNewerError as exc:
            raise JournalNewerError(target.shown, exc.found, exc.latest) from None
        except JournalError as exc:  # the schema's refusals (a privilege, not ours): which journal
            if type(exc) is not JournalError:
                raise
            raise JournalError(f"journal {target.shown}: {exc}") from None
        except psycopg.Error as exc:
            if not connected and bad_connection_string(exc):  # a typo in storage.url: exit 2, not 75
                raise connection_string_error(target.shown, exc, url) from None
            raise pg_journal_error(f"journal {target.shown}: {pg_message(exc, url)}", exc) from None
        schema_name = str(row[0]) if row else "public"
        worker_id = _worker_id()
        app_name = application_name(_given_application_name(target.conninfo), worker_id)
        pool: ConnectionPool[Conn] = ConnectionPool(
            target.conninfo,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={
                "autocommit": True,
                "connect_timeout": CONNECT_TIMEOUT,
                "application_name": app_name,
            },
            configure=lambda c: _configure_marked(c, target.schema, schema_name),
            timeout=CONNECT_TIMEOUT,
            reconnect_timeout=POOL_ROUND_SECONDS,
            reconnect_failed=_connect_again,
            # A name of its own: what the pool last said of connecting is this journal's (_PoolLog).
            name=f"greeter-journal-{worker_id.rsplit('/', 1)[-1].split('@')[0]}",
            open=False,
        )
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            pool.close()
            raise JournalUnavailableError(
                f"journal {target.shown}: no connection within {CONNECT_TIMEOUT} s"
            ) from None
        journal = cls(pool, target, schema_name, worker_id)
        if found is not None and found < version:  # what the command says: an older greeter is shut out
            journal.upgraded = (found, version)
            journal.upgrade_warning = older
        return journal

    # --- senders ----------------------------------------------------------------------------

    def lock_sender(
        self, *, config: Path | None = None, doing: str | None = None, busy: str = WAIT_FOR_SENDER
    ) -> None:
        """Become *a* sender: unlike SQLite's, this excludes no other process.

        Several greeters may send from one PostgreSQL journal; each greeting is
        decided by :meth:`claim`. Being a sender allows
        :meth:`recover_stale_claims`.
        """
        self._sender = True

    def renew_leases(self) -> int:
        """Extend the lease of every claim this instance holds; returns how many.

        Called on its own from :meth:`claim` and the outcome methods (at most
        every quarter lease), and — while a batch is in flight — every third of
        a lease by :func:`greeter.delivery_batch.send_batch`: one SMTP
        transaction may outlast a lease (a slow server's reply to DATA), and
        while every pooled letter waits for one nothing else writes. So only
        a sender that is gone (or cannot reach the journal for a whole lease)
        loses its claims.
        """
        self._renewed = time.monotonic()
        return self._run(
            lambda conn, _: (
                conn.execute(
                    "UPDATE greetings SET lease_until = clock_timestamp() + %s"
                    " WHERE state = 'claimed' AND claimed_by = %s",
                    (self.lease, self.worker_id),
                ).rowcount
            )
        )

    def sent_after_lapse(self, key: JournalKey, reply: str, now: datetime) -> str | None:
        """``uncertain`` → ``sent`` for a letter of this instance's that another sender presumed dead.

        The server's 250 came after this instance's claim had been recovered as
        ``uncertain`` (its lease ran out while the reply was awaited — renewals
        that failed, a stalled process): the reply proves the letter arrived.
        Only the row exactly as the recovery left it is moved: still this
        instance's claim (``claimed_by``) with the recovery's reason — an
        operator's decision (``uncertain resend``, ``dismiss``) or a later claim
        changed one of those, and stands. Returns None when recorded, else the
        state the row is in (for the caller's words).
        """
        params = {
            **key_params(key), "reply": reply, "now": aware(now), "me": self.worker_id,
            "why": RECOVERED_REASON,
        }  # fmt: skip
        sent = (
            "UPDATE greetings SET state = 'sent', updated_at = %(now)s, lease_until = NULL,"
            " last_reply = %(reply)s, sent_at = %(now)s, payload = NULL, reason = NULL,"
            f" send_day = {_SENT_DAY} WHERE {KEY_WHERE} AND state = 'uncertain'"
            " AND claimed_by = %(me)s AND reason = %(why)s"
        )

        def op(conn: Conn, retrying: bool) -> str | None:
            if conn.execute(sent, params).rowcount == 1:
                return None
            found = f"SELECT state, last_reply FROM greetings WHERE {KEY_WHERE}"
            row = conn.execute(found, params).fetchone()
            if row is None:
                return "gone"
            if retrying and row[0] == "sent" and row[1] == reply:
                return None  # the first attempt committed before its connection broke
            return str(row[0])

        return self._run(op)

    def _maybe_renew(self) -> None:
        if time.monotonic() - self._renewed > self.lease.total_seconds() / 4:
            self.renew_leases()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Each write commits on its own: rows are shared with other senders, so none waits for a batch."""
        yield

    @contextmanager
    def contact_lock(self, contact_id: str) -> Iterator[None]:
        """Hold one contact for the frequency cap, across every process sharing this journal.

        A session advisory lock on a pooled connection, released when the block
        ends (or when the server ends the session: a restart releases it too).
        Inside, re-read the contact's greetings, decide, and :meth:`claim`: the
        claim is committed before the lock is released, so the next holder
        counts it. A lost connection while taking the lock is tried again
        (:class:`~greeter.journal_pg_base.Reconnect`); one lost while releasing
        it is no error (the lock went with the session).
        """
        key = advisory_key("contact", self._schema_name, contact_id)
        conn = self._locked_connection(key)
        try:
            yield
        finally:
            try:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
            except psycopg.Error:
                conn.close()  # ends the session, and the lock with it (if the server had not already)
            finally:
                self._pool.putconn(conn)

    def _locked_connection(self, key: int) -> Conn:
        tries = Reconnect(self.reconnect_seconds)
        while True:
            try:
                conn = self._pool.getconn(timeout=tries.pool_timeout())
            except PoolTimeout:
                if tries.retrying and tries.again(lost=True):
                    continue
                raise self._no_connection() from None
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (key,))
                return conn
            except psycopg.OperationalError as exc:
                self._pool.putconn(conn)
                if timed_out(exc) or not tries.again(lost=connection_lost(exc)):
                    message = pg_message(exc, self._target.conninfo)
                    raise pg_journal_error(f"journal {self.url}: {message}", exc) from None
                self._pool.check()
            except psycopg.Error as exc:
                self._pool.putconn(conn)
                message = pg_message(exc, self._target.conninfo)
                raise pg_journal_error(f"journal {self.url}: {message}", exc) from None

    # --- claims and outcomes ----------------------------------------------------------------

    def claim_many(self, requests: Sequence[ClaimRequest], *, now: datetime) -> list[bool]:
        """:meth:`claim` several greetings in one transaction — one WAL flush for all (group commit).

        One bool per request, in order. The statements go out pipelined
        (``executemany``), so a batch costs about one round trip and one commit.
        """
        if not requests:
            return []
        rows = [self._claim_params(r, aware(now)) for r in requests]

        def op(conn: Conn, retrying: bool) -> list[bool]:
            won: list[bool] = []
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(_CLAIM + " RETURNING 1", rows, returning=True)
                for _ in rows:
                    won.append(cur.fetchone() is not None)
                    cur.nextset()
                if retrying and not all(won):
                    # The first attempt may have committed before its connection broke: a row
                    # carrying one of our tokens was won by that attempt.
                    tokens = [p["token"] for p, w in zip(rows, won, strict=True) if not w]
                    cur.execute(
                        "SELECT claim_token FROM greetings WHERE claim_token = ANY(%s) AND state = 'claimed'",
                        (tokens,),
                    )
                    ours = {r[0] for r in cur.fetchall()}
                    won = [w or p["token"] in ours for p, w in zip(rows, won, strict=True)]
            return won

        won = self._run(op)
        self._maybe_renew()
        return won

    def _claim_params(self, r: ClaimRequest, now: datetime) -> dict[str, Any]:
        offset = aware(r.planned_at).utcoffset()
        return {
            **key_params(r.key), "email": r.email, "mid": r.message_id, "planned": r.planned_at,
            "send_day": r.planned_at.date(),
            "offset": int(offset.total_seconds() // 60) if offset is not None else 0,
            "merged": Jsonb(list(r.merged)), "hash": r.content_hash, "payload": r.payload,
            "subject": r.subject,
            "me": self.worker_id, "token": uuid.uuid4().hex, "lease": self.lease, "now": now,
            "email_key": email_key(r.email), "retry": r.retry,
        }  # fmt: skip

    def skip_suppressed(self, key: JournalKey, email: str, now: datetime) -> bool:
        """``retry`` → ``skipped`` (:func:`suppressed_reason`) if ``email`` is on the list (one statement).

        Retried after a lost connection, a row already ``skipped`` so was the first attempt's work.
        """
        params = {
            **key_params(key), "reason": suppressed_reason(email), "now": aware(now),
            "email_key": email_key(email),
        }  # fmt: skip

        def op(conn: Conn, retrying: bool) -> bool:
            if conn.execute(_SKIP_SUPPRESSED, params).rowcount == 1:
                return True
            if not retrying:
                return False
            row = conn.execute(f"SELECT state, reason FROM greetings WHERE {KEY_WHERE}", params).fetchone()
            return row is not None and tuple(row) == ("skipped", params["reason"])

        return self._run(op)

    def _apply(self, move: Move) -> None:
        """Make ``move``, or raise saying which state the row was in (see :meth:`Transitions._apply`).

        ``fsync=False`` (the server's verdicts) commits without waiting for the
        WAL flush, as the SQLite journal does: lost in a server crash, the row
        is back at ``claimed`` and becomes ``uncertain`` — never a second
        letter. The setting is transaction-local, so a claim on the same
        connection still waits for the disk.

        The usual case is one conditional UPDATE (one round trip). Only when it
        changes nothing — no row yet, a wrong state, or a retry after a lost
        connection — does a transaction look at the row under ``FOR UPDATE``
        and decide: record it, accept the first attempt's work, or say which
        state it is in.
        """
        where = key_params(move.key)
        values = {
            **where,
            **move.params,
            "to": move.to,
            "sources": list(move.sources),
            "now": aware(move.now),
        }
        no_wait = (
            "" if move.fsync else " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_wait"
        )
        update = (
            "UPDATE greetings SET state = %(to)s, updated_at = %(now)s, lease_until = NULL"
            f"{move.sets}{no_wait} WHERE {KEY_WHERE} AND state = ANY(%(sources)s)"
        )
        select = f"SELECT state FROM greetings WHERE {KEY_WHERE} FOR UPDATE"

        def op(conn: Conn, retrying: bool) -> None:
            if conn.execute(update, values).rowcount == 1:
                return
            with conn.transaction():
                if not move.fsync:
                    conn.execute("SET LOCAL synchronous_commit TO OFF")
                row = conn.execute(select, where).fetchone()
                if row is None and move.record_missing is not None:
                    email, reason = move.record_missing
                    inserted = conn.execute(
                        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, reason,"
                        " send_day, merged, created_at, updated_at) VALUES (%(cid)s, %(occ)s, %(day)s,"
                        " %(to)s, %(email)s, %(reason)s, %(send_day)s, %(merged)s, %(now)s, %(now)s)"
                        " ON CONFLICT DO NOTHING",
                        {
                            **values, "email": email, "reason": reason, "send_day": move.send_day,
                            "merged": Jsonb(list(move.merged)),
                        },
                    ).rowcount  # fmt: skip
                    if inserted:
                        return
                    row = conn.execute(select, where).fetchone()  # another process recorded it first
                if row is not None and retrying and row[0] == move.to:
                    return  # the first attempt committed before its connection broke
                move.check(None if row is None else row[0])
                conn.execute(update, values)  # it moved into a source state meanwhile

        self._run(op)
        self._maybe_renew()

    def release(self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = ()) -> None:
        """Give back a claim whose letter never reached DATA (:meth:`JournalStore.release`): one transaction.

        Retried after a lost connection, a row already gone or back in
        ``retry`` is the first attempt's work.
        """
        where = key_params(key)
        others = [{**key_params(k), "reason": merged_reason(key[1])} for k in merged]

        def op(conn: Conn, retrying: bool) -> None:
            with conn.transaction():
                row = conn.execute(
                    f"SELECT state, attempts FROM greetings WHERE {KEY_WHERE} FOR UPDATE", where
                ).fetchone()
                if retrying and (row is None or row[0] == "retry"):
                    return
                release_check(key, None if row is None else row[0])
                assert row is not None
                if row[1] > 1:
                    conn.execute(
                        "UPDATE greetings SET state = 'retry', attempts = attempts - 1,"
                        " next_attempt_at = %(now)s, updated_at = %(now)s, lease_until = NULL"
                        f" WHERE {KEY_WHERE}",
                        {**where, "now": aware(now)},
                    )
                    return
                conn.execute(f"DELETE FROM greetings WHERE {KEY_WHERE}", where)
                if others:
                    with conn.cursor() as cur:
                        cur.executemany(
                            f"DELETE FROM greetings WHERE {KEY_WHERE} AND state = 'skipped'"
                            " AND reason = %(reason)s",
                            others,
                        )

        self._run(op)

    def recover_stale_claims(self, now: datetime) -> int:
        """``claimed`` → ``uncertain`` for claims whose sender is gone; returns how many.

        Gone means: the lease ran out by the server's clock, or the claim is
        this instance's own (the caller's in-flight letters are over — at start
        there are none, at shutdown they were cut off), or its sender was a
        process on this machine that no longer exists (:func:`dead_here`): a
        ``send --once`` that lost the journal mid-batch left its claims for up
        to a lease, and the next send on the same machine now takes them at
        once. Another live sender's claims are never touched.
        """
        if not self._sender:
            raise JournalError("recover_stale_claims needs the sender role (call lock_sender first)")
        senders = self._fetch(
            "SELECT DISTINCT claimed_by FROM greetings WHERE state = 'claimed' AND claimed_by IS NOT NULL", {}
        )
        dead = [r[0] for r in senders if dead_here(r[0], self.worker_id, pid_alive)]
        return self._run(
            lambda conn, _: (
                conn.execute(
                    "UPDATE greetings SET state = 'uncertain', updated_at = %s, lease_until = NULL,"
                    " last_reply = NULL, reason = %s WHERE state = 'claimed' AND (claimed_by = %s"
                    " OR claimed_by = ANY(%s) OR lease_until IS NULL OR lease_until <= clock_timestamp())",
                    (aware(now), RECOVERED_REASON, self.worker_id, dead),
                ).rowcount
            )
        )

    # --- erasure requests (greeter forget) ----------------------------------------------------

    def _erasure(self, conn: Conn, email: str, contact_ids: Collection[str]) -> Erasure:
        """What :meth:`forget` erases, read on ``conn`` (inside its transaction when it forgets).

        A claim is live while its lease runs (by the server's clock), as
        :meth:`recover_stale_claims` judges: one whose lease ran out was left by
        a dead sender and is erased with the rest.
        """
        with conn.cursor() as cur:
            read = cur.execute(
                "SELECT contact_id, occasion, occasion_date, email, state,"
                " (state = 'claimed' AND lease_until > clock_timestamp()) AS live FROM greetings"
            ).fetchall()
            rows = [(r[0], r[1], r[2], r[3], r[4]) for r in read]
            found, ids = erasable(rows, email, contact_ids)
            live = {(r[0], r[1], r[2]) for r in read if r[5]}
            approvals = cur.execute(
                "SELECT count(*) FROM approvals WHERE contact_id = ANY(%s)", (sorted(ids),)
            ).fetchone()
            listed = cur.execute(
                "SELECT email, reason, created_at FROM suppression WHERE email = %s", (email_key(email),)
            ).fetchone()
        return Erasure(
            email=email_key(email),
            greetings=tuple(key for key, _ in found),
            states=tuple(state for _, state in found),
            approvals=int(approvals[0]) if approvals else 0,
            listed=None if listed is None else Suppression(listed[0], listed[1], listed[2]),
            claimed=tuple(key for key, _ in found if key in live),
            contact_ids=tuple(sorted(ids)),
            former=former_addresses(rows, email, (key for key, _ in found)),
        )

    def erasure(self, email: str, contact_ids: Collection[str] = ()) -> Erasure:
        return self._run(lambda conn, _: self._erasure(conn, email, contact_ids))

    def forget(
        self, email: str, now: datetime, contact_ids: Collection[str] = (), *, by: str | None = None
    ) -> Erasure:
        """:meth:`JournalStore.forget` in one transaction, holding the contact locks senders decide under.

        A sender deciding about one of the address's contacts (:meth:`contact_lock`)
        finishes first: its claim is then seen, and refused, rather than made
        just after the rows were read.
        """

        def op(conn: Conn, retrying: bool) -> Erasure:
            with conn.transaction():
                first = self._erasure(conn, email, contact_ids)
                for cid in first.contact_ids:
                    conn.execute(
                        "SELECT pg_advisory_xact_lock(%s)", (advisory_key("contact", self._schema_name, cid),)
                    )
                found = self._erasure(conn, email, contact_ids)
                if found.claimed:
                    raise ClaimedNowError(found.email, found.claimed)
                with conn.cursor() as cur:
                    for statement, params in self._forget_writes(found, now, by):
                        cur.executemany(statement, params)
            return found

        return self._run(op)
