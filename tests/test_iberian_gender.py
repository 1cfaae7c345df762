"""Portuguese and Spanish first names say the gender by their ending (greeter.iberian_names).

A São Paulo office's export had no «Sexo» filled: 29 of 34 common Brazilian names got the neutral
«Olá, João» instead of «Prezado Sr. João», their gender column in preview empty. A contact of pt or
es (its own locale, else defaults.locale), or without a language in Brazil, Portugal, Spain…, is read
by the name's first word: the lists of exceptions first (Rosário, Consuelo are women; Andrea, Luca
either), then the ending (-o, -ão, -os, -el male; -a, -ção female).
"""

from __future__ import annotations

import pytest

from greeter.contacts import Contact, Gender
from greeter.names import gender_of

_MEN = "João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Rafael Thiago Sebastião Raimundo"
_MEN += " Gabriel Vinícius Felipe Henrique Jorge Davi Edson Vitor Joao Antonio Mateus"
_WOMEN = "Francisca Antônia Juliana Fernanda Patrícia Aline Conceição Maria Ana Adriana Márcia Tatiane"
_WOMEN += " Beatriz Isabel Raquel Inês Lurdes Simone Conceicao Cleide Ivete Jaqueline"


def _contact(
    first: str, locale: str | None, country: str | None = None, default: str | None = None
) -> Contact:
    return Contact(
        id="1",
        email=None,
        first_name=first,
        last_name="",
        locale=locale,
        country=country,
        default_locale=default,
    )


@pytest.mark.parametrize("first", _MEN.split())
def test_common_brazilian_mens_names_are_male(first: str) -> None:
    assert gender_of(_contact(first, "pt_BR")) is Gender.MALE


@pytest.mark.parametrize("first", _WOMEN.split())
def test_common_brazilian_womens_names_are_female(first: str) -> None:
    assert gender_of(_contact(first, "pt_BR")) is Gender.FEMALE


@pytest.mark.parametrize(
    ("first", "locale", "country", "default", "gender"),
    [
        ("Maria da Conceição", "pt_BR", None, None, Gender.FEMALE),  # the first word is the name addressed
        ("Maria das Graças", "pt", None, None, Gender.FEMALE),
        ("José Maria", "pt", None, None, Gender.MALE),
        ("João Pedro", None, "BR-SP", None, Gender.MALE),  # no language of its own, in a Brazilian state
        ("Fernanda", None, "BR", None, Gender.FEMALE),
        ("Rafael", None, None, "pt", Gender.MALE),  # a project whose defaults.locale is pt
        ("Rosario", "es", None, None, Gender.FEMALE),  # Spanish women's names ending in -o
        ("Consuelo", "es_MX", None, None, Gender.FEMALE),
        ("Concepción", "es", None, None, Gender.FEMALE),
        ("Andrés", "es", None, None, Gender.MALE),
        ("Andrea", "pt_BR", None, None, Gender.UNKNOWN),  # a woman in Brazil, a man in Italy
        ("Luca", "pt_BR", None, None, Gender.UNKNOWN),
        ("Darci", "pt_BR", None, None, Gender.UNKNOWN),  # either: left to the gender column
        ("Fernanda", "ru", "BR", None, Gender.UNKNOWN),  # a Russian letter: the first name says nothing
        ("Paulo", "de", None, None, Gender.UNKNOWN),  # not read so in another language
    ],
)
def test_the_ending_rule_applies_to_portuguese_and_spanish_contacts_only(
    first: str, locale: str | None, country: str | None, default: str | None, gender: Gender
) -> None:
    assert gender_of(_contact(first, locale, country, default)) is gender


def test_the_gender_column_still_wins() -> None:
    contact = Contact(
        id="1", email=None, first_name="Andrea", last_name="", locale="pt_BR", gender=Gender.FEMALE
    )
    assert gender_of(contact) is Gender.FEMALE
