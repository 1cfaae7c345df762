"""A client's working week is their country's: Israel's weekend is Friday and Saturday.

``send_window.working_days`` was one list for every client, so a client in
Israel (``contacts.columns.country``: IL) was greeted on Friday, their day
off, and a Sunday birthday (a working day there) moved back to that Friday;
the Friday cut-off fell on Friday, not on Thursday, their last working day.
Now, while ``working_days`` is Monday to Friday, each country's weekend comes
from the ``holidays`` library (the Emirates': Friday and Saturday until 2021,
Saturday and Sunday since), ``send_window.working_days_by_country`` sets a
country's week, and ``greeter check`` notes the clients whose week differs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import allowed_intervals, build_calendar, greeting_day
from greeter.check_window import other_weeks_note
from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.config_window import SendWindow
from greeter.contacts import Contact
from greeter.errors import ConfigError
from greeter.planner import plan_contact, plan_window
from tests.conftest import ROOT, TODAY, MakeProject, birthday_sends, contact_row
from tests.test_config import MINIMAL
from tests.test_planner import CONFIG as PLANNER_CONFIG

WINDOW = SendWindow()  # Monday to Friday, 10:00–18:00, lunch 13–14, cut-off 15:00, 30 quiet minutes
FIVE_DAYS = ["mon", "tue", "wed", "thu", "fri"]
IL = build_calendar(WINDOW, "IL", range(2026, 2029))
AE = build_calendar(WINDOW, "AE", range(2020, 2029))
RU = build_calendar(WINDOW, "RU", range(2026, 2029))
IL_AS_RU = build_calendar(SendWindow(working_days_by_country={"IL": FIVE_DAYS}), "IL", range(2026, 2029))
SIX_DAYS = build_calendar(SendWindow(working_days=[*FIVE_DAYS, "sat"]), "IL", range(2026, 2029))
IL_NO_HOLIDAYS = build_calendar(SendWindow(public_holidays=False), "IL", range(2026, 2029))
CALENDARS = {
    "IL": IL,
    "AE": AE,
    "RU": RU,
    "IL_AS_RU": IL_AS_RU,
    "SIX_DAYS": SIX_DAYS,
    "IL_NO_HOLIDAYS": IL_NO_HOLIDAYS,
}

# 11–14 February 2027: Thursday to Sunday, no public holiday in Israel, the Emirates or Russia.
THU, FRI, SAT, SUN = date(2027, 2, 11), date(2027, 2, 12), date(2027, 2, 13), date(2027, 2, 14)


@pytest.mark.parametrize(
    ("calendar", "occasion", "expected"),
    [
        ("IL", FRI, THU),  # Friday is Israel's day off: greeted on Thursday
        ("IL", SAT, THU),
        ("IL", SUN, SUN),  # Sunday is a working day there: on the day
        ("IL", THU, THU),
        ("IL_NO_HOLIDAYS", FRI, THU),  # no public holidays, the weekend still Israel's
        ("IL_NO_HOLIDAYS", SUN, SUN),
        ("AE", FRI, FRI),  # the Emirates since 2022: Saturday and Sunday
        ("AE", SAT, FRI),
        ("AE", SUN, FRI),
        ("AE", date(2021, 2, 12), date(2021, 2, 11)),  # …and Friday and Saturday before: Friday → Thursday
        ("AE", date(2021, 2, 14), date(2021, 2, 14)),  # a Sunday of 2021 was a working day there
        ("IL_AS_RU", FRI, FRI),  # working_days_by_country: IL works Monday to Friday
        ("IL_AS_RU", SUN, FRI),
        ("SIX_DAYS", SAT, SAT),  # working_days chosen (not Monday–Friday): every country's week
        ("SIX_DAYS", FRI, FRI),
        ("RU", FRI, FRI),  # a Russian client: as before
        ("RU", SAT, FRI),
        ("RU", SUN, FRI),
    ],
)
def test_the_greeting_day_in_the_clients_week(calendar: str, occasion: date, expected: date) -> None:
    assert greeting_day(occasion, CALENDARS[calendar], "before") == expected


FULL_DAY = [(time(10), time(13)), (time(14), time(17, 30))]
CUT_OFF = [(time(10), time(13)), (time(14), time(14, 30))]  # 15:00 less the 30 quiet minutes


@pytest.mark.parametrize(
    ("calendar", "zone", "day", "expected"),
    [
        ("IL", "Asia/Jerusalem", date(2027, 2, 10), FULL_DAY),  # Wednesday
        ("IL", "Asia/Jerusalem", THU, CUT_OFF),  # Israel's last working day before the weekend
        ("IL", "Asia/Jerusalem", SUN, FULL_DAY),
        ("AE", "Asia/Dubai", THU, FULL_DAY),
        ("AE", "Asia/Dubai", FRI, CUT_OFF),
        ("AE", "Asia/Dubai", date(2021, 2, 11), CUT_OFF),  # a Thursday of 2021: before Friday, off then
        ("IL_AS_RU", "Asia/Jerusalem", THU, FULL_DAY),
        ("IL_AS_RU", "Asia/Jerusalem", FRI, CUT_OFF),
        ("RU", "Europe/Moscow", THU, FULL_DAY),
        ("RU", "Europe/Moscow", FRI, CUT_OFF),
    ],
)
def test_the_friday_cut_off_falls_on_the_last_working_day_of_the_clients_week(
    calendar: str, zone: str, day: date, expected: list[tuple[time, time]]
) -> None:
    pieces = allowed_intervals(day, ZoneInfo(zone), WINDOW, CALENDARS[calendar])
    assert [(a.time(), b.time()) for a, b in pieces] == expected


@pytest.mark.parametrize(
    ("calendar", "working"),
    [
        ("IL", [True, False, False, True]),  # Thursday to Sunday
        ("AE", [True, True, False, False]),
        ("IL_AS_RU", [True, True, False, False]),
        ("SIX_DAYS", [True, True, True, False]),
        ("RU", [True, True, False, False]),
    ],
)
def test_working_days_thursday_to_sunday(calendar: str, working: list[bool]) -> None:
    assert [CALENDARS[calendar].is_working_day(d) for d in (THU, FRI, SAT, SUN)] == working


def test_a_countrys_entry_takes_its_regions_and_a_regions_own_wins() -> None:
    window = SendWindow(
        working_days_by_country={"GB": ["mon", "tue", "wed", "thu"], "GB-SCT": FIVE_DAYS},
    )
    england = build_calendar(window, "GB-ENG", [2027])
    scotland = build_calendar(window, "GB-SCT", [2027])
    assert (england.is_working_day(FRI), scotland.is_working_day(FRI)) == (False, True)


# --------------------------------------------------------------------------- the config


def _errors(send_window: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(MINIMAL + "send_window:\n" + send_window, "greeter.yaml", today=TODAY)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "Israel: [sun, mon]",
            "greeter.yaml:19:5: send_window.working_days_by_country.Israel.[key]: 'Israel': write the"
            " country's code here, 'IL'",
        ),
        (
            "ZZ: [sun, mon]",
            "greeter.yaml:19:5: send_window.working_days_by_country.ZZ: no public-holiday calendar for"
            " country 'ZZ' (use an ISO code like 'RU', or 'GB-ENG' with a region)",
        ),
        (
            "IL: []",
            "greeter.yaml:19:5: send_window.working_days_by_country.IL: IL must list at least one day",
        ),
        (
            "IL: [sun, mon, sun]",
            "greeter.yaml:19:20: send_window.working_days_by_country.IL.2: IL lists sun twice",
        ),
        (
            "IL: [вс, mon]",
            "greeter.yaml:19:10: send_window.working_days_by_country.IL.0: 'вс' means sun: write sun"
            " (days are named mon, tue, wed, thu, fri, sat, sun)",
        ),
    ],
)
def test_a_wrong_entry_of_working_days_by_country_is_named_at_its_line(entry: str, expected: str) -> None:
    assert _errors(f"  working_days_by_country:\n    {entry}\n") == [expected]


def test_working_days_by_country_is_read() -> None:
    text = MINIMAL + "send_window:\n  working_days_by_country:\n    IL: [sun, mon, tue, wed, thu]\n"
    window = parse_settings(text, "greeter.yaml", today=TODAY).send_window
    assert window.fixed_week("IL") == frozenset({6, 0, 1, 2, 3})
    assert window.fixed_week("RU") is None  # Monday to Friday: each other country's weekend decides


# --------------------------------------------------------------------------- the plan's caches


def _client(cid: str, country: str) -> Contact:
    # Same zone for both: only the country (so the week) tells them apart.
    dates = MappingProxyType({"birthday": date(1980, 2, 12)})
    return Contact(
        id=cid, email=f"{cid}@example.com", timezone="Asia/Jerusalem", country=country, dates=dates
    )


@pytest.mark.parametrize("order", [("IL", "DE"), ("DE", "IL")])
def test_a_shared_window_keys_the_greeting_day_on_the_week(order: tuple[str, str]) -> None:
    """With public holidays off, Israel's and Germany's calendars differ by the week alone."""
    text = PLANNER_CONFIG.replace("send_window:\n", "send_window:\n  public_holidays: false\n")
    settings = parse_settings(text, "g.yaml", today=TODAY)
    now = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    shared = plan_window(settings, now=now, start=date(2027, 2, 8), days=10)
    days = {}
    for country in order:
        (item,) = [i for i in plan_contact(_client(country, country), shared) if i.hit.occasion == "birthday"]
        fresh = plan_window(settings, now=now, start=date(2027, 2, 8), days=10)
        (alone,) = [i for i in plan_contact(_client(country, country), fresh) if i.hit.occasion == "birthday"]
        assert item.send_at == alone.send_at, country
        assert item.send_at is not None
        days[country] = item.send_at.date()
    assert days == {"IL": THU, "DE": FRI}


# --------------------------------------------------------------------------- preview, end to end


def test_preview_json_greets_israel_and_russia_on_their_own_days(make_project: MakeProject) -> None:
    """The same birthdays, Friday 12.02 and Sunday 14.02: Israel greets on Thursday and on Sunday,
    Russia on Friday both times; Thursday in Israel and Friday in Russia end at the cut-off."""
    rows = [
        contact_row("il-fri", "a@example.com", tz="Asia/Jerusalem", country="IL", birthday="12.02.1980"),
        contact_row("il-sun", "b@example.com", tz="Asia/Jerusalem", country="IL", birthday="14.02.1980"),
        contact_row("ru-fri", "c@example.com", tz="Europe/Moscow", country="RU", birthday="12.02.1980"),
        contact_row("ru-sun", "d@example.com", tz="Europe/Moscow", country="RU", birthday="14.02.1980"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    sent = birthday_sends(config, "2027-02-08", 10, "2027-02-01T09:00")
    assert {cid: at.date() for cid, at in sent.items()} == {
        "il-fri": THU,
        "il-sun": SUN,
        "ru-fri": FRI,
        "ru-sun": FRI,
    }
    assert sent["il-fri"].time() < time(14, 30) and sent["ru-fri"].time() < time(14, 30)


# --------------------------------------------------------------------------- check's note


def test_check_notes_once_the_clients_of_another_week(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "a@example.com", tz="Asia/Jerusalem", country="IL", birthday="12.02.1980"),
        contact_row("2", "b@example.com", tz="Asia/Jerusalem", country="IL", birthday="14.02.1980"),
        contact_row("3", "c@example.com", tz="Asia/Riyadh", country="SA", birthday="14.02.1980"),
        contact_row("4", "d@example.com", tz="Europe/Moscow", country="RU", birthday="14.02.1980"),
        contact_row("5", "e@example.com", tz="Asia/Dubai", country="AE", birthday="14.02.1980"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T10:00"])
    assert result.exit_code == 0, result.stdout + result.stderr
    notes = [line.strip() for line in result.stdout.splitlines() if "working week" in line]
    assert notes == [
        "send_window: 3 contacts have another working week than working_days' mon–fri, from their"
        " country's weekend or working_days_by_country (IL 2: sun–thu, SA 1: sun–thu): greeted on its"
        " working days, with the Friday cut-off on the last one"
    ], result.stdout


def test_no_note_when_every_client_works_the_configs_week() -> None:
    text = MINIMAL + "send_window:\n  working_days_by_country:\n    IL: [mon, tue, wed, thu, fri]\n"
    settings = parse_settings(text, "greeter.yaml", today=TODAY)
    assert other_weeks_note(settings, Counter({"IL": 3, "RU": 5, "AE": 1}), 2027) == []
    iran = other_weeks_note(settings, Counter({"IR": 2}), 2027)
    assert len(iran) == 1 and "(IR 2: sat–thu)" in iran[0]


# --------------------------------------------------------------------------- the cached tables


def test_a_warm_cache_has_the_weekend_without_the_library(tmp_path: Path) -> None:
    """The weekend is the library's answer, kept in the cache file with the holidays: a second
    start with Israeli clients does not import the library for it."""
    script = (
        "import sys; from pathlib import Path; from greeter import holiday_tables as h; "
        f"h.warm(['IL'], [2027], Path({str(tmp_path)!r})); "
        "print(sorted(h.weekend_of('IL', 2027)), 'holidays' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-c", script]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert (first, second) == ("[4, 5] True\n", "[4, 5] False\n")
