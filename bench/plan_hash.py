"""One SHA-256 of everything loading and planning bench_plan's export says: a change that should not
alter behaviour must leave it as it was.

    python bench/plan_hash.py --rows 20000 --days 365 14

Over bench_plan's generated export (its settings, its NOW, the rows ``callgrind_plan.py`` counts):
the ``repr`` of every plan item (its hit's whole contact included, so every loaded field), every
load problem (message, row, field, severity…), rejection and note, and the report's counts, in
order. Prints one digest per ``--days`` value; run it before and after a change and compare.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_plan import NOW, OUT, _settings  # noqa: E402  (bench/ on the path first)
from gen_contacts import write_contacts  # noqa: E402


def digest(csv_path: Path, days: int) -> tuple[str, int, int]:
    """The digest of one load + plan over ``days`` days, with the plan's items and the load's problems."""
    from greeter.planner import plan, plan_window
    from greeter.sources import LoadReport, iter_contacts

    settings = _settings(csv_path)
    report = LoadReport(source=str(csv_path))
    contacts = iter_contacts(settings.contacts, settings.defaults, report)
    pw = plan_window(settings, now=NOW, start=date(2027, 1, 1), days=days)
    sha = hashlib.sha256()
    items = 0
    # The export's path is in every contact and problem: left out, so two checkouts compare alike.
    where = str(csv_path)
    for item in plan(contacts, pw):
        sha.update(repr(item).replace(where, "<export>").encode())
        items += 1
    for part in (report.problems, report.rejections, report.notes):
        for entry in part:
            sha.update(repr(entry).replace(where, "<export>").encode())
    sha.update(repr((report.rows_read, report.loaded, report.changed)).encode())
    return sha.hexdigest(), items, len(report.problems)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--days", type=int, nargs="+", default=[365, 14])
    args = parser.parse_args()
    path = OUT / f"contacts-{args.rows}.csv"
    if not path.exists():
        write_contacts(path, args.rows)
    for days in args.days:
        hexdigest, items, problems = digest(path, days)
        print(f"{days:>4} days  {items:>7} items  {problems:>5} problems  {hexdigest}")


if __name__ == "__main__":
    main()
