"""Where greeter's lists are printed: tables fitted to a terminal (one line per row when piped), JSON, CSV."""

from __future__ import annotations

import csv
import errno
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console

#: Wide enough for any row: piped tables take their natural width.
_UNLIMITED = 100_000


def table_console(file: TextIO | None = None) -> Console:
    """A console for a table: colours and wrapping on a terminal, plain unwrapped rows when piped.

    Why: piped, rich assumes 80 columns and folds cells to fit, which split
    dates and times mid-string ("2026-12-2" / "9") and spread a row over
    several lines, so ``grep`` found half a row. Piped output (a file,
    ``grep``, ``less -S``) now keeps each row on one line; ``COLUMNS``, when
    set, still wins.
    """
    if file is not None:  # a file: plain unwrapped rows, whatever the terminal
        return _Console(file=file, soft_wrap=False, width=_UNLIMITED, color_system=None)
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


def print_records(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    out: TextIO | None = None,
    delimiter: str = ",",
) -> None:
    """``--format json`` (one array) or ``csv`` (a header row; list values joined with ``;``) on stdout.

    What the list commands (``history``, ``suppress --list``) print for scripts,
    written one way for all of them. ``out``: another stream (``history -o``'s
    file); ``delimiter``: CSV's field separator there.
    """
    stream = out if out is not None else sys.stdout
    if fmt == "json":
        json.dump(list(records), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    writer = csv.DictWriter(stream, fieldnames=list(columns), delimiter=delimiter)
    writer.writeheader()
    for record in records:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
