"""A letter moved far past its day by days off, whose catch-up period ended between two runs, is
recorded ``expired``, named, and the run exits 1.

QA: two contacts in Vladivostok (Russia), birthdays on 31 December and 4 January,
``day_off_policy: after`` — both planned for Monday 11 January 2027, after the New Year break.
A run on 5 January (nothing due yet), the next on the 15th: the run looked back only to
occasions from the 5th, so neither birthday was planned — ``due 0 … no letter planned``, exit 0,
no journal row — while ``preview`` at the same moment showed ``skip: expired``. The look-back
now reaches the occasions whose (moved) greeting day's catch-up period may still have been open
at the previous run (:func:`greeter.planner.expiry_reach`).

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

VLADIVOSTOK = [
    contact_row(cid, f"client{cid}@example.com", birthday=f"{day}.1980", tz="Asia/Vladivostok", country="RU")
    for cid, day in (("1", "31.12"), ("2", "04.01"))
]
#: The journal's first run, before both birthdays (a first run plans occasions from catch_up_days back only).
FIRST = "2026-12-21T00:05:00+00:00"
#: Birthdays only (the example's 29 December New Year greeting would expire on the 5th as well).
BIRTHDAY = {"name": "birthday", "field": "birthday", "template": "birthday", "priority": 100}
BEFORE = "2027-01-05T00:05:00+00:00"
AFTER = "2027-01-15T00:05:00+00:00"


def rules(window: dict[str, object]) -> dict[str, object]:
    """The config changes: birthdays only, letters a day apart, ``window`` in send_window."""
    return {"occasions": [BIRTHDAY], "frequency_cap": {"min_gap_days": 1}, "send_window": window}


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def history(config: Path) -> list[tuple[str, str, str]]:
    shown = greeter(config, "history", "--format", "json")
    assert shown.exit_code == 0, shown.output
    return [(row["contact_id"], row["occasion_date"], row["state"]) for row in json.loads(shown.stdout)]


def two_runs(config: Path) -> Result:
    """The runs on 21 December and 5 January (nothing due yet), then the one on the 15th, returned."""
    assert greeter(config, "send", "--once", "--now", FIRST).exit_code == 0
    first = greeter(config, "send", "--once", "--now", BEFORE)
    assert first.exit_code == 0, first.output
    assert "expired" not in first.output, first.output
    return greeter(config, "send", "--once", "--now", AFTER)


def test_a_letter_moved_past_the_new_year_break_and_missed_is_recorded_expired(
    make_project: MakeProject,
) -> None:
    config = make_project(VLADIVOSTOK, **rules({"day_off_policy": "after"}))
    later = two_runs(config)
    assert later.exit_code == 1, later.output
    assert "expired ×2" in later.output, later.output
    assert "1 birthday 2026-12-31" in later.output and "2 birthday 2027-01-04" in later.output, later.output
    assert history(config) == [("1", "2026-12-31", "expired"), ("2", "2027-01-04", "expired")]
    again = greeter(config, "send", "--once", "--now", "2027-01-15T00:15:00+00:00")
    assert again.exit_code == 0, again.output  # recorded once, said once
    assert "expired" not in again.output, again.output


def test_before_with_a_limit_moves_them_after_the_break_too(make_project: MakeProject) -> None:
    """``before`` with ``max_days_early: 0`` greets a day-off birthday on the working day after."""
    config = make_project(VLADIVOSTOK, **rules({"day_off_policy": "before", "max_days_early": 0}))
    later = two_runs(config)
    assert later.exit_code == 1, later.output
    assert history(config) == [("1", "2026-12-31", "expired"), ("2", "2027-01-04", "expired")]


def test_before_without_a_limit_greets_ahead_of_the_break_as_before(make_project: MakeProject) -> None:
    """Plain ``before``: both leave on 30 December, before the break — missed by 5 January, and
    recorded by that run already (nothing changes for the run on the 15th)."""
    config = make_project(VLADIVOSTOK, **rules({"day_off_policy": "before"}))
    assert greeter(config, "send", "--once", "--now", FIRST).exit_code == 0
    first = greeter(config, "send", "--once", "--now", BEFORE)
    assert first.exit_code == 1, first.output
    assert history(config) == [("1", "2026-12-31", "expired"), ("2", "2027-01-04", "expired")]
    later = greeter(config, "send", "--once", "--now", AFTER)
    assert later.exit_code == 0, later.output
    assert "expired" not in later.output, later.output


def test_working_day_birthdays_expire_as_before(make_project: MakeProject) -> None:
    """No day off in the way (birthdays on Tuesday 19 and Wednesday 20 January): the run on the
    18th has nothing due, the one on the 29th records both expired."""
    rows = [
        contact_row(
            cid, f"client{cid}@example.com", birthday=f"{day}.1980", tz="Asia/Vladivostok", country="RU"
        )
        for cid, day in (("1", "19.01"), ("2", "20.01"))
    ]
    config = make_project(rows, **rules({"day_off_policy": "after"}))
    first = greeter(config, "send", "--once", "--now", "2027-01-18T00:05:00+00:00")
    assert first.exit_code == 0, first.output
    later = greeter(config, "send", "--once", "--now", "2027-01-29T00:05:00+00:00")
    assert later.exit_code == 1, later.output
    assert history(config) == [("1", "2027-01-19", "expired"), ("2", "2027-01-20", "expired")]


def test_a_letter_pending_at_the_last_run_and_lost_in_the_downtime_after_it_is_recorded(
    make_project: MakeProject,
) -> None:
    """No day off either: a Tuesday 19 January birthday not sent yet by the run at 09:00 on the 20th
    (its recipient's window opens at 10:00), then greeter down until 5 February. The run looked back
    to occasions from the last run's day, the 20th: the birthday — still within its catch-up period
    then — was lost with no row and exit 0."""
    rows = [
        contact_row("1", "client1@example.com", birthday="19.01.1980", tz="Asia/Vladivostok", country="RU")
    ]
    config = make_project(rows, **rules({"day_off_policy": "after"}))
    assert greeter(config, "send", "--once", "--now", FIRST).exit_code == 0
    pending = greeter(config, "send", "--once", "--now", "2027-01-19T23:00:00+00:00")
    assert pending.exit_code == 0, pending.output
    assert "next letter due 2027-01-20" in pending.output, pending.output
    later = greeter(config, "send", "--once", "--now", "2027-02-05T00:05:00+00:00")
    assert later.exit_code == 1, later.output
    assert "expired ×1" in later.output and "1 birthday 2027-01-19" in later.output, later.output
    assert history(config) == [("1", "2027-01-19", "expired")]
