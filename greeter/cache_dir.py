"""Where greeter keeps what it can recompute: ``$XDG_CACHE_HOME/greeter``, else ``~/.cache/greeter``.

One folder for every cache (the holiday tables, the compiled templates), so
an operator clears or relocates all of them in one place; the systemd unit
points ``XDG_CACHE_HOME`` at its ``CacheDirectory=``. Nothing in it is ever
needed: a cache that cannot be read or written is simply not used, and with
no folder to name (None) there is no cache at all. A cache keyed by content
that changes (each edit of the config or of a template is a new key) is kept to its newest
files by :func:`prune_cache_files`, or it would grow by a file per edit forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from greeter.file_modes import replace_whole

#: The folder under greeter's cache folder for what is read back as code — compiled templates
#: (greeter.template_code), template shapes, parsed configs (greeter.config_cache) — only ever
#: used when :func:`private_folder` says it is this user's alone.
PRIVATE_FOLDER = "templates"

__all__ = [
    "PRIVATE_FOLDER",
    "beyond_newest",
    "cache_folder",
    "private_folder",
    "prune_cache_files",
    "user_cache_dir",
    "write_cache_file",
]


def cache_folder(xdg_cache_home: str | None, home: str) -> Path | None:
    """greeter's cache folder given ``$XDG_CACHE_HOME`` and the home ``~`` expands to; None: no cache. Pure.

    Only an absolute path is a place: a container started under a UID with no
    passwd entry and no ``HOME`` (OpenShift's arbitrary UIDs) gets ``"~"`` back
    from :func:`os.path.expanduser`, and ``~/.cache`` then meant a literal
    ``./~/.cache/greeter`` in the working directory — the data volume. A
    relative ``XDG_CACHE_HOME`` is ignored as the XDG spec says.
    """
    if xdg_cache_home and os.path.isabs(xdg_cache_home):
        return Path(xdg_cache_home) / "greeter"
    if not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "greeter"


def user_cache_dir() -> Path | None:
    """greeter's cache folder for this process's environment (it may not exist yet); None: no cache."""
    return cache_folder(os.environ.get("XDG_CACHE_HOME"), os.path.expanduser("~"))


def write_cache_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` whole or not at all; a failure is silent: a cache is never needed.

    :func:`~greeter.file_modes.replace_whole` (a private temporary file renamed into place, so
    concurrent processes — the daemon and a reviewer's preview — never read half of one; the
    temporary removed when writing fails), without syncing to disk: a cache file a power cut
    leaves empty or old is a miss. The folder is the caller's to make, with the mode its cache wants.
    """
    with contextlib.suppress(OSError):
        replace_whole(path, data)


def beyond_newest(files: Iterable[tuple[str, float]], keep: int) -> list[str]:
    """The names among ``files`` (name, mtime) past the ``keep`` newest, newest first. Pure.

    Equal mtimes are ranked by name, so two processes pruning the same folder choose alike.
    """
    ranked = sorted(files, key=lambda file: (file[1], file[0]), reverse=True)
    return [name for name, _ in ranked[max(keep, 0) :]]


#: A cache file's name: a SHA-256 key (hex) and the cache's own suffix (".config", ".shape"...).
_KEYED_NAME = re.compile(r"[0-9a-f]{64}(\.[a-z]+)")


def prune_cache_files(written: Path, keep: int) -> None:
    """Leave ``written``'s cache at most ``keep`` files: ``written`` and the newest others by mtime.

    "``written``'s cache" is the files beside it named like it, a SHA-256 key and the same
    suffix: the other caches sharing the folder (``.code``, ``.shape``), temporary files
    (``.<name>.*.tmp``) and anything else are never looked at. ``written`` itself (just
    stored) is always kept, whatever its mtime says. Deleting is best effort, like the rest
    of a cache: a file another process pruned first, or one that cannot be removed, is
    skipped silently; ``os.unlink`` never follows a symlink nor removes a folder.
    """
    folder, suffix = written.parent, written.suffix
    found: list[tuple[str, float]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _KEYED_NAME.fullmatch(entry.name)
                if match is None or match.group(1) != suffix or entry.name == written.name:
                    continue
                with contextlib.suppress(OSError):  # gone meanwhile: nothing to prune
                    found.append((entry.name, entry.stat(follow_symlinks=False).st_mtime))
    except OSError:  # no folder to list: nothing kept, nothing to prune
        return
    for name in beyond_newest(found, keep - 1):
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def private_folder(folder: Path, *, create: bool) -> bool | None:
    """Whether ``folder`` is this user's and nobody else may write to it (made first if ``create``).

    None: it does not exist and was not to be made (it may be, later). Shared by the caches
    kept in it (:class:`~greeter.template_code.TemplateCode`, :mod:`greeter.template_shape_cache`,
    :mod:`greeter.config_cache`): what another user could write there is never read back.
    """
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False if create else None
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


@cache
def modules_digest(names: tuple[str, ...]) -> str | None:
    """A SHA-256 of the source of greeter's modules ``names`` (file names in this package), the
    part of a cache key that says "made by this code": a change to any of them (another release,
    a patched install) makes every file a cache holds a miss. None: not installed as files
    (a zip): no cache. One way for the three caches (compiled templates, template shapes, the
    parsed config) to name the code they depend on."""
    try:
        sources = [Path(__file__).with_name(name).read_bytes() for name in names]
    except OSError:
        return None
    return hashlib.sha256(b"\0".join(sources)).hexdigest()
