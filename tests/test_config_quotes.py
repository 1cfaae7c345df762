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


def test_a_value_quoted_across_lines_on_purpose_is_still_read() -> None:
    """The hints above never fire on valid YAML: a quoted value may go on over several lines."""
    text = edited("    title: День рождения ", '    title: "День\n      рождения" ')
    assert parse_settings(text, "greeter.yaml", today=TODAY).occasions[0].title == "День рождения"
