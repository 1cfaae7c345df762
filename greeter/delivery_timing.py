"""When a letter is due, when its retry comes, and when it is too late: pure date arithmetic.

Split from :mod:`greeter.delivery` (the shell that claims, sends and records):
the send, its retries (:mod:`greeter.send_retries`), the quota's expiry plan
(:mod:`greeter.quota_plan`) and ``why``'s facts (:mod:`greeter.decision_facts`)
count a greeting's catch-up deadline and a retry's backoff with these same
functions, without loading the sender. No I/O, no clock: ``now`` is passed in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from greeter.calendar_rules import WorkCalendar, greeting_day
from greeter.config import Retry, Settings
from greeter.journal_store import JournalKey
from greeter.plan_types import PlanItem


def backoff(attempts: int, policy: Retry) -> timedelta:
    """Exponential backoff after ``attempts`` tries (1 → initial)."""
    seconds = policy.initial_seconds * policy.factor ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, policy.max_seconds))


def deadline(due: date, tz: ZoneInfo, catch_up_days: int) -> datetime:
    """The last moment a greeting may still leave: the end of its catch-up period, local time.

    ``due`` is the day the period counts from (:func:`due_day`).
    """
    last = due + timedelta(days=catch_up_days + 1)
    return datetime(last.year, last.month, last.day, tzinfo=tz)


def due_day(settings: Settings, occasion: str, occasion_date: date, cal: WorkCalendar) -> date:
    """The day a greeting's catch-up period counts from: its occasion's day, or the later day a
    day off moves its letter to (``day_off_policy: after``, ``max_days_early``).

    A 5 January birthday greeted on 11 January after the New Year break is not
    six days late on the 11th: the planner counts its lateness from that day
    (:attr:`~greeter.plan_tables.OccasionDay.due`), and so must its retries —
    counted from 5 January, the first 451 of a greylisting server failed it for
    good. Unlike the planner, not from the day ``days_before`` aims at, when
    earlier: a letter in flight may be retried until its occasion's own
    catch-up ends, as before. An occasion the config no longer has: its day.
    """
    occ = next((o for o in settings.occasions if o.name == occasion), None)
    if occ is None:
        return occasion_date
    window = settings.send_window
    meant = occasion_date - timedelta(days=occ.days_before)
    leaves = greeting_day(meant, cal, window.day_off_policy, occ.days_early_limit(window.max_days_early))
    return max(occasion_date, leaves)


def letter_deadline(settings: Settings, key: JournalKey, tz: ZoneInfo, cal: WorkCalendar) -> datetime:
    """The :func:`deadline` of the greeting ``key`` for a recipient in ``tz`` whose working days are
    ``cal``: the end of its catch-up period, counted from its :func:`due_day`."""
    _, occasion, occasion_date = key
    return deadline(due_day(settings, occasion, occasion_date, cal), tz, settings.catch_up_days)


def is_due(item: PlanItem, now: datetime) -> bool:
    return item.status == "send" and item.send_at is not None and item.send_at <= now
