"""What greeter prints from contacts and the journal is shown as it is: no formula, no console markup.

Two defects a security review reproduced. A contact named ``=1+1`` or a
company ``@SUM(A1)`` went into ``history -o FILE.csv`` (the file made for a
double click in Excel) unchanged, so Excel ran it as a formula
(``=HYPERLINK(…)`` a phishing link; the same for ``suppress --reason`` and
``--list --format csv``). And a contact's name was read by rich as console
markup: ``Smith[/bold]`` crashed ``history`` (exit 3), ``[bold]6002[/bold]``
lost its brackets, ``[link=…]`` became a terminal hyperlink.

Each is checked through the real CLI on a real contacts file and journal.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MakeProject, contact_row
from tests.faults import greeter

#: A Tuesday 05:00 in Moscow: noon in Vladivostok, where each contact below has their birthday.
NOW = "2027-04-14T05:00:00+03:00"
HYPERLINK = '=HYPERLINK("http://evil/","click")'


def person(cid: str, email: str, **names: str) -> str:
    """A contact with a birthday greeted at :data:`NOW`, its names and company as given."""
    company = names.pop("company", "ООО «Тест»")
    row = contact_row(cid, email, birthday="13.04.1980", tz="Asia/Vladivostok", **names)
    return row.replace("ООО «Тест»", company)


@pytest.fixture
def hostile(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose journal holds greetings to contacts named like formulas and like markup."""
    monkeypatch.delenv("COLUMNS", raising=False)  # piped: one row per line (greeter.console.table_console)
    config = make_project(
        [
            person("1", "one@example.com", first="=1+1", company="@SUM(A1)"),
            person("2", "two@example.com", first='"' + HYPERLINK.replace('"', '""') + '"', company='"-2+3"'),
            person(
                "3",
                "three@example.com",
                last="Smith[/bold]",
                company="[link=https://evil.example/phish]Bob[/link]",
            ),
            person("[bold]6002[/bold]", "four@example.com", last="Ross\\", company="+7 999 123-45-67"),
        ]
    )
    run = greeter(config, "send", "--once", "--now", NOW)
    assert run.returncode == 0 and "sent: 4" in run.stdout, run.stdout + run.stderr
    return config


def test_a_cell_that_a_spreadsheet_would_run_is_neutralised_and_the_rest_left_readable() -> None:
    from greeter.console import neutralised

    cases = {
        "=1+1": "'=1+1",
        "@SUM(A1)": "'@SUM(A1)",
        "+7 999 123-45-67": "'+7 999 123-45-67",  # a phone: readable, with the quote Excel shows as text
        "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
        "\t=1": "'\t=1",
        "\r=1": "'\r=1",
        "'=1": "''=1",  # already quoted: quoted once more, so restoring gives it back
        "-5": "-5",  # a signed number is a number to Excel, not a formula: left as it is
        "+7": "+7",
        "-12.50": "-12.50",
        "Иванов": "Иванов",
        "o'brien@example.com": "o'brien@example.com",
        "": "",
        # Excel splits a double-clicked .csv on its locale's separator, not the file's: each part
        # after a "," or ";" is guarded too (security re-test), numbers and words left alone.
        "Acme,=cmd|' /C calc'!A0,": "Acme,'=cmd|' /C calc'!A0,",
        "Foo;=cmd|' /C calc'!A0;": "Foo;'=cmd|' /C calc'!A0;",
        "=1,=2": "'=1,'=2",
        "-1,5": "-1,5",
        "x,-5": "x,-5",
        "Иванов, Петров; Сидоров": "Иванов, Петров; Сидоров",
    }
    assert {value: neutralised(value) for value in cases} == cases


@given(st.text())
def test_restoring_a_neutralised_cell_gives_the_value_back(value: str) -> None:
    from greeter.console import neutralised, restored

    assert restored(neutralised(value)) == value


def test_plain_shows_markup_emoji_and_control_characters_as_written() -> None:
    from greeter.console import plain

    shown = plain("[b]x[/b] :smile: a\x1b[31mb\\")
    assert shown.plain == "[b]x[/b] :smile: a\\x1b[31mb\\" and not shown.spans


def test_history_o_csv_neutralises_formulas_for_excel(hostile: Path) -> None:
    out = hostile.parent / "hist.csv"
    result = greeter(hostile, "history", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    by_email = {r["email"]: r for r in rows}
    assert by_email["one@example.com"]["name"] == "'=1+1 Петрович Иванов"
    assert by_email["one@example.com"]["company"] == "'@SUM(A1)"
    assert by_email["two@example.com"]["name"] == "'" + HYPERLINK + " Петрович Иванов"
    assert by_email["two@example.com"]["company"] == "'-2+3"
    assert by_email["four@example.com"]["company"] == "'+7 999 123-45-67"
    assert not [cell for r in rows for cell in r.values() if cell and cell[0] in "=+-@\t\r"]


def test_history_csv_on_stdout_is_neutralised_too_and_json_keeps_every_value_as_it_is(hostile: Path) -> None:
    """``--format csv > history.csv`` is the help's own example: a file a person may open in Excel
    (which, with a comma list separator, splits it into cells). JSON is the exact form for scripts."""
    printed = greeter(hostile, "history", "--format", "csv")
    assert printed.returncode == 0, printed.stderr
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(printed.stdout))}
    assert rows["one@example.com"]["company"] == "'@SUM(A1)"
    exact = {r["email"]: r for r in json.loads(greeter(hostile, "history", "--format", "json").stdout)}
    assert (exact["one@example.com"]["name"], exact["one@example.com"]["company"]) == (
        "=1+1 Петрович Иванов",
        "@SUM(A1)",
    )
    assert {r["email"]: r["company"].removeprefix("'") for r in rows.values()} == {
        e: r["company"] for e, r in exact.items()
    }


def test_history_table_shows_markup_in_contact_data_as_written_and_does_not_crash(hostile: Path) -> None:
    table = greeter(hostile, "history")
    assert table.returncode == 0, table.stderr
    assert "internal error" not in table.stderr
    assert "Smith[/bold]" in table.stdout
    assert "[link=https://evil.example/phish]Bob[/link]" in table.stdout
    assert "[bold]6002[/bold]" in table.stdout
    assert "Ross\\ " in table.stdout and "Ross\\\\" not in table.stdout


def test_on_a_terminal_contact_markup_is_no_hyperlink(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal (FORCE_COLOR makes rich treat the pipe as one): colours, but no OSC 8 link."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "400")  # wide: no cell folded over two lines
    table = greeter(hostile, "history")
    assert table.returncode == 0, table.stderr
    assert "\x1b[" in table.stdout  # it did colour: a terminal's output
    assert "\x1b]8;" not in table.stdout and "evil.example/phish]Bob" in table.stdout


def test_suppress_list_neutralises_its_csv_and_a_list_moved_with_it_keeps_each_address(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``suppress --list --format csv > dnc.csv`` then ``--from-csv dnc.csv`` into a new journal:
    the file neutralises ``=…``/``-…`` cells, and the import restores them — an address changed on the
    way would put the wrong person on the list and keep greeting the one who opted out."""
    config = make_project([person("1", "one@example.com")])
    odd = ["=1+1@example.com", "-x@example.com", "'-y@example.com", "plain@example.com"]
    added = greeter(config, "suppress", "--reason", HYPERLINK, "--", *odd)
    assert added.returncode == 0, added.stderr
    before = json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout)

    printed = greeter(config, "suppress", "--list", "--format", "csv")
    assert printed.returncode == 0, printed.stderr
    rows = list(csv.DictReader(io.StringIO(printed.stdout)))
    assert sorted(r["email"] for r in rows) == [
        "''-y@example.com",
        "'-x@example.com",
        "'=1+1@example.com",
        "plain@example.com",
    ]
    assert {r["reason"] for r in rows} == {"'" + HYPERLINK}

    dnc = tmp_path / "dnc.csv"
    dnc.write_text(printed.stdout, encoding="utf-8")
    for old in ("journal.sqlite3", "journal.sqlite3.lock"):  # a new journal: the list is moved into it
        (config.parent / "data" / old).unlink()
    moved = greeter(config, "suppress", "--from-csv", str(dnc))
    assert moved.returncode == 0, moved.stderr
    assert json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout) == before


def test_suppress_list_table_shows_a_reason_as_written(make_project: MakeProject) -> None:
    config = make_project([person("1", "one@example.com")])
    reason = "[bold]opted out[/bold] :smile: C:\\"
    assert greeter(config, "suppress", "one@example.com", "--reason", reason).returncode == 0
    table = greeter(config, "suppress", "--list")
    assert table.returncode == 0, table.stderr
    assert reason in table.stdout


def test_preview_table_shows_markup_in_contact_data_as_written_and_does_not_crash(hostile: Path) -> None:
    """The preview table is the reviewer's: the same names, as the CRM holds them (it crashed on ``[/bold]``)."""
    table = greeter(hostile, "preview", "--now", NOW, "--from", "2027-04-13", "--days", "3")
    assert table.returncode == 0, table.stderr
    assert "internal error" not in table.stderr
    assert "Smith[/bold]" in table.stdout
    assert "[bold]6002[/bold]" in table.stdout
