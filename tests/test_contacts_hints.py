"""Rows that load but would surprise the marketer later, and rejected cells that say how to fix them.

A contact without a first name, an address with a domain typo, a date in
another format: each message names the row and the column and says what the
letter will do, or what to write instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults, Occasion
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact, domain_typo
from greeter.errors import Problem
from greeter.runtime import load_inputs
from greeter.sources import LoadReport, date_occasions, load_contacts
from greeter.sources.dates import is_yearless
from tests.conftest import TODAY, MakeProject, contact_row

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


def test_the_nameless_warning_quotes_the_opening_the_contacts_language_gives_with_gender_and_surname(
    tmp_path: Path,
) -> None:
    """Estonian and Hungarian open with the surname or a gendered word where Russian is impersonal:
    the warning quoted «Tere!» and «Tisztelt Hölgyem/Uram!» for letters that open «Lugupeetud härra
    Mägi!» and «Tisztelt Hölgyem!» (the gender and the surname were not looked at)."""
    et = "3005;a5@example.com;Mägi;;;M;;Europe/Tallinn;et;;;13.12.1970;;;EE"
    hu = "3004;a4@example.com;Kiss;;;F;;Europe/Budapest;hu;;;13.12.1970;;;HU"
    _, report = load(tmp_path, et, hu)
    assert lines(report.problems) == [
        f"{tmp_path / 'c.csv'}:row 2: Имя: warning: no first name: letters to this contact open without a"
        " first name («Lugupeetud härra Mägi!»)",
        f"{tmp_path / 'c.csv'}:row 3: Имя: warning: no first name: letters to this contact are impersonal"
        " («Tisztelt Hölgyem!»)",
    ]


def test_without_a_name_column_nameless_contacts_are_not_each_warned(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("ID;Email\r\n1;a@example.com\r\n", encoding="utf-8")
    cfg = ContactsSource(path=path, columns=Columns(id="ID", email="Email", first_name=None, patronymic=None,
                                                    last_name=None))  # fmt: skip
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.id for c in contacts] == ["1"] and report.problems == []


def test_a_cell_holding_one_address_unambiguously_is_taken_with_a_warning_saying_what_to_write(
    tmp_path: Path,
) -> None:
    contacts, report = load(
        tmp_path,
        row("8004", "mailto:d@x.ru"),
        row("8005", "Антон <e@x.ru>"),
        row("8006", "f@x.ru."),
        row("8007", "Козлов, Антон <h@x.ru>"),  # a comma, but one address
        row("8008", "MAILTO:i@x.ru?subject=Hi"),
    )
    assert [c.email for c in contacts] == ["d@x.ru", "e@x.ru", "f@x.ru", "h@x.ru", "i@x.ru"]
    assert report.rejected == 0
    path = tmp_path / "c.csv"
    assert lines(report.problems) == [
        f"{path}:row 2: Email: warning: 'mailto:d@x.ru' is not a bare address (a mailto: link); taken as"
        " 'd@x.ru': write only the address",
        f"{path}:row 3: Email: warning: 'Антон <e@x.ru>' is not a bare address (a name with the address);"
        " taken as 'e@x.ru': write only the address",
        f"{path}:row 4: Email: warning: 'f@x.ru.' is not a bare address (a dot at the end); taken as"
        " 'f@x.ru': write only the address",
        f"{path}:row 5: Email: warning: 'Козлов, Антон <h@x.ru>' is not a bare address (a name with the"
        " address); taken as 'h@x.ru': write only the address",
        f"{path}:row 6: Email: warning: 'MAILTO:i@x.ru?subject=Hi' is not a bare address (a mailto: link);"
        " taken as 'i@x.ru': write only the address",
    ]


def test_a_rejected_e_mail_cell_says_what_is_wrong_and_a_name_form_of_two_addresses_is_not_chosen_from(
    tmp_path: Path,
) -> None:
    """A plain list (``a@x.ru, b@x.ru``) greets its first address: tests/test_email_columns.py."""
    contacts, report = load(
        tmp_path,
        row("8002", '"a@x.ru, <b@x.ru>"'),
        row("8009", "a@x.ru <b@x.ru>"),  # a name that is itself an address: which one is meant?
        row("3001", "ivan@@mail.ru"),
        row("3002", "ivan petrov@mail.ru"),
        row("3003", "ivan@mail,ru"),
        row("3004", "ivan@mail"),
        row("3005", "not an address"),
    )
    assert contacts == [] and report.rejected == 7
    path = tmp_path / "c.csv"
    two = (
        "is not a valid e-mail address: it holds 2 addresses, and which one is meant cannot be told: write"
        " the addresses alone, separated by commas (the first is greeted)"
    )
    assert lines(report.problems) == [
        f"{path}:row 2: Email: 'a@x.ru, <b@x.ru>' {two}",
        f"{path}:row 3: Email: 'a@x.ru <b@x.ru>' {two}",
        f"{path}:row 4: Email: 'ivan@@mail.ru' is not a valid e-mail address: it has more than one @",
        f"{path}:row 5: Email: 'ivan petrov@mail.ru' is not a valid e-mail address: it has a space, which no"
        " address has",
        f"{path}:row 6: Email: 'ivan@mail,ru' is not a valid e-mail address: a comma in the domain"
        " (ivan@mail.ru meant?)",
        f"{path}:row 7: Email: 'ivan@mail' is not a valid e-mail address: the domain 'mail' has no dot (the"
        " end, like .ru or .com, is missing)",
        f"{path}:row 8: Email: 'not an address' is not a valid e-mail address",
    ]


def test_an_address_taken_from_a_cell_is_still_one_person_s_address(tmp_path: Path) -> None:
    """``Антон <e@x.ru>`` and ``e@x.ru`` are one mailbox: the second contact is told who keeps it."""
    contacts, report = load(tmp_path, row("1", "e@x.ru"), row("2", "Антон <E@x.ru>"))
    assert [c.email for c in contacts] == ["e@x.ru", None]
    assert "is already the e-mail of contact '1' (row 2)" in lines(report.problems)[-1]


def test_an_address_at_a_misspelt_provider_loads_with_a_warning_naming_the_domain_meant(
    tmp_path: Path,
) -> None:
    contacts, report = load(
        tmp_path, row("8007", "g@gmial.com"), row("8010", "h@Yandex.ri"), row("8011", "i@firm.ru")
    )
    assert [c.email for c in contacts] == ["g@gmial.com", "h@Yandex.ri", "i@firm.ru"]  # greeted as written
    path = tmp_path / "c.csv"
    assert lines(report.problems) == [
        f"{path}:row 2: Email: warning: 'g@gmial.com': the domain 'gmial.com' looks like a typo of 'gmail.com'"
        " (g@gmail.com?); the letter goes to the address as written: correct it in the CRM if so",
        f"{path}:row 3: Email: warning: 'h@Yandex.ri': the domain 'Yandex.ri' looks like a typo of 'yandex.ru'"
        " (h@yandex.ru?); the letter goes to the address as written: correct it in the CRM if so",
    ]


@pytest.mark.parametrize(
    ("domain", "meant"),
    [
        ("gmial.com", "gmail.com"), ("gmai.com", "gmail.com"), ("gmaill.com", "gmail.com"),
        ("gmail.con", "gmail.com"), ("gmail.cm", "gmail.com"), ("yandex.ri", "yandex.ru"),
        ("yandx.ru", "yandex.ru"), ("mail.ri", "mail.ru"), ("mial.ru", "mail.ru"), ("maill.ru", "mail.ru"),
        ("lsit.ru", "list.ru"), ("inbx.ru", "inbox.ru"), ("rambler.ry", "rambler.ru"), ("bk.ri", "bk.ru"),
        ("hotmial.com", "hotmail.com"), ("outlok.com", "outlook.com"), ("iclod.com", "icloud.com"),
        ("yaho.com", "yahoo.com"), ("GMIAL.COM", "gmail.com"),
        # Real domains, or too close to other real names to tell: never warned.
        ("gmail.com", None), ("mail.com", None), ("yandex.com", None), ("yandex.by", None),
        ("ymail.com", None), ("lisa.ru", None), ("mall.ru", None), ("yo.ru", None), ("vk.ru", None),
        ("firm.ru", None), ("example.com", None), ("почта.рф", None), ("localhost", None),
    ],
)  # fmt: skip
def test_domain_typo(domain: str, meant: str | None) -> None:
    assert domain_typo(domain) == meant


def test_a_date_in_another_format_says_what_day_the_common_formats_read_and_names_the_occasions(
    tmp_path: Path,
) -> None:
    """The persona's c2.csv: the configured formats, the day(s) each common format reads, the occasions lost."""
    path = tmp_path / "c.csv"
    path.write_text(
        "\r\n".join(
            [
                HEADER + ";День ангела",
                row("1", "a1@example.com", birthday="10/12/1979") + ";12-12-2000",
                row("2", "a2@example.com", birthday="13.12") + ";10.12.1970",
                row("3", "a3@example.com", birthday="10.12.1970") + ";10.12.1970",
                row("4", "a4@example.com", birthday="10.12.1970") + ";10.12.1970",
                row("5", "a5@example.com", birthday="10.12.1970") + ";10.12.1970",
            ]
        )
        + "\r\n",
        encoding="utf-8",
    )
    dates = {"birthday": "Дата рождения", "angel": "День ангела"}
    cfg = ContactsSource(path=path, columns=COLUMNS, dates=dates, date_formats=["%d.%m.%Y", "%Y-%m-%d"])
    uses = date_occasions(
        [
            Occasion(name="birthday", field="birthday", template="birthday"),
            Occasion(name="name_day", field="angel", template="holiday"),
            Occasion(name="angel_day", field="angel", template="holiday"),
        ]
    )
    contacts, report = load_contacts(cfg, Defaults(), uses)
    assert len(contacts) == 5
    formats = "does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d)"
    assert lines(report.problems) == [
        f"{path}:row 2: Дата рождения: warning: '10/12/1979' {formats}; read as \"%d/%m/%Y\" it is 10 December"
        ' 1979, as "%m/%d/%Y" it is 12 October 1979 (add the one the CRM writes to contacts.date_formats);'
        " birthday greetings are skipped for this contact",
        f"{path}:row 2: День ангела: warning: '12-12-2000' {formats}; read as \"%d-%m-%Y\" it is 12 December"
        " 2000 (add it to contacts.date_formats if the CRM writes dates so); name_day and angel_day greetings"
        " are skipped for this contact",
    ]
    # '13.12' has no year: read as one (greeted on the day, without an age), no longer a warning.
    assert is_yearless(contacts[1].dates["birthday"])
    assert (contacts[1].dates["birthday"].month, contacts[1].dates["birthday"].day) == (12, 13)


def test_a_day_month_swap_under_a_configured_format_is_read_but_not_advised_as_an_addition(
    tmp_path: Path,
) -> None:
    """``%m/%d/%Y`` beside ``%d/%m/%Y`` would read 01/02 two ways: the day is said, adding it is not."""
    _, report = load(tmp_path, row("1", "a@example.com", birthday="12/25/1980"), row("2", "b@example.com"))
    assert lines(report.problems) == [
        f"{tmp_path / 'c.csv'}:row 2: Дата рождения: warning: '12/25/1980' is not a real date: there is no"
        ' month 25; read as "%m/%d/%Y" it is 25 December 1980; birthday greetings are skipped for this contact'
    ]


def test_a_date_field_no_occasion_uses_says_so(tmp_path: Path) -> None:
    _, report = load_contacts(
        ContactsSource(path=_file(tmp_path, row("1", "a@example.com", birthday="x")), columns=COLUMNS,
                       dates={"birthday": "Дата рождения"}),
        Defaults(),
        {},
    )  # fmt: skip
    assert lines(report.problems)[0].endswith(
        "'x' does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d, %d/%m/%Y); greetings on this date"
        " (no occasion uses it yet) are skipped for this contact"
    )


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8")
    return path


def test_the_commands_name_the_occasions_a_bad_date_costs(make_project: MakeProject) -> None:
    """Through the runtime every command loads with: the config's occasion, not the date field's name."""
    good = contact_row("1", "a@example.com", birthday="13.04.1980")
    bad = contact_row("2", "b@example.com", birthday="13.04.1980").split(";")
    bad[12] = "12-12-2000"  # Дата основания компании
    inputs = load_inputs(make_project([good, ";".join(bad)]), today=TODAY)
    report = inputs.new_report()
    list(inputs.contacts(report))
    assert [str(p).rpartition("; ")[2] for p in report.problems] == [
        "company_anniversary greetings are skipped for this contact",
        "no company_anniversary greetings for these contacts",  # its only value: the column's error too
    ]
