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
from greeter.config_window import MONDAY_TO_FRIDAY, Weekday
from greeter.errors import Problem
from greeter.holiday_tables import weekend_of


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


def everyones_week_problems(
    settings: Settings, config_file: Path, countries: Counter[str], year: int
) -> list[Problem]:
    """A warning when a ``working_days`` other than Monday to Friday takes working days from clients.

    Such a week is every client's (:meth:`~greeter.config_window.SendWindow.fixed_week`), where
    ``working_days_by_country`` names no other: a Tel Aviv office that wrote ``[sun, mon, tue,
    wed, thu]`` for itself gave it to its Moscow partners too — no letter on their Fridays, one
    on their Sundays. Said per country of the contacts (``countries``: their own, else
    ``defaults.country``, each with how many) whose own week (its weekend's in ``year``) has a
    working day the configured week lacks; a week that only adds days (a company greeting on
    Saturdays) takes none and is not warned. Pure but for the config file read for the line.
    """
    window = settings.send_window
    configured = frozenset(day.number for day in window.working_days)
    if configured == MONDAY_TO_FRIDAY:
        return []
    own = {c: frozenset(range(7)) - weekend_of(c, year) for c in countries if c}
    losing = {
        c: week for c, week in own.items() if window.fixed_week(c) == configured and not week <= configured
    }
    if not losing:
        return []
    from greeter.config_loader import locate

    names = list(Weekday)

    def days(numbers: frozenset[int]) -> str:
        return ", ".join(names[d].value for d in sorted(numbers))

    def said(country: str, week: frozenset[int]) -> str:
        n = countries[country]
        extra = f", letters on {days(configured - week)}" if configured - week else ""
        return (
            f"{n} contact{'' if n == 1 else 's'} in {country} (their week {week_words(week)}:"
            f" none on {days(week - configured)}{extra})"
        )

    listed = "; ".join(
        said(c, w) for c, w in sorted(losing.items(), key=lambda kv: (-countries[kv[0]], kv[0]))
    )
    mine = (
        next((c for c, w in sorted(own.items()) if w == configured), None)
        or settings.defaults.country
        or "IL"
    )
    written = ", ".join(names[d].value for d in (_in_order(configured) if len(configured) < 7 else range(7)))
    line, col = locate(config_file, ("send_window", "working_days"))
    message = (
        f"working_days {week_words(configured)} is the week of every client, not only this office's:"
        f" {listed};"
        f" for one country's week write working_days_by_country: {{{mine}: [{written}]}} and leave"
        " working_days at mon–fri (each other client keeps their country's week)"
    )
    return [Problem(str(config_file), "send_window.working_days", message, line, col, severity="warning")]


def _in_order(week: frozenset[int]) -> list[int]:
    """A week's days (not all seven) from the day after a day off: Israel's from Sunday."""
    first = next(d for d in sorted(week) if (d - 1) % 7 not in week)
    return [(first + i) % 7 for i in range(7) if (first + i) % 7 in week]


def week_words(week: frozenset[int]) -> str:
    """``sun–thu`` for Israel's week: from the day after a day off, a run written as its ends."""
    days = list(Weekday)
    if len(week) == len(days):
        return "mon–sun"
    ordered = _in_order(week)
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
