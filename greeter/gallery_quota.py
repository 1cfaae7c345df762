"""The gallery's note on a day the daily quota cannot send whole: how many go, how many wait or are lost.

``preview`` forecasts the days whose planned letters exceed ``delivery.rate_limit.per_day``
(:func:`~greeter.quota_plan.quota_forecast`) and said so on stderr and in its JSON only: a
reviewer who reads the gallery saw a day of 5145 letters "to send" while the quota lets 500
go. The day's heading (the index, a day's page, the overview's row) now says it in the
team's language — «по квоте уйдут: 500 из 5145 · позже: 3000 · не уйдут: 1645» —, beside the day's
other counts and styled as they are, in the quota's warning colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from greeter.gallery_lang import Ui
from greeter.journal_store import JournalKey
from greeter.quota_plan import QuotaDay, held_back

#: The setting the note is about: its tooltip (the config's own name, in no language).
SETTING = "delivery.rate_limit.per_day"


@dataclass(frozen=True, slots=True)
class DayNote:
    """What a day's heading says: the quota's slots of the letters that day, and what becomes of
    the letters first held back that day — in the end, not only the next day."""

    allowed: int
    #: The day's letters and those held back before that still wait, as the quota counts them.
    total: int
    #: Of those first held back this day: go on a later day (if the quota has room then) / lost.
    later: int
    lost: int


def by_day(days: Iterable[QuotaDay]) -> dict[date, DayNote]:
    """Pure: each day over the quota's note, by day.

    A letter held back on the 14th and again on the 15th expires on the 16th, a day that may
    plan no letter and so has no heading: its fate is told on the 14th, where its card is
    (:func:`~greeter.quota_plan.held_back` gives the last day's verdict).
    """
    over = list(days)
    fates = held_back(over)
    seen: set[JournalKey] = set()
    notes: dict[date, DayNote] = {}
    for day in over:
        first = [key for key in (*day.later, *day.expire) if key not in seen]
        seen.update(first)
        later = sum(fates[key][1] == "later" for key in first)
        notes[day.day] = DayNote(day.allowed, day.planned + day.carried, later, len(first) - later)
    return notes


def quota_note(day: date, quota: Mapping[date, DayNote], ui: Ui) -> str:
    """Pure: the heading's note for ``day`` when the quota cannot send it whole; "" otherwise."""
    note = quota.get(day)
    if note is None:
        return ""
    parts = [ui.say("day.quota", allowed=note.allowed, total=note.total)]
    if note.later:
        parts.append(f"{ui.say('day.quota_later')}: {note.later}")
    if note.lost:
        parts.append(f"{ui.say('day.quota_lost')}: {note.lost}")
    return f'<span class="day-note day-quota" title="{SETTING}">{" · ".join(parts)}</span>'
