"""Russian cities CLDR names no zone after («Уфа», «Казань») are read as their zone.

A Kazan office's CRM said «Уфа», «Ижевск», «Казань», «Набережные Челны» in the
time-zone column: each was "unknown time zone …", timed in defaults.timezone
(Moscow: two hours late for Ufa), and «Уфа», three letters, was told that
"time-zone abbreviations are ambiguous". Real zoneinfo, CLDR (Babel) and rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.russian_cities import CITIES_BY_ZONE
from greeter.sources import load_contacts
from greeter.timezones import _city_names, _fold_city, is_zone, suggest_zones, zone_hint, zone_meant


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Уфа", "Asia/Yekaterinburg"),
        ("Ижевск", "Europe/Samara"),
        ("Казань", "Europe/Moscow"),
        ("Набережные Челны", "Europe/Moscow"),
        ("набережные  челны", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"),
        ("Пермь", "Asia/Yekaterinburg"),
        ("Челябинск", "Asia/Yekaterinburg"),
        ("Оренбург", "Asia/Yekaterinburg"),
        ("Хабаровск", "Asia/Vladivostok"),
        ("Южно-Сахалинск", "Asia/Sakhalin"),
        ("Орёл", "Europe/Moscow"),
        ("Орел", "Europe/Moscow"),
        ("Самара", "Europe/Samara"),  # CLDR's, as before
        ("Екатеринбург", "Asia/Yekaterinburg"),
    ],
)
def test_a_russian_city_means_its_zone(written: str, zone: str) -> None:
    assert zone_meant(written) == (zone, "")


@pytest.mark.parametrize(("written", "zone"), [("Ufa", "Asia/Yekaterinburg"), ("Kazan", "Europe/Moscow")])
def test_a_city_in_latin_letters_is_suggested_as_cldr_s_are(written: str, zone: str) -> None:
    assert suggest_zones(written) == ((zone,), "")


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Шымкент", "Asia/Almaty"),  # was "unknown time zone", while «Астана» was read
        ("Караганда", "Asia/Almaty"),
        ("Қарағанды", "Asia/Almaty"),  # as Kazakh writes it
        ("Павлодар", "Asia/Almaty"),
        ("Усть-Каменогорск", "Asia/Almaty"),
        ("Өскемен", "Asia/Almaty"),
        ("Тараз", "Asia/Almaty"),
        ("Семей", "Asia/Almaty"),
        ("Семипалатинск", "Asia/Almaty"),
        ("Рудный", "Asia/Qostanay"),
        ("Жанаозен", "Asia/Aqtau"),
        # the regions with zones of their own, CLDR's as before
        ("Актобе", "Asia/Aqtobe"),
        ("Атырау", "Asia/Atyrau"),
        ("Костанай", "Asia/Qostanay"),
        ("Кызылорда", "Asia/Qyzylorda"),
        ("Уральск", "Asia/Oral"),
    ],
)
def test_a_kazakhstan_city_means_its_zone(written: str, zone: str) -> None:
    assert zone_meant(written) == (zone, "")


@pytest.mark.parametrize("written", ["Shymkent", "Karaganda", "Ust-Kamenogorsk", "Semey", "Oskemen"])
def test_a_kazakhstan_city_in_latin_letters_is_suggested(written: str) -> None:
    assert suggest_zones(written) == (("Asia/Almaty",), "")


def test_a_contacts_row_with_the_city_is_timed_in_its_zone(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("ID;Email;Часовой пояс\n1;a@example.com;Уфа\n2;b@example.com;Ижевск\n", encoding="utf-8")
    columns = Columns(id="ID", email="Email", timezone="Часовой пояс", first_name=None, patronymic=None,
                      last_name=None)  # fmt: skip
    contacts, report = load_contacts(ContactsSource(path=path, columns=columns), Defaults())
    assert [c.timezone for c in contacts] == ["Asia/Yekaterinburg", "Europe/Samara"]
    assert [str(p) for p in report.problems] == [
        f"{path}:row 2: Часовой пояс: warning: 'Уфа' read as Asia/Yekaterinburg; write Asia/Yekaterinburg in the CRM",
        f"{path}:row 3: Часовой пояс: warning: 'Ижевск' read as Europe/Samara; write Europe/Samara in the CRM",
    ]


@pytest.mark.parametrize("written", ["Орск", "Ist", "Нарния"])
def test_a_word_that_is_no_abbreviation_is_not_told_abbreviations_are_ambiguous(written: str) -> None:
    assert "abbreviations" not in zone_hint(written)


@pytest.mark.parametrize("written", ["IST", "ist", "CST", "БСТ"])
def test_an_abbreviation_still_is(written: str) -> None:
    assert zone_hint(written).startswith("time-zone abbreviations are ambiguous")


def test_the_list_names_real_zones_and_never_disagrees_with_cldr() -> None:
    from greeter.timezones import _zone_names

    cldr: dict[str, str] = {}
    for zone, names in Locale.parse("ru").time_zones.items():
        if names.get("city"):
            cldr[_fold_city(names["city"])] = zone
    read = _city_names("ru")
    seen: set[str] = set()
    for zone, cities in CITIES_BY_ZONE.items():
        assert is_zone(zone) and zone in _zone_names()
        for city in cities:
            key = _fold_city(city)
            assert key not in seen, city  # once in the list
            seen.add(key)
            assert cldr.get(key, zone) == zone, city
            assert read[key] == zone, city
