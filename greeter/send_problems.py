"""Whether ``send --once`` has said this run's contact problems before: the journal's notice of them.

A cron job's stderr should not repeat the same rejected rows every five
minutes. The fingerprint of the problems said, recorded in the journal, and
the comparison with a run's own live together: they are the one rule for
"these are not news", read before the batch and written after it by
:func:`greeter.send.send_once`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import datetime

from greeter.errors import JournalError, Problem
from greeter.journal_store import JournalStore, Notice

#: The :meth:`~greeter.journal_store.JournalStore.notice` under which ``send --once`` keeps the
#: contact problems it last said (the daemon keeps its own in memory: it is one process).
CONTACT_PROBLEMS = "contact_problems"


def problems_fingerprint(problems: Sequence[Problem]) -> str:
    """A digest of the problems' texts, sorted, without their row numbers: the same set in another
    row order, or moved down by a contact the CRM added above it, is the same.

    Every text counts — a rejected row's error as a warning — so a row fixed
    or newly broken, or a problem worded anew, is a new set. The row number is
    left out (QA re-test): a daily export with one client more near the top moved
    every known bad row down one, and ``send --once --quiet`` mailed cron again
    about nothing new. The texts carry the cell's value, so another row broken
    the same way as one fixed meanwhile is the one case taken as the same set.
    """
    texts = sorted(str(replace(p, line=None)) if p.kind == "row" else str(p) for p in problems)
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()


def problems_since(said: Notice | None, problems: Sequence[Problem]) -> datetime | None:
    """When these very ``problems`` were said, by what the journal recorded (``said``); None if they
    are new or there are none. Pure: ``send --once`` prints them again only when this is None (or
    a person is looking: stderr is a terminal)."""
    if not problems or said is None or said.fingerprint != problems_fingerprint(problems):
        return None
    return said.said_at


def remember_problems(
    journal: JournalStore, said: Notice | None, problems: Sequence[Problem], now: datetime
) -> None:
    """Record ``problems`` as said at ``now``, unless the journal has them already (or never had any).

    A set that became empty is recorded too, so the same problems coming back
    are news again. Written after the letters: a run the journal stopped
    midway prints no problems, so must not count them as said. Best effort: a
    journal failing now costs only saying them once more next run, while its
    error here would read "nothing was sent" after letters went.
    """
    fingerprint = problems_fingerprint(problems)
    if (said is None and not problems) or (said is not None and said.fingerprint == fingerprint):
        return
    with suppress(JournalError):
        journal.record_notice(CONTACT_PROBLEMS, fingerprint, now)
