"""``OneAtATime``: a journal that hangs gets one thread per key, not one per request; and a thread
whose call has returned never keeps the build workers from forking."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from greeter.errors import Abandoned
from greeter.off_loop import OneAtATime, off_loop, within


def test_callers_share_the_running_call_and_a_finished_one_is_started_afresh() -> None:
    release = threading.Event()
    started: list[str] = []
    heard: list[str] = []

    def read(key: str) -> str:
        started.append(key)
        release.wait(10)
        return key

    async def main() -> None:
        calls: OneAtATime[str, str] = OneAtATime(lambda key, f: heard.append(f.result()))
        first = calls.call("a", lambda: read("a"))
        assert calls.call("a", lambda: read("not started")) is first
        for _ in range(3):  # requests while the journal hangs: each gives up, none starts a thread
            try:
                await within(0.05, calls.call("a", lambda: read("not started")))
            except Abandoned:
                continue
            raise AssertionError("the call was to hang")
        other = calls.call("b", lambda: read("b"))  # another key is another call
        assert other is not first
        release.set()
        assert (await first, await other) == ("a", "b")
        await asyncio.sleep(0)  # the done callbacks
        again = calls.call("a", lambda: read("a"))  # finished: the next caller reads afresh
        assert again is not first
        assert await again == "a"
        await asyncio.sleep(0)

    asyncio.run(main())
    assert Counter(started) == {"a": 2, "b": 1}
    assert Counter(heard) == {"a": 2, "b": 1}


def test_a_thread_whose_call_returned_never_keeps_the_build_workers_from_forking() -> None:
    """The awaiting task got its result a moment before the thread was gone, so ``can_fork`` right
    after (the build workers, after the journal's ``sent_times``) counted it and refused: one batch
    in three on a busy machine, 20 of these 300 calls here, was built without workers."""
    from greeter.build_pool import can_fork

    async def calls() -> list[bool]:
        forks = []
        for _ in range(300):
            await off_loop(lambda: sum(range(1000)))
            forks.append(can_fork())
        return forks

    assert all(asyncio.run(calls()))


def test_a_call_still_running_still_keeps_the_fork_off_and_is_not_waited_for() -> None:
    """Forking beside a thread inside its call (an abandoned libpq connect) can copy a held lock."""
    from greeter.build_pool import can_fork

    release = threading.Event()
    returned = threading.Event()

    def call() -> None:
        release.wait(60)  # set only after can_fork answered: it returns before only if waited for
        returned.set()

    async def scenario() -> tuple[bool, bool, bool]:
        running = off_loop(call)
        during = can_fork()
        waited = returned.is_set()
        release.set()
        await running
        await asyncio.sleep(0)
        return during, waited, can_fork()

    during, waited, after = asyncio.run(scenario())
    assert (during, after) == (False, True)
    assert not waited, "a call that has not returned is not waited for"
