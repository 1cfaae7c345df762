"""``send --once`` from cron sends a letter planned in a sending period's last minutes on its day.

Letters are spread over each sending period; ``send --once`` sends what is due when it runs.
A letter planned at 17:29 (the day ends at 18:00 less 30 quiet minutes) had no run between its
moment and 17:30 with a cron every 10 minutes — or every 5: the run at 17:20 (17:25) found it
not due yet, the one at 17:30 found the window closed, and it left the next working day,
belated; before a Friday cut-off on Monday; on the eve of the New Year break it expired. Now a
run less than ``LAST_CALL`` (10 minutes) before the end of the period it is in sends that
period's remaining letters at once (:func:`greeter.calendar_rules.last_call`).
"""

from __future__ import annotations

import email
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import build_calendar, last_call
from greeter.config_window import SendWindow
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter_process
from tests.test_sent_address import invoke

MSK = ZoneInfo("Europe/Moscow")
WINDOW = SendWindow()  # 10–18, lunch 13–14, Friday cut-off 15:00, 30 quiet minutes
RU = build_calendar(WINDOW, "RU", range(2026, 2029))
BIRTHDAY = {"name": "birthday", "field": "birthday", "template": "birthday", "priority": 100}
MONDAY = date(2027, 4, 12)
FRIDAY = date(2027, 4, 16)
EVE = date(2027, 12, 30)  # Thursday, the last working day before the New Year break (to 10 January)


def msk(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=MSK)


@pytest.mark.parametrize(
    ("now", "at", "expected"),
    [
        # The day's end (17:30): a run less than 10 minutes before it sends the rest.
        (msk(MONDAY, "17:20"), msk(MONDAY, "17:29"), True),
        (msk(MONDAY, "17:25"), msk(MONDAY, "17:29"), True),
        (msk(MONDAY, "17:15"), msk(MONDAY, "17:24"), False),  # the 17:20 and 17:25 runs come
        (msk(MONDAY, "17:30"), msk(MONDAY, "17:31"), False),  # closed: nothing to send into
        # Lunch (13:00) and the Friday cut-off (15:00 less 30 minutes) end periods too.
        (msk(MONDAY, "12:50"), msk(MONDAY, "12:57"), True),
        (msk(MONDAY, "12:50"), msk(MONDAY, "14:05"), False),  # after lunch: its own period
        (msk(FRIDAY, "14:20"), msk(FRIDAY, "14:25"), True),
        (msk(MONDAY, "14:20"), msk(MONDAY, "14:25"), False),  # no cut-off on a Monday
        (msk(EVE, "14:21"), msk(EVE, "14:29"), True),
        # Another zone's day: Kaliningrad's end is 18:30 in Moscow.
        (msk(MONDAY, "18:20"), msk(MONDAY, "18:28"), False),
    ],
)
def test_last_call_table(now: datetime, at: datetime, expected: bool) -> None:
    assert last_call(at, now, MSK, WINDOW, RU) is expected


def test_last_call_in_the_recipients_zone() -> None:
    kaliningrad = ZoneInfo("Europe/Kaliningrad")
    assert last_call(msk(MONDAY, "18:28"), msk(MONDAY, "18:20"), kaliningrad, WINDOW, RU)
    assert not last_call(msk(MONDAY, "17:28"), msk(MONDAY, "17:20"), kaliningrad, WINDOW, RU)


def subject_of(eml: Path) -> str:
    return str(make_header(decode_header(email.message_from_bytes(eml.read_bytes())["Subject"])))


#: (contact id, birthday, its letter's spread moment, the cron runs, when it leaves or "expired").
#: The ids are chosen so that the spread puts the letter in the last minutes before an end.
CASES = [
    # 17:29:16 Monday; a cron every 10 minutes: it used to leave on Tuesday 10:00, belated.
    ("129", "12.04.1980", msk(MONDAY, "17:29"), ["17:10", "17:20", "17:30"], msk(MONDAY, "17:20")),
    # A cron every 5 minutes did no better: 17:25 was still before 17:29:16.
    ("129", "12.04.1980", msk(MONDAY, "17:29"), ["17:20", "17:25", "17:30"], msk(MONDAY, "17:20")),
    # 14:25:19 before the Friday cut-off: it used to wait for Monday, belated.
    ("9", "16.04.1980", msk(FRIDAY, "14:25"), ["14:10", "14:20", "14:30"], msk(FRIDAY, "14:20")),
    # 12:56:50 before lunch: it used to leave at 14:00 (on its day all the same).
    ("80", "12.04.1980", msk(MONDAY, "12:56"), ["12:40", "12:50", "13:00"], msk(MONDAY, "12:50")),
    # A 2 January birthday greeted at 14:24:41 on 30 December: it used to expire (the next
    # window, 10 January, is more than catch_up_days after it).
    ("28", "02.01.1979", msk(EVE, "14:24"), ["14:10", "14:20", "14:30"], msk(EVE, "14:20")),
]


#: How a scenario runs a greeter command: (exit code, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]


def in_subprocess(config: Path, *args: str) -> tuple[int, str, str]:
    """``python -m greeter`` in a process of its own, as cron runs it."""
    result = greeter_process(config, *args)
    return result.returncode, result.stdout, result.stderr


def cron_day(run: Run, config: Path, moment: datetime, runs: list[str], leaves: datetime) -> None:
    """The morning run names the letter's moment, the cron ``runs`` of its day send it at ``leaves``,
    and the next working day's run sends nothing more: one letter, sent on its day, not belated."""
    day = moment.date()
    code, out, err = run(config, "send", "--once", "--now", msk(day, "09:00").isoformat())
    assert f"next letter due {day} {moment:%H:%M}" in out, out + err
    for hhmm in runs:
        code, out, err = run(config, "send", "--once", "--now", msk(day, hhmm).isoformat())
        assert code == 0, out + err
    after = msk(RU.next_working_day(day), "10:00").isoformat()
    code, out, err = run(config, "send", "--once", "--now", after)
    assert code == 0, out + err
    code, out, err = run(config, "history", "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    # Sent by the run at ``leaves``, not the next one (5 or 10 minutes on) nor the next day. Its
    # stamp is the server's answer on a clock that ``--now`` starts and real time moves: a loaded
    # machine took more than a second from start to answer (14:20:01 for 14:20:00).
    sent_at = datetime.fromisoformat(row["sent_at"])
    assert row["state"] == "sent" and leaves <= sent_at < leaves + timedelta(minutes=1), row
    (eml,) = (config.parent / "data" / "outbox").glob("*.eml")
    assert "прошедш" not in subject_of(eml)  # on its day, not worded as belated


@pytest.mark.parametrize(("cid", "birthday", "moment", "runs", "leaves"), CASES)
def test_a_cron_every_ten_minutes_sends_the_letter_on_its_day(
    make_project: MakeProject, cid: str, birthday: str, moment: datetime, runs: list[str], leaves: datetime
) -> None:
    """Every case through the real command, in this process (the CLI, its SQLite journal, the outbox):
    a subprocess each run made this module take 90 s; one case runs as cron runs it, below."""
    config = make_project([contact_row(cid, "c@example.com", birthday=birthday)], occasions=[BIRTHDAY])
    cron_day(invoke, config, moment, runs, leaves)


def test_a_cron_every_ten_minutes_in_processes_of_its_own(make_project: MakeProject) -> None:
    """The first case as cron runs it: each ``send --once`` a ``python -m greeter`` of its own."""
    cid, birthday, moment, runs, leaves = CASES[0]
    config = make_project([contact_row(cid, "c@example.com", birthday=birthday)], occasions=[BIRTHDAY])
    cron_day(in_subprocess, config, moment, runs, leaves)


def test_a_run_more_than_ten_minutes_before_the_end_still_waits(make_project: MakeProject) -> None:
    """An hourly cron is not enough: the 17:00 run is half an hour before the end."""
    config = make_project([contact_row("129", "c@example.com", birthday="12.04.1980")], occasions=[BIRTHDAY])
    code, out, err = invoke(config, "send", "--once", "--now", msk(MONDAY, "17:00").isoformat())
    assert "sent: 0" in out and f"next letter due {MONDAY} 17:29" in out, out
    code, out, err = invoke(config, "history", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == []
