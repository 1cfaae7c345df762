"""``preview`` of days greeter never planned: said, not an empty table that reads as "nothing happened".

A journal's first plan starts each occasion ``catch_up_days`` back, and an
occasion added to the config later starts on the day it was first planned
(:func:`~greeter.planner.occasion_starts`): the days before are not "missed" —
greeter was not there — so the planner plans nothing for them, silently. A
manager asked «why did I get nothing on my birthday» and ran ``preview --from``
a date before the journal's first run: «nothing planned in this range», while
``history`` was where the answer was. :func:`before_planning` says which days
of the range greeter never planned, why, and where to look (on stderr: the JSON
stays the plan, DESIGN §3). Days greeter did plan show what became of their
letters as ever (``sent``, ``skip: failed``, ``expired``…). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo


def before_planning(
    first: date,
    last: date,
    since: Mapping[str, datetime | None],
    zone: tzinfo,
    *,
    journal: bool,
) -> str | None:
    """The note for the days of ``first`` … ``last`` before an occasion was planned from; None: none.

    ``since``: each configured occasion's start (:attr:`~greeter.runtime.Inputs.occasion_since`:
    None, always planned); its day on ``zone``'s clock (``defaults.timezone``). ``journal``:
    whether a journal recorded them (else they are those a first send now would record:
    :attr:`~greeter.runtime.Inputs.first_plan`).
    """
    starts: dict[date, list[str]] = {}
    for name, at in since.items():
        if at is not None and (day := at.astimezone(zone).date()) > first:
            starts.setdefault(day, []).append(name)
    if not starts:
        return None
    ordered = sorted(starts.items())
    if len(ordered) == 1:
        day, names = ordered[0]
        every = len(names) == len(since)
        which = "each occasion" if every else " and ".join(names)
        when = f"{which} from {day}"
    else:
        when = "; ".join(f"{' and '.join(names)} from {day}" for day, names in ordered)
    upto = min(ordered[-1][0] - timedelta(days=1), last)
    days = "this range" if ordered[0][0] > last else f"the days {first} … {upto} of this range"
    if journal:
        head = f"greeter plans {when} on (its journal's first run, less catch_up_days, or the day it came"
        head += " into the config)"
        look = f"greeter history --since {first} --until {upto} lists what the journal holds for them"
    else:
        head = f"greeter has not planned from this config's journal yet: a first send now would plan {when}"
        head += " on (catch_up_days before it)"
        look = "a letter another tool sent then is not in greeter's journal (greeter baseline records those)"
    gone = "greeter was not planning them then, and nothing there was missed"
    return f"{head}: nothing is shown for {days} — {gone}; {look}"
