"""``greeter copy-journal``: every table of this greeter's journal, copied into an empty one elsewhere.

The move past one machine (docs/operations.md, *Past one machine: PostgreSQL*)
is a change of ``storage.url``; pointed at an empty schema, the next send
forgot every letter the SQLite journal recorded (and sent those still inside
``catch_up_days`` again), every opt-out and every approval or ``uncertain``
decision. This copies the journal whole — SQLite → PostgreSQL is the case
that matters; PostgreSQL → SQLite and SQLite → SQLite go by the same code
(the way back) — and proves the copy before it is committed.

How, and why so:

* **The target is made by the journal's own schema code** (:func:`greeter.journal_schema.connect`,
  :func:`greeter.journal_pg_schema.migrate`), never by hand, and must hold no row in any
  journal table: a copy is never merged into a journal in use.
* **Column by column, by name**: the columns both tables have are copied, those only the
  target has keep their default (PostgreSQL's lease columns), and a column only the source
  has is refused unless it is one of :data:`SHARED_ONLY` — so a migration added later to
  either schema keeps working, or is said, never dropped silently. Each value is converted
  by the kind of its column as the PostgreSQL side declares it (``date``, ``timestamptz``,
  ``jsonb``, ``bytea``: :func:`kind_of`) into what the other side stores — the journal's own
  encodings: :func:`~greeter.journal_schema.db_time` for a moment, ISO text for a day, JSON
  text for ``merged``.
* **Nothing sends from the source meanwhile**: a SQLite source's sender lock is held by the
  caller; a PostgreSQL source's tables are locked ``SHARE`` (writers wait, at most their
  ``lock_timeout``), and a live claim (a sender at work) refuses the copy.
* **One target transaction, verified inside it**: after the rows are in, the target's rows
  are read back and compared with the source's, table by table — the count and a checksum
  of every row's values (:class:`TableCopy`) — before the commit. Any failure rolls it back:
  the target is left without a row (a new SQLite file keeps only its empty schema).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greeter.errors import JournalError, JournalLockedError
from greeter.journal_lock import IDENTITY_NOTICE
from greeter.journal_moved import as_storage_url
from greeter.journal_schema import LETTERS_TABLE, db_time, journal_error
from greeter.journal_sql import STREAM_BATCH, current_version

if TYPE_CHECKING:
    import psycopg

    from greeter.journal_store import JournalStore

#: Columns only a shared (PostgreSQL) journal has, which a SQLite target has no place for and
#: needs none: which sender holds a claim, its claim call's token, its lease
#: (tests/test_journal_pg.py, the schemas' mirror test, names the same three). A copied
#: ``claimed`` row without them is one no sender works on: the next sender records it
#: ``uncertain``, as it would on the source.
SHARED_ONLY = frozenset({"claimed_by", "claim_token", "lease_until"})

#: The ledger each journal keeps of its own migrations: made by the target's schema code, not copied.
VERSION_TABLE = "schema_version"

#: ``greetings``' column of an unsent letter's bytes, as PostgreSQL has it and the copy names it
#: (a SQLite journal keeps them in a table of their own: :class:`SqliteSide`).
LETTER_COLUMN = "payload"

#: The columns of a greeting's key, which a SQLite journal's letters are joined to it by.
_KEY_COLUMNS = ("contact_id", "occasion", "occasion_date")

#: Rows that stay with their journal, by table: the column that names them and the names. The file's
#: identity mark (:data:`~greeter.journal_lock.IDENTITY_NOTICE`) says "this file is this journal", so
#: that a daemon sees another journal copied over its file: a copy is another journal — the journal
#: cloned for a second site, the way back from PostgreSQL while the old file is unmarked again — and
#: two daemons sending from two copies with one mark would each take the other's file for its own.
#: The target's first sender marks it anew. (``greeter backup`` keeps the mark: a restore is the
#: same journal, and an older one is the restore check's to catch.)
NOT_COPIED = {"notices": ("name", frozenset({IDENTITY_NOTICE}))}

#: How the summary names each table's rows (a table added later is named by its own name).
TABLE_WORDS = {
    "greetings": ("greeting", "greetings"),
    "suppression": ("do-not-contact address", "do-not-contact addresses"),
    "suppressed_contacts": ("opted-out contact", "opted-out contacts"),
    "approvals": ("approval", "approvals"),
    "occasions": ("occasion", "occasions"),
    "notices": ("notice", "notices"),
    "secrets": ("secret key", "secret keys"),
    "project": ("project fact", "project facts"),
    "optout_events": ("opt-out event", "opt-out events"),  # added later: last, the others' order kept
}


def in_summary_order(tables: Iterable[str]) -> list[str]:
    """``tables`` in the order the summary names them (:data:`TABLE_WORDS`'), others after, by name."""
    known = list(TABLE_WORDS)
    return sorted(tables, key=lambda t: (known.index(t) if t in known else len(known), t))


class Kind(Enum):
    """What a column holds, as the PostgreSQL schema types it (SQLite keeps all but bytes as text)."""

    PLAIN = "plain"
    DAY = "day"
    MOMENT = "moment"
    JSON = "json"
    BYTES = "bytes"


_PG_KINDS = {
    "date": Kind.DAY,
    "timestamp with time zone": Kind.MOMENT,
    "jsonb": Kind.JSON,
    "json": Kind.JSON,
    "bytea": Kind.BYTES,
}


def kind_of(declared: str) -> Kind:
    """A column's :class:`Kind` from its declared type (PostgreSQL's ``data_type``, SQLite's ``BLOB``)."""
    declared = declared.lower()
    return Kind.BYTES if declared == "blob" else _PG_KINDS.get(declared, Kind.PLAIN)


def native(value: Any, kind: Kind) -> Any:
    """A stored value (either backend's) as Python's: a day, an aware moment, a JSON value, bytes.

    A NULL — or, in SQLite, an empty day or moment — is None, as
    :func:`~greeter.journal_sql.entry_from_row` reads it. A moment without an
    offset is refused: the journal writes none (:func:`~greeter.journal_schema.db_time`),
    and guessing its zone could move a letter's day.
    """
    if value is None:
        return None
    if kind is Kind.DAY:
        return value if isinstance(value, date) else (date.fromisoformat(value) if value else None)
    if kind is Kind.MOMENT:
        moment = value if isinstance(value, datetime) else (datetime.fromisoformat(value) if value else None)
        if moment is not None and moment.tzinfo is None:
            raise ValueError(f"a time without its offset ({value!r})")
        return moment
    if kind is Kind.JSON:
        return json.loads(value) if isinstance(value, (str, bytes)) else value
    if kind is Kind.BYTES:
        return bytes(value)
    return value


def canonical(value: Any, kind: Kind) -> str:
    """One text for a :func:`native` value, whichever backend it came from: what the checksum hashes."""
    if value is None:
        return "\x00null"
    if kind is Kind.DAY:
        return str(value.isoformat())
    if kind is Kind.MOMENT:
        return db_time(value)
    if kind is Kind.JSON:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\x00bytes:" + bytes(value).hex()
    return f"{type(value).__name__}:{value}"


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table's rows as copied: how many, and a checksum of their values (order-free)."""

    name: str
    rows: int
    checksum: str

    def words(self) -> str:
        """``1,234 greetings``, ``1 do-not-contact address``."""
        one, many = TABLE_WORDS.get(self.name, (f"{self.name} row", f"{self.name} rows"))
        return f"{self.rows:,} {one if self.rows == 1 else many}"


@dataclass(frozen=True, slots=True)
class JournalCopy:
    """What was (or, dry, would be) copied, as the command reports it."""

    source: str
    target: str
    schema_version: int
    tables: tuple[TableCopy, ...]
    dry_run: bool = False

    def text(self) -> str:
        """The one summary line (a URL's password never in it: both are shown redacted)."""
        held = ", ".join(t.words() for t in self.tables)
        if self.dry_run:
            return (
                f"would copy journal {self.source} (schema {self.schema_version}) to {self.target}: {held};"
                " nothing copied (--dry-run)"
            )
        return (
            f"copied journal {self.source} (schema {self.schema_version}) to {self.target}: {held}"
            f" (counts and checksums verified); now set storage.url to {as_storage_url(self.target)}"
            " and start greeter"
        )

    def summary(self) -> dict[str, Any]:
        """``--json``: the same, each table with its count and checksum."""
        return {
            "source": self.source,
            "target": self.target,
            "schema_version": self.schema_version,
            "dry_run": self.dry_run,
            "verified": not self.dry_run,
            "tables": {t.name: {"rows": t.rows, "checksum": t.checksum or None} for t in self.tables},
        }


def _row_digest(values: Sequence[Any], typed: Sequence[tuple[int, Kind]]) -> bytes:
    """One row's digest, from its :func:`native` values: its typed columns in :func:`canonical` text,
    the others (text, integers, the same on both backends) as Python writes them."""
    canon = list(values)
    for i, kind in typed:
        canon[i] = canonical(values[i], kind)
    return hashlib.sha256(repr(canon).encode("utf-8", "surrogatepass")).digest()


def _checksum(digests: list[bytes]) -> str:
    """The table's checksum: its rows' digests in sorted order (no backend's row order matters)."""
    total = hashlib.sha256()
    for digest in sorted(digests):
        total.update(digest)
    return total.hexdigest()


class Side(ABC):
    """One journal's connection, as the copy reads or writes it (a backend's dialect and types)."""

    #: Whether this side is PostgreSQL (its column types say each value's :class:`Kind`).
    pg: bool
    #: The journal as messages name it.
    shown: str
    #: The connection (``sqlite3`` or psycopg), for what both dialects ask alike.
    conn: Any

    @abstractmethod
    def tables(self) -> list[str]:
        """The journal's tables here (not :data:`VERSION_TABLE`)."""

    @abstractmethod
    def columns(self, table: str) -> dict[str, Kind]:
        """The table's columns, in order, each with its kind as declared here."""

    @abstractmethod
    def rows(self, table: str, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        """Every row's values of ``columns``, a batch at a time."""

    @abstractmethod
    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (already in this side's stored form)."""

    @abstractmethod
    def stored(self, value: Any, kind: Kind) -> Any:
        """A :func:`native` value as this side stores it."""

    @abstractmethod
    def count(self, table: str) -> int:
        """How many rows the table holds."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteSide(Side):
    """A SQLite journal's connection (``isolation_level=None``; the caller holds the transaction).

    Its unsent letters' bytes are a table of their own (:data:`~greeter.journal_schema.LETTERS_TABLE`,
    migration 14) where PostgreSQL keeps them in ``greetings.payload``: the copy sees them as that
    column here too — read joined to their greeting, written beside it — so that a letter waiting
    for its retry or an operator's resend goes with its row either way, and both sides' checksums
    of ``greetings`` are of the same values.
    """

    pg = False

    def __init__(self, conn: sqlite3.Connection, shown: str) -> None:
        self.conn = conn
        self.shown = shown

    def _all_tables(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            " ORDER BY rowid"
        ).fetchall()
        return [str(r[0]) for r in rows if r[0] != VERSION_TABLE]

    def tables(self) -> list[str]:
        return [t for t in self._all_tables() if t != LETTERS_TABLE]

    def _letters_apart(self, table: str) -> bool:
        """Whether ``table`` is ``greetings`` and its letters are in a table of their own here."""
        return table == "greetings" and LETTERS_TABLE in self._all_tables()

    def columns(self, table: str) -> dict[str, Kind]:
        found = {
            str(r[1]): kind_of(str(r[2])) for r in self.conn.execute(f"PRAGMA table_info({_quoted(table)})")
        }
        if self._letters_apart(table):
            found[LETTER_COLUMN] = Kind.BYTES
        return found

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0])

    def rows(self, table: str, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        if LETTER_COLUMN in columns and self._letters_apart(table):
            names = ", ".join("l.payload" if c == LETTER_COLUMN else f"g.{_quoted(c)}" for c in columns)
            joined = ", ".join(_KEY_COLUMNS)
            query = f"SELECT {names} FROM greetings g LEFT JOIN {LETTERS_TABLE} l USING ({joined})"
        else:
            query = f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(table)}"
        cursor = self.conn.execute(query)
        while batch := cursor.fetchmany(STREAM_BATCH):
            yield from (tuple(r) for r in batch)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if LETTER_COLUMN in columns and self._letters_apart(table):
            at = list(columns).index(LETTER_COLUMN)
            keys = [list(columns).index(c) for c in _KEY_COLUMNS]
            letters = [[*(row[k] for k in keys), row[at]] for row in rows if row[at] is not None]
            columns = [c for i, c in enumerate(columns) if i != at]
            rows = [[v for i, v in enumerate(row) if i != at] for row in rows]
            self._insert(table, columns, rows)
            self._insert(LETTERS_TABLE, [*_KEY_COLUMNS, LETTER_COLUMN], letters)
            return
        self._insert(table, columns, rows)

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(
            f"INSERT INTO {_quoted(table)} ({', '.join(map(_quoted, columns))}) VALUES ({marks})", rows
        )

    def stored(self, value: Any, kind: Kind) -> Any:
        """The SQLite journal's encodings: ISO days, :func:`db_time` moments, JSON text (as
        :func:`greeter.journal._merged_text` writes ``merged``), bytes as a BLOB."""
        if value is None:
            return None
        if kind is Kind.DAY:
            return value.isoformat()
        if kind is Kind.MOMENT:
            return db_time(value)
        if kind is Kind.JSON:
            return json.dumps(value, ensure_ascii=False)
        return value


class PgSide(Side):
    """A PostgreSQL journal's connection, its ``search_path`` on the journal's schema."""

    pg = True

    def __init__(self, conn: psycopg.Connection[Any], schema: str, shown: str) -> None:
        self.conn = conn
        self.schema = schema
        self.shown = shown

    def tables(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.oid",
            (self.schema,),
        ).fetchall()
        return [str(r[0]) for r in rows if r[0] != VERSION_TABLE]

    def columns(self, table: str) -> dict[str, Kind]:
        rows = self.conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (self.schema, table),
        ).fetchall()
        return {str(r[0]): kind_of(str(r[1])) for r in rows}

    def count(self, table: str) -> int:
        from psycopg import sql

        row = self.conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(self.schema, table))
        ).fetchone()
        return int(row[0]) if row else 0

    def rows(self, table: str, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        from psycopg import sql

        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(self.schema, table)
        )
        with self.conn.cursor() as cursor:
            cursor.execute(query)
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield from batch

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        from psycopg import sql

        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(self.schema, table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(sql.Placeholder() for _ in columns),
        )
        with self.conn.cursor() as cursor:
            cursor.executemany(query, rows)

    def stored(self, value: Any, kind: Kind) -> Any:
        """psycopg adapts days, aware moments and bytes itself; a JSON value goes as ``Jsonb``
        (as :class:`~greeter.journal_pg.PgJournal` writes ``merged``)."""
        if value is not None and kind is Kind.JSON:
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one table is copied: the columns both have, and each one's kind."""

    table: str
    columns: tuple[str, ...]
    kinds: tuple[Kind, ...]

    @property
    def typed(self) -> list[tuple[int, Kind]]:
        """The columns a value must be converted in (not :attr:`Kind.PLAIN`), by position."""
        return [(i, k) for i, k in enumerate(self.kinds) if k is not Kind.PLAIN]


def plan_tables(source: Side, target: Side) -> list[_Plan]:
    """Which columns of which tables go, and as what; a table or column the target lacks is refused.

    Refused, not dropped: a journal of a newer schema on one side (a migration added a table or
    a column the other backend's schema has not had added yet) would otherwise lose it silently.
    """
    plans = []
    target_tables = set(target.tables())
    for table in in_summary_order(source.tables()):
        if table not in target_tables:
            raise JournalError(
                f"journal {target.shown} has no table {table} to copy {source.shown}'s into;"
                " nothing was copied (is one greeter newer than the other?)"
            )
        theirs, ours = source.columns(table), target.columns(table)
        lost = [c for c in theirs if c not in ours and c not in SHARED_ONLY]
        if lost:
            raise JournalError(
                f"journal {target.shown}: table {table} has no column {', '.join(lost)} to copy"
                f" {source.shown}'s into; nothing was copied (is one greeter newer than the other?)"
            )
        shared = tuple(sorted(c for c in theirs if c in ours))  # by name: the checksum is the same both ways
        pg_kinds = ours if target.pg else theirs  # the typed side says what each column holds
        kinds = tuple(
            pg_kinds[c] if (source.pg or target.pg) else Kind.BYTES if ours[c] is Kind.BYTES else Kind.PLAIN
            for c in shared
        )
        plans.append(_Plan(table, shared, kinds))
    return plans


class TargetNotEmptyError(JournalError):
    """The target holds journal rows (exit 2): told apart so that a copy made before is said as such."""


def refuse_unless_empty(target: Side) -> None:
    """Refuse (exit 2) a target holding any row in any journal table: a copy is never merged."""
    held = [(t, n) for t in target.tables() if (n := target.count(t))]
    if held:
        rows = ", ".join(f"{n:,} in {t}" for t, n in held)
        if not any(t in TABLE_WORDS for t, _ in held):  # no journal's row: another application's tables
            raise TargetNotEmptyError(
                f"journal {target.shown}: its schema holds other tables' rows ({rows}); the journal"
                " needs a schema of its own (?schema=NAME naming a new one): nothing was copied"
            )
        raise TargetNotEmptyError(
            f"journal {target.shown} is not empty ({rows}); copy-journal copies only into an empty one"
            " (a new SQLite file, or a schema with no journal in it): nothing was copied"
        )


def _natives(side: Side, plan: _Plan, typed: Sequence[tuple[int, Kind]], row: Sequence[Any]) -> list[Any]:
    """A row's :func:`native` values; a value the journal never writes is refused, naming its table."""
    values = list(row)
    try:
        for i, kind in typed:
            values[i] = native(values[i], kind)
    except ValueError as exc:
        raise JournalError(
            f"journal {side.shown}: table {plan.table} holds a value greeter cannot read: {exc};"
            " nothing was copied"
        ) from None
    return values


def copied_rows(side: Side, table: str, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
    """The table's rows of ``columns`` that a copy carries: all but :data:`NOT_COPIED`'s."""
    rows = side.rows(table, columns)
    left = NOT_COPIED.get(table)
    if left is None or left[0] not in columns:
        return rows
    at, names = list(columns).index(left[0]), left[1]
    return (row for row in rows if row[at] not in names)


def read_table(side: Side, plan: _Plan) -> tuple[int, str]:
    """The table's (rows, checksum) over the planned columns: the copy's check, read back."""
    typed = plan.typed
    digests = [
        _row_digest(_natives(side, plan, typed, row), typed)
        for row in copied_rows(side, plan.table, plan.columns)
    ]
    return len(digests), _checksum(digests)


def copy_table(source: Side, target: Side, plan: _Plan) -> TableCopy:
    """Copy one table's rows, a batch at a time; its count and checksum as read from the source."""
    typed = plan.typed
    digests: list[bytes] = []
    batch: list[list[Any]] = []
    for row in copied_rows(source, plan.table, plan.columns):
        values = _natives(source, plan, typed, row)
        digests.append(_row_digest(values, typed))
        for i, kind in typed:
            values[i] = target.stored(values[i], kind)
        batch.append(values)
        if len(batch) >= STREAM_BATCH:
            target.insert(plan.table, plan.columns, batch)
            batch.clear()
    if batch:
        target.insert(plan.table, plan.columns, batch)
    return TableCopy(plan.table, len(digests), _checksum(digests))


def verify(target: Side, plan: _Plan, copied: TableCopy) -> None:
    """Read the table back from the target (inside the copy's transaction): the same count and
    checksum, or the copy fails (and is rolled back)."""
    rows, checksum = read_table(target, plan)
    if rows != copied.rows or checksum != copied.checksum:
        raise JournalError(
            f"journal {target.shown}: table {plan.table} reads back {rows:,} rows (checksum"
            f" {checksum[:12]}) where {copied.rows:,} were copied (checksum {copied.checksum[:12]});"
            " the copy was rolled back, nothing was copied"
        )


def copy_all(source: Side, target: Side) -> tuple[TableCopy, ...]:
    """Every table copied then verified; the caller holds both transactions and commits the target's."""
    plans = plan_tables(source, target)
    copied = [copy_table(source, target, plan) for plan in plans]
    for plan, done in zip(plans, copied, strict=True):
        verify(target, plan, done)
    return tuple(copied)


def count_all(source: Side) -> tuple[TableCopy, ...]:
    """A dry run: how many rows each table would copy (no checksum: nothing is copied to check)."""
    return tuple(TableCopy(t, _count_copied(source, t), "") for t in in_summary_order(source.tables()))


def _count_copied(source: Side, table: str) -> int:
    """How many of the table's rows a copy carries (:func:`copied_rows`: one small table is read)."""
    if table not in NOT_COPIED:
        return source.count(table)
    column = NOT_COPIED[table][0]
    return sum(1 for _ in copied_rows(source, table, [column]))


# --- the PostgreSQL source's guard ---------------------------------------------------------------


def hold_pg_source(conn: psycopg.Connection[Any], side: PgSide, tables: Iterable[str]) -> None:
    """In the source's transaction (``REPEATABLE READ``, begun by the caller, nothing read yet):
    lock every journal table ``SHARE`` — a sender's claim waits (at most its ``lock_timeout``,
    then it counts the journal unavailable and tries later) — and refuse a live claim.

    The lock comes before the first read, so the snapshot the copy reads is taken under it.
    """
    from psycopg import sql

    for table in tables:
        conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(side.schema, table)))
    live = conn.execute(
        sql.SQL(
            "SELECT claimed_by, count(*) FROM {} WHERE state = 'claimed' AND lease_until > clock_timestamp()"
            " GROUP BY claimed_by"
        ).format(sql.Identifier(side.schema, "greetings"))
    ).fetchall()
    if live:
        who = ", ".join(f"{by} ({n} letter{'' if n == 1 else 's'})" for by, n in live)
        raise JournalLockedError(
            f"a greeter is sending from journal {side.shown} now (claims of {who} are live); stop every"
            " greeter on it and try again once it has finished: nothing was copied"
        )


# --- a SQLite target -----------------------------------------------------------------------------


def sqlite_target_refusal(path: Path, source: Path | None) -> JournalError | None:
    """Why a SQLite target file is refused before anything is made (the source itself, a journal
    with rows, a file that is no journal), else None; read-only, so nothing is changed by asking."""
    from greeter.journal_schema import open_read_only

    if source is not None and path.exists() and source.exists():
        with suppress(OSError):
            if path.samefile(source):
                return JournalError(f"journal {path} is the journal being copied; name another file")
    if not path.exists():
        if not path.parent.is_dir():  # Journal.open would make it: a typo's folder, made silently
            return JournalError(
                f"no folder {path.parent} for journal {path}: make it first (mkdir -p {path.parent})"
                " or name a file in a folder that exists; nothing was copied"
            )
        return None
    if path.is_dir():
        return JournalError(f"journal {path} is a folder; name the new journal's file")
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        return journal_error(f"journal {path}: {exc}", exc)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and VERSION_TABLE not in tables:
            return JournalError(
                f"{path} is not a greeter journal (it has tables {', '.join(sorted(tables))})"
            )
        refuse_unless_empty(SqliteSide(conn, str(path)))
    except JournalError as exc:
        return exc
    except sqlite3.Error as exc:
        return journal_error(f"journal {path}: {exc}", exc)
    finally:
        conn.close()
    return None


# --- the copy, end to end ------------------------------------------------------------------------


def _is_pg(url: str) -> bool:
    return url.startswith("postgresql://")


def shown(url: str) -> str:
    """A journal as messages name it: a SQLite path, a PostgreSQL URL without its password
    (:func:`greeter.journal_project.journal_shown`)."""
    from greeter.journal_project import journal_shown

    return journal_shown(url)


@contextmanager
def _source_side(url: str) -> Iterator[Side]:
    """The source journal read in one snapshot: a second connection, opened once the caller's
    journal is (upgraded, admitted and — for SQLite — holding the sender lock)."""
    label = shown(url)
    if not _is_pg(url):
        from greeter.journal_schema import open_read_only, path_from_url

        try:
            conn = open_read_only(path_from_url(url))
        except sqlite3.Error as exc:
            raise journal_error(f"journal {label}: {exc}", exc) from exc
        try:
            conn.execute("BEGIN")  # one read transaction: every table as of one moment
            yield SqliteSide(conn, label)
        finally:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg

    from greeter.journal_pg_schema import configure, parse_target

    where = parse_target(url)
    with psycopg.connect(where.conninfo, autocommit=True, connect_timeout=10) as pg:
        configure(pg, where.schema)
        schema = where.schema or _current_schema(pg, label)
        side = PgSide(pg, schema, label)
        tables = side.tables()  # read before the snapshot: the locks come first
        pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            hold_pg_source(pg, side, tables)
            yield side
        finally:
            with suppress(psycopg.Error):
                pg.execute("ROLLBACK")


def _current_schema(conn: psycopg.Connection[Any], shown: str) -> str:
    row = conn.execute("SELECT current_schema()").fetchone()
    if row is None or row[0] is None:
        raise JournalError(f"journal {shown}: its search_path names no schema that exists; add ?schema=NAME")
    return str(row[0])


@contextmanager
def _pg_target(url: str, now: datetime, *, dry_run: bool) -> Iterator[Side]:
    """The PostgreSQL target, inside one transaction that also makes its schema (the journal's own
    :func:`~greeter.journal_pg_schema.migrate`); committed only when the block ends without error."""
    import psycopg

    from greeter.journal_pg_schema import configure, inspect, parse_target

    where = parse_target(url)
    with psycopg.connect(where.conninfo, autocommit=True, connect_timeout=10) as conn:
        configure(conn, where.schema)
        schema = where.schema or _current_schema(conn, where.shown)
        side = PgSide(conn, schema, where.shown)
        if inspect(conn, schema) is not None:
            refuse_unless_empty(side)  # before anything is migrated in it
        if dry_run:  # the same checks, in a transaction rolled back: its refusals are the copy's
            with conn.transaction(force_rollback=True):
                _make_target(conn, side, where.schema, where.shown, now)
            yield side
            return
        with conn.transaction():
            _make_target(conn, side, where.schema, where.shown, now)
            yield side


def _make_target(
    conn: psycopg.Connection[Any], side: PgSide, schema: str | None, shown: str, now: datetime
) -> None:
    """The target's schema made by the journal's own :func:`~greeter.journal_pg_schema.migrate`,
    then refused unless empty — someone else's table holding rows, a privilege missing, a foreign
    ``greetings`` table — inside the caller's transaction (a dry run's is rolled back)."""
    from greeter.journal_pg_schema import migrate

    try:
        migrate(conn, schema=schema, now=now)
    except JournalError as exc:  # the schema's refusals (a privilege, newer): name the journal
        if type(exc) is not JournalError:
            raise
        raise JournalError(f"journal {shown}: {for_a_copy(str(exc))}") from None
    refuse_unless_empty(side)  # asked again in the transaction


def for_a_copy(refusal: str) -> str:
    """A schema refusal's advice, for a copy: a runtime role without CREATE is told to run the copy
    as the schema's owner — "run greeter send once as the owner" would start an empty journal there,
    which the copy then refuses as not empty."""
    return re.sub(
        r"run greeter send once as the schema's owner, or GRANT CREATE ON SCHEMA \S+ TO \S+",
        "run greeter copy-journal as the schema's owner role (TARGET_URL naming it; storage.url then"
        " names the runtime role) — not greeter send, which would start an empty journal there",
        refusal,
    )


@contextmanager
def _sqlite_target(
    url: str, now: datetime, source: Path | None, config: Path | None, *, dry_run: bool
) -> Iterator[Side | None]:
    """The SQLite target: refused unless new or an empty journal; made by the journal's own code
    (:meth:`greeter.journal.Journal.open`: its schema, mode and lock file), its sender lock held
    while the rows go in, in one ``BEGIN IMMEDIATE`` transaction committed when the block ends."""
    from greeter.journal import Journal
    from greeter.journal_schema import connect, path_from_url

    path = path_from_url(url)
    if (refused := sqlite_target_refusal(path, source)) is not None:
        raise refused
    if dry_run:
        yield None
        return
    made = Journal.open(url, now=now)
    try:
        made.lock_sender(config=config)  # no greeter sends from it until the copy is in
        conn, _ = connect(path, now_iso=db_time(now))
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                side = SqliteSide(conn, str(path))
                refuse_unless_empty(side)
                yield side
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
    finally:
        made.close()


def copy_journal(
    source: JournalStore,
    source_url: str,
    target_url: str,
    *,
    now: datetime,
    config: Path | None = None,
    dry_run: bool = False,
) -> JournalCopy:
    """Copy the journal ``source`` (opened from ``source_url`` by the caller) into ``target_url``.

    The caller holds ``source``'s sender lock (SQLite; a dry run need not). Raises
    :class:`JournalError` (exit 2) for a target that is not empty, not a journal or the source
    itself, :class:`JournalLockedError` (75) for a PostgreSQL source a sender is working on,
    :class:`~greeter.errors.JournalUnavailableError` (75) for a journal that cannot be reached
    now; after any of them the target holds no row.
    """
    import psycopg

    src_shown, dst_shown = shown(source_url), shown(target_url)
    if src_shown == dst_shown:
        raise JournalError(f"journal {dst_shown} is the journal being copied; name another place")
    source_path = None if _is_pg(source_url) else getattr(source, "path", None)
    try:
        with _source_side(source_url) as src:
            version = current_version(src.conn)
            if _is_pg(target_url):
                with _pg_target(target_url, now, dry_run=dry_run) as dst:
                    tables = count_all(src) if dry_run else copy_all(src, dst)
            else:
                with _sqlite_target(target_url, now, source_path, config, dry_run=dry_run) as lite:
                    tables = count_all(src) if lite is None else copy_all(src, lite)
    except sqlite3.Error as exc:
        said = " ".join(str(exc).split())
        raise journal_error(
            f"cannot copy journal {src_shown} to {dst_shown}: {said}; nothing was copied", exc
        ) from exc
    except psycopg.Error as exc:
        from greeter.db_url import one_line
        from greeter.journal_pg_base import pg_journal_error

        said = one_line(one_line(exc.diag.message_primary or exc, target_url), source_url)
        raise pg_journal_error(
            f"cannot copy journal {src_shown} to {dst_shown}: {said}; nothing was copied", exc
        ) from None
    return JournalCopy(src_shown, dst_shown, version, tables, dry_run=dry_run)
