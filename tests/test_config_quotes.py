"""Config mistakes a marketer makes with quotes, colons and lists: said at the line to fix, with the fix.

Each case is ``config.example.yaml`` with one edit, as a marketer makes it.
"""

from __future__ import annotations

import pytest

from greeter.config_loader import parse_settings
from tests.conftest import TODAY
from tests.test_config import EXAMPLE, MINIMAL, errors_of


def edited(old: str, new: str) -> str:
    """The example config with one line changed (the line must be there, once)."""
    assert EXAMPLE.count(old) == 1, old
    return EXAMPLE.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """1-based number of the line holding ``fragment``."""
    return text[: text.index(fragment)].count("\n") + 1


def test_an_unclosed_quote_is_named_where_it_opened_not_where_the_parser_stumbled() -> None:
    """It was reported 24 lines below, at the next quoted value, as "expected <block end>"."""
    text = edited("    title: День рождения ", '    title: "День рождения ')
    (problem,) = errors_of(text)
    at = line_of(text, '"День рождения')
    assert problem.startswith(
        f'greeter.yaml:{at}:12: YAML syntax: a quote (") opened here is never closed'
    ), problem
    assert "down to line" in problem


def test_a_quote_left_open_to_the_end_of_the_file_is_named_where_it_opened() -> None:
    (problem,) = errors_of(MINIMAL.replace("  name: Shop\n", '  name: "Shop\n'))
    assert problem.startswith('greeter.yaml:2:9: YAML syntax: a quote (") opened here is never closed'), (
        problem
    )
    assert "the end of the file" in problem


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        ('"ООО "Ромашка""', "write ООО «Ромашка», or put the value in single quotes: 'ООО \"Ромашка\"'"),
        ("'Rock 'n' roll'", "write each ' inside it twice: 'Rock ''n'' roll', or use double quotes"),
    ],
)
def test_quotes_inside_quotes_are_named_with_the_two_ways_to_write_them(value: str, fix: str) -> None:
    text = edited('  name: "ООО «Ромашка»"', f"  name: {value}")
    (problem,) = errors_of(text)
    at = line_of(text, f"  name: {value}")
    assert problem.startswith(
        f"greeter.yaml:{at}:9: YAML syntax: quotes inside quotes end the value early"
    ), problem
    assert fix in problem


def test_a_colon_inside_a_value_is_answered_with_the_value_in_quotes() -> None:
    text = edited("    title: Новый год\n", "    title: Новый год: скидки\n")
    (problem,) = errors_of(text)
    at = line_of(text, "Новый год: скидки")
    assert problem.startswith(
        f"greeter.yaml:{at}:21: YAML syntax: a ': ' inside a value: put the value in quotes, "
        'title: "Новый год: скидки"'
    ), problem


@pytest.mark.parametrize(
    "written",
    [
        "postgresql://greeter:s3cr%40t@db/crm?sslmode=disable&password=qs3cret x: y",
        '"postgresql://greeter:s3cr%40t@db/crm?password=qs3cret"x""',
    ],
)
def test_a_yaml_mistake_on_the_journal_url_never_repeats_its_password(written: str) -> None:
    """A ': ' or stray quotes on ``storage.url``'s line: the hint repeated the whole URL into the
    error (a cron mail, a CI log), password and all, while ``check`` shows it redacted."""
    text = edited("  url: sqlite:///data/journal.sqlite3\n", f"  url: {written}\n")
    (problem,) = errors_of(text)
    assert problem.startswith(f"greeter.yaml:{line_of(text, written)}:"), problem
    assert "YAML syntax:" in problem
    assert "s3cr" not in problem and "qs3cret" not in problem, problem


def test_a_value_quoted_across_lines_on_purpose_is_still_read() -> None:
    """The hints above never fire on valid YAML: a quoted value may go on over several lines."""
    text = edited("    title: День рождения ", '    title: "День\n      рождения" ')
    assert parse_settings(text, "greeter.yaml", today=TODAY).occasions[0].title == "День рождения"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      tags: [23feb]",
            "      tags: 23feb, 8mar",
            "occasions.4.audience.tags: '23feb, 8mar' is one text, not a list: write the list in brackets, "
            "[23feb, 8mar]",
        ),
        (
            "      tiers: [VIP] ",
            "      tiers: VIP ",
            "occasions.1.audience.tiers: 'VIP' is one text, not a list: write the list in brackets, [VIP]",
        ),
        # days in the names the setting takes: Russian abbreviations and a range are written out
        (
            "  working_days: [mon, tue, wed, thu, fri]",
            "  working_days: пн, вт, ср",
            "send_window.working_days: 'пн, вт, ср' is one text, not a list: write the list in brackets, "
            "[mon, tue, wed]",
        ),
        (
            "  working_days: [mon, tue, wed, thu, fri]",
            "  working_days: mon-fri",
            "send_window.working_days: 'mon-fri' is one text, not a list: write the list in brackets, "
            "[mon, tue, wed, thu, fri]",
        ),
    ],
)
def test_a_list_written_as_text_is_answered_with_the_list_in_brackets(
    old: str, new: str, expected: str
) -> None:
    """It was "Input should be a valid list (got '23feb, 8mar')"."""
    text = edited(old, new)
    (problem,) = errors_of(text)
    assert problem.startswith(f"greeter.yaml:{line_of(text, new)}:"), problem
    assert problem.endswith(expected), problem


def test_each_day_named_in_russian_is_told_the_name_the_setting_takes() -> None:
    """``[пн, вт, ср, чт, пт]`` gave five lines of "Input should be 'mon', 'tue', …" and no hint."""
    text = edited("  working_days: [mon, tue, wed, thu, fri]", "  working_days: [пн, вт, ср, чт, Пятница]")
    problems = errors_of(text)
    at = line_of(text, "[пн,")
    meant = ["mon", "tue", "wed", "thu", "fri"]
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"greeter.yaml:{at}:{col}" for col in (18, 22, 26, 30, 34)
    ], problems
    for i, (problem, day) in enumerate(zip(problems, meant, strict=True)):
        assert f"send_window.working_days.{i}: " in problem
        assert f"means {day}: write {day} (days are named mon, tue, wed, thu, fri, sat, sun)" in problem


@pytest.mark.parametrize(
    ("old", "new", "at", "expected"),
    [
        # the second occasion of a name, at its own name: line (it was at `occasions:`)
        (
            "  - name: womens_day",
            "  - name: defender_day",
            "  - name: defender_day\n    title: 8 Марта",
            "5: occasions.5.name: occasion name 'defender_day' is used twice",
        ),
        # lunch outside the working hours, at `lunch:` (it was at `send_window:`)
        (
            '  lunch: {start: "13:00", end: "14:00"}',
            '  lunch: {start: "19:00", end: "20:00"}',
            "  lunch:",
            "3: send_window.lunch: lunch 19:00–20:00 must lie inside hours 10:00–18:00",
        ),
        (
            "  working_days: [mon, tue, wed, thu, fri]",
            "  working_days: [mon, tue, wed, thu, tue]",
            "  working_days:",
            "38: send_window.working_days.4: working_days lists tue twice",
        ),
        (
            "  mailto: unsubscribe@romashka.example\n",
            "  mailto: unsubscribe@romashka.example\n  url: https://romashka.example/u\n",
            "  url: https://romashka",
            "3: unsubscribe.url: an unsubscribe url needs secret_env or secret_file (the token signing key)",
        ),
        (
            "  source: csv ",
            "  source: sql ",
            "  source: sql",
            "3: contacts.source: source 'sql' needs 'url' and 'query'",
        ),
    ],
)
def test_a_rule_over_a_section_points_at_the_setting_to_fix(
    old: str, new: str, at: str, expected: str
) -> None:
    text = edited(old, new)
    (problem,) = errors_of(text)
    assert problem == f"greeter.yaml:{line_of(text, at)}:{expected}", problem


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Россия", "defaults.country: 'Россия': write the country's code here, 'RU'"),
        ("ru", "defaults.country: 'ru': write the country's code here, 'RU'"),
        ("Англия", "defaults.country: 'Англия': write the country's code here, 'GB-ENG'"),
    ],
)
def test_a_country_named_as_the_contacts_column_names_it_is_told_its_code(
    written: str, expected: str
) -> None:
    """The contacts' country column reads "Россия"; the config refused it with no word of 'RU'."""
    text = edited("  country: RU ", f"  country: {written} ")
    (problem,) = errors_of(text)
    assert problem == f"greeter.yaml:{line_of(text, f'country: {written}')}:3: {expected}"


def test_a_country_no_one_knows_keeps_the_general_words() -> None:
    (problem,) = errors_of(edited("  country: RU ", "  country: Атлантида "))
    assert "should be a two-letter country code in capitals" in problem


@pytest.mark.parametrize(
    ("written", "meant"), [("Москва", "Europe/Moscow"), ("екатеринбург", "Asia/Yekaterinburg")]
)
def test_a_time_zone_named_by_its_city_in_russian_is_told_the_zone(written: str, meant: str) -> None:
    """``MSK`` and ``Moscow`` were told "did you mean 'Europe/Moscow'"; ``Москва`` was not."""
    text = edited("  timezone: Europe/Moscow ", f"  timezone: {written} ")
    (problem,) = errors_of(text)
    assert problem == (
        f"greeter.yaml:{line_of(text, written)}:3: defaults.timezone: unknown time zone {written!r}, "
        f"did you mean {meant!r}?"
    )
