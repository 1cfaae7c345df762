"""SQL contacts: odd values stay one row's problem, outages are "try again later", errors say what to fix.

Mends found by an SQL operator: a PostgreSQL ``'infinity'`` date failed every
contact; an unreachable CRM exited 2 ("fix the config"); ``text[]`` tags were
read as Python list text; a bad address with a space in it was logged in full;
a table name, an ``UPDATE`` or a missing ``?schema=`` gave errors that did
not say so. Real servers (``tests/databases.py``), in schemas of their own.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.db_url import redact
from greeter.errors import EXIT_TEMPFAIL, EXIT_USAGE, ContactsError, ContactsUnavailableError
from greeter.masking import mask_addresses
from greeter.sources import load_contacts, sql_mariadb, sql_postgresql
from greeter.sources.sql_postgresql import libpq_text
from greeter.sources.sql_source import read_rows, statement_problem, to_text
from tests import databases
from tests.conftest import MakeProject

NAMES = Columns(id="id", email="email", first_name=None, patronymic=None, last_name=None, tags="tags")


@contextmanager
def fix_schema() -> Iterator[tuple[str, str]]:
    """``(contacts URL with ?schema=NAME, NAME)`` of a fresh ``fix_sql_…`` schema, dropped afterwards."""
    base = databases.require_pg()
    name = databases.unique("fix_sql")
    with databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield databases.with_query(base, f"schema={name}"), name
    finally:
        with databases.pg_admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def odd_crm() -> Iterator[str]:
    """A PostgreSQL CRM whose rows 2 and 3 hold dates Python cannot hold, and whose tags are ``text[]``."""
    with fix_schema() as (url, schema), databases.pg_admin() as conn:
        conn.execute(
            f"CREATE TABLE {schema}.clients (ord INT, id TEXT, email TEXT, birthday DATE,"
            " first_deal TIMESTAMPTZ, founded TIMESTAMP, tags TEXT[])"
        )
        conn.execute(
            f"INSERT INTO {schema}.clients VALUES"
            " (1, '1', 'a@example.com', '1960-12-07', '2020-12-08 00:00+03', '2010-03-01 23:30', '{23feb,8mar}'),"
            " (2, '2', 'b@example.com', 'infinity', 'infinity', 'infinity', NULL),"
            " (3, '3', 'c@example.com', '0044-03-15 BC', '-infinity', '0044-03-15 12:00 BC', '{}'),"
            " (4, '4', 'd@example.com', '1980-02-29', '2016-02-29 00:30+03', '1999-12-31 00:00',"
            " '{\"vip, old\",NULL,8mar}')"
        )
        yield databases.with_query(url, "options=-c%20TimeZone%3DEtc%2FUTC")


def odd_source(url: str) -> ContactsSource:
    query = "SELECT id, email, birthday, first_deal, founded, tags FROM clients ORDER BY ord"
    dates = {"birthday": "birthday", "first_deal": "first_deal", "company_founded": "founded"}
    return ContactsSource(source="sql", url=url, query=query, columns=NAMES, dates=dates)


# --- 1: a date Python cannot hold is one row's problem ------------------------------------------


def test_an_infinite_or_bc_date_is_reported_at_its_row_and_the_other_rows_load(odd_crm: str) -> None:
    contacts, report = load_contacts(odd_source(odd_crm), Defaults(timezone="Europe/Moscow"))
    shown = redact(odd_crm)
    assert [c.id for c in contacts] == ["1", "2", "3", "4"]
    assert contacts[0].dates == {
        "birthday": date(1960, 12, 7),
        "first_deal": date(2020, 12, 8),  # 2020-12-07 21:00 UTC is the 8th in Moscow
        "company_founded": date(2010, 3, 1),
    }
    assert contacts[3].dates["first_deal"] == date(2016, 2, 29)
    assert contacts[1].dates == {} and contacts[2].dates == {}
    problems = {(p.line, p.field): str(p) for p in report.problems}
    # 'infinity' and '-infinity' are no date, as an empty cell (tests/test_date_columns.py).
    assert set(problems) == {(3, "birthday"), (3, "founded")}
    assert problems[3, "birthday"].startswith(f"{shown}: contact '3' (row 3): birthday: ")
    assert "'0044-03-15 BC'" in problems[3, "birthday"]


# --- 3: an array is its elements ----------------------------------------------------------------


def test_a_text_array_of_tags_is_its_tags(odd_crm: str) -> None:
    contacts, _ = load_contacts(odd_source(odd_crm), Defaults())
    assert [set(c.tags) for c in contacts] == [{"23feb", "8mar"}, set(), set(), {"vip", "old", "8mar"}]


def test_any_array_becomes_its_elements_joined_as_a_csv_cell_would_list_them() -> None:
    url = databases.require_pg()
    query = "SELECT ARRAY[1, 2] AS n, ARRAY[['a', 'b'], ['c', NULL]] AS m, ARRAY[DATE '2001-02-03'] AS d"
    assert list(read_rows(url, query)) == [(0, ["n", "m", "d"]), (1, ["1, 2", "a, b, c", "2001-02-03"])]
    assert to_text([]) == "" and to_text([None, "x"]) == "x"


# --- 2: an unreachable CRM is "try again later" -------------------------------------------------


@contextmanager
def silent_host() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server, a black-holing firewall)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_database_that_is_down_or_silent_is_temporary(monkeypatch: pytest.MonkeyPatch) -> None:
    for driver in (sql_postgresql, sql_mariadb):  # the connect timeout each driver connects with
        monkeypatch.setattr(driver, "CONNECT_TIMEOUT", 1)
    with silent_host() as port:
        urls = [
            "postgresql://greeter:hunter2@127.0.0.1:1/crm",
            "mysql://greeter:hunter2@127.0.0.1:1/crm",
            f"postgresql://greeter@127.0.0.1:{port}/crm",
            f"mysql://greeter@127.0.0.1:{port}/crm?connect_timeout=1",  # used to wait forever
        ]
        for url in urls:
            with pytest.raises(ContactsUnavailableError) as info:
                list(read_rows(url, "SELECT 1"))
            assert info.value.exit_code == EXIT_TEMPFAIL, url
            assert str(info.value).startswith(f"{redact(url)}: cannot connect: "), str(info.value)


def test_a_wrong_database_or_user_is_still_the_configs_to_fix() -> None:
    pg, mysql = databases.require_pg(), databases.require_mysql()
    urls = [
        pg.rsplit("/", 1)[0] + "/fix_sql_no_such_db",
        pg.replace("://postgres@", "://fix_sql_no_such_role@"),
        mysql.rsplit("/", 1)[0] + "/fix_sql_no_such_db",
        mysql.replace("://root@", "://fix_sql_no_such_user@"),
    ]
    for url in urls:
        with pytest.raises(ContactsError) as info:
            list(read_rows(url, "SELECT 1"))
        assert type(info.value) is ContactsError and info.value.exit_code == EXIT_USAGE, str(info.value)


def test_preview_and_send_exit_75_when_the_crm_is_down(make_project: MakeProject, tmp_path: Path) -> None:
    down = "postgresql://greeter@127.0.0.1:1/crm"
    config = make_project([], contacts={"source": "sql", "url": down, "query": "SELECT * FROM clients"})
    for command in (["preview"], ["send", "--once", "--dry-run"]):
        result = CliRunner().invoke(main, ["--config", str(config), *command])
        assert result.exit_code == EXIT_TEMPFAIL, (command, result.output)
        assert "cannot connect" in result.stderr


def test_libpq_lines_are_joined_as_sentences() -> None:
    said = 'connection to server at "h", port 1 failed: Connection refused\n\tIs the server running on that host?'
    assert libpq_text(said).endswith("Connection refused. Is the server running on that host?")
    assert libpq_text("first?\nsecond\n") == "first? second"
    with pytest.raises(ContactsError, match=r"Connection refused\. Is the server running"):
        list(read_rows("postgresql://greeter@127.0.0.1:1/crm", "SELECT 1"))


# --- 4: an address with a space in it is masked too ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "crm:row 3: Email: 'petrov @example.com' is not a valid e-mail address: it has a space",
            "crm:row 3: Email: 'p*** @example.com' is not a valid e-mail address: it has a space",
        ),
        ("Email: ' ivan petrov@example.com' is not valid", "Email: ' i***@example.com' is not valid"),
        ('"o\'neil @example.com" is not valid', '"o*** @example.com" is not valid'),
        ("'ivan @ example.com'", "'i*** @ example.com'"),
        ("to petrov @example.com today", "to p*** @example.com today"),
        # prose with an "@" between spaces, or a handle without a domain, stays
        ("contact 42, row 7, 3 @ 5", "contact 42, row 7, 3 @ 5"),
        ("lunch @ noon, see 'the list' @ 5", "lunch @ noon, see 'the list' @ 5"),
        ("ping @ivan about it", "ping @ivan about it"),
        # and what was masked before is masked as before
        ("'a@example.com, b@example.com' is not valid", "'a***@example.com, b***@example.com' is not valid"),
        ("postgresql://greeter@127.0.0.1:5432/test", "postgresql://greeter@127.0.0.1:5432/test"),
    ],
)
def test_an_address_with_spaces_is_masked_but_prose_is_not(text: str, masked: str) -> None:
    assert mask_addresses(text) == masked
    assert mask_addresses(masked) == masked  # masked already: as it is


def test_an_address_with_spaces_is_masked_whole_when_every_letter_goes() -> None:
    assert mask_addresses("'petrov @example.com'", first=False) == "'*** @example.com'"


# --- 5: query errors that say what to write -----------------------------------------------------


@pytest.fixture
def pg_clients() -> Iterator[str]:
    with fix_schema() as (url, schema), databases.pg_admin() as conn:
        conn.execute(f"CREATE TABLE {schema}.clients_v (id TEXT, email TEXT)")
        yield url


@pytest.fixture
def maria_clients() -> Iterator[str]:
    with databases.mysql_database() as (url, name), databases.mysql_connect(name) as conn:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE clients_v (id VARCHAR(9), email VARCHAR(99))")
        yield url


def test_a_table_name_as_the_query_says_to_select_from_it(pg_clients: str, maria_clients: str) -> None:
    for url in (pg_clients, maria_clients):
        with pytest.raises(ContactsError) as info:
            list(read_rows(url, "clients_v"))
        assert str(info.value).endswith(
            "contacts.query is a table name, not a query: write SELECT * FROM clients_v"
        )
        assert info.value.exit_code == EXIT_USAGE


def test_a_statement_that_changes_the_crm_is_refused_before_it_runs(
    pg_clients: str, maria_clients: str
) -> None:
    for url in (pg_clients, maria_clients):
        for query, word in (
            ("UPDATE clients_v SET email = email", "UPDATE"),
            ("-- tidy\nDROP TABLE clients_v", "DROP"),
        ):
            with pytest.raises(ContactsError) as info:
                list(read_rows(url, query))
            assert f"the contacts query is an {word} statement, not a SELECT" in str(info.value)
        assert list(read_rows(url, "SELECT * FROM clients_v")) == [(0, ["id", "email"])]  # still there


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("SELECT 1", False),
        ("  /* all */ (SELECT 1) UNION (SELECT 2)", False),
        ("WITH a AS (SELECT 1) SELECT * FROM a", False),
        ("select * from updates", False),
        ("update clients set x = 1", True),
        ("/* x */ -- y\n  DELETE FROM clients", True),
        ("(insert into t values (1))", True),
        ("DELETE/* x */FROM clients", True),
    ],
)
def test_statement_problem_judges_the_first_word(query: str, refused: bool) -> None:
    assert (statement_problem(query) is not None) is refused


def test_a_missing_table_in_a_missing_schema_says_the_schema_is_missing(pg_clients: str) -> None:
    schema = pg_clients.rsplit("schema=", 1)[1]
    typo = pg_clients.replace(f"schema={schema}", f"schema={schema[:-1]}")
    with pytest.raises(ContactsError) as info:
        list(read_rows(typo, "SELECT * FROM clients_v"))
    assert str(info.value) == (
        f'{redact(typo)}: the contacts query failed: relation "clients_v" does not exist'
        " (line 1, column 15 of the query);"
        f" the URL's schema {schema[:-1]!r} does not exist in this database, did you mean {schema!r}?"
    )
    with pytest.raises(ContactsError) as info:  # the schema is there: no word about it
        list(read_rows(pg_clients, "SELECT * FROM no_such_table"))
    assert str(info.value).endswith(
        'relation "no_such_table" does not exist (line 1, column 15 of the query)'
    )
