"""A region written by name in a contact's country cell ("Bayern", "Bavaria", "Бавария") → its code.

Why: where days off differ by region, a CRM's country column often holds the
region — a German office writes the client's Land, "Bayern" or "Sachsen" —
and a name that is no country put the client on ``defaults.country``'s
calendar (Russian days off, a German letter merged with Orthodox Christmas).
The names come from maintained sources, not a list kept here:

- ISO 3166-2's names of every subdivision as ``pycountry`` ships them (Debian's
  iso-codes), in the country's own writing ("Bayern", "Nordrhein-Westfalen"),
  and their Russian, English and Serbian (Cyrillic and Latin) translations ("Бавария",
  "Bavaria", "Војводина", "Kosovo i Metohija") — languages the project's CRMs are in
  (:func:`greeter.countries.name_languages`) —, with the usual Serbian names the
  translation lacks (:mod:`greeter.region_names_sr`: «Баварска», "Bavarska");
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
import unicodedata
from functools import cache

#: Translations of ISO 3166-2's names read besides the names themselves: Serbian in both its
#: scripts, as a Serbian CRM writes it ("Војводина"; "Kosovo i Metohija", which ISO's own name,
#: "Kosovo-Metohija", is not), and the usual Serbian names the translation lacks
#: (:mod:`greeter.region_names_sr`: «Баварска», "Bavarska").
_LANGUAGES = ("ru", "en", "sr", "sr@latin")
#: Aliases this short are abbreviations ("B", "BD", "RS"), not names: a two-letter cell is read as
#: a country code before names are looked at, and a three-letter one ("Bgld" aside) is ambiguous.
_SHORTEST = 4


def name_key(text: str) -> str:
    """How region names are compared: any case, any spacing, a hyphen as a space, and without
    accents or umlauts ("Cordoba", "Baden-Wurttemberg", "е" for "ё"): a CRM typed on an English
    keyboard drops them, and iso-codes' Serbian writes «Баден Виртемберг» where Serbs write
    «Баден-Виртемберг».

    Unicode's decomposition (NFKD) splits a letter from its marks, which are dropped; the
    Cyrillic "й" loses its breve too, on both sides of the comparison alike.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold()).replace("-", " ")
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def region_label(code: str) -> str:
    """A region's name as ISO 3166-2 writes it in its country ("Bayern" for DE-BY), for a suggestion."""
    import pycountry

    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(found.name) if found is not None else code


def regions_named(name: str) -> tuple[tuple[str, str], ...]:
    """The regions called ``name``: pairs of ISO 3166-2 code ("ES-CO") and the holiday calendar that
    covers it ("ES-AN"), in code order.

    The calendar is the region's own, else its nearest parent's in ISO 3166-2
    (the province of Córdoba keeps Andalusia's days off), else its country's
    where the library has no regions for it (Pakistan's Punjab: "PK"). Empty
    when no region is; several when the name is ambiguous ("Córdoba": AR-X,
    ES-CO). The caller reads only those of the country the row's other cells
    say (:func:`greeter.countries.parse_country`'s ``within``): "Central" is a
    region of Solomon Islands, not of a London client's country.
    """
    return _index().get(name_key(name), ())


@cache
def _index() -> dict[str, tuple[tuple[str, str], ...]]:
    """Every name (keyed by :func:`name_key`) → the regions it names, each with its calendar."""
    calendars = _library_regions()
    countries = _library_countries()
    with_regions = {code.partition("-")[0] for code in calendars}
    found: dict[str, set[tuple[str, str]]] = {}
    for key, code, parents in _iso_names():
        country = code.partition("-")[0]
        covering = next((c for c in (code, *parents) if c in calendars), None)
        if covering is None and country in countries and country not in with_regions:
            covering = country
        if covering is not None:
            found.setdefault(key, set()).add((code, covering))
    for code, aliases in calendars.items():
        for alias in aliases:
            if len(alias) >= _SHORTEST:
                found.setdefault(name_key(alias), set()).add((code, code))
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def _library_countries() -> frozenset[str]:
    """The countries the holidays library has a calendar of, from its registry."""
    from holidays.registry import COUNTRIES

    return frozenset(str(entry[1]) for entry in COUNTRIES.values())


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


def _iso_names() -> list[tuple[str, str, tuple[str, ...]]]:
    """ISO 3166-2's names (keyed) with their codes and their parents' codes, nearest first: as
    written in the country, translated, and the usual Serbian ones in both scripts
    (:mod:`greeter.region_names_sr`), an autonomous province also with its kind before it."""
    import pycountry

    from greeter.region_names_sr import PROVINCE_PREFIXES, PROVINCE_TYPE, USUAL_NAMES
    from greeter.serbian_script import to_latin

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _LANGUAGES
    ]
    parent_of = {str(s.code): str(s.parent_code) for s in pycountry.subdivisions if s.parent_code}
    names: list[tuple[str, str, tuple[str, ...]]] = []
    for subdivision in pycountry.subdivisions:
        name = str(subdivision.name)
        code = str(subdivision.code)
        parents: list[str] = []
        while (up := parent_of.get(parents[-1] if parents else code)) is not None and up not in parents:
            parents.append(up)
        serbian = (translations[_LANGUAGES.index("sr")].gettext(name), *USUAL_NAMES.get(code, ()))
        if subdivision.type == PROVINCE_TYPE:
            serbian += tuple(f"{kind} {n}" for kind in PROVINCE_PREFIXES for n in serbian)
        known = {name, *(t.gettext(name) for t in translations), *serbian, *map(to_latin, serbian)}
        names.extend((name_key(n), code, tuple(parents)) for n in known)
    return names
