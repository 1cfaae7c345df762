"""``greeter forget`` is the person's wish: it binds the contact ids it finds, as an opt-out by hand does.

Forgetting a contact's second listed address ("vera@work.ru, vera@home.ru")
erased the greetings and listed the bare address, but bound no contact id:
once the CRM dropped that address from the cell, the person was planned
again — and the birthday letter whose row was erased went out a second time.
The dry run also called her current greeted address "a former address".
Real SQLite files, the test PostgreSQL, real CLI runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.erasure_records import erased_reason
from greeter.journal_store import JournalStore
from tests import databases
from tests.conftest import MakeProject, contact_row

DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
MOMENT = datetime(2027, 4, 12, 14, 29, tzinfo=UTC)
CELL = "vera@work.ru, vera@home.ru"
ROWS = [
    contact_row("1", CELL, birthday="12.04.1980"),
    contact_row("2", "client02@example.com", birthday="12.04.1980"),
]


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def drop_second_address(config: Path) -> None:
    """The CRM edits the cell: the erased address goes, the one greeted stays."""
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    assert CELL in text
    contacts.write_text(text.replace(CELL, "vera@work.ru"), encoding="utf-8-sig")


def letters_to(config: Path, cid: str) -> list[Path]:
    return sorted((config.parent / "data" / "outbox").glob(f"*_{cid}_*.eml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def greeted(backend: str, make_project: MakeProject) -> Iterator[Path]:
    """Both contacts greeted on DAY; contact 1 at vera@work.ru, the first address its cell lists."""
    with databases.project_on(backend, make_project, ROWS) as config:
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.exit_code == 0, sent.output
        assert len(letters_to(config, "1")) == 1
        yield config


def test_forget_of_a_second_listed_address_binds_the_person_and_nothing_goes_again(greeted: Path) -> None:
    config = greeted
    done = greeter(config, "forget", "vera@home.ru", "--yes")
    assert done.exit_code == 0, done.output
    assert "  person: contact(s) 1 opted out (erased on " in done.stdout, done.stdout

    drop_second_address(config)

    again = greeter(config, "send", "--once", "--now", NOW)
    assert again.exit_code == 0, again.output
    assert letters_to(config, "1") == []  # the letter erased is not written a second time
    preview = greeter(config, "preview", "--from", DAY, "--days", "1", "--format", "json", "--now", NOW)
    assert preview.exit_code == 0, preview.output
    (row,) = [d for d in json.loads(preview.stdout) if d["contact_id"] == "1" and d["occasion"] == "birthday"]
    assert row["reason"] == "suppressed", row
    assert "from vera@home.ru (erased on " in row["detail"], row
    assert "vera@work.ru is not greeted either" in row["detail"], row


def test_the_dry_run_calls_the_address_still_listed_current_not_former(greeted: Path) -> None:
    dry = greeter(greeted, "forget", "vera@home.ru", "--dry-run")

    assert dry.exit_code == 0, dry.output
    assert (
        "  vera@work.ru: also a current address of contact(s) 1 (the contacts source lists it)" in dry.stdout
    )
    assert "former" not in dry.stdout, dry.stdout
    assert "  person: contact(s) 1 would be opted out (erased on " in dry.stdout


@pytest.fixture
def journal(backend: str, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(backend, tmp_path / "journal.sqlite3", MOMENT) as j:
        yield j


def test_forget_binds_the_ids_it_found_and_rewords_the_ones_bound_already(journal: JournalStore) -> None:
    key = ("1", "birthday", date(2027, 4, 12))
    assert journal.claim(key, email="vera@work.ru", message_id="<1@t>", planned_at=MOMENT, now=MOMENT)
    journal.mark_sent(key, "250 ok", MOMENT)
    journal.opt_out(["old@example.com"], "called, +7 913 000 00 00", MOMENT, {"old@example.com": {"7"}})
    journal.opt_out(["vera@home.ru"], "asked by phone", MOMENT, {"vera@home.ru": {"9"}})

    journal.forget("Vera@Home.ru", MOMENT, {"1", "7"})  # 1: the CRM's holder; 7: bound from another address

    bound = journal.opted_out_contacts()
    assert set(bound) == {"1", "7", "9"}
    reason = erased_reason(MOMENT.date())
    assert (bound["1"].email, bound["1"].reason, bound["1"].created_at) == ("vera@home.ru", reason, MOMENT)
    assert (bound["7"].email, bound["7"].reason) == ("old@example.com", reason)  # its address and date kept
    assert (bound["9"].email, bound["9"].reason) == ("vera@home.ru", reason)  # bound from the address
