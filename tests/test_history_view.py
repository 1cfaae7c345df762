"""``greeter history`` rows carry preview's machine word for a skip (``reason_code``), beside the sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.history_view import (
    COLUMNS,
    EXPIRED_WORDS,
    counts_as_found,
    entry_dict,
    read_history,
    reason_code,
    when,
    why,
)
from greeter.journal import Journal
from greeter.journal_store import JournalEntry
from tests.conftest import MakeProject
from tests.tables import table_rows

AT = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)


def entry(state: str, reason: str | None) -> JournalEntry:
    return JournalEntry(
        contact_id="1001", occasion="new_year", occasion_date=date(2026, 12, 29), state=state,
        email="ivan@example.com", message_id=None, attempts=0, last_reply=None, reason=reason,
        planned_at=None, send_day=None, next_attempt_at=None, merged=(), content_hash=None,
        created_at=AT, updated_at=AT, sent_at=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("state", "reason", "code"),
    [
        ("skipped", "merged into birthday", "merged"),
        (
            "skipped",
            "frequency_cap: only 13 days from the greeting of 2026-12-16 (min_gap_days 14)",
            "frequency_cap",
        ),
        ("expired", "expired", "expired"),
        ("skipped", "something an older greeter wrote", None),
        ("skipped", "dismissed", "dismissed"),  # an operator's decision on an uncertain one
        ("skipped", "suppressed: ivan@example.com is on the do-not-contact list", "suppressed"),
        ("sent", None, None),
        ("uncertain", "interrupted between claim and the server's reply", None),
    ],
)
def test_a_skip_reads_as_the_word_preview_uses(state: str, reason: str | None, code: str | None) -> None:
    assert reason_code(entry(state, reason)) == code
    row = entry_dict(entry(state, reason))
    words = f"expired: {EXPIRED_WORDS}" if state == "expired" else reason  # the word explained
    assert list(row) == list(COLUMNS) and row["reason_code"] == code and row["reason"] == words


def test_metrics_count_a_dead_senders_claims_as_uncertain_as_history_shows_them(tmp_path: Path) -> None:
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=AT) as journal:
        for n in (1, 2):
            key = (f"c{n}", "birthday", date(2026, 12, 29))
            assert journal.claim(
                key, email=f"c{n}@example.com", message_id=f"<m{n}@x>", planned_at=AT, now=AT
            )
        # No sender holds the journal: these claims were left by one that died.
        found = counts_as_found(journal)
        assert {k: t.greetings for k, t in found.items()} == {
            ("claimed", "birthday", ""): 0,
            ("uncertain", "birthday", ""): 2,
        }
        assert found["uncertain", "birthday", ""].oldest == AT, "the claims' first moment"
        assert {e.state for e in read_history(journal)} == {"uncertain"}
        journal.lock_sender()  # a live sender's claims are claimed
        assert {k: t.greetings for k, t in counts_as_found(journal).items()} == {
            ("claimed", "birthday", ""): 2
        }


def test_history_csv_and_json_carry_the_same_rows(capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import dataclasses
    import io
    import json

    from greeter.history_view import print_history

    sent = dataclasses.replace(entry("sent", None), occasion="birthday", merged=("new_year", "christmas"))
    print_history([sent, entry("skipped", "merged into birthday")], "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["merged"] for r in rows] == ["new_year;christmas", ""]
    assert [r["reason_code"] for r in rows] == ["", "merged"] and list(rows[0]) == list(COLUMNS)
    print_history([sent], "json")
    (row,) = json.loads(capsys.readouterr().out)
    assert row["merged"] == ["new_year", "christmas"] and row["occasion_date"] == "2026-12-29"


def test_history_refuses_an_empty_day_range_and_says_why_a_contacts_table_is_empty(
    make_project: MakeProject,
) -> None:
    from tests.conftest import contact_row
    from tests.test_send_e2e import NOW, greeter, people

    config = make_project([*people(1), contact_row("2", "two@example.com")])  # 2: no birthday
    inverted = greeter(config, "history", "--since", "2027-02-01", "--until", "2027-01-01")
    assert inverted.returncode == 2 and "--since 2027-02-01 is after --until 2027-01-01" in inverted.stderr
    assert greeter(config, "send", "--once", "--now", NOW).returncode == 0  # no journal: history refuses
    ungreeted = greeter(config, "history", "--contact", "2")
    assert ungreeted.returncode == 0 and "the journal has no greeting for --contact 2 nor" in ungreeted.stderr
    # The planner's skips are not journaled: the hint says where a manager finds why one was skipped.
    assert "skipped and why" in ungreeted.stderr
    assert "greeter preview --contact 2 --from DATE --days N" in ungreeted.stderr
    # An id the contacts source does not have either: a typo, which preview would refuse too.
    unknown = greeter(config, "history", "--contact", "9999")
    assert (
        unknown.returncode == 0 and "the journal has no greeting for --contact 9999 (yet)" in unknown.stderr
    )
    assert "nor does the contacts source have a contact 9999" in unknown.stderr
    assert "greeter preview" not in unknown.stderr


def test_history_of_a_renumbered_contact_shows_what_went_to_its_address_as_contact_old_id(
    make_project: MakeProject,
) -> None:
    """The CRM renumbered client 1 as 5001: preview knows the letter went to its address as
    contact 1; ``history --contact 5001`` must show it too, marked, not "no greeting (yet)"."""
    import json

    from tests.conftest import HEADER, contact_row
    from tests.test_send_e2e import NOW, greeter, people

    config = make_project(people(2))
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    contacts = config.parent / "data" / "contacts.csv"
    renumbered = [contact_row("5001", "Client1@Example.com", birthday="13.04.1980"), people(2)[1]]
    contacts.write_text("\n".join([HEADER, *renumbered]) + "\n", encoding="utf-8-sig")

    table = greeter(config, "history", "--contact", "5001")
    assert table.returncode == 0, table.stderr
    assert "5001 (journal: contact 1)" in table.stdout and "no greeting" not in table.stderr
    rows = json.loads(greeter(config, "history", "--contact", "5001", "--format", "json").stdout)
    assert [(r["contact_id"], r["current_contact_id"], r["state"]) for r in rows] == [("1", "5001", "sent")]
    # The other contact's letter is not this one's; a contact's own rows are not marked.
    (own,) = json.loads(greeter(config, "history", "--contact", "2", "--format", "json").stdout)
    assert own["contact_id"] == "2" and own["current_contact_id"] is None
    # Filters apply to the rows found by address too.
    none = greeter(config, "history", "--contact", "5001", "--state", "failed")
    assert "the journal has no greeting for --contact 5001 nor for its address" in none.stderr


def test_history_of_a_contact_reads_the_contacts_only_up_to_its_row(make_project: MakeProject) -> None:
    """``history --contact`` loads contacts as every command does (``Inputs``), but only as far as
    the contact's row: a later row that cannot be read must not hide the contact's former ids."""
    from tests.conftest import HEADER, contact_row
    from tests.test_send_e2e import NOW, greeter, people

    config = make_project(people(2))
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    contacts = config.parent / "data" / "contacts.csv"
    renumbered = [
        contact_row("5001", "Client1@Example.com", birthday="13.04.1980"),
        "9;x@example.com;" + "x" * 200_000,
    ]
    contacts.write_text("\n".join([HEADER, *renumbered]) + "\n", encoding="utf-8-sig")

    table = greeter(config, "history", "--contact", "5001")
    assert table.returncode == 0, table.stderr
    assert "5001 (journal: contact 1)" in table.stdout


def test_the_table_says_an_operator_dismissed_it_and_state_dismissed_finds_it(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``uncertain dismiss`` the table still read "connection lost … it may have been delivered",
    as if it waited for a decision (only JSON's ``reason`` said otherwise); ``--state dismissed`` was
    refused."""
    import re

    from greeter.testing import SmtpSink
    from tests.test_send_e2e import NOW, greeter, history, people, smtp

    monkeypatch.delenv("COLUMNS", raising=False)  # piped: one row per line (greeter.console.table_console)
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port, pool_size=1))
        sink.drop_next(1)  # the first letter is swallowed: uncertain
        assert "uncertain: 1" in greeter(config, "send", "--once", "--now", NOW).stdout
    (lost,) = history(config, "--state", "uncertain")
    assert lost["last_reply"]
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    decided = greeter(config, "uncertain", "dismiss", "--contact", lost["contact_id"], "--by", "ivan")
    assert decided.returncode == 0, decided.stderr
    after = datetime.now(UTC)

    table = greeter(config, "history")
    assert table.returncode == 0, table.stderr
    (cells,) = [row for row in table_rows(table.stdout, "contact") if "skipped" in row]
    row = " ".join(cells)
    assert (cells[0].split()[0], cells[5]) == (lost["contact_id"], "skipped")  # the id, then the name
    found = re.fullmatch(r"dismissed by ivan at (.{16}) UTC; the server had said: (.*)", cells[-1])
    assert found is not None, row
    at = datetime.strptime(found[1], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= at <= after
    assert found[2] == lost["last_reply"]
    # the other letter waits to be retried: not dismissed, in the filtered table and JSON neither
    filtered = greeter(config, "history", "--state", "dismissed")
    assert filtered.returncode == 0, filtered.stderr
    assert table_rows(filtered.stdout, "contact") == [cells]
    assert [(r["contact_id"], r["state"], r["reason"]) for r in history(config, "--state", "dismissed")] == [
        (lost["contact_id"], "skipped", "dismissed by ivan")
    ]
    assert [r["state"] for r in history(config, "--state", "skipped")] == ["skipped"]


def test_an_expiry_says_why_in_words_and_keeps_the_last_reply(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON's and CSV's ``reason`` said only "expired", which README promises "in words"; the
    table's "server said / why" showed the last reply alone, hiding that it had expired."""
    import dataclasses
    import json

    from greeter.history_view import print_history

    expired = dataclasses.replace(entry("expired", "expired"), last_reply="451 4.3.0 try later")
    print_history([expired], "json")
    [row] = json.loads(capsys.readouterr().out)
    assert (row["reason"], row["reason_code"]) == (f"expired: {EXPIRED_WORDS}", "expired")
    assert why(expired) == f"expired: {EXPIRED_WORDS}; the server had said: 451 4.3.0 try later"


def test_when_is_the_last_attempt_of_a_greeting_that_failed_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table's "when (UTC)" showed the planned moment of a greeting whose failure came on a
    later attempt; it is when the greeting came to its state (the last attempt here)."""
    from datetime import timedelta

    from greeter.history_view import print_history

    key = ("1001", "new_year", date(2026, 12, 29))
    first, second = AT + timedelta(hours=1), AT + timedelta(hours=3, minutes=7)
    with Journal.open(f"sqlite:///{tmp_path}/j.sqlite3", now=AT) as journal:
        journal.lock_sender()
        assert journal.claim(key, email="ivan@example.com", message_id="<m@x>", planned_at=AT, now=first)
        journal.mark_retry(key, "451 4.3.0 try later", AT + timedelta(hours=2), first)
        assert journal.claim(key, email="ivan@example.com", message_id="<m@x>", planned_at=AT, now=second)
        journal.mark_failed(key, "550 5.1.1 no such user", second)
        [failed] = read_history(journal)
    assert failed.state == "failed" and when(failed) == second
    print_history([failed], "table")
    out = capsys.readouterr().out
    assert "2026-12-29 12:07" in out and "2026-12-29 09:00" not in out, out


def test_an_expired_greeting_keeps_the_planners_words_for_which_window_it_missed(
    make_project: MakeProject,
) -> None:
    """A manager asking why a client went ungreeted read only "not sent before the end of its catch-up
    period": the birthday of 7 January (a holiday) was due on 30 December, no send ran then, and the
    next window (11 January) is past the catch-up. The journal now keeps the planner's own words."""
    from tests.conftest import contact_row
    from tests.test_send_e2e import greeter, history

    config = make_project([contact_row("1", "one@example.com", birthday="07.01.1960")])
    run = greeter(config, "send", "--once", "--now", "2027-01-07T12:00+03:00")
    # The journal's first run: the window was gone before greeter sent from it (no exit 1 for that).
    assert run.returncode == 0 and "skipped: expired 1" in run.stdout, run.stdout + run.stderr
    (row,) = history(config)
    assert (row["state"], row["reason_code"]) == ("expired", "expired")
    assert row["reason"] == (
        "expired: missed; the next window (11.01) is more than 3 days after 07.01, the day it was meant for;"
        " never sent late"
    )


def test_history_state_takes_every_journal_state_and_dismissed() -> None:
    """The CLI writes its --state choices out (no journal import at start-up): a new journal
    state must be one a user can ask for."""
    from greeter.cli_journal import HISTORY_STATES
    from greeter.journal_store import DISMISSED, STATES

    assert (*STATES, DISMISSED) == HISTORY_STATES
