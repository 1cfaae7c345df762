"""A letter the journal says was sent shows as sent — when and on the day it left — in every format.

The reviewer ran ``send --once`` and then ``preview``: the belated letter that had
left a minute earlier was «пропуск: уже отправлено» under «Пропущено», filed on
its occasion's day before the range, with ``send_at: null``. Real processes and
a real journal: ``send --once`` with the ``file`` transport, then ``preview``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from greeter.journal import open_journal
from greeter.runtime import load_inputs
from greeter.send import plan_cycle
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_gallery import cards, parse
from tests.test_send_e2e import LATER, NOW, greeter, history

#: The birthday is on Tuesday 13 April; the letter leaves belated at NOW, Wednesday 14 April 11:00 MSK.
ROWS = [
    contact_row("1", "one@example.com", birthday="13.04.1980"),
    contact_row("2", "two@example.com", birthday="15.04.1980", first="Анна", patronymic="Ивановна"),
]


def sent_project(make_project: MakeProject) -> tuple[Path, str]:
    config = make_project(ROWS)
    run = greeter(config, "send", "--once", "--now", NOW)
    assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    (entry,) = history(config)
    left = datetime.fromisoformat(entry["sent_at"]).astimezone(datetime.fromisoformat(NOW).tzinfo)
    return config, left.replace(microsecond=0).isoformat()


def test_json_and_table_say_sent_and_when(make_project: MakeProject) -> None:
    config, left = sent_project(make_project)
    # The range starts the day it left (its occasion, the 13th, is before it), and the range of its occasion.
    for start in ("2027-04-14", "2027-04-13"):
        common = ("preview", "--from", start, "--days", "3", "--now", LATER)
        items = json.loads(greeter(config, *common, "--format", "json").stdout)
        one = next(i for i in items if i["contact_id"] == "1")
        assert (one["status"], one["reason"], one["occasion_date"], one["send_at"]) == (
            "sent", None, "2027-04-13", left,
        ), start  # fmt: skip
        assert next(i for i in items if i["contact_id"] == "2")["status"] == "send"
        # --no-skipped hides skips, not the letters: the one that left is still listed
        quiet = json.loads(greeter(config, *common, "--no-skipped", "--format", "json").stdout)
        assert [i["status"] for i in quiet] == ["sent", "send"]
    table = greeter(config, "preview", "--from", "2027-04-14", "--days", "3", "--now", LATER).stdout
    (row,) = [line for line in table.splitlines() if "1 Иван" in line]
    assert "Wed 14.04 11:00 MSK" in row and "sent" in row and "skip" not in row, row
    assert "send: 1, sent: 1" in table


def test_gallery_files_it_on_the_day_it_left_as_sent(make_project: MakeProject) -> None:
    config, left = sent_project(make_project)
    out = config.parent / "gallery"
    run = greeter(config, "preview", "--from", "2027-04-14", "--days", "3", "--now", LATER,
                  "--format", "html", "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    index = parse(out / "index.html")
    days = {
        s.attrs["data-day"]: [c.attrs["id"] for c in s.find("article")] for s in index.find("section", "day")
    }
    sent = next(c for c in cards(index).values() if c.attrs["data-status"] == "sent")
    assert sent.attrs["id"] in days["2027-04-14"] and "2027-04-13" not in days
    assert next(sent.find(cls="badge")).all_text() == "отправлено"
    assert next(sent.find(cls="when")).all_text() == "Ср 14.04 " + left[11:16]
    buttons = {b.attrs["data-filter"]: b.all_text() for b in index.find("button")}
    assert (buttons["sent"], buttons["skip"]) == ("Отправлено 1", "Пропущено 0")
    counts = {
        s.attrs["data-count"]: next(s.find(cls="stat-value")).all_text() for s in index.find("div", "stat")
    }
    assert (counts["sent"], counts["skip"]) == ("1", "0")


def test_a_letter_that_left_is_not_the_next_thing_to_send(make_project: MakeProject) -> None:
    """The daemon wakes for the next send: a letter that left at 11:00 must not be it (a wake in the past)."""
    config, _ = sent_project(make_project)
    inputs = load_inputs(config, today=TODAY)
    later = datetime.fromisoformat(LATER)
    journal = open_journal(inputs.settings.storage.url, now=later)
    try:
        journal.lock_sender()
        cycle = plan_cycle(inputs, journal, now=later, dry_run=True)
    finally:
        journal.close()
    assert cycle.next_send is not None and cycle.next_send > later


def test_a_greeting_the_journal_recorded_expired_is_shown_expired_not_already_sent(
    make_project: MakeProject,
) -> None:
    """It never went out: ``already_sent`` "(expired)" read as if the client had had the letter."""
    config = make_project(ROWS)
    first = greeter(config, "send", "--once", "--now", "2027-04-01T11:00:00+03:00")  # the journal starts
    assert first.returncode == 0, first.stderr
    late = greeter(config, "send", "--once", "--now", "2027-04-20T11:00:00+03:00")  # catch_up_days 3
    assert late.returncode == 1 and "expired" in late.stdout, late.stdout + late.stderr  # lost: exit 1
    assert {(e["contact_id"], e["state"]) for e in history(config, "--occasion", "birthday")} == {
        ("1", "expired"), ("2", "expired"),
    }  # fmt: skip
    common = ("preview", "--contact", "1", "--from", "2027-04-12", "--days", "3", "--now", "2027-12-02T10:00")
    (item,) = [i for i in json.loads(greeter(config, *common, "--format", "json").stdout)]
    assert (item["occasion"], item["status"], item["reason"]) == ("birthday", "skip", "expired")
    assert "the journal recorded it as expired" in item["detail"] and "never sent" in item["detail"]
    table = greeter(config, *common).stdout
    assert "skip: expired" in table and "already_sent" not in table
    # A second send finds nothing to do for it (the journal's expiry stands, nothing recorded twice).
    again = greeter(config, "send", "--once", "--now", "2027-04-20T12:00:00+03:00")
    assert again.returncode == 0, again.stderr


def test_a_rehearsal_ahead_of_the_clock_hides_nothing_from_a_plan_at_the_real_time(
    make_project: MakeProject,
) -> None:
    """``send --once --now`` a week ahead recorded since when its occasions exist; taken as is, the
    plan at the real time dropped the occasions before it: no row, no reason, ``nothing planned``."""
    config = make_project(ROWS)
    before = greeter(config, "preview", "--format", "json", "--days", "3", "--now", NOW)
    assert before.returncode == 0, before.stderr
    planned = [(d["contact_id"], d["status"]) for d in json.loads(before.stdout)]
    assert ("1", "send") in planned and ("2", "send") in planned
    rehearsal = greeter(config, "send", "--once", "--now", "2027-04-21T11:00:00+03:00")
    assert rehearsal.returncode == 0 and "due 0" in rehearsal.stdout, rehearsal.stdout + rehearsal.stderr
    after = greeter(config, "preview", "--format", "json", "--days", "3", "--now", NOW)
    assert after.returncode == 0, after.stderr
    assert [(d["contact_id"], d["status"]) for d in json.loads(after.stdout)] == planned


def test_a_table_across_new_year_shows_the_year_on_every_row(make_project: MakeProject) -> None:
    """A manager read "Tue 29.12 … Tue 23.02" over a year's range: which December, which February?"""
    rows = [
        contact_row("1", "one@example.com", birthday="13.04.1980"),
        contact_row("2", "two@example.com", birthday="15.01.1980", first="Анна", patronymic="Ивановна"),
    ]
    config = make_project(rows)
    across = greeter(config, "preview", "--from", "2026-12-01", "--days", "60", "--now", "2026-11-30T10:00")
    assert across.returncode == 0, across.stderr
    (row,) = [line for line in across.stdout.splitlines() if "2 Анна" in line and "День рождения" in line]
    assert ".01.2027 " in row, row
    within = greeter(config, "preview", "--from", "2027-04-01", "--days", "30", "--now", "2027-03-30T10:00")
    (row,) = [line for line in within.stdout.splitlines() if "1 Иван" in line and "День рождения" in line]
    assert "13.04 " in row and ".2027" not in row, row  # one year: the title says which


# ------------------------------------------------------------- an occasion that rode in a letter


#: Born on 2 January: the New Year greeting rides in the birthday letter, which leaves on 30 December.
MERGED_ROW = contact_row(
    "7", "seven@example.com", birthday="02.01.1979", first="Анна", patronymic="Ильинична"
)
MERGED_RANGE = ("preview", "--from", "2026-12-25", "--days", "14", "--format", "json")


def by_occasion(config: Path, now: str) -> dict[str, dict[str, object]]:
    items = json.loads(greeter(config, *MERGED_RANGE, "--now", now).stdout)
    return {i["occasion"]: i for i in items if i["contact_id"] == "7"}


def test_an_occasion_that_rode_in_a_sent_letter_stays_merged_with_the_letters_moment(
    make_project: MakeProject,
) -> None:
    """After the send the New Year greeting read "already_sent (skipped)" with no time, and the
    birthday letter that carried it had ``merged_with: []``: a dashboard lost what the client got."""
    config = make_project([MERGED_ROW])
    before = by_occasion(config, "2026-12-25T09:00+03:00")
    assert (before["new_year"]["reason"], before["new_year"]["merged_with"]) == ("merged", ["birthday"])
    assert before["birthday"]["merged_with"] == ["new_year"] and before["new_year"]["journal_state"] is None
    moment = str(before["birthday"]["send_at"])
    run = greeter(config, "send", "--once", "--now", moment)
    assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    after = by_occasion(config, moment)
    letter, rode = after["birthday"], after["new_year"]
    assert (letter["status"], letter["merged_with"], letter["journal_state"]) == (
        "sent",
        ["new_year"],
        "sent",
    )
    assert (rode["status"], rode["reason"], rode["merged_with"], rode["journal_state"]) == (
        "skip", "merged", ["birthday"], "sent",
    )  # fmt: skip
    assert rode["send_at"] == letter["send_at"] and letter["send_at"] is not None


def test_a_bounced_letter_and_what_rode_in_it_say_failed(make_project: MakeProject) -> None:
    """A 550 for the birthday letter: both read "already sent" before, the bounce only in words."""
    from greeter.journal_transitions import merged_reason

    config = make_project([MERGED_ROW])
    now = datetime.fromisoformat("2026-12-30T12:00+03:00")
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=now)
    try:
        birthday = ("7", "birthday", datetime(2027, 1, 2).date())
        journal.claim(
            birthday,
            email="seven@example.com",
            message_id="<m@x>",
            planned_at=now,
            merged=["new_year"],
            now=now,
        )
        journal.mark_skipped(("7", "new_year", datetime(2026, 12, 29).date()), merged_reason("birthday"), now)
        journal.mark_failed(birthday, "550 5.1.1 no such user", now)
    finally:
        journal.close()
    after = by_occasion(config, "2026-12-30T12:05+03:00")
    assert (after["birthday"]["reason"], after["birthday"]["journal_state"]) == ("already_sent", "failed")
    rode = after["new_year"]
    assert (rode["reason"], rode["merged_with"], rode["journal_state"], rode["send_at"]) == (
        "merged", ["birthday"], "failed", None,
    )  # fmt: skip
