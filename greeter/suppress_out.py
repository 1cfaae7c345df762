"""``greeter suppress --list``: the do-not-contact list as a table, JSON, CSV — or a file for Excel.

Each address is shown with the contact ids an opt-out from it binds
(``suppressed_contacts``, :mod:`greeter.journal_optouts`): since those
bindings, "why is client 1001 not greeted at her new address?" is answered by
the list, not by a query on the journal. ``contact_ids`` comes last in JSON
and CSV (a list; joined with ``;`` in CSV), after the columns scripts read;
``suppress --from-csv`` of such a CSV binds them again (a list moved to a
restored journal keeps the person's opt-outs, not only the addresses).

A person-level opt-out no address row carries as the journal holds it —
``suppress --contact``'s (no address listed: a mailbox shared with other
clients still greets them), or one whose reason or date is not its address
row's (an address listed by a bounce, then the person's own request) — is a
row of its own (:func:`person_rows`): ``email`` empty, ``contact_ids`` its one
id, ``opted_out_from`` the address it came from (empty: by id alone), its own
reason and date. Before, these were only named on stderr after the list, so a
list moved with ``--from-csv`` (operations.md's restore) lost every client who
said no by phone, and greeter greeted them again.

``-o FILE`` is written by the one writer every list's file has
(:mod:`greeter.history_out`): a ``.csv`` Excel opens (the BOM that keeps a
Cyrillic reason readable, ``;``, ``created_at_utc`` as ``YYYY-MM-DD HH:MM:SS``
UTC — which ``suppress --from-csv`` reads back as UTC, so a list moved keeps
its dates), a ``.xlsx`` workbook, ``.json``, ``.txt`` (the table).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from greeter.console import plain, print_records, show_table, table_box, table_console
from greeter.contacts import email_key
from greeter.history_out import SHEETS, Sheet, naive, write_sheet, write_text
from greeter.suppression import BOUND, EVENTS_TITLE, FROM, LIST_TITLE
from greeter.suppression import COLUMNS as LISTED
from greeter.zone_label import iso_seconds

if TYPE_CHECKING:
    from greeter.errors import Problem
    from greeter.journal_store import OptOutEvent, PersonOptOut, Suppression

#: The list's JSON and CSV fields: the address's entry, then the contact ids bound by its opt-out,
#: then (a person-level opt-out's own row) the address it came from. Added columns go last: a script
#: reading the first ones by position reads them as before.
COLUMNS = (*LISTED, BOUND, FROM)

#: The list as a spreadsheet: ``created_at`` as ``created_at_utc`` (Excel has no zones: the name
#: says the clock, as ``history -o``'s ``sent_at_utc`` does), which ``suppress --from-csv`` knows
#: as the list's date and reads as UTC.
SHEET = Sheet(
    tuple(f"{n}_utc" if n == "created_at" else n for n in COLUMNS),
    "do-not-contact list",
    {"email": 32, "reason": 48, BOUND: 16, FROM: 32},
)


def bound_by_address(opt_outs: Mapping[str, PersonOptOut]) -> dict[str, list[str]]:
    """The contact ids each address's opt-out binds (pure), by the address's comparison key.

    An id holding ``;`` is left out: the CSV cell joins ids with ``;``, so such an id is a row of
    its own (:func:`person_rows`), whose cell ``--from-csv`` takes whole.
    """
    found: dict[str, list[str]] = {}
    for cid, opt_out in sorted(opt_outs.items()):
        if ";" in cid:
            continue
        found.setdefault(email_key(opt_out.email), []).append(cid)
    return found


def person_rows(entries: Sequence[Suppression], opt_outs: Mapping[str, PersonOptOut]) -> list[PersonOptOut]:
    """The person-level opt-outs the address rows do not give back as they are (pure), by id.

    ``suppress --from-csv`` binds an address row's ``contact_ids`` with that row's reason and date;
    an opt-out whose address is not listed, or whose reason or date (in the whole seconds the list
    writes) is not its address row's, needs a row of its own, or a list moved loses it or its evidence.
    So does an id holding ``;`` (``suppress --contact 'x;y'``): in an address row's ``;``-joined cell
    it would come back as two ids.
    """
    rows = {email_key(e.email): (e.reason, e.created_at.replace(microsecond=0)) for e in entries}
    return [
        o
        for _, o in sorted(opt_outs.items())
        if ";" in o.contact_id
        or rows.get(email_key(o.email)) != (o.reason, o.created_at.replace(microsecond=0))
    ]


def record(entry: Suppression, bound: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """One address's JSON/CSV record (pure): its entry, ``created_at`` ISO 8601, and its bound ids."""
    return {
        "email": entry.email,
        "reason": entry.reason,
        "created_at": iso_seconds(entry.created_at),
        BOUND: list(bound.get(email_key(entry.email), ())),
        FROM: "",
    }


def person_record(opt_out: PersonOptOut) -> dict[str, Any]:
    """A person-level opt-out's own JSON/CSV record (pure): no address listed (``email`` empty),
    its id in ``contact_ids``, the address it came from in ``opted_out_from``."""
    return {
        "email": "",
        "reason": opt_out.reason,
        "created_at": iso_seconds(opt_out.created_at),
        BOUND: [opt_out.contact_id],
        FROM: opt_out.email,
    }


def _records(
    entries: Sequence[Suppression], bound: Mapping[str, Sequence[str]], persons: Sequence[PersonOptOut]
) -> list[dict[str, Any]]:
    """Every record of the list (pure): the addresses, then the person-level opt-outs of their own."""
    return [*(record(e, bound) for e in entries), *map(person_record, persons)]


def counted(entries: Sequence[Suppression], persons: Sequence[PersonOptOut]) -> str:
    """``3 address(es)``, and ``, 2 person-level opt-out(s)`` when there are rows of those (pure)."""
    return f"{len(entries)} address(es)" + (f", {len(persons)} person-level opt-out(s)" if persons else "")


def show_list(
    entries: Sequence[Suppression],
    bound: Mapping[str, Sequence[str]],
    persons: Sequence[PersonOptOut],
    fmt: str,
    out: Path | None,
    journal: str,
) -> None:
    """The list on stdout (``fmt``: table, json, csv as scripts read them) or written to ``out``:
    the addresses, then ``persons`` (:func:`person_rows`), in every format.

    ``journal``: the journal the list is read from, as messages name it
    (:func:`~greeter.journal_project.journal_shown`), in the table's title as ``history``'s
    has it: a host with a test config and the real one showed two alike lists.
    """
    if out is None:
        _print(entries, bound, persons, fmt, sys.stdout, journal)
        return
    if fmt in SHEETS:
        rows = (
            {**{k: v for k, v in r.items() if k != "created_at"}, "created_at_utc": naive(r["created_at"])}
            for r in _records(entries, bound, persons)
        )
        write_sheet(out, fmt, SHEET, rows)
    else:
        write_text(out, fmt, lambda text: _print(entries, bound, persons, fmt, text, journal))
    print(f"wrote {out} ({counted(entries, persons)}, {fmt})", file=sys.stderr)


def _print(
    entries: Sequence[Suppression],
    bound: Mapping[str, Sequence[str]],
    persons: Sequence[PersonOptOut],
    fmt: str,
    stream: TextIO,
    journal: str,
) -> int:
    """The list as ``history`` prints the journal: a table, JSON or CSV; how many rows.

    The table is at least as wide as its title (as the console allows): a title wrapped over
    two lines under a narrow list was read as two things. A person-level opt-out's row shows no
    address, and says in its contact cell where it came from.
    """
    if fmt in ("json", "csv"):
        print_records(_records(entries, bound, persons), COLUMNS, fmt, out=stream)
        return len(entries) + len(persons)
    from rich.cells import cell_len
    from rich.table import Table

    title = f"{LIST_TITLE} {journal}: {counted(entries, persons)}"
    console = table_console(None if stream is sys.stdout else stream)
    table = Table(title=title, min_width=cell_len(title), box=table_box(console))
    for name in ("e-mail", "reason", "since (UTC)", "contact(s) bound"):
        table.add_column(name, overflow="fold")
    for e in entries:
        ids = ", ".join(bound.get(email_key(e.email), ()))
        table.add_row(plain(e.email), plain(e.reason), _since(e.created_at), plain(ids))
    for o in persons:
        source = f"from {o.email}" if o.email else "by id"
        table.add_row("", plain(o.reason), _since(o.created_at), plain(f"{o.contact_id} (person, {source})"))
    show_table(console, table)
    return len(entries) + len(persons)


def _since(moment: datetime) -> str:
    """A row's date as the table shows it: UTC, to the minute."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


# --- suppress --list --all: the opt-out events -----------------------------------------------------

#: ``suppress --list --all``'s JSON and CSV fields (:class:`~greeter.journal_store.OptOutEvent`):
#: ``recorded_at`` when greeter recorded it, ``since`` an added opt-out's own date (an imported
#: list's), ``contact_id`` null for the address's own entry, ``by`` null when nobody was named.
EVENT_COLUMNS = ("recorded_at", "event", "email", "contact_id", "channel", "reason", "by", "since")

#: The events as a spreadsheet: the two moments named ``…_utc`` (Excel has no zones).
EVENT_SHEET = Sheet(
    tuple(f"{n}_utc" if n in ("recorded_at", "since") else n for n in EVENT_COLUMNS),
    "opt-out events",
    {"email": 32, "contact_id": 14, "reason": 48, "by": 16},
)


def event_record(event: OptOutEvent) -> dict[str, Any]:
    """One event's JSON/CSV record (pure): its moments ISO 8601 with their offset."""
    return {
        "recorded_at": iso_seconds(event.recorded_at),
        "event": event.event,
        "email": event.email,
        "contact_id": event.contact_id,
        "channel": event.channel,
        "reason": event.reason,
        "by": event.by,
        "since": None if event.since is None else iso_seconds(event.since),
    }


def events_of(
    events: Sequence[OptOutEvent], emails: Sequence[str]
) -> tuple[list[OptOutEvent], list[Problem]]:
    """The events of the addresses given (``suppress --list --all EMAIL…``: an access request's or a
    complaint's answer), every one when none is given; a problem for an address with none (pure)."""
    from greeter.errors import Problem

    if not emails:
        return list(events), []
    wanted = {email_key(e.strip()): number for number, e in enumerate(emails, 1) if e.strip()}
    found = [e for e in events if e.email in wanted]
    seen = {e.email for e in found}
    missing = [
        Problem(
            f"argument {n}", "", f"{key!r} has no opt-out event (it was never on the do-not-contact list)"
        )
        for key, n in wanted.items()
        if key not in seen
    ]
    return found, missing


def show_events(events: Sequence[OptOutEvent], fmt: str, out: Path | None, journal: str) -> None:
    """The events on stdout (``fmt``: table, json, csv) or written to ``out``, as :func:`show_list`
    writes the list; the table's moments in UTC."""
    if out is None:
        _print_events(events, fmt, sys.stdout, journal)
        return
    if fmt in SHEETS:
        rows = (
            {
                **{k: v for k, v in r.items() if k not in ("recorded_at", "since")},
                "recorded_at_utc": naive(r["recorded_at"]),
                "since_utc": naive(r["since"]),
            }
            for r in map(event_record, events)
        )
        write_sheet(out, fmt, EVENT_SHEET, rows)
    else:
        write_text(out, fmt, lambda text: _print_events(events, fmt, text, journal))
    print(f"wrote {out} ({len(events)} opt-out event(s), {fmt})", file=sys.stderr)


def _print_events(events: Sequence[OptOutEvent], fmt: str, stream: TextIO, journal: str) -> int:
    """The events as a table, JSON or CSV; how many."""
    if fmt in ("json", "csv"):
        print_records(map(event_record, events), EVENT_COLUMNS, fmt, out=stream)
        return len(events)
    from rich.cells import cell_len
    from rich.table import Table

    acts = one_per_act(events)
    title = f"{EVENTS_TITLE} {journal}: {len(acts)}"
    console = table_console(None if stream is sys.stdout else stream)
    table = Table(title=title, min_width=cell_len(title), box=table_box(console))
    for name in ("when (UTC)", "event", "e-mail", "contact", "channel", "reason", "by"):
        table.add_column(name, overflow="fold")
    for e, contacts in acts:
        table.add_row(
            _since(e.recorded_at), e.event, plain(e.email), plain(contacts), e.channel,
            plain(e.reason), plain(e.by or ""),
        )  # fmt: skip
    show_table(console, table)
    return len(acts)


def one_per_act(events: Sequence[OptOutEvent]) -> list[tuple[OptOutEvent, str]]:
    """The table's rows: each act once, with the contact ids it bound (pure).

    ``suppress ADDRESS`` records the address's entry and each holder's binding as events of their
    own (what ``--from-csv`` of the JSON or CSV restores, which keep them so); the table showed
    the same act twice, an address row and a person row. Events of one moment, kind, address,
    channel, reason and author are one row, the contact column listing the ids bound."""
    rows: dict[tuple[object, ...], tuple[OptOutEvent, list[str]]] = {}
    for e in events:
        key = (e.recorded_at, e.event, e.email, e.channel, e.reason, e.by)
        ids = rows.setdefault(key, (e, []))[1]
        if e.contact_id:
            ids.append(e.contact_id)
    return [(e, ", ".join(ids)) for e, ids in rows.values()]
