"""GroupCommit: requests that arrive while a commit runs go together in the next one, on one thread."""

from __future__ import annotations

import asyncio
import threading

from greeter.delivery_batch import GroupCommit


def test_requests_waiting_for_a_commit_share_the_next_one_on_the_same_thread() -> None:
    batches: list[list[int]] = []
    threads: set[str] = set()
    first_started, release_first = threading.Event(), threading.Event()

    def commit(batch: list[int]) -> list[int | BaseException]:
        threads.add(threading.current_thread().name)
        if not batches:
            first_started.set()
            assert release_first.wait(5)
        batches.append(batch)
        return [ValueError(f"refused {r}") if r == 4 else r * 10 for r in batch]

    async def run() -> list[int | BaseException]:
        group = GroupCommit[int, int](commit)
        try:
            first = asyncio.ensure_future(group.submit(1))
            await asyncio.to_thread(first_started.wait, 5)  # the first commit is now running
            rest = [asyncio.ensure_future(group.submit(r)) for r in (2, 3, 4, 5)]
            await asyncio.sleep(0.05)
            release_first.set()
            return await asyncio.gather(first, *rest, return_exceptions=True)
        finally:
            group.close()

    results = asyncio.run(run())
    assert batches == [[1], [2, 3, 4, 5]], "the four that waited went in one commit"
    assert results[:3] == [10, 20, 30] and results[4] == 50
    assert isinstance(results[3], ValueError), "one refused request fails alone"
    assert len(threads) == 1 and threads.pop().startswith("greeter-journal")


def test_a_commit_that_raises_fails_every_request_of_its_group_and_the_next_group_still_commits() -> None:
    calls: list[list[str]] = []

    def commit(batch: list[str]) -> list[str]:
        calls.append(batch)
        if "boom" in batch:
            raise RuntimeError("database is locked")
        return [r.upper() for r in batch]

    async def run() -> tuple[list[str | BaseException], str]:
        group = GroupCommit[str, str](commit)
        try:
            failed = await asyncio.gather(group.submit("boom"), group.submit("b"), return_exceptions=True)
            return failed, await group.submit("c")
        finally:
            group.close()

    failed, after = asyncio.run(run())
    assert all(isinstance(r, RuntimeError) for r in failed) and after == "C"
    assert calls == [["boom", "b"], ["c"]]


def test_close_ends_the_thread() -> None:
    group = GroupCommit[int, int](lambda batch: batch)
    seen: list[threading.Thread] = []

    async def run() -> int:
        result = await group.submit(7)
        seen.extend(t for t in threading.enumerate() if t.name.startswith("greeter-journal"))
        return result

    assert asyncio.run(run()) == 7 and len(seen) == 1 and seen[0].is_alive()
    group.close()
    assert not seen[0].is_alive()


def test_submit_hands_back_the_future_itself() -> None:
    """Two requests a letter: a coroutine around each future was a frame per request for nothing."""

    async def run() -> int:
        group = GroupCommit[int, int](lambda batch: [r + 1 for r in batch])
        try:
            pending = group.submit(1)
            assert isinstance(pending, asyncio.Future)
            return await pending
        finally:
            group.close()

    assert asyncio.run(run()) == 2


def test_a_request_nobody_awaits_is_answered_in_order_and_drain_waits_for_it() -> None:
    """A verdict's round answers a callback, not a future a worker's task wakes up for."""
    answers: list[tuple[str, int | BaseException]] = []

    def commit(batch: list[int]) -> list[int | BaseException]:
        return [ValueError(f"refused {r}") if r == 3 else r * 10 for r in batch]

    async def run() -> int:
        group = GroupCommit[int, int](commit)
        try:
            group.submit_then(1, lambda got: answers.append(("a", got)))
            waited = group.submit(2)
            group.submit_then(3, lambda got: answers.append(("c", got)))
            assert answers == [], "answered only once the round is committed"
            await group.drain()
            assert answers[0] == ("a", 10) and waited.result() == 20
            return len(answers)
        finally:
            group.close()

    assert asyncio.run(run()) == 2
    assert answers[1][0] == "c" and isinstance(answers[1][1], ValueError), "its own failure, handed to it"


def test_a_round_in_progress_when_closed_is_answered_and_later_requests_are_refused() -> None:
    """``close`` waits for the commit in progress; nobody waits forever for one never made."""
    started, release = threading.Event(), threading.Event()
    answers: list[BaseException | int] = []

    def commit(batch: list[int]) -> list[int]:
        started.set()
        assert release.wait(5)
        return batch

    async def run() -> None:
        group = GroupCommit[int, int](commit)
        group.submit_then(1, answers.append)
        await asyncio.to_thread(started.wait, 5)
        release.set()
        group.close()  # after the round in progress is committed
        await group.drain()
        group.submit_then(2, answers.append)

    asyncio.run(run())
    assert answers[0] == 1
    assert isinstance(answers[1], RuntimeError) and "closed" in str(answers[1])
