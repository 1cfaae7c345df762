"""``greeter preview``'s table names occasions by their config titles, as ``history`` does.

A reviewer read ``company_anniversary + first_deal_anniversary`` in the
preview table and «Годовщина компании + Годовщина сотрудничества» in history
for the same letter. The table now uses history's naming (the title, else the
name); ``--format json`` keeps the machine names DESIGN.md §3 documents.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.tables import table_rows

RANGE = ("--now", "2026-12-01T09:00:00+03:00", "--days", "40")


def preview(config: object, *args: str) -> str:
    result = CliRunner().invoke(main, ["--config", str(config), "preview", *RANGE, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_table_shows_titles_and_json_keeps_names(make_project: MakeProject) -> None:
    # A birthday on 30 December and the New Year letter of 29 December merge into one letter.
    config = make_project([contact_row("1", "a@example.com", birthday="30.12.1970")])
    table = preview(config)
    rows = [line for line in table.splitlines() if "Иванов" in line]
    assert len(rows) == 2, table
    assert "День рождения + Новый год" in rows[0]  # the letter, and what it carries
    assert "Новый год (29.12)" in rows[1]  # the occasion merged into it
    occasions = [
        row[2] for row in table_rows(table, "send at")
    ]  # the occasion column (the detail is the planner's)
    assert not any(name in cell for cell in occasions for name in ("birthday", "new_year")), table
    drafts = json.loads(preview(config, "--format", "json"))
    sent = next(d for d in drafts if d["status"] == "send")
    assert (sent["occasion"], sent["merged_with"]) == ("birthday", ["new_year"])
