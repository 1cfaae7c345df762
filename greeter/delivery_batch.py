"""Send one batch of letters through one transport: claim, hand over, record — never twice.

:mod:`greeter.delivery` decides (what is due, how each letter is built, how
a verdict is journaled); this is the batch around it — the sending workers,
the claims and verdicts sharing journal rounds (:class:`GroupCommit`), the
:class:`~greeter.transport.Breaker`, and a stop that cuts the batch off
without leaving a claimed letter behind. :func:`send_batch` is its entry.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from greeter.delivery import Deliverer, Leased, Ready, Unsent, Verdict
from greeter.delivery_summary import Summary
from greeter.journal_store import ClaimRequest, JournalEntry, JournalKey
from greeter.off_loop import OneAtATime
from greeter.plan_types import PlanItem
from greeter.quota_plan import Rank
from greeter.ratelimit import RateLimiter
from greeter.transport import Breaker, Outcome, Outgoing, SendResult, Transport, run_batch

Req = TypeVar("Req")
Res = TypeVar("Res")

#: Letters :func:`send_batch` journals as unsent together once its breaker has opened.
UNSENT_AT_ONCE = 64

#: What a verdict needs to know of each letter in the batch: its attempt and address (for
#: suppression). Its retry deadline comes from the batch's ``deadline_of``.
LetterFacts = dict[JournalKey, tuple[int, str]]


class GroupCommit(Generic[Req, Res]):
    """Requests from workers ready at the same moment share one trip to the journal (group commit).

    A claim must be durable before DATA, and an fsync costs about a
    millisecond and a half on an ordinary disk — per claim, that alone caps a
    sender at ~700 letters/s. Here the first worker to ask starts ``commit``
    in a thread; workers asking meanwhile queue up and go together in the next
    call. Each letter is still claimed only when its worker is about to send
    it, so a crash leaves at most the pool's in-flight letters ``claimed``
    (→ ``uncertain``), exactly as with one commit per letter. Verdicts ride
    in the same rounds (:meth:`Deliverer.journal_round`), so the event loop
    never waits on the journal; with claims and verdicts in separate groups,
    each group's commits queued for the other's (2,000 letters: the journal
    was busy 0.65 s of a 0.72 s send, 0.41 s in shared rounds). The group has
    its own thread for the whole batch (``close`` ends it): handing every
    commit to the loop's shared executor cost the event loop's thread more
    than the commit saved.
    """

    def __init__(self, commit: Callable[[list[Req]], Sequence[Res | BaseException]]) -> None:
        self._commit = commit
        self._pending: list[tuple[Req, _Target[Res]]] = []
        #: A round is with the thread, or about to go (this turn of the event loop): the requests
        #: queued meanwhile wait for it to be answered.
        self._busy = False
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inbox: queue.SimpleQueue[list[tuple[Req, _Target[Res]]] | None] = queue.SimpleQueue()
        #: Started with the first round, not here: the build workers fork after the batch began
        #: (:func:`~greeter.build_pool.can_fork` forks only a process running no other thread).
        self._thread: threading.Thread | None = None
        self._idle: asyncio.Future[None] | None = None

    def close(self) -> None:
        """End the thread once the commit in progress (if any) is done; later requests are refused."""
        self._closed = True
        if self._thread is not None:
            self._inbox.put(None)
            self._thread.join()

    def submit(self, request: Req) -> asyncio.Future[Res]:
        """Queue ``request`` for the next commit; await the future for its result.

        A plain function handing back the future, not a coroutine awaiting it: two
        requests a letter (claim and verdict), and a coroutine each cost the event
        loop's thread a frame per request for nothing.
        """
        future: asyncio.Future[Res] = asyncio.get_running_loop().create_future()
        self._queue(request, future)
        return future

    def submit_then(self, request: Req, done: Callable[[Res | BaseException], None]) -> None:
        """Queue ``request`` for the next commit; ``done`` gets its result (or error) once committed.

        For a request nobody needs to wait for (a letter's verdict): no future, and
        no wake-up of the worker's task when the round is done — the event loop's
        thread paid a task step a letter for it. ``done`` runs on the event loop,
        in the order the requests were queued. :meth:`drain` waits for every one.
        """
        self._queue(request, done)

    def _queue(self, request: Req, target: _Target[Res]) -> None:
        self._pending.append((request, target))
        if not self._busy:
            # At the end of this turn of the event loop: the requests made in it go together.
            self._busy = True
            asyncio.get_running_loop().call_soon(self._hand_over)

    def _hand_over(self) -> None:
        """The requests queued so far go to the thread as one round (on the event loop)."""
        batch, self._pending = self._pending, []
        if self._closed:
            self._busy = False
            refused = RuntimeError("the batch's journal rounds are closed")
            for _, target in batch:
                _answer(target, refused)
            self._wake_drain()
            return
        if self._thread is None:
            self._loop = asyncio.get_running_loop()
            self._thread = threading.Thread(target=self._rounds, name="greeter-journal", daemon=True)
            self._thread.start()
        self._inbox.put(batch)

    def _rounds(self) -> None:
        """The thread: each round committed in turn, its answers handed to the event loop at once.

        One ``call_soon_threadsafe`` a round: ``run_in_executor`` cost the event loop's
        thread an executor future, an asyncio future chained to it and a task step a round.
        """
        assert self._loop is not None
        while (batch := self._inbox.get()) is not None:
            results: Sequence[Res | BaseException]
            try:
                results = self._commit([r for r, _ in batch])
            except Exception as exc:  # handed to every request of this round
                results = [exc] * len(batch)
            try:
                self._loop.call_soon_threadsafe(self._answered, batch, results)
            except RuntimeError:  # the event loop is closed: nobody waits any more
                return

    def _answered(
        self, batch: list[tuple[Req, _Target[Res]]], results: Sequence[Res | BaseException]
    ) -> None:
        """A round is committed (on the event loop): answer it, and hand over what queued meanwhile
        (a request made while it is answered, too: still busy, it waits for this hand-over)."""
        try:
            for (_, target), result in zip(batch, results, strict=True):
                _answer(target, result)
        finally:
            if self._pending:
                self._hand_over()
            else:
                self._busy = False
                self._wake_drain()

    def _wake_drain(self) -> None:
        if self._idle is not None and not self._idle.done():
            self._idle.set_result(None)

    async def drain(self) -> None:
        """Wait until every request queued so far is committed and answered."""
        while self._busy:
            if self._idle is None or self._idle.done():
                self._idle = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._idle)


#: Who waits for a request: a worker's future, or a function called with the result.
_Target = asyncio.Future[Res] | Callable[[Res | BaseException], None]


def _answer(target: _Target[Res], result: Res | BaseException) -> None:
    """Hand one request's result (or its own failure) to whoever waits for it."""
    if not isinstance(target, asyncio.Future):
        target(result)
    elif target.done():
        return
    elif isinstance(result, BaseException):  # this request's own failure
        target.set_exception(result)
    else:
        target.set_result(result)


def letter_facts(due: list[PlanItem], retries: list[tuple[JournalEntry, bytes]]) -> LetterFacts:
    """Pure: each letter's attempt and address, read once before the batch.

    A verdict comes back with only its key; this is what :meth:`Deliverer.record`
    needs beside it. A retry's attempt is the one after those already journaled.
    """
    info: LetterFacts = {item.hit.key: (1, item.hit.contact.email or "") for item in due}
    for entry, _ in retries:
        info[entry.key] = (entry.attempts + 1, entry.email or "")
    return info


def retry_letters(
    deliverer: Deliverer, retries: list[tuple[JournalEntry, bytes]], sender: str
) -> Iterator[Ready]:
    """The due retries as letters, with the exact bytes stored at their first claim.

    Pulled lazily like the fresh letters, so a stop ends them too.
    """
    for entry, data in retries:
        if deliverer.stopping:
            return
        assert entry.email and entry.message_id and entry.planned_at
        request = ClaimRequest(
            entry.key, entry.email, entry.message_id, entry.planned_at, entry.merged, retry=True
        )
        yield Ready(Outgoing(entry.key, sender, entry.email, data), request)


def all_letters(
    deliverer: Deliverer,
    due: list[PlanItem],
    retries: list[tuple[JournalEntry, bytes]],
    fresh: AsyncGenerator[Ready, None] | None,
    sender: str,
    rank: Callable[[JournalKey], Rank] | None = None,
) -> AsyncGenerator[Ready, None]:
    """Every letter of the batch, fresh ones first: built here or by the build workers (``fresh``).

    With ``rank`` (a daily quota: both lists already in its order, :mod:`greeter.quota_plan`)
    each retry goes before the first fresh letter ranked after it: retries last let the quota
    run out on letters that could still leave tomorrow. Without retries the fresh letters
    come as they are built, through no generator layer of their own (one a letter, for nothing).
    """
    built = _aiter(deliverer.letters(due)) if fresh is None else fresh
    if not retries:
        return built
    return _with_retries(deliverer, built, retries, sender, rank)


async def _with_retries(
    deliverer: Deliverer,
    built: AsyncGenerator[Ready, None],
    retries: list[tuple[JournalEntry, bytes]],
    sender: str,
    rank: Callable[[JournalKey], Rank] | None,
) -> AsyncGenerator[Ready, None]:
    """:func:`all_letters` with retries: the fresh ones, each retry placed by ``rank`` if given."""
    waiting = retry_letters(deliverer, retries, sender)
    retry = next(waiting, None) if rank is not None else None
    async with contextlib.aclosing(built):  # its build workers stop with this generator
        async for ready in built:
            while (
                retry is not None and rank is not None and rank(retry.request.key) < rank(ready.request.key)
            ):
                yield retry
                retry = next(waiting, None)
            yield ready
    if retry is not None:
        yield retry
    for ready in waiting:
        yield ready


async def _aiter(letters: Iterator[Ready]) -> AsyncGenerator[Ready, None]:
    for ready in letters:
        yield ready


class InHand:
    """Letters between their claim and their verdict (or a claim lost), and unsent ones being
    journaled: after a stop the batch is cut off once there are none (``settled``)."""

    def __init__(self, deliverer: Deliverer) -> None:
        self._deliverer = deliverer
        self.count = 0
        self.settled = asyncio.Event()

    def check_settled(self) -> None:
        """Set ``settled`` once a stop has come and no claimed letter is in flight.

        Not for a daily quota used up (no cut-off): the letters pulled with a permit
        are still claimed and sent, and the batch ends when its workers have done so.
        """
        if self._deliverer.cutting_off and self.count == 0:
            self.settled.set()

    def hold(self) -> None:
        """A letter is claimed (or being journaled unsent): a stop now waits for it."""
        self.count += 1

    def release(self) -> None:
        """That letter is done: a stop waiting for it may cut the batch off now."""
        self.count -= 1
        self.check_settled()


@dataclass
class Tally:
    """How the due letters ended, for the count a stop leaves unsent (:func:`note_left_unsent`).

    Every due letter ends claimed (then recorded), lost to another sender, not
    built (``summary.not_built``) or — after a stop — left unsent.
    """

    claims_won: int = 0
    claims_lost: int = 0
    #: Claimed, then refused before DATA for the login: unclaimed again, left unsent.
    given_back: int = 0
    #: Not claimed: the recipient's window closed while the batch ran.
    window_closed: int = 0

    def claim_result(self, won: bool) -> bool:
        """Count a claim won or lost; returns ``won``."""
        if won:
            self.claims_won += 1
        else:
            self.claims_lost += 1
        return won


def note_left_unsent(summary: Summary, letters: int, tally: Tally) -> None:
    """A stopped batch: put the due letters it left unclaimed where the summary says why it stopped.

    ``letters``: how many were due (fresh and retries). A halt (login refused),
    a provider's throttle and a daily quota used up each have their own count — the
    letters a batch both throttled and over the quota left are in both —; any other
    stop is ``left_unsent``.
    """
    handled = (
        tally.claims_won - tally.given_back + tally.claims_lost + summary.not_built + tally.window_closed
    )
    left = max(0, letters - handled)
    if summary.halted is not None:
        summary.halted_unsent = left
        return
    if summary.throttled is not None:
        summary.throttle_unsent = left
    if summary.quota_free_at is not None:
        # Throttled as well, the letters left wait for both: "quota_unsent 0" beside the quota's
        # moment read as if the quota held none, while no letter could leave before its slot.
        summary.quota_unsent = left
        if not left:
            # The quota ran out with the last letter (a worker asked for one more permit
            # before finding none was left): nothing waits for it, so nothing to say.
            summary.quota_free_at = None
    elif summary.throttled is None:
        summary.left_unsent = left


@dataclass(slots=True)
class Handover:
    """One letter handed to the transport: whether it was held for a stop and its claim won.

    The transport calls :meth:`claim_when_ready` once the letter's connection is
    open and ready; what happened there decides what the server's answer means
    (:meth:`Batch.answered`), and whether a stop must wait for this letter.
    """

    batch: Batch
    ready: Ready
    taken: bool = False
    held: bool = False

    async def claim_when_ready(self) -> bool:
        """Claim the letter now that its connection is ready, unless a stop or its window forbids."""
        batch = self.batch
        if batch.deliverer.cutting_off:
            return False  # not claimed: it stays for the next run (its permit is given back)
        request = self.ready.request
        if batch.window_open is not None and not batch.window_open(request.key[0], request.planned_at):
            batch.tally.window_closed += 1
            batch.deliverer.summary.skipped["window_closed"] += 1
            return False  # not claimed: the next run sends it in the recipient's next window
        batch.in_hand.hold()  # from here on a stop waits for this letter (and its verdict)
        self.held = True
        self.taken = await batch.take(self.ready)
        return self.taken


class Batch:
    """One :func:`send_batch`: the state its sending workers share, and what each does per letter."""

    def __init__(
        self,
        deliverer: Deliverer,
        transport: Transport,
        deadline_of: Callable[[JournalKey], datetime],
        info: LetterFacts,
        *,
        concurrency: int,
        limiter: RateLimiter | None,
        progress: Callable[[int], None] | None,
        window_open: Callable[[str, datetime | None], bool] | None,
        rank: Callable[[JournalKey], Rank] | None = None,
    ) -> None:
        self.deliverer = deliverer
        self.rank = rank
        self.transport = transport
        self.deadline_of = deadline_of
        self.info = info
        self.concurrency = concurrency
        self.limiter = limiter
        self.progress = progress
        self.window_open = window_open
        # Claims and verdicts ready at the same moment share one transaction and one fsync.
        self.rounds = GroupCommit[ClaimRequest | Verdict | Unsent, bool | str](deliverer.journal_round)
        self.breaker = Breaker(concurrency)
        self.in_hand = InHand(deliverer)
        self.tally = Tally()
        self.sender = deliverer.settings.sender.email
        # Several senders may share the journal (PostgreSQL): each fresh letter's cap is decided
        # again, and it is claimed, holding its contact. At most two at a time: each holds two of
        # the journal's four pooled connections (journal_pg.POOL_SIZE) while verdicts need one.
        self.shared = deliverer.journal.shared
        self.contact_turn = asyncio.Semaphore(2)
        #: A verdict the journal refused (:meth:`recorded`): raised by the next :meth:`send`.
        self.failure: Exception | None = None

    def more(self) -> bool:
        """Whether the sending workers take another letter: not once the breaker opened, nor after a stop."""
        return self.breaker.why is None and not self.deliverer.stopping

    def verdict_of(self, result: SendResult) -> Verdict:
        """The server's answer with what the journal needs to record it (:func:`letter_facts`),
        stamped now: called as the answer comes, in the stretch without an ``await`` that ends
        in the rate limiter's :meth:`~greeter.ratelimit.RateLimiter.handed_over`."""
        attempts, email = self.info[result.key]
        # Only a temporary refusal is bounded by the deadline: not worked out for every letter sent.
        until = self.deadline_of(result.key) if result.outcome is Outcome.TEMPORARY else None
        return (result, attempts, until, email, self.deliverer.clock())

    def counted(self, result: SendResult, count: str) -> SendResult:
        """A recorded verdict goes into the summary and moves the progress bar."""
        self.deliverer.count(result, count)
        if self.progress is not None:
            self.progress(1)
        return result

    async def take(self, ready: Ready) -> bool:
        """Claim a letter whose connection is open and ready (the transport's ``ready``)."""
        deliverer = self.deliverer
        if ready.fresh and self.shared:
            async with self.contact_turn:
                return self.tally.claim_result(await asyncio.to_thread(deliverer.claim_for_contact, ready))
        won = await self.rounds.submit(ready.request)  # in the next shared journal round
        assert isinstance(won, bool)
        if not self.tally.claim_result(won):
            if (why := await asyncio.to_thread(deliverer.lost_claim, ready)) is not None:
                deliverer.summary.skipped[why] += 1
            return False
        deliverer.claimed(ready)
        return True

    async def unsent(self, ready: Ready, result: SendResult) -> SendResult | None:
        """A letter the server never got: claimed and given its verdict (``retry``) in one go."""
        deliverer = self.deliverer
        if deliverer.cutting_off:
            return None  # not claimed: it stays for the next run
        self.in_hand.hold()
        try:
            verdict = self.verdict_of(result)
            if ready.fresh and self.shared:
                async with self.contact_turn:
                    count = await asyncio.to_thread(deliverer.unsent_for_contact, ready, verdict)
                if not self.tally.claim_result(count is not None):
                    return None
                assert count is not None
                return self.counted(result, count)
            done = await self.rounds.submit(Unsent(ready.request, verdict))
            if not self.tally.claim_result(done is not False):
                if (why := await asyncio.to_thread(deliverer.lost_claim, ready)) is not None:
                    deliverer.summary.skipped[why] += 1
                return None
            assert isinstance(done, str)
            deliverer.claimed(ready)
            return self.counted(result, done)
        finally:
            self.in_hand.release()

    async def send(self, ready: Ready) -> SendResult | bool:
        """One sending worker's letter: past the breaker, claimed when its connection is ready, sent.

        Returns whether the server had it (its rate-limit permit counts), not the result: the
        letter's verdict is journaled and counted here, so :func:`~greeter.transport.run_batch`
        has no result to queue and yield for :meth:`run` to throw away — that cost the event
        loop's thread a queue round and a wake-up of the batch's task per letter. A letter the
        server had and refused returns its result (:attr:`~greeter.transport.SendResult.refused`):
        its daily slot is given back, as the next run counts only the journal's sent letters.
        """
        if self.failure is not None:  # a verdict the journal refused: the batch stops (run_batch)
            raise self.failure
        if self.deliverer.cutting_off:
            return False  # built but not yet claimed: it stays for the next run
        why = await self.breaker.admit()
        if why is not None:
            await self.unsent(ready, SendResult(ready.request.key, Outcome.TEMPORARY, None, why))
            return False
        handover = Handover(self, ready)
        item = ready.outgoing
        result: SendResult | None = None
        recording = False
        try:
            try:
                result = await self.transport.send(
                    item.envelope_from, item.rcpt, item.data, item.key, ready=handover.claim_when_ready
                )
            finally:
                self.breaker.done(result)
            recording = await self.answered(handover, result)
            if result is not None and result.throttled:
                self.deliverer.provider_throttled(result.reply)  # its own letter's verdict is queued first
        finally:
            if handover.held and not recording:
                self.in_hand.release()
        # Not claimed (a stop, another sender's claim, its window closed), its connection never
        # opened, or refused before DATA for the login: the server never had it.
        had = handover.taken and result is not None and result.halt_kind is None
        return result if had and result is not None and result.refused else had

    async def answered(self, handover: Handover, result: SendResult | None) -> bool:
        """What the server's answer means for a letter handed over: recorded, unsent, or a halt.

        True: its verdict is queued for the next journal round, and the letter stays in hand
        (:class:`InHand`) until the round has recorded it (:meth:`recorded`).
        """
        if result is None:
            return False  # its claim was lost, or a shutdown began: nothing was sent
        ready = handover.ready
        if result.halt_kind is not None:
            # A setting no retry gets past: a login refused at AUTH, demanded at MAIL FROM (530)
            # or not offered, a security the server does not speak, a relay refusing greeter's
            # host, EHLO name or sender at MAIL FROM or RCPT TO. The letter never reached DATA:
            # claimed, its claim is given back, so it waits for the fix with the rest, no attempt counted.
            self.deliverer.halt(result.reply, result.halt_kind)
            if handover.taken:
                await asyncio.to_thread(self.deliverer.release, ready)
                self.tally.given_back += 1
            return False
        if not handover.taken:
            await self.unsent(ready, result)  # its connection never opened (or a bad address)
            return False
        # The verdict is queued in the same worker, before it pulls (and claims) the next letter:
        # rounds commit in order, so the verdict is durable no later than that next claim, and a
        # crash leaves at most `concurrency` claims without a verdict. Not awaited: the round
        # counts it (:meth:`recorded`), and the worker goes on to its next letter meanwhile.
        self.rounds.submit_then(self.verdict_of(result), lambda count: self.recorded(result, count))
        return True

    def recorded(self, result: SendResult, count: bool | str | BaseException) -> None:
        """A journal round recorded a letter's verdict (``count``, its summary count) or refused it.

        A refusal (a :class:`~greeter.errors.JournalStateError`: the row is no longer
        ``claimed``, or the journal failed) stops the batch as it did when the worker awaited
        it: the next letter a worker takes raises it, and so does :meth:`run` at the end.
        """
        try:
            if isinstance(count, str):
                self.counted(result, count)
            elif not isinstance(count, asyncio.CancelledError) and self.failure is None:
                self.failure = count if isinstance(count, Exception) else RuntimeError(count)
        finally:
            self.in_hand.release()

    async def leave_unsent(self, letters: AsyncIterator[Ready], why: str) -> None:
        """The breaker opened: every letter not handed over goes to ``retry``, many to a journal round."""
        pending: list[Awaitable[SendResult | None]] = []
        async for ready in letters:
            if self.deliverer.stopping:
                break
            pending.append(self.unsent(ready, SendResult(ready.request.key, Outcome.TEMPORARY, None, why)))
            if len(pending) == UNSENT_AT_ONCE:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)

    async def run(
        self,
        due: list[PlanItem],
        retries: list[tuple[JournalEntry, bytes]],
        fresh: AsyncGenerator[Ready, None] | None,
    ) -> None:
        """The sending workers over every letter; once the breaker opens, the rest go to ``retry``."""
        everything = all_letters(self.deliverer, due, retries, fresh, self.sender, self.rank)
        async with contextlib.aclosing(everything) as letters:  # stops build workers on any exit
            batch = run_batch(
                self.send, letters, concurrency=self.concurrency, limiter=self.limiter, more=self.more
            )
            try:
                async for _ in batch:
                    pass
                if self.breaker.why is not None and self.failure is None:
                    await self.leave_unsent(letters, self.breaker.why)
            finally:
                await self.rounds.drain()  # every verdict queued is recorded and counted
        if self.failure is not None:
            raise self.failure

    async def send_all(
        self,
        due: list[PlanItem],
        retries: list[tuple[JournalEntry, bytes]],
        fresh: AsyncGenerator[Ready, None] | None,
    ) -> None:
        """:meth:`run` until it ends or, after a stop, until no claimed letter is in flight.

        Whatever then still waits unclaimed is cut off, and the summary says how
        many due letters the stop left for the next run (:func:`note_left_unsent`).
        """
        deliverer, limiter = self.deliverer, self.limiter
        forget = deliverer.on_stop(self.in_hand.check_settled)
        # The daily quota used up for longer than a pause: end the batch as a stop does (not sleep).
        forget_quota = limiter.on_quota_spent(deliverer.quota_spent) if limiter is not None else None
        self.in_hand.check_settled()  # stopped before it began
        renewing = asyncio.ensure_future(keep_leases(deliverer.journal))
        work = asyncio.ensure_future(self.run(due, retries, fresh))
        cut = asyncio.ensure_future(self.in_hand.settled.wait())
        try:
            await asyncio.wait({work, cut}, return_when=asyncio.FIRST_COMPLETED)
            # Stopped, and no claimed letter is in flight: whatever waits unclaimed is cut off.
            await cancel_and_wait(work)
        finally:
            forget()
            if forget_quota is not None:
                forget_quota()
            cut.cancel()
            await cancel_and_wait(work)  # the batch itself was cancelled (the daemon's shutdown timeout)
            await cancel_and_wait(renewing)
            self.rounds.close()
            if deliverer.stopping:
                note_left_unsent(deliverer.summary, len(due) + len(retries), self.tally)
        if not work.cancelled():
            work.result()  # its error, if any (a journal that failed)


async def keep_leases(journal: object) -> None:
    """Renew this sender's claims every third of a lease until cancelled (a shared journal only).

    A claim's lease was renewed only as a side effect of the next claim or
    verdict; while every pooled letter awaited a slow server's reply to DATA
    nothing was written, the leases ran out, and another sender recorded the
    letters ``uncertain`` — then the 250s came and the run failed. Each renewal
    runs in a thread of its own (:func:`~greeter.off_loop.off_loop`), one at a
    time (:class:`~greeter.off_loop.OneAtATime`), so a journal that does not
    answer holds neither the event loop nor the batch; a renewal that fails is
    tried again a third of a lease later (the batch's own writes say when the
    journal is gone).
    """
    if not isinstance(journal, Leased):
        return
    every = journal.lease.total_seconds() / 3
    renewals: OneAtATime[None, int] = OneAtATime()
    while True:
        await asyncio.sleep(every)
        with contextlib.suppress(Exception):  # the next one tries again; claims and verdicts report outages
            await asyncio.shield(renewals.call(None, journal.renew_leases))


async def cancel_and_wait(work: asyncio.Future[None]) -> None:
    """Cut the batch off if it still runs, and wait until it has ended."""
    if not work.done():
        work.cancel()
        await asyncio.wait({work})


async def send_batch(
    deliverer: Deliverer,
    transport: Transport,
    due: list[PlanItem],
    retries: list[tuple[JournalEntry, bytes]],
    deadline_of: Callable[[JournalKey], datetime],
    *,
    concurrency: int,
    limiter: RateLimiter | None,
    progress: Callable[[int], None] | None = None,
    fresh: AsyncGenerator[Ready, None] | None = None,
    window_open: Callable[[str, datetime | None], bool] | None = None,
    rank: Callable[[JournalKey], Rank] | None = None,
) -> None:
    """Send fresh letters and due retries through one transport, each claimed once its connection is ready.

    ``deadline_of`` (journal key → the letter's :func:`~greeter.delivery_timing.deadline`)
    bounds the retries of a letter the server puts off (:meth:`Deliverer.record`).
    ``window_open`` (contact id and the letter's planned moment → whether that
    recipient's send window is open at this moment for it: a day off opens for a
    letter ``day_off_policy: on_day`` planned on it) is asked right before each claim: a letter due when the
    batch began, but handed over only after its recipient's lunch, Friday
    cut-off or end of day began (a long batch under a rate limit), is not
    claimed — it goes out in that recipient's next window
    (``summary.skipped["window_closed"]``).

    ``fresh`` is ``due`` built elsewhere (:mod:`greeter.build_pool`); by default
    each letter is built here, when a worker is free to send it. A
    :class:`~greeter.transport.Breaker` watches the server for the whole batch:
    once it opens, no letter is handed over any more, and the rest are
    journaled ``retry`` with its reason at once — in shared journal rounds,
    not through the rate limiter — so the batch ends about one timeout after
    the server stopped answering.

    A stop (:meth:`Deliverer.stop`) ends the batch as soon as no claimed
    letter is left in flight: letters already claimed (handed to the server)
    finish and get their verdicts; whatever else is waiting — for a
    connection to open, for the rate limiter, for a pooled connection, to be
    built — is cut off at once, never claimed, and goes out with the next run
    (``summary.left_unsent`` counts those letters). Cancelling the batch (the
    daemon's shutdown timeout) cuts off the claimed ones too: the caller
    records them ``uncertain``. A login the server refuses for good ends the
    batch the same way (:meth:`Deliverer.halt`; ``summary.halted_unsent``):
    no retry would get past it, and a letter claimed when it came (a 530 to
    MAIL FROM) never reached DATA, so its claim is given back
    (:meth:`Deliverer.release`) rather than recorded as an attempt. So does
    the daily quota used up for longer than a pause
    (:meth:`Deliverer.quota_spent`; ``summary.quota_unsent``): the limiter
    tells the deliverer instead of sleeping until tomorrow. ``rank`` (under that quota:
    ``due`` and ``retries`` in its order, :mod:`greeter.quota_plan`) lets a retry go before
    the fresh letters ranked after it, not after all of them.
    """
    batch = Batch(
        deliverer,
        transport,
        deadline_of,
        letter_facts(due, retries),
        concurrency=concurrency,
        limiter=limiter,
        progress=progress,
        window_open=window_open,
        rank=rank,
    )
    await batch.send_all(due, retries, fresh)
