"""The planner: contacts × occasions × history × rules → what to send, when — pure.

``preview``, ``check``, ``calendar``, ``send`` and the daemon all call
:func:`plan`, so what a reviewer sees is exactly what will go out. Nothing
here reads the clock, the network or a file: ``now``, the journal's history,
the suppression list and any extra days off are arguments.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property, lru_cache
from operator import attrgetter
from zoneinfo import ZoneInfo

from greeter.calendar_rules import WorkCalendar, build_calendar, spread_keyed
from greeter.config import Occasion, Settings
from greeter.contacts import Contact, email_key
from greeter.journal_store import BASELINE, PersonOptOut, Suppression, skipped_code
from greeter.occasions import Refusal, fixed_days
from greeter.plan_filter import hit_filter
from greeter.plan_tables import OccasionDay, PlanTables, ZoneView
from greeter.plan_types import Hit, MergeRule, OwnDays, PastGreeting, PlanItem, Reason
from greeter.plan_types import new_item as _item
from greeter.policy import CandidateKey, decide, past_days
from greeter.precheck import (
    JOURNAL_HAS,
    REGREET_DAYS,
    counts_as_greeted,
    do_not_contact,
    greeted_before,
    journal_words,
    precheck,
)


@dataclass(frozen=True)
class PlanWindow:
    """Everything computed once per plan and shared by every contact."""

    settings: Settings
    now: datetime
    start: date
    end: date
    sim_start: date
    #: The last occasion day planned: ``end``, or later when the plan looks ahead (see :func:`plan_window`).
    sim_end: date
    calendar: WorkCalendar
    fixed: dict[str, list[date]]
    occasions: dict[str, Occasion]
    #: Since when each occasion exists (:func:`occasion_starts`): an occasion day whose letter was
    #: meant to leave before it is not planned.
    since: Mapping[str, datetime] = field(default_factory=dict)
    #: The company's own days off (an ``.ics`` of them), in every country's calendar.
    extra_days_off: tuple[date, ...] = ()
    #: Each region's days off read from its ``send_window.regional_days_off`` ``ics``: its clients' only.
    regional_days_off: Mapping[str, frozenset[date]] = field(default_factory=dict)
    #: The last occasion day whose letter the cap's priority rule weighs (:func:`cap_end`): past
    #: ``sim_end`` only for contacts with an occasion up to it (the pre-filter asks ``sim_end``)
    #: whose letters could overflow ``max_count`` (:func:`_hits`). None: ``sim_end``.
    cap_until: date | None = None
    #: Other countries' calendars (contacts with a country column), built when first needed.
    _calendars: dict[str, WorkCalendar] = field(default_factory=dict, compare=False, repr=False)

    def calendar_for(self, country: str | None) -> WorkCalendar:
        """The working days of a contact of ``country``: its public holidays (None: the default
        country's) and the company's own days off, in its working week (its weekend's, unless the
        config sets the week: :meth:`~greeter.config_window.SendWindow.fixed_week`). With
        ``send_window.public_holidays`` off, no country's holidays count; its week still does."""
        if country is None or country == self.settings.defaults.country:
            return self.calendar
        cal = self._calendars.get(country)
        if cal is None:
            window = self.settings.send_window
            years = self.calendar.years
            cal = build_calendar(window, country, years, self.extra_days_off, self.regional_days_off)
            self._calendars[country] = cal
        return cal

    def planned_countries(self) -> list[str]:
        """The countries whose calendars the plan has used so far: the default one's, then each
        other contact country's, as :meth:`calendar_for` built them (``preview``'s note on years the
        holidays library lacks moved days off for: :mod:`greeter.decreed_days`)."""
        return [self.settings.defaults.country, *self._calendars]

    @cached_property
    def merge_rules(self) -> dict[str, MergeRule]:
        """The occasions whose merging a setting limits (:class:`~greeter.plan_types.MergeRule`), by
        name: ``merge: false``, or a bound on how far from its day another letter may carry it."""
        rules: dict[str, MergeRule] = {}
        early_limit = self.settings.send_window.max_days_early
        holiday_late = self.settings.frequency_cap.holiday_merge_max_days_late
        for occ in self.settings.occasions:
            late, early = occ.merge_bounds(early_limit, holiday_late)
            if not occ.merge or late is not None or early is not None:
                rules[occ.name] = MergeRule(not occ.merge, late, early)
        return rules

    @cached_property
    def lowest_priority(self) -> int:
        """The lowest ``priority`` of an occasion: no letter gives way to one of it."""
        return min((occ.priority for occ in self.settings.occasions), default=0)

    @cached_property
    def candidates_counted(self) -> list[tuple[bool, Refusal | None]]:
        """Per occasion (config order), how :func:`_hits` counts a client's hits that may be
        candidates (:meth:`~greeter.occasions.OccasionTable.room_left`): whether one past
        ``sim_end`` counts (above the lowest priority: the look-ahead keeps it), and its
        audience's answer (None: everyone)."""
        lowest, plans = self.lowest_priority, self.tables.occasions
        return [
            (occ.priority > lowest, None if plans[occ.name].everyone else plans[occ.name].audience.refusal)
            for occ in self.settings.occasions
        ]

    @cached_property
    def separate(self) -> bool:
        """Whether an occasion is ``merge: false`` (:attr:`MergeRule.alone`): decided on its own."""
        return any(rule.alone for rule in self.merge_rules.values())

    @cached_property
    def tables(self) -> PlanTables:
        """The per-run caches every contact's plan shares (built on first use, kept with the window)."""
        return PlanTables(
            self.settings,
            now=self.now,
            start=self.start,
            end=self.cap_until or self.sim_end,
            sim_start=self.sim_start,
            calendar=self.calendar,
            fixed=self.fixed,
            since=self.since,
            calendar_for=self.calendar_for,
        )


def plan_window(
    settings: Settings,
    *,
    now: datetime,
    start: date,
    days: int,
    extra_days_off: Iterable[date] = (),
    regional_days_off: Mapping[str, frozenset[date]] | None = None,
    occasion_since: Mapping[str, datetime | None] | None = None,
    look_ahead: bool = True,
    dated: Mapping[str, Collection[date]] | None = None,
) -> PlanWindow:
    """Prepare a plan of ``days`` days from ``start`` as seen at ``now`` (aware).

    Occasions from ``catch_up_days`` before today are simulated too (not
    shown) so that greetings due before ``start`` count against the cap just
    as they will when the daemon gets there. ``look_ahead``: so are the
    occasions after the range that a letter in it may carry (through
    :func:`lookahead_end` of its last day), so that a range shows each letter
    as it will leave — a 29 December New Year greeting merged with a
    30 December birthday, not alone — whichever day the range ends on. A send
    cycle plans through :func:`lookahead_end` itself and shows all of it
    (``look_ahead=False``). ``occasion_since`` (see :func:`occasion_starts`):
    an occasion's days before it existed are not planned. ``dated``: each
    ``ics`` occasion's days, read from its calendar file by the caller.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = start + timedelta(days=max(days, 1) - 1)
    today = now.astimezone(ZoneInfo(settings.defaults.timezone)).date()
    sim_start = min(start, today - timedelta(days=plan_reach(settings)))
    window = settings.send_window
    extra_days_off = tuple(extra_days_off)
    years = range(sim_start.year - 1, end.year + 2)
    # The default country's week, and its public holidays unless send_window.public_holidays is off.
    regional = regional_days_off or {}
    cal = build_calendar(window, settings.defaults.country, years, extra_days_off, regional)
    sim_end = lookahead_end(settings, cal, end) if look_ahead else end
    cap_until = cap_end(settings, cal, sim_end)
    return PlanWindow(
        settings=settings,
        now=now,
        start=start,
        end=end,
        sim_start=sim_start,
        sim_end=sim_end,
        cap_until=cap_until,
        calendar=cal,
        fixed=fixed_days(settings, sim_start, cap_until or sim_end, dated),
        occasions={o.name: o for o in settings.occasions},
        since={name: at for name, at in (occasion_since or {}).items() if at is not None},
        extra_days_off=extra_days_off,
        regional_days_off=regional,
    )


def occasion_starts(
    known: Mapping[str, datetime | None], names: Iterable[str], now: datetime, catch_up_days: int
) -> dict[str, datetime | None]:
    """Since when each configured occasion exists, as the journal records it (``known``).

    A journal's first plan starts its occasions ``catch_up_days`` back: what
    a downtime of that length would still catch up is greeted (belated), and
    nothing older is journaled as ``expired`` — greeter was not down, it was
    not there. One added to the config later exists from the first plan that
    has it (``now``): its days before that are not "missed" either — greeting
    them as belated, or journaling them as expired, would treat a config
    change as downtime. None (journals from before this rule): always existed.

    A day's letter is the occasion's from the later of its day and the day a day off moved
    it to (:attr:`~greeter.plan_tables.OccasionDay.due`, as its catch-up counts): a
    31 December birthday greeted on 11 January after the New Year break is planned by a
    first run on 5 January, which starts on the 2nd — as designed, not late.

    A start after ``now`` was recorded by a rehearsal (``send --once --now``
    ahead of the clock): taken as is, it hid every occasion before it from
    later plans at the real time, with no row and no reason. It counts as a
    journal's first plan instead, ``catch_up_days`` back (and
    :meth:`~greeter.journal_store.JournalStore.record_occasions` then lowers
    the journal's record).
    """
    first = now - timedelta(days=catch_up_days)
    new = now if known else first
    starts = {name: known.get(name, new) for name in names}
    return {name: first if at is not None and at > now else at for name, at in starts.items()}


def lookahead_end(settings: Settings, cal: WorkCalendar, today: date) -> date:
    """The last occasion day a run on ``today`` must plan to decide today's letters as preview does.

    The cap decides causally (:mod:`greeter.policy`), but a letter leaving today
    may belong to an occasion days ahead: a Sunday birthday is greeted on
    Friday, 3 January before the New Year holidays, an occasion with
    ``days_before`` earlier still; and a letter leaving today carries every
    occasion that leaves within ``min_gap_days`` of it (merging). So the range
    ends at the occasions whose greeting day can be at most ``min_gap_days``
    after tomorrow (contacts east of the default zone are already there):
    through the day before the next working day, plus the longest ``days_before``.
    ``send_window.max_days_early`` only moves greetings later, so this bound still holds.
    Contacts of other countries (``contacts.columns.country``) may have a longer
    run of days off than ``cal``'s country there: their runs are bounded by
    :data:`LONGEST_DAYS_OFF` instead.
    """
    last_send_day = today + timedelta(days=max(settings.frequency_cap.min_gap_days, 1))
    end = last_send_day
    if settings.send_window.day_off_policy == "before":
        end = cal.next_working_day(last_send_day) - timedelta(days=1)
        if settings.contacts.columns.country is not None:
            end = max(end, last_send_day + timedelta(days=LONGEST_DAYS_OFF))
    return end + timedelta(days=max((o.days_before for o in settings.occasions), default=0))


def cap_end(settings: Settings, cal: WorkCalendar, sim_end: date) -> date | None:
    """The last occasion day the cap's priority rule must see for a plan through ``sim_end``, or
    None: it never weighs a later letter (every occasion has one priority).

    A letter gives way to the later letters of a higher priority within ``window_days`` it would
    leave no ``max_count`` slot (:func:`~greeter.policy.decide`): six holidays before a birthday
    ten months ahead. To decide a letter on ``sim_end`` as a year's preview does, the plan sees
    every occasion whose letter may leave up to ``window_days - 1`` days after it — through
    :func:`lookahead_end` of that day, for the days off and ``days_before`` that move a letter
    ahead of its occasion. The daemon's two-week runs plan so far only for the contacts the
    pre-filter lets through on ``sim_end`` (:func:`~greeter.plan_filter.hit_filter`): those with
    a letter to decide.
    """
    if len({occ.priority for occ in settings.occasions}) < 2:
        return None
    gap = max(settings.frequency_cap.min_gap_days, 1)
    last_send_day = sim_end + timedelta(days=settings.frequency_cap.window_days - 1)
    return max(sim_end, lookahead_end(settings, cal, last_send_day - timedelta(days=gap)))


def _hits(pw: PlanWindow, contact: Contact, today: date, past: Sequence[PastGreeting]) -> list[Hit]:
    """The hits :func:`plan_contact` plans for ``contact``: through ``sim_end``, and on to the cap's
    look-ahead (:attr:`PlanWindow.cap_until`) only for a client whose letters could overflow
    ``max_count``.

    WHY: the look-ahead makes every contact's plan a year longer (a fortnight's run planned 0.14 s
    → 0.38 s for 20,000 contacts), and it serves the priority rule alone
    (:func:`~greeter.policy.decide`), which weighs nothing when the history and every candidate
    together fit ``max_count`` (its ``crowded``): then no window can be full, no letter gives way,
    and the later candidates change no decision before ``sim_end``. Counted without building the
    later hits (:meth:`~greeter.occasions.OccasionTable.room_left`): each that could be a candidate —
    not a bad date's, in the client's calendar and audience, of a priority the look-ahead keeps.
    """
    table = pw.tables.hits
    if pw.cap_until is None:
        return table.hits(contact, today)
    room = pw.settings.frequency_cap.max_count - len(past)
    if room < 0 or table.room_left(contact, today, pw.sim_end, room, pw.candidates_counted) < 0:
        return table.hits(contact, today)
    return table.hits(contact, today, pw.sim_end)


def late_by_design(settings: Settings) -> bool:
    """Whether a day off may move a greeting to after its day (not downtime: the rules).

    ``day_off_policy: after`` always does; ``before`` does when the working day
    before is more than ``max_days_early`` days ahead (see
    :func:`~greeter.calendar_rules.greeting_day`). Such a letter leaves up to a
    run of days off after its occasion, so a plan must reach back that far.
    """
    window = settings.send_window
    if window.day_off_policy == "after":
        return True
    limits = (occ.days_early_limit(window.max_days_early) for occ in settings.occasions)
    return window.day_off_policy == "before" and any(limit is not None for limit in limits)


def expiry_start(settings: Settings, cal: WorkCalendar, last_run: date) -> date:
    """The first occasion day (less ``days_before``) whose letter a run on ``last_run`` may have left
    neither sent nor expired: a run after a downtime plans from there, so that what expired
    meanwhile is recorded ``expired`` and named — not forgotten with no row and exit 0.

    A letter expires ``catch_up_days`` after the later of its day and the day a day off moved it to
    (:attr:`~greeter.plan_tables.OccasionDay.due`), so the reach is counted from that day, not from
    the occasion's: one day more for the contacts whose date is a day ahead of the config's zone,
    and — when a day off may move a greeting after its day (:func:`late_by_design`) — the run of
    days off just before it under ``cal``, as :func:`~greeter.calendar_rules.greeting_day` moves it
    (a 31 December birthday greeted on 11 January after the Russian New Year break). Contacts of
    other countries (``contacts.columns.country``) may have a longer run there: bounded by
    :data:`LONGEST_DAYS_OFF`, as in :func:`lookahead_end`.
    """
    due = last_run - timedelta(days=settings.catch_up_days + 1)
    if not late_by_design(settings):
        return due
    start = due
    while (due - start).days < LONGEST_DAYS_OFF and not cal.is_working_day(start - timedelta(days=1)):
        start -= timedelta(days=1)
    if settings.contacts.columns.country is not None:
        start = min(start, due - timedelta(days=LONGEST_DAYS_OFF))
    return start


def _expired_detail(missed: tuple[date, date, bool] | None, meant: date | None, catch_up: int) -> str:
    """Why a greeting expired: the window it ``missed``, else how long after its day — or after the
    later day a day off ``meant`` it to leave (a 5 January birthday meant for 11 January was
    sendable through 14 January: "more than 3 days ago" on the 15th read as wrong).

    ``missed``: the next window, the day its catch-up counts from (the later of the day the
    letter was meant for and the day a day off moved it to:
    :attr:`~greeter.plan_tables.OccasionDay.due`), and whether that is the moved day. The day
    is named: "the next window (11.01) is more than 3 days later" for a 5 January birthday
    missed on 30 December, before the New Year break, read as counted from the 30th — as if
    a birthday five days ahead were declared past.
    """
    if missed is not None:
        window, due, moved = missed
        whose = "the day it was meant to leave" if moved else "the day it was meant for"
        late = f"is more than {catch_up} days after {due:%d.%m}, {whose}"
        return f"missed; the next window ({window:%d.%m}) {late}"
    if meant is not None:
        return f"more than {catch_up} days after {meant:%d.%m}, the day it was meant to leave"
    return f"more than {catch_up} days ago"


def plan_reach(settings: Settings) -> int:
    """How many days before today a plan looks at occasions: a letter leaving today may be for one.

    Back far enough for the cap to count what is due before the range, and for
    an expired occasion to still ride along with a letter it merges with
    (``min_gap_days`` later at most). And for an occasion a day off moves
    *after* itself (:func:`late_by_design`): a 3 January birthday greeted on
    11 January must be planned — and its approval found — by the run on
    11 January, whatever ``catch_up_days`` says.
    """
    reach = max(settings.catch_up_days, settings.frequency_cap.min_gap_days) + 1
    if late_by_design(settings):
        reach = max(reach, LONGEST_DAYS_OFF + 2)
    return reach


def history_reach(settings: Settings) -> int:
    """How many days before a plan's first occasion day the journal's rows must be read from.

    One cap window (``window_days``: the letters a new one is counted with), and far enough
    for :func:`~greeter.precheck.greeted_before` to find a yearly occasion greeted for another
    date up to :data:`~greeter.precheck.REGREET_DAYS` earlier — the rows are read by the day
    their letter left, which may be ``days_before``, a run of days off and a merge
    (``min_gap_days``) before its occasion's day.
    """
    early = max((o.days_before for o in settings.occasions), default=0) + LONGEST_DAYS_OFF
    regreet = REGREET_DAYS + early + max(settings.frequency_cap.min_gap_days, 1)
    return max(settings.frequency_cap.window_days, regreet)


#: The longest run of days off in a row that a country's public holidays and a weekend make, with a
#: margin: Russia's New Year break was 12 days (28.12.2024 – 08.01.2025), Kyrgyzstan's May 11,
#: China's Spring Festival 10 (tests/test_max_days_early.py checks it against the holidays library).
LONGEST_DAYS_OFF = 14


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def contact_zone(contact: Contact, settings: Settings) -> ZoneInfo:
    """The recipient's own time zone: the contact's column, else the default."""
    return _zone(contact.timezone or settings.defaults.timezone)


def plan_contact(
    contact: Contact,
    pw: PlanWindow,
    past: Sequence[PastGreeting] = (),
    *,
    suppressed: bool | str = False,
) -> list[PlanItem]:
    """Every occasion of one contact in the window, each sent, merged or skipped with a reason.

    What is the same for every contact (a zone's local now, the working day an
    occasion moves to, a day's send periods in a zone) comes from the plan's
    :class:`~greeter.plan_tables.PlanTables`; the cap is decided by
    :func:`~greeter.policy.decide`, the tuple form of :func:`~greeter.policy.apply_cap`.
    """
    t = pw.tables
    zone = t.zone(contact.timezone or t.default_zone, contact.country)
    past_keys = {(p.occasion, p.occasion_date): _as_known(p, contact) for p in past} if past else {}
    start, end, now, tz = pw.start, pw.end, zone.now, zone.tz
    # Nothing about the contact itself refuses a greeting (the usual case): of precheck()'s
    # questions only the hit's problem and the audience remain.
    clean = not past_keys and bool(contact.email) and not suppressed and contact.do_not_contact is None
    key_head = contact.id.encode()  # the spread key is this + OccasionDay.key_tail

    items: list[PlanItem] = []
    # The candidates, by index: (hit, moment, belated, shown, ahead) and their sortable keys for
    # decide(). ``ahead``: the OccasionDay (OccasionDay.ahead) whose moment is not spread yet —
    # only a letter that is shown needs it, not a merged member's nor a simulated one's (a fifth
    # of the hashing of a year's plan); None once the moment is known, or when there is none.
    cands: list[tuple[Hit, datetime | None, bool, bool, OccasionDay | None]] = []
    keys: list[CandidateKey] = []
    # The next window an expired candidate missed (when it is not "days ago"), the day its catch-up
    # counted from, and whether a day off had moved it there (see _expired_detail).
    late: dict[int, tuple[date, date, bool]] = {}
    meant: dict[int, date] = {}  # the later day an expired candidate was meant to leave on
    # No candidate is late (a belated catch-up letter) and the journal holds nothing: what
    # decide() answers may be found by _each_alone() (every candidate far from the others).
    plain = not past
    catch_up = t.catch_up.days
    occasions, days = t.occasions, zone.days
    # Past sim_end the plan only weighs letters an earlier one may give way to (PlanWindow.cap_until):
    # one of the lowest priority never outranks another.
    weighed_after, lowest = (pw.sim_end, pw.lowest_priority) if pw.cap_until is not None else (None, 0)
    for hit in _hits(pw, contact, zone.today, past):
        op = occasions[hit.occasion]
        ideal = hit.date - op.before if op.before else hit.date
        if weighed_after is not None and hit.priority <= lowest and ideal > weighed_after:
            continue
        if zone.since:
            first = zone.since.get(hit.occasion)
            if first is not None and ideal < first and _meant_before(hit, zone, t, first):
                continue  # the occasion did not exist yet: nothing was missed
        shown = start <= ideal <= end
        if clean and hit.problem is None:  # precheck() would ask only the audience
            why = None if op.everyone else op.audience.refusal(contact, hit.years)
            if why is None:
                why = hit.outside  # a holiday their calendar has not by that name
            if why is not None:  # the journal holds nothing of a clean contact: the plain skip
                if shown:
                    items.append(_item(hit, "skip", "outside_audience", None, (), None, False, why))
                continue
            refusal: tuple[Reason, str] | None = None
        else:
            refusal = precheck(hit, audience=op.rule, past_keys=past_keys, suppressed=suppressed)
            if past and hit.occasion in t.yearly and (refusal is None or refusal[0] not in _BEFORE_JOURNAL):
                # Greeted for another date of it (a corrected birthday): once is enough. Asked where
                # precheck() asks the journal, before the audience and the address.
                again = greeted_before(hit, past)
                if again is not None:
                    if shown:
                        why = again.detail(hit)
                        items.append(
                            PlanItem(hit, "skip", "already_sent", detail=why, journal_state=again.state)
                        )
                    continue
        if refusal is not None:
            held = _journal_greeting(past, hit) if refusal[0] == "already_sent" else None
            if shown or (held is not None and start <= held.day <= end):
                # A letter the journal holds shows on the day it left too (a belated one sent
                # today, for an occasion before the range): "what went out today" lists it.
                if held is not None and held.sent_at is not None:
                    items.append(_sent(hit, held, held.sent_at.astimezone(tz)))
                elif held is not None and held.merged_into is not None:
                    items.append(_rode_along(hit, held, past, tz, refusal[1]))
                else:
                    state = held.state if held is not None else None
                    to = held.email if held is not None else None
                    code = journal_code(held) if held is not None else None
                    if held is not None and held.baseline:  # as history says it: skipped, baseline
                        state = "skipped"
                    items.append(
                        PlanItem(
                            hit, "skip", refusal[0], None, (), None, False, refusal[1], (), state, to, code
                        )
                    )
            continue
        od = days.get((hit.occasion, hit.date)) or t.occasion_day(hit.occasion, hit.date, zone)
        index = len(cands)
        planned = od.planned
        if od.slots is None:  # too late to send alone; a later letter may still carry it (merging)
            keys.append((planned, -hit.priority, hit.occasion, index, planned, -1, True))
            cands.append((hit, None, False, shown, None))
            if od.due > hit.date:  # a day off moved it after its day: lateness counts from then
                meant[index] = od.due
            continue
        if od.ahead:  # the usual case: leaves on its day, after now (its moment: when shown)
            keys.append((planned, -hit.priority, hit.occasion, index, planned, -1, False))
            cands.append((hit, None, od.belated, shown, od))
            continue
        # A day already over (OccasionDay.behind) has no moment left to compute.
        if od.behind or (at := spread_keyed(od.slots, key_head + od.key_tail, tz)) < now:
            # Its moment passed unsent: the next open window, worked out once per zone for a day
            # already over (OccasionDay.missed) — expired when past the catch-up period, unless
            # the cap refused it on its own day (then that is the reason, as before).
            missed = od.missed or t.missed(zone, od.day, od.due, ideal, hit.date)
            at, leaves_on, expired, belated, window = missed
            if expired:
                keys.append((planned, -hit.priority, hit.occasion, index, leaves_on, planned, True))
                cands.append((hit, None, False, shown, None))
                late[index] = window
                continue
            keys.append((planned, -hit.priority, hit.occasion, index, leaves_on, planned, False))
            cands.append((hit, at, belated, shown, None))
            plain = False
            continue
        leaves = at.date()
        ordinal = leaves.toordinal()
        keys.append((ordinal, -hit.priority, hit.occasion, index, ordinal, -1, False))
        cands.append((hit, at, leaves > hit.date, shown, None))

    if keys and plain and _each_alone(keys, t.cap.min_gap_days, t.cap.max_count, pw.separate):
        # What decide() answers then, without it: each letter sent, each expired one skipped.
        for index, (hit, moment, belated, shown, ahead) in enumerate(cands):
            if keys[index][6]:  # expired
                if shown:
                    why = _expired_detail(late.get(index), meant.get(index), catch_up)
                    items.append(_item(hit, "skip", "expired", None, (), None, belated, why))
            elif shown or _leaves_in(moment, ahead, start, end):
                if ahead is not None and ahead.slots is not None:  # (an ``ahead`` day has slots)
                    moment = spread_keyed(ahead.slots, key_head + ahead.key_tail, tz)
                items.append(_item(hit, "send", None, moment, (), None, belated, ""))
    elif keys:
        taken = past_days(past) if past else []
        rules = pw.merge_rules
        # A bounded occasion's own day (less days_before): a day off may have moved its anchor.
        own = {k[3]: _own_day(cands[k[3]][0], t) for k in keys if k[2] in rules} if rules else None
        # The occasions' own days, to name a group's members by where one expired (policy._uncarried).
        dates = OwnDays(cands)
        until = pw.sim_end.toordinal() if pw.cap_until is not None else None
        for index, status, reason, detail, lead, also in decide(keys, taken, t.cap, rules, own, dates, until):
            hit, moment, belated, shown, ahead = cands[index]
            if not shown and not (status == "send" and _leaves_in(moment, ahead, start, end)):
                # Simulated only: counts against the cap (or rides along), shown by another range.
                # A letter that *leaves* in the range is shown whatever its occasion's day — the
                # 5 January birthday greeted on 30 December before the holidays, a belated one
                # leaving today — so that what a reviewer sees (and approves) is what goes out.
                continue
            if status == "send":
                if ahead is not None and ahead.slots is not None:  # (an ``ahead`` day has slots)
                    moment = spread_keyed(ahead.slots, key_head + ahead.key_tail, tz)
                    if also:  # its merged members (decided after it) are sent at this moment
                        cands[index] = (hit, moment, belated, shown, None)
                carried = tuple([cands[k][0] for k in also]) if also else ()
                items.append(_item(hit, "send", None, moment, carried, None, belated, ""))
            elif reason == "merged":
                # send_at: when the letter carrying it leaves — the moment this greeting goes out.
                carrier, carried_at, carrier_belated, carrier_shown, ahead = cands[lead]
                if ahead is not None and ahead.slots is not None:
                    carried_at = spread_keyed(ahead.slots, key_head + ahead.key_tail, tz)
                    cands[lead] = (carrier, carried_at, carrier_belated, carrier_shown, None)
                items.append(_item(hit, "skip", reason, carried_at, (), carrier.occasion, belated, detail))
            else:
                if reason == "expired":  # how late, and (a merged one) why no letter carries it
                    why = _expired_detail(late.get(index), meant.get(index), catch_up)
                    detail = f"{why}; {detail}" if detail else why
                items.append(_item(hit, "skip", reason, None, (), None, belated, detail))
    # One contact: ordering by (date, occasion) is ordering by (date, contact id, occasion).
    if len(items) > 1:
        items.sort(key=_ORDER_IN_CONTACT)
    return items


def _meant_before(hit: Hit, zone: ZoneView, t: PlanTables, first: date) -> bool:
    """Whether ``hit``'s letter was meant to leave before ``first``, the day its occasion exists
    from (:func:`occasion_starts`): counted, as its catch-up is, from the later of its day and the
    day a day off moved it to (:attr:`~greeter.plan_tables.OccasionDay.due`).

    Its own day alone lost a 31 December birthday greeted on 11 January after the Russian New
    Year break from a journal whose first run, on 5 January, started its occasions on the 2nd:
    a letter not even late, silently never planned — by that run and, through the start the
    journal recorded, by every later one."""
    return t.occasion_day(hit.occasion, hit.date, zone).due < first


def _leaves_in(moment: datetime | None, ahead: OccasionDay | None, start: date, end: date) -> bool:
    """Whether a candidate's letter leaves on a local day in [start, end]: its moment's day, or
    (``ahead``: its moment not spread yet) the OccasionDay's — every moment spread over an
    :attr:`~greeter.plan_tables.OccasionDay.ahead` day's send periods is on that day."""
    if ahead is not None:
        return start <= ahead.day <= end
    return moment is not None and start <= moment.date() <= end


def _each_alone(keys: Sequence[CandidateKey], min_gap: int, max_count: int, separate: bool) -> bool:
    """Whether :func:`~greeter.policy.decide` sends every candidate of ``keys`` but the expired
    (and skips those as ``expired``, with no detail of its own), its letter carrying nothing.

    So it does when nothing is taken (the journal holds nothing of the contact) and no candidate
    is late — the caller knows both —, every candidate's anchor is ``min_gap`` days or more (one,
    at least) from the next one's, so each is alone in its group, no occasion is ``merge: false``
    (``separate``: :attr:`PlanWindow.separate`) and the letters are ``max_count`` at most. A
    year's plan finds most contacts so; deciding them without :func:`decide` skips its sorting,
    its decisions and the result loop's look-ups: the common contact's fast path.
    """
    if separate:
        return False
    if len(keys) == 1:
        return True
    if len(keys) > max_count:  # else the letters (the candidates not expired) cannot be more
        letters = 0
        for k in keys:
            if not k[6]:
                letters += 1
        if letters > max_count:
            return False
    gap = max(min_gap, 1)
    anchors = sorted([k[0] for k in keys])
    previous = anchors[0]
    for anchor in anchors[1:]:
        if anchor - previous < gap:
            return False
        previous = anchor
    return True


def _own_day(hit: Hit, t: PlanTables) -> int:
    """The day ``hit``'s letter is meant for (its date less ``days_before``), as an ordinal."""
    before = t.occasions[hit.occasion].before
    return (hit.date - before if before else hit.date).toordinal()


def _journal_greeting(past: Sequence[PastGreeting], hit: Hit) -> PastGreeting | None:
    """The journal's greeting of ``hit`` (one that left, if several ids of one address hold it)."""
    found = [p for p in past if p.occasion == hit.occasion and p.occasion_date == hit.date]
    return next((p for p in found if p.sent_at is not None), found[0] if found else None)


def _sent(hit: Hit, held: PastGreeting, at: datetime) -> PlanItem:
    """A letter the journal says left ``at`` (the recipient's time): shown as sent then, in whole
    seconds like every planned moment — not as a skip with no time, which read as "not sent"."""
    other = ""
    if held.contact_id != hit.contact.id:
        other = f"sent to {held.email} under contact id {held.contact_id}: was the CRM renumbered?"
    at = at.replace(microsecond=0)
    return PlanItem(
        hit, "sent", None, at, detail=other, carried=held.merged, journal_state="sent", sent_to=held.email
    )


def _rode_along(hit: Hit, held: PastGreeting, past: Sequence[PastGreeting], tz: tzinfo, why: str) -> PlanItem:
    """An occasion the journal holds as carried by another occasion's letter: still ``merged`` into it.

    Before the letter left, preview showed it merged, with the letter's time;
    afterwards it read "already sent (skipped)" with no time and no link to the
    letter — a dashboard counting what clients got lost it, and the gallery
    said the opposite of the truth when that letter had bounced. It keeps
    ``merged``, the carrier and, once that letter left, its moment; the
    carrier's journal state says how that letter fared (``sent``, ``failed``,
    ``uncertain``…). A carrier ``greeter baseline`` recorded was not greeter's
    letter: ``journal_state`` ``skipped`` (what the journal holds, as history
    says it) and a detail saying so — it read "sent" before. A carrier no longer
    in the journal's history leaves the plain ``already_sent`` skip.
    """
    carrier = next(
        (
            p
            for p in past
            if p.occasion == held.merged_into and p.contact_id == held.contact_id and hit.occasion in p.merged
        ),
        None,
    )
    if carrier is None:
        return PlanItem(hit, "skip", "already_sent", None, (), None, False, why, (), held.state)
    at = carrier.sent_at.astimezone(tz).replace(microsecond=0) if carrier.sent_at is not None else None
    if carrier.baseline:  # sent, but not from this journal (greeter baseline): as history says it, skipped
        why = f"sent with {held.merged_into} {BASELINE_WORDS}"
        return PlanItem(
            hit, "skip", "merged", at, (), held.merged_into, False, why, (), "skipped", carrier.email
        )
    return PlanItem(
        hit, "skip", "merged", at, (), held.merged_into, False, "", (), carrier.state, carrier.email
    )


def journal_code(held: PastGreeting) -> str:
    """The machine word for a greeting the journal holds but did not send (``already_sent``'s
    ``reason_code``; the preview table's "skip: …"): what became of it, as ``history`` says it.

    "skip: already_sent" beside "the journal already has this greeting (failed)" read to a manager
    as "we sent it" — of a letter the server refused, one that bounced, one an operator dismissed.
    The row's state (``failed``, ``uncertain``, ``retry``, ``claimed``, ``expired``); for a
    ``skipped`` row, history's word: ``dismissed`` (an operator's decision), ``baseline``, or the
    sender's skip reason (``suppressed``, ``frequency_cap``…; ``skipped`` when it kept none).
    """
    if held.baseline:
        return BASELINE
    if held.state != "skipped":
        return held.state
    return skipped_code(held.skipped_why) or "skipped"


def _as_known(past: PastGreeting, contact: Contact) -> str:
    """How the journal holds a greeting, for ``already_sent``'s detail: its state, and whom it was to
    when that was another contact id with this contact's address."""
    if past.contact_id == contact.id:
        if past.skipped_why:  # the sender's reason, as history says it: the card says it too
            return f"{SKIPPED_WORDS}{past.skipped_why}"
        return BASELINE_WORDS if past.baseline else past.state
    return journal_words(past)


#: ``already_sent``'s words, after :data:`~greeter.precheck.JOURNAL_HAS`, for a greeting the sender
#: skipped: the reason it journaled follows (:func:`recorded_skip`). "(skipped)" alone sent a
#: reviewer to ``greeter history`` for every such card.
SKIPPED_WORDS = "(skipped): "


def recorded_skip(detail: str | None) -> str | None:
    """The reason the sender journaled, in ``already_sent``'s ``detail`` of a skipped greeting
    (``suppressed: … is on the do-not-contact list``); None when the detail holds none."""
    opening = f"{JOURNAL_HAS} {SKIPPED_WORDS}"
    return detail[len(opening) :] or None if detail and detail.startswith(opening) else None


#: ``already_sent``'s words for a greeting ``greeter baseline`` recorded: the planner reads it as
#: sent (the client had the letter: from the tool before greeter, or from greeter before the journal
#: was restored from a backup), a person must not read "(sent)" — this journal never sent it.
BASELINE_WORDS = "(recorded as handled by greeter baseline, not sent from this journal)"

_ORDER_IN_CONTACT = attrgetter("hit.date", "hit.occasion")

#: precheck()'s reasons that come before the journal's: a hit with one is refused for it.
_BEFORE_JOURNAL = frozenset({"invalid_contact", "already_sent"})


def plan(
    contacts: Iterable[Contact],
    pw: PlanWindow,
    history: Mapping[str, Sequence[PastGreeting]] | None = None,
    suppressed: frozenset[str] | set[str] = frozenset(),
    *,
    by_email: Mapping[str, Sequence[PastGreeting]] | None = None,
    opted_out: Mapping[str, PersonOptOut] | None = None,
    bounced: Mapping[str, Suppression] | None = None,
) -> Iterator[PlanItem]:
    """Stream the plan contact by contact (a million contacts never sit in memory as drafts).

    Contacts the :class:`~greeter.plan_filter.HitFilter` rules out are not planned at all: their
    plan would be empty. ``history`` is the journal's greetings by contact id;
    ``by_email`` the same greetings by :func:`~greeter.contacts.email_key` of
    the address they went to: those sent to the contact's address under another
    id (a CRM that renumbered the client) count too — against the cap, and as
    ``already_sent`` for the same occasion and day — so a re-export never greets
    one person twice. ``suppressed`` is the do-not-contact list's addresses, checked against
    every address a contact's cell lists; ``opted_out`` the person-level opt-outs by contact id
    (:meth:`~greeter.journal_store.JournalStore.opted_out_contacts`), which skip a contact
    whatever its address now (:func:`~greeter.precheck.do_not_contact`); ``bounced`` the list's
    entries listed because mail to them bounced, by address, whose skip says so.
    """
    history = history or {}
    opted_out = opted_out or {}
    may_have_hits = hit_filter(pw)
    # A year's range (or any with a fixed day) rules nobody out: no call per contact to say so.
    everyone = may_have_hits.everyone
    by_address = bool(by_email or suppressed)  # else a contact's address decides nothing here
    for contact in contacts:
        if not everyone and not may_have_hits(contact):
            continue
        email = email_key(contact.email) if by_address and contact.email else ""
        past = journal_past(contact, email, history, by_email) if history or by_email else ()
        listed = suppressed or opted_out
        refused = do_not_contact(contact, email, suppressed, opted_out, bounced) if listed else False
        yield from plan_contact(contact, pw, past, suppressed=refused)


def journal_past(
    contact: Contact,
    email: str,
    history: Mapping[str, Sequence[PastGreeting]],
    by_email: Mapping[str, Sequence[PastGreeting]] | None,
) -> Sequence[PastGreeting]:
    """The journal's greetings :func:`plan` holds for ``contact``: its id's, and those to its
    address (``email``: its :func:`~greeter.contacts.email_key`, "" for none) under another id
    that reached the mailbox or may still (:func:`~greeter.precheck.counts_as_greeted`): a failed
    or skipped one under an old id greeted nobody there."""
    past = history.get(contact.id, ())
    if by_email and email:
        others = [p for p in by_email.get(email, ()) if p.contact_id != contact.id]
        if others:
            past = [*past, *(p for p in others if counts_as_greeted(p, others))]
    return past
