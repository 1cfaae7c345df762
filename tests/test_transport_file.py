"""The file transport, result classification, and batching over any transport."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.config import Sender
from greeter.message import build_message, make_message_id
from greeter.plan_types import Rendered
from greeter.ratelimit import RateLimiter
from greeter.reply_classes import classify_reply
from greeter.testing import FakeClock, RecordingTransport, parse
from greeter.transport import (
    Breaker,
    FileTransport,
    Outcome,
    Outgoing,
    SendResult,
    eml_name,
    run_batch,
    send_many,
)

SENDER = Sender(name="Ромашка", email="hello@romashka.example")
DAY = date(2025, 3, 14)
#: A journal's Message-ID key (any 32 bytes).
KEY = bytes(range(32))


def letter(contact_id: str, occasion: str = "birthday") -> Outgoing:
    key = (contact_id, occasion, DAY)
    data = build_message(
        Rendered(subject="С днём рождения!", text="Поздравляем!\n", html="<p>Поздравляем!</p>"),
        to_email=f"{contact_id}@example.com",
        to_name="Иван Петрович",
        sender=SENDER,
        message_id=make_message_id(key, "romashka.example", KEY),
        date=datetime(2025, 3, 14, 8, tzinfo=UTC),
    )
    return Outgoing(key, SENDER.email, f"{contact_id}@example.com", data)


def test_file_transport_writes_one_eml_per_greeting_atomically(tmp_path: Path) -> None:
    outbox = tmp_path / "out" / "box"
    transport = FileTransport(outbox)
    assert not outbox.exists(), "constructors do no I/O"
    item = letter("c-1")

    async def run() -> SendResult:
        return await transport.send(item.envelope_from, item.rcpt, item.data, item.key)

    result = asyncio.run(run())
    assert result.ok and result.code == 250
    files = sorted(os.listdir(outbox))
    assert files == [eml_name(item.key)], "no temporary files left behind"
    assert files[0].startswith("2025-03-14_birthday_c-1_") and files[0].endswith(".eml")
    written = (outbox / files[0]).read_bytes()
    assert written == item.data
    assert parse(written)["Message-ID"] == make_message_id(item.key, "romashka.example", KEY)
    # Sending the same greeting again replaces its file instead of adding one.
    assert asyncio.run(run()).ok
    assert os.listdir(outbox) == files


def test_eml_names_are_safe_and_distinct_for_hostile_ids() -> None:
    names = {eml_name((cid, "birthday", DAY)) for cid in ("../../etc/passwd", "a/b", "a_b", "кириллица", "")}
    assert len(names) == 5
    assert all("/" not in n and not n.startswith(".") and n.isascii() for n in names)


def test_unwritable_outbox_is_a_temporary_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    item = letter("c-1")
    result = asyncio.run(
        FileTransport(blocker / "outbox").send(item.envelope_from, item.rcpt, item.data, item.key)
    )
    assert result.outcome is Outcome.TEMPORARY
    assert "cannot write to outbox" in result.text


def test_an_outbox_that_refuses_every_letter_gives_one_reply_for_all(tmp_path: Path) -> None:
    """A full disk's error names each letter's temporary file: 399 letters read as 399 replies."""
    from greeter.transport import outbox_unwritable

    outbox = tmp_path / "outbox"
    texts = {
        outbox_unwritable(outbox, OSError(28, "No space left on device", str(outbox / f".{n}.eml.{n}.tmp")))
        for n in ("a", "b", "c")
    }
    assert texts == {f"cannot write to outbox {outbox}: [Errno 28] No space left on device"}


@pytest.mark.parametrize(
    ("code", "text", "outcome", "unknown"),
    [
        (250, "2.0.0 OK", Outcome.OK, False),
        (421, "4.3.2 closing", Outcome.TEMPORARY, False),
        (451, "4.3.0 later", Outcome.TEMPORARY, False),
        (452, "4.2.2 full", Outcome.TEMPORARY, False),
        (550, "5.1.1 User unknown", Outcome.PERMANENT, True),
        (550, "User unknown", Outcome.PERMANENT, True),
        (550, "5.7.1 Rejected by policy", Outcome.PERMANENT, False),
        (551, "User not local", Outcome.PERMANENT, True),
        (553, "5.1.3 Bad address syntax", Outcome.PERMANENT, True),
        (552, "5.2.2 Mailbox full", Outcome.PERMANENT, False),
        (554, "5.7.1 Spam", Outcome.PERMANENT, False),
        (554, "Transaction failed", Outcome.PERMANENT, False),
    ],
)
def test_replies_are_classified(code: int, text: str, outcome: Outcome, unknown: bool) -> None:
    result = classify_reply(("c", "o", DAY), code, text)
    assert (result.outcome, result.unknown_user) == (outcome, unknown)
    assert result.reply == f"{code} {text}"


def test_reply_is_one_line() -> None:
    result = SendResult(("c", "o", DAY), Outcome.PERMANENT, 550, "5.1.1 no\r\n such\nuser")
    assert result.reply == "550 5.1.1 no such user"


def test_recording_transport_scripts_answers_per_recipient_and_for_the_next_messages() -> None:
    transport = RecordingTransport()
    transport.answer("c-2@example.com", 550, "5.1.1 unknown")
    transport.answer_next(1, 451, "4.3.0 later")
    items = [letter(f"c-{i}") for i in range(4)]

    async def run() -> list[SendResult]:
        results = [r async for r in transport.send_many(items)]
        await transport.close()
        return results

    results = {r.key[0]: r for r in asyncio.run(run())}
    assert results["c-0"].outcome is Outcome.TEMPORARY
    assert results["c-2"].outcome is Outcome.PERMANENT and results["c-2"].unknown_user
    assert results["c-1"].ok and results["c-3"].ok
    assert [m["To"].addresses[0].addr_spec for m in transport.messages()] == [
        "c-1@example.com",
        "c-3@example.com",
    ]
    assert len(transport.attempts) == 4 and transport.closed


def test_send_many_bounds_concurrency_and_pulls_items_lazily() -> None:
    in_flight = 0
    peak = 0
    pulled: list[str] = []

    class Slow(RecordingTransport):
        async def send(
            self, envelope_from: str, rcpt: str, data: bytes, key: tuple[str, str, date]
        ) -> SendResult:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1
            return await super().send(envelope_from, rcpt, data, key)

    def items() -> Iterator[Outgoing]:
        for i in range(20):
            pulled.append(f"c-{i}")
            # Lazy: never more than `concurrency` pulled ahead of what has been sent.
            assert len(pulled) - len(transport.attempts) <= 3
            yield letter(f"c-{i}")

    transport = Slow()

    async def run() -> list[SendResult]:
        return [r async for r in send_many(transport, items(), concurrency=3)]

    results = asyncio.run(run())
    assert len(results) == 20 and all(r.ok for r in results)
    assert peak == 3
    assert sorted(r.key[0] for r in results) == sorted(pulled)


def test_send_many_takes_async_sources_and_applies_the_rate_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, per_second=4)
    sent_at: list[float] = []

    class Timed(RecordingTransport):
        async def send(
            self, envelope_from: str, rcpt: str, data: bytes, key: tuple[str, str, date]
        ) -> SendResult:
            sent_at.append(clock.now)
            return await super().send(envelope_from, rcpt, data, key)

    transport = Timed()

    async def items() -> AsyncIterator[Outgoing]:
        for i in range(9):
            yield letter(f"c-{i}")

    async def run() -> None:
        results = [r async for r in send_many(transport, items(), concurrency=4, limiter=limiter)]
        assert len(results) == 9

    asyncio.run(run())
    assert len(sent_at) == 9 and len(transport.delivered) == 9
    # 9 sends at 4/s: t = 0, 0.25, …, 2.0 — the 5th and the 9th a millisecond later, so that no
    # closed second holds 5 (ratelimit.WINDOW_MARGIN).
    assert sent_at[-1] == pytest.approx(2.0, abs=0.003)
    # Discovering the end cost one more permit (at t = 2.25); it was handed back, unused.
    assert clock.now == pytest.approx(2.25, abs=0.003)
    assert limiter.wait_time() == 0.0


def test_an_error_in_the_source_stops_the_batch_and_is_raised() -> None:
    transport = RecordingTransport()

    def items() -> Iterator[Outgoing]:
        yield letter("c-1")
        raise RuntimeError("journal went away")

    async def run() -> None:
        async for _ in send_many(transport, items(), concurrency=2):
            pass

    with pytest.raises(RuntimeError, match="journal went away"):
        asyncio.run(run())


def test_an_error_in_one_send_lets_the_sends_in_flight_finish_and_pulls_no_more() -> None:
    """Cutting a letter off mid-transaction would leave it ``uncertain``: the others finish first."""
    pulled: list[int] = []
    finished: list[int] = []

    def items() -> Iterator[int]:
        for i in range(100):
            pulled.append(i)
            yield i

    async def send(i: int) -> SendResult:
        if i == 1:
            await asyncio.sleep(0)
            raise RuntimeError("journal went away")
        # In flight when the error comes: turns of the event loop, not seconds. Timers of 0.01 s and
        # 0.05 s both ran out on a loaded machine before the loop woke, and then the two letters
        # finished before the batch had heard of the error and pulled a fourth.
        for _ in range(20):
            await asyncio.sleep(0)
        finished.append(i)
        return SendResult(("c", "birthday", date(2027, 4, 13)), Outcome.OK, 250, "ok")

    async def run() -> None:
        async for _ in run_batch(send, items(), concurrency=3):
            pass

    with pytest.raises(RuntimeError, match="journal went away"):
        asyncio.run(run())
    assert finished == [0, 2], "the letters in hand were sent to the end"
    assert pulled == [0, 1, 2], "nothing was pulled after the error"


def test_the_breaker_holds_letters_back_after_a_strike_and_opens_after_limit_in_a_row() -> None:
    """Strikes + letters in flight never exceed the limit; a letter sent closes it; ``limit`` strikes open it."""
    key = ("c", "birthday", DAY)
    sent = SendResult(key, Outcome.OK, 250, "ok")
    swallowed = SendResult(key, Outcome.UNCERTAIN, None, "timed out after the message was sent")
    silent = SendResult(
        key, Outcome.TEMPORARY, None, "timed out", fault="the mail server mx stopped answering"
    )
    refused = SendResult(key, Outcome.PERMANENT, 550, "5.1.1 unknown user")  # the server answers: no strike

    async def run() -> None:
        breaker = Breaker(3)
        assert [await breaker.admit() for _ in range(3)] == [None, None, None]
        breaker.done(swallowed)  # one strike, two still at the server: that could make three
        waiting = asyncio.ensure_future(breaker.admit())
        await asyncio.sleep(0)
        assert not waiting.done()
        breaker.done(refused)  # an answer, but not a letter sent: room for one more, no more
        assert await waiting is None
        held = asyncio.ensure_future(breaker.admit())
        await asyncio.sleep(0)
        assert not held.done()
        breaker.done(sent)  # sent: the strikes are forgiven
        assert await held is None and breaker.strikes == 0
        breaker.done(silent)
        breaker.done(swallowed)
        assert await breaker.admit() is None  # two strikes, nothing in flight: one more may go
        breaker.done(silent)  # three in a row without a letter sent: open
        assert await breaker.admit() == "not attempted: the mail server mx stopped answering; retried later"
        assert breaker.in_flight == 0

    asyncio.run(run())
