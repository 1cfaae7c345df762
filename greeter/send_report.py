"""What ``greeter send --once`` prints: its summary line, the ``--json`` form, the dry run line, progress.

Presentation only, out of :mod:`greeter.cli` (the command wires it to the
run): the words and keys here are the documented contract scripts read —
``--json`` prints every key whatever happened, so ``jq`` finds it.
"""

from __future__ import annotations

import atexit
import json
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from greeter.console import dumb_terminal, escaped, json_safe
from greeter.zone_label import due_time, iso_seconds, local_time

if TYPE_CHECKING:
    from greeter.config_contacts import ContactsSource
    from greeter.delivery_summary import Summary
    from greeter.journal_store import JournalEntry
    from greeter.send_due import DueLetter
    from greeter.send_result import RunResult

T = TypeVar("T")

#: What ``send --once`` adds to the names of the greetings it recorded expired: the usual cause,
#: not a diagnosis (a downtime, or a review nobody approved in time, expire letters too).
EXPIRED_HINT = (
    "a greeting expires when no send runs inside its recipient's send window before its catch-up"
    " period ends — usually send --once run once a day, at an hour outside that window, or greeter"
    " stopped for days: run greeter send --once every 10 minutes or more often (cron */5) or greeter run,"
    " not once a day"
)


#: What ``send --once`` says instead of :data:`EXPIRED_HINT` when the daily quota held letters
#: back within the expired greetings' catch-up period: runs happened; the quota blocked them —
#: first. The journal cannot tell which letter the quota held, so the schedule's cause is said
#: too: a re-test's runs at 17:00 Moscow time never met Far-East windows, and the quota alone
#: was blamed for those 57.
QUOTA_EXPIRED_HINT = (
    "the daily quota (delivery.rate_limit.per_day) held letters back within their catch-up period:"
    " the greetings it could not send in time expired — raise per_day with the mail provider, or"
    " spread the busy days (greeter check warns of each day over the quota); a greeting whose"
    " recipient's send window no run fell inside expires too (runs only at 17:00 Moscow time miss"
    " Vladivostok's window): run send --once every 10 minutes or greeter run"
)


def expired_hints(rows: Sequence[JournalEntry], *, quota: bool = False) -> list[str]:
    """What the summary says after the line naming the greetings a run recorded expired (pure).

    ``rows``: the journal's rows of those greetings. One put off to retry at
    every attempt (a server unreachable or answering 4xx for days) expired
    because of the server, not the schedule: the advice to run every few
    minutes was wrong for it — support found it beside a history saying "the
    server had said: cannot connect to …". Those are said so, with the last
    reply; those never attempted get :data:`EXPIRED_HINT` — or, when the daily quota
    held letters back within their catch-up period (``quota``), :data:`QUOTA_EXPIRED_HINT`:
    the cron advice blamed a schedule that ran while the quota blocked its runs. No rows
    (the journal could not say): the usual cause.
    """
    tried = [row for row in rows if row.attempts > 0]
    hints: list[str] = []
    if tried:
        last = max(tried, key=lambda row: row.updated_at)
        some = "" if len(tried) == len(rows) else f"{len(tried)} of them "
        hints.append(
            f"{some}expired waiting to retry: the mail server refused or could not be reached at every"
            f" attempt (last reply: {last.last_reply or 'none'}); check it and delivery.smtp"
            " (greeter history --state expired shows each one's reply)"
        )
    if len(tried) < len(rows) or not rows:
        hint = QUOTA_EXPIRED_HINT if quota else EXPIRED_HINT
        hints.append(hint if not tried else f"the others: {hint}")
    return hints


#: What the summary says after the interrupted claims a run recorded uncertain: what to do.
UNCERTAIN_HINT = (
    "they may have arrived; decide with greeter uncertain resend|dismiss"
    " (greeter history --state uncertain lists them)"
)


def print_report(
    result: RunResult,
    moment: datetime,
    letters: list[DueLetter],
    *,
    dry_run: bool,
    as_json: bool,
    unattended: bool = False,
    summary: bool = True,
    expired: Sequence[JournalEntry] = (),
) -> None:
    """What ``send --once`` says: problems, errors and replies on stderr, the summary on stdout.

    ``unattended``: stderr is no terminal (cron, a timer): contact problems
    already said, unchanged since, are left out of it and named in the summary
    instead (:func:`problems_words`) — cron mails any output, and every 10
    minutes. ``summary``: False for ``--quiet`` on a run that says nothing new
    (:func:`~greeter.send_result.says_nothing_new`: exit 0, or 1 only for rejected rows
    already said): stdout stays empty. ``expired``: the journal's rows of the greetings the run
    recorded expired, for what caused it (:func:`expired_hints`).
    """
    from greeter.delivery_health import unauthenticated_problem
    from greeter.first_run import first_run_json
    from greeter.send_due import due_json
    from greeter.transport import HALT_WORDS

    stop_bars()  # a run stopped short (Ctrl-C, SIGTERM) left its bar live: gone before the summary
    held = unattended and result.problems_unchanged_since is not None
    # A mail server's reply is the server's text: its control characters are shown, never acted on
    # by the terminal (a 550 carrying ESC ] 0 ; … BEL retitled it).
    for problem in () if held else result.report.problems:
        click.echo(escaped(str(problem)), err=True)
    for error in result.summary.errors:
        click.echo(escaped(error), err=True)
    for line in result.summary.reply_lines():
        click.echo(escaped(line), err=True)
    if (unauthenticated := unauthenticated_problem(result.summary)) is not None:
        # What to fix: the reply lines alone read as the recipients'.
        click.echo(escaped(unauthenticated), err=True)
    if result.summary.lost:  # named among the reply lines; their cause after them
        for hint in expired_hints(expired, quota=result.summary.quota_expired > 0):
            click.echo(escaped(hint), err=True)
    if result.first_run is not None:
        # The journal's only first run, said under --quiet too: it sent (or planned) letters for
        # days before greeter, which cannot be taken back — a warning for cron's mail, not chatter.
        click.echo(result.first_run.words(dry_run=dry_run), err=True)
    if not summary:
        return
    counts = dict(result.summary.counts)
    if as_json:
        payload = summary_json(
            moment,
            dry_run,
            due=result.due,
            recovered_uncertain=result.recovered,
            **{k: counts.get(k, 0) for k in ("sent", "retry", "failed", "uncertain", "render_error")},
            skipped=dict(result.summary.skipped),
            render_error_merged=result.summary.merged_into_failed,
            replies=[
                {"state": state, "reply": reply, "count": n}
                for (state, reply), n in result.summary.replies.most_common()
            ],
            rows_rejected=result.report.rejected,
            contact_problems=problems_json(result, moment),
            stopped_by=result.stopped_by.name if result.stopped_by is not None else None,
            left_unsent=result.summary.left_unsent,
            expired=[
                {"contact_id": cid, "occasion": occasion, "occasion_date": day.isoformat()}
                for cid, occasion, day in result.summary.expired
            ],
            **quota_json(result.summary, moment),
            **next_json(result, moment),
            # One of them says what stopped the batch: a login the server refused (535), login
            # settings that do not fit it (a 530 to MAIL FROM, no AUTH greeter can use), a security
            # setting it does not speak, or a relay refusing greeter's host, EHLO name or sender, or
            # refusing its host outright by a blocklist or client check.
            **{
                kind: result.summary.halted if result.summary.halted_by == kind else None
                for kind in HALT_WORDS
            },
            letters=[due_json(letter) for letter in letters] if dry_run else None,
            first_run=first_run_json(result.first_run, dry_run=dry_run),
        )
        click.echo(json_text(payload))
    elif dry_run:
        line = dry_run_line(result.due, result.summary, letters, moment) + next_words(result, moment)
        click.echo(line + (problems_words(result, moment) if held else ""))
    else:
        extra = uncertain_words(result)
        line = f"{local_time(moment)}: due {result.due}; {result.summary.line(moment.tzinfo)}{extra}"
        click.echo(line + next_words(result, moment) + (problems_words(result, moment) if held else ""))


def problems_words(result: RunResult, moment: datetime) -> str:
    """The summary's clause for contact problems kept off stderr: how many, since when, where to see them.

    The exit code still says a row was rejected (1); this says why cron's
    mail has no lines about it.
    """
    since = result.problems_unchanged_since
    assert since is not None, "only for problems already said"
    rejected = result.report.rejected
    # The exit code (1) is for the rejected rows: said here, or a cron mail reads exit 1 unexplained.
    among = f", {rejected} of them rejected row(s), not loaded" if rejected else ""
    return (
        f"; {len(result.report.problems)} contact row problem(s) unchanged since"
        f" {_when(since, moment)}{among} (greeter check lists them)"
    )


def problems_json(result: RunResult, moment: datetime) -> dict[str, object] | None:
    """``send --json``'s ``contact_problems``: null when the contacts had none, else their ``count``
    and ``unchanged_since`` — when a run first said this very set (in ``now``'s zone), null if new.
    The texts are on stderr, or ``greeter check`` lists them."""
    if not result.report.problems:
        return None
    since = result.problems_unchanged_since
    return {
        "count": len(result.report.problems),
        "unchanged_since": None if since is None else iso_seconds(since.astimezone(moment.tzinfo)),
    }


def uncertain_words(result: RunResult) -> str:
    """The summary's words on ``uncertain`` letters waiting for a person, and what to do; "" when none.

    The interrupted claims this run recorded uncertain (it exits 1 for them),
    then — when the journal holds more than those — how many wait in all:
    the runs after a crash exit 0 and said nothing of them.
    """
    words = ""
    if result.recovered:
        words = f"; {result.recovered} interrupted claim(s) marked uncertain: {UNCERTAIN_HINT}"
    if result.uncertain_waiting > result.recovered:
        words += f"; {result.uncertain_waiting} uncertain await a decision (greeter uncertain resend|dismiss)"
    return words


def quota_json(summary: Summary, moment: datetime) -> dict[str, object]:
    """``send --json``'s ``quota_unsent`` and ``quota_free_at``: null unless the daily quota ended the batch.

    ``quota_unsent``: the due letters left unclaimed because ``delivery.rate_limit.per_day``
    was used up; ``quota_free_at``: when its next slot frees, in ``moment``'s zone — a run
    before then sends nothing more.
    """
    free_at = summary.quota_free_at
    until = summary.throttled_until
    return {
        "quota_unsent": None if free_at is None else summary.quota_unsent,
        # Of those, the ones whose catch-up period ends before the slot frees: they will expire.
        "quota_expiring": None if free_at is None else summary.quota_expiring,
        "quota_free_at": None if free_at is None else iso_seconds(free_at.astimezone(moment.tzinfo), up=True),
        # The provider throttled (greeter.provider_throttle): its reply, the due letters left
        # unclaimed, and when sending resumes; all null when it did not.
        "throttled": None if until is None else summary.throttled,
        "throttle_unsent": None if until is None else summary.throttle_unsent,
        "throttled_until": None if until is None else iso_seconds(until.astimezone(moment.tzinfo), up=True),
    }


def next_words(result: RunResult, moment: datetime) -> str:
    """The summary's end: when the next letter leaves, or that none is planned within the look-ahead.

    A run with nothing due said only ``due 0; sent: 0``, and a first-day user
    took it for a broken setup. The moments are in ``moment``'s zone (the
    config's, as the summary's own), the letter's recipient's time beside it
    when that zone differs, as ``preview`` shows it. A retry is named only
    when it comes first: it is the next thing to leave. Under ``review:
    required`` the letter named is the first one the review gate lets go, and
    the letters it holds before it are counted (:func:`awaiting_words`): an
    operator told the time of a letter nobody approved waited for a letter
    that never left.
    """
    letter, retry = result.next_letter, result.next_retry
    words = ""
    if retry is not None and (letter is None or retry < letter.send_at):
        words += f"; next retry due {_when(retry, moment)}"
    if letter is not None:
        who = f"{letter.contact_id} {'+'.join(letter.occasions)}"
        local = letter.send_at
        if local.utcoffset() != local.astimezone(moment.tzinfo).utcoffset():
            shown = "%H:%M" if local.date() == local.astimezone(moment.tzinfo).date() else "%Y-%m-%d %H:%M"
            who += f", {local_time(local, shown)} recipient's time"
        words += f"; next letter due {_when(local, moment)} ({who})" + awaiting_words(result)
    elif result.planned_through is not None and not _letters_waiting(result):
        words += (
            f"; no letter planned for occasions through {result.planned_through.isoformat()}"
            " (greeter preview looks further ahead)"
        )
    return words + quota_slot_words(result, moment)


def quota_slot_words(result: RunResult, moment: datetime) -> str:
    """That the daily quota frees its next slot only after the next letter or retry is due: a run
    that spent it on its last due letter named a letter at 16:00 that could not leave before
    11:00 the next day (the moment ``next_send`` says). "" when the summary already says when
    the quota frees (it left letters unsent), or nothing named comes before that moment."""
    frees, summary = result.quota_frees_at, result.summary
    letter = result.next_letter
    named = [at for at in (result.next_retry, None if letter is None else letter.send_at) if at is not None]
    if frees is None or summary.quota_free_at is not None or not named or min(named) >= frees:
        return ""
    return f"; the daily quota (delivery.rate_limit.per_day) frees its next slot at {_when(frees, moment)}"


def _letters_waiting(result: RunResult) -> bool:
    """Whether the run left due letters for later (a stop, the daily quota, a provider's throttle):
    "no letter planned" beside "30 left unsent until its next slot frees" contradicted it."""
    summary = result.summary
    return bool(
        summary.left_unsent or summary.quota_unsent > summary.quota_expiring or summary.throttle_unsent
    )


def awaiting_words(result: RunResult) -> str:
    """What follows the next letter's words under ``review: required``: that it leaves only once
    approved, or how many earlier letters the review gate holds; "" when none is held.

    The gate is asked about :data:`~greeter.send.GATE_LOOKAHEAD` letters at
    most: when it holds all of them, their number is "at least".
    """
    from greeter.send import GATE_LOOKAHEAD

    held, letter = result.awaiting_approval or 0, result.next_letter
    if not held:
        return ""
    if letter is not None and letter.held is not None:  # none of those asked about will leave
        if held == 1:
            return " once approved (greeter approve)"
        more = f"{'at least ' if held >= GATE_LOOKAHEAD else ''}{held - 1} later one(s)"
        return f" once approved; it and {more} await approval (greeter approve)"
    ones = "1 earlier one awaits" if held == 1 else f"{held} earlier ones await"
    return f"; {ones} approval (greeter approve)"


def _when(at: datetime, moment: datetime) -> str:
    """``at`` on ``moment``'s clock, to the minute — to the second when it is not on one.

    (:func:`~greeter.zone_label.due_time`). A fraction of a second rounds up, as ``next_send``
    in the JSON does (:func:`~greeter.zone_label.iso_seconds`): a retry due at 16:58:00.3 is
    not due at 16:58.
    """
    return due_time(at.astimezone(moment.tzinfo))


def next_json(result: RunResult, moment: datetime) -> dict[str, object]:
    """``send --json``'s ``next_send``, ``next_letter`` and ``planned_through`` (see :func:`next_words`).

    ``next_send``: when the next letter — planned or a retry — leaves, in the
    zone of ``now`` (the moment the daemon wakes for; its run log writes it in
    UTC); null when nothing is planned within the look-ahead and no retry
    waits; the run's ``now`` when a stop left due letters unsent (they are due
    now, :func:`greeter.send.deliver_cycle`). ``next_letter``: the next planned one (its ``send_at`` in its
    recipient's zone, as ``letters`` and ``preview`` write it), or null.
    ``planned_through``: the last occasion day the run planned.

    Under ``review: required`` (both null without it), ``next_letter`` is the
    first letter the review gate lets go, ``awaiting_approval_before_next``
    the number of upcoming letters it holds before that one (it asks about
    :data:`~greeter.send.GATE_LOOKAHEAD` at most), and ``next_letter_held``
    null; when it holds every one it asked about, ``next_letter`` is the
    earliest of them and ``next_letter_held`` its verdict (``awaiting_approval``,
    ``changed_since_approval``, ``approval_outdated``): it leaves once approved.
    ``next_send`` stays the earliest planned moment, held or not: the daemon
    wakes then, to send it if it was approved meanwhile.
    """
    letter = result.next_letter
    return {
        "next_send": None
        if result.next_send is None
        else iso_seconds(result.next_send.astimezone(moment.tzinfo), up=True),
        "next_letter": None
        if letter is None
        else {
            "send_at": iso_seconds(letter.send_at),
            "contact_id": letter.contact_id,
            "occasions": list(letter.occasions),
        },
        "planned_through": None if result.planned_through is None else result.planned_through.isoformat(),
        "awaiting_approval_before_next": result.awaiting_approval,
        "next_letter_held": None if letter is None else letter.held,
    }


def summary_json(moment: datetime, dry_run: bool, **fields: object) -> dict[str, object]:
    """``send --json``'s summary: every key always there, so ``jq`` finds it whatever happened.

    A run the journal stopped before it began (PostgreSQL down, another sender
    holding the SQLite journal) still prints it: ``due`` null (nothing was
    planned), the counts 0 (``sent``: letters the server had accepted when the
    journal failed mid-run) and the reason in ``journal_unavailable``. So does
    one whose contacts database did not answer while it planned: the reason in
    ``contacts_unavailable``. ``letters``: a dry run's letters; null when the
    run was real (what it sent is in the journal: ``greeter history``) or
    stopped before it planned.

    A key not among these defaults is refused (ValueError): added only where
    one summary is built, it would be missing from the others.
    """
    payload: dict[str, object] = {
        "now": iso_seconds(moment),
        "dry_run": dry_run,
        "due": None,
        "recovered_uncertain": 0,
        **dict.fromkeys(("sent", "retry", "failed", "uncertain", "render_error"), 0),
        # Of skipped.render_error: the occasions merged into the render_error letters, which fail with them.
        "render_error_merged": 0,
        "skipped": {},
        "replies": [],
        "rows_rejected": 0,
        # The contacts' problems: their count and since when unchanged (problems_json); null: none.
        "contact_problems": None,
        "stopped_by": None,
        "left_unsent": None,
        # The greetings the run recorded expired (a dry run: would): contact_id, occasion, occasion_date.
        "expired": [],
        # The daily quota ended the batch (quota_json): letters left unclaimed, and when it frees.
        "quota_unsent": None,
        "quota_expiring": None,
        "quota_free_at": None,
        "throttled": None,
        "throttle_unsent": None,
        "throttled_until": None,
        # When the next letter leaves (next_json); null also when the run never planned.
        "next_send": None,
        "next_letter": None,
        "planned_through": None,
        # review: required: the letters the gate holds before next_letter, or next_letter's own verdict.
        "awaiting_approval_before_next": None,
        "next_letter_held": None,
        "login_refused": None,
        "login_mismatch": None,
        "security_mismatch": None,
        # A relay that refuses greeter itself at MAIL FROM or RCPT TO: its host, EHLO name or sender;
        # host_blocked: its host outright, by a blocklist or client check (also at EHLO).
        "relay_denied": None,
        "helo_rejected": None,
        "sender_rejected": None,
        "host_blocked": None,
        "journal_unavailable": None,
        "contacts_unavailable": None,
        # A config error (exit 2) that stopped the run before it sent anything: greeter.cli sets it.
        "config_error": None,
        "letters": None,
        # A new journal's first run: the belated greetings it catches up (first_run_json); null otherwise.
        "first_run": None,
    }
    unknown = fields.keys() - payload.keys()
    if unknown:
        raise ValueError(f"send --json has no key {', '.join(sorted(unknown))}: add it to summary_json")
    payload.update(fields)
    return payload


def json_text(payload: dict[str, object]) -> str:
    """The summary as printed: indented, Cyrillic as is, no raw control character (:func:`json_safe`)."""
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2))


def dry_run_line(due: int, summary: Summary, letters: list[DueLetter], moment: datetime) -> str:
    """The last line of ``send --dry-run``: how many letters are due, of them retries and resends,
    how many would be held and why, and what the send would record as skipped instead of sending
    (the planner's skips whose day has come, retries past their deadline: :data:`RECORDED_SKIPS`)."""
    from greeter.delivery import RECORDED_SKIPS  # loaded by the send already; not by every command

    held = summary.not_built
    skipped = {
        k: n for k, n in summary.skipped.items() if k not in RECORDED_SKIPS and k != "render_error" and n
    }
    why = ", ".join(f"{k} {n}" for k, n in sorted(skipped.items()))
    if summary.counts["render_error"]:
        why = ", ".join(
            filter(None, [f"render_error {summary.counts['render_error']}", summary.merged_words(), why])
        )
    kinds = Counter(letter.kind for letter in letters)
    again = [
        f"{kinds[k]} {word}" for k, word in (("retry", "retry(ies)"), ("resend", "resend(s)")) if kinds[k]
    ]
    recorded = {k: summary.skipped[k] for k in sorted(RECORDED_SKIPS) if summary.skipped[k]}
    records = ", ".join(f"{k} {n}" for k, n in recorded.items())
    return (
        f"dry run: {due} greeting(s) due at {moment.isoformat()}"
        + (f" ({', '.join(again)} among them)" if again else "")
        + (f"; {due - held} would go, {held} would be held ({why})" if held else "")
        + (f"; {sum(recorded.values())} would be recorded skipped, not sent ({records})" if recorded else "")
        + held_words(summary, due - held, moment)
        + "; nothing claimed or sent"
    )


def held_words(summary: Summary, going: int, moment: datetime) -> str:
    """``send --dry-run``'s clause for the daily quota or a provider's throttle
    (:func:`~greeter.dry_run_hold.foresee_hold`): how many of the ``going`` letters would go now,
    then the real run's words for the rest (:meth:`~greeter.delivery_summary.Summary.hold_words`); "" when
    neither would hold any back."""
    words = summary.hold_words(moment.tzinfo)
    if not words:
        return ""
    waiting = summary.throttle_unsent if summary.throttled_until is not None else summary.quota_unsent
    return f"; {max(going - waiting, 0)} would go now, then " + "; ".join(words)


#: What a command's progress hook is: ``start(total, done)`` when the work is known (``total``
#: None: not known ahead, e.g. the rows of a contacts file being read), giving the tick that the
#: work calls with each step's size.
ProgressStart = Callable[[int | None, int], "ProgressBar"]


#: How often a bar is redrawn: once a second (rich's own is 10), which a terminal shows as smoothly
#: for work of minutes, and a screen reader that reads changes aloud reads a tenth as often.
REFRESH_PER_SECOND = 1


class ProgressBar:
    """One bar on stderr for one piece of work: ``bar(n)`` advances it, :meth:`close` ends it.

    Started at its first tick (a total known) or once ``least`` steps are
    counted (none known), not before: its refresh thread must not exist
    yet when ``send`` forks its letter builders (:mod:`greeter.build_pool`
    builds in-process when another thread runs), and a few contacts check
    in a blink that a bar would only flash over. Transient: gone when it
    ends, so a terminal keeps only what the command prints.
    """

    def __init__(self, what: str, total: int | None, least: int, unit: str) -> None:
        self._what, self._total, self._least, self._unit = what, total, least, unit
        self._done = 0
        self._bar: Any = None
        self._task: Any = None
        self._closed = total is not None and total < least  # too small to show: ticks do nothing
        #: The total is a guess (:meth:`counting`'s ``expected``): the work may go past it or stop short.
        self._estimated = False

    def __call__(self, n: int) -> None:
        if self._closed:
            return
        self._done += n
        if self._bar is None:
            if self._total is None and self._done < self._least:
                return
            self._open()
        if self._estimated and self._total is not None and self._done > self._total:  # past the guess
            self._total = self._done
            self._bar.update(self._task, total=self._total)
        self._bar.update(self._task, completed=self._done)
        if self._total is not None and self._done >= self._total and not self._estimated:
            self.close()

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        # On stderr, the stream whose terminal was asked about: rich's default console is stdout's,
        # and `greeter send --once > summary.txt` got the bar's leading blank line in the summary.
        console = Console(stderr=True)
        counted = TextColumn(f"{{task.completed:,.0f}} {self._unit}")
        if self._estimated:  # how far, and how long to go, by the guess; how many so far
            guessed = (TaskProgressColumn(), counted, TimeRemainingColumn())
            columns: tuple[Any, ...] = (TextColumn("{task.description}"), BarColumn(), *guessed)
        elif self._total is None:  # how far is not known: how many so far, and for how long
            columns = (TextColumn("{task.description}"), BarColumn(), counted, TimeElapsedColumn())
        else:
            columns = Progress.get_default_columns()
        # Redrawn once a second, not rich's ten: each redraw is a line a screen reader may read out.
        self._bar = Progress(*columns, transient=True, console=console, refresh_per_second=REFRESH_PER_SECOND)
        self._task = self._bar.add_task(self._what, total=self._total)
        self._bar.start()
        _LIVE.append(self)

    def counting(
        self, items: Iterable[T], count: Callable[[], int], expected: int | None = None
    ) -> Iterator[T]:
        """``items``, the bar moved to ``count()`` after each (the rows a contacts reader has read,
        rejected ones too); ended when they run out, so that what is printed next has the terminal.

        ``expected``: about how many there will be (:func:`rows_expected`), for a bar of no known
        total: it then shows how far it is and how long is left, not only a count (check took
        7.5 minutes over 150,000 rows with no end in sight); it ends when ``items`` do, wherever
        the guess put that.
        """
        if expected is not None and self._total is None and self._bar is None and expected >= self._least:
            self._total, self._estimated = expected, True
        try:
            for item in items:
                self(count() - self._done)
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """End the bar (it leaves nothing on the terminal); later ticks do nothing."""
        self._closed = True
        if self in _LIVE:
            _LIVE.remove(self)
        if self._bar is not None:
            self._bar.stop()


def rows_expected(contacts: ContactsSource) -> int | None:
    """About how many rows a CSV contacts file holds: its line breaks, a megabyte at a time.

    A progress bar's total (:meth:`ProgressBar.counting`), read before the rows are: 30 MB
    (150,000 rows) in a few hundredths of a second, nothing parsed. Over by the header and
    any title rows, and by each line break inside a quoted cell, so the bar may end short of
    100%; a file of CR line ends (old Mac exports) is counted by those. None for a source
    that is no CSV file (SQL, a workbook), no regular file or one that cannot be read: the
    count alone then.
    """
    if contacts.source != "csv" or contacts.path is None:
        return None
    breaks = returns = 0
    try:
        if not stat.S_ISREG(os.stat(contacts.path).st_mode):  # a pipe would block, /dev/zero never end
            return None
        with open(contacts.path, "rb") as fh:
            while block := fh.read(1 << 20):
                breaks += block.count(b"\n")
                returns += block.count(b"\r")
    except OSError:
        return None
    return breaks or returns or None


#: The bars on the terminal now (:func:`stop_bars` ends them).
_LIVE: list[ProgressBar] = []


def stop_bars() -> None:
    """End every bar still on the terminal, before a command's last words are printed.

    Why: a bar ends when its work is done, but work cut short — Ctrl-C, a stop
    signal, an error — left it live: ``send --once`` printed its summary while
    the bar redrew itself after it (``sending ━━━╺━ 46%^C2026-12-01 12:00 MSK:
    due 134; …`` then the bar again), and ``interrupted`` came glued to a bar
    too. The summary (:func:`print_report`) and the CLI's error and interrupt
    messages call this first; it also runs at exit.
    """
    for bar in list(_LIVE):
        bar.close()


atexit.register(stop_bars)  # also when the work ends short and nothing printed after it


def progress_wanted(environ: Mapping[str, str]) -> bool:
    """Whether a terminal is to have progress bars (pure): not with ``GREETER_NO_PROGRESS`` set to
    anything but "" (as ``NO_COLOR`` is read), nor with ``TERM=dumb`` (or ``unknown``).

    Why: a screen reader announces each redraw of a bar ("planning and rendering letters 21%
    226 rows", over and over), and a dumb terminal (an Emacs shell, a screen reader's) prints
    each as a new line. One variable, set once in a shell's profile, turns them off for every
    command, as ``NO_COLOR`` turns off colour; nothing else changes (docs/commands.md).
    """
    return not environ.get("GREETER_NO_PROGRESS") and not dumb_terminal(environ)


def progress_factory(what: str = "sending", unit: str = "") -> ProgressStart | None:
    """A progress bar on a terminal for large pieces of work; nothing when stderr goes to a log
    or :func:`progress_wanted` says none.

    ``what``: the bar's words (``sending``, ``checking contacts``); ``unit``:
    what is counted when the total is not known (``rows``). Every command
    with a bar takes it from here, and none with ``--json``: a script reads it.
    """
    if sys.stderr is None or not sys.stderr.isatty() or not progress_wanted(os.environ):  # None: `2>&-`
        return None

    def start(total: int | None, _done: int) -> ProgressBar:
        return ProgressBar(what, total, 50, unit)

    return start
