"""``greeter send --once`` end to end: the real CLI, a real SMTP server, a real SQLite journal.

The CLI runs in this process (:func:`greeter`, through the same ``main``) except where the
process is what a test is about (:func:`greeter_process`: its exit code as a shell sees it, a
second sender at once, a ``kill -9``).

Birthdays are on 13 April 2027 and the clock (``--now``) is Wednesday 14 April
11:00 Moscow time: every greeting is a one-day-late catch-up, due at once.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import greeter.delivery as delivery_module
import greeter.send as send_module
from greeter.cli import main
from greeter.clock import Clock
from greeter.journal import Journal
from greeter.testing import FakeClock, SmtpSink
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"
LATER = "2027-04-14T11:05:00+03:00"


def greeter_process(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m greeter --config CONFIG ARGS`` in a process of its own, as a user runs it: for the
    tests about the process (its start, its exit, a second one at once, a kill)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def greeter(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The same command through ``greeter.cli.main`` (what ``python -m greeter`` calls) in this
    process: the exit code, stdout and stderr a process gives, without its ~1 s of interpreter and
    import start-up per call (hundreds of calls a suite). An exception escaping ``main`` comes back
    as a process shows it: exit 1 and the traceback on stderr. ``timeout``: a process's only."""
    del timeout
    argv = ["--config", str(config), *args]
    result = CliRunner().invoke(main, argv)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(
        [sys.executable, "-m", "greeter", *argv], result.exit_code, result.stdout, stderr
    )


def history(config: Path, *args: str) -> list[dict[str, Any]]:
    result = greeter(config, "history", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def smtp(port: int, pool_size: int = 2) -> dict[str, Any]:
    return {
        "delivery": {
            "transport": "smtp",
            "smtp": {"host": "127.0.0.1", "port": port, "pool_size": pool_size, "timeout_seconds": 3},
            "rate_limit": {"per_second": None},
            "retry": {"initial_seconds": 60},
        }
    }


def people(n: int, day: str = "13.04.1980") -> list[str]:
    return [contact_row(str(i), f"client{i}@example.com", birthday=day) for i in range(1, n + 1)]


def test_due_greetings_arrive_once_and_a_second_run_sends_nothing(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(5), **smtp(sink.port))
        first = greeter_process(config, "send", "--once", "--now", NOW)  # as a user runs it
        assert first.returncode == 0, first.stderr
        assert "sent: 5" in first.stdout
        assert len(sink.messages) == 5
        ids = sink.message_ids()
        assert len(set(ids)) == 5
        to = str(make_header(decode_header(sink.messages[0].parsed()["To"])))
        assert "Иван Петрович Иванов" in to
        second = greeter(config, "send", "--once", "--now", LATER)
        assert second.returncode == 0 and "due 0" in second.stdout
        assert len(sink.messages) == 5
    assert {row["state"] for row in history(config)} == {"sent"}


def test_4xx_is_retried_after_backoff_and_sent_once(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        sink.reject("client1@example.com", 451)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert first.returncode == 0, first.stderr
        assert "sent: 1" in first.stdout and "retry: 1" in first.stdout
        states = {r["contact_id"]: r["state"] for r in history(config)}
        assert states == {"1": "retry", "2": "sent"}
        sink.reset()
        early = greeter(config, "send", "--once", "--now", "2027-04-14T11:00:30+03:00")  # backoff not over
        assert "sent: 0" in early.stdout
        late = greeter(config, "send", "--once", "--now", "2027-04-14T11:02:00+03:00")
        assert "sent: 1" in late.stdout, late.stdout + late.stderr
        received = [m.rcpt_tos for m in sink.messages if not m.dropped]
        assert received.count(("client1@example.com",)) == 1
    row = next(r for r in history(config) if r["contact_id"] == "1")
    assert (row["state"], row["attempts"]) == ("sent", 2)


def test_550_fails_suppresses_and_is_never_retried(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        sink.reject("client1@example.com", 550)
        result = greeter(config, "send", "--once", "--now", NOW)
        assert result.returncode == 1  # a greeting failed
        assert "failed: 1" in result.stdout and "sent: 1" in result.stdout
        assert "failed ×1: 550 " in result.stderr
        again = greeter(config, "send", "--once", "--now", "2027-04-15T11:00:00+03:00")
        assert "due 0" in again.stdout
        assert [m.rcpt_tos for m in sink.messages] == [("client2@example.com",)]
    row = next(r for r in history(config) if r["contact_id"] == "1")
    assert row["state"] == "failed" and row["last_reply"].startswith("550")
    with Journal.open(f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=_aware(NOW)) as journal:
        assert journal.suppressed() == {"client1@example.com"}


def test_drop_after_data_is_uncertain_not_resent_until_the_operator_says(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        sink.drop_next(1)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert first.returncode == 1 and "uncertain: 1" in first.stdout
        assert [r["state"] for r in history(config)] == ["uncertain"]
        again = greeter(config, "send", "--once", "--now", LATER)
        assert "due 0" in again.stdout and len([m for m in sink.messages if not m.dropped]) == 0
        decided = greeter(
            config, "uncertain", "resend", "--contact", "1", "--occasion", "birthday", "--date", "2027-04-13"
        )
        assert decided.returncode == 0, decided.stderr
        resent = greeter(config, "send", "--once", "--now", "2027-04-14T11:10:00+03:00")
        assert "sent: 1" in resent.stdout, resent.stdout + resent.stderr
        ids = [m.parsed()["Message-ID"] for m in sink.messages]
        assert len(ids) == 2 and ids[0] == ids[1]  # the same letter, the same Message-ID
    assert [r["state"] for r in history(config)] == ["sent"]


def test_dismissed_uncertain_is_skipped_for_good(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        sink.drop_next(1)
        greeter(config, "send", "--once", "--now", NOW)
        result = greeter(
            config, "uncertain", "dismiss", "--contact", "1", "--occasion", "birthday", "--date", "2027-04-13"
        )
        assert result.returncode == 0, result.stderr
        greeter(config, "send", "--once", "--now", LATER)
        assert len(sink.messages) == 1
    assert [r["state"] for r in history(config)] == ["skipped"]


def test_uncertain_greetings_are_decided_together_or_by_filter(make_project: MakeProject) -> None:
    """A server lost mid-batch leaves several uncertain: --all (or a filter) decides them at once."""
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port, pool_size=2))
        sink.drop_next(2)
        first = greeter(config, "send", "--once", "--now", NOW)
        # The pool's two letters were swallowed: two in a row stop the batch, the third waits.
        assert "uncertain: 2" in first.stdout and "retry: 1" in first.stdout, first.stdout + first.stderr
        unsaid = greeter(config, "uncertain", "resend")
        assert unsaid.returncode == 2 and "--all" in unsaid.stderr
        nobody = greeter(config, "uncertain", "resend", "--contact", "no-such-id")
        assert nobody.returncode == 1 and "no uncertain greeting matches" in nobody.stderr
        decided = greeter(config, "uncertain", "resend", "--all", "--date", "2027-04-13")
        assert decided.returncode == 0, decided.stderr
        assert decided.stdout.count("resend: ") == 2
        resent = greeter(config, "send", "--once", "--now", "2027-04-14T11:10:00+03:00")
        assert "sent: 3" in resent.stdout, resent.stdout + resent.stderr  # the two resent and the retry
        ids = [m.parsed()["Message-ID"] for m in sink.messages]
        assert len(ids) == 5 and len(set(ids)) == 3  # the two uncertain went again, as themselves
    assert [r["state"] for r in history(config)] == ["sent"] * 3


def test_unreachable_server_means_retry_a_clear_message_and_exit_75(make_project: MakeProject) -> None:
    """Nothing could be delivered: exit 75 (try again later), not 0 as for "all sent"."""
    with SmtpSink() as sink:
        port = sink.port
    config = make_project(people(2), **smtp(port))  # the sink is stopped: nothing listens there
    result = greeter_process(config, "send", "--once", "--now", NOW)  # the process's exit code
    assert result.returncode == 75, result.stdout + result.stderr
    assert "retry: 2" in result.stdout
    assert "Traceback" not in result.stderr
    # why, once for all the letters it held back
    assert f"retry ×2: cannot connect to 127.0.0.1:{port}: connection refused" in result.stderr
    assert {r["state"] for r in history(config)} == {"retry"}


def test_a_dry_run_lists_the_due_retries_and_resends_the_send_hands_over(make_project: MakeProject) -> None:
    """The dry run returned before the journal's due retries were read: after an outage it
    listed only the new letters, under-reporting exactly the backlog about to be released."""
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port, pool_size=1))
        sink.drop_next(1)  # the first letter is swallowed after DATA: uncertain; that stops the batch
        first = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(first.stdout)["uncertain"] == 1, first.stdout + first.stderr
        [lost] = [r["contact_id"] for r in history(config) if r["state"] == "uncertain"]
        resend = greeter(config, "uncertain", "resend", "--contact", lost)
        assert resend.returncode == 0, resend.stderr
        later = "2027-04-14T11:10:00+03:00"  # past the retries' backoff
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", later)
        text = greeter(config, "send", "--once", "--dry-run", "--now", later)
        assert sink.messages == [m for m in sink.messages if m.dropped]  # the dry runs sent nothing
        real = greeter(config, "send", "--once", "--json", "--now", later)
    planned = json.loads(dry.stdout)
    sent = json.loads(real.stdout)
    assert (planned["due"], sent["due"], sent["sent"]) == (3, 3, 3), real.stdout + real.stderr
    kinds = {x["contact_id"]: (x["kind"], x["attempt"], x["held"]) for x in planned["letters"]}
    others = {"1", "2", "3"} - {lost}
    assert kinds == {lost: ("resend", 2, None), **{cid: ("retry", 2, None) for cid in others}}
    assert all(x["occasions"] == ["birthday"] for x in planned["letters"])
    assert (
        "3 greeting(s) due at 2027-04-14T11:10:00+03:00 (2 retry(ies), 1 resend(s) among them);"
        in text.stdout
    )
    lines = text.stdout.splitlines()
    assert sum(line.startswith("retry ") for line in lines) == 2
    assert sum(line.startswith("resend ") and f"  {lost}  " in line for line in lines) == 1


def test_dry_run_claims_nothing(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        result = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert result.returncode == 0 and "3 greeting(s) due" in result.stdout
        assert result.stdout.count("due  ") == 3
        assert sink.messages == []
    nothing = greeter(config, "history", "--format", "json")  # not even a journal was made
    assert nothing.returncode == 2 and nothing.stdout == "" and "no journal at " in nothing.stderr


def test_a_dry_run_holds_what_the_review_gate_holds_and_creates_no_journal(make_project: MakeProject) -> None:
    """The dry run listed a draft edited after approval as "due", while the real send held it;
    and it created the journal file of a project that had none."""
    with SmtpSink() as sink:
        config = make_project(people(3), review="required", **smtp(sink.port))
        journal = config.parent / "data" / "journal.sqlite3"
        first = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert first.returncode == 0, first.stderr
        assert first.stdout.count("held  ") == 3 and "(awaiting_approval)" in first.stdout
        assert "0 would go, 3 would be held (awaiting_approval 3)" in first.stdout
        assert not journal.exists()
        approved = greeter(config, "approve", "--all", "--from", "2027-04-13", "--days", "2", "--now", NOW)
        assert approved.returncode == 0 and "approved 3 draft(s)" in approved.stdout, approved.stderr
        # the CRM corrects one client's name: that letter's words change, the others' do not
        csv = config.parent / "data" / "contacts.csv"
        csv.write_text(
            csv.read_text(encoding="utf-8-sig").replace(";Иван;", ";Пётр;", 1), encoding="utf-8-sig"
        )
        dry = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert dry.returncode == 0, dry.stderr
        held = [line for line in dry.stdout.splitlines() if line.startswith("held")]
        assert len(held) == 1 and "(changed_since_approval)" in held[0]
        assert dry.stdout.count("due   ") == 2
        assert "2 would go, 1 would be held (changed_since_approval 1)" in dry.stdout
        table = greeter(config, "preview", "--from", "2027-04-13", "--days", "2", "--now", NOW).stdout
        assert table.count("(approved)") == 2 and table.count("(changed since approval)") == 1
        assert sink.messages == []
        real = greeter(config, "send", "--once", "--json", "--now", NOW)
        summary = json.loads(real.stdout)
        assert (summary["sent"], summary["skipped"]) == (2, {"changed_since_approval": 1})


def test_a_dry_run_in_json_is_one_json_document_listing_each_letter(make_project: MakeProject) -> None:
    """``send --once --dry-run --json`` printed the ``due``/``held`` lines before the JSON on stdout,
    so a script reading it failed on its first character."""
    with SmtpSink() as sink:
        config = make_project(people(2), review="required", **smtp(sink.port))
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
        assert dry.returncode == 0, dry.stderr
        summary = json.loads(dry.stdout)
        assert sink.messages == []
    assert summary["dry_run"] is True and summary["due"] == 2
    letters = sorted(summary["letters"], key=lambda x: x["contact_id"])
    assert [(x["contact_id"], x["email"], x["occasions"], x["held"]) for x in letters] == [
        ("1", "client1@example.com", ["birthday"], "awaiting_approval"),
        ("2", "client2@example.com", ["birthday"], "awaiting_approval"),
    ]
    assert all(datetime.fromisoformat(x["send_at"]) <= datetime.fromisoformat(NOW) for x in letters)


def test_an_approval_does_not_follow_the_letter_to_a_new_address_or_sender(make_project: MakeProject) -> None:
    """The approval fingerprinted only the words: a client whose e-mail the CRM changed after
    approval was sent the approved letter at the new address nobody had reviewed. It now covers
    To (address and name), From and Reply-To as well."""
    window = ("--from", "2027-04-13", "--days", "2", "--now", NOW)
    with SmtpSink() as sink:
        config = make_project(people(3), review="required", **smtp(sink.port))
        approved = greeter(config, "approve", "--all", *window)
        assert approved.returncode == 0 and "approved 3 draft(s)" in approved.stdout, approved.stderr
        # the CRM's next export has another address for client 2; the letter's words are the same
        moved = [row.replace("client2@example.com", "someone.else@example.org") for row in people(3)]
        config = make_project(moved, review="required", **smtp(sink.port))
        dry = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        held = [line for line in dry.stdout.splitlines() if line.startswith("held")]
        assert len(held) == 1 and "someone.else@example.org" in held[0], dry.stdout
        assert "(changed_since_approval)" in held[0]
        # a new Reply-To in the config: every letter tells its reader to answer someone else
        sender = {"sender": {"reply_to": "sales@romashka.example"}}
        config = make_project(moved, review="required", **sender, **smtp(sink.port))
        dry = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert "0 would go, 3 would be held (changed_since_approval 3)" in dry.stdout, dry.stdout
        real = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(real.stdout)["sent"] == 0 and sink.messages == []
        # approved as they are now, they go: to the address and with the Reply-To the reviewer saw
        again = greeter(config, "approve", "--all", *window)
        assert "approved 3 draft(s)" in again.stdout, again.stderr
        sent = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(sent.stdout)["sent"] == 3, sent.stdout + sent.stderr
        assert sorted(m.rcpt_tos[0] for m in sink.messages) == [
            "client1@example.com",
            "client3@example.com",
            "someone.else@example.org",
        ]
        assert {m.parsed()["Reply-To"] for m in sink.messages} == {"sales@romashka.example"}


def test_approvals_recorded_before_the_upgrade_hold_their_letters_and_say_approve_again(
    make_project: MakeProject,
) -> None:
    """A journal approved by an older greeter holds fingerprints of the words alone. Taken as they
    were, they would approve a letter whose address changed since; they must hold the letter, say
    why and what to do, and never crash."""
    window = ("--from", "2027-04-13", "--days", "2", "--now", NOW)
    with SmtpSink() as sink:
        config = make_project(people(2), review="required", **smtp(sink.port))
        listed = greeter(config, "preview", *window, "--format", "json", "--no-skipped")
        assert listed.returncode == 0, listed.stderr
        # exactly what `greeter approve` of the previous version stored: SHA-256 of subject, text, HTML
        old = []
        for draft in json.loads(listed.stdout):
            words = hashlib.sha256()
            for part in (draft["subject"], draft["text"], draft["html"] or ""):
                words.update(part.encode("utf-8") + b"\0")
            key = (draft["contact_id"], draft["occasion"], date.fromisoformat(draft["occasion_date"]))
            old.append((key, words.hexdigest()))
        url = f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}"
        with Journal.open(url, now=_aware(NOW)) as journal:
            assert journal.approve(old, "olga", _aware(NOW)) == 2
        after = greeter(config, "preview", *window, "--format", "json", "--no-skipped")
        assert {d["approval"] for d in json.loads(after.stdout)} == {"approval_outdated"}
        table = greeter(config, "preview", *window)
        assert table.returncode == 0 and "approval_outdated: 2" in table.stdout, table.stderr
        assert "approve them again" in " ".join(table.stdout.split())
        real = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert real.returncode == 0 and "Traceback" not in real.stderr, real.stderr
        assert json.loads(real.stdout)["skipped"] == {"approval_outdated": 2}
        assert "held ×2: approved with an older greeter" in real.stderr
        assert sink.messages == []
        again = greeter(config, "approve", "--all", *window)
        assert "approved 2 draft(s)" in again.stdout, again.stderr
        sent = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(sent.stdout)["sent"] == 2 and len(sink.messages) == 2


def test_a_client_renumbered_by_the_crm_is_not_sent_the_same_letter_again(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(
            [contact_row("7001", "u1@example.com", birthday="13.04.1980")], **smtp(sink.port)
        )
        first = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(first.stdout)["sent"] == 1, first.stderr
        csv = config.parent / "data" / "contacts.csv"
        csv.write_text(
            csv.read_text(encoding="utf-8-sig").replace("\n7001;", "\n9001;"), encoding="utf-8-sig"
        )
        again = greeter(config, "send", "--once", "--json", "--now", LATER)
        assert json.loads(again.stdout)["sent"] == 0, again.stdout
        assert len(sink.messages) == 1
    preview = greeter(
        config, "preview", "--format", "json", "--from", "2027-04-13", "--days", "2", "--now", LATER
    )
    [item] = [i for i in json.loads(preview.stdout) if i["occasion"] == "birthday"]
    # shown as the letter that left, to the address it went to under the old id
    assert (item["contact_id"], item["status"], item["detail"]) == (
        "9001", "sent", "sent to u1@example.com under contact id 7001: was the CRM renumbered?",
    )  # fmt: skip


def paced_by_a_fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """``send --once``'s two clocks — the rate limiter's and the letters' moments (``--now`` advancing)
    — made one :class:`FakeClock` that moves only when the limiter waits.

    WHY: on the real clock a loaded machine's start-up and hand-overs moved ``--now`` by seconds
    of their own (a batch planned at 12:59:58 reaching its first claim after 13:00 sent none), so a
    test about where pacing puts each letter counted what the machine's speed allowed.
    """
    clock = FakeClock(start=1_000.0)
    monkeypatch.setattr(send_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(delivery_module, "Clock", partial(Clock, monotonic=clock.monotonic))
    return clock


def test_a_batch_that_runs_into_lunch_leaves_the_rest_for_the_afternoon(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window was checked once, when the batch was planned: under a rate limit the letters
    after 13:00 still went out, at lunch. Each is now checked right before it is claimed."""
    clock = paced_by_a_fake_clock(monkeypatch)
    with SmtpSink() as sink:
        settings = smtp(sink.port, pool_size=1)  # one letter in flight: the pace alone places each
        settings["delivery"]["rate_limit"] = {"per_second": 1}
        config = make_project(people(5), **settings)
        # 12:59:58 on Wednesday, one letter a second (each a millisecond past the second before it
        # left: ratelimit.WINDOW_MARGIN): 12:59:58, 12:59:59.001 go; 13:00:00.002 is lunch.
        first = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T12:59:58+03:00")
        summary = json.loads(first.stdout)
        assert (summary["sent"], summary["skipped"].get("window_closed", 0)) == (2, 3), summary
        assert clock.sleeps[:2] == pytest.approx([1.001, 1.001]), "paced, not a burst"
        assert len(sink.messages) == 2
        assert {r["state"] for r in history(config)} == {"sent"}  # the held ones are not journaled
        at_lunch = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T13:30:00+03:00")
        assert json.loads(at_lunch.stdout)["due"] == 0
        after = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T14:00:00+03:00")
        assert json.loads(after.stdout)["sent"] == 3
        assert len({m.parsed()["Message-ID"] for m in sink.messages}) == len(sink.messages) == 5


def test_each_letter_is_dated_and_journaled_when_it_leaves_not_when_the_batch_began(
    make_project: MakeProject,
) -> None:
    """Every letter of a batch carried the batch's start as its Date header and its ``sent_at``:
    under a rate limit of one a minute, the 120th letter claimed to have left two hours early."""
    with SmtpSink() as sink:
        settings = smtp(sink.port)
        settings["delivery"]["rate_limit"] = {"per_second": 1}
        config = make_project(people(3), **settings)
        result = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(result.stdout)["sent"] == 3, result.stderr
        dates = sorted(parsedate_to_datetime(m.parsed()["Date"]) for m in sink.messages)
    began = datetime.fromisoformat(NOW)
    # One a second: the three leave 2 s apart, the batch's start would give 0. The bound leaves a
    # loaded machine a second of delay in the first letter's reply (1.5 s failed by 4 ms there).
    assert dates[0] >= began and dates[-1] - dates[0] >= timedelta(seconds=1), dates
    sent = sorted(datetime.fromisoformat(r["sent_at"]) for r in history(config))
    assert sent[0] >= began and sent[-1] - sent[0] >= timedelta(seconds=1), sent
    assert all(s < began + timedelta(minutes=1) for s in sent)  # ``--now`` still rules the run


def test_json_summary(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        sink.reject("client1@example.com", 451)
        result = greeter(config, "send", "--once", "--json", "--now", NOW)
    summary = json.loads(result.stdout)
    assert (summary["due"], summary["sent"], summary["retry"], summary["failed"]) == (3, 2, 1, 0)
    ((reply),) = summary["replies"]
    assert (reply["state"], reply["count"]) == ("retry", 1) and reply["reply"].startswith("451 ")


def test_a_letter_that_fails_to_render_holds_back_what_is_merged_into_it(make_project: MakeProject) -> None:
    """A 7 January birthday greeted on 30 December carries New Year; a typo in birthday.j2 fails both.

    Before: preview said New Year was "merged, sent with birthday" and send
    said nothing of it — the client got no letter at all. Now both say New
    Year fails with the letter, and nothing of it is journaled (as for the
    letter itself), so the first run after the fix sends the letter with it.
    File transport and the SQLite journal in tmp_path.
    """
    config = make_project([contact_row("1", "ivan@example.com", birthday="07.01.1960")])
    template = config.parent / "templates" / "birthday.j2"
    good = template.read_text(encoding="utf-8")
    template.write_text(
        good.replace("Желаем Вам крепкого", "{{ brokn }} Желаем Вам крепкого"), encoding="utf-8"
    )
    outbox = config.parent / "data" / "outbox"

    preview = greeter(config, "preview", "--format", "json", "--from", "2026-12-28", "--days", "14",
                      "--now", "2026-12-28T09:00:00+03:00")  # fmt: skip
    assert preview.returncode == 1, preview.stderr
    drafts = {d["occasion"]: d for d in json.loads(preview.stdout)}
    assert (drafts["birthday"]["reason"], drafts["birthday"]["merged_with"]) == ("render_error", ["new_year"])
    new_year = drafts["new_year"]
    assert (new_year["status"], new_year["reason"], new_year["merged_with"]) == (
        "skip",
        "render_error",
        ["birthday"],
    )
    assert new_year["detail"].startswith("merged into birthday, whose letter failed to render: birthday.j2:")
    assert "'brokn' is undefined" in new_year["detail"]

    broken = greeter(config, "send", "--once", "--json", "--now", "2026-12-30T12:30:00+03:00")
    assert broken.returncode == 1, broken.stderr
    summary = json.loads(broken.stdout)
    assert (summary["sent"], summary["render_error"], summary["skipped"]) == (0, 1, {"render_error": 1})
    lines = broken.stderr.splitlines()
    assert any(line.startswith("1 birthday: birthday.j2:") for line in lines), broken.stderr
    assert any(
        line.startswith("1 new_year: merged into birthday, whose letter failed to render: birthday.j2:")
        for line in lines
    ), broken.stderr
    assert history(config) == []  # neither is "merged into birthday" nor anything else: nothing went out
    assert not outbox.exists() or list(outbox.iterdir()) == []

    template.write_text(good, encoding="utf-8")
    fixed = greeter(config, "send", "--once", "--now", "2026-12-30T12:40:00+03:00")
    assert fixed.returncode == 0, fixed.stderr
    assert "sent: 1;" in fixed.stdout
    rows = {row["occasion"]: row for row in history(config)}
    assert (rows["birthday"]["state"], rows["birthday"]["merged"]) == ("sent", ["new_year"])
    assert (rows["new_year"]["state"], rows["new_year"]["reason"]) == ("skipped", "merged into birthday")
    (eml,) = outbox.iterdir()
    letter = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    body = letter.get_body(("plain",))
    assert body is not None and "Новым годом" in body.get_content()


def test_the_summary_says_the_occasions_merged_into_a_failed_letter_are_its_own(
    make_project: MakeProject,
) -> None:
    """``1 would be held (render_error 1, render_error 2)`` and ``render_error: 1; skipped: render_error 2``
    read as three failures of two kinds; the 2 were the occasions merged into the one failed letter.
    A 7 January birthday greeted on 30 December carries New Year; a typo in birthday.j2 fails both."""
    config = make_project([contact_row("1", "ivan@example.com", birthday="07.01.1960")])
    template = config.parent / "templates" / "birthday.j2"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("Желаем Вам крепкого", "{{ brokn }} Желаем Вам"), encoding="utf-8")
    at = ("--now", "2026-12-30T12:30:00+03:00")

    dry = greeter(config, "send", "--once", "--dry-run", *at)
    assert dry.returncode == 1, dry.stderr
    assert "; 0 would go, 1 would be held (render_error 1, and 1 occasion merged into it);" in dry.stdout
    dry_json = json.loads(greeter(config, "send", "--once", "--dry-run", "--json", *at).stdout)
    assert (dry_json["render_error"], dry_json["render_error_merged"]) == (1, 1)

    sent = greeter(config, "send", "--once", *at)
    assert sent.returncode == 1, sent.stderr
    assert "; render_error: 1 (and 1 occasion merged into it)" in sent.stdout, sent.stdout
    assert "skipped: render_error" not in sent.stdout
    summary = json.loads(greeter(config, "send", "--once", "--json", *at).stdout)
    # the keys scripts read stay; the new one says what skipped.render_error counts
    assert (summary["render_error"], summary["skipped"], summary["render_error_merged"]) == (
        1, {"render_error": 1}, 1,
    )  # fmt: skip


def test_header_injection_in_a_name_never_reaches_the_wire(make_project: MakeProject) -> None:
    hostile = contact_row("1", "a@example.com", first='"Иван\r\nBcc: x@evil.example"', birthday="13.04.1980")
    rows = [hostile, contact_row("2", "b@example.com", birthday="13.04.1980")]
    with SmtpSink() as sink:
        config = make_project(rows, **smtp(sink.port))
        result = greeter(config, "send", "--once", "--now", NOW)
        assert result.returncode == 1  # a rejected row
        assert "row 2: Имя: contains a line break" in result.stderr
        assert len(sink.messages) == 1
        msg = sink.messages[0]
        assert msg.rcpt_tos == ("b@example.com",) and b"evil" not in msg.data
        assert msg.parsed()["Bcc"] is None


def test_two_senders_at_once_never_send_twice(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        sink.delay(0.01)
        config = make_project(people(40), **smtp(sink.port))
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        cmd = [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW]
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
        codes = [p.returncode for p in procs]
        refused = [err for (_, err), code in zip(outputs, codes, strict=True) if code == 75]
        assert all("another greeter is already sending" in err for err in refused), refused
        ids = sink.message_ids()
        assert len(ids) == len(set(ids))
        if len(refused) == 1:
            assert len(ids) == 40
        else:  # both ran one after the other: the second found nothing due
            assert codes == [0, 0] and len(ids) == 40


def test_kill_9_mid_batch_loses_nothing_and_duplicates_nothing(make_project: MakeProject) -> None:
    n = 2000
    with SmtpSink() as sink:
        sink.delay(0.002)
        config = make_project(people(n), **smtp(sink.port, pool_size=4))
        proc = send_in_background(config, sink, until_received=300)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        received_before = len(sink.messages)
        assert 0 < received_before < n
        rerun = greeter(config, "send", "--once", "--now", LATER, timeout=300)
        assert rerun.returncode in (0, 1), rerun.stderr
        ids = sink.message_ids()
        assert len(ids) == len(set(ids)), "a greeting was delivered twice"
    states = [r["state"] for r in history(config)]
    uncertain = states.count("uncertain")
    assert states.count("sent") + uncertain == n
    assert uncertain <= 4  # at most the pool's in-flight messages
    assert len(ids) >= n - uncertain


def send_in_background(config: Path, sink: SmtpSink, *, until_received: int) -> subprocess.Popen[bytes]:
    """Start ``greeter send --once`` and return once the sink has ``until_received`` letters (or it ended)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    cmd = [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while len(sink.messages) < until_received and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    return proc


def _aware(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def _no_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GREETER_CONFIG", raising=False)


def test_check_connects_and_logs_in_to_the_mail_server(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`greeter check` tries the mail server as a send would: reachable, login, password present."""
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        changes = smtp(sink.port)
        changes["delivery"]["smtp"].update({"username": "greeter", "password_env": "GREETER_TEST_SMTP_PW"})
        config = make_project(people(1), **changes)
        missing = greeter(config, "check")
        assert missing.returncode == 2  # a configuration error, as send and run exit for it
        assert "environment variable GREETER_TEST_SMTP_PW is not set" in missing.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: not tried" in missing.stdout
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret")
        good = greeter(config, "check")
        assert good.returncode == 0, good.stdout + good.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: OK (no TLS, logged in as greeter)" in good.stdout
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "wrong-pw-1")
        refused = greeter(config, "check")
        # an error in words, not "cannot connect: (535, '5.7.8 …')" and a warning under "check: OK"
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: login refused: 535 " in refused.stdout
        assert "username 'greeter'" in refused.stdout and "check: 1 problem(s)" in refused.stdout
        assert "delivery.smtp: login refused: 535 " in refused.stderr
        [line] = [line for line in refused.stderr.splitlines() if " delivery.smtp: " in line]
        assert "GREETER_TEST_SMTP_PW" in line and "warning" not in line, line
        assert "(535," not in refused.stdout + refused.stderr
        assert "wrong-pw-1" not in refused.stdout + refused.stderr
        assert sink.messages == []  # a check never sends
    down = greeter(config, "check", "--json")  # the sink has stopped
    report = json.loads(down.stdout)
    assert down.returncode == 0 and report["smtp"]["ok"] is False
    assert "connection refused" in report["smtp"]["detail"]
    assert greeter(config, "check", "--strict").returncode == 1


def login(port: int, **changes: Any) -> dict[str, Any]:
    """:func:`smtp` with AUTH as ``greeter``, the password in ``$GREETER_TEST_SMTP_PW``."""
    settings = smtp(port, **changes)
    settings["delivery"]["smtp"].update({"username": "greeter", "password_env": "GREETER_TEST_SMTP_PW"})
    return settings


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_password_variable_is_missing_not_a_password(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, empty: str
) -> None:
    """``GREETER_SMTP_PASSWORD=`` (an env file's placeholder) passed for set: the send logged in
    with no password and put every letter in retry; check said OK."""
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", empty)
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        config = make_project(people(2), **login(sink.port))
        sent = greeter(config, "send", "--once", "--now", NOW)
        checked = greeter(config, "check")
        assert sink.connections == 0  # neither the send nor the check tried to log in without one
    said = "SMTP password: environment variable GREETER_TEST_SMTP_PW is not set (it is empty)"
    assert sent.returncode == 2 and said in sent.stderr, sent.stdout + sent.stderr
    assert checked.returncode == 2 and said in checked.stderr, (
        checked.stdout + checked.stderr
    )  # as send: a secret not set
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # nothing was even claimed


def test_a_refused_login_stops_the_batch_leaves_its_letters_for_the_next_run_and_exits_2(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 535 was taken for a server that is down: every letter went to retry (burning attempts
    and backoff), and the run exited 0. Now the batch stops at the refusal, claims nothing, says
    so in words and exits 2 (a configuration error); the run after the fix sends every letter."""
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", "wrong-pw-2")
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        config = make_project(people(30), **login(sink.port, pool_size=2))
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)  # the process's exit
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert sink.connections <= 2  # one login per pooled connection, not one per letter
        assert history(config) == []  # nothing claimed: nothing waits for a retry's backoff
        text = greeter(config, "send", "--once", "--now", NOW)
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret")
        fixed = greeter(config, "send", "--once", "--json", "--now", LATER)
        assert len(sink.messages) == 30
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["uncertain"]) == (0, 0, 0)
    assert summary["login_refused"].startswith(
        f"SMTP AUTH as 'greeter' refused by 127.0.0.1:{sink.port}: 535 "
    )
    assert summary["login_mismatch"] is None
    said = f"SMTP AUTH as 'greeter' refused by 127.0.0.1:{sink.port}: 535 "
    assert said in refused.stderr and "the batch stopped there" in refused.stderr
    assert text.returncode == 2 and "login refused: 30 left unsent for the next run" in text.stdout, (
        text.stdout
    )
    for output in (refused.stdout, refused.stderr, text.stdout, text.stderr):
        assert "wrong-pw-2" not in output and "(535," not in output
    assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 30, fixed.stdout + fixed.stderr
    assert {r["state"] for r in history(config)} == {"sent"}


def test_a_server_that_demands_a_login_stops_the_batch_like_a_refused_one(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """530 5.7.0 "Authentication required" to MAIL FROM, with no delivery.smtp.username: every letter
    went to retry (and again at every run), exit 75, and check said OK. Now check names the setting,
    the batch stops at the first 530 — the letters already claimed then (one per pooled connection at
    most) are given back, not put in retry — and exits 2; the run after the fix sends all."""
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        config = make_project(people(30), **smtp(sink.port, pool_size=2))
        checked = greeter(config, "check")
        sink.reset()
        refused = greeter(config, "send", "--once", "--json", "--now", NOW)
        connections = sink.connections
        assert sink.messages == []
        states = Counter(r["state"] for r in history(config))
        again = greeter(config, "send", "--once", "--now", NOW)
        summary = json.loads(refused.stdout)
        said = (
            "the server requires a login (530 5.7.0 Authentication required) and greeter made none "
            "(no delivery.smtp.username): set delivery.smtp.username"
        )
        assert checked.returncode == 1 and said in checked.stderr, checked.stdout + checked.stderr
        [line] = [line for line in checked.stderr.splitlines() if " delivery.smtp: " in line]
        assert "warning" not in line and "send would stop at it" in line, line
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert (summary["sent"], summary["uncertain"], summary["failed"]) == (0, 0, 0)
        assert summary["retry"] == 0 and states == {}, "never at DATA: no attempt, no backoff"
        assert summary["login_refused"] is None, "no login was made, so none was refused"
        assert summary["login_mismatch"] == f"127.0.0.1:{sink.port}: {said} and the password's variable " + (
            "(delivery.smtp.password_env or password_file); if it offers AUTH only over TLS, also "
            "delivery.smtp.security: starttls"
        )
        assert said in refused.stderr and "the batch stopped there" in refused.stderr
        assert connections <= 2, "one connection per pooled slot, not one per letter"
        assert again.returncode == 2 and "uncertain: 0" in again.stdout and "failed: 0" in again.stdout
        assert re.search(
            r"retry: 0; .*login settings do not fit the server: 30 left unsent for the next run", again.stdout
        ), again.stdout
        assert "login refused" not in again.stdout + again.stderr
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret")
        make_project(people(30), **login(sink.port, pool_size=2))  # the operator sets the login
        fixed = greeter(config, "send", "--once", "--json", "--now", LATER)  # past the retries' backoff
        assert json.loads(fixed.stdout)["sent"] == 30, fixed.stdout + fixed.stderr
        assert len(sink.messages) == 30
    assert {r["state"] for r in history(config)} == {"sent"}


@pytest.mark.parametrize("offer", [None, "GSSAPI NTLM"], ids=["no-auth", "no-usable-mechanism"])
def test_a_username_for_a_server_offering_no_usable_auth_stops_the_batch_and_check_says_why(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, offer: str | None
) -> None:
    """delivery.smtp.username set, the server's EHLO offers no AUTH (or none greeter speaks): every
    letter went to retry as "cannot connect", exit 75; check warned of a network problem."""
    monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret")
    with SmtpSink(users={"greeter": "s3cret"} if offer else None, auth_offer=offer) as sink:
        config = make_project(people(20), **login(sink.port, pool_size=2))
        checked = greeter(config, "check", "--json")
        refused = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert sink.messages == [] and sink.connections <= 3  # check's one, then one per pooled slot
    report, summary = json.loads(checked.stdout), json.loads(refused.stdout)
    said = "delivery.smtp.username is set but the server offers no AUTH"
    assert checked.returncode == 1 and report["smtp"]["ok"] is False and said in report["smtp"]["detail"]
    [problem] = [p for p in report["problems"] if "delivery.smtp:" in p]
    assert "warning" not in problem and said in problem and "send would stop at it" in problem, problem
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert (summary["sent"], summary["retry"], summary["uncertain"], summary["failed"]) == (0, 0, 0, 0)
    assert said in summary["login_mismatch"] and "cannot connect" not in summary["login_mismatch"]
    assert summary["login_refused"] is None
    assert history(config) == []  # nothing claimed: the run after the fix sends every letter at once


def test_an_outbox_that_cannot_be_written_is_a_check_error_and_send_exits_75(
    make_project: MakeProject,
) -> None:
    """The file transport's outbox under a regular file (as unwritable for root as for anyone):
    check said OK, then every letter went to retry and send exited 0 (check: an error now)."""
    config = make_project(people(2), delivery={"outbox": "data/blocker/outbox"})
    (config.parent / "data" / "blocker").write_text("not a folder\n", encoding="utf-8")
    checked = greeter(config, "check")
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert checked.returncode == 1 and "check: 1 problem(s)" in checked.stdout, (
        checked.stdout + checked.stderr
    )
    outbox = config.parent / "data" / "blocker" / "outbox"
    assert f"outbox: {outbox}: cannot write to outbox {outbox}: [Errno 20] Not a directory" in checked.stdout
    assert "delivery.outbox: cannot write to outbox" in checked.stderr
    assert "every letter would go to retry" in checked.stderr
    assert sent.returncode == 75, sent.stdout + sent.stderr
    assert "retry: 2" in sent.stdout and "retry ×2: cannot write to outbox" in sent.stderr


@pytest.mark.parametrize(
    ("security", "said"),
    [
        ("tls", "the server does not speak TLS on this port"),
        ("starttls", "the server does not offer STARTTLS (its EHLO lists none)"),
    ],
)
def test_a_tls_setting_the_server_does_not_speak_is_a_check_error_and_stops_the_batch(
    make_project: MakeProject, security: str, said: str
) -> None:
    """A plain server with security tls or starttls: check printed "cannot connect: …" and ended
    "check: OK"; send --once put every letter in retry (exit 75) until they expired."""
    with SmtpSink() as sink:
        settings = smtp(sink.port)
        settings["delivery"]["smtp"]["security"] = security
        config = make_project(people(6), **settings)
        checked = greeter(config, "check")
        refused = greeter(config, "send", "--once", "--json", "--now", NOW)
        text = greeter(config, "send", "--once", "--now", NOW)
        assert sink.messages == []
    fix = "set delivery.smtp.security: none"
    assert checked.returncode == 1 and "check: OK" not in checked.stdout, checked.stdout + checked.stderr
    assert f"mail server: 127.0.0.1:{sink.port}: {said}" in checked.stdout, checked.stdout
    [line] = [
        line for line in checked.stderr.splitlines() if "delivery.smtp.security" in line and fix in line
    ]
    assert "warning" not in line and "send would stop at it" in line, line
    for output in (checked.stdout, checked.stderr, refused.stderr, text.stdout, text.stderr):
        assert "cannot connect" not in output, output
    summary = json.loads(refused.stdout)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert (summary["sent"], summary["retry"], summary["uncertain"], summary["failed"]) == (0, 0, 0, 0)
    assert said in summary["security_mismatch"] and fix in summary["security_mismatch"]
    assert summary["login_refused"] is None and summary["login_mismatch"] is None
    assert "the batch stopped there" in refused.stderr and history(config) == []  # nothing claimed
    assert text.returncode == 2, text.stdout
    assert "security setting does not fit the server: 6 left unsent" in text.stdout, text.stdout


def test_a_rehearsed_resend_is_listed_and_recorded_at_the_rehearsal_clock(make_project: MakeProject) -> None:
    """``send --dry-run --now T`` listed an operator's resend at the wall-clock moment the
    operator decided (outside any window) rather than at T, when the send hands it over; and
    ``uncertain`` had no ``--now``, so its decisions were the one wall-clock time in a
    rehearsal's journal (and a resend decided "after" T was not even due at T)."""
    decided = "2027-04-14T11:07:00+03:00"
    later = "2027-04-14T11:10:00+03:00"
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port, pool_size=1))
        sink.drop_next(1)  # swallowed after DATA: uncertain
        first = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert json.loads(first.stdout)["uncertain"] == 1, first.stdout + first.stderr
        resend = greeter(config, "uncertain", "resend", "--contact", "1", "--now", decided)
        assert resend.returncode == 0, resend.stderr
        [row] = history(config)
        assert datetime.fromisoformat(row["updated_at"]) == datetime.fromisoformat(decided)
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", later)
        text = greeter(config, "send", "--once", "--dry-run", "--now", later)
    [letter] = json.loads(dry.stdout)["letters"]
    assert (letter["kind"], datetime.fromisoformat(letter["send_at"])) == (
        "resend",
        datetime.fromisoformat(later),
    )
    [line] = [line for line in text.stdout.splitlines() if line.startswith("resend")]
    assert "2027-04-14 11:10 MSK  1  " in line, text.stdout


def test_one_outage_is_one_line_with_the_letters_tried_and_not(make_project: MakeProject) -> None:
    """A server refusing connections read as two problems with the same count: ``retry ×2:
    cannot connect to …`` and ``retry ×4: not attempted: cannot connect to …`` — one outage, and
    the letters the breaker held back are part of it."""
    with SmtpSink() as sink:
        port = sink.port
    config = make_project(people(6), **smtp(port, pool_size=2))  # nothing listens there
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.returncode == 75, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("retry ×")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"retry ×6: cannot connect to 127.0.0.1:{port}: connection refused"), lines
    assert lines[0].endswith("(2 tried, 4 not attempted after that)"), lines
    assert "not attempted:" not in result.stderr


def test_one_reply_quoting_each_recipient_is_one_reason_in_the_summary(make_project: MakeProject) -> None:
    """Postfix quotes the recipient (``451 4.2.0 <client04@example.com>: greylisted``): ten letters
    printed ten "retry ×1" lines, cut at five with "… and 5 other replies", where README promises
    one line per reason (``retry ×18: …``). The address is hidden in the reason; history keeps it."""
    with SmtpSink() as sink:
        for n in range(1, 4):
            sink.reject(f"client{n}@example.com", 451, f"4.2.0 <client{n}@example.com>: greylisted")
        config = make_project(people(3), **smtp(sink.port))
        result = greeter(config, "send", "--once", "--now", NOW)
    assert result.returncode == 75, result.stdout + result.stderr
    # The example's made-up sender, said before the run; a new journal's first run names its belated letters.
    placeholders, retry, first_run = result.stderr.splitlines()
    assert placeholders.startswith("warning: letters go out by SMTP with the example config's placeholders")
    assert retry == "retry ×3: 451 4.2.0 <***@example.com>: greylisted", result.stderr
    assert first_run.startswith("first run on a new journal: 3 belated greeting(s)"), result.stderr
    replies = {r["contact_id"]: r["last_reply"] for r in history(config)}
    assert replies["1"] == "451 4.2.0 <client1@example.com>: greylisted"
