"""``greeter check`` says what ``send`` refuses: this machine's clock off the PostgreSQL journal server's.

Under ``faketime +10m`` check printed OK and ``send`` then stopped at exit 75
("this machine's clock is 10 minutes ahead of the journal's database
server"). Now check reports it, in send's words, and exits 75 as send does:
unlike a journal holding later times (a warning: a rehearsed copy holds them
too), send refuses a skewed clock every time. The test PostgreSQL in a schema of
its own, a real CLI run under ``faketime`` and the check step with the
clock injected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from greeter.check_delivery import _server_clock_skew, check_databases, check_journal_state, checked_journal
from greeter.check_report import CheckReport
from greeter.journal_pg import PgJournal
from tests import databases
from tests.conftest import MakeProject, contact_row

ROOT = Path(__file__).resolve().parent.parent
SKEW = "minutes ahead of the journal's database server"


def test_the_skew_is_told_as_send_refuses_it_and_not_within_the_tolerance() -> None:
    real = datetime.now(UTC)
    with databases.pg_schema() as (url, _):
        PgJournal.open(url, now=real).close()  # the journal exists, as after a first send
        report = CheckReport(config_file=Path("greeter.yaml"), occasions=[])
        check_databases(report, url, None, None)
        with checked_journal(report, url, real) as opened:
            check_journal_state(report, opened, real)  # this machine's clock: the server's
        with PgJournal.open(url, now=real) as journal:
            ahead = _server_clock_skew(journal, real + timedelta(minutes=10))  # the clock injected

    assert not [p for p in report.problems if "clock" in p.message], report.problems
    assert ahead is not None and ahead.startswith(f"this machine's clock is 10 {SKEW}"), ahead


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime")
def test_check_on_a_machine_ten_minutes_ahead_is_not_ok(make_project: MakeProject) -> None:
    real = datetime.now(UTC)
    with databases.pg_schema() as (url, _):
        config = make_project([contact_row("1", "client01@example.com")], storage={"url": url})
        PgJournal.open(url, now=real).close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        run = subprocess.run(
            ["faketime", "-f", "+10m", sys.executable, "-m", "greeter", "--config", str(config), "check"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    said = " ".join((run.stdout + run.stderr).split())
    assert run.returncode == 75, said  # as send exits for it, every time; not "check: OK"
    assert "check: OK" not in said, said
    assert f"storage.url: send refuses it: this machine's clock is 10 {SKEW}" in said, said
