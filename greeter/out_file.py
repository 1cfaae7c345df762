"""Where a command's ``-o FILE`` goes: stdout for ``-`` and ``/dev/stdout``, anything else replaced whole.

``calendar -o /dev/stdout`` was refused as "a symbolic link" (it is one, to
``/proc/self/fd/1``), while ``history -o FILE`` truncated its file first and
wrote into it as the rows came: an export that failed at row 90,000 (the
journal locked, a full disk) left a partial file where the last good one
was, and a calendar app or a spreadsheet opened half a file. Every command's
file output now goes through here:

* ``-`` and the names of this process's stdout (``/dev/stdout``,
  ``/dev/fd/1``, ``/proc/self/fd/1``) are stdout (:func:`is_stdout`), as
  the command writes it without ``-o``;
* a regular file (or none yet) is written beside it and renamed over it at
  the end (:func:`replacing`), so it holds the last good output or the new
  one, never half of it;
* anything else that is no regular file — a FIFO a reader waits on,
  ``/dev/null``, a terminal — cannot be renamed over and is written to as it
  is.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final

from greeter.errors import GreeterError, OutputError

__all__ = ["STDOUT_NAMES", "is_stdout", "replacing"]

#: What ``-o`` takes for standard output: ``-``, and the paths that name this process's stdout.
STDOUT_NAMES: Final = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def is_stdout(output: Path | str | None) -> bool:
    """``output`` means standard output (``-o -``, ``-o /dev/stdout``): written as stdout is, never
    renamed over (a symbolic link to a descriptor, which no file can replace)."""
    return output is not None and str(output) in STDOUT_NAMES


@contextmanager
def replacing(output: Path) -> Iterator[IO[bytes]]:
    """``output`` to write, replaced only once the block has written it all and ended without error.

    Names and ages: 0640 like an .eml, whatever the umask, never through a symbolic link
    (:func:`~greeter.file_modes.open_group_readable`). The bytes go to a new file beside it
    (``O_EXCL``: no link there is followed), renamed over ``output`` at the end. An ``output``
    that is not a regular file (a FIFO, ``/dev/null``) is written to as it is. An OSError on
    the way (a missing folder, a full disk) is an :class:`~greeter.errors.OutputError` naming
    ``output``, never the temporary file; a :class:`~greeter.errors.GreeterError` from the
    block (the journal or the contacts failing partway) passes as it is, theirs to say.
    """
    from greeter.file_modes import open_group_readable

    try:
        found: os.stat_result | None = os.lstat(output)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise OutputError.of(output, exc) from exc
    direct = found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISLNK(found.st_mode)
    target = output if direct else output.with_name(f".{output.name}.{secrets.token_hex(4)}.tmp")

    def failed(exc: OSError) -> OutputError:
        # Said of the file asked for: the temporary name is ours, not the user's to look for.
        return OutputError.of(
            output, OSError(exc.errno, exc.strerror) if exc.filename == str(target) else exc
        )

    try:
        try:
            fh = open_group_readable(target, new=not direct, follow_links=False)
        except PermissionError:
            if direct or found is None:
                raise
            # A file one may write in a folder one may not add to (an admin's shared folder):
            # written in place as it always was, the last output not kept if this one fails.
            direct, target = True, output
            fh = open_group_readable(output, follow_links=False)
    except OSError as exc:
        raise failed(exc) from exc
    done = False
    try:
        with fh:
            yield fh
        if not direct:
            os.replace(target, output)
        done = True
    except OSError as exc:
        if isinstance(exc, GreeterError):  # the contacts or the journal failing partway: theirs to say
            raise
        raise failed(exc) from exc  # a write, closing (the last bytes to a full disk), the rename
    finally:
        if not done and not direct:
            target.unlink(missing_ok=True)
