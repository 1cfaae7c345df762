"""``greeter run``: the daemon — plan and deliver on the schedule until told to stop.

An APScheduler 3 ``AsyncIOScheduler`` with one in-memory job store (the
journal, not a job store, is the state shared between processes). The
daemon always has exactly one pending job, ``tick``, scheduled at
:func:`next_wake`: the next cron time of ``schedule.cron`` or, if earlier,
the next planned send (a send window opening) — with many contacts, no sooner
than the time the last plan took allows (:class:`~greeter.cron.PlanningDuty`: the
letters due meanwhile leave together, each inside its window). Scheduling one date job at a
time — instead of a real-time cron trigger — lets the rehearsal clock of
:mod:`greeter.clock` drive the same code in tests, and makes coalescing
trivial: there is never a backlog of runs.

Signals: SIGTERM/SIGINT stop claiming at once, let letters already handed to
the server finish within ``schedule.shutdown_timeout_seconds`` and exit 0;
letters not handed over yet (a connection still opening, the rate limiter)
are left unclaimed at once for the next start, and the run line says how many
(``"interrupted": "shutdown"``, ``left_unsent``); whatever is still in flight
after the timeout is marked ``uncertain`` (never left ``claimed``). A stop
never waits for the journal or the contacts source: reading them (a
connect to a database that does not answer) happens off the event loop, in
calls a stop abandons (:mod:`greeter.off_loop`) — planning, and the reads
:func:`~greeter.send.deliver_cycle` makes before and after a batch too. SIGHUP re-reads config and
templates, validating first, and plans again at once with what is in force; so
does a change to the config file or a template on disk
(:mod:`greeter.daemon_reload`). The signals are handled from the
process's first moments (:mod:`greeter.signals`): during start-up a stop
ends it cleanly (exit 0) and a SIGHUP reloads once it has started.

A run that ends at a used-up daily quota (``delivery.rate_limit.per_day``:
the next slot more than a minute away) leaves its other letters unclaimed,
says so in its ``run`` line (``quota_unsent``, ``quota_free_at``) and does
not wake again before ``quota_free_at``: no letter could leave before it,
and a run each cron tick would only find the quota spent again.

Everything the daemon has to say goes through the structured log
(:mod:`greeter.logs`), start-up failures included: a journal that cannot be
written at start (disk full, PostgreSQL down) is a ``cannot_start`` line and
exit 75, which the systemd unit restarts; a configuration error is exit 2,
which it does not.

Health: a run that attempted letters and got none accepted leaves the daemon
"degraded" (``/healthz`` 503, the ``run`` line a warning) until a run gets a
letter through, or a probe of the mail server answers (:mod:`greeter.daemon_health`);
a refused reload is remembered until one takes effect (:mod:`greeter.daemon_reload`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from greeter import __version__
from greeter.clock import Clock
from greeter.config_watch import ConfigWatch
from greeter.cron import PlanningDuty, cron_trigger, gather_latest, next_wake, retry_gather
from greeter.daemon_health import DaemonHealth
from greeter.daemon_http import start_http
from greeter.daemon_reload import DaemonReloads, placeholders_said
from greeter.daemon_runs import (
    JOURNAL_PATIENCE,
    failed_run_retry,
    halted_recipient,
    log_failed,
    log_interrupted,
    say_journal_refused,
)
from greeter.entry import started
from greeter.errors import (
    EXIT_BUG,
    EXIT_USAGE,
    Abandoned,
    ConfigError,
    GreeterError,
    JournalError,
    JournalFailedMidRunError,
    JournalMovedError,
    JournalNewerError,
)
from greeter.instance import config_shown
from greeter.journal_mark import remember_newest_sent
from greeter.journal_project import open_sender_journal, project_of
from greeter.journal_space import checkpoint_after_run
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.metrics import RunStats, error_kind
from greeter.off_loop import off_loop, unless_stopped, within
from greeter.own_journal import upgrade_note
from greeter.retention import retention_cutoff
from greeter.runtime import Inputs
from greeter.sd_notify import Notifier
from greeter.send import (
    Cycle,
    deliver_cycle,
    plan_cycle,
    remember_plan,
)
from greeter.sending_hold import summary_hold
from greeter.signals import Signals

if TYPE_CHECKING:
    from aiohttp import web

    from greeter.http_api import ApiContext

log = get_logger(component="daemon")

T = TypeVar("T")


class Daemon(DaemonReloads, DaemonHealth):
    """One ``greeter run`` process. Construction does no I/O; :meth:`serve` does it all.

    Its reloads are :class:`~greeter.daemon_reload.DaemonReloads`', its health
    (a run's account, the probe) :class:`~greeter.daemon_health.DaemonHealth`'s.
    """

    def __init__(
        self,
        config_file: Path,
        *,
        clock: Clock,
        listen: tuple[str, int] | None = None,
        signals: Signals | None = None,
        notifier: Notifier | None = None,
        duty: PlanningDuty | None = None,
    ) -> None:
        self.config_file = config_file
        #: How far apart runs are spaced for the time their planning takes (:class:`PlanningDuty`).
        self.duty = duty or PlanningDuty()
        #: systemd's ``Type=notify`` unit: told when the daemon serves, reloads, stops; pinged.
        self.notifier = notifier or Notifier(None)
        self.clock = clock
        self.listen = listen
        self.stats = RunStats(started_at=clock.now(), config_file=config_shown(config_file))
        #: SIGTERM/SIGINT/SIGHUP, remembered since the process started (see :meth:`serve`).
        self.signals = signals or Signals(reload=True)
        self._own_signals = signals is None
        self._stop = asyncio.Event()
        self._stopping = False
        self._started = False
        #: A SIGHUP came during start-up: reload once started.
        self._reload_pending = False
        self._reloads: set[asyncio.Task[None]] = set()
        #: A reload was put off, the journal not answering (:meth:`_reload_put_off`): tried at each look.
        self._put_off = False
        #: A reload took effect during a run: plan again as soon as it ends.
        self._replan = False
        #: The last run stopped at a login problem (``Summary.halted``): wake at the cron's time only.
        self._halted = False
        #: The last run ended at the daily quota (``Summary.quota_free_at``): no wake before its slot frees.
        self._quota_free_at: datetime | None = None
        #: The last run's earliest retry after its plan (its wake gathers the retries after it).
        self._next_retry: datetime | None = None
        self._next_planned: datetime | None = None
        #: The last run's planning and whole time (real seconds), and its recipients' time zones:
        #: how far the next run is spaced, and where gathering the letters due meanwhile must stop.
        self._planning_seconds = 0.0
        self._run_seconds = 0.0
        self._zones: frozenset[ZoneInfo] = frozenset()
        #: Rehearsal seconds the wake after the last run was put off to gather letters (its run line).
        self._gathered_seconds = 0.0
        #: Runs that failed in a row (0 after one that did not): the next try's backoff.
        self._failures_in_row = 0
        #: The last run that did not fail: its next send, next retry and next planned letter.
        self._last_plan: tuple[datetime | None, datetime | None, datetime | None] = (None, None, None)
        self._cycle: Cycle | None = None
        self._running: asyncio.Task[None] | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._inputs: Inputs | None = None
        self._journal: JournalStore | None = None
        self._contact_problems: tuple[int, int] = (0, 0)
        #: The standing delivery problem is the server not answering (a probe can clear it), not 4xx.
        self._probe_can_clear = True
        #: A recipient of the last batch that halted (``Summary.halted``), until a run attempts letters
        #: without halting: the probe's RCPT TO, where a relay that refuses greeter's host says so.
        self._halted_rcpt: str | None = None
        #: The day (default zone) the journal was last purged (``storage.retention_days``): once a day.
        self._purged_on: date | None = None
        #: The files the config in force was read from, to reload when they change (None: not read yet).
        self._watch: ConfigWatch | None = None
        #: The HTTP listener's context (None until it listens): a reload re-reads its secret file.
        self._api: ApiContext | None = None
        #: Claims a killed sender left, recorded uncertain at start (SQLite: at once; PostgreSQL once
        #: their lease ran out, by a run): counted in the first run that goes through, as a run's own.
        self._recovered_at_start = 0

    # --- lifecycle -------------------------------------------------------------

    async def serve(self) -> int:
        """Run until SIGTERM/SIGINT; returns the exit code (0 after a clean stop).

        The event loop takes the signals over first of all, and handles those
        that came since the process started (:class:`~greeter.signals.Signals`):
        a stop during start-up ends it at the next step, cleanly.
        """
        loop = asyncio.get_running_loop()
        self.signals.install()  # remembered already if the entry point did it (greeter.signals)
        self.signals.attach(loop, self._on_signal)
        # From the event loop itself: a loop that hangs stops the pings, and systemd restarts it.
        pings = asyncio.ensure_future(self.notifier.keep_alive())
        try:
            return await self._serve()
        finally:
            pings.cancel()
            self.signals.detach(loop)  # until the process exits, a late signal is only remembered
            if self._own_signals:
                self.signals.restore()  # not the CLI's: give the process its handlers back

    async def _serve(self) -> int:
        try:
            with self.clock.working():  # a rehearsal's start-up takes its real time (greeter.clock)
                self._inputs = await self._load_inputs()
                if self._stopping:
                    raise Abandoned
                settings = self._inputs.settings
                url = settings.storage.url
                project = project_of(settings, self.config_file)
                journal, recovered = await self._unless_stopped(
                    open_sender_journal, url, self.clock.now(), project
                )
        except Abandoned:  # a stop while reading the files or connecting: nothing to wait for
            log.info("stopped", during="start-up")
            return 0
        self._journal = journal
        if journal.upgraded is not None:  # once: the next start finds it upgraded
            found, latest = journal.upgraded
            log.warning(
                "journal_upgraded",
                from_schema=found,
                to_schema=latest,
                note=upgrade_note(url, journal.upgraded),
            )
            if (older := getattr(journal, "upgrade_warning", None)) is not None:  # journal_pg_senders
                log.warning("journal_upgraded_under_older_greeters", detail=older)
        runner: web.AppRunner | None = None
        watching: asyncio.Future[None] | None = None
        try:
            if recovered:
                log.warning("interrupted_claims_now_uncertain", count=recovered)
                self._recovered_at_start = recovered
            with self.clock.working():
                await self._recall_refusing(journal)
                runner = await self._start_http()
                if not self._stopping:
                    await self._start_scheduler()
                    watching = asyncio.ensure_future(self._watch_files())
            await self._stop.wait()
            await self._shutdown(settings.schedule.shutdown_timeout_seconds)
        finally:
            if watching is not None:
                watching.cancel()
            if runner is not None:
                await runner.cleanup()
            await self._close_journal(journal)
        log.info("stopped", **({} if self._started else {"during": "start-up"}))
        return 0

    async def _unless_stopped(self, func: Callable[..., T], *args: object, **kwargs: object) -> T:
        """``func(*args, **kwargs)`` off the event loop; :class:`Abandoned` if a stop comes first."""
        return await unless_stopped(self._stop, off_loop(partial(func, *args, **kwargs)))

    async def _close_journal(self, journal: JournalStore) -> None:
        """Close the journal, waiting at most :data:`JOURNAL_PATIENCE` (its pool may dial a lost server)."""
        try:
            await within(JOURNAL_PATIENCE, off_loop(journal.close))
        except Abandoned:
            log.warning("journal_not_closed", seconds=JOURNAL_PATIENCE)
        except GreeterError as exc:
            log.warning("journal_not_closed", error=exc.hint())

    def _today(self) -> date:
        return self.clock.now().date()

    async def _start_scheduler(self) -> None:
        assert self._inputs is not None
        settings = self._inputs.settings
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                # Two: a tick schedules its successor as its last act, and APScheduler counts it
                # running until a callback after it ended; with one, a successor due at once
                # would be skipped — and a skipped date job is dropped, the daemon never waking
                # again. Runs themselves never overlap (see _tick).
                "max_instances": 2,
                "misfire_grace_time": settings.schedule.misfire_grace_seconds,
            },
        )
        self._scheduler.start()
        self._started = True
        started()  # start-up's objects out of every later collection, the collector's pace back
        log.info(
            "started", config=self.stats.config_file, cron=settings.schedule.cron, now=self._iso_now(),
            version=__version__,
        )  # fmt: skip
        placeholders_said(settings)
        self.notifier.ready(f"serving: cron {settings.schedule.cron}")
        if self._reload_pending:  # a SIGHUP during start-up: the files may have changed since read
            self._reload_pending = False
            await self._reload_inputs()
        if not self._stopping:
            self._schedule_in(0.0)

    def request_stop(self, why: str = "stop") -> None:
        """Stop claiming now; :meth:`serve` then waits for in-flight letters and exits.

        The stop is recorded before anything is logged: a log line that
        cannot be written must never keep the daemon running.
        """
        if self._stopping:
            return
        self._stopping = True
        self._stop.set()
        if self._cycle is not None:
            self._cycle.deliverer.stop()
        self.notifier.stopping(f"stopping ({why}): letters in flight finish, the rest wait for the start")
        log.info("stopping", signal=why, **({} if self._started else {"during": "start-up"}))

    async def _shutdown(self, timeout: float) -> None:
        if self._scheduler is not None:
            # Only pause here: shutting APScheduler's asyncio executor down cancels running jobs.
            self._scheduler.pause()
            self._scheduler.remove_all_jobs()
        task = self._running
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except TimeoutError:
                log.warning("shutdown_timeout", seconds=timeout)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)

    # --- the job -----------------------------------------------------------------

    def _schedule_in(self, seconds: float, wake: datetime | None = None) -> None:
        """The next run in ``seconds`` (real); ``wake``: its moment on the clock (None: now).

        A rehearsal's clock waits at that moment for the run (:meth:`~greeter.clock.Clock.wake_at`).
        """
        assert self._scheduler is not None
        self.clock.wake_at(self.clock.now() if wake is None else wake)
        run_at = datetime.now(UTC) + timedelta(seconds=seconds)
        self._scheduler.add_job(self._tick, "date", run_date=run_at, id="tick", replace_existing=True)

    def _next_wake(self, next_send: datetime | None, *, planned_at: datetime) -> datetime | None:
        """After a run that planned at ``planned_at``: when to run next; None: at once.

        At once when the run outlasted its next send (:func:`~greeter.cron.next_wake`),
        or a reload came during it (plan with the new config now). Otherwise no
        sooner than the planning's share allows (:attr:`duty`): a long plan spaces
        the runs and gathers the letters due meanwhile, never past the first end of
        a sending period after the next send (:func:`~greeter.cron.gather_latest`).
        An operator's change is still honoured promptly: a reload (SIGHUP, or the
        config or a template changed on disk) plans at once, and a suppression or
        a new contacts file counts from the next run — at most the spacing away,
        and never later than the next cron time.
        """
        self._gathered_seconds = 0.0
        assert self._inputs is not None
        self.stats.next_send_at = next_send
        if self._replan:
            self._replan = False
            return None
        now = self.clock.now()
        settings = self._inputs.settings
        cron = cron_trigger(settings.schedule.cron, settings.defaults.timezone)
        if self._halted:
            # The run stopped at a login the server refuses or demands: no letter can go until the
            # config changes (a SIGHUP plans again at once). Waking for each retry or planned send
            # would only ask the server again, and claim more letters; the cron's time is enough.
            next_send = None
        gather = retry_gather(settings.delivery.retry.initial_seconds)
        pace = self.clock.working_pace  # a run's real seconds as the schedule's (Clock.working)
        spacing = timedelta(seconds=self.duty.spacing(self._planning_seconds) * pace)
        zones = self._zones | {ZoneInfo(settings.defaults.timezone)}  # a retry of a contact since gone
        run = timedelta(seconds=self._run_seconds * pace)
        latest = gather_latest(next_send, zones, settings.send_window, run) if spacing else None
        wake = next_wake(
            now, cron, next_send, planned_at=planned_at, next_retry=self._next_retry, gather=gather,
            next_planned=self._next_planned, spacing=spacing, latest=latest,
        )  # fmt: skip
        unspaced = next_wake(
            now, cron, next_send, planned_at=planned_at, next_retry=self._next_retry, gather=gather,
            next_planned=self._next_planned,
        )  # fmt: skip
        self._gathered_seconds = max((wake - max(unspaced, now)).total_seconds(), 0.0)
        if self._quota_free_at is not None and wake < self._quota_free_at:
            # The daily quota is used up: no letter (nor retry) can leave before its next slot
            # frees, and a run meanwhile would only plan, find the quota spent and stop again.
            wake = self._quota_free_at
        return None if wake <= now else wake

    async def _tick(self) -> None:
        """Plan-and-deliver runs until one leaves nothing due at once, then the next wake-up; never raises.

        "Again at once" is a loop in this job rather than a job scheduled for
        now, which APScheduler would run only after this one's bookkeeping.
        """
        running, self._running = self._running, asyncio.current_task()
        if running is not None and not running.done():  # not expected: never two runs at once
            self._running, self._replan = running, True
            return
        self.clock.arrive()  # a rehearsal's run starts at its wake-up, never a moment before it
        while not self._stop.is_set():
            with self.clock.working():  # a rehearsal's run takes its real time (greeter.clock)
                planned_at, next_send = await self._run()
                if self._stop.is_set():
                    return
                wake = self._next_wake(next_send, planned_at=planned_at)
                if wake is not None:
                    self._schedule_in(self.clock.real_seconds_until(wake), wake)
                    log.debug("next_wake", at=wake.isoformat())
                    return
            log.debug("next_wake", at="at once")

    async def _run(self) -> tuple[datetime, datetime | None]:
        """One plan-and-deliver run (a failed one is logged and counted); when it planned, its next send."""
        inputs, journal = self._inputs, self._journal
        assert inputs is not None and journal is not None
        now = self.clock.now()
        started = time.monotonic()
        self.stats.runs += 1
        self.stats.running = True
        self.stats.last_run_at = now
        next_send: datetime | None = None
        self._halted = False
        self._quota_free_at = None
        self._next_retry = self._next_planned = None
        failures = self.stats.failed_runs
        gathered, self._gathered_seconds = self._gathered_seconds, 0.0
        try:
            # Off the loop and abandoned by a stop: planning claims nothing, and a journal that
            # does not answer (PostgreSQL gone) must not hold the stop for its connect timeout.
            cycle = await self._unless_stopped(plan_cycle, inputs, journal, now=now, clock=self.clock.now)
            self._planning_seconds = time.monotonic() - started
            self._zones = frozenset(cycle.zones.values())  # a few dozen distinct zones at most
            cycle.recovered += self._recovered_at_start  # its run line says so at warning, as PostgreSQL's
            self._cycle = cycle
            next_send = cycle.next_send
            if self._stop.is_set():  # SIGTERM arrived while planning
                cycle.deliverer.stop()
            await deliver_cycle(cycle)
            with contextlib.suppress(Abandoned):  # a stop now: the next run looks back further, no loss
                await self._unless_stopped(remember_plan, journal, cycle)
            next_send = cycle.next_send  # now with the retries this run left
            self._next_retry, self._next_planned = cycle.next_retry, cycle.next_planned
            self._halted = cycle.deliverer.summary.halted is not None
            if self._halted or cycle.wire.attempted:
                self._halted_rcpt = halted_recipient(cycle) if self._halted else None
            summary = cycle.deliverer.summary
            # A provider's throttle holds every letter back until its back-off has passed, as the quota
            # does; both: the later (greeter.sending_hold), the moment the run line's next_send says.
            hold = summary_hold(summary)
            self._quota_free_at = hold.until if hold is not None else None
            probed = await self._probe_if_degraded(cycle.wire)
            await self._purge_once_a_day(now)
            # The journal's newest sent letter beside it, after the purge: the next run sees a restore.
            if (unnoted := await off_loop(partial(remember_newest_sent, journal))) is not None:
                log.warning("journal_note_unwritten", detail=unnoted)
            # This long-lived connection empties the -wal of what forget and purge deleted; one a full
            # disk left larger than the journal is said (journal_space), not left to fill it silently.
            if (big := await off_loop(partial(checkpoint_after_run, journal))) is not None:
                log.warning("journal_wal_large", detail=big)
        except asyncio.CancelledError:
            # Only _shutdown cancels a run (its letters outlived shutdown_timeout_seconds). Handled
            # here, not re-raised: APScheduler would log the job as crashed, with a raw traceback.
            # Letters cut off may or may not have arrived: never leave them claimed.
            cut = await self._record_cut_claims()
            log_interrupted(self._cycle, self.stats, now, time.monotonic() - started, cut)
        except Abandoned:  # stopped while planning: nothing was claimed
            log_interrupted(self._cycle, self.stats, now, time.monotonic() - started, 0)
        except JournalFailedMidRunError as exc:
            self.stats.journal_problem = error_kind(exc.cause)
            log_failed(self.stats, self._cycle, exc, exc.hint(), now, started, accepted=exc.accepted,
                       recorded=exc.recorded)  # fmt: skip
        except GreeterError as exc:
            if isinstance(exc, JournalError):
                self.stats.journal_problem = error_kind(exc)
            if isinstance(exc, JournalNewerError | JournalMovedError):
                say_journal_refused(self.stats, exc)  # one warning, what to do (a probe may have said it)
            log_failed(self.stats, self._cycle, exc, exc.hint(), now, started)
        except Exception as exc:  # a bug must not kill the service; it is logged with its traceback
            log.exception("run_crashed")
            log_failed(
                self.stats, self._cycle, exc, f"internal error: {type(exc).__name__}: {exc}", now, started
            )
        else:
            self._recovered_at_start = 0
            self._succeeded(cycle, now, time.monotonic() - started, probed, gathered)
        finally:
            self._cycle = None
            self.stats.running = False
            self.stats.last_duration_seconds = self._run_seconds = time.monotonic() - started
        if self.stats.failed_runs == failures:
            self._failures_in_row = 0
            self._last_plan = (next_send, self._next_retry, self._next_planned)
            return now, next_send
        return now, self._after_failure(now)

    def _after_failure(self, now: datetime) -> datetime:
        """The next send after a failed run: the last plan's, or a try again soon if that is sooner.

        A failed run knows no plan of its own. Waking only at the next cron time
        left the retries and letters the run before had planned waiting for it
        — with a daily cron, until tomorrow — and /healthz unhealthy all that
        while, for a CRM export that was missing for a minute. So the previous
        plan's wake-ups stand, and the run is tried again after
        :func:`failed_run_retry` (backed off while it keeps failing, so a file
        gone for good is not retried every minute all night).
        """
        self._failures_in_row += 1
        retry = now + failed_run_retry(self._failures_in_row)
        planned, self._next_retry, self._next_planned = self._last_plan
        return retry if planned is None or planned <= now or retry < planned else planned

    async def _purge_once_a_day(self, now: datetime) -> None:
        """The first run of each day deletes the greetings past ``storage.retention_days`` (if set).

        After the run's letters, so a slow delete never holds a letter back. A
        purge that fails is logged and tried again by the next run; it never
        fails the run, whose letters went out.
        """
        assert self._inputs is not None and self._journal is not None
        settings = self._inputs.settings
        days = settings.storage.retention_days
        today = now.astimezone(ZoneInfo(settings.defaults.timezone)).date()
        if days is None or self._purged_on == today or self._stop.is_set():
            return
        try:
            done = await self._unless_stopped(self._journal.purge, retention_cutoff(today, days))
        except Abandoned:
            return
        except GreeterError as exc:
            log.warning("purge_failed", error=exc.hint())
            return
        except Exception:  # a bug: logged with its traceback, and the run whose letters went out stands
            log.exception("purge_failed")
            return
        self._purged_on = today
        log.info("purged", retention_days=days, before=done.before.isoformat(), greetings=done.greetings,
                 approvals=done.approvals, kept=done.kept)  # fmt: skip

    async def _record_cut_claims(self) -> int:
        """Record the letters a cut-off run left claimed as uncertain; how many.

        The batch's tasks are all cancelled and its journal thread joined by
        now. Waits at most :data:`JOURNAL_PATIENCE`: a journal that does not
        answer cannot record them now, and the next start does.
        """
        journal = self._journal
        if journal is None:
            return 0
        try:
            cut = await within(
                JOURNAL_PATIENCE, off_loop(partial(journal.recover_stale_claims, self.clock.now()))
            )
        except Abandoned:
            log.error("in_flight_at_shutdown_not_recorded", error=f"no answer within {JOURNAL_PATIENCE:g} s")
            return 0
        except GreeterError as exc:
            log.error("in_flight_at_shutdown_not_recorded", error=exc.hint())
            return 0
        if cut:
            log.warning("in_flight_at_shutdown_now_uncertain", count=cut)
        return cut

    # --- HTTP -------------------------------------------------------------------

    async def _start_http(self) -> web.AppRunner | None:
        assert self._journal is not None
        started = await start_http(
            self._inputs_in_force, self._journal, self.stats, self.clock.now, self._stop, self.listen
        )
        if started is None:
            return None
        runner, self._api = started
        return runner

    def _inputs_in_force(self) -> Inputs:
        assert self._inputs is not None
        return self._inputs

    def _iso_now(self) -> str:
        return self.clock.now().isoformat()


def run_daemon(
    config_file: Path,
    *,
    clock: Clock,
    listen: tuple[str, int] | None = None,
    signals: Signals | None = None,
) -> int:
    """Entry point for the CLI: run the daemon's event loop until it stops; returns the exit code.

    A failure to start (or a bug) is logged like everything else the daemon
    says — one structured line, not the CLI's plain text — and its exit code
    returned: 2 for configuration errors, 75 for a journal that cannot be
    written or reached now (the unit restarts the daemon), 3 for a bug.
    ``signals``: those remembered since the process started (the CLI's).
    """
    try:
        notifier = Notifier.from_environment()
        return asyncio.run(
            Daemon(config_file, clock=clock, listen=listen, signals=signals, notifier=notifier).serve()
        )
    except GreeterError as exc:
        return log_fatal(exc)
    except Exception:
        log.exception("internal_error", exit_code=EXIT_BUG)
        return EXIT_BUG


def log_fatal(exc: GreeterError) -> int:
    """Log why the daemon cannot run, as a ``cannot_start`` line with its exit code; returns the code."""
    why = "configuration error" if exc.exit_code == EXIT_USAGE else "try again later"
    if isinstance(exc, ConfigError):
        log.error("cannot_start", exit_code=exc.exit_code, why=why, problems=[str(p) for p in exc.problems])
    else:
        log.error("cannot_start", exit_code=exc.exit_code, why=why, error=exc.hint())
    return exc.exit_code
