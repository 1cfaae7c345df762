"""A provider throttling us (a 421, or a 4xx about rate or limits) stops the batch and holds later runs.

The persona's provider (Yandex 360: 500 a day, 20 a minute) answered ``451 4.7.1 Rate
limit exceeded``; greeter retried it letter by letter, handing over a new one every 3 s
into the refusals (``sent: 40; retry: 10``), and every later run sent ``per_day − sent``
NEW letters into it: 73 refusals to 20 accepted in 4.6 minutes. Real ``send --once``
(in-process CLI), a real SMTP sink refusing after its quota, a real SQLite journal;
the clock is ``--now``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from greeter.config import Retry
from greeter.delivery_summary import Summary
from greeter.journal import Journal
from greeter.journal_pg import PgJournal
from greeter.journal_store import JournalKey, JournalStore
from greeter.provider_throttle import hold_back, read_throttle, remember_throttle
from greeter.reply_classes import classify_reply, provider_throttle
from greeter.testing import SmtpSink
from greeter.transport import Outcome
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon import finished_runs
from tests.test_send_e2e import NOW, people, smtp
from tests.test_sent_address import invoke
from tests.test_stop_signals import LISTEN, journal_states

RATE = "4.7.1 Rate limit exceeded"


@pytest.mark.parametrize(
    ("code", "text", "throttle"),
    [
        (451, RATE, True),
        (421, "4.3.2 Service not available, closing transmission channel", True),
        (421, "4.7.0 Try again later, closing connection.", True),
        (450, "4.7.28 Our system has detected an unusual rate of unsolicited mail", True),
        (452, "4.5.3 Your message has too many recipients", True),
        (432, "4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", True),
        (451, "Daily sending quota exceeded", True),
        (450, "4.7.1 Error: too many messages from this sender, slow down", True),
        # One letter's, not ours: the per-letter retry stays.
        (450, "4.2.1 Mailbox busy", False),
        (450, "4.2.1 The user you are trying to contact is receiving mail at a rate that prevents", False),
        (452, "4.2.2 Mailbox full, quota exceeded", False),
        (452, "Mailbox quota exceeded", False),
        (451, "4.7.1 Greylisting in action, please come back later", False),
        (451, "4.3.0 Temporary local problem, try again later", False),
        (450, "4.7.1 Client host rejected: cannot find your hostname", False),
        (550, "5.7.1 Rate limit exceeded", False),  # a 5xx is a refusal, not a throttle
        (250, "2.0.0 OK rate", False),
    ],
)
def test_what_counts_as_the_provider_throttling_us(code: int, text: str, throttle: bool) -> None:
    assert provider_throttle(code, text) is throttle


GMAIL_QUOTA = "5.4.5 Daily user sending quota exceeded."
KEY: JournalKey = ("7", "birthday", "2026-12-09")


@pytest.mark.parametrize(
    ("code", "text", "quota"),
    [
        (550, GMAIL_QUOTA, True),
        (550, "5.4.5 Daily SMTP relay sending limit exceeded for customer", True),
        (554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", True),
        (550, "5.7.1 Sending limit reached for this account", True),
        (550, "Daily message limit exceeded", True),
        # One mailbox's, or not a quota at all: refusals of that letter, as before.
        (552, "5.2.2 Mailbox full, quota exceeded", False),
        (550, "5.1.1 The email account that you tried to reach does not exist", False),
        (550, "5.7.1 Rate limit exceeded", False),
        (554, "5.7.1 Message rejected as spam", False),
    ],
)
def test_a_spent_sending_quota_is_a_throttle_though_its_code_is_5xx(
    code: int, text: str, quota: bool
) -> None:
    """Gmail refuses the 501st letter of the day with a 550: read as ``failed`` it failed the rest
    of the batch for good, letter by letter, though the quota frees the next day."""
    result = classify_reply(KEY, code, text, recipient_accepted=True)
    assert (result.outcome is Outcome.TEMPORARY, result.throttled) == (quota, quota), result
    if quota:
        assert not result.unknown_user, "a quota never suppresses the client"


def test_a_gmail_quota_reply_holds_the_batch_instead_of_failing_it(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 550, GMAIL_QUOTA)
        code, first = send(config, datetime.fromisoformat(NOW))
        assert code == 75, first
        assert (first["sent"], first["retry"], first["failed"], first["throttle_unsent"]) == (3, 1, 0, 4)
        assert sink.refused == [("DATA", 550)], "one refusal, not one per letter left"
        assert journal_states(config) == Counter({"sent": 3, "retry": 1})
        _, listed, _ = invoke(config, "suppress", "--list", "--json")
        assert json.loads(listed) == [], "the refused client is not put on the do-not-contact list"


def project(make_project: MakeProject, port: int, n: int) -> Path:
    config: dict[str, Any] = smtp(port, pool_size=1)  # one letter in flight: a deterministic count
    config["delivery"]["rate_limit"] = {"per_second": 20, "per_minute": 600, "per_day": 500}
    config["delivery"]["retry"] = {"initial_seconds": 60, "factor": 2, "max_seconds": 3600}
    return make_project(people(n), **config)


def send(config: Path, now: datetime) -> tuple[int, dict[str, Any]]:
    code, out, err = invoke(config, "send", "--once", "--json", "--now", now.isoformat())
    assert out, err
    return code, json.loads(out)


def test_a_rate_limit_reply_stops_the_batch_and_holds_later_runs_until_the_back_off(
    make_project: MakeProject,
) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 12)
        sink.refuse_after(5, 451, RATE)

        code, first = send(config, start)
        assert code == 75  # try again later (docs/commands.md, Exit 75)
        assert (first["sent"], first["retry"], first["throttle_unsent"]) == (5, 1, 6)
        assert first["throttled"] == f"451 {RATE}"
        until = datetime.fromisoformat(first["throttled_until"])
        assert start + timedelta(seconds=60) <= until <= start + timedelta(seconds=90)  # delivery.retry
        assert sink.refused == [("DATA", 451)], "one refusal, not one per letter left"
        assert journal_states(config) == Counter({"sent": 5, "retry": 1})  # the 6 left stay unclaimed
        _, text, _ = invoke(config, "send", "--once", "--now", (start + timedelta(seconds=1)).isoformat())
        assert f"the provider throttled sending (451 {RATE}): 6 left unsent, sending resumes at" in text

        # Another process half a minute later: the journal says wait — nothing is handed over.
        code, held = send(config, start + timedelta(seconds=30))
        assert code == 75 and held["sent"] == 0 and held["throttle_unsent"] == 6
        assert (
            held["throttled_until"] == first["throttled_until"]
            and held["next_send"] >= held["throttled_until"]
        )
        assert sink.refused == [("DATA", 451)] and len(sink.messages) == 5

        # After the back-off the provider still refuses: ONE letter tries, the back-off doubles.
        later = start + timedelta(minutes=3)
        code, again = send(config, later)
        assert code == 75 and again["sent"] == 0 and len(sink.refused) == 2
        resumes = datetime.fromisoformat(again["throttled_until"])
        assert later + timedelta(seconds=120) <= resumes <= later + timedelta(seconds=150)

        # The provider's quota renews: everything left goes, the streak ends, exit 0.
        sink.refuse_after(100, 250)
        code, done = send(config, start + timedelta(minutes=10))
        assert code == 0, done
        assert done["throttled"] is None and done["throttled_until"] is None
        code, rest = send(config, start + timedelta(minutes=30))  # the last refused letter's retry
        assert code == 0 and rest["throttled"] is None
    assert journal_states(config) == Counter({"sent": 12})
    assert len(sink.messages) == 12 and len(set(sink.message_ids())) == 12


def test_a_per_letter_4xx_keeps_its_own_retry_and_the_batch_goes_on(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 6)
        sink.reject("client3@example.com", 450, "4.2.1 Mailbox busy")
        code, summary = send(config, datetime.fromisoformat(NOW))
        assert code == 0, summary
        assert (summary["sent"], summary["retry"], summary["throttled"]) == (5, 1, None)
        assert summary["throttle_unsent"] is None


def test_the_daemon_does_not_wake_into_a_throttle_before_its_back_off(make_project: MakeProject) -> None:
    """At 600× a cron of */10 fires every real second, and the refused letter's retry wakes it too:
    before, each run handed ``per_day − sent`` new letters to the refusing provider.

    Counted in runs, not real seconds (a loaded machine stretches a rehearsed minute): each run
    starts no sooner than the back-off the one before it announced, and tries one letter."""
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 451, RATE)
        with DaemonProcess(config, "--now", NOW, "--speed", "600", *LISTEN) as daemon:
            # Back-offs of 60 s, 120 s, 240 s rehearsed; the timeout only guards against a hang (a start
            # at load 20 took over the 30 s a first run was given).
            finished_runs(daemon, 4, timeout=300)
            assert daemon.stop() == 0
        runs, every_run = daemon.finished_runs(), daemon.named("run")
    first = runs[0]
    assert (first["sent"], first["retry"], first["throttle_unsent"]) == (3, 1, 4), first
    assert all(run["throttled"] == f"451 {RATE}" for run in runs), runs
    assert all(run["sent"] == 0 and run["retry"] == 1 for run in runs[1:]), runs  # one letter tries
    for before, after in itertools.pairwise(runs):
        assert datetime.fromisoformat(after["now"]) >= datetime.fromisoformat(before["throttled_until"]), runs
    backoffs = [
        (datetime.fromisoformat(run["throttled_until"]) - datetime.fromisoformat(run["now"])).total_seconds()
        for run in runs[:4]
    ]
    assert [round(b / 60) for b in backoffs] == [1, 2, 4, 8], backoffs  # delivery.retry: doubling
    # Every refusal the provider gave is one run's one letter, a run cut off by the stop included.
    assert len(sink.refused) == sum(run["retry"] for run in every_run), every_run
    assert len(sink.messages) == 3


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_throttle_and_its_streak_are_kept_in_either_journal(backend: str, tmp_path: Path) -> None:
    """The journal is what separate ``send --once`` processes share: no new table, its notices."""
    at = datetime(2027, 4, 14, 8, 0, 0, 500_000, tzinfo=UTC)
    retry = Retry(initial_seconds=60, factor=2, max_seconds=3600)
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            journal: JournalStore = stack.enter_context(Journal.open(str(tmp_path / "j.sqlite3"), now=at))
        else:
            url, _ = stack.enter_context(databases.pg_schema())
            journal = stack.enter_context(PgJournal.open(url, now=at))
        assert read_throttle(journal) is None
        first = Summary(throttled="451 4.7.1 Rate limit exceeded", throttled_at=at)
        remember_throttle(journal, first, None, retry)
        assert first.throttled_until == datetime(2027, 4, 14, 8, 1, 1, tzinfo=UTC)  # rounded up
        kept = read_throttle(journal)
        assert kept is not None and (kept.streak, kept.reply) == (1, "451 4.7.1 Rate limit exceeded")
        assert kept.resumes_at(retry) == first.throttled_until
        held = Summary()
        assert hold_back(held, kept, 3, at + timedelta(seconds=30), retry)
        assert (held.throttle_unsent, held.throttled_until) == (3, first.throttled_until)
        assert not hold_back(Summary(), kept, 0, at, retry)  # nothing due: nothing to hold
        assert not hold_back(Summary(), kept, 3, first.throttled_until, retry)
        again = Summary(throttled="421 4.7.0 Try again later", throttled_at=at + timedelta(minutes=2))
        remember_throttle(journal, again, kept, retry)
        second = read_throttle(journal)
        assert second is not None and second.streak == 2
        assert again.throttled_until == at.replace(microsecond=0) + timedelta(minutes=2, seconds=121)
        accepted = Summary()
        accepted.counts["sent"] = 4
        remember_throttle(journal, accepted, second, retry)  # letters accepted: the streak ends
        assert read_throttle(journal) is None
