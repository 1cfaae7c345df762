"""A region's zone and a zone's region (greeter.subdivision_zones): pure, against the real data.

Found by a head of sales auditing a year across odd time zones: a contact in ``AU-SA`` with an
empty zone cell was timed in London («AU has several time zones», though the row said AU-SA), and
one in Pacific/Honolulu under ``US`` (or no country) got the USA's country-wide days off — a letter
on Kamehameha Day. The table is checked here against tzdata's ``zone.tab`` and the holidays
library's regions, so a new tzdata or library version that moves a zone fails here until looked at.
"""

from __future__ import annotations

import re

import pycountry
import pytest

from greeter.countries import regions_of
from greeter.country_zones import _zone_tab, country_zone, same_time, zones_of
from greeter.region_names import name_key
from greeter.sources.zone_cells import region_by_zone
from greeter.subdivision_zones import POCKETS, REGION_ZONES, subdivision_zone, subdivision_zones, zone_region

#: The regions with zones of different clocks, each with a city on the second: no zone of their own.
SPLIT = {"CA-NU", "US-FL", "US-ID", "US-IN", "US-KY", "US-SD", "US-TN", "US-TX"}


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("AU-SA", "Australia/Adelaide"),
        ("AU-NSW", "Australia/Sydney"),  # Broken Hill and Lord Howe Island are pockets
        ("AU-ACT", "Australia/Sydney"),
        ("AU-QLD", "Australia/Brisbane"),
        ("au-wa", "Australia/Perth"),  # any case, as the contacts' cell
        ("US-HI", "Pacific/Honolulu"),
        ("US-NY", "America/New_York"),
        ("US-CA", "America/Los_Angeles"),
        ("US-AZ", "America/Phoenix"),
        ("US-MI", "America/Detroit"),
        ("US-AK", "America/Anchorage"),
        ("US-PR", "America/Puerto_Rico"),  # a territory: its own code's zone in zone.tab
        ("CA-NL", "America/St_Johns"),  # Labrador's Goose Bay is a pocket
        ("CA-ON", "America/Toronto"),
        ("CA-BC", "America/Vancouver"),
        ("CA-NT", "America/Edmonton"),  # Inuvik keeps the same clock
        ("NZ-CIT", "Pacific/Chatham"),
        ("NZ-AUK", "Pacific/Auckland"),  # "*": the country's other regions
        ("ES-CN", "Atlantic/Canary"),
        ("ES-MD", "Europe/Madrid"),
        ("PT-30", "Atlantic/Madeira"),
        ("CL-MA", "America/Punta_Arenas"),
        ("US-TX", None),  # El Paso keeps Mountain time
        ("CA-NU", None),  # four clocks
        ("US-UM", None),  # not in the table: Midway and Wake, no main zone
        ("US", None),  # a country of several clocks, as before
        ("AU", None),
        ("DE-BY", "Europe/Berlin"),  # a country of one clock: its zone, as before
        ("BR-SP", "America/Sao_Paulo"),  # Brazil's and Russia's own tables, as before
        ("RU-BA", "Asia/Yekaterinburg"),
    ],
)
def test_a_region_s_clients_get_its_zone(code: str, zone: str | None) -> None:
    assert country_zone(code) == zone


@pytest.mark.parametrize(
    ("country", "zone", "region"),
    [
        ("US", "Pacific/Honolulu", "US-HI"),
        ("US", "America/Detroit", "US-MI"),
        ("US", "America/Menominee", "US-MI"),  # a pocket is still its region's
        ("US", "America/Indiana/Knox", "US-IN"),  # a split region's zone of its own
        ("US", "America/Puerto_Rico", "US-PR"),
        ("US", "America/New_York", None),  # many states
        ("US", "America/Boise", None),  # Idaho's, and Oregon's Malheur County
        ("US", "Europe/London", None),  # not a zone of the country
        ("NZ", "Pacific/Chatham", "NZ-CIT"),
        ("NZ", "Pacific/Auckland", None),
        ("AU", "Australia/Adelaide", "AU-SA"),
        ("AU", "Australia/Lord_Howe", "AU-NSW"),
        ("AU", "Australia/Broken_Hill", "AU-NSW"),
        ("AU", "Australia/Sydney", None),  # New South Wales and the ACT
        ("CA", "America/St_Johns", "CA-NL"),
        ("CA", "America/Winnipeg", None),  # Manitoba and western Ontario
        ("ES", "Atlantic/Canary", "ES-CN"),
        ("ES", "Africa/Ceuta", None),  # Ceuta and Melilla
        ("PT", "Atlantic/Azores", "PT-20"),
        ("GB", "Europe/London", None),  # a country not in the table
        ("us", "Pacific/Honolulu", "US-HI"),
    ],
)
def test_a_zone_of_one_region_names_it(country: str, zone: str, region: str | None) -> None:
    assert zone_region(country, zone) == region


@pytest.mark.parametrize(
    ("zone", "country", "default_country", "default_zone", "region"),
    [
        ("Pacific/Honolulu", "US", "GB-ENG", "Europe/London", "US-HI"),  # the row's country, refined
        ("Pacific/Honolulu", None, "US", "America/New_York", "US-HI"),  # the default's country
        ("Pacific/Honolulu", None, "US-NY", "America/New_York", "US-HI"),  # …and its region is not Hawaii
        ("Pacific/Honolulu", None, None, "America/New_York", "US-HI"),  # defaults.timezone's country
        ("America/New_York", None, "US-NY", "America/New_York", None),  # the default stands
        ("Australia/Adelaide", None, "AU-SA", "Australia/Adelaide", None),  # the default already
        ("Pacific/Honolulu", "US-CA", "GB-ENG", "Europe/London", None),  # the row's region wins
        ("Australia/Adelaide", "AU-NSW", None, "Europe/London", None),
        ("Pacific/Chatham", "NZ", None, "Europe/London", "NZ-CIT"),
        ("Australia/Sydney", "AU", None, "Europe/London", None),  # two regions fit
        ("Europe/London", "GB", None, "Europe/London", None),
        ("Pacific/Honolulu", None, None, None, None),  # no country anywhere
    ],
)
def test_a_row_s_zone_refines_its_country_to_a_region(
    zone: str, country: str | None, default_country: str | None, default_zone: str | None, region: str | None
) -> None:
    assert region_by_zone(zone, country, default_country, default_zone) == region


def test_every_region_is_the_holidays_library_s_and_every_zone_zone_tab_s() -> None:
    for country, zones in REGION_ZONES.items():
        library = set(regions_of(country))
        for zone, regions in zones.items():
            for region in regions.split():
                assert region == "*" or f"{country}-{region}" in library, (country, region)
            # the country's zone, or (US-PR) its territory's own code's in zone.tab
            assert zone in zones_of(country) or any(zone in zones_of(r) for r in regions.split()), zone
    for code, pockets in POCKETS.items():
        assert code in set(regions_of(code.partition("-")[0])), code
        assert set(pockets) <= set(zones_of(code)), code
        assert code in {code for code in _placed() if subdivision_zones(code)[0] not in pockets}, code


def _placed() -> set[str]:
    return {code for country in REGION_ZONES for code in regions_of(country) if subdivision_zones(code)}


def test_every_zone_of_a_country_is_some_region_s() -> None:
    """A zone zone.tab lists for a country the table leaves out would make its region's look single."""
    for country in REGION_ZONES:
        placed = {zone for code in regions_of(country) for zone in subdivision_zones(code)}
        assert set(zones_of(country)) <= placed, (country, set(zones_of(country)) - placed)


def test_every_iso_region_has_its_zone_but_the_split_ones() -> None:
    """Each ISO 3166-2 region the library has of these countries resolves, bar those of two clocks."""
    for country in REGION_ZONES:
        for code in regions_of(country):
            if pycountry.subdivisions.get(code=code) is None:  # type: ignore[no-untyped-call]
                continue  # the library's own areas ("NZ-South Canterbury"): not a CRM's code
            if code in SPLIT or code == "US-UM":
                assert subdivision_zone(code) is None, code
                continue
            zone = subdivision_zone(code)
            assert zone is not None, code
            main = tuple(z for z in subdivision_zones(code) if z not in POCKETS.get(code, ()))
            assert same_time(main), code


def test_the_regions_zone_tab_s_comments_name_are_under_their_zone() -> None:
    """zone.tab names a region for some zones ("Eastern - MI (most areas)", "Hawaii", "Atlantic - NS
    (most areas), PE"): each region so named, by its code or its ISO 3166-2 name, has that zone
    (outside brackets: "Central - MI (Wisconsin border)" is Michigan's)."""
    checked = 0
    for line in _zone_tab().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _, zone, *rest = line.split("\t")
        if country not in REGION_ZONES or not rest:
            continue
        comment = re.sub(r"\([^)]*\)", "", rest[0])  # "(Wisconsin border)" names no region of the zone
        for code in regions_of(country):
            region = code.partition("-")[2]
            found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
            named = found is not None and name_key(str(found.name)) in name_key(comment)
            if re.search(rf"\b{re.escape(region)}\b", comment) or named:
                assert zone in subdivision_zones(code), (zone, comment, code)
                checked += 1
    assert checked >= 30  # the comments do name regions: the check is not vacuous
