"""``greeter approve``: a marketer's sign-off on the exact drafts that may go out (``review: required``).

Plans and renders the range exactly as preview and the daemon do, then
records the content hash of each selected draft. The daemon sends a draft
only if its hash at send time equals the approved one, so an edited
template or changed contact data withdraws the approval by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from greeter.contacts import Contact
from greeter.errors import ConfigError
from greeter.journal_store import JournalKey
from greeter.own_journal import Use, open_own_journal
from greeter.plan_drafts import drafts
from greeter.render import Renderer
from greeter.review import Envelope, content_hash
from greeter.runtime import Inputs, read_journal_state

if TYPE_CHECKING:
    from greeter.send_report import ProgressStart


@dataclass
class ApproveResult:
    approved: int = 0
    #: Of them, those approved already as they are (approving again changes nothing but who and when).
    already: int = 0
    #: The first and last day (each recipient's own) the approved letters leave; None if none.
    #: Not the range asked for: a 7 January birthday in ``--from 2027-01-01`` leaves on 30 December.
    leaving: tuple[date, date] | None = None
    render_errors: list[str] = field(default_factory=list)
    rows_rejected: int = 0
    problems: list[str] = field(default_factory=list)
    #: With ``reviewed``: drafts whose letter is no longer the one reviewed ("contact occasion date").
    changed: list[str] = field(default_factory=list)
    #: With ``reviewed``: how many drafts of the range the reviewed file does not hold.
    unreviewed: int = 0


def reviewed_fingerprints(drafts_json: object) -> dict[JournalKey, str]:
    """The fingerprint of each letter in a ``preview --format json`` document (pure).

    Raises :class:`ValueError` saying what is wrong with a document that is
    not one, or whose letters hold no fingerprint (a preview made without
    ``review: required``). A preview with no letter to send (``[]``: none in its
    range) gives ``{}``: nothing to approve, which is no mistake of the config's.
    """
    if not isinstance(drafts_json, list):
        raise ValueError("not what preview --format json writes (a list of drafts)")
    found: dict[JournalKey, str] = {}
    letters = 0
    for n, draft in enumerate(drafts_json, 1):
        if not isinstance(draft, dict):
            raise ValueError(f"item {n} is not a draft")
        letters += draft.get("status") == "send"
        digest, day = draft.get("fingerprint"), draft.get("occasion_date")
        if draft.get("status") != "send" or not isinstance(digest, str) or not isinstance(day, str):
            continue
        try:
            found[(str(draft["contact_id"]), str(draft["occasion"]), date.fromisoformat(day))] = digest
        except (KeyError, ValueError) as exc:
            raise ValueError(f"item {n} is not a draft preview wrote ({exc})") from None
    if not found and letters:
        raise ValueError(
            "it holds no letter's fingerprint: preview writes them only when the config says review: required"
        )
    return found


#: The longest range ``approve`` covers (its ``--days`` limit).
MAX_DAYS = 366


def reviewed_range(reviewed: dict[JournalKey, str], start: date | None, days: int | None) -> tuple[date, int]:
    """The range ``approve --reviewed FILE`` covers: the one asked for, else the file's own (pure).

    The reviewed file already says which drafts the reviewer read, so without
    ``--from`` it starts on its first occasion's day, and without ``--days`` it
    ends on its last one (at most :data:`MAX_DAYS`): a preview of next week read
    today is approved as read, not cut to the 7 days from today.
    """
    days_of = sorted({day for _, _, day in reviewed})
    first = days_of[0] if start is None else start
    if days is None:
        days = min(MAX_DAYS, max(1, (days_of[-1] - first).days + 1))
    return first, days


def approve_range(
    inputs: Inputs,
    *,
    now: datetime,
    start: date,
    days: int,
    contact_id: str | None,
    occasion: str | None,
    by: str,
    reviewed: dict[JournalKey, str] | None = None,
    progress: ProgressStart | None = None,
) -> ApproveResult:
    """Approve every rendered draft to send in ``start`` + ``days`` matching the filters.

    ``reviewed`` (:func:`reviewed_fingerprints`): only the drafts whose letter
    is still the one the reviewer read — the same fingerprint — are approved;
    one changed since (a template edited, the CRM export refreshed) is listed
    in :attr:`ApproveResult.changed` instead, and one the review did not hold
    is counted in :attr:`ApproveResult.unreviewed`.

    ``progress`` (:func:`~greeter.send_report.progress_factory`'s, on a terminal): the rows read
    so far, as preview shows them — approving 8,000 contacts' year-end letters plans and renders
    them all again, a minute with nothing on the screen.
    """
    settings = inputs.settings
    # Made if there is none yet: drafts are approved before the first send too.
    journal = open_own_journal(settings, inputs.config_file, now, Use.WRITE)
    result = ApproveResult()
    try:
        read_journal_state(inputs, journal, start=start, now=now)
        report = inputs.new_report()
        renderer = Renderer.of(settings)
        if renderer.unsigned is not None:  # approved with `unsigned` links, no letter sent would match
            unsigned = renderer.unsigned
            why = "approve needs it: each letter's signed unsubscribe link is approved too"
            raise ConfigError([replace(unsigned, message=f"{unsigned.message}; {why}")])
        contacts: Iterable[Contact] = inputs.contacts(report, contact_id)
        bar = progress(None, 0) if progress is not None else None
        if bar is not None:
            from greeter.send_report import rows_expected  # a bar: its module is loaded already

            contacts = bar.counting(contacts, lambda: report.rows_read, rows_expected(settings.contacts))
        items = inputs.plan(contacts, inputs.window(now=now, start=start, days=days))
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
            digest = content_hash(draft.rendered, envelope)
            if reviewed is not None and reviewed.get(item.hit.key) != digest:
                if item.hit.key in reviewed:
                    result.changed.append(f"{item.hit.contact.id} {item.hit.occasion} {item.hit.date}")
                else:
                    result.unreviewed += 1
                continue
            chosen.append((item.hit.key, digest))
            if item.send_at is not None:
                send_days.append(item.send_at.date())
        known = inputs.approvals or {}
        result.already = sum(1 for key, digest in chosen if known.get(key) == digest)
        # Approving is planning from this journal, as a send is: recorded, so that the plan the
        # reviewer signed starts where later plans start. Unrecorded, a first send after a few days
        # without runs took itself for the journal's first plan, started its occasions
        # catch_up_days before *its* day, and dropped a past occasion the approved letter carried
        # (a 17 December first deal merged into a 30 December birthday letter): no row, and the
        # approval withdrawn — where daily runs in between kept it.
        journal.record_occasions(inputs.occasion_since)
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
