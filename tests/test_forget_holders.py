"""``greeter forget`` asks the contacts source which contact ids hold the address (F2, F7)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in (1, 2)]


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def approvals(config: Path) -> list[str]:
    with sqlite3.connect(config.parent / "data" / "journal.sqlite3") as db:
        return [r[0] for r in db.execute("SELECT contact_id FROM approvals ORDER BY contact_id")]


def test_forget_erases_and_counts_the_approval_of_a_draft_not_sent_yet(make_project: MakeProject) -> None:
    config = make_project(CLIENTS, review="required")
    approved = greeter(
        config, "approve", "--all", "--from", DAY, "--days", "1", "--now", NOW, "--by", "manager"
    )
    assert approved.exit_code == 0, approved.output
    assert approvals(config) == ["1", "2"]

    dry = greeter(config, "forget", "Client01@example.com", "--dry-run")
    assert "would erase 0 greeting(s), 1 approval(s)" in dry.stdout, dry.output
    assert approvals(config) == ["1", "2"]

    done = greeter(config, "forget", "client01@example.com", "--yes")
    assert done.exit_code == 0, done.output
    assert "client01@example.com: erased 0 greeting(s), 1 approval(s)" in done.stdout, done.output
    assert "  approvals: of contact(s) 1" in done.stdout
    assert approvals(config) == ["2"]


def test_forget_erases_the_greetings_to_the_clients_former_address(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    contacts = config.parent / "data" / "contacts.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8-sig").replace("client01@example.com", "ivan.new@example.org"),
        encoding="utf-8-sig",
    )
    outbox = config.parent / "data" / "outbox"
    assert len(list(outbox.glob("*_1_*.eml"))) == 1

    done = greeter(config, "forget", "ivan.new@example.org", "--yes")

    assert done.exit_code == 0, done.output
    assert "ivan.new@example.org: erased 1 greeting(s)" in done.stdout, done.output
    assert f"  greeting: contact 1 birthday {DAY} (sent, to client01@example.com)" in done.stdout
    assert "client01@example.com: a former address of contact(s) 1" in done.stdout
    assert not list(outbox.glob("*_1_*.eml"))  # its letter too, found by the greeting's name
    history = greeter(config, "history", "--contact", "1", "--format", "json")
    assert history.stdout.strip() == "[]", history.output
