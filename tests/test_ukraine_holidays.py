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

import re
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


def test_a_russian_project_for_ua_offers_ukraines_holidays_and_check_accepts_them(tmp_path: Path) -> None:
    """``init --country UA --locale ru`` (a Russian-speaking team's; ``--country UA`` alone is Ukrainian:
    tests/test_init_ukraine.py): Ukraine's examples, each ``country: UA``, and 8 March kept."""
    project = tmp_path / "kyiv"
    done = CliRunner().invoke(main, ["init", str(project), "--country", "UA", "--locale", "ru"])
    assert done.exit_code == 0, done.output
    config = project / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  locale: ru " in text and "  country: UA " in text
    assert '    holiday: "Різдво Христове"\n    country: UA\n' in text
    assert '  #   holiday: "День незалежності України"\n  #   country: UA\n' in text
    blocks = re.compile(r"^  # - name: ua_\w+\n(?:  #   [^\n]*\n)+", re.MULTILINE)
    live = blocks.sub(lambda m: "".join("  " + line[4:] + "\n" for line in m.group().splitlines()), text)
    assert live.count("  - name: ua_") == 2
    config.write_text(live, encoding="utf-8")
    checked = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2026-06-01T09:00:00+03:00"]
    )
    assert checked.exit_code == 0, checked.output
    assert "Незалежності" not in checked.output and "незалежності" not in checked.output
