"""greeter's standard streams as a script wires them: stdout full or closed, stdin closed, the C locale.

From an integration review (greeter in shell scripts): with stdout on a full
disk (``> /dev/full``) every command that prints said "internal error: OSError
… (a bug in greeter)", exit 3, and ``schema`` printed a traceback; with stdout
closed (``>&-``) ``history --json`` failed on ``None.write`` and ``check --json``,
``suppress --list`` and ``schema`` exited 0 having written nothing; ``forget``
with stdin closed (``<&-``) failed on ``None.isatty``; in the C locale without
UTF-8 mode ``history`` and ``preview`` failed on the first Cyrillic name;
``calendar -o -`` wrote half a calendar when the contacts database was down;
``--json`` beside another ``--format`` lost silently; ``purge --json`` printed
nothing for a config error; ``check --strict`` ended "check: OK" under exit 1.

The real command in a real process wherever it takes real descriptors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.testing import free_port
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, people

ROOT = Path(__file__).resolve().parent.parent
FULL = "greeter: cannot write to standard output: No space left on device"
CLOSED = (
    "greeter: cannot write to standard output: it is closed (give greeter a file or /dev/null to write to)"
)


def shell(config: Path, args: str, redirect: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m greeter --config CONFIG ARGS REDIRECT`` run by ``sh``: stdout and stdin as a script
    gives them (``> /dev/full``, ``>&-``, ``<&-``); stderr captured."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GREETER_CONFIG", "PYTHONIOENCODING")}
    environment.update(PYTHONPATH=str(ROOT), **env)
    command = f'"$0" -m greeter --config "$1" {args} {redirect}'
    return subprocess.run(
        ["sh", "-c", command, sys.executable, str(config)],
        stderr=subprocess.PIPE,
        stdout=None if redirect.startswith(">") else subprocess.PIPE,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def sent(make_project: MakeProject) -> Path:
    """A project whose journal holds two sent letters (to Иван Петрович Иванов)."""
    config = make_project(people(2))
    done = shell(config, f"send --once --now {NOW}", "")
    assert done.returncode == 0, done.stderr
    return config


#: Commands that print on stdout, with what they print about.
PRINTING = [
    "history --json",
    "history --format csv",
    "history",
    "suppress --list --json",
    f"send --once --dry-run --json --now {NOW}",
    "check --json",
    f"preview --json --days 5 --now {NOW}",
    "schema",
    "--help",
]


@pytest.mark.parametrize("args", PRINTING)
def test_a_full_disk_under_stdout_is_said_in_one_line_exit_75(sent: Path, args: str) -> None:
    done = shell(sent, args, "> /dev/full")
    assert done.returncode == 75, done.stderr
    assert done.stderr.splitlines()[-1] == FULL, done.stderr
    assert "Traceback" not in done.stderr and "a bug in greeter" not in done.stderr, done.stderr
    assert done.stderr.count(FULL) == 1, done.stderr


@pytest.mark.parametrize("args", PRINTING)
def test_a_closed_stdout_is_never_success(sent: Path, args: str) -> None:
    done = shell(sent, args, ">&-")
    assert done.returncode == 75, done.stderr
    assert done.stderr.splitlines()[-1] == CLOSED, done.stderr
    assert "Traceback" not in done.stderr and "a bug in greeter" not in done.stderr, done.stderr


def test_a_send_whose_summary_cannot_be_written_has_sent_and_still_says_so(make_project: MakeProject) -> None:
    """The letters left and the journal has them; the exit code says the summary did not."""
    config = make_project(people(2))
    done = shell(config, f"send --once --json --now {NOW}", "> /dev/full")
    assert done.returncode == 75, done.stderr
    assert done.stderr.splitlines()[-1] == FULL, done.stderr
    listed = shell(config, "history --json", "")
    assert [row["state"] for row in json.loads(listed.stdout)] == ["sent", "sent"]


def test_a_command_that_prints_nothing_needs_no_stdout(make_project: MakeProject) -> None:
    """``send --once -q`` from cron with stdout closed: nothing to write, nothing failed."""
    config = make_project(people(2))
    done = shell(config, f"send --once --quiet --now {NOW}", ">&-")
    assert done.returncode == 0, done.stderr
    # A new journal's first run: its belated-letters warning alone, on stderr (cron mails it).
    assert [line.startswith("first run on a new journal:") for line in done.stderr.splitlines()] == [True]


def test_forget_with_stdin_closed_asks_for_yes_as_with_no_terminal(sent: Path) -> None:
    for stdin in ("<&-", "< /dev/null"):
        done = shell(sent, "forget client1@example.com", stdin)
        assert done.returncode == 2, (stdin, done.stderr)
        assert "there is no terminal to ask on: add --yes" in done.stderr, done.stderr
        assert "internal error" not in done.stderr


def test_send_with_stderr_closed_runs(make_project: MakeProject) -> None:
    """``2>&-``: send asked ``None.isatty()`` whether to draw a progress bar."""
    config = make_project(people(2))
    done = shell(config, f"send --once --now {NOW}", "2>&-")
    assert done.returncode == 0
    assert done.stdout.startswith("2027-04-14 11:00 MSK: due 2; sent: 2;"), done.stdout


@pytest.mark.parametrize("args", ["history", "history --json", "history --format csv"])
def test_the_c_locale_writes_stdout_in_utf8(sent: Path, args: str) -> None:
    done = shell(sent, args, "", LC_ALL="C", PYTHONUTF8="0")
    assert done.returncode == 0, done.stderr
    assert "Иван Петрович Иванов" in done.stdout or "Иванов" in done.stdout, done.stdout
    if args.endswith("--json"):
        assert json.loads(done.stdout)[0]["state"] == "sent"


def test_the_c_locale_preview_table_is_utf8(make_project: MakeProject) -> None:
    config = make_project(people(2))
    done = shell(config, f"preview --days 3 --now {NOW}", "", LC_ALL="C", PYTHONUTF8="0")
    assert done.returncode == 0, done.stderr
    assert "Иван Петрович" in done.stdout, done.stdout


@pytest.mark.parametrize("args", ["history", f"preview --days 3 --now {NOW}"])
def test_an_encoding_chosen_that_cannot_carry_the_output_is_one_line_exit_2(sent: Path, args: str) -> None:
    """``PYTHONIOENCODING=ascii`` (a container's env): "internal error: UnicodeEncodeError … (a bug in
    greeter …)", exit 3; now what to set instead. ``ascii:replace`` is a choice kept."""
    done = shell(sent, args, "", LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="ascii")
    assert done.returncode == 2, done.stderr
    (last,) = [line for line in done.stderr.splitlines() if "standard output" in line]
    assert last.startswith(
        "greeter: cannot write to standard output: its encoding, ascii (from PYTHONIOENCODING)"
    )
    assert last.endswith("set PYTHONIOENCODING=utf-8 (or a UTF-8 locale, LANG=C.UTF-8)"), last
    assert "bug" not in done.stderr and "Traceback" not in done.stderr
    replaced = shell(sent, args, "", LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="ascii:replace")
    assert replaced.returncode == 0 and "?" in replaced.stdout, replaced.stderr


def test_calendar_to_stdout_writes_nothing_when_the_contacts_database_is_down(
    make_project: MakeProject,
) -> None:
    """It wrote BEGIN:VCALENDAR and the calendar's name, then exited 75: half a file in ``> x.ics``."""
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    config = make_project([], contacts={"source": "sql", "url": down, "query": 'SELECT 1 AS "ID"'})
    done = shell(config, f"calendar -o - --now {NOW}", "")
    assert done.returncode == 75, done.stderr
    assert done.stdout == ""


def test_calendar_to_stdout_is_still_the_whole_calendar(make_project: MakeProject) -> None:
    config = make_project(people(2, day="16.04.1980"))
    done = shell(config, f"calendar -o - --days 7 --now {NOW}", "")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("BEGIN:VCALENDAR") and done.stdout.endswith("END:VCALENDAR\n")
    assert done.stdout.count("BEGIN:VEVENT") == 2


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("command", "other"),
    [
        (("preview", "--days", "3", "--now", NOW), "table"),
        (("history",), "csv"),
        (("suppress", "--list"), "csv"),
    ],
)
def test_json_beside_another_format_is_a_usage_error_naming_both(
    sent: Path, command: tuple[str, ...], other: str
) -> None:
    config = sent
    for order in (("--json", "--format", other), ("--format", other, "--json")):
        code, out, err = invoke("--config", str(config), *command, *order)
        assert code == 2, (order, out, err)
        assert f"--json and --format {other}" in err and out == ""
    code, out, _ = invoke("--config", str(config), *command, "--json", "--format", "json")
    assert code == 0 and isinstance(json.loads(out), list)


def test_purge_json_prints_its_record_with_a_config_error(make_project: MakeProject) -> None:
    config = make_project(people(1))
    code, out, err = invoke("--config", str(config), "purge", "--json", "--older-than", "10")  # < the cap
    assert code == 2
    record = json.loads(out)
    assert record["config_error"].startswith("nothing purged: 10 days is too short"), record
    assert record["greetings"] == 0 and record["journal_unavailable"] is None
    assert "nothing purged: 10 days is too short" in err
    code, out, _ = invoke("--config", str(config.parent / "missing.yaml"), "purge", "--json")
    assert code == 2 and json.loads(out)["config_error"].endswith("config file not found")


def test_purge_json_has_the_same_keys_done_or_refused(make_project: MakeProject) -> None:
    config = make_project(people(1))
    assert invoke("--config", str(config), "send", "--once", "--now", NOW)[0] == 0
    code, out, err = invoke("--config", str(config), "purge", "--json", "--older-than", "800")
    assert code == 0, err
    done = json.loads(out)
    assert done["config_error"] is None and done["retention_days"] == 800
    refused = json.loads(invoke("--config", str(config), "purge", "--json", "--older-than", "10")[1])
    assert done.keys() == refused.keys()


def test_check_strict_says_it_fails_and_json_has_the_verdict(make_project: MakeProject) -> None:
    """A row without an e-mail is a warning: --strict exits 1, and now says so last."""
    config = make_project([contact_row("9", "", birthday="13.04.1980"), *people(1)])
    code, out, _ = invoke("--config", str(config), "check", "--now", NOW)
    warned = json.loads(invoke("--config", str(config), "check", "--json", "--now", NOW)[1])["warnings"]
    # Not a bare "check: OK" for a cron job reading stdout alone: the warnings are on stderr.
    assert code == 0 and out.splitlines()[-1] == f"check: OK, {warned} warning(s) (listed on stderr)", out
    code, out, _ = invoke("--config", str(config), "check", "--strict", "--json", "--now", NOW)
    summary = json.loads(out)
    assert code == 1 and summary["ok"] is False and summary["strict"] is True and summary["warnings"] >= 1
    code, out, _ = invoke("--config", str(config), "check", "--strict", "--now", NOW)
    assert code == 1, out
    assert out.splitlines()[-1] == f"check: {summary['warnings']} warning(s), failing --strict", out
    code, out, _ = invoke("--config", str(config), "check", "--json", "--now", NOW)
    summary = json.loads(out)
    assert code == 0 and summary["ok"] is True and summary["strict"] is False
    code, out, _ = invoke("--config", str(config.parent / "missing.yaml"), "check", "--json")
    assert code == 2 and json.loads(out)["ok"] is False
