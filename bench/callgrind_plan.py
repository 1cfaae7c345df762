"""Instructions per contact of loading and of planning (valgrind callgrind, deterministic).

    python bench/callgrind_plan.py --rows 20000 [--days 365]

``bench_plan.py``'s wall-clock ratios move with whatever else the machine runs;
instruction counts do not. Over bench_plan's generated export (its settings,
its NOW) a child process under callgrind does one of:

  load   greeter's streaming loader over the first ROWS rows, contacts not kept
  plan   load + the full planner over DAYS days, items counted, nothing kept

each once with ROWS rows and once with a quarter of them; the difference over
the difference in rows is the instructions per contact, with the start-up
(imports, settings, holiday tables) and the caches' first fills left out.
``plan − load`` is the planner's own share.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from callgrind_common import own_instructions  # noqa: E402  (bench/ on the path first)


def child(kind: str, csv_path: Path, rows: int, days: int) -> None:
    """Load (and plan, for ``plan``) the first ``rows`` rows of ``csv_path``: what valgrind counts."""
    import itertools

    from bench_plan import NOW, _settings

    from greeter.planner import plan, plan_window
    from greeter.sources import LoadReport, iter_contacts

    settings = _settings(csv_path)
    report = LoadReport(source=str(csv_path))
    contacts = itertools.islice(iter_contacts(settings.contacts, settings.defaults, report), rows)
    if kind == "load":
        print(sum(1 for _ in contacts))
        return
    pw = plan_window(settings, now=NOW, start=date(2027, 1, 1), days=days)
    counts: Counter[str] = Counter(i.reason or i.status for i in plan(contacts, pw))
    print(sum(counts.values()))


def instructions(kind: str, csv_path: Path, rows: int, days: int) -> int:
    """The instructions of one child process (only its own: the first pid valgrind names)."""
    cmd = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
        "--child", kind, "--csv", str(csv_path), "--rows", str(rows), "--days", str(days),
    ]  # fmt: skip
    env = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    return own_instructions(cmd, env, 7200, f"{kind} of {rows} rows")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--child")
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv, args.rows, args.days)
        return
    from bench_plan import OUT
    from gen_contacts import write_contacts

    path = OUT / f"contacts-{args.rows}.csv"
    if not path.exists():
        write_contacts(path, args.rows)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    small = args.rows // 4
    per: dict[str, float] = {}
    for kind in ("load", "plan"):
        big_count = instructions(kind, path, args.rows, args.days)
        small_count = instructions(kind, path, small, args.days)
        per[kind] = (big_count - small_count) / (args.rows - small)
        print(f"{kind:<6}{big_count:>16,} − {small_count:>16,}  →  {per[kind]:>10,.0f} instructions/contact")
    print(f"{'plan − load':<12}{per['plan'] - per['load']:>46,.0f} instructions/contact")


if __name__ == "__main__":
    main()
