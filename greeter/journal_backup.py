"""``greeter backup``: a consistent copy of the SQLite journal, safe while greeter runs.

A ``cp`` of a journal in WAL mode copies the main file only: the letters
committed since the last checkpoint are in ``-wal`` beside it. An operator's
copy held 173 sent letters where 190 had gone out, and a restore from it
would have sent 17 again. SQLite's online backup API reads the database as
one reader sees it — the main file and the WAL's committed frames — in one
read transaction, so a sender that keeps writing meanwhile neither blocks it
nor tears it.

The copy is written to a temporary file beside the target and renamed over
it only once it is complete, checked (``PRAGMA integrity_check``) and on
disk: a crash or a full disk never leaves a half-written backup under the
name a restore would use. A PostgreSQL journal is the database's to back up
(``pg_dump``); this module only says how.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from greeter.errors import JournalError, OutputError
from greeter.file_modes import private_file_mode, synced_rename
from greeter.journal_schema import (
    DAMAGED_HINT,
    JOURNAL_FILE_MODE,
    SECURE_DELETE,
    emptied_journal_error,
    journal_error,
    missing_journal_error,
    open_read_only,
    path_from_url,
)
from greeter.own_files import OwnFile, refusal


@dataclass(frozen=True, slots=True)
class Backup:
    """What a finished backup holds, as the command reports it."""

    journal: Path
    target: Path
    greetings: int
    schema_version: int

    def text(self) -> str:
        """``backed up data/journal.sqlite3 (1,234 greetings, schema version N) to FILE``."""
        return (
            f"backed up {self.journal} ({self.greetings:,} greeting{'' if self.greetings == 1 else 's'},"
            f" schema version {self.schema_version})"
            f" to {self.target}"
        )


def pg_dump_hint(url: str, target: Path) -> str:
    """The one line that says how a PostgreSQL journal is backed up: ``pg_dump`` of its schema.

    The URL is shown as libpq (and so ``pg_dump``) takes it: without
    greeter's own parameters (``schema=``, ``lease_seconds=``), without the
    password (left out, not blanked: ``pg_dump`` takes it from ``PGPASSWORD`` or
    ``~/.pgpass``), and otherwise byte for byte — decoded, ``options=-csearch_path%3Dx``
    became ``-csearch_path=x``, which libpq refuses ("extra key/value separator
    "=" in URI query parameter"). The schema is ``schema=``'s, else the one the
    connection's ``search_path`` finds, asked of the server
    (:func:`journal_schema_name`).
    """
    import shlex

    from greeter.db_url import redact
    from greeter.journal_pg_schema import TABLES, parse_target

    where = parse_target(url)
    schema = where.schema or journal_schema_name(where.conninfo)
    unless = "" if schema is not None else " (or the schema your search_path names)"
    command = ["pg_dump", "-n", _schema_pattern(schema or "public"), "-Fc", "-f", str(target)]
    tables = f"(the tables {', '.join(TABLES)} and schema_version)"
    return (
        f"a PostgreSQL journal is backed up with pg_dump: {shlex.join(command)}"
        f" {shlex.quote(redact(where.conninfo, drop=True))}{unless} {tables}"
    )


def journal_schema_name(conninfo: str) -> str | None:
    """The schema the journal's connection keeps it in (``current_schema()``); None if the server
    cannot be asked (then the line names ``public``, with a word on ``search_path``)."""
    import psycopg

    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute("SELECT current_schema()").fetchone()
    except psycopg.Error:
        return None
    return None if row is None or row[0] is None else str(row[0])


def _schema_pattern(schema: str) -> str:
    """``schema`` as ``pg_dump -n`` matches it exactly: double-quoted unless plain lower case."""
    plain = schema.isascii() and schema.isidentifier() and schema == schema.lower()
    return schema if plain else '"' + schema.replace('"', '""') + '"'


def check_target(target: Path, protected: Iterable[OwnFile], *, force: bool) -> None:
    """Refuse (exit 2) a target that is one of greeter's own files (the journal's, the config…:
    :func:`greeter.own_files.refusal`), a folder, or one that exists without ``force``: nothing is
    touched before that is known."""
    if (refused := refusal("", target, protected)) is not None:
        raise OutputError(refused)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; name the backup's file, not its folder")
    if (live := live_journal(target)) is not None:
        raise OutputError(live)
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists; --force replaces it")


def live_journal(target: Path) -> str | None:
    """Why ``target`` is refused as another greeter's journal (even with ``--force``), or None.

    ``greeter -c a.yaml backup data/b.sqlite3 --force`` replaced brand B's live
    journal while B's daemon held its lock: B then failed every run ("was
    deleted or replaced"), and a B restarted on it would have taken A's journal
    for its own. A journal is known by what greeter leaves beside it: its lock
    file (made with it, never removed), its ``-wal`` or ``-shm`` — in use now
    when a sender holds the lock (:func:`~greeter.journal_lock.holder_of`
    names it), a journal all the same when none does: replacing it loses what
    it recorded.
    """
    from greeter.journal_lock import holder_of
    from greeter.journal_schema import journal_traces

    traces = journal_traces(target)
    if not traces:
        return None
    holder = holder_of(target)
    if holder is not None:
        why = f"the journal of a greeter sending now (its lock file {traces[0]} is held by {holder})"
    else:
        shows = "shows" if len(traces) == 1 else "show"
        why = f"a greeter journal ({', '.join(str(p) for p in traces)} beside it {shows} it)"
    return (
        f"{target}: is {why}; a backup never replaces a journal, not even with --force: back up to a"
        " file of its own (one backup folder per project)"
    )


def back_up(url: str, target: Path, protected: Iterable[OwnFile], *, force: bool = False) -> Backup:
    """Copy the journal ``url`` names to ``target`` (replacing it only with ``force``); what it holds.

    ``protected``: greeter's own files (:func:`greeter.own_files.own_files`), never the target.

    Raises :class:`JournalError` for a PostgreSQL journal (the ``pg_dump``
    line), a missing, emptied or unreadable journal and a copy that fails its
    integrity check; :class:`OutputError` for a target that is refused or
    cannot be written. Both exit 2.
    """
    if url.startswith("postgresql://"):
        raise JournalError(pg_dump_hint(url, target))
    path = path_from_url(url)
    check_target(target, protected, force=force)
    if (emptied := emptied_journal_error(path)) is not None:
        raise emptied
    if not path.exists():
        raise missing_journal_error(path)
    try:
        source = open_read_only(path)
    except sqlite3.Error as exc:
        raise journal_error(f"journal {path}: {exc}", exc) from exc
    try:
        greetings, version = _copy(source, path, target)
    finally:
        source.close()
    return Backup(path, target, greetings, version)


def _copy(source: sqlite3.Connection, path: Path, target: Path) -> tuple[int, int]:
    """Write ``source`` to a temporary file beside ``target``, check it, then rename it into place."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:  # its folder is missing or not writable: said of FILE, not of the temporary name
        raise OutputError.of(target, exc) from exc
    try:  # 0600 as the journal itself (every client's address); 0660 in a folder shared with its group
        os.fchmod(fd, private_file_mode(target.parent, JOURNAL_FILE_MODE))  # as the journal there
    finally:
        os.close(fd)
    temp = Path(name)
    try:
        counts = _write_and_verify(source, path, temp)
        durable_rename(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return counts


def _write_and_verify(source: sqlite3.Connection, path: Path, temp: Path) -> tuple[int, int]:
    """The backup API into ``temp``, as one self-contained file; (greetings, schema version) of the copy.

    The copy leaves WAL mode (``journal_mode = DELETE``): a single file that
    can be read anywhere, even on a read-only mount. A restored journal is
    switched back to WAL by the first greeter that opens it.
    """
    copy = sqlite3.connect(temp, isolation_level=None)
    try:
        copy.execute(SECURE_DELETE)  # pages come over as the journal's are; set as on every connection
        try:
            source.backup(copy)
        except sqlite3.Error as exc:
            raise journal_error(f"journal {path}: cannot back it up: {exc}", exc) from exc
        try:
            copy.execute("PRAGMA journal_mode = DELETE")
            return _verify(copy, path)
        except sqlite3.Error as exc:
            # The backup API copies pages as they are: a malformed copy is the journal's damage,
            # said as send says it, not blamed on the temporary file.
            damaged = journal_error(f"journal {path}: cannot back it up: {exc}", exc)
            if DAMAGED_HINT in str(damaged):
                # send's words, but "greeter backup makes one" is this very command: an earlier backup
                said = str(damaged).replace(DAMAGED_HINT, BACKUP_DAMAGED_HINT)
                raise JournalError(said) from exc
            raise OutputError(f"{temp}: cannot write the backup: {exc}") from exc
    finally:
        copy.close()


#: What ``backup`` says of a damaged journal instead of :data:`DAMAGED_HINT`, whose advice
#: ("greeter backup makes one") names the command that just refused.
BACKUP_DAMAGED_HINT = (
    "the journal is damaged, so no backup of it is worth keeping; stop greeter, restore it from an"
    " earlier backup, deleting the damaged file's -wal and -shm beside it first"
)


def _verify(copy: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """The copy's (greetings, schema version), once ``PRAGMA integrity_check`` says ``ok`` of it.

    A copy that fails it was copied from a journal that fails it too (the
    backup API copies pages as they are): nothing is kept, and it is said.
    """
    verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise JournalError(
            f"journal {path}: its copy fails PRAGMA integrity_check ({verdict}), so the journal itself"
            f" may be damaged; no backup written"
        )
    tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        raise JournalError(f"journal {path}: not a greeter journal; no backup written")
    version = int(copy.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])
    greetings = int(copy.execute("SELECT count(*) FROM greetings").fetchone()[0])
    return greetings, version


def durable_rename(temp: Path, target: Path) -> None:
    """``temp``'s bytes on disk, then its name made ``target``'s, and that rename on disk too
    (:func:`~greeter.file_modes.synced_rename`), a failure said of ``target``."""
    try:
        synced_rename(temp, target)
    except OSError as exc:
        raise OutputError.of(target, exc) from exc
