"""``history`` and ``preview`` on a narrow terminal: the words people grep for are never split.

At 80 columns rich narrowed every column alike and split ids, dates, states,
e-mail addresses and reason words mid-word (``contac|t``, ``2026-1|2-01``,
``expir|ed``, ``skip: outside_aud|ience``) over 13-line rows; at 120 the
address still split. :mod:`greeter.table_fit` now lays the columns out: those
words whole, the free text narrowed, the columns of least value left out. These
render the real tables (rich, at the terminal width ``COLUMNS`` gives) and read
them as a person would, line by line. Piped, a table still widens to fit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len

from greeter.contacts import Contact
from greeter.history_people import People
from greeter.history_view import print_history
from greeter.journal_store import JournalEntry
from greeter.table_fit import FREE_WORD, Column, Measure, fit, narrowest
from tests.conftest import ROOT, MakeProject
from tests.tables import table_rows

AT = datetime(2026, 12, 4, 9, 31, tzinfo=UTC)
CONTACTS = {
    "1008": Contact("1008", "client08@example.com", "Алексей", "", "Соколов", company="ООО «Сокол»"),
    "1029": Contact(
        "1029",
        "konstantin.zakharov@romashka-trade.ru",
        "Вера",
        "Константиновна",
        "Гусева",
        company="ООО «Ромашка Трейд Северо-Запад»",
        timezone="Asia/Novosibirsk",
    ),
}
PEOPLE = People(
    contacts=CONTACTS,
    titles={"first_deal_anniversary": "Годовщина сотрудничества", "birthday": "День рождения"},
    default_zone="Europe/Moscow",
)
#: (contact, occasion, state, reason, last reply): the words of the reviewer's report.
ROWS = [
    ("1008", "first_deal_anniversary", "expired",
     "expired: missed; the next window (07.12) is more than 3 days later", None),
    ("1029", "birthday", "uncertain", None, "connection lost after DATA; it may have been delivered"),
    ("1029", "first_deal_anniversary", "failed", None,
     "550 5.1.1 <konstantin.zakharov@romashka-trade.ru>: Recipient address rejected: User unknown"),
    ("1008", "birthday", "skipped", "invalid_contact: the row has no valid date", None),
    ("1029", "new_year", "sent", None, "250 2.0.0 Ok: queued as 4ABC"),
]  # fmt: skip


def journal_rows() -> list[JournalEntry]:
    return [
        JournalEntry(
            contact_id=cid,
            occasion=occasion,
            occasion_date=date(2026, 12, 1) + timedelta(n),
            state=state,
            email=CONTACTS[cid].email,
            message_id=None,
            attempts=n % 3,
            last_reply=reply,
            reason=reason,
            planned_at=None,
            send_day=None,
            next_attempt_at=None,
            merged=(),
            content_hash=None,
            created_at=AT,
            updated_at=AT + timedelta(minutes=n),
            sent_at=None,
        )
        for n, (cid, occasion, state, reason, reply) in enumerate(ROWS)
    ]


def whole_on_a_line(word: str, text: str) -> bool:
    """Whether ``word`` is printed unbroken on one line of ``text`` (a cell's line)."""
    return any(word in line for line in text.splitlines())


def history_table(columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    capsys.readouterr()
    print_history(journal_rows(), "table", people=PEOPLE)
    return capsys.readouterr().out


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_history_on_a_narrow_terminal_keeps_ids_dates_states_and_addresses_whole(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = history_table(columns, monkeypatch, capsys)
    assert max(cell_len(line) for line in text.splitlines()) <= columns, text
    for entry in journal_rows():
        for word in (entry.contact_id, entry.occasion_date.isoformat(), entry.state):
            assert whole_on_a_line(word, text), (word, text)
    # the free text takes the squeeze: between words, a word too long for it ends in "…"
    assert whole_on_a_line("1029 Вера", text) and whole_on_a_line("Констан", text), text
    header = text.splitlines()[2]
    if "why" in header:  # shown: its reason word whole
        assert whole_on_a_line("invalid_contact:", text), text
    if "e-mail" in header:  # shown: whole
        for cid in CONTACTS:
            assert whole_on_a_line(CONTACTS[cid].email or "", text), text
    # the address goes after the server's reply; too long to fit at 80 beside the rest, it makes way
    # for the reply again (37 + the contact's 10 + occasion, date, state: 80 > the 64 five columns have)
    assert columns < 100 or "e-mail" in header, text
    assert ("e-mail" in header) != ("why" in header) or columns >= 120, text
    assert columns >= 100 or "company" not in header  # the column of least value goes first


def test_history_at_80_columns_keeps_the_address_and_leaves_out_the_reply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A manager looking up a client's history tells its contacts apart by the address: at 80
    columns the sample's addresses (20 characters) stay, the server's reply gives way."""
    short = {
        cid: replace(contact, email=f"client{cid[-2:]}@example.com") for cid, contact in CONTACTS.items()
    }
    rows = [replace(entry, email=short[entry.contact_id].email) for entry in journal_rows()]
    monkeypatch.setenv("COLUMNS", "80")
    capsys.readouterr()
    print_history(rows, "table", people=replace(PEOPLE, contacts=short))
    text = capsys.readouterr().out
    header = text.splitlines()[2]
    assert "e-mail" in header and "why" not in header, text
    assert max(cell_len(line) for line in text.splitlines()) <= 80, text
    for contact in short.values():
        assert whole_on_a_line(contact.email or "", text), text


def test_history_piped_still_widens_to_fit_one_line_a_row(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    capsys.readouterr()
    print_history(journal_rows(), "table", people=PEOPLE)
    text = capsys.readouterr().out
    assert len(table_rows(text, "contact")) == len(ROWS) and "│" not in text
    assert "when (client's time)" in text and "server said / why" in text and "company" in text


def test_fit_keeps_rich_s_widths_when_the_table_fits_and_drops_in_order_when_not() -> None:
    """Pure: a table that fits is laid out at its widest cells; narrower, a whole column is never
    below its longest word, and the droppable columns go first."""
    columns = (Column("id", whole=True), Column("note", drop=1), Column("name"), Column("state", whole=True))
    measures = [Measure(), Measure(), Measure(), Measure()]
    for cells in (("2026-12-01", "a long free note here", "Вера Константиновна", "uncertain"),):
        for measure, cell in zip(measures, cells, strict=True):
            measure.add(cell)
    wide = fit(columns, measures, 200)
    assert wide.shown == (0, 1, 2, 3) and wide.widths == (10, 21, 19, 9)
    narrow = fit(columns, measures, 45)
    assert narrow.shown == (0, 2, 3) and narrow.widths[0] >= 10 and narrow.widths[2] >= 9
    assert sum(narrow.widths) + 3 * len(narrow.shown) + 1 <= 45


def test_fit_shows_again_a_column_left_out_before_a_wider_one() -> None:
    """Pure: the reply (dropped first) comes back once the long address (dropped next) is gone."""
    columns = (Column("id", whole=True), Column("why", drop=1), Column("address", whole=True, drop=2))
    measures = [Measure(), Measure(), Measure()]
    for measure, cell in zip(
        measures, ("1029", "550 user unknown", "konstantin.zakharov@example.com"), strict=True
    ):
        measure.add(cell)
    layout = fit(columns, measures, 40)
    assert layout.shown == (0, 1), layout
    assert fit(columns, measures, 48).shown == (0, 2)  # room for the address: the reply goes


def test_narrowest_wraps_between_words_as_rich_does() -> None:
    assert narrowest("Tue 29.12.2026 10:37 +10", 2) == 14  # the day, then the time and its zone
    assert narrowest("Wed 09.12 12:47 MSK", 2) == 9
    assert narrowest("Wed 09.12 12:47 MSK", 1) == 19
    assert narrowest("(no date)", 2) == 5
    assert narrowest("", 2) == 0


def titles_of(config: Path) -> dict[str, str]:
    """The config's occasions by name: the titles the preview table shows."""
    from greeter.config_loader import load_settings

    return load_settings(config, today=date(2026, 12, 4)).occasion_titles()


@pytest.fixture
def sample(make_project: MakeProject) -> Path:
    """The README's sample: config.example.yaml with its own contacts."""
    config = make_project([])
    shutil.copy(ROOT / "data" / "contacts.csv", config.parent / "data" / "contacts.csv")
    return config


def preview(config: Path, *args: str, columns: int | None) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    done = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "preview", "--now",
         "2026-12-04T12:00:00+03:00", "--days", "30", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.mark.parametrize("columns", [80, 120])
def test_preview_on_a_narrow_terminal_keeps_ids_occasions_and_reasons_whole(
    sample: Path, columns: int
) -> None:
    drafts = json.loads(preview(sample, "--format", "json", columns=None))
    text = preview(sample, columns=columns)
    assert max(cell_len(line) for line in text.splitlines()) <= columns, text
    # The table names occasions by their titles (as history does): each word of them whole.
    titles = titles_of(sample)
    words = {d["contact_id"] for d in drafts} | {w for d in drafts for w in titles[d["occasion"]].split()}
    words |= {d["reason"] for d in drafts if d.get("reason")}
    assert {"сотрудничества", "outside_audience", "invalid_contact", "merged"} <= words
    for word in sorted(words):
        assert whole_on_a_line(word, text), (word, text)
    for time in re.findall(r"\d\d\.\d\d \d\d:\d\d", preview(sample, columns=None)):
        day, clock = time.split()
        assert whole_on_a_line(day, text) and whole_on_a_line(clock, text), (time, text)


def test_preview_piped_is_one_line_a_row_and_a_merged_occasion_follows_its_letter(sample: Path) -> None:
    drafts = json.loads(preview(sample, "--format", "json", columns=None))
    text = preview(sample, columns=None)
    rows = table_rows(text, "send at")
    assert len(rows) == len(drafts)
    merged = [n for n, row in enumerate(rows) if row[-1] == "skip: merged"]
    assert merged, text
    titles = titles_of(sample)
    for n in merged:  # the letter that carries it (same contact, same moment) stands above it
        carrier = titles[rows[n][4].removeprefix("sent with ")]  # the planner's words name it
        assert any(
            row[1] == rows[n][1] and row[0] == rows[n][0] and row[2].startswith(carrier) for row in rows[:n]
        ), (rows[n], text)


def column_lines(text: str, header: str) -> list[str]:
    """The lines of ``text``'s table in the column headed ``header`` ([] when it is not shown)."""
    lines = text.splitlines()
    heads = [line for line in lines if line.startswith("┃")]
    named = [
        n for n in range(len(heads[0].split("┃"))) if any(h.split("┃")[n].strip() == header for h in heads)
    ]
    if not named:
        return []
    return [line.split("│")[named[0]].strip() for line in lines if line.startswith("│")]


SEND_AT = r"\w{3} \d\d\.\d\d(\.\d{4})?"
TIME = r"\d\d:\d\d \S+"


@pytest.mark.parametrize("start", ["2026-12-05", "2026-12-25"])  # the year shown: across New Year
@pytest.mark.parametrize("columns", [80, 100, 120])
def test_preview_keeps_subject_words_whole_and_the_send_time_on_two_lines(
    sample: Path, start: str, columns: int
) -> None:
    """A subject wraps between its words — «сотрудничества!» is not «сотрудниче|ства!» — or, where
    the terminal cannot hold them beside the rest (80 columns), is left out; the send time in the
    recipient's zone is its day over its time and zone, not a word a line."""
    drafts = json.loads(preview(sample, "--from", start, "--days", "14", "--format", "json", columns=None))
    text = preview(sample, "--from", start, "--days", "14", columns=columns)
    assert max(cell_len(line) for line in text.splitlines()) <= columns, text
    subject = [word for line in column_lines(text, "subject") for word in line.split()]
    assert subject or columns == 80, text
    words = {w for d in drafts for w in (d["subject"] or "").split() if cell_len(w) <= FREE_WORD}
    assert len(words) > 10
    for word in sorted(words) if subject else ():
        assert word in subject, (word, text)
    send_at = (
        column_lines(text, "send at")
        or column_lines(text, "(recipient's")
        or column_lines(text, "send at (recipient's time)")  # its header on one line
    )
    assert send_at, text
    for n, cell in enumerate(send_at):
        assert re.fullmatch(rf"({SEND_AT}( {TIME})?|{TIME}|\(.*\)|)", cell), (cell, text)
        if re.fullmatch(SEND_AT, cell):  # a day alone: its time and zone on the next line
            assert re.fullmatch(TIME, send_at[n + 1]), (cell, text)


@pytest.mark.parametrize("skipped", [(), ("--no-skipped",)])
@pytest.mark.parametrize("columns", [80, 100])
def test_preview_keeps_every_word_of_a_name_whole(
    sample: Path, skipped: tuple[str, ...], columns: int
) -> None:
    """The reviewer checks «Уважаемый Андрей Владимирович» against the contact's name: a patronymic
    cut to «Владимиров…» hides the very word the salutation is declined from. Without the skipped
    rows the status column is narrow and the subject had taken the room (80 columns: a name cut)."""
    drafts = json.loads(
        preview(sample, "--from", "2026-12-25", "--days", "14", "--format", "json", columns=None)
    )
    text = preview(sample, "--from", "2026-12-25", "--days", "14", *skipped, columns=columns)
    assert max(cell_len(line) for line in text.splitlines()) <= columns, text
    shown = [d for d in drafts if not skipped or d["status"] != "skip"]
    names = {w for d in shown for w in d["name"].split() if cell_len(w) <= FREE_WORD}
    assert "Владимирович" in names and "…" not in text, text
    for word in sorted(names):
        assert whole_on_a_line(word, text), (word, text)
