"""What ``greeter forget`` and ``purge`` leave in the journal's bytes, on real SQLite files (and PostgreSQL).

A data protection officer's audit (GDPR art. 17, 152-ФЗ):

1. With a daemon keeping the journal open, the erased address, Message-ID
   and stored letter stayed in ``journal.sqlite3-wal`` until it stopped: no
   connection's close ever emptied it. ``forget`` and ``purge`` now
   checkpoint (TRUNCATE) after they commit, the daemon after each run, and
   a checkpoint a reader holds off is said on stderr.
2. A row deleted stayed in the main file's free space wherever SQLite is
   built without SECURE_DELETE (its default; Debian's build turns it on —
   simulated here by turning it off on every new connection).
3. An entry already on the do-not-contact list kept its free-text reason
   (a phone number, a name, a bounce naming the greeting) through
   ``forget``: now it records only the erasure and its date.
4. Files with clients' data were ``0640`` even under ``umask 077``.

Every search is a plain ``in`` on the files' bytes.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.erasure_records import erased_reason
from greeter.journal import Journal
from greeter.journal_store import JournalStore
from tests import databases
from tests.conftest import MakeProject, contact_row, file_mode, umask
from tests.daemon_harness import DaemonProcess

DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
GONE = "zhuravleva.ep@example.com"
#: A reason an operator typed: a name, a phone number — personal data in the list itself.
REASON = "звонила Журавлёва Е.П., +7 913 555-12-34, просила не писать"
CLIENTS = [
    contact_row("1", GONE, last="Журавлёва", first="Елена", patronymic="Павловна", birthday="12.04.1980"),
    contact_row("2", "stays@example.com", birthday="12.04.1980"),
]
MOMENT = datetime(2027, 4, 12, 7, 0, tzinfo=UTC)


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def journal_path(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


def letters_to(address: str, config: Path) -> list[Path]:
    return [
        p for p in (config.parent / "data" / "outbox").glob("*.eml") if address.encode() in p.read_bytes()
    ]


def traces(config: Path) -> list[bytes]:
    """What of the person a letter sent to them left: the address, the Message-ID, the encoded name."""
    [letter] = letters_to(GONE, config)
    message = email.message_from_bytes(letter.read_bytes(), policy=email.policy.compat32)
    to = str(message["To"])
    words = re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]+\?=", to)
    assert words, to
    encoded = words[0].encode()  # the name as RFC 2047 gives it, as the journal keeps the letter
    return [GONE.encode(), str(message["Message-ID"]).strip("<>").encode(), encoded]


def found_in(path: Path, needles: list[bytes]) -> list[bytes]:
    data = path.read_bytes() if path.exists() else b""
    return [n for n in needles if n in data]


def sent(config: Path) -> list[bytes]:
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.exit_code == 0, result.output
    return traces(config)


@pytest.fixture
def non_secure_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite as built by default (``SQLITE_SECURE_DELETE`` off), as this machine's Debian build is not:
    every connection greeter opens starts with ``secure_delete`` off, as it would there."""
    connect = sqlite3.connect

    def plain_build(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.execute("PRAGMA secure_delete = 0")
        return conn

    monkeypatch.setattr(sqlite3, "connect", plain_build)


def until(done: Callable[[], bool], daemon: DaemonProcess, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"not within {timeout}s:\n{daemon.output()}"
        time.sleep(0.05)


# --- 1. the -wal while another connection (a daemon) keeps the journal open -------------------------


@pytest.mark.usefixtures("non_secure_build")
def test_forget_leaves_nothing_in_the_wal_or_the_file_while_a_long_lived_connection_is_open(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    with Journal.open(f"sqlite:///{journal_path(config)}", now=MOMENT) as daemon:  # open all along
        needles = sent(config)
        wal = Path(f"{journal_path(config)}-wal")
        assert found_in(wal, needles) == []  # send --once's own checkpoint (journal_space) emptied it
        daemon._conn.execute("UPDATE greetings SET last_reply = last_reply || ' '")  # a later run's writes
        assert GONE.encode() in found_in(wal, needles)  # the rows' pages in the -wal again

        result = greeter(config, "forget", GONE, "--yes")

        assert result.exit_code == 0, result.output
        assert "write-ahead log" not in result.stderr
        assert found_in(wal, needles) == []
        # The bare address stays, as the do-not-contact list's entry; nothing else of the letter.
        assert found_in(journal_path(config), needles) == [GONE.encode()]
        assert daemon.is_suppressed(GONE)


def test_a_reader_holding_the_log_is_said_and_the_next_checkpoint_empties_it(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    with Journal.open(f"sqlite:///{journal_path(config)}", now=MOMENT) as daemon:
        needles = sent(config)
        reader = sqlite3.connect(journal_path(config), isolation_level=None)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM greetings").fetchone()[0] == len(CLIENTS)

        result = greeter(config, "forget", GONE, "--yes")

        assert result.exit_code == 0, result.output
        assert "the erased rows could not be moved out of the journal's write-ahead log" in result.stderr
        assert "a running greeter's, after its current run" in result.stderr
        reader.execute("COMMIT")
        reader.close()
        assert daemon.checkpoint() is None  # the daemon's, after its run
        assert found_in(Path(f"{journal_path(config)}-wal"), needles) == []


def test_forget_with_greeter_run_running_leaves_nothing_in_its_wal(make_project: MakeProject) -> None:
    """The audit's own steps: ``greeter run`` has the journal open, ``forget X --yes`` meanwhile."""
    config = make_project(CLIENTS)
    with DaemonProcess(config, "--now", NOW) as daemon:
        daemon.wait_for("run", lambda e: "interrupted" not in e)
        needles = traces(config)
        assert found_in(journal_path(config), needles) or found_in(
            Path(f"{journal_path(config)}-wal"), needles
        )

        result = greeter(config, "forget", GONE, "--yes")

        assert result.exit_code == 0, result.output
        assert daemon.proc is not None and daemon.proc.poll() is None  # still running, journal open
        assert found_in(Path(f"{journal_path(config)}-wal"), needles) == []
        assert found_in(journal_path(config), needles) == [GONE.encode()]  # the do-not-contact entry
        assert daemon.stop() == 0


def test_a_checkpoint_forget_could_not_make_is_the_daemons_after_its_next_run(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS, schedule={"cron": "* * * * *"})
    needles = sent(config)  # by send --once: the rows are in the main file when the daemon starts
    with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:  # a run each real second
        daemon.wait_for("run")
        reader = sqlite3.connect(journal_path(config), isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM greetings").fetchone()

        result = greeter(config, "forget", GONE, "--yes")

        assert result.exit_code == 0, result.output
        assert "could not be moved out of the journal's write-ahead log" in result.stderr
        reader.execute("COMMIT")
        reader.close()
        runs = len(daemon.finished_runs())
        until(lambda: len(daemon.finished_runs()) > runs + 1, daemon)  # one begun after the reader let go
        assert found_in(Path(f"{journal_path(config)}-wal"), needles) == []
        assert found_in(journal_path(config), needles) == [GONE.encode()]  # forget's pages written over
        assert daemon.stop() == 0


# --- 2. free pages: a purge and a forget on a build without SECURE_DELETE ---------------------------


@pytest.mark.usefixtures("non_secure_build")
def test_forget_overwrites_the_deleted_rows_in_the_main_file(make_project: MakeProject) -> None:
    """No other connection: the last close folds the -wal into the main file, deleted cells and all."""
    config = make_project(CLIENTS)
    needles = sent(config)
    # The letter's bytes went with the send's last -wal frames; its row and Message-ID are in the file.
    assert found_in(journal_path(config), needles) == needles[:2]

    result = greeter(config, "forget", GONE, "--yes")

    assert result.exit_code == 0, result.output
    assert found_in(journal_path(config), needles) == [GONE.encode()]  # only in the list's entry
    with sqlite3.connect(journal_path(config)) as db:
        assert db.execute("SELECT count(*) FROM greetings WHERE email = ?", (GONE,)).fetchone()[0] == 0


@pytest.mark.usefixtures("non_secure_build")
def test_purge_overwrites_the_purged_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    old = datetime(2020, 3, 1, 9, 0, tzinfo=UTC)
    with Journal.open(f"sqlite:///{path}", now=old) as journal:
        for i in range(40):
            key = (f"c{i}", "birthday", date(2020, 3, 1))
            letter = f"To: =?utf-8?b?0JbRg9GA0LDQstC70ZHQstCw?= <purged-{i}@example.org>\r\n".encode()
            assert journal.claim(
                key, email=f"purged-{i}@example.org", message_id=f"<mid-{i}@x>", planned_at=old,
                payload=letter * 10, now=old,
            )  # fmt: skip
            journal.mark_sent(key, "250 ok", old)
        done = journal.purge(date(2024, 1, 1))
        assert done.greetings == 40
    data = path.read_bytes()  # closed: the -wal folded into the file
    assert b"purged-" not in data and b"<mid-" not in data and b"0JbRg9GA" not in data


# --- 3. the reason of an entry already on the list ------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        yield journal


def test_forget_replaces_a_kept_entrys_reason_with_the_fact_and_date_of_the_erasure(
    journal: JournalStore,
) -> None:
    since = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    journal.suppress([GONE], REASON, since)
    bounced = "bounce: 550 5.1.1 <x@example.org> unknown user (greeting 1001 new_year 2027-01-01)"
    journal.suppress(["x@example.org"], bounced, since)
    erased_at = datetime(2027, 4, 12, 22, 30, tzinfo=UTC)

    done = journal.forget(GONE, erased_at)
    journal.forget("X@example.org", erased_at)

    assert done.listed is not None and done.listed.reason == REASON  # what was found, for the caller
    listed = {e.email: (e.reason, e.created_at) for e in journal.suppression_list()}
    assert listed == {
        GONE: ("erased on 2027-04-12: the address stays on the do-not-contact list", since),
        "x@example.org": (erased_reason(date(2027, 4, 12)), since),
    }


def test_forget_says_the_kept_entry_and_suppress_list_and_unsuppress_show_the_erasure(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    sent(config)
    # The commands date by the real clock (UTC): each date is read from the output and checked to be
    # a day the command ran on — a run across midnight dates the entry and the erasure apart.
    before = datetime.now(UTC).date()
    assert greeter(config, "suppress", GONE, "--reason", REASON).exit_code == 0
    between = datetime.now(UTC).date()

    result = greeter(config, "forget", GONE, "--yes")
    after = datetime.now(UTC).date()

    assert result.exit_code == 0, result.output
    dates = re.search(r"\(since (\S+)\), its reason now: erased on (\S+?):", result.stdout)
    assert dates is not None, result.stdout
    since, erased = date.fromisoformat(dates[1]), date.fromisoformat(dates[2])
    assert before <= since <= between <= erased <= after
    assert result.stdout.splitlines()[0] == (
        f"{GONE}: erased 1 greeting(s), 0 approval(s), 1 .eml file(s); kept on the do-not-contact list"
        f" (since {since}), its reason now: erased on {erased}: the address stays on the do-not-contact list"
    )
    assert "Журавлёва" not in result.output
    listed = greeter(config, "suppress", "--list", GONE, "--format", "json")
    assert [r["reason"] for r in json.loads(listed.stdout)] == [erased_reason(erased)]
    assert json.loads(greeter(config, "history", "--email", GONE, "--format", "json").stdout) == []
    assert "Журавлёва".encode() not in journal_path(config).read_bytes()
    off = greeter(config, "unsuppress", GONE)
    assert f"'{GONE}' was kept on the list by an erasure request (erased on {erased}" in off.stderr


# --- 4. modes under a strict umask ----------------------------------------------------------------


@pytest.fixture
def strict_umask() -> Iterator[None]:
    with umask(0o077):
        yield


@pytest.mark.usefixtures("strict_umask")
def test_a_strict_umask_narrows_every_file_greeter_writes(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    sent(config)
    here = config.parent
    outbox = here / "data" / "outbox"
    gallery = here / "review"
    for args in (
        ("history", "--format", "csv", "-o", str(here / "hist.csv")),
        ("calendar", "--from", DAY, "--days", "3", "-o", str(here / "cal.ics"), "--now", NOW),
        # New Year's letters: not sent yet, so each has a page in drafts/
        (
            "preview",
            "--from",
            "2027-12-27",
            "--days",
            "7",
            "--format",
            "html",
            "--out",
            str(gallery),
            "--now",
            NOW,
        ),
    ):
        result = greeter(config, *args)
        assert result.exit_code == 0, (args, result.output)
    files = [here / "hist.csv", here / "cal.ics", *outbox.glob("*.eml")]
    files += [p for p in gallery.rglob("*") if p.is_file()]
    assert {str(p.relative_to(here)): file_mode(p) for p in files} == {
        str(p.relative_to(here)): 0o600 for p in files
    }
    folders = [outbox, gallery, *(p for p in gallery.rglob("*") if p.is_dir())]
    assert (gallery / "drafts").is_dir()  # the drafts' own folder: it stayed 0750
    assert {str(p.relative_to(here)): file_mode(p) for p in folders} == {
        str(p.relative_to(here)): 0o700 for p in folders
    }
    assert file_mode(journal_path(config)) == 0o600
