"""A compact "seen before, on which row?" index for duplicate ids and e-mails, and a log of ids.

Duplicate detection is the one part of loading that must remember every row.
A dict of strings costs ~200 bytes a row (a million-row export: ~200 MB);
this index keeps a 64-bit hash and a row number per key in sorted ``array``
runs — 12 bytes a row — with a small dict buffer for recent keys, and a fixed
2 MB bitmap that answers "never seen" for most keys at once, so a look-up
bisects the runs only for the few keys the bitmap cannot rule out.

A buffer becomes a run of :data:`_BUFFER` entries; every :data:`_FAN_IN` such
runs are merged into one of :data:`_MAX_RUN` (a million rows: four merged runs
and at most seven small ones). The merge is C code, not a Python loop over the
entries (a ``heapq.merge`` of runs of similar size, each entry merged again
at every doubling, was two thirds of this index's time on a million rows):
each (hash, row) pair is packed into one integer, ``hash << 32 | row``, which
sorts as the pair does; timsort merges the sorted runs, and ``map`` unpacks
them. The packed list costs ~48 bytes an entry while it lives: 12 MB at most.

Hashes come from Python's ``hash()`` (SipHash, 64 bits): stable within one
process, which is all a single load needs. A false duplicate needs a 64-bit
collision: about 1 in 10^7 for a million-row file.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import chain, repeat
from operator import and_, lshift, or_, rshift

_BUFFER = 32_768
#: How many buffer-sized runs are merged into one (of _MAX_RUN entries).
_FAN_IN = 8
_MAX_RUN = _BUFFER * _FAN_IN
#: A 16-Mbit presence bitmap (2 MB): most keys are new, and a clear bit proves it
#: without bisecting the runs (about 6 % false positives at a million keys).
_BITS = 1 << 24
_ROW_MASK = (1 << 32) - 1
#: A hash's byte in the bitmap, from its bits 3 and up: ``(h & (_BITS - 1)) >> 3``, one operation fewer.
_BYTE_MASK = _BITS // 8 - 1


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
        """Record ``key`` (callers :meth:`get` first: a key is added once, so hashes are unique)."""
        h = hash(key)
        bit = h & (_BITS - 1)
        self._bits[bit >> 3] |= 1 << (bit & 7)
        self._buffer[h] = row
        if len(self._buffer) >= _BUFFER:
            self._flush()

    def claim(self, key: str, row: int) -> int | None:
        """The row ``key`` was recorded on; if none, None, and ``key`` is recorded on ``row``.

        :meth:`get` and then :meth:`add` in one call, hashing once: the usual
        key is new, and its clear bit answers at once.
        """
        h = hash(key)
        byte = h >> 3 & _BYTE_MASK  # the bit get and add use (the loader claims twice a row: kept short)
        mask = 1 << (h & 7)
        bits = self._bits
        if (held := bits[byte]) & mask:
            found = self.get(key)
            if found is not None:
                return found
        else:
            bits[byte] = held | mask
        buffer = self._buffer
        buffer[h] = row
        if len(buffer) >= _BUFFER:
            self._flush()
        return None

    def release(self, key: str) -> None:
        """Forget ``key``, recorded by :meth:`claim` for a row that was then rejected after all.

        The row parser claims a row's id as it checks it for a repeat (one call, one hash,
        not a :meth:`get` and a later :meth:`add`), and a row rejected further on must not
        make a later row with its id a duplicate. Its bit stays set: a later look-up of a
        key sharing it only searches, and finds nothing.
        """
        h = hash(key)
        if self._buffer.pop(h, None) is not None:
            return
        for keys, rows in self._runs:  # a flush took it along: the claim filled the buffer
            i = bisect_left(keys, h)
            if i < len(keys) and keys[i] == h:
                del keys[i]
                del rows[i]
                return

    def __len__(self) -> int:
        return len(self._buffer) + sum(len(keys) for keys, _ in self._runs)

    def _flush(self) -> None:
        hashes = sorted(self._buffer)
        self._runs.append((array("q", hashes), array("I", map(self._buffer.__getitem__, hashes))))
        self._buffer.clear()
        small = [run for run in self._runs if len(run[0]) < _MAX_RUN]
        if len(small) >= _FAN_IN:
            self._runs = [run for run in self._runs if len(run[0]) >= _MAX_RUN]
            self._runs.append(_merge(small))


def _merge(runs: list[tuple[array[int], array[int]]]) -> tuple[array[int], array[int]]:
    """One sorted run of the (hash, row) pairs of sorted ``runs`` (hashes unique across them)."""
    packed = sorted(chain.from_iterable(map(or_, map(lshift, keys, repeat(32)), rows) for keys, rows in runs))
    return array("q", map(rshift, packed, repeat(32))), array("I", map(and_, packed, repeat(_ROW_MASK)))


#: How many ids :class:`IdLog` keeps as separate strings before joining them into one.
_ID_BLOCK = 4096


class IdLog:
    """Contact ids by ordinal, packed: to name the contact an earlier row's address belongs to.

    A second contact on an address must be told *whose* it is ("contact
    '1004'"), and :class:`SeenIndex` keeps only a number per address. Keeping
    every id string alive would cost ~60 bytes a row while a million-row export
    streams by; here every :data:`_ID_BLOCK` ids are joined into one string
    (about a byte per character), NUL-separated — an id with a NUL never gets
    here, its row is rejected. Adding is a list append; a look-up (only for a
    repeated address) splits one block.
    """

    def __init__(self) -> None:
        self._blocks: list[str] = []
        self._recent: list[str] = []
        #: The ordinal of the first id in ``_recent``.
        self._base = 0
        #: How many ids are recorded: the ordinal :meth:`add` gives the next one.
        self.size = 0

    def add(self, contact_id: str) -> int:
        """Record ``contact_id``; returns its ordinal (what :meth:`get` takes)."""
        self.size += 1
        recent = self._recent
        recent.append(contact_id)
        if len(recent) >= _ID_BLOCK:
            self._blocks.append("\x00".join(recent))
            recent.clear()
            self._base += _ID_BLOCK
        return self.size - 1

    def get(self, ordinal: int) -> str:
        block, at = divmod(ordinal, _ID_BLOCK)
        if block < len(self._blocks):
            return self._blocks[block].split("\x00")[at]
        return self._recent[at]
