"""What the frequency cap saw of one client's letters, row by row: ``greeter history --contact`` — pure.

An account manager answering «you write to me too often» or «why did I get
nothing on my birthday» had the client's letters, but not what the cap
(``frequency_cap``: ``min_gap_days``, ``max_count`` per ``window_days``)
counted of them: which counted, how many days each came after the one before,
how many the window held. :func:`cap_seen` says so beside each row.

One reading of a journal row, the cap's own: a row counts on the day
:func:`cap_day` gives — what :meth:`~greeter.journal_store.JournalStore.greeted_dates`
hands the planner (its SQL: a state of :data:`~greeter.journal_store.CAP_STATES`,
a baseline's row as sent, a failed letter put back in line not; the day
``COALESCE(send_day, occasion_date)``) and :func:`~greeter.policy.past_days`
counts, and what a shared journal's claim counts again
(:meth:`~greeter.delivery.Deliverer.claim_for_contact`). The gap is in
calendar days on the client's clock (``send_day`` is the recipient's local
day), as ``min_gap_days`` is defined (docs/config.md); the window is the
``window_days`` ending on the letter's day, the letter included, one of the
windows :func:`~greeter.cap_rules.cap_refusal` checks. Both are the cap's own
definitions (:func:`~greeter.cap_rules.window_count`,
:func:`~greeter.cap_rules.breaks_gap`), not a second reading of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from greeter.cap_rules import breaks_gap, window_count
from greeter.journal_store import CAP_STATES, JournalEntry, JournalKey, is_requeued, planned_state

if TYPE_CHECKING:
    from greeter.config import FrequencyCap

#: The JSON and CSV fields :func:`cap_seen` fills (``history --contact``; the CSV's last columns,
#: empty in a listing of every client — the cap is per client).
CAP_FIELDS = ("cap_counted", "cap_gap_days", "cap_window_count")


def cap_day(entry: JournalEntry) -> date | None:
    """The day ``entry`` counts against the frequency cap on, or None: it does not count.

    A letter that left, is leaving or may have arrived (``sent``, ``claimed``, ``retry``,
    ``uncertain``; a row ``greeter baseline`` recorded, planned as sent) counts on its day on the
    client's clock (``send_day``; the occasion's day for a row journaled without one). A failed,
    expired or skipped row (one that rode in another letter: that letter counts) does not, nor a
    failed letter an operator put back in line (``failed resend``): the next plan writes it afresh.
    """
    if is_requeued(entry) or planned_state(entry.state, entry.reason) not in CAP_STATES:
        return None
    return entry.send_day or entry.occasion_date


@dataclass(frozen=True, slots=True)
class Seen:
    """One row as the cap saw it (:func:`cap_seen`)."""

    #: Whether the row counts against the cap (:func:`cap_day`).
    counted: bool
    #: Days since the client's previous letter that counted (0: the same day); None: the first
    #: the journal holds, or the row does not count.
    gap_days: int | None = None
    #: Letters that counted in the ``window_days`` ending on its day, itself included; None: the
    #: row does not count.
    window_count: int | None = None


@dataclass(frozen=True, slots=True)
class CapView:
    """What the cap saw of one client's rows (by journal key), and the cap it is told against."""

    cap: FrequencyCap
    seen: Mapping[JournalKey, Seen]

    def fields(self, entry: JournalEntry) -> dict[str, Any]:
        """:data:`CAP_FIELDS` of ``entry`` for JSON and CSV (nulls for a row not in the view)."""
        seen = self.seen.get(entry.key)
        if seen is None:
            return dict.fromkeys(CAP_FIELDS)
        return dict(zip(CAP_FIELDS, (seen.counted, seen.gap_days, seen.window_count), strict=True))

    def text(self, entry: JournalEntry) -> str:
        """The table's cell: "14 days after the last; 3 of 6 in 365 days", "first; 1 of 6 in
        365 days", "not counted" — and the limit named where the row is past it: "only 6 days
        after the last (min_gap_days 14)", "7 of 6 in 365 days (over max_count 6)"."""
        seen = self.seen.get(entry.key)
        if seen is None:
            return ""
        if not seen.counted:
            return "not counted"
        cap = self.cap
        if seen.gap_days is None:
            gap = "first"
        else:
            days = f"{seen.gap_days} day{'' if seen.gap_days == 1 else 's'}"
            gap = f"{days} after the last"
            if breaks_gap(seen.gap_days, cap):  # closer than the cap allows (a config changed since)
                gap = f"only {gap} (min_gap_days {cap.min_gap_days})"
        window = f"{seen.window_count} of {cap.max_count} in {cap.window_days} days"
        if seen.window_count is not None and seen.window_count > cap.max_count:
            # More than the cap allows (max_count lowered since, letters sent by hand or by an old
            # CRM): marked as a gap too short is, or "7 of 6" reads like a typo.
            window = f"{window} (over max_count {cap.max_count})"
        return f"{gap}; {window}"


def cap_seen(rows: Iterable[JournalEntry], cap: FrequencyCap) -> CapView:
    """Each of one client's ``rows`` as the cap saw it: counted or not, the gap, the window's count.

    ``rows``: every row of the client the planner counts — its own and those to its address under
    a former id (:func:`~greeter.history_view.with_former_ids`) — whatever a listing's filters
    show: a letter ``--occasion`` or ``--since`` leaves out still counted. Two letters on one day
    are taken in the order they left (0 days apart); each day's count holds both.
    """
    counted: list[tuple[int, datetime, JournalEntry]] = []
    seen: dict[JournalKey, Seen] = {}
    for entry in rows:
        counts_on = cap_day(entry)
        if counts_on is None:
            seen[entry.key] = Seen(False)
        else:
            counted.append((counts_on.toordinal(), entry.sent_at or entry.planned_at or _EPOCH, entry))
    counted.sort(key=lambda c: (c[0], c[1]))
    taken = [c[0] for c in counted]
    before: int | None = None
    for day, _, entry in counted:
        in_window = window_count(taken, day, cap.window_days)
        seen[entry.key] = Seen(True, None if before is None else day - before, in_window)
        before = day
    return CapView(cap, seen)


#: The order of a counted row that neither left nor was planned (a baseline's): first on its day.
_EPOCH = datetime.min.replace(tzinfo=UTC)
