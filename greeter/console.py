"""Where greeter's tables are printed: fitted to a terminal, one line per row when piped."""

from __future__ import annotations

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
    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(soft_wrap=False, width=_UNLIMITED)
    return console
