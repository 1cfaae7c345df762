"""Georgian says a gender in its own words: a Tbilisi CRM's gender column, forms of address, patronymics.

The column held ქალი/კაცი (woman/man), ქ/კ, ქალბატონი/ბატონი, and each was a row warning until
mapped in ``contacts.gender_values``; «ბატონი გიორგი» in the first-name cell was greeted with
the title as a name; «შალვას ძე» (son of Shalva) said no gender.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.addressing import gender_of
from greeter.config_loader import load_settings
from greeter.contacts import Gender
from greeter.patronymics import patronymic_gender
from greeter.sources import load_contacts
from greeter.sources.name_cells import address_form, gender_word
from tests.conftest import MakeProject, contact_row


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("კაცი", Gender.MALE), ("კ", Gender.MALE), ("მამრობითი", Gender.MALE), ("ბატონი", Gender.MALE),
        ("ქალი", Gender.FEMALE), ("ქ", Gender.FEMALE), ("მდედრობითი", Gender.FEMALE),
        ("ქალბატონი", Gender.FEMALE), (" ქალი ", Gender.FEMALE),
    ],
)  # fmt: skip
def test_georgian_gender_cells_are_read(cell: str, gender: Gender) -> None:
    assert gender_word(cell) is gender


def test_a_georgian_form_of_address_before_the_first_name_is_its_gender() -> None:
    assert address_form("ქალბატონი ნინო") == (Gender.FEMALE, "ნინო")
    assert address_form("ბატონი გიორგი") == (Gender.MALE, "გიორგი")
    assert address_form("ბატონი") is None  # the word alone is left as typed


def test_a_georgian_patronymic_says_son_or_daughter() -> None:
    assert patronymic_gender("შალვას ძე") is Gender.MALE
    assert patronymic_gender("შალვას ასული") is Gender.FEMALE
    assert patronymic_gender("ბერიძე") is Gender.UNKNOWN  # -ძე joined is a surname's ending
    assert patronymic_gender("ძე") is Gender.UNKNOWN  # no father's name: not a patronymic


def test_a_tbilisi_crms_rows_have_their_genders_without_gender_values(make_project: MakeProject) -> None:
    def row(cid: str, first: str, patronymic: str = "", gender: str = "") -> str:
        cells = contact_row(cid, f"c{cid}@example.ge", first=first, last="ბერიძე", patronymic=patronymic)
        parts = cells.split(";")
        parts[5], parts[8] = gender, "ka"
        return ";".join(parts)

    rows = [
        row("1", "ნინო", gender="ქალი"),
        row("2", "გიორგი", gender="კ"),
        row("3", "ბატონი ლევან"),
        row("4", "გიორგი", patronymic="შალვას ძე"),
        row("5", "თამარ", patronymic="შალვას ასული"),
    ]
    settings = load_settings(make_project(rows), today=date(2026, 12, 1))
    contacts, report = load_contacts(settings.contacts, settings.defaults)
    assert {c.id: gender_of(c) for c in contacts} == {
        "1": Gender.FEMALE, "2": Gender.MALE, "3": Gender.MALE, "4": Gender.MALE, "5": Gender.FEMALE,
    }  # fmt: skip
    assert {c.id: c.first_name for c in contacts}["3"] == "ლევან"
    assert not [p for p in report.problems if "gender" in str(p).lower() or "Пол" in str(p)], report.problems
