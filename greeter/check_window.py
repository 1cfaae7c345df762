"""``greeter check``'s warnings about the send window: settings that load but do nothing.

Why a warning and not a refusal: such a setting harms no letter — it is a
marketer's intention the window cannot carry out, and they should hear so
before they rely on it. Pure: settings in, problems out (the config file is
read only to point at the line). Also the note on clients whose working week
is not the config's (:func:`other_weeks_note`), and the warning on years whose decreed moved days
off the holidays library lacks (:func:`undecreed_problems`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path

from greeter.calendar_rules import working_week
from greeter.config import Settings
from greeter.config_types import minute_of_day
from greeter.config_window import Weekday
from greeter.errors import Problem


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def ineffective_friday_cutoff(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning for a ``friday_cutoff`` written into the config at or after the day's last sending minute.

    Letters stop ``end_margin_minutes`` before ``hours.end`` every day; a
    Friday cut-off at or after that moment stops nothing, and a marketer who
    wrote ``friday_cutoff: "18:00"`` with ``hours.end: "18:00"`` believes
    Friday afternoons are kept quiet. Only a cut-off set in the file is
    looked at: the default (15:00) under short hours is no one's intention.
    """
    window = settings.send_window
    cutoff = window.friday_cutoff
    if cutoff is None or "friday_cutoff" not in window.model_fields_set:
        return []
    last = window.last_sending_minute(window.hours.end)
    if minute_of_day(cutoff) < last:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("send_window", "friday_cutoff"))
    margin = f" minus end_margin_minutes {window.end_margin_minutes}" if window.end_margin_minutes else ""
    message = (
        f"friday_cutoff {cutoff:%H:%M} changes nothing: letters stop at {_hhmm(last)} every day "
        f'(hours.end {window.hours.end:%H:%M}{margin}); set it earlier (e.g. "15:00") for quiet '
        "Friday afternoons and eves of days off, or to null for no cut-off"
    )
    return [Problem(str(config_file), "send_window.friday_cutoff", message, line, col, severity="warning")]


def other_weeks_note(settings: Settings, countries: Counter[str], year: int) -> list[str]:
    """The note on the contacts whose working week is not ``send_window.working_days``. Pure.

    ``countries``: the contacts' countries (their own, else ``defaults.country``), each with how
    many. An Israeli client's week is Sunday to Thursday (their country's weekend, unless
    ``working_days_by_country`` says otherwise): their Friday birthday is greeted on Thursday,
    and the Friday cut-off falls on Thursday. A marketer who wrote Monday to Friday should
    hear that once, with the countries, before they see a Sunday letter in the preview: a
    note, not a warning, since the week is right.
    """
    window = settings.send_window
    configured = frozenset(day.number for day in window.working_days)
    other: Counter[tuple[str, frozenset[int]]] = Counter()
    for country, count in countries.items():
        week = working_week(window, country, year)
        if week != configured:
            other[(country, week)] += count
    if not other:
        return []
    total = sum(other.values())
    by = ", ".join(
        f"{country} {n}: {week_words(week)}"
        for (country, week), n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0][0]))
    )
    return [
        f"send_window: {total} contacts have another working week than working_days' "
        f"{week_words(configured)}, from their country's weekend or working_days_by_country ({by}):"
        " greeted on its working days, with the Friday cut-off on the last one"
    ]


def week_words(week: frozenset[int]) -> str:
    """``sun–thu`` for Israel's week: from the day after a day off, a run written as its ends."""
    days = list(Weekday)
    if len(week) == len(days):
        return "mon–sun"
    first = next(d for d in sorted(week) if (d - 1) % 7 not in week)
    ordered = [(first + i) % 7 for i in range(7) if (first + i) % 7 in week]
    run = len(ordered) == 1 or all((b - a) % 7 == 1 for a, b in pairwise(ordered))
    if run and len(ordered) > 2:
        return f"{days[ordered[0]].value}–{days[ordered[-1]].value}"
    return ", ".join(days[d].value for d in ordered)


def undecreed_problems(
    settings: Settings, config_file: Path, countries: Counter[str], today: date
) -> list[Problem]:
    """A warning for each year ``check`` looks at (this and the next) whose moved days off the
    holidays library lacks for a country of the clients that moves them by decree
    (:mod:`greeter.decreed_days`): Russia's 2028, checked in November 2027. ``countries``: the
    contacts' countries (their own, else ``defaults.country``). Located at the config's
    ``regional_days_off``, where the days are given, else at ``defaults.country`` — or, for a
    country only contact rows name (KZ clients of a ``defaults.country: UZ`` project), at the
    contacts' country column, saying how many rows and in which file: ``defaults.country: UZ``
    was pointed at for KZ's missing days, which UZ does not have."""
    from greeter.config_loader import locate
    from greeter.decreed_days import undecreed, undecreed_words

    given = {code: own.days for code, own in settings.send_window.regional_days_off.items()}
    found = undecreed([settings.defaults.country, *countries], [today.year, today.year + 1], today, given)
    if not found:
        return []
    default = settings.defaults.country.partition("-")[0]
    column = settings.contacts.columns.country
    problems: list[Problem] = []
    for country, year in found:
        words = undecreed_words(country, year)
        if settings.send_window.regional_days_off:
            where: tuple[str, ...] = ("send_window", "regional_days_off")
        elif country == default or not column:
            where = ("defaults", "country")
        else:
            where = ("contacts", "columns", "country")
            rows = sum(n for code, n in countries.items() if code.partition("-")[0] == country)
            path = settings.contacts.path
            if path is not None and path.is_relative_to(config_file.parent):  # as the config says it
                path = path.relative_to(config_file.parent)
            source = f" in {path}" if path is not None else ""
            words += f" (the country of {rows} contact(s){source}, column {column!r})"
        line, col = locate(config_file, where)
        problems.append(Problem(str(config_file), ".".join(where), words, line, col, severity="warning"))
    return problems
