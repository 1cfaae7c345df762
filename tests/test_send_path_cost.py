"""The sending process's work per letter (issue 5): what it no longer does, with the result unchanged.

The send path is the bottleneck of a large ``send --once`` (the build workers
have a core of their own); these pin savings that tests of behaviour alone
would not notice disappearing: a verdict is one SQL statement, a fresh claim
reads no row before it inserts its own, and a letter a
build worker checked for DATA is not scanned again on the way out; and a
recipient's send window is worked out once per sending period, not per letter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter import send
from greeter.calendar_rules import build_calendar, in_window
from greeter.config_window import SendWindow
from greeter.errors import JournalStateError, NotAllMovedError
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest
from greeter.smtp_transport import dot_stuffed
from greeter.transport import CleanLetter, is_clean

NOW = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
KEY = ("c-1", "birthday", date(2025, 3, 14))


def _statements(journal: Journal) -> list[str]:
    """Start recording the SQL the journal's connection runs, transaction control left out. A
    statement whose trigger runs (migration 14's, dropping a finished letter) is traced again as
    the trigger's program starts: recorded once."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if sql.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA") and seen[-1:] != [sql]:
            seen.append(sql)

    journal._conn.set_trace_callback(trace)
    return seen


def test_a_verdict_is_one_statement_and_a_wrong_one_still_says_why(tmp_path: Path) -> None:
    journal = Journal.open(str(tmp_path / "journal.sqlite"), now=NOW)
    request = ClaimRequest(KEY, "ivan@example.com", "<a@x>", NOW, (), "h", b"letter")
    assert journal.claim_many([request], now=NOW) == [True]
    seen = _statements(journal)
    journal.mark_sent(KEY, "250 ok", NOW)
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("UPDATE"), seen
    (entry,) = journal.history()
    assert (entry.state, entry.last_reply, journal.payload(KEY)) == ("sent", "250 ok", None)
    with pytest.raises(
        JournalStateError, match="cannot make greeting c-1/birthday/2025-03-14 retry: it is sent"
    ):
        journal.mark_retry(KEY, "451 later", NOW, NOW)
    with pytest.raises(JournalStateError, match="there is no such greeting"):
        journal.mark_failed(("c-2", "birthday", date(2025, 3, 14)), "550 no", NOW)
    journal.mark_expired(("c-3", "birthday", date(2025, 3, 14)), NOW, email="x@example.com")  # still inserted
    assert [e.state for e in journal.history(contact_id="c-3")] == ["expired"]
    journal.close()


def test_a_fresh_claim_reads_no_row_before_it_inserts_its_own(tmp_path: Path) -> None:
    """A fresh letter's claim asks nothing of the ``greetings`` table: one statement for fresh
    letters and retries (``NOT :retry OR EXISTS …``) read the table it inserts into, and SQLite
    first gathered each claim's row in a temporary b-tree, ~44,000 instructions of every letter
    sent (callgrind). A retry's claim still asks that its row is there: one erased meanwhile
    (``greeter forget``) is not claimed."""
    journal = Journal.open(str(tmp_path / "journal.sqlite"), now=NOW)
    erased = ("c-2", "birthday", date(2025, 3, 14))
    fresh = ClaimRequest(KEY, "ivan@example.com", "<a@x>", NOW, (), "h", b"letter")
    retry = ClaimRequest(erased, "anna@example.com", "<b@x>", NOW, retry=True)
    seen = _statements(journal)
    assert journal.claim_many([fresh, retry], now=NOW) == [True, False]
    journal._conn.set_trace_callback(None)
    # the fresh letter's bytes go to their own table (migration 14), in a statement of its own
    letters = [sql for sql in seen if sql.lstrip().startswith("INSERT INTO letters")]
    seen = [sql for sql in seen if sql not in letters]
    assert len(letters) == 1 and len(seen) == 2, seen
    reads = [
        [row[-1] for row in journal._conn.execute(f"EXPLAIN QUERY PLAN {sql}") if "greetings" in row[-1]]
        for sql in seen
    ]
    assert reads[0] == [], "a fresh claim reads no row of greetings"
    assert reads[1], "a retry's claim asks that its row is there"
    assert [e.key for e in journal.history()] == [KEY]
    journal.close()


@given(
    st.lists(st.sampled_from([b"a", b".", b"\r", b"\n", b"\r\n", b"\r\n.", b"=="]), max_size=40).map(b"".join)
)
def test_a_clean_letter_goes_into_data_as_it_would_have_after_the_scan(data: bytes) -> None:
    """``is_clean`` holds exactly when the DATA payload is the bytes and the final dot line."""
    assert is_clean(data) == (dot_stuffed(data) == data + b".\r\n")
    if is_clean(data):
        assert dot_stuffed(CleanLetter(data)) == dot_stuffed(data)


def test_a_built_letter_is_clean() -> None:
    """What the email package builds (CRLF, base64 or quoted-printable bodies) passes the check."""
    letter = b"Subject: =?utf-8?b?0J/RgNC40LLQtdGC?=\r\nTo: <a@example.com>\r\n\r\n0J/RgNC4\r\n"
    assert is_clean(letter)
    assert not is_clean(letter + b".\r\n") and not is_clean(letter.replace(b"\r\n", b"\n"))


def test_the_send_window_is_worked_out_once_per_period_and_answers_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every minute of a Friday and a holiday eve, two zones: what in_window says, asked far less."""
    window = SendWindow()  # 10:00–18:00, lunch 13–14, Friday cut-off 15:00, 30 quiet minutes
    calendar = build_calendar(window, "RU", range(2026, 2029))
    zones = {"msk": ZoneInfo("Europe/Moscow"), "vvo": ZoneInfo("Asia/Vladivostok")}
    moment = [datetime(2027, 4, 15, 22, 0, tzinfo=UTC)]  # Thursday night (UTC), to Saturday
    settings = SimpleNamespace(send_window=window, defaults=SimpleNamespace(timezone="Europe/Moscow"))
    deliverer = SimpleNamespace(clock=lambda: moment[0], settings=settings)
    cycle = SimpleNamespace(deliverer=deliverer, zones=zones, calendar_of=lambda _: calendar)
    found_open = [0]

    def counted(*args: Any) -> bool:
        answer = in_window(*args)
        found_open[0] += answer
        return answer

    monkeypatch.setattr(send, "in_window", counted)
    window_open = send.window_watch(cast(send.Cycle, cycle))
    letters = 0
    while moment[0] < datetime(2027, 4, 17, tzinfo=UTC):
        for contact in ("msk", "vvo", "msk"):
            expected = in_window(moment[0], zones[contact], window, calendar)
            assert window_open(contact) is expected, (contact, moment[0])
            letters += expected
        moment[0] += timedelta(minutes=1)
    # Friday (cut-off at 15:00) in both zones, Saturday closed: two periods a zone, once each.
    assert letters > 500 and found_open[0] == 4, (
        f"{found_open[0]} open periods worked out for {letters} letters"
    )


def test_a_rounds_sent_verdicts_at_once_leave_the_rows_mark_sent_leaves(tmp_path: Path) -> None:
    """``mark_all_sent`` (one ``executemany`` for a round's 250s) writes what a ``mark_sent`` each
    writes, each row at its own moment; one row not ``claimed`` rolls back the transaction, whole."""
    keys = [(f"c-{i}", "birthday", date(2025, 3, 14)) for i in range(3)]
    moments = [NOW + timedelta(seconds=i, microseconds=7) for i in range(3)]
    rows = []
    for name, at_once in (("one.sqlite", False), ("all.sqlite", True)):
        journal = Journal.open(str(tmp_path / name), now=NOW)
        requests = [ClaimRequest(k, f"{k[0]}@example.com", f"<{k[0]}@x>", NOW, (), "h", b"x") for k in keys]
        assert journal.claim_many(requests, now=NOW) == [True] * 3
        if at_once:
            assert journal.mark_all_sent(
                [(k, f"250 ok {k[0]}", at) for k, at in zip(keys, moments, strict=True)]
            )
        else:
            for k, at in zip(keys, moments, strict=True):
                journal.mark_sent(k, f"250 ok {k[0]}", at)
        rows.append([tuple(r) for r in journal._conn.execute("SELECT * FROM greetings ORDER BY contact_id")])
        journal.close()
    assert rows[0] == rows[1] and {r[3] for r in rows[1]} == {"sent"}

    journal = Journal.open(str(tmp_path / "moved.sqlite"), now=NOW)
    requests = [ClaimRequest(k, f"{k[0]}@example.com", f"<{k[0]}@x>", NOW, (), "h", b"x") for k in keys]
    assert journal.claim_many(requests, now=NOW) == [True] * 3
    journal.mark_uncertain(keys[1], "no reply", NOW)  # moved meanwhile: no longer claimed
    with pytest.raises(NotAllMovedError):
        journal.mark_all_sent([(k, "250 ok", NOW) for k in keys])
    assert [e.state for e in journal.history()] == ["claimed", "uncertain", "claimed"], "nothing written"
    assert journal.payload(keys[0]) == b"x"
    journal.close()
