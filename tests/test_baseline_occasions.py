"""``greeter baseline --through DATE`` speaks of occasion days, as a migrating marketer does.

"I sent everything up to the 6th by hand", on Monday 7 December: the
birthdays of Friday the 4th to Sunday the 6th. Their catch-up letters leave on
Monday, so a ``--through`` read as the day a letter leaves took none of them,
said "every greeting … is in the journal already (or none is due)" of an empty
journal, and the next send greeted those clients a second time. A baseline
after greeter already sent from the journal is said too (not refused).

The real CLI in-process on a copy of config.example.yaml, a real SQLite
journal, the file transport.
"""

from __future__ import annotations

from tests.conftest import MakeProject
from tests.test_baseline import baselined, invoke, outbox, row

#: Monday 7 December 2026, 09:30 in Moscow: before the send window opens.
MONDAY = "2026-12-07T09:30:00+03:00"
#: Monday, 17:25: the window's last minutes, every letter of the day due.
LATER = "2026-12-07T17:25:00+03:00"

#: Birthdays on Friday the 4th, Saturday the 5th, Sunday the 6th and Monday the 7th.
PEOPLE = [row("4", "04.12.1980"), row("5", "05.12.1980"), row("6", "06.12.1980"), row("7", "07.12.1980")]


def test_through_takes_the_occasions_up_to_that_day_whenever_their_letters_leave(
    make_project: MakeProject,
) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--through", "06.12.2026", "--now", MONDAY)
    assert code == 0, err
    assert out == (
        "recorded 3 greeting(s) as handled before greeter (occasions 2026-12-04 … 2026-12-06);"
        " the next send --once sends none of them\n"
    )
    assert baselined(config) == {(c, "birthday"): ("skipped", "baseline") for c in ("4", "5", "6")}
    code, _, err = invoke(config, "send", "--once", "--now", LATER)
    assert code == 0, err
    assert outbox(config) == ["client7@example.com"]  # today's is greeter's; none of the three again


def test_nothing_to_take_on_an_empty_journal_is_not_said_to_be_in_it(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--through", "2026-11-20", "--now", MONDAY)
    assert code == 0, err
    assert out == "nothing was recorded: greeter would send no greeting for an occasion through 2026-11-20\n"
    assert invoke(config, "baseline", "--through", "2026-12-06", "--now", MONDAY)[0] == 0
    code, out, err = invoke(config, "baseline", "--through", "2026-12-06", "--now", MONDAY)
    assert out == (
        "nothing was recorded: every greeting for an occasion through 2026-12-06 is in the journal already\n"
    )


def test_a_letter_leaving_by_then_for_a_later_occasion_is_named_not_taken(make_project: MakeProject) -> None:
    """Saturday the 12th's birthday leaves on Friday the 11th: through the 11th leaves it to greeter, said."""
    config = make_project([row("12", "12.12.1980")])
    code, out, err = invoke(config, "baseline", "--through", "2026-12-11", "--now", MONDAY)
    assert code == 0, err
    assert out == (
        "nothing was recorded: greeter would send no greeting for an occasion through 2026-12-11;"
        " not taken: 1 letter(s) leaving by 2026-12-11 for a later occasion (12 birthday 2026-12-12):"
        " greeter sends them; if the old tool greeted them already, run baseline --through 2026-12-12\n"
    )


def test_a_baseline_after_greeter_sent_warns_and_still_records(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    assert invoke(config, "send", "--once", "--now", LATER)[0] == 0
    assert len(outbox(config)) == 4
    code, out, err = invoke(config, "baseline", "--now", LATER)
    assert code == 0, err
    assert (
        "warning: greeter has already sent 4 greeting(s) from this journal; baseline is meant for the"
        " move from another tool, before greeter's first send" in err
    )
    assert out.startswith("nothing was recorded: every greeting for an occasion through 2026-12-07")


def test_a_baseline_on_a_new_journal_gives_no_such_warning(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "baseline", "--now", MONDAY)
    assert code == 0 and "warning" not in err, err
