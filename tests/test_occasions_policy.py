"""Pure occasion finding and the frequency cap, as tables with ``today`` passed in."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from types import MappingProxyType

import pytest

from greeter.audience import in_audience
from greeter.cap_rules import cap_refusal
from greeter.config import Audience, FrequencyCap, Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.occasions import anniversary, contact_hits, holiday_dates
from greeter.plan_types import Hit, PastGreeting
from greeter.policy import Candidate, apply_cap
from greeter.precheck import precheck
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


@pytest.mark.parametrize("with_riders", [False, True], ids=["groups-only", "with-riders"])
def test_rule_of_six_over_a_year_holds_when_letters_carry_later_occasions(with_riders: bool) -> None:
    """A year of seasons 30 days apart, each a low-priority occasion, a birthday-like lead 13 days
    later and (with riders) another the day after the letter: six letters, no more, each carrying
    the rest of its season; the seventh season on is refused by max_count, every member saying so."""
    start = date(2027, 1, 4)
    cands = []
    for season in range(12):
        day = start + timedelta(days=30 * season)
        cands += [cand(f"early{season}", day, 30), cand(f"lead{season}", day + timedelta(days=13), 100)]
        if with_riders:
            cands.append(cand(f"late{season}", day + timedelta(days=14), 60))
    verdicts = apply_cap(cands, [], GAP14)
    assert len(verdicts) == len(cands)  # nothing silently dropped
    sent = [v for v in verdicts if v.status == "send"]
    assert [v.candidate.hit.occasion for v in sent] == [f"lead{n}" for n in range(6)]
    for n, v in enumerate(sent):
        assert [h.occasion for h in v.also] == [f"early{n}", f"late{n}"][: 2 if with_riders else 1]
    days = [v.candidate.day for v in sent]
    assert all((b - a).days >= 14 for a, b in pairwise(days))
    season = {c.hit.occasion: (c.day - start).days // 30 for c in cands}
    later = [v for v in verdicts if season[v.candidate.hit.occasion] >= 6]
    assert len(later) == len(cands) // 2
    assert all(v.reason == "frequency_cap" and "max_count 6" in v.detail for v in later)


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


def late(name: str, planned: date, day: date, priority: int, *, expired: bool = False) -> Candidate:
    """A candidate whose planned moment passed unsent: it would leave on ``day`` (catch-up)."""
    c = Contact(id="1", email="a@example.com")
    return Candidate(Hit(c, name, planned, None, priority, name), day, planned_day=planned, expired=expired)


def gone(name: str, planned: date, priority: int) -> Candidate:
    """Past its catch-up period (the planner's key: the planned day, no catch-up day)."""
    c = Contact(id="1", email="a@example.com")
    return Candidate(Hit(c, name, planned, None, priority, name), planned, expired=True)


def sent_on(day: date) -> PastGreeting:
    return PastGreeting("1", "earlier", day, day)


D = date
GAP14 = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
#: H2: the birthday left on 10 December; the CRM then filled in a first-deal date, 17 December.
BDAY_10_12 = [sent_on(D(2026, 12, 10))]
#: What the group {first_deal 17.12, new_year 29.12} must come to at every ``now``.
NEW_YEAR_CARRIES_FIRST_DEAL = {
    "first_deal": ("skip", "merged", "new_year", "sent with new_year"),
    "new_year": ("send", None, None, ""),
}


#: What the group {first_deal 15.12, birthday 28.12} and New Year 29.12 must come to at every ``now``.
BIRTHDAY_CARRIES_BOTH = {
    "first_deal": ("skip", "merged", "birthday", "sent with birthday"),
    "birthday": ("send", None, None, ""),
    "new_year": ("skip", "merged", "birthday", "sent with birthday"),
}


@pytest.mark.parametrize(
    ("cands", "past", "expected"),
    [
        # H1: the 8 March letter missed Friday 06.03 (downtime; Monday 09.03 a holiday) and would
        # leave on 10.03, 10 days before the birthday letter planned on time: it must not take
        # the birthday's place. It yields, and says to what.
        pytest.param(
            [late("womens_day", D(2026, 3, 6), D(2026, 3, 10), 30), cand("birthday", D(2026, 3, 20), 100)],
            [],
            {"womens_day": ("skip", "frequency_cap", None,
                            "a belated letter now would come only 10 days before the birthday greeting "
                            "of 2026-03-20, of a higher priority (min_gap_days 14)"),
             "birthday": ("send", None, None, "")},
            id="H1-belated-yields-to-timely-higher-priority",
        ),
        pytest.param(  # a day later it is still so (its catch-up day only moves nearer)
            [late("womens_day", D(2026, 3, 6), D(2026, 3, 11), 30), cand("birthday", D(2026, 3, 20), 100)],
            [],
            {"womens_day": ("skip", "frequency_cap", None, "only 9 days before the birthday"),
             "birthday": ("send", None, None, "")},
            id="H1-next-day",
        ),
        pytest.param(  # ties go to the timely letter: both cannot go, and it is not an apology
            [late("womens_day", D(2026, 3, 6), D(2026, 3, 10), 30), cand("spring", D(2026, 3, 20), 30)],
            [],
            {"womens_day": ("skip", "frequency_cap", None, "of the same priority"),
             "spring": ("send", None, None, "")},
            id="H1-tie-goes-to-the-timely-one",
        ),
        pytest.param(  # a lower-priority timely letter still yields to the belated higher one
            [late("birthday", D(2026, 3, 6), D(2026, 3, 10), 100), cand("womens_day", D(2026, 3, 20), 30)],
            [],
            {"birthday": ("send", None, None, ""),
             "womens_day": ("skip", "frequency_cap", None, "only 10 days from the greeting of 2026-03-10")},
            id="H1-belated-higher-priority-still-wins",
        ),
        pytest.param(  # far enough from the next letter: the belated one goes
            [late("womens_day", D(2026, 3, 6), D(2026, 3, 10), 30), cand("birthday", D(2026, 3, 24), 100)],
            [],
            {"womens_day": ("send", None, None, ""), "birthday": ("send", None, None, "")},
            id="H1-no-collision",
        ),
        pytest.param(  # the timely one is refused anyway (history): nothing to yield to
            [late("womens_day", D(2026, 3, 6), D(2026, 3, 10), 30), cand("birthday", D(2026, 3, 20), 100)],
            [sent_on(D(2026, 3, 27))],
            {"womens_day": ("send", None, None, ""),
             "birthday": ("skip", "frequency_cap", None, "only 10 days from the greeting of 2026-03-10")},
            id="H1-timely-one-refused-by-history",
        ),
        # H2: the group's best lead (first_deal 17.12, 7 days after the birthday letter) does not
        # fit; New Year on 29.12 (19 days after) does, and carries it — the same at every now.
        pytest.param(
            [cand("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60)],
            BDAY_10_12, NEW_YEAR_CARRIES_FIRST_DEAL, id="H2-before-its-day",
        ),
        pytest.param(
            [late("first_deal", D(2026, 12, 17), D(2026, 12, 18), 70), cand("new_year", D(2026, 12, 29), 60)],
            BDAY_10_12, NEW_YEAR_CARRIES_FIRST_DEAL, id="H2-late-refused-on-its-day-rides-along",
        ),
        pytest.param(
            [late("first_deal", D(2026, 12, 17), D(2026, 12, 24), 70, expired=True),
             cand("new_year", D(2026, 12, 29), 60)],
            BDAY_10_12, NEW_YEAR_CARRIES_FIRST_DEAL, id="H2-missed-window-too-late",
        ),
        pytest.param(
            [gone("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60)],
            BDAY_10_12, NEW_YEAR_CARRIES_FIRST_DEAL, id="H2-expired",
        ),
        pytest.param(  # nothing in the group fits: each member says its own reason
            [cand("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60)],
            [sent_on(D(2026, 12, 20))],
            {"first_deal": ("skip", "frequency_cap", None, "only 3 days from the greeting of 2026-12-20"),
             "new_year": ("skip", "frequency_cap", None, "only 9 days from the greeting of 2026-12-20")},
            id="H2-no-member-fits",
        ),
        pytest.param(  # alone, a late one refused on its day is still skipped, as before
            [late("first_deal", D(2026, 12, 17), D(2026, 12, 18), 70)],
            BDAY_10_12,
            {"first_deal": ("skip", "frequency_cap", None,
                            "on its day 2026-12-17: only 7 days from the greeting of 2026-12-10")},
            id="late-alone-refused-on-its-day",
        ),
        # Fallback leads (policy defect 2): the New Year letter that leads in the refused first
        # deal's place must not push the birthday 11 days later out of the gap.
        pytest.param(
            [cand("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60),
             cand("birthday", D(2027, 1, 9), 100)],
            BDAY_10_12,
            {"first_deal": ("skip", "frequency_cap", None, "only 7 days from the greeting of 2026-12-10"),
             "new_year": ("skip", "frequency_cap", None,
                          "leading the letter on 2026-12-29, it would come only 11 days before the "
                          "birthday greeting of 2027-01-09, of a higher priority (min_gap_days 14)"),
             "birthday": ("send", None, None, "")},
            id="fallback-lead-yields-to-a-later-birthday",
        ),
        pytest.param(  # once the first deal's skip is journaled, New Year merges into the birthday
            [cand("new_year", D(2026, 12, 29), 60), cand("birthday", D(2027, 1, 9), 100)],
            BDAY_10_12,
            {"new_year": ("skip", "merged", "birthday", "sent with birthday"),
             "birthday": ("send", None, None, "")},
            id="fallback-lead-yielded-next-day",
        ),
        pytest.param(  # the next fallback, earlier, crowds nothing out: it leads and carries both
            [cand("first_deal", D(2026, 12, 17), 90), cand("new_year", D(2026, 12, 29), 60),
             cand("company_day", D(2026, 12, 24), 50), cand("birthday", D(2027, 1, 9), 100)],
            BDAY_10_12,
            {"first_deal": ("skip", "merged", "company_day", "sent with company_day"),
             "new_year": ("skip", "merged", "company_day", "sent with company_day"),
             "company_day": ("send", None, None, ""),
             "birthday": ("send", None, None, "")},
            id="fallback-lead-next-member-fits",
        ),
        pytest.param(  # a later letter of the fallback's own priority: the earlier one wins, as
            # always — and, 11 days after the letter, rides in it rather than being dropped
            [cand("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60),
             cand("spring", D(2027, 1, 9), 60)],
            BDAY_10_12,
            {"first_deal": ("skip", "merged", "new_year", "sent with new_year"),
             "new_year": ("send", None, None, ""),
             "spring": ("skip", "merged", "new_year", "sent with new_year")},
            id="fallback-lead-same-priority-stays",
        ),
        # M: the group {first_deal 15.12, birthday 28.12} is anchored on the 15th, but its letter
        # leaves on the 28th: New Year on the 29th, one day after the letter, rides in it (it was
        # skipped as "only 1 days from the greeting of 2026-12-28" while the 13-day-old first deal
        # was carried). The same at every now: before the first deal's day, late, expired.
        pytest.param(
            [cand("first_deal", D(2026, 12, 15), 70), cand("birthday", D(2026, 12, 28), 100),
             cand("new_year", D(2026, 12, 29), 60)],
            [], BIRTHDAY_CARRIES_BOTH, id="M-lead-after-the-first-carries-the-next-day",
        ),
        pytest.param(
            [late("first_deal", D(2026, 12, 15), D(2026, 12, 16), 70), cand("birthday", D(2026, 12, 28), 100),
             cand("new_year", D(2026, 12, 29), 60)],
            [], BIRTHDAY_CARRIES_BOTH, id="M-first-deal-late",
        ),
        pytest.param(
            [gone("first_deal", D(2026, 12, 15), 70), cand("birthday", D(2026, 12, 28), 100),
             cand("new_year", D(2026, 12, 29), 60)],
            [], BIRTHDAY_CARRIES_BOTH, id="M-first-deal-expired",
        ),
        pytest.param(  # without the first deal: unchanged, the birthday letter carries New Year
            [cand("birthday", D(2026, 12, 28), 100), cand("new_year", D(2026, 12, 29), 60)],
            [],
            {"birthday": ("send", None, None, ""), "new_year": ("skip", "merged", "birthday", "sent with birthday")},
            id="M-without-the-first-deal",
        ),
        pytest.param(  # without the birthday: 14 days apart, two letters (unchanged)
            [cand("first_deal", D(2026, 12, 15), 70), cand("new_year", D(2026, 12, 29), 60)],
            [],
            {"first_deal": ("send", None, None, ""), "new_year": ("send", None, None, "")},
            id="M-min-gap-apart-stay-two-letters",
        ),
        pytest.param(  # riders reach min_gap_days from the letter, no further: 11 January is 14 days
            # after it, its own letter; 10 January (13 days) rides along
            [cand("first_deal", D(2026, 12, 15), 70), cand("birthday", D(2026, 12, 28), 100),
             cand("spring", D(2027, 1, 10), 60), cand("company", D(2027, 1, 11), 80)],
            [],
            {"first_deal": ("skip", "merged", "birthday", "sent with birthday"),
             "birthday": ("send", None, None, ""),
             "spring": ("skip", "merged", "birthday", "sent with birthday"),
             "company": ("send", None, None, "")},
            id="M-riders-end-min-gap-days-after-the-letter",
        ),
        pytest.param(  # a stand-in lead still yields to a later higher priority: no rider then
            [cand("first_deal", D(2026, 12, 17), 70), cand("new_year", D(2026, 12, 29), 60),
             cand("birthday", D(2027, 1, 9), 100), cand("spring", D(2027, 1, 10), 50)],
            BDAY_10_12,
            {"first_deal": ("skip", "frequency_cap", None, "only 7 days from the greeting of 2026-12-10"),
             "new_year": ("skip", "frequency_cap", None, "leading the letter on 2026-12-29"),
             "birthday": ("send", None, None, ""),
             "spring": ("skip", "merged", "birthday", "sent with birthday")},
            id="M-stand-in-still-yields",
        ),
        pytest.param(  # a catch-up letter's riders are bounded by the day it was planned for (31.12),
            # not the day it leaves (11.01): the belated rules are unchanged, and the first deal
            # of the 14th, 14 days after that plan, is decided on its own, as before
            [gone("new_year", D(2026, 12, 29), 60), late("birthday", D(2026, 12, 31), D(2027, 1, 11), 100),
             cand("first_deal", D(2027, 1, 14), 70)],
            [],
            {"new_year": ("skip", "merged", "birthday", "sent with birthday"),
             "birthday": ("send", None, None, ""),
             "first_deal": ("skip", "frequency_cap", None, "only 3 days from the greeting of 2027-01-11")},
            id="M-catch-up-letter-riders-end-by-its-planned-day",
        ),
        pytest.param(  # the history's greeting one day before: "1 day", not "1 days"
            [cand("birthday", D(2027, 3, 2), 100)],
            [sent_on(D(2027, 3, 1))],
            {"birthday": ("skip", "frequency_cap", None, "only 1 day from the greeting of 2027-03-01 ")},
            id="one-day-singular",
        ),
        pytest.param(  # the best (c, 10 days before a claimed greeting) does not fit: of the tied
            # others the earlier leads, and c rides along
            [cand("a", D(2027, 2, 1), 50), cand("b", D(2027, 2, 5), 50), cand("c", D(2027, 2, 10), 90)],
            [sent_on(D(2027, 2, 20))],
            {"c": ("skip", "merged", "a", "sent with a"), "a": ("send", None, None, ""),
             "b": ("skip", "merged", "a", "sent with a")},
            id="tie-after-a-refused-lead",
        ),
    ],
)  # fmt: skip
def test_cap_table(
    cands: list[Candidate],
    past: list[PastGreeting],
    expected: dict[str, tuple[str, str | None, str | None, str]],
) -> None:
    verdicts = apply_cap(cands, past, GAP14)
    got = {v.candidate.hit.occasion: v for v in verdicts}
    assert set(got) == set(expected) and len(verdicts) == len(cands)
    for name, (status, reason, merged_into, detail) in expected.items():
        v = got[name]
        assert (v.status, v.reason, v.merged_into) == (status, reason, merged_into), name
        assert detail in v.detail, (name, v.detail)
    # What a letter carries is exactly what is merged into it.
    for v in verdicts:
        if v.status == "send":
            carried = {h.occasion for h in v.also}
            assert carried == {n for n, w in got.items() if w.merged_into == v.candidate.hit.occasion}


def test_a_belated_letter_yields_to_a_timely_one_it_would_leave_no_slot() -> None:
    """The belated rule counts ``max_count`` too, not only the gap: with ``min_gap_days`` 0
    the catch-up letter of the 9th, leaving on the 11th, would be the second in 30 days and
    the timely letter of the 11th the third."""
    cap = FrequencyCap(max_count=2, window_days=30, min_gap_days=0)
    verdicts = apply_cap(
        [late("a", D(2027, 3, 9), D(2027, 3, 11), 50), cand("b", D(2027, 3, 11), 50)],
        [sent_on(D(2027, 3, 1))],
        cap,
    )
    got = {v.candidate.hit.occasion: (v.status, v.reason, v.detail) for v in verdicts}
    assert got == {
        "a": ("skip", "frequency_cap",
              "a belated letter now would come 0 days before the b greeting of 2027-03-11, which it "
              "would leave no slot, of the same priority (max_count 2 per 30 days)"),
        "b": ("send", None, ""),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("state", "detail"),
    [
        ("sent", "the journal already has this greeting (sent)"),
        (
            "retry",
            "the journal already has this greeting (retry): greeter send sends it again when its retry is due",
        ),
        (
            "failed",
            "the journal already has this greeting (failed): the server refused it for good;"
            " greeter failed resend puts it back in line",
        ),
    ],
)
def test_a_greeting_the_journal_holds_says_what_becomes_of_it(state: str, detail: str) -> None:
    """Preview listed a retry the next send hands over as "skip: already_sent … (retry)", which
    read as a skip for good."""
    hit = Hit(Contact(id="1", email="a@example.com"), "birthday", date(2027, 1, 2), 40, 100, "birthday")
    past = {("birthday", date(2027, 1, 2)): state}
    assert precheck(hit, audience=Audience(), past_keys=past, suppressed=False) == ("already_sent", detail)
