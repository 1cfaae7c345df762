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

#: Region code (after "RU-") → its English names as CRMs export them ("Tatarstan", "Moscow Oblast").
#: Why: a contact whose region cell said "Tatarstan" or "Moscow Oblast" was "not a country", while
#: «Татарстан» was RU-TA. No maintained source installed has them: ISO 3166-2's English (pycountry's
#: ``en`` catalogue) is its romanization of the Russian — "Tatarstan, Respublika", "Moskovskaya
#: oblast'" — and the holidays library has no regions of Russia. These are the names the federal
#: subjects have in English-language references (the Wikipedia article titles, Constitution's
#: English text), the republics by short and long name; an oblast is also "… Region" and a krai
#: "… Territory" (:func:`_english_variants`). ISO's romanizations are read too, by
#: :mod:`greeter.region_names`, and an undeclared region written so gets the same warning
#: (:func:`greeter.countries.parse_country`). Left out, as in Russian: "Altai" (the republic or the krai?) and
#: "Ossetia".
ENGLISH_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "AD": ("Adygea", "Republic of Adygea", "Adygeya"),
    "AL": ("Altai Republic", "Republic of Altai"),
    "ALT": ("Altai Krai",),
    "AMU": ("Amur Oblast",),
    "ARK": ("Arkhangelsk Oblast",),
    "AST": ("Astrakhan Oblast",),
    "BA": ("Bashkortostan", "Republic of Bashkortostan", "Bashkiria"),
    "BEL": ("Belgorod Oblast",),
    "BRY": ("Bryansk Oblast",),
    "BU": ("Buryatia", "Republic of Buryatia"),
    "CE": ("Chechnya", "Chechen Republic"),
    "CHE": ("Chelyabinsk Oblast",),
    "CHU": ("Chukotka", "Chukotka Autonomous Okrug"),
    "CU": ("Chuvashia", "Chuvash Republic"),
    "DA": ("Dagestan", "Republic of Dagestan"),
    "IN": ("Ingushetia", "Republic of Ingushetia"),
    "IRK": ("Irkutsk Oblast",),
    "IVA": ("Ivanovo Oblast",),
    "KAM": ("Kamchatka", "Kamchatka Krai"),
    "KB": ("Kabardino-Balkaria", "Kabardino-Balkarian Republic"),
    "KC": ("Karachay-Cherkessia", "Karachay-Cherkess Republic"),
    "KDA": ("Krasnodar Krai", "Kuban"),
    "KEM": ("Kemerovo Oblast", "Kuzbass"),
    "KGD": ("Kaliningrad Oblast",),
    "KGN": ("Kurgan Oblast",),
    "KHA": ("Khabarovsk Krai",),
    "KHM": ("Khanty-Mansi Autonomous Okrug", "Khanty-Mansi Autonomous Okrug – Yugra", "Yugra"),
    "KIR": ("Kirov Oblast",),
    "KK": ("Khakassia", "Republic of Khakassia"),
    "KL": ("Kalmykia", "Republic of Kalmykia"),
    "KLU": ("Kaluga Oblast",),
    "KO": ("Komi", "Komi Republic"),
    "KOS": ("Kostroma Oblast",),
    "KR": ("Karelia", "Republic of Karelia"),
    "KRS": ("Kursk Oblast",),
    "KYA": ("Krasnoyarsk Krai",),
    "LEN": ("Leningrad Oblast",),
    "LIP": ("Lipetsk Oblast",),
    "MAG": ("Magadan Oblast",),
    "ME": ("Mari El", "Mari El Republic"),
    "MO": ("Mordovia", "Republic of Mordovia"),
    "MOS": ("Moscow Oblast",),
    "MOW": ("Moscow",),
    "MUR": ("Murmansk Oblast",),
    "NEN": ("Nenets Autonomous Okrug",),
    "NGR": ("Novgorod Oblast",),
    "NIZ": ("Nizhny Novgorod Oblast",),
    "NVS": ("Novosibirsk Oblast",),
    "OMS": ("Omsk Oblast",),
    "ORE": ("Orenburg Oblast",),
    "ORL": ("Oryol Oblast", "Orel Oblast"),
    "PER": ("Perm Krai",),
    "PNZ": ("Penza Oblast",),
    "PRI": ("Primorsky Krai", "Primorye"),
    "PSK": ("Pskov Oblast",),
    "ROS": ("Rostov Oblast",),
    "RYA": ("Ryazan Oblast",),
    "SA": ("Sakha", "Sakha Republic", "Yakutia", "Sakha (Yakutia)", "Republic of Sakha (Yakutia)"),
    "SAK": ("Sakhalin Oblast",),
    "SAM": ("Samara Oblast",),
    "SAR": ("Saratov Oblast",),
    "SE": (
        "North Ossetia",
        "North Ossetia–Alania",
        "North Ossetia-Alania",
        "Republic of North Ossetia–Alania",
    ),
    "SMO": ("Smolensk Oblast",),
    "SPE": ("Saint Petersburg", "St. Petersburg", "St Petersburg"),
    "STA": ("Stavropol Krai",),
    "SVE": ("Sverdlovsk Oblast",),
    "TA": ("Tatarstan", "Republic of Tatarstan"),
    "TAM": ("Tambov Oblast",),
    "TOM": ("Tomsk Oblast",),
    "TUL": ("Tula Oblast",),
    "TVE": ("Tver Oblast",),
    "TY": ("Tuva", "Tyva", "Tyva Republic", "Tuva Republic"),
    "TYU": ("Tyumen Oblast",),
    "UD": ("Udmurtia", "Udmurt Republic"),
    "ULY": ("Ulyanovsk Oblast",),
    "VGG": ("Volgograd Oblast",),
    "VLA": ("Vladimir Oblast",),
    "VLG": ("Vologda Oblast",),
    "VOR": ("Voronezh Oblast",),
    "YAN": ("Yamalo-Nenets Autonomous Okrug", "Yamal"),
    "YAR": ("Yaroslavl Oblast",),
    "YEV": ("Jewish Autonomous Oblast",),
    "ZAB": ("Zabaykalsky Krai", "Zabaikalsky Krai", "Transbaikal Krai"),
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
    """The code ("RU-TA") of a Russian region written by name ("Татарстан", "Республика Татарстан",
    "Tatarstan", "Moscow Oblast"), or None.

    ``text`` casefolded, "ё" as "е", dashes as hyphens, as :func:`greeter.countries.parse_country`
    reads names.
    """
    return _names().get(_key(text))


def region_like(text: str) -> tuple[str, str] | None:
    """The code and name of the Russian region ``text`` is spelt like ("Tatarstn", "Татарсан" →
    ``("RU-TA", "Tatarstan")``), for a warning's "did you mean"; None when none is close.

    Why: a typo in a region's name was only "not a country code … or a country name", and
    the client silently kept the default country's days off. Close means difflib's ratio of
    0.8 or more, the bar the other "did you mean" hints of greeter use.
    """
    import difflib

    names = _names()
    close = difflib.get_close_matches(_key(text), list(names), n=1, cutoff=0.8)
    if not close:
        return None
    code = names[close[0]]
    written = next(
        (n for n in (*ENGLISH_NAMES.get(code[3:], ()), RU_REGIONS[code[3:]]) if _key(n) == close[0]),
        None,
    )
    return code, written or (ENGLISH_NAMES[code[3:]][0] if text.isascii() else RU_REGIONS[code[3:]])


def _key(text: str) -> str:
    """How names are compared: any case, any spacing, "ё" as "е", an en or em dash as a hyphen."""
    folded = text.casefold().replace("ё", "е").replace("–", "-").replace("—", "-")
    return " ".join(folded.split())


def _english_variants(name: str) -> tuple[str, ...]:
    """An English name and the other ways CRMs write it: "… Oblast" also "… Region", "… Krai" also
    "… Territory" and "… Kray"."""
    for kind, others in ((" Oblast", (" Region",)), (" Krai", (" Territory", " Kray"))):
        if name.endswith(kind):
            return (name, *(name[: -len(kind)] + other for other in others))
    return (name,)


@cache
def _names() -> dict[str, str]:
    found: dict[str, str] = {}
    for region, name in RU_REGIONS.items():
        full = _key(name)
        found[full] = f"RU-{region}"
        short = " ".join(w for w in full.split() if w not in _KINDS)
        if short != full:
            found.setdefault(short, f"RU-{region}")
    for name, region in COMMON_NAMES.items():
        found.setdefault(_key(name), f"RU-{region}")
    for region, english in ENGLISH_NAMES.items():
        for name in english:
            for variant in _english_variants(name):
                found.setdefault(_key(variant), f"RU-{region}")
    return found
