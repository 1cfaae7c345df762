"""Several e-mail columns and several addresses in one cell, as a Bitrix24 contacts export has them.

Bitrix24 exports «Рабочий e-mail», «Частный e-mail» and «Другой e-mail», and
writes a contact's two addresses in one cell (``kuz@firm.ru, d.kuz@gmail.com``).
``contacts.columns.email`` takes a list, tried in order; a cell listing
several addresses greets the first valid one with a warning; a row without
an address says which columns were looked in and which other column holds
one. What made a row dangerous still rejects it: a line break (header
injection) in any e-mail column, and two addresses in the name form
(``a@x.ru <b@x.ru>``), where which one is meant cannot be told.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact, listed_addresses
from greeter.errors import ContactsError
from greeter.sources import LoadReport, load_contacts
from tests import databases
from tests.conftest import ROOT

WORK, PRIVATE, OTHER = "Рабочий e-mail", "Частный e-mail", "Другой e-mail"
ALL = [WORK, PRIVATE, OTHER]
#: A Bitrix24 export's columns, those greeter reads and a comment it does not.
HEADER = ["ID", "Имя", "Фамилия", "Дата рождения", WORK, PRIVATE, OTHER, "Компания", "Комментарий"]


def columns(email: str | list[str]) -> Columns:
    return Columns(
        id="ID", email=email, first_name="Имя", patronymic=None, last_name="Фамилия", company="Компания"
    )


def load_rows(
    tmp_path: Path, email: str | list[str], *rows: tuple[str, str, str, str]
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(id, e-mail) of each contact loaded and every problem's line, for rows of (id, work, private, other)."""
    path = tmp_path / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:  # quoted, as Bitrix24 writes its cells
        out = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL)
        out.writerow(HEADER)
        for cid, work, private, other in rows:
            out.writerow([cid, "Дмитрий", "Кузнецов", "08.12.1985", work, private, other, "ИП", ""])
    cfg = ContactsSource(path=path, columns=columns(email), dates={"birthday": "Дата рождения"})
    contacts, report = load_contacts(cfg, Defaults())
    shown = [str(p).replace(f"{path}:", "") for p in report.problems]
    return [(c.id, c.email) for c in contacts], shown


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "kuz@firm.ru, d.kuz@gmail.com",
            [("kuz@firm.ru", "kuz@firm.ru"), ("d.kuz@gmail.com", "d.kuz@gmail.com")],
        ),
        ("a@x.ru;b@x.ru", [("a@x.ru", "a@x.ru"), ("b@x.ru", "b@x.ru")]),
        ("a@x.ru b@x.ru", [("a@x.ru", "a@x.ru"), ("b@x.ru", "b@x.ru")]),
        ("a@x.ru ,\t; b@x.ru", [("a@x.ru", "a@x.ru"), ("b@x.ru", "b@x.ru")]),
        ("kuz@firm, d@x.ru", [("kuz@firm", None), ("d@x.ru", "d@x.ru")]),
        ("a@x.ru", None),  # one address is no list
        ("a@x.ru <b@x.ru>", None),  # the name form: which one is the mailbox?
        ('"a@x.ru" <b@x.ru>, c@x.ru', None),
        ("a@x.ru (рабочий), b@x.ru", None),  # a comment is no address
        ("a@x.ru или b@x.ru", None),  # a word between addresses: a note, not a list
        ("позвонить", None),
    ],
)
def test_listed_addresses_reads_only_a_plain_list(
    cell: str, expected: list[tuple[str, str | None]] | None
) -> None:
    assert listed_addresses(cell) == expected


#: (contacts.columns.email, (work, private, other), the e-mail loaded or "rejected", the row's problems).
CASES: list[tuple[str | list[str], tuple[str, str, str], str | None, list[str]]] = [
    (ALL, ("ivan@vektor.ru", "i@gmail.com", ""), "ivan@vektor.ru", []),
    (ALL, ("", "petrova@mail.ru", "p@x.ru"), "petrova@mail.ru", []),
    (ALL, ("", "", "other@lenta.ru"), "other@lenta.ru", []),
    ([PRIVATE, WORK], ("w@firm.ru", "p@mail.ru", ""), "p@mail.ru", []),  # the order the user listed
    (
        ALL,
        ("", "", ""),
        None,
        [
            f"row 2: {WORK}: warning: no e-mail in '{WORK}', '{PRIVATE}' or '{OTHER}'; this contact will be"
            " skipped as no_email"
        ],
    ),
    (
        WORK,
        ("", "", ""),
        None,
        [f"row 2: {WORK}: warning: no e-mail; this contact will be skipped as no_email"],
    ),
    (
        WORK,
        ("", "petrova@mail.ru", ""),
        None,
        [
            f"row 2: {WORK}: warning: no e-mail in '{WORK}'; '{PRIVATE}' holds one: add it to"
            f" contacts.columns.email (email: [{WORK}, {PRIVATE}]); until then this contact will be skipped as"
            " no_email"
        ],
    ),
    (
        [WORK, PRIVATE],
        ("", "", "kuz@firm.ru, d@x.ru"),
        None,
        [
            f"row 2: {WORK}: warning: no e-mail in '{WORK}' or '{PRIVATE}'; '{OTHER}' holds one: add it to"
            f" contacts.columns.email (email: [{WORK}, {PRIVATE}, {OTHER}]); until then this contact will be"
            " skipped as no_email"
        ],
    ),
    (
        WORK,
        ("kuz@firm.ru, d.kuz@gmail.com", "", ""),
        "kuz@firm.ru",
        [
            f"row 2: {WORK}: warning: 2 addresses in one cell: greeting the first, kuz@firm.ru (not"
            " d.kuz@gmail.com); to greet another, put it first in the CRM"
        ],
    ),
    (
        ALL,
        ("", "kuz@firm; d.kuz@gmail.com p@x.ru", ""),
        "d.kuz@gmail.com",
        [
            f"row 2: {PRIVATE}: warning: 3 addresses in one cell: greeting the first valid one, d.kuz@gmail.com"
            " (not p@x.ru; 'kuz@firm' is not a valid address); to greet another, put it first in the CRM"
        ],
    ),
    (
        WORK,
        ("a@x.ru a@X.ru", "", ""),
        "a@x.ru",
        [f"row 2: {WORK}: warning: the same address 2 times in one cell: taken once, a@x.ru"],
    ),
    (  # a non-ASCII local part cannot be sent: the next address is greeted
        WORK,
        ("ольга@пример.рф, olga@mail.ru", "", ""),
        "olga@mail.ru",
        [
            f"row 2: {WORK}: warning: 2 addresses in one cell: greeting the first valid one, olga@mail.ru (not"
            " ольга@пример.рф); to greet another, put it first in the CRM"
        ],
    ),
    (
        ALL,
        ("", "g@gmial.com", ""),
        "g@gmial.com",
        [
            f"row 2: {PRIVATE}: warning: 'g@gmial.com': the domain 'gmial.com' looks like a typo of 'gmail.com'"
            " (g@gmail.com?); the letter goes to the address as written: correct it in the CRM if so"
        ],
    ),
    (
        WORK,
        ("a@x.ru <b@x.ru>", "", ""),
        "rejected",
        [
            f"row 2: {WORK}: 'a@x.ru <b@x.ru>' is not a valid e-mail address: it holds 2 addresses, and which one"
            " is meant cannot be told: write the addresses alone, separated by commas (the first is greeted)"
        ],
    ),
    (
        WORK,
        ("kuz@firm, d@kuz", "", ""),
        "rejected",
        [
            f"row 2: {WORK}: 'kuz@firm, d@kuz' is not a valid e-mail address: none of its 2 addresses is valid"
            " ('kuz@firm': the domain 'firm' has no dot (the end, like .ru or .com, is missing))"
        ],
    ),
    (  # a bad cell is passed over for the next column's valid address, as in a cell listing several
        ALL,
        ("ivan@mail", "i@x.ru", ""),
        "i@x.ru",
        [
            f"row 2: {WORK}: warning: 'ivan@mail' is not a valid e-mail address: the domain 'mail' has no dot"
            f" (the end, like .ru or .com, is missing); greeting i@x.ru from '{PRIVATE}' instead: correct it in"
            " the CRM"
        ],
    ),
]


@pytest.mark.parametrize(("email", "cells", "loaded", "problems"), CASES)
def test_the_address_greeted_and_what_the_row_says(
    tmp_path: Path,
    email: str | list[str],
    cells: tuple[str, str, str],
    loaded: str | None,
    problems: list[str],
) -> None:
    contacts, shown = load_rows(tmp_path, email, ("19", *cells))
    assert contacts == ([] if loaded == "rejected" else [("19", loaded)])
    assert shown == problems


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        (("a@x.ru,\r\nBcc: e@evil.example", "", ""), WORK),  # in a cell of several
        (("a@x.ru", "p@x.ru\nBcc: e@evil.example", ""), PRIVATE),  # in a column not even greeted
        (("", "", "\u202eur.x@a"), OTHER),  # a text-direction control
    ],
)
def test_a_control_character_in_any_e_mail_column_still_rejects_the_row(
    tmp_path: Path, cells: tuple[str, str, str], column: str
) -> None:
    contacts, shown = load_rows(tmp_path, ALL, ("19", *cells))
    assert contacts == []
    assert len(shown) == 1 and shown[0].startswith(f"row 2: {column}: contains ")


def test_an_address_in_a_second_column_is_still_one_person_s(tmp_path: Path) -> None:
    contacts, shown = load_rows(tmp_path, ALL, ("1", "a@x.ru", "", ""), ("2", "", "A@x.ru", ""))
    assert contacts == [("1", "a@x.ru"), ("2", None)]
    assert shown[-1].startswith(f"row 3: {PRIVATE}: warning: 'A@x.ru' is already the e-mail of contact '1'")


def test_a_listed_column_the_header_lacks_or_has_twice_names_its_setting(tmp_path: Path) -> None:
    with pytest.raises(
        ContactsError, match=r"'Другой email' \(contacts\.columns\.email\.2\) not found, did you mean"
    ):
        load_rows(tmp_path, [WORK, PRIVATE, "Другой email"])
    path = tmp_path / "twice.csv"
    path.write_text(";".join([*HEADER, PRIVATE]) + "\r\n1;И;К;;a@x.ru;;;;;\r\n", encoding="utf-8")
    cfg = ContactsSource(path=path, columns=columns(ALL))
    with pytest.raises(
        ContactsError, match=r"'Частный e-mail' \(contacts\.columns\.email\.1\) appears 2 times"
    ):
        load_contacts(cfg, Defaults())


def test_a_one_item_list_is_the_column_itself() -> None:
    assert columns([WORK]).email == WORK
    assert columns([WORK]).email_columns == (WORK,)
    assert columns(ALL).email_columns == tuple(ALL)


def load_from_postgres(columns: tuple[str, ...], values: str) -> tuple[list[Contact], LoadReport]:
    """Contacts from a PostgreSQL table of ``id`` and ``columns`` (TEXT) holding ``values`` (SQL),
    read through ``source: sql`` with ``columns.email: [work, private]``: the same row parser."""
    with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.c (id TEXT, {', '.join(f'{c} TEXT' for c in columns)})")
        conn.execute(f"INSERT INTO {schema}.c VALUES {values}")
        cfg = ContactsSource(
            source="sql",
            url=databases.PG_URL,
            query=f"SELECT id, {', '.join(columns)} FROM {schema}.c ORDER BY id",
            columns=Columns(
                id="id", email=["work", "private"], first_name=None, patronymic=None, last_name=None
            ),
        )
        return load_contacts(cfg, Defaults())


def test_an_sql_source_tries_the_query_s_columns_in_order() -> None:
    """Columns are the query's column names, read by the same row parser as a file's."""
    contacts, report = load_from_postgres(
        ("work", "private", "note"),
        "('1', 'w@firm.ru', 'p@mail.ru', ''), ('2', NULL, 'p2@mail.ru', ''),"
        " ('3', 'a@x.ru; b@x.ru', NULL, ''), ('4', NULL, NULL, 'n@x.ru')",
    )
    assert [(c.id, c.email) for c in contacts] == [
        ("1", "w@firm.ru"),
        ("2", "p2@mail.ru"),
        ("3", "a@x.ru"),
        ("4", None),
    ]
    messages = [p.message for p in report.problems]
    assert messages == [
        "2 addresses in one cell: greeting the first, a@x.ru (not b@x.ru); to greet another, put it first in the CRM",
        "no e-mail in 'work' or 'private'; 'note' holds one: add it to contacts.columns.email (email: [work,"
        " private, note]); until then this contact will be skipped as no_email",
    ]


# --- the command line, on a Bitrix24-like export ---------------------------------------------------

#: A Monday; the contacts below have a birthday on it.
DAY = "2027-04-12"
NOW = f"{DAY}T09:00"
BITRIX = (
    '"ID";"Обращение";"Имя";"Отчество";"Фамилия";"Дата рождения";"Рабочий e-mail";"Частный e-mail";'
    '"Другой e-mail";"Компания";"Комментарий";"Не беспокоить"\r\n'
    '"17";"г-н";"Иван";"Петрович";"Иванов";"12.04.1970";"ivanov@vektor.ru";"";"";"ООО «Вектор»";"";"Нет"\r\n'
    '"18";"г-жа";"Анна";"Сергеевна";"Петрова";"12.04.1980";"";"petrova@mail.ru";"";"АО «Север»";"";""\r\n'
    '"19";"";"Дмитрий";"";"Кузнецов";"12.04.1985";"kuz@firm.ru, d.kuz@gmail.com";"";"";"ИП Кузнецов";"";""\r\n'
    '"20";"";"Елена";"Викторовна";"Попова";"12.04.1990";"";"";"";"ООО «Лента»";"";""\r\n'
)


def bitrix_project(tmp_path: Path, email: str | list[str]) -> Path:
    """The example config reading a Bitrix24 export (Windows-1251, ``;``, quoted) with ``email`` mapped."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bitrix.csv").write_bytes(BITRIX.encode("cp1251"))
    yaml = YAML()
    config: Any = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    config["contacts"]["path"] = "data/bitrix.csv"
    config["contacts"]["columns"] = {
        "id": "ID", "email": email, "first_name": "Имя", "patronymic": "Отчество", "last_name": "Фамилия",
        "company": "Компания", "do_not_contact": "Не беспокоить",
    }  # fmt: skip
    config["contacts"]["dates"] = {"birthday": "Дата рождения"}
    config["occasions"] = [o for o in config["occasions"] if o.get("field") in (None, "birthday")]
    path = tmp_path / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def birthdays(config: Path) -> dict[str, tuple[str | None, str | None]]:
    """Each contact's birthday on DAY as ``preview --format json`` plans it: id → (e-mail, skip reason)."""
    result = greeter(config, "preview", "--from", DAY, "--days", "1", "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.output
    return {
        d["contact_id"]: (d["email"], d["reason"])
        for d in json.loads(result.stdout)
        if d["occasion"] == "birthday"
    }


def test_check_and_preview_greet_a_bitrix_export_s_first_address(tmp_path: Path) -> None:
    config = bitrix_project(tmp_path, [WORK, PRIVATE, OTHER])
    check = greeter(config, "check")
    assert check.exit_code == 0, check.output
    assert (
        f"bitrix.csv:row 4: {WORK}: warning: 2 addresses in one cell: greeting the first, kuz@firm.ru (not"
        " d.kuz@gmail.com); to greet another, put it first in the CRM" in check.stderr
    )
    assert (
        f"bitrix.csv:row 5: {WORK}: warning: no e-mail in '{WORK}', '{PRIVATE}' or '{OTHER}'; this contact will"
        " be skipped as no_email" in check.stderr
    )
    assert "contacts: 4 loaded from 4 rows, 0 rejected" in check.output
    assert birthdays(config) == {
        "17": ("ivanov@vektor.ru", None),
        "18": ("petrova@mail.ru", None),
        "19": ("kuz@firm.ru", None),
        "20": (None, "no_email"),
    }


def test_check_names_the_column_not_mapped_that_holds_the_address(tmp_path: Path) -> None:
    config = bitrix_project(tmp_path, WORK)
    check = greeter(config, "check")
    assert (
        f"bitrix.csv:row 3: {WORK}: warning: no e-mail in '{WORK}'; '{PRIVATE}' holds one: add it to"
        f" contacts.columns.email (email: [{WORK}, {PRIVATE}]); until then this contact will be skipped as"
        " no_email" in check.stderr
    ), check.output
    assert birthdays(config)["19"] == ("kuz@firm.ru", None)  # not a rejected row any more


def test_the_do_not_contact_list_forget_and_history_find_the_first_address(tmp_path: Path) -> None:
    config = bitrix_project(tmp_path, [WORK, PRIVATE])
    sent = greeter(config, "send", "--once", "--now", f"{DAY}T17:29:00+03:00")
    assert sent.exit_code == 0, sent.output
    history = greeter(config, "history", "--email", "KUZ@firm.ru", "--format", "json")
    assert [(h["contact_id"], h["email"]) for h in json.loads(history.stdout)] == [("19", "kuz@firm.ru")]

    assert greeter(config, "suppress", "kuz@firm.ru", "petrova@mail.ru").exit_code == 0
    planned = greeter(
        config, "preview", "--from", "2028-04-12", "--days", "1", "--format", "json", "--now", NOW
    )
    reasons = {
        d["contact_id"]: d["reason"] for d in json.loads(planned.stdout) if d["occasion"] == "birthday"
    }
    assert (
        reasons["19"] == "suppressed" and reasons["18"] == "suppressed"
    )  # at the second column's address too

    forget = greeter(config, "forget", "kuz@firm.ru", "--yes")
    assert forget.exit_code == 0, forget.output
    assert "kuz@firm.ru: erased 1 greeting(s)" in forget.stdout
    assert "contact 19" in forget.stdout
    assert greeter(config, "history", "--email", "kuz@firm.ru", "--format", "json").stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "[Рабочий e-mail, 5]",
            r":\d+:\d+: contacts\.columns\.email\.1: write a column's header here \(a text\)",
        ),
        (
            "[Рабочий e-mail, Рабочий e-mail]",
            r":\d+:\d+: contacts\.columns\.email\.1: 'Рабочий e-mail' is listed twice",
        ),
        ("[]", r":\d+:\d+: contacts\.columns\.email: an empty list names no column"),
        (
            "{a: b}",
            r":\d+:\d+: contacts\.columns\.email: write the e-mail column's header, or a list of headers",
        ),
    ],
)
def test_a_wrong_email_setting_is_told_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    config = bitrix_project(tmp_path, WORK)
    text = config.read_text(encoding="utf-8").replace(f"email: {WORK}", f"email: {value}")
    config.write_text(text, encoding="utf-8")
    check = greeter(config, "check")
    assert check.exit_code == 2
    import re

    assert re.search("greeter.yaml" + message, check.stderr), check.output


def test_the_schema_takes_one_column_or_a_list() -> None:
    result = CliRunner().invoke(main, ["schema"])
    email = json.loads(result.stdout)["$defs"]["Columns"]["properties"]["email"]
    assert {"type": "string"} in email["anyOf"]
    assert {"type": "array", "items": {"type": "string"}, "minItems": 1} in email["anyOf"]


def test_an_xlsx_export_tries_its_columns_in_order(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["1", "Иван", "Иванов", "08.12.1985", None, "p@mail.ru", None, "ИП", None])
    sheet.append(["2", "Анна", "Петрова", "08.12.1985", "a@x.ru;b@x.ru", None, None, "ИП", None])
    book.save(path := tmp_path / "contacts.xlsx")
    cfg = ContactsSource(source="xlsx", path=path, columns=columns(ALL), dates={"birthday": "Дата рождения"})
    contacts, report = load_contacts(cfg, Defaults())
    assert [(c.id, c.email) for c in contacts] == [("1", "p@mail.ru"), ("2", "a@x.ru")]
    assert [p.message.partition(":")[0] for p in report.problems] == ["2 addresses in one cell"]
