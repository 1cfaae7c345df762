"""greeter under the UIDs a container platform gives it: a group-shared data volume, no user name.

Found by running the daemon as Kubernetes does: the SQLite journal was made ``0600`` in an
``fsGroup`` volume (a setgid ``2770`` folder), and the pod restarted under another UID of the
group could not open it — exit 2, a crash loop; a PostgreSQL ``storage.url`` without a user,
under a UID with no passwd entry, failed with libpq's ``local user with ID 54321 does not
exist`` and nothing said what to do. Real SQLite files, real PostgreSQL at 127.0.0.1, real
UIDs (a forked child that drops root: root and a UID with no passwd entry are needed).
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from greeter.db_checks import journal_status
from greeter.errors import EXIT_USAGE, GreeterError
from greeter.journal import Journal, open_journal
from greeter.journal_schema import JOURNAL_FILE_MODE
from tests import databases
from tests.conftest import file_mode, umask

MOMENT = datetime(2027, 4, 13, 9, 0, tzinfo=UTC)

#: UIDs (and a group) no passwd entry names, as OpenShift and ``runAsUser`` give a pod.
_CANDIDATES = (54321, 54329, 61234, 61239)


def _nameless_ids(count: int) -> list[int]:
    free = []
    for uid in _CANDIDATES:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            free.append(uid)
    if os.geteuid() != 0 or len(free) < count:
        pytest.skip("needs root and UIDs without a passwd entry")
    return free[:count]


def _as(uid: int, groups: list[int], func: Callable[[], str]) -> str:
    """``func()`` in a forked child running as ``uid`` (and ``groups``) under umask 022: what it returns,
    or its exception as ``ExceptionName: message``. The modules it needs are imported already."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        os.close(read)
        try:
            os.setgroups(groups)
            os.setgid(uid)
            os.setuid(uid)
            os.umask(0o022)  # a container's usual umask
            os.environ.pop("PGUSER", None)
            said = func()
        except BaseException as exc:
            said = f"{type(exc).__name__}: {exc}"
        os.write(write, said.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        said = fh.read().decode()
    os.waitpid(pid, 0)
    return said


@pytest.fixture
def shared_volume() -> Iterator[Path]:
    """A data volume as an ``fsGroup`` makes it: setgid, ``2770``, owned by root and the group."""
    parent = Path(tempfile.mkdtemp(prefix="greeter-fsgroup-"))
    parent.chmod(0o755)
    try:
        yield parent
    finally:
        shutil.rmtree(parent, ignore_errors=True)


# --- 1. the journal's mode follows its folder's ----------------------------------------------


def _write_journal(path: Path) -> None:
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:
        journal.lock_sender()
        journal.suppress(["a@example.com"], "manual", MOMENT)  # writes: the -wal and -shm exist


@pytest.mark.parametrize(
    ("folder_mode", "journal_mode", "lock_mode"),
    [
        (0o2770, 0o660, 0o664),  # an fsGroup volume: the next pod's UID, of the group, opens them
        (0o0770, 0o660, 0o664),
        (0o0755, JOURNAL_FILE_MODE, 0o644),  # a folder of the owner's: private, as before
        (0o0750, JOURNAL_FILE_MODE, 0o644),  # the group may read the folder, not write in it
        (0o1777, JOURNAL_FILE_MODE, 0o644),  # every user's (/tmp): no group's in particular
    ],
)
def test_the_journal_files_share_with_the_group_only_in_a_folder_shared_with_it(
    tmp_path: Path, folder_mode: int, journal_mode: int, lock_mode: int
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(folder_mode)
    path = folder / "journal.sqlite3"
    with umask(0o022):  # a container's: it would take the group's write
        _write_journal(path)
        made = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        with Journal.open(f"sqlite:///{path}", now=MOMENT) as journal:  # the -wal stays while one is open
            journal.suppress(["b@example.com"], "manual", MOMENT)
            assert {p.name: oct(file_mode(p)) for p in made} == {p.name: oct(journal_mode) for p in made}
    assert oct(file_mode(Path(f"{path}.lock"))) == oct(lock_mode)


def test_a_pod_restarted_under_another_uid_of_the_volumes_group_opens_the_journal(
    shared_volume: Path,
) -> None:
    """The crash loop itself: UID A sends (journal, lock), the pod restarts as UID B of the same
    fsGroup, which must open the journal, take the sender lock and write."""
    first, second, group = _nameless_ids(3)
    volume = shared_volume / "data"
    volume.mkdir()
    os.chown(volume, 0, group)
    volume.chmod(0o2770)
    path = volume / "journal.sqlite3"

    def send_as_a() -> str:
        _write_journal(path)
        return "ok"

    def send_as_b() -> str:
        with open_journal(f"sqlite:///{path}", now=MOMENT) as journal:
            journal.lock_sender()
            journal.suppress(["b@example.com"], "manual", MOMENT)
            return "ok " + ",".join(sorted(journal.suppressed()))

    assert _as(first, [group], send_as_a) == "ok"
    assert (path.stat().st_gid, file_mode(path)) == (group, 0o660)
    assert _as(second, [group], send_as_b) == "ok a@example.com,b@example.com"


# --- 2. a PostgreSQL URL without a user, under a UID without a name -----------------------------


def test_the_hint_is_added_to_libpqs_words_only() -> None:
    from greeter.journal_pg_base import no_user_name_hint

    assert "set PGUSER" in no_user_name_hint("connection is bad: local user with ID 54321 does not exist")
    assert no_user_name_hint('role "greeter" does not exist') == ""


def test_a_url_without_a_user_under_a_nameless_uid_says_to_name_the_user_or_set_pguser() -> None:
    url = databases.require_pg()
    (uid,) = _nameless_ids(1)
    nameless = "postgresql://" + url.split("://", 1)[1].split("@", 1)[-1]  # the same server, no user

    def run() -> str:
        try:
            open_journal(nameless, now=MOMENT).close()
        except GreeterError as exc:
            return f"{exc.exit_code} {exc}"
        return "opened"

    def check() -> str:
        status = journal_status(nameless)
        return f"{status.reachable} {status.detail}"

    said_by_run = _as(uid, [uid], run)
    assert said_by_run.startswith(f"{EXIT_USAGE} journal "), said_by_run
    said_by_check = _as(uid, [uid], check)
    assert said_by_check.startswith("False unreachable: "), said_by_check
    for said in (said_by_run, said_by_check):
        assert f"local user with ID {uid} does not exist" in said
        assert "postgresql://USER@host/db, or set PGUSER" in said


# --- 3. the outbox (and what else greeter makes on the volume) follows the journal's rule ------


@pytest.mark.parametrize(
    ("parent_mode", "umask_value", "made"),
    [
        (0o042770, 0o022, 0o2770),  # an fsGroup volume: the next pod's UID writes letters there
        (0o040770, 0o022, 0o0770),
        (0o042770, 0o077, 0o2770),  # the volume's mode is the owner's choice; the umask rarely one
        (0o040755, 0o022, 0o0750),  # a folder of the owner's: as before
        (0o040750, 0o000, 0o0750),
        (0o040755, 0o077, 0o0700),
        (0o041777, 0o022, 0o0750),  # every user's (/tmp): no group's in particular
    ],
)
def test_a_folder_made_in_a_folder_shared_with_the_group_is_shared_with_it(
    parent_mode: int, umask_value: int, made: int
) -> None:
    from greeter.file_modes import created_folder_mode

    assert oct(created_folder_mode(parent_mode, umask_value)) == oct(made)


def _outbox_letter(outbox: Path, contact_id: str) -> str:
    """Write one letter to ``outbox`` with the file transport: its reply."""
    import asyncio

    from greeter.transport import FileTransport

    key = (contact_id, "birthday", MOMENT.date())
    data = f"Message-ID: <{contact_id}@greeter>\r\n\r\nhello\r\n".encode()
    result = asyncio.run(FileTransport(outbox).send("a@example.com", "b@example.com", data, key))
    return f"{result.outcome.name} {result.text}"


def test_the_outbox_and_its_letters_made_in_an_fsgroup_volume_are_the_groups(tmp_path: Path) -> None:
    """On base the outbox was ``0750`` (and each ``.eml`` ``0640``) in a ``2770`` volume."""
    volume = tmp_path / "data"
    volume.mkdir()
    volume.chmod(0o2770)
    with umask(0o022):
        said = _outbox_letter(volume / "outbox" / "new", "c-1")
    assert said.startswith("OK "), said
    assert oct(file_mode(volume / "outbox")) == oct(0o2770)
    assert oct(file_mode(volume / "outbox" / "new")) == oct(0o2770)
    (letter,) = (volume / "outbox" / "new").iterdir()
    assert oct(file_mode(letter)) == oct(0o660)


def test_a_pod_restarted_under_another_uid_of_the_volumes_group_writes_to_the_outbox(
    shared_volume: Path,
) -> None:
    """The persona's loop: UID A made the outbox ``0750``, UID B of the same fsGroup got
    ``retry ×1: cannot write to outbox …: [Errno 13] Permission denied`` at every run."""
    first, second, group = _nameless_ids(3)
    volume = shared_volume / "data"
    volume.mkdir()
    os.chown(volume, 0, group)
    volume.chmod(0o2770)
    outbox = volume / "outbox"
    assert _as(first, [group], lambda: _outbox_letter(outbox, "c-1")).startswith("OK ")
    assert _as(second, [group], lambda: _outbox_letter(outbox, "c-2")).startswith("OK ")
    assert _as(second, [group], lambda: _outbox_letter(outbox, "c-1")).startswith("OK ")  # a resend
