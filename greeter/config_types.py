"""The config's value types: times of day, month-days, dates, date formats and time zones as a
marketer writes them, each validated with a message that says what to write instead.

Pure parsing, no models: :mod:`greeter.config` builds its settings from these
(split out of it so that each module stays small enough to read).
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import time
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from greeter.config_yaml import NotADate
from greeter.day_text import day_numbers, not_a_day, read_day
from greeter.timezones import is_zone, unknown_zone

__all__ = [
    "TIME_WORDS", "DateFormat", "Day", "MonthDay", "TimeOfDay", "TimeZoneName", "meant_time", "minute_of_day",
    "time_pair",
]  # fmt: skip


def _check_timezone(name: str) -> str:
    if not is_zone(name):
        raise ValueError(unknown_zone(name))  # suggests as a contacts row's warning does (Москва too)
    return name


TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]


#: A time as the config wants it, hours:minutes (seconds allowed): "9:00" is as clear as "09:00".
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
#: Shapes people write a time in, which we only suggest the fix for: "18.00", "18h00", "1800", "18".
_OTHER_CLOCK = re.compile(r"(\d{1,2})(?:\s*[.,hHчЧ\- ]\s*|)(\d{2})|(\d{1,2})")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([AaPp])\.?\s*[Mm]\.?")
_RANGE = re.compile(r"\s*(.+?)\s*(?:–|—|-|\.\.|…|\bto\b|\bдо\b)\s*(.+?)\s*")
TIME_WORDS: Final = "hours:minutes, 24-hour clock"


def _time_of_day_text(value: object) -> object:
    """Read the text of a time of day, or say in plain words, with the fix, why it is none.

    pydantic alone reads ``start: 10`` as 10 seconds past midnight UTC, and answers
    "9:00" with "input is too short" and "18.00" with "invalid time separator".
    An unambiguous ``H:MM`` is simply read; for anything else the message names
    the value meant where there is one ("18.00" → "18:00", "6pm" → "18:00").
    """
    if isinstance(value, bool | int | float):
        raise ValueError(f'{value!r} is not a time of day; write it as "HH:MM" in quotes, e.g. "10:00"')
    if not isinstance(value, str):
        return value
    text = value.strip()
    if (m := _CLOCK.fullmatch(text)) is not None:
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            end = '; the last minute of a day is "23:59"' if text.startswith("24") else ""
            raise ValueError(
                f"{value!r} is not a time of day: hours go from 00 to 23 and minutes from 00 to 59 "
                f"({TIME_WORDS}){end}"
            )
        return time(hour, minute, second)
    if (pair := time_pair(text)) is not None:
        raise ValueError(f'{value!r} is a range; this setting is one time of day, like "{pair[0]}"')
    if "+" in text or text.endswith(("Z", "z")):  # an offset: _local_time_of_day says why not
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
    meant = meant_time(text)
    fix = f': write "{meant}"' if meant else ""
    raise ValueError(f'{value!r} is not a time like "09:00" ({TIME_WORDS}){fix}')


def minute_of_day(t: time) -> int:
    """``10:30`` → 630: a wall-clock time as minutes since midnight, for a window's arithmetic."""
    return t.hour * 60 + t.minute


def meant_time(text: str) -> str | None:
    """ "HH:MM" for a time written in another shape ("18.00", "6 pm", "9"), or None."""
    if (m := _CLOCK.fullmatch(text)) is not None:
        hour, minute = int(m[1]), int(m[2])
    elif (m := _TWELVE_HOUR.fullmatch(text)) is not None:
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[3] in "Pp" else 0)
    elif (m := _OTHER_CLOCK.fullmatch(text)) is not None:
        hour, minute = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), 0)
    else:
        return None
    return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None


def time_pair(text: str, *, loose: bool = False) -> tuple[str, str] | None:
    """The two times of a range written as one text ("13:00-14:00"), as "HH:MM", or None.

    Unless ``loose`` (where only a range can be meant), both ends need their
    colon, so that "18-00" stays a time with the wrong separator.
    """
    m = _RANGE.fullmatch(text)
    if m is None or not (loose or all(_CLOCK.fullmatch(part) for part in m.groups())):
        return None
    start, end = meant_time(m[1]), meant_time(m[2])
    return (start, end) if start and end else None


def _local_time_of_day(value: time) -> time:
    """Windows are in each recipient's own zone, so a time carrying its own offset makes no sense."""
    if value.tzinfo is not None:
        raise ValueError(
            f"{value.isoformat()} has a UTC offset; send windows are local times in each "
            'recipient\'s zone: write "HH:MM"'
        )
    return value


#: A time of day in the recipient's zone, written "HH:MM".
TimeOfDay = Annotated[
    time,
    BeforeValidator(_time_of_day_text),
    AfterValidator(_local_time_of_day),
    # What an editor checks while typing: the text read here, not ISO's "HH:MM:SS" ("9:00" is fine).
    WithJsonSchema({"type": "string", "pattern": r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$", "examples": ["09:00"]}),
]

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def _check_month_day(value: str) -> str:
    """A yearly ``MM-DD``. ``"29-12"`` and ``"29.12"`` are the day written first, as Russian
    writes it: when the swapped reading is a real day, the message names it."""
    m = _MONTH_DAY.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a month-day like '01-01' (MM-DD){_swapped(value)}")
    try:
        dt.date(2024, int(m.group(1)), int(m.group(2)))  # 2024 is a leap year: 02-29 is allowed
    except ValueError:
        raise ValueError(f"{value!r} is not a real day of the year{_swapped(value)}") from None
    return value


_DAY_FIRST = re.compile(r"^\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*$")


def _swapped(value: str) -> str:
    """``: write "12-29" (MM-DD: month first)`` when ``value`` read day first is a real day, else "".

    Not MM-DD in form (``"12.29"``, ``"5-1"``) but a real day read month first: that is named too.
    """
    m = _DAY_FIRST.match(value)
    if m is None:
        return ""
    first, second = int(m[1]), int(m[2])
    readings = [(second, first), (first, second)]  # "29.12": day first, as Russian writes a date
    if "-" in value:  # "5-1" is MM-DD unpadded more likely than 5 January
        readings.reverse()
    for month, day in readings:
        text = f"{month:02d}-{day:02d}"
        if text != value and _real(month, day):
            return f': write "{text}" (MM-DD: month first)'
    return ""


def _real(month: int, day: int) -> bool:
    """Whether ``month``/``day`` is a day of some year (29 February included)."""
    try:
        dt.date(2024, month, day)
    except ValueError:
        return False
    return True


_FULL_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _month_day_text(value: object) -> object:
    """``date: 2026-12-18`` is a one-off day written where a yearly one goes: name the setting meant.

    YAML reads it unquoted as a date, which pydantic answered with "Input
    should be a valid string (got datetime.date(2026, 12, 18))".
    """
    if isinstance(value, dt.date):
        value = value.isoformat()
    m = _FULL_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        return value
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(
            f'{value} is not a real date; `date` is a yearly "MM-DD" like "12-18", '
            "and `on:` lists single days"
        ) from None
    yearly = f'`date` is a yearly "MM-DD" like "{int(m[2]):02d}-{int(m[3]):02d}"'
    raise ValueError(f"{yearly}; for a single day use `on: [{value}]`")


MonthDay = Annotated[str, BeforeValidator(_month_day_text), AfterValidator(_check_month_day)]


#: A day with a time of day after it (``2027-08-30T00:00:00``, ``2027-08-30 10:00``): not a day.
_DATE_TIME: Final = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})[T ]\s*\d.*", re.ASCII)


def _day_as_written(value: object) -> object:
    """A config day as the command line reads one (:func:`greeter.day_text.read_day`): ``2027-08-30``
    or ``30.08.2027``; never a number.

    YAML makes a date of an unquoted ``2027-08-30`` itself, but ``30.08.2027``
    stays text, which pydantic refused — while ``--now``, ``--from`` and the
    contacts file take it, and a Russian marketer writes it so. A text in
    either form naming no day (``31.02.2027``, a quoted ``"2027-02-31"``)
    becomes the :class:`~greeter.config_yaml.NotADate` an unquoted impossible
    ISO day is, so the loader says why, at its line, in the same words.

    Pydantic's lax mode reads a number as seconds since 1970 and took any
    multiple of 86,400 as a day (``on: [86400]``, ``check`` said OK). The
    error keeps pydantic's kind, so the loader words it like any other day
    that is not one. A date and time (``2027-08-30T00:00:00``) is refused, as the
    JSON Schema refuses it: pydantic took a midnight one as its day and refused
    ``2027-08-30T10:00`` — where a day is meant, the day alone is written.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    if isinstance(value, dt.datetime):  # unquoted 2027-08-30T00:00:00: YAML made a date-time of it
        value = value.isoformat()
    if isinstance(value, str) and not isinstance(value, NotADate):
        text = value.strip()
        if (moment := _DATE_TIME.fullmatch(text)) is not None:
            # Pydantic took a midnight date-time as its day; the JSON Schema refuses any: one answer.
            if not_a_day(moment[1]) is not None:  # 2026-02-30T10:00: that the day is none comes first
                return NotADate(text)
            raise ValueError(f"{text!r} is a date and time: write the day alone, {moment[1]}")
        if day_numbers(text) is not None:
            try:
                return read_day(text)
            except ValueError:
                return NotADate(text)
    return value


#: A single calendar day: YYYY-MM-DD (unquoted or quoted) or DD.MM.YYYY, never a number. Its JSON
#: Schema names both forms: ``format: date`` is ISO only, so an editor flagged ``30.08.2027``.
Day = Annotated[
    dt.date,
    BeforeValidator(_day_as_written),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*$",
            "examples": ["2027-08-30", "30.08.2027"],
        }
    ),
]

_DIRECTIVE = re.compile(r"%[A-Za-z]")
#: Spreadsheet-style date patterns people write instead of strftime codes, longest first.
_SPREADSHEET_CODES = (("yyyy", "%Y"), ("yy", "%y"), ("dd", "%d"), ("mm", "%m"))


#: strftime codes that read a year: a format needs one (``%x`` and ``%c`` write one too).
_YEAR_CODES = frozenset("Yyxc")


def _check_date_format(value: str) -> str:
    """A date format must use strftime codes: "dd.mm.yyyy" would match no date, silently.

    And it must read the year: strptime reads ``13.04`` under ``%d.%m`` as
    13 April 1900, so every birthday would "give 126 years" and be skipped
    (29.02 would not even be a date). Ages and anniversaries are counted from
    the year, so the export has to carry it; the config says so before any
    row is read.
    """
    if _DIRECTIVE.search(value):
        codes = {m[1] for m in re.finditer("%(.)", value)}  # "%%Y" is a literal "%Y", not a year
        if not codes & _YEAR_CODES:
            raise ValueError(
                f"{value!r} has no year (%Y, or %y for two digits): a date read without one is taken"
                f" for 1900, and ages and anniversaries are counted from the year; export dates with"
                f' the year from the CRM and write the format with it, e.g. "{_with_year(value)}"'
            )
        return value
    meant = value
    for pattern, code in _SPREADSHEET_CODES:
        meant = re.sub(pattern, code, meant, flags=re.IGNORECASE)
    understood = _DIRECTIVE.search(meant) and not re.search("[dmy]", _DIRECTIVE.sub("", meant), re.IGNORECASE)
    hint = f'did you mean "{meant}"?' if understood else 'use strftime codes, e.g. "%d.%m.%Y"'
    raise ValueError(f"{value!r} has no strftime codes (%d day, %m month, %Y year); {hint}")


def _with_year(fmt: str) -> str:
    """``%d.%m`` → ``%d.%m.%Y``: the format with a four-digit year after it, in its own separator."""
    tokens = re.findall(r"%.|[^%]+", fmt)
    separators = [t for t in tokens if not t.startswith("%") and not any(ch.isalnum() for ch in t)]
    if tokens and tokens[-1] in separators:
        return f"{fmt}%Y"  # "%d.%m." already ends with its separator
    return f"{fmt}{separators[-1] if separators else '.'}%Y"


#: One entry of ``contacts.date_formats``.
DateFormat = Annotated[str, AfterValidator(_check_date_format)]
