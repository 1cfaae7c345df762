"""Letters the server accepted that the journal failed to record: a second try, then their keys.

A journal that fails mid-run (a full disk, SQLite's ``database or disk is
full``) leaves the letters the server had already accepted ``claimed``; the
next send records them ``uncertain`` (never resent). One more try before the
run exits — after a checkpoint, which on SQLite empties the ``-wal`` and may
give back the room the failed write needed — records most of them ``sent``
as they are. Those still unrecorded are named on stderr, so that an operator
who knows the server accepted them can ``greeter uncertain dismiss`` them
rather than resend them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from greeter.delivery import Deliverer, Leased
from greeter.errors import JournalError, JournalFailedMidRunError
from greeter.journal_store import JournalKey, JournalStore

if TYPE_CHECKING:
    from greeter.send_transport import WireCounts


def record_accepted_late(
    journal: JournalStore, accepted: Mapping[JournalKey, str], now: datetime
) -> tuple[int, list[JournalKey]]:
    """Record as ``sent`` each accepted letter still ``claimed``: (how many now were, the keys still not).

    Only rows still ``claimed`` by this run are touched: one recorded before
    the failure is left as it is. Never raises a journal error: a journal
    that still fails leaves the rest to the next send (``uncertain``). SQLite
    only: its failures are the local disk's, which a checkpoint may mend.
    """
    from greeter.journal import Journal

    if not isinstance(journal, Journal):
        return 0, []  # PostgreSQL gone: each try would wait for its reconnects (~45 s) in vain
    journal.checkpoint()  # never raises; what stands in the way does not matter here
    recorded = 0
    keys = list(accepted)
    for i, key in enumerate(keys):
        try:
            rows = [row for row in journal.history(contact_id=key[0]) if row.key == key]
            if not rows or rows[0].state != "claimed":
                continue
            journal.mark_sent(key, accepted[key], now)
            recorded += 1
        except JournalError:
            # Still failing: the rest would too. Those recorded before the failure are not named.
            left = [k for k in keys[i:] if _still_claimed(journal, k)]
            return recorded, left
    return recorded, []


def _still_claimed(journal: JournalStore, key: JournalKey) -> bool:
    """Whether ``key``'s row reads ``claimed`` (True when it cannot be read: better named than not)."""
    try:
        return any(row.key == key and row.state == "claimed" for row in journal.history(contact_id=key[0]))
    except JournalError:
        return True


def failed_mid_run(
    cause: JournalError, journal: JournalStore, wire: WireCounts, deliverer: Deliverer
) -> JournalFailedMidRunError:
    """The error a run whose journal failed mid-batch exits with, after :func:`record_accepted_late`.

    The ``file`` transport says "the outbox" rather than "the mail server" took them.
    """
    late, unrecorded = record_accepted_late(journal, wire.accepted_replies, deliverer.clock())
    sent = deliverer.summary.counts["sent"]
    # A shared journal's leases were renewed up to now at the latest (UTC, by this machine's clock).
    ends = datetime.now(UTC) + journal.lease if isinstance(journal, Leased) else None
    return JournalFailedMidRunError(
        cause,
        accepted=wire.accepted,
        recorded=sent + late,
        lease_ends=ends,
        unrecorded=unrecorded,
        outbox=deliverer.settings.delivery.transport == "file",
    )
