"""``send --once`` from cron says the contacts' problems once, and again only when they change.

An operator ran ``send --once`` every 10 minutes from cron (stdout to
/dev/null, stderr kept for real trouble) and got the same two warnings about
the CRM's rows mailed 144 times a day. The daemon already said them once (in
memory); a new process each run must remember in the journal what it said.
A terminal still gets them every time: a person is looking.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.journal_store import JournalStore, Notice
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_check_progress import run_on_terminal
from tests.test_send_e2e import LATER, NOW

GOOD = contact_row("1", "client1@example.com", birthday="13.04.1980")
BAD_DATE = contact_row("2", "client2@example.com", birthday="31.02.1980")
FIXED_DATE = contact_row("2", "client2@example.com", birthday="28.02.1980")
NO_EMAIL = contact_row("3", "", birthday="13.04.1980")
NO_ID = contact_row("", "client4@example.com", birthday="13.04.1980")  # rejected: exit 1, every run
BAD_ZONE = contact_row("5", "client5@example.com", birthday="13.04.1980", tz="Mars/Olympus")

DATE_WARNING = "row 3: Дата рождения: warning: '31.02.1980' is not a real date"
EMAIL_WARNING = "row 4: Email: warning: no e-mail"
ID_ERROR = "row 5: ID: empty id"
ZONE_WARNING = "row 6: Часовой пояс: warning: unknown time zone 'Mars/Olympus'"


def send(config: Path, now: str, *extra: str) -> tuple[int, str, str]:
    """``greeter send --once`` through the real CLI, stderr a pipe (as under cron): (code, out, err)."""
    result = CliRunner().invoke(main, ["--config", str(config), "send", "--once", *extra, "--now", now])
    return result.exit_code, result.stdout, result.stderr


def write_rows(config: Path, *rows: str) -> None:
    """Replace the project's contacts (the CRM's export changed), keeping make_project's header."""
    contacts = config.parent / "data" / "contacts.csv"
    header = contacts.read_text(encoding="utf-8-sig").splitlines()[0]
    contacts.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")


def at(minute: int) -> str:
    """A moment on NOW's day and hour (11:MM MSK)."""
    return NOW.replace("11:00:00", f"11:{minute:02d}:00")


def unchanged(n: int, since: str, rejected: int = 0) -> str:
    among = f", {rejected} of them rejected row(s), not loaded" if rejected else ""
    return f"; {n} contact row problem(s) unchanged since 2027-04-14 {since} MSK{among} (greeter check lists them)"


@pytest.fixture
def config(make_project: MakeProject) -> Path:
    """A project whose contacts have three problems: a date no calendar has, no e-mail, no id."""
    return make_project([GOOD, BAD_DATE, NO_EMAIL, NO_ID])


def test_cron_hears_the_problems_once_and_then_each_time_they_change(config: Path) -> None:
    code, out, err = send(config, NOW)
    assert code == 1  # a rejected row: exit 1, as send's help documents
    assert DATE_WARNING in err and EMAIL_WARNING in err and ID_ERROR in err, err
    assert "unchanged" not in out

    code, out, err = send(config, LATER)
    assert code == 1, "still exit 1: the row is still rejected"
    assert "row " not in err, err
    assert out.rstrip("\n").endswith(unchanged(3, "11:00", rejected=1)), out

    write_rows(config, GOOD, FIXED_DATE, NO_EMAIL, NO_ID)  # the CRM fixed the date
    code, out, err = send(config, at(10))
    assert code == 1 and EMAIL_WARNING in err and ID_ERROR in err and "31.02" not in err, err
    assert "unchanged" not in out
    code, out, err = send(config, at(20))
    assert "row " not in err and out.rstrip("\n").endswith(unchanged(2, "11:10", rejected=1)), (out, err)

    write_rows(config, GOOD, FIXED_DATE, NO_EMAIL, NO_ID, BAD_ZONE)  # and broke another row
    code, out, err = send(config, at(30))
    assert ZONE_WARNING in err and EMAIL_WARNING in err and ID_ERROR in err, err
    assert "unchanged" not in out


def test_problems_that_go_and_come_back_are_news_again(config: Path) -> None:
    send(config, NOW)
    write_rows(config, GOOD)
    code, out, err = send(config, at(10))
    assert (code, err) == (0, "") and "unchanged" not in out
    write_rows(config, GOOD, BAD_DATE, NO_EMAIL, NO_ID)
    code, out, err = send(config, at(20))
    assert DATE_WARNING in err and EMAIL_WARNING in err and ID_ERROR in err, err
    assert "unchanged" not in out
    code, out, err = send(config, at(30))
    assert "row " not in err and out.rstrip("\n").endswith(unchanged(3, "11:20", rejected=1)), (out, err)


def test_json_carries_the_count_and_since_when(config: Path) -> None:
    first = json.loads(send(config, NOW, "--json")[1])
    assert first["contact_problems"] == {"count": 3, "unchanged_since": None}
    code, out, err = send(config, LATER, "--json")
    assert code == 1 and "row " not in err, err
    assert json.loads(out)["contact_problems"] == {"count": 3, "unchanged_since": "2027-04-14T11:00:00+03:00"}
    write_rows(config, GOOD)
    assert json.loads(send(config, at(10), "--json")[1])["contact_problems"] is None


def test_a_dry_run_reads_what_was_said_and_records_nothing(config: Path) -> None:
    code, out, err = send(config, NOW, "--dry-run")
    assert DATE_WARNING in err and code == 1, "no journal yet: nothing was said"
    code, out, err = send(config, LATER)
    assert DATE_WARNING in err, "the dry run recorded nothing: the real run says them"
    code, out, err = send(config, at(10), "--dry-run")
    assert "row " not in err and out.rstrip("\n").endswith(unchanged(3, "11:05", rejected=1)), (out, err)
    write_rows(config, GOOD, FIXED_DATE, NO_EMAIL, NO_ID)
    code, out, err = send(config, at(20), "--dry-run")
    assert EMAIL_WARNING in err and "unchanged" not in out, (out, err)
    code, out, err = send(config, at(30))
    assert EMAIL_WARNING in err, "the dry run that said the new set recorded nothing"


def test_a_terminal_gets_them_every_time_and_they_count_as_said(config: Path) -> None:
    for now in (NOW, LATER):
        code, out, err = run_on_terminal(config, "send", "--once", "--now", now, terminal=True)
        assert code == 1 and DATE_WARNING.encode() in err and ID_ERROR.encode() in err, err
        assert b"unchanged" not in out
    code, out, err = run_on_terminal(config, "send", "--once", "--now", at(10), terminal=False)
    assert code == 1 and b"row " not in err, err
    assert out.decode().rstrip("\n").endswith(unchanged(3, "11:00", rejected=1)), out


def test_the_journal_keeps_one_notice_per_name_on_both_backends(
    backend_journal: JournalStore,
) -> None:
    first, later = datetime(2026, 12, 4, 7, 0, tzinfo=UTC), datetime(2026, 12, 4, 7, 10, tzinfo=UTC)
    assert backend_journal.notice("contact_problems") is None
    backend_journal.record_notice("contact_problems", "a" * 64, first)
    backend_journal.record_notice("other", "b" * 64, first)
    assert backend_journal.notice("contact_problems") == Notice("a" * 64, first)
    backend_journal.record_notice("contact_problems", "c" * 64, later)  # replaced, not added
    assert backend_journal.notice("contact_problems") == Notice("c" * 64, later)
    assert backend_journal.notice("other") == Notice("b" * 64, first)


def test_cron_on_a_postgresql_journal_hears_them_once(make_project: MakeProject) -> None:
    with databases.pg_schema() as (url, _):
        config = make_project([GOOD, BAD_DATE, NO_EMAIL, NO_ID], storage={"url": url})
        code, _, err = send(config, NOW)
        assert code == 1 and DATE_WARNING in err, err
        code, out, err = send(config, LATER)
        assert code == 1 and "row " not in err, err
        assert out.rstrip("\n").endswith(unchanged(3, "11:00", rejected=1)), out


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    now = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=now) as journal:
        yield journal
