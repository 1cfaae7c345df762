"""``greeter history``'s table is drawn row by row, not by rich's per-cell layout — and looks the same.

A 60,000-row history took 40 s as a table (5 s as JSON): nearly all of it in
rich laying out each cell. The rows are now drawn by
:func:`greeter.history_view._print_table`; the columns' widths are
:mod:`greeter.table_fit`'s, rich draws the title, header and borders, and wraps a
cell too wide for its column. These tests hold the output to what rich alone prints for the same
tables — piped and on terminals wide and narrow, in colour and without, one
table and many — and the time to a small multiple of JSON's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from rich.cells import cell_len
from rich.console import Console

from greeter import history_view
from greeter.console import show_table, table_box, table_console
from greeter.contacts import Contact
from greeter.history_people import People
from greeter.history_view import COLUMNS_SHOWN, _table, layout_for, print_history, table_cells
from greeter.journal_store import JournalEntry
from greeter.table_fit import measured
from tests.tables import misaligned, table_rows

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)

#: Contacts whose data rich would read as markup, emoji or escapes, wide (CJK) and Cyrillic names.
CONTACTS = {
    "1": Contact("1", "one@example.com", "Иван", "Петрович", "Иванов", company="ООО «Тест»"),
    "2": Contact("2", "two@example.com", "[bold]Smith[/bold]", company="[link=https://evil.example]x[/link]"),
    "3": Contact("3", "three@example.com", "王小明", company="株式会社テスト", timezone="Asia/Tokyo"),
    "4": Contact("4", "four@example.com", "Ross\\", company=":smile: C:\\", timezone="Asia/Vladivostok"),
    "5": Contact("5", "five@example.com", "Esc\x1b[31m", company=""),
}
PEOPLE = People(contacts=CONTACTS, titles={"birthday": "День рождения"}, default_zone="Europe/Moscow")
REPLIES = {
    "sent": "250 2.0.0 Ok: queued as 4ABC",
    "failed": "550 5.1.1 <five@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
    "retry": "451 4.7.1 [greylisted] try again later",
    "uncertain": "connection lost after DATA; it may have been delivered",
    "skipped": None,
    "expired": None,
}


def entries(count: int) -> list[JournalEntry]:
    """``count`` rows cycling through the contacts and the states (each state's colour, a long reply)."""
    return [row(n) for n in range(count)]


def row(n: int) -> JournalEntry:
    """The ``n``-th row of :func:`entries` (contact 404 is no longer in the source: no name)."""
    state, cid = list(REPLIES)[n % len(REPLIES)], [*CONTACTS, "404"][n % (len(CONTACTS) + 1)]
    return JournalEntry(
        contact_id=cid, occasion="birthday", occasion_date=date(2026, 1, 1) + timedelta(n), state=state,
        email=f"{cid}@example.com", message_id=None, attempts=n % 3, last_reply=REPLIES[state],
        reason="frequency_cap: only 13 days from 8mar" if state == "skipped" else None,
        planned_at=None, send_day=None, next_attempt_at=None, merged=("new_year",) if n % 4 == 0 else (),
        content_hash=None, created_at=AT, updated_at=AT + timedelta(minutes=n), sent_at=None,
    )  # fmt: skip


def rich_alone(rows: Sequence[JournalEntry], console: Console, chunk: int) -> None:
    """The table as rich draws it, one :func:`_table` per ``chunk`` rows, laid out for the whole
    history on ``console`` (:func:`layout_for`: the same columns and widths for each table), printed
    as greeter prints rich's tables (:func:`~greeter.console.show_table`)."""
    cells = [table_cells(e, None, PEOPLE) for e in rows]
    title = f"journal: {len(cells)} greeting(s)"
    layout = layout_for(console, measured(cells, COLUMNS_SHOWN))
    shown = [layout.pick(c) for c in cells]
    for start in range(0, len(shown), chunk):
        table = _table(shown[start : start + chunk], None if start else title, layout, table_box(console))
        show_table(console, table)  # unframed: each line's trailing padding left out


def printed(draw: Callable[[], object], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    draw()
    return capsys.readouterr().out


@pytest.mark.parametrize("count", [5, 23])  # one table; tables of 5 rows at the widths of all
@pytest.mark.parametrize("columns", ["400", "200", "120", "30"])
@pytest.mark.parametrize("colour", ["FORCE_COLOR", "NO_COLOR", "TERM=dumb"])
def test_on_a_terminal_the_table_is_what_rich_draws(
    count: int, columns: str, colour: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wide and narrow terminals (cells folded, columns shrunk as rich shrinks them), in colour, with
    NO_COLOR and with TERM=dumb (no frame): byte for byte what rich alone prints. (200 columns folds
    some cells of every table; narrower, the tables of 5 rows have columns too narrow for a cell:
    rich draws them.)"""
    monkeypatch.setattr(history_view, "TABLE_CHUNK", 5)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("TERM", "xterm-256color")
    if colour == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    if colour == "TERM=dumb":  # a screen reader's terminal: no frame (greeter.console.table_box)
        monkeypatch.setenv("TERM", "dumb")
    rows = entries(count)
    ours = printed(lambda: print_history(rows, "table", people=PEOPLE), capsys)
    theirs = printed(lambda: rich_alone(rows, table_console(), 5), capsys)
    assert ours == theirs
    assert any(c in ours for c in "│┃┏━") == (colour != "TERM=dumb")
    if (
        columns == "400" and colour != "TERM=dumb"
    ):  # (rich gives a dumb terminal 80 columns) no cell folded: sent in green (unless NO_COLOR), data as written
        assert ("\x1b[32msent" in ours) == (colour == "FORCE_COLOR")
        assert "Smith[/bold]" in ours and "\\x1b[31m" in ours  # a control character shown escaped


@pytest.mark.parametrize("count", [5, 23])
def test_piped_and_to_a_file_the_table_is_what_rich_draws(
    count: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Piped: one line per row, no colour, no frame, wide cells (CJK) lined up; ``-o``'s file the same."""
    monkeypatch.setattr(history_view, "TABLE_CHUNK", 5)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    rows = entries(count)
    ours = printed(lambda: print_history(rows, "table", people=PEOPLE), capsys)
    assert ours == printed(lambda: rich_alone(rows, table_console(), 5), capsys)
    assert "\x1b" not in ours and len(table_rows(ours, "contact")) == count
    assert not re.search("[│┃┏┡└━]", ours)  # a screen reader read each aloud
    assert misaligned(ours, "contact") == []  # every column lines up
    assert [line for line in ours.splitlines() if line != line.rstrip()] == []  # no line padded at its end
    to_file, reference = io.StringIO(), io.StringIO()
    print_history(rows, "table", people=PEOPLE, out=to_file)
    rich_alone(rows, table_console(reference), 5)
    assert to_file.getvalue() == reference.getvalue() == ours


@pytest.mark.parametrize("columns", [100, 160])
def test_tables_of_a_long_history_fit_a_narrow_terminal_as_one_table_would(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history of several tables on a terminal narrower than its widest cells: each column got the
    widest cell's width, and rich shrank them all alike to fit — the date, state and attempts
    columns to nothing (at 160 columns). Now every column shown keeps its header and its values
    whole (the dates too, which rich folded at 100 columns)."""
    monkeypatch.setattr(history_view, "TABLE_CHUNK", 5)
    monkeypatch.setenv("COLUMNS", str(columns))
    text = printed(lambda: print_history(entries(12), "table", people=PEOPLE), capsys)
    assert max(cell_len(line) for line in text.splitlines()) <= columns
    for word in ("date", "state", "retry", "expired", "2026-01-01", "2026-01-12"):
        assert word in text, (word, text[:2000])
    # at 160 every column with its full header; at 100 the attempts give way (greeter.table_fit)
    assert columns < 160 or "attempts" in text


def test_the_title_counts_every_row_and_headers_repeat_per_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a history of several tables always showed: the count once, a header per table."""
    monkeypatch.setattr(history_view, "TABLE_CHUNK", 5)
    out = io.StringIO()
    assert print_history(iter(entries(12)), "table", people=PEOPLE, out=out) == 12  # one-shot: listed
    lines = out.getvalue().splitlines()
    assert lines[0].strip() == "journal: 12 greeting(s)"
    assert sum(line.startswith(" contact ") for line in lines) == 3  # a header per table
    assert len(table_rows(out.getvalue(), "contact")) == 12
