"""Russia's regions (ISO 3166-2:RU) by code, Russian name and zone, for regional days off.

The ``holidays`` library has one calendar for the whole of Russia, but a
republic has days off of its own (Tatarstan's Republic Day on 30 August,
Bashkortostan's on 11 October, Uraza Bayram and Kurban Bayram in both). A
config declares them under ``send_window.regional_days_off``, keyed by the
region's ISO 3166-2 code; this table is what tells a real code ("RU-TA") from
a typo, and a region written by name in a contact's country cell
("Татарстан") from an unknown country. Taken from Debian's iso-codes
(``iso_3166-2.json`` and its Russian translation): 83 subjects, without the
ones ISO 3166-2 does not list. A declared region in a country cell also says
the client's clock (:data:`RU_REGION_ZONES`) where the row names no zone.
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

#: Region code (after "RU-") → the IANA zone its clients are in when their row names none. Why: a
#: client in Bashkortostan (``RU-BA``) whose zone cell was empty was timed in ``defaults.timezone``
#: (Moscow), two hours late for Ufa; a region keeps one clock where Russia keeps eleven. Source:
#: Federal Law No. 107-FZ «Об исчислении времени» (its annex, as amended to 2020: Volgograd back on
#: Moscow time) for each subject's zone, and tzdata's ``zone1970.tab`` comments for the IANA zone of
#: it (Europe/Kirov "Kirov", Asia/Barnaul "Altai", Asia/Novokuznetsk "Kemerovo", Asia/Chita
#: "Zabaykalsky", Asia/Yakutsk for Amur, Asia/Vladivostok "Amur River"…). Sakhalin's North Kurils
#: (Asia/Srednekolymsk) keep Sakhalin's clock. Left out: Sakha (``RU-SA``), three zones by the law
#: (UTC+9, +10, +11): its clients keep the default and ``greeter check``'s warning. A test checks
#: each zone against the zone of the region's capital (CLDR's and :mod:`greeter.russian_cities`).
RU_REGION_ZONES: Final[dict[str, str]] = {
    **dict.fromkeys(
        ("AD", "ARK", "BEL", "BRY", "CE", "CU", "DA", "IN", "IVA", "KB", "KC", "KDA", "KL", "KLU",
         "KO", "KOS", "KR", "KRS", "LEN", "LIP", "ME", "MO", "MOS", "MOW", "MUR", "NEN", "NGR",
         "NIZ", "ORL", "PNZ", "PSK", "ROS", "RYA", "SE", "SMO", "SPE", "STA", "TA", "TAM", "TUL",
         "TVE", "VLA", "VLG", "VOR", "YAR"),
        "Europe/Moscow",
    ),
    "KGD": "Europe/Kaliningrad",
    "KIR": "Europe/Kirov",
    "VGG": "Europe/Volgograd",
    "SAM": "Europe/Samara",
    "UD": "Europe/Samara",
    "AST": "Europe/Astrakhan",
    "SAR": "Europe/Saratov",
    "ULY": "Europe/Ulyanovsk",
    **dict.fromkeys(("BA", "CHE", "KGN", "KHM", "ORE", "PER", "SVE", "TYU", "YAN"), "Asia/Yekaterinburg"),
    "OMS": "Asia/Omsk",
    "NVS": "Asia/Novosibirsk",
    "TOM": "Asia/Tomsk",
    "ALT": "Asia/Barnaul",
    "AL": "Asia/Barnaul",
    "KEM": "Asia/Novokuznetsk",
    **dict.fromkeys(("KYA", "KK", "TY"), "Asia/Krasnoyarsk"),
    **dict.fromkeys(("IRK", "BU"), "Asia/Irkutsk"),
    "ZAB": "Asia/Chita",
    "AMU": "Asia/Yakutsk",
    **dict.fromkeys(("KHA", "PRI", "YEV"), "Asia/Vladivostok"),
    "MAG": "Asia/Magadan",
    "SAK": "Asia/Sakhalin",
    "KAM": "Asia/Kamchatka",
    "CHU": "Asia/Anadyr",
}  # fmt: skip

#: Names a CRM writes a region by besides ISO's (short, common, official-but-not-ISO's) → its code.
#: Why: «Башкирия», «Чувашия», «Якутия» were no region in a country cell, nor a key greeter could
#: name the code of, while «Татарстан» was. Left out: «Алтай» (Республика Алтай, RU-AL, or
#: Алтайский край, RU-ALT?) and «Осетия» (North or South: South Ossetia is no subject of ISO's).
#: Петербург and Москва are cities and regions both: federal cities, one code.
COMMON_NAMES: Final[dict[str, str]] = {
    "Башкирия": "BA",
    "Чувашия": "CU",
    "Чувашия — Чувашская Республика": "CU",
    "Якутия": "SA",
    "Республика Саха (Якутия)": "SA",
    "Саха (Якутия)": "SA",
    "Удмуртская Республика": "UD",
    "Тыва": "TY",
    "Республика Тыва": "TY",
    "Хакасия": "KK",
    "Республика Хакасия": "KK",
    "Кабардино-Балкария": "KB",
    "Карачаево-Черкесия": "KC",
    "Северная Осетия — Алания": "SE",
    "Северная Осетия-Алания": "SE",
    "Республика Северная Осетия — Алания": "SE",
    "Республика Северная Осетия-Алания": "SE",
    "Чечня": "CE",
    "Камчатка": "KAM",
    "Приморье": "PRI",
    "Ямал": "YAN",
    "Югра": "KHM",
    "Ханты-Мансийский автономный округ — Югра": "KHM",
    "Кузбасс": "KEM",
    "Кемеровская область — Кузбасс": "KEM",
    "Ставрополье": "STA",
    "Кубань": "KDA",
    "Подмосковье": "MOS",
    "Петербург": "SPE",
    "Ленобласть": "LEN",
}

#: Words a name carries besides the region's own ("Республика Татарстан" is also "Татарстан").
_KINDS: Final = ("республика", "республики")


def region_name(code: str) -> str | None:
    """The Russian name of a region code ("RU-TA" → "Республика Татарстан"); None if not Russia's."""
    country, _, region = code.upper().partition("-")
    return RU_REGIONS.get(region) if country == "RU" else None


def region_zone(code: str) -> str | None:
    """The IANA zone of a Russian region code ("RU-BA" → "Asia/Yekaterinburg"); None for one of several
    zones (RU-SA), a code without a region ("RU") and any other country's."""
    country, _, region = code.upper().partition("-")
    return RU_REGION_ZONES.get(region) if country == "RU" else None


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
    for name, region in COMMON_NAMES.items():
        found.setdefault(" ".join(name.casefold().replace("ё", "е").split()), f"RU-{region}")
    return found
