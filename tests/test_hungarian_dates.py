"""Hungarian dates: year first, the day closed by a dot — «1975.12.07.», and «12.27.» without a year.

A Hungarian team's export wrote dates as Hungarians do and ``init --locale hu``
kept the example's ``["%d.%m.%Y", "%Y-%m-%d"]``: «Születési dátum: 30 of 30
values could not be read as dates … check the values», exit 1, and no format
named. A name day kept as «12.27.» (month, day) was «not a real date: there is
no month 27», though a month-first ``date_formats`` is to make yearless dates
month first (docs/contacts.md). The Hungarian starter now lists the Hungarian
formats, the column's message names the one that reads the values, and a
year-month-day format makes a yearless date month first.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.sources.dates import YEARLESS_YEAR, DateParser

NOW = "2026-12-01T09:00:00+01:00"
EXAMPLE = ["%d.%m.%Y", "%Y-%m-%d"]


def run(project: Path, *args: str) -> tuple[int, str]:
    """The exit code and what the command printed; JSON (``--format json``) is stdout alone: stderr
    may carry notes (Hungary's 2027 moved days off, which the holidays library lacks)."""
    done = CliRunner().invoke(main, ["--config", str(project / "greeter.yaml"), *args, "--now", NOW])
    return done.exit_code, done.stdout if "json" in args else done.output


def hungarian_project(folder: Path, birthdays: dict[str, str]) -> Path:
    """``init --locale hu`` with the sample's ISO dates rewritten as Hungarians write them."""
    done = CliRunner().invoke(main, ["init", str(folder), "--locale", "hu"])
    assert done.exit_code == 0, done.output
    contacts = folder / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8")
    text = re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\1.\2.\3.", text)
    for client, written in birthdays.items():  # the client's row: its birthday as given
        text = re.sub(rf"^({client};(?:[^;\n]*;){{9}})[^;\n]*", rf"\g<1>{written}", text, flags=re.MULTILINE)
    contacts.write_text(text, encoding="utf-8")
    return folder


def test_the_hungarian_starter_reads_hungarian_dates_and_a_yearless_month_day(tmp_path: Path) -> None:
    written = {"4002": "1984. 01. 09.", "4003": "1970.04.22", "4008": "12.27."}
    project = hungarian_project(tmp_path, written)
    code, out = run(project, "check")
    assert code == 0 and "10 loaded from 10 rows, 0 rejected, 0 warning(s)" in out, out
    code, out = run(project, "preview", "--from", "2026-12-01", "--days", "45", "--format", "json")
    assert code == 0, out
    birthdays = {r["contact_id"]: r for r in json.loads(out) if r["occasion"] == "birthday"}
    assert birthdays["4008"]["occasion_date"] == "2026-12-27" and birthdays["4008"]["years"] is None
    assert birthdays["4002"]["occasion_date"] == "2027-01-09" and birthdays["4002"]["years"] == 43


def test_a_column_of_hungarian_dates_is_told_the_format_that_reads_it(tmp_path: Path) -> None:
    project = hungarian_project(tmp_path, {})
    config = project / "greeter.yaml"
    text = re.sub(r"^  date_formats: \[[^\]]*\]", f"  date_formats: {json.dumps(EXAMPLE)}", config.read_text(
        encoding="utf-8"), count=1, flags=re.MULTILINE)  # fmt: skip
    config.write_text(text, encoding="utf-8")
    code, out = run(project, "check")
    assert code == 1, out
    assert "they look like \"%Y.%m.%d.\" (e.g. '1976.12.14.'): add it to contacts.date_formats" in out, out


@pytest.mark.parametrize(
    ("values", "fmt"),
    [(["1975.12.07.", "1980.01.02."], "%Y.%m.%d."), (["1975. 12. 07.", "1980. 01. 02."], "%Y. %m. %d.")],
)
def test_hungarian_formats_are_among_the_common_ones_suggested(values: list[str], fmt: str) -> None:
    assert DateParser(EXAMPLE).suggest(values) == (fmt, None)


@pytest.mark.parametrize(
    ("formats", "text", "day"),
    [
        (["%Y.%m.%d.", "%d.%m.%Y"], "12.27.", (12, 27)),  # year first: month first
        (["%Y.%m.%d.", "%d.%m.%Y"], "12. 27.", (12, 27)),
        (["%Y/%m/%d"], "12/27", (12, 27)),
        (["%d.%m.%Y", "%Y.%m.%d."], "27.12.", (12, 27)),  # the first format that says decides
        (EXAMPLE, "27.12", (12, 27)),  # day first, as before
        (["%Y-%m-%d"], "27-12", (12, 27)),  # ISO, in every config, does not make it month first
    ],
)
def test_a_yearless_date_follows_the_order_of_date_formats(
    formats: list[str], text: str, day: tuple[int, int]
) -> None:
    assert DateParser(formats).parse(text) == date(YEARLESS_YEAR, *day)


def test_a_year_first_format_refuses_the_day_first_yearless_reading() -> None:
    assert DateParser(["%Y.%m.%d."]).parse("27.12.") is None
    assert DateParser(["%Y.%m.%d."]).problem("27.12.") == "is not a real date: there is no month 27"
