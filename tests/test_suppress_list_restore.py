"""``suppress --list`` → a file → ``suppress --from-csv``: what a QA re-test lost on the way.

A contact id holding ``;`` came back as two ids; greeter's own JSON export was
38 rejected "addresses" (``'['``) and its ``.txt`` table as many; a date Excel
saved again in a Russian locale (``06.12.2026 17:11``) lost its time silently;
two rows for one contact id kept the last one, silently. Real SQLite journals,
real CLI runs.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from greeter.journal_store import PersonOptOut, Suppression
from greeter.suppress_out import bound_by_address, person_rows
from tests.conftest import MakeProject
from tests.test_optout_person import LATER_NOW
from tests.test_suppress_list_persons import CLIENTS, greeter, made, opt_outs

ASKED_AT = "2027-04-13T10:15:30+03:00"


def moved_away(config: Path, folder: Path) -> None:
    """A fresh journal (a new server's): the old one moved away with its lock file and note."""
    for old in (config.parent / "data").glob("journal.sqlite3*"):
        shutil.move(old, folder / old.name)


def test_a_contact_id_holding_a_semicolon_comes_back_as_one_id(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    made(config, "--contact", 'x;"y', "--force", "--reason", "called", "--now", ASKED_AT)
    made(config, "client01@example.com", "--reason", "asked", "--now", ASKED_AT)
    before = opt_outs(config)
    assert set(before[1]) == {'x;"y', "1"}
    shown = greeter(config, "suppress", "--list", "--format", "csv")
    assert shown.exit_code == 0, shown.output
    saved = tmp_path / "dnc.csv"
    saved.write_text(shown.stdout, encoding="utf-8")
    moved_away(config, tmp_path)

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 0, done.output
    assert "2 contact id(s) opted out as persons" in done.stdout
    assert opt_outs(config) == before


def test_an_id_holding_a_semicolon_is_a_row_of_its_own_never_in_an_address_rows_cell() -> None:
    """An address row's cell joins ids with ``;``: an id holding one would be read back as two."""
    since = datetime(2027, 4, 13, 7, 15, 30, tzinfo=UTC)
    entries = [Suppression("a@example.com", "asked", since)]
    opt_outs = {
        "a;b": PersonOptOut("a;b", "a@example.com", "asked", since),
        "7": PersonOptOut("7", "a@example.com", "asked", since),
    }

    assert bound_by_address(opt_outs) == {"a@example.com": ["7"]}
    assert [o.contact_id for o in person_rows(entries, opt_outs)] == ["a;b"]


@pytest.mark.parametrize("how", ["-o", "--format"])
def test_greeters_own_json_list_is_read_back(make_project: MakeProject, tmp_path: Path, how: str) -> None:
    config = make_project(CLIENTS)
    made(config, "--contact", "3", "--reason", "called", "--now", ASKED_AT)
    made(config, "--contact", "1099", "--force", "--reason", "by phone", "--now", ASKED_AT)
    made(config, "--reason", "asked", "--now", ASKED_AT, "--", "-x@example.com", "client01@example.com")
    before = opt_outs(config)
    saved = tmp_path / "dnc.json"
    if how == "-o":
        written = greeter(config, "suppress", "--list", "-o", str(saved))
        assert written.exit_code == 0, written.output
    else:
        shown = greeter(config, "suppress", "--list", "--format", "json")
        assert shown.exit_code == 0, shown.output
        saved.write_text(shown.stdout, encoding="utf-8")
    moved_away(config, tmp_path)

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 0, done.output
    assert done.stderr == ""
    assert done.stdout.startswith("suppressed 2 new address(es); 0 already on the list; 3 contact id(s)")
    assert opt_outs(config) == before


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("dnc.json", '{"email": "a@example.com"}', "JSON, but not greeter's list"),
        ("dnc.json", '[{"email": "a@example.com",', "not valid JSON"),
    ],
)
def test_a_json_file_that_is_not_greeters_list_is_one_line(
    make_project: MakeProject, tmp_path: Path, name: str, text: str, said: str
) -> None:
    config = make_project(CLIENTS)
    saved = tmp_path / name
    saved.write_text(text, encoding="utf-8")

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 2, done.output
    assert len(done.stderr.strip().splitlines()) == 1 and said in done.stderr, done.stderr
    assert "save the list as CSV" in done.stderr


def test_greeters_own_text_table_is_refused_in_one_line(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(CLIENTS)
    made(config, "client01@example.com", "client02@example.com", "--now", ASKED_AT)
    saved = tmp_path / "dnc.txt"
    written = greeter(config, "suppress", "--list", "-o", str(saved))
    assert written.exit_code == 0, written.output

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 2, done.output
    said = done.stderr.strip()
    assert len(said.splitlines()) == 1, said
    assert "greeter's table" in said and "-o FILE.csv" in said


def test_a_date_excel_saved_again_keeps_its_time(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(CLIENTS)
    saved = tmp_path / "dnc.csv"
    saved.write_text(
        "email;reason;created_at;contact_ids;opted_out_from\n"
        "client01@example.com;asked;06.12.2026 17:11;1;\n"
        ";called;07.12.2026 9:05:30;3;client03@example.com\n",
        encoding="utf-8",
    )

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 0, done.output
    listed, bound = opt_outs(config)
    assert listed == [Suppression("client01@example.com", "asked", datetime(2026, 12, 6, 17, 11, tzinfo=UTC))]
    assert bound["3"].created_at == datetime(2026, 12, 7, 9, 5, 30, tzinfo=UTC)
    assert bound["1"].created_at == datetime(2026, 12, 6, 17, 11, tzinfo=UTC)


def test_two_rows_for_one_contact_keep_the_earliest_and_say_so(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    saved = tmp_path / "dnc.csv"
    saved.write_text(
        "email,reason,created_at,contact_ids,opted_out_from\n"
        ",first,2026-11-01T10:00:00+00:00,1003,client03@example.com\n"
        ",second,2026-10-01T10:00:00+00:00,1003,\n"
        ",once,2026-10-05T10:00:00+00:00,1004,\n",
        encoding="utf-8",
    )

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 0, done.output
    assert "2 contact id(s) opted out as persons" in done.stdout
    said = done.stderr.strip().splitlines()
    assert len(said) == 1, done.stderr
    assert "'1003'" in said[0] and "lines 2, 3" in said[0] and "earliest" in said[0], said
    assert said[0].startswith(f"{saved}: contact_ids: warning: ")
    _, bound = opt_outs(config)
    assert bound["1003"] == PersonOptOut(
        "1003", "client03@example.com", "second", datetime(2026, 10, 1, 10, tzinfo=UTC)
    )
    assert bound["1004"].reason == "once"


def test_a_list_from_a_pipe_is_read(make_project: MakeProject, tmp_path: Path) -> None:
    """``--from-csv <(…)`` (a pipe) is documented; the reader rewound the file after sniffing it,
    which a pipe cannot do: "internal error: UnsupportedOperation: File or stream is not seekable"."""
    import os
    import threading

    config = make_project(CLIENTS)
    fifo = tmp_path / "list.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as fh:
            fh.write("email;reason\nclient02@example.com;asked by phone\n")

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        done = greeter(config, "suppress", "--from-csv", str(fifo), "--now", ASKED_AT)
    finally:
        writer.join(timeout=10)

    assert done.exit_code == 0, done.output
    assert "client02@example.com" in {e.email for e in opt_outs(config)[0]}
