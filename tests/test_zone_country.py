"""A contact's country from its time zone, when the row has none; holiday names that mean another day.

Many CRMs keep a time zone but no country. greeter filled a missing zone from
the country (:func:`greeter.country_zones.country_zone`) but not the reverse,
so a client in Europe/Tallinn with an empty country cell had Russia's days off
(``defaults.country``) and was written to on 24 December, a public holiday of
Estonia. Now a zone ``zone.tab`` lists for one country is that country, for
the days off and for which country's holiday the client gets; ``check`` says
so once. A holiday name that the client's country gives another day than
``defaults.country`` ("Victory Day": 9 May in Russia, 23 June in Estonia) is
a ``check`` warning at the occasion. «Астана», «Нур-Султан», «Алма-Ата» in
the zone column are read as Asia/Almaty.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.config_loader import load_settings
from greeter.country_zones import countries_by_zone, country_zone, offset_zone, zone_country, zones_of
from greeter.planner import plan, plan_window
from greeter.sources import load_contacts
from greeter.sources.rows import RowParser
from greeter.timezones import zone_hint, zone_meant
from tests.conftest import HEADER, ROOT, TODAY, MakeProject, contact_row

# --------------------------------------------------------------------------- the inference, pure


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Tallinn", "EE"),
        ("Europe/Berlin", "DE"),
        ("Europe/Budapest", "HU"),
        ("Asia/Almaty", "KZ"),
        ("Europe/Moscow", "RU"),
        ("UTC", None),  # no country's zone
        ("Etc/GMT-3", None),
        (None, None),
    ],
)
def test_the_country_of_a_zone_is_the_one_zone_tab_lists_it_for(
    zone: str | None, country: str | None
) -> None:
    assert zone_country(zone) == country


def test_a_zone_listed_for_several_countries_infers_none() -> None:
    """zone.tab lists each zone once today; zone1970.tab's way (Asia/Dubai for AE and OM) infers nothing."""
    table = {"AE": ("Asia/Dubai",), "OM": ("Asia/Dubai",), "EE": ("Europe/Tallinn",)}
    assert countries_by_zone(table) == {"Asia/Dubai": ("AE", "OM"), "Europe/Tallinn": ("EE",)}


def _parser(default_country: str | None = "RU") -> RowParser:
    """The example config's parser of rows (its columns, with Страна), as a source sets it up."""
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    parser = RowParser(settings.contacts, HEADER.split(";"), "c.csv")
    parser.default_zone = "Europe/Moscow"
    parser.default_country = default_country
    return parser


def _read(parser: RowParser, tz: str, country: str = "") -> tuple[str | None, bool, str | None]:
    contact, _ = parser.parse(contact_row("1", "a@example.com", tz=tz, country=country).split(";"), 2)
    assert contact is not None
    return contact.country, contact.country_from_zone, contact.timezone


@pytest.mark.parametrize(
    ("tz", "country", "expected"),
    [
        ("Europe/Tallinn", "", ("EE", True, "Europe/Tallinn")),
        ("Europe/Berlin", "", ("DE", True, "Europe/Berlin")),
        ("Астана", "", ("KZ", True, "Asia/Almaty")),  # a city the column reads
        ("Europe/Moscow", "", (None, False, "Europe/Moscow")),  # defaults.country's zone: nothing new
        ("UTC", "", (None, False, "UTC")),
        ("Europe/Tallinn", "RU", ("RU", False, "Europe/Tallinn")),  # the row's country wins
        (
            "Europe/Tallinn",
            "Татарстан",
            (None, False, "Europe/Tallinn"),
        ),  # unread: its warning says RU's apply
    ],
)
def test_a_row_without_a_country_is_in_its_zones(
    tz: str, country: str, expected: tuple[str | None, bool, str | None]
) -> None:
    assert _read(_parser(), tz, country) == expected


def test_the_default_countrys_region_stays_and_an_offset_infers_nothing() -> None:
    """A Bavarian company's client in Europe/Berlin keeps DE-BY's days off, not Germany's."""
    assert _read(_parser("DE-BY"), "Europe/Berlin") == (None, False, "Europe/Berlin")
    assert _read(_parser("DE"), "Europe/Moscow") == ("RU", True, "Europe/Moscow")
    # an offset names a clock, not a country: Russia's zone of it stands for the clock only
    assert _read(_parser("DE"), "UTC+3") == (None, False, "Europe/Moscow")
    assert _read(_parser("DE"), "МСК+7") == (None, False, "Asia/Vladivostok")
    assert _read(_parser("DE"), "MSK") == ("RU", True, "Europe/Moscow")


# --------------------------------------------------------------------------- the plan


def test_a_tallinn_client_without_a_country_is_not_written_to_on_estonian_christmas_eve(
    make_project: MakeProject,
) -> None:
    """24.12.2026 is a Thursday, a working day in Russia and a public holiday in Estonia."""
    rows = [
        contact_row("1", "ee@example.com", tz="Europe/Tallinn", birthday="24.12.1988"),
        contact_row("2", "ru@example.com", tz="Europe/Moscow", birthday="24.12.1988"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    settings = load_settings(config, today=TODAY)
    contacts, _ = load_contacts(settings.contacts, settings.defaults)
    now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    window = plan_window(settings, now=now, start=date(2026, 12, 20), days=10)
    items = {i.hit.contact.id: i for i in plan(contacts, window) if i.hit.occasion == "birthday"}
    assert items["2"].send_at is not None and items["2"].send_at.date().isoformat() == "2026-12-24"
    tallinn = items["1"].send_at
    assert tallinn is not None and tallinn.date().isoformat() == "2026-12-23", tallinn


# --------------------------------------------------------------------------- check


def _check(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2026-12-01T10:00", *args],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_check_notes_the_contacts_whose_country_is_their_zones(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "a@example.com", tz="Europe/Tallinn"),
        contact_row("2", "b@example.com", tz="Europe/Tallinn"),
        contact_row("3", "c@example.com", tz="Asia/Almaty"),
        contact_row("4", "d@example.com", tz="Europe/Moscow"),
        contact_row("5", "e@example.com", tz="Europe/Berlin", country="RU"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    result = _check(config)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if "time zone" in line]
    assert notes == [
        "contacts: 3 without a country are in their time zone's (EE 2, KZ 1): its days off and holidays"
        " apply, not defaults.country's"
    ], result.stdout
    summary = json.loads(_check(config, "--json").stdout)
    assert summary["countries_from_zone"] == {"EE": 2, "KZ": 1}


VICTORY = '- {name: victory_day, holiday: "Victory Day", template: holiday}\n'


def _with(config: Path, occasions: str) -> Path:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("# The rule of six", occasions + "# The rule of six"), encoding="utf-8")
    return config


def _other_day(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "they are greeted on" in line]


def test_check_warns_when_a_holiday_name_is_another_day_in_the_clients_country(
    make_project: MakeProject,
) -> None:
    rows = [
        contact_row("1", "a@example.com", country="EE"),
        contact_row("2", "b@example.com", tz="Europe/Tallinn"),  # EE by its zone
        contact_row("3", "c@example.com", country="Эстония"),
        contact_row("4", "d@example.com", country="RU"),
        contact_row("5", "e@example.com", country="KZ", tags="23feb"),
        contact_row("6", "f@example.com", country="RU", tags="23feb"),
    ]
    config = _with(make_project(rows, defaults={"country": "RU"}), VICTORY)
    result = _check(config)
    assert result.returncode == 0, result.stderr
    warnings = _other_day(result.stderr)
    assert len(warnings) == 2, result.stderr
    assert warnings[0].endswith(
        ": occasions.4.holiday: warning: 'Defender of the Fatherland Day' is 23.02 in RU but 07.05 in KZ"
        " (1 client): they are greeted on KZ's day; if that is not their holiday, add audience.countries: [RU]"
    ), warnings[0]
    assert warnings[1].endswith(
        ": occasions.6.holiday: warning: 'Victory Day' is 09.05 in RU but 23.06 in EE (3 clients): they"
        " are greeted on EE's day; if that is not their holiday, add audience.countries: [KZ, RU]"
    ), warnings[1]  # KZ's Victory Day is 9 May too: its clients are kept
    line = next(
        i
        for i, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
        if "victory_day" in text
    )
    assert warnings[1].startswith(f"{config}:{line}:"), warnings[1]

    # the fix the warning gives ends it
    _with(
        make_project(rows, defaults={"country": "RU"}), VICTORY.replace("}", ", audience: {countries: [RU]}}")
    )
    assert not [w for w in _other_day(_check(config).stderr) if "Victory Day" in w]


def test_a_holiday_on_the_same_day_everywhere_gives_no_such_warning(make_project: MakeProject) -> None:
    rows = [contact_row("1", "a@example.com", country="EE"), contact_row("2", "b@example.com", country="RU")]
    womens = '- {name: march8, holiday: "International Women\'s Day", template: holiday}\n'
    config = _with(make_project(rows, defaults={"country": "RU"}), womens)
    result = _check(config)
    assert result.returncode == 0, result.stderr
    assert _other_day(result.stderr) == [], result.stderr


# --------------------------------------------------------------------------- Kazakh city names


@pytest.mark.parametrize("city", ["Астана", "Нур-Султан", "Алма-Ата", "Astana", "Nur-Sultan", "Алматы"])
def test_kazakh_city_names_are_read_as_almaty(city: str) -> None:
    assert zone_meant(city) == ("Asia/Almaty", "")
    assert "Europe/Moscow" not in zone_hint(city)


def test_uzbekistan_is_in_its_capital_s_zone_not_the_first_zone_tab_lists() -> None:
    """zone.tab lists Asia/Samarkand ("Uzbekistan (west)") first; the country's clients are in Tashkent's."""
    assert zones_of("UZ")[0] == "Asia/Tashkent"
    assert set(zones_of("UZ")) == {"Asia/Tashkent", "Asia/Samarkand"}  # both still listed
    assert country_zone("UZ") == "Asia/Tashkent"
    assert offset_zone("UZ", 5 * 60) == ("Asia/Tashkent", "")
    assert zone_country("Asia/Samarkand") == "UZ"  # the other way round is unchanged
    assert country_zone("KZ") == "Asia/Almaty"  # a country that lists its capital first keeps it


#: The main zone of every country ``zone.tab`` gives several: its capital's, where most of its people live.
#: The keys are all such countries, so a tzdata that adds one fails here until its main zone is looked at.
MAIN_ZONES = {
    "AQ": "Antarctica/McMurdo",  # no people: the research stations' first
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",  # not Lord Howe Island
    "BR": "America/Sao_Paulo",  # not the Atlantic islands: Brasília's time
    "CA": "America/Toronto",  # not Newfoundland
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Chuuk",  # the most populous state (the capital's Pohnpei is an hour on)
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Gaza",  # the same clock as Hebron's
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",  # not Kaliningrad
    "UA": "Europe/Kyiv",  # not Crimea's Simferopol (Moscow time all year)
    "UM": "Pacific/Midway",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",  # not Samarkand
}


def test_every_country_of_several_zones_starts_with_its_main_one() -> None:
    """zone.tab orders zones by geography: Ukraine's first was Crimea, Russia's Kaliningrad, Canada's St John's."""
    from greeter.country_zones import _table

    several = {code for code, zones in _table().items() if len(zones) > 1}
    assert several == set(MAIN_ZONES)
    assert {code: zones_of(code)[0] for code in sorted(several)} == MAIN_ZONES


def test_init_and_the_zone_from_country_fallback_agree_for_every_country() -> None:
    """``init --country`` writes the zone a zoneless client of that country gets (where it has one clock)."""
    from greeter.cli_init import project_country
    from greeter.country_zones import _table

    for code in _table():
        written = project_country("en", code)[1]
        assert written == zones_of(code)[0]
        assert country_zone(code) in (None, written)
    assert project_country("uk", "UA") == ("UA", "Europe/Kyiv")
    assert project_country("en", "RU") == ("RU", "Europe/Moscow")
    assert offset_zone("UA", 2 * 60) == ("Europe/Kyiv", "")  # winter time: Kyiv's, not a Crimean guess
