"""The SQLite journal's file under attack: a hard link, damaged inner pages; psycopg's own noise.

As a chaos engineer found them, on real files and real ``greeter`` processes:

* two ``send --once`` through two hard links of one journal both sent
  everything (358 duplicates): the sender lock followed the name;
* ``greeter check`` said OK of a journal whose inner pages were damaged
  (send and history then stopped at "database disk image is malformed");
* ``greeter backup`` of it blamed its own temporary file;
* psycopg's "error ignored terminating <psycopg.Pipeline [BAD] at 0x…>"
  reached the operator beside greeter's own account of a lost server.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.journal import Journal
from greeter.journal_backup import BACKUP_DAMAGED_HINT
from greeter.journal_schema import DAMAGED_HINT
from tests.conftest import MakeProject
from tests.test_send_e2e import greeter_process, people

NOW = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)


def test_a_hard_link_to_the_journal_does_not_get_past_the_sender_lock(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Two senders through two names both sent everything (358 duplicates, a malformed journal);
    a suppress through a second name while the daemon held the first was lost (QA re-test)."""
    journal_path = tmp_path / "journal.sqlite3"
    Journal.open(str(journal_path), now=NOW).close()
    hard = tmp_path / "other" / "hard.sqlite3"
    hard.parent.mkdir()
    config = make_project(people(2), storage={"url": f"sqlite:///{hard}"})
    with Journal.open(str(journal_path), now=NOW) as sender:
        sender.lock_sender()
        os.link(journal_path, hard)  # made while a sender holds the first name
        second = greeter_process(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00")
        opt_out = greeter_process(config, "suppress", "someone@example.com")
    for refused in (second, opt_out):
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"journal {hard} has 2 names (hard links)" in refused.stderr, refused.stderr
    hard.unlink()
    config = make_project(people(2), storage={"url": f"sqlite:///{journal_path}"})
    after = greeter_process(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00")  # one name again
    assert after.returncode == 0, after.stderr


def damaged_journal(path: Path) -> None:
    """A journal of 3,000 greetings whose header and schema are whole but whose inner pages are not."""
    with Journal.open(str(path), now=NOW) as journal:
        for i in range(3000):
            journal.record_handled(
                (str(i), "birthday", date(2027, 4, 13)),
                "sent by another tool",
                NOW,
                email=f"c{i}@example.com",
            )
        journal.checkpoint()
    with path.open("r+b") as fh:
        fh.seek(4096 * 30)
        fh.write(os.urandom(4096 * 10))


def test_check_finds_damaged_inner_pages_and_says_the_restore(
    make_project: MakeProject, tmp_path: Path
) -> None:
    journal_path = tmp_path / "damaged.sqlite3"
    damaged_journal(journal_path)
    config = make_project(people(1), storage={"url": f"sqlite:///{journal_path}"})
    check = greeter_process(config, "check")
    said = check.stdout + check.stderr
    assert check.returncode == 2, said
    assert "PRAGMA quick_check finds it damaged" in said and DAMAGED_HINT in said, said


def test_backup_of_a_damaged_journal_says_the_journal_is_damaged(
    make_project: MakeProject, tmp_path: Path
) -> None:
    journal_path = tmp_path / "damaged.sqlite3"
    damaged_journal(journal_path)
    config = make_project(people(1), storage={"url": f"sqlite:///{journal_path}"})
    backup = greeter_process(config, "backup", str(tmp_path / "bk.sqlite3"))
    assert backup.returncode == 2, backup.stderr
    assert f"journal {journal_path}: cannot back it up" in backup.stderr, backup.stderr
    assert BACKUP_DAMAGED_HINT in backup.stderr  # not "greeter backup makes one": it just refused
    assert "greeter backup makes one" not in backup.stderr
    assert ".tmp" not in backup.stderr and not (tmp_path / "bk.sqlite3").exists()


def test_psycopg_cleanup_noise_is_a_debug_line_of_greeters_without_object_reprs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The filter comes with the PostgreSQL journal's module, imported when a PostgreSQL journal
    # opens: imported here, so the test does not depend on another test of its process having done it.
    import greeter.journal_pg_base  # noqa: F401

    class Pipeline:
        def __repr__(self) -> str:
            return "<psycopg.Pipeline [BAD] at 0x7f00>"

    with caplog.at_level(logging.DEBUG):
        logging.getLogger("psycopg").warning(
            "error ignored terminating %r: %s",
            Pipeline(),
            "consuming input failed: server closed the connection unexpectedly",
        )
    assert not [r for r in caplog.records if r.name == "psycopg"]
    said = [r.getMessage() for r in caplog.records if r.name.startswith("greeter")]
    assert said == [
        "pg_cleanup_error_ignored Pipeline: consuming input failed: server closed the connection unexpectedly"
    ]
    assert "0x" not in said[0]
