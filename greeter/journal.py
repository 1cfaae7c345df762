"""The SQLite journal: which greeting went to whom, and the ledger that makes "never twice" true.

One row per journal key (contact, occasion, occasion date); the states and
their transitions are drawn in :mod:`greeter.journal_store`. A greeting is
*claimed* — committed, durably (``synchronous=FULL``) — before SMTP DATA, and
only the server's 250 makes it *sent*; a crash in between leaves a ``claimed``
row that :meth:`Journal.recover_stale_claims` turns into ``uncertain`` at the
next start, and ``uncertain`` is never sent again without an operator's
:meth:`Journal.resend`.

Two processes never send from one journal: :meth:`Journal.lock_sender` takes
an OS file lock the kernel releases when the process dies, so there is no
stale lock to clean up after a crash. Readers (preview, history) need no lock,
and need no write access either: opened with ``readonly_ok`` they fall back to
reading a journal they cannot write (a read-only mount, another user's file).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from greeter import journal_sql
from greeter.contacts import email_key
from greeter.errors import JournalError, JournalTooNewError, NotAllMovedError
from greeter.journal_access import sealed, why_read_only, why_unreadable
from greeter.journal_lock import IDENTITY_NOTICE, SenderLock, file_identity
from greeter.journal_optouts import OptOuts
from greeter.journal_records import SqliteRecords
from greeter.journal_schema import (
    KEY_WHERE,
    LETTERS_TABLE,
    MIGRATIONS,
    connect,
    connect_read_only,
    db_time,
    emptied_journal_error,
    hard_linked_error,
    journal_error,
    journal_traces,
    key_params,
    lost_journal_error,
    missing_journal_error,
    parse_time,
    path_from_url,
    row_to_entry,
    with_cause,
)
from greeter.journal_store import (
    CAP_STATES,
    INTERRUPTED_REASON,
    STATES,
    ClaimRequest,
    JournalEntry,
    JournalKey,
    JournalStore,
    Notice,
    Tally,
    expired_why,
    is_baseline,
    planned_state,
    skipped_why,
    stored_states,
)
from greeter.journal_transitions import (
    Move,
    Transitions,
    merged_carrier,
    merged_reason,
    release_check,
    suppressed_reason,
)
from greeter.plan_types import PastGreeting


def open_journal(url_or_path: str, *, now: datetime, readonly_ok: bool = False) -> JournalStore:
    """Open the journal a storage URL names (the backend-neutral entry point).

    ``postgresql://…`` is the shared PostgreSQL journal (:mod:`greeter.journal_pg`,
    imported only when used); ``sqlite:///PATH`` or a plain path is this one.
    ``readonly_ok``: the caller only reads (history, preview), so a SQLite
    journal it cannot write is opened read-only instead of refused.
    """
    if url_or_path.startswith("postgresql://"):
        from greeter.journal_pg import PgJournal

        return PgJournal.open(url_or_path, now=now)
    return Journal.open(url_or_path, now=now, readonly_ok=readonly_ok)


def open_existing_journal(url: str, *, now: datetime, readonly_ok: bool = True) -> JournalStore | None:
    """The journal a storage URL names if it exists, else None — never a new one made.

    A reader (preview, history, a dry run) or a command that only changes rows
    already there has nothing to do in a new, empty journal, and must not make
    one as a side effect (a typo in ``storage.url`` would then answer "nothing
    sent" from the wrong file). A lost SQLite journal — missing, but its lock
    file or ``-wal`` shows it existed — is refused (:func:`lost_journal_error`):
    read as "nothing sent yet", every greeting it recorded would look due again.
    """
    from greeter.journal_schema import journal_traces, lost_journal_error, path_from_url

    if url.startswith("postgresql://"):
        from greeter.journal_pg import PgJournal

        return PgJournal.open_existing(url, now=now)  # None: no journal in its schema yet
    if url.startswith("sqlite") and not (path := path_from_url(url)).exists():
        if traces := journal_traces(path):
            raise lost_journal_error(path, traces)
        return None
    return open_journal(url, now=now, readonly_ok=readonly_ok)


def open_required_journal(url: str, *, now: datetime, readonly_ok: bool = False) -> JournalStore:
    """The journal a storage URL names, which must exist: never a new one, a missing one refused.

    A reader (history, ``suppress --list``: ``readonly_ok``) or a command that
    only changes rows already there (``uncertain``, ``unsuppress``) has nothing
    to do in a new, empty journal; made by a typo in ``storage.url`` it would
    only answer "0 greetings" from the wrong file. Such a command says so
    instead: "no journal at …", every such command in the same words (a lost
    SQLite journal: :func:`open_existing_journal`'s refusal).
    """
    journal = open_existing_journal(url, now=now, readonly_ok=readonly_ok)
    if journal is not None:
        return journal
    if url.startswith("postgresql://"):
        from greeter.journal_pg_schema import parse_target

        raise JournalError(
            f"no journal at {parse_target(url).shown} (storage.url): nothing has been sent from"
            " this config yet, or the schema is wrong"
        )
    raise missing_journal_error(path_from_url(url))


#: How long :meth:`Journal.checkpoint` waits for other connections' reads and writes to end, in ms.
_CHECKPOINT_PATIENCE_MS = 1000

#: The claim: a new row, or a due ``retry`` row taken over. Never for an address on the
#: do-not-contact list — it may have been put there (a one-click unsubscribe, ``greeter forget``)
#: after the batch was planned — nor, for a retry, once its row is gone (erased by ``forget``).
#: Two statements from this text: a retry's (:data:`_CLAIM_RETRY_SQL`) asks that its row is
#: there; a fresh letter's (:data:`_CLAIM_FRESH_SQL`) has nothing to ask. One statement for both
#: (``NOT :retry OR EXISTS …``) read the table it inserts into, so SQLite first gathered each
#: fresh claim's row in a temporary b-tree: ~44,000 instructions of every letter sent (callgrind,
#: 1,000 claims and verdicts in rounds of 8: 412,000 instructions a letter, 368,000 apart).
_CLAIM_SQL = """
                INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id,
                    attempts, planned_at, send_day, utc_offset_minutes, merged, content_hash,
                    subject, created_at, updated_at)
                SELECT :cid, :occ, :day, 'claimed', :email, :mid, 1, :planned, :send_day, :offset,
                    :merged, :hash, :subject, :now, :now
                WHERE {row_there}NOT EXISTS (SELECT 1 FROM suppression WHERE suppression.email = :email_key)
                ON CONFLICT (contact_id, occasion, occasion_date) DO UPDATE SET
                    state = 'claimed', email = excluded.email, message_id = excluded.message_id,
                    attempts = attempts + 1, merged = excluded.merged,
                    content_hash = COALESCE(excluded.content_hash, content_hash),
                    subject = COALESCE(excluded.subject, subject),
                    next_attempt_at = NULL, reason = NULL, updated_at = excluded.updated_at
                WHERE greetings.state = 'retry' AND greetings.next_attempt_at <= excluded.updated_at
                """
_CLAIM_FRESH_SQL = _CLAIM_SQL.format(row_there="")
_CLAIM_RETRY_SQL = _CLAIM_SQL.format(
    row_there="EXISTS (SELECT 1 FROM greetings"
    " WHERE contact_id = :cid AND occasion = :occ AND occasion_date = :day) AND "
)

#: A claim's letter, in the claim's transaction: a retry's given anew replaces the one kept
#: (none given: the kept one stays, as the claim found it). Dropped by the move that finishes the
#: greeting (:data:`~greeter.journal_schema.LETTER_TRIGGERS`).
_KEEP_LETTER_SQL = f"""
                INSERT INTO {LETTERS_TABLE} (contact_id, occasion, occasion_date, payload)
                VALUES (:cid, :occ, :day, :payload)
                ON CONFLICT (contact_id, occasion, occasion_date) DO UPDATE SET payload = excluded.payload
                """

#: A due retry (or resend) whose address is on the do-not-contact list: ``skipped``, letter dropped
#: (by :data:`~greeter.journal_schema.LETTER_TRIGGERS`).
_SKIP_SUPPRESSED_SQL = f"""
                UPDATE greetings SET state = 'skipped', reason = :reason,
                    next_attempt_at = NULL, updated_at = :now
                WHERE {KEY_WHERE} AND state = 'retry'
                    AND EXISTS (SELECT 1 FROM suppression WHERE suppression.email = :email_key)
                """


def _guarded_update(move: Move) -> str:
    """``move``'s UPDATE, guarded by its source states: it changes no row whose state is not one."""
    sources = ", ".join(f"'{state}'" for state in move.sources if state in STATES)
    return (
        f"UPDATE greetings SET state = :to, updated_at = :now{move.sets}"
        f" WHERE {KEY_WHERE} AND state IN ({sources})"
    )


def _merged_text(names: Sequence[str]) -> str:
    """The ``merged`` column as SQLite keeps it: a JSON list of occasion names."""
    return json.dumps(list(names), ensure_ascii=False) if names else "[]"


class Journal(SenderLock, Transitions, SqliteRecords, OptOuts):
    """The SQLite journal (stdlib ``sqlite3``, WAL). Construct with :meth:`open`."""

    #: One sender at a time (:meth:`lock_sender`).
    shared = False
    #: (from, to): the schema versions of the upgrade this open made (None: none).
    upgraded: tuple[int, int] | None = None
    _SENT_DAY = "date(:now, printf('%+d minutes', COALESCE(utc_offset_minutes, 0)))"
    _DROP_LETTER = ""  # the move's statement drops it by the schema's trigger (LETTER_TRIGGERS)
    _HISTORY_ORDER = "occasion_date, contact_id, occasion"

    def _p(self, name: str) -> str:
        return f":{name}"

    def _at(self, moment: datetime) -> str:
        return db_time(moment)

    def _day(self, day: date) -> str:
        return day.isoformat()

    def _merged_value(self, names: Sequence[str]) -> str:
        return _merged_text(names)

    def _entries(self, query: str, params: Mapping[str, Any]) -> list[JournalEntry]:
        with self._db() as db:
            rows = db.execute(query, params).fetchall()
        return [row_to_entry(r) for r in rows]

    def _stream_entries(self, query: str, params: Mapping[str, Any]) -> Iterator[JournalEntry]:
        """The rows a batch at a time (``fetchmany``); the connection is held only while fetching.

        Between batches other calls on this journal (another thread's) run as
        usual; the open statement keeps reading the snapshot it started on.
        """
        with self._db() as db:
            cursor = db.execute(query, params)
        try:
            while True:
                with self._db():
                    rows = cursor.fetchmany(journal_sql.STREAM_BATCH)
                if not rows:
                    return
                yield from (row_to_entry(r) for r in rows)
        finally:
            # An abandoned read (a closed pipe) ends its statement at once, unless the journal
            # was closed first (which ended it).
            with self._mutex, suppress(sqlite3.ProgrammingError):
                cursor.close()

    def _fetch(self, query: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with self._db() as db:
            return [tuple(r) for r in db.execute(query, params).fetchall()]

    def _change_all(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> list[int]:
        with self._db(write=True) as db:
            return [db.execute(query, params).rowcount for query, params in statements]

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: str | None = None) -> None:
        self._conn = conn
        self._path = path
        #: Why this journal was opened for reading only (None: it is writable).
        self.read_only = read_only
        self._mutex = threading.RLock()  # one connection, possibly used from worker threads
        self._lock_fd: int | None = None
        #: The journal file itself, flocked beside ``<db>.lock``: see :meth:`_lock_file_itself`.
        self._file_lock_fd: int | None = None
        #: Inside :meth:`batch`: writes join its transaction.
        self._batching = False
        #: (device, inode) of the file opened, to notice it deleted or replaced (:meth:`_check_same_file`).
        self._identity = None if str(path) == ":memory:" else file_identity(path)
        #: The identity mark the sender found (:meth:`lock_sender`), for :meth:`_check_same_file`.
        self._mark: str | None = None
        self._mark_in_file = False

    @classmethod
    def open(cls, url_or_path: str, *, now: datetime, readonly_ok: bool = False) -> Journal:
        """Open ``sqlite:///PATH`` (or a plain path), creating folder and file, and migrate it.

        A relative path is relative to the working directory. ``now`` stamps
        the migrations applied. A missing file is made only where no trace of
        an earlier journal is (:func:`~greeter.journal_schema.journal_traces`):
        a lost journal is refused, not silently replaced by an empty one. With
        ``readonly_ok`` an existing journal that cannot be opened for writing —
        a read-only mount, a file of another user, a disk too full for SQLite's
        ``-shm`` file — is opened read-only
        (:func:`~greeter.journal_schema.connect_read_only`); if that fails too,
        the error of the writable open is raised, as it says more — unless the
        journal is a newer greeter's (:class:`~greeter.errors.JournalTooNewError`),
        which no access would mend.
        """
        path = path_from_url(url_or_path)
        if str(path) != ":memory:" and (emptied := emptied_journal_error(path)) is not None:
            raise emptied  # SQLite would take it for a new journal and everything would go again
        if str(path) != ":memory:" and (linked := hard_linked_error(path)) is not None:
            raise linked  # two names, two -wal files: writes through one are lost to the other
        new = str(path) != ":memory:" and not path.exists()
        # Looked at again after the traces: another process may have just made journal and lock.
        if new and (traces := journal_traces(path)) and not path.exists():
            raise lost_journal_error(path, traces)  # a new one would send everything again
        try:
            if readonly_ok and sealed(path):  # a writable open would leave -wal/-shm as read-only as it
                raise JournalError(f"journal {path} cannot be written here: {why_read_only(path)}")
            conn, upgraded_from = connect(path, now_iso=db_time(now))
        except JournalError as exc:
            if not readonly_ok or not path.exists():
                raise
            try:
                conn = connect_read_only(path, latest=len(MIGRATIONS))
            except JournalTooNewError as newer:  # the refusal itself, whatever kept it from writing
                raise newer from None
            except JournalError:
                if (unreadable := why_unreadable(path)) is not None:  # a reader's cause, not a writer's
                    raise JournalError(f"journal {path} cannot be read here: {unreadable}") from None
                raise exc from None
            return cls(conn, path, read_only=why_read_only(path) or str(exc))
        journal = cls(conn, path)
        if upgraded_from is not None:
            journal.upgraded = (upgraded_from, len(MIGRATIONS))
        if new:  # the trace that tells a lost journal from one never made (journal_traces)
            journal._touch_lock_file()
        return journal

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close the database and release the sender lock, if held."""
        with self._mutex:
            self._conn.close()
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # closing the descriptor releases the flock
                self._lock_fd = None
            self._unlock_file_itself()

    def checkpoint(self) -> str | None:
        """:meth:`JournalStore.checkpoint`: ``PRAGMA wal_checkpoint(TRUNCATE)``, the ``-wal`` left 0 bytes.

        A plain (passive) checkpoint, SQLite's own every 1000 pages, copies
        the pages into the main file but leaves the ``-wal`` as long as it
        was, old frames and all — erased rows among them — until the last
        connection closes. TRUNCATE empties it; it must wait for other
        connections' reads to end, at most :data:`_CHECKPOINT_PATIENCE_MS`
        (a daemon's run can read for minutes: its own checkpoint after the
        run does it then). Never raises: what stands in the way is returned.
        """
        if self.read_only is not None or self._identity is None:
            return None  # a read-only or in-memory journal: nothing this connection may write
        with self._mutex:
            if self._batching:
                return "a batch of writes is open on this connection"
            try:
                patience = self._conn.execute("PRAGMA busy_timeout").fetchone()[0]
                self._conn.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_PATIENCE_MS}")
                try:
                    busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                finally:
                    self._conn.execute(f"PRAGMA busy_timeout = {int(patience)}")
            except sqlite3.Error as exc:
                return " ".join(str(exc).split()) or type(exc).__name__
        return "another connection is reading or writing the journal" if busy else None

    def abandoned_claims(self) -> set[JournalKey]:
        """``claimed`` greetings no sender is working on: interrupted, to be recorded ``uncertain``.

        Read only, for ``greeter history``: with the sender lock free, every
        claim was left by a sender that died between claim and the server's
        reply, and the next sender's :meth:`recover_stale_claims` turns it into
        ``uncertain``. The lock is tested before and after reading, so a sender
        starting meanwhile is noticed and its live claims are left as they are.
        Also the daemon's journal probe, so it asks whether the file is still the one opened.
        """
        self._check_same_file()
        if self.sender_active():
            return set()
        with self._db() as db:
            rows = db.execute(
                "SELECT contact_id, occasion, occasion_date FROM greetings WHERE state = 'claimed'"
            ).fetchall()
        if self.sender_active():
            return set()
        return {(r[0], r[1], date.fromisoformat(r[2])) for r in rows}

    @contextmanager
    def contact_lock(self, contact_id: str) -> Iterator[None]:
        """No-op: the sender lock already makes this process the only one deciding the cap."""
        del contact_id
        yield

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every write inside is one transaction, committed (and synced) once at the end.

        An error inside rolls the whole batch back: its letters stay
        ``claimed`` and the next start makes them ``uncertain`` — never resent.
        """
        with self._mutex:
            if self._batching:  # nested: already inside the outer batch's transaction
                yield
                return
            with self._db(write=True):
                self._batching = True
                try:
                    yield
                finally:
                    self._batching = False

    @contextmanager
    def _db(self, *, write: bool = False, fsync: bool = True) -> Iterator[sqlite3.Connection]:
        """Serialised access; ``write`` wraps a transaction; SQLite errors become :class:`JournalError`.

        ``fsync=False`` commits without waiting for the disk (``synchronous=NORMAL``):
        safe against a crash of the process, and after a power loss the change
        can only be lost back to ``claimed`` — which the next start turns into
        ``uncertain``, never into a second letter. Every claim still syncs, and
        with it all the WAL frames written before it.
        """
        with self._mutex:
            if self._batching:  # the batch owns the transaction (and this thread the mutex)
                yield self._conn
                return
            try:
                if not fsync:
                    self._conn.execute("PRAGMA synchronous = NORMAL")
                try:
                    if write:
                        self._conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield self._conn
                    except BaseException:
                        # SQLite has already rolled back after some errors (SQLITE_FULL, IOERR):
                        # a second ROLLBACK would fail and hide the error that matters.
                        if write and self._conn.in_transaction:
                            self._conn.execute("ROLLBACK")
                        raise
                    if write:
                        self._conn.execute("COMMIT")
                finally:
                    if not fsync:
                        self._conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as exc:
                if self.read_only is not None and write:
                    raise JournalError(
                        f"journal {self._path.absolute()} can only be read here ({self.read_only}): {exc}"
                    ) from exc
                said = with_cause(exc, self._path)
                raise journal_error(f"journal {self._path.absolute()}: {said}", exc) from exc

    # --- claims and outcomes -------------------------------------------------

    def claim_many(self, requests: Sequence[ClaimRequest], *, now: datetime) -> list[bool]:
        """:meth:`claim` several greetings in one transaction — one fsync for all (group commit).

        The sending workers that are ready at the same moment share a commit
        instead of queueing for one fsync each; each letter is still claimed
        only when a worker is about to send it.
        """
        won: list[bool] = []
        letters: list[dict[str, Any]] = []  # the letters of the claims won, kept in the same commit
        at = db_time(now)
        with self._db(write=True) as db:
            for r in requests:
                offset = r.planned_at.utcoffset()
                merged = _merged_text(r.merged)
                params = {
                    **key_params(r.key), "email": r.email, "mid": r.message_id,
                    "planned": db_time(r.planned_at), "send_day": r.planned_at.date().isoformat(),
                    "offset": int(offset.total_seconds() // 60) if offset is not None else 0,
                    "merged": merged, "hash": r.content_hash, "payload": r.payload,
                    "subject": r.subject, "now": at,
                    "email_key": email_key(r.email),
                }  # fmt: skip
                cur = db.execute(_CLAIM_RETRY_SQL if r.retry else _CLAIM_FRESH_SQL, params)
                won.append(cur.rowcount == 1)
                if won[-1] and r.payload is not None:
                    letters.append(params)
            if letters:  # one statement run for all, as a round's verdicts are (Journal._apply_all)
                db.executemany(_KEEP_LETTER_SQL, letters)
        return won

    def skip_suppressed(self, key: JournalKey, email: str, now: datetime) -> bool:
        """``retry`` → ``skipped`` (:func:`suppressed_reason`) if ``email`` is on the list (one statement)."""
        params = {**key_params(key), "reason": suppressed_reason(email), "now": db_time(now)}
        with self._db(write=True) as db:
            cur = db.execute(_SKIP_SUPPRESSED_SQL, {**params, "email_key": email_key(email)})
            return cur.rowcount == 1

    def _apply(self, move: Move) -> None:
        """Make ``move`` in one transaction, or raise saying which state the row was in.

        The guarded UPDATE comes first and names the states it may leave
        (``AND state IN …``): a verdict — one per letter sent — is then one
        statement, not a SELECT and an UPDATE (0.85 M instructions a letter on
        the send path; the SELECT was ~4 % of it). Only when it changed no row
        is the row read, to insert a missing one or to say which state it was in.
        """
        where = key_params(move.key)
        values = {**where, **move.params, "to": move.to, "now": db_time(move.now)}
        with self._db(write=True, fsync=move.fsync) as db:
            cur = db.execute(_guarded_update(move), values)
            if cur.rowcount == 1:
                return
            row = db.execute(f"SELECT state FROM greetings WHERE {KEY_WHERE}", where).fetchone()
            if row is None and move.record_missing is not None:
                email, reason = move.record_missing
                db.execute(
                    "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, reason,"
                    " send_day, merged, created_at, updated_at)"
                    " VALUES (:cid, :occ, :day, :to, :email, :reason, :send_day, :merged, :now, :now)",
                    {
                        **values, "email": email, "reason": reason, "merged": _merged_text(move.merged),
                        "send_day": move.send_day.isoformat() if move.send_day else None,
                    },
                )  # fmt: skip
                return
            move.check(None if row is None else row["state"])  # raises: the UPDATE found no source state
            db.execute(  # not reached; kept so that a check that lets it pass still makes the move
                f"UPDATE greetings SET state = :to, updated_at = :now{move.sets} WHERE {KEY_WHERE}", values
            )

    def _apply_all(self, shape: Move, each: Sequence[tuple[JournalKey, Mapping[str, Any], datetime]]) -> bool:
        """:meth:`Transitions._apply_all`: one guarded UPDATE run for every move (``executemany``).

        A round's verdicts are mostly ``sent``: one statement each cost the journal's
        thread a :class:`Move`'s SQL built again, a transaction context and the
        statement cache's lookup per letter (callgrind, rounds of 8 claims and 8
        verdicts: 315,000 instructions a letter, 266,000 with one ``executemany``).
        Each row still gets its own ``now``. No savepoint: one around the statement
        copied every page it changed into SQLite's statement journal, which took
        back two thirds of the saving; a row that was not in a source state
        (the statement changed fewer rows than it was given) rolls back the
        transaction instead, whole (:class:`~greeter.errors.NotAllMovedError`).
        """
        rows = [
            {**key_params(key), **params, "to": shape.to, "now": db_time(now)} for key, params, now in each
        ]
        with self._db(write=True, fsync=shape.fsync) as db:
            if db.executemany(_guarded_update(shape), rows).rowcount != len(rows):
                raise NotAllMovedError(f"{len(rows)} greetings to make {shape.to} at once: one was not")
        return True

    def release(self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = ()) -> None:
        """Give back a claim whose letter never reached DATA (:meth:`JournalStore.release`)."""
        where = key_params(key)
        with self._db(write=True) as db:
            row = db.execute(f"SELECT state, attempts FROM greetings WHERE {KEY_WHERE}", where).fetchone()
            release_check(key, None if row is None else row["state"])
            if row["attempts"] > 1:
                db.execute(
                    "UPDATE greetings SET state = 'retry', attempts = attempts - 1, next_attempt_at = :now,"
                    f" updated_at = :now WHERE {KEY_WHERE}",
                    {**where, "now": db_time(now)},
                )
                return
            db.execute(f"DELETE FROM greetings WHERE {KEY_WHERE}", where)
            reason = merged_reason(key[1])
            for other in merged:
                db.execute(
                    f"DELETE FROM greetings WHERE {KEY_WHERE} AND state = 'skipped' AND reason = :reason",
                    {**key_params(other), "reason": reason},
                )

    def recover_stale_claims(self, now: datetime) -> int:
        """At start-up: every ``claimed`` row was interrupted mid-send, so it becomes ``uncertain``.

        Only the lock holder may do this — another sender's claims are live.
        The row's ``last_reply`` is cleared: a retried greeting kept its earlier
        attempt's answer ("not attempted: cannot connect …"), and a dismissal or
        resend then recorded that as what the server had said about the letter
        that was in fact handed over (both backends, :class:`JournalStore`).
        """
        if self._lock_fd is None:
            raise JournalError("recover_stale_claims needs the sender lock (call lock_sender first)")
        self._check_same_file()  # first thing in every run (plan_cycle): a lost file claims nothing
        if self._mark is None and self._identity is not None:
            self._mark = self._take_mark()
        with self._db() as db:
            cur = db.execute(
                "UPDATE greetings SET state = 'uncertain', updated_at = ?, last_reply = NULL,"
                " reason = ? WHERE state = 'claimed'",
                (db_time(now), INTERRUPTED_REASON),
            )
            return cur.rowcount

    def _take_mark(self) -> str:
        """The file's identity mark (:data:`~greeter.journal_lock.IDENTITY_NOTICE`), made by its first sender.

        Taken by the sender at its first run (:meth:`recover_stale_claims`), not when it locks:
        ``copy-journal`` locks its new target too, which must stay empty until the rows go in.
        :meth:`_check_same_file` compares the file with it before each run and each probe, to see
        it overwritten in place (:meth:`~greeter.journal_lock.SenderLock._same_mark`).
        """
        held = self.notice(IDENTITY_NOTICE)
        if held is None or not held.fingerprint:
            held = Notice(secrets.token_hex(16), datetime.now(UTC))  # said_at: for a person only
            self.record_notice(IDENTITY_NOTICE, held.fingerprint, held.said_at)
        return held.fingerprint

    def payload(self, key: JournalKey) -> bytes | None:
        """The letter's bytes stored at claim time (kept until the greeting is final), in
        :data:`~greeter.journal_schema.LETTERS_TABLE`."""
        with self._db() as db:
            query = f"SELECT payload FROM {LETTERS_TABLE} WHERE {KEY_WHERE}"
            row = db.execute(query, key_params(key)).fetchone()
        return None if row is None else row["payload"]

    def greeted_dates(self, since: date, states: Sequence[str] = CAP_STATES) -> Iterator[PastGreeting]:
        """Greetings whose local send day is ``since`` or later, as plain data for the planner.

        The default states are those that count against the frequency cap;
        pass :data:`~greeter.journal_schema.STATES` to also learn the failed,
        skipped and expired keys (which must not be planned again either).
        A row ``greeter baseline`` recorded comes as ``sent`` (:func:`planned_state`).
        """
        asked = stored_states(states)
        marks = ", ".join("?" for _ in asked)
        with self._db() as db:
            rows = db.execute(
                "SELECT contact_id, occasion, occasion_date, COALESCE(send_day, occasion_date) AS day, state,"
                f" email, sent_at, merged, reason FROM greetings WHERE state IN ({marks})"
                f" AND {journal_sql.NOT_REQUEUED} AND COALESCE(send_day, occasion_date) >= ?"
                f"{journal_sql.baseline_skips_only(states)} ORDER BY contact_id, day",
                (*asked, since.isoformat()),
            ).fetchall()
        for r in rows:
            state = planned_state(r["state"], r["reason"])
            if state not in states:
                continue
            occasion_date, day = date.fromisoformat(r["occasion_date"]), date.fromisoformat(r["day"])
            sent_at = parse_time(r["sent_at"]) if r["state"] == "sent" else None
            merged = tuple(json.loads(r["merged"])) if r["merged"] not in (None, "[]") else ()
            into = merged_carrier(r["reason"]) if r["state"] == "skipped" else None
            yield PastGreeting(
                r["contact_id"], r["occasion"], occasion_date, day, state, r["email"], sent_at,
                merged, into, is_baseline(r["state"], r["reason"]),
                expired_why(r["state"], r["reason"]), skipped_why(r["state"], r["reason"], into),
            )  # fmt: skip

    def sent_times(self, since: datetime) -> list[datetime]:
        """When each greeting sent at or after ``since`` left (seeds a per-day limit after a restart)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT sent_at FROM greetings WHERE state = 'sent' AND sent_at >= ? ORDER BY sent_at",
                (db_time(since),),
            ).fetchall()
        return [datetime.fromisoformat(r["sent_at"]) for r in rows]

    def newest_sent(self) -> tuple[datetime, JournalKey] | None:
        """When the newest letter this journal recorded as sent left, and its key; None: none yet.

        Any row that left (``sent_at`` set), whatever became of it since: the
        mark :mod:`greeter.journal_mark` keeps beside the file to see it put
        back from an older copy. ``sent_at`` is fixed-width UTC text, so its
        order is the moments' (:func:`~greeter.journal_schema.db_time`).
        """
        with self._db() as db:
            row = db.execute(
                "SELECT contact_id, occasion, occasion_date, sent_at FROM greetings"
                " WHERE sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        key = (row["contact_id"], row["occasion"], date.fromisoformat(row["occasion_date"]))
        return datetime.fromisoformat(row["sent_at"]), key

    def holds_sent(self, key: JournalKey) -> bool:
        """Whether the journal holds ``key``'s letter as one that left (``sent_at`` set)."""
        with self._db() as db:
            query = f"SELECT 1 FROM greetings WHERE {KEY_WHERE} AND sent_at IS NOT NULL"
            return db.execute(query, key_params(key)).fetchone() is not None

    def counts_by_state(self) -> dict[str, int]:
        """How many greetings are in each state (every state listed, zeros included)."""
        with self._db() as db:
            found = dict(db.execute("SELECT state, COUNT(*) FROM greetings GROUP BY state").fetchall())
        return {s: int(found.get(s, 0)) for s in STATES}

    def tallies(self) -> dict[tuple[str, str, str], Tally]:
        """Greetings per (state, occasion, skip reason), their oldest and newest sent: ``/metrics``' read."""
        with self._db() as db:
            rows = db.execute(journal_sql.TALLY_QUERY).fetchall()
        return {(r[0], r[1], r[2]): Tally(int(r[3]), parse_time(r[4]), parse_time(r[5])) for r in rows}

    def recent_refusals(self) -> list[tuple[str, datetime]]:
        """The refusals since the newest letter that left, newest first: the daemon's read at start."""
        with self._db() as db:
            rows = db.execute(journal_sql.recent_refusals_query("''")).fetchall()
        return [(str(r[0] or ""), moment) for r in rows if (moment := parse_time(r[1])) is not None]
