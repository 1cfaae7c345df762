"""The journal's outcome transitions, written once for both backends.

Which state a greeting may move to, from which states, and what each move
records (the reply, the sent day, the dropped payload) is the journal's state
machine (drawn in :mod:`greeter.journal_store`); it must not drift between
SQLite and PostgreSQL. Each backend supplies only what differs: how a query
names a parameter (:meth:`Transitions._p`), how it stores a moment
(:meth:`Transitions._at`), how it computes the recipient's local sent day
(:attr:`Transitions._SENT_DAY`), and the guarded move itself (``_move``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from greeter.journal_store import ClaimRequest, JournalKey


class Transitions(ABC):
    """Mixin: ``claim``, ``mark_*``, ``resend``, ``dismiss`` on a backend's ``claim_many`` and ``_move``."""

    #: SQL for the day a letter was sent, in the recipient's zone (from ``utc_offset_minutes``).
    _SENT_DAY: str

    @abstractmethod
    def _p(self, name: str) -> str:
        """How the backend's SQL refers to the parameter ``name``."""

    @abstractmethod
    def _at(self, moment: datetime) -> Any:
        """A moment as the backend stores it."""

    @abstractmethod
    def _move(
        self,
        key: JournalKey,
        to: str,
        sources: Sequence[str],
        now: datetime,
        sets: str = "",
        *,
        record_missing: tuple[str | None, str] | None = None,
        fsync: bool = True,
        **params: Any,
    ) -> None:
        """Move a row from one of ``sources`` to ``to`` (or record it, with ``record_missing``)."""

    @abstractmethod
    def claim_many(self, requests: Sequence[ClaimRequest], *, now: datetime) -> list[bool]:
        """Claim several greetings in one transaction; one bool per request, in order."""

    def claim(
        self,
        key: JournalKey,
        *,
        email: str,
        message_id: str,
        planned_at: datetime,
        merged: Sequence[str] = (),
        content_hash: str | None = None,
        payload: bytes | None = None,
        now: datetime,
    ) -> bool:
        """Atomically take the greeting for sending; False if it is not ours to send.

        Inserts a ``claimed`` row, or re-claims a due ``retry`` row; a row in
        any other state is left alone, and of several senders claiming at once
        exactly one gets True. Committed (and synced) before this returns —
        before SMTP DATA (DESIGN §4). ``payload`` keeps the letter's bytes
        until it is final, so a retry or an operator's resend repeats exactly
        the same message.
        """
        request = ClaimRequest(key, email, message_id, planned_at, tuple(merged), content_hash, payload)
        return self.claim_many([request], now=now)[0]

    def mark_sent(self, key: JournalKey, reply: str, now: datetime) -> None:
        """The server answered 250 after DATA: delivered; the stored bytes are dropped."""
        p = self._p
        sets = (
            f", last_reply = {p('reply')}, sent_at = {p('now')}, payload = NULL, send_day = {self._SENT_DAY}"
        )
        self._move(key, "sent", ("claimed",), now, sets, fsync=False, reply=reply)

    def mark_retry(self, key: JournalKey, reply: str, next_attempt_at: datetime, now: datetime) -> None:
        """A temporary failure (4xx, connection): claimable again from ``next_attempt_at``."""
        sets = f", last_reply = {self._p('reply')}, next_attempt_at = {self._p('next')}"
        self._move(
            key, "retry", ("claimed",), now, sets, fsync=False, reply=reply, next=self._at(next_attempt_at)
        )

    def mark_failed(self, key: JournalKey, reply: str, now: datetime) -> None:
        """A permanent refusal (5xx): never tried again."""
        sets = f", last_reply = {self._p('reply')}, payload = NULL"
        self._move(key, "failed", ("claimed",), now, sets, fsync=False, reply=reply)

    def mark_uncertain(self, key: JournalKey, reply: str, now: datetime) -> None:
        """No reply after DATA's final dot: maybe delivered, so only an operator may resend."""
        sets = f", last_reply = {self._p('reply')}, reason = 'no reply after the message was sent'"
        self._move(key, "uncertain", ("claimed",), now, sets, fsync=False, reply=reply)

    def mark_skipped(self, key: JournalKey, reason: str, now: datetime, *, email: str | None = None) -> None:
        """Record a greeting that will not be sent (e.g. suppressed after it was planned)."""
        self._move(
            key, "skipped", ("claimed", "retry"), now, f", reason = {self._p('reason')}, payload = NULL",
            record_missing=(email, reason), reason=reason,
        )  # fmt: skip

    def mark_expired(self, key: JournalKey, now: datetime, *, email: str | None = None) -> None:
        """Its deadline passed before it could go out: never sent late."""
        self._move(
            key, "expired", ("claimed", "retry"), now, ", reason = 'expired', payload = NULL",
            record_missing=(email, "expired"),
        )  # fmt: skip

    def resend(self, key: JournalKey, now: datetime) -> None:
        """Operator's decision on an ``uncertain`` greeting: send it again, due now."""
        self._move(
            key, "retry", ("uncertain",), now, f", next_attempt_at = {self._p('now')}, reason = 'resend'"
        )

    def dismiss(self, key: JournalKey, now: datetime) -> None:
        """Operator's decision on an ``uncertain`` greeting: assume it arrived, never send it."""
        self._move(key, "skipped", ("uncertain",), now, ", reason = 'dismissed', payload = NULL")
