"""The contacts loader's sentences about a bad cell, as patterns: one source for the galleries' words.

Why: a contact the planner cannot greet (``invalid_contact``) carries the
loader's own English sentence — a date cell that is no date
(:meth:`greeter.sources.dates.DateParser.problem`, ended by
:mod:`greeter.sources.row_dates` with the greetings it costs) or
:func:`greeter.occasions.implausible`'s. The Russian gallery
(:mod:`greeter.gallery_words`) and the tables of the others
(:mod:`greeter.gallery_why`) both recognise them; each pattern is written once,
here, so a change of the loader's wording is followed (or fails a test) in one
place. The groups are named (what each value is); the Russian rules read them
by name too.

Pure: pattern strings built from the loader's own constants.
"""

from __future__ import annotations

import re
from typing import Final

from greeter.occasions import TYPED_WITHOUT_YEAR
from greeter.sources.dates import EXCEL_SERIAL_ADVICE, MONTH_NAMES

__all__ = ["CONTACT_FORMS", "MONTHS_EN", "spoken_day"]

#: The loader's month names (:data:`~greeter.sources.dates.MONTH_NAMES`), from January.
MONTHS_EN: Final = MONTH_NAMES[1:]
_MONTH: Final = "|".join(MONTHS_EN)
#: An occasion's machine name (config ``MACHINE_NAME``), as a bad date's sentence lists them.
_NAME: Final = r"[a-z][a-z0-9_]*"
_ISO: Final = r"\d{4}-\d{2}-\d{2}"
#: A day as the loader writes one it read: ``18.12.2030``.
_DOTTED: Final = r"\d\d\.\d\d\.\d+"
_TYPED: Final = rf"{re.escape(TYPED_WITHOUT_YEAR)}; write it as (?P<write>\S+) or (?P<write2>\S+)"
_EXPORT: Final = r"export dates as numbers \(dd\.mm\.yyyy\) from the CRM"


def _spoken(name: str) -> str:
    """A day as the loader says it ("10 December 1979"), as group ``name``."""
    return rf"(?P<{name}>\d{{1,2}} (?:{_MONTH}) \d+)"


def spoken_day(text: str) -> tuple[int, int, int]:
    """``10 December 1979`` (a ``spoken…`` group) as (year, month, day)."""
    day, month, year = text.split(" ")
    return int(year), MONTHS_EN.index(month) + 1, int(day)


#: (key, pattern) of each sentence and part of one, tried in order (the longer first). ``then…``
#: groups are a part of their own (or empty), ``spoken…`` a day as the loader says it.
CONTACT_FORMS: Final[tuple[tuple[str, str], ...]] = (
    # a date cell that is no date (greeter.sources.row_dates, greeter.sources.dates)
    (
        "bad_date",
        r"(?P<value>.+?) (?P<then>is not a real date: .+|looks like an Excel serial date .+|does not match"
        rf" contacts\.date_formats .+); (?P<greetings>{_NAME}(?:, {_NAME})*(?: and {_NAME})?) greetings are"
        r" skipped for this contact",
    ),
    ("not_real", r"is not a real date: (?P<then>[^;]+)(?P<then_reading>.*)"),
    (
        "excel_serial",
        rf"looks like an Excel serial date \((?P<date>{_ISO})\), not a date:"
        rf" {re.escape(EXCEL_SERIAL_ADVICE)}",
    ),
    ("no_format", r"does not match contacts\.date_formats \((?P<list>[^()]*)\)(?P<then_reading>.*)"),
    # why a value with a date's shape is no day (greeter.sources.dates._impossible)
    ("no_month", r"there is no month (?P<n>\d+)"),
    ("no_day_0", r"there is no day 0"),
    ("no_such_day", r"no month has (?P<n>\d+) days"),
    ("not_leap", r"(?P<year>\d+) is not a leap year"),
    ("month_short", rf"(?P<month>{_MONTH}) has no (?P<n>\d+)(?:st|nd|rd|th)"),
    ("no_year_0", r"there is no year 0"),
    # what else the value would be (greeter.sources.dates.DateParser._other_reading)
    (
        "reading_add",
        rf"; it is {_spoken('spoken')}, written with a month name: add \"(?P<format>.+)\" to"
        r" contacts\.date_formats if the CRM writes dates so",
    ),
    (
        "reading_spelled",
        rf"; it is {_spoken('spoken')}, written with a month name, spelled so that no date format reads it:"
        rf" {_EXPORT}",
    ),
    (
        "reading_language",
        rf"; it is {_spoken('spoken')}, written with a month name, and no date format reads"
        rf" (?P<language>\w+) month names: {_EXPORT}",
    ),
    (
        "reading_two",
        rf"; read as \"(?P<format>[^\"]+)\" it is {_spoken('spoken')}, as \"(?P<format2>[^\"]+)\" it is"
        rf" {_spoken('spoken2')}(?P<then_advice> \(add .+\))?",
    ),
    (
        "reading_one",
        rf"; read as \"(?P<format>[^\"]+)\" it is {_spoken('spoken')}(?P<then_advice> \(add .+\))?",
    ),
    ("advice_it", r" \(add it to contacts\.date_formats if the CRM writes dates so\)"),
    ("advice_one", r" \(add the one the CRM writes to contacts\.date_formats\)"),
    # a date no contact can have (greeter.occasions.implausible)
    ("future_typed", rf"(?P<field>.+) (?P<dotted>{_DOTTED}) is in the future: {_TYPED}"),
    ("future", rf"(?P<field>.+) (?P<dotted>{_DOTTED}) is in the future"),
    (
        "too_old_placeholder",
        rf"(?P<field>.+) (?P<dotted>{_DOTTED}) gives (?P<years>\d+) years \(more than (?P<n>\d+)\):"
        r" (?P<year>\d+) is often a placeholder for an unknown year; write the day without a year"
        r" \((?P<write>\S+) or (?P<write2>\S+)\)",
    ),
    ("too_old", rf"(?P<field>.+) (?P<dotted>{_DOTTED}) gives (?P<years>\d+) years \(more than (?P<n>\d+)\)"),
    (
        "too_young",
        rf"(?P<field>.+) (?P<dotted>{_DOTTED}) gives (?P<years>\d+) years? \(fewer than min_years"
        rf" (?P<n>\d+)\): {_TYPED}",
    ),
)
