"""``greeter history`` output: the journal as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from rich.table import Table

from greeter.console import table_console
from greeter.journal_store import JournalEntry

COLUMNS = (
    "contact_id", "occasion", "occasion_date", "state", "email", "attempts", "planned_at",
    "sent_at", "last_reply", "reason", "merged", "message_id", "updated_at",
)  # fmt: skip


def entry_dict(entry: JournalEntry) -> dict[str, Any]:
    """One journal row with ISO dates, for JSON and CSV."""
    out: dict[str, Any] = {}
    for name in COLUMNS:
        value = getattr(entry, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def print_history(entries: Sequence[JournalEntry], fmt: str) -> None:
    if fmt == "json":
        json.dump([entry_dict(e) for e in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
        writer.writeheader()
        for e in entries:
            row = entry_dict(e)
            row["merged"] = ";".join(row["merged"])
            writer.writerow(row)
        return
    table = Table(title=f"journal: {len(entries)} greeting(s)")
    names = ("contact", "e-mail", "occasion", "date", "state", "attempts", "when (UTC)", "server said / why")
    for name in names:
        table.add_column(name, overflow="fold")
    colour = {"sent": "green", "failed": "red", "uncertain": "red", "retry": "yellow"}
    for e in entries:
        when = e.sent_at or e.planned_at or e.updated_at
        occasion = e.occasion + "".join(f" + {m}" for m in e.merged)
        state = f"[{colour[e.state]}]{e.state}[/]" if e.state in colour else e.state
        table.add_row(
            e.contact_id, e.email or "", occasion, e.occasion_date.isoformat(), state, str(e.attempts),
            f"{when.astimezone(UTC):%Y-%m-%d %H:%M}" if when else "", e.last_reply or e.reason or "",
        )  # fmt: skip
    table_console().print(table)
