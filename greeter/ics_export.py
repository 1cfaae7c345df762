"""``greeter calendar``: upcoming greetings as an iCalendar file for managers' calendars.

One all-day event per letter on its send day (recipient's local date), with a
stable UID, so importing a newer file updates events instead of duplicating
them. For an occasion of a date column (a birthday, a company's founding) the
UID names the contact, the occasion and the *year*, not the day: a birthday
corrected in the CRM moves its event instead of leaving the old one behind.
Every export carries a higher SEQUENCE (seconds since 2020), so calendar
clients take a re-import as the newer version of each event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from greeter.plan_types import PlanItem

#: SEQUENCE counts seconds from here (it must stay a small non-negative integer for clients).
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


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


def build_calendar(
    items: Iterable[PlanItem],
    *,
    now: datetime,
    domain: str,
    name: str,
    yearly: frozenset[str] | set[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
) -> bytes:
    """An RFC 5545 calendar of the letters to send (skips are not events).

    ``yearly``: the names of the occasions that are a date column's anniversary (see :func:`event_uid`).
    ``titles``: what people call each occasion (``Settings.occasion_titles``); the name if absent.
    """
    called = titles or {}
    cal = Calendar()
    cal.add("prodid", "-//greeter//greetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    for item in items:
        if item.status != "send" or item.send_at is None:
            continue
        hit = item.hit
        who = hit.contact.display_name or hit.contact.id
        occasions = ", ".join(called.get(o, o) for o in [hit.occasion, *item.merged_with])
        years = f" ({hit.years})" if hit.years is not None else ""
        event = Event()
        event.add("uid", event_uid(item, domain, yearly=hit.occasion in yearly))
        event.add("dtstamp", stamp)
        event.add("sequence", max(int((stamp - _SEQUENCE_EPOCH).total_seconds()), 0))
        event.add("dtstart", item.send_at.date())
        event.add("dtend", item.send_at.date() + timedelta(days=1))
        event.add("summary", f"{who}: {occasions}{years}")
        event.add(
            "description",
            "\n".join(
                [
                    f"Contact: {who} <{hit.contact.email}> (id {hit.contact.id})",
                    f"Company: {hit.contact.company}" if hit.contact.company else "",
                    f"Occasion: {called.get(hit.occasion, hit.occasion)} on {hit.date:%Y-%m-%d}{years}",
                    *(
                        f"With it: {called.get(h.occasion, h.occasion)} on {h.date:%Y-%m-%d}"
                        + (f" ({h.years})" if h.years is not None else "")
                        for h in item.also
                    ),
                    f"Planned send: {item.send_at.isoformat()} ({item.send_at.tzinfo})",
                ]
            ).replace("\n\n", "\n"),
        )
        event.add("categories", [hit.occasion])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
