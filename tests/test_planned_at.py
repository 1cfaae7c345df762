"""``history``'s ``planned_at``: the moment the run that claimed the letter planned it to leave.

Support read it as "the claim time, not the planned moment": a letter a run finds
already due (a cron run after its moment, a catch-up) is planned for that run's
``now``, not for the spread moment ``preview`` showed beforehand. The value is
what the frequency cap and the recipient's day are counted from; docs/commands.md
now says so. This pins that meaning. The real CLI in-process, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

VERA = contact_row("1029", "client29@example.com", birthday="09.12.1981")
#: Late on the birthday (Moscow): the letter's moment in the window has passed.
RUN = "2026-12-09T17:00:00+03:00"


def json_of(config: Path, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["--config", str(config), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def test_planned_at_is_the_sending_runs_moment_for_a_letter_already_due(make_project: MakeProject) -> None:
    config = make_project([VERA])
    (ahead,) = json_of(
        config, "preview", "--from", "2026-12-09", "--days", "1", "--now", "2026-12-01T09:00:00+03:00"
    )
    spread = datetime.fromisoformat(str(ahead["send_at"]))
    assert CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", RUN]).exit_code == 0
    (row,) = json_of(config, "history")
    planned, sent = (
        datetime.fromisoformat(str(row["planned_at"])),
        datetime.fromisoformat(str(row["sent_at"])),
    )
    assert planned == datetime.fromisoformat(RUN) != spread  # the run's now, not preview's moment
    assert planned <= sent
