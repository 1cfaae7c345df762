"""``greeter baseline``: moving from another tool, greeter never re-sends what that tool sent.

A new journal's first ``send --once`` catches up ``catch_up_days``: a client
the old mail-merge cron greeted on 1 December got a second, belated letter.
Through the real CLI on a copy of config.example.yaml, a real SQLite journal
(and PostgreSQL's), the file transport.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from email import message_from_bytes
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from tests import databases
from tests.conftest import MakeProject, contact_row

#: Thursday 3 December 2026, 17:20 in Moscow: the send window closes at 17:30.
NOW = "2026-12-03T17:20:00+03:00"
#: Friday 4 December, 14:20: inside the Friday window (the cut-off 15:00, less end_margin_minutes).
TOMORROW = "2026-12-04T14:20:00+03:00"


def row(cid: str, birthday: str, first_deal: str = "") -> str:
    cells = contact_row(cid, f"client{cid}@example.com", birthday=birthday).split(";")
    cells[13] = first_deal
    return ";".join(cells)


#: 1: a catch-up letter (1 December); 2: today's; 3: tomorrow's; 4: a birthday and a first
#: deal on 2 December, one merged letter.
PEOPLE = [
    row("1", "01.12.1980"),
    row("2", "03.12.1980"),
    row("3", "04.12.1980"),
    row("4", "02.12.1975", "02.12.2015"),
]


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def outbox(config: Path) -> list[str]:
    """The recipients of the letters written to the outbox, sorted."""
    folder = config.parent / "data" / "outbox"
    if not folder.exists():
        return []
    letters = (message_from_bytes(eml.read_bytes()) for eml in folder.glob("*.eml"))
    return sorted(parseaddr(str(letter["To"]))[1] for letter in letters)


def history(config: Path) -> list[dict[str, Any]]:
    code, out, err = invoke(config, "history", "--format", "json")
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def baselined(config: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {(r["contact_id"], r["occasion"]): (r["state"], r["reason_code"]) for r in history(config)}


EXPECTED = {
    ("1", "birthday"): ("skipped", "baseline"),
    ("2", "birthday"): ("skipped", "baseline"),
    ("4", "birthday"): ("skipped", "baseline"),
    ("4", "first_deal_anniversary"): ("skipped", "merged"),
}
SAID = (
    "recorded 4 greeting(s) as handled (occasions 2026-12-01 … 2026-12-03);"
    " the next send --once sends none of them\n"
)


def test_baseline_then_send_sends_none_of_them_and_tomorrows_letter_still_goes(
    make_project: MakeProject,
) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "send", "--once", "--dry-run", "--now", NOW)
    assert code == 0, err
    due = sorted(line.split()[4] for line in out.splitlines() if line.startswith("due "))
    assert due == ["1", "2", "4"]  # without baseline the first send greets them again (the old tool did)

    code, out, err = invoke(config, "baseline", "--now", NOW)
    assert (code, out) == (0, SAID), err
    assert baselined(config) == EXPECTED
    reasons = {r["reason"] for r in history(config) if r["reason_code"] == "baseline"}
    assert reasons == {"baseline: recorded as handled (baseline at 2026-12-03 14:20 UTC)"}

    code, _, err = invoke(config, "send", "--once", "--now", NOW)
    assert code == 0, err
    assert outbox(config) == []  # none of the letters the old tool sent goes again
    code, _, err = invoke(config, "send", "--once", "--now", TOMORROW)
    assert code == 0, err
    assert outbox(config) == ["client3@example.com"]  # after --through: greeter's, when its time comes


def test_a_second_run_records_nothing_new_and_says_so(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    assert invoke(config, "baseline", "--now", NOW)[:2] == (0, SAID)
    before = history(config)
    code, out, err = invoke(config, "baseline", "--now", NOW)
    assert code == 0, err
    assert out == (
        "nothing was recorded: every greeting for an occasion through 2026-12-03 is in the journal already\n"
    )
    assert history(config) == before


def test_dry_run_lists_what_it_would_record_and_records_nothing(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--dry-run", "--now", NOW)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[5] for line in lines[:-1]] == [
        "1",
        "2",
        "4",
    ]  # would record <day> <time> <zone> <id>
    assert "birthday 2026-12-02 + first_deal_anniversary 2026-12-02" in lines[2]
    assert lines[-1] == (
        "would record 4 greeting(s) as handled (occasions 2026-12-01 … 2026-12-03);"
        " the next send --once would send none of them"
    )
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # not even a journal made


@pytest.mark.parametrize("through", ["2026-12-04", "04.12.2026", "4.12.2026"])
def test_through_takes_tomorrows_letter_too_and_nothing_after_it(
    make_project: MakeProject, through: str
) -> None:
    """``4.12.2026`` as a Russian manager types it (and the contacts' %d.%m.%Y reads it) too."""
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--through", through, "--now", NOW)
    assert code == 0, err
    assert out.startswith("recorded 5 greeting(s) as handled (occasions 2026-12-01 … 2026-12-04)")
    assert err == (  # tomorrow's letter has not left: said loudly, as greeter will never send it
        "warning: --through 2026-12-04 is after today: baseline took 1 letter(s) that leave after"
        " today as the old tool's; greeter will never send them, so the old tool must\n"
    )
    assert baselined(config) == {**EXPECTED, ("3", "birthday"): ("skipped", "baseline")}
    assert invoke(config, "send", "--once", "--now", TOMORROW)[0] == 0
    assert outbox(config) == []


@pytest.mark.parametrize(
    ("through", "said"),
    [
        ("2026/12/04", "'2026/12/04' is not a date like 2026-12-04 or 04.12.2026"),  # the day meant
        ("4.12.26", "'4.12.26' is not a date like 2027-03-15 or 15.03.2027"),  # which century?
        # The form is right, the day is none: the config's words for it (greeter.day_text).
        ("31.02.2026", "31.02.2026 is not a real date: February has no 31st"),
        ("2026-02-29", "2026-02-29 is not a real date: 2026 is not a leap year"),
        (
            "4.13.2026",
            "4.13.2026 is not a real date: there is no month 13 (dotted dates are day first: 13.04.2026?)",
        ),
    ],
)
def test_a_bad_through_is_a_usage_error(make_project: MakeProject, through: str, said: str) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--through", through, "--now", NOW)
    assert code == 2 and out == ""
    assert err.endswith(f"Error: Invalid value for '--through': {said}\n"), err
    assert not (config.parent / "data" / "journal.sqlite3").exists()


def test_the_frequency_cap_counts_a_letter_the_old_tool_sent(make_project: MakeProject) -> None:
    """One letter per 300 days (max_count 1): client 1 got the old tool's on 1 December, so the
    first-deal letter of Sunday 20 December (greeted on Friday 18th) is refused, as after a letter
    greeter sent. (Not 365 days: the first-deal letter would then give way to the next birthday,
    1 December 2027, of a higher priority — before the baseline too.)"""
    cap = {"max_count": 1, "window_days": 300}
    config = make_project([row("1", "01.12.1980", "20.12.2015")], frequency_cap=cap)
    later = ("preview", "--contact", "1", "--from", "2026-12-18", "--days", "3", "--format", "json")
    code, out, err = invoke(config, *later, "--now", "2026-12-18T09:00:00+03:00")
    assert code == 0, err
    assert [(d["occasion"], d["status"]) for d in json.loads(out)] == [("first_deal_anniversary", "send")]

    assert invoke(config, "baseline", "--now", NOW)[0] == 0
    code, out, err = invoke(config, *later, "--now", "2026-12-18T09:00:00+03:00")
    assert code == 0, err
    [draft] = json.loads(out)
    assert (draft["occasion"], draft["status"], draft["reason"]) == (
        "first_deal_anniversary",
        "skip",
        "frequency_cap",
    )


def test_preview_shows_a_baselined_greeting_as_already_sent(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    assert invoke(config, "baseline", "--now", NOW)[0] == 0
    code, out, err = invoke(
        config, "preview", "--from", "2026-12-01", "--days", "3", "--format", "json", "--now", NOW
    )
    assert code == 0, err
    seen = {
        (d["contact_id"], d["occasion"]): (d["status"], d["reason"], d["reason_code"], d["journal_state"])
        for d in json.loads(out)
    }
    # Not "sent": the journal holds it skipped, reason baseline, as history says (test_preview_baseline.py).
    assert seen[("2", "birthday")] == ("skip", "already_sent", "baseline", "skipped")
    assert seen[("4", "first_deal_anniversary")] == (
        "skip",
        "merged",
        "merged",
        "skipped",
    )  # it rode in that letter, which baseline recorded: not greeter's, skipped as history says


@pytest.fixture
def pg_url() -> Iterator[str]:
    with databases.pg_schema() as (url, _):
        yield url


def test_a_postgresql_journal_records_them_too(make_project: MakeProject, pg_url: str) -> None:
    config = make_project(PEOPLE, storage={"url": pg_url})
    code, out, err = invoke(config, "baseline", "--now", NOW)
    assert (code, out) == (0, SAID), err
    assert baselined(config) == EXPECTED
    assert invoke(config, "send", "--once", "--now", NOW)[0] == 0
    assert outbox(config) == []
    assert invoke(config, "send", "--once", "--now", TOMORROW)[0] == 0
    assert outbox(config) == ["client3@example.com"]
    assert invoke(config, "baseline", "--now", NOW)[1].startswith("nothing was recorded")
