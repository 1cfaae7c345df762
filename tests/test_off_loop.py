"""``OneAtATime``: a journal that hangs gets one thread per key, not one per request."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from greeter.off_loop import Abandoned, OneAtATime, within


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
