"""The journal's letters a plan no longer makes, shown beside it (``preview``).

The planner decides what a contact is sent from the contacts source as it is now; a letter
the journal holds for a date the source has since corrected is no longer the plan's, yet a
reviewer must see it went out. Kept apart from the planner: only ``preview`` asks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from greeter.config import Occasion
from greeter.contacts import Contact
from greeter.plan_types import Hit, PastGreeting, PlanItem
from greeter.planner import PlanWindow, contact_zone
from greeter.sources.dates import is_yearless


def journal_letters(
    contact: Contact, past: Sequence[PastGreeting], planned: Collection[tuple[str, date]], pw: PlanWindow
) -> list[PlanItem]:
    """The letters the journal says left for ``contact`` (``past``:
    :func:`~greeter.planner.journal_past`) for an occasion day in ``pw``'s range that its plan
    (``planned``: the plan's (occasion, date) keys) no longer makes: ``sent``, at the moment
    they left, their detail saying they are the journal's.

    A plan shows the journal's letters of the occasions it makes; one whose date the contacts
    source has since corrected (a birthday greeted for 20.01, now 05.03) it makes no more, so a
    preview of the contact over a range holding that letter did not show it — and a manager
    reading it answered "no second letter" of a client greeted twice.
    """
    tz = contact_zone(contact, pw.settings)
    found: list[PlanItem] = []
    seen = set(planned)
    for p in past:
        key = (p.occasion, p.occasion_date)
        if p.sent_at is None or key in seen or not pw.start <= p.occasion_date <= pw.end:
            continue
        seen.add(key)
        occ = pw.occasions.get(p.occasion)
        # Its anniversary as the contact's date counts it now (the year a correction kept).
        original = contact.dates.get(occ.field) if occ is not None and occ.field is not None else None
        years = None if original is None or is_yearless(original) else p.occasion_date.year - original.year
        hit = Hit(
            contact,
            p.occasion,
            p.occasion_date,
            years,
            occ.priority if occ else 0,
            occ.template if occ else "",
        )
        at = p.sent_at.astimezone(tz).replace(microsecond=0)
        why = _no_longer_planned(contact, p, occ)
        found.append(
            PlanItem(
                hit, "sent", None, at, detail=why, carried=p.merged, journal_state="sent", sent_to=p.email
            )
        )
    return found


def _no_longer_planned(contact: Contact, past: PastGreeting, occ: Occasion | None) -> str:
    """Why a letter the journal holds is not the plan's (:func:`journal_letters`), in words."""
    to = "" if past.contact_id == contact.id else f" to {past.email} as contact {past.contact_id}"
    head = f"from the journal: sent{to} for {past.occasion_date:%d.%m}"
    if occ is None:
        return f"{head}; the occasion is no longer in the config"
    if occ.field is None:
        return f"{head}; the plan no longer makes it"
    now = contact.dates.get(occ.field)
    if now is None:
        return f"{head}; the contacts source now gives no {occ.field}"
    return f"{head}; the contacts source now says {now:%d.%m}"
