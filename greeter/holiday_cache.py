"""The holiday tables held: in memory for this run, and in a file on disk between runs.

Why: asking the library for one country imports all of its ~250 country
modules (``holidays/countries/__init__.py`` imports every one), about 55 ms
of every command's start-up — a tenth of ``greeter preview`` and of a
2,000-letter ``send --once``. For one version of the library the answers
never change, so the tables a run needs are kept in a small JSON file in the
user's cache directory (``$XDG_CACHE_HOME/greeter``, else ``~/.cache/greeter``)
and read back next time in well under a millisecond; the library is imported
only for a table the file does not have. The file is named for the library's
version, so an upgrade starts afresh.

Only :func:`greeter.holiday_tables.warm`, called by the shell that loads the config, reads
(:func:`_read`) and writes (:func:`_write`) the file — and a cache that cannot be read or
written is simply not used. The lookups are :mod:`greeter.holiday_tables`'.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from greeter.cache_dir import user_cache_dir, write_cache_file
from greeter.holiday_naming import Holiday

#: The file's layout; a file of another layout (or of none: the first, whose names were in whatever language
#: the locale chose; the second, which did not mark observed days; the third, which did not keep each
#: country's weekend; the fourth, which named Serbia's holidays only in Cyrillic:
#: :func:`~greeter.holiday_naming._serbian_latin`; the fifth, which kept the library's "(estimated)" in the
#: names: :func:`~greeter.holiday_tables.unmarked`; the sixth, which did not keep the years of each country's
#: decreed moved days: :func:`~greeter.holiday_tables.decreed_years`; the seventh, which had only the public
#: holidays, not the days of the library's other categories: :attr:`~greeter.holiday_naming.Holiday.day_off`;
#: the eighth, which paired a day's names across languages by their place, not by what they translate:
#: :func:`~greeter.holiday_naming._paired`; the ninth, which had no Russian names of a calendar the library
#: translates: :func:`~greeter.holiday_tables._in_russian`; the tenth, which lacked Israel's optional days;
#: the eleventh, which had Israel's alone, not Brazil's Carnival and every other country's:
#: :data:`~greeter.holiday_tables._GREETED_CATEGORIES`; the twelfth and thirteenth, which did not say which
#: language each name is in: :attr:`~greeter.holiday_naming.Holiday.named`, and a file whose holidays lack it
#: is refused by :func:`_read` too; the fourteenth, which had Japan's substitute days as holidays to greet:
#: :func:`~greeter.holiday_tables._observed_only`, Georgia's «მცხეთობის» for «მცხეთობა»:
#: :data:`~greeter.holiday_naming._MISNAMED`, and no Russian names of Kazakhstan's and Kyrgyzstan's
#: calendars: :func:`~greeter.holiday_tables._in_russian`) is ignored and rewritten.
_FORMAT = 15


#: What the file holds: one table per "country:year" (day → its holidays), and the country
#: codes the library has no calendar for.
_tables: dict[str, Mapping[date, tuple[Holiday, ...]]] = {}
_unsupported: set[str] = set()
_supported: set[str] = set()
#: The weekend of each table's "country:year" (weekday numbers, Monday 0), kept with the tables: it
#: is the library's answer too, and asking it means importing the library.
_weekends: dict[str, frozenset[int]] = {}
#: How each country's calendar marks an estimated date, in each of its tables' languages: the text
#: around ``%s`` ("", " (estimated)"), ("", " (бағаланған)"). Kept with the tables, by country.
_estimate_marks: dict[str, tuple[tuple[str, str], ...]] = {}
#: The years for which the library lists days off a decree moved ("substituted" days: Russia's 1991–2027 in
#: 0.109), by country: :func:`~greeter.holiday_tables.decreed_years`. Kept with the tables, by country.
_decreed: dict[str, tuple[int, ...]] = {}


def _cache_file(cache_dir: Path | None) -> Path | None:
    version = installed_version("holidays")
    if version is None:  # run from a source tree without metadata: no cache
        return None
    if cache_dir is None:
        cache_dir = user_cache_dir()
        if cache_dir is None:  # neither XDG_CACHE_HOME nor a home to keep it in: no cache
            return None
    # The layout is in the name too: a greeter of another layout (an older release after an
    # upgrade and a downgrade, two installs sharing ~/.cache) reads its own file, not this one.
    return cache_dir / f"holidays-{version}-v{_FORMAT}.json"


def installed_version(name: str) -> str | None:
    """The installed distribution's version, as :func:`importlib.metadata.version` gives it; None: none.

    Read from the ``Version:`` line of its ``METADATA`` rather than through ``version()``, which
    parses the whole file (holidays' runs to ~60 KB of description) with the :mod:`email`
    package: 13.8 M of the 18.4 M instructions this lookup cost every command's start (callgrind).
    And found as :mod:`importlib.metadata` finds it — the first ``<name>-<version>.dist-info``
    (or ``.egg-info``) folder on :data:`sys.path`, names compared normalised (``ruamel.yaml``,
    ``Jinja2``) — without importing it: that import (its :mod:`email` and :mod:`zipfile` parts)
    was some 5 ms of every command's CPU, ``send --once``'s with nothing due included.
    """
    wanted = _normalised(name)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip), or gone: importlib.metadata finds nothing there either
            continue
        for child in names:
            stem, _, suffix = child.rpartition(".")
            if suffix in ("dist-info", "egg-info") and _normalised(stem.partition("-")[0]) == wanted:
                try:
                    text = (Path(entry or ".") / child / "METADATA").read_text(encoding="utf-8")
                except OSError:
                    text = ""
                found = _VERSION_LINE.search(text.partition("\n\n")[0])  # the headers, not the description
                return found.group(1) if found else None
    return None


def _normalised(name: str) -> str:
    """A distribution's name as :mod:`importlib.metadata` compares it: ``ruamel.yaml`` → ``ruamel_yaml``."""
    return re.sub(r"[-_.]+", "_", name).lower()


#: The version field of a distribution's METADATA (core metadata: one ``Version:`` header).
_VERSION_LINE: Final = re.compile(r"^Version:[ \t]*(\S+)[ \t]*$", re.M)


def _read(path: Path) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] != _FORMAT:
            return
        tables = {
            key: MappingProxyType(
                {
                    date.fromisoformat(day): tuple(
                        Holiday(
                            tuple(str(n) for n in h["names"]),
                            bool(h.get("substitute", False)),
                            bool(h.get("estimated", False)),
                            not h.get("working", False),
                            tuple((str(lang), str(n)) for lang, n in h.get("named", {}).items()),
                        )
                        for h in on_day
                    )
                    for day, on_day in days.items()
                }
            )
            for key, days in data["tables"].items()
        }
        unsupported = {str(code) for code in data["unsupported"]}
        weekends = {key: frozenset(int(n) for n in days) for key, days in data["weekends"].items()}
        marks = {
            str(code): tuple((str(prefix), str(suffix)) for prefix, suffix in found)
            for code, found in data["estimate_marks"].items()
        }
        decreed = {str(code): tuple(int(y) for y in years) for code, years in data["decreed"].items()}
        countries = {key.rsplit(":", 1)[0] for key in tables}
        if set(weekends) != set(tables) or not countries <= set(marks) or not countries <= set(decreed):
            return  # a table without its weekend or its country's marks: compute, and write a good file
        if tables and not any(h.named for table in tables.values() for days in table.values() for h in days):
            return  # no holiday's names' languages: another layout's (every table computed here has them)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no file yet, or one we cannot use: compute, and write a good one
    for key, table in tables.items():
        _tables.setdefault(key, table)
        _weekends.setdefault(key, weekends[key])
        _supported.add(key.rsplit(":", 1)[0])
    for code, found in marks.items():
        _estimate_marks.setdefault(code, found)
    for code, years in decreed.items():
        _decreed.setdefault(code, years)
    _unsupported.update(unsupported)


def _write(path: Path) -> None:
    def stored(holiday: Holiday) -> dict[str, Any]:
        flags = {
            "substitute": holiday.substitute,
            "estimated": holiday.estimated,
            "working": not holiday.day_off,
        }
        named = {"named": dict(holiday.named)} if holiday.named else {}
        return {"names": list(holiday.names), **{flag: True for flag, on in flags.items() if on}, **named}

    data = {
        "format": _FORMAT,
        "tables": {
            key: {d.isoformat(): [stored(h) for h in hs] for d, hs in t.items()}
            for key, t in sorted(_tables.items())
        },
        "unsupported": sorted(_unsupported),
        "weekends": {key: sorted(_weekends[key]) for key in sorted(_tables) if key in _weekends},
        "estimate_marks": {
            code: [list(m) for m in found]
            for code, found in sorted(_estimate_marks.items())
            if code in {key.rsplit(":", 1)[0] for key in _tables}  # not a looked-up country's
        },
        "decreed": {
            code: list(years)
            for code, years in sorted(_decreed.items())
            if code in {key.rsplit(":", 1)[0] for key in _tables}
        },
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cache_file(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
