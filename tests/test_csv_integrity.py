"""What a CSV file holds is what the letters say: undecodable bytes and shifted rows reject their row.

Two silent defects a CRM admin found: a row pasted from a Windows-1251 export
into a UTF-8 one (or a whole file in another encoding than the config says)
was read with "�" for its letters and greeted so; and a row with an unquoted
``;`` inside a value had every later column read from its neighbour (the
first deal's date taken from the birthday's). Both now reject the row, with
its number and column, and the rest of the file loads. Checked through the
loader and through the real CLI, down to the .eml files ``send`` writes.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.sources import LoadReport, load_contacts
from tests.conftest import HEADER, MakeProject, contact_row
from tests.test_contacts_load import RU_HEADER, source, write

ROOT = Path(__file__).resolve().parent.parent
#: 13 April 2027, a Tuesday, 17:27 Moscow time: the day of every birthday below, inside the send window.
NOW = "2027-04-13T17:27:00+03:00"
ROW = "{cid};{email};{last};{first};{patronymic};;13.04.1980;Europe/Moscow;ru;"


def row(cid: int, last: str = "Иванов", first: str = "Иван", patronymic: str = "Петрович") -> str:
    return ROW.format(cid=cid, email=f"c{cid}@example.com", last=last, first=first, patronymic=patronymic)


def load(path: Path, **kw: object) -> tuple[list, LoadReport]:  # type: ignore[type-arg]
    return load_contacts(source(path, **kw), Defaults())


def glued(path: Path, rows: int, bad: set[int]) -> Path:
    """A UTF-8 export whose data rows numbered in ``bad`` (1-based, under the header) are Windows-1251."""
    lines = [RU_HEADER.encode("utf-8")]
    for i in range(1, rows + 1):
        text = row(i, "Соколов", "Иван", "Петрович")
        lines.append(text.encode("cp1251" if i in bad else "utf-8"))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


def texts(report: LoadReport) -> list[str]:
    return [str(p) for p in report.problems]


def no_marks(contacts: list) -> None:  # type: ignore[type-arg]
    """No contact holds U+FFFD or a lone surrogate (what an undecodable byte is read as)."""
    for contact in contacts:
        for value in (contact.first_name, contact.patronymic, contact.last_name, contact.company):
            assert "\ufffd" not in value
            assert all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in value), value


# ---------------------------------------------------------------------------------------- the loader
def test_a_cp1251_row_past_the_sniff_window_of_a_utf8_file_is_rejected_and_named(tmp_path: Path) -> None:
    path = glued(tmp_path / "c.csv", 2000, {1500, 1800})
    contacts, report = load(path)
    assert os.path.getsize(path) > 65536 * 1.5  # rows 1500 and 1800 are far past the 64 KB sniffed
    assert (report.rows_read, report.loaded) == (2000, 1998)
    assert [(r.row, r.contact_id) for r in report.rejections] == [(1501, "1500"), (1801, "1800")]
    assert [p.field for p in report.rejections[0].errors] == ["Фамилия", "Имя", "Отчество"]
    assert {p.severity for r in report.rejections for p in r.errors} == {"error"}
    message = texts(report)
    assert any(m.startswith("c.csv:row 1501: Фамилия: '\\xD1\\xEE\\xEA\\xEE\\xEB\\xEE\\xE2' holds bytes") for m in
               [m.replace(str(tmp_path) + "/", "") for m in message])  # fmt: skip
    assert message[-1] == (
        f"{path}: contacts.encoding: warning: rows 1501, 1801 are not UTF-8 (they look like Windows-1251), so not loaded"
        " (a letter would show \ufffd in place of their letters); re-export the file in one encoding (UTF-8)"
    )
    no_marks(contacts)


def test_a_cp1251_row_in_the_first_rows_of_a_utf8_file_is_rejected_not_the_file(tmp_path: Path) -> None:
    """Before, ``encoding: auto`` gave up (cannot tell the text encoding), and cp1251 garbled the rest."""
    path = glued(tmp_path / "c.csv", 3, {3})
    contacts, report = load(path)
    assert [c.last_name for c in contacts] == ["Соколов", "Соколов"]
    assert [r.row for r in report.rejections] == [4]
    assert "row 4 is not UTF-8 (it looks like Windows-1251)" in texts(report)[-1]
    no_marks(contacts)


def test_a_cp1251_file_read_as_utf8_loads_no_row_and_says_which_encoding(tmp_path: Path) -> None:
    """``encoding: utf-8`` on a Windows-1251 export whose header the two read alike: no row is greeted."""
    path = glued(tmp_path / "c.csv", 2, {1, 2})
    contacts, report = load(path, encoding="utf-8")
    assert contacts == []
    assert [r.row for r in report.rejections] == [2, 3]
    assert texts(report)[-1].endswith(
        "every row under the header (rows 2, 3) is not UTF-8 (they look like Windows-1251), so not loaded"
        " (a letter would show \ufffd in place of their letters); set contacts.encoding: cp1251"
    )


def test_a_u_fffd_the_file_really_holds_is_its_text_not_a_decoding_error(tmp_path: Path) -> None:
    """U+FFFD written in the CRM (as UTF-8 bytes EF BF BD) is loaded as the file has it, by decision."""
    path = write(tmp_path, [RU_HEADER, row(1, first="Ив\ufffdн")])
    contacts, report = load(path)
    assert [c.first_name for c in contacts] == ["Ив\ufffdн"]
    assert report.rejections == []


def test_a_row_with_more_fields_than_the_header_is_rejected(tmp_path: Path) -> None:
    lines = [
        RU_HEADER,
        row(1),
        "2;a@x.ru; b@y.ru;Козлов;Олег;Иванович;;16.04.1975;Europe/Moscow;ru;vip",  # unquoted ; in the e-mail
        row(3),
    ]
    contacts, report = load(write(tmp_path, lines))
    assert [c.id for c in contacts] == ["1", "3"]
    assert report.rejected == 1
    assert [str(p) for p in report.rejections[0].errors] == [
        f"{tmp_path / 'c.csv'}:row 3: Теги: 11 fields, the header has 10 — an unquoted delimiter inside a"
        " value? the row is not loaded: 'vip' comes after this last column"
    ]


def test_empty_fields_past_the_header_load_silently(tmp_path: Path) -> None:
    """Excel's trailing delimiter (``a;b;c;;``): empty, so nothing was shifted."""
    contacts, report = load(write(tmp_path, [RU_HEADER, row(1) + ";;", row(2) + "; ;"]))
    assert [c.id for c in contacts] == ["1", "2"]
    assert report.problems == []


def test_an_xlsx_cell_past_the_header_is_not_a_shift(tmp_path: Path) -> None:
    """A workbook's cells are where they are: a value right of the header is ignored, as before."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(RU_HEADER.split(";"))
    sheet.append([*row(1).split(";"), "лишнее"])
    book.save(tmp_path / "c.xlsx")
    contacts, report = load(tmp_path / "c.xlsx", source="xlsx")
    assert [c.id for c in contacts] == ["1"]
    assert report.rejected == 0


# ---------------------------------------------------------------------------------------- the CLI
def greeter(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        check=False,
    )


def project(make_project: MakeProject, data: bytes, **changes: object) -> Path:
    config = make_project([], **changes)
    (config.parent / "data" / "contacts.csv").write_bytes(data)
    return config


def people(*bad: int, shift: int = 0) -> bytes:
    """Three contacts born on 13 April in UTF-8; those in ``bad`` (data-row numbers) in Windows-1251."""
    lines = [HEADER.encode()]
    for i in (1, 2, 3):
        text = contact_row(
            str(i), f"client{i}@example.com", last="Соколов", birthday="13.04.1980", country="RU"
        )
        if i == shift:  # an unquoted ';' inside the company: every column after it one off
            text = text.replace("ООО «Тест»", "ООО «Тест»; филиал")
        lines.append(text.encode("cp1251" if i in bad else "utf-8"))
    return b"\n".join(lines) + b"\n"


def sent_letters(config: Path) -> list[email.message.EmailMessage]:
    outbox = config.parent / "data" / "outbox"
    letters = []
    for path in sorted(outbox.rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        letters.append(message)
    return letters


def every_text(message: email.message.EmailMessage) -> str:
    """The decoded headers and every text part of ``message``."""
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("data", "changes", "rejected", "warning"),
    [
        (people(2), {}, [3], "row 3 is not UTF-8 (it looks like Windows-1251)"),
        (
            people(1, 2, 3),
            {"contacts": {"encoding": "utf-8"}},
            [2, 3, 4],
            "every row under the header (rows 2, 3, 4) is not UTF-8",
        ),
        (people(shift=2), {}, [3], None),
    ],
    ids=["cp1251-row-in-utf8", "cp1251-file-read-as-utf8", "unquoted-delimiter"],
)
def test_check_preview_and_send_never_carry_a_character_the_file_did_not_hold(
    make_project: MakeProject,
    data: bytes,
    changes: dict[str, object],
    rejected: list[int],
    warning: str | None,
) -> None:
    config = project(make_project, data, **changes)
    check = greeter(config, "check", "--json")
    assert check.returncode == 1, check.stderr
    summary = json.loads(check.stdout)
    assert (summary["rows_read"], summary["rows_rejected"]) == (3, len(rejected)), summary
    for number in rejected:
        assert f"contacts.csv:row {number}: " in check.stderr
    if warning is not None:
        assert warning in check.stderr

    preview = greeter(
        config, "preview", "--format", "json", "--from", "2027-04-13", "--days", "1", "--now", NOW
    )
    letters = json.loads(preview.stdout)
    assert "\ufffd" not in preview.stdout
    assert sorted({letter["contact_id"] for letter in letters}) == sorted(
        str(i - 1) for i in (2, 3, 4) if i not in rejected
    )
    for letter in letters:
        assert letter["years"] in (None, 47), letter  # no shifted date greets a made-up occasion

    send = greeter(config, "send", "--once", "--now", NOW)
    assert send.returncode == 1, send.stderr
    sent = sent_letters(config)
    assert len(sent) == 3 - len(rejected)
    for message in sent:
        text = every_text(message)
        assert "\ufffd" not in text
        assert "Соколов" in text
