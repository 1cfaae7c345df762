"""«Dr Emma», «Prof Tom», «Professor Tom»: titles typed the British way, and a title alone in the
gender column.

Found by a QA re-test of the English formal register: a first-name cell «Dr Emma»
gave «Dear Dr Emma Carter,» (expected «Dear Dr Carter,»), «Prof Tom» «Dear Prof Tom
Black,», and with the gender F «Dear Ms Carter,» — only «Dr.» and «Prof.» with their
dot were titles. And an English CRM's salutation column holding «Dr» warned «'Dr' is
not a gender value … map it with contacts.gender_values, e.g. {Dr: female}» — a
title is no gender — while the letter said «Dear Ms Carter». Now Dr, Prof and
Professor before a name word are the titles Dr. and Prof. are, and a title alone in
the gender column carries the title and no gender; so does Herr/Frau/Mr/Mrs typed
before the first name («Herr DI Franz» greeted «Guten Tag Herr DI Franz Gruber»). A German salutation writes them
with the dot, as German does («Herr Prof. Dr. Schäfer»); the name keeps them as typed.
"""

from __future__ import annotations

import json

import pytest

from greeter.contacts import Gender, academic_titles
from greeter.letter_forms import Person, addressed
from greeter.sources.name_cells import gender_word
from tests.conftest import MakeProject
from tests.faults import greeter

M, F = Gender.MALE, Gender.FEMALE
U = Gender.UNKNOWN


@pytest.mark.parametrize(
    ("first", "last", "gender", "locale", "expected"),
    [
        ("Dr Emma", "Carter", U, "en_GB", ("Dear Dr Carter", "Dr Carter")),
        ("Dr Emma", "Carter", F, "en_GB", ("Dear Dr Carter", "Dr Carter")),
        ("Dr Emma", "Carter", F, "en_US", ("Dear Dr. Carter", "Dr. Carter")),
        ("Prof Tom", "Black", M, "en_GB", ("Dear Professor Black", "Professor Black")),
        ("Professor Tom", "Black", U, "en_GB", ("Dear Professor Black", "Professor Black")),
        ("Tom", "Prof Black", M, "en_GB", ("Dear Professor Black", "Professor Black")),
        ("Prof Dr Klaus", "Schäfer", M, "de_DE", ("Sehr geehrter Herr Prof. Dr. Schäfer", "Klaus")),
        ("Dr Eva", "Huber", F, "de_AT", ("Sehr geehrte Frau Dr. Huber", "Eva")),
    ],
)
def test_a_title_without_its_dot_is_a_title(
    first: str, last: str, gender: Gender, locale: str, expected: tuple[str, str]
) -> None:
    assert addressed(Person(first, "", last, gender), locale, formal=True) == expected


def test_the_first_name_register_leaves_it_out() -> None:
    assert addressed(Person("Dr Emma", "", "Carter", F), "en_GB", formal=False) == ("Dear Emma", "Emma")


@pytest.mark.parametrize(
    ("first", "last", "titled"),
    [
        ("Dr", "Carter", ("", "Dr", "Carter")),  # a word alone is a name as typed, never a title
        ("Emma", "Dr", ("", "Emma", "Dr")),
        ("Prof", "", ("", "Prof", "")),
        ("Dr Emma", "Carter", ("Dr", "Emma", "Carter")),  # the name keeps the title as typed
        ("Professor Tom", "Black", ("Professor", "Tom", "Black")),
        ("Doktor Hans", "Müller", ("", "Doktor Hans", "Müller")),
    ],
)
def test_only_before_another_name_word(first: str, last: str, titled: tuple[str, str, str]) -> None:
    assert tuple(academic_titles(first, last)) == titled


@pytest.mark.parametrize(
    ("cell", "gender", "titles"),
    [
        ("Dr", None, "Dr."),
        ("Dr.", None, "Dr."),
        ("Prof", None, "Prof."),
        ("Prof.", None, "Prof."),
        ("Professor", None, "Prof."),
        ("Herr Professor", M, "Prof."),
        ("Mrs", F, ""),
        ("Emma", None, ""),
    ],
)
def test_a_title_alone_in_the_gender_column(cell: str, gender: Gender | None, titles: str) -> None:
    from greeter.sources.name_cells import gender_titles  # imported here: the rest runs on the base

    assert (gender_word(cell), gender_titles(cell)) == (gender, titles)


#: ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;…;Страна
ROWS = [
    "6001;c6001@example.co.uk;Carter;Emma;;Dr;;Europe/London;en_GB;regular;;08.01.1971;;;GB",
    "6002;c6002@example.co.uk;Black;Tom;;Prof.;;Europe/London;en_GB;regular;;09.01.1972;;;GB",
    "6003;c6003@example.co.uk;Carter;Dr Emma;;F;;Europe/London;en_GB;regular;;10.01.1973;;;GB",
    "6004;c6004@example.co.uk;Black;Professor Tom;;;;Europe/London;en_GB;regular;;11.01.1974;;;GB",
    "6005;c6005@example.co.uk;Dunn;Ann;;Dr;;Europe/London;en_GB;regular;;12.01.1975;;;GB",
    # Herr/Frau/Mr/Mrs typed before the first name: the gender, as a gender cell's
    "6006;c6006@example.at;Gruber;Herr DI Franz;;;;Europe/Vienna;de_AT;regular;;13.01.1976;;;AT",
    "6007;c6007@example.co.uk;Smith;Mrs. Robin;;;;Europe/London;en_GB;regular;;14.01.1977;;;GB",
    "6008;c6008@example.at;Lange;Frau;;;;Europe/Vienna;de_AT;regular;;15.01.1978;;;AT",
]


def test_the_crm_rows_are_greeted_by_their_titles(make_project: MakeProject) -> None:
    config = make_project(
        ROWS,
        defaults={"country": "GB", "timezone": "Europe/London"},
        sender={"by_locale": {"en": {"addressing": "formal"}}},
    )
    args = ("preview", "--from", "2027-01-01", "--days", "20", "--occasion", "birthday", "--format", "json")
    done = greeter(config, *args)
    assert done.returncode == 0, done.stderr
    assert "not a gender value" not in done.stderr
    assert "gender_values" not in done.stderr
    letters = {
        r["email"][1:5]: r["text"].splitlines()[0] for r in json.loads(done.stdout) if r["status"] == "send"
    }
    assert letters == {
        "6001": "Dear Dr Carter,",
        "6002": "Dear Professor Black,",
        "6003": "Dear Dr Carter,",
        "6004": "Dear Professor Black,",
        "6005": "Dear Dr Dunn,",
        "6006": "Sehr geehrter Herr DI Gruber,",
        "6007": "Dear Ms Smith,",
        "6008": "Guten Tag Frau Lange,",  # «Frau» alone is left as typed: no name follows it
    }
    names = {r["email"][1:5]: r["name"] for r in json.loads(done.stdout)}
    assert (names["6006"], names["6007"]) == ("DI Franz Gruber", "Robin Smith")


@pytest.mark.parametrize("cell", ["Mag", "Ing", "PhD"])
def test_no_warning_suggests_mapping_a_title_to_a_gender(cell: str) -> None:
    from greeter.sources.name_cells import unknown_gender_warning

    said = unknown_gender_warning(cell)
    assert said.endswith("map it with contacts.gender_values"), said
    assert unknown_gender_warning("N").endswith("e.g. {N: male or female}")  # a CRM's code for a gender
