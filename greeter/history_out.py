"""``greeter history -o FILE``: the journal written to a file a manager opens in Excel.

Why a file of its own and not ``--format csv > file``: stdout is the scripts'
(UTF-8 without a BOM, comma-separated), but Excel in a Russian
locale opens such a file as Windows-1251 — mojibake for every name — and,
its list separator being ``;``, puts each whole row into column A. The file
``-o`` writes for CSV is what that Excel reads on a double click: UTF-8 with
a BOM (``utf-8-sig``), fields separated by :data:`EXCEL_DELIMITER`, CRLF line
ends (the csv module's). JSON and the table are written as they print, UTF-8.
Either CSV has each cell that Excel would run as a formula (``=HYPERLINK(…)``
in a contact's name) neutralised (:func:`greeter.console.neutralised`).

An existing file is replaced, as ``calendar -o`` replaces its calendar and
as ``> file`` would: a manager exports the same report again and again. But
never the files greeter works from: ``-o data/contacts.csv`` (a slip from
``--from-csv``, say) would destroy the CRM export, and the journal or the
config would be worse (:func:`greeter.own_files.check_out`, the guard every output shares).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import OutputError

if TYPE_CHECKING:
    from greeter.history_people import People
    from greeter.journal_store import JournalEntry

#: The CSV file's field separator: Excel's list separator in a Russian (and most European) locale.
EXCEL_DELIMITER = ";"

#: The formats ``-o`` takes from a file name when ``--format`` is not given.
_BY_SUFFIX = {".csv": "csv", ".json": "json"}


def chosen_format(fmt: str | None, out: Path | None) -> str:
    """``--format`` if given; else, with ``-o``, the file's suffix (``.csv``, ``.json``); else a table."""
    if fmt is not None:
        return fmt
    return _BY_SUFFIX.get(out.suffix.lower(), "table") if out is not None else "table"


def encoding(fmt: str) -> str:
    """The file's encoding: CSV with a BOM for Excel, the others plain UTF-8."""
    return "utf-8-sig" if fmt == "csv" else "utf-8"


def show(
    entries: Iterable[JournalEntry], fmt: str, asked: str | None, people: People, out: Path | None
) -> int:
    """The rows on stdout (as scripts read them), or written to ``out`` (as Excel reads them);
    how many. Written as they are read (:func:`~greeter.history_view.print_history`), to the
    file too: a whole journal is never held as text. A journal that fails partway leaves the
    file incomplete and the command failing — as ``> file`` would."""
    from greeter.file_modes import open_group_readable
    from greeter.history_view import print_history

    if out is None:
        return print_history(entries, fmt, asked, people)
    try:
        # 0640, as other exports with names; newline="" keeps the csv module's CRLF as written.
        with (
            open_group_readable(out, follow_links=False) as raw,
            io.TextIOWrapper(raw, encoding(fmt), newline="") as text,
        ):
            shown = print_history(entries, fmt, asked, people, out=text, delimiter=EXCEL_DELIMITER)
    except OSError as exc:
        raise OutputError.of(out, exc) from exc
    print(f"wrote {out} ({shown} greeting(s), {fmt})", file=sys.stderr)
    return shown
