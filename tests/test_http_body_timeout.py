"""A one-click POST's body must arrive in time: a client that stops mid-body is cut off, not waited for.

The listener bounds a request's headers (``header_seconds``, aiohttp's keep-alive timer)
and its connections (256), but aiohttp times no body: ``Content-Length: 100``, ten bytes,
and then nothing (or a byte now and then) held the connection and one of the 256 places
for as long as the client liked — 256 such clients and the listener answered no one, not
even ``/livez``. Through the real listener on a real socket, with a real SQLite journal; the
timeout is the listener's ``header_seconds``, shortened as the header-timeout test does.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
import structlog

from greeter.http_api import ApiContext, make_app, start_site
from greeter.journal import open_journal
from greeter.logs import configure_logging
from greeter.metrics import RunStats
from greeter.unsubscribe import make_token
from tests.test_http_hardening import _closed_within
from tests.test_unsubscribe import NEW, ONE_CLICK

#: The listener's header timeout here: its body timeout too.
SECONDS = 1.0
#: How long a test waits for a close that should come after :data:`SECONDS`: ample, yet far
#: below aiohttp's 10 s of lingering (a 408 whose connection was then drained would fail it).
PATIENCE = 5.0


def _partial_post(port: int, path: str) -> socket.socket:
    """A one-click POST that announces 100 bytes of body and sends 10 of them."""
    sock = socket.create_connection(("127.0.0.1", port))
    head = f"POST {path} HTTP/1.1\r\nHost: greeter\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
    sock.sendall(head.encode() + ONE_CLICK[:10])
    return sock


def _trickle(sock: socket.socket, seconds: float) -> None:
    """One byte of body every tenth of a second for ``seconds`` (while the server reads them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            sock.sendall(b" ")
        except OSError:
            return
        time.sleep(0.1)


def test_a_post_whose_body_stalls_or_trickles_is_closed_in_time_and_a_whole_one_unsubscribes(
    tmp_path: Path,
) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    ctx = ApiContext(journal=journal, stats=RunStats(started_at=now), clock=lambda: now, secret=NEW.encode())
    stalled_path = f"/unsubscribe/{make_token(NEW.encode(), 'stalled@example.com')}"
    trickled_path = f"/unsubscribe/{make_token(NEW.encode(), 'trickled@example.com')}"
    whole_path = f"/unsubscribe/{make_token(NEW.encode(), 'whole@example.com')}"

    async def scenario() -> None:
        # Two places: the stalled and the trickling client take both while they last.
        runner, port = await start_site(
            make_app(ctx), "127.0.0.1", 0, max_connections=2, header_seconds=SECONDS
        )
        loop = asyncio.get_running_loop()
        try:
            stalled = await loop.run_in_executor(None, _partial_post, port, stalled_path)
            trickled = await loop.run_in_executor(None, _partial_post, port, trickled_path)
            trickling = loop.run_in_executor(None, _trickle, trickled, PATIENCE)
            cut = await asyncio.gather(
                loop.run_in_executor(None, _closed_within, stalled, PATIENCE),
                loop.run_in_executor(None, _closed_within, trickled, PATIENCE),
            )
            await trickling
            assert all(c is not None and c < PATIENCE for c in cut), cut  # None: still open
            for sock in (stalled, trickled):
                sock.close()
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    f"http://127.0.0.1:{port}{whole_path}",
                    data=ONE_CLICK,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                ) as answer,
            ):
                assert answer.status == 200, await answer.text()  # their places are free again
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
        assert journal.suppressed() == {"whole@example.com"}
    finally:
        journal.close()


def test_the_closed_post_is_answered_408_and_logged_without_token_or_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client that stalls hears why (408), and the operator reads ``unsubscribe_bad_request``
    with ``reason: body_timeout`` — as for the other one-click POSTs that unsubscribed nobody."""
    stream = io.StringIO()
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # the process's own logging setup is given back afterwards
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    ctx = ApiContext(journal=journal, stats=RunStats(started_at=now), clock=lambda: now, secret=NEW.encode())
    token = make_token(NEW.encode(), "stalled@example.com")

    async def scenario() -> bytes:
        runner, port = await start_site(make_app(ctx), "127.0.0.1", 0, header_seconds=SECONDS)
        loop = asyncio.get_running_loop()
        try:
            sock = await loop.run_in_executor(None, _partial_post, port, f"/unsubscribe/{token}")
            sock.settimeout(PATIENCE)
            answer = await loop.run_in_executor(None, sock.recv, 4096)
            sock.close()
            return answer
        finally:
            await runner.cleanup()

    configure_logging(stream, json=True)
    try:
        answer = asyncio.run(scenario())
        assert journal.suppressed() == set()
    finally:
        journal.close()
        logging.captureWarnings(False)
        structlog.reset_defaults()
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"Connection: close" in answer, answer
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    refused = [e for e in lines if e["event"] == "unsubscribe_bad_request"]
    assert [(e["level"], e["reason"]) for e in refused] == [("warning", "body_timeout")], lines
    assert token not in stream.getvalue() and "stalled@example.com" not in stream.getvalue()
