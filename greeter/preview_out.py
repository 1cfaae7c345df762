"""The folder ``greeter preview --out`` writes into: it replaces its own files there, and only those.

Why a manifest: ``--out`` may name a folder that holds other ``.eml`` or
``.html`` files — a reviewer's own notes, an unrelated web page, mail kept
there (the ``file`` transport's outbox itself is refused:
:func:`greeter.own_files.refusal`, as the templates folder and a folder holding
the journal, the config or the contacts are). A rerun must still replace the previous preview (a
letter no longer planned must not linger among the new ones), so every file
preview writes is listed, with the SHA-256 of what it wrote, in
:data:`MANIFEST` in that folder (``sha256sum``'s format, so
``sha256sum -c`` checks it). A later run removes or overwrites a file only
when the manifest lists it with the content the file still has. A file greeter
never wrote, or one someone edited since, is never touched: a draft that would
overwrite it is not written, and the caller says so.

Crash safety: a file's manifest line is appended right before the file takes
its final name, so a run stopped halfway leaves every file it wrote listed (a
name may then be listed with two contents; either is ours). The last step,
:meth:`OwnedFolder.finish`, rewrites the manifest with this run's files only.

A run that fails (a full disk, the contacts failing partway) leaves the folder as it found it
(:meth:`OwnedFolder.undone_on_failure`): QA's ``preview --format html --out DIR`` on a full disk
left ``gallery.css``, two drafts and the manifest, and no ``index.html``. The files it made are
removed, and a previous preview's file it replaced is put back from a hard link taken before
(``.NAME.before.tmp``, removed once the run is done); the manifest is cut back to what it held.
A run killed outright (SIGKILL, a power cut) undoes nothing: the next run's :meth:`OwnedFolder.open`
removes the links and temporaries it left beside the files the manifest lists.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, TypeVar, cast

from greeter.errors import OutputError
from greeter.file_modes import (
    GROUP_FOLDER_MODE,
    make_group_folder,
    narrowed,
    open_group_readable,
    unlink_if_there,
)

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["MANIFEST", "OwnedFolder", "Tally"]

#: The manifest's name in the output folder (a dot file: it is no letter and no page).
MANIFEST = ".greeter-preview.sha256"


@dataclass(frozen=True, slots=True)
class Tally:
    """What a run did to the folder, for the line that reports it."""

    #: This run's files that overwrote the previous preview's file of the same name.
    replaced: int
    #: The previous preview's files no longer planned, deleted.
    removed: int
    #: The previous preview's files someone changed since: kept, as they are no longer what greeter wrote.
    kept: int

    def summary(self) -> str:
        """``"; of the previous preview's files 2 replaced, 1 removed"`` — empty when there were none."""
        parts = [f"{self.replaced} replaced"] if self.replaced else []
        parts += [f"{self.removed} removed (no longer planned)"] if self.removed else []
        said = f"; of the previous preview's files {', '.join(parts)}" if parts else ""
        if self.kept:
            said += f"; {self.kept} file(s) of the previous preview kept: changed since it wrote them"
        return said


def _as_output_error(method: F) -> F:
    """A folder that cannot be written (missing parent, read-only, ``/proc``) is the user's error, one line.

    Not a traceback and "a bug in greeter": :class:`~greeter.errors.OutputError`
    names the folder and the system's reason, exit 2.
    """

    @functools.wraps(method)
    def wrapper(self: OwnedFolder, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError.of(self.root, exc) from exc

    return cast(F, wrapper)


class OwnedFolder:
    """A folder whose files greeter writes, replaces and removes — only the ones :data:`MANIFEST` lists.

    ``names`` are relative POSIX paths (``"drafts/3.html"``). Use :meth:`write`
    for every file of the run, then :meth:`finish` once.

    Nothing under the folder is reached through a symbolic link: a ``drafts``
    that links elsewhere would have pages written, and files the manifest
    lists deleted, outside ``--out`` (whoever may write into the folder, or
    forge its manifest, could aim that anywhere the user may write). Each
    file is reached from an open descriptor of its folder, each folder opened
    with ``O_NOFOLLOW``, so a link swapped in midway is not followed either.
    A linked folder is refused (:class:`~greeter.errors.OutputError`); a
    link where a file goes is never greeter's own file: kept, not written
    through, not removed. Folders it creates are ``0750``, files ``0640``
    (:mod:`greeter.file_modes`): the file names alone say clients' ids and
    birthdays.
    """

    def __init__(self, root: Path, before: dict[str, set[str]]) -> None:
        """``before``: what the previous preview's manifest lists (:meth:`open` reads it)."""
        self.root = root
        self._before = before
        self._now: dict[str, str] = {}
        self._replaced = 0
        self._log: BinaryIO | None = None
        #: Undone on failure (:meth:`abandon`): the files this run made, the previous files it
        #: replaced (name → the hard link kept of them), the manifest's size before (None: none).
        self._made: list[str] = []
        self._kept: dict[str, str] = {}
        self._manifest_size: int | None = None

    @classmethod
    def open(cls, root: Path) -> OwnedFolder:
        """The folder ``root``, made (``0750``) if missing, with its last preview's manifest read."""
        try:
            make_group_folder(root)
            folder = cls(root, _read_manifest(root / MANIFEST))
            try:
                info: os.stat_result | None = os.lstat(root / MANIFEST)
            except FileNotFoundError:
                info = None
            folder._manifest_size = info.st_size if info is not None and stat.S_ISREG(info.st_mode) else None
            folder._clear_leftovers()
            return folder
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError.of(root, exc) from exc

    def _clear_leftovers(self) -> None:
        """Remove what a run killed midway left beside the files the manifest lists: the hard link
        kept of a replaced file (``.NAME.before.tmp``) and the temporary being written (``NAME.tmp``).

        A run stopped by SIGKILL, the OOM killer or a power cut does no :meth:`abandon` and no
        :meth:`finish`: its links stayed in the folder for good once no later run wrote those
        names again. Every file a run replaces is listed in the manifest (the killed run appended
        its lines to the one read here), so looking beside the listed names finds them all; those
        names are greeter's own beside greeter's own files, which :meth:`write` removes anyway
        before it writes. One that cannot be removed is left: it is a stale name, nothing more.
        """
        for name in self._before:
            base = PurePosixPath(name).name
            for leftover in (f".{base}.before.tmp", f"{base}.tmp"):
                with suppress(OSError), _folder_of(self.root, name, create=False) as fd:
                    unlink_if_there(leftover, fd)

    @_as_output_error
    def may_write(self, name: str) -> bool:
        """Whether ``name`` is free or holds the previous preview's file, unchanged."""
        if name in self._now:
            return True
        try:
            with _folder_of(self.root, name, create=False) as fd:
                return self._ours_or_free(fd, name)
        except FileNotFoundError:  # its folder is not there yet
            return True

    @_as_output_error
    def foreign(self, folder: str, pattern: str) -> list[str]:
        """Files in ``folder`` matching ``pattern`` that :meth:`may_write` would refuse, by name."""
        try:
            with _folder_of(self.root, PurePosixPath(folder, pattern).as_posix(), create=False):
                pass  # a linked folder is refused before anything in it is looked at
        except FileNotFoundError:
            return []
        found = sorted((self.root / folder).glob(pattern)) if (self.root / folder).is_dir() else []
        names = (PurePosixPath(folder, p.name).as_posix() for p in found if p.is_file() or p.is_symlink())
        return [n for n in names if not self.may_write(n)]

    @_as_output_error
    def write(self, name: str, chunks: Iterable[bytes]) -> bool:
        """Write ``chunks`` to ``name`` (via a temporary name, so no reader sees half a file).

        Returns False, writing nothing, when a file that is not ours is in the way.
        """
        base = PurePosixPath(name).name
        again = name in self._now  # this run's own file, written again (a letter page's neighbours)
        with _folder_of(self.root, name, create=True) as fd:
            existed = _lstat(base, fd) is not None
            if existed and name not in self._now and not self._ours_or_free(fd, name):
                return False
            if name not in self._now and name not in self._kept:
                if not existed:
                    self._made.append(name)
                else:  # the previous preview's: a hard link to put back if this run fails
                    keep = f".{base}.before.tmp"
                    unlink_if_there(keep, fd)
                    with suppress(OSError):  # a file system without hard links: not put back
                        os.link(base, keep, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
                        self._kept[name] = keep
            digest = hashlib.sha256()
            with _via_temporary(base, fd) as f:
                for chunk in chunks:
                    digest.update(chunk)
                    f.write(chunk)
                self._note(name, digest.hexdigest())
        self._replaced += existed and not again and name in self._before
        return True

    @_as_output_error
    def finish(self) -> Tally:
        """Remove the previous preview's files this run did not write again; keep the manifest of this one."""
        removed = kept = 0
        for name, digests in self._before.items():
            if name in self._now:
                continue
            base = PurePosixPath(name).name
            try:
                with _folder_of(self.root, name, create=False) as fd:
                    if not _is_file(base, fd):
                        continue  # gone, or a link or a folder: no file greeter wrote
                    if _digest_at(base, fd) in digests:
                        os.unlink(base, dir_fd=fd)
                        removed += 1
                    else:
                        kept += 1
            except (FileNotFoundError, _LinkedFolder):
                continue  # its folder is gone, or is a link now: nothing of ours is there
        if self._log is not None:
            self._log.close()
            self._log = None
        with _folder_of(self.root, MANIFEST, create=False) as fd, _via_temporary(MANIFEST, fd) as f:
            f.write("".join(f"{d}  {n}\n" for n, d in self._now.items()).encode("utf-8"))
        self._made.clear()
        for name, keep in self._kept.items():  # done: the previous files are not needed back
            with suppress(OSError), _folder_of(self.root, name, create=False) as fd:
                unlink_if_there(keep, fd)
        self._kept.clear()
        return Tally(self._replaced, removed, kept)

    @contextmanager
    def undone_on_failure(self) -> Iterator[OwnedFolder]:
        """The run's writes, up to :meth:`finish`: any error on the way (a full disk, the contacts
        failing partway) undoes them (:meth:`abandon`) and passes on as it is."""
        try:
            yield self
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Put the folder back as :meth:`open` found it, as far as it can: the files this run made
        removed, and the folders made for them if empty, the files it replaced put back from their
        links, the manifest cut back to its size (removed if there was none). Its own errors are
        dropped: the one that failed the run is the one to say."""
        if self._log is not None:
            with suppress(OSError):
                self._log.close()
            self._log = None
        for name in reversed(self._made):
            with suppress(OSError), _folder_of(self.root, name, create=False) as fd:
                if _is_file(PurePosixPath(name).name, fd):
                    os.unlink(PurePosixPath(name).name, dir_fd=fd)
        for name, keep in self._kept.items():
            with suppress(OSError), _folder_of(self.root, name, create=False) as fd:
                os.replace(keep, PurePosixPath(name).name, src_dir_fd=fd, dst_dir_fd=fd)
        folders = {p for name in self._made for p in PurePosixPath(name).parents if p.parts}
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            with suppress(OSError), _folder_of(self.root, f"{folder.parent}/x", create=False) as fd:
                os.rmdir(folder.name, dir_fd=fd)  # only an empty one: another's files keep it
        with suppress(OSError), _folder_of(self.root, MANIFEST, create=False) as fd:
            if self._manifest_size is None:
                unlink_if_there(MANIFEST, fd)
            elif _is_file(MANIFEST, fd):
                with os.fdopen(os.open(MANIFEST, os.O_WRONLY | os.O_NOFOLLOW, dir_fd=fd), "wb") as f:
                    f.truncate(self._manifest_size)
        self._made.clear()
        self._kept.clear()

    def _ours_or_free(self, fd: int, name: str) -> bool:
        """Whether ``name`` (in the open folder ``fd``) is absent, or the last preview's file unchanged."""
        base = PurePosixPath(name).name
        info = _lstat(base, fd)
        if info is None:
            return True
        return stat.S_ISREG(info.st_mode) and _digest_at(base, fd) in self._before.get(name, ())

    def _note(self, name: str, digest: str) -> None:
        if self._log is None:
            with _folder_of(self.root, MANIFEST, create=False) as fd:
                if _lstat(MANIFEST, fd) is not None and not _is_file(MANIFEST, fd):
                    unlink_if_there(MANIFEST, fd)  # a link: _read_manifest did not trust it either
                self._log = open_group_readable(MANIFEST, append=True, follow_links=False, dir_fd=fd)
        self._log.write(f"{digest}  {name}\n".encode())
        self._log.flush()
        self._now[name] = digest


# Private: raised and caught inside this module.
class _LinkedFolder(OutputError):
    """A folder on the way to a file under ``--out`` is a symbolic link: not followed."""


@contextmanager
def _folder_of(root: Path, name: str, *, create: bool) -> Iterator[int]:
    """An open descriptor of the folder ``name`` is in, reached from ``root`` without following a link.

    ``create``: missing folders are made (``0750``). Raises :class:`_LinkedFolder`
    for a folder that is a symbolic link, ``FileNotFoundError`` for a missing one.
    ``root`` itself may be a link: the user named it.
    """
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        walked = root
        for part in PurePosixPath(name).parts[:-1]:
            walked = walked / part
            made = False
            if create:
                try:
                    os.mkdir(part, GROUP_FOLDER_MODE, dir_fd=fd)
                    made = True
                except FileExistsError:
                    pass
            try:
                sub = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                info = _lstat(part, fd)
                if info is not None and stat.S_ISLNK(info.st_mode):
                    raise _LinkedFolder(
                        f"{walked}: is a symbolic link; preview writes only into real folders inside "
                        "--out, never through a link: remove it, or choose another --out"
                    ) from None
                raise OSError(exc.errno, exc.strerror, str(walked)) from None
            os.close(fd)
            fd = sub
            if made:
                os.fchmod(fd, narrowed(GROUP_FOLDER_MODE))  # never wider than the umask allows
        yield fd
    finally:
        os.close(fd)


def _lstat(base: str, fd: int) -> os.stat_result | None:
    try:
        return os.lstat(base, dir_fd=fd)
    except FileNotFoundError:
        return None


def _is_file(base: str, fd: int) -> bool:
    """Whether ``base`` in folder ``fd`` is a regular file itself (a link to one is not)."""
    info = _lstat(base, fd)
    return info is not None and stat.S_ISREG(info.st_mode)


@contextmanager
def _via_temporary(base: str, fd: int) -> Iterator[BinaryIO]:
    """``base`` in the open folder ``fd`` to write, through ``base.tmp`` renamed over it at the end,
    so no reader sees half a file; the temporary removed if the block or the rename fails.

    A full disk stopped ``preview --format html -o DIR`` at ``gallery.css`` and left
    ``gallery.css.tmp`` in the user's folder, which no later run listed or removed.
    Files are ``0640`` (:func:`~greeter.file_modes.open_group_readable`): names, addresses, ages.
    """
    tmp = base + ".tmp"
    unlink_if_there(tmp, fd)  # a leftover, or a link someone put there: never written through
    done = False
    try:
        with open_group_readable(tmp, new=True, dir_fd=fd) as f:
            yield f
        os.replace(tmp, base, src_dir_fd=fd, dst_dir_fd=fd)
        done = True
    finally:
        if not done:
            with suppress(OSError):  # the first error is the one to say
                unlink_if_there(tmp, fd)


def _digest_at(base: str, fd: int) -> str:
    """The SHA-256 of the regular file ``base`` in folder ``fd`` (``ELOOP`` for a link swapped in)."""
    with os.fdopen(os.open(base, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd), "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _read_manifest(path: Path) -> dict[str, set[str]]:
    """Name → the contents (digests) greeter wrote there; lines that are not ours are ignored.

    A name must stay inside the folder: the manifest is a file anyone may edit,
    and it decides what gets deleted. A manifest that is a symbolic link is
    no manifest greeter wrote (it writes a regular file): none is read.
    """
    found: dict[str, set[str]] = {}
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return found
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return found
        raise
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return found
        text = f.read().decode("utf-8", errors="replace")  # a line damaged so is no name of ours
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        parts = PurePosixPath(name).parts
        if not sep or len(digest) != 64 or not parts or ".." in parts or name.startswith("/"):
            continue
        found.setdefault(name, set()).add(digest)
    return found
