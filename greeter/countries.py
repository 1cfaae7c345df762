"""A contact's country, as the public-holiday calendar its days off come from.

Why a country per contact: the send window is the recipient's (their time
zone), and so are their days off — a client in Almaty is off on Nauryz, one
in London on the August bank holiday, while the company's own country works.
CRMs export the country as an ISO code ("KZ") or, more often, as a name in the
CRM's language ("Казахстан", "United Kingdom"), or as the client's own country
writes it ("Україна", "Қазақстан", "Magyarország"); all are understood,
through Babel's territory names, so no list is kept here: Russian and
English first, then every language official in some country (Babel's
territory data, 101 languages with names), read only for a name the first
two lack and only in the languages of the name's script.

Some countries' days off differ by region: Easter Monday is a bank holiday
in England, Wales and Northern Ireland but not in Scotland, so the UK-wide
calendar has neither it nor the August bank holiday. A region is written as
in ISO 3166-2 ("GB-ENG", "US-NY", "DE-BY"), and the UK's nations also by
name ("England", "Англия"), as are Bosnia and Herzegovina's entities
("Republika Srpska", "Република Српска": BA-SRP). Any other region the library
has a calendar of is read by name too — "Bayern", "Bavaria", "Бавария" are
DE-BY — from ISO 3166-2's names and the library's aliases
(:mod:`greeter.region_names`), but only among the regions of the country the
row's other cells say (``within``: its zone's, else the defaults'): "La Rioja"
is ES-RI in Madrid's zone, AR-F in Argentina's, and a name of other countries'
regions only ("Central": Solomon Islands, Ghana, …) is refused with them as a
suggestion — an ordinary word must not move a London client abroad. :func:`regional_days_off`
finds the days a country-only code misses, for ``greeter check`` to say so.

Pure lookups, cached: a million rows name a few dozen countries. The caches
of answers that come from the holiday tables are marked
:func:`~greeter.holiday_tables.derived`, so ``holiday_tables.forget()`` drops
them with the tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from greeter.holiday_tables import days_of, derived, has_calendar
from greeter.ru_regions import region_by_name, region_like, region_name

#: Codes people write that are not the ISO code of the country they mean.
_ALIASES = {"UK": "GB", "EL": "GR"}
#: A region as in ISO 3166-2: the country's code, a hyphen, the region's (1–3 letters or digits).
_REGION_CODE = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")
#: The UK's nations by name (casefolded, "ё" as "е").
_UK_NATIONS = {
    "GB-ENG": ("england", "англия"),
    "GB-SCT": ("scotland", "шотландия"),
    "GB-WLS": ("wales", "уэльс"),
    "GB-NIR": ("northern ireland", "северная ирландия"),
}
#: Regions with days off of their own that CRMs write by name in place of a country, as their
#: people write them (casefolded): Bosnia and Herzegovina's entities, whose calendars differ —
#: Republika Srpska keeps Orthodox Christmas and Easter, Victory Day; the Federation does not.
_NAMED_REGIONS = {
    "BA-SRP": ("republika srpska", "република српска"),
    "BA-BIH": ("federacija bosne i hercegovine", "федерација босне и херцеговине", "fbih"),
    "BA-BRC": ("brčko distrikt", "brcko distrikt", "брчко дистрикт"),
}


@derived  # whether a code has a calendar is the tables' answer: forget() must drop it too
@lru_cache(maxsize=4096)
def parse_country(raw: str, within: str | tuple[str | None, ...] | None = None) -> tuple[str | None, str]:
    """``(ISO code, "")`` for a usable country, ``(None, why not)`` otherwise; ``(None, "")`` if empty.

    Usable means the holiday library has a calendar for it; a country it does
    not know is reported, and the default country's days off apply. ``within``:
    the country the row's other cells make clear (its time zone's, else the
    defaults' and those the config names; one or several): a region written
    by name ("Bayern") is read only among those countries' regions; one of
    another country's is refused with a suggestion.
    """
    text = " ".join(raw.split())
    if not text:
        return None, ""
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = _ALIASES.get(text.upper(), text.upper())
    elif _REGION_CODE.fullmatch(text):
        country, _, region = text.upper().partition("-")
        code = f"{_ALIASES.get(country, country)}-{region}"
    elif len(text) == 3 and text.isascii() and text.isalpha() and text.upper() in _alpha3():
        code = _alpha3()[text.upper()]  # RUS, DEU, ISR: the three-letter code some CRMs export
    elif (named := region_by_name(text)) is not None and has_calendar(named):
        code = named  # "Татарстан" where the config declares RU-TA's days off
    else:
        found = _by_name(text.casefold().replace("ё", "е"))
        if found is None:
            regions = _regions_named(text)
            homes = {
                w.partition("-")[0] for w in ((within,) if isinstance(within, str) else within or ()) if w
            }
            russian = _russian_region(regions, homes)
            if russian is not None and not has_calendar(russian):  # as its English name says it
                return None, _not_a_country(raw.strip(), region=russian)
            # A region the config declares is its own calendar ("Tatarstan, Respublika", ISO's
            # romanization of RU-TA, whose calendar in the library is all Russia's).
            theirs = tuple(
                dict.fromkeys(
                    iso if iso != cal and has_calendar(iso) else cal
                    for iso, cal in regions
                    if iso.partition("-")[0] in homes
                )
            )
            if len(theirs) != 1 or region_by_name(text) is not None:  # "Татарстан": the RU region's words
                elsewhere = tuple(sorted({(c, i) for i, c in regions if i.partition("-")[0] not in homes}))
                like = region_like(text) if not regions and "RU" in homes else None
                return None, _not_a_country(raw.strip(), theirs, elsewhere, like)
            found = theirs[0]
        code = found
    if not has_calendar(code):
        return None, calendar_refusal(code)
    return code, ""


@cache
def _alpha3() -> dict[str, str]:
    """ISO 3166-1 alpha-3 → alpha-2 (``ISR`` → ``IL``) for the countries the holidays library has.

    Read from its registry, imported only when a three-letter value is met: a warm start
    reads the holiday tables from the cache file and never imports the library.
    """
    from holidays.registry import COUNTRIES

    return {entry[2]: entry[1] for entry in COUNTRIES.values()}


def calendar_refusal(code: str) -> str:
    """Why a code has no calendar: an unknown country, or a region its country does not have."""
    country, _, region = code.partition("-")
    if region and has_calendar(country):
        known = regions_of(country)
        listed = ", ".join(known[:8]) + (f" and {len(known) - 8} more" if len(known) > 8 else "")
        if not known:
            whole = f"{country} has one public-holiday calendar for the whole country: write {country!r}"
            if region_name(code) is None:
                return whole
            return (
                f"{whole}, or declare the region's own days off in send_window.regional_days_off"
                + _declare(code)
            )
        return f"{country} has no region {region!r} in its public-holiday calendar (its regions: {listed})"
    hint = "use an ISO code like 'RU', or 'GB-ENG' with a region"
    return f"no public-holiday calendar for country {code!r} ({hint})"


def _declare(code: str) -> str:
    """How ``code``'s own days off are declared, for a message that refuses the region."""
    return f" as {code}: {{days: [YYYY-MM-DD, …]}} (see docs/config.md)"


def _russian_region(regions: tuple[tuple[str, str], ...], homes: set[str]) -> str | None:
    """The one Russian region ("RU-TA") ``regions`` name ("Tatarstan, Respublika": ISO 3166-2's
    romanization), unless a region of another of the row's countries is called so too. Pure.

    Why: the library has no regions of Russia, so such a name's calendar is all Russia's, and an
    undeclared region written so loaded as plain RU with no warning, while its English name
    ("Tatarstan") said the region's days off were not declared.
    """
    russian = {iso for iso, _ in regions if region_name(iso) is not None}
    others = [iso for iso, _ in regions if not iso.startswith("RU-") and iso.partition("-")[0] in homes]
    return next(iter(russian)) if len(russian) == 1 and not others else None


def _regions_named(text: str) -> tuple[tuple[str, str], ...]:
    """The regions of any country called ``text``, with their calendars
    (:func:`greeter.region_names.regions_named`)."""
    from greeter.region_names import regions_named

    return regions_named(text)


#: How many regions of other countries a warning suggests ("Central" names a dozen).
_SUGGESTED = 4


def _not_a_country(
    text: str,
    theirs: tuple[str, ...] = (),
    elsewhere: tuple[tuple[str, str], ...] = (),
    like: tuple[str, str] | None = None,
    region: str | None = None,
) -> str:
    """Why a name is no country: a name of several regions of the row's country, a Russian region's
    name ("Татарстан") — the country cell takes it when the config declares the region's days off —
    or not a country at all, with the regions of other countries it names as a suggestion ("did
    you mean DE-BY (Bayern)?"; ``elsewhere``: pairs of calendar and ISO 3166-2 code): a name is not
    read as another country's region, which would move the contact abroad ("Central": Solomon
    Islands' SB-CE, for a client in London). ``region``: the Russian region ``text`` names when
    :func:`~greeter.ru_regions.region_by_name` does not know it (ISO's romanization)."""
    if len(theirs) > 1:
        return (
            f"{text!r} is the name of several regions ({', '.join(theirs)}): write the one"
            " meant as its ISO 3166-2 code"
        )
    region = region or region_by_name(text)
    if region is not None:
        return (
            f"{text!r} is a region of RU ({region}) whose own days off the config does not declare: "
            f"write 'RU', or declare them in send_window.regional_days_off" + _declare(region)
        )
    why = f"{text!r} is not a country code (like 'KZ') or a country name"
    if like is not None:  # spelt like a region of the row's Russia: "Tatarstn"
        return f"{why}; did you mean {like[0]} ({like[1]})?"
    if not elsewhere:
        return why
    from greeter.region_names import region_label

    # The codes to write (a calendar's: ES-RI for the province ES-LO too), each with its name.
    codes = {cal: region_label(cal if "-" in cal else iso) for cal, iso in elsewhere}
    named = [f"{code} ({label})" for code, label in list(codes.items())[:_SUGGESTED]]
    if len(codes) > _SUGGESTED:
        named.append(f"{len(codes) - _SUGGESTED} more")
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return f"{why}; did you mean {listed}?"


@dataclass(frozen=True, slots=True)
class RegionalGap:
    """A day off that most (two thirds) of a country's regions have and its country-wide calendar lacks."""

    day: date
    name: str
    regions: int
    of: int


@derived  # worked out from days_of: forget() drops it with the tables
@lru_cache(maxsize=64)
def regional_days_off(country: str, year: int) -> tuple[RegionalGap, ...]:
    """The days off in ``year`` that at least two thirds of ``country``'s regions have and it lacks.

    Empty for a code with its region, or a country without regions. A code
    without a region is read as "somewhere in the country", so what matters
    is a day most of its clients are off: the UK-wide calendar lacks Easter
    Monday, off in 3 of its 4 nations. Two thirds, not a bare majority: a day
    off in about half of the regions (Germany's Reformation Day, 9 of its 17)
    is as likely a working day for the client, and a warning for every German
    contact would teach marketers to ignore the check.
    """
    if "-" in country or not has_calendar(country):
        return ()
    nationwide = days_of(country, year)
    regions = _regions(country)
    counts: Counter[date] = Counter()
    names: dict[date, str] = {}
    for region in regions:
        for day, on_day in days_of(f"{country}-{region}", year).items():
            if day not in nationwide:
                counts[day] += 1
                names.setdefault(day, on_day[0].names[0])
    return tuple(
        RegionalGap(day, names[day], n, len(regions))
        for day, n in sorted(counts.items())
        if 3 * n >= 2 * len(regions)
    )


@dataclass(frozen=True, slots=True)
class RegionDay:
    """A day off of one region of a country that the country-wide calendar lacks: its next from a day."""

    region: str
    day: date
    name: str


def regions_own_days(country: str, since: date) -> tuple[RegionDay, ...]:
    """Each region of ``country`` with days off of its own: its first one at or after ``since``.

    Within ``since``'s year and the next, by date. Why: the warning about a country written
    without its region (:func:`regional_days_off`) named only days most regions share, and in
    the USA or New Zealand no day is: each state's or region's is its own (Hawaii's Kamehameha
    Day, the Chatham Islands' Anniversary Day), so plain ``US`` and ``NZ`` got no warning while
    their clients' letters went out on those days. Empty for a code with its region, a country
    without regions or one whose regions' days are all the country's.
    """
    if "-" in country or not has_calendar(country):
        return ()
    found: list[RegionDay] = []
    for region in _regions(country):
        for year in (since.year, since.year + 1):
            nationwide = days_of(country, year)
            own = [(d, on[0].names[0]) for d, on in days_of(f"{country}-{region}", year).items()]
            later = sorted((d, n) for d, n in own if d >= since and d not in nationwide)
            if later:
                found.append(RegionDay(f"{country}-{region}", *later[0]))
                break
    return tuple(sorted(found, key=lambda r: (r.day, r.region)))


def regions_of(country: str) -> tuple[str, ...]:
    """A country's region codes as ISO 3166-2 writes them ("GB-ENG", …); empty if it has none."""
    return tuple(f"{country}-{r}" for r in _regions(country))


@cache
def _regions(country: str) -> tuple[str, ...]:
    import holidays

    return tuple(holidays.country_holidays(country, years=[]).subdivisions)


def _by_name(name: str) -> str | None:
    """The ISO code of a country name (casefolded, "ё" as "е"): Russian, else English, else any
    language official somewhere that is written in the name's script ("україна", "қазақстан").

    Each language is the whole of its Babel locale data (~0.1 s for Russian,
    ~0.03 s more for English, ~5 ms each other one), so a language is read
    only when the ones before it lack the name: a Russian CRM's export never
    needs the English, and "Україна" reads the Cyrillic languages (about a
    dozen, ~0.1 s once), not the hundred others. Same answers as one merged
    table in that order (Russian spellings first).
    """
    for language in name_languages(name):
        found = _names(language).get(name)
        if found is not None:
            return found
    return None


def name_languages(name: str) -> Iterator[str]:
    """The languages a place's name may be in, in the order to try them: Russian, English, then
    those official in some country and written in the name's script (all of them for a mixed one).

    Lazy: which languages are official where is Babel's data for every territory
    (~10 ms to read), needed only for a name neither Russian nor English has —
    not for the "Россия" of a Russian CRM's export.

    Shared with :mod:`greeter.timezones`, which reads city names the same way ("Київ").
    """
    yield "ru"
    yield "en"
    yield from _official_languages(_script(name))


#: Babel's script codes → the first word of the Unicode names of their letters.
_SCRIPTS = {
    "Latn": "LATIN",
    "Cyrl": "CYRILLIC",
    "Grek": "GREEK",
    "Arab": "ARABIC",
    "Armn": "ARMENIAN",
    "Geor": "GEORGIAN",
    "Hebr": "HEBREW",
}


def _script(name: str) -> str | None:
    """The script of a name's letters as Unicode names it ("CYRILLIC"), None if mixed or none."""
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in name if ch.isalpha()}
    scripts.discard("MODIFIER")  # the apostrophe-like letters of Latin Uzbek ("Oʻzbekiston")
    return scripts.pop() if len(scripts) == 1 else None


@cache
def _official_languages(script: str | None) -> tuple[str, ...]:
    """Babel's languages official in some country (besides ru, en), those in ``script`` if one is given
    and their script is known (Babel's likely subtags: "uk" → "uk_Cyrl_UA"; "uz_Cyrl" says its own)."""
    from babel import localedata
    from babel.core import get_global
    from babel.languages import get_official_languages

    likely = get_global("likely_subtags")
    languages: dict[str, None] = {}
    for territory in get_global("territory_languages"):
        if len(territory) == 2 and territory.isalpha():
            languages.update(dict.fromkeys(get_official_languages(territory)))
    chosen = []
    for language in sorted(languages):
        if language in ("ru", "en") or not localedata.exists(language):
            continue
        parts = language.split("_")
        code = parts[1] if len(parts) > 1 else str(likely.get(language, "")).partition("_")[2][:4]
        written = _SCRIPTS.get(code)
        if script is None or written == script or (written is None and script not in _SCRIPTS.values()):
            chosen.append(language)
    return tuple(chosen)


@cache
def _names(language: str) -> dict[str, str]:
    """Country names in ``language`` (as Babel spells them) → ISO code, with what CRMs also write."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, name in Locale.parse(language).territories.items():
        if len(code) == 2 and code.isalpha():  # not "001" (World) or "150" (Europe)
            names.setdefault(name.casefold().replace("ё", "е"), code)
    # What CRMs write besides the official short names.
    names.update({"рф": "RU", "российская федерация": "RU", "usa": "US", "сша": "US"})
    # The UK's nations and Bosnia's entities: their days off differ (see the module's docstring).
    for code, spellings in (*_UK_NATIONS.items(), *_NAMED_REGIONS.items()):
        names.update(dict.fromkeys(spellings, code))
    return names
