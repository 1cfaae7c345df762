"""Before the journal exists, preview shows what the first ``send --once`` will send.

A journal's first plan starts each occasion ``catch_up_days`` back
(:func:`greeter.planner.occasion_starts`): an occasion older than that was
before greeter, not missed by it. Preview without a journal planned as if
every occasion had always existed: a reviewer at Vienna read "We would also
like to wish you a belated happy birthday" in the letter of a company
anniversary, and the letter that left at the same moment — after a run that
morning had made the journal — said nothing of the birthday. The review
showed a letter other than the one sent.

The real CLI in-process, the example config, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject
from tests.test_expired_loud import greeter

#: Birthday 25 November (twelve days before), the company's 15th anniversary on Monday 7 December.
ROW = (
    "1201;anna@example.com;Смирнова;Анна;Ильинична;;ООО «Тест»;Europe/Moscow;ru;VIP;;25.11.1980;07.12.2011;;"
)
NOON = "2026-12-07T12:00:00+03:00"


def shown(config: Path) -> list[tuple[str, str, str | None, list[str], str]]:
    out = greeter(config, "preview", "--now", NOON, "--contact", "1201", "--format", "json")
    assert out.exit_code == 0, out.output
    return [
        (d["occasion"], d["status"], d["reason"], d["merged_with"], d["text"] or "")
        for d in json.loads(out.stdout)
    ]


def test_preview_before_the_first_run_is_the_plan_after_it(make_project: MakeProject) -> None:
    config = make_project([ROW])
    before = shown(config)
    assert [(o, s) for o, s, *_ in before][:1] == [("company_anniversary", "send")], before
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # preview made no journal

    early = greeter(config, "send", "--once", "--now", "2026-12-07T07:00:00+03:00")  # nothing due yet
    assert early.exit_code == 0, early.output
    assert (config.parent / "data" / "journal.sqlite3").exists()

    after = shown(config)
    assert before == after
    assert not any(o == "birthday" for o, *_ in after), after  # before greeter: no row, no belated wish
