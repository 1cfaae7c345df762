"""Austrian titles: Mag., DI, Ing. are titles in either name column and in the gender cell, and an
Austrian salutation names them; a German one keeps DIN 5008's Prof. and Dr. only.

Found by a marketer at a Vienna firm: «Gruber;DI Franz;männlich» (de_AT) was greeted «Sehr
geehrter Herr Gruber,» — Austrians write «Sehr geehrter Herr DI Gruber,» — but «Guten Tag DI
Franz Gruber,» without a gender; «Mag. Huber;Thomas» was «Thomas Mag. Huber» in the To:
header; «Ing. Wolf;Klaus;Herr Ing.» was «Guten Tag Klaus Ing. Wolf,» with the warning
``'Herr Ing.' is not a gender value``; and «Frau Prof.» gave the gender but lost the title.
"""

from __future__ import annotations

import json

import pytest

from greeter.contacts import Contact, Gender, academic_titles, salutation_titles
from greeter.letter_forms import salutation
from greeter.sources.name_cells import gender_word
from tests.conftest import MakeProject
from tests.faults import greeter

M, F = Gender.MALE, Gender.FEMALE


def person(first: str, last: str, gender: Gender | None = None, locale: str = "de_AT") -> Contact:
    return Contact(
        id="1", email="a@example.com", first_name=first, last_name=last, gender=gender, locale=locale
    )


@pytest.mark.parametrize(
    ("contact", "expected", "name"),
    [
        (person("DI Franz", "Gruber", M), "Sehr geehrter Herr DI Gruber", "DI Franz Gruber"),
        (person("DI Franz", "Gruber"), "Sehr geehrter Herr DI Gruber", "DI Franz Gruber"),  # Franz: male
        (person("DI Kim", "Gruber"), "Guten Tag DI Kim Gruber", "DI Kim Gruber"),  # no gender: DI kept too
        (person("Mag. Thomas", "Huber", M), "Sehr geehrter Herr Mag. Huber", "Mag. Thomas Huber"),
        (person("Thomas", "Mag. Huber", M), "Sehr geehrter Herr Mag. Huber", "Mag. Thomas Huber"),
        (person("Eva", "Mag.a Berger", F), "Sehr geehrte Frau Mag.a Berger", "Mag.a Eva Berger"),
        (person("Klaus", "Ing. Wolf", M), "Sehr geehrter Herr Ing. Wolf", "Ing. Klaus Wolf"),
        (
            person("Dipl.-Ing. Peter", "Brand", M),
            "Sehr geehrter Herr Dipl.-Ing. Brand",
            "Dipl.-Ing. Peter Brand",
        ),
        (
            person("Mag. Dr. Anna", "Berger", F),
            "Sehr geehrte Frau Dr. Berger",
            "Mag. Dr. Anna Berger",
        ),  # highest
        (person("DDr. Karl", "Moser", M), "Sehr geehrter Herr DDr. Moser", "DDr. Karl Moser"),
        (
            person("Univ.-Prof. Dr. Eva", "Berger", F),
            "Sehr geehrte Frau Prof. Dr. Berger",
            "Univ.-Prof. Dr. Eva Berger",
        ),
        (person("Dkfm. Otto", "Lang", M), "Sehr geehrter Herr Dkfm. Lang", "Dkfm. Otto Lang"),
        (person("Mag. (FH) Eva", "Berger", F), "Sehr geehrte Frau Mag. Berger", "Mag. (FH) Eva Berger"),
        (
            person("Franz", "DI MARCO", M),
            "Sehr geehrter Herr DI MARCO",
            "Franz DI MARCO",
        ),  # a surname in capitals
    ],
)
def test_an_austrian_salutation_names_the_degree(contact: Contact, expected: str, name: str) -> None:
    assert (salutation(contact, "de_AT"), contact.display_name) == (expected, name)


@pytest.mark.parametrize(
    ("contact", "locale", "expected"),
    [
        # Germany and Switzerland: DIN 5008, the degree in the address only
        (person("DI Franz", "Gruber", M, "de"), "de", "Sehr geehrter Herr Gruber"),
        (person("DI Franz", "Gruber", None, "de"), "de", "Sehr geehrter Herr Gruber"),
        (person("DI Kim", "Gruber", None, "de"), "de", "Guten Tag Kim Gruber"),
        (person("Mag. Thomas", "Huber", M, "de_CH"), "de_CH", "Sehr geehrter Herr Huber"),
        (person("Univ.-Prof. Dr. Eva", "Berger", F, "de"), "de", "Sehr geehrte Frau Prof. Dr. Berger"),
        (person("DDr. Karl", "Moser", M, "de"), "de", "Sehr geehrter Herr Dr. Moser"),
        (person("Prof. Dr. Klaus", "Schäfer", M, "de_AT"), "de_AT", "Sehr geehrter Herr Prof. Dr. Schäfer"),
    ],
)
def test_a_german_salutation_keeps_din_5008(contact: Contact, locale: str, expected: str) -> None:
    assert salutation(contact, locale) == expected


@pytest.mark.parametrize(
    ("titles", "germany", "austria"),
    [
        ("DI", "", "DI"),
        ("Mag.", "", "Mag."),
        ("Ing.", "", "Ing."),
        ("Ing. Mag.", "", "Mag."),  # the academic degree above the engineer's qualification
        ("Mag. Dr.", "Dr.", "Dr."),
        ("Hon.-Prof. Mag.", "Prof.", "Prof. Mag."),
        ("Dr.in", "Dr.", "Dr.in"),
        ("Dr. med.", "Dr.", "Dr."),
    ],
)
def test_which_titles_a_salutation_names(titles: str, germany: str, austria: str) -> None:
    assert (salutation_titles(titles), salutation_titles(titles, austria=True)) == (germany, austria)


def test_a_name_that_is_no_title_stays_a_name() -> None:
    assert academic_titles("Di", "Marco") == ("", "Di", "Marco")
    assert academic_titles("Magnus", "Ingold") == ("", "Magnus", "Ingold")


@pytest.mark.parametrize(
    ("cell", "gender", "titles"),
    [
        ("Herr Mag.", M, "Mag."),
        ("Herr DI", M, "DI"),
        ("Herr Ing.", M, "Ing."),
        ("Frau Mag.", F, "Mag."),
        ("Frau Mag.a", F, "Mag.a"),
        ("Frau Prof.", F, "Prof."),
        ("Frau Dr.", F, "Dr."),  # as before, and now the title too
        ("Herr Prof. Dr.", M, "Prof. Dr."),
        ("Herr Dr", M, "Dr."),
        ("Herr", M, ""),
        ("männlich", M, ""),
        ("Herr Müller", None, ""),
    ],
)
def test_a_gender_cell_gives_the_gender_and_the_title(cell: str, gender: Gender | None, titles: str) -> None:
    from greeter.sources.name_cells import gender_titles  # new: imported here, so the rest runs on the base

    assert (gender_word(cell), gender_titles(cell)) == (gender, titles)


#: ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;…;Страна
ROWS = [
    "5001;c5001@example.at;Gruber;DI Franz;;männlich;;Europe/Vienna;de_AT;regular;;08.01.1971;;;AT",
    "5002;c5002@example.at;Mag. Huber;Thomas;;männlich;;Europe/Vienna;de_AT;regular;;09.01.1972;;;AT",
    "5003;c5003@example.at;Ing. Wolf;Klaus;;Herr Ing.;;Europe/Vienna;de_AT;regular;;10.01.1973;;;AT",
    "5004;c5004@example.at;Berger;Eva;;Frau Prof.;;Europe/Vienna;de_AT;regular;;11.01.1974;;;AT",
    "5005;c5005@example.at;Moser;Karl;;Herr Mag.;;Europe/Vienna;de_AT;regular;;12.01.1975;;;AT",
    "5006;c5006@example.de;Schulz;Jörg;;Herr DI;;Europe/Berlin;de;regular;;13.01.1976;;;DE",
    "5007;c5007@example.at;Dr. Lang;Otto;;Herr Dr.;;Europe/Vienna;de_AT;regular;;14.01.1977;;;AT",
]


def test_the_crm_rows_are_read_and_greeted_as_austrians_write(make_project: MakeProject) -> None:
    config = make_project(ROWS, defaults={"country": "AT", "timezone": "Europe/Vienna"})
    args = ("preview", "--from", "2027-01-01", "--days", "20", "--occasion", "birthday", "--format", "json")
    done = greeter(config, *args)
    assert done.returncode == 0, done.stderr
    assert "not a gender value" not in done.stderr
    letters = {r["name"]: r["text"].splitlines()[0] for r in json.loads(done.stdout) if r["status"] == "send"}
    assert letters == {
        "DI Franz Gruber": "Sehr geehrter Herr DI Gruber,",
        "Mag. Thomas Huber": "Sehr geehrter Herr Mag. Huber,",
        "Ing. Klaus Wolf": "Sehr geehrter Herr Ing. Wolf,",
        "Prof. Eva Berger": "Sehr geehrte Frau Prof. Berger,",
        "Mag. Karl Moser": "Sehr geehrter Herr Mag. Moser,",
        "DI Jörg Schulz": "Sehr geehrter Herr Schulz,",  # Germany: the Diplom in the address only
        "Dr. Otto Lang": "Sehr geehrter Herr Dr. Lang,",  # «Herr Dr.» and «Dr. Lang»: once
    }
