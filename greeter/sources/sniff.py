"""What a contacts file really is, told by its first bytes rather than by its name.

Marketers point ``contacts.path`` at whatever the CRM gave them: an Excel
97–2003 ``.xls`` (an OLE2 compound file), an ``.xlsx`` renamed to ``.csv``, a
CSV named ``.xlsx``, or the HTML page some CRMs export "to Excel". Neither the
CSV reader nor openpyxl can say what went wrong with those (openpyxl even
refuses a good workbook whose name does not end in ``.xlsx``), so each source
asks :func:`wrong_format` first and stops with one line that names the file
and says what to do. Pure apart from :func:`_encrypted`, which reads the file
on that error path only, and :func:`open_contacts_file`, the one way both
sources open the file whose first bytes are then looked at.
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import BinaryIO, Literal

from greeter.config_base import not_a_file
from greeter.errors import ContactsError

__all__ = ["SNIFF_BYTES", "open_contacts_file", "wrong_format"]

#: Enough of the head to tell the formats below apart (and to sniff a CSV's encoding).
SNIFF_BYTES = 65536
#: Every file of the OLE2 compound format (Excel 97–2003 .xls, and encrypted .xlsx) starts so.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A ZIP archive's first local header: .xlsx, and also .ods (OpenDocument).
ZIP_MAGIC = b"PK\x03\x04"
#: An encrypted .xlsx is an OLE2 file holding a stream of this name (UTF-16 in its directory).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
#: An OpenDocument file stores its type uncompressed, first in the archive.
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_HTML = (b"<!doctype html", b"<html", b"<table", b"<head", b"<meta")
_EXCEL_XML = b"urn:schemas-microsoft-com:office:spreadsheet"
_RESAVE = "open it in Excel/LibreOffice and save as .xlsx (or export CSV)"
_EXPORT = "open it in Excel/LibreOffice and save it as CSV"


def open_contacts_file(path: Path, name: str = "contacts file", *, only_files: bool = True) -> BinaryIO:
    """``path`` opened for reading bytes, or a one-line :class:`ContactsError` that names it.

    ``name`` is what a missing file is called (``contacts file``; ``file`` for a list another
    command reads). ``only_files``: a pipe or a device is refused unopened (it blocked or filled
    the memory, see :func:`~greeter.config_base.not_a_file`); a list from the shell
    (``--from-csv <(…)``) may well be a pipe, and passes False to be read as before.
    """
    why = not_a_file(path) if only_files else None
    if why is not None:
        raise ContactsError(why)
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise ContactsError(f"{path}: {name} not found") from None
    except OSError as exc:
        raise ContactsError(f"{path}: cannot open ({exc.strerror})") from None


def wrong_format(path: Path, head: bytes, source: Literal["csv", "xlsx", "list"]) -> str | None:
    """The one-line message when the file is not what ``source`` reads, else None.

    ``head`` is the file's first :data:`SNIFF_BYTES` bytes. For ``csv`` (the
    contacts), any text passes (the encoding is told later); for ``xlsx``,
    only a ZIP archive that is not an OpenDocument file does. ``list`` is a
    CSV another command reads (``greeter suppress --from-csv``): only text
    will do there, and the advice is to export CSV, not to change a setting.
    """
    resave = _RESAVE if source != "list" else _EXPORT
    if head.startswith(OLE2_MAGIC):
        if _encrypted(path):
            return (
                f"{path}: a password-protected Excel workbook; open it in Excel, remove the password "
                "and save as .xlsx (or export CSV)"
            )
        return f"{path}: old Excel .xls format; {resave}"
    if head.startswith(ZIP_MAGIC):
        if _ODS in head[:100]:
            return f"{path}: an OpenDocument spreadsheet (.ods); {resave}"
        if source == "list":
            return f"{path}: an XLSX workbook, not a CSV file; {resave}"
        return f"{path}: this is an XLSX workbook, set contacts.source: xlsx" if source == "csv" else None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML):
        return f"{path}: a web page (HTML), not a spreadsheet: some CRMs export .xls this way; {resave}"
    if start.startswith(b"<?xml") and _EXCEL_XML in head:
        return f"{path}: an Excel 2003 XML spreadsheet; {resave}"
    if source == "list" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"{path}: not a text file (it holds NUL bytes); {resave}"
    if source in ("csv", "list"):
        return None
    if not head:
        return f"{path}: the file is empty (0 bytes), not an XLSX workbook"
    if b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"{path}: a text file, not an XLSX workbook (a CSV export?); set contacts.source: csv"
    return f"{path}: not an XLSX workbook (an .xlsx file is a ZIP archive; this one is not)"


def _encrypted(path: Path) -> bool:
    """Whether an OLE2 file holds an encrypted workbook (its directory may sit anywhere in the file)."""
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(_ENCRYPTED) >= 0
    except (OSError, ValueError):
        return False
