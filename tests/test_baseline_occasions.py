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
        "recorded 3 greeting(s) as handled (occasions 2026-12-04 … 2026-12-06);"
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
        " greeter sends them; if they were sent already, run baseline --through 2026-12-12\n"
    )


def test_a_baseline_after_greeter_sent_warns_and_still_records(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    assert invoke(config, "send", "--once", "--now", LATER)[0] == 0
    assert len(outbox(config)) == 4
    code, out, err = invoke(config, "baseline", "--now", LATER)
    assert code == 0, err
    assert (
        "warning: greeter has already sent 4 greeting(s) from this journal; baseline is meant for the"
        " move from another tool, before greeter's first send, or for the letters sent after the"
        " backup a restored journal came from" in err
    )
    assert out.startswith("nothing was recorded: every greeting for an occasion through 2026-12-07")


def test_a_baseline_on_a_new_journal_gives_no_such_warning(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "baseline", "--now", MONDAY)
    assert code == 0 and "warning" not in err, err


def test_weekend_letters_meant_for_friday_are_named_on_monday(make_project: MakeProject) -> None:
    """QA: on Monday, through Friday the 4th said nothing of Saturday's and Sunday's birthdays.

    greeter (``day_off_policy: before``) meant their letters for Friday; on Monday they are
    catch-up letters leaving Monday, and the note judged by Monday.
    """
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "baseline", "--through", "04.12.2026", "--now", MONDAY)
    assert code == 0, err
    assert out == (
        "recorded 1 greeting(s) as handled (occasions 2026-12-04);"
        " the next send --once sends none of them;"
        " not taken: 2 letter(s) meant to leave by 2026-12-04 for a later occasion"
        " (5 birthday 2026-12-05, 6 birthday 2026-12-06): greeter sends them; if they were"
        " sent already, run baseline --through 2026-12-06\n"
    )


#: Saturday 5 December 2026, 10:00 in Moscow.
SATURDAY = "2026-12-05T10:00:00+03:00"


def test_a_through_after_today_whose_letters_have_not_left_is_refused(make_project: MakeProject) -> None:
    """``--through 2027-12-31`` recorded a year of greetings no tool had sent: they never went out."""
    config = make_project([*PEOPLE, row("9", "20.12.1980")])
    code, out, err = invoke(config, "baseline", "--through", "2027-12-31", "--now", SATURDAY)
    assert code == 2 and out == "", out
    assert err.strip().splitlines()[-1] == (
        "--through 2027-12-31 is after today (2026-12-05) and past the days greeter plans ahead"
        " (through 2027-01-02): no tool has sent those greetings, and recorded as sent they would"
        " never go out; name the last occasion day the old tool greeted (today by default)"
    ), err
    assert baselined(config) == {}


def test_a_through_after_today_as_far_as_todays_letters_reach_is_taken(make_project: MakeProject) -> None:
    """Friday the 11th: Saturday the 12th's letter leaves today, so --through the 12th is the old tool's."""
    config = make_project([row("12", "12.12.1980"), row("14", "14.12.1980")])
    code, _, err = invoke(config, "baseline", "--through", "2026-12-12", "--now", "2026-12-11T10:00:00+03:00")
    assert code == 0, err
    assert "warning" not in err  # its letter leaves today: the old tool's last run sends it
    assert baselined(config) == {("12", "birthday"): ("skipped", "baseline")}
