"""The row parser's date cells: a date text read once, why one is not, the placeholders for none.

Split from :mod:`greeter.sources.rows` (the row parser), so that it holds the
row's logic: a date text is read the first time it is met (its day, its
day-month order, a "no date" placeholder) and a dict look-up after; an
unreadable one is a warning naming the greetings it costs; a date cell's
pasted invisible characters are removed. What a date column says as a whole
is :mod:`~greeter.sources.date_columns`'.

:class:`RowDates` is a base class of :class:`~greeter.sources.rows.RowParser`:
the state its methods share with the parser is declared here and set by the
parser's ``__init__``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from greeter.contacts import invisible_chars
from greeter.errors import Problem
from greeter.sources import cell_text
from greeter.sources.caches import remember
from greeter.sources.date_columns import DateColumn, empty_date_notes
from greeter.sources.dates import PLACEHOLDER_DAYS, DateParser, Order, day_month_order, no_date
from greeter.sources.quote import quoted

#: Bound here for the speed of a method call on it (see greeter.sources.rows).
_PASTED_INVISIBLE = cell_text.PASTED_INVISIBLE
_from_iso = date.fromisoformat


class RowDates:
    """The date cells of :class:`~greeter.sources.rows.RowParser`'s rows."""

    # The parser's state these methods read and set (RowParser.__init__).
    source: str
    date_parser: DateParser
    dates: list[DateColumn]
    _date_problems: dict[str, tuple[str, str]]
    _empty_dates: dict[str, str]
    _orders: dict[str, Order]

    def _visible_dates(self, row: Sequence[str], line: int, problems: list[Problem]) -> Sequence[str]:
        """``row`` with the date cells cleaned of pasted invisible characters, each said in a warning.

        ``18.12.1980`` and a zero-width space is a date to whoever looks at the CRM: it was
        refused as "does not match", a birthday lost to a character nobody can
        see. As for a name (:data:`_PASTED_INVISIBLE`), it is removed. Only on
        the path of a row that is not all printable: a copy only if a cell changes.
        """
        cleaned: list[str] | None = None
        for col in self.dates:
            value = row[col.index]
            if _PASTED_INVISIBLE.search(value) is None:
                continue
            cleaned = cleaned if cleaned is not None else list(row)
            cleaned[col.index] = visible = _PASTED_INVISIBLE.sub("", value)
            message = f"{quoted(value)} has {invisible_chars(value)}: removed ({quoted(visible)})"
            problems.append(Problem(self.source, col.column, message, line, kind="row", severity="warning"))
        return row if cleaned is None else cleaned

    def _unread_date(self, col: DateColumn, why: str, line: int, problems: list[Problem]) -> str:
        """The row's warning for a date of ``col`` that could not be read (``why``), added to ``problems``.

        Returned for the contact's ``bad_dates``: every unreadable date, whatever
        made it so, ends with the greetings it costs.
        """
        message = f"{why}; {col.greetings} are skipped for this contact"
        problems.append(Problem(self.source, col.column, message, line, kind="row", severity="warning"))
        return message

    def _read_date(self, text: str) -> date | None:
        """A date text read the first time: its day, or None — also for a "no date" placeholder
        (:func:`no_date`, kept in :attr:`_empty_dates`), which counts as an empty cell.

        Its day-month order (:func:`day_month_order`) goes to :attr:`_orders`
        for the column's judgement (:meth:`column_problems`); a text read
        before is a dict look-up, so the million rows of an export pay none
        of this.
        """
        parser = self.date_parser
        day: date | None = None
        # DateParser.parse's own first step, inline (two calls fewer for each new date of an export).
        if parser.dotted and len(text) == 10 and text[2] == "." and text[5] == ".":
            # Eight ASCII digits as YYYYMMDD are read by date.fromisoformat, in C: the three int()
            # calls and the date() call cost twice as much, and an export's dates are new to the
            # cache for its first tens of thousands of rows. Anything else ("+7.12.1980") as before.
            digits = text[6:] + text[3:5] + text[:2]
            try:
                day = (
                    _from_iso(digits)
                    if digits.isdigit() and digits.isascii()
                    else date(int(text[6:]), int(text[3:5]), int(text[:2]))
                )
            except ValueError:
                day = None
            else:  # a day of the month read from text[:2] leaves no '/' or '-' there: no order to ask
                if day not in PLACEHOLDER_DAYS:
                    return day
        if day is None:
            day = parser.parse(text)
        if (day is None or day in PLACEHOLDER_DAYS) and (empty := no_date(text, day)) is not None:
            remember(self._empty_dates, text, empty)
            return None
        # day_month_order's own first test, inline: a dotted or ISO date has no order to ask about.
        if ("/" in text[1:3] or "-" in text[1:3]) and (order := day_month_order(text)) is not None:
            remember(self._orders, text, order)
        return day

    def empty_date_notes(self) -> list[str]:
        """``check``'s notes on the date columns' "no date" placeholders (:func:`empty_date_notes`)."""
        return empty_date_notes(self.dates)

    def _date_problem(self, text: str) -> tuple[str, str]:
        """Why a date text does not parse: its kind and words (:meth:`DateParser.failure`; cached:
        a bad export repeats its bad values)."""
        reason = self._date_problems.get(text)
        if reason is None:
            reason = remember(self._date_problems, text, self.date_parser.failure(text))
        return reason
