"""The contacts query on PostgreSQL (psycopg 3): connect, stream the rows, say what went wrong.

:func:`pg_rows` is :func:`greeter.sources.sql_source.read_rows` for a
``postgresql://`` URL: a read-only session bounded by
``contacts.query_timeout_seconds``, the query's rows fetched
:data:`~greeter.sources.sql_source.FETCH_ROWS` at a time through a
server-side cursor, dates Python cannot hold kept as the server's text, and
every failure a :class:`ContactsError` naming the URL without its password
(:class:`ContactsUnavailableError` when the server may answer later).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from greeter.db_url import one_line, redact, split_schema
from greeter.errors import ContactsError, ContactsUnavailableError, QueryError
from greeter.sources.sql_source import (
    CONNECT_TIMEOUT,
    FETCH_ROWS,
    ONE_STATEMENT,
    QUERY_TIMEOUT,
    bare_name_hint,
    cells,
    several_statements,
)

if TYPE_CHECKING:  # psycopg is imported only when a PostgreSQL source is used
    import psycopg
    from psycopg.adapt import Loader

__all__ = ["PgLimit", "libpq_text", "pg_rows", "pg_server_version", "query_place"]


#: The columns whose type cannot hold every id as written: PostgreSQL's float4 and float8 (by OID)…
_PG_FLOATS = {700: "real", 701: "double precision"}
#: …and numeric (OID 1700) with a scale above 0.
_PG_NUMERIC = 1700


def _pg_lossy(description: Any) -> dict[int, str]:
    """The position and type of each column of ``cursor.description`` that cannot hold an id as written."""
    found: dict[int, str] = {}
    for i, col in enumerate(description):
        if col.type_code in _PG_FLOATS:
            found[i] = _PG_FLOATS[col.type_code]
        elif col.type_code == _PG_NUMERIC and (col.scale or 0) > 0:
            found[i] = f"numeric({col.precision},{col.scale})"
    return found


def libpq_text(message: str) -> str:
    """libpq's lines as sentences: "…Connection refused. Is the server running…?" (was run together)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    for line in lines[1:]:
        text += (" " if text.endswith((".", "?", "!", ":", ";")) else ". ") + line
    return text


def _pg_error(
    message: str, exc: psycopg.Error, refused: type[ContactsError] = ContactsError
) -> ContactsError:
    """``exc`` as :class:`ContactsUnavailableError` (exit 75) when the server may answer later
    (:func:`greeter.journal_pg_base.pg_operational`, the journal's rule), else ``refused``."""
    from greeter.journal_pg_base import pg_operational

    return (ContactsUnavailableError if pg_operational(exc) else refused)(message)


@functools.cache
def _lenient_loaders() -> dict[int, type[Loader]]:
    """Loaders for PostgreSQL's date and timestamp types that give a value Python cannot hold as its text.

    psycopg's own raise ``DataError`` for ``'infinity'``, ``'-infinity'`` and
    dates BC or after 9999 — and that fails the whole fetch, so one odd row
    in the CRM stopped every contact loading. Given as the text the server
    wrote, such a value is one row's date problem; every other value loads as
    before (a ``timestamptz`` still in the session's zone, for :func:`~greeter.sources.sql_source.to_text`).
    """
    import psycopg
    from psycopg.types import datetime as pgdt

    def keep_text(base: type[Loader]) -> type[Loader]:
        def load(self: Loader, data: Any) -> Any:
            try:
                return base.load(self, data)
            except psycopg.DataError:
                return bytes(data).decode("utf-8", errors="replace")

        return type(f"Lenient{base.__name__}", (base,), {"load": load})

    types = psycopg.postgres.types
    return {
        types["date"].oid: keep_text(pgdt.DateLoader),
        types["timestamp"].oid: keep_text(pgdt.TimestampLoader),
        types["timestamptz"].oid: keep_text(pgdt.TimestamptzLoader),
    }


#: One batch of the contacts query's portal (psycopg's named cursor declares it under this name).
_FETCH = f'FETCH FORWARD {FETCH_ROWS} FROM "greeter_contacts"'


def _lenient_batch(fetch: psycopg.Cursor[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``fetch``'s last result, dates and timestamps by :func:`_lenient_loaders`.

    Called only for a batch the driver's own loaders refused (an ``'infinity'``
    date): the result is still in ``fetch.pgresult``, so it is loaded again
    column by column, each by the loader psycopg would use but for the three
    date types, without asking the server for it again.
    """
    from psycopg import pq

    res = fetch.pgresult
    assert res is not None  # fetchall() just failed on it
    lenient = _lenient_loaders()
    loaders = []
    for col in range(res.nfields):
        oid, fmt = res.ftype(col), pq.Format(res.fformat(col))
        cls = lenient.get(oid) or fetch.adapters.get_loader(oid, fmt) or fetch.adapters.get_loader(0, fmt)
        loaders.append(cls(oid, fetch) if cls is not None else None)
    rows = []
    for n in range(res.ntuples):
        row = []
        for col, loader in enumerate(loaders):
            value = res.get_value(n, col)
            if value is None or loader is None:
                row.append(None if value is None else bytes(value).decode("utf-8", errors="replace"))
            else:
                row.append(loader.load(value))
        rows.append(tuple(row))
    return rows


def _pg_connect(url: str, password: str | None = None) -> psycopg.Connection[tuple[Any, ...]]:
    """A read-only connection (a contacts query has no business changing the CRM).

    ``password`` (``contacts.password_env``'s) wins over the URL's and libpq's
    ``PGPASSWORD``/``~/.pgpass``: the variable the config names is the one meant.
    """
    import psycopg
    from psycopg import sql

    shown = redact(url)
    try:
        conninfo, schema = split_schema(url)
    except ValueError as exc:
        raise ContactsError(f"{shown}: {exc}") from None
    try:
        if password is None:
            conn = psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT)
        else:
            conn = psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT, password=password)
    except psycopg.Error as exc:
        raise _pg_error(f"{shown}: cannot connect: {one_line(libpq_text(str(exc)), url)}", exc) from None
    try:
        conn.read_only = True
        if schema is not None:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    except psycopg.Error as exc:
        conn.close()
        raise _pg_error(f"{shown}: {_pg_message(exc, url)}", exc) from None
    return conn


def pg_server_version(url: str, password: str | None = None) -> str:
    """Connect and name the server ("PostgreSQL 15.2") — :func:`greeter.sources.sql_source.server_version`."""
    conn = _pg_connect(url, password)
    try:
        number = conn.info.server_version
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    finally:
        conn.close()


def _pg_message(exc: psycopg.Error, url: str) -> str:
    """The server's primary message (without the ``LINE 1: DECLARE …`` context), or the driver's."""
    return one_line(exc.diag.message_primary or libpq_text(str(exc)), url)


#: SQLSTATEs of a query naming a relation that is not there, and of a query that does not parse.
_UNDEFINED_TABLE = "42P01"
_SYNTAX_ERROR = "42601"
#: What psycopg's named cursor puts before the query (``ServerCursor._make_declare_statement``): the
#: server's error position counts from the start of this statement, not of ``contacts.query``.
_DECLARE = 'DECLARE "greeter_contacts" CURSOR FOR '


def query_place(query: str, position: int) -> str:
    """``"line 3, column 8 of the query"`` for the 0-based character ``position`` in ``query``.

    PostgreSQL gives where in the statement it stopped as a character count,
    which a query of 20 lines in greeter.yaml does not show; lines and
    columns do (as MariaDB's own "at line 3" does).
    """
    before = query[:position]
    line = before.count("\n") + 1
    column = position - before.rfind("\n")  # rfind is -1 on the first line: columns count from 1
    return f"line {line}, column {column} of the query"


def _pg_position(query: str, exc: psycopg.Error) -> str:
    """``" (line 1, column 380 of the query)"`` where the server says where it stopped, else ``""``."""
    said = exc.diag.statement_position
    if said is None or not said.isdigit():
        return ""
    at = int(said) - 1 - len(_DECLARE)
    return f" ({query_place(query, at)})" if 0 <= at <= len(query) else ""


def _query_failed(
    conn: psycopg.Connection[Any], url: str, query: str, exc: psycopg.Error, limit: PgLimit
) -> ContactsError:
    """The error for a contacts query the server refused, with what is behind it when we can tell.

    A table name alone gets the ``SELECT * FROM`` it lacks; several statements
    are told that the setting holds one; a relation not
    found while the URL's ``?schema=`` names a schema that does not exist
    says so (with the nearest schema there is), since the ``search_path`` set
    to it was silently empty; a timeout names its setting (:func:`_timeout_hint`).
    """
    said = f"{redact(url)}: the contacts query failed: {_pg_message(exc, url)}{_pg_position(query, exc)}"
    if exc.sqlstate == _SYNTAX_ERROR:
        said += ONE_STATEMENT if several_statements(query) else bare_name_hint(query)
    elif exc.sqlstate == _UNDEFINED_TABLE:
        said += _missing_schema(conn, url)
    return _pg_error(said + _timeout_hint(exc, limit), exc, QueryError)


#: query_canceled: a statement stopped by ``statement_timeout`` (or by a DBA's ``pg_cancel_backend``).
_CANCELED = "57014"


@dataclass(frozen=True, slots=True)
class PgLimit:
    """The session's ``statement_timeout`` as the server shows it (``"5min"``), and who set it."""

    shown: str
    #: ``contacts.query_timeout_seconds`` set it; False: the URL's options, the role or the server did.
    ours: bool


def _timeout_hint(exc: psycopg.Error, limit: PgLimit) -> str:
    """What stopped a statement the server cancelled for its timeout, and where to look; else ``""``.

    The server says only "canceling statement due to statement timeout": not
    which setting, nor that the usual cause of a plain SELECT running out of
    time is a lock it waited for (an ``ALTER TABLE`` holds one until it commits).
    """
    if exc.sqlstate != _CANCELED or "user request" in (exc.diag.message_primary or ""):
        return ""
    if limit.ours:
        who, slow = "contacts.query_timeout_seconds", "raise contacts.query_timeout_seconds"
    else:  # contacts.query_timeout_seconds applies only to a session without a bound
        who = "set by the URL's options, the role or the server, not contacts.query_timeout_seconds"
        slow = "raise the statement_timeout set there"
    return (
        f"; it ran into the session's statement_timeout ({limit.shown}, {who}): a lock held on the"
        " table (an ALTER TABLE, VACUUM FULL or another transaction left open; see pg_locks) may be"
        f" what it waited for; if the query is only slow, {slow}"
    )


def _missing_schema(conn: psycopg.Connection[Any], url: str) -> str:
    """``"; the URL's schema 'x' does not exist…"`` when that schema is not in the database, else ``""``."""
    import psycopg

    schema = split_schema(url)[1]
    if schema is None:
        return ""
    try:
        conn.rollback()  # the failed query ended the transaction
        names = [str(r[0]) for r in conn.execute("SELECT nspname FROM pg_namespace").fetchall()]
    except psycopg.Error:
        return ""
    if schema in names:
        return ""
    close = difflib.get_close_matches(schema, names, n=1)
    guess = f", did you mean {close[0]!r}?" if close else ""
    return f"; the URL's schema {schema!r} does not exist in this database{guess}"


#: Sets ``statement_timeout`` unless the session has one (journal_pg_schema's rule); NULL when it has.
_PG_LIMIT = (
    "SELECT CASE WHEN current_setting('statement_timeout') = '0'"
    " THEN set_config('statement_timeout', %s, false) END, current_setting('statement_timeout')"
)


def _pg_limit(conn: psycopg.Connection[Any], timeout: int) -> PgLimit:
    """Bound the session by ``timeout`` seconds unless it is bounded already; the bound it has now."""
    row = conn.execute(_PG_LIMIT, (f"{timeout}s",)).fetchone()
    assert row is not None  # a SELECT without FROM returns one row
    return PgLimit(str(row[0]), True) if row[0] is not None else PgLimit(str(row[1]), False)


def pg_rows(
    url: str,
    query: str,
    zone: tzinfo | None,
    password: str | None = None,
    timeout: int = QUERY_TIMEOUT,
    lossy: dict[int, str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    import psycopg

    shown = redact(url)
    conn = _pg_connect(url, password)
    number = 0
    try:
        # Each statement (the DECLARE, each FETCH) is bounded, lock waits included: a cancelled one is
        # query_canceled (57014), temporary by pg_operational's rule. As for the journal, a limit the
        # URL's options, the role or postgresql.conf already set wins.
        limit = _pg_limit(conn, timeout)
        with conn.cursor(name="greeter_contacts") as cur:
            cur.itersize = FETCH_ROWS
            try:
                cur.execute(query)
            except psycopg.Error as exc:
                raise _query_failed(conn, url, query, exc, limit) from None
            if cur.description is None:
                raise QueryError(f"{shown}: the contacts query returns no rows (is it a SELECT?)")
            if lossy is not None:
                lossy.update(_pg_lossy(cur.description))
            yield 0, [col.name for col in cur.description]
            # The portal is FETCHed through a client-side cursor so that a batch psycopg's fast
            # (C) loaders cannot load is still there to load again leniently (_lenient_batch):
            # lenient loaders for every batch cost a million-row CRM ~3.5 µs per date cell.
            fetch = conn.cursor()
            try:
                while True:
                    fetch.execute(_FETCH)
                    try:
                        rows: list[tuple[Any, ...]] = fetch.fetchall()
                    except psycopg.DataError:
                        rows = _lenient_batch(fetch)
                    if not rows:
                        break
                    for row in rows:
                        number += 1
                        yield number, cells(row, zone)
            except psycopg.Error as exc:
                said = f"{shown}: reading contacts failed after row {number}: {_pg_message(exc, url)}"
                raise _pg_error(said + _timeout_hint(exc, limit), exc, QueryError) from None
    except psycopg.Error as exc:  # closing the cursor on a connection that broke
        raise _pg_error(f"{shown}: {_pg_message(exc, url)}", exc) from None
    finally:
        conn.close()
