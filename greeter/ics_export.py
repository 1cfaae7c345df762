"""``greeter calendar``: upcoming greetings as an iCalendar file for managers' calendars.

One all-day event per letter on its send day (recipient's local date), with a
UID derived from the journal key, so importing a newer file updates events
instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from greeter.plan_types import PlanItem


def event_uid(item: PlanItem, domain: str) -> str:
    """Stable across runs and re-imports: a hash of (contact, occasion, occasion date)."""
    hit = item.hit
    digest = hashlib.sha256(
        f"{hit.contact.id}\x1f{hit.occasion}\x1f{hit.date.isoformat()}".encode()
    ).hexdigest()[:32]
    return f"{digest}@{domain}"


def build_calendar(items: Iterable[PlanItem], *, now: datetime, domain: str, name: str) -> bytes:
    """An RFC 5545 calendar of the letters to send (skips are not events)."""
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
        occasions = ", ".join([hit.occasion, *item.merged_with])
        years = f" ({hit.years})" if hit.years is not None else ""
        event = Event()
        event.add("uid", event_uid(item, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.send_at.date())
        event.add("dtend", item.send_at.date() + timedelta(days=1))
        event.add("summary", f"{who}: {occasions}{years}")
        event.add(
            "description",
            "\n".join(
                [
                    f"Contact: {who} <{hit.contact.email}> (id {hit.contact.id})",
                    f"Company: {hit.contact.company}" if hit.contact.company else "",
                    f"Occasion: {occasions} on {hit.date:%Y-%m-%d}{years}",
                    f"Planned send: {item.send_at.isoformat()} ({item.send_at.tzinfo})",
                ]
            ).replace("\n\n", "\n"),
        )
        event.add("categories", [hit.occasion])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
