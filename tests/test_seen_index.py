"""The loader's seen-before index and id log: the one-call ``claim`` and the log's ``size``."""

from __future__ import annotations

from greeter.sources.seen import _ID_BLOCK, IdLog, SeenIndex


def test_the_id_log_size_is_the_ordinal_add_gives_next() -> None:
    log = IdLog()
    for i in range(_ID_BLOCK + 3):
        before = log.size
        assert log.add(f"Д-{i}") == before
    assert log.size == _ID_BLOCK + 3


def test_seen_index_claim_is_get_then_add_across_flushes() -> None:
    """``claim`` (the loader's one call per address) answers as ``get`` and records as ``add``, also for
    keys whose bit another key set, and for keys already flushed into runs."""
    index = SeenIndex()
    for row in range(2, 70_002):
        assert index.claim(f"client{row}@example.com", row) is None
    assert len(index) == 70_000
    for row in (2, 33_000, 70_001):  # in merged runs, in a run, in the buffer
        assert index.claim(f"client{row}@example.com", 1) == row
        assert index.get(f"client{row}@example.com") == row
    assert index.claim("nobody@example.com", 5) is None
    assert index.get("nobody@example.com") == 5 and len(index) == 70_001


def test_seen_index_release_forgets_a_claim_in_the_buffer_and_after_a_flush() -> None:
    """``release`` undoes the ``claim`` of a row rejected later (the loader claims each id as it checks it),
    also when that claim filled the buffer and flushed it into a run."""
    index = SeenIndex()
    for row in range(2, 40_000):
        assert index.claim(f"Д-{row}", row) is None
    index.release("Д-39999")  # in the buffer
    index.release("Д-32769")  # the claim that flushed the buffer: in a run
    assert index.get("Д-39999") is None and index.get("Д-32769") is None and index.get("Д-32770") == 32_770
    assert len(index) == 40_000 - 2 - 2
    assert index.claim("Д-32769", 7) is None and index.get("Д-32769") == 7
