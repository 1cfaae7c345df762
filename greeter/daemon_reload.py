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
all else is well: see :func:`~greeter.http_api.config_health`), ``/metrics``
``greeter_config_last_reload_successful 0``, and each ``run`` line
``config_reload_failed_at``. The one error line at the SIGHUP was all there
was, and a reload sent by automation (``systemctl reload``, a
config-management tool) has no one reading it: the edit silently never took
effect, and the next restart stopped at the broken file.

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
from greeter.errors import Abandoned, ConfigError, GreeterError
from greeter.instance import instance_name
from greeter.journal_store import JournalStore
from greeter.logs import get_logger, name_instance
from greeter.metrics import RunStats, problem_places
from greeter.off_loop import unless_stopped
from greeter.runtime import Inputs
from greeter.sd_notify import Notifier

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.http_api import ApiContext

log = get_logger(component="daemon")

T = TypeVar("T")


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
        just before: a change after it is one the watch sees (refused or not, as a SIGHUP's)."""
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
        except GreeterError:
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
        self.notifier.ready("serving: " + ("config reloaded" if taken else "reload refused, old config kept"))
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
        """Read config and templates again; True if the new ones are in force."""
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
        self.stats.reload_failed_at, self.stats.reload_problems = None, ()  # the file on disk is in force
        if self._api is not None:
            self._api.reread_secret()  # a rotated unsubscribe.secret_file: accept what letters now carry
        log.info("reloaded", config=self.stats.config_file, cron=inputs.settings.schedule.cron)
        return True

    def _reload_refused(self, exc: GreeterError) -> None:
        """Remember a refused reload for ``/healthz``, ``/metrics`` and the ``run`` lines, until one succeeds.

        At the (injected) clock's time of this refusal: a second one, the
        file still broken or broken anew, is the news — its time and problems.
        """
        self.stats.reload_failures += 1
        self.stats.reload_failed_at = self.clock.now()
        self.stats.reload_problems = problem_places(exc)  # the words are in the log line only
