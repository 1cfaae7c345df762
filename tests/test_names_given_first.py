"""A full name of a contact whose language writes the first name first is read that way.

With one ФИО column, ``John Smith`` with locale ``en`` was read in the
documented «Фамилия Имя» order of Russian CRMs: ``check`` warned "read as last
name 'John', first name 'Smith'", and the letter went out as ``To: Smith John``,
"Dear Smith,". The documented order stays the default for Russian-style
locales (and for a row without a locale under a Russian ``defaults.locale``);
any other language reads «Имя Фамилия» unless the words say otherwise.
"""

from __future__ import annotations

from email.header import decode_header, make_header
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.names import read_full_name
from greeter.sources import load_contacts
from greeter.testing import SmtpSink
from tests.conftest import MakeProject

NOW = "2027-04-14T11:00:00+03:00"


@pytest.mark.parametrize(
    ("locale", "full", "first", "last", "patronymic"),
    [
        # First name first: the default for English and any language the documented order is not.
        ("en", "John Smith", "John", "Smith", ""),
        ("en_GB", "Mary Ann Smith", "Mary", "Ann Smith", ""),
        ("en-US", "John F. Kennedy", "John", "Kennedy", ""),
        ("de", "Ludwig van Beethoven", "Ludwig", "van Beethoven", ""),
        ("es", "José García López", "José", "García López", ""),
        ("fr", "Jean Dupont", "Jean", "Dupont", ""),
        # …unless the words say otherwise: a Russian name written the CRM's way.
        ("en", "Петров Иван", "Иван", "Петров", ""),
        ("en", "Иван Петров", "Иван", "Петров", ""),
        ("en", "Петров Иван Сергеевич", "Иван", "Петров", "Сергеевич"),
        ("de", "Алиев Гусейн Рашид оглы", "Гусейн", "Алиев", "Рашид оглы"),
        ("en", "Мария Ивановна Кузнецова", "Мария", "Кузнецова", "Ивановна"),
        # «Фамилия Имя Отчество» stays the default where CRMs write it so.
        # …but a Latin name of a Russian contact is a foreign name, first name first (test_crm_exports).
        ("ru", "John Smith", "John", "Smith", ""),
        (None, "John Smith", "John", "Smith", ""),
        ("ru", "Иванов Иван Петрович", "Иван", "Иванов", "Петрович"),
        ("uk", "Коваленко Олена", "Олена", "Коваленко", ""),
        ("kk", "Абенов Нурлан", "Нурлан", "Абенов", ""),
        ("kk", "Нурлан Абенов", "Нурлан", "Абенов", ""),
        ("et", "Tamm Kask", "Kask", "Tamm", ""),
        # Family name first by the language's own custom.
        ("hu", "Kovács János", "János", "Kovács", ""),
        ("ja", "Tanaka Taro", "Taro", "Tanaka", ""),
    ],
)  # fmt: skip
def test_the_default_order_is_the_languages(
    locale: str | None, full: str, first: str, last: str, patronymic: str
) -> None:
    parts = read_full_name(full, locale).parts
    assert (parts.first_name, parts.last_name, parts.patronymic) == (first, last, patronymic)


def _load(tmp_path: Path, rows: list[str], defaults: Defaults) -> tuple[list[tuple[str, str]], list[str]]:
    path = tmp_path / "c.csv"
    path.write_text("\n".join(["ID;Email;ФИО;Язык", *rows]) + "\n", encoding="utf-8")
    cols = Columns(id="ID", email="Email", full_name="ФИО", first_name=None, patronymic=None,
                   last_name=None, locale="Язык")  # fmt: skip
    contacts, report = load_contacts(ContactsSource(source="csv", path=path, columns=cols), defaults)
    problems = [str(p).removeprefix(f"{path}:").strip() for p in report.problems]
    return [(c.first_name, c.last_name) for c in contacts], problems


def test_an_english_name_loads_without_a_warning_and_a_russian_one_in_it_says_how(tmp_path: Path) -> None:
    names, problems = _load(
        tmp_path, ["1;a@example.com;John Smith;en", "2;b@example.com;Петров Иван;en"], Defaults()
    )
    assert names == [("John", "Smith"), ("Иван", "Петров")]
    assert problems == [
        "row 3: ФИО: warning: 'Петров Иван' read as first name 'Иван', last name 'Петров' (not in the"
        " first name, last name order of 'en' names)"
    ]


def test_a_row_without_a_locale_is_read_in_the_default_locales_order(tmp_path: Path) -> None:
    """It counted as Russian whatever ``defaults.locale`` said."""
    rows = ["1;a@example.com;John Smith;"]
    assert _load(tmp_path, rows, Defaults(locale="en")) == ([("John", "Smith")], [])
    assert _load(tmp_path, rows, Defaults())[0] == [("John", "Smith")]  # ru: a Latin name, first name first
    names, problems = _load(tmp_path, ["1;a@example.com;Tamm Kask;"], Defaults(locale="sr"))
    assert names == [("Kask", "Tamm")]
    assert problems == [
        "row 2: ФИО: warning: 'Tamm Kask' read as last name 'Tamm', first name 'Kask' (Фамилия Имя, the"
        " order of Russian CRMs), but this contact's language is sr: check the order in the CRM"
    ]


def test_the_letter_to_john_smith_says_dear_john(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(
            [],
            contacts={
                "columns": {"full_name": "ФИО", "first_name": None, "patronymic": None, "last_name": None}
            },
            delivery={
                "transport": "smtp",
                "smtp": {"host": "127.0.0.1", "port": sink.port, "pool_size": 1, "timeout_seconds": 3},
                "rate_limit": {"per_second": None},
            },
        )
        contacts = config.parent / "data" / "contacts.csv"
        header = contacts.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
        header[header.index("Фамилия")] = "ФИО"
        row = dict.fromkeys(header, "")
        row.update({"ID": "1", "Email": "john@example.com", "ФИО": "John Smith", "Язык": "en",
                    "Часовой пояс": "Europe/Moscow", "Категория": "regular", "Дата рождения": "13.04.1980"})  # fmt: skip
        contacts.write_text(";".join(header) + "\n" + ";".join(row.values()) + "\n", encoding="utf-8-sig")
        checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
        assert "contacts: 1 loaded from 1 rows, 0 rejected, 0 warning(s)" in checked.stdout, checked.output
        sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
        assert sent.exit_code == 0, sent.output
        (message,) = [m.parsed() for m in sink.messages]
    assert str(make_header(decode_header(message["To"]))) == "John Smith <john@example.com>"
    body = message.get_body(("plain",))
    assert body is not None and "Dear John," in body.get_content()
