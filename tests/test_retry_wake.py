"""The daemon wakes for retries, not only for planned letters, and /metrics survives a journal outage.

Found by an operator: with a daily cron (``0 3 * * *``) and the mail server down
for a few seconds at start, 20 greetings went to ``retry`` with a 20-second
backoff and then waited for the next day's cron: the run line said
``"next_send": null``.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.cron import cron_trigger, next_wake, retry_gather
from greeter.journal import Journal, open_journal
from greeter.journal_store import Tally
from greeter.metrics import RunStats, render_metrics
from greeter.runtime import load_inputs
from greeter.send import deliver_cycle, plan_cycle
from greeter.testing import SmtpSink, free_port
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, people, smtp

T0 = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)


def test_the_journal_lists_the_retries_not_yet_due(tmp_path: Path) -> None:
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=T0) as journal:
        assert journal.waiting_retries(T0) == []
        for n, minutes in enumerate((30, 5, 90)):
            key = (f"c{n}", "birthday", date(2027, 4, 14))
            assert journal.claim(
                key, email=f"c{n}@example.com", message_id=f"<m{n}@x>", planned_at=T0, now=T0
            )
            journal.mark_retry(key, "451 4.3.0 later", T0 + timedelta(minutes=minutes), T0)

        def waiting(now: datetime) -> list[datetime | None]:
            return [entry.next_attempt_at for entry in journal.waiting_retries(now)]

        assert waiting(T0) == [T0 + timedelta(minutes=m) for m in (5, 30, 90)]
        # Due ones are due_retries' business; waiting_retries looks past now.
        assert waiting(T0 + timedelta(minutes=5)) == [T0 + timedelta(minutes=m) for m in (30, 90)]
        assert waiting(T0 + timedelta(minutes=90)) == []


def test_a_daemon_on_a_daily_cron_wakes_for_its_retries(make_project: MakeProject) -> None:
    port = free_port()  # the mail server is down when the daemon starts
    settings = smtp(port)
    settings["delivery"]["retry"] = {"initial_seconds": 120}
    config = make_project(people(3), schedule={"cron": "0 3 * * *"}, **settings)
    # 60 rehearsal seconds a real second: the 2-minute backoff passes in ~2 s, the cron's next
    # tick (03:00 tomorrow) would take ~16 minutes.
    with DaemonProcess(config, "--now", NOW, "--speed", "60", "--listen", "127.0.0.1:0") as daemon:
        down = daemon.wait_for("run")
        assert (down["due"], down["retry"]) == (3, 3)
        assert down["next_send"] is not None, "the retries' time is the next wake-up"
        woke_at = datetime.fromisoformat(down["next_send"])
        assert woke_at - datetime.fromisoformat(down["now"]) <= timedelta(minutes=3)
        with SmtpSink(port=port) as sink:
            sent = daemon.wait_for("run", lambda e: e["sent"] > 0)
            assert datetime.fromisoformat(sent["now"]) >= woke_at
            # The three retries are due milliseconds apart (as their attempts failed), which at 60×
            # can be a rehearsal second: on a busy machine the first wake-up may find only some due,
            # and the next retry's wake-up sends the rest. Each run stays its own wake-up's.
            deadline = time.monotonic() + 30
            while sum(r["sent"] for r in daemon.named("run")) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert daemon.stop() == 0
        assert len(sink.messages) == 3


GATHER = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("next_send", "next_retry", "expected"),
    [
        # 300 contacts and a 421: their retries due 2, 4, 5, 6, 8 s after the run each woke it
        # (18 runs in 13 s); the first retry's wake now waits for the ones after it
        (T0 + timedelta(seconds=2), T0 + timedelta(seconds=2), T0 + timedelta(seconds=32)),
        # a planned letter is the next send: at its time, as before
        (T0 + timedelta(seconds=2), None, T0 + timedelta(seconds=2)),
        (T0 + timedelta(seconds=2), T0 + timedelta(seconds=40), T0 + timedelta(seconds=2)),
        # the cron's tick comes first: it plans and sends the retries too
        (
            T0 + timedelta(minutes=9, seconds=50),
            T0 + timedelta(minutes=9, seconds=50),
            T0 + timedelta(minutes=10),
        ),
        # a retry the run outlasted: at once, no gathering (the letters are waiting)
        (T0 - timedelta(seconds=1), T0 - timedelta(seconds=1), T0),
    ],
)
def test_a_retry_s_wake_gathers_the_retries_due_after_it(
    next_send: datetime, next_retry: datetime | None, expected: datetime
) -> None:
    cron = cron_trigger("*/10 * * * *", "UTC")
    planned = T0 - timedelta(seconds=5)
    got = next_wake(T0, cron, next_send, planned_at=planned, next_retry=next_retry, gather=GATHER)
    assert got == expected


@pytest.mark.parametrize(
    ("next_planned", "expected"),
    [
        # a letter planned 10 s on, inside the gathering: at its time (its window may close
        # before the gathered wake), and the retries due by then go in the same run
        (T0 + timedelta(seconds=10), T0 + timedelta(seconds=10)),
        # planned after the gathering: the gathered wake, as without it
        (T0 + timedelta(seconds=50), T0 + timedelta(seconds=32)),
        # a planned moment the run had already seen (not news): the gathered wake
        (T0 - timedelta(seconds=10), T0 + timedelta(seconds=32)),
    ],
)
def test_gathering_retries_never_keeps_a_planned_letter_waiting(
    next_planned: datetime, expected: datetime
) -> None:
    cron = cron_trigger("*/10 * * * *", "UTC")
    retry = T0 + timedelta(seconds=2)
    got = next_wake(
        T0, cron, retry, planned_at=T0 - timedelta(seconds=5), next_retry=retry, gather=GATHER,
        next_planned=next_planned,
    )  # fmt: skip
    assert got == expected


def test_a_planned_cycle_tells_its_next_planned_letter_apart_from_its_next_retry(
    make_project: MakeProject,
) -> None:
    """What the daemon hands :func:`next_wake` as ``next_planned``: the plan's next letter, not a retry."""
    rows = [contact_row(str(i), f"client{i}@example.com", birthday="14.04.1980") for i in (1, 2)]
    config = make_project(rows, **smtp(9))
    now = datetime.fromisoformat("2027-04-14T09:00:00+03:00")  # before the window opens (10:00)
    inputs = load_inputs(config, today=now.date())
    with open_journal(inputs.settings.storage.url, now=now) as journal:
        key = ("old", "birthday", date(2027, 4, 13))
        assert journal.claim(key, email="old@example.com", message_id="<m@x>", planned_at=now, now=now)
        retry_at = now + timedelta(minutes=1)
        journal.mark_retry(key, "451 4.3.0 later", retry_at, now)
        journal.lock_sender()
        cycle = plan_cycle(inputs, journal, now=now)
        asyncio.run(deliver_cycle(cycle))  # nothing is due: it only asks the journal for retries
    assert cycle.deliverer.summary.counts["sent"] == 0
    opens = datetime.fromisoformat("2027-04-14T10:00:00+03:00")  # the retry can leave no sooner
    assert cycle.next_retry == opens
    assert cycle.next_send == opens
    assert cycle.next_planned is not None and cycle.next_planned > retry_at
    assert cycle.next_planned.astimezone(now.tzinfo).date() == now.date()


@pytest.mark.parametrize(
    ("initial_seconds", "seconds"), [(60, 15), (120, 30), (3600, 30), (5, 1.25), (0.1, 0.025)]
)
def test_retries_are_gathered_for_30_s_or_a_quarter_of_the_first_backoff(
    initial_seconds: float, seconds: float
) -> None:
    assert retry_gather(initial_seconds) == timedelta(seconds=seconds)


def _stats() -> RunStats:
    return RunStats(
        started_at=T0, runs=4, ok_runs=3, degraded_runs=1, last_success_at=T0 + timedelta(minutes=10)
    )


def test_metrics_are_served_while_the_journal_does_not_answer() -> None:
    text = render_metrics(None, _stats()).decode()  # None: the journal did not answer
    assert re.search(r"^greeter_journal_up 0\.0$", text, re.M)
    assert "greeter_greetings{" not in text, "no made-up counts"
    assert re.search(r'^greeter_runs_total\{result="degraded"\} 1\.0$', text, re.M)
    start = re.search(r"^greeter_start_time_seconds (\S+)$", text, re.M)
    assert start is not None and float(start.group(1)) == T0.timestamp()
    up = render_metrics({("sent", "birthday", ""): Tally(2)}, _stats()).decode()
    assert re.search(r"^greeter_journal_up 1\.0$", up, re.M)
    assert re.search(r'^greeter_greetings\{occasion="birthday",reason="",state="sent"\} 2\.0$', up, re.M)
