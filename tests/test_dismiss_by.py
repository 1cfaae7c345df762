"""``uncertain dismiss --by`` keeps who dismissed a greeting, and history names them.

``suppress`` and ``unsuppress`` kept their operator; a dismissal said only "dismissed by an
operator at …", and a manager answering "why did I get nothing?" could not tell whom to ask.
The reason now reads ``dismissed by ivan`` (``--by``, default the login name, as suppress's);
everything that knew a dismissal by its word still does: ``history --state dismissed``,
``reason_code`` ``dismissed``, preview's ``skip: dismissed``.

The real CLI in-process on a copy of config.example.yaml, a real SQLite journal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.journal import open_journal
from greeter.journal_store import (
    DISMISSED,
    JournalStore,
    decision_reason,
    is_dismissed,
    may_put_back,
    operator_of,
)
from tests import databases
from tests.conftest import MakeProject, contact_row

NOW = datetime.fromisoformat("2026-12-30T12:00+03:00")
BIRTHDAY = date(2026, 12, 27)
ROWS = [
    contact_row("1", "one@example.com", birthday="27.12.1980"),
    contact_row("2", "two@example.com", birthday="27.12.1981", first="Пётр"),
]
WHEN = ("--now", "2026-12-30T12:05+03:00")


def uncertain(make_project: MakeProject) -> Path:
    config = make_project(ROWS)
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=NOW)
    try:
        for cid in ("1", "2"):
            key = (cid, "birthday", BIRTHDAY)
            email = f"{'one' if cid == '1' else 'two'}@example.com"
            journal.claim(key, email=email, message_id=f"<{cid}@x>", planned_at=NOW, merged=[], now=NOW)
            journal.mark_uncertain(key, "connection lost after DATA", NOW)
    finally:
        journal.close()
    return config


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    env = {"COLUMNS": "250", "USER": "anna", "LOGNAME": "anna", "LNAME": "anna", "USERNAME": "anna"}
    result = CliRunner().invoke(main, ["--config", str(config), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_history_says_who_dismissed(make_project: MakeProject) -> None:
    config = uncertain(make_project)
    code, _, err = invoke(config, "uncertain", "dismiss", "--contact", "1", "--by", "ivan", *WHEN)
    assert code == 0, err
    code, _, err = invoke(config, "uncertain", "dismiss", "--contact", "2", *WHEN)  # the login name
    assert code == 0, err
    code, out, err = invoke(config, "history", "--state", "dismissed")
    assert code == 0, err
    assert "dismissed by ivan at 2026-12-30 09:05 UTC" in out, out
    assert "dismissed by anna at 2026-12-30 09:05 UTC" in out, out
    code, out, err = invoke(config, "history", "--format", "json")
    assert code == 0, err
    rows = {r["contact_id"]: r for r in json.loads(out)}
    assert {cid: (r["state"], r["reason_code"]) for cid, r in rows.items()} == {
        "1": ("skipped", "dismissed"), "2": ("skipped", "dismissed"),
    }  # fmt: skip
    code, out, err = invoke(config, "preview", "--from", "2026-12-25", "--days", "5", "--contact", "1", *WHEN)
    assert code == 0, err
    assert "skip: dismissed" in out, out


def test_a_resend_keeps_who_decided_until_its_next_attempt(make_project: MakeProject) -> None:
    config = uncertain(make_project)
    code, _, err = invoke(config, "uncertain", "resend", "--contact", "1", "--by", "ivan", *WHEN)
    assert code == 0, err
    code, out, err = invoke(config, "history", "--state", "retry")
    assert code == 0, err
    assert "resend decided by ivan at 2026-12-30 09:05 UTC; the server had said: connection lost" in out, out


def test_the_reason_s_words() -> None:
    assert (
        decision_reason(DISMISSED, "ivan") == "dismissed by ivan"
        and decision_reason(DISMISSED, None) == "dismissed"
    )
    assert is_dismissed("dismissed by ivan") and is_dismissed("dismissed") and not is_dismissed("dismissedx")
    assert operator_of("dismissed by ivan") == "ivan" and operator_of("dismissed") is None
    assert may_put_back("skipped", "dismissed by ivan")


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "data" / "journal.sqlite3", now=NOW) as journal:
        yield journal


def test_both_journals_keep_the_operator_and_count_it_a_dismissal(journal: JournalStore) -> None:
    """The SQL that knows a dismissal by its reason (metrics' tallies) on SQLite and PostgreSQL."""
    key = ("1", "birthday", BIRTHDAY)
    journal.claim(key, email="one@example.com", message_id="<1@x>", planned_at=NOW, merged=[], now=NOW)
    journal.mark_uncertain(key, "connection lost after DATA", NOW)
    journal.dismiss(key, NOW, by="ivan")
    (row,) = journal.history(contact_id="1")
    assert (row.state, row.reason, row.last_reply) == (
        "skipped",
        "dismissed by ivan",
        "connection lost after DATA",
    )
    assert ("skipped", "birthday", "dismissed") in journal.tallies()
