"""The daemon's schedule as pure functions: a crontab line → APScheduler trigger → the next wake-up.

APScheduler 3's ``CronTrigger.from_crontab`` numbers weekdays from Monday
(0 = Monday), unlike cron (0 and 7 = Sunday): ``0 9 * * 1-5`` would mean
Tuesday to Saturday. Marketers copy crontab lines from everywhere, so the
weekday field is translated to names here and means what cron means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from greeter.calendar_rules import period_end_after
from greeter.config_window import SendWindow

_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekdays(field: str) -> str:
    """Cron's numeric weekday field as an explicit list of day names (names pass through)."""
    if not re.fullmatch(r"[0-7*,/\-]+", field) or field == "*":
        return field
    days: set[int] = set()
    for part in field.split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"bad step in weekday field {field!r}")
        if spec == "*":
            first, last = 0, 6
        elif "-" in spec:
            a, b = spec.split("-", 1)
            first, last = int(a), int(b)
        else:
            first = last = int(spec)
            if step_text:
                last = 6
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last):
            raise ValueError(f"bad weekday range {part!r} (0-7, Sunday is 0 or 7)")
        days.update(d % 7 for d in range(first, last + 1, step))
    return ",".join(_CRON_DAYS[d] for d in sorted(days))


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger from a five-field crontab line with cron's weekday numbering, in ``timezone``."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("cron needs 5 fields: minute hour day month weekday")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=_weekdays(weekday), timezone=timezone
    )


def next_wake(
    now: datetime,
    cron: CronTrigger,
    next_send: datetime | None,
    *,
    planned_at: datetime,
    next_retry: datetime | None = None,
    gather: timedelta = timedelta(0),
    next_planned: datetime | None = None,
    spacing: timedelta = timedelta(0),
    latest: datetime | None = None,
) -> datetime:
    """When to plan next: the first cron time after ``now``, or the next planned send if sooner.

    ``next_send`` is what the run that planned at ``planned_at`` found to be
    the next moment a letter (or a retry) may leave. A run can outlast it — a
    slow server, a rate limit, a large catch-up batch — and then that moment
    has passed by ``now``: the letters due since are waiting, so the answer is
    ``now`` (run again at once), not the next cron time, which with a daily
    cron is tomorrow. Only a moment that was still ahead when the run planned
    counts: the plan made at ``planned_at`` has already seen everything due
    until then, so a ``next_send`` at or before it (a window still closed, a
    letter that cannot go) is not news, and re-running for it would spin.
    Each immediate re-run thus needs time to have passed a moment its
    predecessor planned for, which bounds it by the schedule itself.

    When that next send is a retry (``next_retry`` is it), the wake is
    ``gather`` later: the retries of one outage are due a few seconds apart
    (each letter's backoff counts from its own attempt, plus jitter), and
    waking for each re-planned everything for one letter at a time (300
    contacts and a 421: 18 runs in 13 s). Waking once, a little late, sends
    all of them in one run. A planned letter (``next_planned``, the earliest
    send that is not a retry) due meanwhile is not kept waiting: the wake is
    then at its time — its window may close within the gathering (a letter
    planned for 17:59:50 before an 18:00 cut-off would otherwise miss its day).

    ``spacing`` bounds the share of the daemon's time spent planning
    (:class:`PlanningDuty`): the next run does not start sooner than
    ``planned_at + spacing``, gathering the letters due meanwhile into one
    run. Letters are spread through the send window (each contact's own
    moment), so with many contacts the next send is always seconds away, and
    waking for each re-planned every contact for a handful of letters (150,000
    contacts: a 10–13 s plan every 10–13 s, all day). Never past ``latest``
    (:func:`gather_latest`: before the first sending period after the next
    send can end, less the run's own time), so a gathered letter still leaves
    inside its window on its day; a wake already later than ``latest`` (the
    next send itself, a retry's gathering) is kept. ``latest`` None: nothing
    is gathered. A spacing of 0 (a plan shorter than :attr:`PlanningDuty.noticed`)
    leaves the wake exactly as without it: small installations send each letter
    at its own second.
    """
    tick: datetime | None = cron.get_next_fire_time(None, now + timedelta(seconds=1))
    assert tick is not None  # a crontab expression always fires again
    if next_send is None or next_send <= planned_at:
        return tick
    wake = next_send
    if wake <= now:
        wake = now
    elif next_retry is not None and next_retry <= wake:
        wake += gather
        if next_planned is not None and planned_at < next_planned < wake:
            wake = next_planned
    earliest = planned_at + spacing
    if latest is not None and wake < earliest:
        wake = max(wake, min(earliest, latest))
    return min(wake, tick)


#: The longest a retry's wake is put off to gather the retries due after it (see :func:`next_wake`).
RETRY_GATHER_MAX = timedelta(seconds=30)


def retry_gather(initial_seconds: float) -> timedelta:
    """How long to gather retries: 30 s, or a quarter of the first backoff when that is shorter.

    A quarter keeps a short backoff (a test's, a relay's 5 s) from being
    mostly waiting; 30 s is small beside the usual minute-long backoffs.
    """
    return min(RETRY_GATHER_MAX, timedelta(seconds=initial_seconds / 4))


@dataclass(frozen=True)
class PlanningDuty:
    """The most of the daemon's time planning may take, as the spacing between two runs' starts.

    A run re-plans every contact (the journal and the contacts file are the
    truth, and an operator's change — a suppression, an edited export — must
    count), so its cost grows with the contacts, while letters spread through
    the send window keep the next send seconds away. Spacing the runs at least
    ``planning / share`` apart keeps planning to ``share`` of the time (20 %:
    a 12 s plan at most every minute) whatever the number of contacts; the
    letters due meanwhile leave together (:func:`next_wake`, ``spacing``).

    A plan shorter than ``noticed`` seconds spaces nothing: a small
    installation wakes for each letter at its own second, as before. A
    rehearsal (``--speed``) spaces its runs as production would: its clock
    runs at real time while it plans (:meth:`~greeter.clock.Clock.working`).
    """

    share: float = 0.2
    noticed: float = 1.0

    def spacing(self, planning_seconds: float) -> float:
        """Seconds (real) from one run's start to the next's, after a plan of ``planning_seconds``; 0: any."""
        if planning_seconds < self.noticed:
            return 0.0
        return planning_seconds / self.share


#: The least a gathering stops short of a sending period's end (:func:`gather_latest`).
GATHER_MARGIN = timedelta(seconds=30)


def gather_latest(
    next_send: datetime | None, zones: Iterable[ZoneInfo], window: SendWindow, run: timedelta
) -> datetime | None:
    """The latest a wake may be put off to gather letters (:func:`next_wake`'s ``latest``); pure.

    The first moment after ``next_send`` at which a sending period may end in
    any of the recipients' ``zones`` (:func:`~greeter.calendar_rules.period_end_after`),
    less twice the last run's time ``run`` (at least :data:`GATHER_MARGIN`): the
    run that wakes then plans, then claims, and each letter's window must still be
    open when it is claimed. Every letter due at or after ``next_send`` is in a
    period that ends no sooner, so none is gathered past its window, nor its day.
    None: no next send or no period end known, gather nothing.
    """
    if next_send is None:
        return None
    ends = [end for tz in set(zones) if (end := period_end_after(next_send, tz, window)) is not None]
    if not ends:
        return None
    return min(ends) - max(GATHER_MARGIN, 2 * run)
