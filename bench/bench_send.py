"""Delivery benchmark (issue 5): greeter vs mailmerge vs Postfix smtp-source, one smtp-sink, one run.

    python bench/bench_send.py [--messages 2000] [--rounds 5] [--delay-ms 10] [--mailmerge-delayed 100]

On loopback every contender runs once per round, ``--rounds`` times, and the
figures are medians with the lowest and highest: one run of each used to
decide the ratios, and on this 2-core machine ``smtp-source`` alone measured
3,000 to 7,900 msg/s from one run to the next (greeter / smtp-source read 23 %
in one run and 59 % in the next, same code). Ratios are per round (both
sides within seconds of each other), then their median.

1. greeter end to end (plan + render + journal + send, ``greeter send --once``
   as a subprocess) with pool sizes 16 and 32, letters built by the default
   build workers (one per CPU but one), and pool 16 built in the sending
   process alone (``delivery.build_processes: 0``) to show what they add;
2. mailmerge (PyPI), serial, one connection per message, the same recipients
   and a comparable Cyrillic letter;
3. ``smtp-source -s 8``, the wire's limit for 8 parallel sessions, sending
   letters of the size greeter's are (measured from its .eml preview);
4. the daemon, the product's main mode (``greeter run``, pool 32): it pays
   interpreter start-up, imports and config loading once, not per batch. One
   daemon is started on a fresh copy of the same project and sink; its first
   tick plans and sends the due letters, and the figure is N divided by the
   ``seconds`` of that tick's ``run`` log line (JSON, measured by the daemon
   from the tick's start — planning included — to the last letter's verdict),
   so the daemon's start-up is not in it; printed as its own line and its own
   ratio to smtp-source, next to the process figures;
then greeter and mailmerge again through bench/tcp_delay_proxy.py (a 10 ms
link each way; mailmerge with fewer messages — its rate is per message, so
the msg/s figure is comparable). Each run is a fresh process on a fresh journal,
start-up included; greeter's modules are byte-compiled first, as pip does for an
installed package. Needs Debian's postfix package:
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y postfix
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from statistics import median

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
SINK, SOURCE = Path("/usr/sbin/smtp-sink"), Path("/usr/sbin/smtp-source")
HEADER = "ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;Дата основания компании;Первая сделка;Страна"
NOW = "2027-04-14T11:00:00+03:00"  # birthdays on 13 April: every greeting is due at once


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def background(cmd: list[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


def greeter_project(
    folder: Path,
    n: int,
    port: int,
    pool: int,
    journal_url: str | None = None,
    build_processes: int | None = None,
) -> Path:
    """N contacts whose birthday was yesterday (all due at once), the example config on SMTP."""
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "data").mkdir()
    rows = [
        f"{i};client{i}@example.com;Иванов;Иван;Петрович;м;ООО «Тест {i}»;Europe/Moscow;ru;regular;;13.04.1980;;;Россия"
        for i in range(1, n + 1)
    ]
    (folder / "data" / "contacts.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    yaml = YAML()
    config = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    config["delivery"]["transport"] = "smtp"
    config["delivery"]["smtp"].update(
        {"host": "127.0.0.1", "port": port, "pool_size": pool, "timeout_seconds": 30}
    )
    config["delivery"]["rate_limit"] = {}
    if build_processes is not None:
        config["delivery"]["build_processes"] = build_processes
    if journal_url is not None:
        config["storage"]["url"] = journal_url
    path = folder / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


def run_greeter(n: int, port: int, pool: int, build_processes: int | None = None) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        config = greeter_project(Path(tmp), n, port, pool, build_processes=build_processes)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--json", "--now", NOW],
            capture_output=True, text=True, timeout=1800, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        seconds = time.perf_counter() - start
        if f'"sent": {n}' not in out.stdout:
            raise RuntimeError(f"greeter did not send {n}: {out.stdout[-500:]} {out.stderr[-500:]}")
        return n / seconds


def run_daemon(n: int, port: int, pool: int) -> float:
    """Letters/s of one ``greeter run`` tick: N over the ``seconds`` of its first ``run`` log line.

    The daemon's own measure (time.monotonic() from the tick's start, before
    planning, to the last verdict recorded) is used rather than a wall clock
    around the process, whose start-up a long-running daemon pays once.
    """
    with tempfile.TemporaryDirectory() as tmp:
        config = greeter_project(Path(tmp), n, port, pool)
        log = Path(tmp) / "daemon.log"
        with log.open("w", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "greeter", "--config", str(config), "run", "--now", NOW,
                 "--log-format", "json"],
                stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
        try:
            record = _first_run_line(log, proc, deadline=time.monotonic() + 1800)
        finally:
            proc.terminate()  # SIGTERM: the daemon stops gracefully (nothing is in flight by now)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if record.get("sent") != n:
            raise RuntimeError(f"the daemon's tick did not send {n}: {record}")
        return n / float(record["seconds"])


def _first_run_line(log: Path, proc: subprocess.Popen[bytes], deadline: float) -> dict[str, object]:
    """The daemon's first ``run`` log line (a whole JSON line), waiting for it to be written."""
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        for line in text.splitlines(keepends=True):
            if line.endswith("\n") and '"event": "run"' in line:
                record: dict[str, object] = json.loads(line)
                return record
        if proc.poll() is not None:
            raise RuntimeError(f"the daemon exited ({proc.returncode}) before a run: {text[-800:]}")
        time.sleep(0.1)
    raise RuntimeError(f"no run line from the daemon in time: {log.read_text(encoding='utf-8')[-800:]}")


MAILMERGE_TEMPLATE = """TO: {{email}}
FROM: ООО «Ромашка» <greetings@romashka.example>
SUBJECT: {{name}}, с днём рождения!
CONTENT-TYPE: text/plain; charset=utf-8

Уважаемый {{name}}!

Примите наши самые тёплые поздравления с днём рождения! Желаем Вам крепкого
здоровья, благополучия, энергии и удачи во всех начинаниях, а компании
{{company}} — процветания и новых достижений. Спасибо, что выбираете нас:
работать с Вами — настоящее удовольствие.

С уважением,
Ольга Смирнова, отдел по работе с клиентами
ООО «Ромашка», +7 495 000-00-00
"""


def run_mailmerge(n: int, port: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "t.txt").write_text(MAILMERGE_TEMPLATE, encoding="utf-8")
        lines = ["email,name,company"] + [
            f"client{i}@example.com,Иван Петрович,ООО «Тест {i}»" for i in range(1, n + 1)
        ]
        (folder / "db.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "s.conf").write_text(
            f"[smtp_server]\nhost = 127.0.0.1\nport = {port}\nsecurity = Never\nratelimit = 0\n"
        )
        mailmerge = Path(sys.executable).parent / "mailmerge"
        start = time.perf_counter()
        out = subprocess.run(
            [str(mailmerge), "--no-dry-run", "--no-limit", "--output-format", "text",
             "--template", "t.txt", "--database", "db.csv", "--config", "s.conf"],
            cwd=folder, capture_output=True, text=True, timeout=1800, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        sent = len(re.findall(r"^>>> message \d+ sent$", out.stdout, re.MULTILINE))
        if sent != n:
            raise RuntimeError(f"mailmerge sent {sent} of {n}: {out.stderr[-500:]}")
        return n / seconds


def greeter_letter_size(n: int) -> int:
    """The mean size in bytes of the letters greeter sends in this benchmark (its .eml preview)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = greeter_project(Path(tmp), min(n, 200), free_port(), 1)
        out = Path(tmp) / "eml"
        subprocess.run(
            [sys.executable, "-m", "greeter", "--config", str(config), "preview", "--format", "eml",
             "--out", str(out), "--from", "2027-04-13", "--days", "2", "--now", NOW],  # birthdays: 13.04
            capture_output=True, timeout=600, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        sizes = [f.stat().st_size for f in out.rglob("*.eml")]
        if not sizes:
            raise RuntimeError("greeter previewed no letter")
        return sum(sizes) // len(sizes)


def run_smtp_source(n: int, port: int, sessions: int, size: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(SOURCE), "-c", "-l", str(size), "-m", str(n), "-s", str(sessions),
         "-f", "from@example.com", "-t", "to@example.com", f"127.0.0.1:{port}"],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--delay-ms", type=float, default=10.0)
    parser.add_argument(
        "--mailmerge-delayed", type=int, default=100, help="messages for mailmerge via the proxy"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="loopback rounds (each runs every contender once)"
    )
    args = parser.parse_args()
    if not (SINK.exists() and SOURCE.exists()):
        sys.exit(
            "needs Postfix's smtp-sink and smtp-source; see this script's docstring for the install command"
        )
    n = args.messages
    size = greeter_letter_size(n)  # smtp-source sends letters of the same size
    # Start greeter as an installed package starts: from bytecode. pip compiles what it
    # installs (mailmerge included), but an editable install under PYTHONDONTWRITEBYTECODE
    # (set on this machine) recompiles greeter's own 60 modules on every run (~0.15 s).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    sink_port = free_port()
    loopback: dict[str, Callable[[], float]] = {
        "greeter pool 16, one process": lambda: run_greeter(n, sink_port, 16, build_processes=0),
        "greeter pool 16": lambda: run_greeter(n, sink_port, 16),
        "greeter pool 32": lambda: run_greeter(n, sink_port, 32),
        "greeter daemon tick, pool 32": lambda: run_daemon(n, sink_port, 32),
        "mailmerge": lambda: run_mailmerge(n, sink_port),
        "smtp-source -s 8": lambda: run_smtp_source(n, sink_port, 8, size),
    }
    rounds: list[dict[str, float]] = []
    delayed: dict[str, float] = {}
    as_root = ["-u", "nobody"] if os.geteuid() == 0 else []  # smtp-sink refuses to run as root
    with background([str(SINK), *as_root, "-c", f"127.0.0.1:{sink_port}", "1000"], sink_port):
        for _ in range(args.rounds):  # every contender once per round: drift hits them all alike
            rounds.append({name: run() for name, run in loopback.items()})
        proxy_port = free_port()
        proxy = [sys.executable, str(ROOT / "bench" / "tcp_delay_proxy.py"), str(proxy_port), str(sink_port),
                 "--delay-ms", str(args.delay_ms), "--seconds", "1800"]  # fmt: skip
        with background(proxy, proxy_port):  # link-bound, not CPU-bound: one run each is steady
            delayed["greeter pool 16, 10 ms link"] = run_greeter(n, proxy_port, 16)
            # over a slow link concurrency is what pays: each SMTP transaction is ~4 round trips
            delayed["greeter pool 64, 10 ms link"] = run_greeter(n, proxy_port, 64)
            delayed["mailmerge, 10 ms link"] = run_mailmerge(args.mailmerge_delayed, proxy_port)
            delayed["smtp-source -s 8, 10 ms link"] = run_smtp_source(n, proxy_port, 8, size)
    print(
        f"{n} messages of ~{size:,} bytes (mailmerge via the proxy: {args.mailmerge_delayed}),"
        f" one smtp-sink; loopback: median of {args.rounds} rounds [lowest–highest]"
    )
    for name in loopback:
        rates = [r[name] for r in rounds]
        print(f"  {name:<32}{median(rates):>10,.0f} msg/s  [{min(rates):,.0f}–{max(rates):,.0f}]")
    for name, rate in delayed.items():
        print(f"  {name:<32}{rate:>10,.0f} msg/s")

    def paired(name: str, reference: str) -> str:
        """The median of one round's ratios: each pair ran minutes apart at most, not a run apart."""
        ratios = [max(r[g] for g in name.split("|")) / r[reference] for r in rounds]
        return f"{median(ratios):.0%} [{min(ratios):.0%}–{max(ratios):.0%}]"

    best = "greeter pool 16|greeter pool 32"  # the better pool size of each round
    mailmerge = [max(r["greeter pool 16"], r["greeter pool 32"]) / r["mailmerge"] for r in rounds]
    print(
        f"greeter / mailmerge (loopback):           {median(mailmerge):.1f}× [{min(mailmerge):.1f}–"
        f"{max(mailmerge):.1f}]   (target ≥ 2×)"
    )
    print(f"greeter / smtp-source -s 8 (loopback):    {paired(best, 'smtp-source -s 8')}   (target ≥ 40 %)")
    print(
        "greeter daemon tick / smtp-source -s 8:   "
        f"{paired('greeter daemon tick, pool 32', 'smtp-source -s 8')}   (loopback; no start-up)"
    )
    slow = max(delayed["greeter pool 16, 10 ms link"], delayed["greeter pool 64, 10 ms link"])
    print(
        f"greeter / mailmerge (10 ms link):         {slow / delayed['mailmerge, 10 ms link']:.1f}×   (target ≥ 50×)"
    )


if __name__ == "__main__":
    main()
