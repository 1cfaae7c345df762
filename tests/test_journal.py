"""The journal's contract on both real backends, and what is particular to the SQLite one.

Tests taking the ``journal`` fixture run twice: on a SQLite file and on a
fresh PostgreSQL schema (dropped afterwards) — one state machine, two
databases. The PostgreSQL-only behaviour (several senders, leases, advisory
locks, reconnects) is in ``tests/test_journal_pg.py``.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from greeter.db_url import one_line
from greeter.errors import (
    EXIT_TEMPFAIL,
    JournalError,
    JournalLockedError,
    JournalStateError,
    JournalUnavailableError,
)
from greeter.journal import Journal, open_journal
from greeter.journal_pg import PgJournal
from greeter.journal_pg_base import connection_string_problem, pg_journal_error
from greeter.journal_schema import MIGRATIONS, migrate
from greeter.journal_store import (
    CAP_STATES,
    INTERRUPTED_REASON,
    STATES,
    Approvals,
    Approver,
    ClaimRequest,
    JournalStore,
    Suppression,
)
from greeter.plan_types import PastGreeting
from tests import databases
from tests.conftest import TODAY

NOW = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")
KEY = ("c-1", "birthday", date(2025, 3, 14))
#: A PostgreSQL claim's lease in the tests of its running out: long enough that a claim just made
#: is surely live on a loaded machine (the test then waits for it to run out, polling).
LEASE = 5
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "data" / "journal.sqlite3", now=NOW) as journal:
        yield journal


def committed_rows(j: JournalStore, query: str) -> list[tuple[object, ...]]:
    """What a separate connection — another process — sees in the journal's database."""
    if isinstance(j, Journal):
        return sqlite3.connect(j.path).execute(query).fetchall()
    assert isinstance(j, PgJournal)
    with databases.pg_admin() as conn:
        conn.execute(f"SET search_path TO {j.schema}")
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def claim(j: JournalStore, key: tuple[str, str, date] = KEY, now: datetime = NOW, **kw: object) -> bool:
    planned = kw.pop("planned_at", datetime(2025, 3, 14, 11, 0, tzinfo=MOSCOW))
    return j.claim(
        key,
        email=str(kw.pop("email", "ivan@example.com")),
        message_id=str(kw.pop("message_id", "<m1@romashka.example>")),
        planned_at=planned,  # type: ignore[arg-type]
        now=now,
        **kw,  # type: ignore[arg-type]
    )


def state(j: JournalStore, key: tuple[str, str, date] = KEY) -> str:
    (entry,) = [e for e in j.history() if e.key == key]
    return entry.state


def test_open_creates_folder_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "j.sqlite3"
    Journal.open(f"sqlite:///{path}", now=NOW).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = conn.execute("SELECT version, applied_at FROM schema_version ORDER BY version").fetchall()
    assert [v for v, _ in versions] == [m.version for m in MIGRATIONS]
    assert versions[0][1] == "2025-03-14T07:00:00.000000+00:00"


def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    url = str(tmp_path / "j.sqlite3")
    with Journal.open(url, now=NOW) as j:
        assert claim(j)
    for _ in range(2):
        with Journal.open(url, now=NOW + timedelta(days=1)) as j:
            assert state(j) == "claimed"
    conn = sqlite3.connect(url)
    assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_an_old_journal_is_upgraded_in_order_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2024-01-01T00:00:00+00:00", migrations=MIGRATIONS[:1]) == 1
    conn.execute(
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at, updated_at)"
        " VALUES ('c-9', 'new_year', '2025-01-01', 'sent', '2025-01-01T09:00:00+00:00', '2025-01-01T09:00:00+00:00')"
    )
    conn.close()
    with Journal.open(str(path), now=NOW) as j:
        assert [e.contact_id for e in j.history(state="sent")] == ["c-9"]
        j.suppress(["a@b.example"], "test", NOW)  # table from migration 2
        assert j.payload(("c-9", "new_year", date(2025, 1, 1))) is None  # column from migration 3
        # Table from migration 5: an occasion greeted before it existed always has (since None);
        # {} read as a journal never planned, and its first plan forgot what was still due.
        assert j.known_occasions() == {"new_year": None}
        assert j.notice("contact_problems") is None  # table from migration 6: nothing said yet


def test_a_newer_or_foreign_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    Journal.open(str(newer), now=NOW).close()
    sqlite3.connect(newer, isolation_level=None).execute(
        "INSERT INTO schema_version VALUES (99, 'future', 'x')"
    )
    with pytest.raises(JournalError, match="newer than this greeter"):
        Journal.open(str(newer), now=NOW)
    foreign = tmp_path / "crm.sqlite3"
    sqlite3.connect(foreign, isolation_level=None).execute("CREATE TABLE clients (id INTEGER)")
    with pytest.raises(JournalError, match="not a greeter journal"):
        Journal.open(str(foreign), now=NOW)
    (tmp_path / "garbage.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(JournalError):
        Journal.open(str(tmp_path / "garbage.sqlite3"), now=NOW)


def test_url_dispatch_and_clear_errors_without_the_password(tmp_path: Path) -> None:
    assert isinstance(open_journal(f"sqlite:///{tmp_path}/j.sqlite3", now=NOW), Journal)
    with pytest.raises(JournalError) as info:
        open_journal("postgresql://greeter:hunter2@127.0.0.1:1/crm?connect_timeout=2", now=NOW)
    assert str(info.value).startswith("journal postgresql://greeter@127.0.0.1:1/crm?connect_timeout=2: ")
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(JournalError, match="unsupported"):
        open_journal("mysql://localhost/x", now=NOW)
    with pytest.raises(JournalError, match="open_journal"):
        Journal.open("postgresql://localhost/test", now=NOW)


def test_claim_is_once_only_and_committed_immediately(journal: JournalStore) -> None:
    assert claim(journal, merged=["new_year"], content_hash="abc")
    assert not claim(journal)
    # Another connection sees the claim at once: it was committed before claim() returned.
    assert committed_rows(journal, "SELECT state, attempts, CAST(merged AS TEXT) FROM greetings") == [
        ("claimed", 1, '["new_year"]')
    ]
    (entry,) = journal.history()
    assert entry.email == "ivan@example.com" and entry.message_id == "<m1@romashka.example>"
    assert entry.planned_at == datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
    assert entry.send_day == date(2025, 3, 14) and entry.merged == ("new_year",)
    assert entry.content_hash == "abc" and entry.created_at == NOW


@pytest.mark.parametrize("final", ["sent", "failed", "uncertain", "skipped", "expired"])
def test_no_claim_on_a_greeting_that_is_settled_or_in_doubt(journal: JournalStore, final: str) -> None:
    assert claim(journal)
    {
        "sent": lambda: journal.mark_sent(KEY, "250 ok", NOW),
        "failed": lambda: journal.mark_failed(KEY, "554 no", NOW),
        "uncertain": lambda: journal.mark_uncertain(KEY, "connection lost", NOW),
        "skipped": lambda: journal.mark_skipped(KEY, "suppressed", NOW),
        "expired": lambda: journal.mark_expired(KEY, NOW),
    }[final]()
    assert state(journal) == final
    assert not claim(journal, now=NOW + timedelta(days=30))


def test_a_retry_is_claimable_only_once_it_is_due(journal: JournalStore) -> None:
    assert claim(journal, payload=b"the letter")
    due = NOW + timedelta(minutes=5)
    journal.mark_retry(KEY, "451 4.3.0 try later", due, NOW)
    assert journal.due_retries(NOW + timedelta(minutes=4)) == []
    assert not claim(journal, now=NOW + timedelta(minutes=4))
    assert [e.key for e in journal.due_retries(due)] == [KEY]
    assert journal.payload(KEY) == b"the letter", "kept for the retry"
    assert claim(journal, now=due)
    assert not claim(journal, now=due), "the re-claim is once only too"
    journal.mark_sent(KEY, "250 2.0.0 queued", due + timedelta(seconds=1))
    (entry,) = journal.history()
    assert (entry.state, entry.attempts, entry.last_reply) == ("sent", 2, "250 2.0.0 queued")
    assert entry.sent_at == due + timedelta(seconds=1) and entry.next_attempt_at is None
    assert journal.payload(KEY) is None, "dropped once final"


def test_sent_day_is_the_recipients_local_day(journal: JournalStore) -> None:
    vladivostok = ZoneInfo("Asia/Vladivostok")  # UTC+10
    assert claim(journal, planned_at=datetime(2025, 3, 14, 9, 0, tzinfo=vladivostok))
    journal.mark_sent(KEY, "250 ok", datetime(2025, 3, 13, 23, 30, tzinfo=UTC))  # 09:30 on the 14th there
    assert journal.history()[0].send_day == date(2025, 3, 14)


def test_stale_claims_become_uncertain_and_are_never_reclaimed(journal: JournalStore) -> None:
    assert claim(journal)
    assert claim(journal, ("c-2", "birthday", date(2025, 3, 14)))
    journal.mark_sent(("c-2", "birthday", date(2025, 3, 14)), "250 ok", NOW)
    with pytest.raises(JournalError, match="lock"):
        journal.recover_stale_claims(NOW)
    journal.lock_sender()
    assert journal.recover_stale_claims(NOW + timedelta(hours=1)) == 1
    assert state(journal) == "uncertain"
    assert journal.history(state="uncertain")[0].reason == INTERRUPTED_REASON
    assert not claim(journal, now=NOW + timedelta(days=1))
    assert journal.due_retries(NOW + timedelta(days=1)) == []


def test_operator_resend_and_dismiss_of_uncertain_greetings(journal: JournalStore) -> None:
    other = ("c-2", "birthday", date(2025, 3, 14))
    for key in (KEY, other):
        assert claim(journal, key)
        journal.mark_uncertain(key, "no reply after final dot", NOW)
    later = NOW + timedelta(hours=2)
    journal.resend(KEY, later)
    journal.dismiss(other, later)
    assert [e.key for e in journal.due_retries(later)] == [KEY]
    assert claim(journal, now=later)
    assert state(journal, other) == "skipped"
    assert journal.history(contact_id="c-2")[0].reason == "dismissed"
    with pytest.raises(JournalStateError, match="it is skipped"):
        journal.resend(other, later)


def test_a_resend_keeps_why_the_greeting_was_uncertain(journal: JournalStore) -> None:
    """``resend`` set ``reason`` to ``resend`` over "interrupted between claim and the server's
    reply", the only thing known of a claim the server never answered (no ``last_reply``): it
    moves to ``last_reply``, as ``dismiss`` does. A reply the server did give is kept as it was."""
    other = ("c-2", "birthday", date(2025, 3, 14))
    for key in (KEY, other):
        assert claim(journal, key)
    journal.mark_uncertain(other, "451 4.4.2 connection lost after DATA", NOW)
    journal.lock_sender()
    assert journal.recover_stale_claims(NOW + timedelta(hours=1)) == 1  # KEY: interrupted
    later = NOW + timedelta(hours=2)
    journal.resend(KEY, later)
    journal.resend(other, later)
    [interrupted] = journal.history(contact_id=KEY[0])
    [replied] = journal.history(contact_id="c-2")
    assert (interrupted.state, interrupted.reason, interrupted.last_reply) == (
        "retry",
        "resend",
        INTERRUPTED_REASON,
    )
    assert (replied.state, replied.reason, replied.last_reply) == (
        "retry",
        "resend",
        "451 4.4.2 connection lost after DATA",
    )
    assert sorted(e.key for e in journal.due_retries(later)) == sorted([KEY, other])


def test_an_interrupted_retry_does_not_keep_its_earlier_attempts_reply(journal: JournalStore) -> None:
    """A retried letter (first try: "not attempted: cannot connect …") claimed again and cut off by
    kill -9: recovery left that old reply, and dismissing it recorded "the server had said: not
    attempted: cannot connect" for a letter that was in fact handed to a working server."""
    from greeter.history_view import why

    stale = "not attempted: cannot connect to 127.0.0.1:2631: connection refused; retried later"
    assert claim(journal, KEY)
    journal.mark_retry(KEY, stale, NOW + timedelta(minutes=5), NOW)
    assert claim(journal, KEY, NOW + timedelta(minutes=10))  # the second attempt, then kill -9
    journal.lock_sender()
    assert journal.recover_stale_claims(NOW + timedelta(hours=1)) == 1
    [entry] = journal.history(contact_id=KEY[0])
    assert (entry.state, entry.last_reply) == ("uncertain", None)
    journal.dismiss(KEY, NOW + timedelta(hours=2))
    [entry] = journal.history(contact_id=KEY[0])
    assert why(entry).endswith(f"; {INTERRUPTED_REASON}")
    assert "cannot connect" not in why(entry)


def test_a_dismissal_keeps_why_the_greeting_was_uncertain(journal: JournalStore) -> None:
    """``dismiss`` overwrote ``reason`` with ``dismissed``: a claim interrupted before the server
    answered (no ``last_reply``, only that reason) lost the one thing known about it, and history
    said only "dismissed by an operator". A reply the server did give is kept as it was."""
    from greeter.history_view import why

    other = ("c-2", "birthday", date(2025, 3, 14))
    for key in (KEY, other):
        assert claim(journal, key)
    journal.mark_uncertain(other, "451 4.4.2 connection lost after DATA", NOW)
    journal.lock_sender()
    assert journal.recover_stale_claims(NOW + timedelta(hours=1)) == 1  # KEY: interrupted
    later = NOW + timedelta(hours=2)
    journal.dismiss(KEY, later)
    journal.dismiss(other, later)
    [interrupted] = journal.history(contact_id=KEY[0])
    [replied] = journal.history(contact_id="c-2")
    assert (interrupted.reason, interrupted.last_reply) == (
        "dismissed",
        INTERRUPTED_REASON,
    )
    assert (replied.reason, replied.last_reply) == ("dismissed", "451 4.4.2 connection lost after DATA")
    assert why(interrupted).endswith(f"; {INTERRUPTED_REASON}")
    assert why(replied).endswith("; the server had said: 451 4.4.2 connection lost after DATA")


def test_outcomes_only_from_the_states_that_allow_them(journal: JournalStore) -> None:
    with pytest.raises(JournalStateError, match="no such greeting"):
        journal.mark_sent(KEY, "250 ok", NOW)
    assert claim(journal)
    journal.mark_sent(KEY, "250 ok", NOW)
    moves: list[Callable[[], None]] = [
        lambda: journal.mark_sent(KEY, "250 again", NOW),
        lambda: journal.mark_retry(KEY, "451", NOW, NOW),
        lambda: journal.mark_failed(KEY, "550", NOW),
        lambda: journal.mark_skipped(KEY, "suppressed", NOW),
        lambda: journal.resend(KEY, NOW),
    ]
    for move in moves:
        with pytest.raises(JournalStateError, match="it is sent"):
            move()
    assert state(journal) == "sent"


def test_skips_and_expiries_of_unseen_greetings_are_recorded(journal: JournalStore) -> None:
    journal.mark_expired(("c-3", "new_year", date(2025, 1, 1)), NOW, email="x@example.com")
    journal.mark_skipped(("c-4", "new_year", date(2025, 1, 1)), "suppressed", NOW)
    assert [(e.contact_id, e.state, e.reason) for e in journal.history()] == [
        ("c-3", "expired", "expired"),
        ("c-4", "skipped", "suppressed"),
    ]
    assert not claim(journal, ("c-3", "new_year", date(2025, 1, 1)))


def test_history_filters_and_counts(journal: JournalStore) -> None:
    rows = [
        (("c-1", "birthday", date(2025, 3, 14)), "sent"),
        (("c-1", "new_year", date(2025, 1, 1)), "failed"),
        (("c-2", "birthday", date(2025, 6, 1)), "claimed"),
        (("c-3", "new_year", date(2025, 1, 1)), "retry"),
    ]
    for key, final in rows:
        assert claim(journal, key, email=f"{key[0]}@example.com")
        if final == "sent":
            journal.mark_sent(key, "250 ok", NOW)
        elif final == "failed":
            journal.mark_failed(key, "550 5.1.1 unknown", NOW)
        elif final == "retry":
            journal.mark_retry(key, "421", NOW + timedelta(hours=1), NOW)
    assert [e.occasion for e in journal.history(contact_id="c-1")] == ["new_year", "birthday"]
    assert [e.contact_id for e in journal.history(occasion="new_year")] == ["c-1", "c-3"]
    assert [e.key for e in journal.history(state="failed")] == [rows[1][0]]
    assert [e.contact_id for e in journal.history(since=date(2025, 3, 1))] == ["c-1", "c-2"]
    assert [e.contact_id for e in journal.history(until=date(2025, 3, 14))] == ["c-1", "c-3", "c-1"]
    assert journal.history(contact_id="c-1", state="sent", since=date(2025, 3, 14), until=date(2025, 3, 14))
    assert journal.history(contact_id="nobody") == []
    assert [e.key for e in journal.history(email=" C-1@Example.COM ")] == [rows[1][0], rows[0][0]]
    assert journal.history(email="c-1@example.co") == []
    with pytest.raises(ValueError, match="unknown state"):
        journal.history(state="delivered")
    counts = journal.counts_by_state()
    assert set(counts) == set(STATES)
    assert counts == {**dict.fromkeys(STATES, 0), "sent": 1, "failed": 1, "claimed": 1, "retry": 1}


def test_greeted_dates_gives_the_planner_what_counts_against_the_cap(journal: JournalStore) -> None:
    keys = {
        "sent": ("c-1", "birthday", date(2025, 3, 14)),
        "failed": ("c-1", "anniversary", date(2025, 3, 20)),
        "uncertain": ("c-1", "new_year", date(2025, 1, 1)),
        "old": ("c-1", "new_year", date(2024, 1, 1)),
    }
    for name, key in keys.items():
        planned = datetime.combine(key[2], datetime.min.time(), MOSCOW).replace(hour=11)
        assert claim(journal, key, planned_at=planned)
        if name in ("sent", "old"):
            journal.mark_sent(key, "250 ok", planned)
        elif name == "failed":
            journal.mark_failed(key, "554", NOW)
        else:
            journal.mark_uncertain(key, "lost", NOW)
    got = list(journal.greeted_dates(since=date(2024, 6, 1)))
    assert got == [
        PastGreeting("c-1", "new_year", date(2025, 1, 1), date(2025, 1, 1), "uncertain", "ivan@example.com"),
        PastGreeting(
            "c-1",
            "birthday",
            date(2025, 3, 14),
            date(2025, 3, 14),
            "sent",
            "ivan@example.com",
            sent_at=datetime(2025, 3, 14, 11, tzinfo=MOSCOW),  # when it left: preview shows it so
        ),
    ]
    everything = {p.state for p in journal.greeted_dates(since=date(2020, 1, 1), states=STATES)}
    assert everything == {"sent", "failed", "uncertain"}
    assert set(CAP_STATES) == {"sent", "claimed", "retry", "uncertain"}


def test_greeted_dates_says_which_letter_carried_a_merged_occasion(journal: JournalStore) -> None:
    """Both backends: the carrier's ``merged`` list and, on the row that rode along, the carrier."""
    from greeter.journal_transitions import merged_reason

    carrier, rode = ("c-1", "birthday", date(2025, 1, 2)), ("c-1", "new_year", date(2024, 12, 29))
    planned = datetime(2024, 12, 27, 11, tzinfo=MOSCOW)
    assert claim(journal, carrier, planned_at=planned, merged=["new_year"])
    journal.mark_skipped(rode, merged_reason("birthday"), planned, email="ivan@example.com")
    journal.mark_sent(carrier, "250 ok", planned)
    got = {p.occasion: p for p in journal.greeted_dates(since=date(2024, 12, 1), states=STATES)}
    assert (got["birthday"].merged, got["birthday"].merged_into) == (("new_year",), None)
    assert (got["new_year"].state, got["new_year"].merged, got["new_year"].merged_into) == (
        "skipped",
        (),
        "birthday",
    )


def test_greeted_dates_reads_of_the_skipped_rows_only_baselines_for_the_cap(journal: JournalStore) -> None:
    """Both backends: the SQL keeps, of the skipped rows, only ``greeter baseline``'s for the cap
    (planned as sent); a merged row comes only when skipped rows are asked for."""
    from greeter.baseline import handled_reason
    from greeter.journal_transitions import merged_reason

    planned = datetime(2025, 3, 14, 11, tzinfo=MOSCOW)
    before = ("c-1", "birthday", date(2025, 3, 14))
    rode = ("c-2", "new_year", date(2025, 1, 1))
    journal.mark_skipped(before, handled_reason(NOW), planned, email="ivan@example.com")
    journal.mark_skipped(rode, merged_reason("birthday"), planned, email="anna@example.com")
    capped = [(p.contact_id, p.state) for p in journal.greeted_dates(since=date(2024, 12, 1))]
    assert capped == [("c-1", "sent")]
    every = [(p.contact_id, p.state) for p in journal.greeted_dates(since=date(2024, 12, 1), states=STATES)]
    assert every == [("c-1", "sent"), ("c-2", "skipped")]


def test_sent_times_for_the_daily_quota(journal: JournalStore) -> None:
    for i in range(3):
        key = (f"c-{i}", "birthday", date(2025, 3, 14))
        assert claim(journal, key)
        journal.mark_sent(key, "250 ok", NOW + timedelta(hours=i))
    assert journal.sent_times(NOW + timedelta(minutes=30)) == [
        NOW + timedelta(hours=1),
        NOW + timedelta(hours=2),
    ]


def test_naive_times_are_refused(journal: JournalStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        claim(journal, now=datetime(2025, 3, 14, 7, 0))


def test_occasions_keep_the_moment_they_were_first_recorded(journal: JournalStore) -> None:
    assert journal.known_occasions() == {}
    later = NOW + timedelta(days=30)
    journal.record_occasions({"birthday": None, "new_year": None})
    journal.record_occasions({"birthday": later, "womens_day": later})  # birthday is known: kept
    assert journal.known_occasions() == {"birthday": None, "new_year": None, "womens_day": later}
    assert committed_rows(journal, "SELECT COUNT(*) FROM occasions") == [(3,)]


def test_an_occasion_recorded_ahead_of_the_clock_is_lowered_by_an_earlier_start(
    journal: JournalStore,
) -> None:
    """A rehearsal (``send --once --now`` a week ahead) recorded its start; a real plan lowers it."""
    ahead, real = NOW + timedelta(days=7), NOW
    journal.record_occasions({"birthday": ahead, "new_year": None})
    journal.record_occasions({"birthday": real, "new_year": real})  # "always existed" stays so
    assert journal.known_occasions() == {"birthday": real, "new_year": None}
    journal.record_occasions({"birthday": ahead})  # a later start never raises it again
    assert journal.known_occasions() == {"birthday": real, "new_year": None}


def test_occasion_names_are_those_greeted_and_those_planned(journal: JournalStore) -> None:
    """What `--occasion` of history/uncertain accepts besides the config's names."""
    assert journal.occasion_names() == set()
    assert claim(
        journal, ("c-1", "old_promo", date(2025, 3, 14))
    )  # an occasion since removed from the config
    journal.record_occasions({"birthday": None})
    assert journal.occasion_names() == {"old_promo", "birthday"}


def test_suppression_list_is_case_insensitive_and_reports_changes(journal: JournalStore) -> None:
    assert journal.suppress(["Ivan@Example.COM", " anna@example.com ", ""], "unsubscribed", NOW) == 2
    assert journal.suppress(["ivan@example.com"], "again", NOW) == 0
    assert journal.suppressed() == {"ivan@example.com", "anna@example.com"}
    assert journal.is_suppressed("IVAN@example.com")
    assert journal.unsuppress(["IVAN@EXAMPLE.COM", "nobody@example.com"], NOW) == 1
    assert not journal.is_suppressed("ivan@example.com")
    assert journal.suppressed() == {"anna@example.com"}


def test_a_due_retry_to_an_address_on_the_list_is_never_claimed_but_skipped(journal: JournalStore) -> None:
    """The do-not-contact list outranks a letter already written: an address put on it while
    its letter waited for a retry is refused at the claim, and recorded skipped, letter dropped."""
    assert claim(journal, email="Ivan@Example.com", payload=b"the letter")
    journal.mark_retry(KEY, "451 4.3.0 later", NOW, NOW)
    assert not journal.skip_suppressed(KEY, "Ivan@Example.com", NOW)  # not on the list: it stays
    assert state(journal) == "retry"
    journal.suppress(["ivan@example.COM"], "objection", NOW)
    assert not claim(journal, email="Ivan@Example.com")  # due, but its address is on the list
    assert state(journal) == "retry" and journal.payload(KEY) == b"the letter"
    assert journal.skip_suppressed(KEY, "Ivan@Example.com", NOW)
    (entry,) = journal.history()
    assert (entry.state, entry.reason) == (
        "skipped",
        "suppressed: Ivan@Example.com is on the do-not-contact list",
    )
    assert entry.next_attempt_at is None and journal.payload(KEY) is None
    assert not journal.skip_suppressed(KEY, "Ivan@Example.com", NOW)  # final: nothing more to do
    # A greeting whose retry is claimed by a sender is not taken from it.
    other = ("c-2", "birthday", date(2025, 3, 14))
    assert claim(journal, other, email="anna@example.com")
    journal.suppress(["anna@example.com"], "objection", NOW)
    assert not journal.skip_suppressed(other, "anna@example.com", NOW)
    assert state(journal, other) == "claimed"


def test_suppression_list_shows_reason_and_time_and_ignores_case_as_the_planner_does(
    journal: JournalStore,
) -> None:
    later = NOW + timedelta(hours=1)
    journal.suppress(["Straße@Example.de"], "bounced: 550", later)
    journal.suppress(["Ivan@Example.COM", "anna@example.com"], "просил не писать", NOW)
    assert journal.suppression_list() == [
        Suppression("anna@example.com", "просил не писать", NOW),
        Suppression("ivan@example.com", "просил не писать", NOW),
        Suppression("straße@example.de", "bounced: 550", later),
    ]
    # case only (email_key): ß and ss are two mailboxes, and one's entry is not the other's
    assert "STRAßE@example.de".lower() in journal.suppressed()
    assert journal.is_suppressed("STRAßE@example.de")
    assert not journal.is_suppressed("STRASSE@example.de")
    assert journal.unsuppress(["strasse@example.de"], NOW) == 0
    assert journal.unsuppress(["straße@example.de"], NOW) == 1
    assert [s.email for s in journal.suppression_list()] == ["anna@example.com", "ivan@example.com"]


def test_both_journals_suppress_through_one_body() -> None:
    """``suppress`` is ``suppress_dated`` with one reason and moment, written once for both backends:
    each had its own copy of the other's INSERT."""
    assert Journal.suppress is PgJournal.suppress is JournalStore.suppress


def test_sender_lock_held_by_another_process_names_its_pid(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    Journal.open(str(db), now=NOW).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import sys
                from datetime import datetime, UTC
                from greeter.journal import Journal
                j = Journal.open({str(db)!r}, now=datetime.now(UTC))
                j.lock_sender()
                print("locked", flush=True)
                sys.stdin.readline()
            """),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with Journal.open(str(db), now=NOW) as mine:
            with pytest.raises(JournalLockedError) as info:
                mine.lock_sender()
            assert str(info.value) == (
                f"another greeter is already sending from journal {db} (pid {holder.pid} on host {socket.gethostname()}); "
                "try again once it has finished"
            )
            assert info.value.exit_code == EXIT_TEMPFAIL == 75  # it passes: not a configuration error
            # Readers are not blocked by the sender lock.
            assert mine.counts_by_state()["sent"] == 0
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    with Journal.open(str(db), now=NOW) as mine:
        mine.lock_sender()  # the dead process's lock is gone without any cleanup


def test_sender_lock_is_exclusive_within_a_process_and_released_on_close(tmp_path: Path) -> None:
    db = str(tmp_path / "j.sqlite3")
    first = Journal.open(db, now=NOW)
    first.lock_sender()
    first.lock_sender()  # idempotent for the holder
    with Journal.open(db, now=NOW) as second:
        with pytest.raises(JournalLockedError, match=r"\(pid \d+ on host [^)]+\)"):
            second.lock_sender()
        first.close()
        second.lock_sender()


def test_the_sender_lock_is_the_real_files_whatever_path_leads_to_it(tmp_path: Path) -> None:
    """A symbolic link (or a detour through ``..``) to the journal takes the same lock as its real path."""
    real = tmp_path / "realdir" / "j.sqlite3"
    Journal.open(str(real), now=NOW).close()
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    (tmp_path / "linkdir").symlink_to(real.parent, target_is_directory=True)
    detour = tmp_path / "linkdir" / ".." / "realdir" / "j.sqlite3"
    with Journal.open(str(real), now=NOW) as first:
        first.lock_sender()
        assert claim(first)
        for other_path in (link, tmp_path / "linkdir" / "j.sqlite3", detour):
            with Journal.open(f"sqlite:///{other_path}", now=NOW) as other:
                assert other.sender_active()
                assert other.abandoned_claims() == set()  # the claim is live: history must not call it lost
                with pytest.raises(JournalLockedError) as info:
                    other.lock_sender()
                assert (
                    f"journal {other_path} (= {real.resolve()}) (pid {os.getpid()} on host {socket.gethostname()})"
                    in str(info.value)
                )
                assert info.value.exit_code == 75
        assert state(first) == "claimed"
    assert not (tmp_path / "link.sqlite3.lock").exists()
    with Journal.open(str(link), now=NOW) as second:  # the first is gone: its lock with it
        second.lock_sender()
        assert second.recover_stale_claims(NOW) == 1
    assert sorted(p.name for p in real.parent.glob("*.lock")) == ["j.sqlite3.lock"]


def test_approvals_replace_older_ones_and_filter_by_date(journal: JournalStore) -> None:
    old = ("c-1", "new_year", date(2025, 1, 1))
    assert journal.approve([(KEY, "h1"), (old, "h0")], "olga", NOW) == 2
    assert journal.approve([(KEY, "h2")], "ivan", NOW + timedelta(hours=1)) == 1
    assert journal.approvals_since(date(2025, 3, 1)).hashes == {KEY: "h2"}
    assert journal.approvals_since(date(2024, 12, 31)).hashes == {KEY: "h2", old: "h0"}


def test_one_read_says_each_approved_hash_and_who_approved_it_last_and_when(journal: JournalStore) -> None:
    """``review: required`` read the approvals table twice a plan, once for the hashes the gate
    compares and once for who approved (preview, the gallery): one read gives both now."""
    old = ("c-1", "new_year", date(2025, 1, 1))
    journal.approve([(KEY, "h1"), (old, "h0")], "olga", NOW)
    journal.approve([(KEY, "h2")], "ivan", NOW + timedelta(hours=1))
    assert journal.approvals_since(date(2025, 3, 1)) == Approvals(
        {KEY: "h2"}, {KEY: Approver("ivan", NOW + timedelta(hours=1))}
    )
    both = journal.approvals_since(date(2024, 12, 31))
    assert both.hashes == {KEY: "h2", old: "h0"} and set(both.approvers) == set(both.hashes)
    assert both.approvers[old] == Approver("olga", NOW)


def test_tallies_and_the_contact_lock(journal: JournalStore) -> None:
    for cid in ("c-1", "c-2"):
        assert claim(journal, (cid, "birthday", date(2025, 3, 14)))
    sent_at = NOW + timedelta(minutes=5)
    journal.mark_sent(("c-1", "birthday", date(2025, 3, 14)), "250 ok", sent_at)
    journal.mark_expired(("c-3", "new_year", date(2025, 1, 1)), NOW)
    assert {k: t.greetings for k, t in journal.tallies().items()} == {
        ("sent", "birthday", ""): 1,
        ("claimed", "birthday", ""): 1,
        ("expired", "new_year", ""): 1,
    }
    sent = journal.tallies()["sent", "birthday", ""]
    assert sent.newest_sent == sent_at
    assert journal.tallies()["claimed", "birthday", ""].newest_sent is None
    with journal.contact_lock("c-9"):  # decide-and-claim under the lock: the claim is committed inside
        assert claim(journal, ("c-9", "birthday", date(2025, 3, 14)))
    assert state(journal, ("c-9", "birthday", date(2025, 3, 14))) == "claimed"


def test_claim_many_decides_each_request_in_one_commit(journal: JournalStore) -> None:
    sent, due = ("c-8", "birthday", date(2025, 3, 14)), ("c-9", "birthday", date(2025, 3, 14))
    for k in (sent, due):
        assert claim(journal, k, payload=b"kept")
    journal.mark_sent(sent, "250 ok", NOW)
    journal.mark_retry(due, "451 later", NOW, NOW)
    planned = datetime(2025, 3, 14, 11, 0, tzinfo=MOSCOW)
    fresh = ("c-1", "birthday", date(2025, 3, 14))
    requests = [
        ClaimRequest(fresh, "ivan@example.com", "<a@x>", planned, ("new_year",), "h1", b"letter"),
        ClaimRequest(("c-2", "birthday", date(2025, 3, 14)), "anna@example.com", "<b@x>", planned),
        ClaimRequest(fresh, "ivan@example.com", "<a@x>", planned),  # the same key again in one batch
        ClaimRequest(sent, "x@example.com", "<c@x>", planned),
        ClaimRequest(due, "x@example.com", "<d@x>", planned),
    ]
    assert journal.claim_many(requests, now=NOW) == [True, True, False, False, True]
    assert journal.claim_many([], now=NOW) == []
    assert committed_rows(journal, "SELECT COUNT(*) FROM greetings WHERE state = 'claimed'") == [(3,)]
    (entry,) = journal.history(contact_id="c-1")
    assert (entry.merged, entry.content_hash, entry.attempts) == (("new_year",), "h1", 1)
    assert journal.payload(fresh) == b"letter" and journal.payload(due) == b"kept"


def test_a_claim_that_never_reached_data_is_given_back_without_an_attempt(journal: JournalStore) -> None:
    """A letter refused before DATA for our login (530 to MAIL FROM) was recorded ``retry``, an
    attempt and a backoff burned for a letter the server never got: its claim is given back."""
    merged, noted = ("c-1", "first_deal", KEY[2]), ("c-1", "new_year", KEY[2])
    assert claim(journal, payload=b"letter")
    journal.mark_skipped(merged, "merged into birthday", NOW, email="ivan@example.com")
    journal.mark_skipped(noted, "suppressed", NOW, email="ivan@example.com")
    journal.release(KEY, NOW + timedelta(seconds=1), merged=[merged, noted])
    assert [(e.key, e.reason) for e in journal.history()] == [(noted, "suppressed")], (
        "a first attempt leaves no trace, nor do the occasions merged into it; other rows stay"
    )
    assert claim(journal, now=NOW + timedelta(minutes=1)), "due again, as if never claimed"
    assert journal.history(contact_id="c-1", occasion="birthday")[0].attempts == 1

    retried = ("c-2", "birthday", KEY[2])
    assert claim(journal, retried, payload=b"kept")
    journal.mark_retry(retried, "451 4.3.0 try later", NOW + timedelta(minutes=5), NOW)
    later = NOW + timedelta(minutes=10)
    assert claim(journal, retried, now=later)  # the retry's second attempt…
    journal.release(retried, later)  # …refused before DATA: given back
    (entry,) = journal.history(contact_id="c-2")
    assert (entry.state, entry.attempts, entry.next_attempt_at) == ("retry", 1, later)
    assert entry.last_reply == "451 4.3.0 try later", "the last reply the server really gave"
    assert [e.key for e in journal.due_retries(later)] == [retried] and journal.payload(retried) == b"kept"

    journal.mark_sent(KEY, "250 ok", later)
    with pytest.raises(
        JournalStateError, match="cannot release greeting c-1/birthday/2025-03-14: it is sent"
    ):
        journal.release(KEY, later)
    with pytest.raises(JournalStateError, match="no such greeting"):
        journal.release(("c-9", "birthday", KEY[2]), later)


def test_a_journal_round_keeps_the_good_ones_when_one_row_moved_meanwhile(journal: JournalStore) -> None:
    """Claims and verdicts share a round; one verdict refused (its row moved) rolls back nothing else."""
    from greeter.config_loader import load_settings
    from greeter.delivery import Deliverer, Leased
    from greeter.transport import Outcome, SendResult

    keys = [(f"c-{i}", "birthday", KEY[2]) for i in (1, 2, 3)]
    for key in keys:
        assert claim(journal, key)
    journal.lock_sender()
    assert journal.recover_stale_claims(NOW) == 3  # all three "interrupted"…
    for key in (keys[0], keys[2]):
        journal.resend(key, NOW)  # …two resent by the operator: retry, then claimed again
        assert claim(journal, key, now=NOW + timedelta(minutes=1))
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    deliverer = Deliverer(settings, journal, render=None, now=NOW)  # type: ignore[arg-type]
    planned = datetime(2025, 3, 14, 11, 0, tzinfo=MOSCOW)
    new, taken = ("c-4", "birthday", KEY[2]), keys[0]
    trips = [
        (SendResult(keys[0], Outcome.OK, 250, "2.0.0 ok"), 1, None, "x@example.com", NOW),
        ClaimRequest(new, "d@example.com", "<d@x>", planned, payload=b"letter"),
        (SendResult(keys[1], Outcome.OK, 250, "2.0.0 ok"), 1, None, "x@example.com", NOW),
        ClaimRequest(taken, "x@example.com", "<e@x>", planned),  # already in the journal: not ours
        (SendResult(keys[2], Outcome.OK, 250, "2.0.0 ok"), 1, None, "x@example.com", NOW),
    ]
    done = deliverer.journal_round(trips)
    assert done[0] == done[4] == "sent" and done[1] is True and done[3] is False
    if isinstance(journal, Leased):
        # A shared journal: the 250 for keys[1], which a recovery had made uncertain while this
        # sender's claim was still its own, proves the letter arrived — recorded sent in the round.
        assert done[2] == "sent" and deliverer.summary.sent_after_lapse == [keys[1]]
        moved, sent = "sent", 3
    else:
        assert isinstance(done[2], JournalStateError) and "uncertain" in str(done[2])
        moved, sent = "uncertain", 2
    assert [state(journal, key) for key in [*keys, new]] == ["sent", moved, "sent", "claimed"]
    assert committed_rows(journal, "SELECT count(*) FROM greetings WHERE state = 'sent'") == [(sent,)]
    assert journal.payload(new) == b"letter"


def test_a_forked_child_does_not_keep_the_sender_lock(tmp_path: Path) -> None:
    """A build worker outliving a killed sender must not hold the journal's flock."""
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=NOW) as sender:
        sender.lock_sender()
        pid = os.fork()
        if pid == 0:  # the child: its copy of the lock is closed, and it cannot take the lock
            code = 0 if sender._lock_fd is None else 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        with (
            Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=NOW) as other,
            pytest.raises(JournalLockedError),
        ):
            other.lock_sender()  # the parent still holds it


# --- operational failures, read-only readers and abandoned claims ------------------------------


def test_a_full_journal_is_an_operational_failure_not_a_config_error(tmp_path: Path) -> None:
    """SQLITE_FULL through the real code path: the database may not grow by a page (max_page_count)."""
    with Journal.open(str(tmp_path / "j.sqlite3"), now=NOW) as j:
        assert claim(j)
        pages, size, free = (
            j._conn.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("page_count", "page_size", "freelist_count")
        )
        j._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
        # more than the pages left free inside the file (a new journal has a few: migration 11 rebuilt greetings)
        with pytest.raises(JournalUnavailableError, match="database or disk is full") as info:
            claim(j, ("c-2", "birthday", date(2025, 3, 14)), payload=b"x" * (20_000 + free * size))
        assert info.value.exit_code == EXIT_TEMPFAIL == 75
        assert isinstance(info.value, JournalError)  # callers catching JournalError still do
        assert state(j) == "claimed"  # reading goes on; the failed claim left nothing behind
        assert [e.contact_id for e in j.history()] == ["c-1"]


@pytest.mark.parametrize(
    ("error", "operational"),
    [
        (psycopg.OperationalError("connection refused"), True),  # no SQLSTATE: never reached the server
        (psycopg.OperationalError('FATAL:  role "greeter" does not exist'), False),  # …or said why not
        (psycopg.errors.DiskFull("no space left"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), True),
        (psycopg.errors.SerializationFailure("could not serialize"), True),
        (psycopg.errors.LockNotAvailable("lock timeout"), True),
        (psycopg.errors.InvalidPassword("password authentication failed"), False),
        (psycopg.errors.InvalidCatalogName("database does not exist"), False),
        (psycopg.errors.InsufficientPrivilege("permission denied"), False),
        # refused by libpq before any server was tried: the connection string is wrong…
        (psycopg.OperationalError('connection is bad: invalid sslmode value: "bogus"'), False),
        (psycopg.ProgrammingError('invalid URI query parameter: "sslmdoe"'), False),
        # …unless every server failed at once (no Unix socket: the server is down)
        (psycopg.OperationalError('connection is bad: connection to server on socket "/run/x" failed'), True),
        # an option the server refuses
        (psycopg.OperationalError('failed: FATAL:  unrecognized configuration parameter "bogus"'), False),
        (psycopg.OperationalError("connection failed: received invalid response to SSL negotiation"), True),
    ],
)
def test_postgresql_errors_are_operational_only_when_the_server_cannot_do_it_now(
    error: psycopg.Error, operational: bool
) -> None:
    made = pg_journal_error("journal postgresql://db/crm: boom", error)
    assert isinstance(made, JournalUnavailableError) is operational
    assert made.exit_code == (75 if operational else 2)


def test_postgresql_down_exits_75_and_a_missing_database_exits_2() -> None:
    with pytest.raises(JournalUnavailableError):
        open_journal("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2", now=NOW)
    missing = databases.require_pg().rsplit("/", 1)[0] + f"/{databases.unique('no_such_db')}"
    with pytest.raises(JournalError) as info:
        open_journal(missing, now=NOW)
    assert not isinstance(info.value, JournalUnavailableError) and info.value.exit_code == 2


def _with_password(url: str, password: str) -> str:
    """The test server's URL with ``password`` in it (trust auth ignores it; a message must not show it)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = f"{parts.username or 'postgres'}:{password}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


PASSWORD = "pw-n0t-to-be-shown"


@pytest.mark.parametrize(
    ("param", "said"),
    [
        ("sslmode=bogus", 'invalid sslmode value: "bogus"'),  # refused by libpq before connecting
        ("target_session_attrs=bogus", 'invalid target_session_attrs value: "bogus"'),
        ("port=abc", 'invalid integer value "abc" for connection option "port"'),
        ("sslmdoe=require", 'invalid URI query parameter: "sslmdoe"'),  # cannot be parsed at all
    ],
)
def test_a_connection_string_libpq_refuses_is_a_configuration_error_naming_storage_url(
    param: str, said: str
) -> None:
    with databases.pg_schema() as (url, schema):
        with pytest.raises(JournalError) as info:
            open_journal(databases.with_query(_with_password(url, PASSWORD), param), now=NOW)
        assert not isinstance(info.value, JournalUnavailableError) and info.value.exit_code == 2
        message = str(info.value)
        assert f"storage.url is not a valid connection string: {said}" in message, message
        assert PASSWORD not in message and "connection is bad" not in message
        with databases.pg_admin() as conn:  # refused before anything was created
            assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is None


def test_greeters_own_url_parameters_are_named_when_wrong_and_a_malformed_url_shows_no_password() -> None:
    url = _with_password(databases.require_pg(), PASSWORD)
    for param, said in [
        ("lease_seconds=abc", "storage.url: lease_seconds='abc' is not a number of seconds"),
        ("lease_seconds=-5", "storage.url: lease_seconds='-5' must be positive"),
        ("lease_seconds=inf", "storage.url: lease_seconds='inf' is too large"),
    ]:
        with pytest.raises(JournalError, match=re.escape(said)) as info:
            open_journal(databases.with_query(url, param), now=NOW)
        assert info.value.exit_code == 2 and PASSWORD not in str(info.value)
    # libpq quotes a URL it cannot parse whole; the password is blanked all the same
    malformed = f"postgresql://postgres:{PASSWORD}@[::1:5432/test"
    with pytest.raises(JournalError) as info:
        open_journal(malformed, now=NOW)
    assert info.value.exit_code == 2 and PASSWORD not in str(info.value)
    try:
        psycopg.connect(malformed)
    except psycopg.ProgrammingError as exc:
        assert PASSWORD in str(exc)  # what one_line has to blank
        assert PASSWORD not in one_line(exc, malformed)
        assert PASSWORD not in connection_string_problem(exc, malformed)


def test_a_server_that_is_not_there_stays_temporary_even_when_libpq_gives_up_at_once(tmp_path: Path) -> None:
    """No socket file (the server is down): libpq fails at once, as for a bad option — but exit 75."""
    with pytest.raises(JournalUnavailableError) as info:
        open_journal(f"postgresql:///test?host={tmp_path}", now=NOW)
    assert info.value.exit_code == 75 and "storage.url" not in str(info.value)


def test_sqlite_claims_are_abandoned_only_while_no_sender_holds_the_lock(tmp_path: Path) -> None:
    db = str(tmp_path / "j.sqlite3")
    with Journal.open(db, now=NOW) as dead:
        dead.lock_sender()
        assert claim(dead)
    # the sender is gone (its lock with it): its claim is abandoned; a reader sees so and changes nothing
    with Journal.open(db, now=NOW) as reader:
        assert not reader.sender_active()
        assert reader.abandoned_claims() == {KEY}
        assert state(reader) == "claimed"
        with Journal.open(db, now=NOW) as sender:
            sender.lock_sender()
            assert claim(sender, ("c-2", "birthday", date(2025, 3, 14)))
            # a live sender: its claims (and any it will recover itself) are not a reader's to call
            assert reader.sender_active() and reader.abandoned_claims() == set()
        assert len(reader.abandoned_claims()) == 2


def test_a_readers_lock_probe_never_makes_a_starting_sender_give_up(tmp_path: Path) -> None:
    """history probes the sender lock with a shared flock for a moment; lock_sender outwaits it."""
    db = tmp_path / "j.sqlite3"
    with Journal.open(str(db), now=NOW) as sender:
        sender.lock_sender()
    fd = os.open(f"{db}.lock", os.O_RDONLY)
    closed = threading.Event()

    def probe_done() -> None:
        os.close(fd)
        closed.set()

    done = threading.Timer(0.05, probe_done)  # …and done 50 ms later
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # a reader probing, caught mid-probe
        done.start()
        with Journal.open(str(db), now=NOW) as sender:
            sender.lock_sender()
    finally:
        done.cancel()
        if done.is_alive():
            done.join()
        if not closed.is_set():  # closed once: a second close may close another file given its number
            os.close(fd)


def test_postgresql_claims_are_abandoned_once_their_lease_ran_out() -> None:
    with (
        databases.pg_schema() as (url, _),
        PgJournal.open(url + f"&lease_seconds={LEASE}", now=NOW) as dead,
        PgJournal.open(url, now=NOW) as reader,
    ):
        dead.lock_sender()
        assert claim(dead)
        assert reader.abandoned_claims() == set()  # the lease still runs: a live sender's
        deadline = time.monotonic() + LEASE + 30
        while not reader.abandoned_claims():  # the lease runs out (by the server's clock)
            assert time.monotonic() < deadline, "the lease never ran out"
            time.sleep(0.05)
        assert reader.abandoned_claims() == {KEY}
        assert state(reader) == "claimed"  # read, not changed


#: A skipped row's reason as the planner, the opt-outs, an operator and an older greeter wrote it.
SKIP_REASONS_WRITTEN = (
    "merged into birthday",
    "frequency_cap: only 13 days from the greeting of 2026-12-16 (min_gap_days 14)",
    "suppressed: ivan@example.com is on the do-not-contact list",
    "outside_audience: not in audience.include",
    "no_email",
    "invalid_contact: no name",
    "baseline: recorded as handled (2026-12-01)",
    "dismissed",
    "erasure request",
    "something an older greeter wrote",
    "no_emailing: a word that only starts like one",
)


def test_tallies_group_skips_by_the_reason_code_history_shows(journal: JournalStore) -> None:
    """``greeter_greetings{state="skipped",reason=…}``: the SQL CASE says what history's reason_code
    says, on both databases — one group per code, never one per sentence."""
    from greeter.history_view import reason_code

    for n, reason in enumerate(SKIP_REASONS_WRITTEN):
        journal.record_handled((f"c-{n}", "birthday", date(2025, 3, 14)), reason, NOW, email=None)
    entries = list(journal.history(state="skipped"))
    expected: dict[str, int] = {}
    for e in entries:
        code = reason_code(e) or "other"
        expected[code] = expected.get(code, 0) + 1
    found = {reason: t.greetings for (state, _, reason), t in journal.tallies().items() if state == "skipped"}
    assert found == expected
    assert found["other"] == 3 and found["no_email"] == 1 and found["merged"] == 1
