"""A day as people write it: ISO ``2026-12-25`` or day first, ``25.12.2026`` — pure, one reader for all.

The command line's date options (:func:`greeter.cli_values.parse_day`) and the
config's days (``on:``, ``extra_days_off``, a region's ``days``:
:data:`greeter.config_types.Day`) read a day with :func:`read_day`. A Russian or
European marketer writes ``30.08.2027`` — as a CRM exports it, the contacts'
default ``%d.%m.%Y`` — and the command line took it while the config refused it.
Dotted is always day first (where dates are dotted, the day comes first), so it
is never ambiguous; the year has four digits, day and month one or two
(``4.12.2026`` too, as the contacts file reads it); the digits are ASCII, as the
config's JSON Schema says (``٣٠.٠٨.٢٠٢٧`` is refused by both). A day in either
form that does not exist is said in one wording by both (:func:`not_a_day`), and
so is a day in neither form (:func:`not_a_day_form`). Nothing else is a day:
``date.fromisoformat`` also reads ``20270830`` and ``2027-W35-1``, which the
command line took while the config refused them.
Standard library only: the CLI's group answers ``--help`` without loading more.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

__all__ = [
    "DOTTED_DAY",
    "day_numbers",
    "not_a_day",
    "not_a_day_form",
    "not_a_moment",
    "read_day",
    "read_moment",
]

#: A day written day first with dots, 25.12.2026 or 4.12.2026: day and month of one or two digits,
#: ASCII (``\d`` alone took Arabic-Indic and fullwidth digits, which the JSON Schema refuses).
DOTTED_DAY: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
#: A moment written with a dotted day: ``29.12.2026``, ``29.12.2026 13:00``, ``29.12.2026T13:00+03:00``.
_DOTTED_MOMENT: Final = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})(?:[T ](.+))?", re.ASCII)
#: A dotted moment's hour written with one digit (``7.12.2026 9:00``).
_ONE_DIGIT_HOUR: Final = re.compile(r"^(\d)(?=:)", re.ASCII)
#: An ISO moment whose hour has one digit (``2027-04-14T9:00``, ``2027-04-14 9:00+03:00``): the day,
#: the separator, the hour; the ISO reader wants 09.
_ISO_ONE_DIGIT_HOUR: Final = re.compile(r"(\d{4}-\d{2}-\d{2}[T ])(\d)(?=:)", re.ASCII)
#: An ISO day's numbers (ASCII), the only ISO form taken: not 20270830 nor 2027-W35-1.
_ISO_DAY: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
#: How people write a day when in neither form, tried in order for the example in the message
#: (ISO's basic ``20270830`` and week date ``2027-W35-1`` too: ``date.fromisoformat`` reads them).
_OTHER_DAY_FORMATS: Final = ("%Y.%m.%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y%m%d", "%G-W%V-%u")
#: A month alone, as people write it (``2028-05``, ``05.2028``): its first day is the example shown.
_MONTH_FORMATS: Final = ("%Y-%m", "%m.%Y", "%Y/%m", "%m/%Y")


def day_numbers(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` of ``text`` written in a form :func:`read_day` takes (whether or not
    such a day exists), else None: what to say of ``31.02.2027`` is told by its numbers."""
    if dotted := DOTTED_DAY.fullmatch(text):
        return int(dotted[3]), int(dotted[2]), int(dotted[1])
    if iso := _ISO_DAY.fullmatch(text):
        return int(iso[1]), int(iso[2]), int(iso[3])
    return None


def read_day(text: str) -> date:
    """The day ``text`` (already stripped) names: ``2026-12-25`` or ``25.12.2026``/``4.12.2026``.
    ValueError for anything else (``20261225``, ``2026-W52-5``: the config's JSON Schema refuses
    them), or for no such day."""
    numbers = day_numbers(text)
    if numbers is None:
        raise ValueError(f"{text!r} is not a day written 2026-12-25 or 25.12.2026")
    return date(*numbers)


def not_a_day(text: str) -> str | None:
    """Why ``text`` (stripped), written in a form :func:`read_day` takes, is no day — the config's
    days and the command line's date options say it alike: ``31.02.2027 is not a real date:
    February has no 31st``, ``08.30.2027 is not a real date: there is no month 30 (dotted dates
    are day first: 30.08.2027?)``. None: it is a day, or not written in such a form."""
    numbers = day_numbers(text)
    if numbers is None:
        return None
    try:
        read_day(text)
        return None
    except ValueError:
        pass
    from greeter.sources.dates import no_such_day  # only for a day that is none: the contacts' words

    year, month, day = numbers
    why = "there is no year 0" if year < 1 else no_such_day(month, day, year) or "there is no such day"
    hint = ""
    if not 1 <= month <= 12 and 1 <= day <= 12 and DOTTED_DAY.fullmatch(text):  # 08.30.2027: month first
        swapped = f"{month:02d}.{day:02d}.{year:04d}"
        if no_such_day(day, month, year) is None and year >= 1:
            hint = f" (dotted dates are day first: {swapped}?)"
    return f"{text} is not a real date: {why}{hint}"


def _example_day(text: str) -> date:
    """The day ``text`` (written in some form people use) seems to mean, to show the forms taken
    of it; a month's first day (``2028-05``, ``05.2028``: ``--from`` takes a day, not a month);
    15 March 2027 where none is clear."""
    for fmt in (*_OTHER_DAY_FORMATS, *_MONTH_FORMATS):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return date(2027, 3, 15)


def read_moment(text: str) -> datetime:
    """The moment ``text`` (stripped) names, as ``--now`` takes it: a day :func:`read_day` takes, with
    a time after ``T`` or a space if any, and an offset after the time if any — ``29.12.2026``,
    ``29.12.2026 13:00``, ``2026-12-29T13:00+03:00``. Naive without an offset (the caller's zone).

    ``--from 29.12.2026`` was taken while ``--now 29.12.2026`` was "not an ISO 8601 date-time":
    a marketer rehearsing a day writes it as every other option and the contacts file do. The
    dotted day is read by :func:`read_day`; the rest, and an ISO moment, by Python's ISO reader.
    ValueError for anything else, or for no such day or time.
    """
    if dotted := _DOTTED_MOMENT.fullmatch(text):
        day = read_day(dotted[1]).isoformat()
        # 9:00 as the config's hours and a CSV's 2.01.1990 write it: the ISO reader wants 09:00
        time = _ONE_DIGIT_HOUR.sub(r"0\1", dotted[2]) if dotted[2] else None
        return datetime.fromisoformat(f"{day}T{time}" if time else day)
    # 9:00 as the dotted form above takes it: --now '2027-04-14 9:00' was refused, 7.12.2026 9:00 not
    return datetime.fromisoformat(_ISO_ONE_DIGIT_HOUR.sub(r"\g<1>0\2", text, count=1))


def not_a_moment(text: str) -> str:
    """Why ``text`` (stripped) is no moment :func:`read_moment` takes: a dotted day that does not exist
    in :func:`not_a_day`'s words, else ``'…' is not a moment like 2026-12-29T10:00 or 29.12.2026 10:00``
    — of the day meant where that is clear."""
    day_text = text.replace("T", " ").split(" ", 1)[0] if text else text
    if (no_day := not_a_day(day_text)) is not None:
        return no_day
    try:
        example = read_day(day_text)
    except ValueError:
        example = _example_day(day_text)
    return f"{text!r} is not a moment like {example:%Y-%m-%d}T10:00 or {example:%d.%m.%Y} 10:00"


def not_a_day_form(text: str, *, or_month: bool = False) -> str:
    """``'2027/03/15' is not a date like 2027-03-15 or 15.03.2027``: ``text`` is written in neither
    form :func:`read_day` takes; the two are shown of the day meant where that is clear (else of
    15 March 2027), in the config's and the command line's words alike. ``or_month``: the option
    takes a whole month too (``history --since``), named last: ``… or a month like 2027-03``."""
    example = _example_day(text)
    days = f"{example:%Y-%m-%d} or {example:%d.%m.%Y}"
    if or_month:
        days = f"{example:%Y-%m-%d}, {example:%d.%m.%Y} or a month like {example:%Y-%m}"
    return f"{text!r} is not a date like {days}"
