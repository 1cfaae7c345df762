"""A greeted client gone from the contacts and one just like them new: a CRM that changed id and address.

When a client's id and e-mail change together (a card re-created in the CRM:
1029 becomes 4029 at a new address), nothing in the journal is theirs any more:
the planner matches a renumbered client by address (:mod:`greeter.renumbered`),
and the address changed too. ``greeter history --contact 4029`` shows nothing of
1029's letters, and the frequency cap and "already sent" do not count them.

The journal keeps no name nor birthday of a contact: it keeps each letter's
occasion and date, its address, and its subject as the client read it. A birthday
letter's date is the client's birthday that year, and its subject names the client
as the letter addressed them («Вера Константиновна, с днём рождения!», "Happy
birthday, Anna!"). So a contact the journal never greeted whose birthday (day and
month) is that of a birthday letter of the last :data:`HORIZON_DAYS` days, and
whose first or last name is a word of that letter's subject, while the letter's
contact id is in the contacts no more, is said at its row. A subject that names
the client otherwise (a declined Ukrainian vocative «Олено» of «Олена», an
English "Ms Miller" whose surname changed) or none (a journal older than subjects)
gives no match: a missed warning, never a false one from the birthday alone. A new
contact at the old letter's address is no news: the planner matches those by address.

Memory is bounded by the journal's birthday letters of a year (an index of their
subjects' words), not by the contacts: each contact is a few dict look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from greeter.check_namesakes import BIRTHDAY
from greeter.contacts import Contact, email_key
from greeter.errors import Problem
from greeter.journal_store import JournalEntry
from greeter.sources import placed_at_contact

#: How far back birthday letters are looked at: a year and a little, each client's last one.
HORIZON_DAYS = 400
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class OldLetter:
    """A birthday letter the journal holds: whose it was, when, where to, and its subject."""

    contact_id: str
    day: date
    email: str | None
    subject: str


def same_address(one: str | None, other: str | None) -> bool:
    """Whether two addresses are one mailbox: then the planner matches the letters by address
    (:mod:`greeter.renumbered`) and nothing is lost — no warning here."""
    return one is not None and other is not None and email_key(one) == email_key(other)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 1 and not w.isdigit()}


class Reappeared:
    """Contacts (:meth:`see`) the journal never greeted that look like a greeted contact now gone."""

    def __init__(self, letters: Iterable[JournalEntry], source: str, column: str) -> None:
        """``letters``: the journal's rows of ``occasions`` (the birthday's) of the last year; those
        with a subject are indexed by (month, day, word of the subject)."""
        self._source, self._column = source, column
        self._greeted: set[str] = set()  # every contact id with a birthday row
        self._index: dict[tuple[int, int, str], list[OldLetter]] = {}
        for entry in letters:
            self._greeted.add(entry.contact_id)
            if not entry.subject:
                continue
            old = OldLetter(entry.contact_id, entry.occasion_date, entry.email, entry.subject)
            for word in _words(entry.subject):
                self._index.setdefault((old.day.month, old.day.day, word), []).append(old)
        self._present: set[str] = set()
        self._found: list[tuple[Contact, OldLetter]] = []

    def see(self, contact: Contact) -> None:
        """Note ``contact``: a greeted id still present, or a new one with a gone one's birthday and name."""
        if contact.id in self._greeted:
            self._present.add(contact.id)
            return
        born = contact.dates.get(BIRTHDAY)
        if born is None or not self._index:
            return
        seen: set[str] = set()
        for name in (contact.first_name, contact.last_name):
            for word in _words(name):
                for old in self._index.get((born.month, born.day, word), ()):
                    if old.contact_id not in seen and not same_address(old.email, contact.email):
                        seen.add(old.contact_id)
                        self._found.append((contact, old))

    def problems(self) -> list[Problem]:
        """One warning per new contact matching a greeted contact whose id the contacts have no more."""
        said: set[str] = set()
        problems: list[Problem] = []
        for contact, old in self._found:
            if old.contact_id in self._present or contact.id in said:
                continue
            said.add(contact.id)
            address = f" at {old.email}" if old.email else ""
            day = old.day.strftime("%d.%m.%Y")
            message = (
                "like a greeted contact the contacts have no more (a new id and address?): contact"
                f" {old.contact_id!r}, greeted on {day}{address} with {old.subject!r}, had this birthday"
                " and name, and this contact has no birthday letter in the journal; its letters are not"
                f" {contact.id!r}'s (history, frequency cap, already sent): see them with `greeter history"
                f" --contact {old.contact_id}`, and keep the old id in the CRM if it is one client"
            )
            row = contact.row or None
            problem = Problem(contact.source, self._column, message, row, kind="row", severity="warning")
            problems.append(placed_at_contact(problem, contact.id, self._source))
        return problems
