"""What a CRM admin reading contacts straight from MariaDB met (PostgreSQL's side of the same, too).

1. A ``TIMESTAMP`` is a moment, read in the session's ``time_zone``: a first deal written at
   ``2015-12-07 00:30`` in Moscow read ``2015-12-06 21:30`` on a UTC server. Its day is now the
   day in ``defaults.timezone``, as for a ``timestamptz``; a ``DATETIME`` keeps its written day.
2. A ``BIT(1)`` opt-out column came as bytes, read as ``'\\x01'``: neither yes nor no, so every
   contact was do-not-contact. A BIT is now its number.
3. UTF-8 names in a legacy latin1 column (``Ð˜Ð²Ð°Ð½``) went into letters unnoticed, or failed as
   "a control character U+0090": the row is now rejected with the text it should be and the fix.
4. The contacts query had no bound: a ``LOCK TABLES … WRITE`` held elsewhere held ``send`` for a
   day. ``contacts.query_timeout_seconds`` bounds it (MariaDB and PostgreSQL).
5. A query killed (``KILL QUERY``, the timeout) was exit 2, a config error; now exit 75.

Real servers, throw-away databases/schemas (``tests/databases.py``); the lock is held by another
connection of the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.errors import ContactsUnavailableError
from greeter.sources import load_contacts
from greeter.sources.sql_mariadb import mysql_session
from greeter.sources.sql_source import read_rows
from tests import databases
from tests.conftest import MakeProject
from tests.faults import greeter

ROOT = Path(__file__).resolve().parent.parent
NOW = "2027-04-14T11:00:00+03:00"
#: Only id and e-mail, unless a test names more.
BARE = Columns(first_name=None, patronymic=None, last_name=None)


@pytest.fixture
def maria() -> Iterator[tuple[str, str]]:
    """(source URL, database name) of a fresh MariaDB database."""
    with databases.mysql_database() as made:
        yield made


def _run(name: str, *statements: str, args: tuple[object, ...] | None = None) -> None:
    with databases.mysql_connect(name) as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement, args)


def _source(url: str, query: str, columns: Columns = BARE, **more: object) -> ContactsSource:
    return ContactsSource(source="sql", url=url, query=query, columns=columns, **more)  # type: ignore[arg-type]


# --- 1: TIMESTAMP is a moment ------------------------------------------------------------------


def test_a_mariadb_timestamp_is_the_day_in_the_default_zone_and_a_datetime_keeps_its_day(
    maria: tuple[str, str],
) -> None:
    url, name = maria
    _run(
        name,
        "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99), deal TIMESTAMP NULL, founded DATETIME)",
        # Written by a Moscow CRM: the session's zone is Moscow's offset.
        "SET time_zone = '+03:00'",
        "INSERT INTO clients VALUES ('1', 'a@example.com', '2015-12-07 00:30', '2010-03-01 23:30'),"
        " ('2', 'b@example.com', '1999-01-01 02:00', '2011-01-01 00:00')",
    )
    query = "SELECT id, email, deal AS birthday, founded FROM clients ORDER BY id"
    cfg = _source(url, query, dates={"birthday": "birthday", "company_founded": "founded"})
    for zone, days in (
        ("Europe/Moscow", [date(2015, 12, 7), date(1999, 1, 1)]),
        ("America/New_York", [date(2015, 12, 6), date(1998, 12, 31)]),
    ):
        contacts, report = load_contacts(cfg, Defaults(timezone=zone))
        assert not report.problems, report.problems
        assert [c.dates["birthday"] for c in contacts] == days, zone
        assert [c.dates["company_founded"] for c in contacts] == [date(2010, 3, 1), date(2011, 1, 1)], zone


# --- 2: BIT is a number ------------------------------------------------------------------------


def test_a_bit_opt_out_column_reads_as_0_or_1_and_other_bytes_stay_text(maria: tuple[str, str]) -> None:
    url, name = maria
    _run(
        name,
        "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99), dnc BIT(1), mask BIT(8), note BLOB)",
        "INSERT INTO clients VALUES ('1', 'a@example.com', b'0', b'101', 'привет'),"
        " ('2', 'b@example.com', b'1', b'0', NULL), ('3', 'c@example.com', NULL, NULL, 'x')",
    )
    query = "SELECT id, email, dnc, mask, note FROM clients ORDER BY id"
    columns = Columns(first_name=None, patronymic=None, last_name=None, do_not_contact="dnc")
    contacts, report = load_contacts(_source(url, query, columns), Defaults())
    assert not report.problems, report.problems
    assert [c.do_not_contact for c in contacts] == [None, "dnc", None]
    assert [dict(c.extra) for c in contacts] == [
        {"mask": "5", "note": "привет"},
        {"mask": "0", "note": ""},
        {"mask": "", "note": "x"},
    ]


# --- 3: UTF-8 read as Latin-1 ------------------------------------------------------------------

#: Names as a CRM writing UTF-8 into a latin1 column left them: «Иван» reads back all printable,
#: «Аркадий» with U+0090 (MariaDB's latin1 keeps cp1252's undefined 0x90 as that control).
GARBLED = {"1": "Иван", "2": "Аркадий"}


def test_utf8_names_in_a_latin1_column_reject_their_row_with_the_name_meant_and_the_fix(
    maria: tuple[str, str],
) -> None:
    url, name = maria
    _run(
        name,
        "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99), first_name VARCHAR(50) CHARACTER SET latin1,"
        " last_name VARCHAR(50) CHARACTER SET utf8mb4)",
    )
    for cid, first in GARBLED.items():
        _run(
            name,
            "INSERT INTO clients VALUES (%s, %s, UNHEX(%s), 'Петров')",
            args=(cid, f"c{cid}@example.com", first.encode().hex()),
        )
    _run(name, "INSERT INTO clients VALUES ('3', 'c3@example.com', 'Muller', 'Müller')")
    query = "SELECT id, email, first_name, last_name FROM clients ORDER BY id"
    columns = Columns(patronymic=None)
    contacts, report = load_contacts(_source(url, query, columns), Defaults())
    assert [c.id for c in contacts] == ["3"]  # and «Müller» is not taken for garbled text
    rows = [p for p in report.problems if p.kind == "row"]  # then the column's note (test_name_data)
    assert [(p.line, p.field, p.severity) for p in rows] == [
        (1, "first_name", "error"),
        (2, "first_name", "error"),
    ]
    for problem, meant in zip(rows, GARBLED.values(), strict=True):
        assert f"is UTF-8 text read as Latin-1 (most likely '{meant}')" in problem.message, problem
        assert "CONVERT(BINARY CONVERT(col USING latin1) USING utf8mb4) AS col" in problem.message
    # The fix the message gives reads them right.
    fixed = "SELECT id, email, CONVERT(BINARY CONVERT(first_name USING latin1) USING utf8mb4) AS first_name,"
    contacts, report = load_contacts(_source(url, f"{fixed} last_name FROM clients", columns), Defaults())
    assert not report.problems, report.problems
    assert sorted(c.first_name for c in contacts) == ["Muller", "Аркадий", "Иван"]


def test_a_utf8_csv_read_as_cp1252_rejects_the_garbled_rows_and_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "id;email;first\n1;a@example.com;Иван\n2;b@example.com;Jürgen\n3;c@example.com;Anna\n",
        encoding="utf-8",
    )
    columns = Columns(first_name="first", patronymic=None, last_name=None)
    cfg = ContactsSource(path=path, encoding="cp1252", columns=columns)
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.first_name for c in contacts] == ["Anna"]
    rows = [p for p in report.problems if p.kind == "row"]  # then the column's note (test_name_data)
    assert [p.line for p in rows] == [2, 3], report.problems
    for problem, meant in zip(rows, ("Иван", "Jürgen"), strict=True):
        assert f"(most likely '{meant}')" in problem.message and "contacts.encoding" in problem.message, (
            problem
        )
    contacts, report = load_contacts(cfg.model_copy(update={"encoding": "utf-8"}), Defaults())
    assert [c.first_name for c in contacts] == ["Иван", "Jürgen", "Anna"] and not report.problems


@pytest.mark.parametrize(
    "name",
    ["RÕŽKOV", "MÕŠKIN", "KRÕŠIN", "LÕŽIN", "Weiß™ GmbH", "Szőke", "Šešelj", "Živko", "Rõžkov", "Jürgen"],
)
def test_real_names_whose_letters_happen_to_read_as_utf8_are_loaded(tmp_path: Path, name: str) -> None:
    """Õ then Ž (Estonian capitals), ß then ™ are valid UTF-8 too, but of Armenian and N'Ko letters:
    such a row was rejected as garbled and the client never greeted."""
    path = tmp_path / "contacts.csv"
    path.write_text(f"id;email;first\n1;a@example.com;{name}\n", encoding="utf-8")
    cfg = ContactsSource(path=path, columns=Columns(first_name="first", patronymic=None, last_name=None))
    contacts, report = load_contacts(cfg, Defaults())
    # (a name in capitals is loaded as «Rõžkov»: names are normalised)
    assert [c.first_name.casefold() for c in contacts] == [name.casefold()], report.problems
    assert not report.problems, report.problems


# --- 4 and 5: a bound on the query, and a stopped query is temporary -----------------------------


def test_the_mysql_session_is_utc_and_bounded_in_each_flavours_words() -> None:
    assert mysql_session("5.5.5-10.11.19-MariaDB-0+deb12u1", 2) == (
        "SET time_zone = '+00:00', lock_wait_timeout = 2, max_statement_time = 2"
    )
    assert (
        mysql_session("8.0.36", 2)
        == "SET time_zone = '+00:00', lock_wait_timeout = 2, MAX_EXECUTION_TIME = 2000"
    )


def test_a_mariadb_table_locked_elsewhere_stops_the_query_at_the_timeout_as_unavailable(
    maria: tuple[str, str],
) -> None:
    url, name = maria
    _run(name, "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99))")
    with databases.mysql_connect(name) as holder, holder.cursor() as cur:
        cur.execute("LOCK TABLES clients WRITE")
        try:
            with pytest.raises(ContactsUnavailableError) as caught:
                list(read_rows(url, "SELECT id, email FROM clients", timeout=1))
        finally:
            cur.execute("UNLOCK TABLES")
    said = str(caught.value)
    assert "the contacts query failed: " in said and ("(error 1969)" in said or "(error 1205)" in said), said
    assert caught.value.exit_code == 75


def test_a_postgresql_table_locked_elsewhere_stops_the_query_at_the_timeout_as_unavailable() -> None:
    with databases.pg_schema() as (_, schema), databases.pg_admin() as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        admin.execute(f"CREATE TABLE {schema}.clients (id TEXT, email TEXT)")
        with databases.pg_admin() as holder:
            holder.autocommit = False
            holder.execute(f"LOCK TABLE {schema}.clients IN ACCESS EXCLUSIVE MODE")
            try:
                with pytest.raises(ContactsUnavailableError) as caught:
                    list(read_rows(databases.PG_URL, f"SELECT id, email FROM {schema}.clients", timeout=1))
            finally:
                holder.rollback()
    assert "statement timeout" in str(caught.value), caught.value
    assert caught.value.exit_code == 75


def _wait_for_query(name: str, proc: subprocess.Popen[str]) -> int:
    """The id of the MariaDB session running greeter's contacts query on ``name`` (waiting for it)."""
    with databases.mysql_connect() as conn, conn.cursor() as cur:
        for _ in range(600):
            cur.execute(
                "SELECT id FROM information_schema.processlist WHERE db = %s AND info LIKE %s",
                (name, "SELECT id, email FROM clients%"),
            )
            row = cur.fetchone()
            if row is not None:
                return int(row[0])
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
    raise AssertionError("greeter's contacts query never reached the server")


def test_send_exits_75_saying_nothing_was_sent_when_a_dba_kills_the_contacts_query(
    make_project: MakeProject, maria: tuple[str, str]
) -> None:
    url, name = maria
    _run(name, "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99))")
    config = make_project(
        [], contacts={"source": "sql", "url": url, "query": "SELECT id, email FROM clients"}
    )
    env = {k: v for k, v in os.environ.items() if k != "GREETER_CONFIG"} | {"PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "greeter",
        "--config",
        str(config),
        "send",
        "--once",
        "--json",
        "--now",
        NOW,
    ]
    with databases.mysql_connect(name) as holder, holder.cursor() as cur:
        cur.execute("LOCK TABLES clients WRITE")  # the query waits: the DBA kills it
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            cur.execute(f"KILL QUERY {_wait_for_query(name, proc)}")
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            cur.execute("UNLOCK TABLES")
    assert proc.returncode == 75, (stdout, stderr)
    assert json.loads(stdout)["contacts_unavailable"].endswith(
        "; nothing was sent: run again once the contacts database answers"
    ), stdout
    assert "(error 1317)" in stderr and stderr.rstrip().endswith(
        "; nothing was sent: run again once the contacts database answers"
    ), stderr


def test_send_stops_at_contacts_query_timeout_seconds_when_the_table_is_locked_elsewhere(
    make_project: MakeProject, maria: tuple[str, str]
) -> None:
    """The setting reaches the session: a lock held past it is exit 75, "nothing was sent"."""
    url, name = maria
    _run(name, "CREATE TABLE clients (id VARCHAR(9), email VARCHAR(99))")
    contacts = {
        "source": "sql",
        "url": url,
        "query": "SELECT id, email FROM clients",
        "query_timeout_seconds": 1,
    }
    config = make_project([], contacts=contacts)
    with databases.mysql_connect(name) as holder, holder.cursor() as cur:
        cur.execute("LOCK TABLES clients WRITE")
        try:
            result = greeter(config, "send", "--once", "--now", NOW)
        finally:
            cur.execute("UNLOCK TABLES")
    assert result.returncode == 75, (result.stdout, result.stderr)
    # Both bounds are the timeout: max_statement_time (1969) or lock_wait_timeout (1205), whichever
    # the server checks first.
    said = result.stderr
    assert ("(error 1969)" in said or "(error 1205)" in said) and said.rstrip().endswith(
        "; nothing was sent: run again once the contacts database answers"
    ), result.stderr
