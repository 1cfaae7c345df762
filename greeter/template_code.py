"""Compiled templates kept on disk between runs (Jinja's bytecode cache), keyed so they are never stale.

Why: compiling a letter's templates — lexing, parsing, generating Python and
compiling it — is most of the cost of the first letter a process renders:
about 45 ms before a ``greeter send --once`` (or each of its build workers)
hands over its first letter, and a fifth of ``greeter preview`` on the
example config, paid again by every command. Loading the marshalled code
back takes well under a millisecond per template.

Why the code found is the code a compile would make: Jinja's bucket is found
by the template's name and path and thrown away when the source's checksum
differs. But the code also depends on *how* it was compiled, which Jinja's
key does not say: greeter compiles every file twice, with and without HTML
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
from typing import Final

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from greeter.cache_dir import (
    PRIVATE_FOLDER,
    modules_digest,
    private_folder,
    prune_cache_files,
    write_cache_file,
)

__all__ = ["KEEP", "TemplateCode", "generator_digest"]

#: The folder under the user's cache folder (greeter.cache_dir) where compiled templates go.
FOLDER = PRIVATE_FOLDER
#: The modules whose source decides what a compiled template contains (next to this one).
GENERATOR_MODULES = ("template_env.py", "template_codegen.py", "template_filters.py", "template_limits.py")
#: How many compiled templates are kept (``<key>.code``, ~20 KB each): two (HTML and plain) for
#: each of 512 template files. Each release (its generator's digest), templates folder and
#: template name is a new key, and the files of the ones gone stayed for ever; a template still
#: in use whose file was pruned is compiled once more and kept again, newest. Pruned at the first
#: store of a process only: listing a full folder took 25-47 ms, and a cold start stores a file
#: for each template and flavour (pruned at each store, 200 templates would list it 400 times);
#: the folder then holds at most KEEP and one process's new files.
KEEP: Final = 1024


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

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self._salt}\0{name}\0{filename}".encode()).hexdigest()

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
