"""The planner's per-run caches and fast paths give exactly what the plain definitions give.

The planner keeps tables for a whole run (per zone: local now, send periods of
a day; per day: the working day an occasion moves to) and decides the cap on
tuples. A cache keyed without one of its inputs would silently hand one zone's
answer to another, so these tests plan contacts that differ only in their zone
in one shared window and compare each with a fresh window, and check the fast
cap and spreading code against the original algorithms kept here as the reference.
"""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import (
    WorkCalendar,
    allowed_intervals,
    build_calendar,
    day_slots,
    next_window_open,
    spread,
)
from greeter.cap_rules import cap_refusal
from greeter.config import FrequencyCap
from greeter.config_loader import parse_settings
from greeter.config_window import SendWindow
from greeter.contacts import Contact
from greeter.journal_store import CAP_STATES
from greeter.plan_types import Hit, PastGreeting, PlanItem
from greeter.planner import PlanWindow, plan_contact, plan_window
from greeter.policy import Candidate, Verdict, apply_cap
from tests.conftest import TODAY
from tests.test_planner import CONFIG as PLANNER_CONFIG

#: test_planner's configuration with a spring date instead of New Year (it falls in the DST weeks).
CONFIG = PLANNER_CONFIG.replace('{name: new_year, date: "12-29"', '{name: spring, date: "03-26"')

#: Berlin and Lagos share UTC+1 until Berlin's clocks go forward on 28 March 2027; at the
#: plan's ``now`` New York is still on 27 March and Vladivostok already on 28 March.
ZONES = ["Europe/Berlin", "Africa/Lagos", "America/New_York", "Asia/Vladivostok", None]
NOW = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)


def _contact(tz: str | None) -> Contact:
    dates = {"birthday": date(1980, 3, 29), "first_deal": date(2027, 3, 28)}
    return Contact(id="7", email="a@example.com", timezone=tz, dates=MappingProxyType(dates))


def _shape(items: list[PlanItem]) -> list[tuple[object, ...]]:
    return [
        (i.hit, i.status, i.reason, i.send_at, i.send_at and i.send_at.utcoffset(), i.merged_with, i.detail)
        for i in items
    ]


@pytest.mark.parametrize("order", [ZONES, ZONES[::-1]])
def test_a_shared_window_plans_every_zone_as_a_fresh_one_would(order: list[str | None]) -> None:
    settings = parse_settings(CONFIG, "g.yaml", today=TODAY)
    shared = plan_window(settings, now=NOW, start=date(2027, 3, 20), days=30)
    planned = {tz: plan_contact(_contact(tz), shared) for tz in order}
    for tz in order:
        fresh = plan_window(settings, now=NOW, start=date(2027, 3, 20), days=30)
        assert _shape(planned[tz]) == _shape(plan_contact(_contact(tz), fresh)), tz

    def send_at(tz: str | None, occasion: str) -> datetime | None:
        return next(i.send_at for i in planned[tz] if i.hit.occasion == occasion)

    berlin, lagos = send_at("Europe/Berlin", "birthday"), send_at("Africa/Lagos", "birthday")
    assert berlin is not None and lagos is not None
    # Same contact id, occasion and day: the same spread position, one real hour apart.
    assert berlin.time() == lagos.time() and lagos - berlin == timedelta(hours=1)
    # Each zone's own "today": a first deal dated 28 March is in the future only in New York.
    reasons = {tz: {i.hit.occasion: i.reason for i in planned[tz]} for tz in order}
    assert reasons["America/New_York"]["first_deal"] == "invalid_contact"
    assert "first_deal" not in reasons["Asia/Vladivostok"]  # its day itself, not an anniversary


def _reference_spread(day: date, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar, f: float) -> datetime:
    """``send_time`` as it was written before :class:`DaySlots` (timedelta arithmetic in UTC)."""
    periods = [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in allowed_intervals(day, tz, window, cal)]
    total = sum(int((b - a).total_seconds()) for a, b in periods)
    offset = int(f * total)
    for a, b in periods:
        length = int((b - a).total_seconds())
        if offset < length:
            return (a + timedelta(seconds=offset)).astimezone(tz)
        offset -= length
    return (periods[-1][1] - timedelta(seconds=1)).astimezone(tz)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo"])
@pytest.mark.parametrize("micro", [0, 250_000])  # whole seconds: the POSIX path; else timedelta
def test_spread_is_the_plain_definition_on_dst_days(zone: str, micro: int) -> None:
    tz = ZoneInfo(zone)
    night = SendWindow.model_validate(
        {
            "hours": {"start": time(0, 0, 0, micro), "end": time(6)},
            "lunch": None,
            "friday_cutoff": None,
            "end_margin_minutes": 0,
            "working_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "public_holidays": False,
        }
    )
    cal = build_calendar(night, None, range(2026, 2029))
    days = [date(2027, 3, 28), date(2027, 4, 4), date(2027, 10, 3), date(2027, 10, 31), date(2027, 11, 7)]
    fractions = [0.0, 0.1, 0.33, 0.5, 0.77, 0.999999, 1.0]
    for day in days:
        slots = day_slots(day, tz, night, cal)
        assert (slots.epochs is None) == bool(micro)
        for f in fractions:
            got, want = spread(slots, f, tz), _reference_spread(day, tz, night, cal, f)
            assert (got, got.utcoffset(), got.fold, got.replace(tzinfo=None)) == (
                want,
                want.utcoffset(),
                want.fold,
                want.replace(tzinfo=None),
            ), (day, f)


# --- the cap: the original list-of-dates algorithm, as the reference (its N: the fullest window) -


def _reference_refusal(day: date, taken: Sequence[date], cap: FrequencyCap) -> str:
    k = bisect.bisect_left(taken, day)
    for near in taken[max(k - 1, 0) : k + 1]:
        gap = abs((day - near).days)
        if gap < cap.min_gap_days:
            days = "day" if gap == 1 else "days"
            return f"only {gap} {days} from the greeting of {near:%Y-%m-%d} (min_gap_days {cap.min_gap_days})"
    w = cap.window_days
    lo = bisect.bisect_left(taken, date.fromordinal(day.toordinal() - w + 1))
    hi = bisect.bisect_right(taken, date.fromordinal(day.toordinal() + w - 1))
    around = taken[lo:hi]
    first = day.toordinal() - w + 1
    starts = {first} | {d.toordinal() - w + 1 for d in around if d > day}
    # Changed on purpose (not verbatim here): the words name the fullest window, where the
    # original named the first full one the set's order gave (see tests/test_cap_rules.py).
    n = max(sum(1 for d in around if s <= d.toordinal() < s + w) for s in starts)
    if n >= cap.max_count:
        return f"would be greeting no. {n + 1} within {w} days (max_count {cap.max_count})"
    return ""


def _reference_apply_cap(
    candidates: Iterable[Candidate], past: Sequence[PastGreeting], cap: FrequencyCap
) -> list[Verdict]:
    """The cap's rules written plainly (see :func:`greeter.policy.decide`'s docstring).

    Groups form by anchor over every candidate. A late one the history refused on its
    planned day, and an expired one, may only ride along. The letter is led by the best
    member (priority, day, name) that fits the cap and pushes out of the cap (by the gap
    or by max_count) no later candidate leaving within ``max(min_gap_days, 1)`` days of it
    that fits without it — of the same or a higher priority when the lead is late, of a
    higher priority than the lead's when a
    member of a higher priority could not lead (a fallback lead), or when the lead is a best
    member leaving after the group's first day. With no such member each one is skipped with
    its own reason — but a best member that only yielded leads after all. Nor does a member lead
    whose letter would leave no ``max_count`` slot to the later letters of a higher priority
    (within ``window_days``, those that fit) — the priority rule. The letter also carries every
    later candidate anchored less than ``max(min_gap_days, 1)`` days after its lead's anchor.
    """
    taken = sorted(p.day for p in past if p.state in CAP_STATES)
    gap = max(cap.min_gap_days, 1)
    ordered = sorted(candidates, key=lambda c: (c.anchor, -c.hit.priority, c.hit.occasion))

    def gives_way(lead: Candidate, later: list[Candidate], may: Callable[[Candidate], bool]) -> str:
        """The later letter of a higher priority ``lead`` would leave no slot (``max_count``), or "".

        Reserved from the highest priority down (then the earlier), each only if it fits the cap
        beside the history and those reserved before it; not the letter's riders (anchored within
        the gap of its lead), nor one leaving ``window_days`` or more after it.
        """
        w = cap.window_days
        rivals = [
            h
            for h in later
            if may(h)
            and h.hit.priority > lead.hit.priority
            and (h.anchor - lead.anchor).days >= gap
            and (h.day - lead.day).days < w
        ]
        reserved = list(taken)
        kept = []
        for h in sorted(rivals, key=lambda h: (-h.hit.priority, h.day)):
            if not _reference_refusal(h.day, reserved, cap):
                bisect.insort(reserved, h.day)
                kept.append(h)
        count_only = FrequencyCap(max_count=cap.max_count, window_days=w, min_gap_days=0)
        if not kept or not _reference_refusal(lead.day, reserved, count_only):
            return ""
        near = [h for h in kept if abs((h.day - lead.day).days) < w] or kept
        h = min(near, key=lambda h: (-h.hit.priority, h.day))
        rule = f"max_count {cap.max_count} per {w} days"
        return f"gave way to the {h.hit.occasion} greeting of {h.day:%Y-%m-%d}, of a higher priority ({rule})"

    refused_on_day: dict[int, str] = {}
    for c in ordered:
        if c.planned_day is not None and c.planned_day < c.day:
            refusal = _reference_refusal(c.planned_day, taken, cap)
            if not refusal:  # it gave way on its day (the priority rule): it may not come back belated
                then = dataclasses.replace(c, day=c.planned_day, planned_day=None)
                refusal = gives_way(then, ordered, lambda h: not h.expired)
            if refusal:
                refused_on_day[id(c)] = f"on its day {c.planned_day:%Y-%m-%d}: {refusal}"

    def may_lead(c: Candidate) -> bool:
        return not c.expired and id(c) not in refused_on_day

    def crowded_out(lead: Candidate, later: list[Candidate], least: int, kind: str) -> str:
        """The first later candidate of priority >= ``least`` the letter on ``lead.day`` pushes out."""
        horizon = max(cap.min_gap_days, 1)
        with_it = sorted([*taken, lead.day])
        for c in later:
            gap = abs((c.day - lead.day).days)
            days = "day" if gap == 1 else "days"
            if not may_lead(c) or c.hit.priority < least or gap >= horizon:
                continue
            if _reference_refusal(c.day, taken, cap) or not _reference_refusal(c.day, with_it, cap):
                continue  # refused anyway, or it still fits beside this letter
            side = "before" if c.day >= lead.day else "after"  # a belated letter may leave after it
            if gap < cap.min_gap_days:
                why = f"only {gap} {days} {side} the {c.hit.occasion} greeting of {c.day:%Y-%m-%d}"
                rule = f"min_gap_days {cap.min_gap_days}"
            else:
                why = (
                    f"{gap} {days} {side} the {c.hit.occasion} greeting of {c.day:%Y-%m-%d}, "
                    "which it would leave no slot"
                )
                rule = f"max_count {cap.max_count} per {cap.window_days} days"
            rank = "the same" if c.hit.priority == lead.hit.priority else "a higher"
            if kind == "belated":
                return f"a belated letter now would come {why}, of {rank} priority ({rule})"
            return (
                f"leading the letter on {lead.day:%Y-%m-%d}, it would come {why}, of {rank} priority ({rule})"
            )
        return ""

    verdicts: list[Verdict] = []
    i = 0
    while i < len(ordered):
        j = i + 1
        while j < len(ordered) and (ordered[j].anchor - ordered[i].anchor).days < gap:
            j += 1
        group, later = ordered[i:j], ordered[j:]
        i = j
        lead = None
        refusals: dict[int, str] = {}
        best = None  # a best member that yielded: it leads when no other member can
        for c in sorted(filter(may_lead, group), key=lambda c: (-c.hit.priority, c.day, c.hit.occasion)):
            refusal = _reference_refusal(c.day, taken, cap)
            if not refusal and c.planned_day is not None and c.planned_day < c.day:
                refusal = crowded_out(c, later, c.hit.priority, "belated")
            elif not refusal and any(m.hit.priority > c.hit.priority for m in group):
                # a fallback lead (a member of a higher priority cannot lead) yields to a higher priority
                refusal = crowded_out(c, later, c.hit.priority + 1, "fallback")
            elif not refusal and c.day > group[0].anchor:
                # a best member leaving after the group's first day yields the same way, if it can
                refusal = crowded_out(c, later, c.hit.priority + 1, "fallback")
                best = best or (c if refusal else None)
            if not refusal:
                refusal = gives_way(c, later, may_lead)  # a later letter of a higher priority needs its slot
            if not refusal:
                lead = c
                break
            refusals[id(c)] = refusal
        lead = lead or best
        if lead is None:
            for c in group:
                if id(c) in refused_on_day:
                    verdicts.append(Verdict(c, "skip", "frequency_cap", detail=refused_on_day[id(c)]))
                elif c.expired and len(group) == 1:
                    verdicts.append(Verdict(c, "skip", "expired"))
                elif c.expired:  # it was only to ride along: which letters could not carry it
                    said = "; ".join(
                        f"{m.hit.occasion} of {m.hit.date:%Y-%m-%d}: "
                        + (refusals.get(id(m)) or refused_on_day.get(id(m)) or "expired too")
                        for m in group
                        if m is not c
                    )
                    verdicts.append(
                        Verdict(
                            c, "skip", "expired", detail=f"no letter of its group could carry it ({said})"
                        )
                    )
                else:
                    verdicts.append(Verdict(c, "skip", "frequency_cap", detail=refusals[id(c)]))
            continue
        bisect.insort(taken, lead.day)
        while i < len(ordered) and (ordered[i].anchor - lead.anchor).days < gap:
            group.append(ordered[i])  # a later occasion within the gap of the letter rides along
            i += 1
        others = [c for c in group if c is not lead]
        verdicts.append(Verdict(lead, "send", also=tuple(c.hit for c in others)))
        verdicts.extend(
            Verdict(
                c, "skip", "merged", merged_into=lead.hit.occasion, detail=f"sent with {lead.hit.occasion}"
            )
            for c in others
        )
    return verdicts


def _random_case(rng: random.Random) -> tuple[list[Candidate], list[PastGreeting], FrequencyCap]:
    cap = FrequencyCap(
        max_count=rng.randint(1, 6), window_days=rng.choice([7, 30, 90, 365]), min_gap_days=rng.randint(0, 20)
    )
    base = date(2027, 1, 1)
    contact = Contact(id="1", email="a@example.com")
    names = ["a", "b", "c", "d"]  # few names and priorities: plenty of ties
    candidates = []
    for _ in range(rng.randint(0, 9)):
        day = base + timedelta(days=rng.randint(0, 120))
        hit = Hit(contact, rng.choice(names), day, None, rng.choice([30, 60, 100]), "t")
        kind = rng.random()
        if kind < 0.15:
            candidates.append(Candidate(hit, day, expired=True))
        elif kind < 0.35:  # late: planned earlier, leaves later
            candidates.append(Candidate(hit, day + timedelta(days=rng.randint(0, 4)), planned_day=day))
        else:
            candidates.append(Candidate(hit, day, belated=rng.random() < 0.1))
    past = [
        PastGreeting("1", "x", d, d, rng.choice(["sent", "claimed", "failed", "uncertain"]))
        for d in (base + timedelta(days=rng.randint(-200, 150)) for _ in range(rng.randint(0, 8)))
    ]
    return candidates, past, cap


def test_apply_cap_and_cap_refusal_match_the_reference_algorithm() -> None:
    rng = random.Random(20270101)
    checked_refusals = 0
    for _ in range(4000):
        candidates, past, cap = _random_case(rng)
        assert apply_cap(candidates, past, cap) == _reference_apply_cap(candidates, past, cap)
        taken = sorted(p.day for p in past)
        for c in candidates:
            got = cap_refusal(c.day, taken, cap)
            assert got == _reference_refusal(c.day, taken, cap), (c.day, taken, cap)
            checked_refusals += bool(got)
    assert checked_refusals > 1000  # the refusals themselves (and their messages) were compared


#: A run after a downtime: 10:30 in Moscow (its window open), 17:30 in Vladivostok (the last half
#: hour before 18:00 is closed: ``end_margin_minutes``), 03:30 in New York (not open yet).
DOWNTIME_NOW = datetime(2027, 3, 24, 7, 30, tzinfo=UTC)
DOWNTIME_ZONES = ["Europe/Moscow", "Asia/Vladivostok", "America/New_York"]


@pytest.mark.parametrize("order", [DOWNTIME_ZONES, DOWNTIME_ZONES[::-1]])
def test_a_letter_whose_day_is_over_leaves_at_its_own_zones_next_window(order: list[str]) -> None:
    """A birthday two days back (within ``catch_up_days``) whose day passed unsent leaves at the
    next open window of the contact's own zone: the plan works that out once per zone and day
    (:attr:`~greeter.plan_tables.OccasionDay.missed`), and a shared window must answer each
    zone as a fresh one does: kept by the day alone, every zone would get the window of the
    zone asked first (Moscow's "now" for Vladivostok's contact, or the other way round)."""
    settings = parse_settings(CONFIG, "g.yaml", today=TODAY)
    shared = plan_window(settings, now=DOWNTIME_NOW, start=date(2027, 3, 20), days=14)

    def planned(pw: PlanWindow, tz: str) -> PlanItem:
        person = Contact(
            id="7",
            email="a@example.com",
            timezone=tz,
            dates=MappingProxyType({"birthday": date(1980, 3, 22)}),
        )
        (item,) = [i for i in plan_contact(person, pw) if i.hit.date == date(2027, 3, 22)]
        return item

    got = {tz: planned(shared, tz) for tz in order}
    for tz in order:  # each answered through the zone's table: its day is over there
        assert shared.tables.zone(tz).days[("birthday", date(2027, 3, 22))].missed is not None
    for tz in order:
        fresh = plan_window(settings, now=DOWNTIME_NOW, start=date(2027, 3, 20), days=14)
        assert got[tz] == planned(fresh, tz), tz
        opens = next_window_open(DOWNTIME_NOW, ZoneInfo(tz), settings.send_window, shared.calendar)
        assert (got[tz].status, got[tz].belated, got[tz].send_at) == (
            "send",
            True,
            opens.replace(microsecond=0),
        )
    assert got["Europe/Moscow"].send_at == DOWNTIME_NOW
    assert got["Asia/Vladivostok"].send_at == datetime(2027, 3, 25, 10, tzinfo=ZoneInfo("Asia/Vladivostok"))
    assert got["America/New_York"].send_at == datetime(2027, 3, 24, 10, tzinfo=ZoneInfo("America/New_York"))
