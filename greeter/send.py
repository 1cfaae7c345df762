"""``greeter send --once``: plan what is due at ``now`` and deliver it — the shell around delivery.

The daemon calls :func:`send_once` on its schedule; the CLI calls it once.
Reading the password, opening the journal, choosing the transport and the
progress display live here; the decisions live in the planner and
:mod:`greeter.delivery`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from greeter.build_pool import built_letters, worker_count
from greeter.calendar_rules import LAST_CALL, WorkCalendar, allowed_intervals, in_window, last_call
from greeter.clock_sanity import check_journal_clock
from greeter.config import Settings
from greeter.config_window import SendWindow
from greeter.delivery import Deliverer, Leased, Summary, is_due, letter_deadline
from greeter.delivery_batch import send_batch
from greeter.delivery_health import delivery_problem
from greeter.dkim_sign import load_signer
from greeter.dry_run_hold import foresee_hold
from greeter.entry import started
from greeter.errors import (
    CLOCK_TOLERANCE,
    EXIT_PROBLEMS,
    EXIT_TEMPFAIL,
    EXIT_USAGE,
    Abandoned,
    ConfigError,
    GreeterError,
    JournalError,
    JournalStateError,
    Problem,
)
from greeter.first_run import FirstRunBelated, first_run_belated
from greeter.journal_store import JournalEntry, JournalKey, JournalStore
from greeter.off_loop import off_loop, unless_stopped
from greeter.plan_types import PlanItem
from greeter.planner import contact_zone, lookahead_end
from greeter.policy import crm_opt_out, opted_out_words
from greeter.provider_throttle import hold_back, read_throttle, remember_throttle
from greeter.quota_plan import Rank, expiring_before, held_recently, in_quota_order, openers_of, quota_rank
from greeter.ratelimit import RateLimiter, SystemClock
from greeter.renumbered import noting_renumbered
from greeter.review import Envelope, approval_of, content_hash
from greeter.runtime import Inputs, read_journal_state
from greeter.secret_values import at_setting, read_password, read_secret, unsubscribe_secret
from greeter.send_due import DueLetter
from greeter.send_problems import CONTACT_PROBLEMS, problems_since, remember_problems
from greeter.send_retries import due_retries
from greeter.send_unrecorded import failed_mid_run
from greeter.signals import Signals
from greeter.smtp_transport import SmtpTransport
from greeter.sources import LoadReport
from greeter.transport import FileTransport, OnReady, Outcome, SendResult, Transport
from greeter.unsubscribe import signing_key

#: How far before the catch-up period a run looks for missed greetings to mark expired.
EXPIRY_LOOKBACK_DAYS = 7

#: The notice holding the moment the last run planned (``send --once``, the daemon): the next run
#: looks back to that day (:func:`plan_start`), at most :data:`DOWNTIME_LOOKBACK_DAYS`.
LAST_PLAN = "last_plan"

#: The notice holding the moment a run last ended at the daily quota with letters left unsent.
QUOTA_HELD = "quota_held"

#: How far back a run after a downtime looks for the greetings the downtime cost: a year.
DOWNTIME_LOOKBACK_DAYS = 366

#: How many upcoming letters a run asks the review gate about, earliest first, to find the first
#: one it lets go (:func:`next_leaving`): a bound on the letters rendered for the summary's words.
GATE_LOOKAHEAD = 30

T = TypeVar("T")


@dataclass
class RunResult:
    summary: Summary
    report: LoadReport
    due: int
    recovered: int
    #: The signal (SIGTERM/SIGINT, for ``send --once`` also SIGHUP) that stopped the run, if one did.
    stopped_by: signal.Signals | None = None
    #: When the next letter leaves — planned or a retry — after this run (the daemon's ``next_send``);
    #: None: nothing within the look-ahead. A run with nothing due otherwise said nothing of when.
    next_send: datetime | None = None
    #: The earliest retry (or resend waiting for its recipient's window) after this run.
    next_retry: datetime | None = None
    #: The earliest planned new letter still to leave, and to whom. Under ``review: required`` the
    #: first one the review gate lets go; when it holds every one it was asked about, the earliest
    #: of them, its ``held`` saying why (:func:`next_leaving`).
    next_letter: DueLetter | None = None
    #: The last occasion day the run planned (:func:`~greeter.planner.lookahead_end`): the horizon
    #: ``next_letter`` None speaks of.
    planned_through: date | None = None
    #: ``review: required``: the upcoming letters the gate holds before the first one it lets go
    #: (at most :data:`GATE_LOOKAHEAD`); None: no review, nothing is held.
    awaiting_approval: int | None = None
    #: Since when the journal has had exactly this run's contact problems as said (:func:`problems_since`):
    #: ``send --once`` then keeps them off a cron job's stderr. None: they are new, or there are none.
    problems_unchanged_since: datetime | None = None
    #: The ``uncertain`` letters the journal holds after the run, waiting for an operator's
    #: ``greeter uncertain resend|dismiss`` — a crashed run's too, which later runs exit 0 over.
    uncertain_waiting: int = 0
    #: When the daily quota last held letters back (:data:`QUOTA_HELD`), if within the catch-up
    #: period: what the greetings this run records expired were lost to, not the cron schedule.
    quota_held_at: datetime | None = None
    #: A new journal's first run: the belated greetings it sends or plans, for occasions from
    #: before the journal (:mod:`greeter.first_run`); None on any other run, or without them.
    first_run: FirstRunBelated | None = None


def exit_code(result: RunResult) -> int:
    """``send --once``'s exit status, from what the run did. Pure; the first rule that applies wins.

    * 128 + the signal that stopped it (SIGHUP 129, SIGINT 130, SIGTERM 143),
      as a shell reports a command a signal ended;
    * 2 (configuration error) when the server refused our login, or greeter
      itself (the login or security settings do not fit it; it does not relay
      for this host, refuses the EHLO name or the sender): the batch stopped
      at it, and only a fixed config gets a letter out;
    * 1 when something needs a person: a greeting failed (5xx) or did not
      render, is ``uncertain`` — in this run, or recovered from a crashed one
      (``greeter uncertain resend|dismiss``) —, was recorded ``expired`` (a
      dry run: would be) — lost for good: exit 0 let a once-a-day cron that
      never ran inside a recipient's send window lose greetings silently —,
      the daily quota left letters unsent whose catch-up period ends before
      their window opens after its slot frees (``quota_expiring``: lost),
      or a contact row was rejected;
    * 75 (``EX_TEMPFAIL``, try again later) when letters were due, none was
      delivered and some went to ``retry``: the server was down, silent or
      answered 4xx to all, or the outbox could not be written. Exit 0 here
      made "everything about to expire" look like "all sent" to cron;
    * 75 too when the provider throttled sending (a 421, or a 4xx about rate or limits:
      :mod:`greeter.provider_throttle`) in this run or an earlier one whose back-off has not
      passed: letters were left unsent until then, whatever else was delivered;
    * 0 otherwise — also a batch partly delivered with a few 4xx retries:
      the server works, and those retries go out by themselves; and a batch
      the daily quota (``delivery.rate_limit.per_day``) ended with letters
      left unclaimed that can still go once it frees a slot: a limit the
      operator set, not a fault — nothing is wrong that trying again sooner
      would cure (75), and the summary says
      how many were left and when the quota frees a slot.
    """
    summary = result.summary
    if result.stopped_by is not None:
        return 128 + result.stopped_by
    if summary.halted is not None:
        return EXIT_USAGE
    if news_for_a_person(result) or result.report.rejected:
        return EXIT_PROBLEMS
    if summary.throttled_until is not None:  # the provider throttled: letters wait for its back-off
        return EXIT_TEMPFAIL
    if delivery_problem(summary) is not None:  # the daemon's "degraded", by the same rule
        return EXIT_TEMPFAIL
    return 0


def news_for_a_person(result: RunResult) -> bool:
    """Pure: this run did something a person must see to — a greeting failed or did not render,
    is ``uncertain`` (this run's, or a crashed run's it recovered) or was lost (``expired``).

    Rejected rows are left out: they are the contacts', said on stderr when they change
    (:func:`~greeter.send_problems.problems_since`); :func:`exit_code` adds them.
    """
    summary = result.summary
    return bool(summary.failed or result.recovered or summary.lost or summary.quota_expiring)


def says_nothing_new(result: RunResult) -> bool:
    """Pure: ``send --once --quiet`` leaves stdout empty — the run needs no one, or its exit 1 is
    only for rejected rows said before and unchanged since.

    Cron mails whatever a job prints: a CRM export with one bad row made each
    five-minute run exit 1 and print its summary, 288 mails a day saying
    nothing had changed. The exit code still says the rows are rejected (the
    contract); a run that also failed a letter, recovered or lost one, or
    delivered nothing (what would be 75), or whose problems are new, prints
    its summary as before.
    """
    code = exit_code(result)
    if code == 0:
        return True
    return (
        code == EXIT_PROBLEMS
        and result.problems_unchanged_since is not None
        and not news_for_a_person(result)
        and delivery_problem(result.summary) is None
    )


def missing_secrets(settings: Settings, config_file: Path, *, smtp: bool = True) -> list[Problem]:
    """The secrets the config names that cannot be read, as the problems :func:`read_secret` raises.

    The SMTP password (with ``transport: smtp``; ``smtp=False`` leaves it out,
    for a dry run that connects to nothing), the unsubscribe secret and the
    previous ones links already sent are checked with, and the DKIM key
    file: what a send would stop at, found before anything is planned
    or sent (a daemon that started without them failed every run). The values
    read are dropped here, never returned or shown. A file's problem is shown
    at the line of ``config_file`` naming it (:func:`at_setting`).
    """
    wanted: list[tuple[str | None, Path | None, str, tuple[str | int, ...]]] = []
    if smtp and settings.delivery.transport == "smtp":
        server = settings.delivery.smtp
        wanted.append(
            (
                server.password_env,
                server.password_file,
                "SMTP password",
                ("delivery", "smtp", "password_file"),
            )
        )
    unsubscribe = settings.unsubscribe
    current = ("unsubscribe", "secret_file")
    wanted.append((unsubscribe.secret_env, unsubscribe.secret_file, "unsubscribe secret", current))
    old = "previous unsubscribe secret"
    wanted.extend((env, None, old, ()) for env in unsubscribe.previous_secret_env)
    old_files = enumerate(unsubscribe.previous_secret_file)
    wanted.extend((None, path, old, ("unsubscribe", "previous_secret_file", i)) for i, path in old_files)
    problems: list[Problem] = []
    for env, file, what, loc in wanted:
        try:
            value = read_secret(env, file, what)
            if value is not None and what.endswith("unsubscribe secret"):
                # one that one link is enough to guess is refused
                signing_key(env or "", value, what, file=None if env else file)
        except ConfigError as exc:
            problems.extend(exc.problems if env else at_setting(exc.problems, config_file, loc))
    try:
        load_signer(settings.delivery.dkim)  # the DKIM key file: unreadable, or not a key
    except ConfigError as exc:
        problems.extend(exc.problems)
    return problems


def make_transport(settings: Settings) -> Transport:
    delivery = settings.delivery
    if delivery.transport == "file":
        return FileTransport(delivery.outbox)
    smtp = delivery.smtp
    password = read_password(smtp.password_env, smtp.password_file, "SMTP password")
    # delivery.return_path (else the From: address each letter passes) is the envelope sender.
    return SmtpTransport(smtp, password, return_path=delivery.return_path)


@dataclass
class WireCounts:
    """What the mail server itself answered in one run, counted as the answers come.

    The journal's summary counts what was *recorded*; these count what
    happened on the wire, which is what matters when the two differ: when the
    journal fails mid-run (letters accepted but not recorded), and for the
    daemon's health (every attempt failed to reach the server).
    """

    attempted: int = 0
    accepted: int = 0
    #: Temporary failures without an SMTP reply: the server could not be reached or dropped us.
    unreachable: int = 0
    #: The first such failure's words ("cannot connect to mx:25: connection refused").
    unreachable_reason: str | None = None
    #: Each accepted letter's key and the server's reply: recorded again if the journal failed.
    accepted_replies: dict[JournalKey, str] = field(default_factory=dict)

    @property
    def server_unreachable(self) -> bool:
        """Letters were due, none was accepted, and every attempt failed to reach the server."""
        return self.attempted > 0 and self.unreachable == self.attempted


class _Counting:
    """A transport that counts its results into :class:`WireCounts` and otherwise just passes through."""

    def __init__(self, inner: Transport, counts: WireCounts) -> None:
        self._inner = inner
        self._counts = counts

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        result = await self._inner.send(envelope_from, rcpt, data, key, ready=ready)
        if result is None:
            return None  # not attempted: the claim said no (see Transport.send)
        counts = self._counts
        counts.attempted += 1
        if result.ok:
            counts.accepted += 1
            counts.accepted_replies[result.key] = result.reply
        elif result.outcome is Outcome.TEMPORARY and result.code is None:
            counts.unreachable += 1
            counts.unreachable_reason = counts.unreachable_reason or result.reply
        return result

    async def close(self) -> None:
        await self._inner.close()


@dataclass
class Cycle:
    """One plan-and-deliver round, planned: what is due now and who the letters go to."""

    deliverer: Deliverer
    due: list[PlanItem]
    retries: list[tuple[JournalEntry, bytes]]
    zones: dict[str, ZoneInfo]
    report: LoadReport
    due_count: int
    recovered: int
    #: The earliest planned send after ``now``: the daemon wakes up then.
    next_send: datetime | None = None
    #: A recipient's working days (by contact id): their country's, else the default's.
    calendar_of: Callable[[str], WorkCalendar] | None = None
    #: What the mail server answered (filled in by :func:`deliver_cycle`).
    wire: WireCounts = field(default_factory=WireCounts)
    #: The earliest retry after ``now`` (part of ``next_send``): retries of one outage are gathered.
    next_retry: datetime | None = None
    #: The earliest planned letter after ``now`` (``next_send`` without the retries): the
    #: gathering of retries never keeps it waiting.
    next_planned: datetime | None = None
    #: The letter ``send --once`` names: ``next_planned``'s, or under ``review: required`` the first
    #: one the gate lets go (:attr:`RunResult.next_letter`).
    next_letter: DueLetter | None = None
    #: The last occasion day planned: ``next_planned`` None means none up to it is still to leave.
    planned_through: date | None = None
    #: The letters the review gate holds before ``next_letter`` (:attr:`RunResult.awaiting_approval`).
    awaiting_approval: int | None = None
    #: A new journal's first run: its belated greetings (:attr:`RunResult.first_run`).
    first_run: FirstRunBelated | None = None

    def result(self) -> RunResult:
        return RunResult(
            self.deliverer.summary,
            self.report,
            due=self.due_count,
            recovered=self.recovered,
            next_send=self.next_send,
            next_retry=self.next_retry,
            next_letter=self.next_letter,
            planned_through=self.planned_through,
            awaiting_approval=self.awaiting_approval,
            first_run=self.first_run,
        )


def plan_start(settings: Settings, now: datetime, last_plan: datetime | None = None) -> tuple[date, date]:
    """``now``'s day in the config's zone, and the first occasion day a run at ``now`` plans:
    the catch-up period, and a week before it too — greetings missed during a longer downtime
    are recorded as ``expired`` (the client's history shows them), never sent.

    ``last_plan``: when the journal's last run planned (:data:`LAST_PLAN`). A run after a
    longer downtime looks back to that day (a year at most): a fixed reach lost what a
    three-week outage missed — no row, no word, exit 0 — the longer greeter was down, the less
    it said. Looking back further than needed costs nothing: what the journal holds is
    ``already_sent`` or already recorded.
    """
    zone = ZoneInfo(settings.defaults.timezone)
    today = now.astimezone(zone).date()
    lookback = max(EXPIRY_LOOKBACK_DAYS, settings.frequency_cap.min_gap_days)
    start = today - timedelta(days=settings.catch_up_days + lookback)
    if last_plan is not None:
        last = last_plan.astimezone(zone).date()
        start = max(min(start, last), today - timedelta(days=DOWNTIME_LOOKBACK_DAYS))
    return today, start


def remember_plan(journal: JournalStore, cycle: Cycle) -> None:
    """Record that ``cycle``'s run planned and delivered (:data:`LAST_PLAN`), for the next run's reach.

    Not after a stop: its skips may not all be recorded, and the next run looking back to the
    older moment loses nothing. A journal failing here costs the same: nothing.
    """
    if cycle.deliverer.stopping:
        return
    with contextlib.suppress(JournalError):
        journal.record_notice(LAST_PLAN, "", cycle.deliverer.now)


def on_real_clock(now: datetime, system: datetime) -> bool:
    """Pure: whether a run's ``now`` is this machine's clock (``system``), not a ``--now`` rehearsal.

    A rehearsal's moment is meant to differ from the real one, and is not
    compared with the journal server's clock (:meth:`~greeter.delivery.Leased.check_clock`);
    a ``now`` within the tolerance of the system clock is the system clock,
    and a wrong system clock is what the comparison is for.
    """
    return abs(now - system) <= CLOCK_TOLERANCE


def plan_cycle(
    inputs: Inputs,
    journal: JournalStore,
    *,
    now: datetime,
    clock: Callable[[], datetime] | None = None,
    dry_run: bool = False,
    announce: Callable[[DueLetter], None] | None = None,
    closing: bool = False,
) -> Cycle:
    """Plan the days around ``now``: the due letters, the due retries, the skips to record.

    ``closing`` (``send --once``): a letter whose window closes before the next cron run
    leaves now (:func:`~greeter.calendar_rules.last_call`); the daemon wakes at each moment.

    CPU-bound and synchronous (the daemon runs it in a worker thread). The
    journal must already hold the sender lock (unless ``dry_run``). A dry run
    records and claims nothing, but renders and builds each due letter as the
    send would, and tells ``announce`` each one (:class:`DueLetter`: why it
    would *not* go — held by the review gate, or its template failed), then
    each due retry and operator's resend, which the send would hand over too.
    """
    settings = inputs.settings
    if not dry_run and on_real_clock(now, datetime.now(UTC)):
        if isinstance(journal, Leased):
            journal.check_clock(now)  # before anything is written: a host days ahead expires others' letters
        check_journal_clock(journal, now)  # a clock gone back below what the journal recorded
    recovered = 0 if dry_run else journal.recover_stale_claims(now)
    last = journal.notice(LAST_PLAN)
    today, start = plan_start(settings, now, last.said_at if last is not None else None)
    read_journal_state(inputs, journal, start=start, now=now)
    if not dry_run:
        journal.record_occasions(inputs.occasion_since)
    # Far enough ahead that today's letters are decided (and merged) exactly as preview shows.
    calendar = inputs.window(now=now, start=start, days=1, look_ahead=False).calendar  # only its days off
    end = lookahead_end(settings, calendar, today)
    pw = inputs.window(now=now, start=start, days=(end - start).days + 1, look_ahead=False)
    report = inputs.new_report()
    renderer = inputs.renderer()  # the templates as validated when the inputs were loaded
    secret = unsubscribe_secret(settings.unsubscribe)
    deliverer = Deliverer(
        settings,
        journal,
        renderer.render,
        now=now,
        clock=clock,
        unsubscribe_secret=secret.encode() if secret else None,
        sign=load_signer(settings.delivery.dkim),
        approvals=inputs.approvals,
        warm=renderer.warm,
    )
    deliverer.summary.first_plan = inputs.first_plan
    zones: dict[str, ZoneInfo] = {}
    countries: dict[str, str] = {}  # contacts not of the default country: whose days off a retry keeps
    due: list[PlanItem] = []
    due_count = 0
    skips: list[PlanItem] = []
    upcoming: list[PlanItem] = []  # the letters still to leave: send --once names the first that will
    # The contacts the CRM flags do-not-contact, and those who opted out themselves under any
    # address (journal_optouts): their retries stop too.
    opted_out = {cid: opted_out_words(entry) for cid, entry in inputs.opted_out.items()}
    window = settings.send_window
    planned = inputs.plan(inputs.contacts(report), pw)
    for item in noting_renumbered(planned, inputs.history, inputs.history_by_email, report):
        contact = item.hit.contact
        zones[contact.id] = contact_zone(contact, settings)
        if (why := crm_opt_out(contact)) is not None:
            opted_out[contact.id] = why
        if contact.country is not None:
            countries[contact.id] = contact.country
        if (
            closing
            and not is_due(item, now)
            and _last_call(item, now, zones[contact.id], window, pw.calendar_for)
        ):
            item = replace(item, send_at=now.astimezone(zones[contact.id]).replace(microsecond=0))
        if is_due(item, now):
            due_count += 1
            due.append(item)
        elif item.status == "skip":
            skips.append(item)
        elif item.status == "send" and item.send_at is not None:
            upcoming.append(item)
    report.require_unchanged()  # the file rewritten while it was planned from: nothing is claimed or sent
    if dry_run:
        for item in due:
            built = deliverer.attempt(item)
            if announce is not None:
                if isinstance(built, str):
                    announce(DueLetter.planned(item, built))
                else:
                    announce(DueLetter.planned(item, None, built.subject))
    deliverer.record_skips(skips, dry_run=dry_run)

    def calendar_of(contact_id: str) -> WorkCalendar:
        return pw.calendar_for(countries.get(contact_id))

    retries, retry_wake = due_retries(
        journal, deliverer, zones, now, calendar_of, dry_run=dry_run, opted_out=opted_out
    )
    if dry_run:
        default = ZoneInfo(settings.defaults.timezone)
        for entry, _ in retries:
            if announce is not None:
                announce(DueLetter.again(entry, zones.get(entry.contact_id, default), now))
        # The retries not yet due, as the send reads them after its batch (deliver_cycle).
        retry_wake = _earliest(retry_wake, journal.next_retry_at(now))
        cycle = Cycle(deliverer, [], [], zones, report, due_count + len(retries), 0)
    else:
        cycle = Cycle(deliverer, due, retries, zones, report, len(due) + len(retries), recovered)
        cycle.calendar_of = calendar_of
    # Earliest first; of those at the same moment, the first planned (heapq.nsmallest is stable).
    asked = GATE_LOOKAHEAD if deliverer.approvals is not None else 1
    ahead = heapq.nsmallest(asked, upcoming, key=_send_at)
    next_planned = ahead[0].send_at if ahead else None  # the daemon wakes for it, held or not
    cycle.next_send = _earliest(next_planned, retry_wake)
    cycle.next_retry = retry_wake
    cycle.next_planned = next_planned
    cycle.next_letter, held = next_leaving(ahead, partial(gate_verdict, deliverer))
    cycle.awaiting_approval = None if deliverer.approvals is None else held
    cycle.planned_through = end
    if inputs.first_plan:  # greeter's first day on this journal: what it catches up may be another tool's
        cycle.first_run = first_run_belated(due, upcoming, today)
    return cycle


def _send_at(item: PlanItem) -> datetime:
    assert item.send_at is not None  # only planned letters are asked about
    return item.send_at


def gate_verdict(deliverer: Deliverer, item: PlanItem) -> str | None:
    """Why the review gate will hold ``item`` when its time comes, as :meth:`Deliverer.attempt`
    decides it; None: it lets it go (or no review is required).

    A letter nobody approved is held whatever it renders to, so it is not
    rendered; an approved one is, by the deliverer's own renderer, to see
    whether its fingerprint still matches (the template, the contact's data or
    the sender changed since: ``changed_since_approval``). One that does not
    render is not the gate's to hold: None, and the send reports its template
    error when it is due, as without review.
    """
    approvals = deliverer.approvals
    key = item.hit.key
    if approvals is None:
        return None
    if key not in approvals:
        return "awaiting_approval"
    try:
        rendered = deliverer.render(item)
    except GreeterError:
        return None
    envelope = Envelope.of(item.hit.contact, deliverer.settings.sender, rendered.locale)
    verdict = approval_of(key, content_hash(rendered, envelope), approvals)
    return None if verdict == "approved" else verdict


def next_leaving(
    ahead: list[PlanItem], held: Callable[[PlanItem], str | None]
) -> tuple[DueLetter | None, int]:
    """The first of ``ahead`` (upcoming letters, earliest first) that ``held`` lets go, and how
    many it holds before it.

    When it holds every one, the earliest of them, its ``held`` saying why
    (it leaves once approved), and their number. Asked in order and no
    further than the first it lets go: an approved letter is rendered, one
    never approved is not (:func:`gate_verdict`).
    """
    first: DueLetter | None = None
    for count, item in enumerate(ahead):
        why = held(item)
        if why is None:
            return DueLetter.planned(item, None), count
        first = first or DueLetter.planned(item, why)
    return first, len(ahead)


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None


def _last_call(
    item: PlanItem,
    now: datetime,
    tz: ZoneInfo,
    window: SendWindow,
    calendar_for: Callable[[str | None], WorkCalendar],
) -> bool:
    """Whether a letter not due yet leaves in this run: its period ends before the next cron run's."""
    if item.status != "send" or item.send_at is None or item.send_at - now >= LAST_CALL:
        return False  # (most letters: hours or days away, no calendar asked)
    return last_call(item.send_at, now, tz, window, calendar_for(item.hit.contact.country))


def window_watch(cycle: Cycle) -> Callable[[str, datetime | None], bool]:
    """Whether a recipient's send window is open at this moment (see :func:`send_batch`).

    "This moment" is the deliverer's clock: the daemon's (a rehearsal runs it
    faster), else the cycle's ``now`` advancing in real time, so ``send --once
    --now …`` keeps its rehearsed moment.

    Asked once per letter, right before its claim, so the sending period found
    open is remembered per (zone, calendar) until its end: the recipients of
    a batch share a few zones, and a moment inside a period known open needs
    two comparisons instead of the calendar and the day's periods again (the
    letters of a 2,000-letter batch in one zone: one :func:`in_window` and one
    lookup of the period, not 2,000 of each). A moment outside it asks again.

    ``planned_at``: the letter's planned moment. A letter ``day_off_policy: on_day`` planned
    on a day off finds that day's window open (:func:`in_window`'s ``letter_day``); such a
    period is not remembered, since it is open for that letter alone.
    """
    clock = cycle.deliverer.clock
    settings = cycle.deliverer.settings
    window = settings.send_window
    default = ZoneInfo(settings.defaults.timezone)
    calendar_of = cycle.calendar_of
    assert calendar_of is not None, "a planned cycle knows its recipients' calendars"
    #: (zone, id of the calendar) → (the calendar, so its id stays its own; the open period, UTC).
    open_periods: dict[tuple[ZoneInfo, int], tuple[WorkCalendar, datetime, datetime]] = {}

    def window_open(contact_id: str, planned_at: datetime | None = None) -> bool:
        tz = cycle.zones.get(contact_id, default)
        calendar = calendar_of(contact_id)
        at = clock()
        known = open_periods.get((tz, id(calendar)))
        if known is not None and known[0] is calendar and known[1] <= at < known[2]:
            return True
        if not in_window(at, tz, window, calendar):
            letter_day = planned_at.astimezone(tz).date() if planned_at is not None else None
            return letter_day is not None and in_window(at, tz, window, calendar, letter_day)
        for start, end in allowed_intervals(at.astimezone(tz).date(), tz, window, calendar):
            if start <= at < end:  # the period in_window found `at` in
                open_periods[(tz, id(calendar))] = (calendar, start.astimezone(UTC), end.astimezone(UTC))
                break
        return True

    return window_open


def deadlines(cycle: Cycle) -> Callable[[JournalKey], datetime]:
    """Each letter's :func:`~greeter.delivery.letter_deadline` in ``cycle``, by its journal key.

    Asked once per letter the server answers, so the calendar and zone are the
    ones the plan used (:attr:`Cycle.calendar_of`, :attr:`Cycle.zones`).
    """
    settings = cycle.deliverer.settings
    default = ZoneInfo(settings.defaults.timezone)
    calendar_of = cycle.calendar_of
    assert calendar_of is not None, "a planned cycle knows its recipients' calendars"

    def deadline_of(key: JournalKey) -> datetime:
        return letter_deadline(settings, key, cycle.zones.get(key[0], default), calendar_of(key[0]))

    return deadline_of


def quota_ranks(cycle: Cycle) -> Callable[[JournalKey], Rank]:
    """Each due letter's and retry's :func:`~greeter.quota_plan.quota_rank`, by its journal key.

    A letter carrying merged occasions is lost when the first of their catch-up periods
    ends and counts its highest priority; a retry's merged occasions share its contact and day.
    """
    settings = cycle.deliverer.settings
    deadline_of = deadlines(cycle)
    priority = {occasion.name: occasion.priority for occasion in settings.occasions}
    keys: dict[JournalKey, list[JournalKey]] = {}
    for item in cycle.due:
        keys[item.hit.key] = [item.hit.key, *(hit.key for hit in item.also)]
    for entry, _ in cycle.retries:
        keys[entry.key] = [entry.key, *((entry.contact_id, o, entry.occasion_date) for o in entry.merged)]
    ranks = {
        key: quota_rank(min(deadline_of(k) for k in carried), (priority.get(k[1], 0) for k in carried), key)
        for key, carried in keys.items()
    }
    return ranks.__getitem__


async def deliver_cycle(
    cycle: Cycle,
    *,
    transport: Transport | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> None:
    """Send a planned cycle's letters; a transport made here is closed here.

    The server's answers are counted in ``cycle.wire``. A journal that fails
    on the way (disk full, PostgreSQL gone) ends the run with
    :class:`~greeter.errors.JournalFailedMidRunError`, which says how many
    letters had left already — the one thing the journal could not record.
    """
    deliverer = cycle.deliverer
    settings, journal, now = deliverer.settings, deliverer.journal, deliverer.now
    own_transport = transport is None
    counted = _Counting(transport or make_transport(settings), cycle.wire)
    limiter = RateLimiter.from_config(settings.delivery.rate_limit, SystemClock())
    tick = progress(cycle.due_count, 0) if progress else None
    concurrency = settings.delivery.smtp.pool_size if settings.delivery.transport == "smtp" else 1
    processes = worker_count(settings.delivery.build_processes, len(cycle.due))
    rank = quota_ranks(cycle) if settings.delivery.rate_limit.per_day is not None else None
    if rank is not None:  # the slots the quota has go to the letters lost first (quota_plan)
        cycle.due = in_quota_order(cycle.due, lambda item: rank(item.hit.key))
        cycle.retries = in_quota_order(cycle.retries, lambda retry: rank(retry[0].key))
    try:
        since = now - timedelta(days=1)
        past = await _unless_stopping(deliverer, partial(journal.sent_times, since))
        if past is not None:  # None: stopped, so nothing will be sent and no limit is needed
            limiter.record_past_sends((now - t).total_seconds() for t in past)
        # A provider that throttled an earlier run (another process) holds every letter back until
        # delivery.retry's back-off has passed; this run's throttle is recorded for the next ones.
        last = await _unless_stopping(deliverer, partial(read_throttle, journal))
        retry = settings.delivery.retry
        letters = len(cycle.due) + len(cycle.retries)
        if not hold_back(deliverer.summary, last, letters, deliverer.clock(), retry):
            fresh = built_letters(deliverer, cycle.due, processes) if processes else None
            await send_batch(
                deliverer,
                counted,
                cycle.due,
                cycle.retries,
                deadlines(cycle),
                concurrency=concurrency,
                limiter=None if limiter.unlimited else limiter,
                progress=tick,
                fresh=fresh,
                window_open=window_watch(cycle),
                rank=rank,
            )
            await asyncio.to_thread(remember_throttle, journal, deliverer.summary, last, retry)
        summary = deliverer.summary
        if rank is not None and summary.quota_free_at is not None:  # those left that never can go
            ranks = [rank(item.hit.key) for item in cycle.due] + [rank(e.key) for e, _ in cycle.retries]
            opens = openers_of(settings, cycle.zones, cycle.calendar_of)  # their windows, after the slot
            left, free_at = summary.quota_unsent, summary.quota_free_at
            summary.quota_expiring = expiring_before(ranks, left, free_at, opens)
        # The daemon wakes for the next retry too, not only for the next planned letter: with a
        # daily cron, a letter the server refused at 09:00 would otherwise wait until tomorrow.
        retry_at = await _unless_stopping(deliverer, partial(journal.next_retry_at, now))
        cycle.next_send = _earliest(cycle.next_send, retry_at)  # a stopped daemon wakes no more
        cycle.next_retry = _earliest(cycle.next_retry, retry_at)
        if summary.quota_free_at is not None and summary.quota_unsent > summary.quota_expiring:
            # The daily quota left letters that can still go: they, and any other, go when it frees
            # a slot (a wrapper sleeping until a null next_send stopped for good).
            cycle.next_send = summary.quota_free_at
        if deliverer.summary.left_unsent:
            # A stop left due letters unclaimed: they are due now, not at the next planned one (a
            # wrapper sleeping until next_send held them 12 minutes while a dry run said "due 3").
            cycle.next_send = _earliest(cycle.next_send, now)
        if (resumes := deliverer.summary.throttled_until) is not None:
            cycle.next_send = max(cycle.next_send or resumes, resumes)  # nothing leaves before it
    except JournalStateError:
        raise  # a bug, not the database: keep its own message
    except JournalError as exc:  # the accepted letters recorded once more, the rest named
        raise await asyncio.to_thread(failed_mid_run, exc, journal, cycle.wire, deliverer) from exc
    finally:
        if own_transport:
            await counted.close()


async def _unless_stopping(deliverer: Deliverer, read: Callable[[], T]) -> T | None:
    """``read()`` — a journal read — off the event loop; None if the deliverer is stopped first.

    On the loop, a read that waits for the journal (PostgreSQL slow or gone: a
    statement without an answer, or :class:`~greeter.journal_pg_base.Reconnect`'s
    tries for 30 s; SQLite's busy timeout) held the loop, so SIGTERM was not
    even heard until it ended. Here a stop abandons it (:mod:`greeter.off_loop`):
    only for reads whose answer a stopped run does not need — no claim depends
    on them, and every verdict is recorded before the read after the batch.
    """
    stopped = asyncio.Event()
    if deliverer.stopping:
        stopped.set()
    forget = deliverer.on_stop(stopped.set)
    try:
        return await unless_stopped(stopped, off_loop(read))
    except Abandoned:
        return None
    finally:
        forget()


def send_once(
    inputs: Inputs,
    journal: JournalStore,
    *,
    now: datetime,
    dry_run: bool = False,
    transport: Transport | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
    announce: Callable[[DueLetter], None] | None = None,
    signals: Signals | None = None,
) -> RunResult:
    """Plan the days around ``now`` and deliver whatever is due; returns the counts.

    The journal must already hold the sender lock (unless ``dry_run``).
    With ``signals`` (installed by the caller before planning), each of its
    ``stops`` ends the run gracefully (:func:`deliver_until_stopped`); the
    result says which signal did.
    """
    cycle = plan_cycle(inputs, journal, now=now, dry_run=dry_run, announce=announce, closing=True)
    started()  # the command's start-up (imports, config, plan) ends here: letters come next
    said = journal.notice(CONTACT_PROBLEMS)  # read before sending: a journal failing here sent nothing
    if dry_run:  # the quota's and a throttle's hold, as the send would meet them
        summary = cycle.deliverer.summary
        foresee_hold(journal, inputs.settings, summary, cycle.due_count - summary.not_built, now)
    else:
        if signals is None:
            asyncio.run(deliver_cycle(cycle, transport=transport, progress=progress))
        else:
            asyncio.run(deliver_until_stopped(cycle, signals, transport=transport, progress=progress))
        remember_problems(journal, said, cycle.report.problems, now)
        remember_plan(journal, cycle)
        if cycle.deliverer.summary.quota_free_at is not None:
            with contextlib.suppress(JournalError):  # costs only the expiry hint's cause
                journal.record_notice(QUOTA_HELD, "", now)
    result = cycle.result()
    result.quota_held_at = _quota_held_at(journal, now, inputs.settings.catch_up_days)
    result.stopped_by = signals.stop if signals is not None else None
    result.problems_unchanged_since = problems_since(said, cycle.report.problems)
    if not dry_run:
        result.uncertain_waiting = _uncertain_waiting(journal)
    return result


def _quota_held_at(journal: JournalStore, now: datetime, catch_up_days: int) -> datetime | None:
    """When a run last ended at the daily quota (:data:`QUOTA_HELD`), if within the catch-up
    period before ``now`` (:func:`~greeter.quota_plan.held_recently`); None otherwise, or when
    the journal cannot say (it costs only the expiry hint's cause)."""
    try:
        held = journal.notice(QUOTA_HELD)
    except JournalError:
        return None
    said = held.said_at if held is not None else None
    return said if held_recently(said, now, catch_up_days) else None


def _uncertain_waiting(journal: JournalStore) -> int:
    """How many ``uncertain`` letters the journal holds, for the summary's words; 0 if it cannot say.

    Asked after the batch, whose verdicts are all recorded: a journal that
    fails only now must not turn a run that sent its letters into one that
    reads "nothing was sent" (:class:`~greeter.errors.JournalUnavailableError`).
    """
    try:
        return journal.counts_by_state()["uncertain"]
    except JournalError:
        return 0


async def deliver_until_stopped(
    cycle: Cycle,
    signals: Signals,
    *,
    transport: Transport | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> None:
    """:func:`deliver_cycle`, stopped gracefully by one of ``signals.stops`` (what the daemon does on a stop).

    A stop hands no new letter to the server; the letters already handed
    over get ``schedule.shutdown_timeout_seconds`` to finish and are recorded
    as the server answers; the rest stay unclaimed for the next run
    (``summary.left_unsent``). A letter still in flight after the timeout is
    recorded ``uncertain`` (never left ``claimed``). A stop during planning
    (remembered by ``signals``) sends nothing.
    """
    deliverer = cycle.deliverer
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()

    def on_signal(sig: signal.Signals) -> None:
        if sig in signals.stops:
            deliverer.stop()
            stopped.set()

    signals.attach(loop, on_signal)
    try:
        work = asyncio.ensure_future(deliver_cycle(cycle, transport=transport, progress=progress))
        stop = asyncio.ensure_future(stopped.wait())
        await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        timeout = deliverer.settings.schedule.shutdown_timeout_seconds
        if not work.done() and not (await asyncio.wait({work}, timeout=timeout))[0]:
            work.cancel()  # the letters still at the server are cut off
            await asyncio.wait({work})
            cut = deliverer.journal.recover_stale_claims(deliverer.clock())
            if cut:
                deliverer.summary.counts["uncertain"] += cut
                deliverer.summary.errors.append(
                    f"{cut} letter(s) still in flight {timeout:g} s after the stop (schedule."
                    "shutdown_timeout_seconds): recorded uncertain; see greeter history --state uncertain"
                )
        if not work.cancelled():
            work.result()  # its error, if any (a journal that failed)
    finally:
        signals.detach(loop)
