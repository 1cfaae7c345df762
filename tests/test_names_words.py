"""A full-name cell read by its words, not by position, in the languages the letters speak.

Read by position, a one-word cell was a first name («Здравствуйте, Кузнецов!»,
«Ивановна, с прошедшим днём рождения!», «Tere, Kask!»), and «Имя Фамилия»
written by a Serbian or Estonian client was reversed («…хвала Вам,
Николић!», «Lugupeetud Kask Jaan!») — all with ``check: OK``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.given_names import is_first_name
from greeter.names import native_order, read_full_name
from greeter.sources import load_contacts


@pytest.mark.parametrize(
    ("full", "locale", "parts", "order", "alone", "unconfirmed"),
    [
        # One word: a patronymic, a known first name, else a surname.
        ("Кузнецов", None, ("Кузнецов", "", ""), "", "last name", False),
        ("Ивановна", None, ("", "", "Ивановна"), "", "patronymic", False),
        ("Kask", "et", ("Kask", "", ""), "", "last name", False),
        ("Анна", None, ("", "Анна", ""), "", "", False),
        ("Jaan", "et", ("", "Jaan", ""), "", "", False),
        ("Олександр", "uk", ("", "Олександр", ""), "", "", False),
        # «Имя Фамилия» recognised beyond Russian names.
        ("Јелена Николић", "sr", ("Николић", "Јелена", ""), "first name, last name", "", False),
        ("Jelena Nikolić", "sr_Latn", ("Nikolić", "Jelena", ""), "first name, last name", "", False),
        ("Jaan Kask", "et", ("Kask", "Jaan", ""), "first name, last name", "", False),
        ("Нурлан Абенов", "kk", ("Абенов", "Нурлан", ""), "first name, last name", "", False),
        ("Олена Коваленко", "uk", ("Коваленко", "Олена", ""), "first name, last name", "", False),
        # The documented order, confirmed by the second word.
        ("Николић Јелена", "sr", ("Николић", "Јелена", ""), "", "", False),
        ("Kask Jaan", "et", ("Kask", "Jaan", ""), "", "", False),
        ("Коваленко Олена", "uk", ("Коваленко", "Олена", ""), "", "", False),
        # Neither word known: the documented order, unconfirmed.
        ("Tamm Kask", "et", ("Tamm", "Kask", ""), "", "", True),
        # Hungarian names are family name first, read as Hungarian writes them (tests/test_hungarian_names.py):
        # never turned round, and no guess at the Russian order to confirm.
        ("Kovács János", "hu", ("Kovács", "János", ""), "", "", False),
        ("Martin Kovács", "hu", ("Martin", "Kovács", ""), "", "", False),
        ("Martin Kovács", "et", ("Kovács", "Martin", ""), "first name, last name", "", False),
    ],
)  # fmt: skip
def test_a_cell_is_read_by_its_words(
    full: str,
    locale: str | None,
    parts: tuple[str, str, str],
    order: str,
    alone: str,
    unconfirmed: bool,
) -> None:
    reading = read_full_name(full, locale)
    assert (tuple(reading.parts), reading.order, reading.alone, reading.unconfirmed) == (
        parts,
        order,
        alone,
        unconfirmed,
    )


def test_first_names_of_each_language_and_surnames_are_told_apart() -> None:
    names = ["Анна", "Олександр", "Марія", "Јелена", "Jelena", "Đorđe", "Jaan", "Tõnu", "Нурлан", "Айгерим"]
    surnames = ["Кузнецов", "Коваленко", "Николић", "Nikolić", "Kask", "Tamm", "Абенов", "Kovács"]
    assert [w for w in names if not is_first_name(w)] == []
    assert [w for w in surnames if is_first_name(w)] == []


@pytest.mark.parametrize(
    ("locale", "native"),
    [
        (None, True),
        ("ru", True),
        ("ru_RU", True),
        ("hu", True),
        ("hu-HU", True),
        ("et", False),
        ("sr", False),
    ],
)
def test_the_documented_order_is_native_to_russian_and_hungarian(locale: str | None, native: bool) -> None:
    assert native_order(locale) is native


def test_the_loader_warns_how_each_doubtful_cell_was_read(tmp_path: Path) -> None:
    rows = [
        "ID;Email;ФИО;Язык",
        "1;a@example.com;Кузнецов;",
        "2;b@example.com;Ивановна;",
        "3;c@example.com;Kask;et",
        "4;d@example.com;Јелена Николић;sr",
        "5;e@example.com;Jaan Kask;et",
        "6;f@example.com;Tamm Kask;et",
        "7;g@example.com;Kovács János;hu",
        "8;h@example.com;Петрова Анна;",
        "9;i@example.com;Анна;",
        "10;j@example.com;Сидоров Пётр;ru",
    ]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cols = Columns(
        id="ID",
        email="Email",
        full_name="ФИО",
        first_name=None,
        patronymic=None,
        last_name=None,
        locale="Язык",
    )
    contacts, report = load_contacts(ContactsSource(source="csv", path=path, columns=cols), Defaults())
    problems = [str(p).removeprefix(f"{path}:").strip() for p in report.problems]
    assert [(c.last_name, c.first_name, c.patronymic) for c in contacts if isinstance(c, Contact)] == [
        ("Кузнецов", "", ""),
        ("", "", "Ивановна"),
        ("Kask", "", ""),
        ("Николић", "Јелена", ""),
        ("Kask", "Jaan", ""),
        ("Tamm", "Kask", ""),
        ("Kovács", "János", ""),
        ("Петрова", "Анна", ""),
        ("", "Анна", ""),
        ("Сидоров", "Пётр", ""),
    ]
    assert problems == [
        "row 2: ФИО: warning: 'Кузнецов' read as last name 'Кузнецов', no first name: letters to this contact"
        " are impersonal («Здравствуйте!»); write the name in full in the CRM",
        "row 3: ФИО: warning: 'Ивановна' read as patronymic 'Ивановна', no first name: letters to this contact"
        " are impersonal («Здравствуйте!»); write the name in full in the CRM",
        "row 4: ФИО: warning: 'Kask' read as last name 'Kask', no first name: letters to this contact are"
        " impersonal («Tere!»); write the name in full in the CRM",
        "row 5: ФИО: warning: 'Јелена Николић' read as first name 'Јелена', last name 'Николић' (not in"
        " Фамилия Имя Отчество order)",
        "row 6: ФИО: warning: 'Jaan Kask' read as first name 'Jaan', last name 'Kask' (not in Фамилия Имя"
        " Отчество order)",
        "row 7: ФИО: warning: 'Tamm Kask' read as last name 'Tamm', first name 'Kask' (Фамилия Имя, the order"
        " of Russian CRMs), but this contact's language is et: check the order in the CRM",
    ]
