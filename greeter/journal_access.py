"""Who may write a SQLite journal's files here, said so that an operator can act on it.

SQLite's own words for every such case are "unable to open database file" or
"attempt to write a readonly database": they name neither the file nor the
cause. A journal has three files SQLite writes — the journal, its ``-wal`` and
its ``-shm`` — and SQLite makes the last two with the journal's mode when a
connection opens it: a journal once made read-only (``chmod 444``) leaves
``-r--r--r--`` ``-wal``/``-shm`` files behind that still stop every send after
the journal's own mode is restored. The functions here name the file that is in
the way, its mode and owner against the journal's, and the command that mends it.
"""

from __future__ import annotations

import os
import pwd
import shlex
import stat
from pathlib import Path

#: :func:`why_read_only`'s answer for a read-only mount (no user could send from it).
READ_ONLY_MOUNT = "its file system is mounted read-only"

#: The files SQLite keeps beside a WAL journal while it is open (left behind when it cannot clean up).
SIDE_SUFFIXES = ("-wal", "-shm")


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def describe_file(path: Path) -> str:
    """``mode 0444, owner greeter``: what decides who may write ``path`` (empty if it cannot be stat'd)."""
    try:
        found = path.stat()
    except OSError:
        return ""
    return f"mode {stat.S_IMODE(found.st_mode):04o}, owner {_user(found.st_uid)}"


def this_user() -> str:
    """The name of the user this process writes files as."""
    return _user(os.geteuid())


def side_files(path: Path) -> list[Path]:
    """The journal's ``-wal`` and ``-shm`` files that exist beside it."""
    return [side for suffix in SIDE_SUFFIXES if (side := Path(f"{path}{suffix}")).exists()]


def unwritable_side_files(path: Path) -> str | None:
    """Why a send cannot write the journal's ``-wal``/``-shm`` though it may write the journal, else None.

    SQLite opens the journal and then fails on its first write with "attempt to
    write a readonly database", which names only the journal: the operator
    checks the journal's mode, finds it right, and is stuck. Said here: which
    file, its mode and owner against the journal's, and how to give it the
    journal's (``--reference``: GNU coreutils).
    """
    if not path.exists() or not os.access(path, os.W_OK):
        return None
    stuck = [side for side in side_files(path) if not os.access(side, os.W_OK)]
    if not stuck:
        return None
    named = ", ".join(f"{side.name} ({describe_file(side)})" for side in stuck)
    journal = shlex.quote(str(path))
    targets = " ".join(shlex.quote(str(side)) for side in stuck)
    mend = f"chmod --reference={journal} {targets}"
    if any(side.stat().st_uid != path.stat().st_uid for side in stuck):
        mend = f"chown --reference={journal} {targets} && {mend}"
    return (
        f"user {this_user()} may not write its {named} beside it, while the journal is"
        f" {describe_file(path)}: SQLite made them with the journal's mode when it was read-only;"
        f" give them the journal's: {mend}"
    )


def why_read_only(path: Path) -> str | None:
    """Why this process could not write the journal at ``path``, or None if it should be able to.

    Said next to SQLite's terse "unable to open database file" and "attempt to
    write a readonly database", so that an operator learns it is the mount, the
    journal's mode or owner, its folder's, or a ``-wal``/``-shm`` left
    read-only (:func:`unwritable_side_files`) — not the path. Asked of the
    nearest folder that exists when the journal's does not yet (a send makes
    the missing ones there).
    """
    folder = path.parent if str(path.parent) else Path(".")
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return READ_ONLY_MOUNT
    except OSError:
        return None
    if path.exists() and not os.access(path, os.R_OK):
        return f"user {this_user()} may not read or write it: {describe_file(path)}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"user {this_user()} may not write it: {describe_file(path)}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"user {this_user()} may not write its folder {folder}: {describe_file(folder)}"
    return unwritable_side_files(path)


def why_unreadable(path: Path) -> str | None:
    """Why this process may not read the journal at ``path``, or None if it may.

    Said by the commands that only read it (``history``, ``preview``): "cannot
    be written here" would send the operator after a write bit they do not need.
    """
    if os.access(path, os.R_OK):
        return None
    return f"user {this_user()} may not read it: {describe_file(path)}"


def sealed(path: Path) -> bool:
    """Whether nobody but root may write the journal (no write bit: ``chmod 444``) and no ``-wal`` is there.

    Such a journal is read ``immutable`` (:func:`~greeter.journal_schema.open_read_only`)
    rather than through SQLite's WAL, which would make ``-wal`` and ``-shm``
    files with the journal's read-only mode beside it — and they would stop
    every send after the journal's mode is restored. Immutable skips SQLite's
    locks, unsafe only if a writer changed the file meanwhile: with no write
    bit no process but root's can open it to write, and with no ``-wal``
    (SQLite removes it when the last connection closes) none has it open.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    no_wal = not Path(f"{path}-wal").exists()
    return no_wal and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
