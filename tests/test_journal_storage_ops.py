"""An operator's journal on a VM: made read-only once, another user's, on a full disk.

Real processes and files. Permission cases run greeter as ``nobody``
(``setpriv``; root, as CI is, bypasses file modes), in a folder of /tmp of its
own that nobody may pass through (pytest's own is 0700); the full disk is
``RLIMIT_FSIZE`` (:func:`tests.test_journal_outages.greeter_on_full_disk`).
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from greeter.journal import Journal
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_journal_outages import greeter_on_full_disk, greeter_read_only
from tests.test_send_e2e import NOW, greeter_process, history, people, smtp

ROOT = Path(__file__).resolve().parent.parent
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def nobodys_project() -> Iterator[Path]:
    """The example project in a folder of its own, owned by ``nobody``; its config file's path."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run greeter as nobody (root itself bypasses file modes)")
    top = Path(tempfile.mkdtemp(prefix="greeter-nobody-"))
    try:
        top.chmod(0o755)
        shutil.copytree(ROOT / "templates", top / "templates")
        (top / "data").mkdir()
        shutil.copy(ROOT / "data" / "contacts.csv", top / "data" / "contacts.csv")
        shutil.copy(ROOT / "config.example.yaml", top / "greeter.yaml")
        uid = pwd.getpwnam("nobody").pw_uid
        for path in [top, *top.rglob("*")]:
            os.chown(path, uid, -1)
        yield top / "greeter.yaml"
    finally:
        shutil.rmtree(top, ignore_errors=True)


def as_nobody(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``greeter --config CONFIG ARGS…`` run by user nobody, from the project's folder."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(config.parent),
        "LANG": "C",
    }
    return subprocess.run(
        [*NOBODY, sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True, text=True, timeout=180, env=env, check=False, cwd=config.parent,
    )  # fmt: skip


def side_files(journal: Path) -> list[str]:
    return sorted(p.name for p in journal.parent.glob(f"{journal.name}-*"))


# --- 1. a journal made read-only once -----------------------------------------------------------


def test_readers_of_a_read_only_journal_leave_no_read_only_wal_and_send_works_once_it_is_restored(
    nobodys_project: Path,
) -> None:
    """``chmod 444`` journal: history, preview, check and backup made ``-r--r--r--`` -wal and -shm
    files beside it, and after ``chmod 600`` every send stopped at "attempt to write a readonly
    database", naming only the journal. The readers now read it ``immutable``: nothing is left."""
    config = nobodys_project
    journal = config.parent / "data" / "journal.sqlite3"
    assert as_nobody(config, "suppress", "first@example.com").returncode == 0
    journal.chmod(0o444)
    for command in (["history"], ["check"], ["preview", "--days", "1", "--now", NOW], ["suppress", "--list"]):
        read = as_nobody(config, *command)
        assert read.returncode in (0, 1), (command, read.stderr)
        assert "Traceback" not in read.stderr
        assert side_files(journal) == [], command
    backup = as_nobody(config, "backup", str(config.parent / "copy.sqlite3"))
    assert backup.returncode == 0, backup.stderr
    assert side_files(journal) == []
    refused = as_nobody(config, "send", "--once", "--now", NOW)
    assert refused.returncode == 2
    assert "user nobody may not write it: mode 0444, owner nobody" in refused.stderr, refused.stderr
    assert side_files(journal) == []  # said before SQLite opened it, so none made either

    journal.chmod(0o600)
    sent = as_nobody(config, "send", "--once", "--now", NOW)
    assert sent.returncode in (0, 1), sent.stderr  # the example's own row warnings: 1
    assert "sent: " in sent.stdout


def test_send_and_check_name_a_read_only_wal_left_beside_a_writable_journal(nobodys_project: Path) -> None:
    """What an earlier greeter (or a sqlite3 shell) left: -wal/-shm with the journal's old 0444 mode."""
    config = nobodys_project
    journal = config.parent / "data" / "journal.sqlite3"
    assert as_nobody(config, "suppress", "first@example.com").returncode == 0
    journal.chmod(0o444)
    leave = "import sqlite3, sys; sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute('SELECT 1 FROM greetings')"
    subprocess.run([*NOBODY, sys.executable, "-c", leave, str(journal)], check=True)
    assert side_files(journal) == ["journal.sqlite3-shm", "journal.sqlite3-wal"]
    journal.chmod(0o600)

    refused = as_nobody(config, "send", "--once", "--now", NOW)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "attempt to write a readonly database" not in refused.stderr
    said = refused.stderr
    assert "journal.sqlite3-wal (mode 0444, owner nobody)" in said, said
    assert "journal.sqlite3-shm (mode 0444, owner nobody)" in said
    assert "while the journal is mode 0600, owner nobody" in said
    assert f"chmod --reference={journal} {journal}-wal {journal}-shm" in said

    checked = as_nobody(config, "check")
    assert "journal.sqlite3-shm (mode 0444, owner nobody)" in checked.stdout + checked.stderr
    assert "warning: user nobody cannot write it" in checked.stderr

    for side in journal.parent.glob("journal.sqlite3-*"):
        side.chmod(0o600)  # the fix the message gives
    assert as_nobody(config, "send", "--once", "--now", NOW).returncode in (0, 1)


# --- 4. read-only and permission messages -------------------------------------------------------


def test_a_journal_of_another_user_names_its_owner_and_mode(nobodys_project: Path) -> None:
    config = nobodys_project
    journal = config.parent / "data" / "journal.sqlite3"
    assert as_nobody(config, "suppress", "first@example.com").returncode == 0
    os.chown(journal, 0, 0)  # root's now, 0600: nobody may not even read it
    for command in (["send", "--once", "--now", NOW], ["suppress", "x@example.com"]):  # history: below
        refused = as_nobody(config, *command)
        assert refused.returncode == 2, (command, refused.stdout + refused.stderr)
        assert "user nobody may not read or write it: mode 0600, owner root" in refused.stderr, refused.stderr
    checked = as_nobody(config, "check")
    assert "cannot read it: unable to open database file" in checked.stdout + checked.stderr
    assert "(user nobody may not read or write it: mode 0600, owner root)" in checked.stdout + checked.stderr


def test_history_and_preview_on_a_journal_they_may_not_read_say_read_not_written(
    nobodys_project: Path,
) -> None:
    """They only read it: "cannot be written here" sent the operator after a write bit they do not need."""
    config = nobodys_project
    journal = config.parent / "data" / "journal.sqlite3"
    assert as_nobody(config, "suppress", "first@example.com").returncode == 0
    os.chown(journal, 0, 0)  # root's now, 0600: nobody may not even read it
    for command in (["history"], ["history", "--json"], ["preview", "--now", NOW]):
        refused = as_nobody(config, *command)
        assert refused.returncode == 2, (command, refused.stdout + refused.stderr)
        assert f"journal {journal} cannot be read here: user nobody may not read" in refused.stderr, (
            refused.stderr
        )
        assert "cannot be written here" not in refused.stderr, refused.stderr


def test_send_and_suppress_on_a_read_only_mount_say_it_is_mounted_read_only(tmp_path: Path) -> None:
    """The journal's -wal and -shm are there (its daemon runs): SQLite opens it, and only the first
    write — the lock file, the suppression — fails: each said "(its file system is mounted read-only)"
    as the docs promise, not "[Errno 30] Read-only file system" nor "attempt to write a readonly database"."""
    data = tmp_path / "data"
    data.mkdir()
    journal = data / "journal.sqlite3"
    config = tmp_path / "greeter.yaml"
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "data" / "contacts.csv", data / "contacts.csv")
    shutil.copy(ROOT / "config.example.yaml", config)
    assert greeter_process(config, "suppress", "first@example.com").returncode == 0
    Path(f"{journal}.lock").unlink()  # a lock file removed by hand: send must make it
    with Journal.open(str(journal), now=datetime.fromisoformat(NOW)) as running:
        running.suppress(["second@example.com"], "manual", datetime.fromisoformat(NOW))  # -wal in use
        sent = greeter_read_only(data, config, "send", "--once", "--now", NOW)
        assert sent.returncode == 2, sent.stdout + sent.stderr
        assert f"cannot create lock file {journal}.lock: Read-only file system" in sent.stderr, sent.stderr
        assert "(its file system is mounted read-only)" in sent.stderr
        suppressed = greeter_read_only(data, config, "suppress", "x@example.com")
        assert suppressed.returncode == 2, suppressed.stderr
        assert "(its file system is mounted read-only)" in suppressed.stderr, suppressed.stderr


# --- 2. letters the server accepted on a full disk ----------------------------------------------


def test_a_run_on_a_full_disk_records_the_accepted_letters_on_a_second_try(make_project: MakeProject) -> None:
    """The run said "2 not recorded (still 'claimed' …)" and the next one called them "interrupted
    between claim and the server's reply" — though the server had replied 250, and an operator who
    trusted it resent them. Before it exits, the run now tries once more, after a checkpoint."""
    n = 120
    with SmtpSink() as sink:
        config = make_project(people(n), **smtp(sink.port))
        assert greeter_process(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
        full = greeter_on_full_disk(config, 600_000, "send", "--once", "--now", NOW)
        assert full.returncode == 75, full.stdout + full.stderr
        accepted = len(sink.messages)
        assert 0 < accepted < n, "the disk should fill up in the middle of the batch"
        said = f"the mail server had accepted {accepted} letter(s): {accepted} recorded as sent"
        assert said in full.stderr, full.stderr
        assert "not recorded" not in full.stderr
    states = Counter(r["state"] for r in history(config))
    assert states == {"sent": accepted}, states  # none left claimed, so none uncertain


def test_the_unrecorded_letters_are_named_and_the_outbox_is_not_called_a_mail_server() -> None:
    from greeter.errors import JournalError, JournalFailedMidRunError

    keys = [("1001", "birthday", date(2027, 4, 13)), ("1002", "name_day", date(2027, 4, 14))]
    failed = JournalFailedMidRunError(
        JournalError("journal data/journal.sqlite3: database or disk is full"),
        accepted=5,
        recorded=3,
        unrecorded=keys,
        outbox=True,
    )
    said = str(failed)
    assert "the outbox had accepted 5 letter(s): 3 recorded as sent, 2 not recorded" in said
    assert "mail server" not in said
    assert "not recorded: 1001 birthday 2027-04-13, 1002 name_day 2027-04-14" in said
    assert "dismiss them" in said and "do not resend them" in said


# --- 3. a -wal that stays large -----------------------------------------------------------------


def test_a_wal_left_large_is_checkpointed_after_send_and_said_by_send_and_check(
    make_project: MakeProject,
) -> None:
    """A -wal SQLite could not empty into the journal (a full disk; here a reader's snapshot in the
    way) stayed at 1 MB beside a 110 KB journal, silently, every later run exit 0."""
    config = make_project(people(150))
    journal = config.parent / "data" / "journal.sqlite3"
    wal = Path(f"{journal}-wal")
    assert greeter_process(config, "suppress", "first@example.com").returncode == 0
    reader = sqlite3.connect(journal, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM greetings").fetchone()  # a snapshot the -wal must keep
        sent = greeter_process(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stderr
        assert wal.stat().st_size > journal.stat().st_size, "the reader should have kept the -wal"
        (said,) = [line for line in sent.stderr.splitlines() if "-wal" in line]
        assert said.startswith(f"warning: journal {journal}: its -wal is "), said
        assert "larger than the journal itself" in said
        checked = greeter_process(config, "check")
        assert "larger than the journal itself" in checked.stderr, checked.stderr
        assert "warning" in checked.stderr
    finally:
        reader.close()
    again = greeter_process(config, "send", "--once", "--now", NOW)
    assert again.returncode == 0 and "-wal" not in again.stderr, again.stderr
    assert not wal.exists() or wal.stat().st_size == 0
    assert "larger than the journal itself" not in greeter_process(config, "check").stderr


def test_a_run_needs_room_for_its_wal_and_the_journals_growth(tmp_path: Path) -> None:
    from greeter.journal_space import RUN_WAL_BYTES, run_needs, space_warnings

    journal = tmp_path / "journal.sqlite3"
    journal.write_bytes(b"\0" * 110_000)
    Path(f"{journal}-wal").write_bytes(b"\0" * 1_000_000)
    assert run_needs(journal) == RUN_WAL_BYTES + 1_110_000
    (said,) = [s for s in space_warnings(journal) if "-wal" in s and "larger" in s]
    assert said.startswith("its -wal is 1.0 MB, larger than the journal itself (110 KB)")
