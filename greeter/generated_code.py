"""The code Python generates at import, compiled once and kept on disk: a warm start compiles none of it.

Why: :mod:`dataclasses` writes each generated method (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, the frozen ``__setattr__``…) as
source text and ``exec``-s it, and :class:`typing.ForwardRef` compiles every
string annotation pydantic resolves (greeter's modules use ``from __future__
import annotations``, so every annotation is one). A ``greeter send --once``
compiled some 660 such methods and 980 annotations before doing anything:
~480 M instructions of its ~2,000 M start (callgrind: ``PyRun_StringFlags``
and ``builtin_compile``), the same text to the same code on every run.
Loading the code objects with :mod:`marshal` (as the import system loads a
``.pyc``) costs a fraction of that.

Why the code found is the code a compile would give: each entry is keyed by
the whole source text and the mode it is compiled in, and the file by
Python's version and optimisation level (``-O`` compiles ``assert`` away);
the compile is the one the callers would make (file name ``<string>``, no
``__future__`` flags inherited: :mod:`dataclasses` and :mod:`typing` have
none). A source never seen is compiled as before and kept. Nothing else
changes: the callers run the same code with the same globals and names.

Why only in greeter's own command: :func:`install` is called by
:func:`greeter.entry.at_entry` (the ``greeter`` command, ``python -m
greeter``); a library user's process keeps its own :mod:`dataclasses` and
:mod:`typing` untouched. It replaces no function of theirs: each module looks
``exec``/``compile`` up in its own globals before the builtins, and the one
found there now is :func:`_exec`/:func:`_compile`, which hand anything but a
plain source string to the builtin unchanged.

Why it is safe to load: marshalled code is run, so the file is read only from
greeter's private cache folder (:func:`~greeter.cache_dir.private_folder`,
as the compiled templates and the parsed config are); anything else — no
folder, another owner, a broken or truncated file, an entry that is not code
— is a miss, and the source is compiled. The file is written at exit by the
process that loaded it (never by a forked build worker), only when it
compiled something new: the entries it used and the file's others, or only
its own past :data:`MAX_ENTRIES`, so that code no release generates any more
does not stay for ever.
"""

from __future__ import annotations

import atexit
import builtins
import hashlib
import importlib.util
import marshal
import os
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any, Final

__all__ = ["COUNTS", "MAX_ENTRIES", "GeneratedCode", "compiled", "install"]

#: Bumped when what is stored changes (old files are then simply not found).
FORMAT: Final = 1
#: Entries kept past which a write keeps only this process's: some three commands' worth.
MAX_ENTRIES: Final = 6000
#: How many of this cache's files are kept (one per Python version and ``-O`` level in use).
KEEP: Final = 4
#: This process's answers: "hit" (found), "miss" (compiled), "stored" (the file written).
COUNTS: Final[Counter[str]] = Counter()

_Key = tuple[str, str]  # (mode, source)


class GeneratedCode:
    """Code objects by ``(mode, source)``: the file's, and what this process compiled."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.pid = os.getpid()
        self.known: dict[_Key, types.CodeType] = _read(path) if path is not None else {}
        self.used: dict[_Key, types.CodeType] = {}
        self.new = False

    def code(self, source: str, mode: str) -> types.CodeType:
        """The code ``compile(source, "<string>", mode)`` gives, without compiling when known."""
        key = (mode, source)
        code = self.used.get(key)
        if code is None:
            code = self.known.get(key)
            if type(code) is types.CodeType:
                COUNTS["hit"] += 1
            else:
                code = builtins.compile(source, "<string>", mode, dont_inherit=True)  # raises as it would
                COUNTS["miss"] += 1
                self.new = True
            self.used[key] = code
        return code

    def save(self) -> None:
        """Write the file when this process (not a fork of it) compiled something new; silent on failure."""
        if not self.new or self.path is None or os.getpid() != self.pid:
            return
        from greeter.cache_dir import private_folder, prune_cache_files, write_cache_file

        if not private_folder(self.path.parent, create=True):
            return
        kept = {**_read(self.path), **self.used}
        if len(kept) > MAX_ENTRIES:
            kept = self.used
        write_cache_file(self.path, marshal.dumps(kept))
        prune_cache_files(self.path, KEEP)
        self.new = False
        COUNTS["stored"] += 1


def _read(path: Path) -> dict[_Key, types.CodeType]:
    """The file's entries; empty when there is none, it is not ours to trust, or it does not load."""
    from greeter.cache_dir import private_folder

    if not private_folder(path.parent, create=False):
        return {}
    try:
        data = marshal.loads(path.read_bytes())
    except Exception:  # none yet, unreadable, truncated: a miss each
        return {}
    return data if isinstance(data, dict) else {}


def cache_file(folder: Path | None = None) -> Path | None:
    """Where this Python's generated code is kept; None: no cache folder to name."""
    if folder is None:
        from greeter.cache_dir import PRIVATE_FOLDER, user_cache_dir

        base = user_cache_dir()
        if base is None:
            return None
        folder = base / PRIVATE_FOLDER
    salt = f"generated code {FORMAT}\0{sys.version}\0{importlib.util.MAGIC_NUMBER!r}\0{sys.flags.optimize}"
    return folder / f"{hashlib.sha256(salt.encode()).hexdigest()}.generated"


#: The process's cache, once :func:`install` has run.
_cache: GeneratedCode | None = None


def compiled(source: str) -> types.CodeType:
    """``compile(source, "<string>", "exec")``, from the cache once :func:`install` has run.

    For greeter's own generated functions (:func:`greeter.slots_init.slots_init`, a CSV
    header's row reader), which have no annotations: the ``__future__`` flags of the
    module asking change nothing in their code.
    """
    if _cache is None:
        return builtins.compile(source, "<string>", "exec", dont_inherit=True)
    return _cache.code(source, "exec")


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:
    """:func:`exec` for :mod:`dataclasses`: a source string's code from the cache.

    Run in the caller's namespaces when none is given, as the builtin called there would be.
    """
    if globals is None:
        frame = sys._getframe(1)
        globals = frame.f_globals
        if locals is None:
            locals = frame.f_locals
    if _cache is not None and type(source) is str and not kwargs:
        source = _cache.code(source, "exec")
    builtins.exec(source, globals, locals, **kwargs)


def _compile(
    source: Any, filename: Any, mode: Any, flags: int = 0, dont_inherit: bool = False, optimize: int = -1
) -> Any:
    """:func:`compile` for :class:`typing.ForwardRef`: a ``<string>`` expression's code from the cache."""
    if (
        _cache is not None
        and type(source) is str
        and filename == "<string>"
        and mode in ("eval", "exec")
        and flags == 0
        and optimize == -1
    ):
        return _cache.code(source, mode)
    return builtins.compile(source, filename, mode, flags, dont_inherit, optimize)


def install(folder: Path | None = None) -> None:
    """Serve :mod:`dataclasses`' and :mod:`typing`'s generated code from the cache (once per process).

    ``folder`` defaults to greeter's private cache folder (tests give their own).
    """
    global _cache
    if _cache is not None:
        return
    import dataclasses
    import typing

    _cache = GeneratedCode(cache_file(folder))
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    typing.compile = _compile  # type: ignore[attr-defined]
    atexit.register(_cache.save)
