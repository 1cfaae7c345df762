"""Running the suite on every core (pytest-xdist) without two test files fighting over one server.

Why: the suite is ~9,400 tests, CI gives it 90 minutes on a 2-core machine, and one pytest
process keeps one core busy. ``addopts`` runs it with ``-n auto --dist loadfile``: each worker
takes whole files (a module's fixtures are set up once, its tests keep their order), and:

* a file marked ``serial`` (it restarts the one PostgreSQL every other file talks to) runs while
  no other file runs: a worker holds a shared :class:`FileLock` for the file it is running (the
  module-scoped fixture in conftest.py), a serial file an exclusive one;
* files marked ``slow`` are handed out first, so that the run does not end with one worker still
  in the 12-minute simulation while the others wait; ``serial`` ones last, when what they wait
  for is the other worker's last, small file.

Without xdist (``-n 0``) none of this does anything: nothing else runs beside the file. The lock
files live in the run's base temporary folder, which pytest cleans up with its old runs.
Hypothesis deadlines are off for the whole suite: on a loaded 2-core machine they time the
machine, not the code (conftest.py).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest


def under_xdist() -> bool:
    """True in an xdist worker: other workers run other files beside this one."""
    return "PYTEST_XDIST_WORKER" in os.environ


class FileLock:
    """A readers–writer lock across processes on two files (``flock``), writers preferred.

    ``hold(exclusive=False)`` for an ordinary file, ``hold(exclusive=True)`` for a serial one.
    Linux ``flock`` lets new shared holders in while an exclusive one waits; the gate closes that
    door: every taker passes it one at a time, and an exclusive taker keeps it shut until it has
    the lock, so the others queue behind it instead of overtaking it file after file.
    """

    def __init__(self, folder: Path) -> None:
        self._gate = folder / "gate.lock"
        self._lock = folder / "files.lock"

    def acquire(self, *, exclusive: bool) -> int:
        """Block until the lock is held; the descriptor to :meth:`release` it with."""
        gate = os.open(self._gate, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(gate, fcntl.LOCK_EX)
            held = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(held, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        finally:
            os.close(gate)  # closing the descriptor releases the gate
        return held

    @staticmethod
    def release(held: int) -> None:
        os.close(held)  # and the lock with it


def heavy_first(items: list[pytest.Item]) -> None:
    """Reorder ``items`` in place: files marked ``slow`` first, ``serial`` ones last, each file's
    tests in their order. A serial file waits for the file the other worker is running: at the
    start that is a heavy one (minutes, the simulation's 12), at the end a small one."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("serial") is not None,
            item.get_closest_marker("slow") is None,
        )
    )
