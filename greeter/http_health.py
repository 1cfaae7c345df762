"""``/healthz``'s and ``/metrics``' view of the journal and the runs: the probe, the states, the body.

Apart from :mod:`greeter.http_api` (the listener, its routes and the unsubscribe
page) so that each stays small enough to read. Pure functions of
:class:`~greeter.metrics.RunStats` and the probe's read, but for
:class:`JournalProbe`, which reads the journal off the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from greeter.daemon_runs import say_journal_refused
from greeter.errors import Abandoned, GreeterError, JournalMovedError, JournalNewerError
from greeter.history_view import counts_as_found
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.metrics import Counts, RunStats, error_kind, held_by
from greeter.off_loop import OneAtATime, within
from greeter.unsubscribe import refuse_unwritable
from greeter.zone_label import iso_seconds

log = get_logger(component="http")


#: Seconds ``/healthz`` and ``/metrics`` wait for the journal before answering without it.
JOURNAL_PROBE_SECONDS = 1.5


class JournalProbe:
    """The journal's counts for ``/healthz`` and ``/metrics``: read off the event loop, one read at a time.

    A journal that does not answer (PostgreSQL gone: libpq waits out its
    10-second connect timeout) must hold neither the event loop — the runs,
    the stop, the other requests — nor the probe for long: after ``seconds``
    the endpoint answers with what it knows (``greeter_journal_up 0``,
    ``/healthz`` 503 naming the journal). Probes that come while a read is
    still going wait for that same read rather than start their own: a dead
    database gets one stuck thread, not one per scrape. A read that outlives
    its probes finishes or fails unheard (:func:`~greeter.off_loop.off_loop`);
    a stop never waits for it.
    """

    def __init__(
        self,
        stop: asyncio.Event | None = None,
        seconds: float = JOURNAL_PROBE_SECONDS,
        stats: RunStats | None = None,
        shown: str = "the journal",
    ) -> None:
        self._stop = stop
        self._seconds = seconds
        self._stats = stats
        self._shown = shown
        self._reads: OneAtATime[None, ProbeRead] = OneAtATime()
        #: Why the last probe got no counts (None: it did): said in the log once, not every scrape.
        self._problem: str | None = None
        #: The refusal this probe put into ``stats.journal_problem`` (None: none): cleared when gone.
        self._refused: str | None = None

    async def counts(self, journal: JournalStore) -> tuple[Counts | None, str | None]:
        """The journal's counts (:func:`~greeter.history_view.counts_as_found`), or None and why not (a kind).

        The kind (``no_answer``, or :func:`~greeter.metrics.error_kind`) is what
        ``/healthz`` shows; the words are in the ``journal_unreachable`` log line.
        A journal the daemon must not write (copied away, upgraded by a newer greeter:
        :func:`~greeter.unsubscribe.refuse_unwritable`) still has its counts, and goes
        into ``stats.journal_problem`` at once — ``/healthz`` ``failing``,
        ``greeter_journal_up 0`` — with its warning said once, as a run's refusal
        would say it hours later; a mark cleared (``copy-journal --unmark``) clears it.
        """
        reading = self._reads.call(None, partial(probe_read, journal, self._shown))
        try:
            read = await within(self._seconds, reading, stop=self._stop)
        except Abandoned:
            why, kind = f"the journal did not answer within {self._seconds:g} s", "no_answer"
        except GreeterError as exc:
            why, kind = exc.hint(), error_kind(exc)
        else:
            if self._problem is not None:
                log.info("journal_answers_again")
            self._problem = None
            self._note_refusal(read.refused)
            return read.counts, None
        if self._problem is None:
            log.warning("journal_unreachable", error=why)
        self._problem = why
        return None, kind

    def _note_refusal(self, refused: JournalMovedError | JournalNewerError | None) -> None:
        """Put a refusal the probe found into ``stats.journal_problem`` (said once); take it out once gone."""
        if self._stats is None:
            return
        if refused is not None:
            self._refused = self._stats.journal_problem = error_kind(refused)
            say_journal_refused(self._stats, refused)
        elif self._refused is not None:
            if self._stats.journal_problem == self._refused:
                self._stats.journal_problem = None
            self._refused = None


@dataclass(frozen=True, slots=True)
class ProbeRead:
    """What one probe of the journal read: its counts, and why the daemon must not write it (None: it may)."""

    counts: Counts
    refused: JournalMovedError | JournalNewerError | None


#: The outcome a probe's refusal names (the log line's ``error``).
PROBE_OUTCOME = "greeter run sends nothing from it and records no one-click opt-out"


def probe_read(journal: JournalStore, shown: str) -> ProbeRead:
    """The probe's one read, in a worker thread: the counts, then whether the journal may be written."""
    counts = counts_as_found(journal)
    try:
        refuse_unwritable(journal, shown, PROBE_OUTCOME, same_file=False)  # the counts asked it
    except (JournalMovedError, JournalNewerError) as exc:
        return ProbeRead(counts, exc)
    return ProbeRead(counts, None)


def _iso(moment: datetime | None, *, up: bool = False) -> str | None:
    """``/healthz``'s moments: UTC, whole seconds (:func:`~greeter.zone_label.iso_seconds`), None as null.

    In UTC, every one: ``started_at`` was the daemon clock's ``+00:00`` beside
    ``next_send_at`` in the recipient's zone (``+07:00``), and a probe script
    comparing them as strings, or reading one offset as the host's, was wrong
    by hours. ``up``: a moment a script waits for, rounded up (``next_send_at``).
    """
    return iso_seconds(moment.astimezone(UTC), up=up) if moment else None


def health_status(s: RunStats, *, journal_ok: bool) -> str:
    """``ok``; ``unhealthy`` (the journal does not answer, or the last run failed); or ``degraded``
    (runs complete, but the letters due could not be handed to the mail server). Only ``ok`` is 200.

    Degraded is its own word so that an alert can say which: greeter is broken,
    or greeter is fine and the mail server is not. A refused reload is none of
    these (:func:`config_health`).
    """
    failing = s.last_error is not None and (
        s.last_success_at is None or (s.last_run_at is not None and s.last_run_at > s.last_success_at)
    )
    if not journal_ok or failing:
        return "unhealthy"
    return "degraded" if s.delivery_problem is not None else "ok"


def config_health(s: RunStats) -> dict[str, object]:
    """``/healthz``'s ``config``, ``config_problems`` and ``config_reload_failed_at``: whether the
    config in force is what the daemon last read, or a reload was refused. Pure.

    ``"reload_failed"`` while the last reload (SIGHUP) was refused and none has
    taken effect since: the daemon runs on the config and templates it read
    before, not on the files on disk, and a restart would stop at them (exit 2).
    ``config_problems`` says where, as :func:`~greeter.metrics.problem_places`
    has it (each problem's file, line and setting, never its words: those may
    quote a file the config names); a reload that takes effect clears all three.

    It leaves the status alone — 200 stays 200 — on purpose. The daemon
    does its job on the config in force, and a 503 is what a container
    orchestrator or a load balancer acts on: a liveness probe failing would
    restart the daemon into the broken file, turning a refused edit into an
    outage (exit 2, which the systemd unit does not restart either). The body,
    ``greeter_config_last_reload_successful 0`` and the ``run`` lines' marker
    are for a person or an alert to read.
    """
    failed = s.reload_failed_at is not None
    return {
        "config": "reload_failed" if failed else "ok",
        "config_problems": list(s.reload_problems) if failed else None,
        "config_reload_failed_at": _iso(s.reload_failed_at),
    }


def journal_health(unreadable: str | None, run_failed_on: str | None) -> tuple[str, str | None]:
    """``/healthz``'s ``journal`` and ``journal_problem``: the probe's read, then the last run's writes.

    The probe only reads the journal's counts; a full disk still answers reads
    while every run fails to write. "ok" then hid the one thing an alert on
    ``journal`` is for, so a run that failed on the journal says ``failing``
    (and the kind of error: ``journal_unavailable``) until a run completes again.
    Both arguments are kinds (:func:`~greeter.metrics.error_kind`), never an error's words.
    """
    if unreadable is not None:
        return "unreachable", unreadable
    if run_failed_on is not None:
        return "failing", run_failed_on
    return "ok", None


def see_the_log(s: RunStats, journal: str) -> str | None:
    """``/healthz``'s ``details`` while it names a problem or an error: the log events whose lines
    hold their words, only those of the problems it names; None when it names none. Pure.

    One fixed sentence named ``run_failed``, ``journal_unreachable`` and
    ``reload_failed_keeping_old_config`` for every problem, while a mail server
    that cannot be reached or refuses everything is said in the ``run`` line
    (``delivery_problem``, ``replies``): an operator grepping for what it named found nothing.
    """
    events = [
        *(["run_failed"] if s.last_error is not None or journal == "failing" else []),
        *(["journal_unreachable"] if journal == "unreachable" else []),
        *(["run (delivery_problem, replies)"] if s.delivery_problem or s.refusing else []),
        *(["reload_failed_keeping_old_config"] if s.reload_failed_at is not None else []),
    ]
    return f"see the daemon's log: {', '.join(events)}" if events else None


def uncertain_in(counts: Counts | None) -> int | None:
    """How many greetings the journal holds ``uncertain`` (None: it was not read). Pure."""
    return (
        None
        if counts is None
        else sum(t.greetings for (state, *_), t in counts.items() if state == "uncertain")
    )


def greetings_health(uncertain: int | None) -> dict[str, object]:
    """``/healthz``'s ``greetings`` and ``uncertain_greetings``: letters awaiting a decision. Pure.

    A crash (a SIGKILL, the OOM killer, a power cut) leaves the letters it had in flight
    ``uncertain`` — they may have arrived — and the next start records them so; ``/healthz``
    then said a plain ``ok``, and the one ``interrupted_claims_now_uncertain`` line scrolled
    away. ``"uncertain"`` (with how many) until someone decides them (``greeter history --state
    uncertain``, then ``greeter uncertain resend`` or ``dismiss``); null while the journal is not read.

    The status stays as it is — 200 stays 200 — as a refused reload's does (:func:`config_health`):
    the daemon sends everything else and serves the unsubscribe page, and a 503 would have a
    readiness probe take it out of service, or a liveness probe restart it, for days, for a
    decision a restart cannot make. The body, ``details`` and ``greeter_greetings{state="uncertain"}``
    are for a person or an alert.
    """
    word = None if uncertain is None else ("uncertain" if uncertain else "ok")
    return {"greetings": word, "uncertain_greetings": uncertain}


#: ``/healthz``'s ``details`` while greetings wait for a decision and nothing else is wrong.
DECIDE_UNCERTAIN = "greeter history --state uncertain; then greeter uncertain resend or dismiss"


def health_body(
    s: RunStats, status: str, journal: str, journal_problem: str | None, uncertain: int | None = None
) -> dict[str, object]:
    """``/healthz``'s JSON: states, times, counts and the *kind* of each problem, never its words. Pure.

    This listener is the one behind the public proxy (the unsubscribe links),
    and monitoring keeps its bodies. An error's or a config problem's words may
    quote a file the config names (a contacts "header" that is a line of a key,
    a "calendar" that is a password file): anyone who may edit the YAML, or an
    honest mistake, would publish it. So ``last_error`` and ``journal_problem``
    are kinds (``contacts``, ``journal_unavailable``: :func:`~greeter.metrics.error_kind`)
    and ``config_problems`` places (:func:`~greeter.metrics.problem_places`);
    ``details`` says the log has the words. ``delivery_problem`` is the mail
    server's reply (addresses masked by the caller): it quotes no file.
    """
    named = see_the_log(s, journal)
    held = held_by(s)
    return {
        "status": status,
        "journal": journal,
        "journal_problem": journal_problem,
        "delivery": "degraded" if s.delivery_problem is not None else "ok",
        "delivery_problem": s.delivery_problem,
        "degraded_since": _iso(s.degraded_since),
        # The server answers, but refuses every letter for a reason not about one recipient (5.7.x
        # spam, policy; greeter.failure_classes): the status stays 200, as for uncertain greetings.
        "refusing": s.refusing,
        "refusing_since": _iso(s.refusing_since),
        # Why nothing (or not all) goes out though nothing is broken: the provider's throttle or
        # the daily quota, until when, and how many due letters wait for it (the run line has the reply).
        "sending_held": held[0] if held else None,
        "sending_resumes_at": _iso(held[1], up=True) if held else None,
        "held_letters": held[2] if held else 0,
        **config_health(s),
        **greetings_health(uncertain),
        "started_at": _iso(s.started_at),
        "last_run_at": _iso(s.last_run_at),
        "last_success_at": _iso(s.last_success_at),
        "last_delivery_at": _iso(s.last_delivery_at),
        "last_error": s.last_error,
        "details": named or (DECIDE_UNCERTAIN if uncertain else None),
        "next_send_at": _iso(s.next_send_at, up=True),
        "runs": s.runs,
        "instance": s.instance,
        "config_file": s.config_file,
    }
