"""Days off known only from the company's ``.ics`` move a greeting for the look-back and the first run too.

``send --once`` decides how far back to plan (:func:`greeter.send.plan_start`,
:func:`greeter.planner.expiry_start`) with the calendar of a one-day plan window at the
run's start. Suspected: that window's calendar lacks the ``send_window.days_off_ics`` days
outside that one day, so a letter the company's shutdown moved past its day would be missed by
the look-back. It does not: the file is read for whole years around the window
(:meth:`greeter.runtime.Inputs.extra_days_off`: the year before the start through the year
after), which covers every day the look-back asks about — a year at most. These runs pin it,
with a shutdown (31 December 2026 – 10 January 2027) that only the file declares
(``public_holidays: false``: Russia's own New Year break does not count); the downtime test
fails when that calendar is built without the file's days (tried), and passes on the base
commit. The first-run test is :mod:`tests.test_first_run_moved_past_its_day`'s case with the
file's days off: it failed on the base commit (the 31 December letter never planned).

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MakeProject, contact_row
from tests.test_expired_after_day_off_shift import greeter, history, rules

#: The company's shutdown, 31 December 2026 through 10 January 2027 (DTEND is exclusive).
SHUTDOWN = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//export//
BEGIN:VEVENT
UID:shutdown-2027
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261231
DTEND;VALUE=DATE:20270111
SUMMARY:Новогодние каникулы
END:VEVENT
END:VCALENDAR
"""
#: Moscow clients (the config's zone), birthdays on Thursday 31 December and Monday 4 January:
#: working days but for the file.
ROWS = [
    contact_row(cid, f"client{cid}@example.com", birthday=f"{day}.1980")
    for cid, day in (("1", "31.12"), ("2", "04.01"))
]


def project(make_project: MakeProject) -> Path:
    window = {"day_off_policy": "after", "public_holidays": False, "days_off_ics": "data/shutdown.ics"}
    # No country column: the look-back's reach over days off is then the calendar's alone, not
    # the fixed bound (LONGEST_DAYS_OFF) a contact of another country's longer break needs.
    config = make_project(ROWS, **rules(window), contacts={"columns": {"country": None}})
    (config.parent / "data" / "shutdown.ics").write_text(SHUTDOWN, encoding="utf-8")
    return config


def test_a_downtime_over_the_shutdown_records_both_letters_it_cost(make_project: MakeProject) -> None:
    """Runs on 21 December and 5 January (nothing due: both letters leave on the 11th), then down
    until the 15th: the look-back from the 5th reaches 31 December only through the file's days
    off — both are recorded ``expired``, named, exit 1."""
    config = project(make_project)
    for now in ("2026-12-21T10:05:00+03:00", "2027-01-05T10:05:00+03:00"):
        early = greeter(config, "send", "--once", "--now", now)
        assert early.exit_code == 0, early.output
        assert "expired" not in early.output, early.output
    later = greeter(config, "send", "--once", "--now", "2027-01-15T10:05:00+03:00")
    assert later.exit_code == 1, later.output
    assert "expired ×2" in later.output, later.output
    assert "1 birthday 2026-12-31" in later.output and "2 birthday 2027-01-04" in later.output, later.output
    assert history(config) == [("1", "2026-12-31", "expired"), ("2", "2027-01-04", "expired")]


def test_a_first_run_in_the_shutdown_sends_both_on_the_day_after_it(make_project: MakeProject) -> None:
    """A new journal's first run on 5 January starts its occasions on the 2nd: both letters were
    meant for the 11th by the file's days off, and leave then."""
    config = project(make_project)
    first = greeter(config, "send", "--once", "--now", "2027-01-05T10:05:00+03:00")
    assert first.exit_code == 0, first.output
    assert "next letter due 2027-01-11" in first.output, first.output
    monday = greeter(config, "send", "--once", "--now", "2027-01-11T17:25:00+03:00")
    assert monday.exit_code == 0, monday.output
    assert history(config) == [("1", "2026-12-31", "sent"), ("2", "2027-01-04", "sent")]
