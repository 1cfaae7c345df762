"""The per-window cache of a day's shape (greeter.calendar_rules._Hours) keeps no window alive."""

from __future__ import annotations

import gc
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from greeter import calendar_rules
from greeter.calendar_rules import allowed_intervals, build_calendar
from greeter.config_window import SendWindow, TimeRange

MOSCOW = ZoneInfo("Europe/Moscow")


def test_windows_gone_leave_no_entry_behind() -> None:
    """A daemon reloading its config, a property test: windows made without end. Each was kept
    forever (5,000 windows, 5,000 entries); now an entry goes with its window."""
    before = len(calendar_rules._HOURS)
    for n in range(5000):
        window = SendWindow(hours=TimeRange(start=time(9 + n % 3), end=time(18)))
        calendar_rules._Hours.of(window)
    del window
    gc.collect()
    assert len(calendar_rules._HOURS) <= before


def test_a_window_kept_is_answered_from_the_cache_and_new_windows_get_their_own_hours() -> None:
    kept = SendWindow()
    assert calendar_rules._Hours.of(kept) is calendar_rules._Hours.of(kept)
    calendar = build_calendar(SendWindow(), None, [2027])
    for start in (9, 11, 9):  # each a new window, maybe at a freed window's address
        window = SendWindow(hours=TimeRange(start=time(start), end=time(18)))
        (first, *_) = allowed_intervals(date(2027, 4, 13), MOSCOW, window, calendar)
        assert first[0] == datetime(2027, 4, 13, start, tzinfo=MOSCOW)
        del window
