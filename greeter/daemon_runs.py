"""What a daemon run leaves behind: its ``run`` line's fields, its ``systemctl status`` line,
when a failed run is tried again, and whom the probe after a halted batch asks about.

Pure functions of a run's :class:`~greeter.send.Cycle` and summary — and the two
lines of a run that did not end well (:func:`log_interrupted`, :func:`log_failed`),
which only log and count — apart from :class:`~greeter.daemon.Daemon`'s lifecycle
so that both stay small enough to read, and so that tests (``test_sd_notify``) can
read them without the daemon.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from greeter.delivery_health import delivery_problem
from greeter.errors import JournalMovedError, JournalNewerError
from greeter.failure_classes import failed_by_class
from greeter.journal_moved import daemon_step
from greeter.logs import get_logger
from greeter.metrics import RunStats, error_kind

if TYPE_CHECKING:
    from greeter.delivery_summary import Summary
    from greeter.send import Cycle

log = get_logger(component="daemon")


#: After a failed run (a contacts file being rewritten, the journal's database restarting), the
#: next try: a minute, doubled with each failure in a row up to a quarter of an hour.
FAILED_RUN_RETRY = timedelta(minutes=1)
FAILED_RUN_RETRY_MOST = timedelta(minutes=15)

#: Seconds a stop waits for the journal to record letters cut off in flight, and to close: a
#: journal that does not answer by then cannot (the next start records them uncertain).
JOURNAL_PATIENCE = 3.0


def run_fields(
    cycle: Cycle | None,
    problem: str | None,
    *,
    cut: int = 0,
    reload_failed_at: datetime | None = None,
    planning: float | None = None,
    gathered: float = 0.0,
) -> dict[str, object]:
    """The fields of a ``run`` log line after its time: the same set for every run, cut short or not.

    A run a stop cut off after ``shutdown_timeout_seconds`` logged only its
    counts, so a log pipeline reading ``.delivery`` or ``.skipped`` got nothing
    for it. ``cut``: letters still in flight at that timeout, recorded
    ``uncertain``. ``cycle`` None: stopped while planning, nothing was claimed.
    ``reload_failed_at``: a refused reload stands (:func:`config_marker`).

    ``planning``: the seconds the run's plan took (None: it did not finish
    planning); ``gathered``: how many seconds (of the schedule's clock) the run
    was put off past the next send its predecessor found, so that the letters
    due meanwhile leave together (:class:`~greeter.cron.PlanningDuty`) — 0 when
    it woke at that send. Together they tell an operator with many contacts
    what planning costs and what it delays.
    """
    if cycle is None:
        counts: Mapping[str, int] = {}
        skipped: dict[str, int] = {}
        replies: list[str] = []
        due = recovered = next_send = None
    else:
        summary = cycle.deliverer.summary
        counts, skipped, replies = summary.counts, dict(summary.skipped), summary.reply_lines()
        due, recovered = cycle.due_count, cycle.recovered
        # UTC to the second, whether the next send is a planned letter (the recipient's zone) or a retry
        next_send = (
            None if cycle.next_send is None else cycle.next_send.astimezone(UTC).isoformat("T", "seconds")
        )
    return {
        "due": due,
        "sent": counts.get("sent", 0),
        "retry": counts.get("retry", 0),
        "failed": counts.get("failed", 0),
        "uncertain": counts.get("uncertain", 0) + cut,
        "render_error": counts.get("render_error", 0),
        "failed_by_class": failed_by_class(cycle.deliverer.summary.replies) if cycle is not None else {},
        "skipped": skipped,
        "replies": replies,
        "recovered_uncertain": recovered,
        "next_send": next_send,
        "planning_seconds": None if cycle is None or planning is None else round(planning, 3),
        "gathered_seconds": round(gathered, 1),
        "delivery": "degraded" if problem is not None else "ok",
        **({"delivery_problem": problem} if problem is not None else {}),
        **config_marker(reload_failed_at),
    }


def config_marker(reload_failed_at: datetime | None) -> dict[str, str]:
    """``config_reload_failed_at`` for a run's line while a refused reload stands; nothing otherwise.

    Worth its place on every run line, not noise: ``http`` is off by default,
    so for many daemons the log is the only channel, and the one
    ``reload_failed_keeping_old_config`` line scrolls away, while the run
    line is the one a dashboard or a log query looks at. It is one field,
    absent from a daemon whose last reload took effect (its lines unchanged),
    and it does not raise the line's level: an alert on warnings would fire
    at every run for what the reload's error line said once.
    """
    if reload_failed_at is None:
        return {}
    return {"config_reload_failed_at": reload_failed_at.astimezone(UTC).isoformat("T", "seconds")}


def run_status(
    summary: Summary, problem: str | None, now: datetime, reload_failed_at: datetime | None = None
) -> str:
    """The line ``systemctl status greeter`` shows after a run: its time, what it sent, what is wrong.

    Counts; the letters it left for a later run and why (a halt, a stop, the daily quota) — a
    halted batch has no outcome to count, and "nothing due" beside a stuck letter misled; a
    refused reload (the old config still serving); and the delivery problem as ``/healthz``
    shows it (:func:`~greeter.delivery_health.delivery_problem`: the server's words, never a
    contact's), cut to one short line: any local user may read a unit's status. Pure.
    """
    parts = [f"{n} {outcome}" for outcome, n in summary.counts.items() if n]
    if summary.halted is not None and summary.halted_unsent:
        parts.append(f"{summary.halted_unsent} left unsent ({summary.halted_by})")
    if summary.left_unsent:
        parts.append(f"{summary.left_unsent} left unsent (stopping)")
    held = [
        why
        for why, n in (("provider throttled", summary.throttle_unsent), ("daily quota", summary.quota_unsent))
        if n
    ]
    if held:  # held by both: the same letters, said once
        parts.append(f"{max(summary.throttle_unsent, summary.quota_unsent)} left unsent ({', '.join(held)})")
    said = f"; delivery: {problem[:STATUS_PROBLEM]}" if problem else ""
    if reload_failed_at is not None:
        at = reload_failed_at.isoformat(timespec="seconds")
        said += f"; config reload refused at {at}, old config kept"
    return f"last run {now.isoformat(timespec='seconds')}: {', '.join(parts) or 'nothing due'}{said}"


#: The most of a delivery problem's words ``systemctl status`` is given (:func:`run_status`).
STATUS_PROBLEM = 120


def failed_run_retry(failures_in_row: int) -> timedelta:
    """How long after the ``failures_in_row``-th failed run in a row to try again (pure)."""
    return min(FAILED_RUN_RETRY * (1 << min(max(failures_in_row - 1, 0), 10)), FAILED_RUN_RETRY_MOST)


def halted_recipient(cycle: Cycle) -> str | None:
    """A recipient of a batch that halted, for the probe's RCPT TO; None if it had none. Pure.

    The first letter's, fresh ones before retries as the batch hands them out:
    most likely the one the relay refused. Its address goes only to the mail
    server the letter was meant to go through, in an envelope that ends at RSET.
    """
    for item in cycle.due:
        if item.hit.contact.email:
            return item.hit.contact.email
    return next((entry.email for entry, _ in cycle.retries if entry.email), None)


def count_outcomes(stats: RunStats, cycle: Cycle, cut: int = 0) -> None:
    """Add a run's outcomes to ``greeter_run_outcomes_total`` (``stats.outcomes``), and its refused
    letters to ``greeter_delivery_failures_total`` by class (:func:`~greeter.failure_classes.failure_class`).

    ``uncertain`` is every letter the run recorded uncertain: its batch's, those a stop cut off in
    flight (``cut``) and those a dead sender left claimed (``cycle.recovered``: a daemon killed
    before this start, a replica whose lease ran out). The recovered ones were left out, so the
    counter said 0 while the journal (``greeter_greetings{state="uncertain"}``) held them: the run
    line's ``uncertain`` plus its ``recovered_uncertain`` is what the counter adds.
    """
    summary = cycle.deliverer.summary
    for outcome, n in summary.counts.items():
        stats.outcomes[outcome] = stats.outcomes.get(outcome, 0) + n
    stats.outcomes["uncertain"] = stats.outcomes.get("uncertain", 0) + cut + cycle.recovered
    for reason, n in summary.skipped.items():
        key = f"skipped_{reason}"
        stats.outcomes[key] = stats.outcomes.get(key, 0) + n
    for kind, n in failed_by_class(summary.replies).items():  # by class, never the words
        stats.failure_classes[kind] = stats.failure_classes.get(kind, 0) + n


def say_journal_refused(stats: RunStats, exc: JournalMovedError | JournalNewerError) -> None:
    """Log once what to do about a journal greeter must not write: copied away, or upgraded by a
    newer greeter — whether a run, ``/healthz``'s probe or the unsubscribe page found it first."""
    said: tuple[str, object] = (
        ("moved", exc.to) if isinstance(exc, JournalMovedError) else ("newer", exc.found)
    )
    if stats.refusal_said == said:
        return
    stats.refusal_said = said
    if isinstance(exc, JournalMovedError):
        log.warning("journal_moved", moved_to=exc.to, action=daemon_step(exc.to), error=exc.hint())
    else:
        log.warning("journal_newer", journal_schema=exc.found, greeter_schema=exc.latest, error=exc.hint())


def log_interrupted(cycle: Cycle | None, stats: RunStats, now: datetime, seconds: float, cut: int) -> None:
    """The run cut off by a stop: a ``run`` line says so (``cut``: in flight, now uncertain), and its
    outcomes are counted as a finished run's are (:func:`count_outcomes`)."""
    problem = None if cycle is None else delivery_problem(cycle.deliverer.summary, stats.delivery_problem)
    if cycle is not None:
        count_outcomes(stats, cycle, cut)
    log.warning(
        "run",
        now=now.isoformat(),
        seconds=round(seconds, 3),
        interrupted="shutdown",
        left_unsent=cycle.deliverer.summary.left_unsent if cycle is not None else None,
        **run_fields(cycle, problem, cut=cut, reload_failed_at=stats.reload_failed_at),
    )


def log_failed(
    stats: RunStats,
    cycle: Cycle | None,
    exc: Exception,
    message: str,
    now: datetime,
    started: float,
    **detail: int,
) -> None:
    """A run that failed: counted, and logged as ``run_failed`` with the run's own fields.

    The stats keep the error's kind only (:func:`~greeter.metrics.error_kind`): ``/healthz``
    is public, and ``message`` may quote a file the config names; the log line has it.

    ``now`` and ``seconds`` (and ``due``, if it planned) as the ``run`` line has them, so
    that a log query for runs finds the failed ones in their place. ``started``: the run's
    :func:`time.monotonic`.
    """
    stats.failed_runs += 1
    stats.last_error = error_kind(exc)
    due = cycle.due_count if cycle is not None else None
    seconds = round(time.monotonic() - started, 3)
    log.error(
        "run_failed", now=now.isoformat(), seconds=seconds, due=due, error=message, **detail,
        **config_marker(stats.reload_failed_at),
    )  # fmt: skip
