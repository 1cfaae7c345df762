"""The letters a run finds due, as ``send --dry-run`` lists them and ``send --once`` names the next.

:class:`DueLetter` and its two forms, the ``--json`` object and the printed
line, live together: the record and the words scripts read of it. Kept free
of the sending path's imports, so that what prints them (:mod:`greeter.send_report`,
:mod:`greeter.cli_send`) need not load it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from greeter.journal_store import RESEND, is_decision
from greeter.zone_label import iso_seconds, local_time

#: The holds a dry run lists a letter under (:data:`~greeter.sending_hold.HoldReason`).
HOLDS = frozenset({"provider_throttle", "daily_quota"})

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from greeter.journal_store import JournalEntry
    from greeter.plan_types import PlanItem


@dataclass(frozen=True, slots=True)
class DueLetter:
    """One letter ``send --dry-run`` lists: what the send would hand over now, or hold back."""

    send_at: datetime
    contact_id: str
    email: str | None
    occasions: tuple[str, ...]
    #: Why it would not go: the review gate's verdict or ``render_error: …``; None: it would.
    held: str | None = None
    #: ``new`` (planned), ``retry`` (put off by the server before) or ``resend`` (an operator's
    #: ``greeter uncertain resend``): the two last go as the bytes stored when first claimed.
    kind: str = "new"
    #: Which attempt this one would be (1: the first).
    attempt: int = 1
    #: A retry's or resend's last answer from the server (or why it was not reached).
    last_reply: str | None = None
    #: Whom it greets and what its Subject says, as built (a dry run's new letters; "" otherwise):
    #: an id and an address alone made a reviewer open the preview to know who gets what.
    name: str = ""
    subject: str = ""

    @classmethod
    def planned(cls, item: PlanItem, held: str | None, subject: str = "") -> DueLetter:
        """A letter the planner found due, and why it would be held (None: it would go); ``subject``:
        its Subject as built."""
        hit = item.hit
        assert item.send_at is not None
        occasions = (hit.occasion, *item.merged_with)
        name = hit.contact.display_name.strip()
        contact = hit.contact
        return cls(item.send_at, contact.id, contact.email, occasions, held, name=name, subject=subject)

    @classmethod
    def again(cls, entry: JournalEntry, tz: ZoneInfo, now: datetime) -> DueLetter:
        """A due retry or resend from the journal, ready to go: its time is ``now`` (the run's
        moment, ``--now`` in a rehearsal), in ``tz``.

        Not the moment it came due: a resend's is when the operator decided, which
        read as a send at that (often wall-clock) time outside any window, while the
        send hands it over at ``now``.
        """
        return cls(
            now.astimezone(tz),
            entry.contact_id,
            entry.email,
            (entry.occasion, *entry.merged),
            kind="resend" if is_decision(entry.reason, RESEND) else "retry",
            attempt=entry.attempts + 1,
            last_reply=entry.last_reply,
        )


def due_json(letter: DueLetter) -> dict[str, object]:
    """``send --dry-run --json``: one due letter, and why it would be held (None: it would go)."""
    held = letter.held
    return {
        "send_at": iso_seconds(letter.send_at),
        "contact_id": letter.contact_id,
        "email": letter.email,
        "occasions": list(letter.occasions),
        # preview's and history's name for what it carries besides its own (``occasions`` first).
        "merged_with": list(letter.occasions[1:]),
        "held": None if held is None else held.partition(":")[0],
        "detail": None if held is None else held.partition(":")[2].strip() or None,
        "kind": letter.kind,
        "attempt": letter.attempt,
        "last_reply": letter.last_reply,
        "name": letter.name or None,
        "subject": letter.subject or None,
    }


def print_due(letter: DueLetter) -> None:
    """One line of ``send --dry-run``: a due letter (new, retry or resend), and why it would be held."""
    word = letter.kind if letter.kind != "new" else "due" if letter.held is None else "held"
    why = ""
    if letter.held is not None:
        reason, _, detail = letter.held.partition(":")
        # The quota's or a throttle's hold says until when (and whether the letter expires first).
        why = f"  ({reason} {detail.strip()})" if reason in HOLDS else f"  ({reason})"
    elif letter.kind == "resend":
        why = "  (an operator's resend of an uncertain letter)"
    elif letter.kind == "retry":
        from greeter.console import escaped  # only a dry run prints this

        why = f"  (attempt {letter.attempt}; last: {escaped(letter.last_reply or '')})"  # the server's words
    who = f"{letter.name} <{letter.email}>" if letter.name else f"{letter.email}"
    said = f"  «{letter.subject}»" if letter.subject else ""
    print(
        f"{word:<6}  {local_time(letter.send_at)}  {letter.contact_id}  "
        f"{who}  {'+'.join(letter.occasions)}{said}{why}",
        file=sys.stdout,
    )
