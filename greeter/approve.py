"""``greeter approve``: a marketer's sign-off on the exact drafts that may go out (``review: required``).

Plans and renders the range exactly as preview and the daemon do, then
records the content hash of each selected draft. The daemon sends a draft
only if its hash at send time equals the approved one, so an edited
template or changed contact data withdraws the approval by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from greeter.errors import ConfigError
from greeter.journal import open_journal
from greeter.planner import drafts
from greeter.render import Renderer
from greeter.review import Envelope, content_hash
from greeter.runtime import Inputs, read_journal_state


@dataclass
class ApproveResult:
    approved: int = 0
    #: The first and last day (each recipient's own) the approved letters leave; None if none.
    #: Not the range asked for: a 7 January birthday in ``--from 2027-01-01`` leaves on 30 December.
    leaving: tuple[date, date] | None = None
    render_errors: list[str] = field(default_factory=list)
    rows_rejected: int = 0
    problems: list[str] = field(default_factory=list)


def approve_range(
    inputs: Inputs,
    *,
    now: datetime,
    start: date,
    days: int,
    contact_id: str | None,
    occasion: str | None,
    by: str,
) -> ApproveResult:
    """Approve every rendered draft to send in ``start`` + ``days`` matching the filters."""
    settings = inputs.settings
    journal = open_journal(settings.storage.url, now=now)
    result = ApproveResult()
    try:
        read_journal_state(inputs, journal, start=start, now=now)
        report = inputs.new_report()
        renderer = Renderer.of(settings)
        if renderer.unsigned is not None:  # approved with `unsigned` links, no letter sent would match
            unsigned = renderer.unsigned
            why = "approve needs it: each letter's signed unsubscribe link is approved too"
            raise ConfigError([replace(unsigned, message=f"{unsigned.message}; {why}")])
        items = inputs.plan(
            inputs.contacts(report, contact_id), inputs.window(now=now, start=start, days=days)
        )
        chosen: list[tuple[tuple[str, str, date], str]] = []
        send_days: list[date] = []
        for draft in drafts(items, renderer.render):
            item = draft.item
            if item.status != "send" or (occasion is not None and item.hit.occasion != occasion):
                continue
            if draft.rendered is None:
                result.render_errors.append(f"{item.hit.contact.id} {item.hit.occasion}: {draft.error}")
                continue
            envelope = Envelope.of(item.hit.contact, settings.sender, draft.rendered.locale)
            chosen.append((item.hit.key, content_hash(draft.rendered, envelope)))
            if item.send_at is not None:
                send_days.append(item.send_at.date())
        result.approved = journal.approve(chosen, by, now)
        if send_days:
            result.leaving = (min(send_days), max(send_days))
        result.rows_rejected = report.rejected
        # Row and column problems are the contacts' (counted above); these are the run's own.
        result.problems = [
            str(p) for p in report.problems if p.severity == "error" and p.kind not in ("row", "column")
        ]
    finally:
        journal.close()
    return result
