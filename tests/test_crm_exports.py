"""Findings from real CRM exports: PostgreSQL's folded aliases, amoCRM's «Имя Отчество», Latin names.

* A PostgreSQL query's ``AS ID`` comes back as ``id``: check said only
  "did you mean 'id'?" and stopped with that one line. It now says why and
  both fixes, at the setting's line, with the rest of the report (as a query
  syntax error is reported).
* amoCRM's «Имя» holds «Иван Петрович» beside a «Фамилия» column: the advice
  to map it as ``full_name`` dropped the surname column. With no patronymic
  column mapped the cell is read as first name and patronymic (one note).
* A Latin name in a full-name column of a Russian CRM without a language
  column ("John Smith") was read surname first: «Smith, с наступающим…».

Real CSV files, a real PostgreSQL schema (``tests/databases.py``) and the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.config_loader import locate
from greeter.db_url import redact
from greeter.names import read_full_name
from tests import databases
from tests.conftest import MakeProject

NOW = "2026-12-04T10:00+03:00"


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args, "--now", NOW])


def previews(config: Path) -> dict[tuple[str, str], dict[str, Any]]:
    result = run(config, "preview", "--days", "30", "--format", "json")
    assert result.exit_code == 0, result.output
    return {(x["contact_id"], x["occasion"]): x for x in json.loads(result.stdout)}


def write_rows(config: Path, rows: list[dict[str, str]]) -> None:
    """The example export's header with ``rows`` (the cells they name; the others empty)."""
    contacts = config.parent / "data" / "contacts.csv"
    header = contacts.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    lines = [";".join(header)]
    for cells in rows:
        row = dict.fromkeys(header, "") | {"Часовой пояс": "Europe/Moscow", "Категория": "regular"} | cells
        lines.append(";".join(row[h] for h in header))
    contacts.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


# 1. PostgreSQL folds unquoted aliases.


@pytest.fixture
def pg_people() -> Iterator[tuple[str, str]]:
    """(contacts URL, table) in a schema of its own on the test PostgreSQL."""
    with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.person (id INTEGER, email TEXT, fio TEXT, birthday DATE)")
        conn.execute(
            f"INSERT INTO {schema}.person VALUES (1, 'ivanov@example.com', 'Иванов Иван', '1970-12-07')"
        )
        yield databases.PG_URL, f"{schema}.person"


def test_an_unquoted_postgresql_alias_says_why_and_gets_the_whole_report_at_its_setting(
    make_project: MakeProject, pg_people: tuple[str, str]
) -> None:
    url, table = pg_people
    query = (
        'SELECT id AS ID, email AS "Email", fio AS "ФИО", birthday AS "Дата рождения",\n'
        '  NULL AS "Дата основания компании", NULL AS "Первая сделка"\n'
        f"FROM {table}"
    )
    columns = {"id": "ID", "email": "Email", "full_name": "ФИО", "first_name": None, "patronymic": None,
               "last_name": None, "gender": None, "company": None, "timezone": None, "locale": None,
               "tier": None, "tags": None, "country": None}  # fmt: skip
    config = make_project([], contacts={"source": "sql", "url": url, "query": query, "columns": columns})
    line, col = locate(config, ("contacts", "columns", "id"))
    said = (
        "column 'ID' (contacts.columns.id) not found, did you mean 'id'? PostgreSQL folds names not in"
        " double quotes to lower case: write AS \"ID\" in contacts.query, or 'id' here"
    )
    result = run(config, "check")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == f"{config}:{line}:{col}: contacts.columns.id: {said}"
    assert f"contacts: {redact(url)}: {said}\n" in result.stdout
    for section in ("journal: ", "outbox: ", "occasions: ", "templates: ", "check: 1 problem(s)"):
        assert section in result.stdout, section
    assert "contacts: not read (see the contacts database above)" in result.stdout

    quoted = query.replace("id AS ID,", 'id AS "ID",')
    config = make_project([], contacts={"source": "sql", "url": url, "query": quoted, "columns": columns})
    fixed = run(config, "check")
    assert fixed.exit_code == 0, fixed.output


# 2. amoCRM's «Имя» holding «Имя Отчество».


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Иван Петрович", ("Иван", "Петрович")),
        ("Мария Ивановна", ("Мария", "Ивановна")),
        ("Пётр Ильич", ("Пётр", "Ильич")),
        ("Гусейн Рашид оглы", ("Гусейн", "Рашид оглы")),
        ("Анна Мария", None),  # a double first name
        ("Анна", None),
        ("Петрович Иван", None),  # a patronymic first is no «Имя Отчество»
        ("Иван Петрович Иванов", None),  # a whole name: the column warning's case
        ("John Smith", None),
    ],
)  # fmt: skip
def test_a_first_name_cell_is_first_name_and_patronymic_by_the_second_words_ending(
    cell: str, expected: tuple[str, str] | None
) -> None:
    from greeter.names import first_and_patronymic  # new with the reading

    assert first_and_patronymic(cell) == expected


AMO_ROWS = [
    {"ID": "11", "Email": "ivanov@example.com", "Имя": "Иван Петрович", "Фамилия": "Иванов",
     "Дата рождения": "07.12.1970"},
    {"ID": "12", "Email": "petrova@example.com", "Имя": "Анна", "Фамилия": "Петрова",
     "Дата рождения": "08.12.1982"},
    {"ID": "15", "Email": "maria@example.com", "Имя": "Мария Ивановна", "Дата рождения": "10.12.1990"},
]  # fmt: skip


def test_amocrms_first_name_and_patronymic_is_read_so_with_one_note(make_project: MakeProject) -> None:
    config = make_project([], contacts={"columns": {"patronymic": None}})
    write_rows(config, AMO_ROWS)
    result = run(config, "check")
    assert result.exit_code == 0, result.output
    assert (
        "contacts: Имя: 2 of 3 first names are a first name and a patronymic (e.g. row 2: 'Иван"
        " Петрович'): read as first name 'Иван', patronymic 'Петрович', as no contacts.columns.patronymic"
        " is mapped\n"
    ) in result.stdout
    assert "look like a whole name" not in result.output
    assert "full_name" not in result.output
    letters = previews(config)
    # The patronymic says the gender: «Уважаемый», not the neutral «Здравствуйте».
    assert letters["11", "birthday"]["text"].startswith("Уважаемый Иван Петрович!")
    assert letters["15", "birthday"]["text"].startswith("Уважаемая Мария Ивановна!")
    assert letters["12", "birthday"]["text"].startswith("Здравствуйте, Анна!")


def test_with_a_patronymic_column_mapped_the_advice_keeps_the_surname_column(
    make_project: MakeProject,
) -> None:
    config = make_project([])
    write_rows(config, AMO_ROWS)
    result = run(config, "check")
    assert (
        "Имя: warning: 2 of 3 first names hold a first name and a patronymic (e.g. row 2: 'Иван"
        " Петрович'), and letters would address people by both as the first name;"
        " contacts.columns.patronymic (Отчество) is mapped, so they are not split: move the patronymic"
        " to 'Отчество' in the CRM, or set contacts.columns.patronymic: null and greeter reads it from"
        " 'Имя'"
    ) in result.stderr, result.output
    assert "contacts.columns.full_name" not in result.output


# 3. Latin names in a full-name column without a language column.


@pytest.mark.parametrize(
    ("locale", "full", "first", "last", "order"),
    [
        (None, "John Smith", "John", "Smith", ""),
        ("ru", "John Smith", "John", "Smith", ""),
        ("ru", "Ludwig van Beethoven", "Ludwig", "van Beethoven", ""),
        ("uk", "José García", "José", "García", ""),
        # A Russian surname in Latin letters first: the CRM's order, said in the row's warning.
        (None, "Ivanov Ivan", "Ivan", "Ivanov", "last name, first name"),
        (None, "Smirnova Olga", "Olga", "Smirnova", "last name, first name"),
        # Cyrillic stays surname first; Latin-script languages keep their own rules.
        (None, "Смит Джон", "Джон", "Смит", ""),
        ("et", "Tamm Kask", "Kask", "Tamm", ""),
        ("hu", "Kovács János", "János", "Kovács", ""),
    ],
)  # fmt: skip
def test_a_latin_name_of_a_russian_contact_is_read_first_name_first(
    locale: str | None, full: str, first: str, last: str, order: str
) -> None:
    reading = read_full_name(full, locale)
    assert (reading.parts.first_name, reading.parts.last_name, reading.order) == (first, last, order)


def test_john_smith_in_a_full_name_column_is_greeted_as_john(make_project: MakeProject) -> None:
    columns = {"full_name": "Фамилия", "first_name": None, "patronymic": None, "last_name": None,
               "locale": None}  # fmt: skip
    config = make_project([], contacts={"columns": columns})
    write_rows(config, [
        {"ID": "14", "Email": "john@example.com", "Фамилия": "John Smith", "Дата рождения": "09.12.1980"},
        {"ID": "16", "Email": "ivanov@example.com", "Фамилия": "Ivanov Ivan", "Дата рождения": "09.12.1981"},
        {"ID": "17", "Email": "lebedev@example.com", "Фамилия": "Лебедев Сергей", "Дата рождения": "09.12.1982"},
    ])  # fmt: skip
    result = run(config, "check")
    assert result.exit_code == 0, result.output
    assert "'John Smith'" not in result.stderr  # no row warning: its order is no question
    assert (
        "row 3: Фамилия: warning: 'Ivanov Ivan' read as first name 'Ivan', last name 'Ivanov' (not in the"
        " first name, last name order of names in Latin script)"
    ) in result.stderr
    letters = previews(config)
    assert letters["14", "new_year"]["subject"].startswith("John, ")
    assert letters["14", "new_year"]["name"] == "John Smith"
    assert letters["16", "new_year"]["subject"].startswith("Ivan, ")
    assert letters["17", "new_year"]["subject"].startswith("Сергей, ")
