"""A contacts database that does not answer, through the real CLI: check, ``send --once --json``, ``--now`` help.

``ContactsUnavailableError`` (exit 75) reached ``send --once`` and
``preview``, but ``greeter check`` turned it into a plain ``ContactsError``
(exit 2, one line, none of its other sections), ``send --once --json``
printed nothing on stdout for a ``| jq`` to read, and ``approve`` and
``uncertain`` showed a ``--now`` help that spoke of send and run only.
The down database is a loopback port nobody listens on.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.sources.sql_source import FETCH_ROWS
from greeter.testing import free_port
from tests import databases
from tests.conftest import HEADER, MakeProject, contact_row
from tests.faults import greeter
from tests.test_ops_json import KEYS

NOW = "2027-04-14T11:00:00+03:00"
QUERY = 'SELECT 1 AS "ID"'


def _down() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/test"


def _crm(make_project: MakeProject, url: str, **changes: object) -> Path:
    return make_project([], contacts={"source": "sql", "url": url, "query": QUERY}, **changes)


# --- 1: check reports every section, and the contacts database as unreachable -------------------


def test_check_reports_every_section_and_a_contacts_database_that_is_down(make_project: MakeProject) -> None:
    down = _down()
    config = _crm(make_project, down)
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 75, (result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{config}: config OK", lines
    (crm,) = [line for line in lines if line.startswith("contacts: postgresql://")]
    assert crm.startswith(f"contacts: {down}: cannot connect: ") and "Connection refused" in crm, crm
    assert "contacts: not read (see the contacts database above)" in lines, lines
    assert any(line.startswith("journal: ") for line in lines), lines
    assert any(line.startswith("templates: birthday (") for line in lines), lines
    assert lines[-1] == "check: 1 problem(s)", lines
    (problem,) = [line for line in result.stderr.splitlines() if "contacts.url" in line]
    assert problem.startswith(f"{down}: contacts.url: cannot connect: "), result.stderr
    # Nothing about the audience: with no contact read, "a tag no contact has" would be untrue.
    assert "no contact has" not in result.stderr, result.stderr


def test_check_json_has_the_whole_summary_with_the_contacts_database_unreachable(
    make_project: MakeProject,
) -> None:
    config = _crm(make_project, _down())
    result = greeter(config, "check", "--json", "--now", NOW)
    assert result.returncode == 75, result.stderr
    summary = json.loads(result.stdout)
    crm = summary["databases"]["contacts"]
    assert not crm["reachable"] and crm["detail"].startswith("cannot connect: "), crm
    assert summary["databases"]["journal"]["reachable"] and summary["errors"] == 1, summary
    assert summary["templates"] and summary["config_problems"] == 0, summary


def test_check_reports_a_contacts_query_that_times_out_mid_read_as_the_database_down(
    make_project: MakeProject,
) -> None:
    """The probe answered, the query did not: the read's error ended check with its one line."""
    columns = HEADER.split(";")
    query = 'SELECT pg_sleep(2)::text AS "ID", ' + ", ".join(f'NULL::text AS "{c}"' for c in columns[1:])
    slow = databases.with_query(databases.require_pg(), "options=-c%20statement_timeout%3D200")
    config = make_project([], contacts={"source": "sql", "url": slow, "query": query})
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 75, (result.stdout, result.stderr)
    (crm,) = [line for line in result.stdout.splitlines() if line.startswith("contacts: postgresql://")]
    assert "reading contacts failed after row 0: canceling statement due to statement timeout; " in crm, crm
    assert crm.endswith("if the query is only slow, raise the statement_timeout set there"), crm
    assert "contacts: not read (see the contacts database above)" in result.stdout
    assert (
        "templates: birthday (" in result.stdout and "contacts.url: reading contacts failed" in result.stderr
    )


def test_check_counts_the_rows_read_before_the_contacts_database_stopped_answering(
    make_project: MakeProject,
) -> None:
    """The first batch of rows is read and checked; the second FETCH times out.

    1.5 s for the first batch: 300 ms failed it once on a machine busy with a CI run.
    """
    names = {"Email": "'c' || g || '@example.com'", "Дата рождения": "'13.04.1980'"}
    columns = ", ".join(f'{names.get(c, "NULL::text")} AS "{c}"' for c in HEADER.split(";")[1:])
    late = f"CASE WHEN g > {FETCH_ROWS} THEN pg_sleep(2)::text END"  # only the rows of the second batch
    query = f"SELECT g::text || COALESCE({late}, '') AS \"ID\", {columns} FROM generate_series(1, 2500) g"
    slow = databases.with_query(databases.require_pg(), "options=-c%20statement_timeout%3D1500")
    config = make_project([], contacts={"source": "sql", "url": slow, "query": query})
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 75, (result.stdout, result.stderr)
    said = f"contacts: {FETCH_ROWS} loaded from {FETCH_ROWS} rows before the database stopped answering,"
    assert said in result.stdout, result.stdout
    assert "no contact has" not in result.stderr, result.stderr  # the audience of a part is no news
    assert result.stdout.splitlines()[-1] == "check: 1 problem(s)", result.stdout


def test_check_exits_1_when_a_mistake_besides_the_down_database_needs_a_person(
    make_project: MakeProject,
) -> None:
    """75 says "try again later": not when a template is broken too — retrying cannot fix it."""
    config = _crm(make_project, _down())
    template = config.parent / "templates" / "birthday.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ 1 | no_such_filter }}\n", encoding="utf-8")
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 1, (result.stdout, result.stderr)
    # The down database, and the appended line's two problems (text outside a block, an unknown
    # filter): check says every shape problem of a template, not only the first.
    assert result.stdout.splitlines()[-1] == "check: 3 problem(s)", result.stdout


def test_check_treats_a_journal_that_is_down_as_the_contacts_database(make_project: MakeProject) -> None:
    """The same exit code for either database down (README: 75 "for every command" when the journal is)."""
    config = make_project(
        [contact_row("1", "a@example.com", birthday="13.04.1980")], storage={"url": _down() + "?schema=g"}
    )
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert "contacts: 1 loaded from 1 rows" in result.stdout and "journal: " in result.stdout, result.stdout


def test_check_still_exits_2_for_a_contacts_database_that_refuses_the_login(
    make_project: MakeProject,
) -> None:
    """A role that does not exist is the config's to fix (a ContactsError, as for send), but the rest is checked."""
    wrong = databases.require_pg().replace("://postgres@", "://fix_down_no_such_role@")
    config = _crm(make_project, wrong)
    result = greeter(config, "check", "--now", NOW)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "fix_down_no_such_role" in result.stderr and "templates: birthday (" in result.stdout


# --- 2: send --once --json prints the summary when the contacts database is down -----------------


def test_send_json_prints_the_summary_with_the_reason_when_the_contacts_database_is_down(
    make_project: MakeProject,
) -> None:
    config = _crm(make_project, _down())
    for extra in ((), ("--dry-run",)):
        result = greeter(config, "send", "--once", "--json", "--now", NOW, *extra)
        assert result.returncode == 75, (extra, result.stderr)
        summary = json.loads(result.stdout)
        assert set(summary) == KEYS, sorted(set(summary) ^ KEYS)
        assert summary["contacts_unavailable"].startswith("postgresql://"), summary
        assert "cannot connect" in summary["contacts_unavailable"], summary
        assert summary["journal_unavailable"] is None and summary["due"] is None and summary["sent"] == 0
        assert summary["dry_run"] is bool(extra)


def test_send_says_in_one_line_that_nothing_was_sent_when_the_contacts_database_is_down(
    make_project: MakeProject,
) -> None:
    config = _crm(make_project, _down())
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.returncode == 75 and result.stdout == "", result.stdout
    (line,) = result.stderr.splitlines()
    assert "cannot connect" in line and line.endswith(
        "; nothing was sent: run again once the contacts database answers"
    ), line


# --- 3: --now's help for the commands that write the journal but do not send --------------------


def test_approve_and_uncertain_say_what_now_means_for_them() -> None:
    for command, words in (
        ("approve", "the approvals are recorded in the config's own journal as made at that moment"),
        ("uncertain", "the decision is recorded in the config's own journal as made at that moment"),
    ):
        shown = CliRunner().invoke(main, [command, "--help"]).stdout
        now = " ".join(shown.split("--now DATETIME", 1)[1].split("-h, --help", 1)[0].split())
        assert "send and run record" not in now, (command, now)
        assert words in now.lower(), (command, now)
