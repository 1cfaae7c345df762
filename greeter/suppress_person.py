"""``greeter suppress --contact ID|NAME``: a person's opt-out, named as the manager knows the client.

A client who complains on the phone is known by name or CRM id, not always by
address, and one whose e-mail cell is broken (its row rejected) has no address
to give ``suppress`` at all — yet the CRM may mend the cell tomorrow and greeter
would write. ``--contact`` is read by the one resolver every ``--contact`` uses
(:func:`greeter.history_client.by_name`: an id first, then a name) and bound as
the person-level opt-outs already are (``suppressed_contacts``,
:mod:`greeter.journal_optouts`; :meth:`~greeter.journal_store.JournalStore.restore_opt_outs`,
as ``suppress --from-csv`` of a ``contact_ids`` column binds them): the planner
skips the id whatever address the CRM gives it, ``unsuppress --contact`` lifts
it. No address goes on the do-not-contact list: the person asked, not the
mailbox (a shared one still greets its other clients); ``suppress ADDRESS``
lists a mailbox. ``suppress --list`` gives such an opt-out a row of its own
(:func:`greeter.suppress_out.person_rows`), which ``--from-csv`` binds again.

Which ids are taken: a loaded row's (the address it came from: its e-mail now);
a rejected row's (the source has the id though not the address: bound by id);
one only the journal has (a client gone from the export, its latest address).
An id no row and no greeting has is a typo until said otherwise: refused with
the closest ids and names (exit 2) unless ``--force`` (a client the CRM has not exported yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from greeter.contacts import Contact, email_key
from greeter.errors import UnknownContactError
from greeter.history_client import by_name, closest_contacts, source_row
from greeter.journal_store import PersonOptOut

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs

__all__ = ["Named", "bound_words", "named_person"]


@dataclass(frozen=True, slots=True)
class Named:
    """A ``--contact`` resolved: the contact id, the address its opt-out comes from ("" none), and
    what to say of it (how the name was read, a rejected row, an id only the journal has)."""

    contact_id: str
    email: str
    notes: tuple[str, ...] = ()

    def opt_out(self, reason: str, now: datetime) -> PersonOptOut:
        """The person-level opt-out this contact is bound by (pure)."""
        return PersonOptOut(self.contact_id, self.email, reason, now)


def named_person(inputs: Inputs, journal: JournalStore | None, text: str, *, force: bool = False) -> Named:
    """The contact ``text`` names (id first, then name: :func:`by_name`; a name several contacts
    have raises, listing them), with the address its opt-out comes from.

    Raises :class:`UnknownContactError` (exit 2) for an id no row of the source and no greeting of
    the journal has, naming the closest ids and names, unless ``force``. ``journal`` None: there is none yet.
    """
    cid, said = by_name(inputs, journal, text)
    notes = (said,) if said else ()
    row = source_row(inputs, cid)
    if isinstance(row, Contact):
        return Named(cid, email_key(row.email) if row.email else "", notes)
    if row is not None:  # rejected: the source has its id, not a usable address
        why = "; ".join(f"{p.field}: {p.message}" for p in row.errors) or "rejected"
        return Named(
            cid, "", (*notes, f"contact {cid!r} (row {row.row}) was not loaded ({why}): bound by its id")
        )
    latest = _latest_address(journal, cid) if journal is not None else None
    if latest is not None:
        return Named(
            cid, email_key(latest), (*notes, f"contact {cid!r} is not in the contacts now: bound by its id")
        )
    if force:
        return Named(
            cid, "", (*notes, f"contact {cid!r} is in no row nor greeting: bound by its id (--force)")
        )
    raise UnknownContactError(
        f"no contact has id or name {cid!r} (--contact){closest_contacts(inputs, cid)};"
        " --force binds an id the contacts do not have yet"
    )


def _latest_address(journal: JournalStore, cid: str) -> str | None:
    """The address of the journal's latest greeting under ``cid`` (None: it has none)."""
    from greeter.history_view import read_history

    latest = None
    for entry in read_history(journal, contact_id=cid):
        latest = entry.email or latest
    return latest


def bound_words(named: Named, before: PersonOptOut | None) -> str:
    """What ``suppress --contact`` says of one contact (pure): bound now, or already bound."""
    if before is not None:
        return (
            f"contact {named.contact_id} has opted out already (on {before.created_at:%Y-%m-%d}"
            f"{f' from {before.email}' if before.email else ''}, {before.reason}): kept"
        )
    source = f" (its address {named.email})" if named.email else ""
    return f"contact {named.contact_id}{source} opted out as a person: not greeted at any address"
