"""Latvian and Lithuanian genders: the gender column's words, and a first name's ending.

A Riga office's CRM writes «Dzimums» as vīrietis/sieviete (a Vilnius one's «Lytis» vyras/moteris):
each was an unknown gender value, every row warned. Latvian first names say the gender by their
ending (Jānis, Ģirts, Andris, Kārlis: -s/-š; Līga, Ilze: -a/-e), as Lithuanian ones do (Jonas,
Ona, Eglė): with no gender column value, a contact of lv or lt, or in LV or LT, is read so —
«Cienījamais Ģirt!» needs it. A Russian-speaking Latvian's «Ivans» with the locale ru is not (a
Russian letter is worded without the first name's gender), nor a name elsewhere.
"""

from __future__ import annotations

import pytest

from greeter.contacts import Contact, Gender
from greeter.names import gender_of
from greeter.sources.name_cells import gender_word


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("vīrietis", Gender.MALE),
        ("Vīrietis", Gender.MALE),
        ("virietis", Gender.MALE),
        ("vīr.", Gender.MALE),
        ("sieviete", Gender.FEMALE),
        ("siev.", Gender.FEMALE),
        ("vyras", Gender.MALE),
        ("vyr.", Gender.MALE),
        ("moteris", Gender.FEMALE),
        ("mot.", Gender.FEMALE),
        ("mees", Gender.MALE),
        ("V", None),  # Dutch's V is vrouw, female: the CRM says what it means (gender_values)
        ("S", None),
    ],
)
def test_the_gender_column_reads_latvian_and_lithuanian_words(cell: str, gender: Gender | None) -> None:
    assert gender_word(cell) is gender


def _contact(first: str, locale: str | None, country: str | None = None) -> Contact:
    return Contact(id="1", email=None, first_name=first, last_name="", locale=locale, country=country)


@pytest.mark.parametrize(
    ("first", "locale", "country", "gender"),
    [
        ("Ģirts", "lv", None, Gender.MALE),
        ("Jānis", "lv", None, Gender.MALE),
        ("Andris", "lv", "LV", Gender.MALE),
        ("Kārlis", None, "LV", Gender.MALE),
        ("Miķelis", "lv_LV", None, Gender.MALE),
        ("Rūdolfs", "lv", None, Gender.MALE),
        ("Līga", "lv", None, Gender.FEMALE),
        ("Ilze", "lv", None, Gender.FEMALE),
        ("Dace", None, "LV", Gender.FEMALE),
        ("Jonas", "lt", None, Gender.MALE),
        ("Eglė", "lt", None, Gender.FEMALE),
        ("Rūta", None, "LT", Gender.FEMALE),
        ("Ivans", "ru", "LV", Gender.UNKNOWN),  # a Russian letter: the first name says nothing
        ("Dace", None, None, Gender.UNKNOWN),  # elsewhere: no ending rule
    ],
)
def test_a_latvian_or_lithuanian_first_name_says_its_gender_by_its_ending(
    first: str, locale: str | None, country: str | None, gender: Gender
) -> None:
    assert gender_of(_contact(first, locale, country)) is gender


def test_the_gender_column_still_wins() -> None:
    contact = Contact(id="1", email=None, first_name="Jānis", last_name="", locale="lv", gender=Gender.FEMALE)
    assert gender_of(contact) is Gender.FEMALE


def test_a_contact_of_a_latvian_project_is_read_by_the_ending_too() -> None:
    """A Riga project's ``defaults.locale: lv``: its rows name no language of their own."""
    contact = Contact(id="1", email=None, first_name="Ģirts", last_name="Ķēniņš", default_locale="lv")
    assert gender_of(contact) is Gender.MALE
