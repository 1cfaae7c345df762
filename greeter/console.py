"""Where greeter's tables are printed: fitted to a terminal, one line per row when piped."""

from __future__ import annotations

import errno
import os

from rich.console import Console

#: Wide enough for any row: piped tables take their natural width.
_UNLIMITED = 100_000


def table_console() -> Console:
    """A console for a table: colours and wrapping on a terminal, plain unwrapped rows when piped.

    Why: piped, rich assumes 80 columns and folds cells to fit, which split
    dates and times mid-string ("2026-12-2" / "9") and spread a row over
    several lines, so ``grep`` found half a row. Piped output (a file,
    ``grep``, ``less -S``) now keeps each row on one line; ``COLUMNS``, when
    set, still wins.
    """
    console = _Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = _Console(soft_wrap=False, width=_UNLIMITED)
    return console


class _Console(Console):
    """A rich console that lets a broken pipe reach :func:`greeter.cli.handles_errors`.

    rich's own handler exits with status 1 — which the CLI documents as
    "rows invalid or greetings failed" — so ``greeter preview | head`` under
    ``set -o pipefail`` looked like a failure. The CLI turns the error into
    the documented quiet exit 141, as for the JSON output.
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more to write to a pipe nobody reads
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
