"""``greeter backup``, and the journal errors that say what to do next (damaged, locked).

Found by an operator testing filesystem faults: a ``cp`` of the live WAL
journal held 173 sent letters where 190 had gone out, so a restore from it
would have sent 17 again; a damaged journal said only SQLite's "file is not a
database"; one held by a sqlite3 shell said only "database is locked".
Real SQLite files, real ``greeter`` processes, a real PostgreSQL for its journal.
"""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from greeter.journal_pg import PgJournal
from greeter.journal_schema import MIGRATIONS
from tests import databases
from tests.conftest import MakeProject
from tests.test_journal_safety import MOMENT, journal_of, letters
from tests.test_send_e2e import NOW, greeter_process, people

#: What the journal's new words say; the tests look for them, not SQLite's alone.
DAMAGED = "the journal is damaged; stop greeter, restore it from a backup (greeter backup makes one)"
LOCKED = (
    "is locked by another program (a sqlite3 shell or a backup holding a write transaction):"
    " try again when it lets go"
)


def sent_journal(make_project: MakeProject, n: int = 3) -> Path:
    """A project whose journal holds ``n`` sent greetings (made by a real send); its config."""
    config = make_project(people(n))
    first = greeter_process(config, "send", "--once", "--now", NOW)
    assert first.returncode == 0 and f"sent: {n}" in first.stdout, first.stdout + first.stderr
    return config


def greetings_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM greetings").fetchone()[0])


def test_a_backup_holds_the_writes_still_in_the_wal_where_a_copy_of_the_file_does_not(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = sent_journal(make_project)
    journal = journal_of(config)
    writer = sqlite3.connect(journal, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # 17 more letters stay in the -wal only
        for i in range(17):
            writer.execute(
                "INSERT INTO greetings (contact_id, occasion, occasion_date, state, created_at, updated_at)"
                " VALUES (?, 'birthday', '2027-04-13', 'sent', '2027-04-14', '2027-04-14')",
                (f"w{i}",),
            )
        assert greetings_in(journal) == 20  # as every reader of the journal sees it
        plain = tmp_path / "cp.sqlite3"
        shutil.copyfile(journal, plain)  # what `cp data/journal.sqlite3 …` keeps
        assert greetings_in(plain) == 3  # a restore from it would send 17 letters again
        target = tmp_path / "backups" / "journal.sqlite3"
        target.parent.mkdir()
        done = greeter_process(config, "backup", str(target))  # the writer still has the journal open
    finally:
        writer.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        done.stdout == f"backed up {journal} (20 greetings, schema version {len(MIGRATIONS)}) to {target}\n"
    )
    assert greetings_in(target) == 20
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
    assert target.stat().st_mode & 0o777 == 0o600  # every client's address, as the journal's own mode
    assert [p.name for p in target.parent.iterdir()] == ["journal.sqlite3"]  # no temporary file left


def test_a_backup_in_a_folder_shared_with_its_group_is_the_groups_as_the_journal_there(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """On an fsGroup volume (2770) the backup was 0600: the next pod, another UID of the group,
    could not read it to restore it, where the journal beside it is 0660."""
    config = sent_journal(make_project)
    shared = tmp_path / "volume"
    shared.mkdir()
    shared.chmod(0o2770)
    done = greeter_process(config, "backup", str(shared / "journal.sqlite3"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert oct((shared / "journal.sqlite3").stat().st_mode & 0o777) == oct(0o660)


def test_a_restored_backup_sends_nothing_again(make_project: MakeProject, tmp_path: Path) -> None:
    """The README's restore: stop greeter, delete the -wal and -shm, put the backup in place."""
    config = sent_journal(make_project)
    target = tmp_path / "journal.bak"
    assert greeter_process(config, "backup", str(target)).returncode == 0
    journal = journal_of(config)
    journal.unlink()
    for stale in (Path(f"{journal}-wal"), Path(f"{journal}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(target, journal)
    again = greeter_process(config, "send", "--once", "--now", NOW)
    assert again.returncode == 0 and "sent: 0" in again.stdout, again.stdout + again.stderr
    assert letters(config) == 3


def test_an_existing_file_is_replaced_only_with_force(make_project: MakeProject, tmp_path: Path) -> None:
    config = sent_journal(make_project)
    target = tmp_path / "journal.bak"
    target.write_text("last week's backup", encoding="utf-8")
    refused = greeter_process(config, "backup", str(target))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == f"{target}: already exists; --force replaces it\n"
    assert target.read_text(encoding="utf-8") == "last week's backup"
    forced = greeter_process(config, "backup", "--force", str(target))
    assert forced.returncode == 0, forced.stderr
    assert greetings_in(target) == 3


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", ".lock"])
def test_the_journals_own_files_are_never_the_backup(
    make_project: MakeProject, tmp_path: Path, suffix: str
) -> None:
    config = sent_journal(make_project)
    journal = journal_of(config)
    holder = sqlite3.connect(journal)  # keeps its -wal and -shm there
    try:
        holder.execute("SELECT count(*) FROM greetings").fetchone()
        target = Path(f"{journal}{suffix}")
        before = target.read_bytes() if target.exists() else None
        refused = greeter_process(config, "backup", "--force", str(target))
        assert refused.returncode == 2, refused.stdout + refused.stderr
        what = "the journal" if suffix == "" else "the journal's own file"
        assert refused.stderr == f"{target} is {what}: choose another file (nothing written)\n"
        assert (target.read_bytes() if target.exists() else None) == before
    finally:
        holder.close()
    assert greetings_in(journal) == 3


def test_a_postgresql_journal_is_pointed_to_pg_dump(make_project: MakeProject, tmp_path: Path) -> None:
    with databases.pg_schema() as (url, schema):
        PgJournal.open(url, now=MOMENT).close()  # a real journal in its schema
        config = make_project(people(1), storage={"url": url})
        target = tmp_path / "journal.dump"
        refused = greeter_process(config, "backup", str(target))
        assert refused.returncode == 2 and refused.stdout == ""
        (line,) = refused.stderr.splitlines()
        tables = (
            "greetings, suppression, approvals, occasions, notices, secrets, suppressed_contacts, project,"
            " optout_events"
        )
        assert line.startswith(f"a PostgreSQL journal is backed up with pg_dump: pg_dump -n {schema} ")
        assert line.endswith(f"(the tables {tables} and schema_version)") and "schema=" not in line
        assert not target.exists()
        if shutil.which("pg_dump") and shutil.which("pg_restore"):  # the line, run as said, dumps them
            command = shlex.split(line.split(": ", 1)[1].rsplit(" (", 1)[0])
            subprocess.run(command, check=True, capture_output=True, timeout=60)
            listing = subprocess.run(
                ["pg_restore", "-l", str(target)], check=True, capture_output=True, text=True
            ).stdout
            for table in [*tables.split(", "), "schema_version"]:
                assert f"TABLE {schema} {table} " in listing, (table, listing)


def test_a_damaged_journal_says_to_restore_it_from_a_backup(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = sent_journal(make_project)
    journal = journal_of(config)
    with journal.open("r+b") as fh:
        fh.write(b"not a database!\x00")  # the 16-byte header SQLite looks for
    send = greeter_process(config, "send", "--once", "--now", NOW)
    assert send.returncode == 2, send.stdout + send.stderr
    assert f"journal {journal}: file is not a database: {DAMAGED}" in send.stderr
    assert letters(config) == 3  # nothing sent again
    backup = greeter_process(config, "backup", str(tmp_path / "journal.bak"))
    assert backup.returncode == 2 and DAMAGED in backup.stderr
    assert not (tmp_path / "journal.bak").exists()


def test_a_journal_another_program_holds_says_so_and_exits_75(make_project: MakeProject) -> None:
    """``sqlite3 data/journal.sqlite3`` then ``BEGIN EXCLUSIVE;``: not "another greeter is sending"."""
    config = sent_journal(make_project)
    journal = journal_of(config)
    shell = sqlite3.connect(journal, isolation_level=None)
    try:
        shell.execute("BEGIN EXCLUSIVE")
        send = greeter_process(config, "send", "--once", "--now", NOW)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert send.returncode == 75, send.stdout + send.stderr
    assert f"journal {journal}: database {LOCKED}" in send.stderr
    assert "another greeter is already sending" not in send.stderr
