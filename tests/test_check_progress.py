"""``greeter check`` on a terminal shows how far it got; in a log or a pipe it says nothing more.

An operator checking a 200,000-row CRM export waited minutes on a silent
command and could not tell it from a hang. The bar is ``send``'s
(:func:`greeter.send_report.progress_factory`): on stderr, only when stderr
is a terminal, never with ``--json``, gone when the check ends — so stdout
is byte for byte what it is without a terminal.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import ROOT, MakeProject
from tests.test_send_e2e import NOW, people

#: The bar's words (greeter.cli.check).
BAR = b"checking contacts"


def _check(config: Path, *args: str, terminal: bool) -> tuple[int, bytes, bytes]:
    """``greeter check`` with stdout piped and stderr a terminal (a pty) or a pipe: (code, out, err)."""
    return run_on_terminal(config, "check", "--now", NOW, *args, terminal=terminal)


def run_on_terminal(config: Path, *args: str, terminal: bool) -> tuple[int, bytes, bytes]:
    """``greeter ARGS`` with stdout piped and stderr a terminal (a pty) or a pipe: (code, out, err)."""
    command = [sys.executable, "-m", "greeter", "--config", str(config), *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)
        return done.returncode, done.stdout, done.stderr
    controller, tty = pty.openpty()
    seen: list[bytes] = []

    def drain() -> None:  # the terminal's reader, so the bar never blocks on a full pty
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=tty, env=env, timeout=300, check=False)
    finally:
        os.close(tty)
        reader.join(timeout=10)
        os.close(controller)
    return done.returncode, done.stdout, b"".join(seen)


def test_check_shows_its_progress_on_a_terminal_only_and_nothing_else_changes(
    make_project: MakeProject,
) -> None:
    config = make_project(people(120))
    code, out, err = _check(config, terminal=True)
    piped_code, piped_out, piped_err = _check(config, terminal=False)
    assert BAR in err, err[-500:]  # the rows read, while every template is rendered for each
    assert b"rows" in err
    assert (code, out) == (piped_code, piped_out), (out, piped_out)  # stdout byte-identical
    assert b"contacts: 120 loaded from 120 rows" in out and b"\x1b" not in out
    assert BAR not in piped_err and b"\x1b" not in piped_err  # a log gets the problems only
    # --json is for a script: no bar even on a terminal, and the same JSON.
    code, out, err = _check(config, "--json", terminal=True)
    assert BAR not in err
    assert (code, out) == _check(config, "--json", terminal=False)[:2]
    # A few contacts check in a blink: a bar would only flash (as send's under 50 letters).
    small = make_project(people(5))  # the same project, its contacts replaced
    code, out, err = _check(small, terminal=True)
    assert b"contacts: 5 loaded" in out and BAR not in err
