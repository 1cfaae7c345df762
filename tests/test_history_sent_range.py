"""``greeter history --sent-since/--sent-until``: the letters that left on given days, on the office's clock.

An auditor asked for "every letter sent in November, all clients". ``--since``
and ``--until`` bound the occasion's date (as documented): a letter for a
1 December birthday sent on 30 November fell out, a belated one for
28 November sent on 2 December fell in, and a greeting that never left (a
refusal) was listed among the letters sent. ``--sent-since``/``--sent-until``
bound the moment the letter left (``sent_at``), read as calendar days of
``defaults.timezone`` (Europe/Moscow here, as an auditor in Moscow counts
them) — not UTC's, nor each client's own — filtered by the journal's SQL, on
SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from greeter.cli import main
from greeter.history_view import sent_between
from greeter.journal import open_journal
from greeter.journal_store import ClaimRequest, JournalStore
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.tables import table_rows

MOSCOW = ZoneInfo("Europe/Moscow")

#: (contact id, its time zone, birthday greeted, when the letter left in UTC — None: it never did).
LETTERS = (
    ("1", "Europe/Moscow", date(2026, 12, 1), datetime(2026, 11, 30, 7, 0, tzinfo=UTC)),  # early, in Nov
    ("2", "Europe/Moscow", date(2026, 11, 28), datetime(2026, 12, 2, 6, 0, tzinfo=UTC)),  # belated, Dec
    ("3", "Asia/Vladivostok", date(2026, 11, 15), datetime(2026, 11, 15, 6, 0, tzinfo=UTC)),
    # 00:30 on 1 November in Moscow: November's, though UTC still says 31 October.
    ("4", "Europe/Moscow", date(2026, 11, 1), datetime(2026, 10, 31, 21, 30, tzinfo=UTC)),
    # 00:30 on 1 December in Moscow: December's, though UTC (and the client's Kaliningrad,
    # 23:30 on 30 November) say November: the office's clock decides, not the client's.
    ("5", "Europe/Kaliningrad", date(2026, 12, 1), datetime(2026, 11, 30, 21, 30, tzinfo=UTC)),
    ("6", "Europe/Moscow", date(2026, 11, 20), None),  # refused (550): never left
)
REFUSED_AT = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def fill(journal: JournalStore) -> None:
    """Journal :data:`LETTERS`: each claimed when it left, then sent — or, never sent, refused."""
    for cid, _, day, sent_at in LETTERS:
        key = (cid, "birthday", day)
        at = sent_at or REFUSED_AT
        journal.claim_many([ClaimRequest(key, f"c{cid}@example.com", f"<{cid}.{day}@t>", at)], now=at)
        if sent_at is None:
            journal.mark_failed(key, "550 5.1.1 User unknown", at)
        else:
            journal.mark_sent(key, "250 2.0.0 Ok", at)


@pytest.fixture(params=["sqlite", "postgresql"])
def config(request: pytest.FixtureRequest, make_project: MakeProject, tmp_path: Path) -> Iterator[Path]:
    """A project (defaults.timezone Europe/Moscow) whose journal, SQLite or PostgreSQL, holds LETTERS."""
    rows = [contact_row(cid, f"c{cid}@example.com", tz=tz) for cid, tz, _, _ in LETTERS]
    with databases.pg_schema() if request.param == "postgresql" else _sqlite(tmp_path) as (url, _):
        path = make_project(rows, storage={"url": url}, defaults={"timezone": "Europe/Moscow"})
        with open_journal(url, now=REFUSED_AT) as journal:
            fill(journal)
        yield path


class _sqlite:
    """``(journal URL, None)`` of a SQLite file, as :func:`tests.databases.pg_schema` yields a schema's."""

    def __init__(self, folder: Path) -> None:
        self.url = f"sqlite:///{folder / 'journal.sqlite3'}"

    def __enter__(self) -> tuple[str, None]:
        return self.url, None

    def __exit__(self, *_: object) -> None:
        return None


def history(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), "history", *args])


def ids(config: Path, *args: str) -> list[str]:
    """The contact ids of ``history *args --json``'s rows, in the listing's order."""
    result = history(config, *args, "--json")
    assert result.exit_code == 0, result.output
    return [row["contact_id"] for row in json.loads(result.stdout)]


NOVEMBER = ("--sent-since", "2026-11", "--sent-until", "2026-11")


def test_sent_in_november_is_by_the_day_the_letter_left_on_the_offices_clock(config: Path) -> None:
    # What the auditor got: the occasions of November — the belated letter of 2 December and the
    # refusal in, the letter that left on 30 November out.
    assert ids(config, "--since", "2026-11", "--until", "2026-11") == ["4", "3", "6", "2"]

    assert ids(config, *NOVEMBER) == ["4", "3", "1"]  # still in the listing's order: occasion date
    assert ids(config, "--sent-since", "01.11.2026", "--sent-until", "30.11.2026") == ["4", "3", "1"]
    assert ids(config, "--sent-since", "2026-12") == ["2", "5"]  # open-ended; the refusal never left
    assert ids(config, "--sent-until", "2026-11-30") == ["4", "3", "1"]
    assert ids(config, "--sent-since", "2026-12-01", "--sent-until", "2026-12-01") == ["5"]
    # With --since/--until both ranges apply; so does every other filter.
    assert ids(config, *NOVEMBER, "--since", "2026-11-10") == ["3", "1"]
    assert ids(config, *NOVEMBER, "--until", "2026-11-30") == ["4", "3"]
    assert ids(config, *NOVEMBER, "--state", "failed") == []
    assert ids(config, "--state", "failed", "--since", "2026-11") == ["6"]
    assert ids(config, "--contact", "2", "--sent-since", "2026-12") == ["2"]
    assert ids(config, "--contact", "1", "--sent-since", "2026-12") == []
    assert ids(config, "--email", "c1@example.com", *NOVEMBER) == ["1"]

    limited = history(config, *NOVEMBER, "--limit", "1", "--json")
    assert [row["contact_id"] for row in json.loads(limited.stdout)] == ["1"]
    assert "the latest 1 of 3 greetings (--limit 1)" in limited.stderr

    empty = history(config, "--sent-since", "2027-01")
    assert empty.exit_code == 0 and empty.stdout == "no greeting matches these filters\n", empty.output


def test_every_format_and_o_file_holds_the_same_rows(config: Path, tmp_path: Path) -> None:
    table = history(config, *NOVEMBER)
    assert table.exit_code == 0, table.output
    assert "3 greeting(s)" in table.stdout.splitlines()[0]
    assert [row[0].split()[0] for row in table_rows(table.stdout, "contact")] == ["4", "3", "1"]

    plain_csv = history(config, *NOVEMBER, "--format", "csv")
    assert [r["contact_id"] for r in csv.DictReader(io.StringIO(plain_csv.stdout))] == ["4", "3", "1"]

    excel_csv = tmp_path / "november.csv"
    assert history(config, *NOVEMBER, "-o", str(excel_csv)).exit_code == 0
    rows = csv.DictReader(io.StringIO(excel_csv.read_text(encoding="utf-8-sig"), newline=""), delimiter=";")
    assert [r["contact_id"] for r in rows] == ["4", "3", "1"]

    workbook = tmp_path / "november.xlsx"
    done = history(config, *NOVEMBER, "-o", str(workbook))
    assert done.exit_code == 0 and "(3 greeting(s), xlsx)" in done.stderr, done.output
    sheet = load_workbook(workbook).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    column = header.index("contact_id")
    assert [row[column].value for row in sheet.iter_rows(min_row=2)] == ["4", "3", "1"]

    listed = tmp_path / "november.json"
    assert history(config, *NOVEMBER, "-o", str(listed)).exit_code == 0
    assert [r["contact_id"] for r in json.loads(listed.read_text(encoding="utf-8"))] == ["4", "3", "1"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--sent-since", "2026-13"), "Invalid value for '--sent-since': '2026-13' is not a date like"),
        (("--sent-until", "31.11.2026"), "Invalid value for '--sent-until': 31.11.2026 is not a real date"),
        (("--sent-since", "11/01/2026"), "Invalid value for '--sent-since': '11/01/2026' is not a date"),
        (
            ("--sent-since", "2026-12", "--sent-until", "2026-11"),
            "--sent-since 2026-12-01 is after --sent-until 2026-11-30: no day is in that range",
        ),
    ],
)
def test_a_day_that_is_none_is_a_usage_error_naming_the_option(
    make_project: MakeProject, args: tuple[str, ...], said: str
) -> None:
    config = make_project([contact_row("1", "c1@example.com")])
    result = history(config, *args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_journal_filters_by_sent_at_in_sql(backend: str, tmp_path: Path) -> None:
    """``iter_history``/``history`` take the moments, from inclusive and before exclusive, on both backends."""
    with databases.journal_on(backend, tmp_path / "j.sqlite3", REFUSED_AT) as journal:
        fill(journal)
        left = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # contact 1's letter, to the microsecond
        assert [e.contact_id for e in journal.iter_history(sent_from=left)] == ["2", "1", "5"]
        assert [e.contact_id for e in journal.iter_history(sent_before=left)] == ["4", "3"]
        assert [e.contact_id for e in journal.history(sent_from=left, sent_before=left)] == []
        later = left + timedelta(microseconds=1)
        assert [e.contact_id for e in journal.history(sent_from=left, sent_before=later)] == ["1"]
        # A moment in another zone is the same moment: 10:00 in Moscow is 07:00 UTC.
        assert [e.contact_id for e in journal.history(sent_from=left.astimezone(MOSCOW))] == ["2", "1", "5"]


def test_a_day_is_from_its_midnight_to_the_next_in_the_zone_given() -> None:
    assert sent_between(date(2026, 11, 1), date(2026, 11, 30), MOSCOW) == (
        datetime(2026, 10, 31, 21, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 21, 0, tzinfo=UTC),
    )
    assert sent_between(None, None, MOSCOW) == (None, None)
    # A day of 23 hours: Berlin's clocks went forward on 29 March 2026.
    start, end = sent_between(date(2026, 3, 29), date(2026, 3, 29), ZoneInfo("Europe/Berlin"))
    assert start is not None and end is not None and end - start == timedelta(hours=23)
    # Santiago's midnight of 6 September 2026 never was (00:00 became 01:00): the day starts at
    # the change, the moment its previous day ended.
    start, _ = sent_between(date(2026, 9, 6), None, ZoneInfo("America/Santiago"))
    _, before = sent_between(None, date(2026, 9, 5), ZoneInfo("America/Santiago"))
    assert start == before == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
