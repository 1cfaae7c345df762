"""Who gets a letter: audience, the frequency cap (rule of six) and merging — pure.

Decisions are *causal*: whether an occasion is greeted depends only on the
journal's history and on occasions that come before it, never on what lies
later in the planning range. That is what makes ``greeter preview`` over a
year agree with the daemon, which plans a few days at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from greeter.config import Audience, FrequencyCap
from greeter.contacts import Contact
from greeter.journal_store import CAP_STATES
from greeter.plan_types import Hit, PastGreeting, Reason


def in_audience(audience: Audience, contact: Contact, years: int | None) -> bool:
    """Whether ``contact`` (and this anniversary number) is targeted; every given rule must hold."""
    if audience.tiers is not None:
        tier = (contact.tier or "").casefold()
        if tier not in {t.casefold() for t in audience.tiers}:
            return False
    if audience.tags is not None and not contact.tags & set(audience.tags):
        return False
    if audience.contacts is not None and contact.id not in audience.contacts:
        return False
    if audience.round_years is not None and (years is None or years % audience.round_years):
        return False
    return not (audience.min_years is not None and (years is None or years < audience.min_years))


def precheck(
    hit: Hit,
    *,
    audience: Audience,
    past_keys: Mapping[tuple[str, date], str],
    suppressed: bool,
) -> tuple[Reason, str] | None:
    """The reason a hit cannot be greeted at all, before the cap is considered."""
    if hit.problem is not None:
        return "invalid_contact", hit.problem
    state = past_keys.get((hit.occasion, hit.date))
    if state is not None:
        return "already_sent", f"the journal already has this greeting ({state})"
    if not in_audience(audience, hit.contact, hit.years):
        return "outside_audience", ""
    if not hit.contact.email:
        return "no_email", "the contact has no e-mail address"
    if suppressed:
        return "suppressed", f"{hit.contact.email} is on the do-not-contact list"
    return None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A hit that may be greeted, with the local day its letter would leave."""

    hit: Hit
    day: date
    belated: bool = False
    #: The day it was planned to leave, when that moment passed unsent and ``day`` is later
    #: (catch-up). It must fit the cap on that day too: otherwise a greeting the cap refused
    #: on its day would come back days later as a "belated" one, once the window moved on.
    planned_day: date | None = None
    #: Past its catch-up period: never sent on its own, but still carried as ``also`` by a
    #: later letter it merges with — as the preview made days earlier promised.
    expired: bool = False

    @property
    def anchor(self) -> date:
        """The day it groups by: the day it was planned for, even if it now leaves later.

        Grouping by the moving send day of a late candidate would shift merge
        groups as days pass, and a letter preview promised would change shape.
        """
        return self.planned_day if self.planned_day is not None else self.day


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :func:`apply_cap` decided for one candidate."""

    candidate: Candidate
    status: str  # "send" | "skip"
    reason: Reason | None = None
    also: tuple[Hit, ...] = ()
    merged_into: str | None = None
    detail: str = ""


def apply_cap(
    candidates: Iterable[Candidate], past: Sequence[PastGreeting], cap: FrequencyCap
) -> list[Verdict]:
    """Merge colliding occasions and enforce the cap, in chronological order.

    Occasions whose days lie within ``min_gap_days`` of the first of a group
    merge into one message carried by the highest-priority one (ties: the
    earlier, then by name). A group that would break the gap or the
    ``max_count`` per ``window_days`` rule — counting the journal's history
    (greetings sent or still in flight: :data:`CAP_STATES`) and the groups
    accepted before it — is skipped as ``frequency_cap``. So is a late candidate (see
    :attr:`Candidate.planned_day`) that the journal's history would not have let through
    on the day it was planned for. Groups form by :attr:`Candidate.anchor`, so they keep
    their shape as days pass. An expired candidate never leads: alone it is skipped as
    ``expired``, in a group it rides along.
    """
    taken = sorted(p.day for p in past if p.state in CAP_STATES)
    verdicts: list[Verdict] = []
    ordered: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.anchor, -c.hit.priority, c.hit.occasion)):
        planned = c.planned_day
        late = planned is not None and planned < c.day and not c.expired
        refusal = cap_refusal(planned, taken, cap) if late and planned is not None else ""
        if refusal:
            detail = f"on its day {planned:%Y-%m-%d}: {refusal}"
            verdicts.append(Verdict(c, "skip", "frequency_cap", detail=detail))
        else:
            ordered.append(c)
    i = 0
    while i < len(ordered):
        group = [ordered[i]]
        j = i + 1
        while j < len(ordered) and (ordered[j].anchor - group[0].anchor).days < max(cap.min_gap_days, 1):
            group.append(ordered[j])
            j += 1
        i = j
        live = [c for c in group if not c.expired]
        if not live:
            verdicts.extend(Verdict(c, "skip", "expired") for c in group)
            continue
        lead = min(live, key=lambda c: (-c.hit.priority, c.day, c.hit.occasion))
        others = tuple(c.hit for c in group if c is not lead)
        refusal = cap_refusal(lead.day, taken, cap)
        if refusal:
            verdicts.extend(Verdict(c, "skip", "frequency_cap", detail=refusal) for c in group)
            continue
        bisect.insort(taken, lead.day)
        verdicts.append(Verdict(lead, "send", also=others))
        verdicts.extend(
            Verdict(
                c, "skip", "merged", merged_into=lead.hit.occasion, detail=f"sent with {lead.hit.occasion}"
            )
            for c in group
            if c is not lead
        )
    return verdicts


def cap_refusal(day: date, taken: Sequence[date], cap: FrequencyCap) -> str:
    """Why one more greeting on ``day`` would break the cap, or ``""`` if it fits.

    ``taken`` is sorted. Checks the gap on both sides (history may hold a
    claimed greeting planned later) and every ``window_days`` window that
    contains ``day``.
    """
    k = bisect.bisect_left(taken, day)
    for near in taken[max(k - 1, 0) : k + 1]:
        gap = abs((day - near).days)
        if gap < cap.min_gap_days:
            return f"only {gap} days from the greeting of {near:%Y-%m-%d} (min_gap_days {cap.min_gap_days})"
    w = cap.window_days
    lo = bisect.bisect_left(taken, date.fromordinal(day.toordinal() - w + 1))
    hi = bisect.bisect_right(taken, date.fromordinal(day.toordinal() + w - 1))
    around = taken[lo:hi]
    # Every window [s, s + w) containing `day` may already hold at most max_count - 1 others.
    # Sliding s forward only ever gains a greeting when s + w reaches a later one, so the
    # windows to try start at the earliest s and where each later greeting just enters.
    first = day.toordinal() - w + 1
    starts = {first} | {d.toordinal() - w + 1 for d in around if d > day}
    for s in starts:
        n = sum(1 for d in around if s <= d.toordinal() < s + w)
        if n >= cap.max_count:
            return f"would be greeting no. {n + 1} within {w} days (max_count {cap.max_count})"
    return ""
