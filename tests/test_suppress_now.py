"""``suppress``/``unsuppress --now``: a rehearsal's do-not-contact list is dated by its clock.

Support rehearsed months of operation with ``send --once --now …``; ``suppress``
had no ``--now``, so ``history`` said "on the do-not-contact list since
2026-12-05" (the real day) beside letters "sent" in the rehearsed 2027. The
real CLI in-process, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

VERA = contact_row("1029", "client29@example.com", birthday="09.12.1981")


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def test_suppress_and_unsuppress_take_now_as_the_other_journal_writers_do(make_project: MakeProject) -> None:
    config = make_project([VERA])
    assert greeter(config, "send", "--once", "--now", "2026-12-09T17:00:00+03:00").exit_code == 0
    listed = greeter(
        config, "suppress", "client29@example.com", "--reason", "просила", "--now", "2027-02-03T10:00"
    )
    assert listed.exit_code == 0, listed.output
    shown = greeter(config, "history", "--contact", "1029")
    assert "on the do-not-contact list since 2027-02-03 (reason: просила)" in shown.stderr, shown.stderr
    (entry,) = json.loads(greeter(config, "suppress", "--list", "--json", "--now", "2027-02-03T11:00").stdout)
    assert entry["created_at"].startswith("2027-02-03T07:00:00"), entry  # 10:00 Moscow, in UTC
    lifted = greeter(config, "unsuppress", "client29@example.com", "--now", "2027-02-04T10:00")
    assert lifted.exit_code == 0 and "removed 1 address(es)" in lifted.stdout, lifted.output
    empty = greeter(config, "suppress", "--now", "", "x@example.com")  # "$REHEARSAL_AT" unset
    assert empty.exit_code == 2 and "an empty value" in empty.output
