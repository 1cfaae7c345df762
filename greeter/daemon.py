"""``greeter run``: the daemon — plan and deliver on the schedule until told to stop.

An APScheduler 3 ``AsyncIOScheduler`` with one in-memory job store (the
journal, not a job store, is the state shared between processes). The
daemon always has exactly one pending job, ``tick``, scheduled at
:func:`next_wake`: the next cron time of ``schedule.cron`` or, if earlier,
the next planned send (a send window opening). Scheduling one date job at a
time — instead of a real-time cron trigger — lets the rehearsal clock of
:mod:`greeter.clock` drive the same code in tests, and makes coalescing
trivial: there is never a backlog of runs.

Signals: SIGTERM/SIGINT stop claiming at once, let letters already handed to
the server finish within ``schedule.shutdown_timeout_seconds`` and exit 0;
whatever is still in flight after that is marked ``uncertain`` (never left
``claimed``). SIGHUP re-reads config and templates, validating first — a
broken config is logged with its file:line and the old one stays in force.
"""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from greeter.clock import Clock
from greeter.cron import cron_trigger, next_wake
from greeter.errors import ConfigError, GreeterError
from greeter.http_api import ApiContext, make_app, start_site
from greeter.journal import open_journal
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.metrics import RunStats
from greeter.render import Renderer
from greeter.runtime import Inputs, load_inputs
from greeter.send import Cycle, deliver_cycle, plan_cycle, read_secret

log = get_logger(component="daemon")


def load_valid_inputs(config_file: Path, today: date) -> Inputs:
    """Config plus a compile check of every template it names; ConfigError if anything is broken."""
    inputs = load_inputs(config_file, today=today)
    settings = inputs.settings
    renderer = Renderer(settings.templates_dir, settings.sender, settings.defaults.locale)
    problems = renderer.check(list(dict.fromkeys(o.template for o in settings.occasions)))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return inputs


class Daemon:
    """One ``greeter run`` process. Construction does no I/O; :meth:`serve` does it all."""

    def __init__(self, config_file: Path, *, clock: Clock, listen: tuple[str, int] | None = None) -> None:
        self.config_file = config_file
        self.clock = clock
        self.listen = listen
        self.stats = RunStats(started_at=clock.now())
        self._stop = asyncio.Event()
        self._stopping = False
        self._cycle: Cycle | None = None
        self._running: asyncio.Task[None] | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._inputs: Inputs | None = None
        self._journal: JournalStore | None = None
        self._contact_problems: tuple[int, int] = (0, 0)

    # --- lifecycle -------------------------------------------------------------

    async def serve(self) -> int:
        """Run until SIGTERM/SIGINT; returns the exit code (0 after a clean stop)."""
        self._inputs = await asyncio.to_thread(load_valid_inputs, self.config_file, self.clock.now().date())
        settings = self._inputs.settings
        journal = open_journal(settings.storage.url, now=self.clock.now())
        self._journal = journal
        runner: web.AppRunner | None = None
        try:
            journal.lock_sender()
            recovered = journal.recover_stale_claims(self.clock.now())
            if recovered:
                log.warning("interrupted_claims_now_uncertain", count=recovered)
            runner = await self._start_http()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.request_stop, sig.name)
            loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(self.reload()))
            self._scheduler = AsyncIOScheduler(
                timezone=UTC,
                job_defaults={
                    "coalesce": True,
                    "max_instances": 1,
                    "misfire_grace_time": settings.schedule.misfire_grace_seconds,
                },
            )
            self._scheduler.start()
            log.info(
                "started", config=str(self.config_file), cron=settings.schedule.cron, now=self._iso_now()
            )
            self._schedule_in(0.0)
            await self._stop.wait()
            await self._shutdown(settings.schedule.shutdown_timeout_seconds)
        finally:
            if runner is not None:
                await runner.cleanup()
            journal.close()
        log.info("stopped")
        return 0

    def request_stop(self, why: str = "stop") -> None:
        """Stop claiming now; :meth:`serve` then waits for in-flight letters and exits."""
        if self._stopping:
            return
        log.info("stopping", signal=why)
        self._stopping = True
        if self._cycle is not None:
            self._cycle.deliverer.stop()
        self._stop.set()

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
        if self._journal is not None:
            # Letters cut off by the timeout may or may not have arrived: never leave them claimed.
            cut = self._journal.recover_stale_claims(self.clock.now())
            if cut:
                log.warning("in_flight_at_shutdown_now_uncertain", count=cut)

    async def reload(self) -> None:
        """SIGHUP: take the new config and templates only if they are valid."""
        try:
            inputs = await asyncio.to_thread(load_valid_inputs, self.config_file, self.clock.now().date())
        except ConfigError as exc:
            log.error("reload_failed_keeping_old_config", problems=[str(p) for p in exc.problems])
            return
        except GreeterError as exc:
            log.error("reload_failed_keeping_old_config", problems=[exc.hint()])
            return
        assert self._inputs is not None
        if inputs.settings.storage.url != self._inputs.settings.storage.url:
            log.warning("storage_url_change_needs_restart")
            inputs.settings = inputs.settings.model_copy(update={"storage": self._inputs.settings.storage})
        self._inputs = inputs
        log.info("reloaded", config=str(self.config_file), cron=inputs.settings.schedule.cron)
        if self._running is None or self._running.done():
            self._schedule_next(None)

    # --- the job -----------------------------------------------------------------

    def _schedule_in(self, seconds: float) -> None:
        assert self._scheduler is not None
        run_at = datetime.now(UTC) + timedelta(seconds=seconds)
        self._scheduler.add_job(self._tick, "date", run_date=run_at, id="tick", replace_existing=True)

    def _schedule_next(self, next_send: datetime | None) -> None:
        if self._stopping:
            return
        assert self._inputs is not None
        schedule = self._inputs.settings.schedule
        cron = cron_trigger(schedule.cron, self._inputs.settings.defaults.timezone)
        wake = next_wake(self.clock.now(), cron, next_send)
        self.stats.next_send_at = next_send
        self._schedule_in(self.clock.real_seconds_until(wake))
        log.debug("next_wake", at=wake.isoformat())

    async def _tick(self) -> None:
        """One plan-and-deliver run; never raises (a failed run is logged and counted)."""
        if self._stopping:
            return
        self._running = asyncio.current_task()
        inputs, journal = self._inputs, self._journal
        assert inputs is not None and journal is not None
        now = self.clock.now()
        started = time.monotonic()
        self.stats.runs += 1
        self.stats.last_run_at = now
        next_send: datetime | None = None
        try:
            cycle = await asyncio.to_thread(plan_cycle, inputs, journal, now=now)
            self._cycle = cycle
            next_send = cycle.next_send
            if self._stop.is_set():  # SIGTERM arrived while planning
                cycle.deliverer.stop()
            await deliver_cycle(cycle)
        except GreeterError as exc:
            self._failed(exc.hint())
        except Exception as exc:  # a bug must not kill the service; it is logged with its traceback
            log.exception("run_crashed")
            self._failed(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self._succeeded(cycle, now, time.monotonic() - started)
        finally:
            self._cycle = None
            self.stats.last_duration_seconds = time.monotonic() - started
            self._schedule_next(next_send)

    def _failed(self, message: str) -> None:
        self.stats.failed_runs += 1
        self.stats.last_error = message
        log.error("run_failed", error=message)

    def _succeeded(self, cycle: Cycle, now: datetime, seconds: float) -> None:
        summary = cycle.deliverer.summary
        self.stats.last_success_at = now
        self.stats.last_error = None
        for outcome, n in summary.counts.items():
            self.stats.outcomes[outcome] = self.stats.outcomes.get(outcome, 0) + n
        for reason, n in summary.skipped.items():
            key = f"skipped_{reason}"
            self.stats.outcomes[key] = self.stats.outcomes.get(key, 0) + n
        for error in summary.errors:
            log.warning("greeting_problem", detail=error)
        problems = (cycle.report.rejected, len(cycle.report.problems))
        if cycle.report.problems and problems != self._contact_problems:
            # said once, again only when the contacts file's problems change (not every 10 minutes)
            first = str(cycle.report.problems[0])
            log.warning("contact_row_problems", rejected=problems[0], problems=problems[1], first=first)
        self._contact_problems = problems
        log.info(
            "run",
            now=now.isoformat(),
            seconds=round(seconds, 3),
            due=cycle.due_count,
            sent=summary.counts["sent"],
            retry=summary.counts["retry"],
            failed=summary.counts["failed"],
            uncertain=summary.counts["uncertain"],
            render_error=summary.counts["render_error"],
            skipped=dict(summary.skipped),
            replies=summary.reply_lines(),
            recovered_uncertain=cycle.recovered,
            next_send=cycle.next_send.isoformat() if cycle.next_send else None,
        )

    # --- HTTP -------------------------------------------------------------------

    async def _start_http(self) -> web.AppRunner | None:
        assert self._inputs is not None and self._journal is not None
        http = self._inputs.settings.http
        where = self.listen or ((http.host, http.port) if http.enabled else None)
        if where is None:
            return None
        secret_env = self._inputs.settings.unsubscribe.secret_env
        secret = read_secret(secret_env, None, "unsubscribe secret")
        ctx = ApiContext(self._journal, self.stats, self.clock.now, secret.encode() if secret else None)
        runner, port = await start_site(make_app(ctx), where[0], where[1])
        log.info("http_listening", host=where[0], port=port)
        return runner

    def _iso_now(self) -> str:
        return self.clock.now().isoformat()


def run_daemon(config_file: Path, *, clock: Clock, listen: tuple[str, int] | None = None) -> int:
    """Entry point for the CLI: run the daemon's event loop until it stops."""
    return asyncio.run(Daemon(config_file, clock=clock, listen=listen).serve())
