"""The files greeter works from, which no file a user names for output may replace: the one guard.

``calendar -o journal.sqlite3`` replaced the journal with a calendar and
exited 0; ``-o greeter.yaml``, ``-o data/contacts.csv`` (a slip from
``--from-csv``) or ``-o templates/birthday.j2`` lose the config, the CRM export
or a template as surely. Every command that writes where the user says —
``calendar -o``, ``history -o``, ``backup FILE``, ``preview --out DIR`` — asks
:func:`refusal` first, before anything is read or written, and says the same
words: ``-o FILE is the journal: choose another file (nothing written)``.

What is protected (:func:`own_files`): the config, the contacts file, the
SQLite journal with its ``-wal``, ``-shm`` and lock file, the DKIM key, the
SMTP password file, every ``.ics`` the config reads, and two folders — the
templates folder (a file written there becomes a template, or replaces one)
and the ``file`` transport's outbox (whatever reads it takes every file there
for a letter that left). A folder given as ``--out`` is refused when it is
one of those folders or inside one, and when it is the folder an input file
is in: preview writes its pages and letters at the top of ``--out`` and in
``drafts/``, and a project's own folder is no place for them.

Paths are compared resolved, and existing files by device and inode:
``./data/../data/contacts.csv``, a symbolic link to it and a hard link to it
are the contacts file. A file named for output that is itself a
symbolic link is refused outright (:data:`LINK`): the link may be replaced
after this check (``/tmp`` is everyone's), and what a link in a shared folder
points to is someone else's choice; ``-`` is stdout where a command takes it.
The write itself does not follow a link either (``O_NOFOLLOW``), which closes
the window between the check and the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import OutputError

if TYPE_CHECKING:
    from greeter.config import Settings

__all__ = ["OwnFile", "check_out", "own_files", "refusal"]

#: What is said of an output that is a symbolic link, after ``-o FILE``.
LINK = "is a symbolic link, which greeter does not write through"


@dataclass(frozen=True, slots=True)
class OwnFile:
    """One of greeter's inputs: what it is in words (``the journal``), where, and whether a folder."""

    what: str
    path: Path
    folder: bool = False


def own_files(config_file: Path, settings: Settings) -> list[OwnFile]:
    """The files (and folders) greeter works from, which an output never replaces."""
    from greeter.journal_schema import lock_path, path_from_url

    mine = [OwnFile("the config", config_file), OwnFile("the templates folder", settings.templates_dir, True)]
    if settings.contacts.path is not None:
        mine.append(OwnFile("the contacts source", settings.contacts.path))
    url = settings.storage.url
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        journal = path_from_url(url)
        mine.append(OwnFile("the journal", journal))
        real = journal.resolve()
        mine += [OwnFile("the journal's own file", p) for p in (Path(f"{real}-wal"), Path(f"{real}-shm"))]
        mine.append(OwnFile("the journal's own file", lock_path(journal)))
    delivery = settings.delivery
    if delivery.transport == "file":
        mine.append(OwnFile("the outbox letters are delivered to", delivery.outbox, True))
    if delivery.dkim is not None:
        mine.append(OwnFile("the DKIM key", delivery.dkim.key_file))
    if delivery.smtp.password_file is not None:
        mine.append(OwnFile("the SMTP password file", delivery.smtp.password_file))
    window = settings.send_window
    calendars = [o.ics for o in settings.occasions] + [window.days_off_ics]
    calendars += [r.ics for r in window.regional_days_off.values()]
    mine += [OwnFile("a calendar the config reads", p) for p in calendars if p is not None]
    return mine


def refusal(flag: str, out: Path, protected: Iterable[OwnFile], *, folder: bool = False) -> str | None:
    """Why ``flag out`` (``-o FILE``, ``--out DIR``, ``FILE``) must not be written, or None if it may.

    ``folder``: ``out`` is a folder the command writes files into (preview's
    ``--out``), refused when it is, or is inside, a protected folder or holds
    a protected file; a file is refused when it is a protected file, inside a
    protected folder, or a symbolic link. One wording for every command:
    ``-o FILE is the journal: choose another file (nothing written)``.
    """
    named = f"{flag} {out}".lstrip()
    another = "folder" if folder else "file"
    tail = f"choose another {another} (nothing written)"
    if not folder and out.is_symlink():
        return f"{named} {LINK}: {tail}"
    from greeter.journal_lock import file_identity

    here = out.resolve()
    same = file_identity(here)
    for own in protected:
        there = own.path.resolve()
        if here == there or (same is not None and not own.folder and file_identity(there) == same):
            return f"{named} is {own.what}: {tail}"
        if own.folder and here.is_relative_to(there):
            return f"{named} is inside {own.what} ({own.path}): {tail}"
        if folder and not own.folder and there.parent == here:
            return f"{named} holds {own.what} ({own.path}): {tail}"
    return None


def check_out(
    flag: str, out: Path | None, config_file: Path, settings: Settings, *, folder: bool = False
) -> None:
    """Refuse (:class:`~greeter.errors.OutputError`, exit 2) an output that :func:`refusal` refuses,
    before the journal is even opened. None and stdout (``-``, ``/dev/stdout``) pass."""
    from greeter.out_file import is_stdout

    if out is None or is_stdout(out):
        return
    if (refused := refusal(flag, out, own_files(config_file, settings), folder=folder)) is not None:
        raise OutputError(refused)
