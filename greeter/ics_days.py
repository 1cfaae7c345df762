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
exports write an all-day one, counts as its whole days — midnight in the
company's time zone, ``defaults.timezone``: an export that writes a Moscow
day off 2 January in UTC, ``DTSTART:20270101T210000Z`` to
``20270102T210000Z``, is that day, not a timed event on 1 January.)

The same reading serves an occasion's ``ics`` (the company's own days to
greet on, kept in the same shared calendar): each all-day occurrence is
greeted once, on its first day (:attr:`DaysOff.first_days`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from greeter.config_base import not_a_file
from greeter.errors import ConfigError, Problem
from greeter.sources.columns import reads_as_words
from greeter.sources.quote import quoted_within
from greeter.sources.sniff import OLE2_MAGIC, ZIP_MAGIC

__all__ = [
    "FIELD", "MAX_ICS_BYTES", "DaysOff", "TimedEvent", "days_off_from_ics", "occasion_field", "read_days_off",
    "timed_warning",
]  # fmt: skip


def occasion_field(index: int) -> str:
    """The setting an occasion's calendar file is named by, as problems name it: ``occasions.3.ics``."""
    return f"occasions.{index}.ics"


FIELD = "send_window.days_off_ics"

#: The largest calendar file read (bytes): years of a company's shared calendar are a few MB;
#: a file of gigabytes, read whole and parsed, would take the daemon's memory.
MAX_ICS_BYTES = 16 * 2**20


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


def _local(moment: Any, zone: ZoneInfo | None) -> Any:
    """An aware date-time (UTC, or another zone's) as the company's clock shows it; others as they are."""
    if zone is not None and isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(zone)
    return moment


def _whole_days(start: Any, end: Any) -> list[date] | None:
    """The days an occurrence takes whole, or None for one with a time of day."""
    if not isinstance(start, datetime):  # VALUE=DATE: all day, DTEND exclusive
        last = end if isinstance(end, date) and not isinstance(end, datetime) else start + timedelta(days=1)
        return [start + timedelta(days=i) for i in range(max((last - start).days, 1))]
    if isinstance(end, datetime) and start.time() == end.time() == time(0) and end > start:
        return [start.date() + timedelta(days=i) for i in range((end.date() - start.date()).days)]
    return None


def read_days_off(path: Path, years: Iterable[int], field: str = FIELD, zone: str | None = None) -> DaysOff:
    """The days off the file declares within ``years``, and its events with a time of day.

    ``zone``: the company's time zone (``defaults.timezone``), in which a timed
    event's midnight is read (see the module's docstring); None: as written.

    The daemon asks on every run (and twice in one: for its look-ahead, then its
    plan); the file is parsed again only when its size or modification time changed.
    Raises :class:`ConfigError` (``file: FIELD: cause``, ``field`` being the
    setting that names the file) for a file that cannot be read or is not iCalendar.
    """
    wanted = frozenset(years)
    try:
        stat = path.stat()
    except OSError:
        return _read(path, wanted, field, zone)  # not cached: _read says what is wrong
    return _cached(path, wanted, stat.st_mtime_ns, stat.st_size, field, zone)


def days_off_from_ics(path: Path, years: Iterable[int], zone: str | None = None) -> set[date]:
    """The set of days off the file declares within ``years`` (see :func:`read_days_off`)."""
    return set(read_days_off(path, years, zone=zone).days)


@lru_cache(maxsize=16)
def _cached(
    path: Path, wanted: frozenset[int], mtime_ns: int, size: int, field: str, zone: str | None
) -> DaysOff:
    return _read(path, wanted, field, zone)


def _read(path: Path, wanted: frozenset[int], field: str, zone_name: str | None = None) -> DaysOff:
    import recurring_ical_events  # with its dateutil rules: only when a calendar file is used

    why = not_a_file(path)  # a pipe or a device: never opened (see not_a_file)
    if why is not None:
        raise _fail(path, why, field)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_ICS_BYTES + 1)  # no more, whatever its size said
    except OSError as exc:
        raise _fail(path, f"cannot read the calendar file ({exc.strerror})", field) from None
    if len(raw) > MAX_ICS_BYTES:
        message = f"the calendar file is larger than {MAX_ICS_BYTES // 2**20} MB: export only the days off"
        raise _fail(path, message, field)
    wrong = _wrong_file(raw)
    if wrong is not None:
        raise _fail(path, wrong, field)
    try:
        cal = Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as exc:
        raise _fail(path, not_ics(raw, exc), field) from None
    if not isinstance(cal, Calendar) or cal.name != "VCALENDAR":
        raise _fail(path, "not a valid iCalendar file (no VCALENDAR)", field)
    broken = event_problems(cal, raw)
    if broken:  # each event named: fixing one to learn of the next cost a run per event
        raise ConfigError([Problem(str(path), field, f"not a valid iCalendar file: {why}") for why in broken])
    if not wanted:
        return DaysOff(frozenset(), frozenset(), ())
    first, last = min(wanted), max(wanted)
    span = (date(first, 1, 1), date(last + 1, 1, 1))
    try:
        occurrences = list(recurring_ical_events.of(cal).between(*span))
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # InvalidCalendar is a ValueError
        culprit, why = _failing_event(cal, raw, span), _shown(str(exc))
        said = f": {culprit}: its repetition (RRULE) cannot be worked out ({why})" if culprit else f" ({why})"
        raise _fail(path, f"not a valid iCalendar file{said}", field) from None
    zone = ZoneInfo(zone_name) if zone_name else None
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
        start = _local(start_prop.dt, zone)
        end = _local(end_prop.dt, zone) if end_prop is not None else None
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


def event_problems(cal: Calendar, raw: bytes) -> list[str]:
    """What is wrong with each event a calendar program would refuse, named; []: none is.

    icalendar reads such an event without a word and the recurrence library
    then fails on it — with a bare ``KeyError: 'DTSTART'``, which read as a
    bug in greeter and stopped every run — or, for an end before the start,
    swaps the two: 1–27 December became days off instead of 28–31. A
    calendar is edited by other people; the message names the event and its
    line, so whoever fixes it finds it.
    """
    found: list[str] = []
    for event, line in _events_with_lines(cal, raw):
        name = f"event {_title(event)} (line {line})" if line else f"event {_title(event)}"
        start_prop = event.get("dtstart")
        if start_prop is None:
            found.append(f"{name} has no DTSTART (its first day): give it one, or delete the event")
            continue
        moments: dict[str, Any] = {}
        for which in ("DTSTART", "DTEND"):
            prop = event.get(which)
            try:
                moments[which] = None if prop is None else prop.dt
            except Exception:  # icalendar's BrokenCalendarProperty: a value it could not read (31.02)
                value = quoted_within(str(prop), QUOTE_CHARS)
                found.append(
                    f"{name}: {which} {value} is not a real date or time: correct it in the calendar"
                )
                break
        else:
            start, end = moments["DTSTART"], moments["DTEND"]
            if end is not None and _before(end, start):
                found.append(
                    f"{name} ends before it starts (DTSTART {_day(start)}, DTEND {_day(end)}): "
                    "correct its DTEND (for an all-day event, the day after its last day)"
                )
    return found


def _before(end: Any, start: Any) -> bool:
    """Whether an event's end comes before its start (an all-day event's end is exclusive: equal is
    no day at all, but calendar programs write it so for one day; left to :func:`_whole_days`)."""
    if isinstance(start, datetime) != isinstance(end, datetime):
        return False  # mixed kinds: icalendar's business; _whole_days reads them as before
    if isinstance(start, datetime) and (start.tzinfo is None) != (end.tzinfo is None):
        return False
    return bool(end < start)


def _day(moment: Any) -> str:
    return f"{moment:%d.%m.%Y %H:%M}" if isinstance(moment, datetime) else f"{moment:%d.%m.%Y}"


def _title(event: Any) -> str:
    summary = " ".join(str(event.get("summary", "")).split())
    return quoted_within(summary, QUOTE_CHARS) if summary else "(no title)"


def _events_with_lines(cal: Calendar, raw: bytes) -> Iterator[tuple[Any, int | None]]:
    """Each VEVENT with the number of its ``BEGIN:VEVENT`` line (events do not nest: the k-th
    event icalendar walks is the file's k-th)."""
    text = raw.decode("utf-8", errors="replace")
    begins = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().upper() == "BEGIN:VEVENT"]
    for k, event in enumerate(cal.walk("VEVENT")):
        yield event, begins[k] if k < len(begins) else None


def _failing_event(cal: Calendar, raw: bytes, span: tuple[date, date]) -> str | None:
    """The event whose repetition the recurrence library cannot work out (an RRULE with
    BYMONTH=13), tried one by one — only once the whole calendar failed."""
    import recurring_ical_events

    zones = cal.walk("VTIMEZONE")
    for event, line in _events_with_lines(cal, raw):
        alone = Calendar()
        for zone in zones:
            alone.add_component(zone)
        alone.add_component(event)
        try:
            list(recurring_ical_events.of(alone).between(*span))
        except (ValueError, TypeError, KeyError, IndexError):
            return f"event {_title(event)} (line {line})" if line else f"event {_title(event)}"
    return None


#: What to do about a file that is not a calendar: where a manager gets one.
_EXPORT = "export the calendar as .ics"
#: Files people take for a calendar, by their first bytes: what they are.
_MAGIC = (
    (ZIP_MAGIC, "a ZIP file (an .xlsx or .docx?)"),
    (b"%PDF", "a PDF file"),
    (OLE2_MAGIC[:4], "an old Office file (an Excel .xls or Word .doc?)"),
)
#: icalendar's words for a line it cannot read: the line, then why (often the line again).
_BAD_LINE = re.compile(r"Content line could not be parsed into parts: '(.*?)': (.*)", re.DOTALL)
#: How many characters of a file's text a message quotes.
QUOTE_CHARS = 80


def _wrong_file(raw: bytes) -> str | None:
    """What a file that is plainly no calendar is (a workbook, a PDF), told by its first bytes.

    icalendar would quote its first "line" — hundreds of raw bytes of a ZIP
    archive — as the line it cannot read; the name of the format says what
    happened and what to do instead.
    """
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return f"this is {what}, not an iCalendar file: {_EXPORT}"
    if not raw.strip():
        return f"the file is empty, not an iCalendar file: {_EXPORT}"
    return None


def not_ics(raw: bytes, exc: Exception) -> str:
    """One short line for a file icalendar cannot read: the offending line quoted, escaped, cut.

    A text that does not begin as a calendar does (a list of holidays typed
    into Notepad, a CSV renamed) is told by its first line; a calendar with a
    line it cannot read is told by that line and its number. Either is quoted
    as a bad contact value is (:func:`greeter.sources.quote.quoted_within`: control
    characters escaped), in at most about :data:`QUOTE_CHARS` characters.
    """
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.upper().startswith("BEGIN:"):
        if (start := _start_shown(first)) is None:
            return f"not a valid iCalendar file (it does not start with BEGIN:VCALENDAR): {_EXPORT}"
        shown = quoted_within(start, START_QUOTE_CHARS)
        return f"not a valid iCalendar file (it starts with {shown}, not BEGIN:VCALENDAR): {_EXPORT}"
    if "END:VCALENDAR" not in text.upper():
        return f"not a valid iCalendar file: it ends before END:VCALENDAR (cut short?): {_EXPORT} again"
    m = _BAD_LINE.fullmatch(str(exc))
    if m is None:
        return f"not a valid iCalendar file ({_shown(str(exc))})"
    line, why = m.groups()
    lines = text.splitlines()
    number = f" {lines.index(line) + 1}" if line in lines else ""
    # icalendar's reason is often the line again, or quotes its bytes: said only when it adds words.
    because = f": {why}" if why != line and why.isprintable() and len(why) <= QUOTE_CHARS else ""
    shown = quoted_within(line, QUOTE_CHARS)
    return f"not a valid iCalendar file (line{number} {shown} cannot be read{because})"


#: How many characters of a file's first line the message quotes (:func:`_start_shown`).
START_QUOTE_CHARS = 40
#: The first tag of markup (``<html``, ``<?xml``, ``<!DOCTYPE``): a web page saved as .ics.
_TAG = re.compile(r"<[?!]?[A-Za-z][\w:-]{0,30}")


def _start_shown(first: str) -> str | None:
    """What of a non-calendar's first line the message may quote, or None: nothing. Pure.

    The message reaches the log, and ``send_window.days_off_ics`` may name any
    file by mistake or on purpose (``/run/secrets/smtp_password``): its first
    line quoted was the password. Markup is told by its first tag only
    (``<html``), and a line of printable words with spaces (``Holidays 2027``:
    :func:`~greeter.sources.columns.reads_as_words`) by its first :data:`START_QUOTE_CHARS`
    characters; a single word or a run of 16 or more characters without a space
    (a secret, a key, a CSV line) is left out — the message then says only that
    the file is not a calendar.
    """
    if (tag := _TAG.match(first)) is not None:
        return tag.group()
    # The whole line is judged, then cut: a cut could leave a token's first characters looking like a word.
    return first[:START_QUOTE_CHARS] if reads_as_words(first) else None


def _shown(message: str) -> str:
    """A library's message as one line: as it is when short and printable, else :func:`quoted_within`."""
    if message.isprintable() and len(message) <= QUOTE_CHARS:
        return message
    return quoted_within(message, QUOTE_CHARS)


#: Timed events a warning names; the rest are counted.
_NAMED_TIMED = 3


def timed_warning(path: Path, timed: Iterable[TimedEvent], field: str = FIELD) -> Problem:
    """One warning for the events with a time of day, which are not days off: what and when.

    ``field`` another than ``send_window.days_off_ics`` is an occasion's ``ics``:
    its timed events are no days to greet on, for the same reason.
    """
    off = field.startswith("send_window.")  # days_off_ics, a region's (regional_days_off) ics
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
