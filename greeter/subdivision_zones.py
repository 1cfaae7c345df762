"""Regions (ISO 3166-2 subdivisions) of countries of several clocks and their zones, both ways — pure.

Why: a contact in ``AU-SA`` with an empty time-zone cell was timed in
``defaults.timezone`` (London) and warned "AU has several time zones",
though South Australia keeps one clock; and a contact in ``Pacific/Honolulu``
under plain ``US`` (or no country) got the USA's country-wide days off, so
letters went out on Kamehameha Day, a day off in Hawaii only — the zone said
which region, and nothing read it. This module answers both questions:

- :func:`subdivision_zone`: the zone of a region's clients whose row names
  none (``AU-SA`` → Australia/Adelaide, ``US-HI`` → Pacific/Honolulu);
- :func:`zone_region`: the one region of a country a zone belongs to
  (Pacific/Honolulu → ``US-HI``, Pacific/Chatham → ``NZ-CIT``,
  Australia/Lord_Howe → ``AU-NSW``), or None where several fit
  (Australia/Sydney: New South Wales and the ACT).

Why a table here: no data installed with greeter maps subdivisions to zones.
tzdata's ``zone.tab`` gives each zone one country and an English comment that
names a region only for the zones that are exceptions ("Eastern - MI (most
areas)", "Hawaii"): the zones most people keep say "Eastern (most areas)",
"Central (most areas)", "Pacific" — which of the USA's states are on them it
does not say; Babel (CLDR) and pycountry have no zones of subdivisions. So
the regions are listed by hand, per zone, for the countries whose zones keep
different clocks and whose regions the holidays library has calendars of
(Russia's and Brazil's are :mod:`greeter.ru_regions` and
:data:`greeter.country_zones.BR_STATE_ZONES`). ``tests/test_subdivision_zones.py``
checks the table against the data: every key a region the holidays library
has, every zone one ``zone.tab`` lists for the country (or its territory's
code), every zone of the country placed, and every region ``zone.tab``'s
comment names for a zone listed under that zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Final

__all__ = ["POCKETS", "REGION_ZONES", "subdivision_zone", "subdivision_zones", "zone_region"]

#: Each country's zones → the regions (ISO 3166-2, after "CC-"; as the holidays library codes them)
#: whose people keep that zone's clock; "*": the country's other regions (the library's list). A
#: region under zones of different clocks is split (US-TX: El Paso keeps Mountain time, Dallas
#: Central): it gets no zone, and ``greeter check`` names it. Several zones of one clock (Queensland's
#: Brisbane and Lindeman) give the region the first. Territories the library keeps under US (US-PR)
#: have the zone ``zone.tab`` lists for their own code (PR).
REGION_ZONES: Final[Mapping[str, Mapping[str, str]]] = {
    "AU": {
        "Australia/Sydney": "ACT NSW",
        "Australia/Melbourne": "VIC",
        "Australia/Brisbane": "QLD",
        "Australia/Lindeman": "QLD",
        "Australia/Adelaide": "SA",
        "Australia/Darwin": "NT",
        "Australia/Perth": "WA",
        "Australia/Hobart": "TAS",
    },
    "CA": {
        "America/St_Johns": "NL",
        "America/Halifax": "NS PE",
        "America/Glace_Bay": "NS",
        "America/Moncton": "NB",
        "America/Toronto": "ON QC",
        "America/Iqaluit": "NU",
        "America/Rankin_Inlet": "NU",
        "America/Resolute": "NU",
        "America/Cambridge_Bay": "NU",
        "America/Winnipeg": "MB",
        "America/Regina": "SK",
        "America/Swift_Current": "SK",
        "America/Edmonton": "AB NT",
        "America/Inuvik": "NT",
        "America/Vancouver": "BC",
        "America/Whitehorse": "YT",
        "America/Dawson": "YT",
    },
    "CL": {
        "America/Santiago": "*",
        "America/Coyhaique": "AI",
        "America/Punta_Arenas": "MA",
    },
    "ES": {
        "Europe/Madrid": "*",
        "Africa/Ceuta": "CE ML",
        "Atlantic/Canary": "CN",
    },
    "FM": {
        "Pacific/Chuuk": "TRK YAP",
        "Pacific/Pohnpei": "PNI",
        "Pacific/Kosrae": "KSA",
    },
    "NZ": {
        "Pacific/Auckland": "*",
        "Pacific/Chatham": "CIT",
    },
    "PT": {
        "Europe/Lisbon": "*",
        "Atlantic/Azores": "20",
        "Atlantic/Madeira": "30",
    },
    "US": {
        "America/New_York": "CT DC DE FL GA KY MA MD ME NC NH NJ NY OH PA RI SC TN VA VT WV",
        "America/Detroit": "MI",
        "America/Kentucky/Louisville": "KY",
        "America/Kentucky/Monticello": "KY",
        "America/Indiana/Indianapolis": "IN",
        "America/Indiana/Vincennes": "IN",
        "America/Indiana/Winamac": "IN",
        "America/Indiana/Marengo": "IN",
        "America/Indiana/Petersburg": "IN",
        "America/Indiana/Vevay": "IN",
        "America/Chicago": "AL AR FL IA IL IN KS KY LA MN MO MS ND NE OK SD TN TX WI",
        "America/Indiana/Tell_City": "IN",
        "America/Indiana/Knox": "IN",
        "America/North_Dakota/Center": "ND",
        "America/North_Dakota/New_Salem": "ND",
        "America/North_Dakota/Beulah": "ND",
        "America/Denver": "CO ID MT NM SD TX UT WY",
        "America/Boise": "ID",
        "America/Phoenix": "AZ",
        "America/Los_Angeles": "CA ID NV OR WA",
        "America/Anchorage": "AK",
        "America/Juneau": "AK",
        "America/Sitka": "AK",
        "America/Metlakatla": "AK",
        "America/Yakutat": "AK",
        "America/Nome": "AK",
        "Pacific/Honolulu": "HI",
        "America/Puerto_Rico": "PR",
        "America/St_Thomas": "VI",
        "Pacific/Guam": "GU",
        "Pacific/Saipan": "MP",
        "Pacific/Pago_Pago": "AS",
    },
}

#: A region's pockets: zones of another clock where few of its people live — an island, a town, a
#: few rural counties. The region keeps its main zone (above), as Pernambuco keeps Recife's beside
#: Fernando de Noronha (:data:`greeter.country_zones.BR_STATE_ZONES`), and a pocket's zone is still
#: the region's for :func:`zone_region` (Australia/Lord_Howe → AU-NSW). A second clock with a city
#: of its own (El Paso, Pensacola, Evansville, Rapid City, Coeur d'Alene) splits a region instead
#: (:data:`REGION_ZONES`). Not here: US-UM, the Minor Outlying Islands (Midway, Wake: no main zone).
POCKETS: Final[Mapping[str, tuple[str, ...]]] = {
    "AU-NSW": ("Australia/Broken_Hill", "Australia/Lord_Howe"),  # Yancowinna county; Lord Howe Island
    "AU-TAS": ("Antarctica/Macquarie",),  # Macquarie Island
    "AU-WA": ("Australia/Eucla",),  # a roadhouse town on the border
    "CA-BC": ("America/Edmonton", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson"),
    "CA-NL": ("America/Goose_Bay",),  # Labrador, some 25,000 of the province's 540,000
    "CA-NU": ("America/Atikokan",),  # Coral Harbour (NU is split anyway: four clocks)
    "CA-ON": ("America/Winnipeg", "America/Atikokan"),  # Kenora and Rainy River, Atikokan
    "CA-QC": ("America/Blanc-Sablon", "America/Halifax"),  # the Lower North Shore; Magdalen Islands
    "CA-SK": ("America/Edmonton",),  # Lloydminster
    "CL-VS": ("Pacific/Easter",),  # Easter Island
    "US-AK": ("America/Adak",),  # the western Aleutians
    "US-AZ": ("America/Denver",),  # the Navajo Nation keeps daylight saving
    "US-KS": ("America/Denver",),  # four western counties
    "US-MI": ("America/Menominee",),  # four counties on the Wisconsin border
    "US-ND": ("America/Denver",),  # the south-west's rural counties
    "US-NE": ("America/Denver",),  # the panhandle's rural counties
    "US-OR": ("America/Boise",),  # Malheur County
}


@cache
def _main_zones(country: str) -> dict[str, tuple[str, ...]]:
    """Each region of ``country`` ("AU-SA") → the zones its people keep (:data:`REGION_ZONES`), in the
    table's order; empty for a country not in the table.

    Per country: a "*" row asks the holidays library for the country's regions, and importing it
    costs ~55 ms (with ``importlib.metadata``) that a run whose contacts are elsewhere — the
    Russian sample's — must not pay (``tests/test_startup_imports.py``).
    """
    zones = REGION_ZONES.get(country)
    if zones is None:
        return {}
    named = {f"{country}-{r}" for regions in zones.values() for r in regions.split() if r != "*"}
    found: dict[str, list[str]] = {}
    for zone, regions in zones.items():
        codes = [f"{country}-{r}" for r in regions.split() if r != "*"]
        if "*" in regions.split():
            from greeter.countries import regions_of

            codes += [code for code in regions_of(country) if code not in named]
        for code in codes:
            found.setdefault(code, []).append(zone)
    return {code: tuple(zones) for code, zones in found.items()}


def subdivision_zones(code: str) -> tuple[str, ...]:
    """Every zone of region ``code`` ("US-TX" → America/Chicago, America/Denver), its main ones first.

    Empty for a region not in :data:`REGION_ZONES` (a country of one clock's, Russia's, a code
    the table does not know): the caller falls back to the country's zones.
    """
    code = code.upper()
    return _main_zones(code.partition("-")[0]).get(code, ()) + POCKETS.get(code, ())


@lru_cache(maxsize=256)
def subdivision_zone(code: str) -> str | None:
    """The zone of a client in region ``code`` whose row names none ("AU-SA" → Australia/Adelaide), or None.

    None for a region not in :data:`REGION_ZONES` and a split one, whose main zones keep different
    clocks (US-TX): the caller's default applies, and ``greeter check`` names the region.
    """
    from greeter.country_zones import same_time

    code = code.upper()
    main = _main_zones(code.partition("-")[0]).get(code, ())
    return main[0] if main and same_time(main) else None


@cache
def _regions_by_zone(country: str) -> dict[str, tuple[str, ...]]:
    """Zone → the regions of ``country`` that zone is a zone of, main or pocket."""
    found: dict[str, list[str]] = {}
    for code, zones in _main_zones(country).items():
        for zone in zones + POCKETS.get(code, ()):
            found.setdefault(zone, []).append(code)
    return {zone: tuple(sorted(set(codes))) for zone, codes in found.items()}


@lru_cache(maxsize=256)
def zone_region(country: str, zone: str) -> str | None:
    """The one region of ``country`` whose clients keep ``zone`` ("US", Pacific/Honolulu → "US-HI"), or None.

    None where several regions keep it (Australia/Sydney: AU-NSW and AU-ACT; America/Chicago), for
    a zone not of the country, and for a country not in :data:`REGION_ZONES`. A guess there would
    give the client another region's days off; the country's own at least say they are the
    country's (``greeter check`` warns).
    """
    regions = _regions_by_zone(country.upper()).get(zone, ())
    return regions[0] if len(regions) == 1 else None
