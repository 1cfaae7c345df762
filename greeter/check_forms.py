"""The other shapes a real letter takes, for ``greeter check`` to render besides the plain one — pure.

``check`` renders every occasion's template for every contact as a letter
sent on its day, alone. Real letters also leave early (a day off, or
``days_before``: ``early``, ``send_date``), late (catch-up: ``belated``),
carrying merged occasions (``also``), and for every anniversary number
(``years``: a jubilee branch from 50). A typo inside one of those branches
passed ``check: OK`` and failed the letter at send time. Those branches
depend on the letter's situation, not on the contact, so a few contacts per
template file and occasion are enough: :func:`letter_forms` gives the forms
to render for one of them. The plain render still runs for every contact,
because what depends on contact data (an empty company, a locale) can only
be found that way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from greeter.config import Occasion
from greeter.plan_types import Hit, PlanItem

#: Contacts per (occasion, template file) whose letter is also rendered in every other form.
SAMPLE_CONTACTS: Final = 3
#: Anniversary numbers tried: each Russian plural category, round numbers and jubilees (50, 55).
YEARS: Final = (1, 2, 5, 11, 21, 50, 55, 100)
#: How far before its day an early letter leaves (a 7 January birthday greeted on 30 December).
EARLY_DAYS: Final = 8
#: How late a belated letter leaves (within any catch-up period).
LATE_DAYS: Final = 2
#: Merged occasions are tried this many days before and after the letter's day.
MERGED_OFFSET: Final = 3


def letter_forms(
    hit: Hit, occasions: Sequence[Occasion], day: date | None = None
) -> Iterator[tuple[str, PlanItem]]:
    """(what the letter is, the plan item) for each form of ``hit``'s letter other than the plain one.

    ``day`` is the occasion's real date if it has one (fixed dates and
    holidays), else the plain hit's. Only occasions with a priority no higher
    than ``hit``'s are merged into it: the highest priority leads a merged
    letter, so the others never appear in this template's ``also``.
    """
    day = day or hit.date
    hit = replace(hit, date=day)
    mine = next((o for o in occasions if o.name == hit.occasion), None)
    carried = [
        o for o in occasions if o.name != hit.occasion and (mine is None or o.priority <= mine.priority)
    ]
    before = [_merged(hit, o, day - timedelta(days=MERGED_OFFSET), 1) for o in carried]
    after = [_merged(hit, o, day + timedelta(days=MERGED_OFFSET), 5) for o in carried]
    early = _at(day - timedelta(days=EARLY_DAYS))
    late = _at(day + timedelta(days=LATE_DAYS))
    yield "sent early, before its day", PlanItem(hit, "send", send_at=early)
    yield "sent late (belated)", PlanItem(hit, "send", send_at=late, belated=True)
    for one_before, one_after in zip(before, after, strict=True):
        label = f"merged with {one_before.occasion}"
        yield label, PlanItem(hit, "send", send_at=_at(day), also=(one_before,))
        yield label, PlanItem(hit, "send", send_at=_at(day), also=(one_after,))
    if len(carried) > 1:
        everything = tuple(after)
        names = ", ".join(o.name for o in carried)
        yield f"merged with {names}", PlanItem(hit, "send", send_at=_at(day), also=tuple(before))
        yield f"sent early and merged with {names}", PlanItem(hit, "send", send_at=early, also=everything)
        late_item = PlanItem(hit, "send", send_at=late, also=tuple(before), belated=True)
        yield f"sent late and merged with {names}", late_item
    if hit.years is not None:  # a contact's own date, which moves when it is 29 February
        moved = replace(hit, moved=True)
        leap = "for 29 February in a common year"
        yield leap, PlanItem(moved, "send", send_at=_at(day))
        yield f"{leap}, sent early", PlanItem(moved, "send", send_at=early)
        yield f"{leap}, sent late (belated)", PlanItem(moved, "send", send_at=late, belated=True)
        for years in YEARS if mine is None else _possible_years(mine):
            yield f"for years={years}", PlanItem(replace(hit, years=years), "send", send_at=_at(day))


def _possible_years(occ: Occasion) -> list[int]:
    """The numbers of :data:`YEARS` this occasion's letters can have: its audience's round/min years,
    within its plausible ``min_years``..``max_years`` (the others are data errors, never a letter)."""
    audience = occ.audience
    return [
        years
        for years in YEARS
        if occ.min_years <= years <= occ.max_years
        and not (audience.round_years and years % audience.round_years)
        and not (audience.min_years is not None and years < audience.min_years)
    ]


def next_days(fixed: Mapping[str, Sequence[date]]) -> dict[str, date]:
    """The first date of each contact-independent occasion (from :func:`greeter.occasions.fixed_days`)."""
    return {name: min(days) for name, days in fixed.items() if days}


def _merged(lead: Hit, occ: Occasion, day: date, years: int) -> Hit:
    """``occ`` as it rides in ``lead``'s letter: on ``day``, with a number if it is a date field's."""
    number = years if occ.field is not None else None
    return Hit(lead.contact, occ.name, day, number, occ.priority, occ.template)


def _at(day: date) -> datetime:
    """A send moment on ``day`` (templates see only its date, ``send_date``)."""
    return datetime.combine(day, time(12), tzinfo=UTC)
