"""A letter ``day_off_policy: on_day`` puts on a day off leaves on that day, and what catch-up counts from.

1. With ``on_day`` a Sunday birthday is greeted on Sunday, inside that day's hours. Preview
   showed it there, but the window checks (``in_window``, ``next_window_open``) knew only
   working days: a run after its moment moved it to Monday 10:00, worded as belated, and
   the batch's last check before a claim would have called it ``window_closed``. The day off
   now opens for the letters planned on it — and only for them.
2. A letter missed in downtime is sent while the next window is within ``catch_up_days``
   (calendar days, as README's examples count them) of the later of the day it was meant for
   (the occasion's day less ``days_before``) and the day a day off moved it to. A 5 January
   birthday missed on 30 December is still expired on 11 January (6 days), but the reason
   names the day it counts from: "more than 3 days later" read as counted from 30 December.
"""

from __future__ import annotations

import email
import json
import re
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import build_calendar, in_window, next_window_open
from greeter.config import Settings
from greeter.config_loader import parse_settings
from greeter.config_window import SendWindow
from greeter.contacts import Contact
from greeter.plan_types import PlanItem
from greeter.planner import plan, plan_window
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_send_e2e import greeter, history

MSK = ZoneInfo("Europe/Moscow")
WINDOW = SendWindow(day_off_policy="on_day")  # 10–18, lunch 13–14, Friday cut-off 15:00, 30 quiet minutes
RU = build_calendar(WINDOW, "RU", range(2026, 2029))
SUNDAY = date(2027, 2, 28)  # where a 29 February birthday falls in 2027 (leap_day: feb28)
WORKING_SATURDAY = date(2027, 2, 20)  # a Saturday Russia works (transferred): greeter does not


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=MSK)


MONDAY = date(2027, 3, 1)
POST_HOLIDAY = date(2027, 2, 24)  # the first working day after 20–23 February


@pytest.mark.parametrize(
    ("now", "letter_day", "expected"),
    [
        # The letter planned on the Sunday finds Sunday's window open, lunch and end margin kept.
        (at(SUNDAY, "11:18"), SUNDAY, at(SUNDAY, "11:18")),
        (at(SUNDAY, "08:00"), SUNDAY, at(SUNDAY, "10:00")),
        (at(SUNDAY, "13:30"), SUNDAY, at(SUNDAY, "14:00")),
        (at(SUNDAY, "17:29"), SUNDAY, at(SUNDAY, "17:29")),
        (at(SUNDAY, "17:30"), SUNDAY, at(MONDAY, "10:00")),  # the quiet half hour: Monday
        # Any other letter still waits for a working day.
        (at(SUNDAY, "11:18"), None, at(MONDAY, "10:00")),
        (at(SUNDAY, "11:18"), MONDAY, at(MONDAY, "10:00")),
        (at(SUNDAY - timedelta(days=1), "12:00"), SUNDAY, at(SUNDAY, "10:00")),  # Saturday is not Sunday
        # A transferred working Saturday: its day's hours, ended by the cut-off before Sunday.
        (at(WORKING_SATURDAY, "11:00"), WORKING_SATURDAY, at(WORKING_SATURDAY, "11:00")),
        (at(WORKING_SATURDAY, "14:29"), WORKING_SATURDAY, at(WORKING_SATURDAY, "14:29")),
        (at(WORKING_SATURDAY, "14:30"), WORKING_SATURDAY, at(POST_HOLIDAY, "10:00")),
        (at(WORKING_SATURDAY, "11:00"), None, at(POST_HOLIDAY, "10:00")),
        # A working day is open for every letter, whatever day it was planned on.
        (at(MONDAY, "11:00"), SUNDAY, at(MONDAY, "11:00")),
    ],
)
def test_next_window_open_opens_a_day_off_for_the_letter_planned_on_it(
    now: datetime, letter_day: date | None, expected: datetime
) -> None:
    got = next_window_open(now, MSK, WINDOW, RU, letter_day)
    assert got == expected
    assert in_window(now, MSK, WINDOW, RU, letter_day) is (got == now)


CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Europe/Moscow, country: RU}
contacts:
  path: c.csv
  dates: {birthday: B}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 14}
send_window:
  day_off_policy: POLICY
catch_up_days: 3
"""


def settings(policy: str = "before", days_before: int = 0) -> Settings:
    text = CONFIG.replace("POLICY", policy)
    if days_before:
        text = text.replace("priority: 100}", f"priority: 100, days_before: {days_before}}}")
    return parse_settings(text, "g.yaml", today=TODAY)


def planned(s: Settings, birthday: date, now: datetime) -> PlanItem:
    """The birthday's plan item as a run at ``now`` sees it (nothing journaled: every moment
    before ``now`` went unsent, as in downtime)."""
    c = Contact(
        id="1",
        email="a@example.com",
        first_name="Иван",
        patronymic="Петрович",
        timezone=None,
        dates=MappingProxyType({"birthday": birthday}),
    )
    today = now.date()
    pw = plan_window(s, now=now, start=today - timedelta(days=20), days=60)
    (item,) = [i for i in plan([c], pw) if i.hit.occasion == "birthday"]
    return item


def moment_of(s: Settings, birthday: date, day: date) -> datetime:
    """The letter's spread moment on ``day``, as a run that morning plans it."""
    item = planned(s, birthday, at(day, "09:00"))
    assert item.send_at is not None and item.send_at.date() == day, item
    return item.send_at


@pytest.mark.parametrize(
    ("birthday", "now", "send_at", "belated"),
    [
        # Seen weeks ahead and that morning: Sunday, on its day, inside Sunday's window.
        (date(1984, 2, 29), at(date(2027, 2, 1), "09:00"), SUNDAY, False),
        (date(1984, 2, 29), at(SUNDAY, "09:00"), SUNDAY, False),
        # A run a minute (or hours) after its moment, the window still open: now, on its day.
        (date(1984, 2, 29), timedelta(minutes=1), timedelta(minutes=1), False),
        (date(1984, 2, 29), at(SUNDAY, "17:29"), at(SUNDAY, "17:29"), False),
        # Sunday's window over unsent (downtime): Monday, belated — as any missed letter.
        (date(1984, 2, 29), at(SUNDAY, "17:45"), at(MONDAY, "10:00"), True),
        # The transferred working Saturday the same way.
        (date(1980, 2, 20), at(WORKING_SATURDAY, "09:00"), WORKING_SATURDAY, False),
        (date(1980, 2, 20), timedelta(minutes=1), timedelta(minutes=1), False),
        (date(1980, 2, 20), at(WORKING_SATURDAY, "14:29"), at(WORKING_SATURDAY, "14:29"), False),
    ],
)
def test_on_day_a_letter_on_a_day_off_leaves_that_day_not_late(
    birthday: date, now: datetime | timedelta, send_at: date | datetime | timedelta, belated: bool
) -> None:
    """``now``/``send_at`` as a timedelta: that long after the letter's own moment."""
    s = settings("on_day")
    day = SUNDAY if birthday.month == 2 and birthday.day == 29 else WORKING_SATURDAY
    if isinstance(now, timedelta):
        now = moment_of(s, birthday, day) + now
    if isinstance(send_at, timedelta):
        send_at = now
    item = planned(s, birthday, now)
    assert item.status == "send", item
    assert item.send_at is not None
    if isinstance(send_at, datetime):
        assert item.send_at == send_at
    else:
        assert item.send_at.date() == send_at and item.send_at >= now
    if item.send_at.date() == day:
        # Inside the window the send checks for this letter (and only for it).
        assert in_window(item.send_at, MSK, WINDOW, RU, day)
        assert not in_window(item.send_at, MSK, WINDOW, RU)
    assert item.belated is belated


NEW_YEAR_RUN = at(date(2026, 12, 31), "12:00")  # down on 30 December, the break's eve
AFTER_BREAK = at(date(2027, 1, 11), "12:00")  # down through the New Year break
FEB_FRIDAY_EVENING = at(date(2027, 2, 19), "16:00")  # down from Friday 19 February's window on
FEB_RUN = at(POST_HOLIDAY, "12:00")  # back on Wednesday 24 February


def expired_after(anchor: str, window: str = "11.01", whose: str = "the day it was meant for") -> str:
    return f"missed; the next window ({window}) is more than 3 days after {anchor}, {whose}"


@pytest.mark.parametrize(
    ("birthday", "now", "days_before", "status", "detail_or_day"),
    [
        # day_off_policy before, catch_up_days 3, Russia. Planned for 30 December, missed; the next
        # window is 11 January. Counted from the later of the planned day and the day it was
        # meant for: 31 December is 11 days back, 5 January 6: expired, and the reason names it.
        (date(1965, 12, 31), NEW_YEAR_RUN, 0, "expired", expired_after("31.12")),
        (date(1970, 1, 1), NEW_YEAR_RUN, 0, "expired", expired_after("01.01")),
        (date(1970, 1, 5), NEW_YEAR_RUN, 0, "expired", expired_after("05.01")),
        (date(1970, 1, 7), NEW_YEAR_RUN, 0, "expired", expired_after("07.01")),  # 4 days
        # 8–10 January: the 11th is within 3 days of them, so the missed letter still leaves.
        (date(1970, 1, 8), NEW_YEAR_RUN, 0, "send", date(2027, 1, 11)),
        (date(1970, 1, 10), NEW_YEAR_RUN, 0, "send", date(2027, 1, 11)),
        (date(1970, 1, 8), AFTER_BREAK, 0, "send", date(2027, 1, 11)),
        # days_before: counted from the day the letter was meant for (the 11th less 3 = the 8th).
        (date(1970, 1, 11), NEW_YEAR_RUN, 3, "send", date(2027, 1, 11)),
        (date(1970, 1, 11), NEW_YEAR_RUN, 4, "expired", expired_after("07.01")),
        # A Friday outage before 20–23 February: 20 February is 4 days before the 24th.
        (date(1980, 2, 20), FEB_FRIDAY_EVENING, 0, "expired", expired_after("20.02", "24.02")),
        (date(1980, 2, 21), FEB_FRIDAY_EVENING, 0, "send", POST_HOLIDAY),
        (date(1980, 2, 23), FEB_FRIDAY_EVENING, 0, "send", POST_HOLIDAY),
        (date(1980, 2, 19), FEB_RUN, 0, "expired", "more than 3 days ago"),
        (date(1980, 2, 21), FEB_RUN, 0, "send", POST_HOLIDAY),
    ],
)
def test_catch_up_counts_from_the_later_of_the_planned_day_and_the_day_it_was_meant_for(
    birthday: date, now: datetime, days_before: int, status: str, detail_or_day: str | date
) -> None:
    item = planned(settings("before", days_before), birthday, now)
    if status == "expired":
        assert (item.status, item.reason, item.detail) == ("skip", "expired", detail_or_day), item
    else:
        assert item.status == "send", item
        assert item.send_at is not None and item.send_at.date() == detail_or_day
        assert item.belated is (detail_or_day > item.hit.date)


def test_with_after_the_reason_names_the_day_a_day_off_moved_it_to() -> None:
    """``after`` moves a 5 January birthday to 11 January: catch-up counts from that day, and the
    reason of one missed there says so (the day it was meant to leave)."""
    late = planned(settings("after"), date(1970, 1, 5), at(date(2027, 1, 15), "12:00"))
    assert (late.status, late.reason) == ("skip", "expired")
    assert late.detail == "more than 3 days after 11.01, the day it was meant to leave"


# End to end: the CLI, the real SQLite journal, transport: file.


def subject_of(eml: Path) -> str:
    return str(make_header(decode_header(email.message_from_bytes(eml.read_bytes())["Subject"])))


def test_send_once_delivers_the_sunday_letter_on_sunday_not_belated(make_project: MakeProject) -> None:
    """The QA's case: 29 February 1984 → Sunday 28 February 2027 with ``on_day``. The run at 09:00
    names the letter's moment that day (the daemon wakes then); a run a minute after it sends it,
    worded for the day — it used to say "0 due, next 2027-03-01 10:00" and go belated on Monday."""
    row = contact_row("2013", "ru2@example.com", first="Мария", patronymic="Ивановна", birthday="29.02.1984")
    config = make_project([row], send_window={"day_off_policy": "on_day"}, occasions=[BIRTHDAY])
    morning = greeter(config, "send", "--once", "--now", "2027-02-28T09:00+03:00")
    assert morning.returncode == 0, morning.stdout + morning.stderr
    found = re.search(
        r"next letter due 2027-02-28 (\d\d):(\d\d):(\d\d) MSK \(2013 birthday\)", morning.stdout
    )
    assert found, morning.stdout
    moment = datetime(2027, 2, 28, *map(int, found.groups()), tzinfo=MSK)
    assert in_window(moment, MSK, WINDOW, RU, SUNDAY)
    late = (moment + timedelta(minutes=1)).isoformat()
    dry = greeter(config, "send", "--once", "--dry-run", "--now", late)
    assert "1 greeting(s) due" in dry.stdout, dry.stdout + dry.stderr
    run = greeter(config, "send", "--once", "--now", late)
    assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    assert "window_closed" not in run.stdout
    (row_,) = history(config)
    assert (row_["state"], row_["occasion_date"]) == ("sent", "2027-02-28"), row_
    (eml,) = (config.parent / "data" / "outbox").glob("*.eml")
    assert subject_of(eml) == "Мария Ивановна, с днём рождения!"


BIRTHDAY = {"name": "birthday", "field": "birthday", "template": "birthday", "priority": 100}


def test_send_once_after_the_new_year_break_sends_what_catch_up_still_covers(
    make_project: MakeProject,
) -> None:
    """The QA's case: runs on 29 December at 09:00 and on the 31st (a day off) at 12:00, down on
    the 30th, the last working day before the break. The 5 January birthday (planned for the
    30th) is recorded expired on the 31st — the 11th is 6 days after it — with a reason that
    counts from 5 January, not from 30 December. The 8 and 10 January ones leave on the 11th,
    belated: within 3 days of their own days."""
    rows = [
        contact_row("5", "five@example.com", birthday="05.01.1970"),
        contact_row("8", "eight@example.com", birthday="08.01.1970"),
        contact_row("10", "ten@example.com", birthday="10.01.1970"),
    ]
    config = make_project(rows, occasions=[BIRTHDAY])
    first = greeter(config, "send", "--once", "--now", "2026-12-29T09:00+03:00")
    assert first.returncode == 0, first.stdout + first.stderr
    eve = greeter(config, "send", "--once", "--now", "2026-12-31T12:00+03:00")
    assert "sent: 0" in eve.stdout and "next letter due 2027-01-11" in eve.stdout, eve.stdout
    shown = greeter(
        config, "preview", "--from", "2027-01-05", "--days", "1", "--now", "2026-12-31T12:00+03:00", "--json"
    )
    (five,) = json.loads(shown.stdout)
    assert (five["contact_id"], five["reason"]) == ("5", "expired"), five
    assert five["detail"] == expired_after("05.01")
    back = greeter(config, "send", "--once", "--now", "2027-01-11T12:00+03:00")
    assert "sent: 2" in back.stdout, back.stdout + back.stderr
    states = {r["contact_id"]: r for r in history(config)}
    assert {k: v["state"] for k, v in states.items()} == {"5": "expired", "8": "sent", "10": "sent"}
    assert states["5"]["reason"] == "expired: more than 3 days ago; never sent late"  # journaled on the 11th
    subjects = sorted(subject_of(p) for p in (config.parent / "data" / "outbox").glob("*.eml"))
    assert subjects == ["Иван Петрович, с прошедшим днём рождения!"] * 2
