"""The journal's due retries and operators' resends, as a run at ``now`` sorts them.

Which go now, which expired, which an address's suppression or a CRM flag
stops, and when the next one outside its recipient's window may go: one
sorting shared by the send and its dry run (:func:`greeter.send.plan_cycle`),
so that the dry run lists exactly the retries the send hands over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from greeter.calendar_rules import WorkCalendar, in_window, next_window_open
from greeter.config import Settings
from greeter.contacts import email_key
from greeter.delivery import Deliverer
from greeter.delivery_timing import letter_deadline
from greeter.journal_store import JournalEntry, JournalStore, is_requeued


@dataclass(frozen=True, slots=True)
class SortedRetries:
    """The journal's due retries (and operators' resends) as a run at ``now`` treats them."""

    #: Inside their recipient's window and before their deadline: they go now.
    ready: list[JournalEntry]
    #: Past their catch-up deadline: recorded ``expired``, never sent.
    expired: list[JournalEntry]
    #: When the earliest of those outside their recipient's window (evening, a weekend) may go.
    wake: datetime | None


def sort_retries(
    entries: Iterable[JournalEntry],
    zones: dict[str, ZoneInfo],
    settings: Settings,
    now: datetime,
    calendar_of: Callable[[str], WorkCalendar],
) -> SortedRetries:
    """Pure: which due retries go now, which have expired, and when the next one may go.

    Shared by the send and its dry run, so that the dry run lists exactly the
    retries and resends the send would hand over (it used to list none).
    """
    ready: list[JournalEntry] = []
    expired: list[JournalEntry] = []
    wake: datetime | None = None
    for entry in entries:
        tz = zones.get(entry.contact_id, ZoneInfo(settings.defaults.timezone))
        calendar = calendar_of(entry.contact_id)
        if now > letter_deadline(settings, entry.key, tz, calendar):
            expired.append(entry)
            continue
        if not in_window(now.astimezone(tz), tz, settings.send_window, calendar):
            opens = next_window_open(now.astimezone(tz), tz, settings.send_window, calendar)
            wake = opens if wake is None else min(wake, opens)
            continue
        ready.append(entry)
    return SortedRetries(ready, expired, wake)


def retry_wake(
    waiting: Iterable[JournalEntry],
    zones: Mapping[str, ZoneInfo],
    settings: Settings,
    calendar_of: Callable[[str], WorkCalendar],
) -> datetime | None:
    """Pure: the first moment one of the ``waiting`` retries (earliest due first) can really leave —
    its backoff's end moved into its recipient's send window (:func:`next_window_open`), as
    :func:`sort_retries` holds a due one outside it.

    The backoff's end alone was what ``send`` called "next retry due" and what the daemon woke
    for: a 451 at 17:25 with the window closing at 17:30 said ``next retry due 17:41``, while the
    letter waited for 10:00 the next morning.
    """
    wake: datetime | None = None
    for entry in waiting:
        due = entry.next_attempt_at
        if due is None:
            continue
        if wake is not None and due >= wake:
            break  # the rest are due later still, and a window only moves a moment later
        tz = zones.get(entry.contact_id, ZoneInfo(settings.defaults.timezone))
        opens = next_window_open(due.astimezone(tz), tz, settings.send_window, calendar_of(entry.contact_id))
        wake = opens if wake is None else min(wake, opens)
    return wake


def next_retry_due(
    journal: JournalStore,
    zones: Mapping[str, ZoneInfo],
    settings: Settings,
    now: datetime,
    calendar_of: Callable[[str], WorkCalendar],
) -> datetime | None:
    """When the first retry not yet due at ``now`` can really leave (:func:`retry_wake`), if any."""
    return retry_wake(journal.waiting_retries(now), zones, settings, calendar_of)


def due_retries(
    journal: JournalStore,
    deliverer: Deliverer,
    zones: dict[str, ZoneInfo],
    now: datetime,
    calendar_of: Callable[[str], WorkCalendar],
    *,
    dry_run: bool = False,
    opted_out: Mapping[str, str] | None = None,
) -> tuple[list[tuple[JournalEntry, bytes]], datetime | None]:
    """Retries whose time has come, inside the recipient's window and before their deadline, with
    their stored bytes; and when the next one outside its window may go (:func:`sort_retries`).

    Those past their deadline are counted as ``expired`` — and recorded so,
    unless ``dry_run``: a dry run changes nothing. Those whose address went on
    the do-not-contact list after the letter was written (an objection, a
    one-click unsubscribe, a bounce) are counted as skipped ``suppressed`` and
    recorded so, their stored letter dropped (:meth:`JournalStore.skip_suppressed`):
    the stored bytes used to go out regardless. The claim checks the list
    again, for an address added while the batch runs. So are those of a
    contact the CRM flagged do-not-contact since (``opted_out``: contact id →
    why, :func:`greeter.precheck.crm_opt_out`; or one that opted out under any address,
    :func:`greeter.precheck.opted_out_words`): the planner skips its new
    occasions, and a 4xx'd letter written before the flag must not go either.
    """
    found = sort_retries(journal.due_retries(now), zones, deliverer.settings, now, calendar_of)
    for entry in found.expired:
        if not dry_run:
            journal.mark_expired(entry.key, now)
        deliverer.summary.skipped["expired"] += 1
        deliverer.summary.expired.append(entry.key)
    # A failed greeting an operator put back in line has no stored letter: the plan writes it
    # afresh (to the address the contact has now), and only its expiry is the retries' business.
    waiting = [entry for entry in found.ready if not is_requeued(entry)]
    listed = journal.suppressed() if waiting else set()
    going: list[JournalEntry] = []
    for entry in waiting:
        if entry.email is not None and email_key(entry.email) in listed:  # the address itself first
            if dry_run or journal.skip_suppressed(entry.key, entry.email, now):
                deliverer.summary.skipped["suppressed"] += 1
        elif opted_out and (why := opted_out.get(entry.contact_id)) is not None:
            if not dry_run:
                journal.mark_skipped(entry.key, f"suppressed: {why}", now)
            deliverer.summary.skipped["suppressed"] += 1
        else:
            going.append(entry)
    ready = [(entry, data) for entry in going if (data := journal.payload(entry.key)) is not None]
    return ready, found.wake
