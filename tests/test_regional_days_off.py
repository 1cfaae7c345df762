"""A region's own days off apply to that region's clients only (``send_window.regional_days_off``).

The ``holidays`` library has one calendar for all of Russia, and
``send_window.extra_days_off`` / ``days_off_ics`` are every client's: declaring
Tatarstan's Republic Day (30 August) as a day off moved a Moscow client's letter
too, and a contact's country cell ``RU-TA`` (or «Татарстан») was refused. Now
``regional_days_off`` keys days off by an ISO 3166-2 region; a contact whose
country is that region has its country's public holidays and these days, every
other contact does not.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import build_calendar, greeting_day
from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.config_window import SendWindow
from greeter.contacts import Contact
from greeter.countries import parse_country
from greeter.planner import plan_contact, plan_window
from greeter.ru_regions import COMMON_NAMES, RU_REGIONS, region_by_name
from tests.conftest import TODAY, MakeProject, birthday_sends, contact_row
from tests.test_config import MINIMAL
from tests.test_country_weekend import _errors  # the send_window's config errors, as there
from tests.test_planner import CONFIG as PLANNER_CONFIG

REGIONS = """\
  regional_days_off:
    RU-TA: {days: [2027-08-30, 2026-11-06]}
    RU-BA: {days: [2026-10-11]}
"""

MON_30_AUG_2027 = date(2027, 8, 30)  # Tatarstan's Republic Day, a Monday
FRI_27_AUG_2027 = date(2027, 8, 27)
FRI_6_NOV_2026 = date(2026, 11, 6)  # Tatarstan's Constitution Day, a Friday
THU_5_NOV_2026 = date(2026, 11, 5)  # (Wednesday 4 November is Unity Day, all of Russia's)


def _window(public_holidays: bool = True) -> SendWindow:
    text = MINIMAL + "send_window:\n" + REGIONS + f"  public_holidays: {str(public_holidays).lower()}\n"
    return parse_settings(text, "greeter.yaml", today=TODAY).send_window


@pytest.mark.parametrize(
    ("country", "occasion", "expected", "public_holidays"),
    [
        ("RU-TA", MON_30_AUG_2027, FRI_27_AUG_2027, True),  # Kazan: Republic Day is off
        ("RU", MON_30_AUG_2027, MON_30_AUG_2027, True),  # Moscow: a working Monday
        ("RU-BA", MON_30_AUG_2027, MON_30_AUG_2027, True),  # Ufa: not Tatarstan's day
        (None, MON_30_AUG_2027, MON_30_AUG_2027, True),
        ("RU-TA", FRI_6_NOV_2026, THU_5_NOV_2026, True),
        ("RU", FRI_6_NOV_2026, FRI_6_NOV_2026, True),
        ("RU-TA", MON_30_AUG_2027, FRI_27_AUG_2027, False),  # the config's own list, holidays off or not
        ("RU", MON_30_AUG_2027, MON_30_AUG_2027, False),
    ],
)
def test_a_regions_days_off_move_its_clients_letters_only(
    country: str | None, occasion: date, expected: date, public_holidays: bool
) -> None:
    cal = build_calendar(_window(public_holidays), country, range(2026, 2029))
    assert greeting_day(occasion, cal, "before") == expected


def test_a_region_has_its_countrys_days_off_and_its_own() -> None:
    window = _window()
    ta, ru = (build_calendar(window, c, range(2026, 2029)) for c in ("RU-TA", "RU"))
    days = [date(2027, 1, 1).toordinal() + n for n in range(365)]
    differ = [
        date.fromordinal(d)
        for d in days
        if ta.is_working_day(date.fromordinal(d)) != ru.is_working_day(date.fromordinal(d))
    ]
    assert differ == [MON_30_AUG_2027]
    assert not ta.is_working_day(date(2027, 1, 7))  # Orthodox Christmas: Russia's


def test_a_regions_calendar_file_days_are_its_clients_only() -> None:
    window = _window()
    from_ics = {"RU-BA": [date(2027, 10, 11)]}  # a Monday, read from RU-BA's ics by the caller
    ba = build_calendar(window, "RU-BA", range(2026, 2029), regional_days_off=from_ics)
    ta = build_calendar(window, "RU-TA", range(2026, 2029), regional_days_off=from_ics)
    assert not ba.is_working_day(date(2027, 10, 11))
    assert ta.is_working_day(date(2027, 10, 11))


def test_a_regions_day_outside_the_precomputed_years_still_counts() -> None:
    cal = build_calendar(_window(), "RU-TA", range(2030, 2031))
    assert not cal.is_working_day(MON_30_AUG_2027)


# --------------------------------------------------------------------------- another country's holidays


EIDS = """\
  regional_days_off:
    RU-TA: {holidays_of: {country: TR, names: ["Eid al-Fitr", "Eid al-Adha"]}}
"""


@pytest.mark.parametrize(
    ("day", "kazan", "moscow"),
    [
        (date(2026, 3, 20), False, True),  # Uraza Bayram 2026, a Friday: Turkey's first day of Eid al-Fitr
        (date(2026, 5, 27), False, True),  # Kurban Bayram 2026, a Wednesday
        (date(2026, 5, 28), True, True),  # Turkey's second day of Eid al-Adha: a working day in Kazan
        (date(2027, 3, 9), False, True),  # a year the config names nowhere: still Turkey's dates
    ],
)
def test_holidays_of_another_country_are_a_regions_days_off_on_their_first_day(
    day: date, kazan: bool, moscow: bool
) -> None:
    window = parse_settings(MINIMAL + "send_window:\n" + EIDS, "greeter.yaml", today=TODAY).send_window
    assert build_calendar(window, "RU-TA", range(2026, 2028)).is_working_day(day) is kazan
    assert build_calendar(window, "RU", range(2026, 2028)).is_working_day(day) is moscow
    # Outside the years computed ahead, too (the daemon's calendar reaches a year it did not build).
    assert build_calendar(window, "RU-TA", range(2020, 2021)).is_working_day(day) is kazan


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            'RU-TA: {holidays_of: {country: TR, names: ["Eid al-Fitri"]}}',
            "greeter.yaml:19:48: send_window.regional_days_off.RU-TA.holidays_of.names.0: TR has no"
            " holiday named 'Eid al-Fitri', did you mean 'Eid al-Fitr'?",
        ),
        (
            'RU-TA: {holidays_of: {country: Турция, names: ["Eid al-Fitr"]}}',
            "greeter.yaml:19:27: send_window.regional_days_off.RU-TA.holidays_of.country: 'Турция': write"
            " the country's code here, 'TR'",
        ),
        (
            'RU-TA: {holidays_of: {country: ZZ, names: ["Eid al-Fitr"]}}',
            "greeter.yaml:19:27: send_window.regional_days_off.RU-TA.holidays_of.country: no"
            " public-holiday calendar for country 'ZZ' (use an ISO code like 'RU', or 'GB-ENG' with a region)",
        ),
    ],
)
def test_a_wrong_holidays_of_is_named_at_its_line(entry: str, expected: str) -> None:
    assert _errors(f"  regional_days_off:\n    {entry}\n") == [expected]


# --------------------------------------------------------------------------- the plan


def _client(cid: str, country: str | None) -> Contact:
    dates = MappingProxyType({"birthday": date(1980, 8, 30)})
    return Contact(id=cid, email=f"{cid}@example.com", timezone="Europe/Moscow", country=country, dates=dates)


@pytest.mark.parametrize("public_holidays", [True, False])
@pytest.mark.parametrize("order", [("RU-TA", "RU"), ("RU", "RU-TA")])
def test_a_kazan_and_a_moscow_client_are_greeted_on_their_own_days(
    order: tuple[str, str], public_holidays: bool
) -> None:
    """One plan window for both, in either order (its caches key the greeting day on the region)."""
    flag = str(public_holidays).lower()
    text = PLANNER_CONFIG.replace("send_window:\n", f"send_window:\n{REGIONS}  public_holidays: {flag}\n")
    settings = parse_settings(text, "g.yaml", today=TODAY)
    now = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
    shared = plan_window(settings, now=now, start=date(2027, 8, 23), days=14)
    days = {}
    for country in order:
        items = [i for i in plan_contact(_client(country, country), shared) if i.hit.occasion == "birthday"]
        assert len(items) == 1 and items[0].send_at is not None
        days[country] = items[0].send_at.date()
    assert days == {"RU-TA": FRI_27_AUG_2027, "RU": MON_30_AUG_2027}


def test_defaults_country_may_be_a_declared_region() -> None:
    text = PLANNER_CONFIG.replace("country: RU}", "country: RU-TA}").replace(
        "send_window:\n", "send_window:\n" + REGIONS
    )
    settings = parse_settings(text, "g.yaml", today=TODAY)
    now = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
    pw = plan_window(settings, now=now, start=date(2027, 8, 23), days=14)
    (item,) = [i for i in plan_contact(_client("1", None), pw) if i.hit.occasion == "birthday"]
    assert item.send_at is not None and item.send_at.date() == FRI_27_AUG_2027
    (moscow,) = [i for i in plan_contact(_client("2", "RU"), pw) if i.hit.occasion == "birthday"]
    assert moscow.send_at is not None and moscow.send_at.date() == MON_30_AUG_2027


# --------------------------------------------------------------------------- the config's errors


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "RU-XX: {days: [2026-08-30]}",
            "greeter.yaml:19:5: send_window.regional_days_off.RU-XX: RU has no region 'XX' in ISO 3166-2"
            " (Tatarstan is RU-TA, Bashkortostan RU-BA)",
        ),
        (
            "ZZ-AB: {days: [2026-08-30]}",  # a country is a key too (tests/test_country_days_off.py)
            "greeter.yaml:19:5: send_window.regional_days_off.ZZ-AB: no public-holiday calendar for"
            " country 'ZZ' (use an ISO code like 'RU', or 'GB-ENG' with a region)",
        ),
        (  # a name greeter knows: its code, not "should be a two-letter country code"
            "Татарстан: {days: [2026-08-30]}",
            "greeter.yaml:19:5: send_window.regional_days_off.Татарстан: 'Татарстан' is a region's name:"
            " write 'RU-TA' (Республика Татарстан)",
        ),
        (
            "Республика Башкортостан: {days: [2026-10-11]}",
            "greeter.yaml:19:5: send_window.regional_days_off.Республика Башкортостан: 'Республика"
            " Башкортостан' is a region's name: write 'RU-BA' (Республика Башкортостан)",
        ),
        (
            "Башкирия: {days: [2026-10-11]}",
            "greeter.yaml:19:5: send_window.regional_days_off.Башкирия: 'Башкирия' is a region's name:"
            " write 'RU-BA' (Республика Башкортостан)",
        ),
        (
            "ZZ-TA: {days: [2026-08-30]}",
            "greeter.yaml:19:5: send_window.regional_days_off.ZZ-TA: no public-holiday calendar for"
            " country 'ZZ' (use an ISO code like 'RU', or 'GB-ENG' with a region)",
        ),
        (
            "DE-XX: {days: [2026-08-30]}",
            "greeter.yaml:19:5: send_window.regional_days_off.DE-XX: DE has no region 'XX' (its regions:"
            " DE-BB, DE-BE, DE-BW, DE-BY, DE-HB, DE-HE, DE-HH, DE-MV and 9 more)",
        ),
        (
            "RU-TA: {}",
            "greeter.yaml:19:5: send_window.regional_days_off.RU-TA: list the region's days off"
            " (days: [2026-08-30]), their calendar (ics: FILE) or another country's holidays"
            ' (holidays_of: {country: TR, names: ["Eid al-Fitr"]})',
        ),
        (
            "RU-TA: {days: [2026-02-30]}",
            "greeter.yaml:19:20: send_window.regional_days_off.RU-TA.days.0: 2026-02-30 is not a real"
            " date: February has no 30th",
        ),
        (
            "RU-TA: {days: [2026-08-30], icss: tatarstan.ics}",
            "greeter.yaml:19:33: send_window.regional_days_off.RU-TA.icss: unknown key, did you mean `ics`?",
        ),
    ],
)
def test_a_wrong_entry_of_regional_days_off_is_named_at_its_line(entry: str, expected: str) -> None:
    assert _errors(f"  regional_days_off:\n    {entry}\n") == [expected]


def test_a_region_the_library_has_may_get_days_of_its_own_too() -> None:
    text = MINIMAL + "send_window:\n  regional_days_off:\n    DE-BY: {days: [2027-08-30]}\n"
    window = parse_settings(text, "greeter.yaml", today=TODAY).send_window
    assert not build_calendar(window, "DE-BY", range(2026, 2029)).is_working_day(MON_30_AUG_2027)
    assert build_calendar(window, "DE-BE", range(2026, 2029)).is_working_day(MON_30_AUG_2027)


# --------------------------------------------------------------------------- a contact's country cell


def test_a_declared_region_is_a_country_cell_and_an_undeclared_one_says_how_to_declare() -> None:
    parse_settings(MINIMAL, "greeter.yaml", today=TODAY)  # no regions declared
    code, why = parse_country("RU-TA")
    assert code is None
    assert why == (
        "RU has one public-holiday calendar for the whole country: write 'RU', or declare the region's"
        " own days off in send_window.regional_days_off as RU-TA: {days: [YYYY-MM-DD, …]}"
        " (see docs/config.md)"
    )
    code, why = parse_country("Татарстан")
    assert code is None
    assert why == (
        "'Татарстан' is a region of RU (RU-TA) whose own days off the config does not declare: write"
        " 'RU', or declare them in send_window.regional_days_off as RU-TA: {days: [YYYY-MM-DD, …]}"
        " (see docs/config.md)"
    )
    assert parse_country("DE-BY") == ("DE-BY", "")  # the library's regions: as before

    parse_settings(MINIMAL + "send_window:\n" + REGIONS, "greeter.yaml", today=TODAY)
    assert parse_country("RU-TA") == ("RU-TA", "")
    assert parse_country("ru-ba") == ("RU-BA", "")
    assert parse_country("Республика Татарстан") == ("RU-TA", "")
    assert parse_country("RU-MOW")[0] is None  # not declared: still refused
    assert parse_country("Россия") == ("RU", "")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Башкирия", "RU-BA"),
        ("Чувашия", "RU-CU"),
        ("Якутия", "RU-SA"),
        ("Республика Саха (Якутия)", "RU-SA"),
        ("Удмуртия", "RU-UD"),
        ("Удмуртская Республика", "RU-UD"),
        ("Тыва", "RU-TY"),
        ("Тува", "RU-TY"),
        ("Хакасия", "RU-KK"),
        ("Кабардино-Балкария", "RU-KB"),
        ("Карачаево-Черкесия", "RU-KC"),
        ("Северная Осетия — Алания", "RU-SE"),
        ("Чечня", "RU-CE"),
        ("Камчатка", "RU-KAM"),
        ("Приморье", "RU-PRI"),
        ("Ямал", "RU-YAN"),
        ("Югра", "RU-KHM"),
        ("Кузбасс", "RU-KEM"),
        ("Ставрополье", "RU-STA"),
        ("Кубань", "RU-KDA"),
        ("Подмосковье", "RU-MOS"),
        ("Петербург", "RU-SPE"),
        ("Санкт-Петербург", "RU-SPE"),
        ("Москва", "RU-MOW"),
        ("  ЧУВАШИЯ ", "RU-CU"),
        ("Осетия", None),  # North or South: not guessed
    ],
)
def test_a_region_s_common_name_is_known(name: str, code: str | None) -> None:
    """«Башкирия», «Чувашия», «Якутия» were no region (ISO writes «Республика Башкортостан» …)."""
    assert region_by_name(name) == code


def test_a_common_name_is_a_declared_region_s_country_cell() -> None:
    parse_settings(MINIMAL + "send_window:\n" + REGIONS, "greeter.yaml", today=TODAY)
    assert parse_country("Башкирия") == ("RU-BA", "")
    assert all(code in RU_REGIONS for code in COMMON_NAMES.values())


# --------------------------------------------------------------------------- end to end


ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//regions//EN
BEGIN:VEVENT
UID:ba-republic-day@test
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20271011
DTEND;VALUE=DATE:20271012
SUMMARY:День Республики Башкортостан
END:VEVENT
END:VCALENDAR
"""


def test_preview_and_check_apply_a_regions_days_to_its_clients_only(
    make_project: MakeProject, tmp_path: Path
) -> None:
    (tmp_path / "bashkortostan.ics").write_text(ICS, encoding="utf-8")
    rows = [
        contact_row("kazan", "a@example.com", country="RU-TA", birthday="30.08.1980"),
        contact_row("kazan-name", "b@example.com", country="Татарстан", birthday="30.08.1981"),
        contact_row("moscow", "c@example.com", country="RU", birthday="30.08.1982"),
        contact_row("ufa", "d@example.com", country="RU-BA", birthday="11.10.1983"),
        contact_row("moscow-oct", "e@example.com", country="RU", birthday="11.10.1984"),
    ]
    regions = {
        "RU-TA": {"days": ["2027-08-30", "2026-11-06"]},
        "RU-BA": {"ics": "bashkortostan.ics"},
    }
    config = make_project(rows, defaults={"country": "RU"}, send_window={"regional_days_off": regions})
    sent = birthday_sends(config, "2027-08-23", 60, "2027-08-01T09:00")
    assert {cid: at.date() for cid, at in sent.items()} == {
        "kazan": FRI_27_AUG_2027,
        "kazan-name": FRI_27_AUG_2027,
        "moscow": MON_30_AUG_2027,
        "ufa": date(2027, 10, 8),  # Monday 11 October is off in Bashkortostan: the Friday before
        "moscow-oct": date(2027, 10, 11),
    }

    check = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T10:00"])
    lines = check.stdout.splitlines()
    assert (
        "days off in RU-TA: send_window.regional_days_off: 2 day(s) off in 2026–2027, for its clients only"
        in lines
    )
    (ba,) = [line for line in lines if line.startswith("days off in RU-BA: ")]
    assert ba.endswith("bashkortostan.ics: 1 day(s) off in 2026–2027, for its clients only")
    assert "RU-TA" not in check.stderr  # the cells are read: no warning about them


def test_a_regions_eid_is_its_day_off_and_may_be_greeted_by_another_countrys_calendar(
    make_project: MakeProject,
) -> None:
    """Uraza Bayram 2027 (Turkey's first day of Eid al-Fitr: Tuesday 9 March) is a day off in
    Kazan, and an occasion dated by Turkey's calendar greets Kazan's clients only, on the working
    day before it — Friday 5 March, as Monday 8 March is Russia's Women's Day."""
    rows = [
        contact_row("kazan", "a@example.com", country="RU-TA", birthday="09.03.1980"),
        contact_row("moscow", "b@example.com", country="RU", birthday="09.03.1981"),
    ]
    occasions = [
        {"name": "birthday", "field": "birthday", "template": "birthday"},
        {
            "name": "uraza",
            "title": "Ураза-байрам",
            "holiday": "Eid al-Fitr",
            "country": "TR",
            "template": "holiday",
            "audience": {"countries": ["RU-TA"]},
        },
    ]
    regions = {"RU-TA": {"holidays_of": {"country": "TR", "names": ["Eid al-Fitr", "Eid al-Adha"]}}}
    config = make_project(
        rows, defaults={"country": "RU"}, occasions=occasions, send_window={"regional_days_off": regions}
    )
    args = ["--config", str(config), "preview", "--format", "json"]
    args += ["--from", "2027-03-01", "--days", "14", "--now", "2027-02-20T09:00"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stdout + result.stderr
    sent = sorted(
        (r["contact_id"], r["occasion"], r["send_at"][:10] if r["send_at"] else r["reason"])
        for r in json.loads(result.stdout)
    )
    assert sent == [
        ("kazan", "birthday", "2027-03-05"),
        ("kazan", "uraza", "2027-03-05"),  # in the birthday's letter, merged
        ("moscow", "birthday", "2027-03-09"),
        ("moscow", "uraza", "outside_audience"),
    ]


def test_a_region_declared_no_more_has_no_calendar_again() -> None:
    """A config's reload (or the next config in one process) that no longer declares RU-TA: its
    clients' cells are refused again, never an internal error from the library ("Entity RU does
    not have subdivision TA") because RU-TA was remembered as supported while it was declared."""
    from greeter.countries import parse_country
    from greeter.holiday_tables import declare_regions, has_calendar, looked_up_days

    declare_regions(["RU-TA"])
    assert has_calendar("RU-TA") and parse_country("RU-TA")[0] == "RU-TA"
    assert looked_up_days("RU-TA", 2027)  # RU's holidays, looked up under the region's code
    declare_regions(())
    assert not has_calendar("RU-TA")
    assert parse_country("RU-TA")[0] is None
