"""A letter's verdict rides in the next journal round without its worker waiting for it.

The worker queues the verdict and goes on to its next letter, whose claim is in
the same round or a later one: the verdict is durable no later than that claim.
A verdict the journal refuses (its row moved meanwhile) still stops the batch,
and nothing after it is claimed. Real SQLite journal, real SMTP server.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncGenerator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.config import SmtpSettings
from greeter.config_loader import load_settings
from greeter.delivery import Deliverer, Ready
from greeter.delivery_batch import Batch
from greeter.errors import JournalStateError
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest, JournalKey
from greeter.smtp_transport import SmtpTransport
from greeter.testing import SmtpSink
from greeter.transport import Outgoing
from tests.conftest import ROOT, TODAY

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY = date(2026, 11, 30)
LETTER = b"Subject: hi\r\nMessage-ID: <m@x>\r\n\r\nhello\r\n"


def keys(n: int) -> list[JournalKey]:
    return [(f"c-{i}", "birthday", DAY) for i in range(1, n + 1)]


async def letters(ks: list[JournalKey]) -> AsyncGenerator[Ready, None]:
    for key in ks:
        rcpt = f"{key[0]}@example.com"
        request = ClaimRequest(key, rcpt, f"<{key[0]}@x>", NOW, payload=LETTER)
        yield Ready(Outgoing(key, "greetings@romashka.example", rcpt, LETTER), request, fresh=True)


def run_batch_of(tmp_path: Path, sink: SmtpSink, ks: list[JournalKey]) -> tuple[Deliverer, Batch, Path]:
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(f"sqlite:///{path}", now=NOW)
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    deliverer = Deliverer(settings, journal, render=None, now=NOW)  # type: ignore[arg-type]
    transport = SmtpTransport(
        SmtpSettings(host="127.0.0.1", port=sink.port, pool_size=1, timeout_seconds=5),
        None,
        local_hostname="t",
    )
    info = {key: (1, f"{key[0]}@example.com") for key in ks}
    batch = Batch(
        deliverer, transport, lambda key: NOW + timedelta(days=1), info,
        concurrency=1, limiter=None, progress=None, window_open=None,
    )  # fmt: skip
    return deliverer, batch, path


def states(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT contact_id, state FROM greetings"))


def test_every_verdict_is_recorded_and_counted_when_the_batch_ends(tmp_path: Path) -> None:
    """The last verdict's round is slow (another process holds the journal's write lock): the
    batch still ends only once it is recorded and counted, not with the letter left in hand."""
    ks = keys(5)
    with SmtpSink() as sink:
        sink.delay(0.3)  # each final dot's reply: time to take the lock while the last letter is out
        deliverer, batch, path = run_batch_of(tmp_path, sink, ks)
        held = threading.Event()

        def hold_the_write_lock_once_the_last_is_claimed() -> None:
            with sqlite3.connect(path, timeout=5, isolation_level=None) as conn:
                while conn.execute("SELECT state FROM greetings WHERE contact_id = 'c-5'").fetchone() != (
                    "claimed",
                ):
                    time.sleep(0.005)
                conn.execute("BEGIN IMMEDIATE")
                held.set()
                time.sleep(1.0)  # past the final dot's reply: the verdict's round waits for the lock
                conn.execute("COMMIT")

        async def go() -> tuple[int, int]:
            holder = threading.Thread(target=hold_the_write_lock_once_the_last_is_claimed, daemon=True)
            holder.start()
            try:
                await batch.send_all([], [], letters(ks))
                return deliverer.summary.counts["sent"], batch.in_hand.count  # as the batch ended
            finally:
                await batch.transport.close()
                holder.join(5)

        at_the_end = asyncio.run(go())
        deliverer.journal.close()
    assert held.is_set()
    assert at_the_end == (5, 0), "every verdict recorded and counted, none left in hand"
    assert states(path) == {key[0]: "sent" for key in ks}


def test_a_verdict_the_journal_refuses_stops_the_batch_and_nothing_more_is_claimed(tmp_path: Path) -> None:
    ks = keys(4)
    with SmtpSink() as sink:
        sink.delay(0.5)  # each final dot's reply: time for the row to move meanwhile
        deliverer, batch, path = run_batch_of(tmp_path, sink, ks)
        moved = threading.Event()

        def move_the_first_once_claimed() -> None:  # another hand on the journal (not greeter's)
            while not moved.is_set():
                with sqlite3.connect(path, timeout=5) as conn:
                    if conn.execute("SELECT state FROM greetings WHERE contact_id = 'c-1'").fetchone() == (
                        "claimed",
                    ):
                        conn.execute("UPDATE greetings SET state = 'uncertain' WHERE contact_id = 'c-1'")
                        moved.set()

        async def go() -> None:
            mover = threading.Thread(target=move_the_first_once_claimed, daemon=True)
            mover.start()
            try:
                await batch.send_all([], [], letters(ks))
            finally:
                moved.set()
                await batch.transport.close()

        with pytest.raises(JournalStateError, match="uncertain"):
            asyncio.run(go())
        deliverer.journal.close()
    found = states(path)
    assert found["c-1"] == "uncertain"
    # The first letter's worker queued its verdict and claimed the second in the same round at
    # most; once the refusal came back, no further letter was claimed.
    assert set(found) <= {"c-1", "c-2"} and len(sink.messages) <= 2
