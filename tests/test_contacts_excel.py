"""Contacts from Excel: .xlsx cells (dates, merged ranges), and files that are not what the config says.

Moved out of tests/test_contacts_load.py, whose helpers it uses.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.config_contacts import Columns
from greeter.errors import ContactsError
from tests.test_contacts_load import RU_HEADER, load, write


def test_xlsx_with_date_cells_text_dates_and_a_bad_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(RU_HEADER.split(";"))
    ws.append(
        [42.0, "ivan@example.com", "Иванов", "Иван", "Петрович", "м", date(1980, 12, 15), None, None, None]
    )
    ws.append([43, "bad email", "Петров", "Пётр", None, None, "01.01.1970", None, None, None])
    ws.append([None] * 10)
    ws.append([44, "anna@example.com", "Петрова", "Анна", "Ильинична", "ж", "08.03.1985", None, None, None])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    contacts, report = load(path, source="xlsx")
    assert [(c.id, c.dates.get("birthday")) for c in contacts] == [
        ("42", date(1980, 12, 15)),
        ("44", date(1985, 3, 8)),
    ]
    assert [(p.line, p.field) for p in report.problems] == [(3, "Email")]
    assert contacts[1].row == 5  # Excel's own row number, blank row included


def test_xlsx_merged_cells_give_their_value_to_every_row_of_the_merge(tmp_path: Path) -> None:
    """A report-style export merges a company's name (and tier) down over the rows of its people.

    Only the merge's top cell holds the value in the file; every other row lost it
    silently. Each row of a merge now has it, in its own column; a title merged
    across the columns above the header stays one cell (it is not a column's value).
    """
    from openpyxl import Workbook

    header = ["ID", "Email", "Фамилия", "Имя", "Компания", "Уровень", "Дата рождения"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Клиенты по компаниям"])
    ws.merge_cells("A1:G1")  # a title across the columns
    ws.append(header)
    ws.append([1, "a@example.com", "Иванов", "Иван", "ООО Ромашка", "VIP", date(1980, 12, 15)])
    ws.append([2, "b@example.com", "Петров", "Пётр", None, None, "01.01.1970"])
    ws.append([3, "c@example.com", "Сидоров", "Сидор", None, "basic", "02.02.1971"])
    ws.append([4, "d@example.com", "Орлова", "Ирина", "АО Лютик", None, "03.03.1972"])
    ws.merge_cells("E3:E5")  # ООО Ромашка over rows 3-5
    ws.merge_cells("F3:F4")  # VIP over rows 3-4 only: row 5 has its own tier
    path = tmp_path / "c.xlsx"
    wb.save(path)
    cols = Columns(
        id="ID", email="Email", last_name="Фамилия", first_name="Имя", patronymic=None,
        company="Компания", tier="Уровень",
    )  # fmt: skip
    contacts, report = load(path, source="xlsx", columns=cols)
    assert [(c.id, c.company, c.tier) for c in contacts] == [
        ("1", "ООО Ромашка", "VIP"),
        ("2", "ООО Ромашка", "VIP"),
        ("3", "ООО Ромашка", "basic"),
        ("4", "АО Лютик", None),
    ]
    assert contacts[0].dates["birthday"] == date(1980, 12, 15)
    # The title row is one warning quoting the title once, not once per merged column.
    (title,) = report.problems
    assert "'Клиенты по компаниям'" in title.message and "Клиенты по компаниям Клиенты" not in title.message


def test_merged_ranges_are_found_after_the_rows_whatever_the_namespace_prefix() -> None:
    """Other writers than Excel prefix the elements (``x:mergeCell``); a cell's text may say "mergeCells"."""
    import io

    from greeter.sources.xlsx_source import merged_down

    xml = (
        b'<x:worksheet xmlns:x="s"><x:sheetData><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>'
        b"mergeCells</x:t></x:is></x:c></x:row></x:sheetData>"
        b'<x:mergeCells count="3"><x:mergeCell ref="B2:B5"/><x:mergeCell ref="A1:G1"/>'
        b'<x:mergeCell ref="AA7:AB9"/></x:mergeCells></x:worksheet>'
    )
    assert merged_down(io.BytesIO(xml)) == {2: [(1, 5)], 7: [(26, 9)]}


# --------------------------------------------------------------------------- files that are not what the config says

EXCEL = Path(__file__).resolve().parent / "data" / "excel"


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("source_kind", "fixture", "name", "expected"),
    [
        # A real Excel 97-2003 workbook (BIFF8 in an OLE2 file, written by xlwt), under either source.
        (
            "xlsx",
            "old.xls",
            "c.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        (
            "csv",
            "old.xls",
            "c.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        # Renamed: the content decides, not the extension.
        (
            "xlsx",
            "old.xls",
            "c.xlsx",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        (
            "csv",
            "old.xls",
            "c.csv",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        # A password-protected .xlsx is an OLE2 file too (written by msoffcrypto-tool, password "secret").
        (
            "xlsx",
            "encrypted.xlsx",
            "c.xlsx",
            "a password-protected Excel workbook; open it in Excel, remove the password and save as .xlsx (or export CSV)",
        ),
    ],
)
def test_old_and_protected_excel_files_are_one_clear_error(
    tmp_path: Path, source_kind: str, fixture: str, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes((EXCEL / fixture).read_bytes())
    with pytest.raises(ContactsError) as info:
        load(path, source=source_kind)
    assert str(info.value) == f"{path}: {expected}"


def test_a_csv_file_under_source_xlsx_says_to_set_source_csv(tmp_path: Path) -> None:
    path = write(tmp_path, [RU_HEADER, "1;a@example.com;Иванов;Иван;;;;;;"], name="c.csv")
    with pytest.raises(ContactsError) as info:
        load(path, source="xlsx")
    assert (
        str(info.value)
        == f"{path}: a text file, not an XLSX workbook (a CSV export?); set contacts.source: csv"
    )
    renamed = path.rename(tmp_path / "c.xlsx")  # the extension does not fool it either
    with pytest.raises(ContactsError, match="a text file, not an XLSX workbook"):
        load(renamed, source="xlsx")


def test_an_html_page_saved_as_xls_is_named_for_what_it_is(tmp_path: Path) -> None:
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>ID</td></tr></table></body></html>", encoding="utf-8")
    for kind in ("xlsx", "csv"):
        with pytest.raises(ContactsError, match=r"a web page \(HTML\), not a spreadsheet"):
            load(page, source=kind)


def test_a_real_xlsx_named_xls_loads(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xls", [RU_HEADER.split(";"), [1, "a@example.com", "Иванов", "Иван"]])
    contacts, report = load(path, source="xlsx")
    assert [c.last_name for c in contacts] == ["Иванов"] and report.problems == []


# --------------------------------------------------------------------------- dates with a time of day


def test_xlsx_datetime_cells_are_their_dates(tmp_path: Path) -> None:
    from datetime import datetime

    path = _xlsx(
        tmp_path / "c.xlsx",
        [
            RU_HEADER.split(";"),
            [1, "a@example.com", "Иванов", "Иван", "", "", datetime(2025, 9, 8, 14, 30)],
            [2, "b@example.com", "Петров", "Пётр", "", "", datetime(1981, 2, 12)],
            [3, "c@example.com", "Сидоров", "Олег", "", "", "12.02.1981 0:00:00"],
        ],
    )
    # The date cells are read whatever date_formats say (they describe dates typed as text).
    contacts, report = load(path, source="xlsx", date_formats=["%d.%m.%Y"])
    assert report.problems == []
    assert [c.dates["birthday"] for c in contacts] == [date(2025, 9, 8), date(1981, 2, 12), date(1981, 2, 12)]
    contacts, report = load(path, source="xlsx", date_formats=["%Y-%m-%d"])
    assert [c.dates.get("birthday") for c in contacts][:2] == [date(2025, 9, 8), date(1981, 2, 12)]
