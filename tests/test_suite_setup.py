"""The suite's own set-up (tests/parallel.py, conftest.py): a serial file really runs alone, is not starved, and greeter is compiled before its subprocesses start."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.parallel import FileLock


def _take(lock: FileLock, exclusive: bool, got: threading.Event, held: list[int]) -> None:
    held.append(lock.acquire(exclusive=exclusive))
    got.set()


def test_an_exclusive_holder_waits_for_the_shared_one_and_shared_holders_share(tmp_path: Path) -> None:
    lock = FileLock(tmp_path)  # flock is per open file: two descriptors of one process conflict too
    first = lock.acquire(exclusive=False)
    second = lock.acquire(exclusive=False)  # two ordinary files at once: no wait
    got, held = threading.Event(), list[int]()
    serial = threading.Thread(target=_take, args=(lock, True, got, held))
    serial.start()
    assert not got.wait(0.3), "the serial file started while two others ran"
    FileLock.release(first)
    assert not got.wait(0.3), "the serial file started while one other ran"
    FileLock.release(second)
    assert got.wait(10), "the serial file never started once the others ended"
    serial.join()
    FileLock.release(held[0])


def test_a_waiting_serial_file_is_not_overtaken_by_ordinary_ones(tmp_path: Path) -> None:
    lock = FileLock(tmp_path)
    running = lock.acquire(exclusive=False)
    serial_got, serial_held = threading.Event(), list[int]()
    serial = threading.Thread(target=_take, args=(lock, True, serial_got, serial_held))
    serial.start()
    assert not serial_got.wait(0.3)
    later_got, later_held = threading.Event(), list[int]()
    later = threading.Thread(target=_take, args=(lock, False, later_got, later_held))
    later.start()  # an ordinary file asks while the serial one waits: it queues behind it
    assert not later_got.wait(0.3), "an ordinary file overtook the waiting serial one"
    FileLock.release(running)
    assert serial_got.wait(10)
    assert not later_got.wait(0.3), "an ordinary file ran beside the serial one"
    FileLock.release(serial_held[0])
    assert later_got.wait(10)
    serial.join()
    later.join()
    FileLock.release(later_held[0])


def test_the_suite_compiled_greeter_before_its_subprocesses_start() -> None:
    """conftest.pytest_configure: every module of greeter has an up-to-date ``.pyc`` to start from."""
    import importlib.util

    from tests.conftest import ROOT

    stale = []
    for source in (ROOT / "greeter").rglob("*.py"):
        compiled = Path(importlib.util.cache_from_source(str(source)))
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            stale.append(source.relative_to(ROOT))
    assert stale == []
