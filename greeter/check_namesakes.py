"""One client on two CRM rows: the same full name and birthday under two contact ids.

A CRM that duplicated a client (a second card made by hand, an import run twice)
gives greeter two contacts: each has its own id, so each is planned, and a client
with two addresses gets two birthday letters. Nothing else says so — the loader's
duplicate checks are by id and by address — and the operator found it only when
``preview --contact "Иванов Иван"`` was refused as ambiguous. ``greeter check``
warns at the later row, naming the earlier one and what will happen.

Pure, and linear: each contact is one look-up in a compact index
(:class:`~greeter.sources.seen.SeenIndex`, 12 bytes a row, not a dict of strings:
a million-row export stays cheap), its id kept packed (:class:`~greeter.sources.seen.IdLog`)
to name it when a later row repeats it. Only contacts with a full name (first and
last) and a birthday count: a bare «Анна» born on the same day is no evidence.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from greeter.contacts import Contact
from greeter.errors import Problem
from greeter.sources import placed_at_contact
from greeter.sources.seen import IdLog, SeenIndex

#: The date field whose match (with the full name) says "the same person".
BIRTHDAY = "birthday"


class Namesakes:
    """Contacts seen (:meth:`see`) whose full name and birthday an earlier contact has: :meth:`problems`."""

    def __init__(self, source: str, column: str) -> None:
        """``source``: ``contacts.source`` (an SQL row is placed by its id); ``column``: the birthday's."""
        self._source = source
        self._column = column
        self._seen = SeenIndex()
        self._ids = IdLog()
        #: Row number and "has an e-mail" of each recorded contact, by ordinal (as :attr:`_ids`).
        self._rows: array[int] = array("I")
        self._mailed = bytearray()
        self._found: list[Problem] = []

    def see(self, contact: Contact) -> None:
        """Record ``contact``; a repeat of an earlier one's full name and birthday is a warning."""
        born = contact.dates.get(BIRTHDAY)
        if born is None or not contact.first_name or not contact.last_name:
            return
        name = " ".join(f"{contact.last_name} {contact.first_name} {contact.patronymic}".split())
        key = f"{name.casefold()}\x00{born.isoformat()}"
        earlier = self._seen.claim(key, self._ids.size)
        if earlier is None:
            self._ids.add(contact.id)
            self._rows.append(contact.row)
            self._mailed.append(contact.email is not None)
            return
        other, row = self._ids.get(earlier), self._rows[earlier]
        self._found.append(self._problem(contact, name, other, row, bool(self._mailed[earlier])))

    def problems(self) -> list[Problem]:
        """One warning per repeated contact, in row order."""
        return list(self._found)

    def _problem(self, contact: Contact, name: str, other: str, row: int, mailed: bool) -> Problem:
        at = f"contact {other!r}" + (f" (row {row})" if row else "")
        if contact.email is not None and mailed:
            effect = "if it is one client, they get two letters for each occasion, one at each address"
        elif mailed:
            effect = (
                f"this row has no e-mail (the same as contact {other!r}'s, or none: see its Email warning),"
                f" so one letter goes, to contact {other!r}"
            )
        elif contact.email is not None:
            effect = f"contact {other!r} has no e-mail, so one letter goes, to this row's {contact.email}"
        else:
            effect = "neither has an e-mail, so neither is greeted"
        born = contact.dates[BIRTHDAY].strftime("%d.%m.%Y")
        message = f"the same name and birthday as {at}: {name}, born {born}; {effect}; merge the two in CRM"
        problem = Problem(
            contact.source, self._column, message, contact.row or None, kind="row", severity="warning"
        )
        return placed_at_contact(problem, contact.id, self._source)


def namesake_problems(contacts: Iterable[Contact], source: str, column: str) -> list[Problem]:
    """The warnings :class:`Namesakes` gives ``contacts``: one per contact repeating an earlier one."""
    found = Namesakes(source, column)
    for contact in contacts:
        found.see(contact)
    return found.problems()
