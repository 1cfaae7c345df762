"""The ``greeter`` command is split into modules by what the commands do; ``send`` stays light.

:mod:`greeter.cli` keeps the group and the shared options and helpers;
the reviewers' and the journal operator's commands live in modules of their
own, so that no module grows past the project's size limit. The split must not
make ``send`` import what only other commands need.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from greeter.cli import main

ROOT = Path(__file__).resolve().parent.parent

#: What ``send`` never needs: the gallery, iCalendar, Excel, PostgreSQL, the HTTP server.
HEAVY = ("greeter.gallery", "greeter.ics_export", "icalendar", "openpyxl", "psycopg", "aiohttp")
#: The command a cron job runs, rehearsed: it reads the example config and sends nothing.
SEND_DRY_RUN = (
    "--config",
    "config.example.yaml",
    "send",
    "--once",
    "--dry-run",
    "--now",
    "2027-04-14T11:00:00+03:00",
)


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("check", "greeter.cli"),
        ("schema", "greeter.cli"),
        ("send", "greeter.cli_send"),
        ("test-send", "greeter.cli_trial"),
        ("backup", "greeter.cli"),
        ("baseline", "greeter.cli"),
        ("preview", "greeter.cli_review"),
        ("calendar", "greeter.cli_review"),
        ("history", "greeter.cli_journal"),
        ("suppress", "greeter.cli_suppress"),
        ("unsuppress", "greeter.cli_suppress"),
        ("forget", "greeter.cli_erase"),
        ("purge", "greeter.cli_erase"),
        ("uncertain", "greeter.cli_decisions"),
        ("failed", "greeter.cli_decisions"),
        ("run", "greeter.cli_daemon"),
        ("approve", "greeter.cli_daemon"),
        ("copy-journal", "greeter.cli_copy"),
    ],
)
def test_each_command_lives_in_the_module_named_for_what_it_does(command: str, module: str) -> None:
    callback = main.commands[command].callback
    assert callback is not None
    assert callback.__module__ == module  # functools.wraps keeps it through pass_obj and handles_errors


def test_cli_modules_stay_under_the_size_limit() -> None:
    sizes = {
        p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "greeter").glob("cli*.py")
    }
    assert set(sizes) >= {"cli.py", "cli_daemon.py", "cli_journal.py", "cli_review.py"}
    assert all(n <= 900 for n in sizes.values()), sizes


def test_a_dry_run_send_imports_none_of_the_other_commands_heavy_modules() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "greeter", *SEND_DRY_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }
    assert {"greeter.cli_send", "greeter.send"} <= imported  # the probe works
    assert not imported & {
        "greeter.cli_journal",
        "greeter.cli_suppress",
        "greeter.cli_review",
    }  # only send's command module
    assert not {name for name in imported if name.split(".")[0] in HEAVY or name in HEAVY}
