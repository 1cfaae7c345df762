"""``greeter failed resend``: a greeting the server refused for good, put back in line by an operator.

A ``failed`` greeting was final: after fixing what made the server refuse it
(a template its spam filter disliked, the sender, a DKIM key) an operator had
no way to send it but deleting journal rows by hand, losing its history. Now
it goes back to ``retry`` without a stored letter (reason ``requeued``): the
next plan writes it afresh and claims its row, within its catch-up period.
The journal tests run on SQLite and PostgreSQL; the rest through real CLI
processes, a real SMTP server and a real SQLite journal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.journal_store import REQUEUED, JournalEntry, JournalStore, is_requeued
from greeter.journal_transitions import merged_reason, merged_rows
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, history, people, smtp

#: Five minutes after the first send (tests/test_send_e2e.py: birthdays on 13 April 2027).
LATER = "2027-04-14T11:05:00+03:00"
SPAM = "5.7.1 Message rejected: it looks like spam"

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
BIRTHDAY = ("c-1", "birthday", date(2027, 1, 2))
NEW_YEAR = ("c-1", "new_year", date(2026, 12, 29))


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "data" / "journal.sqlite3", now=T0) as journal:
        yield journal


def _fail_with_rider(journal: JournalStore) -> None:
    """The 2 January birthday's letter, carrying New Year, refused for good."""
    assert journal.claim(
        BIRTHDAY, email="ivan@example.com", message_id="<b@shop.example>", planned_at=T0, now=T0,
        merged=("new_year",),
    )  # fmt: skip
    journal.mark_skipped(NEW_YEAR, merged_reason("birthday"), T0, email="ivan@example.com")
    journal.mark_failed(BIRTHDAY, f"554 {SPAM}", T0)


def test_a_requeued_greeting_is_due_now_keeps_the_refusal_and_gives_back_its_riders(
    journal: JournalStore,
) -> None:
    _fail_with_rider(journal)
    assert {p.occasion for p in journal.greeted_dates(date(2026, 1, 1), states=("failed", "skipped"))} == {
        "birthday",
        "new_year",
    }
    later = T0 + timedelta(hours=1)
    (failed,) = journal.history(state="failed")
    riders = merged_rows(failed, journal.history(contact_id="c-1", state="skipped"))
    assert riders == [NEW_YEAR]
    journal.requeue(BIRTHDAY, later, merged=riders)
    (row,) = journal.history()  # the rider's row is gone: the new letter carries it again
    assert (row.key, row.state, row.reason, row.last_reply) == (BIRTHDAY, "retry", REQUEUED, f"554 {SPAM}")
    assert is_requeued(row) and row.next_attempt_at == later
    assert journal.payload(BIRTHDAY) is None
    # Not "already greeted", not counted against the cap: the planner plans it afresh.
    assert list(journal.greeted_dates(date(2026, 1, 1), states=("retry", "failed", "skipped"))) == []
    # Its row is claimed as a due retry's, with the letter written now.
    assert journal.claim(
        BIRTHDAY, email="ivan@example.com", message_id="<b@shop.example>", planned_at=later, now=later,
        payload=b"new letter",
    )  # fmt: skip
    (row,) = journal.history()
    assert (row.state, row.attempts, row.reason) == ("claimed", 2, None)


def test_only_a_failed_greeting_can_be_requeued(journal: JournalStore) -> None:
    assert journal.claim(BIRTHDAY, email="a@example.com", message_id="<b@x>", planned_at=T0, now=T0)
    journal.mark_sent(BIRTHDAY, "250 ok", T0)
    with pytest.raises(Exception, match="it is sent"):
        journal.requeue(BIRTHDAY, T0)


def _entry(occasion: str, day: date, state: str = "skipped", reason: str | None = None) -> JournalEntry:
    return JournalEntry(
        "c-1", occasion, day, state, "a@example.com", None, 1, None, reason, None, None, None, (),
        None, T0, T0, None,
    )  # fmt: skip


def test_merged_rows_picks_each_riders_row_nearest_the_carrier() -> None:
    carrier = _entry("birthday", date(2027, 1, 2), "failed")
    carrier = JournalEntry(**{**{f: getattr(carrier, f) for f in carrier.__slots__}, "merged": ("new_year",)})
    into = merged_reason("birthday")
    rows = [
        _entry("new_year", date(2025, 12, 29), reason=into),  # last year's, in last year's letter
        _entry("new_year", date(2026, 12, 29), reason=into),
        _entry("womens_day", date(2027, 3, 8), reason=into),  # not named by the carrier
        _entry("new_year", date(2026, 12, 30), reason="frequency_cap: too soon"),
    ]
    assert merged_rows(carrier, rows) == [("c-1", "new_year", date(2026, 12, 29))]


def _refused_once(make_project: MakeProject, sink: SmtpSink) -> Path:
    config = make_project(people(2), **smtp(sink.port))
    sink.reject("client1@example.com", 554, SPAM)
    first = greeter(config, "send", "--once", "--now", NOW)
    assert "failed: 1" in first.stdout and "sent: 1" in first.stdout, first.stdout + first.stderr
    return config


def test_a_failed_greeting_put_back_is_written_afresh_and_sent_once(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = _refused_once(make_project, sink)
        asked = greeter(config, "failed", "resend", "--contact", "1", "--by", "ivan", "--now", LATER)
        assert asked.returncode == 0, asked.stderr
        assert asked.stdout == "resend: 1 birthday 2027-04-13\n"
        (row,) = history(config, "--contact", "1")
        # who put it back is kept (failed resend --by), and the row is still a requeued one
        assert (row["state"], row["reason"], row["last_reply"]) == (
            "retry",
            f"{REQUEUED} by ivan",
            f"554 {SPAM}",
        )
        table = greeter(config, "history", "--contact", "1").stdout
        assert "put back in line by ivan at 2027-04-14 08:05 UTC; the server had said: 554" in table
        sink.reset()  # the server takes it now
        sent = greeter(config, "send", "--once", "--now", LATER)
        assert "due 1;" in sent.stdout and "sent: 1" in sent.stdout, sent.stdout + sent.stderr
        assert [m.rcpt_tos for m in sink.messages] == [("client1@example.com",)]
        (row,) = history(config, "--contact", "1")
        assert (row["state"], row["attempts"]) == ("sent", 2)
        assert sink.message_ids() == [row["message_id"]]
        again = greeter(config, "send", "--once", "--now", "2027-04-14T11:10:00+03:00")
        assert "due 0" in again.stdout, again.stdout
        assert len(sink.messages) == 1


def test_one_past_its_catch_up_period_is_kept_failed_and_says_why(make_project: MakeProject) -> None:
    """Put back, it could only be recorded expired by the next send: the operator read "resend"
    and found it expired days later. It stays failed, the command says why and exits 1."""
    late = "2027-04-19T11:00:00+03:00"  # 13 April + catch_up_days 3 ended on the 17th
    with SmtpSink() as sink:
        config = _refused_once(make_project, sink)
        asked = greeter(config, "failed", "resend", "--all", "--now", late)
        assert asked.returncode == 1
        assert asked.stdout == (
            "kept failed: 1 birthday 2027-04-13: its catch-up period ended 2027-04-17 00:00 MSK"
            " (catch_up_days: 3), so the next send would only record it expired, never send it late\n"
        )
        assert "1 greeting(s) kept failed: see why above" in asked.stderr
        sink.reset()
        greeter(config, "send", "--once", "--now", late)
        assert sink.messages == []
    (row,) = history(config, "--contact", "1")
    assert (row["state"], row["last_reply"]) == ("failed", f"554 {SPAM}")


def test_one_whose_address_is_on_the_do_not_contact_list_is_kept_until_the_crm_corrects_it(
    make_project: MakeProject,
) -> None:
    """A 550 "no such user" put the address on the list: put back as it was, the letter never
    went and the row sat in ``retry`` until it expired. Kept failed, saying what to do; once the
    contacts source has the right address, the letter goes there."""
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        sink.reject("client1@example.com", 550)  # no such user: failed and suppressed
        assert "failed: 1" in greeter(config, "send", "--once", "--now", NOW).stdout
        kept = greeter(config, "failed", "resend", "--contact", "1", "--now", LATER)
        assert kept.returncode == 1
        assert kept.stdout.startswith(
            "kept failed: 1 birthday 2027-04-13: client1@example.com is on the do-not-contact list"
        )
        contacts = config.parent / "data" / "contacts.csv"
        text = contacts.read_text(encoding="utf-8-sig")
        contacts.write_text(text.replace("client1@example.com", "ivan@example.com"), encoding="utf-8-sig")
        moved = greeter(config, "failed", "resend", "--contact", "1", "--now", LATER)
        assert moved.returncode == 0, moved.stdout + moved.stderr
        assert moved.stdout == (
            "resend: 1 birthday 2027-04-13, to ivan@example.com: the client's address now"
            " (it failed to client1@example.com)\n"
        )
        sink.reset()
        assert "sent: 1" in greeter(config, "send", "--once", "--now", LATER).stdout
        assert [m.rcpt_tos for m in sink.messages] == [("ivan@example.com",)]


def test_nothing_to_put_back_exits_1_and_no_filter_is_a_usage_error(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = _refused_once(make_project, sink)
    none = greeter(config, "failed", "resend", "--contact", "2", "--now", LATER)  # contact 2 was sent
    assert none.returncode == 1
    assert "no failed greeting matches (see greeter history --state failed)" in none.stderr
    bare = greeter(config, "failed", "resend")
    assert bare.returncode == 2 and "--all" in bare.stderr
    assert [r["state"] for r in history(config, "--contact", "1")] == ["failed"]


def test_on_a_postgresql_journal_the_letter_put_back_is_claimed_by_a_shared_sender(
    make_project: MakeProject,
) -> None:
    """A shared journal decides each fresh letter's cap again on the journal's rows, holding the
    contact (Deliverer.claim_for_contact): the requeued row must read as this letter's own, not as
    a greeting already there."""
    with databases.pg_schema() as (url, _), SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port), storage={"url": url})
        sink.reject("client1@example.com", 554, SPAM)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert "failed: 1" in first.stdout, first.stdout + first.stderr
        assert greeter(config, "failed", "resend", "--all", "--now", LATER).returncode == 0
        sink.reset()
        sent = greeter(config, "send", "--once", "--now", LATER)
        assert "sent: 1" in sent.stdout, sent.stdout + sent.stderr
        assert [m.rcpt_tos for m in sink.messages] == [("client1@example.com",)]
        assert "due 0" in greeter(config, "send", "--once", "--now", "2027-04-14T11:10:00+03:00").stdout
        assert len(sink.messages) == 1


def test_an_uncertain_one_past_its_catch_up_period_is_kept_for_a_dismissal(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        sink.drop_next(1)  # handed over, then no reply: uncertain
        assert "uncertain: 1" in greeter(config, "send", "--once", "--now", NOW).stdout
        late = greeter(config, "uncertain", "resend", "--all", "--now", "2027-04-19T11:00:00+03:00")
        assert late.returncode == 1
        assert late.stdout.startswith("kept uncertain: 1 birthday 2027-04-13: its catch-up period ended")
        assert late.stdout.rstrip().endswith("never send it late; it can only be dismissed now")
        assert [r["state"] for r in history(config)] == ["uncertain"]
        dismissed = greeter(config, "uncertain", "dismiss", "--all", "--now", "2027-04-19T11:00:00+03:00")
        assert dismissed.returncode == 0 and dismissed.stdout == "dismiss: 1 birthday 2027-04-13\n"


def test_a_dry_run_counts_the_expiries_the_send_records(make_project: MakeProject) -> None:
    """A birthday missed in a downtime: the send records it expired and says so; its dry run used
    to count only the retries it would expire (an operator read "expired 0" and was surprised)."""
    config = make_project(people(1, day="01.04.1980"))
    assert greeter(config, "send", "--once", "--now", "2027-03-01T11:00:00+03:00").returncode == 0
    line = greeter(config, "send", "--once", "--dry-run", "--now", NOW).stdout
    # Not "1 retry(ies) past the catch-up deadline would expire": it was never tried.
    assert "; 1 would be recorded skipped, not sent (expired 1); nothing claimed or sent" in line, line
    dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
    real = greeter(config, "send", "--once", "--json", "--now", NOW)
    assert json.loads(dry.stdout)["skipped"] == json.loads(real.stdout)["skipped"] == {"expired": 1}
    assert [r["state"] for r in history(config)] == ["expired"]


def test_one_held_for_approval_until_it_expired_says_so_in_its_history(make_project: MakeProject) -> None:
    """``review: required`` and nobody approved it: "expired: more than 3 days ago" read as a
    downtime; the journal says it was still awaiting approval."""
    config = make_project(people(1), review="required")
    held = greeter(config, "send", "--once", "--now", NOW)
    assert "awaiting_approval" in held.stdout + held.stderr, held.stdout + held.stderr
    greeter(config, "send", "--once", "--now", "2027-04-19T11:00:00+03:00")
    (row,) = history(config)
    assert row["state"] == "expired"
    assert row["reason"].endswith("; it was still awaiting approval (review: required); never sent late"), row


def test_one_whose_contact_is_gone_from_the_source_is_kept(make_project: MakeProject) -> None:
    """No plan can write a letter for a contact the CRM export no longer has: put back, it sat in
    ``retry`` until it expired."""
    with SmtpSink() as sink:
        config = _refused_once(make_project, sink)
    contacts = config.parent / "data" / "contacts.csv"
    lines = contacts.read_text(encoding="utf-8-sig").splitlines()
    contacts.write_text(
        "\n".join(line for line in lines if not line.startswith("1;")) + "\n", encoding="utf-8-sig"
    )
    kept = greeter(config, "failed", "resend", "--all", "--now", LATER)
    assert kept.returncode == 1
    assert (
        kept.stdout == "kept failed: 1 birthday 2027-04-13: the contacts source has no contact 1 (any more)\n"
    )
    assert [r["state"] for r in history(config, "--contact", "1")] == ["failed"]
