"""What ``greeter forget`` erases and the reasons it leaves on the do-not-contact list.

Moved out of :mod:`greeter.journal_store` (the journal's contract) as they are: the
erasure's own records and pure helpers, shared by the SQLite and PostgreSQL journals,
``forget``, the lists and history, none of which is a journal operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greeter.journal_store import JournalKey, Suppression

__all__ = [
    "ERASURE_REASON",
    "Erasure",
    "erasable",
    "erased_reason",
    "erasure_day",
    "former_addresses",
    "is_erasure",
    "nothing_journaled",
]

#: The do-not-contact list's reason for an address ``greeter forget`` erased.
ERASURE_REASON = "erasure request"

#: How :func:`erased_reason` begins: what tells such a reason from an operator's own.
_ERASED_ON = "erased on "


def erased_reason(day: date) -> str:
    """The reason ``greeter forget`` leaves on an entry it found on the list already.

    That entry's own reason may hold personal data (``suppress --reason "called,
    +7 913 …"``, a bounce's server reply naming the greeting): erasure keeps the
    bare address, so the reason becomes the fact and its date alone — the
    accountability record (GDPR art. 5(2)) — while the entry's ``since`` stays
    the older evidence of the opt-out.
    """
    return f"{_ERASED_ON}{day:%Y-%m-%d}: the address stays on the do-not-contact list"


def is_erasure(reason: str) -> bool:
    """Whether ``reason`` is one ``greeter forget`` wrote (:data:`ERASURE_REASON`, :func:`erased_reason`)."""
    return reason == ERASURE_REASON or reason.startswith(_ERASED_ON)


def erasure_day(reason: str, since: datetime) -> date | None:
    """The UTC day ``greeter forget`` erased the person an entry of the lists is about, None if
    it did not (``reason``: the entry's, ``since``: its date). An entry it made is dated that day;
    one it kept keeps its older date and says the day in its reason (:func:`erased_reason`)."""
    if reason == ERASURE_REASON:
        return since.astimezone(UTC).date()
    if not reason.startswith(_ERASED_ON):
        return None
    try:
        return date.fromisoformat(reason.removeprefix(_ERASED_ON)[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Erasure:
    """What ``greeter forget`` erases (or, with ``--dry-run``, would) of one address.

    ``greetings`` are every row of the person's contact ids — those the
    address was greeted under, and those the contacts source gives it now —
    and any other row sent to the address: they say who was greeted for what.
    ``former`` names the ones sent to another address (the person's former
    one: the CRM changed it), which ``forget`` says, since that address is not
    put on the list. ``approvals`` counts the reviewed-draft rows of
    ``contact_ids`` (a draft approved but not sent yet has no greeting row).
    ``listed`` is the address's do-not-contact entry found before (None: it is
    added).
    """

    email: str
    greetings: tuple[JournalKey, ...]
    states: tuple[str, ...]
    approvals: int
    listed: Suppression | None
    #: Greetings a running sender holds (``claimed``, its lock or lease alive): nothing is erased then.
    claimed: tuple[JournalKey, ...] = ()
    #: The contact ids erased: their greetings and their approvals.
    contact_ids: tuple[str, ...] = ()
    #: Of ``greetings``, those sent to another address, with it.
    former: tuple[tuple[JournalKey, str], ...] = ()


def erasable(
    rows: Iterable[tuple[str, str, date, str | None, str]], email: str, contact_ids: Iterable[str] = ()
) -> tuple[list[tuple[JournalKey, str]], set[str]]:
    """The greetings of ``rows`` (contact, occasion, day, address, state) that belong to ``email``.

    A row sent to the address (compared as the do-not-contact list compares,
    :func:`greeter.contacts.email_key`), and every row of the person's contact
    ids: those of the rows sent to the address and ``contact_ids`` (the ones
    the contacts source gives the address now), whatever address a row names
    — a contact id is the CRM's person, so a greeting to their former address
    is theirs too. Returns ``[(key, state)]`` and the contact ids.
    """
    from greeter.contacts import email_key

    wanted = email_key(email)
    rows = list(rows)
    ids = {r[0] for r in rows if r[3] is not None and email_key(r[3]) == wanted} | set(contact_ids)
    mine = [(r[:3], r[4]) for r in rows if r[0] in ids or (r[3] is not None and email_key(r[3]) == wanted)]
    return sorted(mine), ids


def nothing_journaled(email: str, contact_ids: Iterable[str] = ()) -> Erasure:
    """What ``forget --dry-run`` would erase where there is no journal yet: no row, the address listed.

    The contact ids the contacts source gives the address are still the person's
    opt-out (:func:`erasable` with no rows).
    """
    from greeter.contacts import email_key

    _, ids = erasable((), email, contact_ids)
    return Erasure(email=email_key(email), greetings=(), states=(), approvals=0, listed=None,
                   contact_ids=tuple(sorted(ids)))  # fmt: skip


def former_addresses(
    rows: Iterable[tuple[str, str, date, str | None, str]], email: str, keys: Iterable[JournalKey]
) -> tuple[tuple[JournalKey, str], ...]:
    """Of the greetings ``keys``, those ``rows`` say were sent to an address other than ``email``."""
    from greeter.contacts import email_key

    wanted, chosen = email_key(email), set(keys)
    return tuple(
        sorted(
            (r[:3], r[3]) for r in rows if r[:3] in chosen and r[3] is not None and email_key(r[3]) != wanted
        )
    )
