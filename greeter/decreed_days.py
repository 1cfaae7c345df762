"""The years a plan reaches whose decreed moved days off the ``holidays`` library lacks — pure.

Some countries move days off by a decree each year: Russia's government sets the
next year's transfers (and, by the Labour Code art. 112, a holiday on a weekend
moves to the next working day) in the autumn before; Belarus, Kazakhstan, China,
Hungary, … likewise. The library encodes each year's by hand, up to the last one
published when it was released (0.109: Russia's up to 2027), and has none after:
in 2028 Unity Day falls on Saturday 4 November, so Monday 6 November is off, and
a plan greeted a birthday on it without a word. ``check`` warns and ``preview``
notes such a year, naming the country, so that the missing days can be given
(``send_window.regional_days_off``, ``extra_days_off``) or the library upgraded.

Which countries, and up to which year, is the library's own data
(:func:`~greeter.holiday_tables.decreed_years`). A country whose last moved days
are long past stopped moving them (Bulgaria's last are of 2016, Ukraine's of
2022): one is taken to move them still while the library has some for last
year or later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from greeter.holiday_tables import decreed_years, has_calendar


def undecreed(
    countries: Iterable[str],
    years: Iterable[int],
    today: date,
    given: Mapping[str, Iterable[date]] | None = None,
) -> list[tuple[str, int]]:
    """(country, year) for each of ``years`` after the last one the library has ``country``'s moved
    days off for, of a country that still moves them by decree (some for ``today``'s year less
    one, or later); a region ("RU-TA") counts as its country. In order, each once.

    ``given``: the days off the config gives each country itself (``send_window.regional_days_off``,
    keyed by country): a year it gives one of is the decree typed in, as the warning asks —
    a Minsk office added ``BY: {days: [08.01.2027]}`` and was told to add them still.
    """
    found: dict[tuple[str, int], None] = {}
    wanted = sorted(set(years))
    typed = {country: {day.year for day in days} for country, days in (given or {}).items()}
    for country in dict.fromkeys(code.partition("-")[0] for code in countries):
        if not has_calendar(country):
            continue
        known = decreed_years(country)
        if not known or known[-1] < today.year - 1:
            continue
        found.update(
            ((country, year), None)
            for year in wanted
            if year > known[-1] and year not in typed.get(country, ())
        )
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def undecreed_words(country: str, year: int) -> str:
    """What ``check`` and ``preview`` say of a year whose moved days off the library lacks."""
    return (
        f"the holidays library has no moved days off of {country} for {year} (set by a decree each"
        f" year): days off may be missing; add them to send_window.regional_days_off ({country}:"
        " {days: [...]}) or extra_days_off"
    )
