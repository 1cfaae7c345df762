"""A compact "seen before, on which row?" index for duplicate ids and e-mails.

Duplicate detection is the one part of loading that must remember every row.
A dict of strings costs ~200 bytes a row (a million-row export: ~200 MB);
this index keeps a 64-bit hash and a row number per key in sorted ``array``
runs — 12 bytes a row — with a small dict buffer for recent keys, merging
runs of similar size (log-structured) so a look-up bisects a handful of runs,
and a fixed 2 MB bitmap that answers "never seen" for most keys at once.

Hashes come from Python's ``hash()`` (SipHash, 64 bits): stable within one
process, which is all a single load needs. A false duplicate needs a 64-bit
collision: about 1 in 10^7 for a million-row file.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left

_BUFFER = 32_768
#: A 16-Mbit presence bitmap (2 MB): most keys are new, and a clear bit proves it
#: without bisecting the runs (about 6 % false positives at a million keys).
_BITS = 1 << 24


class SeenIndex:
    """``get(key)``: the row ``key`` was recorded on, or None; ``add(key, row)`` records it."""

    def __init__(self) -> None:
        self._buffer: dict[int, int] = {}
        self._runs: list[tuple[array[int], array[int]]] = []
        self._bits = bytearray(_BITS // 8)

    def get(self, key: str) -> int | None:
        h = hash(key)
        bit = h & (_BITS - 1)
        if not self._bits[bit >> 3] & (1 << (bit & 7)):
            return None
        found = self._buffer.get(h)
        if found is not None:
            return found
        for keys, rows in self._runs:
            i = bisect_left(keys, h)
            if i < len(keys) and keys[i] == h:
                return rows[i]
        return None

    def add(self, key: str, row: int) -> None:
        """Record ``key`` (callers :meth:`get` first: a key is added once)."""
        h = hash(key)
        bit = h & (_BITS - 1)
        self._bits[bit >> 3] |= 1 << (bit & 7)
        self._buffer[h] = row
        if len(self._buffer) >= _BUFFER:
            self._flush()

    def __len__(self) -> int:
        return len(self._buffer) + sum(len(keys) for keys, _ in self._runs)

    def _flush(self) -> None:
        items = sorted(self._buffer.items())
        self._buffer.clear()
        run = (array("q", (k for k, _ in items)), array("I", (r for _, r in items)))
        # Merge while the previous run is not much larger: O(log n) runs in all. The merge
        # streams (heapq.merge) so it never holds more than the two arrays it builds.
        while self._runs and len(self._runs[-1][0]) <= 2 * len(run[0]):
            old = self._runs.pop()
            keys: array[int] = array("q")
            rows: array[int] = array("I")
            for k, r in heapq.merge(zip(*old, strict=True), zip(*run, strict=True)):
                keys.append(k)
                rows.append(r)
            run = (keys, rows)
        self._runs.append(run)
