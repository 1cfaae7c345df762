"""``greeter check``'s text sums its row problems up by kind, most frequent first.

An operator's 150,000-row export got 540 ``file:row N: column: message`` lines
and no summary by kind (57 alike "is already the e-mail of contact …"): what to
fix first had to be counted by hand. ``check --json`` had the grouping
(``row_problems``); the text now says it too, one line a kind, with its count
and first row, by the same grouping.

The real CLI in-process, the example config, a real contacts file.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.check_report import CheckReport
from greeter.cli import main
from greeter.errors import Problem
from tests.conftest import MakeProject, contact_row

ROWS = [
    contact_row("1", "client1@example.com", birthday="13.04.1980"),  # row 2
    contact_row("2", "", birthday="14.04.1980"),  # row 3: no e-mail
    contact_row("3", "client1@example.com", birthday="15.04.1980"),  # row 4: e-mail of contact 1
    contact_row("4", "", birthday="16.04.1980"),  # row 5: no e-mail
    contact_row("5", "client1@example.com", birthday="17.04.1980"),  # row 6: e-mail of contact 1
    contact_row("6", "", birthday="18.04.1980"),  # row 7: no e-mail
    contact_row("7", "c7@example.com", birthday="31.02.1980"),  # row 8: no such day
    contact_row("8", "sidorov@gmial.com", birthday="19.04.1980"),  # row 9: a provider's domain mistyped
]


def check(config: Path, *more: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-04-10T11:00", *more])
    return result.exit_code, result.stdout, result.stderr


def test_the_text_counts_row_problems_by_kind_after_the_list(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    _, out, err = check(config)
    assert sum(":row " in line for line in err.splitlines()) == 7, err
    lines = out.splitlines()
    start = lines.index("row problems by kind, most frequent first:")
    assert lines[start - 1].startswith("contacts: 8 loaded from 8 rows"), out
    kinds = json.loads(check(config, "--json")[1])["row_problems"]
    shown = lines[start + 1 : start + 1 + len(kinds)]
    assert [line.split(" × ", 1)[1].rsplit(" (first: ", 1)[0] for line in shown] == list(kinds), out
    assert shown[0] == "  3 × no e-mail (first: row 3)", out
    assert [int(line.split(" × ")[0]) for line in shown] == list(kinds.values()) == [3, 2, 1, 1], out
    assert "  1 × is not a real date (first: row 8)" in shown, out
    assert "  1 × the domain looks like a typo of a mail provider's (first: row 9)" in shown, out
    assert not lines[start + 1 + len(kinds)].startswith("  "), out


def test_a_clean_file_has_no_kinds_lines(make_project: MakeProject) -> None:
    config = make_project(ROWS[:1])
    code, out, _ = check(config)
    assert code == 0 and "row problems by kind" not in out, out


def test_past_ten_kinds_the_rest_are_counted_in_one_line() -> None:
    from greeter.check_report import kinds_lines

    problems = [
        Problem("c.csv", "Email", f"kind number {chr(65 + k)} here", line=n, kind="row")
        for k in range(12)
        for n in range(12 - k)
    ]
    lines = kinds_lines(CheckReport(Path("g.yaml"), problems=problems).row_problem_kinds())
    assert lines[1] == "  12 × kind number A here (first: row 0)"
    assert len(lines) == 12
    assert lines[-1] == "  … 2 more kind(s), 3 problem(s): check --json has them all in row_problems"
