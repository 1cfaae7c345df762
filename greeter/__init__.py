"""greeter — personalised greeting mail-merge: every client greeted on their day, never pestered."""

import sys as _sys

#: The one place the version is written: pyproject.toml reads it from here (setuptools'
#: dynamic version, from this file's text), so the installed metadata says the same as
#: `greeter --version`. A literal rather than importlib.metadata.version(): that import
#: costs ~20 ms of every command's start, and a source tree without metadata has none.
__version__ = "0.1.0"

if getattr(_sys, "argv", None) and _sys.argv[0].rsplit("/", 1)[-1] == "greeter":
    # The `greeter` script, before it imports the CLI (a third of a second): greeter.entry.
    from greeter.entry import at_entry

    at_entry(_sys.argv)
