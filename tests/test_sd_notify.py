"""systemd's ``Type=notify`` protocol: the daemon says when it serves, reloads and stops, and pings.

The end-to-end test binds a real ``AF_UNIX`` datagram socket, as systemd does,
hands its path to a real ``greeter run`` in ``$NOTIFY_SOCKET`` and reads what
arrives; the pure parts are a table.
"""

from __future__ import annotations

import signal
import socket
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from greeter.daemon_runs import STATUS_PROBLEM, run_status
from greeter.delivery_summary import Summary
from greeter.sd_notify import Notifier, message, notify_address, watchdog_seconds
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon import run_args
from tests.test_send_e2e import people, smtp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/run/systemd/notify", "/run/systemd/notify"),
        ("@/org/freedesktop/systemd1/notify/1", "\0/org/freedesktop/systemd1/notify/1"),
        ("", None),
        ("@", None),
        ("vsock:2:1234", None),  # a virtual machine's host: not a socket greeter opens
        ("relative/path", None),
    ],
)
def test_notify_address(value: str, expected: str | None) -> None:
    assert notify_address({"NOTIFY_SOCKET": value}) == expected
    assert notify_address({}) is None


@pytest.mark.parametrize(
    ("usec", "owner", "expected"),
    [
        ("30000000", "", 15.0),  # WatchdogSec=30: a ping every 15 s, half the interval
        ("30000000", "4242", 15.0),  # meant for this process
        ("30000000", "1", None),  # inherited from a parent it was meant for
        ("0", "", None),
        ("-5", "", None),
        ("soon", "", None),
        ("", "", None),
    ],
)
def test_watchdog_seconds(usec: str, owner: str, expected: float | None) -> None:
    env = {"WATCHDOG_USEC": usec} | ({"WATCHDOG_PID": owner} if owner else {})
    assert watchdog_seconds(env, 4242) == expected


def test_a_line_break_in_a_value_cannot_add_a_field() -> None:
    assert message(READY=1, STATUS="serving\nSTOPPING=1") == b"READY=1\nSTATUS=serving STOPPING=1"


def test_run_status_is_counts_and_a_short_problem() -> None:
    now = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)
    assert (
        run_status(Summary(Counter(sent=3, retry=0)), None, now)
        == "last run 2027-04-14T08:00:00+00:00: 3 sent"
    )
    assert run_status(Summary(), None, now).endswith(": nothing due")
    long = "cannot connect to 127.0.0.1:25: connection refused " * 10
    said = run_status(Summary(Counter(retry=2)), long, now)
    assert said.endswith("; delivery: " + long[:STATUS_PROBLEM]) and "2 retry" in said


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        # a halted batch counts no outcome: "nothing due" beside a stuck letter misled (QA)
        (Summary(halted="the server refuses greeter's host", halted_unsent=1, halted_by="host_blocked"),
         ": 1 left unsent (host_blocked)"),
        (Summary(Counter(sent=6), left_unsent=34), ": 6 sent, 34 left unsent (stopping)"),
        (Summary(Counter(sent=100), quota_unsent=20), ": 100 sent, 20 left unsent (daily quota)"),
        # the same letters held by both, said once (not "6 left unsent" twice)
        (Summary(Counter(sent=3), quota_unsent=6, throttle_unsent=6),
         ": 3 sent, 6 left unsent (provider throttled, daily quota)"),
    ],
)  # fmt: skip
def test_run_status_says_what_a_run_left_for_later(summary: Summary, said: str) -> None:
    assert said in run_status(summary, None, datetime(2027, 4, 14, 8, 0, tzinfo=UTC))


def test_run_status_keeps_saying_a_reload_was_refused() -> None:
    """A refused reload's STATUS was replaced by the next run's, and systemctl status forgot it."""
    refused = datetime(2027, 4, 14, 7, 55, tzinfo=UTC)
    said = run_status(Summary(), None, datetime(2027, 4, 14, 8, 0, tzinfo=UTC), refused)
    assert said.endswith("; config reload refused at 2027-04-14T07:55:00+00:00, old config kept")


def test_without_a_socket_nothing_is_sent_and_a_lost_socket_is_said_once(tmp_path: Path) -> None:
    with capture_logs() as logs:
        Notifier(None).ready("serving")  # outside systemd: nothing to do
        assert logs == []
        gone = Notifier(str(tmp_path / "no-such-socket"))
        gone.ready("serving")
        gone.send(WATCHDOG=1)  # never raised; a ping every few seconds would repeat it: said once
    assert [e["event"] for e in logs] == ["systemd_notify_failed"]
    assert "FileNotFoundError" in logs[0]["error"] and logs[0]["socket"] == str(tmp_path / "no-such-socket")


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.settimeout(0.2)
        yield path, sock


def received_until(sock: socket.socket, want: str, timeout: float = 30) -> list[dict[str, str]]:
    """The notifications read from ``sock`` up to and including the first holding the field ``want``."""
    got: list[dict[str, str]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = sock.recv(4096)
        except TimeoutError:
            continue
        fields = dict(line.split("=", 1) for line in data.decode().splitlines())
        got.append(fields)
        if want in fields:
            return got
    raise AssertionError(f"no {want} within {timeout}s; got {got}")


def test_the_daemon_tells_systemd_ready_reloading_stopping_and_pings(
    make_project: MakeProject, notify_socket: tuple[str, socket.socket]
) -> None:
    path, sock = notify_socket
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"}  # WatchdogSec=0.4s: a ping every 0.2 s
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        with DaemonProcess(config, *run_args(), env=env) as daemon:
            before = received_until(sock, "READY")
            daemon.wait_for("started")  # READY=1 only once it serves: config read, journal open, port bound
            assert before[-1]["STATUS"].startswith("serving: cron ")
            daemon.wait_for("run")
            status = received_until(sock, "STATUS")
            assert "2 sent" in status[-1]["STATUS"], status
            pings = [n for n in received_until(sock, "WATCHDOG") + received_until(sock, "WATCHDOG") if n]
            assert sum("WATCHDOG" in n for n in pings) >= 2, pings
            daemon.send_signal(signal.SIGHUP)
            reload = received_until(sock, "RELOADING")
            assert int(reload[-1]["MONOTONIC_USEC"]) > 0
            again = received_until(sock, "READY")
            assert again[-1]["STATUS"] == "serving: config reloaded", again
            daemon.send_signal(signal.SIGTERM)
            stopping = received_until(sock, "STOPPING")
            assert stopping[-1]["STATUS"].startswith("stopping (SIGTERM)")
            assert daemon.stop() == 0
    assert len(sink.messages) == 2
