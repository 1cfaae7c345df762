"""Russia's regions (ISO 3166-2:RU) by code and Russian name, for regional days off.

The ``holidays`` library has one calendar for the whole of Russia, but a
republic has days off of its own (Tatarstan's Republic Day on 30 August,
Bashkortostan's on 11 October, Uraza Bayram and Kurban Bayram in both). A
config declares them under ``send_window.regional_days_off``, keyed by the
region's ISO 3166-2 code; this table is what tells a real code ("RU-TA") from
a typo, and a region written by name in a contact's country cell
("Татарстан") from an unknown country. Taken from Debian's iso-codes
(``iso_3166-2.json`` and its Russian translation): 83 subjects, without the
ones ISO 3166-2 does not list.
"""

from __future__ import annotations

from functools import cache
from typing import Final

#: Region code (after "RU-") → its Russian name as ISO 3166-2's Russian translation writes it.
RU_REGIONS: Final[dict[str, str]] = {
    "AD": "Республика Адыгея",
    "AL": "Республика Алтай",
    "ALT": "Алтайский край",
    "AMU": "Амурская область",
    "ARK": "Архангельская область",
    "AST": "Астраханская область",
    "BA": "Республика Башкортостан",
    "BEL": "Белгородская область",
    "BRY": "Брянская область",
    "BU": "Республика Бурятия",
    "CE": "Чеченская республика",
    "CHE": "Челябинская область",
    "CHU": "Чукотский автономный округ",
    "CU": "Чувашская республика",
    "DA": "Республика Дагестан",
    "IN": "Республика Ингушетия",
    "IRK": "Иркутская область",
    "IVA": "Ивановская область",
    "KAM": "Камчатский край",
    "KB": "Кабардино-Балкарская республика",
    "KC": "Карачаево-Черкесская республика",
    "KDA": "Краснодарский край",
    "KEM": "Кемеровская область",
    "KGD": "Калининградская область",
    "KGN": "Курганская область",
    "KHA": "Хабаровский край",
    "KHM": "Ханты-Мансийский автономный округ",
    "KIR": "Кировская область",
    "KK": "Республика Хакассия",
    "KL": "Республика Калмыкия",
    "KLU": "Калужская область",
    "KO": "Республика Коми",
    "KOS": "Костромская область",
    "KR": "Республика Карелия",
    "KRS": "Курская область",
    "KYA": "Красноярский край",
    "LEN": "Ленинградская область",
    "LIP": "Липецкая область",
    "MAG": "Магаданская область",
    "ME": "Республика Марий Эл",
    "MO": "Республика Мордовия",
    "MOS": "Московская область",
    "MOW": "Москва",
    "MUR": "Мурманская область",
    "NEN": "Ненецкий автономный округ",
    "NGR": "Новгородская область",
    "NIZ": "Нижегородская область",
    "NVS": "Новосибирская область",
    "OMS": "Омская область",
    "ORE": "Оренбургская область",
    "ORL": "Орловская область",
    "PER": "Пермский край",
    "PNZ": "Пензенская область",
    "PRI": "Приморский край",
    "PSK": "Псковская область",
    "ROS": "Ростовская область",
    "RYA": "Рязанская область",
    "SA": "Республика Саха",
    "SAK": "Сахалинская область",
    "SAM": "Самарская область",
    "SAR": "Саратовская область",
    "SE": "Республика Северная Осетия",
    "SMO": "Смоленская область",
    "SPE": "Санкт-Петербург",
    "STA": "Ставропольский край",
    "SVE": "Свердловская область",
    "TA": "Республика Татарстан",
    "TAM": "Тамбовская область",
    "TOM": "Томская область",
    "TUL": "Тульская область",
    "TVE": "Тверская область",
    "TY": "Республика Тува",
    "TYU": "Тюменская область",
    "UD": "Республика Удмуртия",
    "ULY": "Ульяновская область",
    "VGG": "Волгоградская область",
    "VLA": "Владимирская область",
    "VLG": "Вологодская область",
    "VOR": "Воронежская область",
    "YAN": "Ямало-Ненецкий автономный округ",
    "YAR": "Ярославская область",
    "YEV": "Еврейская автономная область",
    "ZAB": "Забайкальский край",
}

#: Words a name carries besides the region's own ("Республика Татарстан" is also "Татарстан").
_KINDS: Final = ("республика", "республики")


def region_name(code: str) -> str | None:
    """The Russian name of a region code ("RU-TA" → "Республика Татарстан"); None if not Russia's."""
    country, _, region = code.upper().partition("-")
    return RU_REGIONS.get(region) if country == "RU" else None


def region_by_name(text: str) -> str | None:
    """The code ("RU-TA") of a Russian region written by name ("Татарстан", "Республика Татарстан"), or None.

    ``text`` casefolded, "ё" as "е", as :func:`greeter.countries.parse_country` reads names.
    """
    return _names().get(" ".join(text.casefold().replace("ё", "е").split()))


@cache
def _names() -> dict[str, str]:
    found: dict[str, str] = {}
    for region, name in RU_REGIONS.items():
        full = name.casefold().replace("ё", "е")
        found[full] = f"RU-{region}"
        short = " ".join(w for w in full.split() if w not in _KINDS)
        if short != full:
            found.setdefault(short, f"RU-{region}")
    return found
