"""Holidays the ``holidays`` library dates by estimate: Kazakhstan's Kurban ait (Eid al-Adha).

The library names the lunar holidays "Eid al-Adha" in the years whose date is
confirmed (2022–2025 for KZ) and "Eid al-Adha (estimated)" in the later ones
(«Құрбан айт (бағаланған)» in Kazakh). A config written in 2025 with
``holiday: "Eid al-Adha"`` passed ``check`` and then greeted nobody in 2027,
without a word; written in 2026 it was refused ("did you mean 'Eid al-Adha
(estimated)'?"), a name that breaks the same way once the date is confirmed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.check_holidays import holiday_problems
from greeter.config_loader import parse_settings
from greeter.occasions import holiday_dates

CONFIG = """\
sender: {name: Евразия, email: greet@evrazia.example}
defaults: {country: KZ, locale: ru, timezone: Asia/Almaty}
contacts: {path: c.csv, columns: {country: Страна}}
occasions:
  - {name: kurban, title: Курбан айт, holiday: "%s", country: KZ, template: holiday}
"""


@pytest.mark.parametrize(
    "name", ["Eid al-Adha", "Eid al-Adha (estimated)", "Құрбан айт", "Құрбан айт (бағаланған)"]
)
def test_a_holiday_is_found_with_or_without_the_librarys_estimate_mark(name: str) -> None:
    assert holiday_dates("KZ", name, 2025) == (date(2025, 6, 6),)  # a confirmed date
    assert holiday_dates("KZ", name, 2027) == (date(2027, 5, 16),)  # an estimate


@pytest.mark.parametrize("name", ["Eid al-Adha", "Eid al-Adha (estimated)"])
def test_the_config_takes_the_name_in_a_year_of_estimates_and_check_says_the_date_is_one(
    tmp_path: Path, name: str
) -> None:
    today = date(2026, 12, 6)
    config = tmp_path / "greeter.yaml"
    config.write_text(CONFIG % name, encoding="utf-8")
    settings = parse_settings(CONFIG % name, str(config), today=today)  # was refused: "did you mean"
    messages = [p.message for p in holiday_problems(settings, config, {"KZ": 5}, today, {})]
    assert messages == [
        f"{name!r} in KZ on 16.05.2027 is the holidays library's estimate (a lunar holiday's date is"
        " set nearer the day): check the date before then, greeter greets on the library's date"
    ], messages


def test_a_name_written_in_a_confirmed_year_still_greets_in_the_estimated_ones(tmp_path: Path) -> None:
    """Written in 2025, checked at 2025-05-01: 2026 is an estimate, and is said so; nothing is lost."""
    today = date(2025, 5, 1)
    config = tmp_path / "greeter.yaml"
    config.write_text(CONFIG % "Eid al-Adha", encoding="utf-8")
    settings = parse_settings(CONFIG % "Eid al-Adha", str(config), today=today)
    messages = [p.message for p in holiday_problems(settings, config, {"KZ": 5}, today, {})]
    assert len(messages) == 1 and "on 27.05.2026 is the holidays library's estimate" in messages[0], messages


@pytest.mark.parametrize(
    ("today", "year", "other"), [("2025-05-01", 2026, "30.08.2025"), ("2026-03-01", 2026, "15.03.2027")]
)
def test_a_holiday_with_no_day_in_a_planned_year_is_said_not_planned_as_nothing(
    tmp_path: Path, today: str, year: int, other: str
) -> None:
    """Kazakhstan's Constitution Day: 30 August until 2025, 15 March from 2027, no day in 2026."""
    now = date.fromisoformat(today)
    text = CONFIG.replace("Курбан айт", "Конституция") % "Constitution Day"
    config = tmp_path / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    settings = parse_settings(text, str(config), today=now)
    messages = [p.message for p in holiday_problems(settings, config, {"KZ": 5}, now, {})]
    assert messages == [
        f"KZ's calendar has no 'Constitution Day' in {year} (it has it on {other}): the occasion greets no"
        f" KZ client in {year}; if the holiday moved or was renamed, write its name in that year's calendar"
        " in an occasion of its own"
    ], messages


def test_no_word_when_the_missing_years_day_would_be_past_anyway(tmp_path: Path) -> None:
    now = date(2026, 12, 6)  # 2026 has none, but 15 March 2026 is past: nothing is lost
    text = CONFIG % "Constitution Day"
    config = tmp_path / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    settings = parse_settings(text, str(config), today=now)
    assert holiday_problems(settings, config, {"KZ": 5}, now, {}) == []


def test_the_estimate_and_its_marks_are_kept_in_the_cache_file(tmp_path: Path) -> None:
    """A warm start reads the tables from the file, without the library: the flag and the marks too."""
    from greeter import holiday_cache, holiday_tables

    holiday_tables.forget()
    holiday_tables.warm(["KZ"], [2025, 2027], tmp_path)
    holiday_tables.forget()
    holiday_tables.warm(["KZ"], [2025, 2027], tmp_path)  # read back from the file
    assert ("", " (бағаланған)") in holiday_cache._estimate_marks["KZ"]
    (kurban,) = holiday_tables.days_of("KZ", 2027)[date(2027, 5, 16)]
    assert kurban.estimated and kurban.names == ("Eid al-Adha", "Құрбан айт")
    assert holiday_dates("KZ", "Құрбан айт (бағаланған)", 2025) == (date(2025, 6, 6),)
    holiday_tables.forget()
