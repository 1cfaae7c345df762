"""Letters the journal holds undecided: ``uncertain`` ones and recently ``failed`` ones.

An ``uncertain`` letter (the connection broke after the message was handed over)
waits for the operator's decision, ``greeter uncertain resend|dismiss``; a
``failed`` one for a corrected address and ``greeter failed resend``. The run that
made them said so once, in its log; every later ``greeter check`` said nothing,
and a client's birthday letter stayed uncertain for months. ``greeter check``
counts them at the journal, with the commands to decide them.

Read with two indexed queries (``greetings_by_state``: the uncertain rows, and the
failed ones of the last :data:`RECENT_FAILED_DAYS` days), each a few rows in a
healthy journal; whether each uncertain letter can still be resent is the
decision commands' own test (:class:`~greeter.decision_facts.Standing`), over the
contacts check has read already. The words are pure (:func:`open_letter_problems`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from greeter.errors import GreeterError, Problem
from greeter.journal_store import JournalEntry, JournalStore

#: How far back (by occasion date) a ``failed`` letter counts as recent: a month's worth, the
#: failures an operator can still mend (an older one's occasion is past any catch-up).
RECENT_FAILED_DAYS = 30
#: How many uncertain letters check tests one by one for a resend; more are counted only.
MAX_TESTED = 1000


@dataclass
class OpenLetters:
    """The journal's ``uncertain`` letters and its ``failed`` ones since :attr:`failed_since`;
    ``where``: the journal, as check's database line names it (its problems are placed there)."""

    where: str
    failed_since: date
    uncertain: list[JournalEntry] = field(default_factory=list)
    failed: list[JournalEntry] = field(default_factory=list)

    def contact_ids(self) -> set[str]:
        """The contacts whose rows a resend test needs (their zone and country)."""
        return {e.contact_id for e in self.uncertain[:MAX_TESTED]}


def read_open_letters(
    journal: JournalStore, now: datetime, where: str, birthdays: Sequence[str]
) -> tuple[OpenLetters, list[JournalEntry]] | None:
    """The journal's open letters, and its letters of the ``birthdays`` occasions of the last
    :data:`~greeter.check_reappeared.HORIZON_DAYS` days (:class:`~greeter.check_reappeared.Reappeared`);
    None when it cannot be read now (:func:`~greeter.check_delivery.check_journal_state` and the
    database line say why). ``journal``: :func:`~greeter.check_delivery.checked_journal`'s."""
    from greeter.check_reappeared import HORIZON_DAYS

    since = now.date() - timedelta(days=RECENT_FAILED_DAYS)
    try:
        uncertain = list(journal.iter_history(state="uncertain"))
        failed = list(journal.iter_history(state="failed", since=since))
        year = now.date() - timedelta(days=HORIZON_DAYS)
        letters = [e for name in birthdays for e in journal.iter_history(occasion=name, since=year)]
    except (GreeterError, sqlite3.Error):
        return None
    return OpenLetters(where, since, uncertain, failed), letters


def _first(entries: Sequence[JournalEntry]) -> JournalEntry:
    """The entry with the earliest occasion date: the one waiting longest."""
    return min(entries, key=lambda e: (e.occasion_date, e.contact_id, e.occasion))


def _named(entry: JournalEntry) -> str:
    return f"contact {entry.contact_id!r} {entry.occasion} of {entry.occasion_date.isoformat()}"


def open_letter_problems(found: OpenLetters, too_late: Callable[[JournalEntry], str | None]) -> list[Problem]:
    """A warning for the uncertain letters (how many can still be resent) and one for the recently
    failed, each with the commands that decide them, at the journal.

    ``too_late``: why an entry can no longer be resent (:meth:`~greeter.decision_facts.Standing.too_late`).
    """
    problems: list[Problem] = []
    if found.uncertain:
        tested = found.uncertain[:MAX_TESTED]
        late = sum(too_late(e) is not None for e in tested)
        first = _first(found.uncertain)
        count = len(found.uncertain)
        if late == len(tested) == count:
            split = "all past their catch-up period: they can only be dismissed"
        elif late == 0 and len(tested) == count:
            split = "each can still be resent"
        else:
            untested = count - len(tested)
            split = f"{len(tested) - late} can still be resent, {late} only dismissed (past catch-up)"
            split += f", {untested} not tested" if untested else ""
        message = (
            f"{count} letter(s) uncertain — the client may or may not have them, and greeter waits for"
            f" your decision — the oldest {_named(first)}; {split}. See them with `greeter history --state"
            " uncertain`, check the mail server's log, then `greeter uncertain resend|dismiss --contact ID"
            " --occasion NAME --date DATE` (or `--all`)"
        )
        problems.append(Problem(found.where, "journal", message, severity="warning"))
    if found.failed:
        first = _first(found.failed)
        since = found.failed_since.isoformat()
        message = (
            f"{len(found.failed)} letter(s) of the last {RECENT_FAILED_DAYS} days failed (not sent), the"
            f" oldest {_named(first)}; see why with `greeter history --state failed --since {since}`, mend"
            " the address in the CRM, then `greeter failed resend --contact ID --occasion NAME --date DATE`"
            " (or `--all`)"
        )
        problems.append(Problem(found.where, "journal", message, severity="warning"))
    return problems
