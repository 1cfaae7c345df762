"""A first-time user's Bitrix24 CSV and amoCRM workbook: each refusal says the fix, through ``greeter check``.

The persona's messages named a missing column, a sheet or an encoding but not
what to write in the config: a ФИО column (``contacts.columns.full_name``),
the sheet the contacts are on, the encoding that reads the file, a sheet
name's capitals, a sheet given as a number, a date written with a month name.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.test_bad_inputs import greeter_in_process

#: The columns of the persona's Bitrix24 export (a ФИО column, no separate name columns).
BITRIX_HEADER = ["ID", "ФИО", "E-mail", "Дата рождения"]
BITRIX_ROW = ["1", "Иванова Анна Сергеевна", "anna@example.com", "08.12.1973"]


def project(tmp_path: Path, contacts: dict[str, Any]) -> Path:
    """config.example.yaml with ``contacts:`` replaced by ``contacts`` (the file named in it is the caller's)."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates", dirs_exist_ok=True)
    yaml = YAML()
    config = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    config["contacts"] = contacts
    dates = contacts.get("dates", {})  # the example's occasions on dates this file lacks are left out
    config["occasions"] = [o for o in config["occasions"] if o.get("field") in (None, *dates)]
    path = tmp_path / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    path.write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode(encoding))


def check(config: Path) -> tuple[int, str]:
    code, out, err = greeter_in_process(config, "check")
    assert "Traceback" not in err
    return code, out + err


#: The example's columns for the persona's file, as they first wrote them (no patronymic line).
PERSONA_COLUMNS = {"id": "ID", "email": "E-mail", "first_name": "Имя", "last_name": "Фамилия"}


@pytest.mark.parametrize("column", ["ФИО", "ФИО клиента", "Full name", "Полное имя"])
def test_a_full_name_column_in_the_header_is_suggested_as_contacts_columns_full_name(
    tmp_path: Path, column: str
) -> None:
    write_csv(
        tmp_path / "bitrix.csv", [["ID", column, "E-mail"], ["1", "Иванова Анна", "a@example.com"]], "utf-8"
    )
    config = project(tmp_path, {"path": "bitrix.csv", "columns": PERSONA_COLUMNS})
    code, out = check(config)
    assert code != 0
    assert (
        "bitrix.csv: 3 configured columns not found: 'Имя' (contacts.columns.first_name), 'patronymic'"
        " (contacts.columns.patronymic), 'Фамилия' (contacts.columns.last_name);"
        f" the header has: ID, {column}, E-mail; the header has a full-name column:"
        f" set contacts.columns.full_name: {column} (and first_name, last_name: null). No row"
    ) in out


def test_a_missing_patronymic_beside_a_full_name_column_gets_both_fixes(tmp_path: Path) -> None:
    header = ["ID", "ФИО", "E-mail", "Имя", "Фамилия"]
    write_csv(
        tmp_path / "bitrix.csv", [header, ["1", "Иванова Анна", "a@example.com", "Анна", "Иванова"]], "utf-8"
    )
    code, out = check(project(tmp_path, {"path": "bitrix.csv", "columns": PERSONA_COLUMNS}))
    assert code != 0
    assert (
        "bitrix.csv: column 'patronymic' (contacts.columns.patronymic) not found (the header has: ID, ФИО, E-mail,"
        " Имя, Фамилия); the header has a full-name column: set contacts.columns.full_name: ФИО (and first_name,"
        " last_name: null), or, if the file has no patronymic column, write patronymic: null under contacts.columns"
    ) in out


def test_the_full_name_hint_nulls_every_name_column_the_config_writes_and_following_it_loads(
    tmp_path: Path,
) -> None:
    """The hint named only full_name; followed, it left first_name: Имя in place for check to warn about."""
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, BITRIX_ROW], "utf-8")
    columns = {**PERSONA_COLUMNS, "patronymic": "Отчество"}
    code, out = check(project(tmp_path, {"path": "bitrix.csv", "columns": columns}))
    assert code != 0
    assert (
        "set contacts.columns.full_name: ФИО (and first_name, patronymic, last_name: null). No row" in out
    ), out
    fixed = {**columns, "full_name": "ФИО", "first_name": None, "patronymic": None, "last_name": None}
    _code, out = check(project(tmp_path, {"path": "bitrix.csv", "columns": fixed}))
    assert "contacts: 1 loaded from 1 rows, 0 rejected" in out, out
    assert "is not read" not in out, out


def test_a_close_match_for_the_missing_column_is_not_followed_by_header_row_advice(tmp_path: Path) -> None:
    """``full_name: Ф.И.О.`` on a header with ФИО: the header is found, so "set header_row" would mislead."""
    rows = [[str(i), f"Иванова Анна {i}", f"a{i}@example.com", "08.12.1973"] for i in range(1, 30)]
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, *rows], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "Ф.И.О."}
    code, out = check(project(tmp_path, {"path": "bitrix.csv", "columns": columns}))
    assert code != 0
    line = next(x for x in out.splitlines() if "bitrix.csv" in x)
    assert "column 'Ф.И.О.' (contacts.columns.full_name) not found, did you mean 'ФИО'?" in line, line
    assert "header_row" not in line, line


def test_a_missing_optional_name_column_says_how_to_declare_it_absent(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "c.csv",
        [["ID", "E-mail", "Имя", "Фамилия"], ["1", "a@example.com", "Анна", "Иванова"]],
        "utf-8",
    )
    config = project(
        tmp_path, {"path": "c.csv", "columns": PERSONA_COLUMNS}
    )  # patronymic defaults to 'patronymic'
    code, out = check(config)
    assert code != 0
    assert (
        "c.csv: column 'patronymic' (contacts.columns.patronymic) not found (the header has: ID, E-mail, Имя,"
        " Фамилия); if the file has no such column, write patronymic: null under contacts.columns"
    ) in out


def test_with_the_full_name_column_set_the_persona_file_loads(tmp_path: Path) -> None:
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, BITRIX_ROW], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    config = project(
        tmp_path, {"path": "bitrix.csv", "columns": columns, "dates": {"birthday": "Дата рождения"}}
    )
    _code, out = check(config)
    assert "contacts: 1 loaded from 1 rows, 0 rejected" in out, out


def amo_workbook(path: Path, first_title: str = "Сводка") -> None:
    """amoCRM's export: a summary sheet first, the contacts on the sheet 'Контакты'."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = first_title
    summary.append(["Сводка по сделкам", None])
    summary.append(["Всего", 3])
    contacts = book.create_sheet("Контакты")
    contacts.append(["ID", "E-mail", "Имя", "Фамилия"])
    contacts.append([1, "anna@example.com", "Анна", "Иванова"])
    book.save(path)


AMO_COLUMNS = {"id": "ID", "email": "E-mail", "first_name": "Имя", "last_name": "Фамилия", "patronymic": None}


def test_a_workbook_whose_contacts_are_on_another_sheet_names_that_sheet(tmp_path: Path) -> None:
    amo_workbook(tmp_path / "amo.xlsx")
    config = project(tmp_path, {"source": "xlsx", "path": "amo.xlsx", "columns": AMO_COLUMNS})
    code, out = check(config)
    assert code != 0
    line = next(x for x in out.splitlines() if "amo.xlsx" in x)
    assert "(the header has: Сводка по сделкам)." in line, line  # its empty second cell is not listed
    assert line.endswith("sheet 'Контакты' has them: set contacts.sheet: Контакты"), line


def test_a_sheet_name_in_other_capitals_is_suggested(tmp_path: Path) -> None:
    amo_workbook(tmp_path / "amo.xlsx")
    contacts = {"source": "xlsx", "path": "amo.xlsx", "sheet": "контакты", "columns": AMO_COLUMNS}
    code, out = check(project(tmp_path, contacts))
    assert code != 0
    assert (
        "contacts.sheet: no sheet 'контакты' in amo.xlsx (sheets: Сводка, Контакты), did you mean 'Контакты'?"
        in out
    )


def test_a_sheet_name_with_a_typo_is_suggested(tmp_path: Path) -> None:
    amo_workbook(tmp_path / "amo.xlsx")
    contacts = {"source": "xlsx", "path": "amo.xlsx", "sheet": "Контакт", "columns": AMO_COLUMNS}
    code, out = check(project(tmp_path, contacts))
    assert code != 0
    assert (
        "contacts.sheet: no sheet 'Контакт' in amo.xlsx (sheets: Сводка, Контакты), did you mean 'Контакты'?"
        in out
    )


def test_a_sheet_that_does_not_exist_is_located_in_the_config_and_the_sheet_with_the_columns_named(
    tmp_path: Path,
) -> None:
    amo_workbook(tmp_path / "amo.xlsx")
    contacts = {"source": "xlsx", "path": "amo.xlsx", "sheet": "Лист1", "columns": AMO_COLUMNS}
    config = project(tmp_path, contacts)
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, x in enumerate(lines, 1) if x.strip() == "sheet: Лист1")
    col = lines[at - 1].index("sheet") + 1
    code, out = check(config)
    assert code == 2
    assert (
        f"greeter.yaml:{at}:{col}: contacts.sheet: no sheet 'Лист1' in amo.xlsx (sheets: Сводка, Контакты);"
        " sheet 'Контакты' has the configured columns: set contacts.sheet: Контакты"
    ) in out, out


def test_a_sheet_given_as_a_number_says_to_write_its_name(tmp_path: Path) -> None:
    amo_workbook(tmp_path / "amo.xlsx")
    contacts = {"source": "xlsx", "path": "amo.xlsx", "sheet": 2, "columns": AMO_COLUMNS}
    code, out = check(project(tmp_path, contacts))
    assert code == 2
    assert "write the sheet's name (sheets are named, e.g. sheet: Контакты)" in out
    assert 'a sheet named 2 is written in quotes: sheet: "2"' in out
    assert "valid string" not in out


def test_utf_8_declared_on_a_windows_1251_file_says_it_reads_as_windows_1251(tmp_path: Path) -> None:
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, BITRIX_ROW], "cp1251")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    config = project(tmp_path, {"path": "bitrix.csv", "encoding": "utf-8", "columns": columns})
    code, out = check(config)
    assert code != 0
    assert (
        "the file is not valid UTF-8 (contacts.encoding: utf-8); it reads as Windows-1251:"
        " set encoding: auto or cp1251"
    ) in out


def test_a_wrong_encoding_is_said_first_without_the_mojibake_header_or_header_row_advice(
    tmp_path: Path,
) -> None:
    """Twenty rows and more of a cp1251 export under ``encoding: utf-8``: the encoding is the one fix to give."""
    rows = [[str(i), f"Иванова Анна {i}", f"a{i}@example.com", "08.12.1973"] for i in range(1, 30)]
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, *rows], "cp1251")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    code, out = check(project(tmp_path, {"path": "bitrix.csv", "encoding": "utf-8", "columns": columns}))
    assert code != 0
    line = next(x for x in out.splitlines() if "bitrix.csv" in x)
    assert line == (
        "bitrix.csv: the file is not valid UTF-8 (contacts.encoding: utf-8); it reads as Windows-1251:"
        " set encoding: auto or cp1251 (column 'ФИО' (contacts.columns.full_name) was not found in what"
        " UTF-8 makes of it)"
    ), line
    assert "header_row" not in out and "\ufffd" not in out, out


def test_koi8_r_declared_on_a_windows_1251_file_says_the_header_matches_in_windows_1251(
    tmp_path: Path,
) -> None:
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, BITRIX_ROW], "cp1251")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    config = project(tmp_path, {"path": "bitrix.csv", "encoding": "koi8-r", "columns": columns})
    code, out = check(config)
    assert code != 0
    assert (
        "read as Windows-1251 (not KOI8-R, contacts.encoding: koi8-r) the header has the configured columns:"
        " set encoding: auto or cp1251"
    ) in out


def test_utf_8_declared_on_a_windows_1251_file_with_a_latin_header_warns_of_the_names(tmp_path: Path) -> None:
    write_csv(tmp_path / "c.csv", [["ID", "Email", "Name"], ["1", "a@example.com", "Анна Иванова"]], "cp1251")
    columns = {"id": "ID", "email": "Email", "full_name": "Name"}
    _code, out = check(project(tmp_path, {"path": "c.csv", "encoding": "utf-8", "columns": columns}))
    assert (
        "the file is not valid UTF-8 (contacts.encoding: utf-8); it reads as Windows-1251:"
        " set encoding: auto or cp1251"
    ) in out


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("8 декабря 1973", "it is 8 December 1973, written with a month name"),
        ("8 декабря 1973 г.", "it is 8 December 1973, written with a month name"),
        ("8 дек. 1973", "it is 8 December 1973, written with a month name"),
    ],
)
def test_a_date_written_with_a_russian_month_name_says_the_day_and_to_export_numbers(
    tmp_path: Path, value: str, says: str
) -> None:
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, [*BITRIX_ROW[:3], value]], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    contacts = {"path": "bitrix.csv", "columns": columns, "dates": {"birthday": "Дата рождения"}}
    _code, out = check(project(tmp_path, contacts))
    line = next(x for x in out.splitlines() if "row 2" in x and "Дата рождения" in x)
    assert says in line, line
    assert (
        "no date format reads Russian month names: export dates as numbers (dd.mm.yyyy) from the CRM" in line
    )


def test_a_date_written_with_an_english_month_name_suggests_the_format_that_reads_it(tmp_path: Path) -> None:
    write_csv(tmp_path / "c.csv", [BITRIX_HEADER, [*BITRIX_ROW[:3], "8 December 1973"]], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    contacts = {"path": "c.csv", "columns": columns, "dates": {"birthday": "Дата рождения"}}
    _code, out = check(project(tmp_path, contacts))
    line = next(x for x in out.splitlines() if "row 2" in x and "Дата рождения" in x)
    assert 'it is 8 December 1973, written with a month name: add "%d %B %Y" to contacts.date_formats' in line


def test_an_english_month_name_spelled_as_no_format_reads_it_does_not_blame_english(tmp_path: Path) -> None:
    """strptime reads English month names: "8 dec. 1973" fails by its dot, not by its language."""
    write_csv(tmp_path / "c.csv", [BITRIX_HEADER, [*BITRIX_ROW[:3], "8 dec. 1973"]], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    contacts = {"path": "c.csv", "columns": columns, "dates": {"birthday": "Дата рождения"}}
    _code, out = check(project(tmp_path, contacts))
    line = next(x for x in out.splitlines() if "row 2" in x and "Дата рождения" in x)
    assert (
        "it is 8 December 1973, written with a month name, spelled so that no date format reads it:"
        " export dates as numbers (dd.mm.yyyy) from the CRM"
    ) in line
    assert "English month names" not in line


def test_a_column_of_dates_with_russian_month_names_is_one_error_with_the_advice(tmp_path: Path) -> None:
    rows = [[str(i), f"Иванова Анна {i}", f"a{i}@example.com", f"{i} декабря 1973"] for i in range(1, 7)]
    write_csv(tmp_path / "bitrix.csv", [BITRIX_HEADER, *rows], "utf-8")
    columns = {"id": "ID", "email": "E-mail", "full_name": "ФИО"}
    contacts = {"path": "bitrix.csv", "columns": columns, "dates": {"birthday": "Дата рождения"}}
    code, out = check(project(tmp_path, contacts))
    assert code == 1
    assert (
        "6 of 6 values could not be read as dates (contacts.date_formats: %d.%m.%Y, %Y-%m-%d, %d/%m/%Y); e.g. '1 декабря"
        " 1973': it is 1 December 1973, written with a month name, and no date format reads Russian month"
        " names: export dates as numbers (dd.mm.yyyy) from the CRM; no birthday greetings for these contacts"
    ) in out
