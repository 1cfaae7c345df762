"""The mode of every file greeter writes with clients' data in it: ``0640``, or narrower by the umask.

An ``.eml`` in the outbox, a preview's pages and drafts, a calendar export:
each holds names, addresses, ages. They are written to be read by someone
else — a marketer reviewing, a pickup daemon, a shared folder — so greeter's
group may read them (give those people that group); the other users of the
machine may not, even under a shell's ``umask 022`` that would make them
``0644``. An operator's stricter umask (``077``) narrows that further: the
mode is ``0640 & ~umask`` (:func:`narrowed`), never wider than either.
(The journal, read by greeter alone, is ``0600``:
:data:`greeter.journal_schema.JOURNAL_FILE_MODE` — unless its folder is
shared with its group, :func:`private_file_mode`.) A folder greeter creates
for such files (an outbox, ``preview --out``, its ``drafts/``) is ``0750``
narrowed the same way (:func:`make_group_folder`): its file names alone say a
client's id and birthday (``2026-12-07_birthday_2001_….eml``), which a
``0755`` folder lists to every user — unless it is made in a folder shared
with its group (a Kubernetes ``fsGroup`` volume, ``2770``): then the journal's
rule holds for it too, ``2770`` (:func:`created_folder_mode`), so that a pod
restarted under another UID of the group writes where the last one did.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

#: Owner reads and writes, greeter's group reads, no one else.
GROUP_FILE_MODE = 0o640
#: A folder greeter creates for such files: owner writes, greeter's group lists and reads, no one else.
GROUP_FOLDER_MODE = 0o750
#: The bits a folder grants its group for :func:`folder_shared_with_group`: read and write.
_GROUP_READ_WRITE = stat.S_IRGRP | stat.S_IWGRP


def folder_shared_with_group(folder: Path) -> bool:
    """Whether ``folder`` lets its group read and write in it (``2770``, ``0770``, ``2775``), and
    not every user (``/tmp``'s ``1777`` is no group's): its owner's decision.

    A Kubernetes data volume with an ``fsGroup`` is such a folder (setgid,
    ``2770``), and a pod restarted under another UID of that group must open
    what the last one made there. PostgreSQL decides the same way
    (``initdb --allow-group-access``: the data directory's own mode). A
    folder that cannot be read is not shared: the narrower answer.
    """
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return _mode_shared_with_group(mode)


def created_folder_mode(parent_mode: int, umask: int) -> int:
    """The mode of a folder greeter makes in a folder of mode ``parent_mode``, under ``umask``.

    :data:`GROUP_FOLDER_MODE` narrowed by the umask; but in a folder shared
    with its group (:func:`folder_shared_with_group`'s rule, applied to the
    mode) the group's read, write and search too, and the parent's setgid bit
    — ``2770`` in a ``2770`` volume — not narrowed by the umask, as
    :func:`private_file_mode` gives the journal: a container's ``umask 022``
    made the outbox ``0750``, and a pod restarted under another UID of the
    group could write no letter there (every one ``retry``, exit 75).
    """
    if _mode_shared_with_group(parent_mode):
        return GROUP_FOLDER_MODE | stat.S_IRWXG | (parent_mode & stat.S_ISGID)
    return GROUP_FOLDER_MODE & ~umask


def _mode_shared_with_group(mode: int) -> bool:
    """Whether a file of ``mode`` is a folder its group may read and write in, and not every user."""
    shared = mode & _GROUP_READ_WRITE == _GROUP_READ_WRITE and not mode & stat.S_IWOTH
    return stat.S_ISDIR(mode) and shared


def private_file_mode(folder: Path, private: int = 0o600) -> int:
    """The mode of a file only greeter opens (the journal), made in ``folder``: ``private`` (owner only),
    with the group's read and write added when the folder is :func:`folder_shared_with_group`.

    Not narrowed by the umask: a container's ``022`` would take the group's
    write, and the next pod, another UID of the group, could not open it. The
    folder's mode is the operator's explicit choice; the umask is rarely one.
    """
    return private | _GROUP_READ_WRITE if folder_shared_with_group(folder) else private


def share_with_group_if_folder_does(fd: int, folder: Path) -> None:
    """Give an open file of ours group read and write when ``folder`` is :func:`folder_shared_with_group`.

    For a file opened with ``O_CREAT`` whose mode the umask made (the journal's
    lock file, which every sender opens for writing). A file someone else owns,
    or one not regular, is left as it is.
    """
    if not folder_shared_with_group(folder):
        return
    found = os.fstat(fd)
    if stat.S_ISREG(found.st_mode) and found.st_uid == os.geteuid():
        wanted = stat.S_IMODE(found.st_mode) | _GROUP_READ_WRITE
        if wanted != stat.S_IMODE(found.st_mode):
            os.fchmod(fd, wanted)


def process_umask() -> int:
    """This process's umask, read without changing it (``/proc/self/status``, Linux 4.7 and later).

    Elsewhere it is set and put back (:func:`os.umask` has no read-only form),
    which a thread creating a file at that moment would see.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def narrowed(mode: int) -> int:
    """``mode`` less what the umask takes (``mode & ~umask``): the umask may narrow greeter's modes,
    never widen them, and greeter never widens the umask's."""
    return mode & ~process_umask()


def open_group_readable(
    path: Path | str,
    *,
    new: bool = False,
    append: bool = False,
    follow_links: bool = True,
    dir_fd: int | None = None,
) -> BinaryIO:
    """``path`` opened for writing (binary) with :data:`GROUP_FILE_MODE`, :func:`narrowed` by the umask.

    ``new``: the file must not exist yet (``O_EXCL``, for a unique temporary
    name; a symbolic link there is refused, never followed); otherwise an
    existing file is emptied (or, with ``append``, added to) and its looser
    mode tightened too. Something that is not a regular file — ``/dev/stdout``,
    a FIFO a reader waits on — is written to as it is, its mode not ours to
    change. ``follow_links=False``: a symbolic link at ``path`` is an error
    (``ELOOP``), for a file in a folder others may write into. ``dir_fd``:
    ``path`` is relative to that open folder (see :func:`os.open`).
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if new else os.O_APPEND if append else os.O_TRUNC)
    flags |= 0 if follow_links else os.O_NOFOLLOW
    fd = os.open(path, flags, GROUP_FILE_MODE, dir_fd=dir_fd)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.fchmod(fd, narrowed(GROUP_FILE_MODE))  # an existing file's looser mode too
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_group_readable(path: Path, data: bytes, *, follow_links: bool = True) -> None:
    """Write ``data`` to ``path`` (:func:`open_group_readable`): a calendar export, say."""
    with open_group_readable(path, follow_links=follow_links) as fh:
        fh.write(data)


def synced_rename(temp: Path, target: Path) -> None:
    """``temp``'s bytes on disk, then its name made ``target``'s, and that rename on disk too.

    Raises the :class:`OSError` as it comes (:func:`greeter.journal_backup.durable_rename`
    says it of the user's file).
    """
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def replace_whole(path: Path, data: bytes, *, mode: int | None = None, durable: bool = False) -> None:
    """Put ``data`` at ``path`` whole or not at all; an :class:`OSError` is raised, the temporary removed.

    The one way greeter replaces a small file of its own that others may read
    at any moment: a temporary file beside it (``.NAME.*.tmp``, mkstemp's
    ``0600`` from the first byte, or ``mode`` set before anything is written),
    renamed into place, so a reader sees the old file or the new one. What the
    callers need differs, and is asked for: ``durable`` syncs the data and the
    rename to disk (:func:`synced_rename`: the journal's ``.sent`` note, whose
    loss to a power cut would lose the check it is for), which a cache that
    is never needed skips (:func:`greeter.cache_dir.write_cache_file`, which also
    drops the error); ``mode``: a file shared with its folder's group
    (:func:`private_file_mode`).
    """
    sweep_stale_temporaries(path, time.time())
    import tempfile  # a file written whole: its import paid by a write only

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
        if durable:
            synced_rename(Path(tmp), path)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: Seconds a temporary of :func:`replace_whole` must be old to be a killed writer's: a live
#: writer holds its own for the milliseconds of one write (a synced one: a disk's seconds at worst).
STALE_TEMPORARY_SECONDS = 3600.0


def sweep_stale_temporaries(path: Path, now: float) -> None:
    """Remove the temporaries of :func:`replace_whole` for ``path`` (``.NAME.*.tmp`` beside it) that a
    writer killed between its write and its rename left — those older than
    :data:`STALE_TEMPORARY_SECONDS` at ``now`` (a :func:`time.time`), so a live writer's is never
    taken from under it. Best effort: a folder that cannot be listed, or a name that cannot be
    removed, is left as it is.

    A SIGKILL, the OOM killer or a power cut at that moment left one for good — the journal's
    ``.sent`` note is written after every run that sends, a cache file at every miss — as
    ``preview --out`` left its own (:meth:`greeter.preview_out.OwnedFolder.open` clears those,
    by the same :func:`unlink_if_there`). Only regular files, never through a link.
    """
    prefix = f".{path.name}."
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                    continue
                with contextlib.suppress(OSError):
                    found = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(found.st_mode) and now - found.st_mtime > STALE_TEMPORARY_SECONDS:
                        unlink_if_there(entry.name, folder)
    except OSError:
        return
    finally:
        os.close(folder)


def unlink_if_there(name: str, folder: int) -> None:
    """Remove ``name`` in the open folder ``folder`` (a descriptor), if it is there: a link is removed,
    never followed."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=folder)


def make_group_folder(path: Path) -> None:
    """Create ``path`` and its missing parents with :data:`GROUP_FOLDER_MODE`, :func:`narrowed` by the umask
    — or, each in a folder shared with its group, ``2770`` (:func:`created_folder_mode`).

    ``Path.mkdir(parents=True)`` gives ``0755`` under a ``umask 022``, and
    the parents it makes ignore ``mode`` altogether. A folder that exists is
    left as it is: its mode is its owner's choice. Raises ``NotADirectoryError``
    when ``path`` is something else than a folder.
    """
    missing: list[Path] = []
    here = Path(path)
    while not here.exists() and not here.is_symlink() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(GROUP_FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            # a default ACL of the parent may have added bits; a parent shared with the group, taken them
            os.fchmod(fd, created_folder_mode(os.stat(folder.parent).st_mode, process_umask()))
        finally:
            os.close(fd)
    if not Path(path).is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
