"""The contacts query on MariaDB/MySQL (PyMySQL): connect, stream the rows, say what went wrong.

:func:`mysql_rows` is :func:`greeter.sources.sql_source.read_rows` for a
``mysql://`` or ``mariadb://`` URL: the URL's parameters (libpq's ``sslmode``
words for TLS, MySQL's option file for the password), a UTC session bounded
by ``contacts.query_timeout_seconds``, the rows streamed through PyMySQL's
unbuffered ``SSCursor``, and every failure a :class:`ContactsError` naming the
URL without its password (:class:`ContactsUnavailableError` for the error
codes of a server that may answer later).
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from greeter.db_url import one_line, redact
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

if TYPE_CHECKING:  # PyMySQL is imported only when a MariaDB/MySQL source is used
    import pymysql.connections

__all__ = ["mysql_rows", "mysql_server_version", "mysql_session", "mysql_sslmode"]


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


def mysql_server_version(url: str, password: str | None = None) -> str:
    """Connect and name the server ("MariaDB 10.11.6") — :func:`greeter.sources.sql_source.server_version`."""
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
    """What a row of a result with this ``cursor.description`` needs before ``to_text``; None: nothing.

    A ``TIMESTAMP`` (read in UTC, :func:`mysql_session`) becomes an aware
    datetime, whose day :func:`~.sql_source.to_text` takes in ``defaults.timezone``; a
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


def _mysql_lossy(description: Any) -> dict[int, str]:
    """Which columns cannot hold an id as written, as PostgreSQL's ``_pg_lossy``, from PyMySQL's columns.

    PyMySQL describes a column as ``(name, type_code, …, precision, scale, null_ok)``.
    """
    from pymysql.constants import FIELD_TYPE

    floats = {FIELD_TYPE.FLOAT: "FLOAT", FIELD_TYPE.DOUBLE: "DOUBLE"}
    found: dict[int, str] = {}
    for i, col in enumerate(description):
        if col[1] in floats:
            found[i] = floats[col[1]]
        elif col[1] in (FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL) and (col[5] or 0) > 0:
            found[i] = f"DECIMAL with {col[5]} decimals"
    return found


def mysql_rows(
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
                hint = ONE_STATEMENT if several_statements(query) else bare_name_hint(query)
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
                    yield number, cells(row if fix is None else fix(row), zone)
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
