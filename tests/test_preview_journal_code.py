"""A greeting the journal holds but never delivered previews as what became of it, not "already_sent".

A manager answering a client's complaint ran ``preview --contact 1015`` for a birthday letter the
server had refused (554) and read "skip: already_sent" — "we sent it" — beside "the journal already
has this greeting (failed)". The table's status and JSON's ``reason_code`` now say the journal's
word: ``failed`` (a refusal, a bounce), ``dismissed`` (an operator's decision on an uncertain one),
``uncertain``; ``reason`` stays ``already_sent`` (DESIGN.md §3's word: nothing to do). The gallery
already said each in its language (tests/test_gallery_journal.py).

The real CLI in-process on a copy of config.example.yaml, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.journal import open_journal
from tests.conftest import MakeProject, contact_row

NOW = datetime.fromisoformat("2026-12-30T12:00+03:00")
BIRTHDAY = date(2026, 12, 27)
ROWS = [
    contact_row("1", "one@example.com", birthday="27.12.1980"),
    contact_row("2", "two@example.com", birthday="27.12.1981", first="Пётр"),
    contact_row("3", "three@example.com", birthday="27.12.1982", first="Семён"),
]
PREVIEW = ("preview", "--from", "2026-12-25", "--days", "5", "--now", "2026-12-30T12:05+03:00")


def journaled(make_project: MakeProject) -> Path:
    """1's birthday letter refused (554), 2's dismissed by an operator, 3's uncertain."""
    config = make_project(ROWS)
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=NOW)
    try:
        for cid in ("1", "2", "3"):
            key = (cid, "birthday", BIRTHDAY)
            email = ROWS[int(cid) - 1].split(";")[1]
            journal.claim(key, email=email, message_id=f"<{cid}@x>", planned_at=NOW, merged=[], now=NOW)
        journal.mark_failed(("1", "birthday", BIRTHDAY), "554 5.7.1 Message rejected as spam", NOW)
        journal.mark_uncertain(("2", "birthday", BIRTHDAY), "connection lost after DATA", NOW)
        journal.dismiss(("2", "birthday", BIRTHDAY), NOW)
        journal.mark_uncertain(("3", "birthday", BIRTHDAY), "connection lost after DATA", NOW)
    finally:
        journal.close()
    return config


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_json_reason_code_says_what_the_journal_holds(make_project: MakeProject) -> None:
    config = journaled(make_project)
    code, out, err = invoke(config, *PREVIEW, "--format", "json")
    assert code == 0, err
    items = {i["contact_id"]: i for i in json.loads(out) if i["occasion"] == "birthday"}
    said = {cid: (i["status"], i["reason"], i["reason_code"], i["journal_state"]) for cid, i in items.items()}
    assert said == {
        "1": ("skip", "already_sent", "failed", "failed"),
        "2": ("skip", "already_sent", "dismissed", "skipped"),
        "3": ("skip", "already_sent", "uncertain", "uncertain"),
    }


def test_table_status_never_says_already_sent_of_an_undelivered_letter(make_project: MakeProject) -> None:
    config = journaled(make_project)
    code, out, err = invoke(config, *PREVIEW, "--contact", "1")
    assert code == 0, err
    assert "skip: failed" in out and "already_sent" not in out, out
    code, out, err = invoke(config, *PREVIEW, "--contact", "2")
    assert code == 0, err
    assert "skip: dismissed" in out and "already_sent" not in out, out
