"""The ``greeter`` command's standard output: UTF-8 where the locale says ASCII, and a write that fails
said as such — never as "a bug in greeter", never as success.

From an integration review: with stdout on a full disk (``> /dev/full``) every
command that prints called it "internal error: OSError … (a bug in greeter)",
exit 3, and ``schema`` printed a traceback; with stdout closed (``>&-``) Python
gives the program no ``sys.stdout`` at all, so ``history --json`` failed on
``None.write`` (exit 3) while ``check --json``, ``suppress --list`` and
``schema`` — click's ``echo`` drops text with nowhere to go — exited 0 having
written nothing, and a script took that for success. And in the C locale
(cron, systemd, a container without ``LANG``) with UTF-8 mode off, stdout
was ASCII: ``history`` and ``preview`` failed on the first Cyrillic name,
while click already writes stderr in UTF-8 there.

So the command (:func:`take_stdout`, from :func:`greeter.entry.at_entry`)
writes stdout through a stream of its own: UTF-8 where the locale's encoding
is ASCII, as click writes stderr (JSON and CSV on stdout are UTF-8 by
contract); and a write the system refuses raises :class:`StdoutError`, which
the command group ends every command with (:func:`ended_writing`): one line
on stderr, exit 75 (:data:`~greeter.errors.EXIT_TEMPFAIL`). A stdout closed
at start gets ``/dev/null`` opened read-only in its place: every write there
fails, and no file greeter opens later (a journal, an outbox letter) takes
descriptor 1. A reader that went away (``| head``) is not this: its
``BrokenPipeError`` passes as it is, to the quiet exit 141.

An encoding chosen on purpose — ``PYTHONIOENCODING``, or a locale's that is
not ASCII (``KOI8-R``) — is kept, and a character it cannot carry (a Cyrillic
name under ``PYTHONIOENCODING=ascii``) raises :class:`StdoutEncodingError`,
said the same way: one line naming the encoding and the character, exit 2
(:data:`~greeter.errors.EXIT_USAGE`), never "a bug in greeter". Its
``:errors`` part (``PYTHONIOENCODING=ascii:replace``) is kept too.

A library user's process (no ``at_entry``) and a test's captured stdout are
left as they are.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from greeter.errors import StdoutEncodingError, StdoutError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = ["StdoutEncodingError", "StdoutError", "WritingGroup", "ended_writing", "take_stdout"]

T = TypeVar("T")

#: What a write to a stdout that was closed at start is said to have met.
CLOSED = "it is closed (give greeter a file or /dev/null to write to)"

#: The stream :func:`take_stdout` made, while it is ``sys.stdout``: the one :func:`ended_writing` flushes.
_taken: io.TextIOWrapper | None = None
_closed_at_start = False


class _Stdout(io.FileIO):
    """Descriptor 1, whose failed writes are :class:`StdoutError`."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            reason = CLOSED if _closed_at_start else exc.strerror or str(exc)
            raise StdoutError(exc.errno, reason) from exc


class _Encoded(io.TextIOWrapper):
    """The command's stdout: a character its encoding cannot carry is :class:`StdoutEncodingError`."""

    def write(self, text: str, /) -> int:
        try:
            return super().write(text)
        except UnicodeEncodeError as exc:
            raise StdoutEncodingError(None, unencodable(exc, self.encoding)) from exc


def unencodable(exc: UnicodeEncodeError, encoding: str) -> str:
    """Why ``exc``'s text cannot be written in ``encoding``, and what to set instead. Pure."""
    char = exc.object[exc.start : exc.start + 1]
    chosen = "PYTHONIOENCODING" if os.environ.get("PYTHONIOENCODING") else "the locale (LANG, LC_ALL)"
    return (
        f"its encoding, {encoding} (from {chosen}), cannot carry {char!r} (U+{ord(char):04X}) of what"
        " greeter writes: set PYTHONIOENCODING=utf-8 (or a UTF-8 locale, LANG=C.UTF-8)"
    )


def take_stdout() -> None:
    """Make ``sys.stdout`` the command's own stream (see the module's text); once per process.

    Only the process's own stdout (``sys.__stdout__``, descriptor 1) or none at
    all: a stream someone put there (a test's capture) is theirs.
    """
    global _taken, _closed_at_start
    old = sys.stdout
    if _taken is not None:
        return
    if old is None:  # `>&-`: descriptor 1 was closed when Python started
        _closed_at_start = True
        _hold_descriptor_1()
        encoding, errors, lines, through = "utf-8", "strict", False, False
    else:
        if old is not sys.__stdout__ or not isinstance(old, io.TextIOWrapper) or not _is_descriptor_1(old):
            return
        old.flush()
        encoding, errors = old.encoding, old.errors or "strict"
        lines, through = old.line_buffering, old.write_through  # a terminal's lines; `python -u`
        if codecs.lookup(encoding).name == "ascii" and not os.environ.get("PYTHONIOENCODING"):
            encoding = "utf-8"  # the C locale: as click writes stderr there
    raw = _Stdout(1, "w", closefd=False)
    raw.name = "<stdout>"
    # Unbuffered under `python -u` (write-through), as Python makes its own stdout then.
    layer: io.RawIOBase | io.BufferedWriter = raw if through else io.BufferedWriter(raw)
    _taken = _Encoded(
        layer,  # type: ignore[arg-type]  # a raw file is a buffer to TextIOWrapper too (as `-u` has it)
        encoding=encoding,
        errors=errors,
        line_buffering=lines,
        write_through=through,
    )
    sys.stdout = _taken


def _is_descriptor_1(stream: TextIO) -> bool:
    try:
        return stream.fileno() == 1
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return False


def _hold_descriptor_1() -> None:
    """``/dev/null`` opened read-only as descriptor 1: writes there fail, and it is not free for a file."""
    null = os.open(os.devnull, os.O_RDONLY)
    if null != 1:
        os.dup2(null, 1)
        os.close(null)


def ended_writing(run: Callable[[], T]) -> T:
    """``run()`` (a whole command), its output flushed; a write to stdout that failed ends it as such.

    The flush is here, not the interpreter's at exit, which would say
    "Exception ignored" and exit 120: a table shorter than the buffer is only
    written then. A reader gone by then is the quiet 141, as anywhere else.
    """
    try:
        try:
            return run()
        finally:
            if _taken is not None and sys.stdout is _taken:
                _taken.flush()
    except StdoutError as exc:
        _stop(exc.message(), exc.exit_code)
    except BrokenPipeError:
        if _taken is None or sys.stdout is not _taken:  # a test's stdout, or a library's: theirs
            raise
        _stop(None, 141)


class WritingGroup(click.Group):
    """The ``greeter`` group: every command run through :func:`ended_writing`, ``--help`` too."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        return ended_writing(lambda: super(WritingGroup, self).main(*args, **kwargs))


def _stop(message: str | None, code: int) -> NoReturn:
    """Say ``message`` on stderr, let nothing more fail on stdout (the interpreter flushes it at exit),
    and exit with ``code``."""
    if message is not None and sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    sys.exit(code)
