"""A client's time zone from their country, when the row names no zone — pure.

Why: a Hungarian client whose time-zone cell is empty got ``defaults.timezone``
(Europe/Moscow), and their letters left an hour or two before their working
day. A country that keeps one time (Hungary, Serbia, Estonia; Germany, whose
Büsingen has a zone of its own but the same clock) has one answer; one with
several (Russia, the USA) has none, and the default stays — ``greeter check``
says so once per country (:func:`zones_of`).

The countries' zones are the time-zone database's own ``zone.tab`` (the
system's ``/usr/share/zoneinfo``, else the ``tzdata`` package's), so no list
is kept here. Two zones keep "the same time" when their UTC offsets agree
through a year of their current rules: Kazakhstan has been one time since
2024, whatever its seven zones' history.

The other way round (:func:`zone_country`): a row with a zone but no country
(many CRMs keep only the zone) is in the one country ``zone.tab`` lists that
zone for — Europe/Tallinn is Estonia, so the client gets Estonia's days off,
not ``defaults.country``'s Russian New Year break.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from greeter.ru_regions import region_zone
from greeter.subdivision_zones import subdivision_zone, subdivision_zones

#: A year after every transition the database knows of: its offsets are the zones' current rules.
_RULES_YEAR = 2040
#: Moments the offsets are compared at: every week of that year (any daylight-saving change shows).
_MOMENTS = tuple(datetime(_RULES_YEAR, 1, 1, 12, tzinfo=UTC) + timedelta(weeks=w) for w in range(53))


#: The zone a country's list starts with where ``zone.tab`` lists another first: the capital's,
#: which is also where most of its people live. The file orders a country's zones by geography,
#: not by where its people live: Uzbekistan's first is Asia/Samarkand ("Uzbekistan (west)"), so
#: ``init --country UZ`` wrote it into an Uzbek office's config and every Tashkent client whose row
#: names no zone was labelled with a city they are not in; Ukraine's first is Europe/Simferopol
#: (Crimea, on Moscow time all year), an hour off Kyiv's clock every winter. No data source names a
#: country's main zone for every country (CLDR's ``primaryZones`` covers only countries whose
#: zones share one clock, and Babel does not ship it), so the list is kept here; every country
#: ``zone.tab`` gives several zones is checked against it by the tests (``tests/test_zone_country.py``
#: pins each such country's first zone: a new tzdata that adds one fails there until it is looked at).
#: A name per country, with the older spelling a system's database may still have (Europe/Kiev).
_CAPITAL_ZONES: dict[str, tuple[str, ...]] = {
    "AU": ("Australia/Sydney",),  # not Lord Howe Island; Canberra and Sydney keep Sydney's clock
    "BR": ("America/Sao_Paulo",),  # not the Atlantic islands (Noronha): Brasília's time
    "CA": ("America/Toronto",),  # not Newfoundland: Ottawa and Toronto
    "RU": ("Europe/Moscow",),  # not Kaliningrad
    "UA": ("Europe/Kyiv", "Europe/Kiev"),  # not Crimea (Europe/Simferopol, Moscow time)
    "UZ": ("Asia/Tashkent",),  # not Samarkand
}

#: What a machine without any time-zone database is told (greeter.cli): an install, not a bug.
NO_ZONE_DATABASE = (
    "no time-zone database: zoneinfo finds not even UTC (no /usr/share/zoneinfo, no tzdata package);"
    " install one: pip install tzdata in greeter's environment, or the system's tzdata package"
)


def zone_database_missing() -> bool:
    """Whether zoneinfo finds no zone at all, not even UTC: no system database, no ``tzdata`` package.

    Why: a slim container or a ``pip install --no-deps`` has neither, and every
    command then failed on its first zone as "internal error … a bug in
    greeter". One zone missing where UTC is found stays a bug: validation
    should have caught that name first.
    """
    try:
        ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        return True
    return False


#: Brazil's states (ISO 3166-2:BR, after "BR-") → the IANA zone of their clients whose row names
#: none. Why: a São Paulo office's clients in BR-SP, BR-MG, BR-BA were warned «have no time zone, and
#: BR has several» and timed in defaults.timezone, though a state keeps one clock. From tzdata's
#: zone1970.tab comments (America/Fortaleza "MA, PI, CE, RN, PB", America/Sao_Paulo "GO, DF, MG,
#: ES, RJ, SP, PR, SC, RS", America/Maceio "Alagoas, Sergipe"…). Pará's two zones (Belem, Santarem)
#: keep one clock: its capital's. Left out: Amazonas (AM), two clocks (Manaus UTC-4, Eirunepe
#: UTC-5); Pernambuco's Fernando de Noronha (UTC-2) is a few thousand people beside Recife's millions.
BR_STATE_ZONES: Final[Mapping[str, str]] = {
    "AC": "America/Rio_Branco",
    "AL": "America/Maceio",
    "AP": "America/Belem",
    "BA": "America/Bahia",
    "CE": "America/Fortaleza",
    "DF": "America/Sao_Paulo",
    "ES": "America/Sao_Paulo",
    "GO": "America/Sao_Paulo",
    "MA": "America/Fortaleza",
    "MG": "America/Sao_Paulo",
    "MS": "America/Campo_Grande",
    "MT": "America/Cuiaba",
    "PA": "America/Belem",
    "PB": "America/Fortaleza",
    "PE": "America/Recife",
    "PI": "America/Fortaleza",
    "PR": "America/Sao_Paulo",
    "RJ": "America/Sao_Paulo",
    "RN": "America/Fortaleza",
    "RO": "America/Porto_Velho",
    "RR": "America/Boa_Vista",
    "RS": "America/Sao_Paulo",
    "SC": "America/Sao_Paulo",
    "SE": "America/Maceio",
    "SP": "America/Sao_Paulo",
    "TO": "America/Araguaina",
}


@lru_cache(maxsize=512)
def country_zone(country: str | None) -> str | None:
    """The IANA zone of a client in ``country`` (ISO code, a region too: "GB-ENG"), or None.

    None for no country, a country the database does not list, and one
    whose zones keep different times (then the caller's default applies).
    The zone is the country's main one: its capital's (:data:`_CAPITAL_ZONES`), else the first
    ``zone.tab`` lists for it; ``init --country`` writes the same (:func:`zones_of`'s first).
    A Russian region ("RU-BA", a contact's country cell where the config
    declares its days off) has the zone of :data:`greeter.ru_regions.RU_REGION_ZONES`, a
    Brazilian state ("BR-SP") that of :data:`BR_STATE_ZONES`, another region of a country of
    several clocks its own (:func:`greeter.subdivision_zones.subdivision_zone`: "AU-SA" →
    Australia/Adelaide, "US-HI" → Pacific/Honolulu; None for one of two clocks, "US-TX").
    """
    if not country:
        return None
    if country.startswith("RU-"):  # a declared region (Bashkortostan): its own clock, not Russia's eleven
        return region_zone(country)
    if country.upper().startswith("BR-"):  # a state (BR-SP): its own clock, not Brazil's four
        return BR_STATE_ZONES.get(country.upper()[3:])
    if "-" in country and subdivision_zones(country):  # AU-SA: Adelaide, not Australia's twelve
        return subdivision_zone(country)  # None for a split region (US-TX): check names it
    zones = zones_of(country)
    if not zones or not same_time(zones):
        return None
    return zones[0]


@lru_cache(maxsize=512)
def zone_country(zone: str | None) -> str | None:
    """The one country ``zone.tab`` lists ``zone`` for ("Europe/Tallinn" → "EE"), or None.

    None for a zone of no country (UTC, Etc/GMT-3, a legacy name like
    "Europe/Kiev" the file lists under its new one) and for one listed for
    several countries: a guess there would give a client the wrong days off,
    which the default at least says it does.
    """
    if not zone:
        return None
    countries = _countries_by_zone().get(zone, ())
    return countries[0] if len(countries) == 1 else None


def countries_by_zone(table: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``zone.tab``'s table turned round: each zone → the countries that list it, in code order."""
    found: dict[str, list[str]] = {}
    for code in sorted(table):
        for zone in table[code]:
            found.setdefault(zone, []).append(code)
    return {zone: tuple(codes) for zone, codes in found.items()}


@cache
def _countries_by_zone() -> dict[str, tuple[str, ...]]:
    return countries_by_zone(_table())


#: How far back a UTC offset written in a CRM is taken for a country's old time: cells outlive
#: clock changes (Kazakhstan's UTC+6, until 1 March 2024), not by decades.
_HISTORY_FROM = datetime(2000, 1, 1, 12, tzinfo=UTC)


@lru_cache(maxsize=256)
def offset_zone(country: str, minutes: int) -> tuple[str, str] | None:
    """The zone of ``country`` a UTC offset of ``minutes`` means there, and a note if it is stale; or None.

    Why: ``UTC+6`` for a client in Kazakhstan was read by its clock alone, as
    Russia's Asia/Omsk — an hour off since Kazakhstan went to UTC+5, and "write
    Asia/Omsk in the CRM" for a client in Almaty. In the client's country the
    offset means the country's zone that keeps it now (note ""), the first
    ``zone.tab`` lists; if its zones of that offset keep different clocks
    (the USA's UTC-5 in winter and summer), it says no one zone: None. Else
    the zone that had the offset last since 2000 (the CRM's cell is older than
    the change), read as that zone's clock now, with a note saying until when.
    None: the country never had it, or has no zones in the database.
    """
    zones = zones_of(country)
    offset = timedelta(minutes=minutes)
    now = tuple(z for z in zones if any(ZoneInfo(z).utcoffset(m) == offset for m in _MOMENTS))
    if now:
        return (now[0], "") if same_time(now) else None
    last: tuple[datetime, str] | None = None
    for zone in zones:
        had = _last_had(zone, offset)
        if had is not None and (last is None or had > last[0]):
            last = (had, zone)
    if last is None:
        return None
    had, zone = last
    single = country_zone(country)
    current = single or zone
    until = had + timedelta(days=1)
    now_at = _utc(ZoneInfo(current).utcoffset(_MOMENTS[0]) or timedelta())
    before = f"{_country_name(country)}'s time before {_day(until)}, {zone}'s"
    return current, f"{_utc(offset)} is {before}; it is {now_at} now"


def _last_had(zone: str, offset: timedelta) -> datetime | None:
    """The last noon (UTC) since :data:`_HISTORY_FROM` ``zone`` was at ``offset``, or None."""
    info = ZoneInfo(zone)
    week = timedelta(weeks=1)
    moment, found = _HISTORY_FROM, None
    while moment < _MOMENTS[0]:
        if info.utcoffset(moment) == offset:
            found = moment
        moment += week
    if found is None:
        return None
    while info.utcoffset(found + timedelta(days=1)) == offset and found < _MOMENTS[0]:
        found += timedelta(days=1)
    return found


def _utc(offset: timedelta) -> str:
    """``UTC+06:00``: as :mod:`greeter.timezones` writes an offset."""
    minutes = int(offset.total_seconds()) // 60
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _day(moment: datetime) -> str:
    """``1 March 2024``."""
    from babel import Locale

    return f"{moment.day} {Locale('en').months['format']['wide'][moment.month]} {moment.year}"


def _country_name(country: str) -> str:
    """``Kazakhstan``: the English name of a country code (a region's country's), else the code."""
    from babel import Locale

    code = country.partition("-")[0].upper()
    return str(Locale("en").territories.get(code, code))


def zones_of(country: str) -> tuple[str, ...]:
    """The database's zones of ``country`` ("RU" → Europe/Kaliningrad, Europe/Moscow, …); region codes too."""
    return _table().get(country.partition("-")[0].upper(), ())


def same_time(zones: tuple[str, ...]) -> bool:
    """Whether ``zones`` keep one clock: their UTC offsets agree every week of a year of current rules."""
    first, *others = (ZoneInfo(z) for z in zones)
    return all(other.utcoffset(m) == first.utcoffset(m) for other in others for m in _MOMENTS)


@cache
def _table() -> dict[str, tuple[str, ...]]:
    """``zone.tab`` as country code → its zones, in the file's order (but :data:`_CAPITAL_ZONES` first)."""
    found: dict[str, list[str]] = {}
    for line in _zone_tab().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone, *_ = line.split("\t")
        found.setdefault(code, []).append(zone)
    for code, names in _CAPITAL_ZONES.items():
        zones = found.get(code, [])
        capital = next((name for name in names if name in zones), None)
        if capital is not None:
            zones.insert(0, zones.pop(zones.index(capital)))
    return {code: tuple(zones) for code, zones in found.items()}


def _zone_tab() -> str:
    """The text of ``zone.tab``: the system's (where zoneinfo looks first), else the tzdata package's."""
    try:
        return Path("/usr/share/zoneinfo/zone.tab").read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        from importlib.resources import files

        return files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return ""
