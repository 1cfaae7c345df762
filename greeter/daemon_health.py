"""Whether ``greeter run`` is healthy: each run's account, and the probe that clears "degraded".

A run that attempted letters and got none accepted — the mail server
could not be reached or answered 4xx to every one, the rule ``send --once``
exits 75 by (:func:`~greeter.delivery_health.delivery_problem`) — leaves the
daemon "degraded" (``/healthz`` 503, the ``run`` line a warning) until a run
gets a letter through, or, with nothing due, a server that could not be
reached answers a probe (a probe cannot tell whether a server that answered
4xx would now take a letter). After a batch halted at a refusal of greeter
itself (a relay denial at RCPT TO, the sender at MAIL FROM) the probe goes as
far as that refusal — MAIL FROM and RCPT TO to a recipient of the halted
batch, then RSET, never DATA — so a relay that still greets greeter but
refuses every letter does not turn ``/healthz`` green.

A run that went through is counted in :class:`~greeter.metrics.RunStats` (what
``/healthz`` and ``/metrics`` answer) and said in its ``run`` line
(:meth:`DaemonHealth._succeeded`; the fields are :func:`~greeter.daemon_runs.run_fields`').

Part of :class:`~greeter.daemon.Daemon` (a base class of it), apart so that the
daemon's module holds its lifecycle and its job: the state these methods
share with the rest of the daemon is declared here and set by its ``__init__``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial

from greeter.daemon_runs import JOURNAL_PATIENCE, count_outcomes, run_fields, run_status
from greeter.delivery_health import delivery_problem, run_result
from greeter.errors import Abandoned, GreeterError
from greeter.failure_classes import refusing_at_start, server_refusing
from greeter.first_run import first_run_json
from greeter.journal_store import JournalStore
from greeter.logs import get_logger, problem_for_log
from greeter.metrics import RunStats
from greeter.off_loop import off_loop, within
from greeter.runtime import Inputs
from greeter.sd_notify import Notifier
from greeter.send import Cycle
from greeter.send_transport import WireCounts, make_transport
from greeter.smtp_transport import SmtpTransport

log = get_logger(component="daemon")


class DaemonHealth:
    """The daemon's health: a run's account (:meth:`_succeeded`), the probe while degraded."""

    # The daemon's state these methods read and set (:meth:`greeter.daemon.Daemon.__init__`).
    stats: RunStats
    notifier: Notifier
    _stop: asyncio.Event
    _stopping: bool
    _inputs: Inputs | None
    _journal: JournalStore | None
    _probe_can_clear: bool
    _halted_rcpt: str | None
    _contact_problems: tuple[int, int]
    _planning_seconds: float

    async def _probe_if_degraded(self, wire: WireCounts) -> str | None:
        """While degraded, a run with nothing to send asks the mail server itself (connect, log in,
        MAIL FROM as ``greeter check`` does, RCPT TO too after a halt, RSET, QUIT:
        :meth:`~greeter.smtp_transport.SmtpTransport.diagnose`).

        Without it, a server repaired in the evening would keep the daemon
        "degraded" until the next letter is due, perhaps the next morning.
        Returns why it still cannot be reached, or None once it answers; a
        setting the server does not fit (TLS it does not speak, a login it
        refuses or does not offer) in the words that name the setting, as
        the batch's halt has them — not as "cannot connect";
        without a probe (no SMTP, stopping) the problem as it was. Only asked
        when the run attempted nothing (its attempts are the better answer).

        After a halt it asks as far as the halt: a probe that stopped at EHLO
        called a relay that still refused every RCPT TO recovered, and
        ``/healthz`` turned green while every letter would be refused.
        """
        before = self.stats.delivery_problem
        if wire.attempted or before is None:
            return None
        if not self._probe_can_clear:  # 4xx to every letter: only a letter accepted tells it is over
            return before
        assert self._inputs is not None
        transport = make_transport(self._inputs.settings)
        if self._stopping or not isinstance(transport, SmtpTransport):
            await transport.close()
            return before
        sender = self._inputs.settings.sender.email  # the config in force: a reload may have fixed it
        rcpt = await self._probe_recipient()
        probe = asyncio.ensure_future(transport.diagnose(sender, rcpt))
        stop = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({probe, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not probe.done():  # a stop: a silent server's probe is not worth waiting for
                probe.cancel()
                await asyncio.wait({probe})
            await transport.close()
        if probe.cancelled():
            return before
        failure = probe.result()
        if failure is None:
            return None
        if failure.halt_kind is not None:  # a setting to change: its words name it
            return failure.why
        return f"cannot connect to the mail server: {failure.why}"

    async def _recall_refusing(self, journal: JournalStore) -> None:
        """At start, ``refusing`` (``/healthz``, ``greeter_delivery_refusing``) as the journal's verdicts
        since the newest letter that left say (:func:`~greeter.failure_classes.refusing_at_start`).

        As the last delivery is read from the journal rather than kept in the process: the server
        refusing before a restart refuses after it, and the runs after one have nothing to be refused.
        One indexed read, waited for at most :data:`JOURNAL_PATIENCE`; a journal that does not answer
        then leaves it unknown (None) until a run's verdicts say, as before.
        """
        try:
            refusals = await within(JOURNAL_PATIENCE, off_loop(journal.recent_refusals), stop=self._stop)
        except (Abandoned, GreeterError):
            return
        self.stats.refusing, self.stats.refusing_since = refusing_at_start(refusals)

    async def _probe_recipient(self) -> str | None:
        """The halted batch's recipient for the probe's RCPT TO — unless it is on the do-not-contact list
        now (``greeter forget``, an unsubscribe since): such an address never goes to a server again,
        and the probe then stops at MAIL FROM. Forgotten for good once refused so; a reload forgets it too."""
        rcpt, journal = self._halted_rcpt, self._journal
        if rcpt is None or journal is None:
            return None
        try:
            suppressed = await within(JOURNAL_PATIENCE, off_loop(partial(journal.is_suppressed, rcpt)))
        except (Abandoned, GreeterError):
            return None  # not known to be allowed: not sent
        if suppressed:
            self._halted_rcpt = None
            return None
        return rcpt

    def _succeeded(
        self, cycle: Cycle, now: datetime, seconds: float, probed: str | None, gathered: float = 0.0
    ) -> None:
        summary = cycle.deliverer.summary
        wire = cycle.wire
        problem = delivery_problem(summary, self.stats.delivery_problem)
        if problem is not None and not wire.attempted:
            problem = probed  # nothing was due: the probe's answer is the news
        if wire.attempted:
            self._probe_can_clear = wire.server_unreachable
        result = run_result(summary, problem)
        if result == "ok":
            self.stats.ok_runs += 1
            self.stats.last_success_at = now
        elif result == "refused":  # the server's verdict, not an outage: not degraded, not a success
            self.stats.refused_runs += 1
        else:
            self.stats.degraded_runs += 1
        self.stats.degraded_since = None if problem is None else self.stats.degraded_since or now
        if wire.accepted:
            self.stats.last_delivery_at = now
        self.stats.delivery_problem = problem
        refusing = server_refusing(summary.counts, summary.replies, self.stats.refusing)
        if refusing is None:
            self.stats.refusing_since = None
        elif self.stats.refusing is None:
            self.stats.refusing_since = now
        self.stats.refusing = refusing
        self.stats.awaiting_approval = summary.skipped.get("awaiting_approval", 0)
        # What holds sending now, letters waiting or not: a run with nothing due read "not held"
        # while the journal's throttle (or a spent quota) held the next letter back.
        self.stats.quota_unsent, self.stats.quota_free_at = summary.quota_unsent, cycle.quota_frees_at
        self.stats.throttle_unsent = summary.throttle_unsent
        self.stats.throttled_until = cycle.throttle_ends_at
        self.stats.last_error = None
        self.stats.journal_problem = None  # the run read and wrote it
        count_outcomes(self.stats, cycle)
        for error in summary.errors:
            if summary.halted is not None and error.startswith(summary.halted):
                # A login no retry gets past (535, a 530 to MAIL FROM, no usable AUTH): the batch
                # stopped at it, claiming nothing more; one error line per run says what to fix.
                log.error(
                    "delivery_halted",
                    reason=summary.halted_by,
                    error=error,
                    left_unsent=summary.halted_unsent,
                )
            else:
                log.warning("greeting_problem", detail=error)
        problems = (cycle.report.rejected, len(cycle.report.problems))
        if cycle.report.problems and problems != self._contact_problems:
            # said once, again only when the contacts file's problems change (not every 10 minutes)
            first = problem_for_log(cycle.report.problems[0])  # a row's cell (a name, a birth date) stays out
            log.warning("contact_row_problems", rejected=problems[0], problems=problems[1], first=first)
        self._contact_problems = problems
        # Cut short by a stop: the letters it did not hand over stay unclaimed for the next start.
        left = summary.left_unsent
        stopped: dict[str, object] = {} if left is None else {"interrupted": "shutdown", "left_unsent": left}
        if summary.quota_free_at is not None:
            # Ended at the daily quota (delivery.rate_limit.per_day), not a fault: the letters it
            # left stay unclaimed, and the next wake is not before the quota frees a slot.
            stopped |= {
                "quota_unsent": summary.quota_unsent,
                "quota_free_at": summary.quota_free_at.isoformat(),
            }
        if summary.throttled_until is not None:
            # The provider throttled (greeter.provider_throttle): no wake before its back-off ends.
            stopped |= {
                "throttled": summary.throttled,
                "throttle_unsent": summary.throttle_unsent,
                "throttled_until": summary.throttled_until.isoformat(),
            }
        # A run that could not get anything out, or left letters unrendered or uncertain, is worth
        # a warning, not an info line among many; so is one that found letters a dead sender left
        # in flight (recovered_uncertain: a replica killed, a lease run out): they await a decision.
        # A letter the server refused for good (failed) too: a provider refusing our content burned
        # the day's greetings under info lines that read "delivery: ok".
        attention = (
            problem is not None
            or summary.counts["failed"]
            or summary.counts["render_error"]
            or summary.counts["uncertain"]
            or cycle.recovered
        )
        (log.warning if attention else log.info)(
            "run", now=now.isoformat(), seconds=round(seconds, 3), **stopped, result=result,
            **run_fields(cycle, problem, reload_failed_at=self.stats.reload_failed_at,
                         planning=self._planning_seconds, gathered=gathered),
        )  # fmt: skip
        if (belated := first_run_json(cycle.first_run, dry_run=False)) is not None:  # the journal's only one
            log.warning("first_run", **belated)
        self.notifier.send(STATUS=run_status(summary, problem, now, self.stats.reload_failed_at))
