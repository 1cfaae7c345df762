"""``greeter approve`` for a reviewer at volume (7,620 year-end drafts of 8,000 contacts).

A persona found: approve planned and rendered every letter again with nothing on the terminal
for a minute (preview shows its bar: approve now takes the same one, on a terminal only), and
its help had no exit codes while its docs said exit 0 where a rejected contact row makes it 1.
Real CLI, real project files, a pty for the terminal.
"""

from __future__ import annotations

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import NOW, people

#: The bar's words (preview's: greeter.cli_review.preview).
BAR = b"planning and rendering letters"
RANGE = ("--from", "2027-04-13", "--days", "2", "--now", NOW)


def test_approve_shows_its_progress_on_a_terminal_only(make_project: MakeProject) -> None:
    config = make_project(people(120), review="required")
    code, out, err = run_on_terminal(config, "approve", "--all", *RANGE, "--by", "anna", terminal=True)
    assert code == 0, err[-500:]
    assert BAR in err and b"rows" in err, err[-500:]
    assert b"approved 120 draft(s)" in out, out
    code, out, err = run_on_terminal(config, "approve", "--all", *RANGE, "--by", "anna", terminal=False)
    assert code == 0 and BAR not in err and b"\x1b" not in err, err
    assert b"nothing new to approve: all 120 draft(s)" in out, out


def test_approve_help_says_its_exit_codes_and_a_rejected_row_is_exit_1(make_project: MakeProject) -> None:
    result = CliRunner().invoke(main, ["approve", "--help"], prog_name="greeter", terminal_width=100)
    shown = " ".join(result.stdout.split())
    assert "Exit codes: 0 approved" in shown, shown
    assert "or a contact row was rejected" in shown and "75 the journal or the contacts database" in shown
    config = make_project(
        [*people(2), contact_row("3", "not-an-address", birthday="13.04.1980")], review="required"
    )
    done = CliRunner().invoke(main, ["--config", str(config), "approve", "--all", *RANGE, "--by", "anna"])
    assert done.exit_code == 1, (done.stdout, done.stderr)  # as the help and docs say now
    assert "approved 2 draft(s)" in done.stdout  # the others approved all the same
