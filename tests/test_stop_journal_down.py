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
import time
from urllib.parse import urlsplit

from greeter.testing import SilentServer, TcpRelay
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, people
from tests.test_stop_signals import wait_until

#: Well below libpq's connect timeout (10 s), which the old daemon waited out.
PROMPT = 5.0


def _via(port: int, schema: str) -> str:
    """The test database's URL, but reached through ``port`` and kept in ``schema``."""
    base = urlsplit(databases.require_pg())
    user = f"{base.username}@" if base.username else ""
    return f"postgresql://{user}127.0.0.1:{port}{base.path}?schema={schema}"


def _stop(daemon: DaemonProcess) -> tuple[int, float]:
    """SIGTERM; the exit code and how long the daemon took to exit."""
    started = time.monotonic()
    code = daemon.stop(signal.SIGTERM, timeout=30)
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
