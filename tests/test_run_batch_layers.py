"""run_batch pulls an async source itself: no generator layer in between for every letter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

from greeter.transport import Outcome, SendResult, _as_async, run_batch


async def _numbers(n: int) -> AsyncIterator[int]:
    for i in range(n):
        yield i


def test_an_async_source_is_pulled_as_it_is_not_wrapped() -> None:
    """Each letter passes every async layer between build and worker; a pass-through one was pure cost."""
    source = _numbers(3)
    assert _as_async(source) is source


def test_run_batch_still_takes_async_and_plain_sources_alike() -> None:
    key = ("c", "birthday", date(2027, 4, 13))

    async def send(i: int) -> SendResult | None:
        return SendResult(key, Outcome.OK, 250, str(i)) if i % 2 == 0 else None  # odd: not sent

    async def collect(items: object) -> list[str]:
        return sorted([r.reply async for r in run_batch(send, items, concurrency=2)])  # type: ignore[arg-type]

    assert asyncio.run(collect(_numbers(5))) == ["250 0", "250 2", "250 4"]
    assert asyncio.run(collect(range(5))) == ["250 0", "250 2", "250 4"]
