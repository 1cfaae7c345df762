"""The validated settings kept on disk between runs, so that a warm start validates nothing.

Why: building the config models' validators (pydantic's core schemas, ~130 M instructions)
and validating the config with them were a fixed part of every command's start — of each
``greeter send --once`` from cron, most of which find nothing due. With the models built
lazily (:class:`~greeter.config_base._Model`'s ``defer_build``), a config found here is
unpickled (~5 M) and no model is ever built in that process.

Why a kept entry is the settings a validation would give: its name is a SHA-256 of the config's
text with Python's version and greeter's; the settings are the validation of that text alone
(no validator reads the clock, the environment or a file: paths are anchored, files looked at
and secrets read after, on every load, by :mod:`greeter.config_loader` and the commands). The
code that validated is named inside the entry: the path, size and modification time of every
module file loaded when it was stored (greeter's modules, each package the process had
imported, as Python's own bytecode cache trusts a source by its size and mtime) and the
installed ``holidays`` version (whose tables answer the calendar settings' checks). Any of
them changed — an edit of greeter, an upgrade of pydantic — and the entry is a miss. Only
settings that validated are kept: a config with a mistake is validated, and reported, each
time.

Why only in greeter's own command: :func:`enable` is called by :func:`greeter.entry.at_entry`
(the ``greeter`` command, ``python -m greeter``), as :mod:`greeter.generated_code` is
installed; a library user's process, and a test that patches a validator's helper, validate
every time.

What a validator does besides checking is done again on a hit: the regions a config declares
calendars (:func:`~greeter.holiday_tables.declare_regions`).

Why it is safe to load: as :mod:`greeter.config_cache`, only from greeter's private cache
folder; anything unusable means validating as if there were no cache. Only the newest
:data:`KEEP` are kept (:func:`~greeter.cache_dir.prune_cache_files`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Final

import greeter
from greeter.cache_dir import (
    PRIVATE_FOLDER,
    private_folder,
    prune_cache_files,
    user_cache_dir,
    write_cache_file,
)

if TYPE_CHECKING:
    from greeter.config import Settings

__all__ = ["COUNTS", "KEEP", "cached_settings", "enable", "keep_settings"]

#: Bumped when what is stored changes (old files are then simply not found).
FORMAT: Final = 1
#: How many validated configs are kept (a few projects' and edits' worth, ~20 KB each).
KEEP: Final = 16
#: How often the cache answered in this process ("hit"), found its code changed ("stale"),
#: had nothing ("miss", validated then) and kept settings ("stored").
COUNTS: Final[Counter[str]] = Counter()

#: One module file as the entry saw it: path, size, modification time (ns).
_Seen = tuple[str, int, int]

#: Whether this process keeps and reads validated settings (:func:`enable`).
_enabled = False


def enable() -> None:
    """Keep and read validated settings in this process: the ``greeter`` command's (``at_entry``)."""
    global _enabled
    _enabled = True


def cached_settings(text: str, folder: Path | None = None) -> Settings | None:
    """The settings kept for ``text`` by code unchanged since; None: validate (then :func:`keep_settings`).

    ``folder`` defaults to greeter's private cache folder. None too when not :func:`enable`-d.
    """
    if not _enabled:
        return None
    path = _cache_file(text, folder)
    if path is None or not private_folder(path.parent, create=False):
        COUNTS["miss"] += 1
        return None
    try:
        code, holidays, blob = pickle.loads(path.read_bytes())
        if holidays != _holidays_version() or not _unchanged(code):
            COUNTS["stale"] += 1
            return None
        settings = pickle.loads(blob)  # only now: the classes it names are the ones that stored it
    except Exception:  # none yet, unreadable, truncated, from other code: validate
        COUNTS["miss"] += 1
        return None
    from greeter.config import Settings
    from greeter.holiday_tables import declare_regions

    if not isinstance(settings, Settings):
        COUNTS["miss"] += 1
        return None
    declare_regions(settings.send_window.regional_days_off)  # SendWindow's validator declares them
    COUNTS["hit"] += 1
    return settings


def keep_settings(text: str, settings: Settings, folder: Path | None = None) -> None:
    """Keep ``settings``, the validation of ``text`` by the code loaded now; best effort, silent."""
    path = _cache_file(text, folder) if _enabled else None
    if path is None or not private_folder(path.parent, create=True):
        return
    try:
        blob = pickle.dumps(settings, protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps((_loaded_code(), _holidays_version(), blob), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):  # validated each time
        return
    write_cache_file(path, data)
    prune_cache_files(path, KEEP)
    COUNTS["stored"] += 1


def _loaded_code() -> tuple[_Seen, ...]:
    """The files of the code this process has loaded that validation may have run: every greeter
    module, and each top-level module or package (a distribution upgraded rewrites its
    ``__init__``); sorted, so the same code gives the same list."""
    seen: list[_Seen] = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or ("." in name and not name.startswith("greeter.")):
            continue
        try:
            info = os.stat(file)
        except OSError:
            continue
        seen.append((file, info.st_size, info.st_mtime_ns))
    return tuple(sorted(seen))


def _unchanged(code: tuple[_Seen, ...]) -> bool:
    """Whether every file in ``code`` is still there with the same size and modification time."""
    for file, size, mtime in code:
        try:
            info = os.stat(file)
        except OSError:
            return False
        if info.st_size != size or info.st_mtime_ns != mtime:
            return False
    return True


def _holidays_version() -> str | None:
    """The installed holidays library's version: its tables decide which calendars the settings may name."""
    from greeter.holiday_cache import installed_version

    return installed_version("holidays")


def _cache_file(text: str, folder: Path | None) -> Path | None:
    """Where the settings of ``text`` are kept; None: no cache folder to name."""
    if folder is None:
        base = user_cache_dir()
        if base is None:
            return None
        folder = base / PRIVATE_FOLDER
    salt = f"settings {FORMAT}\0{greeter.__version__}\0{sys.version}\0".encode()
    key = hashlib.sha256(salt + text.encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.settings"
