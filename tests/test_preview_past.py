"""``preview --from`` a date greeter never planned says so, and where to look — not only «nothing planned».

The account manager's «why did I get nothing on my birthday»: a birthday on 10 March, the
journal's first run on 14 April. ``preview --from 2027-03-01`` said «nothing planned in this
range», as if greeter had looked at those days; ``history`` was where the answer was. Real sends
(``send --once --now``, the file transport) into a real SQLite journal, then ``preview``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.preview_past import before_planning
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter

MOSCOW = ZoneInfo("Europe/Moscow")
LATER = "2027-04-21T11:00:00+03:00"
ROWS = [
    contact_row("1", "one@example.com", birthday="13.04.1980"),
    contact_row("4", "four@example.com", birthday="10.03.1980", first="Анна", patronymic="Ивановна"),
]


@pytest.fixture
def journal(make_project: MakeProject) -> Path:
    config = make_project(ROWS)
    run = greeter(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00")
    assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    return config


def test_a_range_before_the_first_run_says_so_and_where_to_look(journal: Path) -> None:
    run = greeter(journal, "preview", "--from", "2027-03-01", "--days", "20", "--now", LATER)
    assert run.returncode == 0, run.stderr
    assert "nothing planned in this range" in run.stdout  # the plan is empty: true, and said why
    note = " ".join(run.stderr.split())
    assert "greeter plans each occasion from 2027-04-11 on (its journal's first run" in note, note
    assert "nothing is shown for this range" in note
    assert "greeter history --since 2027-03-01 --until 2027-03-20" in note
    # JSON stays the plan (DESIGN §3), the note on stderr
    run = greeter(journal, "preview", "--from", "2027-03-01", "--days", "20", "--now", LATER, "--json")
    assert json.loads(run.stdout) == [] and "greeter history --since 2027-03-01" in run.stderr


def test_a_range_across_the_first_run_shows_its_letters_and_names_the_days_before(journal: Path) -> None:
    run = greeter(journal, "preview", "--from", "2027-03-01", "--days", "50", "--now", LATER, "--json")
    assert [(i["contact_id"], i["status"]) for i in json.loads(run.stdout)] == [("1", "sent")]
    assert "nothing is shown for the days 2027-03-01 … 2027-04-10 of this range" in " ".join(
        run.stderr.split()
    )


def test_a_range_greeter_planned_has_no_note(journal: Path) -> None:
    run = greeter(journal, "preview", "--from", "2027-04-12", "--days", "5", "--now", LATER)
    assert run.returncode == 0 and "sent" in run.stdout
    assert "greeter plans" not in run.stderr and "greeter history" not in run.stderr


def test_without_a_journal_it_says_what_a_first_send_would_plan(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    run = greeter(config, "preview", "--from", "2027-03-01", "--days", "20", "--now", LATER)
    note = " ".join(run.stderr.split())
    assert (
        "greeter has not planned from this config's journal yet: a first send now would plan each occasion from 2027-04-18 on"
        in note
    ), note
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # preview made none


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00+03:00")


@pytest.mark.parametrize(
    ("first", "last", "since", "said"),
    [
        # no start after the range's first day, or none recorded (a journal older than the rule)
        ("2027-04-11", "2027-04-30", {"birthday": at("2027-04-11")}, None),
        ("2027-03-01", "2027-03-20", {"birthday": None}, None),
        # the whole range before the start
        (
            "2027-03-01",
            "2027-03-20",
            {"birthday": at("2027-04-11"), "new_year": at("2027-04-11")},
            "greeter plans each occasion from 2027-04-11 on (its journal's first run, less catch_up_days, or the"
            " day it came into the config): nothing is shown for this range",
        ),
        # a range across it: the days before it named
        ("2027-03-01", "2027-04-20", {"birthday": at("2027-04-11")}, "the days 2027-03-01 … 2027-04-10 of"),
        # an occasion added to the config later: only it is named
        (
            "2027-03-01",
            "2027-03-20",
            {"birthday": at("2027-01-01"), "womens_day": at("2027-04-11")},
            "greeter plans womens_day from 2027-04-11 on",
        ),
        # two starts: each named, the days up to the later one
        (
            "2027-03-01",
            "2027-06-30",
            {"birthday": at("2027-04-11"), "womens_day": at("2027-05-02")},
            "birthday from 2027-04-11; womens_day from 2027-05-02 on (its journal's first run, less catch_up_days,"
            " or the day it came into the config): nothing is shown for the days 2027-03-01 … 2027-05-01",
        ),
        # the start's day on the office's clock: 23:30 UTC on 10 April is 11 April in Moscow
        (
            "2027-03-01",
            "2027-03-20",
            {"birthday": datetime(2027, 4, 10, 23, 30, tzinfo=UTC)},
            "from 2027-04-11",
        ),
    ],
)
def test_the_note_names_the_days_never_planned(
    first: str, last: str, since: dict[str, datetime | None], said: str | None
) -> None:
    note = before_planning(date.fromisoformat(first), date.fromisoformat(last), since, MOSCOW, journal=True)
    if said is None:
        assert note is None
    else:
        assert note is not None and said in note, note


def test_a_letter_that_left_in_the_range_for_an_earlier_occasion_keeps_its_subject(journal: Path) -> None:
    """The birthday of the 13th left on the 14th: a range of the 14th lists it as sent — with the
    subject the journal kept, as a range holding the 13th shows it (it was empty: the subjects were
    read for the range's occasion days only)."""
    wanted = "Иван Петрович, с прошедшим днём рождения!"
    for start in ("2027-04-13", "2027-04-14"):
        run = greeter(journal, "preview", "--from", start, "--days", "1", "--now", LATER, "--json")
        sent = [i for i in json.loads(run.stdout) if i["status"] == "sent"]
        assert [(i["contact_id"], i["subject"]) for i in sent] == [("1", wanted)], start
