"""An approved letter carrying a past occasion is the same after days without runs as after daily runs.

A reviewer (``review: required``) approved on 15 December a 30 December birthday
letter that carries the client's 17 December first-deal anniversary ("с прошедшим
9-летием нашего сотрудничества", merged: within ``min_gap_days``) and the New Year.
Nothing ran from 15 to 21 December. ``preview --now 2026-12-21T10:00`` then had no
first-deal row at all — not even ``expired`` — and the birthday letter read
``changed_since_approval``: the first send plan took itself for the journal's
first (:func:`greeter.planner.occasion_starts`), started its occasions
``catch_up_days`` before the 21st, and the 17th "did not exist yet". With a
``send --once`` each day the plan stayed as approved. ``approve`` plans from the
journal as a send does, and now records since when its occasions exist too: the
letter's content no longer depends on whether the daemon ran in between.

The real CLI in-process (CliRunner), the example config with its file transport
and SQLite journal, two copies of one project: one with daily runs, one without.
"""

from __future__ import annotations

import email
import json
import shutil
from email import policy
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject
from tests.mime_oracle import unflowed

#: Birthday 30 December (a Wednesday, the eve of the 31st: its window ends at 14:30), first deal
#: 17 December 2017 (its 9th anniversary, 13 days before: merged into the birthday letter).
ROW = (
    "100153;a@example.com;Иванов;Иван;Петрович;;ООО «Тест»;Europe/Moscow;ru;regular;;30.12.1980;;17.12.2017;"
)
RANGE = ("--contact", "100153", "--from", "2026-12-15", "--days", "20")
#: The letter's words for the merged first deal.
FIRST_DEAL_WORDS = "с прошедшим 9-летием нашего сотрудничества"


def run(config: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def preview(config: Path, now: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(run(config, "preview", *RANGE, "--now", now, "--json"))
    return rows


def projects(make_project: MakeProject) -> tuple[Path, Path]:
    """The reviewed project, approved on 15 December: its copy with a daily run, and the one with none."""
    down = make_project([ROW], review="required")
    daily = shutil.copytree(down.parent, down.parent.with_name(f"{down.parent.name}-daily")) / down.name
    for config in (daily, down):
        out = run(config, "approve", *RANGE, "--now", "2026-12-15T10:00", "--by", "olga")
        assert out.startswith("approved 1 draft(s)"), out
    for day in range(15, 22):
        run(daily, "send", "--once", "--now", f"2026-12-{day}T10:00")
    return daily, down


def test_days_without_runs_keep_the_approved_letter_and_its_past_merged_occasion(
    make_project: MakeProject,
) -> None:
    daily, down = projects(make_project)
    after_downtime = preview(down, "2026-12-21T10:00")
    by_occasion = {row["occasion"]: row for row in after_downtime}
    deal, birthday = by_occasion["first_deal_anniversary"], by_occasion["birthday"]
    assert (deal["status"], deal["reason"], deal["merged_with"]) == ("skip", "merged", ["birthday"])
    assert deal["send_at"] == birthday["send_at"] == "2026-12-30T12:47:22+03:00"
    assert birthday["status"] == "send" and birthday["approval"] == "approved", birthday
    assert birthday["merged_with"] == ["first_deal_anniversary", "new_year"]
    assert FIRST_DEAL_WORDS in birthday["text"]
    # The same plan, row for row (the text and its fingerprint too), as after a run each day.
    assert after_downtime == preview(daily, "2026-12-21T10:00")


def test_the_send_after_the_downtime_sends_the_letter_preview_showed(make_project: MakeProject) -> None:
    """``send`` says what ``preview`` said: the approved letter leaves with the first deal in it."""
    letters = []
    for config in projects(make_project):
        run(config, "send", "--once", "--now", "2026-12-30T14:05")
        history = json.loads(run(config, "history", "--format", "json"))
        states = {row["occasion"]: (row["state"], row["merged"]) for row in history}
        assert states["birthday"] == ("sent", ["first_deal_anniversary", "new_year"]), states
        (eml,) = sorted((config.parent / "data" / "outbox").glob("*.eml"))
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        body = message.get_body(("plain",))
        assert body is not None
        letters.append(unflowed(body.get_content().replace("\r\n", "\n")))  # as a flowed reader shows it
    daily, down = letters
    assert FIRST_DEAL_WORDS in down
    assert down == daily
