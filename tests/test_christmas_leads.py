"""A starter whose country keeps Christmas before New Year sends the Christmas letter, on time.

A Hungarian team's ``init --locale hu`` project greeted nine of its ten sample
clients with «Újév + Karácsony» on Tuesday 29 December: New Year (priority 60)
led Christmas (30), 14 days (``min_gap_days``) apart, and carried it four days
late — «a nemrég elmúlt karácsony alkalmából». Where Christmas comes before
New Year (Hungary, Estonia, Germany, England…) the Christmas letter, with the
New Year's wishes in it, is the letter of the year: the starter's Christmas now
leads New Year and is never carried after its day (``merge_max_days_late: 0``).
Serbia's Christmas is Orthodox, 7 January, after New Year: its New Year letter
carries it ahead, as before.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.holiday_tables import greeted_days_of
from greeter.starter_countries import CHRISTMAS_LEADS, HOLIDAYS

NOW = "2026-12-01T09:00:00+01:00"


def preview(folder: Path, locale: str) -> list[dict[str, object]]:
    done = CliRunner().invoke(main, ["init", str(folder), "--locale", locale])
    assert done.exit_code == 0, done.output
    args = ["--config", str(folder / "greeter.yaml"), "preview", "--from", "2026-12-01", "--days", "45"]
    done = CliRunner().invoke(main, [*args, "--format", "json", "--now", NOW])
    assert done.exit_code == 0, done.output
    rows: list[dict[str, object]] = json.loads(done.stdout)  # stderr: notes (a year without decreed days)
    return rows


def day(row: dict[str, object]) -> date:
    return date.fromisoformat(str(row["send_at"])[:10])


@pytest.mark.parametrize("locale", ["hu", "et", "de", "en"])
def test_christmas_leads_new_year_and_is_never_belated(tmp_path: Path, locale: str) -> None:
    rows = preview(tmp_path, locale)
    christmas = [r for r in rows if r["occasion"] == "christmas"]
    assert christmas
    # Greeted (its own letter or carried) on or before its day; else skipped, saying why.
    for r in christmas:
        if r["status"] == "send" or r["reason"] == "merged":
            assert day(r) <= date.fromisoformat(str(r["occasion_date"])), r
        else:
            assert r["reason"] == "frequency_cap" and "merge_max_days_late 0" in str(r["detail"]), r
    # Most clients get the Christmas letter, carrying the New Year's wishes ahead.
    leading = [r for r in christmas if r["status"] == "send"]
    assert sum("new_year" in r["merged_with"] for r in leading) >= 5, leading  # type: ignore[operator]
    assert not [r for r in rows if r["status"] == "send" and r["occasion"] == "new_year" and
                "christmas" in r["merged_with"]]  # type: ignore[operator]  # fmt: skip


def test_the_hungarian_christmas_letter_wishes_a_happy_new_year(tmp_path: Path) -> None:
    rows = preview(tmp_path, "hu")
    letters = [r for r in rows if r["status"] == "send" and r["occasion"] == "christmas"]
    assert [day(r) for r in letters] == [date(2026, 12, 23)] * len(letters)
    plain = next(r for r in letters if r["merged_with"] == ["new_year"])
    assert plain["subject"] == "Kellemes karácsonyi ünnepeket és boldog új évet!"
    assert "nemrég elmúlt karácsony" not in "".join(str(r["text"]) for r in rows)


def test_a_christmas_before_new_year_is_the_one_that_leads() -> None:
    """Each example Christmas leads New Year where its day comes before it, and only there."""
    for country, examples in HOLIDAYS.items():
        for h in examples:
            if h.name != "christmas":
                continue
            # greeted_days_of, as a holiday occasion looks its day up: Ukraine's Christmas is a working
            # day under martial law (the holidays package's workday category), greeted all the same.
            days = greeted_days_of(country, 2026)
            found = [d for d, hs in days.items() if any(h.holiday in x.names for x in hs)]
            assert found, (country, h.holiday)
            assert h.before_new_year == (found[0].month == 12), (country, found)
    assert 60 < CHRISTMAS_LEADS < 100  # above New Year and the anniversaries, below the birthday


def test_serbian_new_year_still_carries_orthodox_christmas(tmp_path: Path) -> None:
    rows = preview(tmp_path, "sr")
    assert [r for r in rows if r["status"] == "send" and r["occasion"] == "new_year" and
            "christmas" in r["merged_with"]]  # type: ignore[operator]  # fmt: skip
