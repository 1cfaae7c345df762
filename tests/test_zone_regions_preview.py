"""End to end: a region's clients timed in its zone, a zone's clients given its region's days off.

Found by a head of sales auditing a year across odd time zones (greeter.subdivision_zones): a row
``AU-SA`` with an empty zone cell was timed in defaults.timezone, a Honolulu client under ``US`` got
a birthday letter on Kamehameha Day (11 June 2027, a day off in Hawaii only), a Chatham Islands one
under ``NZ`` on the islands' Anniversary Day; and ``check`` said nothing of plain US or NZ. Real rows,
real config, ``greeter preview`` and ``greeter check`` as a marketer runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def _birthdays(config: Path) -> dict[str, dict[str, Any]]:
    """Each contact's 2027 birthday row of ``greeter preview --format json`` (stdout alone)."""
    args = ["--config", str(config), "preview", "--format", "json"]
    args += ["--from", "2027-01-01", "--days", "365", "--now", "2026-12-01T10:00"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return {row["contact_id"]: row for row in json.loads(result.stdout) if row["occasion"] == "birthday"}


def test_a_region_s_zone_and_a_zone_s_region_in_the_preview(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "hnl@example.com", tz="Pacific/Honolulu", country="US", birthday="11.06.1980"),
        contact_row("2", "hi@example.com", tz="", country="US-HI", birthday="11.06.1980"),
        contact_row("3", "sa@example.com", tz="", country="AU-SA", birthday="17.03.1980"),
        contact_row("4", "cit@example.com", tz="Pacific/Chatham", country="NZ", birthday="29.11.1980"),
        contact_row("5", "nohi@example.com", tz="Pacific/Honolulu", country="", birthday="11.06.1980"),
        contact_row("6", "ca@example.com", tz="Pacific/Honolulu", country="US-CA", birthday="11.06.1980"),
    ]
    sends = _birthdays(make_project(rows))
    kamehameha = date(2027, 6, 11)  # a Friday: a day off in Hawaii, so the letter goes on Thursday
    for cid in ("1", "2", "5"):
        at = datetime.fromisoformat(sends[cid]["send_at"])
        assert sends[cid]["timezone"] == "Pacific/Honolulu", cid
        assert at.astimezone(ZoneInfo("Pacific/Honolulu")).date() == date(2027, 6, 10), cid
    # The row's own region wins over the zone's: California keeps no Kamehameha Day.
    assert datetime.fromisoformat(sends["6"]["send_at"]).astimezone(ZoneInfo("Pacific/Honolulu")).date() == (
        kamehameha
    )
    adelaide = datetime.fromisoformat(sends["3"]["send_at"])
    assert sends["3"]["timezone"] == "Australia/Adelaide"
    assert adelaide.utcoffset() == ZoneInfo("Australia/Adelaide").utcoffset(adelaide.replace(tzinfo=None))
    assert 9 <= adelaide.hour < 18 and adelaide.date() == date(2027, 3, 17)
    chatham = datetime.fromisoformat(sends["4"]["send_at"])  # Anniversary Day 29.11.2027, a Monday
    assert chatham.astimezone(ZoneInfo("Pacific/Chatham")).date() == date(2027, 11, 26)


def test_check_names_a_split_region_and_warns_for_plain_us_and_nz(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "ny@example.com", tz="America/New_York", country="US", birthday="11.06.1980"),
        contact_row("2", "akl@example.com", tz="Pacific/Auckland", country="NZ", birthday="11.06.1980"),
        contact_row("3", "tx@example.com", tz="", country="US-TX", birthday="11.06.1980"),
        contact_row("4", "sa@example.com", tz="", country="AU-SA", birthday="11.06.1980"),
        contact_row("5", "hnl@example.com", tz="Pacific/Honolulu", country="US", birthday="11.06.1980"),
    ]
    config = make_project(rows)
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2026-12-07T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    regions = [line for line in result.stderr.splitlines() if "without a region" in line]
    assert len(regions) == 2, result.stderr  # US (New York only: Honolulu is US-HI) and NZ
    us = next(line for line in regions if "country US without" in line)
    assert "1 contact(s) have country US without a region" in us
    assert "which lack its regions' own days off (" in us
    nz = next(line for line in regions if "country NZ without" in line)
    assert "NZ-WGN's Wellington Anniversary Day (25.01.2027)" in nz
    zones = [line for line in result.stderr.splitlines() if "have no time zone" in line]
    assert len(zones) == 1, result.stderr  # AU-SA is timed in Adelaide
    assert (
        "1 contact(s) in US-TX have no time zone, and US-TX has several time zones (America/Chicago, "
        "America/Denver)"
    ) in zones[0]
