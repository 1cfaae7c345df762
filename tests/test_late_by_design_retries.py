"""A letter a day off moves *after* its occasion is retried from the day it was meant to leave.

With ``send_window.max_days_early: 3`` a 5 January 2027 birthday leaves on
Monday 11 January, after Russia's New Year break. Its catch-up deadline counts
from that day — the planner plans it so — yet a temporary refusal (a 451 from a
greylisting server, the commonest answer a new sender meets) used to compare
the next attempt with the occasion's own day plus ``catch_up_days``
(8 January): the first 451 turned the letter ``failed`` ("gave up: past the
catch-up deadline"), and a retry row, had it been made, was journaled
``expired`` by the next run. Real CLI processes, a real SMTP server, a real
SQLite journal.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from greeter.calendar_rules import build_calendar
from greeter.config_loader import parse_settings
from greeter.delivery_timing import deadline, due_day
from greeter.gallery_words import russian_detail
from greeter.testing import SmtpSink
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_send_e2e import greeter, history, smtp

MSK = ZoneInfo("Europe/Moscow")
#: Monday 11 January 2027, late afternoon: the belated letter is due.
MONDAY = "2027-01-11T17:00:00+03:00"


def _project(make_project: MakeProject, changes: dict[str, Any]) -> Path:
    config = make_project([contact_row("1", "client1@example.com", birthday="05.01.1980")], **changes)
    # The journal exists from December on: its first plan does not reach back to 5 January.
    assert greeter(config, "send", "--once", "--now", "2026-12-01T11:00:00+03:00").returncode == 0
    return config


def test_a_greylisted_belated_by_design_letter_is_retried_and_sent_not_failed(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = _project(make_project, {**smtp(sink.port), "send_window": {"max_days_early": 3}})
        sink.reject("client1@example.com", 451)
        first = greeter(config, "send", "--once", "--now", MONDAY)
        assert "retry: 1" in first.stdout, first.stdout + first.stderr
        (row,) = history(config, "--occasion", "birthday")
        assert (row["occasion_date"], row["state"]) == ("2027-01-05", "retry"), row
        sink.reset()
        later = greeter(config, "send", "--once", "--now", "2027-01-11T17:05:00+03:00")
        assert "sent: 1" in later.stdout, later.stdout + later.stderr
        assert [m.rcpt_tos for m in sink.messages if not m.dropped] == [("client1@example.com",)]
    (row,) = history(config, "--occasion", "birthday")
    assert (row["state"], row["attempts"]) == ("sent", 2)


def test_its_retries_stop_catch_up_days_after_the_day_it_was_meant_to_leave(
    make_project: MakeProject,
) -> None:
    """Backoff of a day, then two, then four: 11 January 17:00, 12 January, 14 January — still
    within catch_up_days (3) of 11 January — and then no retry fits before 15 January: failed,
    and the summary says it gave up (a bare "failed ×1: 451 …" read as a 4xx taken for a refusal)."""
    with SmtpSink() as sink:
        changes = smtp(sink.port)
        changes["delivery"]["retry"] = {"initial_seconds": 86400, "factor": 2, "max_seconds": 604800}
        config = _project(make_project, {**changes, "send_window": {"max_days_early": 3}})
        sink.reject("client1@example.com", 451)
        for day in ("11", "12"):  # a minute later each time: the backoff counts from the last attempt
            tried = greeter(config, "send", "--once", "--now", f"2027-01-{day}T17:0{int(day) - 11}:00+03:00")
            assert "retry: 1" in tried.stdout, tried.stdout + tried.stderr
        last = greeter(config, "send", "--once", "--now", "2027-01-14T17:02:00+03:00")
        assert "failed: 1" in last.stdout, last.stdout + last.stderr
        assert (
            "failed ×1: 451 4.3.0 Temporary local problem, try again later (gave up: past the catch-up"
            in (last.stderr)
        )
        assert sink.messages == [] and len(sink.refused) == 3
    (row,) = history(config, "--occasion", "birthday")
    assert (row["state"], row["attempts"]) == ("failed", 3), row
    assert row["last_reply"].endswith("(gave up: past the catch-up deadline)")


def test_due_day_is_the_later_of_the_occasion_and_the_day_a_day_off_moves_it_to() -> None:
    text = (
        "sender: {name: Shop, email: hello@shop.example}\n"
        "defaults: {timezone: Europe/Moscow, country: RU}\n"
        "contacts: {path: c.csv, dates: {birthday: B}}\n"
        "occasions:\n"
        "  - {name: birthday, field: birthday, template: birthday}\n"
        "  - {name: early, field: birthday, template: birthday, days_before: 7}\n"
        "send_window: {max_days_early: 3}\n"
    )
    settings = parse_settings(text, "g.yaml", today=TODAY)
    cal = build_calendar(settings.send_window, "RU", range(2026, 2028))
    # Moved after the break: lateness counts from Monday 11 January.
    assert due_day(settings, "birthday", date(2027, 1, 5), cal) == date(2027, 1, 11)
    # Moved one day ahead (Saturday 13 March → Friday 12 March): its own day.
    assert due_day(settings, "birthday", date(2027, 3, 13), cal) == date(2027, 3, 13)
    # days_before: meant for 6 March (a Saturday, 8 March a holiday) → Friday 5 March: the occasion's day.
    assert due_day(settings, "early", date(2027, 3, 13), cal) == date(2027, 3, 13)
    # An occasion the config no longer has: its own day.
    assert due_day(settings, "gone", date(2027, 1, 5), cal) == date(2027, 1, 5)
    end = deadline(due_day(settings, "birthday", date(2027, 1, 5), cal), MSK, 3)
    assert end == datetime(2027, 1, 15, tzinfo=MSK)


def test_its_approval_is_found_by_the_preview_of_the_day_it_leaves(make_project: MakeProject) -> None:
    """``review: required``: approved before the break, the letter of 11 January showed in that
    day's preview as awaiting approval (approvals were read only ``catch_up_days`` back), while
    the send sent it as approved."""
    changes = {"send_window": {"max_days_early": 3}, "review": "required"}
    config = _project(make_project, changes)
    day = ("--from", "2027-01-11", "--days", "1")
    assert greeter(config, "approve", "--all", *day, "--now", "2027-01-08T11:00:00+03:00").returncode == 0
    shown = greeter(config, "preview", *day, "--now", "2027-01-11T09:00:00+03:00", "--format", "json")
    drafts = json.loads(shown.stdout)
    assert len(drafts) == 1, (drafts, shown.stderr)
    (draft,) = drafts
    assert (draft["occasion_date"], draft["send_at"][:10]) == ("2027-01-05", "2027-01-11")
    assert draft["approval"] == "approved", draft["approval"]
    # The card's heading says "belated" as the subject does (it read «С днём рождения!»).
    assert (
        # (and names the New Year merged into it: «…с прошедшим днём рождения и с Новым годом!»)
        "с прошедшим днём рождения" in draft["subject"] and ">С прошедшим днём рождения!<" in draft["html"]
    )


def test_expired_after_the_day_it_was_meant_to_leave_says_that_day() -> None:
    """On 15 January the 5 January birthday meant for 11 January has expired: "more than 3 days
    ago" read as wrong to a reviewer who knew it could go until the 14th."""
    from tests.test_max_days_early import contact, items_of, settings_with

    now = datetime(2027, 1, 15, 11, tzinfo=MSK)
    item = items_of(settings_with(3), contact(birthday=date(1980, 1, 5)), date(2027, 1, 1), 20, now)[
        "birthday"
    ]
    assert (item.status, item.reason) == ("skip", "expired")
    assert item.detail == "more than 3 days after 11.01, the day it was meant to leave"
    assert russian_detail(item.detail) == "прошло более 3 дней после 11.01, дня, когда оно должно было уйти"
