"""``greeter check`` at scale, each measurement in its own child process.

    python bench/bench_check.py --rows 200000 [--profile check.prof]

Over the same generated CSV (bench/gen_contacts.py) in a copy of the sample
project (config.example.yaml, templates/):
  csv.reader   a bare pass: decode + split, counting rows (the reference)
  1 render/row the same pass, plus one strict render per row of one template (birthday, a
               Contact made from the row's fields): what rendering alone costs, per letter
  check        ``greeter check`` in-process (:func:`greeter.checks.run_check`): every row's data
               checked, one letter rendered in strict mode per occasion and shape of contact
               (``letter_shape``), and every other check
  check --all  the same with every draft rendered (``every=True``): one letter per occasion per
               contact (six in the sample config), so its floor is about six times
               ``1 render/row``'s render share; ``--no-all`` skips it (minutes at 200,000 rows)
and for each the wall time, the child's CPU time (steadier on a shared machine), rows/s and
its peak RSS (ru_maxrss). ``--profile FILE``
writes cProfile's statistics of the ``check`` child (slower: do not compare
its time).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = "2027-01-01T09:00"


def project(csv_path: Path) -> Path:
    """A copy of the sample project reading ``csv_path`` (its folder next to it); its config."""
    folder = csv_path.with_suffix("")
    if not (folder / "templates").exists():
        shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    contacts = folder / "data" / "contacts.csv"
    if not contacts.exists():
        contacts.symlink_to(csv_path.resolve())
    config = folder / "greeter.yaml"
    config.write_text((ROOT / "config.example.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return config


def child(kind: str, csv_path: Path, profile: Path | None) -> dict[str, object]:
    start = time.perf_counter()
    result: dict[str, object] = {}
    if kind == "csv.reader":
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            result["rows"] = sum(1 for _ in csv.reader(fh, delimiter=";")) - 1
    elif kind == "render":
        result["rows"] = _render_per_row(csv_path)
    else:
        from greeter.checks import run_check

        config = project(csv_path)
        start = time.perf_counter()  # not the project's copy
        profiler = cProfile.Profile() if profile is not None else None
        if profiler is not None:
            profiler.enable()
        report = run_check(config, now_text=NOW, every=kind == "check-all")
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)  # type: ignore[arg-type]
        result["rows"] = report.rows_read
        result["renders"] = report.renders
        result["rendered"] = report.rendered
        result["errors"] = report.errors
    result["seconds"] = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_seconds"] = used.ru_utime + used.ru_stime  # the machine shared: the steadier of the two
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _render_per_row(csv_path: Path) -> int:
    """The csv.reader pass, and one strict birthday letter rendered per row (the reference)."""
    from greeter.config_loader import load_settings
    from greeter.contacts import Contact
    from greeter.plan_types import Hit, PlanItem
    from greeter.render import Renderer

    settings = load_settings(ROOT / "config.example.yaml", today=date(2027, 1, 1))
    renderer = Renderer.of(settings)
    day = date(2027, 1, 2)
    rows = 0
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        for row in reader:
            contact = Contact(row[0], row[1], row[3], row[4], row[2], dates={"birthday": date(1980, 1, 2)})
            renderer.render(PlanItem(Hit(contact, "birthday", day, 47, 100, "birthday"), "send"))
            rows += 1
    return rows


def run_child(kind: str, csv_path: Path, profile: Path | None = None) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", kind, "--csv", str(csv_path)]
    if profile is not None:
        command += ["--profile", str(profile)]
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=7200,
        check=True,
        # This checkout's greeter, not whichever the venv's editable install points at.
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    data: dict[str, object] = json.loads(out.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--profile", type=Path, help="write the check child's cProfile statistics here")
    parser.add_argument("--no-all", action="store_true", help="do not time check --all")
    parser.add_argument("--child")
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.csv, args.profile)))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_contacts import write_contacts

    path = OUT / f"check-contacts-{args.rows}.csv"
    if not path.exists():
        print(f"generating {path} …", file=sys.stderr)
        OUT.mkdir(parents=True, exist_ok=True)
        write_contacts(path, args.rows)
    results = {
        "csv.reader": run_child("csv.reader", path),
        "1 render/row": run_child("render", path),
        "check": run_child("check", path, args.profile),
    }
    if not args.no_all:
        results["check --all"] = run_child("check-all", path)
    base = float(results["csv.reader"]["seconds"])  # type: ignore[arg-type]
    print(
        f"{'measurement':<14}{'seconds':>10}{'CPU s':>9}{'rows/s':>12}{'× csv':>9}{'peak RSS MB':>13}  notes"
    )
    for name, r in results.items():
        secs = float(r["seconds"])  # type: ignore[arg-type]
        note = (
            f"{r['renders']} drafts, {r['rendered']} rendered, {r['errors']} problem(s)"
            if "renders" in r
            else ""
        )
        if args.profile is not None and name == "check":
            note += f"; under cProfile ({args.profile})"
        print(
            f"{name:<14}{secs:>10.2f}{float(r['cpu_seconds']):>9.2f}{args.rows / secs:>12,.0f}{secs / base:>9.1f}"  # type: ignore[arg-type]
            f"{float(r['peak_rss_mb']):>13.0f}  {note}"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
