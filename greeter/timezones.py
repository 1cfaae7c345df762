"""What someone who wrote an unknown time-zone name most likely meant — pure.

Why this is more than ``difflib``: string similarity reads ``MSK`` as ``MST``
(US Mountain, UTC−7) and ``UTC+3`` as ``UTC``. A marketer who accepts such a
suggestion moves every letter by hours. So a name that says what it means —
an abbreviation used in Russia and its neighbours (``MSK``, ``YEKT``), an
offset from Moscow (``MSK+4``) or from UTC (``UTC+3``, ``GMT+03:00``) — is
answered from that meaning, and only with zones of that very offset;
similarity is kept for what it is good at, typos of IANA names
(``Europe/Moskow``) and places written without their area (``Moscow``).
A city written in the marketer's language (``Москва``, ``Київ``, ``Алматы``,
``Белград``) is answered from CLDR's names of the zones' cities (Babel's
``Locale.time_zones``), read in the languages :func:`greeter.countries.name_languages`
gives for the name's script — no list of cities is kept here, but for the
cities CLDR does not name a zone after: Russia's regional centres («Уфа», «Казань»:
:mod:`greeter.russian_cities`, read as Russian names of CLDR's are) and
:data:`OTHER_CITIES` (Kazakhstan's capital and the old names CRMs still hold).

One reading serves the config's ``defaults.timezone`` and the contacts'
time-zone column, so both say the same: the config is told the zone meant
(:func:`zone_hint`), a contact's cell that means one zone unambiguously is
read as it (:func:`zone_meant`) — a client in Vladivostok is not greeted at
Moscow's hours because the CRM says ``Владивосток``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: Russia's eleven zones as its law counts them (МСК−1 … МСК+9): abbreviation, IANA zone, UTC offset.
#: Where several IANA zones share an offset (UTC+7: Krasnoyarsk, Novosibirsk, Tomsk…) the one the
#: abbreviation names is the offset's representative.
RUSSIAN_ZONES: Final = (
    ("KALT", "Europe/Kaliningrad", 2),
    ("MSK", "Europe/Moscow", 3),
    ("SAMT", "Europe/Samara", 4),
    ("YEKT", "Asia/Yekaterinburg", 5),
    ("OMST", "Asia/Omsk", 6),
    ("KRAT", "Asia/Krasnoyarsk", 7),
    ("IRKT", "Asia/Irkutsk", 8),
    ("YAKT", "Asia/Yakutsk", 9),
    ("VLAT", "Asia/Vladivostok", 10),
    ("MAGT", "Asia/Magadan", 11),
    ("PETT", "Asia/Kamchatka", 12),
)
#: Abbreviations (upper case) that name one place unambiguously in this product's world.
ABBREVIATIONS: Final[dict[str, str]] = {
    **{abbr: zone for abbr, zone, _ in RUSSIAN_ZONES},
    "МСК": "Europe/Moscow",  # Cyrillic, as written in Russian
    "NOVT": "Asia/Novosibirsk",
    "EET": "Europe/Kaliningrad",  # only reached when not the valid legacy zone "EET" (e.g. "eet")
    "ALMT": "Asia/Almaty",
    "UZT": "Asia/Tashkent",
    "KGT": "Asia/Bishkek",
    "TJT": "Asia/Dushanbe",
    "TMT": "Asia/Ashgabat",
    "AZT": "Asia/Baku",
    "GET": "Asia/Tbilisi",
}
_RUSSIAN_BY_OFFSET: Final = {hours: zone for _, zone, hours in RUSSIAN_ZONES}
#: Offsets that are not whole hours have no ``Etc/`` zone: the best-known place of each (none has DST).
_HALF_HOURS: Final = {
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (9, 30): "Australia/Darwin",
}
_MINUS = "-−–"  # ASCII hyphen, Unicode minus, en dash: all typed as "minus"
_SIGN = r"[+\-−–]"
_OFFSET = re.compile(rf"(?:UTC|GMT|UT)?\s*({_SIGN})\s*(\d{{1,2}})(?::?([0-5]\d))?", re.IGNORECASE)
#: An ``Etc/`` name beyond the ones that exist (``Etc/GMT-15``): POSIX signs, west positive.
_ETC_OFFSET = re.compile(r"Etc/GMT([+-])(\d{1,2})", re.IGNORECASE)
#: Any other text with a signed number in it: an offset we cannot read, never a look-alike's job.
_SIGNED_NUMBER = re.compile(rf"{_SIGN}\s*\d")
_FROM_MOSCOW = re.compile(rf"(?:MSK|МСК)\s*({_SIGN})\s*(\d{{1,2}})", re.IGNORECASE)
#: Letters only, short: an abbreviation we do not know (IST, CST, BST mean several places each).
_ABBREVIATION_LIKE = re.compile(r"[A-Za-zА-Яа-яЁё]{2,5}")
#: Cities people write in a time-zone cell that CLDR names no zone after, folded as
#: :func:`_fold_city` folds: Astana (no zone of its own: Kazakhstan keeps one time, Asia/Almaty's
#: since 2024) by its names since 1998, and Almaty by its Soviet one. CLDR has «Алматы» only,
#: so «Астана» got the advice "like 'Europe/Moscow'" and «Алма-Ата» only a did-you-mean: a
#: client without a country was then timed in Moscow, two hours behind.
OTHER_CITIES: Final[dict[str, str]] = {
    **dict.fromkeys(("астана", "astana", "нур султан", "нұр сұлтан", "nur sultan"), "Asia/Almaty"),
    **dict.fromkeys(("алма ата", "alma ata"), "Asia/Almaty"),
    # Kazakhstan's largest cities as Kazakh writes them (their Russian names are in
    # greeter.russian_cities, read as CLDR's are, in Latin letters too).
    **dict.fromkeys(
        (
            "қарағанды", "qaraghandy", "karagandy", "өскемен", "oskemen", "түркістан", "turkistan",
            "талдықорған", "taldyqorghan", "көкшетау", "petropavl", "екібастұз", "ekibastuz",
            "теміртау", "temirtau", "жезқазған", "zhezqazghan", "қонаев", "qonaev",
        ),
        "Asia/Almaty",
    ),
}  # fmt: skip
#: tzdata's legacy zones that name no place (US abbreviations, POSIX-style rule names) → a city zone of
#: that time to suggest. zoneinfo knows them, so ``EST`` in a CRM cell was taken silently: UTC−5 all
#: year, an hour off New York's clock half the year, and never what a Russian client's row meant.
LEGACY_ZONES: Final[dict[str, str]] = {
    "EST": "America/New_York",
    "MST": "America/Denver",
    "HST": "Pacific/Honolulu",
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin",
    "MET": "Europe/Berlin",
    "EET": "Europe/Helsinki",
    "WET": "Europe/Lisbon",
}
#: The advice when there is nothing safe to suggest.
IANA_ADVICE: Final = "use an IANA name like 'Europe/Moscow'"


def is_zone(name: str) -> bool:
    """Whether zoneinfo knows ``name``: the one test config and contact rows share.

    Not only ``ZoneInfoNotFoundError`` and ``ValueError``: a region's folder
    ("Europe", "America/Argentina") makes zoneinfo try to read a directory,
    which raises ``IsADirectoryError`` — an internal error before this.
    """
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_hint(name: str) -> str:
    """What to tell someone who wrote the unknown zone ``name``: "did you mean …?" or general advice.

    A contacts row's warning shows it in brackets; the config's message is
    :func:`unknown_zone`. Both come from :func:`suggest_zones`, so a marketer
    reads the same suggestion for the same text wherever it was written.
    """
    zones, note = suggest_zones(name)
    if not zones:
        return note or IANA_ADVICE
    first, *others = zones
    extra = [f"or {', '.join(repr(z) for z in others)}"] if others else []
    extra += [note] if note else []
    said = f" ({', '.join(extra)})" if extra else ""
    return f"did you mean {first!r}{said}?"


def unknown_zone(name: str) -> str:
    """The config's message: "unknown time zone 'MSK', did you mean 'Europe/Moscow'?" or with advice."""
    hint = zone_hint(name)
    return f"unknown time zone {name!r}" + (f", {hint}" if suggest_zones(name)[0] else f" ({hint})")


def suggest_zones(name: str) -> tuple[tuple[str, ...], str]:
    """The IANA zones ``name`` most likely means, best first, and a note on the last one (or on none).

    Never a zone of another UTC offset when ``name`` states an offset or a
    known abbreviation: an empty answer is better than a plausible wrong one.
    """
    zones, note, _ = _read_zone(name)
    return zones, note


def zone_meant(name: str) -> tuple[str, str] | None:
    """The one zone ``name`` says by its meaning (``MSK``, ``UTC+3``, ``Владивосток``), and a note; or None.

    For a contact's time-zone cell: what it says unambiguously is used
    (:class:`greeter.sources.rows.RowParser`), with a warning, rather than
    ``defaults.timezone`` hours away. Meaning is an abbreviation greeter
    knows, an IANA name in other capitals, an offset from UTC or Moscow (its
    first zone: Russia's of that offset, which keeps that clock all year,
    else the fixed ``Etc/`` one, the note then says the sign is inverted),
    or a city CLDR or an IANA name names exactly, in its letters or, for a
    Russian one, transliterated exactly (``Ufa``, ``Europe/Moskva``: one
    city's spelling once the usual variants are folded). A look-alike
    (``Europe/Moskow``, ``Масква``) is a guess, not a meaning: None, and the
    caller keeps suggesting it (:func:`zone_hint`). The same reading as the
    suggestion the config gets, so both say the same zone.
    """
    zones, note, meant = _read_zone(name)
    if not meant or not zones:
        return None
    if len(zones) > 1:  # an offset Russia has: its zone (no daylight-saving time), then the Etc/ twin
        offset = ZoneInfo(zones[0]).utcoffset(datetime(2040, 1, 1, tzinfo=UTC)) or timedelta()
        minutes = int(offset.total_seconds()) // 60
        note = f"Russia's zone of {_utc_label(minutes // 60, minutes % 60)}, the same clock as {zones[1]}"
    return zones[0], note


def stated_offset(name: str) -> int | None:
    """The UTC offset, in minutes, ``name`` states (``UTC+6``, ``+06:00``, ``МСК+3``, ``Etc/GMT-6``), or None.

    For reading it in the client's country (:func:`greeter.country_zones.offset_zone`):
    the clock alone says Russia's zone, an hour off for a client in Kazakhstan.
    The same forms :func:`zone_meant` reads as an offset.
    """
    text = " ".join(name.split())
    if (m := _FROM_MOSCOW.fullmatch(text)) is not None:
        return (3 + int(m.group(2)) * (-1 if m.group(1) in _MINUS else 1)) * 60
    if (m := _OFFSET.fullmatch(text)) is not None:
        return (-1 if m.group(1) in _MINUS else 1) * (int(m.group(2)) * 60 + int(m.group(3) or 0))
    if (m := _ETC_OFFSET.fullmatch(text)) is not None:
        return int(m.group(2)) * (60 if m.group(1) == "-" else -60)
    return None


def legacy_zone_note(zone: str) -> str:
    """What to say of a legacy zone read from a cell (``EST``, ``CST6CDT``: :data:`LEGACY_ZONES`); "" else.

    Read as tzdata does (the client's clock may be right), but said: a fixed
    offset keeps no daylight saving, and an abbreviation is likelier a mistake
    than a choice. Whether the zone keeps daylight saving is tzdata's answer,
    not a list: ``EST5EDT`` does, ``EST`` does not.
    """
    city = LEGACY_ZONES.get(zone)
    if city is None:
        return ""
    info = ZoneInfo(zone)
    winter, summer = (info.utcoffset(datetime(2040, month, 1, tzinfo=UTC)) or timedelta() for month in (1, 7))
    if winter == summer:
        minutes = int(winter.total_seconds()) // 60
        kind = f"a fixed offset, {_utc_label(minutes // 60, minutes % 60)} all year without daylight saving"
    else:
        kind = "a legacy rule name, not a place"
    advice = f"write the client's city zone ({city}…) in the CRM"
    return f"a time-zone abbreviation: tzdata's {zone} is {kind}; {advice}"


def _read_zone(name: str) -> tuple[tuple[str, ...], str, bool]:
    """:func:`suggest_zones`' answer, and whether it is what ``name`` says rather than what it looks like."""
    text = " ".join(name.split())
    if not text:
        return (), "", False
    abbreviation = ABBREVIATIONS.get(text.upper())
    if abbreviation is not None:
        return (abbreviation,), "", True
    exact = _folded_zones().get(_fold(text))
    if exact is not None:  # "europe/moscow", "utc", "Europe/Nizhny Novgorod"… written the other way
        return (exact,), "", True
    if (m := _FROM_MOSCOW.fullmatch(text)) is not None:
        step = int(m.group(2)) * (-1 if m.group(1) in _MINUS else 1)
        return (*_by_offset(3 + step, 0), True)
    if (m := _OFFSET.fullmatch(text)) is not None:
        sign = -1 if m.group(1) in _MINUS else 1
        return (*_by_offset(sign * int(m.group(2)), sign * int(m.group(3) or 0)), True)
    if (m := _ETC_OFFSET.fullmatch(text)) is not None:
        return (*_by_offset(int(m.group(2)) * (1 if m.group(1) == "-" else -1), 0), True)
    if _SIGNED_NUMBER.search(text):
        return (), IANA_ADVICE, False
    other = OTHER_CITIES.get(_fold_city(text))
    if other is not None:  # "Астана", "Алма-Ата": a city CLDR does not name a zone after
        return (other,), "", True
    city = _cities().get(_fold(text))
    if city is not None:  # "Moscow", "new york": the place without its area
        return (city,), "", True
    local, exactly = _local_city(text)
    if local is not None:  # "Москва", "Київ": the city as the marketer's language names it
        return (local,), "", exactly
    if _ABBREVIATION_LIKE.fullmatch(text) and (text.isupper() or (text.isascii() and text.islower())):
        # IST, CST, ist: an abbreviation's letters. «Уфа», «Орск», «Sochi» are places, not that.
        return (), f"time-zone abbreviations are ambiguous: {IANA_ADVICE}", False
    transliterated = _transliterated_city(text)
    if transliterated is not None:  # "Europe/Moskva", "Ufa": a Russian name in Latin letters, exactly
        return (transliterated,), "", True
    return _lookalike(text), "", False


def _lookalike(text: str) -> tuple[str, ...]:
    """The IANA name ``text`` looks like, if its city looks like that zone's city too.

    The whole name's similarity alone read ``Europe/Moskva`` as
    ``Europe/Minsk`` and ``Europe/Sankt-Peterburg`` as ``Europe/Luxembourg``,
    the shared area doing most of the work: a city hours away. A place no
    zone is named after gets advice, as its Cyrillic name does.
    """
    import difflib  # a hint for a mistake only

    close = difflib.get_close_matches(text, _lookalikes(), n=1)
    if not close:
        return ()
    written, suggested = (_latin_key(name.rpartition("/")[2]) for name in (text, close[0]))
    alike = difflib.SequenceMatcher(None, written, suggested).ratio()
    return tuple(close) if alike >= LOOKALIKE_CITY_CUTOFF else ()


def _by_offset(hours: int, minutes: int) -> tuple[tuple[str, ...], str]:
    """Zones of exactly UTC ``hours``:``minutes``: Russia's (if one has it), then the ``Etc/`` one."""
    label = _utc_label(hours, minutes)
    if minutes:
        place = _HALF_HOURS.get((hours, minutes))
        if place is None:
            return (), f"no zone name says {label}: write the IANA name of the place (Area/City)"
        return (place,), ""
    if not -12 <= hours <= 14:
        return (), f"no time zone is {label}; {IANA_ADVICE}"
    if hours == 0:
        return ("UTC",), ""
    etc = f"Etc/GMT{-hours:+d}"  # POSIX counts west as positive: Etc/GMT-3 is UTC+3
    russian = _RUSSIAN_BY_OFFSET.get(hours)
    return ((russian, etc) if russian else (etc,)), f"which is {label}: Etc names invert the sign"


def _utc_label(hours: int, minutes: int) -> str:
    """``UTC+03:00``, ``UTC-05:00``: an offset as the warnings write it (``minutes`` signed as ``hours``)."""
    return f"UTC{'+' if (hours, minutes) >= (0, 0) else '-'}{abs(hours):02d}:{abs(minutes):02d}"


def _fold(text: str) -> str:
    return text.replace(" ", "_").casefold()


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones() - {"localtime", "Factory"}))


@lru_cache(maxsize=1)
def _lookalikes() -> tuple[str, ...]:
    """Zones that may be suggested for looking like what was written: none whose name holds an
    offset (``Etc/GMT-3``, ``GMT+0``, ``EST5EDT``), as one digit more or less is hours away."""
    return tuple(zone for zone in _zone_names() if not any(ch.isdigit() for ch in zone))


@lru_cache(maxsize=1)
def _folded_zones() -> dict[str, str]:
    return {_fold(zone): zone for zone in _zone_names()}


#: How alike a misspelt city name must be to one CLDR gives ("Масква" → "Москва": 0.83).
CITY_CUTOFF: Final = 0.8


def _local_city(text: str) -> tuple[str | None, bool]:
    """The zone of a city named in a language other than English ("Москва", "Київ"), or None; and
    whether the name was exact.

    Exact names first in every language the name may be in (Russian first);
    then a close misspelling, among the names of the languages read. ASCII
    text is English's business (:func:`_cities`, difflib over IANA names).
    """
    if text.isascii():
        return None, False
    from greeter.countries import name_languages

    key = _fold_city(text)
    read: dict[str, str] = {}
    for language in name_languages(text):
        names = _city_names(language)
        if key in names:
            return names[key], True
        for name, zone in names.items():
            read.setdefault(name, zone)
    import difflib

    close = difflib.get_close_matches(key, list(read), n=1, cutoff=CITY_CUTOFF)
    return (read[close[0]] if close else None), False


def _fold_city(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold().replace("ё", "е")


@lru_cache(maxsize=32)
def _city_names(language: str) -> dict[str, str]:
    """CLDR's city of each zone in ``language`` (folded) → the zone zoneinfo knows it by.

    CLDR may call a zone by a name zoneinfo lacks (an older or newer one:
    "Europe/Kyiv" and "Europe/Kiev"); Babel's zone aliases give the other.
    A city two zones share in that language is left out (no guessing). Russian's also holds
    the cities CLDR names no zone after (:data:`greeter.russian_cities.CITIES_BY_ZONE`:
    «Уфа», «Казань»), so they are read, misspelt and transliterated as CLDR's are.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        zones = Locale.parse(language).time_zones
    except (UnknownLocaleError, ValueError):
        return {}
    aliases: dict[str, list[str]] = {}
    for alias, target in get_global("zone_aliases").items():
        aliases.setdefault(target, []).append(alias)
    available = frozenset(_zone_names())  # not is_zone(): ZoneInfo reads a file per name
    seen: dict[str, set[str]] = {}
    for zone, names in zones.items():
        city = names.get("city")
        known = next((z for z in (zone, *aliases.get(zone, ())) if z in available), None)
        if city and known is not None:
            seen.setdefault(_fold_city(city), set()).add(known)
    if language.partition("_")[0].partition("-")[0].casefold() == "ru":
        from greeter.russian_cities import CITIES_BY_ZONE

        for zone, cities in CITIES_BY_ZONE.items():
            for city in cities:
                seen.setdefault(_fold_city(city), set()).add(zone)
    return {city: next(iter(zones)) for city, zones in seen.items() if len(zones) == 1}


#: How alike the city of a misspelt IANA name must be to the suggested zone's ("Moskow" → "Moscow":
#: 0.83, "Kief" → "Kiev": 0.75; "Moskva" → "Minsk": 0.55, "Tjumen" → "Tehran": 0.5).
LOOKALIKE_CITY_CUTOFF: Final = 0.7

#: Russian Cyrillic → Latin letters, the way Russian place names are usually written in Latin
#: (BGN/PCGN-like). Only for comparing: :data:`_LATIN_VARIANTS` folds the other usual spellings.
_RUSSIAN_TO_LATIN: Final = str.maketrans(
    {
        **dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziyklmnoprstufye", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya"},
        **{"ъ": "", "ь": ""},
    }
)
#: Spellings of one Russian sound that transliterations differ in, folded to one: Jakutsk and
#: Yakutsk, Jekaterinburg, Yekaterinburg and Ekaterinburg, Moskwa and Moskva, Vladivostock,
#: Astrahan, Kamchatsky and Kamchatskiy. In order: "j" becomes "y" before "ye" becomes "e".
_LATIN_VARIANTS: Final = (
    ("j", "y"),
    ("w", "v"),
    ("ck", "k"),
    ("x", "ks"),
    ("kh", "h"),
    ("tz", "ts"),
    ("ye", "e"),
    ("yo", "e"),
    ("yy", "y"),
    ("iy", "i"),
    ("ii", "i"),
)


def _latin_key(text: str) -> str:
    """``text`` (Latin letters, or Russian transliterated) as compared: letters only, variants folded."""
    key = "".join(ch for ch in text.casefold().translate(_RUSSIAN_TO_LATIN) if ch.isalpha())
    for variant, usual in _LATIN_VARIANTS:
        key = key.replace(variant, usual)
    return key[:-1] + "i" if key.endswith("y") else key  # Kamchatsky, Kamchatskiy: Kamchatski


def _transliterated_city(text: str) -> str | None:
    """The zone whose city CLDR names in Russian as ``text``'s city is written in Latin letters, or None.

    ``Europe/Moskva``, ``Ekaterinburg``, ``Asia/Jakutsk``: what a Russian
    speaker types from the name they know. Read from the same CLDR names as
    :func:`_local_city` (no list of cities kept here), transliterated, both
    sides folded by :func:`_latin_key`; only an exact match (after folding),
    and only a key one zone has.
    """
    if not text.isascii():
        return None
    return _russian_latin_cities().get(_latin_key(text.rpartition("/")[2]))


@lru_cache(maxsize=1)
def _russian_latin_cities() -> dict[str, str]:
    """:func:`_city_names` of Russian, keyed by :func:`_latin_key`; a key two zones share is left out."""
    seen: dict[str, set[str]] = {}
    for city, zone in _city_names("ru").items():
        seen.setdefault(_latin_key(city), set()).add(zone)
    return {key: next(iter(zones)) for key, zones in seen.items() if len(zones) == 1 and key}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Last part of each ``Area/City`` zone → the zone; a city in several areas is left out."""
    seen: dict[str, list[str]] = {}
    for zone in _zone_names():
        area, _, city = zone.rpartition("/")
        if area and area not in ("Etc", "SystemV") and city:
            seen.setdefault(_fold(city), []).append(zone)
    return {city: zones[0] for city, zones in seen.items() if len(zones) == 1}
