"""Tactful timing: working days, send windows and a spread send moment — pure.

All wall-clock rules (hours, lunch, Friday cut-off, the quiet minutes before
the end of the day) are applied in the *recipient's* time zone, and turned
into real instants through zoneinfo, so a DST change can neither produce a
non-existent local time nor send twice in a repeated hour.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from hashlib import blake2b
from typing import Literal
from zoneinfo import ZoneInfo

from greeter.config_window import SendWindow
from greeter.holiday_tables import days_of, derived, weekend_of

_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class WorkCalendar:
    """Which dates are working days for one country and the company's own days off.

    Public holidays (with the country's observed and transferred days off) come
    from the ``holidays`` library. A weekend day the state declares a working
    day (Russia's transferred Saturdays) is *not* used for greetings: a
    business letter on a Saturday reads as odd even when offices are open.
    The working week is the country's own when the config leaves it to the
    country (:meth:`~greeter.config_window.SendWindow.fixed_week`): Sunday to Thursday
    in Israel, whose Friday and Saturday are the weekend. Lookups are O(1) set
    membership; years outside the precomputed range are computed on demand,
    never guessed.
    """

    #: The working week (weekday numbers, Monday 0) when the config sets it (``week_country`` None).
    weekdays: frozenset[int]
    #: Whose public holidays are days off (None: none).
    country: str | None
    days_off: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()
    #: Whose weekend makes the working week, year by year (the Emirates' changed in 2022); None:
    #: ``weekdays`` in every year.
    week_country: str | None = None
    #: The region (or country) whose own days off (``send_window.regional_days_off``) ``days_off``
    #: has, None: none.
    #: Part of what tells two calendars apart (with ``public_holidays`` off, ``country`` is None in both).
    region: str | None = None
    #: A country's holidays that are days off here (``holidays_of``): (country, names, own), or None
    #: (:meth:`greeter.config_window.SendWindow.borrowed_holidays`).
    borrowed: tuple[str, tuple[str, ...], bool] | None = None
    _extra: dict[int, frozenset[date]] = field(default_factory=dict, compare=False, hash=False)
    _weeks: dict[int, frozenset[int]] = field(default_factory=dict, compare=False, hash=False)

    def _holidays_of(self, year: int) -> frozenset[date]:
        if year in self.years:
            return self.days_off
        if year not in self._extra:
            self._extra[year] = _public_days_off(self.country, year) | borrowed_days_off(self.borrowed, year)
        return self._extra[year]

    def week(self, year: int) -> frozenset[int]:
        """The working week in ``year`` (weekday numbers, Monday 0)."""
        if self.week_country is None:
            return self.weekdays
        found = self._weeks.get(year)
        if found is None:
            found = self._weeks[year] = _weekend_week(self.week_country, year)
        return found

    def is_working_day(self, d: date) -> bool:
        week = self.weekdays if self.week_country is None else self.week(d.year)
        return d.weekday() in week and d not in self._holidays_of(d.year)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        for _ in range(3660):
            d -= timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError("no working day in ten years: check send_window.working_days and days off")

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for _ in range(3660):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError("no working day in ten years: check send_window.working_days and days off")


_ALL_WEEK = frozenset(range(7))


def _weekend_week(country: str, year: int) -> frozenset[int]:
    """The days of the week that are not ``country``'s weekend in ``year``."""
    return _ALL_WEEK - weekend_of(country, year)


def working_week(window: SendWindow, country: str | None, year: int) -> frozenset[int]:
    """The working week (weekday numbers, Monday 0) of ``country``'s clients in ``year``, as their
    :class:`WorkCalendar` has it: the config's (:meth:`SendWindow.fixed_week`), else their weekend's."""
    fixed = window.fixed_week(country)
    if fixed is not None:
        return fixed
    assert country is not None  # the config's week is the week of no country
    return _weekend_week(country, year)


@derived
@lru_cache(maxsize=256)
def _public_days_off(country: str | None, year: int) -> frozenset[date]:
    """A country's public days off in one year, as a set; every plan builds a calendar of four years."""
    if country is None:
        return frozenset()
    return frozenset(days_of(country, year))


@derived
@lru_cache(maxsize=256)
def borrowed_days_off(borrowed: tuple[str, tuple[str, ...], bool] | None, year: int) -> frozenset[date]:
    """The days off each holiday ``borrowed`` names (country, names, own) gives in ``year``: a region's
    ``holidays_of``. Of its own country's calendar (``own``), every day of the holiday, as the country
    keeps it (Brazil's Carnival, Monday and Tuesday); of another country's, its first day (Turkey's
    three-day Eid is one day off in Kazan). Names the config loader checked; one the calendar lacks
    in a year gives none."""
    if borrowed is None:
        return frozenset()
    from greeter.occasions import holiday_dates, holiday_days  # the planner's world: only here

    country, names, own = borrowed
    days = holiday_days if own else holiday_dates
    return frozenset(day for name in names for day in days(country, name, year))


def build_calendar(
    window: SendWindow,
    country: str | None,
    years: Iterable[int],
    extra_days_off: Iterable[date] = (),
    regional_days_off: Mapping[str, Iterable[date]] | None = None,
) -> WorkCalendar:
    """The calendar of ``country``'s clients for ``years`` (precomputed); None: no country.

    Its public holidays count as days off unless ``send_window.public_holidays`` is off; its
    weekend makes the working week unless the config sets one (:meth:`SendWindow.fixed_week`)
    — with the holidays off too: a Friday is a day off in Israel whether or not greeter
    keeps its holidays. ``extra_days_off`` (the company's ``.ics``) and ``extra_days_off`` of
    the config are everyone's; a region's own (``send_window.regional_days_off``: its ``days``,
    its ``holidays_of``, and ``regional_days_off``, read from its ``ics`` by the caller) only its
    clients' — Tatarstan's
    Republic Day moves a Kazan client's letter, never a Moscow one's; a country's entry ("IE")
    all of that country's clients', its regions' too. Those too whatever
    ``public_holidays`` says: they are the config's own list, as ``extra_days_off`` is.
    """
    years = frozenset(years)
    holidays = country if window.public_holidays else None
    entries = window.days_off_entries(country)  # its country's ("IE", "DE") and its own ("DE-BY")
    read = regional_days_off or {}
    regional = window.regional_days(country) | frozenset(d for code in entries for d in read.get(code, ()))
    extra = frozenset(extra_days_off) | frozenset(window.extra_days_off) | regional
    borrowed = window.borrowed_holidays(country)
    off: set[date] = set(extra)
    for y in years:
        off |= _public_days_off(holidays, y) | borrowed_days_off(borrowed, y)
    fixed = window.fixed_week(country)
    cal = WorkCalendar(
        weekdays=frozenset(d.number for d in window.working_days) if fixed is None else fixed,
        country=holidays,
        days_off=frozenset(off),
        years=years,
        week_country=country if fixed is None else None,
        region=country if entries else None,
        borrowed=borrowed,
    )
    for y in years:
        cal.week(y)  # precomputed as the days off are: a plan's lookups are set membership only
    # Days off given explicitly apply in every year they name, also outside `years`.
    for d in extra:
        if d.year not in years:
            listed = {x for x in extra if x.year == d.year}
            cal._extra[d.year] = (
                _public_days_off(holidays, d.year) | borrowed_days_off(borrowed, d.year) | listed
            )
    return cal


def greeting_day(
    occasion_day: date,
    cal: WorkCalendar,
    policy: Literal["before", "after", "on_day"],
    max_days_early: int | None = None,
) -> date:
    """The day the letter leaves: the occasion's day if it is a working day, else before/after it.

    ``occasion_day`` is the day the letter is meant for (the occasion's day less
    its ``days_before``). With ``before``, ``max_days_early`` (None: no limit)
    bounds how far a day off moves it ahead of that day: past it the letter
    leaves on the first working day after, as with ``after``. Russia's New Year
    break would otherwise greet a 5 January birthday on 30 December, in the
    previous year, and a birthday greeted in advance is held to bring bad luck.
    The limit counts from the intended day, not the occasion's own, so a
    deliberate ``days_before`` never trips it by itself.
    """
    if policy == "on_day" or cal.is_working_day(occasion_day):
        return occasion_day
    if policy == "after":
        return cal.next_working_day(occasion_day)
    before = cal.previous_working_day(occasion_day)
    if max_days_early is not None and (occasion_day - before).days > max_days_early:
        return cal.next_working_day(occasion_day)
    return before


def _instant(day: date, t: time, tz: ZoneInfo) -> datetime:
    """Local wall time → a real instant; a time skipped by DST moves forward to the next real one."""
    local = datetime.combine(day, t, tzinfo=tz)
    roundtrip = local.astimezone(_UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != local.replace(tzinfo=None):
        # Non-existent (spring forward): use the instant the clock jumps to.
        return roundtrip
    return local


@dataclass(frozen=True)
class _Hours:
    """The hashable part of a :class:`SendWindow` that shapes one day (for caching)."""

    start: time
    end: time
    lunch: tuple[time, time] | None
    cutoff: time | None
    margin: timedelta

    @classmethod
    def of(cls, window: SendWindow) -> _Hours:
        """The shape of ``window``'s day, computed once per window object (called per greeting)."""
        key = id(window)
        cached = _HOURS.get(key)
        if cached is not None and cached[0]() is window:
            return cached[1]
        hours = cls._build(window)
        _HOURS[key] = (weakref.ref(window, lambda ref: _drop_hours(key, ref)), hours)
        return hours

    @classmethod
    def _build(cls, window: SendWindow) -> _Hours:
        lunch = (window.lunch.start, window.lunch.end) if window.lunch is not None else None
        margin = timedelta(minutes=window.end_margin_minutes)
        return cls(window.hours.start, window.hours.end, lunch, window.friday_cutoff, margin)


#: id(window) → (a weak reference to the window, its _Hours). Weak, and dropped when the window
#: goes: a daemon reloading its config and a property test make windows without end. (Keyed by id:
#: a window, with its lists, is not hashable, so neither a WeakKeyDictionary nor an lru_cache takes it.)
_HOURS: dict[int, tuple[weakref.ref[SendWindow], _Hours]] = {}


def _drop_hours(key: int, ref: weakref.ref[SendWindow]) -> None:
    """Forget a window gone (its id may be reused): unless its entry is already another window's."""
    cached = _HOURS.get(key)
    if cached is not None and cached[0] is ref:
        _HOURS.pop(key, None)


@lru_cache(maxsize=8192)
def _intervals(
    day: date, tz: ZoneInfo, hours: _Hours, last_before_day_off: bool
) -> tuple[tuple[datetime, datetime], ...]:
    # Everything in UTC: Python compares and subtracts aware datetimes of the *same* zone
    # by wall time, which is wrong on DST days; UTC instants are unambiguous.
    def at(t: time) -> datetime:
        return _instant(day, t, tz).astimezone(_UTC)

    start = at(hours.start)
    end_time = hours.end
    if last_before_day_off and hours.cutoff is not None and hours.cutoff < end_time:
        end_time = hours.cutoff
    end = at(end_time) - hours.margin
    if hours.lunch is not None:
        lunch_start, lunch_end = at(hours.lunch[0]), at(hours.lunch[1])
        pieces = [(start, min(lunch_start, end)), (max(lunch_end, start), end)]
    else:
        pieces = [(start, end)]
    return tuple((a, b) for a, b in pieces if b > a)


def allowed_intervals(
    day: date, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar
) -> list[tuple[datetime, datetime]]:
    """Sending periods of ``day`` (aware, sorted, half-open). The Friday cut-off applies to the
    last working day before any day off (a Friday, or the eve of a holiday); the quiet
    minutes before the end of the day apply to whatever ends it, cut-off included."""
    return [(a.astimezone(tz), b.astimezone(tz)) for a, b in _utc_intervals(day, tz, window, cal)]


def _utc_intervals(
    day: date, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar
) -> tuple[tuple[datetime, datetime], ...]:
    eve = not cal.is_working_day(day + timedelta(days=1))
    return _intervals(day, tz, _Hours.of(window), eve)


def period_end_after(at: datetime, tz: ZoneInfo, window: SendWindow) -> datetime | None:
    """The first moment after ``at`` at which a sending period in ``tz`` may end (UTC), whatever the day.

    For the daemon's gathering of due letters (:func:`greeter.cron.gather_latest`): a
    letter planned at or after ``at`` in ``tz`` is inside a period that ends no sooner
    than this, so a run before it still finds every such letter's window open. It is
    the earliest of every end a day around ``at`` could have — lunch, the day's end
    less its quiet minutes, and the Friday cut-off as if the next day were off — so
    that no calendar is needed: an end that does not apply that day only makes the
    answer earlier (safe). None: the window has no sending time at all.
    """
    instant = at.astimezone(_UTC)
    day = at.astimezone(tz).date()
    hours = _Hours.of(window)
    ends = [
        end
        for d in (day - timedelta(days=1), day, day + timedelta(days=1))
        for eve in (False, True)
        for _, end in _intervals(d, tz, hours, eve)
        if end > instant
    ]
    return min(ends, default=None)


def spread_fraction(key: str) -> float:
    """A stable number in [0, 1) for ``key`` (not Python's salted hash())."""
    return spread_fraction_of(key.encode("utf-8"))


def spread_fraction_of(key: bytes) -> float:
    """:func:`spread_fraction` of a key already in UTF-8 (the planner builds it from encoded parts).

    The first 8 bytes of its BLAKE2b as an integer n, over 2**64. Computed as
    ``n * 2.0**-64``: int → float conversion is correctly rounded and scaling by a
    power of two is exact, so this is bit for bit the correctly rounded ``n / 2**64``
    (what the journal's send times were planned with), without a long division.
    """
    digest = _BLAKE2B_8.copy()
    digest.update(key)
    return _from_bytes(digest.digest(), "big") * _TWO_TO_MINUS_64


_TWO_TO_MINUS_64 = 2.0**-64
#: An empty 8-byte BLAKE2b, copied and fed the key: the same digest as ``blake2b(key,
#: digest_size=8)``, without parsing the constructor's nine keyword parameters for every letter
#: (callgrind: some 1,200 of the 4,100 instructions a key's digest cost).
_BLAKE2B_8 = blake2b(digest_size=8)
#: ``int.from_bytes`` and ``datetime.fromtimestamp`` bound once: a class method looked up on its
#: class makes a bound method object at every call (CPython 3.11), and a plan spreads a moment
#: for every letter it shows — some 900 of the 13,600 instructions a moment cost (callgrind).
_from_bytes = int.from_bytes
_fromtimestamp = datetime.fromtimestamp


@dataclass(frozen=True, slots=True)
class DaySlots:
    """One local day's sending periods, reduced to what spreading a moment over them needs.

    Built once per (day, zone) by :func:`day_slots`; the planner keeps them for a
    whole run (every contact in a zone shares them), so picking a greeting's
    moment is a multiplication, a walk over one or two periods and one
    ``datetime.fromtimestamp``.
    """

    #: Period starts (UTC) and their lengths in whole seconds.
    starts: tuple[datetime, ...]
    lengths: tuple[int, ...]
    total: int
    #: The starts as POSIX seconds, when they are whole seconds (always, unless the
    #: configured hours have microseconds): the same instants, cheaper to offset.
    epochs: tuple[int, ...] | None
    #: The last allowed second (UTC), for a fraction that rounds up to 1.0.
    last: datetime | None
    #: A day without allowed time: the day's start, local (see :func:`send_time`).
    empty: datetime | None


def day_slots(day: date, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar) -> DaySlots:
    """The sending periods of ``day`` in ``tz`` as :class:`DaySlots` (pure; callers may cache)."""
    periods = _utc_intervals(day, tz, window, cal)
    if not periods:
        return DaySlots((), (), 0, None, None, _instant(day, window.hours.start, tz))
    starts = tuple(a for a, _ in periods)
    lengths = tuple(int((b - a).total_seconds()) for a, b in periods)
    whole = all(a.microsecond == 0 for a in starts)
    epochs = tuple(int(a.timestamp()) for a in starts) if whole else None
    last = periods[-1][1] - timedelta(seconds=1)
    return DaySlots(starts, lengths, sum(lengths), epochs, last, None)


def spread(slots: DaySlots, fraction: float, tz: ZoneInfo) -> datetime:
    """The moment ``fraction`` (in [0, 1)) of the way through the day's allowed seconds, local."""
    if slots.empty is not None:
        return slots.empty
    offset = int(fraction * slots.total)
    k = 0
    for length in slots.lengths:
        if offset < length:
            break
        offset -= length
        k += 1
    else:
        assert slots.last is not None
        return slots.last.astimezone(tz)
    if slots.epochs is not None:
        # The same instant as the line below (both are tz.fromutc of it), without the timedelta.
        return _fromtimestamp(slots.epochs[k] + offset, tz)
    return (slots.starts[k] + timedelta(seconds=offset)).astimezone(tz)


def spread_keyed(slots: DaySlots, key: bytes, tz: ZoneInfo) -> datetime:
    """``spread(slots, spread_fraction_of(key), tz)``, the key hashed only when the day has room.

    The planner spreads every letter it shows (a million contacts: some four million
    moments); a day without allowed seconds needs no hash.
    """
    if slots.empty is not None:
        return slots.empty
    # spread(slots, spread_fraction_of(key), tz), in one call: the same float operations, in the
    # same order (bit for bit the same moment), without two Python calls per letter.
    digest = _BLAKE2B_8.copy()
    digest.update(key)
    fraction = _from_bytes(digest.digest(), "big") * _TWO_TO_MINUS_64
    offset = int(fraction * slots.total)
    lengths, epochs = slots.lengths, slots.epochs
    if offset < lengths[0]:  # the usual case: in the day's first period
        if epochs is not None:
            return _fromtimestamp(epochs[0] + offset, tz)
        return (slots.starts[0] + timedelta(seconds=offset)).astimezone(tz)
    # After a lunch break: in the second period, as spread() finds it (a third of the letters of a
    # day with a lunch break), without its call and its walk; further, or inexact, spread() walks.
    if epochs is not None and len(lengths) > 1 and offset - lengths[0] < lengths[1]:
        return _fromtimestamp(epochs[1] + (offset - lengths[0]), tz)
    return spread(slots, fraction, tz)


def send_time(day: date, tz: ZoneInfo, window: SendWindow, key: str, cal: WorkCalendar) -> datetime:
    """The moment the letter for ``key`` leaves on ``day``: spread over the allowed seconds.

    Deterministic, so a re-plan gives the same moment; measured in real elapsed
    seconds, so DST days are handled. A day with no allowed time (only with
    ``on_day`` on a day off with odd settings) falls back to the day's start.
    """
    return spread(day_slots(day, tz, window, cal), spread_fraction(key), tz)


def in_window(
    at: datetime, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar, letter_day: date | None = None
) -> bool:
    """Whether ``at`` lies inside a sending period of the recipient's local day.

    ``letter_day``: the recipient's local day the letter was planned to leave on. A day off
    opens only for the letters planned on it (:func:`opens_on`): ``day_off_policy: on_day``
    greets a Sunday birthday on Sunday, within that day's hours, while every other letter —
    a belated one, another client's — still waits for a working day.
    """
    local = at.astimezone(tz)
    if not opens_on(local.date(), cal, letter_day):
        return False
    instant = at.astimezone(_UTC)
    return any(a <= instant < b for a, b in _utc_intervals(local.date(), tz, window, cal))


#: How close to the end of a sending period a ``send --once`` run sends the rest of its letters.
#: Cron runs every 10 minutes (or more often) have one run inside each period's last 10 minutes.
LAST_CALL = timedelta(minutes=10)


def last_call(at: datetime, now: datetime, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar) -> bool:
    """Whether a letter planned for ``at``, after ``now``, leaves in a run at ``now`` all the same.

    WHY: ``send --once`` from cron sends what is due when it runs. A letter spread into a
    period's last minutes (17:28 before the 17:30 end of the day less its quiet minutes, 12:55
    before lunch, 14:28 before the Friday cut-off) had no run between its moment and the end:
    the run at 17:20 found it not due yet, the one at 17:30 found the window closed, and it left
    on the next working day, belated — or, on the eve of the New Year break, expired. So a run
    less than :data:`LAST_CALL` before the end of the period it is in sends that period's
    remaining letters at once: a cron every 10 minutes (or more often) sends every letter on
    its day, inside its window, a few minutes early at most. True only when ``now`` and ``at``
    lie in one sending period of the recipient's day and that period ends within
    :data:`LAST_CALL` of ``now``.
    """
    instant = now.astimezone(_UTC)
    moment = at.astimezone(_UTC)
    if not instant < moment < instant + LAST_CALL:  # cheap: most letters are hours away
        return False
    day = now.astimezone(tz).date()
    if at.astimezone(tz).date() != day:  # (the planner put it on this day: open for it, even a day off)
        return False
    for a, b in _utc_intervals(day, tz, window, cal):
        if a <= instant < b:
            return moment < b and b - instant <= LAST_CALL
    return False


def opens_on(day: date, cal: WorkCalendar, letter_day: date | None = None) -> bool:
    """Whether ``day`` has sending periods for a letter planned on ``letter_day`` (None: any letter).

    A working day opens for every letter; a day off only for the letters the planner put on
    it (:func:`greeting_day` with ``on_day``). WHY here and not in the calendar: the day stays
    a day off for everything else — the Friday cut-off before it, ``before``/``after``, a
    catch-up letter's next window.
    """
    return day == letter_day or cal.is_working_day(day)


def next_window_open(
    now: datetime, tz: ZoneInfo, window: SendWindow, cal: WorkCalendar, letter_day: date | None = None
) -> datetime:
    """``now`` if sending is allowed now, else the start of the next sending period (local).

    ``letter_day`` as in :func:`in_window`: a letter planned on a day off finds that day's
    window open (the daemon wakes for it then), where another would wait for a working day.
    """
    instant = now.astimezone(_UTC)
    day = now.astimezone(tz).date()
    for _ in range(3660):
        if opens_on(day, cal, letter_day):
            for a, b in _utc_intervals(day, tz, window, cal):
                if instant < b:
                    return max(instant, a).astimezone(tz)
        day += timedelta(days=1)
    raise ValueError("no sending period in ten years: check send_window")
