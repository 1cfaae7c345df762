"""The SQLite journal's records besides its greetings: approvals, the occasions' start dates, the
notices, the do-not-contact list and erasures (:class:`SqliteRecords`, a mixin of
:class:`~greeter.journal.Journal`; PostgreSQL's are :class:`~greeter.journal_pg_base.PgJournalBase`'s).
"""

from __future__ import annotations

import sqlite3
from abc import abstractmethod
from collections.abc import Collection, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from greeter.contacts import email_key
from greeter.erasure_records import Erasure, erasable, former_addresses
from greeter.errors import ClaimedNowError
from greeter.journal_optout_events import OptOutEvents
from greeter.journal_schema import db_time, key_params, parse_time
from greeter.journal_store import Approvals, Approver, JournalKey, Notice, Suppression


class SqliteRecords(OptOutEvents):
    """Mixin of :class:`~greeter.journal.Journal`: what it keeps besides the greetings, on its connection."""

    #: Why the journal was opened for reading only (None: it is writable).
    read_only: str | None

    @abstractmethod
    def _db(self, *, write: bool = False, fsync: bool = True) -> AbstractContextManager[sqlite3.Connection]:
        """The journal's connection for one transaction (:meth:`greeter.journal.Journal._db`)."""

    @abstractmethod
    def sender_active(self) -> bool:
        """Whether a sender holds the journal (:meth:`~greeter.journal_lock.SenderLock.sender_active`)."""

    # --- approvals (review: required) -----------------------------------------

    def approve(self, drafts: Iterable[tuple[JournalKey, str]], by: str, now: datetime) -> int:
        """Record that ``by`` approved each draft's exact content (its hash); returns how many.

        Approving again replaces the old hash: the newest reviewed content is
        the one allowed out.
        """
        rows = [(*key_params(k).values(), h, by, db_time(now)) for k, h in drafts]
        with self._db(write=True) as db:
            db.executemany(
                "INSERT INTO approvals (contact_id, occasion, occasion_date, content_hash, approved_by,"
                " approved_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, occasion, occasion_date)"
                " DO UPDATE SET content_hash = excluded.content_hash, approved_by = excluded.approved_by,"
                " approved_at = excluded.approved_at",
                rows,
            )
        return len(rows)

    def approvals_since(self, since: date) -> Approvals:
        """Approved content hashes of greetings whose occasion is on or after ``since``, who approved
        each and when: one query."""
        with self._db() as db:
            rows = db.execute(
                "SELECT contact_id, occasion, occasion_date, content_hash, approved_by, approved_at"
                " FROM approvals WHERE occasion_date >= ?",
                (since.isoformat(),),
            ).fetchall()
        hashes: dict[JournalKey, str] = {}
        approvers: dict[JournalKey, Approver] = {}
        for contact_id, occasion, day, content, by, at in rows:
            key = (contact_id, occasion, date.fromisoformat(day))
            hashes[key] = content
            approvers[key] = Approver(by, datetime.fromisoformat(at))
        return Approvals(hashes, approvers)

    # --- occasions and since when they exist ----------------------------------

    def known_occasions(self) -> dict[str, datetime | None]:
        with self._db() as db:
            return {r[0]: parse_time(r[1]) for r in db.execute("SELECT name, since FROM occasions")}

    def occasion_names(self) -> set[str]:
        with self._db() as db:
            rows = db.execute("SELECT occasion FROM greetings UNION SELECT name FROM occasions")
            return {r[0] for r in rows}

    def record_occasions(self, since: Mapping[str, datetime | None]) -> None:
        rows = [(name, None if at is None else db_time(at)) for name, at in since.items()]
        with self._db(write=True) as db:
            db.executemany(
                "INSERT INTO occasions (name, since) VALUES (?, ?) ON CONFLICT (name) DO UPDATE"
                " SET since = excluded.since WHERE excluded.since < occasions.since",
                rows,
            )

    # --- what was last said of a standing matter --------------------------------

    def _can_write(self) -> bool:
        return self.read_only is None

    def notice(self, name: str) -> Notice | None:
        with self._db() as db:
            row = db.execute("SELECT fingerprint, said_at FROM notices WHERE name = ?", (name,)).fetchone()
        return None if row is None else Notice(row["fingerprint"], datetime.fromisoformat(row["said_at"]))

    def record_notice(self, name: str, fingerprint: str, now: datetime) -> None:
        with self._db(write=True) as db:
            db.execute(
                "INSERT INTO notices (name, fingerprint, said_at) VALUES (?, ?, ?) ON CONFLICT (name)"
                " DO UPDATE SET fingerprint = excluded.fingerprint, said_at = excluded.said_at",
                (name, fingerprint, db_time(now)),
            )

    # --- the do-not-contact list ----------------------------------------------

    def suppressed(self) -> set[str]:
        """The whole list, case-folded, for the planner to take as plain data."""
        with self._db() as db:
            return {r[0] for r in db.execute("SELECT email FROM suppression")}

    def suppression_list(self) -> list[Suppression]:
        with self._db() as db:
            rows = db.execute("SELECT email, reason, created_at FROM suppression").fetchall()
        return sorted(
            (Suppression(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows),
            key=lambda s: (s.created_at, s.email),
        )

    def is_suppressed(self, email: str) -> bool:
        with self._db() as db:
            row = db.execute("SELECT 1 FROM suppression WHERE email = ?", (email_key(email),)).fetchone()
        return row is not None

    def suppress_dated(
        self,
        entries: Iterable[Suppression],
        *,
        channel: str = "import",
        by: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Add addresses each with its own reason and date; returns how many were new. Each new one's
        ``added`` event (:mod:`greeter.journal_optout_events`) is written before it, in its transaction."""
        rows: dict[str, Suppression] = {}
        for e in entries:
            if e.email.strip():
                rows.setdefault(email_key(e.email), e)  # the first of each wins, as INSERT OR IGNORE did
        statements: list[tuple[str, Mapping[str, Any]]] = []
        listing = (
            "INSERT OR IGNORE INTO suppression (email, reason, created_at) VALUES (:email, :reason, :since)"
        )
        for key, e in rows.items():
            event = self._event_params(
                "added", now or e.created_at, email=key, channel=channel, reason=e.reason, by=by,
                since=e.created_at,
            )  # fmt: skip
            listed = {"email": key, "reason": e.reason, "since": db_time(e.created_at)}
            statements += [(self._event_insert(self._unlisted()), event), (listing, listed)]
        return sum(self._change_all(statements)[1::2]) if statements else 0

    # --- erasure requests (greeter forget) --------------------------------------

    def _erasure(self, db: sqlite3.Connection, email: str, contact_ids: Collection[str]) -> Erasure:
        """What :meth:`forget` erases, read on ``db`` (inside its transaction when it forgets).

        Every row with an address is read and compared in Python, as the list
        compares (SQLite's ``lower`` folds ASCII only: ``Иван@Пример.РФ``).
        """
        rows = [
            (r[0], r[1], date.fromisoformat(r[2]), r[3], r[4])
            for r in db.execute("SELECT contact_id, occasion, occasion_date, email, state FROM greetings")
        ]
        found, ids = erasable(rows, email, contact_ids)
        marks = ", ".join("?" * len(ids))
        approvals = db.execute(f"SELECT count(*) FROM approvals WHERE contact_id IN ({marks})", sorted(ids))
        listed = db.execute(
            "SELECT email, reason, created_at FROM suppression WHERE email = ?", (email_key(email),)
        ).fetchone()
        claimed = [key for key, state in found if state == "claimed"]
        return Erasure(
            email=email_key(email),
            greetings=tuple(key for key, _ in found),
            states=tuple(state for _, state in found),
            approvals=int(approvals.fetchone()[0]),
            listed=None
            if listed is None
            else Suppression(listed[0], listed[1], datetime.fromisoformat(listed[2])),
            # A claim is live only while a sender holds the lock; without one it was left by a crash.
            claimed=tuple(claimed) if claimed and self.sender_active() else (),
            contact_ids=tuple(sorted(ids)),
            former=former_addresses(rows, email, (key for key, _ in found)),
        )

    def erasure(self, email: str, contact_ids: Collection[str] = ()) -> Erasure:
        with self._db() as db:
            return self._erasure(db, email, contact_ids)

    def forget(
        self, email: str, now: datetime, contact_ids: Collection[str] = (), *, by: str | None = None
    ) -> Erasure:
        """:meth:`JournalStore.forget`: one ``BEGIN IMMEDIATE`` transaction, so no claim slips in between."""
        with self._db(write=True) as db:
            found = self._erasure(db, email, contact_ids)
            if found.claimed:
                raise ClaimedNowError(found.email, found.claimed)
            for statement, params in self._forget_writes(found, now, by):
                db.executemany(statement, params)
        return found
