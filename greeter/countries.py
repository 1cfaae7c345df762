"""A contact's country, as the public-holiday calendar its days off come from.

Why a country per contact: the send window is the recipient's (their time
zone), and so are their days off — a client in Almaty is off on Nauryz, one
in London on the August bank holiday, while the company's own country works.
CRMs export the country as an ISO code ("KZ") or, more often, as a name in the
CRM's language ("Казахстан", "United Kingdom"); both are understood, through
Babel's territory names (Russian and English), so no list is kept here.

Pure lookups, cached: a million rows name a few dozen countries.
"""

from __future__ import annotations

from functools import cache, lru_cache

from greeter.holiday_tables import has_calendar

#: Codes people write that are not the ISO code of the country they mean.
_ALIASES = {"UK": "GB", "EL": "GR"}
#: Languages whose country names are recognised.
_NAME_LANGUAGES = ("ru", "en")


@lru_cache(maxsize=4096)
def parse_country(raw: str) -> tuple[str | None, str]:
    """``(ISO code, "")`` for a usable country, ``(None, why not)`` otherwise; ``(None, "")`` if empty.

    Usable means the holiday library has a calendar for it; a country it does
    not know is reported, and the default country's days off apply.
    """
    text = " ".join(raw.split())
    if not text:
        return None, ""
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = _ALIASES.get(text.upper(), text.upper())
    else:
        found = _by_name().get(text.casefold().replace("ё", "е"))
        if found is None:
            return None, f"{raw.strip()!r} is not a country code (like 'KZ') or a country name"
        code = found
    if not has_calendar(code):
        return None, f"no public-holiday calendar for country {code!r}"
    return code, ""


@cache
def _by_name() -> dict[str, str]:
    """Country names (Russian and English, as Babel spells them) → ISO code."""
    from babel import Locale

    names: dict[str, str] = {}
    for language in _NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():  # not "001" (World) or "150" (Europe)
                names.setdefault(name.casefold().replace("ё", "е"), code)
    # What CRMs write besides the official short names.
    names.update({"рф": "RU", "российская федерация": "RU", "usa": "US", "сша": "US", "англия": "GB"})
    return names
