"""``greeter send --once`` end to end: real CLI processes, a real SMTP server, a real SQLite journal.

Birthdays are on 13 April 2027 and the clock (``--now``) is Wednesday 14 April
11:00 Moscow time: every greeting is a one-day-late catch-up, due at once.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from greeter.journal import Journal
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"
LATER = "2027-04-14T11:05:00+03:00"


def greeter(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
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
        first = greeter(config, "send", "--once", "--now", NOW)
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


def test_unreachable_server_means_retry_and_a_clear_message(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        port = sink.port
    config = make_project(people(2), **smtp(port))  # the sink is stopped: nothing listens there
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.returncode == 0 or result.returncode == 1
    assert "retry: 2" in result.stdout
    assert "Traceback" not in result.stderr
    # why, once for all the letters it held back
    assert f"retry ×2: cannot connect to 127.0.0.1:{port}: connection refused" in result.stderr
    assert {r["state"] for r in history(config)} == {"retry"}


def test_dry_run_claims_nothing(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        result = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert result.returncode == 0 and "3 greeting(s) due" in result.stdout
        assert result.stdout.count("due  ") == 3
        assert sink.messages == []
    assert history(config) == []


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
        "9001", "sent", "sent to u1@example.com as contact 7001",
    )  # fmt: skip


def test_a_batch_that_runs_into_lunch_leaves_the_rest_for_the_afternoon(make_project: MakeProject) -> None:
    """The window was checked once, when the batch was planned: under a rate limit the letters
    after 13:00 still went out, at lunch. Each is now checked right before it is claimed."""
    with SmtpSink() as sink:
        settings = smtp(sink.port)
        settings["delivery"]["rate_limit"] = {"per_second": 1}
        config = make_project(people(5), **settings)
        # 12:59:58 on Wednesday: one letter a second, so the 4th and 5th reach 13:00 (lunch) at the latest
        first = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T12:59:58+03:00")
        summary = json.loads(first.stdout)
        held = summary["skipped"].get("window_closed", 0)
        assert summary["sent"] >= 1 and held >= 2 and summary["sent"] + held == 5, summary
        assert len(sink.messages) == summary["sent"]
        assert {r["state"] for r in history(config)} == {"sent"}  # the held ones are not journaled
        at_lunch = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T13:30:00+03:00")
        assert json.loads(at_lunch.stdout)["due"] == 0
        after = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T14:00:00+03:00")
        assert json.loads(after.stdout)["sent"] == held
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
    assert dates[0] >= began and dates[-1] - dates[0] >= timedelta(seconds=1.5), dates
    sent = sorted(datetime.fromisoformat(r["sent_at"]) for r in history(config))
    assert sent[0] >= began and sent[-1] - sent[0] >= timedelta(seconds=1.5), sent
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
        assert missing.returncode == 1
        assert "environment variable GREETER_TEST_SMTP_PW is not set" in missing.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: not tried" in missing.stdout
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret")
        good = greeter(config, "check")
        assert good.returncode == 0, good.stdout + good.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: OK (no TLS, logged in as greeter)" in good.stdout
        monkeypatch.setenv("GREETER_TEST_SMTP_PW", "wrong")
        refused = greeter(config, "check")
        assert (
            refused.returncode == 0
            and "535" in refused.stdout
            and "delivery.smtp: warning:" in refused.stderr
        )
        assert sink.messages == []  # a check never sends
    down = greeter(config, "check", "--json")  # the sink has stopped
    report = json.loads(down.stdout)
    assert down.returncode == 0 and report["smtp"]["ok"] is False
    assert "connection refused" in report["smtp"]["detail"]
    assert greeter(config, "check", "--strict").returncode == 1
