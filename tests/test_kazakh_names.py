"""Kazakh names, as an Almaty office's CRM keeps them: «і» is a Kazakh letter, not Ukrainian spelling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.addressing import belarusian_spelling, decline
from greeter.cli import main
from greeter.contacts import Contact, Gender
from tests.conftest import MakeProject

NOW = "2026-12-04T10:00+05:00"


def person(
    first: str,
    patronymic: str = "",
    last: str = "",
    *,
    locale: str | None = "ru",
    country: str | None = None,
    gender: Gender | None = None,
) -> Contact:
    return Contact(
        id="1", email="a@example.kz", first_name=first, patronymic=patronymic, last_name=last,
        gender=gender, locale=locale, country=country,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("contact", "case", "expected"),
    [
        # «Серіковій», «Серікової», «Серіковою», «Жүсіповій», «Әбілқасымовим»: Ukrainian endings
        (person("Динара", "Ахметкызы", "Серікова"), "dative", "Динаре Ахметкызы Серіковой"),
        (person("ДИНАРА", "АХМЕТКЫЗЫ", "СЕРІКОВА"), "dative", "ДИНАРЕ АХМЕТКЫЗЫ СЕРІКОВОЙ"),
        (person("Динара", "Ахметкызы", "Серікова"), "genitive", "Динары Ахметкызы Серіковой"),
        (person("Динара", "Ахметкызы", "Серікова"), "instrumental", "Динарой Ахметкызы Серіковой"),
        (person("Мөлдір", "", "Жүсіпова", gender=Gender.FEMALE), "dative", "Мөлдір Жүсіповой"),
        (person("Бақытжан", "Серікұлы", "Әбілқасымов"), "instrumental", "Бақытжаном Серікұлы Әбілқасымовым"),
        (
            person("Айгерим", "", "Серікова", country="KZ"),
            "dative",
            "Айгерим Серіковой",
        ),  # a Kazakh client's «і»
        (person("Айгерим", "", "Серікова", locale="kk"), "dative", "Айгерим Серіковой"),
    ],
)
def test_a_kazakh_name_declines_by_russian_rules(contact: Contact, case: str, expected: str) -> None:
    assert decline(contact, case, parts="full") == expected
    assert decline(contact, case, parts="full", language="ru") == expected


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        # the contact's language is Ukrainian: «і» alone is Ukrainian spelling, in a Russian letter too
        (person("Віктор", "", "Іваненко", locale="uk"), "Віктору Іваненку"),
        (person("Віктор", "", "Іваненко", locale="uk", country="KZ"), "Віктору Іваненку"),
        # no sign of Kazakh: «і» still reads Ukrainian («Олексіем» by the Russian rules)
        (person("Олексій", "Іванович", "Шевченко"), "Олексію Івановичу Шевченко"),
        (person("Наталія", "Юріївна", "Шевченко"), "Наталії Юріївні Шевченко"),
        # ї, є, ґ are Ukrainian's alone: with one in the name, its «і» is Ukrainian too
        (person("Наталія", "Юріївна", "Шевченко", country="KZ"), "Наталії Юріївні Шевченко"),
    ],
)
def test_ukrainian_spelling_still_declines_by_ukrainian_rules(contact: Contact, expected: str) -> None:
    assert decline(contact, "dative", parts="full", language="ru") == expected


@pytest.mark.parametrize(
    ("first", "patronymic", "last", "locale"),
    [
        ("Динара", "Серіккызы", "Ахметова", "ru"),  # «і» beside «ы» in one word, as Belarusian has it
        ("Ерік", "", "Тілеуберды", "kk"),
        ("Әлия", "Серікқызы", "Нұрланова", "ru"),
    ],
)
def test_a_kazakh_name_is_no_belarusian_spelling(first: str, patronymic: str, last: str, locale: str) -> None:
    assert not belarusian_spelling(first, patronymic, last, locale)
    assert belarusian_spelling("Ірына", "", "", "ru")  # still Belarusian


def test_check_does_not_call_kazakh_names_belarusian(make_project: MakeProject) -> None:
    rows = [
        "1;c1@example.kz;Ахметова;Динара;Серіккызы;;;Asia/Almaty;ru;regular;;10.12.1975;;;KZ",
        "2;c2@example.kz;Тілеуберды;Ерік;;;;Asia/Almaty;kk;regular;;10.12.1975;;;KZ",
    ]
    result = CliRunner().invoke(main, ["--config", str(make_project(rows)), "check", "--now", NOW, "--json"])
    data: dict[str, Any] = json.loads(result.stdout)
    assert not [p for p in data["problems"] if "Belarusian" in p]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Нурлан", True),  # «Нұрлан» typed on a Russian keyboard
        ("Нурлан Ахметов", True),
        ("нурл", True),  # the start, folded too
        ("Болатулы", True),
        ("Нұрлан", True),  # as written
        ("Нурланова", False),  # another name
    ],
)
def test_a_kazakh_name_is_found_as_a_russian_keyboard_types_it(typed: str, found: bool) -> None:
    from greeter.history_people import _folded_key, name_matches

    nurlan = person("Нұрлан", "Болатұлы", "Ахметов")
    wanted = _folded_key(typed).split()
    assert (
        name_matches(nurlan, wanted, folded=True) or name_matches(nurlan, wanted, starts=True, folded=True)
    ) is found


def test_preview_finds_a_kazakh_contact_by_its_russian_spelling(make_project: MakeProject) -> None:
    """``--contact Нурланова`` said «no contact has id or name 'Нурланова'» for «Әлия Серікқызы Нұрланова»."""
    rows = [
        "2002;c1@example.kz;Нұрланова;Әлия;Серікқызы;;;Asia/Almaty;ru;regular;;10.12.1975;;;KZ",
        "2003;c2@example.kz;Ахметов;Нұрлан;Болатұлы;;;Asia/Almaty;ru;regular;;11.12.1975;;;KZ",
    ]
    config = make_project(rows)
    for typed, cid in (("Нурланова", "2002"), ("Нурлан", "2003"), ("Алия Сериккызы", "2002")):
        result = CliRunner().invoke(
            main, ["--config", str(config), "preview", "--now", NOW, "--contact", typed]
        )
        assert result.exit_code == 0, result.stderr
        other = "2003" if cid == "2002" else "2002"
        assert f" {cid} " in result.stdout and f" {other} " not in result.stdout, (typed, result.stdout)
