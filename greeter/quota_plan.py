"""The daily quota (``delivery.rate_limit.per_day``) and the plan: who gets the scarce slots.

Pure functions, called from the shells (:mod:`greeter.send`, ``check``,
``preview``). A quota smaller than a busy day's letters leaves some of them for
a later run, and a letter whose catch-up period ends before the quota frees a
slot is lost (``expired``). Handing the slots out in contact-id order with
retries last sent New-Year-only letters that could still have gone tomorrow
while birthdays expiring tonight were left unsent: :func:`quota_rank` orders the
letters so that the ones lost first go first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from greeter.journal_store import JournalKey

T = TypeVar("T")

#: What orders letters under a quota: deadline, then priority (higher first, so negated), then
#: contact id, occasion and its date (a stable order whatever the plan's).
Rank = tuple[datetime, int, str, str, date]


def quota_rank(deadline: datetime, priorities: Iterable[int], key: JournalKey) -> Rank:
    """Pure: where a letter stands when the daily quota cannot send every due one.

    ``deadline``: the last moment it may still leave (its catch-up period's
    end, :func:`~greeter.delivery.letter_deadline`; for a letter carrying
    merged occasions the earliest of theirs); ``priorities``: its occasions'
    priorities (the highest counts); ``key``: its journal key. Earliest
    deadline first — a birthday that expires tonight before a New Year letter
    that can still leave tomorrow —, then higher priority, then contact id.
    """
    top = max(priorities, default=0)
    contact_id, occasion, day = key
    return (deadline, -top, contact_id, occasion, day)


def in_quota_order(letters: Sequence[T], rank: Callable[[T], Rank]) -> list[T]:
    """Pure: ``letters`` in the order the daily quota hands out its slots (:func:`quota_rank`)."""
    return sorted(letters, key=rank)
