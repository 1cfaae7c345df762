"""The journal's SQLite schema as an ordered list of migrations, and the row mapping.

A journal outlives many greeter versions, so the schema is never edited in
place: each change is a new :class:`Migration` appended to :data:`MIGRATIONS`
and applied once, in one transaction with its ``schema_version`` row (SQLite
DDL is transactional), so a crash mid-upgrade leaves the old schema intact.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from greeter.errors import (
    TEMPORARY_ERRNOS,
    JournalDamagedError,
    JournalError,
    JournalMissingError,
    JournalTooNewError,
    JournalUnavailableError,
)
from greeter.file_modes import make_group_folder, private_file_mode
from greeter.journal_access import READ_ONLY_MOUNT as READ_ONLY_MOUNT  # re-exported: its home before
from greeter.journal_access import sealed, unwritable_side_files, why_read_only
from greeter.journal_optout_events import EVENTS_TABLE
from greeter.journal_project import PROJECT_TABLE
from greeter.journal_sql import (
    METRICS_INDEXES,
    OCCASIONS_ALREADY_GREETED,
    SECRETS_TABLE,
    current_version,
    entry_from_row,
    newer_schema,
    run_migrations,
)
from greeter.journal_sql import Migration as Migration  # re-exported: the type of MIGRATIONS
from greeter.journal_store import LETTER_STATES, STATES, JournalEntry, JournalKey

#: Selects one greeting by the named parameters of :func:`key_params`.
KEY_WHERE = "contact_id = :cid AND occasion = :occ AND occasion_date = :day"


#: SQL: every column of ``greetings`` (migrations 1, 3 and 9), in the table's order, as migration 11
#: copies them into the table it rebuilds.
_GREETINGS_COLUMNS = (
    "contact_id, occasion, occasion_date, state, email, message_id, attempts, last_reply, reason,"
    " planned_at, send_day, utc_offset_minutes, next_attempt_at, merged, content_hash, created_at,"
    " updated_at, sent_at, payload, subject"
)

#: The table of the letters not yet finished (migration 14): a greeting's bytes from its claim until
#: a move into a state not in :data:`~greeter.journal_states.LETTER_STATES` (:data:`LETTER_TRIGGERS`).
LETTERS_TABLE = "letters"

#: SQL: whether the greeting ``{row}`` (``NEW``) is in a state that keeps its letter
#: (:data:`~greeter.journal_states.LETTER_STATES`). Comparisons, not an ``IN`` list: SQLite fills
#: an ephemeral table with the list each time it is asked (migration 11's note).
_KEEPS_LETTER = " OR ".join(f"{{row}}.state = '{s}'" for s in LETTER_STATES)

#: The letter's own row goes in the same statement as the move that finishes its greeting, and
#: with a greeting deleted (a release, ``forget``, a purge, ``pull_back``): no statement of the
#: journal's names ``letters`` but the claim that writes it and the reads of it. SQLite's own
#: truth, not each writer's: a path that forgot it would leave a finished letter's bytes, a
#: person's, in the file after ``forget``. The key columns never change (the primary key).
LETTER_TRIGGERS = (
    f"""
    CREATE TRIGGER letters_dropped_when_finished AFTER UPDATE OF state ON greetings
    WHEN NOT ({_KEEPS_LETTER.format(row="NEW")})
    BEGIN
        DELETE FROM {LETTERS_TABLE} WHERE contact_id = OLD.contact_id AND occasion = OLD.occasion
            AND occasion_date = OLD.occasion_date;
    END
    """,
    f"""
    CREATE TRIGGER letters_dropped_with_greeting AFTER DELETE ON greetings
    BEGIN
        DELETE FROM {LETTERS_TABLE} WHERE contact_id = OLD.contact_id AND occasion = OLD.occasion
            AND occasion_date = OLD.occasion_date;
    END
    """,
)

#: SQL: every column of ``greetings`` but ``payload``, which migration 14 moves to :data:`LETTERS_TABLE`.
_GREETINGS_V14_COLUMNS = _GREETINGS_COLUMNS.replace(" payload,", "")

#: Migration 14 keeps an unsent letter's bytes in :data:`LETTERS_TABLE`, not in its greeting's row.
#: In the row, SQLite kept ~2.2 KB of a ~10.4 KB letter in the row's own page (the rest in overflow
#: pages), so a claimed row took a page nearly alone, and that page stayed mostly empty once the
#: verdict dropped the bytes: 2,000 letters sent left an 8.8 MB file of 2,150 pages, ~4.4 KB a
#: greeting, growing so with every batch (bench/bench_journal_size.py; ``VACUUM``: 1.1 MB). In
#: their own table (``WITHOUT ROWID``: one b-tree, no second index of the key) the verdict's
#: trigger deletes the letter's row, its pages go to the freelist and the next claims take them
#: again: 2.2 MB, a greeting's row and its index entries ~0.6 KB, the rest the letters in flight's
#: pages, kept free. The price: a second statement a claim (the round's letters in one
#: ``executemany``) and the trigger's delete a verdict, ~56,000 instructions a letter more in the
#: sending process (bench/callgrind_send.py --letters 2000: 3,467.6 M before, 3,585.4 M after, of
#: which 5.9 M is this migration making a new journal), and 36.9 KB a letter written to the ``-wal``
#: where the row wrote 34.2 KB (a rowid table with a UNIQUE key: 37.7 KB; bench_journal_size.py
#: --wal). ``greetings`` is rebuilt without the column (as migration 11 rebuilt it: rowids kept),
#: not ``ALTER TABLE … DROP COLUMN``, which needs SQLite 3.35 (Python 3.11 may be built on an
#: older one). A future rebuild of ``greetings`` must make :data:`LETTER_TRIGGERS` again (``DROP
#: TABLE`` drops them).
#:
#: Migration 11 rebuilds ``greetings`` (SQLite cannot alter a CHECK) for one reason: SQLite
#: evaluates a CHECK's ``state IN (…7 states…)`` by filling an ephemeral table with the list on
#: every INSERT and every UPDATE that sets ``state``: ~48 K instructions a statement, ~70 K of
#: the journal's ~418 K a letter (a claim and its verdict), ~62 K of the sending process's
#: ~1.07 M a letter (callgrind). The same states as ``state = 'a' OR …`` cost ~1 K (``CASE``
#: as much), and a state outside :data:`STATES` is refused all the same. A new journal gets
#: migration 1's table and the rebuild too, so it ends identical to an upgraded one (the
#: renamed table's SQL reads ``CREATE TABLE "greetings"``), with the first table's pages left
#: free in its file (4, 16 KB: its first rows reuse them).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "greetings journal",
        (
            f"""
            CREATE TABLE greetings (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ({", ".join(f"'{s}'" for s in STATES)})),
                email TEXT,
                message_id TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_reply TEXT,
                reason TEXT,
                planned_at TEXT,
                send_day TEXT,
                utc_offset_minutes INTEGER,
                next_attempt_at TEXT,
                merged TEXT NOT NULL DEFAULT '[]',
                content_hash TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sent_at TEXT,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
            "CREATE INDEX greetings_by_state ON greetings (state, next_attempt_at)",
            "CREATE INDEX greetings_by_day ON greetings (send_day)",
        ),
    ),
    Migration(
        2,
        "do-not-contact list",
        (
            """
            CREATE TABLE suppression (
                email TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        3,
        "letter bytes kept for retries and operator resends",
        ("ALTER TABLE greetings ADD COLUMN payload BLOB",),
    ),
    Migration(
        4,
        "approvals of reviewed drafts (review: required)",
        (
            """
            CREATE TABLE approvals (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                approved_at TEXT NOT NULL,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
        ),
    ),
    Migration(
        5,
        "when each occasion was first planned (an occasion added later is not caught up)",
        (
            """
            CREATE TABLE occasions (
                name TEXT PRIMARY KEY,
                since TEXT
            )
            """,
            OCCASIONS_ALREADY_GREETED,
        ),
    ),
    Migration(
        6,
        "what send --once last said of contact row problems (said again only when they change)",
        (
            """
            CREATE TABLE notices (
                name TEXT PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                said_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        7,
        "the journal's own secret keys (its Message-IDs, which no one else can compute)",
        (f"CREATE TABLE {SECRETS_TABLE} (name TEXT PRIMARY KEY, value BLOB NOT NULL)",),
    ),
    Migration(
        8,
        "person-level opt-outs: an unsubscribe or complaint binds the contact id, not only the address",
        (
            """
            CREATE TABLE suppressed_contacts (
                contact_id TEXT PRIMARY KEY,
                email TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        9,
        "the subject of each letter, as its reader saw it (for greeter history)",
        ("ALTER TABLE greetings ADD COLUMN subject TEXT",),
    ),
    Migration(
        10,
        "the project the journal belongs to (its sender and contacts): another config's send is refused",
        (
            f"CREATE TABLE {PROJECT_TABLE}"
            " (name TEXT PRIMARY KEY, value TEXT NOT NULL, recorded_at TEXT NOT NULL)",
        ),
    ),
    Migration(
        11,
        "greetings' state checked by a chain of comparisons, not an IN list (cheaper on every write)",
        (
            f"""
            CREATE TABLE greetings_v11 (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                state TEXT NOT NULL CHECK ({" OR ".join(f"state = '{s}'" for s in STATES)}),
                email TEXT,
                message_id TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_reply TEXT,
                reason TEXT,
                planned_at TEXT,
                send_day TEXT,
                utc_offset_minutes INTEGER,
                next_attempt_at TEXT,
                merged TEXT NOT NULL DEFAULT '[]',
                content_hash TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sent_at TEXT,
                payload BLOB,
                subject TEXT,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
            f"INSERT INTO greetings_v11 (rowid, {_GREETINGS_COLUMNS})"
            f" SELECT rowid, {_GREETINGS_COLUMNS} FROM greetings",  # rowids too: scans keep their order
            "DROP TABLE greetings",  # and its indexes, made again below
            "ALTER TABLE greetings_v11 RENAME TO greetings",
            "CREATE INDEX greetings_by_state ON greetings (state, next_attempt_at)",
            "CREATE INDEX greetings_by_day ON greetings (send_day)",
        ),
    ),
    Migration(
        12,
        "opt-out events: each address or person put on the do-not-contact list or taken off, kept",
        (
            f"""
            CREATE TABLE {EVENTS_TABLE} (
                recorded_at TEXT NOT NULL,
                event TEXT NOT NULL CHECK (event = 'added' OR event = 'lifted'),
                email TEXT NOT NULL,
                contact_id TEXT,
                channel TEXT NOT NULL,
                reason TEXT NOT NULL,
                actor TEXT,
                since TEXT
            )
            """,
            f"CREATE INDEX optout_events_by_email ON {EVENTS_TABLE} (email)",
        ),
    ),
    Migration(
        13, "indexes for /metrics' read of the journal and the daemon's refusals at start", METRICS_INDEXES
    ),
    Migration(
        14,
        "unsent letters' bytes in a table of their own: a finished greeting's page is not left mostly empty",
        (
            f"""
            CREATE TABLE {LETTERS_TABLE} (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            ) WITHOUT ROWID
            """,
            f"INSERT INTO {LETTERS_TABLE} (contact_id, occasion, occasion_date, payload)"
            " SELECT contact_id, occasion, occasion_date, payload FROM greetings WHERE payload IS NOT NULL",
            f"""
            CREATE TABLE greetings_v14 (
                contact_id TEXT NOT NULL,
                occasion TEXT NOT NULL,
                occasion_date TEXT NOT NULL,
                state TEXT NOT NULL CHECK ({" OR ".join(f"state = '{s}'" for s in STATES)}),
                email TEXT,
                message_id TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_reply TEXT,
                reason TEXT,
                planned_at TEXT,
                send_day TEXT,
                utc_offset_minutes INTEGER,
                next_attempt_at TEXT,
                merged TEXT NOT NULL DEFAULT '[]',
                content_hash TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sent_at TEXT,
                subject TEXT,
                PRIMARY KEY (contact_id, occasion, occasion_date)
            )
            """,
            f"INSERT INTO greetings_v14 (rowid, {_GREETINGS_V14_COLUMNS})"
            f" SELECT rowid, {_GREETINGS_V14_COLUMNS} FROM greetings",
            "DROP TABLE greetings",  # and its indexes, made again below
            "ALTER TABLE greetings_v14 RENAME TO greetings",
            "CREATE INDEX greetings_by_state ON greetings (state, next_attempt_at)",
            "CREATE INDEX greetings_by_day ON greetings (send_day)",
            *METRICS_INDEXES,
            *LETTER_TRIGGERS,
        ),
    ),
)

_BUSY_TIMEOUT_MS = 5000

assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), "versions are 1..n"

#: The migrations' own ledger in this backend's types (applied by :func:`greeter.journal_sql.run_migrations`).
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


#: SQLite result codes (primary, by name; extended codes such as ``SQLITE_IOERR_WRITE`` share the
#: prefix) that say the journal cannot be used *now* rather than that the setup is wrong: the
#: disk is full, the device failed, another connection held the database past the busy timeout.
#: Everything else (``CANTOPEN``: a wrong path or permissions; ``READONLY``; ``NOTADB``;
#: ``CORRUPT``; SQL errors) stays a plain :class:`JournalError`, exit 2.
_OPERATIONAL_SQLITE = (
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_NOMEM",
    "SQLITE_PROTOCOL",
)

#: The same for an ``OSError`` met while creating the journal's folder or lock file: an output's too.
_OPERATIONAL_ERRNO = TEMPORARY_ERRNOS


def is_operational(exc: BaseException) -> bool:
    """Whether an SQLite or OS error means "not now" (disk full, I/O error, locked) rather than "wrong"."""
    if isinstance(exc, sqlite3.Error):
        return _sqlite_code(exc, *_OPERATIONAL_SQLITE)
    if isinstance(exc, OSError):
        return exc.errno in _OPERATIONAL_ERRNO
    return False


#: What to do about a journal SQLite finds damaged (``SQLITE_NOTADB``, ``SQLITE_CORRUPT``): as for a
#: lost one (:func:`lost_journal_error`), the damaged file's ``-wal`` and ``-shm`` must go before a
#: backup is put back, or SQLite would replay that log into it.
DAMAGED_HINT = (
    "the journal is damaged; stop greeter, restore it from a backup (greeter backup makes one),"
    " deleting the damaged file's -wal and -shm beside it first"
)

#: What a busy timeout (``SQLITE_BUSY``) means: another connection held a write transaction for
#: longer than greeter waits. Not the sender lock (:meth:`greeter.journal.Journal.lock_sender`),
#: whose "another greeter is already sending" stays as it is.
LOCKED_HINT = (
    "by another program (a sqlite3 shell or a backup holding a write transaction): try again when it lets go"
)


def _sqlite_code(exc: BaseException, *codes: str) -> bool:
    """Whether ``exc`` is an SQLite error of one of these primary result codes (extended ones too)."""
    if not isinstance(exc, sqlite3.Error):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    return any(name == code or name.startswith(code + "_") for code in codes)


def journal_error(message: str, exc: BaseException) -> JournalError:
    """``exc`` as the journal error an operator can act on: :class:`JournalUnavailableError` (exit 75)
    for a full disk, an I/O error or a lock held too long, else :class:`JournalError` (exit 2).

    SQLite's own words name neither the cause nor the remedy: "file is not a
    database" and "database disk image is malformed" get the restore
    (:data:`DAMAGED_HINT`), "database is locked" who holds it
    (:data:`LOCKED_HINT`) — said here, once, for every command.
    """
    if _sqlite_code(exc, "SQLITE_NOTADB", "SQLITE_CORRUPT"):
        message = f"{message}: {DAMAGED_HINT}"
    elif _sqlite_code(exc, "SQLITE_BUSY"):
        # SQLite's "database is locked" read on: "… is locked by another program (…)".
        message += f" {LOCKED_HINT}" if message.endswith(" is locked") else f": it is locked {LOCKED_HINT}"
    return (JournalUnavailableError if is_operational(exc) else JournalError)(message)


def _retry_locked(step: Callable[[], object]) -> None:
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def folder_error(path: Path) -> JournalError | None:
    """The refusal of a ``storage.url`` that names a folder (``send`` and ``check`` alike), else None.

    SQLite says "disk I/O error" for it, which reads as temporary (exit 75,
    restarts forever); the mistake is the setting.
    """
    if not path.is_dir():
        return None
    return JournalError(
        f"journal {path} is a folder; storage.url names the journal's file (e.g. sqlite:///data/journal.sqlite3)"
    )


#: Set on every connection greeter opens to a journal: a row deleted (``greeter forget``, a purge)
#: is overwritten with zeros, in its page and in pages freed, instead of staying in the file's free
#: space until reused. SQLite's default build leaves it off (Debian's turns it on); a journal
#: deletes rarely, so the cost is small.
SECURE_DELETE = "PRAGMA secure_delete = ON"


def connect(path: Path, *, now_iso: str) -> tuple[sqlite3.Connection, int | None]:
    """Open (creating folder and file) and migrate the database; errors become :class:`JournalError`.

    Also returns the schema version the journal was upgraded from (None: it was new or up to date),
    for the command to say so: an older greeter can no longer open it.
    """
    if (folder := folder_error(path)) is not None:
        raise folder
    if (refused := _unwritable(path)) is not None:
        raise refused
    try:
        # 0750 less the umask, as greeter's other folders: a umask 000 must not make it one
        # shared with the group, which would widen the journal's mode (private_file_mode);
        # in a folder shared with its group (2770), 2770 like it (created_folder_mode).
        make_group_folder(path.parent)
        if str(path) != ":memory:":
            _create_private(path)
        conn = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise journal_error(f"cannot open journal {path}: {with_cause(exc, path)}", exc) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        # Switching a new file to WAL needs an exclusive lock and does not always wait
        # for the busy timeout: two processes opening a fresh journal at once could
        # see "database is locked". Retry within the same time budget.
        _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        # FULL: a committed claim must survive power loss, or a letter could go twice.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(SECURE_DELETE)
        upgraded_from = _upgrade(conn, path, now_iso)
    except sqlite3.Error as exc:
        conn.close()
        raise journal_error(f"journal {path}: {with_cause(exc, path)}", exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn, upgraded_from


def _upgrade(conn: sqlite3.Connection, path: Path, now_iso: str) -> int | None:
    """:func:`migrate` the journal; the version it was upgraded from, or None (new, or up to date).

    An existing journal of an older schema is upgraded only under its sender lock
    (:func:`~greeter.journal_lock.held_for_upgrade`): never under an older greeter still running
    on it. Its version is read again under the lock, as another greeter may have upgraded it meanwhile.
    One a newer greeter wrote is refused naming its file, as every other refusal of a journal does.
    """
    from greeter.journal_lock import held_for_upgrade  # it builds on this module

    latest = len(MIGRATIONS)
    found = _stored_version(conn)
    if found > latest:
        # Exit 2, not a PostgreSQL journal's 75 (JournalNewerError): no other machine's rolling
        # upgrade wrote this file, but a newer greeter here (downgraded since) or on the machine it
        # was copied from. Nothing mends that by itself, so a restart or a retry would only loop.
        raise JournalTooNewError(f"journal {path}: {newer_schema(found, latest)}")
    if not 0 < found < latest or str(path) == ":memory:":
        _retry_locked(lambda: migrate(conn, now_iso=now_iso))  # new, or up to date
        return None
    with held_for_upgrade(path, found, latest):
        found = _stored_version(conn)
        _retry_locked(lambda: migrate(conn, now_iso=now_iso))
    return found if found < latest else None


def _stored_version(conn: sqlite3.Connection) -> int:
    """The journal's schema version as stored (0: no ``schema_version`` table yet)."""
    if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone():
        return current_version(conn)
    return 0


def _unwritable(path: Path) -> JournalError | None:
    """The refusal of a journal this user may not write (or whose ``-wal``/``-shm`` it may not), else None.

    Said before SQLite opens it: SQLite would open it read-only without a word,
    make ``-wal`` and ``-shm`` files with its read-only mode beside it (which
    then stop every send after the journal's mode is restored), and fail at the
    first write with "attempt to write a readonly database", naming no cause.
    A read-only mount or a folder is left to SQLite's own error, with the cause
    added (:func:`with_cause`): SQLite may still manage with ``-wal``/``-shm``
    already there.
    """
    try:
        if not path.exists() or os.statvfs(path).f_flag & os.ST_RDONLY:
            return None
    except OSError:
        return None
    why = why_read_only(path) if not os.access(path, os.W_OK) else unwritable_side_files(path)
    return None if why is None else JournalError(f"journal {path} cannot be written here: {why}")


#: The journal file's mode when greeter creates it: it holds every client's address and the
#: history of what they were sent. Only greeter's own user opens it (operators run greeter
#: as that user: ``sudo -u greeter greeter history``), so not even its group may read it —
#: unless the journal's folder is itself shared with its group (``2770``, a Kubernetes fsGroup
#: volume): then ``0660`` (:func:`~greeter.file_modes.private_file_mode`), so that a pod restarted
#: under another UID of that group can open it. SQLite gives the ``-wal`` and ``-shm`` files it
#: makes beside it the journal's mode.
JOURNAL_FILE_MODE = 0o600


def _create_private(path: Path) -> None:
    """Create the journal's (empty) file with :data:`JOURNAL_FILE_MODE`, whatever the umask
    (``0660`` in a folder shared with its group: :func:`~greeter.file_modes.private_file_mode`).

    SQLite would create it ``0644`` less the umask — readable by every user of
    the machine. An empty file is a new database to SQLite. One that exists
    (another process made it meanwhile) is left as it is. A file that cannot be
    made (a read-only mount, a full disk) is left to SQLite to fail on: its
    "unable to open database file" is what ``check`` says (docs/commands.md, *Exit 2*).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, JOURNAL_FILE_MODE)
    except OSError:
        return
    try:
        # the umask may have taken bits; a folder shared with the group adds the group's
        os.fchmod(fd, private_file_mode(path.parent, JOURNAL_FILE_MODE))
    finally:
        os.close(fd)


def with_cause(exc: BaseException, path: Path) -> str:
    """SQLite's (or the OS's) message, and why the file cannot be written when that is the likely reason."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    cannot_write = name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")) or (
        isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    )
    why = why_read_only(path) if cannot_write else None
    said = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{said} ({why})" if why else said


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open an existing SQLite journal for reading only, even on a read-only mount; rows by name.

    ``mode=ro`` reads a WAL journal whose ``-wal`` and ``-shm`` files exist
    (a sender is running, or died) even where nothing can be written. A
    journal closed cleanly has neither, and on a read-only mount SQLite cannot
    create the ``-shm`` it needs (nor on a full disk): then ``immutable=1``
    reads the file as it is — complete, since without a ``-wal`` (or with an
    empty one, which a failed open leaves behind) every change is in it.
    Never with frames in the ``-wal``: ``immutable`` would ignore them and
    show old data. A journal no one but root may write (``chmod 444``,
    :func:`~greeter.journal_access.sealed`) is read ``immutable`` first: SQLite
    would otherwise leave ``-wal`` and ``-shm`` files with its read-only mode.
    Raises the last ``sqlite3.Error``; the connection is tried
    with a query.
    """
    base = f"file:{urllib.parse.quote(str(path))}?mode=ro"
    wal = Path(f"{path}-wal")
    unwritten = wal.exists() and wal.stat().st_size > 0
    if unwritten:
        uris = [base]
    elif sealed(path):  # SQLite would leave -wal and -shm with its read-only mode: they stop a later send
        uris = [base + "&immutable=1", base]
    else:
        uris = [base, base + "&immutable=1"]
    for i, uri in enumerate(uris):
        conn = None
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute(SECURE_DELETE)  # deletes nothing here; set all the same, as on every connection
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            if i == len(uris) - 1:
                raise
    raise AssertionError("unreachable")


def connect_read_only(path: Path, *, latest: int) -> sqlite3.Connection:
    """:func:`open_read_only` for a journal of exactly this greeter's schema; errors are JournalError.

    An older schema needs the migration only a writer can apply; reading it
    anyway could miss tables (approvals, occasions) the planner reads.
    """
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        raise journal_error(f"journal {path}: cannot read it either: {exc}", exc) from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            what = "not a greeter journal" if tables else "an empty journal"
            raise JournalError(f"journal {path}: {what} (opened read-only)")
        version = int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])
        if version > latest:  # what the writable open says (_upgrade): the same refusal
            raise JournalTooNewError(f"journal {path}: {newer_schema(version, latest)}")
        if version != latest:
            older = "older: a send or run with write access upgrades it first"
            raise JournalError(f"journal {path}: schema version {version} of {latest} ({older})")
    except sqlite3.Error as exc:
        conn.close()
        raise journal_error(f"journal {path}: {exc}", exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, *, now_iso: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to ``migrations``; return the schema version now in force.

    Idempotent: an up-to-date journal is left untouched. A journal written by
    a newer greeter, or a database that is not a journal at all, is refused
    rather than "repaired".
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "schema_version" not in tables:
            raise JournalError(f"not a greeter journal (it has other tables: {', '.join(sorted(tables))})")
        version = run_migrations(conn, migrations, version_table=_VERSION_TABLE, mark="?", applied_at=now_iso)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # not after SQLite rolled back by itself (a full disk, an I/O error)
            conn.execute("ROLLBACK")
        raise
    return version


def db_time(moment: datetime) -> str:
    """Aware datetime → fixed-width UTC ISO text, so comparing strings in SQL compares times."""
    if moment.tzinfo is None:
        raise ValueError(f"journal times must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def key_params(key: JournalKey) -> dict[str, str]:
    return {"cid": key[0], "occ": key[1], "day": key[2].isoformat()}


def row_to_entry(row: sqlite3.Row) -> JournalEntry:
    """A ``greetings`` row, whose days, times and merged list SQLite keeps as text."""
    return entry_from_row(row, day=date.fromisoformat, moment=datetime.fromisoformat, merged=json.loads)


def lock_path(path: Path) -> Path:
    """``<db>.lock`` beside the journal's real file, symbolic links resolved (``Journal.lock_sender``)."""
    real = path.resolve()
    return real.with_name(real.name + ".lock")


def sent_note_path(path: Path) -> Path:
    """``<db>.sent`` beside the journal's real file, symbolic links resolved: the note of its newest
    sent letter (:mod:`greeter.journal_mark`)."""
    real = path.resolve()
    return real.with_name(real.name + ".sent")


def journal_traces(path: Path) -> list[Path]:
    """The files beside ``path`` that only a journal there leaves: its lock file, its ``-wal``, ``-shm``.

    The lock file is made with the journal and never removed (a sender's
    crash or stop leaves it, unlocked), so a journal file missing where one
    of these is found was lost — deleted, or a disk restored without it —
    not yet to be made: making a new, empty one would send every greeting
    the old one recorded again.
    """
    if str(path) == ":memory:":
        return []
    return [p for p in (lock_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def lost_journal_error(path: Path, traces: list[Path]) -> JournalMissingError:
    """The refusal to make a new journal where ``traces`` show one existed (one line, saying what to do).

    A ``-wal`` or ``-shm`` left by the lost file must go before a backup is put
    back: SQLite would replay that log into the restored journal.
    """
    names = ", ".join(str(p) for p in traces)
    shows = f"its lock file {names} shows" if traces == [lock_path(path)] else f"{names} show"
    stale = ", ".join(str(p) for p in traces if p != lock_path(path))
    first = f" (deleting the lost file's {stale} first)" if stale else ""
    # Left, the note would have the fresh journal refused as one put back from an older copy.
    note = sent_note_path(path)
    also = f" and its note {note}" if note.exists() else ""
    return JournalMissingError(
        f"journal {path} is missing, but {shows} it existed: restore the journal from a backup{first};"
        f" or, if a fresh start is really meant (every greeting it recorded may then be sent again),"
        f" delete {names}{also}"
    )


def emptied_journal_error(path: Path) -> JournalDamagedError | None:
    """The refusal to read a journal file emptied to 0 bytes where its traces show it held one; None
    when the file is not so.

    SQLite reads an empty file as a new, empty database: after a crash
    mid-copy, a stray ``>`` redirect or a failed restore, the next send found
    "nothing sent yet" and sent every greeting again (131 duplicate
    Message-IDs in a test). A journal greeter makes is never empty — its
    first write puts the header there — so an empty one beside its lock file
    was emptied, and is refused as a lost one is (:func:`lost_journal_error`).
    """
    try:
        if path.stat().st_size != 0:
            return None
    except OSError:
        return None
    traces = journal_traces(path)
    if not traces:
        return None  # an empty file nobody's journal left (made by hand): SQLite makes it a journal
    names = ", ".join(str(p) for p in traces)
    return JournalDamagedError(
        f"journal {path} is empty (0 bytes), but {names} show(s) it held a journal: it was truncated"
        " (a crash while copying it, a > redirect): restore the journal from a backup; or, if a fresh"
        f" start is really meant (every greeting it recorded may then be sent again), delete {path}"
        f" and {names}"
    )


def hard_linked_error(path: Path) -> JournalDamagedError | None:
    """The refusal to open a journal file that has more than one name (hard links); None otherwise.

    SQLite keeps a database's ``-wal`` and ``-shm`` by the name it was opened
    by, so two names of one journal are two write-ahead logs over one file:
    an opt-out written through ``link.sqlite3`` while the daemon held
    ``journal.sqlite3`` was gone once both closed, and two senders through
    two names left the journal malformed (SQLite's own "How To Corrupt"
    lists it). One name is the only safe number, so every command refuses.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    links = st.st_nlink
    if links <= 1 or not stat.S_ISREG(st.st_mode):  # a folder has two names at least ("." too)
        return None
    return JournalDamagedError(
        f"journal {path} has {links} names (hard links): SQLite keeps its -wal and -shm by name, so"
        " what is written through one name is lost to the others (an opt-out, a letter sent); keep"
        f" one name and remove the others (find them: find / -xdev -samefile {path}), then run again"
    )


def missing_journal_error(path: Path) -> JournalMissingError:
    """Why a command that needs the journal at ``path`` (missing) stops: lost, or never made here."""
    traces = journal_traces(path)
    if traces:
        return lost_journal_error(path, traces)
    return JournalMissingError(
        f"no journal at {path} (storage.url): nothing has been sent from this config yet,"
        " or the path is wrong"
    )


def path_from_url(url_or_path: str) -> Path:
    if url_or_path.startswith("postgresql://"):
        raise JournalError("Journal is the SQLite journal; open PostgreSQL URLs with open_journal()")
    if url_or_path.startswith("sqlite:///"):
        return Path(url_or_path.removeprefix("sqlite:///"))
    if "://" in url_or_path:
        from greeter.db_url import redact  # the URL may carry a password: never said

        raise JournalError(
            f"unsupported journal URL {redact(url_or_path)!r}; use sqlite:///PATH or postgresql://USER@HOST/DB"
        )
    return Path(url_or_path)
