"""A date column's warning counts its unreadable values by kind, each with what to do.

An operator's 150,000-row export: ``137 of 149862 values could not be read as
dates …; they look like "%Y/%m/%d" (e.g. '1987/06/27'): add it to
contacts.date_formats`` — 58 did, 35 were days no calendar has (31.02.1980)
and 44 Excel serial numbers (29221), which no format mends. The warning now
says how many of each, and what to do about each.

The real CLI in-process, the example config, a real contacts file.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def rows(births: list[str]) -> list[str]:
    return [contact_row(str(n), f"c{n}@example.com", birthday=day) for n, day in enumerate(births, 1)]


def column_line(config: Path) -> str:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-04-10T11:00"])
    (line,) = [line for line in result.stderr.splitlines() if "could not be read as dates" in line]
    return line


def test_mixed_bad_dates_are_counted_by_kind(make_project: MakeProject) -> None:
    births = (
        ["13.04.1980"] * 40
        + [f"1987/06/{d:02d}" for d in range(10, 18)]  # 8 slash dates
        + ["31.02.1980", "30.02.1975", "31.04.1990", "31.06.1985", "31.09.1970", "31.11.1960"]  # 6
        + ["29221", "29222", "29223", "29224", "29225"]  # 5 Excel serial numbers
    )
    line = column_line(make_project(rows(births)))
    assert line.endswith(
        "Дата рождения: warning: 19 of 59 values could not be read as dates"
        " (contacts.date_formats: %d.%m.%Y, %Y-%m-%d, %d/%m/%Y):"
        " 8 look like \"%Y/%m/%d\" (e.g. '1987/06/10'; add it to contacts.date_formats),"
        " 6 are days no calendar has (e.g. '31.02.1980'),"
        " 5 are Excel serial numbers (e.g. '29221'; format the column as dates in Excel before exporting);"
        " no birthday greetings for these contacts"
    ), line


def test_one_kind_keeps_its_one_advice(make_project: MakeProject) -> None:
    births = ["13.04.1980"] * 40 + [f"1987/06/{d:02d}" for d in range(10, 18)]
    line = column_line(make_project(rows(births)))
    assert "; they look like \"%Y/%m/%d\" (e.g. '1987/06/10'): add it to contacts.date_formats;" in line, line


def test_month_names_among_other_kinds_keep_their_own_advice(make_project: MakeProject) -> None:
    births = ["13.04.1980"] * 40 + [f"{d} декабря 1973" for d in range(1, 6)] + ["31.02.1980"] * 5
    line = column_line(make_project(rows(births)))
    assert (
        ": 5 match no common format (e.g. '1 декабря 1973'; it is 1 December 1973, written with a month name"
        in (line)
    ), line
    assert (
        ", 5 are days no calendar has (e.g. '31.02.1980'); no birthday greetings for these contacts" in line
    )
