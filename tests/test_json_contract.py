"""What scripts read from greeter's JSON and CSV: one way to write a moment, one order, one name per idea.

An integration engineer wiring greeter into scripts found ``sent_at`` with a
fraction of a second beside a whole-second ``planned_at`` (jq's
``fromdateiso8601`` fails on the fraction), a CSV whose CRLF left a ``\\r`` on
every field a shell ``read`` took, preview's JSON in another order than its
table, a sent letter's subject null in preview while ``history`` had it, and
``reason_code``/``merged_with`` in one command's JSON but not the other's. Real
journals (SQLite files), the real CLI in-process.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest
from tests.conftest import MakeProject, contact_row
from tests.tables import table_rows

#: A fraction of a second anywhere in a text: what no JSON or CSV moment may carry.
FRACTION = re.compile(r"\d{2}:\d{2}:\d{2}\.\d")
DAY = date(2027, 4, 12)
NOW = "2027-04-12T17:29:00+03:00"
PLANNED = datetime(2027, 4, 12, 9, 30, tzinfo=UTC)
SENT = PLANNED + timedelta(seconds=3, microseconds=499048)


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def journal_of(config: Path) -> Journal:
    return Journal.open(f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=PLANNED)


def json_of(config: Path, *args: str) -> Any:
    result = greeter(config, *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def fractional_journal(config: Path) -> None:
    """A sent greeting, a retry due later and a listed address, each at a moment with microseconds."""
    with journal_of(config) as journal:
        key = ("1", "birthday", DAY)
        claimed = journal.claim_many(
            [ClaimRequest(key, "client1@example.com", "<1@x>", PLANNED)], now=PLANNED
        )
        assert claimed == [True]
        journal.mark_sent(key, "250 ok", SENT)
        later = ("2", "birthday", DAY)
        assert journal.claim_many([ClaimRequest(later, "client2@example.com", "<2@x>", PLANNED)], now=PLANNED)
        journal.mark_retry(later, "451 try later", SENT + timedelta(days=30), SENT)
        journal.suppress(["gone@example.com"], "asked by phone", SENT)


def test_every_moment_in_json_and_csv_is_in_whole_seconds(make_project: MakeProject) -> None:
    people = [contact_row(str(i), f"client{i}@example.com", birthday="12.04.1980") for i in (1, 2)]
    config = make_project(people)
    fractional_journal(config)

    rows = {row["contact_id"]: row for row in json_of(config, "history", "--json")}
    assert rows["1"]["planned_at"] == "2027-04-12T09:30:00+00:00"
    assert rows["1"]["sent_at"] == "2027-04-12T09:30:03+00:00"  # truncated, its offset kept
    assert rows["1"]["when_local"] == "2027-04-12T12:30:03+03:00"
    assert rows["2"]["updated_at"] == "2027-04-12T09:30:03+00:00"
    csv_text = greeter(config, "history", "--format", "csv").stdout
    assert "2027-04-12T09:30:03+00:00" in csv_text
    listed = json_of(config, "suppress", "--list", "--json")
    assert [row["created_at"] for row in listed] == ["2027-04-12T09:30:03+00:00"]
    listed_csv = greeter(config, "suppress", "--list", "--format", "csv").stdout
    # next_send: the retry's moment (30 days on, with the fraction the journal keeps), in now's
    # zone, rounded up: a wrapper that sleeps until it finds the retry due
    rehearsal = json_of(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
    assert rehearsal["next_send"] == "2027-05-12T12:30:04+03:00"
    on_the_clock = json_of(config, "send", "--once", "--dry-run", "--json", "--clock-is-right")
    for text in (json.dumps(rows), csv_text, json.dumps(listed), listed_csv, json.dumps(rehearsal)):
        assert not FRACTION.search(text), FRACTION.search(text)
    assert datetime.fromisoformat(on_the_clock["now"]).microsecond == 0  # the real clock's now too


def test_the_one_helper_truncates_and_keeps_days_and_offsets() -> None:
    from greeter.zone_label import iso_seconds

    moment = datetime(
        2026, 12, 29, 12, 1, 0, 999999, tzinfo=datetime.fromisoformat("2026-01-01T00:00+03:00").tzinfo
    )
    assert iso_seconds(moment) == "2026-12-29T12:01:00+03:00"  # truncated, never rounded up
    assert iso_seconds(date(2026, 12, 29)) == "2026-12-29"
    # a moment a script sleeps until (next_send, quota_free_at) is rounded up: waking at it, the
    # letter is due, not 0.999999 s away
    assert iso_seconds(moment, up=True) == "2026-12-29T12:01:01+03:00"
    assert iso_seconds(moment.replace(microsecond=0), up=True) == "2026-12-29T12:01:00+03:00"


def test_csv_on_stdout_ends_lines_with_newline_and_the_excel_file_keeps_crlf(
    make_project: MakeProject, tmp_path: Path
) -> None:
    people = [contact_row(str(i), f"client{i}@example.com", birthday="12.04.1980") for i in (1, 2)]
    config = make_project(people)
    fractional_journal(config)

    for args in (("history",), ("suppress", "--list")):
        result = CliRunner().invoke(main, ["--config", str(config), *args, "--format", "csv"])
        raw = result.stdout_bytes
        assert b"\r" not in raw and raw.endswith(b"\n") and raw.count(b"\n") >= 2, raw
    excel = tmp_path / "history.csv"
    assert greeter(config, "history", "-o", str(excel)).exit_code == 0
    data = excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n") == 3


def test_preview_json_is_in_the_tables_order_by_day_and_send_time(make_project: MakeProject) -> None:
    """The planner yields contact by contact; the table sorts by send time. Contact 1 (Vladivostok)
    gets its letter hours before contact 2 (Kaliningrad) and contact 3 (Moscow) on the same day."""
    people = [
        contact_row("3", "client3@example.com", birthday="13.04.1980", tz="Europe/Moscow"),
        contact_row("2", "client2@example.com", birthday="13.04.1980", tz="Europe/Kaliningrad"),
        contact_row("1", "client1@example.com", birthday="13.04.1980", tz="Asia/Vladivostok"),
        contact_row("4", "client4@example.com", birthday="12.04.1980", tz="Europe/Moscow"),
    ]
    config = make_project(people)
    args = ("preview", "--from", "2027-04-12", "--days", "2", "--now", NOW)

    entries = json_of(config, *args, "--json")

    moments = [
        (datetime.fromisoformat(e["send_at"]).date(), datetime.fromisoformat(e["send_at"])) for e in entries
    ]
    assert moments == sorted(moments) and len(entries) == 4
    table = greeter(config, *args).stdout
    shown = [int(row[1].split()[0]) for row in table_rows(table, "send at")]
    assert shown == [int(e["contact_id"]) for e in entries]


def test_a_sent_letter_in_preview_has_the_subject_the_journal_kept(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com", birthday="12.04.1980")])
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    kept = json_of(config, "history", "--json")[0]["subject"]
    assert kept

    (entry,) = json_of(config, "preview", "--from", "2027-04-12", "--days", "1", "--now", NOW, "--json")

    assert (entry["status"], entry["subject"], entry["text"], entry["html"]) == ("sent", kept, None, None)
    table = greeter(config, "preview", "--from", "2027-04-12", "--days", "1", "--now", NOW).stdout
    assert kept.split(",")[0] in table


def test_one_name_for_the_reason_code_and_the_merged_occasions_in_preview_and_history(
    make_project: MakeProject,
) -> None:
    """A 7 January birthday carries New Year: preview's ``merged_with``/``reason`` and history's
    ``merged``/``reason_code`` named it differently; now ``reason_code`` and ``merged_with`` are in both."""
    config = make_project(
        [
            contact_row("1", "client1@example.com", birthday="07.01.1960"),
            contact_row("2", "", birthday="07.01.1960"),
        ]
    )
    window = ("--from", "2026-12-28", "--days", "10", "--now", "2026-12-28T09:00:00+03:00")
    entries = json_of(config, "preview", *window, "--json")
    assert all(e["reason_code"] == e["reason"] for e in entries)
    mine = {e["occasion"]: e for e in entries if e["contact_id"] == "1"}
    assert mine["new_year"]["reason_code"] == "merged" and mine["new_year"]["merged_with"] == ["birthday"]
    assert mine["birthday"]["merged_with"] == ["new_year"]
    assert any(e["reason_code"] == "no_email" for e in entries)

    leaves = mine["birthday"]["send_at"]
    due = json_of(config, "send", "--once", "--dry-run", "--json", "--now", leaves)["letters"]
    assert [(d["occasions"], d["merged_with"]) for d in due] == [(["birthday", "new_year"], ["new_year"])]
    assert greeter(config, "send", "--once", "--now", leaves).exit_code in (0, 1)
    rows = {r["occasion"]: r for r in json_of(config, "history", "--contact", "1", "--json")}
    assert rows["birthday"]["merged"] == rows["birthday"]["merged_with"] == ["new_year"]
    assert rows["new_year"]["reason_code"] == "merged" and rows["new_year"]["merged_with"] == ["birthday"]
    header = greeter(config, "history", "--format", "csv").stdout.splitlines()[0]
    assert "merged_with" not in header  # the CSV's columns stay where scripts read them
