"""The journal operator's CLI commands: ``history``, ``(un)suppress``, ``forget``, ``purge``.

Kept apart from :mod:`greeter.cli` so each module stays small; importing
this module registers the commands on the ``greeter`` group.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_writing_option,
    handles_errors,
    main,
)
from greeter.cli_options import check_occasion, contact_option, json_option, occasion_by_title
from greeter.cli_values import Choice, config_day, parse_day, parse_now, trimmed, who
from greeter.errors import EXIT_PROBLEMS, EXIT_USAGE, Problem
from greeter.own_journal import Use, open_own_journal

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from greeter.contacts import Contact
    from greeter.journal_store import JournalEntry, JournalStore
    from greeter.runtime import Inputs


#: What ``history --state`` takes: every journal state, and ``dismissed``.
HISTORY_STATES = ("claimed", "sent", "retry", "failed", "uncertain", "skipped", "expired", "dismissed")


def _dash_is_stdout(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -``, ``-o /dev/stdout``: standard output, as ``calendar -o -`` means it — not a file named
    ``-``, nor a symbolic link refused (:func:`greeter.out_file.is_stdout`)."""
    from greeter.out_file import is_stdout

    return None if is_stdout(value) else value


_F = TypeVar("_F", bound=Callable[..., Any])


def _out_option(help_text: str) -> Callable[[_F], _F]:
    """``-o/--out/--output FILE`` as history and ``suppress --list`` take it (one writer, one option)."""
    return click.option(
        "-o",
        "--out",
        "--output",
        "out",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_dash_is_stdout,
        help=help_text,
    )


@main.command(context_settings=CONTEXT, short_help="Show the journal: what was sent, and how.")
@_config_option
@contact_option("Only this contact")
@click.option(
    "--email", metavar="ADDRESS", callback=trimmed, help="Only greetings to this address (any case)."
)
@click.option(
    "--occasion",
    metavar="NAME",
    callback=trimmed,
    help="Only this occasion: its name, or its title as the table shows it (any case).",
)
@click.option(
    "--state",
    "state_filter",
    # The journal's STATES and journal_store.DISMISSED, written out: importing them would cost
    # every command's start-up (tests/test_history_view.py keeps the two lists the same).
    type=Choice(HISTORY_STATES),
    help="Only greetings in this state (dismissed: the skipped ones an operator dismissed).",
)
@click.option(
    "--since",
    "--from",
    "since",
    metavar="DATE",
    help="First occasion date to show (YYYY-MM-DD or DD.MM.YYYY, inclusive; YYYY-MM: the month's first "
    "day): the day greeted, not the day the letter left.",
)
@click.option(
    "--until",
    metavar="DATE",
    help="Last occasion date to show (YYYY-MM-DD or DD.MM.YYYY, inclusive; YYYY-MM: the month's last day).",
)
@click.option(
    "--sent-since",
    metavar="DATE",
    help="First day the letter left, on defaults.timezone's clock (the forms --since takes, inclusive): "
    "the day sent, not the day greeted; a greeting never sent is left out.",
)
@click.option(
    "--sent-until",
    metavar="DATE",
    help="Last day the letter left, on defaults.timezone's clock (the forms --until takes, inclusive).",
)
@click.option(
    "--format",
    "fmt",
    type=Choice(["table", "text", "json", "csv", "xlsx"]),
    help="Output format [default: table; with -o FILE.csv, .xlsx, .json or .txt, that one; xlsx only "
    "with -o]. text: one 'field: value' line per field, a blank line between greetings (for a screen "
    "reader).",
)
@json_option("The same as --format json (as send takes it).")
@_out_option(
    "Write to FILE instead of stdout ('-': stdout), replacing it: .xlsx a workbook, .csv as Excel "
    "opens it (UTF-8 with BOM, ';', YYYY-MM-DD HH:MM:SS times), .json, .txt the table."
)
@click.option(
    "--limit",
    "--last",
    "limit",
    metavar="N",
    type=click.IntRange(min=1),
    help="Only the N latest greetings (by occasion date) of those matching: the listing's last N rows, "
    "oldest first as ever, the latest at the bottom (as tail shows a log).",
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
    sent_since: str | None,
    sent_until: str | None,
    fmt: str | None,
    out: Path | None,
    limit: int | None,
) -> None:
    """The journal: every greeting sent, retried, failed, skipped or uncertain.

    The client history the sales books ask for — who was greeted, for what,
    when, and what the mail server answered. A manager who knows the client
    by address rather than by CRM id filters with --email.

    With --contact, the greetings sent to that contact's current address
    (as the contacts source gives it) under other ids are shown too, marked
    "as contact OLD" (JSON/CSV: current_contact_id): a CRM that renumbered a
    client keeps its history, as the planner does. Without it, a row whose
    id the contacts no longer have is shown so as the contact that has its
    address now. With --contact or --email, a client greeter no longer
    writes to (the do-not-contact list, an erasure, the CRM's column) is
    said after the rows, on stderr; so is where a contact's greetings to
    its former addresses are. A --contact that is no id but a name (any
    order and case, ё as е, or a surname alone; failing whole words, the
    start of them: "Schm" for Schmidt, "Кузн" for Кузнецов) is that
    contact's; when several contacts have it, they are listed (exit 2).

    Each row's client (full name, company) is looked up in the contacts
    source (the journal keeps no names), the occasion shown by its title in
    the config, the time on the client's clock (its time zone, else
    defaults.timezone). JSON and CSV add name, company, occasion_title,
    timezone and when_local after their fields, then subject: the letter's
    subject as the client read it (the table's subject; "—" and null for
    a letter sent before the journal kept subjects, none for a greeting
    that rode in another occasion's letter). A source that cannot be read
    is said once on stderr; the journal is shown all the same.

    --since (or --from) and --until bound the occasion date, both days
    included: the day greeted, not the day the letter left (a 7 January
    birthday greeted on 30 December is in --since 2027-01-01). A date is
    2027-01-01 or 01.01.2027; 2026-11 is the whole month (--since: its
    first day, --until: its last). --occasion takes the title the table
    shows ("Christmas", "8 Марта") as well as the name.

    --sent-since and --sent-until bound the day the letter left (sent_at),
    both days included, on the clock of the config's defaults.timezone
    (Europe/Moscow: a letter that left at 00:30 on 1 December Moscow time
    is December's, though UTC says 30 November), in the dates --since
    takes: an auditor's "every letter sent in November" is --sent-since
    2026-11 --sent-until 2026-11. A greeting that never left (failed,
    skipped, expired, still waiting; one that rode in another occasion's
    letter: that letter's row says so in merged) has no sent_at and is left
    out when either is given. With --since/--until, both ranges apply.

    --limit N (or --last N) shows only the N latest greetings matching (by
    occasion date, the order of the listing): a whole journal of 50,000
    greetings is a 25 MB table. How many there are in all is said on stderr.

    -o FILE writes to FILE (the format from .xlsx/.csv/.json/.txt unless
    --format says; another suffix is refused), replacing it, but never
    greeter's own files (the config, contacts, journal, a template…) nor
    through a symbolic link (exit 2); -o - is stdout, as without -o.

    Its CSV is UTF-8 with a BOM and ';'-separated, as Excel (a Russian one
    too) opens it, its times YYYY-MM-DD HH:MM:SS (planned_at_utc, sent_at_utc,
    updated_at_utc in UTC; when_local on the client's clock; sent_day_local
    the day it was sent there); .xlsx is a workbook with those columns as
    date cells. --format csv on stdout stays comma-separated, no BOM, ISO
    8601. In either CSV a cell that a spreadsheet would run as a formula (one
    starting with =, +, -, @, a tab or a line break, not a number such as -5)
    starts with ' (OWASP's remedy for CSV injection), and the workbook keeps
    it a text cell; JSON keeps every value as is.

    A greeting a crashed sender left between claim and the server's reply is
    shown (and found by --state) as uncertain, "interrupted…": the next send
    or run records it so. Reads a journal it may not write (a read-only
    mount) and changes nothing; without a journal it says so (exit 2) and
    makes none.

    \b
    Exit codes:
      0   shown (no greeting matching is an empty answer, not an error)
      2   usage or config error: no journal, a --contact name several
          contacts have (they are listed), an --occasion neither the config
          nor the journal has, an -o FILE that is greeter's own, has a
          suffix it does not write or cannot be written
      75  the journal cannot be reached now, or -o's disk is full

    \b
    Examples:
      greeter history --contact 1001
      greeter history --email ivan@example.com --format json
      greeter history --state uncertain
      greeter history --since 2027-01-01 -o clients.xlsx  # for Excel
      greeter history --since 2027-01-01 -o clients.csv   # for Excel too
      greeter history --since 2026-11 --until 2026-11      # November
      greeter history --sent-since 2026-11 --sent-until 2026-11 # sent in November
      greeter history --format csv > history.csv          # for a script
    """
    from zoneinfo import ZoneInfo

    from greeter.history_client import by_name, client_notes, closest_contacts
    from greeter.history_out import chosen_format, show
    from greeter.history_people import look_up
    from greeter.history_view import Rereading, census, read_history, sent_between, with_former_ids
    from greeter.journal_project import journal_shown
    from greeter.own_files import check_out
    from greeter.runtime import load_inputs

    first, last = parse_day(since, "--since", month="first"), parse_day(until, "--until", month="last")
    if first is not None and last is not None and first > last:
        raise click.UsageError(f"--since {first} is after --until {last}: no day is in that range")
    sent_first = parse_day(sent_since, "--sent-since", month="first")
    sent_last = parse_day(sent_until, "--sent-until", month="last")
    if sent_first is not None and sent_last is not None and sent_first > sent_last:
        raise click.UsageError(
            f"--sent-since {sent_first} is after --sent-until {sent_last}: no day is in that range"
        )
    inputs = load_inputs(state.config, today=config_day(None))
    settings = inputs.settings
    sent_from, sent_before = sent_between(sent_first, sent_last, ZoneInfo(settings.defaults.timezone))
    check_out("-o", out, state.config, settings)
    fmt = chosen_format(fmt, out)  # after check_out: -o the journal says so, whatever its suffix
    occasion = occasion_by_title(occasion, settings)  # "8 Марта", as the table shows it
    journal = open_own_journal(settings, inputs.config_file, datetime.now(UTC), Use.READ)
    try:
        if contact_id:  # a name, not an id: its contact's id (several: exit 2, listing them)
            contact_id, said = by_name(inputs, journal, contact_id)
            if said:
                click.echo(said, err=True)
        filters: dict[str, Any] = {
            "occasion": occasion, "since": first, "until": last,
            "sent_from": sent_from, "sent_before": sent_before,
        }  # fmt: skip
        entries: Iterable[JournalEntry] = Rereading(
            lambda: read_history(journal, contact_id=contact_id, state=state_filter, email=email, **filters)
        )
        address = None
        if contact_id and not email:  # a CRM that renumbered the client: its rows under former ids too
            entries, address = with_former_ids(
                journal, inputs, contact_id, list(entries), state=state_filter, **filters
            )
        matching = None
        if limit is not None:  # one pass keeping the last N rows, however long the journal
            from collections import deque

            kept: deque[JournalEntry] = deque(maxlen=limit)
            matching = 0
            for entry in entries:
                kept.append(entry)
                matching += 1
            entries = list(kept)
        # A whole journal is read twice rather than kept: once here for whose names to look up
        # (and how many rows), once as it is printed.
        found = census(entries)
        if not found.count:  # a typo, or an occasion nobody was greeted for yet?
            check_occasion(occasion, settings, journal, titles=True)
        asked = contact_id if address else None
        people = look_up(inputs, found.contact_ids, asked, rows=found.rows, email=email)
        if found.count:  # who approved each letter (review: required); a belated one's day is earlier
            people = dataclasses.replace(people, approvers=journal.approvals_since(date.min).approvers)
        if people.missing and found.count:
            click.echo(people.missing, err=True)
        show(entries, fmt, asked, people, out, journal_shown(settings.storage.url))
        if matching is not None and matching > found.count:  # on stderr: JSON stays a list of rows
            click.echo(f"the latest {found.count} of {matching} greetings (--limit {limit})", err=True)
        client: Contact | None = None  # the contact asked for, as the contacts source gives it now
        if contact_id:
            client = people.contacts.get(contact_id) or inputs.contact(contact_id)
        elif email:
            client = people.addressee
        notes = client_notes(journal, client, contact_id, email) if contact_id or email else []
    finally:
        journal.close()
    if not found.count and fmt in ("table", "text") and out is None:
        # Not an empty table: it said nothing (as preview's "nothing planned in this range").
        filtered = any((contact_id, email, occasion, state_filter, first, last, sent_first, sent_last))
        click.echo("no greeting matches these filters" if filtered else "no greetings recorded yet")
    given = [f"--{name} {value}" for name, value in (("contact", contact_id), ("email", email)) if value]
    stopped = any(note.startswith("greetings stopped") for note in notes)
    if not found.count and given:
        # An empty answer says nothing of why: a mistyped id, nobody greeted yet, or no more. On
        # stderr in every format: an empty workbook or JSON list for a name typed as --contact
        # left a manager with no clue (QA re-test).
        to = f" nor for its address {address} under another id" if address else ""
        yet = "" if stopped else " (yet)"
        click.echo(f"the journal has no greeting for {' '.join(given)}{to}{yet}", err=True)
    for note in notes:  # on stderr in every format: JSON stays a list of rows, CSV a table
        click.echo(note, err=True)
    if not found.count and contact_id and not stopped:
        if client is None:  # a typo? (a name was looked up before: by_name)
            # with the closest ids and names, as preview's --contact says (the same folding: name_key)
            near = closest_contacts(inputs, contact_id)
            click.echo(f"nor does the contacts source have a contact {contact_id}{near}", err=True)
        else:  # the journal holds letters and their outcomes, not the planner's skips
            click.echo(
                f"what is planned for it, or skipped and why (no e-mail, suppressed, outside the"
                f" audience…): greeter preview --contact {contact_id} --from DATE --days N",
                err=True,
            )


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
@_out_option(
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
