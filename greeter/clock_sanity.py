"""The clock against the journal's own latest record: a sender refuses a clock gone back.

The journal's moments are the senders' clocks when they recorded them, so a
journal holding a change later than the clock now says that a clock is (or
was) wrong. Run a week ahead, ``send --once`` recorded 168 greetings
``expired`` for good; set right again it said ``due 0; sent: 0`` and exit 0.
Both stores are checked (a shared PostgreSQL journal is also compared with
its server's clock: :meth:`~greeter.journal_pg_base.PgJournalBase.check_clock`).
The decision is :func:`~greeter.errors.journal_clock_problem`'s; this module
is its query.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from greeter.errors import CLOCK_TOLERANCE, ClockSkewError, _span, journal_clock_problem
from greeter.journal_store import JournalStore


def check_journal_clock(journal: JournalStore, now: datetime) -> None:
    """Refuse (:class:`~greeter.errors.ClockSkewError`, exit 75) when the journal recorded a change
    later than ``now`` by more than the tolerance; before a sender writes anything.

    Only on the real clock: a ``--now`` rehearsal on a copy of the journal may
    well replay an earlier day (:func:`greeter.send.on_real_clock`).
    """
    problem = journal_clock_problem(now, journal.newest_change())
    if problem is not None:
        raise ClockSkewError(f"journal: {problem}")


#: How far ``send --now`` may be from the real clock before real mail needs :data:`REALLY_DELIVER_FLAG`.
REHEARSAL_SPAN = timedelta(days=1)

#: A journal that sent a letter this long before the real clock is in use on it (production's).
IN_USE_SPAN = timedelta(days=7)

#: The ``send`` flag that confirms a ``--now`` far from the clock is to deliver real mail.
REALLY_DELIVER_FLAG = "--really-deliver"


def last_real_send(journal: JournalStore, system: datetime) -> datetime | None:
    """When the journal last sent a letter on the real clock, within :data:`IN_USE_SPAN`; else None.

    ``system`` is the real clock (the caller's, not ``--now``). Its sent times, not its last
    change: an operator's decision (``uncertain resend``) is recorded at the real time in a
    rehearsal's journal too.
    """
    sent = journal.sent_times(system - IN_USE_SPAN)
    return max((t for t in sent if t <= system + CLOCK_TOLERANCE), default=None)


def far_rehearsal_problem(
    now: datetime, system: datetime, transport: str, newest: datetime | None
) -> str | None:
    """Pure: why ``send --now NOW`` must not hand real mail over without :data:`REALLY_DELIVER_FLAG`.

    ``--now`` is how a rehearsal runs; on the production journal with
    ``transport: smtp`` a ``--now`` in 2030 sent 232 real letters (2030's
    greetings, today) with exit 0. Refused: a moment more than
    :data:`REHEARSAL_SPAN` from ``system`` (the real clock), through a
    transport that delivers, on a journal in use on the real clock — its
    ``newest`` letter sent within :data:`IN_USE_SPAN` before ``system``
    (:func:`last_real_send`; a journal only ``--now`` rehearsals sent from,
    or an empty one, is not). The
    ``file`` transport only writes files, and stays free.
    """
    if transport != "smtp" or abs(now - system) <= REHEARSAL_SPAN:
        return None
    if newest is None or not system - IN_USE_SPAN <= newest <= system + CLOCK_TOLERANCE:
        return None
    side = "ahead of" if now > system else "behind"
    return (
        f"--now {now.isoformat(timespec='minutes')} is {_span(abs(now - system))} {side} the clock,"
        " transport is smtp and this journal is in use on the real clock: the letters due then would"
        " go to their recipients now. Rehearse on a copy with transport: file, or add"
        f" {REALLY_DELIVER_FLAG} if they are to be delivered"
    )
