"""The quota forecast moves held letters only to days their recipient's send window opens.

An operator in the year-end rush (RU clients, ``per_day: 10``) read "позже: 40 · не уйдут: 70"
while some 100 letters were lost: the forecast gave the quota's slots of Saturday 12.12 and of
the New Year days off (31.12–02.01) to letters held back, though a letter can only go when its
recipient's window is open (working day in their country, working hours, the Friday cut-off,
the quiet minutes) and before its deadline. Pure tables on real calendars
(:func:`~greeter.calendar_rules.build_calendar`), then ``check`` on a real project whose
birthdays fall on a Friday.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import build_calendar
from greeter.config_window import SendWindow
from greeter.quota_plan import QuotaLetter, quota_forecast, window_opener
from tests.conftest import MakeProject
from tests.test_gallery_quota import heading
from tests.test_send_e2e import greeter, people

MSK = ZoneInfo("Europe/Moscow")
LONDON = ZoneInfo("Europe/London")
WINDOW = SendWindow()  # Monday to Friday, 10:00–18:00, lunch 13–14, cut-off 15:00, 30 quiet minutes
RU = window_opener(MSK, WINDOW, build_calendar(WINDOW, "RU", range(2026, 2028)))
GB = window_opener(LONDON, WINDOW, build_calendar(WINDOW, "GB", range(2026, 2028)))

FRI = date(2026, 12, 11)  # the Saturday after it, 12.12, is a day off
MON = date(2026, 12, 14)
EVE = date(2026, 12, 30)  # Russia's last working day of 2026: 31.12–10.01 are days off
BACK = date(2027, 1, 11)
FRI_2027 = date(2027, 4, 16)


def letter(cid: str, day: date, ends: date, opens: object = RU) -> QuotaLetter:
    deadline = datetime(ends.year, ends.month, ends.day, tzinfo=MSK)
    return QuotaLetter((cid, "birthday", day), day, deadline, (100,), opens=opens)  # type: ignore[arg-type]


Row = tuple[date, int, int, list[str], list[str]]


@pytest.mark.parametrize(
    ("letters", "per_day", "expected"),
    [
        # Held on Friday, its catch-up ends Sunday night: Saturday's slot is no slot for it — lost.
        (
            [letter(str(i), FRI, date(2026, 12, 14)) for i in range(1, 4)],
            2,
            [(FRI, 3, 0, [], ["3"])],
        ),
        # With time until Tuesday it waits for Monday, and takes a Monday slot from Monday's own.
        (
            [letter(str(i), FRI, date(2026, 12, 16)) for i in range(1, 4)]
            + [letter(str(i), MON, date(2026, 12, 18)) for i in range(4, 6)],
            2,
            [(FRI, 3, 0, ["3"], []), (MON, 2, 1, ["5"], [])],
        ),
        # The eve of the New Year break: 31.12–10.01 are no days for RU letters; those ending on
        # 03.01 are lost, those ending on 13.01 wait for the 11th, one a day.
        (
            [
                letter("1", EVE, date(2027, 1, 13)),
                letter("2", EVE, date(2027, 1, 13)),
                letter("3", EVE, date(2027, 1, 3)),
                letter("4", EVE, date(2027, 1, 3)),
            ],
            1,
            [(EVE, 4, 0, ["1", "2"], ["4"]), (BACK, 0, 2, ["2"], [])],
        ),
        # Each recipient's own calendar: 31.12 is a working day in London, not in Moscow.
        (
            [
                letter("1", EVE, date(2027, 1, 5)),
                letter("2", EVE, date(2027, 1, 5), GB),
                letter("3", EVE, date(2027, 1, 2)),
            ],
            1,
            [(EVE, 3, 0, ["2"], ["1"])],
        ),
    ],
)
def test_held_letters_move_only_to_days_their_window_opens(
    letters: list[QuotaLetter], per_day: int, expected: list[Row]
) -> None:
    got = quota_forecast(letters, per_day, MSK)
    assert [
        (d.day, d.planned, d.carried, [k[0] for k in d.later], [k[0] for k in d.expire]) for d in got
    ] == expected


def test_check_counts_no_slot_on_the_weekend(make_project: MakeProject) -> None:
    """30 birthdays on Friday 16.04.2027 (catch_up_days 3: they may leave until 20.04 00:00),
    ``per_day`` 10: 10 go on Friday, 10 on Monday, 10 are lost — none go on the weekend."""
    rate = {"per_second": None, "per_day": 10}
    config = make_project(people(30, day="16.04.1980"), delivery={"transport": "file", "rate_limit": rate})
    result = greeter(config, "check", "--now", "2027-04-16T09:00:00+03:00")
    said = result.stdout + result.stderr
    assert "16.04.2027: 30 letters planned, delivery.rate_limit.per_day lets 10 through; 20 held back" in said
    assert "20 go on a later day if the quota has room then" in said, said
    assert "17.04.2027" not in said and "18.04.2027" not in said, said
    assert "19.04.2027: 0 letters planned (and 20 held back before)" in said, said
    assert "10 expire (their catch-up period ends first)" in said, said


def test_the_gallery_note_counts_no_slot_on_the_weekend(make_project: MakeProject, tmp_path: Path) -> None:
    """The same Friday in the gallery's heading: 10 of the 20 held go on Monday, 10 are lost."""
    rate = {"per_second": None, "per_day": 10}
    config = make_project(people(30, day="16.04.1980"), delivery={"transport": "file", "rate_limit": rate})
    out = tmp_path / "gallery"
    args = ("--days", "5", "--now", "2027-04-16T09:00:00+03:00", "--format", "html", "--out", str(out))
    run = greeter(config, "preview", *args)
    assert run.returncode == 0, run.stderr
    index = (out / "index.html").read_text()
    assert ">по квоте уйдут: 10 из 30 · позже: 10 · не уйдут: 10<" in heading(index, FRI_2027), index[:3000]
