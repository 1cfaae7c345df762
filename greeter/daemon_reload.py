"""How ``greeter run`` takes new config and templates: SIGHUP, or the files changed on disk.

SIGHUP re-reads config and templates, validating first — a broken config or
template is logged with its file:line and the old ones stay in force — and
plans again at once with what is in force. The templates are a snapshot taken
at (re)load (:class:`~greeter.template_snapshot.TemplateFiles`): an edit takes
effect with the next successful reload, never half-saved. A change to the
config file or a template on disk reloads the same way without a SIGHUP (a
Kubernetes ConfigMap update sends none): the files are looked at every few
seconds (:mod:`greeter.config_watch`), a ``config_changed`` line, then the
reload's own. A SIGHUP during start-up reloads once the daemon has started.

A refused reload is remembered until one takes effect (``RunStats.reload_failed_at``):
``/healthz`` says ``"config": "reload_failed"`` with the problems (still 200 if
all else is well: see :func:`~greeter.http_health.config_health`), ``/metrics``
``greeter_config_last_reload_successful 0``, and each ``run`` line
``config_reload_failed_at``. The one error line at the SIGHUP was all there
was, and a reload sent by automation (``systemctl reload``, a
config-management tool) has no one reading it: the edit silently never took
effect, and the next restart stopped at the broken file.

A reload refused because the journal did not answer (PostgreSQL down while
the reload checks whose journal it is: :func:`retry_later`) says nothing of
the config: it is put off, not refused (``reload_put_off``), and tried again
at each look of the watch until the journal answers — a SIGHUP's too, with
``watch_config: false``. It was taken as a refusal of those files: after a
minute's outage the daemon kept the old config until the file changed again,
and ``/healthz`` called a valid config broken.

The regions ``send_window.regional_days_off`` declares are the process's
(:func:`~greeter.holiday_tables.declare_regions`), declared while a config is
validated: a reload not taken declares the config in force's again
(:meth:`DaemonReloads._regions_in_force`), or the old config went on without
its regions (its Kazan clients' cells refused, their letters sent on
Tatarstan's days off).

Part of :class:`~greeter.daemon.Daemon` (a base class of it), apart so that the
daemon's module holds its lifecycle and its job: the state these methods
share with the rest of the daemon is declared here and set by its ``__init__``.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from greeter.clock import Clock
from greeter.config_watch import WATCH_SECONDS, ConfigWatch, Fingerprint, fingerprint
from greeter.daemon_inputs import keep_restart_only, load_valid_inputs, take_reloaded_project
from greeter.errors import EXIT_TEMPFAIL, Abandoned, ConfigError, GreeterError
from greeter.holiday_tables import declare_regions
from greeter.instance import instance_name
from greeter.journal_store import JournalStore
from greeter.logs import get_logger, name_instance
from greeter.metrics import RunStats, error_kind, problem_places
from greeter.off_loop import unless_stopped
from greeter.runtime import Inputs
from greeter.sd_notify import Notifier

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.http_api import ApiContext

log = get_logger(component="daemon")

T = TypeVar("T")


def placeholders_said(settings: Settings) -> None:
    """A warning line when letters would go out by SMTP with the example config's placeholders:
    at start and on each reload taken, once (:func:`~greeter.check_sender.placeholder_warning`)."""
    from greeter.check_sender import placeholder_warning

    said = placeholder_warning(settings)
    if said is not None:
        log.warning("example_placeholders", note=said)


def retry_later(exc: GreeterError) -> bool:
    """Whether a reload refused for ``exc`` may be taken unchanged later: the journal did not answer
    (:class:`~greeter.errors.JournalUnavailableError`), nothing is wrong with the files. Pure.

    The exit code a start refused for it has: 75, "try again later" (:func:`~greeter.daemon.log_fatal`),
    not 2, "fix the config" — one rule for what retrying may mend.
    """
    return exc.exit_code == EXIT_TEMPFAIL


class DaemonReloads:
    """The daemon's reloads: on SIGHUP (:meth:`_on_signal`) or a change on disk (:meth:`_watch_files`)."""

    # The daemon's state these methods read and set (:meth:`greeter.daemon.Daemon.__init__`).
    config_file: Path
    clock: Clock
    listen: tuple[str, int] | None
    stats: RunStats
    notifier: Notifier
    _stop: asyncio.Event
    _stopping: bool
    _started: bool
    _reload_pending: bool
    _reloads: set[asyncio.Task[None]]
    _put_off: bool
    _replan: bool
    _gathered_seconds: float
    _running: asyncio.Task[None] | None
    _inputs: Inputs | None
    _journal: JournalStore | None
    _halted_rcpt: str | None
    _watch: ConfigWatch | None
    _api: ApiContext | None

    if TYPE_CHECKING:  # the daemon's own, which a reload calls

        def request_stop(self, why: str = "stop") -> None: ...

        def _schedule_in(self, seconds: float, wake: datetime | None = None) -> None: ...

        def _today(self) -> date: ...

        async def _unless_stopped(self, func: Callable[..., T], *args: object, **kwargs: object) -> T: ...

    def _on_signal(self, sig: signal.Signals) -> None:
        """A signal, on the event loop (or replayed from start-up): stop, or reload."""
        if sig != signal.SIGHUP:
            self.request_stop(sig.name)
        elif self._stopping:
            log.info("reload_ignored_while_stopping", signal=sig.name)
        elif not self._started:
            if not self._reload_pending:
                self._reload_pending = True
                log.info("reload_when_started", signal=sig.name)
        else:
            self._reload_soon()

    def _reload_soon(self) -> None:
        """Reload (:meth:`reload`) in a task of its own: for a SIGHUP, or the files changed on disk."""
        task = asyncio.ensure_future(self.reload())
        self._reloads.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self._reloads.discard)

    async def _watch_files(self) -> None:
        """Reload as on SIGHUP when the config file or a template changed on disk (a ConfigMap
        updated: the kubelet sends no signal), not during a reload (:mod:`greeter.config_watch`).

        Not with ``schedule.watch_config: false``: the operator reloads by SIGHUP only (a network
        filesystem's stats every 2 s, or files meant to be taken only when told). Asked at each
        look, so a reload that turns it on or off takes effect at the next one; the fingerprint
        is still taken at each (re)load, so a watch turned on counts changes from that reload.
        """
        try:
            while True:
                await unless_stopped(self._stop, asyncio.ensure_future(asyncio.sleep(WATCH_SECONDS)))
                if self._watch is None or self._inputs is None or self._reloads or self._reload_pending:
                    continue
                if self._put_off and not self._stopping:  # the journal did not answer: try it again
                    self._reload_soon()
                    continue
                if not self._inputs.settings.schedule.watch_config:
                    continue  # off (it may be turned on by a SIGHUP's reload): SIGHUP alone reloads
                templates = self._inputs.settings.templates_dir
                now = await self._unless_stopped(fingerprint, self.config_file, templates)
                if self._watch.changed(now) and not self._reloads and not self._stopping:
                    files = self._watch.changed_files(now)
                    log.info("config_changed", config=self.stats.config_file, files=files)
                    self._reload_soon()
        except Abandoned:  # stopping
            return
        except Exception:  # a bug: said once; SIGHUP still reloads
            log.exception("config_watch_failed")

    async def _load_inputs(self) -> Inputs:
        """Config and templates read and validated (off the loop), the files' fingerprint taken
        just before: a change after it is one the watch sees (refused or not, as a SIGHUP's).

        Not taken when the reload is put off (:func:`retry_later`): those files are still to be read.
        """
        templates = self._inputs.settings.templates_dir if self._inputs is not None else None
        seen = await self._unless_stopped(fingerprint, self.config_file, templates)
        try:
            at_start = self._name_instance if self._inputs is None else None  # a reload renames once taken
            inputs = await self._unless_stopped(load_valid_inputs, self.config_file, self._today(), at_start)
            if self._journal is not None and self._inputs is not None:  # a reload: the same project's?
                url, now = self._inputs.settings.storage.url, self.clock.now()
                await self._unless_stopped(
                    take_reloaded_project, self._journal, url, inputs.settings, self.config_file, now
                )
        except GreeterError as exc:
            if not retry_later(exc):
                self._watch_taken(seen)
            raise
        if inputs.settings.templates_dir != templates:  # at start, or moved: its files, looked at now
            seen = await self._unless_stopped(fingerprint, self.config_file, inputs.settings.templates_dir)
        self._watch_taken(seen)
        self._name_instance(inputs.settings)  # every line from here on, a reload's rename too
        return inputs

    def _name_instance(self, settings: Settings) -> None:
        """The project's name (its ``instance`` setting, else the config's folder) on each line from now."""
        self.stats.instance = instance_name(settings.instance, self.config_file)
        name_instance(self.stats.instance)

    def _watch_taken(self, seen: Fingerprint) -> None:
        if self._watch is None:
            self._watch = ConfigWatch(seen)
        else:
            self._watch.taken(seen)

    async def reload(self) -> None:
        """SIGHUP: take the new config and templates only if they are valid, and plan with them at once.

        Planning again (rather than keeping the old plan's next wake-up) is
        what makes the new config count now: an occasion added for today, a
        send window moved, a cron changed. It sends only what is due anyway.
        During a run, the plan comes as soon as the run ends.
        """
        self.notifier.reloading()
        taken = await self._reload_inputs()
        # Ready again either way: a refused reload keeps the old config serving (not a failed unit).
        refused = "reload put off (journal unreachable)" if self._put_off else "reload refused"
        self.notifier.ready("serving: " + ("config reloaded" if taken else f"{refused}, old config kept"))
        if not taken:
            return
        # The contacts may have changed (a client deleted, an address corrected): the halted batch's
        # recipient is no longer one to put in the probe's envelope.
        self._halted_rcpt = None
        if self._running is not None and not self._running.done():
            self._replan = True
        else:
            self._gathered_seconds = 0.0  # planned at once: nothing put off
            self._schedule_in(0.0)

    async def _reload_inputs(self) -> bool:
        """Read config and templates again; True if the new ones are in force. Not taken, for
        whatever reason: the regions declared are the config in force's (:meth:`_regions_in_force`)."""
        taken = False
        try:
            taken = await self._take_inputs()
        finally:
            if not taken:
                self._regions_in_force()
        return taken

    async def _take_inputs(self) -> bool:
        """:meth:`_reload_inputs`' reading and taking (or refusing, or putting off)."""
        try:
            inputs = await self._load_inputs()
        except Abandoned:
            log.info("reload_ignored_while_stopping")
            return False
        except ConfigError as exc:
            log.error("reload_failed_keeping_old_config", problems=[str(p) for p in exc.problems])
            self._reload_refused(exc)
            return False
        except GreeterError as exc:
            if retry_later(exc):
                self._reload_put_off(exc)
                return False
            log.error("reload_failed_keeping_old_config", problems=[exc.hint()])
            self._reload_refused(exc)
            return False
        assert self._inputs is not None
        inputs.settings, warnings = keep_restart_only(self._inputs.settings, inputs.settings, self.listen)
        for event, detail in warnings:
            log.warning(event, **detail)
        if self._stopping:
            return False
        self._inputs = inputs
        self._put_off = False
        self.stats.reload_failed_at, self.stats.reload_problems = None, ()  # the file on disk is in force
        if self._api is not None:
            self._api.reread_secret()  # a rotated unsubscribe.secret_file: accept what letters now carry
        log.info("reloaded", config=self.stats.config_file, cron=inputs.settings.schedule.cron)
        placeholders_said(inputs.settings)
        return True

    def _reload_refused(self, exc: GreeterError) -> None:
        """Remember a refused reload for ``/healthz``, ``/metrics`` and the ``run`` lines, until one succeeds.

        At the (injected) clock's time of this refusal: a second one, the
        file still broken or broken anew, is the news — its time and problems.
        """
        self._put_off = False  # the files were read to the end: not tried again until they change
        self.stats.reload_failures += 1
        self.stats.reload_failed_at = self.clock.now()
        self.stats.reload_problems = problem_places(exc)  # the words are in the log line only

    def _reload_put_off(self, exc: GreeterError) -> None:
        """A reload the journal did not answer for (:func:`retry_later`): tried again at each look.

        Not a refusal: the config may be valid, so ``/healthz`` and ``/metrics`` do not call it
        broken (the journal's own outage shows there), and the fingerprint is not taken
        (:meth:`_load_inputs`). Said once, at warning, until a reload is taken or refused;
        each retry that meets the same outage, at debug — not a line every few seconds.
        """
        event = {"reason": error_kind(exc), "error": exc.hint(), "retry_in_seconds": WATCH_SECONDS}
        if self._put_off:
            log.debug("reload_put_off", **event)
        else:
            log.warning("reload_put_off", **event)
        self._put_off = True

    def _regions_in_force(self) -> None:
        """Declare the regions of the config in force again (``send_window.regional_days_off``).

        They are the process's (:func:`~greeter.holiday_tables.declare_regions`), declared while a
        config is validated: a reload refused after its config was validated — a broken cron,
        a template that fails, another project's journal — left its own in force beside the
        old config. Cheap when nothing changed.
        """
        if self._inputs is not None:
            declare_regions(self._inputs.settings.send_window.regional_days_off)
