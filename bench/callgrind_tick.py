"""Instructions of one daemon run with nothing due, the contacts file unchanged (valgrind callgrind).

    python bench/callgrind_tick.py --rows 20000 [--cpu]

A daemon plans every contact at each run: at each cron time (``*/10 * * * *`` in
config.example.yaml: 144 runs a day) and, in the send window, as often as its
planning duty allows (:class:`~greeter.cron.PlanningDuty`). This counts what one
such run costs when nothing is due and nothing changed: a child process loads the
config as ``greeter run`` does (:func:`~greeter.daemon_inputs.load_valid_inputs`),
opens the journal as its sender, makes a first run (which records what it
skips) and then RUNS more, ten minutes apart, each exactly the daemon's
``plan_cycle`` + ``deliver_cycle`` + ``remember_plan`` — on a Saturday (a day
off: nothing is due) over gen_contacts' export of ``--rows`` rows with
config.example.yaml's settings. The difference between 3 and 1 further runs,
over 2, is one steady run: start-up and the first run left out.

``--cpu``: CPU seconds of each steady run instead (``time.process_time``), without
valgrind — noisy on a shared machine, but quick at 150,000 rows.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from callgrind_common import own_instructions  # noqa: E402  (bench/ on the path first)

#: A Saturday noon in Moscow: a day off in every zone of the export, nothing due.
NOW = datetime(2027, 4, 17, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def project(rows: int) -> Path:
    """bench/out/tick-ROWS/: config.example.yaml, the starter templates and an export of ``rows`` rows."""
    from bench_plan import OUT
    from gen_contacts import write_contacts

    folder = OUT / f"tick-{rows}"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    if not (folder / "templates").exists():
        shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copy(ROOT / "config.example.yaml", folder / "greeter.yaml")
    if not (folder / "data" / "contacts.csv").exists():
        write_contacts(folder / "data" / "contacts.csv", rows)
    for old in (folder / "data").glob("journal.sqlite3*"):
        old.unlink()  # each child starts from a new journal: the same first run every time
    return folder / "greeter.yaml"


def child(config: Path, runs: int, cpu: bool) -> None:
    """Start as the daemon does, run once, then ``runs`` more runs ten minutes apart."""
    from greeter.daemon_inputs import load_valid_inputs
    from greeter.journal_project import open_sender_journal, project_of
    from greeter.send import deliver_cycle, plan_cycle, remember_plan

    inputs = load_valid_inputs(config, NOW.date())
    journal, _ = open_sender_journal(inputs.settings.storage.url, NOW, project_of(inputs.settings, config))

    def run(at: datetime) -> int:
        cycle = plan_cycle(inputs, journal, now=at, clock=lambda: at)
        asyncio.run(deliver_cycle(cycle))
        remember_plan(journal, cycle)
        return cycle.due_count

    run(NOW)
    for n in range(1, runs + 1):
        started = time.process_time()
        due = run(NOW + timedelta(minutes=10 * n))
        if cpu:
            print(f"run {n}: {time.process_time() - started:.2f} s CPU, {due} due")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cpu", action="store_true")
    parser.add_argument("--child", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, args.cpu)
        return
    config = project(args.rows)
    if args.cpu:
        subprocess.run([sys.executable, __file__, "--child", str(config), "--runs", "3", "--cpu"], check=True)
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    env = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    counts = {}
    for runs in (1, 3):
        config = project(args.rows)
        cmd = [
            "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
            "--child", str(config), "--runs", str(runs),
        ]  # fmt: skip
        counts[runs] = own_instructions(cmd, env, 7200, f"{runs} runs of {args.rows} rows")
        print(f"start + first run + {runs} run(s): {counts[runs]:>16,} instructions")
    per = (counts[3] - counts[1]) / 2
    print(f"one run, nothing due: {per:>16,.0f} instructions ({per / args.rows:,.0f} per row)")


if __name__ == "__main__":
    main()
