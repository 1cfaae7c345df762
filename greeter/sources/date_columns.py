"""A contacts source's date columns as wholes: how their values fared, and the column's problem.

Split from :mod:`greeter.sources.rows` (the row parser): each row gets its
own warning for a date it cannot read, but a column most of whose values
fail has a wrong format, not typos, and says so once, after the last row.
The parser counts into a :class:`DateColumn` per column as it goes (plain
attribute increments on its hot path); :func:`column_problems` judges the
counts when the rows are done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from greeter.errors import Problem
from greeter.sources.dates import DateParser

__all__ = ["COLUMN_MIN_VALUES", "COLUMN_SHARE", "DateColumn", "UnreadCell", "column_problems", "greetings"]


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
        advice = parser.column_advice(col.samples)
        formats = ", ".join(parser.configured)
        message = (
            f"{col.failed} of {col.values} values could not be read as dates "
            f"(contacts.date_formats: {formats}){advice}; no {col.greetings} for these contacts"
        )
        severity = "error" if most else "warning"
        problems.append(Problem(source, col.column, message, kind="column", severity=severity))
    return problems
