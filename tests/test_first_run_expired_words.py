"""A brand-new journal's first run says truly why a greeting expired.

A birthday on Russia's working Saturday 20.02.2027 is planned for Friday
19.02; the first ``send --once`` of a new journal on the Saturday found its
catch-up period over and said it "had ended before this journal's first run" —
read as "the journal ran before", while this run *is* its first; and the period
(to Tuesday 23.02) had not ended: its last window in it (Friday's) had passed.
"""

from __future__ import annotations

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def test_the_first_runs_expiry_says_it_ended_before_this_run(make_project: MakeProject) -> None:
    rows = [contact_row("1001", "ivan@example.ru", country="RU", birthday="20.02.1980")]
    config = make_project(rows, defaults={"country": "RU"})
    args = ["--config", str(config), "send", "--once", "--dry-run", "--now", "2027-02-20T11:00"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "before this journal's first run" not in result.stderr
    assert (
        "expired ×1 (never sent: its last window within catch_up_days 3 of the day it was meant to"
        " leave had passed before this run, the journal's first (greeter was not there to send it)):"
        " 1001 birthday 2027-02-20" in result.stderr
    ), result.stderr
