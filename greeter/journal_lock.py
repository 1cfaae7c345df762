"""The SQLite journal's sender lock, and the file it guards being the one opened.

Two processes never send from one journal: :meth:`SenderLock.lock_sender`
takes an OS file lock the kernel releases when the process dies. The lock is
only as good as the file it is on, so the checks that the journal's path
still names the file opened (not deleted, replaced or emptied under a
running sender) live with it, as does the fork hook that keeps a build
worker from inheriting the lock. A mixin of :class:`greeter.journal.Journal`,
on the attributes its ``__init__`` sets.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from greeter.errors import (
    JournalDamagedError,
    JournalError,
    JournalLockedError,
    JournalMissingError,
    JournalReplacedError,
)
from greeter.file_modes import share_with_group_if_folder_does
from greeter.journal_schema import journal_error, lock_path, with_cause
from greeter.journal_store import WAIT_FOR_SENDER

#: How long :meth:`Journal.lock_sender` keeps trying a lock found taken, in seconds: long
#: enough to outwait a reader's probe of it, short enough not to matter to a refused sender.
_LOCK_PATIENCE = 0.2


class SenderLock:
    """Mixin: the ``flock`` that makes one process the sender, and the journal file's identity."""

    _conn: sqlite3.Connection
    _path: Path
    #: Why the journal was opened for reading only (None: it is writable).
    read_only: str | None
    _lock_fd: int | None
    _file_lock_fd: int | None
    _identity: tuple[int, int] | None
    #: The journal's identity mark (:data:`IDENTITY_NOTICE`) as the sender found it at its first run;
    #: None: not a sender (yet), or no file (in memory).
    _mark: str | None
    #: Whether the journal's file itself (its ``-wal`` left aside) was once seen holding :attr:`_mark`:
    #: from then on a file without it is another journal's (:meth:`_same_mark`).
    _mark_in_file: bool

    def lock_sender(
        self, *, config: Path | None = None, doing: str | None = None, busy: str = WAIT_FOR_SENDER
    ) -> None:
        """Become the only process sending from this journal (``flock`` on ``<db>.lock``).

        The pid, host name and ``config`` (the sender's config file) written into the file
        only serve the error message of the process that finds the lock taken
        (:func:`lock_holder`): on a volume pods share, the pid alone does not say which pod
        holds it, nor, on a host running several projects, which of their configs names this
        journal (by mistake: two configs sharing one journal). A lock found taken is tried again
        for a moment (:data:`_LOCK_PATIENCE`): ``greeter history`` tests it
        with a shared lock held for microseconds (:meth:`sender_active`), and
        a reader must never make a starting sender give up.
        """
        if self._lock_fd is not None:
            return
        if self.read_only is not None:
            where = self._path.absolute()
            why = f"can only be read here ({self.read_only}); sending needs to write it"
            raise JournalError(f"journal {where} {why}")
        lock_path = self._lock_path
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            share_with_group_if_folder_does(fd, lock_path.parent)  # every sender opens it to write
        except OSError as exc:
            said = with_cause(exc, self._path)
            raise journal_error(f"cannot create lock file {lock_path}: {said}", exc) from exc
        if not flock_within(fd, _LOCK_PATIENCE, 0.01):
            content = os.pread(fd, _LOCK_FILE_MAX, 0)
            os.close(fd)
            if _lock_file_doing(content):  # not a sender: a copy, after which this journal is stale
                raise JournalLockedError(
                    f"journal {self._shown_path} is being copied ({lock_holder(content)}): nothing is"
                    " sent from it meanwhile; once the copy is done, greeter sends from the copy"
                    " (set storage.url to it)"
                )
            raise JournalLockedError(
                f"another greeter is already sending from journal {self._shown_path} "
                f"({lock_holder(content)}){_other_config(content, config)}; {busy}"
            )
        self._lock_file_itself(fd, busy)
        os.ftruncate(fd, 0)
        os.pwrite(fd, lock_file_text(config, doing).encode(), 0)
        self._lock_fd = fd
        # A forked child (a build worker) shares the lock's open file, and with it the
        # flock: were it to outlive a killed sender, the next sender would find the
        # journal locked. The child closes its copy; the parent's lock is untouched.
        _LOCK_HOLDERS.add(self)

    def _lock_file_itself(self, lock_fd: int, busy: str) -> None:
        """Also ``flock`` the journal file itself: the lock follows the file, not its name.

        ``<db>.lock`` is named after the path (symbolic links resolved), so two
        hard links to one journal had a lock each: two ``send --once`` both
        sent everything (358 duplicates), and each name's own ``-wal``/``-shm``
        left the journal malformed. A flock on the journal's open file is one
        per inode, whatever the name; SQLite's own locks are ``fcntl`` ones,
        which a flock does not touch (on Linux, local file systems). Not
        retried: readers never take it. On failure ``lock_fd`` is closed.
        """
        if self._identity is None:
            return  # an in-memory journal: no file, no other name
        try:
            fd = os.open(self._path, os.O_RDONLY)
        except OSError as exc:
            os.close(lock_fd)
            raise journal_error(f"cannot lock journal {self._path.absolute()}: {exc}", exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            os.close(lock_fd)
            if not isinstance(exc, BlockingIOError):
                raise journal_error(f"cannot lock journal {self._path.absolute()}: {exc}", exc) from exc
            raise JournalLockedError(
                f"another greeter is already sending from journal {self._shown_path} "
                f"(through another name of the same file, a hard link); {busy}"
            ) from None
        self._file_lock_fd = fd

    def _unlock_file_itself(self) -> None:
        if self._file_lock_fd is not None:
            os.close(self._file_lock_fd)
            self._file_lock_fd = None

    @property
    def _lock_path(self) -> Path:
        """``<db>.lock`` next to the journal's real file, symbolic links resolved.

        Named after the resolved path, so that a daemon given the journal through a
        symbolic link (or a path with ``..`` in it) takes the same lock as one given
        the real path; else both would send, and each one's start-up recovery would
        mark the other's live claims ``uncertain``.
        """
        return lock_path(self._path)

    def _touch_lock_file(self) -> None:
        """Make ``<db>.lock`` (unlocked) with a new journal: it outlives the journal, a lost one's trace."""
        try:
            fd = os.open(self._lock_path, os.O_RDONLY | os.O_CREAT, 0o644)
            try:
                share_with_group_if_folder_does(fd, self._lock_path.parent)
            finally:
                os.close(fd)
        except OSError as exc:
            self._conn.close()
            raise journal_error(
                f"cannot create lock file {self._lock_path}: {with_cause(exc, self._path)}", exc
            ) from exc

    def _check_same_file(self) -> None:
        """Raise unless the journal's path still names the file opened (same device and inode).

        A journal deleted (or replaced: moved over, restored from a backup)
        under a running sender would go on taking its writes in a file no one
        can open again, while the next ``send`` finds an empty journal — or an
        old one — and sends everything again. Asked before each run and by
        the daemon's journal probe: one ``stat``, and a sender's one read of the
        file's identity mark (:meth:`_same_mark`). Emptied first: a 0-byte file
        holds no mark either, and "emptied" is the news.
        """
        if self._identity is None:
            return
        try:
            found = file_identity(self._path)
        except OSError as exc:
            raise journal_error(f"journal {self._path.absolute()}: {exc}", exc) from exc
        if found == self._identity:
            if not _still_sqlite(self._path):
                raise JournalDamagedError(
                    f"journal {self._shown_path} was emptied while greeter was running (its file is 0 bytes"
                    " now); nothing more is claimed from it. Stop greeter, put the journal back (from a"
                    " backup) and start greeter again"
                )
            if self._same_mark():
                return
            raise JournalReplacedError(
                f"journal {self._shown_path} was overwritten in place while greeter was running (copied"
                " over, cp OTHER.sqlite3 onto it?): the file holds another journal now, and this"
                " process's view of it is the old one, whose next write would mix the two; nothing more"
                " is claimed from it. Stop greeter; then start it again if that journal is the one to send"
                " from (a restore is checked against its .sent note), or put the journal back from a backup"
            )
        what = "no file is there now" if found is None else "the file there now is another one"
        raise (JournalMissingError if found is None else JournalReplacedError)(
            f"journal {self._shown_path} was deleted or replaced while greeter was running: {what};"
            " nothing more is claimed from it. Stop greeter, put the journal back (from a backup)"
            " and start greeter again"
        )

    def check_same_file(self) -> None:
        """:meth:`_check_same_file` for callers outside the journal: the unsubscribe write asks it."""
        self._check_same_file()

    def _same_mark(self) -> bool:
        """Whether the file still holds the identity mark the sender found (True when it cannot tell).

        ``cp other.sqlite3 journal.sqlite3`` writes over the file in place: the same inode, a
        size above 0, so neither check above sees it — and SQLite does not either: in WAL mode
        this connection keeps the pages it cached (it reads the wal-index, which a ``cp`` leaves
        alone) and went on reading and writing the old journal into the new one's file. A
        second connection (:func:`mark_on_disk`) has no cache: it reads what the file holds now.

        Nor does it read through the log: the ``-wal`` a ``cp`` leaves beside the new file still
        holds the old journal's pages, and when the ``notices`` page was among them (the run's own
        notice, its checkpoint kept from folding it in by a reader's snapshot; another command's
        notice since) the second connection read the old mark from there, and the replacement went
        unseen. So the file itself is read too (``file_only``): another journal's mark there is
        news; none there is news once the file was seen holding ours — before that, the mark may
        not have been folded into it yet (a new journal's first run).
        """
        if self._mark is None or self._identity is None:
            return True
        held = mark_on_disk(self._path)
        if held is not None and held != self._mark:
            return False
        in_file = mark_on_disk(self._path, file_only=True)
        if in_file == self._mark:
            self._mark_in_file = True
            return True
        if in_file is None:
            return True
        return not in_file and not self._mark_in_file

    @property
    def _shown_path(self) -> str:
        """The journal's absolute path, and the file it resolves to when that differs.

        Absolute: three brands' daemons on one host all said ``journal
        data/journal.sqlite3``, relative to a working directory the log does not give.
        """
        shown, real = self._path.absolute(), self._path.resolve()
        return str(shown) if real == shown else f"{shown} (= {real})"

    def sender_active(self) -> bool:
        """Whether a sender (this process or another) holds the journal's lock right now.

        Tested with a shared, non-blocking ``flock`` on a descriptor opened for
        reading only — released at once, so a reader never keeps a sender from
        starting, and it works on a read-only mount. No lock file: no sender
        has ever run here.
        """
        if self._lock_fd is not None:
            return True
        try:
            fd = os.open(self._lock_path, os.O_RDONLY)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise journal_error(f"cannot read lock file {self._lock_path}: {exc}", exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing the descriptor releases a lock taken on it
        return False

    def _forget_lock_in_child(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        self._unlock_file_itself()


def _still_sqlite(path: Path) -> bool:
    """Whether the journal's file was not emptied under us: truncated (``: > file``) it keeps its
    inode, and :meth:`Journal._check_same_file` saw nothing while the daemon went on for 27 runs
    into a journal then found malformed.

    Only ``stat``, never ``open``: closing any descriptor of the database file drops every POSIX
    lock this process holds on it — SQLite's own — and the next ``greeter history`` then took the
    running daemon's write-ahead log for a leftover, folded it in and deleted it (a crash after that
    sent the letters in it again). A file written over in place at the same size is left to SQLite.
    """
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return True  # gone or unreadable: the identity check and the writes say what is wrong


#: The ``notices`` row naming one journal file: a random token its first sender writes (a copy of
#: the file, ``greeter backup``'s, holds the same one; another journal holds its own, or none — a
#: ``copy-journal`` copy among them: :data:`greeter.journal_copy.NOT_COPIED`).
IDENTITY_NOTICE = "journal_identity"


def mark_on_disk(path: Path, *, file_only: bool = False) -> str | None:
    """The identity mark the journal file at ``path`` holds now, read by a connection of its own:
    "" when it holds none (another greeter's journal, or no journal at all); None when it cannot
    tell now (busy, gone: the other checks say what is wrong).

    A SQLite connection, not ``open``: closing a descriptor of the database file drops this
    process's POSIX locks on it (:func:`_still_sqlite`), which SQLite's own close does not — it
    keeps the descriptor while another of its connections in the process holds a lock.
    ``file_only``: the database file itself, its ``-wal`` left aside (``immutable=1``: no log, no
    lock), for :meth:`SenderLock._same_mark`. Read without a lock, it may meet a page a checkpoint
    is writing: whatever fails is no verdict, and a missing ``notices`` table is one ("").
    """
    mode = "ro&immutable=1" if file_only else "ro"
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT fingerprint FROM notices WHERE name = ?", (IDENTITY_NOTICE,)).fetchone()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
            return ""  # a database without the journal's tables: not this journal
        if file_only or isinstance(exc, sqlite3.OperationalError):
            return None  # busy, locked, cannot open, a page read mid-write: no verdict
        return ""  # not a database, malformed: not this journal
    finally:
        conn.close()
    return "" if row is None else str(row[0])


def file_identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file ``path`` names (symbolic links followed); None if none is there."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # nothing there: "a-file/x.ics" too
        return None
    return st.st_dev, st.st_ino


#: How much of a lock file is read for the refusal: its pid, host and config path.
_LOCK_FILE_MAX = 4400


#: How the lock file's third line starts when its holder is not a sender (``doing: greeter copy-journal``).
_DOING = "doing: "


def lock_file_text(config: Path | None, doing: str | None = None) -> str:
    """What a sender writes into the lock file: ``PID HOST``, then its config file's absolute path
    on a line of its own (none when not known). The first line is what earlier greeters wrote and
    read; the second is new, so an old lock file reads as before (no config named). ``doing``: a
    holder that is no sender (``greeter copy-journal``) says so on a third line, so that a send
    started meanwhile is told the journal is being copied, not that another greeter sends."""
    first = f"{os.getpid()} {socket.gethostname()}\n"
    if doing is not None:
        return f"{first}{'' if config is None else config.resolve()}\n{_DOING}{doing}\n"
    return first if config is None else f"{first}{config.resolve()}\n"


def _lock_file_doing(content: bytes) -> str:
    """What a lock file's holder says it does on its third line ("" for a sender)."""
    lines = content.decode(errors="replace").splitlines()
    third = lines[2].strip() if len(lines) > 2 else ""
    return third.removeprefix(_DOING)[:200] if third.startswith(_DOING) else ""


def _lock_file_config(content: bytes) -> str:
    """The config path a lock file names on its second line ("" in an old greeter's)."""
    lines = content.decode(errors="replace").splitlines()
    return lines[1].strip()[:4096] if len(lines) > 1 else ""


def lock_holder(content: bytes) -> str:
    """What a lock file says of its holder, for the refusal:
    ``pid 4242 on host greeter-7c9f, config /srv/a/greeter.yaml``.

    The file holds ``PID HOST`` and the config's path on a second line (``PID HOST`` alone, or
    ``PID`` alone, written by an earlier greeter); anything else is shown as it is, cut short.
    """
    first, _, _ = content.decode(errors="replace").partition("\n")
    words = first.split(maxsplit=1)
    if not words:
        return "pid unknown"
    host = words[1].strip()[:255] if len(words) > 1 else ""
    config = _lock_file_config(content)
    doing = _lock_file_doing(content)
    return (
        f"{doing + ', ' if doing else ''}pid {words[0][:32]}"
        + (f" on host {host}" if host else "")
        + (f", config {config}" if config else "")
    )


def _other_config(content: bytes, config: Path | None) -> str:
    """``: another config than this one (…)…`` when the holder's config is not ``config``.

    Then the wait is likely for ever — a daemon of another project whose ``storage.url`` names
    the same journal — and retrying (exit 75, systemd's restarts) will not end it.
    """
    theirs = _lock_file_config(content)
    if config is None or not theirs or theirs == str(config.resolve()):
        return ""
    return (
        f": another config than this one ({config.resolve()}); if both name this journal by mistake"
        " (storage.url), give each project its own"
    )


def holder_of(path: Path) -> str | None:
    """Who holds the sender lock of the journal at ``path`` right now (:func:`lock_holder`), or None.

    Asked without a journal open (``greeter backup`` of a FILE that is another project's journal):
    a shared, non-blocking ``flock`` on the lock file opened for reading, released at once, as
    :meth:`SenderLock.sender_active` tests it.
    """
    try:
        fd = os.open(lock_path(path), os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return lock_holder(os.pread(fd, _LOCK_FILE_MAX, 0))
        except OSError:
            return None
        return None
    finally:
        os.close(fd)


def flock_within(fd: int, patience: float, pause: float) -> bool:
    """Take an exclusive ``flock`` on ``fd``, trying again every ``pause`` seconds for ``patience``
    seconds; False: it is still held by another process (the caller says by whom).

    Why a moment's patience at all: ``greeter history`` tests the lock with a shared one held
    for microseconds (:meth:`SenderLock.sender_active`), and another new greeter's upgrade
    holds it for the upgrade only; neither may make a starting sender or upgrade give up.
    """
    give_up = time.monotonic() + patience
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= give_up:
                return False
            time.sleep(pause)


#: How long an upgrade waits for a lock found taken, in seconds: another new greeter's upgrade of
#: the same journal (it holds the lock for that moment only), or a reader's probe.
_UPGRADE_PATIENCE = 2.0


@contextmanager
def held_for_upgrade(path: Path, found: int, latest: int) -> Iterator[None]:
    """Hold the journal's sender lock while its schema is upgraded from ``found`` to ``latest``.

    An older greeter's sender (a daemon, a cron's ``send``) holds ``<db>.lock``
    for as long as it runs; upgraded under it, the journal took a schema that
    greeter does not know — it went on sending, then refused the journal at its
    next start. So an upgrade takes the lock first (every release's senders take
    it the same way), and one found taken beyond :data:`_UPGRADE_PATIENCE` is
    refused, nothing changed (:class:`JournalLockedError`, exit 75: the upgrade can
    run once that greeter has stopped). Held only for the upgrade: a sender of
    this version takes it again as usual (:meth:`SenderLock.lock_sender`).
    """
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:  # no sender ever ran here (or one older than the lock file)
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:  # a folder no one may write: no sender runs here, and the upgrade fails on its own
            yield
            return
        try:
            share_with_group_if_folder_does(fd, lock.parent)  # every sender opens it to write
        except OSError:
            os.close(fd)
            raise
    except OSError as exc:
        raise journal_error(f"cannot read lock file {lock}: {with_cause(exc, path)}", exc) from exc
    try:
        if not flock_within(fd, _UPGRADE_PATIENCE, 0.02):
            holder = lock_holder(os.pread(fd, _LOCK_FILE_MAX, 0))
            raise JournalLockedError(
                f"a greeter ({holder}) is running on journal {path.absolute()}, whose schema is"
                f" version {found}; stop it before upgrading the journal to schema {latest}"
                " (this greeter's): an older greeter cannot open it after the upgrade."
                " Nothing was changed (docs/operations.md, Upgrading greeter)"
            )
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


#: Journals holding the sender lock in this process (see :meth:`Journal.lock_sender`).
_LOCK_HOLDERS: weakref.WeakSet[SenderLock] = weakref.WeakSet()


def _drop_inherited_locks() -> None:
    for journal in list(_LOCK_HOLDERS):
        journal._forget_lock_in_child()
    _LOCK_HOLDERS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)
