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
from typing import TypeVar
from zoneinfo import ZoneInfo

from greeter.build_pool import built_letters, worker_count
from greeter.calendar_rules import LAST_CALL, WorkCalendar, allowed_intervals, in_window, last_call
from greeter.clock_sanity import check_journal_clock
from greeter.config import Settings
from greeter.config_window import SendWindow
from greeter.delivery import Deliverer, Leased
from greeter.delivery_batch import send_batch
from greeter.delivery_timing import is_due, letter_deadline
from greeter.dkim_sign import load_signer
from greeter.dry_run_hold import foresee_hold, mark_held
from greeter.entry import started
from greeter.errors import (
    CLOCK_TOLERANCE,
    Abandoned,
    GreeterError,
    JournalError,
    JournalStateError,
)
from greeter.first_run import FirstRunBelated, first_run_belated
from greeter.journal_mark import refuse_rewound
from greeter.journal_moved import refuse_moved
from greeter.journal_project import journal_shown
from greeter.journal_store import JournalEntry, JournalKey, JournalStore
from greeter.off_loop import off_loop, unless_stopped
from greeter.plan_types import PlanItem
from greeter.planner import contact_zone, expiry_start, lookahead_end
from greeter.precheck import crm_opt_out, opted_out_words
from greeter.provider_throttle import hold_back, holds_until, read_throttle, remember_throttle
from greeter.quota_plan import Rank, expiring_before, held_recently, in_quota_order, openers_of, quota_rank
from greeter.ratelimit import RateLimiter, SystemClock, slot_frees_at
from greeter.renumbered import noting_renumbered
from greeter.review import Envelope, approval_of, content_hash
from greeter.runtime import Inputs, read_journal_state
from greeter.secret_values import unsubscribe_secret
from greeter.send_due import DueLetter
from greeter.send_problems import CONTACT_PROBLEMS, problems_since, remember_problems
from greeter.send_result import RunResult
from greeter.send_retries import due_retries, next_retry_due
from greeter.send_transport import CountingTransport, WireCounts, make_transport
from greeter.send_unrecorded import failed_mid_run
from greeter.sending_hold import quota_frees_at, summary_hold
from greeter.signals import Signals
from greeter.sources import LoadReport
from greeter.transport import Transport

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
    #: What holds sending after the run (:func:`deliver_cycle`), letters waiting or not: the
    #: daily quota's next slot, when none is free now, and the end of a provider's throttle
    #: (the summary's, else the journal's still holding) — ``/metrics`` and ``/healthz`` say it.
    quota_frees_at: datetime | None = None
    throttle_ends_at: datetime | None = None
    #: A dry run's due letters (new, then retries and resends), by journal key, as it lists them
    #: once it knows which the quota or a throttle would hold (:func:`~greeter.dry_run_hold.mark_held`).
    listed: list[tuple[JournalKey, DueLetter]] = field(default_factory=list)

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
            quota_frees_at=self.quota_frees_at,
        )


def plan_start(
    settings: Settings, now: datetime, last_plan: tuple[datetime, WorkCalendar] | None = None
) -> tuple[date, date]:
    """``now``'s day in the config's zone, and the first occasion day a run at ``now`` plans:
    the catch-up period, and a week before it too — greetings missed during a longer downtime
    are recorded as ``expired`` (the client's history shows them), never sent.

    ``last_plan``: when the journal's last run planned (:data:`LAST_PLAN`), and the default
    country's calendar. A run after a longer downtime looks back to the first occasion whose
    letter that run may have left pending (:func:`~greeter.planner.expiry_start`: its catch-up
    period and the days off that moved it), a year at most: a fixed reach lost what a
    three-week outage missed — no row, no word, exit 0 — the longer greeter was down, the less
    it said; and a reach counted from that run's day lost a 31 December birthday greeted on
    11 January after the New Year break. Looking back further than needed costs nothing: what
    the journal holds is ``already_sent`` or already recorded.
    """
    zone = ZoneInfo(settings.defaults.timezone)
    today = now.astimezone(zone).date()
    lookback = max(EXPIRY_LOOKBACK_DAYS, settings.frequency_cap.min_gap_days)
    start = today - timedelta(days=settings.catch_up_days + lookback)
    if last_plan is not None:
        at, calendar = last_plan
        last = expiry_start(settings, calendar, at.astimezone(zone).date())
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
    closing: bool = False,
    dkim_key: bytes | None = None,
) -> Cycle:
    """Plan the days around ``now``: the due letters, the due retries, the skips to record.

    ``closing`` (``send --once``): a letter whose window closes before the next cron run
    leaves now (:func:`~greeter.calendar_rules.last_call`); the daemon wakes at each moment.

    CPU-bound and synchronous (the daemon runs it in a worker thread). The
    journal must already hold the sender lock (unless ``dry_run``). A dry run
    records and claims nothing, but renders and builds each due letter as the
    send would, and lists each one in :attr:`Cycle.listed` (:class:`DueLetter`: why it
    would *not* go — held by the review gate, or its template failed), then
    each due retry and operator's resend, which the send would hand over too.

    ``dkim_key``: the DKIM key as the caller read it already, for its refusals
    (:func:`~greeter.send_transport.checked_secrets`), signed with; None: read here (the
    daemon, each run).
    """
    settings = inputs.settings
    if not dry_run and isinstance(journal, Leased):
        journal.check_schema()  # a newer greeter elsewhere upgraded it: claim and write nothing
    if not dry_run and on_real_clock(now, datetime.now(UTC)):
        if isinstance(journal, Leased):
            journal.check_clock(now)  # before anything is written: a host days ahead expires others' letters
        check_journal_clock(journal, now)  # a clock gone back below what the journal recorded
    if not dry_run:  # any moment, --now too: a journal put back from an old copy sends lost letters again
        refuse_rewound(journal)
        # Asked at each run, not only when the journal opened: a daemon left running on a PostgreSQL
        # journal that copy-journal copied elsewhere sent from it, and those letters went again from the copy.
        refuse_moved(journal, journal_shown(settings.storage.url), "nothing was sent")
    recovered = 0 if dry_run else journal.recover_stale_claims(now)
    today, start = plan_start(settings, now)
    calendar = inputs.window(now=now, start=start, days=1, look_ahead=False).calendar  # only its days off
    last = journal.notice(LAST_PLAN)
    if last is not None:
        today, start = plan_start(settings, now, (last.said_at, calendar))
    read_journal_state(inputs, journal, start=start, now=now)
    if not dry_run:
        journal.record_occasions(inputs.occasion_since)
    # Far enough ahead that today's letters are decided (and merged) exactly as preview shows.
    end = lookahead_end(settings, calendar, today)
    pw = inputs.window(now=now, start=start, days=(end - start).days + 1, look_ahead=False)
    report = inputs.new_report()
    secret = unsubscribe_secret(settings.unsubscribe)
    deliverer = Deliverer(
        settings,
        journal,
        # The inputs' renderer, made at the first letter rendered (warmed before the build workers
        # fork): a run with nothing due loads no template machinery.
        inputs.render,
        now=now,
        clock=clock,
        unsubscribe_secret=secret.encode() if secret else None,
        sign=load_signer(settings.delivery.dkim, dkim_key),
        approvals=inputs.approvals,
        warm=inputs.warm,
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
    listed: list[tuple[JournalKey, DueLetter]] = []
    if dry_run:
        for item in due:
            built = deliverer.attempt(item)
            if isinstance(built, str):
                listed.append((item.hit.key, DueLetter.planned(item, built)))
            else:
                listed.append((item.hit.key, DueLetter.planned(item, None, built.subject)))

    def calendar_of(contact_id: str) -> WorkCalendar:
        return pw.calendar_for(countries.get(contact_id))

    held_at = _quota_held_at(journal, now, settings.catch_up_days)  # an expired one held by the quota says so
    deliverer.record_skips(skips, dry_run=dry_run, quota_held_at=held_at, calendar_of=calendar_of)
    retries, retry_wake = due_retries(
        journal, deliverer, zones, now, calendar_of, dry_run=dry_run, opted_out=opted_out
    )
    if due or retries:
        # Letters will be rendered: the renderer is made now, in the start-up, as before it was
        # lazy — its imports' and templates' objects made before started() are not collected over
        # again and again (greeter.entry.START_THRESHOLD), nor after the fork in a build worker.
        inputs.renderer()
    if dry_run:
        default = ZoneInfo(settings.defaults.timezone)
        listed += [(e.key, DueLetter.again(e, zones.get(e.contact_id, default), now)) for e, _ in retries]
        # The retries not yet due, as the send reads them after its batch (deliver_cycle).
        retry_wake = _earliest(retry_wake, next_retry_due(journal, zones, settings, now, calendar_of))
    # A dry run keeps its due letters too: the quota's order of them says which it would hold.
    cycle = Cycle(deliverer, due, retries, zones, report, len(due) + len(retries), recovered)
    cycle.calendar_of = calendar_of
    cycle.listed = listed
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
    """Each letter's :func:`~greeter.delivery_timing.letter_deadline` in ``cycle``, by its journal key.

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


def planned_moments(cycle: Cycle) -> dict[JournalKey, datetime | None]:
    """Each due letter's and retry's planned moment, by journal key: the day its recipient's window
    opens for it (a day off ``on_day`` planned it on), as :func:`window_watch` is asked."""
    moments: dict[JournalKey, datetime | None] = {item.hit.key: item.send_at for item in cycle.due}
    moments.update((entry.key, entry.planned_at) for entry, _ in cycle.retries)
    return moments


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
    counted = CountingTransport(transport or make_transport(settings), cycle.wire)
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
            # Aged from this moment, read beside the limiter's own clock: from the run's ``now``
            # they were as old as at its start, and each slot freed later by the run's time so far.
            present = deliverer.clock()
            limiter.record_past_sends((present - t).total_seconds() for t in past)
        # A provider that throttled an earlier run (another process) holds every letter back until
        # delivery.retry's back-off has passed; this run's throttle is recorded for the next ones.
        last = await _unless_stopping(deliverer, partial(read_throttle, journal))
        retry = settings.delivery.retry
        letters = len(cycle.due) + len(cycle.retries)
        held = hold_back(deliverer.summary, last, letters, deliverer.clock(), retry)
        if not held:
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
        # What holds sending now, letters waiting or not (a stopped run read no past sends: None).
        full = quota_frees_at(limiter, deliverer.clock()) if past is not None else None
        if past is not None and summary.quota_free_at is not None and (full or now) < summary.quota_free_at:
            # A letter refused after the quota stopped the batch gave its slot back
            # (RateLimiter.refused): the letters left can go now, not a day later — kept, the
            # daemon slept until then with a slot free and a letter waiting for it.
            summary.quota_free_at = full or slot_frees_at(deliverer.clock(), 0.0)
        if held and full is not None:  # the letters the throttle holds wait for the quota's slot too
            summary.quota_free_at, summary.quota_unsent = full, summary.throttle_unsent
        cycle.quota_frees_at = summary.quota_free_at or full
        cycle.throttle_ends_at = summary.throttled_until or holds_until(last, deliverer.clock(), retry)
        if rank is not None and summary.quota_free_at is not None:  # those left that never can go
            ranks = [rank(item.hit.key) for item in cycle.due] + [rank(e.key) for e, _ in cycle.retries]
            opens = openers_of(
                settings, cycle.zones, cycle.calendar_of, planned_moments(cycle)
            )  # after the slot
            left, free_at = summary.quota_unsent, summary.quota_free_at
            summary.quota_expiring = expiring_before(ranks, left, free_at, opens)
        # The daemon wakes for the next retry too, not only for the next planned letter: with a
        # daily cron, a letter the server refused at 09:00 would otherwise wait until tomorrow.
        calendar_of = cycle.calendar_of
        assert calendar_of is not None, "a planned cycle knows its recipients' calendars"
        # When the first waiting retry can really leave: its backoff's end, moved into its window.
        waiting = partial(next_retry_due, journal, cycle.zones, settings, now, calendar_of)
        retry_at = await _unless_stopping(deliverer, waiting)
        cycle.next_send = _earliest(cycle.next_send, retry_at)  # a stopped daemon wakes no more
        cycle.next_retry = _earliest(cycle.next_retry, retry_at)
        hold_next_send(cycle, full)
    except JournalStateError:
        raise  # a bug, not the database: keep its own message
    except JournalError as exc:  # the accepted letters recorded once more, the rest named
        raise await asyncio.to_thread(failed_mid_run, exc, journal, cycle.wire, deliverer) from exc
    finally:
        if own_transport:
            await counted.close()


def hold_next_send(cycle: Cycle, full: datetime | None) -> None:
    """Move ``cycle.next_send`` to when a letter can really leave, after what holds sending: the
    daily quota (``full``: its next slot, when the run left none free, letters waiting or not),
    a provider's throttle, and a stop that left due letters unclaimed (due now).

    One rule for the send (:func:`deliver_cycle`, after its batch) and its dry run
    (:func:`send_once`, with the hold it foresees): a dry run after the quota was spent named the
    next planned letter's moment, 10 hours before the quota's slot the real run named.
    """
    summary = cycle.deliverer.summary
    if summary.quota_free_at is not None and summary.quota_unsent > summary.quota_expiring:
        # The daily quota left letters that can still go: they, and any other, go when it frees
        # a slot (a wrapper sleeping until a null next_send stopped for good).
        cycle.next_send = summary.quota_free_at
    if summary.left_unsent:
        # A stop left due letters unclaimed: they are due now, not at the next planned one (a
        # wrapper sleeping until next_send held them 12 minutes while a dry run said "due 3").
        cycle.next_send = _earliest(cycle.next_send, cycle.deliverer.now)
    if (resumes := summary.throttled_until) is not None:
        cycle.next_send = max(cycle.next_send or resumes, resumes)  # nothing leaves before it
    hold = summary_hold(summary)
    if hold is not None and hold.letters and cycle.next_send is not None:
        # Letters wait for the quota and a throttle both: none leaves before the later one ends
        # (the daemon's run line said the throttle's end and then slept until the quota's slot).
        cycle.next_send = max(cycle.next_send, hold.until)
    if full is not None and cycle.next_send is not None:
        # The quota spent, letters waiting or not: nothing leaves before its next slot frees (the
        # last due letter took it, and next_send named a letter planned at 16:00 it could not send).
        cycle.next_send = max(cycle.next_send, full)


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
    dkim_key: bytes | None = None,
) -> RunResult:
    """Plan the days around ``now`` and deliver whatever is due; returns the counts.

    The journal must already hold the sender lock (unless ``dry_run``). ``dkim_key``: as
    :func:`plan_cycle` takes it.
    With ``signals`` (installed by the caller before planning), each of its
    ``stops`` ends the run gracefully (:func:`deliver_until_stopped`); the
    result says which signal did.
    """
    cycle = plan_cycle(inputs, journal, now=now, dry_run=dry_run, closing=True, dkim_key=dkim_key)
    started()  # the command's start-up (imports, config, plan) ends here: letters come next
    said = journal.notice(CONTACT_PROBLEMS)  # read before sending: a journal failing here sent nothing
    if dry_run:  # the quota's and a throttle's hold, as the send would meet them
        summary = cycle.deliverer.summary
        full = foresee_hold(journal, inputs.settings, summary, cycle.due_count - summary.not_built, now)
        rank = quota_ranks(cycle) if inputs.settings.delivery.rate_limit.per_day is not None else None
        opens = openers_of(inputs.settings, cycle.zones, cycle.calendar_of, planned_moments(cycle))
        if rank is not None and summary.quota_free_at is not None:  # as deliver_cycle: those that expire
            ranks = [rank(key) for key, _ in cycle.listed]
            left, free_at = summary.quota_unsent, summary.quota_free_at
            summary.quota_expiring = expiring_before(ranks, left, free_at, opens)
        for letter in mark_held(cycle.listed, summary, rank, now.tzinfo, opens):
            if announce is not None:
                announce(letter)
        cycle.quota_frees_at = summary.quota_free_at or full  # as deliver_cycle: what the summary says
        hold_next_send(cycle, full)
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
