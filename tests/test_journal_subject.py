"""The journal keeps what each letter's subject said, and ``greeter history`` shows it.

A manager reading a client's history (the client journal the sales books ask for) saw which
occasion a client was greeted for and what the server answered, but not which subject the client
got. The claim — the statement that already records each letter before it goes — now keeps the
subject as the client reads it (decoded, not RFC 2047), and history shows it: a table column,
``subject`` in JSON and CSV. A journal an older greeter wrote is upgraded in place on both backends;
its letters have no subject ("—" in the table, null in JSON). Real SQLite files, the test
PostgreSQL, real CLI processes against an in-process aiosmtpd, and the build workers' path.
"""

from __future__ import annotations

import csv
import email.policy
import io
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greeter.build_pool import MIN_LETTERS
from greeter.config import Sender
from greeter.journal import Journal
from greeter.journal_backup import back_up
from greeter.journal_pg import PgJournal
from greeter.journal_pg_schema import MIGRATIONS as PG_MIGRATIONS
from greeter.journal_schema import MIGRATIONS, migrate
from greeter.journal_store import ClaimRequest, JournalKey, JournalStore
from greeter.message import build_message
from greeter.plan_types import Rendered
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter_process, history, people, smtp

MOMENT = datetime(2026, 12, 30, 9, 40, tzinfo=UTC)
#: The schema the greeter before this change wrote (SQLite 8, PostgreSQL 5), and its last migration's.
OLD_SQLITE, OLD_PG = 8, 5
BIRTHDAY = ("1", "birthday", date(2027, 1, 7))
SUBJECT = "С днём рождения и с Новым годом, Иван Петрович!"


def old_sqlite_journal(path: Path) -> None:
    """A journal as the greeter before subjects left it: its schema, and one letter it sent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    assert (
        migrate(conn, now_iso="2026-06-01T09:00:00+00:00", migrations=MIGRATIONS[:OLD_SQLITE]) == OLD_SQLITE
    )
    conn.execute(
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id, attempts,"
        " last_reply, created_at, updated_at, sent_at) VALUES ('3', 'birthday', '2026-06-01', 'sent',"
        " 'client3@example.com', '<old.1@example.com>', 1, '250 ok', '2026-06-01T09:00:00+00:00',"
        " '2026-06-01T09:00:00+00:00', '2026-06-01T09:00:00+00:00')"
    )
    conn.close()


def _claim(journal: JournalStore, key: JournalKey, subject: str | None, *, retry: bool = False) -> bool:
    request = ClaimRequest(
        key, f"{key[0]}@example.com", f"<{key[0]}@t>", MOMENT, retry=retry, subject=subject
    )
    return journal.claim_many([request], now=MOMENT)[0]


# --- the journal: both backends ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", MOMENT) as store:
        yield store


def test_the_claim_keeps_the_subject_and_a_retry_keeps_the_first_claims(journal: JournalStore) -> None:
    assert _claim(journal, BIRTHDAY, SUBJECT)
    (entry,) = journal.history()
    assert (entry.state, entry.subject) == ("claimed", SUBJECT)
    journal.mark_retry(BIRTHDAY, "451 later", MOMENT, MOMENT)
    # A due retry is claimed with the letter stored at its first claim, and no subject of its own.
    assert _claim(journal, BIRTHDAY, None, retry=True)
    journal.mark_sent(BIRTHDAY, "250 ok", MOMENT)
    (entry,) = journal.history()
    assert (entry.state, entry.attempts, entry.subject) == ("sent", 2, SUBJECT)
    # A greeting merged into that letter has no letter, nor subject, of its own.
    journal.mark_skipped(
        ("1", "new_year", date(2027, 1, 1)), "merged into birthday", MOMENT, email="1@example.com"
    )
    assert {e.occasion: e.subject for e in journal.history(contact_id="1")} == {
        "birthday": SUBJECT,
        "new_year": None,
    }


def test_a_failed_letter_written_afresh_keeps_the_new_letters_subject(journal: JournalStore) -> None:
    assert _claim(journal, BIRTHDAY, "Старая тема")
    journal.mark_failed(BIRTHDAY, "550 no", MOMENT)
    journal.requeue(BIRTHDAY, MOMENT)  # planned, written and claimed afresh: a new letter
    assert _claim(journal, BIRTHDAY, SUBJECT, retry=True)
    journal.mark_sent(BIRTHDAY, "250 ok", MOMENT + timedelta(minutes=1))
    assert [e.subject for e in journal.history()] == [SUBJECT]


def test_an_old_sqlite_journal_is_upgraded_in_place_and_its_letters_have_no_subject(tmp_path: Path) -> None:
    path = tmp_path / "data" / "journal.sqlite3"
    old_sqlite_journal(path)
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        (old,) = journal.history()
        assert (old.contact_id, old.state, old.subject) == ("3", "sent", None)
        assert _claim(journal, BIRTHDAY, SUBJECT)
        journal.mark_sent(BIRTHDAY, "250 ok", MOMENT)
    with sqlite3.connect(path) as db:
        assert (
            db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            == len(MIGRATIONS)
            > OLD_SQLITE
        )
        assert "subject" in {r[1] for r in db.execute("PRAGMA table_info(greetings)")}
    # greeter backup copies it whole: the subject is in the copy, and the copy opens as a journal.
    copy = tmp_path / "backup.sqlite3"
    assert back_up(f"sqlite:///{path}", copy, ()).schema_version == len(MIGRATIONS)
    with Journal.open(f"sqlite:///{copy}", now=MOMENT) as restored:
        assert {e.contact_id: e.subject for e in restored.history()} == {"1": SUBJECT, "3": None}


def test_an_old_postgresql_journal_is_upgraded_in_place_and_its_letters_have_no_subject() -> None:
    from greeter import journal_pg_schema

    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=MOMENT, migrations=PG_MIGRATIONS[:OLD_PG])
        conn.execute(
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id,"
            " created_at, updated_at, sent_at) VALUES ('3', 'birthday', '2026-06-01', 'sent',"
            " 'client3@example.com', '<old.1@example.com>', now(), now(), now())"
        )
        with PgJournal.open(url, now=MOMENT) as journal:
            (old,) = journal.history()
            assert (old.contact_id, old.subject) == ("3", None)
            assert _claim(journal, BIRTHDAY, SUBJECT)
            journal.mark_sent(BIRTHDAY, "250 ok", MOMENT)
            assert {e.contact_id: e.subject for e in journal.history()} == {"1": SUBJECT, "3": None}
        version = conn.execute(f"SELECT max(version) FROM {name}.schema_version").fetchone()
        assert version is not None and version[0] == len(PG_MIGRATIONS) > OLD_PG


# --- the subject as the letter's bytes carry it (what a build worker sends back) ---------------------


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cn", "Co"), blacklist_characters="\x85"),
        min_size=1,
        max_size=160,
    ).filter(lambda s: s.strip() and s.strip().isprintable())
)
def test_the_subject_journaled_is_the_one_a_reader_of_the_built_letter_sees(subject: str) -> None:
    """The journal keeps the rendered subject, stripped (:attr:`Prepared.subject`), not the header
    read back: the two must be the same text."""
    data = build_message(
        Rendered(subject=subject, text="Поздравляем."),
        to_email="ivan@example.com",
        to_name="Иван Петрович Иванов",
        sender=Sender(name="ООО «Ромашка»", email="hello@romashka.example"),
        message_id="<greeter.abc@romashka.example>",
        date=MOMENT,
    )
    read = BytesHeaderParser(policy=email.policy.default).parsebytes(data)["Subject"]
    assert str(read) == subject.strip()


# --- end to end: send --once to a real SMTP server, then history --------------------------------------


def _subjects(sink: SmtpSink) -> dict[str, str]:
    """Each recipient's Subject as the mail server received it, decoded by the email package."""
    return {m.rcpt_tos[0]: str(m.parsed()["Subject"]) for m in sink.messages if not m.dropped}


def test_send_once_journals_each_letters_subject_and_history_shows_it(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Client 1 (born 7 January) gets one letter on 30 December carrying New Year too, client 2 a
    birthday letter, client 3 its New Year letter; client 3's birthday letter went out in June from
    the greeter before subjects, in the journal it left."""
    rows = [
        contact_row("1", "client1@example.com", birthday="07.01.1960"),
        contact_row("2", "client2@example.com", last="Кузнецова", first="Мария", birthday="30.12.1985"),
        contact_row("3", "client3@example.com", last="Соловьёв", birthday="01.06.1970"),
    ]
    with SmtpSink() as sink:
        config = make_project(rows, **smtp(sink.port))
        old_sqlite_journal(config.parent / "data" / "journal.sqlite3")
        run = greeter_process(config, "send", "--once", "--now", "2026-12-30T12:40:00+03:00")
        assert run.returncode == 0 and "sent: 3" in run.stdout, run.stdout + run.stderr
        received = _subjects(sink)
    assert set(received) == {f"client{n}@example.com" for n in (1, 2, 3)}
    assert all(received.values()) and "=?" not in "".join(received.values())

    rows_json = history(config)
    shown = {(r["contact_id"], r["occasion"]): r for r in rows_json}
    assert shown["1", "birthday"]["subject"] == received["client1@example.com"]
    assert shown["1", "birthday"]["merged"] == ["new_year"]
    assert shown["1", "new_year"]["subject"] is None  # one letter, one subject: the carrier's
    assert shown["2", "birthday"]["subject"] == received["client2@example.com"]
    assert shown["3", "new_year"]["subject"] == received["client3@example.com"]
    assert shown["3", "birthday"]["subject"] is None  # sent before the journal kept subjects
    # After the fields before it (they keep their places); only content_sha256, added later, after it.
    assert all(list(r)[-2:] == ["subject", "content_sha256"] for r in rows_json)

    script = greeter_process(config, "history", "--format", "csv")
    assert script.returncode == 0, script.stderr
    table = list(csv.DictReader(io.StringIO(script.stdout)))
    assert {r["contact_id"]: r["subject"] for r in table if r["occasion"] == "birthday"} == {
        "1": received["client1@example.com"],
        "2": received["client2@example.com"],
        "3": "",
    }

    monkeypatch.setenv("COLUMNS", "400")  # a terminal wide enough for every cell on one line
    wide = greeter_process(config, "history")
    assert wide.returncode == 0, wide.stderr
    header, *lines = [line for line in wide.stdout.splitlines() if line.startswith(("┃", "│"))]
    names = [c.strip() for c in header.strip("┃").split("┃")]
    assert "subject" in names, header
    cells = [dict(zip(names, (c.strip() for c in line.strip("│").split("│")), strict=True)) for line in lines]
    by_row = {(row["contact"].split()[0], row["date"]): row["subject"] for row in cells}
    assert by_row["2", "2026-12-30"] == received["client2@example.com"]
    assert by_row["1", "2027-01-07"] == received["client1@example.com"]
    assert by_row["3", "2026-06-01"] == "—"  # a letter whose subject the journal does not have
    assert by_row["1", "2026-12-29"] == ""  # no letter of its own: it rode in the birthday's


def test_letters_the_build_workers_make_are_journaled_with_their_subject(make_project: MakeProject) -> None:
    """A batch big enough for the build workers: they send back bytes only, read for the subject."""
    with SmtpSink() as sink:
        changes = smtp(sink.port)
        changes["delivery"]["build_processes"] = 2
        config = make_project(people(MIN_LETTERS), **changes)
        run = greeter_process(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00", timeout=300)
        assert run.returncode == 0 and f"sent: {MIN_LETTERS}" in run.stdout, run.stdout + run.stderr
        received = _subjects(sink)
    journaled = {r["email"]: r["subject"] for r in history(config)}
    assert len(journaled) == MIN_LETTERS and journaled == received
