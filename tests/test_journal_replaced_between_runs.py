"""A journal file replaced between two of a running daemon's runs is noticed at the next run.

Found by an operator: the overwrite check (``cp other.sqlite3 journal.sqlite3`` under a running
daemon: same inode, so only the identity mark tells) read the mark through SQLite's write-ahead
log. When the ``-wal`` still held the ``notices`` page — a run's own ``last_plan`` notice that its
checkpoint could not fold in while a reader (``greeter history``) held an older snapshot, or a
notice another command wrote — the check read the *old* journal's mark from the log, found it
the same, and the run went on reading and writing the old journal into the new one's file.
A file moved over the journal (``mv``: another inode) was already seen, and is pinned here too.
Real pieces: ``greeter run`` subprocesses (tests/daemon_harness.py), real SQLite files.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.errors import JournalError
from greeter.journal import Journal
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon import finished_runs, run_args
from tests.test_ops_leftovers import OVERWRITTEN, _another_journal
from tests.test_send_e2e import people

MSK = ZoneInfo("Europe/Moscow")
MOMENT = datetime(2027, 4, 14, 10, 0, tzinfo=MSK)
REPLACED = "was deleted or replaced while greeter was running"


def _copy_over(other: Path, path: Path) -> None:
    shutil.copyfile(other, path)  # `cp other.sqlite3 journal.sqlite3`: the same inode


def _move_over(other: Path, path: Path) -> None:
    os.replace(other, path)  # `mv other.sqlite3 journal.sqlite3`: another inode


def test_a_journal_copied_over_while_its_log_holds_the_notices_page_is_noticed(tmp_path: Path) -> None:
    """The journal-level check: the notices page in the ``-wal`` (a notice written after the last
    checkpoint, by another command) no longer hides the file's new content."""
    path, other = tmp_path / "journal.sqlite3", tmp_path / "other.sqlite3"
    _another_journal(other)
    journal = Journal.open(f"sqlite:///{path}", now=MOMENT)
    try:
        journal.lock_sender()
        assert journal.recover_stale_claims(MOMENT) == 0
        assert journal.checkpoint() is None  # as the daemon leaves its journal after each run
        with Journal.open(f"sqlite:///{path}", now=MOMENT) as cli:  # another command's notice
            cli.record_notice("some_notice", "said", MOMENT)
        assert Path(f"{path}-wal").stat().st_size > 0  # the notices page is in the log, not the file
        _copy_over(other, path)
        with pytest.raises(JournalError, match=OVERWRITTEN):
            journal.recover_stale_claims(MOMENT)
        with pytest.raises(JournalError, match=OVERWRITTEN):
            journal.abandoned_claims()  # what /healthz's probe reads
    finally:
        journal.close()


def test_a_journal_whose_mark_is_only_in_its_log_is_not_taken_for_another(tmp_path: Path) -> None:
    """No false alarm: a new journal's mark, not yet checkpointed into the file, is its own."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(f"sqlite:///{path}", now=MOMENT)
    try:
        journal.lock_sender()
        for _ in range(3):
            assert journal.recover_stale_claims(MOMENT) == 0
            assert journal.abandoned_claims() == set()
        assert journal.checkpoint() is None
        with Journal.open(f"sqlite:///{path}", now=MOMENT) as cli:
            cli.record_notice("some_notice", "said", MOMENT)
        assert journal.recover_stale_claims(MOMENT) == 0  # the file holds the mark now, the log too
    finally:
        journal.close()


@pytest.mark.parametrize(("replace", "said"), [(_copy_over, OVERWRITTEN), (_move_over, REPLACED)])
def test_a_journal_replaced_between_two_daemon_runs_fails_the_next_run(
    make_project: MakeProject, tmp_path: Path, replace: Callable[[Path, Path], None], said: str
) -> None:
    config = make_project(people(2))
    path, other = config.parent / "data" / "journal.sqlite3", tmp_path / "other.sqlite3"
    _another_journal(other)
    with DaemonProcess(config, *run_args()) as daemon:
        first = daemon.wait_for("run")
        # A reader's snapshot (greeter history streaming) across the next run: the run's own
        # notice stays in the -wal, its checkpoint cannot fold it into the file.
        reader = sqlite3.connect(path)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM greetings").fetchone()
        daemon.send_signal(signal.SIGHUP)  # a reload plans again at once: the second run
        finished_runs(daemon, 2)
        reader.rollback()
        reader.close()
        replace(other, path)
        daemon.send_signal(signal.SIGHUP)  # the third run
        failed = daemon.wait_for("run_failed")
        runs = len(daemon.finished_runs())
        assert daemon.stop() == 0
    assert first["sent"] == 2, first
    assert said in failed["error"] and "nothing more is claimed" in failed["error"], failed
    assert runs == 2, daemon.output()  # the third run claimed nothing: it failed first
