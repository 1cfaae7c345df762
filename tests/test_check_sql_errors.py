"""``greeter check`` with an SQL contacts source: a refused query, and rows named by their contact's id.

Real PostgreSQL and MariaDB (``tests/databases.py``), a throw-away table each.
A query the server refuses is the config's mistake at ``contacts.query``: the
whole report is still printed (as for a wrong password), exit 2. A row's
problem names the contact's id, which a DBA can look up, beside the row number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.check_report import CheckReport
from greeter.cli import main
from greeter.config_loader import locate
from greeter.db_checks import DatabaseStatus
from greeter.db_url import redact
from greeter.sources.sql_postgresql import query_place
from tests import databases
from tests.conftest import MakeProject

NOW = "2026-12-04T10:00"
# (ord, id, email, birthday as text): an impossible date, a bad address, a birthday in the future, no id.
ROWS = [
    (1, "1001", "ivan@example.com", "1980-05-17"),
    (2, "1002", "anna@example.com", "1990-02-31"),
    (3, "1003", "not-an-email", "1970-01-01"),
    (4, "1004", "olga@example.com", "2030-01-01"),
    (5, None, "nobody@example.com", "1975-03-03"),
]
DDL = "CREATE TABLE {t} (ord INTEGER, id VARCHAR(20), email VARCHAR(100), birthday VARCHAR(20))"
INSERT = "INSERT INTO {t} VALUES (%s, %s, %s, %s)"


def example_query(table: str, *, keyword: str = "FROM", order: str = "ord") -> str:
    """The CRM query with config.example.yaml's headers, over three lines as a DBA writes it."""
    return (
        'SELECT id AS "ID", email AS "Email", \'Иванов\' AS "Фамилия", \'Иван\' AS "Имя",'
        ' NULL AS "Отчество", NULL AS "Пол", NULL AS "Компания", NULL AS "Часовой пояс", NULL AS "Язык",'
        ' NULL AS "Категория", NULL AS "Теги", birthday AS "Дата рождения",\n'
        '  NULL AS "Дата основания компании", NULL AS "Первая сделка", NULL AS "Страна"\n'
        f"  {keyword} {table} ORDER BY {order}"
    )


@pytest.fixture
def pg_table() -> Iterator[tuple[str, str]]:
    """(contacts URL, table) in a schema of its own on the test PostgreSQL."""
    with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(DDL.format(t=f"{schema}.clients"))
        with conn.cursor() as cur:
            cur.executemany(INSERT.format(t=f"{schema}.clients"), ROWS)
        yield databases.PG_URL, f"{schema}.clients"


@pytest.fixture
def maria_table() -> Iterator[tuple[str, str]]:
    with databases.mysql_database() as (url, name), databases.mysql_connect(name) as conn:
        with conn.cursor() as cur:
            cur.execute(DDL.format(t="clients") + " CHARACTER SET utf8mb4")
            cur.executemany(INSERT.format(t="clients"), ROWS)
        yield url, "clients"


def check(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW, *args])


def sql_project(make_project: MakeProject, url: str, query: str) -> Path:
    return make_project([], contacts={"source": "sql", "url": url, "query": query})


def test_a_query_postgresql_cannot_parse_gets_the_whole_report_at_contacts_query(
    make_project: MakeProject, pg_table: tuple[str, str]
) -> None:
    url, table = pg_table
    config = sql_project(make_project, url, example_query(table, keyword="FORM"))
    line, col = locate(config, ("contacts", "query"))
    said = 'the contacts query failed: syntax error at or near "FORM" (line 3, column 3 of the query)'
    result = check(config)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == f"{config}:{line}:{col}: contacts.query: {said}"
    text = result.stdout
    # the report, every section of it, as for a wrong password: not the one error line
    assert f"contacts: {redact(url)}: {said}\n" in text
    for section in ("journal: ", "outbox: ", "occasions: ", "templates: ", "check: 1 problem(s)"):
        assert section in text, section
    assert "contacts: not read (see the contacts database above)" in text
    assert "renders: none tried without the contacts" in text

    summary = json.loads(check(config, "--json").stdout)
    assert summary["databases"]["contacts"]["reachable"] is False
    assert summary["databases"]["contacts"]["detail"] == said
    assert summary["problems"] == [f"{config}:{line}:{col}: contacts.query: {said}"]
    assert (summary["errors"], summary["config_problems"], summary["rows_read"]) == (1, 1, 0)
    assert summary["templates"] and summary["outbox"] is not None


def test_mariadb_syntax_error_and_wrong_password_both_print_the_report_and_exit_2(
    make_project: MakeProject, maria_table: tuple[str, str]
) -> None:
    url, table = maria_table
    refused = check(sql_project(make_project, url, example_query(table, keyword="FORM")))
    wrong = check(
        sql_project(make_project, url.replace("root@", "root:wrong-password@"), example_query(table))
    )
    assert refused.exit_code == wrong.exit_code == 2, refused.output + wrong.output
    problem = refused.stderr.splitlines()[0]
    assert ": contacts.query: the contacts query failed: You have an error in your SQL syntax" in problem
    assert "near 'FORM " in problem and "at line 3 (error 1064)" in problem  # the server's own place
    assert ": contacts.url: cannot connect: Access denied" in wrong.stderr
    for result in (refused, wrong):
        assert "contacts: not read (see the contacts database above)" in result.stdout
        assert "templates: " in result.stdout and "check: 1 problem(s)" in result.stdout


def test_a_query_failing_on_a_row_is_a_refused_query_too(
    make_project: MakeProject, pg_table: tuple[str, str]
) -> None:
    """A division by zero in the 3rd row fails the first batch: the query's mistake, exit 2."""
    url, table = pg_table
    query = example_query(table).replace("birthday AS", "CASE WHEN 1 / (3 - ord) <> 0 THEN birthday END AS")
    result = check(sql_project(make_project, url, query))
    assert result.exit_code == 2, result.output
    assert ": contacts.query: reading contacts failed after row 0: division by zero" in result.stderr
    assert "contacts: not read (see the contacts database above)" in result.stdout


def test_rows_read_before_the_query_failed_are_counted_as_such(tmp_path: Path) -> None:
    """Past the first batch (2,000 rows) a failing row leaves rows read: not "stopped answering"."""
    report = CheckReport(config_file=tmp_path / "greeter.yaml", occasions=[])
    report.databases.append(DatabaseStatus("contacts", "postgresql://h/crm", False, "division by zero"))
    report.rows_read, report.contacts_loaded = 2000, 1998
    assert "contacts: 1998 loaded from 2000 rows before the query failed, 0 rejected" in report.text()
    report.databases[0] = DatabaseStatus("contacts", "postgresql://h/crm", False, "gone", unavailable=True)
    assert "contacts: 1998 loaded from 2000 rows before the database stopped answering" in report.text()


def test_check_names_a_query_rows_contact_id_beside_its_row(
    make_project: MakeProject, pg_table: tuple[str, str]
) -> None:
    url, table = pg_table
    config = sql_project(make_project, url, example_query(table))
    shown = redact(url)
    result = check(config)
    assert result.exit_code == 1, result.output
    rows = [line for line in result.stderr.splitlines() if line.startswith(shown)]
    assert rows == [
        f"{shown}: contact '1002' (row 2): Дата рождения: warning: '1990-02-31' is not a real date:"
        " February has no 31st; birthday greetings are skipped for this contact",
        f"{shown}: contact '1003' (row 3): Email: 'not-an-email' is not a valid e-mail address",
        f"{shown}:row 5: ID: empty id: every contact needs one (the CRM's client id)",
        f"{shown}: contact '1004' (row 4): Дата рождения: warning: birthday 01.01.2030 is in the future;"
        " birthday greetings are skipped",
    ]
    summary = json.loads(check(config, "--json").stdout)
    assert [p for p in summary["problems"] if p.startswith(shown)] == rows


def test_a_query_position_is_its_line_and_column() -> None:
    query = "SELECT id,\n  email\nFORM clients"
    assert query_place(query, query.index("FORM")) == "line 3, column 1 of the query"
    assert query_place(query, query.index("email")) == "line 2, column 3 of the query"
    assert query_place("SELEKT 1", 0) == "line 1, column 1 of the query"
