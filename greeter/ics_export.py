"""``greeter calendar``: upcoming greetings as an iCalendar file for managers' calendars.

One all-day event per letter on its send day (recipient's local date). The
event is the *letter*, not the occasion: its title says so and gives each
occasion its own day — «Поздравление: Иван Петрович Иванов — День рождения
7 января (67 лет), Новый год 29 декабря» on 30 December — because a manager
glancing at the 30th must not read "Ivan's birthday is today", and the
anniversary number stands right after the occasion it counts. The words are
Russian, like the preview gallery, the other thing managers read, and the
occasions' ``title``s the config gives them (greeter's terminal output and logs
stay English). Each event has a stable UID, so importing a newer file
updates events instead of duplicating them. For an occasion of a date column
(a birthday, a company's founding) the UID names the contact, the occasion
and the *year*, not the day: a birthday corrected in the CRM moves its event
instead of leaving the old one behind.
Every export carries a higher SEQUENCE (seconds since 2020 by the real
clock, whatever ``--now`` says), so calendar clients take a re-import as the
newer version of each event.

RFC 5545 wants at least one component in a calendar: a range with no letter
gets the definition of the config's time zone (a VTIMEZONE, which calendar
apps import silently) instead of an empty VCALENDAR that strict importers
reject.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, Timezone

from greeter.i18n import format_date, years_phrase
from greeter.plan_types import Hit, PlanItem

#: SEQUENCE counts seconds from here (it must stay a small non-negative integer for clients).
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

#: The language of the events (see the module's doc).
_LOCALE = "ru"

#: The calendar's last line, after its events (see :func:`calendar_chunks`).
_END = b"END:VCALENDAR\r\n"


def event_uid(item: PlanItem, domain: str, *, yearly: bool = False) -> str:
    """Stable across runs and re-imports: a hash of (contact, occasion, occasion date — or its year).

    ``yearly``: the occasion is a date column's anniversary, once a year per
    contact, so the year identifies it and a corrected date keeps its UID.
    (A holiday chosen by name may fall on several days of one year: those
    keep the date.)
    """
    hit = item.hit
    when = str(hit.date.year) if yearly else hit.date.isoformat()
    digest = hashlib.sha256(f"{hit.contact.id}\x1f{hit.occasion}\x1f{when}".encode()).hexdigest()[:32]
    return f"{digest}@{domain}"


def occasion_words(hit: Hit, titles: Mapping[str, str]) -> str:
    """«День рождения 7 января (67 лет)»: the occasion's title, its own day, its anniversary.

    A holiday the config titles by its day («23 Февраля») is not given the day twice. A
    29 February greeted in a common year (:attr:`Hit.moved`) is «29 февраля (в этом году —
    28 февраля)»: «28 февраля» alone told a manager the client's birthday is the 28th.
    """
    title = titles.get(hit.occasion, hit.occasion)
    day = format_date(hit.date, _LOCALE, "day_month")
    if hit.moved:
        day = f"{format_date(date(2000, 2, 29), _LOCALE, 'day_month')} (в этом году — {day})"
    when = "" if day.casefold() in title.casefold() else f" {day}"
    years = f" ({years_phrase(hit.years, _LOCALE)})" if hit.years is not None else ""
    return f"{title}{when}{years}"


def calendar_chunks(
    items: Iterable[PlanItem],
    *,
    now: datetime,
    domain: str,
    name: str,
    yearly: frozenset[str] | set[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
    timezone: str = "UTC",
    exported_at: datetime | None = None,
) -> Iterator[bytes]:
    """An RFC 5545 calendar of the letters to send (skips are not events), a piece at a time.

    The pieces: the VCALENDAR's head, one VEVENT each (each built as an
    :class:`~icalendar.Event` and serialised alone), and its end. Why not one
    :class:`~icalendar.Calendar` holding every event: 150,000 contacts' New Year
    letters held 158,000 events and their serialised copy at once (1.9 GB);
    written piece by piece, a calendar of any size takes the memory of one
    event. The bytes are those ``Calendar.to_ical()`` gives for the whole.

    ``exported_at``: when the file is written, by the real clock (``now`` if None) — its
    DTSTAMP and SEQUENCE. Not ``now``, which may be a rehearsal's ``--now``: an export
    rehearsed for a future day stamped a higher SEQUENCE than the real exports after it, and
    a calendar that imported it ignored their updates.

    ``yearly``: the names of the occasions that are a date column's anniversary (see :func:`event_uid`).
    ``titles``: what people call each occasion (``Settings.occasion_titles``); the name if absent.
    ``timezone``: the config's zone, whose definition is the one component of a calendar without
    letters (see the module's doc).
    """
    called = titles or {}
    cal = Calendar()
    cal.add("prodid", "-//greeter//greetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    head: bytes = cal.to_ical()
    if not head.endswith(_END):  # icalendar's own serialisation changed: the pieces would not fit
        raise AssertionError(f"icalendar ended a calendar with {head[-40:]!r}, not {_END!r}")
    yield head[: -len(_END)]
    stamp = (exported_at or now).astimezone(UTC)
    events = 0
    for item in items:
        if item.status != "send" or item.send_at is None:
            continue
        hit = item.hit
        who = hit.contact.display_name or hit.contact.id
        event = Event()
        event.add("uid", event_uid(item, domain, yearly=hit.occasion in yearly))
        event.add("dtstamp", stamp)
        event.add("sequence", max(int((stamp - _SEQUENCE_EPOCH).total_seconds()), 0))
        event.add("dtstart", item.send_at.date())
        event.add("dtend", item.send_at.date() + timedelta(days=1))
        event.add(
            "summary",
            f"Поздравление: {who} — {', '.join(occasion_words(h, called) for h in (hit, *item.also))}",
        )
        leaves = f"{format_date(item.send_at.date(), _LOCALE)} в {item.send_at:%H:%M}"
        lines = [
            f"Письмо уходит {leaves} по времени получателя ({item.send_at.tzinfo})",
            f"Повод: {occasion_words(hit, called)}",
            *(f"В том же письме: {occasion_words(h, called)}" for h in item.also),
            f"Кому: {who} <{hit.contact.email}> (id {hit.contact.id})",
        ]
        if hit.contact.company:
            lines.append(f"Компания: {hit.contact.company}")
        event.add("description", "\n".join(lines))
        event.add("categories", [hit.occasion])
        event.add("transp", "TRANSPARENT")
        events += 1
        yield event.to_ical()
    if not events:
        day = now.date()
        yield Timezone.from_tzid(timezone, first_date=day, last_date=day + timedelta(days=366)).to_ical()
    yield _END
