"""The parsed config kept on disk between runs, keyed so it is never stale: a warm start parses no YAML.

Why: every command reads ``greeter.yaml`` with ruamel's pure-Python
round-trip reader (:func:`greeter.config_yaml.parse_yaml`), which keeps the
line and column of every key for ``file:line:col`` messages. On the example
config that is ~260 M instructions, an eighth of a ``greeter send --once``'s
fixed cost, paid again by every command and again by each ``locate()`` of a
setting after loading. Unpickling the same document takes ~5 M.

Why the document found is the document a parse would give: the file's name
is a SHA-256 of the text parsed, ruamel's and Python's versions and the
source of the modules that parse (:mod:`greeter.config_yaml`, which adds its
own constructor and composer, and this one). ruamel's round-trip containers
pickle whole, their line/column records (``.lc``) included, so the loader
locates every problem where a parse would. Only a text that parsed is kept:
a YAML mistake is parsed again, and reported, every time; a config whose
*settings* are wrong is kept, and its problems are found from the same
document as before.

Why it is safe to load: unpickling runs code, so the files are read only from
greeter's private cache folder (:func:`~greeter.cache_dir.private_folder`:
this user's, nobody else may write to it), as the compiled templates are;
anything else — no cache folder, another owner, a group-writable folder, a
read-only disk, a broken or truncated file — means parsing as if there were
no cache, and a broken file is replaced by the next parse's.

Why only the newest :data:`KEEP` are kept: each edit of the config is a new
key, and a file (~55 KB for the example config) per edit, kept forever, is a
cache that only grows. Each store deletes the oldest of this cache's files
beyond :data:`KEEP` (:func:`~greeter.cache_dir.prune_cache_files`: by mtime,
only ``<key>.config`` files, best effort). A config still in use whose file
was pruned is parsed once more and kept again, newest.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, Final

import ruamel.yaml

from greeter.cache_dir import (
    PRIVATE_FOLDER,
    modules_digest,
    private_folder,
    prune_cache_files,
    user_cache_dir,
    write_cache_file,
)
from greeter.config_yaml import parse_yaml

__all__ = ["COUNTS", "KEEP", "parse_cached"]

#: Bumped when what is stored changes (old files are then simply not found).
FORMAT: Final = 1
#: The modules whose source decides the document a text parses to (next to this one).
PARSER_MODULES: Final = ("config_yaml.py", "config_cache.py")
#: How many parsed configs are kept: a few projects' and edits' worth (~1 MB for the example config).
KEEP: Final = 16
#: How often the cache answered in this process ("hit"), a text was parsed ("miss") and kept ("stored").
COUNTS: Final[Counter[str]] = Counter()


@cache
def _salt() -> bytes | None:
    """What besides the text decides the parse; None: unknown (not installed as files), no cache."""
    digest = modules_digest(PARSER_MODULES)
    if digest is None:
        return None
    return f"config {FORMAT}\0ruamel.yaml {ruamel.yaml.__version__}\0{sys.version}\0{digest}\0".encode()


def parse_cached(text: str, filename: str, folder: Path | None = None) -> Any:
    """:func:`~greeter.config_yaml.parse_yaml`'s document for ``text``, from the cache when kept there.

    ``folder`` defaults to greeter's private cache folder (:data:`~greeter.cache_dir.PRIVATE_FOLDER`
    under :func:`~greeter.cache_dir.user_cache_dir`); ``filename`` is only used in messages,
    so the same text under another name is found too. Raises what ``parse_yaml`` raises.
    """
    path = _cache_file(text, folder)
    if path is not None and private_folder(path.parent, create=False):
        try:
            document = pickle.loads(path.read_bytes())
        except Exception:  # none yet, unreadable, truncated, or not ours to trust: parse
            pass
        else:
            COUNTS["hit"] += 1
            return document
    COUNTS["miss"] += 1
    document = parse_yaml(text, filename)  # a YAML mistake raises here: never stored
    if path is not None and private_folder(path.parent, create=True):
        try:
            data = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):  # not kept: parsed again
            return document
        write_cache_file(path, data)
        prune_cache_files(path, KEEP)
        COUNTS["stored"] += 1
    return document


def _cache_file(text: str, folder: Path | None) -> Path | None:
    """Where the document of ``text`` is kept; None: no cache (no folder to name, or no salt)."""
    salt = _salt()
    if salt is None:
        return None
    if folder is None:
        base = user_cache_dir()
        if base is None:
            return None
        folder = base / PRIVATE_FOLDER
    key = hashlib.sha256(salt + text.encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.config"
