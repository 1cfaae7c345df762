"""SQLite migration 14: an unsent letter's bytes in a table of their own, not in its greeting's row.

In ``greetings.payload`` SQLite kept ~2.2 KB of a ~10.4 KB letter in the row's own page, so each
claimed row took a leaf page nearly alone, and that page stayed mostly empty once the verdict
dropped the bytes: 2,000 letters sent left a journal of ~2,150 pages (~4.4 KB a greeting), growing
so with every batch. In ``letters`` the verdict deletes the letter's row (a trigger of the move
that finishes it), its pages go to the freelist, and the next batch's claims take them again.

What must not change: a claim's letter is written in the claim's transaction, kept while its
greeting is ``claimed``, ``retry`` or ``uncertain`` (an operator's resend sends it byte for byte),
dropped by the move that finishes it and with a greeting deleted; a journal written by the
previous schema keeps its letters through the upgrade, which is one transaction.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.journal import Journal, open_journal
from greeter.journal_copy import SqliteSide, copy_all
from greeter.journal_schema import MIGRATIONS, Migration, migrate
from greeter.journal_store import ClaimRequest, JournalKey
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_copy_journal import a_years_journal, copy, journal_file, rows
from tests.test_send_e2e import LATER, NOW, greeter, history, people, smtp

MOMENT = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent

#: The schema before the letters' own table.
OLD = 13

#: A letter of bench_send's size, its bytes not text: a NUL, an invalid UTF-8 byte, CRLF lines.
LETTER = b"From: a@example.com\r\nSubject: x\r\n\r\n" + b"\x00\xff\r\n" + b"y" * 10_400


def key(i: int, year: int = 2027) -> JournalKey:
    return (f"c{i}", "birthday", date(year, 4, 13))


def request(k: JournalKey, letter: bytes = LETTER) -> ClaimRequest:
    return ClaimRequest(k, f"{k[0]}@example.com", f"<{k[0]}.{k[2].year}@greeter>", MOMENT, payload=letter)


def pages(journal: Journal) -> tuple[int, int]:
    """(pages, free pages) of the journal's database as its own connection sees it."""
    conn = journal._conn
    return int(conn.execute("PRAGMA page_count").fetchone()[0]), int(
        conn.execute("PRAGMA freelist_count").fetchone()[0]
    )


def test_a_batch_sent_takes_no_page_a_letter_and_the_next_batch_reuses_its_letters_pages(
    tmp_path: Path,
) -> None:
    """Three batches of 120 letters, claimed and answered 8 at a time as the sender does."""
    rows, grown = 120, []
    with Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", now=MOMENT) as journal:
        before, _ = pages(journal)
        for year in (2027, 2028, 2029):
            for first in range(0, rows, 8):
                keys = [key(i, year) for i in range(first, first + 8)]
                assert journal.claim_many([request(k) for k in keys], now=MOMENT) == [True] * 8
                assert journal.mark_all_sent([(k, "250 2.0.0 Ok", MOMENT) for k in keys])
            now, free = pages(journal)
            grown.append((now - before) / rows)
            before = now
            assert journal.payload(keys[0]) is None, "dropped with its verdict"
    # A greeting's row and its index entries: ~0.6 KB, a seventh of a 4 KB page; with its letter's
    # bytes in the row it took more than a page (1.0-1.1 pages a row before migration 14, every
    # batch). The first batch makes the pages of a round's letters in flight too (8 letters, 3
    # overflow pages each and their rows' page), left free for the next round and batch to take.
    in_flight = 8 * 4
    assert grown[0] < 0.2 + in_flight / rows and all(g < 0.2 for g in grown[1:]), grown
    assert free <= in_flight, free
    conn = sqlite3.connect(tmp_path / "journal.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM letters").fetchone()[0] == 0
    finally:
        conn.close()


def v13_journal(path: Path) -> dict[JournalKey, bytes | None]:
    """A journal at schema 13, as that greeter left it: a greeting in each state its letter is kept
    in and two in which it was dropped; returns each key's letter as stored."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2027-01-10T09:00:00+00:00", migrations=MIGRATIONS[:OLD]) == OLD
    letters: dict[JournalKey, bytes | None] = {}
    for i, state in enumerate(("claimed", "retry", "uncertain", "sent", "failed")):
        letter = LETTER + bytes([i]) if state in ("claimed", "retry", "uncertain") else None
        letters[key(i)] = letter
        conn.execute(
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id,"
            " attempts, planned_at, send_day, next_attempt_at, created_at, updated_at, payload)"
            " VALUES (?, 'birthday', '2027-04-13', ?, ?, ?, 1, ?, '2027-04-14', ?, ?, ?, ?)",
            (
                f"c{i}", state, f"c{i}@example.com", f"<{i}@greeter>", "2027-04-14T06:00:00.000000+00:00",
                "2027-04-14T07:00:00.000000+00:00" if state == "retry" else None,
                "2027-04-14T06:00:00.000000+00:00", "2027-04-14T06:00:01.000000+00:00", letter,
            ),
        )  # fmt: skip
    conn.close()
    return letters


def greeting_columns(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [str(row[1]) for row in conn.execute("PRAGMA table_info(greetings)")]
    finally:
        conn.close()


def test_a_schema_13_journal_keeps_every_unsent_letter_byte_for_byte_in_its_own_table(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    letters = v13_journal(path)
    assert "payload" in greeting_columns(path)
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        assert journal.upgraded == (OLD, len(MIGRATIONS))
        assert {k: journal.payload(k) for k in letters} == letters
        # the uncertain one resent by an operator goes as it was claimed
        journal.resend(key(2), MOMENT, by="ann")
        assert [e.key for e in journal.due_retries(MOMENT + timedelta(seconds=1))] == [key(1), key(2)]
        assert journal.payload(key(2)) == letters[key(2)]
        count = journal._conn.execute("SELECT count(*) FROM letters").fetchone()[0]
    assert count == 3
    assert "payload" not in greeting_columns(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_an_upgrade_that_fails_midway_leaves_the_schema_13_journal_as_it_was(tmp_path: Path) -> None:
    """The migration is one transaction: a crash (here a statement that fails after the rebuild)
    leaves the old table, its letters and its version, never half of the new schema."""
    path = tmp_path / "journal.sqlite3"
    letters = v13_journal(path)
    broken = Migration(14, "broken", (*MIGRATIONS[OLD].statements, "SELECT no_such_function()"))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no_such_function"):
            migrate(conn, now_iso="2027-04-14T08:00:00+00:00", migrations=(*MIGRATIONS[:OLD], broken))
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        kept = dict(conn.execute("SELECT contact_id, payload FROM greetings").fetchall())
    finally:
        conn.close()
    assert version == OLD and "letters" not in tables and "payload" in greeting_columns(path)
    assert kept == {k[0]: letter for k, letter in letters.items()}


#: A sender that claims one letter and dies before the server answers (no verdict, no close).
_CLAIM_AND_DIE = """
import os, sys
from datetime import UTC, date, datetime
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest

moment = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)
journal = Journal.open(sys.argv[1], now=moment)
journal.lock_sender()
key = ("c1", "birthday", date(2027, 4, 13))
letter = bytes.fromhex(sys.argv[2])
assert journal.claim_many([ClaimRequest(key, "c1@example.com", "<1@greeter>", moment, payload=letter)], now=moment)
os._exit(9)
"""


def test_a_sender_killed_between_claim_and_verdict_leaves_its_letter_for_the_operators_resend(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'journal.sqlite3'}"
    died = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CLAIM_AND_DIE), url, LETTER.hex()],
        capture_output=True, text=True, timeout=120, check=False, env={"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert died.returncode == 9, died.stderr
    with Journal.open(url, now=MOMENT) as journal:
        journal.lock_sender()
        assert journal.recover_stale_claims(MOMENT) == 1
        assert [e.state for e in journal.history()] == ["uncertain"]
        assert journal.payload(key(1)) == LETTER
        journal.resend(key(1), MOMENT, by="ann")
        assert journal.payload(key(1)) == LETTER, "a resend sends the letter claimed, byte for byte"
        assert journal.claim_many([request(key(2))], now=MOMENT) == [True]
        journal.mark_uncertain(key(2), "no reply", MOMENT)
        journal.dismiss(key(2), MOMENT, by="ann")
        assert journal.payload(key(2)) is None, "a dismissal finishes it: its letter is dropped"


def test_a_greeting_deleted_takes_its_letter_with_it(tmp_path: Path) -> None:
    """A claim given back (``release``) and an erasure (``forget``) delete the greeting's row: its
    letter, a person's words to a person, must not stay behind in the file."""
    with Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", now=MOMENT) as journal:
        assert journal.claim_many([request(key(1)), request(key(2))], now=MOMENT) == [True, True]
        journal.release(key(1), MOMENT)
        journal.mark_retry(key(2), "451 later", MOMENT + timedelta(hours=1), MOMENT)
        assert journal.payload(key(2)) == LETTER, "a retry keeps its letter"
        journal.forget("c2@example.com", MOMENT)
        assert (journal.payload(key(1)), journal.payload(key(2))) == (None, None)
        left = journal._conn.execute("SELECT count(*) FROM letters").fetchone()[0]
    assert left == 0


def as_schema_13(path: Path) -> None:
    """The journal at ``path`` made again as the previous greeter kept it (schema 13, each unsent
    letter in its greeting's ``payload``), every row copied over by ``copy-journal``'s own code."""
    old = path.with_name("v13.sqlite3")
    target = sqlite3.connect(old, isolation_level=None)
    source = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(target, now_iso="2027-01-10T09:00:00+00:00", migrations=MIGRATIONS[:OLD])
        target.execute("BEGIN IMMEDIATE")
        copy_all(SqliteSide(source, "new"), SqliteSide(target, "old"))
        target.execute("COMMIT")
    finally:
        source.close()
        target.close()
    old.replace(path)
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        side.unlink(missing_ok=True)


def test_an_uncertain_letter_of_a_schema_13_journal_is_resent_as_it_was_claimed(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        sink.drop_next(1)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert "uncertain: 1" in first.stdout, first.stdout + first.stderr
        (lost,) = sink.messages
        path = config.parent / "data" / "journal.sqlite3"
        as_schema_13(path)
        assert "payload" in greeting_columns(path)
        resend = greeter(config, "uncertain", "resend", "--contact", "1", "--now", NOW)
        assert resend.returncode == 0, resend.stderr
        assert "payload" not in greeting_columns(path), "upgraded by the resend"
        again = greeter(config, "send", "--once", "--now", LATER)
        assert "sent: 1" in again.stdout, again.stdout + again.stderr
        resent = sink.messages[-1]
    assert resent.data == lost.data and not resent.dropped
    assert [row["state"] for row in history(config)] == ["sent"]
    with open_journal(str(path), now=MOMENT) as journal:
        assert journal.payload(("1", "birthday", date(2027, 4, 13))) is None


def test_unsent_letters_go_to_postgresql_and_back_byte_for_byte(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``copy-journal``: PostgreSQL keeps the letters in ``greetings.payload``, SQLite in their table."""
    with SmtpSink() as sink, databases.pg_schema() as (url, _schema):
        config = a_years_journal(make_project, sink)
        with Journal.open(f"sqlite:///{journal_file(config)}", now=MOMENT) as lite:
            unsent = [e.key for e in lite.history() if e.state in ("retry", "uncertain")]
            letters = {k: lite.payload(k) for k in unsent}
        assert len(letters) == 2 and all(letters.values()), letters
        assert copy(config, url).returncode == 0
        with open_journal(url, now=MOMENT) as pg:
            assert {k: pg.payload(k) for k in unsent} == letters
        moved = make_project(rows(), **smtp(sink.port), storage={"url": url})
        audit = tmp_path / "audit.sqlite3"
        back = copy(moved, f"sqlite:///{audit}")
        assert back.returncode == 0, back.stderr
        with Journal.open(f"sqlite:///{audit}", now=MOMENT) as again:
            assert {k: again.payload(k) for k in unsent} == letters
            count = again._conn.execute("SELECT count(*) FROM letters").fetchone()[0]
    assert count == 2
