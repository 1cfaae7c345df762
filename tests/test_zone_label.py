"""The zone after a time: its abbreviation, unless that abbreviation names more than one offset.

A time QA found ``due 2026-12-31 14:30 IST 2008`` (Asia/Kolkata) above
``due … 11:00 IST 2011`` (Asia/Jerusalem) in one dry run.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest

from greeter.delivery_summary import throttle_words
from greeter.zone_label import AMBIGUOUS, due_time, local_time, offset_label, zone_label
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter_process


@pytest.mark.parametrize(
    ("zone", "when", "expected"),
    [
        ("Europe/Moscow", "2027-01-15T12:00", "MSK"),
        ("Europe/Berlin", "2027-07-15T12:00", "CEST"),
        ("Asia/Novosibirsk", "2027-01-15T12:00", "+07"),  # tzdata has no abbreviation: its offset
        ("Asia/Kolkata", "2027-01-15T12:00", "+0530"),  # IST: also Israel's and Ireland's
        ("Asia/Jerusalem", "2027-01-15T12:00", "+02"),
        ("Europe/Dublin", "2027-07-15T12:00", "+01"),
        ("Europe/Dublin", "2027-01-15T12:00", "GMT"),
        ("America/Chicago", "2027-01-15T12:00", "-06"),  # CST: also China's
        ("Asia/Shanghai", "2027-01-15T12:00", "+08"),
        ("America/Los_Angeles", "2027-01-15T12:00", "-08"),  # PST: also the Philippines'
        ("America/New_York", "2027-01-15T12:00", "EST"),
        ("Asia/Kathmandu", "2027-01-15T12:00", "+0545"),
        ("America/St_Johns", "2027-01-15T12:00", "NST"),
    ],
)
def test_zone_label(zone: str, when: str, expected: str) -> None:
    assert zone_label(datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(zone))) == expected


def test_an_offset_is_written_as_tzdata_writes_a_zone_without_an_abbreviation() -> None:
    assert [offset_label(timedelta(minutes=m)) for m in (180, 330, -150, 0, -600)] == [
        "+03", "+0530", "-0230", "+00", "-10",
    ]  # fmt: skip
    fixed = datetime(2027, 1, 15, 12, tzinfo=timezone(timedelta(hours=5)))
    assert (
        local_time(fixed) == "2027-01-15 12:00 +05"
    )  # a --now with another offset: as letter lines write it


def test_every_abbreviation_tzdata_gives_to_two_offsets_is_listed() -> None:
    """Read off the installed tzdata (this year's winter and summer): a new ambiguity fails here."""
    offsets: defaultdict[str, set[timedelta | None]] = defaultdict(set)
    for name in available_timezones():
        zone = ZoneInfo(name)
        for month in (1, 7):
            moment = datetime(datetime.now(UTC).year, month, 15, 12, tzinfo=UTC).astimezone(zone)
            offsets[moment.tzname() or ""].add(moment.utcoffset())
    ambiguous = {abbr for abbr, seen in offsets.items() if len(seen) > 1 and abbr[:1] not in "+-"}
    assert ambiguous <= AMBIGUOUS, ambiguous - AMBIGUOUS
    assert "IST" in ambiguous  # the scan itself reads tzdata


def test_a_dry_run_never_writes_one_abbreviation_for_two_clocks(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "one@example.com", birthday="13.01.1980", tz="Asia/Kolkata"),
        contact_row("2", "two@example.com", birthday="13.01.1980", tz="Asia/Jerusalem"),
    ]
    config = make_project(rows, send_window={"public_holidays": False})
    done = greeter_process(config, "send", "--once", "--dry-run", "--now", "2027-01-14T13:00:00+03:00")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[4]: line for line in done.stdout.splitlines() if line.startswith("due")}
    assert set(lines) == {"1", "2"}, done.stdout  # both due: 15:30 in Kolkata, 12:00 in Jerusalem
    assert " 15:30 +0530 " in lines["1"] and " 12:00 +02 " in lines["2"], done.stdout
    assert "IST" not in done.stdout, done.stdout


def test_a_fixed_offset_is_written_as_the_letter_lines_write_it() -> None:
    """QA: ``--now …+05:30`` made the dry-run summary say ``UTC+05:30`` beside letter lines' ``+0530``."""
    moment = datetime(2026, 12, 10, 14, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert zone_label(moment) == "+0530"
    assert local_time(moment) == "2026-12-10 14:30 +0530"
    assert zone_label(datetime(2026, 12, 10, tzinfo=timezone(timedelta(hours=-3)))) == "-03"
    assert zone_label(datetime(2026, 12, 10, tzinfo=UTC)) == "UTC"


MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2027, 3, 10, 17, 26, tzinfo=MSK), "2027-03-10 17:26 MSK"),
        # A throttle held until 17:26:01 read "resumes at 17:26": a run at 17:26 found it held.
        (datetime(2027, 3, 10, 17, 26, 1, tzinfo=MSK), "2027-03-10 17:26:01 MSK"),
        (datetime(2027, 3, 10, 17, 26, 0, 300_000, tzinfo=MSK), "2027-03-10 17:26:01 MSK"),
        (datetime(2027, 3, 10, 17, 59, 59, 1, tzinfo=MSK), "2027-03-10 18:00 MSK"),
    ],
)
def test_a_due_time_is_never_shown_before_it_is_due(moment: datetime, shown: str) -> None:
    assert due_time(moment) == shown
    assert throttle_words("451 4.7.1 Rate limit exceeded", 3, moment).endswith(
        f"resumes at {shown} (delivery.retry)"
    )


def test_preview_names_the_city_where_a_zone_has_only_an_offset(make_project: MakeProject) -> None:
    """«11:58 +11» was Lord Howe's and Magadan's alike: where tzdata gives a zone no abbreviation,
    preview --format text adds the last part of its name («+11 Lord_Howe»); MSK needs none."""
    from click.testing import CliRunner

    from greeter.cli import main

    rows = [
        contact_row("1", "one@example.com", birthday="13.01.1980", tz="Australia/Lord_Howe"),
        contact_row("2", "two@example.com", birthday="13.01.1980", tz="Asia/Magadan"),
        contact_row("3", "three@example.com", birthday="13.01.1980", tz="Europe/Moscow"),
    ]
    config = make_project(rows, send_window={"public_holidays": False})
    args = ["--config", str(config), "preview", "--from", "2027-01-13", "--days", "1", "--format", "text"]
    done = CliRunner().invoke(main, [*args, "--now", "2027-01-01T09:00:00+00:00"])
    assert done.exit_code == 0, done.output
    when = sorted(line for line in done.stdout.splitlines() if line.startswith("send at"))
    assert len(when) == 3, done.stdout
    assert any(line.endswith(" +11 Lord_Howe") for line in when), when
    assert any(line.endswith(" +11 Magadan") for line in when), when
    assert any(line.endswith(" MSK") for line in when), when
