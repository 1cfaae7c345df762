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

This module is what both databases share — the URL's scheme, the password, the
query judged before any server sees it, values as text — and picks the driver:
:mod:`greeter.sources.sql_postgresql` or :mod:`greeter.sources.sql_mariadb`,
each imported only when a URL names its database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from typing import Any

from greeter.db_url import redact
from greeter.errors import ConfigError, ContactsError, QueryError
from greeter.secret_values import read_password

__all__ = [
    "ARRAY_SEPARATOR",
    "CONNECT_TIMEOUT",
    "FETCH_ROWS",
    "ONE_STATEMENT",
    "QUERY_TIMEOUT",
    "bare_name_hint",
    "cells",
    "env_password",
    "is_postgresql",
    "lossy_id_warning",
    "read_rows",
    "server_version",
    "several_rows_hint",
    "several_statements",
    "statement_problem",
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
    most servers; a MariaDB/MySQL ``TIMESTAMP``, read in UTC and made aware by ``_mysql_row`` in
    :mod:`.sql_mariadb`) is a moment: its day is the day in ``zone`` (``defaults.timezone``) —
    midnight in Moscow is still the evening before in UTC. A plain ``timestamp`` (``DATETIME``)
    keeps its day.
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


def cells(row: tuple[Any, ...], zone: tzinfo | None = None) -> list[str]:
    """A result row as the text cells a CSV row would hold (:func:`to_text`); text passes as it is."""
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
        from greeter.sources.sql_postgresql import pg_rows

        return pg_rows(url, query, zone, password, timeout, lossy)
    from greeter.sources.sql_mariadb import mysql_rows

    return mysql_rows(url, query, zone, password, timeout, lossy)


def server_version(url: str, password_env: str | None = None) -> str:
    """Connect and name the server ("PostgreSQL 15.2", "MariaDB 10.11.6") — for ``greeter check``."""
    scheme = _scheme(url)
    password = env_password(url, password_env)
    if scheme in _PG_SCHEMES:
        from greeter.sources.sql_postgresql import pg_server_version

        return pg_server_version(url, password)
    from greeter.sources.sql_mariadb import mysql_server_version

    return mysql_server_version(url, password)


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


def bare_name_hint(query: str) -> str:
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
ONE_STATEMENT = (
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
