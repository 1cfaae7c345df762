"""Instructions per letter of the sending process in a real ``deliver_cycle``, counted by callgrind.

    python bench/callgrind_deliver.py [--letters 300]

Why besides ``callgrind_paths.py --only send``: that path hands built letters
straight to ``send_batch``; here letters come from the forked build workers
(:mod:`greeter.build_pool`) and each is checked against its recipient's send
window, as in ``greeter send --once``. Only the sending process is counted
(the workers report on their own). Runs plan, and plan + deliver, each with
``--letters`` and twice as many (both above build_pool.MIN_LETTERS, so both
fork); the difference of the differences over ``--letters`` is one letter's
cost. Needs valgrind and postfix's smtp-sink (see bench_send.py); a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child(stage: str, letters: int, port: int) -> None:
    """Load and plan ``letters`` due letters; with ``stage`` deliver, send them (inside valgrind)."""
    import bench_send

    from greeter.cli import config_day, parse_now
    from greeter.journal import open_journal
    from greeter.runtime import load_inputs
    from greeter.send import deliver_cycle, plan_cycle

    folder = Path(tempfile.mkdtemp())
    config = bench_send.greeter_project(folder, letters, port, 32)
    inputs = load_inputs(config, today=config_day(bench_send.NOW))
    now = parse_now(bench_send.NOW, inputs.settings.defaults.timezone)
    journal = open_journal(str(folder / "data" / "journal.sqlite"), now=now)
    journal.lock_sender()
    cycle = plan_cycle(inputs, journal, now=now)
    if stage == "deliver":
        asyncio.run(deliver_cycle(cycle))
        if cycle.deliverer.summary.counts["sent"] != letters:
            sys.exit(f"sent {cycle.deliverer.summary.counts['sent']} of {letters}")


def instructions(stage: str, letters: int, port: int) -> int:
    """The sending process's own count: the first pid valgrind names is the one it started."""
    cmd = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--child", stage, str(letters), str(port),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600, check=False)
    pids = re.findall(r"^==(\d+)==", out.stderr, re.M)
    counts = dict(re.findall(r"^==(\d+)== Collected : (\d+)", out.stderr, re.M))
    if out.returncode != 0 or not pids or pids[0] not in counts:
        raise RuntimeError(f"{stage} with {letters} letters failed: {out.stderr[-800:]}")
    return int(counts[pids[0]])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stage, letters, port = args.child
        child(stage, int(letters), int(port))
        return
    import bench_send

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    n = args.letters
    port = bench_send.free_port()
    sink = [str(bench_send.SINK), *(["-u", "nobody"] if os.geteuid() == 0 else []), "-c",
            f"127.0.0.1:{port}", "1000"]  # fmt: skip
    with bench_send.background(sink, port):
        small, large = (instructions("deliver", k, port) - instructions("plan", k, port) for k in (n, 2 * n))
    print(f"deliver_cycle, sending process: {(large - small) / n / 1e6:.3f} M instructions a letter")


if __name__ == "__main__":
    main()
