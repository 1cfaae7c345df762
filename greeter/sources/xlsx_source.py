"""XLSX exports, read in openpyxl's streaming (read-only) mode.

The file is opened by us and handed to openpyxl as a file object: openpyxl
judges a *path* by its extension (a good workbook named ``clients.xls`` would
be refused, a CSV named ``.xlsx`` would fail deep inside zipfile), while
:func:`~greeter.sources.sniff.wrong_format` judges the content first.

A cell merged down over several rows (a company or a tier merged across the
rows of its people, as report-style exports do) holds its value only in its
top cell; the file leaves the others empty. Everyone who sees the sheet reads
the value on every row of the merge, so each of those rows gets it, in the
merged cell's column (:func:`merged_down`). A cell merged only across columns
(a report's title) is left as it is: which of the columns it belongs to
cannot be told.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from greeter.errors import ContactsError
from greeter.sources.header import HeaderTest, scan, yaml_value
from greeter.sources.sniff import SNIFF_BYTES, wrong_format

if TYPE_CHECKING:
    from openpyxl import Workbook


#: How date cells become text; the row parser accepts it for XLSX sources whatever ``date_formats`` say.
CELL_DATE = "%d.%m.%Y"


def _text(value: object) -> str:
    """A cell as the text a CSV export would have: dates as DD.MM.YYYY, 42.0 as "42".

    A date-and-time cell (``2025-09-08 14:30``, as CRMs stamp a first deal) is
    its date: every greeter date is a day, and the time would only make it
    unreadable as one.
    """
    if value is None:
        return ""
    if isinstance(value, date):  # datetime included
        return value.strftime(CELL_DATE)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class NoSuchSheet(ContactsError):
    """``contacts.sheet`` names no sheet of the workbook: the caller may know which sheet has the columns.

    ``detail`` is the message without the file's name in front, for a caller
    that puts the config setting there instead.
    """

    def __init__(self, path: Path, sheet: str, names: Sequence[str]) -> None:
        sheets = f"(sheets: {', '.join(names)}){_meant(sheet, names)}"
        self.detail = f"no sheet {sheet!r} in {path} {sheets}"
        super().__init__(f"{path}: no sheet {sheet!r} {sheets}")


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(Excel row number, cells)`` for every row that is not empty (a title above the header too)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise ContactsError(f"{path}: contacts file not found") from None
    except OSError as exc:
        raise ContactsError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        book = _open(path, fh)
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise NoSuchSheet(path, sheet, book.sheetnames)
            yield from _sheet_rows(book[sheet] if sheet else book.worksheets[0])
        finally:
            book.close()


def sheet_with_header(path: Path, test: HeaderTest, skip: str | None) -> str | None:
    """The first sheet but ``skip`` (None: the first sheet) whose first rows hold the header ``test`` accepts.

    amoCRM puts a summary sheet before the contacts: without ``contacts.sheet``
    the first one is read and has none of the columns. Each other sheet is
    searched as the header search does (:func:`~greeter.sources.header.scan`),
    so the error can name the sheet to set. Only on that error's path.
    """
    try:
        with path.open("rb") as fh:
            book = _open(path, fh)
            try:
                names = book.sheetnames
                for name in names:
                    if name == (skip if skip is not None else names[0]):
                        continue
                    if scan(_sheet_rows(book[name]), test)[1] is not None:
                        return name
            finally:
                book.close()
    except (ContactsError, OSError):
        return None
    return None


def other_sheet_hint(path: Path, test: HeaderTest, skip: str | None, has: str = "has them") -> str | None:
    """``sheet 'Контакты' has them: set contacts.sheet: Контакты``, when another sheet has the header.

    ``has``: how the hint says that the sheet has the configured columns
    ("has them" after an error that named them).
    """
    name = sheet_with_header(path, test, skip)
    return None if name is None else f"sheet {name!r} {has}: set contacts.sheet: {yaml_value(name)}"


def _meant(sheet: str, names: Sequence[str]) -> str:
    """``, did you mean 'Контакты'?`` for a sheet name in other capitals or with a typo, else ""."""
    same = [n for n in names if n.casefold() == sheet.casefold()]
    close = same or difflib.get_close_matches(sheet, names, n=1)
    return f", did you mean {close[0]!r}?" if close else ""


def _open(path: Path, fh: IO[bytes]) -> Workbook:
    """The workbook in ``fh``, streamed; a file that is not one is a one-line error."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    problem = wrong_format(path, fh.read(SNIFF_BYTES), "xlsx")
    if problem is not None:
        raise ContactsError(problem)
    fh.seek(0)
    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        raise ContactsError(f"{path}: not a readable XLSX workbook ({exc})") from None


#: A merged range in a sheet's XML: ``<mergeCell ref="C2:C4"/>`` (maybe with a namespace prefix).
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_CHUNK = 1 << 20


def merged_down(sheet_xml: IO[bytes]) -> dict[int, list[tuple[int, int]]]:
    """The ranges merged over more than one row: ``{first row: [(column index, last row), …]}``.

    ``column index`` is 0-based, rows are Excel's. openpyxl's streaming mode
    does not read merged ranges, and the XML lists them after all the rows, so
    the sheet is scanned for them first: only decompressed and searched for
    ``mergeCells``, which costs little beside parsing its rows.
    """
    from openpyxl.utils.cell import column_index_from_string

    found: dict[int, list[tuple[int, int]]] = {}
    tail = b""
    merges = b""
    while chunk := sheet_xml.read(_CHUNK):
        if merges:
            merges += chunk
            continue
        data = tail + chunk
        at = data.find(b"mergeCells")
        while at > 0 and data[at - 1] not in b"<:":  # the word in a cell's inline text, not the element
            at = data.find(b"mergeCells", at + 1)
        if at > 0:
            merges = data[at - 1 :]
        tail = data[-16:]
    for m in _MERGE_CELL.finditer(merges):
        first, last = int(m.group(2)), int(m.group(4))
        if last > first:
            column = column_index_from_string(m.group(1).decode()) - 1
            found.setdefault(first, []).append((column, last))
    return found


def _sheet_rows(ws: Any) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows of the (read-only) sheet ``ws``, a merged-down cell's value on each of its rows."""
    # openpyxl's own handle on the sheet's XML (its read-only sheet does not read merged ranges).
    opener = getattr(ws, "_get_source", None)
    merges: dict[int, list[tuple[int, int]]] = {}
    if opener is not None:
        with opener() as xml:
            merges = merged_down(xml)
    #: (column, last row, value) of each merged range over the rows being read.
    active: list[tuple[int, int, str]] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        if active:
            active = [a for a in active if a[1] >= number]
            for column, _last, value in active:
                if column >= len(cells):
                    cells += [""] * (column + 1 - len(cells))
                if not cells[column]:
                    cells[column] = value
        for column, last in merges.get(number, ()):
            if column < len(cells) and cells[column]:
                active.append((column, last, cells[column]))
        if any(cells):
            yield number, cells
