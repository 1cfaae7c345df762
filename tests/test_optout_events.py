"""Opt-out events: every opt-out and its lifting kept as a dated record, through the real CLI and
journal (SQLite file) and on both backends (SQLite, PostgreSQL) for the journal's part.

An auditor asked "you wrote to me after I opted out": before, ``unsuppress`` deleted the entry
and nothing said it had ever been there; an erasure's entry went with one command and a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.journal_store import JournalStore, PersonOptOut, Suppression
from tests import databases
from tests.conftest import MakeProject, contact_row

DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in range(1, 5)]
GONE = "client01@example.com"
MOMENT = datetime(2027, 4, 12, 7, 0, tzinfo=UTC)


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def events(config: Path, *emails: str) -> list[dict[str, str | None]]:
    result = greeter(config, "suppress", "--list", "--all", *emails, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, str | None]] = json.loads(result.stdout)
    return rows


def listed(config: Path) -> set[str]:
    result = greeter(config, "suppress", "--list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["email"] for row in json.loads(result.stdout) if row["email"]}


def test_an_opt_out_and_its_lifting_stay_on_record_with_who_and_why(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    added = greeter(config, "suppress", "client02@example.com", "--reason", "asked by phone", "--by", "olga",
                    "--now", "2027-04-01T10:00:00+03:00")  # fmt: skip
    assert added.exit_code == 0, added.output

    lifted = greeter(config, "unsuppress", "client02@example.com", "--by", "boris", "--reason",
                     "client asked to be greeted again", "--now", "2027-04-05T11:00:00+03:00")  # fmt: skip

    assert lifted.exit_code == 0, lifted.output
    assert listed(config) == set()  # --list shows what is in force
    shown = [
        (e["event"], e["email"], e["contact_id"], e["channel"], e["reason"], e["by"], e["recorded_at"])
        for e in events(config)
    ]
    assert shown == [
        ("added", "client02@example.com", None, "manual", "asked by phone", "olga", "2027-04-01T07:00:00+00:00"),
        ("added", "client02@example.com", "2", "manual", "asked by phone", "olga", "2027-04-01T07:00:00+00:00"),
        ("lifted", "client02@example.com", None, "manual", "client asked to be greeted again", "boris",
         "2027-04-05T08:00:00+00:00"),
        ("lifted", "client02@example.com", "2", "manual", "client asked to be greeted again", "boris",
         "2027-04-05T08:00:00+00:00"),
    ]  # fmt: skip
    # One address's events: an access request's answer, as --list EMAIL is for what is in force.
    assert [e["event"] for e in events(config, "Client02@Example.com")] == [
        "added",
        "added",
        "lifted",
        "lifted",
    ]


def test_each_channel_is_named(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text("Email;Причина;Дата\nclient03@example.com;просил не писать;01.12.2026\n", encoding="utf-8")
    assert greeter(config, "suppress", "--from-csv", str(dnc), "--by", "crm-sync").exit_code == 0
    assert greeter(config, "forget", GONE, "--yes").exit_code == 0

    found = {(e["email"], e["contact_id"]): e for e in events(config)}

    imported = found["client03@example.com", None]
    assert (imported["channel"], imported["reason"], imported["by"]) == (
        "import",
        "просил не писать",
        "crm-sync",
    )
    # the file's date, recorded when imported: the day's start in defaults.timezone (Moscow)
    assert imported["since"] == "2026-11-30T21:00:00+00:00"
    erased = found[GONE, None]
    assert (erased["event"], erased["channel"], erased["reason"]) == ("added", "erasure", "erasure request")


def test_unsuppress_of_an_erasure_is_refused_without_force_and_stays_on_record(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "forget", GONE, "--yes", "--by", "dpo-anna").exit_code == 0

    refused = greeter(config, "unsuppress", GONE.upper(), "--now", NOW)

    assert refused.exit_code == 2, refused.output
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"argument 1: '{GONE}' was put on the list by an erasure request on ")
    assert line.endswith(
        "nothing removed; add --force to take it off all the same (the erasure stays on record)"
    )
    assert GONE in listed(config)

    forced = greeter(config, "unsuppress", GONE, "--force", "--by", "dpo", "--reason", "client returned",
                     "--now", NOW)  # fmt: skip

    assert forced.exit_code == 0, forced.output
    assert GONE not in listed(config)
    trail = [
        (e["event"], e["channel"], e["reason"], e["by"])
        for e in events(config, GONE)
        if e["contact_id"] is None
    ]
    assert trail == [
        ("added", "erasure", "erasure request", "dpo-anna"),
        ("lifted", "manual", "client returned", "dpo"),
    ]


def test_unsuppress_contact_of_an_erased_person_needs_force(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "forget", GONE, "--yes").exit_code == 0

    refused = greeter(config, "unsuppress", "--contact", "1", "--now", NOW)

    assert refused.exit_code == 2, refused.output
    assert refused.stderr.startswith("unsuppress --contact: contact '1' was opted out by an erasure request")
    assert greeter(config, "unsuppress", "--contact", "1", "--force", "--now", NOW).exit_code == 0


def test_the_list_export_labels_its_utc_times_and_reads_back(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client02@example.com", "--now", NOW).exit_code == 0
    out = config.parent / "s.csv"

    assert greeter(config, "suppress", "--list", "-o", str(out)).exit_code == 0

    text = out.read_text(encoding="utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))[:2]
    assert header[:3] == ["email", "reason", "created_at_utc"]
    assert row[2] == "2027-04-12 14:29:00"
    assert greeter(config, "unsuppress", "client02@example.com", "--now", NOW).exit_code == 0
    assert greeter(config, "suppress", "--from-csv", str(out), "--now", NOW).exit_code == 0
    (entry,) = json.loads(greeter(config, "suppress", "--list", "--json").stdout)
    assert entry["created_at"] == "2027-04-12T14:29:00+00:00"  # the date came back, as UTC
    assert entry["contact_ids"] == ["2"]


def test_history_exports_the_sha256_of_the_bytes_sent(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    letters = sorted((config.parent / "data" / "outbox").glob("*.eml"))
    assert len(letters) == len(CLIENTS)

    rows = json.loads(greeter(config, "history", "--format", "json").stdout)
    csv_rows = list(csv.DictReader(io.StringIO(greeter(config, "history", "--format", "csv").stdout)))

    digests = {r["content_sha256"] for r in rows}
    assert {hashlib.sha256(eml.read_bytes()).hexdigest() for eml in letters} == digests  # the exact bytes
    assert {r["content_sha256"] for r in csv_rows} == digests
    assert all(len(d) == 64 for d in digests)
    out = config.parent / "h.xlsx"
    assert greeter(config, "history", "-o", str(out)).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True).active
    assert sheet is not None
    head = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "content_sha256" in head


# --- the journal's part, on both backends -------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        yield journal


def test_every_write_to_the_list_is_an_event_on_both_backends(journal: JournalStore) -> None:
    later = MOMENT + timedelta(days=1)
    since = MOMENT - timedelta(days=30)
    journal.suppress(["bounced@example.com"], "bounced: 550 no such user", MOMENT, channel="bounce")
    journal.suppress_dated(
        [Suppression("Imported@Example.com", "from CRM", since)], channel="import", by="sync", now=MOMENT
    )
    journal.suppress_dated(
        [Suppression("imported@example.com", "again", MOMENT)], channel="import", now=MOMENT
    )
    journal.opt_out(
        ["clicked@example.com"], "unsubscribed", MOMENT, {"clicked@example.com": {"7"}}, channel="link"
    )
    journal.restore_opt_outs([PersonOptOut("9", "", "asked by phone", MOMENT)], channel="manual", by="olga")
    assert (
        journal.unsuppress(["IMPORTED@example.com", "nobody@example.com"], later, by="boris", reason="why")
        == 1
    )
    assert [o.contact_id for o in journal.lift_opt_outs(contact_ids=["9"], now=later, by="boris")] == ["9"]

    shown = [
        (e.event, e.email, e.contact_id, e.channel, e.reason, e.by, e.since) for e in journal.optout_events()
    ]

    assert shown == [
        ("added", "", "9", "manual", "asked by phone", "olga", MOMENT),  # one moment: by address
        ("added", "bounced@example.com", None, "bounce", "bounced: 550 no such user", None, MOMENT),
        ("added", "clicked@example.com", None, "link", "unsubscribed", None, MOMENT),
        ("added", "clicked@example.com", "7", "link", "unsubscribed", None, MOMENT),
        ("added", "imported@example.com", None, "import", "from CRM", "sync", since),  # the repeat: no event
        ("lifted", "", "9", "manual", "", "boris", None),
        ("lifted", "imported@example.com", None, "manual", "why", "boris", None),
    ]
    assert [e.recorded_at for e in journal.optout_events("imported@example.com")] == [MOMENT, later]


def test_forget_keeps_the_events_but_not_their_free_text(journal: JournalStore) -> None:
    journal.opt_out(["gone@example.com"], "called, +7 913 000 00 00", MOMENT, {"gone@example.com": {"1"}})
    journal.unsuppress(["gone@example.com"], MOMENT + timedelta(hours=1), by="olga", reason="Ivan asked")

    journal.forget("gone@example.com", MOMENT + timedelta(days=1), contact_ids=["1"])

    trail = journal.optout_events("gone@example.com")
    assert [(e.event, e.channel) for e in trail] == [
        ("added", "manual"), ("added", "manual"), ("lifted", "manual"), ("added", "erasure"),
        ("added", "erasure"),
    ]  # fmt: skip
    assert {e.reason for e in trail} == {"erasure request", "erased on 2027-04-13: reason removed"}
    assert {e.by for e in trail} == {None, "olga"}  # who lifted it is the bank's, not the person's


def test_a_sqlite_journal_of_schema_11_is_upgraded_and_records_from_then_on(tmp_path: Path) -> None:
    """Migration 12 adds the table to a journal as it is: its list stays, with no invented past."""
    import sqlite3

    from greeter.journal import Journal
    from greeter.journal_schema import MIGRATIONS, migrate

    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2026-11-23T09:00:00+00:00", migrations=MIGRATIONS[:11]) == 11
    conn.execute("INSERT INTO suppression VALUES ('old@example.com', 'manual', '2026-11-23T09:00:00+00:00')")
    conn.close()

    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        assert journal.optout_events() == []
        assert journal.unsuppress(["old@example.com"], MOMENT, by="olga") == 1
        assert [(e.event, e.email, e.by) for e in journal.optout_events()] == [
            ("lifted", "old@example.com", "olga")
        ]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == len(MIGRATIONS) >= 12


def test_a_postgresql_journal_of_schema_7_is_upgraded_and_records_from_then_on() -> None:
    from greeter import journal_pg_schema
    from greeter.journal_pg import PgJournal

    migrations = journal_pg_schema.MIGRATIONS
    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=MOMENT, migrations=migrations[:7])
        conn.execute("INSERT INTO suppression VALUES ('old@example.com', 'manual', now())")
        with PgJournal.open(url, now=MOMENT) as journal:
            assert journal.optout_events() == []
            assert journal.unsuppress(["old@example.com"], MOMENT, by="olga") == 1
            assert [(e.event, e.by) for e in journal.optout_events()] == [("lifted", "olga")]
        versions = conn.execute(f"SELECT max(version) FROM {name}.schema_version").fetchone()
        assert versions is not None and versions[0] == len(migrations) >= 8


def test_an_events_file_is_not_taken_for_a_list(make_project: MakeProject) -> None:
    """``--from-csv`` of ``--list --all``'s file would list again every address ever lifted."""
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client02@example.com", "--now", NOW).exit_code == 0
    assert greeter(config, "unsuppress", "client02@example.com", "--now", NOW).exit_code == 0
    for suffix in ("csv", "json"):
        out = config.parent / f"events.{suffix}"
        assert greeter(config, "suppress", "--list", "--all", "-o", str(out)).exit_code == 0

        result = greeter(config, "suppress", "--from-csv", str(out))

        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{out}: this is greeter's record of opt-out events")
    assert listed(config) == set()
