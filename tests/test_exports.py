"""``history -o`` and ``suppress --list -o``: files a sales manager opens in Excel, read back as Excel would.

What a manager's export showed (three defects, one writer now):

* ``history -o history.xlsx`` said "wrote history.xlsx (119 greeting(s), table)" and
  wrote the box-drawing table into it, which Excel refused to open; ``.xls`` and
  ``.ods`` got the same table. Now ``.xlsx`` is a real workbook (dates as date
  cells, the header frozen and filtered) and any suffix greeter does not write
  is refused with the ones it does.
* The Excel CSV's ``2025-12-09T13:50:00.033875+00:00`` stayed text in a Russian
  Excel; now ``2025-12-09 13:50:00`` under a header naming its zone
  (``sent_at_utc``), ``when_local`` on the client's clock, and the day it left.
* ``suppress --list`` had no ``-o`` (``--format csv``: commas and no BOM, the
  Cyrillic reasons garbled) and did not say which contacts an opt-out binds.

Each through the real CLI, on a real contacts file and journal; the files read
back with openpyxl and the csv module (BOM and ``;``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.conftest import MakeProject, contact_row
from tests.faults import greeter
from tests.tables import table_rows

#: A Tuesday 05:00 in Moscow (02:00 UTC): noon in Vladivostok, where every contact below lives.
NOW = "2027-04-14T05:00:00+03:00"
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
HYPERLINK = '=HYPERLINK("http://evil/","click")'
#: What Excel takes for a date and time in any locale.
MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
#: ``history --format csv``'s columns (stdout, for scripts), and the Excel file's: the same order,
#: the journal's timestamps named for their zone, the client's day of sending after them.
SCRIPT_COLUMNS = [
    "contact_id", "occasion", "occasion_date", "state", "email", "attempts", "planned_at", "sent_at",
    "last_reply", "reason", "reason_code", "merged", "message_id", "updated_at", "current_contact_id",
    "name", "company", "occasion_title", "timezone", "when_local", "subject", "content_sha256",
    "approved_by", "approved_at", "cap_counted", "cap_gap_days", "cap_window_count",
]  # fmt: skip
EXCEL_COLUMNS = [
    *(f"{c}_utc" if c in ("planned_at", "sent_at", "updated_at") else c for c in SCRIPT_COLUMNS[:-5]),
    "sent_day_local", "approved_by", "approved_at_utc", "cap_counted", "cap_gap_days", "cap_window_count",
]  # fmt: skip


def _person(cid: str, email: str, company: str = "ООО «Тест»", **names: str) -> str:
    row = contact_row(cid, email, birthday="13.04.1980", tz="Asia/Vladivostok", **names)
    return row.replace("ООО «Тест»", company)


@pytest.fixture
def sent(make_project: MakeProject) -> Path:
    """A project whose journal holds three greetings sent, two to contacts named like formulas."""
    config = make_project(
        [
            _person("1", "one@example.com", first='"' + HYPERLINK.replace('"', '""') + '"'),
            _person("2", "two@example.com", first="=1+1", company="@SUM(A1)"),
            _person("3", "three@example.com", last="Соловьёва", first="Анна"),
        ]
    )
    run = greeter(config, "send", "--once", "--now", NOW)
    assert run.returncode == 0 and "sent: 3" in run.stdout, run.stdout + run.stderr
    return config


def _exact(config: Path) -> dict[str, dict[str, Any]]:
    """``history --format json`` by address: every value as the journal has it."""
    shown = greeter(config, "history", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    return {r["email"]: r for r in json.loads(shown.stdout)}


def _excel_csv(path: Path) -> list[dict[str, str]]:
    """A CSV as Excel reads it: the BOM says UTF-8, ``;`` separates, CRLF ends each row."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def _naive(iso: str, zone: ZoneInfo | None = None) -> datetime:
    moment = datetime.fromisoformat(iso).astimezone(zone or UTC)
    return moment.replace(tzinfo=None, microsecond=0)


def test_history_o_xlsx_is_a_workbook_with_date_cells_and_formulas_kept_text(sent: Path) -> None:
    out = sent.parent / "history.xlsx"
    run = greeter(sent, "history", "-o", str(out))
    assert run.returncode == 0 and run.stderr.endswith(f"wrote {out} (3 greeting(s), xlsx)\n"), run.stderr
    assert zipfile.is_zipfile(out)  # before: the text table, which Excel refused to open
    exact = _exact(sent)

    sheet = load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == EXCEL_COLUMNS and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == f"A1:AB{1 + len(exact)}"  # AB: the 28th column, every row filtered
    widths = {
        name: sheet.column_dimensions[c.column_letter].width
        for name, c in zip(EXCEL_COLUMNS, sheet[1], strict=True)
    }
    assert all(width >= len(name) + 1 for name, width in widths.items()), widths
    assert widths["name"] >= 30 and widths["last_reply"] >= 40

    cells = {row[4].value: dict(zip(EXCEL_COLUMNS, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    assert cells.keys() == exact.keys()
    for email, row in cells.items():
        want = exact[email]
        sent_at = row["sent_at_utc"]
        assert sent_at.value == _naive(want["sent_at"]) and sent_at.is_date, email
        assert sent_at.number_format == "yyyy-mm-dd hh:mm:ss"
        assert (
            row["when_local"].value
            == _naive(want["when_local"], VLADIVOSTOK)
            == _naive(want["sent_at"], VLADIVOSTOK)
        )
        assert row["when_local"].value - sent_at.value == timedelta(hours=10)  # the client's clock: UTC+10
        assert row["timezone"].value == "Asia/Vladivostok"
        assert row["occasion_date"].value == datetime.fromisoformat(want["occasion_date"])
        assert row["occasion_date"].number_format == "yyyy-mm-dd" and row["occasion_date"].is_date
        assert row["sent_day_local"].value.date() == _naive(want["sent_at"], VLADIVOSTOK).date()
        assert row["attempts"].value == 1 and row["contact_id"].value == want["contact_id"]
        for name in ("name", "company", "email", "message_id", "last_reply"):  # text as it is, as text
            assert (row[name].value, row[name].data_type) == (want[name], "s"), (email, name)

    # A name Excel would run as a formula is a string cell, marked with Excel's quote prefix.
    assert cells["one@example.com"]["name"].value == HYPERLINK + " Петрович Иванов"
    assert cells["one@example.com"]["name"].quotePrefix
    assert cells["two@example.com"]["company"].value == "@SUM(A1)"
    assert cells["two@example.com"]["company"].quotePrefix
    assert not cells["three@example.com"]["name"].quotePrefix
    with zipfile.ZipFile(out) as book:
        xml = book.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml  # no formula anywhere in the sheet


def test_history_o_csv_has_times_excel_reads_and_says_their_zone(sent: Path) -> None:
    out = sent.parent / "history.csv"
    run = greeter(sent, "history", "-o", str(out))
    assert run.returncode == 0 and run.stderr.endswith(f"wrote {out} (3 greeting(s), csv)\n"), run.stderr
    exact = _exact(sent)
    rows = _excel_csv(out)
    assert list(rows[0]) == EXCEL_COLUMNS
    for row in rows:
        want = exact[row["email"]]
        for name in ("planned_at_utc", "sent_at_utc", "updated_at_utc", "when_local"):
            assert MOMENT.fullmatch(row[name]), (name, row[name])  # no T, no fraction, no offset
        assert row["sent_at_utc"] == f"{_naive(want['sent_at']):%Y-%m-%d %H:%M:%S}"
        assert row["updated_at_utc"] == f"{_naive(want['updated_at']):%Y-%m-%d %H:%M:%S}"
        assert row["when_local"] == f"{_naive(want['sent_at'], VLADIVOSTOK):%Y-%m-%d %H:%M:%S}"
        assert row["sent_day_local"] == _naive(want["sent_at"], VLADIVOSTOK).date().isoformat()
        assert (row["occasion_date"], row["timezone"]) == (want["occasion_date"], "Asia/Vladivostok")
    by_email = {r["email"]: r for r in rows}
    assert (
        by_email["one@example.com"]["name"] == "'" + HYPERLINK + " Петрович Иванов"
    )  # neutralised as before
    assert by_email["two@example.com"]["company"] == "'@SUM(A1)"

    # stdout's CSV is the scripts': its columns and ISO 8601 timestamps unchanged.
    printed = greeter(sent, "history", "--format", "csv")
    script = list(csv.DictReader(io.StringIO(printed.stdout)))
    assert list(script[0]) == SCRIPT_COLUMNS
    assert {r["email"]: r["sent_at"] for r in script} == {e: r["sent_at"] for e, r in exact.items()}


def test_history_o_refuses_a_suffix_it_does_not_write_and_xlsx_to_a_terminal(sent: Path) -> None:
    root = sent.parent
    for name in ("history.xls", "history.ods", "history"):
        out = root / name
        run = greeter(sent, "history", "-o", str(out))
        assert run.returncode == 2 and not out.exists(), (name, run.stderr)
        assert run.stderr.startswith(f"-o {out}: greeter does not write ") and ".xlsx" in run.stderr
        assert ".csv" in run.stderr and ".txt" in run.stderr and "Traceback" not in run.stderr
    # Named by --format, any name is written as that format.
    assert greeter(sent, "history", "--format", "json", "-o", str(root / "history")).returncode == 0
    assert len(json.loads((root / "history").read_text(encoding="utf-8"))) == 3
    # A workbook is no text: not on stdout, not under another suffix; text is no workbook either.
    for args in (("--format", "xlsx"), ("--format", "xlsx", "-o", "-")):
        run = greeter(sent, "history", *args)
        assert (run.returncode, run.stdout) == (2, ""), args
        assert "-o FILE.xlsx" in run.stderr, run.stderr
    for fmt, name in (("table", "t.xlsx"), ("xlsx", "t.csv")):
        run = greeter(sent, "history", "--format", fmt, "-o", str(root / name))
        assert run.returncode == 2 and not (root / name).exists(), run.stderr
    # A .txt file is the table, as before.
    run = greeter(sent, "history", "-o", str(root / "history.txt"))
    assert run.returncode == 0 and run.stderr.endswith("(3 greeting(s), table)\n"), run.stderr
    table = (root / "history.txt").read_text(encoding="utf-8")
    journal = sent.parent / "data" / "journal.sqlite3"
    assert table.lstrip().startswith(f"journal {journal}: 3 greeting(s)") and "three@example.com" in table


def test_suppress_list_o_writes_what_history_o_writes_with_the_bound_contact_ids(
    sent: Path, make_project: MakeProject
) -> None:
    reason = "просила не писать (звонок 16.03)"
    assert greeter(sent, "suppress", "three@example.com", "--reason", reason).returncode == 0
    assert (
        greeter(sent, "suppress", "--address-only", "two@example.com", "--reason", HYPERLINK).returncode == 0
    )
    listed = json.loads(greeter(sent, "suppress", "--list", "--json").stdout)
    exact = {r["email"]: r for r in listed}
    # The opt-out by hand binds contact 3 (greeted at that address); --address-only binds no one.
    assert {e: r["contact_ids"] for e, r in exact.items()} == {
        "three@example.com": ["3"],
        "two@example.com": [],
    }
    table = greeter(sent, "suppress", "--list").stdout
    assert "contact(s) bound" in table
    assert [row[3] for row in table_rows(table, "e-mail") if row[0] == "three@example.com"] == ["3"]

    root = sent.parent
    for suffix in ("csv", "xlsx", "json", "txt"):
        run = greeter(sent, "suppress", "--list", "-o", str(root / f"dnc.{suffix}"))
        assert run.returncode == 0 and run.stderr.endswith(
            f"(2 address(es), {'table' if suffix == 'txt' else suffix})\n"
        )

    rows = {r["email"]: r for r in _excel_csv(root / "dnc.csv")}
    assert list(next(iter(rows.values()))) == [
        "email",
        "reason",
        "created_at_utc",  # Excel has no zones: the name says the clock, as history -o's sent_at_utc
        "contact_ids",
        "opted_out_from",
    ]
    three = rows["three@example.com"]
    assert (three["reason"], three["contact_ids"]) == (reason, "3")  # Cyrillic intact, with the BOM
    assert three["created_at_utc"] == f"{_naive(exact['three@example.com']['created_at']):%Y-%m-%d %H:%M:%S}"
    assert rows["two@example.com"]["reason"] == "'" + HYPERLINK  # neutralised, as history's CSV

    sheet = load_workbook(root / "dnc.xlsx").active
    assert sheet is not None and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E3"
    book = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert book["three@example.com"][2].value == _naive(exact["three@example.com"]["created_at"])
    assert book["three@example.com"][2].is_date and book["three@example.com"][3].value == "3"
    two = book["two@example.com"][1]
    assert (two.value, two.data_type, two.quotePrefix) == (HYPERLINK, "s", True)

    assert json.loads((root / "dnc.json").read_text(encoding="utf-8")) == listed
    assert "contact(s) bound" in (root / "dnc.txt").read_text(encoding="utf-8")
    assert greeter(sent, "suppress", "--list", "-o", str(root / "dnc.xls")).returncode == 2
    assert greeter(sent, "suppress", "three@example.com", "-o", str(root / "x.csv")).returncode == 2

    # The Excel CSV moves the list: a new journal reads its dates back (UTC), to the second.
    fresh = make_project([], storage={"url": f"sqlite:///{root / 'fresh.sqlite3'}"})
    moved = greeter(fresh, "suppress", "--from-csv", str(root / "dnc.csv"))
    assert moved.returncode == 0, moved.stderr
    again = {r["email"]: r for r in json.loads(greeter(fresh, "suppress", "--list", "--json").stdout)}
    assert again["two@example.com"]["reason"] == HYPERLINK
    assert datetime.fromisoformat(again["three@example.com"]["created_at"]) == _naive(
        exact["three@example.com"]["created_at"]
    ).replace(tzinfo=UTC)


def test_the_sheet_writer_keeps_text_text_and_moments_dates(tmp_path: Path) -> None:
    """What the CLI cannot easily bring: a server's reply with an ESC (a workbook cannot hold one),
    ``#N/A`` (openpyxl's error type), a list; read back from a real file."""
    from greeter.history_out import Sheet, write_sheet

    sheet = Sheet(("text", "ids", "when", "day", "n", "none"), "t")
    record = {
        "text": "#N/A",
        "ids": ["1", "2"],
        "when": datetime(2027, 4, 14, 12, 0, 5),
        "day": date(2027, 4, 14),
    }
    records = [{**record, "n": 5, "none": None}, {**record, "text": "550 \x1b]0;x\x07", "n": -1}]
    for fmt in ("xlsx", "csv"):
        assert write_sheet(tmp_path / f"t.{fmt}", fmt, sheet, records) == 2
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws is not None
    got = [[(c.value, c.data_type) for c in row] for row in ws.iter_rows(min_row=2)]
    assert got[0][:2] == [("#N/A", "s"), ("1;2", "s")]
    assert got[0][2:5] == [(datetime(2027, 4, 14, 12, 0, 5), "d"), (datetime(2027, 4, 14), "d"), (5, "n")]
    assert got[1][0] == ("550 \\x1b]0;x\\x07", "s") and got[1][4] == (-1, "n")
    assert _excel_csv(tmp_path / "t.csv") == [
        {"text": "#N/A", "ids": "1;2", "when": "2027-04-14 12:00:05", "day": "2027-04-14", "n": "5", "none": ""},
        {"text": "550 \\x1b]0;x\\x07", "ids": "1;2", "when": "2027-04-14 12:00:05", "day": "2027-04-14",
         "n": "-1", "none": ""},
    ]  # fmt: skip


def test_a_character_xml_refuses_is_escaped_so_the_workbook_still_opens(tmp_path: Path) -> None:
    """Security re-test: one U+FFFF in a name or a relay's reply (a bounce's reason stays on the
    do-not-contact list) made every .xlsx export a file no reader opens, though greeter said it
    was written. Written as its escape, as a control character is."""
    from greeter.history_out import Sheet, write_sheet

    sheet = Sheet(("text",), "t")
    records = [{"text": "Иван\uffffX"}, {"text": "550 \ufffe bad"}, {"text": "half \ud800 pair"}]
    assert write_sheet(tmp_path / "t.xlsx", "xlsx", sheet, records) == 3
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws is not None
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == [
        "Иван\\uffffX",
        "550 \\ufffe bad",
        "half \\ud800 pair",
    ]
