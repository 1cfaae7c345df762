"""The frequency cap's rules (rule of six: ``min_gap_days``, ``max_count`` per ``window_days``) and
a refusal's words — pure: :func:`cap_refusal` says why one more greeting on a day would break them.

Apart from :mod:`greeter.policy`, which merges occasions and decides who leads a letter by asking
these rules; the sender's claim (:mod:`greeter.delivery`) asks them again before a letter leaves.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from greeter.config import FrequencyCap
from greeter.i18n import plural


def cap_refusal(day: date, taken: Sequence[date], cap: FrequencyCap) -> str:
    """Why one more greeting on ``day`` would break the cap, or ``""`` if it fits.

    ``taken`` is sorted. Checks the gap on both sides (history may hold a
    claimed greeting planned later) and every ``window_days`` window that
    contains ``day``.
    """
    return _refusal(day.toordinal(), [d.toordinal() for d in taken], cap)


def _refusal(day: int, taken: Sequence[int], cap: FrequencyCap) -> str:
    """:func:`cap_refusal` on ordinals (what the planner keeps: no date arithmetic per check)."""
    k = bisect.bisect_left(taken, day)
    # The nearest greeting before, then the nearest on or after: the gap on both sides.
    if k and day - taken[k - 1] < cap.min_gap_days:
        return _too_close(day, taken[k - 1], cap)
    if k < len(taken) and taken[k] - day < cap.min_gap_days:
        return _too_close(day, taken[k], cap)
    n = window_full(day, taken, cap)
    if n:
        return f"would be greeting no. {n + 1} within {cap.window_days} days (max_count {cap.max_count})"
    return ""


def window_full(day: int, taken: Sequence[int], cap: FrequencyCap) -> int:
    """How many of ``taken`` (sorted ordinals) a full ``window_days`` window containing ``day`` holds,
    or 0: one more greeting on ``day`` fits ``max_count`` (the gap is not asked).

    Apart from :func:`_refusal` for the priority rule (:func:`~greeter.policy.decide`): a letter
    that fits the count alone but not beside the letters of a higher priority still to come gives
    way to them, whatever the gap.
    """
    if len(taken) < cap.max_count:
        return 0  # too few greetings in all to fill any window
    w = cap.window_days
    lo = bisect.bisect_left(taken, day - w + 1)
    hi = bisect.bisect_right(taken, day + w - 1)
    if hi - lo < cap.max_count:
        return 0  # fewer greetings near `day` than any window needs to be full
    around = taken[lo:hi]
    # Every window [s, s + w) containing `day` may already hold at most max_count - 1 others.
    # Sliding s forward only ever gains a greeting when s + w reaches a later one, so the
    # windows to try start at the earliest s and where each later greeting just enters.
    first = day - w + 1
    starts = {first} | {d - w + 1 for d in around if d > day}
    for s in starts:
        n = sum(1 for d in around if s <= d < s + w)
        if n >= cap.max_count:
            return n
    return 0


def _too_close(day: int, near: int, cap: FrequencyCap) -> str:
    gap = abs(day - near)
    return f"only {_days(gap)} from the greeting of {_ymd(near)} (min_gap_days {cap.min_gap_days})"


@lru_cache(maxsize=128)
def _days(n: int) -> str:
    """``n`` and "day" or "days": "only 1 day from …" (the planner's details are English).

    Cached: a refusal's words are built for every refused candidate of a large
    plan, and a handful of gaps recur.
    """
    return f"{n} {plural(n, 'day|days', 'en')}"


@lru_cache(maxsize=4096)
def _ymd(ordinal: int) -> str:
    """The day ``ordinal`` as ``%Y-%m-%d``, as the planner's details name days.

    Cached: an expired candidate's detail names every other member of its group
    (:func:`~greeter.policy._uncarried`), for simulated days too, and a plan's days are a few hundred.
    """
    return f"{date.fromordinal(ordinal):%Y-%m-%d}"
