"""Working days, send windows and spread send times — pure, as tables."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from greeter.calendar_rules import (
    allowed_intervals,
    build_calendar,
    greeting_day,
    in_window,
    next_window_open,
    send_time,
)
from greeter.config_window import SendWindow, TimeRange
from greeter.errors import ConfigError
from greeter.ics_days import days_off_from_ics

MSK = ZoneInfo("Europe/Moscow")
WINDOW = SendWindow()  # 10:00–18:00, lunch 13–14, Friday cut-off 15:00, 30 quiet minutes
RU = build_calendar(WINDOW, "RU", range(2026, 2029))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 1, 1), False),
        (date(2027, 1, 8), False),
        (date(2027, 1, 11), True),
        (date(2027, 2, 22), False),  # transferred day off
        (date(2027, 2, 23), False),
        (date(2027, 3, 8), False),
        (date(2027, 5, 3), False),
        (date(2027, 5, 10), False),
        (date(2027, 6, 14), False),
        (date(2027, 11, 5), False),
        (date(2027, 12, 31), False),
        (date(2027, 2, 20), False),  # a Saturday made a working day by the state: not for greetings
        (date(2027, 4, 14), True),
        (date(2031, 1, 3), False),  # outside the precomputed years: still correct
        (date(2031, 1, 13), True),
    ],
)
def test_russian_working_days(day: date, working: bool) -> None:
    assert RU.is_working_day(day) is working


@pytest.mark.parametrize(
    ("occasion", "policy", "expected"),
    [
        (date(2027, 3, 13), "before", date(2027, 3, 12)),  # Saturday → Friday
        (date(2027, 3, 14), "before", date(2027, 3, 12)),  # Sunday → Friday
        (date(2027, 3, 13), "after", date(2027, 3, 15)),  # → Monday
        (date(2027, 3, 13), "on_day", date(2027, 3, 13)),
        (date(2027, 2, 22), "before", date(2027, 2, 19)),  # Monday holiday → the Friday before
        (date(2027, 1, 2), "before", date(2026, 12, 30)),  # New Year holidays (31.12.2026 is off too)
        (date(2027, 4, 14), "before", date(2027, 4, 14)),  # working day: the day itself
    ],
)
def test_greeting_day(occasion: date, policy: str, expected: date) -> None:
    assert greeting_day(occasion, RU, policy) == expected  # type: ignore[arg-type]


def local_pieces(day: date, tz: ZoneInfo = MSK, window: SendWindow = WINDOW) -> list[tuple[time, time]]:
    return [(a.time(), b.time()) for a, b in allowed_intervals(day, tz, window, RU)]


def test_intervals_of_an_ordinary_day_a_friday_and_a_holiday_eve() -> None:
    assert local_pieces(date(2027, 4, 14)) == [(time(10), time(13)), (time(14), time(17, 30))]
    assert local_pieces(date(2027, 4, 16)) == [(time(10), time(13)), (time(14), time(14, 30))]  # Friday
    assert local_pieces(date(2027, 11, 3)) == [(time(10), time(13)), (time(14), time(14, 30))]  # eve of 4 Nov


def test_intervals_without_lunch_and_with_a_margin_eating_the_afternoon() -> None:
    no_lunch = SendWindow(lunch=None)
    assert local_pieces(date(2027, 4, 14), window=no_lunch) == [(time(10), time(17, 30))]
    greedy = SendWindow(end_margin_minutes=240)  # 18:00 − 4 h = 14:00: the afternoon is gone
    assert local_pieces(date(2027, 4, 14), window=greedy) == [(time(10), time(13))]


def test_saturday_birthday_leaves_friday_before_the_cutoff() -> None:
    day = greeting_day(date(2027, 3, 13), RU, "before")
    for n in range(200):
        at = send_time(day, MSK, WINDOW, f"contact-{n}", RU)
        assert at.date() == date(2027, 3, 12)
        assert time(10) <= at.time() < time(14, 30)
        assert not time(13) <= at.time() < time(14)


def test_vladivostok_and_kaliningrad_same_day_different_instants() -> None:
    day = date(2027, 4, 14)
    vl, kl = ZoneInfo("Asia/Vladivostok"), ZoneInfo("Europe/Kaliningrad")
    a, b = send_time(day, vl, WINDOW, "k", RU), send_time(day, kl, WINDOW, "k", RU)
    assert a.time() == b.time()  # same spread position in each local window…
    assert b.astimezone(UTC) - a.astimezone(UTC) == timedelta(hours=8)  # …8 hours apart in reality
    assert in_window(a, vl, WINDOW, RU) and in_window(b, kl, WINDOW, RU)


def test_send_times_are_deterministic_and_spread() -> None:
    day = date(2027, 4, 14)
    times = [send_time(day, MSK, WINDOW, f"c{n}", RU) for n in range(10_000)]
    assert times == [send_time(day, MSK, WINDOW, f"c{n}", RU) for n in range(10_000)]
    buckets = Counter((t.hour * 60 + t.minute) // 15 for t in times)
    allowed = [b for b in range(96) if any(a <= b * 15 < e for a, e in ((600, 780), (840, 1050)))]
    assert set(buckets) <= set(allowed)
    assert len(buckets) >= 0.9 * len(allowed)
    assert max(buckets.values()) <= 3 * (len(times) / len(allowed))


@pytest.mark.parametrize(("day", "delta_hours"), [(date(2027, 3, 28), -1), (date(2027, 10, 31), 1)])
def test_dst_days_in_berlin(day: date, delta_hours: int) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    night = SendWindow(
        hours=TimeRange(start=time(0), end=time(6)), lunch=None, friday_cutoff=None, end_margin_minutes=0,
        working_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"], public_holidays=False,
    )  # fmt: skip
    cal = build_calendar(night, None, range(2027, 2028))

    def seconds(d: date) -> float:  # real elapsed time: subtract in UTC, not wall time
        pieces = allowed_intervals(d, berlin, night, cal)
        return sum((e.astimezone(UTC) - s.astimezone(UTC)).total_seconds() for s, e in pieces)

    total, ordinary = seconds(day), seconds(day - timedelta(days=7))
    assert total - ordinary == delta_hours * 3600
    for n in range(2000):
        at = send_time(day, berlin, night, f"k{n}", cal)
        back = at.astimezone(UTC).astimezone(berlin)
        assert (back.replace(tzinfo=None), back.utcoffset()) == (at.replace(tzinfo=None), at.utcoffset())
        assert in_window(at, berlin, night, cal)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2027, 4, 14, 11, 0, tzinfo=MSK), datetime(2027, 4, 14, 11, 0, tzinfo=MSK)),  # inside
        (datetime(2027, 4, 14, 13, 20, tzinfo=MSK), datetime(2027, 4, 14, 14, 0, tzinfo=MSK)),  # lunch
        (
            datetime(2027, 4, 16, 16, 0, tzinfo=MSK),
            datetime(2027, 4, 19, 10, 0, tzinfo=MSK),
        ),  # Friday after cut-off
        (
            datetime(2027, 1, 3, 12, 0, tzinfo=MSK),
            datetime(2027, 1, 11, 10, 0, tzinfo=MSK),
        ),  # New Year holidays
        (
            datetime(2027, 4, 14, 5, 0, tzinfo=UTC),
            datetime(2027, 4, 14, 10, 0, tzinfo=MSK),
        ),  # other zone given
    ],
)
def test_next_window_open(now: datetime, expected: datetime) -> None:
    got = next_window_open(now, MSK, WINDOW, RU)
    assert got == expected and got.tzinfo is MSK


def ics_file(tmp_path: Path, *events: Event) -> Path:
    cal = Calendar()
    cal.add("prodid", "-//test//")
    cal.add("version", "2.0")
    for e in events:
        cal.add_component(e)
    path = tmp_path / "off.ics"
    path.write_bytes(cal.to_ical())
    return path


def event(
    summary: str, start: date | datetime, end: date | datetime | None = None, rrule: dict | None = None
) -> Event:  # type: ignore[type-arg]
    e = Event()
    e.add("summary", summary)
    e.add("uid", f"{summary}@test")
    e.add("dtstart", start)
    if end is not None:
        e.add("dtend", end)
    if rrule:
        e.add("rrule", rrule)
    return e


def test_ics_days_off(tmp_path: Path) -> None:
    path = ics_file(
        tmp_path,
        event("Корпоратив", date(2027, 6, 18), date(2027, 6, 19)),
        event("Инвентаризация", date(2027, 7, 1), date(2027, 7, 3)),  # two days, DTEND exclusive
        event("Собрание", datetime(2027, 8, 2, 15, 0)),  # a time of day: not a day off
        event("День компании", date(2020, 9, 15), date(2020, 9, 16), {"freq": "yearly"}),
    )
    assert days_off_from_ics(path, range(2027, 2029)) == {
        date(2027, 6, 18), date(2027, 7, 1), date(2027, 7, 2),
        date(2027, 9, 15), date(2028, 9, 15),
    }  # fmt: skip
    cal = build_calendar(WINDOW, "RU", range(2027, 2029), days_off_from_ics(path, range(2027, 2029)))
    assert not cal.is_working_day(date(2027, 6, 18))
    assert greeting_day(date(2027, 6, 18), cal, "before") == date(2027, 6, 17)


def test_ics_any_recurrence_and_broken_files(tmp_path: Path) -> None:
    weekly = ics_file(
        tmp_path, event("Выездной день", date(2027, 1, 4), date(2027, 1, 5), {"freq": "weekly", "count": 3})
    )
    assert days_off_from_ics(weekly, [2027]) == {date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)}
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nthis is not ical\n")
    with pytest.raises(ConfigError, match=r"broken\.ics"):
        days_off_from_ics(broken, [2027])
    with pytest.raises(ConfigError, match="cannot read"):
        days_off_from_ics(tmp_path / "missing.ics", [2027])


def raw_ics(tmp_path: Path, *events: str) -> Path:
    """A calendar file as an export writes it: CRLF lines, the events as given."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//export//", *events, "END:VCALENDAR", ""]
    path = tmp_path / "corp.ics"
    path.write_bytes("\r\n".join(lines).encode())
    return path


def vevent(uid: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", *lines, "END:VEVENT"])


def test_ics_a_cancelled_event_is_no_day_off(tmp_path: Path) -> None:
    path = raw_ics(
        tmp_path,
        vevent("c1", "DTSTART;VALUE=DATE:20261216", "STATUS:CANCELLED", "SUMMARY:Корпоратив (отменён)"),
        vevent("c2", "DTSTART;VALUE=DATE:20261230", "SUMMARY:Инвентаризация"),
    )
    assert days_off_from_ics(path, [2026]) == {date(2026, 12, 30)}


def test_ics_exdate_takes_a_day_out_of_a_recurring_event(tmp_path: Path) -> None:
    path = raw_ics(
        tmp_path,
        vevent(
            "c2",
            "DTSTART;VALUE=DATE:20250218",
            "RRULE:FREQ=YEARLY",
            "EXDATE;VALUE=DATE:20270218",
            "SUMMARY:y",
        ),
    )
    assert days_off_from_ics(path, range(2026, 2029)) == {date(2026, 2, 18), date(2028, 2, 18)}


def test_ics_a_recurrence_id_override_moves_or_cancels_one_occurrence(tmp_path: Path) -> None:
    path = raw_ics(
        tmp_path,
        vevent("r1", "DTSTART;VALUE=DATE:20250915", "RRULE:FREQ=YEARLY", "SUMMARY:День компании"),
        vevent("r1", "RECURRENCE-ID;VALUE=DATE:20270915", "DTSTART;VALUE=DATE:20270917", "SUMMARY:перенесён"),
        vevent("r1", "RECURRENCE-ID;VALUE=DATE:20280915", "DTSTART;VALUE=DATE:20280915", "STATUS:CANCELLED"),
    )
    assert days_off_from_ics(path, range(2026, 2029)) == {date(2026, 9, 15), date(2027, 9, 17)}


def test_ics_a_whole_day_exported_in_utc_is_that_day_in_the_companys_zone(tmp_path: Path) -> None:
    """An export that writes a Moscow day off in UTC (21:00Z to 21:00Z) is that day: it was read as
    a timed event on the day before and ignored; a real timed event stays one, in the zone's clock."""
    path = raw_ics(
        tmp_path,
        vevent("u1", "DTSTART:20270101T210000Z", "DTEND:20270102T210000Z", "SUMMARY:Выходной 2 января"),
        vevent("u2", "DTSTART:20270301T210000Z", "DTEND:20270303T210000Z", "SUMMARY:Два дня"),
        vevent("u3", "DTSTART:20270405T110000Z", "DTEND:20270405T150000Z", "SUMMARY:Корпоратив"),
    )
    from greeter.ics_days import read_days_off

    found = read_days_off(path, [2027], zone="Europe/Moscow")
    assert sorted(found.days) == [date(2027, 1, 2), date(2027, 3, 2), date(2027, 3, 3)]
    moscow = ZoneInfo("Europe/Moscow")
    assert [(e.summary, e.start) for e in found.timed] == [
        ("Корпоратив", datetime(2027, 4, 5, 14, 0, tzinfo=moscow))  # 11:00Z: 14:00 on the company's clock
    ]
    assert days_off_from_ics(path, [2027]) == set()  # no zone given: as written (UTC), no midnight


def test_ics_a_timed_event_is_no_day_off_and_is_listed_once(tmp_path: Path) -> None:
    moscow = ZoneInfo("Europe/Moscow")
    path = raw_ics(
        tmp_path,
        vevent(
            "t1",
            "DTSTART;TZID=Europe/Moscow:20261211T140000",
            "DTEND;TZID=Europe/Moscow:20261211T180000",
            "SUMMARY:корпоратив с обеда",
        ),
        vevent("t2", "DTSTART:20261203T100000", "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Планёрка"),
        vevent("a1", "DTSTART:20261231T000000", "DTEND:20270101T000000", "SUMMARY:весь день, как Outlook"),
    )
    assert days_off_from_ics(path, range(2026, 2028)) == {date(2026, 12, 31)}
    from greeter.ics_days import read_days_off

    found = read_days_off(path, range(2026, 2028))
    assert [(e.summary, e.start) for e in found.timed] == [
        ("Планёрка", datetime(2026, 12, 3, 10, 0)),  # a series: its first occurrence, once
        ("корпоратив с обеда", datetime(2026, 12, 11, 14, 0, tzinfo=moscow)),
    ]
