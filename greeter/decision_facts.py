"""What an operator's decision about a greeting consults beyond its journal row.

``greeter failed resend`` and ``greeter uncertain resend`` put a greeting back
in line for the next send. Two things the row alone does not say decide whether
that can still do any good: whether its catch-up period is over (the send would
only record it ``expired``: an operator who resent a week-old birthday read
"resend" and found it expired days later), and to which address the next plan
would write (the contacts source may have a corrected one since it failed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from greeter.delivery_timing import letter_deadline
from greeter.errors import GreeterError
from greeter.planner import LONGEST_DAYS_OFF, contact_zone
from greeter.zone_label import local_time

if TYPE_CHECKING:
    from greeter.calendar_rules import WorkCalendar
    from greeter.contacts import Contact
    from greeter.journal_store import JournalEntry
    from greeter.runtime import Inputs


def lateness(deadline: datetime, now: datetime, catch_up_days: int) -> str | None:
    """Why a greeting past ``deadline`` at ``now`` can no longer go (pure); None while it can."""
    if now <= deadline:
        return None
    return (
        f"its catch-up period ended {local_time(deadline)} (catch_up_days: {catch_up_days}),"
        " so the next send would only record it expired, never send it late"
    )


class Standing:
    """The contacts and calendars a decision about ``entries`` at ``now`` consults, read once.

    The contacts source is read only when asked (a dismissal needs nothing),
    and for these entries' contacts only; one that cannot be read leaves each
    greeting its own row's address and the default zone and calendar.
    ``known``: those contacts, already read (``greeter check`` streams the
    source anyway: a second read of a million rows would double its time).
    """

    def __init__(
        self,
        inputs: Inputs,
        now: datetime,
        entries: Sequence[JournalEntry],
        known: dict[str, Contact] | None = None,
    ) -> None:
        self._inputs = inputs
        self._now = now
        self._entries = entries
        self._known = known

    @cached_property
    def _read(self) -> dict[str, Contact] | None:
        """The entries' contacts; None when the source cannot be read."""
        if self._known is not None:
            return self._known
        try:
            return self._inputs.contacts_by_id({e.contact_id for e in self._entries})
        except (GreeterError, OSError):
            return None

    @property
    def _contacts(self) -> dict[str, Contact]:
        return self._read or {}

    def gone(self, entry: JournalEntry) -> bool:
        """Whether the contacts source, read, has no such contact: no plan can write its letter."""
        return self._read is not None and entry.contact_id not in self._read

    @cached_property
    def _calendar_for(self) -> Callable[[str | None], WorkCalendar]:
        """The working days of each country, over the entries' occasions through ``now``."""
        start = min(e.occasion_date for e in self._entries)
        days = (self._now.date() - start).days + LONGEST_DAYS_OFF + 2
        return self._inputs.window(now=self._now, start=start, days=days, look_ahead=False).calendar_for

    def address(self, entry: JournalEntry) -> str | None:
        """The address the next plan writes to: the contact's now, else the one it was sent to."""
        contact = self._contacts.get(entry.contact_id)
        return contact.email if contact is not None and contact.email else entry.email

    def too_late(self, entry: JournalEntry) -> str | None:
        """Why ``entry`` can no longer go (:func:`lateness`), in its recipient's zone and calendar."""
        settings = self._inputs.settings
        contact = self._contacts.get(entry.contact_id)
        if contact is None:
            tz, country = ZoneInfo(settings.defaults.timezone), None
        else:
            tz, country = contact_zone(contact, settings), contact.country
        until = letter_deadline(settings, entry.key, tz, self._calendar_for(country))
        return lateness(until, self._now, settings.catch_up_days)
