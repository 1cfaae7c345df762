"""The folder ``greeter preview --out`` writes into: it replaces its own files there, and only those.

Why a manifest: ``--out`` may name a folder that holds other ``.eml`` or
``.html`` files — a reviewer's own notes, an unrelated web page, mail kept
there (the ``file`` transport's outbox itself is refused:
:func:`outbox_refusal`). A rerun must still replace the previous preview (a
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
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TextIO, TypeVar, cast

from greeter.errors import OutputError
from greeter.file_modes import open_group_readable

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["MANIFEST", "OwnedFolder", "Tally", "outbox_refusal"]

#: The manifest's name in the output folder (a dot file: it is no letter and no page).
MANIFEST = ".greeter-preview.sha256"


def outbox_refusal(out: Path, outbox: Path | None) -> str | None:
    """Why ``--out`` must not be ``outbox``, where the ``file`` transport delivers letters; None if it may.

    The manifest keeps the sent letters safe from a preview, but not the other
    way round: drafts named exactly as delivered letters (``eml_name``) would sit
    among them, and whatever reads the outbox — a person, a relay collecting
    ``*.eml``, an archive — takes every file there for a letter that left. A
    folder inside the outbox is refused too: ``find data/outbox -name '*.eml'``
    and a recursive copy see it the same; nothing is lost by choosing another
    folder. A parent of the outbox (``--out data``) is fine: preview writes only
    at the top of ``--out`` and in its ``drafts/``, never into the outbox.
    Paths are compared resolved (``./data/../data/outbox`` and a symlink to
    it are the outbox). ``outbox`` is None when letters go by SMTP.
    """
    if outbox is None:
        return None
    here, there = out.resolve(), outbox.resolve()
    if here == there:
        return f"--out {out} is the outbox letters are delivered to: choose another folder"
    if here.is_relative_to(there):
        return f"--out {out} is inside the outbox letters are delivered to ({outbox}): choose another folder"
    return None


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
    """

    @_as_output_error
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._manifest = root / MANIFEST
        self._before = _read_manifest(self._manifest)
        self._now: dict[str, str] = {}
        self._replaced = 0
        self._log: TextIO | None = None

    def may_write(self, name: str) -> bool:
        """Whether ``name`` is free or holds the previous preview's file, unchanged."""
        path = self.root / name
        if name in self._now or not path.exists():
            return True
        return _digest_of(path) in self._before.get(name, ())

    def foreign(self, folder: str, pattern: str) -> list[str]:
        """Files in ``folder`` matching ``pattern`` that :meth:`may_write` would refuse, by name."""
        found = sorted((self.root / folder).glob(pattern)) if (self.root / folder).is_dir() else []
        names = (PurePosixPath(folder, p.name).as_posix() for p in found if p.is_file())
        return [n for n in names if not self.may_write(n)]

    @_as_output_error
    def write(self, name: str, chunks: Iterable[bytes]) -> bool:
        """Write ``chunks`` to ``name`` (via a temporary name, so no reader sees half a file).

        Returns False, writing nothing, when a file that is not ours is in the way.
        """
        path = self.root / name
        existed = path.exists()
        if existed and not self.may_write(name):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        digest = hashlib.sha256()
        with open_group_readable(tmp) as f:  # names, addresses, ages: 0640, like an outbox's .eml
            for chunk in chunks:
                digest.update(chunk)
                f.write(chunk)
        self._note(name, digest.hexdigest())
        os.replace(tmp, path)
        self._replaced += existed and name in self._before
        return True

    @_as_output_error
    def finish(self) -> Tally:
        """Remove the previous preview's files this run did not write again; keep the manifest of this one."""
        removed = kept = 0
        for name, digests in self._before.items():
            path = self.root / name
            if name in self._now or not path.is_file():
                continue
            if _digest_of(path) in digests:
                path.unlink()
                removed += 1
            else:
                kept += 1
        if self._log is not None:
            self._log.close()
            self._log = None
        tmp = self._manifest.with_name(MANIFEST + ".tmp")
        tmp.write_text("".join(f"{d}  {n}\n" for n, d in self._now.items()), encoding="utf-8")
        os.replace(tmp, self._manifest)
        return Tally(self._replaced, removed, kept)

    def _note(self, name: str, digest: str) -> None:
        if self._log is None:
            self._log = self._manifest.open("a", encoding="utf-8")
        self._log.write(f"{digest}  {name}\n")
        self._log.flush()
        self._now[name] = digest


def _digest_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _read_manifest(path: Path) -> dict[str, set[str]]:
    """Name → the contents (digests) greeter wrote there; lines that are not ours are ignored.

    A name must stay inside the folder: the manifest is a file anyone may edit,
    and it decides what gets deleted.
    """
    found: dict[str, set[str]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return found
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        parts = PurePosixPath(name).parts
        if not sep or len(digest) != 64 or not parts or ".." in parts or name.startswith("/"):
            continue
        found.setdefault(name, set()).add(digest)
    return found
