"""``greeter send --once``: plan what is due at ``now`` and deliver it — the shell around delivery.

The daemon calls :func:`send_once` on its schedule; the CLI calls it once.
Reading the password, opening the journal, choosing the transport and the
progress display live here; the decisions live in the planner and
:mod:`greeter.delivery`.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from greeter.build_pool import built_letters, worker_count
from greeter.calendar_rules import WorkCalendar, in_window, next_window_open
from greeter.config import Settings
from greeter.delivery import Deliverer, Summary, deadline, is_due, send_batch, zone_of
from greeter.dkim_sign import load_signer
from greeter.errors import ConfigError, JournalError, JournalFailedMidRunError, Problem
from greeter.journal_store import JournalEntry, JournalKey, JournalStateError, JournalStore
from greeter.plan_types import PlanItem
from greeter.planner import lookahead_end
from greeter.ratelimit import RateLimiter, SystemClock
from greeter.render import Renderer
from greeter.runtime import Inputs, read_journal_state
from greeter.signals import STOP, Signals
from greeter.smtp_transport import SmtpTransport
from greeter.sources import LoadReport
from greeter.transport import FileTransport, OnReady, Outcome, SendResult, Transport

#: How far before the catch-up period a run looks for missed greetings to mark expired.
EXPIRY_LOOKBACK_DAYS = 7


@dataclass
class RunResult:
    summary: Summary
    report: LoadReport
    due: int
    recovered: int
    #: The signal (SIGTERM/SIGINT) that stopped the run, if one did.
    stopped_by: signal.Signals | None = None


def read_secret(env: str | None, file: Path | None, what: str) -> str | None:
    """A secret from the environment variable or file the config names — never from the config."""
    if env:
        value = os.environ.get(env)
        if value is None:
            raise ConfigError([Problem("environment", env, f"{what}: environment variable {env} is not set")])
        return value
    if file:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError([Problem(str(file), "", f"{what}: cannot read ({exc.strerror})")]) from None
    return None


def missing_secrets(settings: Settings, *, smtp: bool = True) -> list[Problem]:
    """The secrets the config names that cannot be read, as the problems :func:`read_secret` raises.

    The SMTP password (with ``transport: smtp``; ``smtp=False`` leaves it out,
    for a dry run that connects to nothing), the unsubscribe secret and the
    DKIM key file: what a send would stop at, found before anything is planned
    or sent (a daemon that started without them failed every run). The values
    read are dropped here, never returned or shown.
    """
    wanted: list[tuple[str | None, Path | None, str]] = []
    if smtp and settings.delivery.transport == "smtp":
        server = settings.delivery.smtp
        wanted.append((server.password_env, server.password_file, "SMTP password"))
    wanted.append((settings.unsubscribe.secret_env, None, "unsubscribe secret"))
    problems: list[Problem] = []
    for env, file, what in wanted:
        try:
            read_secret(env, file, what)
        except ConfigError as exc:
            problems.extend(exc.problems)
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
    password = read_secret(smtp.password_env, smtp.password_file, "SMTP password")
    return SmtpTransport(smtp, password)


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

    def result(self) -> RunResult:
        return RunResult(self.deliverer.summary, self.report, due=self.due_count, recovered=self.recovered)


def plan_cycle(
    inputs: Inputs,
    journal: JournalStore,
    *,
    now: datetime,
    clock: Callable[[], datetime] | None = None,
    dry_run: bool = False,
    announce: Callable[[PlanItem, str | None], None] | None = None,
) -> Cycle:
    """Plan the days around ``now``: the due letters, the due retries, the skips to record.

    CPU-bound and synchronous (the daemon runs it in a worker thread). The
    journal must already hold the sender lock (unless ``dry_run``). A dry run
    records and claims nothing, but renders and builds each due letter as the
    send would, and tells ``announce`` (the letter, and why it would *not*
    go: held by the review gate, or its template failed — else None).
    """
    settings = inputs.settings
    recovered = 0 if dry_run else journal.recover_stale_claims(now)
    today = now.astimezone(ZoneInfo(settings.defaults.timezone)).date()
    # A week before the catch-up period too: greetings missed during a longer downtime are
    # recorded as ``expired`` (the client's history shows them), never sent.
    lookback = max(EXPIRY_LOOKBACK_DAYS, settings.frequency_cap.min_gap_days)
    start = today - timedelta(days=settings.catch_up_days + lookback)
    read_journal_state(inputs, journal, start=start, now=now)
    if not dry_run:
        journal.record_occasions(inputs.occasion_since)
    # Far enough ahead that today's letters are decided (and merged) exactly as preview shows.
    calendar = inputs.window(now=now, start=start, days=1, look_ahead=False).calendar  # only its days off
    end = lookahead_end(settings, calendar, today)
    pw = inputs.window(now=now, start=start, days=(end - start).days + 1, look_ahead=False)
    report = inputs.new_report()
    renderer = Renderer.of(settings)
    secret = read_secret(settings.unsubscribe.secret_env, None, "unsubscribe secret")
    deliverer = Deliverer(
        settings,
        journal,
        renderer.render,
        now=now,
        clock=clock,
        unsubscribe_secret=secret.encode() if secret else None,
        sign=load_signer(settings.delivery.dkim),
        approvals=inputs.approvals,
    )
    zones: dict[str, ZoneInfo] = {}
    countries: dict[str, str] = {}  # contacts not of the default country: whose days off a retry keeps
    due: list[PlanItem] = []
    due_count = 0
    skips: list[PlanItem] = []
    next_send: datetime | None = None
    for item in inputs.plan(inputs.contacts(report), pw):
        contact = item.hit.contact
        zones[contact.id] = zone_of(contact, settings.defaults.timezone)
        if contact.country is not None:
            countries[contact.id] = contact.country
        if is_due(item, now):
            due_count += 1
            due.append(item)
        elif item.status == "skip":
            skips.append(item)
        elif (
            item.status == "send"
            and item.send_at is not None
            and (next_send is None or item.send_at < next_send)
        ):
            next_send = item.send_at
    if dry_run:
        for item in due:
            built = deliverer.attempt(item)
            if announce is not None:
                announce(item, built if isinstance(built, str) else None)
        return Cycle(deliverer, [], [], zones, report, due_count, 0, next_send)
    deliverer.record_skips(skips)

    def calendar_of(contact_id: str) -> WorkCalendar:
        return pw.calendar_for(countries.get(contact_id))

    retries, retry_wake = _due_retries(journal, deliverer, zones, settings, now, calendar_of)
    next_send = _earliest(next_send, retry_wake)
    cycle = Cycle(deliverer, due, retries, zones, report, len(due) + len(retries), recovered, next_send)
    cycle.calendar_of = calendar_of
    return cycle


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None


def window_watch(cycle: Cycle) -> Callable[[str], bool]:
    """Whether a recipient's send window is open at this moment (see :func:`send_batch`).

    "This moment" is the deliverer's clock: the daemon's (a rehearsal runs it
    faster), else the cycle's ``now`` advancing in real time, so ``send --once
    --now …`` keeps its rehearsed moment.
    """
    clock = cycle.deliverer.clock
    settings = cycle.deliverer.settings
    default = ZoneInfo(settings.defaults.timezone)
    calendar_of = cycle.calendar_of
    assert calendar_of is not None, "a planned cycle knows its recipients' calendars"

    def window_open(contact_id: str) -> bool:
        tz = cycle.zones.get(contact_id, default)
        return in_window(clock(), tz, settings.send_window, calendar_of(contact_id))

    return window_open


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
    try:
        limiter.record_past_sends(
            (now - t).total_seconds() for t in journal.sent_times(now - timedelta(days=1))
        )
        fresh = built_letters(deliverer, cycle.due, processes) if processes else None
        await send_batch(
            deliverer,
            counted,
            cycle.due,
            cycle.retries,
            cycle.zones,
            concurrency=concurrency,
            limiter=None if limiter.unlimited else limiter,
            progress=tick,
            fresh=fresh,
            window_open=window_watch(cycle),
        )
        # The daemon wakes for the next retry too, not only for the next planned letter: with a
        # daily cron, a letter the server refused at 09:00 would otherwise wait until tomorrow.
        cycle.next_send = _earliest(cycle.next_send, journal.next_retry_at(now))
    except JournalStateError:
        raise  # a bug, not the database: keep its own message
    except JournalError as exc:
        recorded = deliverer.summary.counts["sent"]
        raise JournalFailedMidRunError(exc, accepted=cycle.wire.accepted, recorded=recorded) from exc
    finally:
        if own_transport:
            await counted.close()


def send_once(
    inputs: Inputs,
    journal: JournalStore,
    *,
    now: datetime,
    dry_run: bool = False,
    transport: Transport | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
    announce: Callable[[PlanItem, str | None], None] | None = None,
    signals: Signals | None = None,
) -> RunResult:
    """Plan the days around ``now`` and deliver whatever is due; returns the counts.

    The journal must already hold the sender lock (unless ``dry_run``).
    With ``signals`` (installed by the caller before planning), SIGTERM or
    SIGINT stops the run gracefully (:func:`deliver_until_stopped`); the
    result says which signal did.
    """
    cycle = plan_cycle(inputs, journal, now=now, dry_run=dry_run, announce=announce)
    if not dry_run:
        if signals is None:
            asyncio.run(deliver_cycle(cycle, transport=transport, progress=progress))
        else:
            asyncio.run(deliver_until_stopped(cycle, signals, transport=transport, progress=progress))
    result = cycle.result()
    result.stopped_by = signals.stop if signals is not None else None
    return result


async def deliver_until_stopped(
    cycle: Cycle,
    signals: Signals,
    *,
    transport: Transport | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> None:
    """:func:`deliver_cycle`, stopped gracefully by SIGTERM or SIGINT (what the daemon does on a stop).

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
        if sig in STOP:
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


def _due_retries(
    journal: JournalStore,
    deliverer: Deliverer,
    zones: dict[str, ZoneInfo],
    settings: Settings,
    now: datetime,
    calendar_of: Callable[[str], WorkCalendar],
) -> tuple[list[tuple[JournalEntry, bytes]], datetime | None]:
    """Retries whose time has come, inside the recipient's window and before their deadline.

    Also when the earliest of those due but outside their recipient's window
    (evening, a weekend) may go: its window's next opening.
    """
    ready: list[tuple[JournalEntry, bytes]] = []
    wake: datetime | None = None
    for entry in journal.due_retries(now):
        tz = zones.get(entry.contact_id, ZoneInfo(settings.defaults.timezone))
        if now > deadline(entry.occasion_date, tz, settings.catch_up_days):
            journal.mark_expired(entry.key, now)
            deliverer.summary.skipped["expired"] += 1
            continue
        calendar = calendar_of(entry.contact_id)
        if not in_window(now.astimezone(tz), tz, settings.send_window, calendar):
            opens = next_window_open(now.astimezone(tz), tz, settings.send_window, calendar)
            wake = opens if wake is None else min(wake, opens)
            continue
        data = journal.payload(entry.key)
        if data is not None:
            ready.append((entry, data))
    return ready, wake


def print_due(item: PlanItem, held: str | None) -> None:
    """One line of ``send --dry-run``: a due letter, and why it would be held if it would."""
    hit = item.hit
    assert item.send_at is not None
    print(
        f"{'due ' if held is None else 'held'}  {item.send_at:%Y-%m-%d %H:%M %Z}  {hit.contact.id}  "
        f"{hit.contact.email}  {'+'.join([hit.occasion, *item.merged_with])}"
        + ("" if held is None else f"  ({held.partition(':')[0]})"),
        file=sys.stdout,
    )
