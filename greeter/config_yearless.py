"""A day and month written without a year where the config wants a day: ``on: [01.01]``, ``date: 25.12``.

Why a module of its own: pydantic's words for these were raw ("Input should be
a valid date (got 1.01)") — YAML reads an unquoted ``01.01`` as the number
1.01, so what was written is read back from the source text, at the value's
line and column (:func:`source_token`), never from the number. Each message
names the form meant: a yearly day is ``date: "12-25"`` (month first, quoted),
one day is ``on: [25.12.2027]``. Pure: the loader passes the text and ``today``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

__all__ = ["source_token", "yearless_words"]

#: Day first with a dot (``25.12``, ``1.1.``), as Russian and German write a date without its year.
_DOTTED: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.?", re.ASCII)
#: Month first with a dash (``12-25``, ``01-01``): the yearly form ``date:`` takes.
_DASHED: Final = re.compile(r"(\d{1,2})-(\d{1,2})", re.ASCII)
#: One YAML scalar as written in a flow or block: quoted, or up to the next separator.
_TOKEN: Final = re.compile(r"""\s*("[^"\n]*"|'[^'\n]*'|[^,\]}#\n]+)""")


def source_token(text: str, line: int, col: int) -> str | None:
    """The scalar written at ``line``:``col`` (1-based) of ``text``, its quotes removed; None: none there."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    m = _TOKEN.match(lines[line - 1], col - 1)
    return m[1].strip().strip("'\"").strip() if m else None


def _month_day(written: str) -> tuple[int, int] | None:
    """``(month, day)`` of a day of the year written without its year, else None."""
    if m := _DOTTED.fullmatch(written):
        month, day = int(m[2]), int(m[1])
    elif m := _DASHED.fullmatch(written):
        month, day = int(m[1]), int(m[2])
    else:
        return None
    try:
        date(2024, month, day)  # a leap year: 29.02 is a day of some year
    except ValueError:
        return None
    return month, day


def _next(month: int, day: int, today: date) -> date:
    """The first ``day``.``month`` on or after ``today``: the one-off day the marketer most likely means."""
    for year in range(today.year, today.year + 8):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February: the next leap year
            continue
        if candidate >= today:
            return candidate
    return date(today.year + 1, month, day)


def yearless_words(written: str, field: str, today: date) -> str | None:
    """What to say of ``written`` (a setting's source text) for the setting ``field`` (its last key:
    ``date``, ``on``, ``extra_days_off``…) when it is a day of the year without a year; None: it is not."""
    read = _month_day(written)
    if read is None:
        return None
    month, day = read
    yearly = f'date: "{month:02d}-{day:02d}"'
    once = f"{_next(month, day, today):%d.%m.%Y}"
    if field == "date":
        return f"{written} is read as a number; a yearly day is written month first, in quotes: {yearly}"
    if field == "on":
        return f"{written} has no year: every year is `{yearly}`, one day is `on: [{once}]`"
    return f"{written} has no year: write the day with its year, {once}"
