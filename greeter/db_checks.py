"""``greeter check`` for databases: is the journal reachable and of a known schema, is the CRM reachable.

Read-only by design: a check never creates a journal, a schema or a table
(``sqlite3`` is opened with ``mode=ro``, and ``immutable=1`` on a read-only
mount where SQLite could not create its ``-shm`` file; PostgreSQL is only
queried), so running ``greeter check`` against production changes nothing,
and it works where the journal cannot be written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greeter.db_url import redact
from greeter.errors import ContactsError, ContactsUnavailableError, JournalError
from greeter.journal_access import READ_ONLY_MOUNT, why_read_only

__all__ = ["DatabaseStatus", "contacts_failure", "contacts_status", "journal_status"]


@dataclass(frozen=True, slots=True)
class DatabaseStatus:
    """One database as ``check`` found it."""

    role: str  # "journal" or "contacts"
    url: str  # without the password
    reachable: bool
    detail: str  # "PostgreSQL 15.2, journal schema version 1 of 1", or why not
    schema_version: int | None = None
    latest_version: int | None = None
    #: Why this process could not write it (a SQLite journal on a read-only mount…), else None.
    read_only: str | None = None
    #: Not usable *now* (the server down, silent, the statement timed out; a shared PostgreSQL
    #: journal another machine's newer greeter upgraded, until greeter here is upgraded too): what
    #: send and run exit 75 for, "try again later", rather than a setting to fix (a wrong password,
    #: a SQLite journal a newer greeter wrote: exit 2).
    unavailable: bool = False

    @property
    def too_new(self) -> bool:
        """Written by a newer greeter: every command but check and backup refuses it."""
        return (self.schema_version or 0) > (self.latest_version or 0)

    @property
    def ok(self) -> bool:
        """Usable as it is: reachable and not written by a newer greeter."""
        return self.reachable and not self.too_new

    def line(self) -> str:
        """The summary's line. The journal is named as every other command names it
        (:func:`~greeter.journal_project.journal_shown`: a SQLite journal by its file, as
        ``history``'s title and ``send``'s messages do, not by ``sqlite:///…``); the CRM by its
        URL. JSON keeps ``url`` as configured (:meth:`as_dict`)."""
        if self.role == "journal":
            from greeter.journal_project import journal_shown

            return f"journal: {journal_shown(self.url)}: {self.detail}"
        return f"{self.role}: {self.url}: {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "reachable": self.reachable,
            "schema_version": self.schema_version,
            "latest_version": self.latest_version,
            "detail": self.detail,
        }


def _versions(found: int | None, latest: int, where: str) -> str:
    if found is None:
        return f"no journal yet {where}(the first send creates it)"
    if found > latest:
        return f"journal schema version {found} is newer than this greeter knows ({latest}); upgrade greeter"
    if found < latest:
        return (
            f"journal schema version {found} of {latest}: the next command that opens it (any but"
            " check and backup: preview, history, send, approve, suppress --list, a dry run too)"
            " upgrades it, and an older greeter cannot read it after that; keep a copy first with"
            " greeter backup FILE"
        )
    return f"journal schema version {found} of {latest}"


def _older_greeter_running(path: Path, found: int | None, latest: int) -> str:
    """``journal schema version 8 of 10, but a greeter (pid 4242 on host h) is running on it: …``
    when a sender holds the lock of the older-schema journal at ``path``, else "".

    Then "the next command upgrades it" is not so: every command of this version refuses the
    journal with exit 75 until that greeter (an older one: it runs on schema ``found``) has stopped
    (:func:`~greeter.journal_lock.held_for_upgrade`). Asked as ``backup`` asks it
    (:func:`~greeter.journal_lock.holder_of`: a shared lock tried once and released at once),
    so a check never keeps a sender from starting.
    """
    if found is None or found >= latest:
        return ""
    from greeter.journal_lock import holder_of

    holder = holder_of(path)
    if holder is None:
        return ""
    return (
        f"journal schema version {found} of {latest}, but a greeter ({holder}) is running on it:"
        " every command of this greeter but check and backup refuses the journal (exit 75) until"
        " that greeter stops; stop it first, keep a copy with greeter backup FILE, then the next"
        " command upgrades it (docs/operations.md, Upgrading greeter)"
    )


def journal_status(url: str) -> DatabaseStatus:
    """Reachability and schema version of the configured journal (``sqlite:///…`` or ``postgresql://…``)."""
    if url.startswith("postgresql://"):
        return _pg_journal(url)
    from greeter.journal_schema import (
        MIGRATIONS,
        emptied_journal_error,
        folder_error,
        is_operational,
        journal_traces,
        lost_journal_error,
        open_read_only,
        path_from_url,
    )

    path = path_from_url(url)
    latest = len(MIGRATIONS)
    folder = folder_error(path)
    if folder is not None:  # SQLite's "disk I/O error" for it read as an outage; send names the mistake
        return DatabaseStatus("journal", url, False, str(folder), None, latest)
    if (emptied := emptied_journal_error(path)) is not None:  # send and run refuse it
        return DatabaseStatus("journal", url, False, str(emptied), None, latest)
    if not path.exists():
        if traces := journal_traces(path):  # lost, not yet made: send and run refuse it
            return DatabaseStatus("journal", url, False, str(lost_journal_error(path, traces)), None, latest)
        why = why_read_only(path)
        if why == READ_ONLY_MOUNT:  # no user could make it there: send and run exit 2
            detail = f"cannot open journal {path}: unable to open database file ({why})"
            return DatabaseStatus("journal", url, False, detail, None, latest, read_only=why)
        # Where it will be, whole: sqlite:///var/lib/… is beside the config (four slashes: absolute),
        # and "var/lib/greeter/journal.sqlite3: no journal yet" hid that the path was the project's.
        detail = _versions(None, latest, f"at {path.absolute()} ")
        if why:  # another user (the daemon's) may: check often runs as an operator
            detail += f"; this user could not create it ({why})"
        return DatabaseStatus("journal", url, True, detail, None, latest, read_only=why)
    try:
        conn = open_read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            found = (
                int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])
                if "schema_version" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.Error as exc:  # judged as the send's own journal judges it (exit 75 or 2)
        detail = f"cannot read it: {exc}" + (f" ({why})" if (why := why_read_only(path)) else "")
        return DatabaseStatus("journal", url, False, detail, None, latest, unavailable=is_operational(exc))
    if found is None and tables:
        return DatabaseStatus(
            "journal", url, False, "not a greeter journal (it has other tables)", None, latest
        )
    detail = _older_greeter_running(path, found, latest) or _versions(found, latest, "")
    unwritable = why_read_only(path)
    if unwritable:
        detail += f"; read-only here: {unwritable}"
    return DatabaseStatus("journal", url, True, detail, found, latest, read_only=unwritable)


def _pg_journal(url: str) -> DatabaseStatus:
    import psycopg

    from greeter.journal_pg_base import (
        bad_connection_string,
        connection_string_problem,
        pg_message,
        pg_operational,
    )
    from greeter.journal_pg_schema import MIGRATIONS, configure, parse_target

    latest = len(MIGRATIONS)
    try:
        target = parse_target(url)
    except JournalError as exc:
        detail = str(exc).split(": ", 1)[-1].removeprefix("storage.url: ")
        return DatabaseStatus("journal", redact(url), False, detail, None, latest)
    connected = False
    try:
        with psycopg.connect(target.conninfo, autocommit=True, connect_timeout=10) as conn:
            connected = True
            configure(conn, target.schema)
            found, refused = _pg_journal_access(conn, target.schema, latest)
            running = None if refused is not None else _pg_older_sender(conn, target.schema, found, latest)
            number = conn.info.server_version
    except psycopg.Error as exc:
        if not connected and bad_connection_string(exc):
            detail = connection_string_problem(exc, url)
            return DatabaseStatus("journal", target.shown, False, detail, None, latest)
        message = pg_message(exc, url)
        # Judged as the send's own journal judges it, so that check's exit code matches send's.
        down = pg_operational(exc)
        detail = f"unreachable: {message}"
        return DatabaseStatus("journal", target.shown, False, detail, None, latest, unavailable=down)
    where = f"in schema {target.schema} " if target.schema else ""
    server = f"PostgreSQL {number // 10000}.{number % 10000}"
    if refused is not None:  # send and run would stop at it (exit 2): not OK, whatever the version
        detail = f"{server}, but send and run would be refused: {refused}"
        return DatabaseStatus("journal", target.shown, False, detail, found, latest)
    versions = _versions(found, latest, where)
    if running is not None:
        versions = (
            f"journal schema version {found} of {latest}, but {running}; every command of this greeter"
            " but check and backup refuses the journal (exit 75) until that greeter stops; stop it (or"
            " upgrade greeter there) first, keep a copy with greeter backup FILE, then the next command"
            " upgrades it (docs/operations.md, Upgrading greeter)"
        )
    # Newer than this greeter: send and run exit 75 for it (JournalNewerError), a rolling upgrade
    # that has not reached this machine yet, so check's exit code is theirs when nothing else is wrong.
    newer = found is not None and found > latest
    return DatabaseStatus(
        "journal", target.shown, True, f"{server}, {versions}", found, latest, unavailable=newer
    )


def _pg_older_sender(conn: Any, schema: str | None, found: int | None, latest: int) -> str | None:
    """Who keeps the older-schema journal from being upgraded (its schema mark, live claims), else None.

    Without it check said "the next command that opens it … upgrades it" while
    that command was refused (exit 75) for the older greeter still on the
    journal (:func:`~greeter.journal_pg_senders.guard_upgrade`). Asked as the
    upgrade asks (:func:`~greeter.journal_pg_senders.older_sender`): only
    queries, no lock taken, no DDL.
    """
    if found is None or found >= latest:
        return None
    from greeter.journal_pg_senders import older_sender

    if schema is None:
        row = conn.execute("SELECT current_schema()").fetchone()
        schema = str(row[0]) if row and row[0] else "public"
    return older_sender(conn, schema, found, latest)


def _pg_journal_access(conn: Any, schema: str | None, latest: int) -> tuple[int | None, str | None]:
    """The journal's schema version (None: none yet, or unreadable) and, if any, why its role could not
    open it as send does (:func:`~greeter.journal_pg_grants.grants_problem`, naming the GRANT).

    Without it check said OK to a role that could connect but not use the
    journal: no CREATE on the database for a schema to be made, no USAGE on
    the schema, no DML on its tables, no CREATE for a migration that is due.
    Only queries: ``has_*_privilege`` and the version, nothing is tried.
    """
    from greeter.journal_pg_grants import grants_problem, read_grants
    from greeter.journal_pg_schema import TABLES, changed_tables, inspect

    if schema is None:
        row = conn.execute("SELECT current_schema()").fetchone()
        if row is None or row[0] is None:
            return None, (
                "no schema to keep the journal in: search_path names none that exists, or none this role"
                " has USAGE on (name one with ?schema=NAME, or GRANT USAGE ON SCHEMA … TO the role)"
            )
        schema = str(row[0])
    grants = read_grants(conn, schema, (*TABLES, "schema_version"))
    readable = grants.usage and "SELECT" in grants.tables.get("schema_version", {"SELECT"})
    found = inspect(conn, schema) if grants.schema_exists and readable else None
    return found, grants_problem(grants, version=found, latest=latest, changes=changed_tables(found))


def contacts_status(url: str, password_env: str | None = None) -> DatabaseStatus:
    """Whether the CRM database answers, and which server it is (logging in as loading would)."""
    from greeter.sources.sql_source import server_version

    try:
        version = server_version(url, password_env)
    except ContactsError as exc:
        return contacts_failure(url, exc)
    return DatabaseStatus("contacts", redact(url), True, f"reachable ({version})")


def contacts_failure(url: str, exc: ContactsError) -> DatabaseStatus:
    """The CRM as ``check`` reports it when it could not be read: at the probe, or later, mid-read.

    Temporary (:class:`ContactsUnavailableError`) or not as the source
    judged it, so that check's exit code is the one ``send`` gives.
    """
    detail = str(exc).removeprefix(f"{redact(url)}: ")
    down = isinstance(exc, ContactsUnavailableError)
    return DatabaseStatus("contacts", redact(url), False, detail, unavailable=down)
