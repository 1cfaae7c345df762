"""``greeter history`` in a manager's words: who the client is, what the occasion is called, their clock.

The journal keeps no names on purpose (data minimisation: ``greeter forget``
erases by address and contact id, and every name kept there would be one more
copy to erase). But a sales manager knows "Иван Петрович Иванов, ООО «Тест»",
not contact 1001, a "День рождения", not ``birthday``, and the client's
morning, not UTC. So history looks the contacts of the rows it shows up in the
contacts source — read as every command reads it
(:meth:`~greeter.runtime.Inputs.contacts_by_id`), no further than the last of
them, and not at all when no row is shown — and takes the occasions' titles
from the config (:meth:`~greeter.config.Settings.occasion_titles`, as the
gallery and the calendar name them).

A source that cannot be read (a copy of the journal on another machine, a
missing export, a CRM database down) costs the names only: history shows the
journal all the same and says once, on stderr, why the names are missing
(:attr:`People.missing`). A contact no longer in the source has no name: the
journal outlives the export.

Everything here but :func:`look_up` is pure.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from greeter.contacts import Contact
from greeter.journal_store import JournalEntry
from greeter.zone_label import local_time

if TYPE_CHECKING:
    from greeter.runtime import Inputs

#: The JSON and CSV fields this module adds, after the journal's own (which stay as they were).
FIELDS = ("name", "company", "occasion_title", "timezone", "when_local")


@dataclass(frozen=True)
class People:
    """The names, titles and zones history shows beside the journal's rows."""

    #: The contacts found in the source, by id (a contact not there is simply absent).
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    #: Each configured occasion's name → its title (an occasion no longer configured: its name).
    titles: Mapping[str, str] = field(default_factory=dict)
    #: ``defaults.timezone``: the zone of a contact without one, or not found.
    default_zone: str = "UTC"
    #: Why there are no names (the source could not be read); None when they were looked up.
    missing: str | None = None

    def contact(self, entry: JournalEntry, asked: str | None = None) -> Contact | None:
        """The row's contact in the source; for a row journaled under a former id (``asked``: the
        ``--contact`` id, found by its address) the contact asked for — the old id may be another
        client's by now."""
        cid = asked if asked is not None and entry.contact_id != asked else entry.contact_id
        return self.contacts.get(cid)

    def zone(self, contact: Contact | None) -> ZoneInfo:
        """The recipient's zone as the planner takes it: the contact's column, else the default."""
        return ZoneInfo((contact.timezone if contact else None) or self.default_zone)

    def title(self, occasion: str) -> str:
        """What the marketer called the occasion in the config; its key if it is no longer there."""
        return self.titles.get(occasion) or occasion

    def occasions(self, entry: JournalEntry) -> str:
        """The table's occasion: its title, and those of the occasions merged into its letter."""
        return " + ".join(self.title(o) for o in (entry.occasion, *entry.merged))

    def local(self, entry: JournalEntry, moment: datetime, asked: str | None = None) -> datetime:
        """``moment`` on the recipient's clock."""
        return moment.astimezone(self.zone(self.contact(entry, asked)))

    def fields(self, entry: JournalEntry, moment: datetime, asked: str | None = None) -> dict[str, Any]:
        """:data:`FIELDS` of one row for JSON and CSV; ``moment``: the row's "when" (UTC or any zone).

        ``name``/``company`` are null when the contact is not in the source
        (or it could not be read); ``when_local`` is ISO 8601 with the
        recipient's offset, ``timezone`` that zone's IANA name.
        """
        contact = self.contact(entry, asked)
        zone = self.zone(contact)
        return {
            "name": (contact.display_name or None) if contact else None,
            "company": (contact.company or None) if contact else None,
            "occasion_title": self.title(entry.occasion),
            "timezone": zone.key,
            "when_local": moment.astimezone(zone).isoformat(),
        }


def local_text(moment: datetime) -> str:
    """A local time for the table: ``2027-04-14 18:00 +10``, ``2027-04-14 10:00 EET`` (as preview
    shows the recipient's time: the zone's abbreviation, or its offset where the zone has none)."""
    return local_time(moment)


def look_up(inputs: Inputs, contact_ids: Collection[str], asked: str | None = None) -> People:
    """The :class:`People` of the rows shown: their contacts read from the source, the config's titles.

    ``contact_ids``: the rows' own contact ids (gathered without keeping the
    rows, :func:`greeter.history_view.census`); only they (and ``asked``) are
    looked for, and the source is read no further than the last of them. A
    source that cannot be read gives no contacts and :attr:`People.missing`
    says why, in one line.
    """
    from greeter.errors import GreeterError

    settings = inputs.settings
    ids = set(contact_ids)
    people = People(titles=settings.occasion_titles(), default_zone=settings.defaults.timezone)
    if not ids:  # nothing shown: nothing to read
        return people
    try:
        contacts = inputs.contacts_by_id(ids | ({asked} if asked else set()))
    except (GreeterError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return People(
            titles=people.titles,
            default_zone=people.default_zone,
            missing=f"names and companies are not shown: the contacts source cannot be read ({reason});"
            f" times are in the default zone {people.default_zone}",
        )
    return People(contacts=contacts, titles=people.titles, default_zone=people.default_zone)
