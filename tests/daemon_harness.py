"""Run ``greeter run`` as a real subprocess and follow its JSON log lines (test helper)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

Event = dict[str, Any]

#: How long a wait for the daemon may take before the test calls it hung: a guard, not a bound
#: on speed. Generous, since it costs nothing when the event comes: a daemon's first run took
#: over 30 s at a load of 20 (two xdist workers and their daemons on two cores). A test whose
#: claim is a duration asserts that duration itself, not through this.
HANG_GUARD = 240.0


class DaemonProcess:
    """``greeter --config CONFIG run --log-format json …`` with its log events collected as dicts."""

    def __init__(
        self, config: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        """``cwd``: the working directory, the config's folder unless given (a systemd unit's is
        another: ``WorkingDirectory=/var/lib/greeter``, the config in /etc/greeter)."""
        self.config = config
        self.cwd = cwd or config.parent
        self.args = args
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.events: list[Event] = []
        self.raw: list[str] = []
        self._lock = threading.Lock()
        self.proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> DaemonProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", "--config", str(self.config), "run", "--log-format", "json",
             *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=self.cwd,
        )  # fmt: skip
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self.raw.append(line)
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    self.events.append(event)

    def wait_for(
        self, name: str, where: Callable[[Event], bool] = lambda e: True, timeout: float = HANG_GUARD
    ) -> Event:
        """The first event called ``name`` matching ``where`` (waiting for it), or AssertionError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for event in self.events:
                    if event.get("event") == name and where(event):
                        return event
            if self.proc is not None and self.proc.poll() is not None:
                self._drain()
                with self._lock:
                    found = [e for e in self.events if e.get("event") == name and where(e)]
                if found:
                    return found[0]
                raise AssertionError(
                    f"daemon exited {self.proc.returncode} before {name!r}:\n{self.output()}"
                )
            time.sleep(0.05)
        raise AssertionError(f"no {name!r} event within {timeout}s:\n{self.output()}")

    def _drain(self, timeout: float = HANG_GUARD) -> None:
        """Wait for the reader to reach the end of an exited daemon's output: the process's exit
        comes before the reader's last lines, and counting events then raced it (a run's
        ``delivery_halted`` read without its ``run`` line)."""
        if self._reader is not None:
            self._reader.join(timeout)

    def named(self, name: str) -> list[Event]:
        with self._lock:
            return [e for e in self.events if e.get("event") == name]

    def finished_runs(self) -> list[Event]:
        """The run lines of runs that went to their end: a stop signal arriving as a run starts
        logs that run with ``interrupted`` (and no delivery attempt), so a test counting what each
        run did must leave it out or it races the signal."""
        return [e for e in self.named("run") if "interrupted" not in e]

    def output(self) -> str:
        with self._lock:
            return "".join(self.raw[-60:])

    @property
    def port(self) -> int:
        return int(self.wait_for("http_listening")["port"])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def send_signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = HANG_GUARD) -> int:
        """Send ``sig`` and wait for the exit code (and for the reader to have every line logged)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self._drain()
        return code

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=HANG_GUARD)
        self._drain()

    def __enter__(self) -> DaemonProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """(status, body) of a GET, or a POST when ``data`` is given; 4xx/5xx are returned, not raised."""
    request = urllib.request.Request(
        url, data=data, method="POST" if data is not None else "GET", headers=headers or {}
    )
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
