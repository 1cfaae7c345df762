"""``send_window.max_days_early``: a day off moves a greeting at most this far ahead, else after.

Russia's New Year break (31 December – 10 January 2027 with the transfers)
put every birthday from 1 to 10 January on Wednesday 30 December 2026, up to
eleven days early and in the previous year; in Russia a birthday is not
greeted in advance. With the limit the letter leaves on Monday 11 January,
worded as belated. The pure planner is asked with ``now`` passed in; one test
runs the real CLI.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import build_calendar, greeting_day
from greeter.cli import main
from greeter.config import Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.errors import ConfigError
from greeter.plan_types import PlanItem
from greeter.planner import plan, plan_window
from tests.conftest import TODAY, MakeProject, contact_row

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 1, 9, tzinfo=MSK)

CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Europe/Moscow, country: RU}
contacts:
  path: c.csv
  dates: {birthday: B, first_deal: D}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: first_deal, field: first_deal, template: first_deal, priority: 70, days_before: 7}
  - {name: new_year, date: "12-29", template: new_year, priority: 60}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 14}
send_window:
  hours: {start: "10:00", end: "18:00"}
  lunch: {start: "13:00", end: "14:00"}
  friday_cutoff: "15:00"
  end_margin_minutes: 30
LIMIT
catch_up_days: 3
"""


def settings_with(limit: int | None, catch_up: int = 3, gap: int = 14) -> Settings:
    """The settings with ``max_days_early`` set (None: written as ``null``, the default's value)."""
    line = f"  max_days_early: {'null' if limit is None else limit}\n"
    text = CONFIG.replace("LIMIT\n", line).replace("catch_up_days: 3", f"catch_up_days: {catch_up}")
    text = text.replace("min_gap_days: 14", f"min_gap_days: {gap}")
    return parse_settings(text, "g.yaml", today=TODAY)


def contact(**dates: date) -> Contact:
    return Contact(
        id="1",
        email="a@example.com",
        first_name="Иван",
        patronymic="Петрович",
        timezone=None,
        dates=MappingProxyType(dates),
    )


def items_of(s: Settings, c: Contact, start: date, days: int, now: datetime = NOW) -> dict[str, PlanItem]:
    pw = plan_window(s, now=now, start=start, days=days)
    return {i.hit.occasion: i for i in plan([c], pw)}


@pytest.mark.parametrize(
    ("birthday", "limit", "send_day", "belated"),
    [
        # The New Year break: 30 December is 6 days before 5 January.
        (date(1980, 1, 5), None, date(2026, 12, 30), False),
        (date(1980, 1, 5), 3, date(2027, 1, 11), True),
        (date(1980, 1, 5), 6, date(2026, 12, 30), False),  # exactly the limit: still before
        (date(1980, 1, 5), 5, date(2027, 1, 11), True),
        (date(1980, 1, 10), None, date(2026, 12, 30), False),  # 11 days early
        (date(1980, 1, 10), 3, date(2027, 1, 11), True),
        (date(1980, 1, 2), 3, date(2026, 12, 30), False),  # 3 days: within the limit
        (date(1980, 1, 3), 3, date(2027, 1, 11), True),  # 4 days: after
        # A Saturday (13 March 2027): Friday is one day before.
        (date(1980, 3, 13), None, date(2027, 3, 12), False),
        (date(1980, 3, 13), 3, date(2027, 3, 12), False),
        (date(1980, 3, 13), 1, date(2027, 3, 12), False),
        (date(1980, 3, 14), 1, date(2027, 3, 15), True),  # Sunday: Friday is 2 days back
        # Limit 0: never early — on the day, or the first working day after it.
        (date(1980, 3, 13), 0, date(2027, 3, 15), True),
        (date(1980, 3, 16), 0, date(2027, 3, 16), False),  # a Tuesday: its own day
    ],
)
def test_a_birthday_on_a_day_off_leaves_before_within_the_limit_else_after(
    birthday: date, limit: int | None, send_day: date, belated: bool
) -> None:
    item = items_of(settings_with(limit), contact(birthday=birthday), date(2026, 12, 20), 120)["birthday"]
    assert item.status == "send", item
    assert item.send_at is not None and item.send_at.date() == send_day
    assert item.belated is belated
    assert item.hit.date.year == 2027


@pytest.mark.parametrize(
    ("limit", "send_day"),
    [
        # first_deal on 17 January 2027 with days_before 7 is meant for Sunday 10 January.
        (None, date(2026, 12, 30)),  # the break moves it 11 days before the day it was meant for
        (3, date(2027, 1, 11)),  # counted from the intended day: the first working day after it
        (11, date(2026, 12, 30)),
    ],
)
def test_the_limit_counts_from_the_intended_day_so_days_before_is_kept(
    limit: int | None, send_day: date
) -> None:
    """``days_before`` is meant to be early; only the extra move a day off makes is limited.

    Counted from the occasion's own day, any ``days_before`` above the limit
    would push every such greeting to after its intended day, even on working days.
    """
    item = items_of(settings_with(limit), contact(first_deal=date(2020, 1, 17)), date(2026, 12, 20), 40)[
        "first_deal"
    ]
    assert item.status == "send", item
    assert item.send_at is not None and item.send_at.date() == send_day
    assert not item.belated  # still before 17 January: the letter is early, not late
    assert item.send_at.date() < item.hit.date


def test_greeting_day_is_the_one_place_the_rule_lives() -> None:
    """On the calendar every case here stands on: the ``holidays`` library's Russian New Year
    break of 2027 with its transfers, 31 December – 10 January. Unset, there is no limit."""
    default = parse_settings(CONFIG.replace("LIMIT\n", ""), "g.yaml", today=TODAY)
    assert default.send_window.max_days_early is None
    cal = build_calendar(default.send_window, "RU", range(2026, 2028))
    days = [date.fromordinal(date(2026, 12, 30).toordinal() + k) for k in range(13)]
    assert [cal.is_working_day(d) for d in days] == [True] + [False] * 11 + [True]
    assert (days[0], days[-1]) == (date(2026, 12, 30), date(2027, 1, 11))
    day = date(2027, 1, 5)
    assert greeting_day(day, cal, "before") == date(2026, 12, 30)
    assert greeting_day(day, cal, "before", None) == date(2026, 12, 30)
    assert greeting_day(day, cal, "before", 3) == date(2027, 1, 11)
    assert greeting_day(day, cal, "after", 3) == greeting_day(day, cal, "after") == date(2027, 1, 11)
    assert greeting_day(day, cal, "on_day", 0) == day
    assert greeting_day(date(2027, 1, 12), cal, "before", 0) == date(2027, 1, 12)


def test_merged_with_new_year_the_letter_leaves_after_the_break_carrying_it() -> None:
    """Without a limit the 5 January birthday carries the 29 December New Year greeting on
    30 December; with it, the birthday letter leaves on 11 January and, as the cap's merging
    already does for a birthday on 11 January itself, carries the New Year greeting then."""
    c = contact(birthday=date(1980, 1, 5))
    early = items_of(settings_with(None), c, date(2026, 12, 20), 30)
    assert early["birthday"].send_at is not None and early["birthday"].send_at.date() == date(2026, 12, 30)
    assert (early["new_year"].reason, early["new_year"].merged_into) == ("merged", "birthday")
    late = items_of(settings_with(3), c, date(2026, 12, 20), 30)
    assert late["birthday"].send_at is not None and late["birthday"].send_at.date() == date(2027, 1, 11)
    assert [h.occasion for h in late["birthday"].also] == ["new_year"]
    assert (late["new_year"].reason, late["new_year"].merged_into) == ("merged", "birthday")
    assert late["new_year"].send_at == late["birthday"].send_at


@pytest.mark.parametrize(("catch_up", "gap"), [(0, 0), (0, 14), (3, 0), (3, 14)])
def test_the_run_on_11_january_sends_it_and_catch_up_counts_from_that_day(catch_up: int, gap: int) -> None:
    """A letter late by design is due, not expired, on its day — also when the run's range
    starts that day and the occasion (3 January) is further back than ``catch_up_days`` and
    ``min_gap_days`` reach: the daemon on 11 January plans it as preview showed it."""
    s = settings_with(3, catch_up, gap)
    c = contact(birthday=date(1980, 1, 3))
    item = items_of(s, c, date(2027, 1, 11), 1, now=datetime(2027, 1, 11, 9, tzinfo=MSK))["birthday"]
    assert item.status == "send", item
    assert item.send_at is not None and item.send_at.date() == date(2027, 1, 11)
    assert item.belated
    # Missed on the 11th (downtime): catch-up counts from 11 January, not from 3 January.
    again = items_of(s, c, date(2027, 1, 12), 1, now=datetime(2027, 1, 12, 9, tzinfo=MSK))
    if catch_up:
        assert again["birthday"].status == "send" and again["birthday"].send_at is not None
        assert again["birthday"].send_at.date() == date(2027, 1, 12)
    else:
        assert "birthday" not in again  # expired: past its (zero-day) catch-up, not in the range


@pytest.mark.parametrize("value", ["-1", "1.5", "yes"])
def test_a_limit_that_is_not_a_whole_number_of_days_is_a_config_error(value: str) -> None:
    text = CONFIG.replace("LIMIT\n", f"  max_days_early: {value}\n")
    with pytest.raises(ConfigError, match="max_days_early: Input should be"):
        parse_settings(text, "g.yaml", today=TODAY)


def test_a_limit_with_another_day_off_policy_is_a_config_error() -> None:
    text = CONFIG.replace("LIMIT\n", "  max_days_early: 3\n  day_off_policy: after\n")
    with pytest.raises(ConfigError, match="max_days_early applies only with day_off_policy: before"):
        parse_settings(text, "g.yaml", today=TODAY)


def test_preview_json_shows_the_belated_letter_on_11_january(make_project: MakeProject) -> None:
    config: Path = make_project(
        [contact_row("1", "a@example.com", birthday="05.01.1980")], send_window={"max_days_early": 3}
    )
    args = ["--config", str(config), "preview", "--format", "json"]
    args += ["--from", "2026-12-25", "--days", "30", "--now", "2026-12-01T09:00"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = {r["occasion"]: r for r in json.loads(result.stdout)}
    bday = rows["birthday"]
    assert (bday["status"], bday["occasion_date"], bday["belated"]) == ("send", "2027-01-05", True)
    assert bday["send_at"].startswith("2027-01-11T")
    assert "с прошедшим днём рождения" in bday["subject"]
    assert "наступающ" not in bday["subject"] + bday["text"]
    # New Year (29.12) is not carried 13 days late (the example's frequency_cap.holiday_merge_max_days_late
    # 7), and the gap leaves no room for its own letter: skipped, saying why.
    assert rows["new_year"]["reason"] == "frequency_cap", rows["new_year"]
    assert "13 days after its day (merge_max_days_late 7)" in rows["new_year"]["detail"]


@pytest.mark.parametrize("country", ["RU", "KZ", "KG", "BY", "UZ", "CN", "MN", "VN", "RS", "HU", "EE", "DE"])
def test_longest_days_off_covers_every_run_the_holidays_library_gives(country: str) -> None:
    """LONGEST_DAYS_OFF was 10 while Russia's 2024–25 New Year break ran 12 days (28.12 – 08.01):
    the planner's look-back and look-ahead for such clients, and the shortest retention, fell short."""
    import holidays

    from greeter.planner import LONGEST_DAYS_OFF

    days_off = holidays.country_holidays(country, years=range(2024, 2031))
    longest = run = 0
    day = date(2024, 1, 1)
    while day < date(2031, 1, 1):
        run = run + 1 if day.weekday() >= 5 or day in days_off else 0
        longest = max(longest, run)
        day += timedelta(days=1)
    assert longest <= LONGEST_DAYS_OFF, (country, longest)


# --- an occasion's own max_days_early ------------------------------------------------------------


def settings_per_occasion(
    window: int | None, birthday: str | None, first_deal: str | None = None
) -> Settings:
    """``window`` as send_window.max_days_early (None: unset); ``birthday``/``first_deal`` the text
    written as that occasion's own ``max_days_early`` (None: not written, ``"null"``: no limit)."""
    text = CONFIG.replace("LIMIT\n", "" if window is None else f"  max_days_early: {window}\n")
    for name, own in (("birthday", birthday), ("first_deal", first_deal)):
        if own is not None:
            text = text.replace(f"{{name: {name}, ", f"{{name: {name}, max_days_early: {own}, ")
    return parse_settings(text, "g.yaml", today=TODAY)


@pytest.mark.parametrize(
    ("window", "birthday", "first_deal", "birthday_day", "first_deal_day"),
    [
        # the birthday alone is never greeted in advance; first_deal still leaves before the break
        (None, "3", None, date(2027, 1, 11), date(2026, 12, 30)),
        # a window limit for all, lifted for first_deal (null: no limit), kept by the birthday
        (3, None, "null", date(2027, 1, 11), date(2026, 12, 30)),
        # a window limit for all, a looser one of the birthday's own
        (3, "6", None, date(2026, 12, 30), date(2027, 1, 11)),
        (None, None, None, date(2026, 12, 30), date(2026, 12, 30)),  # none anywhere: as before
    ],
)
def test_an_occasions_own_limit_overrides_the_windows(
    window: int | None, birthday: str | None, first_deal: str | None, birthday_day: date, first_deal_day: date
) -> None:
    """«Не поздравляют заранее» holds for a birthday; a first-deal anniversary may well come early."""
    s = settings_per_occasion(window, birthday, first_deal)
    sent = {}
    for name, c in (
        ("birthday", contact(birthday=date(1980, 1, 5))),
        ("first_deal", contact(first_deal=date(2020, 1, 17))),
    ):
        item = items_of(s, c, date(2026, 12, 20), 40)[name]  # one occasion a contact: no merging
        assert item.status == "send" and item.send_at is not None, item
        sent[name] = item.send_at.date()
    assert (sent["birthday"], sent["first_deal"]) == (birthday_day, first_deal_day)


def test_an_occasions_own_limit_is_planned_by_the_run_on_11_january() -> None:
    """Late by design through one occasion's limit alone: the run on its day plans it (the look-back)."""
    s = settings_per_occasion(None, "3")
    item = items_of(
        s, contact(birthday=date(1980, 1, 3)), date(2027, 1, 11), 1, now=datetime(2027, 1, 11, 9, tzinfo=MSK)
    )
    assert item["birthday"].status == "send" and item["birthday"].belated


def test_an_occasions_limit_with_another_day_off_policy_is_an_error_at_its_line() -> None:
    text = CONFIG.replace("LIMIT\n", "  day_off_policy: after\n").replace(
        "{name: birthday, ", "{name: birthday, max_days_early: 3, "
    )
    with pytest.raises(ConfigError) as refused:
        parse_settings(text, "g.yaml", today=TODAY)
    (problem,) = refused.value.problems
    assert problem.field == "occasions.0.max_days_early"
    assert problem.message.startswith(
        "max_days_early applies only with send_window.day_off_policy: before (it is after); with after no"
        " day off moves a letter ahead — an occasion greeted early in another occasion's letter is bounded"
        " by its merge_max_days_early"
    )
    assert (
        problem.line
        == text.splitlines().index(next(line for line in text.splitlines() if "max_days_early: 3" in line))
        + 1
    )
