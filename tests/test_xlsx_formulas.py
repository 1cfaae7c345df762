"""XLSX cells holding a formula and no value: said, never read as empty without a word.

openpyxl (and 1C, and some CRMs) write a formula without its result; only
Excel and LibreOffice calculate and store it when they save. Such a cell
reads as empty, so a birthday or an e-mail in it was lost silently.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import ContactsSource
from greeter.errors import Problem
from greeter.sources import load_contacts
from tests.test_bad_inputs import greeter_in_process, project

HEADER = ["ID", "Email", "Фамилия", "Имя", "Отчество", "Часовой пояс", "Дата рождения", "Возраст"]
ADVICE = "open the file in Excel or LibreOffice and save it (or export values, not formulas)"


def person(n: int, birthday: object = None, email: object = None) -> list[object]:
    """A row of :data:`HEADER`; the unconfigured "Возраст" is a formula, which nobody reads."""
    return [
        n,
        email if email is not None else f"p{n}@example.com",
        "Иванов",
        "Иван",
        "Петрович",
        "Europe/Moscow",
        birthday if birthday is not None else date(1980, 4, n % 28 + 1),
        f"=2026-YEAR(G{n + 1})",
    ]


def workbook(path: Path, rows: list[list[object]], title: str = "Лист1") -> Path:
    """An XLSX written by openpyxl: a formula cell gets no cached value (``<v />``)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def rewrite_sheet(path: Path, change: dict[bytes, bytes]) -> None:
    """Edit the first sheet's XML in place: ``{old: new}`` byte replacements (as another program would write)."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in change.items():
                    assert old in data, old
                    data = data.replace(old, new)
            dst.writestr(info, data)


def load(path: Path) -> tuple[list, list[Problem]]:  # type: ignore[type-arg]
    cfg = ContactsSource(
        source="xlsx",
        path=path,
        columns={
            "id": "ID",
            "email": "Email",
            "first_name": "Имя",
            "patronymic": "Отчество",
            "last_name": "Фамилия",
            "timezone": "Часовой пояс",
        },
        dates={"birthday": "Дата рождения"},
    )
    contacts, report = load_contacts(cfg, Defaults(timezone="Europe/Moscow"), {"birthday": ("birthday",)})
    return contacts, report.problems


def test_a_formula_without_a_value_is_a_warning_naming_its_cell(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "c.xlsx",
        [person(1, "=DATE(1980,4,13)"), person(2, email='=LOWER("F2@X.RU")'), person(3)],
    )
    contacts, problems = load(path)
    said = [str(p) for p in problems]
    assert said[:2] == [
        f"{path}:row 2: Дата рождения: warning: Лист1!G2: a formula Excel never calculated"
        f" (=DATE(1980,4,13)), so the cell reads as empty: {ADVICE}; birthday greetings are skipped"
        " for this contact",
        f'{path}:row 3: Email: warning: Лист1!B3: a formula Excel never calculated (=LOWER("F2@X.RU")),'
        f" so the cell reads as empty: {ADVICE}",
    ]
    assert said[2].startswith(f"{path}:row 3: Email: warning: no e-mail")  # what the empty cell costs
    assert len(said) == 3  # "Возраст" is a formula on every row too, but no setting reads it
    assert [c.id for c in contacts] == ["1", "2", "3"]


def test_a_column_of_formulas_without_values_is_one_error(tmp_path: Path) -> None:
    rows = [person(n, f"=DATE(1980,4,{n})") for n in range(1, 31)]
    rows[4] = person(5, "06.04.1980")  # a value typed over one of them
    path = workbook(tmp_path / "c.xlsx", rows, title="Контакты 2026")
    contacts, problems = load(path)
    assert [str(p) for p in problems] == [
        f"{path}: Дата рождения: 29 cells hold a formula Excel never calculated (e.g."
        f" 'Контакты 2026'!G2: =DATE(1980,4,1)), so they read as empty: {ADVICE}"
    ]
    assert problems[0].kind == "column" and problems[0].severity == "error"
    assert len(contacts) == 30 and contacts[4].dates == {"birthday": date(1980, 4, 6)}


def test_a_few_formulas_are_warned_at_their_rows_and_more_make_the_column_error(tmp_path: Path) -> None:
    from greeter.sources.xlsx_source import FORMULA_WARNINGS

    few = [person(n, f"=DATE(1980,4,{n})" if n <= FORMULA_WARNINGS else None) for n in range(1, 20)]
    _, problems = load(workbook(tmp_path / "few.xlsx", few))
    assert [(p.line, p.kind) for p in problems] == [(n + 1, "row") for n in range(1, FORMULA_WARNINGS + 1)]
    more = [person(n, f"=DATE(1980,4,{n})" if n <= FORMULA_WARNINGS + 1 else None) for n in range(1, 20)]
    _, problems = load(workbook(tmp_path / "more.xlsx", more))
    assert [(p.kind, p.message.split(" cells")[0]) for p in problems] == [
        ("column", str(FORMULA_WARNINGS + 1))
    ]


def test_formulas_with_their_values_are_read_as_the_values(tmp_path: Path) -> None:
    """What Excel and LibreOffice save: the formula and its result; a text result "" is an empty cell."""
    path = workbook(
        tmp_path / "c.xlsx", [person(1, '=TEXT(A1,"dd.mm.yyyy")'), person(2, email='=IF(1,"","x")')]
    )
    rewrite_sheet(
        path,
        {
            b'<c r="G2"><f>TEXT(A1,"dd.mm.yyyy")</f><v />': b'<c r="G2" t="str"><f>TEXT(A1,"dd.mm.yyyy")</f><v>13.04.1980</v>',
            b'<c r="B3"><f>IF(1,"","x")</f><v />': b'<c r="B3" t="str"><f>IF(1,"","x")</f><v></v>',
        },
    )
    contacts, problems = load(path)
    assert contacts[0].dates == {"birthday": date(1980, 4, 13)}
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [(3, "no e-mail")]  # the result is ""


def test_a_shared_formula_is_shown_as_it_is_in_its_cell(tmp_path: Path) -> None:
    """Excel writes a formula filled down as one ``<f t="shared">`` and empty ``<f si=…/>`` in the others."""
    path = workbook(tmp_path / "c.xlsx", [person(1, "=DATE(1980,4,A2)"), person(2, "=DATE(1980,4,A3)")])
    rewrite_sheet(
        path,
        {
            b"<f>DATE(1980,4,A2)</f>": b'<f t="shared" ref="G2:G3" si="0">DATE(1980,4,A2)</f>',
            b"<f>DATE(1980,4,A3)</f>": b'<f t="shared" si="0"/>',
        },
    )
    _, problems = load(path)
    shown = [m[1] for p in problems if (m := re.search(r"\((=.*)\), so", p.message))]
    assert shown == ["=DATE(1980,4,A2)", "=DATE(1980,4,A3)"]


@pytest.mark.parametrize("shift", [-30, -9, -4, -1, 0, 1, 3, 8, 25])
def test_a_formula_cell_across_two_chunks_of_the_xml_is_found(shift: int) -> None:
    """The sheet is read a megabyte at a time: a cell cut by a chunk's end is still one cell."""
    from greeter.sources.xlsx_source import sheet_facts

    head = b'<worksheet xmlns="x"><sheetData>'
    formula = b'<row r="3"><c r="G3"><f>DATE(1980,4,13)</f><v/></c></row>'
    pad = (1 << 20) - len(head) - len(b'<row r="2"><c r="A2" t="inlineStr"><is><t></t></is></c></row>')
    filler = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * (pad + shift - 20) + b"</t></is></c></row>"
    )
    xml = head + filler + formula + b"</sheetData></worksheet>"
    assert sheet_facts(io.BytesIO(xml)).uncalculated == {3: {6: "DATE(1980,4,13)"}}


def test_a_sheet_with_prefixed_elements_is_read_too() -> None:
    from greeter.sources.xlsx_source import sheet_facts

    xml = (
        b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="2"><x:c r="B2" t="str"><x:f>A1&amp;"@x.ru"</x:f>'
        b'</x:c><x:c r="C2"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData>'
        b'<x:mergeCells><x:mergeCell ref="D2:D3"/></x:mergeCells></x:worksheet>'
    )
    facts = sheet_facts(io.BytesIO(xml))
    assert facts.uncalculated == {2: {1: 'A1&"@x.ru"'}}
    assert facts.merges == {2: [(3, 3)]}


def test_check_warns_at_the_cell_and_fails_on_a_column_of_formulas(tmp_path: Path) -> None:
    config = project(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "  source: csv\n  path: data/contacts.csv\n", "  source: xlsx\n  path: data/contacts.xlsx\n"
        ),
        encoding="utf-8",
    )
    (tmp_path / "data" / "contacts.csv").unlink()
    book = tmp_path / "data" / "contacts.xlsx"
    workbook(book, [person(1, "=DATE(1980,4,13)"), person(2)])
    code, out, err = greeter_in_process(config, "check")
    assert code == 0, out + err
    assert (
        "data/contacts.xlsx:row 2: Дата рождения: warning: Лист1!G2: a formula Excel never calculated"
        f" (=DATE(1980,4,13)), so the cell reads as empty: {ADVICE}"
    ) in out + err
    assert greeter_in_process(config, "check", "--strict")[0] == 1

    workbook(book, [person(n, f"=DATE(1980,4,{n})") for n in range(1, 11)])
    code, out, err = greeter_in_process(config, "check")
    assert code == 1, out + err
    assert (
        "data/contacts.xlsx: Дата рождения: 10 cells hold a formula Excel never calculated"
        f" (e.g. Лист1!G2: =DATE(1980,4,1)), so they read as empty: {ADVICE}"
    ) in out + err
    assert "Лист1!G3" not in out + err  # one message for the column, not one a row
