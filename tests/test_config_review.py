"""Mistakes a user review of the config found answered wrongly: each now gets one plain, located line.

A boolean where a number goes (``round_years: true`` read as 1), keys outdented
out of their section (a look-alike suggested instead of the section), a day
list in DD.MM.YYYY (pydantic's "valid date or datetime"), and a tab in the
indentation blamed on the line below it.
"""

from __future__ import annotations

import pytest

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from tests.conftest import TODAY
from tests.test_config import MINIMAL

#: MINIMAL with an occasion that has an audience, and a send window, to break in each case.
BASE = (
    MINIMAL.replace(
        "frequency_cap:",
        """\
  - name: anniversary
    field: birthday
    template: birthday
    audience:
      tiers: [VIP]
      round_years: 5
frequency_cap:""",
    )
    + """\
send_window:
  end_margin_minutes: 30
  extra_days_off: [2026-12-11]
"""
)


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "greeter.yaml", today=TODAY)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a boolean is no number: every numeric field, with its unit and an example
        (
            "round_years: 5",
            "round_years: true",
            "greeter.yaml:17:7: occasions.1.audience.round_years: expected a number of years like 5, got true",
        ),
        (
            "  max_count: 6",
            "  max_count: false",
            "greeter.yaml:19:3: frequency_cap.max_count: expected a number like 6, got false",
        ),
        (
            "end_margin_minutes: 30",
            "end_margin_minutes: true",
            "greeter.yaml:24:3: send_window.end_margin_minutes: expected a number of minutes like 30, got true",
        ),
        (
            "frequency_cap:",
            "catch_up_days: true\nfrequency_cap:",
            "greeter.yaml:18:1: catch_up_days: expected a number of days like 3, got true",
        ),
        # keys outdented out of `audience:`: where they belong, and the empty section in words
        (
            "      tiers: [VIP]\n      round_years: 5",
            "    tiers: [VIP]\n    round_years: 5",
            "greeter.yaml:15:5: occasions.1.audience: expected a section of settings "
            "(tiers:, tags:, contacts: …), got nothing\n"
            "greeter.yaml:16:5: occasions.1.tiers: belongs under `audience:` (indent it below `audience:`)\n"
            "greeter.yaml:17:5: occasions.1.round_years: belongs under `audience:` (indent it below `audience:`)",
        ),
        (
            "  max_count: 6\n  window_days: 365",
            "  max_count: 6\nwindow_days: 365",
            "greeter.yaml:20:1: window_days: belongs under `frequency_cap:` (indent it below `frequency_cap:`)",
        ),
        # a date column of its own outdented out of `dates:` (a marketer's name day): said so
        (
            "    birthday: Birthday\n",
            "    birthday: Birthday\n  name_day: Именины\n",
            "greeter.yaml:8:3: contacts.name_day: unknown key; if it belongs in `dates:`, indent it below "
            "`dates:` (contacts.dates.name_day)",
        ),
        # a day written in neither form a config day takes (2026-12-11, 11.12.2026): both, of the day meant
        (
            "field: birthday\n    template: birthday\n    audience",
            "on: [2027/03/15]\n    template: birthday\n    audience",
            "greeter.yaml:13:10: occasions.1.on.0: '2027/03/15' is not a date like 2027-03-15 or 15.03.2027",
        ),
        (
            "extra_days_off: [2026-12-11]",
            "extra_days_off: [11/12/2026]",
            "greeter.yaml:25:20: send_window.extra_days_off.0: '11/12/2026' is not a date like 2026-12-11 "
            "or 11.12.2026",
        ),
        (  # a number: pydantic's "Datetimes provided to dates should have zero time"
            "extra_days_off: [2026-12-11]",
            "extra_days_off: [20261211]",
            "greeter.yaml:25:20: send_window.extra_days_off.0: '20261211' is not a date like 2026-12-11 "
            "or 11.12.2026",
        ),
        # a tab after a blank line: the line holding it, not the next one
        (
            "frequency_cap:\n  max_count: 6",
            "frequency_cap:\n\n\tmax_count: 6",
            "greeter.yaml:20:1: YAML syntax: a tab in the indentation (YAML allows spaces only)",
        ),
        (
            "frequency_cap:\n  max_count: 6",
            "frequency_cap:\n\n  \tmax_count: 6",
            "greeter.yaml:20:3: YAML syntax: a tab in the indentation (YAML allows spaces only)",
        ),
    ],
)
def test_a_reviewed_mistake_is_one_plain_located_line(old: str, new: str, expected: str) -> None:
    assert old in BASE
    assert errors_of(BASE.replace(old, new, 1)) == expected.split("\n")
