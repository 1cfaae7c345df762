"""How "sending is held" — by the provider's throttle or the daily quota — is reported, told apart.

An operator in the year-end rush read three different stories of one hold: a daemon both
throttled and over ``delivery.rate_limit.per_day`` logged a ``next_send`` before the quota's
slot it then slept until, and ``/healthz`` named the throttle beside the quota's moment;
``send --dry-run`` listed every candidate ``due`` though the quota would hold some, and
never said that held letters would expire; ``/metrics`` read "not held" after a run with
nothing due while the journal's throttle still held. Real ``send --once`` and daemon
processes, a real SMTP sink, a real SQLite journal; the clock is ``--now``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from greeter.delivery_batch import Tally, note_left_unsent
from greeter.delivery_summary import Summary
from greeter.metrics import RunStats, held_by
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_day_quota import per_day
from tests.test_held_metrics import health, scrape
from tests.test_provider_throttle import RATE, project, send
from tests.test_send_e2e import NOW, people
from tests.test_sent_address import invoke
from tests.test_stop_signals import LISTEN

THROTTLE_ENDS = datetime(2026, 12, 21, 14, 7, 30, tzinfo=UTC)
QUOTA_FREES = datetime(2026, 12, 21, 14, 12, 1, tzinfo=UTC)


def test_both_holds_name_the_one_that_holds_longest_with_its_own_moment() -> None:
    both = RunStats(
        THROTTLE_ENDS,
        quota_free_at=QUOTA_FREES,
        quota_unsent=6,
        throttled_until=THROTTLE_ENDS,
        throttle_unsent=6,
    )
    assert held_by(both) == ("daily_quota", QUOTA_FREES, 6)
    longer = RunStats(
        THROTTLE_ENDS,
        quota_free_at=THROTTLE_ENDS,
        quota_unsent=6,
        throttled_until=QUOTA_FREES,
        throttle_unsent=6,
    )
    assert held_by(longer) == ("provider_throttle", QUOTA_FREES, 6)


def test_a_batch_stopped_by_both_leaves_its_letters_to_both() -> None:
    """The quota ran out and the provider throttled in one batch: the letters left wait for both,
    and ``quota_unsent`` 0 beside a ``quota_free_at`` said the quota held nothing."""
    summary = Summary(quota_free_at=QUOTA_FREES, throttled="451 " + RATE)
    note_left_unsent(summary, 10, Tally())
    assert (summary.throttle_unsent, summary.quota_unsent, summary.quota_free_at) == (10, 10, QUOTA_FREES)


def test_a_daemon_throttled_and_over_the_quota_reports_the_later_moment(make_project: MakeProject) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 451, RATE)
        code, first = send(config, start - timedelta(seconds=30))  # 3 sent, then throttled
        assert (code, first["sent"], first["throttle_unsent"]) == (75, 3, 4), first
        config.write_text(config.read_text().replace("per_day: 500", "per_day: 3"))  # and the quota is spent
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            samples, body = scrape(daemon), health(daemon)
            assert daemon.stop() == 0
    throttle_ends = datetime.fromisoformat(run["throttled_until"])
    quota_frees = datetime.fromisoformat(body["sending_resumes_at"])
    assert quota_frees >= start + timedelta(hours=23), body
    assert throttle_ends < quota_frees
    assert (body["sending_held"], body["held_letters"]) == ("daily_quota", 4), body
    assert datetime.fromisoformat(run["next_send"]) == quota_frees, run
    assert samples["greeter_quota_free_timestamp_seconds"] == quota_frees.timestamp()
    assert samples["greeter_throttled_until_timestamp_seconds"] == throttle_ends.timestamp()


def test_metrics_show_a_throttle_still_holding_after_a_run_with_nothing_due(
    make_project: MakeProject,
) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 4)
        sink.refuse_after(3, 451, RATE)
        code, first = send(config, start - timedelta(seconds=10))  # the last letter throttled: a retry
        assert (code, first["sent"], first["retry"], first["throttle_unsent"]) == (75, 3, 1, 0), first
        until = datetime.fromisoformat(first["throttled_until"])
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            samples, body = scrape(daemon), health(daemon)
            assert daemon.stop() == 0
    assert run["due"] == 0, run  # the retry waits for its back-off
    assert samples["greeter_throttled_until_timestamp_seconds"] == until.timestamp(), samples
    assert samples["greeter_throttle_unsent"] == 0
    assert (body["sending_held"], body["held_letters"]) == ("provider_throttle", 0), body
    assert datetime.fromisoformat(body["sending_resumes_at"]) == until


def test_a_dry_run_lists_the_letters_the_quota_holds_and_says_they_expire(make_project: MakeProject) -> None:
    """10 birthdays of 11 April (catch_up_days 3) at 14.04 11:00, ``per_day`` 5: the real run
    sends 5 and says the other 5 expire before the quota's next slot (exit 1); so does the dry run."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="11.04.1980"), **per_day(sink.port, 5))
        code, out, _ = invoke(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
        summary = json.loads(out)
        assert (summary["quota_unsent"], summary["quota_expiring"]) == (5, 5), summary
        assert code == 1, "as the real run: five greetings will be lost"
        held = Counter(letter["held"] for letter in summary["letters"])
        assert held == Counter({None: 5, "daily_quota": 5}), summary["letters"]
        details = {letter["detail"] for letter in summary["letters"] if letter["held"]}
        assert details == {f"until {summary['quota_free_at']}, after its catch-up period ends"}, details
        code, text, _ = invoke(config, "send", "--once", "--dry-run", "--now", NOW)
        assert code == 1
        lines = [line for line in text.splitlines() if "client" in line]
        assert sum(line.startswith("due ") for line in lines) == 5, text
        assert sum(line.startswith("held ") and "(daily_quota until " in line for line in lines) == 5, text
        assert "5 left unsent, all of them expire before they could go: its next slot frees at" in text, text
        assert not sink.messages


def test_a_dry_run_marks_every_letter_a_throttle_holds(make_project: MakeProject) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 451, RATE)
        code, first = send(config, start)
        assert code == 75, first
        code, out, _ = invoke(
            config,
            "send",
            "--once",
            "--dry-run",
            "--json",
            "--now",
            (start + timedelta(seconds=30)).isoformat(),
        )
        summary = json.loads(out)
        assert code == 75
        assert [letter["held"] for letter in summary["letters"]] == ["provider_throttle"] * 4, summary
        assert {letter["detail"] for letter in summary["letters"]} == {f"until {summary['throttled_until']}"}
