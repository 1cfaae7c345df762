"""The operator's decisions about greetings a send could not settle: ``uncertain``, ``failed``.

An ``uncertain`` greeting may or may not have arrived (the connection broke
after the letter was handed over), a ``failed`` one was refused for good; the
journal never sends either again by itself. Both commands pick greetings the
same way (:func:`_decide_each`) and differ in what they do with each one.
Importing this module registers the commands on the ``greeter`` group.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_writing_option,
    handles_errors,
    main,
)
from greeter.cli_options import (
    check_occasion,
    contact_by_name,
    contact_option,
    occasion_by_title,
)
from greeter.cli_values import Choice, config_day, parse_day, parse_now, trimmed, who
from greeter.errors import EXIT_PROBLEMS, JournalLockedError
from greeter.own_journal import Use, open_own_journal

if TYPE_CHECKING:
    from greeter.decision_facts import Standing
    from greeter.journal_store import JournalEntry, JournalStore


#: The options that pick greetings, the same for every decision (applied in this order).
_FILTERS = (
    contact_option("Only this contact's greetings"),
    click.option("--occasion", metavar="NAME", callback=trimmed, help="Only this occasion's."),
    click.option(
        "--date", "occasion_date", metavar="DATE", help="Only this occasion date (YYYY-MM-DD or DD.MM.YYYY)."
    ),
    click.option("--all", "every", is_flag=True, help="Every such greeting (the filters above narrow it)."),
)

#: Who decides, the same for every decision: kept in the row's reason, named by history.
_by_option = click.option(
    "--by", default=None, metavar="NAME", help="Who decides (kept; history names them) [default: $USER]."
)


def _filters(function: Callable[..., None]) -> Callable[..., None]:
    """Add :data:`_FILTERS` to a command, shown in ``--help`` in their order."""
    for option in reversed(_FILTERS):
        function = option(function)
    return function


@main.command(context_settings=CONTEXT, short_help="Resend or dismiss uncertain greetings.")
@_config_option
@click.argument("action", type=Choice(["resend", "dismiss"]))
@_filters
@_by_option
@_now_writing_option(
    "The decision is recorded in the config's own journal as made at that moment (a resend is due from then)"
)
@click.pass_obj
@handles_errors
def uncertain(
    state: State,
    action: str,
    contact_id: str | None,
    occasion: str | None,
    occasion_date: str | None,
    every: bool,
    by: str | None,
    now: str | None,
) -> None:
    """Decide about `uncertain` greetings: resend them, or dismiss them for good.

    A greeting is uncertain when the connection broke after the message was
    handed over: the client may or may not have it. greeter never guesses;
    check the mail server's log, then resend (it goes out with the next send,
    with the same Message-ID) or dismiss. A server lost mid-batch leaves up to
    `pool_size` of them: `--all` decides them together. One past its catch-up
    period (`catch_up_days`) is not resent (it could only be recorded
    expired): it is kept, to be dismissed. Each decision is printed, and who
    made it is kept (--by, default: the login name, as suppress --by):
    history says "dismissed by ivan at …", "resend decided by ivan at …"
    (until the letter's next attempt).

    \b
    Exit codes:
      0   every greeting matched was decided
      1   none matched, or one was kept (past its catch-up period)
      2   usage or config error (an --occasion neither the config nor the
          journal has: the name meant is said; no journal at all)
      75  the journal cannot be written or reached now

    \b
    Examples:
      greeter history --state uncertain
      greeter uncertain resend --contact 1001 --occasion birthday \\
          --date 2027-01-07
      greeter uncertain dismiss --all --date 2027-01-07 --by ivan
    """
    operator = who(by)

    def decide(journal: JournalStore, entry: JournalEntry, moment: datetime, standing: Standing) -> str:
        name = _name(entry)
        if action == "resend" and (late := standing.too_late(entry)):
            return f"kept uncertain: {name}: {late}; it can only be dismissed now"
        if action == "resend":
            journal.resend(entry.key, moment, by=operator)
        else:
            journal.dismiss(entry.key, moment, by=operator)
        # The do-not-contact list outranks the operator's resend: never sent, recorded as skipped.
        if action == "resend" and entry.email and journal.skip_suppressed(entry.key, entry.email, moment):
            return f"skipped: {name} ({entry.email} is on the do-not-contact list, so not resent)"
        return f"{action}: {name}"

    _decide_each(state, "uncertain", (contact_id, occasion, occasion_date, every), now, decide)


@main.command(context_settings=CONTEXT, short_help="Put failed greetings back in line to resend.")
@_config_option
@click.argument("action", type=Choice(["resend"]))
@_filters
@_by_option
@_now_writing_option(
    "The decision is recorded in the config's own journal as made at that moment (due from then)"
)
@click.pass_obj
@handles_errors
def failed(
    state: State,
    action: str,
    contact_id: str | None,
    occasion: str | None,
    occasion_date: str | None,
    every: bool,
    by: str | None,
    now: str | None,
) -> None:
    """Put `failed` greetings back in line: the next send writes and sends them afresh.

    A greeting fails when the mail server refuses it for good (a 5xx reply:
    "rejected as spam", "message too big", "sender not allowed"). Once what
    made it refuse is fixed — a template, the sender address, the DKIM key,
    the client's address in the CRM — resend puts the greeting back: the next
    send plans it as if it were new (today's templates and contact data, the
    send window, the review gate, the frequency cap), carries again the
    occasions that rode in the failed letter, and sends it with the same
    Message-ID, to the address the contacts source gives the client now.
    Kept failed, saying why: one past its catch-up period (`catch_up_days`:
    it could only be recorded expired, never sent late), and one whose
    address is on the do-not-contact list (a 550 "no such user" puts it
    there: correct it in the contacts source, or `greeter unsuppress` it if
    it is right, then resend), and one whose contact the contacts source no
    longer has. Each decision is printed. Who decided is kept (--by, default:
    the login name, as suppress --by): history says "put back in line by
    ivan at …" until the letter's next attempt.

    \b
    Exit codes:
      0   every greeting matched was put back in line
      1   none matched, or one was kept failed (saying why)
      2   usage or config error
      75  the journal cannot be written or reached now

    \b
    Examples:
      greeter history --state failed
      greeter failed resend --contact 1001 --occasion birthday --date 2027-01-07
      greeter failed resend --all --date 2027-01-07 --by ivan
    """
    from greeter.contacts import email_key
    from greeter.journal_transitions import merged_rows

    operator = who(by)

    def decide(journal: JournalStore, entry: JournalEntry, moment: datetime, standing: Standing) -> str:
        name = _name(entry)
        if late := standing.too_late(entry):
            return f"kept failed: {name}: {late}"
        if standing.gone(entry):
            return f"kept failed: {name}: the contacts source has no contact {entry.contact_id} (any more)"
        address = standing.address(entry)
        if address and journal.is_suppressed(address):
            return (
                f"kept failed: {name}: {address} is on the do-not-contact list (correct the client's"
                " address in the contacts source, or greeter unsuppress it if it is right, then resend)"
            )
        riders = merged_rows(entry, journal.history(contact_id=entry.contact_id, state="skipped"))
        journal.requeue(entry.key, moment, merged=riders, by=operator)
        said = f"resend: {name}" + (f" (with {', '.join(o for _, o, _ in riders)})" if riders else "")
        if address and entry.email and email_key(address) != email_key(entry.email):
            said += f", to {address}: the client's address now (it failed to {entry.email})"
        return said

    _decide_each(state, "failed", (contact_id, occasion, occasion_date, every), now, decide)


#: How a decision's line starts when it left the greeting as it was.
KEPT = "kept "


def _name(entry: JournalEntry) -> str:
    return f"{entry.contact_id} {entry.occasion} {entry.occasion_date}"


def _decide_each(
    state: State,
    of_state: str,
    filters: tuple[str | None, str | None, str | None, bool],
    now: str | None,
    decide: Callable[[JournalStore, JournalEntry, datetime, Standing], str],
) -> None:
    """Apply ``decide`` to each greeting in ``of_state`` the filters pick, printing what it returns.

    Exit 1 when none matched (a typo in an id or a date must not read as done),
    or when one was kept as it was (:data:`KEPT`): it still needs an operator.
    """
    from greeter.decision_facts import Standing
    from greeter.runtime import load_inputs

    contact_id, occasion, occasion_date, every = filters
    if not (contact_id or occasion or occasion_date or every):
        raise click.UsageError("say which: --contact, --occasion and/or --date, or --all")
    inputs = load_inputs(state.config, today=config_day(now))
    settings = inputs.settings
    occasion = occasion_by_title(occasion, settings)  # «8 марта», as history's table shows it
    moment = parse_now(now, settings.defaults.timezone)  # a rehearsal's decision is due at its clock
    day = parse_day(occasion_date, "--date")
    journal = open_own_journal(settings, inputs.config_file, moment, Use.CHANGE)
    kept = 0
    try:
        _record_interrupted(journal, moment)
        contact_id = contact_by_name(inputs, journal, contact_id)  # a name, as history reads it
        chosen = journal.history(
            contact_id=contact_id, occasion=occasion, state=of_state, since=day, until=day
        )
        if not chosen:
            check_occasion(occasion, settings, journal, titles=True)
        standing = Standing(inputs, moment, chosen)
        for entry in chosen:
            said = decide(journal, entry, moment, standing)
            kept += said.startswith(KEPT)
            click.echo(said)
    finally:
        journal.close()
    if not chosen:
        click.echo(f"no {of_state} greeting matches (see greeter history --state {of_state})", err=True)
    if kept:
        click.echo(f"{kept} greeting(s) kept {of_state}: see why above", err=True)
    if kept or not chosen:
        sys.exit(EXIT_PROBLEMS)


def _record_interrupted(journal: JournalStore, now: datetime) -> None:
    """Record the claims a crashed sender left as ``uncertain`` — what history already shows them as.

    Only with the sender lock (SQLite) or role (PostgreSQL), as a send does at
    its start; a running sender already did it when it started, and its own
    claims are live, so a taken lock means there is nothing to do.
    """
    try:
        journal.lock_sender()
    except JournalLockedError:
        return
    recorded = journal.recover_stale_claims(now)
    if recorded:
        click.echo(f"recorded {recorded} interrupted claim(s) as uncertain", err=True)
