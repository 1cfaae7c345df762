"""What ``send --once`` says of letters the daily quota held back and that then expire.

The summary promised "53 left unsent until its next slot frees at …" to letters
whose catch-up period ended before that slot, and the expiry that followed was
blamed on cron ("run greeter send --once every 10 minutes …") though the runs
happened and the quota blocked them. Pure tables, then real ``send --once``
processes against an SMTP sink and a SQLite journal (``per_day`` 5).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from greeter.delivery_summary import quota_words
from greeter.journal_store import JournalEntry
from greeter.quota_plan import Rank, expiring_before, held_recently, quota_expiry_words, quota_rank
from greeter.send_report import EXPIRED_HINT, QUOTA_EXPIRED_HINT, expired_hints
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_day_quota import per_day
from tests.test_send_e2e import NOW, greeter, history, people

MSK = ZoneInfo("Europe/Moscow")
FREE = datetime(2027, 4, 15, 11, tzinfo=MSK)
DAY = date(2027, 4, 11)


def rank(cid: str, ends: datetime) -> Rank:
    return quota_rank(ends, (100,), (cid, "birthday", DAY))


@pytest.mark.parametrize(
    ("deadlines", "left", "expected"),
    [
        ([FREE - timedelta(hours=11)] * 4, 2, 2),  # every one left ends before the slot frees
        ([FREE - timedelta(hours=11)] * 2 + [FREE + timedelta(days=2)] * 2, 2, 0),  # the last two have time
        ([FREE - timedelta(hours=11)] * 3 + [FREE + timedelta(days=2)], 2, 1),
        ([FREE] * 2, 1, 1),  # a deadline at the very moment it frees: too late
        ([FREE - timedelta(hours=1)] * 3, 0, 0),
    ],
)
def test_expiring_before_counts_the_left_letters_whose_deadline_comes_first(
    deadlines: list[datetime], left: int, expected: int
) -> None:
    ranks = [rank(str(i), ends) for i, ends in enumerate(deadlines)]
    assert expiring_before(ranks, left, FREE) == expected


@pytest.mark.parametrize(
    ("held_at", "catch_up", "expected"),
    [(None, 3, False), (FREE - timedelta(days=4), 3, True), (FREE - timedelta(days=5), 3, False)],
)
def test_held_recently_is_within_the_catch_up_period(
    held_at: datetime | None, catch_up: int, expected: bool
) -> None:
    assert held_recently(held_at, FREE, catch_up) is expected


@pytest.mark.parametrize(
    ("left", "expiring", "words"),
    [
        (53, 0, "53 left unsent until its next slot frees at 2027-04-15 11:00 MSK"),
        (
            53,
            53,
            "53 left unsent, all of them expire before they could go: its next slot frees at 2027-04-15 11:00 MSK",
        ),
        (
            53,
            3,
            "53 left unsent until its next slot frees at 2027-04-15 11:00 MSK"
            " (3 of them expire before they could go: their catch-up period ends first)",
        ),
    ],
)
def test_quota_words_do_not_promise_a_slot_to_letters_that_expire_first(
    left: int, expiring: int, words: str
) -> None:
    assert quota_words(left, FREE, expiring) == f"daily quota used up (delivery.rate_limit.per_day): {words}"


def untried() -> JournalEntry:
    at = datetime(2027, 4, 15, tzinfo=MSK)
    return JournalEntry(
        "1",
        "birthday",
        DAY,
        "expired",
        "a@example.com",
        None,
        0,
        None,
        None,
        None,
        None,
        None,
        (),
        None,
        at,
        at,
        None,
    )


def test_expired_hints_blame_the_quota_when_it_held_letters_not_cron() -> None:
    assert expired_hints([untried()]) == [EXPIRED_HINT]
    assert expired_hints([untried()], quota=True) == [QUOTA_EXPIRED_HINT]
    assert "cron" not in QUOTA_EXPIRED_HINT and "delivery.rate_limit.per_day" in QUOTA_EXPIRED_HINT


def test_send_once_says_the_held_letters_expire_and_later_blames_the_quota(make_project: MakeProject) -> None:
    """10 birthdays of 11 April (catch_up_days 3: they may leave until 15.04 00:00) at 14.04 11:00,
    ``per_day`` 5: the five left can never go — the quota frees a slot at 15.04 11:00."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="11.04.1980"), **per_day(sink.port, 5))
        first = greeter(config, "send", "--once", "--json", "--now", NOW, timeout=60)
        summary = json.loads(first.stdout)
        assert (summary["sent"], summary["quota_unsent"], summary["quota_expiring"]) == (5, 5, 5)
        assert first.returncode == 1, first.stderr  # not plain success: five greetings are lost
        text = greeter(config, "send", "--once", "--now", "2027-04-14T11:05:00+03:00", timeout=60)
        assert (
            "5 left unsent, all of them expire before they could go: its next slot frees at" in text.stdout
        ), text.stdout
        assert text.returncode == 1
        after = greeter(config, "send", "--once", "--now", "2027-04-15T10:30:00+03:00", timeout=60)
        assert "expired ×5" in after.stderr, after.stderr
        assert QUOTA_EXPIRED_HINT in after.stderr
        assert "cron */5" not in after.stderr
        assert len(sink.messages) == 5


def test_letters_the_quota_only_delays_are_the_next_send_not_no_letter_planned(
    make_project: MakeProject,
) -> None:
    """10 birthdays of 13 April (catch_up_days 3) at 14.04 11:00, ``per_day`` 5: the five left go
    tomorrow, when the quota frees a slot. ``next_send`` said null and the line "no letter planned"
    beside "5 left unsent until its next slot frees": a wrapper sleeping until next_send stopped."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="13.04.1980"), **per_day(sink.port, 5))
        first = greeter(config, "send", "--once", "--json", "--now", NOW, timeout=60)
        summary = json.loads(first.stdout)
        assert (summary["sent"], summary["quota_unsent"], summary["quota_expiring"]) == (5, 5, 0)
        assert first.returncode == 0, first.stderr  # a limit the operator set, nothing lost
        assert summary["next_send"] is not None, summary
        assert summary["next_send"] == summary["quota_free_at"], summary
        text = greeter(config, "send", "--once", "--now", "2027-04-14T11:05:00+03:00", timeout=60)
        assert "5 left unsent until its next slot frees at" in text.stdout, text.stdout
        assert "no letter planned" not in text.stdout, text.stdout
        # At the moment next_send names, the quota lets them go.
        resumed = datetime.fromisoformat(summary["next_send"])
        done = greeter(config, "send", "--once", "--json", "--now", resumed.isoformat(), timeout=60)
        assert json.loads(done.stdout)["sent"] == 5, done.stdout
    assert len(sink.messages) == 10


def test_a_greeting_the_quota_held_until_it_expired_says_so_in_its_history(make_project: MakeProject) -> None:
    """The five birthdays of 11 April the quota held on 14.04 expire at the next run: each one's row
    said the window it missed ("more than 3 days after 11.04") as if no run had come in time,
    though the runs came and the daily quota kept them back."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="11.04.1980"), **per_day(sink.port, 5))
        greeter(config, "send", "--once", "--now", NOW, timeout=60)
        greeter(config, "send", "--once", "--now", "2027-04-15T10:30:00+03:00", timeout=60)
    expired = [row for row in history(config) if row["state"] == "expired"]
    assert len(expired) == 5, expired
    for row in expired:
        why = row["reason"]
        assert why.startswith(
            "expired: the daily quota (delivery.rate_limit.per_day) held it back on 14.04"
        ), why
        assert "until its catch-up period ended" in why and "more than 3 days" not in why, why


@pytest.mark.parametrize(
    ("ends", "words"),
    [
        (datetime(2027, 4, 15, tzinfo=MSK), True),  # it ends before the slots held at 14.04 11:00 free
        (datetime(2027, 4, 15, 11, tzinfo=MSK), True),  # at the very moment they free: too late
        (datetime(2027, 4, 17, tzinfo=MSK), False),  # free from 15.04 11:00, two days before it ends
    ],
)
def test_the_quota_is_not_blamed_for_a_greeting_whose_slot_freed_before_it_expired(
    ends: datetime, words: bool
) -> None:
    held_at = datetime(2027, 4, 14, 11, tzinfo=MSK)
    said = quota_expiry_words(held_at, date(2027, 4, 13), MSK, ends)
    assert (said is not None) is words


def test_the_quota_is_blamed_when_the_window_stays_closed_from_the_freed_slot_to_the_end() -> None:
    """Held Friday 16.04 11:00: the slots free Saturday 11:00, but the recipient's window opens
    Monday 10:00 only, after a catch-up period ending Sunday: the quota cost it."""
    held_at = datetime(2027, 4, 16, 11, tzinfo=MSK)
    monday = datetime(2027, 4, 19, 10, tzinfo=MSK)
    said = quota_expiry_words(
        held_at, date(2027, 4, 16), MSK, datetime(2027, 4, 18, tzinfo=MSK), lambda _: monday
    )
    assert said is not None


def test_a_greeting_that_expired_while_greeter_was_down_is_not_put_down_to_the_quota(
    make_project: MakeProject,
) -> None:
    """10 birthdays of 13 April at 14.04 11:00, ``per_day`` 5: five go, five wait for the slot
    freeing at 15.04 11:00. greeter is then down until 17.04 10:30, past their catch-up period
    (catch_up_days 3): they expired for the downtime — their rows and the summary said "the daily
    quota held it back on 14.04 until its catch-up period ended", a slot having been free for
    a day and a half before the period ended."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="13.04.1980"), **per_day(sink.port, 5))
        first = greeter(config, "send", "--once", "--json", "--now", NOW, timeout=60)
        assert (json.loads(first.stdout)["quota_unsent"], json.loads(first.stdout)["quota_expiring"]) == (
            5,
            0,
        )
        later = greeter(config, "send", "--once", "--now", "2027-04-17T10:30:00+03:00", timeout=60)
        assert "expired ×5" in later.stderr, later.stderr
        assert EXPIRED_HINT in later.stderr and QUOTA_EXPIRED_HINT not in later.stderr, later.stderr
        assert len(sink.messages) == 5
    expired = [row for row in history(config) if row["state"] == "expired"]
    assert len(expired) == 5, expired
    for row in expired:
        assert "daily quota" not in row["reason"], row["reason"]
