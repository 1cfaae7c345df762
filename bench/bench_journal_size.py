"""The journal's size on disk after batches of ``greeter send --once`` (bytes per greeting).

    python bench/bench_journal_size.py [--letters 2000] [--batches 2] [--pg URL]
    python bench/bench_journal_size.py --wal [--letters 2000] [--size 10400]

bench_send's project (``--letters`` birthdays due at its NOW) sends to Postfix's
``smtp-sink``; each further batch is the same contacts' birthdays in a later year
whose 14 April is a working day (:data:`YEARS`: a new occasion date, as many new
letters; the occasions missed in between are recorded ``expired``). After each batch: the SQLite file
(its ``-wal`` is checkpointed into it when the sender closes), its pages and
those on SQLite's freelist, and the bytes per greeting row. A letter's bytes
are kept in the journal from its claim to its verdict; where they are kept
decides whether the pages they took are reused by the next batch or left
mostly empty in every finished row's page (docs/operations.md, *The journal
on disk*). ``--pg URL``: the same batches into a new PostgreSQL schema of that
database instead, reporting ``pg_total_relation_size`` of ``greetings`` (heap,
TOAST, indexes) after each batch and after a ``VACUUM`` of it. Deterministic in
rows and pages (not in time); needs smtp-sink (see bench_send.py).

``--wal``: what the journal writes to its ``-wal`` a letter instead — ``--letters``
letters of ``--size`` bytes claimed 8 at a time and recorded sent through the
journal's own API in this process, SQLite's automatic checkpoints off, so that the
``-wal`` holds every page written (each a 4 KB frame and its 24-byte header).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_common import ROOT, smtp_sink

#: The years of the batches: 14 April a working day in each (config.example.yaml's send window).
YEARS = (2027, 2028, 2031, 2032, 2033)


def send_batch(config: Path, now: str) -> None:
    """One ``greeter send --once`` at ``now``; every letter due must be sent."""
    out = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--json", "--now", now],
        capture_output=True, text=True, timeout=1800, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    if '"sent": ' not in out.stdout:
        raise RuntimeError(f"greeter did not send: {out.stdout[-500:]} {out.stderr[-500:]}")


def sqlite_figures(path: Path) -> tuple[int, int, int, str]:
    """(file bytes, pages, free pages, greeting rows by state) of the closed SQLite journal at ``path``."""
    conn = sqlite3.connect(path)
    try:
        pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count"))
        states = conn.execute(
            "SELECT state, count(*) FROM greetings GROUP BY state ORDER BY state"
        ).fetchall()
    finally:
        conn.close()
    return path.stat().st_size, int(pages), int(free), ", ".join(f"{n:,} {s}" for s, n in states)


def sent_rows(path: Path) -> int:
    """How many letters the journal at ``path`` holds as sent (the batches' letters)."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM greetings WHERE state = 'sent'").fetchone()[0])
    finally:
        conn.close()


def pg_figures(url: str, schema: str, *, vacuum: bool) -> tuple[int, int]:
    """(bytes of greetings with its TOAST and indexes, greeting rows) in ``schema``; VACUUM it first."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if vacuum:
            conn.execute(f'VACUUM "{schema}".greetings')
        size = conn.execute(f"SELECT pg_total_relation_size('\"{schema}\".greetings')").fetchone()
        rows = conn.execute(f'SELECT count(*) FROM "{schema}".greetings').fetchone()
    assert size is not None and rows is not None
    return int(size[0]), int(rows[0])


def wal_bytes(letters: int, size: int) -> int:
    """Bytes the SQLite journal writes to its ``-wal`` for ``letters`` claims and verdicts, 8 at a time."""
    from datetime import UTC, date, datetime

    from greeter.journal import Journal
    from greeter.journal_store import ClaimRequest

    moment = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Journal.open(f"sqlite:///{tmp}/j.sqlite3", now=moment) as journal,
    ):
        journal._conn.execute("PRAGMA wal_autocheckpoint = 0")
        journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for first in range(0, letters, 8):
            keys = [(f"c{i}", "birthday", date(2027, 4, 13)) for i in range(first, min(first + 8, letters))]
            claims = [
                ClaimRequest(k, f"{k[0]}@example.com", f"<{k[0]}@greeter>", moment, payload=os.urandom(size))
                for k in keys
            ]
            assert journal.claim_many(claims, now=moment) == [True] * len(keys)
            assert journal.mark_all_sent([(k, "250 2.0.0 Ok", moment) for k in keys])
        return Path(f"{tmp}/j.sqlite3-wal").stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=2, choices=range(1, len(YEARS) + 1))
    parser.add_argument("--pg", help="a PostgreSQL URL: measure a new schema there instead of a SQLite file")
    parser.add_argument("--wal", action="store_true", help="the -wal's bytes a letter instead (no send)")
    parser.add_argument("--size", type=int, default=10_400, help="--wal: each letter's bytes")
    args = parser.parse_args()
    if args.wal:
        wal = wal_bytes(args.letters, args.size)
        print(
            f"{args.letters:,} letters of {args.size:,} bytes: -wal {wal:,} bytes, {wal / args.letters / 1024:.1f} KB a letter"
        )
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_send
    from ruamel.yaml import YAML

    schema = f"bench_size_{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory() as tmp, smtp_sink() as port:
        config = bench_send.greeter_project(Path(tmp), args.letters, port, 32)
        if args.pg:
            yaml = YAML()
            settings = yaml.load(config.read_text(encoding="utf-8"))
            settings["storage"]["url"] = f"{args.pg}?schema={schema}"
            with config.open("w", encoding="utf-8") as fh:
                yaml.dump(settings, fh)
        journal = Path(tmp) / "data" / "journal.sqlite3"
        try:
            grown_from = (0, 0)
            for batch in range(args.batches):
                send_batch(config, f"{YEARS[batch]}{bench_send.NOW[4:]}")
                if args.pg:
                    size, rows = pg_figures(args.pg, schema, vacuum=False)
                    vacuumed, _ = pg_figures(args.pg, schema, vacuum=True)
                    print(
                        f"batch {batch + 1}: {rows:,} rows, greetings {size:,} bytes ({size / rows:,.0f} a row),"
                        f" after VACUUM {vacuumed:,} ({vacuumed / rows:,.0f} a row)"
                    )
                    continue
                size, pages, free, states = sqlite_figures(journal)
                sent = sent_rows(journal)
                grown = (size - grown_from[0]) / (sent - grown_from[1])
                grown_from = (size, sent)
                print(
                    f"batch {batch + 1}: rows {states}; file {size:,} bytes ({size / sent:,.0f} a letter sent,"
                    f" this batch {grown:,.0f}), {pages:,} pages, {free:,} free"
                )
        finally:
            if args.pg:
                import psycopg

                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
