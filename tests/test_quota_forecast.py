"""The daily quota against the plan: ``check`` and ``preview`` say which days it cannot send.

A hosted provider's ``delivery.rate_limit.per_day: 500`` against 5,145 New Year
letters on one day: ``check`` exited 0, ``preview`` planned them all for that
day, and ~4,600 clients got no letter. :func:`~greeter.quota_plan.quota_forecast`
(pure, tables here) says per day how many are planned, how many go, and which of
the rest go later or expire; ``check`` warns (``--strict`` fails) and
``preview`` notes it on stderr and marks each held letter (``quota_held``) in its
JSON — end to end on a real project (60 contacts, ``per_day`` 5).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from greeter.quota_plan import QuotaDay, QuotaLetter, held_back, quota_day_words, quota_forecast
from tests.conftest import MakeProject
from tests.tables import table_rows
from tests.test_send_e2e import NOW, greeter, people

MSK = ZoneInfo("Europe/Moscow")
D29 = date(2026, 12, 29)


def letter(cid: str, day: date, ends: date, occasion: str = "new_year", priority: int = 60) -> QuotaLetter:
    deadline = datetime(ends.year, ends.month, ends.day, tzinfo=MSK)
    return QuotaLetter((cid, occasion, date(2027, 1, 1)), day, deadline, (priority,))


def day(n: int) -> date:
    return D29 + timedelta(days=n)


@pytest.mark.parametrize(
    ("letters", "per_day", "expected"),
    [
        # within the quota: nothing to say
        ([letter("1", day(0), day(5)), letter("2", day(0), day(5))], 2, []),
        ([], 5, []),
        # 3 planned, 2 go: the one left has time tomorrow (later), goes then
        (
            [letter(str(i), day(0), day(5)) for i in range(1, 4)],
            2,
            [(day(0), 3, 0, ["3"], [])],
        ),
        # its catch-up ends at midnight: it expires, and the earliest deadline goes first
        (
            [letter("1", day(0), day(5)), letter("2", day(0), day(1)), letter("3", day(0), day(1))],
            2,
            [(day(0), 3, 0, ["1"], [])],
        ),
        (
            [letter("1", day(0), day(1)), letter("2", day(0), day(1)), letter("3", day(0), day(1))],
            2,
            [(day(0), 3, 0, [], ["3"])],
        ),
        # held back on the 29th, it goes first on the 30th (its deadline is earlier)
        (
            [letter("1", day(0), day(2)), letter("2", day(0), day(2)), letter("3", day(1), day(5))],
            1,
            [(day(0), 2, 0, ["2"], []), (day(1), 1, 1, ["3"], [])],
        ),
        # …unless the 30th's letter ends as soon and has the higher priority: then it expires there
        (
            [letter("1", day(0), day(2)), letter("2", day(0), day(2)), letter("3", day(1), day(2), "b", 100)],
            1,
            [(day(0), 2, 0, ["2"], []), (day(1), 1, 1, [], ["2"])],
        ),
    ],
)
def test_quota_forecast_days_over_the_quota_and_the_fate_of_the_rest(
    letters: list[QuotaLetter],
    per_day: int,
    expected: list[tuple[date, int, int, list[str], list[str]]],
) -> None:
    got = quota_forecast(letters, per_day, MSK)
    assert [
        (d.day, d.planned, d.carried, [k[0] for k in d.later], [k[0] for k in d.expire]) for d in got
    ] == expected
    assert all(d.allowed == per_day for d in got)


def test_quota_words_say_planned_allowed_and_what_becomes_of_the_rest() -> None:
    held = QuotaDay(
        D29,
        5145,
        0,
        500,
        later=(("1", "birthday", D29),),
        expire=tuple((str(i), "new_year", date(2027, 1, 1)) for i in range(4644)),
    )
    words = quota_day_words(held)
    assert words == (
        "29.12.2026: 5145 letters planned, delivery.rate_limit.per_day lets 500 through; 4645 held"
        " back (new_year 4644, birthday 1): 1 go on a later day if the quota has room then;"
        " 4644 expire (their catch-up period ends first)"
    )
    assert held_back([held])[("1", "birthday", D29)] == (D29, "later")


def quota_project(make_project: MakeProject, per_day: int | None = 5) -> object:
    """60 clients whose birthday was yesterday (catch_up_days 3: the letters may leave until 17.04)."""
    rate = {"per_second": None, "per_day": per_day}
    return make_project(people(60, day="13.04.1980"), delivery={"transport": "file", "rate_limit": rate})


def test_check_warns_of_the_days_over_the_quota_and_strict_fails(make_project: MakeProject) -> None:
    config = quota_project(make_project)
    result = greeter(config, "check", "--now", NOW)  # type: ignore[arg-type]
    said = result.stdout + result.stderr
    assert "delivery.rate_limit.per_day" in said, said
    assert "14.04.2027: 60 letters planned, delivery.rate_limit.per_day lets 5 through; 55 held back" in said
    assert "45 expire (their catch-up period ends first)" in said, said
    strict = greeter(config, "check", "--strict", "--now", NOW)  # type: ignore[arg-type]
    assert strict.returncode != 0, strict.stdout + strict.stderr
    unlimited = quota_project(make_project, per_day=None)
    plain = greeter(unlimited, "check", "--now", NOW)  # type: ignore[arg-type]
    assert "lets" not in plain.stdout + plain.stderr


def test_preview_notes_the_quota_and_marks_the_held_letters_in_json(make_project: MakeProject) -> None:
    config = quota_project(make_project)
    args = ("preview", "--days", "5", "--now", NOW)
    table = greeter(config, *args)  # type: ignore[arg-type]
    assert table.returncode == 0, table.stderr
    assert "note: 14.04.2027: 60 letters planned" in table.stderr
    assert "note: 16.04.2027: 0 letters planned (and 50 held back before)" in table.stderr, table.stderr
    out = greeter(config, *args, "--format", "json")  # type: ignore[arg-type]
    assert out.returncode == 0, out.stderr
    entries = json.loads(out.stdout)
    held = [e["quota_held"] for e in entries if e["quota_held"] is not None]
    assert len(held) == 55 and all("quota_held" in e for e in entries)
    fates = sorted(h["fate"] for h in held)
    assert fates.count("expires") == 45 and fates.count("later") == 10
    assert {h["day"] for h in held if h["fate"] == "expires"} == {"2027-04-16"}


def test_preview_table_says_of_each_held_letter_what_its_json_says(make_project: MakeProject) -> None:
    """QA: the table said "send (belated)" of a letter whose JSON said ``quota_held {fate: expires}``
    and "send" of others that went "later"; only a note on stderr told. A held letter's status is
    now what its JSON says; the summary counts them apart from what goes."""
    config = quota_project(make_project)
    args = ("preview", "--days", "5", "--now", NOW)
    table = greeter(config, *args, "--format", "json")  # type: ignore[arg-type]
    fates = {
        (e["contact_id"], e["quota_held"]["fate"] if e["quota_held"] else None)
        for e in json.loads(table.stdout)
        if e["status"] == "send"
    }
    shown = greeter(config, *args)  # type: ignore[arg-type]
    assert shown.returncode == 0, shown.stderr
    rows = {}
    for cells in table_rows(shown.stdout, "send at"):
        if cells[1][:1].isdigit():
            rows[cells[1].split()[0]] = cells[-1]
    for contact, fate in fates:
        assert rows[contact] == (f"held by quota ({fate})" if fate else "send (belated)"), (contact, rows)
    summary = shown.stdout.strip().splitlines()[-1]
    assert "send: 5" in summary and "held by quota (later): 10" in summary, summary
    assert "held by quota (expires): 45" in summary, summary
