"""Plain data passed along the pipeline: occasions found, decisions made, drafts rendered.

Kept apart from the code that computes them so that every stage (occasions,
policy, schedule, render, preview, delivery) imports the same small types and
nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from greeter.contacts import Contact
from greeter.slots_init import maker, slots_init

#: Stable machine words for why an occasion produced no message of its own (DESIGN.md §3).
Reason = Literal[
    "frequency_cap",
    "merged",
    "suppressed",
    "no_email",
    "invalid_contact",
    "already_sent",
    "expired",
    "outside_audience",
    "render_error",
    "awaiting_approval",
]


@slots_init
@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a configured occasion for one contact."""

    contact: Contact
    occasion: str  # the occasion's name from config
    date: date  # the day being celebrated (birthday this year, 01-01, the holiday)
    years: int | None  # anniversary number: age, company age, years together
    priority: int
    template: str
    #: For ``invalid_contact`` hits: what is wrong (e.g. "birthday 2090-01-01 is in the future").
    problem: str | None = None
    #: ``date`` stands in for a day this year does not have — 29 February in a common year,
    #: greeted on 28 February or 1 March (``leap_day``) — so a letter must not print it as the day.
    moved: bool = False
    #: False when the contact's date could not be read at all: ``date`` is then only where the
    #: plan files the problem (the first day shown), no day of the occasion, and is shown as none
    #: (``occasion_date: null``) rather than as a birthday on whatever day a range starts.
    dated: bool = True
    #: Why the occasion is not the contact's at all, found in dating it (a holiday their country's
    #: calendar has not by that name: :func:`~greeter.occasions.not_in_calendar`): skipped as
    #: ``outside_audience``, with these words. None: the audience rule decides.
    outside: str | None = None

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """The journal key: (contact, occasion, occasion date) — greeted once, ever."""
        return (self.contact.id, self.occasion, self.date)


@slots_init
@dataclass(frozen=True, slots=True)
class PlanItem:
    """The planner's verdict on one hit: send it (possibly carrying merged ones) or skip it."""

    hit: Hit
    #: ``sent``: the journal says this letter already left (``send_at`` is when); nothing to do.
    status: Literal["send", "sent", "skip"]
    reason: Reason | None = None
    #: When the message leaves (``sent``: left; ``merged``: the letter carrying it), aware, in the
    #: recipient's time zone; None for other skips.
    send_at: datetime | None = None
    #: Hits merged into this message (status "send"), shown to the template as ``also``.
    also: tuple[Hit, ...] = ()
    #: For a skip with reason "merged": the occasion whose message carries this one.
    merged_into: str | None = None
    #: True when sent after its ideal day because of downtime (catch-up).
    belated: bool = False
    #: Human detail for the reason (e.g. "3rd greeting in 365 days would exceed max_count 6").
    detail: str = ""
    #: ``sent``: the occasions its letter carried besides its own, as the journal recorded them.
    carried: tuple[str, ...] = ()
    #: What the journal holds for a greeting it already has: the row's state for ``already_sent``
    #: (``failed``, ``uncertain``, ``retry``…), the carrying letter's for one that rode in a letter
    #: already handed over (``merged``); None when the journal has nothing of it.
    journal_state: str | None = None
    #: The address the journal holds for a greeting it already has (``sent``: where the letter
    #: went; a ``merged`` one: its carrier's): the contact's may have changed since. None: nothing.
    sent_to: str | None = None
    #: ``history``'s machine word for the skip when it says more than ``reason`` (JSON
    #: ``reason_code``): ``baseline`` for an ``already_sent`` that ``greeter baseline`` recorded.
    #: None: the same word as ``reason``.
    reason_code: str | None = None

    @property
    def merged_with(self) -> list[str]:
        """Occasion names merged with this one, for the JSON contract."""
        if self.status == "send":
            return [h.occasion for h in self.also]
        if self.status == "sent":
            return list(self.carried)
        return [self.merged_into] if self.merged_into else []


#: ``Hit(...)`` and ``PlanItem(...)`` for the planner's hot loops: the same records, made a third
#: cheaper (:func:`~greeter.slots_init.maker`); some seven hits and six items a contact.
new_hit = maker(Hit)
new_item = maker(PlanItem)


class OwnDays(Mapping[int, int]):
    """The candidates' own days (ordinals) by index, read from their hits when asked.

    :func:`~greeter.policy.decide` names an expired candidate's group by its members' days
    (``dates``), which only a group nobody leads asks for: building the dict for every contact
    with an expired candidate (most, in a year's plan) cost more than all of those asked.
    """

    __slots__ = ("_cands",)

    def __init__(self, cands: Sequence[tuple[Hit, object, object, object, object]]) -> None:
        self._cands = cands

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < len(self._cands):
            raise KeyError(index)
        return self._cands[index][0].date.toordinal()

    def __len__(self) -> int:
        return len(self._cands)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self._cands)))


@dataclass(frozen=True, slots=True)
class Rendered:
    """The words of one letter."""

    subject: str
    text: str
    html: str | None = None
    template_file: str = ""
    #: The letter's locale (its template file's language, else the default): the From: name follows it.
    locale: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    """A plan item with its rendered letter (or the error that stopped rendering)."""

    item: PlanItem
    rendered: Rendered | None = None
    error: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PastGreeting:
    """A greeting the journal already holds (sent, claimed, retrying or uncertain).

    Passed to the planner as plain data: it counts against the frequency cap
    and stops the same (contact, occasion, date) from being planned again.
    """

    contact_id: str
    occasion: str
    occasion_date: date
    day: date  # the day it was (or is to be) sent
    state: str = "sent"
    #: The address it went (or goes) to: a CRM that renumbers a client keeps its e-mail.
    email: str | None = None
    #: When it left (state ``sent``): preview shows it as sent, at that moment, not as a skip.
    sent_at: datetime | None = None
    #: The occasions this letter carried besides its own (its ``merged`` column).
    merged: tuple[str, ...] = ()
    #: For a ``skipped`` row that rode in another occasion's letter: that occasion.
    merged_into: str | None = None
    #: A row ``greeter baseline`` recorded (stored ``skipped``; ``state`` is ``sent`` for the
    #: planner and the cap): a preview says it was recorded as handled, not sent from this journal.
    baseline: bool = False
    #: For an ``expired`` row: why, as the sender journaled it ("the daily quota … held it back on
    #: 14.04 …"), so that a preview's card says what ``greeter history`` does; else None.
    expired_why: str | None = None
    #: For a ``skipped`` row of its own (not one that rode in another letter, nor a baseline's):
    #: why the sender skipped it, as journaled (``suppressed: … is on the do-not-contact list``,
    #: ``frequency_cap: …``, ``dismissed``), so that a preview's card says it; else None.
    skipped_why: str | None = None


@dataclass(frozen=True, slots=True)
class MergeRule:
    """One occasion's merge settings, as the cap decides with them (:func:`~greeter.policy.decide`).

    From :class:`~greeter.config.Occasion`'s ``merge``, ``merge_max_days_late`` and
    ``merge_max_days_early`` (:meth:`~greeter.config.Occasion.merge_bounds`): an occasion
    without a rule merges as it always did.
    """

    #: ``merge: false``: its own letter always, never carried nor carrying.
    alone: bool = False
    #: At most this many days may the letter carrying it be planned after its own day; None: no limit.
    max_days_late: int | None = None
    #: At most this many days may the letter carrying it be planned before its own day; None: no limit.
    max_days_early: int | None = None

    def outside(self, own: int, letter: int, day: int | None = None) -> str:
        """Why a letter planned for day ``letter`` (ordinal) may not carry it, planned for ``own``.

        "" if it may. Counted between the days planned, so a group keeps its shape as days pass;
        ``day``: its own day (less ``days_before``) when a day off moved it (``own``) away from it —
        lateness counts from the later of the two, earliness from the earlier, as ``catch_up_days``
        and ``max_days_early`` count: 23 February greeted on Friday the 19th is not 5 days late in
        a birthday letter of the 24th.
        """
        if day is not None and day != own:
            late = letter - max(own, day)
            early = min(own, day) - letter
        else:
            late = letter - own
            early = -late
        if self.max_days_late is not None and late > self.max_days_late:
            return f"{_days(late)} after its day (merge_max_days_late {self.max_days_late})"
        if self.max_days_early is not None and early > self.max_days_early:
            return f"{_days(early)} before its day (merge_max_days_early {self.max_days_early})"
        return ""


def _days(n: int) -> str:
    """``n`` and "day" or "days" (the planner's details are English)."""
    return f"{n} day" if n == 1 else f"{n} days"


def bounds(rules: Mapping[str, MergeRule] | None, occasion: str) -> MergeRule | None:
    """``occasion``'s merge rule when it bounds how far a letter may carry it, else None."""
    r = rules.get(occasion) if rules else None
    return r if r is not None and (r.max_days_late is not None or r.max_days_early is not None) else None


def outside(
    rules: Mapping[str, MergeRule] | None, occasion: str, own: int, letter: int, day: int | None = None
) -> str:
    """Why a letter planned for day ``letter`` may not carry ``occasion`` planned for ``own`` (its own
    day: ``day``, see :meth:`MergeRule.outside`), or ``""``."""
    r = bounds(rules, occasion)
    return "" if r is None else r.outside(own, letter, day)
