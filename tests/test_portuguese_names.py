"""A Brazilian CRM's names: «Sr. João» typed before the first name, compound given names.

A São Paulo office's «Nome» cells held «Sr. João» and «Sra. Fernanda» (the CRM's form had no
salutation field): the name kept the form, «Olá, Sr. João», of unknown gender, where «Mr João» was
understood. Portuguese and Spanish forms of address are now read as Herr/Frau/Mr/Mrs are: the
gender, where the gender column has none, and out of the name.
"""

from __future__ import annotations

import json

import pytest

from greeter.contacts import Gender, academic_titles, salutation_titles
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


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("first", "last", "titled"),
    [
        ("Dra. Ana", "Souza", ("Dra.", "Ana", "Souza")),
        ("Dr. João", "Silva", ("Dr.", "João", "Silva")),
        ("Profa. Maria", "Costa", ("Profa.", "Maria", "Costa")),
        ("Prof.ª Maria", "Costa", ("Prof.ª", "Maria", "Costa")),
        ("Eng. Carlos", "Lima", ("Eng.", "Carlos", "Lima")),
        ("Eng.ª Rita", "Alves", ("Eng.ª", "Rita", "Alves")),
        ("Arq. Paulo", "Reis", ("Arq.", "Paulo", "Reis")),
        ("Licda. Rosa", "Pérez", ("Licda.", "Rosa", "Pérez")),
        ("Ana", "Dra. Souza", ("Dra.", "Ana", "Souza")),  # typed in the surname column
        ("Engel", "Braga", ("", "Engel", "Braga")),  # a name, not «Eng.»
        ("Eng Carlos", "Lima", ("", "Eng Carlos", "Lima")),  # no dot: as typed
    ],
)
def test_a_portuguese_or_spanish_title_is_a_title_not_part_of_the_name(
    first: str, last: str, titled: tuple[str, str, str]
) -> None:
    assert tuple(academic_titles(first, last)) == titled


def test_a_feminine_doctorate_is_a_doctorate_in_a_formal_english_or_german_salutation() -> None:
    assert salutation_titles(academic_titles("Dra. Ana", "Souza").titles) == "Dr."
    assert salutation_titles(academic_titles("Profa. Dra. Ana", "Souza").titles) == "Prof. Dr."


#: A Portuguese helper file as a Brazilian office writes it (docs/templates.md): the CRM's title
#: where there is one, else Sr./Sra. by the gender, then the first name.
PT_HELPER = """\
{% macro salutation(contact) -%}
{%- set female = contact.gender == "female" -%}
{{ "Prezada" if female else "Prezado" }} {{ contact.titles or ("Sra." if female else "Sr.") }} {{ contact.first_name }}
{%- endmacro %}
"""
BIRTHDAY_PT = """\
{% extends "_layout.html.j2" %}
{% block subject %}Feliz aniversário!{% endblock %}
{% block message %}
Parabéns pelo seu aniversário!
{% endblock %}
"""

PT_ROWS = [
    "7011;c7011@example.com.br;Souza;Dra. Ana;;;;America/Sao_Paulo;pt_BR;regular;;08.01.1971;;;BR",
    "7012;c7012@example.com.br;Lima;Sra. Dra. Beatriz;;;;America/Sao_Paulo;pt_BR;regular;;09.01.1972;;;BR",
    "7013;c7013@example.com.br;Alves;Eng. Carlos;;;;America/Sao_Paulo;pt_BR;regular;;10.01.1973;;;BR",
    "7014;c7014@example.com.br;Silva;Dr. João;;M;;America/Sao_Paulo;pt_BR;regular;;11.01.1974;;;BR",
    "7015;c7015@example.com.br;Costa;Fernanda;;;;America/Sao_Paulo;pt_BR;regular;;12.01.1975;;;BR",
]


def test_a_brazilian_client_with_a_title_is_addressed_by_it_once(make_project: MakeProject) -> None:
    """«Dra. Ana» in the first-name cell was the first name: «Prezada Sra. Dra. Ana», two titles.
    A Brazilian writes to a doctor «Prezada Dra. Ana»: the title is hers, and stands where Sra. would."""
    config = make_project(
        PT_ROWS, defaults={"country": "BR", "timezone": "America/Sao_Paulo", "locale": "ru"}
    )
    templates = config.parent / "templates"
    (templates / "_pt.j2").write_text(PT_HELPER, encoding="utf-8")
    (templates / "birthday.pt.j2").write_text(BIRTHDAY_PT, encoding="utf-8")
    args = ("preview", "--from", "2027-01-01", "--days", "20", "--occasion", "birthday", "--format", "json")
    done = greeter(config, *args)
    assert done.returncode == 0, done.stderr
    rows = {r["email"][1:5]: r for r in json.loads(done.stdout)}
    assert {k: rows[k]["text"].splitlines()[0] for k in rows} == {
        "7011": "Prezada Dra. Ana,",
        "7012": "Prezada Dra. Beatriz,",  # Sra. and Dra. typed both: the title, once
        "7013": "Prezado Eng. Carlos,",
        "7014": "Prezado Dr. João,",
        "7015": "Prezada Sra. Fernanda,",
    }
    assert (rows["7011"]["name"], rows["7012"]["name"]) == ("Dra. Ana Souza", "Dra. Beatriz Lima")
