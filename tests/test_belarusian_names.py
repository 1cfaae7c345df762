"""Belarusian names, as a Minsk office's CRM keeps them: gender from -віч/-аўна/-еўна and the Пол column."""

from __future__ import annotations

import pytest

from greeter.addressing import gender_of, salutation
from greeter.contacts import Contact, Gender
from greeter.names import cyrillic_word, lookalike_latin
from greeter.sources.name_cells import gender_word

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
