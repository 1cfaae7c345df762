"""Greetings the journal holds for a contact's address under another contact id: a renumbered CRM.

The journal keys a greeting by (contact id, occasion, occasion date), and a contact's id is the
CRM's id column. A re-export that renumbers the clients (a move to another CRM, a merge of
duplicates, an export from a view with another id column) gives the same person, at the same
address, a new id. The planner matches such greetings by address and does not send them again
(:func:`~greeter.planner.journal_past`, :func:`~greeter.precheck.counts_as_greeted`); each one is
shown with the other id in its detail. A renumbering moves thousands of rows at once, though,
and a per-row detail is read only by whoever looks at that row: this module counts them for
one warning line per run, so that the operator learns the CRM changed its ids. Pure: the plan
and the journal's history come in as data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from greeter.contacts import email_key
from greeter.errors import Problem
from greeter.plan_types import PastGreeting, PlanItem
from greeter.precheck import counts_as_greeted
from greeter.sources import LoadReport

#: Plan items whose greeting the journal may hold: a letter it says left, and the skips it explains.
_HELD = frozenset({"already_sent", "merged"})


def other_id_row(
    item: PlanItem,
    history: Mapping[str, Sequence[PastGreeting]],
    by_email: Mapping[str, Sequence[PastGreeting]],
) -> PastGreeting | None:
    """The journal's row that keeps ``item`` from being sent because it holds the same greeting
    (occasion and date) to the contact's address under another contact id; None when there is
    none, or when the contact's own id holds it too (then nothing was renumbered for it).

    ``history`` and ``by_email``: the journal's rows by contact id and by
    :func:`~greeter.contacts.email_key` of their address, as the planner gets them.
    """
    if item.status == "send" or (item.status == "skip" and item.reason not in _HELD):
        return None
    contact, hit = item.hit.contact, item.hit
    if not contact.email:
        return None
    key = (hit.occasion, hit.date)
    if any((p.occasion, p.occasion_date) == key for p in history.get(contact.id, ())):
        return None
    others = [p for p in by_email.get(email_key(contact.email), ()) if p.contact_id != contact.id]
    return next(
        (p for p in others if (p.occasion, p.occasion_date) == key and counts_as_greeted(p, others)), None
    )


@dataclass
class RenumberedTally:
    """How many greetings of one plan the journal holds under another id, and the first, to name."""

    greetings: int = 0
    contacts: set[str] = field(default_factory=set)
    #: The first one met: (the contact's id now, the journal's row under the old id).
    example: tuple[str, PastGreeting] | None = None

    def add(self, contact_id: str, row: PastGreeting) -> None:
        self.greetings += 1
        self.contacts.add(contact_id)
        if self.example is None:
            self.example = (contact_id, row)

    def warning(self, source: str) -> Problem | None:
        """One line for the whole run (None: nothing to say), however many rows were renumbered."""
        if self.example is None:
            return None
        now_id, row = self.example
        n, people = self.greetings, len(self.contacts)
        what = "1 greeting" if n == 1 else f"{n} greetings"
        whom = "1 contact" if people == 1 else f"{people} contacts"
        message = (
            f"{what} of {whom} the journal already has to the same address under another contact id "
            f"(e.g. contact {now_id}: {row.occasion} of {row.occasion_date:%d.%m.%Y}, {row.state} to "
            f"{row.email} under contact id {row.contact_id}): was the CRM renumbered? They are not "
            "sent again (already_sent); greeter history --email ADDRESS lists each one's letters"
        )
        return Problem(source, "", message, severity="warning")


def noting_renumbered(
    items: Iterable[PlanItem],
    history: Mapping[str, Sequence[PastGreeting]],
    by_email: Mapping[str, Sequence[PastGreeting]],
    report: LoadReport,
) -> Iterator[PlanItem]:
    """``items`` as they are; once they are all read, the :class:`RenumberedTally` warning, if
    any, is put first among ``report``'s problems — printed with the contacts' other problems
    (and held back with them, unchanged, when cron runs ``send`` again), and the one the
    daemon's ``contact_row_problems`` log event names (it logs the first)."""
    tally = RenumberedTally()
    for item in items:
        if by_email and item.status != "send":
            row = other_id_row(item, history, by_email)
            if row is not None:
                tally.add(item.hit.contact.id, row)
        yield item
    problem = tally.warning(report.source)
    if problem is not None:
        report.problems.insert(0, problem)
