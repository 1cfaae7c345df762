"""Which holiday a name the calendar does not know was meant to be — for ``check``'s hint; pure.

A marketer writes a holiday the way people say it: "8 марта" for
International Women's Day, "9 мая" for Victory Day; or misspells it
("Defender of Fatherland Day", "Womans day"). The hint names the holiday
meant, in the language it was written in. A name that only looks alike —
"День матери" next to "День России", both "День …" — is no holiday meant:
a hint that misleads is worse than the list of known holidays, so a name is
suggested only when every word typed is (nearly) a word of it, or the whole
text is a close misspelling of it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from greeter.holiday_tables import days_of, split_code
from greeter.occasions import holiday_key, known_holidays

#: How alike a word typed and a word of a name must be to count as that word ("женскй" → "женский").
WORD_CUTOFF = 0.75
#: How alike the whole text and a name must be when the words do not match one by one:
#: high, so that "День матери" does not suggest "День России" (0.64).
WHOLE_CUTOFF = 0.8
#: Languages whose month names are read in a day written as "8 марта", besides the country's own:
#: the project's markets write to each other in Russian and English.
_MONTH_LOCALES = ("ru", "uk", "en")

_DAY_MONTH = re.compile(r"^(\d{1,2})\.?\s+(\w+)\.?$|^(\w+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")


def meant_holiday(typed: str, country: str, years: Sequence[int]) -> str | None:
    """The name of ``country``'s holiday ``typed`` most likely means, or None when none is close.

    A day and month ("8 марта", "March 8") is the holiday on that day; else
    the name whose words hold every word typed; else a close misspelling of
    the whole. The name is given in the language typed: the country's own
    for a name with letters outside ASCII, English otherwise.
    """
    holidays = known_holidays(country, years)
    by_key = {holiday_key(name): names for names in holidays for name in names}
    wanted = holiday_key(typed)
    on_day = _holiday_on_day(wanted, country, years)
    if on_day is not None:
        return _in_language_of(typed, on_day)
    words = wanted.split()
    keys = list(by_key)
    covering = [
        key
        for key in keys
        if all(difflib.get_close_matches(w, key.split(), n=1, cutoff=WORD_CUTOFF) for w in words)
    ]
    close = difflib.get_close_matches(wanted, covering or keys, n=1, cutoff=0.0 if covering else WHOLE_CUTOFF)
    if not close:
        return None
    names = by_key[close[0]]
    # The name written matched: keep its language (a misspelt English name in English).
    return next(name for name in names if holiday_key(name) == close[0])


def _holiday_on_day(wanted: str, country: str, years: Sequence[int]) -> tuple[str, ...] | None:
    """The names of the holiday on the day ``wanted`` spells ("8 марта"), if it is one and has one."""
    match = _DAY_MONTH.match(wanted)
    if match is None:
        return None
    day_text, month_text = (match[1], match[2]) if match[1] else (match[4], match[3])
    month = _months(country).get(month_text)
    if month is None:
        return None
    for year in years:
        try:
            day = date(year, month, int(day_text))
        except ValueError:
            return None
        greetable = [h for h in days_of(country, year).get(day, ()) if not h.substitute]
        if greetable:
            return greetable[0].names
    return None


@lru_cache(maxsize=64)
def _months(country: str) -> dict[str, int]:
    """Month names, as :func:`holiday_key` writes them, → month number: wide and abbreviated, both
    the form after a day ("марта") and the standalone one ("март"), in the country's languages."""
    from babel import Locale, UnknownLocaleError
    from babel.languages import get_official_languages

    code, _ = split_code(country)
    locales = dict.fromkeys((*get_official_languages(code), *_MONTH_LOCALES))
    months: dict[str, int] = {}
    for name in locales:
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, month in locale.months[context][width].items():
                    months.setdefault(holiday_key(month).rstrip("."), number)
    return months


def _in_language_of(typed: str, names: tuple[str, ...]) -> str:
    """English for a text in ASCII letters, else the country's own name (the last one)."""
    return names[0] if typed.isascii() else names[-1]
