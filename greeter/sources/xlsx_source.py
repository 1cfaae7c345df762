"""XLSX exports, read in openpyxl's streaming (read-only) mode.

The file is opened by us and handed to openpyxl as a file object: openpyxl
judges a *path* by its extension (a good workbook named ``clients.xls`` would
be refused, a CSV named ``.xlsx`` would fail deep inside zipfile), while
:func:`~greeter.sources.sniff.wrong_format` judges the content first.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import ContactsError
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


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(Excel row number, cells)`` for every row that is not empty (a title above the header too)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise ContactsError(f"{path}: contacts file not found") from None
    except OSError as exc:
        raise ContactsError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        problem = wrong_format(path, fh.read(SNIFF_BYTES), "xlsx")
        if problem is not None:
            raise ContactsError(problem)
        fh.seek(0)
        try:
            book = load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
            raise ContactsError(f"{path}: not a readable XLSX workbook ({exc})") from None
        yield from _sheet_rows(book, path, sheet)


def _sheet_rows(book: Workbook, path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ContactsError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            if any(cells):
                yield number, cells
    finally:
        book.close()
