"""A mail server that accepts connections and stops answering: the batch stops, it does not hang.

The server (:class:`greeter.testing.SilentServer`, raw asyncio on loopback)
goes quiet before its banner, after AUTH, or after reading a whole message.
With a 0.3 s timeout and a pool of 3, ``greeter send --once`` of 20 due
letters must end after about one timeout: at most the pool's letters are
``uncertain`` (those the server swallowed), every other one is ``retry`` with
one reason, and a later run against a healthy server sends each retry exactly
once. Before the circuit breaker each letter waited out its own timeout, and a
server silent after the final dot made every letter ``uncertain``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from greeter.journal import Journal
from greeter.journal_store import JournalEntry
from greeter.testing import SilentAt, SilentServer, SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter_process, people

POOL = 3
LETTERS = 20
TIMEOUT = 0.3
#: After the retries' 60 s backoff: the server has been fixed meanwhile.
FIXED = "2027-04-14T11:10:00+03:00"
USER, PASSWORD = "greeter", "s3cret"


def journal(config: Path) -> list[JournalEntry]:
    """The journal's rows, read in-process (a ``greeter history`` process costs two seconds)."""
    with Journal.open(
        f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=datetime.now().astimezone()
    ) as j:
        return j.history()


def smtp(port: int, *, auth: bool = False, timeout: float = TIMEOUT) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "pool_size": POOL,
        "timeout_seconds": timeout,
    }
    if auth:
        settings.update(username=USER, password_env="GREETER_TEST_SMTP_PW")
    return {
        "delivery": {
            "transport": "smtp",
            "smtp": settings,
            "rate_limit": {"per_second": None},
            "retry": {"initial_seconds": 60},
        }
    }


@pytest.mark.parametrize("silent_at", ["banner", "auth", "dot"])
def test_a_server_that_stops_answering_stops_the_batch_after_one_timeout(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, silent_at: SilentAt
) -> None:
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", PASSWORD)
    auth = silent_at == "auth"
    with SilentServer(silent_at) as server:
        config = make_project(people(LETTERS), **smtp(server.port, auth=auth))
        started = time.monotonic()
        first = greeter_process(config, "send", "--once", "--json", "--now", NOW, timeout=60)
        seconds = time.monotonic() - started
        port, swallowed = server.port, list(server.message_ids)
        connections, mails = server.connections, server.mail_commands
    assert seconds < 20, f"the batch hung for {seconds:.1f} s"  # ~3 s, most of it starting Python
    summary = json.loads(first.stdout)
    rows = journal(config)
    states = Counter(r.state for r in rows)
    # One round of the pool reached the server; then the batch stopped handing letters over.
    # (No banner: each connection of it also tries TLS once, as a port 465 greets only there.)
    assert connections <= POOL * (2 if silent_at == "banner" else 1) and mails <= POOL, (connections, mails)
    uncertain = {r.message_id for r in rows if r.state == "uncertain"}
    if silent_at == "dot":
        assert 1 <= len(uncertain) <= POOL and uncertain == set(swallowed)
    else:
        assert not uncertain and not swallowed
    assert len(rows) == LETTERS and states["retry"] == LETTERS - len(uncertain), states
    assert (summary["due"], summary["retry"], summary["uncertain"]) == (
        LETTERS,
        LETTERS - len(uncertain),
        len(uncertain),
    )
    # Said once: one line for every letter that was not handed over, with the reason.
    not_attempted = [r for r in summary["replies"] if r["reply"].startswith("not attempted: ")]
    assert len(not_attempted) == 1 and not_attempted[0]["count"] >= LETTERS - POOL, summary["replies"]
    reason = not_attempted[0]["reply"]
    assert f"127.0.0.1:{port}" in reason and reason.endswith("; retried later")
    assert f"within {TIMEOUT:g} s" in reason
    assert sum(r["count"] for r in summary["replies"]) == summary["retry"]

    # The server is fixed: the next run sends every retry once, and nothing uncertain.
    with SmtpSink(port=port, users={USER: PASSWORD} if auth else None) as sink:
        fixed = greeter_process(config, "send", "--once", "--json", "--now", FIXED)
        received = sink.message_ids()
    assert json.loads(fixed.stdout)["sent"] == LETTERS - len(uncertain), fixed.stdout + fixed.stderr
    retried = {r.message_id for r in rows if r.state == "retry"}
    assert sorted(received) == sorted(retried), "each retry exactly once, no uncertain letter again"
    final = Counter(r.state for r in journal(config))
    assert final == Counter({"sent": LETTERS - len(uncertain), "uncertain": len(uncertain)})


def test_a_refused_login_stops_the_batch_too(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused login (535) stops the batch at once, as a silent server does — but claims nothing:
    no retry gets past a wrong password, so the letters wait, unclaimed, for the run after the fix."""
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", "wrong")
    with SmtpSink(users={USER: PASSWORD}) as sink:
        config = make_project(people(LETTERS), **smtp(sink.port, auth=True))
        first = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        connections = sink.connections
    summary = json.loads(first.stdout)
    assert first.returncode == 2 and connections <= POOL, first.stdout + first.stderr
    assert (summary["retry"], summary["sent"], summary["replies"]) == (0, 0, [])
    refused = f"SMTP AUTH as '{USER}' refused by 127.0.0.1:{sink.port}: 535 5.7.8 Authentication credentials invalid"
    assert summary["login_refused"] == refused
    assert journal(config) == []


def test_letters_are_claimed_only_once_their_connection_is_open(make_project: MakeProject) -> None:
    """Killed while waiting for a silent server's greeting: nothing claimed, nothing made uncertain."""
    with SilentServer("banner") as server:
        config = make_project(people(10), **smtp(server.port, timeout=30))
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        cmd = [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 30
            while server.connections < POOL and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.02)
            assert server.connections == POOL, "greeter never opened its pool"
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        port = server.port
    assert journal(config) == [], "a letter was claimed before its connection was open"
    with SmtpSink(port=port) as sink:
        rerun = greeter_process(config, "send", "--once", "--now", FIXED)
        assert "sent: 10" in rerun.stdout and "interrupted" not in rerun.stdout, rerun.stdout + rerun.stderr
        assert len(set(sink.message_ids())) == 10
    assert {r.state for r in journal(config)} == {"sent"}
