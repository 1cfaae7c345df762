"""Reading the date cells of a CRM export, and saying precisely why one cannot be read — pure.

Three things go wrong with dates in exports, and each needs different words:

* the value is written in a format ``contacts.date_formats`` does not list
  (``1960/01/07``): the fix is in the config, so the message names the formats;
* the value has the right shape but no such day exists (``31.02.1980``): the
  fix is in the CRM, so the message says what is impossible about it;
* a whole column is in another format: every row says the first thing, and
  :meth:`DateParser.suggest` finds the common format that reads the values.

A plain number such as ``29221`` is how Excel stores a date: a column saved to
CSV with a number format (or typed as numbers in a workbook) holds its serial
days. It is never read as a date — a 5-digit number may be something else, and
guessing in a CSV would greet on a day nobody wrote — but the message says
which day it would be and how to export it (:func:`excel_serial`).

A date written with a month name (``8 декабря 1973``, ``8 дек. 1973 г.``,
``December 8, 1973``), as some CRMs print a date field in a report, is named
as the day it is: an English one with the format that reads it, a Russian one
with the advice to export numbers, as no strftime code reads Russian month
names (:func:`month_name_advice`).

A date followed by a time of day (``12.02.1981 0:00:00``, as 1C exports it,
``2025-09-08 14:30``, ISO 8601's ``1980-12-07T00:00:00`` as CRM APIs —
Bitrix24, amoCRM — write it, or .NET's ``12/7/1980 12:00:00 AM`` in a 12-hour
clock) is read by its date part: a greeting's date is a day. A time with a UTC
offset (``1980-12-07T21:00:00Z``, ``…+03:00``) is a moment, so its day is the
day in the parser's ``zone`` (``defaults.timezone``, as for an SQL
``timestamptz``): ``1980-12-07T21:00:00Z`` is 8 December in Moscow. 1C's
year word after a 4-digit year (``16.12.1980 г.``) is dropped.

A day and a month without a year — as CRMs keep a birthday the client would
not give the year of — is read as that day in :data:`YEARLESS_YEAR`
(:func:`is_yearless`): ``27.12`` and ``27/12`` (day first, unless the
configured format for that separator puts the month first), ISO 8601's reduced
``--12-27`` and ``--1227`` (vCard, Outlook), Outlook's own ``1604-12-27`` /
``27.12.1604``, and a year of zeros (``27.12.0000``, ``0000-12-27``). Such a
contact is greeted on the day, without an age.

A value that stands for "no date" is not a date at all (:func:`no_date`): 1C's
empty date ``01.01.0001 0:00:00`` (and .NET's ``1/1/0001 12:00:00 AM``), the
zero date ``0000-00-00`` (``00.00.0000``), the calendar's last day
``9999-12-31`` (``31.12.9999``) and PostgreSQL's ``infinity``. The row parser
reads it as an empty cell; nobody was born on the first day of the calendar,
nor will be on its last.

Which of a slash date's two numbers is the day, one value cannot say
(``03/04/1980``); a column's values together can (:func:`day_month_order`).
"""

from __future__ import annotations

import re
from calendar import isleap, monthrange
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from datetime import time as day_time
from functools import lru_cache
from typing import Literal

from greeter.sources.quote import quoted

__all__ = [
    "COMMON_FORMATS",
    "EMPTY_DAY",
    "EXCEL_SERIAL_ADVICE",
    "LAST_DAY",
    "MONTH_NAMES",
    "PLACEHOLDER_DAYS",
    "YEARLESS_YEAR",
    "DateParser",
    "Order",
    "clock_after",
    "day_month",
    "day_month_order",
    "excel_serial",
    "excel_serials",
    "is_yearless",
    "iso_day_month",
    "month_name_advice",
    "no_date",
    "no_such_day",
    "swap_day_month",
    "swapped",
]

#: How XLSX date cells become text (:mod:`~greeter.sources.xlsx_source`); the row parser accepts it
#: for XLSX sources whatever ``date_formats`` say. Here, not there: every source's loader names it,
#: and only an XLSX source needs that module (zipfile, html).
CELL_DATE = "%d.%m.%Y"

#: Formats CRMs and spreadsheets commonly write, tried (in this order) to explain a column no
#: configured format reads. Day-first comes before month-first: the Russian convention. The
#: Hungarian standard closes the day with a dot, often with spaces ("1975.12.07.", "1975. 12. 07.").
COMMON_FORMATS = (
    "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y",
    "%d.%m.%y", "%d/%m/%y", "%m/%d/%y", "%Y.%m.%d", "%Y.%m.%d.", "%Y. %m. %d.", "%m.%d.%Y",
    "%d %m %Y", "%Y%m%d",
)  # fmt: skip
#: A value's kind (:meth:`DateParser.failure`): a day no calendar has (31.02.1980, 30.02).
NO_SUCH_DAY = "no such day"
#: A value's kind: an Excel serial date number (29221), not a date.
EXCEL_SERIAL = "excel serial"
#: How many failing values :meth:`DateParser.suggest` tries the common formats on.
SAMPLES = 20

#: Excel's serial day 0 (with its 1900 leap-year bug, this is right from serial 61, 1 March 1900, on).
_EXCEL_EPOCH = date(1899, 12, 30)
#: A serial number of days, maybe with a time of day as a fraction ("29221", "29221.5").
_EXCEL_SERIAL = re.compile(r"(\d{4,5})(?:[.,]\d+)?")
#: Serials taken for dates: 2101 (1905-10-01) up to 2100-12-31; a number from 1000 to 2100 is a year.
_SERIAL_RANGE = range(2101, (date(2100, 12, 31) - _EXCEL_EPOCH).days + 1)
#: What to do about a column of serial dates, in the row's and in the column's message.
EXCEL_SERIAL_ADVICE = "format the column as dates in Excel before exporting it (or export dates as text)"
#: A time of day after the date: "0:00:00", "00:00", "14:30", "14:30:15.000"; ISO's "T" too, a
#: 12-hour clock's AM/PM (.NET's "12:00:00 AM"), and a UTC offset after it ("Z", "+03:00", "+0300",
#: "+03") that makes it a moment (:func:`_in_zone`).
_TIME_OF_DAY = re.compile(
    r"(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*(?P<half>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?))?$"
)
#: 1C's year word after a 4-digit year: "16.12.1980 г.", "16.12.1980г"; or the dot that closes
#: a 4-digit year in Serbian, Croatian, Bosnian: "12.03.1980." (:func:`_without_year_word`).
_YEAR_WORD = re.compile(r"(?<=\d{4})(?:\s*[гГ]\.?|\.)$")
#: The year a day and a month without a year are kept in (:func:`is_yearless`). Outlook's and Apple
#: Contacts' own placeholder for "no year", so a ``1604-12-27`` from any source (a text cell, an SQL
#: DATE) already *is* this value; a leap year, so 29 February is a day in it; and no client's birthday
#: or company's founding is in it (year 4 would be: a typo such as ``13.04.0004`` is one).
YEARLESS_YEAR = 1604
#: A day and a month without a year: "13.12", "13.12.", "13/12", "13-12", Hungarian "12. 13." (a
#: "." month has two digits: "3.5" is a number). Which comes first, the formats say
#: (:meth:`DateParser._month_first`).
_NO_YEAR = re.compile(r"(\d{1,2})([/-])(\d{1,2})|(\d{1,2})\. ?(\d{2})\.?")
#: ISO 8601's reduced form without a year, extended or basic: "--12-27", "--1227" (vCard's BDAY).
_ISO_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
#: A year written as zeros ("27.12.0000", "0000-12-27"): no year 0 exists, so it says "no year".
_ZERO_YEAR = re.compile(r"(?<!\d)0000(?!\d)")
#: 1C's empty date ("01.01.0001 0:00:00"), .NET's DateTime.MinValue: "no date", never a day (:func:`no_date`).
EMPTY_DAY = date(1, 1, 1)
#: The calendar's last day: SQL Server's and .NET's maximum date (``9999-12-31``,
#: ``12/31/9999 11:59:59 PM``), Oracle's and 1C's "open end" (``31.12.9999``): "no date" too.
LAST_DAY = date.max
#: The days that are a "no date" placeholder when a format reads them: the row parser asks
#: :func:`no_date` about no other day.
PLACEHOLDER_DAYS = frozenset({EMPTY_DAY, LAST_DAY})
#: A date of numbers, whatever the formats: year first ("0001-01-01", MariaDB's zero date
#: "0000-00-00") or last ("1/1/0001", "00.00.0000"). Only to tell a placeholder (:func:`no_date`),
#: also one written in a format the config does not list.
_NUMERIC_DATE = re.compile(r"(\d{4})([./-])(\d{2})\2(\d{2})|(\d{1,2})([./-])(\d{1,2})\6(\d{4})")
#: PostgreSQL's dates beyond every other, which psycopg hands over as text (:mod:`.sql_postgresql`).
_INFINITIES = frozenset({"infinity", "-infinity", "+infinity"})
#: A date of numbers whose first two may be a day and a month in either order: "12/07/1970",
#: "12-07-70". Not with dots: where dates are dotted (Russia, Germany) the day comes first.
_EITHER_ORDER = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(?:\d{4}|\d{2})")
#: What a date's first two numbers can be (:func:`day_month_order`): a day then a month only, a
#: month then a day only, or either.
Order = Literal["day_first", "month_first", "either"]
#: What each strftime code looks like in a value; d, m and the year are captured to explain a failure.
_CODES = {
    "d": r"(?P<d>\d{1,2})", "m": r"(?P<m>\d{1,2})", "Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d{2})",
    "b": r"(?P<b>[^\W\d_]+)\.?", "B": r"(?P<B>[^\W\d_]+)", "H": r"\d{1,2}", "I": r"\d{1,2}",
    "M": r"\d{1,2}", "S": r"\d{1,2}", "f": r"\d{1,6}", "p": r"[^\W\d_]+", "a": r"[^\W\d_]+\.?",
    "A": r"[^\W\d_]+", "j": r"\d{1,3}", "%": "%",
}  # fmt: skip
#: A day, a month's name and a year: "8 декабря 1973", "8 дек. 1973 г.", "8 December, 1973".
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г|года?)\.?)?", re.IGNORECASE)
#: A month's name, a day and a year: "December 8, 1973", "Dec 8 1973".
_NAME_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
#: The languages whose month names are recognised, and the formats that read the English ones.
_NAME_LOCALES = ("ru", "en")
_NAME_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %B, %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y")
#: The month names the loader's sentences use ("10 December 1979", "February has no 31st"), from
#: index 1; :mod:`greeter.gallery_words` reads those sentences by them.
MONTH_NAMES = (
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


class DateParser:
    """Reads date texts with the configured formats (plus any the source implies).

    ``implied`` formats are those a source produces itself whatever the config
    says (an SQL source's ISO dates, an XLSX source's date cells); they are
    accepted but not named in messages about ``contacts.date_formats``.
    """

    def __init__(
        self, formats: Sequence[str], implied: Sequence[str] = (), zone: tzinfo | None = None
    ) -> None:
        self.configured = tuple(formats)
        #: Whose day a date-time with a UTC offset is (``defaults.timezone``); None: the day written.
        self.zone = zone
        self.formats = self.configured + tuple(f for f in implied if f not in self.configured)
        # Fast paths for the two formats every Russian CRM uses; strptime is ~10× slower.
        self.dotted = "%d.%m.%Y" in self.formats  # the row parser takes this fast path inline too
        self._iso = "%Y-%m-%d" in self.formats

    def parse(self, text: str) -> date | None:
        """The date, or None; a time of day after it is ignored (an offset is not: :func:`_in_zone`),
        and so is 1C's "г."; a day and month alone: :meth:`_yearless`.

        Only a value the formats do not read as it is pays for the rest: the
        million plain dates of an export take the fast path of :meth:`_parse`.
        """
        found = self._parse(text)
        if found is None:
            if (bare := _without_year_word(text)) is not text:
                text = bare
                found = self._parse(text)
            if found is None and (m := _time_of_day(text)) is not None:
                text = text[: m.start()]
                found = self._parse(text)
                if found is not None and m["offset"] is not None and self.zone is not None:
                    found = _in_zone(found, m, self.zone)
            if found is None:
                found = self._yearless(text)
        return found

    def _yearless(self, text: str) -> date | None:
        """``text`` as a day and a month without a year (see the module's docstring), or None.

        Tried only after every format failed, so a dated export pays nothing.
        """
        read = self._day_month(text)
        if read is not None:
            month, day = read
            try:
                return date(YEARLESS_YEAR, month, day)
            except ValueError:
                return None
        if _ZERO_YEAR.search(text) is not None:  # "27.12.0000": a configured format, the year left out
            found = self._parse(_ZERO_YEAR.sub(str(YEARLESS_YEAR), text, count=1))
            return found if found is not None and is_yearless(found) else None
        return None

    def _day_month(self, text: str) -> tuple[int, int] | None:
        """(month, day) of a yearless text, whether or not they make a day; None if it is not one."""
        if (m := _ISO_NO_YEAR.fullmatch(text)) is not None:
            return int(m[1]), int(m[2])
        if (m := _NO_YEAR.fullmatch(text)) is None:
            return None
        first, sep, second = (m[1], m[2], m[3]) if m[1] is not None else (m[4], ".", m[5])
        if self._month_first(sep):
            return int(first), int(second)
        return int(second), int(first)

    def _month_first(self, sep: str) -> bool:
        """Whether a yearless ``MM{sep}DD`` is month first: the first configured format that joins
        a day and a month with ``sep`` says so, wherever its year is.

        ``27/12`` is ``%d/%m/%Y`` with the year cut off; under ``%m/%d/%Y``
        the same text is month 27, refused. A year-first format is month
        first: Hungarian ``12.27.`` is ``%Y.%m.%d.`` without its year (a
        Hungarian team's «there is no month 27»). ISO's ``%Y-%m-%d`` does not
        count: every config lists it, as machines write it, and its own
        yearless form is ``--12-27``. Without such a format, day first: the
        Russian convention, as in :data:`COMMON_FORMATS`.
        """
        for fmt in self.configured:
            if fmt == "%Y-%m-%d":
                continue
            if f"%m{sep}%d" in fmt:
                return True
            if f"%d{sep}%m" in fmt:
                return False
        return False

    def order_format(self, sep: str) -> str | None:
        """The format that reads a date of numbers separated by ``sep`` (``12/07/1970``), day or month
        first: the first that starts ``%d{sep}%m`` or ``%m{sep}%d``; None if none does.

        It decides which of two readings a value like ``12/07/1970`` gets
        (:func:`day_month_order` says when the other was meant).
        """
        for fmt in self.formats:
            if fmt.startswith((f"%d{sep}%m", f"%m{sep}%d")):
                return fmt
        return None

    def _parse(self, text: str) -> date | None:
        try:
            if self.dotted and len(text) == 10 and text[2] == "." and text[5] == ".":
                return date(int(text[6:]), int(text[3:5]), int(text[:2]))
            if self._iso and len(text) == 10 and text[4] == "-" and text[7] == "-":
                return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            pass  # 31.02, or another configured format of the same length: strptime decides
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return None

    def problem(self, text: str) -> str:
        """Why ``text`` is not a date, in words: "is not a real date: …" or "does not match …"."""
        return self.failure(text)[1]

    def failure(self, text: str) -> tuple[str, str]:
        """Why ``text`` is not a date: its kind and, in words, :meth:`problem`.

        The kind, for a column's count of its values by kind
        (:func:`~greeter.sources.date_columns.column_problems`): :data:`NO_SUCH_DAY`
        (31.02.1980), :data:`EXCEL_SERIAL` (29221), the first common format
        that reads it (``%Y/%m/%d``), else "" — one judgement for the row's
        words and the column's counts, so the two never disagree.
        """
        bare = _without_year_word(text)
        m = _time_of_day(bare)
        candidates = list(dict.fromkeys([text, bare] if m is None else [text, bare, bare[: m.start()]]))
        for value in candidates:
            read = self._day_month(value)
            if read is not None:  # "31.02", "--02-30": a day and a month without a year, and no such day
                month, day = read
                why = no_such_day(month, day, None) or "there is no such day"
                return NO_SUCH_DAY, f"is not a real date: {why}"
        for value in candidates:
            for fmt in self.formats:
                reason = _impossible(value, fmt)
                if reason is not None:
                    return NO_SUCH_DAY, f"is not a real date: {reason}{self._other_reading(text)}"
        serial = excel_serial(text)
        if serial is not None:
            return EXCEL_SERIAL, (
                f"looks like an Excel serial date ({serial.isoformat()}), not a date: {EXCEL_SERIAL_ADVICE}"
            )
        formats = self._readings(text).values()
        return next(iter(formats), ""), (
            f"does not match contacts.date_formats ({', '.join(self.configured)}){self._other_reading(text)}"
        )

    def _readings(self, text: str) -> dict[date, str]:
        """The days ``text`` is in the common formats not configured that read it, each with the first
        format reading it so (``12-12-2000`` is one day in two formats)."""
        days: dict[date, str] = {}
        for fmt in COMMON_FORMATS:
            if fmt not in self.formats and (day := DateParser([fmt], zone=self.zone).parse(text)) is not None:
                days.setdefault(day, fmt)
        return days

    def clash(self, fmt: str) -> str | None:
        """The configured format of ``fmt``'s shape (``%d/%m/%Y`` for ``%m/%d/%Y``), which it should
        replace rather than join: the two read ``01/02/1980`` differently. None when none is."""
        return next((f for f in self.configured if _shape(f, named=False) == _shape(fmt, named=False)), None)

    def _other_reading(self, text: str) -> str:
        """What a value no configured format reads would be in the common formats that read it, if any.

        ``10/12/1979`` is 10 December as ``%d/%m/%Y`` and 12 October as
        ``%m/%d/%Y``: both days are named, never one guessed, and the
        marketer (who knows the CRM's convention) picks the format. A day and
        month without a year (``13.12``) is said to lack it.
        """
        days = self._readings(text)
        if not days:
            named = month_name_advice(text)
            return f"; {named}" if named is not None else ""
        readings = [f'"{fmt}" it is {_spoken(day)}' for day, fmt in list(days.items())[:2]]
        clash = any(
            _shape(f, named=False) == _shape(fmt, named=False)
            for f in self.configured
            for fmt in days.values()
        )
        todo = (
            ""
            if clash
            else (
                " (add it to contacts.date_formats if the CRM writes dates so)"
                if len(readings) == 1
                else " (add the one the CRM writes to contacts.date_formats)"
            )
        )
        return "; read as " + ", as ".join(readings) + todo

    def suggest(self, failed: Sequence[str]) -> tuple[str, str | None] | None:
        """A common format that reads most of ``failed`` (the first :data:`SAMPLES` are tried).

        Returns ``(format, configured format it should replace or None)``: a
        value like ``12/25/1980`` under ``%d/%m/%Y`` calls for ``%m/%d/%Y``
        *instead*, as the two read ``01/02/1980`` differently. None when no
        common format reads at least four in five of them.
        """
        samples = list(failed[:SAMPLES])
        if not samples:
            return None
        best: tuple[int, str] | None = None
        for fmt in COMMON_FORMATS:
            if fmt in self.formats:
                continue
            reader = DateParser([fmt])
            read = sum(reader.parse(s) is not None for s in samples)
            if read and (best is None or read > best[0]):
                best = (read, fmt)
        if best is None or best[0] * 5 < len(samples) * 4:
            return None
        fmt = best[1]
        return fmt, self.clash(fmt)

    def column_advice(self, samples: Sequence[str]) -> str:
        """What a date column's failing ``samples`` have in common, as the tail of its message ("; …").

        One guesser for the column: :meth:`suggest` (a common format that
        reads four in five — "use it instead of" one it clashes with), else
        Excel serial dates (:func:`excel_serials`), else a month name
        (:func:`month_name_advice`); nothing in common, the values are to be
        checked. The rows' own messages name each value's readings.
        """
        guess = self.suggest(samples)
        if guess is not None:
            fmt, clash = guess
            example = next(s for s in samples if DateParser([fmt]).parse(s) is not None)
            todo = f'use it instead of "{clash}"' if clash else "add it to contacts.date_formats"
            return f'; they look like "{fmt}" (e.g. {quoted(example)}): {todo}'
        serial = excel_serials(samples)
        if serial is not None:
            text, day = serial
            return (
                f"; they look like Excel serial dates (e.g. {quoted(text)} is {day.isoformat()}):"
                f" {EXCEL_SERIAL_ADVICE}"
            )
        named = next(((s, a) for s in samples if (a := month_name_advice(s)) is not None), None)
        if named is not None:  # "8 декабря 1973": no format reads it, the CRM can export numbers
            return f"; e.g. {quoted(named[0])}: {named[1]}"
        return "; check the values and contacts.date_formats"


def no_date(text: str, day: date | None) -> str | None:
    """The placeholder for "no date" ``text`` is (``day``: how the formats read it), named for
    ``check``'s note; None if it is a date, or a value that is wrong rather than empty.

    A placeholder is a value no real birthday, founding or deal can have,
    written by a system where the field was never filled: 1C exports every
    empty date as ``01.01.0001 0:00:00`` (most contacts of a real 1C export
    have it), .NET writes DateTime.MinValue (``0001-01-01``, ``1/1/0001
    12:00:00 AM``), MariaDB keeps ``0000-00-00`` (``0000-00-00 00:00:00``) in
    a DATE or DATETIME column and prints it ``00.00.0000`` in a dotted
    format, SQL Server, .NET, Oracle and 1C mark an open end with the
    calendar's last day (``9999-12-31``, ``31.12.9999``), and PostgreSQL has
    ``infinity`` and ``-infinity``. Read as dates they were "2025 years (more
    than 120)", "no month 0" or "in the future" — row warnings and
    ``invalid_contact`` for contacts who have simply no such date, and a
    PostgreSQL DATE's ``infinity`` pointed at ``contacts.date_formats``,
    which DATE columns do not use. Each is known by its numbers, also in a
    format the config does not list (a .NET ``0001-01-01T00:00:00`` in a
    dotted export). Only the placeholder itself: ``1981-00-00`` (a year
    without its day) and ``02.01.0001`` (a typo for a year) stay wrong values.
    """
    if day is not None and day not in PLACEHOLDER_DAYS:
        return None
    bare = _date_part(text)
    if day is None:
        if bare.casefold() in _INFINITIES:
            return "PostgreSQL's infinity ('infinity', '-infinity')"
        day = _placeholder_day(bare)
    if day == EMPTY_DAY:
        return "1C's empty date 01.01.0001" if "." in bare else f"the empty date {bare}"
    if day == LAST_DAY:
        return f"the last date {bare}"
    if day is None and bare.strip("0./-") == "" and _NUMERIC_DATE.fullmatch(bare) is not None:
        return f"the zero date {bare}"
    return None


def _placeholder_day(text: str) -> date | None:
    """The placeholder day (:data:`PLACEHOLDER_DAYS`) a date of numbers is in any order of its day and
    month, or None: ``1/1/0001`` and ``31.12.9999`` read so whatever ``contacts.date_formats`` lists."""
    m = _NUMERIC_DATE.fullmatch(text)
    if m is None:
        return None
    year, pair = (m[1], {m[3], m[4]}) if m[1] is not None else (m[8], {m[5], m[7]})
    if year == "0001" and {int(n) for n in pair} == {1}:
        return EMPTY_DAY
    if year == "9999" and {int(n) for n in pair} == {12, 31}:
        return LAST_DAY
    return None


def day_month_order(text: str) -> Order | None:
    """Which order a date of numbers (``12/07/1970``) can have its day and month in; None when that
    is not a question (another shape, no day either way, or the two numbers equal).

    ``12/25/1980`` is month first only (there is no month 25), ``25/12/1980``
    day first only, ``12/07/1970`` either — and a format reads it one way
    silently. One value cannot tell which was meant; a column's values
    together can (:func:`greeter.sources.date_columns.order_problem`). A
    time of day after the date does not change it.
    """
    if "/" not in text[1:3] and "-" not in text[1:3]:
        return None  # a dotted or ISO date, as most exports' are: no regex for them
    m = _EITHER_ORDER.fullmatch(_date_part(text))
    if m is None:
        return None
    first, second = int(m[1]), int(m[3])
    if first == second:
        return None  # 05/05/1980: the same day either way
    day_first = no_such_day(second, first, None) is None
    month_first = no_such_day(first, second, None) is None
    if day_first and month_first:
        return "either"
    if day_first:
        return "day_first"
    return "month_first" if month_first else None


def swap_day_month(fmt: str) -> str:
    """``%d/%m/%Y`` ↔ ``%m/%d/%Y``: the format that reads a value with its day and month the other way."""
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


def excel_serial(text: str) -> date | None:
    """The day an Excel serial date like ``29221`` stands for (1980-01-01); None if ``text`` is not one.

    Only to explain a value no configured format reads: a date is never
    guessed from a number (see the module's docstring).
    """
    m = _EXCEL_SERIAL.fullmatch(text)
    if m is None or int(m.group(1)) not in _SERIAL_RANGE:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(m.group(1)))


def month_name_advice(text: str) -> str | None:
    """What to do about a date written with a month name (``8 декабря 1973``); None if ``text`` is not one.

    The day is named in English words, as every date message does. An
    English month name is read by strptime (``%B``, ``%b``), so the format
    that reads it is offered (unless it is spelled as none reads it: "8 dec.
    1973"); a Russian one is read by no strftime code, so the CRM is to export
    numbers instead.
    """
    value = text.strip()
    for pattern, day_first in ((_DAY_NAME_YEAR, True), (_NAME_DAY_YEAR, False)):
        m = pattern.fullmatch(value)
        if m is None:
            continue
        day_text, name, year = (m[1], m[2], m[3]) if day_first else (m[2], m[1], m[3])
        found = _month_names().get(name.casefold())
        if found is None:
            continue
        month, locale = found
        try:
            day = date(int(year), month, int(day_text))
        except ValueError:
            return None  # 31 февраля: not a day, and no advice on its format would help
        said = f"it is {_spoken(day)}, written with a month name"
        fmt = next((f for f in _NAME_FORMATS if DateParser([f]).parse(value) == day), None)
        if locale == "en":
            if fmt is not None:
                return f'{said}: add "{fmt}" to contacts.date_formats if the CRM writes dates so'
            # strptime reads English names, only not spelled so ("8 dec. 1973"): say that, not
            # that no format reads English names, which would send the marketer away.
            return (
                f"{said}, spelled so that no date format reads it:"
                " export dates as numbers (dd.mm.yyyy) from the CRM"
            )
        from babel import Locale

        language = Locale.parse(locale).get_display_name("en") or locale
        return (
            f"{said}, and no date format reads {language} month names: export dates as numbers"
            " (dd.mm.yyyy) from the CRM"
        )
    return None


@lru_cache(maxsize=1)
def _month_names() -> dict[str, tuple[int, str]]:
    """Every month name Babel has for :data:`_NAME_LOCALES`, case-folded, final dot dropped → (month, locale).

    Full and short, in a date ("декабря") and alone ("декабрь"). Babel is
    imported only here: on the path of a date no configured format reads.
    """
    from babel.dates import get_month_names

    names: dict[str, tuple[int, str]] = {}
    for locale in _NAME_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    names.setdefault(str(name).casefold().rstrip("."), (int(month), locale))
    return names


def excel_serials(samples: Sequence[str]) -> tuple[str, date] | None:
    """The first of a column's failing ``samples`` and its day, when four in five are Excel serial dates."""
    days = [(s, d) for s in samples if (d := excel_serial(s)) is not None]
    if not days or len(days) * 5 < len(samples) * 4:
        return None
    return days[0]


def is_yearless(day: date | None) -> bool:
    """Whether ``day`` is a day and a month without a year (kept in :data:`YEARLESS_YEAR`).

    The one test for it: such a date has no age or anniversary number, no
    "in the future" or "too old", and is never printed with its year
    (:func:`day_month`, :func:`iso_day_month`).
    """
    return day is not None and day.year == YEARLESS_YEAR


def day_month(day: date) -> str:
    """``27.12``: a yearless date as a person reads it (as CRMs write one), in messages and tables."""
    return f"{day.day:02d}.{day.month:02d}"


def iso_day_month(day: date) -> str:
    """``--12-27``: a yearless date in JSON, ISO 8601's reduced form (vCard's BDAY) that programs read.

    The extended form, like the ``YYYY-MM-DD`` of a dated value beside it.
    """
    return f"--{day.month:02d}-{day.day:02d}"


def swapped(formats: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of formats (their indexes) that read the same text as different dates.

    ``%m/%d/%Y`` and ``%d/%m/%Y`` both read ``07/01/1960``: as 1 July and as
    7 January. Tried in order, the first wins for such a value while a value
    only the second reads (``31/01/1974``) goes to the second, so one column
    would silently mix the two — letters on wrong days. Same shape, different
    order of the day and month (or year) codes, is the test.
    """
    pairs: list[tuple[int, int]] = []
    for j, later in enumerate(formats):
        shape = _shape(later, named=False).pattern
        for i in range(j):
            if formats[i] != later and _shape(formats[i], named=False).pattern == shape:
                pairs.append((i, j))
    return pairs


def _spoken(day: date) -> str:
    """``10 December 1979``: a day no reader takes for another, whatever order they write dates in."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def _time_of_day(text: str) -> re.Match[str] | None:
    """The time of day ending ``text``, if it is a real one (24:00, 14:60, 13:00 PM and an offset of
    +25 are not)."""
    m = _TIME_OF_DAY.search(text)
    if m is None or m.start() == 0:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if m["offset"] is not None and _offset(m["offset"]) is None:
        return None
    hours = range(24) if m["half"] is None else range(1, 13)
    return m if hour in hours and minute < 60 and second < 60 else None


def clock_after(text: str) -> tuple[int, day_time] | None:
    """The time of day ending ``text`` (where it starts, and the time, with its UTC offset as
    ``tzinfo`` when it has one), or None: a list's opt-out date keeps its time
    (:func:`greeter.suppression.read_date`), where a birthday needs only the day."""
    m = _time_of_day(text)
    if m is None:
        return None
    offset = _offset(m["offset"]) if m["offset"] is not None else None
    zone = timezone(offset) if offset is not None else None
    return m.start(), day_time(_hour(m), int(m.group(2)), int(m.group(3) or 0), tzinfo=zone)


def _hour(time: re.Match[str]) -> int:
    """The hour of a :func:`_time_of_day` on a 24-hour clock: 12:30 AM is 0:30, 12:30 PM 12:30."""
    hour = int(time.group(1))
    half = time["half"]
    if half is None:
        return hour
    return hour % 12 + (12 if half[0] in "Pp" else 0)


def _offset(text: str) -> timedelta | None:
    """A UTC offset as ISO 8601 writes it ("Z", "+03:00", "+0300", "-05"); None if no zone has it."""
    if text in ("Z", "z"):
        return timedelta()
    hours, minutes = int(text[1:3]), int(text[-2:]) if len(text) > 3 else 0
    if hours > 23 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if text[0] == "-" else delta


def _in_zone(day: date, time: re.Match[str], zone: tzinfo) -> date:
    """The day in ``zone`` of the moment ``day`` plus ``time`` (with its UTC offset) names.

    As an SQL ``timestamptz`` (:func:`greeter.sources.sql_source.to_text`):
    an API export writes a Moscow birthday as ``1980-12-07T21:00:00Z`` — the
    midnight starting 8 December — and the day written would greet the day
    before. A moment outside the calendar (year 1 at a negative offset) keeps
    the day written, and so does a midnight: ``1980-12-07T00:00:00Z`` is how
    APIs that keep a date without a time (HubSpot's date properties, a
    JavaScript ``Date``) write the 7th, in New York as in Moscow — taken as a
    moment it was the 6th west of Greenwich.
    """
    offset = _offset(time["offset"]) or timedelta()
    hour, minute, second = _hour(time), int(time.group(2)), int(time.group(3) or 0)
    if hour == minute == second == 0:
        return day
    try:
        moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=timezone(offset))
        return moment.astimezone(zone).date()
    except (OverflowError, ValueError):
        return day


def _date_part(text: str) -> str:
    """``text`` without a time of day after it, nor 1C's year word: the date as written."""
    bare = _without_year_word(text)
    m = _time_of_day(bare)
    return bare if m is None else bare[: m.start()]


def _without_year_word(text: str) -> str:
    """``text`` without 1C's year word ("16.12.1980 г." → "16.12.1980"), or without the dot Serbian
    writes after the year ("12.03.1980." → "12.03.1980"); ``text`` itself if it has neither.

    Only after a 4-digit year: "г." is short for «года», and a day and month
    alone (``16.12 г.``) are not what it follows; the dot after a day and
    month alone (``19.12.``) is the yearless date's own. So every configured
    format ending in the year reads its value with the dot too, and a value
    no configured format reads is told the common one that reads it so.
    """
    if not text.endswith(("г", ".", "Г")):
        return text
    m = _YEAR_WORD.search(text)
    return text if m is None else text[: m.start()]


@lru_cache(maxsize=64)
def _shape(fmt: str, *, named: bool = True) -> re.Pattern[str]:
    """What a value written in ``fmt`` looks like, whether or not it is a real date."""
    parts: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            code = fmt[i + 1]
            pattern = _CODES.get(code, r".+?")
            if code in seen or not named:  # a group name may appear once
                pattern = re.sub(r"\(\?P<\w+>", "(?:", pattern)
            seen.add(code)
            parts.append(pattern)
            i += 2
            continue
        parts.append(r"\s+" if ch.isspace() else re.escape(ch))
        i += 1
    return re.compile("".join(parts), re.IGNORECASE)


def _impossible(text: str, fmt: str) -> str | None:
    """What makes ``text`` impossible when it has the shape of ``fmt``; None if it has not."""
    m = _shape(fmt).fullmatch(text)
    if m is None:
        return None
    groups = m.groupdict()
    month = _month(groups)
    if month is None:
        return None  # a month name strptime does not know: not this format
    year = int(groups["Y"]) if groups.get("Y") else _two_digit_year(groups.get("y"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if groups.get("d") is not None and (reason := no_such_day(month, int(groups["d"]), year)) is not None:
        return reason
    if year == 0:
        return "there is no year 0"
    return None


def no_such_day(month: int, day: int, year: int | None) -> str | None:
    """Why ``day`` of ``month`` (in ``year``, if known) is no day, or None; any year has 29 February."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day == 0:
        return "there is no day 0"
    if day > 31:
        return f"no month has {day} days"
    if year and month == 2 and day == 29 and not isleap(year):
        return f"{year} is not a leap year"
    if day > monthrange(year if year else 2000, month)[1]:
        return f"{MONTH_NAMES[month]} has no {_ordinal(day)}"
    return None


def _month(groups: dict[str, str | None]) -> int | None:
    if groups.get("m") is not None:
        return int(groups["m"] or 0)
    for code in ("b", "B"):
        name = groups.get(code)
        if name is not None:
            try:
                return datetime.strptime(name, f"%{code}").month
            except ValueError:
                return None
    return 1  # no month in the format: any day up to 31 is possible


def _two_digit_year(text: str | None) -> int | None:
    """strptime's reading of ``%y``: 69–99 → 19xx, 00–68 → 20xx."""
    if text is None:
        return None
    value = int(text)
    return value + (1900 if value >= 69 else 2000)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
