"""After a run that spent the daily quota, the next moment named is one at which a letter can leave.

``per_day: 3`` and three letters due at 11:00 Moscow time: the run sends the three and the
quota has no slot until 11:00 tomorrow. A fourth letter, to New York, is planned for later
today. The run said ``next_send`` — the moment the daemon wakes for, ``/healthz`` and
``/metrics`` show — was that letter's, when nothing can leave before the quota frees a slot.
Real CLI processes, a real SMTP server, a real SQLite journal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from greeter.delivery import Deliverer
from greeter.journal import Journal
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_day_quota import QUICKLY, per_day, send_json
from tests.test_quota_batch import quota_only
from tests.test_send_e2e import NOW, greeter, people


def test_a_quota_spent_by_the_last_due_letter_holds_the_next_send_until_its_slot_frees(
    make_project: MakeProject,
) -> None:
    new_york = contact_row("9", "ny@example.com", birthday="14.04.1980", tz="America/New_York")
    with SmtpSink() as sink:
        config = make_project([*people(3), new_york], **per_day(sink.port, 3))
        summary = send_json(config, NOW)
        assert (summary["due"], summary["sent"], summary["quota_unsent"]) == (3, 3, None), summary
        planned = datetime.fromisoformat(summary["next_letter"]["send_at"])
        now = datetime.fromisoformat(NOW)
        assert summary["next_letter"]["contact_id"] == "9" and planned < now + timedelta(hours=24)
        next_send = datetime.fromisoformat(summary["next_send"])
        # The first of the three sends ages out of the quota's 24 hours: nothing leaves before.
        assert now + timedelta(hours=24) <= next_send <= now + timedelta(hours=24, seconds=QUICKLY)

        # A run at the moment first named sends nothing: the quota is still spent.
        at_letter = send_json(config, planned.isoformat())
        assert (at_letter["due"], at_letter["sent"], at_letter["quota_unsent"]) == (1, 0, 1), at_letter
        assert datetime.fromisoformat(at_letter["quota_free_at"]) == next_send

        text = greeter(config, "send", "--once", "--now", NOW, timeout=QUICKLY)
        assert text.returncode == 0, text.stderr
        assert "next letter due" in text.stdout and "daily quota" in text.stdout, text.stdout
        free = next_send.astimezone(now.tzinfo)
        shown = f"{free:%Y-%m-%d %H:%M}{f':{free:%S}' if free.second else ''} MSK"
        assert f"the daily quota (delivery.rate_limit.per_day) frees its next slot at {shown}" in text.stdout
        assert len(sink.messages) == 3


SLOT = "; the daily quota (delivery.rate_limit.per_day) frees its next slot at 2027-04-15 11:00"


def _moment_words(stdout: str) -> str:
    """The text summary's end from "next letter due" to the slot's minute: what a run says of when
    letters leave (the send counts the slot from its own moment, a second or two after ``now``
    on a loaded machine; the dry run from ``now``)."""
    start = stdout.index("; next letter due")
    return stdout[start : stdout.index(SLOT, start) + len(SLOT)]


def _lag(later: str, earlier: str) -> timedelta:
    return datetime.fromisoformat(later) - datetime.fromisoformat(earlier)


def test_a_dry_run_names_the_moment_the_send_would_after_the_quota_is_spent(
    make_project: MakeProject,
) -> None:
    """The dry run named the New York letter's moment (21:52 today) as ``next_send`` and said
    nothing of the quota, while the send at the same moment named 11:00:01 tomorrow, the
    quota's next slot: both now say the send's moment, in the send's words."""
    new_york = contact_row("9", "ny@example.com", birthday="14.04.1980", tz="America/New_York")
    with SmtpSink() as sink:
        config = make_project([*people(3), new_york], **per_day(sink.port, 3))
        first = send_json(config, NOW)  # sends the three due: the quota is spent
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW, timeout=QUICKLY)
        assert dry.returncode == 0, dry.stderr
        dry_text = greeter(config, "send", "--once", "--dry-run", "--now", NOW, timeout=QUICKLY)
        assert dry_text.returncode == 0, dry_text.stderr
        real = send_json(config, NOW)
        real_text = greeter(config, "send", "--once", "--now", NOW, timeout=QUICKLY)
        assert real_text.returncode == 0, real_text.stderr
        assert len(sink.messages) == 3
    foreseen = json.loads(dry.stdout)["next_send"]
    for said in (first["next_send"], real["next_send"]):
        assert timedelta(0) <= _lag(said, foreseen) <= timedelta(seconds=QUICKLY), (foreseen, said)
    assert _moment_words(dry_text.stdout) == _moment_words(real_text.stdout)


def test_a_dry_run_names_the_quota_slot_for_the_letters_it_leaves_unsent(
    make_project: MakeProject,
) -> None:
    """Five due, ``per_day: 3``: the dry run before the send and the send itself name one
    ``next_send``, the quota's next slot, and one ``quota_free_at``."""
    with SmtpSink() as sink:
        config = make_project(people(5), **per_day(sink.port, 3))
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW, timeout=QUICKLY)
        assert dry.returncode == 0, dry.stderr
        foreseen = json.loads(dry.stdout)
        real = send_json(config, NOW)
    assert (real["sent"], real["quota_unsent"]) == (3, 2), real
    assert foreseen["quota_unsent"] == 2, foreseen
    assert foreseen["next_send"] == foreseen["quota_free_at"]
    assert real["next_send"] == real["quota_free_at"]
    # The send's slot is counted from its own sends, a moment after the dry run's ``now``.
    assert timedelta(0) <= _lag(real["next_send"], foreseen["next_send"]) <= timedelta(seconds=QUICKLY)


#: A journal this much slower than the run (real seconds): a round's write, a read.
SLOW = 1.2


def _slowed(method: Callable[..., Any], when: Callable[..., bool] = lambda *args: True) -> Callable[..., Any]:
    """``method``, taking :data:`SLOW` longer when ``when(*args)``: the journal's I/O is slow (a
    loaded machine's fsync), not a synchronisation."""

    def slow(*args: Any) -> Any:
        if when(*args):
            time.sleep(SLOW)
        return method(*args)

    return slow


def _has_verdicts(_: Deliverer, trips: list[object]) -> bool:
    return any(isinstance(trip, tuple) for trip in trips)


@pytest.mark.parametrize("pool", [None, 1], ids=["four-workers", "one-worker"])
def test_the_slot_a_run_names_is_the_one_the_next_run_reads_from_a_slow_journal(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, pool: int | None
) -> None:
    """A run names the daily quota's next slot from its own clock; the next run from the journal's
    ``sent`` moments. They named different seconds (11:00:00, then 11:00:02) on a loaded machine:
    the run counted its first letter from its permit, before the hand-over (four workers: the
    fourth found the quota full while the three were with the server); the journal wrote the
    letter's moment when a round got to it, after; and the next run aged those moments from its
    start, not from when it read them. Each is made :data:`SLOW` long here (the server's answer,
    the journal's write and read); each alone moved the slot a second or more."""
    monkeypatch.setattr(Deliverer, "journal_round", _slowed(Deliverer.journal_round, _has_verdicts))
    monkeypatch.setattr(Journal, "sent_times", _slowed(Journal.sent_times))
    with SmtpSink() as sink:
        sink.delay(SLOW)
        config = make_project(people(5), **quota_only(sink.port, pool))
        first = json.loads(greeter(config, "send", "--once", "--json", "--now", NOW).stdout)
        assert (first["sent"], first["quota_unsent"]) == (3, 2), first
        later = "2027-04-14T11:05:00+03:00"
        again = json.loads(greeter(config, "send", "--once", "--json", "--now", later).stdout)
        assert (again["sent"], again["quota_unsent"]) == (0, 2), again
        assert len(sink.messages) == 3
    assert again["quota_free_at"] == first["quota_free_at"], (first, again)
    assert again["next_send"] == first["next_send"] == first["quota_free_at"], (first, again)
