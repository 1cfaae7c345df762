"""Loading and planning benchmark (issues 3 and 4), each measurement in its own child process.

    python bench/bench_plan.py --rows 1000000 --days 365 [--render-sample 20000]

Measures, over the same generated CSV (bench/gen_contacts.py):
  csv.reader   a bare pass: decode + split, counting rows (the reference)
  load         greeter's streaming loader (validation, dates, e-mails), contacts not kept
  plan         load + the full planner over DAYS days, items counted, nothing kept
  render       plan + render of the first N contacts' letters (Jinja sandbox), drafts/s
  floor        csv.reader + only the objects a plan hands out — one Contact per row and one
               Hit + PlanItem per plan item (as many as ``plan`` made), no logic at all: the
               least any planner that streams one Python object per item can cost
and for each the wall time, rows/s and the child's peak RSS (ru_maxrss). Also
loads 100,000 rows to show that memory does not grow with the row count.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _settings(csv_path: Path):  # type: ignore[no-untyped-def]
    from greeter.config_loader import load_settings

    s = load_settings(ROOT / "config.example.yaml", today=NOW.date())
    return s.model_copy(update={"contacts": s.contacts.model_copy(update={"path": csv_path})})


def child(kind: str, csv_path: Path, days: int, sample: int) -> dict[str, object]:
    start = time.perf_counter()
    result: dict[str, object] = {}
    if kind == "csv.reader":
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            rows = sum(1 for _ in csv.reader(fh, delimiter=";")) - 1
        result["rows"] = rows
    elif kind.startswith("floor:"):
        _, items, rows = kind.split(":")
        result["items"] = _floor(csv_path, int(items), int(rows))
    else:
        from greeter.plan_drafts import drafts
        from greeter.planner import plan, plan_window
        from greeter.render import Renderer
        from greeter.sources import LoadReport, iter_contacts

        settings = _settings(csv_path)
        report = LoadReport(source=str(csv_path))
        contacts = iter_contacts(settings.contacts, settings.defaults, report)
        if kind == "load":
            result["rows"] = sum(1 for _ in contacts)
        else:
            pw = plan_window(settings, now=NOW, start=date(2027, 1, 1), days=days)
            if kind == "plan":
                counts: Counter[str] = Counter(i.reason or i.status for i in plan(contacts, pw))
                result["items"] = sum(counts.values())
                result["by_status"] = dict(counts)
            else:
                import itertools

                renderer = Renderer.of(settings)
                limited = itertools.islice(contacts, sample)
                n = sum(1 for d in drafts(plan(limited, pw), renderer.render) if d.rendered is not None)
                result["drafts"] = n
        result["loaded"] = report.loaded
        result["problems"] = len(report.problems)
    result["seconds"] = time.perf_counter() - start
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _floor(csv_path: Path, items: int, rows: int) -> int:
    """Hand out ``items`` plan items over the file's ``rows`` rows with no planning logic (``floor``)."""
    from greeter.contacts import Contact
    from greeter.plan_types import Hit, PlanItem

    dates = {
        "birthday": date(1980, 1, 2),
        "company_founded": date(2000, 1, 2),
        "first_deal": date(2015, 1, 2),
    }
    day = date(2027, 1, 2)
    per_row, extra = divmod(items, max(rows, 1))
    made = 0
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        for n, row in enumerate(reader):
            contact = Contact(row[0], row[1], row[3], row[4], row[2], dates=dates)
            for _ in range(per_row + (n < extra)):
                made += PlanItem(Hit(contact, "birthday", day, 3, 100, "birthday"), "send") is not None
    return made


def run_child(kind: str, csv_path: Path, days: int, sample: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--csv", str(csv_path), "--days", str(days),
         "--render-sample", str(sample)],
        capture_output=True, text=True, timeout=3600, check=True,
        # This checkout's greeter, not whichever the venv's editable install points at: a copy of
        # another commit measured the installed one's code (and so did every comparison run so).
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    data: dict[str, object] = json.loads(out.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--render-sample", type=int, default=20_000)
    parser.add_argument("--child")
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.csv, args.days, args.render_sample)))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_contacts import write_contacts

    big = OUT / f"contacts-{args.rows}.csv"
    small = OUT / "contacts-100000.csv"
    for path, rows in ((big, args.rows), (small, 100_000)):
        if not path.exists():
            print(f"generating {path} …", file=sys.stderr)
            write_contacts(path, rows)
    results = {
        "csv.reader": run_child("csv.reader", big, args.days, 0),
        "load": run_child("load", big, args.days, 0),
        "load 100k": run_child("load", small, args.days, 0),
        "plan": run_child("plan", big, args.days, 0),
        "plan+render": run_child("render", big, args.days, args.render_sample),
    }
    results["floor"] = run_child(f"floor:{results['plan']['items']}:{args.rows}", big, args.days, 0)
    base = float(results["csv.reader"]["seconds"])  # type: ignore[arg-type]
    print(f"{'measurement':<14}{'seconds':>10}{'rows/s':>12}{'× csv':>8}{'peak RSS MB':>13}  notes")
    for name, r in results.items():
        secs = float(r["seconds"])  # type: ignore[arg-type]
        rows = (
            100_000 if name == "load 100k" else (args.render_sample if name == "plan+render" else args.rows)
        )
        note = ""
        if "by_status" in r:
            note = f"{r['items']} plan items over {args.days} days: {r['by_status']}"
        elif "items" in r:
            note = f"{r['items']} Hit + PlanItem objects and {rows} Contacts handed out, no planning"
        if "drafts" in r:
            note = (
                f"{r['drafts']} drafts rendered for {rows} contacts: {int(r['drafts']) / secs:,.0f} drafts/s"  # type: ignore[call-overload]
            )
        ratio = f"{secs / base:.2f}" if name in ("load", "plan", "floor") else ""
        print(
            f"{name:<14}{secs:>10.2f}{rows / secs:>12,.0f}{ratio:>8}{float(r['peak_rss_mb']):>13.0f}  {note}"
        )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
