"""Opt-out events: every change to the do-not-contact list and the person-level opt-outs, kept.

``suppression`` and ``suppressed_contacts`` say what is in force, and ``unsuppress`` deletes
from them: before, an opt-out lifted left no trace, so "you wrote to me after I opted out"
(a bank's complaints desk, a regulator) could not be answered, and an erasure's entry went with
one command. ``optout_events`` (SQLite migration 12, PostgreSQL 8) is append-only: each address
or contact id put on the list (``added``) or taken off (``lifted``), when greeter recorded it,
through which channel (:data:`~greeter.journal_store.CHANNELS`), why, and by whom when known.

Each event is written by a statement of the same transaction as the change it records, so the
list and its record never disagree. Only ``greeter forget`` rewrites an event: its free-text
reason (``--reason "called, +7 913 …"``) becomes the fact of the erasure, as the list's entry's
does; the event, its date and who lifted it stay (the accountability record, GDPR art. 5(2)).

Written once for both backends on :class:`~greeter.journal_sql.JournalSql`'s hooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from greeter.contacts import email_key
from greeter.erasure_records import ERASURE_REASON, Erasure
from greeter.journal_sql import JournalSql
from greeter.journal_store import OptOutEvent

__all__ = ["EVENTS_TABLE", "EVENT_COLUMNS", "OptOutEvents"]

#: The table of opt-out events (append-only).
EVENTS_TABLE = "optout_events"

#: The table's columns, in its order.
EVENT_COLUMNS = "recorded_at, event, email, contact_id, channel, reason, actor, since"
_COLUMNS = EVENT_COLUMNS


def _moment(value: Any) -> datetime | None:
    """A stored moment: SQLite's ISO text, PostgreSQL's ``timestamptz`` as psycopg gives it; None."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


class OptOutEvents(JournalSql):
    """Mixin: the statements recording events, :meth:`unsuppress` and :meth:`optout_events`."""

    def _event_params(
        self,
        event: str,
        now: datetime,
        *,
        email: str = "",
        contact_id: str | None = None,
        channel: str = "manual",
        reason: str = "",
        by: str | None = None,
        since: datetime | None = None,
    ) -> dict[str, Any]:
        """The parameters of :meth:`_event_insert` for one event (``ev_`` names: a statement may
        carry its change's own parameters beside them)."""
        return {
            "ev_at": self._at(now),
            "ev_event": event,
            "ev_email": email,
            "ev_cid": contact_id,
            "ev_channel": channel,
            "ev_reason": reason,
            "ev_by": by or None,
            "ev_since": None if since is None else self._at(since),
        }

    def _event_insert(self, condition: str = "true") -> str:
        """The statement recording one event (:meth:`_event_params`) where ``condition`` holds
        (SQL on the same parameters: "the address is not listed yet", read in the transaction)."""
        p = self._p
        values = ", ".join(p(f"ev_{n}") for n in ("at", "event", "email", "cid", "channel", "reason", "by"))
        return f"INSERT INTO {EVENTS_TABLE} ({_COLUMNS}) SELECT {values}, {p('ev_since')} WHERE {condition}"

    def _unlisted(self) -> str:
        """The condition "``ev_email`` is not on the list (yet)": an ``added`` event only for a change."""
        return f"NOT EXISTS (SELECT 1 FROM suppression WHERE email = {self._p('ev_email')})"

    def unsuppress(
        self, emails: Iterable[str], now: datetime, *, by: str | None = None, reason: str = ""
    ) -> int:
        """:meth:`JournalStore.unsuppress`: each address's ``lifted`` event, then its delete, one
        transaction; the event only where the address was listed."""
        p = self._p
        listed = f"EXISTS (SELECT 1 FROM suppression WHERE email = {p('ev_email')})"
        delete = f"DELETE FROM suppression WHERE email = {p('ev_email')}"
        statements: list[tuple[str, Mapping[str, Any]]] = []
        for key in dict.fromkeys(email_key(e) for e in emails):
            params = self._event_params("lifted", now, email=key, reason=reason, by=by)
            statements += [(self._event_insert(listed), params), (delete, params)]
        if not statements:
            return 0
        return sum(self._change_all(statements)[1::2])

    def optout_events(self, email: str | None = None) -> list[OptOutEvent]:
        """:meth:`JournalStore.optout_events`: one read, oldest first (the address's entry before its
        bindings, an ``added`` before a ``lifted`` of one moment)."""
        where, params = (
            ("", {}) if email is None else (f" WHERE email = {self._p('e')}", {"e": email_key(email)})
        )
        rows = self._fetch(f"SELECT {_COLUMNS} FROM {EVENTS_TABLE}{where}", params)
        found = [
            OptOutEvent(
                recorded_at=_moment(r[0]) or datetime.min.replace(tzinfo=UTC),
                event=r[1],
                email=r[2],
                contact_id=r[3],
                channel=r[4],
                reason=r[5],
                by=r[6],
                since=_moment(r[7]),
            )
            for r in rows
        ]
        return sorted(
            found,
            key=lambda e: (
                e.recorded_at,
                e.event != "added",
                e.email,
                e.contact_id is not None,
                e.contact_id or "",
            ),
        )

    def _erased_events(
        self, email: str, contact_ids: Iterable[str], reason: str
    ) -> tuple[str, dict[str, Any]]:
        """``forget``'s rewrite of the earlier events of ``email`` and ``contact_ids``: their reason,
        free text that may name the person, becomes ``reason`` (the fact of the erasure). Who
        recorded them and when stays: that is the bank's record, not the person's data."""
        p = self._p
        params: dict[str, Any] = {"email": email_key(email), "reason": reason}
        params.update({f"c{i}": cid for i, cid in enumerate(sorted(set(contact_ids)))})
        ids = [p(n) for n in params if n.startswith("c")]
        tests = [f"email = {p('email')}", *([f"contact_id IN ({', '.join(ids)})"] if ids else [])]
        statement = f"UPDATE {EVENTS_TABLE} SET reason = {p('reason')} WHERE {' OR '.join(tests)}"
        return statement, params

    def _erasure_events(
        self, found: Erasure, now: datetime, by: str | None
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        """``forget``'s events, run in its transaction after the list and the bindings are written:
        the earlier events' reasons rewritten (:meth:`_erased_events`), then the erasure itself,
        ``added`` through ``erasure`` for the address and for every contact id it binds — recorded
        whether or not the address was listed before: the request is the event."""
        from greeter.journal_optouts import PERSON_TABLE  # it builds on this module

        p = self._p
        scrub = self._erased_events(
            found.email, found.contact_ids, f"erased on {now:%Y-%m-%d}: reason removed"
        )
        own = self._event_params(
            "added", now, email=found.email, channel="erasure", reason=ERASURE_REASON, by=by
        )
        own["ev_since"] = own["ev_at"]
        ids = {f"c{i}": cid for i, cid in enumerate(found.contact_ids)}
        given = "".join(f" UNION SELECT {p(n)}" for n in ids)
        values = ", ".join(p(f"ev_{n}") for n in ("at", "event", "email"))
        persons = (
            f"INSERT INTO {EVENTS_TABLE} ({_COLUMNS}) SELECT {values}, contact_id, {p('ev_channel')},"
            f" {p('ev_reason')}, {p('ev_by')}, {p('ev_since')}"
            f" FROM (SELECT contact_id FROM {PERSON_TABLE} WHERE email = {p('ev_email')}{given}) AS bound"
        )
        return [
            (scrub[0], [scrub[1]]),
            (self._event_insert(), [own]),
            (persons, [{**own, **ids}]),
        ]
