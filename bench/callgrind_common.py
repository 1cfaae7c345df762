"""What the callgrind benches share: the planned project, the valgrind run, the command line, the sink.

``callgrind_paths.py``, ``callgrind_build.py`` and ``callgrind_deliver.py`` each
count instructions per letter of one piece of a send; they differ only in
what their child process does under valgrind and in which runs they subtract.
The rest lives here once, so that the three count the same way: the same
project (bench_send's), the same valgrind options and environment, the same
reading of valgrind's summary, the same compiling of greeter's bytecode
before any run (else the first run under valgrind counts the compiling), and
the same heap: no collection while the project loads and plans, then frozen
(:func:`planned_cycle`), as ``greeter send`` freezes it before its letters are
built. Without that, a full collection of the whole heap (~220–260 M
instructions) fell in the smaller run of a pair in some runs and not in others:
the build worker read 1.32–1.34 M instructions a letter or 2.03–2.05 M, same
code, and callgrind_deliver 1.52 M or 0.78 M.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greeter.send import Cycle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

#: The letters of the smaller run, where a bench subtracts a run of ``BASE + --letters``.
BASE = 100

#: What a bench's process does under valgrind: ``(stage, letters, port)`` from ``--child``.
Child = Callable[[str, int, int], None]


def planned_cycle(letters: int, port: int) -> tuple[Cycle, datetime]:
    """The bench project of ``letters`` due letters (sending to ``port``), loaded and planned at its NOW."""
    import bench_send

    from greeter.cli_values import config_day, parse_now
    from greeter.journal import open_journal
    from greeter.runtime import load_inputs
    from greeter.send import plan_cycle

    folder = Path(tempfile.mkdtemp())
    config = bench_send.greeter_project(folder, letters, port, 32)
    inputs = load_inputs(config, today=config_day(bench_send.NOW))
    now = parse_now(bench_send.NOW, inputs.settings.defaults.timezone)
    journal = open_journal(str(folder / "data" / "journal.sqlite"), now=now)
    journal.lock_sender()
    cycle = plan_cycle(inputs, journal, now=now)
    # As `greeter send` does once its start-up is over (greeter.entry.started): what is alive now
    # is kept out of every later collection; the collector, off since the child started (parse),
    # runs again. See the module docstring.
    gc.freeze()
    gc.enable()
    return cycle, now


@contextmanager
def smtp_sink() -> Iterator[int]:
    """Postfix's smtp-sink on a free port, for as long as the block runs; yields the port.

    As root it must be told a user: it refuses to run as root.
    """
    import bench_send

    port = bench_send.free_port()
    as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
    with bench_send.background([str(bench_send.SINK), *as_root, "-c", f"127.0.0.1:{port}", "1000"], port):
        yield port


def instructions(script: str, stage: str, letters: int, port: int) -> int:
    """``script --child stage letters port`` under callgrind: the instructions of the process it started.

    Only that process's own count: the first pid valgrind names is the one it
    started, and forked children (build workers) report under theirs.
    """
    child = [sys.executable, script, "--child", stage, str(letters), str(port)]
    # Under valgrind a letter renders ~50× slower: past the sandbox's 2 s limit (template_limits).
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT), "GREETER_RENDER_SECONDS": "600"}
    if (script, stage) not in _WARMED:
        # greeter's on-disk caches (parsed config, compiled templates, template shapes, holiday
        # tables) filled by the first counted child made the second one cheaper by what filling
        # them cost: a per-letter difference read 0.144 M one run and 2.16 M another, same code.
        # One plain run (no valgrind, seconds) fills them before anything is counted.
        subprocess.run(child, env=env, capture_output=True, timeout=600, check=True)
        _WARMED.add((script, stage))
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *child]
    return own_instructions(cmd, env, 3600, f"{stage} with {letters} letters")


#: (script, stage) pairs whose child has run once outside valgrind (:func:`instructions`).
_WARMED: set[tuple[str, str]] = set()


def own_instructions(cmd: list[str], env: dict[str, str], timeout: float, what: str) -> int:
    """Run ``cmd`` (a ``valgrind --tool=callgrind`` line) and return the instructions of the process
    it started — the first pid valgrind names, not its forked children; ``what`` names the run
    in the error when it fails."""
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    pids = re.findall(r"^==(\d+)==", out.stderr, re.M)
    counts = dict(re.findall(r"^==(\d+)== Collected : (\d+)", out.stderr, re.M))
    if out.returncode != 0 or not pids or pids[0] not in counts:
        raise RuntimeError(f"{what} failed: {out.stderr[-800:]}")
    return int(counts[pids[0]])


def parser(doc: str | None, letters: int) -> argparse.ArgumentParser:
    """A bench's command line: its docstring as help, ``--letters`` (default ``letters``)."""
    made = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    made.add_argument("--letters", type=int, default=letters)
    made.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    return made


def parse(made: argparse.ArgumentParser, child: Child) -> argparse.Namespace | None:
    """The arguments of a bench's run; None when this process is the one under valgrind.

    That one (``--child stage letters port``, as :func:`instructions` starts it)
    runs ``child`` and is done. Otherwise greeter's bytecode is compiled first:
    else the first run under valgrind would count the compiling.
    """
    args = made.parse_args()
    if args.child:
        stage, letters, port = args.child
        gc.disable()  # until the heap is planned and frozen (planned_cycle)
        child(stage, int(letters), int(port))
        return None
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    return args
