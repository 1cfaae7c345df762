"""Days of mourning are never greeted unwarned, and ``init`` says what to start a language it lacks with.

Azerbaijan's calendar lists "Martyrs' Day" (20 January, national mourning for Black January)
among its holidays, and ``check`` passed an occasion greeting it; the Armenian starter listed the
genocide-remembrance days among the holidays to greet. And ``init --locale az`` said only which
languages the starter has, not that ``--country AZ`` starts a Baku office's project.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.cli_init import holiday_names

NOW = "2027-01-05T12:00:00+04:00"


def _az_project(tmp_path: Path, holiday: str) -> Path:
    folder = tmp_path / "az"
    done = CliRunner().invoke(main, ["init", str(folder), "--country", "AZ"])
    assert done.exit_code == 0, done.output
    config = folder / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert '    holiday: "Spring Festival"\n' in text
    config.write_text(
        text.replace('    holiday: "Spring Festival"\n', f'    holiday: "{holiday}"\n'), "utf-8"
    )
    return config


def test_check_warns_an_occasion_greeting_a_day_of_mourning(tmp_path: Path) -> None:
    config = _az_project(tmp_path, "Martyrs' Day")
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 0, result.output
    assert (
        "\"Martyrs' Day\" in AZ (Martyrs' Day, 20.01) is a day of mourning, not a holiday to greet:"
        " a greeting on it is a blunder; remove this occasion"
    ) in result.stderr, result.stderr
    assert "occasions." in result.stderr.split("is a day of mourning")[0].rsplit("\n", 1)[-1]


def test_the_own_language_name_of_a_day_of_mourning_is_warned_too(tmp_path: Path) -> None:
    config = _az_project(tmp_path, "Ümumxalq hüzn günü")
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert "is a day of mourning" in result.stderr, result.stderr


def test_a_holiday_to_greet_is_not_warned_as_mourning(tmp_path: Path) -> None:
    config = _az_project(tmp_path, "Spring Festival")
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert "mourning" not in result.stderr, result.stderr


@pytest.mark.parametrize("country", ["AM", "TM"])
def test_no_starter_offers_a_day_of_mourning(country: str) -> None:
    """Armenia's genocide-remembrance days were among the names its starter offered to greet."""
    from greeter.mourning_days import MOURNING_DAYS, mourned

    offered = holiday_names(country, 2026)
    assert offered, country
    assert not set(offered) & MOURNING_DAYS[country]
    assert mourned(country, offered) is None


def test_the_table_names_days_the_library_has() -> None:
    """Each name is the library's (a renamed day would silently be greeted again)."""
    from greeter.holiday_tables import greeted_days_of
    from greeter.mourning_days import MOURNING_DAYS

    for country, names in MOURNING_DAYS.items():
        have = {
            n
            for year in (2025, 2026)
            for hs in greeted_days_of(country, year).values()
            for h in hs
            for n in h.names
        }
        assert names <= have, (country, names - have)


@pytest.mark.parametrize(
    ("locale", "country", "named", "letters"),
    [
        ("az", "AZ", "Azerbaijan", "ru"),
        ("hy", "AM", "Armenia", "ru"),
        ("lv", "LV", "Latvia", "en"),  # no Russian-speaking office's: English letters (ka has its own now)
    ],
)
def test_a_language_without_letters_is_told_its_country_and_fallback_locales(
    tmp_path: Path, locale: str, country: str, named: str, letters: str
) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", locale])
    assert done.exit_code == 2
    said = " ".join(done.stderr.replace("│", "").split())
    assert f"'{locale}': the starter's letters are in ru, de, en, et, hu, ka, sr, uk;" in said
    language, other = ("Russian", "en") if letters == "ru" else ("English", "ru")
    assert f"start with --country {country} (its holidays, {language} letters)" in said
    assert f"for a project in {named}" in said
    assert f"defaults.fallback_locales: {{{locale}: {letters}}} (or {other})" in said
    assert not (tmp_path / "p").exists()


def _il_project(tmp_path: Path, holiday: str, days_off: str = "") -> Path:
    """A Tel Aviv office's starter with an occasion greeting IL's ``holiday`` (and ``days_off``, a
    ``regional_days_off`` entry's text)."""
    folder = tmp_path / "il"
    done = CliRunner().invoke(main, ["init", str(folder), "--country", "IL"])
    assert done.exit_code == 0, done.output
    config = folder / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    occasion = f'  - name: il_day\n    title: Day\n    holiday: "{holiday}"\n    template: holiday\n    priority: 30\n\n'
    assert "  # - name: defender_day\n" in text
    text = text.replace("  # - name: defender_day\n", occasion + "  # - name: defender_day\n", 1)
    if days_off:
        assert "  # regional_days_off:\n" in text
        text = text.replace("  # regional_days_off:\n", f"  regional_days_off:\n    {days_off}\n", 1)
    config.write_text(text, "utf-8")
    return config


@pytest.mark.parametrize(
    ("holiday", "day"),
    [("Yom Kippur", "11.10"), ("Remembrance Day", "11.05"), ("Tisha B'Av", "12.08"), ("יום כיפור", "11.10")],
)
def test_check_warns_israels_solemn_days(tmp_path: Path, holiday: str, day: str) -> None:
    """Yom Kippur (a solemn fast), Yom HaZikaron and Tisha B'Av passed ``check`` as holidays to greet;
    the last two were not even names (the library keeps them in IL's ``optional`` category)."""
    config = _il_project(tmp_path, holiday)
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2027-01-05T12:00:00+02:00"]
    )
    assert result.exit_code == 0, result.output
    english = {"יום כיפור": "Yom Kippur"}.get(holiday, holiday)
    assert f"in IL ({english}, {day}) is a day of mourning, not a holiday to greet" in result.stderr, (
        result.stderr
    )


def test_an_israeli_holiday_to_greet_is_not_warned(tmp_path: Path) -> None:
    config = _il_project(tmp_path, "Purim")
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2027-01-05T12:00:00+02:00"]
    )
    assert result.exit_code == 0, result.output
    assert "mourning" not in result.stderr, result.stderr


def test_yom_hazikaron_can_be_a_day_off(tmp_path: Path) -> None:
    """An office closed on Remembrance Day names it in ``holidays_of`` (IL's optional category)."""
    from greeter.calendar_rules import borrowed_days_off

    config = _il_project(tmp_path, "Purim", 'IL: {holidays_of: {country: IL, names: ["Remembrance Day"]}}')
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2027-01-05T12:00:00+02:00"]
    )
    assert result.exit_code == 0, result.output
    assert "no holiday named" not in result.stderr, result.stderr
    assert date(2027, 5, 11) in borrowed_days_off(("IL", ("Remembrance Day",), True), 2027)


def test_no_israeli_starter_offers_a_solemn_day() -> None:
    """IL's starter offers examples of its own (greeter.starter_countries.HOLIDAYS), no longer the
    calendar's list of names: neither holds a day of mourning."""
    from greeter.mourning_days import MOURNING_DAYS
    from greeter.starter_countries import HOLIDAYS

    offered = {h.holiday for h in HOLIDAYS["IL"]}
    assert offered == {"Rosh Hashanah", "Pesach"}
    assert not offered & MOURNING_DAYS["IL"]
    assert holiday_names("IL", 2027) == ()  # it has examples: the calendar is not listed
