"""``greeter check`` warns about a Friday cut-off that stops nothing (at or after the day's last minute)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.check_window import ineffective_friday_cutoff
from greeter.config_loader import load_settings
from tests.conftest import MakeProject, contact_row


@pytest.mark.parametrize(
    ("window", "warned"),
    [
        (
            {"friday_cutoff": "18:00"},
            "friday_cutoff 18:00 changes nothing: letters stop at 17:30 every day "
            "(hours.end 18:00 minus end_margin_minutes 30)",
        ),
        (
            {"friday_cutoff": "17:30"},
            "friday_cutoff 17:30 changes nothing: letters stop at 17:30",
        ),  # the edge
        ({"friday_cutoff": "17:29"}, None),  # one minute of it still counts
        (
            {"friday_cutoff": "19:00", "end_margin_minutes": 0},
            "letters stop at 18:00 every day (hours.end 18:00)",
        ),
        ({"friday_cutoff": "15:00"}, None),  # the default, written out
        ({"friday_cutoff": None}, None),  # no cut-off at all: said so
        # the sample's 15:00 under short hours: written in the file, so meant
        (
            {"hours": {"start": "09:00", "end": "14:00"}},
            "friday_cutoff 15:00 changes nothing: letters stop at 13:30",
        ),
        (
            {"hours": {"start": "09:00", "end": "14:00"}, "friday_cutoff": "unset"},
            None,
        ),  # the default: no one's
    ],
)
def test_a_friday_cutoff_that_stops_nothing_is_a_warning_at_its_line(
    make_project: MakeProject, window: dict[str, object], warned: str | None
) -> None:
    unset = window.get("friday_cutoff") == "unset"
    window = {k: v for k, v in window.items() if not unset or k != "friday_cutoff"}
    config = make_project([contact_row("1", "a@example.com", birthday="15.04.1980")], send_window=window)
    if unset:  # the key taken out of the file: the model's default 15:00
        text = config.read_text(encoding="utf-8")
        config.write_text("\n".join(x for x in text.splitlines() if "friday_cutoff:" not in x) + "\n")
    settings = load_settings(config, today=date(2027, 4, 1))
    problems = ineffective_friday_cutoff(settings, config)
    if warned is None:
        assert problems == []
        return
    (problem,) = problems
    assert (problem.field, problem.severity) == ("send_window.friday_cutoff", "warning")
    assert warned in problem.message
    lines = Path(config).read_text(encoding="utf-8").splitlines()
    assert problem.line is not None and "friday_cutoff" in lines[problem.line - 1]


def test_check_says_it_at_the_line_as_a_warning_and_still_exits_0(make_project: MakeProject) -> None:
    from greeter.checks import run_check

    config = make_project(
        [contact_row("1", "a@example.com", birthday="15.04.1980")], send_window={"friday_cutoff": "18:00"}
    )
    report = run_check(config, "2027-04-01T10:00")
    (problem,) = [p for p in report.problems if p.field == "send_window.friday_cutoff"]
    assert problem.severity == "warning" and "changes nothing" in problem.message
    assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1


def test_check_reads_a_days_off_calendar_exported_in_utc_on_the_companys_clock(
    make_project: MakeProject,
) -> None:
    """A Moscow day off written 21:00Z–21:00Z was a timed event ignored with a warning; it is the day."""
    from greeter.checks import run_check

    config = make_project(
        [contact_row("1", "a@example.com", birthday="15.04.1980")], send_window={"days_off_ics": "corp.ics"}
    )
    ics = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//export//\nBEGIN:VEVENT\nUID:u1\nDTSTAMP:20261101T000000Z\n"
        "DTSTART:20270601T210000Z\nDTEND:20270602T210000Z\nSUMMARY:Выходной\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    (config.parent / "corp.ics").write_bytes(ics.replace("\n", "\r\n").encode())
    report = run_check(config, "2027-04-01T10:00")
    assert [p for p in report.problems if p.field == "send_window.days_off_ics"] == []
    assert report.days_off is not None and report.days_off[2].startswith("1 day(s) off")
