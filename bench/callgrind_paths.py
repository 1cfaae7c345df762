"""Instructions per letter on the three hot paths of a send, counted by valgrind (callgrind).

    python bench/callgrind_paths.py [--letters 400] [--only render|build|send]

Why instruction counts: wall-clock time on a shared 2-core machine drifts by
±20 % within minutes, so a change worth 5–15 % cannot be seen in
``bench_send.py``'s msg/s. ``valgrind --tool=callgrind`` counts the
instructions a run executes, and that count does not depend on what else the
machine is doing. Each run is a child process under valgrind that loads
and plans the bench project, then goes as far as one stage; it runs with 100
letters and with ``100 + --letters``, and the difference divided by
``--letters`` is the cost of one letter without start-up. A path is the
difference between its stage and the stage before it:

  render  Renderer.render of the birthday letters (Jinja sandbox), minus planning
  build   build_message of the rendered letters (email package, compat32)
  send    built letters through delivery_batch.send_batch: claim, SMTP to Postfix's
          smtp-sink over a pool of 32, verdict — the sending process's work;
          letters come as the build workers hand them over (checked for DATA,
          transport.CleanLetter); GREETER_BENCH_BUILT_IN_PROCESS=1: as plain
          bytes, as when a small batch is built in the sending process

PYTHONHASHSEED is fixed so both runs hash alike. Needs Debian's valgrind
and, for ``send``, postfix (see bench_send.py). A run takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greeter.send import Cycle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BASE = 100


#: Each path costs the difference between a run up to its stage and a run up to the stage before.
PATHS = {"render": ("plan", "render"), "build": ("render", "build"), "send": ("prepare", "send")}


def planned_cycle(letters: int, port: int) -> tuple[Cycle, datetime]:
    """The bench project of ``letters`` due letters (sending to ``port``), loaded and planned at its NOW."""
    import bench_send

    from greeter.cli import config_day, parse_now
    from greeter.journal import open_journal
    from greeter.runtime import load_inputs
    from greeter.send import plan_cycle

    folder = Path(tempfile.mkdtemp())
    config = bench_send.greeter_project(folder, letters, port, 32)
    inputs = load_inputs(config, today=config_day(bench_send.NOW))
    now = parse_now(bench_send.NOW, inputs.settings.defaults.timezone)
    journal = open_journal(str(folder / "data" / "journal.sqlite"), now=now)
    journal.lock_sender()
    return plan_cycle(inputs, journal, now=now), now


def sink_command(port: int) -> list[str]:
    """Postfix's smtp-sink on ``port`` (as root it must be told a user: it refuses to run as root)."""
    import bench_send

    as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
    return [str(bench_send.SINK), *as_root, "-c", f"127.0.0.1:{port}", "1000"]


def child(stage: str, letters: int, port: int) -> None:
    """Load, plan, and go as far as ``stage`` for ``letters`` letters (inside valgrind)."""
    from greeter.delivery import Ready
    from greeter.delivery_batch import send_batch
    from greeter.message import build_message
    from greeter.send import deadlines, make_transport
    from greeter.transport import CleanLetter, is_clean

    cycle, now = planned_cycle(letters, port)
    deliverer = cycle.deliverer
    if stage in ("render", "build"):
        rendered = [deliverer.render(item) for item in cycle.due]
        if stage == "build":
            settings = deliverer.settings
            for item, letter in zip(cycle.due, rendered, strict=True):
                contact = item.hit.contact
                assert contact.email is not None
                build_message(
                    letter, to_email=contact.email, to_name=contact.display_name, sender=settings.sender,
                    message_id="<bench@romashka.example>", date=now,
                    unsubscribe_mailto=settings.unsubscribe.mailto,
                )  # fmt: skip
    elif stage in ("prepare", "send"):
        ready = [deliverer.ready(p) for p in map(deliverer.prepare, cycle.due) if p is not None]
        if os.environ.get("GREETER_BENCH_BUILT_IN_PROCESS") != "1":
            # As the build workers hand letters over (build_pool.built_letters): checked for
            # DATA there (is_clean), so the sending process does not scan them again.
            for r in ready:
                data = r.outgoing.data
                if is_clean(data):
                    r.outgoing = dataclasses.replace(r.outgoing, data=CleanLetter(data))
        if stage == "send":

            async def letters_to_send() -> AsyncIterator[Ready]:
                for r in ready:
                    yield r

            async def run() -> None:
                transport = make_transport(deliverer.settings)
                try:
                    await send_batch(
                        deliverer, transport, cycle.due, [], deadlines(cycle),
                        concurrency=32, limiter=None, fresh=letters_to_send(),
                    )  # fmt: skip
                finally:
                    await transport.close()

            asyncio.run(run())
            if deliverer.summary.counts["sent"] != letters:
                sys.exit(f"sent {deliverer.summary.counts['sent']} of {letters}")


def instructions(stage: str, letters: int, port: int, script: str = __file__) -> int:
    """``script --child stage letters port`` under callgrind: the instructions of the process it started.

    Only that process's own count: the first pid valgrind names is the one it
    started, and forked children (build workers) report under theirs.
    """
    cmd = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, script, "--child", stage, str(letters), str(port),
    ]  # fmt: skip
    # Under valgrind a letter renders ~50× slower: past the sandbox's 2 s limit (template_limits).
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT), "GREETER_RENDER_SECONDS": "600"}
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
    parser.add_argument("--letters", type=int, default=400)
    parser.add_argument("--only", choices=["render", "build", "send"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stage, letters, port = args.child
        child(stage, int(letters), int(port))
        return
    import bench_send

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    n = args.letters
    print(f"instructions per letter ({BASE} and {BASE + n} letters, difference / {n}), valgrind callgrind")
    for path in [args.only] if args.only else ["render", "build", "send"]:
        port = bench_send.free_port()
        with bench_send.background(sink_command(port), port):
            before, after = (
                instructions(s, BASE + n, port) - instructions(s, BASE, port) for s in PATHS[path]
            )
        print(f"  {path:<8}{(after - before) / n / 1e6:8.3f} M")


if __name__ == "__main__":
    main()
