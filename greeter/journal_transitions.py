"""The journal's outcome transitions, written once for both backends.

Which state a greeting may move to, from which states, and what each move
records (the reply, the sent day, the dropped payload) is the journal's state
machine (drawn in :mod:`greeter.journal_store`); it must not drift between
SQLite and PostgreSQL. Each move is described once, as a :class:`Move`, and
each backend supplies only what differs: how a query names a parameter
(:meth:`~greeter.journal_sql.JournalSql._p`), how it stores a moment
(:meth:`~greeter.journal_sql.JournalSql._at`), how it computes the
recipient's local sent day (:attr:`Transitions._SENT_DAY`), and how it
carries the guarded move out (:meth:`Transitions._apply`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from greeter.errors import JournalStateError
from greeter.journal_sql import JournalSql
from greeter.journal_store import (
    DISMISSED,
    EXPIRED_PREFIX,
    MERGED_INTO,
    PUT_BACK_FROM,
    REQUEUED,
    RESEND,
    JournalEntry,
    JournalKey,
    SentLetter,
    decision_reason,
)


@dataclass(frozen=True, slots=True)
class Move:
    """One guarded state change: ``key`` from one of ``sources`` to ``to``.

    ``sets`` adds ``, column = value`` assignments in the backend's
    placeholders, bound from ``params``. With ``record_missing=(email,
    reason)`` a greeting the journal has never seen is inserted straight into
    ``to`` (skips and expiries are history too). ``fsync=False`` may commit
    without waiting for the disk: lost, the row is back at ``claimed`` and
    becomes ``uncertain`` — never a second letter.
    """

    key: JournalKey
    to: str
    sources: tuple[str, ...]
    now: datetime
    sets: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    record_missing: tuple[str | None, str] | None = None
    fsync: bool = True
    #: A row ``record_missing`` inserts: the day its letter left and the occasions it carried.
    send_day: date | None = None
    merged: tuple[str, ...] = ()

    def check(self, state: str | None) -> None:
        """Raise unless a row in ``state`` (None: no row) may make this move — a bug, not data."""
        if state is None or state not in self.sources:
            found = "there is no such greeting" if state is None else f"it is {state}"
            name = f"{self.key[0]}/{self.key[1]}/{self.key[2].isoformat()}"
            raise JournalStateError(f"cannot make greeting {name} {self.to}: {found}")


def merged_reason(occasion: str) -> str:
    """The reason of a ``skipped`` row whose occasion rides in ``occasion``'s letter."""
    return f"{MERGED_INTO}{occasion}"


def merged_carrier(reason: str | None) -> str | None:
    """The occasion whose letter carries a row :func:`merged_reason` wrote, else None."""
    if reason is None or not reason.startswith(MERGED_INTO):
        return None
    return reason[len(MERGED_INTO) :] or None


def merged_rows(carrier: JournalEntry, rows: Iterable[JournalEntry]) -> list[JournalKey]:
    """The ``skipped`` rows of the occasions that rode in ``carrier``'s letter, among ``rows`` (pure).

    The journal keeps only their names on the carrier (``merged``) and the
    carrier's occasion in their reason (:func:`merged_reason`); the same
    pair rides along every year (New Year in the 2 January birthday's
    letter), so of each name the row nearest the carrier's day is the one.
    """
    reason = merged_reason(carrier.occasion)
    found: dict[str, JournalEntry] = {}
    for row in rows:
        if (
            row.contact_id != carrier.contact_id
            or row.state != "skipped"
            or row.reason != reason
            or row.occasion not in carrier.merged
        ):
            continue
        near = found.get(row.occasion)
        if near is None or _apart(row, carrier) < _apart(near, carrier):
            found[row.occasion] = row
    return [row.key for row in found.values()]


def _apart(row: JournalEntry, carrier: JournalEntry) -> int:
    return abs((row.occasion_date - carrier.occasion_date).days)


def suppressed_reason(email: str) -> str:
    """The reason of a ``skipped`` row whose address is on the do-not-contact list.

    The planner's words for the same skip (:func:`greeter.precheck.precheck`), so
    ``greeter history`` reads both as the reason code ``suppressed``.
    """
    return f"suppressed: {email} is on the do-not-contact list"


def release_check(key: JournalKey, state: str | None) -> None:
    """Raise unless a row in ``state`` may be given back (``JournalStore.release``): a bug, not data."""
    if state != "claimed":
        found = "there is no such greeting" if state is None else f"it is {state}"
        name = f"{key[0]}/{key[1]}/{key[2].isoformat()}"
        raise JournalStateError(f"cannot release greeting {name}: {found}")


class Transitions(JournalSql):
    """Mixin: ``mark_*``, ``resend``, ``dismiss``, ``requeue`` as :class:`Move` s on ``_apply``."""

    #: SQL for the day a letter was sent, in the recipient's zone (from ``utc_offset_minutes``).
    _SENT_DAY: str

    #: What a move that finishes a greeting adds to its ``sets`` to drop the letter's bytes (a state
    #: not in :data:`~greeter.journal_states.LETTER_STATES`): PostgreSQL's ``, payload = NULL``;
    #: SQLite's nothing, where the move's own statement drops them by its trigger
    #: (:data:`~greeter.journal_schema.LETTER_TRIGGERS`) from their table of their own.
    _DROP_LETTER: str

    @abstractmethod
    def _apply(self, move: Move) -> None:
        """Carry ``move`` out in one transaction (committed before returning)."""

    def _apply_all(self, shape: Move, each: Sequence[tuple[JournalKey, Mapping[str, Any], datetime]]) -> bool:
        """Make the move ``shape`` (its ``to``, ``sources``, ``sets`` and ``fsync``) of each
        ``(key, params, now)`` at once: True. Not a :class:`Move` each: a frozen dataclass's
        ``__init__`` cost ~15,000 instructions a letter, a third of what this saves.

        False: nothing written, the backend has no quicker way than :meth:`_apply` for each (the
        default). If one of them finds its row in no source state,
        :class:`~greeter.errors.NotAllMovedError`: the transaction they ran in is rolled back, whole.
        """
        del shape, each
        return False

    def mark_sent(self, key: JournalKey, reply: str, now: datetime) -> None:
        """The server answered 250 after DATA: delivered; the stored bytes are dropped."""
        self._apply(self._sent_move(key, reply, now))

    def mark_all_sent(self, sent: Sequence[tuple[JournalKey, str, datetime]]) -> bool:
        """:meth:`mark_sent` of each ``(key, reply, now)`` at once (:meth:`_apply_all`)."""
        if not sent:
            return True
        shape = self._sent_move(*sent[0])
        return self._apply_all(shape, [(key, {"reply": reply}, now) for key, reply, now in sent])

    def _sent_move(self, key: JournalKey, reply: str, now: datetime) -> Move:
        p = self._p
        sets = f", last_reply = {p('reply')}, sent_at = {p('now')}{self._DROP_LETTER}"
        sets += f", send_day = {self._SENT_DAY}"
        return Move(key, "sent", ("claimed",), now, sets, {"reply": reply}, fsync=False)

    def mark_retry(self, key: JournalKey, reply: str, next_attempt_at: datetime, now: datetime) -> None:
        """A temporary failure (4xx, connection): claimable again from ``next_attempt_at``."""
        sets = f", last_reply = {self._p('reply')}, next_attempt_at = {self._p('next')}"
        params = {"reply": reply, "next": self._at(next_attempt_at)}
        self._apply(Move(key, "retry", ("claimed",), now, sets, params, fsync=False))

    def mark_failed(self, key: JournalKey, reply: str, now: datetime) -> None:
        """A permanent refusal (5xx): never tried again."""
        sets = f", last_reply = {self._p('reply')}{self._DROP_LETTER}"
        self._apply(Move(key, "failed", ("claimed",), now, sets, {"reply": reply}, fsync=False))

    def mark_uncertain(self, key: JournalKey, reply: str, now: datetime) -> None:
        """No reply after DATA's final dot: maybe delivered, so only an operator may resend."""
        sets = f", last_reply = {self._p('reply')}, reason = 'no reply after the message was sent'"
        self._apply(Move(key, "uncertain", ("claimed",), now, sets, {"reply": reply}, fsync=False))

    def mark_skipped(self, key: JournalKey, reason: str, now: datetime, *, email: str | None = None) -> None:
        """Record a greeting that will not be sent (e.g. suppressed after it was planned)."""
        sets = f", reason = {self._p('reason')}{self._DROP_LETTER}"
        self._apply(
            Move(key, "skipped", ("claimed", "retry"), now, sets, {"reason": reason}, (email, reason))
        )

    def mark_expired(
        self, key: JournalKey, now: datetime, *, email: str | None = None, why: str | None = None
    ) -> None:
        """Its deadline passed before it could go out: never sent late. ``why``: the planner's words."""
        reason = f"{EXPIRED_PREFIX}{why}" if why else "expired"
        sets = f", reason = {self._p('reason')}{self._DROP_LETTER}"
        move = Move(key, "expired", ("claimed", "retry"), now, sets, {"reason": reason}, (email, reason))
        self._apply(move)

    def record_handled(
        self,
        key: JournalKey,
        reason: str,
        now: datetime,
        *,
        email: str | None,
        send_day: date | None = None,
        merged: Sequence[str] = (),
    ) -> None:
        """A greeting greeter must never send, recorded ``skipped`` (:meth:`JournalStore.record_handled`).

        Insert only (no source state): a row already there — a claim, a letter
        sent — is never turned into one greeter did not send.
        """
        record = (email, reason)
        self._apply(
            Move(key, "skipped", (), now, record_missing=record, send_day=send_day, merged=tuple(merged))
        )

    @abstractmethod
    def _merged_value(self, names: Sequence[str]) -> Any:
        """The ``merged`` column's value as the backend stores it (JSON text, ``jsonb``)."""

    def put_back_sent(self, letter: SentLetter, now: datetime) -> bool:
        """``letter`` recorded ``sent`` as it left (:meth:`JournalStore.put_back_sent`); whether it was.

        One transaction: an insert for a key the journal has no row of (no-op on
        one it has), then the move of a row in :data:`PUT_BACK_FROM` to ``sent``
        with the letter's own values — never a row ``sent`` already.
        """
        p = self._p
        values = {
            "cid": letter.key[0], "occ": letter.key[1], "day": self._day(letter.key[2]),
            "email": letter.email, "mid": letter.message_id, "attempts": max(letter.attempts, 1),
            "reply": letter.last_reply, "sent": self._at(letter.sent_at),
            "send_day": self._day(letter.send_day),
            "planned": None if letter.planned_at is None else self._at(letter.planned_at),
            "merged": self._merged_value(letter.merged), "subject": letter.subject, "now": self._at(now),
        }  # fmt: skip
        insert = (
            "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, message_id, attempts,"
            " last_reply, planned_at, send_day, merged, created_at, updated_at, sent_at, subject)"
            f" VALUES ({p('cid')}, {p('occ')}, {p('day')}, 'sent', {p('email')}, {p('mid')}, {p('attempts')},"
            f" {p('reply')}, {p('planned')}, {p('send_day')}, {p('merged')}, {p('now')}, {p('now')},"
            f" {p('sent')}, {p('subject')}) ON CONFLICT DO NOTHING"
        )
        update = (
            f"UPDATE greetings SET state = 'sent', email = {p('email')},"
            f" message_id = COALESCE({p('mid')}, message_id), attempts = {p('attempts')},"
            f" last_reply = {p('reply')}, reason = NULL, planned_at = COALESCE({p('planned')}, planned_at),"
            f" send_day = {p('send_day')}, next_attempt_at = NULL, merged = {p('merged')}{self._DROP_LETTER},"
            f" updated_at = {p('now')}, sent_at = {p('sent')}, subject = COALESCE({p('subject')}, subject)"
            f" WHERE contact_id = {p('cid')} AND occasion = {p('occ')} AND occasion_date = {p('day')}"
            f" AND {PUT_BACK_FROM}"
        )
        inserted, moved = self._change_all([(insert, values), (update, values)])
        return bool(inserted or moved)

    def resend(self, key: JournalKey, now: datetime, *, by: str | None = None) -> None:
        """Operator's decision on an ``uncertain`` greeting: send it again, due now — its reason
        naming who decided (``by``: ``resend by ivan``, :func:`decision_reason`).

        As in :meth:`dismiss`, what made it uncertain moves to ``last_reply``
        when no reply was kept (an interrupted claim has only its reason): the
        ``resend`` reason alone left history unable to say why it was resent.
        """
        sets = f", next_attempt_at = {self._p('now')}, last_reply = COALESCE(last_reply, reason)"
        sets += f", reason = {self._p('decision')}"
        self._apply(Move(key, "retry", ("uncertain",), now, sets, {"decision": decision_reason(RESEND, by)}))

    def dismiss(self, key: JournalKey, now: datetime, *, by: str | None = None) -> None:
        """Operator's decision on an ``uncertain`` greeting: assume it arrived, never send it.

        The reason is the decision now, naming who made it (``by``: ``dismissed by ivan``,
        :func:`~greeter.journal_store.decision_reason`); what made it uncertain moves to
        ``last_reply`` when no reply was kept (a claim interrupted before the
        server answered has only its reason), so history can still say it.
        """
        sets = f", last_reply = COALESCE(last_reply, reason), reason = {self._p('decision')}"
        sets += self._DROP_LETTER
        self._apply(
            Move(key, "skipped", ("uncertain",), now, sets, {"decision": decision_reason(DISMISSED, by)})
        )

    def requeue(
        self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = (), by: str | None = None
    ) -> None:
        """Operator's decision on a ``failed`` greeting: plan, write and send it afresh, due now —
        its reason naming who decided (``by``: ``requeued by ivan``, :func:`decision_reason`).

        Unlike :meth:`resend` no stored letter goes: a failed one kept none,
        and what made the server refuse it (a template, the sender, a DKIM
        key) is what the operator has just fixed. The server's refusal stays
        in ``last_reply``. The rows ``merged`` into the failed letter are given
        back afterwards, in a transaction of their own: a crash between the two
        sends the new letter without them, never one of them alone.
        """
        sets = f", next_attempt_at = {self._p('now')}, reason = {self._p('decision')}{self._DROP_LETTER}"
        self._apply(Move(key, "retry", ("failed",), now, sets, {"decision": decision_reason(REQUEUED, by)}))
        if merged:
            p = self._p
            where = f"contact_id = {p('cid')} AND occasion = {p('occ')} AND occasion_date = {p('day')}"
            give_back = (
                f"DELETE FROM greetings WHERE {where} AND state = 'skipped' AND reason = {p('reason')}"
            )
            reason = merged_reason(key[1])
            self._change_all(
                [
                    (give_back, {"cid": c, "occ": o, "day": self._day(d), "reason": reason})
                    for c, o, d in merged
                ]
            )
