"""``greeter check``'s look at settings only reading further shows wrong.

Name columns written beside ``contacts.columns.full_name`` (never read), a holiday
another letter may carry weeks late (no bound set on merging), the
iCalendar files of days off and of occasions, read as a plan would read
them, and an ``http.port`` something other than this project's daemon holds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from greeter.check_report import CheckReport
from greeter.config import Settings
from greeter.errors import ConfigError, Problem


def full_name_overlap(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning at each name column written beside ``contacts.columns.full_name``: it is not read.

    With a full-name column the loader takes every name from it, so a
    ``first_name: Имя`` also written was ignored without a word, and a
    marketer who fixed a name in the Имя column saw no change. Only settings
    written in the file count (the defaults are no one's choice), and
    ``null`` says "no such column".
    """
    from greeter.config_loader import locate
    from greeter.sources.columns import NAME_PARTS

    columns = settings.contacts.columns
    if not columns.full_name:
        return []
    problems: list[Problem] = []
    for part in NAME_PARTS:
        column = getattr(columns, part)
        line, col = locate(config_file, ("contacts", "columns", part))
        if column is None or line is None:
            continue
        message = (
            f"contacts.columns.full_name is set, so names are read from column {columns.full_name!r}"
            f" only and column {column!r} is not read: remove this setting (or write {part}: null)"
        )
        problems.append(
            Problem(str(config_file), f"contacts.columns.{part}", message, line, col, severity="warning")
        )
    return problems


def check_days_off(report: CheckReport, settings: Settings, today: date) -> None:
    """Read ``send_window.days_off_ics`` as a plan would, for this year and the next.

    A file that cannot be read or is not iCalendar is an error (``preview``,
    ``send`` and ``run`` stop at it); its events with a time of day, which are
    no day off, are one warning.
    """
    years = range(today.year, today.year + 2)
    path = settings.send_window.days_off_ics
    if path is not None:
        from greeter.ics_days import read_days_off, timed_warning

        try:
            found = read_days_off(path, years, zone=settings.defaults.timezone)
        except ConfigError as exc:
            report.days_off = (str(path), False, "not read (see above)")
            report.problems.extend(exc.problems)
            report.days_off_errors += len(exc.problems)
        else:
            report.days_off = (str(path), True, f"{len(found.days)} day(s) off in {years[0]}–{years[-1]}")
            if found.timed:
                report.problems.append(timed_warning(path, found.timed))
    check_regional_days_off(report, settings, years)
    check_occasion_calendars(report, settings, years)


def check_regional_days_off(report: CheckReport, settings: Settings, years: range) -> None:
    """Say each region's (or country's) own days off (``send_window.regional_days_off``) in
    ``years``, its ``ics`` read as a plan reads it: a file that cannot be read is an error, as
    ``days_off_ics`` is."""
    from greeter.calendar_rules import borrowed_days_off
    from greeter.ics_days import read_days_off, timed_warning

    window = settings.send_window
    for code, region in window.regional_days_off.items():
        days = {d for d in region.days if d.year in years}
        days.update(*(borrowed_days_off(window.borrowed_holidays(code), year) for year in years))
        where = "send_window.regional_days_off"
        if region.ics is not None:
            field = f"{where}.{code}.ics"
            try:
                found = read_days_off(region.ics, years, field, settings.defaults.timezone)
            except ConfigError as exc:
                report.regional_days_off.append((code, f"{region.ics}: not read (see above)"))
                report.problems.extend(exc.problems)
                report.days_off_errors += len(exc.problems)
                continue
            days |= found.days
            where = str(region.ics)
            if found.timed:
                report.problems.append(timed_warning(region.ics, found.timed, field))
        whose = "for its clients only" if "-" in code else "for all its clients (its regions' too)"
        detail = f"{where}: {len(days)} day(s) off in {years[0]}–{years[-1]}, {whose}"
        report.regional_days_off.append((code, detail))


def check_occasion_calendars(report: CheckReport, settings: Settings, years: range) -> None:
    """Read each occasion's ``ics`` as a plan would: unreadable is an error, nothing in it a warning."""
    from greeter.ics_days import occasion_field, read_days_off, timed_warning

    for index, occ in enumerate(settings.occasions):
        if occ.ics is None:
            continue
        field = occasion_field(index)
        try:
            found = read_days_off(occ.ics, years, field, settings.defaults.timezone)
        except ConfigError as exc:
            report.problems.extend(exc.problems)
            report.days_off_errors += len(exc.problems)
            continue
        if found.timed:
            report.problems.append(timed_warning(occ.ics, found.timed, field))
        if not found.first_days:
            message = f"no all-day event in {years[0]}–{years[-1]}: occasion {occ.name!r} greets nobody then"
            report.problems.append(Problem(str(occ.ics), field, message, severity="warning"))


def taken_http_port(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when ``http.port`` is held by anything but this project's own daemon.

    Only with ``http.enabled``. This project's daemon holding it is normal (it
    is running) and says nothing; another project's daemon, a program that is
    not greeter, or a holder that does not say who it is would keep ``greeter
    run`` from listening (:mod:`greeter.port_holder`): the holder is asked
    once for ``/healthz``, as the daemon asks.
    """
    http = settings.http
    if not http.enabled or http.port == 0:
        return []
    from greeter.config_loader import locate
    from greeter.port_holder import ask_holder, port_in_use, taken_why

    if not port_in_use(http.host, http.port):
        return []
    holder = ask_holder(http.host, http.port)
    if holder is not None and holder.same_project(config_file):
        return []
    why, _ = taken_why(holder, config_file)
    line, col = locate(config_file, ("http", "port"))
    message = f"{http.host}:{http.port}: {why}; greeter run cannot listen there while it is held"
    return [Problem(str(config_file), "http.port", message, line, col, severity="warning")]


def unserved_fallbacks(settings: Settings, files: dict[str, list[Path]], config_file: Path) -> list[Problem]:
    """A warning at each ``defaults.fallback_locales`` pair whose language no template has a file of.

    ``{lt: en}`` with no ``*.en.j2`` sends the Lithuanian clients the default
    (``defaults.locale``) letter as before: the setting reads as a fix and is
    none. ``files``: each occasion template's files, as the renderer lists them.
    A target in the default letters' language is served by the unsuffixed file.
    """
    from greeter.config_loader import locate
    from greeter.i18n import normalize_locale
    from greeter.template_snapshot import SUFFIX

    default = normalize_locale(settings.defaults.locale, settings.defaults.locale).split("_")[0]
    languages = {
        normalize_locale(path.name[len(name) + 1 : -len(SUFFIX)], "").split("_")[0]
        for name, paths in files.items()
        for path in paths
    }
    problems: list[Problem] = []
    for locale, target in settings.defaults.fallback_locales.items():
        language = normalize_locale(target, target).split("_")[0]
        if language == default or language in languages:
            continue
        wanted = ", ".join(f"{name}.{language}{SUFFIX}" for name in files)
        message = (
            f"{locale}: {target} has no letter of its own ({wanted} missing): its clients get the "
            f"default letter ({default}); add those files, or name a language that has them"
        )
        line, col = locate(config_file, ("defaults", "fallback_locales", locale))
        problems.append(
            Problem(
                str(config_file),
                f"defaults.fallback_locales.{locale}",
                message,
                line,
                col,
                severity="warning",
            )
        )
    return problems


#: Days late a holiday's wishes may ride in another letter before ``check`` says so: a week is
#: still around its day («happy New Year» on 4 January), 13 days (11 January) is not. The
#: starters' ``frequency_cap.holiday_merge_max_days_late``.
LATE_HOLIDAY_DAYS = 7


def late_holiday_merges(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning at each calendar-dated occasion another letter may carry long after its day.

    With neither ``merge_max_days_late`` on it nor ``frequency_cap.holiday_merge_max_days_late``
    set, a higher-priority occasion's letter carries it up to ``min_gap_days − 1`` days late (more
    when that letter is moved after days off): an English starter's Russian clients got «Merry
    belated Christmas and a happy New Year» on 11 January, New Year dragged 13 days along by
    Orthodox Christmas, and check warned of Christmas's date but not of that. Either setting
    written — ``null`` included — is a choice and silences it; a date column's occasion (a
    belated anniversary near another letter) is what merging is for, and an occasion no other
    outranks or equals is never carried.
    """
    from greeter.config_loader import locate

    cap = settings.frequency_cap
    reach = cap.min_gap_days - 1
    if reach <= LATE_HOLIDAY_DAYS or "holiday_merge_max_days_late" in cap.model_fields_set:
        return []
    problems: list[Problem] = []
    for index, occ in enumerate(settings.occasions):
        if occ.field is not None or not occ.merge or "merge_max_days_late" in occ.model_fields_set:
            continue
        leads = [
            o.name for o in settings.occasions if o is not occ and o.merge and o.priority >= occ.priority
        ]
        if not leads:
            continue
        where = ("occasions", index, "merge_max_days_late")
        line, col = locate(config_file, where)
        message = (
            f"a letter of {', '.join(leads)} (priority {occ.priority} or more) may carry {occ.name}'s wishes"
            f" {reach} days or more after its day (frequency_cap.min_gap_days {cap.min_gap_days}; «happy"
            " New Year» on 11 January): set frequency_cap.holiday_merge_max_days_late:"
            f" {LATE_HOLIDAY_DAYS} (later, it is skipped, saying why), or merge_max_days_late: null here"
            " to keep them however late"
        )
        problems.append(
            Problem(str(config_file), ".".join(map(str, where)), message, line, col, severity="warning")
        )
    return problems
