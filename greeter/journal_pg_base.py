"""The PostgreSQL journal's plumbing and its read side: pool, retry, history, lists.

:class:`PgJournalBase` runs every statement through :meth:`PgJournalBase._run`
— a pooled connection, and after a lost connection (server restart, failover)
a pool check and more tries until the server is back (:class:`Reconnect`) —
and implements the reads and the simple list maintenance (approvals,
do-not-contact list) of the journal protocol.
The claims and the state machine, which need more care, are in
:class:`greeter.journal_pg.PgJournal`; the reads both backends make with one
query (``history``, ``due_retries``) are in :class:`greeter.journal_sql.JournalSql`,
on this class's :meth:`PgJournalBase._entries`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from greeter import journal_sql
from greeter.contacts import email_key
from greeter.db_url import one_line
from greeter.errors import (
    ClockSkewError,
    JournalError,
    JournalNewerError,
    JournalUnavailableError,
    clock_skew_problem,
)
from greeter.journal_pg_schema import MIGRATIONS, PgTarget
from greeter.journal_pg_schema import row_to_entry as to_entry
from greeter.journal_store import (
    CAP_STATES,
    STATES,
    Approvals,
    Approver,
    JournalEntry,
    JournalKey,
    Notice,
    Suppression,
    Tally,
    expired_why,
    is_baseline,
    planned_state,
    skipped_why,
    stored_states,
)
from greeter.journal_transitions import merged_carrier
from greeter.plan_types import PastGreeting

__all__ = [
    "KEY_WHERE",
    "RECONNECT_SECONDS",
    "Conn",
    "PgJournalBase",
    "Reconnect",
    "aware",
    "bad_connection_string",
    "connection_lost",
    "connection_string_error",
    "connection_string_problem",
    "key_params",
    "pg_journal_error",
    "pg_message",
    "pg_operational",
    "timed_out",
]

T = TypeVar("T")
Conn = psycopg.Connection[Any]

#: Selects one greeting by the parameters of :func:`key_params`.
KEY_WHERE = "contact_id = %(cid)s AND occasion = %(occ)s AND occasion_date = %(day)s"


def aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"journal times must be timezone-aware, got {moment!r}")
    return moment


def key_params(key: JournalKey) -> dict[str, Any]:
    return {"cid": key[0], "occ": key[1], "day": key[2]}


def pg_message(exc: psycopg.Error, url: str) -> str:
    """libpq's or the server's words for ``exc`` on one line, the URL's password blanked, and
    what to do where libpq's words do not say it (:func:`no_user_name_hint`)."""
    said = one_line(exc.diag.message_primary or exc, url)
    return said + no_user_name_hint(said)


#: libpq's words when the URL names no user and this process's UID has no passwd entry to take one
#: from (``fe-auth.c``: ``local user with ID %d does not exist``): an arbitrary container UID.
_NO_LOCAL_USER = re.compile(r"local user with ID \d+ does not exist")


def no_user_name_hint(said: str) -> str:
    """What to do when libpq found no user name to log in as (:data:`_NO_LOCAL_USER`); "" otherwise.

    libpq logs in as the OS user when neither the URL nor ``PGUSER`` names one,
    and a container's arbitrary UID (OpenShift, ``runAsUser``) has no name: its
    words name neither the URL nor ``PGUSER``, and the pod crash-loops on a
    message that reads like a missing account. Pure.
    """
    if _NO_LOCAL_USER.search(said) is None:
        return ""
    return (
        " (this process's UID has no user name, and the URL names no user to log in as: put the"
        " user in the URL, postgresql://USER@host/db, or set PGUSER)"
    )


#: SQLSTATE classes that mean "the server cannot do it now", not "the setup is wrong":
#: 08 connection exception, 53 insufficient resources (disk full, out of memory, too many
#: connections), 57 operator intervention (shutdown, restart, statement cancelled),
#: 58 system error (I/O), 40 transaction rollback (serialization failure, deadlock).
_OPERATIONAL_SQLSTATE_CLASSES = ("08", "53", "57", "58", "40")
#: And single states: lock_not_available (a lock timeout).
_OPERATIONAL_SQLSTATES = ("55P03",)


#: How long a statement whose connection was lost keeps trying (a pool check, another pooled
#: connection) before the run fails: a server restart takes a few seconds, more on a loaded
#: machine, and a failover longer. Never more than half the claims' lease (see
#: :meth:`PgJournalBase.__init__`): a sender that waits longer may find its claims taken.
RECONNECT_SECONDS = 30.0
#: The pause before the third try (the second is at once); doubled each time, up to the maximum.
RECONNECT_FIRST_PAUSE = 0.05
RECONNECT_MAX_PAUSE = 1.0
#: SQLSTATEs of a session the server ended: admin_shutdown (a restart's ``fast`` stop,
#: ``pg_terminate_backend``), crash_shutdown, cannot_connect_now (shutting down, starting up).
_SESSION_ENDED = ("57P01", "57P02", "57P03")


#: SQLSTATEs of a statement that waited too long: lock_not_available (``lock_timeout``) and
#: query_canceled (``statement_timeout``, see :func:`greeter.journal_pg_schema.configure`).
_TIMED_OUT = ("55P03", "57014")


def timed_out(exc: psycopg.Error) -> bool:
    """Whether ``exc`` is a journal statement that hit its lock or statement timeout.

    Not tried again at once, as other operational errors are: the lock or
    the stall that made it wait is most likely still there, and a second try
    would only double the time before the run fails as "journal unavailable".
    """
    return exc.sqlstate in _TIMED_OUT


def connection_lost(exc: psycopg.Error) -> bool:
    """Whether ``exc`` says the session is gone (the server restarted, failed over, or the network
    broke), rather than that the statement itself failed.

    Without an SQLSTATE, the client lost the connection (``server closed the
    connection unexpectedly``, ``consuming input failed``); class 08 is a
    connection exception; :data:`_SESSION_ENDED` are the server ending it.
    """
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in _SESSION_ENDED


class Reconnect:
    """The tries of one statement: after any operational error one more at once (a pool check
    replaced what the server dropped), then — only while the connection is what fails —
    more, after pauses growing from :data:`RECONNECT_FIRST_PAUSE` to :data:`RECONNECT_MAX_PAUSE`,
    until ``seconds`` after the first failure.

    One try more is not enough across a restart: the pool check can keep a
    connection whose session the stopping server ends a moment later (its
    backends exit one by one, slower on a loaded machine), and a new one is
    refused until the server is up again. Every statement run this way
    recognises its own first attempt when a later one finds it committed
    (the ``retrying`` argument of :meth:`PgJournalBase._run`'s ``op``).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.failures = 0
        self._until: float | None = None

    @property
    def retrying(self) -> bool:
        """Whether a try failed before (the statement may have committed then)."""
        return self.failures > 0

    def pool_timeout(self) -> float | None:
        """How long to wait for a pooled connection: the pool's own timeout at first, then what is left."""
        if self._until is None:
            return None
        return max(0.1, self._until - time.monotonic())

    def again(self, *, lost: bool) -> bool:
        """A try failed (``lost``: its connection did): whether to try again, after the pause if any."""
        self.failures += 1
        now = time.monotonic()
        if self._until is None:
            self._until = now + self.seconds
        if self.failures == 1:
            return True
        if not lost or now >= self._until:
            return False
        pause = min(RECONNECT_FIRST_PAUSE * 2 ** (self.failures - 2), RECONNECT_MAX_PAUSE, self._until - now)
        time.sleep(pause)
        return True


#: A connection refused by the server for the setup's sake has no SQLSTATE on the client (libpq
#: gives only text): these words of the server's (English) messages say so. Anything else
#: without an SQLSTATE — refused, timed out, reset — means the server could not be reached.
_SETUP_REFUSALS = (
    "password authentication failed",
    "authentication failed",
    "does not exist",  # database "crm" / role "greeter" does not exist
    "no pg_hba.conf entry",
    "permission denied",
    "password is required",
    "no password supplied",
    "unrecognized configuration parameter",  # options=-cbogus%3D1
    "invalid value for parameter",  # options=-cstatement_timeout%3Dabc, client_encoding=bogus
)

#: psycopg's own words (not translated) for a connection libpq declared bad at once, in
#: ``PQconnectStart``, before any server answered: its options were refused, or every
#: server failed at once (a Unix socket that is not there).
_REFUSED_AT_ONCE = "connection is bad:"
#: libpq's words, in such an error, for an option it refuses: ``invalid sslmode value``,
#: ``invalid integer value "abc" for connection option "port"``, ``invalid port number``,
#: ``could not match 2 port numbers to 1 hosts``. A server that failed at once is
#: ``connection to server on socket … failed: No such file or directory`` instead.
_OPTION_REFUSALS = ("invalid", "could not match", "may not be used", "not compiled in")


def bad_connection_string(exc: psycopg.Error) -> bool:
    """Whether libpq refused the connection string itself, before trying any server.

    A string it cannot parse (a malformed URL, an unknown parameter) is a
    :class:`psycopg.ProgrammingError` — told by its class. An option it parses
    but refuses (``sslmode=bogus``, ``port=abc``) fails the connection at
    once, with no SQLSTATE (nothing was asked of a server), so only its words
    tell it from a server that cannot be reached: psycopg's
    :data:`_REFUSED_AT_ONCE` and libpq's :data:`_OPTION_REFUSALS`.
    """
    if exc.sqlstate is not None:
        return False
    if isinstance(exc, psycopg.ProgrammingError):
        return True
    text = str(exc)
    if not isinstance(exc, psycopg.OperationalError) or not text.startswith(_REFUSED_AT_ONCE):
        return False
    said = text.removeprefix(_REFUSED_AT_ONCE).lower()
    return not said.lstrip().startswith("connection to server") and any(w in said for w in _OPTION_REFUSALS)


def connection_string_problem(exc: psycopg.Error, url: str) -> str:
    """What is wrong with a connection string libpq refused (:func:`bad_connection_string`).

    libpq's words, blanked of the URL's password (:func:`~greeter.db_url.one_line`).
    """
    said = one_line(str(exc).removeprefix(_REFUSED_AT_ONCE), url)
    return f"not a valid connection string: {said}"


def connection_string_error(shown: str, exc: psycopg.Error, url: str) -> JournalError:
    """The journal error (exit 2) for a connection string libpq refused; ``shown``: the URL sans password."""
    return JournalError(f"journal {shown}: storage.url is {connection_string_problem(exc, url)}")


def pg_operational(exc: psycopg.Error) -> bool:
    """Whether ``exc`` is the server unreachable or unable to do it now: worth trying again later.

    Not: a wrong password, a missing database, no privilege, a connection
    string libpq refuses — nothing changes those but the configuration.
    An error without an SQLSTATE happened before the server said anything
    useful (refused, timed out, host unknown), unless libpq refused the
    connection string itself (:func:`bad_connection_string`) or its text is
    one of libpq's setup refusals (:data:`_SETUP_REFUSALS`). Restarting later
    is the right reaction to all of those but a misspelt host name, and
    harmless for it. One rule for the journal and the contacts database, so
    one outage gives one exit code whichever of them it hits.
    """
    state = exc.sqlstate
    if bad_connection_string(exc):
        return False
    if state is None:
        text = str(exc).lower()
        return not any(words in text for words in _SETUP_REFUSALS)
    return state[:2] in _OPERATIONAL_SQLSTATE_CLASSES or state in _OPERATIONAL_SQLSTATES


def pg_journal_error(message: str, exc: psycopg.Error) -> JournalError:
    """``exc`` as :class:`JournalUnavailableError` (exit 75) when :func:`pg_operational`, else
    :class:`JournalError` (exit 2)."""
    return (JournalUnavailableError if pg_operational(exc) else JournalError)(message)


class _PoolLog(logging.Filter):
    """Keeps ``psycopg_pool``'s warnings out of greeter's output, and remembers its last connect error.

    During an outage the pool logs every failed connection and every closed
    one it discards — multi-line, several a second, ``<psycopg.Connection
    [BAD]…>`` — beside greeter's own account of the same outage (the daemon's
    JSON lines, ``send --once``'s message). Its errors stay. What it said
    last about connecting (``role "greeter" is not permitted to log in``) is
    the cause a :class:`~psycopg_pool.PoolTimeout` does not carry: kept per
    pool name for :meth:`PgJournalBase._again_or_raise`'s message.
    """

    def __init__(self) -> None:
        super().__init__()
        self.connect_errors: dict[str, tuple[float, psycopg.Error]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 2 and isinstance(args[1], psycopg.Error):
            self.connect_errors[str(args[0])] = (time.monotonic(), args[1])  # "error connecting in %r: %s"
        return record.levelno >= logging.ERROR

    def recent(self, pool: str, within: float) -> psycopg.Error | None:
        """The pool's last connect error if it came in the last ``within`` seconds."""
        at, exc = self.connect_errors.get(pool, (0.0, None))
        return exc if exc is not None and time.monotonic() - at <= within else None


_POOL_LOG = _PoolLog()
logging.getLogger("psycopg.pool").addFilter(_POOL_LOG)


def _quiet_cleanup_error(record: logging.LogRecord) -> bool:
    """psycopg's "error ignored terminating <psycopg.Pipeline [BAD] at 0x…>: …", as a debug line.

    Logged (a warning, with the object's repr) while a pipeline or COPY closes
    on a connection already lost, and only when an error is already on its
    way out of the block: that error is the one greeter reports (exit 75,
    "server closed the connection"). With backends killed again and again the
    operator saw these beside it. Kept, in greeter's words, at debug.
    """
    if not str(record.msg).startswith("error ignored terminating"):
        return True
    args = record.args if isinstance(record.args, tuple) else ()
    what = type(args[0]).__name__ if args else "?"
    said = " ".join(str(args[1]).split()) if len(args) > 1 else ""
    logging.getLogger(__name__).debug("pg_cleanup_error_ignored %s: %s", what, said)
    return False


logging.getLogger("psycopg").addFilter(_quiet_cleanup_error)


class PgJournalBase:
    """Pool, retries and the read side of the PostgreSQL journal (:class:`~greeter.journal_pg.PgJournal`)."""

    def __init__(
        self, pool: ConnectionPool[Conn], target: PgTarget, schema_name: str, worker_id: str
    ) -> None:
        self._pool = pool
        self._target = target
        self._schema_name = schema_name
        self.worker_id = worker_id
        #: How long a statement tries again after a lost connection (:class:`Reconnect`).
        self.reconnect_seconds = min(RECONNECT_SECONDS, target.lease.total_seconds() / 2)

    @property
    def url(self) -> str:
        """The journal's URL without its password."""
        return self._target.shown

    @property
    def schema(self) -> str:
        """The schema holding the journal's tables."""
        return self._schema_name

    @property
    def lease(self) -> timedelta:
        return self._target.lease

    def close(self) -> None:
        self._pool.close()

    def clock_skew(self, now: datetime) -> str | None:
        """Why :meth:`check_clock` refuses ``now`` against the server's clock; None: within the tolerance.

        ``greeter check`` says it (it raises nothing) so that check does not say OK to a send
        that will stop at exit 75.
        """
        server = self._run(lambda conn, _: conn.execute("SELECT clock_timestamp()").fetchone())
        assert server is not None
        return clock_skew_problem(now, server[0])

    def check_clock(self, now: datetime) -> None:
        """Refuse (:class:`~greeter.errors.ClockSkewError`, exit 75) when ``now`` — this machine's
        clock — is off the server's by more than the tolerance (:func:`~greeter.errors.clock_skew_problem`).

        Called before a sender writes anything; not for a ``--now`` rehearsal,
        whose moment is meant to differ. ``now`` is injected, as every moment is.
        """
        problem = self.clock_skew(now)
        if problem is not None:
            raise ClockSkewError(f"journal {self.url}: {problem}")

    def schema_version(self) -> int:
        """The journal's schema version now: one SELECT of its ledger (a newer greeter may have
        migrated it since this one opened it: :meth:`check_schema`)."""
        ledger = "SELECT COALESCE(MAX(version), 0) FROM schema_version"
        row = self._run(lambda conn, _: conn.execute(ledger).fetchone())
        return int(row[0]) if row else 0

    def check_schema(self, latest: int = len(MIGRATIONS)) -> None:
        """Refuse (:class:`~greeter.errors.JournalNewerError`, exit 75) when another machine's newer
        greeter upgraded the journal past ``latest`` (this greeter's schema) since it was opened.

        Several senders share a PostgreSQL journal, and an upgrade takes no lock
        they hold: the first command of a new version migrates it while the older
        daemons go on. Called once per run before anything is claimed (one SELECT,
        never per letter), next to :meth:`check_clock`, so an older sender stops
        claiming and writing rows of a schema it does not know until it is upgraded.
        """
        found = self.schema_version()
        if found > latest:
            raise JournalNewerError(self.url, found, latest)

    # --- running statements -----------------------------------------------------------------

    def _run(self, op: Callable[[Conn, bool], T]) -> T:
        """``op(conn, retrying)`` on a pooled connection; again after a lost connection (:class:`Reconnect`).

        Psycopg errors become :class:`JournalError`; :class:`JournalStateError`
        (a bug, not the database) passes through untouched.
        """
        tries = Reconnect(self.reconnect_seconds)
        while True:
            try:
                with self._pool.connection(timeout=tries.pool_timeout()) as conn:
                    return op(conn, tries.retrying)
            except psycopg.Error as exc:  # PoolTimeout too
                self._again_or_raise(tries, exc)

    def _again_or_raise(self, tries: Reconnect, exc: psycopg.Error) -> None:
        """After a failed try: return to try again (the pool checked when the server dropped
        connections), or raise the journal's error for ``exc``. Called in its ``except``."""
        if isinstance(exc, PoolTimeout):
            if tries.retrying and tries.again(lost=True):
                return
            raise self._no_connection() from None
        operational = isinstance(exc, psycopg.OperationalError) and not timed_out(exc)
        if operational and tries.again(lost=connection_lost(exc)):
            self._pool.check()  # replace every connection the server dropped, then try again
            return
        raise pg_journal_error(f"journal {self.url}: {pg_message(exc, self._target.conninfo)}", exc) from None

    def _no_connection(self) -> JournalError:
        """No pooled connection in time: the server's own reason if the pool heard one lately."""
        cause = _POOL_LOG.recent(self._pool.name, within=self.reconnect_seconds + self._pool.timeout)
        if cause is None:
            return JournalUnavailableError(f"journal {self.url}: no database connection available")
        said = pg_message(cause, self._target.conninfo)
        return pg_journal_error(f"journal {self.url}: no database connection available: {said}", cause)

    def _read(self, query: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        def op(conn: Conn, retrying: bool) -> list[dict[str, Any]]:
            with conn.cursor(row_factory=dict_row) as cur:
                return cur.execute(query, params).fetchall()

        return self._run(op)

    # --- reading ------------------------------------------------------------------------------

    def _entries(self, query: str, params: Mapping[str, Any]) -> list[JournalEntry]:
        return [to_entry(r) for r in self._read(query, params)]

    def _stream_entries(self, query: str, params: Mapping[str, Any]) -> Iterator[JournalEntry]:
        """The rows of ``query`` (``SELECT … ORDER BY``), :data:`~greeter.journal_sql.STREAM_BATCH` at a time.

        A result of one batch or less — a contact's rows, which the delivery
        engine reads under its contact lock for every letter — is one plain
        ``SELECT … LIMIT`` as before. A bigger one is read again through a
        server-side cursor (:meth:`_cursor_rows`): one sort on the server, one
        snapshot, one batch at a time here.
        """
        batch = journal_sql.STREAM_BATCH
        first = self._read(f"{query} LIMIT {batch + 1}", params)
        rows: Iterable[dict[str, Any]] = first if len(first) <= batch else self._cursor_rows(query, params)
        del first
        for row in rows:
            yield to_entry(row)

    def _cursor_rows(self, query: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """The rows of ``query`` through a named (server-side) cursor in a read transaction.

        The pool's connections are in autocommit, and a server-side cursor
        lives in a transaction: one is opened on a connection held until the
        last row (or until the reader stops: leaving the generator rolls it
        back and gives the connection back). A lost connection is tried again
        as every statement is (:meth:`_again_or_raise`) until the first rows
        arrive; after that it fails the read — the rows already handed out
        cannot be taken back.
        """
        tries = Reconnect(self.reconnect_seconds)
        started = False
        while True:
            try:
                with (
                    self._pool.connection(timeout=tries.pool_timeout()) as conn,
                    conn.transaction(),
                    conn.cursor(name="greeter_stream", row_factory=dict_row) as cursor,
                ):
                    cursor.execute(query, params)
                    while rows := cursor.fetchmany(journal_sql.STREAM_BATCH):
                        started = True
                        yield from rows
                return
            except psycopg.Error as exc:
                if started:
                    message = f"journal {self.url}: {pg_message(exc, self._target.conninfo)}"
                    raise pg_journal_error(message, exc) from None
                self._again_or_raise(tries, exc)

    def _fetch(self, query: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return self._run(lambda conn, _: conn.execute(query, params).fetchall())

    def _change_all(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> list[int]:
        def op(conn: Conn, retrying: bool) -> list[int]:
            with conn.transaction():  # a lost connection rolls back: run again whole, deleting is idempotent
                return [conn.execute(query, params).rowcount for query, params in statements]

        return self._run(op)

    def payload(self, key: JournalKey) -> bytes | None:
        """The letter's bytes stored at claim time (kept until the greeting is final)."""
        rows = self._read(f"SELECT payload FROM greetings WHERE {KEY_WHERE}", key_params(key))
        return bytes(rows[0]["payload"]) if rows and rows[0]["payload"] is not None else None

    def greeted_dates(self, since: date, states: Sequence[str] = CAP_STATES) -> Iterator[PastGreeting]:
        """Greetings whose local send day is ``since`` or later, as plain data for the planner."""
        rows = self._read(
            "SELECT contact_id, occasion, occasion_date, COALESCE(send_day, occasion_date) AS day, state,"
            " email, sent_at, merged, reason FROM greetings WHERE state = ANY(%s)"
            f" AND {journal_sql.NOT_REQUEUED} AND COALESCE(send_day, occasion_date) >= %s"
            f'{journal_sql.baseline_skips_only(states)} ORDER BY contact_id COLLATE "C", day',
            (stored_states(states), since),
        )
        for r in rows:
            state = planned_state(r["state"], r["reason"])  # a baseline row: sent, before greeter
            if state not in states:
                continue
            sent_at = r["sent_at"] if r["state"] == "sent" else None
            into = merged_carrier(r["reason"]) if r["state"] == "skipped" else None
            yield PastGreeting(
                r["contact_id"], r["occasion"], r["occasion_date"], r["day"], state, r["email"], sent_at,
                tuple(r["merged"] or ()), into, is_baseline(r["state"], r["reason"]),
                expired_why(r["state"], r["reason"]), skipped_why(r["state"], r["reason"], into),
            )  # fmt: skip

    def sent_times(self, since: datetime) -> list[datetime]:
        """When each greeting sent at or after ``since`` left (seeds a per-day limit after a restart)."""
        rows = self._read(
            "SELECT sent_at FROM greetings WHERE state = 'sent' AND sent_at >= %s ORDER BY sent_at",
            (aware(since),),
        )
        return [r["sent_at"] for r in rows]

    def abandoned_claims(self) -> set[JournalKey]:
        """``claimed`` greetings whose lease ran out: their sender died; the next one makes them uncertain.

        Read only, for ``greeter history``: the same rows a sender's
        :meth:`~greeter.journal_pg.PgJournal.recover_stale_claims` takes, by the
        server's clock; a live sender's claims (lease still running) are not.
        """
        rows = self._read(
            "SELECT contact_id, occasion, occasion_date FROM greetings WHERE state = 'claimed'"
            " AND (lease_until IS NULL OR lease_until <= clock_timestamp())"
        )
        return {(r["contact_id"], r["occasion"], r["occasion_date"]) for r in rows}

    def counts_by_state(self) -> dict[str, int]:
        """How many greetings are in each state (every state listed, zeros included)."""
        found = {
            r["state"]: r["n"]
            for r in self._read("SELECT state, COUNT(*) AS n FROM greetings GROUP BY state")
        }
        return {s: int(found.get(s, 0)) for s in STATES}

    def tallies(self) -> dict[tuple[str, str, str], Tally]:
        """Greetings per (state, occasion, skip reason), their oldest and newest sent: ``/metrics``' read."""
        rows = self._read(journal_sql.TALLY_QUERY)
        return {
            (r["state"], r["occasion"], r["reason_code"]): Tally(int(r["n"]), r["oldest"], r["newest_sent"])
            for r in rows
        }

    def recent_refusals(self) -> list[tuple[str, datetime]]:
        """The refusals since the newest letter that left, newest first: the daemon's read at start."""
        rows = self._read(journal_sql.recent_refusals_query("'-infinity'::timestamptz"))
        return [(str(r["last_reply"] or ""), r["updated_at"]) for r in rows]

    # --- approvals (review: required) ---------------------------------------------------------

    def approve(self, drafts: Iterable[tuple[JournalKey, str]], by: str, now: datetime) -> int:
        """Record that ``by`` approved each draft's exact content (its hash); returns how many."""
        rows = [(k[0], k[1], k[2], h, by, aware(now)) for k, h in drafts]

        def op(conn: Conn, retrying: bool) -> None:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO approvals (contact_id, occasion, occasion_date, content_hash, approved_by,"
                    " approved_at) VALUES (%s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (contact_id, occasion, occasion_date) DO UPDATE SET"
                    " content_hash = EXCLUDED.content_hash, approved_by = EXCLUDED.approved_by,"
                    " approved_at = EXCLUDED.approved_at",
                    rows,
                )

        self._run(op)
        return len(rows)

    def approvals_since(self, since: date) -> Approvals:
        """Approved content hashes of greetings whose occasion is on or after ``since``, who approved
        each and when: one query."""
        rows = self._read(
            "SELECT contact_id, occasion, occasion_date, content_hash, approved_by, approved_at"
            " FROM approvals WHERE occasion_date >= %s",
            (since,),
        )
        hashes: dict[JournalKey, str] = {}
        approvers: dict[JournalKey, Approver] = {}
        for r in rows:
            key = (r["contact_id"], r["occasion"], r["occasion_date"])
            hashes[key] = r["content_hash"]
            approvers[key] = Approver(r["approved_by"], r["approved_at"])
        return Approvals(hashes, approvers)

    # --- occasions and since when they exist ------------------------------------------------------

    def known_occasions(self) -> dict[str, datetime | None]:
        return {r["name"]: r["since"] for r in self._read("SELECT name, since FROM occasions")}

    def occasion_names(self) -> set[str]:
        rows = self._read("SELECT occasion AS name FROM greetings UNION SELECT name FROM occasions")
        return {r["name"] for r in rows}

    def record_occasions(self, since: Mapping[str, datetime | None]) -> None:
        names = sorted(since)
        moments = [None if (at := since[n]) is None else aware(at) for n in names]
        self._run(
            lambda conn, _: conn.execute(
                "INSERT INTO occasions (name, since)"
                " SELECT * FROM unnest(%s::text[], %s::timestamptz[]) ON CONFLICT (name) DO UPDATE"
                " SET since = excluded.since WHERE excluded.since < occasions.since",
                (names, moments),
            )
        )

    # --- what was last said of a standing matter --------------------------------------------------

    def notice(self, name: str) -> Notice | None:
        rows = self._read("SELECT fingerprint, said_at FROM notices WHERE name = %s", (name,))
        return Notice(rows[0]["fingerprint"], rows[0]["said_at"]) if rows else None

    def record_notice(self, name: str, fingerprint: str, now: datetime) -> None:
        self._run(
            lambda conn, _: conn.execute(
                "INSERT INTO notices (name, fingerprint, said_at) VALUES (%s, %s, %s) ON CONFLICT (name)"
                " DO UPDATE SET fingerprint = EXCLUDED.fingerprint, said_at = EXCLUDED.said_at",
                (name, fingerprint, aware(now)),
            )
        )

    # --- the do-not-contact list ----------------------------------------------------------------

    def suppressed(self) -> set[str]:
        """The whole list, case-folded, for the planner to take as plain data."""
        return {r["email"] for r in self._read("SELECT email FROM suppression")}

    def suppression_list(self) -> list[Suppression]:
        rows = self._read("SELECT email, reason, created_at FROM suppression")
        return sorted(
            (Suppression(r["email"], r["reason"], r["created_at"]) for r in rows),
            key=lambda s: (s.created_at, s.email),
        )

    def suppress_dated(
        self,
        entries: Iterable[Suppression],
        *,
        channel: str = "import",
        by: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Add addresses each with its own reason and date (an imported list); how many were new.

        Two statements of one transaction, whatever the list's length: the new addresses' ``added``
        events (:mod:`greeter.journal_optout_events`), then the addresses.
        """
        rows: dict[str, Suppression] = {}
        for e in entries:
            if e.email.strip():
                rows.setdefault(email_key(e.email), e)  # the first of each wins, as in SQLite
        names = sorted(rows)
        since = [aware(rows[n].created_at) for n in names]
        reasons = [rows[n].reason for n in names]
        recorded = [aware(now) if now is not None else s for s in since]

        def op(conn: Conn, _: bool) -> int:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO optout_events (recorded_at, event, email, contact_id, channel, reason,"
                    " actor, since) SELECT u.at, 'added', u.email, NULL, %s, u.reason, %s, u.since"
                    " FROM unnest(%s::timestamptz[], %s::text[], %s::text[], %s::timestamptz[])"
                    " AS u(at, email, reason, since)"
                    " WHERE NOT EXISTS (SELECT 1 FROM suppression WHERE suppression.email = u.email)",
                    (channel, by or None, recorded, names, reasons, since),
                )
                return conn.execute(
                    "INSERT INTO suppression (email, reason, created_at)"
                    " SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[]) ON CONFLICT DO NOTHING",
                    (names, reasons, since),
                ).rowcount

        return self._run(op)

    def is_suppressed(self, email: str) -> bool:
        return bool(self._read("SELECT 1 FROM suppression WHERE email = %s", (email_key(email),)))
