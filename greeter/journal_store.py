"""The journal's contract, independent of the database behind it.

The SQLite journal (:mod:`greeter.journal`) and the PostgreSQL journal
(:mod:`greeter.journal_pg`) implement :class:`JournalStore` with the same
semantics, so the delivery engine, the planner and the CLI depend only on
what is here; :func:`greeter.journal.open_journal` picks one by URL. They
differ in who may send: SQLite admits one sender per file (a file lock),
PostgreSQL any number, each greeting going to whichever claims it first
(an atomic upsert), with leases so a dead sender's claims are recovered and a
live one's never are.

State machine of one greeting (key = contact, occasion, occasion date)::

    (no row) ──claim──► claimed ──mark_sent──► sent
    retry (due) ─claim─►   │ ──mark_retry──► retry ──mark_expired / mark_skipped──► expired / skipped
                           │                 retry ──skip_suppressed (address on the list)──► skipped
                           │ ──mark_failed──► failed
                           │ ──mark_uncertain, recover_stale_claims──► uncertain
                           │ ──mark_skipped / mark_expired──► skipped / expired
    uncertain ──resend──► retry (due now)        uncertain ──dismiss──► skipped ("dismissed")
    failed ──requeue──► retry (due now, reason "requeued", no stored letter: planned and written afresh)
    (no row) ──mark_skipped / mark_expired──► skipped / expired    (recorded for history)
    claimed ──release──► (no row), or retry (due now) with the attempt given back   (never at DATA)

``sent``, ``failed``, ``skipped`` and ``expired`` are final — but an operator
may put a ``failed`` one back in line (``greeter failed resend``); ``uncertain``
waits for an operator and is never sent again automatically.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from greeter.journal_states import (  # moved there; re-exported (__all__): callers import them from here
    BASELINE,
    BOUNCED,
    CAP_STATES,
    DISMISSED,
    EXPIRED_PREFIX,
    LETTER_STATES,
    MERGED_INTO,
    PUT_BACK_FROM,
    REQUEUED,
    RESEND,
    SKIP_REASON_CODES,
    STATES,
    Tally,
    decision_reason,
    decision_sql,
    expired_why,
    is_baseline,
    is_decision,
    is_dismissed,
    is_requeued,
    may_put_back,
    operator_of,
    planned_state,
    skipped_code,
    skipped_why,
    stored_states,
)
from greeter.plan_types import PastGreeting
from greeter.retention import Purge

if TYPE_CHECKING:
    from pathlib import Path

    from greeter.erasure_records import Erasure
    from greeter.journal_project import Project

__all__ = [
    "BASELINE",
    "BOUNCED",
    "CAP_STATES",
    "DISMISSED",
    "EXPIRED_PREFIX",
    "LETTER_STATES",
    "MERGED_INTO",
    "MESSAGE_KEY_BYTES",
    "PUT_BACK_FROM",
    "REQUEUED",
    "RESEND",
    "SKIP_REASON_CODES",
    "STATES",
    "ClaimRequest",
    "JournalEntry",
    "JournalKey",
    "JournalStore",
    "Notice",
    "OptOutEvent",
    "PersonOptOut",
    "Suppression",
    "Tally",
    "decision_reason",
    "decision_sql",
    "expired_why",
    "is_baseline",
    "is_decision",
    "is_dismissed",
    "is_requeued",
    "may_put_back",
    "new_message_key",
    "operator_of",
    "planned_state",
    "skipped_code",
    "skipped_why",
    "stored_states",
]

#: What a sender refused because another holds the SQLite journal's lock is told to do
#: (:meth:`JournalStore.lock_sender`'s ``busy``): cron's next run or systemd's restart tries again.
WAIT_FOR_SENDER = "try again once it has finished"

#: The journal key: (contact id, occasion name, occasion date) — greeted once, ever.
JournalKey = tuple[str, str, date]

#: The reason a ``claimed`` greeting whose sender is gone is recorded ``uncertain`` with (both
#: backends). It says what is known, no more: the run may have died before the letter left, or
#: after the server's 250 with the journal unable to record it (a full disk) — "interrupted
#: between claim and the server's reply", its words before, read as "the server never replied",
#: and an operator who trusted them resent letters the server had accepted.
INTERRUPTED_REASON = (
    "the run that claimed it ended without recording the server's answer (it may have been"
    " accepted: check the mail server's log or ask the recipient before resending)"
)

#: :data:`INTERRUPTED_REASON`'s words in journals written before it (still in their rows).
FORMER_INTERRUPTED_REASON = "interrupted between claim and the server's reply"

#: Bytes of a journal's Message-ID key (:meth:`JournalStore.message_key`).
MESSAGE_KEY_BYTES = 32


def new_message_key() -> bytes:
    """A fresh random key for :func:`~greeter.message.make_message_id`: a journal's own once stored
    in it (:meth:`JournalStore.message_key`); else, where no journal's key can be had (a preview
    before the first send, ``check``), a sample's — whose Message-IDs are not the ones sent."""
    return secrets.token_bytes(MESSAGE_KEY_BYTES)


@dataclass(frozen=True, slots=True)
class ClaimRequest:
    """One greeting to claim (see :meth:`JournalStore.claim`), for claiming several in one commit."""

    key: JournalKey
    email: str
    message_id: str
    planned_at: datetime
    merged: tuple[str, ...] = ()
    content_hash: str | None = None
    payload: bytes | None = None
    #: A due retry or resend: claimed only while its ``retry`` row is there. A row erased
    #: meanwhile (``greeter forget``) must not come back as a new letter to the erased address.
    retry: bool = False
    #: The letter's Subject as its reader sees it (decoded, not RFC 2047): kept on the row, written
    #: by the claim's own statement (no query more per letter). None (a retry, whose row has it
    #: from its first claim) leaves the row's as it is.
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class SentLetter:
    """A letter a saved ``greeter history`` says left, as :meth:`JournalStore.put_back_sent` records it.

    Its own moment, Message-ID, address and carried occasions: a restored journal
    that lacks it must hold it as the original was (``greeter baseline --sent-from``),
    so that history tells when the client got it and the frequency cap counts it
    on the day it left (``send_day``, the recipient's local day).
    """

    key: JournalKey
    email: str
    sent_at: datetime
    send_day: date
    message_id: str | None = None
    merged: tuple[str, ...] = ()
    attempts: int = 1
    last_reply: str | None = None
    planned_at: datetime | None = None
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One greeting as the journal knows it."""

    contact_id: str
    occasion: str
    occasion_date: date
    state: str
    email: str | None
    message_id: str | None
    attempts: int
    last_reply: str | None  # the server's last answer, "550 5.1.1 no such user"
    reason: str | None  # why skipped/expired/uncertain, or "resend"
    planned_at: datetime | None
    send_day: date | None  # the recipient's local day it was planned for, or sent on
    next_attempt_at: datetime | None
    merged: tuple[str, ...]
    content_hash: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    #: The Subject of the letter claimed for it, decoded (what the client read); None for a row
    #: with no letter of its own (a skip, an expiry, an occasion merged into another's letter —
    #: the carrier's row has the one subject of that letter) and for one a greeter older than the
    #: column journaled (SQLite migration 9, PostgreSQL 6).
    subject: str | None = None

    @property
    def key(self) -> JournalKey:
        return (self.contact_id, self.occasion, self.occasion_date)


@dataclass(frozen=True, slots=True)
class Suppression:
    """One address on the do-not-contact list (stored case-folded), why, and since when."""

    email: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PersonOptOut:
    """A person's own opt-out, bound to their contact id (:meth:`JournalStore.opt_out`).

    An unsubscribe, a complaint or a request by hand is the person's wish, not
    the address's: the CRM may give the same contact id a new address, or list
    several, and none of them may be greeted. ``email`` is the address the
    opt-out came from (as the list compares it), ``created_at`` when: the
    planner's reason names both, so a reviewer sees why a new address is skipped.
    """

    contact_id: str
    email: str
    reason: str
    created_at: datetime


#: Where an opt-out came from (:attr:`OptOutEvent.channel`): the one-click link, a list imported
#: (``suppress --from-csv``), an operator by hand (``suppress``, ``unsuppress``), an erasure request
#: (``greeter forget``), a hard bounce (the sender's, or ``suppress --from-bounces``).
CHANNELS = ("link", "import", "manual", "erasure", "bounce")


@dataclass(frozen=True, slots=True)
class OptOutEvent:
    """One change to the do-not-contact list or a person's opt-out, kept for good (``optout_events``).

    The list and the bindings say what is in force; these say what happened: an address or a
    contact id put on (``added``) or taken off (``lifted``), when greeter recorded it, through
    which :data:`CHANNELS`, why, and by whom when known — so "you wrote to me after I opted out"
    is answered by dates, after an ``unsuppress`` too. ``contact_id`` None: the address's own
    entry; else a person's binding (``email`` the address it came from, "" by id alone).
    ``since``: an added opt-out's own date (an imported list's, older than ``recorded_at``).
    """

    recorded_at: datetime
    event: str
    email: str
    contact_id: str | None
    channel: str
    reason: str
    by: str | None
    since: datetime | None


@dataclass(frozen=True, slots=True)
class Notice:
    """What a command last said of one standing matter, and when (:meth:`JournalStore.notice`).

    ``send --once`` runs as a new process every few minutes: without a memory
    it repeats the same warnings to cron's mail on every run. ``fingerprint``
    is a digest of what was said, never the text (a contact row's problem
    quotes the person's data, which ``forget`` could not find here).
    """

    fingerprint: str
    said_at: datetime


@dataclass(frozen=True, slots=True)
class Approver:
    """Who approved a draft (``greeter approve --by``) and when: what a reviewer reads beside its state."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Approvals:
    """The approvals table as one read of it gives it (``review: required``).

    ``hashes``: the approved content hash of each draft, what the review gate compares a
    rendered letter with; ``approvers``: who approved it and when, what preview, the gallery
    and ``history`` show beside its state. Both have the same keys.
    """

    hashes: dict[JournalKey, str]
    approvers: dict[JournalKey, Approver]


class JournalStore(Protocol):
    """What the delivery engine, planner and CLI need from any journal backend.

    Every method that changes something takes ``now`` (aware): a journal never
    reads the clock, so ``--now`` runs and tests are exact.
    """

    #: Several senders may work on this journal at once (PostgreSQL): each must re-decide a
    #: contact's cap under :meth:`contact_lock` before claiming. False: one sender (SQLite).
    shared: bool
    #: (from, to): the schema versions of the upgrade opening it made, None when it made none —
    #: said by the command (an older greeter can no longer open it: :mod:`greeter.own_journal`).
    upgraded: tuple[int, int] | None

    def lock_sender(
        self, *, config: Path | None = None, doing: str | None = None, busy: str = WAIT_FOR_SENDER
    ) -> None:
        """Become a sender: SQLite admits only one (else ``JournalLockedError``), PostgreSQL many.

        ``config``: the sender's config file, which SQLite's lock file records for the refusal
        of the next would-be sender (:func:`~greeter.journal_lock.lock_holder`); ``doing``: what a
        holder that is no sender does (``greeter copy-journal``), recorded for the same message;
        ``busy``: the refusal's advice when another sender holds the lock (a copy says stop it).
        """

    def contact_lock(self, contact_id: str) -> AbstractContextManager[None]:
        """Hold ``contact_id`` while deciding its frequency cap and claiming.

        Senders sharing a journal (PostgreSQL) must not both decide a contact
        has room for one more letter: re-read its greetings, decide and claim
        inside this block. A no-op where only one sender exists (SQLite).
        """

    def batch(self) -> AbstractContextManager[None]:
        """Make the writes inside one transaction with one durable commit, where the store can.

        The claims and verdicts of a group of letters (:class:`greeter.delivery_batch.GroupCommit`)
        then cost one commit instead of one each. SQLite does; PostgreSQL,
        whose senders share rows, commits each write on its own.
        """

    def close(self) -> None: ...

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
        subject: str | None = None,
        now: datetime,
    ) -> bool:
        """Atomically take the greeting for sending; False if it is not ours to send.

        Inserts a ``claimed`` row, or re-claims a due ``retry`` row; a row in
        any other state is left alone, and of several senders claiming at once
        exactly one gets True. Committed (and synced) before this returns —
        before SMTP DATA (DESIGN §4). A ``retry`` whose address is on the
        do-not-contact list is never re-claimed (:meth:`skip_suppressed`).
        ``payload`` keeps the letter's bytes until it is final, so a retry or
        an operator's resend repeats exactly the same message; ``subject``
        (decoded) stays with the row, for ``greeter history``.

        Written here once: a claim is :meth:`claim_many` of one, on every
        backend (they inherit it by subclassing this protocol).
        """
        request = ClaimRequest(
            key, email, message_id, planned_at, tuple(merged), content_hash, payload, subject=subject
        )
        return self.claim_many([request], now=now)[0]

    def claim_many(self, requests: Sequence[ClaimRequest], *, now: datetime) -> list[bool]:
        """Several claims in one commit (group commit); one bool per request, in order."""

    def mark_sent(self, key: JournalKey, reply: str, now: datetime) -> None: ...

    def mark_all_sent(self, sent: Sequence[tuple[JournalKey, str, datetime]]) -> bool:
        """:meth:`mark_sent` of each ``(key, reply, now)`` in one go. False: nothing written (the
        backend has no quicker way), the caller marks each on its own. One not ``claimed``:
        :class:`~greeter.errors.NotAllMovedError`, and the transaction it ran in — inside
        :meth:`batch`, the whole batch — is rolled back."""

    def mark_retry(self, key: JournalKey, reply: str, next_attempt_at: datetime, now: datetime) -> None: ...

    def mark_failed(self, key: JournalKey, reply: str, now: datetime) -> None: ...

    def mark_uncertain(self, key: JournalKey, reply: str, now: datetime) -> None: ...

    def mark_skipped(
        self, key: JournalKey, reason: str, now: datetime, *, email: str | None = None
    ) -> None: ...

    def mark_expired(
        self, key: JournalKey, now: datetime, *, email: str | None = None, why: str | None = None
    ) -> None:
        """Record that its deadline passed unsent; ``why`` (the planner's words) joins the reason."""

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
        """Record, as ``skipped`` with ``reason``, a greeting the journal has no row of and greeter
        must never send (``greeter baseline``: another tool sent it). ``send_day``: the day its
        letter left (the frequency cap counts it then); ``merged``: the occasions it carried.
        A row already there is never overwritten: :class:`~greeter.errors.JournalStateError`
        (a caller's bug)."""

    def put_back_sent(self, letter: SentLetter, now: datetime) -> bool:
        """Record ``letter`` as ``sent``, as it left: inserted when the journal has no row of it, or
        made ``sent`` from a row a restored backup holds unfinished or unsent (:data:`PUT_BACK_FROM`:
        a claim, an uncertain, retry, failed or expired row, one baseline recorded or an operator
        dismissed). A row ``sent`` already, or skipped for another reason, is left: False."""

    def skip_suppressed(self, key: JournalKey, email: str, now: datetime) -> bool:
        """A ``retry`` (or an operator's resend) to ``email`` → ``skipped`` if ``email`` is on the list.

        The do-not-contact list outranks a letter already written: an objection,
        an unsubscribe or a bounce that arrives while the letter waits for its
        retry must stop it. One guarded statement (the row still ``retry``, the
        address on the list), its reason ``suppressed: …`` and its stored letter
        dropped as for any final state; False when either does not hold. The
        claim of a retry checks the list too (:meth:`claim`), so one that lands
        between the plan and the claim never goes out either.
        """

    def release(self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = ()) -> None:
        """Give back a claim whose letter never reached the server's DATA: no attempt is counted.

        For a letter the server refused before DATA because of our login
        settings (a 530 to MAIL FROM, a 535 when its connection was reopened):
        it never reached the server, so recording it ``retry`` burned an
        attempt and a backoff for nothing. A first attempt's row is deleted —
        due again as if never claimed — and with it the ``skipped`` rows its
        claim wrote for the occasions ``merged`` into it; a retry goes back to
        ``retry``, due at ``now``, its attempt given back. Only a ``claimed``
        row can be released (else :class:`~greeter.errors.JournalStateError`).
        """

    def recover_stale_claims(self, now: datetime) -> int:
        """``claimed`` → ``uncertain`` for claims a dead sender left behind; returns how many."""

    def abandoned_claims(self) -> set[JournalKey]:
        """The ``claimed`` greetings :meth:`recover_stale_claims` would take now — read, not changed.

        For readers (``greeter history``), which show them as what they are:
        interrupted, ``uncertain`` as soon as a sender records it.
        """

    def resend(self, key: JournalKey, now: datetime, *, by: str | None = None) -> None: ...

    def dismiss(self, key: JournalKey, now: datetime, *, by: str | None = None) -> None: ...

    def requeue(
        self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = (), by: str | None = None
    ) -> None:
        """Operator's decision on a ``failed`` greeting: plan, write and send it afresh (:data:`REQUEUED`).

        ``merged``: the ``skipped`` rows of the occasions that rode in the
        failed letter (:func:`~greeter.journal_transitions.merged_rows`); they
        are given back, so the new letter carries them again.
        """

    def due_retries(self, now: datetime) -> list[JournalEntry]: ...

    def waiting_retries(self, now: datetime) -> list[JournalEntry]:
        """``retry`` rows not yet due at ``now``, the earliest due first: when the first of them can
        really leave is the daemon's next wake (:func:`greeter.send_retries.next_retry_due`)."""

    def payload(self, key: JournalKey) -> bytes | None: ...

    def history(
        self,
        contact_id: str | None = None,
        occasion: str | None = None,
        state: str | None = None,
        since: date | None = None,
        until: date | None = None,
        email: str | None = None,
        *,
        sent_from: datetime | None = None,
        sent_before: datetime | None = None,
    ) -> list[JournalEntry]:
        """:meth:`iter_history` as a list: for the few rows of one contact or address (the
        delivery engine's, an address's). One body for every journal: each streams its rows."""
        return list(
            self.iter_history(
                contact_id, occasion, state, since, until, email, sent_from=sent_from, sent_before=sent_before
            )
        )

    def iter_history(
        self,
        contact_id: str | None = None,
        occasion: str | None = None,
        state: str | None = None,
        since: date | None = None,
        until: date | None = None,
        email: str | None = None,
        *,
        sent_from: datetime | None = None,
        sent_before: datetime | None = None,
    ) -> Iterator[JournalEntry]:
        """The rows matching every filter, by occasion date, then contact and occasion in byte order.

        ``since``/``until`` bound the occasion date (inclusive); ``sent_from``/``sent_before``
        the moment the letter left, ``sent_at`` (from inclusive, before exclusive: a local
        calendar day is the moments from its midnight to the next's) — a row never sent has
        none and is no match for either. Filtered by the database, as every other filter:
        of an audit of one month, only that month's rows are fetched, not the journal.

        Read a batch at a time as they are consumed, never all at once:
        ``greeter history`` of a whole journal (tens of thousands of rows)
        holds one batch, not the journal. Nothing is read until the first
        row is asked for.
        """

    def greeted_dates(self, since: date, states: Sequence[str] = CAP_STATES) -> Iterator[PastGreeting]: ...

    def sent_times(self, since: datetime) -> list[datetime]: ...

    def counts_by_state(self) -> dict[str, int]: ...

    def tallies(self) -> dict[tuple[str, str, str], Tally]:
        """Greetings per (state, occasion, skip reason) with their oldest ``created_at`` and newest
        ``sent_at``: everything ``/metrics`` reads of the journal, in one query per scrape. The skip
        reason is one of :data:`SKIP_REASON_CODES`, ``dismissed`` or ``other`` for a ``skipped``
        row (:data:`~greeter.journal_sql.TALLY_QUERY`), "" for the other states."""

    def recent_refusals(self) -> list[tuple[str, datetime]]:
        """The replies of the letters refused for good (``failed``) since the newest letter that left,
        with when, newest first — at most :data:`~greeter.journal_sql.RECENT_REFUSALS`, by an index:
        the daemon's one read at start for ``refusing``
        (:func:`~greeter.failure_classes.refusing_at_start`)."""

    def approve(self, drafts: Iterable[tuple[JournalKey, str]], by: str, now: datetime) -> int:
        """Record approval of each draft's content hash (``review: required``)."""

    def approvals_since(self, since: date) -> Approvals:
        """Each draft of an occasion on or after ``since`` that is approved: its approved content hash,
        who approved it and when (its newest approval), in one read of the approvals table."""

    def known_occasions(self) -> dict[str, datetime | None]:
        """Each occasion name a sender has planned with, and since when (None: from the start)."""

    def record_occasions(self, since: Mapping[str, datetime | None]) -> None:
        """Remember occasions not known yet; a known one keeps its first date, unless given an earlier
        one (a date a rehearsal ahead of the clock recorded is lowered by the first real plan)."""

    def occasion_names(self) -> set[str]:
        """Every occasion the journal has a greeting for or a sender planned with (removed ones too).

        For ``--occasion`` of the journal's commands: a name known neither
        here nor in the config can only be a typo. A full read of the
        greetings, so asked only when a filter found nothing.
        """

    def message_key(self, *, create: bool = True) -> bytes | None:
        """The journal's own secret key of its greetings' Message-IDs
        (:func:`~greeter.message.make_message_id`); None when it has none and ``create`` is False
        or the journal cannot be written here.

        Random (:func:`new_message_key`), made on first need and kept for the journal's life, so a
        greeting's Message-ID is the same in every run and process, yet no one without the journal
        can compute it from a contact id and a date (a forged bounce would need it). Never logged
        or shown: history, export and health checks do not read it.
        """

    def notice(self, name: str) -> Notice | None:
        """What was last said of the matter ``name`` and when; None if nothing was recorded."""

    def record_notice(self, name: str, fingerprint: str, now: datetime) -> None:
        """Remember that ``fingerprint`` was said of ``name`` at ``now``, replacing what was said before."""

    def project(self) -> Project | None:
        """The project this journal belongs to (:mod:`greeter.journal_project`); None if none is recorded."""

    def record_project(self, project: Project, now: datetime) -> None:
        """Record ``project`` as this journal's, replacing what was recorded (a sender holds the lock)."""

    def record_first_project(self, project: Project, now: datetime) -> None:
        """Record ``project`` only where no project is recorded yet, atomically: of two first senders
        of one empty PostgreSQL journal (whose sender lock excludes no one), one record wins whole."""

    def suppress(
        self,
        emails: Iterable[str],
        reason: str,
        now: datetime,
        *,
        channel: str = "manual",
        by: str | None = None,
    ) -> int:
        """Add addresses (compared as :func:`greeter.contacts.email_key` does); how many were new.

        Written here once: :meth:`suppress_dated` with one reason and moment for all, on every
        backend (they inherit it by subclassing this protocol).
        """
        entries = [Suppression(email, reason, now) for email in emails]
        return self.suppress_dated(entries, channel=channel, by=by, now=now)

    def unsuppress(
        self, emails: Iterable[str], now: datetime, *, by: str | None = None, reason: str = ""
    ) -> int:
        """Remove addresses; returns how many were on the list. Each removal is a ``lifted``
        :class:`OptOutEvent` (``by``, ``reason``) in the same transaction."""

    def optout_events(self, email: str | None = None) -> list[OptOutEvent]:
        """Every :class:`OptOutEvent`, oldest first; ``email``: only those of that address."""

    def suppressed(self) -> set[str]:
        """The whole list, case-folded, for the planner to take as plain data."""

    def suppression_list(self) -> list[Suppression]:
        """The whole list with reasons and times, oldest first (``greeter suppress --list``)."""

    def is_suppressed(self, email: str) -> bool: ...

    def suppress_dated(
        self,
        entries: Iterable[Suppression],
        *,
        channel: str = "import",
        by: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Add addresses, each with its own reason and date (an imported list's); how many were new.

        Each new one is an ``added`` :class:`OptOutEvent` of ``channel`` recorded at ``now`` (None:
        the entry's own date), in the same transaction; one already listed changes nothing.
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
        """A person's opt-out (an unsubscribe, a complaint, a request by hand): :meth:`suppress` the
        addresses and bind the person's contact ids (:class:`PersonOptOut`), in one transaction.

        The ids bound are every contact id the journal greeted at each address
        (the letter's row knows whose it was) and those ``contact_ids`` gives
        for its :func:`~greeter.contacts.email_key` (the contacts source's). A
        contact already bound keeps its first opt-out, the older evidence.
        Returns how many addresses and how many contact ids were new. A hard
        bounce is the address's fault and stays :meth:`suppress`.
        """

    def restore_opt_outs(
        self, opt_outs: Iterable[PersonOptOut], *, channel: str = "import", by: str | None = None
    ) -> int:
        """Bind contact ids exactly as ``opt_outs`` were recorded (their address, reason and date), in
        one transaction: a list moved to a restored or new journal (``suppress --from-csv`` of greeter's
        own export). Unlike :meth:`opt_out` it binds no one else greeted at the address: a contact whose
        opt-out was lifted since stays free. A contact already bound keeps its own; how many were new.
        """

    def opted_out_contacts(self) -> dict[str, PersonOptOut]:
        """Every person-level opt-out by contact id, for the planner to take as plain data."""

    def lift_opt_outs(
        self,
        emails: Iterable[str] = (),
        contact_ids: Iterable[str] = (),
        *,
        now: datetime | None = None,
        by: str | None = None,
        reason: str = "",
    ) -> list[PersonOptOut]:
        """Remove the person-level opt-outs made from ``emails`` or of ``contact_ids``; returns them.

        Each is a ``lifted`` :class:`OptOutEvent` (``by``, ``reason``) recorded at ``now``.
        """

    def purge(self, before: date, *, dry_run: bool = False) -> Purge:
        """Delete finished greetings wholly before ``before`` (storage limitation, :mod:`greeter.retention`).

        The do-not-contact list stays; ``uncertain`` and ``retry`` rows stay
        too and are counted in the result. ``dry_run`` counts and deletes nothing.
        """

    def newest_change(self) -> datetime | None:
        """The latest moment a greeting was recorded at (its last change); None in an empty journal.

        Every moment recorded is a sender's clock at the time: one later than
        the clock now is how :mod:`greeter.clock_sanity` finds a clock gone wrong.
        """

    def pull_back(self, now: datetime) -> tuple[int, int]:
        """The clock is right at ``now``: what was recorded later comes back to ``now``.

        Greetings recorded ``expired`` after ``now`` — by a clock that ran
        ahead, or a rehearsal — are put back (their rows deleted, and the
        occasions that rode in them given back, as :meth:`requeue` does): the
        next plan sends them if their catch-up period still runs, else records
        them expired at the right time. Every other later change is dated
        ``now``. Returns (greetings put back, other rows re-dated).
        """

    def checkpoint(self) -> str | None:
        """Move what was written into the database file and empty the journal's write-ahead log.

        Deleted rows (:meth:`forget`, :meth:`purge`) otherwise stay readable in
        SQLite's ``-wal`` file — and in the main file's pages until a checkpoint
        writes the erased versions over them — for as long as any connection
        keeps the journal open (a daemon: for months). Returns why it could
        not be done now (another connection is reading: the next checkpoint
        does it), None when done or when the store keeps no such file
        (PostgreSQL: the server's own write-ahead log is the DBA's).
        """

    def erasure(self, email: str, contact_ids: Collection[str] = ()) -> Erasure:
        """What :meth:`forget` would erase of ``email`` now — read, not changed (``forget --dry-run``)."""

    def forget(
        self, email: str, now: datetime, contact_ids: Collection[str] = (), *, by: str | None = None
    ) -> Erasure:
        """Erase ``email``'s greetings and their contact ids' approvals, and put it on the list.

        ``contact_ids``: the ids the contacts source gives the address now. Their
        approvals go too (a draft approved and not sent yet has no greeting row
        to find the id by), and their greetings, as :func:`~greeter.erasure_records.erasable` says.

        In one transaction: the address goes on the do-not-contact list
        (:data:`~greeter.erasure_records.ERASURE_REASON`, ``now``; an entry already there is kept, its
        date being the older evidence, and its reason — which may name the
        person — becomes :func:`~greeter.erasure_records.erased_reason` of ``now``'s UTC day) so the
        planner never greets it again,
        and the rows :func:`~greeter.erasure_records.erasable` picks are deleted. Raises
        :class:`~greeter.errors.ClaimedNowError`, changing nothing, while a running sender holds a
        claim of one of them. ``by``: who erased (``forget --by``), named in its opt-out events.
        """
