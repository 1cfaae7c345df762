"""Unknown time zones get the zone meant, never one hours away (greeter.timezones).

``MSK`` once drew 'MST' (US Mountain, UTC−7) and ``UTC+3`` drew 'UTC': a
marketer accepting either would have moved every letter by hours. The config's
``defaults.timezone`` and a contacts row's time-zone column share one
suggestion function, so both are tested here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.sources import load_contacts
from greeter.timezones import ABBREVIATIONS, RUSSIAN_ZONES, suggest_zones, zone_hint
from tests.test_config import MINIMAL, errors_of

SIGN = "Etc names invert the sign"


def offset(zone: str) -> set[timedelta | None]:
    """A zone's UTC offsets in winter and summer of a fixed year."""
    tz = ZoneInfo(zone)
    return {tz.utcoffset(datetime(2026, 1, 15)), tz.utcoffset(datetime(2026, 7, 15))}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("MSK", "unknown time zone 'MSK', did you mean 'Europe/Moscow'?"),
        ("msk", "unknown time zone 'msk', did you mean 'Europe/Moscow'?"),
        ("МСК", "unknown time zone 'МСК', did you mean 'Europe/Moscow'?"),
        ("YEKT", "unknown time zone 'YEKT', did you mean 'Asia/Yekaterinburg'?"),
        ("KALT", "unknown time zone 'KALT', did you mean 'Europe/Kaliningrad'?"),
        ("NOVT", "unknown time zone 'NOVT', did you mean 'Asia/Novosibirsk'?"),
        ("PETT", "unknown time zone 'PETT', did you mean 'Asia/Kamchatka'?"),
        (
            "UTC+3",
            f"unknown time zone 'UTC+3', did you mean 'Europe/Moscow' (or 'Etc/GMT-3', which is UTC+03:00: {SIGN})?",
        ),
        (
            "GMT+3",
            f"unknown time zone 'GMT+3', did you mean 'Europe/Moscow' (or 'Etc/GMT-3', which is UTC+03:00: {SIGN})?",
        ),
        (
            "UTC+03:00",
            f"unknown time zone 'UTC+03:00', did you mean 'Europe/Moscow' (or 'Etc/GMT-3', which is UTC+03:00: {SIGN})?",
        ),
        (
            "UTC+7",
            f"unknown time zone 'UTC+7', did you mean 'Asia/Krasnoyarsk' (or 'Etc/GMT-7', which is UTC+07:00: {SIGN})?",
        ),
        (
            "MSK+4",
            f"unknown time zone 'MSK+4', did you mean 'Asia/Krasnoyarsk' (or 'Etc/GMT-7', which is UTC+07:00: {SIGN})?",
        ),
        (
            "MSK-1",
            f"unknown time zone 'MSK-1', did you mean 'Europe/Kaliningrad' (or 'Etc/GMT-2', which is UTC+02:00: {SIGN})?",
        ),
        ("UTC-5", f"unknown time zone 'UTC-5', did you mean 'Etc/GMT+5' (which is UTC-05:00: {SIGN})?"),
        ("UTC+0", "unknown time zone 'UTC+0', did you mean 'UTC'?"),
        ("UTC+5:30", "unknown time zone 'UTC+5:30', did you mean 'Asia/Kolkata'?"),
        (
            "UTC+15",
            "unknown time zone 'UTC+15' (no time zone is UTC+15:00; use an IANA name like 'Europe/Moscow')",
        ),
        ("Moscow", "unknown time zone 'Moscow', did you mean 'Europe/Moscow'?"),
        ("Europe/Moskow", "unknown time zone 'Europe/Moskow', did you mean 'Europe/Moscow'?"),
        ("europe/moscow", "unknown time zone 'europe/moscow', did you mean 'Europe/Moscow'?"),
        (
            "IST",
            "unknown time zone 'IST' (time-zone abbreviations are ambiguous: use an IANA name like 'Europe/Moscow')",
        ),
    ],
)
def test_the_config_suggests_the_zone_meant(written: str, expected: str) -> None:
    text = MINIMAL.replace("timezone: Europe/Moscow", f"timezone: '{written}'")
    assert errors_of(text) == [f"greeter.yaml:16:3: defaults.timezone: {expected}"]


def test_every_russian_abbreviation_names_a_zone_of_its_offset() -> None:
    """The table is facts about tzdata: if a zone's offset ever changes, this says so."""
    for abbr, zone, hours in RUSSIAN_ZONES:
        assert offset(zone) == {timedelta(hours=hours)}, abbr
        assert suggest_zones(abbr)[0] == (zone,)
    for zone in ABBREVIATIONS.values():
        ZoneInfo(zone)  # exists


@pytest.mark.parametrize("prefix", ["UTC", "GMT", "utc", ""])
@pytest.mark.parametrize("hours", range(-12, 15))
def test_an_offset_is_answered_only_with_zones_of_that_offset(prefix: str, hours: int) -> None:
    for written in (f"{prefix}{hours:+d}", f"{prefix}{hours:+03d}:00", f"{prefix}{hours:+03d}00"):
        zones, _ = suggest_zones(written)
        assert zones, written
        for zone in zones:
            assert offset(zone) == {timedelta(hours=hours)}, (written, zone)


@pytest.mark.parametrize("steps", range(-1, 10))
def test_an_offset_from_moscow_is_answered_with_russias_zone_of_it(steps: int) -> None:
    zones, _ = suggest_zones(f"MSK{steps:+d}")
    assert zones and all(offset(zone) == {timedelta(hours=3 + steps)} for zone in zones)
    assert zones[0] == RUSSIAN_ZONES[steps + 1][1]


@pytest.mark.parametrize("written", ["Etc/GMT-15", "Etc/GMT+3x", "UTC+5:15", "GMT+3 Moscow", "+99"])
def test_an_offset_no_zone_has_gets_advice_not_a_look_alike(written: str) -> None:
    """'Etc/GMT-15' looks like 'Etc/GMT-1' or 'Etc/GMT': both are hours away from what was meant."""
    assert suggest_zones(written)[0] == ()
    assert "did you mean" not in zone_hint(written)


def test_a_contacts_row_is_read_as_the_zone_the_config_would_be_told(tmp_path: Path) -> None:
    """What the config is told it meant, a contact's cell is read as (with a warning saying how): the
    default, hours away, greeted such clients at night. A look-alike is only suggested."""
    path = tmp_path / "c.csv"
    path.write_text(
        "ID;Email;Часовой пояс\n1;a@example.com;MSK\n2;b@example.com;UTC+5\n3;c@example.com;Asia/Omsk\n"
        "4;d@example.com;Asia/Omskk\n",
        encoding="utf-8",
    )
    columns = Columns(id="ID", email="Email", timezone="Часовой пояс", first_name=None, patronymic=None,
                      last_name=None)  # fmt: skip
    contacts, report = load_contacts(ContactsSource(path=path, columns=columns), Defaults())
    assert [c.timezone for c in contacts] == ["Europe/Moscow", "Asia/Yekaterinburg", "Asia/Omsk", None]
    assert [str(p) for p in report.problems] == [
        f"{path}:row 2: Часовой пояс: warning: 'MSK' read as Europe/Moscow; write Europe/Moscow in the CRM",
        f"{path}:row 3: Часовой пояс: warning: 'UTC+5' read as Asia/Yekaterinburg (Russia's zone of UTC+05:00,"
        " the same clock as Etc/GMT-5); write Asia/Yekaterinburg in the CRM",
        f"{path}:row 5: Часовой пояс: warning: unknown time zone 'Asia/Omskk': letters to this contact are"
        " timed in Europe/Moscow (defaults.timezone); did you mean 'Asia/Omsk'?",
    ]


@pytest.mark.parametrize("name", ["Europe", "America/Argentina", "Europe/", "", "../etc/passwd"])
def test_a_region_folder_or_a_path_is_no_zone_and_no_crash(name: str) -> None:
    """``ZoneInfo("Europe")`` raises IsADirectoryError (it reads the folder): a contact row with it
    crashed the whole load (found by tests/test_fuzz.py)."""
    from greeter.sources.zone_cells import zone_reading
    from greeter.timezones import is_zone

    assert not is_zone(name)
    zone, problem, _ = zone_reading(name)
    assert zone is None and problem.startswith(
        f"unknown time zone {name!r}: letters to this contact are timed in"
    )


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Москва", "Europe/Moscow"),
        ("москва", "Europe/Moscow"),
        ("Киев", "Europe/Kyiv"),
        ("Київ", "Europe/Kyiv"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Владивосток", "Asia/Vladivostok"),
        ("Калининград", "Europe/Kaliningrad"),
        ("Алматы", "Asia/Almaty"),
        ("Ташкент", "Asia/Tashkent"),
        ("Минск", "Europe/Minsk"),
        ("Мінськ", "Europe/Minsk"),
        ("Белград", "Europe/Belgrade"),
        ("Будапешт", "Europe/Budapest"),
        ("Таллин", "Europe/Tallinn"),
        ("Нью-Йорк", "America/New_York"),
        ("Масква", "Europe/Moscow"),  # misspelt
    ],
)
def test_a_city_in_the_marketers_language_is_answered_with_its_zone(written: str, zone: str) -> None:
    """``defaults.timezone: Москва`` is as clear as ``Moscow``: CLDR's city names, not a hand list."""
    text = MINIMAL.replace("timezone: Europe/Moscow", f"timezone: '{written}'")
    expected = f"unknown time zone {written!r}, did you mean {zone!r}?"
    assert errors_of(text) == [f"greeter.yaml:16:3: defaults.timezone: {expected}"]
    assert offset(zone) == offset(suggest_zones(written)[0][0])


def test_a_contacts_row_with_a_city_is_read_as_the_zone_the_config_is_told(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("ID;Email;Часовой пояс\n1;a@example.com;Київ\n", encoding="utf-8")
    columns = Columns(id="ID", email="Email", timezone="Часовой пояс", first_name=None, patronymic=None,
                      last_name=None)  # fmt: skip
    [contact], report = load_contacts(ContactsSource(path=path, columns=columns), Defaults())
    [problem] = report.problems
    assert contact.timezone == "Europe/Kyiv"
    assert str(problem).endswith("'Київ' read as Europe/Kyiv; write Europe/Kyiv in the CRM"), problem


@pytest.mark.parametrize("written", ["Нарния", "Лукоморье"])
def test_a_place_cldr_names_no_zone_after_gets_advice(written: str) -> None:
    """A place no zone is named after and greeter's list of Russian cities lacks: advice, not a
    look-alike city hours away (St Petersburg, once here, is in that list: tests/test_russian_cities.py)."""
    assert suggest_zones(written)[0] == ()
