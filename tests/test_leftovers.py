"""A config value written in words (да, 2 дня, русский) gets the form the config takes, not pydantic's wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "config.example.yaml").read_text(encoding="utf-8")


def _example_with(pattern: str, replacement: str) -> str:
    """The example config with one line's value changed, as the marketer would write it."""
    text, count = re.subn(pattern, replacement, EXAMPLE, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    return text


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, str(ROOT / "greeter.yaml"), ROOT, today=TODAY)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        (r"^(\s*public_holidays:).*$", "да", "send_window.public_holidays: write true or false (да → true)"),
        (
            r"^(\s*public_holidays:).*$",
            "нет",
            "send_window.public_holidays: write true or false (нет → false)",
        ),
        (
            r"^(\s*public_holidays:).*$",
            "вкл",
            "send_window.public_holidays: write true or false (вкл → true)",
        ),
        (
            r"^(\s*public_holidays:).*$",
            "выкл",
            "send_window.public_holidays: write true or false (выкл → false)",
        ),
        (
            r"^(\s*public_holidays:).*$",
            "может",
            "send_window.public_holidays: write true or false (got 'может')",
        ),
        (
            r"^(\s*end_margin_minutes:).*$",
            "30 минут",
            "send_window.end_margin_minutes: write the number alone: 30",
        ),
        (r"^(\s*priority:) 70$", "70\n    days_before: 2 дня", "days_before: write the number alone: 2"),
        (r"^(\s*locale:) ru .*$", "русский", "defaults.locale: should be a language code: Russian is ru"),
        (r"^(\s*locale:) ru .*$", "Russian", "defaults.locale: should be a language code: Russian is ru"),
        (r"^(\s*locale:) ru .*$", "английский", "defaults.locale: should be a language code: English is en"),
        (r"^(\s*leap_day:).*$", "feb29", "leap_day: Input should be 'feb28' or 'mar1' (got 'feb29')"),
    ],
)
def test_a_value_written_in_words_gets_the_form_the_config_takes(
    pattern: str, value: str, expected: str
) -> None:
    """Pydantic's own wording ("unable to interpret input") left a marketer with no hint of the fix."""
    problems = _problems(_example_with(pattern, rf"\g<1> {value}"))
    assert len(problems) == 1, problems
    assert expected in problems[0], problems
