"""What an operator's probes and alerts see of the daemon: ``/healthz``, ``/metrics`` and the run counts.

Found by an SRE running the daemon under systemd: with the PostgreSQL journal
not answering, every ``/healthz`` and ``/metrics`` request held the whole
event loop for libpq's connect timeout (SIGTERM too), and probes were served
one after another; ``greeter_runs_total{result="ok"}`` went down while a run
that ended degraded was in progress; and a relay answering 4xx to every
letter left the daemon "ok" while ``send --once`` exited 75 in the same case.

Real pieces: ``greeter run`` as a subprocess, the test PostgreSQL behind a
:class:`~greeter.testing.TcpRelay` that holds back the metrics' own query (the
database never sees it: a journal that stopped answering), and the
aiosmtpd sink scripted to stall or answer 4xx.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from greeter.http_api import UNSUBSCRIBE_SECONDS
from greeter.testing import SmtpSink, TcpRelay
from tests import databases
from tests.conftest import HEADER, MakeProject, contact_row
from tests.daemon_harness import HANG_GUARD, DaemonProcess
from tests.test_send_e2e import LATER, NOW, greeter_process, people, smtp
from tests.test_stop_journal_down import _via

#: The statement only ``/metrics`` and ``/healthz`` send (journal.counts_by_occasion).
COUNTS_QUERY = b"GROUP BY state, occasion"
#: Well above the probes' bound (1.5 s) — a loaded 2-core machine running the suite on both
#: cores took 3–4 s to start a daemon's answer —, below libpq's connect timeout (10 s) that a
#: probe waiting for the journal would take, and far below four such probes one after another.
PROMPT = 7.0


def _get(url: str, timeout: float = 8.0) -> tuple[int, str, float]:
    """(status, body, seconds taken) of a GET; a request that gets no answer in time is status 0."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started
    except (TimeoutError, urllib.error.URLError):
        return 0, "", time.monotonic() - started


def _metric(text: str, name: str) -> float | None:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def test_probes_answer_at_once_without_a_journal_that_does_not_answer_and_a_stop_does_not_wait(
    make_project: MakeProject,
) -> None:
    pg = urlsplit(databases.require_pg())
    with (
        databases.pg_schema() as (_, schema),
        TcpRelay(pg.port or 5432) as relay,
        SmtpSink() as sink,
    ):
        config = make_project(people(2), storage={"url": _via(relay.port, schema)}, **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
            daemon.wait_for("run")
            status, body, _ = _get(daemon.url("/healthz"))
            assert status == 200 and json.loads(body)["journal"] == "ok", body

            held = relay.hold(COUNTS_QUERY)  # the next counts never reach the database
            urls = [daemon.url(p) for p in ("/healthz", "/metrics", "/healthz", "/metrics")]
            started = time.monotonic()
            with ThreadPoolExecutor(len(urls)) as pool:
                answers = list(pool.map(_get, urls))
            took = time.monotonic() - started
            assert held.is_set(), daemon.output()
            # Served side by side, each within the bound, not one after another for 10 s each.
            assert all(t < PROMPT for _, _, t in answers) and took < PROMPT, (answers, took)
            (h1, h1_body, _), (m1, m1_body, _), (h2, _, _), (m2, m2_body, _) = answers
            assert (h1, h2, m1, m2) == (503, 503, 200, 200), answers
            health = json.loads(h1_body)
            assert health["status"] == "unhealthy" and health["journal"] == "unreachable", health
            assert health["journal_problem"] == "no_answer", health  # the words are in the log
            # Every probe waited for the one read that is stuck: none started a read of its own
            # (the marker held only the first, so a second read would have been answered).
            for text in (m1_body, m2_body):
                assert _metric(text, "greeter_journal_up") == 0.0, text
                assert _metric(text, 'greeter_runs_total{result="ok"}') == 1.0, text
                assert "greeter_greetings{" not in text
            # Logged before the first answer went out, but read from the daemon's output by another
            # thread: wait for it rather than race that reader.
            daemon.wait_for("journal_unreachable")

            relay.release()  # the database answers again
            deadline = time.monotonic() + 15
            while _get(daemon.url("/healthz"))[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.1)
            status, body, _ = _get(daemon.url("/metrics"))
            assert _metric(body, "greeter_journal_up") == 1.0, body
            daemon.wait_for("journal_answers_again")
            # Every line logged before this one has been read: the four probes said it once.
            assert len(daemon.named("journal_unreachable")) == 1, "said once, not every probe"

            # A stop while a probe waits for the journal does not wait for it.
            held = relay.hold(COUNTS_QUERY)
            probing = threading.Thread(target=_get, args=(daemon.url("/metrics"),), daemon=True)
            probing.start()
            assert held.wait(HANG_GUARD), daemon.output()
            assert daemon.proc is not None
            started = time.monotonic()
            daemon.proc.send_signal(signal.SIGTERM)
            try:
                code = daemon.proc.wait(timeout=PROMPT)
            except subprocess.TimeoutExpired:
                relay.release()
                code = daemon.proc.wait(timeout=30)
            took = time.monotonic() - started
            relay.release()
    assert code == 0, daemon.output()
    assert took < PROMPT, f"took {took:.1f} s: {daemon.output()}"
    assert len(sink.messages) == 2


def _add_contacts(config: Path, rows: list[str]) -> None:
    """Rewrite the project's contacts file with these rows (a CRM export that grew)."""
    (config.parent / "data" / "contacts.csv").write_text(
        "\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig"
    )


def test_the_ok_run_counter_never_goes_down_while_a_degraded_run_is_in_progress(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))  # the SMTP timeout is 3 s
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
            first = daemon.wait_for("run")
            assert first["sent"] == 2 and first["delivery"] == "ok", first
            # Two more clients, and a server that stops answering MAIL: the next run attempts
            # both, waits out the timeout, and ends degraded.
            sink.stall("MAIL", 30, n=10)
            _add_contacts(config, [*people(2), *(contact_row(str(i), f"new{i}@example.com",
                          birthday="13.04.1980") for i in (3, 4))])  # fmt: skip
            assert daemon.proc is not None
            daemon.send_signal(signal.SIGHUP)  # a reload plans at once
            daemon.wait_for("reloaded")
            oks: list[float] = []
            in_progress: list[float] = []
            deadline = time.monotonic() + 30
            while len(daemon.named("run")) < 2 and time.monotonic() < deadline:
                _, text, _ = _get(daemon.url("/metrics"))
                oks.append(_metric(text, 'greeter_runs_total{result="ok"}') or 0.0)
                in_progress.append(_metric(text, "greeter_run_in_progress") or 0.0)
                time.sleep(0.1)
            second = daemon.named("run")[-1]
            _, text, _ = _get(daemon.url("/metrics"))
            oks.append(_metric(text, 'greeter_runs_total{result="ok"}') or 0.0)
            assert daemon.stop() == 0
    assert second["delivery"] == "degraded" and second["retry"] == 2, second
    assert oks == sorted(oks), f"a counter went down: {oks}"
    assert oks[-1] == 1.0 and _metric(text, 'greeter_runs_total{result="degraded"}') == 1.0, text
    assert 1.0 in in_progress and _metric(text, "greeter_run_in_progress") == 0.0, (in_progress, text)


def test_a_relay_answering_4xx_to_every_letter_makes_the_daemon_degraded_as_send_once_exits_75(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.fail_next(100, 451, "4.7.1 Greylisted, try again later")
        config = make_project(people(2), **smtp(sink.port))
        once = greeter_process(config, "send", "--once", "--now", NOW)
        # The daemon, five minutes later: the same relay, the same letters (their retries due).
        with DaemonProcess(config, "--now", LATER, "--listen", "127.0.0.1:0") as daemon:
            run = daemon.wait_for("run")
            status, body, _ = _get(daemon.url("/healthz"))
            _, metrics, _ = _get(daemon.url("/metrics"))
            assert daemon.stop() == 0
    assert (run["sent"], run["retry"]) == (0, 2), run
    assert run["level"] == "warning" and run["delivery"] == "degraded", run
    assert "451 4.7.1 Greylisted" in run["delivery_problem"], run
    health = json.loads(body)
    assert status == 503 and health["status"] == "degraded", health
    assert health["last_success_at"] is None and "451" in health["delivery_problem"], health
    assert _metric(metrics, "greeter_delivery_degraded") == 1.0, metrics
    assert _metric(metrics, "greeter_last_success_timestamp_seconds") is None, metrics
    assert once.returncode == 75, once.stderr
    assert len(sink.messages) == 0


def test_a_daemon_degraded_by_4xx_stays_degraded_until_the_server_takes_a_letter(
    make_project: MakeProject,
) -> None:
    """A probe (connect, log in, QUIT) passes on a relay that answers 4xx to every letter: it must not
    turn the daemon "ok" — nor advance the last success — between the runs that retry."""
    with SmtpSink() as sink:
        sink.fail_next(100, 451, "4.7.1 Greylisted, try again later")
        settings = smtp(sink.port)
        settings["delivery"]["retry"] = {"initial_seconds": 3600}  # no retry due during the test
        config = make_project(people(2), schedule={"cron": "* * * * *"}, **settings)
        with DaemonProcess(config, "--now", NOW, "--speed", "60", "--listen", "127.0.0.1:0") as daemon:
            first = daemon.wait_for("run")
            quiet = daemon.wait_for("run", lambda e: e["now"] > first["now"] and e["due"] == 0)
            daemon.wait_for("run", lambda e: e["now"] > quiet["now"] and e["due"] == 0)
            status, body, _ = _get(daemon.url("/healthz"))
            assert daemon.stop() == 0
    assert first["delivery"] == "degraded" and first["retry"] == 2, first
    runs = daemon.named("run")
    assert all(e["delivery"] == "degraded" for e in runs), runs
    health = json.loads(body)
    assert status == 503 and health["status"] == "degraded" and health["last_success_at"] is None, health


def _post(url: str, data: bytes, timeout: float = 12.0) -> tuple[int, float]:
    """(status, seconds taken) of a POST; a request that gets no answer in time is status 0."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, data=data, timeout=timeout) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - started
    except (TimeoutError, urllib.error.URLError):
        return 0, time.monotonic() - started


def test_one_click_unsubscribe_with_a_journal_that_does_not_answer_is_503_and_written_once(
    make_project: MakeProject,
) -> None:
    """The POST called journal.suppress on the event loop: a dead PostgreSQL held the daemon (and
    the request) for libpq's timeout. Now it answers 503 within its bound, the probes stay prompt,
    a retry waits for the same write, and the suppression is written once the journal answers."""
    from greeter.unsubscribe import make_token

    pg = urlsplit(databases.require_pg())
    secret = "s3cret-for-tests-at-least-32-bytes"
    token = make_token(secret.encode(), "client1@example.com")
    one_click = b"List-Unsubscribe=One-Click"
    with (
        databases.pg_schema() as (_, schema),
        TcpRelay(pg.port or 5432) as relay,
        SmtpSink() as sink,
    ):
        config = make_project(
            people(2),
            storage={"url": _via(relay.port, schema)},
            unsubscribe={
                "url": "https://greet.example.com/unsubscribe",
                "secret_env": "GREETER_UNSUB_SECRET",
            },
            **smtp(sink.port),
        )
        env = {"GREETER_UNSUB_SECRET": secret}
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0", env=env) as daemon:
            daemon.wait_for("run")
            held = relay.hold(b"INSERT INTO suppression")
            url = daemon.url(f"/unsubscribe/{token}")
            with ThreadPoolExecutor(2) as pool:
                posting = pool.submit(_post, url, one_click, HANG_GUARD)
                assert held.wait(HANG_GUARD), daemon.output()
                health, _, probe_took = _get(daemon.url("/healthz"))  # the loop is free meanwhile
                first, first_took = posting.result()
            assert health == 200 and probe_took < PROMPT, (health, probe_took, daemon.output())
            # 503 (not the client's timeout, status 0) after the daemon's own bound: it neither waited
            # for the journal nor gave up before its bound. How much later it came is the machine's.
            assert first == 503 and first_took >= UNSUBSCRIBE_SECONDS - 0.5, (
                first,
                first_took,
                daemon.output(),
            )
            # A retry while the write is stuck waits for that write: a second one would pass the relay.
            again, _ = _post(url, one_click)
            assert again == 503, daemon.output()
            assert len(daemon.named("unsubscribe_waiting")) == 1, "said once, not every retry"
            assert daemon.named("unsubscribed") == []
            relay.release()  # the database answers: the stuck write lands
            deadline = time.monotonic() + 15
            while not daemon.named("unsubscribed") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _post(url, one_click)[0] == 200, daemon.output()
            deadline = time.monotonic() + 5
            while len(daemon.named("unsubscribed")) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [e["new"] for e in daemon.named("unsubscribed")] == [True, False], daemon.output()
            assert daemon.stop() == 0
        suppressed = greeter_process(config, "preview", "--from", "2028-04-10", "--days", "5", "--format", "json",
                             "--now", "2028-04-10T09:00")  # fmt: skip
    reasons = {d["contact_id"]: d["reason"] for d in json.loads(suppressed.stdout)}
    assert reasons == {"1": "suppressed", "2": None}
