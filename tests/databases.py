"""The real PostgreSQL and MariaDB the database tests use, and throw-away places in them.

URLs come from ``GREETER_TEST_PG_URL`` / ``GREETER_TEST_MYSQL_URL`` (defaults:
the services on 127.0.0.1). Outside CI an unreachable server skips the test
with the reason shown; with ``CI=true`` it fails, so CI cannot go green by
silently testing nothing.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import psycopg
import pymysql
import pytest

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore

PG_URL = os.environ.get("GREETER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("GREETER_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")


def unreachable(what: str, reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is unreachable under CI=true: {reason}")
    pytest.skip(f"{what} unreachable, test not run: {reason}")


@functools.cache
def _pg_problem() -> str | None:
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        return " ".join(str(exc).split())
    return None


@functools.cache
def _mysql_problem() -> str | None:
    try:
        mysql_connect().close()
    except pymysql.Error as exc:
        return str(exc)
    return None


def require_pg() -> str:
    problem = _pg_problem()
    if problem is not None:
        unreachable(f"PostgreSQL at {PG_URL}", problem)
    return PG_URL


def require_mysql() -> str:
    problem = _mysql_problem()
    if problem is not None:
        unreachable(f"MariaDB at {MYSQL_URL}", problem)
    return MYSQL_URL


def unique(prefix: str) -> str:
    """A name no other test run (on this shared server) uses."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def with_query(url: str, param: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{param}"


def pg_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(require_pg(), autocommit=True)


@contextmanager
def pg_schema() -> Iterator[tuple[str, str]]:
    """``(journal URL with ?schema=NAME, NAME)``; the schema is dropped afterwards."""
    base = require_pg()
    name = unique("greeter_t")
    try:
        yield with_query(base, f"schema={name}"), name
    finally:
        with pg_admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@contextmanager
def project_on(backend: str, make_project: Callable[..., Path], rows: Sequence[str]) -> Iterator[Path]:
    """A project of ``rows`` whose journal is ``backend``'s: ``"sqlite"`` (the config's own file), else
    a fresh schema of the test PostgreSQL, dropped afterwards. What CLI tests run on both backends."""
    if backend == "sqlite":
        yield make_project(rows)
        return
    with pg_schema() as (url, _):
        yield make_project(rows, storage={"url": url})


@contextmanager
def journal_on(backend: str, sqlite_file: Path, now: datetime) -> Iterator[JournalStore]:
    """A fresh journal of ``backend``: ``"sqlite"`` at ``sqlite_file``, else PostgreSQL in a schema of its own.

    What the tests that run one journal test on both backends parametrize over.
    """
    from greeter.journal import Journal
    from greeter.journal_pg import PgJournal

    if backend == "sqlite":
        with Journal.open(f"sqlite:///{sqlite_file}", now=now) as journal:
            yield journal
    else:
        with pg_schema() as (url, _), PgJournal.open(url, now=now) as pg:
            yield pg


def mysql_connect(database: str | None = None) -> pymysql.connections.Connection[pymysql.cursors.Cursor]:
    from urllib.parse import urlsplit

    parts = urlsplit(MYSQL_URL)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=database,
        charset="utf8mb4",
        connect_timeout=3,
        autocommit=True,
    )


@contextmanager
def mysql_database() -> Iterator[tuple[str, str]]:
    """``(source URL, database name)`` of a fresh MariaDB database, dropped afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    require_mysql()
    name = unique("greeter_t")
    with mysql_connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    parts = urlsplit(MYSQL_URL)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, "")), name
    finally:
        with mysql_connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
