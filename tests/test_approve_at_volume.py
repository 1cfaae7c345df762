"""``greeter approve`` for a reviewer at volume (7,620 year-end drafts of 8,000 contacts).

A persona found: approve planned and rendered every letter again with nothing on the terminal
for a minute (preview shows its bar: approve now takes the same one, on a terminal only), and
its help had no exit codes while its docs said exit 0 where a rejected contact row makes it 1.
Real CLI, real project files, a pty for the terminal.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from greeter.cap_seen import CAP_FIELDS
from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import NOW, people

#: The bar's words (preview's: greeter.cli_review.preview).
BAR = b"planning and rendering letters"
RANGE = ("--from", "2027-04-13", "--days", "2", "--now", NOW)


def test_approve_shows_its_progress_on_a_terminal_only(make_project: MakeProject) -> None:
    config = make_project(people(120), review="required")
    code, out, err = run_on_terminal(config, "approve", "--all", *RANGE, "--by", "anna", terminal=True)
    assert code == 0, err[-500:]
    assert BAR in err and b"rows" in err, err[-500:]
    assert b"approved 120 draft(s)" in out, out
    code, out, err = run_on_terminal(config, "approve", "--all", *RANGE, "--by", "anna", terminal=False)
    assert code == 0 and BAR not in err and b"\x1b" not in err, err
    assert b"nothing new to approve: all 120 draft(s)" in out, out


def test_approve_help_says_its_exit_codes_and_a_rejected_row_is_exit_1(make_project: MakeProject) -> None:
    result = CliRunner().invoke(main, ["approve", "--help"], prog_name="greeter", terminal_width=100)
    shown = " ".join(result.stdout.split())
    assert "Exit codes: 0 approved" in shown, shown
    assert "or a contact row was rejected" in shown and "75 the journal or the contacts database" in shown
    config = make_project(
        [*people(2), contact_row("3", "not-an-address", birthday="13.04.1980")], review="required"
    )
    done = CliRunner().invoke(main, ["--config", str(config), "approve", "--all", *RANGE, "--by", "anna"])
    assert done.exit_code == 1, (done.stdout, done.stderr)  # as the help and docs say now
    assert "approved 2 draft(s)" in done.stdout  # the others approved all the same


def test_who_approved_and_when_shows_in_preview_json_and_on_the_letters_page(
    make_project: MakeProject,
) -> None:
    """``approve --by`` stored approved_by / approved_at, and nothing showed them: not preview's JSON,
    not the gallery's letter page — a letter changed since did not say whose approval it lost."""
    from tests.test_gallery import cards, parse
    from tests.test_send_e2e import greeter

    config = make_project(people(3), review="required")
    for cid, who in (("1", "anna"), ("2", "boris")):
        assert greeter(config, "approve", "--contact", cid, *RANGE, "--by", who).returncode == 0
    contacts = config.parent / "data" / "contacts.csv"
    rows = contacts.read_text(encoding="utf-8-sig").splitlines()
    rows[2] = rows[2].replace("client2@", "client2.new@")  # contact 2 changes after approval
    contacts.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    shown = json.loads(greeter(config, "preview", *RANGE, "--format", "json").stdout)
    said = {d["contact_id"]: (d["approval"], d["approved_by"], d["approved_at"]) for d in shown}
    assert said == {
        "1": ("approved", "anna", "2027-04-14T08:00:00+00:00"),  # NOW, 11:00 in Moscow, as kept: UTC
        "2": ("changed_since_approval", "boris", "2027-04-14T08:00:00+00:00"),
        "3": ("awaiting_approval", None, None),
    }
    out = config.parent / "gallery"
    assert greeter(config, "preview", *RANGE, "--format", "html", "--out", str(out)).returncode == 0
    by_contact = {c.attrs["data-search"].split()[4]: c for c in cards(parse(out / "index.html")).values()}
    pages = {
        cid: next(parse(out / next(c.find("a")).attrs["href"]).find("dl")).all_text()
        for cid, c in by_contact.items()
    }
    assert "(anna, 14.04.2027 08:00 UTC)" in pages["1"], pages["1"]
    assert "изменено после одобрения" in pages["2"] and "(boris, 14.04.2027 08:00 UTC)" in pages["2"]
    assert "UTC)" not in pages["3"]


def test_history_json_says_who_approved_a_letter_that_left(make_project: MakeProject) -> None:
    """history's JSON carries approved_by / approved_at on a row whose letter was approved (and only
    there): the journal kept who let it out, and nothing said it."""
    from greeter.testing import SmtpSink
    from tests.test_send_e2e import greeter, smtp

    with SmtpSink() as sink:
        config = make_project(people(2), review="required", **smtp(sink.port))
        assert greeter(config, "approve", "--contact", "1", *RANGE, "--by", "anna").returncode == 0
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stderr
        assert len(sink.messages) == 1
    rows = {r["contact_id"]: r for r in json.loads(greeter(config, "history", "--format", "json").stdout)}
    assert (rows["1"]["state"], rows["1"]["approved_by"], rows["1"]["approved_at"]) == (
        "sent", "anna", "2027-04-14T08:00:00+00:00",
    )  # fmt: skip
    assert "approved_by" not in rows.get("2", {})  # held, never approved: no such field


def test_history_csv_and_table_say_who_approved_a_letter_too(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only the JSON said who approved a letter: the CSV (stdout and -o file) and the workbook have
    the two columns last, empty where nobody approved; the table an "approved by" column, only
    where a row shown has an approver (a project without review keeps its table as it was)."""
    from greeter.testing import SmtpSink
    from tests.test_send_e2e import greeter, smtp

    monkeypatch.delenv("COLUMNS", raising=False)  # piped: every column, one row per line
    with SmtpSink() as sink:
        config = make_project(people(2), review="required", **smtp(sink.port))
        assert greeter(config, "approve", "--contact", "1", *RANGE, "--by", "anna").returncode == 0
        assert greeter(config, "send", "--once", "--now", NOW).returncode == 0  # 2 held for approval
        config = make_project(people(2), **smtp(sink.port))  # review turned off: 2 leaves unapproved
        assert greeter(config, "send", "--once", "--now", NOW).returncode == 0
        assert len(sink.messages) == 2
    rows = list(csv.DictReader(io.StringIO(greeter(config, "history", "--format", "csv").stdout)))
    assert list(rows[0])[-5:] == ["approved_by", "approved_at", *CAP_FIELDS]  # the cap's view last
    said = {r["contact_id"]: (r["state"], r["approved_by"], r["approved_at"]) for r in rows}
    assert said == {"1": ("sent", "anna", "2027-04-14T08:00:00+00:00"), "2": ("sent", "", "")}, said
    out = tmp_path / "history.xlsx"
    assert greeter(config, "history", "-o", str(out)).returncode == 0
    sheet = list(load_workbook(out).active.iter_rows(values_only=True))
    assert sheet[0][-6:] == ("sent_day_local", "approved_by", "approved_at_utc", *CAP_FIELDS)
    by_id = {r[0]: r[-5:-3] for r in sheet[1:]}
    assert by_id == {"1": ("anna", datetime(2027, 4, 14, 8, 0)), "2": (None, None)}, by_id
    table = greeter(config, "history").stdout
    assert "approved by" in table and "anna, 2027-04-14 08:00 UTC" in table, table
    assert "approved by" not in greeter(config, "history", "--contact", "2").stdout  # nobody's approval shown


def test_history_table_of_a_project_without_review_is_as_it_was(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from greeter.testing import SmtpSink
    from tests.test_send_e2e import greeter, smtp

    monkeypatch.delenv("COLUMNS", raising=False)
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        assert greeter(config, "send", "--once", "--now", NOW).returncode == 0
    shown = greeter(config, "history")
    assert shown.returncode == 0 and " sent " in shown.stdout and "approved" not in shown.stdout, shown.stdout
    rows = list(csv.DictReader(io.StringIO(greeter(config, "history", "--format", "csv").stdout)))
    assert [(r["state"], r["approved_by"], r["approved_at"]) for r in rows] == [("sent", "", "")]


def test_a_plan_under_review_reads_the_approvals_table_once(make_project: MakeProject) -> None:
    """``review: required`` read every approval twice a plan, once for its hash (the gate) and once
    for who approved it (preview's JSON, the gallery): one SELECT gives both now. At 8,000 approvals
    the two reads cost 262 M instructions (callgrind), the one 178 M."""
    from greeter.cli_values import config_day, parse_now
    from greeter.journal import Journal
    from greeter.runtime import load_inputs, read_journal_state

    config = make_project(people(40), review="required")
    done = CliRunner().invoke(main, ["--config", str(config), "approve", "--all", *RANGE, "--by", "anna"])
    assert done.exit_code == 0 and "approved 40 draft(s)" in done.stdout, (done.stdout, done.stderr)
    inputs = load_inputs(config, today=config_day(NOW))
    now = parse_now(NOW, inputs.settings.defaults.timezone)
    with Journal.open(str(config.parent / "data" / "journal.sqlite3"), now=now) as journal:
        seen: list[str] = []
        journal._conn.set_trace_callback(seen.append)
        read_journal_state(inputs, journal, start=now.date(), now=now)
        journal._conn.set_trace_callback(None)
    assert len([sql for sql in seen if "FROM approvals" in sql]) == 1, seen
    assert inputs.approvals is not None and len(inputs.approvals) == 40
    assert set(inputs.approvers) == set(inputs.approvals)
    assert {a.by for a in inputs.approvers.values()} == {"anna"}
