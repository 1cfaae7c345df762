"""``greeter preview --contact ID`` says that contact's row problems, and only counts the others.

An operator previewed one client of a 150,000-row CRM export: a two-line table,
then 453 warnings about other rows on stderr. With ``--contact`` the contact's
own problems are said, the rest counted in one line (``greeter check`` lists
them); without it preview, a review tool, lists them all as before.

The real CLI in-process, the example config, a real contacts file.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-10T11:00:00+03:00"
ROWS = [
    contact_row("1", "client1@example.com", birthday="13.04.1980"),  # row 2: no problem
    contact_row("2", "", birthday="14.04.1980"),  # row 3: warning, no e-mail
    contact_row("3", "not an address", birthday="15.04.1980"),  # row 4: rejected
    contact_row("4", "client4@example.com", birthday="31.02.1980"),  # row 5: a day no calendar has
    contact_row("1", "again@example.com", birthday="16.04.1980"),  # row 6: id 1 again, rejected
]


def preview(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", NOW, *args])
    return result.exit_code, result.stdout, result.stderr


def where(line: str) -> str:
    """``row 5`` of a ``…/contacts.csv:row 5: …`` line; "" for a line naming no row."""
    head = line.split(": ", 1)[0]
    return head.rsplit(":", 1)[-1] if ".csv:row " in head else ""


def test_one_contact_gets_its_own_row_problems_and_a_count_of_the_others(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    _, out, err = preview(config, "--contact", "4")
    assert "skip: invalid_contact" in out, out
    assert [where(line) for line in err.splitlines()] == ["row 5", ""], err
    assert "'31.02.1980' is not a real date: February has no 31st" in err
    assert err.splitlines()[-1] == "3 other contact row problem(s): greeter check lists them", err


def test_a_contact_with_no_problem_of_its_own_gets_only_the_count(make_project: MakeProject) -> None:
    """Contact 1's second row (a duplicated id, rejected) is its own problem: said, not counted."""
    config = make_project(ROWS)
    code, out, err = preview(config, "--contact", "1")
    assert code == 1  # rows were rejected, as before
    assert "Иван Петрович, с днём рождения!" in out, out
    assert [where(line) for line in err.splitlines()] == ["row 6", ""], err
    assert "duplicate id '1' (first seen on row 2)" in err
    assert err.splitlines()[-1] == "3 other contact row problem(s): greeter check lists them", err


def test_a_rejected_contact_says_why_once_and_counts_the_rest(make_project: MakeProject) -> None:
    """The row's error was said twice: as row 4's problem, then again in "was not loaded"."""
    config = make_project(ROWS)
    code, out, err = preview(config, "--contact", "3")
    assert (code, out) == (1, "")
    assert [where(line) for line in err.splitlines()] == ["", ""], err
    assert "contact '3' (row 4) was not loaded: Email: 'not an address' is not a valid e-mail address" in err
    assert err.count("'not an address' is not a valid e-mail address") == 1, err
    assert err.splitlines()[-1] == "3 other contact row problem(s): greeter check lists them", err


def test_a_second_rejected_row_of_the_id_is_still_said(make_project: MakeProject) -> None:
    """Only the errors the "was not loaded" line names are left out: a second rejected row of the
    same id, which that line does not name, stays."""
    config = make_project(
        [
            contact_row("1", "client1@example.com", birthday="13.04.1980"),  # row 2
            contact_row("5", "not an address", birthday="15.04.1980"),  # row 3: rejected
            contact_row("5", "also@@wrong", birthday="14.04.1980"),  # row 4: rejected again
        ]
    )
    code, out, err = preview(config, "--contact", "5")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert [where(line) for line in lines] == ["row 4", ""], err
    assert "Email: 'also@@wrong' is not a valid e-mail address" in lines[0]
    assert (
        "contact '5' (row 3) was not loaded: Email: 'not an address' is not a valid e-mail address"
        in lines[1]
    )


def test_a_pasted_contact_id_is_trimmed(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    assert preview(config, "--contact", " 4 ") == preview(config, "--contact", "4")
    code, _, err = preview(config, "--contact", " ")
    assert code == 2 and "Invalid value for '--contact': an empty value" in err, err


def test_without_contact_preview_lists_every_row_problem(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    _, _, err = preview(config)
    assert [where(line) for line in err.splitlines()] == ["row 3", "row 4", "row 5", "row 6"], err
    assert "other contact row problem(s)" not in err


def test_a_whole_columns_problem_is_counted_apart(make_project: MakeProject) -> None:
    """Eight slash dates in 48: a warning about the birthday column, no row's; counted on its own."""
    births = ["13.04.1980"] * 40 + [f"1987/06/{d:02d}" for d in range(10, 18)]
    config = make_project(
        [contact_row(str(n), f"c{n}@example.com", birthday=b) for n, b in enumerate(births, 1)]
    )
    _, _, err = preview(config, "--contact", "1")
    assert err.splitlines() == [
        "8 other contact row problem(s) and 1 contacts column problem(s): greeter check lists them"
    ], err
    _, _, everything = preview(config)
    assert sum(":row " in line for line in everything.splitlines()) == 8, everything
    assert "Дата рождения: warning: 8 of 48 values could not be read as dates" in everything, everything
