"""``check`` and ``preview`` on a terminal say how far they are through a CSV, not only how many rows.

``greeter check`` over 150,000 rows ran 7.5 minutes under a bar that counted
rows with no total and no end in sight. A CSV's line breaks, counted before its
rows are read (:func:`greeter.send_report.rows_expected`), are the bar's total:
it shows a percentage and the time left, and still ends when the rows do.
"""

from __future__ import annotations

import os
from pathlib import Path

from greeter.config_contacts import ContactsSource
from greeter.send_report import rows_expected
from tests.conftest import MakeProject
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import NOW, people


def source(path: Path) -> ContactsSource:
    return ContactsSource.model_validate({"source": "csv", "path": path})


def test_a_csv_is_expected_to_hold_about_as_many_rows_as_it_has_lines(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"ID;Email\r\n1;a@x.ru\r\n2;b@x.ru\r\n3;c@x.ru")  # no line break after the last
    assert rows_expected(source(crlf)) == 3
    old_mac = tmp_path / "cr.csv"
    old_mac.write_bytes(b"ID;Email\r1;a@x.ru\r2;b@x.ru\r")
    assert rows_expected(source(old_mac)) == 3
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert rows_expected(source(fifo)) is None, "a pipe is never opened: it would block"
    assert rows_expected(source(tmp_path / "gone.csv")) is None


def test_check_and_preview_show_a_percentage_of_a_csv_on_a_terminal(make_project: MakeProject) -> None:
    config = make_project(people(120))
    for command in (("check", "--now", NOW), ("preview", "--now", NOW, "--days", "7")):
        code, out, err = run_on_terminal(config, *command, terminal=True)
        assert b"rows" in err and b"%" in err, (command, err[-500:])
        assert (code, out) == run_on_terminal(config, *command, terminal=False)[:2], command
