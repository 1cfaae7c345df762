"""``greeter --help`` and the commands' help for a team without Russian clients.

A Vienna firm read "greets each client by name and patronymic" and help
examples in Russian only («Поздравление: Иван Петрович…», "Кузн") as a
Russian-only tool. The top-level description says what greeter does for any
client (their name, their language; the patronymic a Russian client's), and
each format example written in Russian has a companion that is not.
"""

from __future__ import annotations

import re

from click.testing import CliRunner

from greeter.cli import main


def _help(*command: str) -> str:
    done = CliRunner().invoke(main, [*command, "--help"], terminal_width=200)
    assert done.exit_code == 0, done.output
    return " ".join(done.output.split())


def test_the_description_promises_the_patronymic_to_russian_clients_alone() -> None:
    text = _help()
    said = re.search(r"greets each client (.*?) at most", text)
    assert said is not None, text
    assert not said[1].startswith("by name and patronymic"), said[1]
    assert "language" in said[1] and "Russian client by name and patronymic" in said[1], said[1]


def test_each_russian_format_example_has_a_companion_in_another_language() -> None:
    calendar = _help("calendar")
    assert "Поздравление: Иван Петрович" in calendar  # the main users' kept
    assert "Greeting: Emily Jones — Birthday 12 January (41 years)" in calendar
    history = _help("history")
    assert '"Schm" for Schmidt, "Кузн" for Кузнецов' in history
    assert '("Christmas", "8 Марта")' in history
