"""An occasion from the company's calendar (``ics:``): greeted on the first day of each all-day event.

Found by a marketer: the company's own days (its founding day, a partners'
day) live in a shared Outlook/Google calendar, which ``send_window.days_off_ics``
already reads for days off; as an occasion ``ics: corp.ics`` was an unknown key,
and the days had to be retyped as ``on:`` dates every year.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-09-01T09:00:00+03:00"

CORP_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//export//
BEGIN:VEVENT
UID:founding
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20250915
RRULE:FREQ=YEARLY
SUMMARY:День компании
END:VEVENT
BEGIN:VEVENT
UID:forum
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20271004
DTEND;VALUE=DATE:20271007
SUMMARY:Партнёрский форум (три дня)
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20270922
STATUS:CANCELLED
SUMMARY:Отменено
END:VEVENT
BEGIN:VEVENT
UID:party
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Moscow:20270924T140000
DTEND;TZID=Europe/Moscow:20270924T180000
SUMMARY:корпоратив с обеда
END:VEVENT
END:VCALENDAR
"""


def ics_project(make_project: MakeProject, ics: str | None) -> tuple[Path, int]:
    """The example project plus an occasion ``company_day`` read from corp.ics; its index."""
    rows = [contact_row(str(i), f"client{i}@example.com", birthday="01.03.1980") for i in (1, 2)]
    config = make_project(rows)
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    data["occasions"].append(
        {"name": "company_day", "title": "День компании", "ics": "corp.ics", "template": "holiday",
         "priority": 40}
    )  # fmt: skip
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    if ics is not None:
        (config.parent / "corp.ics").write_bytes(ics.replace("\n", "\r\n").encode())
    return config, len(data["occasions"]) - 1


def test_each_all_day_event_is_greeted_once_on_its_first_day(make_project: MakeProject) -> None:
    config, _ = ics_project(make_project, CORP_ICS)
    out = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--format", "json", "--from", "2027-09-01", "--days", "60",
         "--now", NOW],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    drafts = [d for d in json.loads(out.stdout) if d["occasion"] == "company_day"]
    days = sorted({(d["contact_id"], d["occasion_date"]) for d in drafts})
    # the yearly founding day, the forum's first day only; not the cancelled one, not the timed party
    assert days == [("1", "2027-09-15"), ("1", "2027-10-04"), ("2", "2027-09-15"), ("2", "2027-10-04")]
    assert all(d["status"] == "send" for d in drafts), drafts


@pytest.mark.parametrize(
    ("ics", "cause"),
    [
        (None, "cannot read the calendar file (No such file or directory)"),
        ("Праздники 2027: 1–8 января\n", "not a valid iCalendar file"),
    ],
)
def test_an_occasion_calendar_that_cannot_be_read_is_named_by_its_setting(
    make_project: MakeProject, ics: str | None, cause: str
) -> None:
    config, index = ics_project(make_project, ics)
    where = f"{config.parent / 'corp.ics'}: occasions.{index}.ics: "
    previewed = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", NOW])
    assert previewed.exit_code == 2
    assert previewed.stderr.startswith(where + cause), previewed.stderr
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 1, checked.output
    assert [line for line in checked.stderr.splitlines() if f": occasions.{index}.ics: " in line] == [
        previewed.stderr.strip()
    ]


def test_check_warns_about_timed_events_and_a_calendar_with_no_day(make_project: MakeProject) -> None:
    config, index = ics_project(make_project, CORP_ICS)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 0, checked.output
    path = config.parent / "corp.ics"
    assert [line for line in checked.stderr.splitlines() if f": occasions.{index}.ics: " in line] == [
        f"{path}: occasions.{index}.ics: warning: 1 event with a time of day is not a day to greet on, so"
        " it is ignored: 'корпоратив с обеда' (24.09.2027 14:00–18:00); make it an all-day event to greet"
        " on its day"
    ]
    empty = CORP_ICS.split("BEGIN:VEVENT")[0] + "END:VCALENDAR\n"
    (path).write_bytes(empty.replace("\n", "\r\n").encode())
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert (
        f"{path}: occasions.{index}.ics: warning: no all-day event in 2027–2028: occasion 'company_day'"
        " greets nobody then" in checked.stderr.splitlines()
    )


def test_an_occasion_needs_exactly_one_way_of_saying_when(make_project: MakeProject) -> None:
    config, index = ics_project(make_project, CORP_ICS)
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    data["occasions"][index]["date"] = "09-15"
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 2
    assert "exactly one of 'field', 'date', 'holiday', 'on' or 'ics' (got date, ics)" in checked.stderr


def test_an_english_letter_for_a_day_without_an_english_name_does_not_say_on_holiday(
    tmp_path: Path,
) -> None:
    """«День компании» has no English name in _en.j2: "Warm wishes to you on holiday" read as vacation."""
    root = Path(__file__).resolve().parent.parent
    for part in ("templates", "data"):
        shutil.copytree(root / part, tmp_path / part)
    yaml = YAML()
    data = yaml.load((root / "config.example.yaml").read_text(encoding="utf-8"))
    data["occasions"].append({"name": "company_day", "date": "12-11", "template": "holiday"})
    config = tmp_path / "config.yaml"
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    out = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--format", "json", "--from", "2026-12-10", "--days", "3",
         "--now", "2026-12-01T09:00"],
    )  # fmt: skip
    english = [
        d for d in json.loads(out.stdout)
        if d["occasion"] == "company_day" and d["template_file"] == "holiday.en.j2" and d["status"] == "send"
    ]  # fmt: skip
    assert english, out.output
    for draft in english:
        assert "Warm wishes to you on this special day" in draft["text"]
        assert " on holiday" not in draft["text"]


def test_an_occasion_calendar_that_is_a_workbook_is_said_so_in_one_line(make_project: MakeProject) -> None:
    """The occasions' .ics goes through the same reader as days off: no raw ZIP bytes quoted there either."""
    from tests.test_check import _workbook

    config, index = ics_project(make_project, None)
    (config.parent / "corp.ics").write_bytes(_workbook())
    previewed = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", NOW])
    assert previewed.exit_code == 2
    assert previewed.stderr == (
        f"{config.parent / 'corp.ics'}: occasions.{index}.ics: this is a ZIP file (an .xlsx or .docx?),"
        " not an iCalendar file: export the calendar as .ics\n"
    )
