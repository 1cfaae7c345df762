"""Contacts straight from a CRM database: PostgreSQL (psycopg 3) or MariaDB/MySQL (PyMySQL).

The query's result is turned into what a CSV export would hold — a header
(the result's column names) and rows of text cells — so the same
:class:`~greeter.sources.rows.RowParser` applies the same column mapping,
validation and per-row problems as for CSV and XLSX. The header is row 0 and
the first result row is row 1: a problem's "row N" is the N-th row the query
returned (there is no file line to point at).

Both drivers stream: PostgreSQL through a server-side (named) cursor fetched
:data:`FETCH_ROWS` at a time, MariaDB through PyMySQL's unbuffered
``SSCursor``; a million-row CRM never sits in memory, only one batch does.

Every failure is a :class:`ContactsError` whose one-line message names the
URL without its password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from greeter.db_url import one_line, redact, split_schema
from greeter.errors import ContactsError

if TYPE_CHECKING:  # the drivers are imported only when an SQL source is used
    import psycopg
    import pymysql.connections

__all__ = ["FETCH_ROWS", "read_rows", "server_version", "to_text"]

#: Rows per round trip: large enough that latency does not dominate, small enough to be cheap in memory.
FETCH_ROWS = 2000
CONNECT_TIMEOUT = 10
_PG_SCHEMES = ("postgresql", "postgres")
_MYSQL_SCHEMES = ("mysql", "mariadb")


def to_text(value: object, zone: tzinfo | None = None) -> str:
    """A database value as the text a CSV export would have.

    NULL → ``""``; dates (and datetimes) → ISO ``YYYY-MM-DD``, which the row
    parser always accepts for SQL sources; ``42.0`` → ``"42"``; binary strings
    are decoded as UTF-8. An aware datetime (PostgreSQL's ``timestamptz``, which
    the driver gives in the session's time zone, UTC on most servers) is a
    moment: its day is the day in ``zone`` (``defaults.timezone``) — midnight in
    Moscow is still the evening before in UTC. A plain ``timestamp`` keeps its day.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _cells(row: tuple[Any, ...], zone: tzinfo | None = None) -> list[str]:
    return [v if type(v) is str else to_text(v, zone) for v in row]


def _scheme(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in _PG_SCHEMES or scheme in _MYSQL_SCHEMES:
        return scheme
    raise ContactsError(
        f"{redact(url)}: unsupported contacts database URL; use postgresql://… or mysql://… (mariadb://…)"
    )


def read_rows(url: str, query: str, zone: tzinfo | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(0, column names)`` and then ``(n, cells)`` for the n-th row of ``query``.

    ``zone``: the time zone whose day a ``timestamptz`` value is (see :func:`to_text`).
    """
    if _scheme(url) in _PG_SCHEMES:
        return _pg_rows(url, query, zone)
    return _mysql_rows(url, query)


def server_version(url: str) -> str:
    """Connect and name the server ("PostgreSQL 15.2", "MariaDB 10.11.6") — for ``greeter check``."""
    if _scheme(url) in _PG_SCHEMES:
        conn = _pg_connect(url)
        try:
            number = conn.info.server_version
            return f"PostgreSQL {number // 10000}.{number % 10000}"
        finally:
            conn.close()
    import pymysql

    my = _mysql_connect(url)
    try:
        with my.cursor() as cur:
            cur.execute("SELECT VERSION()")
            row = cur.fetchone()
        version = str(row[0]) if row else "unknown"
        return f"{'MariaDB' if 'mariadb' in version.lower() else 'MySQL'} {version.split('-')[0]}"
    except pymysql.Error as exc:
        raise ContactsError(f"{redact(url)}: {_mysql_message(exc, url)}") from None
    finally:
        my.close()


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    """A read-only connection (a contacts query has no business changing the CRM)."""
    import psycopg
    from psycopg import sql

    shown = redact(url)
    try:
        conninfo, schema = split_schema(url)
    except ValueError as exc:
        raise ContactsError(f"{shown}: {exc}") from None
    try:
        conn = psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise ContactsError(f"{shown}: cannot connect: {one_line(exc, url)}") from None
    try:
        conn.read_only = True
        if schema is not None:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    except psycopg.Error as exc:
        conn.close()
        raise ContactsError(f"{shown}: {_pg_message(exc, url)}") from None
    return conn


def _pg_message(exc: psycopg.Error, url: str) -> str:
    """The server's primary message (without the ``LINE 1: DECLARE …`` context), or the driver's."""
    return one_line(exc.diag.message_primary or exc, url)


def _pg_rows(url: str, query: str, zone: tzinfo | None) -> Iterator[tuple[int, list[str]]]:
    import psycopg

    shown = redact(url)
    conn = _pg_connect(url)
    number = 0
    try:
        with conn.cursor(name="greeter_contacts") as cur:
            cur.itersize = FETCH_ROWS
            try:
                cur.execute(query)
            except psycopg.Error as exc:
                raise ContactsError(f"{shown}: the contacts query failed: {_pg_message(exc, url)}") from None
            if cur.description is None:
                raise ContactsError(f"{shown}: the contacts query returns no rows (is it a SELECT?)")
            yield 0, [col.name for col in cur.description]
            try:
                for row in cur:
                    number += 1
                    yield number, _cells(row, zone)
            except psycopg.Error as exc:
                raise ContactsError(
                    f"{shown}: reading contacts failed after row {number}: {_pg_message(exc, url)}"
                ) from None
    except psycopg.Error as exc:  # closing the cursor on a connection that broke
        raise ContactsError(f"{shown}: {_pg_message(exc, url)}") from None
    finally:
        conn.close()


# --- MariaDB / MySQL ---------------------------------------------------------------------------

_MYSQL_PARAMS = ("charset", "unix_socket", "connect_timeout")


def _mysql_connect(url: str) -> pymysql.connections.Connection[Any]:
    import pymysql

    shown = redact(url)
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    unknown = sorted(set(params) - set(_MYSQL_PARAMS))
    if unknown:
        raise ContactsError(
            f"{shown}: unknown URL parameter {unknown[0]!r} (supported: {', '.join(_MYSQL_PARAMS)})"
        )
    try:
        port = parts.port or 3306
        timeout = int(params.get("connect_timeout", CONNECT_TIMEOUT))
    except ValueError as exc:
        raise ContactsError(f"{shown}: {exc}") from None
    try:
        return pymysql.connect(
            host=parts.hostname or "localhost",
            port=port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            database=unquote(parts.path.lstrip("/")) or None,
            charset=params.get("charset", "utf8mb4"),
            unix_socket=params.get("unix_socket"),
            connect_timeout=timeout,
        )
    except pymysql.Error as exc:
        raise ContactsError(f"{shown}: cannot connect: {_mysql_message(exc, url)}") from None


def _mysql_message(exc: BaseException, url: str) -> str:
    """PyMySQL errors are ``(code, message)`` tuples; show the message and the code."""
    args = exc.args
    if len(args) == 2 and isinstance(args[0], int):
        return f"{one_line(args[1], url)} (error {args[0]})"
    return one_line(exc, url)


def _mysql_rows(url: str, query: str) -> Iterator[tuple[int, list[str]]]:
    import pymysql
    import pymysql.cursors

    shown = redact(url)
    conn = _mysql_connect(url)
    cur = conn.cursor(pymysql.cursors.SSCursor)  # unbuffered: rows come off the socket as we go
    number = 0
    drained = False
    try:
        try:
            cur.execute(query)
        except pymysql.Error as exc:
            raise ContactsError(f"{shown}: the contacts query failed: {_mysql_message(exc, url)}") from None
        if cur.description is None:
            raise ContactsError(f"{shown}: the contacts query returns no rows (is it a SELECT?)")
        yield 0, [str(col[0]) for col in cur.description]
        try:
            while batch := cur.fetchmany(FETCH_ROWS):
                for row in batch:
                    number += 1
                    yield number, _cells(row)
        except pymysql.Error as exc:
            raise ContactsError(
                f"{shown}: reading contacts failed after row {number}: {_mysql_message(exc, url)}"
            ) from None
        drained = True
    finally:
        _close_mysql(conn, cur, drained=drained)


def _close_mysql(conn: pymysql.connections.Connection[Any], cur: Any, *, drained: bool) -> None:
    """Close cursor and connection; an unfinished result is dropped, not read to its end.

    PyMySQL can end an unbuffered result only by reading every remaining row
    (seconds for a big table when, say, the header lacks a column). Closing
    the socket drops them; the result object is then told it is finished, or
    its finaliser would try to read from the closed socket.
    """
    import pymysql

    if not drained:
        result = getattr(conn, "_result", None)
        with contextlib.suppress(pymysql.Error):
            conn.close()
        if result is not None:
            result.unbuffered_active = False
    with contextlib.suppress(pymysql.Error):
        cur.close()
    if drained:
        with contextlib.suppress(pymysql.Error):
            conn.close()
