"""Contacts a user review found passed wrongly: an empty export, and Serbian/Croatian gender letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.contacts import Gender
from tests.conftest import MakeProject
from tests.test_contacts_load import RU_HEADER, load, write

NOW = "2026-12-07T10:30"
EMPTY = "the contacts file has no rows under its header: nobody will be greeted"


@pytest.mark.parametrize(
    ("written", "gender"),
    [
        ("ž", Gender.FEMALE),
        ("Ž", Gender.FEMALE),
        ("z\u030c", Gender.FEMALE),  # "ž" as a Mac may write it: z and a combining caron
        ("ženski", Gender.FEMALE),
        ("Žensko", Gender.FEMALE),
        ("женски", Gender.FEMALE),
        ("muški", Gender.MALE),
        ("Мушко", Gender.MALE),
    ],
)
def test_a_serbian_or_croatian_gender_is_read(tmp_path: Path, written: str, gender: Gender) -> None:
    contacts, report = load(write(tmp_path, [RU_HEADER, f"1;a@example.com;Petrović;Ana;;{written};;;;"]))
    assert [str(p) for p in report.problems] == []
    assert [c.gender for c in contacts] == [gender]


@pytest.mark.parametrize(
    ("lines", "problems"),
    [
        ([RU_HEADER], [f"c.csv: warning: {EMPTY}"]),
        ([RU_HEADER, ";;;;;;;;;", ""], [f"c.csv: warning: {EMPTY}"]),  # blank rows are no rows
    ],
)
def test_a_file_with_a_header_and_no_rows_is_a_warning(
    tmp_path: Path, lines: list[str], problems: list[str]
) -> None:
    _, report = load(write(tmp_path, lines))
    assert [str(p).replace(str(tmp_path) + "/", "") for p in report.problems] == problems


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["check", "--now", NOW], 0),
        (["check", "--strict", "--now", NOW], 1),
        (["send", "--once", "--dry-run", "--now", NOW], 0),
    ],
)
def test_check_and_send_say_an_empty_contacts_file_greets_nobody(
    make_project: MakeProject, command: list[str], code: int
) -> None:
    config = make_project([])
    result = CliRunner().invoke(main, ["--config", str(config), *command])
    assert result.exit_code == code, result.output
    assert f"data/contacts.csv: warning: {EMPTY}" in result.stderr
