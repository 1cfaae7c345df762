"""Where greeter's lists are printed: tables fitted to a terminal (one line per row when piped), JSON, CSV.

What a list shows comes from contacts, the journal and the operator — data,
never instructions to the program that displays it. Two such programs read
more than text: rich reads ``[bold]``/``[link=…]`` and ``:smile:`` in a
string as markup (``Smith[/bold]`` in a name crashed ``history``), so data
goes to a table or a print as :func:`plain` text; a spreadsheet runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so every CSV
cell is written :func:`neutralised`.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

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
    console_class = _console_class()
    if file is not None:  # a file: plain unwrapped rows, whatever the terminal
        return console_class(file=file, soft_wrap=False, width=_UNLIMITED, color_system=None)
    console = console_class(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = console_class(soft_wrap=False, width=_UNLIMITED)
    return console


#: What ``TERM`` says on a terminal that shows text alone: no cursor moves, no box-drawing (rich's own list).
_DUMB_TERMS = frozenset({"dumb", "unknown"})


def dumb_terminal(environ: Mapping[str, str]) -> bool:
    """Whether ``TERM`` says a terminal of text alone (``dumb``, ``unknown``): no frame round a table
    (:func:`table_box`), no progress bar (:func:`greeter.send_report.progress_wanted`)."""
    return environ.get("TERM", "").lower() in _DUMB_TERMS


def table_box(console: Console) -> Box | None:
    """The borders of a table on ``console``: rich's heavy-headed box (``┏━┳┃│└``) on a terminal;
    none — the columns apart by spaces under a line of their headers — piped, in a file
    (``history -o FILE.txt``) or with ``TERM=dumb``.

    Why: a screen reader reads every box-drawing character aloud, row after row
    ("vertical line, 1008, vertical line…"), and a braille display spends its cells on
    them; in a file or a pipe they are noise to ``grep`` and ``cut`` too. A terminal (or
    ``COLUMNS`` set, which lays the table out for a terminal that wide) keeps the frame that
    a sighted reader scans. ``TERM=dumb`` is what a screen reader's terminal, an Emacs shell
    or a CI log says it is (docs/commands.md, "Tables and progress for screen readers").
    """
    from rich.box import HEAVY_HEAD  # here, not at the top: see _console_class

    return None if dumb_terminal(os.environ) or console.width >= _UNLIMITED else HEAVY_HEAD


def show_table(console: Console, table: Table) -> None:
    """Print ``table`` on ``console`` as rich draws it; unframed (:func:`table_box`: None), each line
    without the spaces rich pads its last column and its title with (:func:`unpadded`)."""
    if table.box is not None:
        console.print(table)
        return
    from rich.segment import Segments  # here, not at the top: see _console_class

    console.print(Segments(unpadded(console.render(table, console.options))))


def unpadded(segments: Iterable[Segment]) -> list[Segment]:
    """``segments`` (a table without a frame, as rich renders it) with each line's trailing
    whitespace left out, each line ended by a line break.

    Why: rich pads every cell to its column, the last one too, and centres the title in the
    table's width, so each piped or ``TERM=dumb`` line ended in spaces — noise to ``diff``, to
    ``grep 'x$'``, to an editor's whitespace check, and read out by a screen reader as blanks.
    A framed table ends its lines with the border and is left as it is. Whitespace at a line's
    end is cut from its segments' text, their styles kept (``sent`` in green, its padding gone).
    """
    from rich.segment import Segment  # here, not at the top: see _console_class

    out: list[Segment] = []
    for line in Segment.split_lines(segments):
        while line and not line[-1].control and not line[-1].text.rstrip():
            line.pop()
        if line and not line[-1].control:
            last = line[-1]
            line[-1] = Segment(last.text.rstrip(), last.style, last.control)
        out += (*line, Segment.line())
    return out


@cache
def _console_class() -> type[Console]:
    """rich's :class:`~rich.console.Console` that lets a broken pipe reach :func:`greeter.cli.handles_errors`.

    rich's own handler exits with status 1 — which the CLI documents as
    "rows invalid or greetings failed" — so ``greeter preview | head`` under
    ``set -o pipefail`` looked like a failure. The CLI turns the error into
    the documented quiet exit 141, as for the JSON output.

    Made on first use, as rich is imported: ``send`` takes :func:`escaped` and
    :func:`json_safe` from this module for its summary and prints no table, and
    rich cost every run ~150 M instructions (~40 ms) of start-up (issue 5).
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True  # nothing more to write to a pipe nobody reads
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console


#: A character no terminal should receive from data: C0 and C1 controls (ESC starts a terminal's
#: own escape sequences: colours, a title, an OSC 8 hyperlink), DEL, the line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def plain(value: object) -> Text:
    """``value`` as a table cell or a printed line shows it: exactly its characters.

    Why not :func:`rich.markup.escape`: it leaves ``:smile:`` to become an
    emoji and doubles a trailing backslash (``C:\\`` printed ``C:\\\\``); a
    :class:`~rich.text.Text` is never parsed for markup, emoji or
    highlighting. A control character is shown as its escape (``\\x1b``,
    ``\\n``), as :func:`greeter.sources.quote.quoted` shows one in a message:
    an ESC from a mail server's reply could otherwise recolour the terminal or
    plant a hyperlink, and a line break would split a row ``grep`` reads.
    """
    from rich.text import Text  # here, not at the top: see _console_class

    return Text(escaped(str(value)))


def escaped(text: str) -> str:
    """``text`` with each control character as its escape (``\\x1b``, ``\\n``, ``\\u2028``): the one way
    data that may hold them — a mail server's reply above all — is printed for a terminal or a CSV.

    A relay's ``550 5.1.1 \\x1b]0;PWNED\\x07 …`` set the operator's terminal title
    through ``send``'s summary on stderr, and ``history --format csv`` carried the
    raw ESC and BEL to whatever printed it. :func:`plain` (the tables) shows the same.
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


#: What :func:`json.dumps` with ``ensure_ascii=False`` writes as it is: C1 controls, DEL, the
#: line and paragraph separators (C0 controls it escapes itself).
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_safe(text: str) -> str:
    """JSON text with the controls ``ensure_ascii=False`` leaves raw written as ``\\u009b``: the same
    values for a script, nothing a terminal acts on (a C1 CSI is ESC ``[`` to some). Exact: such a
    character is only ever inside a JSON string, where ``\\uXXXX`` means it."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: What makes a spreadsheet read a cell as a formula when it starts with it (OWASP's CSV injection
#: list — ``=``, ``+``, ``-``, ``@``, tab, carriage return — with a line feed and NUL, as OWASP ASVS 1.2.10).
_FORMULA_START = frozenset("=+-@\t\r\n\0")
#: A signed number (``-5``, ``+7``, ``-12.50``, ``-1,5``): Excel reads a number, no formula hides in it.
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


#: A part of a cell after either list separator, up to the next (:func:`neutralised`).
_AFTER_SEPARATOR = re.compile(r"([,;])([^,;]*)")


def _runs_as_formula(cell: str) -> bool:
    """Whether ``cell``, with any quotes :func:`neutralised` put before it taken off, starts as a formula."""
    core = cell.lstrip("'")
    return bool(core) and core[0] in _FORMULA_START and _NUMBER.fullmatch(core) is None


def neutralised(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: ``'`` before one that would run as a formula.

    ``=HYPERLINK("http://evil/","click")`` in a contact's name was a live
    link in the manager's Excel, ``-2+3+cmd|' /C calc'!A0`` (DDE) worse. The
    quote is OWASP's remedy: Excel and LibreOffice take the cell as text.
    The trade-off: such a value reads with a ``'`` before it — a phone
    ``+7 999 123-45-67`` as ``'+7 999 123-45-67`` (still the number, and
    readable), where unprotected Excel tried to compute it. A signed number
    (``-5``) stays as it is: a number is no formula. A cell that is already
    quotes then such a start (``'=1``) gets one more quote, so that
    :func:`restored` gives every value back exactly.

    The same goes for each part of the cell after a ``,`` or ``;``: Excel splits a
    double-clicked ``.csv`` on its own locale's list separator, not on the one
    the file uses, so ``Acme,=cmd|' /C calc'!A0`` in a ``;`` file became a cell
    ``=cmd|…`` in an English Excel (and ``Foo;=cmd…`` in a ``,`` file in a
    Russian one): such a part becomes ``Acme,'=cmd…`` (security re-test).
    """
    head = "'" + cell if _runs_as_formula(cell) else cell
    return _AFTER_SEPARATOR.sub(lambda m: m[1] + ("'" if _runs_as_formula(m[2]) else "") + m[2], head)


def restored(cell: str) -> str:
    """The value :func:`neutralised` wrote as ``cell`` (its inverse): one ``'`` taken off such a cell,
    and off each such part after a ``,`` or ``;``.

    So greeter reading its own export (``suppress --list --format csv`` →
    ``suppress --from-csv``) stores ``-x@example.com``, not another address.
    """
    parts = _AFTER_SEPARATOR.sub(
        lambda m: m[1] + (m[2][1:] if m[2].startswith("'") and _runs_as_formula(m[2]) else m[2]), cell
    )
    return parts[1:] if parts.startswith("'") and _runs_as_formula(parts) else parts


def print_records(
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    out: TextIO | None = None,
    delimiter: str = ",",
    line_end: str = "\n",
) -> None:
    """``--format json`` (one array) or ``csv`` (a header row; list values joined with ``;``) on stdout.

    What the list commands (``history``, ``suppress --list``) print for scripts,
    written one way for all of them. ``out``: another stream (``history -o``'s
    file); ``delimiter``: CSV's field separator there; ``line_end``: CSV's line end, ``\n`` for
    scripts (the csv module's CRLF left a ``\r`` on every field a shell ``read`` loop took), CRLF
    only in the Excel file (:func:`greeter.history_out.write_sheet`).

    Every CSV text cell is :func:`neutralised` — on stdout too: the help's own
    ``--format csv > history.csv`` makes a file a person opens in a
    spreadsheet, and a script that needs each value exactly reads JSON (or
    takes the one ``'`` off, :func:`restored`). A control character in a CSV cell is
    written as its escape (:func:`escaped`): a mail server's reply may carry an ESC.
    JSON keeps every value, its controls escaped as JSON escapes them (:func:`json_safe`).

    Written record by record as ``records`` yields them (``history`` of a
    whole journal streams), the JSON array exactly as ``json.dump(…, indent=2)``
    writes it.
    """
    stream = out if out is not None else sys.stdout
    if fmt == "json":
        _dump_array(records, stream)
        return
    writer = csv.DictWriter(stream, fieldnames=list(columns), delimiter=delimiter, lineterminator=line_end)
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})


def _dump_array(records: Iterable[Mapping[str, Any]], stream: TextIO) -> None:
    """``json.dump(list(records), stream, ensure_ascii=False, indent=2)`` and a line end, one
    record at a time: each is indented one level more (a line break in JSON is only ever
    between its tokens, never inside a string, so indenting its lines is exact)."""
    opening = "["
    for record in records:
        text = json_safe(json.dumps(record, ensure_ascii=False, indent=2))
        stream.write(opening + "\n  " + text.replace("\n", "\n  "))
        opening = ","
    stream.write("[]\n" if opening == "[" else "\n]\n")


def _csv_cell(value: Any) -> Any:
    """A record's value as its CSV cell: a list joined with ``;``, text :func:`escaped` (a server's
    reply with an ESC in it) and :func:`neutralised`."""
    if isinstance(value, list):
        value = ";".join(value)
    return neutralised(escaped(value)) if isinstance(value, str) else value
