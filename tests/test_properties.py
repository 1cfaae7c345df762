"""Property-based tests of the planner's pure core (issue "Prove it", part 1).

Random contacts (29 February birthdays, time zones with and without DST),
occasions, caps, send windows, journal history and suppression lists go
through :func:`greeter.planner.plan`; each property re-derives what the plan
must satisfy from the documented rules (DESIGN.md §4) instead of calling the
planner's own helpers:

(a) the frequency cap holds for every contact, counting the journal's history;
(b) every occasion hit in the range appears exactly once, as ``send`` or as a
    ``skip`` with a documented reason (and the reason the rules demand);
(c) every ``send_at`` lies in the recipient's send window on a working day;
(d) merging never loses an occasion;
(e) the plan is deterministic.

Deterministic in CI: ``derandomize=True``, no example database, and one
Hypothesis release (pinned in pyproject.toml: the derandomized examples
change with the release, and with the test's own source); 200 examples per
property, plus the ``@example`` cases a larger search found. Send windows start at 04:00 or later, so local wall
clock arithmetic equals elapsed time in every zone used (DST changes at 02:00–03:00).
At the end, tests pin cases where the pure planner and the daemon once
disagreed (a Sunday birthday greeted on Friday, a merge preview promised, an
unparseable date listed in preview).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from greeter.calendar_rules import in_window
from greeter.config import Settings
from greeter.contacts import Contact
from greeter.occasions import contact_hits
from greeter.plan_types import PastGreeting, PlanItem
from greeter.planner import PlanWindow, plan, plan_window
from tests.conftest import MakeProject

#: What a skip may say (DESIGN.md §3 and greeter.plan_types.Reason; render_error comes later).
REASONS = {
    "frequency_cap",
    "merged",
    "suppressed",
    "no_email",
    "invalid_contact",
    "already_sent",
    "expired",
    "outside_audience",
}
CAP_STATES = ("sent", "claimed", "retry", "uncertain")
ZONES = ["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad", "Europe/Berlin", "America/New_York"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HOLIDAY = ("womens_day", "RU", "International Women's Day")

PROFILE = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# --------------------------------------------------------------------------- strategies

leap_days = st.sampled_from([date(1980, 2, 29), date(1996, 2, 29), date(2000, 2, 29), date(2024, 2, 29)])


@st.composite
def contact_dates(draw: st.DrawFn, start: date, days: int) -> date:
    """Mostly a day near the planned range (so there is something to plan), in any year
    from 1890 (ages over 120) to 2032 (in the future); a quarter are 29 February."""
    if draw(st.sampled_from([False, False, False, True])):
        return draw(leap_days)
    near = start + timedelta(days=draw(st.integers(-15, days + 15)))
    year = draw(st.one_of(st.integers(1950, 2025), st.integers(1890, 2032)))
    if (near.month, near.day) == (2, 29):
        year -= year % 4 if year % 100 else 4  # a leap year
    return near.replace(year=year)


@st.composite
def contacts(draw: st.DrawFn, cid: str, start: date, days: int) -> Contact:
    birthday = draw(contact_dates(start, days))
    dates = {"birthday": birthday}
    choice = draw(st.sampled_from([0, 1, 1, 2]))
    if choice == 1:  # a first deal a few days from the birthday: the two merge or collide
        near = birthday + timedelta(days=draw(st.integers(-20, 20)))
        dates["first_deal"] = near.replace(year=draw(st.integers(1990, 2026)), day=min(near.day, 28))
    elif choice:
        dates["first_deal"] = draw(contact_dates(start, days))
    return Contact(
        id=cid,
        email=draw(
            st.sampled_from(
                [f"c{cid}@example.com", f"C{cid}@Example.com", *[f"c{cid}@example.com"] * 5, None]
            )
        ),
        first_name="Иван",
        patronymic="Петрович",
        last_name="Иванов",
        timezone=draw(st.sampled_from([None, *ZONES])),
        tier=draw(st.sampled_from([None, "VIP", "vip", "regular"])),
        tags=frozenset(draw(st.lists(st.sampled_from(["8mar", "23feb", "x"]), max_size=2))),
        dates=MappingProxyType(dates),
        row=int(cid) + 1,
    )


@st.composite
def audiences(draw: st.DrawFn) -> dict[str, Any]:
    """No rule on about four occasions in five (the simplest example has none), else one rule."""
    rule = draw(st.sampled_from([None] * 20 + ["tiers", "tags", "contacts", "round_years", "min_years"]))
    values: dict[str | None, Any] = {
        "tiers": ["VIP"],
        "tags": ["8mar"],
        "contacts": ["0", "2"],
        "round_years": draw(st.sampled_from([5, 10])),
        "min_years": draw(st.integers(0, 30)),
    }
    return {} if rule is None else {rule: values[rule]}


@st.composite
def occasion_lists(draw: st.DrawFn, start: date) -> list[dict[str, Any]]:
    occasions: list[dict[str, Any]] = [
        {"name": "birthday", "field": "birthday"},
        {"name": "first_deal", "field": "first_deal", "max_years": draw(st.sampled_from([120, 30]))},
        {"name": "new_year", "date": "12-29"},
        {"name": "leap_fixed", "date": "02-29"},
        {"name": "spring", "date": draw(st.sampled_from(["03-01", "03-08", "05-01"]))},
        {"name": "soon", "date": f"{start + timedelta(days=draw(st.integers(0, 30))):%m-%d}"},
        {"name": HOLIDAY[0], "holiday": HOLIDAY[2], "country": HOLIDAY[1]},
        {
            "name": "thanks",
            "on": sorted(
                draw(
                    st.sets(
                        st.dates(min_value=start - timedelta(days=40), max_value=start + timedelta(days=120)),
                        max_size=3,
                    )
                )
            ),
        },
    ]
    chosen = [
        occasions[0],
        *draw(
            st.lists(st.sampled_from(occasions[1:]), min_size=1, max_size=6, unique_by=lambda o: o["name"])
        ),
    ]
    for occ in chosen:
        occ["template"] = occ["name"]
        occ["priority"] = draw(st.integers(0, 100))
        occ["days_before"] = draw(st.sampled_from([0, 0, 1, 3, 14]))
        occ["audience"] = draw(audiences())
        if "field" not in occ:  # years are a date column's: the config refuses them elsewhere
            for key in ("round_years", "min_years"):
                occ["audience"].pop(key, None)
    return chosen


def _t(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def send_windows(draw: st.DrawFn, start: date) -> dict[str, Any]:
    # Hours from 04:00: no zone used here changes its clocks between 04:00 and midnight,
    # so local wall-clock arithmetic is real elapsed time on every day (DST days too).
    begin = draw(st.integers(4 * 60, 12 * 60).map(lambda m: m - m % 15))
    end = draw(st.integers(begin + 60, 23 * 60 + 45).map(lambda m: m - m % 15))
    window: dict[str, Any] = {
        "working_days": draw(
            st.one_of(
                st.just(WEEKDAYS[:5]),
                st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
            )
        ),
        "hours": {"start": _t(begin), "end": _t(end)},
        "end_margin_minutes": draw(st.sampled_from([0, 5, 30, 60, 240])),
        "public_holidays": draw(st.booleans()),
        "day_off_policy": draw(st.sampled_from(["before", "after", "on_day"])),
        "extra_days_off": sorted(
            draw(st.sets(st.dates(min_value=start, max_value=start + timedelta(days=60)), max_size=3))
        ),
    }
    if draw(st.booleans()):
        lunch = draw(st.integers(begin, end - 15).map(lambda m: m - m % 15))
        window["lunch"] = {
            "start": _t(lunch),
            "end": _t(min(end, lunch + draw(st.sampled_from([15, 60, 90])))),
        }
    else:
        window["lunch"] = None
    window["friday_cutoff"] = draw(st.one_of(st.none(), st.integers(4 * 60, 23 * 60).map(_t)))
    return window


@dataclass(frozen=True)
class Scenario:
    settings: Settings
    contacts: tuple[Contact, ...]
    now: datetime
    start: date
    days: int
    history: dict[str, list[PastGreeting]]
    suppressed: frozenset[str]

    def window(self) -> PlanWindow:
        return plan_window(self.settings, now=self.now, start=self.start, days=self.days)

    def plan(self) -> list[PlanItem]:
        return list(plan(self.contacts, self.window(), self.history, self.suppressed))


@st.composite
def scenarios(draw: st.DrawFn, *, with_history: bool = True) -> Scenario:
    now = draw(
        st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))
    )
    start = now.date() + timedelta(days=draw(st.integers(-10, 45)))
    days = draw(st.one_of(st.integers(30, 200), st.integers(1, 30)))
    occasions = draw(occasion_lists(start))
    cap = {
        "max_count": draw(st.integers(1, 7)),
        "window_days": draw(st.sampled_from([1, 7, 30, 90, 365])),
        "min_gap_days": draw(st.sampled_from([0, 1, 3, 14, 30])),
    }
    data = {
        "sender": {"name": "Shop", "email": "hello@shop.example"},
        "defaults": {
            "timezone": draw(st.sampled_from(ZONES)),
            "country": draw(st.sampled_from(["RU", "DE", "US"])),
        },
        "contacts": {"path": "c.csv", "dates": {"birthday": "B", "first_deal": "D"}},
        "occasions": occasions,
        "frequency_cap": cap,
        "send_window": draw(send_windows(start)),
        "catch_up_days": draw(st.sampled_from([0, 1, 3, 10])),
        "leap_day": draw(st.sampled_from(["feb28", "mar1"])),
    }
    try:
        config = Settings.model_validate(data)
    except ValueError:
        from hypothesis import reject

        reject()  # a config greeter refuses to load is not planned (tested in test_bad_inputs)
    people = tuple(draw(contacts(str(i), start, days)) for i in range(draw(st.integers(1, 6))))
    history: dict[str, list[PastGreeting]] = {}
    if with_history:
        names = [o["name"] for o in occasions] + ["retired_occasion"]
        for person in people:
            past = draw(
                st.lists(
                    st.builds(
                        PastGreeting,
                        contact_id=st.just(person.id),
                        occasion=st.sampled_from(names),
                        occasion_date=st.dates(
                            start - timedelta(days=400), start + timedelta(days=days + 30)
                        ),
                        day=st.dates(start - timedelta(days=400), start + timedelta(days=days + 30)),
                        state=st.sampled_from([*CAP_STATES, "failed", "skipped", "expired"]),
                    ).map(_left_at_noon),
                    max_size=4,
                )
            )
            if past:
                history[person.id] = past
    suppressed = frozenset(
        (p.email or "").casefold() for p in people if p.email and draw(st.sampled_from([False] * 7 + [True]))
    )
    return Scenario(config, people, now, start, days, history, suppressed)


def _left_at_noon(past: PastGreeting) -> PastGreeting:
    """A ``sent`` row has its ``sent_at``, as the journal's do (noon UTC of its send day)."""
    if past.state != "sent":
        return past
    return replace(past, sent_at=datetime.combine(past.day, datetime.min.time(), UTC) + timedelta(hours=12))


# --------------------------------------------------------------------------- re-derived rules


def zone_of(contact: Contact, config: Settings) -> ZoneInfo:
    return ZoneInfo(contact.timezone or config.defaults.timezone)


def same_day_next_year(original: date, year: int, leap_day: str) -> date:
    if (original.month, original.day) == (2, 29) and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        return date(year, 3, 1) if leap_day == "mar1" else date(year, 2, 28)
    return original.replace(year=year)


@lru_cache(maxsize=64)
def holiday_table(country: str, year: int) -> dict[date, str]:
    # English names, asked for explicitly as greeter asks (greeter.holiday_tables): left alone the
    # library follows $LANG, and with LANG unset RU's 8 March was «Международный женский день».
    return dict(holidays.country_holidays(country, years=year, language="en_US").items())


def country_ok(occ: Any, contact: Contact, default_country: str) -> bool:
    """An occasion with a ``country`` (or ``audience.countries``) is for clients in it; no country: the default's."""
    wanted = occ.audience.countries if occ.audience.countries is not None else occ.country and [occ.country]
    code = contact.country or default_country
    return not wanted or code in wanted or code.split("-")[0] in wanted


def audience_ok(audience: Any, contact: Contact, years: int | None) -> bool:
    if audience.tiers is not None and (contact.tier or "").casefold() not in {
        t.casefold() for t in audience.tiers
    }:
        return False
    if audience.tags is not None and not set(audience.tags) & contact.tags:
        return False
    if audience.contacts is not None and contact.id not in audience.contacts:
        return False
    if audience.round_years is not None and (years is None or years % audience.round_years != 0):
        return False
    return audience.min_years is None or (years is not None and years >= audience.min_years)


def expected_hits(sc: Scenario, contact: Contact) -> dict[tuple[str, date], str | None]:
    """Every occasion hit whose greeting day lies in the range → the pre-cap reason it must get.

    ``None`` means the rules leave it to the cap: ``send``, ``merged`` or ``frequency_cap``.
    """
    config = sc.settings
    end = sc.start + timedelta(days=sc.days - 1)
    today = sc.now.astimezone(zone_of(contact, config)).date()
    past = {(p.occasion, p.occasion_date) for p in sc.history.get(contact.id, ())}
    out: dict[tuple[str, date], str | None] = {}
    for occ in config.occasions:
        lo, hi = sc.start + timedelta(days=occ.days_before), end + timedelta(days=occ.days_before)
        found: list[tuple[date, int | None, str | None]] = []
        for year in range(lo.year, hi.year + 1):
            if occ.field is not None:
                original = contact.dates.get(occ.field)
                if original is None:
                    continue
                day = same_day_next_year(original, year, config.leap_day)
                years = year - original.year
                if original > today or years > occ.max_years or 0 < years < occ.min_years:
                    found.append((day, years, "invalid_contact"))
                elif years > 0:
                    found.append((day, years, None))
            elif occ.date is not None:
                month, dom = (int(x) for x in occ.date.split("-"))
                found.append((same_day_next_year(date(2000, month, dom), year, config.leap_day), None, None))
            elif occ.holiday is not None:
                table = holiday_table(occ.country or config.defaults.country, year)
                found += [(d, None, None) for d, name in table.items() if occ.holiday in name.split("; ")]
        if occ.on is not None:
            found = [(d, None, None) for d in occ.on]
        for day, years, problem in found:
            if not lo <= day <= hi:
                continue
            ideal = day - timedelta(days=occ.days_before)
            reason = problem
            if reason is None and (occ.name, day) in past:
                reason = "already_sent"
            if reason is None and occ.field is not None and greeted_again(sc, contact, occ.name, day):
                reason = "already_sent"
            if reason is None and not (
                audience_ok(occ.audience, contact, years)
                and country_ok(occ, contact, config.defaults.country)
            ):
                reason = "outside_audience"
            if reason is None and not contact.email:
                reason = "no_email"
            if reason is None and contact.email and contact.email.casefold() in sc.suppressed:
                reason = "suppressed"
            if reason is None and due_day(sc, ideal) < today - timedelta(days=config.catch_up_days):
                reason = "expired"
            out[(occ.name, day)] = reason
    return out


def greeted_again(sc: Scenario, contact: Contact, occasion: str, day: date) -> bool:
    """A yearly occasion of a date column the journal holds for another date less than half a
    year (183 days) from ``day``, in a state that counts: that date was corrected, and the
    occasion is greeted once (a day a year or more away is another year's)."""
    return any(
        p.occasion == occasion and p.occasion_date != day and abs((p.occasion_date - day).days) < 183
        for p in sc.history.get(contact.id, ())
        if p.state in CAP_STATES
    )


def due_day(sc: Scenario, ideal: date) -> date:
    """The day lateness counts from: the occasion's day, or with day_off_policy "after" the
    working day it moves to (a Saturday birthday meant for Monday is not late on Monday)."""
    day = ideal
    if sc.settings.send_window.day_off_policy == "after":
        while not is_working_day(sc, day):
            day += timedelta(days=1)
    return day


def letter_day(sc: Scenario, ideal: date) -> date:
    """The day the letter is meant to leave: the occasion's day, or on a day off the working day
    before or after it (day_off_policy; ``on_day`` keeps the day off)."""
    policy = sc.settings.send_window.day_off_policy
    if policy == "on_day":
        return ideal
    step = timedelta(days=1 if policy == "after" else -1)
    day = ideal
    while not is_working_day(sc, day):
        day += step
    return day


def can_leave_on(sc: Scenario, day: date, zone: ZoneInfo) -> bool:
    """Whether ``day`` has a moment in the recipient's send window at or after ``sc.now``.

    The window's open stretches start at the hours' start or the end of lunch, so
    the earliest moment left on the day is one of those, or now itself.
    """
    window = sc.settings.send_window
    starts = [window.hours.start] + ([window.lunch.end] if window.lunch is not None else [])
    moments = [datetime.combine(day, t, tzinfo=zone) for t in starts]
    if sc.now.astimezone(zone).date() == day:
        moments.append(sc.now.astimezone(zone))
    return any(m >= sc.now and window_violation(sc, m, zone) == "" for m in moments)


def is_working_day(sc: Scenario, day: date) -> bool:
    window = sc.settings.send_window
    if WEEKDAYS[day.weekday()] not in {str(d) for d in window.working_days}:
        return False
    if day in window.extra_days_off:
        return False
    return not (window.public_holidays and day in holiday_table(sc.settings.defaults.country, day.year))


def window_violation(sc: Scenario, at: datetime, zone: ZoneInfo) -> str:
    """Why the local moment ``at`` breaks the send window (wall clock, see send_windows), or ``""``."""
    window = sc.settings.send_window
    local = at.astimezone(zone)
    day, t = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(sc, day):
        return f"{day:%a %Y-%m-%d} is not a working day"
    end = window.hours.end
    if window.friday_cutoff is not None and not is_working_day(sc, day + timedelta(days=1)):
        end = min(end, window.friday_cutoff)  # the cut-off: the last working day before days off
    # Not in the last end_margin_minutes before the day's end (the cut-off's, on an eve).
    last = datetime.combine(day, end) - timedelta(minutes=window.end_margin_minutes)
    if not datetime.combine(day, window.hours.start) <= datetime.combine(day, t) < last:
        return f"{t} is outside {window.hours.start}–{last:%H:%M} (end {end}, margin {window.end_margin_minutes})"
    if window.lunch is not None and window.lunch.start <= t < window.lunch.end:
        return f"{t} is at lunch"
    return ""


def send_days(items: Sequence[PlanItem], contact: Contact) -> list[date]:
    return sorted(
        i.send_at.date() for i in items if i.status == "send" and i.send_at and i.hit.contact.id == contact.id
    )


# --------------------------------------------------------------------------- examples found


def pinned(
    occasions: list[dict[str, Any]],
    cap: dict[str, int],
    window: dict[str, Any],
    *,
    dates: dict[str, date],
    now: datetime,
    start: date,
    days: int = 30,
    history: Sequence[PastGreeting] = (),
) -> Scenario:
    """One contact in Moscow: a scenario the search found, written out."""
    config = Settings.model_validate(
        {
            "sender": {"name": "Shop", "email": "hello@shop.example"},
            "defaults": {"timezone": "Europe/Moscow", "country": "RU"},
            "contacts": {"path": "c.csv", "dates": {"birthday": "B", "first_deal": "D"}},
            "occasions": [{**o, "template": o["name"]} for o in occasions],
            "frequency_cap": cap,
            "send_window": {"hours": {"start": "04:00", "end": "05:00"}, "lunch": None,
                            "end_margin_minutes": 0, "public_holidays": False, **window},
            "catch_up_days": 0,
        }
    )  # fmt: skip
    person = Contact(
        id="0",
        email="c0@example.com",
        first_name="Иван",
        patronymic="Петрович",
        last_name="Иванов",
        dates=MappingProxyType(dates),
        row=1,
    )
    return Scenario(config, (person,), now, start, days, {"0": list(history)} if history else {}, frozenset())


BIRTHDAY = {"name": "birthday", "field": "birthday"}

#: Property (b) failed on these with more examples than CI runs (seeded searches, and CI's own
#: derandomized 200 under another Hypothesis release); each time the planner kept a documented
#: rule and the property's model did not.
#:
#: A birthday on Friday 2 January 2026 with only Mondays working and day_off_policy "before"
#: is meant to leave on Monday 29 December. Planned on 1 January, that day has passed and the
#: next window (Monday 5 January) is 3 days after the birthday, beyond catch_up_days 0: the
#: planner says ``expired`` ("missed; the next window (05.01) is more than 0 days later").
#: The property asked the *occasion's* day, still ahead, to have passed.
EXPIRED_BEFORE_ITS_DAY = pinned(
    [BIRTHDAY],
    {"max_count": 1, "window_days": 1, "min_gap_days": 0},
    {"working_days": ["mon"], "day_off_policy": "before"},
    dates={"birthday": date(1950, 1, 2)},
    now=datetime(2026, 1, 1, tzinfo=UTC),
    start=date(2026, 1, 2),
)
#: The 29 December New Year, missed (catch_up_days 0), planned on 1 January with a birthday
#: that day and min_gap_days 14: too old to be sent alone, it rides along in the birthday
#: letter as ``merged`` (README, "Frequency cap": "even past catch_up_days"). The property
#: wanted ``expired``.
EXPIRED_RIDES_ALONG = pinned(
    [BIRTHDAY, {"name": "new_year", "date": "12-29"}],
    {"max_count": 1, "window_days": 1, "min_gap_days": 14},
    {"day_off_policy": "before"},
    dates={"birthday": date(1950, 1, 1)},
    now=datetime(2026, 1, 1, tzinfo=UTC),
    start=date(2025, 12, 29),
)

#: The 31 December birthday, missed (catch_up_days 0), planned on 1 January with the first deal
#: that day (min_gap_days 3): the two are one letter, which the cap refuses (the journal holds a
#: letter of 1 January), so both are ``frequency_cap`` — as a run on 31 December would have
#: decided, and the cap's refusal on its day stays the reason (see policy.decide and the
#: planner test of the New Year after a downtime). The property wanted ``expired``.
EXPIRED_IN_A_CAPPED_LETTER = pinned(
    [BIRTHDAY, {"name": "first_deal", "field": "first_deal"}],
    {"max_count": 1, "window_days": 1, "min_gap_days": 3},
    {"day_off_policy": "before"},
    dates={"birthday": date(1950, 12, 31), "first_deal": date(1990, 1, 1)},
    now=datetime(2026, 1, 1, tzinfo=UTC),
    start=date(2025, 12, 31),
    history=[PastGreeting("0", "birthday", date(2024, 11, 26), date(2026, 1, 1), "sent")],
)

# --------------------------------------------------------------------------- properties


@PROFILE
@given(scenarios())
def test_a_frequency_cap_holds_for_every_contact_with_history(sc: Scenario) -> None:
    items = sc.plan()
    cap = sc.settings.frequency_cap
    for person in sc.contacts:
        planned = send_days(items, person)
        taken = sorted(p.day for p in sc.history.get(person.id, ()) if p.state in CAP_STATES)
        everything = sorted(planned + taken)
        for i, day in enumerate(planned):
            others = planned[:i] + planned[i + 1 :] + taken
            close = [d for d in others if abs((d - day).days) < cap.min_gap_days]
            assert not close, f"{person.id}: {day} is within {cap.min_gap_days} days of {close}"
            # Every rolling window of window_days days that contains a planned greeting.
            for first in range(day.toordinal() - cap.window_days + 1, day.toordinal() + 1):
                inside = [d for d in everything if first <= d.toordinal() < first + cap.window_days]
                assert len(inside) <= cap.max_count, (person.id, date.fromordinal(first), inside, cap)


@PROFILE
@given(scenarios())
@example(EXPIRED_BEFORE_ITS_DAY)
@example(EXPIRED_RIDES_ALONG)
@example(EXPIRED_IN_A_CAPPED_LETTER)
def test_b_every_occasion_in_range_is_accounted_for_exactly_once(sc: Scenario) -> None:
    items = sc.plan()
    for person in sc.contacts:
        mine = [i for i in items if i.hit.contact.id == person.id]
        keys = Counter((i.hit.occasion, i.hit.date) for i in mine)
        assert [k for k, n in keys.items() if n > 1] == []
        expected = expected_hits(sc, person)
        # Besides the occasions in it, a range shows the letters that leave in it (an occasion
        # after the range greeted before the holidays, a belated one from before it).
        end = sc.start + timedelta(days=sc.days - 1)
        leaving = {
            (i.hit.occasion, i.hit.date)
            for i in mine
            if i.status == "send" and i.send_at is not None and sc.start <= i.send_at.date() <= end
        }
        # ... and the journal's letters that left in it, whatever their occasion's day.
        leaving |= {
            (p.occasion, p.occasion_date) for p in sc.history.get(person.id, ()) if sc.start <= p.day <= end
        }
        unexpected = set(keys) - set(expected) - leaving
        assert set(expected) <= set(keys) and not unexpected, (
            f"missing {set(expected) - set(keys)}, unexpected {unexpected}"
        )
        for item in mine:
            if item.status in ("send", "sent"):
                assert item.reason is None and item.send_at is not None
            else:
                assert item.status == "skip" and item.reason in REASONS, item
                # a merged occasion leaves with the letter carrying it (test_d checks it is that letter's)
                assert (item.send_at is not None) == (item.reason == "merged"), item
            must = expected.get((item.hit.occasion, item.hit.date))  # None: one leaving in the range
            if must == "already_sent" and item.status == "sent":
                continue  # the journal's letter that left: shown as sent
            if must is not None:
                if must == "expired" and item.reason == "merged":
                    # Too old to be sent alone, it still rides along in a letter it merges with
                    # (README, "Frequency cap"); property (d) checks that a letter carries it.
                    assert item.status == "skip" and item.merged_into is not None, item
                    continue
                if must == "expired" and item.reason == "frequency_cap":
                    # Its letter — with a live occasion it merges with — is refused by the cap:
                    # the cap's refusal stays the reason. Something must be there to refuse it.
                    counted = [p for p in sc.history.get(person.id, ()) if p.state in CAP_STATES]
                    assert item.detail and (counted or len(mine) > 1), item
                    continue
                assert (item.status, item.reason) == ("skip", must), (item, must)
                continue
            if item.status == "sent" or item.reason == "already_sent":  # the journal's, on the day it left
                assert (item.hit.occasion, item.hit.date) in leaving, item
                continue
            ideal = item.hit.date - timedelta(days=sc.window().occasions[item.hit.occasion].days_before)
            due = due_day(sc, ideal)
            if item.reason == "expired":
                # Its letter's day passed — with day_off_policy "before" that may be days before the
                # occasion, still ahead — and no window opens from now to the end of its catch-up period.
                zone = zone_of(person, sc.settings)
                today = sc.now.astimezone(zone).date()
                assert letter_day(sc, ideal) <= today, item
                last = due + timedelta(days=sc.settings.catch_up_days)
                open_days = [
                    today + timedelta(days=k)
                    for k in range((last - today).days + 1)
                    if can_leave_on(sc, today + timedelta(days=k), zone)
                ]
                assert open_days == [], f"{item} could leave on {open_days[0]}"
            else:
                assert item.status == "send" or item.reason in ("merged", "frequency_cap"), item
            if item.status == "send":
                assert item.send_at is not None
                late = (item.send_at.date() - due).days
                assert late <= sc.settings.catch_up_days, f"{item} leaves {late} days after it was due"


@PROFILE
@given(scenarios())
def test_c_every_send_at_is_inside_the_recipients_window_on_a_working_day(sc: Scenario) -> None:
    pw = sc.window()
    items = list(plan(sc.contacts, pw, sc.history, sc.suppressed))
    for item in items:
        if item.status != "send":
            continue
        assert item.send_at is not None
        zone = zone_of(item.hit.contact, sc.settings)
        assert item.send_at.tzinfo == zone, "send_at is given in the recipient's own zone"
        # (whole seconds: a letter due now is planned at now's second, rounded down so it stays due)
        assert item.send_at >= sc.now.replace(microsecond=0), "nothing is planned in the past"
        problem = window_violation(sc, item.send_at, zone)
        if sc.settings.send_window.day_off_policy == "on_day" and not is_working_day(sc, item.send_at.date()):
            # `on_day` greets on the occasion's own day even when it is a day off; the hours still apply.
            occasion_day = item.hit.date - timedelta(days=pw.occasions[item.hit.occasion].days_before)
            assert item.send_at.date() == occasion_day, item
            continue
        assert problem == "", f"{item.send_at:%a %Y-%m-%d %H:%M:%S %Z} for {item.hit}: {problem}"
        assert in_window(item.send_at, zone, sc.settings.send_window, pw.calendar)  # the module agrees


@PROFILE
@given(scenarios())
def test_d_merging_never_loses_an_occasion(sc: Scenario) -> None:
    items = sc.plan()
    sends = {(i.hit.contact.id, i.hit.occasion, i.hit.date): i for i in items if i.status == "send"}
    for item in items:
        if item.status == "send":
            assert item.merged_with == [h.occasion for h in item.also]
            assert all(h.contact.id == item.hit.contact.id for h in item.also)
            assert item.hit not in item.also
        if item.reason != "merged":
            assert item.merged_into is None
            continue
        assert item.merged_with == [item.merged_into]
        carriers = [
            s
            for (cid, occasion, _), s in sends.items()
            if cid == item.hit.contact.id and occasion == item.merged_into and item.hit in s.also
        ]
        if not carriers:
            # The carrying letter may belong to an occasion before or after the range (planned, not
            # shown): then it must really exist there, or the merged occasion is lost.
            pw = sc.window()
            hidden = [
                h
                for h in contact_hits(
                    item.hit.contact,
                    sc.settings,
                    pw.sim_start,
                    pw.sim_end,
                    today=sc.now.date(),
                    fixed=pw.fixed,
                )
                if h.occasion == item.merged_into
                and not pw.start <= h.date - timedelta(days=pw.occasions[h.occasion].days_before) <= pw.end
            ]
            assert hidden, f"{item.hit} merged into {item.merged_into}, but no letter carries it"
            continue
        assert len(carriers) == 1, (
            f"{item.hit} merged into {item.merged_into}, carried by {len(carriers)} letters"
        )
        lead = carriers[0]
        assert lead.hit.priority >= item.hit.priority or could_not_lead(sc, item, lead, items), (
            "the highest priority that fits the cap leads"
        )
        assert item.send_at == lead.send_at, "a merged occasion says when the letter carrying it leaves"
    # …and nothing rides along in a letter without being listed as merged (or hidden before the range).
    shown = {(i.hit.contact.id, i.hit.occasion, i.hit.date): i for i in items}
    for send in sends.values():
        for hit in send.also:
            listed = shown.get(hit.key)
            assert listed is None or (listed.reason, listed.merged_into) == ("merged", send.hit.occasion)


def could_not_lead(sc: Scenario, item: PlanItem, lead: PlanItem, items: Sequence[PlanItem]) -> bool:
    """Whether ``item`` could not have led a letter of its own (README, "Frequency cap"): its moment
    has passed (late or expired: it never leads then unless it fit on its day), or a letter on its
    day would break the cap against the history and the contact's other letters."""
    occ = next(o for o in sc.settings.occasions if o.name == item.hit.occasion)
    day = letter_day(sc, item.hit.date - timedelta(days=occ.days_before))
    if day <= sc.now.astimezone(zone_of(item.hit.contact, sc.settings)).date():
        return True
    cap = sc.settings.frequency_cap
    others = [d for d in send_days(items, item.hit.contact) if d != lead.send_at.date()]  # type: ignore[union-attr]
    others += [p.day for p in sc.history.get(item.hit.contact.id, ()) if p.state in CAP_STATES]
    if any(abs((d - day).days) < cap.min_gap_days for d in others):
        return True
    return any(
        sum(1 for d in others if first <= d.toordinal() < first + cap.window_days) >= cap.max_count
        for first in range(day.toordinal() - cap.window_days + 1, day.toordinal() + 1)
    )


@PROFILE
@given(scenarios())
def test_e_the_plan_is_deterministic(sc: Scenario) -> None:
    def fingerprint(items: Sequence[PlanItem]) -> list[tuple[Any, ...]]:
        return [
            (i.hit.key, i.hit.years, i.status, i.reason, i.send_at, i.send_at and i.send_at.utcoffset(),
             tuple(h.key for h in i.also), i.merged_into, i.belated, i.detail)
            for i in items
        ]  # fmt: skip

    first = fingerprint(sc.plan())
    assert fingerprint(sc.plan()) == first
    # Each contact is planned on its own: order and company of other contacts change nothing.
    backwards = Scenario(sc.settings, sc.contacts[::-1], sc.now, sc.start, sc.days, sc.history, sc.suppressed)
    assert sorted(fingerprint(backwards.plan()), key=repr) == sorted(first, key=repr)


# --------------------------------------------------------------------------- known gaps, pinned


def test_a_29_february_birthday_in_a_common_year_follows_leap_day() -> None:
    base = {
        "sender": {"name": "Shop", "email": "hello@shop.example"},
        "contacts": {"path": Path("c.csv"), "dates": {"birthday": "B"}},
        "occasions": [
            {"name": "birthday", "field": "birthday", "template": "birthday"},
            {"name": "leap", "date": "02-29", "template": "leap"},
        ],
        "frequency_cap": {"min_gap_days": 0},
        "send_window": {"day_off_policy": "on_day", "working_days": WEEKDAYS, "public_holidays": False},
    }
    person = Contact(id="1", email="a@example.com", dates=MappingProxyType({"birthday": date(1984, 2, 29)}))
    for leap_day, expected in (("feb28", date(2027, 2, 28)), ("mar1", date(2027, 3, 1))):
        config = Settings.model_validate({**base, "leap_day": leap_day})
        now = datetime(2027, 2, 1, tzinfo=UTC)
        items = list(plan([person], plan_window(config, now=now, start=date(2027, 2, 1), days=40)))
        assert {(i.hit.occasion, i.hit.date) for i in items} == {("birthday", expected), ("leap", expected)}


def test_a_best_member_leaving_late_yields_to_a_later_letter_of_a_higher_priority() -> None:
    """Found by property (d) in CI: «soon» (27 January, priority 0) and a leap-day occasion moved to
    25 February (priority 1) are one group under a 30-day gap; its best member led on 25 February and
    carried «spring» (1 March, priority 2) four days early, though spring fit the cap on its own day.
    Colliding occasions merge under the highest priority: spring leads its letter, soon leaves on
    its day and carries the leap-day wishes."""
    config = Settings.model_validate(
        {
            "sender": {"name": "Shop", "email": "hello@shop.example"},
            "contacts": {"path": Path("c.csv"), "dates": {"birthday": "B"}},
            "occasions": [
                {"name": "leap", "date": "02-29", "template": "leap", "priority": 1, "days_before": 3},
                {"name": "spring", "date": "03-01", "template": "spring", "priority": 2},
                {"name": "soon", "date": "01-27", "template": "soon", "priority": 0},
            ],
            "frequency_cap": {"max_count": 1, "window_days": 1, "min_gap_days": 30},
            "send_window": {
                "hours": {"start": "04:00", "end": "05:00"},
                "lunch": None,
                "public_holidays": False,
            },
            "catch_up_days": 0,
        }
    )
    person = Contact(id="0", email="c0@example.com", dates=MappingProxyType({"birthday": date(1950, 6, 1)}))
    sc = Scenario(
        config, (person,), datetime(2026, 11, 23, tzinfo=UTC), date(2026, 12, 28), 64, {}, frozenset()
    )
    got = {(i.hit.occasion, i.status, i.merged_into, i.send_at and i.send_at.date()) for i in sc.plan()}
    assert got == {
        ("soon", "send", None, date(2027, 1, 27)),
        ("leap", "skip", "soon", date(2027, 1, 27)),
        ("spring", "send", None, date(2027, 3, 1)),
    }
    test_d_merging_never_loses_an_occasion.hypothesis.inner_test(sc)  # type: ignore[attr-defined]


def test_an_unparseable_birthday_is_listed_as_invalid_contact() -> None:
    config = Settings.model_validate(
        {
            "sender": {"name": "Shop", "email": "hello@shop.example"},
            "contacts": {"path": Path("c.csv"), "dates": {"birthday": "B"}},
            "occasions": [{"name": "birthday", "field": "birthday", "template": "birthday"}],
        }
    )
    person = Contact(
        id="1",
        email="a@example.com",
        bad_dates=MappingProxyType({"birthday": "31.02.1980 is not a real date"}),
    )
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    items = list(plan([person], plan_window(config, now=now, start=now.date(), days=30)))
    assert [(i.hit.occasion, i.reason) for i in items] == [("birthday", "invalid_contact")]


# --------------------------------------------------------------------------- preview = daemon, pinned


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from greeter.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def _row(cid: str, birthday: str, first_deal: str = "") -> str:
    fields = [cid, f"c{cid}@example.com", "Иванов", "Иван", "Петрович", "", "ООО «Тест»", "Europe/Moscow"]
    return ";".join([*fields, "ru", "regular", "", birthday, "", first_deal, ""])


def _previewed(config: Path) -> list[dict[str, Any]]:
    code, out = _cli("--config", str(config), "preview", "--format", "json", "--from", "2027-03-10",
                     "--days", "10", "--now", "2027-03-10T09:00")  # fmt: skip
    assert code == 0, out
    items: list[dict[str, Any]] = json.loads(out)
    return items


def test_the_daemon_greets_a_sunday_birthday_on_friday_as_previewed(make_project: MakeProject) -> None:
    config = make_project([_row("1", "14.03.1980")])  # 2027-03-14 is a Sunday
    letter = next(i for i in _previewed(config) if i["status"] == "send")
    assert letter["send_at"].startswith("2027-03-12T")  # Friday
    code, out = _cli("--config", str(config), "send", "--once", "--json", "--now", letter["send_at"])
    assert code == 0 and json.loads(out)["sent"] == 1, out


def test_the_daemon_sends_the_merged_letter_preview_promised(make_project: MakeProject) -> None:
    config = make_project([_row("1", "12.03.1980", "16.03.2020")])  # Friday 12th, Tuesday 16th
    letter = next(i for i in _previewed(config) if i["status"] == "send")
    assert (letter["occasion"], letter["merged_with"]) == ("birthday", ["first_deal_anniversary"])
    code, out = _cli("--config", str(config), "send", "--once", "--json", "--now", letter["send_at"])
    assert code == 0 and json.loads(out)["sent"] == 1, out
    code, out = _cli("--config", str(config), "history", "--format", "json")
    sent = next(row for row in json.loads(out) if row["occasion"] == "birthday")
    assert sent["merged"] == ["first_deal_anniversary"]
