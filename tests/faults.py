"""The fault matrix: ``greeter send --once`` (the real CLI) against Postfix's ``smtp-sink`` with faults.

Shared by ``tests/test_fault_matrix.py`` (one test per fault) and
``bench/fault_matrix.py`` (the table). For each :class:`Fault`:

1. a project of ``n`` contacts whose birthday was yesterday (all due at once,
   as a one-day-late catch-up), SMTP transport, a pool of 4 connections;
2. run 1 at ``NOW`` against the faulty server: smtp-sink started with the
   fault's own options (``-Q -q -r -f -A -M``), or a :class:`FaultProxy`
   that sends a seeded-random share of transactions to such sinks, cuts the
   connection mid-DATA / after the final dot, or adds latency;
3. run 2 at ``NOW + 30 s``, the fault still on: nothing may be due (retries
   wait for their backoff, ``failed`` and ``uncertain`` are never resent);
4. run 3 at ``NOW + 10 min`` (after the backoff) against a healthy smtp-sink;
5. for ``Fault.operator``: ``greeter uncertain resend|dismiss`` as an operator
   who looked into the mailbox would decide, and a 4th run;
6. the journal (``greeter history --format json``) is compared with every
   sink's dump directory (``smtp-sink -d``): Message-IDs received, duplicates,
   and the invariants of DESIGN.md §4 (see :meth:`Result.violations`).

Only ``smtp-sink`` itself ever answers greeter: the proxy chooses which sink,
or breaks the connection, but never makes up a reply.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from greeter.journal import Journal
from greeter.testing import (
    CutMode,
    DumpedMessage,
    FaultProxy,
    PostfixSink,
    ProxyEvent,
    ProxyPlan,
    Route,
)
from tests.conftest import HEADER, contact_row

ROOT = Path(__file__).resolve().parent.parent
#: Wednesday 11:00 in Moscow; every birthday is on 13 April: all due at once.
NOW = datetime.fromisoformat("2027-04-14T11:00:00+03:00")
#: (what the run is, --now, fault still on?)
RUNS = (
    ("fault", NOW, True),
    ("again", NOW + timedelta(seconds=30), True),  # before the 60 s backoff: nothing is due
    ("healthy", NOW + timedelta(minutes=10), False),  # after it: retries go to a healthy server
)
#: The greeter's states a greeting can end a run in (``claimed`` would be a crash).
ACCOUNTED = ("sent", "retry", "failed", "uncertain")
_UNKNOWN_USER = re.compile(r"^5\d\d 5\.1\.\d")
#: greeter's SMTP connections in every fault's project.
POOL_SIZE = 4


@dataclass(frozen=True)
class SinkFaults:
    """A faulty smtp-sink's options (see :class:`greeter.testing.PostfixSink`)."""

    soft_reject: tuple[str, ...] = ()  # -r: 450 4.3.0
    hard_reject: tuple[str, ...] = ()  # -f: 500 5.3.0, or hard_reply
    reply_421: tuple[str, ...] = ()  # -Q: 421 and disconnect
    disconnect: tuple[str, ...] = ()  # -q: hang up without a reply
    abort_after_data: int | None = None  # -A: 550 right after the 354
    hard_reply: str | None = None  # -B
    max_messages: int | None = None  # -M: exit after that many messages

    def sink(self, port: int = 0) -> PostfixSink:
        return PostfixSink(
            port=port,
            soft_reject=self.soft_reject,
            hard_reject=self.hard_reject,
            reply_421=self.reply_421,
            disconnect=self.disconnect,
            abort_after_data=self.abort_after_data,
            hard_reply=self.hard_reply,
            max_messages=self.max_messages,
        )

    @property
    def label(self) -> str:
        return " ".join(repr(o) if " " in o else o for o in self.sink().options)


@dataclass(frozen=True)
class Fault:
    """One row of the matrix: the fault, and what DESIGN.md §4 says the journal must show."""

    id: str
    title: str
    #: Runs 1–2 talk straight to an smtp-sink with these options (every session).
    sink: SinkFaults | None = None
    #: Else through a FaultProxy: this share of transactions goes to a sink with these options.
    routes: tuple[tuple[SinkFaults, float], ...] = ()
    cut: CutMode = "none"
    cut_odds: float = 1.0
    delay_ms: float = 0.0
    #: The states the fault puts greetings in on the first run ({"sent"}: it must not hurt at all).
    first: frozenset[str] = frozenset({"retry"})
    #: Every due greeting ends the first run in one of ``first`` (a fault on every session).
    every: bool = False
    #: The states allowed at the end, once the server is healthy again.
    final: frozenset[str] = frozenset({"sent"})
    #: At most this many greetings may end the first run ``uncertain`` (the circuit breaker).
    most_uncertain: int | None = None
    #: After the healthy run, play the operator: ``greeter uncertain resend`` what the sink never
    #: received, ``dismiss`` what it did; then one more run (DESIGN.md §4: an operator decides).
    operator: bool = False
    #: A 421: the provider pushing back (greeter.provider_throttle). Run 1 stops at the first
    #: one, the letters not handed over stay unclaimed (``throttle_unsent``); run 2, before
    #: delivery.retry's back-off, hands over nothing and says it holds them back.
    throttle: bool = False
    #: Why the outcome is what it is, where that is not obvious (printed under the table).
    note: str = ""

    @property
    def options(self) -> str:
        if self.sink is not None:
            return f"smtp-sink {self.sink.label}"
        parts = [f"{odds:.0%}→{s.label}" for s, odds in self.routes]
        if self.cut != "none":
            parts.append(f"cut {self.cut} {self.cut_odds:.0%}")
        if self.delay_ms:
            parts.append(f"+{self.delay_ms:g} ms each way")
        return "proxy: " + ", ".join(parts)


UNKNOWN_USER = "550 5.1.1 <recipient>: Recipient address rejected: User unknown in local recipient table"
_S = frozenset

FAULTS: tuple[Fault, ...] = (
    Fault(
        "421-connect",
        "421 + disconnect at greeting",
        SinkFaults(reply_421=("CONNECT",)),
        every=True,
        throttle=True,
    ),
    Fault("421-mail", "421 + disconnect at MAIL", SinkFaults(reply_421=("MAIL",)), every=True, throttle=True),
    Fault("421-rcpt", "421 + disconnect at RCPT", SinkFaults(reply_421=("RCPT",)), every=True, throttle=True),
    Fault("421-data", "421 + disconnect at DATA", SinkFaults(reply_421=("DATA",)), every=True, throttle=True),
    Fault(
        "421-dot", "421 + disconnect at final dot", SinkFaults(reply_421=(".",)), every=True, throttle=True
    ),
    Fault("450-rcpt", "450 at RCPT", SinkFaults(soft_reject=("RCPT",)), every=True),
    Fault("450-data", "450 at DATA", SinkFaults(soft_reject=("DATA",)), every=True),
    Fault(
        "550-user",
        "550 5.1.1 unknown user at RCPT",
        SinkFaults(hard_reject=("RCPT",), hard_reply=UNKNOWN_USER),
        first=_S({"failed"}),
        every=True,
        final=_S({"failed"}),
    ),
    Fault(
        "500-dot",
        "500 5.3.0 at final dot",
        SinkFaults(hard_reject=(".",)),
        first=_S({"failed"}),
        every=True,
        final=_S({"failed"}),
    ),
    Fault(
        "abort-data",
        "abort after DATA (550, hang up)",
        SinkFaults(abort_after_data=0),
        first=_S({"failed", "retry", "uncertain"}),
        every=True,
        final=_S({"failed", "sent", "uncertain"}),
        note="smtp-sink sends 354, then at once 550 and hangs up, racing greeter's letter: greeter "
        "reads the 550 (failed; a bare 550 after the recipient was accepted is no unknown user: "
        "not suppressed), or finds the connection closed before writing (retry: nothing sent), "
        "or after writing the letter with no reply read (uncertain: it may have arrived)",
    ),
    Fault("drop-rcpt", "hard disconnect at RCPT", SinkFaults(disconnect=("RCPT",)), every=True),
    Fault(
        "drop-dot",
        "hard disconnect after final dot",
        SinkFaults(disconnect=(".",)),
        first=_S({"uncertain", "retry"}),
        every=True,
        final=_S({"sent", "uncertain"}),
        most_uncertain=POOL_SIZE,
        note="the pool's first letters are uncertain (the sink hung up after taking them); "
        "with pool_size of them in a row and none sent, the batch stops handing letters "
        "over and the rest go to retry, sent once the server is healthy",
    ),
    Fault(
        "sink-exits",
        "MTA exits after 20 messages",
        SinkFaults(max_messages=20),
        final=_S({"sent", "uncertain"}),
        note="in-flight letters whose final dot was out when the sink died are uncertain",
    ),
    Fault(
        "random-4xx",
        "random 4xx at RCPT/DATA",
        routes=((SinkFaults(soft_reject=("RCPT",)), 0.15), (SinkFaults(soft_reject=("DATA",)), 0.15)),
    ),
    Fault(
        "random-5xx",
        "random 5xx (550 5.1.1 user, 500 at dot)",
        routes=(
            (SinkFaults(hard_reject=("RCPT",), hard_reply=UNKNOWN_USER), 0.1),
            (SinkFaults(hard_reject=(".",)), 0.1),
        ),
        first=_S({"failed"}),
        final=_S({"sent", "failed"}),
    ),
    Fault(
        "random-421",
        "random 421 at MAIL/RCPT/DATA/dot",
        routes=tuple((SinkFaults(reply_421=(c,)), 0.08) for c in ("MAIL", "RCPT", "DATA", ".")),
        throttle=True,
    ),
    Fault(
        "random-drop",
        "random hard disconnect at RCPT/dot",
        routes=((SinkFaults(disconnect=("RCPT",)), 0.1), (SinkFaults(disconnect=(".",)), 0.1)),
        first=_S({"uncertain"}),
        final=_S({"sent", "uncertain"}),
    ),
    Fault(
        "cut-mid-data",
        "proxy cuts mid-DATA",
        cut="mid_data",
        cut_odds=0.1,
        first=_S({"uncertain"}),
        operator=True,
        note="uncertain, not retry: the whole letter (final dot included) had left greeter's "
        "socket when the connection broke, so greeter cannot know the dot did not arrive; "
        "the operator resends what the mailbox never got, and it arrives once",
    ),
    Fault(
        "cut-after-dot",
        "proxy cuts after final dot",
        cut="after_dot",
        cut_odds=0.2,
        first=_S({"uncertain"}),
        final=_S({"sent", "uncertain"}),
    ),
    Fault("latency-10ms", "latency 10 ms each way", delay_ms=10, first=_S({"sent"}), every=True),
)
FAULT_IDS = tuple(f.id for f in FAULTS)


def make_project(folder: Path, n: int, port: int, pool_size: int = POOL_SIZE) -> Path:
    """A greeter project (config.example.yaml + templates) with ``n`` contacts due at ``NOW``."""
    shutil.copytree(ROOT / "templates", folder / "templates", dirs_exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    rows = [contact_row(str(i), f"client{i}@example.com", birthday="13.04.1980") for i in range(1, n + 1)]
    (folder / "data" / "contacts.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    yaml = YAML()
    config = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    delivery = config["delivery"]
    delivery["transport"] = "smtp"
    delivery["smtp"].update({"host": "127.0.0.1", "port": port, "pool_size": pool_size, "timeout_seconds": 5})
    delivery["rate_limit"] = {"per_second": None}
    delivery["retry"] = {"initial_seconds": 60}
    path = folder / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


def greeter(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "GREETER_CONFIG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@dataclass
class Result:
    """Everything one fault's runs left behind: summaries, journal, dumps, injected faults."""

    fault: Fault
    n: int
    runs: list[dict[str, Any]] = field(default_factory=list)  # `send --json` (+ "run", "now", "exit")
    journal: list[dict[str, Any]] = field(default_factory=list)  # the final `history --format json`
    dumps: list[list[DumpedMessage]] = field(default_factory=list)  # dump files new in each run
    events: list[list[ProxyEvent]] = field(default_factory=list)  # faults the proxy injected, per run
    suppressed: set[str] = field(default_factory=set)
    #: Message-ID → the run (0-based) that left it ``uncertain``, per the journal after the automatic runs.
    uncertain_in: dict[str, int] = field(default_factory=dict)
    #: Message-ID → what the operator decided ("resend" or "dismiss"), for ``Fault.operator``.
    decisions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    stderr: list[str] = field(default_factory=list)

    # --- what the sink got ---------------------------------------------------------------

    def received(self) -> Counter[str]:
        """Message-ID → how many times the server took it (refused and truncated dumps excluded)."""
        return Counter(d.message_id for run in self.dumps for d in run if d.received and d.message_id)

    def states(self) -> Counter[str]:
        return Counter(r["state"] for r in self.journal)

    def row(self) -> dict[str, Any]:
        got = self.received()
        sent = [r for r in self.journal if r["state"] == "sent"]
        failed = [r for r in self.journal if r["state"] == "failed"]
        states = self.states()
        decided = Counter(self.decisions.values())
        first = self.runs[0]
        return {
            "fault": self.fault.title,
            "due": first.get("due", 0),
            "run 1 s/r/f/u": "/".join(str(first.get(k, "?")) for k in ACCOUNTED),
            "received": len(got),
            "dup": sum(c - 1 for c in got.values()),
            "sent": sum(1 for r in sent if r["attempts"] == 1),
            "retried→sent": sum(1 for r in sent if r["attempts"] > 1),
            "failed": len(failed),
            "suppr.": sum(1 for r in failed if (r["email"] or "").lower() in self.suppressed),
            "uncertain": states["uncertain"],
            "retry": states["retry"],
            "lost": len(self.losses()),
            "hits": "every" if self.fault.sink is not None else sum(len(e) for e in self.events[:2]),
            "operator": f"{decided['resend']}/{decided['dismiss']}" if self.fault.operator else "–",
            "s": round(self.seconds, 1),
        }

    # --- the invariants ------------------------------------------------------------------

    def losses(self) -> list[str]:
        """Due greetings neither received and ``sent`` nor ``retry/failed/uncertain`` with a reply."""
        got = self.received()
        rows = {r["contact_id"]: r for r in self.journal}
        lost = []
        for i in range(1, self.n + 1):
            row = rows.get(str(i))
            if row is None:
                lost.append(f"contact {i}: due, but not in the journal")
                continue
            state, mid = row["state"], row["message_id"]
            if state == "sent" and not got[mid]:
                lost.append(f"contact {i}: sent, but the sink never received {mid}")
            elif state == "skipped" and self.decisions.get(mid) == "dismiss" and got[mid]:
                continue  # the operator saw it had arrived
            elif state not in ACCOUNTED:
                lost.append(f"contact {i}: left in state {state!r}")
            elif state != "sent" and not row["last_reply"]:
                lost.append(f"contact {i}: {state} without the server's reply")
        return lost

    def violations(self) -> list[str]:
        """Every broken invariant, one line each (empty: the fault was handled as designed)."""
        fault, got, out = self.fault, self.received(), []
        by_id = {r["message_id"]: r for r in self.journal if r["message_id"]}
        if self.runs[0].get("due") != self.n:
            out.append(f"run 1: {self.runs[0].get('due')} due, expected {self.n}: {self.runs[0]}")
        out += [f"duplicate: {mid} received {c}×" for mid, c in got.items() if c > 1]
        for r in self.journal:
            if r["state"] == "sent" and not got[r["message_id"]]:
                out.append(f"{r['contact_id']}: sent, but {r['message_id']} is not in the dump")
        for mid in got:
            row = by_id.get(mid)
            if row is None:
                out.append(f"received {mid}, which the journal does not know")
            elif row["state"] not in ("sent", "uncertain") and self.decisions.get(mid) != "dismiss":
                out.append(f"{row['contact_id']}: received, but journaled {row['state']} (would be resent)")
        out += self._uncertain_resent()
        out += self.losses()
        # what DESIGN.md §4 says this fault does
        first = sum(self.runs[0].get(state, 0) for state in fault.first)
        wanted = "/".join(sorted(fault.first))
        if fault.throttle:
            first += self.runs[0].get("throttle_unsent") or 0  # left unclaimed, not retried
        if fault.every and first != self.n:
            out.append(f"run 1: {first} {wanted}, expected all {self.n}: {self.runs[0]}")
        elif first < 1:
            out.append(f"run 1: no greeting became {wanted}: the fault never fired: {self.runs[0]}")
        if fault.most_uncertain is not None and self.runs[0].get("uncertain", 0) > fault.most_uncertain:
            out.append(
                f"run 1: {self.runs[0]['uncertain']} uncertain, expected at most {fault.most_uncertain}"
            )
        second = self.runs[1]
        if fault.throttle and second.get("due") and second.get("throttle_unsent") != second.get("due"):
            out.append(f"run 2 (before the back-off): {second.get('due')} due, not all held back: {second}")
        if fault.throttle and (second.get("sent") or second.get("retry")):
            out.append(f"run 2 (before the back-off): letters handed over to a throttling server: {second}")
        if not fault.throttle and second.get("due") != 0:
            out.append(f"run 2 (before the backoff): {second.get('due')} due, expected 0")
        extra = (
            set(self.states())
            - fault.final
            - ({"skipped"} if "dismiss" in self.decisions.values() else set())
        )
        if extra:
            out.append(f"final states {sorted(extra)} not in the expected {sorted(fault.final)}")
        for r in self.journal:
            if r["state"] != "failed":
                continue
            unknown = bool(_UNKNOWN_USER.match(r["last_reply"] or ""))
            if unknown != ((r["email"] or "").lower() in self.suppressed):
                verb = "not suppressed" if unknown else "suppressed"
                out.append(f"{r['contact_id']}: failed with {r['last_reply']!r} but {verb}")
        return out

    def _uncertain_resent(self) -> list[str]:
        """An ``uncertain`` greeting never goes out again by itself (only an operator's resend)."""
        out = []
        for mid, k in self.uncertain_in.items():
            end = len(RUNS) if self.decisions.get(mid) == "resend" else len(self.runs)
            again = [d for run in self.dumps[k + 1 : end] for d in run if d.message_id == mid]
            again += [e for run in self.events[k + 1 : end] for e in run if e.message_id == mid]
            if again:
                out.append(f"{mid}: uncertain after run {k + 1}, but sent again by run {end}")
        return out


def read_dumps(files: list[list[tuple[PostfixSink, Path]]]) -> list[list[DumpedMessage]]:
    """The dump files of each run, parsed (a file smtp-sink wrote twice over is read twice)."""
    return [[sink.read(path) for sink, path in run if path.exists()] for run in files]


def _history(config: Path) -> list[dict[str, Any]]:
    done = greeter(config, "history", "--format", "json")
    if done.returncode != 0:
        raise RuntimeError(f"greeter history failed: {done.stderr}")
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def run_fault(fault: Fault, folder: Path, n: int = 60, seed: int = 7) -> Result:
    """Run one fault's ``send --once`` runs and collect what the journal and the sinks say."""
    started = time.monotonic()
    sinks: list[PostfixSink] = []
    proxy: FaultProxy | None = None
    result = Result(fault, n)

    def send(name: str, now: datetime) -> None:
        done = greeter(config, "send", "--once", "--json", "--now", now.isoformat())
        try:
            summary: dict[str, Any] = json.loads(done.stdout)
        except json.JSONDecodeError:
            summary = {"error": (done.stdout + done.stderr)[-1000:]}
        summary.update(run=name, now=now, exit=done.returncode)
        result.runs.append(summary)
        result.stderr.append(done.stderr)
        new = [(s, path) for s in sinks for path in s.dumps() if path not in seen]
        seen.update(path for _, path in new)
        files.append(new)  # read once every sink has stopped: no file is still being written
        events = proxy.events if proxy is not None else []
        result.events.append(events[sum(len(e) for e in result.events) :])

    try:
        healthy: PostfixSink | None = None
        if fault.sink is not None:  # greeter talks straight to the faulty smtp-sink
            faulty = fault.sink.sink()
            sinks.append(faulty)
            faulty.start()
            port = faulty.port
        else:  # through the proxy, to a healthy sink and the faulty ones
            healthy = PostfixSink()
            sinks.append(healthy)
            healthy.start()
            routes = []
            for options, odds in fault.routes:
                sinks.append(options.sink())
                sinks[-1].start()
                routes.append(Route(sinks[-1].port, odds, options.label))
            delay = fault.delay_ms / 1000
            proxy = FaultProxy(
                ProxyPlan(healthy.port, tuple(routes), fault.cut, fault.cut_odds, delay), seed=seed
            )
            proxy.start()
            port = proxy.port
        config = make_project(folder, n, port)
        seen: set[Path] = set()
        files: list[list[tuple[PostfixSink, Path]]] = []
        for name, now, faulty_run in RUNS:
            if not faulty_run and healthy is None:  # the MTA is fixed: a healthy one on its port
                sinks[0].stop()
                healthy = PostfixSink(port=port)
                sinks.append(healthy)
                healthy.start()
            elif not faulty_run and proxy is not None:
                assert healthy is not None
                proxy.configure(ProxyPlan(healthy.port, delay=fault.delay_ms / 1000))
            send(name, now)
        result.journal = _history(config)
        time.sleep(0.1)  # the sinks are still up: let them close the last dump files
        result.dumps = read_dumps(files)
        runs = {run["now"]: k for k, run in enumerate(result.runs)}
        for r in result.journal:
            if r["state"] == "uncertain":
                result.uncertain_in[r["message_id"]] = runs.get(datetime.fromisoformat(r["updated_at"]), 0)
        if fault.operator and result.uncertain_in:
            got = result.received()
            for r in result.journal:
                if r["state"] == "uncertain":  # the operator looks into the mailbox (the sink's dump)
                    decision = "dismiss" if got[r["message_id"]] else "resend"
                    result.decisions[r["message_id"]] = decision
                    key = (
                        "--contact",
                        r["contact_id"],
                        "--occasion",
                        r["occasion"],
                        "--date",
                        r["occasion_date"],
                    )
                    done = greeter(config, "uncertain", decision, *key)
                    result.stderr.append(done.stderr)
            send("operator", NOW + timedelta(minutes=20))
            result.journal = _history(config)
        for sink in sinks:
            sink.stop()
        result.dumps = read_dumps(files)
        url = f"sqlite:///{folder / 'data' / 'journal.sqlite3'}"
        with Journal.open(url, now=NOW) as journal:
            result.suppressed = journal.suppressed()
        result.seconds = time.monotonic() - started
        return result
    finally:
        if proxy is not None:
            proxy.stop()
        for sink in sinks:
            sink.close()


COLUMNS = (
    "fault", "due", "run 1 s/r/f/u", "received", "dup", "sent", "retried→sent", "failed", "suppr.",
    "uncertain", "retry", "lost", "hits", "operator", "s",
)  # fmt: skip


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of :meth:`Result.row` dictionaries."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)
