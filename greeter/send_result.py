"""What one ``send --once`` run did, and the exit status and quiet rule that follow from it.

Split from :mod:`greeter.send` (the run's plan-and-deliver shell): pure rules over a
:class:`RunResult`, read by ``cli_send`` and the summary's words (:mod:`greeter.send_report`).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from datetime import date, datetime

from greeter.delivery_health import delivery_problem
from greeter.delivery_summary import Summary
from greeter.errors import EXIT_PROBLEMS, EXIT_TEMPFAIL, EXIT_USAGE
from greeter.first_run import FirstRunBelated
from greeter.send_due import DueLetter
from greeter.sources import LoadReport


@dataclass
class RunResult:
    summary: Summary
    report: LoadReport
    due: int
    recovered: int
    #: The signal (SIGTERM/SIGINT, for ``send --once`` also SIGHUP) that stopped the run, if one did.
    stopped_by: signal.Signals | None = None
    #: When the next letter leaves — planned or a retry — after this run (the daemon's ``next_send``);
    #: None: nothing within the look-ahead. A run with nothing due otherwise said nothing of when.
    next_send: datetime | None = None
    #: The earliest retry (or resend waiting for its recipient's window) after this run.
    next_retry: datetime | None = None
    #: The earliest planned new letter still to leave, and to whom. Under ``review: required`` the
    #: first one the review gate lets go; when it holds every one it was asked about, the earliest
    #: of them, its ``held`` saying why (:func:`~greeter.send.next_leaving`).
    next_letter: DueLetter | None = None
    #: The last occasion day the run planned (:func:`~greeter.planner.lookahead_end`): the horizon
    #: ``next_letter`` None speaks of.
    planned_through: date | None = None
    #: ``review: required``: the upcoming letters the gate holds before the first one it lets go
    #: (at most :data:`~greeter.send.GATE_LOOKAHEAD`); None: no review, nothing is held.
    awaiting_approval: int | None = None
    #: Since when the journal has had exactly this run's contact problems as said (:func:`problems_since`):
    #: ``send --once`` then keeps them off a cron job's stderr. None: they are new, or there are none.
    problems_unchanged_since: datetime | None = None
    #: The ``uncertain`` letters the journal holds after the run, waiting for an operator's
    #: ``greeter uncertain resend|dismiss`` — a crashed run's too, which later runs exit 0 over.
    uncertain_waiting: int = 0
    #: A new journal's first run: the belated greetings it sends or plans, for occasions from
    #: before the journal (:mod:`greeter.first_run`); None on any other run, or without them.
    first_run: FirstRunBelated | None = None
    #: When the daily quota frees its next slot, if the run left none free (:attr:`Cycle.quota_frees_at
    #: <greeter.send.Cycle.quota_frees_at>`): no letter leaves before, whatever is planned.
    quota_frees_at: datetime | None = None


def exit_code(result: RunResult) -> int:
    """``send --once``'s exit status, from what the run did. Pure; the first rule that applies wins.

    * 128 + the signal that stopped it (SIGHUP 129, SIGINT 130, SIGTERM 143),
      as a shell reports a command a signal ended;
    * 2 (configuration error) when the server refused our login, or greeter
      itself (the login or security settings do not fit it; it does not relay
      for this host, refuses the EHLO name or the sender): the batch stopped
      at it, and only a fixed config gets a letter out;
    * 1 when something needs a person: a greeting failed (5xx) or did not
      render, is ``uncertain`` — in this run, or recovered from a crashed one
      (``greeter uncertain resend|dismiss``) —, was recorded ``expired`` (a
      dry run: would be) — lost for good: exit 0 let a once-a-day cron that
      never ran inside a recipient's send window lose greetings silently —,
      the daily quota left letters unsent whose catch-up period ends before
      their window opens after its slot frees (``quota_expiring``: lost),
      or a contact row was rejected;
    * 75 (``EX_TEMPFAIL``, try again later) when letters were due, none was
      delivered and some went to ``retry``: the server was down, silent or
      answered 4xx to all, or the outbox could not be written. Exit 0 here
      made "everything about to expire" look like "all sent" to cron;
    * 75 too when the provider throttled sending (a 421, or a 4xx about rate or limits:
      :mod:`greeter.provider_throttle`) in this run or an earlier one whose back-off has not
      passed: letters were left unsent until then, whatever else was delivered;
    * 0 otherwise — also a batch partly delivered with a few 4xx retries:
      the server works, and those retries go out by themselves; and a batch
      the daily quota (``delivery.rate_limit.per_day``) ended with letters
      left unclaimed that can still go once it frees a slot: a limit the
      operator set, not a fault — nothing is wrong that trying again sooner
      would cure (75), and the summary says
      how many were left and when the quota frees a slot.
    """
    summary = result.summary
    if result.stopped_by is not None:
        return 128 + result.stopped_by
    if summary.halted is not None:
        return EXIT_USAGE
    if news_for_a_person(result) or result.report.rejected:
        return EXIT_PROBLEMS
    if summary.throttled_until is not None:  # the provider throttled: letters wait for its back-off
        return EXIT_TEMPFAIL
    if delivery_problem(summary) is not None:  # the daemon's "degraded", by the same rule
        return EXIT_TEMPFAIL
    return 0


def news_for_a_person(result: RunResult) -> bool:
    """Pure: this run did something a person must see to — a greeting failed or did not render,
    is ``uncertain`` (this run's, or a crashed run's it recovered) or was lost (``expired``).

    Rejected rows are left out: they are the contacts', said on stderr when they change
    (:func:`~greeter.send_problems.problems_since`); :func:`exit_code` adds them.
    """
    summary = result.summary
    return bool(summary.failed or result.recovered or summary.lost or summary.quota_expiring)


def says_nothing_new(result: RunResult) -> bool:
    """Pure: ``send --once --quiet`` leaves stdout empty — the run needs no one, or its exit 1 is
    only for rejected rows said before and unchanged since.

    Cron mails whatever a job prints: a CRM export with one bad row made each
    five-minute run exit 1 and print its summary, 288 mails a day saying
    nothing had changed. The exit code still says the rows are rejected (the
    contract); a run that also failed a letter, recovered or lost one, or
    delivered nothing (what would be 75), or whose problems are new, prints
    its summary as before.
    """
    code = exit_code(result)
    if code == 0:
        return True
    return (
        code == EXIT_PROBLEMS
        and result.problems_unchanged_since is not None
        and not news_for_a_person(result)
        and delivery_problem(result.summary) is None
    )
