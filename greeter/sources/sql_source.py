"""Contacts straight from a CRM database: PostgreSQL (psycopg 3) or MariaDB/MySQL (PyMySQL).

The query's result is turned into what a CSV export would hold — a header
(the result's column names) and rows of text cells — so the same
:class:`~greeter.sources.rows.RowParser` applies the same column mapping,
validation and per-row problems as for CSV and XLSX. The header is row 0 and
the first result row is row 1: a problem's "row N" is the N-th row the query
returned (there is no file line to point at), shown beside the row's contact
id (:class:`~greeter.sources.ContactRowProblem`), which the CRM can look up.

Both drivers stream: PostgreSQL through a server-side (named) cursor fetched
:data:`FETCH_ROWS` at a time, MariaDB through PyMySQL's unbuffered
``SSCursor``; a million-row CRM never sits in memory, only one batch does.

Every failure is a :class:`ContactsError` whose one-line message names the
URL without its password; one the same command may get past later (the
server down or not answering, a connection lost, too many connections) is a
:class:`ContactsUnavailableError`, exit 75 like an unreachable journal.

The password is the URL's, or — kept out of the config — the one in the
environment variable ``contacts.password_env`` names (as ``delivery.smtp.password_env``
for the SMTP password), or libpq's own ``PGPASSWORD`` / ``~/.pgpass`` / ``?passfile=``
for PostgreSQL and MySQL's option file ``?read_default_file=`` for MariaDB.
MariaDB's TLS is asked for with libpq's words, ``?sslmode=require|verify-ca|verify-full``
(and ``?ssl_ca=`` for the CA), so one vocabulary serves both databases.

A value the driver cannot turn into a Python value — PostgreSQL's
``'infinity'`` or ``'0044-03-15 BC'`` date, which :class:`datetime.date`
cannot hold — comes through as the text the server wrote, so the row parser
reports that one row instead of the whole fetch failing. An array column
(``text[]`` tags) becomes its elements joined by ``", "``, as a CSV export
lists several values in one cell.

Each session is bounded by ``contacts.query_timeout_seconds``: a table locked
elsewhere stops the query as unavailable (exit 75), where it waited a day.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from greeter.db_url import one_line, redact, split_schema
from greeter.errors import ConfigError, ContactsError, ContactsUnavailableError, QueryError
from greeter.secret_values import read_password

if TYPE_CHECKING:  # the drivers are imported only when an SQL source is used
    import psycopg
    import pymysql.connections
    from psycopg.adapt import Loader

__all__ = [
    "FETCH_ROWS",
    "is_postgresql",
    "lossy_id_warning",
    "read_rows",
    "server_version",
    "several_rows_hint",
    "to_text",
]

#: Rows per round trip: large enough that latency does not dominate, small enough to be cheap in memory.
FETCH_ROWS = 2000
CONNECT_TIMEOUT = 10
#: ``contacts.query_timeout_seconds``'s default: how long the contacts query may wait for a lock or run.
QUERY_TIMEOUT = 300
_PG_SCHEMES = ("postgresql", "postgres")
_MYSQL_SCHEMES = ("mysql", "mariadb")
#: How the elements of an array value are joined into one cell: the separator the tags column splits at.
ARRAY_SEPARATOR = ", "


def to_text(value: object, zone: tzinfo | None = None) -> str:
    """A database value as the text a CSV export would have.

    NULL → ``""``; dates (and datetimes) → ISO ``YYYY-MM-DD``, which the row
    parser always accepts for SQL sources; ``42.0`` → ``"42"``; binary strings
    are decoded as UTF-8; an array (``text[]``, nested too) → its non-NULL
    elements joined by :data:`ARRAY_SEPARATOR` — ``{23feb,8mar}`` is the tags
    ``23feb, 8mar``, not the Python text ``['23feb', '8mar']``. An aware datetime
    (PostgreSQL's ``timestamptz``, which the driver gives in the session's time zone, UTC on
    most servers; a MariaDB/MySQL ``TIMESTAMP``, read in UTC and made aware by :func:`_mysql_row`)
    is a moment: its day is the day in ``zone`` (``defaults.timezone``) — midnight in Moscow is
    still the evening before in UTC. A plain ``timestamp`` (``DATETIME``) keeps its day.
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_SEPARATOR.join(text for item in value if (text := to_text(item, zone)))
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


def is_postgresql(url: str) -> bool:
    """Whether the contacts URL names a PostgreSQL server (whose unquoted names are folded to lower case)."""
    return url.split("://", 1)[0].lower() in _PG_SCHEMES if "://" in url else False


def _scheme(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in _PG_SCHEMES or scheme in _MYSQL_SCHEMES:
        return scheme
    raise ContactsError(
        f"{redact(url)}: unsupported contacts database URL; use postgresql://… or mysql://… (mariadb://…)"
    )


def read_rows(
    url: str,
    query: str,
    zone: tzinfo | None = None,
    password_env: str | None = None,
    timeout: int = QUERY_TIMEOUT,
    lossy: dict[int, str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(0, column names)`` and then ``(n, cells)`` for the n-th row of ``query``.

    ``zone``: the time zone whose day a ``timestamptz`` value is (see :func:`to_text`).
    ``password_env``: ``contacts.password_env``, the variable holding the password.
    ``timeout``: ``contacts.query_timeout_seconds``, the session's bound on waiting and running.
    ``lossy``: filled, once the header is yielded, with the position and type of each column
    whose type cannot give an id back as the CRM wrote it (:func:`lossy_id_warning`): judged
    from the result's column types, which only the driver knows — the cells are text by then.
    """
    scheme = _scheme(url)
    refused = statement_problem(query)
    if refused is not None:
        raise QueryError(f"{redact(url)}: {refused}")
    password = env_password(url, password_env)
    if scheme in _PG_SCHEMES:
        return _pg_rows(url, query, zone, password, timeout, lossy)
    return _mysql_rows(url, query, zone, password, timeout, lossy)


def server_version(url: str, password_env: str | None = None) -> str:
    """Connect and name the server ("PostgreSQL 15.2", "MariaDB 10.11.6") — for ``greeter check``."""
    scheme = _scheme(url)
    password = env_password(url, password_env)
    if scheme in _PG_SCHEMES:
        conn = _pg_connect(url, password)
        try:
            number = conn.info.server_version
            return f"PostgreSQL {number // 10000}.{number % 10000}"
        finally:
            conn.close()
    import pymysql

    my = _mysql_connect(url, password)
    try:
        with my.cursor() as cur:
            cur.execute("SELECT VERSION()")
            row = cur.fetchone()
        version = str(row[0]) if row else "unknown"
        return f"{'MariaDB' if 'mariadb' in version.lower() else 'MySQL'} {version.split('-')[0]}"
    except pymysql.Error as exc:
        raise _mysql_error(f"{redact(url)}: {_mysql_message(exc, url)}", exc) from None
    finally:
        my.close()


def env_password(url: str, password_env: str | None) -> str | None:
    """The password in the variable ``contacts.password_env`` names, or None when it names none.

    Read as the SMTP password is (:func:`greeter.secret_values.read_password`): unset or
    empty is an error naming the variable, never a login without a password.
    A :class:`ContactsError` (exit 2), so ``greeter check`` shows it as the
    contacts database's problem. The value never reaches a message.
    """
    if password_env is None:
        return None
    try:
        return read_password(password_env, None, "contacts.password_env")
    except ConfigError as exc:
        raise ContactsError(f"{redact(url)}: {exc.problems[0].message}") from None


# --- What the query is -------------------------------------------------------------------------

#: Comments and opening parentheses before a statement's first word.
_LEAD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.DOTALL)
_WORD = re.compile(r"\w+")
#: First words of statements that change the CRM or its schema: never a contacts query. Refused
#: before the server sees them — PostgreSQL's read-only session would refuse them too, but a
#: MariaDB session is not read-only, and its DDL commits at once.
_CHANGING = frozenset(
    {"insert", "update", "delete", "merge", "replace", "upsert", "drop", "create", "alter", "truncate"}
    | {"grant", "revoke", "rename"}
)
#: A query that is only a table or view name (``clients_v``, ``crm.clients``, ``"Клиенты"``).
_BARE_NAME = re.compile(r'(?:[^\W\d]\w*|"[^"]+"|`[^`]+`)(?:\.(?:[^\W\d]\w*|"[^"]+"|`[^`]+`))?')


def statement_problem(query: str) -> str | None:
    """Why ``query`` cannot be a contacts query, judged by its first word — or None.

    An ``UPDATE`` returns no rows: the old "(is it a SELECT?)" came only after
    the server had run it (MariaDB) or failed with a syntax error of the
    cursor it was wrapped in (PostgreSQL), and MariaDB commits a ``DROP``.
    """
    first = _WORD.match(_LEAD.sub("", query, count=1))
    word = first[0].lower() if first else ""
    if word in _CHANGING:
        return (
            f"the contacts query is an {word.upper()} statement, not a SELECT: contacts.query must return the"
            " contacts' rows (greeter never changes the CRM)"
        )
    return None


def _bare_name_hint(query: str) -> str:
    """``"; … write SELECT * FROM clients_v"`` when the query is only a table name, else ``""``."""
    name = query.strip().rstrip(";").strip()
    if _BARE_NAME.fullmatch(name) and name.lower() not in ("select", "table", "values", "with"):
        return f"; contacts.query is a table name, not a query: write SELECT * FROM {name}"
    return ""


#: What is not SQL code in a query: quoted texts and names, and comments — a ';' in them separates nothing.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|--[^\n]*|/\*.*?\*/", re.DOTALL)


def several_statements(query: str) -> bool:
    """Whether ``query`` is more than one statement (``SELECT …; DROP …``); a final ``;`` is one.

    The server's syntax error says only "cannot insert multiple commands into a
    prepared statement" (PostgreSQL) or "near 'DROP …'" (MariaDB), which does
    not name the setting that holds the second statement.
    """
    return ";" in _NOT_CODE.sub(" ", query).strip().rstrip(";")


#: Appended to the server's syntax error when the query is several statements.
_ONE_STATEMENT = (
    "; contacts.query must be one SELECT statement: remove the ';' and what follows it"
    " (greeter only reads the CRM; changes to it belong elsewhere)"
)


def lossy_id_warning(column: str, kind: str) -> str:
    """Why an id column of type ``kind`` (a float, a numeric with decimals) is a problem, and the fix.

    A ``double precision`` holds 15–17 significant digits: a 16-digit CRM key
    (9007199254740993) comes back as another (…992), so two clients merge and
    the journal's history follows the wrong one. A ``numeric(30,2)`` gives
    ``2.00``, an id the CRM and the journal's earlier letters never had.
    """
    if kind.lower().startswith(("numeric", "decimal")):
        what = "an id reads with its decimals ('2.00', not '2'), not as the CRM's key"
    elif kind.lower() in ("real", "float"):  # 24 bits of mantissa
        what = "an id of more than 7 digits may lose its last ones (16777217 reads as 16777216)"
    else:
        what = (
            "an id of more than 15 digits may lose its last ones (9007199254740993 reads as 9007199254740992)"
        )
    return f"the id column {column!r} is {kind}: {what}; cast it to bigint or text in the query"


def several_rows_hint(url: str, column: str, repeats: int) -> str:
    """One hint for the duplicate ids of an SQL source: the query, not the CRM, repeats clients.

    A JOIN to a table with several rows per client (deals, phones) returns the
    client once per row; only the first loads, and which is first is the
    server's choice, so the letter's deal date may change from run to run.
    """
    rows = "row repeats an id" if repeats == 1 else "rows repeat an id"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", column):  # "ID", "Код клиента": as the query must write it
        column = f'"{column}"' if is_postgresql(url) else f"`{column}`"
    pick = (
        f"SELECT DISTINCT ON ({column}) … ORDER BY {column}, … to pick one"
        if is_postgresql(url)
        else f"ROW_NUMBER() OVER (PARTITION BY {column} ORDER BY …) = 1 to pick one"
    )
    return (
        f"{repeats} {rows} already returned: the query returns several rows per client (a JOIN to a"
        f" table with several rows for each, such as deals?), and only the first of each loads;"
        f" aggregate what the JOIN adds (min(deal_date) … GROUP BY {column}) or use {pick},"
        " so which row wins is defined"
    )


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


def _mysql_lossy(description: Any) -> dict[int, str]:
    """:func:`_pg_lossy` for PyMySQL's ``(name, type_code, …, precision, scale, null_ok)`` columns."""
    from pymysql.constants import FIELD_TYPE

    floats = {FIELD_TYPE.FLOAT: "FLOAT", FIELD_TYPE.DOUBLE: "DOUBLE"}
    found: dict[int, str] = {}
    for i, col in enumerate(description):
        if col[1] in floats:
            found[i] = floats[col[1]]
        elif col[1] in (FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL) and (col[5] or 0) > 0:
            found[i] = f"DECIMAL with {col[5]} decimals"
    return found


def libpq_text(message: str) -> str:
    """libpq's lines as sentences: "…Connection refused. Is the server running…?" (was run together)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    for line in lines[1:]:
        text += (" " if text.endswith((".", "?", "!", ":", ";")) else ". ") + line
    return text


# --- PostgreSQL --------------------------------------------------------------------------------


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
    before (a ``timestamptz`` still in the session's zone, for :func:`to_text`).
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
        said += _ONE_STATEMENT if several_statements(query) else _bare_name_hint(query)
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


def _pg_rows(
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
                        yield number, _cells(row, zone)
            except psycopg.Error as exc:
                said = f"{shown}: reading contacts failed after row {number}: {_pg_message(exc, url)}"
                raise _pg_error(said + _timeout_hint(exc, limit), exc, QueryError) from None
    except psycopg.Error as exc:  # closing the cursor on a connection that broke
        raise _pg_error(f"{shown}: {_pg_message(exc, url)}", exc) from None
    finally:
        conn.close()


# --- MariaDB / MySQL ---------------------------------------------------------------------------

_MYSQL_PARAMS = ("charset", "unix_socket", "connect_timeout", "sslmode", "ssl_ca", "read_default_file")
#: ER_PARSE_ERROR: "You have an error in your SQL syntax".
_MYSQL_SYNTAX = 1064
#: ``sslmode`` — libpq's words (the PostgreSQL URL takes them too) or MySQL's ``--ssl-mode`` ones —
#: as libpq's.
_SSLMODES = {
    "disable": "disable",
    "require": "require",
    "verify-ca": "verify-ca",
    "verify-full": "verify-full",
    "disabled": "disable",
    "required": "require",
    "verify_ca": "verify-ca",
    "verify_identity": "verify-full",
}
#: Each mode that encrypts: whether the server's certificate is checked against the CA, and its
#: name against the URL's host.
_VERIFY = {"require": (False, False), "verify-ca": (True, False), "verify-full": (True, True)}
#: CR_SSL_CONNECTION_ERROR: the client asked for TLS and the server has none.
_MYSQL_NO_TLS = 2026


def mysql_sslmode(params: dict[str, str]) -> str | None:
    """The URL's ``sslmode`` in libpq's words, given ``ssl_ca``; None when the URL says nothing of TLS.

    Nothing said leaves it to PyMySQL (2.x encrypts when the server offers
    TLS, without checking its certificate). ``ssl_ca`` alone is ``verify-ca``,
    as MySQL's client takes ``--ssl-ca``; with ``require`` or ``disable`` it
    would go unused, so that is refused. ``prefer``/``allow`` are refused:
    PyMySQL cannot promise them. ValueError says why.
    """
    said = params.get("sslmode")
    ca = params.get("ssl_ca")
    if said is None:
        return "verify-ca" if ca else None
    mode = _SSLMODES.get(said.strip().lower())
    if mode is None:
        raise ValueError(
            f"sslmode={said!r} is not one of disable, require, verify-ca, verify-full (prefer and allow"
            " are not offered for MariaDB/MySQL: leave sslmode out for TLS whenever the server has it,"
            " or say require)"
        )
    if ca and mode in ("disable", "require"):
        raise ValueError(f"ssl_ca is for sslmode=verify-ca or verify-full, not sslmode={said}")
    return mode


def _tls_context(mode: str, ca: str | None) -> ssl.SSLContext:
    """The TLS context of an encrypting ``mode``; the CA file (or the system's store) is read here.

    As in PyMySQL's own, X.509 strict checks are off (Python 3.13 turns them
    on): the self-signed certificates MySQL generates at install fail them.
    """
    verify_ca, verify_host = _VERIFY[mode]
    ctx = ssl.create_default_context(cafile=ca)
    ctx.verify_flags &= ~ssl.VERIFY_X509_STRICT
    ctx.check_hostname = verify_host
    ctx.verify_mode = ssl.CERT_REQUIRED if verify_ca else ssl.CERT_NONE
    return ctx


def _mysql_tls(url: str, params: dict[str, str]) -> tuple[ssl.SSLContext | None, bool | None]:
    """``pymysql.connect``'s ``(ssl, ssl_disabled)`` for the URL's ``sslmode``/``ssl_ca``.

    A mode or CA file that cannot be used is a ContactsError before any connection.
    """
    shown = redact(url)
    try:
        mode = mysql_sslmode(params)
    except ValueError as exc:
        raise ContactsError(f"{shown}: {exc}") from None
    if mode is None or mode == "disable":
        return None, (mode == "disable") or None
    ca = params.get("ssl_ca")
    try:
        return _tls_context(mode, ca), None
    except OSError as exc:  # ssl.SSLError too: not PEM
        reason = exc.strerror or one_line(exc, url)
        raise ContactsError(f"{shown}: ssl_ca {ca}: cannot read the CA certificate ({reason})") from None


def _option_file(url: str, params: dict[str, str]) -> str | None:
    """``read_default_file``, once it is known to be readable (PyMySQL silently ignores a missing one).

    MySQL's option file (``[client]`` ``password=…``, ``user=…``) is its
    ``~/.pgpass``: a way to keep the password out of greeter.yaml that the
    DBA already knows. What the URL says wins over the file.
    """
    path = params.get("read_default_file")
    if path is None:
        return None
    import configparser
    import os

    from pymysql.optionfile import Parser

    where = f"{redact(url)}: read_default_file {path}"
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            Parser().read_file(handle)
    except OSError as exc:
        raise ContactsError(f"{where}: cannot read ({exc.strerror})") from None
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ContactsError(
            f"{where}: not an option file ({one_line(str(exc).splitlines()[0], url)})"
        ) from None
    return path


def _mysql_connect(url: str, password: str | None = None) -> pymysql.connections.Connection[Any]:
    """A connection; ``password`` (``contacts.password_env``'s) wins over the URL's and the option file's."""
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
    context, no_tls = _mysql_tls(url, params)
    try:
        conn = pymysql.connect(
            host=parts.hostname or "localhost",
            port=port,
            user=unquote(parts.username or ""),
            password=password if password is not None else unquote(parts.password or ""),
            database=unquote(parts.path.lstrip("/")) or None,
            charset=params.get("charset", "utf8mb4"),
            unix_socket=params.get("unix_socket"),
            connect_timeout=timeout,
            # PyMySQL's connect_timeout ends with the TCP connection: a host that accepts it and
            # never answers held the handshake forever. The read and write timeouts bound it too…
            read_timeout=timeout,
            write_timeout=timeout,
            ssl=context,
            ssl_disabled=no_tls,
            read_default_file=_option_file(url, params),
        )
    except pymysql.Error as exc:
        said = f"{shown}: cannot connect: {_mysql_message(exc, url)}{_tls_hint(exc)}"
        raise _mysql_error(said, exc) from None
    if context is not None and not isinstance(conn._sock, ssl.SSLSocket):  # type: ignore[attr-defined]
        # PyMySQL before 2.2 went on without TLS when the server had none.
        conn.close()
        raise ContactsError(f"{shown}: cannot connect: the server does not offer TLS, which sslmode asks for")
    # …and are lifted once connected: a CRM query may rightly take longer than the handshake.
    conn._read_timeout = conn._write_timeout = None  # type: ignore[attr-defined]
    return conn


def _tls_hint(exc: BaseException) -> str:
    """What to do about a TLS failure: the server has no TLS, or its certificate is not trusted."""
    if exc.args[:1] == (_MYSQL_NO_TLS,):
        return "; the server has no TLS set up (ask its DBA), or drop sslmode from the URL"
    if isinstance(getattr(exc, "original_exception", None), ssl.SSLCertVerificationError):
        return (
            "; the server's certificate is not the one expected: give its CA as ssl_ca=PATH, use"
            " verify-ca if the URL's host is not the name in the certificate, or require to encrypt"
            " without checking"
        )
    return ""


#: MariaDB/MySQL error codes of a server that cannot be reached or cannot serve now: 2002/2003
#: cannot connect (socket, TCP; a timeout too), 2005 unknown host (a resolver down, as the
#: journal judges libpq's), 2006/2013/2055 connection lost, 1040 too many connections,
#: 1053 server shutting down, 1205 lock wait timeout, 1213 deadlock; a query stopped — 1317
#: ``KILL QUERY``, 1969 MariaDB's ``max_statement_time``, 3024 MySQL's ``MAX_EXECUTION_TIME``
#: (``contacts.query_timeout_seconds``): the lock or load behind it goes. Not 1044/1045 (access
#: denied), 1049 (unknown database), 1064 (syntax), 1146 (no such table): the config's to fix.
_MYSQL_TEMPORARY = frozenset({2002, 2003, 2005, 2006, 2013, 2055, 1040, 1053, 1205, 1213, 1317, 1969, 3024})


def _mysql_error(
    message: str, exc: BaseException, refused: type[ContactsError] = ContactsError
) -> ContactsError:
    """:class:`ContactsUnavailableError` for a code in :data:`_MYSQL_TEMPORARY`, else ``refused``.

    A TLS handshake that failed (a certificate not trusted) is PyMySQL's 2003
    "can't connect" too, but no retry fixes it: the config's to fix.
    """
    if isinstance(getattr(exc, "original_exception", None), ssl.SSLError):
        return ContactsError(message)
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    return (ContactsUnavailableError if code in _MYSQL_TEMPORARY else refused)(message)


def _mysql_message(exc: BaseException, url: str) -> str:
    """PyMySQL errors are ``(code, message)`` tuples; show the message and the code."""
    args = exc.args
    if len(args) == 2 and isinstance(args[0], int):
        return f"{one_line(args[1], url)} (error {args[0]})"
    return one_line(exc, url)


def mysql_session(version: str, timeout: int) -> str:
    """The statement that sets a contacts session up on a server whose ``VERSION()`` is ``version``.

    UTC (``'+00:00'`` needs no time zone tables): a ``TIMESTAMP`` is then read
    as the moment it is, whatever the server's or the DBA's global zone, and
    :func:`_mysql_row` makes it aware. ``lock_wait_timeout`` (a day by default)
    bounds a ``LOCK TABLES … WRITE`` held elsewhere; ``max_statement_time``
    (MariaDB, seconds) or ``MAX_EXECUTION_TIME`` (MySQL, milliseconds) the
    query itself, its rows' streaming included.
    """
    bound = (
        f"max_statement_time = {timeout}"
        if "mariadb" in version.lower()
        else f"MAX_EXECUTION_TIME = {timeout * 1000}"
    )
    return f"SET time_zone = '+00:00', lock_wait_timeout = {timeout}, {bound}"


def _mysql_row(description: Any) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """What a row of a result with this ``cursor.description`` needs before :func:`to_text`; None: nothing.

    A ``TIMESTAMP`` (read in UTC, :func:`mysql_session`) becomes an aware
    datetime, whose day :func:`to_text` takes in ``defaults.timezone``; a
    ``DATETIME`` is a different type code and keeps its written day. A ``BIT``
    comes as bytes (``b'\\x01'``), which read as UTF-8 were neither yes nor
    no: it becomes its number. Other bytes (BLOB, BINARY) stay text.
    """
    from pymysql.constants import FIELD_TYPE

    moments = [i for i, col in enumerate(description) if col[1] == FIELD_TYPE.TIMESTAMP]
    bits = [i for i, col in enumerate(description) if col[1] == FIELD_TYPE.BIT]
    if not moments and not bits:
        return None

    def fix(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i in moments:
            if isinstance(value := values[i], datetime):  # not a zero date PyMySQL gives as text
                values[i] = value.replace(tzinfo=UTC)
        for i in bits:
            if isinstance(value := values[i], bytes):
                values[i] = int.from_bytes(value, "big")
        return tuple(values)

    return fix


def _mysql_rows(
    url: str,
    query: str,
    zone: tzinfo | None,
    password: str | None = None,
    timeout: int = QUERY_TIMEOUT,
    lossy: dict[int, str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    import pymysql
    import pymysql.cursors

    shown = redact(url)
    conn = _mysql_connect(url, password)
    cur = conn.cursor(pymysql.cursors.SSCursor)  # unbuffered: rows come off the socket as we go
    number = 0
    drained = False
    try:
        try:
            cur.execute(mysql_session(conn.get_server_info(), timeout))  # type: ignore[no-untyped-call]
        except pymysql.Error as exc:
            raise _mysql_error(f"{shown}: {_mysql_message(exc, url)}", exc) from None
        try:
            cur.execute(query)
        except pymysql.Error as exc:
            said = f"{shown}: the contacts query failed: {_mysql_message(exc, url)}"
            hint = ""
            if exc.args[:1] == (_MYSQL_SYNTAX,):
                hint = _ONE_STATEMENT if several_statements(query) else _bare_name_hint(query)
            raise _mysql_error(said + hint, exc, QueryError) from None
        if cur.description is None:
            raise QueryError(f"{shown}: the contacts query returns no rows (is it a SELECT?)")
        if lossy is not None:
            lossy.update(_mysql_lossy(cur.description))
        yield 0, [str(col[0]) for col in cur.description]
        fix = _mysql_row(cur.description)
        try:
            while batch := cur.fetchmany(FETCH_ROWS):
                for row in batch:
                    number += 1
                    yield number, _cells(row if fix is None else fix(row), zone)
        except pymysql.Error as exc:
            said = f"{shown}: reading contacts failed after row {number}: {_mysql_message(exc, url)}"
            raise _mysql_error(said, exc, QueryError) from None
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
