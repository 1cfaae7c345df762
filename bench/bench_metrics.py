"""What one ``/metrics`` scrape costs the journal: the daemon's probe read on a big SQLite journal.

    python bench/bench_metrics.py [--rows 200000] [--repeat 7] [--journal PATH]

Builds (once, as ``bench/out/metrics-ROWS.sqlite3``, or at ``--journal``) an SQLite
journal of ROWS greetings written through the journal's own API as
bench/bench_history.py writes its own (mostly sent, some failed, retried, skipped
and expired). Then, in this process, times what a scrape does besides rendering —
:func:`~greeter.http_health.probe_read` (the abandoned claims, the tallies, the
writability check) — and the rendering itself (:func:`~greeter.metrics.render_metrics`),
and prints each query's ``EXPLAIN QUERY PLAN``: a ``SCAN greetings`` reads every row
of the table, a ``SCAN … USING COVERING INDEX`` every entry of a narrower index.

It also times the daemon's one read at start (:meth:`~greeter.journal_store.JournalStore.recent_refusals`,
``refusing`` after a restart) when this checkout has it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def timed(step: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``step`` over ``repeat`` calls, in milliseconds (one warm-up first)."""
    step()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--journal", type=Path, help="the journal to build or read (default under bench/out)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_history import fill_journal

    from greeter import journal_sql
    from greeter.http_health import probe_read
    from greeter.journal import open_journal
    from greeter.metrics import RunStats, render_metrics

    path: Path = args.journal or OUT / f"metrics-{args.rows}.sqlite3"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"writing {args.rows} greetings to {path} …", file=sys.stderr)
        fill_journal(f"sqlite:///{path}", args.rows)
    journal = open_journal(f"sqlite:///{path}", now=NOW)
    try:
        with journal._db() as db:  # the bench reads the plans on the journal's own connection
            rows = db.execute("SELECT COUNT(*) FROM greetings").fetchone()[0]
            version = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            queries = {"tallies": journal_sql.TALLY_QUERY}
            if (refusals := getattr(journal_sql, "recent_refusals_query", None)) is not None:
                queries["recent_refusals"] = refusals("''")
            queries["abandoned_claims"] = (
                "SELECT contact_id, occasion, occasion_date FROM greetings WHERE state = 'claimed'"
            )
            print(f"journal {path}: {rows:,} greetings, schema {version}")
            for name, query in queries.items():
                plan = [r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()]
                print(f"  {name}: {' | '.join(plan)}")
        stats = RunStats(started_at=NOW)
        read = timed(lambda: probe_read(journal, str(path)), args.repeat)
        counts = probe_read(journal, str(path)).counts
        render = timed(lambda: render_metrics(counts, stats), args.repeat)
        print(
            f"probe read (journal) {read:8.1f} ms   render {render:6.2f} ms   scrape {read + render:8.1f} ms"
        )
        if hasattr(journal, "recent_refusals"):
            start = timed(lambda: journal.recent_refusals(), args.repeat)
            print(f"recent_refusals (once at start) {start:6.2f} ms")
    finally:
        journal.close()


if __name__ == "__main__":
    main()
