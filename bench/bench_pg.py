"""PostgreSQL benchmark: 1 vs 2 vs 4 daemons sharing one journal; a million contacts from SQL vs CSV.

    python bench/bench_pg.py [--messages 20000] [--contacts 1000000] [--daemons 1,2,4] [--pool 4] [--days 14]

1. **Sending.** For each daemon count K: a fresh schema on the PostgreSQL at
   ``$GREETER_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``),
   a project of MESSAGES contacts whose birthday was yesterday (all due at
   once, as one-day-late catch-ups), K real ``greeter run --now …`` daemons on
   that journal (``storage.url: postgresql://…?schema=…``) and one Postfix
   ``smtp-sink -c 127.0.0.1:PORT 1000``. Timed from starting the daemons to
   the moment the journal holds MESSAGES ``sent`` greetings (start-up, loading
   and planning included, as a deployment pays them). Checked afterwards: the
   journal has every greeting ``sent`` and none in another state, and
   smtp-sink's own counter (``-c``) says it received exactly MESSAGES messages.
   Printed: greetings/s, the ratio to one daemon, and each daemon's share.
2. **Planning.** ``bench/gen_contacts.py`` makes CONTACTS rows (written to
   ``bench/out/`` as CSV, and COPYed into a PostgreSQL table with DATE
   columns: impossible dates such as 31.02 become NULL, as a CRM database
   cannot hold them). Each measurement runs in its own child process (wall
   time, rows/s, the child's peak RSS): loading alone, and loading plus the
   planner over DAYS days — from the CSV file and from
   ``contacts: {source: sql, url: …, query: SELECT … AS "ID", …}`` (a
   server-side cursor). The ratio SQL/CSV is the number to watch.

Needs Postfix's smtp-sink (see bench/README.md) and the PostgreSQL server;
every schema it creates is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_send import free_port, greeter_project  # noqa: E402  (a sibling script, not a package)

OUT = ROOT / "bench" / "out"
SINK = Path("/usr/sbin/smtp-sink")
PG_URL = os.environ.get("GREETER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
NOW = "2027-04-14T11:00:00+03:00"  # birthdays on 13 April: every greeting is due at once
PLAN_NOW = datetime(2027, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
#: The CRM table: gen_contacts.py's columns, dates as DATE.
TABLE_COLUMNS = (
    ("ord", "integer"), ("id", "text"), ("email", "text"), ("last_name", "text"), ("first_name", "text"),
    ("patronymic", "text"), ("gender", "text"), ("company", "text"), ("tz", "text"), ("locale", "text"),
    ("tier", "text"), ("tags", "text"), ("birthday", "date"), ("founded", "date"), ("first_deal", "date"),
)  # fmt: skip
#: The query: its column names are the CSV's headers, so config.example.yaml's mapping applies as is.
QUERY = (
    'SELECT id AS "ID", email AS "Email", last_name AS "Фамилия", first_name AS "Имя",'
    ' patronymic AS "Отчество", gender AS "Пол", company AS "Компания", tz AS "Часовой пояс",'
    ' locale AS "Язык", tier AS "Категория", tags AS "Теги", birthday AS "Дата рождения",'
    ' founded AS "Дата основания компании", first_deal AS "Первая сделка", NULL AS "Страна"'
    " FROM {table} ORDER BY ord"
)


def with_query(url: str, param: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{param}"


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A fresh schema name on the server, dropped (with everything in it) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        yield name
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@contextmanager
def smtp_sink(port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``smtp-sink -c 127.0.0.1:PORT 1000`` (``-u nobody`` as root), its counters written to ``log``."""
    import socket

    as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(SINK), *as_root, "-c", f"127.0.0.1:{port}", "1000"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"smtp-sink did not start: {log.read_text(errors='replace')}"
                    ) from None
                time.sleep(0.05)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sink_received(log: Path) -> int:
    """The last ``mesg=N`` smtp-sink's ``-c`` printed: messages it took (the final dot answered 250)."""
    counts = re.findall(r"mesg=(\d+)", log.read_text(errors="replace"))
    return int(counts[-1]) if counts else 0


# --- 1. sending ----------------------------------------------------------------------------------


def project(folder: Path, n: int, port: int, journal_url: str, pool: int) -> Path:
    return greeter_project(folder, n, port, pool, journal_url)


def journal_counts(conn: psycopg.Connection[Any], schema: str) -> Counter[str]:
    try:
        rows = conn.execute(f"SELECT state, count(*) FROM {schema}.greetings GROUP BY state").fetchall()
    except psycopg.errors.UndefinedTable:
        return Counter()
    return Counter({str(state): int(n) for state, n in rows})


def run_daemons(n: int, k: int, pool: int, timeout: float) -> dict[str, Any]:
    """K daemons, one journal, one smtp-sink, n greetings due: the wall time until all n are sent."""
    with tempfile.TemporaryDirectory() as tmp, pg_schema("greeter_bench") as schema:
        folder = Path(tmp)
        port = free_port()
        log = folder / "smtp-sink.log"
        with smtp_sink(port, log), psycopg.connect(PG_URL, autocommit=True) as conn:
            config = project(folder / "project", n, port, with_query(PG_URL, f"schema={schema}"), pool)
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            cmd = [sys.executable, "-m", "greeter", "--config", str(config), "run", "--now", NOW,
                   "--log-format", "json"]  # fmt: skip
            logs = [(folder / f"daemon{d}.log").open("wb") for d in range(k)]
            start = time.perf_counter()
            procs = [subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env) for fh in logs]
            try:
                while journal_counts(conn, schema)["sent"] < n:
                    if time.perf_counter() - start > timeout:
                        raise RuntimeError(f"{k} daemon(s): not all {n} sent within {timeout} s")
                    if any(p.poll() is not None for p in procs):
                        raise RuntimeError(
                            f"a daemon exited early: {(folder / 'daemon0.log').read_text()[-2000:]}"
                        )
                    time.sleep(0.1)
                seconds = time.perf_counter() - start
            finally:
                for p in procs:
                    p.send_signal(signal.SIGTERM)
                for p in procs:
                    try:
                        p.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        p.kill()
                for fh in logs:
                    fh.close()
            counts = journal_counts(conn, schema)
            shares = conn.execute(
                f"SELECT count(*) FROM {schema}.greetings WHERE state = 'sent' GROUP BY claimed_by ORDER BY 1 DESC"
            ).fetchall()
            time.sleep(0.3)  # smtp-sink prints its counters when a session ends
        received = sink_received(log)
        failed = sum(1 for d in range(k) if '"run_failed"' in (folder / f"daemon{d}.log").read_text())
    if counts != Counter({"sent": n}) or received != n:
        raise RuntimeError(f"{k} daemon(s): journal {dict(counts)}, smtp-sink received {received} of {n}")
    return {"seconds": seconds, "shares": [int(s) for (s,) in shares], "received": received, "failed": failed}


# --- 2. planning ----------------------------------------------------------------------------------


def write_sources(rows: int, table: str) -> Path:
    """The CSV in bench/out/ (generated once per size) and the same rows COPYed into ``table``."""
    from gen_contacts import contact_rows, write_contacts

    path = OUT / f"contacts-{rows}.csv"
    if not path.exists():
        print(f"generating {path} …", file=sys.stderr)
        write_contacts(path, rows)

    def day(text: str) -> date | None:
        try:
            return datetime.strptime(text, "%d.%m.%Y").date()
        except ValueError:
            return None  # 31.02.1980: no DATE column can hold it

    columns = ", ".join(f"{name} {kind}" for name, kind in TABLE_COLUMNS)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table} ({columns})")
        names = ", ".join(name for name, _ in TABLE_COLUMNS)
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for i, r in enumerate(contact_rows(rows), 1):
                copy.write_row([i, *r[:11], day(r[11]), day(r[12]), day(r[13])])
        conn.execute(f"ANALYZE {table}")
    return path


def child(kind: str, source: str, days: int) -> dict[str, object]:
    """One measurement inside a child process: ``load`` or ``plan`` from ``csv:PATH`` or ``sql:TABLE``."""
    from greeter.config_loader import load_settings
    from greeter.planner import plan, plan_window
    from greeter.sources import LoadReport, iter_contacts

    settings = load_settings(ROOT / "config.example.yaml", today=PLAN_NOW.date())
    how, where = source.split(":", 1)
    if how == "csv":
        contacts_cfg = settings.contacts.model_copy(update={"path": Path(where)})
    else:
        update = {"source": "sql", "path": None, "url": PG_URL, "query": QUERY.format(table=where)}
        contacts_cfg = settings.contacts.model_copy(update=update)
    start = time.perf_counter()
    report = LoadReport(source=where)
    contacts = iter_contacts(contacts_cfg, settings.defaults, report)
    result: dict[str, object] = {}
    if kind == "load":
        result["contacts"] = sum(1 for _ in contacts)
    else:
        pw = plan_window(settings, now=PLAN_NOW, start=PLAN_NOW.date(), days=days)
        statuses = Counter(item.status for item in plan(contacts, pw))
        result["items"] = sum(statuses.values())
        result["send"] = statuses["send"]
    result["seconds"] = time.perf_counter() - start
    result["loaded"] = report.loaded
    result["problems"] = len(report.problems)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(kind: str, source: str, days: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--source", source, "--days", str(days)],
        capture_output=True, text=True, timeout=7200, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"child {kind} {source} failed: {out.stderr[-2000:]}")
    data: dict[str, object] = json.loads(out.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=20_000, help="greetings due in the sending part")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="rows in the planning part")
    parser.add_argument("--daemons", default="1,2,4", help="daemon counts to compare (comma-separated)")
    parser.add_argument("--pool", type=int, default=4, help="SMTP connections per daemon")
    parser.add_argument("--days", type=int, default=14, help="days the planner covers in the planning part")
    parser.add_argument("--skip-send", action="store_true")
    parser.add_argument("--skip-plan", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--source")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.source, args.days)))
        return
    psycopg.connect(PG_URL, connect_timeout=5).close()  # fail at once when the server is not there
    if not args.skip_send:
        if not SINK.exists():
            sys.exit(f"needs Postfix's {SINK}; see bench/README.md for the install command")
        n = args.messages
        print(
            f"sending: {n} greetings due, one PostgreSQL journal, one smtp-sink, pool {args.pool} per daemon"
        )
        print(
            f"{'daemons':>8}{'seconds':>10}{'greetings/s':>13}{'× 1 daemon':>12}  sent per daemon; runs failed"
        )
        base: float | None = None
        for k in (int(x) for x in args.daemons.split(",")):
            r = run_daemons(n, k, args.pool, timeout=max(600.0, n / 10))
            rate = n / float(r["seconds"])
            base = base or rate
            shares = "/".join(str(s) for s in r["shares"])
            print(
                f"{k:>8}{r['seconds']:>10.1f}{rate:>13,.0f}{rate / base:>12.2f}  {shares}; {r['failed']}",
                flush=True,
            )
    if not args.skip_plan:
        rows = args.contacts
        with pg_schema("greeter_bench_crm") as schema:
            table = f"{schema}.clients"
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            started = time.perf_counter()
            csv_path = write_sources(rows, table)
            copy_seconds = time.perf_counter() - started
            print(f"\nplanning: {rows:,} contacts ({csv_path.stat().st_size / 1e6:,.0f} MB CSV; COPY into "
                  f"{table} took {copy_seconds:.0f} s), plan over {args.days} days from {PLAN_NOW:%Y-%m-%d}")  # fmt: skip
            results = {
                (kind, how): run_child(kind, f"{how}:{csv_path if how == 'csv' else table}", args.days)
                for kind in ("load", "plan")
                for how in ("csv", "sql")
            }
        print(
            f"{'measurement':<12}{'source':<8}{'seconds':>9}{'rows/s':>11}{'SQL/CSV':>9}{'peak RSS MB':>13}  notes"
        )
        for (kind, how), r in results.items():
            secs = float(r["seconds"])  # type: ignore[arg-type]
            ratio = f"{secs / float(results[(kind, 'csv')]['seconds']):.2f}" if how == "sql" else ""  # type: ignore[arg-type]
            note = f"{r['loaded']} loaded, {r['problems']} problems"
            if kind == "plan":
                note += f"; {r['items']} plan items, {r['send']} to send"
            rss = float(r["peak_rss_mb"])  # type: ignore[arg-type]
            print(f"{kind:<12}{how:<8}{secs:>9.1f}{rows / secs:>11,.0f}{ratio:>9}{rss:>13.0f}  {note}")


if __name__ == "__main__":
    main()
