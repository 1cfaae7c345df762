"""A country written as the client's own country writes it ("Україна", "Қазақстан") is that country."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.countries import parse_country
from greeter.sources import load_contacts


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Україна", "UA"),
        ("україна", "UA"),
        ("Қазақстан", "KZ"),
        ("Србија", "RS"),
        ("Srbija", "RS"),
        ("Magyarország", "HU"),
        ("Eesti", "EE"),
        ("Deutschland", "DE"),
        ("Azərbaycan", "AZ"),
        ("Oʻzbekiston", "UZ"),  # Latin Uzbek's apostrophe is a letter of its own (U+02BB)
        ("Ўзбекистон", "UZ"),
        ("Беларусь", "BY"),
    ],
)
def test_a_country_in_its_own_language_is_understood(raw: str, code: str) -> None:
    assert parse_country(raw) == (code, "")


def test_a_ukrainian_clients_row_gets_ukraines_days_off_not_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "ID;Email;Имя;Страна;Дата рождения\n"
        "1;a@example.com;Тарас;Україна;22.03.1980\n"
        "2;b@example.com;Айгуль;Қазақстан;22.03.1980\n",
        encoding="utf-8",
    )
    cfg = ContactsSource(
        path=path,
        columns=Columns(
            id="ID", email="Email", first_name="Имя", patronymic=None, last_name=None, country="Страна"
        ),
        dates={"birthday": "Дата рождения"},
    )
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.country for c in contacts] == ["UA", "KZ"]
    assert report.problems == []


def test_other_languages_are_read_only_for_a_name_russian_and_english_lack_and_only_of_its_script() -> None:
    """Russian and English first (most rows); "Україна" reads the Cyrillic languages, not the Latin ones."""
    script = (
        "import greeter.countries as c\n"
        "read = []\n"
        "names = c._names\n"
        "c._names = lambda language: read.append(language) or names(language)\n"
        "assert c.parse_country('Россия') == ('RU', '')\n"
        "assert c.parse_country('Україна') == ('UA', '')\n"
        "print(' '.join(read))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    read = out.stdout.split()
    assert read[:3] == ["ru", "ru", "en"] and read[-1] == "uk", read
    assert not {"de", "hu", "et", "fr"} & set(read), read


def test_a_name_no_language_has_is_still_refused() -> None:
    code, why = parse_country("Нарния")
    assert code is None and "'Нарния' is not a country code" in why


@pytest.mark.parametrize("name", ["Россия", "Germany", "РФ"])
def test_a_russian_or_english_name_reads_no_other_language(name: str) -> None:
    """Which languages are official where (Babel's data for every territory, ~10 ms) is read
    only for a name neither Russian nor English has: not for a Russian CRM's "Россия"."""
    from greeter import countries

    parse_country.cache_clear()
    countries._official_languages.cache_clear()
    assert parse_country(name)[0] in ("RU", "DE")
    assert countries._official_languages.cache_info().currsize == 0
    assert parse_country("Україна") == ("UA", "")  # a Ukrainian name still reads the Cyrillic languages
    assert countries._official_languages.cache_info().currsize == 1
