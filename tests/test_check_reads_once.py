"""``greeter check`` reads each secret and opens the journal once; ``send`` reads the DKIM key once.

The DKIM key file was read twice, once for send's refusals
(:func:`greeter.dkim_sign.load_signer`) and again for the short-key warning;
the journal was opened as send opens it three times, for its state (the
clock, a restore), its open letters and its project. Counted at Python's own
seams for them, the ``open`` and ``sqlite3.connect`` audit events (PEP 578) —
real files read by the real check, nothing replaced.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_check import NOW, russians

SEND_NOW = "2027-04-14T11:00:00+03:00"  # the day after the birthday: a catch-up, due at once

#: The paths opened while :func:`opened` watches; the hook, once added, lives as long as the process.
_OPENED: list[str] = []
_WATCHING: list[bool] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING and event in ("open", "sqlite3.connect") and isinstance(args[0], str | Path):
        _OPENED.append(f"{event} {args[0]}")


@contextmanager
def opened() -> Iterator[list[str]]:
    """The paths Python opens (``open PATH``) and the databases SQLite connects to
    (``sqlite3.connect PATH``) inside the block."""
    if not getattr(sys, "_greeter_open_hook", False):
        sys.addaudithook(_hook)
        sys._greeter_open_hook = True  # type: ignore[attr-defined]
    _OPENED.clear()
    _WATCHING.append(True)
    try:
        yield _OPENED
    finally:
        _WATCHING.clear()


def test_check_reads_the_dkim_key_once(make_project: MakeProject, tmp_path: Path) -> None:
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "1024"], check=True, capture_output=True)
    key.chmod(0o600)
    config = make_project(
        russians(1),
        delivery={"dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(key)}},
    )
    with opened() as paths:
        report = run_check(config, NOW)
    assert [p for p in paths if p.endswith(str(key))] == [f"open {key}"]
    said = [p.message for p in report.problems if p.field == "delivery.dkim.key_file"]
    assert report.secret_errors == 0 and [m.startswith("the DKIM key has 1024 bits") for m in said] == [True]


def test_check_opens_the_journal_as_send_does_once(make_project: MakeProject) -> None:
    config = make_project(russians(2))
    done = CliRunner().invoke(
        main, ["--config", str(config), "suppress", "x@example.com", "--reason", "test"]
    )
    assert done.exit_code == 0, done.output  # the journal exists, as after a first send
    with opened() as paths:
        report = run_check(config, NOW)
    journal = [p for p in paths if p.startswith("sqlite3.connect") and "journal.sqlite3" in p]
    as_send = [p for p in journal if "mode=ro" not in p]  # besides its status and damage reads
    assert len(as_send) == 1, journal
    assert report.errors == 0 and [d.role for d in report.databases if d.ok] == ["journal"], report.problems


def test_send_reads_the_dkim_key_once(make_project: MakeProject, tmp_path: Path) -> None:
    """``send`` read the key for its refusals at start (:func:`~greeter.send_transport.missing_secrets`)
    and again to sign (:func:`greeter.send.plan_cycle`); the letter is still signed with it."""
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    key.chmod(0o600)
    config = make_project(
        [contact_row("1", "c1@example.com", birthday="13.04.1980")],
        delivery={"dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(key)}},
    )
    with opened() as paths:
        sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", SEND_NOW])
    assert sent.exit_code == 0, sent.output
    assert [p for p in paths if p.endswith(str(key))] == [f"open {key}"]
    letters = list((config.parent / "data" / "outbox").glob("*.eml"))
    assert len(letters) == 1 and b"DKIM-Signature: " in letters[0].read_bytes()
