"""Help texts a reader who has only ``--help`` relies on: true for the command they are shown by.

A persona who could read only the help, the messages and the files ``init`` writes found: purge's
``--now`` said "ISO 8601" only, though the dotted forms work there as everywhere; purge's and
backup's ``--quiet`` spoke of "rejected contact rows", which neither reads; send's help hid its
cron line inside exit 1's paragraph; preview's did not say its exit codes (``preview --contact 1``
exits 1 for another client's bad row). Real CLI, in-process.
"""

from __future__ import annotations

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def help_of(*command: str) -> str:
    result = CliRunner().invoke(main, [*command, "--help"], prog_name="greeter", terminal_width=100)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_purge_now_says_the_dotted_form_as_the_other_commands_do() -> None:
    said = "Pretend it is this moment: 2026-12-29T13:00 or 29.12.2026 13:00, a day alone its midnight"
    assert said in help_of("purge") and said in help_of("preview")
    assert "ISO 8601" not in help_of("purge")


def test_purge_accepts_the_dotted_now_its_help_names(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "client1@example.com", birthday="13.04.1980")])
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "purge", "--older-than", "800", "--dry-run", "--now", "01.12.2026 13:00"],
    )
    assert "--now" not in result.stderr, result.stderr  # not refused as a moment


def test_purge_and_backup_quiet_speak_of_their_own_output() -> None:
    for command in ("purge", "backup"):
        shown = help_of(command)
        assert "contact rows" not in shown, command
        assert "Print nothing on stdout when done (exit 0)" in shown, command
    assert "rejected contact rows already reported" in help_of("send")  # send's stays


def test_send_help_gives_a_crontab_line_before_its_exit_codes() -> None:
    shown = help_of("send")
    line = "*/5 * * * * greeter --config /etc/greeter/greeter.yaml send --once -q"
    assert line in shown and shown.index(line) < shown.index("Exit codes")
    assert "(cron */5)" not in shown  # said once, as the line


def test_preview_help_says_its_exit_codes() -> None:
    shown = help_of("preview")
    assert "Exit codes: 0 shown 1 a letter does not render, or a contact row was rejected" in shown
    assert "with --contact too" in shown and "75 the journal or the contacts database" in shown
