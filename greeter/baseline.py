"""``greeter baseline``: record the greetings already sent that the journal does not hold, as handled.

A journal's first ``send --once`` catches up the last ``catch_up_days``
(:func:`greeter.planner.occasion_starts`): right for a greeter that was down,
wrong for one that replaces a mail-merge cron which greeted those clients
itself — they got a second, belated letter, and today's ones a second letter
too when the old cron had run that morning. ``catch_up_days: 0`` for the first
run expired today's letters instead. Baseline plans as that send would, and
records every letter for an occasion on or before a day (today by default)
that the journal does not hold yet as ``skipped``, handled before greeter
(:data:`BASELINE`): no later run sends it, and the frequency cap counts it as
sent (:func:`greeter.journal_store.planned_state`).

The same holds for a journal restored from a backup: the letters greeter sent
after the backup was taken are not in it, and the next send would send those
still within ``catch_up_days`` again. So the words baseline stores and prints
say "recorded as handled", true of both uses, not "handled before greeter".

``--through`` is an *occasion* day, not the day a letter leaves: "I sent
everything up to the 6th by hand" means the birthdays of the 4th to the 6th,
whose catch-up letters a Monday plan has leaving on the 7th. Read as the day a
letter leaves, that baseline took none of them and the next send greeted all
four clients a second time. A letter leaving by then for a later occasion (a
Saturday birthday greeted on Friday) is not taken, and is counted
(:attr:`Found.ahead`) so that the summary says so.

The planning here is pure: :func:`due_through` takes the inputs, the journal's
history already read into them, ``now`` and the day. Only :func:`record` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from greeter.calendar_rules import WorkCalendar, greeting_day
from greeter.config import Settings
from greeter.errors import FutureThroughError
from greeter.journal_store import BASELINE, JournalStore
from greeter.journal_transitions import merged_reason
from greeter.plan_types import Hit, PlanItem
from greeter.planner import lookahead_end
from greeter.runtime import Inputs, read_journal_state
from greeter.send import plan_start
from greeter.sources import LoadReport
from greeter.zone_label import local_time


def handled_reason(at: datetime) -> str:
    """The journal's reason for a greeting baseline recorded: its code word, then when baseline ran.

    ``history`` reads the word as ``reason_code: baseline``; the moment (UTC,
    as history's other timestamps) tells a later reader which run decided it.
    "Recorded as handled", not "handled before greeter": after a restored
    backup the letter was greeter's own, sent from the journal that was lost.
    """
    return f"{BASELINE}: recorded as handled (baseline at {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


def greetings_of(letter: PlanItem) -> tuple[Hit, ...]:
    """A letter's greetings: its own occasion and those merged into it."""
    return (letter.hit, *letter.also)


@dataclass(frozen=True, slots=True)
class Found:
    """What :func:`due_through` found in the plan: the letters to take, and what is said of the rest."""

    #: The letters a send would still send that greet an occasion on or before the day.
    letters: list[PlanItem]
    #: The greetings whose catch-up period ended before greeter's first run (:func:`due_through`).
    expired: list[PlanItem]
    #: The greetings of occasions on or before the day that the journal holds already.
    held: int = 0
    #: The letters leaving by the end of the day whose occasions are all after it: not taken.
    ahead: list[PlanItem] = field(default_factory=list)
    #: The last occasion day a send at ``now`` plans (its look-ahead): a later ``--through`` is refused.
    reach: date | None = None


def meant_day(settings: Settings, hit: Hit, cal: WorkCalendar) -> date:
    """The day ``hit``'s letter was meant to leave (:func:`~greeter.calendar_rules.greeting_day`).

    Why: on Monday a Saturday birthday's letter is a catch-up letter leaving
    Monday, but greeter (``day_off_policy: before``) meant it for Friday — the
    day an old tool greeting ahead sent it. The "not taken" note judges by
    that day, not by Monday's. An occasion the config no longer has: its day.
    """
    occ = next((o for o in settings.occasions if o.name == hit.occasion), None)
    if occ is None:
        return hit.date
    window = settings.send_window
    limit = occ.days_early_limit(window.max_days_early)
    return greeting_day(hit.date - timedelta(days=occ.days_before), cal, window.day_off_policy, limit)


def due_through(inputs: Inputs, *, now: datetime, through: date, report: LoadReport) -> Found:
    """The letters the plan at ``now`` still sends for an occasion on or before ``through``.

    A letter is taken when one of its greetings (its own occasion or one merged
    into it) is of a day on or before ``through``: the old tool greeted that
    client then, and the letter goes with the occasions it carries, as the send
    records them. The plan is the one ``send --once`` makes at ``now``
    (:func:`greeter.send.plan_cycle`: the same catch-up reach back, the same
    look-ahead, so merging and the cap decide alike), reaching further ahead
    when ``through`` is after today. A letter the journal already holds is no
    ``send`` item, so it is not taken again: a second run finds nothing new.
    ``inputs`` must hold the journal's state (:func:`greeter.runtime.read_journal_state`).

    Second, the greetings the plan finds expired already, their day come
    (what the send would record ``expired``, :meth:`~greeter.delivery.Deliverer.record_skips`):
    their catch-up period ended before greeter's first run, baseline's.
    Left to the first send, they read as lost on greeter's watch — exit 1
    and the advice to run it more often, on the very run the docs prescribe.
    """
    settings = inputs.settings
    tz = ZoneInfo(settings.defaults.timezone)
    today, start = plan_start(settings, now)
    calendar = inputs.window(now=now, start=start, days=1, look_ahead=False).calendar  # only its days off
    end = lookahead_end(settings, calendar, max(today, through))
    pw = inputs.window(now=now, start=start, days=(end - start).days + 1, look_ahead=False)
    until = datetime.combine(through + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    found = Found([], [])
    held = 0
    today_here = now.date()  # as the send decides a skip's day has come (record_skips)
    for item in inputs.plan(inputs.contacts(report), pw):
        first = min(h.date for h in greetings_of(item))
        if item.status == "send" and item.send_at is not None:
            if first <= through:
                found.letters.append(item)
            elif item.send_at < until or meant_day(settings, item.hit, calendar) <= through:
                found.ahead.append(item)  # by its catch-up day or by the day it was meant to leave
        elif item.reason == "expired" and not item.merged_into and item.hit.date <= today_here:
            found.expired.append(item)
        elif item.journal_state is not None and item.hit.date <= through:
            held += 1
    return Found(found.letters, found.expired, held, found.ahead, lookahead_end(settings, calendar, today))


def record_expired(journal: JournalStore, items: Iterable[PlanItem], now: datetime) -> list[PlanItem]:
    """Journal each greeting as ``expired`` before greeter's first run, with the planner's words; the
    greetings recorded (one another sender journaled meanwhile is not). One transaction, as :func:`record`.
    """
    done: list[PlanItem] = []
    with journal.batch():
        for item in items:
            cid, occasion, day = item.hit.key
            with journal.contact_lock(cid):
                if journal.shared and journal.history(
                    contact_id=cid, occasion=occasion, since=day, until=day
                ):
                    continue
                why = f"{item.detail}; " if item.detail else ""
                why += "its catch-up period had ended before greeter's first run (greeter baseline)"
                journal.mark_expired(item.hit.key, now, email=item.hit.contact.email, why=why)
            done.append(item)
    return done


def record(journal: JournalStore, letters: Iterable[PlanItem], now: datetime) -> list[PlanItem]:
    """Journal each letter as handled (:func:`handled_reason`), and the occasions merged into it as the send
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
    #: The greetings whose catch-up period had ended before this first run (:func:`due_through`):
    #: recorded ``expired`` (dry: would be), as a new journal's first send records them.
    expired: list[PlanItem] = field(default_factory=list)
    #: The greetings of occasions through ``through`` the journal held already (:attr:`Found.held`).
    held: int = 0
    #: The letters leaving by the end of ``through`` for later occasions, not taken (:attr:`Found.ahead`).
    ahead: list[PlanItem] = field(default_factory=list)
    #: The greetings greeter itself had sent from this journal before the run (:meth:`warning`).
    sent_before: int = 0
    #: The letters taken that leave after today (a ``--through`` after today): :meth:`warning`.
    leaving_later: int = 0

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

    def warning(self) -> str | None:
        """One line for a baseline on a journal greeter has sent from: it is meant for the move, before.

        Not refused: a late baseline still keeps what the old tool sent since
        from going again, and touches nothing greeter sent; and after a journal
        restored from a backup it is the way to keep the letters sent since the
        backup from going again (docs/operations.md). But a run after greeter's
        first send is otherwise likelier a mistake (the wrong config, a journal
        meant for another project) than a plan, so it is said — with how many,
        which a reader can check — and with both uses named.
        """
        said = []
        if self.sent_before:
            said.append(
                f"warning: greeter has already sent {self.sent_before} greeting(s) from this journal;"
                " baseline is meant for the move from another tool, before greeter's first send, or"
                " for the letters sent after the backup a restored journal came from (it records only"
                " what the journal does not hold: nothing greeter sent is changed)"
            )
        if self.leaving_later:  # a --through after today: greeter will never send these
            done = "takes" if self.dry_run else "took"
            said.append(
                f"warning: --through {self.through:%Y-%m-%d} is after today: baseline {done}"
                f" {self.leaving_later} letter(s) that leave after today as the old tool's; greeter"
                " will never send them, so the old tool must"
            )
        return "\n".join(said) or None

    def text(self) -> str:
        """The summary line: how many, the span of their occasion days, what the next send does;
        then the letters leaving by then for later occasions (:meth:`ahead_words`) and the
        greetings expired before greeter's first run, if any (:meth:`expired_words`)."""
        through = f"{self.through:%Y-%m-%d}"
        if not self.letters:
            what = "no greeting was taken" if self.expired else "nothing was recorded"
            if self.dry_run:
                what = "no greeting would be taken" if self.expired else "nothing would be recorded"
            if self.held:  # the journal has them: a second run, or a send that greeted them
                why = f"every greeting for an occasion through {through} is in the journal already"
            else:  # nothing to take at all: say so, not "in the journal already" of an empty one
                why = f"greeter would send no greeting for an occasion through {through}"
            return f"{what}: {why}" + self.ahead_words() + self.expired_words()
        days = [h.date for letter in self.letters for h in greetings_of(letter)]
        from greeter.cli_values import day_span  # loaded already: the command runs from it

        span = day_span(min(days), max(days))
        verb, sends = ("would record", "would send") if self.dry_run else ("recorded", "sends")
        return (
            (
                f"{verb} {self.greetings} greeting(s) as handled (occasions {span});"
                f" the next send --once {sends} none of them"
            )
            + self.ahead_words()
            + self.expired_words()
        )

    def ahead_words(self) -> str:
        """``; not taken: 1 letter leaving by 2026-12-11 for a later occasion (…)``; "" when none.

        ``--through`` names occasion days. A Saturday birthday is greeted on
        Friday: a baseline through Friday leaves it to greeter, which is right
        when the old tool greeted on the day itself, and a second letter when
        it greeted ahead as greeter does. Said, with the day that would take it.
        """
        if not self.ahead:
            return ""
        last = max(h.date for letter in self.ahead for h in greetings_of(letter))
        names = ", ".join(
            f"{letter.hit.contact.id} {letter.hit.occasion} {letter.hit.date:%Y-%m-%d}"
            for letter in self.ahead[:3]
        )
        more = f" and {len(self.ahead) - 3} more" if len(self.ahead) > 3 else ""
        late = any(a.send_at is not None and a.send_at.date() > self.through for a in self.ahead)
        leaving = "meant to leave" if late else "leaving"  # a catch-up letter now: its day was by then
        return (
            f"; not taken: {len(self.ahead)} letter(s) {leaving} by {self.through:%Y-%m-%d} for a later"
            f" occasion ({names}{more}): greeter sends them; if they were sent already,"
            f" run baseline --through {last:%Y-%m-%d}"
        )

    def expired_words(self) -> str:
        """``; recorded 3 greeting(s) expired before greeter's first run …``; "" when there are none.

        The words of a new journal's first send for the same greetings
        (:meth:`~greeter.delivery_summary.Summary.expired_line`): greeter was not there.
        """
        if not self.expired:
            return ""
        verb = "would record" if self.dry_run else "recorded"
        return (
            f"; {verb} {len(self.expired)} greeting(s) expired, never sent: their catch-up period had"
            " ended before greeter's first run (greeter history --state expired lists them)"
        )


def refuse_future(found: Found, *, now: datetime, through: date, zone: str) -> int:
    """How many letters the run takes that leave after today; a ``--through`` past the plan's reach refused.

    Why: ``--through 2027-12-31`` took a year of greetings as sent by the old
    tool — none had left, and none ever would, silently. A day after today
    still has a use: the old tool's last run greets tomorrow's clients, or a
    Friday letter greets Saturday's birthday (the "not taken" note's advice).
    So a ``--through`` within the days a send plans ahead now (its look-ahead)
    is taken, and the letters that leave after today are counted for a loud
    warning (:meth:`Baseline.warning`); one beyond it is a usage error (exit 2).
    """
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    if through <= today:
        return 0
    if found.reach is not None and through > found.reach:
        raise FutureThroughError(
            f"--through {through:%Y-%m-%d} is after today ({today:%Y-%m-%d}) and past the days greeter"
            f" plans ahead (through {found.reach:%Y-%m-%d}): no tool has sent those greetings, and"
            " recorded as sent they would never go out; name the last occasion day the old tool"
            " greeted (today by default)"
        )
    return sum(1 for i in found.letters if i.send_at is not None and i.send_at.astimezone(tz).date() > today)


def run_baseline(
    inputs: Inputs, journal: JournalStore, *, now: datetime, through: date, dry_run: bool
) -> tuple[Baseline, LoadReport]:
    """Read the journal's state, plan, and (unless ``dry_run``) record; the journal holds the sender lock.

    As the send, a real run records since when each occasion exists
    (:meth:`JournalStore.record_occasions`): a first send after it plans from
    the same start, and does not take itself for a new journal's first run —
    so on that first run the baseline records what had expired before it, as
    that send would have (:func:`due_through`). On a journal greeter planned
    from before, those are losses of greeter's own: left to the send, exit 1.
    """
    sent_before = journal.counts_by_state().get("sent", 0)  # baseline's own rows are ``skipped``
    read_journal_state(inputs, journal, start=plan_start(inputs.settings, now)[1], now=now)
    report = inputs.new_report()
    found = due_through(inputs, now=now, through=through, report=report)
    later = refuse_future(found, now=now, through=through, zone=inputs.settings.defaults.timezone)
    letters, expired = found.letters, found.expired
    if not inputs.first_plan:  # greeter has planned from this journal before: a loss is its own
        expired = []
    if not dry_run:
        journal.record_occasions(inputs.occasion_since)
        letters = record(journal, letters, now)
        expired = record_expired(journal, expired, now)
    done = Baseline(letters, through, dry_run, expired, found.held, found.ahead, sent_before, later)
    return done, report
