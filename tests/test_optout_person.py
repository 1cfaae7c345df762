"""A person's opt-out binds the contact id, not only the address; every listed address is checked.

An unsubscribe (the one-click ``POST``, a request by hand for the mailto or a
complaint) is the person's wish: a new address the CRM gives the same contact
id is not greeted. A hard bounce is the address's fault: a new address is.
A contact whose cell lists several addresses is skipped when any of them is on
the list, and ``forget`` of the second one finds the contact. Real SQLite
files, the test PostgreSQL, real CLI runs and a real daemon.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.contacts import Contact
from greeter.journal import Journal
from greeter.journal_pg import PgJournal
from greeter.journal_pg_schema import MIGRATIONS as PG_MIGRATIONS
from greeter.journal_schema import MIGRATIONS, migrate
from greeter.journal_store import JournalStore, PersonOptOut
from greeter.planner import plan
from greeter.unsubscribe import make_token
from tests import databases
from tests.conftest import MakeProject, contact_row

DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
#: A year on: the same birthday, planned for whatever address the contact has by then.
LATER, LATER_NOW = "2028-04-12", "2028-04-01T09:00:00+03:00"
MOMENT = datetime(2027, 4, 12, 14, 29, tzinfo=UTC)
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in (1, 2)]
BACKENDS = ["sqlite", "postgresql"]


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def moved(config: Path, old: str, new: str) -> None:
    """The CRM changed the contact's e-mail cell: same contact id, another text."""
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    assert old in text
    contacts.write_text(text.replace(old, new), encoding="utf-8-sig")


def planned(config: Path) -> dict[str, tuple[str | None, str | None]]:
    """Each contact's birthday a year on, as ``preview`` plans it: contact id → (reason, detail)."""
    result = greeter(
        config, "preview", "--from", LATER, "--days", "1", "--format", "json", "--now", LATER_NOW
    )
    assert result.exit_code == 0, result.output
    rows = [d for d in json.loads(result.stdout) if d["occasion"] == "birthday"]
    return {d["contact_id"]: (d["reason"], d.get("detail")) for d in rows}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def greeted(backend: str, make_project: MakeProject) -> Iterator[Path]:
    """A project on ``backend`` whose journal greeted both clients on DAY (file transport)."""
    with databases.project_on(backend, make_project, CLIENTS) as config:
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.exit_code == 0, sent.output
        yield config


# --- 1. the person's opt-out follows the contact id to a new address --------------------------------


def test_an_opt_out_by_hand_binds_the_contact_and_its_new_address_is_not_greeted(greeted: Path) -> None:
    config = greeted
    done = greeter(config, "suppress", "client01@example.com", "--reason", "complaint (ARF)")
    assert done.exit_code == 0, done.output
    moved(config, "client01@example.com", "ivan.new@example.org")

    reasons = planned(config)

    reason, detail = reasons["1"]
    assert reason == "suppressed"
    assert "1 contact id(s) opted out as persons" in done.stdout
    assert detail is not None
    assert "opted out on 2" in detail and "from client01@example.com (complaint (ARF))" in detail
    assert "ivan.new@example.org is not greeted either" in detail
    assert "greeter unsuppress --contact 1" in detail
    assert reasons["2"][0] is None  # the other client is greeted as before


def test_unsuppress_contact_lifts_the_persons_opt_out_and_the_old_address_stays(greeted: Path) -> None:
    config = greeted
    assert greeter(config, "suppress", "client01@example.com").exit_code == 0
    moved(config, "client01@example.com", "ivan.new@example.org")
    assert planned(config)["1"][0] == "suppressed"

    lifted = greeter(config, "unsuppress", "--contact", "1")

    assert lifted.exit_code == 0, lifted.output
    assert "lifted the opt-out of contact 1 (from client01@example.com on" in lifted.stdout
    assert "client01@example.com stays on the do-not-contact list" in lifted.stdout
    assert planned(config)["1"][0] is None
    again = greeter(config, "unsuppress", "--contact", "1")
    assert again.exit_code == 1 and "contact '1' has no opt-out of its own" in again.stderr


def test_unsuppress_of_the_address_lifts_the_person_bound_by_it_too(greeted: Path) -> None:
    config = greeted
    assert greeter(config, "suppress", "client01@example.com").exit_code == 0
    moved(config, "client01@example.com", "ivan.new@example.org")

    removed = greeter(config, "unsuppress", "client01@example.com")

    assert removed.exit_code == 0, removed.output
    assert removed.stdout == "removed 1 address(es) from the do-not-contact list\n"
    assert planned(config)["1"][0] is None


def test_address_only_is_the_addresss_fault_and_the_new_address_is_greeted(greeted: Path) -> None:
    config = greeted
    done = greeter(config, "suppress", "--address-only", "client01@example.com", "--reason", "mailbox gone")
    assert done.exit_code == 0, done.output
    assert done.stdout == "suppressed 1 new address(es); 0 already on the list\n"
    moved(config, "client01@example.com", "ivan.new@example.org")
    assert planned(config)["1"][0] is None


def test_a_hard_bounce_stays_address_only(greeted: Path, backend: str, tmp_path: Path) -> None:
    """The synchronous 550's path (:meth:`JournalStore.suppress`, as delivery calls it)."""
    config = greeted
    from greeter.config_loader import load_settings
    from greeter.journal import open_journal

    url = load_settings(config, today=date(2027, 4, 12)).storage.url
    journal = open_journal(url, now=MOMENT)
    try:
        journal.suppress(["client01@example.com"], "bounced: 550 5.1.1 no such user", MOMENT)
        assert journal.opted_out_contacts() == {}
    finally:
        journal.close()
    assert planned(config)["1"][0] == "suppressed"  # the address itself stays listed
    moved(config, "client01@example.com", "ivan.new@example.org")
    assert planned(config)["1"][0] is None


def test_the_one_click_post_binds_the_contact_the_letter_went_to(make_project: MakeProject) -> None:
    from tests.daemon_harness import DaemonProcess, http
    from tests.test_daemon import run_args

    secret = "optout-secret-for-tests-32-bytes-long"
    config = make_project(
        CLIENTS,
        unsubscribe={"url": "https://greet.example.com/unsubscribe", "secret_env": "GREETER_UNSUB_SECRET"},
    )
    env = {"GREETER_UNSUB_SECRET": secret}
    link = make_token(secret.encode(), "client01@example.com")
    with DaemonProcess(config, *run_args(NOW), env=env) as daemon:
        daemon.wait_for("run")
        assert http(daemon.url(f"/unsubscribe/{link}"), b"List-Unsubscribe=One-Click")[0] == 200
        assert daemon.stop() == 0
    moved(config, "client01@example.com", "ivan.new@example.org")
    reason, detail = planned(config)["1"]
    assert reason == "suppressed" and detail is not None and "unsubscribed (one-click)" in detail
    with sqlite3.connect(config.parent / "data" / "journal.sqlite3") as db:
        rows = db.execute("SELECT contact_id, email, reason FROM suppressed_contacts").fetchall()
    assert rows == [("1", "client01@example.com", "unsubscribed (one-click)")]


# --- 2. every address a contact's cell lists is checked ----------------------------------------------


def test_a_listed_second_address_on_the_list_skips_the_contact_in_either_order(
    make_project: MakeProject,
) -> None:
    rows = [contact_row("1", "kuz@firm.ru, d.kuz@gmail.com", birthday="12.04.1980"), CLIENTS[1]]
    config = make_project(rows)
    dnc = config.parent / "dnc.csv"
    dnc.write_text("d.kuz@gmail.com\n", encoding="utf-8")  # a list file: address-level lines
    done = greeter(config, "suppress", "--from-csv", str(dnc))
    assert done.exit_code == 0, done.output

    reason, detail = planned(config)["1"]
    assert reason == "suppressed"
    assert detail is not None and "d.kuz@gmail.com is on the do-not-contact list" in detail
    assert "lists it with kuz@firm.ru" in detail

    moved(config, "kuz@firm.ru, d.kuz@gmail.com", "d.kuz@gmail.com, kuz@firm.ru")
    assert planned(config)["1"][0] == "suppressed"
    moved(config, "d.kuz@gmail.com, kuz@firm.ru", "kuz@firm.ru")
    assert planned(config)["1"][0] is None  # the cell no longer lists it


def test_an_opt_out_by_hand_of_a_second_listed_address_binds_the_contact(make_project: MakeProject) -> None:
    rows = [contact_row("1", "kuz@firm.ru, d.kuz@gmail.com", birthday="12.04.1980")]
    config = make_project(rows)
    done = greeter(config, "suppress", "d.kuz@gmail.com")  # never greeted there: the contacts source says
    assert done.exit_code == 0, done.output
    moved(config, "kuz@firm.ru, d.kuz@gmail.com", "kuz.private@example.org")
    reason, detail = planned(config)["1"]
    assert reason == "suppressed" and detail is not None and "from d.kuz@gmail.com" in detail
    assert "1 contact id(s) opted out as persons" in done.stdout


# --- 3. forget finds the contact by its second listed address ----------------------------------------


def test_forget_of_a_second_listed_address_finds_the_contact(make_project: MakeProject) -> None:
    rows = [contact_row("1", "kuz@firm.ru, d.kuz@gmail.com", birthday="12.04.1980")]
    config = make_project(rows, review="required")
    approved = greeter(config, "approve", "--all", "--from", DAY, "--days", "1", "--now", NOW, "--by", "m")
    assert approved.exit_code == 0, approved.output

    done = greeter(config, "forget", "d.kuz@gmail.com", "--yes")

    assert done.exit_code == 0, done.output
    assert "d.kuz@gmail.com: erased 0 greeting(s), 1 approval(s)" in done.stdout
    assert "  approvals: of contact(s) 1" in done.stdout


# --- the journal: migration, lookup, erasure, on both backends ----------------------------------------


@pytest.fixture
def journal(backend: str, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(backend, tmp_path / "journal.sqlite3", MOMENT) as j:
        yield j


def _greet(journal: JournalStore, cid: str, email: str, day: date = date(2027, 4, 12)) -> None:
    key = (cid, "birthday", day)
    assert journal.claim(key, email=email, message_id=f"<{cid}@t>", planned_at=MOMENT, now=MOMENT)
    journal.mark_sent(key, "250 ok", MOMENT)


def test_opt_out_binds_every_contact_greeted_at_the_address_and_the_given_ones(journal: JournalStore) -> None:
    _greet(journal, "1", "Ivan@Example.com")
    _greet(journal, "7", "ivan@example.com", date(2027, 5, 1))  # the CRM renumbered the client
    _greet(journal, "2", "anna@example.com")

    assert journal.opt_out(["IVAN@example.com"], "manual", MOMENT, {"ivan@example.com": {"9"}}) == (1, 3)
    assert journal.opt_out(["ivan@example.com"], "later", MOMENT) == (0, 0)  # the first one's kept

    found = journal.opted_out_contacts()
    assert set(found) == {"1", "7", "9"}
    assert found["1"] == PersonOptOut("1", "ivan@example.com", "manual", MOMENT)
    assert journal.suppressed() == {"ivan@example.com"}

    assert [o.contact_id for o in journal.lift_opt_outs(contact_ids=["9"])] == ["9"]
    assert [o.contact_id for o in journal.lift_opt_outs(["Ivan@Example.COM"])] == ["1", "7"]
    assert journal.opted_out_contacts() == {}
    assert journal.suppressed() == {"ivan@example.com"}  # the address entry is unsuppress's


def test_forget_keeps_the_persons_opt_out_but_not_its_free_text_reason(journal: JournalStore) -> None:
    _greet(journal, "1", "ivan@example.com")
    journal.opt_out(["ivan@example.com"], "called, +7 913 000 00 00", MOMENT)

    journal.forget("ivan@example.com", MOMENT)

    (entry,) = journal.opted_out_contacts().values()
    assert entry.contact_id == "1" and "+7" not in entry.reason and entry.reason.startswith("erased on ")


def test_an_old_sqlite_journal_is_upgraded_in_place_and_keeps_its_list(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2026-11-23T09:00:00+00:00", migrations=MIGRATIONS[:7]) == 7
    conn.execute("INSERT INTO suppression VALUES ('old@example.com', 'manual', '2026-11-23T09:00:00+00:00')")
    conn.execute(
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, created_at, updated_at)"
        " VALUES ('5', 'birthday', '2026-11-20', 'sent', 'old@example.com', '2026-11-20T09:00:00+00:00',"
        " '2026-11-20T09:00:00+00:00')"
    )
    conn.close()

    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        assert journal.suppressed() == {"old@example.com"}
        assert journal.opted_out_contacts() == {}
        assert journal.opt_out(["old@example.com"], "manual", MOMENT) == (0, 1)
        assert set(journal.opted_out_contacts()) == {"5"}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_an_old_postgresql_journal_is_upgraded_in_place_and_keeps_its_list() -> None:
    from greeter import journal_pg_schema

    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        journal_pg_schema.migrate(conn, schema=name, now=MOMENT, migrations=PG_MIGRATIONS[:4])
        conn.execute("INSERT INTO suppression VALUES ('old@example.com', 'manual', now())")
        conn.execute(
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, created_at,"
            " updated_at) VALUES ('5', 'birthday', '2026-11-20', 'sent', 'old@example.com', now(), now())"
        )
        with PgJournal.open(url, now=MOMENT) as journal:
            assert journal.suppressed() == {"old@example.com"}
            assert journal.opt_out(["old@example.com"], "manual", MOMENT) == (0, 1)
            assert set(journal.opted_out_contacts()) == {"5"}
        versions = conn.execute(f"SELECT max(version) FROM {name}.schema_version").fetchone()
        assert versions is not None and versions[0] == len(PG_MIGRATIONS)


# --- the planner, pure --------------------------------------------------------------------------------


def test_the_planner_takes_the_opted_out_ids_as_an_argument(make_project: MakeProject) -> None:
    from greeter.config_loader import load_settings
    from greeter.planner import plan_window

    settings = load_settings(make_project(CLIENTS), today=date(2027, 4, 1))
    now = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
    pw = plan_window(settings, now=now, start=date(2027, 4, 12), days=1)
    people = [
        Contact("1", "ivan.new@example.org", dates={"birthday": date(1980, 4, 12)}),
        Contact("2", "anna@example.com", dates={"birthday": date(1980, 4, 12)}),
    ]
    opted = {"1": PersonOptOut("1", "ivan@example.com", "unsubscribed (one-click)", MOMENT)}

    items = {i.hit.contact.id: i for i in plan(people, pw, opted_out=opted) if i.hit.occasion == "birthday"}

    assert items["1"].status == "skip" and items["1"].reason == "suppressed"
    assert items["1"].detail == (
        "the client opted out on 2027-04-12 from ivan@example.com (unsubscribed (one-click)), an address"
        " this contact no longer has; the opt-out is the person's, so ivan.new@example.org is not greeted"
        " either (greeter unsuppress --contact 1 lifts it)"
    )
    assert items["2"].status == "send"
    assert {i.status for i in plan(people, pw) if i.hit.occasion == "birthday"} == {"send"}
