"""One client address cannot take every place of the HTTP listener: ``/livez`` answers through a flood.

The security re-test (``slowloris2.py``): one client kept ~256 half-open
requests (``GET /livez HTTP/1.1\\r\\n``, nothing more) open, the listener's
global cap was full, and 17 of 19 ``/livez`` probes failed — a Kubernetes
restart loop. Now one address holds at most a quarter of the places
(:mod:`greeter.http_peers`). Real sockets against the real listener: the
flood comes from 127.0.0.2, the probe from 127.0.0.1 (both loopback, as a
node's probe and a local proxy would be).
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from greeter.http_api import MAX_CONNECTIONS, ApiContext, make_app, start_site
from greeter.http_peers import MAX_PER_ADDRESS, PeerCap, client_key
from greeter.journal import open_journal
from greeter.metrics import RunStats

#: More half-open requests than the whole listener holds, all from one address.
FLOOD = MAX_CONNECTIONS + 44


def _half_open(port: int, source: str) -> socket.socket | None:
    """A connection from ``source`` that sends a request line and never the end of its headers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    try:
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"GET /livez HTTP/1.1\r\n")
    except OSError:
        sock.close()
        return None
    return sock


def _still_open(sock: socket.socket) -> bool:
    """Whether the server has kept ``sock`` (no reset, no FIN within a moment)."""
    sock.settimeout(0.05)
    try:
        return sock.recv(1) != b""
    except TimeoutError:
        return True
    except OSError:
        return False


def test_one_address_flooding_half_open_requests_leaves_livez_answering(tmp_path: Path) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    ctx = ApiContext(journal=journal, stats=RunStats(started_at=now), clock=lambda: now, secret=None)

    async def scenario() -> None:
        runner, port = await start_site(make_app(ctx), "127.0.0.1", 0, header_seconds=30.0)
        loop = asyncio.get_running_loop()
        flood: list[socket.socket] = []
        try:
            for _ in range(FLOOD):
                sock = await loop.run_in_executor(None, _half_open, port, "127.0.0.2")
                if sock is not None:
                    flood.append(sock)
            await asyncio.sleep(0.3)  # the server has taken (or closed) every one of them
            answers = []
            for _ in range(5):
                try:
                    async with (
                        aiohttp.ClientSession() as session,
                        session.get(f"http://127.0.0.1:{port}/livez", timeout=aiohttp.ClientTimeout(3)) as r,
                    ):
                        answers.append(r.status)
                except aiohttp.ClientError as exc:
                    answers.append(type(exc).__name__)
            assert answers == [200] * 5, answers
            kept = [s for s in flood if await loop.run_in_executor(None, _still_open, s)]
            assert len(kept) == MAX_PER_ADDRESS, len(kept)
        finally:
            for sock in flood:
                sock.close()
            await runner.cleanup()

    try:
        asyncio.run(scenario())
    finally:
        journal.close()


def test_addresses_are_counted_apart_and_forgotten_when_their_connections_close() -> None:
    cap = PeerCap(2)
    assert [cap.admit("10.0.0.1") for _ in range(3)] == [True, True, False]
    assert cap.admit("10.0.0.2") and cap.refusals.total == 1
    cap.release("10.0.0.1")
    assert cap.admit("10.0.0.1")
    for _ in range(2):
        cap.release("10.0.0.1")
    cap.release("10.0.0.2")
    assert cap.open == {}
    # An IPv6 host picks any address of its /64; an IPv4-mapped address is the IPv4 one.
    assert client_key(("2001:db8:1:2::5", 80, 0, 0)) == client_key(("2001:db8:1:2:ffff::9", 80, 0, 0))
    assert client_key(("::ffff:192.0.2.7", 80, 0, 0)) == client_key(("192.0.2.7", 80)) == "192.0.2.7"
    assert client_key(None) == ""
