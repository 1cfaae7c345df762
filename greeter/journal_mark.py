"""A note beside the SQLite journal of its newest sent letter: a journal put back from an old copy is refused.

A journal restored from a backup, a VM snapshot rolled back or a ``cp`` of
yesterday's file has lost the letters sent since, and the next send sent
again every one still within ``catch_up_days``. greeter sees a journal
replaced while the daemon runs (:meth:`~greeter.journal_lock.SenderLock`'s
file identity), not one replaced across a restart. So each run that sends
leaves ``<journal>.sent`` beside the journal's real file (as ``<journal>.lock``,
:func:`~greeter.journal_schema.lock_path`), holding when the newest letter
the journal recorded as sent left, and its key — written once at the end of
a run, not per letter, atomically (a temporary file renamed into place,
:func:`~greeter.file_modes.replace_whole`). Before a send, a journal whose
newest sent letter is older than the note's, and which no longer holds the
note's letter, is refused (:class:`~greeter.errors.JournalRewoundError`,
exit 75, as a clock behind the journal is: :mod:`greeter.clock_sanity`).

The note follows what legitimately removes sent rows: ``forget``, ``purge`` and
the daemon's retention purge rewrite it after they erase, and ``baseline`` —
the last step of a restore (docs/operations.md, *Backing up the journal*) —
rewrites it to the journal as restored: that is the operator's "I restored
it on purpose". No note, no check (a first run, a journal moved to another
machine without it); deleting the note is how an operator who wants the lost
letters sent again says so. A note greeter cannot read counts as none. A
PostgreSQL journal has no note: its backups and restores are its DBA's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from greeter.errors import JournalRewoundError
from greeter.file_modes import private_file_mode, replace_whole
from greeter.journal import Journal
from greeter.journal_schema import sent_note_path
from greeter.journal_store import JournalKey, JournalStore
from greeter.zone_label import local_time

#: The step of docs/operations.md the refusal points to.
RESTORE_STEPS = 'docs/operations.md, "Backing up the journal"'


@dataclass(frozen=True)
class SentMark:
    """A letter that left: when (``sent_at``, UTC), and which (its journal key)."""

    sent_at: datetime
    key: JournalKey


def note_path(path: Path) -> Path:
    """``<db>.sent`` beside the journal's real file, symbolic links resolved (as its lock file)."""
    return sent_note_path(path)


def note_text(journal: Path, mark: SentMark) -> str:
    """Pure: the note's JSON for ``mark``; its ``about`` says what the file is to whoever finds it."""
    contact_id, occasion, day = mark.key
    return json.dumps(
        {
            "about": f"greeter: the newest letter journal {journal} recorded as sent; see {RESTORE_STEPS}",
            "sent_at": mark.sent_at.isoformat(),
            "contact_id": contact_id,
            "occasion": occasion,
            "occasion_date": day.isoformat(),
        },
        ensure_ascii=False,
        indent=1,
    )


def parse_note(text: str) -> SentMark | None:
    """Pure: the mark a note holds; None when it holds none greeter can read (then no check)."""
    try:
        said = json.loads(text)
        at = datetime.fromisoformat(said["sent_at"])
        key = (str(said["contact_id"]), str(said["occasion"]), date.fromisoformat(said["occasion_date"]))
    except (ValueError, TypeError, KeyError):
        return None
    return SentMark(at, key) if at.tzinfo is not None else None


def rewound_problem(
    journal: Path, note: Path, noted: SentMark, newest: SentMark | None, holds_noted: bool
) -> str | None:
    """Pure: why a send must not go on from ``journal``, whose note says it held ``noted``; None: it may.

    ``newest``: the journal's newest letter that left; ``holds_noted``: whether it
    still holds ``noted``'s. A journal holding the noted letter, or one that left at
    or after it, has lost nothing the note knows of.
    """
    if holds_noted or (newest is not None and newest.sent_at >= noted.sent_at):
        return None
    shown = f"{local_time(noted.sent_at.astimezone(), '%Y-%m-%d %H:%M:%S')}"
    has = (
        "holds no sent letter at all"
        if newest is None
        else f"holds letters sent up to {local_time(newest.sent_at.astimezone(), '%Y-%m-%d %H:%M:%S')}"
    )
    return (
        f"journal {journal} {has}, but {note} says it held one sent at {shown}: it was put back from an"
        " older copy (a restored backup, a snapshot rolled back, a copy of an earlier file), and the letters"
        " sent since would go again; nothing was sent. If it was restored on purpose, follow"
        f" {RESTORE_STEPS} (steps 1-7): its last step, greeter baseline --through DATE, records what"
        f" went out since and accepts the journal. To send those letters again anyway, delete {note}"
    )


def _sqlite_file(journal: JournalStore) -> Journal | None:
    """``journal`` if it is a SQLite journal in a file (the only kind with a note), else None."""
    if isinstance(journal, Journal) and str(journal.path) != ":memory:":
        return journal
    return None


def _newest(journal: Journal) -> SentMark | None:
    found = journal.newest_sent()
    return None if found is None else SentMark(*found)


def _read_note(note: Path) -> SentMark | None:
    try:
        return parse_note(note.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None  # none yet, or not one greeter can read: no check


def journal_rewound(journal: JournalStore) -> str | None:
    """Why sending from ``journal`` would send again letters it once held (:func:`rewound_problem`); None:
    it lacks nothing its note knows of, or it has no note, or it is not a SQLite file."""
    found = _sqlite_file(journal)
    if found is None:
        return None
    note = note_path(found.path)
    noted = _read_note(note)
    if noted is None:
        return None
    return rewound_problem(found.path, note, noted, _newest(found), found.holds_sent(noted.key))


def lacking_mark(journal: JournalStore) -> tuple[Path, SentMark] | None:
    """The note and the letter it names when ``journal`` lacks it (:func:`journal_rewound` would refuse
    it); None otherwise. For ``baseline --sent-from``: the file must reach that letter to accept it."""
    found = _sqlite_file(journal)
    if found is None:
        return None
    note = note_path(found.path)
    noted = _read_note(note)
    if noted is None or journal_rewound(journal) is None:
        return None
    return note, noted


def refuse_rewound(journal: JournalStore) -> None:
    """Raise :class:`~greeter.errors.JournalRewoundError` (exit 75) when :func:`journal_rewound` says why;
    before a sender writes anything."""
    if (problem := journal_rewound(journal)) is not None:
        raise JournalRewoundError(problem)


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the journal's folder while the note is read from the journal and written.

    ``forget`` erasing the newest letter while the daemon ends a run: without
    it the daemon could write the state it read before the erasure after
    ``forget`` wrote the one after it, and the next run would refuse a journal
    that lost nothing. Held for a query and a small write.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


def remember_newest_sent(journal: JournalStore) -> str | None:
    """Rewrite ``journal``'s note to its newest sent letter (removed when it holds none); a warning when
    it cannot be written, None otherwise.

    After a run that sent, and after what erases sent rows (``forget``,
    ``purge``) or accepts a restored journal (``baseline``). A note that
    cannot be written costs only the check of the next restore: said, never
    failing what already happened. Not for a journal opened read-only, nor
    a PostgreSQL one.
    """
    found = _sqlite_file(journal)
    if found is None or found.read_only is not None:
        return None
    note = note_path(found.path)
    try:
        with _folder_locked(note.parent):
            newest = _newest(found)
            if newest is None:
                note.unlink(missing_ok=True)
                return None
            if _read_note(note) == newest:
                return None
            _write_note(note, note_text(found.path, newest).encode())
    except OSError as exc:
        why = "the journal's newest sent letter, by which a restore from an older copy is seen"
        return f"cannot write {note} ({why}): {exc}"
    return None


def _write_note(note: Path, data: bytes) -> None:
    """``data`` to ``note`` whole or not at all, synced to disk (:func:`~greeter.file_modes.replace_whole`).

    ``0600`` as the journal (``0660`` in a folder shared with its group:
    :func:`~greeter.file_modes.private_file_mode`), set before a byte is
    written. Durable, unlike a cache file: a note a power cut left empty is
    read as none, and the next restore would go unseen.
    """
    replace_whole(note, data, mode=private_file_mode(note.parent), durable=True)


def accepted_restore(
    journal: JournalStore, *, dry_run: bool = False, found_before: str | None = None
) -> str | None:
    """``baseline``'s acceptance of a restored journal: the note rewritten to it; what to say, or None.

    Said when the note had said the journal lacked letters (a restore's last
    step), so that the operator sees the next send will go on from it.
    ``dry_run`` writes nothing and says that the real baseline would accept it:
    the dry run of a restore's last step said nothing of the rewound journal
    it had found, and the operator could not tell that baseline would also
    accept it (the note then no longer guards the letters it names).
    ``found_before``: the rewound journal's problem as the caller found it before changing the journal
    (``baseline --sent-from`` puts the letters back, which alone ends the problem: still accepted,
    and said so).
    """
    problem = journal_rewound(journal) or found_before
    if dry_run:
        found = _sqlite_file(journal)
        if problem is None or found is None:
            return None
        note = note_path(found.path)
        return (
            f"journal {found.path} lacks letters {note} says it sent (put back from an older copy):"
            f" baseline without --dry-run would accept it as restored ({note} rewritten to its newest"
            " sent letter), and send and the daemon would go on from it; until then send refuses it"
        )
    warning = remember_newest_sent(journal)
    if warning is not None:
        return f"warning: {warning}"
    if problem is None:
        return None
    found = _sqlite_file(journal)
    assert found is not None  # only a SQLite file has a note to be rewound against
    return (
        f"journal {found.path}: accepted as restored ({note_path(found.path)} now names its newest"
        " sent letter): send and the daemon go on from it"
    )
