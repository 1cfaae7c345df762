"""``storage.url``: a mistyped one never shows its password; ``postgres://`` is a PostgreSQL journal too.

Both reproduced by an operator: ``pgsql://postgres:S3cretPW@…`` was echoed in
full by the config error (``(got '…S3cretPW…')``), and ``postgres://``, which
``contacts.url`` takes (libpq reads both), was refused for the journal.
"""

from __future__ import annotations

import json

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


# --- a path meant absolute, written with three slashes --------------------------------------------


def test_three_slashes_before_var_are_the_project_s_folder_and_check_says_so(
    make_project: MakeProject,
) -> None:
    """``sqlite:///var/lib/greeter/journal.sqlite3`` is ``<project>/var/lib/greeter/…``; check said
    only "journal: var/lib/greeter/journal.sqlite3: no journal yet", and the first send made it there."""
    config = make_project(
        [contact_row("1", "a@example.com")], storage={"url": "sqlite:///var/lib/greeter/j.sqlite3"}
    )
    run = greeter(config, "check")
    where = (config.parent / "var/lib/greeter/j.sqlite3").absolute()
    assert f"no journal yet at {where} (the first send creates it)" in run.stdout, run.stdout
    assert (
        "storage.url: warning: the journal is " + str(where) + ": a path after sqlite:/// is relative to the"
        " config; did you mean sqlite:////var/lib/greeter/j.sqlite3 (four slashes: /var/lib/greeter/j.sqlite3)?"
    ) in run.stderr, run.stderr
    assert not (config.parent / "var").exists()  # check makes nothing


def test_a_folder_of_the_project_named_so_is_no_slip(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")], storage={"url": "sqlite:///var/j.sqlite3"})
    (config.parent / "var").mkdir()
    run = greeter(config, "check", "--json")
    assert "did you mean" not in run.stderr, run.stderr
    assert json.loads(run.stdout)["databases"]["journal"]["reachable"] is True


def test_a_plain_path_is_refused_with_examples(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")], storage={"url": "/var/lib/greeter/j.sqlite3"})
    run = greeter(config, "check")
    assert run.returncode == 2
    assert (
        "sqlite:////var/lib/greeter/journal.sqlite3 (an absolute path: four slashes)"
        in run.stderr + run.stdout
    )
