"""SQLite migration 11: ``greetings.state``'s CHECK in a form SQLite evaluates cheaply, every row kept.

Migration 1 checked ``state IN ('claimed', 'sent', …)``: SQLite evaluates a CHECK's IN list of
more than two values by filling an ephemeral table with it (``OpenEphemeral``) on every INSERT
and every UPDATE that sets ``state`` — ~75 K instructions of each letter sent, 7 % of the
sending process's per-letter cost under callgrind. Migration 11 rebuilds the table with the
same states as a chain of comparisons: a bogus state is refused all the same, an upgraded
journal keeps every row byte for byte, and a new journal ends identical to an upgraded one.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.journal import Journal
from greeter.journal_schema import MIGRATIONS, lock_path, migrate
from greeter.journal_sql import METRICS_INDEXES
from greeter.journal_store import STATES, ClaimRequest
from tests.conftest import MakeProject
from tests.test_journal_upgrade_guard import HOLDER
from tests.test_send_e2e import NOW, people

MOMENT = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)

#: The schema before the rebuild.
OLD = 10


def v10_journal(path: Path) -> None:
    """A journal at schema 10, as that greeter left it: a row in every state, every column varied
    (NULLs, a negative offset, a letter's bytes with a NUL in them, a subject beyond ASCII)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2027-01-10T09:00:00+00:00", migrations=MIGRATIONS[:OLD]) == OLD
    for i, state in enumerate(STATES):
        conn.execute(
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id,"
            " attempts, last_reply, reason, planned_at, send_day, utc_offset_minutes, next_attempt_at,"
            " merged, content_hash, created_at, updated_at, sent_at, payload, subject)"
            " VALUES (?, 'birthday', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"c{i}", f"2027-04-{i + 1:02}", state, f"c{i}@example.com", f"<{i}@greeter>", i,
                "250 2.0.0 Ok" if i % 2 else None, f"reason {i}" if i % 3 else None,
                f"2027-04-{i + 1:02}T06:00:00.000000+00:00", f"2027-04-{i + 1:02}", -300 + 60 * i,
                None if i % 2 else "2027-04-20T06:00:00.000000+00:00",
                '["womens_day"]' if i == 2 else "[]", f"{i:064x}", "2027-04-01T06:00:00.000000+00:00",
                "2027-04-02T06:00:00.000000+00:00", None if i % 2 else "2027-04-02T06:00:01.000000+00:00",
                None if i % 2 else b"From: x\r\n\r\n\x00\xff" * (i + 1), f"С днём рождения, {i}!",
            ),
        )  # fmt: skip
    conn.execute(  # the least a row holds: every default and NULL
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at, updated_at)"
        " VALUES ('bare', 'birthday', '2027-04-30', 'skipped', '2027-04-01', '2027-04-01')"
    )
    conn.close()


def rows(path: Path) -> list[tuple[object, ...]]:
    """Every ``greetings`` row with its rowid, each value as SQLite's ``quote()`` (type and bytes);
    its letter's bytes last, from the row (before migration 14) or from ``letters`` (since)."""
    conn = sqlite3.connect(path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(greetings)") if row[1] != "payload"]
        quoted = ", ".join(f"quote(g.{c})" for c in ["rowid", *columns])
        apart = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'letters'").fetchone()
        letter = "COALESCE((SELECT quote(payload) FROM letters l WHERE l.contact_id = g.contact_id AND"
        letter += " l.occasion = g.occasion AND l.occasion_date = g.occasion_date), 'NULL')"
        letter = letter if apart else "quote(g.payload)"
        return conn.execute(f"SELECT {quoted}, {letter} FROM greetings g ORDER BY g.rowid").fetchall()
    finally:
        conn.close()


def schema(path: Path, what: str = "") -> list[tuple[object, ...]]:
    """``sqlite_master`` less the root pages (where a table's b-tree happens to start)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            f"SELECT type, name, tbl_name, sql FROM sqlite_master {what} ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def columns(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA table_info(greetings)").fetchall()
    finally:
        conn.close()


def test_upgrading_a_schema_10_journal_keeps_every_row_column_and_index(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    v10_journal(path)
    before, table_before = rows(path), columns(path)
    indexes_before = schema(path, "WHERE type = 'index' AND tbl_name = 'greetings'")
    assert {row[4] for row in before} == {f"'{s}'" for s in STATES}, "a row in every state"
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        assert journal.upgraded == (OLD, len(MIGRATIONS))
        assert journal.counts_by_state() == {s: 2 if s == "skipped" else 1 for s in STATES}
    assert rows(path) == before, "every row, rowid and value (type and bytes) as it was"
    assert [c[1:] for c in columns(path)] == [c[1:] for c in table_before if c[1] != "payload"], (
        "the same columns in the same order, types, NOT NULLs, defaults, key (the letters' bytes"
        " in a table of their own since migration 14)"
    )
    # migration 11's rebuild kept every index; the later ones add /metrics' (journal_sql.METRICS_INDEXES)
    added = {sql.split()[2] for sql in METRICS_INDEXES}  # CREATE INDEX <name> ON …
    after = schema(path, "WHERE type = 'index' AND tbl_name = 'greetings'")
    assert [index for index in after if index[1] not in added] == indexes_before
    assert {index[1] for index in after} - {index[1] for index in indexes_before} == added
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        by_state = "SELECT contact_id FROM greetings INDEXED BY greetings_by_state WHERE state = 'retry'"
        assert conn.execute(by_state).fetchall() == [("c2",)]
        assert (
            "state IN"
            not in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'greetings'").fetchone()[0]
        )
    finally:
        conn.close()


def test_a_new_journal_ends_identical_to_an_upgraded_one(tmp_path: Path) -> None:
    upgraded, new = tmp_path / "upgraded.sqlite3", tmp_path / "new.sqlite3"
    v10_journal(upgraded)
    Journal.open(f"sqlite:///{upgraded}", now=MOMENT).close()
    Journal.open(f"sqlite:///{new}", now=MOMENT).close()
    assert schema(new) == schema(upgraded)


@pytest.mark.parametrize("bogus", ["bogus", "Sent", "sent ", "", "claimed' OR 'x"])
def test_a_state_outside_the_known_ones_is_still_refused(tmp_path: Path, bogus: str) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal.open(f"sqlite:///{path}", now=MOMENT).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        insert = (
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at, updated_at)"
            " VALUES (?, 'birthday', '2027-04-14', ?, 'now', 'now')"
        )
        for i, state in enumerate(STATES):
            conn.execute(insert, (str(i), state))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(insert, ("new", bogus))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute("UPDATE greetings SET state = ? WHERE contact_id = '0'", (bogus,))
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            conn.execute(insert, ("null", None))
        assert conn.execute("SELECT state FROM greetings ORDER BY rowid").fetchall() == [(s,) for s in STATES]
    finally:
        conn.close()


def test_a_letter_claimed_and_answered_builds_no_ephemeral_table(tmp_path: Path) -> None:
    """The statements the journal really runs for a letter (its claim, its verdict), as traced."""
    written: list[str] = []
    with Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", now=MOMENT) as journal:
        journal._conn.set_trace_callback(written.append)
        sent, failed = ("1", "birthday", date(2027, 4, 14)), ("2", "birthday", date(2027, 4, 14))
        claims = [
            ClaimRequest(key, f"{key[0]}@example.com", f"<{key[0]}@greeter>", MOMENT)
            for key in (sent, failed)
        ]
        assert journal.claim_many(claims, now=MOMENT) == [True, True]
        journal.mark_sent(sent, "250 2.0.0 Ok", MOMENT)
        journal.mark_failed(failed, "550 5.1.1 no such user", MOMENT)
        journal._conn.set_trace_callback(None)
        # A statement whose trigger runs (migration 14's, dropping the letter) is traced again as
        # the trigger's program starts: the same text, one statement.
        writes = [
            sql
            for i, sql in enumerate(written)
            if sql.lstrip().startswith(("INSERT INTO greetings", "UPDATE greetings"))
            and sql != written[i - 1]
        ]
        assert len(writes) == 4, written
        for sql in writes:
            program = [row[1] for row in journal._conn.execute(f"EXPLAIN {sql}")]
            assert "OpenEphemeral" not in program, sql


def test_a_schema_10_journal_is_not_rebuilt_under_an_older_greeter_sending_from_it(
    make_project: MakeProject,
) -> None:
    config = make_project(people(2))
    journal = config.parent / "data" / "journal.sqlite3"
    v10_journal(journal)
    before, tables = rows(journal), schema(journal)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(journal))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        result = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
        assert result.exit_code == 75, result.output
        assert f"stop it before upgrading the journal to schema {len(MIGRATIONS)}" in result.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    assert (schema(journal), rows(journal)) == (tables, before), "left as the older greeter knows it"
    result = CliRunner().invoke(main, ["--config", str(config), "history", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from schema {OLD} to {len(MIGRATIONS)}" in result.stderr
    assert rows(journal) == before
