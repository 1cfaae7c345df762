"""Signals, shutdown and logs that cannot be written: the daemon and ``send --once`` always stop cleanly.

Real processes where it matters: ``greeter run`` and ``greeter send --once``
as subprocesses, against the in-process SMTP servers of :mod:`greeter.testing`
(:class:`SmtpSink` answering slowly, :class:`SilentServer` never greeting).
A signal "during start-up" is made deterministic by waiting until the process
catches SIGHUP (``/proc/PID/status``: the entry point's handlers are in), then
freezing it (SIGSTOP) while the signal is sent, so it is handled before the
start-up — a third of a second of imports and a second of loading — is over.
Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import structlog

from greeter.journal import open_journal
from greeter.journal_store import JournalKey
from greeter.logs import configure_logging, get_logger
from greeter.runtime import load_inputs
from greeter.send import deliver_cycle, plan_cycle
from greeter.signals import Signals, command_of
from greeter.testing import SilentServer, SmtpSink
from greeter.transport import OnReady, Outcome, SendResult
from tests.conftest import TODAY, MakeProject, contact_row
from tests.daemon_harness import ROOT, DaemonProcess
from tests.test_send_e2e import NOW, greeter_process, people, smtp

LISTEN = ("--listen", "127.0.0.1:0")


def journal_states(config: Path) -> Counter[str]:
    """Greetings by state, read straight from the SQLite journal (read-only; none if there is none yet)."""
    path = config.parent / "data" / "journal.sqlite3"
    if not path.exists():
        return Counter()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute("SELECT state, count(*) FROM greetings GROUP BY state").fetchall()
    except sqlite3.OperationalError:  # being created right now
        return Counter()
    finally:
        db.close()
    return Counter({str(state): int(n) for state, n in rows})


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.01)


def catches(pid: int, *sigs: signal.Signals) -> bool:
    """Whether the process has handlers for all of ``sigs`` (SigCgt in /proc/PID/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return all(mask & (1 << (sig - 1)) for sig in sigs)


def signal_during_startup(proc: subprocess.Popen[Any], sig: signal.Signals) -> None:
    """Send ``sig`` as soon as the entry point remembers signals, long before start-up is over."""
    wait_until(lambda: catches(proc.pid, signal.SIGHUP, signal.SIGTERM), 30, "the entry point's handlers")
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        os.kill(proc.pid, sig)
    finally:
        os.kill(proc.pid, signal.SIGCONT)


def only_json(raw: str) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in raw.splitlines()]
    assert all(isinstance(e, dict) for e in events)
    return events


# --- pure and in-process ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["run"], "run"),
        (["-c", "g.yaml", "run", "--now", "2027-01-01T09:00"], "run"),
        (["--config", "run", "check"], "check"),  # a config file called "run"
        (["--config=g.yaml", "-v", "run"], "run"),
        (["--verbose", "send", "--once"], "send"),
        (["--help"], None),
        ([], None),
    ],
)
def test_the_subcommand_is_found_after_the_group_options(args: list[str], command: str | None) -> None:
    assert command_of(args) == command


@pytest.mark.parametrize(
    ("argv0", "command", "caught"), [("greeter", "run", True), ("greeter", "check", False)]
)
def test_the_greeter_script_remembers_signals_before_its_imports_only_for_run(
    argv0: str, command: str, caught: bool
) -> None:
    probe = (
        "import signal, sys\n"
        f"sys.argv = [{'/venv/bin/' + argv0!r}, '-c', 'g.yaml', {command!r}]\n"
        "import greeter\n"
        "print(signal.getsignal(signal.SIGHUP) is not signal.SIG_DFL, 'pydantic' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.split() == [str(caught), "False"], result.stderr


def test_signals_are_remembered_then_handled_by_the_loop_then_remembered_again() -> None:
    before = signal.getsignal(signal.SIGHUP)
    handled: list[signal.Signals] = []
    with Signals(reload=True) as signals:
        signal.raise_signal(signal.SIGHUP)  # would end the process by default
        signal.raise_signal(signal.SIGTERM)
        assert signals.received == [signal.SIGHUP, signal.SIGTERM] and signals.stop == signal.SIGTERM

        async def main() -> None:
            loop = asyncio.get_running_loop()
            signals.attach(loop, handled.append)
            assert handled == [signal.SIGHUP, signal.SIGTERM]  # replayed at once, in order
            signal.raise_signal(signal.SIGINT)
            await asyncio.sleep(0.05)
            assert handled[-1] == signal.SIGINT
            signals.detach(loop)

        asyncio.run(main())
        signal.raise_signal(signal.SIGTERM)  # the loop is gone: remembered, harmless
        assert signals.received[-1] == signal.SIGTERM and handled[-1] == signal.SIGINT
    assert signal.getsignal(signal.SIGHUP) == before


class _Gone(io.StringIO):
    """A log stream whose reader went away: every write is a broken pipe."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_log_stream_that_cannot_be_written_loses_lines_not_the_caller(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    try:
        for stream, close in ((_Gone(), False), (io.StringIO(), True)):
            configure_logging(stream, json=True)
            if close:
                stream.close()  # a closed stream: ValueError on write
            get_logger(component="test").info("stopping", signal="SIGTERM")  # structlog
            logging.getLogger("apscheduler.scheduler").error("stdlib too")  # a library's record
    finally:
        logging.captureWarnings(False)
        structlog.reset_defaults()
    assert "Logging error" not in capsys.readouterr().err  # not even the logging module's complaint


class _Gated:
    """A transport: the first ``claims`` letters are claimed, then wait for ``answer``; the others wait
    for a connection that never opens (a server that never greets)."""

    def __init__(self, claims: int) -> None:
        self.claims = claims
        self.claimed = self.connecting = 0
        self.answer = asyncio.Event()

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        if self.claimed < self.claims:
            self.claimed += 1
            assert ready is not None and await ready()
            await self.answer.wait()
            return SendResult(key, Outcome.OK, 250, "2.0.0 OK")
        self.connecting += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def close(self) -> None:
        return None


def test_a_stop_waits_for_the_claimed_letters_only_and_leaves_the_rest_unclaimed(
    make_project: MakeProject,
) -> None:
    config = make_project(people(6), **smtp(9, pool_size=4))
    inputs = load_inputs(config, today=TODAY)
    now = datetime.fromisoformat(NOW)
    journal = open_journal(inputs.settings.storage.url, now=now)
    try:
        journal.lock_sender()
        cycle = plan_cycle(inputs, journal, now=now)
        transport = _Gated(claims=2)

        async def main() -> None:
            batch = asyncio.ensure_future(deliver_cycle(cycle, transport=transport))
            for _ in range(500):
                if (transport.claimed, transport.connecting) == (2, 2):
                    break
                await asyncio.sleep(0.01)
            assert (transport.claimed, transport.connecting) == (2, 2)
            cycle.deliverer.stop()
            await asyncio.sleep(0.2)
            assert not batch.done()  # the two letters at the server are waited for
            assert Counter(e.state for e in journal.history()) == {"claimed": 2}
            transport.answer.set()
            await asyncio.wait_for(batch, 10)  # the two waiting for a connection do not hold it up

        asyncio.run(main())
        summary = cycle.deliverer.summary
        assert (summary.counts["sent"], summary.left_unsent) == (2, 4)
        assert Counter(e.state for e in journal.history()) == {"sent": 2}  # the other four: no row at all
    finally:
        journal.close()


# --- the daemon -------------------------------------------------------------------------


def test_a_daemon_whose_log_reader_is_gone_goes_on_sending_and_stops_on_sigterm(
    make_project: MakeProject,
) -> None:
    """`greeter run 2>&1 | head -2`: the pipe breaks; SIGTERM used to be lost in the "stopping" line."""
    with SmtpSink() as sink:
        rows = people(2, day="14.04.1980")  # due on Wednesday, not at the start on Tuesday evening
        config = make_project(rows, schedule={"cron": "0 3 * * *"}, **smtp(sink.port))
        # Tuesday 19:00 → Wednesday morning's send window in about a second and a half
        args = [
            "run",
            "--log-format",
            "json",
            "--now",
            "2027-04-13T19:00:00+03:00",
            "--speed",
            "36000",
            *LISTEN,
        ]
        proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", "--config", str(config), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=config.parent,
        )
        try:
            assert proc.stdout is not None
            for _ in range(20):  # like `| head`: read the first lines, up to "started"
                if json.loads(proc.stdout.readline())["event"] == "started":
                    break
            proc.stdout.close()  # the reader goes away: every later line is a broken pipe
            wait_until(lambda: len(sink.messages) == 2 or proc.poll() is not None, 60, "both letters sent")
            assert proc.poll() is None and len(sink.messages) == 2  # it went on working
            wait_until(lambda: journal_states(config) == {"sent": 2}, 30, "their verdicts recorded")
            proc.send_signal(signal.SIGTERM)  # its "stopping" line cannot be written
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert journal_states(config) == {"sent": 2}


def test_a_daemon_started_without_stdout_and_stderr_works_and_stops_with_exit_0(
    make_project: MakeProject,
) -> None:
    """`greeter run >&- 2>&-`: Python has no sys.stderr at all; it used to end as an internal error (3)."""
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        command = [sys.executable, "-m", "greeter", "--config", str(config), "run", "--now", NOW]
        proc = subprocess.Popen(
            ["sh", "-c", 'exec "$@" >&- 2>&-', "sh", *command],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            wait_until(lambda: len(sink.messages) == 2 or proc.poll() is not None, 60, "both letters sent")
            assert proc.poll() is None and len(sink.messages) == 2
            wait_until(lambda: journal_states(config) == {"sent": 2}, 30, "their verdicts recorded")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_sighup_during_start_up_reloads_once_started_instead_of_killing_the_daemon(
    make_project: MakeProject,
) -> None:
    """It used to die with status 129, which systemd's Restart=on-failure takes for a clean exit."""
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            assert daemon.proc is not None
            signal_during_startup(daemon.proc, signal.SIGHUP)
            daemon.wait_for("reloaded")
            daemon.wait_for("run")
            names = [e["event"] for e in daemon.events]
            assert names.index("reload_when_started") < names.index("started") < names.index("reloaded")
            assert daemon.stop() == 0
        assert len(sink.messages) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_start_up_ends_it_cleanly_with_exit_0(
    make_project: MakeProject, sig: signal.Signals
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            assert daemon.proc is not None
            signal_during_startup(daemon.proc, sig)
            assert daemon.proc.wait(timeout=60) == 0
            stopping = daemon.wait_for("stopping")
            stopped = daemon.wait_for("stopped")
            raw = daemon.output()
        assert (stopping["signal"], stopping["during"], stopped["during"]) == (
            sig.name,
            "start-up",
            "start-up",
        )
        assert not daemon.named("started") and not daemon.named("run")
        assert sink.messages == []
    only_json(raw)
    assert "claimed" not in journal_states(config)


def test_a_stop_with_nothing_handed_over_does_not_wait_for_a_silent_server(make_project: MakeProject) -> None:
    """A server that accepts connections and never greets: the letters waiting for it are dropped, unclaimed."""
    with SilentServer("banner") as server:
        changes = smtp(server.port)
        changes["delivery"]["smtp"]["timeout_seconds"] = 60
        config = make_project(people(6), schedule={"shutdown_timeout_seconds": 30}, **changes)
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            daemon.wait_for("started")
            wait_until(lambda: server.connections >= 2, 30, "the pool connecting to the silent server")
            started = time.monotonic()
            assert daemon.stop() == 0
            took = time.monotonic() - started
            run = daemon.wait_for("run")
        assert not daemon.named("shutdown_timeout") and took < 10  # not the 30 s shutdown timeout
    assert (run["interrupted"], run["left_unsent"], run["due"], run["sent"]) == ("shutdown", 6, 6, 0)
    assert run["uncertain"] == 0 and not daemon.named("in_flight_at_shutdown_now_uncertain")
    assert journal_states(config) == Counter()  # nothing claimed: all six go out at the next start


def test_a_stop_mid_batch_says_so_in_the_run_line_and_the_rest_go_out_at_the_next_start(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.delay(0.1)  # 40 letters over a pool of 2: about two seconds of sending
        config = make_project(people(40), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            daemon.wait_for("started")
            wait_until(lambda: len(sink.messages) >= 6, 60, "some letters sent")
            assert daemon.stop() == 0
            run = daemon.wait_for("run")
        states = journal_states(config)
        sent = len(sink.messages)
        assert states == {"sent": sent} and sent < 40
        assert (run["interrupted"], run["due"], run["sent"], run["left_unsent"]) == (
            "shutdown",
            40,
            sent,
            40 - sent,
        )
        assert run["level"] == "info"  # a routine stop, nothing went wrong
        with DaemonProcess(config, "--now", "2027-04-14T11:30:00+03:00", *LISTEN) as rest:
            again = rest.wait_for("run")
            assert rest.stop() == 0
        assert (again["due"], again["sent"]) == (40 - sent, 40 - sent) and "interrupted" not in again
        ids = sink.message_ids()
        assert len(ids) == 40 and len(set(ids)) == 40
    assert journal_states(config) == {"sent": 40}


# --- send --once --------------------------------------------------------------------------


def _send_once(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_send_once_stops_gracefully_prints_its_summary_and_leaves_nothing_claimed(
    make_project: MakeProject, sig: signal.Signals, code: int
) -> None:
    """300 letters: built by a forked worker (greeter.build_pool) while the pool of 2 sends.

    SIGHUP (the SSH session dropped) used to kill it on the spot: no summary, exit 129, and
    the letters at the server left ``uncertain`` for an operator to decide."""
    with SmtpSink() as sink:
        sink.delay(0.1)
        config = make_project(people(300), **smtp(sink.port))
        proc = _send_once(config, "--json")
        try:
            wait_until(lambda: len(sink.messages) >= 4, 60, "some letters sent")
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
        assert proc.returncode == code, err
        summary = json.loads(out)
        sent = len(sink.messages)
        assert (summary["stopped_by"], summary["due"], summary["sent"]) == (sig.name, 300, sent)
        assert summary["left_unsent"] == 300 - sent and summary["uncertain"] == 0
        assert journal_states(config) == {"sent": sent}  # in-flight letters finished and were recorded
        sink.delay(0.0)
        later = greeter_process(
            config, "send", "--once", "--json", "--now", "2027-04-14T11:30:00+03:00", timeout=300
        )
        assert later.returncode == 0, later.stderr
        rest = json.loads(later.stdout)
        assert (rest["sent"], rest["stopped_by"], rest["left_unsent"]) == (300 - sent, None, None)
        ids = sink.message_ids()
        assert len(ids) == 300 and len(set(ids)) == 300


def test_send_once_stopped_with_letters_due_says_next_send_now_not_the_next_planned_one(
    make_project: MakeProject,
) -> None:
    """A SIGTERM left 3 due letters unsent, and ``next_send`` named the next planned letter, 12 minutes on:
    a wrapper sleeping until then held letters a dry run at that moment listed as due."""
    tomorrow = contact_row("later", "later@example.com", birthday="15.04.1980")
    with SmtpSink() as sink:
        sink.delay(0.1)
        config = make_project([*people(40), tomorrow], **smtp(sink.port))
        proc = _send_once(config, "--json")
        try:
            wait_until(lambda: len(sink.messages) >= 4, 60, "some letters sent")
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
    assert proc.returncode == 143, err
    summary = json.loads(out)
    assert summary["stopped_by"] == "SIGTERM" and summary["left_unsent"] > 0, summary
    assert summary["next_letter"]["contact_id"] == "later"  # the next planned one is tomorrow's
    assert summary["next_send"] == NOW  # but the ones left unsent are due now
    rehearsal = greeter_process(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
    assert json.loads(rehearsal.stdout)["due"] == summary["left_unsent"], rehearsal.stderr


def test_send_once_letters_still_in_flight_after_the_timeout_are_uncertain_never_claimed(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.delay(30.0)  # the server takes 30 s to answer the final dot; the stop allows 0.5 s
        changes = smtp(sink.port)
        changes["delivery"]["smtp"]["timeout_seconds"] = 60
        config = make_project(people(5), schedule={"shutdown_timeout_seconds": 0.5}, **changes)
        proc = _send_once(config)
        try:
            wait_until(lambda: journal_states(config) == {"claimed": 2}, 60, "two letters in flight")
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
    assert proc.returncode == 143, err
    assert "uncertain: 2" in out and "stopped: 3 left unsent for the next run" in out, out
    assert "2 letter(s) still in flight 0.5 s after the stop" in err
    assert journal_states(config) == {"uncertain": 2}


def test_send_once_stopped_while_connecting_to_a_silent_server_ends_at_once(
    make_project: MakeProject,
) -> None:
    with SilentServer("banner") as server:
        changes = smtp(server.port)
        changes["delivery"]["smtp"]["timeout_seconds"] = 60
        config = make_project(people(4), schedule={"shutdown_timeout_seconds": 30}, **changes)
        proc = _send_once(config, "--json")
        try:
            wait_until(lambda: server.connections >= 2, 60, "the pool connecting")
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
            took = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
    assert proc.returncode == 143, err
    summary = json.loads(out)
    assert (summary["left_unsent"], summary["sent"], summary["retry"], summary["uncertain"]) == (4, 0, 0, 0)
    assert took < 10  # not the connection timeout, not the shutdown timeout
    assert journal_states(config) == Counter()


def test_send_once_on_a_terminal_that_hangs_up_stops_gracefully_and_exits_129(
    make_project: MakeProject,
) -> None:
    """A dropped SSH session: the terminal is gone (writes to it fail with EIO) and SIGHUP comes.
    The letters at the server finish and are recorded; the summary that cannot be shown is not
    a crash (exit 1, "internal error"), the exit status is 128 + SIGHUP."""
    import pty

    with SmtpSink() as sink:
        sink.delay(0.1)
        config = make_project(people(60), **smtp(sink.port))
        controller, terminal = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        os.close(terminal)
        try:
            wait_until(lambda: len(sink.messages) >= 4, 60, "some letters sent")
            os.close(controller)  # the session is gone: the terminal hangs up
            proc.send_signal(signal.SIGHUP)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        sent = len(sink.messages)
    assert proc.returncode == 129
    assert 4 <= sent < 60 and journal_states(config) == {"sent": sent}  # nothing claimed or uncertain


def test_greetings_a_crashed_send_left_are_recorded_uncertain_and_the_next_send_exits_1(
    make_project: MakeProject,
) -> None:
    """The next send records a killed send's claims as uncertain, which needs an operator's
    decision (greeter uncertain resend|dismiss): `send --help` promised exit 1 for that, it gave 0."""
    with SmtpSink() as sink:
        sink.delay(30.0)  # the letters stay at the server, claimed, until the kill
        changes = smtp(sink.port)
        changes["delivery"]["smtp"]["timeout_seconds"] = 60
        config = make_project(people(4), **changes)
        proc = _send_once(config)
        try:
            wait_until(lambda: journal_states(config) == {"claimed": 2}, 60, "two letters in flight")
        finally:
            proc.kill()
            proc.communicate(timeout=10)
        sink.delay(0.0)
        after = greeter_process(config, "send", "--once", "--json", "--now", "2027-04-14T11:30:00+03:00")
    assert after.returncode == 1, after.stdout + after.stderr
    summary = json.loads(after.stdout)
    assert (summary["recovered_uncertain"], summary["sent"], summary["uncertain"]) == (2, 2, 0)
    assert journal_states(config) == {"uncertain": 2, "sent": 2}
