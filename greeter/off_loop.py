"""Blocking calls the daemon can stop waiting for: each in a daemon thread of its own, never joined.

``asyncio.to_thread`` runs a call in the loop's default executor, and
``asyncio.run`` waits for that executor's threads before the process may
exit. A call blocked inside a C library cannot be interrupted: libpq
connecting to a database host that never answers holds on for its whole
connect timeout, and a stop would wait for it. Here each call gets its own
daemon thread: the caller awaits a future and may stop awaiting it
(:func:`unless_stopped` raises :class:`~greeter.errors.Abandoned`); the process then exits
without waiting, and the call finishes or fails on its own, unheard.

Only for calls whose abandonment is harmless: reading config and contacts,
opening the journal, planning (which claims nothing; what it records, it
records again next time), closing. Never for handing letters over.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

from greeter.errors import Abandoned

T = TypeVar("T")
K = TypeVar("K")


#: Threads whose call has returned: what is left of them is handing the outcome over and
#: exiting. Weak, so a thread nobody joins is forgotten once it is gone.
_finishing: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def join_finished(timeout: float = 1.0) -> None:
    """Wait for the threads whose call has returned to exit (microseconds each).

    The awaiting task gets the result a moment before its thread is gone: a
    fork right after an awaited call (the build workers, after the journal's
    ``sent_times``) saw the thread still alive, refused to fork as unsafe, and
    the batch was built without workers — one ``send --once`` in three on a
    busy machine. A thread still inside its call (an abandoned connect) is
    not waited for: forking beside it is what must not happen.
    """
    deadline = time.monotonic() + timeout
    for thread in list(_finishing):
        thread.join(max(0.0, deadline - time.monotonic()))


def off_loop(func: Callable[[], T]) -> asyncio.Future[T]:
    """Start ``func()`` in a new daemon thread; a future, on the running loop, of its result."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    future.add_done_callback(_observe)
    context = contextvars.copy_context()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def work() -> None:
        try:
            result = context.run(func)
        except BaseException as exc:  # handed to the awaiting task, as to_thread would
            outcome: Callable[[], None] = partial(future.set_exception, exc)
        else:
            outcome = partial(future.set_result, result)
        _finishing.add(threading.current_thread())  # from here on it only hands over and exits
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits for this any more
            loop.call_soon_threadsafe(settle, outcome)

    name = getattr(func, "__name__", None) or getattr(getattr(func, "func", None), "__name__", "call")
    threading.Thread(target=work, name=f"greeter-{name}", daemon=True).start()
    return future


def _observe(future: asyncio.Future[Any]) -> None:
    """Mark the outcome as seen: an abandoned call's failure is nobody's news (no asyncio warning)."""
    if not future.cancelled():
        future.exception()


async def unless_stopped(stop: asyncio.Event, future: asyncio.Future[T]) -> T:
    """The future's result — or :class:`Abandoned` if ``stop`` is set before it is there."""
    if not future.done():
        waiter: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait([future, waiter], return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
    if not future.done():
        raise Abandoned
    return future.result()


async def within(seconds: float, future: asyncio.Future[T], *, stop: asyncio.Event | None = None) -> T:
    """The future's result, or :class:`Abandoned` if it takes longer than ``seconds`` (or ``stop`` is set).

    The future is not cancelled: another caller may still be waiting for the same call.
    """
    waiter: asyncio.Future[Any] | None = None if stop is None else asyncio.ensure_future(stop.wait())
    try:
        aws: set[asyncio.Future[Any]] = {future} if waiter is None else {future, waiter}
        await asyncio.wait(aws, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if waiter is not None:
            waiter.cancel()
    if not future.done():
        raise Abandoned
    return future.result()


class OneAtATime(Generic[K, T]):
    """At most one :func:`off_loop` call per key at a time: who asks while it runs shares it.

    Why: a journal that does not answer would otherwise get a stuck thread per
    request — every ``/metrics`` scrape, every retry of a one-click
    unsubscribe. The first caller starts the call; later ones await the same
    future (with :func:`within`, each its own patience); once it is done, the
    next caller starts a fresh one. ``on_done`` hears every call's outcome,
    awaited or not.
    """

    def __init__(self, on_done: Callable[[K, asyncio.Future[T]], None] | None = None) -> None:
        self._running: dict[K, asyncio.Future[T]] = {}
        self._on_done = on_done

    def call(self, key: K, func: Callable[[], T]) -> asyncio.Future[T]:
        """The running call for ``key``, or ``func()`` started off the loop if there is none."""
        running = self._running.get(key)
        if running is not None and not running.done():
            return running
        future = self._running[key] = off_loop(func)
        future.add_done_callback(partial(self._finished, key))
        return future

    def _finished(self, key: K, future: asyncio.Future[T]) -> None:
        if self._running.get(key) is future:
            del self._running[key]
        if self._on_done is not None:
            self._on_done(key, future)
