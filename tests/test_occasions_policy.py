"""Pure occasion finding and the frequency cap, as tables with ``today`` passed in."""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

import pytest

from greeter.config import Audience, FrequencyCap, Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.occasions import anniversary, contact_hits, holiday_dates
from greeter.plan_types import Hit, PastGreeting
from greeter.policy import Candidate, apply_cap, cap_refusal, in_audience, precheck
from tests.conftest import TODAY

BASE = """\
sender: {name: Shop, email: hello@shop.example}
contacts:
  path: c.csv
  dates: {birthday: B, company_founded: C, first_deal: D}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: company_anniversary, field: company_founded, template: company, priority: 80,
     audience: {tiers: [VIP], round_years: 5}}
  - {name: first_deal, field: first_deal, template: first_deal, priority: 70, days_before: 1}
  - {name: new_year, date: "12-29", template: new_year, priority: 60}
  - {name: womens_day, holiday: "International Women's Day", template: holiday, priority: 30}
  - {name: thanks, on: [2027-03-15], template: thanks, priority: 10}
"""


@pytest.fixture(scope="module")
def settings() -> Settings:
    return parse_settings(BASE, "g.yaml", today=TODAY)


def person(**dates: date) -> Contact:
    return Contact(id="7", email="ivan@example.com", first_name="Иван", dates=MappingProxyType(dates))


@pytest.mark.parametrize(
    ("born", "year", "policy", "expected"),
    [
        (date(1980, 2, 29), 2028, "feb28", date(2028, 2, 29)),  # leap year: the day itself
        (date(1980, 2, 29), 2027, "feb28", date(2027, 2, 28)),
        (date(1980, 2, 29), 2027, "mar1", date(2027, 3, 1)),
        (date(1980, 3, 1), 2027, "feb28", date(2027, 3, 1)),
        (date(1980, 12, 31), 2026, "feb28", date(2026, 12, 31)),
    ],
)
def test_anniversary_table(born: date, year: int, policy: str, expected: date) -> None:
    assert anniversary(born, year, policy) == expected


def test_years_and_kinds_over_a_year(settings: Settings) -> None:
    c = person(birthday=date(1986, 1, 2), company_founded=date(2012, 6, 1), first_deal=date(2020, 3, 10))
    hits = list(contact_hits(c, settings, date(2027, 1, 1), date(2027, 12, 31), today=date(2026, 12, 1)))
    got = {(h.occasion, h.date, h.years) for h in hits}
    assert got == {
        ("birthday", date(2027, 1, 2), 41),
        ("company_anniversary", date(2027, 6, 1), 15),
        ("first_deal", date(2027, 3, 10), 7),
        ("new_year", date(2027, 12, 29), None),
        ("womens_day", date(2027, 3, 8), None),
        ("thanks", date(2027, 3, 15), None),
    }


def test_days_before_shifts_the_range_edge(settings: Settings) -> None:
    c = person(first_deal=date(2020, 3, 10))
    # greeting day is 9 March (one day before): in a range ending on the 9th it is found…
    hits = list(contact_hits(c, settings, date(2027, 3, 1), date(2027, 3, 9), today=date(2027, 1, 1)))
    assert [(h.occasion, h.date) for h in hits if h.occasion == "first_deal"] == [
        ("first_deal", date(2027, 3, 10))
    ]
    # …and not in a range starting on the 10th
    hits = list(contact_hits(c, settings, date(2027, 3, 10), date(2027, 3, 20), today=date(2027, 1, 1)))
    assert not [h for h in hits if h.occasion == "first_deal"]


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (date(2090, 5, 1), "is in the future"),
        (date(1890, 5, 1), "gives 137 years (more than 120)"),
    ],
)
def test_implausible_dates_are_problems_not_greetings(settings: Settings, born: date, problem: str) -> None:
    hits = [
        h
        for h in contact_hits(
            person(birthday=born), settings, date(2027, 4, 1), date(2027, 5, 31), today=date(2027, 1, 1)
        )
        if h.occasion == "birthday"
    ]
    assert len(hits) == 1 and hits[0].problem is not None and problem in hits[0].problem


def test_unparseable_date_from_the_source_becomes_one_problem_hit(settings: Settings) -> None:
    c = Contact(
        id="1",
        email="a@example.com",
        bad_dates=MappingProxyType({"birthday": "31.02.1980 is not a real date"}),
    )
    hits = [
        h
        for h in contact_hits(c, settings, date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 1, 1))
        if h.occasion == "birthday"
    ]
    assert [(h.date, h.problem) for h in hits] == [(date(2027, 1, 1), "31.02.1980 is not a real date")]


def test_birth_year_itself_is_not_an_anniversary(settings: Settings) -> None:
    c = person(company_founded=date(2027, 6, 1))
    hits = list(contact_hits(c, settings, date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 12, 1)))
    assert not [h for h in hits if h.occasion == "company_anniversary"]


def test_holiday_lookup_by_library_name() -> None:
    assert holiday_dates("RU", "Defender of the Fatherland Day", 2027) == (date(2027, 2, 23),)
    assert holiday_dates("RU", "defender of the fatherland day", 2027) == (date(2027, 2, 23),)
    assert holiday_dates("RU", "No Such Day", 2027) == ()


@pytest.mark.parametrize(
    ("audience", "tier", "tags", "years", "why"),
    [
        (Audience(tiers=["VIP"]), "vip", frozenset(), 3, ""),
        (Audience(tiers=["VIP"]), "regular", frozenset(), 3, "tier 'regular' is not one of: VIP"),
        (Audience(tiers=["VIP"]), None, frozenset(), 3, "tier '(none)' is not one of: VIP"),
        (Audience(tags=["8mar"]), None, frozenset({"8mar", "x"}), None, ""),
        (Audience(tags=["8mar"]), None, frozenset({"23feb"}), None,
         "has none of the tags 8mar (the contact's tags: 23feb)"),
        (Audience(round_years=5), None, frozenset(), 15, ""),
        (Audience(tiers=["VIP"], round_years=5), "VIP", frozenset(), 29,
         "29 years is not a multiple of 5 (round_years)"),
        (Audience(round_years=5), None, frozenset(), None, "round_years needs years to count, and this occasion has none"),
        (Audience(min_years=2), None, frozenset(), 1, "1 years is fewer than 2 (min_years)"),
        (Audience(contacts=["7"]), None, frozenset(), None, "not one of the audience's contacts"),
        (Audience(), None, frozenset(), None, ""),
    ],
)  # fmt: skip
def test_audience_table(
    audience: Audience, tier: str | None, tags: frozenset[str], years: int | None, why: str
) -> None:
    c = Contact(id="1", email="a@example.com", tier=tier, tags=tags)
    assert in_audience(audience, c, years) is (why == "")
    # The skip's detail names the rule that left the contact out (the first that does).
    hit = Hit(c, "anniversary", date(2027, 1, 2), years, 100, "t")
    refusal = precheck(hit, audience=audience, past_keys={}, suppressed=False)
    assert refusal == (("outside_audience", why) if why else None)


def test_precheck_reasons_in_order() -> None:
    c = Contact(id="1", email=None)
    hit = Hit(c, "birthday", date(2027, 1, 2), 40, 100, "birthday")
    assert precheck(hit, audience=Audience(), past_keys={}, suppressed=False) == (
        "no_email",
        "the contact has no e-mail address",
    )
    assert (
        precheck(
            hit, audience=Audience(), past_keys={("birthday", date(2027, 1, 2)): "sent"}, suppressed=False
        )[0]
        == "already_sent"
    )  # type: ignore[index]
    bad = Hit(c, "birthday", date(2027, 1, 2), 40, 100, "birthday", problem="x")
    assert precheck(bad, audience=Audience(), past_keys={}, suppressed=True) == ("invalid_contact", "x")
    ok = Hit(Contact(id="1", email="a@example.com"), "birthday", date(2027, 1, 2), 40, 100, "birthday")
    assert precheck(ok, audience=Audience(), past_keys={}, suppressed=True)[0] == "suppressed"  # type: ignore[index]
    assert precheck(ok, audience=Audience(), past_keys={}, suppressed=False) is None


def cand(name: str, day: date, priority: int) -> Candidate:
    c = Contact(id="1", email="a@example.com")
    return Candidate(Hit(c, name, day, None, priority, name), day)


def test_new_year_and_birthday_merge_into_one_message_led_by_priority() -> None:
    cap = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
    verdicts = apply_cap(
        [cand("new_year", date(2026, 12, 29), 60), cand("birthday", date(2027, 1, 2), 100)], [], cap
    )
    by_name = {v.candidate.hit.occasion: v for v in verdicts}
    assert by_name["birthday"].status == "send"
    assert [h.occasion for h in by_name["birthday"].also] == ["new_year"]
    assert (by_name["new_year"].status, by_name["new_year"].reason, by_name["new_year"].merged_into) == (
        "skip",
        "merged",
        "birthday",
    )


def test_rule_of_six_over_a_year_with_many_occasions() -> None:
    cap = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
    start = date(2027, 1, 4)
    cands = [
        cand(f"o{i}", start + timedelta(days=20 * i), 50) for i in range(10)
    ]  # 10 occasions, 20 days apart
    verdicts = apply_cap(cands, [], cap)
    sent = [v for v in verdicts if v.status == "send"]
    assert len(sent) == 6
    assert [v.candidate.hit.occasion for v in sent] == ["o0", "o1", "o2", "o3", "o4", "o5"]
    assert {v.reason for v in verdicts if v.status == "skip"} == {"frequency_cap"}
    assert len(verdicts) == 10  # nothing silently dropped


def test_history_counts_against_gap_and_window() -> None:
    cap = FrequencyCap(max_count=2, window_days=365, min_gap_days=14)
    past = [
        PastGreeting("1", "x", date(2027, 1, 10), date(2027, 1, 10)),
        PastGreeting("1", "y", date(2027, 3, 1), date(2027, 3, 1)),
    ]
    verdicts = apply_cap([cand("birthday", date(2027, 6, 1), 100)], past, cap)
    assert (verdicts[0].status, verdicts[0].reason) == ("skip", "frequency_cap")
    assert "max_count 2" in verdicts[0].detail
    verdicts = apply_cap([cand("birthday", date(2027, 1, 15), 100)], past[:1], FrequencyCap(min_gap_days=14))
    assert verdicts[0].reason == "frequency_cap" and "min_gap_days 14" in verdicts[0].detail


@pytest.mark.parametrize(
    ("day", "taken", "fits"),
    [
        (date(2027, 6, 1), [], True),
        (date(2027, 6, 1), [date(2027, 5, 19)], False),  # 13 days before: too close
        (date(2027, 6, 1), [date(2027, 5, 18)], True),  # exactly 14 days
        (date(2027, 6, 1), [date(2027, 6, 10)], False),  # a later claimed greeting 9 days after
    ],
)
def test_gap_both_sides(day: date, taken: list[date], fits: bool) -> None:
    cap = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
    assert (cap_refusal(day, taken, cap) == "") is fits


def test_window_check_looks_forward_too() -> None:
    cap = FrequencyCap(max_count=2, window_days=30, min_gap_days=0)
    # two greetings 10 and 20 days later: a window of 30 days containing all three exists
    assert cap_refusal(date(2027, 1, 1), [date(2027, 1, 11), date(2027, 1, 21)], cap) != ""
    assert cap_refusal(date(2027, 1, 1), [date(2027, 1, 11), date(2027, 2, 21)], cap) == ""
