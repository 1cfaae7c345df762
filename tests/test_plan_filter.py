"""The planner's pre-filter (:class:`greeter.plan_filter.HitFilter`) never changes a plan.

:func:`greeter.planner.plan` skips contacts the filter rules out; the claim is
that their plan would have been empty. Checked two ways:

* exhaustively, for every month and day of a leap year (29 February
  included), on daemon-shaped and preview-shaped windows around New Year and
  February of common and leap years, with both ``leap_day`` rules and with
  ``days_before``: the filter lets a contact through **exactly** when
  :func:`greeter.occasions.contact_hits` finds a hit (so it is neither wrong
  nor uselessly loose);
* by property (hypothesis): random contacts (29 February, bad and missing
  dates, several fields), fixed occasions on or off, random windows and
  history — ``plan`` equals planning every contact one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greeter.config import Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.occasions import contact_hits
from greeter.plan_filter import hit_filter
from greeter.plan_types import PastGreeting, PlanItem
from greeter.planner import PlanWindow, contact_zone, plan, plan_contact, plan_window
from tests.conftest import TODAY

CONFIG = """\
sender: {{name: Shop, email: hello@shop.example}}
defaults: {{timezone: Europe/Moscow, country: RU}}
contacts:
  path: c.csv
  dates: {{birthday: B, first_deal: D, founded: F}}
occasions:
  - {{name: birthday, field: birthday, template: t, priority: 100}}
  - {{name: early_birthday, field: birthday, template: t, days_before: {days_before}}}
  - {{name: first_deal, field: first_deal, template: t, priority: 70}}
  - {{name: founded, field: founded, template: t, audience: {{round_years: 5}}}}
{fixed}
frequency_cap: {{max_count: 6, window_days: 365, min_gap_days: 14}}
catch_up_days: 3
leap_day: {leap_day}
"""
FIXED = """\
  - {name: new_year, date: "12-29", template: t}
  - {name: womens_day, holiday: "International Women's Day", template: t}
  - {name: thanks, on: [2028-02-27], template: t}
"""
ZONES = ["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad", "America/New_York"]


@lru_cache(maxsize=32)
def config(leap_day: str, days_before: int, fixed: bool) -> Settings:
    text = CONFIG.format(leap_day=leap_day, days_before=days_before, fixed=FIXED if fixed else "")
    return parse_settings(text, "g.yaml", today=TODAY)


def person(cid: str, tz: str | None = None, bad: Sequence[str] = (), **dates: date) -> Contact:
    return Contact(
        id=cid,
        email=f"{cid}@example.com",
        timezone=tz,
        dates=MappingProxyType(dates),
        bad_dates=MappingProxyType({field: "31.02.1980 is not a date" for field in bad}),
    )


def has_hits(contact: Contact, pw: PlanWindow) -> bool:
    """Whether ``contact`` has an occasion through ``sim_end``: the fixed days past it are only the
    cap's look-ahead (:attr:`PlanWindow.cap_until`), which decides nothing of a contact without one."""
    today = pw.now.astimezone(contact_zone(contact, pw.settings)).date()
    fixed = {name: [d for d in days if d <= pw.sim_end] for name, days in pw.fixed.items()}
    found = contact_hits(contact, pw.settings, pw.sim_start, pw.sim_end, today=today, fixed=fixed)
    return next(iter(found), None) is not None


def windows(settings: Settings, first: date) -> list[PlanWindow]:
    """The daemon's window (ten days back, through tomorrow) and two preview-shaped ones."""
    now = datetime.combine(first + timedelta(days=10), time(11), UTC)
    early = datetime.combine(first - timedelta(days=20), time(11), UTC)
    return [
        plan_window(settings, now=now, start=first, days=12),
        plan_window(settings, now=early, start=first, days=1),
        plan_window(settings, now=early, start=first, days=9),
    ]


def starts() -> list[date]:
    """Window starts across two New Years, a common and a leap February (2027, 2028, 2029)."""
    days: list[date] = []
    for first, last in (
        (date(2026, 12, 12), date(2027, 1, 5)),
        (date(2027, 2, 10), date(2027, 3, 5)),
        (date(2028, 2, 10), date(2028, 3, 5)),
        (date(2028, 12, 25), date(2029, 1, 2)),
    ):
        days += [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return days


@pytest.mark.parametrize("leap_day", ["feb28", "mar1"])
@pytest.mark.parametrize("days_before", [0, 9])
def test_the_filter_is_exact_for_every_day_of_the_year(leap_day: str, days_before: int) -> None:
    settings = config(leap_day, days_before, fixed=False)
    # Every month/day of a leap year as a birthday (1984-01-01 … 1984-12-31, 29 February included).
    people = [person(f"b{i}", birthday=date(1984, 1, 1) + timedelta(days=i)) for i in range(366)]
    people.append(person("none"))
    people.append(person("bad", bad=["birthday"]))
    checked = passed = 0
    for first in starts():
        for pw in windows(settings, first):
            may_have_hits = hit_filter(pw)
            for p in people:
                expected = has_hits(p, pw)
                assert may_have_hits(p) == expected, (p.id, p.dates, pw.sim_start, pw.sim_end)
                checked += 1
                passed += expected
    assert passed > 0 and passed < checked  # the filter both lets through and rules out


def test_a_fixed_occasion_in_the_window_lets_everyone_through() -> None:
    settings = config("feb28", 0, fixed=True)
    pw = plan_window(settings, now=datetime(2027, 3, 1, 9, tzinfo=UTC), start=date(2027, 3, 1), days=12)
    assert hit_filter(pw).everyone  # 8 March is in the window
    quiet = plan_window(settings, now=datetime(2027, 6, 1, 9, tzinfo=UTC), start=date(2027, 6, 1), days=12)
    assert not hit_filter(quiet).everyone
    assert not hit_filter(quiet)(person("x", birthday=date(1980, 9, 1)))


def one_by_one(
    contacts: Sequence[Contact], pw: PlanWindow, history: dict[str, list[PastGreeting]]
) -> list[PlanItem]:
    return [item for c in contacts for item in plan_contact(c, pw, history.get(c.id, ()))]


def _day(lo: date, hi: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=lo, max_value=hi)


#: Dates that matter most: 29 February, the turn of the year, and any other day.
DATES = st.one_of(
    st.sampled_from(
        [date(1984, 2, 29), date(1980, 2, 28), date(1980, 3, 1), date(1990, 12, 31), date(1990, 1, 1)]
    ),
    _day(date(1950, 1, 1), date(2025, 12, 31)),
)
FIELDS = ("birthday", "first_deal", "founded")


@st.composite
def contacts(draw: st.DrawFn, cid: str) -> Contact:
    dates = {name: draw(DATES) for name in FIELDS if draw(st.booleans())}
    bad = [name for name in FIELDS if name not in dates and draw(st.integers(0, 9)) == 0]
    if draw(st.integers(0, 19)) == 0:  # a date in the future: a contact error, still a hit
        dates["birthday"] = date(2090, 5, 5)
    return person(cid, tz=draw(st.sampled_from([None, *ZONES])), bad=bad, **dates)


@st.composite
def cases(draw: st.DrawFn) -> tuple[PlanWindow, list[Contact], dict[str, list[PastGreeting]]]:
    settings = config(
        draw(st.sampled_from(["feb28", "mar1"])), draw(st.sampled_from([0, 1, 30, 60])), draw(st.booleans())
    )
    first = draw(_day(date(2026, 12, 1), date(2029, 3, 31)))
    days = draw(st.sampled_from([1, 2, 7, 12, 40, 400]))
    now = datetime.combine(
        first + timedelta(days=draw(st.integers(-30, 15))), time(draw(st.integers(0, 23))), UTC
    )
    people = [draw(contacts(f"c{i}")) for i in range(draw(st.integers(1, 6)))]
    history: dict[str, list[PastGreeting]] = {}
    for p in people:
        if "birthday" in p.dates and draw(st.booleans()):
            day = first - timedelta(days=draw(st.integers(0, 40)))
            history[p.id] = [PastGreeting(p.id, "first_deal", day, day)]
    return plan_window(settings, now=now, start=first, days=days), people, history


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(cases())
def test_filtered_and_unfiltered_plans_are_identical(
    case: tuple[PlanWindow, list[Contact], dict[str, list[PastGreeting]]],
) -> None:
    pw, people, history = case
    assert list(plan(people, pw, history)) == one_by_one(people, pw, history)
    may_have_hits = hit_filter(pw)
    for p in people:
        if not may_have_hits(p):
            assert not has_hits(p, pw)


def test_a_holiday_without_country_dated_by_a_clients_country_lets_that_client_through() -> None:
    """«Victory Day» without ``country:`` is each client's own: 9 May for the Russian company's
    default, 23 June (Võidupüha) for a client in Estonia. A June window holds no default-country
    holiday, and the filter, which looked at the default's dates alone, ruled the Estonian client
    out: a daemon running in June never greeted Estonia's Victory Day (found with an ``EE`` team)."""
    text = CONFIG.format(
        leap_day="feb28",
        days_before=0,
        fixed='  - {name: victory_day, holiday: "Victory Day", template: t}\n',
    )
    settings = parse_settings(text, "g.yaml", today=TODAY)
    estonian = Contact(id="ee", email="ee@example.com", country="EE", timezone="Europe/Tallinn")
    russian = Contact(id="ru", email="ru@example.com", country="RU")
    other = Contact(id="de", email="de@example.com", country="DE")  # no holiday of that name: the default's
    now = datetime(2027, 6, 14, 9, tzinfo=UTC)
    pw = plan_window(settings, now=now, start=date(2027, 6, 14), days=14)
    # The default country's 9 May is not in the window (next year's is, for the cap's look-ahead).
    assert not [d for d in pw.fixed["victory_day"] if d <= pw.sim_end]
    may_have_hits = hit_filter(pw)
    people = [estonian, russian, other]
    assert [p.id for p in people if may_have_hits(p)] == ["ee"]
    for p in people:
        assert may_have_hits(p) == has_hits(p, pw), p.id
    planned = list(plan(people, pw))
    assert planned == one_by_one(people, pw, {})
    assert [(i.hit.contact.id, i.hit.occasion, i.hit.date) for i in planned] == [
        ("ee", "victory_day", date(2027, 6, 23))
    ]
