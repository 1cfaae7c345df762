"""The bound on the contacts loader's memo caches, shared by the row parser and the zone cells.

Exports repeat values (a million rows hold a few thousand names and a
handful of zones), so the loader reads each distinct text once and keeps the
reading; but a file of unique values must not make it keep them all. The
row parser's caches (:mod:`greeter.sources.rows`) and the module-wide zone
cache (:mod:`greeter.sources.zone_cells`) stop growing at the same size, so
the bound and the one function that applies it live here, beside neither.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["CACHE_LIMIT", "remember"]

#: Per-parser caches stop growing here: a file of unique values must not hold them all.
CACHE_LIMIT = 1 << 17

_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store ``value`` under ``key`` while ``cache`` is below :data:`CACHE_LIMIT`; return it."""
    if len(cache) < CACHE_LIMIT:
        cache[key] = value
    return value
