"""A provider throttling us: remembered in the journal, so that later runs hold off too.

A hosted mailbox (Yandex 360: 500 letters a day, 20 a minute) answers ``451 4.7.1
Rate limit exceeded`` once its quota is spent, or a ``421`` when we come too fast.
Retried letter by letter, that cost 10 more refusals within the run (a new letter
every 3 s) and, since ``per_day`` counts only the journal's *sent* letters, every
later run (cron every 10 minutes, the daemon every few seconds) handed over
``per_day − sent`` new letters into the refusals: 73 against 20 accepted in 4.6
minutes — what gets an account blocked.

Now the first throttle reply (:func:`~greeter.reply_classes.provider_throttle`)
stops the batch (:meth:`~greeter.delivery.Deliverer.provider_throttled`), and
this module records it in the journal — the state every ``send --once`` process
and the daemon share — as the notice :data:`THROTTLE` (:meth:`JournalStore.notice
<greeter.journal_store.JournalStore.notice>`: no table of its own, no migration).
Until ``delivery.retry``'s back-off after it has passed, a run hands over no letter
at all (they stay due, unclaimed); each throttle in a row doubles the back-off
(``factor``, up to ``max_seconds``), a run that gets letters accepted without one
ends the streak. The notice's ``said_at`` is the moment of the throttle, its
``fingerprint`` ``"<streak> <reply>"`` (the reply with addresses masked, as the
summary shows it); ``"0"`` once the streak ended.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from greeter.config import Retry
from greeter.delivery_summary import Summary
from greeter.delivery_timing import backoff
from greeter.errors import JournalError
from greeter.journal_store import JournalStore, Notice
from greeter.zone_label import second_up

#: The journal notice under which the last throttle is kept.
THROTTLE = "provider_throttle"


@dataclass(frozen=True, slots=True)
class Throttle:
    """The provider's last push-back: the ``streak``-th in a row, at ``at``, with its ``reply``."""

    streak: int
    at: datetime
    reply: str

    def resumes_at(self, retry: Retry) -> datetime:
        """When new letters may go again: ``delivery.retry``'s back-off for this streak, in whole
        seconds rounded up (a run at the moment shown finds it passed)."""
        return second_up(self.at + backoff(self.streak, retry))


def parse_throttle(notice: Notice | None) -> Throttle | None:
    """Pure: the throttle a notice records; None when none was, or its streak ended."""
    if notice is None:
        return None
    streak, _, reply = notice.fingerprint.partition(" ")
    if not streak.isdigit() or int(streak) < 1:
        return None
    return Throttle(int(streak), notice.said_at, reply)


def read_throttle(journal: JournalStore) -> Throttle | None:
    """The throttle the journal records (another process's, or the daemon's last run's)."""
    return parse_throttle(journal.notice(THROTTLE))


def holds_until(last: Throttle | None, now: datetime, retry: Retry) -> datetime | None:
    """Pure: when sending resumes after ``last``, if its back-off still holds at ``now``; None otherwise.

    Whether letters are due or not: ``/metrics`` and ``/healthz`` say the hold after a run with
    nothing due too (it read "not held" while the next letter would have met it).
    """
    if last is None:
        return None
    until = last.resumes_at(retry)
    return until if now < until else None


def hold_back(summary: Summary, last: Throttle | None, letters: int, now: datetime, retry: Retry) -> bool:
    """Whether an earlier throttle still holds ``letters`` due ones back at ``now``; says so in
    ``summary`` (its line, ``send --json``, the exit code 75). Pure but for ``summary``.

    Nothing due holds nothing back and says nothing: the hold is about letters.
    """
    until = holds_until(last, now, retry)
    if until is None or last is None or not letters:
        return False
    summary.throttled, summary.throttled_until, summary.throttle_unsent = last.reply, until, letters
    return True


def remember_throttle(journal: JournalStore, summary: Summary, last: Throttle | None, retry: Retry) -> None:
    """After a batch: record this run's throttle (one more in the streak) and when sending resumes
    (``summary.throttled_until``), or end the streak of ``last`` once letters were accepted.

    Best effort, as the contact problems' notice: a journal failing here costs only the hold
    (the next run may meet the throttle once more), while its error would read "nothing was
    sent" after letters went.
    """
    if summary.throttled is not None and summary.throttled_at is not None:
        streak = (last.streak if last is not None else 0) + 1
        now = Throttle(streak, summary.throttled_at, summary.throttled)
        summary.throttled_until = now.resumes_at(retry)
        with suppress(JournalError):
            journal.record_notice(THROTTLE, f"{streak} {now.reply}", now.at)
    elif last is not None and summary.counts["sent"]:
        with suppress(JournalError):
            journal.record_notice(THROTTLE, "0", last.at)
