"""A contact row's time-zone cell read: the zone its letters are timed in, and what to tell the admin.

Split from :mod:`greeter.sources.rows` (the row parser): a zone cell's
reading depends on its text alone (zoneinfo's names, CLDR's city names, the
config's own reading of ``MSK`` or ``UTC+3``), so it is cached once per
distinct text for the whole process, not per parser — a million rows name a
handful of zones. The parser looks each cell up in :data:`ZONES` first and
calls :func:`zone_reading` only for a text not read yet.
"""

from __future__ import annotations

from greeter.country_zones import offset_zone, zone_country, zones_of
from greeter.holiday_tables import has_calendar
from greeter.sources.caches import remember
from greeter.sources.quote import quoted
from greeter.subdivision_zones import zone_region
from greeter.timezones import is_zone, legacy_zone_note, stated_offset, zone_hint, zone_meant

__all__ = [
    "ZONES",
    "fallback_zone",
    "has_digit",
    "in_country",
    "inferred_country",
    "region_by_zone",
    "zone_reading",
]

#: Each distinct zone text of the exports read: the zone its contacts get (None: the fallback), its
#: warning ("" for a zone zoneinfo knows) and, for an unknown one, the suggestion. A million rows
#: name a handful of zones, so each is read, and any suggestion worked out, once.
ZONES: dict[str, tuple[str | None, str, str]] = {}


def zone_reading(name: str) -> tuple[str | None, str, str]:
    """The zone a time-zone cell gives its contact, the warning about the cell ("" if none), the hint.

    A zone zoneinfo knows is taken as written. A cell that means one zone
    unambiguously (``Владивосток``, ``MSK``, ``UTC+3``: :func:`greeter.timezones.zone_meant`,
    the config's own reading) is taken as that zone, with a warning saying
    how it was read and what to write: falling back to ``defaults.timezone``
    greeted a client in Vladivostok at midnight. Anything else gets None
    (the caller's fallback, which its warning names after this one's "unknown
    time zone …") and the suggestion the config would get.
    """
    known = ZONES.get(name)
    if known is not None:
        return known
    if is_zone(name):
        legacy = legacy_zone_note(name)  # EST: tzdata's, but no place's clock
        return remember(
            ZONES, name, (name, f"{quoted(name)} read as {name} ({legacy})" if legacy else "", "")
        )
    meant = zone_meant(name)
    if meant is None:
        unknown = f"unknown time zone {quoted(name)}: letters to this contact are timed in"
        return remember(ZONES, name, (None, unknown, zone_hint(name)))
    zone, note = meant
    if legacy := legacy_zone_note(zone):  # "est": tzdata's EST written in other letters
        return remember(ZONES, name, (zone, f"{quoted(name)} read as {zone} ({legacy})", ""))
    said = f"{quoted(name)} read as {zone}" + (f" ({note})" if note else "")
    if zone.startswith("Etc/"):  # a bare offset: right today, but it follows no place's clock changes
        said += f"; write the client's place as Area/City (or {zone}) in the CRM"
    else:
        said += f"; write {zone} in the CRM"
    return remember(ZONES, name, (zone, said, ""))


#: Each (offset cell, country) read in that country (:func:`in_country`): its zone and warning, or None.
_IN_COUNTRY: dict[tuple[str, str], tuple[str, str] | None] = {}


def in_country(name: str, country: str, zone: str | None) -> tuple[str, str] | None:
    """An offset cell (``UTC+6``) read in the row's ``country``: the zone and the warning; None: as read.

    ``UTC+6`` for a client in Kazakhstan was Russia's Asia/Omsk by the clock
    alone ("write Asia/Omsk in the CRM"), an hour off since Kazakhstan keeps
    UTC+5: the country's zone of that offset, or the one that had it last,
    with the change said (:func:`greeter.country_zones.offset_zone`). ``zone``:
    what the text alone gave; kept when it is the country's own (Russia's).
    """
    key = (name, country)
    if key in _IN_COUNTRY:
        return _IN_COUNTRY[key]
    minutes = stated_offset(name)
    read = offset_zone(country, minutes) if minutes is not None and zone not in zones_of(country) else None
    if read is None:
        return remember(_IN_COUNTRY, key, None)
    meant, note = read
    note = note or f"the zone of the row's country {country} at that offset"
    return remember(
        _IN_COUNTRY, key, (meant, f"{quoted(name)} read as {meant} ({note}); write {meant} in the CRM")
    )


def fallback_zone(unknown: str, hint: str, country: str | None, zone: str | None, default: str | None) -> str:
    """The warning for an unknown zone: which zone its letters are timed in instead, and the hint."""
    if zone is not None:
        used = f"{zone}, the zone of the row's country {country}"
    else:
        used = f"{default} (defaults.timezone)" if default else "defaults.timezone"
    return f"{unknown} {used}; {hint}"


def has_digit(text: str) -> bool:
    """Whether a time-zone cell holds a digit: an offset ("UTC+3", "GMT+03:00", "МСК+7")."""
    return any(ch.isdigit() for ch in text)


def inferred_country(zone: str, default_country: str | None, default_zone: str | None) -> str | None:
    """The country a row without one is in by its zone ``zone``, or None (``defaults.country``).

    None for a zone of several countries or of none (:func:`zone_country`), a country
    without a holiday calendar, and one of the default's country: a client in
    Europe/Moscow of a Russian company is where the default says, and a Berlin
    client of a Bavarian one (``DE-BY``) keeps Bavaria's days off rather than Germany's.
    ``default_country`` is ``defaults.country``; None: the country of ``default_zone``
    (``defaults.timezone``) stands for it.
    """
    found = zone_country(zone)
    home = default_country or zone_country(default_zone) or ""
    if found is None or found == home.partition("-")[0] or not has_calendar(found):
        return None
    return found


def region_by_zone(
    zone: str, country: str | None, default_country: str | None, default_zone: str | None
) -> str | None:
    """The region a row's zone puts it in, where its country says none; None: the country stays.

    Why: a client in Pacific/Honolulu under plain ``US`` (or no country, with a US
    ``defaults.country``) had the USA's country-wide days off, and letters went out on
    Kamehameha Day, a day off in Hawaii only; one in Pacific/Chatham under ``NZ`` on Chatham
    Islands Anniversary Day. The zone names the region where it is one region's
    (:func:`greeter.subdivision_zones.zone_region`: Pacific/Honolulu → US-HI,
    Australia/Adelaide → AU-SA); Australia/Sydney, New South Wales' and the ACT's, names none.

    ``country``: the row's (a country cell read, or the zone's country,
    :func:`inferred_country`); None: the row has none, and ``defaults.country``
    (else the country of ``default_zone``) is the one whose region is looked for — a
    Honolulu client of a ``US-NY`` company is in Hawaii. A region the row names always
    wins: only a country without one, or the default's, is refined.
    """
    if country is not None and "-" in country:
        return None  # the row's own region (AU-NSW with Australia/Adelaide): the row wins
    base = country or default_country or zone_country(default_zone) or ""
    region = zone_region(base.partition("-")[0], zone) if base else None
    if region is None or (country is None and region == default_country):
        return None
    return region
