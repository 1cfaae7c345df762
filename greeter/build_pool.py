"""Render and build letters in forked worker processes while the sending process talks SMTP.

Why: rendering (Jinja's sandbox) and building (the email package) are pure
Python and take ~60 % of a large send's CPU; in one process they and the SMTP
client share one core. Forked workers inherit the planned items, the
templates, the renderer's caches and the DKIM key at fork time, so nothing is
pickled on the way in but index ranges; only each letter's bytes and
Message-ID come back. What a process does once on its first letters — parse and
compile each template of the batch, the files they import, Babel's data, the
email package's and DKIM's set-up — is done just before the fork
(:meth:`~greeter.delivery.Deliverer.warm`), once rather than once per worker.
Order, laziness and the claim-right-before-sending rule are kept: letters are
yielded in plan order, at most a few chunks are built ahead, and claiming still
happens in the sending worker (:func:`delivery_batch.send_batch`).

Forking is used only where it is safe and pays: a platform with ``fork``, a
process that runs no other thread (``greeter send --once``; the daemon's
scheduler threads rule it out, so it builds in-process), and a batch large
enough to be worth the fork. Workers ignore SIGINT/SIGTERM (the parent decides
how to stop), and leave on their own when the parent is killed.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from greeter.delivery import Deliverer, Prepared, Ready
from greeter.delivery_summary import Summary
from greeter.off_loop import join_finished
from greeter.plan_types import PlanItem
from greeter.transport import CleanLetter, Outgoing, is_clean

#: Letters per task: large enough that the pipe round trip is noise (~1 % of
#: the build time), small enough that the first letter leaves soon.
CHUNK = 32
#: The first task's letters; each next one twice the last, up to :data:`CHUNK`. The sending
#: process waits for the first task before its first letter leaves (and its first SMTP
#: connection opens): a whole chunk there was 32 letters built (~25 ms on an idle core) while
#: it sat idle, after the serial start-up; 4 are built in ~3 ms.
FIRST_CHUNK = 4
#: Fewer letters than this are built in-process: a fork and a pipe cost more.
MIN_LETTERS = 256
#: Chunks in flight per worker: the bytes built ahead and not yet sent.
AHEAD = 2

#: What a forked worker builds from: set in the parent just before the fork.
_job: tuple[Deliverer, Sequence[PlanItem]] | None = None

#: One built letter as it comes back: index in the batch, Message-ID, bytes, their SHA-256
#: and whether they go into DATA as they are (:func:`~greeter.transport.is_clean`) — both
#: worked out here: every cycle the sending process saves is one more letter on the wire —
#: and its Subject as built, for the journal (not read back out of the bytes).
Built = tuple[int, str, bytes, str, bool, str]


def worker_count(setting: int | None, letters: int) -> int:
    """How many build processes a batch gets: 0 means "none, build in-process".

    ``setting`` is ``delivery.build_processes``: None (the default) is one
    per CPU but one — that core is the sending process's, which talks SMTP and
    journals (on 2 cores, 1 worker sent 2,000 letters ~15 % faster than 2);
    0 turns the pool off. Pure, so the rule is tested on its own.
    """
    wanted = (os.cpu_count() or 1) - 1 if setting is None else setting
    if wanted < 1 or letters < MIN_LETTERS:
        return 0
    return min(wanted, (letters + CHUNK - 1) // CHUNK)


def can_fork() -> bool:
    """Forking copies only the calling thread; with others running it can copy a held lock.

    Threads of :func:`~greeter.off_loop.off_loop` whose call has returned are
    waited for first: they are on their way out, and counting them made the
    pool's workers come and go by a race.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    join_finished()
    return threading.active_count() == 1


def _worker_init(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def leave_with_parent() -> None:  # kill -9 of the parent must not leave workers behind
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=leave_with_parent, daemon=True).start()


def _build(start: int, stop: int) -> tuple[list[Built], Summary]:
    """In a worker: render and build letters ``start``–``stop``; the summary of what failed."""
    assert _job is not None
    deliverer, items = _job
    deliverer.summary = Summary()
    built: list[Built] = []
    for index in range(start, stop):
        prepared = deliverer.prepare(items[index])
        if prepared is not None:
            data = prepared.outgoing.data
            digest = hashlib.sha256(data).hexdigest()
            # build_message's CleanLetter was checked there (its header lines only); a signed
            # letter is new bytes and scanned here. Plain bytes cross the pipe, as pickle writes
            # them (a bytes subclass would be pickled as its class and arguments).
            clean = type(data) is CleanLetter or is_clean(data)
            built.append((index, prepared.message_id, bytes(data), digest, clean, prepared.subject))
    return built, deliverer.summary


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    """The (start, stop) ranges of a batch of ``total`` letters, from :data:`FIRST_CHUNK` doubling to
    :data:`CHUNK`, in order. Pure."""
    start, size = 0, FIRST_CHUNK
    while start < total:
        stop = min(start + size, total)
        yield start, stop
        start, size = stop, min(size * 2, CHUNK)


async def built_letters(
    deliverer: Deliverer, items: Sequence[PlanItem], processes: int
) -> AsyncGenerator[Ready, None]:
    """The letters of ``items`` in order, built by ``processes`` forked workers (0: in-process)."""
    if processes <= 0 or not can_fork():
        for ready in deliverer.letters(items):
            yield ready
        return
    deliverer.warm(items)  # once here, rather than in each worker after the fork
    global _job
    _job = (deliverer, items)
    pool = ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init,
        initargs=(os.getpid(),),
    )  # fmt: skip
    try:
        chunks = _chunks(len(items))
        pending: deque[Future[tuple[list[Built], Summary]]] = deque()
        for start, stop in chunks:
            pending.append(pool.submit(_build, start, stop))
            if len(pending) >= processes * AHEAD:
                break
        while pending:
            built, summary = await asyncio.wrap_future(pending.popleft())
            deliverer.summary.merge(summary)
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.submit(_build, *nxt))
            for index, message_id, data, digest, clean, subject in built:
                if deliverer.stopping:
                    return
                item = items[index]
                assert item.hit.contact.email is not None
                letter = CleanLetter(data) if clean else data
                outgoing = Outgoing(
                    item.hit.key, deliverer.settings.sender.email, item.hit.contact.email, letter
                )
                yield deliverer.ready(Prepared(item, outgoing, message_id, subject), digest)
    finally:
        _job = None
        pool.shutdown(wait=False, cancel_futures=True)
