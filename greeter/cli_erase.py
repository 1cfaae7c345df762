"""``greeter forget`` and ``greeter purge``: the two commands that delete journal rows.

Split from :mod:`greeter.cli_journal` (history and the do-not-contact list), which
reads the journal; these erase from it, and both empty its write-ahead log after
(:func:`_checkpoint`), so the deleted rows do not linger in the ``-wal`` file.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_option,
    _now_writing_option,
    handles_errors,
    main,
    quiet_done_option,
)
from greeter.cli_values import config_day, parse_now, who
from greeter.errors import EXIT_PROBLEMS, EXIT_TEMPFAIL, EXIT_USAGE, GreeterError
from greeter.own_journal import Use, open_own_journal, peek_own_journal
from greeter.retention import MOST_RETENTION_DAYS

if TYPE_CHECKING:
    from pathlib import Path

    from greeter.config import Settings
    from greeter.journal_store import JournalStore
    from greeter.retention import Purge


def _checkpoint(journal: JournalStore, what: str) -> None:
    """Empty the journal's write-ahead log after deleting ``what``; say so when it cannot be now.

    A running daemon keeps the journal open, so no close of the last connection
    empties the ``-wal`` for it: without this the deleted rows stayed readable
    there (``strings -a journal.sqlite3-wal``) until the daemon stopped.
    """
    problem = journal.checkpoint()
    if problem is not None:
        click.echo(
            f"{what} could not be moved out of the journal's write-ahead log (its -wal file) now: {problem};"
            " they leave it at the next checkpoint — a running greeter's, after its current run — or when"
            " the last greeter using the journal stops",
            err=True,
        )


def _renote(journal: JournalStore) -> None:
    """The journal's note of its newest sent letter rewritten after an erasure (:mod:`greeter.journal_mark`).

    ``forget`` or ``purge`` may have deleted the letter the note names: left as it
    was, the next send would take the journal for one put back from an older copy.
    """
    from greeter.journal_mark import remember_newest_sent

    if (said := remember_newest_sent(journal)) is not None:
        click.echo(f"warning: {said}", err=True)


def _erasure_journal(
    settings: Settings, config: Path, moment: datetime, *, dry_run: bool
) -> JournalStore | None:
    """The journal ``forget`` erases from, this project's only: made if there is none yet, as
    ``suppress`` makes it.

    An erasure that comes before greeter's first send (a CRM sync forwarding it)
    has nothing to delete, but its address must still go on the do-not-contact
    list, or the first send greets the person. A dry run makes nothing: None
    when there is no journal yet (nothing to erase; the address would be listed).
    """
    if dry_run:
        return peek_own_journal(settings, config, moment)
    return open_own_journal(settings, config, moment, Use.WRITE)


@main.command(context_settings=CONTEXT, short_help="Erase what greeter keeps about addresses.")
@_config_option
@click.argument("emails", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Erase without asking (needed where no terminal can ask).")
@click.option("--dry-run", is_flag=True, help="List what would be erased; change nothing.")
@click.option(
    "--by", default=None, metavar="NAME", help="Who erases (kept with its events) [default: $USER]."
)
@_now_writing_option("The erasure is recorded (its list entry and events dated) at that moment")
@click.pass_obj
@handles_errors
def forget(
    state: State, emails: tuple[str, ...], yes: bool, dry_run: bool, by: str | None, now: str | None
) -> None:
    """Answer an erasure request: erase what greeter keeps about these addresses.

    For each address, in one transaction: its greetings leave the journal
    (every row sent to it, and every row of the same contact ids — those it
    was greeted under and those the contacts source gives it now — whatever
    address a row names: a greeting to the client's former address is
    theirs too, and is shown with that address; the letter bytes kept for
    retries go with them), the review approvals of those contact ids go
    (a draft approved and not sent yet too), and the address goes on the do-not-contact list
    with the reason "erasure request" and today's date (an entry already
    there keeps its date, the older evidence, but its reason — free text that
    may name the person — becomes "erased on DATE: the address stays on the
    do-not-contact list"). The journal's write-ahead log is emptied after
    (said on stderr when a reader holds it: a running daemon empties it
    after its run). The bare address stays
    on that list on purpose — the legal basis is the need to honour the
    objection: without it the next export from the CRM would greet the
    person again. With `delivery.transport: file` the outbox's .eml files of
    those greetings are deleted too (found by each greeting's name, never by
    a pattern). Each address's rows and files are printed. Before greeter's
    first send (no journal yet) there is nothing to erase, and forget makes
    the journal, as suppress does, to list the address in it.

    An address is read as `suppress` reads it (`Name <addr>`, two at once,
    each with a warning). One with a greeting a running sender holds right
    now (claimed) is refused in one line, nothing erased for it: run forget
    again once that send has finished. greeter cannot erase the CRM export
    itself, what the operator's log system kept of its logs, letters already
    delivered, nor backups: it says so after each run.

    It asks before erasing; where no terminal can ask (cron, a script) it
    needs --yes. The erasure is kept as dated opt-out events naming --by
    (default: the login name): `suppress --list --all` shows them. --now dates
    it as a rehearsal's clock would (the entry's date, the events, the day in
    "erased on DATE").

    \b
    Exit codes:
      0   every address was erased
      1   an argument was not an address, an outbox file could not be
          deleted, or the answer to its question was no
      2   an address was refused (a send running), --yes is missing where
          no terminal can ask, or a usage or config error
      75  the journal cannot be written or reached now

    \b
    Examples:
      greeter forget ivan@example.com --dry-run
      greeter forget ivan@example.com
      greeter forget ivan@example.com anna@example.com --yes
      greeter suppress --list ivan@example.com     # an access request
      greeter history --email ivan@example.com
    """
    from greeter.contacts import email_key
    from greeter.erasure import (
        CANNOT_ERASE,
        address_book,
        contact_ids_of,
        describe,
        outbox_files,
        remove_files,
    )
    from greeter.erasure_records import ERASURE_REASON, nothing_journaled
    from greeter.errors import ClaimedNowError
    from greeter.runtime import load_inputs
    from greeter.suppression import Intake, from_arguments

    intake = Intake()
    from_arguments(emails, intake, ERASURE_REASON, refused="nothing erased", each="each is erased")
    for problem in intake.problems:
        click.echo(str(problem), err=True)
    rejected = sum(p.severity == "error" for p in intake.problems)
    addresses = [address for address, _, _ in intake.addresses.values()]
    if not addresses:
        click.echo("nothing erased: no argument is an e-mail address", err=True)
        sys.exit(EXIT_PROBLEMS)
    if not (dry_run or yes or (sys.stdin is not None and sys.stdin.isatty())):  # None: `<&-`
        click.echo(
            "forget erases for good and asks first, but there is no terminal to ask on: add --yes"
            " (see what would go with --dry-run)",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    inputs = load_inputs(state.config, today=config_day(now))
    settings = inputs.settings
    book, unread = address_book(inputs)  # a draft approved, not sent: only the CRM knows its id
    held = contact_ids_of(book or (), addresses)
    if unread:
        click.echo(unread, err=True)
    outbox = settings.delivery.outbox if settings.delivery.transport == "file" else None
    moment = parse_now(now, settings.defaults.timezone)
    day = moment.astimezone(UTC).date()  # the erasure's, as a kept entry's reason says it (UTC, as "since")
    by = who(by)
    journal = _erasure_journal(settings, inputs.config_file, moment, dry_run=dry_run)
    refused = failed = 0
    erased = False
    try:
        plans = [
            nothing_journaled(address, held[email_key(address)])
            if journal is None
            else journal.erasure(address, held[email_key(address)])
            for address in addresses
        ]
        for plan in plans:
            if plan.claimed:
                click.echo(str(ClaimedNowError(plan.email, plan.claimed)), err=True)
                refused += 1
            elif dry_run or not yes:
                files = outbox_files(plan.greetings, outbox, plan.email)
                current = None if book is None else contact_ids_of(book, (a for _, a in plan.former))
                click.echo("\n".join(describe(plan, files, done=False, on=day, current=current)))
        asking = not dry_run and not yes and len(plans) > refused
        if asking and not click.confirm("Erase this for good?", err=True):
            click.echo("nothing erased", err=True)
            sys.exit(EXIT_PROBLEMS)
        for plan in [] if dry_run or journal is None else plans:
            if plan.claimed:
                continue
            assert journal is not None  # only a dry run has none
            try:
                done = journal.forget(plan.email, moment, held[plan.email], by=by)
            except ClaimedNowError as exc:  # a sender claimed one since it was read
                click.echo(str(exc), err=True)
                refused += 1
                continue
            removed, problems = remove_files(outbox_files(done.greetings, outbox, done.email))
            current = None if book is None else contact_ids_of(book, (a for _, a in done.former))
            click.echo("\n".join(describe(done, removed, done=True, on=day, current=current)))
            for line in problems:
                click.echo(line, err=True)
            failed += len(problems)
            erased = True
        if erased and journal is not None:
            _checkpoint(journal, "the erased rows")
            _renote(journal)
    finally:
        if journal is not None:
            journal.close()
    click.echo(CANNOT_ERASE)
    sys.exit(EXIT_USAGE if refused else EXIT_PROBLEMS if rejected or failed else 0)


@main.command(context_settings=CONTEXT, short_help="Delete finished greetings past retention.")
@_config_option
@click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(min=1, max=MOST_RETENTION_DAYS),
    metavar="DAYS",
    help="Retention in days for this run (default: storage.retention_days).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@functools.partial(
    _now_option,
    effect="The purge is as of it: an earlier one keeps more; a moment after the real clock is refused:"
    " it would delete rows the real clock still needs.",
)
@quiet_done_option
@click.pass_obj
@handles_errors
def purge(
    state: State, older_than: int | None, dry_run: bool, as_json: bool, quiet: bool, now: str | None
) -> None:
    """Delete the journal's finished greetings older than the retention (storage limitation).

    A greeting row goes when it is finished (sent, failed, skipped, expired —
    dismissed ones included) and its occasion day, its send day and its last
    change all lie more than DAYS days back, in the default time zone; the
    review approvals of occasions that old go with it. Kept, however old:
    the do-not-contact list (forgetting an opt-out would greet the person
    again), `uncertain` greetings, which wait for an operator's decision
    (`greeter uncertain resend|dismiss`), and `retry` ones, which the next
    send retries or records expired; both are counted.

    DAYS is --older-than, else `storage.retention_days` (at most 36500); it
    may not be shorter than the frequency cap's window plus the farthest a
    letter can go from its occasion's day (500 days with the default cap),
    or the cap and "never twice" would lose the letters they count.
    `greeter run` purges by itself on its first run of each day when
    `storage.retention_days` is set; with `send --once` from cron, add a
    daily `greeter purge`. The outbox's .eml files are not touched (they are
    its reader's; `greeter forget` finds an address's letters there all the
    same).

    \b
    Exit codes:
      0   done
      2   no retention is set or it is too short, --now is after the real
          clock, or the journal is missing or read-only (a dry run reads a
          read-only one)
      75  the journal cannot be reached now

    \b
    Examples:
      greeter purge --dry-run
      greeter purge --older-than 730
      greeter purge --json
    """
    if quiet and (as_json or dry_run):
        raise click.UsageError(
            f"--quiet is for a real purge's text lines; drop it or {'--json' if as_json else '--dry-run'}"
        )
    try:
        settings, days, done = _purged(state, older_than, dry_run, now)
    except GreeterError as exc:
        # `purge --json | jq` gets its record whatever stopped it, as send --json and check --json do.
        if as_json and exc.exit_code in (EXIT_USAGE, EXIT_TEMPFAIL):
            usage = exc.exit_code == EXIT_USAGE
            click.echo(
                _purge_json(
                    dry_run,
                    config_error=exc.hint() if usage else None,
                    journal_unavailable=None if usage else exc.hint(),
                )
            )
        raise
    if as_json:
        click.echo(_purge_json(dry_run, done=done, days=days))
        return
    if quiet:
        return
    verb = "would delete" if dry_run else "deleted"
    click.echo(
        f"{verb} {done.greetings} finished greeting(s) and {done.approvals} approval(s) whose occasion,"
        f" send day and last change are all before {done.before.isoformat()} (retention {days} days);"
        " the do-not-contact list is kept"
    )
    if done.kept.get("uncertain"):
        click.echo(
            f"kept {done.kept['uncertain']} uncertain greeting(s) as old: decide them"
            " (greeter history --state uncertain; greeter uncertain resend|dismiss)"
        )
    if done.kept.get("retry"):
        click.echo(
            f"kept {done.kept['retry']} retry greeting(s) as old: the next send retries or expires them"
        )
    if settings.delivery.transport == "file":
        click.echo(
            f"the outbox's letters are not touched: {settings.delivery.outbox} is its reader's to empty"
        )


class _PurgeRefused(GreeterError):
    """A retention ``purge`` will not purge with (none, too short) or a ``--now`` after the clock."""

    exit_code = EXIT_USAGE


def _purged(
    state: State, older_than: int | None, dry_run: bool, now: str | None
) -> tuple[Settings, int, Purge]:
    """``purge``'s work: the settings, the retention in days and what was (or would be) deleted."""
    from greeter.config_loader import load_settings
    from greeter.planner import LONGEST_DAYS_OFF
    from greeter.retention import retention_cutoff, retention_problem

    settings = load_settings(state.config, today=config_day(now))
    days = older_than if older_than is not None else settings.storage.retention_days
    if days is None:
        raise _PurgeRefused(
            "nothing purged: no retention is set; give --older-than DAYS or set storage.retention_days"
        )
    cap = settings.frequency_cap
    problem = retention_problem(days, cap.window_days, cap.min_gap_days, LONGEST_DAYS_OFF)
    if problem is not None:
        raise _PurgeRefused(f"nothing purged: {problem}")
    real = datetime.now(UTC)
    moment = parse_now(now, settings.defaults.timezone)
    if now is not None and moment > real:
        raise _PurgeRefused(
            f"nothing purged: --now {now} is after the real clock ({real:%Y-%m-%d %H:%M} UTC); a purge"
            ' as of a later day would delete greetings the cap and "never twice" still need'
        )
    today = moment.astimezone(ZoneInfo(settings.defaults.timezone)).date()
    journal = open_own_journal(settings, state.config, moment, Use.READ if dry_run else Use.CHANGE)
    try:
        done = journal.purge(retention_cutoff(today, days), dry_run=dry_run)
        if not dry_run and done.greetings + done.approvals:
            _checkpoint(journal, "the purged rows")
            _renote(journal)
    finally:
        journal.close()
    return settings, days, done


def _purge_json(
    dry_run: bool,
    *,
    done: Purge | None = None,
    days: int | None = None,
    config_error: str | None = None,
    journal_unavailable: str | None = None,
) -> str:
    """``purge --json``: every key always there. A purge a config error (exit 2) or a journal that does
    not answer (75) stopped prints it too — nothing deleted, the reason in ``config_error`` or
    ``journal_unavailable`` — as ``send --json`` does: a ``| jq`` read an empty stdout."""
    record = {
        "before": done.before.isoformat() if done else None,
        "retention_days": days,
        "dry_run": dry_run,
        "greetings": done.greetings if done else 0,
        "approvals": done.approvals if done else 0,
        "kept": done.kept if done else {},
        "config_error": config_error,
        "journal_unavailable": journal_unavailable,
    }
    return json.dumps(record, ensure_ascii=False, indent=2)
