"""Ukraine's holidays while martial law lasts: greeted by name, yet working days.

holidays 0.10x keeps Ukraine's public holidays in its ``workday`` category
while martial law lasts: the public calendar of 2026 is empty. A Kyiv office's
``holiday: "Independence Day"`` failed ``check`` with a message that
contradicted itself ("no days in 2026–2027: the holidays library covers UA
from 1991 to 2100"), and ``init --country UA`` listed no names. A greeting is
about the day celebrated, not a day off: the name is looked up in every
category the library has for the country; the days off of the send window
stay the public ones.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.holiday_names import unknown_holiday
from greeter.holiday_tables import days_of, greeted_days_of
from greeter.occasions import holiday_dates

YEARS = (2026, 2027)


def test_ukraines_holidays_are_greeted_by_name_but_are_no_days_off() -> None:
    assert holiday_dates("UA", "Independence Day", 2026) == (date(2026, 8, 24),)
    assert holiday_dates("UA", "День незалежності України", 2026) == (date(2026, 8, 24),)
    assert unknown_holiday("Independence Day", "UA", YEARS) is None
    assert unknown_holiday("Christmas Day", "UA", YEARS) is None
    on_day = greeted_days_of("UA", 2026)[date(2026, 8, 24)]
    assert [h.day_off for h in on_day] == [False]
    assert date(2026, 8, 24) not in days_of("UA", 2026)  # the send window's days off: public ones only
    assert days_of("RU", 2026) == greeted_days_of("RU", 2026)  # a country of one category: as before


def test_a_name_ukraine_lacks_is_told_the_names_it_has_not_a_contradiction() -> None:
    said = unknown_holiday("Unity Day", "UA", YEARS)
    assert said is not None
    assert "covers UA from" not in said
    assert "Independence Day" in said and "Christmas Day" in said


def test_init_country_ua_lists_its_calendars_names_and_check_accepts_independence_day(tmp_path: Path) -> None:
    project = tmp_path / "kyiv"
    done = CliRunner().invoke(main, ["init", str(project), "--country", "UA"])
    assert done.exit_code == 0, done.output
    config = project / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "the names of its calendar" in text or "a name of its calendar" in text
    assert "Independence Day" in text and "Day of defenders of Ukraine" in text
    config.write_text(text.replace("International Women's Day", "Independence Day"), encoding="utf-8")
    checked = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2026-06-01T09:00:00+03:00"]
    )
    assert checked.exit_code == 0, checked.output
    assert "Independence Day" not in checked.output
