"""``greeter preview`` on a terminal shows how far its planning got; in a log or a pipe, nothing more.

At 200,000 rows the plan and its letters take a minute before the table is
printed: on a terminal the rows read so far (``send``'s bar,
:func:`greeter.send_report.progress_factory`), gone before the table;
nothing with ``--format json`` or when stderr is no terminal, and stdout the
same either way.
"""

from __future__ import annotations

from tests.conftest import MakeProject
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import NOW, people

#: The bar's words (greeter.cli_review.preview).
BAR = b"planning and rendering letters"


def test_preview_shows_its_progress_on_a_terminal_only_and_nothing_else_changes(
    make_project: MakeProject,
) -> None:
    config = make_project(people(120))
    command = ("preview", "--now", NOW, "--days", "7")
    code, out, err = run_on_terminal(config, *command, terminal=True)
    piped_code, piped_out, piped_err = run_on_terminal(config, *command, terminal=False)
    assert BAR in err and b"rows" in err, err[-500:]
    assert (code, out) == (piped_code, piped_out)  # the table byte for byte, after the bar is gone
    assert b"send: 120" in out, out[-300:]
    assert BAR not in piped_err and b"\x1b" not in piped_err
    code, out, err = run_on_terminal(config, *command, "--format", "json", terminal=True)
    assert BAR not in err
    assert (code, out) == run_on_terminal(config, *command, "--format", "json", terminal=False)[:2]
