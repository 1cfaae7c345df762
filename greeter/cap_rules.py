"""The frequency cap's rules (rule of six: ``min_gap_days``, ``max_count`` per ``window_days``) and
a refusal's words — pure: :func:`cap_refusal` says why one more greeting on a day would break them.

Apart from :mod:`greeter.policy`, which merges occasions and decides who leads a letter by asking
these rules; the sender's claim (:mod:`greeter.delivery`) asks them again before a letter leaves.

The window and the gap are defined here once (:func:`window_start`, :func:`window_count`,
:func:`breaks_gap`), for the planner's decision and for ``history --contact``'s account of it
(:func:`~greeter.cap_seen.cap_seen`): a view counting with code of its own could tell a client
"2 of 6" of a window the planner counted as full, or call a gap fine that the planner refused.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from greeter.i18n import plural

if TYPE_CHECKING:  # the config's models are not needed to apply them (history imports this lightly)
    from greeter.config import FrequencyCap


def window_start(end: int, window_days: int) -> int:
    """The first day (an ordinal) of the ``window_days`` window ending on day ``end``.

    A window is ``end - window_days + 1`` … ``end``, both included: 365 days ending on
    13 April 2027 begin on 14 April 2026, so a letter of 13 April 2026 is out of it and one of
    the 14th in. The one definition of the window, for the planner (every window holding a day,
    :func:`_refusal`) and for ``history --contact`` (the window ending on a letter's day).
    """
    return end - window_days + 1


def window_count(taken: Sequence[int], end: int, window_days: int) -> int:
    """How many of ``taken`` (ordinals, sorted) lie in the ``window_days`` window ending on ``end``
    (:func:`window_start`): every greeting on ``end`` counts, whatever the hour it left."""
    return bisect.bisect_right(taken, end) - bisect.bisect_left(taken, window_start(end, window_days))


def breaks_gap(gap: int, cap: FrequencyCap) -> bool:
    """Whether two greetings ``gap`` days apart (calendar days on the client's clock, 0: the same
    day) are closer than ``min_gap_days`` allows: 13 days with 14 are, 14 are not, and with
    ``min_gap_days: 0`` nothing is — two letters on one day included."""
    return gap < cap.min_gap_days


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
    if k and breaks_gap(day - taken[k - 1], cap):
        return _too_close(day, taken[k - 1], cap)
    if k < len(taken) and breaks_gap(taken[k] - day, cap):
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
    # The windows holding `day` end on `day` … `day + w - 1`: the first begins window_start(day, w).
    lo = bisect.bisect_left(taken, window_start(day, w))
    hi = bisect.bisect_right(taken, day + w - 1)
    if hi - lo < cap.max_count:
        return 0  # fewer greetings near `day` than any window needs to be full
    # Every window holding `day` may already hold at most max_count - 1 others. Moving a window
    # later only ever gains a greeting when its end reaches a later one, so the windows to try
    # end on `day` and on each later greeting. The fullest is the number: one answer, whatever
    # the order the windows are tried in (the first full one found, in a set's order, said
    # «no. 2» of a day whose later window made it no. 3, and could change its number when an
    # unrelated letter was added), and for a day with no letter after it — the planner's usual
    # case — it is the window ending on it, the one ``history --contact`` counts.
    n = max(window_count(taken, end, w) for end in (day, *(d for d in taken[lo:hi] if d > day)))
    return n if n >= cap.max_count else 0


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
