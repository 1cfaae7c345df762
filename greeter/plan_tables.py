"""What one plan computes once and every contact shares — pure, built from the plan's inputs.

Planning a million contacts used to redo, per contact and per occasion, work
whose answer depends only on the run: ``now`` in the contact's time zone, the
working day an occasion moves to, the send periods of a day in a zone, the
next open window. :class:`PlanTables` answers each from a table filled the
first time it is asked (a few hundred days × a dozen zones), so the
per-contact cost is the contact's own work: its hits, their spread moments,
the cap.

Every table is keyed by *all* the inputs its answer depends on besides the
run's own constants (settings, ``now``): a zone-dependent answer by the
zone's name and the contact's country (its days off and its working week), a
day-dependent one by the day, the country and the week.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from greeter.audience import AudienceRule, AudienceVerdicts
from greeter.calendar_rules import DaySlots, WorkCalendar, day_slots, greeting_day, next_window_open
from greeter.config import Occasion, Settings
from greeter.occasions import shared_table
from greeter.slots_init import slots_init

#: A greeting day's inputs: (holidays' country, region, weekend's country, set week, day, limit).
_DayKey = tuple[str | None, str | None, str | None, frozenset[int], date, int | None]


@dataclass
class ZoneView:
    """The run as seen from one time zone and country: local now, today, catch-up limit, days off."""

    tz: ZoneInfo
    now: datetime
    today: date
    #: Occasions before this local day are past their catch-up period (expired).
    oldest: date
    #: Occasion → the local day it came into existence (only occasions added later).
    since: dict[str, date]
    #: The working days of the contacts seen from here (their country's, else the default's).
    cal: WorkCalendar
    #: Per day: its send periods in this zone.
    slots: dict[date, DaySlots] = field(default_factory=dict)
    #: Per (occasion, occasion date): when and how its greeting leaves (see :meth:`PlanTables.occasion_day`).
    days: dict[tuple[str, date], OccasionDay] = field(default_factory=dict)
    #: Per (the day a letter is meant for, its occasion's ``max_days_early``): what
    #: :meth:`PlanTables.occasion_day` reads of the calendar and the send periods — the same for
    #: every occasion meant for that day (a birthday and a first-deal anniversary on one date).
    leaving: dict[tuple[date, int | None], _Leaving] = field(default_factory=dict)
    _next_open: datetime | None = None
    #: :meth:`PlanTables.next_open` for a letter planned on today, a day off (``on_day``).
    _open_today: datetime | None = None


#: Where a letter whose moment passed unsent goes (:meth:`PlanTables.missed`): (the next open
#: window, its local day as an ordinal, whether that is past the catch-up period — expired —,
#: whether it is after the occasion's day — belated —, and what an expired one's detail names:
#: (that day, the day its catch-up counts from, whether a day off moved it there)).
Missed = tuple[datetime, int, bool, bool, tuple[date, date, bool]]

#: An ideal day's part of an :class:`OccasionDay` in one zone: (day, planned, due, expired, slots,
#: ahead, behind) — see there.
_Leaving = tuple[date, int, date, bool, "DaySlots | None", bool, bool]


@slots_init
@dataclass(frozen=True, slots=True)
class OccasionDay:
    """Where an occasion's day puts its greeting in one zone: the same for every contact there.

    A year's plan asks this for some seven hits per contact, while a zone has
    only a few hundred distinct (occasion, day) pairs.
    """

    #: The day the letter is meant to leave (:func:`~greeter.calendar_rules.greeting_day`), and its ordinal.
    day: date
    planned: int
    #: The day lateness counts from: the later of the occasion's ideal day and ``day``.
    due: date
    #: ``due`` is past the catch-up period: too late to send alone.
    expired: bool
    #: ``day``'s send periods in the zone (None when ``expired``: it never leaves alone).
    slots: DaySlots | None
    #: The part of the spread key after the contact's id, encoded (see :func:`spread_key_tail`).
    key_tail: bytes
    #: Every moment spread over ``slots`` is on a local day after the run's: none has passed, and
    #: each leaves on ``day`` itself — the usual case, with no moment to compare or date to take.
    ahead: bool = False
    #: Every such moment is on a local day before the run's: all have passed.
    behind: bool = False
    #: ``day`` is after the occasion's own (a greeting sent late: the letter may say "belated").
    belated: bool = False
    #: ``behind``: where its letter goes instead (:meth:`PlanTables.missed`), the same for every
    #: contact in the zone — a year's plan simulates such a day (the New Year before its range)
    #: for every contact. None otherwise.
    missed: Missed | None = None


def _local_days(slots: DaySlots, tz: ZoneInfo) -> tuple[date, date]:
    """The local days of the first and the last moment :func:`~greeter.calendar_rules.spread` gives."""
    if slots.empty is not None:
        return slots.empty.date(), slots.empty.date()
    assert slots.last is not None  # a day with periods has a last second
    return slots.starts[0].astimezone(tz).date(), slots.last.astimezone(tz).date()


def spread_key_tail(occasion: str, day: date) -> bytes:
    """``"\x1f{occasion}\x1f{day}"`` in UTF-8: the spread key is the contact's id followed by this.

    UTF-8 encodes a concatenation as the concatenation of the encodings, so
    ``id.encode() + tail`` is the very key :func:`~greeter.calendar_rules.spread_fraction`
    hashed when it was one string: every greeting keeps its moment.
    """
    return f"\x1f{occasion}\x1f{day.isoformat()}".encode()


@dataclass(frozen=True, slots=True)
class OccasionPlan:
    """An occasion's per-run constants for the planner."""

    occ: Occasion
    before: timedelta
    rule: AudienceRule
    #: The rule's answers, remembered for the run.
    audience: AudienceVerdicts
    #: The audience is everyone (no rule given): nothing to check per contact.
    everyone: bool = False
    #: :meth:`~greeter.config.Occasion.days_early_limit` under the run's ``send_window``.
    early_limit: int | None = None


class PlanTables:
    """Per-run caches behind :func:`greeter.planner.plan_contact` (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        *,
        now: datetime,
        start: date,
        end: date,
        sim_start: date,
        calendar: WorkCalendar,
        fixed: dict[str, list[date]],
        since: Mapping[str, datetime],
        calendar_for: Callable[[str | None], WorkCalendar] | None = None,
    ) -> None:
        self.window = settings.send_window
        self.policy = settings.send_window.day_off_policy
        self.max_days_early = settings.send_window.max_days_early
        self.calendar = calendar
        self._calendar_for = calendar_for or (lambda _country: calendar)
        self.catch_up = timedelta(days=settings.catch_up_days)
        self.default_zone = settings.defaults.timezone
        self.cap = settings.frequency_cap
        self._now = now
        self._since = since
        #: The hits of a contact: simulated from ``sim_start``, bad dates reported at ``start``.
        self.hits = shared_table(settings, sim_start, end, fixed=fixed, report_from=start)
        self.occasions: dict[str, OccasionPlan] = {}
        for occ in settings.occasions:
            rule = AudienceRule.for_occasion(occ, settings.defaults.country, settings.defaults.locale)
            before = timedelta(days=occ.days_before)
            limit = occ.days_early_limit(self.max_days_early)
            verdicts = AudienceVerdicts(rule)
            self.occasions[occ.name] = OccasionPlan(occ, before, rule, verdicts, rule.everyone, limit)
        #: The yearly occasions read from a contact's date column: a greeting of one for another date
        #: (a corrected birthday) counts as this one's (:func:`~greeter.precheck.greeted_before`).
        self.yearly = frozenset(occ.name for occ in settings.occasions if occ.field is not None)
        self._zones: dict[tuple[str, str | None], ZoneView] = {}
        #: (holidays' country, region, weekend's country, set week, day, limit) → the greeting's day: every
        #: input of the calendar's answer (a country's week may differ from its holidays' country's:
        #: with ``public_holidays`` off, Israel's and Germany's calendars differ by the week alone).
        self._days: dict[_DayKey, date] = {}

    def zone(self, name: str, country: str | None = None) -> ZoneView:
        """The :class:`ZoneView` of the zone called ``name`` (a valid IANA name) for contacts of
        ``country`` (None: the default country)."""
        view = self._zones.get((name, country))
        if view is None:
            tz = ZoneInfo(name)
            local_now = self._now.astimezone(tz)
            today = local_now.date()
            since = {occ: at.astimezone(tz).date() for occ, at in self._since.items()}
            cal = self._calendar_for(country)
            view = ZoneView(tz, local_now, today, today - self.catch_up, since, cal)
            self._zones[(name, country)] = view
        return view

    def greeting_day(self, ideal: date, zone: ZoneView, limit: int | None) -> date:
        """:func:`~greeter.calendar_rules.greeting_day` of ``ideal`` under ``zone``'s calendar,
        ``limit`` the occasion's ``max_days_early`` (:meth:`~greeter.config.Occasion.days_early_limit`)."""
        cal = zone.cal
        key = (cal.country, cal.region, cal.week_country, cal.weekdays, ideal, limit)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = greeting_day(ideal, cal, self.policy, limit)
        return day

    def occasion_day(self, occasion: str, when: date, zone: ZoneView) -> OccasionDay:
        """The :class:`OccasionDay` of ``occasion`` on ``when`` (a hit's date) in ``zone``."""
        found = zone.days.get((occasion, when))
        if found is None:
            plan = self.occasions[occasion]
            ideal = when - plan.before if plan.before else when
            limit = plan.early_limit
            leaving = zone.leaving.get((ideal, limit)) or self._leaving(ideal, limit, zone)
            day, planned, due, expired, slots, ahead, behind = leaving
            tail = spread_key_tail(occasion, when)
            missed = self.missed(zone, day, due, ideal, when) if behind else None
            found = OccasionDay(day, planned, due, expired, slots, tail, ahead, behind, day > when, missed)
            zone.days[(occasion, when)] = found
        return found

    def missed(self, zone: ZoneView, day: date, due: date, ideal: date, when: date) -> Missed:
        """Where the letter of an occasion on ``when`` goes when its moment on ``day`` passed unsent
        (downtime, or the cap said no then): the next open window in ``zone`` — on ``day`` still,
        when that is today and a day off it was planned for (``on_day``: :meth:`next_open`).

        Lateness counts from ``due``, the later of the occasion's day (less ``days_before``:
        ``ideal``) and the day it was meant to leave (:attr:`OccasionDay.due`): with
        ``day_off_policy: after``, a Saturday birthday meant for Monday is not "2 days late" on
        Monday. A window past the catch-up period (the New Year holidays after a downtime on
        29 December) is expired: a run on that day finds it so.
        """
        at = self.next_open(zone, day)
        leaves = at.date()
        expired = due < leaves - self.catch_up
        return (at, leaves.toordinal(), expired, leaves > when, (leaves, due, due > ideal))

    def _leaving(self, ideal: date, limit: int | None, zone: ZoneView) -> _Leaving:
        """The calendar's part of :meth:`occasion_day` for a letter meant for ``ideal`` (``limit``:
        its occasion's ``max_days_early``) in ``zone``, worked out once for every occasion there."""
        day = self.greeting_day(ideal, zone, limit)
        due = max(ideal, day)
        expired = due < zone.oldest
        slots = None if expired else self.slots(day, zone)
        first, last = _local_days(slots, zone.tz) if slots is not None else (day, day)
        ahead = slots is not None and zone.today < first == last == day
        behind = slots is not None and last < zone.today
        found = (day, day.toordinal(), due, expired, slots, ahead, behind)
        zone.leaving[(ideal, limit)] = found
        return found

    def slots(self, day: date, zone: ZoneView) -> DaySlots:
        """The send periods of ``day`` in ``zone`` (kept per zone: the same day differs by zone)."""
        found = zone.slots.get(day)
        if found is None:
            found = zone.slots[day] = day_slots(day, zone.tz, self.window, zone.cal)
        return found

    def next_open(self, zone: ZoneView, letter_day: date | None = None) -> datetime:
        """When sending next opens in ``zone`` after the run's ``now`` (a late greeting leaves then).

        In whole seconds, like every planned moment: when the window is open it
        is ``now`` itself, whose microseconds would make the same letter's
        ``send_at`` differ from one preview to the next (rounded down, so a
        letter due now stays due).

        ``letter_day``: the day the letter was planned to leave. When that is today and a day
        off (``day_off_policy: on_day``), today's window is the letter's own
        (:func:`~greeter.calendar_rules.in_window`): a Sunday birthday whose moment a run
        just missed still leaves on Sunday, on its day — not on Monday, worded as belated.
        """
        if letter_day is not None and letter_day == zone.today and not zone.cal.is_working_day(letter_day):
            if zone._open_today is None:
                opens = next_window_open(zone.now, zone.tz, self.window, zone.cal, letter_day)
                zone._open_today = opens.replace(microsecond=0)
            return zone._open_today
        if zone._next_open is None:
            opens = next_window_open(zone.now, zone.tz, self.window, zone.cal)
            zone._next_open = opens.replace(microsecond=0)
        return zone._next_open
