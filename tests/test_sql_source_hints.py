"""An SQL source's query mistakes a DBA makes, each told once with its fix: an id read through a
float or a decimal, a JOIN that repeats clients, several statements, a statement timeout behind a lock.

Real PostgreSQL (and MariaDB where the words differ), in a throw-away ``hint_sql_…`` schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.errors import EXIT_TEMPFAIL, EXIT_USAGE, ContactsError, Problem
from greeter.sources import load_contacts, sql_source
from greeter.sources.sql_source import read_rows
from tests import databases

BIG = 9007199254740993  # 2**53 + 1: the first integer a double cannot hold


@contextmanager
def hint_schema() -> Iterator[tuple[str, str]]:
    """``(contacts URL with ?schema=NAME, NAME)`` of a fresh schema with ``clients`` and ``deals``."""
    base = databases.require_pg()
    name = databases.unique("hint_sql")
    with databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"CREATE TABLE {name}.clients (client_id BIGINT PRIMARY KEY, email TEXT)")
        conn.execute(f"CREATE TABLE {name}.deals (client_id BIGINT, deal_date DATE)")
        conn.execute(
            f"INSERT INTO {name}.clients VALUES (1, 'one@example.com'), (2, 'two@example.com'),"
            f" ({BIG}, 'big@example.com')"
        )
        conn.execute(
            f"INSERT INTO {name}.deals VALUES (1, '2024-01-05'), (1, '2024-03-01'), (1, '2024-06-30'),"
            " (2, '2024-02-02')"
        )
    try:
        yield databases.with_query(base, f"schema={name}"), name
    finally:
        with databases.pg_admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def crm() -> Iterator[str]:
    with hint_schema() as (url, _):
        yield url


def load(url: str, query: str, id_column: str = "id") -> tuple[list[str], list[Problem]]:
    """The ids loaded and the problems of ``query`` as a contacts source."""
    cfg = ContactsSource(
        source="sql",
        url=url,
        query=query,
        columns=Columns(id=id_column, first_name=None, patronymic=None, last_name=None),
    )
    contacts, report = load_contacts(cfg, Defaults())
    return [c.id for c in contacts], report.problems


def test_a_float_or_decimal_id_column_is_warned_once_with_its_name_and_the_cast(crm: str) -> None:
    for cast, kind in (("float8", "double precision"), ("real", "real"), ("numeric(30,2)", "numeric(30,2)")):
        query = f'SELECT client_id::{cast} AS "ID", email FROM clients ORDER BY client_id'
        _, problems = load(crm, query, "ID")
        warned = [p for p in problems if "cast it to bigint or text in the query" in p.message]
        assert len(warned) == 1, (cast, problems)  # once for the run, not once per row
        assert warned[0].severity == "warning" and warned[0].field == "ID"
        assert f"the id column 'ID' is {kind}: " in warned[0].message
    ids, problems = load(crm, 'SELECT client_id::float8 AS "ID", email FROM clients ORDER BY 1', "ID")
    assert str(BIG - 1) in ids  # what the warning is about: the server's double lost the last digit
    assert "9007199254740992" in next(p.message for p in problems if p.field == "ID")
    ids, problems = load(crm, "SELECT client_id::numeric(30,2) AS id, email FROM clients ORDER BY 1")
    assert ids[0] == "1.00" and "('2.00', not '2')" in problems[0].message
    for fine in ("client_id", "client_id::text", "client_id::numeric", "client_id::numeric(30,0)"):
        ids, problems = load(crm, f"SELECT {fine} AS id, email, 1.5::float8 AS score FROM clients ORDER BY 1")
        assert ids == ["1", "2", str(BIG)] and problems == [], fine  # another float column: no word


def test_a_float_or_decimal_id_column_is_warned_on_mariadb_too() -> None:
    with databases.mysql_database() as (url, _):
        query = "SELECT CAST(1 AS DOUBLE) AS id, 'one@example.com' AS email"
        _, problems = load(url, query)
        assert [p.message for p in problems] == [
            "the id column 'id' is DOUBLE: an id of more than 15 digits may lose its last ones"
            " (9007199254740993 reads as 9007199254740992); cast it to bigint or text in the query"
        ]
        _, problems = load(url, "SELECT CAST(1 AS DECIMAL(30,2)) AS id, 'one@example.com' AS email")
        assert "is DECIMAL with 2 decimals" in problems[0].message
        assert load(url, "SELECT CAST(1 AS DECIMAL(30,0)) AS id, 'a@example.com' AS email")[1] == []


def test_a_join_that_repeats_clients_gets_one_hint_after_the_duplicates(crm: str) -> None:
    query = (
        "SELECT c.client_id AS id, c.email, d.deal_date FROM clients c"
        " JOIN deals d USING (client_id) ORDER BY c.client_id, d.deal_date"
    )
    ids, problems = load(crm, query)
    assert ids == ["1", "2"]
    duplicates = [i for i, p in enumerate(problems) if p.message.startswith("duplicate id '1'")]
    hints = [i for i, p in enumerate(problems) if "several rows per client" in p.message]
    assert len(duplicates) == 2 and len(hints) == 1  # one hint, not one per row
    assert hints[0] > max(duplicates)
    hint = problems[hints[0]].message
    assert hint.startswith("2 rows repeat an id already returned: the query returns several rows per client")
    assert "min(deal_date) … GROUP BY id" in hint
    assert "SELECT DISTINCT ON (id) … ORDER BY id, …" in hint and hint.endswith(
        "so which row wins is defined"
    )
    quoted = query.replace("AS id", 'AS "ID"').replace("ORDER BY c.client_id", 'ORDER BY "ID"')
    _, problems = load(crm, quoted, "ID")
    assert 'DISTINCT ON ("ID") … ORDER BY "ID", …' in problems[-1].message  # as the query must write it
    _, problems = load(crm, "SELECT DISTINCT ON (client_id) client_id AS id, email FROM clients JOIN deals"
                       " USING (client_id) ORDER BY client_id, deal_date")  # fmt: skip
    assert problems == []


def test_several_statements_are_told_to_be_one_select(crm: str) -> None:
    with pytest.raises(ContactsError) as info:
        list(read_rows(crm, "SELECT client_id AS id, email FROM clients; DROP TABLE clients"))
    said = str(info.value)
    assert said.endswith(
        "the contacts query failed: cannot insert multiple commands into a prepared statement;"
        " contacts.query must be one SELECT statement: remove the ';' and what follows it"
        " (greeter only reads the CRM; changes to it belong elsewhere)"
    )
    assert info.value.exit_code == EXIT_USAGE
    assert len(list(read_rows(crm, "SELECT * FROM clients;"))) == 4  # a closing ';' is one statement


@pytest.mark.parametrize(
    ("query", "several"),
    [
        ("SELECT 1", False),
        ("SELECT 1;  \n", False),
        ("SELECT ';' AS x", False),
        ('SELECT 1 AS "a;b" -- one; two\n', False),
        ("SELECT 1 /* ; */", False),
        ("SELECT 1; SELECT 2", True),
        ("SELECT 1;\n-- done\nDROP TABLE clients;", True),
    ],
)
def test_several_statements_are_told_apart_from_a_semicolon_in_a_text(query: str, several: bool) -> None:
    assert sql_source.several_statements(query) is several


def test_a_statement_timeout_behind_a_lock_names_the_setting_and_the_lock(crm: str) -> None:
    with databases.pg_admin() as locker:
        schema = crm.rsplit("schema=", 1)[1]
        locker.execute("BEGIN")
        locker.execute(f"ALTER TABLE {schema}.clients ADD COLUMN note TEXT")  # held until rollback
        try:
            with pytest.raises(ContactsError) as info:
                list(read_rows(crm, "SELECT client_id AS id, email FROM clients", timeout=1))
        finally:
            locker.execute("ROLLBACK")
    said = str(info.value)
    assert "the contacts query failed: canceling statement due to statement timeout;" in said  # the server's
    assert "statement_timeout (1s, contacts.query_timeout_seconds)" in said
    assert "a lock held on the table (an ALTER TABLE" in said
    assert said.endswith("if the query is only slow, raise contacts.query_timeout_seconds")
    assert info.value.exit_code == EXIT_TEMPFAIL  # as before: the lock may be gone next run
    lower = databases.with_query(crm, "options=-c%20statement_timeout%3D1500")
    with databases.pg_admin() as locker:
        locker.execute("BEGIN")
        locker.execute(f"LOCK TABLE {schema}.clients IN ACCESS EXCLUSIVE MODE")
        try:
            with pytest.raises(ContactsError) as info:
                list(read_rows(lower, "SELECT * FROM clients", timeout=300))
        finally:
            locker.execute("ROLLBACK")
    said = str(info.value)
    assert "(1500ms, set by the URL's options, the role or the server, not contacts.query_timeout" in said
    assert said.endswith("if the query is only slow, raise the statement_timeout set there")
