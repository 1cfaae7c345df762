"""``check``'s word on holiday occasions once the clients' countries are known.

A holiday without ``country:`` is each client's own country's, so loading
the config can only tell a name no country has (a typo) from one some
country has; whether any client's country has it is known only here, where
the contacts are read. And a name may cover more than one day a year:
Hungary's "National Day" is 15 March (1848) and 23 October (1956), both
greeted, which the occasion's one line in the config does not show.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path

from greeter.config import Occasion, Settings
from greeter.errors import Problem
from greeter.holiday_names import have, listed, who_has
from greeter.holiday_tables import has_calendar
from greeter.occasions import countries_having, holiday_dates


def holiday_problems(
    settings: Settings, config_file: Path, client_countries: Collection[str], today: date
) -> list[Problem]:
    """Warnings for holiday occasions: a name no client's country has, a name on several days a year.

    ``client_countries``: the calendars of the contacts read (their country,
    else the default one). Warnings, not errors: a client of the country that
    has the holiday may come with the next export.
    """
    from greeter.config_loader import locate

    years = [today.year, today.year + 1]
    default = settings.defaults.country
    clients = sorted(c for c in {*client_countries, default} if has_calendar(c))
    problems: list[Problem] = []
    for index, occ in enumerate(settings.occasions):
        if occ.holiday is None:
            continue
        messages: list[str] = []
        if occ.country is not None:
            applies = [occ.country] if has_calendar(occ.country) else []
        else:
            greeted = [c for c in clients if _for(occ, c)]
            applies = countries_having(occ.holiday, greeted, years)
            if not applies and occ.audience.countries is None:
                messages.append(_nobody(occ.holiday, greeted, years))
        messages.extend(m for country in applies if (m := _several_days(occ.holiday, country, years)))
        where = ("occasions", index, "holiday")
        line, col = locate(config_file, where)
        field = ".".join(str(p) for p in where)
        problems.extend(Problem(str(config_file), field, m, line, col, severity="warning") for m in messages)
    return problems


def _for(occ: Occasion, country: str) -> bool:
    """Whether an occasion without ``country:`` greets clients of ``country`` ("GB" takes GB-ENG)."""
    wanted = occ.audience.countries
    return wanted is None or country in wanted or country.partition("-")[0] in wanted


def _nobody(name: str, greeted: list[str], years: list[int]) -> str:
    """No client's country has the holiday: it greets nobody (yet); which countries would."""
    havers = who_has(name, [], years)
    where = f"{have(havers)} it: a client there is greeted on it" if havers else "no country has it"
    return (
        f"none of the clients' countries ({listed(greeted)}) has a holiday named {name!r}, so it greets "
        f"nobody; {where}"
    )


def _several_days(name: str, country: str, years: list[int]) -> str | None:
    """``country``'s holiday ``name`` falls on more than one day a year: say which, and how to pick one."""
    for year in years:
        days = holiday_dates(country, name, year)
        if len(days) > 1:
            shown = " and ".join(f"{d:%d.%m}" for d in days)
            which = "both are" if len(days) == 2 else f"all {len(days)} are"
            return (
                f"{country} has {name!r} on {shown}: {which} greeted; to greet one, write "
                f'date: "{days[0]:%m-%d}" with country: {country} and a title instead of holiday:'
            )
    return None
