"""``greeter history`` on a big journal: wall time and peak memory per format, each in a child process.

    python bench/bench_history.py [--rows 60000] [--formats json,csv,table,csv-o]

Builds (once, under ``bench/out/history-ROWS/``) a project of ROWS synthetic
contacts (bench/gen_contacts.py) and an SQLite journal of one greeting per
contact, written through the journal's own API (claims and verdicts in
batches: mostly sent, some failed, retried, skipped and expired). Then runs
``greeter history --format FMT`` with stdout to a file (``csv-o``:
``history -o FILE.csv``, the Excel file), each in its own child process,
and reports the wall time and that child's peak RSS (``ru_maxrss`` of
``RUSAGE_CHILDREN`` in a wrapper process that runs only that command).

Reference, in the same run: the ``sqlite3`` module dumping the same
``greetings`` table to CSV in a child process — the least a Python process
reading this journal can cost.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)

#: The reference: every row and column of ``greetings`` to CSV, stdlib only.
_DUMP = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
cur = conn.execute("SELECT * FROM greetings ORDER BY occasion_date, contact_id, occasion")
out = csv.writer(sys.stdout)
out.writerow([d[0] for d in cur.description])
while rows := cur.fetchmany(1000):
    out.writerows(rows)
"""


def project(rows: int) -> Path:
    """The project's config (contacts, journal) for ``rows`` greetings, built if missing."""
    from ruamel.yaml import YAML

    sys.path.insert(0, str(ROOT / "bench"))
    from gen_contacts import write_contacts

    folder = OUT / f"history-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    contacts, journal, config = folder / "contacts.csv", folder / "journal.sqlite3", folder / "greeter.yaml"
    if not contacts.exists():
        write_contacts(contacts, rows)
    if not config.exists():
        yaml = YAML()
        data = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
        data["contacts"]["path"] = str(contacts)
        data["storage"]["url"] = f"sqlite:///{journal}"
        with config.open("w", encoding="utf-8") as fh:
            yaml.dump(data, fh)
    if not journal.exists():
        print(f"writing {rows} greetings to {journal} …", file=sys.stderr)
        fill_journal(f"sqlite:///{journal}", rows)
    return config


def fill_journal(url: str, rows: int, chunk: int = 1000) -> None:
    """One birthday greeting per contact 1..``rows``, claimed and decided through the store's API."""
    from greeter.journal import open_journal
    from greeter.journal_store import ClaimRequest

    journal = open_journal(url, now=NOW)
    try:
        for start in range(1, rows + 1, chunk):
            ids = range(start, min(start + chunk, rows + 1))
            keys = [(str(i), "birthday", date(2026, 1, 1) + timedelta(days=i % 365)) for i in ids]
            with journal.batch():
                requests = [
                    ClaimRequest(key, f"client{key[0]}@example.com", f"<{key[0]}.bench@example.com>", NOW)
                    for key in keys
                    if int(key[0]) % 101 != 0
                ]
                journal.claim_many(requests, now=NOW)
                for key in keys:
                    i = int(key[0])
                    if i % 101 == 0:
                        journal.mark_expired(key, NOW, email=f"client{i}@example.com")
                    elif i % 97 == 0:
                        journal.mark_failed(key, "550 5.1.1 no such user", NOW)
                    elif i % 89 == 0:
                        journal.mark_retry(key, "451 4.7.1 try later", NOW + timedelta(hours=1), NOW)
                    elif i % 83 == 0:
                        journal.mark_skipped(key, "frequency_cap: only 13 days from 8mar", NOW)
                    else:
                        journal.mark_sent(key, "250 2.0.0 Ok: queued as 4ABC", NOW)
    finally:
        journal.close()


def measure(command: list[str], out: Path) -> dict[str, float]:
    """(In a wrapper child) run ``command`` with stdout to ``out``: its wall time and peak RSS."""
    start = time.perf_counter()
    with out.open("wb") as fh:
        subprocess.run(command, stdout=fh, stderr=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mb": peak, "bytes": out.stat().st_size}


def command(kind: str, config: Path, out: Path) -> list[str]:
    """The child's command line for one measurement."""
    if kind == "sqlite3 → csv":
        return [sys.executable, "-c", _DUMP, str(config.parent / "journal.sqlite3")]
    greeter = [sys.executable, "-m", "greeter", "--config", str(config), "history"]
    if kind == "csv -o":
        return [*greeter, "-o", str(excel_file(config))]
    return [*greeter, "--format", kind]


def excel_file(config: Path) -> Path:
    """Where ``history -o`` writes its CSV in the ``csv -o`` measurement."""
    return config.parent / "history-o.csv"


def run(kind: str, config: Path) -> dict[str, float]:
    """One measurement in a wrapper child (so ``RUSAGE_CHILDREN`` is that command's alone)."""
    out = config.parent / f"history.{kind.replace(' ', '')}.out"
    done = subprocess.run(
        [sys.executable, __file__, "--measure", json.dumps([command(kind, config, out), str(out)])],
        capture_output=True, text=True, check=True, timeout=3600,
        # This checkout's greeter, not whichever the venv's editable install points at.
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout)
    if kind == "csv -o":
        result["bytes"] = excel_file(config).stat().st_size
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--formats", default="json,csv,table,csv -o")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        cmd, out = json.loads(args.measure)
        print(json.dumps(measure(cmd, Path(out))))
        return
    config = project(args.rows)
    kinds = ["sqlite3 → csv", *args.formats.split(",")]
    print(f"greeter history over {args.rows:,} journal rows (and as many contacts)")
    print(f"{'measurement':<16}{'seconds':>10}{'rows/s':>12}{'peak RSS MB':>13}{'output MB':>11}")
    for kind in kinds:
        r = run(kind, config)
        secs = r["seconds"]
        print(
            f"{kind:<16}{secs:>10.2f}{args.rows / secs:>12,.0f}{r['peak_rss_mb']:>13.0f}"
            f"{r['bytes'] / 1e6:>11.1f}"
        )


if __name__ == "__main__":
    main()
