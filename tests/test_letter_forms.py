"""Salutation, its mark and the closing, per language: table-driven, language × gender × missing parts.

Ukrainian vocatives are real shevchenko-py output; every other form is ours.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greeter import addressing
from greeter.contacts import Contact, Gender
from greeter.letter_forms import FALLBACK, FORMS, closing, forms_for, salutation, salutation_end

M, F, U = Gender.MALE, Gender.FEMALE, Gender.UNKNOWN


def person(first: str = "", patronymic: str = "", last: str = "", gender: Gender | None = None) -> Contact:
    return Contact(
        id="1", email="a@example.com", first_name=first, patronymic=patronymic, last_name=last, gender=gender
    )


#: (locale, contact, salutation). ``gender=None`` is "no gender column"; ``U`` an explicit "unknown".
SALUTATIONS: list[tuple[str, Contact, str]] = [
    # ----------------------------------------------------------------- Russian: unchanged
    ("ru", person("Иван", "Петрович", "Сидоров"), "Уважаемый Иван Петрович"),
    ("ru", person("Анна", "Ильинична", "Петрова"), "Уважаемая Анна Ильинична"),
    ("ru", person("Иван", "Петрович", "Сидоров", U), "Здравствуйте, Иван Петрович"),
    ("ru", person("Иван", "", "Сидоров", M), "Здравствуйте, Иван"),
    ("ru", person("", "Петрович", "Сидоров", M), "Здравствуйте"),
    # ----------------------------------------------------------------- Ukrainian: vocative case
    ("uk", person("Іван", "Петрович", "Шевченко"), "Шановний Іване Петровичу"),  # gender from the patronymic
    ("uk", person("Олена", "Іванівна", "Коваль"), "Шановна Олено Іванівно"),
    ("uk", person("Наталія", "Юріївна"), "Шановна Наталіє Юріївно"),
    ("uk", person("Андрій", "Ілліч"), "Шановний Андрію Іллічу"),
    ("uk", person("Тарас", "Григорович", "Шевченко", M), "Шановний Тарасе Григоровичу"),
    ("uk_UA", person("Ігор", "Олегович"), "Шановний Ігорю Олеговичу"),
    ("uk", person("Тарас", "Григорьевич", "Шевченко"), "Шановний Тарасе Григорьевичу"),  # Russian spelling
    ("uk", person("Гусейн", "Рашид оглы"), "Шановний Гусейне Рашид оглы"),  # Turkic: kept as written
    ("uk", person("Ігор", "", "Коваль", M), "Шановний пане Ігорю"),  # no patronymic: пане + first name
    ("uk", person("Олена", "", "Коваль", F), "Шановна пані Олено"),
    ("uk", person("Микола", "", "", M), "Шановний пане Миколо"),
    ("uk", person("Іван", "Петрович", "", U), "Добрий день, Іване Петровичу"),  # gender unknown
    ("uk", person("Саша"), "Добрий день, Сашо"),  # no gender, but both vocatives agree
    ("uk", person("Валя"), "Добрий день"),  # Вале or Валю: the name is left out
    ("uk", person("Іван", "", "Шевченко"), "Добрий день"),
    ("uk", person("", "Петрович", "Шевченко", M), "Добрий день"),  # no first name
    ("uk", person("", "", "Шевченко", F), "Добрий день"),
    ("uk", person(), "Добрий день"),
    ("uk", person("John", "", "Smith", M), "Шановний пане John"),  # not Ukrainian: as written
    # ----------------------------------------------------------------- Serbian, Cyrillic (the default script)
    ("sr", person("Милан", "", "Јовановић", M), "Поштовани господине Јовановићу"),
    ("sr", person("Ана", "", "Петровић", F), "Поштована госпођо Петровић"),  # women's -ић does not decline
    ("sr", person("Саша", "", "Јовановић"), "Поштовани"),  # gender unknown (Саша is either)
    ("sr", person("Милан", "", "Јовановић", U), "Поштовани"),
    ("sr", person("", "", "Јовановић", M), "Поштовани господине Јовановићу"),  # the first name is never used
    ("sr", person("Милан", "", "", M), "Поштовани господине"),  # no surname
    ("sr", person("Ана", "", "", F), "Поштована госпођо"),
    ("sr", person("Милан", "", "Попов", M), "Поштовани господине Попов"),  # not -ић: the nominative
    ("sr", person("Милан", "", "Петровић-Његош", M), "Поштовани господине"),  # double surname
    ("sr", person("Јелена", "", "Бјелица", F), "Поштована госпођо"),  # -а declines: left out
    ("sr", person("Рајка", "", "Ного", F), "Поштована госпођо Ного"),  # -о does not
    ("sr", person("Милан", "", "ЈОВАНОВИЋ", M), "Поштовани господине ЈОВАНОВИЋУ"),
    ("sr", person("Milan", "", "Jovanović", M), "Поштовани господине Јовановићу"),  # in Cyrillic
    ("sr_RS", person("Милан", "", "Јовановић", M), "Поштовани господине Јовановићу"),
    ("sr-Cyrl-RS", person("Ана", "", "Петровић", F), "Поштована госпођо Петровић"),
    ("sr", person(), "Поштовани"),
    # ----------------------------------------------------------------- Serbian, Latin
    ("sr-Latn", person("Milan", "", "Jovanović", M), "Poštovani gospodine Jovanoviću"),
    ("sr_Latn_RS", person("Ana", "", "Petrović", F), "Poštovana gospođo Petrović"),
    ("sr_ME", person("Ana", "", "Petrović", F), "Poštovana gospođo Petrović"),  # Montenegro writes Latin
    ("sr-Latn", person("Ana", "", "Marić Kovač", F), "Poštovana gospođo Marić Kovač"),
    ("sr-Latn", person("Saša", "", "Petrović"), "Poštovani"),
    ("sr-Latn", person("Milan", "", "Kovač", M), "Poštovani gospodine Kovač"),
    ("sr-Latn", person("Jelena", "", "", F), "Poštovana gospođo"),
    # ----------------------------------------------------------------- Hungarian: family name first
    ("hu", person("Éva", "", "Nagy", F), "Tisztelt Nagy Éva"),
    ("hu", person("Péter", "", "Kovács", M), "Tisztelt Kovács Péter"),
    ("hu", person("Éva", "", "Nagy"), "Tisztelt Nagy Éva"),  # the full name needs no gender
    ("hu_HU", person("Éva", "", "Nagy", U), "Tisztelt Nagy Éva"),
    ("hu", person("", "", "Kovács", M), "Tisztelt Kovács Úr"),
    ("hu", person("", "", "Nagy", F), "Tisztelt Hölgyem"),
    ("hu", person("", "", "Nagy"), "Tisztelt Hölgyem/Uram"),
    ("hu", person("Éva", "", "", F), "Kedves Éva"),  # first name only: the warmer form
    ("hu", person("", "", "", M), "Tisztelt Uram"),
    ("hu", person(), "Tisztelt Hölgyem/Uram"),
    # ----------------------------------------------------------------- Estonian: no grammatical gender
    ("et", person("Mari", "", "Tamm", F), "Lugupeetud Mari Tamm"),
    ("et", person("Jüri", "", "Kask", M), "Lugupeetud Jüri Kask"),
    ("et", person("Mari", "", "Tamm"), "Lugupeetud Mari Tamm"),
    ("et_EE", person("Mari", "", "Tamm", U), "Lugupeetud Mari Tamm"),
    ("et", person("", "", "Kask", M), "Lugupeetud härra Kask"),
    ("et", person("", "", "Mänd", F), "Lugupeetud proua Mänd"),
    ("et", person("", "", "Mänd"), "Tere"),
    ("et", person("Mari", "", "", F), "Tere, Mari"),
    ("et", person(), "Tere"),
    # ----------------------------------------------------------------- German
    ("de", person("Jörg", "", "Müller", M), "Sehr geehrter Herr Müller"),
    ("de", person("Karin", "", "Schulz", F), "Sehr geehrte Frau Schulz"),
    ("de_AT", person("Jörg", "", "Müller", M), "Sehr geehrter Herr Müller"),
    ("de", person("Kim", "", "Schulz"), "Guten Tag Kim Schulz"),  # gender unknown (Kim is either)
    ("de", person("Karin", "", "Schulz"), "Sehr geehrte Frau Schulz"),  # by the first name (given_names)
    ("de", person("Karin", "", "Schulz", U), "Guten Tag Karin Schulz"),
    ("de", person("", "", "Schulz", M), "Sehr geehrter Herr Schulz"),
    ("de", person("", "", "Schulz"), "Sehr geehrte Damen und Herren"),
    ("de", person("Karin", "", "", F), "Guten Tag Karin"),
    ("de", person("Иван", "Петрович", "Сидоров"), "Sehr geehrter Herr Сидоров"),  # gender from the patronymic
    ("de", person(), "Sehr geehrte Damen und Herren"),
    # ----------------------------------------------------------------- English: unchanged
    ("en", person("Bob", "", "Brown", M), "Dear Bob"),
    ("en", person("Kim", "", "Green"), "Dear Kim"),
    ("en", person("", "", "Brown", M), "Dear Sir or Madam"),
    ("en", person(), "Dear Sir or Madam"),
    # ----------------------------------------------------------------- no forms of its own: English
    ("fr", person("Jean", "", "Dupont", M), "Dear Jean"),
    ("be", person("Иван", "Петрович"), "Dear Иван"),
    # ----------------------------------------------------------------- unreadable: Russian, the home language
    ("xx-??", person("Иван", "Петрович"), "Уважаемый Иван Петрович"),
    ("", person("Анна", "Ильинична"), "Уважаемая Анна Ильинична"),
]


@pytest.mark.parametrize(("locale", "contact", "expected"), SALUTATIONS)
def test_salutation(locale: str, contact: Contact, expected: str) -> None:
    assert salutation(contact, locale) == expected


#: locale → (mark after the salutation, closing)
MARKS: dict[str, tuple[str, str]] = {
    "ru": ("!", "С уважением,"),
    "uk": ("!", "З повагою,"),
    "sr": (",", "С поштовањем,"),
    "sr_RS": (",", "С поштовањем,"),
    "sr-Latn": (",", "S poštovanjem,"),
    "sr_ME": (",", "S poštovanjem,"),
    "hu": ("!", "Tisztelettel:"),  # Hungarian: the colon, as the signature completes it
    "et": ("!", "Lugupidamisega"),  # Estonian: no comma after the closing
    "de": (",", "Mit freundlichen Grüßen"),  # German: none either
    "de_CH": (",", "Mit freundlichen Grüßen"),
    "en": (",", "Kind regards,"),
    "en_GB": (",", "Kind regards,"),
    "fr": (",", "Kind regards,"),
    "xx-??": ("!", "С уважением,"),
}


@pytest.mark.parametrize("locale", list(MARKS))
def test_mark_and_closing(locale: str) -> None:
    assert (salutation_end(locale), closing(locale)) == MARKS[locale]


@pytest.mark.parametrize(
    ("locale", "row"),
    [
        ("sr", "sr"),
        ("sr_RS", "sr"),
        ("sr_Cyrl_BA", "sr"),
        ("sr-Latn", "sr_Latn"),
        ("sr_Latn_RS", "sr_Latn"),
        ("sr_ME", "sr_Latn"),
        ("de_AT", "de_AT"),
        ("de-AT", "de_AT"),
        ("de_CH", "de"),
        ("uk-UA", "uk"),
        ("hu", "hu"),
        ("et_EE", "et"),
        ("en_US", "en"),
        ("fr_FR", FALLBACK),
        ("xx-??", "ru"),
        (None, "ru"),
    ],
)
def test_the_locale_picks_its_row(locale: str | None, row: str) -> None:
    assert forms_for(locale) is FORMS[row]


def test_the_table_covers_the_languages_of_the_product() -> None:
    # The seed books' languages (ru, sr, et, hu), Serbian in both scripts, and uk, de (Austria's own), en.
    assert set(FORMS) == {"ru", "uk", "sr", "sr_Latn", "hu", "et", "de", "de_AT", "en", "ka"}


def test_addressing_still_exports_salutation_and_gender_of() -> None:
    assert addressing.salutation is salutation
    assert addressing.gender_of(person("Анна", "Ильинична")) is F


#: Contact text is data in every language: printed as typed (or left out), never evaluated.
_CODE = person("{{ 7*7 }}", "", "{% x %}", M)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ru", "Здравствуйте, {{ 7*7 }}"),
        ("uk", "Шановний пане {{ 7*7 }}"),
        ("sr", "Поштовани господине"),
        ("sr-Latn", "Poštovani gospodine"),
        ("hu", "Tisztelt {% x %} {{ 7*7 }}"),
        ("et", "Lugupeetud {{ 7*7 }} {% x %}"),
        ("de", "Sehr geehrter Herr {% x %}"),
        ("en", "Dear {{ 7*7 }}"),
    ],
)
def test_template_syntax_in_a_name_is_plain_data(locale: str, expected: str) -> None:
    assert salutation(_CODE, locale) == expected


_NAME_TEXT = st.text(alphabet="АаБбИиНнОоВвЕеІіЇїЄєЋћЂђÉéŐőÕõÜüßić-' {}7*", max_size=15)


@settings(max_examples=60, deadline=None)
@given(
    first=_NAME_TEXT,
    patronymic=_NAME_TEXT,
    last=_NAME_TEXT,
    gender=st.sampled_from([None, M, F, U]),
    locale=st.sampled_from(["ru", "uk", "sr", "sr-Latn", "hu", "et", "de", "en", "fr"]),
)
def test_salutation_never_crashes(
    first: str, patronymic: str, last: str, gender: Gender | None, locale: str
) -> None:
    greeting = salutation(person(first, patronymic, last, gender), locale)
    assert isinstance(greeting, str) and greeting == greeting.strip() and "  " not in greeting
