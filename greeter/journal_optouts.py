"""Person-level opt-outs: an unsubscribe or a complaint binds the contact id, not only the address.

The do-not-contact list (``suppression``) is keyed by address, which is right
for a hard bounce — the mailbox is gone, and a new address of the same client
should be greeted. An unsubscribe, a complaint, a request by hand or an
erasure request (``greeter forget``) is the *person's* wish: when the CRM later
gives the same contact id another address (or the cell lists several and the
order changes, or drops one), the address alone would greet them again. So
such an opt-out also writes ``suppressed_contacts`` (SQLite migration 8,
PostgreSQL 5): the contact id, the address it came from, its reason and date.
The planner skips a bound contact whatever address it has
(:func:`greeter.precheck.do_not_contact`), naming the old address and the date.

Written once for both backends on :class:`~greeter.journal_sql.JournalSql`'s
hooks (``_p``, ``_at``, ``_fetch``, ``_change_all``), as the transitions are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from greeter.contacts import email_key
from greeter.erasure_records import erased_reason
from greeter.journal_optout_events import EVENT_COLUMNS, EVENTS_TABLE, OptOutEvents
from greeter.journal_store import PersonOptOut

__all__ = ["PERSON_TABLE", "OptOuts"]

#: The table of person-level opt-outs (contact id → the address it came from, reason, date).
PERSON_TABLE = "suppressed_contacts"

_COLUMNS = "contact_id, email, reason, created_at"


def _moment(value: Any) -> datetime:
    """A stored moment: SQLite's ISO text, PostgreSQL's ``timestamptz`` as psycopg gives it."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


class OptOuts(OptOutEvents):
    """Mixin: :meth:`opt_out`, :meth:`opted_out_contacts`, :meth:`lift_opt_outs` for both backends.

    Each change is recorded as an opt-out event (:mod:`greeter.journal_optout_events`) by a
    statement of its own transaction, placed before the change it records: "not listed (bound)
    yet" is read there, so an address or a person already opted out gets no second ``added``.
    """

    def opt_out(
        self,
        emails: Iterable[str],
        reason: str,
        now: datetime,
        contact_ids: Mapping[str, Collection[str]] | None = None,
        *,
        channel: str = "manual",
        by: str | None = None,
    ) -> tuple[int, int]:
        """:meth:`JournalStore.opt_out`: the addresses listed and the contact ids bound, one transaction.

        The journal's greetings are matched by ``lower(email)``, as
        :meth:`iter_history` matches an address (a contact's address is ASCII:
        its domain in IDNA form, a non-ASCII mailbox never loaded).
        """
        p = self._p
        listing = (
            f"INSERT INTO suppression (email, reason, created_at) VALUES ({p('email')}, {p('reason')},"
            f" {p('now')}) ON CONFLICT (email) DO NOTHING"
        )
        greeted = (
            f"INSERT INTO {PERSON_TABLE} ({_COLUMNS}) SELECT DISTINCT contact_id, {p('email')},"
            f" {p('reason')}, {p('now')} FROM greetings WHERE lower(email) = {p('email')}"
            " ON CONFLICT (contact_id) DO NOTHING"
        )
        given = self._bind_one()
        at = self._at(now)
        unbound = f"NOT EXISTS (SELECT 1 FROM {PERSON_TABLE} WHERE contact_id = {p('ev_cid')})"
        values = ", ".join(p(f"ev_{n}") for n in ("at", "event", "email"))
        greeted_events = (
            f"INSERT INTO {EVENTS_TABLE} ({EVENT_COLUMNS})"
            f" SELECT DISTINCT {values}, contact_id, {p('ev_channel')}, {p('ev_reason')}, {p('ev_by')},"
            f" {p('ev_since')} FROM greetings WHERE lower(email) = {p('ev_email')} AND NOT EXISTS"
            f" (SELECT 1 FROM {PERSON_TABLE} AS bound WHERE bound.contact_id = greetings.contact_id)"
        )
        statements: list[tuple[str, Mapping[str, Any]]] = []
        # True: a statement that lists an address; False: one that binds ids; None: an event's
        kinds: list[bool | None] = []
        for key in dict.fromkeys(email_key(e) for e in emails if e.strip()):
            params = {"email": key, "reason": reason, "now": at}
            event = self._event_params(
                "added", now, email=key, channel=channel, reason=reason, by=by, since=now
            )
            statements += [
                (self._event_insert(self._unlisted()), event),
                (listing, params),
                (greeted_events, event),
                (greeted, params),
            ]
            kinds += [None, True, None, False]
            for cid in sorted((contact_ids or {}).get(key, ())):
                statements += [
                    (self._event_insert(unbound), {**event, "ev_cid": cid}),
                    (given, {**params, "cid": cid}),
                ]
                kinds += [None, False]
        if not statements:
            return 0, 0
        counts = self._change_all(statements)
        listed = sum(n for n, kind in zip(counts, kinds, strict=True) if kind is True)
        return listed, sum(n for n, kind in zip(counts, kinds, strict=True) if kind is False)

    def _bind_one(self) -> str:
        """The statement binding one contact id (``cid``) to an address, reason and moment (``now``)."""
        p = self._p
        return (
            f"INSERT INTO {PERSON_TABLE} ({_COLUMNS}) VALUES ({p('cid')}, {p('email')}, {p('reason')},"
            f" {p('now')}) ON CONFLICT (contact_id) DO NOTHING"
        )

    def restore_opt_outs(
        self, opt_outs: Iterable[PersonOptOut], *, channel: str = "import", by: str | None = None
    ) -> int:
        """:meth:`JournalStore.restore_opt_outs`: :meth:`_bind_one` for each, with its ``added`` event
        where the id was not bound yet, one transaction. The event's moment is the binding's own
        date (``--contact``'s is now; a list moved keeps the opt-out's)."""
        given = self._bind_one()
        unbound = f"NOT EXISTS (SELECT 1 FROM {PERSON_TABLE} WHERE contact_id = {self._p('ev_cid')})"
        statements: list[tuple[str, Mapping[str, Any]]] = []
        for o in opt_outs:
            email = email_key(o.email) if o.email.strip() else ""
            at = self._at(o.created_at)
            event = self._event_params(
                "added", o.created_at, email=email, contact_id=o.contact_id, channel=channel,
                reason=o.reason, by=by, since=o.created_at,
            )  # fmt: skip
            statements += [
                (self._event_insert(unbound), event),
                (given, {"cid": o.contact_id, "email": email, "reason": o.reason, "now": at}),
            ]
        return sum(self._change_all(statements)[1::2]) if statements else 0

    def opted_out_contacts(self) -> dict[str, PersonOptOut]:
        """:meth:`JournalStore.opted_out_contacts`: the whole table, one read."""
        rows = self._fetch(f"SELECT {_COLUMNS} FROM {PERSON_TABLE}", {})
        return {r[0]: PersonOptOut(r[0], r[1], r[2], _moment(r[3])) for r in rows}

    def lift_opt_outs(
        self,
        emails: Iterable[str] = (),
        contact_ids: Iterable[str] = (),
        *,
        now: datetime | None = None,
        by: str | None = None,
        reason: str = "",
    ) -> list[PersonOptOut]:
        """:meth:`JournalStore.lift_opt_outs`: read, then each one's ``lifted`` event and the delete in
        one transaction; oldest first. ``now`` None: the clock's (a caller without one of its own)."""
        params: dict[str, Any] = {}
        for prefix, values in (("e", {email_key(e) for e in emails}), ("c", set(contact_ids))):
            params.update({f"{prefix}{i}": v for i, v in enumerate(sorted(values))})
        if not params:
            return []
        marks = {prefix: [self._p(n) for n in params if n[0] == prefix] for prefix in "ec"}
        tests = [
            f"{column} IN ({', '.join(marks[prefix])})"
            for column, prefix in (("email", "e"), ("contact_id", "c"))
            if marks[prefix]
        ]
        where = f"WHERE {' OR '.join(tests)}"
        found = [
            PersonOptOut(r[0], r[1], r[2], _moment(r[3]))
            for r in self._fetch(f"SELECT {_COLUMNS} FROM {PERSON_TABLE} {where}", params)
        ]
        if found:
            moment = now or datetime.now(UTC)
            events = [
                (
                    self._event_insert(),
                    self._event_params(
                        "lifted", moment, email=o.email, contact_id=o.contact_id, reason=reason, by=by
                    ),
                )
                for o in found
            ]
            self._change_all([*events, (f"DELETE FROM {PERSON_TABLE} {where}", params)])
        return sorted(found, key=lambda o: (o.created_at, o.contact_id))

    def _erased_opt_outs(
        self, email: str, contact_ids: Collection[str], now: datetime
    ) -> tuple[str, dict[str, Any]]:
        """The statement ``forget`` runs in its transaction on the opt-outs of ``email`` and ``contact_ids``.

        An erasure request is the person's wish, as an opt-out by hand is: the
        contact ids it found (:attr:`~greeter.erasure_records.Erasure.contact_ids`)
        are bound (:meth:`opt_out`), so a CRM that later drops the erased
        address from the cell does not bring the person — and the letters whose
        rows were erased — back. An opt-out there already is kept (its date and
        address: the older evidence), but its reason, free text that may name
        the person (``--reason "called, +7 913 …"``), becomes the fact of the
        erasure (:func:`~greeter.erasure_records.erased_reason`), as the address's
        own entry's does. One statement: the callers run it inside ``forget``'s
        transaction.
        """
        p = self._p
        params: dict[str, Any] = {
            "email": email_key(email),
            "reason": erased_reason(now.date()),
            "now": self._at(now),
        }
        params.update({f"c{i}": cid for i, cid in enumerate(sorted(set(contact_ids)))})
        given = "".join(f" UNION SELECT {p(n)}" for n in params if n.startswith("c"))
        statement = (
            f"INSERT INTO {PERSON_TABLE} ({_COLUMNS})"
            f" SELECT contact_id, {p('email')}, {p('reason')}, {p('now')}"
            f" FROM (SELECT contact_id FROM {PERSON_TABLE} WHERE email = {p('email')}{given}) AS bound"
            # WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT after a SELECT.
            " WHERE true ON CONFLICT (contact_id) DO UPDATE SET reason = excluded.reason"
        )
        return statement, params
