"""Who gets a letter: the frequency cap (rule of six) and merging — pure; :mod:`greeter.audience`
says whom each occasion is for, :mod:`greeter.precheck` which hits cannot be greeted at all, and
:mod:`greeter.cap_rules` what the cap allows on one day.

Decisions look back at the journal's history and the occasions before, and ahead only a bounded
way: to the occasions a letter merges with (``min_gap_days``), and — the priority rule — to the
later letters of a higher priority within ``window_days`` that a letter would leave no
``max_count`` slot (:func:`_gives_way`: six holidays do not cost a client the birthday letter).
The planner plans that far past every day it may send a letter
(:attr:`~greeter.planner.PlanWindow.cap_until`): that is what makes ``greeter preview`` over a
year agree with the daemon, which sends a few days at a time.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from greeter.cap_rules import _days, _refusal, _ymd, breaks_gap, window_full
from greeter.config import FrequencyCap
from greeter.journal_store import CAP_STATES
from greeter.plan_types import Hit, MergeRule, PastGreeting, Reason, bounds, outside


@dataclass(frozen=True, slots=True)
class Candidate:
    """A hit that may be greeted, with the local day its letter would leave."""

    hit: Hit
    day: date
    belated: bool = False
    #: The day it was planned to leave, when that moment passed unsent and ``day`` is later
    #: (catch-up). It must fit the cap on that day too to lead a letter: otherwise a greeting
    #: the cap refused on its day would come back days later as a "belated" one, once the
    #: window moved on. Refused so, it may still ride along in its group's letter — as it
    #: did on its day, when another member led. Nor may its catch-up letter crowd out a
    #: timely one of the same or a higher priority (see :func:`decide`).
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


#: The planner's view of a candidate, in the order :func:`decide` sorts by:
#: (anchor, -priority, occasion, index, day, planned day or -1, expired) — days as ordinals.
#: The index (the caller's position) keeps ties in the caller's order, as a stable sort would.
CandidateKey = tuple[int, int, str, int, int, int, bool]

#: One decision of :func:`decide`: (candidate index, status, reason, detail, lead index).
#: For a send the lead index is the candidate's own; the group it carries follows in ``also``.
Decision = tuple[int, str, Reason | None, str, int, tuple[int, ...]]


def candidate_key(c: Candidate, index: int) -> CandidateKey:
    """``c`` as :func:`decide` takes it."""
    planned = c.planned_day.toordinal() if c.planned_day is not None else -1
    return (
        c.anchor.toordinal(),
        -c.hit.priority,
        c.hit.occasion,
        index,
        c.day.toordinal(),
        planned,
        c.expired,
    )


def apply_cap(
    candidates: Iterable[Candidate],
    past: Sequence[PastGreeting],
    cap: FrequencyCap,
    rules: Mapping[str, MergeRule] | None = None,
) -> list[Verdict]:
    """Merge colliding occasions and enforce the cap, in chronological order.

    Occasions whose days lie within ``min_gap_days`` of the first of a group
    merge into one message carried by the highest-priority one that fits the cap
    (ties: the earlier, then by name), and that message also carries every later
    occasion within ``min_gap_days`` of the day its lead was planned for (see
    :func:`decide`: the birthday letter of 28 December carries the New Year of the
    29th, not only the first-deal anniversary of the 15th) — counting the journal's
    history (greetings sent or still in flight: :data:`CAP_STATES`) and the groups accepted before it,
    against the gap and the ``max_count`` per ``window_days`` rule. A lead that does
    not fit hands the letter to the next member that does, and rides along in it:
    one occasion's refusal does not take the others down. Only a group none of whose
    members fits is skipped as ``frequency_cap``, each member with its own reason.
    A late candidate (see :attr:`Candidate.planned_day`) that the journal's history would
    not have let through on the day it was planned for never leads (alone, it is skipped
    as ``frequency_cap``); nor does a late one whose catch-up letter would crowd out a
    timely letter of the same or a higher priority (skipped as ``frequency_cap``, naming
    it, by the gap or by ``max_count``); nor a fallback lead that would
    crowd out a timely letter of a higher priority than its own. Groups form by
    :attr:`Candidate.anchor`, over every candidate, so they keep their shape as days pass.
    An expired candidate never leads: alone it is skipped as ``expired``, in a group it
    rides along. ``rules``: the occasions' merge settings (:class:`MergeRule`, see
    :func:`decide`); none: every occasion merges, without bounds. Bounds count from the
    candidates' own days (less ``days_before``) where a day off moved them.
    """
    cands = list(candidates)
    verdicts: list[Verdict] = []
    for index, status, reason, detail, lead, also in decide(
        [candidate_key(c, i) for i, c in enumerate(cands)],
        past_days(past),
        cap,
        rules,
        {i: (c.hit.date).toordinal() for i, c in enumerate(cands)} if rules else None,
        {i: c.hit.date.toordinal() for i, c in enumerate(cands)} if any(c.expired for c in cands) else None,
    ):
        c = cands[index]
        if status == "send":
            verdicts.append(Verdict(c, "send", also=tuple(cands[k].hit for k in also)))
        elif reason == "merged":
            name = cands[lead].hit.occasion
            verdicts.append(Verdict(c, "skip", "merged", merged_into=name, detail=detail))
        else:
            verdicts.append(Verdict(c, "skip", reason, detail=detail))
    return verdicts


def past_days(past: Sequence[PastGreeting]) -> list[int]:
    """The days (ordinals, sorted) the journal's greetings count against the cap on."""
    return sorted(p.day.toordinal() for p in past if p.state in CAP_STATES)


#: Who leads a group's letter first: the highest priority, then the earlier day, then by name —
#: ``(c[1], c[4], c[2])`` of a :data:`CandidateKey`, in C (no Python call per member).
_lead_key = operator.itemgetter(1, 4, 2)


def decide(
    candidates: list[CandidateKey],
    taken: list[int],
    cap: FrequencyCap,
    rules: Mapping[str, MergeRule] | None = None,
    days: Mapping[int, int] | None = None,
    dates: Mapping[int, int] | None = None,
    until: int | None = None,
) -> list[Decision]:
    """:func:`apply_cap` on plain tuples (the planner's hot loop): the decisions, in its order.

    ``until``: the last anchor (ordinal) to decide; the candidates anchored later are only
    weighed, as the later letters of a higher priority an earlier one may give way to
    (:func:`_gives_way`) — the planner's look-ahead for the cap
    (:attr:`~greeter.planner.PlanWindow.cap_until`), which no plan shows.

    ``dates``: the occasions' own days (ordinals) by index, to name a group's members by in an
    expired one's detail (:func:`_uncarried`); their anchor (the day a letter was to leave)
    where not given.

    The planner makes four or five candidates per contact, a million contacts per
    run: building a :class:`Candidate` and a :class:`Verdict` for each cost more than
    deciding. ``candidates`` is sorted in place; ``taken`` (sorted ordinals, see
    :func:`past_days`) is extended with the days of the letters accepted. A merged
    candidate's detail names its lead (``sent with …``). A candidate alone in its
    group — the usual case — is decided without building the group; the rules for
    late candidates cost nothing unless one is late.

    Who may lead a group's letter, and why:

    * A late candidate the journal's history would have refused on its planned day
      (:attr:`Candidate.planned_day`), or that gave way on it to a later letter of a higher
      priority (the priority rule, below), never leads — the cap said no then, and a
      window that moved on must not bring it back as a belated letter — but it
      still rides along in its group's letter, like an expired one. It stays in
      the grouping either way, so a group has the same members before, on and after
      that day (removing it on the day after made the plan change shape).
    * A group is the candidates anchored within ``min_gap_days`` of its first one
      (so no member is greeted ``min_gap_days`` or more after its day by a letter
      on time), and its letter also carries every later candidate anchored within
      ``min_gap_days`` *of its lead's anchor* — the day the letter was planned to
      leave. WHY: the group is anchored on its earliest member, but the letter
      leaves on its lead's day, maybe days later. A first-deal anniversary on
      15 December and a birthday on the 28th are one group, led by the birthday;
      New Year on the 29th is 14 days after the 15th, outside that group, yet one
      day after the letter. Decided on its own, the gap refused it («only 1 day from
      the greeting of 2026-12-28»): the client got a birthday letter wishing a happy
      13-day-old anniversary and nothing for the holiday the next day — while without
      the first deal the same letter carried New Year. A customer-care manager
      expects one letter covering all three (the birthday, New Year, and the
      anniversary, belated but still within ``min_gap_days``), and the manual
      promises it (docs/config.md, ``frequency_cap``): occasions within
      ``min_gap_days`` of each other merge.
      Such a later candidate can have no letter of its own (it would come within the
      gap of this one; with ``min_gap_days`` 0 it is on the same day, which merges
      as in a group), so riding along is the only way it is greeted; nor may it lead
      (the letter would then leave ``min_gap_days`` or more after the group's first
      occasion). Who leads is decided first, exactly as below — a stand-in or a
      belated lead still yields to a later letter of a higher priority, which is
      then no rider — and the riders are taken out of what is decided after it,
      where the gap to this letter refused each of them before (nor does a rider
      make a later occasion a stand-in: it is greeted). The lead's anchor, not its
      (catch-up) day, bounds the riders: a late letter keeps the shape preview
      promised before its moment passed, and the rules for belated letters stay as
      they were (what comes within the gap of a catch-up day, but not of the day
      the letter was planned for, is decided on its own as before). Occasions
      ``min_gap_days`` or more apart with no letter planned between them stay two
      letters, and ``max_count`` is untouched (a merged greeting takes no slot). A
      candidate alone in its group has no riders (its anchor is the group's first):
      the common case costs nothing more.
    * The group's letter is led by its best member (:func:`_lead_key`) *that fits
      the cap*; when the best does not fit, the next is tried. The members that do
      not lead ride along. A member's refusal on its own day says nothing about a
      letter on another member's day: the 29 December New Year fits though a
      17 December first-deal anniversary a week after a birthday does not, and the
      first-deal wishes go out inside it — at every ``now``, before its day, on it
      (nothing is journaled for a merged greeting), late and expired alike.
      Only when no member fits is the group skipped, each member with its own reason.
    * A catch-up letter (its lead late, see :func:`_crowded_out`) does not lead when
      it would crowd out a later candidate of the same or a higher priority that fits
      now and leaves within ``min_gap_days`` of it — by the gap or by ``max_count`` —:
      the belated wishes yield to the timely letter, and are skipped as
      ``frequency_cap`` saying which one.
    * The priority rule (``crowded``: the history and the candidates could overflow
      ``max_count``): a lead, or a letter of its own, that fits the cap but would leave no
      ``max_count`` slot to the later letters of a higher priority within ``window_days``
      that fit it does not lead (:func:`_gives_way`); the next member is tried — of a lower
      priority, it gives way too. Six holidays of priority 30 in one window no longer cost a
      client the birthday letter (100) after them: the latest holiday the window needs gives
      way, skipped as ``frequency_cap`` naming the letter it gave way to. History is never
      undone: what the journal holds counts first.
    * A fallback lead (a member of a higher priority could not lead: the cap refused
      it, now or on its day, or it expired — the same group at every ``now``) does
      not lead when it would crowd out a later candidate of a *higher* priority than
      its own in the same way: the New Year letter carrying refused first-deal wishes
      does not cost the client the birthday letter 11 days later. The next member is
      tried, as for a refusal.
    * So does a group's best member that leaves after the group's first day (its
      letter reaches into the next group's gap), but only when another member can
      lead instead; else it leads, as before. Found by the merging property: «soon»
      on 27 January and a leap-day occasion moved to 25 February formed one group,
      whose best member carried a 1 March occasion of a higher priority four days
      early, though that one fitted the cap on its own day — colliding occasions
      merge under the highest priority.

    The occasions' merge settings (``rules``: :class:`MergeRule` by name; docs/delivery.md):
    a ``merge: false`` occasion forms no group and is decided as its own letter, in date
    order among the groups; of two letters that cannot merge within ``min_gap_days`` the
    lower priority one is skipped (ties: the earlier goes), as a fallback lead yields.
    Merge bounds never change who leads (the highest priority, the same at every
    ``now``): a member or rider the lead's letter may not carry is decided on its own after
    it (:func:`_on_own`) — New Year is not carried 13 days late in an 11 January letter,
    to be lost with it when that letter is refused or expires. An expired member of a
    group nobody leads names the letters that could not carry it (:func:`_uncarried`).
    """
    decisions: list[Decision] = []
    candidates.sort()
    # Late candidates the history would have refused on their planned day: they may only ride along.
    on_day: dict[int, str] | None = None
    # Whether a later letter of a higher priority may need the slot of one decided before it
    # (:func:`_gives_way`): never when all the history and every candidate fit ``max_count``.
    crowded = len(taken) + len(candidates) > cap.max_count
    # With nothing taken (a contact the journal holds nothing of) no day is refused (max_count >= 1),
    # unless by the priority rule.
    for c in candidates if taken or crowded else ():
        planned = c[5]
        if planned >= 0 and planned < c[4]:
            refusal = _refusal(planned, taken, cap) if taken else ""
            if not refusal and crowded:
                # It gave way on its day: its window moving on must not bring it back as belated.
                then = (c[0], c[1], c[2], c[3], planned, -1, c[6])
                refusal = _gives_way(then, ((candidates, 0),), taken, cap, None)
            if refusal:
                if on_day is None:
                    on_day = {}
                on_day[c[3]] = f"on its day {_ymd(planned)}: {refusal}"
    ordered = candidates
    alone: list[CandidateKey] = []  # merge: false — its own letter, decided in date order among the groups
    if rules and any(r.alone for r in rules.values()):
        alone = [c for c in candidates if c[2] in rules and rules[c[2]].alone]
        if alone:
            ordered = [c for c in candidates if c not in alone]
    a = 0
    min_gap, max_count = cap.min_gap_days, cap.max_count
    gap = max(min_gap, 1)
    n = len(ordered)
    n_alone = len(alone)  # (``alone`` is not changed below: one len() per contact, not two a candidate)
    i = 0
    while i < n or a < n_alone:
        if until is not None and (i >= n or ordered[i][0] > until) and (a >= n_alone or alone[a][0] > until):
            break  # only weighed (the cap's look-ahead): never shown, nothing after it decided
        if a < n_alone and (i >= n or alone[a] < ordered[i]):
            c = alone[a]
            a += 1
            rivals = ((ordered, bisect.bisect_right(ordered, c)), (alone, a))
            decisions.append(_single(c, rivals, taken, cap, on_day, "alone", crowded))
            continue
        first = ordered[i][0]
        j = i + 1
        while j < n and ordered[j][0] - first < gap:
            j += 1
        if j == i + 1:  # the common case: far from the others, nothing to merge
            c = ordered[i]
            i = j
            if on_day is None and not alone and not c[6] and not 0 <= c[5] < c[4]:
                # What _single() answers when nothing is late, expired or ``merge: false``: the
                # cap alone decides (inlined: this runs for most candidates of a million contacts).
                day = c[4]
                # After every greeting counted so far, far enough (breaks_gap(), inlined), and too
                # few in all to fill a window: it fits (what _refusal() says first; the usual case,
                # as candidates come in date order).
                if not taken or (day - taken[-1] >= min_gap and len(taken) < max_count):
                    refusal = ""
                else:
                    refusal = _refusal(day, taken, cap)
                if not refusal and crowded:
                    refusal = _gives_way(c, ((ordered, j), (alone, a)), taken, cap, on_day)
                if refusal:
                    decisions.append((c[3], "skip", "frequency_cap", refusal, -1, ()))
                else:
                    bisect.insort(taken, c[4])
                    decisions.append((c[3], "send", None, "", c[3], ()))
                continue
            if c[6] and (on_day is None or c[3] not in on_day):
                # Expired and alone: nothing can carry it (what _single() answers, without the call;
                # a year's plan simulates one such candidate per contact, before the range).
                decisions.append((c[3], "skip", "expired", "", -1, ()))
                continue
            decisions.append(_single(c, ((ordered, j), (alone, a)), taken, cap, on_day, "fallback", crowded))
            continue
        group = ordered[i:j]
        i = j
        lead: CandidateKey | None = None
        refused: dict[int, str] = {}
        live = [c for c in group if not c[6] and (on_day is None or c[3] not in on_day)]
        if len(live) > 1:
            live.sort(key=_lead_key)
        best: CandidateKey | None = None  # the group's best member, should every other one fail
        for c in live:
            refusal = _refusal(c[4], taken, cap)
            if not refusal:
                if 0 <= c[5] < c[4]:
                    refusal = _crowded_out(c, ordered, j, taken, cap, on_day, c[1], "belated")
                elif any(m[1] < c[1] for m in group):  # a stand-in: it yields to a higher priority
                    refusal = _crowded_out(c, ordered, j, taken, cap, on_day, c[1] - 1, "fallback")
                elif c[4] > first:
                    # The best member leaves after the group's first day, into the next
                    # group's gap: it yields to a later letter of a higher priority it would
                    # crowd out — colliding occasions merge under the highest priority — when
                    # another member can lead instead; else it leads as before.
                    refusal = _crowded_out(c, ordered, j, taken, cap, on_day, c[1] - 1, "fallback")
                    if refusal and best is None:
                        best = c
                if not refusal and a < len(alone):  # merge: false letters of a higher priority
                    refusal = _crowded_out(c, alone, a, taken, cap, on_day, c[1] - 1, "fallback")
                if not refusal and crowded:
                    refusal = _gives_way(c, ((ordered, j), (alone, a)), taken, cap, on_day)
            if not refusal:
                lead = c
                break
            refused[c[3]] = refusal
        if lead is None and best is not None:
            lead = best
        if lead is None:
            # Nobody leads: each member says its own reason, and an expired one (it was only
            # to ride along) which letters could not carry it: not lost without a word.
            for c in group:
                k = c[3]
                if on_day is not None and k in on_day:
                    decisions.append((k, "skip", "frequency_cap", on_day[k], -1, ()))
                elif c[6]:
                    decisions.append(
                        (k, "skip", "expired", _uncarried(c, group, refused, on_day, dates), -1, ())
                    )
                else:
                    decisions.append((k, "skip", "frequency_cap", refused[k], -1, ()))
            continue
        bisect.insort(taken, lead[4])
        i = _carried_until(ordered, j, lead[0] + gap)  # j, unless the lead is not the first
        members = [c for c in group if c is not lead]
        riders = ordered[j:i]
        if not rules or not any(bounds(rules, m[2]) for m in (*members, *riders)):
            _send(decisions, lead, members, riders)
            continue
        # Those the letter may not carry (merge bounds) are decided on their own, after it.
        own = days or {}  # a bounded candidate's own day (less days_before), by index
        out = [m for m in (*members, *riders) if outside(rules, m[2], m[0], lead[0], own.get(m[3]))]
        _send(decisions, lead, [m for m in members if m not in out], [m for m in riders if m not in out])
        for m in out:
            why = outside(rules, m[2], m[0], lead[0], own.get(m[3]))
            undecided = ((ordered, i), (alone, a)) if crowded else None
            decisions.append(_on_own(m, lead, why, taken, cap, on_day, undecided))
    return decisions


def _uncarried(
    c: CandidateKey,
    group: Sequence[CandidateKey],
    refused: Mapping[int, str],
    on_day: Mapping[int, str] | None,
    dates: Mapping[int, int] | None = None,
) -> str:
    """Why no letter of ``group`` carries expired ``c``: each other member's refusal (or its expiry).

    Each member is named by its occasion's own day (``dates``): "birthday of 2026-12-30" for a
    2 January birthday a day off moved to 30 December read as a birthday on the 30th.
    """
    own = dates or {}
    said = [
        f"{m[2]} of {_ymd(own.get(m[3], m[0]))}: "
        + (refused.get(m[3]) or (on_day or {}).get(m[3]) or "expired too")
        for m in group
        if m is not c
    ]
    return f"no letter of its group could carry it ({'; '.join(said)})"


def _single(
    c: CandidateKey,
    rivals: Sequence[tuple[Sequence[CandidateKey], int]],
    taken: list[int],
    cap: FrequencyCap,
    on_day: Mapping[int, str] | None,
    kind: str,
    crowded: bool = False,
) -> Decision:
    """The decision on ``c`` as a letter of its own (alone in its group, or ``merge: false``).

    ``rivals``: the undecided candidates (sorted, from an index): ``[0]`` the groups', ``[1]``
    the ``merge: false`` ones. It yields to a higher priority one it would crowd out among
    ``[1]``, or (``kind`` ``"alone"``: itself ``merge: false``) among both; and (``crowded``)
    to later letters of a higher priority that need its slot (:func:`_gives_way`).
    """
    if on_day is not None and c[3] in on_day:
        return (c[3], "skip", "frequency_cap", on_day[c[3]], -1, ())
    if c[6]:
        return (c[3], "skip", "expired", "", -1, ())
    refusal = _refusal(c[4], taken, cap) if taken else ""
    if not refusal and 0 <= c[5] < c[4]:
        refusal = _crowded_out(c, *rivals[0], taken, cap, on_day, c[1], "belated")
    if not refusal:
        for others, after in rivals if kind == "alone" else rivals[1:]:
            if after < len(others):
                refusal = refusal or _crowded_out(c, others, after, taken, cap, on_day, c[1] - 1, kind)
    if not refusal and crowded:
        refusal = _gives_way(c, rivals, taken, cap, on_day)
    if refusal:
        return (c[3], "skip", "frequency_cap", refusal, -1, ())
    bisect.insort(taken, c[4])
    return (c[3], "send", None, "", c[3], ())


def _on_own(
    c: CandidateKey,
    lead: CandidateKey,
    why: str,
    taken: list[int],
    cap: FrequencyCap,
    on_day: Mapping[int, str] | None,
    rivals: Sequence[tuple[Sequence[CandidateKey], int]] | None = None,
) -> Decision:
    """``c``, which ``lead``'s letter may not carry (``why``: its merge bounds), decided on its own:
    usually refused by the gap to that letter, the skip saying both. ``rivals``: the undecided
    candidates (as :func:`_single` takes them) when a later letter may need its slot.

    The letter is named by the day it was planned for, which the bounds count from; a belated one
    (its moment missed: it leaves on a later window) also by the day it now leaves — the day the
    gap to it counts from — or the skip would name a letter that no longer leaves that day, and
    «only 2 days from the greeting of 2026-12-28» would seem to be about another letter.
    """
    leaving = f" (belated: now leaving {_ymd(lead[4])})" if 0 <= lead[5] < lead[4] else ""
    said = f"the {lead[2]} letter of {_ymd(lead[0])}{leaving} would carry it {why}"
    if on_day is not None and c[3] in on_day:
        return (c[3], "skip", "frequency_cap", f"{said}; {on_day[c[3]]}", -1, ())
    if c[6]:
        return (c[3], "skip", "expired", said, -1, ())
    refusal = _refusal(c[4], taken, cap)
    if refusal:
        return (c[3], "skip", "frequency_cap", f"{said}; alone it would come {refusal}", -1, ())
    if rivals is not None:
        refusal = _gives_way(c, rivals, taken, cap, on_day)
        if refusal:
            return (c[3], "skip", "frequency_cap", f"{said}; alone it {refusal}", -1, ())
    bisect.insort(taken, c[4])
    return (c[3], "send", None, "", c[3], ())


def _carried_until(ordered: Sequence[CandidateKey], after: int, until: int) -> int:
    """The end of the run of ``ordered[after:]`` anchored before ``until``: the letter's riders.

    A letter whose lead is anchored on day ``A`` carries every later candidate
    anchored before ``A + max(min_gap_days, 1)`` (see :func:`decide`); ``ordered``
    is sorted by anchor. Usually none is: a lead anchored on its group's first day
    is followed by candidates anchored ``min_gap_days`` or more after it.
    """
    k = after
    while k < len(ordered) and ordered[k][0] < until:
        k += 1
    return k


def _send(
    decisions: list[Decision],
    lead: CandidateKey,
    group: Sequence[CandidateKey],
    riders: Sequence[CandidateKey],
) -> None:
    """Record ``lead``'s letter, carrying the rest of its ``group`` and then the ``riders``."""
    also = tuple([c[3] for c in (*group, *riders)])
    decisions.append((lead[3], "send", None, "", lead[3], also))
    if also:
        detail = f"sent with {lead[2]}"
        decisions.extend([(k, "skip", "merged", detail, lead[3], ()) for k in also])


def _crowded_out(
    lead: CandidateKey,
    ordered: Sequence[CandidateKey],
    after: int,
    taken: Sequence[int],
    cap: FrequencyCap,
    on_day: Mapping[int, str] | None,
    worst: int,
    kind: str,
) -> str:
    """The timely letter a letter led by ``lead`` would crowd out of the cap, in words, or ``""``.

    Two kinds of lead are asked, both leaving later than a letter decided in date
    order would (the rest of the cap is causal, and cannot crowd anything out):

    * ``"belated"`` — a letter that missed its moment (downtime) leaves on the next
      open window, possibly days before a letter planned on time. Sent, it would
      push that one out of the cap: the client would get "happy belated Women's
      Day" and no birthday letter. Ties go to the timely one: it is not an apology.
    * ``"fallback"`` — a group whose best member cannot lead is led by the next
      member that fits (:func:`decide`), maybe days after the group's first
      occasion and into the next group's gap: a New Year letter carrying refused
      first-deal wishes must not cost the client the birthday letter after it.
      Only a letter of a *higher* priority than the fallback lead is protected:
      between two timely letters of the same rank the earlier one wins, as always.

    A rival is a candidate of a later group (``ordered[after:]``) whose key's
    priority field is at most ``worst`` (keys hold ``-priority``), which fits the
    cap without this letter and not with it — by ``min_gap_days`` or by
    ``max_count`` — and leaves within ``max(min_gap_days, 1)`` days of it. That is
    what the daemon plans on the day the letter would leave
    (:func:`~greeter.planner.lookahead_end` reaches ``min_gap_days`` past it), so it
    decides as preview shows on that day. A catch-up letter's day only moves later,
    nearer the timely one, and its skip is journaled on the run that decides it. A
    fallback letter leaves up to ``min_gap_days - 1`` days after its group's first
    occasion: a run or a preview range ending before then may not see the rival yet,
    and shows the letter until it does (nothing of the group is journaled meanwhile:
    merged greetings are not). A ``max_count`` window spans far past the look-ahead:
    a letter beyond it that the catch-up letter would leave no slot is not seen. (Keeping
    a window's last slot free for it instead was tried: in the ten-year simulation it
    skipped belated letters that would have cost nothing.)
    """
    day, min_gap = lead[4], cap.min_gap_days
    horizon = max(min_gap, 1)
    with_it: list[int] | None = None
    for k in range(after, len(ordered)):
        c = ordered[k]
        if c[0] - day >= horizon:
            break  # sorted by anchor, and a candidate never leaves before its anchor
        if c[6] or c[1] > worst or abs(c[4] - day) >= horizon:
            continue
        if on_day is not None and c[3] in on_day:
            continue
        if _refusal(c[4], taken, cap):
            continue  # refused anyway: nothing to yield to
        gap = abs(c[4] - day)
        if breaks_gap(gap, cap):
            side = "before" if c[4] >= day else "after"  # a belated letter may leave after it
            why = f"only {_days(gap)} {side} the {c[2]} greeting of {_ymd(c[4])}"
            rule = f"min_gap_days {min_gap}"
        else:
            if with_it is None:
                with_it = sorted([*taken, day])
            refusal = _refusal(c[4], with_it, cap)
            if not refusal:
                continue
            side = "before" if c[4] >= day else "after"
            why = f"{_days(gap)} {side} the {c[2]} greeting of {_ymd(c[4])}, which it would leave no slot"
            rule = f"max_count {cap.max_count} per {cap.window_days} days"
        rank = "the same" if c[1] == lead[1] else "a higher"
        if kind == "belated":
            return f"a belated letter now would come {why}, of {rank} priority ({rule})"
        shown_day = _ymd(day)
        if kind == "alone":
            own = f"its own letter (merge: false) on {shown_day}"
            return f"{own} would come {why}, of {rank} priority ({rule})"
        return f"leading the letter on {shown_day}, it would come {why}, of {rank} priority ({rule})"
    return ""


def _gives_way(
    c: CandidateKey,
    rivals: Sequence[tuple[Sequence[CandidateKey], int]],
    taken: Sequence[int],
    cap: FrequencyCap,
    on_day: Mapping[int, str] | None,
) -> str:
    """Why ``c``'s letter gives way to later letters of a higher priority, in words, or ``""``.

    WHY: decided in date order alone, the cap let the first ``max_count`` letters of a window
    through — six holidays at priority 30 took a Kazakh client's every slot, and her birthday
    (priority 100) ten months later was «greeting no. 7». A client keeps the most personal
    letters: ``c``, which fits the cap on its own, is skipped when it and the *reserved*
    letters would overflow ``max_count`` in some ``window_days`` window around its day.

    The reserved letters: the undecided candidates (``rivals``, sorted by anchor, each from an
    index) of a strictly higher priority than ``c``'s, not expired nor refused on their day,
    anchored ``max(min_gap_days, 1)`` days or more after ``c`` (nearer, they merge with it or
    ride in its letter, or :func:`_crowded_out` already weighs them) and leaving less than
    ``window_days`` after it (no window holds both beyond). Taken from the highest priority
    down (ties: the earlier), each one only if it fits the cap — the gap and ``max_count`` —
    beside ``taken`` (history and letters accepted before ``c``) and those reserved before it:
    two occasions of one letter reserve one slot, and a letter the cap would refuse anyway is
    given no slot to spare. Ties of priority with ``c`` reserve nothing: between letters of one
    rank the earlier goes, as always.

    Which letter gives way: in date order, the first lower one whose slot the higher priority
    letters need — the latest the window can spare (six holidays, then a birthday: the sixth
    holiday; earlier ones had room beside the birthday). A pure
    function of ``taken`` and the candidates within ``window_days`` after ``c``: the planner
    plans that far past every letter it may send (:attr:`~greeter.planner.PlanWindow.cap_until`),
    so the daemon's day-by-day runs decide as a year's preview does. A reserved letter that a
    letter of a still higher priority beyond that horizon later takes the slot of was reserved
    in vain: ``c`` is skipped all the same (a chain of such reservations is cut at one window).
    """
    day, horizon = c[4], max(cap.min_gap_days, 1)
    nearest = c[0] + horizon
    last = day + cap.window_days - 1
    later: list[CandidateKey] = []
    for others, after in rivals:
        for k in range(bisect.bisect_left(others, (nearest,), after), len(others)):
            h = others[k]
            if h[0] > last:
                break  # sorted by anchor, and a candidate never leaves before its anchor
            if h[1] >= c[1] or h[6] or h[4] > last or (on_day is not None and h[3] in on_day):
                continue
            later.append(h)
    if not later:
        return ""
    w = cap.window_days
    around = bisect.bisect_right(taken, day + w - 1) - bisect.bisect_left(taken, day - w + 1)
    if around + len(later) < cap.max_count:
        return ""  # every window around ``day`` has room for it and all of them
    later.sort(key=_reserve_key)
    reserved = list(taken)
    kept: list[CandidateKey] = []
    for h in later:
        if not _refusal(h[4], reserved, cap):
            bisect.insort(reserved, h[4])
            kept.append(h)
    if not kept or not window_full(day, reserved, cap):
        return ""
    h = kept[0]  # the highest priority reserved: the one the skip names
    rule = f"max_count {cap.max_count} per {cap.window_days} days"
    return f"gave way to the {h[2]} greeting of {_ymd(h[4])}, of a higher priority ({rule})"


#: The order later letters are reserved in (:func:`_gives_way`): the highest priority, then the earlier day.
_reserve_key = operator.itemgetter(1, 4)
