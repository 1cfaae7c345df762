"""The frequency cap's window and gap, defined once (greeter.cap_rules) — pure.

The planner's refusal (:func:`~greeter.cap_rules.cap_refusal`) and ``history --contact``'s
account of it (:mod:`greeter.cap_seen`) both count with :func:`~greeter.cap_rules.window_count`
and :func:`~greeter.cap_rules.breaks_gap`; the refusal, rewritten on them, refuses what it refused
before and says the gap as it did, word for word — checked against the former code, kept here,
over random histories (over-full ones too: a ``max_count`` lowered since, letters an old CRM
sent). Its «greeting no. N» alone changed, on purpose: N was the first full window's found (in a
set's order), and is now the fullest window's — one number, whatever the order.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from datetime import date

import pytest

from greeter.cap_rules import _refusal, _too_close, breaks_gap, cap_refusal, window_count, window_start
from greeter.config import FrequencyCap

CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def test_the_window_ends_on_its_day_and_holds_window_days_days() -> None:
    end = day("2027-04-13")
    assert date.fromordinal(window_start(end, 365)) == date(2026, 4, 14)
    taken = [day("2026-04-13"), day("2026-04-14"), day("2027-04-13"), day("2027-04-13"), day("2027-04-14")]
    # 13 April 2026 is out, the 14th in; both letters of the day itself count; the next day's not
    assert window_count(taken, end, 365) == 3
    assert window_count(taken, end, 1) == 2
    assert window_count([], end, 365) == 0


@pytest.mark.parametrize(
    ("gap", "min_gap", "breaks"), [(13, 14, True), (14, 14, False), (0, 1, True), (0, 0, False)]
)
def test_the_gap_rule(gap: int, min_gap: int, breaks: bool) -> None:
    assert breaks_gap(gap, FrequencyCap(max_count=6, window_days=365, min_gap_days=min_gap)) is breaks


def _refusal_before(day: int, taken: Sequence[int], cap: FrequencyCap) -> str:
    """greeter.policy._refusal as it was before the window was defined once (commit d7807b33)."""
    k = bisect.bisect_left(taken, day)
    if k and day - taken[k - 1] < cap.min_gap_days:
        return _too_close(day, taken[k - 1], cap)
    if k < len(taken) and taken[k] - day < cap.min_gap_days:
        return _too_close(day, taken[k], cap)
    if len(taken) < cap.max_count:
        return ""
    w = cap.window_days
    lo = bisect.bisect_left(taken, day - w + 1)
    hi = bisect.bisect_right(taken, day + w - 1)
    if hi - lo < cap.max_count:
        return ""
    around = taken[lo:hi]
    first = day - w + 1
    starts = {first} | {d - w + 1 for d in around if d > day}
    for s in starts:
        n = sum(1 for d in around if s <= d < s + w)
        if n >= cap.max_count:
            return f"would be greeting no. {n + 1} within {w} days (max_count {cap.max_count})"
    return ""


def _fullest(day: int, taken: Sequence[int], w: int) -> int:
    """The most greetings of ``taken`` in any ``w``-day window holding ``day``, every one tried."""
    return max(sum(1 for d in taken if s <= d < s + w) for s in range(day - w + 1, day + 1))


def test_the_refusal_refuses_what_it_did_before_naming_the_fullest_window() -> None:
    """Word for word as before but for N of «greeting no. N» (deliberately: see the module's doc),
    which is the fullest window's, counted here by trying every window holding the day."""
    rng = random.Random(20261207)
    base = day("2027-01-01")
    said = {"": 0, "gap": 0, "count": 0, "count, other N than before": 0}
    for _ in range(4000):
        cap = FrequencyCap(
            max_count=rng.randint(1, 7),
            window_days=rng.choice([7, 30, 90, 365]),
            min_gap_days=rng.randint(0, 15),
        )
        # up to 3 windows' worth of letters, as dense as an over-full history can be
        taken = sorted(base + rng.randrange(3 * cap.window_days) for _ in range(rng.randint(0, 12)))
        new = base + rng.randrange(-cap.window_days, 4 * cap.window_days)
        words, before = _refusal(new, taken, cap), _refusal_before(new, taken, cap)
        case = (new - base, [t - base for t in taken], cap)
        if before.startswith("would be greeting no."):
            n = _fullest(new, taken, cap.window_days) + 1
            w, m = cap.window_days, cap.max_count
            assert words == f"would be greeting no. {n} within {w} days (max_count {m})", case
            said["count" if words == before else "count, other N than before"] += 1
        else:
            assert words == before, case
            said["gap" if words.startswith("only") else ""] += 1
    assert min(said.values()) > 20 and min(said["gap"], said["count"], said[""]) > 200, said


def test_several_full_windows_name_the_fullest() -> None:
    """max_count 1 per 30 days (lowered since), letters 14 and 21 January, 7, 8 and 26 March (the
    later ones claimed, planned ahead): 20 February would be the 2nd in the window ending on
    7 March, and the 3rd in the one ending on 8 March (7 and 8 March). Before, the set's order
    found the first and said «no. 2»."""
    cap = FrequencyCap(max_count=1, window_days=30, min_gap_days=0)
    taken = [day(d) for d in ("2027-01-14", "2027-01-21", "2027-03-07", "2027-03-08", "2027-03-26")]
    assert window_count(taken, day("2027-02-20"), 30) == 0
    assert window_count(taken, day("2027-03-07"), 30) == 1
    assert window_count(taken, day("2027-03-08"), 30) == 2
    assert _refusal(day("2027-02-20"), taken, cap) == "would be greeting no. 3 within 30 days (max_count 1)"
    assert _refusal_before(day("2027-02-20"), taken, cap) == (
        "would be greeting no. 2 within 30 days (max_count 1)"
    )


def test_a_full_window_on_either_side_refuses() -> None:
    """Every window holding the day counts: one ending on it, and one ending on a later letter
    (a claimed letter planned after it)."""
    cap = FrequencyCap(max_count=2, window_days=30, min_gap_days=1)
    on_the_day = [day("2027-03-01"), day("2027-03-10")]
    assert cap_refusal(date(2027, 3, 20), [date.fromordinal(d) for d in on_the_day], cap) == (
        "would be greeting no. 3 within 30 days (max_count 2)"
    )
    later = [day("2027-03-01"), day("2027-03-30")]
    # the window ending on 20 March holds one letter; the one ending on 30 March holds 2 + this one
    assert window_count(later, day("2027-03-20"), 30) == 1
    assert _refusal(day("2027-03-20"), later, cap) == "would be greeting no. 3 within 30 days (max_count 2)"
