"""The daemon plans an unchanged contacts file from memory, and still sees every edit of it.

A real ``Daemon`` on a rehearsal clock (its cron every ten minutes, half an hour a real
second), a real CSV file, a real SQLite journal and the file transport. The reads of the
file are counted where the daemon's inputs make them (``greeter.runtime.iter_contacts``,
as tests/test_runtime_contacts.py counts them). Before, each run parsed the whole file
again — 150,000 rows: some 5 s of a run's 7 s of CPU, 144 runs a day at the default cron.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from greeter.clock import Clock
from greeter.daemon import Daemon
from tests.conftest import MakeProject, contact_row, edit_keeping_size_and_mtime

MOSCOW = ZoneInfo("Europe/Moscow")
#: A Wednesday; the window is 10:00–11:30 (10:00–12:00 less its quiet half hour).
OPENS = datetime(2027, 4, 14, 10, 0, tzinfo=MOSCOW)
CLOSES = datetime(2027, 4, 14, 11, 30, tzinfo=MOSCOW)
ROWS = [
    contact_row("1", "a@example.com", birthday="15.04.1980"),  # tomorrow: nothing due today
    contact_row("2", "b@example.com", birthday="15.04.1981"),
]


def greetings(config: Path) -> dict[str, str]:
    """contact id → state of each greeting in the project's journal."""
    path = config.parent / "data" / "journal.sqlite3"
    if not path.exists():
        return {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return dict(db.execute("SELECT contact_id, state FROM greetings WHERE occasion = 'birthday'"))


async def until(daemon: Daemon, clock: Clock, done: Any) -> None:
    """Wait (polling the loop, never a fixed sleep) until ``done()`` holds between two runs;
    AssertionError once the window closed without it."""
    while not (done() and not daemon.stats.running):
        assert clock.now() < CLOSES, f"not by {CLOSES:%H:%M}: {daemon.stats.runs} runs"
        await asyncio.sleep(0.01)


def test_runs_plan_an_unchanged_file_from_memory_and_an_edit_is_picked_up(
    make_project: MakeProject, reads: list[int]
) -> None:
    window = {"hours": {"start": "10:00", "end": "12:00"}, "lunch": None}
    config = make_project(ROWS, schedule={"cron": "*/10 * * * *"}, send_window=window)
    csv = config.parent / "data" / "contacts.csv"
    clock = Clock(OPENS, speed=1800.0)
    daemon = Daemon(config, clock=clock)
    seen: dict[str, int] = {}

    async def scenario() -> int:
        serving = asyncio.ensure_future(daemon.serve())
        try:
            await until(daemon, clock, lambda: daemon.stats.runs >= 3)
            # start-up's template check read the first rows; the first run read the file; the
            # runs after it, with nothing due and the file unchanged, read nothing
            seen["unchanged"] = reads[0]
            assert greetings(config) == {}  # nothing due today
            # the loop is ours until the next await: no run starts in the middle of the edit
            edit_keeping_size_and_mtime(csv, "15.04.1981", "14.04.1981")
            runs = daemon.stats.runs
            await until(daemon, clock, lambda: daemon.stats.runs > runs and "2" in greetings(config))
            seen["edited"] = reads[0]
            runs = daemon.stats.runs
            await until(daemon, clock, lambda: daemon.stats.runs > runs)
            seen["after"] = reads[0]
        finally:
            daemon.request_stop("test")
        return await serving

    assert asyncio.run(scenario()) == 0
    assert seen == {"unchanged": 2, "edited": 3, "after": 3}
    assert greetings(config) == {"2": "sent"}  # the edited birthday, today: greeted on its day
    letters = list((config.parent / "data" / "outbox").rglob("*.eml"))
    assert len(letters) == 1 and "b@example.com" in letters[0].read_text(encoding="utf-8")
