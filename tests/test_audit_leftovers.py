"""A compliance auditor's findings after the opt-out record (``optout_events``), each through the
real CLI, the real journal (SQLite file; PostgreSQL at 127.0.0.1 where the journal's part applies)
and, for the one-click link, a real daemon.

1. ``approve`` crashed under a container's UID with no passwd entry (``getpass.getuser()``), where
   ``suppress``/``unsuppress`` record nobody; 2. ``forget`` could not say who erased nor be dated by
   ``--now``; 3. an imported list's day alone was 00:00 UTC, not the start of that day where the
   bank is; 4. a one-click opt-out of an address never greeted bound no contact id. (6., the
   runtime role's grants after an upgrade that adds a table: tests/test_journal_pg_grants.py.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.journal_store import JournalStore
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess
from tests.test_container_uids import _as, _nameless_ids
from tests.test_optout_events import events

MOMENT = datetime(2027, 4, 12, 7, 0, tzinfo=UTC)
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in range(1, 4)]


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


# --- 1. approve under a UID with no login name ---------------------------------------------------


@pytest.fixture
def shared_project(make_project: MakeProject) -> Iterator[Path]:
    """The project in a folder any UID may write (the tests' own tmp_path is root's alone)."""
    built = make_project(CLIENTS)
    folder = Path(tempfile.mkdtemp(prefix="greeter-nameless-"))
    try:
        shutil.copytree(built.parent, folder, dirs_exist_ok=True)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        yield folder / built.name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_approve_under_a_uid_without_a_login_name_records_unknown_not_a_crash(shared_project: Path) -> None:
    (uid,) = _nameless_ids(1)
    args = ("approve", "--all", "--from", "2027-04-12", "--days", "3", "--now", "2027-04-10T10:00")
    # The same command as root first, on a copy: the child may read no module off the disk.
    warm = Path(tempfile.mkdtemp(prefix="greeter-warm-"))
    try:
        shutil.copytree(shared_project.parent, warm, dirs_exist_ok=True)
        assert greeter(warm / shared_project.name, *args, "--by", "root").exit_code == 0
    finally:
        shutil.rmtree(warm, ignore_errors=True)

    def approve() -> str:
        for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            os.environ.pop(name, None)
        done = greeter(shared_project, *args)
        return f"{done.exit_code}\n{done.output}"

    said = _as(uid, [uid], approve)

    code, _, output = said.partition("\n")
    assert code == "0", said
    assert "approved 3 draft(s)" in output, said
    with sqlite3.connect(shared_project.parent / "data" / "journal.sqlite3") as db:
        assert db.execute("SELECT DISTINCT approved_by FROM approvals").fetchall() == [("unknown",)]


# --- 2. forget --by --now ---------------------------------------------------------------------------


def test_forget_names_who_erased_and_is_dated_by_now(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    done = greeter(config, "suppress", "client02@example.com", "--reason", "called", "--by", "olga",
                   "--now", "2027-04-01T10:00:00+03:00")  # fmt: skip
    assert done.exit_code == 0, done.output

    erased = greeter(config, "forget", "client02@example.com", "--yes", "--by", "dpo-anna",
                     "--now", "2027-04-05T02:30:00+03:00")  # fmt: skip

    assert erased.exit_code == 0, erased.output
    trail = [(e["event"], e["channel"], e["contact_id"], e["reason"], e["by"], e["recorded_at"])
             for e in events(config, "client02@example.com")]  # fmt: skip
    assert trail == [
        ("added", "manual", None, "erased on 2027-04-04: reason removed", "olga", "2027-04-01T07:00:00+00:00"),
        ("added", "manual", "2", "erased on 2027-04-04: reason removed", "olga", "2027-04-01T07:00:00+00:00"),
        ("added", "erasure", None, "erasure request", "dpo-anna", "2027-04-04T23:30:00+00:00"),
        ("added", "erasure", "2", "erasure request", "dpo-anna", "2027-04-04T23:30:00+00:00"),
    ]  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        yield journal


def test_an_erasure_names_who_erased_on_both_journals(journal: JournalStore) -> None:
    later = MOMENT + timedelta(days=1)
    journal.forget("gone@example.com", later, contact_ids=["1"], by="dpo-anna")
    assert [(e.contact_id, e.channel, e.by, e.recorded_at) for e in journal.optout_events()] == [
        (None, "erasure", "dpo-anna", later),
        ("1", "erasure", "dpo-anna", later),
    ]


# --- 3. a list's day alone starts where the bank's days do -------------------------------------------


def test_an_imported_day_alone_is_the_start_of_that_day_in_the_default_zone(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS, defaults={"timezone": "Asia/Vladivostok"})
    crm = tmp_path / "dnc.csv"
    crm.write_text(
        "Email;Дата отписки\n"
        "client01@example.com;2026-03-05\n"  # ISO, a day alone
        "client02@example.com;05.03.2026\n"  # contacts.date_formats
        "client03@example.com;05.03.2026 17:11\n",  # a time without an offset: UTC, as before
        encoding="utf-8",
    )

    done = greeter(config, "suppress", "--from-csv", str(crm), "--now", "2027-04-10T10:00")

    assert done.exit_code == 0, done.output
    since = {e["email"]: e["since"] for e in events(config) if e["contact_id"] is None}
    assert since == {
        "client01@example.com": "2026-03-04T14:00:00+00:00",  # 00:00 in Vladivostok (UTC+10)
        "client02@example.com": "2026-03-04T14:00:00+00:00",
        "client03@example.com": "2026-03-05T17:11:00+00:00",
    }


# --- 4. a one-click opt-out binds the contacts holding the address ----------------------------------


def finished(daemon: DaemonProcess, name: str, count: int, timeout: float = 30) -> None:
    """Wait until the daemon has logged ``count`` events called ``name``."""
    deadline = time.monotonic() + timeout
    while len(daemon.named(name)) < count:
        assert time.monotonic() < deadline, f"not {count} {name!r} within {timeout}s:\n{daemon.output()}"
        time.sleep(0.05)


def test_a_one_click_opt_out_of_an_address_never_greeted_binds_its_contacts(
    make_project: MakeProject,
) -> None:
    """The link of a letter whose row a purge deleted (or another journal sent): the opt-out bound
    only the contact ids greeted at the address — none — and the client was greeted at the next
    address the CRM gave them. Now the contacts the source gives the address are bound too."""
    from greeter.unsubscribe import make_token
    from tests.daemon_harness import http
    from tests.test_daemon import run_args
    from tests.test_unsubscribe import ONE_CLICK, unsubscribe

    rows = [
        contact_row("1", "client01@example.com", birthday="01.09.1980"),  # no occasion near: never greeted
        contact_row("77", "Client77@Example.com", birthday="02.09.1980"),  # the link's address is folded
    ]
    config = make_project(rows, **unsubscribe())
    secret = "new-secret-for-tests-32-bytes-long"
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": secret}) as daemon:
        daemon.wait_for("run")  # a shared machine's start can be slow: the harness's HANG_GUARD
        for address in ("client01@example.com", "client77@example.com"):
            link = daemon.url(f"/unsubscribe/{make_token(secret.encode(), address)}")
            assert http(link, ONE_CLICK)[0] == 200
        finished(daemon, "unsubscribed_contacts_bound", 2)
        assert http(link, ONE_CLICK)[0] == 200  # a second click: listed already, nothing read again
        finished(daemon, "unsubscribed", 3)
        assert daemon.stop() == 0
        assert [e["contacts"] for e in daemon.named("unsubscribed_contacts_bound")] == [1, 1]

    trail = {(e["email"], e["contact_id"], e["channel"], e["reason"]) for e in events(config)}
    assert trail == {
        ("client01@example.com", None, "link", "unsubscribed (one-click)"),
        ("client01@example.com", "1", "link", "unsubscribed (one-click)"),
        ("client77@example.com", None, "link", "unsubscribed (one-click)"),
        ("client77@example.com", "77", "link", "unsubscribed (one-click)"),
    }
