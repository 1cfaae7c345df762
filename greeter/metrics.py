"""Prometheus metrics of the daemon, read from the journal at scrape time.

The greeting counts are *gauges read from the journal* rather than counters
kept in memory: they survive restarts, agree with ``greeter history`` by
construction, and several daemons sharing one journal export the same truth —
the same numbers in every replica, so a dashboard takes their ``max`` (or one
replica's), never their ``sum``. ``greeter_build_info{version="…",greeter_instance="…"} 1``
says which greeter each process runs (a rolling upgrade shows both) and which
project it is (:mod:`greeter.instance`). The project's name is on this one
info series only, not on every series: a label on all of them multiplies
nothing but adds a string to each sample, and a query that wants it per series
joins it (``* on(instance) group_left(greeter_instance) greeter_build_info``),
as Prometheus's own ``target_info`` is meant to be used; the scraper's
target labels tell the scrapes apart already. It is not called ``instance``:
that is the label Prometheus gives every target (``host:port``), and an
exposed one of that name is renamed ``exported_instance`` on the way in.
Per-process facts (last run, its duration, the next planned send, the refusals counted by
class) are kept in :class:`RunStats` by the daemon. What the journal can say is read from it
in one query per scrape (:meth:`~greeter.journal_store.JournalStore.tallies`): besides the
counts, the skips' reasons, the oldest waiting greeting per state and the newest letter that
left — so "stuck in retry for a day" and "nothing delivered for two days" survive a restart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from greeter import __version__
from greeter.errors import ConfigError, GreeterError, Problem, TemplateError
from greeter.failure_classes import FAILURE_CLASSES
from greeter.journal_store import DISMISSED, SKIP_REASON_CODES, STATES, Tally
from greeter.sending_hold import sending_hold

#: Greetings in the journal per (state, occasion, skip reason) (:meth:`.JournalStore.tallies`).
Counts = Mapping[tuple[str, str, str], Tally]

#: The skip reasons ``greeter_greetings{state="skipped"}`` has for every occasion, at 0 until one is
#: found: the planner's words, an operator's ``dismissed``, and ``other`` for a reason greeter did not
#: write as one of those (an erasure, an older greeter's words). A fixed set: a bounded label.
SKIP_REASONS: tuple[str, ...] = (*SKIP_REASON_CODES, DISMISSED, "other")

#: The states whose oldest greeting ``greeter_oldest_greeting_timestamp_seconds`` gives: those that
#: wait for something — a retry, a decision on an uncertain letter, a claim in flight.
PENDING_STATES: tuple[str, ...] = ("claimed", "retry", "uncertain")

#: The outcomes ``greeter_run_outcomes_total`` has from the start, at 0 until a run counts one: a
#: series that appears only at the first letter is absent to an alert (``rate()`` of nothing, an
#: ``absent()`` firing on a fresh daemon). A skip's reason (``skipped_no_email``) comes when counted.
RUN_OUTCOMES: tuple[str, ...] = ("sent", "retry", "failed", "uncertain", "render_error")


@dataclass
class RunStats:
    """What the daemon knows about its own runs (for /metrics and /healthz).

    ``last_success_at`` is the last run that did its job: it completed *and*
    delivered — or had nothing to deliver, or got letters accepted beside
    refusals. A run that attempted letters and got none accepted is not a
    success (:func:`~greeter.delivery_health.run_result`): all put off to retry
    (the server could not be reached, or answered 4xx to every one:
    :func:`~greeter.delivery_health.delivery_problem`), it sets ``delivery_problem``
    (health "degraded"); every letter refused for good (``send --once`` exits 1
    for it), it is counted ``refused`` — the server's verdict, not an outage, so
    health stays "ok" and ``refusing`` says whether it is about us. Either leaves
    ``last_success_at`` where it was, so an alert on its age fires when nothing
    gets out, as an operator expects of "last success".

    The run counts are counted when a run *ends*, by its result: a
    Prometheus counter never goes down, so a run cannot be "ok" while it is
    in progress and "degraded" after (``running`` says one is in progress).
    """

    started_at: datetime
    #: Runs started (``/healthz``'s ``runs``).
    runs: int = 0
    #: Runs that ended and did their job.
    ok_runs: int = 0
    failed_runs: int = 0
    #: Runs that completed but got no letter through, the letters waiting in retry (see above).
    degraded_runs: int = 0
    #: Runs that completed with letters answered, none accepted and some refused for good (see above).
    refused_runs: int = 0
    #: A run is in progress now.
    running: bool = False
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    last_duration_seconds: float | None = None
    #: The last run's error as its kind (:func:`error_kind`: ``contacts``, ``journal_unavailable``),
    #: never its words: ``/healthz`` is public and an error may quote a file the config names. The
    #: ``run_failed`` log line has the words. None once a run completes.
    last_error: str | None = None
    next_send_at: datetime | None = None
    #: Why the last run(s) delivered nothing due (the mail server unreachable); None: delivering.
    delivery_problem: str | None = None
    #: The run since which ``delivery_problem`` holds.
    degraded_since: datetime | None = None
    #: The last run in which the mail server accepted at least one letter.
    last_delivery_at: datetime | None = None
    #: Why the last run that failed on the journal (a full disk, a lost server) could not use it;
    #: None once a run completes. The probe only reads: a journal that answers reads but fails
    #: every write must still say so (``/healthz``'s ``journal``, ``greeter_journal_up``).
    #: Its kind (:func:`error_kind`), as ``last_error``: the words are in the ``run_failed`` line.
    journal_problem: str | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    #: Letters recorded ``failed`` since start by class (:mod:`greeter.failure_classes`):
    #: ``greeter_delivery_failures_total``.
    failure_classes: dict[str, int] = field(default_factory=dict)
    #: The server refuses our mail outright (:func:`~greeter.failure_classes.server_refusing`): the
    #: class of its refusals (``policy``…), since when; None: the last run that had an answer got a
    #: letter accepted, or refusals about single recipients only. Read from the journal at start
    #: (:func:`~greeter.failure_classes.refusing_at_start`), so a restart does not clear it.
    refusing: str | None = None
    refusing_since: datetime | None = None
    #: Drafts the last completed run left waiting for ``greeter approve`` (``review: required``):
    #: ``greeter_drafts_awaiting_approval``, a gauge — the same drafts are counted again by every run
    #: in ``greeter_run_outcomes_total{outcome="skipped_awaiting_approval"}``.
    awaiting_approval: int = 0
    #: Reloads (SIGHUP) refused since start: the config or templates on disk were broken.
    reload_failures: int = 0
    #: When the last reload was refused, while no reload has taken effect since: the daemon runs
    #: the config it read before, not the file on disk (which a restart would stop at). None: it
    #: runs what it last read, at start or at a reload.
    reload_failed_at: datetime | None = None
    #: Where each problem is, as ``/healthz`` may show it (:func:`problem_places`): the words are in
    #: the ``reload_failed_keeping_old_config`` log line only.
    reload_problems: tuple[str, ...] = ()
    #: The project's name (:func:`~greeter.instance.instance_name`): ``/healthz``'s ``instance``,
    #: ``greeter_build_info``'s ``greeter_instance``.
    instance: str = ""
    #: The config file's absolute path: ``/healthz``'s ``config_file`` (to a client on this host only).
    config_file: str = ""
    #: The hold on sending the last completed run found (:func:`held_by`): letters the daily quota
    #: (``delivery.rate_limit.per_day``) left unsent and when its next slot frees; the provider's
    #: throttle (:mod:`greeter.provider_throttle`), the letters it holds and when sending resumes.
    #: A moment with 0 letters: nothing was due, but the hold stands (the journal's throttle, a
    #: quota with no slot free). 0 and None when nothing holds: an operator asking "why is nothing
    #: going out" reads it on ``/metrics`` and ``/healthz``, not only in that run's log line.
    quota_unsent: int = 0
    quota_free_at: datetime | None = None
    throttle_unsent: int = 0
    throttled_until: datetime | None = None
    #: The refused journal last said in the log (:func:`~greeter.daemon_runs.say_journal_refused`):
    #: ``("moved", to)`` or ``("newer", schema)``, so that a run, a probe and the unsubscribe page
    #: finding the same refusal log its warning once between them.
    refusal_said: tuple[str, object] | None = None


def held_by(s: RunStats) -> tuple[str, datetime, int] | None:
    """Pure: what holds sending back after the last run — ``provider_throttle`` or ``daily_quota`` —,
    until when, and how many due letters wait; None when nothing does. Both: the one that ends
    later, with its own moment (:func:`~greeter.sending_hold.sending_hold`) — the throttle's name
    beside the quota's moment told a reason and a time that did not belong together."""
    hold = sending_hold(s.quota_free_at, s.quota_unsent, s.throttled_until, s.throttle_unsent)
    return None if hold is None else (hold.reason, hold.until, hold.letters)


#: A class name's words: ``JournalUnavailableError`` → ``Journal``, ``Unavailable``, ``Error``.
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def error_kind(exc: BaseException) -> str:
    """A stable short code for an error, without its words: ``contacts``, ``journal_unavailable``. Pure.

    ``/healthz`` is served by the listener behind the public proxy; an error's
    message may quote what a file the config names holds (a contacts "header"
    that is line 3 of a key, the start of a "calendar" that is a password file),
    and whoever may edit the YAML could read any file the daemon can through
    it. The kind tells an alert which part failed; the log has the words. An
    error greeter did not raise on purpose (a bug) is ``internal``.
    """
    if not isinstance(exc, GreeterError):
        return "internal"
    words = [w.lower() for w in _WORDS.findall(type(exc).__name__)]
    if len(words) > 1 and words[-1] == "error":
        words.pop()
    return "_".join(words) or "error"


def problem_place(problem: Problem) -> str:
    """Where ``problem`` is and which setting or column it is about, without its message. Pure.

    ``greeter.yaml:12:3: schedule.cron``, ``templates/birthday.j2:4``,
    ``/srv/contacts.csv: contacts.header_row``: what an alert needs to say
    which file to open, as :func:`error_kind` is for a run's error.
    """
    return str(Problem(problem.file, problem.field, "", problem.line, problem.col, problem.kind)).rstrip(": ")


def problem_places(exc: GreeterError) -> tuple[str, ...]:
    """Why a reload was refused, as ``/healthz`` may show it: each problem's place, or the error's kind. Pure.

    The words — a config problem's, a template's (which names the contacts it was
    rendered for), a contacts file's (which may quote it) — are left to the
    ``reload_failed_keeping_old_config`` log line and ``greeter check``.
    """
    if isinstance(exc, ConfigError):
        return tuple(dict.fromkeys(problem_place(p) for p in exc.problems))
    if isinstance(exc, TemplateError):
        return (problem_place(Problem(exc.template, "", "", exc.line, kind="template")),)
    return (error_kind(exc),)


class GreeterCollector(Collector):
    """Collects journal counts (by state and occasion) and the daemon's run statistics."""

    def __init__(self, counts: Counts | None, stats: RunStats) -> None:
        self._counts = counts
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        # A journal that does not answer (PostgreSQL down, the SQLite file gone) must not take
        # the rest down with it: the run and delivery metrics matter most during that outage.
        counts = self._counts
        yield GaugeMetricFamily(
            "greeter_journal_up",
            "1 if the journal answered this scrape and the last run did not fail on it",
            value=0 if counts is None or self._stats.journal_problem is not None else 1,
        )
        if counts is not None:
            yield from journal_metrics(counts)
        build = GaugeMetricFamily(
            "greeter_build_info",
            "Always 1: the greeter version this process runs and the project it runs, in its labels",
            labels=["version", "greeter_instance"],
        )
        build.add_metric([__version__, self._stats.instance], 1)
        yield build
        s = self._stats
        yield GaugeMetricFamily(
            "greeter_start_time_seconds",
            "When this daemon started (alert on the age of the last success, or of this before one)",
            value=s.started_at.timestamp(),
        )
        runs = CounterMetricFamily(
            "greeter_runs",
            "Plan-and-deliver runs since start, counted when they end: ok; error (the run failed); degraded"
            " (letters due, none could be handed over: they wait in retry); refused (letters answered, none"
            " accepted, some refused for good)",
            labels=["result"],
        )
        runs.add_metric(["ok"], s.ok_runs)
        runs.add_metric(["error"], s.failed_runs)
        runs.add_metric(["degraded"], s.degraded_runs)
        runs.add_metric(["refused"], s.refused_runs)
        yield runs
        yield GaugeMetricFamily(
            "greeter_run_in_progress", "1 while a plan-and-deliver run is in progress", value=int(s.running)
        )
        yield GaugeMetricFamily(
            "greeter_delivery_degraded",
            "1 while the last run(s) with letters due could not reach the mail server",
            value=1 if s.delivery_problem is not None else 0,
        )
        yield CounterMetricFamily(
            "greeter_config_reload_failures",
            "Reloads (SIGHUP, or a config or template file changed on disk) refused since start: the config"
            " or templates were broken, the old ones kept",
            value=s.reload_failures,
        )
        # Named as Prometheus and Alertmanager name theirs, so an alert written for those fits.
        yield GaugeMetricFamily(
            "greeter_config_last_reload_successful",
            "0 while the last reload was refused (the config in force is not the file on disk), else 1",
            value=0 if s.reload_failed_at is not None else 1,
        )
        outcomes = CounterMetricFamily(
            "greeter_run_outcomes",
            "What this process's runs did since start, added up run by run: a letter put off to retry"
            " counts once per attempt, and skipped_<reason> (awaiting_approval above all) counts the same"
            " waiting greeting again at every run — greeter_greetings and greeter_drafts_awaiting_approval"
            " say how many there are",
            labels=["outcome"],
        )
        for outcome, n in sorted({**dict.fromkeys(RUN_OUTCOMES, 0), **s.outcomes}.items()):
            outcomes.add_metric([outcome], n)
        yield outcomes
        failures = CounterMetricFamily(
            "greeter_delivery_failures",
            "Letters recorded failed since start, by the class of the server's reply: mailbox (5.1.x, 5.2.x),"
            " policy (5.7.x, 521), content (5.6.x, 5.3.4), gave_up (a 4xx past the deadline), other",
            labels=["class"],
        )
        for kind in FAILURE_CLASSES:
            failures.add_metric([kind], s.failure_classes.get(kind, 0))
        yield failures
        yield GaugeMetricFamily(
            "greeter_delivery_refusing",
            "1 while the last run with answers got no letter accepted and refusals not about one recipient"
            " (policy, content, other): the server refuses our mail; at start, as the journal's refusals"
            " since the newest letter that left say",
            value=1 if s.refusing is not None else 0,
        )
        yield GaugeMetricFamily(
            "greeter_drafts_awaiting_approval",
            "Letters the last run left waiting for greeter approve (review: required)",
            value=s.awaiting_approval,
        )
        for name, doc, moment in (
            ("greeter_last_success_timestamp_seconds", "The last successful run", s.last_success_at),
            (
                "greeter_last_delivery_timestamp_seconds",
                "When the newest letter the journal holds as sent left (by any greeter sending from it),"
                " else the last run of this process the server accepted letters in",
                last_delivery(counts, s.last_delivery_at),
            ),
            ("greeter_next_send_timestamp_seconds", "The next planned send", s.next_send_at),
        ):
            # Absent until there is one, never 0 (1970): an alert takes greeter_start_time_seconds
            # in its place (``X or greeter_start_time_seconds``), as docs/operations.md shows.
            if moment is not None:
                yield GaugeMetricFamily(name, doc, value=moment.timestamp())
        # 0, not absent, while nothing holds: "held or not" is a state an alert compares with
        # ``time()``, and a series that comes and goes reads as a scrape gap.
        yield GaugeMetricFamily(
            "greeter_quota_unsent",
            "Letters the daily quota (delivery.rate_limit.per_day) left unsent at the last run",
            value=s.quota_unsent if s.quota_free_at is not None else 0,
        )
        yield GaugeMetricFamily(
            "greeter_quota_free_timestamp_seconds",
            "When the daily quota frees its next slot, letters waiting or not (0 while it has one free)",
            value=s.quota_free_at.timestamp() if s.quota_free_at is not None else 0,
        )
        yield GaugeMetricFamily(
            "greeter_throttle_unsent",
            "Letters due that the provider's throttle (421, a 4xx about rate, a 5xx sending quota)"
            " held back at the last run",
            value=s.throttle_unsent if s.throttled_until is not None else 0,
        )
        yield GaugeMetricFamily(
            "greeter_throttled_until_timestamp_seconds",
            "When sending resumes after the provider's throttle, letters waiting or not (0 while none holds)",
            value=s.throttled_until.timestamp() if s.throttled_until is not None else 0,
        )
        if s.last_duration_seconds is not None:
            yield GaugeMetricFamily(
                "greeter_last_run_duration_seconds",
                "How long the last run took",
                value=s.last_duration_seconds,
            )


def last_delivery(counts: Counts | None, in_process: datetime | None) -> datetime | None:
    """``greeter_last_delivery_timestamp_seconds``: the journal's newest ``sent_at``, or this process's
    last run with a letter accepted if later or the journal was not read. Pure.

    Kept in the process alone, it vanished at every restart: "nothing delivered for two days"
    read as absent (then ``greeter_start_time_seconds``) after a deploy, and each replica said
    only its own letters. The journal's moment is the same in every replica and survives them.
    """
    moments = [t.newest_sent for t in (counts or {}).values() if t.newest_sent is not None]
    if in_process is not None:
        moments.append(in_process)
    return max(moments, default=None)


def journal_metrics(counts: Counts) -> Iterator[Metric]:
    """The series read from the journal at this scrape: the greetings by state, occasion and (for a
    skip) reason; the oldest greeting waiting in each pending state; the newest letter that left. Pure.
    """
    greetings = GaugeMetricFamily(
        "greeter_greetings",
        "Greetings in the journal by state and occasion; a skipped one by its reason too (reason is empty"
        " for the other states)",
        labels=["state", "occasion", "reason"],
    )
    occasions = sorted({occ for _, occ, _ in counts})
    for state in STATES:
        for reason in SKIP_REASONS if state == "skipped" else ("",):
            for occ in occasions:
                tally = counts.get((state, occ, reason))
                greetings.add_metric([state, occ, reason], tally.greetings if tally is not None else 0)
    yield greetings
    oldest = GaugeMetricFamily(
        "greeter_oldest_greeting_timestamp_seconds",
        "When the oldest greeting in each waiting state was first recorded (absent while none waits):"
        " alert on time() minus it",
        labels=["state"],
    )
    for state in PENDING_STATES:
        moments = [t.oldest for (s, _, _), t in counts.items() if s == state and t.greetings and t.oldest]
        if moments:
            oldest.add_metric([state], min(moments).timestamp())
    yield oldest


def render_metrics(counts: Counts | None, stats: RunStats) -> bytes:
    """The Prometheus text exposition of the current numbers; ``counts`` None: the journal did not answer."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(GreeterCollector(counts, stats))
    return generate_latest(registry)
