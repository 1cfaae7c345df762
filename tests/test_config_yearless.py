"""A day of the year written without its year where the config wants a day, in words naming the form meant.

A Russian marketer writes New Year ``01.01``: ``on: [01.01]`` said "Input
should be a valid date (got 1.01)" (YAML reads an unquoted 01.01 as the number
1.01), ``on: 01.01`` "Input should be a valid list", ``date: 25.12`` "Input
should be a valid string (got 25.12)"; ``on: 01-01`` said to write ``[01-01]``,
which then was "not a date like 2027-03-15". None named the yearly form. Now
each is said from the source text, at its line and column, naming ``date:
"12-25"`` (every year) and ``on: [25.12.2027]`` (one day).
"""

from __future__ import annotations

import pytest

from tests.conftest import MakeProject, contact_row
from tests.test_baseline import invoke
from tests.test_config import MINIMAL, errors_of

EVERY_YEAR_01 = 'every year is `date: "01-01"`, one day is `on: [01.01.2027]`'


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("on: [01.01]", f"10:10: occasions.0.on.0: 01.01 has no year: {EVERY_YEAR_01}"),
        ("on: 01.01", f"10:5: occasions.0.on: 01.01 has no year: {EVERY_YEAR_01}"),
        ("on: 01-01", f"10:5: occasions.0.on: 01-01 has no year: {EVERY_YEAR_01}"),
        ("on: [01-01]", f"10:10: occasions.0.on.0: 01-01 has no year: {EVERY_YEAR_01}"),
        ("on: ['25.12']", '10:10: occasions.0.on.0: 25.12 has no year: every year is `date: "12-25"`, '
         "one day is `on: [25.12.2026]`"),
        ("on: [2027-01-02, 29.02]", '10:22: occasions.0.on.1: 29.02 has no year: every year is `date: "02-29"`, '
         "one day is `on: [29.02.2028]`"),
        ("date: 25.12", '10:5: occasions.0.date: 25.12 is read as a number; a yearly day is written month first, '
         'in quotes: date: "12-25"'),
    ],
)  # fmt: skip
def test_a_day_without_its_year_names_the_yearly_and_the_one_off_form(written: str, expected: str) -> None:
    text = MINIMAL.replace("    field: birthday\n", f"    {written}\n")
    assert errors_of(text) == [f"greeter.yaml:{expected}"]


def test_a_day_off_without_its_year_asks_for_the_year() -> None:
    text = MINIMAL + "send_window:\n  extra_days_off: [2026-12-31, 25.12]\n"
    assert errors_of(text) == [
        "greeter.yaml:18:32: send_window.extra_days_off.1: 25.12 has no year: write the day with its year, 25.12.2026"
    ]


def test_other_mistakes_keep_their_words() -> None:
    """A quoted ``date: "25.12"`` already named "12-25"; a number that is no day is not one of these."""
    quoted = MINIMAL.replace("    field: birthday\n", '    date: "25.12"\n')
    assert errors_of(quoted) == [
        "greeter.yaml:10:5: occasions.0.date: '25.12' is not a month-day like '01-01' (MM-DD): "
        'write "12-25" (MM-DD: month first)'
    ]
    other = MINIMAL.replace("    field: birthday\n", "    on: [2027/03/15]\n")
    assert errors_of(other) == [
        "greeter.yaml:10:10: occasions.0.on.0: '2027/03/15' is not a date like 2027-03-15 or 15.03.2027"
    ]


def test_check_says_it_at_the_file_line_and_column(make_project: MakeProject) -> None:
    """Through the real command: no raw pydantic words, no traceback."""
    config = make_project([contact_row("1", "one@example.com", birthday="15.04.1980")])
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  field: birthday ", "  on: [01.01]   ", 1), encoding="utf-8")
    assert "on: [01.01]" in config.read_text(encoding="utf-8")
    code, _, err = invoke(config, "check", "--now", "2026-12-01T09:00:00+03:00")
    assert code != 0
    assert '01.01 has no year: every year is `date: "01-01"`' in err and f"{config}:" in err, err
    assert "Input should be" not in err and "Traceback" not in err
