"""XLSX exports, read in openpyxl's streaming (read-only) mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from greeter.errors import ContactsError


def _text(value: object) -> str:
    """A cell as the text a CSV export would have: dates as DD.MM.YYYY, 42.0 as "42"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().strftime("%d.%m.%Y") if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(Excel row number, cells)`` starting with the header row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ContactsError(f"{path}: contacts file not found") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ContactsError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ContactsError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        header_seen = False
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            if not any(cells):
                continue
            if not header_seen:
                header_seen = True
            yield number, cells
    finally:
        book.close()
