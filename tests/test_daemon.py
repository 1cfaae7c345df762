"""``greeter run``: the daemon as a real subprocess, a real SMTP server, a real SQLite journal.

The daemon's clock is injected with ``--now`` (and ``--speed``), so nothing
here waits for real minutes. Birthdays are on Tuesday 13 April 2027 and the
clock starts on Wednesday 14 April, 11:00 Moscow time: each greeting is a
one-day-late catch-up, due at the first run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.clock import Clock
from greeter.cron import cron_trigger, next_wake
from greeter.delivery_health import delivery_problem
from greeter.delivery_summary import Summary
from greeter.http_health import health_status
from greeter.logs import configure_logging
from greeter.metrics import RunStats
from greeter.testing import SmtpSink, free_port
from greeter.unsubscribe import make_token
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, greeter_process, history, people, smtp

#: Among the suite's longest files (CI's --durations): handed out first under xdist (tests/parallel.py).
pytestmark = pytest.mark.slow

LISTEN = ("--listen", "127.0.0.1:0")


def run_args(now: str = NOW, *extra: str) -> tuple[str, ...]:
    return ("--now", now, *LISTEN, *extra)


def finished_runs(daemon: DaemonProcess, count: int, timeout: float = 60) -> None:
    """Wait until the daemon has logged ``count`` runs that went to their end (a loaded machine
    makes a real second of ``--speed`` longer: count runs, not seconds)."""
    deadline = time.monotonic() + timeout
    while len(daemon.finished_runs()) < count:
        assert time.monotonic() < deadline, f"not {count} runs within {timeout}s:\n{daemon.output()}"
        assert daemon.proc is not None and daemon.proc.poll() is None, daemon.output()
        time.sleep(0.05)


def states(config: Path) -> Counter[str]:
    return Counter(row["state"] for row in history(config))


def _journal_states(config: Path) -> dict[str, int]:
    """Greetings by state right now, read straight from the running daemon's SQLite journal."""
    path = config.parent / "data" / "journal.sqlite3"
    if not path.exists():
        return {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
        rows = db.execute("SELECT state, count(*) FROM greetings GROUP BY state").fetchall()
    return {str(state): int(n) for state, n in rows}


# --- pure scheduling ------------------------------------------------------------

#: The run in these cases planned at 10:00 UTC; ``now`` is when it ended.
PLANNED = "2027-04-14T10:00:00+00:00"


@pytest.mark.parametrize(
    ("now", "cron", "next_send", "expected"),
    [
        # nothing planned: the next cron tick, strictly after now
        ("2027-04-14T10:00:00+00:00", "*/10 * * * *", None, "2027-04-14T10:10:00+00:00"),
        ("2027-04-14T10:03:20+00:00", "*/10 * * * *", None, "2027-04-14T10:10:00+00:00"),
        # a planned send before the tick wins (a send window opens)
        (
            "2027-04-14T10:03:00+00:00",
            "*/10 * * * *",
            "2027-04-14T10:04:30+00:00",
            "2027-04-14T10:04:30+00:00",
        ),
        # a planned send after the tick does not delay the tick
        (
            "2027-04-14T10:03:00+00:00",
            "*/10 * * * *",
            "2027-04-14T11:00:00+00:00",
            "2027-04-14T10:10:00+00:00",
        ),
        # the tick and the send at once: one wake
        (
            "2027-04-14T10:03:00+00:00",
            "*/10 * * * *",
            "2027-04-14T10:10:00+00:00",
            "2027-04-14T10:10:00+00:00",
        ),
        # the run outlasted its next send: run again now, not at the next tick…
        (
            "2027-04-14T10:03:00+00:00",
            "*/10 * * * *",
            "2027-04-14T10:01:00+00:00",
            "2027-04-14T10:03:00+00:00",
        ),
        # …which with a daily cron would be tomorrow (the operator's lost afternoon)
        (
            "2027-04-14T10:03:00+00:00",
            "0 9 * * 1-5",
            "2027-04-14T10:01:00+00:00",
            "2027-04-14T10:03:00+00:00",
        ),
        (
            "2027-04-14T10:03:00+00:00",
            "0 9 * * 1-5",
            "2027-04-14T10:03:00+00:00",
            "2027-04-14T10:03:00+00:00",
        ),
        # a next send already past when the run planned is no news (a closed window, a letter that
        # cannot go): it would only make the daemon spin, so the cron tick it is
        (
            "2027-04-14T10:03:00+00:00",
            "*/10 * * * *",
            "2027-04-14T09:59:00+00:00",
            "2027-04-14T10:10:00+00:00",
        ),
        ("2027-04-14T10:03:00+00:00", "*/10 * * * *", PLANNED, "2027-04-14T10:10:00+00:00"),
        ("2027-04-14T10:00:00+00:00", "0 9 * * 1-5", PLANNED, "2027-04-15T06:00:00+00:00"),
        # cron in the default time zone: 09:00 Moscow is 06:00 UTC
        ("2027-04-14T10:00:00+00:00", "0 9 * * 1-5", None, "2027-04-15T06:00:00+00:00"),
        # Friday evening → Monday morning
        ("2027-04-16T07:00:00+00:00", "0 9 * * 1-5", None, "2027-04-19T06:00:00+00:00"),
    ],
)
def test_next_wake(now: str, cron: str, next_send: str | None, expected: str) -> None:
    trigger = cron_trigger(cron, "Europe/Moscow")
    got = next_wake(
        datetime.fromisoformat(now),
        trigger,
        datetime.fromisoformat(next_send) if next_send else None,
        planned_at=datetime.fromisoformat(PLANNED),
    )
    assert got == datetime.fromisoformat(expected)


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("1-5", "mon,tue,wed,thu,fri"),  # cron's Monday is 1 (APScheduler's from_crontab would say Tuesday)
        ("0", "sun"),
        ("7", "sun"),
        ("0-6", "sun,mon,tue,wed,thu,fri,sat"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1,3", "mon,wed"),
        ("mon-fri", "mon-fri"),
        ("*", "*"),
    ],
)
def test_cron_weekdays_mean_what_cron_means(field: str, days: str) -> None:
    trigger = cron_trigger(f"0 9 * * {field}", "UTC")
    assert str(trigger.fields[4]) == days


@pytest.mark.parametrize("bad", ["0 9 * * 8", "0 9 * * 5-2", "0 25 * * *", "0 9 * *", "0 9 * * */0"])
def test_bad_cron_lines_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        cron_trigger(bad, "UTC")


def test_rehearsal_clock_runs_from_its_origin_at_its_speed() -> None:
    origin = datetime(2027, 1, 1, 9, tzinfo=UTC)
    real = [50.0]  # the monotonic clock, moved by the test: a stalled machine changes nothing
    clock = Clock(origin, speed=3600.0, monotonic=lambda: real[0])
    real[0] += 0.25
    first = clock.now()
    assert first == datetime(2027, 1, 1, 9, 15, tzinfo=UTC)
    # an hour of rehearsal time is a second of real time
    assert clock.real_seconds_until(first.replace(hour=first.hour + 1)) == 1.0
    assert clock.real_seconds_until(origin) == 0.0
    assert Clock().now().tzinfo is not None


def _summary(
    sent: int = 0, retry: int = 0, failed: int = 0, reply: str = "", halted: str | None = None
) -> Summary:
    summary = Summary(halted=halted)
    summary.counts.update(sent=sent, retry=retry, failed=failed)
    if retry:
        summary.replies[("retry", reply)] += retry
    return summary


@pytest.mark.parametrize(
    ("summary", "before", "after"),
    [
        (_summary(), None, None),  # nothing due: no news, still fine
        (_summary(), "down", "down"),  # nothing due: no news, still down (the daemon probes)
        (_summary(retry=2, reply="cannot connect to mx:25"), None, "cannot connect to mx:25"),
        (_summary(sent=1, retry=2, reply="cannot connect to mx:25"), "down", None),  # one got through
        (_summary(retry=2, reply="451 4.3.0 try later"), None, "451 4.3.0 try later"),  # 4xx to all
        (_summary(retry=1, failed=1, reply="cannot connect to mx:25"), "down", None),  # a 5xx: it answers
        (_summary(failed=2), "down", None),  # the server gave its verdict (5xx)
        (_summary(halted="535 5.7.8 bad login"), None, "535 5.7.8 bad login"),  # no letter gets out
        # The disk filled after 12 letters: the rest wait on the disk, not on a server that works.
        (
            _summary(
                sent=12, retry=387, reply="cannot write to outbox out: [Errno 28] No space left on device"
            ),
            None,
            "cannot write to outbox out: [Errno 28] No space left on device",
        ),
    ],
)
def test_delivery_is_degraded_when_letters_were_attempted_and_none_was_accepted(
    summary: Summary, before: str | None, after: str | None
) -> None:
    assert delivery_problem(summary, before) == after


def test_health_says_which_is_broken_greeter_or_the_mail_server() -> None:
    start = datetime(2027, 4, 14, 8, tzinfo=UTC)
    stats = RunStats(started_at=start)
    assert health_status(stats, journal_ok=True) == "ok"
    stats.delivery_problem = "cannot connect to mx:25"
    assert health_status(stats, journal_ok=True) == "degraded"
    stats.last_run_at, stats.last_error = start, "journal full"
    assert health_status(stats, journal_ok=True) == "unhealthy"
    stats.last_error, stats.delivery_problem = None, None
    assert health_status(stats, journal_ok=False) == "unhealthy"


def test_other_libraries_log_through_the_same_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """APScheduler, aiosmtplib, asyncio, warnings: one JSON object a line, the traceback inside."""
    import io
    import logging
    import threading
    import warnings

    import structlog

    stream = io.StringIO()
    root = logging.getLogger()
    # the process's own logging setup is given back afterwards
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    configure_logging(stream, json=True)
    try:
        try:
            raise asyncio.CancelledError
        except asyncio.CancelledError:
            logging.getLogger("apscheduler.executors.default").exception(
                'Job "Daemon._tick" raised an exception'
            )
        logging.getLogger("aiosmtplib").info("chatter below WARNING stays out")
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("something deprecated", DeprecationWarning, stacklevel=1)
    finally:
        logging.captureWarnings(False)
        structlog.reset_defaults()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["logger"], e["level"]) for e in lines] == [
        ("apscheduler.executors.default", "error"),
        ("py.warnings", "warning"),
    ]
    assert "CancelledError" in lines[0]["exception"] and lines[0]["timestamp"]


# --- the daemon process ------------------------------------------------------------


def test_sends_due_greetings_and_nothing_twice_across_a_restart(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        with DaemonProcess(config, *run_args()) as daemon:
            run = daemon.wait_for("run")
            assert (run["due"], run["sent"]) == (3, 3)
            assert daemon.stop() == 0
        with DaemonProcess(config, *run_args("2027-04-14T11:20:00+03:00")) as again:
            run = again.wait_for("run")
            assert (run["due"], run["sent"]) == (0, 0)
            assert again.stop() == 0
        # the clock jumped back an hour (NTP, a VM restored from a snapshot): still nothing twice
        with DaemonProcess(config, *run_args("2027-04-14T10:00:00+03:00")) as earlier:
            run = earlier.wait_for("run")
            assert run["sent"] == 0 and run["skipped"].get("already_sent", 0) == 0
            assert earlier.stop() == 0
        assert len(sink.messages) == 3 and len(set(sink.message_ids())) == 3
    assert states(config) == {"sent": 3}


def test_sigterm_during_a_batch_finishes_in_flight_and_leaves_nothing_claimed(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.delay(0.05)  # 200 letters over a pool of 2: about five seconds of sending
        config = make_project(people(200), **smtp(sink.port, pool_size=2))
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("started")
            while len(sink.messages) < 10:
                daemon.wait_for("started", timeout=1)  # poll
            assert daemon.stop(signal.SIGTERM) == 0
            assert daemon.named("stopping") and daemon.named("stopped")
        counts = states(config)
        assert "claimed" not in counts
        first_batch = len(sink.messages)
        assert counts["sent"] == first_batch < 200  # stopped early, every arrival recorded
        assert counts.get("uncertain", 0) == 0  # in-flight letters finished within the timeout
        with DaemonProcess(config, *run_args("2027-04-14T11:30:00+03:00")) as rest:
            rest.wait_for("run")
            assert rest.stop() == 0
        ids = sink.message_ids()
        assert len(ids) == 200 and len(set(ids)) == 200
    assert states(config) == {"sent": 200}


def test_a_second_daemon_on_the_same_journal_refuses_to_start(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        with DaemonProcess(config, *run_args()) as first:
            first.wait_for("run")
            second = greeter_process(config, "run", "--now", NOW, timeout=60)
            assert second.returncode == 75  # it passes (EX_TEMPFAIL): systemd restarts, not gives up
            (fatal,) = [json.loads(line) for line in second.stderr.splitlines() if "cannot_start" in line]
            assert (fatal["exit_code"], fatal["why"]) == (75, "try again later")
            assert fatal["error"].startswith("another greeter is already sending from journal ")
            assert "Traceback" not in second.stderr
            assert first.proc is not None and first.proc.poll() is None
            assert first.stop() == 0


def test_sighup_with_a_broken_config_keeps_the_old_one_and_says_where(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        good = config.read_text(encoding="utf-8")
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("run")
            config.write_text(good.replace("frequency_cap:", "freqency_cap:"), encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            failed = daemon.wait_for("reload_failed_keeping_old_config")
            line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("frequency_cap:"))
            problems = " ".join(failed["problems"])
            assert f"greeter.yaml:{line}:" in problems and "did you mean `frequency_cap`" in problems
            assert http(daemon.url("/healthz"))[0] == 200  # still serving
            config.write_text(re.sub(r"cron: .*", 'cron: "*/5 * * * *"', good), encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            assert daemon.wait_for("reloaded")["cron"] == "*/5 * * * *"
            assert daemon.stop() == 0


@pytest.mark.parametrize(("failures", "minutes"), [(1, 1), (2, 2), (3, 4), (5, 15), (40, 15)])
def test_a_failed_run_is_tried_again_soon_and_backs_off(failures: int, minutes: int) -> None:
    from greeter.daemon_runs import failed_run_retry

    assert failed_run_retry(failures) == timedelta(minutes=minutes)


def test_a_failed_run_is_tried_again_within_minutes_not_at_the_next_cron_time(
    make_project: MakeProject,
) -> None:
    """A contacts export missing for a moment (being rewritten) failed one run; the daemon then
    slept until the next cron time — with a daily cron, tomorrow — and /healthz said unhealthy
    all that while, though the file was back at once."""
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port), schedule={"cron": "0 6 * * *"})
        contacts = config.parent / "data" / "contacts.csv"
        with DaemonProcess(config, *run_args(NOW, "--speed", "60")) as daemon:  # a minute a second
            first = daemon.wait_for("run")
            assert first["sent"] == 1
            moved = contacts.rename(contacts.with_suffix(".bak"))
            daemon.send_signal(signal.SIGHUP)  # plans at once, without the file
            failed = daemon.wait_for("run_failed")
            assert "contacts file not found" in failed["error"]
            moved.rename(contacts)
            failed_at = datetime.fromisoformat(failed["now"])
            again = daemon.wait_for("run", lambda e: datetime.fromisoformat(e["now"]) > failed_at)
            gap = datetime.fromisoformat(again["now"]) - failed_at
            assert timedelta(seconds=50) <= gap <= timedelta(minutes=3), gap  # a minute on, not 06:00
            assert _health(daemon)[0] == 200
            assert daemon.stop() == 0
        assert len(sink.messages) == 1  # nothing twice


def test_metrics_equal_the_journal_and_healthz_reports_the_last_run(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        sink.reject("client2@example.com", 550)
        sink.reject("client3@example.com", 451)
        config = make_project(people(4), **smtp(sink.port))
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("run")
            status, body = http(daemon.url("/metrics"))
            assert status == 200
            health_status, health = http(daemon.url("/healthz"))
            assert daemon.stop() == 0
    exported = {
        (m["state"], m["occasion"]): float(v)
        for m, v in (
            ({**dict(re.findall(r'(\w+)="([^"]*)"', labels))}, value)
            for labels, value in re.findall(r"^greeter_greetings\{([^}]*)\} (\S+)$", body, re.M)
        )
    }
    journal = Counter((row["state"], row["occasion"]) for row in history(config))
    assert journal == {("sent", "birthday"): 2, ("failed", "birthday"): 1, ("retry", "birthday"): 1}
    assert {k: v for k, v in exported.items() if v} == {k: float(v) for k, v in journal.items()}
    assert exported[("uncertain", "birthday")] == 0.0
    assert re.search(r"^greeter_runs_total\{result=\"ok\"\} 1\.0$", body, re.M)
    assert health_status == 200 and '"status": "ok"' in health and '"journal": "ok"' in health


def test_one_click_unsubscribe_suppresses_and_a_tampered_token_does_not(make_project: MakeProject) -> None:
    secret = "s3cret-for-tests-at-least-32-bytes"
    config = make_project(
        people(2),
        unsubscribe={"url": "https://greet.example.com/unsubscribe", "secret_env": "GREETER_UNSUB_SECRET"},
    )
    token = make_token(secret.encode(), "client1@example.com")
    address, signature = token.split(".")
    tampered = f"{address}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    other = make_token(b"another-secret", "client2@example.com")
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": secret}) as daemon:
        daemon.wait_for("run")
        page_status, page = http(daemon.url(f"/unsubscribe/{token}"))
        assert page_status == 200 and 'name="List-Unsubscribe" value="One-Click"' in page
        assert http(daemon.url(f"/unsubscribe/{tampered}"), b"List-Unsubscribe=One-Click")[0] == 404
        assert http(daemon.url(f"/unsubscribe/{other}"), b"List-Unsubscribe=One-Click")[0] == 404
        assert http(daemon.url(f"/unsubscribe/{token}"), b"something=else")[0] == 400
        assert http(daemon.url(f"/unsubscribe/{token}"), b"List-Unsubscribe=One-Click")[0] == 200
        assert daemon.stop() == 0
        assert secret not in daemon.output() and token not in daemon.output()
    suppressed = greeter_process(
        config,
        "preview",
        "--from",
        "2028-04-10",
        "--days",
        "5",
        "--format",
        "json",
        "--now",
        "2028-04-10T09:00",
    )
    reasons = {d["contact_id"]: d["reason"] for d in json.loads(suppressed.stdout)}
    assert reasons == {"1": "suppressed", "2": None}


#: Two birthdays before NOW: one a day ago (within catch_up_days=2), one six days ago.
YESTERDAY_AND_LAST_WEEK = [
    contact_row("1", "client1@example.com", birthday="13.04.1980"),
    contact_row("2", "client2@example.com", birthday="08.04.1980"),
]


def test_catch_up_sends_a_day_late_and_expires_what_is_older(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(YESTERDAY_AND_LAST_WEEK, catch_up_days=2, **smtp(sink.port))
        # The journal has existed since 1 April: the days since are downtime, not "before greeter".
        first = greeter_process(config, "send", "--once", "--now", "2027-04-01T11:00:00+03:00")
        assert first.returncode == 0 and "due 0" in first.stdout, first.stdout + first.stderr
        with DaemonProcess(config, *run_args()) as daemon:
            run = daemon.wait_for("run")
            assert run["sent"] == 1 and run["skipped"].get("expired") == 1
            assert daemon.stop() == 0
        assert [m.rcpt_tos for m in sink.messages] == [("client1@example.com",)]
    by_contact = {row["contact_id"]: row["state"] for row in history(config)}
    assert by_contact == {"1": "sent", "2": "expired"}


def test_a_new_journal_catches_up_but_journals_nothing_older_as_expired(make_project: MakeProject) -> None:
    """Installed today: yesterday's birthday is caught up; last week's was not missed, greeter was not there."""
    with SmtpSink() as sink:
        config = make_project(YESTERDAY_AND_LAST_WEEK, catch_up_days=2, **smtp(sink.port))
        with DaemonProcess(config, *run_args()) as daemon:
            run = daemon.wait_for("run")
            assert run["sent"] == 1 and not run["skipped"]
            assert daemon.stop() == 0
        assert [m.rcpt_tos for m in sink.messages] == [("client1@example.com",)]
    assert {row["contact_id"]: row["state"] for row in history(config)} == {"1": "sent"}


def test_the_daemon_wakes_when_a_send_window_opens(make_project: MakeProject) -> None:
    """Started on Tuesday evening with birthdays on Wednesday: nothing at once, all on Wednesday."""
    with SmtpSink() as sink:
        rows = [contact_row(str(i), f"client{i}@example.com", birthday="14.04.1980") for i in (1, 2)]
        config = make_project(rows, schedule={"cron": "0 3 * * *"}, **smtp(sink.port))
        # an hour of schedule per real second: Tuesday 19:00 → Wednesday 18:00 in about 23 s
        args = ("--now", "2027-04-13T19:00:00+03:00", "--speed", "3600", *LISTEN)
        with DaemonProcess(config, *args) as daemon:
            first = daemon.wait_for("run")
            assert first["due"] == 0 and first["next_send"] is not None
            assert first["next_send"].startswith("2027-04-14")
            sent = daemon.wait_for("run", lambda e: e["sent"] > 0)
            assert sent["now"] >= first["next_send"][:10]
            deadline = time.monotonic() + 40
            while len(sink.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert daemon.stop() == 0
            runs = daemon.named("run")
        assert sorted(m.rcpt_tos for m in sink.messages) == [
            ("client1@example.com",),
            ("client2@example.com",),
        ]
        # each letter left at a run that woke for it, inside Wednesday's working hours (Moscow)
        for run in (r for r in runs if r["sent"]):
            local = datetime.fromisoformat(run["now"]).astimezone(ZoneInfo("Europe/Moscow"))
            assert local.date().isoformat() == "2027-04-14" and 9 <= local.hour < 18, run
    assert states(config) == {"sent": 2}


def test_review_gate_sends_only_approved_drafts_and_edits_withdraw_approval(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), review="required", **smtp(sink.port))
        window = ("--from", "2027-04-13", "--days", "2", "--now", NOW)

        def preview() -> dict[str, str | None]:
            result = greeter_process(config, "preview", *window, "--format", "json", "--no-skipped")
            assert result.returncode == 0, result.stderr
            return {d["contact_id"]: d["approval"] for d in json.loads(result.stdout)}

        assert preview() == {"1": "awaiting_approval", "2": "awaiting_approval", "3": "awaiting_approval"}
        with DaemonProcess(config, *run_args()) as daemon:  # nothing approved: nothing sent
            run = daemon.wait_for("run")
            assert run["sent"] == 0 and run["skipped"]["awaiting_approval"] == 3
            assert daemon.stop() == 0
        assert sink.messages == []

        approved = greeter_process(config, "approve", "--all", *window)
        assert approved.returncode == 0 and "approved 3 draft(s)" in approved.stdout, approved.stderr
        assert set(preview().values()) == {"approved"}
        # the CRM re-export changes contact 3's patronymic: that draft needs approval again
        contacts = config.parent / "data" / "contacts.csv"
        text = contacts.read_text(encoding="utf-8-sig").splitlines()
        text[3] = text[3].replace("Петрович", "Павлович")
        contacts.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
        assert preview() == {"1": "approved", "2": "approved", "3": "changed_since_approval"}

        with DaemonProcess(config, *run_args("2027-04-14T11:30:00+03:00")) as daemon:
            run = daemon.wait_for("run")
            assert run["sent"] == 2 and run["skipped"]["changed_since_approval"] == 1
            assert daemon.stop() == 0
        assert sorted(m.rcpt_tos for m in sink.messages) == [
            ("client1@example.com",),
            ("client2@example.com",),
        ]

    # editing the template withdraws every approval of the drafts it renders
    template = config.parent / "templates" / "birthday.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    assert preview()["3"] == "changed_since_approval"
    greeter_process(config, "approve", "--contact", "3", *window)
    assert preview()["3"] == "approved"


def test_letters_still_in_flight_after_the_shutdown_timeout_become_uncertain(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.delay(2.0)  # the server takes 2 s to answer DATA; shutdown allows 0.5 s
        config = make_project(people(4), schedule={"shutdown_timeout_seconds": 0.5}, **smtp(sink.port))
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("started")
            deadline = time.monotonic() + 20
            while len(sink.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            # Stop once the next two letters are claimed (in flight), not merely when the
            # first two arrived: their verdicts and the next claims take a few milliseconds.
            while _journal_states(config) != {"sent": 2, "claimed": 2} and time.monotonic() < deadline:
                time.sleep(0.01)
            assert daemon.stop() == 0
            cut = daemon.wait_for("in_flight_at_shutdown_now_uncertain")
        counts = states(config)
    assert "claimed" not in counts
    # the sink records a letter after its delay: two arrived (and were answered), the next two
    # were in flight when the 0.5 s ran out
    assert counts["uncertain"] == cut["count"] == 2  # the pool's two letters in flight, no more
    assert counts["sent"] == 2 and sum(counts.values()) == 4


# --- health follows delivery; every line is JSON ------------------------------------------------


def _health(daemon: DaemonProcess) -> tuple[int, dict[str, object]]:
    status, body = http(daemon.url("/healthz"))
    return status, json.loads(body)


def test_healthz_is_degraded_while_the_mail_server_is_down_and_ok_once_a_run_delivers(
    make_project: MakeProject,
) -> None:
    port = free_port()  # nothing listens there yet: the mail server is down
    config = make_project(people(2), **smtp(port))
    # an hour of rehearsal a second… at 600×: a cron tick (10 min) a second, retries (60 s) due by then
    with DaemonProcess(config, *run_args(NOW, "--speed", "600")) as daemon:
        down = daemon.wait_for("run")
        assert (down["due"], down["sent"], down["retry"]) == (2, 0, 2)
        assert down["level"] == "warning" and down["delivery"] == "degraded"
        assert f"cannot connect to 127.0.0.1:{port}" in str(down["delivery_problem"])
        status, health = _health(daemon)
        assert status == 503 and health["status"] == "degraded" and health["journal"] == "ok"
        assert f"127.0.0.1:{port}" in str(health["delivery_problem"]) and health["degraded_since"]
        assert health["last_success_at"] is None and health["last_delivery_at"] is None
        metrics = http(daemon.url("/metrics"))[1]
        assert re.search(r"^greeter_delivery_degraded 1\.0$", metrics, re.M)
        assert re.search(r'^greeter_runs_total\{result="degraded"\} [1-9]', metrics, re.M)
        assert not re.search(r"^greeter_last_success_timestamp_seconds", metrics, re.M)

        with SmtpSink(port=port) as sink:  # the server is back
            delivered = daemon.wait_for("run", lambda e: e["sent"] > 0)
            assert delivered["level"] == "info" and delivered["delivery"] == "ok"
            status, health = _health(daemon)
            assert status == 200 and health["status"] == "ok" and health["delivery_problem"] is None
            assert health["last_success_at"] and health["last_delivery_at"]
            # nothing due afterwards is no news: still ok
            daemon.wait_for("run", lambda e: e["due"] == 0 and e["now"] > delivered["now"])
            assert _health(daemon)[0] == 200
            assert daemon.stop() == 0
        assert len(sink.messages) == 2


def test_a_degraded_daemon_with_nothing_due_asks_the_mail_server_itself(make_project: MakeProject) -> None:
    """A letter waits to be retried; the repaired server must not look down meanwhile."""
    port = free_port()
    changes = smtp(port)
    changes["delivery"]["retry"] = {"initial_seconds": 36_000}  # 10 h: past today's window
    config = make_project(people(1), **changes)
    with DaemonProcess(config, *run_args(NOW, "--speed", "600")) as daemon:
        down = daemon.wait_for("run")
        assert down["delivery"] == "degraded"
        idle = daemon.wait_for("run", lambda e: e["due"] == 0)  # probed: still down
        assert idle["delivery"] == "degraded" and "cannot connect to the mail server" in str(
            idle["delivery_problem"]
        )
        with SmtpSink(port=port) as sink:
            back = daemon.wait_for("run", lambda e: e["due"] == 0 and e["delivery"] == "ok")
            assert back["level"] == "info"
            assert _health(daemon)[0] == 200
            assert sink.messages == []  # the letter still waits for its retry; the server answered a probe
            assert daemon.stop() == 0
    assert states(config) == {"retry": 1}


def test_a_degraded_daemon_s_probe_names_a_setting_the_server_does_not_fit(make_project: MakeProject) -> None:
    """The server came back speaking no STARTTLS while the config asks for it: the probe said
    "cannot connect to the mail server: …", though the fault is a setting, which its words name."""
    port = free_port()
    changes = smtp(port)
    changes["delivery"]["smtp"]["security"] = "starttls"
    changes["delivery"]["retry"] = {"initial_seconds": 36_000}  # 10 h: past today's window
    config = make_project(people(1), **changes)
    with DaemonProcess(config, *run_args(NOW, "--speed", "600")) as daemon:
        assert daemon.wait_for("run")["delivery"] == "degraded"  # nobody listens: connection refused
        with SmtpSink(port=port) as sink:  # plain SMTP, no STARTTLS in its EHLO
            idle = daemon.wait_for(
                "run", lambda e: e["due"] == 0 and "STARTTLS" in str(e.get("delivery_problem"))
            )
            assert daemon.stop() == 0
        assert sink.messages == []
    problem = str(idle["delivery_problem"])
    assert idle["delivery"] == "degraded" and not problem.startswith("cannot connect"), problem
    assert "the server does not offer STARTTLS" in problem and "delivery.smtp.security: none" in problem


def test_a_stop_during_a_slow_send_logs_json_only_and_an_interrupted_run_line(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.delay(10.0)  # the server takes 10 s to answer DATA; shutdown allows 0.5 s
        changes = smtp(sink.port)
        changes["delivery"]["smtp"]["timeout_seconds"] = 30
        config = make_project(people(2), schedule={"shutdown_timeout_seconds": 0.5}, **changes)
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("started")
            deadline = time.monotonic() + 20
            while _journal_states(config) != {"claimed": 2} and time.monotonic() < deadline:
                time.sleep(0.02)
            assert daemon.stop() == 0
            raw = daemon.output()
        run = daemon.wait_for("run")
    assert run["interrupted"] == "shutdown" and run["level"] == "warning"
    assert (run["due"], run["sent"], run["uncertain"]) == (2, 0, 2)
    # the fields every run line has (README), though this one was cut off by the shutdown timeout
    every = {"render_error", "skipped", "replies", "recovered_uncertain", "next_send", "delivery"}
    assert every <= run.keys(), every - run.keys()
    for line in raw.splitlines():  # journalctl | jq: every line one JSON object
        assert isinstance(json.loads(line), dict), line
    assert "Traceback" not in raw and not [e for e in daemon.events if e["level"] == "error"]
    assert states(config) == {"uncertain": 2}


def test_a_daemon_that_cannot_start_says_so_in_a_json_line_with_its_exit_code(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1))
    config.write_text(config.read_text(encoding="utf-8").replace("frequency_cap:", "freqency_cap:"))
    with DaemonProcess(config) as daemon:
        assert daemon.proc is not None and daemon.proc.wait(timeout=60) == 2
        fatal = daemon.wait_for("cannot_start")
        raw = daemon.output()
    assert fatal["exit_code"] == 2 and fatal["why"] == "configuration error"
    assert any("did you mean `frequency_cap`" in p for p in fatal["problems"])
    assert all(isinstance(json.loads(line), dict) for line in raw.splitlines())


@pytest.mark.parametrize("login", [False, True], ids=["530-no-username", "535-wrong-password"])
def test_a_login_the_server_demands_or_refuses_is_one_error_per_run_not_a_retry_per_letter(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, login: bool
) -> None:
    """530 5.7.0 to MAIL FROM (no username configured) put every due letter in retry at every run,
    with only "retry" in the log. Now each run stops at the first such answer — as for a refused
    login (535) — logs one error line naming the setting, and claims nothing more."""
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", "wrong")
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        settings = smtp(sink.port, pool_size=2)
        if login:
            settings["delivery"]["smtp"].update(
                {"username": "greeter", "password_env": "GREETER_TEST_SMTP_PW"}
            )
        config = make_project(people(40), schedule={"cron": "* * * * *"}, **settings)
        with DaemonProcess(config, *run_args(NOW, "--speed", "60")) as daemon:
            finished_runs(daemon, 3)  # a cron minute is a real second: a few runs
            assert daemon.stop() == 0, daemon.output()
            runs, halted = daemon.finished_runs(), daemon.named("delivery_halted")
        connections = sink.connections
        assert sink.messages == []
    assert len(runs) >= 3, daemon.output()
    minutes = [run["now"][:16] for run in runs]  # the schedule's clock, to the minute
    assert len(set(minutes)) == len(minutes), daemon.output()  # on the schedule, not again at once
    # one halt a finished run; a run the stop signal cut may have reached its halt or not
    assert len(runs) <= len(halted) <= len(daemon.named("run")), daemon.output()
    assert {e["level"] for e in halted} == {"error"}, daemon.output()
    said = "530 5.7.0 Authentication required) and greeter made none" if not login else "535 5.7.8"
    assert all(said in e["error"] and "the batch stopped there" in e["error"] for e in halted), halted
    reason = "login_refused" if login else "login_mismatch"  # a 530 is no refused login: none was made
    assert {e["reason"] for e in halted} == {reason}, halted
    assert not daemon.named("greeting_problem")
    assert all(e["delivery"] == "degraded" and e["uncertain"] == e["failed"] == 0 for e in runs), runs
    assert (
        connections <= 2 * len(daemon.named("run")) + 2
    )  # a login per pooled connection and run (and a probe)
    assert states(config) == {}, "the letters a 530 caught never reached DATA: given back, not retry"


def test_a_tls_setting_the_server_does_not_speak_is_one_error_per_run_not_a_retry_per_letter(
    make_project: MakeProject,
) -> None:
    """security: tls against a plain server put every due letter in retry at every run ("cannot
    connect: TLS failed: …"). Now each run stops at it, logs one delivery_halted line naming
    delivery.smtp.security and the value that fits, and claims nothing."""
    with SmtpSink() as sink:
        settings = smtp(sink.port, pool_size=2)
        settings["delivery"]["smtp"]["security"] = "tls"
        config = make_project(people(10), schedule={"cron": "* * * * *"}, **settings)
        with DaemonProcess(config, *run_args(NOW, "--speed", "60")) as daemon:
            finished_runs(daemon, 2)
            assert daemon.stop() == 0, daemon.output()
            runs, halted = daemon.finished_runs(), daemon.named("delivery_halted")
        assert sink.messages == []
    assert runs and len(runs) <= len(halted) <= len(daemon.named("run")), daemon.output()
    assert {e["level"] for e in halted} == {"error"}, daemon.output()
    said = "does not speak TLS on this port (it answered in plain text; "
    assert all(said in e["error"] and "set delivery.smtp.security: none" in e["error"] for e in halted), (
        halted
    )
    assert {e["reason"] for e in halted} == {"security_mismatch"}, halted
    assert not daemon.named("greeting_problem") and "cannot connect" not in daemon.output()
    assert states(config) == {}
