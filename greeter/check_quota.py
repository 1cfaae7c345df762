"""``greeter check``: the days ahead whose letters the daily quota cannot all send.

``delivery.rate_limit.per_day`` below a rush (New Year's letters to every
client on one day) held thousands of letters back, and most expired, while
``check`` exited 0 and ``preview`` said nothing. This plans the next
:data:`QUOTA_DAYS` days as a send would and warns of each day over the quota
(:func:`~greeter.quota_plan.quota_forecast`), at the setting's line.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from greeter.errors import GreeterError, Problem
from greeter.quota_plan import over_quota, quota_day_words
from greeter.runtime import Inputs, existing_journal, load_planning_state

#: How far ahead ``check`` plans to find days over the quota: a month's notice of a rush, and more.
QUOTA_DAYS = 45

#: The days named at most (each is a warning): the first ones are those to act on.
MOST_DAYS = 10

SETTING = ("delivery", "rate_limit", "per_day")


def quota_problems(inputs: Inputs, config_file: Path, now: datetime) -> list[Problem]:
    """A warning for each day of the next :data:`QUOTA_DAYS` whose planned letters exceed
    ``delivery.rate_limit.per_day``: how many, how many go, and what happens to the rest.

    None without a quota, or when the plan cannot be made (the contacts or the journal
    cannot be read: ``check`` reports that itself).
    """
    if inputs.settings.delivery.rate_limit.per_day is None:
        return []
    from greeter.config_loader import locate

    today = now.date()
    try:
        load_planning_state(inputs, now=now, start=today)
        pw = inputs.window(now=now, start=today, days=QUOTA_DAYS)
        days = over_quota(
            inputs.plan(inputs.contacts(inputs.new_report()), pw), pw, recent_sends(inputs, now)
        )
    except GreeterError:
        return []
    line, col = locate(config_file, SETTING)
    problems = [
        Problem(str(config_file), ".".join(SETTING), quota_day_words(day), line, col, severity="warning")
        for day in days[:MOST_DAYS]
    ]
    if len(days) > MOST_DAYS:
        more = f"and {len(days) - MOST_DAYS} more days over the quota in the next {QUOTA_DAYS}"
        more += " (greeter preview lists them)"
        problems.append(Problem(str(config_file), ".".join(SETTING), more, line, col, severity="warning"))
    return problems


def recent_sends(inputs: Inputs, now: datetime) -> list[datetime]:
    """When the letters the journal holds as sent in the 24 hours before ``now`` left: the daily
    quota's slots already taken, which :func:`~greeter.quota_plan.quota_forecast` does not offer
    again. Empty without a journal (nothing sent yet)."""
    journal = existing_journal(inputs, now)
    if journal is None:
        return []
    try:
        return journal.sent_times(now - timedelta(days=1))
    finally:
        journal.close()
