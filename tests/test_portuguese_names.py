"""A Brazilian CRM's names: «Sr. João» typed before the first name, compound given names.

A São Paulo office's «Nome» cells held «Sr. João» and «Sra. Fernanda» (the CRM's form had no
salutation field): the name kept the form, «Olá, Sr. João», of unknown gender, where «Mr João» was
understood. Portuguese and Spanish forms of address are now read as Herr/Frau/Mr/Mrs are: the
gender, where the gender column has none, and out of the name.
"""

from __future__ import annotations

import json

import pytest

from greeter.contacts import Gender
from greeter.sources.name_cells import address_form, gender_word, whole_name
from tests.conftest import MakeProject
from tests.faults import greeter


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Sr. João", (Gender.MALE, "João")),
        ("Sr João Pedro", (Gender.MALE, "João Pedro")),
        ("Sra. Fernanda", (Gender.FEMALE, "Fernanda")),
        ("Srta. Juliana", (Gender.FEMALE, "Juliana")),
        ("Dona Maria", (Gender.FEMALE, "Maria")),
        ("Sr. Carlos", (Gender.MALE, "Carlos")),
        ("Dña. Carmen", (Gender.FEMALE, "Carmen")),
        ("Señora Pilar", (Gender.FEMALE, "Pilar")),
        ("Sra.", None),  # the form alone: left as typed
        ("D. Maria", None),  # Dom or Dona: no gender
    ],
)
def test_a_portuguese_or_spanish_form_before_the_first_name(
    cell: str, expected: tuple[Gender, str] | None
) -> None:
    assert address_form(cell) == expected


@pytest.mark.parametrize(
    ("cell", "gender"), [("Srta", Gender.FEMALE), ("Senhora", Gender.FEMALE), ("Senhor", Gender.MALE)]
)
def test_the_gender_column_reads_them_too(cell: str, gender: Gender) -> None:
    assert gender_word(cell) is gender


ROWS = [
    "7001;c7001@example.com.br;Silva;Sr. João;;;;America/Sao_Paulo;pt_BR;regular;;08.01.1971;;;BR",
    "7002;c7002@example.com.br;Souza;Sra. Andrea;;;;America/Sao_Paulo;pt_BR;regular;;09.01.1972;;;BR",
]


def test_the_crm_rows_are_read_by_their_form(make_project: MakeProject) -> None:
    config = make_project(
        ROWS,
        defaults={"country": "BR", "timezone": "America/Sao_Paulo", "locale": "en"},
        sender={"by_locale": {"en": {"addressing": "formal"}}},
    )
    args = ("preview", "--from", "2027-01-01", "--days", "20", "--occasion", "birthday", "--format", "json")
    done = greeter(config, *args)
    assert done.returncode == 0, done.stderr
    rows = {r["email"][1:5]: r for r in json.loads(done.stdout)}
    assert (rows["7001"]["name"], rows["7002"]["name"]) == ("João Silva", "Andrea Souza")
    # the English letter (no pt templates here) by the gender the form said: Andrea is of either gender
    assert [rows[k]["text"].splitlines()[0] for k in ("7001", "7002")] == ["Dear Mr Silva,", "Dear Ms Souza,"]


@pytest.mark.parametrize(
    ("first", "whole"),
    [
        ("Maria da Conceição", False),  # a Brazilian compound given name
        ("Maria das Graças", False),
        ("María de la Luz", False),
        ("José Maria da Silva", True),  # three names: as a whole ФИО's three words
        ("Петрова Анна Сергеевна", True),
        ("Анна Сергеевна", True),  # a patronymic after the first name
        ("Анна Мария", False),
    ],
)
def test_particles_of_a_compound_given_name_are_no_sign_of_a_whole_name(first: str, whole: bool) -> None:
    assert whole_name(first) is whole
