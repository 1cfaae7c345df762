"""A Russian region's clients get its zone; legacy zones are said; Russian cities in Latin letters are read.

Testers' gaps: a contact in Bashkortostan (country cell ``RU-BA``, declared in
``send_window.regional_days_off``) with an empty zone cell was timed in
``defaults.timezone`` (Moscow), two hours late for Ufa; ``EST`` in a Russian
client's zone cell was taken silently (tzdata's fixed UTC−5); ``Ufa`` and
``Kazan`` were "unknown time zone … did you mean" while «Уфа» was read.
Real zoneinfo, CLDR (Babel) and rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.config_loader import parse_settings
from greeter.country_zones import country_zone, zones_of
from greeter.ru_regions import RU_REGION_ZONES, RU_REGIONS, region_zone
from greeter.sources import load_contacts
from greeter.timezones import zone_meant
from tests.conftest import TODAY
from tests.test_config import MINIMAL

#: Each region's administrative centre, in Russian, as a zone cell would name it.
CAPITALS = {
    "BA": "Уфа", "TA": "Казань", "UD": "Ижевск", "SAM": "Самара", "MOW": "Москва", "SPE": "Санкт-Петербург",
    "SVE": "Екатеринбург", "CHE": "Челябинск", "PER": "Пермь", "ORE": "Оренбург", "TYU": "Тюмень",
    "KGN": "Курган", "KHM": "Ханты-Мансийск", "YAN": "Салехард", "OMS": "Омск", "NVS": "Новосибирск",
    "TOM": "Томск", "ALT": "Барнаул", "AL": "Горно-Алтайск", "KEM": "Кемерово", "KYA": "Красноярск",
    "KK": "Абакан", "TY": "Кызыл", "IRK": "Иркутск", "BU": "Улан-Удэ", "ZAB": "Чита", "AMU": "Благовещенск",
    "KHA": "Хабаровск", "PRI": "Владивосток", "YEV": "Биробиджан", "MAG": "Магадан", "SAK": "Южно-Сахалинск",
    "KAM": "Петропавловск-Камчатский", "CHU": "Анадырь", "KGD": "Калининград", "KIR": "Киров",
    "VGG": "Волгоград", "AST": "Астрахань", "SAR": "Саратов", "ULY": "Ульяновск", "NIZ": "Нижний Новгород",
    "KDA": "Краснодар", "ROS": "Ростов-на-Дону", "KL": "Элиста", "DA": "Махачкала", "ARK": "Архангельск",
}  # fmt: skip


def test_every_region_but_sakha_has_one_zone_of_russia() -> None:
    assert set(RU_REGION_ZONES) == set(RU_REGIONS) - {"SA"}  # Sakha: three zones by 107-FZ
    assert set(RU_REGION_ZONES.values()) <= set(zones_of("RU"))


@pytest.mark.parametrize(("region", "city"), sorted(CAPITALS.items()))
def test_a_region_s_zone_is_its_capital_s(region: str, city: str) -> None:
    meant = zone_meant(city)  # CLDR's city names and greeter/russian_cities.py's
    if meant is None:
        pytest.skip(f"{city}: no zone known for it")
    assert RU_REGION_ZONES[region] == meant[0]


def test_a_region_keeps_its_zone_and_russia_none() -> None:
    assert country_zone("RU-BA") == region_zone("ru-ba") == "Asia/Yekaterinburg"
    assert country_zone("RU-TA") == "Europe/Moscow"
    assert country_zone("RU-SA") is None  # several zones: the default and check's warning stay
    assert country_zone("RU") is None  # as before
    assert region_zone("DE-BY") is None


def _load(tmp_path: Path, rows: str) -> tuple[list[str | None], list[str]]:
    parse_settings(
        MINIMAL + "send_window:\n  regional_days_off:\n    RU-BA: {days: [2026-10-11]}\n",
        "g.yaml",
        today=TODAY,
    )  # declares RU-BA: the country cell takes it
    path = tmp_path / "c.csv"
    path.write_text("ID;Email;TZ;Country\n" + rows, encoding="utf-8")
    columns = Columns(id="ID", email="Email", timezone="TZ", country="Country", first_name=None,
                      patronymic=None, last_name=None)  # fmt: skip
    contacts, report = load_contacts(ContactsSource(path=path, columns=columns), Defaults())
    return [c.timezone for c in contacts], [str(p) for p in report.problems]


def test_a_row_in_a_declared_region_without_a_zone_gets_the_region_s(tmp_path: Path) -> None:
    zones, problems = _load(
        tmp_path, "1;a@example.com;;RU-BA\n2;b@example.com;;Башкортостан\n3;c@example.com;;RU\n"
    )
    assert zones == ["Asia/Yekaterinburg", "Asia/Yekaterinburg", None]
    assert problems == []


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        (
            "EST",
            "'EST' read as EST (a time-zone abbreviation: tzdata's EST is a fixed offset, UTC-05:00 all year"
            " without daylight saving; write the client's city zone (America/New_York…) in the CRM)",
        ),
        (
            "CST6CDT",
            "'CST6CDT' read as CST6CDT (a time-zone abbreviation: tzdata's CST6CDT is a legacy rule name,"
            " not a place; write the client's city zone (America/Chicago…) in the CRM)",
        ),
        ("Ufa", "'Ufa' read as Asia/Yekaterinburg; write Asia/Yekaterinburg in the CRM"),
        ("Kazan", "'Kazan' read as Europe/Moscow; write Europe/Moscow in the CRM"),
    ],
)
def test_a_legacy_zone_is_said_and_a_latin_city_read(tmp_path: Path, cell: str, said: str) -> None:
    zones, problems = _load(tmp_path, f"1;a@example.com;{cell};RU\n")
    assert zones == [{"Ufa": "Asia/Yekaterinburg", "Kazan": "Europe/Moscow"}.get(cell, cell)]
    assert problems == [f"{tmp_path / 'c.csv'}:row 2: TZ: warning: {said}"]
