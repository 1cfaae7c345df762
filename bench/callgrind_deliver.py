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
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from callgrind_paths import instructions, planned_cycle, sink_command  # noqa: E402  (bench/ on the path)


def child(stage: str, letters: int, port: int) -> None:
    """Load and plan ``letters`` due letters; with ``stage`` deliver, send them (inside valgrind)."""
    from greeter.send import deliver_cycle

    cycle, _ = planned_cycle(letters, port)
    if stage == "deliver":
        asyncio.run(deliver_cycle(cycle))
        if cycle.deliverer.summary.counts["sent"] != letters:
            sys.exit(f"sent {cycle.deliverer.summary.counts['sent']} of {letters}")


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
    with bench_send.background(sink_command(port), port):
        small, large = (
            instructions("deliver", k, port, __file__) - instructions("plan", k, port, __file__)
            for k in (n, 2 * n)
        )
    print(f"deliver_cycle, sending process: {(large - small) / n / 1e6:.3f} M instructions a letter")


if __name__ == "__main__":
    main()
