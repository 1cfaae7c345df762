"""``check`` and ``preview`` say when the plan reaches a year whose moved days off the library lacks.

Russia moves days off by a yearly government decree (published in the autumn
before), and by the Labour Code art. 112 a holiday on a weekend moves to the
next working day: in 2028 Unity Day falls on Saturday 4 November, so Monday
6 November 2028 is off. The ``holidays`` library (0.109) has Russia's moved
days up to 2027 only, and ``preview --from 2028-11-01`` greeted a birthday on
that Monday without a word. Which countries move days by decree, and up to
which year the library has them, is the library's own data, not a list here.
"""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from greeter.decreed_days import undecreed
from tests.conftest import MakeProject, contact_row


def test_a_country_that_moves_days_by_decree_is_told_for_a_year_the_library_lacks() -> None:
    assert undecreed(["RU", "GB"], range(2027, 2029), date(2027, 11, 15)) == [("RU", 2028)]
    assert undecreed(["RU-TA"], range(2028, 2029), date(2027, 11, 15)) == [("RU", 2028)]
    assert undecreed(["RU"], range(2026, 2028), date(2026, 12, 6)) == []  # 2027's are in


def test_a_country_that_stopped_moving_days_is_not_told() -> None:
    """Bulgaria's last moved days are of 2016, Ukraine's of 2022 (none under martial law)."""
    assert undecreed(["BG", "UA"], range(2027, 2029), date(2027, 11, 15)) == []


def _project(make_project: MakeProject):  # type: ignore[no-untyped-def]
    rows = [contact_row("1001", "ivan@example.ru", country="RU", birthday="06.11.1980")]
    return make_project(rows, defaults={"country": "RU"})


def test_preview_says_russias_2028_days_off_may_be_missing(make_project: MakeProject) -> None:
    config = _project(make_project)
    args = ["--config", str(config), "preview", "--format", "json", "--from", "2028-11-01", "--days", "14"]
    result = CliRunner().invoke(main, [*args, "--now", "2028-10-20T09:00"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        "note: the holidays library has no moved days off of RU for 2028 (set by a decree each year):"
        " days off may be missing; add them to send_window.regional_days_off (RU: {days: [...]})"
        " or extra_days_off" in result.stderr.splitlines()
    ), result.stderr


def test_check_warns_of_russias_2028(make_project: MakeProject) -> None:
    config = _project(make_project)
    check = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-11-15T10:00"])
    assert "no moved days off of RU for 2028" in check.stderr + check.stdout, check.output
    quiet = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T10:00"])
    assert "moved days off" not in quiet.stderr + quiet.stdout, quiet.output


@pytest.mark.parametrize(
    ("default", "field", "said"),
    [
        (
            "DE",
            "contacts.columns.country",
            " (the country of 2 contact(s) in data/contacts.csv, column 'Страна')",
        ),
        ("RU", "defaults.country", ""),
    ],
)
def test_a_country_only_rows_name_is_warned_of_at_the_contacts_country_column(
    make_project: MakeProject, default: str, field: str, said: str
) -> None:
    """A Tashkent project (``defaults.country: UZ``) was told of KZ's missing days at
    ``defaults.country: UZ``; KZ came from contact rows: the warning is at their column now."""
    rows = [
        contact_row("1", "a@example.ru", country="RU", birthday="06.11.1980"),
        contact_row("2", "b@example.ru", country="Россия", birthday="06.11.1980"),
    ]
    config = make_project(rows, defaults={"country": default})
    found = [
        p for p in run_check(config, "2027-11-15T10:00").problems if "no moved days off of RU" in p.message
    ]
    assert [(p.field, p.message.split(" or extra_days_off", 1)[1]) for p in found] == [(field, said)]


def test_the_days_typed_in_for_the_year_silence_it(make_project: MakeProject) -> None:
    """A Minsk office added ``BY: {days: [08.01.2027]}`` as the warning said, and was told again."""
    assert undecreed(["BY"], [2027], date(2026, 12, 7), {"BY": [date(2027, 1, 8)]}) == []
    assert undecreed(["BY"], [2027], date(2026, 12, 7), {"BY": [date(2026, 1, 2)]}) == [("BY", 2027)]
    assert undecreed(["BY"], [2027], date(2026, 12, 7), {"RU": [date(2027, 1, 8)]}) == [("BY", 2027)]
    rows = [contact_row("1001", "ivan@example.by", country="BY", birthday="06.11.1980", tz="Europe/Minsk")]
    for days, warned in (([], True), (["08.01.2027"], False)):
        window = {"regional_days_off": {"BY": {"days": days}}} if days else {}
        config = make_project(rows, defaults={"country": "BY"}, send_window=window)
        check = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-07T10:00"])
        assert ("no moved days off of BY for 2027" in check.stderr) is warned, check.output
        args = ["--config", str(config), "preview", "--from", "2027-01-01", "--days", "14"]
        preview = CliRunner().invoke(main, [*args, "--now", "2026-12-07T10:00"])
        assert ("no moved days off of BY for 2027" in preview.stderr) is warned, preview.output
