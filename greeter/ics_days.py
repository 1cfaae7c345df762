"""Company days off from an ``.ics`` file (``send_window.days_off_ics``), and company occasions.

Managers keep corporate holidays in a shared calendar; exporting it as
iCalendar is easier than retyping dates into YAML. An all-day event is a day
off (a multi-day one each of its days, DTEND exclusive); recurrences are
expanded by ``recurring-ical-events`` as calendar apps show them — any RRULE
and RDATE, without the EXDATE'd days, with a RECURRENCE-ID override moving
(or cancelling) its occurrence. A cancelled event (``STATUS:CANCELLED``) is
no day off. An event with a time of day ("корпоратив с обеда", 14:00–18:00)
is no day off either: the letters of that day still go out in the morning;
:func:`read_days_off` lists such events so that ``greeter check`` can say
they were ignored. (A timed event from midnight to midnight, as some
exports write an all-day one, counts as its whole days.)

The same reading serves an occasion's ``ics`` (the company's own days to
greet on, kept in the same shared calendar): each all-day occurrence is
greeted once, on its first day (:attr:`DaysOff.first_days`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from icalendar import Calendar

from greeter.errors import ConfigError, Problem

__all__ = [
    "FIELD", "DaysOff", "TimedEvent", "days_off_from_ics", "occasion_field", "read_days_off", "timed_warning",
]  # fmt: skip


def occasion_field(index: int) -> str:
    """The setting an occasion's calendar file is named by, as problems name it: ``occasions.3.ics``."""
    return f"occasions.{index}.ics"


FIELD = "send_window.days_off_ics"


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """An event with a time of day: not a day off (its first occurrence in the years asked for)."""

    summary: str
    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class DaysOff:
    """What a calendar file declares for some years: its days off, and the timed events ignored."""

    days: frozenset[date]
    #: The first day of each all-day occurrence: an occasion's days (a three-day event is one greeting).
    first_days: frozenset[date]
    #: One per event (a recurring one: its first occurrence), in the order of their start.
    timed: tuple[TimedEvent, ...]


def _fail(path: Path, message: str, field: str) -> ConfigError:
    return ConfigError([Problem(str(path), field, message)])


def _whole_days(start: Any, end: Any) -> list[date] | None:
    """The days an occurrence takes whole, or None for one with a time of day."""
    if not isinstance(start, datetime):  # VALUE=DATE: all day, DTEND exclusive
        last = end if isinstance(end, date) and not isinstance(end, datetime) else start + timedelta(days=1)
        return [start + timedelta(days=i) for i in range(max((last - start).days, 1))]
    if isinstance(end, datetime) and start.time() == end.time() == time(0) and end > start:
        return [start.date() + timedelta(days=i) for i in range((end.date() - start.date()).days)]
    return None


def read_days_off(path: Path, years: Iterable[int], field: str = FIELD) -> DaysOff:
    """The days off the file declares within ``years``, and its events with a time of day.

    The daemon asks on every run (and twice in one: for its look-ahead, then its
    plan); the file is parsed again only when its size or modification time changed.
    Raises :class:`ConfigError` (``file: FIELD: cause``, ``field`` being the
    setting that names the file) for a file that cannot be read or is not iCalendar.
    """
    wanted = frozenset(years)
    try:
        stat = path.stat()
    except OSError:
        return _read(path, wanted, field)  # not cached: _read says what is wrong
    return _cached(path, wanted, stat.st_mtime_ns, stat.st_size, field)


def days_off_from_ics(path: Path, years: Iterable[int]) -> set[date]:
    """The set of days off the file declares within ``years`` (see :func:`read_days_off`)."""
    return set(read_days_off(path, years).days)


@lru_cache(maxsize=16)
def _cached(path: Path, wanted: frozenset[int], mtime_ns: int, size: int, field: str) -> DaysOff:
    return _read(path, wanted, field)


def _read(path: Path, wanted: frozenset[int], field: str) -> DaysOff:
    import recurring_ical_events  # with its dateutil rules: only when a calendar file is used

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read the calendar file ({exc.strerror})", field) from None
    try:
        cal = Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as exc:
        raise _fail(path, f"not a valid iCalendar file ({exc})", field) from None
    if not isinstance(cal, Calendar) or cal.name != "VCALENDAR":
        raise _fail(path, "not a valid iCalendar file (no VCALENDAR)", field)
    if not wanted:
        return DaysOff(frozenset(), frozenset(), ())
    first, last = min(wanted), max(wanted)
    try:
        occurrences = list(recurring_ical_events.of(cal).between(date(first, 1, 1), date(last + 1, 1, 1)))
    except (ValueError, TypeError) as exc:  # recurring_ical_events.InvalidCalendar is a ValueError
        raise _fail(path, f"not a valid iCalendar file ({exc})", field) from None
    days: set[date] = set()
    first_days: set[date] = set()
    timed: dict[str, TimedEvent] = {}
    for event in occurrences:
        if str(event.get("status", "")).upper() == "CANCELLED":
            continue
        start_prop = event.get("dtstart")
        if start_prop is None:
            continue
        end_prop = event.get("dtend")
        start, end = start_prop.dt, end_prop.dt if end_prop is not None else None
        whole = _whole_days(start, end)
        if whole is not None:
            days.update(d for d in whole if d.year in wanted)
            if whole[0].year in wanted:
                first_days.add(whole[0])
            continue
        summary = " ".join(str(event.get("summary", "")).split())
        uid = str(event.get("uid", "")) or f"{summary}@{start.isoformat()}"
        seen = timed.get(uid)
        if seen is None or start.replace(tzinfo=None) < seen.start.replace(tzinfo=None):
            timed[uid] = TimedEvent(summary, start, end if isinstance(end, datetime) else None)
    ordered = sorted(timed.values(), key=lambda e: (e.start.replace(tzinfo=None), e.summary))
    return DaysOff(frozenset(days), frozenset(first_days), tuple(ordered))


#: Timed events a warning names; the rest are counted.
_NAMED_TIMED = 3


def timed_warning(path: Path, timed: Iterable[TimedEvent], field: str = FIELD) -> Problem:
    """One warning for the events with a time of day, which are not days off: what and when.

    ``field`` another than ``send_window.days_off_ics`` is an occasion's ``ics``:
    its timed events are no days to greet on, for the same reason.
    """
    off = field == FIELD
    events = list(timed)
    shown = ", ".join(
        f"{e.summary or '(no title)'!r} ({e.start:%d.%m.%Y %H:%M}"
        + (f"–{e.end:%H:%M}" if e.end is not None and e.end.date() == e.start.date() else "")
        + ")"
        for e in events[:_NAMED_TIMED]
    )
    if len(events) > _NAMED_TIMED:
        shown += f" and {len(events) - _NAMED_TIMED} more"
    day, days = ("a day off", "days off") if off else ("a day to greet on", "days to greet on")
    if len(events) == 1:
        what = f"1 event with a time of day is not {day}, so it is ignored"
    else:
        what = f"{len(events)} events with a time of day are not {days}, so they are ignored"
    fix = "if the whole day is off" if off else "to greet on its day"
    message = f"{what}: {shown}; make it an all-day event {fix}"
    return Problem(str(path), field, message, severity="warning")
