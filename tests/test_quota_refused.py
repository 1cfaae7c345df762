"""The daily quota counts the letters the server accepted: a refused one gives its slot back.

Providers' daily caps (Yandex 360's 500 a day, Gmail's) count the messages they accepted,
and the next run seeds ``delivery.rate_limit.per_day`` from the journal's *sent* letters.
Within the run, though, a letter refused with a 4xx kept its permit: ``per_day: 3``, the
first of five letters refused, two sent, "quota used up, 2 left unsent until tomorrow" —
and a run five minutes later found a free slot and sent another. Now the run counts as
the next one does. Real CLI processes, a real SMTP server, a real SQLite journal.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import pytest

from greeter.ratelimit import DAY_SECONDS, RateLimiter
from greeter.testing import FakeClock, SmtpSink
from tests.conftest import MakeProject
from tests.test_day_quota import QUICKLY, send_json
from tests.test_quota_batch import quota_only
from tests.test_send_e2e import NOW, people
from tests.test_stop_signals import journal_states


def test_a_letter_refused_with_a_4xx_takes_no_slot_in_its_run_as_in_the_next(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.reject("client1@example.com", 450, "4.2.1 Mailbox busy, try again later")
        config = make_project(people(5), **quota_only(sink.port, 1))
        first = send_json(config, NOW)
        # The quota's order is by contact id here: client1 is refused, 2, 3 and 4 take the slots.
        assert (first["due"], first["sent"], first["retry"], first["quota_unsent"]) == (5, 3, 1, 1), first
        assert sorted(m.rcpt_tos[0] for m in sink.messages) == [f"client{i}@example.com" for i in (2, 3, 4)]
        assert journal_states(config) == Counter({"sent": 3, "retry": 1})

        # Five minutes on (client1's retry is due): the journal's three sends fill the quota, as the run said.
        again = send_json(config, "2027-04-14T11:05:00+03:00")
        assert (again["due"], again["sent"], again["quota_unsent"]) == (2, 0, 2), again
        assert again["quota_free_at"] == first["quota_free_at"]
        assert len(sink.messages) == 3


def test_the_limiter_gives_a_refused_letters_day_slot_back_and_keeps_its_pacing() -> None:
    """``per_minute`` still counts the refused hand-over (the server saw it); ``per_day`` does not."""
    clock = FakeClock(start=1_000.0)
    limiter = RateLimiter(clock, per_minute=2, per_day=2)
    assert asyncio.run(limiter.acquire()) is True
    refused = limiter.granted_at
    assert refused is not None
    limiter.refused(refused)
    clock.now += 30
    assert asyncio.run(limiter.acquire()) is True
    assert limiter.quota_wait() is None  # one of the day's two slots is taken
    assert limiter.wait_time() == pytest.approx(30 + 0.001)  # two in this minute: the refused one counts
    clock.now += 31
    assert asyncio.run(limiter.acquire()) is True
    assert limiter.quota_wait() == pytest.approx(DAY_SECONDS - 31 + 0.001)


def test_a_slot_a_refused_letter_gives_back_after_the_quota_stopped_the_batch_is_free_now(
    make_project: MakeProject,
) -> None:
    """The default pool pulls three letters at once for ``per_day: 3``; the fourth finds the quota
    full and stops the batch; then the third is refused and gives its slot back. The run must say
    the slot is free now: it said "frees tomorrow", so ``next_send`` (the daemon's wake) slept a day
    with a slot free and a letter waiting (found by a docs check of ``docs/config.md``)."""
    with SmtpSink() as sink:
        sink.reject("client3@example.com", 450, "4.2.1 Mailbox busy, try again later")
        sink.stall("RCPT", 0.5, n=3)  # the refusal comes after the other workers asked for permits
        config = make_project(people(5), **quota_only(sink.port, None))
        first = send_json(config, NOW)
        assert (first["due"], first["sent"], first["retry"], first["quota_unsent"]) == (5, 2, 1, 2), first
        now = datetime.fromisoformat(NOW)
        free_at = datetime.fromisoformat(first["quota_free_at"])
        assert now - timedelta(seconds=1) <= free_at <= now + timedelta(seconds=QUICKLY), first
        assert datetime.fromisoformat(first["next_send"]) <= now + timedelta(seconds=QUICKLY), first

        # A minute on, the free slot takes one more letter (the due retry or a fresh one).
        again = send_json(config, "2027-04-14T11:01:00+03:00")
        assert again["sent"] + again["retry"] == 1, again
        assert len(sink.messages) == 2 + again["sent"]
