"""The whole pure planner, table-driven: ``now`` is passed in, nothing reads the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.plan_types import PastGreeting, PlanItem
from greeter.planner import occasion_starts, plan, plan_window
from tests.conftest import TODAY

CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Europe/Moscow, country: RU}
contacts:
  path: c.csv
  dates: {birthday: B, first_deal: D}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: first_deal, field: first_deal, template: first_deal, priority: 70}
  - {name: new_year, date: "12-29", template: new_year, priority: 60}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 14}
send_window:
  hours: {start: "10:00", end: "18:00"}
  lunch: {start: "13:00", end: "14:00"}
  friday_cutoff: "15:00"
  end_margin_minutes: 30
catch_up_days: 3
"""

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(scope="module")
def settings() -> Settings:
    return parse_settings(CONFIG, "g.yaml", today=TODAY)


def contact(
    cid: str = "1", tz: str | None = None, email: str | None = "a@example.com", **dates: date
) -> Contact:
    return Contact(
        id=cid,
        email=email,
        first_name="Иван",
        patronymic="Петрович",
        timezone=tz,
        dates=MappingProxyType(dates),
    )


def run(
    settings: Settings, contacts: list[Contact], now: datetime, start: date, days: int, **kw: object
) -> list[PlanItem]:
    pw = plan_window(settings, now=now, start=start, days=days)
    return list(plan(contacts, pw, **kw))  # type: ignore[arg-type]


def local_ok(at: datetime, friday: bool = False) -> None:
    """The moment lies in the window: 10:00–17:30, not 13:00–14:00, before 14:30 on Fridays."""
    t = at.timetz().replace(tzinfo=None)
    assert time(10) <= t < time(17, 30), at
    assert not time(13) <= t < time(14), at
    if friday:
        assert t < time(14, 30), at


def test_saturday_birthday_is_greeted_friday_morning_inside_the_window(settings: Settings) -> None:
    # 2027-03-13 is a Saturday
    items = run(
        settings,
        [contact(birthday=date(1980, 3, 13))],
        datetime(2027, 3, 1, 9, tzinfo=MSK),
        date(2027, 3, 1),
        30,
    )
    [item] = [i for i in items if i.hit.occasion == "birthday"]
    assert item.status == "send" and item.send_at is not None
    assert item.send_at.date() == date(2027, 3, 12)
    assert item.send_at.weekday() == 4
    local_ok(item.send_at, friday=True)
    assert item.hit.years == 47


def test_new_year_and_birthday_on_2_january_merge(settings: Settings) -> None:
    items = run(
        settings,
        [contact(birthday=date(1990, 1, 2))],
        datetime(2026, 12, 1, 9, tzinfo=MSK),
        date(2026, 12, 25),
        14,
    )
    sent = [i for i in items if i.status == "send"]
    assert len(sent) == 1
    assert sent[0].hit.occasion == "birthday"
    assert sent[0].merged_with == ["new_year"]
    merged = [i for i in items if i.reason == "merged"]
    assert [(i.hit.occasion, i.merged_into) for i in merged] == [("new_year", "birthday")]
    # 2 January 2027 falls in the Russian New Year holidays: the letter leaves before them
    assert sent[0].send_at is not None and sent[0].send_at.date() < date(2027, 1, 1)


def test_29_february_in_a_common_year(settings: Settings) -> None:
    items = run(
        settings,
        [contact(birthday=date(1984, 2, 29))],
        datetime(2027, 2, 1, 9, tzinfo=MSK),
        date(2027, 2, 1),
        40,
    )
    [item] = [i for i in items if i.hit.occasion == "birthday"]
    assert item.hit.date == date(2027, 2, 28)  # Sunday → sent Friday 26th
    assert item.send_at is not None and item.send_at.date() == date(2027, 2, 26)
    leap = run(
        settings,
        [contact(birthday=date(1984, 2, 29))],
        datetime(2028, 2, 1, 9, tzinfo=MSK),
        date(2028, 2, 1),
        40,
    )
    assert [i.hit.date for i in leap if i.hit.occasion == "birthday"] == [date(2028, 2, 29)]


def test_vladivostok_and_kaliningrad_get_their_own_windows(settings: Settings) -> None:
    day = date(2027, 4, 14)  # a Wednesday
    people = [
        contact("v", "Asia/Vladivostok", birthday=date(1980, 4, 14)),
        contact("k", "Europe/Kaliningrad", birthday=date(1980, 4, 14)),
    ]
    items = {
        i.hit.contact.id: i
        for i in run(settings, people, datetime(2027, 4, 1, tzinfo=MSK), day, 1)
        if i.status == "send"
    }
    v, k = items["v"].send_at, items["k"].send_at
    assert v is not None and k is not None
    assert str(v.tzinfo) == "Asia/Vladivostok" and str(k.tzinfo) == "Europe/Kaliningrad"
    local_ok(v)
    local_ok(k)
    assert v.date() == k.date() == day
    # Vladivostok's working day ends (17:30 local = 07:30 UTC) before Kaliningrad's begins (10:00 = 08:00 UTC)
    assert v.astimezone(ZoneInfo("UTC")) < k.astimezone(ZoneInfo("UTC"))


def test_missed_by_one_day_is_belated_and_older_ones_expire(settings: Settings) -> None:
    now = datetime(2027, 4, 15, 11, 0, tzinfo=MSK)  # Thursday
    people = [contact("late", birthday=date(1980, 4, 14)), contact("old", birthday=date(1980, 4, 5))]
    items = {i.hit.contact.id: i for i in run(settings, people, now, date(2027, 4, 1), 20)}
    late, old = items["late"], items["old"]
    assert late.status == "send" and late.belated
    assert late.send_at is not None and late.send_at >= now
    assert (old.status, old.reason) == ("skip", "expired")


def test_a_missed_greeting_whose_next_window_is_past_its_catch_up_expires_now(settings: Settings) -> None:
    """Missed on 29 December, the next working day is 11 January: more than catch_up_days (3) late.

    Preview promised "send (belated) 11.01" while the run on 11 January found
    it expired. Both now say expired; one missed on 28 December and caught up
    on the 30th (two days late) is still sent.
    """
    now = datetime(2026, 12, 30, 17, 0, tzinfo=MSK)  # after the last window before the holidays
    people = [contact("ny", birthday=date(1980, 6, 1)), contact("bd", birthday=date(1980, 12, 29))]
    items = run(settings, people, now, date(2026, 12, 25), 10)
    ny = next(i for i in items if i.hit.contact.id == "ny" and i.hit.occasion == "new_year")
    assert (ny.status, ny.reason, ny.send_at) == ("skip", "expired", None)
    later = run(settings, people, datetime(2027, 1, 11, 10, 30, tzinfo=MSK), date(2026, 12, 25), 10)
    ny_later = next(i for i in later if i.hit.contact.id == "ny" and i.hit.occasion == "new_year")
    assert (ny_later.status, ny_later.reason) == ("skip", "expired")
    caught = run(settings, people, datetime(2026, 12, 30, 9, 0, tzinfo=MSK), date(2026, 12, 25), 10)
    ny_caught = next(i for i in caught if i.hit.contact.id == "ny" and i.hit.occasion == "new_year")
    assert ny_caught.status == "send" and ny_caught.belated
    assert ny_caught.send_at is not None and ny_caught.send_at.date() == date(2026, 12, 30)


@pytest.mark.parametrize("catch_up", [0, 1, 3])
def test_day_off_policy_after_a_saturday_birthday_is_due_on_monday_not_late(catch_up: int) -> None:
    """Lateness counts from the day the letter was meant to leave, when that is after the occasion.

    With day_off_policy "after" and catch_up_days below 2, preview promised
    Monday's letter and the run on Monday expired it ("more than 0 days ago").
    """
    text = CONFIG.replace("catch_up_days: 3", f"catch_up_days: {catch_up}").replace(
        "  end_margin_minutes: 30\n", "  end_margin_minutes: 30\n  day_off_policy: after\n"
    )
    s = parse_settings(text, "g.yaml", today=TODAY)
    assert (s.send_window.day_off_policy, s.catch_up_days) == ("after", catch_up)
    people = [contact(birthday=date(1980, 2, 14))]  # Saturday 14 February 2026
    for now in (datetime(2026, 1, 1, 9, tzinfo=MSK), datetime(2026, 2, 16, 9, tzinfo=MSK)):
        [item] = [i for i in run(s, people, now, date(2026, 2, 10), 10) if i.hit.occasion == "birthday"]
        assert item.status == "send", (now, item)
        assert item.send_at is not None and item.send_at.date() == date(2026, 2, 16)


def test_history_stops_a_second_greeting_and_counts_for_the_cap(settings: Settings) -> None:
    c = contact(birthday=date(1980, 6, 9), first_deal=date(2020, 6, 16))
    past = {"1": [PastGreeting("1", "birthday", date(2027, 6, 9), date(2027, 6, 9))]}
    items = run(settings, [c], datetime(2027, 6, 9, 9, tzinfo=MSK), date(2027, 6, 9), 14, history=past)
    by = {i.hit.occasion: i for i in items}
    assert by["birthday"].reason == "already_sent"
    assert by["first_deal"].reason == "frequency_cap"  # 7 days after the birthday letter


def test_suppressed_and_no_email(settings: Settings) -> None:
    people = [contact("s", birthday=date(1980, 6, 9)), contact("n", email=None, birthday=date(1980, 6, 9))]
    items = run(
        settings, people, datetime(2027, 6, 1, tzinfo=MSK), date(2027, 6, 1), 14, suppressed={"a@example.com"}
    )
    assert {(i.hit.contact.id, i.reason) for i in items} == {("s", "suppressed"), ("n", "no_email")}


def test_plan_is_deterministic_and_spread(settings: Settings) -> None:
    people = [contact(str(n), birthday=date(1980, 4, 14)) for n in range(300)]
    now = datetime(2027, 4, 1, tzinfo=MSK)
    first = run(settings, people, now, date(2027, 4, 14), 1)
    again = run(settings, people, now, date(2027, 4, 14), 1)
    assert [i.send_at for i in first] == [i.send_at for i in again]
    moments = {i.send_at for i in first}
    assert len(moments) > 250  # not all in the same second
    for at in moments:
        assert at is not None
        local_ok(at)


def test_preview_range_does_not_change_decisions(settings: Settings) -> None:
    """A year's preview and a day-by-day plan agree: decisions are causal."""
    c = contact(birthday=date(1980, 3, 3), first_deal=date(2019, 3, 10))
    now = datetime(2027, 2, 1, 9, tzinfo=MSK)
    year = {(i.hit.occasion, i.status, i.reason) for i in run(settings, [c], now, date(2027, 2, 1), 365)}
    daily: set[tuple[str, str, str | None]] = set()
    for d in range(365):
        day = date(2027, 2, 1) + timedelta(days=d)
        daily |= {(i.hit.occasion, i.status, i.reason) for i in run(settings, [c], now, day, 1)}
    assert year == daily
    assert ("first_deal", "skip", "merged") in year


def test_a_greeting_the_cap_refused_on_its_day_does_not_come_back_later_as_belated(
    settings: Settings,
) -> None:
    """Found by the ten-year simulation (tests/test_simulation.py).

    Sunday 14 March 2027's birthday is greeted on Friday the 12th. A letter left on Monday
    the 1st, so on Friday the gap (11 days < min_gap_days 14) refuses it. The skip is not
    journaled before the occasion's day, so on Monday the 15th the planner sees a greeting
    whose moment passed unsent, like after downtime: re-timed to Monday the gap would be 14
    days, and it used to go out as "belated" — a letter the cap had refused, three days late.
    """
    c = contact(birthday=date(1980, 3, 14))
    monday = datetime(2027, 3, 15, 11, tzinfo=MSK)

    def birthday(history: list[PastGreeting]) -> PlanItem:
        items = run(settings, [c], monday, date(2027, 3, 5), 12, history={"1": history})
        [item] = [i for i in items if i.hit.occasion == "birthday"]
        return item

    refused = birthday([PastGreeting("1", "first_deal", date(2016, 3, 1), date(2027, 3, 1))])
    assert (refused.status, refused.reason) == ("skip", "frequency_cap")
    assert "on its day 2027-03-12" in refused.detail
    # Missed for another reason (downtime): caught up on Monday, as before.
    missed = birthday([PastGreeting("1", "first_deal", date(2016, 2, 20), date(2027, 2, 20))])
    assert (missed.status, missed.belated) == ("send", True)
    assert missed.send_at is not None and missed.send_at.date() == date(2027, 3, 15)


T0 = datetime(2027, 4, 10, 9, 0, tzinfo=MSK)
T1 = datetime(2027, 4, 15, 9, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    ("known", "names", "expected"),
    [
        # a journal's first plan: what a downtime would catch up (3 days here), nothing older
        (
            {},
            ["birthday", "new_year"],
            {"birthday": T1 - timedelta(days=3), "new_year": T1 - timedelta(days=3)},
        ),
        ({"birthday": None}, ["birthday", "spring"], {"birthday": None, "spring": T1}),  # added later
        ({"birthday": None, "spring": T0}, ["birthday", "spring"], {"birthday": None, "spring": T0}),
        ({"old": None}, ["birthday"], {"birthday": T1}),  # renamed: a new occasion
        ({"spring": T0, "gone": None}, ["spring"], {"spring": T0}),  # removed ones are not planned
        # recorded by a rehearsal ahead of the clock (send --once --now later than now): a first plan
        (
            {"spring": T1 + timedelta(days=4), "birthday": None},
            ["spring", "birthday"],
            {"spring": T1 - timedelta(days=3), "birthday": None},
        ),
    ],
)
def test_occasion_starts(
    known: dict[str, datetime | None], names: list[str], expected: dict[str, datetime | None]
) -> None:
    assert occasion_starts(known, names, T1, catch_up_days=3) == expected


def test_an_occasion_added_later_is_not_caught_up_for_the_days_before_it(settings: Settings) -> None:
    now = datetime(2027, 4, 15, 11, 0, tzinfo=MSK)  # Thursday
    person = contact("late", birthday=date(1980, 4, 14), first_deal=date(2020, 4, 16))
    items = lambda since: {  # noqa: E731
        i.hit.occasion: i
        for i in plan(
            [person], plan_window(settings, now=now, start=date(2027, 4, 1), days=20, occasion_since=since)
        )
    }
    # Known from the start: yesterday's birthday is caught up as belated (downtime)…
    always = items({"birthday": None, "first_deal": None})
    assert always["birthday"].status == "send" and always["birthday"].belated
    # …added this morning: there was nothing to miss yesterday; tomorrow's occasion is planned.
    added = items({"birthday": datetime(2027, 4, 15, 8, 0, tzinfo=MSK), "first_deal": None})
    assert "birthday" not in added
    assert added["first_deal"].status == "send" and not added["first_deal"].belated
    # The day it was added counts as existing, in the recipient's own zone: added at 23:00 in
    # Moscow on the birthday, it is caught up; at 01:00 the next day (still the 14th in UTC), not.
    evening = items({"birthday": datetime(2027, 4, 14, 20, 0, tzinfo=UTC), "first_deal": None})
    assert evening["birthday"].status == "send" and evening["birthday"].belated
    assert "birthday" not in items({"birthday": datetime(2027, 4, 14, 22, 0, tzinfo=UTC), "first_deal": None})


def key(item: PlanItem) -> tuple[object, ...]:
    return (item.hit.contact.id, item.hit.occasion, item.hit.date, item.status, item.reason,
            item.send_at, tuple(item.merged_with), item.merged_into)  # fmt: skip


@pytest.mark.parametrize("last_day", [date(2026, 12, 29), date(2026, 12, 30), date(2027, 1, 2)])
def test_a_range_shows_each_letter_as_it_leaves_whatever_day_the_range_ends(
    settings: Settings, last_day: date
) -> None:
    # New Year on Tuesday 29 December, the birthday on Wednesday 30th: one letter carries both.
    # A range that ends on the 29th used to show the New Year letter alone — which never went out.
    people = [contact("a", birthday=date(1980, 12, 30)), contact("b", first_deal=date(2020, 1, 4)),
              contact("c", birthday=date(1975, 6, 1))]  # fmt: skip
    now = datetime(2026, 12, 1, 9, tzinfo=MSK)
    start = date(2026, 12, 20)
    short = run(settings, people, now, start, (last_day - start).days + 1)
    whole = run(settings, people, now, start, 60)
    # A range shows the occasions in it and the letters that leave in it: b's 4 January
    # anniversary is greeted on 30 December, before the holidays, so a range ending on the
    # 30th shows that letter (a reviewer approving "this week" must see it), one ending on
    # the 29th does not.
    leaves_in_range = lambda i: i.send_at is not None and start <= i.send_at.date() <= last_day  # noqa: E731
    expected = [key(i) for i in whole if i.hit.date <= last_day or leaves_in_range(i)]
    assert [key(i) for i in short] == expected
    new_year_a = next(i for i in short if i.hit.contact.id == "a" and i.hit.occasion == "new_year")
    assert (new_year_a.reason, new_year_a.merged_into) == ("merged", "birthday")
    first_deal_b = [i for i in short if i.hit.contact.id == "b" and i.hit.occasion == "first_deal"]
    if last_day >= date(2026, 12, 30):
        assert [(i.status, i.send_at.date()) for i in first_deal_b if i.send_at] == [
            ("send", date(2026, 12, 30))
        ]
    else:
        assert first_deal_b == []


def test_a_client_the_crm_renumbered_is_not_greeted_again_at_the_same_address(settings: Settings) -> None:
    """The journal keys greetings by contact id; a re-export that gives the client a new id (same
    address) sent the same birthday letter again, 40 minutes after the first."""
    sent = PastGreeting("7001", "birthday", date(2027, 3, 17), date(2027, 3, 19), "sent", "U1@example.com")
    renumbered = contact(
        "9001", email="u1@example.com", birthday=date(1980, 3, 17), first_deal=date(2020, 3, 25)
    )
    pw = plan_window(
        settings, now=datetime(2027, 3, 19, 12, 40, tzinfo=MSK), start=date(2027, 3, 15), days=14
    )
    items = {i.hit.occasion: i for i in plan([renumbered], pw, {}, by_email={"u1@example.com": [sent]})}
    assert (items["birthday"].status, items["birthday"].reason) == ("skip", "already_sent")
    assert (
        "(sent) to U1@example.com under contact id 7001: was the CRM renumbered?" in items["birthday"].detail
    )
    # and the letter counts against the cap: the first deal on the 25th is 6 days later
    assert (items["first_deal"].status, items["first_deal"].reason) == ("skip", "frequency_cap")
    # without the address index (or for another address) the id alone decides, as before
    alone = {i.hit.occasion: i for i in plan([renumbered], pw, {}, by_email={"x@example.com": [sent]})}
    assert alone["birthday"].status == "send"


def test_a_belated_letter_sent_today_is_shown_by_todays_preview(settings: Settings) -> None:
    """After `send --once`, a reviewer looking at today saw nothing of the belated birthday
    (13 April) that had just left: its occasion is before the range."""
    person = contact("1", birthday=date(1980, 4, 13))
    sent = PastGreeting("1", "birthday", date(2027, 4, 13), date(2027, 4, 14), "sent", "a@example.com")
    pw = plan_window(settings, now=datetime(2027, 4, 14, 12, tzinfo=MSK), start=date(2027, 4, 14), days=1)
    [item] = [i for i in plan([person], pw, {"1": [sent]}) if i.hit.occasion == "birthday"]
    assert (item.status, item.reason, item.hit.date) == ("skip", "already_sent", date(2027, 4, 13))
    tomorrow = plan_window(
        settings, now=datetime(2027, 4, 14, 12, tzinfo=MSK), start=date(2027, 4, 15), days=1
    )
    assert [i for i in plan([person], tomorrow, {"1": [sent]}) if i.hit.occasion == "birthday"] == []


#: Every ``now`` from before the first deal's day to the morning the letter leaves: on time,
#: the first deal late (its moment passed unsent: it is merged, nothing is journaled), expired.
DECEMBER_NOWS = [
    datetime(2026, 12, 1, 9, tzinfo=MSK),
    datetime(2026, 12, 15, 9, tzinfo=MSK),
    datetime(2026, 12, 16, 11, tzinfo=MSK),
    datetime(2026, 12, 21, 11, tzinfo=MSK),
    datetime(2026, 12, 28, 9, tzinfo=MSK),
]


@pytest.mark.parametrize("now", DECEMBER_NOWS, ids=lambda n: f"{n:%d.%m}")
@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # The reviewer's client: first deal 15.12, birthday 28.12 (Monday), New Year 29.12. The
        # group is anchored on the 15th; its letter leaves on the 28th and carries the New Year of
        # the next day too — it used to be skipped ("only 1 days from the greeting of 2026-12-28")
        # while the 13-day-old anniversary rode along.
        pytest.param(
            {"birthday": date(1980, 12, 28), "first_deal": date(2020, 12, 15)},
            {"first_deal": ("skip", "merged", date(2026, 12, 28), ["birthday"]),
             "birthday": ("send", None, date(2026, 12, 28), ["first_deal", "new_year"]),
             "new_year": ("skip", "merged", date(2026, 12, 28), ["birthday"])},
            id="first-deal-birthday-new-year-one-letter",
        ),
        pytest.param(  # without the first deal: unchanged
            {"birthday": date(1980, 12, 28)},
            {"birthday": ("send", None, date(2026, 12, 28), ["new_year"]),
             "new_year": ("skip", "merged", date(2026, 12, 28), ["birthday"])},
            id="birthday-new-year",
        ),
    ],
)  # fmt: skip
def test_a_letter_carries_what_comes_within_min_gap_days_of_it(
    settings: Settings,
    now: datetime,
    dates: dict[str, date],
    expected: dict[str, tuple[str, str | None, date, list[str]]],
) -> None:
    items = run(settings, [contact(**dates)], now, date(2026, 12, 10), 30)
    got = {i.hit.occasion: (i.status, i.reason, i.send_at and i.send_at.date(), i.merged_with) for i in items}
    assert got == expected


@pytest.mark.parametrize(
    ("dates", "letters"),
    [
        # 19 days apart: two letters, as always
        ({"birthday": date(1980, 6, 1), "first_deal": date(2020, 6, 20)}, [date(2027, 6, 1), date(2027, 6, 18)]),
        # 14 days apart (min_gap_days) and nothing leaving between them: two letters
        ({"first_deal": date(2020, 12, 15)}, [date(2026, 12, 15), date(2026, 12, 29)]),
    ],
)  # fmt: skip
def test_occasions_min_gap_days_apart_stay_two_letters(
    settings: Settings, dates: dict[str, date], letters: list[date]
) -> None:
    start = letters[0] - timedelta(days=5)
    items = run(settings, [contact(**dates)], datetime.combine(start, time(9), MSK), start, 30)
    sent = [i for i in items if i.status == "send"]
    assert [(i.send_at.date() if i.send_at else None, i.merged_with) for i in sent] == [
        (day, []) for day in letters
    ]
