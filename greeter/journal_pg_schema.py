"""The PostgreSQL journal's schema: its own migration list, applied under an advisory lock.

The tables mirror the SQLite journal (:mod:`greeter.journal_schema`) column
for column, with native types (``date``, ``timestamptz``, ``jsonb``,
``bytea``) and three columns only a shared database needs: ``claimed_by``
(the sender instance holding a claim), ``claim_token`` (one claim call, so a
claim retried after a lost connection knows it already won) and
``lease_until`` (when a silent claim may be presumed dead, by the *server's*
clock — the one clock every sender shares).

Versions here are this backend's own sequence; a change to the SQLite schema
needs its counterpart appended here (``tests/test_journal.py`` compares the
columns of both). Migrations run in one transaction holding
``pg_advisory_xact_lock`` on the schema's name, so two greeters starting at
once do not both apply them: the second waits, then finds nothing to do.

Where the tables live: the URL may carry ``schema=NAME`` (greeter's own
parameter, removed before libpq sees the URL): the schema is created if
needed and ``search_path`` set to it on every connection. Without it, the
connection's own ``search_path`` decides (libpq's ``options=-csearch_path%3D…``
works too).
"""

from __future__ import annotations

import hashlib
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from greeter.db_url import check_identifier, redact, take_params
from greeter.errors import JournalError, JournalNewerError
from greeter.journal_optout_events import EVENTS_TABLE
from greeter.journal_project import PROJECT_TABLE
from greeter.journal_sql import (
    OCCASIONS_ALREADY_GREETED,
    SECRETS_TABLE,
    VERDICT_INDEX,
    Migration,
    entry_from_row,
    run_migrations,
)
from greeter.journal_store import STATES, JournalEntry

__all__ = [
    "DEFAULT_LEASE",
    "LOCK_TIMEOUT",
    "MIGRATIONS",
    "STATEMENT_TIMEOUT",
    "TABLES",
    "PgTarget",
    "advisory_key",
    "changed_tables",
    "configure",
    "inspect",
    "migrate",
    "parse_target",
    "row_to_entry",
]

#: The journal's tables; any of them present without ``schema_version`` means "not ours".
TABLES = (
    "greetings",
    "suppression",
    "approvals",
    "occasions",
    "notices",
    SECRETS_TABLE,
    "suppressed_contacts",
    PROJECT_TABLE,
    EVENTS_TABLE,
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "greetings journal, do-not-contact list, approvals, claim leases",
        (
            f"""
            CREATE TABLE greetings (
                contact_id text NOT NULL,
                occasion text NOT NULL,
                occasion_date date NOT NULL,
                state text NOT NULL CHECK (state IN ({", ".join(f"'{s}'" for s in STATES)})),
                email text,
                message_id text,
                attempts integer NOT NULL DEFAULT 0,
                last_reply text,
                reason text,
                planned_at timestamptz,
                send_day date,
                utc_offset_minutes integer,
                next_attempt_at timestamptz,
                merged jsonb NOT NULL DEFAULT '[]',
                content_hash text,
                payload bytea,
                claimed_by text,
                claim_token text,
                lease_until timestamptz,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                sent_at timestamptz,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
            "CREATE INDEX greetings_by_state ON greetings (state, next_attempt_at)",
            "CREATE INDEX greetings_by_day ON greetings (send_day)",
            "CREATE INDEX greetings_claims ON greetings (lease_until) WHERE state = 'claimed'",
            """
            CREATE TABLE suppression (
                email text PRIMARY KEY,
                reason text NOT NULL,
                created_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE approvals (
                contact_id text NOT NULL,
                occasion text NOT NULL,
                occasion_date date NOT NULL,
                content_hash text NOT NULL,
                approved_by text NOT NULL,
                approved_at timestamptz NOT NULL,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
        ),
    ),
    Migration(
        2,
        "when each occasion was first planned (an occasion added later is not caught up)",
        ("CREATE TABLE occasions (name text PRIMARY KEY, since timestamptz)", OCCASIONS_ALREADY_GREETED),
    ),
    Migration(
        3,
        "what send --once last said of contact row problems (said again only when they change)",
        (
            "CREATE TABLE notices"
            " (name text PRIMARY KEY, fingerprint text NOT NULL, said_at timestamptz NOT NULL)",
        ),
    ),
    Migration(
        4,
        "the journal's own secret keys (its Message-IDs, which no one else can compute)",
        (f"CREATE TABLE {SECRETS_TABLE} (name text PRIMARY KEY, value bytea NOT NULL)",),
    ),
    Migration(
        5,
        "person-level opt-outs: an unsubscribe or complaint binds the contact id, not only the address",
        (
            "CREATE TABLE suppressed_contacts (contact_id text PRIMARY KEY, email text NOT NULL,"
            " reason text NOT NULL, created_at timestamptz NOT NULL)",
        ),
    ),
    Migration(
        6,
        "the subject of each letter, as its reader saw it (for greeter history)",
        ("ALTER TABLE greetings ADD COLUMN subject text",),
    ),
    Migration(
        7,
        "the project the journal belongs to (its sender and contacts): another config's send is refused",
        (
            f"CREATE TABLE {PROJECT_TABLE}"
            " (name text PRIMARY KEY, value text NOT NULL, recorded_at timestamptz NOT NULL)",
        ),
    ),
    Migration(
        8,
        "opt-out events: each address or person put on the do-not-contact list or taken off, kept",
        (
            f"CREATE TABLE {EVENTS_TABLE} (recorded_at timestamptz NOT NULL,"
            " event text NOT NULL CHECK (event IN ('added', 'lifted')), email text NOT NULL, contact_id text,"
            " channel text NOT NULL, reason text NOT NULL, actor text, since timestamptz)",
            f"CREATE INDEX optout_events_by_email ON {EVENTS_TABLE} (email)",
        ),
    ),
    Migration(9, "an index for the daemon's read of the server's refusals at start", (VERDICT_INDEX,)),
)

assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), "versions are 1..n"

#: A statement that changes a table rather than creating it: PostgreSQL lets the table's owner alone run it.
_CHANGES_A_TABLE = re.compile(
    r"\s*(?:ALTER TABLE|CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?\w+ ON)\s+(\w+)", re.IGNORECASE
)


def changed_tables(version: int | None, migrations: tuple[Migration, ...] = MIGRATIONS) -> frozenset[str]:
    """The tables the migrations after ``version`` change (``ALTER TABLE``, ``CREATE INDEX … ON``),
    for :func:`~greeter.journal_pg_grants.grants_problem`: such a migration is run by their owner,
    not by a role with CREATE on the schema (schema 9's index on ``greetings``)."""
    statements = (s for m in migrations[version or 0 :] for s in m.statements)
    return frozenset(found[1] for s in statements if (found := _CHANGES_A_TABLE.match(s)))


#: The migrations' own ledger in this backend's types (applied by :func:`greeter.journal_sql.run_migrations`).
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)"
)

#: How long a claim stays live without its sender renewing it (see :class:`~greeter.journal_pg.PgJournal`).
DEFAULT_LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class PgTarget:
    """A parsed journal URL: what libpq gets, what is shown, and greeter's own parameters."""

    conninfo: str
    shown: str  # the URL without its password, for every message
    schema: str | None
    lease: timedelta


def parse_target(url: str) -> PgTarget:
    """Split ``postgresql://…?schema=NAME&lease_seconds=N`` into libpq's part and greeter's."""
    shown = redact(url)
    try:
        conninfo, own = take_params(url, ("schema", "lease_seconds"))
        schema = own.get("schema")
        if schema is not None:
            check_identifier(schema, "schema")
        lease = _lease(own.get("lease_seconds"))
    except ValueError as exc:
        raise JournalError(f"journal {shown}: storage.url: {exc}") from None
    return PgTarget(conninfo, shown, schema, lease)


def _lease(text: str | None) -> timedelta:
    """``lease_seconds=N`` as a lease; ValueError naming the parameter if N is no positive number."""
    if text is None:
        return DEFAULT_LEASE
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"lease_seconds={text!r} is not a number of seconds (e.g. 600)") from None
    if not seconds > 0:  # NaN fails this too
        raise ValueError(f"lease_seconds={text!r} must be positive")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:  # inf, 1e300
        raise ValueError(f"lease_seconds={text!r} is too large") from None


def advisory_key(*parts: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_*lock`` (the same in every process and version)."""
    digest = hashlib.blake2b("\x1f".join(("greeter", *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


#: How long a journal statement waits for a lock another session holds (a ``LOCK TABLE``, a
#: long ``ALTER``, another daemon's contact lock) before it fails as "journal unavailable":
#: without it a claim waited for as long as the lock was held, and the daemon with it.
LOCK_TIMEOUT = "5s"
#: How long one journal statement may run at all (a server that hangs, a disk that stalls):
#: far above any statement greeter makes (milliseconds), far below a lease.
STATEMENT_TIMEOUT = "30s"

#: Set only the limits the session does not have yet (``0``: none): one an operator gave in the
#: URL (``options=-clock_timeout%3D2s``), for the role or database (``ALTER ROLE … SET``) or in
#: ``postgresql.conf`` wins over greeter's defaults.
_LIMITS = (
    "SELECT CASE WHEN current_setting('lock_timeout') = '0'"
    " THEN set_config('lock_timeout', %(lock)s, false) END,"
    " CASE WHEN current_setting('statement_timeout') = '0'"
    " THEN set_config('statement_timeout', %(statement)s, false) END"
)


def configure(conn: psycopg.Connection[Any], schema: str | None) -> None:
    """Per connection: UTC session time zone (aware UTC datetimes back), the journal's schema, and
    limits on waiting (:data:`LOCK_TIMEOUT`, :data:`STATEMENT_TIMEOUT`).

    A statement that hits a limit fails with SQLSTATE 55P03 (lock) or 57014
    (cancelled), which :func:`~greeter.journal_pg_base.pg_journal_error` makes a
    :class:`~greeter.errors.JournalUnavailableError`: a send exits 75 and a
    daemon treats it as an outage, instead of waiting forever.
    """
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute(_LIMITS, {"lock": LOCK_TIMEOUT, "statement": STATEMENT_TIMEOUT})
    if schema is not None:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))


def _current_schema(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT current_schema()").fetchone()
    if row is None or row[0] is None:
        raise JournalError(
            "no schema to keep the journal in (search_path names none that exists, or none this role"
            " has USAGE on)"
        )
    return str(row[0])


def _existing(conn: psycopg.Connection[Any], schema: str) -> set[str]:
    """The journal's relations present in ``schema``, from the catalog.

    Not ``information_schema.tables``, which lists only the tables the role
    holds a privilege on: a role with none would read a journal as missing
    and try to create it.
    """
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname = ANY(%s)",
        (schema, [*TABLES, "schema_version"]),
    ).fetchall()
    return {r[0] for r in rows}


def _schema_exists(conn: psycopg.Connection[Any], schema: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None


def _version(conn: psycopg.Connection[Any], schema: str) -> int | None:
    """The journal's schema version in ``schema``; None when there is no journal (no ``schema_version``).

    Refuses a schema holding journal-named tables without ``schema_version``
    ("not ours"). The ledger is named with its schema: a role without
    ``USAGE`` gets "permission denied for schema", not "does not exist".
    """
    found = _existing(conn, schema)
    if "schema_version" not in found:
        if found:
            raise JournalError(
                f"not a greeter journal (schema {schema} has tables named {', '.join(sorted(found))}"
                " but no schema_version)"
            )
        return None
    ledger = sql.Identifier(schema, "schema_version")
    row = conn.execute(sql.SQL("SELECT COALESCE(MAX(version), 0) FROM {}").format(ledger)).fetchone()
    return int(row[0]) if row else 0


def _up_to_date(version: int | None, latest: int) -> bool:
    """Whether a journal at ``version`` needs no migration; a newer one is refused
    (:class:`~greeter.errors.JournalNewerError`, exit 75: on a shared journal, a rolling upgrade
    that has not reached this machine yet — the words of :func:`~greeter.journal_sql.run_migrations`,
    which such a journal no longer reaches, and what to do)."""
    if version is not None and version > latest:  # exit 75: a rolling upgrade has not reached here yet
        raise JournalNewerError(None, version, latest)
    return version == latest


def _refused(conn: psycopg.Connection[Any], schema: str, exc: psycopg.Error) -> JournalError:
    """The server's "permission denied" and what the role lacks, with the GRANT that gives it
    (:func:`~greeter.journal_pg_grants.grants_problem`): exit 2, a setting to fix.

    ``conn`` in autocommit, its failed transaction (if any) rolled back. If
    the privileges cannot be read either, the server's words alone.
    """
    from greeter.journal_pg_grants import grants_problem, read_grants

    said = exc.diag.message_primary or str(exc)
    with suppress(psycopg.Error):
        grants = read_grants(conn, schema, (*TABLES, "schema_version"))
        readable = grants.usage and "SELECT" in grants.tables.get("schema_version", frozenset())
        version = _version(conn, schema) if readable else None
        problem = grants_problem(
            grants, version=version, latest=len(MIGRATIONS), changes=changed_tables(version)
        )
        if problem is not None:
            said += f": {problem}"
    return JournalError(said)


def migrate(
    conn: psycopg.Connection[Any],
    *,
    schema: str | None,
    now: datetime,
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> int:
    """Bring the schema up to ``migrations`` (idempotent); return the version now in force.

    ``conn`` must be in autocommit mode. A schema written by a newer greeter,
    or one holding journal-named tables without ``schema_version``, is
    refused rather than "repaired".

    A journal already at the current version is only read: no lock, no DDL,
    so a runtime role with ``USAGE`` and DML alone opens it (the owner
    migrates). Otherwise the migration runs under the advisory lock, which
    makes two first opens at once safe: the second waits, reads again, and
    finds nothing to do. The schema is created only when ``pg_namespace``
    has none of that name.
    """
    latest = len(migrations)
    target = schema if schema is not None else _current_schema(conn)
    try:
        if (schema is None or _schema_exists(conn, schema)) and _up_to_date(_version(conn, target), latest):
            return latest
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("migrate", target),))
            if schema is not None and not _schema_exists(conn, schema):
                # Only when missing: PostgreSQL checks the database's CREATE privilege before it
                # sees that the schema exists, so a schema a DBA made in advance was refused.
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            if _up_to_date(_version(conn, target), latest):  # another greeter migrated it meanwhile
                return latest
            return run_migrations(conn, migrations, version_table=_VERSION_TABLE, mark="%s", applied_at=now)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise _refused(conn, target, exc) from None


def inspect(conn: psycopg.Connection[Any], schema: str | None = None) -> int | None:
    """The schema version in ``schema`` (default: the connection's ``current_schema()``), or None if no
    journal is there yet."""
    if schema is None:
        row = conn.execute("SELECT current_schema()").fetchone()
        if row is None or row[0] is None:
            return None
        schema = str(row[0])
    if "schema_version" not in _existing(conn, schema):
        return None
    try:
        return _version(conn, schema)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise _refused(conn, schema, exc) from None


def row_to_entry(row: dict[str, Any]) -> JournalEntry:
    """A ``greetings`` row (``dict_row``) as the backend-neutral :class:`JournalEntry`.

    psycopg already returns ``date``, aware ``datetime`` and the ``jsonb`` list: nothing to decode.
    """
    return entry_from_row(row)
