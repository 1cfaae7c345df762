"""The daemon's runs are spaced for the time their planning takes, and the letters due meanwhile
gathered into one run — never past a letter's window (pure rules; the daemon's run is in
test_wake_spacing_daemon).

Found by an operator with 150,000 contacts: letters are spread through the send window, so the
next send was always seconds away, and the daemon woke for each — a 10–13 s plan every 10–13 s,
71 % of a core all day, for 25–35 letters a run.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import period_end_after
from greeter.config_window import SendWindow, TimeRange
from greeter.cron import PlanningDuty, cron_trigger, gather_latest, next_wake

MOSCOW = ZoneInfo("Europe/Moscow")
SAMARA = ZoneInfo("Europe/Samara")
#: The run in these cases planned at 10:00:00 UTC and ended 12 s later (a large plan).
PLANNED = datetime(2027, 4, 14, 10, 0, 0, tzinfo=UTC)
ENDED = PLANNED + timedelta(seconds=12)
DAILY = "0 3 * * *"  # 00:00 UTC: the next tick is the next day


def at(text: str) -> datetime:
    """``HH:MM:SS`` on the run's day, UTC."""
    return datetime.combine(PLANNED.date(), time.fromisoformat(text), UTC)


@pytest.mark.parametrize(
    ("cron", "next_send", "spacing", "latest", "expected"),
    [
        # spaced: the next run starts a minute after this one did, the letters due until then go together
        (DAILY, "10:00:20", 60, "13:29:30", "10:01:00"),
        # no spacing (a small plan): the next send's own second, as before
        (DAILY, "10:00:20", 0, "13:29:30", "10:00:20"),
        # the run outlasted its next send: not at once, but spaced
        (DAILY, "10:00:05", 60, "13:29:30", "10:01:00"),
        (DAILY, "10:00:05", 0, "13:29:30", ENDED.time().isoformat()),
        # a window ending within the spacing: the gathering stops short of it
        (DAILY, "10:00:20", 60, "10:00:40", "10:00:40"),
        # the window's end too near the next send: that send's own second, never later
        (DAILY, "10:00:20", 60, "10:00:10", "10:00:20"),
        # the window closed during the run: at once (the letters due are late already)
        (DAILY, "10:00:05", 60, "09:59:59", ENDED.time().isoformat()),
        # no window end known: nothing gathered
        (DAILY, "10:00:20", 60, None, "10:00:20"),
        # the next send is after the spacing anyway: its own second
        (DAILY, "10:02:00", 60, "13:29:30", "10:02:00"),
        # a cron tick sooner than the spacing: the tick (an operator's change counts by it at the latest)
        ("*/10 * * * *", "10:00:20", 900, "13:29:30", "10:10:00"),
        # nothing planned: the cron's time
        (DAILY, None, 60, "13:29:30", "2027-04-15T00:00:00"),
    ],
)
def test_a_spaced_wake_gathers_the_letters_due_before_it_never_past_their_window(
    cron: str, next_send: str | None, spacing: int, latest: str | None, expected: str
) -> None:
    got = next_wake(
        ENDED,
        cron_trigger(cron, "Europe/Moscow"),
        at(next_send) if next_send else None,
        planned_at=PLANNED,
        spacing=timedelta(seconds=spacing),
        latest=at(latest) if latest else None,
    )
    want = datetime.fromisoformat(expected).replace(tzinfo=UTC) if "T" in expected else at(expected)
    assert got == want


def test_spacing_never_makes_a_retry_s_gathering_shorter() -> None:
    """A retry's wake, gathered 30 s past a window's end, stays where it was (the spacing only adds)."""
    got = next_wake(
        ENDED, cron_trigger(DAILY, "Europe/Moscow"), at("10:00:20"), planned_at=PLANNED,
        next_retry=at("10:00:20"), gather=timedelta(seconds=30), spacing=timedelta(seconds=60),
        latest=at("10:00:40"),
    )  # fmt: skip
    assert got == at("10:00:50")


@pytest.mark.parametrize(
    ("planning", "spacing"),
    [
        (0.0, 0.0),
        (0.4, 0.0),  # a small installation's plan: no spacing, each letter at its second
        (0.99, 0.0),
        (1.0, 5.0),  # from a second of planning on: at most a fifth of the time
        (12.0, 60.0),  # 150,000 contacts: a run a minute, not every 12 s
    ],
)
def test_a_run_is_spaced_by_its_planning_over_its_share(planning: float, spacing: float) -> None:
    assert PlanningDuty().spacing(planning) == pytest.approx(spacing)


WINDOW = SendWindow()  # 10:00–18:00, lunch 13:00–14:00, Friday cut-off 15:00, quiet last 30 minutes


@pytest.mark.parametrize(
    ("next_send", "zones", "run", "expected"),
    [
        # a Wednesday morning in Moscow: lunch ends the first period at 13:00
        ("2027-04-14T10:05:00+03:00", [MOSCOW], 5, "2027-04-14T12:59:30+03:00"),
        # after lunch: the cut-off's 14:30 counts whatever the day (an eve's; earlier is safe)
        ("2027-04-14T14:10:00+03:00", [MOSCOW], 5, "2027-04-14T14:29:30+03:00"),
        # after it: the day's end, less its quiet half hour
        ("2027-04-14T14:40:00+03:00", [MOSCOW], 5, "2027-04-14T17:29:30+03:00"),
        # a long run stops the gathering twice its time before the end
        ("2027-04-14T14:40:00+03:00", [MOSCOW], 60, "2027-04-14T17:28:00+03:00"),
        # the recipients' zone whose period ends first: Samara's 17:30 is 16:30 in Moscow
        ("2027-04-14T14:40:00+03:00", [MOSCOW, SAMARA], 5, "2027-04-14T16:29:30+03:00"),
        # after the day's window: the next day's first period
        ("2027-04-14T17:45:00+03:00", [MOSCOW], 5, "2027-04-15T12:59:30+03:00"),
        # a Friday cut-off: 14:30
        ("2027-04-16T14:00:00+03:00", [MOSCOW], 5, "2027-04-16T14:29:30+03:00"),
        # a letter planned for 17:29:50, 10 s before the day's last one: no room to gather
        ("2027-04-14T17:29:50+03:00", [MOSCOW], 5, "2027-04-14T17:29:30+03:00"),
        # no recipients known, or nothing planned
        ("2027-04-14T10:05:00+03:00", [], 5, None),
        (None, [MOSCOW], 5, None),
    ],
)
def test_gathering_stops_before_the_first_sending_period_after_the_next_send_ends(
    next_send: str | None, zones: list[ZoneInfo], run: int, expected: str | None
) -> None:
    got = gather_latest(
        datetime.fromisoformat(next_send) if next_send else None, zones, WINDOW, timedelta(seconds=run)
    )
    assert got == (datetime.fromisoformat(expected) if expected else None)


def test_a_period_s_end_is_found_across_a_dst_change_and_without_lunch() -> None:
    """Berlin's spring-forward Sunday (30 March 2025) and the Monday after: real instants, not wall times."""
    window = SendWindow(hours=TimeRange(start=time(1), end=time(4)), lunch=None, end_margin_minutes=0)
    berlin = ZoneInfo("Europe/Berlin")
    # 01:30 CET; the day's end at 04:00 CEST is 02:00 UTC (an hour less than the wall clock says)
    got = period_end_after(datetime(2025, 3, 30, 1, 30, tzinfo=berlin), berlin, window)
    assert got == datetime(2025, 3, 30, 2, 0, tzinfo=UTC)
