"""A date column judged as a whole, and "no date" placeholders read as empty cells.

Found by a CRM administrator feeding greeter real exports: an amoCRM-style
column of month-first dates (``12/07/1970``) was read day first by the
default ``%d/%m/%Y`` — every birthday planned on the wrong day — while
``check`` said OK; 1C's empty date ``01.01.0001 0:00:00``, MariaDB's
``0000-00-00`` and PostgreSQL's ``infinity`` were dates (too old, "no month 0",
"does not match contacts.date_formats") and their contacts ``invalid_contact``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.sources import load_contacts
from greeter.sources.date_columns import DateColumn, order_problem
from greeter.sources.dates import DateParser, Order, day_month_order, no_date, swap_day_month
from tests import databases
from tests.conftest import MakeProject, contact_row

#: ``contacts.date_formats`` when the config sets none.
DEFAULTS = ContactsSource(path=Path("c.csv")).date_formats
NOW = "2026-12-04T10:00+03:00"
ONE_C = "1C's empty date 01.01.0001"
INFINITY = "PostgreSQL's infinity ('infinity', '-infinity')"


# --------------------------------------------------------------------------- pure: placeholders


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("01.01.0001 0:00:00", date(1, 1, 1), ONE_C),
        ("01.01.0001", date(1, 1, 1), ONE_C),
        ("0001-01-01", date(1, 1, 1), "the empty date 0001-01-01"),
        ("0000-00-00", None, "the zero date 0000-00-00"),
        ("0000-00-00 00:00:00", None, "the zero date 0000-00-00"),
        ("00.00.0000", None, "the zero date 00.00.0000"),  # MySQL's, printed day first: no day has it
        ("infinity", None, INFINITY),
        ("-infinity", None, INFINITY),
        ("01.01.1980", date(1980, 1, 1), None),
        ("02.01.0001", date(1, 1, 2), None),  # a typo for a year: still "too old" at its row
        ("1981-00-00", None, None),  # a year without its day: a wrong value, not an empty one
        ("27.12.0000", date(1604, 12, 27), None),  # a day without a year
        ("31.02.1980", None, None),
    ],
)
def test_no_date_names_only_the_placeholders(text: str, day: date | None, expected: str | None) -> None:
    assert no_date(text, day) == expected


# --------------------------------------------------------------------------- pure: day and month order


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/07/1970", "either"),
        ("03/04/1980", "either"),
        ("12/25/1980", "month_first"),
        ("25/12/1980", "day_first"),
        ("1/13/75", "month_first"),
        ("12-25-1980", "month_first"),
        ("12/25/1980 0:00:00", "month_first"),
        ("05/05/1980", None),  # the same day either way
        ("31/31/1980", None),  # no day either way
        ("12.07.1970", None),  # dotted dates are day first where they are written
        ("1970-12-07", None),
        ("13.12", None),
        ("", None),
    ],
)
def test_day_month_order(text: str, expected: Order | None) -> None:
    assert day_month_order(text) == expected


def test_the_format_that_reads_either_order_and_its_swap() -> None:
    assert DateParser(DEFAULTS).order_format("/") == "%d/%m/%Y"
    assert DateParser(["%m/%d/%Y", "%d/%m/%Y"]).order_format("/") == "%m/%d/%Y"
    assert DateParser(["%d.%m.%Y"]).order_format("/") is None
    assert swap_day_month("%d/%m/%Y") == "%m/%d/%Y" and swap_day_month("%m-%d-%y") == "%d-%m-%y"


def column(*values: tuple[Order, int, str]) -> DateColumn:
    col = DateColumn("birthday", 3, "Birthday", greetings="birthday greetings")
    for order, line, text in values:
        col.saw_order(order, line, text)
    return col


US = [("either", 2, "12/07/1970"), ("either", 3, "12/08/1982"), ("month_first", 6, "12/25/1980")]
EU = [("either", 2, "12/07/1970"), ("day_first", 4, "25/12/1980")]


@pytest.mark.parametrize(
    ("formats", "values", "expected"),
    [
        (DEFAULTS, US, "probably written month first"),
        (DEFAULTS, US[:2], None),  # nothing says either reading is wrong
        (DEFAULTS, US[2:], None),  # nothing misread: the value that fails says so at its row
        (DEFAULTS, [*US, EU[1]], "mixes"),
        (DEFAULTS, EU, None),  # the config's order agrees with the values
        (["%m/%d/%Y"], EU, "probably written day first"),
        (["%d.%m.%Y"], US, None),  # no format reads slash dates: every one fails at its row
    ],
)
def test_the_column_judgement(
    formats: list[str], values: list[tuple[Order, int, str]], expected: str | None
) -> None:
    problem = order_problem(column(*values), DateParser(formats), "c.csv")
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem.message
        assert problem.severity == "warning" and problem.kind == "column" and problem.field == "Birthday"


def test_the_month_first_warning_names_the_evidence_the_misread_and_the_fix() -> None:
    problem = order_problem(column(*US), DateParser(DEFAULTS), "us.csv")
    assert problem is not None
    assert str(problem) == (
        "us.csv: Birthday: warning: the dates are probably written month first: row 6: '12/25/1980' can"
        " only be read so, and no date only day first; 2 other dates that read either way (e.g. row 2:"
        " '12/07/1970': 12 July 1970) are read day first (\"%d/%m/%Y\"), so birthday greetings for them"
        " are probably planned on the wrong day; if the CRM writes month first, set"
        ' contacts.date_formats: ["%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y"]'
    )


# --------------------------------------------------------------------------- a CSV file, end to end

US_ROWS = ["12/07/1970", "12/08/1982", "11/05/1975", "03/04/1980", "12/25/1980"]


def row(i: int, birthday: str) -> str:
    """A contact whose tier and tags are the example's audiences', so ``check --strict`` passes for them."""
    return contact_row(str(i), f"c{i}@example.com", birthday=birthday, tier="VIP", tags="23feb, 8mar")


def us_project(make_project: MakeProject, tmp_path: Path, birthdays: list[str]) -> Path:
    """A project whose contacts have ``birthdays``, with no ``contacts.date_formats`` set."""
    config = make_project([row(i, b) for i, b in enumerate(birthdays, 1)])
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    del data["contacts"]["date_formats"]
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return config


def test_check_warns_once_for_a_month_first_column_and_strict_fails(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = us_project(make_project, tmp_path, US_ROWS)
    args = ["--config", str(config), "check", "--now", NOW]
    result = CliRunner().invoke(main, args)
    warning = (
        "contacts.csv: Дата рождения: warning: the dates are probably written month first: row 6:"
        " '12/25/1980' can only be read so, and no date only day first; 4 other dates that read either way"
    )
    assert result.output.count(warning) == 1, result.output
    assert 'set contacts.date_formats: ["%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y"]' in result.output
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1, strict.output


def test_check_warns_that_a_column_mixes_both_orders(make_project: MakeProject, tmp_path: Path) -> None:
    config = us_project(make_project, tmp_path, ["12/07/1970", "25/12/1982", "12/25/1975"])
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert (
        "Дата рождения: warning: the column mixes dates written month first (row 4: '12/25/1975') and day"
        " first (row 3: '25/12/1982'); 1 other date that reads either way (e.g. row 2: '12/07/1970': 12 July"
        ' 1970) is read day first ("%d/%m/%Y") and may be wrong: no format reads both orders'
    ) in result.output


def test_a_day_first_column_is_not_questioned(make_project: MakeProject, tmp_path: Path) -> None:
    config = us_project(make_project, tmp_path, ["12/07/1970", "25/12/1982", "03/04/1980"])
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--strict", "--now", NOW])
    assert "probably written" not in result.output and "mixes" not in result.output
    assert result.exit_code == 0, result.output


def test_preview_says_the_column_warning_once_after_the_plan(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = us_project(make_project, tmp_path, US_ROWS)
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--days", "30", "--now", NOW])
    assert result.stderr.count("the dates are probably written month first") == 1, result.stderr


ONE_C_ROWS = ["07.12.1970 0:00:00", "01.01.0001 0:00:00", "01.01.0001 0:00:00", ""]


def test_1c_empty_dates_are_empty_cells_with_one_note(make_project: MakeProject) -> None:
    config = make_project([row(i, b) for i, b in enumerate(ONE_C_ROWS, 1)])
    args = ["--config", str(config), "check", "--now", NOW]
    result = CliRunner().invoke(main, [*args, "--strict"])
    assert result.exit_code == 0, result.output
    assert "0001" not in result.output.replace(
        "contacts: 2 cells hold 1C's empty date 01.01.0001 (Дата рождения 2): read as no date, as an empty cell",
        "",
    ), result.output
    assert "1C's empty date" in result.output
    summary = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert summary["row_problems"] == {} and len(summary["notes"]) >= 1
    preview = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--days", "30", "--now", NOW, "--format", "json"]
    )
    items = json.loads(preview.stdout)
    assert [i["status"] for i in items if i["occasion"] == "birthday"] == ["send"], items


def test_loaded_placeholders_leave_the_date_out_as_an_empty_cell_does(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = ["07.12.1970", "01.01.0001 0:00:00", "0000-00-00", "infinity", ""]
    path.write_text("ID;Email;Дата\n" + "".join(f"{i};c{i}@example.com;{d}\n" for i, d in enumerate(rows)))
    columns = Columns(id="ID", email="Email", first_name=None, patronymic=None, last_name=None)
    cfg = ContactsSource(path=path, columns=columns, dates={"birthday": "Дата"})
    contacts, report = load_contacts(cfg, Defaults())
    assert [dict(c.dates) for c in contacts] == [{"birthday": date(1970, 12, 7)}, {}, {}, {}, {}]
    assert all(not c.bad_dates for c in contacts) and report.problems == []
    assert report.notes == [
        f"contacts: 1 cell holds {ONE_C} (Дата 1): read as no date, as an empty cell",
        "contacts: 1 cell holds the zero date 0000-00-00 (Дата 1): read as no date, as an empty cell",
        f"contacts: 1 cell holds {INFINITY} (Дата 1): read as no date, as an empty cell",
    ]


# --------------------------------------------------------------------------- real databases

SQL_COLUMNS = Columns(id="id", email="email", first_name=None, patronymic=None, last_name=None)


def test_mariadb_zero_dates_are_no_date() -> None:
    with databases.mysql_database() as (url, name):
        with databases.mysql_connect(name) as conn, conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = ''")
            cur.execute(
                "CREATE TABLE clients (id INT, email VARCHAR(99), birthday DATE NULL, deal DATETIME NULL)"
            )
            cur.execute(
                "INSERT INTO clients VALUES (1, 'a@example.com', '1970-12-07', '2016-12-08 14:30:00'),"
                " (2, 'b@example.com', '0000-00-00', '0000-00-00 00:00:00')"
            )
        query = "SELECT id, email, birthday, deal FROM clients ORDER BY id"
        cfg = ContactsSource(
            source="sql",
            url=url,
            query=query,
            columns=SQL_COLUMNS,
            dates={"birthday": "birthday", "first_deal": "deal"},
        )
        contacts, report = load_contacts(cfg, Defaults())
    assert [dict(c.dates) for c in contacts] == [
        {"birthday": date(1970, 12, 7), "first_deal": date(2016, 12, 8)},
        {},
    ]
    assert report.problems == [] and not contacts[1].bad_dates
    assert report.notes == [
        "contacts: 2 cells hold the zero date 0000-00-00 (birthday 1, deal 1): read as no date, as an empty cell"
    ]


def test_a_postgresql_infinity_date_is_no_date() -> None:
    url = databases.require_pg()
    schema = databases.unique("dates")
    with databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        with databases.pg_admin() as conn:
            conn.execute(f"CREATE TABLE {schema}.clients (id INT, email TEXT, founded DATE)")
            conn.execute(
                f"INSERT INTO {schema}.clients VALUES (1, 'a@example.com', '2016-12-07'),"
                " (2, 'b@example.com', 'infinity'), (3, 'c@example.com', '-infinity')"
            )
        query = f"SELECT id, email, founded FROM {schema}.clients ORDER BY id"
        cfg = ContactsSource(
            source="sql", url=url, query=query, columns=SQL_COLUMNS, dates={"founded": "founded"}
        )
        contacts, report = load_contacts(cfg, Defaults())
    finally:
        with databases.pg_admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    assert [dict(c.dates) for c in contacts] == [{"founded": date(2016, 12, 7)}, {}, {}]
    assert report.problems == []
    assert report.notes == [
        f"contacts: 2 cells hold {INFINITY} (founded 2): read as no date, as an empty cell"
    ]
