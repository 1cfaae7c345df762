"""The copy editor's findings, in the letters: academic titles in German salutations and names,
Serbian Latin names in Cyrillic letters (:mod:`tests.test_name_titles_and_script` has the rules).

«Schäfer;Prof. Dr. Klaus» was greeted «Sehr geehrter Herr Schäfer», «Dr. Müller;Hans» was
«Hans Dr. Müller» in the To: header, «Petrović;Marko» in a Cyrillic Serbian letter was
«Поштовани господине Petroviću» and his company «„Petrović“ d.o.o.». Only what every version
of greeter has is used here (salutation, display_name, the CLI), so it runs against the base too.
"""

from __future__ import annotations

import json
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from greeter.contacts import Contact, Gender
from greeter.letter_forms import salutation
from tests.conftest import MakeProject
from tests.faults import greeter

M, F = Gender.MALE, Gender.FEMALE


def person(first: str, last: str, gender: Gender | None = None, locale: str = "de") -> Contact:
    return Contact(
        id="1", email="a@example.com", first_name=first, last_name=last, gender=gender, locale=locale
    )


@pytest.mark.parametrize(
    ("contact", "locale", "expected"),
    [
        (person("Prof. Dr. Klaus", "Schäfer", M), "de", "Sehr geehrter Herr Prof. Dr. Schäfer"),
        (person("Dr. Anna", "Doe", F), "de", "Sehr geehrte Frau Dr. Doe"),
        (person("Hans", "Dr. Müller", M), "de", "Sehr geehrter Herr Dr. Müller"),
        (person("Dr. med. Eva", "Heile", F), "de_AT", "Sehr geehrte Frau Dr. Heile"),
        (person("Dipl.-Ing. Peter", "Brand", M), "de", "Sehr geehrter Herr Brand"),
        (person("Dr. Kim", "Schulz"), "de", "Guten Tag Dr. Kim Schulz"),  # no gender: DIN 5008's form
        (person("Dr. Karin", ""), "de", "Guten Tag Karin"),  # a title goes with a surname
        (person("Dr.", "", M), "de", "Sehr geehrte Damen und Herren"),
        (person("Jörg", "Müller", M), "de", "Sehr geehrter Herr Müller"),  # unchanged
        (person("Dr. Anna", "Doe", F, "en"), "en", "Dear Anna"),  # first-name register: no title
        (person("Anna", "Dr. Doe", F, "en"), "en_GB", "Dear Anna"),
        (person("Dr.", "Doe", F, "en"), "en", "Dear Sir or Madam"),
    ],
)
def test_german_salutations_keep_academic_titles(contact: Contact, locale: str, expected: str) -> None:
    assert salutation(contact, locale) == expected


@pytest.mark.parametrize(
    ("contact", "locale", "expected"),
    [
        (person("Marko", "Petrović", M), "sr", "Поштовани господине Петровићу"),
        (person("Milan", "Jovanović", M), "sr", "Поштовани господине Јовановићу"),
        (person("Ivana", "Đorđević", F), "sr", "Поштована госпођо Ђорђевић"),
        (person("John", "Smith", M), "sr", "Поштовани господине Smith"),  # not -ić: the nominative, as typed
        (person("Jane", "Smith", F), "sr", "Поштована госпођо Smith"),  # not Serbian Latin: as typed
        (person("Милан", "Јовановић", M), "sr_Latn", "Poštovani gospodine Jovanoviću"),
        (person("Ана", "Петровић", F), "sr-Latn", "Poštovana gospođo Petrović"),
        (person("Marko", "Petrović", M), "sr_Latn", "Poštovani gospodine Petroviću"),
    ],
)
def test_a_serbian_salutation_is_in_one_script(contact: Contact, locale: str, expected: str) -> None:
    assert salutation(contact, locale) == expected


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (person("Hans", "Dr. Müller", M), "Dr. Hans Müller"),
        (person("Marko", "Petrović", M, "sr"), "Марко Петровић"),
        (person("Милан", "Јовановић", M, "sr_Latn"), "Milan Jovanović"),
        (person("John", "Smith", M, "sr"), "John Smith"),
        (person("Marko", "Petrović", M, "hr"), "Marko Petrović"),
        # Serbian writes titles in lower case, «др» without a point (QA: «Проф. Др. Марко Петровић»)
        (person("Prof. Dr. Marko", "Petrović", M, "sr"), "проф. др Марко Петровић"),
        (person("Dr. Ana", "Jovanović", F, "sr_Latn"), "dr Ana Jovanović"),
        (person("Prof. Dr. Klaus", "Schäfer", M, "de"), "Prof. Dr. Klaus Schäfer"),
    ],
)
def test_the_display_name(contact: Contact, expected: str) -> None:
    assert contact.display_name == expected


# --------------------------------------------------------------------------- the CLI, as the editor ran it

GERMAN = [
    "2401;c2401@example.com;Dr. Müller;Hans;;m;Müller & Söhne GmbH;Europe/Berlin;de;VIP;;03.10.2006;;;DE-BY",
    "2403;c2403@example.com;Schäfer;Prof. Dr. Klaus;;m;Schäfer AG;Europe/Berlin;de;regular;;31.12.1926;;;DE",
    "2405;c2405@example.com;Doe;Dr. Anna;;f;Doe GmbH;Europe/Berlin;de;regular;;08.06.1980;;;DE",
    "2501;c2501@example.com;Smith;John;;m;Smith Imports Ltd;Europe/London;en;VIP;;01.01.2006;;;GB-ENG",
]
SERBIAN = [
    "2107;c2107@example.com;Petrović;Marko;;m;Petrović d.o.o.;Europe/Belgrade;sr;regular;;08.06.1981;;;RS",
    "2106;c2106@example.com;Jovanov;Dragan;;m;Jovanov d.o.o.;Europe/Belgrade;sr_Latn;regular;;08.06.1980;;;RS",
    "2101;c2101@example.com;Јовановић;Милан;;м;Јовановић д.о.о.;Europe/Belgrade;sr_Latn;VIP;;10.02.2006;;;RS",
]


def birthday_letters(config: Path, out: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """``greeter preview`` of a year's birthdays: each contact's letter (json), and its To: name (eml)."""
    args = ("preview", "--from", "2026-12-20", "--days", "380", "--occasion", "birthday")
    done = greeter(config, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    letters = {r["contact_id"]: r for r in json.loads(done.stdout) if r["status"] == "send"}
    done = greeter(config, *args, "--format", "eml", "--out", str(out))
    assert done.returncode == 0, done.stderr
    to_names = {}
    for eml in out.glob("*.eml"):
        to = message_from_bytes(eml.read_bytes())["To"]
        name, _, address = str(make_header(decode_header(to))).rpartition(" <")
        to_names[address.partition("@")[0]] = name.strip('"')
    return letters, to_names


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            GERMAN,
            {
                "2403": ("Sehr geehrter Herr Prof. Dr. Schäfer,", "Prof. Dr. Klaus Schäfer"),
                "2405": ("Sehr geehrte Frau Dr. Doe,", "Dr. Anna Doe"),
                "2401": ("Sehr geehrter Herr Dr. Müller,", "Dr. Hans Müller"),
                "2501": ("Dear John,", "John Smith"),
            },
        ),
        (
            SERBIAN,
            {
                "2107": ("Поштовани господине Петровићу,", "Марко Петровић"),
                "2106": ("Poštovani gospodine Jovanov,", "Dragan Jovanov"),  # -ov: the nominative
                "2101": ("Poštovani gospodine Jovanoviću,", "Milan Jovanović"),
            },
        ),
    ],
    ids=["german-titles", "serbian-script"],
)
def test_preview_salutation_and_to_name(
    make_project: MakeProject, tmp_path: Path, rows: list[str], expected: dict[str, tuple[str, str]]
) -> None:
    letters, to_names = birthday_letters(make_project(rows), tmp_path / "eml")
    got = {cid: (letters[cid]["text"].split("\n")[0], to_names[f"c{cid}"]) for cid in expected}
    assert got == expected
    assert {cid: letters[cid]["name"] for cid in expected} == {
        c: n for c, (_, n) in expected.items()
    }  # table
    if "2107" in letters:  # the company in the letter's script too, legal form included
        assert "а компанији „Петровић“ д.о.о. даљи раст" in letters["2107"]["text"], letters["2107"]["text"]
        assert "Petrović" not in letters["2107"]["text"]


def test_an_english_subject_greets_by_the_first_name_without_its_titles(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """«Happy birthday, Dr. Anna!» mixed a title into a first-name greeting (the English letters
    greet by first name, as «Dear Anna» does); templates see the titles apart, in contact.titles."""
    rows = ["2505;c2505@example.com;Doe;Dr. Anna;;f;Doe Ltd;Europe/London;en;regular;;08.06.1980;;;GB-ENG"]
    letters, to_names = birthday_letters(make_project(rows), tmp_path / "eml")
    assert letters["2505"]["subject"] == "Happy birthday, Anna!"
    assert letters["2505"]["text"].split("\n")[0] == "Dear Anna,"
    assert to_names["c2505"] == "Dr. Anna Doe"  # the address keeps the title


def test_templates_see_the_titles_apart_from_the_names() -> None:
    from greeter.template_views import contact_view

    view = contact_view(person("Prof. Dr. Klaus", "Schäfer", M), "de")
    assert (view.titles, view.first_name, view.last_name, view.full_name) == (
        "Prof. Dr.", "Klaus", "Schäfer", "Prof. Dr. Klaus Schäfer",
    )  # fmt: skip
    plain = contact_view(person("Иван", "Петров", M, "ru"), "ru")
    assert (plain.titles, plain.first_name, plain.last_name) == ("", "Иван", "Петров")
