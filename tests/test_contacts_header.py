"""A CRM report's title above the header row: found, skipped with one warning, or named by ``header_row``.

1C, Bitrix24, amoCRM and Excel reports start with "Отчёт по контактам",
"Сформирован: …" and a blank row before the real header. Every file here is
written for real (CSV bytes in the encoding a CRM uses, a workbook by
openpyxl) and loaded through the same entry point the commands use.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError, ContactsError
from greeter.sources.header import HEADER_SEARCH_ROWS
from tests.conftest import TODAY
from tests.test_config import MINIMAL
from tests.test_contacts_load import RU_HEADER, load, write

ROWS = [
    "1;ivan@example.com;Иванов;Иван;Петрович;м;15.12.1980;;;",
    "2;anna@example.com;Петрова;Анна;Ильинична;ж;08.03.1985;;;vip,23feb",
]
TITLE = ["Отчёт по контактам", "Сформирован: 01.12.2026 10:00", ""]


def warning(path: Path, header: int, shown: str) -> str:
    rows = "row 1 above the header is" if header == 2 else f"rows 1–{header - 1} above the header are"
    return (
        f"{path}: warning: {rows} skipped (the header is row {header}, the first with every configured "
        f"column): {shown}; set contacts.header_row: {header} to confirm it and silence this warning"
    )


def test_a_title_a_date_line_and_a_blank_line_above_the_header_are_skipped_with_one_warning(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, [*TITLE, RU_HEADER, *ROWS])
    contacts, report = load(path)
    assert [(c.id, c.last_name, c.row) for c in contacts] == [("1", "Иванов", 5), ("2", "Петрова", 6)]
    assert contacts[1].tags == {"vip", "23feb"}
    assert (report.rows_read, report.loaded) == (2, 2)  # the title is not a rejected row
    assert [str(p) for p in report.problems] == [
        warning(path, 4, "'Отчёт по контактам', 'Сформирован: 01.12.2026 10:00'")
    ]


def test_a_title_with_commas_does_not_make_comma_the_delimiter_of_a_semicolon_file(tmp_path: Path) -> None:
    title = "Отчёт по контактам, декабрь 2026, менеджер: все, без фильтров"
    path = write(tmp_path, [title, RU_HEADER, *ROWS])
    contacts, report = load(path)
    assert [(c.id, c.email, c.dates["birthday"]) for c in contacts] == [
        ("1", "ivan@example.com", date(1980, 12, 15)),
        ("2", "anna@example.com", date(1985, 3, 8)),
    ]
    assert [p.severity for p in report.problems] == ["warning"]
    assert "row 1 above the header is skipped (the header is row 2" in report.problems[0].message


def test_a_windows_1251_export_with_a_preamble(tmp_path: Path) -> None:
    lines = [
        "Контрагенты: выгрузка из 1С:Предприятие",
        "Ответственный: Петров П. П.;;;",
        "",
        RU_HEADER,
        *ROWS,
    ]
    path = write(tmp_path, lines, encoding="cp1251")
    contacts, report = load(path)
    assert [(c.first_name, c.patronymic, c.last_name, c.row) for c in contacts] == [
        ("Иван", "Петрович", "Иванов", 5),
        ("Анна", "Ильинична", "Петрова", 6),
    ]
    assert [str(p) for p in report.problems] == [
        warning(path, 4, "'Контрагенты: выгрузка из 1С:Предприятие', 'Ответственный: Петров П. П.'")
    ]


def test_an_xlsx_report_with_a_merged_title_above_the_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Отчёт по контактам"
    ws.merge_cells("A1:J1")  # the title spans the table: its other cells read as empty
    ws["A2"] = "Сформирован:"
    ws["B2"] = datetime(2026, 12, 1, 10, 0)
    ws.merge_cells("B2:D2")
    # row 3 left empty, as reports do
    for column, text in enumerate(RU_HEADER.split(";"), start=1):
        ws.cell(row=4, column=column, value=text)
    ws.append([1, "ivan@example.com", "Иванов", "Иван", "Петрович", "м", date(1980, 12, 15)])
    ws.append([2, "not an e-mail", "Петров", "Пётр", None, None, "01.01.1970"])
    ws.append([3, "anna@example.com", "Петрова", "Анна", "Ильинична", "ж", date(1985, 3, 8)])
    path = tmp_path / "report.xlsx"
    wb.save(path)
    contacts, report = load(path, source="xlsx")
    assert [(c.id, c.row, c.dates["birthday"]) for c in contacts] == [
        ("1", 5, date(1980, 12, 15)),
        ("3", 7, date(1985, 3, 8)),
    ]
    assert [str(p) for p in report.problems] == [
        warning(path, 4, "'Отчёт по контактам', 'Сформирован: 01.12.2026'"),
        f"{path}:row 6: Email: 'not an e-mail' is not a valid e-mail address",
    ]


def test_row_numbers_after_a_preamble_are_the_files_own(tmp_path: Path) -> None:
    lines = [
        *TITLE,
        RU_HEADER,
        ROWS[0],  # row 5
        "1;dup@example.com;Дубль;Дмитрий;;;01.01.1970;;;",  # row 6: duplicate id
        "3;zina@example.com;Кузнецова;Зинаида;Павловна;;31.02.1980;;;",  # row 7: impossible date
        "4;IVAN@example.com;Иванов;Илья;;;;;;",  # row 8: the address of row 5 (a shared mailbox)
    ]
    path = write(tmp_path, lines)
    contacts, report = load(path)
    assert [(c.id, c.row, c.email) for c in contacts] == [
        ("1", 5, "ivan@example.com"),
        ("3", 7, "zina@example.com"),
        ("4", 8, None),
    ]
    assert [str(p) for p in report.problems[1:]] == [
        f"{path}:row 6: ID: duplicate id '1' (first seen on row 5)",
        f"{path}:row 7: Дата рождения: warning: '31.02.1980' is not a real date: February has no 31st; "
        "birthday greetings are skipped for this contact",
        f"{path}:row 8: Email: warning: 'IVAN@example.com' is already the e-mail of contact '1' (row 5), which"
        " keeps it: one address is greeted as one person, so this contact is loaded without an e-mail and"
        " skipped as no_email; give it its own address in the CRM, or clear this e-mail to say so",
    ]


def test_the_header_may_be_the_last_row_searched_but_not_one_further(tmp_path: Path) -> None:
    preamble = [f"Фильтр {i}: все" for i in range(1, HEADER_SEARCH_ROWS)]
    contacts, report = load(write(tmp_path, [*preamble, RU_HEADER, *ROWS]))
    assert [c.row for c in contacts] == [HEADER_SEARCH_ROWS + 1, HEADER_SEARCH_ROWS + 2]
    assert "rows 1–19 above the header are skipped (the header is row 20" in report.problems[0].message

    path = write(tmp_path, [*preamble, "Фильтр 20: все", RU_HEADER, *ROWS], name="long.csv")
    with pytest.raises(ContactsError) as info:
        load(path)
    assert str(info.value) == (
        f"{path}: column 'ID' (contacts.columns.id) not found (the header has: Фильтр 1: все). "
        "No row up to row 20 has all the configured columns; "
        "if the header is further down, set contacts.header_row."
    )
    # ...which is what the setting is for.
    contacts, report = load(path, header_row=21)
    assert [c.row for c in contacts] == [22, 23]
    assert report.problems == []


def test_a_header_lacking_one_configured_column_is_not_told_to_look_further_down(tmp_path: Path) -> None:
    """A date column configured by a name the export does not use ("День ангела" for "Именины"):
    row 1 has every other column, yet the message ended "if the header is further down, set
    contacts.header_row" — a marketer went looking for a title above the header."""
    rows = [f"{i};c{i}@example.com;Иванов;Иван;Петрович;м;15.12.1980;;;" for i in range(1, 30)]
    path = write(tmp_path, [RU_HEADER, *rows])
    dates = {"birthday": "Дата рождения", "name_day": "День ангела"}
    with pytest.raises(ContactsError) as info:
        load(path, dates=dates)
    said = str(info.value)
    assert said.startswith(f"{path}: column 'День ангела' (contacts.dates.name_day) not found"), said
    assert "header_row" not in said, said


def test_a_typo_in_a_header_below_a_title_is_named_with_the_did_you_mean_hint(tmp_path: Path) -> None:
    path = write(tmp_path, [*TITLE, RU_HEADER.replace("Email", "E-mail"), *ROWS])
    with pytest.raises(ContactsError) as info:
        load(path)
    assert str(info.value) == (
        f"{path}: column 'Email' (contacts.columns.email) not found, did you mean 'E-mail'? "
        "No row up to row 6 has all the configured columns; row 4 has the most of them."
    )


def test_header_row_names_the_header_and_the_rows_above_it_are_skipped_silently(tmp_path: Path) -> None:
    path = write(tmp_path, [*TITLE, RU_HEADER, *ROWS])
    contacts, report = load(path, header_row=4)
    assert [(c.id, c.row) for c in contacts] == [("1", 5), ("2", 6)]
    assert report.problems == []  # the marketer said so: nothing to warn about


@pytest.mark.parametrize(
    ("header_row", "expected"),
    [
        (
            2,
            "{path}: column 'ID' (contacts.columns.id) not found (the header has: Сформирован: 01.12.2026 "
            "10:00) (contacts.header_row: 2 makes row 2 the header)",
        ),
        (3, "{path}: row 3 is empty, so it cannot be the header (contacts.header_row: 3)"),
        (40, "{path}: the file ends at row 6, before the header (contacts.header_row: 40)"),
    ],
)
def test_a_header_row_that_is_not_the_header_is_one_clear_error(
    tmp_path: Path, header_row: int, expected: str
) -> None:
    path = write(tmp_path, [*TITLE, RU_HEADER, *ROWS])
    with pytest.raises(ContactsError) as info:
        load(path, header_row=header_row)
    assert str(info.value) == expected.format(path=path)


def with_contacts_setting(lines: str) -> str:
    """The minimal config with ``lines`` added to its contacts section (line 6 of the file)."""
    return MINIMAL.replace("  path: contacts.csv\n", "  path: contacts.csv\n" + lines)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("  header_row: 0\n", "greeter.yaml:6:3: contacts.header_row: Input should be greater than 0"),
        (
            "  header_rows: 4\n",
            "greeter.yaml:6:3: contacts.header_rows: unknown key, did you mean `header_row`?",
        ),
        (
            "  source: sql\n  url: postgresql://crm/db\n  query: SELECT 1\n  header_row: 4\n",
            "greeter.yaml:4:1: contacts: header_row is for csv and xlsx files "
            "(an SQL query's column names are its header)",
        ),
    ],
)
def test_header_row_in_the_config_is_a_positive_row_of_a_file_source(lines: str, message: str) -> None:
    assert (
        parse_settings(
            with_contacts_setting("  header_row: 4\n"), "greeter.yaml", today=TODAY
        ).contacts.header_row
        == 4
    )
    with pytest.raises(ConfigError) as info:
        parse_settings(with_contacts_setting(lines), "greeter.yaml", today=TODAY)
    assert [str(p).split(" (got")[0] for p in info.value.problems] == [message]


def test_a_configured_column_twice_in_the_header_is_an_error_naming_both_positions(tmp_path: Path) -> None:
    """Which Email is meant cannot be told: greeting the wrong address is worse than not loading."""
    path = write(
        tmp_path,
        [
            "Отчёт по контактам",
            f"{RU_HEADER};Email",
            "1;work@example.com;Иванов;Иван;Петрович;м;15.12.1980;;;;home@example.com",
        ],
    )
    with pytest.raises(ContactsError) as err:
        load(path)
    assert str(err.value) == (
        f"{path}:row 2: column 'Email' (contacts.columns.email) appears 2 times in the header row (columns 2"
        " and 11); which one holds the data cannot be told: rename or remove the others"
    )


def test_a_date_column_twice_in_an_xlsx_header_is_an_error_too(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*RU_HEADER.split(";"), "Дата рождения"])
    ws.append(
        [
            1,
            "ivan@example.com",
            "Иванов",
            "Иван",
            "Петрович",
            "м",
            date(1980, 12, 15),
            None,
            None,
            None,
            date(1981, 1, 1),
        ]
    )
    path = tmp_path / "c.xlsx"
    wb.save(path)
    with pytest.raises(ContactsError) as err:
        load(path, source="xlsx")
    assert str(err.value) == (
        f"{path}:row 1: column 'Дата рождения' (contacts.dates.birthday) appears 2 times in the header row"
        " (columns 7 and 11); which one holds the data cannot be told: rename or remove the others"
    )


def test_an_xlsx_with_each_row_pasted_into_column_a_says_so_not_delimiter(tmp_path: Path) -> None:
    """A release engineer's finding: a sheet has no delimiter, so the CSV wording misled."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([RU_HEADER])  # the whole CSV line in A1
    ws.append([ROWS[0]])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    with pytest.raises(ContactsError) as err:
        load(path, source="xlsx")
    assert str(err.value).startswith(
        f"{path}:row 1: row 1 is not a header: it has one cell (a CSV pasted into column A? split it"
        " with Excel's Data → Text to Columns, or give greeter the CSV)"
    )
    assert "delimiter" not in str(err.value)


def test_a_column_the_config_does_not_name_may_repeat(tmp_path: Path) -> None:
    path = write(tmp_path, [f"{RU_HEADER};Примечание;Примечание", f"{ROWS[0]};a;b"])
    contacts, report = load(path)
    assert [(c.id, c.email) for c in contacts] == [("1", "ivan@example.com")]
    assert report.problems == []


@pytest.mark.parametrize(
    ("configured", "header", "meant"),
    [
        (
            "Дата рождения",
            ["Дата основания", "ДАТА РОЖДЕНИЯ"],
            ["ДАТА РОЖДЕНИЯ"],
        ),  # not the same-case neighbour
        ("ФИО", ["ID", "фио", "Email"], ["фио"]),
        ("Email", ["ID", "E-mail"], ["E-mail"]),
        ("Email", ["ID", "Телефон"], []),
    ],
)
def test_the_column_meant_is_found_whatever_its_capitals(
    configured: str, header: list[str], meant: list[str]
) -> None:
    from greeter.sources.columns import close_column

    assert close_column(configured, header) == meant


def test_a_header_in_capitals_is_suggested_not_a_neighbouring_column(tmp_path: Path) -> None:
    """ "ДАТА РОЖДЕНИЯ" for "Дата рождения": the advice used to be 'Дата основания компании' —
    followed, it would have greeted birthdays on founding days."""
    path = write(tmp_path, [RU_HEADER.replace("Дата рождения", "ДАТА РОЖДЕНИЯ"), *ROWS])
    with pytest.raises(ContactsError) as info:
        load(path)
    assert "column 'Дата рождения' (contacts.dates.birthday) not found, did you mean 'ДАТА РОЖДЕНИЯ'?" in str(
        info.value
    )
