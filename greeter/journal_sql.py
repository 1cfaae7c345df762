"""What the SQLite and PostgreSQL journals share, written once with each dialect passed in.

The two backends keep the same ledger in different dialects: ``?``/``:name``
against ``%s``/``%(name)s`` placeholders, ISO text against native ``date`` and
``timestamptz`` values, ``BEGIN IMMEDIATE`` against ``conn.transaction()``.
What they do with it — how a schema is migrated, which columns make a
:class:`~greeter.journal_store.JournalEntry`, how the history is filtered —
must not drift between them, so it lives here and the backends supply only
the differences.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from types import TracebackType
from typing import Any, Protocol, Self

from greeter.erasure_records import ERASURE_REASON, Erasure, erased_reason
from greeter.errors import JournalError
from greeter.journal_project import PROJECT_TABLE, Project
from greeter.journal_store import (
    BASELINE,
    DISMISSED,
    MERGED_INTO,
    REQUEUED,
    SKIP_REASON_CODES,
    STATES,
    JournalEntry,
    JournalStore,
    decision_sql,
    new_message_key,
)
from greeter.retention import FINISHED, Purge

#: SQL: the row is no failed greeting put back in line (:data:`~greeter.journal_store.REQUEUED`),
#: which the planner must plan afresh — not hold as already greeted, nor count against the cap.
NOT_REQUEUED = f"(state <> 'retry' OR reason IS NULL OR NOT {decision_sql(REQUEUED)})"


#: SQL, the second step of the migration that made ``occasions`` (SQLite 5, PostgreSQL 2):
#: an occasion a journal already holds greetings of existed before the journal learnt since
#: when (``since`` left NULL: always, see :func:`~greeter.planner.occasion_starts`). Without it a
#: journal from before the table read as one never planned: the first plan after an upgrade
#: dated every occasion ``catch_up_days`` back, as a brand-new journal's — a greeting still
#: inside its catch-up was then never sent, with no row, and the expiries before it were put
#: down to "before this journal's first run".
OCCASIONS_ALREADY_GREETED = "INSERT INTO occasions (name) SELECT DISTINCT occasion FROM greetings"


#: The journal's own secret keys (SQLite migration 7, PostgreSQL 4): one row per key, by name.
#: Only :meth:`JournalSql.message_key` reads it — never ``history``, ``export`` or a health check.
SECRETS_TABLE = "secrets"
#: The row of :data:`SECRETS_TABLE` holding the key of every greeting's Message-ID.
MESSAGE_KEY = "message_id"


def _skip_reason_case() -> str:
    """SQL for a ``skipped`` row's reason as its code — what :func:`~greeter.history_view.reason_code`
    makes of it in Python: a row's reason is words ("frequency_cap: only 13 days from …"), and grouping
    by them made a group per row. Only fixed words go in (no parameters, no ``%`` psycopg would read
    as one): the same text on SQLite and PostgreSQL, ``substr`` rather than LIKE (whose ``_`` is any
    character, and which SQLite compares without case)."""

    def starts(words: str) -> str:
        return f"substr(reason, 1, {len(words)}) = '{words}'"

    codes = " ".join(
        f"WHEN reason = '{code}' OR {starts(code + ':')} THEN '{code}'"
        for code in SKIP_REASON_CODES
        if code != "merged"
    )
    return (
        f"CASE WHEN state <> 'skipped' THEN ''"
        f" WHEN {decision_sql(DISMISSED)} THEN '{DISMISSED}'"
        f" WHEN {starts(MERGED_INTO)} THEN 'merged' {codes} ELSE 'other' END"
    )


#: ``/metrics``' one read of the journal per scrape (:meth:`~greeter.journal_store.JournalStore.tallies`):
#: greetings per state, occasion and skip reason, with the oldest ``created_at`` and newest ``sent_at``
#: of each (fixed-width UTC text on SQLite: :func:`~greeter.journal_schema.db_time`, so MIN and MAX
#: compare moments). It reads every row — on SQLite of the index ``greetings_tally``
#: (:data:`METRICS_INDEXES`), which holds each column it needs, grouped in its order by the inner
#: query; the skip reason's code
#: (a ``CASE`` of prefixes) is worked out once per distinct reason by the outer one. Grouped by the
#: code directly it was worked out per row and every row sorted in a temporary B-tree, through
#: ``greetings_by_state`` and a look-up of each row in the table: 0.7–1.7 s a scrape on SQLite at
#: 200,000 greetings, near the probe's 1.5 s; 0.15–0.17 s now (bench/bench_metrics.py).
TALLY_QUERY = (
    f"SELECT state, occasion, {_skip_reason_case()} AS reason_code, SUM(n) AS n,"
    " MIN(oldest) AS oldest, MAX(newest_sent) AS newest_sent"
    " FROM (SELECT state, occasion, reason, COUNT(*) AS n, MIN(created_at) AS oldest,"
    " MAX(sent_at) AS newest_sent FROM greetings GROUP BY state, occasion, reason) AS by_reason"
    " GROUP BY state, occasion, reason_code"
)

#: The most refusals :meth:`~greeter.journal_store.JournalStore.recent_refusals` reads: the start's
#: one read stays a bounded one however long the server has refused.
RECENT_REFUSALS = 1000


def recent_refusals_query(floor: str) -> str:
    """SQL: the ``failed`` greetings' replies and moments since the newest ``sent`` one, newest first,
    at most :data:`RECENT_REFUSALS` — both read by ``greetings_by_verdict`` (:data:`VERDICT_INDEX`).

    ``floor`` is the backend's literal for a moment before any (no letter was ever sent). A row's
    ``updated_at`` is the moment of its verdict: ``sent`` and ``failed`` are last states.
    """
    return (
        "SELECT last_reply, updated_at FROM greetings WHERE state = 'failed' AND updated_at >"
        f" COALESCE((SELECT MAX(updated_at) FROM greetings WHERE state = 'sent'), {floor})"
        f" ORDER BY updated_at DESC LIMIT {RECENT_REFUSALS}"
    )


#: The index of :func:`recent_refusals_query` (SQLite migration 13, PostgreSQL 9): a state's newest
#: verdicts without a scan — 0.1 ms rather than 130–170 ms at 200,000 greetings, on either backend.
VERDICT_INDEX = "CREATE INDEX greetings_by_verdict ON greetings (state, updated_at)"

#: The indexes of SQLite's migration 13, each write of a greeting's state costing a little more for
#: them (bench/bench_metrics.py measures the reads): ``greetings_tally`` holds every column of
#: :data:`TALLY_QUERY`, in its grouping order, so a scrape reads a narrow index rather than every row
#: of the table (its letter's bytes, its subject), and :data:`VERDICT_INDEX`. PostgreSQL's migration 9
#: has only the latter: its parallel scan and hash grouping read the table as fast as an index-only
#: scan of ``greetings_tally`` (~0.22 s either way at 200,000 greetings), which would cost every
#: shared sender's writes for nothing.
METRICS_INDEXES = (
    "CREATE INDEX greetings_tally ON greetings (state, occasion, reason, created_at, sent_at)",
    VERDICT_INDEX,
)


def baseline_skips_only(states: Sequence[str]) -> str:
    """SQL: `` AND …`` keeping, of the ``skipped`` rows, only ``greeter baseline``'s — when
    ``states`` asks for no other skipped row (:func:`~greeter.journal_store.stored_states` reads
    ``skipped`` for those alone); "" when it does.

    Every plan reads the cap window's greetings: without this a year of merged and capped
    rows was fetched and parsed to be thrown away. ``substr``, not ``LIKE``: the same in both
    dialects, with no ``%`` for psycopg to take for a placeholder.
    """
    if "skipped" in states:
        return ""
    prefix = f"{BASELINE}:"
    return f" AND (state <> 'skipped' OR substr(reason, 1, {len(prefix)}) = '{prefix}')"


#: How many rows a streamed read (:meth:`JournalSql.iter_history`) fetches at a time: large
#: enough that a round trip or a lock costs nothing per row, small enough to be no memory.
STREAM_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...


class Executes(Protocol):
    """A DB-API-like connection: ``sqlite3.Connection`` or ``psycopg.Connection``."""

    def execute(self, query: str, params: Sequence[Any] = ..., /) -> _Cursor: ...


def current_version(conn: Executes) -> int:
    """The highest ``schema_version`` row (0 for a table without rows)."""
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def newer_schema(found: int, latest: int) -> str:
    """``journal schema version 15 is newer than this greeter knows (14); upgrade greeter``: the
    refusal of a journal a newer greeter wrote, in the words the documentation quotes."""
    return f"journal schema version {found} is newer than this greeter knows ({latest}); upgrade greeter"


def run_migrations(
    conn: Executes, migrations: tuple[Migration, ...], *, version_table: str, mark: str, applied_at: object
) -> int:
    """Apply the ``migrations`` not yet recorded, each with its ``schema_version`` row.

    The caller holds the transaction (and checked the database is a journal):
    the steps are the same on both backends, only the ``version_table`` DDL,
    the placeholder ``mark`` and how ``applied_at`` is stored differ. A
    schema written by a newer greeter is refused rather than "repaired".
    Returns the schema version now in force.
    """
    conn.execute(version_table)
    current = current_version(conn)
    if current > len(migrations):
        raise JournalError(newer_schema(current, len(migrations)))
    for migration in migrations[current:]:
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute(
            f"INSERT INTO schema_version (version, description, applied_at) VALUES ({mark}, {mark}, {mark})",
            (migration.version, migration.description, applied_at),
        )
    return max(current, len(migrations))


class Row(Protocol):
    """A ``greetings`` row by column name: ``sqlite3.Row`` or psycopg's ``dict_row``."""

    def __getitem__(self, key: str, /) -> Any: ...


def as_stored(value: Any) -> Any:
    """The value as the driver returned it: psycopg already gives dates, datetimes and lists."""
    return value


#: SQL: the columns :func:`entry_from_row` reads, which every query that makes entries selects.
#: Not ``*``: that read each unsent letter's bytes too (``payload``, kept until it is final) and
#: PostgreSQL's lease columns, for every row of a history that shows none of them.
ENTRY_COLUMNS = (
    "contact_id, occasion, occasion_date, state, email, message_id, attempts, last_reply, reason,"
    " planned_at, send_day, next_attempt_at, merged, content_hash, created_at, updated_at, sent_at,"
    " subject"
)


def entry_from_row(
    row: Row,
    *,
    day: Callable[[Any], date] = as_stored,
    moment: Callable[[Any], datetime] = as_stored,
    merged: Callable[[Any], Iterable[str]] = as_stored,
) -> JournalEntry:
    """A ``greetings`` row as :class:`JournalEntry`; ``day``/``moment``/``merged`` decode stored text.

    A NULL (or, in SQLite, empty) optional column is None, whatever the decoder.
    """

    def optional(decode: Callable[[Any], Any], value: Any) -> Any:
        return decode(value) if value else None

    return JournalEntry(
        contact_id=row["contact_id"],
        occasion=row["occasion"],
        occasion_date=day(row["occasion_date"]),
        state=row["state"],
        email=row["email"],
        message_id=row["message_id"],
        attempts=row["attempts"],
        last_reply=row["last_reply"],
        reason=row["reason"],
        planned_at=optional(moment, row["planned_at"]),
        send_day=optional(day, row["send_day"]),
        next_attempt_at=optional(moment, row["next_attempt_at"]),
        merged=tuple(merged(row["merged"])),
        content_hash=row["content_hash"],
        created_at=moment(row["created_at"]),
        updated_at=moment(row["updated_at"]),
        sent_at=optional(moment, row["sent_at"]),
        subject=row["subject"],
    )


class JournalSql(JournalStore, ABC):
    """Mixin: what both backends do with one piece of code on their hooks (``_p``, ``_at``, …).

    That is the reads that are one query (:meth:`history`, :meth:`due_retries`)
    and closing the journal on leaving a ``with`` block. Subclassing
    :class:`JournalStore` explicitly also inherits its :meth:`~JournalStore.claim`
    (a batch of one), and lets mypy check that a backend implements the whole
    protocol.
    """

    #: ``ORDER BY`` of :meth:`history`: contact and occasion in byte order on every backend.
    _HISTORY_ORDER: str

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @abstractmethod
    def _p(self, name: str) -> str:
        """How the backend's SQL refers to the parameter ``name``."""

    @abstractmethod
    def _at(self, moment: datetime) -> Any:
        """A moment as the backend stores it."""

    @abstractmethod
    def _day(self, day: date) -> Any:
        """A calendar day as the backend stores it."""

    @abstractmethod
    def _entries(self, query: str, params: Mapping[str, Any]) -> list[JournalEntry]:
        """Run ``SELECT`` :data:`ENTRY_COLUMNS` ``FROM greetings …`` and return its rows as entries."""

    @abstractmethod
    def _stream_entries(self, query: str, params: Mapping[str, Any]) -> Iterator[JournalEntry]:
        """:meth:`_entries` for a ``SELECT`` of any size: its rows read :data:`STREAM_BATCH` at a time.

        A generator: the query runs when the first row is asked for, and the
        rows are never all in memory at once.
        """

    @abstractmethod
    def _fetch(self, query: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run a ``SELECT`` and return its rows as tuples."""

    @abstractmethod
    def _change_all(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> list[int]:
        """Run ``statements`` in one write transaction; the rows each changed."""

    @abstractmethod
    def _erased_opt_outs(
        self, email: str, contact_ids: Collection[str], now: datetime
    ) -> tuple[str, dict[str, Any]]:
        """The statement binding the erased person's contact ids (see journal_optouts.OptOuts)."""

    @abstractmethod
    def _erasure_events(
        self, found: Erasure, now: datetime, by: str | None
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        """``forget``'s opt-out events (see journal_optout_events.OptOutEvents)."""

    def _can_write(self) -> bool:
        """Whether this journal may be written here (a SQLite journal opened read-only may not)."""
        return True

    def checkpoint(self) -> str | None:
        """:meth:`JournalStore.checkpoint`: nothing to do where the server keeps the log (PostgreSQL)."""
        return None

    def message_key(self, *, create: bool = True) -> bytes | None:
        """The key of this journal's Message-IDs; made on first need when ``create`` and writable.

        Made insert-if-absent, then read back: of two processes making it at
        once, the second's insert does nothing and both read the first's, so
        every sender of the journal gives a greeting the same Message-ID.
        """
        p = self._p
        read = f"SELECT value FROM {SECRETS_TABLE} WHERE name = {p('name')}"
        params = {"name": MESSAGE_KEY}
        found = self._fetch(read, params)
        if not found and create and self._can_write():
            insert = (
                f"INSERT INTO {SECRETS_TABLE} (name, value) VALUES ({p('name')}, {p('value')})"
                " ON CONFLICT (name) DO NOTHING"
            )
            self._change_all([(insert, {**params, "value": new_message_key()})])
            found = self._fetch(read, params)
        return bytes(found[0][0]) if found else None

    def project(self) -> Project | None:
        """:meth:`JournalStore.project`: the rows of :data:`~greeter.journal_project.PROJECT_TABLE`."""
        rows = self._fetch(f"SELECT name, value FROM {PROJECT_TABLE}", {})
        return Project.from_facts({str(name): str(value) for name, value in rows})

    def record_project(self, project: Project, now: datetime) -> None:
        """:meth:`JournalStore.record_project`: every fact replaced, in one transaction."""
        p = self._p
        upsert = (
            f"INSERT INTO {PROJECT_TABLE} (name, value, recorded_at)"
            f" VALUES ({p('name')}, {p('value')}, {p('at')})"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at"
        )
        at = self._at(now)
        self._change_all([(upsert, {"name": n, "value": v, "at": at}) for n, v in project.facts().items()])

    def record_first_project(self, project: Project, now: datetime) -> None:
        """:meth:`JournalStore.record_first_project`: every fact inserted unless there, in one transaction.

        The facts are inserted in one order by every sender, so a second first run's insert waits
        on the first's uncommitted ``sender`` row, then inserts nothing: never half of each.
        """
        p = self._p
        insert = (
            f"INSERT INTO {PROJECT_TABLE} (name, value, recorded_at)"
            f" VALUES ({p('name')}, {p('value')}, {p('at')}) ON CONFLICT (name) DO NOTHING"
        )
        at = self._at(now)
        self._change_all([(insert, {"name": n, "value": v, "at": at}) for n, v in project.facts().items()])

    def purge(self, before: date, *, dry_run: bool = False) -> Purge:
        """Delete the finished greetings wholly before ``before``, and approvals of occasions gone by then.

        A row goes when its state is final (:data:`~greeter.retention.FINISHED`)
        and its occasion day, its send day and its last change are all before
        ``before``; the do-not-contact list is never purged (forgetting an
        opt-out would greet the person again). Rows as old in another state
        (``uncertain``, ``retry``) stay and are counted in :attr:`Purge.kept`.
        """
        p = self._p
        finished = ", ".join(f"'{s}'" for s in FINISHED)
        old = (
            f"occasion_date < {p('day')} AND COALESCE(send_day, occasion_date) < {p('day')}"
            f" AND updated_at < {p('moment')}"
        )
        params = {"day": self._day(before), "moment": self._at(datetime.combine(before, time(), UTC))}
        greetings = f"FROM greetings WHERE state IN ({finished}) AND {old}"
        # An approval is of a letter's content: of no use once its occasion's row is gone or final.
        approvals = (
            f"FROM approvals WHERE occasion_date < {p('day')} AND NOT EXISTS (SELECT 1 FROM greetings g"
            " WHERE g.contact_id = approvals.contact_id AND g.occasion = approvals.occasion"
            f" AND g.occasion_date = approvals.occasion_date AND g.state NOT IN ({finished}))"
        )
        kept = self._fetch(
            f"SELECT state, count(*) FROM greetings WHERE state NOT IN ({finished}) AND {old} GROUP BY state",
            params,
        )
        if dry_run:
            counts = [int(self._fetch(f"SELECT count(*) {q}", params)[0][0]) for q in (greetings, approvals)]
        else:
            counts = self._change_all([(f"DELETE {greetings}", params), (f"DELETE {approvals}", params)])
        kept_by_state = {state: int(n) for state, n in kept}
        return Purge(before=before, greetings=counts[0], approvals=counts[1], kept=kept_by_state)

    def newest_change(self) -> datetime | None:
        """:meth:`JournalStore.newest_change`: ``MAX(updated_at)``, read whole (no index has it).

        ~25 ms over a 60,000-greeting SQLite journal, once per run: cheaper
        than a migration adding an index to every journal.
        """
        value = self._fetch("SELECT MAX(updated_at) FROM greetings", {})[0][0]
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)

    def _key_where(self) -> str:
        """SQL selecting one greeting by the parameters ``cid``, ``occ`` and ``day``."""
        p = self._p
        return f"contact_id = {p('cid')} AND occasion = {p('occ')} AND occasion_date = {p('day')}"

    def _forget_writes(
        self, found: Erasure, now: datetime, by: str | None = None
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        """The writes of ``forget`` once ``found`` is read and no sender holds a claim of it: each
        statement with its parameter sets, for the backend to run in order (``executemany``)
        inside the transaction it read ``found`` in.

        Written once, as the opt-outs' statement is (:meth:`_erased_opt_outs`), where each
        backend had its copy. An entry on the do-not-contact list already keeps its date; its
        reason (free text, perhaps naming the person) gives way to the fact of the erasure.
        """
        p = self._p
        moment = now.astimezone(UTC)
        listed = {
            "email": found.email,
            "erasure": ERASURE_REASON,
            "now": self._at(now),
            "reason": erased_reason(moment.date()),
        }
        opt_outs, bound = self._erased_opt_outs(found.email, found.contact_ids, moment)
        writes: list[tuple[str, list[dict[str, Any]]]] = [
            (
                "INSERT INTO suppression (email, reason, created_at)"
                f" VALUES ({p('email')}, {p('erasure')}, {p('now')})"
                f" ON CONFLICT (email) DO UPDATE SET reason = {p('reason')}",
                [listed],
            ),
            (opt_outs, [bound]),
            *self._erasure_events(found, moment, by),
            (
                f"DELETE FROM greetings WHERE {self._key_where()}",
                [{"cid": c, "occ": o, "day": self._day(d)} for c, o, d in found.greetings],
            ),
        ]
        ids = {f"c{i}": cid for i, cid in enumerate(found.contact_ids)}
        if ids:  # ``IN ()`` is no SQL to PostgreSQL; with no contact there is no approval to delete
            marks = ", ".join(p(name) for name in ids)
            writes.append((f"DELETE FROM approvals WHERE contact_id IN ({marks})", [ids]))
        return writes

    def pull_back(self, now: datetime) -> tuple[int, int]:
        """:meth:`JournalStore.pull_back`, in one write transaction."""
        from greeter.journal_transitions import merged_rows  # it builds on this module

        p = self._p
        later = {"now": self._at(now)}
        expired = self._entries(
            f"SELECT {ENTRY_COLUMNS} FROM greetings WHERE state = 'expired' AND updated_at > {p('now')}",
            later,
        )
        where = self._key_where()
        keys = [
            key
            for entry in expired
            for key in (
                entry.key,
                *merged_rows(entry, self.history(contact_id=entry.contact_id, state="skipped")),
            )
        ]
        deletes = [
            (f"DELETE FROM greetings WHERE {where}", {"cid": c, "occ": o, "day": self._day(d)})
            for c, o, d in keys
        ]
        redate = f"UPDATE greetings SET updated_at = {p('now')} WHERE updated_at > {p('now')}"
        counts = self._change_all([*deletes, (redate, later)])
        return len(expired), counts[-1]

    def due_retries(self, now: datetime) -> list[JournalEntry]:
        """``retry`` rows whose time has come, longest waiting first."""
        return self._entries(
            f"SELECT {ENTRY_COLUMNS} FROM greetings"
            f" WHERE state = 'retry' AND next_attempt_at <= {self._p('now')} ORDER BY next_attempt_at",
            {"now": self._at(now)},
        )

    def waiting_retries(self, now: datetime) -> list[JournalEntry]:
        """``retry`` rows not yet due at ``now``, the earliest due first."""
        return self._entries(
            f"SELECT {ENTRY_COLUMNS} FROM greetings"
            f" WHERE state = 'retry' AND next_attempt_at > {self._p('now')} ORDER BY next_attempt_at",
            {"now": self._at(now)},
        )

    def iter_history(
        self,
        contact_id: str | None = None,
        occasion: str | None = None,
        state: str | None = None,
        since: date | None = None,
        until: date | None = None,
        email: str | None = None,
        *,
        sent_from: datetime | None = None,
        sent_before: datetime | None = None,
    ) -> Iterator[JournalEntry]:
        """Rows matching every filter given; ``since``/``until`` bound the occasion date, inclusive;
        ``sent_from`` (inclusive)/``sent_before`` (exclusive) the moment the letter left (``sent_at``,
        NULL for a row never sent, which SQL's comparison leaves out).

        ``email`` matches in any case (addresses are plain ASCII, so SQL ``lower`` is exact).
        Streamed (:meth:`_stream_entries`), in :attr:`_HISTORY_ORDER`.
        """
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state!r}; one of {', '.join(STATES)}")
        filters = (
            ("contact_id =", "cid", contact_id),
            ("occasion =", "occ", occasion),
            ("state =", "state", state),
            ("occasion_date >=", "since", None if since is None else self._day(since)),
            ("occasion_date <=", "until", None if until is None else self._day(until)),
            ("lower(email) =", "email", None if email is None else email.strip().lower()),
            # SQLite's sent_at is fixed-width UTC text (db_time), PostgreSQL's a timestamptz: both
            # compare as the moments do.
            ("sent_at >=", "sent_from", None if sent_from is None else self._at(sent_from)),
            ("sent_at <", "sent_before", None if sent_before is None else self._at(sent_before)),
        )
        given = [(test, name, value) for test, name, value in filters if value is not None]
        where = " AND ".join(["1 = 1", *(f"{test} {self._p(name)}" for test, name, _ in given)])
        return self._stream_entries(
            f"SELECT {ENTRY_COLUMNS} FROM greetings WHERE {where} ORDER BY {self._HISTORY_ORDER}",
            {name: value for _, name, value in given},
        )
