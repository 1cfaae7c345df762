"""The journal's SQLite schema as an ordered list of migrations, and the row mapping.

A journal outlives many greeter versions, so the schema is never edited in
place: each change is a new :class:`Migration` appended to :data:`MIGRATIONS`
and applied once, in one transaction with its ``schema_version`` row (SQLite
DDL is transactional), so a crash mid-upgrade leaves the old schema intact.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from greeter.errors import JournalError
from greeter.journal_sql import Migration as Migration  # re-exported: the type of MIGRATIONS
from greeter.journal_sql import entry_from_row, run_migrations
from greeter.journal_store import STATES, JournalEntry, JournalKey

#: Selects one greeting by the named parameters of :func:`key_params`.
KEY_WHERE = "contact_id = :cid AND occasion = :occ AND occasion_date = :day"


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "greetings journal",
        (
            f"""
            CREATE TABLE greetings (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ({", ".join(f"'{s}'" for s in STATES)})),
                email TEXT,
                message_id TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_reply TEXT,
                reason TEXT,
                planned_at TEXT,
                send_day TEXT,
                utc_offset_minutes INTEGER,
                next_attempt_at TEXT,
                merged TEXT NOT NULL DEFAULT '[]',
                content_hash TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sent_at TEXT,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
            "CREATE INDEX greetings_by_state ON greetings (state, next_attempt_at)",
            "CREATE INDEX greetings_by_day ON greetings (send_day)",
        ),
    ),
    Migration(
        2,
        "do-not-contact list",
        (
            """
            CREATE TABLE suppression (
                email TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        3,
        "letter bytes kept for retries and operator resends",
        ("ALTER TABLE greetings ADD COLUMN payload BLOB",),
    ),
    Migration(
        4,
        "approvals of reviewed drafts (review: required)",
        (
            """
            CREATE TABLE approvals (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                approved_at TEXT NOT NULL,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
        ),
    ),
    Migration(
        5,
        "when each occasion was first planned (an occasion added later is not caught up)",
        (
            """
            CREATE TABLE occasions (
                name TEXT PRIMARY KEY,
                since TEXT
            )
            """,
        ),
    ),
)

_BUSY_TIMEOUT_MS = 5000

assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), "versions are 1..n"

#: The migrations' own ledger in this backend's types (applied by :func:`greeter.journal_sql.run_migrations`).
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


def _retry_locked(step: Callable[[], object]) -> None:
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def connect(path: Path, *, now_iso: str) -> sqlite3.Connection:
    """Open (creating folder and file) and migrate the database; errors become :class:`JournalError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise JournalError(f"cannot open journal {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        # Switching a new file to WAL needs an exclusive lock and does not always wait
        # for the busy timeout: two processes opening a fresh journal at once could
        # see "database is locked". Retry within the same time budget.
        _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        # FULL: a committed claim must survive power loss, or a letter could go twice.
        conn.execute("PRAGMA synchronous = FULL")
        _retry_locked(lambda: migrate(conn, now_iso=now_iso))
    except sqlite3.Error as exc:
        conn.close()
        raise JournalError(f"journal {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, *, now_iso: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to ``migrations``; return the schema version now in force.

    Idempotent: an up-to-date journal is left untouched. A journal written by
    a newer greeter, or a database that is not a journal at all, is refused
    rather than "repaired".
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "schema_version" not in tables:
            raise JournalError(f"not a greeter journal (it has other tables: {', '.join(sorted(tables))})")
        version = run_migrations(conn, migrations, version_table=_VERSION_TABLE, mark="?", applied_at=now_iso)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version


def db_time(moment: datetime) -> str:
    """Aware datetime → fixed-width UTC ISO text, so comparing strings in SQL compares times."""
    if moment.tzinfo is None:
        raise ValueError(f"journal times must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def key_params(key: JournalKey) -> dict[str, str]:
    return {"cid": key[0], "occ": key[1], "day": key[2].isoformat()}


def row_to_entry(row: sqlite3.Row) -> JournalEntry:
    """A ``greetings`` row, whose days, times and merged list SQLite keeps as text."""
    return entry_from_row(row, day=date.fromisoformat, moment=datetime.fromisoformat, merged=json.loads)


def path_from_url(url_or_path: str) -> Path:
    if url_or_path.startswith("postgresql://"):
        raise JournalError("Journal is the SQLite journal; open PostgreSQL URLs with open_journal()")
    if url_or_path.startswith("sqlite:///"):
        return Path(url_or_path.removeprefix("sqlite:///"))
    if "://" in url_or_path:
        raise JournalError(f"unsupported journal URL {url_or_path!r}; use sqlite:///PATH")
    return Path(url_or_path)
