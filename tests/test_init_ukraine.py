"""A Ukrainian office's leftovers: ``init --country UA``, 8 March, Ukraine's days off, Ukrainian first names.

- ``greeter init --country UA`` without ``--locale`` started a Russian project, and neither it nor
  ``--locale uk`` offered a holiday of Ukraine's own ("greeter has no example holiday for UA").
- ``shared_holidays`` read Ukraine's public holidays only: under martial law the holidays library
  keeps all of them (8 March too) in its ``workday`` category, so a Russian-speaking Kyiv
  office's ``womens_day`` was commented out as "Russia's".
- ``regional_days_off``' ``holidays_of`` of Ukraine's (workday) holidays does make days off.
- A Ukrainian client without a patronymic had no gender from the first name: «Олег» got
  «Добрий день!», «Олена» «Добрий день, Олено!».
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import borrowed_days_off, build_calendar
from greeter.cli import main
from greeter.cli_init import shared_holidays
from greeter.config_loader import load_settings, parse_settings
from greeter.contacts import Contact, Gender
from greeter.given_names import given_name_gender
from greeter.holiday_tables import days_of
from greeter.letter_forms import salutation
from greeter.names import audience_gender, gender_of
from greeter.starter_countries import country_locale
from tests.conftest import TODAY, without_decree_notes
from tests.test_config import MINIMAL

ROOT = Path(__file__).resolve().parent.parent


def _init(folder: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output
    return (folder / "greeter.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- init --country UA


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        (None, "ru"),
        ("UA", "uk"),
        ("ua", "uk"),
        (" UA ", "uk"),
        ("UA-30", "uk"),  # Kyiv city: its country's
        ("ua_30", "uk"),
        ("KZ", "ru"),  # a Russian-speaking team's office
        ("RS", "sr"),  # a starter language's country: its own (tests/test_init_no_starter_language.py)
        ("EE", "et"),
        ("DE", "de"),
        ("JP", "en"),  # no starter language: English, never Russian letters unasked
    ],
)
def test_the_country_alone_picks_ukrainian_for_ukraine(country: str | None, expected: str) -> None:
    assert country_locale(country, "ru") == expected


@pytest.mark.parametrize(
    ("args", "locale", "birthday"),
    [
        (("--country", "UA"), "uk", "birthday.uk.j2"),
        (("--country", "ua"), "uk", "birthday.uk.j2"),
        (("--locale", "uk"), "uk", "birthday.uk.j2"),
        (("--country", "UA", "--locale", "ru"), "ru", "birthday.j2"),  # asked for: the Russian starter
        (("--country", "KZ"), "ru", "birthday.j2"),
    ],
)
def test_init_country_ua_starts_a_ukrainian_project(
    tmp_path: Path, args: tuple[str, ...], locale: str, birthday: str
) -> None:
    text = _init(tmp_path, *args)
    assert f"\n  locale: {locale} " in text
    written = (tmp_path / "templates" / "birthday.j2").read_text(encoding="utf-8")
    assert written == (ROOT / "templates" / birthday).read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("--country", "UA"), ("--locale", "uk")])
def test_a_ukrainian_starter_greets_christmas_and_offers_independence_and_defenders_day(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _init(tmp_path, *args)
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert settings.defaults.country == "UA" and settings.defaults.timezone == "Europe/Kyiv"
    christmas = {o.name: o for o in settings.occasions}["christmas"]
    assert (christmas.title, christmas.holiday, christmas.priority) == (
        "Різдво Христове",
        "Різдво Христове",
        90,
    )
    assert christmas.title_by_locale["ru"] == "Рождество Христово"
    text = (tmp_path / "greeter.yaml").read_text(encoding="utf-8")
    for name in ('"День незалежності України"', '"День захисників і захисниць України"'):
        assert f"  #   holiday: {name}\n" in text
    assert "greeter has no example holiday for UA" not in text
    done = CliRunner().invoke(
        main, ["--config", str(tmp_path / "greeter.yaml"), "check", "--now", "2026-12-01T10:00:00+02:00"]
    )
    assert done.exit_code == 0, done.output
    assert "greeter.yaml" not in without_decree_notes(done.stderr), done.stderr


def test_the_christmas_letter_of_a_ukrainian_starter_is_ukrainian(tmp_path: Path) -> None:
    _init(tmp_path, "--country", "UA")
    done = CliRunner().invoke(
        main,
        [
            "--config",
            str(tmp_path / "greeter.yaml"),
            "preview",
            "--from",
            "2026-12-25",
            "--days",
            "1",
            "--occasion",
            "christmas",
            "--format",
            "json",
            "--now",
            "2026-12-01T10:00:00+02:00",
        ],
    )
    assert done.exit_code == 0, done.output
    import json

    subjects = {d["subject"] for d in json.loads(done.stdout) if d["status"] == "send"}
    # New Year (1 January) merges into the letter of 25 December: the subject names both.
    assert "Олександре Петровичу, з Різдвом і з Новим роком!" in subjects, subjects


# --------------------------------------------------------------------------- 8 March


@pytest.mark.parametrize(
    ("country", "russian", "theirs"),
    [
        ("UA", "International Women's Day", "International Women's Day"),  # workday category
        ("UA", "Defender of the Fatherland Day", None),  # Ukraine's is 1 October
        (
            "BY",
            "Defender of the Fatherland Day",
            "Day of the Fatherland's Defenders and the Armed Forces of the Republic of Belarus",
        ),
        ("KZ", "International Women's Day", "International Women's Day"),
        ("KZ", "Defender of the Fatherland Day", None),  # Kazakhstan's is 7 May
        ("UZ", "International Women's Day", "Women's Day"),
        ("AT", "International Women's Day", None),
    ],
)
def test_russias_holidays_kept_are_those_the_country_greets_on_the_same_day(
    country: str, russian: str, theirs: str | None
) -> None:
    assert shared_holidays(country, 2027).get(russian) == theirs


def test_a_russian_speaking_kyiv_office_keeps_8_march(tmp_path: Path) -> None:
    _init(tmp_path, "--country", "UA", "--locale", "ru")
    occasions = {o.name: o for o in load_settings(tmp_path / "greeter.yaml", today=TODAY).occasions}
    assert occasions["womens_day"].holiday == "International Women's Day"
    assert "defender_day" not in occasions


# --------------------------------------------------------------------------- Ukraine's days off


UA_DAYS_OFF = """\
send_window:
  regional_days_off:
    UA: {holidays_of: {country: UA, names: ["Independence Day", "День захисників і захисниць України"]}}
"""


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 8, 24), False),  # Independence Day: the workday category's, listed
        (date(2027, 10, 1), False),  # Day of defenders, by its Ukrainian name
        (date(2027, 6, 28), True),  # Constitution Day: not listed, a working day under martial law
        (date(2027, 8, 25), True),
    ],
)
def test_ukraines_workday_holidays_named_in_holidays_of_are_days_off(day: date, working: bool) -> None:
    assert day not in days_of("UA", 2027)  # no public holiday: the library's workday category
    window = parse_settings(MINIMAL + UA_DAYS_OFF, "greeter.yaml", today=TODAY).send_window
    assert build_calendar(window, "UA", range(2026, 2028)).is_working_day(day) is working
    assert build_calendar(window, "UA", range(2020, 2021)).is_working_day(day) is working  # outside
    named = ("UA", ("Independence Day", "День захисників і захисниць України"), True)
    assert (day in borrowed_days_off(named, 2027)) is not working


# --------------------------------------------------------------------------- Ukrainian first names


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Олег", "male"),
        ("Олена", "female"),
        ("Оксана", "female"),
        ("Тарас", "male"),
        ("Богдан", "male"),
        ("Ірина", "female"),
        ("Андрій", "male"),
        ("Юлія", "female"),
        ("Євген", "male"),
        ("Микола", "male"),  # -а, a man
        ("Ілля", "male"),
        ("Мар'яна", "female"),
        ("Мар’яна", "female"),  # the apostrophes a CRM writes
        ("Марʼяна", "female"),
        ("ОЛЕНА", "female"),
        ("Олена-Ірина", "female"),
        ("Саша", None),  # either
        ("Слава", None),
        ("Валя", None),
        ("Сава", None),  # not in the dictionary: the detector's guess (female) is not taken
        ("Ґеник", None),
    ],
)
def test_ukrainian_first_names_say_a_gender(name: str, gender: str | None) -> None:
    assert given_name_gender(name) == gender
    assert given_name_gender(name, patronymic_names=False) is None  # a people with patronymics


@pytest.mark.parametrize(
    ("first", "locale", "gender", "greeting"),
    [
        ("Олег", "uk", Gender.MALE, "Шановний пане Олегу"),
        ("Олена", "uk", Gender.FEMALE, "Шановна пані Олено"),
        ("Тарас", "uk_UA", Gender.MALE, "Шановний пане Тарасе"),
        ("Ірина", "uk", Gender.FEMALE, "Шановна пані Ірино"),
        ("Богдан", "uk", Gender.MALE, "Шановний пане Богдане"),
        ("Саша", "uk", Gender.UNKNOWN, "Добрий день, Сашо"),
        ("Валя", "uk", Gender.UNKNOWN, "Добрий день"),
        ("Олена", "ru", Gender.UNKNOWN, "Здравствуйте, Олена"),  # Russian etiquette: the name alone
    ],
)
def test_a_ukrainian_client_without_a_patronymic_is_addressed_by_the_gender_of_the_name(
    first: str, locale: str, gender: Gender, greeting: str
) -> None:
    contact = Contact(id="1", email=None, first_name=first, last_name="Коваленко", locale=locale)
    assert gender_of(contact) is gender
    assert salutation(contact, locale) == greeting
    assert audience_gender(contact).gender is gender


def test_the_gender_column_and_the_patronymic_still_win() -> None:
    column = Contact(id="1", email=None, first_name="Олена", gender=Gender.MALE, locale="uk")
    patronymic = Contact(id="2", email=None, first_name="Олена", patronymic="Петрівна", locale="uk")
    assert gender_of(column) is Gender.MALE
    assert gender_of(patronymic) is Gender.FEMALE
