"""A migration's ``greeter baseline`` records the greetings already expired before greeter's first run.

A new journal's first ``send --once`` names such greetings as expired "before
this journal's first run" and exits 0: greeter was not there. The docs'
migration path runs ``greeter baseline`` first — and the baseline made the
journal, so the send after it took those same greetings for ones lost on
greeter's watch: exit 1 and the advice to run send --once more often, on the
very first run. The baseline now records them, in the first send's words.

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject
from tests.test_expired_loud import CURE, LONDON, NAMES, cron, greeter

#: Friday 11 December 2026, 18:00 in London: its window closed, the 8th's catch-up ends before Monday.
LATE = "2026-12-11T21:00:00+03:00"


def expired(config: Path) -> list[tuple[str, str, str]]:
    shown = greeter(config, "history", "--state", "expired", "--format", "json")
    assert shown.exit_code == 0, shown.output
    return [(r["contact_id"], r["occasion_date"], r["reason"]) for r in json.loads(shown.stdout)]


def test_the_send_after_a_baseline_does_not_blame_itself_for_what_expired_before_it(
    make_project: MakeProject,
) -> None:
    config = make_project([LONDON[0]])
    dry = greeter(config, "baseline", "--dry-run", "--now", LATE)
    assert dry.exit_code == 0, dry.output
    assert "; would record 1 greeting(s) expired, never sent: their catch-up period had ended" in dry.stdout
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # a dry run makes no journal

    done = greeter(config, "baseline", "--now", LATE)
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "no greeting was taken: greeter would send no greeting for an occasion through 2026-12-11;"
        " recorded 1 greeting(s) expired, never sent: their catch-up period had ended"
        " before greeter's first run (greeter history --state expired lists them)\n"
    )
    ((cid, day, reason),) = expired(config)
    assert (cid, day) == ("1005", "2026-12-08")
    assert "its catch-up period had ended before greeter's first run (greeter baseline)" in reason

    first = greeter(config, "send", "--once", "--now", "2026-12-11T21:05:00+03:00")
    assert first.exit_code == 0, first.output
    assert "expired" not in first.output and CURE not in first.output, first.output

    again = greeter(config, "baseline", "--now", LATE)  # recorded once: a second run finds nothing
    assert again.stdout.startswith("nothing was recorded: "), again.stdout


def test_a_greeting_lost_after_the_baseline_still_exits_1(make_project: MakeProject) -> None:
    """The baseline before their days: the daily cron outside London's window loses them, as before."""
    config = make_project(LONDON)
    assert greeter(config, "baseline", "--now", "2026-12-07T10:00:00+03:00").exit_code == 0
    for day in ("07", "08", "09", "10", "11"):
        assert cron(config, day).exit_code == 0
    lost = cron(config, "14")
    assert lost.exit_code == 1, lost.output
    assert NAMES in lost.stderr.splitlines() and CURE in lost.stderr, lost.stderr


def test_a_baseline_on_a_journal_in_use_leaves_greeters_own_losses_to_the_send(
    make_project: MakeProject,
) -> None:
    """Not a first run: what expired since is greeter's to answer for, as before (exit 1)."""
    config = make_project(LONDON)
    for day in ("07", "08", "09", "10", "11"):
        assert cron(config, day).exit_code == 0
    late = greeter(config, "baseline", "--now", "2026-12-14T10:05:00+03:00")
    assert late.exit_code == 0 and "expired" not in late.stdout, late.stdout
    lost = cron(config, "14")
    assert lost.exit_code == 1, lost.output
    assert NAMES in lost.stderr.splitlines(), lost.stderr
