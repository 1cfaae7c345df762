"""Public holidays by country and year: the ``holidays`` library's answers, kept on disk between runs.

Why: asking the library for one country imports all of its ~250 country
modules (``holidays/countries/__init__.py`` imports every one), about 55 ms
of every command's start-up — a tenth of ``greeter preview`` and of a
2,000-letter ``send --once``. For one version of the library the answers
never change, so the tables a run needs are kept in a small JSON file in the
user's cache directory (``$XDG_CACHE_HOME/greeter``, else ``~/.cache/greeter``)
and read back next time in well under a millisecond; the library is imported
only for a table the file does not have. The file is named for the library's
version, so an upgrade starts afresh.

The lookups (:func:`days_of`, :func:`has_calendar`) are pure from the
caller's view: a table not loaded yet is computed in memory. Only
:func:`warm`, called by the shell that loads the config, reads and writes
the file — and a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

#: What the file holds: one table per "country:year" (ISO day → the library's names, joined
#: by "; " where a day has several), and the country codes the library has no calendar for.
_tables: dict[str, Mapping[date, str]] = {}
_unsupported: set[str] = set()
_supported: set[str] = set()


def days_of(country: str, year: int) -> Mapping[date, str]:
    """The public holidays of ``country`` in ``year``: day → name(s), as the library gives them."""
    key = f"{country}:{year}"
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = _compute(country, year)
    return table


def has_calendar(country: str) -> bool:
    """Whether the library has a calendar for this country code (or alias, e.g. "UK")."""
    if country in _supported:
        return True
    if country in _unsupported:
        return False
    import holidays

    try:
        holidays.country_holidays(country, years=[])
    except NotImplementedError:
        _unsupported.add(country)
        return False
    _supported.add(country)
    return True


def warm(countries: Iterable[str], years: Iterable[int], cache_dir: Path | None = None) -> None:
    """Make the tables of ``countries`` × ``years`` ready, from the cache file where it has them.

    Computes and adds what the file lacks, then rewrites it (atomically: a
    reader never sees half a file). ``cache_dir`` defaults to the user's cache directory.
    """
    path = _cache_file(cache_dir)
    if path is not None:
        _read(path)
    years = list(years)  # once per country: a generator would be spent on the first
    wanted = [(c, y) for c in dict.fromkeys(countries) for y in years]
    missing = [(c, y) for c, y in wanted if f"{c}:{y}" not in _tables and c not in _unsupported]
    if not missing:
        return
    for country, year in missing:
        if has_calendar(country):
            days_of(country, year)
    if path is not None:
        _write(path)


def forget() -> None:
    """Drop every table held in memory (tests: the next lookup reads the file or the library again)."""
    _tables.clear()
    _supported.clear()
    _unsupported.clear()


def _compute(country: str, year: int) -> Mapping[date, str]:
    import holidays  # only here: see the module's docstring

    table = holidays.country_holidays(country, years=year)
    _supported.add(country)
    return MappingProxyType({day: str(names) for day, names in sorted(table.items())})


def _cache_file(cache_dir: Path | None) -> Path | None:
    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:  # run from a source tree without metadata: no cache
        return None
    if cache_dir is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        cache_dir = Path(base) / "greeter"
    return cache_dir / f"holidays-{version}.json"


def _read(path: Path) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tables = {
            key: MappingProxyType({date.fromisoformat(day): str(name) for day, name in days.items()})
            for key, days in data["tables"].items()
        }
        unsupported = {str(code) for code in data["unsupported"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no file yet, or one we cannot use: compute, and write a good one
    for key, table in tables.items():
        _tables.setdefault(key, table)
        _supported.add(key.rsplit(":", 1)[0])
    _unsupported.update(unsupported)


def _write(path: Path) -> None:
    data = {
        "tables": {key: {d.isoformat(): n for d, n in t.items()} for key, t in sorted(_tables.items())},
        "unsupported": sorted(_unsupported),
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".holidays-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
