"""``working_days`` other than Monday to Friday is every client's week: ``check`` says whose days it takes.

Found by a Tel Aviv office: ``send_window.working_days: [sun, mon, tue, wed, thu]``,
written for themselves, became the week of their Moscow partners too — no letter on
a Russian Friday, one on a Russian Sunday — and ``check`` said nothing (its note
covers the clients whose week is *not* ``working_days``). Now a warning names the
countries that lose working days, with how many contacts, and the
``working_days_by_country`` to write instead.
"""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

ROWS = [
    contact_row("ru1", "a@example.com", tz="Europe/Moscow", country="RU", birthday="12.02.1980"),
    contact_row("ru2", "b@example.com", tz="Europe/Moscow", country="RU", birthday="13.03.1981"),
    contact_row("de", "c@example.com", tz="Europe/Berlin", country="DE", birthday="14.04.1982"),
    contact_row("il", "d@example.com", tz="Asia/Jerusalem", country="IL", birthday="15.05.1983"),
]
SUN_THU = ["sun", "mon", "tue", "wed", "thu"]


def _check(make_project: MakeProject, rows: list[str] = ROWS, **window: Any) -> str:
    config = make_project(rows, defaults={"country": "RU"}, send_window=window)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T10:00"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return " ".join(result.stderr.split())


def test_an_israeli_week_for_everyone_is_warned(make_project: MakeProject) -> None:
    said = _check(make_project, working_days=SUN_THU)
    assert (
        "send_window.working_days: warning: working_days sun–thu is the week of every client, not only"
        " this office's: 2 contacts in RU (their week mon–fri: none on fri, letters on sun);"
        " 1 contact in DE (their week mon–fri: none on fri, letters on sun);"
        " for one country's week write working_days_by_country: {IL: [sun, mon, tue, wed, thu]}"
        " and leave working_days at mon–fri"
    ) in said, said


def test_the_countries_given_their_week_are_not_named(make_project: MakeProject) -> None:
    said = _check(
        make_project,
        working_days=SUN_THU,
        working_days_by_country={"RU": ["mon", "tue", "wed", "thu", "fri"]},
    )
    assert "1 contact in DE (their week mon–fri" in said, said
    assert "in RU (" not in said


def test_a_week_that_only_adds_days_is_not_warned(make_project: MakeProject) -> None:
    """A company that greets on Saturdays chose it for everyone: no client loses a day — but an
    Israeli one loses their Sunday."""
    six = ["mon", "tue", "wed", "thu", "fri", "sat"]
    said = _check(make_project, ROWS[:3], working_days=six)
    assert "is the week of every client" not in said, said
    said = _check(make_project, working_days=six)
    assert "1 contact in IL (their week sun–thu: none on sun, letters on fri, sat)" in said, said


def test_the_default_week_is_not_warned(make_project: MakeProject) -> None:
    said = _check(make_project)
    assert "is the week of every client" not in said, said
