"""A name, company or id cell far longer than any real one rejects its row, quickly; tags may be many.

A pen-tester put 120,000 characters in a name: ``check`` accepted the row
and took seconds a row to encode a From: header no server would take. Such a
cell is a CRM note or a whole record pasted into the field; the row is
rejected with the field and the start of the text, and the rest load.
"""

from __future__ import annotations

import time

from click.testing import CliRunner

from greeter.cli import main
from greeter.sources.rows import LONGEST_CELL
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"


def test_a_cell_longer_than_any_name_rejects_its_row_and_the_rest_load(make_project: MakeProject) -> None:
    pasted = "Иван " * 24_000  # 120,000 characters; 119,999 once its last space is stripped
    config = make_project(
        [
            contact_row("1", "client1@example.com", birthday="13.04.1980"),
            contact_row("2", "client2@example.com", first=pasted, birthday="13.04.1980"),
            # another name than row 2's: one client on two rows is a warning of its own (check_namesakes)
            contact_row(
                "3", "client3@example.com", first="Пётр", tags="vip," * 10_000, birthday="13.04.1980"
            ),
            contact_row("4", "client4@example.com", last="Д" * LONGEST_CELL, birthday="13.04.1980"),
        ]
    )
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    took = time.perf_counter() - started

    assert result.exit_code == 1, result.output  # rejected rows: exit 1, as for any rejected row
    lines = [line for line in result.stderr.splitlines() + result.stdout.splitlines() if ":row " in line]
    name = next(line for line in lines if ":row 3: Имя:" in line)
    assert "119,999 characters, more than the 500 any such field may have" in name
    assert "'Иван Иван Иван" in name and len(name) < 400, "the start of the text, not all of it"
    assert not any(":row 4:" in line for line in lines), "many tags are still tags (QA: 90 segments)"
    assert not any(":row 5:" in line for line in lines), "500 characters is still a name"
    assert "1 rejected" in result.stdout, result.stdout
    assert took < 20, f"check took {took:.1f} s"
