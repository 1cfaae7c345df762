"""Small things the command line said wrong, found by personas trying it as their jobs have them.

* ``--from 20270830`` and ``--from 2027-W35-1`` were taken (``date.fromisoformat``
  reads them) while the config refused the same days: both now take
  ``2027-08-30`` and ``30.08.2027`` alone, and say a day in neither form alike.
* ``check`` printed ``check: OK`` on stdout over warnings said on stderr: a
  cron job reading stdout never knew of them.
* ``calendar -o /dev/stdout`` was refused as "a symbolic link", and
  ``history -o FILE`` emptied the last export before writing the new one.
* ``/healthz`` escaped a Russian mail server's reply as ``\\u0438…``, so the
  address in it was not masked — and was cut into a body no JSON reader took.
* ``history``'s table did not say which journal it was read from; ``suppress --list``'s
  did not either, and ``check`` named a SQLite journal ``sqlite:///…`` where every other
  command names its file.

Real commands (CliRunner, or ``python -m greeter`` where stdout must be a
real descriptor), real SQLite journals, a real HTTP listener.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.day_text import read_day
from greeter.http_api import ApiContext, make_app, start_site
from greeter.journal import open_journal
from greeter.journal_schema import MIGRATIONS
from greeter.metrics import RunStats
from tests.conftest import MakeProject, contact_row

ROOT = Path(__file__).resolve().parent.parent
#: After a baseline at this moment the journal holds both greetings of :data:`PEOPLE`.
BASELINE_AT = "2027-04-14T11:00+03:00"
PEOPLE = [
    contact_row("1", "one@example.com", birthday="12.04.1980"),
    contact_row("2", "two@example.com", birthday="14.04.1980"),
]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="greeter", terminal_width=100)


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m greeter``: stdout a real descriptor, as ``/dev/stdout`` needs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "-c", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def journal(make_project: MakeProject) -> Path:
    config = make_project(PEOPLE)
    done = invoke("-c", str(config), "baseline", "--now", BASELINE_AT)
    assert done.exit_code == 0 and "recorded 2 greeting(s)" in done.stdout, done.output
    return config


@pytest.mark.parametrize(
    ("command", "flag", "day", "said"),
    [
        # date.fromisoformat's other forms: refused, with the day meant in both forms taken
        ("preview", "--from", "20270830", "'20270830' is not a date like 2027-08-30 or 30.08.2027"),
        ("calendar", "--from", "2027-W35-1", "'2027-W35-1' is not a date like 2027-08-30 or 30.08.2027"),
        ("baseline", "--through", "20270830", "'20270830' is not a date like 2027-08-30 or 30.08.2027"),
        (
            "history",
            "--since",
            "2027-W35-1",
            "'2027-W35-1' is not a date like 2027-08-30, 30.08.2027 or a month like 2027-08",
        ),
        # a form taken, but no such day: the config's words (greeter.day_text.not_a_day)
        ("calendar", "--from", "31.02.2027", "31.02.2027 is not a real date: February has no 31st"),
    ],
)
def test_a_date_option_takes_the_config_s_two_forms_alone(
    make_project: MakeProject, command: str, flag: str, day: str, said: str
) -> None:
    config = make_project(PEOPLE)
    extra = ("-o", str(config.parent / "x.ics")) if command == "calendar" else ()
    done = invoke("-c", str(config), command, flag, day, *extra)
    hint = "'--since' / '--from'" if flag == "--since" else f"'{flag}'"
    assert done.exit_code == 2 and done.stdout == "", done.output
    assert done.stderr.endswith(f"Error: Invalid value for {hint}: {said}\n"), done.stderr
    assert not (config.parent / "x.ics").exists()


def test_the_config_says_a_day_in_neither_form_in_the_command_line_s_words(make_project: MakeProject) -> None:
    config = make_project(PEOPLE, send_window={"extra_days_off": ["2027-W35-1"]})
    done = invoke("-c", str(config), "check")
    assert done.exit_code == 2
    assert "'2027-W35-1' is not a date like 2027-08-30 or 30.08.2027" in done.stderr, done.stderr


def test_read_day_reads_two_forms_only() -> None:
    assert read_day("2027-08-30") == read_day("30.08.2027") == read_day("30.8.2027")
    for text in ("20270830", "2027-W35-1", "2027-242", "2027-08-30T00:00"):
        with pytest.raises(ValueError):
            read_day(text)


def test_check_s_verdict_on_stdout_counts_the_warnings_said_on_stderr(make_project: MakeProject) -> None:
    config = make_project([*PEOPLE, contact_row("3", "three@example.com", birthday="31.02.1980")])
    now = ("--now", "2027-01-10T10:00")
    done = invoke("-c", str(config), "check", *now)
    assert done.exit_code == 0, done.output
    said = done.stderr.count(": warning: ")  # the row's date, and the example's tiers and tags none has
    assert said >= 2 and "warning: '31.02.1980' is not a real date" in done.stderr, done.stderr
    assert done.stdout.splitlines()[-1] == f"check: OK, {said} warning(s) (listed on stderr)", done.stdout
    strict = invoke("-c", str(config), "check", "--strict", *now)  # as before
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[-1] == f"check: {said} warning(s), failing --strict", strict.stdout
    summary = json.loads(invoke("-c", str(config), "check", "--json", *now).stdout)
    assert (summary["ok"], summary["warnings"]) == (True, said)


def test_calendar_and_history_write_to_dev_stdout(journal: Path) -> None:
    calendar = run(journal, "calendar", "--from", "2028-04-01", "--days", "30", "-o", "/dev/stdout")
    assert calendar.returncode == 0, calendar.stderr
    assert calendar.stdout.startswith("BEGIN:VCALENDAR") and calendar.stdout.rstrip().endswith(
        "END:VCALENDAR"
    )
    assert calendar.stdout.count("BEGIN:VEVENT") == 2, calendar.stdout
    history = run(journal, "history", "--format", "csv", "-o", "/dev/stdout")
    assert history.returncode == 0, history.stderr
    assert history.stdout == run(journal, "history", "--format", "csv").stdout
    assert history.stdout.count("\n") == 3 and history.stderr == ""


def test_history_o_replaces_the_last_export_whole(journal: Path) -> None:
    """A reader of the last export (a spreadsheet app, a sync job) keeps it whole: the new one is
    written beside it and renamed over it, as calendar -o does, never emptied first."""
    out = journal.parent / "history.csv"
    assert invoke("-c", str(journal), "history", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    with out.open("rb") as reader:
        done = invoke(
            "-c", str(journal), "history", "--occasion", "birthday", "--since", "2027-04-13", "-o", str(out)
        )
        assert done.exit_code == 0, done.output
        assert reader.read() == before  # the file it had open, untouched
    assert out.read_bytes() != before and out.read_bytes().count(b"\r\n") == 2
    assert oct(out.stat().st_mode & 0o777) == oct(0o640 & ~_umask())
    assert [p.name for p in journal.parent.iterdir() if p.name.endswith(".tmp")] == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_history_s_table_names_its_journal(journal: Path) -> None:
    done = invoke("-c", str(journal), "history")
    assert done.exit_code == 0, done.output
    title = done.stdout.splitlines()[0].strip()
    assert title == f"journal {journal.parent / 'data' / 'journal.sqlite3'}: 2 greeting(s)", done.stdout


def test_suppress_list_s_table_names_its_journal(journal: Path) -> None:
    assert invoke("-c", str(journal), "suppress", "one@example.com").exit_code == 0
    done = invoke("-c", str(journal), "suppress", "--list")
    assert done.exit_code == 0, done.output
    path = journal.parent / "data" / "journal.sqlite3"
    title = done.stdout.splitlines()[0].strip()
    assert title == f"do-not-contact list in journal {path}: 1 address(es)", done.stdout


def test_check_names_a_sqlite_journal_by_its_file_as_history_does(journal: Path) -> None:
    path = journal.parent / "data" / "journal.sqlite3"
    done = invoke("-c", str(journal), "check", "--now", BASELINE_AT)
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("journal: ")]
    latest = len(MIGRATIONS)
    assert line == f"journal: {path}: journal schema version {latest} of {latest}", done.output
    summary = json.loads(invoke("-c", str(journal), "check", "--now", BASELINE_AT, "--json").stdout)
    assert summary["databases"]["journal"]["url"] == f"sqlite:///{path}", "JSON keeps the URL as configured"


def test_healthz_shows_a_russian_reply_in_letters_and_masks_its_address(tmp_path: Path) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    store = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    stats = RunStats(started_at=now)
    stats.delivery_problem = "550 5.1.1 <иван@почта.рф>: нет такого ящика"
    stats.degraded_since = now
    ctx = ApiContext(journal=store, stats=stats, clock=lambda: now, secret=None)

    async def scenario() -> tuple[int, str]:
        runner, port = await start_site(make_app(ctx), "127.0.0.1", 0, max_connections=3, header_seconds=2.0)
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{port}/healthz") as got,
            ):
                return got.status, await got.text()
        finally:
            await runner.cleanup()

    try:
        status, text = asyncio.run(scenario())
    finally:
        store.close()
    body = json.loads(text)  # on base: "Invalid \\uXXXX escape", the masking having cut one
    assert status == 503 and body["delivery_problem"] == "550 5.1.1 <и***@почта.рф>: нет такого ящика", text
    assert "иван" not in text and "\\u04" not in text
