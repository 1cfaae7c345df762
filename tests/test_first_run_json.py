"""A new journal's first run in ``send --once --json`` and in the daemon's log, not on stderr alone.

The first run's notice (the belated greetings it catches up, and ``greeter
baseline``) was a stderr line only: a script reading ``send --json`` and an
operator reading the daemon's JSON log never saw it. ``send --json`` has it as
``first_run`` (null on any other run); ``greeter run`` logs a ``first_run``
event once. The real CLI on a real SQLite journal; the daemon a real process.
"""

from __future__ import annotations

import json

from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_baseline import invoke
from tests.test_baseline_occasions import LATER, PEOPLE

EXPECTED = {
    "belated": 3,
    "due_now": 3,
    "due_later": 0,
    "occasion_dates": ["2026-12-04", "2026-12-05", "2026-12-06"],
}


def test_send_json_has_the_first_run_and_null_after_it(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "send", "--once", "--json", "--now", LATER)
    assert code == 0, err
    first = json.loads(out)["first_run"]
    assert {k: v for k, v in first.items() if k != "message"} == EXPECTED, first
    assert first["message"].startswith("first run on a new journal: 3 belated greeting(s)"), first
    assert first["message"] in err.splitlines()  # the same words as the stderr line
    code, out, err = invoke(config, "send", "--once", "--json", "--now", LATER)
    assert code == 0 and json.loads(out)["first_run"] is None, out


def test_a_dry_run_json_says_it_too_in_its_own_words(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "send", "--once", "--dry-run", "--json", "--now", LATER)
    assert code == 0, err
    assert json.loads(out)["first_run"]["message"].endswith(
        "run greeter baseline first (see greeter baseline --help)"
    )


def test_the_daemons_first_run_logs_it_once(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    with DaemonProcess(config, "--now", LATER) as daemon:
        daemon.wait_for("run")
        assert daemon.stop() == 0
    (event,) = daemon.named("first_run")
    assert event["level"] == "warning", event
    assert {k: event[k] for k in EXPECTED} == EXPECTED, event
    assert "greeter baseline" in event["message"], event
