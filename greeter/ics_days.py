"""Company days off from an ``.ics`` file (``send_window.days_off_ics``).

Managers keep corporate holidays in a shared calendar; exporting it as
iCalendar is easier than retyping dates into YAML. All-day events (multi-day
ones too, DTEND exclusive), timed events (their start day) and yearly
recurrences are understood; any other recurrence is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from icalendar import Calendar

from greeter.errors import ConfigError, Problem

FIELD = "send_window.days_off_ics"


@dataclass(frozen=True, slots=True)
class IcsEvent:
    day: date
    summary: str
    uid: str


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError([Problem(str(path), FIELD, message)])


def _as_day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"not a date: {value!r}")


def _event_days(component: object, path: Path, years: frozenset[int] | None) -> Iterator[date]:
    start_prop = component.get("dtstart")  # type: ignore[attr-defined]
    if start_prop is None:
        return
    start = _as_day(start_prop.dt)
    end_prop = component.get("dtend")  # type: ignore[attr-defined]
    all_day = not isinstance(start_prop.dt, datetime)
    end = _as_day(end_prop.dt) if end_prop is not None else start + timedelta(days=1)
    length = max((end - start).days, 1) if all_day else 1
    base = [start + timedelta(days=i) for i in range(length)]
    rule = component.get("rrule")  # type: ignore[attr-defined]
    if rule is None:
        yield from base
        return
    freq = [str(f).upper() for f in rule.get("FREQ", [])]
    if freq != ["YEARLY"] or set(rule) - {"FREQ", "INTERVAL", "UNTIL", "COUNT"}:
        summary = str(component.get("summary", ""))  # type: ignore[attr-defined]
        raise _fail(
            path, f"event {summary!r}: only yearly recurrence is supported (got {rule.to_ical().decode()})"
        )
    interval = int(rule.get("INTERVAL", [1])[0])
    until = rule.get("UNTIL", [None])[0]
    count = rule.get("COUNT", [None])[0]
    for n, year in enumerate(sorted(years or {start.year}) if years else [start.year]):
        del n
        k = year - start.year
        if k < 0 or k % interval:
            continue
        if count is not None and k // interval >= int(count):
            continue
        for d in base:
            try:
                moved = d.replace(year=d.year + k)
            except ValueError:  # 29 February
                continue
            if until is not None and moved > _as_day(until):
                continue
            yield moved


def read_ics_events(path: Path, years: Iterable[int] | None = None) -> list[IcsEvent]:
    """Every event day in the file; yearly events are expanded for ``years``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read the calendar file ({exc.strerror})") from None
    try:
        cal = Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as exc:
        raise _fail(path, f"not a valid iCalendar file ({exc})") from None
    wanted = frozenset(years) if years is not None else None
    events: list[IcsEvent] = []
    for component in cal.walk("VEVENT"):
        summary, uid = str(component.get("summary", "")), str(component.get("uid", ""))
        try:
            days = list(_event_days(component, path, wanted))
        except TypeError as exc:
            raise _fail(path, f"event {summary!r}: {exc}") from None
        events.extend(IcsEvent(d, summary, uid) for d in days)
    return events


def days_off_from_ics(path: Path, years: Iterable[int]) -> set[date]:
    """The set of days off the file declares within ``years``.

    The daemon asks on every run (and twice in one: for its look-ahead, then its
    plan); the file is parsed again only when its size or modification time changed.
    """
    wanted = frozenset(years)
    try:
        stat = path.stat()
    except OSError:
        return set(_days_off(path, wanted))  # not cached: read_ics_events says what is wrong
    return set(_cached_days_off(path, wanted, stat.st_mtime_ns, stat.st_size))


def _days_off(path: Path, wanted: frozenset[int]) -> frozenset[date]:
    return frozenset(e.day for e in read_ics_events(path, wanted) if e.day.year in wanted)


@lru_cache(maxsize=16)
def _cached_days_off(path: Path, wanted: frozenset[int], mtime_ns: int, size: int) -> frozenset[date]:
    return _days_off(path, wanted)
