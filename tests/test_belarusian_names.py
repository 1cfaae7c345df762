"""Belarusian names, as a Minsk office's CRM keeps them: gender from -віч/-аўна/-еўна and the Пол column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.addressing import gender_of, salutation
from greeter.cli import main
from greeter.contacts import Contact, Gender
from greeter.patronymics import cyrillic_word, lookalike_latin
from greeter.sources.name_cells import gender_word
from tests.conftest import MakeProject

NOW = "2026-12-04T10:00+03:00"

M, F, U = Gender.MALE, Gender.FEMALE, Gender.UNKNOWN


def person(first: str = "", patronymic: str = "", last: str = "", gender: Gender | None = None) -> Contact:
    return Contact(
        id="1", email="a@example.by", first_name=first, patronymic=patronymic, last_name=last, gender=gender
    )


@pytest.mark.parametrize(
    ("first", "patronymic", "expected"),
    [
        ("Вольга", "Іванаўна", F),  # -аўна: the Minsk office's women were all of unknown gender
        ("Ірына", "Сяргееўна", F),  # -еўна
        ("Дар'я", "Уладзіміраўна", F),
        ("Алеся", "Паўлаўна", F),
        ("Барбара", "Юр'еўна", F),
        ("Ганна", "Ільінічна", F),  # -ічна, as Russian's -ична
        ("Аляксандр", "Міхайлавіч", M),
        ("Аляксандр", "Мiхайлавiч", M),  # a Latin «i» for «і», as a Russian keyboard types it
        ("Аляксандр", "МIХАЙЛАВIЧ", M),  # and its capital
        ("Вольга", "Iванаўна", F),
        ("Анна", "Petrovnа", F),  # a Latin word with a Cyrillic «а» is still read as Latin
    ],
)
def test_belarusian_patronymic_says_the_gender(first: str, patronymic: str, expected: Gender) -> None:
    assert gender_of(person(first, patronymic)) is expected


def test_belarusian_women_are_greeted_as_women() -> None:
    """A Russian letter to «Вольга Іванаўна» said «Здравствуйте», as to someone of unknown gender."""
    assert salutation(person("Вольга", "Іванаўна"), "ru") == "Уважаемая Вольга Іванаўна"
    assert salutation(person("Аляксандр", "Мiхайлавiч"), "ru") == "Уважаемый Аляксандр Мiхайлавiч"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("муж", M),
        ("мужчынскі", M),
        ("Мужчына", M),
        ("спадар", M),
        ("жан", F),
        ("жан.", F),
        ("жаночы", F),
        ("Жанчына", F),
        ("спадарыня", F),
        ("ж", F),
    ],
)
def test_belarusian_gender_column(cell: str, expected: Gender) -> None:
    assert gender_word(cell) is expected


@pytest.mark.parametrize(
    ("word", "latin", "cyrillic"),
    [
        ("Мiхайлавiч", "i", "Міхайлавіч"),
        ("Aлександр", "A", "Александр"),
        ("Міхайлавіч", "", "Міхайлавіч"),  # all Cyrillic
        ("Petrovnа", "", "Petrovnа"),  # mostly Latin: the other way round
        ("Иванqв", "", "Иванqв"),  # a «q» looks like no Cyrillic letter: not a keyboard's slip
        ("Smith", "", "Smith"),
    ],
)
def test_latin_lookalikes_in_a_cyrillic_word(word: str, latin: str, cyrillic: str) -> None:
    assert lookalike_latin(word) == latin
    assert cyrillic_word(word) == cyrillic


def belarusian(first: str, patronymic: str, last: str = "", locale: str | None = "be") -> Contact:
    return Contact(
        id="2", email="b@example.by", first_name=first, patronymic=patronymic, last_name=last, locale=locale
    )


@pytest.mark.parametrize("language", ["ru", "uk", "be", None])
@pytest.mark.parametrize(
    ("contact", "written"),
    [
        (belarusian("Дар'я", "Уладзіміраўна"), "Дар'я Уладзіміраўна"),  # was «Дар'е Уладзіміраўні»
        (belarusian("Мікола", "Пятровіч"), "Мікола Пятровіч"),  # was «Міколі Пятровічу»
        (belarusian("Ірына", "", locale="ru"), "Ірына"),  # «і» beside «ы»: no Ukrainian word
        (belarusian("Аляксандр", "Мiхайлавiч", locale=None), "Аляксандр Мiхайлавiч"),  # Latin «i»
        (belarusian("Дар'я", "", locale="be"), "Дар'я"),  # «Дар'я» alone: the contact's language says it
    ],
)
def test_a_belarusian_name_is_printed_as_written(
    contact: Contact, written: str, language: str | None
) -> None:
    from greeter.addressing import decline

    for case in ("dative", "genitive", "instrumental"):
        assert decline(contact, case, language=language) == written


@pytest.mark.parametrize(
    ("contact", "dative"),
    [
        (belarusian("Александр", "Михайлович", locale="be"), "Александру Михайловичу"),  # Russian spelling
        (belarusian("Олексій", "Юрійович", locale="uk"), "Олексію Юрійовичу"),  # Ukrainian: its own rules
    ],
)
def test_russian_and_ukrainian_spelling_still_declines(contact: Contact, dative: str) -> None:
    from greeter.addressing import decline

    assert decline(contact, "dative", language="ru") == dative


#: Minsk office rows in the example project's columns (:data:`tests.conftest.HEADER`).
def by_row(cid: str, last: str, first: str, patronymic: str, language: str = "be", gender: str = "") -> str:
    return (
        f"{cid};c{cid}@example.by;{last};{first};{patronymic};{gender};;Europe/Minsk;{language};regular;;"
        "10.12.1975;;;BY"
    )


def check_json(config: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW, "--json"])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def warnings(data: dict[str, Any]) -> list[str]:
    """The messages of ``check --json``'s warnings, without the place they are at."""
    return [p.partition(": warning: ")[2] for p in data["problems"] if ": warning: " in p]


def test_check_says_a_belarusian_name_is_not_declined_in_a_russian_letter(make_project: MakeProject) -> None:
    config = make_project(
        [
            by_row("1", "Лукашэвіч", "Дар'я", "Уладзіміраўна"),
            by_row("2", "Зайцаў", "Мікола", "Пятровіч", language="ru"),
            by_row("3", "Козлов", "Сергей", "Николаевич", language="ru"),
        ]
    )
    said = [w for w in warnings(check_json(config)) if "Belarusian spelling" in w]
    assert said == [
        "2 contact(s) with names in Belarusian spelling get letters in 'ru' (1 Дар'я Уладзіміраўна Лукашэвіч,"
        " 2 Мікола Пятровіч Зайцаў): a case asked of the name (name('dative')…) prints it as written (the"
        " nominative), as in a letter in 'be': the declension has no Belarusian rules; word the sentence for"
        " it, or drop the case"
    ]


@pytest.mark.parametrize(
    ("name", "dative"),
    [
        ("ІП Шчарбакоў С. І.", "ІП Шчарбакоў С. І."),  # was «компании «ІП Шчарбакоў С. І.»»
        ("Індывідуальны прадпрымальнік Шчарбакоў С. І.", "ІП Шчарбакоў С. І."),
        ("ААТ «Гродна Азот»", "ААТ «Гродна Азот»"),  # was «компании ААТ «Гродна Азот»»
        ("ЗАТ «Атлант»", "ЗАТ «Атлант»"),
        ("СААТ «Белкард»", "СААТ «Белкард»"),
        ("СООО «Мобильные ТелеСистемы»", "СООО «Мобильные ТелеСистемы»"),
        ("ИООО «Эпам Системз»", "ИООО «Эпам Системз»"),
        ("ЧТУП «Кравец и К»", "ЧТУП «Кравец и К»"),
        ("ПУП «Мебель»", "ПУП «Мебель»"),
        ("Таварыства з абмежаванай адказнасцю «Зорка»", "ТАА «Зорка»"),
        ("Адкрытае акцыянернае таварыства Белшына", "ААТ «Белшына»"),
        ('Закрытае акцыянернае таварыства "Атлант"', "ЗАТ «Атлант»"),
    ],
)
def test_belarusian_company_forms(name: str, dative: str) -> None:
    from greeter.company_names import company_in

    assert company_in(name, "dative") == dative


#: A Minsk office's Belarusian letter and the helper file wording its salutation by the gender.
BIRTHDAY_BE = """{% extends "_layout.html.j2" %}
{% block subject %}{{ contact|name }}, з днём нараджэння!{% endblock %}
{% block heading %}З днём нараджэння!{% endblock %}
{% block message %}
Прыміце нашы самыя цёплыя віншаванні з днём нараджэння!
{% endblock %}
"""
HELPER_BE = """{% macro salutation(contact) -%}
{%- if contact.gender == "male" -%}
Паважаны {{ contact|name }}
{%- elif contact.gender == "female" -%}
Паважаная {{ contact|name }}
{%- else -%}
Добры дзень, {{ contact|name }}
{%- endif -%}
{%- endmacro %}
{% set salutation_end = "!" %}
{% set closing = "З павагай," %}
"""


def belarusian_project(make_project: MakeProject, rows: list[str]) -> Path:
    config = make_project(rows)
    (config.parent / "templates" / "birthday.be.j2").write_text(BIRTHDAY_BE, encoding="utf-8")
    (config.parent / "templates" / "_be.j2").write_text(HELPER_BE, encoding="utf-8")
    return config


def test_check_counts_unknown_genders_under_the_users_own_salutation(make_project: MakeProject) -> None:
    """«Добры дзень, Паўлюк!» for a contact the gender column would greet «Паважаны»: said, as for
    greeter's own salutations, though _be.j2 words it."""
    config = belarusian_project(
        make_project,
        [by_row("1", "Паўлюк", "Паўлюк", ""), by_row("2", "Караткевіч", "Вольга", "Іванаўна")],
    )
    said = [w for w in warnings(check_json(config)) if "gender is unknown" in w]
    assert said == [
        "1 contact(s) get letters that open with the salutation _be.j2 words for an unknown gender (its macro"
        " reads contact.gender) because their gender is unknown (1 Паўлюк Паўлюк): neither the gender column,"
        " a patronymic nor a first name greeter knows says it; fill their 'Пол' column"
        " (contacts.columns.gender), or map the values it holds with contacts.gender_values"
    ]


def test_a_helper_file_wording_its_letters_is_used(make_project: MakeProject) -> None:
    """_be.j2 words every Belarusian letter's salutation and closing: not "never rendered"."""
    config = belarusian_project(make_project, [by_row("1", "Караткевіч", "Вольга", "Іванаўна")])
    data = check_json(config)
    assert "_be.j2" not in data["unused_templates"]
    assert not [p for p in data["problems"] if p.startswith("_be.j2")]


def test_latin_lookalikes_in_a_cyrillic_name_are_a_row_warning(make_project: MakeProject) -> None:
    """«Мiхайлавiч» (a Russian keyboard's Latin «i») and «Aлександр» (a Latin «A») were read in silence."""
    config = make_project(
        [
            by_row("1", "Шушкевіч", "Аляксандр", "Мiхайлавiч"),
            by_row("2", "Шушкевич", "Aлександр", "Михайлович", language="ru"),
            by_row("3", "Караткевіч", "Вольга", "Іванаўна"),
        ]
    )
    data = check_json(config)
    said = [p.partition("contacts.csv:")[2] for p in data["problems"] if "look-alike" in p]
    assert said == [
        "row 2: Отчество: warning: has Latin look-alike letters among Cyrillic ones:"
        " 'Мiхайлавiч' (i); read as the Cyrillic letters they show, printed as typed: retype them in"
        " Cyrillic in the CRM",
        "row 3: Имя: warning: has Latin look-alike letters among Cyrillic ones:"
        " 'Aлександр' (A); read as the Cyrillic letters they show, printed as typed: retype them in"
        " Cyrillic in the CRM",
    ]
    assert data["row_problems"] == {"has Latin look-alike letters among Cyrillic ones": 2}


def test_a_belarusian_holiday_may_be_named_in_russian() -> None:
    """``holiday: "Радуница"`` (the library's Russian of «Радаўніца») was refused in a BY project."""
    from datetime import date

    from greeter.holiday_names import unknown_holiday
    from greeter.occasions import holiday_dates

    assert unknown_holiday("Радуница", "BY", [2026, 2027]) is None
    assert holiday_dates("BY", "Радуница", 2027) == (date(2027, 5, 11),)
    assert holiday_dates("BY", "День Независимости Республики Беларусь (День Республики)", 2027) == (
        date(2027, 7, 3),
    )
    assert holiday_dates("BY", "Radunitsa (Day of Rejoicing)", 2027) == (date(2027, 5, 11),)
    assert holiday_dates("BY", "Радаўніца", 2027) == (date(2027, 5, 11),)
    refused = unknown_holiday("Радуниса", "BY", [2026, 2027])  # a misspelling is still told the one meant
    assert refused is not None and refused.count("did you mean") == 1
