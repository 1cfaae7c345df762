"""Who is on a PostgreSQL journal before its schema is upgraded: the older greeters an upgrade strands.

Several daemons share a PostgreSQL journal, so no lock keeps an upgrade out
as a SQLite journal's lock file does (:func:`~greeter.journal_lock.held_for_upgrade`):
the first command of a new version migrated it while older daemons on other
machines went on claiming and writing rows of a schema they did not know.
Before migrating, :func:`guard_upgrade` looks for them in three ways, from
the most to the least certain:

* the **schema mark**: from this version on, every pooled connection of a
  journal holds a shared session advisory lock whose key names the journal's
  schema and the schema version its greeter knows (:func:`mark_connection`);
  ``pg_locks`` shows it to any role. One held for an older version is a live
  older greeter on this very journal: the upgrade is refused (exit 75), as
  SQLite's is. Greeters older than the mark hold none.
* **live claims**: a claim whose lease has not run out belongs to a sender
  sending now (a journal that needs an upgrade has no sender of the new
  version yet): refused too, naming it — its letters are with the mail server.
* greeter's **application_name** (``greeter HOST/PID/…``) on connections of
  the database without a mark: a greeter older than the mark, idle between
  runs — but the name does not say which schema it uses (several journals may
  share a database), so this is only a warning on stderr.

An idle daemon older than the mark, whose pool has closed its connections,
leaves no trace at all: the operator's step 1 (stop the old daemons) stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from greeter.errors import JournalLockedError
from greeter.journal_pg_schema import advisory_key

__all__ = ["MARKED", "Mark", "guard_upgrade", "mark_connection", "mark_key", "older_marks", "older_sender"]

#: greeter's part of a journal connection's ``application_name`` (journal_pg._worker_id).
_GREETER_NAME = re.compile(r"greeter [^/\s]+/\d+/[0-9a-f]+")


def mark_key(schema: str, knows: int) -> int:
    """The advisory key a greeter knowing schema version ``knows`` holds on journal ``schema``."""
    return advisory_key("knows-schema", schema, str(knows))


#: Held beside :func:`mark_key` by every marked connection, whatever its schema: a greeter connection
#: without it is older than the mark (not one of this version on another journal of the database).
MARKED = advisory_key("knows-schema")


def mark_connection(conn: psycopg.Connection[Any], schema: str, knows: int) -> None:
    """Hold (shared, for the session) :func:`mark_key` and :data:`MARKED`: what a later greeter's
    :func:`guard_upgrade` sees.

    Shared, so every greeter of every version holds its own at once; ``try``,
    so it never waits (nothing takes them exclusively). Released when the
    connection closes — a daemon's pool keeps one open while it runs. One
    statement per new pooled connection, none per letter.
    """
    conn.execute(
        "SELECT pg_try_advisory_lock_shared(%s), pg_try_advisory_lock_shared(%s)",
        (mark_key(schema, knows), MARKED),
    )


@dataclass(frozen=True, slots=True)
class Mark:
    """A session of the database holding a schema mark: which version it knows, and who it is."""

    knows: int
    pid: int
    application_name: str
    client: str | None


def _key(classid: int, objid: int) -> int:
    """The signed 64-bit key ``pg_locks`` shows as two unsigned 32-bit halves. Pure."""
    whole = (classid << 32) | objid
    return whole - (1 << 64) if whole >= 1 << 63 else whole


def _sessions(conn: psycopg.Connection[Any]) -> list[tuple[int | None, int, str, str | None]]:
    """(advisory key held, or None; pid; application_name; client address) of every other session of
    this database: ``pg_locks`` and ``pg_stat_activity``, which every role may read."""
    rows = conn.execute(
        "SELECT l.classid::int8, l.objid::int8, a.pid, COALESCE(a.application_name, ''), a.client_addr::text"
        " FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory'"
        " AND l.objsubid = 1 AND l.granted"
        " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
    ).fetchall()
    return [
        (None if c is None or o is None else _key(int(c), int(o)), int(pid), str(name), client)
        for c, o, pid, name, client in rows
    ]


def older_marks(conn: psycopg.Connection[Any], schema: str, latest: int) -> list[Mark]:
    """The sessions marked as greeters knowing a schema version below ``latest`` on ``schema``."""
    versions = {mark_key(schema, v): v for v in range(1, latest)}
    return [
        Mark(versions[key], pid, name, client)
        for key, pid, name, client in _sessions(conn)
        if key is not None and key in versions
    ]


def _live_claims(conn: psycopg.Connection[Any], schema: str) -> list[tuple[str, int, datetime]]:
    """(claimed_by, claims, their last lease) of the senders holding live claims in ``schema``."""
    query = sql.SQL(
        "SELECT claimed_by, count(*), max(lease_until) FROM {} WHERE state = 'claimed'"
        " AND lease_until > clock_timestamp() GROUP BY claimed_by ORDER BY claimed_by"
    ).format(sql.Identifier(schema, "greetings"))
    return [(str(who), int(n), until) for who, n, until in conn.execute(query).fetchall()]


def _unmarked_greeters(conn: psycopg.Connection[Any]) -> list[str]:
    """application_names of greeter's connections to this database that hold no schema mark."""
    marked: set[int] = set()
    greeters: dict[int, str] = {}
    for key, pid, name, client in _sessions(conn):
        if key == MARKED:
            marked.add(pid)
        if _GREETER_NAME.search(name):
            greeters[pid] = f"{name!r}" + (f" from {client}" if client else "")
    return [greeters[pid] for pid in sorted(greeters) if pid not in marked]


def older_sender(conn: psycopg.Connection[Any], schema: str, found: int, latest: int) -> str | None:
    """Who certainly keeps journal ``schema`` (at version ``found``) from being upgraded to ``latest``:
    ``a greeter that knows schema 7 ('greeter vm/6656/…' from 10.0.0.5) is running`` (its schema mark)
    or ``a greeter (…) is sending: 2 claim(s) live until …`` (live claims); None: neither.

    What :func:`guard_upgrade` refuses for, and what ``check`` names
    (:mod:`greeter.db_checks`) so that it does not promise an upgrade the next
    command will refuse. Only reads ``pg_locks``, ``pg_stat_activity`` and the
    claims: no lock is taken, nothing is written.
    """
    marks = older_marks(conn, schema, latest)
    if marks:
        m = marks[0]
        client = f" from {m.client}" if m.client else ""
        return f"a greeter that knows schema {m.knows} ({m.application_name!r}{client}) is running"
    if found >= 1:
        claims = _live_claims(conn, schema)
        if claims:
            sender, n, until = claims[0]
            return f"a greeter ({sender}) is sending: {n} claim(s) live until {until:%Y-%m-%d %H:%M:%S %Z}"
    return None


def _refusal(url: str, found: int, latest: int, who: str) -> JournalLockedError:
    return JournalLockedError(
        f"{who} on journal {url}, whose schema is version {found}; stop it (or upgrade greeter"
        f" there first) before upgrading the journal to schema {latest} (this greeter's): it would go"
        " on claiming and writing rows of a schema it does not know. Nothing was changed"
        " (docs/operations.md, Upgrading greeter)"
    )


def guard_upgrade(
    conn: psycopg.Connection[Any], schema: str, url: str, found: int, latest: int
) -> str | None:
    """Before migrating journal ``schema`` from ``found`` to ``latest``: refuse while an older greeter
    is certainly on it (:class:`~greeter.errors.JournalLockedError`, exit 75, nothing changed);
    else a warning to say when one may be (None: no sign of any). See the module docstring.

    ``conn``: the migrating connection (autocommit), outside any transaction.
    """
    who = older_sender(conn, schema, found, latest)
    if who is not None:
        raise _refusal(url, found, latest, who)
    unmarked = _unmarked_greeters(conn)
    if not unmarked:
        return None
    return (
        f"warning: {len(unmarked)} connection(s) of a greeter older than this one are open on the"
        f" database of journal {url} ({'; '.join(unmarked[:3])}): if it uses this journal, stop it"
        f" — it cannot open the journal upgraded to schema {latest}, and until it restarts it claims"
        " and writes rows of a schema it does not know (docs/operations.md, Upgrading greeter)"
    )
