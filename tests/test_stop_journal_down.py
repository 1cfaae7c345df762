"""A stop ends the daemon promptly, with exit 0, even while its PostgreSQL journal does not answer.

Found by an operator: with the journal lost, ``systemctl stop`` took libpq's
10-second connect timeout and then ended with exit 75 and a ``cannot_start``
line — for a daemon that had been running fine — and a stop during start-up
against a server that accepts connections and never answers was ignored
until that timeout. Under systemd a requested stop then leaves the unit
``failed``.

Real pieces: ``greeter run`` as a subprocess, the test PostgreSQL behind a
:class:`~greeter.testing.TcpRelay` that the test cuts (the shared server is
never touched), and a :class:`~greeter.testing.SilentServer` as a database
host that black-holes connections.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from greeter.testing import SilentServer, SmtpSink, TcpRelay
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import HANG_GUARD, DaemonProcess
from tests.test_send_e2e import LATER, NOW, history, people, smtp
from tests.test_stop_signals import wait_until

#: Below libpq's connect timeout (10 s), which the old daemon waited out, with room for a
#: loaded 2-core machine running the suite on both cores (a daemon's exit took 3–4 s there).
PROMPT = 7.0


def _via(port: int, schema: str) -> str:
    """The test database's URL, but reached through ``port`` and kept in ``schema``."""
    base = urlsplit(databases.require_pg())
    user = f"{base.username}@" if base.username else ""
    return f"postgresql://{user}127.0.0.1:{port}{base.path}?schema={schema}"


def _stop(daemon: DaemonProcess) -> tuple[int, float]:
    """SIGTERM; the exit code and how long the daemon took to exit."""
    started = time.monotonic()
    code = daemon.stop(signal.SIGTERM)
    return code, time.monotonic() - started


def test_a_running_daemon_whose_journal_went_away_stops_at_once_with_exit_0(
    make_project: MakeProject,
) -> None:
    pg = urlsplit(databases.require_pg())
    with databases.pg_schema() as (_, schema), TcpRelay(pg.port or 5432) as relay:
        # a run every real second (a cron minute at 60×), so one is planning when the journal goes
        config = make_project(
            people(2), storage={"url": _via(relay.port, schema)}, schedule={"cron": "* * * * *"}
        )
        with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:
            daemon.wait_for("run")
            relay.stop()  # the journal is gone: every connection refused from now on
            time.sleep(2.5)  # a run has started since, and waits for a database connection
            code, took = _stop(daemon)
            names = [e["event"] for e in daemon.events]
    assert code == 0, daemon.output()
    assert took < PROMPT, f"took {took:.1f} s: {daemon.output()}"
    assert "cannot_start" not in names and names[-1] == "stopped", daemon.output()
    assert names.index("stopping") < names.index("stopped")


def test_a_stop_while_connecting_to_a_journal_that_never_answers_ends_start_up_at_once(
    make_project: MakeProject,
) -> None:
    with SilentServer("banner") as black_hole:  # accepts the connection, never says a word
        config = make_project(people(1), storage={"url": _via(black_hole.port, "greeter")})
        with DaemonProcess(config, "--now", NOW) as daemon:
            assert daemon.proc is not None
            wait_until(lambda: black_hole.connections >= 1, 30, "the daemon connecting to its journal")
            code, took = _stop(daemon)
            stopping = daemon.wait_for("stopping")
            stopped = daemon.wait_for("stopped")
    assert code == 0, daemon.output()
    assert took < PROMPT, f"took {took:.1f} s: {daemon.output()}"
    assert stopping["during"] == stopped["during"] == "start-up"
    assert not daemon.named("cannot_start") and not daemon.named("started")


@pytest.mark.parametrize(
    "query",
    [b"sent_at >= ", b"next_attempt_at > "],  # journal.sent_times, journal.waiting_retries
    ids=["sent_times", "waiting_retries"],
)
def test_a_stop_while_a_run_waits_for_the_journal_after_planning_ends_at_once(
    make_project: MakeProject, query: bytes
) -> None:
    """deliver_cycle read the journal on the event loop (the rate limiter's past sends before the
    batch, the next retry after it): a stop that came while PostgreSQL was slow to answer either
    was not even heard until the answer came, and ``systemctl stop`` waited for it (10 s and more)."""
    pg = urlsplit(databases.require_pg())
    with databases.pg_schema() as (_, schema), TcpRelay(pg.port or 5432) as relay:
        config = make_project(
            people(2, day="13.09.1980"),  # nothing due: a run plans, then reads the journal and ends
            storage={"url": _via(relay.port, schema)},
            schedule={"cron": "* * * * *"},  # a run every real second at 60×
        )
        with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:
            daemon.wait_for("run")
            held = relay.hold(query)  # the next run's statement never reaches the database:
            assert held.wait(HANG_GUARD), daemon.output()  # the daemon waits for its answer
            assert daemon.proc is not None
            daemon.proc.send_signal(signal.SIGTERM)
            # The answer never comes while the relay holds it: a daemon that exits at all did not
            # wait for it (no clock needed; one that waits hangs until the guard).
            try:
                code = daemon.proc.wait(timeout=HANG_GUARD)
            except subprocess.TimeoutExpired:
                relay.release()  # the database answers at last
                raise AssertionError(f"the stop waited for the journal: {daemon.output()}") from None
            relay.release()
            daemon.kill()  # the reader has every line
            names = [e["event"] for e in daemon.events]
    assert code == 0, daemon.output()
    assert names[-1] == "stopped" and names.index("stopping") < names.index("stopped"), daemon.output()
    assert "run_failed" not in names and "cannot_start" not in names, daemon.output()


@pytest.mark.parametrize(
    "query", [b"sent_at >= ", b"next_attempt_at > "], ids=["before-the-batch", "after-the-batch"]
)
def test_a_stop_during_those_reads_loses_and_repeats_no_greeting(
    make_project: MakeProject, query: bytes
) -> None:
    """Stopped while the read before the batch waits: nothing was claimed, every letter is left for the
    next start. Stopped while the read after it waits: every letter the server took is recorded
    ``sent`` already. Either way the next start sends what is left, each letter once."""
    pg = urlsplit(databases.require_pg())
    with (
        databases.pg_schema() as (_, schema),
        TcpRelay(pg.port or 5432) as relay,
        SmtpSink() as sink,
    ):
        config = make_project(people(3), storage={"url": _via(relay.port, schema)}, **smtp(sink.port))
        held = relay.hold(query)  # the first run's read
        with DaemonProcess(config, "--now", NOW) as daemon:
            assert held.wait(HANG_GUARD), daemon.output()
            # The relay holds the answer until after the exit: a stop that waited for it hangs
            # (daemon.stop's hang guard), one that did not exits — however slow the machine.
            code = daemon.stop(signal.SIGTERM)
        relay.release()
        assert code == 0, f"exit {code}: {daemon.output()}"
        first = len(sink.messages)
        assert first == (0 if query.startswith(b"sent_at") else 3), daemon.output()
        with DaemonProcess(config, "--now", LATER) as again:
            again.wait_for("run")
            assert again.stop() == 0, again.output()
        ids = sink.message_ids()
        states = Counter(r["state"] for r in history(config))
    assert len(ids) == 3 and len(set(ids)) == 3, ids
    assert states == {"sent": 3}, states
