"""``history --contact``: beside each letter, what the frequency cap saw — the gap and the window's count.

An account manager answering «you write to me too often» had the client's letters
but not what the cap counted. Real sends (``send --once --now`` on two days, the
file transport) into a real SQLite journal, then ``history`` in-process.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from greeter.cap_seen import CAP_FIELDS
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter, history

#: Birthday Tuesday 13 April (greeted belated on the first run, Wednesday the 14th), first deal
#: Thursday 20 May: 36 days apart on the client's clock.
ROWS = [
    contact_row("1", "one@example.com", birthday="13.04.1980").removesuffix(";;;") + ";;20.05.2015;",
    contact_row("2", "two@example.com", birthday="13.04.1985", first="Анна", patronymic="Ивановна"),
]


@pytest.fixture
def sent(make_project: MakeProject) -> Path:
    config = make_project(ROWS)
    for now in ("2027-04-14T11:00:00+03:00", "2027-05-20T15:00:00+03:00"):
        run = greeter(config, "send", "--once", "--now", now)
        assert run.returncode == 0 and "failed: 0" in run.stdout, run.stdout + run.stderr
    return config


def cap(record: dict[str, object]) -> tuple[object, ...]:
    return tuple(record[name] for name in CAP_FIELDS)


def test_json_says_the_gap_and_the_count_of_each_letter(sent: Path) -> None:
    rows = history(sent, "--contact", "1")
    assert [(r["occasion"], r["state"]) for r in rows] == [
        ("birthday", "sent"), ("first_deal_anniversary", "sent"),
    ]  # fmt: skip
    assert [cap(r) for r in rows] == [(True, None, 1), (True, 36, 2)]


def test_a_filter_shows_fewer_rows_but_the_cap_counts_them_all(sent: Path) -> None:
    (row,) = history(sent, "--contact", "1", "--occasion", "first_deal_anniversary")
    assert cap(row) == (True, 36, 2)  # the birthday letter, not shown, still counted
    (row,) = history(sent, "--contact", "1", "--since", "2027-05-01")
    assert cap(row) == (True, 36, 2)


def test_the_table_says_it_in_words(sent: Path) -> None:
    run = greeter(sent, "history", "--contact", "1")
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())  # the cells wrap on a narrow terminal
    assert "cap" in run.stdout
    for words in ("first; 1 of 6 in 365 days", "36 days after the last; 2 of 6 in 365 days"):
        assert all(w in text for w in words.split()), (words, run.stdout)


def test_a_window_over_max_count_is_marked(sent: Path, make_project: MakeProject) -> None:
    """``max_count`` lowered to 1 after both letters left: the second is "2 of 1", marked as a gap
    too short is (it read as a typo, with nothing saying the window is past the limit)."""
    config = make_project(ROWS, frequency_cap={"max_count": 1})
    assert config == sent
    run = greeter(config, "history", "--contact", "1")
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    words = "36 days after the last; 2 of 1 in 365 days (over max_count 1)"
    assert all(w in text for w in words.split()), (words, run.stdout)
    assert text.count("over max_count") == 1  # the first letter's window held 1 of 1: at it, not over
    assert [cap(r) for r in history(config, "--contact", "1")] == [(True, None, 1), (True, 36, 2)]


def test_csv_has_the_columns_last(sent: Path) -> None:
    run = greeter(sent, "history", "--contact", "1", "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    header = run.stdout.splitlines()[0].split(",")
    assert header[-len(CAP_FIELDS) :] == list(CAP_FIELDS)
    assert [cap(r) for r in rows] == [("True", "", "1"), ("True", "36", "2")]


def test_the_whole_journal_has_no_cap_fields(sent: Path) -> None:
    """The cap is per client: a listing of every client leaves it out (the CSV keeps its columns,
    empty, so a script reads each column where it always is)."""
    rows = history(sent)
    assert len(rows) == 3 and not any(name in r for r in rows for name in CAP_FIELDS)
    run = greeter(sent, "history", "--format", "csv")
    assert {cap(r) for r in csv.DictReader(io.StringIO(run.stdout))} == {("", "", "")}
    table = greeter(sent, "history").stdout
    assert "not counted" not in table and "of 6 in 365" not in table


def test_json_of_a_contact_keeps_the_fields_documented(sent: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in CAP_FIELDS:
        assert f"`{name}`" in doc
    assert json.loads(greeter(sent, "history", "--contact", "1", "--json").stdout)[0]["cap_counted"] is True


def test_a_letter_under_the_clients_former_id_counts_as_the_planner_counts_it(
    make_project: MakeProject,
) -> None:
    """The CRM renumbered the client (1 → 7) between its two letters: the birthday letter, journaled
    under 1 to the same address, is the first of the two the cap counted for contact 7."""
    config = make_project(ROWS)
    run = greeter(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00")
    assert "sent: 2" in run.stdout, run.stdout + run.stderr
    contacts = config.parent / "data" / "contacts.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8-sig").replace("\n1;one@", "\n7;one@"), encoding="utf-8-sig"
    )
    run = greeter(config, "send", "--once", "--now", "2027-05-20T15:00:00+03:00")
    assert "sent: 1" in run.stdout, run.stdout + run.stderr
    rows = history(config, "--contact", "7")
    assert [(r["contact_id"], r["current_contact_id"], r["occasion"]) for r in rows] == [
        ("1", "7", "birthday"), ("7", None, "first_deal_anniversary"),
    ]  # fmt: skip
    assert [cap(r) for r in rows] == [(True, None, 1), (True, 36, 2)]
