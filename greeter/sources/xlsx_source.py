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

A cell may hold a formula and no value: Excel and LibreOffice store each
formula's result when they save, but a file written by a program (openpyxl,
1C, some CRMs) may have only the formula. openpyxl reads such a cell as
empty, like an empty one, so the birthday or e-mail in it would be lost
without a word. The pass over the sheet's XML that finds the merged ranges
finds them too (:func:`sheet_facts`), and each one in a configured column is
a warning naming the cell — or, for a column full of them, one error. In a
date column such a cell is a date that could not be read, not an empty one
(:class:`~greeter.sources.rows.UnreadCell`): its warning says the greetings it
costs, and a plan lists them as skipped, as for any unreadable date.

A row can be hidden (by hand, or by an AutoFilter): a manager may hide the
clients "not to greet". It is loaded all the same — hiding is a view, not an
opt-out, and the CRM's do-not-contact column is the place for one — but the
same pass finds the hidden rows, and one warning for the file says how many
and which (:class:`_SheetNotes`), so that ``greeter check`` does not let it
pass unsaid.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from greeter.errors import ContactsError, NoSuchSheet, Problem
from greeter.sources.columns import configured_columns
from greeter.sources.dates import CELL_DATE
from greeter.sources.header import HeaderTest, header_test, scan, yaml_value
from greeter.sources.rows import UnreadCell
from greeter.sources.sniff import SNIFF_BYTES, open_contacts_file, wrong_format

if TYPE_CHECKING:
    from openpyxl import Workbook

    from greeter.config_contacts import ContactsSource


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


def read_rows(
    path: Path,
    sheet: str | None = None,
    cfg: ContactsSource | None = None,
    notes: list[Problem] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(Excel row number, cells)`` for every row that is not empty (a title above the header too).

    With ``cfg`` and ``notes``, each formula without a value in a column the
    config reads is reported in ``notes`` (:class:`_SheetNotes`), just before
    its row is yielded — in a date column, by the cell itself
    (:class:`~greeter.sources.rows.UnreadCell`), which the row parser reports
    with what it costs; and the hidden rows under the header get one warning
    in ``notes`` once the last row is read.
    """
    with open_contacts_file(path) as fh:
        book = _open(path, fh)
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise NoSuchSheet(path, sheet, book.sheetnames)
            ws = book[sheet] if sheet else book.worksheets[0]
            facts = _facts(ws)
            rows = _sheet_rows(ws, facts)
            if cfg is None or notes is None or not (facts.uncalculated or facts.hidden):
                yield from rows
                return
            said = _SheetNotes(str(path), ws.title, facts, header_test(cfg), cfg, notes)
            for number, cells in rows:
                said.row(number, cells)
                yield number, cells
            said.end()
        finally:
            book.close()


def used_columns(cfg: ContactsSource) -> frozenset[str]:
    """The header names of the columns the config reads: the contact's fields and its dates."""
    return frozenset(configured_columns(cfg, ())[0].values()) | frozenset(cfg.dates.values())


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
                    if scan(_sheet_rows(book[name], _facts(book[name])), test)[1] is not None:
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
#: How a formula element starts (``<f>``, ``<f t="shared" …``, ``<x:f>``): patterns led by a
#: literal, which the regex engine scans for as fast as bytes.find, so a sheet without formulas
#: costs two scans of memory.
_FORMULA_MARKS = (re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]"))
#: A cell with content: its attributes and its content.
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)>(.*)</(?:\w+:)?c>", re.DOTALL)
#: A cell's formula element: its attributes and its text (None when it is ``<f …/>``).
_F = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
#: A cell's value element: its text (None when it is ``<v/>``).
_V = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
#: A cell's address: ``D2``.
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
#: A hidden row's (or column's) attribute; led by a literal, as :data:`_FORMULA_MARKS`.
_HIDDEN = re.compile(rb'hidden="(?:1|true)"')
#: A row element's number: ``r="7"``.
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


@dataclass(slots=True)
class SheetFacts:
    """What a sheet's XML says that openpyxl's streaming rows do not.

    ``merges``: see :func:`merged_down`. ``uncalculated``: each formula cell
    without a value, ``{row: {column index: formula text}}`` (0-based columns,
    Excel's rows). A shared formula's other cells hold no text of their own:
    ``shared_at`` names their formula's index, ``shared`` each index's first
    cell and text, and :meth:`formula` translates it when a cell is shown.
    ``hidden``: the numbers of the hidden rows, ascending (an array: an
    AutoFilter may hide most of a million rows).
    """

    merges: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    uncalculated: dict[int, dict[int, str]] = field(default_factory=dict)
    shared: dict[str, tuple[str, str]] = field(default_factory=dict)
    shared_at: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: array[int] = field(default_factory=lambda: array("l"))

    def formula(self, row: int, column: int) -> str:
        """The formula as Excel shows it, ``=DATE(1980,4,13)`` (a shared one translated to the cell)."""
        text = self.uncalculated[row][column]
        si = self.shared_at.get((row, column))
        if text or si is None or si not in self.shared:
            return f"={text}"
        from openpyxl.formula.translate import Translator

        origin, first = self.shared[si]
        try:
            return str(Translator(f"={first}", origin=origin).translate_formula(_address(row, column)))
        except Exception:  # a formula openpyxl cannot tokenise: its first cell's, as written
            return f"={first}"


def merged_down(sheet_xml: IO[bytes]) -> dict[int, list[tuple[int, int]]]:
    """The ranges merged over more than one row: ``{first row: [(column index, last row), …]}``.

    ``column index`` is 0-based, rows are Excel's. openpyxl's streaming mode
    does not read merged ranges, and the XML lists them after all the rows, so
    the sheet is scanned for them first (:func:`sheet_facts`).
    """
    return sheet_facts(sheet_xml).merges


def sheet_facts(sheet_xml: IO[bytes]) -> SheetFacts:
    """The merged ranges (:func:`merged_down`), formulas without a value and hidden rows of a sheet's XML.

    One pass over the decompressed XML, a chunk at a time, searched for
    ``mergeCells``, for formula elements and for ``hidden="1"``, which costs
    little beside parsing its rows. Cells are parsed only in a chunk that
    holds a formula at all (most exports hold none), and a chunk is cut before
    its last row's start so that no cell is split between two.
    """
    from openpyxl.utils.cell import column_index_from_string

    facts = SheetFacts()
    carry = b""
    merges = b""
    while chunk := sheet_xml.read(_CHUNK):
        if merges:
            merges += chunk
            continue
        data = carry + chunk
        at = data.find(b"mergeCells")
        while at > 0 and data[at - 1] not in b"<:":  # the word in a cell's inline text, not the element
            at = data.find(b"mergeCells", at + 1)
        if at > 0:
            merges, rows, carry = data[at - 1 :], data[: at - 1], b""
        else:
            cut = _last_row_start(data)
            rows, carry = data[:cut], data[cut:]
        _find_uncalculated(rows, facts)
        _find_hidden(rows, facts)
    if not merges:
        _find_uncalculated(carry, facts)
        _find_hidden(carry, facts)
    for m in _MERGE_CELL.finditer(merges):
        first, last = int(m.group(2)), int(m.group(4))
        if last > first:
            column = column_index_from_string(m.group(1).decode()) - 1
            facts.merges.setdefault(first, []).append((column, last))
    return facts


def _last_row_start(data: bytes) -> int:
    """Where the last ``<row`` element of ``data`` starts (0 if none): the rows before it are whole."""
    at = data.rfind(b"<row")
    if at < 0:  # a sheet whose elements have a prefix: <x:row>
        prefixed = data.rfind(b":row")
        at = data.rfind(b"<", 0, prefixed) if prefixed > 0 else 0
    return max(at, 0)


def _find_uncalculated(xml: bytes, facts: SheetFacts) -> None:
    """Add the formula cells of ``xml`` (whole rows) that hold no value to ``facts``.

    A formula with a value is what Excel and LibreOffice save, and openpyxl
    reads the value. Without one — no ``<v>``, or an empty ``<v/>`` in a cell
    that is not text — no program has calculated it. An empty value in a text
    cell (``t="str"``) is a formula whose result is "" (``=IF(…;"")``): read
    as the empty cell it is. Only the cells around a formula element are
    looked at, so a sheet of formulas with values costs little more.
    """
    from openpyxl.utils.cell import column_index_from_string

    for mark in _FORMULA_MARKS:
        for m in mark.finditer(xml):
            at = m.start()
            prefix = b"" if xml[at] == ord("<") else xml[xml.rfind(b"<", 0, at) + 1 : at + 1]  # b"x:"
            close = b"</" + prefix + b"c>"
            end = xml.find(close, at)
            value = xml.find(b"<" + prefix + b"v>", at, end)
            if value >= 0 and xml[value + len(prefix) + 3] != ord("<"):
                continue  # <f>…</f><v>29324</v>: calculated, as Excel and LibreOffice save it
            start = xml.rfind(b"<" + prefix + b"c ", 0, at)
            if start < 0 or end < 0 or xml.find(close, start, at) >= 0:
                continue  # not in a cell ("x:f " in a cell's text)
            cell = _CELL.fullmatch(xml, start, end + len(close))
            if cell is not None:
                _formula_cell(cell.group(1), cell.group(2), facts, column_index_from_string)


def _find_hidden(xml: bytes, facts: SheetFacts) -> None:
    """Add the hidden rows of ``xml`` (whole rows) to ``facts``.

    Only a ``hidden`` attribute of a row's start tag counts: a hidden column's
    (``<col … hidden="1"/>``, before the rows) needs nothing — its cells are
    read by their header — and text in a cell cannot hold a ``<``, so the tag
    the attribute is in is the one that opened last before it.
    """
    for m in _HIDDEN.finditer(xml):
        at = m.start()
        start = xml.rfind(b"<", 0, at)
        tag = xml[start + 1 : at]
        if start < 0 or b">" in tag or not (tag.startswith(b"row ") or b":row " in tag[:12]):
            continue
        number = _ROW_NUMBER.search(tag + xml[at : xml.find(b">", at)])
        if number is not None:  # a row without its number: which one cannot be said
            facts.hidden.append(int(number.group(1)))


def _formula_cell(attributes: bytes, body: bytes, facts: SheetFacts, index: Callable[[str], int]) -> None:
    """Add the cell (its ``attributes`` and ``body``) to ``facts`` if its formula has no value."""
    f = _F.search(body)
    if f is None:
        return
    attrs = dict(_ATTR.findall(attributes))
    v = _V.search(body)
    if v is not None and (v.group(1) or attrs.get(b"t") == b"str"):
        return  # calculated: openpyxl reads its value
    ref = _REF.fullmatch(attrs.get(b"r", b"").decode("ascii", "replace"))
    if ref is None:
        return  # a cell without its address: where it is cannot be said
    row, column = int(ref.group(2)), index(ref.group(1)) - 1
    text = unescape(f.group(2).decode("utf-8", "replace")) if f.group(2) else ""
    f_attrs = dict(_ATTR.findall(f.group(1)))
    si = f_attrs.get(b"si", b"").decode("ascii", "replace")
    facts.uncalculated.setdefault(row, {})[column] = text
    if si and f_attrs.get(b"t") == b"shared":
        if text:
            facts.shared.setdefault(si, (ref.group(0), text))
        else:
            facts.shared_at[(row, column)] = si


def _address(row: int, column: int) -> str:
    """``D2`` for row 2, column index 3."""
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(column + 1)}{row}"


def _facts(ws: Any) -> SheetFacts:
    """The sheet's :class:`SheetFacts`, from openpyxl's own handle on its XML (none: nothing known)."""
    opener = getattr(ws, "_get_source", None)
    if opener is None:
        return SheetFacts()
    with opener() as xml:
        return sheet_facts(xml)


def _sheet_rows(ws: Any, facts: SheetFacts) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows of the (read-only) sheet ``ws``, a merged-down cell's value on each of its rows."""
    merges = facts.merges
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


#: More formulas without a value than this in one column make one error for it, not a warning a row.
FORMULA_WARNINGS = 5
#: What to do about formulas without values, in the cell's and in the column's message.
FORMULA_ADVICE = "open the file in Excel or LibreOffice and save it (or export values, not formulas)"
#: How many hidden rows the file's warning names by number (the others are counted).
HIDDEN_ROWS_SHOWN = 10


class _SheetNotes:
    """Says what the sheet's XML holds that its values do not: formulas without a value, hidden rows.

    The header is recognised as the header search recognises it (``header``,
    from :func:`~greeter.sources.header.header_test`), so that the cells are
    named by their column; rows above it are a report's title, not looked at.

    A column with more than :data:`FORMULA_WARNINGS` cells holding a formula
    no program has calculated gets one error when the header is read (a
    program that stores no values wrote the file, and ``greeter check`` must
    fail, not warn ten thousand times); a column with a few gets a warning at
    each of their rows, before the row's own problems ("no e-mail") — in a
    date column, from the row parser, which the cell is handed to as an
    :class:`~greeter.sources.rows.UnreadCell`, so that the warning ends in
    the greetings it costs and the date is the contact's unreadable one.

    The hidden rows under the header that are read are counted as they pass
    (both ascend: no look-up), for one warning at :meth:`end`.
    """

    def __init__(
        self,
        source: str,
        sheet: str,
        facts: SheetFacts,
        header: HeaderTest,
        cfg: ContactsSource,
        notes: list[Problem],
    ) -> None:
        self.source = source
        self.sheet = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
        self.facts = facts
        self.header = header
        self.columns = used_columns(cfg)
        self.dates = frozenset(cfg.dates.values())
        self.opt_out = cfg.columns.do_not_contact
        self.notes = notes
        #: Column index → header name of each configured column whose cells get a warning each;
        #: None until the header is read.
        self.names: dict[int, str] | None = None
        self._hidden = iter(facts.hidden)
        self._next_hidden = next(self._hidden, None)
        #: The hidden rows read under the header: how many, and the first few.
        self.hidden = 0
        self.hidden_rows: list[int] = []

    def row(self, number: int, cells: list[str]) -> None:
        """Report the row's cells without a value (on the header row: the columns full of them).

        A date cell is marked in ``cells`` (the parser reports it); the others
        are warned of here. A hidden row is counted.
        """
        if self.names is None:
            if self.header(number, cells) == 0:
                self.names = self._header(number, cells)
            return
        if self._next_hidden is not None and self._next_hidden <= number:
            self._count_hidden(number)
        for column in self.facts.uncalculated.get(number, {}):
            name = self.names.get(column)
            if name is None:
                continue
            message = (
                f"{self._cell(number, column)}: a formula Excel never calculated"
                f" ({self.facts.formula(number, column)}), so the cell reads as empty: {FORMULA_ADVICE}"
            )
            if name in self.dates and (column >= len(cells) or not cells[column]):
                cells += [""] * (column + 1 - len(cells))
                cells[column] = UnreadCell(message)
            else:
                self.notes.append(Problem(self.source, name, message, number, kind="row", severity="warning"))

    def _count_hidden(self, number: int) -> None:
        """Count row ``number`` if it is hidden; move past the hidden rows before it (empty ones)."""
        at = self._next_hidden
        while at is not None and at < number:
            at = next(self._hidden, None)
        if at == number:
            self.hidden += 1
            if len(self.hidden_rows) < HIDDEN_ROWS_SHOWN:
                self.hidden_rows.append(number)
            at = next(self._hidden, None)
        self._next_hidden = at

    def end(self) -> None:
        """After the last row: one warning for the hidden rows read, if any.

        A warning, not an error: a hidden row may be hidden for any reason
        (a filter left on), and its client is greeted like the others — which
        is what a manager who hid the clients "not to greet" must learn from
        ``greeter check``, with the way to leave them out.
        """
        if not self.hidden:
            return
        shown = ", ".join(map(str, self.hidden_rows))
        if self.hidden > len(self.hidden_rows):
            shown += f" and {self.hidden - len(self.hidden_rows)} more"
        rows = (
            f"{self.hidden} hidden rows (rows {shown}) are"
            if self.hidden > 1
            else f"1 hidden row (row {shown}) is"
        )
        setting = "contacts.columns.do_not_contact" + (f": {self.opt_out}" if self.opt_out else "")
        message = (
            f"{rows} loaded like the others; to leave a client out use the do-not-contact column"
            f" ({setting}) or delete the row"
        )
        self.notes.append(Problem(self.source, "", message, kind="column", severity="warning"))

    def _header(self, number: int, cells: Sequence[str]) -> dict[int, str]:
        """The configured columns of the header row ``cells``, less those reported as a whole here."""
        names = {i: c.strip() for i, c in enumerate(cells) if c.strip() in self.columns}
        below: dict[int, list[int]] = {}
        for row in sorted(r for r in self.facts.uncalculated if r > number):
            for column in self.facts.uncalculated[row]:
                if column in names:
                    below.setdefault(column, []).append(row)
        for column, rows in sorted(below.items()):
            if len(rows) <= FORMULA_WARNINGS:
                continue
            first = rows[0]
            message = (
                f"{len(rows)} cells hold a formula Excel never calculated (e.g."
                f" {self._cell(first, column)}: {self.facts.formula(first, column)}), so they read as empty:"
                f" {FORMULA_ADVICE}"
            )
            self.notes.append(Problem(self.source, names.pop(column), message, kind="column"))
        return names

    def _cell(self, row: int, column: int) -> str:
        """``Лист1!D2``: the cell as Excel names it."""
        return f"{self.sheet}!{_address(row, column)}"
