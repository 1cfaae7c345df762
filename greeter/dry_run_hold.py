"""``send --dry-run``: what the daily quota or a provider's throttle would let through now.

A dry run said "N greeting(s) due" while ``delivery.rate_limit.per_day`` had room for
only ``per_day − sent`` of them, or while a provider's throttle
(:mod:`greeter.provider_throttle`) held every letter back: the operator checking before a
rush read that all would go. This reads what the send reads — the throttle the journal
records and the letters sent in the last 24 hours — and fills the summary's quota and
throttle fields as the send would, so the summary says it in the send's own words
(:func:`~greeter.delivery.quota_words`, :func:`~greeter.delivery.throttle_words`) and
``--json`` in its keys. It only reads: a dry run records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from greeter.config import Settings
from greeter.delivery import Summary
from greeter.journal_store import JournalStore
from greeter.provider_throttle import hold_back, read_throttle
from greeter.ratelimit import DAY_SECONDS, QUOTA_PATIENCE, SlidingWindow, slot_frees_at


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
) -> None:
    """Set ``summary``'s throttle fields (an earlier throttle still holds ``letters`` back: none
    would go) or quota fields (``per_day`` leaves some unsent) as a send at ``now`` would."""
    if hold_back(summary, read_throttle(journal), letters, now, settings.delivery.retry):
        return
    per_day = settings.delivery.rate_limit.per_day
    if per_day is None or not letters:
        return
    ages = [(now - sent).total_seconds() for sent in journal.sent_times(now - timedelta(days=1))]
    going, seconds = quota_room(ages, per_day, letters)
    if seconds is None:
        return
    summary.quota_free_at = slot_frees_at(now, seconds)  # as quota_spent
    summary.quota_unsent = letters - going
