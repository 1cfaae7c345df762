"""A company calendar with one broken event: its file, event and line named — never a crash, never
a silent misreading.

A calendar user found that an event without DTSTART made every command (and
every daemon run) fail with ``internal error: KeyError: 'DTSTART'``, and that
one whose DTEND came before its DTSTART was swapped by the recurrence
library: 1–27 December became days off and the closure 28–31 December
working days, letters going out while the office was shut, ``check: OK``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.errors import ConfigError
from greeter.ics_days import days_off_from_ics
from tests.conftest import MakeProject, contact_row
from tests.test_send_window import raw_ics, vevent

CLOSED = "SUMMARY:Офис закрыт"


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (
            ("DTEND;VALUE=DATE:20270101", CLOSED),
            "event 'Офис закрыт' (line 10) has no DTSTART (its first day): give it one, or delete the event",
        ),
        (
            ("DTSTART;VALUE=DATE:20261228", "DTEND;VALUE=DATE:20261201", CLOSED),
            "event 'Офис закрыт' (line 10) ends before it starts (DTSTART 28.12.2026, DTEND 01.12.2026): "
            "correct its DTEND (for an all-day event, the day after its last day)",
        ),
        (
            ("DTSTART:20261228T180000Z", "DTEND:20261228T090000Z", CLOSED),
            "event 'Офис закрыт' (line 10) ends before it starts (DTSTART 28.12.2026 18:00, "
            "DTEND 28.12.2026 09:00): correct its DTEND (for an all-day event, the day after its last day)",
        ),
        (
            ("DTSTART;VALUE=DATE:20270231", CLOSED),
            "event 'Офис закрыт' (line 10): DTSTART '20270231' is not a real date or time: correct it in the calendar",
        ),
        (
            (
                "DTSTART;VALUE=DATE:20270716",
                "RRULE:FREQ=YEARLY;BYMONTH=13;BYDAY=3FR",
                "SUMMARY:Корпоративный день",
            ),
            "event 'Корпоративный день' (line 10): its repetition (RRULE) cannot be worked out",
        ),
    ],
    ids=["no-dtstart", "end-before-start", "timed-end-before-start", "31-february", "bymonth-13"],
)
def test_a_broken_event_is_named_with_its_line(tmp_path: Path, lines: tuple[str, ...], said: str) -> None:
    good = vevent("ok", "DTSTART;VALUE=DATE:20261230", "SUMMARY:Инвентаризация")
    path = raw_ics(tmp_path, good, vevent("bad", *lines))
    with pytest.raises(ConfigError) as caught:
        days_off_from_ics(path, [2026, 2027])
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}: send_window.days_off_ics: not a valid iCalendar file: {said}")


def test_a_one_day_event_whose_end_is_its_start_is_still_that_day(tmp_path: Path) -> None:
    """Calendar programs write DTEND = DTSTART for a one-day event: that is no end before the start."""
    path = raw_ics(tmp_path, vevent("d", "DTSTART;VALUE=DATE:20261230", "DTEND;VALUE=DATE:20261230", CLOSED))
    assert {d.isoformat() for d in days_off_from_ics(path, [2026])} == {"2026-12-30"}


def test_a_file_cut_short_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cut.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Goog")
    with pytest.raises(
        ConfigError, match=r"it ends before END:VCALENDAR \(cut short\?\): export the calendar"
    ):
        days_off_from_ics(path, [2026])


def test_preview_and_check_say_it_as_a_config_error_not_an_internal_one(make_project: MakeProject) -> None:
    config = make_project(
        [contact_row("1", "a@example.com", birthday="29.12.1980")],
        send_window={"days_off_ics": "closed.ics"},
    )
    raw_ics(config.parent, vevent("bad", "DTEND;VALUE=DATE:20270101", CLOSED)).rename(
        config.parent / "closed.ics"
    )
    runner = CliRunner()
    preview = runner.invoke(
        main, ["--config", str(config), "preview", "--now", "2026-12-04T10:00", "--days", "30"]
    )
    assert preview.exit_code == 2, preview.output
    assert "internal error" not in preview.output
    assert (
        "closed.ics: send_window.days_off_ics: not a valid iCalendar file: event 'Офис закрыт'"
        in preview.output
    )
    check = runner.invoke(main, ["--config", str(config), "check", "--now", "2026-12-04T10:00"])
    assert check.exit_code == 1, check.output
    assert "has no DTSTART" in check.output and "internal error" not in check.output


def test_every_broken_event_is_named_at_once(tmp_path: Path) -> None:
    """Two broken events: only the first was named, the second only after fixing it and running again."""
    path = raw_ics(
        tmp_path,
        vevent("a", "DTEND;VALUE=DATE:20270101", CLOSED),
        vevent("b", "DTSTART;VALUE=DATE:20261228", "DTEND;VALUE=DATE:20261201", "SUMMARY:Инвентаризация"),
    )
    with pytest.raises(ConfigError) as caught:
        days_off_from_ics(path, [2026, 2027])
    said = [p.message for p in caught.value.problems]
    assert len(said) == 2, said
    assert said[0].endswith(
        "event 'Офис закрыт' (line 4) has no DTSTART (its first day): give it one, or delete the event"
    )
    assert "event 'Инвентаризация' (line 10) ends before it starts" in said[1]


def test_send_refuses_a_broken_calendar_before_it_makes_the_journal(make_project: MakeProject) -> None:
    config = make_project(
        [contact_row("1", "a@example.com", birthday="29.12.1980")],
        send_window={"days_off_ics": "closed.ics"},
    )
    raw_ics(config.parent, vevent("bad", "DTEND;VALUE=DATE:20270101", CLOSED)).rename(
        config.parent / "closed.ics"
    )
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", "2026-12-04T10:00"])
    assert sent.exit_code == 2, sent.output
    assert "has no DTSTART" in sent.output
    assert not (config.parent / "data" / "journal.sqlite3").exists()
    assert not (config.parent / "data" / "journal.sqlite3.lock").exists()
