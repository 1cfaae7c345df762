""".NET's, MySQL's and the SQL "max date" placeholders read as an empty date cell, as 1C's already was.

Left over from a CRM administrator's review of contact loading: a .NET / C#
export writes an unfilled date as DateTime.MinValue in its own clock
(``1/1/0001 12:00:00 AM``), which no format read (a 12-hour time after a date
was no time of day) — a "does not match" warning on every such row; MySQL's
zero date printed day first (``00.00.0000``) was "not a real date", and the
calendar's last day (``31.12.9999``, ``9999-12-31``: SQL Server's, .NET's and
Oracle's open end) was a birthday "in the future". None is a day any client
was born or any company founded on: each is a system's "none".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.sources import load_contacts
from greeter.sources.dates import DateParser, no_date
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-04T10:00+03:00"
US = ["%m/%d/%Y"]
DOTTED = ["%d.%m.%Y"]
ISO = ["%Y-%m-%d"]


@pytest.mark.parametrize(
    ("formats", "text", "expected"),
    [
        (US, "1/1/0001 12:00:00 AM", "the empty date 1/1/0001"),
        (US, "01/01/0001 00:00:00", "the empty date 01/01/0001"),
        (ISO, "0001-01-01T00:00:00", "the empty date 0001-01-01"),
        (ISO, "0001-01-01 00:00:00.000", "the empty date 0001-01-01"),
        (DOTTED, "0001-01-01T00:00:00", "the empty date 0001-01-01"),  # a format the config does not list
        (DOTTED, "1/1/0001 12:00:00 AM", "the empty date 1/1/0001"),
        (US, "01.01.0001 0:00:00", "1C's empty date 01.01.0001"),
        (DOTTED, "00.00.0000", "the zero date 00.00.0000"),
        (US, "00/00/0000", "the zero date 00/00/0000"),
        (DOTTED, "31.12.9999", "the last date 31.12.9999"),
        (ISO, "9999-12-31", "the last date 9999-12-31"),
        (ISO, "9999-12-31 23:59:59.9999999", "the last date 9999-12-31"),
        (US, "12/31/9999 11:59:59 PM", "the last date 12/31/9999"),
        (DOTTED, "9999-12-31", "the last date 9999-12-31"),
        # Only the placeholder itself: a day near it is a wrong value, said at its row.
        (DOTTED, "30.12.9999", None),
        (DOTTED, "02.01.0001", None),
        (DOTTED, "00.00.1981", None),
        (ISO, "1981-00-00", None),
        (US, "12/7/1980 12:00:00 AM", None),
        (US, "1/1/0001 13:00:00 PM", None),  # no time of day: not the placeholder's form either
    ],
)
def test_net_zero_and_last_dates_are_no_date(formats: list[str], text: str, expected: str | None) -> None:
    assert no_date(text, DateParser(formats).parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("12/7/1980 12:00:00 AM", None, date(1980, 12, 7)),
        ("12/7/1980 11:59:59 PM", None, date(1980, 12, 7)),
        ("12/7/1980 9:30 a.m.", None, date(1980, 12, 7)),
        ("12/7/1980 12:00:00 AM", "Europe/Moscow", date(1980, 12, 7)),  # midnight: the day written
        ("12/7/1980 9:00:00 PM Z", "Europe/Moscow", date(1980, 12, 8)),  # 21:00 UTC is Moscow's 8th
        ("12/7/1980 9:00:00 AM Z", "Europe/Moscow", date(1980, 12, 7)),
        ("12/7/1980 12:30:00 AM -05:00", "Europe/Moscow", date(1980, 12, 7)),  # 05:30 UTC
        ("12/7/1980 0:00:00 AM", None, None),  # no hour 0 on a 12-hour clock
        ("12/7/1980 13:00:00 PM", None, None),
    ],
)
def test_a_12_hour_time_after_a_date_is_read_by_its_date_part(
    text: str, zone: str | None, expected: date | None
) -> None:
    assert DateParser(US, zone=ZoneInfo(zone) if zone else None).parse(text) == expected


def test_a_net_export_s_empty_and_last_dates_are_empty_cells_with_notes(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = [
        "12/7/1980 12:00:00 AM",
        "1/1/0001 12:00:00 AM",
        "1/1/0001 12:00:00 AM",
        "0001-01-01T00:00:00",
        "12/31/9999 11:59:59 PM",
        "",
    ]
    path.write_text(
        "ID;Email;BirthDate\n" + "".join(f"{i};c{i}@example.com;{d}\n" for i, d in enumerate(rows))
    )
    columns = Columns(id="ID", email="Email", first_name=None, patronymic=None, last_name=None)
    cfg = ContactsSource(path=path, columns=columns, dates={"birthday": "BirthDate"}, date_formats=US)
    contacts, report = load_contacts(cfg, Defaults())
    assert [dict(c.dates) for c in contacts] == [{"birthday": date(1980, 12, 7)}, {}, {}, {}, {}, {}]
    assert all(not c.bad_dates for c in contacts) and report.problems == []
    assert report.notes == [
        "contacts: 2 cells hold the empty date 1/1/0001 (BirthDate 2): read as no date, as an empty cell",
        "contacts: 1 cell holds the empty date 0001-01-01 (BirthDate 1): read as no date, as an empty cell",
        "contacts: 1 cell holds the last date 12/31/9999 (BirthDate 1): read as no date, as an empty cell",
    ]


def test_check_gives_no_row_warning_for_the_zero_and_last_dates(make_project: MakeProject) -> None:
    birthdays = ["07.12.1970", "00.00.0000", "31.12.9999", "9999-12-31 00:00:00", "00.00.1981"]
    config = make_project(
        [
            contact_row(str(i), f"c{i}@example.com", birthday=b, tier="VIP", tags="23feb, 8mar")
            for i, b in enumerate(birthdays, 1)
        ]
    )
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    out = result.output
    assert "in the future" not in out and "9999" not in out.split("contacts: ")[0], out
    assert "00.00.0000' is not a real date" not in out, out
    assert "contacts: 5 loaded from 5 rows, 0 rejected, 1 warning(s)" in out, out
    assert (
        "contacts: 1 cell holds the zero date 00.00.0000 (Дата рождения 1): read as no date, as an empty cell"
    ) in out
    assert (
        "contacts: 1 cell holds the last date 31.12.9999 (Дата рождения 1): read as no date, as an empty cell"
    ) in out
    # A year without its day and month is still a value to correct, at its row.
    assert "row 6: Дата рождения: warning: '00.00.1981' is not a real date" in out, out
