"""A SQLite journal lost, replaced or mistyped never leads to a greeting sent twice, nor to a new journal.

Real SQLite files, real ``python -m greeter`` processes (the ``file`` transport: each
letter an ``.eml`` in ``data/outbox``) and, for a journal deleted under it, a real daemon.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from greeter.errors import JournalError
from greeter.journal import Journal
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, greeter_process, people

MOMENT = datetime.fromisoformat(NOW)


def letters(config: Path) -> int:
    """How many letters the outbox holds: each greeting's file, named after its Message-ID."""
    outbox = config.parent / "data" / "outbox"
    return len(list(outbox.glob("*.eml"))) if outbox.exists() else 0


def empty_outbox(config: Path) -> None:
    """Take the letters out (a letter sent again would have the same file name, not a new one)."""
    for letter in (config.parent / "data" / "outbox").glob("*.eml"):
        letter.unlink()


def journal_of(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


# --- a journal deleted or lost between runs ------------------------------------------------------


def test_a_journal_is_made_silently_and_with_its_lock_file_by_whichever_command_writes_first(
    make_project: MakeProject,
) -> None:
    config = make_project(people(3))
    first = greeter_process(config, "suppress", "anna@example.com")  # not a sender: no sender lock taken
    assert first.returncode == 0 and first.stderr == "", first.stderr
    # the lock file made with it is the trace that tells a lost journal from none yet
    assert journal_of(config).exists() and Path(f"{journal_of(config)}.lock").exists()
    send = greeter_process(config, "send", "--once", "--now", NOW)
    said = [line for line in send.stderr.splitlines() if not line.startswith("first run on a new journal:")]
    assert send.returncode == 0 and "sent: 3" in send.stdout and not any("journal" in line for line in said)


def test_a_deleted_journal_is_refused_by_send_and_run_not_made_anew(make_project: MakeProject) -> None:
    config = make_project(people(3))
    assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
    assert letters(config) == 3
    empty_outbox(config)
    journal_of(config).unlink()  # its lock file stays, as a sender leaves it
    lock = journal_of(config).with_name("journal.sqlite3.lock")
    again = greeter_process(config, "send", "--once", "--now", NOW)
    assert again.returncode == 2, again.stdout + again.stderr
    assert letters(config) == 0  # nothing sent twice
    assert not journal_of(config).exists()  # and no empty journal made in its place
    (line,) = again.stderr.strip().splitlines()
    assert line.startswith(
        f"journal {journal_of(config)} is missing, but its lock file {lock} shows it existed"
    )
    note = journal_of(config).with_name("journal.sqlite3.sent")  # left, a fresh journal is refused as rewound
    assert "restore the journal from a backup" in line and line.endswith(f"delete {lock} and its note {note}")
    # its rehearsal too: a dry run listed every greeting the lost journal recorded as due again
    dry = greeter_process(config, "send", "--once", "--dry-run", "--now", NOW)
    assert dry.returncode == 2 and "is missing, but its lock file" in dry.stderr, dry.stdout + dry.stderr
    assert "due" not in dry.stdout and not journal_of(config).exists()
    daemon = greeter_process(config, "run", "--now", NOW, "--listen", "127.0.0.1:0", timeout=60)
    assert daemon.returncode == 2 and '"event": "cannot_start"' in daemon.stderr
    assert "is missing, but its lock file" in daemon.stderr and letters(config) == 0
    # so do the commands that would make a journal only to write one row in it
    assert greeter_process(config, "suppress", "anna@example.com").returncode == 2
    assert not journal_of(config).exists()
    # the operator, knowing every greeting may go again, deletes the lock file and the note: a fresh start
    lock.unlink()
    note.unlink()
    fresh = greeter_process(config, "send", "--once", "--now", NOW)
    assert fresh.returncode == 0 and "sent: 3" in fresh.stdout and letters(config) == 3


@pytest.mark.parametrize("command", [("preview", "--format", "json"), ("calendar", "-o", "upcoming.ics")])
def test_preview_and_calendar_refuse_to_plan_from_a_lost_journal(
    make_project: MakeProject, command: tuple[str, ...]
) -> None:
    """Read as "nothing sent yet", a lost journal showed every greeting it had recorded as due again."""
    config = make_project(people(2))
    assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
    before = greeter_process(config, "preview", "--format", "json", "--now", NOW)
    assert before.returncode == 0 and '"sent"' in before.stdout  # the journal shows them sent
    journal_of(config).unlink()
    args = [a if a != "upcoming.ics" else str(config.parent / a) for a in command]
    lost = greeter_process(config, *args, "--now", NOW)
    assert lost.returncode == 2, lost.stdout + lost.stderr
    assert "is missing, but its lock file" in lost.stderr
    # preview --format json says it as JSON too (config_error), never as a list of nothing planned
    said = {"config_error": lost.stderr.rstrip("\n")}
    assert (json.loads(lost.stdout) if command[0] == "preview" else lost.stdout) == (
        said if command[0] == "preview" else ""
    )
    assert not journal_of(config).exists() and not (config.parent / "upcoming.ics").exists()


@pytest.mark.parametrize(
    "command",
    [("history",), ("suppress", "--list"), ("uncertain", "dismiss", "--all"), ("unsuppress", "a@b.example")],
)
def test_the_journal_commands_say_a_lost_journal_is_lost_not_never_made(
    make_project: MakeProject, command: tuple[str, ...]
) -> None:
    """history and the commands that change only rows already there open the journal the way
    preview does (open_existing_journal): one whose lock file shows it existed is lost — restore
    it — never "nothing has been sent from this config yet"."""
    config = make_project(people(1))
    assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
    journal_of(config).unlink()
    lost = greeter_process(config, *command)
    assert lost.returncode == 2, lost.stdout + lost.stderr
    assert (
        "is missing, but its lock file" in lost.stderr and "restore the journal from a backup" in lost.stderr
    )
    assert not journal_of(config).exists()


def test_a_leftover_wal_file_is_a_trace_of_a_journal_too(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Path(f"{path}-wal").write_bytes(b"")
    with pytest.raises(JournalError, match=r"is missing, but \S+journal\.sqlite3-wal show it existed"):
        Journal.open(f"sqlite:///{path}", now=MOMENT)
    assert not path.exists()


def test_check_reports_a_lost_journal_instead_of_no_journal_yet(make_project: MakeProject) -> None:
    config = make_project(people(1))
    assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
    journal_of(config).unlink()
    check = greeter_process(config, "check", "--now", NOW)
    assert check.returncode != 0
    assert "no journal yet" not in check.stdout + check.stderr
    assert "is missing, but its lock file" in check.stdout + check.stderr


# --- a journal replaced or deleted under an open Journal ---------------------------------------


def test_a_journal_replaced_under_its_sender_claims_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(f"sqlite:///{path}", now=MOMENT)
    try:
        journal.lock_sender()
        assert journal.recover_stale_claims(MOMENT) == 0  # the run's first step passes
        copy = tmp_path / "restored.sqlite3"
        with sqlite3.connect(path) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        os.replace(copy, path)  # "restored from a backup" by moving it over the live one
        replaced = r"was deleted or replaced while greeter was running: the file there now is another one"
        with pytest.raises(JournalError, match=replaced):
            journal.recover_stale_claims(MOMENT)
        with pytest.raises(JournalError, match=replaced):
            journal.abandoned_claims()  # what the daemon's /healthz and /metrics probe reads
        path.unlink()
        with pytest.raises(JournalError, match=r"was deleted or replaced .*: no file is there now"):
            journal.recover_stale_claims(MOMENT)
    finally:
        journal.close()


def test_a_daemon_whose_journal_is_deleted_fails_its_runs_and_says_so(make_project: MakeProject) -> None:
    config = make_project(people(3))
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
        run = daemon.wait_for("run")
        assert (run["due"], run["sent"]) == (3, 3)
        assert http(daemon.url("/healthz"))[0] == 200
        empty_outbox(config)
        journal_of(config).unlink()
        daemon.send_signal(signal.SIGHUP)  # a reload plans again at once: the next run
        failed = daemon.wait_for("run_failed")
        assert (
            f"journal {journal_of(config)} was deleted or replaced while greeter was running"
            in failed["error"]
        )
        status, body = http(daemon.url("/healthz"))
        assert status == 503 and '"status": "unhealthy"' in body
        # /healthz (public) has the kind of error; the words are the run_failed line's above. The
        # kind says which: it was a bare "journal", the same as any other fault of the journal.
        assert '"journal": "unreachable"' in body and '"journal_problem": "journal_missing"' in body, body
        assert "was deleted or replaced" not in body, body
        assert daemon.stop() == 0
    assert letters(config) == 0
    after = greeter_process(config, "send", "--once", "--now", NOW)
    assert after.returncode == 2, after.stdout + after.stderr
    # SQLite leaves the -wal and -shm of a file unlinked while open; each trace left is named
    left = [f"{journal_of(config)}{end}" for end in (".lock", "-wal", "-shm")]
    left = [name for name in left if Path(name).exists()]
    assert left[0].endswith(".lock") and f"{journal_of(config)} is missing, but " in after.stderr
    assert all(name in after.stderr for name in left)
    assert letters(config) == 0


# --- readers never make a journal ----------------------------------------------------------------


MISTYPED = {"storage": {"url": "sqlite:///data/journl.sqlite3"}}


@pytest.mark.parametrize(
    "command",
    [
        ("history", "--state", "uncertain"),
        ("history", "--format", "json"),
        ("suppress", "--list"),
        ("uncertain", "resend", "--all"),
        ("unsuppress", "anna@example.com"),
    ],
)
def test_reading_commands_never_make_a_journal(make_project: MakeProject, command: tuple[str, ...]) -> None:
    config = make_project(people(1), **MISTYPED)
    typo = config.parent / "data" / "journl.sqlite3"
    result = greeter_process(config, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == (
        f"no journal at {typo} (storage.url): nothing has been sent from this config yet, or the path is wrong"
    )
    # JSON asked for gets the reason as JSON (docs/commands.md), never an empty list
    said = {"config_error": result.stderr.strip()}
    assert (json.loads(result.stdout) if "json" in command else result.stdout) == (
        said if "json" in command else ""
    )
    assert sorted(p.name for p in typo.parent.iterdir()) == ["contacts.csv"]


def test_preview_works_without_a_journal_where_history_refuses(make_project: MakeProject) -> None:
    config = make_project(people(1), **MISTYPED)
    assert greeter_process(config, "history").returncode == 2
    result = greeter_process(config, "preview", "--now", NOW, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (config.parent / "data").iterdir()) == ["contacts.csv"]


# --- a journal emptied or overwritten in place ----------------------------------------------------


def test_a_journal_emptied_to_zero_bytes_is_refused_not_taken_for_a_new_one(
    make_project: MakeProject,
) -> None:
    """SQLite reads an empty file as a new database: after `: > journal` every greeting went again."""
    config = make_project(people(3))
    first = greeter_process(config, "send", "--once", "--now", NOW)
    assert first.returncode == 0, first.stdout + first.stderr
    sent = sorted(p.name for p in (config.parent / "data" / "outbox").iterdir())
    assert len(sent) == 3
    journal_of(config).write_bytes(b"")  # its lock file stays, as a truncation leaves it
    again = greeter_process(config, "send", "--once", "--now", NOW)
    assert again.returncode == 2, again.stdout + again.stderr
    assert f"journal {journal_of(config)} is empty (0 bytes), but" in again.stderr
    assert "restore the journal from a backup" in again.stderr
    assert sorted(p.name for p in (config.parent / "data" / "outbox").iterdir()) == sent
    assert journal_of(config).stat().st_size == 0  # nothing was made of it
    check = greeter_process(config, "check", "--now", NOW)
    assert check.returncode != 0 and "no journal yet" not in check.stdout + check.stderr
    assert "is empty (0 bytes)" in check.stdout + check.stderr
    assert greeter_process(config, "history").returncode == 2


def test_an_empty_file_no_journal_left_is_made_a_journal(tmp_path: Path) -> None:
    """`touch journal.sqlite3` before the first send (no lock file): nothing was lost, nothing refused."""
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"")
    Journal.open(f"sqlite:///{path}", now=MOMENT).close()
    assert path.stat().st_size > 0


def test_a_journal_emptied_under_its_sender_claims_nothing_more(tmp_path: Path) -> None:
    """Truncated in place, the file keeps its inode: the daemon went on for 27 runs into a journal
    then found malformed, /healthz saying ok."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(f"sqlite:///{path}", now=MOMENT)
    try:
        journal.lock_sender()
        assert journal.recover_stale_claims(MOMENT) == 0
        with path.open("r+b") as fh:  # in place: same inode
            fh.truncate(0)
        emptied = r"was emptied while greeter was running \(its file is 0 bytes now\)"
        with pytest.raises(JournalError, match=emptied):
            journal.recover_stale_claims(MOMENT)
        with pytest.raises(JournalError, match=emptied):
            journal.abandoned_claims()  # what the daemon's /healthz and /metrics probe reads
    finally:
        journal.close()


def test_the_senders_check_of_its_file_keeps_sqlites_locks(tmp_path: Path) -> None:
    """The check of the journal's file opened and closed it, and closing any descriptor of a file
    drops every POSIX lock the process holds on it — SQLite's: the next `greeter history` took the
    daemon's write-ahead log for a leftover, folded it in and deleted it, and what the daemon wrote
    after that went into a deleted file (a crash, and those letters were sent again)."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(f"sqlite:///{path}", now=MOMENT)
    try:
        journal.lock_sender()
        writer = sqlite3.connect(path)  # the daemon's own connection, kept open as the daemon keeps it
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE probe (n INTEGER)")
        writer.execute("INSERT INTO probe VALUES (1)")
        writer.commit()
        journal.recover_stale_claims(MOMENT)  # the check at the start of every run
        reader = f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()"
        subprocess.run([sys.executable, "-c", reader], check=True)  # `greeter history`, in another process
        assert Path(f"{path}-wal").exists()  # the daemon's log is still there, not deleted under it
        writer.execute("INSERT INTO probe VALUES (2)")
        writer.commit()
        count = (
            "import sqlite3; print(sqlite3.connect({!r}).execute('SELECT count(*) FROM probe').fetchone()[0])"
        )
        seen = subprocess.run([sys.executable, "-c", count.format(str(path))], capture_output=True, text=True)
        assert seen.stdout.strip() == "2", seen.stdout + seen.stderr
        writer.close()
    finally:
        journal.close()
