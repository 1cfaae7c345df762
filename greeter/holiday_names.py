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

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from greeter.holiday_tables import greeted_days_of, library_countries, split_code, unmarked
from greeter.occasions import countries_having, holiday_key, known_holidays

#: How alike a word typed and a word of a name must be to count as that word ("женскй" → "женский").
WORD_CUTOFF = 0.75
#: How alike the whole text and a name must be when the words do not match one by one:
#: high, so that "День матери" does not suggest "День России" (0.64).
WHOLE_CUTOFF = 0.8
#: Languages whose month names are read in a day written as "8 марта", besides the country's own:
#: the project's markets write to each other in Russian and English.
_MONTH_LOCALES = ("ru", "uk", "en")

#: How many countries a message names before "and N more".
_SHOWN = 4

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
    import difflib  # a hint for a mistake only

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
        greetable = [h for h in greeted_days_of(country, year).get(day, ()) if not h.substitute]
        if greetable:
            return greetable[0].names
    return None


@lru_cache(maxsize=64)
def _months(country: str) -> dict[str, int]:
    """Month names, as :func:`holiday_key` writes them, → month number: wide and abbreviated, both
    the form after a day ("марта") and the standalone one ("март"), in the country's languages
    (Serbian's in both scripts, with its genitive: :data:`greeter.i18n.SERBIAN_GENITIVE`)."""
    from babel import Locale, UnknownLocaleError
    from babel.languages import get_official_languages

    code, _ = split_code(country)
    official = get_official_languages(code)
    # Serbian in both its scripts, and with the genitive a day takes («7. јануара»), which CLDR lacks.
    serbian = ("sr_Latn",) if "sr" in official else ()
    locales = dict.fromkeys((*official, *serbian, *_MONTH_LOCALES))
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
    if serbian:
        from greeter.i18n import SERBIAN_GENITIVE

        months.update({gen: months[nom] for nom, gen in SERBIAN_GENITIVE.items() if nom in months})
    return months


def _in_language_of(typed: str, names: tuple[str, ...]) -> str:
    """English for a text in ASCII letters, else the country's own name (the second; Serbia's
    holidays have their Latin spellings after it: :func:`greeter.holiday_naming._serbian_latin`)."""
    return names[0] if typed.isascii() or len(names) == 1 else names[1]


def _shown(names: tuple[str, ...]) -> str:
    """A holiday's names for the list of known ones: "Orthodox Christmas Day / Божић / Božić".

    Without the spellings that only drop a name's diacritics ("Bozic"): they
    are accepted, but listing them would double a Serbian list for nothing.
    """
    from greeter.serbian_script import to_ascii

    typed = {to_ascii(n) for n in names if to_ascii(n) != n}
    return " / ".join(n for n in names if n not in typed)


def listed(codes: Sequence[str]) -> str:
    """``"EE, FI, LT, LV and 103 more"``: the first few of many country codes, for a one-line message."""
    head = ", ".join(codes[:_SHOWN])
    return head + (f" and {len(codes) - _SHOWN} more" if len(codes) > _SHOWN else "")


def have(codes: Sequence[str]) -> str:
    """``"EE has"``, ``"EE, HU have"``: the countries as a message's subject."""
    return f"{listed(codes)} {'has' if len(codes) == 1 else 'have'}"


def who_has(name: str, first: Sequence[str], years: Sequence[int]) -> list[str]:
    """Every country with a holiday called ``name``: those of ``first`` (the config's, the clients'),
    then the rest of the library's in alphabetical order (all ~250 read: 0.25 s a year, measured)."""
    found = countries_having(name, first, years)
    rest = [code for code in library_countries() if code not in found and code not in first]
    return found + countries_having(name, rest, years)


def unknown_holiday(name: str, country: str, years: Sequence[int]) -> str | None:
    """Why ``country`` has no holiday called ``name`` (with the one meant, else the list); None: it has."""
    holidays = known_holidays(country, years)
    if holiday_key(unmarked(country, name)) in {holiday_key(n) for names in holidays for n in names}:
        return None
    if not holidays:  # not one holiday in those years: out of the calendar's years, or none listed
        from greeter.holiday_tables import covered_years

        covered = covered_years(country)
        span = f"{min(years)}–{max(years)}"
        if covered.start <= min(years) and max(years) < covered.stop:
            # Said as it is: "covers UA from 1991 to 2100" under "no days in 2026–2027" contradicted itself.
            said = f"the holidays library lists no holiday of {country} in {span}"
            return f"{said}, public, optional or celebrated at work"
        return (
            f"{country}'s holiday calendar has no days in {span}: the holidays"
            f" library covers {country} from {covered.start} to {covered.stop - 1}"
        )
    meant = meant_holiday(name, country, years)
    listing = "; ".join(_shown(names) for names in holidays)
    hint = f", did you mean {meant!r}?" if meant else f" (known: {listing})"
    return f"{country} has no holiday named {name!r}{hint}"


def unowned_holiday(
    name: str,
    default: str,
    greeted: Sequence[str] | None,
    configured: Sequence[str],
    years: Sequence[int],
) -> str | None:
    """Why a holiday without ``country:`` is no holiday of the countries it greets, or None if it is.

    It is each client's own country's. ``greeted`` is its
    ``audience.countries`` (with their regions), or None when it is for every
    client: their countries are known only to ``check``, which reads the
    contacts, so here the name is good when ``configured`` (the default
    country and every country the config names) or any country at all has it
    (``check`` warns when no client's country does). A name no country has is
    a typo: the default country's did-you-mean. Else the answer names the
    countries that have it.
    """
    pool = configured if greeted is None else greeted
    if countries_having(name, pool, years, limit=1):
        return None
    if greeted is None and countries_having(name, library_countries(), years, limit=1):
        return None
    havers = [] if greeted is None else who_has(name, configured, years)
    if not havers:
        return unknown_holiday(name, default, years)
    fix = f"add country: {havers[0]}" if havers[0] in configured else "add country: with the one you mean"
    named = [code for code in pool if "-" not in code] or list(pool)
    return (
        f"{have(named)} no holiday named {name!r}; {have(havers)} it: {fix} "
        "(or add it to audience.countries to leave it to each client's country)"
    )
