"""A region written by name in a contact's country cell ("Bayern", "Bavaria", "Бавария") → its code.

Why: where days off differ by region, a CRM's country column often holds the
region — a German office writes the client's Land, "Bayern" or "Sachsen" —
and a name that is no country put the client on ``defaults.country``'s
calendar (Russian days off, a German letter merged with Orthodox Christmas).
The names come from maintained sources, not a list kept here:

- ISO 3166-2's names of every subdivision as ``pycountry`` ships them (Debian's
  iso-codes), in the country's own writing ("Bayern", "Nordrhein-Westfalen"),
  and their Russian and English translations ("Бавария", "Bavaria") — the
  languages the project's CRMs are in (:func:`greeter.countries.name_languages`);
- the ``holidays`` library's own ``subdivisions_aliases`` of each country
  ("Bgld" for Burgenland, "Berne").

Only a region the holidays library has a calendar of is an answer: it is
read for its days off, and a subdivision without a calendar of its own
(a Bavarian district) would be refused anyway. Pure lookups; the index is
built once, and only for a cell that reads as no country (~1 s: every
country module of the library and every subdivision of ISO 3166-2 —
a CRM export names few distinct unknown values, each read once).
"""

from __future__ import annotations

import gettext
import importlib
from functools import cache

#: Translations of ISO 3166-2's names read besides the names themselves.
_LANGUAGES = ("ru", "en")
#: Aliases this short are abbreviations ("B", "BD", "RS"), not names: a two-letter cell is read as
#: a country code before names are looked at, and a three-letter one ("Bgld" aside) is ambiguous.
_SHORTEST = 4


def name_key(text: str) -> str:
    """How region names are compared: any case, any spacing, "ё" as "е" (as country names are)."""
    return " ".join(text.casefold().replace("ё", "е").split())


def regions_named(name: str) -> tuple[str, ...]:
    """The ISO 3166-2 codes ("DE-BY") of the regions with a holiday calendar called ``name``, in code order.

    Empty when no region is; several when the name is ambiguous ("Córdoba":
    AR-X, ES-CO; "La Rioja"): the caller narrows them by the country the
    row's other cells say (:func:`greeter.countries.parse_country`'s ``within``).
    """
    return _index().get(name_key(name), ())


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Every name (keyed by :func:`name_key`) → the library's region codes it names."""
    calendars = _library_regions()
    found: dict[str, set[str]] = {}
    for key, code in _iso_names():
        if code in calendars:
            found.setdefault(key, set()).add(code)
    for code, aliases in calendars.items():
        for alias in aliases:
            if len(alias) >= _SHORTEST:
                found.setdefault(name_key(alias), set()).add(code)
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def _library_regions() -> dict[str, tuple[str, ...]]:
    """The holidays library's regions ("DE-BY") → their aliases in it ("Bayern").

    From each country's class, read without computing a calendar (the registry names them).
    """
    from holidays.registry import COUNTRIES

    regions: dict[str, tuple[str, ...]] = {}
    for module, entry in COUNTRIES.items():
        class_name, code = str(entry[0]), str(entry[1])
        calendar = getattr(importlib.import_module(f"holidays.countries.{module}"), class_name)
        aliases = getattr(calendar, "subdivisions_aliases", {}) or {}
        for region in getattr(calendar, "subdivisions", ()) or ():
            regions[f"{code}-{region}"] = tuple(a for a, r in aliases.items() if r == region)
    return regions


def _iso_names() -> list[tuple[str, str]]:
    """ISO 3166-2's names (keyed) with their codes: as written in the country, and translated."""
    import pycountry

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _LANGUAGES
    ]
    names: list[tuple[str, str]] = []
    for subdivision in pycountry.subdivisions:
        name = str(subdivision.name)
        code = str(subdivision.code)
        names.append((name_key(name), code))
        names.extend((name_key(t.gettext(name)), code) for t in translations)
    return names
