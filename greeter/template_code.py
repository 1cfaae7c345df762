"""Compiled templates kept on disk between runs (Jinja's bytecode cache), keyed so they are never stale.

Why: compiling a letter's templates — lexing, parsing, generating Python and
compiling it — is most of the cost of the first letter a process renders:
about 45 ms before a ``greeter send --once`` (or each of its build workers)
hands over its first letter, and a fifth of ``greeter preview`` on the
example config, paid again by every command. Loading the marshalled code
back takes well under a millisecond per template.

Why the code found is the code a compile would make: a bucket is found by the
template's name and the checksum of its text (Jinja's own check, kept: a
bucket whose checksum differs is thrown away). Not by the templates folder's
path, as Jinja keys it: the code differs from one folder to the next only in
the file name its code objects carry (for tracebacks, ``Template.filename``),
which is put right as the code is loaded (:func:`relocated`) — so a project
moved, copied or started in a new folder, every starter project of one
language, and the benchmark's fresh folder each run find their templates
compiled (compiling them cost ~0.2 s of each such ``send``'s start-up, before
its first letter). But the code also depends on *how* it was compiled, which
Jinja's key does not say: greeter compiles every file twice, with and without HTML
autoescaping (:func:`~greeter.template_env.make_environment`) — served the
other one's code, a letter's HTML would carry client data unescaped — and
with its own code generator and filters, which change between releases. So
the key here also holds the flavour of the environment, Jinja's version and
a digest of :mod:`greeter.template_env` (the sandbox and the environment's
options), :mod:`greeter.template_codegen` (the code generator and the
template class), :mod:`greeter.template_filters` and
:mod:`greeter.template_limits` (Jinja writes into the code which filters are
given the context; ``timed``, every loop's filter, lives in the latter): any
change compiles afresh.

Why it is safe to load: the files hold code that is executed, so only a
folder of this user's that nobody else can write to is used (as Jinja's own
default cache folder is checked); anything else — another owner, a
group-writable folder, a read-only disk, a broken file — means compiling as
if there were no cache. Files are written whole and renamed into place, so
concurrent processes (the daemon and a reviewer's preview) never read half
of one.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from types import CodeType
from typing import Final

import jinja2
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from greeter.cache_dir import (
    PRIVATE_FOLDER,
    modules_digest,
    private_folder,
    prune_cache_files,
    write_cache_file,
)

__all__ = ["KEEP", "TemplateCode", "generator_digest", "relocated"]

#: The folder under the user's cache folder (greeter.cache_dir) where compiled templates go.
FOLDER = PRIVATE_FOLDER
#: The modules whose source decides what a compiled template contains (next to this one).
GENERATOR_MODULES = ("template_env.py", "template_codegen.py", "template_filters.py", "template_limits.py")
#: How many compiled templates are kept (``<key>.code``, ~20 KB each): two (HTML and plain) for
#: each of 512 template files. Each release (its generator's digest), template name and
#: template text is a new key, and the files of the ones gone stayed for ever; a template still
#: in use whose file was pruned is compiled once more and kept again, newest. Pruned at the first
#: store of a process only: listing a full folder took 25-47 ms, and a cold start stores a file
#: for each template and flavour (pruned at each store, 200 templates would list it 400 times);
#: the folder then holds at most KEEP and one process's new files.
KEEP: Final = 1024


def relocated(code: CodeType, filename: str) -> CodeType:
    """``code`` as compiled from ``filename``: it and every code object in it carry that file name.

    The one thing a template's compiled code owes to where its file was (Jinja's generator
    writes the template's name into the code, never its path); the same object when it
    already says ``filename``.
    """
    if code.co_filename == filename:
        return code
    consts = tuple(relocated(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def generator_digest() -> str | None:
    """A digest of the modules that decide what compiled templates contain; None: unknown, no cache."""
    return modules_digest(GENERATOR_MODULES)


class TemplateCode(BytecodeCache):
    """One environment's compiled templates in ``folder``; ``flavor`` names the environment.

    Nothing is read or made until a template is loaded: making one is free,
    and a process that renders nothing never touches the disk.
    """

    def __init__(self, folder: Path, flavor: str) -> None:
        self._folder = folder
        self._salt = f"{flavor}\0jinja2 {jinja2.__version__}\0{generator_digest()}"
        self._usable: bool | None = None
        self._pruned = False

    def key(self, name: str, checksum: str) -> str:
        """The file a template's code is kept in: its environment and generator (the salt), its
        name and its text's checksum — not its folder (module docstring)."""
        return hashlib.sha256(f"{self._salt}\0{name}\0{checksum}".encode()).hexdigest()

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Jinja's bucket for a template, keyed by :meth:`key`; code found is :func:`relocated`
        to ``filename`` (Jinja compiles with ``<template>`` when there is none)."""
        checksum = self.get_source_checksum(source)
        bucket = Bucket(environment, self.key(name, checksum), checksum)
        self.load_bytecode(bucket)
        if bucket.code is not None:
            bucket.code = relocated(bucket.code, "<template>" if filename is None else filename)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if not self._ready(create=False):
            return
        try:
            with open(self._folder / f"{bucket.key}.code", "rb") as fh:
                bucket.load_bytecode(fh)  # a wrong magic or checksum resets the bucket
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):  # none yet, or unusable
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self._ready(create=True):
            return
        code = io.BytesIO()
        bucket.write_bytecode(code)
        path = self._folder / f"{bucket.key}.code"
        write_cache_file(path, code.getvalue())
        if not self._pruned:  # once a process: see KEEP
            self._pruned = True
            prune_cache_files(path, KEEP)

    def clear(self) -> None:
        """Jinja's API; greeter never clears (a changed source or generator gets a new key)."""

    def _ready(self, *, create: bool) -> bool:
        """Whether the folder may be used: ours, not writable by others (made if asked and absent)."""
        if self._usable is not None and (self._usable or not create):
            return self._usable
        if generator_digest() is None:
            self._usable = False
            return False
        usable = private_folder(self._folder, create=create)
        if usable is None:
            return False  # not made yet: asked again when the first template is stored
        self._usable = usable
        return usable
