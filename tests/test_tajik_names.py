"""Tajik names: «духтари» (daughter of) and «писари» (son of) say the gender; -зода says none.

A Dushanbe office's CRM writes a patronymic as Tajik does, the particle before the father's name
(«духтари Рустам», «писари Карим»): greeter read no gender from it, and the letter was worded for
nobody. The -зода ending (Рустамзода, "born of") is carried by men and women alike, as a surname
and as a patronymic: it must say no gender, and a patronymic with a particle is written as given.
"""

from __future__ import annotations

import pytest

from greeter.addressing import decline, gender_of
from greeter.contacts import Contact, Gender
from greeter.patronymics import is_turkic, patronymic_gender


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        ("духтари Рустам", Gender.FEMALE),
        ("Духтари Рустам", Gender.FEMALE),
        ("писари Карим", Gender.MALE),
        ("Рустамзода", Gender.UNKNOWN),
        ("Саидзода", Gender.UNKNOWN),
    ],
)
def test_a_tajik_patronymic_s_gender(patronymic: str, gender: Gender) -> None:
    assert patronymic_gender(patronymic) is gender


def test_a_particle_s_patronymic_is_written_as_given() -> None:
    assert is_turkic("духтари Рустам") and is_turkic("писари Карим")
    daughter = Contact(
        id="1", email=None, first_name="Фотима", patronymic="духтари Рустам", last_name="Саидова"
    )
    assert gender_of(daughter) is Gender.FEMALE
    assert decline(daughter, "dative") == "Фотиме духтари Рустам"
    son = Contact(id="2", email=None, first_name="Фаррух", patronymic="писари Карим", last_name="Рустамзода")
    assert gender_of(son) is Gender.MALE
    assert decline(son, "dative") == "Фарруху писари Карим"


def test_zoda_says_no_gender_for_a_man_or_a_woman() -> None:
    for first in ("Фаррух", "Фотима"):
        person = Contact(id="1", email=None, first_name=first, patronymic="Рустамзода")
        assert patronymic_gender(person.patronymic or "") is Gender.UNKNOWN
