"""The do-not-contact list's CLI commands: ``suppress`` and ``unsuppress``.

Split from :mod:`greeter.cli_journal` (``history``) by pure moves, so each module stays under
the size limit; importing this module registers the commands on the ``greeter`` group.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
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
from greeter.cli_options import contact_option, json_option, out_option
from greeter.cli_values import Choice, config_day, parse_now, who
from greeter.errors import EXIT_PROBLEMS, EXIT_USAGE, Problem
from greeter.own_journal import Use, open_own_journal

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs


@main.command(context_settings=CONTEXT, short_help="Add to or show the do-not-contact list.")
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
    "--from-bounces",
    "bounces_path",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="Also read the relay's bounce reports (DSNs) from this Maildir, mbox, .eml file or folder of "
    ".eml files: each mailbox that does not exist (5.1.x) is suppressed, when the report is about a "
    "letter greeter sent it.",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why (kept in the journal) [default: manual; a file's lines: their Причина/Reason column "
    "where filled in, else 'imported from FILE'; a bounce: the server's reply and the report].",
)
@click.option(
    "--list",
    "show",
    is_flag=True,
    help="Show the do-not-contact list instead of adding to it: every address, then each person-level opt-out"
    " no address row carries (--contact's); with addresses, only their entries.",
)
@click.option(
    "--format",
    "fmt",
    type=Choice(["table", "json", "csv", "xlsx"]),
    help="With --list: table, json, csv or xlsx [default: table; with -o FILE.csv, .xlsx, .json or .txt, "
    "that one; xlsx only with -o].",
)
@json_option("With --list: the same as --format json.")
@out_option(
    "With --list: write to FILE instead of stdout ('-': stdout), replacing it, as history -o "
    "writes (.xlsx a workbook, .csv as Excel opens it, .json, .txt the table)."
)
@contact_option(
    "Opt this person out (repeatable)",
    " Bound by contact id, whatever address the CRM gives it; a row rejected for its e-mail too.",
    dest="contacts",
    multiple=True,
)
@click.option(
    "--force",
    is_flag=True,
    help="With --contact: bind an id no contact row and no greeting has (a client not exported yet).",
)
@click.option(
    "--address-only",
    is_flag=True,
    help="The addresses given are at fault, not the person (a mailbox gone, a mistyped address): list "
    "only them, and greet the same client at another address.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="With --list: every opt-out event instead (added and lifted, when, channel, reason, by whom), "
    "lifted ones too.",
)
@click.option("--by", default=None, metavar="NAME", help="Who opts them out (kept) [default: $USER].")
@_now_writing_option("The addresses go on the config's own list as listed at that moment")
@click.pass_obj
@handles_errors
def suppress(
    state: State,
    emails: tuple[str, ...],
    csv_file: Path | None,
    bounces_path: Path | None,
    reason: str | None,
    show: bool,
    fmt: str | None,
    out: Path | None,
    contacts: tuple[str, ...],
    force: bool,
    address_only: bool,
    show_all: bool,
    by: str | None,
    now: str | None,
) -> None:
    """Put addresses on the do-not-contact list; they are never greeted again.

    Every address is checked as contact e-mails are and compared without
    regard to case.

    An address given as an argument is the person's opt-out (a request by
    phone, a complaint, an unsubscribe mail to unsubscribe.mailto): the
    contacts holding it — greeted at it (the journal's letters), or listing
    it in their e-mail cell now (the contacts source) — are bound by their
    contact id too, and not greeted at any address the CRM gives them later
    (preview says so: "the client opted out on DATE from ADDRESS"); the
    daemon's one-click unsubscribe does the same. --address-only lists only
    the address (a mailbox that is gone is the address's fault, not the
    person's), as --from-bounces and --from-csv of a CRM's export do.

    --contact ID|NAME opts a person out as the manager knows the client — by
    CRM id, else by name, read as every --contact is (a name several
    contacts have lists them with their ids, exit 2) — with no address to
    give: the contact id is bound (a person-level opt-out, as an address's
    is), so it is greeted at no address, whatever the CRM gives it later;
    preview shows it skipped as suppressed. No address goes on the list (a
    mailbox shared with other clients still greets them). A row rejected
    for its e-mail is named by its id and bound all the same, so a CRM that
    mends the cell does not greet a client who said no; so is an id only
    the journal has (a client gone from the export). An id no row and no
    greeting has is refused with the closest ids (exit 2), unless --force
    (a client the CRM has not exported yet). --list shows each of these as a
    row of its own (below). unsuppress --contact lifts one.

    --from-csv reads a CRM's export as the contacts are read
    (UTF-8 with or without BOM or Windows-1251, fields separated by
    semicolons, commas, tabs or |) and takes the column headed Email, E-mail,
    Почта, Электронная почта or Адрес электронной почты (or the contacts'
    columns.email), or one address per line from a file without a header. A
    report's title above the header row is skipped with a warning, as for the
    contacts. A Причина/Reason column, where filled in, is kept as that
    address's reason, and a date column (created_at as --list exports it,
    Дата, Date, Дата отписки…: ISO 8601 or contacts.date_formats, with its
    time if it has one: 06.12.2026 17:11) as the date
    it went on the list — the opt-out's date is the evidence; a date that
    cannot be read (or lies ahead) is a warning and the import's time is kept.

    --from-bounces reads the delivery status notifications (RFC 3464) a
    relay mails back to the envelope sender when the recipient's server
    refuses a letter it had accepted, from a Maildir, an mbox, an .eml file
    or a folder of .eml files. A recipient the report says failed with a
    mailbox that does not exist (Status 5.1.x, as for a refusal greeter
    sees itself) goes on the list with the reason "bounced: <the server's
    reply> (report of <date>, Message-ID <…>; greeting <contact> <occasion>
    <date> when the journal has the letter)", dated as the report is. A
    policy, spam or sender-authentication refusal (5.7.x, DMARC's 5.7.26) is
    greeter's own problem, not the client's, and is only counted, as are
    delays (4.x.x); a message that is no bounce report (an autoreply) is
    skipped. A report that cannot be read is named with its file and why,
    and the rest go on; no message text is printed.

    A report is believed only about a letter greeter sent: the letter's
    Message-ID it returns (its header part, or one of greeter's quoted in
    its text) must be that of a greeting in the journal to the same address;
    a report that returns no Message-ID, only for an address the journal
    holds a letter sent (or uncertain) to. Anyone can mail the bounce
    mailbox, so any other report — an address greeter never wrote to, a
    foreign Message-ID — is not applied; stderr says "N report(s) not about
    greeter's letters: ignored (<addresses>)" and the exit code stays 0 for
    them, so a forged report does not fail a nightly run.

    --list --format csv starts a cell that a spreadsheet would run as a
    formula (=, +, -, @…) with ', as history's CSV does; --from-csv takes
    that ' off again, so a list moved to a new journal keeps each address.

    --list EMAIL… shows only those addresses' entries (why, since when: an
    access request's answer); an address not on the list is said so, exit 1.
    Each entry names the contact ids its opt-out binds (contact_ids in JSON
    and CSV). A person-level opt-out no address row carries — --contact's,
    or one whose reason or date is not its address's — is a row of its own
    after the addresses: email empty, contact_ids its id, opted_out_from the
    address it came from (empty: by id alone), its own reason and date.
    --from-csv of that CSV (its header: email, reason, created_at,
    contact_ids, opted_out_from) binds them all again, with each line's
    reason and date, so a list moved to a restored or new journal keeps every
    person's opt-out; so does --from-csv of the JSON list (-o FILE.json). Two
    rows for one contact id keep the earliest opt-out, with a warning naming
    the lines. --list EMAIL… shows no such rows. --list -o FILE
    writes the list as history -o writes the journal (.xlsx, a .csv Excel
    opens with created_at_utc as YYYY-MM-DD HH:MM:SS, .json, .txt).

    --list --all shows the record instead: every opt-out event, oldest
    first, lifted ones too — when greeter recorded it (UTC), added or lifted,
    the address and the contact ids it bound (one row per act), the channel
    (link, import, manual, erasure, bounce), the reason and --by (who;
    default: the login name). --list --all EMAIL… only those addresses'
    events. --list [--all] --contact ID|NAME only that client's: its own
    opt-out and its addresses' entries (and their events).

    An invalid address (an argument or a line of the file) is reported as
    `argument N: …` or `FILE:row N: column: …` and not stored; the others
    are.

    \b
    Exit codes:
      0   every address and report was good (or only not about greeter's
          letters)
      1   some were rejected (an invalid address, a report it cannot
          read), or --list EMAIL… named an address not on the list
      2   the file or mailbox cannot be read at all (nothing is stored
          then), a --contact no row and no greeting has (without --force)
          or that several contacts' name is, or a usage or config error
      75  the journal cannot be written or reached now

    \b
    Examples:
      greeter suppress ivan@example.com anna@example.com --reason "asked by phone"
      greeter suppress --from-csv dnc.csv
      greeter suppress --contact 1006 --reason "complained by phone"
      greeter suppress --contact "Смирнова Анна" --reason "asked by phone"
      greeter suppress --list
      greeter suppress --list --format csv > do-not-contact.csv
      greeter suppress --list -o do-not-contact.xlsx     # for Excel
      greeter suppress --list ivan@example.com
      greeter suppress --list --all --contact Егорова   # lifted ones too
      greeter suppress --list --json
      greeter suppress --from-csv do-not-contact.csv  # a new journal, dates kept
      greeter suppress --from-bounces /var/mail/bounces/Maildir
    """
    from greeter.bounces import Tally, Tied, take_in, tie_to_greetings
    from greeter.config_loader import load_settings
    from greeter.contacts import email_key
    from greeter.erasure import holders
    from greeter.runtime import load_inputs
    from greeter.suppression import PERSONS_UNREAD, Intake, from_arguments, from_file
    from greeter.suppression_edits import listed, store

    if show:
        if csv_file or bounces_path or reason or address_only or force or by:
            raise click.UsageError(
                "--list shows the list; give --from-csv, --from-bounces, --force, --reason,"
                " --by or --address-only without it"
            )
        if show_all:
            _show_events(state, emails, fmt, out, now, contacts)
            return
        from greeter.history_out import chosen_format
        from greeter.journal_project import journal_shown
        from greeter.own_files import check_out
        from greeter.suppress_out import bound_by_address, person_rows, show_list

        settings = load_settings(state.config, today=config_day(now))
        check_out("-o", out, state.config, settings)
        fmt = chosen_format(fmt, out)
        journal = open_own_journal(
            settings, state.config, parse_now(now, settings.defaults.timezone), Use.READ
        )
        try:
            entries = journal.suppression_list()
            persons = journal.opted_out_contacts()
            bindings = bound_by_address(persons)
            ids, keys = _clients(state, journal, contacts, now) if contacts else (set(), set())
        finally:
            journal.close()
        missing: list[Problem] = []
        if emails:  # an address's entries; a person's own opt-out is no address's
            entries, missing = listed(entries, emails)
        # The opt-outs the address rows do not carry (--contact's): rows of their own, so that a
        # list moved with --from-csv keeps every client who said no (not a note on stderr).
        own = [] if emails else person_rows(entries, persons)
        if contacts:  # the clients' addresses' entries, and their own opt-outs
            keys |= {persons[i].email for i in ids if i in persons}
            entries = [e for e in entries if e.email in keys]
            own = [o for o in own if o.contact_id in ids]
        for problem in missing:
            click.echo(str(problem), err=True)
        if entries or own or fmt != "table" or out is not None:
            show_list(entries, bindings, own, fmt, out, journal_shown(settings.storage.url))
        else:  # not an empty table under a title that wrapped: the answer in words
            empty = "the do-not-contact list is empty"
            none = "none of these is on the list" if emails else empty
            click.echo("not on the list now (--list --all: every opt-out event)" if contacts else none)
        sys.exit(EXIT_PROBLEMS if any(p.severity == "error" for p in missing) else 0)
    if fmt or out or show_all:
        shown = "--format and --json go" if fmt else "-o goes" if out else "--all goes"
        raise click.UsageError(f"{shown} with --list")
    by = who(by)
    if not emails and not csv_file and not bounces_path and not contacts:
        raise click.UsageError(
            "give at least one address, --contact ID|NAME, --from-csv FILE, --from-bounces PATH or --list"
        )
    if force and not contacts:
        raise click.UsageError("--force goes with --contact")
    if address_only and not (emails or csv_file or bounces_path):
        raise click.UsageError("--address-only lists the addresses given; --contact opts a person out")
    inputs = load_inputs(state.config, today=config_day(now))
    settings = inputs.settings
    # One moment for the whole import, its rows dated alike; a rehearsal's (--now) as history shows it.
    moment = parse_now(now, settings.defaults.timezone)
    if contacts:
        _suppress_contacts(inputs, state.config, contacts, reason or "manual", moment, force=force, by=by)
        if not emails and not csv_file and not bounces_path:
            return
    intake = Intake()
    from_arguments(emails, intake, reason or "manual", no_at=" (a contact? greeter suppress --contact {})")
    # Given by hand: the person's opt-out, bound to the contacts holding the address (not a file's lines).
    by_hand = [] if address_only else [address for address, _, _ in intake.addresses.values()]
    if csv_file:
        from_file(
            csv_file,
            intake,
            reason or f"imported from {csv_file.name}",
            configured=settings.contacts.columns.email_columns[0],
            date_formats=settings.contacts.date_formats,
            timezone=settings.defaults.timezone,
            now=moment,
        )
    tally = take_in(bounces_path, moment) if bounces_path else Tally()
    problems = [*intake.problems, *tally.problems]
    for problem in problems:
        click.echo(str(problem), err=True)
    added = bounced = listed_before = bound = 0
    tied = Tied()
    held: Mapping[str, frozenset[str]] = {}
    if by_hand:
        held, unread = holders(inputs, by_hand, unread_then=PERSONS_UNREAD)
        if unread:
            click.echo(unread, err=True)
    if intake.addresses or intake.persons or tally.bounces:  # persons: --list's own rows
        journal = open_own_journal(settings, state.config, moment, Use.WRITE)
        try:
            if by_hand:
                added, bound = journal.opt_out(by_hand, reason or "manual", moment, held, by=by)
            if tally.bounces:  # an address given and bounced keeps the operator's reason
                tied = tie_to_greetings(tally.bounces, lambda address: journal.history(email=address))
                found = tied.intake
                bounced, on_list = len(found.addresses), journal.suppressed()
                listed_before = len(found.addresses.keys() & on_list)
                for key, entry in found.addresses.items():
                    intake.addresses.setdefault(key, entry)
            mine = {email_key(a) for a in by_hand}
            listing = [v for k, v in intake.addresses.items() if k not in mine]
            # Given as arguments (--address-only) by hand, a report's address a bounce, a line an import.
            channels = {k: "bounce" for k in tied.intake.addresses}
            channels.update({email_key(a): "manual" for a in emails})
            stored, restored = store(journal, listing, moment, intake.persons, channels=channels, by=by)
            added, bound = added + stored, bound + restored
        finally:
            journal.close()
    ignored = tied.ignored_line()
    if ignored is not None:  # anyone can mail the bounce mailbox: said, not a failure of the run
        click.echo(ignored, err=True)
    rows = list(intake.addresses.values())
    if bounces_path:
        click.echo(
            f"{tally.reports} bounce report(s) read: {bounced} address(es) bounced for good"
            f" ({listed_before} already on the list), {tally.temporary} temporary,"
            f" {tally.refused} refused for other reasons (policy, spam, authentication: not suppressed),"
            f" {tally.skipped} message(s) not a bounce report"
        )
    rejected = sum(p.severity == "error" for p in problems)  # a title skipped is a warning
    tail = f"; {rejected} rejected (see above)" if rejected else ""
    if bound:
        tail = f"; {bound} contact id(s) opted out as persons (not greeted at any address){tail}"
    click.echo(f"suppressed {added} new address(es); {len(rows) - added} already on the list{tail}")
    sys.exit(EXIT_PROBLEMS if rejected else 0)


def _clients(
    state: State, journal: JournalStore, texts: Sequence[str], now: str | None
) -> tuple[set[str], set[str]]:
    """``suppress --list [--all] --contact``'s clients: their ids and address keys
    (:func:`~greeter.history_client.client_keys`), the contacts read for them only."""
    from greeter.history_client import client_keys
    from greeter.runtime import load_inputs

    return client_keys(load_inputs(state.config, today=config_day(now)), journal, texts)


def _show_events(
    state: State,
    emails: tuple[str, ...],
    fmt: str | None,
    out: Path | None,
    now: str | None,
    contacts: Sequence[str] = (),
) -> None:
    """``suppress --list --all``: every opt-out event (or ``emails``' own, or the ``contacts``'),
    oldest first, as --list shows the list (table, JSON, CSV, ``-o FILE``). An address with none is
    said on stderr, exit 1: "never opted out" must not read as an empty table that might be a typo."""
    from greeter.config_loader import load_settings
    from greeter.history_out import chosen_format
    from greeter.journal_project import journal_shown
    from greeter.own_files import check_out
    from greeter.suppress_out import events_of, show_events

    settings = load_settings(state.config, today=config_day(now))
    check_out("-o", out, state.config, settings)
    fmt = chosen_format(fmt, out)
    journal = open_own_journal(settings, state.config, parse_now(now, settings.defaults.timezone), Use.READ)
    try:
        found = journal.optout_events()
        ids, keys = _clients(state, journal, contacts, now) if contacts else (set(), set())
    finally:
        journal.close()
    found, missing = events_of(found, emails)
    if contacts:  # the clients' own events, and those of the addresses they have or opted out from
        keys |= {e.email for e in found if e.contact_id in ids}
        found = [e for e in found if e.contact_id in ids or (e.contact_id is None and e.email in keys)]
    for problem in missing:
        click.echo(str(problem), err=True)
    if found or fmt != "table" or out is not None:
        show_events(found, fmt, out, journal_shown(settings.storage.url))
    else:
        click.echo("none of these ever opted out" if emails or contacts else "no opt-out was ever recorded")
    sys.exit(EXIT_PROBLEMS if missing else 0)


def _suppress_contacts(
    inputs: Inputs,
    config: Path,
    texts: Iterable[str],
    reason: str,
    moment: datetime,
    *,
    force: bool,
    by: str | None,
) -> None:
    """``suppress --contact``: each person resolved (every one before anything is written: a name
    several contacts have, or an unknown id, stops the command with nothing bound and no journal
    made), then bound in one transaction (:mod:`greeter.suppress_person`)."""
    from greeter.own_journal import peek_own_journal
    from greeter.suppress_person import bound_words, named_person

    peek = peek_own_journal(inputs.settings, config, moment)  # None: no journal yet, none made
    try:
        found = [named_person(inputs, peek, text, force=force) for text in dict.fromkeys(texts)]
    finally:
        if peek is not None:
            peek.close()
    journal = open_own_journal(inputs.settings, config, moment, Use.WRITE)
    try:
        before = journal.opted_out_contacts()
        new = [n.opt_out(reason, moment) for n in found if n.contact_id not in before]
        journal.restore_opt_outs(new, channel="manual", by=by)
    finally:
        journal.close()
    for named in found:
        for note in named.notes:
            click.echo(note, err=True)
        click.echo(bound_words(named, before.get(named.contact_id)))


@main.command(context_settings=CONTEXT, short_help="Take addresses off the do-not-contact list.")
@_config_option
@click.argument("emails", nargs=-1)
@contact_option(
    "Lift this person's own opt-out (repeatable)",
    " Its address stays listed.",
    dest="contact_ids",
    multiple=True,
)
@click.option("--by", default=None, metavar="NAME", help="Who takes them off (kept) [default: $USER].")
@click.option("--reason", default="", metavar="TEXT", help="Why (kept with the event).")
@click.option(
    "--force",
    is_flag=True,
    help="Take off an address or contact an erasure request (greeter forget) listed; its record stays.",
)
@_now_writing_option("The addresses are taken off the config's own list at that moment")
@click.pass_obj
@handles_errors
def unsuppress(
    state: State,
    emails: tuple[str, ...],
    contact_ids: tuple[str, ...],
    by: str | None,
    reason: str,
    force: bool,
    now: str | None,
) -> None:
    """Take addresses off the do-not-contact list.

    Each address that is not on the list (a misspelt domain: the same mailbox
    at the domain meant is named if it is listed) or is not an e-mail address
    is reported as `argument N: …`; the others are removed. An argument is
    read as `suppress` reads it: `Name <addr>`, or two addresses at once,
    each with a warning. Removing an address lifts the person-level opt-out
    made from it too (an unsubscribe binds the contacts greeted at it).
    --contact ID|NAME lifts only a contact's own opt-out, whatever address
    it came from (the client wants greetings again at the new address the
    CRM gives them), or the one `suppress --contact` made; the address it
    came from stays on the list. An id with an opt-out is taken as it is;
    anything else is read as every --contact is (an id, else a name).

    Each removal is kept as a dated opt-out event with --by (default: the
    login name) and --reason: `suppress --list --all` shows it after the
    opt-out it lifts. An address or contact an erasure request (`greeter
    forget`) listed is refused in one line, nothing removed, unless
    --force; the erasure's event stays on record either way.

    \b
    Exit codes:
      0   everything named was removed
      1   something was not (not on the list, or not an address)
      2   an address or contact an erasure request listed (without
          --force), no journal, or a usage or config error
      75  the journal cannot be written or reached now

    \b
    Examples:
      greeter unsuppress ivan@example.com --reason "asked to be greeted again"
      greeter unsuppress --contact 1001   # the person's own opt-out only
      greeter suppress --list --all ivan@example.com   # the record after it
    """
    from greeter.config_loader import load_settings
    from greeter.suppression_edits import erased_contacts, lift_contacts, remove

    if not emails and not contact_ids:
        raise click.UsageError("give at least one address or --contact ID|NAME")
    settings = load_settings(state.config, today=config_day(now))
    moment = parse_now(now, settings.defaults.timezone)
    by = who(by)
    journal = open_own_journal(settings, state.config, moment, Use.CHANGE)
    try:
        contact_ids = _opted_out_ids(state.config, journal, contact_ids, now)
        blocked = [] if force else erased_contacts(journal, contact_ids)
        n, problems = 0, list[Problem]()
        if emails and not blocked:
            n, problems, blocked = remove(journal, emails, moment, by=by, reason=reason, force=force)
        if blocked:  # nothing removed: an erasure's record goes only on purpose
            for problem in blocked:
                click.echo(str(problem), err=True)
            sys.exit(EXIT_USAGE)
        lifted, missing = lift_contacts(journal, contact_ids, moment, by=by, reason=reason)
    finally:
        journal.close()
    problems += missing
    for problem in problems:
        click.echo(str(problem), err=True)
    refused = sum(p.severity == "error" for p in problems)  # a name with the address is a warning
    tail = f"; {refused} not removed (see above)" if refused else ""
    for line in lifted:
        click.echo(line)
    if emails or not contact_ids:
        click.echo(f"removed {n} address(es) from the do-not-contact list{tail}")
    elif tail:
        click.echo(tail.removeprefix("; "))
    sys.exit(EXIT_PROBLEMS if refused else 0)


def _opted_out_ids(
    config: Path, journal: JournalStore, texts: tuple[str, ...], now: str | None
) -> tuple[str, ...]:
    """``unsuppress --contact``'s values as contact ids: one with an opt-out as it is (a client gone
    from the export is lifted without the contacts read); any other read as every --contact is
    (:func:`~greeter.cli_options.contact_by_name`, the contacts loaded only then)."""
    opted_out = journal.opted_out_contacts() if texts else {}
    if all(text in opted_out for text in texts):
        return texts
    from greeter.cli_options import contact_by_name
    from greeter.runtime import load_inputs

    inputs = load_inputs(config, today=config_day(now))
    return tuple(t if t in opted_out else contact_by_name(inputs, journal, t) or t for t in texts)
