"""A mail server that refuses every letter for good (5xx) is seen: in the log, on ``/metrics``, on ``/healthz``.

Before, a provider refusing our content (``554 5.7.1`` at DATA) burned the day's greetings
under ``"level":"info","delivery":"ok"`` run lines, ``/healthz`` 200 ``ok`` and runs counted
``result="ok"``; nothing said which kind of refusal it was. A real daemon subprocess, a
real SMTP sink, a real SQLite journal; the clock is ``--now``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from greeter.failure_classes import FAILURE_CLASSES, failure_class, refusing_at_start, server_refusing
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_held_metrics import health
from tests.test_provider_throttle import project
from tests.test_send_e2e import NOW
from tests.test_stop_signals import LISTEN

SPAM = "5.7.1 Message rejected: spam content detected"


def labelled(daemon: DaemonProcess, name: str) -> dict[str, float]:
    """``name``'s samples on ``/metrics`` by their one label's value."""
    status, text = http(daemon.url("/metrics"))
    assert status == 200, text
    found = re.findall(rf'^{name}\{{\w+="([^"]*)"\}} (\S+)$', text, re.MULTILINE)
    return {value: float(n) for value, n in found}


def test_a_server_refusing_every_letter_at_data_is_a_warning_a_counter_and_a_healthz_state(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 3)
        sink.refuse_after(0, 554, SPAM)
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            failures = labelled(daemon, "greeter_delivery_failures_total")
            _, text = http(daemon.url("/metrics"))
            runs = labelled(daemon, "greeter_runs_total")
            body = health(daemon)
            assert daemon.stop() == 0
    assert (run["failed"], run["sent"]) == (3, 0), run
    # send --once exits 1 for this run: it is no success, and not an outage (degraded) either
    assert runs == {"ok": 0, "error": 0, "degraded": 0, "refused": 1}, runs
    # the run line says the counter's label: the wire worked (delivery ok), the letters were refused
    assert (run["result"], run["delivery"]) == ("refused", "ok"), run
    assert body["last_success_at"] is None, body
    assert run["level"] == "warning", run
    assert run["failed_by_class"] == {"policy": 3}, run
    assert failures == {"mailbox": 0, "policy": 3, "content": 0, "gave_up": 0, "other": 0}
    assert "greeter_delivery_refusing 1.0" in text.splitlines()
    assert body["refusing"] == "policy", body
    assert body["refusing_since"] is not None
    assert body["status"] == "ok", "a refusal is the server's verdict: readiness must not drop over it"
    assert body["details"] == "see the daemon's log: run (delivery_problem, replies)", body


def test_one_unknown_mailbox_is_a_warning_but_not_a_server_refusing_everything(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 1)
        sink.reject("client1@example.com", 550, "5.1.1 mailbox unavailable")
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            failures = labelled(daemon, "greeter_delivery_failures_total")
            runs = labelled(daemon, "greeter_runs_total")
            body = health(daemon)
            assert daemon.stop() == 0
    assert (run["failed"], run["level"], run["failed_by_class"]) == (1, "warning", {"mailbox": 1}), run
    assert failures["mailbox"] == 1
    assert runs["refused"] == 1 and runs["ok"] == 0, "its one letter was refused: send --once exits 1"
    assert body["refusing"] is None, "a single bad address says nothing about the server"
    assert body["details"] is None, body


def test_a_restart_keeps_refusing_as_the_journal_says(
    make_project: MakeProject,
) -> None:
    """Before, ``refusing`` lived in the process: a restart (a deploy, a pod moved) read "not refusing",
    ``greeter_delivery_refusing 0``, while the server refused as before — the refused letters are
    ``failed`` for good, so the runs after the restart had nothing the server could refuse again."""
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 2)
        sink.refuse_after(0, 554, SPAM)
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            assert daemon.wait_for("run")["failed"] == 2
            before = health(daemon)
            assert daemon.stop() == 0
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            _, text = http(daemon.url("/metrics"))
            after = health(daemon)
            assert daemon.stop() == 0
    assert (run["due"], run["failed"]) == (0, 0), "nothing left to refuse after the restart"
    assert "greeter_delivery_refusing 1.0" in text.splitlines(), text
    assert after["refusing"] == "policy", after
    # since the first refusal the journal holds: the first daemon's run (its clock too started at NOW)
    since, first = (
        datetime.fromisoformat(b[k]) for b, k in ((after, "refusing_since"), (before, "refusing_since"))
    )
    assert first <= since <= first + timedelta(minutes=1), (after, before)
    assert after["details"] == "see the daemon's log: run (delivery_problem, replies)", after


def test_refusing_at_start_reads_the_refusals_since_the_last_letter_that_left() -> None:
    at = [datetime(2026, 12, 7, 9, n, tzinfo=UTC) for n in range(4)]
    mailbox = "550 5.1.1 <***@example.com>: Recipient address rejected: User unknown"
    assert refusing_at_start([]) == (None, None)
    assert refusing_at_start([(mailbox, at[1])]) == (None, None), "one bad address is not the server"
    newest_first = [(f"554 {SPAM}", at[3]), (mailbox, at[2]), (f"554 {SPAM}", at[1]), ("554 5.6.0 no", at[0])]
    assert refusing_at_start(newest_first) == ("policy", at[0])


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("550 5.1.1 <***@example.com>: Recipient address rejected: User unknown", "mailbox"),
        ("552 5.2.2 Mailbox full", "mailbox"),
        ("550 5.7.1 No such user!", "mailbox"),  # Yandex: the words say the mailbox is gone
        ("550 5.4.1 Recipient address rejected: Access denied", "mailbox"),  # Exchange Online DBEB
        ("554 5.7.1 Message rejected: spam content detected", "policy"),
        ("521 5.2.1 AOL will not accept delivery of this message", "policy"),  # the host, not a mailbox
        ("554 5.6.0 Message content rejected", "content"),
        ("552 5.3.4 Message size exceeds fixed limit", "content"),
        ("451 4.3.0 try later (gave up: past the catch-up deadline)", "gave_up"),
        ("550 mailbox unavailable", "other"),  # a bare code is not guessed
        ("554 5.4.4 Unable to route", "other"),
        ("connection lost", "other"),
    ],
)
def test_each_refusal_falls_in_one_fixed_class(reply: str, kind: str) -> None:
    assert failure_class(reply) == kind
    assert kind in FAILURE_CLASSES


def test_refusing_is_kept_across_a_run_with_no_answer_and_cleared_by_an_accepted_letter() -> None:
    spam = {("failed", f"554 {SPAM}"): 2, ("failed", "550 5.1.1 no such user"): 5}
    assert server_refusing({"failed": 7}, spam, None) == "policy"
    assert server_refusing({"failed": 1}, {("failed", "550 5.1.1 no such user"): 1}, None) is None
    assert server_refusing({"failed": 1}, {("failed", "550 5.1.1 no such user"): 1}, "policy") == "policy"
    assert server_refusing({}, {}, "policy") == "policy"
    assert server_refusing({"sent": 1, "failed": 2}, spam, "policy") is None


def test_log_level_warning_leaves_out_info_lines_and_keeps_a_refused_run(make_project: MakeProject) -> None:
    """``GREETER_LOG_LEVEL`` (``--log-level``): an operator who wants only what needs attention. Before,
    the level was fixed at info and the variable was not read: ``started`` came all the same."""
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 1)
        sink.refuse_after(0, 554, SPAM)
        with DaemonProcess(config, "--now", NOW, *LISTEN, env={"GREETER_LOG_LEVEL": "warning"}) as daemon:
            run = daemon.wait_for("run")
            assert daemon.stop() == 0
    levels = {e["event"]: e["level"] for e in daemon.events}
    assert "started" not in levels and "http_listening" not in levels, levels
    assert set(levels.values()) <= {"warning", "error"}, levels
    assert run["level"] == "warning" and run["failed"] == 1, run
