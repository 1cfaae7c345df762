"""Only a journal's own project writes to it, and ``check`` never writes to one at all.

Found by QA re-testing "one journal, one project": ``check`` upgraded a
schema-9 journal it had just said the next command would upgrade (an older
greeter then refused it); a daemon took another project's config by a reload
and sent with it into the first project's journal; ``suppress`` under brand
C's config, pointed at brand A's journal, put A's client on the
do-not-contact list; ``send --once --adopt-journal --dry-run`` repeated the
refusal whose advice was ``--adopt-journal``. Through the real CLI, the real
daemon and real SQLite files.
"""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest

from greeter.journal_schema import MIGRATIONS, migrate
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import smtp
from tests.test_shared_journal import BRAND_A, BRAND_C, NOW, a_journal, greeter, journal_rows, other_project


@pytest.fixture
def brand_a(make_project: MakeProject) -> Path:
    """Brand A's project, whose journal holds both its clients' birthday letters (and its project)."""
    config = make_project(BRAND_A)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.exit_code == 0 and "sent: 2" in sent.output, sent.output
    return config


def brand_c_on(brand_a: Path, folder: Path) -> Path:
    """Brand C's config (its own sender and contacts) pointed at brand A's journal."""
    journal = a_journal(brand_a)
    changes = {"sender.email": "greetings@brand-c.example", "storage.url": f"sqlite:///{journal}"}
    return other_project(brand_a, folder, BRAND_C, **changes)


def test_check_of_an_older_journal_leaves_it_older(make_project: MakeProject) -> None:
    config = make_project(BRAND_A)
    journal = config.parent / "data" / "journal.sqlite3"
    journal.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(journal, isolation_level=None)
    assert migrate(conn, now_iso="2026-11-01T09:00:00+00:00", migrations=MIGRATIONS[:9]) == 9
    conn.close()
    for _ in range(2):  # said again the second time: still 9
        checked = greeter(config, "check")  # on the real clock: the clock check reads the journal too
        assert f"journal schema version 9 of {len(MIGRATIONS)}" in checked.output, checked.output
        assert "upgrades it" in checked.output
    assert max(row[0] for row in journal_rows(journal, "schema_version")) == 9
    with sqlite3.connect(journal) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "project" not in tables


@pytest.mark.parametrize(
    "args",
    [
        ("suppress", "c1@example.com"),  # put brand A's client 1 on the list as a person
        ("unsuppress", "a1@example.com"),
        ("purge", "--older-than", "730"),
        ("forget", "--yes", "c1@example.com"),
        ("uncertain", "dismiss", "--all"),
        ("approve", "--all", "--now", NOW),
        ("baseline", "--now", NOW),
    ],
)
def test_a_command_that_writes_refuses_another_projects_journal(
    brand_a: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    brand_c = brand_c_on(brand_a, tmp_path / "c")
    journal = a_journal(brand_a)
    tables = ("greetings", "suppression", "suppressed_contacts", "approvals", "project")
    before = [journal_rows(journal, table) for table in tables]
    refused = greeter(brand_c, *args)
    assert refused.exit_code == 2, refused.output
    said = f"journal {journal} belongs to another project: sender greetings@romashka.example"
    assert said in refused.output and "nothing was changed in it" in refused.output, refused.output
    # QA: it read "its sender and contacts both changed, run greeter send --once --adopt-journal once"
    # to a baseline user, not saying that run sends (nor that a dry run adopts nothing).
    flat = " ".join(refused.output.split())
    assert (
        "If it is the same project, whose sender and contacts have both changed, adopt the journal first"
        " with greeter send --once --adopt-journal (only a real send adopts one, a --dry-run does not, and"
        " it sends what is due now), then run this command again; nothing was changed in it"
    ) in flat, refused.output
    assert "Traceback" not in refused.output
    assert [journal_rows(journal, table) for table in tables] == before


@pytest.mark.parametrize(
    "args",
    [
        ("history",),  # brand A's letters listed as brand C's, A's client 1 as C's
        ("history", "--contact", "1"),
        ("suppress", "--list"),
    ],
)
def test_a_command_that_reads_refuses_another_projects_journal(
    brand_a: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Refused as preview refuses it: one journal opener for every command (greeter.own_journal)."""
    brand_c = brand_c_on(brand_a, tmp_path / "c")
    journal = a_journal(brand_a)
    refused = greeter(brand_c, *args)
    assert refused.exit_code == 2, refused.output
    said = f"journal {journal} belongs to another project: sender greetings@romashka.example"
    assert said in refused.output and "nothing was read from it" in refused.output, refused.output
    assert "a1@example.com" not in refused.output


def test_a_projects_own_config_still_writes_to_its_journal(brand_a: Path) -> None:
    assert greeter(brand_a, "suppress", "a1@example.com").exit_code == 0
    assert greeter(brand_a, "unsuppress", "a1@example.com").exit_code == 0


def test_adopt_journal_dry_run_plans_as_adopted_and_records_nothing(brand_a: Path, tmp_path: Path) -> None:
    brand_c = brand_c_on(brand_a, tmp_path / "c")
    journal = a_journal(brand_a)
    before = journal_rows(journal, "project")
    planned = greeter(brand_c, "send", "--once", "--adopt-journal", "--dry-run", "--now", NOW)
    assert planned.exit_code == 0, planned.output
    assert "belongs to another project" not in planned.output
    assert journal_rows(journal, "project") == before  # nothing adopted: still brand A's
    assert greeter(brand_c, "send", "--once", "--now", NOW).exit_code == 2


def test_a_reload_into_another_projects_config_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    with SmtpSink() as sink:
        config = make_project(BRAND_A, **smtp(sink.port))
        good = config.read_text(encoding="utf-8")
        contacts = config.parent / "data" / "contacts.csv"
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
            daemon.wait_for("run")
            sent = len(sink.messages)
            (tmp_path / "c").mkdir()
            other = tmp_path / "c" / "contacts.csv"
            other.write_text(contacts.read_text(encoding="utf-8-sig").replace("a1@", "c1@"), encoding="utf-8")
            text = good.replace("greetings@romashka.example", "greetings@brand-c.example")
            config.write_text(text.replace("path: data/contacts.csv", f"path: {other}"), encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            failed = daemon.wait_for("reload_failed_keeping_old_config")
            status, body = http(daemon.url("/healthz"))
            assert daemon.stop() == 0
    assert "belongs to another project" in " ".join(failed["problems"]), failed
    assert "the reload is refused, the config in force stays" in " ".join(failed["problems"])
    assert not daemon.named("reloaded")
    health = json.loads(body)
    assert status == 200 and health["config"] == "reload_failed", health
    assert len(sink.messages) == sent  # nothing sent with the other project's config
    facts = dict(
        (name, value)
        for name, value, _ in journal_rows(config.parent / "data" / "journal.sqlite3", "project")
    )
    assert facts["sender"] == "greetings@romashka.example"
