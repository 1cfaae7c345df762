"""A journal in trouble, end to end: a full disk, a read-only mount, a sender that died mid-letter.

Real processes, a real SMTP server, a real SQLite journal — and real
operating-system failures rather than mocks:

* **full disk**: the greeter process runs with ``RLIMIT_FSIZE`` (``SIGXFSZ``
  ignored), so every write past that many bytes of a file fails as on a full
  disk — deterministic, and without root;
* **read-only mount**: the greeter process runs in its own mount namespace
  (``unshare -m``) where the journal's folder is bind-mounted read-only —
  nothing outside that process sees the mount, and it vanishes with it
  (needs root; skipped where namespaces are not allowed);
* **a dead sender**: claims made through the journal API by a sender that
  then went away (its lock with it), as ``kill -9`` between claim and reply
  leaves them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from greeter.history_view import INTERRUPTED
from greeter.journal import Journal
from greeter.journal_schema import MIGRATIONS
from greeter.journal_store import INTERRUPTED_REASON
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import LATER, NOW, greeter, history, people, smtp

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

#: ``python -c`` prelude: files may not grow past argv[1] bytes, then run greeter with the rest.
_LIMITED = (
    "import resource, runpy, signal, sys\n"
    "room = int(sys.argv.pop(1))\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), no signal\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))\n"
    "sys.argv[0] = 'greeter'\n"
    "runpy.run_module('greeter', run_name='__main__', alter_sys=True)\n"
)


def greeter_on_full_disk(config: Path, room: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``greeter --config CONFIG ARGS…`` unable to write any file past ``room`` bytes."""
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(room), "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )


_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


@functools.cache
def _read_only_mounts() -> str | None:
    """None if this machine lets a test mount a folder read-only in a private namespace, else why not."""
    if shutil.which("unshare") is None:
        return "no unshare(1)"
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", _READ_ONLY, "sh", folder, "sh", "-c", f"! touch {folder}/x"],
            capture_output=True,
            text=True,
            check=False,
        )
    return None if probe.returncode == 0 else f"cannot mount read-only: {probe.stderr.strip()}"


def greeter_read_only(folder: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``greeter --config CONFIG ARGS…`` seeing ``folder`` mounted read-only (only that process does)."""
    why_not = _read_only_mounts()
    if why_not is not None:
        pytest.skip(f"needs a private read-only mount (root, mount namespaces): {why_not}")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", _READ_ONLY, "sh", str(folder),
         sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env=ENV, check=False, cwd=ROOT,
    )  # fmt: skip


def journal_path(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


def claim_and_die(config: Path, contact_id: str) -> tuple[str, str, date]:
    """What ``kill -9`` between claim and the server's reply leaves: a claim, and no sender."""
    key = (contact_id, "birthday", date(2027, 4, 13))
    moment = datetime.fromisoformat(NOW)
    with Journal.open(str(journal_path(config)), now=moment) as dead:
        dead.lock_sender()
        assert dead.claim(
            key, email=f"client{contact_id}@example.com", message_id=f"<{contact_id}@t>",
            planned_at=moment, now=moment,
        )  # fmt: skip
    return key


# --- 1. a full disk is exit 75, says what had left, and nothing goes twice ----------------------


def test_send_on_a_full_journal_disk_exits_75_and_says_how_many_letters_had_left(
    make_project: MakeProject,
) -> None:
    n = 120
    with SmtpSink() as sink:
        config = make_project(people(n), **smtp(sink.port))
        assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0  # the journal
        full = greeter_on_full_disk(config, 600_000, "send", "--once", "--now", NOW)
        assert full.returncode == 75, full.stdout + full.stderr
        assert "Traceback" not in full.stderr
        accepted = len(sink.messages)
        assert 0 < accepted < n, "the disk should fill up in the middle of the batch"
        assert f"the mail server had accepted {accepted} letter(s)" in full.stderr, full.stderr
        recorded = int(full.stderr.split(" recorded as sent")[0].rsplit(": ", 1)[-1])
        assert recorded <= accepted

        # space again: the rest goes out, and nothing already accepted goes twice
        rerun = greeter(config, "send", "--once", "--now", LATER)
        assert rerun.returncode in (0, 1), rerun.stderr
        ids = sink.message_ids()
        assert len(ids) == len(set(ids)), "a greeting was delivered twice"
    states = Counter(r["state"] for r in history(config))
    assert states["uncertain"] == accepted - recorded  # accepted, not recorded: never resent
    assert states["sent"] + states["uncertain"] == n
    assert len(ids) == states["sent"] + states["uncertain"]


def test_run_on_a_full_journal_disk_exits_75_with_json_lines_only(make_project: MakeProject) -> None:
    """The daemon's start needs a write (an interrupted claim to record): exit 75, restartable."""
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
        claim_and_die(config, "1")
        # 16 KB: not even SQLite's 32 KB -shm file fits, as on a disk with no room left at all
        run = greeter_on_full_disk(config, 16_384, "run", "--log-format", "json", "--now", NOW)
        assert run.returncode == 75, run.stdout + run.stderr
        lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
        events = [json.loads(line) for line in lines]  # every line is JSON (journalctl | jq)
        fatal = [e for e in events if e["event"] == "cannot_start"]
        assert len(fatal) == 1 and fatal[0]["exit_code"] == 75 and fatal[0]["level"] == "error"
        assert "journal" in fatal[0]["error"]
        # …while history still reads the journal on that disk, the interrupted claim included
        full_history = greeter_on_full_disk(
            config, 16_384, "history", "--state", "uncertain", "--format", "json"
        )
        assert full_history.returncode == 0, full_history.stderr
        assert [r["contact_id"] for r in json.loads(full_history.stdout)] == ["1"]
        assert sink.messages == []


def test_the_unit_restarts_after_exit_75_but_not_after_a_config_error() -> None:
    unit = (ROOT / "deploy" / "greeter.service").read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#")
    )
    assert settings["Restart"] == "on-failure"  # any non-zero exit but the ones prevented
    assert settings["RestartPreventExitStatus"].split() == ["2"]


# --- 4. read-only journals: readers read, senders refuse -------------------------------------


def test_history_check_and_preview_read_a_journal_on_a_read_only_mount_and_send_refuses(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        assert greeter(config, "send", "--once", "--now", NOW).returncode == 0
        data = config.parent / "data"
        assert not Path(f"{journal_path(config)}-wal").exists()  # closed cleanly: no -wal, no -shm

        shown = greeter_read_only(data, config, "history", "--format", "json")
        assert shown.returncode == 0, shown.stderr
        assert [r["state"] for r in json.loads(shown.stdout)] == ["sent"] * 3

        checked = greeter_read_only(data, config, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        latest = len(MIGRATIONS)
        assert (
            f"journal schema version {latest} of {latest}; read-only here: its file system is mounted read-only"
            in checked.stdout
        )
        assert "warning: its file system is mounted read-only: send and run cannot record" in checked.stderr

        planned = greeter_read_only(
            data, config, "preview", "--from", "2027-04-13", "--days", "1", "--now", NOW, "--format", "json"
        )
        assert planned.returncode == 0, planned.stderr
        # the journal's letters, read from the read-only mount: shown as sent, when they left
        assert {(i["status"], i["reason"]) for i in json.loads(planned.stdout)} == {("sent", None)}

        refused = greeter_read_only(data, config, "send", "--once", "--now", LATER)
        assert refused.returncode == 2
        assert "unable to open database file (its file system is mounted read-only)" in refused.stderr
        assert greeter_read_only(data, config, "suppress", "a@example.com").returncode == 2
        assert len(sink.messages) == 3


def test_a_read_only_reader_sees_what_is_still_in_the_wal(make_project: MakeProject) -> None:
    """A sender's last changes sit in the -wal until a checkpoint: ``immutable`` would hide them."""
    config = make_project(people(2))
    assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
    moment = datetime.fromisoformat(NOW)
    with Journal.open(str(journal_path(config)), now=moment) as sender:  # still open: the -wal holds it
        sender.suppress(["late@example.com"], "manual", moment)
        sender.claim(
            ("2", "birthday", date(2027, 4, 13)), email="client2@example.com", message_id="<2@t>",
            planned_at=moment, now=moment,
        )  # fmt: skip
        assert Path(f"{journal_path(config)}-wal").stat().st_size > 0
        shown = greeter_read_only(config.parent / "data", config, "history", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    (row,) = json.loads(shown.stdout)
    assert row["contact_id"] == "2"
    assert row["state"] == "uncertain" and row["reason"] == INTERRUPTED  # no sender holds the lock


# --- 5. right after a crash, history shows the interrupted letters as uncertain ------------------


def test_history_shows_a_dead_senders_claims_as_uncertain_until_the_next_send_records_them(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(3), **smtp(sink.port))
        assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
        claim_and_die(config, "2")

        (row,) = history(config, "--state", "uncertain")
        assert (row["contact_id"], row["state"], row["reason"]) == ("2", "uncertain", INTERRUPTED)
        assert history(config, "--state", "claimed") == []
        assert [r["state"] for r in history(config)] == ["uncertain"]
        table = greeter(config, "history")
        assert "uncertain" in table.stdout and "ended without" in table.stdout, table.stdout
        assert [r["state"] for r in history(config)] == ["uncertain"]  # shown, not written: still claimed
        with Journal.open(str(journal_path(config)), now=datetime.fromisoformat(NOW)) as journal:
            assert journal.history()[0].state == "claimed"

            # a live sender's claims are its own: shown as claimed, never as uncertain
            journal.lock_sender()
            assert [r["state"] for r in history(config, "--state", "claimed")] == ["claimed"]
            assert history(config, "--state", "uncertain") == []

        sent = greeter(config, "send", "--once", "--now", NOW)
        assert "1 interrupted claim(s) marked uncertain" in sent.stdout, sent.stdout + sent.stderr
        assert sorted(m.rcpt_tos[0] for m in sink.messages) == ["client1@example.com", "client3@example.com"]
    row = next(r for r in history(config, "--state", "uncertain"))
    assert row["contact_id"] == "2" and row["reason"] == INTERRUPTED_REASON


def test_deciding_uncertain_greetings_takes_in_a_dead_senders_claims(make_project: MakeProject) -> None:
    """What history calls uncertain, ``greeter uncertain`` can decide: it records them first."""
    config = make_project(people(2))
    assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
    claim_and_die(config, "1")
    decided = greeter(config, "uncertain", "dismiss", "--all", "--by", "ops")
    assert decided.returncode == 0, decided.stderr
    assert "recorded 1 interrupted claim(s) as uncertain" in decided.stderr
    assert "dismiss: 1 birthday 2027-04-13" in decided.stdout
    assert [(r["state"], r["reason"]) for r in history(config)] == [("skipped", "dismissed by ops")]


def test_send_behind_a_lock_on_its_postgresql_journal_exits_75_in_bounded_time(
    make_project: MakeProject,
) -> None:
    """Another session holding the journal's table (a forgotten ``LOCK TABLE``, a long migration)
    made ``send --once`` wait for as long as it held it — forever. Now the journal's
    ``lock_timeout`` (5 s by default) turns the wait into "journal unavailable": exit 75 with one
    line naming the journal, nothing sent; once the lock is gone the same send delivers."""
    from tests import databases
    from tests.test_journal_pg import table_locked

    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(people(3), storage={"url": url}, **smtp(sink.port))
        assert greeter(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
        # a command that writes makes the journal (a dry run and history create nothing)
        assert greeter(config, "suppress", "nobody@example.com").returncode == 0
        assert greeter(config, "history").returncode == 0  # the schema exists: only the lock is in the way
        with table_locked(schema):
            started = time.monotonic()
            locked = greeter(config, "send", "--once", "--now", NOW, timeout=60)
            took = time.monotonic() - started
        assert locked.returncode == 75, locked.stdout + locked.stderr
        assert "Traceback" not in locked.stderr and "lock timeout" in locked.stderr, locked.stderr
        assert f"journal {url}" in locked.stderr and took < 30, (took, locked.stderr)
        assert sink.messages == []
        again = greeter(config, "send", "--once", "--now", NOW)
        assert again.returncode == 0, again.stdout + again.stderr
        assert len(sink.messages) == 3


def test_check_as_a_user_who_cannot_write_the_journal_warns_and_strict_fails() -> None:
    """``data/`` owned by root, the daemon's user unprivileged: check said OK (exit 0), then ``run``
    stopped at exit 2 — check as the daemon's pre-start probe passed a daemon that cannot start."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run check as another user")
    folder = Path(tempfile.mkdtemp(prefix="greeter-ro-"))
    try:
        folder.chmod(0o755)
        shutil.copytree(ROOT / "templates", folder / "templates")
        shutil.copytree(ROOT / "data", folder / "data")
        shutil.copy(ROOT / "config.example.yaml", folder / "greeter.yaml")
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)  # readable by all, writable by root only
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(folder), "LANG": "C"}
        command = [
            *as_nobody,
            sys.executable,
            "-m",
            "greeter",
            "--config",
            str(folder / "greeter.yaml"),
            "check",
        ]
        checked = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
        assert checked.returncode in (0, 1), checked.stdout + checked.stderr  # the example's own row warnings
        warning = [line for line in checked.stderr.splitlines() if "storage.url" in line]
        assert len(warning) == 1 and "warning: user " in warning[0], checked.stderr
        assert "cannot write it" in warning[0] and "fine if the daemon runs as a user who can" in warning[0]
        strict = subprocess.run(
            [*command, "--strict"], capture_output=True, text=True, timeout=300, env=env, check=False
        )
        assert strict.returncode != 0, strict.stdout + strict.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)
