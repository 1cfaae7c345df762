"""The CLI for a screen reader's user and a large font (the accessibility audit: WCAG2ICT 1.3.1, 1.3.2,
1.4.10, 2.2.2, 4.1.3).

The auditor heard ``┏━┳┃│└`` read aloud from every table — on a terminal, piped, with NO_COLOR
and with TERM=dumb —, saw a narrow terminal leave the subject and the years out without a word,
and a progress bar re-announced ten times a second. Piped or with TERM=dumb a table now has no
frame (:func:`greeter.console.table_box`); ``preview --format text`` reads as ``field: value``
lines; a column left out or cut short is said on stderr, with where to see it
(:func:`greeter.table_fit.fit_note`); ``GREETER_NO_PROGRESS`` (or TERM=dumb) turns the bars off
and they redraw once a second (:func:`greeter.send_report.progress_wanted`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from greeter.send_report import REFRESH_PER_SECOND, ProgressBar, progress_wanted
from greeter.table_fit import Column, Measure, fit, fit_note, hidden
from tests.conftest import MakeProject
from tests.tables import table_dicts, table_rows
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import NOW, greeter, people

#: Every box-drawing character rich's heavy-headed table draws.
FRAME = re.compile("[─━│┃┏┓┗┛┡┩┳┻╇╈└┘┼]")

#: preview's progress bar's words (greeter.cli_review.preview).
BAR = b"planning and rendering letters"


def trailing_spaces(text: str) -> list[str]:
    """``text``'s lines that end in whitespace: rich pads an unframed table's last column (and its
    title) to the table's width, noise to ``diff``, ``grep 'x$'`` and an editor's whitespace check."""
    return [line for line in text.splitlines() if line != line.rstrip()]


@pytest.fixture
def project(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three clients whose birthday letters leave on NOW's day, one already sent (history has a row),
    one address on the do-not-contact list."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    config = make_project(people(3, "14.04.1980"))
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    assert greeter(config, "suppress", "someone@example.com").returncode == 0
    return config


def test_piped_tables_have_no_frame_and_read_by_their_header(project: Path) -> None:
    """preview, history and suppress --list piped: a header line, a line a row, no box-drawing."""
    for args, first in (
        (("preview", "--now", NOW, "--days", "3"), "send at"),
        (("history",), "contact"),
        (("suppress", "--list"), "e-mail"),
    ):
        rows = json.loads(greeter(project, *args, "--format", "json").stdout)
        assert rows, args
        shown = greeter(project, *args)
        assert shown.returncode == 0, shown.stderr
        assert not FRAME.search(shown.stdout), shown.stdout
        assert len(table_rows(shown.stdout, first)) == len(rows), shown.stdout
        assert trailing_spaces(shown.stdout) == [], args
    (row,) = table_dicts(greeter(project, "suppress", "--list").stdout, "e-mail")
    assert row["e-mail"] == "someone@example.com"


@pytest.mark.parametrize("listing", [(), ("--all",)])
def test_suppress_lists_table_in_a_file_is_still_refused_as_a_list_to_import(
    project: Path, tmp_path: Path, listing: tuple[str, ...]
) -> None:
    """``suppress --list -o FILE.txt`` writes the table with no frame, which is how ``--from-csv``
    knew it for greeter's own (each line read as an invalid address): it knows it by its title."""
    written = tmp_path / "list.txt"
    assert greeter(project, "suppress", "--list", *listing, "-o", str(written)).returncode == 0
    assert not FRAME.search(written.read_text(encoding="utf-8"))
    taken = greeter(project, "suppress", "--from-csv", str(written))
    assert taken.returncode == 2, (taken.stdout, taken.stderr)
    assert "this is greeter's table (suppress --list as text), which is for reading" in taken.stderr


@pytest.mark.parametrize(("term", "framed"), [("xterm-256color", True), ("dumb", False), ("unknown", False)])
def test_a_terminal_s_table_is_framed_unless_term_is_dumb(
    project: Path, monkeypatch: pytest.MonkeyPatch, term: str, framed: bool
) -> None:
    """COLUMNS lays a table out for a terminal that wide: framed, as on one — but not with TERM=dumb,
    what a screen reader's terminal, an Emacs shell or a CI log says it is."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", term)
    for args in (("preview", "--now", NOW, "--days", "3"), ("history",), ("suppress", "--list")):
        shown = greeter(project, *args)
        assert shown.returncode == 0, shown.stderr
        assert bool(FRAME.search(shown.stdout)) == framed, (args, shown.stdout)
        if not framed:
            assert trailing_spaces(shown.stdout) == [], args


def test_preview_text_is_a_field_a_line_and_a_blank_line_between_drafts(project: Path) -> None:
    """``--format text``: every draft the JSON has, each value after its field's name, the subject
    of a letter, the reason of a skip — no frame, no colour, nothing left out at any width."""
    args = ("preview", "--now", NOW, "--days", "3")
    drafts = json.loads(greeter(project, *args, "--format", "json").stdout)
    text = greeter(project, *args, "--format", "text")
    assert text.returncode == 0, text.stderr
    assert not FRAME.search(text.stdout) and "\x1b" not in text.stdout
    title, *blocks, summary = text.stdout.rstrip("\n").split("\n\n")
    assert title == "greetings 2027-04-14 + 3 days"
    assert summary == greeter(project, *args).stdout.rstrip("\n").splitlines()[-1]  # the table's summary
    assert len(blocks) == len(drafts) == 3  # one sent this morning, two due later today
    for block, draft in zip(blocks, drafts, strict=True):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        assert list(fields)[:4] == ["send at (recipient's time)", "contact", "occasion", "years"], block
        assert fields["contact"].split()[0] == draft["contact_id"]
        assert fields["occasion"] == "День рождения" and fields["years"] == str(draft["years"])
        assert ("why" if draft["status"] == "skip" else "subject") in fields, block
    # the letter sent this morning is "sent", a letter still due "send"
    assert {dict(line.split(": ", 1) for line in b.splitlines())["status"] for b in blocks} <= {
        "sent",
        "send",
    }


def test_history_text_is_a_field_a_line_and_a_blank_line_between_greetings(project: Path) -> None:
    """``history --format text``: the table's fields, each value after its header, every row JSON has."""
    rows = json.loads(greeter(project, "history", "--format", "json").stdout)
    text = greeter(project, "history", "--format", "text")
    assert text.returncode == 0, text.stderr
    assert not FRAME.search(text.stdout) and "\x1b" not in text.stdout
    title, *blocks, count = text.stdout.rstrip("\n").split("\n\n")
    assert title.startswith("journal ") and count == f"{len(rows)} greeting(s)"
    assert len(blocks) == len(rows) >= 1
    for block, row in zip(blocks, rows, strict=True):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        assert fields["contact"].split()[0] == row["contact_id"] and fields["state"] == row["state"]
        assert fields["date"] == row["occasion_date"] and fields["e-mail"] == row["email"]
        assert fields["subject"] == row["subject"]
    empty = greeter(project, "history", "--format", "text", "--state", "failed")
    assert empty.stdout == "no greeting matches these filters\n"  # as the table says it


@pytest.mark.parametrize(
    ("columns", "left_out"),
    [(60, "leaves out yrs;"), (200, None)],
)
def test_a_narrow_terminal_says_which_columns_it_leaves_out_and_where_they_are(
    project: Path, monkeypatch: pytest.MonkeyPatch, columns: int, left_out: str | None
) -> None:
    """At 60 columns the years and the subject went without a word: one line on stderr names them,
    and the wider terminal or the format that shows them; a table that shows all says nothing."""
    monkeypatch.setenv("COLUMNS", str(columns))
    shown = greeter(project, "preview", "--now", NOW, "--days", "3")
    notes = [line for line in shown.stderr.splitlines() if line.startswith("note: to fit")]
    if left_out is None:
        assert not notes, shown.stderr
        return
    (note,) = notes
    assert left_out in note and f"to fit {columns} columns" in note, note
    assert note.endswith("a wider terminal or --format text or json shows every field"), note
    assert "note: to fit" not in shown.stdout  # a person's note: stderr, never the table's stdout
    history = greeter(project, "history")
    (said,) = [line for line in history.stderr.splitlines() if line.startswith("note: to fit")]
    assert said.endswith("a wider terminal or --format text, json or csv shows every field"), said


def test_fit_note_names_what_is_left_out_and_cut_short() -> None:
    """Pure: the dropped columns in the order they went, and an ellipsis column whose longest word
    is wider than the column; an empty column of nothing is not "left out"."""
    columns = (
        Column("id", whole=True),
        Column("name", overflow="ellipsis"),
        Column("note", drop=1),
        Column("extra", drop=2, unless_empty=True),
        Column("state", whole=True, drop=3),
    )
    measures = [Measure() for _ in columns]
    for measure, cell in zip(
        measures, ("1008", "Константиновна-Щедрина", "x" * 30, "", "skipped"), strict=True
    ):
        measure.add(cell)
    wide = fit(columns, measures, 200)
    assert (
        hidden(columns, measures, wide) == ([], []) and fit_note(columns, measures, wide, 200, "json") is None
    )
    narrow = fit(columns, measures, 30)
    assert hidden(columns, measures, narrow) == (["note", "state"], ["name"])
    assert fit_note(columns, measures, narrow, 30, "--format json") == (
        "note: to fit 30 columns, the table leaves out note and state, and cuts long words short (…) in name; "
        "a wider terminal or --format json shows every field"
    )
    boxed, bare = fit(columns, measures, 45), fit(columns, measures, 45, boxed=False)
    assert len(bare.shown) >= len(boxed.shown)  # no borders: more room for the cells


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [
        ({}, True),
        ({"TERM": "xterm-256color"}, True),
        ({"GREETER_NO_PROGRESS": "1"}, False),
        ({"GREETER_NO_PROGRESS": "yes", "TERM": "xterm"}, False),
        ({"GREETER_NO_PROGRESS": ""}, True),  # as NO_COLOR: set to nothing is not set
        ({"TERM": "dumb"}, False),
        ({"TERM": "DUMB"}, False),
        ({"TERM": "unknown"}, False),
    ],
)
def test_progress_wanted(environ: dict[str, str], wanted: bool) -> None:
    assert progress_wanted(environ) is wanted


@pytest.mark.parametrize(
    ("env", "args", "bar"),
    [
        ({}, (), True),
        ({"GREETER_NO_PROGRESS": "1"}, (), False),
        ({"TERM": "dumb"}, (), False),
        ({}, ("--format", "text"), False),
    ],
)
def test_preview_s_bar_is_off_with_greeter_no_progress_term_dumb_or_text(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: tuple[str, ...],
    bar: bool,
) -> None:
    """On a terminal (stderr a pty) the bar is drawn, unless it is asked off; stdout the same either way."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("GREETER_NO_PROGRESS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = make_project(people(120))
    code, out, err = run_on_terminal(config, "preview", "--now", NOW, "--days", "7", *args, terminal=True)
    assert code == 0, err[-500:]
    assert (BAR in err) is bar, err[-500:]
    assert b"send: 120" in out


def test_a_bar_redraws_once_a_second() -> None:
    """rich redraws ten times a second, each a line a screen reader may read out: once is enough."""
    bar = ProgressBar("planning and rendering letters", 100, 1, "rows")
    bar(1)  # opens it
    try:
        assert REFRESH_PER_SECOND == 1 and bar._bar.live.refresh_per_second == 1
    finally:
        bar.close()
