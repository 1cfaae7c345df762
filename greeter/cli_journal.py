"""The journal operator's CLI command ``history`` (``(un)suppress``: :mod:`greeter.cli_suppress`;
``forget``, ``purge``: :mod:`greeter.cli_erase`).

Kept apart from :mod:`greeter.cli` so each module stays small; importing
this module registers the command on the ``greeter`` group.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    handles_errors,
    main,
)
from greeter.cli_options import check_occasion, contact_option, json_option, occasion_by_title, out_option
from greeter.cli_values import Choice, config_day, parse_day, trimmed
from greeter.own_journal import Use, open_own_journal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from greeter.cap_seen import CapView
    from greeter.contacts import Contact
    from greeter.journal_store import JournalEntry, JournalStore
    from greeter.runtime import Inputs


#: What ``history --state`` takes: every journal state, and ``dismissed``.
HISTORY_STATES = ("claimed", "sent", "retry", "failed", "uncertain", "skipped", "expired", "dismissed")


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
@out_option(
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

    With --contact, each letter says what the frequency cap saw (the table's
    "cap" column; JSON and CSV: cap_counted, cap_gap_days, cap_window_count):
    whether it counts, the days since the client's previous letter that
    counted (calendar days on the client's clock, as min_gap_days counts
    them) and how many counted in the window_days ending on its day ("36 days
    after the last; 2 of 6 in 365 days"), marking what the cap allows no
    more (a config changed since, letters sent by hand): "only 6 days after
    the last (min_gap_days 14)", "7 of 6 in 365 days (over max_count 6)".
    Every letter of the client counts, whatever the other filters leave out
    of the listing.

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
        if found.count and contact_id:  # what the cap saw: every letter of the client, whatever is shown
            people = dataclasses.replace(people, cap=_cap_view(journal, inputs, contact_id, address))
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


def _cap_view(journal: JournalStore, inputs: Inputs, contact_id: str, address: str | None) -> CapView:
    """What the frequency cap saw of ``contact_id``'s letters: read from all of its rows and those
    to its address under former ids (the planner counts them), not from the filtered listing — a
    letter ``--occasion`` leaves out still took its slot. ``address``: the contact's, when the
    listing looked it up already (the contacts are not read again for it)."""
    from greeter.cap_seen import cap_seen
    from greeter.history_view import read_history, with_former_ids

    own = list(read_history(journal, contact_id=contact_id))
    rows, _ = with_former_ids(journal, inputs, contact_id, own, address=address)
    return cap_seen(rows, inputs.settings.frequency_cap)
