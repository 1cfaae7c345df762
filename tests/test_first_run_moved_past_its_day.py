"""A new journal's first run plans the letters a day off moved past its catch-up start.

A journal's first plan starts its occasions ``catch_up_days`` back
(:func:`greeter.planner.occasion_starts`): older ones were before greeter, not missed by it.
But with ``day_off_policy: after`` (or ``before`` with a ``max_days_early`` too small to reach
over the break) a 31 December or 3 January birthday in Russia is greeted on Monday
11 January 2027, after the New Year break. A project whose first ``send --once`` ran on
5 January (``catch_up_days: 3``) started its occasions on the 2nd and compared that with the
birthday's own day: the 31 December letter — not even late, it was to leave on the 11th as
designed — was never planned: no row, no word, exit 0, in preview and send alike, and the
journal's recorded start hid it from every later run too. An occasion before the start
now exists when the day its letter was meant to leave
(:attr:`~greeter.plan_tables.OccasionDay.due`) is on or after it; only a letter past its
catch-up period even counted from that day is left unplanned.

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from greeter.journal import Journal
from tests.conftest import MakeProject, contact_row
from tests.test_expired_after_day_off_shift import greeter, history, rules

#: Moscow clients (the config's zone) with birthdays on Thursday 31 December 2026 and Sunday
#: 3 January 2027: both in Russia's New Year break (31.12.2026 – 10.01.2027).
ROWS = [
    contact_row(cid, f"client{cid}@example.com", birthday=f"{day}.1980")
    for cid, day in (("1", "31.12"), ("2", "03.01"))
]
#: The journal's first run: Tuesday 5 January, in the break (nothing can leave yet).
FIRST = "2027-01-05T10:05:00+03:00"
#: Monday 11 January, in the last minutes of its window: every letter planned that day leaves.
MONDAY = "2027-01-11T17:25:00+03:00"


def letters(config: Path, now: str) -> list[tuple[str, str, str]]:
    """What ``preview`` at ``now`` shows for the fortnight from 5 January: (contact, status, day it leaves)."""
    shown = greeter(
        config, "preview", "--now", now, "--from", "2027-01-05", "--days", "14", "--format", "json"
    )
    assert shown.exit_code == 0, shown.output
    return [(d["contact_id"], d["status"], (d["send_at"] or "")[:10]) for d in json.loads(shown.stdout)]


def test_a_first_run_in_the_break_plans_both_birthdays_for_the_day_after_it(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS, **rules({"day_off_policy": "after"}))
    planned = [("1", "send", "2027-01-11"), ("2", "send", "2027-01-11")]
    assert letters(config, FIRST) == planned  # no journal yet: as its first run will plan
    first = greeter(config, "send", "--once", "--now", FIRST)
    assert first.exit_code == 0, first.output
    assert "due 0" in first.output and "next letter due 2027-01-11" in first.output, first.output
    assert "expired" not in first.output, first.output
    # The first-run notice names both: another tool may have greeted them already.
    assert "2 belated greeting(s) for occasions dated 2026-12-31 … 2027-01-03, before today" in first.output
    assert history(config) == []
    assert letters(config, FIRST) == planned  # the journal's recorded start hides neither
    monday = greeter(config, "send", "--once", "--now", MONDAY)
    assert monday.exit_code == 0, monday.output
    assert "sent: 2" in monday.output, monday.output
    assert history(config) == [("1", "2026-12-31", "sent"), ("2", "2027-01-03", "sent")]


def test_before_with_a_limit_too_small_for_the_break_plans_the_one_it_moves_after(
    make_project: MakeProject,
) -> None:
    """``before`` with ``max_days_early: 3``: 31 December leaves a day early, on Wednesday
    30 December — past its catch-up on the 5th, so a first run then leaves it unplanned as
    before — while 30 December is too far ahead of 3 January, which leaves on the 11th."""
    config = make_project(ROWS, **rules({"day_off_policy": "before", "max_days_early": 3}))
    assert letters(config, FIRST) == [("2", "send", "2027-01-11")]
    first = greeter(config, "send", "--once", "--now", FIRST)
    assert first.exit_code == 0, first.output
    assert "expired" not in first.output, first.output
    monday = greeter(config, "send", "--once", "--now", MONDAY)
    assert monday.exit_code == 0, monday.output
    assert history(config) == [("2", "2027-01-03", "sent")]


def test_a_first_run_within_catch_up_of_the_moved_day_sends_them_belated(make_project: MakeProject) -> None:
    """First run on Thursday 14 January: both were meant for the 11th, three days ago — within
    ``catch_up_days`` of the day they were meant to leave, so greeter catches them up now."""
    config = make_project(ROWS, **rules({"day_off_policy": "after"}))
    late = greeter(config, "send", "--once", "--now", "2027-01-14T17:25:00+03:00")
    assert late.exit_code == 0, late.output
    assert "sent: 2" in late.output, late.output
    assert history(config) == [("1", "2026-12-31", "sent"), ("2", "2027-01-03", "sent")]


def test_a_first_run_past_their_catch_up_leaves_them_unplanned_as_before(make_project: MakeProject) -> None:
    """First run on Friday 15 January: past ``catch_up_days`` even from the 11th — before
    greeter, not missed by it: no row, nothing said of them, exit 0."""
    config = make_project(ROWS, **rules({"day_off_policy": "after"}))
    late = greeter(config, "send", "--once", "--now", "2027-01-15T17:25:00+03:00")
    assert late.exit_code == 0, late.output
    assert "birthday" not in late.output and "expired" not in late.output, late.output
    assert history(config) == []


def test_an_occasion_added_in_the_break_greets_on_the_day_after_it(make_project: MakeProject) -> None:
    """An occasion added to the config later exists from the first plan that has it: the same
    rule — a 3 January birthday it meets on the 5th still leaves on the 11th, as designed,
    not lost as if the config change were a downtime; none is recorded expired."""
    anniversary = {"name": "anniversary", "field": "birthday", "template": "birthday", "days_before": 60}
    config = make_project(ROWS, **{**rules({"day_off_policy": "after"}), "occasions": [anniversary]})
    assert greeter(config, "send", "--once", "--now", "2026-12-01T10:05:00+03:00").exit_code == 0
    assert make_project(ROWS, **rules({"day_off_policy": "after"})) == config  # birthdays instead, on the 5th
    added = greeter(config, "send", "--once", "--now", FIRST)
    assert added.exit_code == 0, added.output
    assert "expired" not in added.output and "first run" not in added.output, added.output
    with Journal.open(str(config.parent / "data" / "journal.sqlite3"), now=datetime.now(UTC)) as journal:
        assert set(journal.known_occasions()) == {"anniversary", "birthday"}
    monday = greeter(config, "send", "--once", "--now", MONDAY)
    assert monday.exit_code == 0, monday.output
    assert "sent: 2" in monday.output, monday.output
    assert [row for row in history(config) if row[2] != "skipped"] == [
        ("1", "2026-12-31", "sent"),
        ("2", "2027-01-03", "sent"),
    ]
