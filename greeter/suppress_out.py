"""``greeter suppress --list``: the do-not-contact list as a table, JSON, CSV — or a file for Excel.

Each address is shown with the contact ids an opt-out from it binds
(``suppressed_contacts``, :mod:`greeter.journal_optouts`): since those
bindings, "why is client 1001 not greeted at her new address?" is answered by
the list, not by a query on the journal. ``contact_ids`` comes last in JSON
and CSV (a list; joined with ``;`` in CSV), after the columns scripts read;
``suppress --from-csv`` of such a CSV binds them again (a list moved to a
restored journal keeps the person's opt-outs, not only the addresses).

``-o FILE`` is written by the one writer every list's file has
(:mod:`greeter.history_out`): a ``.csv`` Excel opens (the BOM that keeps a
Cyrillic reason readable, ``;``, ``created_at`` as ``YYYY-MM-DD HH:MM:SS``
UTC — which ``suppress --from-csv`` reads back as UTC, so a list moved keeps
its dates), a ``.xlsx`` workbook, ``.json``, ``.txt`` (the table).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from greeter.console import plain, print_records, table_console
from greeter.contacts import email_key
from greeter.history_out import SHEETS, Sheet, naive, write_sheet, write_text
from greeter.suppression import BOUND
from greeter.suppression import COLUMNS as LISTED
from greeter.zone_label import iso_seconds

if TYPE_CHECKING:
    from greeter.journal_store import PersonOptOut, Suppression

#: The list's JSON and CSV fields: the address's entry, then the contact ids bound by its opt-out.
COLUMNS = (*LISTED, BOUND)

#: The list as a spreadsheet: ``created_at`` keeps its name, which ``suppress --from-csv`` knows
#: as the list's date (its value UTC, as that import reads a time without an offset).
SHEET = Sheet(COLUMNS, "do-not-contact list", {"email": 32, "reason": 48, BOUND: 16})


def bound_by_address(opt_outs: Mapping[str, PersonOptOut]) -> dict[str, list[str]]:
    """The contact ids each address's opt-out binds (pure), by the address's comparison key."""
    found: dict[str, list[str]] = {}
    for cid, opt_out in sorted(opt_outs.items()):
        found.setdefault(email_key(opt_out.email), []).append(cid)
    return found


def record(entry: Suppression, bound: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """One address's JSON/CSV record (pure): its entry, ``created_at`` ISO 8601, and its bound ids."""
    return {
        "email": entry.email,
        "reason": entry.reason,
        "created_at": iso_seconds(entry.created_at),
        BOUND: list(bound.get(email_key(entry.email), ())),
    }


def show_list(
    entries: Sequence[Suppression],
    bound: Mapping[str, Sequence[str]],
    fmt: str,
    out: Path | None,
    journal: str,
) -> None:
    """The list on stdout (``fmt``: table, json, csv as scripts read them) or written to ``out``.

    ``journal``: the journal the list is read from, as messages name it
    (:func:`~greeter.journal_project.journal_shown`), in the table's title as ``history``'s
    has it: a host with a test config and the real one showed two alike lists.
    """
    if out is None:
        _print(entries, bound, fmt, sys.stdout, journal)
        return
    if fmt in SHEETS:
        rows = ({**record(e, bound), "created_at": naive(e.created_at)} for e in entries)
        write_sheet(out, fmt, SHEET, rows)
    else:
        write_text(out, fmt, lambda text: _print(entries, bound, fmt, text, journal))
    print(f"wrote {out} ({len(entries)} address(es), {fmt})", file=sys.stderr)


def _print(
    entries: Sequence[Suppression],
    bound: Mapping[str, Sequence[str]],
    fmt: str,
    stream: TextIO,
    journal: str,
) -> int:
    """The list as ``history`` prints the journal: a table, JSON or CSV; how many addresses.

    The table is at least as wide as its title (as the console allows): a title wrapped over
    two lines under a narrow list was read as two things.
    """
    if fmt in ("json", "csv"):
        print_records([record(e, bound) for e in entries], COLUMNS, fmt, out=stream)
        return len(entries)
    from rich.cells import cell_len
    from rich.table import Table

    title = f"do-not-contact list in journal {journal}: {len(entries)} address(es)"
    table = Table(title=title, min_width=cell_len(title))
    for name in ("e-mail", "reason", "since (UTC)", "contact(s) bound"):
        table.add_column(name, overflow="fold")
    for e in entries:
        ids = ", ".join(bound.get(email_key(e.email), ()))
        table.add_row(
            plain(e.email), plain(e.reason), f"{e.created_at.astimezone(UTC):%Y-%m-%d %H:%M}", plain(ids)
        )
    table_console(None if stream is sys.stdout else stream).print(table)
    return len(entries)
