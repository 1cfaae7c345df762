"""Room for a SQLite journal: a ``-wal`` left big after a full disk, free space below a run's need.

SQLite moves the ``-wal``'s pages into the journal at a checkpoint, and
deletes the ``-wal`` when its last connection closes — unless that
checkpoint fails, as it does on a full disk (the journal may have to grow by
the pages it takes in). The failure is silent: every later run exits 0, the
``-wal`` keeps its size and the file system stays at 100 %. ``send --once``
and the daemon checkpoint after each run and say when that failed;
``greeter check`` warns about a ``-wal`` much larger than the journal, and
about less free space than a run needs.

Measured (docs/operations.md): a 110 KB journal's ``-wal`` grew to 160–490 KB
for a run of 15 letters, and about 4 MB for 2,000; a checkpoint may then grow
the journal by as much.
"""

from __future__ import annotations

import os
from pathlib import Path

from greeter.journal_store import JournalStore

#: What a run's ``-wal`` may need beside the journal: about 4 MB for a batch of 2,000 letters.
RUN_WAL_BYTES = 4 * 1024 * 1024

#: A ``-wal`` below this is never called large, whatever the journal's size (a new journal's first run).
_SMALL_WAL = 512 * 1024


def size_text(size: int) -> str:
    """``110 KB``, ``1.2 MB``: a file's size as ``df -h``-minded operators read it (decimal units)."""
    if size < 1000 * 1000:
        return f"{max(size, 0) / 1000:.0f} KB"
    if size < 1000 * 1000 * 1000:
        return f"{size / 1000 / 1000:.1f} MB"
    return f"{size / 1000 / 1000 / 1000:.1f} GB"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def large_wal(path: Path) -> str | None:
    """What to say of a ``-wal`` larger than the journal itself (and than :data:`_SMALL_WAL`), else None.

    Between runs a healthy journal's ``-wal`` is empty or gone; one as large
    as the journal holds changes a checkpoint could not move into it.
    """
    wal, journal = _size(Path(f"{path}-wal")), _size(path)
    if wal <= max(journal, _SMALL_WAL):
        return None
    return (
        f"its -wal is {size_text(wal)}, larger than the journal itself ({size_text(journal)}): changes a"
        " checkpoint could not move into the journal (a full disk?); the next send moves them once there"
        " is room, and the -wal then empties"
    )


def run_needs(path: Path) -> int:
    """Free bytes a run needs beside the journal: its ``-wal``, and the journal's growth at a checkpoint."""
    return RUN_WAL_BYTES + _size(path) + _size(Path(f"{path}-wal"))


def low_space(path: Path) -> str | None:
    """What to say when the journal's file system has less room than :func:`run_needs`, else None."""
    try:
        found = os.statvfs(path.parent if str(path.parent) else Path("."))
    except OSError:
        return None
    free, need = found.f_bavail * found.f_frsize, run_needs(path)
    if free >= need:
        return None
    return (
        f"only {size_text(free)} free on its file system, less than a run needs ({size_text(need)}: its -wal"
        " grows to about 4 MB in a batch of 2,000 letters, and a checkpoint may grow the journal by as"
        " much): a run may stop at 'database or disk is full' (exit 75) mid-batch"
    )


def space_warnings(path: Path) -> list[str]:
    """:func:`large_wal` and :func:`low_space` for the journal at ``path``, those that apply."""
    if not path.exists():
        return []
    return [said for said in (large_wal(path), low_space(path)) if said is not None]


def checkpoint_after_run(journal: JournalStore) -> str | None:
    """Empty a SQLite journal's ``-wal`` after a run (send --once's, the daemon's); say if it stays large.

    :meth:`~greeter.journal.Journal.checkpoint` (TRUNCATE; with a reader in
    the way SQLite copies what it can, as a passive checkpoint does, and the
    ``-wal`` is emptied by a later one). Without it the ``-wal`` was left to
    SQLite's checkpoint at close, which fails without a word on a full disk.
    """
    from greeter.journal import Journal

    problem = journal.checkpoint()  # never raises; a read-only journal's does nothing
    if not isinstance(journal, Journal) or journal.read_only is not None:
        return None  # PostgreSQL keeps its own log; a read-only journal was not written
    big = large_wal(journal.path)
    if big is None:
        return None
    return f"journal {journal.path}: {big}" + (
        f" (the checkpoint after this run: {problem})" if problem else ""
    )
