"""``send --dry-run``: what the daily quota or a provider's throttle would let through now.

A dry run said "N greeting(s) due" while ``delivery.rate_limit.per_day`` had room for
only ``per_day − sent`` of them, or while a provider's throttle
(:mod:`greeter.provider_throttle`) held every letter back: the operator checking before a
rush read that all would go. This reads what the send reads — the throttle the journal
records and the letters sent in the last 24 hours — and fills the summary's quota and
throttle fields as the send would, so the summary says it in the send's own words
(:func:`~greeter.delivery_summary.quota_words`, :func:`~greeter.delivery_summary.throttle_words`) and
``--json`` in its keys. It only reads: a dry run records nothing.

It lists each letter as the send would treat it, too (:func:`mark_held`): the letters the
throttle holds, or those the quota's slots do not reach in its order
(:func:`~greeter.quota_plan.in_quota_order`), read ``held`` with the hold's name and until
when — every candidate read ``due`` while only the summary said "10 would go now".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from greeter.config import Settings
from greeter.delivery_summary import Summary
from greeter.journal_store import JournalKey, JournalStore
from greeter.provider_throttle import hold_back, read_throttle
from greeter.quota_plan import Opener, Rank, in_quota_order, lost_at_slot
from greeter.ratelimit import DAY_SECONDS, QUOTA_PATIENCE, SlidingWindow, slot_frees_at
from greeter.send_due import DueLetter
from greeter.sending_hold import summary_hold
from greeter.zone_label import iso_seconds


def quota_room(ages: Iterable[float], per_day: int, letters: int) -> tuple[int, float | None]:
    """Pure: how many of ``letters`` the daily quota lets go now, given the ages (seconds) of the
    letters sent before, and in how many seconds it frees its next slot for the rest (None: all go).

    Counted by the limiter's own window (:class:`~greeter.ratelimit.SlidingWindow`), and a slot
    freeing within :data:`~greeter.ratelimit.QUOTA_PATIENCE` is waited for, as the send waits.
    """
    window = SlidingWindow(per_day, DAY_SECONDS)
    window.record(-age for age in ages if age < DAY_SECONDS)
    at = 0.0
    for gone in range(letters):
        wait = window.wait_time(at)
        if wait > QUOTA_PATIENCE:
            return gone, at + wait
        at += wait
        window.take(at)
    return letters, None


def foresee_hold(
    journal: JournalStore, settings: Settings, summary: Summary, letters: int, now: datetime
) -> datetime | None:
    """Set ``summary``'s throttle fields (an earlier throttle still holds ``letters`` back: none
    would go) and quota fields (``per_day`` leaves some unsent) as a send at ``now`` would: a
    throttle's letters wait for the quota too when it has no slot free now, as in
    :func:`~greeter.send.deliver_cycle`.

    Returns when the quota frees its next slot if the send would leave none free — after the
    letters it would send, or with none due —, else None: the send's ``full``, which holds its
    ``next_send`` (:func:`~greeter.send.hold_next_send`) and names the slot in its summary.
    """
    throttled = hold_back(summary, read_throttle(journal), letters, now, settings.delivery.retry)
    per_day = settings.delivery.rate_limit.per_day
    if per_day is None:
        return None
    ages = [(now - sent).total_seconds() for sent in journal.sent_times(now - timedelta(days=1))]
    sent = 0 if throttled else letters  # the letters the send would hand over (a throttle: none)
    _, after = quota_room(ages, per_day, sent + 1)  # would one more find a slot after them?
    full = None if after is None else slot_frees_at(now, after)
    if not letters:
        return full
    going, seconds = quota_room(ages, per_day, letters)
    if seconds is None or (throttled and going):
        return full
    summary.quota_free_at = slot_frees_at(now, seconds)  # as quota_spent
    summary.quota_unsent = letters - going
    return full


def mark_held(
    listed: Sequence[tuple[JournalKey, DueLetter]],
    summary: Summary,
    rank: Callable[[JournalKey], Rank] | None,
    zone: tzinfo | None,
    opener_of: Callable[[JournalKey], Opener] | None = None,
) -> list[DueLetter]:
    """Pure: a dry run's due letters (by journal key, in the order listed), those the send would
    hold marked so: ``held`` is the hold's name (:func:`~greeter.sending_hold.sending_hold`: the
    later one when both hold) and ``until <moment in zone>`` — with ", after its catch-up period
    ends" for a letter that expires first (:func:`~greeter.quota_plan.lost_at_slot`, with
    ``opener_of`` its recipient's window for it, as the run's ``quota_expiring`` counts it).

    A throttle holds every letter that would go; the quota the last ``quota_unsent`` of them in
    its order (``rank``: :func:`~greeter.send.quota_ranks`; None keeps the listed order). A letter
    already held (the review gate, a template error) keeps its reason: it takes no slot.
    """
    hold = summary_hold(summary)
    letters = [letter for _, letter in listed]
    if hold is None or not hold.letters:
        return letters
    held = [i for i, letter in enumerate(letters) if letter.held is None]
    if not summary.throttle_unsent:  # the quota alone: its slots go to the first in its order
        ordered = held if rank is None else in_quota_order(held, lambda i: rank(listed[i][0]))
        held = ordered[max(len(ordered) - summary.quota_unsent, 0) :]
    until = iso_seconds(hold.until.astimezone(zone), up=True)
    for i in held:
        lost = rank is not None and lost_at_slot(rank(listed[i][0]), hold.until, opener_of)
        why = f"{hold.reason}: until {until}" + (", after its catch-up period ends" if lost else "")
        letters[i] = replace(letters[i], held=why)
    return letters
