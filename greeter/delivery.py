"""Deliver what the planner says is due: claim, send, record — never twice.

The order per letter is fixed by DESIGN.md §4: render and build the bytes,
**claim** the greeting in the journal (committed) once the transport's
connection is open and ready for it, hand it over, then record the server's
verdict. A crash between claim and verdict leaves a ``claimed`` row that the
next start turns into ``uncertain`` — never resent automatically. Retries
resend the exact bytes stored at claim time.

A letter the server never got — its connection did not open, or the batch's
:class:`~greeter.transport.Breaker` had stopped handing letters to a server
that is not working — is claimed and given its ``retry`` verdict in one
transaction (:class:`Unsent`): it never sits ``claimed``, so it cannot turn
``uncertain``.

Everything that decides (which items are due, backoff, deadline) is a small
pure function in :mod:`greeter.delivery_timing`; the run's tally and its words
are :mod:`greeter.delivery_summary`; :class:`Deliverer` is the shell that talks
to journal and transport.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from greeter.calendar_rules import WorkCalendar
from greeter.cap_rules import cap_refusal
from greeter.cap_seen import cap_day
from greeter.clock import Clock
from greeter.config import Settings
from greeter.delivery_summary import Summary
from greeter.delivery_timing import backoff, letter_deadline
from greeter.errors import GreeterError, JournalStateError, NotAllMovedError
from greeter.journal_store import (
    BOUNCED,
    ClaimRequest,
    JournalKey,
    JournalStore,
    is_requeued,
)
from greeter.journal_transitions import merged_reason
from greeter.masking import mask_addresses
from greeter.message import MessageIds, build_message
from greeter.plan_drafts import merged_into_failed
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.planner import contact_zone
from greeter.quota_plan import quota_expiry_words, window_opener
from greeter.ratelimit import slot_frees_at
from greeter.review import Envelope, approval_of, content_hash
from greeter.transport import (
    LOGIN_REFUSED,
    Outcome,
    Outgoing,
    SendResult,
)
from greeter.unsubscribe import unsubscribe_url

#: A server's verdict on one letter as the journal records it: result, attempt, the letter's
#: deadline (no retry after it: :func:`~greeter.delivery_timing.deadline`; None unless the
#: server put it off, the only verdict that needs one), address (for suppression) and the
#: moment of the answer (the deliverer's clock when it came, not when a journal round wrote it).
Verdict = tuple[SendResult, int, datetime | None, str, datetime]


@dataclass(frozen=True, slots=True)
class Unsent:
    """A letter the server never got, with its verdict: claimed and recorded in one transaction."""

    request: ClaimRequest
    verdict: Verdict


@runtime_checkable
class Leased(Protocol):
    """A journal whose claims hold a lease (PostgreSQL, shared by senders): another sender takes
    a claim over once its lease runs out. The SQLite journal has none — its sender holds a file
    lock, and nobody else recovers a live sender's claims."""

    @property
    def lease(self) -> timedelta: ...

    def renew_leases(self) -> int:
        """Extend the lease of every claim this instance holds; how many."""

    def sent_after_lapse(self, key: JournalKey, reply: str, now: datetime) -> str | None:
        """``uncertain`` → ``sent`` for this instance's own claim another sender recovered; None:
        recorded, else the state the row is in (an operator decided it meanwhile)."""

    def check_clock(self, now: datetime) -> None:
        """Raise :class:`~greeter.errors.ClockSkewError` if ``now`` is far from the server's clock."""

    def check_schema(self) -> None:
        """Raise :class:`~greeter.errors.JournalNewerError` if a newer greeter upgraded the journal."""


#: Skips worth a journal row once their day has come: they explain a client's history.
RECORDED_SKIPS = frozenset({"merged", "frequency_cap", "expired"})


#: What a temporary refusal's reply gets when no retry fits before the deadline (journal, summary).
GAVE_UP = " (gave up: past the catch-up deadline)"


@dataclass
class Ready:
    """A built letter and its claim request: sent only if the claim is won."""

    outgoing: Outgoing
    request: ClaimRequest
    also: tuple[Hit, ...] = ()
    occasion: str = ""
    #: A first attempt (a lost claim then means someone else already sent it).
    fresh: bool = False


@dataclass
class Prepared:
    """A due letter with its bytes, ready to be claimed and sent."""

    item: PlanItem
    outgoing: Outgoing
    message_id: str
    #: Its Subject as written into the bytes (the rendered one, stripped, as
    #: :func:`~greeter.message.build_message` writes it), for the journal: carried beside the
    #: bytes (a build worker sends it back with them), never read back out of them.
    subject: str


def letter_bytes(
    settings: Settings,
    rendered: Rendered,
    envelope: Envelope,
    message_id: str,
    at: datetime,
    secret: bytes | None,
    sign: Callable[[bytes], bytes] | None,
) -> bytes:
    """A letter's bytes as they go to the server: the sender, ``delivery.headers``, the
    unsubscribe links (made from the envelope's address), and the DKIM signature when ``sign``.

    One builder for :meth:`Deliverer.attempt` and ``greeter test-send``
    (:mod:`greeter.trial_send`), so a test letter is built as the real one is.
    """
    unsub = settings.unsubscribe
    data = build_message(
        rendered,
        to_email=envelope.to_email,
        to_name=envelope.to_name,
        sender=settings.sender,
        message_id=message_id,
        date=at,
        unsubscribe_mailto=unsub.mailto,
        unsubscribe_url=unsubscribe_url(unsub.url, secret, envelope.to_email) if unsub.url else None,
        extra_headers=settings.delivery.headers,
    )
    return sign(data) if sign is not None else data


class Deliverer:
    """Turns due plan items into claimed, sent and recorded greetings for one run."""

    def __init__(
        self,
        settings: Settings,
        journal: JournalStore,
        render: Callable[[PlanItem], Rendered],
        *,
        now: datetime,
        clock: Callable[[], datetime] | None = None,
        unsubscribe_secret: bytes | None = None,
        sign: Callable[[bytes], bytes] | None = None,
        approvals: dict[JournalKey, str] | None = None,
        warm: Callable[[Sequence[PlanItem]], Iterable[tuple[PlanItem, Rendered]]] | None = None,
    ) -> None:
        self.settings = settings
        self.sign = sign
        self.journal = journal
        self.render = render
        #: :meth:`Renderer.warm <greeter.render.Renderer.warm>` of ``render``'s renderer: see :meth:`warm`.
        self._warm = warm
        #: The moment the run was planned at: what was due, what is skipped, what has expired.
        self.now = now
        #: The moment something happens: a letter's Date header, its claim, the server's
        #: answer, the next retry. A batch under a rate limit lasts minutes to hours, and
        #: the journal must say when each letter really left. By default ``now`` advancing
        #: in real time (``send --once --now …`` keeps its rehearsed moment); the daemon
        #: passes its own clock (a rehearsal runs faster).
        self.clock = clock or Clock(origin=now).now
        self.secret = unsubscribe_secret
        self.summary = Summary(catch_up_days=settings.catch_up_days)
        self.domain = settings.sender.domain
        #: How each letter's Message-ID is had (:class:`~greeter.message.MessageIds`): the
        #: journal's key, made on first need, and the ids it holds for greetings that go again —
        #: read here, once, so that the forked build workers (:mod:`greeter.build_pool`) inherit
        #: them. A journal that cannot be written here and has no key yet (a dry run on a
        #: read-only mount) gives a sample key: such a run sends nothing.
        self.message_ids = MessageIds.of(journal, create=True)
        #: ``review: required``: approved content hashes; None when no review is needed.
        self.approvals = approvals
        #: ``stopping``: pull no more letters. ``cutting_off``: nor claim those already pulled
        #: (:meth:`stop`); a daily quota used up (:meth:`quota_spent`) lets those go: each has its permit.
        self.stopping = self.cutting_off = False
        self._on_stop: list[Callable[[], None]] = []
        #: When a run last ended at the daily quota, within the catch-up period (:meth:`record_skips`).
        self._quota_held_at: datetime | None = None
        self._calendar_of: Callable[[str], WorkCalendar] | None = None

    def stop(self, *, cut_off: bool = True) -> None:
        """Claim nothing more (graceful shutdown); letters already claimed still finish.

        Call it on the event loop's thread (a signal handler of the loop): the
        batch then cuts off at once whatever it has not handed over.
        """
        self.stopping = True
        self.cutting_off = self.cutting_off or cut_off
        for listener in list(self._on_stop):
            listener()

    def halt(self, why: str, kind: str = LOGIN_REFUSED) -> None:
        """Stop the batch as :meth:`stop` does, because the server refused our login (``why``).

        Also (``kind`` :data:`LOGIN_MISMATCH`) a server that demands a login
        greeter does not make (530 to MAIL FROM) or offers no AUTH greeter can
        use (:func:`~greeter.smtp_failures.login_required`), (``kind``
        :data:`SECURITY_MISMATCH`) a ``delivery.smtp.security`` the server does
        not speak (:class:`~greeter.smtp_failures.SecurityMismatch`), and a
        relay that refuses greeter itself — its host, EHLO name or envelope
        sender (:func:`~greeter.reply_classes.setup_refusal`): every letter would be
        ``failed`` one after another. A wrong username or
        password fails every letter alike, and no retry
        cures it: putting the whole batch in ``retry`` (as for a server that is
        down) only burned attempts and backoff, and logging in again per letter
        can lock the account. The letters not handed over stay unclaimed, so
        the first run after the fix sends them at once.
        """
        if self.summary.halted is None:
            self.summary.halted, self.summary.halted_by = why, kind
            # The words of a 530, of a server without AUTH or of a relay refusing greeter itself
            # already name the settings to change.
            fix = "; check delivery.smtp.username and the password" if kind == LOGIN_REFUSED else ""
            self.summary.errors.append(
                f"{why}: the batch stopped there, the letters not sent are left for the next run{fix}"
            )
        self.stop()

    def quota_spent(self, seconds: float) -> None:
        """Stop the batch as :meth:`stop` does: the daily quota's next slot is ``seconds`` away.

        Past :data:`~greeter.ratelimit.QUOTA_PATIENCE` that is no pacing but up to a
        day: sleeping held the journal's lock (every cron run meanwhile exited 75)
        while the letters waiting expired. Not an error — the quota is the operator's
        choice — so nothing goes to ``errors``; the letters pulled with a permit still go
        (not a cut-off: cut off, the quota counted three letters never sent and nothing went),
        the rest stay unclaimed, and the summary says how many and when the next slot frees
        (by :attr:`clock`, so a ``--now`` rehearsal says it in its own time). The latest
        refusal's moment is kept: it knows of the permits given back and hand-overs ended since.
        """
        self.summary.quota_free_at = slot_frees_at(self.clock(), seconds)
        self.stop(cut_off=False)

    def provider_throttled(self, reply: str) -> None:
        """Stop the batch as :meth:`stop` does: the provider throttles us (``reply``).

        Handing over a new letter every few seconds into its refusals is what gets an
        account blocked; the letters not handed over stay unclaimed (not ``retry``, no
        attempt burned) and :mod:`greeter.provider_throttle` holds later runs back until
        the back-off has passed. The first such reply of the batch is the one kept.
        """
        if self.summary.throttled is None:
            self.summary.throttled = mask_addresses(reply, first=False)
            self.summary.throttled_at = self.clock()
        self.stop()

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` when :meth:`stop` is called; returns a function that forgets it."""
        self._on_stop.append(listener)
        return lambda: self._on_stop.remove(listener)

    def warm(self, items: Sequence[PlanItem]) -> None:
        """Do here, once, what building the first letters of ``items`` does once per process:
        before :mod:`greeter.build_pool` forks its workers, so that they inherit it.

        The renderer compiles and tries each template and locale (``warm``, given by
        :func:`~greeter.send.plan_cycle`); each letter it rendered is built and thrown
        away, which does what a process's first build does once (the first letter's
        bytes took ~0.4 ms more than the next ones', without DKIM; with it, the signer's
        first use too). Nothing is counted, claimed or journaled: a letter that fails
        here fails again, and is counted, where it is built for sending.
        """
        if self._warm is None:
            return
        for item, rendered in self._warm(items):
            try:
                envelope = Envelope.of(item.hit.contact, self.settings.sender, rendered.locale)
                message_id = self.message_ids.make(item.hit.key, self.domain)
                letter_bytes(
                    self.settings, rendered, envelope, message_id, self.clock(), self.secret, self.sign
                )
            except GreeterError:
                continue

    def prepare(self, item: PlanItem) -> Prepared | None:
        """Render and build one letter; a failure is counted and the batch goes on."""
        built = self.attempt(item)
        return built if isinstance(built, Prepared) else None

    def attempt(self, item: PlanItem) -> Prepared | str:
        """:meth:`prepare`, saying why a letter is not built: the review gate's verdict, or
        ``render_error: …`` (what ``send --dry-run`` shows beside each due letter)."""
        hit = item.hit
        email = hit.contact.email
        assert email is not None  # the planner skips contacts without e-mail
        try:
            rendered = self.render(item)
            envelope = Envelope.of(hit.contact, self.settings.sender, rendered.locale)
            if self.approvals is not None:
                verdict = approval_of(hit.key, content_hash(rendered, envelope), self.approvals)
                if verdict != "approved":
                    self.summary.skipped[verdict] += 1
                    self.summary.not_built += 1
                    return verdict
            message_id = self.message_ids.make(hit.key, self.domain)
            # To the very recipient the approval covers (the envelope's address is the contact's).
            data = letter_bytes(
                self.settings, rendered, envelope, message_id, self.clock(), self.secret, self.sign
            )
        except GreeterError as exc:
            self.summary.counts["render_error"] += 1
            self.summary.not_built += 1
            self.summary.errors.append(f"{hit.contact.id} {hit.occasion}: {exc}")
            # What the letter carries fails with it: journaled by nobody (like the letter itself),
            # so the next run after the template is fixed sends them together.
            for other in item.also:
                self.summary.skipped["render_error"] += 1
                why = merged_into_failed(hit.occasion, str(exc))
                self.summary.errors.append(f"{hit.contact.id} {other.occasion}: {why}")
            return f"render_error: {exc}"
        outgoing = Outgoing(hit.key, self.settings.sender.email, email, data)
        return Prepared(item, outgoing, message_id, rendered.subject.strip())

    def letters(self, items: Iterable[PlanItem]) -> Iterator[Ready]:
        """Render and build each letter when a sending worker asks for the next one.

        Pulled lazily: only the letters in flight exist as bytes (a large batch
        never sits in memory), and building the next letter overlaps with the
        network waits of the ones being sent. Claiming happens in the worker,
        right before the letter goes out (:class:`~greeter.delivery_batch.GroupCommit`).
        :func:`greeter.build_pool.built_letters` is the same on several cores.
        """
        for item in items:
            if self.stopping:
                return
            p = self.prepare(item)
            if p is not None:
                yield self.ready(p)

    def ready(self, p: Prepared, digest: str | None = None) -> Ready:
        """A built letter with the claim it will need (``digest``: its bytes' SHA-256, if known)."""
        assert p.item.send_at is not None
        request = ClaimRequest(
            p.item.hit.key,
            p.outgoing.rcpt,
            p.message_id,
            p.item.send_at,
            tuple(p.item.merged_with),
            digest or hashlib.sha256(p.outgoing.data).hexdigest(),
            p.outgoing.data,
            subject=p.subject,
        )
        return Ready(p.outgoing, request, also=p.item.also, occasion=p.item.hit.occasion, fresh=True)

    def claimed(self, ready: Ready, journaled: frozenset[JournalKey] = frozenset()) -> None:
        """The letter is ours: journal the occasions merged into it (not ``journaled`` yet) as skipped."""
        for other in ready.also:
            if other.key in journaled:
                continue
            self.journal.mark_skipped(
                other.key, merged_reason(ready.occasion), self.clock(), email=ready.outgoing.rcpt
            )

    def release(self, ready: Ready) -> None:
        """Give back the claim of a letter the server refused before DATA for our login settings.

        A 530 to MAIL FROM (or a 535 when its connection was reopened) reaches
        every letter claimed at that moment — one per pooled connection — and
        none of them reached the server: recorded ``retry``, each burned an
        attempt and a backoff no retry could use. Given back
        (:meth:`JournalStore.release`), they go out with the rest of the batch
        once the login is fixed. Journal only (it runs in a worker thread).

        A retry goes back to being due at the moment the run was planned
        (``now``, when it was found due), not at the clock's: the next run —
        ``send --once --now`` the same moment included — finds it due again.
        """
        merged = [other.key for other in ready.also]
        self.journal.release(ready.request.key, self.now, merged=merged)

    def skip_suppressed(self, ready: Ready) -> bool:
        """A retry whose claim was refused: recorded ``skipped`` if its address is on the list now.

        The claim of a retry refuses an address on the do-not-contact list
        (:meth:`JournalStore.claim`); one put there after the run was planned
        (the daemon's one-click unsubscribe, ``greeter suppress``) is recorded
        here rather than left waiting for the next run. False: lost for another
        reason (another sender has it). Journal only (it runs in a worker thread).
        """
        return self.journal.skip_suppressed(ready.request.key, ready.outgoing.rcpt, self.clock())

    def lost_claim(self, ready: Ready) -> str | None:
        """Why a claim was refused, as the summary counts it; None: another sender has the letter.

        The claim refuses an address on the do-not-contact list, which may have
        been put there after the run was planned (the daemon's one-click
        unsubscribe, ``greeter suppress`` or ``forget`` while the batch runs):
        ``suppressed``, a retry's row recorded so. A new letter refused for any
        other reason is ``already_sent``. Journal only (it runs in a worker thread).
        """
        if not ready.fresh and self.skip_suppressed(ready):
            return "suppressed"
        if self.journal.is_suppressed(ready.request.email):
            return "suppressed"
        return "already_sent" if ready.fresh else None

    def claim_for_contact(self, ready: Ready) -> bool:
        """Shared journal: decide the contact's cap again on the journal as it is now, and claim.

        Holds the contact (:meth:`JournalStore.contact_lock`) so that no other
        sender decides for it meanwhile; the claim and the merged occasions are
        committed before the lock is released. False: not ours to send.
        """
        key = ready.request.key
        with self.journal.contact_lock(key[0]):
            # A failed greeting an operator put back in line is this letter's own row, to be claimed.
            rows = [r for r in self.journal.history(contact_id=key[0]) if not is_requeued(r)]
            known = frozenset(r.key for r in rows)
            if key in known:
                self.summary.skipped["already_sent"] += 1
                return False
            taken = sorted(d for r in rows if (d := cap_day(r)) is not None)  # baseline rows too
            if cap_refusal(ready.request.planned_at.date(), taken, self.settings.frequency_cap):
                self.summary.skipped["frequency_cap"] += 1  # another sender greeted this contact meanwhile
                return False
            if not self.journal.claim_many([ready.request], now=self.clock())[0]:
                self.summary.skipped[self.lost_claim(ready) or "already_sent"] += 1
                return False
            self.claimed(ready, known)
        return True

    def unsent_for_contact(self, ready: Ready, verdict: Verdict) -> str | None:
        """Shared journal: :meth:`claim_for_contact` and record the verdict of a letter never sent.

        None: not ours (counted as a skip). PostgreSQL commits each write on
        its own, so a crash between the two leaves the claim to the lease
        recovery (``uncertain``), as any claim would be.
        """
        if not self.claim_for_contact(ready):
            return None
        return self.record(*verdict)

    def record(
        self, result: SendResult, attempts: int, until: datetime | None, email: str, at: datetime
    ) -> str:
        """Write the server's verdict; classify by SMTP reply class (DESIGN.md §4).

        ``until``: the letter's :func:`~greeter.delivery_timing.deadline`, past which no retry is
        planned (given for a temporary refusal). ``at``: the moment the answer came, the one the
        run's rate limiter counts the letter from (:meth:`~greeter.ratelimit.RateLimiter.handed_over`).
        WHY: read here, when a journal round got to the verdict (a second or two later on a loaded
        machine), the journal's ``sent`` moment was later than the run's: the run announced the
        daily quota's slot free at 11:00:00 and the next run, counting from the journal, 11:00:02.
        Journal only (it runs in a worker thread); returns the summary count the letter falls
        under, for :meth:`count` on the event loop.
        """
        key, reply = result.key, result.reply
        if result.outcome is Outcome.OK:
            try:
                self.journal.mark_sent(key, reply, at)
            except JournalStateError:
                if not isinstance(self.journal, Leased):
                    raise
                self._sent_after_lapse(key, reply, at)
            return "sent"
        if result.outcome is Outcome.UNCERTAIN:
            self.journal.mark_uncertain(key, reply, at)
            return "uncertain"
        if result.outcome is Outcome.TEMPORARY:
            nxt = at + backoff(attempts, self.settings.delivery.retry)
            assert until is not None, "a temporary refusal's verdict carries its deadline"
            if nxt > until:
                self.journal.mark_failed(key, reply + GAVE_UP, at)
                return "failed"
            self.journal.mark_retry(key, reply, nxt, at)
            return "retry"
        self.journal.mark_failed(key, reply, at)
        if result.unknown_user:
            self.journal.suppress([email], f"{BOUNCED} {reply}", at, channel="bounce")
        return "failed"

    def _sent_after_lapse(self, key: JournalKey, reply: str, at: datetime) -> None:
        """A 250 for a letter whose claim is no longer ``claimed``: another sender presumed it dead.

        The letter arrived (the reply says so): recorded ``sent`` if the row is
        still the recovery's ``uncertain`` of this sender's claim, and said in
        the summary. A row an operator decided meanwhile (resend, dismiss)
        stays as decided, and the summary says the letter did arrive — before
        this, the run failed there and abandoned the rest of its batch.
        """
        assert isinstance(self.journal, Leased)
        found = self.journal.sent_after_lapse(key, reply, at)
        if found is None:
            self.summary.sent_after_lapse.append(key)
            return
        self.summary.errors.append(
            f"{key[0]} {key[1]} {key[2].isoformat()}: the server accepted it ({reply}) after another sender"
            f" had recorded it uncertain, and it is {found} now (an operator's decision, left as it is):"
            " it did arrive — if it was resent, the client got it twice"
        )

    def journal_round(
        self, trips: Sequence[ClaimRequest | Verdict | Unsent]
    ) -> list[bool | str | JournalStateError]:
        """Claims and verdicts that are ready at the same moment, in one transaction (one fsync).

        A claim comes back as whether it was won (:meth:`JournalStore.claim`), a
        verdict as its summary count (:meth:`record`), an :class:`Unsent` as
        its count, or False when its claim was lost. Sharing the round halves
        the durable commits of a large send and keeps the claims' and the
        verdicts' transactions from queueing for each other's. A verdict whose
        row is no longer ``claimed`` (an operator or a shutdown moved it
        meanwhile) is refused before anything is written for it: that one comes
        back as its error, and the rest are still committed.
        """
        try:
            return self._round(trips, at_once=True)
        except NotAllMovedError:  # a letter the server took is no longer claimed: all rolled back
            return self._round(trips, at_once=False)  # each verdict on its own says which

    def _round(
        self, trips: Sequence[ClaimRequest | Verdict | Unsent], *, at_once: bool
    ) -> list[bool | str | JournalStateError]:
        """:meth:`journal_round`; ``at_once``: the letters the server took marked ``sent`` together."""
        with self.journal.batch():
            claims = [t.request if isinstance(t, Unsent) else t for t in trips if not isinstance(t, tuple)]
            won = iter(self.journal.claim_many(claims, now=self.clock()) if claims else ())
            sent = self._all_sent(trips) if at_once else set()
            done: list[bool | str | JournalStateError] = []
            for trip in trips:
                if isinstance(trip, ClaimRequest):
                    done.append(next(won))
                    continue
                if id(trip) in sent:
                    done.append("sent")
                    continue
                if isinstance(trip, Unsent):
                    if not next(won):
                        done.append(False)
                        continue
                    trip = trip.verdict
                try:
                    done.append(self.record(*trip))
                except JournalStateError as exc:
                    done.append(exc)
        return done

    def _all_sent(self, trips: Sequence[ClaimRequest | Verdict | Unsent]) -> set[int]:
        """The round's verdicts of letters the server took (their ``id``), marked ``sent`` in one go.

        What :meth:`record` does for each, but one statement for all of them
        (:meth:`~greeter.journal_store.JournalStore.mark_all_sent`), each at its own
        answer's moment as before. Empty: the journal has no quicker way, each
        goes through :meth:`record`. If one of them is no longer ``claimed``, the
        round is rolled back (:class:`~greeter.errors.NotAllMovedError`) and made
        again without this, so :meth:`record` says which one (or records a lapsed
        lease's letter, :meth:`_sent_after_lapse`).
        """
        sent = [t for t in trips if isinstance(t, tuple) and t[0].outcome is Outcome.OK]
        if len(sent) < 2:
            return set()
        if not self.journal.mark_all_sent([(t[0].key, t[0].reply, t[4]) for t in sent]):
            return set()
        return {id(t) for t in sent}

    def count(self, result: SendResult, counted: str) -> None:
        """Add a recorded verdict to the summary."""
        self.summary.counts[counted] += 1
        if counted in ("retry", "failed"):  # "451 <a@x.ru>: greylisted" for ten letters is one reason
            # A temporary refusal counted failed is one given up on (record): "failed ×1: 451 …"
            # alone read as if greeter took a 4xx for a refusal.
            given_up = counted == "failed" and result.outcome is Outcome.TEMPORARY
            reply = result.reply + GAVE_UP if given_up else result.reply
            self.summary.replies[(counted, mask_addresses(reply, first=False))] += 1
        if counted == "uncertain":
            key = result.key
            self.summary.errors.append(
                f"{key[0]} {key[1]}: uncertain ({result.reply}); see greeter history --state uncertain"
            )

    def record_skips(
        self,
        items: Iterable[PlanItem],
        *,
        dry_run: bool = False,
        quota_held_at: datetime | None = None,
        calendar_of: Callable[[str], WorkCalendar] | None = None,
    ) -> None:
        """Journal the skips that explain a client's history once their day has come, and count them.

        ``dry_run`` only counts them, so that a dry run's summary says what the
        send would (it used to count only the retries it would expire).
        ``quota_held_at``: when a run last ended at the daily quota, within the catch-up period
        (:func:`~greeter.quota_plan.held_recently`): an expired greeting meant to leave by then
        says the quota held it (:func:`~greeter.quota_plan.quota_expiry_words`) — unless its
        recipient's window (``calendar_of``: their working days, by contact id) was open after
        the quota freed its slots and before the greeting's catch-up period ended.
        """
        self._quota_held_at = quota_held_at
        self._calendar_of = calendar_of
        for item in items:
            if item.status != "skip" or item.reason not in RECORDED_SKIPS or item.merged_into:
                continue
            if item.hit.date > self.now.date():
                continue  # decided again when its day comes
            by_quota = self._quota_expiry(item) if item.reason == "expired" else None
            if dry_run or self._record_skip(item, by_quota):
                self.summary.skipped[str(item.reason)] += 1
                if item.reason == "expired":
                    self.summary.expired.append(item.hit.key)
                    self.summary.quota_expired += by_quota is not None

    def _quota_expiry(self, item: PlanItem) -> str | None:
        """The daily quota's words for expired ``item``, if it held letters back once it was due."""
        held_at = self._quota_held_at
        if held_at is None:
            return None
        occ = next((o for o in self.settings.occasions if o.name == item.hit.occasion), None)
        meant = item.hit.date - timedelta(days=occ.days_before if occ is not None else 0)
        zone = contact_zone(item.hit.contact, self.settings)
        if self._calendar_of is None:
            return quota_expiry_words(held_at, meant, zone)
        cal = self._calendar_of(item.hit.contact.id)
        ends = letter_deadline(self.settings, item.hit.key, zone, cal)
        opener = window_opener(zone, self.settings.send_window, cal)
        return quota_expiry_words(held_at, meant, zone, ends, opener)

    def _record_skip(self, item: PlanItem, by_quota: str | None) -> bool:
        """Journal one skip (:meth:`record_skips`; ``by_quota``: the quota's words for an expired
        one, if it is put down to the quota); False if another sender journaled it meanwhile."""
        cid, occasion, day = item.hit.key
        with self.journal.contact_lock(cid):
            # Only a shared journal can have changed since the plan read it (another sender).
            if self.journal.shared and self.journal.history(
                contact_id=cid, occasion=occasion, since=day, until=day
            ):
                return False  # journaled meanwhile by another sender: that stands
            if item.reason == "expired":
                # The planner's words say which window it missed: "expired" alone left a
                # manager asking why a client went ungreeted.
                why = by_quota or item.detail or None
                if self.approvals is not None and item.hit.key not in self.approvals:
                    # Held by the review gate every run until then: why it could not go at all.
                    why = f"{why}; it was still awaiting approval (review: required)" if why else why
                self.journal.mark_expired(item.hit.key, self.now, email=item.hit.contact.email, why=why)
            else:
                self.journal.mark_skipped(
                    item.hit.key, f"{item.reason}: {item.detail}", self.now, email=item.hit.contact.email
                )
        return True
