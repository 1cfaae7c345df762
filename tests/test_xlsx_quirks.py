"""XLSX quirks a CRM admin meets: a date formula never calculated, rows hidden in the sheet.

A date cell holding only a formula (a file written by a script: openpyxl
stores no value) is an unreadable birthday like a serial number or a typo:
its warning says what it costs, a plan lists it as skipped, and the column's
summary counts it. A hidden row (by hand or by an AutoFilter) is loaded like
any other — hiding is no opt-out — and ``greeter check`` says so once per file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from greeter.config import Defaults
from greeter.config_contacts import ContactsSource
from greeter.sources import load_contacts
from tests.test_bad_inputs import greeter_in_process, project

HEADER = ["ID", "Email", "Фамилия", "Имя", "Отчество", "Компания", "Дата рождения"]
COLUMNS = {
    "id": "ID",
    "email": "Email",
    "first_name": "Имя",
    "patronymic": "Отчество",
    "last_name": "Фамилия",
    "company": "Компания",
}
#: A formula no program calculated (openpyxl writes none) and an Excel serial number: two unreadable birthdays.
ORLOVA = ["1", "f@firm.ru", "Орлова", "Светлана", "Петровна", "ООО «Ф»", "=DATE(1980,12,17)"]
PETROVA = ["2", "s@firm.ru", "Петрова", "Анна", "Сергеевна", "ООО «Ф»", 29573]
PREVIEW = ("preview", "--format", "json", "--from", "2026-12-01", "--days", "30", "--now", "2026-11-30T09:00")
SKIPPED = "birthday greetings are skipped for this contact"


def workbook(
    path: Path,
    rows: list[list[object]],
    hidden: tuple[int, ...] = (),
    title: list[str] | None = None,
    header: list[str] = HEADER,
) -> Path:
    """An XLSX written by openpyxl (formulas without values), the Excel rows ``hidden`` hidden."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title is not None:
        ws.append(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    for number in hidden:
        ws.row_dimensions[number].hidden = True
    wb.save(path)
    return path


def person(n: int) -> list[object]:
    return [str(n), f"p{n}@firm.ru", "Иванов", "Иван", "Петрович", "ООО «Ф»", "17.12.1980"]


def load(path: Path, **columns: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    cfg = ContactsSource(
        source="xlsx", path=path, columns={**COLUMNS, **columns}, dates={"birthday": "Дата рождения"}
    )
    contacts, report = load_contacts(cfg, Defaults(timezone="Europe/Moscow"), {"birthday": ("birthday",)})
    return contacts, [str(p) for p in report.problems]


def xlsx_project(tmp_path: Path, rows: list[list[object]], hidden: tuple[int, ...] = ()) -> Path:
    """The test project with its contacts in ``data/contacts.xlsx`` (the columns of :data:`HEADER`)."""
    config = project(tmp_path)
    text = config.read_text(encoding="utf-8")
    text = text.replace("source: csv\n  path: data/contacts.csv", "source: xlsx\n  path: data/contacts.xlsx")
    text = text.replace("timezone: Часовой пояс", "company: Компания")
    config.write_text(text, encoding="utf-8")
    workbook(tmp_path / "data" / "contacts.xlsx", rows, hidden)
    return config


def test_a_date_formula_never_calculated_is_an_unreadable_birthday(tmp_path: Path) -> None:
    path = workbook(tmp_path / "c.xlsx", [ORLOVA, PETROVA])
    contacts, said = load(path)
    formula = [s for s in said if "Sheet!G2" in s]
    assert formula == [
        f"{path}:row 2: Дата рождения: warning: Sheet!G2: a formula Excel never calculated"
        " (=DATE(1980,12,17)), so the cell reads as empty: open the file in Excel or LibreOffice and save"
        f" it (or export values, not formulas); {SKIPPED}"
    ]
    orlova = contacts[0]
    assert orlova.id == "1" and orlova.dates == {}
    assert orlova.bad_dates["birthday"].endswith(SKIPPED)


def test_the_column_summary_counts_the_formula_among_its_values(tmp_path: Path) -> None:
    """Both birthdays are unread: "2 of 2", not "1 of 1" with the formula left out of the values."""
    path = workbook(tmp_path / "c.xlsx", [ORLOVA, PETROVA])
    _, said = load(path)
    summary = [s for s in said if "values could not be read" in s]
    assert len(summary) == 1 and summary[0].startswith(f"{path}: Дата рождения: 2 of 2 values"), said


def test_a_date_formula_beside_readable_dates_is_counted_among_the_values(tmp_path: Path) -> None:
    path = workbook(tmp_path / "c.xlsx", [*map(person, range(1, 6)), ["9", *ORLOVA[1:]]])
    contacts, said = load(path)
    assert len(contacts) == 6 and [c.id for c in contacts if c.bad_dates] == ["9"]
    assert next(s for s in said if "never calculated" in s).endswith(SKIPPED)
    assert not any("values could not be read" in s for s in said), said  # 1 of 6: no column problem


def test_preview_lists_the_formula_birthday_as_skipped_like_the_serial_one(tmp_path: Path) -> None:
    config = xlsx_project(tmp_path, [ORLOVA, PETROVA])
    code, out, err = greeter_in_process(config, *PREVIEW)
    assert code == 0, err
    skipped = {
        d["contact_id"]: d["status"]
        for d in json.loads(out)
        if d["occasion"] == "birthday" and d["status"] == "skip" and d.get("reason") == "invalid_contact"
    }
    assert skipped == {"1": "skip", "2": "skip"}, out


def test_hidden_rows_are_loaded_and_check_says_so_once(tmp_path: Path) -> None:
    rows = [person(n) for n in range(1, 41)]
    config = xlsx_project(tmp_path, rows, hidden=(7, 12, 40))
    code, out, err = greeter_in_process(config, "check", "--now", "2026-11-30T09:00")
    assert code == 0, out + err  # a warning: the rows are fine
    notes = [line for line in (out + err).splitlines() if "hidden row" in line]
    assert notes == [
        "data/contacts.xlsx: warning: 3 hidden rows (rows 7, 12, 40) are loaded like the others; to leave"
        " a client out use the do-not-contact column (contacts.columns.do_not_contact) or delete the row"
    ], out + err
    assert "40 loaded from 40 rows" in out + err


def test_the_hidden_rows_note_counts_data_rows_under_the_header_only(tmp_path: Path) -> None:
    """A hidden title row, hidden empty rows, a hidden column: none is a client loaded unseen."""
    from openpyxl import load_workbook

    rows = [[*person(n), "нет"] for n in range(1, 15)]
    path = workbook(
        tmp_path / "c.xlsx",
        rows,
        hidden=(1, 4, *range(5, 17)),
        title=["Отчёт по контактам"],
        header=[*HEADER, "Не писать"],
    )
    book = load_workbook(path)
    ws = book.active
    assert ws is not None
    ws.column_dimensions["F"].hidden = True
    ws.row_dimensions[30].hidden = True  # below the last row, empty
    book.save(path)
    contacts, said = load(path, do_not_contact="Не писать")
    assert len(contacts) == 14 and not any(c.do_not_contact for c in contacts)
    assert [s for s in said if "hidden row" in s] == [
        f"{path}: warning: 13 hidden rows (rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 3 more) are loaded like"
        " the others; to leave a client out use the do-not-contact column"
        " (contacts.columns.do_not_contact: Не писать) or delete the row"
    ]


def test_one_hidden_row_is_said_in_the_singular_and_none_says_nothing(tmp_path: Path) -> None:
    _, said = load(workbook(tmp_path / "one.xlsx", [person(1), person(2)], hidden=(3,)))
    assert [s for s in said if "hidden" in s] == [
        f"{tmp_path / 'one.xlsx'}: warning: 1 hidden row (row 3) is loaded like the others; to leave a client"
        " out use the do-not-contact column (contacts.columns.do_not_contact) or delete the row"
    ]
    _, said = load(workbook(tmp_path / "none.xlsx", [person(1), person(2)]))
    assert not [s for s in said if "hidden" in s]


def test_hidden_rows_are_found_in_the_xml_as_other_programs_write_it() -> None:
    """Prefixed elements, ``hidden="true"``, the word in a cell's text and a hidden column: only the rows."""
    from greeter.sources.xlsx_source import sheet_facts

    xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:cols><x:col min="2" max="2" hidden="1"/></x:cols><x:sheetData>'
        b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>row hidden="1"</x:t></x:is></x:c></x:row>'
        b'<x:row r="2" spans="1:2" hidden="true" customHeight="1"><x:c r="A2"><x:v>1</x:v></x:c></x:row>'
        b'<x:row hidden="1" r="5"><x:c r="A5"><x:v>2</x:v></x:c></x:row>'
        b"</x:sheetData></x:worksheet>"
    )
    assert list(sheet_facts(io.BytesIO(xml)).hidden) == [2, 5]
