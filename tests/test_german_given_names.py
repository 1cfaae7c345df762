"""German and English first names say a gender; ``check`` counts letters left less formal without one.

Found by a marketer at a Vienna firm (clients in DE/AT/CH): contacts with an
empty «Geschlecht» cell — Maria, Ursula, Jürgen, Klaus — got «Guten Tag Maria
Lange,» instead of «Sehr geehrte Frau Lange,», though the docs say a German or
English contact takes the gender of a first name greeter's lists give one gender
only: the lists had no German or English names. Names of either gender (Kim,
Andrea, Jan…) still give none, and the Serbian, Estonian and Bosnian lists still
answer as before. ``check`` said nothing about a CRM with half its Anrede cells
empty; it now counts the letters a gender would make more formal.
"""

from __future__ import annotations

import pytest

from greeter.contacts import Contact, Gender
from greeter.given_names import given_name_gender
from greeter.letter_forms import salutation
from greeter.names import gender_of
from tests.conftest import MakeProject
from tests.faults import greeter

M, F, U = Gender.MALE, Gender.FEMALE, Gender.UNKNOWN


def person(first: str, last: str = "", locale: str | None = "de", gender: Gender | None = None) -> Contact:
    return Contact(
        id="1", email="a@example.com", first_name=first, last_name=last, gender=gender, locale=locale
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        *(
            (n, "female")
            for n in ("Maria", "Ursula", "Karin", "Brigitte", "Theresia", "Vreni", "Mary", "Emily")
        ),
        *(
            (n, "male")
            for n in ("Jürgen", "Klaus", "Heinz", "Franz", "Thomas", "Alois", "Urs", "John", "Liam")
        ),
        ("Juergen", "male"),  # an export without umlauts
        ("Jurgen", "male"),
        ("BJÖRN", "male"),  # any case
        ("Karl-Heinz", "male"),  # the parts agree
        ("Anna-Lena", "female"),
        # either gender, in German, English or the languages next door: no answer
        *((n, None) for n in ("Kim", "Alex", "Andrea", "Jean", "Robin", "Chris", "Sascha", "Toni", "Luca")),
        *((n, None) for n in ("Jan", "Kai", "Simone", "Nicola", "Gabriele", "Sam", "Charlie")),
        ("Jean-Marie", None),  # the parts do not agree
        ("Schulz", None),  # not a first name
        # the other languages' lists answer as before, across languages too
        ("Nikola", "male"),  # Serbian: a man
        ("Marko", "male"),
        ("Jelena", "female"),
        ("Saša", None),
        ("Jaan", "male"),  # Estonian
        ("Mari", "female"),
        ("Amra", "female"),  # Bosnian
    ],
)
def test_a_first_name_of_one_gender_says_it(name: str, expected: str | None) -> None:
    assert given_name_gender(name) == expected
    assert given_name_gender(name, patronymic_names=False) == expected


@pytest.mark.parametrize(
    ("contact", "locale", "expected"),
    [
        (person("Maria", "Lange"), "de", "Sehr geehrte Frau Lange"),
        (person("Ursula", "Lange", "de_AT"), "de_AT", "Sehr geehrte Frau Lange"),
        (person("Jürgen", "Weber"), "de", "Sehr geehrter Herr Weber"),
        (person("Prof. Dr. Klaus", "Schäfer"), "de", "Sehr geehrter Herr Prof. Dr. Schäfer"),  # after titles
        (person("Heinz", "Dr. Huber", "de_AT"), "de_AT", "Sehr geehrter Herr Dr. Huber"),
        (person("Franz", "Gruber", "de_CH"), "de_CH", "Sehr geehrter Herr Gruber"),
        (person("Thomas", "Berger", None), "de", "Sehr geehrter Herr Berger"),  # no language: not Russian
        (person("Kim", "Weber"), "de", "Guten Tag Kim Weber"),  # either gender: the neutral form
        (person("Andrea", "Rossi", "de_CH"), "de_CH", "Guten Tag Andrea Rossi"),  # a man in Ticino
        (person("Maria", "Lange", gender=U), "de", "Guten Tag Maria Lange"),  # the column's «unknown» wins
        (person("Maria", "Lange", gender=M), "de", "Sehr geehrter Herr Lange"),  # and so does its gender
        (person("Klaus Maria", "Brandauer"), "de", "Guten Tag Klaus Maria Brandauer"),  # the names disagree
    ],
)
def test_a_german_letter_is_formal_by_the_first_name(contact: Contact, locale: str, expected: str) -> None:
    assert salutation(contact, locale) == expected


def test_a_russian_client_is_still_not_gendered_by_the_first_name() -> None:
    # Russian etiquette: «Здравствуйте, Мария» without a patronymic, whatever the gender (names.gender_of).
    assert gender_of(person("Maria", "Lange", "ru")) is U


#: ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;…;Страна
ROWS = [
    "4001;c4001@example.at;Lange;Maria;;;;Europe/Vienna;de_AT;regular;;08.01.1971;;;AT",
    "4002;c4002@example.at;Weber;Kim;;;;Europe/Vienna;de_AT;regular;;08.01.1977;;;AT",
    "4003;c4003@example.de;Schäfer;Prof. Dr. Klaus;;;;Europe/Berlin;de;regular;;08.01.1960;;;DE",
    "4004;c4004@example.ch;Rossi;Andrea;;;;Europe/Zurich;de_CH;regular;;08.01.1980;;;CH",
    "4005;c4005@example.at;Huber;Kim;;weiblich;;Europe/Vienna;de_AT;regular;;08.01.1975;;;AT",
    "4006;c4006@example.com;Smith;Kim;;;;Europe/London;en;regular;;08.01.1975;;;GB",
]


def test_check_counts_the_letters_left_less_formal_for_want_of_a_gender(make_project: MakeProject) -> None:
    config = make_project(ROWS, defaults={"country": "AT", "timezone": "Europe/Vienna"})
    result = greeter(config, "check", "--now", "2026-12-01T09:00")
    assert result.returncode == 0, result.stderr
    found = [
        line.split(": warning: ", 1)[1] for line in result.stderr.splitlines() if "less formally" in line
    ]
    # Maria and Klaus are formal by their names; Kim Huber by the column; an English «Dear Kim» is no less
    # formal for a gender: two letters, each counted once.
    assert found == [
        "2 contact(s) get letters that open less formally («Guten Tag Kim Weber,» instead of «Sehr geehrter "
        "Herr Weber,» or «Sehr geehrte Frau Weber,») because their gender is unknown (4002 Kim Weber, "
        "4004 Andrea Rossi): neither the gender column, a patronymic nor a first name greeter knows says it;"
        " fill their 'Пол' column (contacts.columns.gender), or map the values it holds with "
        "contacts.gender_values"
    ]


#: The 8 March audience the config gives (YAML under ``audience:``) → what the less-formal warning's
#: parenthesis says: a contact an ``audience.genders`` warning names already is counted, not listed again.
AUDIENCE_CASES = [
    ("tags: [8mar]", "4002 Kim Weber, 4004 Andrea Rossi"),
    ("genders: [female]", "the 2 named above for womens_day's audience"),
    ("genders: [female]\ncontacts: ['4002']", "4004 Andrea Rossi; 1 named above for womens_day's audience"),
]


@pytest.mark.parametrize(("audience", "shown"), AUDIENCE_CASES)
def test_the_less_formal_warning_does_not_list_again_whom_a_genders_audience_lists(
    make_project: MakeProject, audience: str, shown: str
) -> None:
    config = make_project(ROWS, defaults={"country": "AT", "timezone": "Europe/Vienna"})
    text = config.read_text(encoding="utf-8")
    assert text.count("tags: [8mar]") == 1
    line = next(line for line in text.splitlines() if line.strip() == "tags: [8mar]")
    indent = line[: len(line) - len(line.lstrip())]
    config.write_text(text.replace("tags: [8mar]", audience.replace("\n", "\n" + indent)), "utf-8")
    result = greeter(config, "check", "--now", "2026-12-01T09:00")
    assert result.returncode == 0, result.stderr
    found = [
        line.split(": warning: ", 1)[1] for line in result.stderr.splitlines() if "less formally" in line
    ]
    assert len(found) == 1 and f"because their gender is unknown ({shown}): neither" in found[0], found
