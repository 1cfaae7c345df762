"""``-o FILE``: a list command's rows (``history``, ``suppress --list``) written to a file a manager opens.

Why a file of its own and not ``--format csv > file``: stdout is the scripts'
(UTF-8 without a BOM, comma-separated, ISO 8601 timestamps), but Excel in a
Russian locale opens such a file as Windows-1251 — mojibake for every name —
and, its list separator being ``;``, puts each whole row into column A; it
keeps ``2025-12-09T13:50:00.033875+00:00`` as text, so a column of them
neither sorts by time nor filters by date. The file ``-o`` writes is what
that Excel reads on a double click:

* ``.csv``: UTF-8 with a BOM (``utf-8-sig``), fields separated by
  :data:`EXCEL_DELIMITER`, CRLF line ends (the csv module's), each moment as
  ``YYYY-MM-DD HH:MM:SS`` (:data:`MOMENT`: no ``T``, no fraction, no offset —
  what Excel takes for a date and time in any locale) in the zone the
  column's header names (:class:`Sheet`);
* ``.xlsx``: a workbook (openpyxl, already greeter's for reading contacts),
  streamed row by row (a write-only workbook): a header row kept in view,
  an autofilter, columns wide enough to read, the moments and days real date
  cells, every text a text cell;
* ``.json`` and ``.txt`` (the table): as they print, UTF-8.

Any other suffix (``.xls``, ``.ods``) is refused, naming the ones there are
(:func:`chosen_format`): a table in a file called ``.xlsx`` is what Excel
refused to open. A cell that a spreadsheet would run as a formula
(``=HYPERLINK(…)`` in a contact's name) never runs: the CSV starts it with
``'`` (:func:`greeter.console.neutralised`, as ``--format csv`` does), the
workbook stores it as a string — openpyxl would store a text starting with
``=`` as a formula — marked with Excel's own quote prefix, so that editing
the cell keeps it text. Control characters are written as their escapes in
both (:func:`greeter.console.escaped`; a workbook cannot hold most of them).

An existing file is replaced, as ``calendar -o`` replaces its calendar and
as ``> file`` would: a manager exports the same report again and again. But
never the files greeter works from: ``-o data/contacts.csv`` (a slip from
``--from-csv``, say) would destroy the CRM export, and the journal or the
config would be worse (:func:`greeter.own_files.check_out`, the guard every
output shares, run before the suffix is even looked at).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO
from zipfile import ZIP_DEFLATED, ZipFile
from zoneinfo import ZoneInfo

from greeter.console import escaped, neutralised, print_records
from greeter.errors import OutputError

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from greeter.history_people import People
    from greeter.journal_store import JournalEntry

#: The CSV file's field separator: Excel's list separator in a Russian (and most European) locale.
EXCEL_DELIMITER = ";"

#: How a moment is written in a spreadsheet's CSV, and shown in its workbook: Excel reads it as a
#: date and time whatever its locale, where it keeps ``2025-12-09T13:50:00.03+00:00`` as text.
MOMENT = "%Y-%m-%d %H:%M:%S"
_XLSX_MOMENT, _XLSX_DAY = "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd"

#: The formats ``-o`` takes from a file name when ``--format`` is not given.
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".txt": "table"}

#: The formats written as a spreadsheet's rows (:class:`Sheet`), not as they print.
SHEETS = frozenset({"csv", "xlsx"})


def chosen_format(fmt: str | None, out: Path | None) -> str:
    """``--format`` if given; else, with ``-o``, the file's suffix (:data:`SUFFIXES`); else a table.

    Refused (:class:`~greeter.errors.OutputError`, exit 2, nothing written):
    a suffix greeter does not write without ``--format`` (``.xls``, ``.ods``:
    the table they got before was no file Excel opens), a workbook for the
    terminal, and a workbook under another suffix or text under ``.xlsx``
    (Excel refuses either).
    """
    suffix = out.suffix.lower() if out is not None else None
    if fmt == "xlsx" and out is None:
        raise OutputError("--format xlsx writes a workbook, not text: add -o FILE.xlsx")
    if fmt is None and suffix is not None and suffix not in SUFFIXES:
        given = f"a {suffix} file" if suffix else "a file without a suffix"
        raise OutputError(
            f"-o {out}: greeter does not write {given} (nothing written): name it .xlsx (an Excel"
            " workbook), .csv (for Excel: UTF-8 with a BOM, ';'), .json or .txt (the table), or give --format"
        )
    named = SUFFIXES.get(suffix) if suffix is not None else None
    if fmt is not None and out is not None and "xlsx" in (fmt, named) and fmt != named:
        raise OutputError(
            f"-o {out} --format {fmt}: Excel opens only a workbook as .xlsx, and only as .xlsx"
            " (nothing written): drop --format, or name the file for it"
        )
    if fmt is not None:
        return fmt
    return SUFFIXES[suffix] if suffix is not None else "table"


@dataclass(frozen=True)
class Sheet:
    """A list's rows as a spreadsheet gets them: its columns, its sheet's name, its columns' widths.

    A record's values are text, numbers, lists (joined with ``;``, as
    ``--format csv`` joins them), :class:`~datetime.date` and *naive*
    :class:`~datetime.datetime` — on the clock the column's header names
    (``_utc``; ``when_local`` beside ``timezone``): Excel has no zones.
    """

    columns: tuple[str, ...]
    title: str
    #: Widths (in characters) of the columns that need other than :data:`_WIDTH`.
    widths: Mapping[str, float] = field(default_factory=dict)

    def width(self, name: str) -> float:
        """The column's width: its own, else wide enough for its header and a moment."""
        return self.widths.get(name, max(_WIDTH, len(name) + 3))


#: A column's width when its sheet says none: a ``YYYY-MM-DD HH:MM:SS`` moment and the filter's button.
_WIDTH = 21


def naive(moment: datetime | str | None, zone: tzinfo = UTC) -> datetime | None:
    """``moment`` (ISO 8601 text, as the JSON records hold it, or a datetime) on ``zone``'s clock,
    whole seconds, without its zone: a spreadsheet's cell (:data:`MOMENT`). None stays None."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _csv_value(value: Any) -> Any:
    """A sheet's value as its Excel CSV cell (neutralised after, by :func:`print_records`)."""
    if isinstance(value, datetime):
        return f"{value:{MOMENT}}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_sheet(out: Path, fmt: str, sheet: Sheet, records: Iterable[Mapping[str, Any]]) -> int:
    """``records`` written to ``out`` as a spreadsheet (``fmt``: ``csv`` or ``xlsx``), one at a time;
    how many. Raises :class:`~greeter.errors.OutputError` when ``out`` cannot be written."""
    count = 0

    def counted() -> Iterator[Mapping[str, Any]]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    with _opened(out) as raw:
        if fmt == "xlsx":
            _write_xlsx(raw, sheet, counted())
        else:
            # newline="": CRLF as written, Excel's own line end (stdout's CSV ends lines with \n).
            with io.TextIOWrapper(raw, "utf-8-sig", newline="") as text:
                rows = ({k: _csv_value(v) for k, v in r.items()} for r in counted())
                print_records(
                    rows, sheet.columns, "csv", out=text, delimiter=EXCEL_DELIMITER, line_end="\r\n"
                )
    return count


def write_text(out: Path, fmt: str, printed: Callable[[TextIO], int]) -> int:
    """``fmt`` (``json``, ``table``) written to ``out`` as ``printed`` prints it (UTF-8); what it returns."""
    with _opened(out) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as text:
        return printed(text)


@contextmanager
def _opened(out: Path) -> Iterator[IO[bytes]]:
    """``out`` to write, 0640 as other exports with names, never through a link, replaced only
    once written whole (:func:`greeter.out_file.replacing`): an export failing at row 90,000
    leaves the last good file, not half of one."""
    from greeter.out_file import replacing

    with replacing(out) as raw:
        yield raw


def _write_xlsx(raw: IO[bytes], sheet: Sheet, records: Iterable[Mapping[str, Any]]) -> None:
    """The workbook: one sheet, its header frozen and filtered, the rows streamed (write-only mode:
    openpyxl keeps them in a temporary file, not in memory).

    Saved through an archive of ours rather than ``Workbook.save``: a write failing partway (a
    full disk) left openpyxl's ZIP archive and the sheet's row writer open, and the garbage
    collector closed them later onto the file :func:`~greeter.out_file.replacing` had closed —
    "Exception ignored in: ZipFile.__del__ … seek of closed file" and a ``_write_rows`` traceback
    after the one line that said it. Both are now ended here, on the way out, their own errors
    (the same full disk) dropped: the first one is the one to tell.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet.title)
    for n, name in enumerate(sheet.columns, 1):  # before the first row: write-only mode writes them first
        ws.column_dimensions[get_column_letter(n)].width = sheet.width(name)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = [_xlsx_cell(ws, name) for name in sheet.columns]
    for cell in header:
        cell.font = bold
    rows = 1
    try:
        ws.append(header)
        for record in records:
            ws.append([_xlsx_cell(ws, record.get(name)) for name in sheet.columns])
            rows += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{rows}"
        ws.close()  # the sheet whole in openpyxl's temporary file before the archive begins
    except BaseException:
        with suppress(OSError, ValueError):
            ws.close()
        raise
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)  # as Workbook.save sets it
    archive = ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()  # closes the archive
    except BaseException:
        with suppress(OSError, ValueError):
            archive.close()  # marked closed even when its last bytes fail to go
        raise


#: Characters XML 1.0 refuses that :func:`~greeter.console.escaped` leaves (it takes the controls).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xlsx_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A sheet's value as its workbook cell: a moment or a day a date cell, text always a string."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = _XLSX_MOMENT
        return cell
    if isinstance(value, date):  # a day is its midnight to Excel, shown as the day
        cell = WriteOnlyCell(ws, value=datetime.combine(value, time()))
        cell.number_format = _XLSX_DAY
        return cell
    text = escaped(";".join(value) if isinstance(value, list) else str(value))
    # XML 1.0 has no surrogates, U+FFFE or U+FFFF: one raw (a name, a relay's reply) and openpyxl
    # writes a workbook no reader opens, though the export said it was written (security re-test).
    text = _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl makes "=…" a formula, "#N/A" an error: a text is a text
    if neutralised(text) != text:  # Excel's quote prefix: the cell stays text when it is edited
        cell.quotePrefix = True
    return cell


#: ``history``'s timestamps, which a spreadsheet gets in UTC, said in their names (``sent_at_utc``).
_UTC_FIELDS = ("planned_at", "sent_at", "updated_at", "approved_at")


def _history_columns() -> tuple[str, ...]:
    # Imported here: suppress --list writes through this module without the journal's views.
    from greeter.cap_seen import CAP_FIELDS
    from greeter.history_view import APPROVAL_FIELDS, COLUMNS

    def shown(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(f"{name}_utc" if name in _UTC_FIELDS else name for name in names)

    # The approvals' columns came after sent_day_local, the cap's after them: each earlier column
    # stays where it was.
    later = (*APPROVAL_FIELDS, *CAP_FIELDS)
    return (*shown(n for n in COLUMNS if n not in later), "sent_day_local", *shown(later))


#: What is wide in a history row: words, addresses, a server's reply.
_HISTORY_WIDTHS = {
    "contact_id": 12, "occasion": 24, "occasion_date": 14, "state": 11, "email": 32, "attempts": 10,
    "last_reply": 50, "reason": 40, "reason_code": 16, "merged": 18, "message_id": 30,
    "current_contact_id": 20, "name": 34, "company": 28, "occasion_title": 28, "timezone": 18,
    "sent_day_local": 16, "subject": 48, "approved_by": 20, "cap_counted": 12, "cap_gap_days": 13,
    "cap_window_count": 17,
}  # fmt: skip


def history_sheet() -> Sheet:
    """``history -o`` as a spreadsheet: the columns of ``--format csv`` in their order, the three
    journal timestamps renamed ``…_utc`` (still UTC), ``when_local`` on the client's clock (the
    zone in ``timezone`` beside it), ``sent_day_local`` after them: the day the client got it, and
    then who approved the letter (``approved_by``, ``approved_at_utc``) and, last, what the frequency
    cap saw of it (``history --contact``: :data:`~greeter.cap_seen.CAP_FIELDS`)."""
    return Sheet(_history_columns(), "history", _HISTORY_WIDTHS)


def history_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One row of :func:`history_sheet` from the JSON record of the row (pure)."""
    zone = ZoneInfo(record["timezone"])
    row: dict[str, Any] = {}
    for name, value in record.items():
        if name in _UTC_FIELDS:
            row[f"{name}_utc"] = naive(value)
        elif name == "when_local":
            row[name] = naive(value, zone)
        elif name == "occasion_date":
            row[name] = date.fromisoformat(value)
        else:
            row[name] = value
    sent = naive(record["sent_at"], zone)
    row["sent_day_local"] = sent.date() if sent is not None else None
    return row


def show(
    entries: Iterable[JournalEntry],
    fmt: str,
    asked: str | None,
    people: People,
    out: Path | None,
    journal: str | None = None,
) -> int:
    """The rows on stdout (as scripts read them), or written to ``out`` (as Excel reads them);
    how many. Written as they are read (:func:`~greeter.history_view.print_history`), to the
    file too: a whole journal is never held, as text or as a workbook. A journal that fails
    partway leaves the last good file (:func:`greeter.out_file.replacing`) and the command failing.
    ``journal``: the journal as the table's title names it."""
    from greeter.history_view import entry_dict, print_history

    if out is None:
        return print_history(entries, fmt, asked, people, journal=journal)
    if fmt in SHEETS:
        rows = (history_row(entry_dict(entry, asked, people)) for entry in entries)
        shown = write_sheet(out, fmt, history_sheet(), rows)
    else:
        shown = write_text(
            out, fmt, lambda text: print_history(entries, fmt, asked, people, out=text, journal=journal)
        )
    print(f"wrote {out} ({shown} greeting(s), {fmt})", file=sys.stderr)
    return shown
