"""What an operator's probe and counters say about a crash's letters, and a journal copied away.

Found by reading the daemon after the earlier rounds: ``/healthz`` answered a plain ``ok`` while
the journal held ``uncertain`` letters a killed daemon left (they wait for a person's decision);
``greeter_run_outcomes_total{outcome="uncertain"}`` did not count the letters recovered as
uncertain at start, so the counter and the journal disagreed; a journal ``copy-journal`` marked
copied under a running daemon showed on ``/healthz`` only after the next run or a one-click POST,
and the unsubscribe page still offered a button whose POST the daemon refuses (503).
Real pieces: ``greeter run`` subprocesses with their listener, real SQLite files, a real
PostgreSQL schema, ``greeter copy-journal``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.errors import JournalError
from greeter.file_modes import replace_whole
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest
from greeter.message import make_message_id
from greeter.unsubscribe import make_token, render_page, unsubscribe_person
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_daemon import run_args
from tests.test_send_e2e import greeter_process, people
from tests.test_unsubscribe import NEW, unsubscribe

MSK = ZoneInfo("Europe/Moscow")
ENGLISH = {"Accept-Language": "en"}


def _leave_a_killed_claim(config: Path) -> None:
    """What a SIGKILL mid-letter leaves in a SQLite journal: one ``claimed`` row, no sender."""
    path = config.parent / "data" / "journal.sqlite3"
    key = ("killed-sender-1", "birthday", date(2027, 4, 13))
    moment = datetime(2027, 4, 14, 10, 0, tzinfo=MSK)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Journal.open(f"sqlite:///{path}", now=moment) as killed:
        killed.lock_sender()
        secret = killed.message_key()
        assert secret is not None
        request = ClaimRequest(
            key, "gone@example.com", make_message_id(key, "romashka.example", secret), moment
        )
        assert killed.claim_many([request], now=moment) == [True]


def _metric(text: str, name: str) -> float | None:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def test_a_crashs_uncertain_letters_show_on_healthz_without_a_503_and_in_the_outcome_counter(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1))
    _leave_a_killed_claim(config)
    with DaemonProcess(config, *run_args()) as daemon:
        run = daemon.wait_for("run")
        status, body = http(daemon.url("/healthz"))
        _, metrics = http(daemon.url("/metrics"))
        decided = greeter_process(
            config, "uncertain", "dismiss", "--contact", "killed-sender-1", "--occasion", "birthday",
            "--date", "2027-04-13",
        )  # fmt: skip
        assert decided.returncode == 0, decided.stdout + decided.stderr
        after_status, after = http(daemon.url("/healthz"))
        assert daemon.stop() == 0
    assert (run["recovered_uncertain"], run["uncertain"]) == (1, 0), run
    said = json.loads(body)
    # Not a failure: a readiness probe keeps the daemon (and its unsubscribe page) in service.
    assert (status, said["status"]) == (200, "ok"), body
    assert (said["greetings"], said["uncertain_greetings"]) == ("uncertain", 1), body
    assert said["details"] is not None, body
    # Every letter this process recorded uncertain, the crash's it found at start too.
    assert _metric(metrics, 'greeter_run_outcomes_total{outcome="uncertain"}') == 1.0, metrics
    assert _metric(metrics, 'greeter_greetings{occasion="birthday",reason="",state="uncertain"}') == 1.0, (
        metrics
    )
    cleared = json.loads(after)
    assert (after_status, cleared["greetings"], cleared["uncertain_greetings"]) == (200, "ok", 0), after


def test_a_journal_copied_away_shows_on_healthz_and_the_page_offers_no_button(
    make_project: MakeProject, tmp_path: Path
) -> None:
    link = make_token(NEW.encode(), "client1@example.com")
    live = tmp_path / "live.sqlite3"
    with databases.pg_schema() as (url, _schema):
        config = make_project(people(2), storage={"url": url}, **unsubscribe())
        with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
            daemon.wait_for("run")
            assert http(daemon.url("/healthz"))[0] == 200
            offered = http(daemon.url(f"/unsubscribe/{link}"), headers=ENGLISH)
            copied = greeter_process(config, "copy-journal", f"sqlite:///{live}")
            assert copied.returncode == 0, copied.stdout + copied.stderr
            # No run and no POST since: the probe itself reads the mark.
            status, body = http(daemon.url("/healthz"))
            _, metrics = http(daemon.url("/metrics"))
            page_status, page = http(daemon.url(f"/unsubscribe/{link}"), headers=ENGLISH)
            moved = daemon.wait_for("journal_moved")
            runs = len(daemon.named("run")) + len(daemon.named("run_failed"))
            assert daemon.stop() == 0
    assert offered[0] == 200 and "<form" in offered[1], offered
    said = json.loads(body)
    assert (status, said["journal"], said["journal_problem"]) == (503, "failing", "journal_moved"), body
    assert _metric(metrics, "greeter_journal_up") == 0.0, metrics
    assert runs == 1, daemon.output()  # the one at start: nothing else touched the journal
    assert "restart greeter run" in moved["action"], moved
    # The page says the request cannot be taken now, and how else: no button that would fail.
    assert page_status == 503 and "<form" not in page, page
    assert page == render_page("unrecorded", "en", mailto="unsubscribe@romashka.example")


# --- a journal overwritten in place (cp OTHER onto it) under a running daemon -----------------------

OVERWRITTEN = "was overwritten in place while greeter was running"


def _another_journal(path: Path) -> None:
    """A journal of its own (its own identity mark, as its first sender leaves it), closed."""
    with Journal.open(f"sqlite:///{path}", now=datetime(2027, 4, 1, 9, 0, tzinfo=MSK)) as other:
        other.lock_sender()
        other.recover_stale_claims(datetime(2027, 4, 1, 9, 0, tzinfo=MSK))  # a sender's first step


def test_a_journal_copied_over_in_place_is_refused_and_a_second_writer_is_not(tmp_path: Path) -> None:
    path, other = tmp_path / "journal.sqlite3", tmp_path / "other.sqlite3"
    moment = datetime(2027, 4, 14, 10, 0, tzinfo=MSK)
    _another_journal(other)
    journal = Journal.open(f"sqlite:///{path}", now=moment)
    try:
        journal.lock_sender()
        assert journal.recover_stale_claims(moment) == 0
        # Another process writing the same journal (greeter suppress while the daemon runs) is no copy.
        with Journal.open(f"sqlite:///{path}", now=moment) as cli:
            cli.suppress(["someone@example.com"], "asked by phone", moment)
        assert journal.recover_stale_claims(moment) == 0 and journal.abandoned_claims() == set()
        assert journal.checkpoint() is None  # as the daemon leaves its journal after each run
        inode = path.stat().st_ino
        shutil.copyfile(other, path)  # what `cp other.sqlite3 journal.sqlite3` does: same inode
        assert path.stat().st_ino == inode
        with pytest.raises(JournalError, match=OVERWRITTEN):
            journal.recover_stale_claims(moment)  # the run's first step
        with pytest.raises(JournalError, match=OVERWRITTEN):
            journal.abandoned_claims()  # what /healthz's probe reads
        with pytest.raises(JournalError, match=OVERWRITTEN):
            unsubscribe_person(journal, "client1@example.com", moment, str(path))
    finally:
        journal.close()
    with sqlite3.connect(other) as a, sqlite3.connect(path) as b:  # nothing was written into the copy
        query = "SELECT fingerprint FROM notices WHERE name = 'journal_identity'"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert b.execute("SELECT count(*) FROM suppression").fetchone()[0] == 0


def test_a_daemon_whose_journal_is_copied_over_in_place_sends_nothing_more_and_says_why(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(people(2))
    path, other = config.parent / "data" / "journal.sqlite3", tmp_path / "other.sqlite3"
    _another_journal(other)
    with DaemonProcess(config, *run_args()) as daemon:
        first = daemon.wait_for("run")
        shutil.copyfile(other, path)
        daemon.send_signal(signal.SIGHUP)  # a reload plans again at once: the next run
        failed = daemon.wait_for("run_failed")
        status, body = http(daemon.url("/healthz"))
        assert daemon.stop() == 0
    assert first["sent"] == 2, first
    assert OVERWRITTEN in failed["error"] and "nothing more is claimed" in failed["error"], failed
    said = json.loads(body)
    assert (status, said["status"], said["journal"]) == (503, "unhealthy", "unreachable"), body
    assert OVERWRITTEN not in body  # the words are the log's (/healthz is public)
    with sqlite3.connect(path) as copied:  # the copy as it was put there: no greeting written into it
        assert copied.execute("SELECT count(*) FROM greetings").fetchone()[0] == 0
        assert copied.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- replace_whole's temporary, left by a writer killed between its write and its rename ------------


def test_a_killed_writers_temporary_is_swept_by_the_next_write_and_a_live_ones_is_not(tmp_path: Path) -> None:
    note = tmp_path / "journal.sqlite3.sent"
    killed = tmp_path / ".journal.sqlite3.sent.k1ll3d_x.tmp"  # mkstemp's name, as replace_whole makes it
    live = tmp_path / ".journal.sqlite3.sent.wr1t1ng.tmp"
    other = tmp_path / ".journal.sqlite3.tmp"  # not this file's temporary: never looked at
    for leftover in (killed, live, other):
        leftover.write_bytes(b"{}")
    hours_ago = time.time() - 2 * 3600
    os.utime(killed, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    replace_whole(note, b"{}", durable=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([note.name, live.name, other.name])


def test_a_writer_killed_between_write_and_rename_leaves_a_temporary_the_next_run_removes(
    tmp_path: Path,
) -> None:
    """A real SIGKILL at that moment: the child stops itself inside ``os.replace``."""
    note = tmp_path / "journal.sqlite3.sent"
    child = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from greeter import file_modes\n"
        "file_modes.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "file_modes.replace_whole(Path(sys.argv[1]), b'{}')\n"
    )
    killed = subprocess.run([sys.executable, "-c", child, str(note)], check=False, env=_env())
    assert killed.returncode == -signal.SIGKILL
    (left,) = tmp_path.glob(".journal.sqlite3.sent.*.tmp")
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))  # the next run, hours later
    replace_whole(note, b"{}")
    assert [p.name for p in tmp_path.iterdir()] == [note.name]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
