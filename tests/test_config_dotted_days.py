"""The config's days written as a Russian or European marketer writes them: ``30.08.2027``.

The command line (``--now``, ``--from``, ``baseline --through``) and the contacts
file took ``30.08.2027``; the config refused ``extra_days_off: [30.08.2027]``
with "is not a date like 2027-08-30 (YYYY-MM-DD)". Now every day of the config
(one-off ``on:`` days, ``extra_days_off``, a region's ``days``) takes it too,
read by the command line's own reader (:func:`greeter.day_text.read_day`),
and an impossible one is said as an impossible ISO day is: file, line, field,
and why the day does not exist.
"""

from __future__ import annotations

import json
from datetime import date

import click
import pytest

from greeter.cli_values import parse_day
from greeter.config_loader import parse_settings
from greeter.day_text import day_numbers
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_baseline import invoke
from tests.test_config import MINIMAL, errors_of

ONE_OFF = MINIMAL.replace(
    "    field: birthday\n", "    on: [15.03.2027, 2027-03-16, '17.03.2027', 1.4.2027]\n"
)
DAYS_OFF = MINIMAL + "send_window:\n  extra_days_off: [30.08.2027, 2027-08-31]\n"
REGION = MINIMAL + "send_window:\n  regional_days_off:\n    RU-TA:\n      days: [30.08.2027, 06.11.2027]\n"


def test_one_off_days_take_day_first_dates_beside_iso() -> None:
    settings = parse_settings(ONE_OFF, "greeter.yaml", today=TODAY)
    assert settings.occasions[0].on == [
        date(2027, 3, 15),
        date(2027, 3, 16),
        date(2027, 3, 17),
        date(2027, 4, 1),
    ]


def test_extra_and_regional_days_off_take_day_first_dates() -> None:
    window = parse_settings(DAYS_OFF, "greeter.yaml", today=TODAY).send_window
    assert window.extra_days_off == [date(2027, 8, 30), date(2027, 8, 31)]
    region = parse_settings(REGION, "greeter.yaml", today=TODAY).send_window.regional_days_off
    assert region["RU-TA"].days == [date(2027, 8, 30), date(2027, 11, 6)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL + "send_window:\n  extra_days_off: [31.02.2027]\n",
            "greeter.yaml:18:20: send_window.extra_days_off.0: 31.02.2027 is not a real date: "
            "February has no 31st",
        ),
        (
            MINIMAL.replace("    field: birthday\n", "    on: [2027-03-01, 29.02.2027]\n"),
            "greeter.yaml:10:22: occasions.0.on.1: 29.02.2027 is not a real date: 2027 is not a leap year",
        ),
        (
            MINIMAL.replace("    field: birthday\n", "    on: [15.13.2027]\n"),
            "greeter.yaml:10:10: occasions.0.on.0: 15.13.2027 is not a real date: there is no month 13",
        ),
        (  # quoted ISO: the same words as unquoted
            MINIMAL.replace("    field: birthday\n", '    on: ["2027-02-31"]\n'),
            "greeter.yaml:10:10: occasions.0.on.0: 2027-02-31 is not a real date: February has no 31st",
        ),
    ],
)
def test_a_day_first_date_that_does_not_exist_is_said_so_where_it_is(text: str, expected: str) -> None:
    assert errors_of(text) == [expected]


def test_other_forms_are_refused_naming_both_taken() -> None:
    text = MINIMAL.replace("    field: birthday\n", "    on: [2027/03/15]\n")
    assert errors_of(text) == [
        "greeter.yaml:10:10: occasions.0.on.0: '2027/03/15' is not a date like 2027-03-15 or 15.03.2027"
    ]


#: Thursday 15 April 2027's birthday; the preview on Wednesday the 14th.
NOW = "2027-04-14T09:00:00+03:00"
ROWS = [contact_row("1", "one@example.com", birthday="15.04.1980")]


def test_preview_keeps_a_day_off_written_day_first(make_project: MakeProject) -> None:
    """Through the real command: the day off moves the letter off Thursday, as its ISO form does."""
    leaves = {}
    for written in ("15.04.2027", "2027-04-15"):
        config = make_project(ROWS, send_window={"extra_days_off": [written]})
        code, out, err = invoke(
            config, "preview", "--from", "2027-04-14", "--days", "3", "--now", NOW, "--format", "json"
        )
        assert code == 0, err
        (item,) = json.loads(out)
        leaves[written] = item["send_at"][:10]
    assert leaves == {"15.04.2027": "2027-04-14", "2027-04-15": "2027-04-14"}


def test_an_impossible_day_off_stops_the_command_naming_file_line_and_field(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS, send_window={"extra_days_off": ["31.02.2027"]})
    code, out, err = invoke(config, "preview", "--now", NOW)
    assert (code, out) == (2, ""), err
    assert (
        f"{config}:" in err
        and "send_window.extra_days_off.0: 31.02.2027 is not a real date: February has no 31st" in err
    )
    assert "Traceback" not in err


def test_the_schema_takes_both_forms(make_project: MakeProject) -> None:
    """An editor validating with ``greeter schema`` flagged 30.08.2027 (``format: date`` is ISO only)."""
    import re

    config = make_project(ROWS)
    code, out, err = invoke(config, "schema")
    assert code == 0, err
    defs = json.loads(out)["$defs"]
    for day in (
        defs["SendWindow"]["properties"]["extra_days_off"]["items"],
        defs["RegionalDaysOff"]["properties"]["days"]["items"],
        defs["Occasion"]["properties"]["on"]["anyOf"][0]["items"],
    ):
        assert day["type"] == "string", day
        for written, taken in (
            ("30.08.2027", True),
            ("2027-08-30", True),
            ("1.9.2027", True),
            ("2027/08/30", False),
        ):
            assert bool(re.search(day["pattern"], written)) is taken, (day, written)


#: Digits that are not ASCII: Arabic-Indic and fullwidth 30.08.2027. The schema's pattern refuses them.
NOT_ASCII = ("٣٠.٠٨.٢٠٢٧", "３０.０８.２０２７")


@pytest.mark.parametrize("written", NOT_ASCII)
def test_only_ascii_digits_make_a_day_as_the_schema_says(written: str) -> None:
    text = MINIMAL + f"send_window:\n  extra_days_off: ['{written}']\n"
    assert errors_of(text) == [
        f"greeter.yaml:18:20: send_window.extra_days_off.0: '{written}' is not a date like 2027-03-15 or 15.03.2027"
    ]
    with pytest.raises(click.BadParameter):
        parse_day(written, "--from")
    assert day_numbers(written) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            '["2027-08-30T00:00:00"]',
            "'2027-08-30T00:00:00' is a date and time: write the day alone, 2027-08-30",
        ),
        (
            "[2027-08-30T00:00:00]",
            "'2027-08-30T00:00:00' is a date and time: write the day alone, 2027-08-30",
        ),
        ('["2027-08-30T10:00"]', "'2027-08-30T10:00' is a date and time: write the day alone, 2027-08-30"),
        ('["30.08.2027 10:00"]', "'30.08.2027 10:00' is a date and time: write the day alone, 30.08.2027"),
        ('["2026-02-30T10:00"]', "2026-02-30T10:00 is not a real date: February has no 30th"),
    ],
)
def test_a_date_and_time_is_no_day_off_as_the_schema_says(written: str, expected: str) -> None:
    """check took a midnight date-time (pydantic reads it as its day) which the schema refuses."""
    text = MINIMAL + f"send_window:\n  extra_days_off: {written}\n"
    assert errors_of(text) == [f"greeter.yaml:18:20: send_window.extra_days_off.0: {expected}"]


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("31.02.2027", "31.02.2027 is not a real date: February has no 31st"),
        (
            "08.30.2027",
            "08.30.2027 is not a real date: there is no month 30 (dotted dates are day first: 30.08.2027?)",
        ),
        ("2027-02-31", "2027-02-31 is not a real date: February has no 31st"),
        ("29.02.2027", "29.02.2027 is not a real date: 2027 is not a leap year"),
    ],
)
def test_the_config_and_the_command_line_say_a_day_that_is_none_alike(
    written: str, why: str, make_project: MakeProject
) -> None:
    """One wording (greeter.day_text.not_a_day), no strftime code shown to a marketer."""
    assert errors_of(MINIMAL + f"send_window:\n  extra_days_off: ['{written}']\n") == [
        f"greeter.yaml:18:20: send_window.extra_days_off.0: {why}"
    ]
    config = make_project(ROWS)
    code, _, err = invoke(config, "preview", "--from", written, "--now", NOW)
    assert code == 2 and err.rstrip().endswith(f"Invalid value for '--from': {why}"), err
    assert "%" not in err
