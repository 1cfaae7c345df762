"""CSV as CRMs really export it: UTF-8 (with or without BOM) or Windows-1251, ``;`` or ``,``.

Only the first 64 KB are sniffed for the encoding and the delimiter (that of
the header line, which a report's title lines may precede); the file is then
streamed row by row, so memory does not grow with its size.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from greeter.errors import ContactsError
from greeter.sources.header import HeaderTest, scan
from greeter.sources.sniff import SNIFF_BYTES, wrong_format

_DELIMITERS = {"tab": "\t", "\t": "\t", ";": ";", ",": ",", "|": "|"}


def detect_encoding(head: bytes) -> str:
    """UTF-8 (BOM-aware) when the bytes decode as UTF-8, else charset-normalizer's best guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sniff window
            return "utf-8"
    from charset_normalizer import from_bytes  # ~6 ms of import that a UTF-8 export never needs

    best = from_bytes(head, cp_isolation=["cp1251", "koi8_r", "cp866", "utf_16", "latin_1"]).best()
    if best is None:
        raise ContactsError("cannot tell the text encoding")
    return str(best.encoding)


#: The delimiters ``delimiter: auto`` chooses from, the first winning ties.
_CANDIDATES = (";", ",", "\t", "|")


def detect_delimiter(header_line: str) -> str:
    """The candidate that splits the header line into the most fields (``;`` wins ties)."""
    counts = {d: header_line.count(d) for d in _CANDIDATES}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def sniff_delimiter(text: str, header: HeaderTest | None = None) -> str:
    """The delimiter of the header line among the first lines ``text`` of the file.

    With ``header`` (how the contacts' header row is recognised), each
    candidate splits ``text`` into rows, and the one under which the header
    comes first wins (then the one giving it the most fields): a report's title
    line above the header ("Отчёт по контактам, декабрь") does not decide. If
    no candidate finds the header, the one giving some row the most configured
    columns wins, so that the error names the header's real typo. Without
    ``header``, or when nothing tells, the first line decides (:func:`detect_delimiter`).
    """
    first_line = text.splitlines()[:1]
    fallback = detect_delimiter(first_line[0] if first_line else "")
    if header is None:
        return fallback
    ranked: list[tuple[tuple[int, int, int, int], str]] = []
    for order, delimiter in enumerate(_CANDIDATES):
        try:
            above, found = scan(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1), header)
        except csv.Error:
            continue
        if found is not None:
            ranked.append(((0, found[0], -len(found[1]), order), delimiter))
        elif above:
            closest = min(header(number, cells) for number, cells in above)
            ranked.append(((1, closest, int(delimiter != fallback), order), delimiter))
    return min(ranked)[1] if ranked else fallback


#: What the messages of :func:`read_rows` call the file, and the advice for an encoding not told.
_WHAT = {
    "contacts": ("contacts file", "set contacts.encoding, e.g. cp1251"),
    "list": ("file", "is it a text file? save it as CSV, UTF-8 or Windows-1251"),
}


def read_rows(
    path: Path,
    encoding: str = "auto",
    delimiter: str = "auto",
    *,
    what: Literal["contacts", "list"] = "contacts",
    header: HeaderTest | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row number, cells)`` for every row from row 1, blank lines included.

    Row numbers count records as a spreadsheet does (a quoted field with line
    breaks does not shift the rows after it). ``what``: the contacts, or a
    list another command reads the same way (``greeter suppress --from-csv``),
    whose messages name no contacts setting. ``header`` recognises the header
    row, so that ``delimiter: auto`` is told by it, not by a title above it.
    """
    name, advice = _WHAT[what]
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise ContactsError(f"{path}: {name} not found") from None
    except OSError as exc:
        raise ContactsError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        head = fh.read(SNIFF_BYTES)
        fh.seek(0)
        problem = wrong_format(path, head, "csv" if what == "contacts" else "list")
        if problem is not None:  # a workbook or a web page: no encoding or delimiter would help
            raise ContactsError(problem)
        try:
            enc = detect_encoding(head) if encoding == "auto" else encoding
        except ContactsError as exc:
            raise ContactsError(f"{path}: {exc} ({advice})") from None
        try:
            codecs.lookup(enc)
        except LookupError:
            raise ContactsError(f"{path}: unknown encoding {enc!r}") from None
        text = io.TextIOWrapper(fh, encoding=enc, errors="replace", newline="")
        delim = (
            sniff_delimiter(head.decode(enc, errors="replace").lstrip("\ufeff"), header)
            if delimiter == "auto"
            else _DELIMITERS[delimiter]
        )
        reader = csv.reader(text, delimiter=delim)
        number = 0
        try:
            for cells in reader:
                number += 1
                if number == 1 and cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]
                yield number, cells
        except csv.Error as exc:
            raise ContactsError(
                f"{path}:row {number + 1}: broken CSV ({exc}); rows before it were read"
            ) from None
