"""``storage.url``: a mistyped one never shows its password; ``postgres://`` is a PostgreSQL journal too.

Both reproduced by an operator: ``pgsql://postgres:S3cretPW@…`` was echoed in
full by the config error (``(got '…S3cretPW…')``), and ``postgres://``, which
``contacts.url`` takes (libpq reads both), was refused for the journal.
"""

from __future__ import annotations

import psycopg

from tests.conftest import MakeProject, contact_row
from tests.databases import require_pg, unique, with_query
from tests.faults import greeter


def test_a_wrong_scheme_is_said_without_the_password(make_project: MakeProject) -> None:
    url = "pgsql://postgres:S3cretPW@127.0.0.1:5432/test?schema=x"
    config = make_project([contact_row("1", "a@example.com")], storage={"url": url})
    run = greeter(config, "check")
    assert run.returncode == 2
    assert "storage.url: should start with sqlite:// or postgresql://" in run.stderr + run.stdout
    assert "(got 'pgsql://postgres@127.0.0.1:5432/test?schema=x')" in run.stderr + run.stdout
    assert "S3cretPW" not in run.stderr + run.stdout


def test_postgres_scheme_is_a_postgresql_journal(make_project: MakeProject) -> None:
    base = require_pg()
    schema = unique("storage_url")
    url = with_query(base.replace("postgresql://", "postgres://", 1), f"schema={schema}")
    config = make_project(
        [contact_row("1", "a@example.com", birthday="13.04.1980", tz="Asia/Vladivostok")],
        storage={"url": url},
    )
    try:
        run = greeter(
            config, "send", "--once", "--now", "2027-04-14T05:00:00+03:00"
        )  # a Tuesday noon in Vladivostok
        assert run.returncode == 0, run.stdout + run.stderr
        assert "sent: 1" in run.stdout
        with psycopg.connect(base) as conn:
            states = conn.execute(f'SELECT state FROM "{schema}".greetings').fetchall()
        assert states == [("sent",)]
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
