"""What a newcomer who learns greeter from ``--help`` and its messages alone was left with.

A persona who read only the help and the errors found: ``--now 2027-04-14T9:00`` refused while
``--now '7.12.2026 9:00'`` was taken; ``preview --from 2028-05`` shown an example day in March
2027; ``tags: null`` answered with pydantic's "Input should be a valid list"; ``max_days_early: 0``
under ``day_off_policy: after`` refused without naming the setting that does bound a greeting in
advance then (``merge_max_days_early``); ``suppress --list --format jsn``, ``suppress --list`` of a
misspelt address and ``unsuppress --contact`` of a typo without the did-you-mean a misspelt
option name gets; and ``check --help`` a description of 18 lines in one paragraph. Real CLI,
in-process; the example project (``make_project``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.day_text import read_moment
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00:00+03:00"
ANNA = contact_row("1029", "anna@example.com", last="Смирнова", first="Анна", birthday="09.12.1981")


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args], terminal_width=80)
    return result.exit_code, result.stdout, result.stderr


def edited(config: Path, old: str, new: str) -> Path:
    text = config.read_text(encoding="utf-8")
    assert old in text, old
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return config


@pytest.mark.parametrize("written", ["2027-04-14T9:00", "2027-04-14 9:00", "2027-04-14T9:05+03:00"])
def test_an_iso_moment_takes_a_one_digit_hour_as_the_dotted_one_does(
    make_project: MakeProject, written: str
) -> None:
    assert read_moment(written).hour == 9
    config = make_project([ANNA])
    code, _, err = invoke(config, "preview", "--days", "1", "--format", "json", "--now", written)
    assert code == 0, err
    assert "--now" not in err


def test_a_month_for_a_day_is_shown_its_first_day_in_both_forms(make_project: MakeProject) -> None:
    config = make_project([ANNA])
    code, out, err = invoke(config, "preview", "--from", "2028-05")
    assert (code, out) == (2, "")
    assert "'2028-05' is not a date like 2028-05-01 or 01.05.2028" in err, err


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "tags: [23feb]",
            "tags: null",
            None,  # audience.tags: null is "no tag filter", taken
        ),
        (
            "working_days: [mon, tue, wed, thu, fri]",
            "working_days: null",
            "send_window.working_days: is empty (null), not a list: write the days in brackets, like"
            " [mon, tue, wed, thu, fri], or leave it out",
        ),
        (
            "# extra_days_off: [31.12.2026, 2027-01-08]",
            "extra_days_off:",
            "send_window.extra_days_off: is empty (null), not a list: write an empty list, [], or leave it out",
        ),
        (  # [] here is no "none" but harm: no format, no date read (QA re-test finding 9)
            "date_formats: ['%d.%m.%Y', '%Y-%m-%d', '%d/%m/%Y']",
            "date_formats:",
            'contacts.date_formats: is empty (null), not a list: leave it out for the built-in formats, ["%d.%m.%Y",'
            ' "%Y-%m-%d", "%d/%m/%Y"]; an empty list, [], reads no date at all',
        ),
    ],
)
def test_a_list_setting_left_null_says_empty_list_or_leave_it_out(
    make_project: MakeProject, old: str, new: str, said: str | None
) -> None:
    config = edited(make_project([ANNA]), old, new)
    code, _, err = invoke(config, "check", "--now", NOW)
    if said is None:
        assert code != 2, err
        return
    assert code == 2 and said in err, err
    assert "valid list" not in err


def test_max_days_early_under_after_names_the_setting_that_bounds_a_greeting_ahead(
    make_project: MakeProject,
) -> None:
    config = make_project([ANNA])
    edited(config, "  # max_days_early: 3", "  max_days_early: 0")
    edited(config, "day_off_policy: before ", "day_off_policy: after ")
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 2, err
    assert "max_days_early applies only with day_off_policy: before (it is after)" in err
    assert "is bounded by its merge_max_days_early (0: never carried ahead)" in err, err


def test_a_misspelt_value_of_suppress_and_unsuppress_is_given_the_one_meant(
    make_project: MakeProject,
) -> None:
    config = make_project([ANNA, contact_row("1030", "maria@example.com", last="Попова")])
    assert invoke(config, "suppress", "anna@example.com", "--now", NOW)[0] == 0
    assert invoke(config, "suppress", "--contact", "1030", "--now", NOW)[0] == 0
    code, _, err = invoke(config, "suppress", "--list", "--format", "jsn")
    assert code == 2 and "'jsn' is not one of 'table', 'json', 'csv', 'xlsx'; did you mean 'json'?" in err, (
        err
    )
    code, _, err = invoke(config, "suppress", "--list", "anna@exampel.com")
    assert code == 1
    assert "'anna@exampel.com' is not on the do-not-contact list; did you mean 'anna@example.com'?" in err, (
        err
    )
    code, _, err = invoke(config, "unsuppress", "--contact", "1O30")
    assert code == 1 and "contact '1O30' has no opt-out of its own: did you mean '1030'?" in err, err
    code, _, err = invoke(config, "unsuppress", "--contact", "Поповв")
    assert (
        code == 1 and "contact 'Поповв' has no opt-out of its own (the contacts who have: 1029, 1030)" in err
    )


@pytest.mark.parametrize("command", ["preview", "send", "check", "test-send"])
def test_no_paragraph_of_the_help_is_longer_than_twelve_lines(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], prog_name="greeter", terminal_width=80)
    assert result.exit_code == 0
    lines = result.stdout.split("\nOptions:")[0].splitlines()
    run = longest = 0
    for line in lines:  # a paragraph, or a list entry: lines up to a blank line or the next entry
        entry = (line.startswith("    ") and not line.startswith("      ")) or line.lstrip().startswith("- ")
        run = 0 if not line.strip() or entry else run + 1
        longest = max(longest, run)
    assert longest <= 12, command
