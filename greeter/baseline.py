"""``greeter baseline``: record the greetings the tool used before greeter already sent.

A journal's first ``send --once`` catches up the last ``catch_up_days``
(:func:`greeter.planner.occasion_starts`): right for a greeter that was down,
wrong for one that replaces a mail-merge cron which greeted those clients
itself — they got a second, belated letter, and today's ones a second letter
too when the old cron had run that morning. ``catch_up_days: 0`` for the first
run expired today's letters instead. Baseline plans as that send would, and
records every letter due through a day (today by default) that the journal
does not hold yet as ``skipped``, handled before greeter (:data:`BASELINE`):
no later run sends it, and the frequency cap counts it as sent
(:func:`greeter.journal_store.planned_state`).

The planning here is pure: :func:`due_through` takes the inputs, the journal's
history already read into them, ``now`` and the day. Only :func:`record` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from greeter.journal_store import BASELINE, JournalStore
from greeter.journal_transitions import merged_reason
from greeter.plan_types import Hit, PlanItem
from greeter.planner import lookahead_end
from greeter.runtime import Inputs, read_journal_state
from greeter.send import plan_start
from greeter.sources import LoadReport
from greeter.zone_label import local_time


def handled_reason(at: datetime) -> str:
    """The journal's reason for a greeting handled before greeter: its code word, then when baseline ran.

    ``history`` reads the word as ``reason_code: baseline``; the moment (UTC,
    as history's other timestamps) tells a later reader which run decided it.
    """
    return f"{BASELINE}: handled before greeter (baseline at {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


def greetings_of(letter: PlanItem) -> tuple[Hit, ...]:
    """A letter's greetings: its own occasion and those merged into it."""
    return (letter.hit, *letter.also)


def due_through(inputs: Inputs, *, now: datetime, through: date, report: LoadReport) -> list[PlanItem]:
    """The letters the plan at ``now`` has leaving by the end of ``through`` (the config's zone).

    The plan is the one ``send --once`` makes at ``now`` (:func:`greeter.send.plan_cycle`:
    the same catch-up reach back, the same look-ahead, so merging and the cap
    decide alike), reaching further ahead when ``through`` is after today.
    A letter the journal already holds is no ``send`` item, so it is not
    taken again: a second run finds nothing new. ``inputs`` must hold the
    journal's state (:func:`greeter.runtime.read_journal_state`).
    """
    settings = inputs.settings
    tz = ZoneInfo(settings.defaults.timezone)
    today, start = plan_start(settings, now)
    calendar = inputs.window(now=now, start=start, days=1, look_ahead=False).calendar  # only its days off
    end = lookahead_end(settings, calendar, max(today, through))
    pw = inputs.window(now=now, start=start, days=(end - start).days + 1, look_ahead=False)
    until = datetime.combine(through + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return [
        item
        for item in inputs.plan(inputs.contacts(report), pw)
        if item.status == "send" and item.send_at is not None and item.send_at < until
    ]


def record(journal: JournalStore, letters: Iterable[PlanItem], now: datetime) -> list[PlanItem]:
    """Journal each letter as handled before greeter, and the occasions merged into it as the send
    would (``merged into …``); the letters recorded (one another sender journaled meanwhile is not).

    One transaction on SQLite (:meth:`JournalStore.batch`): a journal failing
    halfway records none. A letter's row keeps the day it would have left
    (``send_day``, what the cap counts) and its merged occasions.
    """
    reason = handled_reason(now)
    done: list[PlanItem] = []
    with journal.batch():
        for letter in letters:
            hit = letter.hit
            cid, occasion, day = hit.key
            assert letter.send_at is not None  # due_through takes only planned letters
            with journal.contact_lock(cid):
                if journal.shared and journal.history(
                    contact_id=cid, occasion=occasion, since=day, until=day
                ):
                    continue  # another sender has it now: that row stands
                email = hit.contact.email
                merged = [other.occasion for other in letter.also]
                journal.record_handled(
                    hit.key, reason, now, email=email, send_day=letter.send_at.date(), merged=merged
                )
                for other in letter.also:
                    journal.record_handled(other.key, merged_reason(occasion), now, email=email)
            done.append(letter)
    return done


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a baseline run recorded (or, dry, would record), and how to say it."""

    letters: list[PlanItem]
    through: date
    dry_run: bool

    @property
    def greetings(self) -> int:
        return sum(len(greetings_of(letter)) for letter in self.letters)

    def lines(self) -> list[str]:
        """One line per letter: when it would have left, whose, which occasions."""
        out = []
        for letter in self.letters:
            assert letter.send_at is not None
            hit = letter.hit
            names = " + ".join(f"{h.occasion} {h.date:%Y-%m-%d}" for h in greetings_of(letter))
            out.append(f"{local_time(letter.send_at)}  {hit.contact.id}  {hit.contact.email}  {names}")
        return out

    def text(self) -> str:
        """The summary line: how many, the span of their occasion days, what the next send does."""
        if not self.letters:
            return (
                f"nothing {'would be' if self.dry_run else 'was'} recorded: every greeting due through"
                f" {self.through:%Y-%m-%d} is in the journal already (or none is due)"
            )
        days = [h.date for letter in self.letters for h in greetings_of(letter)]
        from greeter.cli import day_span  # loaded already: the command runs from it

        span = day_span(min(days), max(days))
        verb, sends = ("would record", "would send") if self.dry_run else ("recorded", "sends")
        return (
            f"{verb} {self.greetings} greeting(s) as handled before greeter (occasions {span});"
            f" the next send --once {sends} none of them"
        )


def run_baseline(
    inputs: Inputs, journal: JournalStore, *, now: datetime, through: date, dry_run: bool
) -> tuple[Baseline, LoadReport]:
    """Read the journal's state, plan, and (unless ``dry_run``) record; the journal holds the sender lock.

    As the send, a real run records since when each occasion exists
    (:meth:`JournalStore.record_occasions`): a first send after it plans from
    the same start, and does not take itself for a new journal's first run.
    """
    read_journal_state(inputs, journal, start=plan_start(inputs.settings, now)[1], now=now)
    report = inputs.new_report()
    letters = due_through(inputs, now=now, through=through, report=report)
    if not dry_run:
        journal.record_occasions(inputs.occasion_since)
        letters = record(journal, letters, now)
    return Baseline(letters, through, dry_run), report
