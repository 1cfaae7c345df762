"""What ``check`` answers for a holiday name the calendar does not know (greeter.holiday_names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_config import EXAMPLE, errors_of

WOMENS_DAY = '"International Women\'s Day"'


def _problem(written: str) -> str:
    text = EXAMPLE.replace(WOMENS_DAY, f'"{written}"')
    assert text != EXAMPLE
    (problem,) = errors_of(text)
    return problem


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("8 марта", "'Международный женский день'"),
        ("9 мая", "'День Победы'"),
        ("March 8", '"International Women\'s Day"'),
        ("8 March", '"International Women\'s Day"'),
    ],
)
def test_a_holiday_written_as_its_day_is_answered_with_its_name(written: str, meant: str) -> None:
    """ "8 марта" is how Russians say International Women's Day: the hint names it, in Russian."""
    assert _problem(written).endswith(f"RU has no holiday named {written!r}, did you mean {meant}?")


# Not "Mother's Day": Lithuania and Latvia have it, and a holiday without country: is each client's.
@pytest.mark.parametrize("written", ["День матери", "Valentine's Day", "1 апреля"])
def test_a_name_only_alike_gets_the_list_not_a_misleading_hint(written: str) -> None:
    """ "День матери" is not "День России" because both begin with "День": no hint, the known list."""
    problem = _problem(written)
    assert "did you mean" not in problem, problem
    assert f"RU has no holiday named {written!r} (known: Christmas Day / Рождество Христово; " in problem


@pytest.mark.parametrize("written", ["Victory Day (observed)", "День Победы (выходной)"])
def test_a_moved_day_off_is_no_holiday_name_and_never_offered(written: str) -> None:
    """The README: days a holiday is moved to are days off, not holidays to greet."""
    problem = _problem(written)
    assert f"RU has no holiday named {written!r}" in problem, problem
    listed = problem.partition("(known: ")[2]
    assert "Victory Day / День Победы" in listed
    assert "(observed)" not in listed and "(выходной)" not in listed, problem


def test_a_moved_day_off_written_close_to_its_holiday_is_answered_with_the_holiday() -> None:
    problem = _problem("International Women's Day (observed)")
    assert problem.endswith('did you mean "International Women\'s Day"?'), problem


def test_a_year_the_countrys_calendar_does_not_reach_is_said_so_not_listed_as_no_holidays() -> None:
    """Planning 1950 (``--now 1950-01-01``) said "RU has no holiday named … (known: )"."""
    from greeter.holiday_names import unknown_holiday

    assert unknown_holiday("Defender of the Fatherland Day", "RU", [1950, 1951]) == (
        "RU's holiday calendar has no days in 1950–1951: the holidays library covers RU from 1991 to 2100"
    )
    assert unknown_holiday("Defender of the Fatherland Day", "RU", [2026, 2027]) is None


@pytest.mark.parametrize("now", ["9999-12-31", "2101-01-01T10:00", "1900-06-01"])
def test_a_now_past_the_calendars_is_refused_with_their_years(now: str) -> None:
    """Every holiday unknown and none a day off: refused before anything is planned (it was
    'RU has no holiday named … (known: )' for each configured holiday)."""
    from click.testing import CliRunner

    from greeter.cli import main

    config = Path(__file__).resolve().parent.parent / "config.example.yaml"
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", now, "--days", "1"])
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--now': '{now}': the public-holiday calendars cover 1901–2100 only"
        in result.output
    )
