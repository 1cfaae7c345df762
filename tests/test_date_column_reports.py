"""How unreadable dates in a contacts file are read or reported: the column's summary, ``row_problems``
in ``check --json``, ISO date-times from CRM APIs, invisible characters and 1C's "г."."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.check_report import problem_kind
from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.sources import LoadReport, load_contacts
from greeter.sources.dates import DateParser
from tests.conftest import MakeProject, contact_row

HEADER = "ID;Email;Имя;Дата рождения"
COLUMNS = Columns(id="ID", email="Email", first_name="Имя", patronymic=None, last_name=None)
FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
MOSCOW = ZoneInfo("Europe/Moscow")


def load(tmp_path: Path, dates: list[str], **defaults: str) -> tuple[list, LoadReport]:  # type: ignore[type-arg]
    """``dates`` as the birthdays of a CSV file, loaded under :data:`FORMATS`."""
    rows = [f"{i};c{i}@example.com;Иван;{d}" for i, d in enumerate(dates, start=1)]
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    cfg = ContactsSource(
        path=path, columns=COLUMNS, dates={"birthday": "Дата рождения"}, date_formats=FORMATS
    )
    return load_contacts(cfg, Defaults(**defaults))  # type: ignore[arg-type]


def every_fourth(n: int) -> list[str]:
    """``n`` birthdays, every fourth written ``d/m/1975`` (as a second CRM's import left them); each
    another day (a later year after 28), as the same name and birthday twice is a warning of its own."""
    return [
        f"{i % 28 + 1}/3/{1975 + i // 28}" if i % 4 == 0 else f"{i % 28 + 1:02d}.03.{1980 + i // 28}"
        for i in range(n)
    ]


# --------------------------------------------------------------------------- the column's summary


def test_a_quarter_of_a_column_in_another_format_is_one_column_warning_naming_it(tmp_path: Path) -> None:
    contacts, report = load(tmp_path, every_fourth(40))
    assert len(contacts) == 40
    assert sum(p.kind == "row" for p in report.problems) == 10
    [summary] = [p for p in report.problems if p.kind == "column"]
    assert summary.severity == "warning"  # 30 birthdays are greeted: not a column no one can use
    assert summary.message == (
        "10 of 40 values could not be read as dates (contacts.date_formats: %d.%m.%Y, %Y-%m-%d); "
        "they look like \"%d/%m/%Y\" (e.g. '1/3/1975'): add it to contacts.date_formats; "
        "no birthday greetings for these contacts"
    )


def test_a_few_failures_in_a_common_format_are_summed_up_below_the_share_too(tmp_path: Path) -> None:
    dates = [f"{i % 28 + 1:02d}.03.1980" for i in range(200)]
    dates[10:200:38] = ["5/3/1975"] * 5  # 5 of 200: under 5 %, but one format reads them all
    _, report = load(tmp_path, dates)
    [summary] = [p for p in report.problems if p.kind == "column"]
    assert summary.message.startswith("5 of 200 values") and '"%d/%m/%Y"' in summary.message


@pytest.mark.parametrize(
    "bad",
    [
        ["31.02.1980", "x", "y", "z", "q"],  # 5 typos of 200: 2.5 %, nothing in common
        ["5/3/1975", "6/3/1975", "7/3/1975", "8/3/1975"],  # four: a few typos, whatever they look like
    ],
)
def test_a_few_typos_in_a_long_column_get_no_column_summary(tmp_path: Path, bad: list[str]) -> None:
    dates = [f"{i % 28 + 1:02d}.03.1980" for i in range(200)]
    dates[: len(bad)] = bad
    _, report = load(tmp_path, dates)
    assert [p for p in report.problems if p.kind == "column"] == []
    assert sum(p.kind == "row" for p in report.problems) == len(bad)


def test_a_share_of_typos_in_no_common_format_is_summed_up_without_a_format(tmp_path: Path) -> None:
    dates = [f"{i % 28 + 1:02d}.03.1980" for i in range(40)]
    dates[:6] = ["x1", "x2", "x3", "x4", "x5", "x6"]  # 15 %
    _, report = load(tmp_path, dates)
    [summary] = [p for p in report.problems if p.kind == "column"]
    assert summary.severity == "warning" and "check the values and contacts.date_formats" in summary.message


# --------------------------------------------------------------------------- check --json's row_problems


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (
            "'1/1/1975' does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d); read as \"%d/%m/%Y\" "
            "it is 1 January 1975; birthday greetings are skipped for this contact",
            "does not match contacts.date_formats",
        ),
        (
            "'a; b (c)' does not match contacts.date_formats (%d.%m.%Y)",
            "does not match contacts.date_formats",
        ),
        ('"it\'s" is not a real date: February has no 30th; birthday greetings …', "is not a real date"),
        ("duplicate id '5' (first seen on row 2)", "duplicate id"),
        ("'x' is not a valid e-mail address: it has more than one @", "is not a valid e-mail address"),
    ],
)
def test_a_row_problems_kind_has_no_cell_value(message: str, kind: str) -> None:
    assert problem_kind(message) == kind


def test_check_sums_up_a_column_and_counts_row_problems_by_kind(make_project: MakeProject) -> None:
    """Through the CLI on a real CSV: the column's warning in the text, one key for the dates in JSON."""
    rows = [contact_row(str(i), f"c{i}@example.com", birthday=b) for i, b in enumerate(every_fourth(40), 1)]
    # The list without "%d/%m/%Y" (the example's until it took the default's): the slash dates unread
    config = make_project(rows, contacts={"date_formats": ["%d.%m.%Y", "%Y-%m-%d"]})
    args = ["--config", str(config), "check", "--now", "2026-12-01T09:00"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "check: OK" in text.output
    assert (
        "Дата рождения: warning: 10 of 40 values could not be read as dates "
        '(contacts.date_formats: %d.%m.%Y, %Y-%m-%d); they look like "%d/%m/%Y"'
    ) in text.output
    summary = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert summary["row_problems"] == {"does not match contacts.date_formats": 10}


# --------------------------------------------------------------------------- ISO date-times, "г.", invisible characters


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1980-12-07T00:00:00", date(1980, 12, 7)),
        ("1980-12-07T00:00:00+03:00", date(1980, 12, 7)),
        ("1980-12-07T21:00:00Z", date(1980, 12, 8)),  # midnight in Moscow: Bitrix24 writes it in UTC
        ("1980-12-07T21:00:00+00:00", date(1980, 12, 8)),
        ("1980-12-07T21:00+0000", date(1980, 12, 8)),
        ("1980-12-07T10:00:00.000-05", date(1980, 12, 7)),
        ("1980-12-07 23:30:00+00:00", date(1980, 12, 8)),  # the space form takes an offset alike
    ],
)
def test_an_iso_date_time_is_its_day_in_the_default_zone(text: str, day: date) -> None:
    assert DateParser(FORMATS, zone=MOSCOW).parse(text) == day


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Moscow", "Asia/Vladivostok"])
def test_a_midnight_with_an_offset_is_the_day_written_in_any_zone(zone: str) -> None:
    """A date without a time as APIs write it (midnight UTC) is not the day before west of UTC."""
    parser = DateParser(FORMATS, zone=ZoneInfo(zone))
    assert parser.parse("1980-12-07T00:00:00Z") == date(1980, 12, 7)
    assert parser.parse("1980-12-07T00:00:00.000+00:00") == date(1980, 12, 7)
    assert parser.parse("1980-12-07T00:00:00+03:00") == date(1980, 12, 7)


def test_without_a_zone_a_date_time_keeps_the_day_written() -> None:
    assert DateParser(FORMATS).parse("1980-12-07T21:00:00Z") == date(1980, 12, 7)


def test_an_offset_no_zone_has_is_no_time_of_day() -> None:
    parser = DateParser(FORMATS, zone=MOSCOW)
    assert parser.parse("1980-12-07T21:00:00+25:00") is None
    assert parser.problem("1980-13-07T21:00:00Z") == "is not a real date: there is no month 13"


def test_an_iso_date_time_the_formats_do_not_read_is_told_the_format_that_does() -> None:
    problem = DateParser(["%d.%m.%Y"], zone=MOSCOW).problem("1980-12-07T21:00:00Z")
    assert 'read as "%Y-%m-%d" it is 8 December 1980' in problem


def test_the_default_zone_decides_the_day_of_a_loaded_date_time(tmp_path: Path) -> None:
    contacts, report = load(tmp_path, ["1980-12-07T21:00:00Z"], timezone="Asia/Vladivostok")
    assert report.problems == [] and contacts[0].dates["birthday"] == date(1980, 12, 8)
    contacts, _ = load(tmp_path, ["1980-12-07T21:00:00Z"], timezone="Europe/London")
    assert contacts[0].dates["birthday"] == date(1980, 12, 7)


@pytest.mark.parametrize("text", ["16.12.1980 г.", "16.12.1980г.", "16.12.1980 г", "16.12.1980 Г."])
def test_1c_year_word_after_the_year_is_dropped(text: str) -> None:
    assert DateParser(FORMATS).parse(text) == date(1980, 12, 16)


def test_a_year_word_is_read_only_after_a_year() -> None:
    parser = DateParser(FORMATS)
    assert parser.parse("16.12 г.") is None
    assert parser.problem("31.02.1980 г.") == "is not a real date: February has no 31st"


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060"])
def test_an_invisible_character_in_a_date_is_removed_with_a_warning(tmp_path: Path, invisible: str) -> None:
    contacts, report = load(tmp_path, [f"18.12.1980{invisible}"])
    assert contacts[0].dates["birthday"] == date(1980, 12, 18)
    [warning] = report.problems
    assert warning.severity == "warning" and warning.field == "Дата рождения"
    assert f"U+{ord(invisible):04X}" in warning.message and "removed ('18.12.1980')" in warning.message
