"""The rules behind the copy editor's findings, table by table (:mod:`tests.test_name_letters` has the letters).

Academic titles out of the name columns and which of them a German salutation
names; Serbian Latin to Cyrillic, and which Latin names are Serbian.
"""

from __future__ import annotations

import pytest

from greeter.contacts import Titled, academic_titles, ordered_name, salutation_titles
from greeter.i18n_script import is_serbian_latin_name, names_in_script, to_cyrillic

# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Prof. Dr. Klaus", "Schäfer", Titled("Prof. Dr.", "Klaus", "Schäfer")),
        ("Dr. Anna", "Doe", Titled("Dr.", "Anna", "Doe")),
        ("Hans", "Dr. Müller", Titled("Dr.", "Hans", "Müller")),
        ("Dr. Hans", "Dr. Müller", Titled("Dr.", "Hans", "Müller")),  # typed in both columns: once
        ("Dr. med. Eva", "Heile", Titled("Dr. med.", "Eva", "Heile")),
        ("Dr. rer. nat. Eva", "Heile", Titled("Dr. rer. nat.", "Eva", "Heile")),
        ("Dr.-Ing. Jörg", "Weiß", Titled("Dr.-Ing.", "Jörg", "Weiß")),
        ("Dipl.-Ing. Peter", "Brand", Titled("Dipl.-Ing.", "Peter", "Brand")),
        ("Péter", "Dr. Szabó", Titled("Dr.", "Péter", "Szabó")),
        ("Anna", "dr. Kiss", Titled("dr.", "Anna", "Kiss")),  # Hungarian writes it in lower case
        ("Klaus", "Schäfer", Titled("", "Klaus", "Schäfer")),
        ("Doktor", "Faust", Titled("", "Doktor", "Faust")),  # only a title by its form is one
        ("{{ 7*7 }}", "{% x %}", Titled("", "{{ 7*7 }}", "{% x %}")),  # data stays data
        ("", "", Titled("", "", "")),
    ],
)
def test_academic_titles_come_out_of_either_name_column(first: str, last: str, expected: Titled) -> None:
    assert academic_titles(first, last) == expected


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        ("Prof. Dr.", "Prof. Dr."),
        ("Dr.", "Dr."),
        ("Dr. med.", "Dr."),  # the faculty is not named in a salutation
        ("Dr.-Ing.", "Dr."),
        ("Dr. phil. Dr. med.", "Dr."),  # several doctorates: Dr. once
        ("Prof. Dr. med. Dr. h. c.", "Prof. Dr."),
        ("Dipl.-Ing.", ""),  # a Diplom is never in a salutation
        ("Dipl.-Kfm. Dr.", "Dr."),
        ("", ""),
    ],
)
def test_a_salutation_names_the_professorship_and_the_doctorate(titles: str, expected: str) -> None:
    assert salutation_titles(titles) == expected


@pytest.mark.parametrize(
    ("first", "last", "locale", "expected"),
    [
        ("Hans", "Dr. Müller", "de", "Dr. Hans Müller"),
        ("Prof. Dr. Klaus", "Schäfer", "de", "Prof. Dr. Klaus Schäfer"),
        ("Dr. Anna", "Doe", "en", "Dr. Anna Doe"),
        ("Dipl.-Ing. Peter", "Brand", "de", "Dipl.-Ing. Peter Brand"),  # the address keeps it (DIN 5008)
        ("Péter", "Dr. Szabó", "hu", "Dr. Szabó Péter"),  # as before: family name first after the title
        ("Dr. Péter", "Szabó", "hu", "Dr. Szabó Péter"),
        ("Иван", "Иванов", "ru", "Иван Иванов"),
    ],
)
def test_a_name_is_written_with_its_titles_first(first: str, last: str, locale: str, expected: str) -> None:
    assert ordered_name(first, "", last, locale) == expected


# --------------------------------------------------------------------------- Serbian scripts


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Petrović", "Петровић"),
        ("Ljubiša", "Љубиша"),
        ("NJEGOŠ", "ЊЕГОШ"),  # a digraph in capitals is one capital letter
        ("Njegoš", "Његош"),
        ("Džonić", "Џонић"),
        ("Đorđević", "Ђорђевић"),
        ("Petrović d.o.o.", "Петровић д.о.о."),  # Serbian Cyrillic business text writes д.о.о.
        ("„Zvezda“ doo", "„Звезда“ доо"),
        ("Čačak-Šabac", "Чачак-Шабац"),
    ],
)
def test_serbian_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("text", "serbian"),
    [
        ("Marko Petrović", True),
        ("Đorđe Jovanov", True),
        ("Petrović d.o.o.", True),
        ("John Smith", False),  # Serbian letters only, but none only Serbian has: ambiguous, kept
        ("Dragan Jovanov", False),  # the same rule: no č, ć, đ, š, ž
        ("Müller Šimić", False),  # ü is not a Serbian letter
        ("Wolf Šimić", False),  # nor is w
        ("Петровић", False),
        ("", False),
    ],
)
def test_which_latin_names_are_serbian(text: str, serbian: bool) -> None:
    assert is_serbian_latin_name(text) is serbian


@pytest.mark.parametrize(
    ("names", "locale", "expected"),
    [
        (("Marko", "Petrović"), "sr", ("Марко", "Петровић")),  # decided together: one script
        (("Marko", "Petrović"), "sr_RS", ("Марко", "Петровић")),
        (("Marko", "Petrović"), "sr_Cyrl", ("Марко", "Петровић")),
        (("John", "Smith"), "sr", ("John", "Smith")),
        (("Milan", "Јовановић"), "sr", ("Milan", "Јовановић")),  # already mixed: no Latin letter says Serbian
        (("Милан", "Јовановић"), "sr_Latn", ("Milan", "Jovanović")),
        (("Марко", "Petrović"), "sr-Latn", ("Marko", "Petrović")),
        (("Вячеслав", "Петров"), "sr_Latn", ("Вячеслав", "Петров")),  # Russian: the whole name kept
        (("Marko", "Petrović"), "sr_ME", ("Marko", "Petrović")),  # Montenegro writes Latin
        (("Marko", "Petrović"), "ru", ("Marko", "Petrović")),  # other languages: as typed
        (("Милан", "Јовановић"), "de", ("Милан", "Јовановић")),
        (("Marko", "Petrović"), None, ("Marko", "Petrović")),
    ],
)
def test_names_in_the_letters_script(
    names: tuple[str, ...], locale: str | None, expected: tuple[str, ...]
) -> None:
    assert names_in_script(names, locale) == expected
