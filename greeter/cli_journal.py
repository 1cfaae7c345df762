"""CLI commands of the journal's operator: ``history``, ``suppress``, ``unsuppress`` and ``uncertain``.

Kept apart from :mod:`greeter.cli` so each module stays small; importing
this module registers the commands on the ``greeter`` group.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_option,
    _open_journal,
    check_occasion,
    config_day,
    handles_errors,
    main,
    parse_day,
    parse_now,
)
from greeter.errors import EXIT_PROBLEMS, JournalLockedError

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore


@main.command(context_settings=CONTEXT)
@_config_option
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact.")
@click.option("--email", metavar="ADDRESS", help="Only greetings to this address (any case).")
@click.option("--occasion", metavar="NAME", help="Only this occasion.")
@click.option(
    "--state",
    "state_filter",
    type=click.Choice(["claimed", "sent", "retry", "failed", "uncertain", "skipped", "expired", "dismissed"]),
    help="Only greetings in this state (dismissed: the skipped ones an operator dismissed).",
)
@click.option("--since", metavar="DATE", help="Occasion date from (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Occasion date until (YYYY-MM-DD).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.pass_obj
@handles_errors
def history(
    state: State,
    contact_id: str | None,
    email: str | None,
    occasion: str | None,
    state_filter: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
) -> None:
    """The journal: every greeting sent, retried, failed, skipped or uncertain.

    The client history the sales books ask for — who was greeted, for what,
    when, and what the mail server answered. A manager who knows the client
    by address rather than by CRM id filters with --email.

    With --contact, the greetings sent to that contact's current address
    (as the contacts source gives it) under other ids are shown too, marked
    "as contact OLD" (JSON/CSV: current_contact_id): a CRM that renumbered a
    client keeps its history, as the planner does.

    A greeting a crashed sender left between claim and the server's reply is
    shown (and found by --state) as uncertain, "interrupted…": the next send
    or run records it so. Reads a journal it may not write (a read-only
    mount) and changes nothing; without a journal it says so (exit 2) and
    makes none.

    \b
    Examples:
      greeter history --contact 1001
      greeter history --email ivan@example.com --format json
      greeter history --state uncertain
    """
    from greeter.history_view import print_history, read_history, with_former_ids
    from greeter.runtime import load_inputs

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first is not None and last is not None and first > last:
        raise click.UsageError(f"--since {first} is after --until {last}: no day is in that range")
    inputs = load_inputs(state.config, today=config_day(None))
    settings = inputs.settings
    journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), readonly_ok=True)
    try:
        entries = read_history(
            journal,
            contact_id=contact_id,
            occasion=occasion,
            state=state_filter,
            since=first,
            until=last,
            email=email,
        )
        address = None
        if contact_id and not email:  # a CRM that renumbered the client: its rows under former ids too
            filters: dict[str, Any] = {"occasion": occasion, "since": first, "until": last}
            entries, address = with_former_ids(
                journal, inputs, contact_id, entries, state=state_filter, **filters
            )
        if not entries:  # a typo, or an occasion nobody was greeted for yet?
            check_occasion(occasion, settings, journal)
    finally:
        journal.close()
    print_history(entries, fmt, asked=contact_id if address else None)
    if not entries and fmt == "table":
        given = [f"--{name} {value}" for name, value in (("contact", contact_id), ("email", email)) if value]
        if given:  # an empty table says nothing of why: a mistyped id, or nobody greeted yet
            to = f" nor for its address {address} under another id" if address else ""
            click.echo(f"the journal has no greeting for {' '.join(given)}{to} (yet)", err=True)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("emails", nargs=-1)
@click.option(
    "--from-csv",
    "csv_file",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Also read addresses from this CSV export (the e-mail column found by its header).",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why (kept in the journal) [default: manual; a file's lines: their Причина/Reason column "
    "where filled in, else 'imported from FILE'].",
)
@click.option("--list", "show", is_flag=True, help="Show the do-not-contact list instead of adding to it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    help="With --list: table, json or csv [default: table].",
)
@click.pass_obj
@handles_errors
def suppress(
    state: State,
    emails: tuple[str, ...],
    csv_file: Path | None,
    reason: str | None,
    show: bool,
    fmt: str | None,
) -> None:
    """Put addresses on the do-not-contact list; they are never greeted again.

    Every address is checked as contact e-mails are and compared without
    regard to case. --from-csv reads a CRM's export as the contacts are read
    (UTF-8 with or without BOM or Windows-1251, fields separated by
    semicolons, commas, tabs or |) and takes the column headed Email, E-mail,
    Почта, Электронная почта or Адрес электронной почты (or the contacts'
    columns.email), or one address per line from a file without a header. A
    report's title above the header row is skipped with a warning, as for the
    contacts. A Причина/Reason column, where filled in, is kept as that
    address's reason.

    An invalid address (an argument or a line of the file) is reported as
    `argument N: …` or `FILE:row N: column: …` and not stored; the others
    are. Exit 0 if every address was good, 1 if some were rejected, 2 if the
    file cannot be read at all (nothing is stored then).

    \b
    Examples:
      greeter suppress ivan@example.com anna@example.com --reason "asked by phone"
      greeter suppress --from-csv dnc.csv
      greeter suppress --list
      greeter suppress --list --format csv > do-not-contact.csv
    """
    from greeter.config_loader import load_settings
    from greeter.suppression import Intake, from_arguments, from_file, print_list, store

    if show:
        if emails or csv_file:
            raise click.UsageError("--list shows the list; give addresses or --from-csv without it")
        settings = load_settings(state.config, today=config_day(None))
        journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), readonly_ok=True)
        try:
            entries = journal.suppression_list()
        finally:
            journal.close()
        print_list(entries, fmt or "table")
        return
    if fmt:
        raise click.UsageError("--format goes with --list")
    if not emails and not csv_file:
        raise click.UsageError("give at least one address, --from-csv FILE or --list")
    settings = load_settings(state.config, today=config_day(None))
    intake = Intake()
    from_arguments(emails, intake, reason or "manual")
    if csv_file:
        from_file(
            csv_file,
            intake,
            reason or f"imported from {csv_file.name}",
            configured=settings.contacts.columns.email,
        )
    for problem in intake.problems:
        click.echo(str(problem), err=True)
    rows = list(intake.addresses.values())
    added = 0
    if rows:
        moment = datetime.now(ZoneInfo("UTC"))
        journal = _open_journal(settings.storage.url, moment)
        try:
            added = store(journal, rows, moment)
        finally:
            journal.close()
    rejected = sum(p.severity == "error" for p in intake.problems)  # a title skipped is a warning
    tail = f"; {rejected} rejected (see above)" if rejected else ""
    click.echo(f"suppressed {added} new address(es); {len(rows) - added} already on the list{tail}")
    sys.exit(EXIT_PROBLEMS if rejected else 0)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("emails", nargs=-1, required=True)
@click.pass_obj
@handles_errors
def unsuppress(state: State, emails: tuple[str, ...]) -> None:
    """Take addresses off the do-not-contact list.

    Each address that is not on the list (a typo: the one meant is named if
    the list has a close one) or is not an e-mail address is reported as
    `argument N: …`; the others are removed. An argument is read as `suppress`
    reads it: `Name <addr>`, or two addresses at once, each with a warning.
    Exit 0 if every address was removed, 1 if some were not.
    """
    from greeter.config_loader import load_settings
    from greeter.suppression import remove

    settings = load_settings(state.config, today=config_day(None))
    journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), existing=True)
    try:
        n, problems = remove(journal, emails)
    finally:
        journal.close()
    for problem in problems:
        click.echo(str(problem), err=True)
    refused = sum(p.severity == "error" for p in problems)  # a name with the address is a warning
    tail = f"; {refused} not removed (see above)" if refused else ""
    click.echo(f"removed {n} address(es) from the do-not-contact list{tail}")
    sys.exit(EXIT_PROBLEMS if refused else 0)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("action", type=click.Choice(["resend", "dismiss"]))
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact's uncertain greetings.")
@click.option("--occasion", metavar="NAME", help="Only this occasion's.")
@click.option("--date", "occasion_date", metavar="DATE", help="Only this occasion date (YYYY-MM-DD).")
@click.option("--all", "every", is_flag=True, help="Every uncertain greeting (the filters above narrow it).")
@_now_option
@click.pass_obj
@handles_errors
def uncertain(
    state: State,
    action: str,
    contact_id: str | None,
    occasion: str | None,
    occasion_date: str | None,
    every: bool,
    now: str | None,
) -> None:
    """Decide about `uncertain` greetings: resend them, or dismiss them for good.

    A greeting is uncertain when the connection broke after the message was
    handed over: the client may or may not have it. greeter never guesses;
    check the mail server's log, then resend (it goes out with the next send,
    with the same Message-ID) or dismiss. A server lost mid-batch leaves up to
    `pool_size` of them: `--all` decides them together. Each one decided is
    printed; exit 1 if none matched.

    \b
    Examples:
      greeter history --state uncertain
      greeter uncertain resend --contact 1001 --occasion birthday --date 2027-01-07
      greeter uncertain dismiss --all --date 2027-01-07
    """
    from greeter.config_loader import load_settings

    if not (contact_id or occasion or occasion_date or every):
        raise click.UsageError("say which: --contact, --occasion and/or --date, or --all")
    settings = load_settings(state.config, today=config_day(now))
    moment = parse_now(now, settings.defaults.timezone)  # a rehearsal's resend is due at its clock
    day = parse_day(occasion_date, "--date")
    journal = _open_journal(settings.storage.url, moment, existing=True)
    try:
        _record_interrupted(journal, moment)
        chosen = journal.history(
            contact_id=contact_id, occasion=occasion, state="uncertain", since=day, until=day
        )
        if not chosen:
            check_occasion(occasion, settings, journal)
        for entry in chosen:
            (journal.resend if action == "resend" else journal.dismiss)(entry.key, moment)
            name = f"{entry.contact_id} {entry.occasion} {entry.occasion_date}"
            # The do-not-contact list outranks the operator's resend: never sent, recorded as skipped.
            if action == "resend" and entry.email and journal.skip_suppressed(entry.key, entry.email, moment):
                click.echo(f"skipped: {name} ({entry.email} is on the do-not-contact list, so not resent)")
                continue
            click.echo(f"{action}: {name}")
    finally:
        journal.close()
    if not chosen:
        click.echo("no uncertain greeting matches (see greeter history --state uncertain)", err=True)
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
