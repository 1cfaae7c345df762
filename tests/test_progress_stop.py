"""A progress bar cut short by Ctrl-C is gone before the command's last words.

``send --once`` printed its summary while its bar was still live, and the bar
redrew itself after it, glued to the line: ``sending ━━━╺━ 46% 0:00:04^C2026-12-01
12:00 MSK: due 134; sent: 63; …`` then ``sending ━━━━ 47%`` again; ``preview``'s
and ``check``'s "interrupted" the same. The bar only stopped at exit. Now
:func:`greeter.send_report.stop_bars` ends every live bar first: before the
summary, and in the CLI's interrupt and error handling.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from greeter import send_report
from greeter.cli import handles_errors
from greeter.send_report import ProgressBar, stop_bars
from greeter.testing import SmtpSink
from tests.conftest import ROOT, MakeProject
from tests.test_send_e2e import NOW, people, smtp

#: What a bar is drawn with (rich's bar characters).
BAR = re.compile("[━╺╸]")
#: A control sequence that erases the line the cursor is on (rich's transient bar clearing itself).
ERASE = re.compile(r"\r|\x1b\[2K")


def on_a_terminal(config: Path, *args: str, interrupt_when: bytes) -> str:
    """``greeter ARGS`` on a pseudo-terminal (stdin, stdout and stderr, as at a shell), Ctrl-C typed
    once ``interrupt_when`` has been drawn; everything the terminal received."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling one, ^C its SIGINT
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        os.execve(sys.executable, [sys.executable, "-m", "greeter", "--config", str(config), *args], env)
    seen = b""
    typed = False
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:  # a guard against a hang, not a measure: kill and show what there was
            os.kill(pid, signal.SIGKILL)
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child has closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not typed and interrupt_when in seen:
            os.write(fd, b"\x03")
            typed = True
    os.waitpid(pid, 0)
    os.close(fd)
    assert typed, seen.decode(errors="replace")[-2000:]
    return seen.decode(errors="replace")


def test_ctrl_c_ends_the_send_bar_before_its_summary(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        sink.delay(0.1)  # 150 letters one at a time: the batch is far from done when ^C comes
        config = make_project(people(150), **smtp(sink.port, pool_size=1))
        out = on_a_terminal(config, "send", "--once", "--now", NOW, interrupt_when="━".encode())
    at = out.find("; sent: ")
    assert at > 0 and "stopped:" in out[at:], out[-2000:]
    line_start = out.rfind("\n", 0, at) + 1
    # What is left on the summary's line once the terminal has carried out the erasures before it.
    shown = ERASE.split(out[line_start:at])[-1]
    assert not BAR.search(shown), repr(out[line_start : at + 200])
    assert not BAR.search(out[at:]), repr(out[at:])  # no bar drawn again after the summary


def test_an_interrupt_ends_a_live_bar_before_interrupted_is_said() -> None:
    """The CLI's interrupt handling (preview's, check's "interrupted") stops the bars first."""
    bars: list[ProgressBar] = []

    @click.command()
    @handles_errors
    def work() -> None:
        bar = ProgressBar("planning and rendering letters", None, 1, "rows")
        bars.append(bar)
        bar(5)  # on the terminal (started)
        raise KeyboardInterrupt

    result = CliRunner().invoke(work)
    assert result.exit_code == 130 and "interrupted" in result.output
    assert send_report._LIVE == [] and not bars[0]._bar.live.is_started


def test_stop_bars_ends_each_live_bar_once() -> None:
    bar = ProgressBar("sending", 100, 1, "")
    bar(1)
    live = send_report._LIVE
    assert live == [bar] and bar._bar.live.is_started
    stop_bars()
    assert live == [] and not bar._bar.live.is_started
    bar(1)  # a tick after the stop draws nothing
    assert not bar._bar.live.is_started
    stop_bars()  # nothing live: nothing to do
