"""A reload that meets a journal which does not answer is put off and taken once it answers.

Found by an operator: during a short PostgreSQL outage, a valid edit of the
config (a ConfigMap update, or ``systemctl reload``) was refused — the
reload checks the journal for whose project it is, and the journal did not
answer — and logged ``reload_failed_keeping_old_config`` as though the
config were broken. The refusal took the files' fingerprint, so the watch
never tried them again: once the database was back the daemon kept the old
config silently until the file changed again, and ``/healthz`` called the
new, valid config broken all along.

Now such a reload is put off (``reload_put_off``, its reason the journal's),
not refused: ``/healthz`` and ``/metrics`` keep ``config`` ok, and the watch
tries the files again at each look until the journal answers — then
``reloaded``, without the file being touched again. A broken config meeting
the same outage is still refused once, never tried again every 2 seconds.

And it is taken promptly: the journal's pool tried to connect again after
pauses that doubled (psycopg_pool's 1, 2, 4 … 32 s), so after a minute's
outage ``reloaded`` came tens of seconds after the database answered again;
now within :data:`RELOADED_WITHIN` (tests/test_journal_pg.py times the pool
itself, which fails on the old pauses every time).

Real pieces: ``greeter run`` as a subprocess, its journal the test PostgreSQL
behind a :class:`~greeter.testing.TcpRelay` that the test stops (every
connection refused: the database gone) and starts again on the same port; the
reload's tries are seen by the daemon's systemd notifications (``RELOADING=1``,
then ``READY=1`` with its ``STATUS``) on a socket of the test's.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from greeter.config_watch import WATCH_SECONDS
from greeter.testing import TcpRelay
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, Event, http
from tests.test_reload_health import _metric
from tests.test_send_e2e import NOW, people
from tests.test_stop_journal_down import _via

#: A run every real second (a cron minute at 60×), answering on a free port.
ARGS = ("--now", NOW, "--speed", "60", "--listen", "127.0.0.1:0")
#: The valid edit: runs every second minute instead of every minute.
NEW_CRON = "*/2 * * * *"
#: The most ``reloaded`` may come after the database answers again: the pool's pause between
#: connect attempts (about 2 s at most), the watch's next look (2 s), the reload, on a loaded machine.
RELOADED_WITHIN = 10.0
#: What the daemon tells systemd after a reload put off (``STATUS``, with ``READY=1``).
PUT_OFF_STATUS = "serving: reload put off (journal unreachable), old config kept"


@contextmanager
def _notify_socket(folder: Path) -> Iterator[socket.socket]:
    """A datagram socket standing for systemd's ``NOTIFY_SOCKET``, bound in ``folder``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(folder / "notify"))
        sock.settimeout(0.2)
        yield sock


def _put_off_again(sock: socket.socket, timeout: float = 60) -> None:
    """Wait for the reload to be put off a second time: a later try met the outage again (each try
    tells systemd ``RELOADING=1``, then ``READY=1`` with its ``STATUS``, here :data:`PUT_OFF_STATUS`)."""
    put_off = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = dict(line.split("=", 1) for line in sock.recv(4096).decode().splitlines())
        except TimeoutError:
            continue
        put_off += fields.get("READY") == "1" and fields.get("STATUS") == PUT_OFF_STATUS
        if put_off == 2:
            return
    raise AssertionError(f"no reload put off twice within {timeout}s")


def _config_health(daemon: DaemonProcess) -> tuple[object, float | None, float | None]:
    """``/healthz``'s ``config``, ``/metrics``' reload failures and whether the last reload was taken."""
    _, body = http(daemon.url("/healthz"))
    _, metrics = http(daemon.url("/metrics"))
    return (
        json.loads(body)["config"],
        _metric(metrics, "greeter_config_reload_failures_total"),
        _metric(metrics, "greeter_config_last_reload_successful"),
    )


def _outcome(daemon: DaemonProcess, timeout: float = 60) -> Event:
    """The first reload's outcome line: ``reloaded``, ``reload_put_off`` or ``reload_failed_keeping_old_config``."""
    names = ("reloaded", "reload_put_off", "reload_failed_keeping_old_config")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in list(daemon.events) if e.get("event") in names]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no reload outcome within {timeout}s:\n{daemon.output()}")


@pytest.mark.parametrize("told", ["watch", "sighup"])
def test_a_valid_edit_met_by_a_journal_outage_is_taken_once_the_journal_answers(
    make_project: MakeProject, tmp_path: Path, told: str
) -> None:
    """``watch``: the edit seen by the watch; ``sighup``: ``watch_config: false``, the edit sent by
    SIGHUP — the reload the operator asked for is tried again all the same."""
    pg = urlsplit(databases.require_pg())
    schedule = {"cron": "* * * * *", **({"watch_config": False} if told == "sighup" else {})}
    with (
        databases.pg_schema() as (_, schema),
        TcpRelay(pg.port or 5432) as relay,
        _notify_socket(tmp_path) as notices,
    ):
        config = make_project(
            people(1, day="13.09.1980"), storage={"url": _via(relay.port, schema)}, schedule=schedule
        )
        edited = re.sub(r"cron: .*", f"cron: '{NEW_CRON}'", config.read_text(encoding="utf-8"), count=1)
        with DaemonProcess(config, *ARGS, env={"NOTIFY_SOCKET": notices.getsockname()}) as daemon:
            daemon.wait_for("run")
            port = relay.port
            relay.stop()  # the journal is gone: every connection refused from now on
            config.write_text(edited, encoding="utf-8")
            if told == "sighup":
                daemon.send_signal(signal.SIGHUP)
            first = _outcome(daemon)  # the reload that met the outage
            during = _config_health(daemon)
            _put_off_again(notices)  # a later look tried again, and met the outage again
            still = [e["event"] for e in daemon.events]
            relay.port = port
            relay.start()  # the database answers again, on the same address
            back = time.monotonic()
            reloaded = daemon.wait_for("reloaded")  # the file is not touched again
            taken_after = time.monotonic() - back
            after = _config_health(daemon)
            assert daemon.stop() == 0, daemon.output()
    (put_off,) = daemon.named("reload_put_off")  # said once, not at each try
    assert first is put_off, first  # not reload_failed_keeping_old_config
    assert put_off["level"] == "warning" and put_off["reason"] == "journal_unavailable", put_off
    assert "Connection refused" in put_off["error"] and put_off["retry_in_seconds"] == WATCH_SECONDS, put_off
    # Not a refusal: the config is not called broken; tried again without a change seen.
    assert "reload_failed_keeping_old_config" not in still and "reloaded" not in still, daemon.output()
    assert still.count("config_changed") == (1 if told == "watch" else 0), daemon.output()
    assert during == ("ok", 0.0, 1.0), during
    assert reloaded["cron"] == NEW_CRON, reloaded
    assert taken_after < RELOADED_WITHIN, f"reloaded {taken_after:.1f} s after the journal answered again"
    assert after == ("ok", 0.0, 1.0), after
    assert not daemon.named("reload_failed_keeping_old_config"), daemon.output()


def test_a_broken_edit_met_by_a_journal_outage_is_refused_once(make_project: MakeProject) -> None:
    pg = urlsplit(databases.require_pg())
    with databases.pg_schema() as (_, schema), TcpRelay(pg.port or 5432) as relay:
        config = make_project(
            people(1, day="13.09.1980"),
            storage={"url": _via(relay.port, schema)},
            schedule={"cron": "* * * * *"},
        )
        broken = re.sub(
            r"cron: .*", "cron: 'every minute please'", config.read_text(encoding="utf-8"), count=1
        )
        with DaemonProcess(config, *ARGS) as daemon:
            daemon.wait_for("run")
            relay.stop()
            config.write_text(broken, encoding="utf-8")
            refused = daemon.wait_for("reload_failed_keeping_old_config")
            time.sleep(3 * WATCH_SECONDS)  # the watch's looks: the refused files are not read again
            health = _config_health(daemon)
            assert daemon.stop() == 0, daemon.output()
    assert any("schedule.cron" in p for p in refused["problems"]), refused
    assert len(daemon.named("reload_failed_keeping_old_config")) == 1, daemon.output()
    assert not daemon.named("reload_put_off"), daemon.output()
    assert health == ("reload_failed", 1.0, 0.0), health
