"""Rows that load but would surprise the marketer later, and rejected cells that say how to fix them.

A contact without a first name, an address with a domain typo, a date in
another format: each message names the row and the column and says what the
letter will do, or what to write instead.
"""

from __future__ import annotations

from pathlib import Path

from greeter.config import Columns, ContactsSource, Defaults
from greeter.contacts import Contact
from greeter.errors import Problem
from greeter.sources import LoadReport, load_contacts

#: The header of the sample data/contacts.csv.
HEADER = (
    "ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;"
    "Дата рождения;Дата основания компании;Первая сделка;Страна"
)
COLUMNS = Columns(
    id="ID", email="Email", last_name="Фамилия", first_name="Имя", patronymic="Отчество", gender="Пол",
    company="Компания", timezone="Часовой пояс", locale="Язык", tier="Категория", tags="Теги",
    country="Страна",
)  # fmt: skip
DATES = {
    "birthday": "Дата рождения",
    "company_founded": "Дата основания компании",
    "first_deal": "Первая сделка",
}


def row(cid: str, email: str, last: str = "Иванов", first: str = "Иван", patronymic: str = "Петрович",
        locale: str = "ru", birthday: str = "13.12.1970") -> str:  # fmt: skip
    """One line of the sample export, its other cells as the persona's file has them."""
    return ";".join([cid, email, last, first, patronymic, "", "", "Europe/Moscow", locale, "", "",
                     birthday, "", "", "Россия"])  # fmt: skip


def load(tmp_path: Path, *lines: str, **kw: object) -> tuple[list[Contact], LoadReport]:
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8")
    cfg = ContactsSource(path=path, columns=COLUMNS, dates=kw.pop("dates", DATES), **kw)  # type: ignore[arg-type]
    return load_contacts(cfg, Defaults())


def lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_a_contact_without_a_first_name_loads_with_a_warning_quoting_the_impersonal_opening(
    tmp_path: Path,
) -> None:
    contacts, report = load(
        tmp_path,
        "3010;a10@example.com;;;;;;Europe/Moscow;ru;;;13.12.1970;;;Россия",  # the persona's row
        row("3011", "a11@example.com", first="", patronymic="Петрович"),
        row("3012", "a12@example.com", first="", last="Smith", patronymic="", locale="en"),
        row("3013", "a13@example.com"),
    )
    assert [c.id for c in contacts] == ["3010", "3011", "3012", "3013"]  # loaded, not rejected
    assert report.rejected == 0
    ru = "warning: no first name: letters to this contact are impersonal («Здравствуйте!»)"
    assert lines(report.problems) == [
        f"{tmp_path / 'c.csv'}:row 2: Имя: {ru}",
        f"{tmp_path / 'c.csv'}:row 3: Имя: {ru}",
        f"{tmp_path / 'c.csv'}:row 4: Имя: warning: no first name: letters to this contact are impersonal"
        " («Dear Sir or Madam,»)",
    ]


def test_without_a_name_column_nameless_contacts_are_not_each_warned(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("ID;Email\r\n1;a@example.com\r\n", encoding="utf-8")
    cfg = ContactsSource(path=path, columns=Columns(id="ID", email="Email", first_name=None, patronymic=None,
                                                    last_name=None))  # fmt: skip
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.id for c in contacts] == ["1"] and report.problems == []
