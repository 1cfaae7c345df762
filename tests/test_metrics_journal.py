"""What ``/metrics`` reads from the journal: skips by reason, the oldest waiting greeting, the last
delivery — and the drafts awaiting approval, said as a number rather than a counter that grows.

Before: ``greeter_greetings{state="skipped"}`` had no reason (a dashboard of "skipped by
reason" was impossible though the journal holds it); a greeting stuck in retry could only be
alerted on by its count staying above 0; ``greeter_last_delivery_timestamp_seconds`` lived in
the process and was gone after a restart; and ``skipped_awaiting_approval`` counted the same 4
waiting drafts again at every run (43 after 13 runs) with nothing saying how many wait now.
Real SQLite journals, real daemon subprocesses and a real SMTP sink; the clock is ``--now``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from greeter.history_view import counts_as_found
from greeter.journal import Journal
from greeter.metrics import SKIP_REASONS, RunStats, render_metrics
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import LATER, NOW, people, smtp
from tests.test_stop_signals import LISTEN

AT = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)


def samples(text: str, name: str) -> dict[str, float]:
    """``name``'s samples by their labels as written (``state="retry"``), "" for an unlabelled one."""
    found = re.findall(rf"^{name}(?:\{{(.*)\}})? (\S+)$", text, re.MULTILINE)
    return {labels: float(value) for labels, value in found}


def metrics_of(journal: Journal) -> str:
    return render_metrics(counts_as_found(journal), RunStats(started_at=AT)).decode()


def test_skipped_greetings_are_counted_by_their_reason_code(tmp_path: Path) -> None:
    reasons = [
        "merged into birthday",
        "frequency_cap: only 13 days from …",
        "no_email",
        "no_email",
        "erased on x",
    ]
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=AT) as journal:
        for n, reason in enumerate(reasons):
            journal.record_handled((f"c{n}", "name_day", date(2026, 12, 29)), reason, AT, email=None)
        assert journal.claim(("c9", "birthday", date(2026, 12, 29)), email="c9@example.com",
                             message_id="<m9@x>", planned_at=AT, now=AT)  # fmt: skip
        journal.mark_sent(("c9", "birthday", date(2026, 12, 29)), "250 ok", AT)
        text = metrics_of(journal)
    greetings = samples(text, "greeter_greetings")
    skipped = {k: v for k, v in greetings.items() if 'state="skipped"' in k and 'occasion="name_day"' in k}
    assert skipped == {
        f'occasion="name_day",reason="{reason}",state="skipped"': {
            "merged": 1.0, "frequency_cap": 1.0, "no_email": 2.0, "other": 1.0,
        }.get(reason, 0.0)
        for reason in SKIP_REASONS
    }  # fmt: skip
    assert greetings['occasion="birthday",reason="",state="sent"'] == 1.0, "other states: reason empty"


def test_the_oldest_waiting_greeting_is_given_per_state(tmp_path: Path) -> None:
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=AT) as journal:
        for n, hours in ((1, 0), (2, 5)):
            key = (f"c{n}", "birthday", date(2026, 12, 29))
            moment = AT + timedelta(hours=hours)
            assert journal.claim(key, email=f"c{n}@example.com", message_id=f"<m{n}@x>", planned_at=moment,
                                 now=moment)  # fmt: skip
            journal.mark_retry(key, "451 later", moment + timedelta(hours=1), moment)
        text = metrics_of(journal)
    oldest = samples(text, "greeter_oldest_greeting_timestamp_seconds")
    assert oldest == {'state="retry"': AT.timestamp()}, "the older retry; no series for a state none waits in"


def test_the_last_delivery_survives_a_restart_and_awaiting_approval_is_a_number(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            assert daemon.wait_for("run")["sent"] == 2
            _, before = http(daemon.url("/metrics"))
            assert daemon.stop() == 0
        with DaemonProcess(config, "--now", LATER, *LISTEN) as daemon:  # nothing due: no delivery here
            assert daemon.wait_for("run")["sent"] == 0
            _, after = http(daemon.url("/metrics"))
            assert daemon.stop() == 0
    last = samples(before, "greeter_last_delivery_timestamp_seconds")
    assert last and last == samples(after, "greeter_last_delivery_timestamp_seconds"), after


def test_drafts_awaiting_approval_are_a_gauge_and_the_counter_says_what_it_counts(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), review="required", **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            assert daemon.wait_for("run")["skipped"]["awaiting_approval"] == 3
            _, text = http(daemon.url("/metrics"))
            assert daemon.stop() == 0
    assert samples(text, "greeter_drafts_awaiting_approval") == {"": 3.0}
    helps = re.search(r"^# HELP greeter_run_outcomes_total (.*)$", text, re.MULTILINE)
    assert helps is not None and "again at every run" in helps.group(1)
    assert "counts once per attempt" in helps.group(1)
