"""A contacts source's date columns as wholes: how their values fared, and the column's problem.

Split from :mod:`greeter.sources.rows` (the row parser): each row gets its
own warning for a date it cannot read, but a column most of whose values
fail has a wrong format, not typos, and says so once, after the last row.
The parser counts into a :class:`DateColumn` per column as it goes (plain
attribute increments on its hot path); :func:`column_problems` judges the
counts when the rows are done.

Two judgements need the whole column too: which order a slash date's day and
month are in (:func:`order_problem`: ``12/07/1970`` reads either way, and
only the column's other values say which was meant), and how many of its
cells held a "no date" placeholder (:func:`empty_date_notes`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from greeter.errors import Problem
from greeter.sources.dates import (
    EXCEL_SERIAL,
    MONTH_NAMES,
    NO_SUCH_DAY,
    DateParser,
    Order,
    month_name_advice,
    swap_day_month,
)
from greeter.sources.quote import quoted
from greeter.wording import counted

__all__ = [
    "COLUMN_MIN_VALUES",
    "COLUMN_SHARE",
    "ORDER_EXAMPLES",
    "DateColumn",
    "UnreadCell",
    "column_problems",
    "empty_date_notes",
    "greetings",
    "order_problem",
]


class UnreadCell(str):
    """An empty cell whose value the source could not read, and ``why`` (the message's start).

    An XLSX date cell holding a formula no program calculated reads as empty
    (:mod:`greeter.sources.xlsx_source`), but the date is there: it is not an
    empty birthday, it is one that could not be read. Marked by its type, as
    :class:`~greeter.sources.row_shape.CutRow` marks a row, so that
    :meth:`~greeter.sources.rows.RowParser.parse` treats it as
    an unreadable date — a warning ending in the greetings it costs, the
    contact's ``bad_dates`` (``skip: invalid_contact`` in a plan) and a value
    counted in the column's summary — while the million ordinary rows pay
    nothing: only an empty date cell is asked for its type.
    """

    why: str

    def __new__(cls, why: str) -> UnreadCell:
        cell = super().__new__(cls, "")
        cell.why = why
        return cell


#: A date column is reported as a whole (once, as an error) when every one of its values fails,
#: or more than half of them once it has at least this many: a format problem, not a few typos.
#: Also the fewest failures a column's warning is given for (:func:`column_problems`).
COLUMN_MIN_VALUES = 5
#: A column's warning is given when at least one value in this many fails (5 %), or fewer if a
#: common format reads them (:func:`column_problems`).
COLUMN_SHARE = 20


@dataclass(slots=True)
class DateColumn:
    """One date column: where it is, and how its values fared (for the whole-column problem)."""

    name: str
    index: int
    column: str
    values: int = 0
    failed: int = 0
    #: Of ``failed``, the values the source itself could not read (:class:`UnreadCell`: an XLSX
    #: formula never calculated): their rows say why, and no date format would read them.
    unread: int = 0
    #: What a bad value costs, in the occasions' names: "birthday greetings", "name_day and
    #: angel_day greetings"; without the occasions, the field's name.
    greetings: str = ""
    #: The first distinct values that failed, for guessing the format they are in.
    samples: list[str] = field(default_factory=list)
    #: Cells holding a "no date" placeholder (:func:`~greeter.sources.dates.no_date`), by its name:
    #: read as empty cells, counted for ``check``'s note (:func:`empty_date_notes`).
    empty: Counter[str] = field(default_factory=Counter)
    #: Values whose day and month may be in either order or only one
    #: (:func:`~greeter.sources.dates.day_month_order`), by that order: how many, and the first
    #: :data:`ORDER_EXAMPLES` (row, value) of each, for :func:`order_problem`.
    orders: Counter[str] = field(default_factory=Counter)
    order_rows: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    #: The failed values (not ``unread``) by kind (:meth:`~greeter.sources.dates.DateParser.failure`),
    #: and each kind's first value: the column's warning counts them apart (:func:`kinds_advice`).
    kinds: Counter[str] = field(default_factory=Counter)
    kind_examples: dict[str, str] = field(default_factory=dict)

    def saw_failure(self, kind: str, text: str) -> None:
        """Count one failed value ``text`` of ``kind``; the first of its kind kept as its example."""
        self.kinds[kind] += 1
        if kind not in self.kind_examples:
            self.kind_examples[kind] = text

    def saw_order(self, order: Order, line: int, text: str) -> None:
        """Count one value of ``order`` at row ``line``; keep it as an example if it is among the first."""
        self.orders[order] += 1
        rows = self.order_rows.setdefault(order, [])
        if len(rows) < ORDER_EXAMPLES:
            rows.append((line, text))


#: How many rows of each order :func:`order_problem` names (the rest are counted).
ORDER_EXAMPLES = 3
#: A value :func:`~greeter.sources.dates.day_month_order` judged: its two numbers, separator, year.
_NUMBERS = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d+)")


def greetings(name: str, occasions: Mapping[str, Sequence[str]] | None) -> str:
    """The greetings a bad value in date field ``name`` costs, named by their occasions.

    A field no occasion uses costs nothing yet, but the value is still wrong
    (an occasion added later would skip it), so it is said that way.
    """
    if occasions is None:
        return f"{name} greetings"
    names = occasions.get(name, ())
    if not names:
        return "greetings on this date (no occasion uses it yet)"
    return (" and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]) + " greetings"


def column_problems(columns: Sequence[DateColumn], parser: DateParser, source: str) -> list[Problem]:
    """One problem for each date column a real share of whose values could not be read.

    The rows each got their warning; this says it is the column's format,
    not a few typos, and which common format would read it
    (:meth:`DateParser.column_advice`). An error when every value fails,
    or more than half of at least :data:`COLUMN_MIN_VALUES`: ``greeter
    check`` then fails instead of saying OK while no birthday will ever be
    greeted. A warning when fewer fail, but at least
    :data:`COLUMN_MIN_VALUES` and one in :data:`COLUMN_SHARE` (5 %) — or
    fewer than that share, when a common format reads them: a CRM that
    writes every fourth birthday ``5/3/1975`` is a format missing from the
    config, and 500 row warnings hid it, while two typos in a thousand
    rows are typos (their rows say so) and a column summary over them
    would be noise. The warning counts only values a format could read (not
    an uncalculated formula's, :class:`UnreadCell`: its rows say what to do,
    and "check contacts.date_formats" would send the admin the wrong way).
    """
    problems: list[Problem] = []
    for col in columns:
        most = col.failed == col.values or (col.values >= COLUMN_MIN_VALUES and col.failed * 2 > col.values)
        typed = col.failed - col.unread  # the share a format could be missing for
        if not col.failed or (not most and typed < COLUMN_MIN_VALUES):
            continue
        few = typed * COLUMN_SHARE < col.values
        if not most and few and parser.suggest(col.samples) is None:
            continue
        advice = kinds_advice(col, parser) or parser.column_advice(col.samples)
        formats = ", ".join(parser.configured)
        message = (
            f"{col.failed} of {col.values} values could not be read as dates "
            f"(contacts.date_formats: {formats}){advice}; no {col.greetings} for these contacts"
        )
        severity = "error" if most else "warning"
        problems.append(Problem(source, col.column, message, kind="column", severity=severity))
    return problems


#: What to do about Excel serial numbers among other values (:func:`kinds_advice`): shorter than
#: :data:`~greeter.sources.dates.EXCEL_SERIAL_ADVICE`, inside a list of kinds.
EXCEL_TODO = "format the column as dates in Excel before exporting"


def kinds_advice(col: DateColumn, parser: DateParser) -> str:
    """The column's failed values counted by kind, each with what to do, as the tail of its
    message (": 58 look like …, 35 are …"); "" when they are all of one kind (then
    :meth:`~greeter.sources.dates.DateParser.column_advice` says it, as one).

    A 150,000-row export's warning said 137 values "look like %Y/%m/%d: add
    it to contacts.date_formats" — 58 did; 35 were 31.02.1980 and 44 Excel
    serial numbers, which no format mends: the advice fixed less than half.
    Most frequent kind first; a kind of which there is none is not named.
    """
    kinds = [(kind, n) for kind, n in col.kinds.most_common() if n]
    if col.unread:
        kinds.append(("unread", col.unread))
    if len(kinds) < 2:
        return ""
    parts: list[str] = []
    for kind, n in kinds:
        example = quoted(col.kind_examples.get(kind, ""))
        if kind == "unread":
            parts.append(f"{n} could not be read from the file (their rows say why)")
        elif kind == NO_SUCH_DAY:
            parts.append(f"{n} {'is a day' if n == 1 else 'are days'} no calendar has (e.g. {example})")
        elif kind == EXCEL_SERIAL:
            number = "is an Excel serial number" if n == 1 else "are Excel serial numbers"
            parts.append(f"{n} {number} (e.g. {example}; {EXCEL_TODO})")
        elif kind:
            clash = parser.clash(kind)
            todo = f'use it instead of "{clash}"' if clash else "add it to contacts.date_formats"
            parts.append(f'{n} look{"s" if n == 1 else ""} like "{kind}" (e.g. {example}; {todo})')
        else:  # a month name has its own advice, as in the rows' words
            todo = (
                month_name_advice(col.kind_examples.get(kind, ""))
                or "check the values and contacts.date_formats"
            )
            parts.append(f"{n} match no common format (e.g. {example}; {todo})")
    return ": " + ", ".join(parts)


def order_problem(col: DateColumn, parser: DateParser, source: str) -> Problem | None:
    """A warning when ``col``'s slash dates are read day first but written month first (or the
    reverse), or written both ways; None when its values do not say so.

    ``12/07/1970`` is 12 July as ``%d/%m/%Y`` (among the default formats)
    and 7 December as ``%m/%d/%Y``; nothing in the value tells, so every
    such birthday of an American CRM's export (amoCRM's) was greeted on the
    wrong day, and only a ``12/25/1980`` that the format refused gave a
    row warning — ``check`` said OK. When some values read only month
    first and none only day first, the column is month first and the
    values that read either way are misread: said once, with the rows that
    show it, how many are read the other way and the ``date_formats`` that
    reads them right. Values of both kinds are a column written both ways,
    which no format reads right: the ambiguous values are to be checked in
    the CRM. A warning, so ``check --strict`` fails.
    """
    rows = col.order_rows
    either = col.orders["either"]
    first = _NUMBERS.match(next(iter(rows.values()))[0][1]) if rows else None
    fmt = parser.order_format(first[2]) if first is not None else None
    if fmt is None:
        return None  # no format reads such values: every one failed, and its row said why
    read: Order = "month_first" if fmt.startswith("%m") else "day_first"
    other: Order = "day_first" if read == "month_first" else "month_first"
    if not col.orders[other]:
        return None
    said = {"day_first": "day first", "month_first": "month first"}
    others = _rows(rows[other], col.orders[other])
    ambiguous = ""
    if either:
        line, text = rows["either"][0]
        reads, are = ("reads", "is") if either == 1 else ("read", "are")
        ambiguous = (
            f"; {counted(either, 'other date')} that {reads} either way (e.g. row {line}: {quoted(text)}:"
            f' {_reading(text, fmt)}) {are} read {said[read]} ("{fmt}")'
        )
    if col.orders[read]:
        message = (
            f"the column mixes dates written {said[other]} ({others}) and {said[read]}"
            f" ({_rows(rows[read], col.orders[read])}){ambiguous}{' and may be wrong' if either else ''}:"
            " no format reads both orders; check the dates in the CRM"
        )
        return Problem(source, col.column, message, kind="column", severity="warning")
    if not either:
        return None  # nothing misread: the values only the other order reads failed, each at its row
    formats = list(dict.fromkeys(swap_day_month(f) if f == fmt else f for f in parser.configured))
    if fmt not in parser.configured:
        formats.insert(0, swap_day_month(fmt))
    fix = json.dumps(formats, ensure_ascii=False)
    message = (
        f"the dates are probably written {said[other]}: {others} can only be read so, and no date only"
        f" {said[read]}{ambiguous}, so {col.greetings} for them are probably planned on the wrong day;"
        f" if the CRM writes {said[other]}, set contacts.date_formats: {fix}"
    )
    return Problem(source, col.column, message, kind="column", severity="warning")


def _rows(examples: Sequence[tuple[int, str]], count: int) -> str:
    """``row 6: '12/25/1980', row 9: '11/30/1975' and 4 more``: the values that show an order."""
    said = ", ".join(f"row {line}: {quoted(text)}" for line, text in examples)
    return f"{said} and {count - len(examples)} more" if count > len(examples) else said


def _reading(text: str, fmt: str) -> str:
    """``12 July 1970``: how ``fmt`` reads ``text`` (a value :func:`day_month_order` called "either")."""
    m = _NUMBERS.match(text)
    assert m is not None  # only said of a value read either way
    first, second, year = int(m[1]), int(m[3]), m[4]
    day, month = (second, first) if fmt.startswith("%m") else (first, second)
    return f"{day} {MONTH_NAMES[month]}" + (f" {year}" if len(year) == 4 else "")


def empty_date_notes(columns: Sequence[DateColumn]) -> list[str]:
    """``check``'s note for each "no date" placeholder the date columns held, or none.

    ``contacts: 4 cells hold 1C's empty date 01.01.0001 (Дата рождения 1,
    Дата регистрации 3): read as no date, as an empty cell``. A note, not a
    warning: an unfilled field is no mistake, and a row warning for each of
    most contacts of a 1C export hid the real ones.
    """
    kinds: dict[str, Counter[str]] = {}
    for col in columns:
        for kind, n in col.empty.items():
            kinds.setdefault(kind, Counter())[col.column] += n
    notes = []
    for kind, where in kinds.items():
        total = sum(where.values())
        cells = "1 cell holds" if total == 1 else f"{total} cells hold"
        columns_said = ", ".join(f"{column} {n}" for column, n in where.items())
        notes.append(f"contacts: {cells} {kind} ({columns_said}): read as no date, as an empty cell")
    return notes
