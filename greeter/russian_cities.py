"""Russia's (and Kazakhstan's) regional centres and largest cities → their IANA zone: the cities CLDR
names no zone after.

CLDR (Babel's ``Locale.time_zones``, read by :mod:`greeter.timezones`) names each
zone after one city — Europe/Moscow «Москва», Asia/Yekaterinburg «Екатеринбург» —
so a CRM that says «Уфа», «Казань» or «Ижевск» in its time-zone column got
"unknown time zone", and the client's letters were timed in ``defaults.timezone``
(Moscow), two hours late for Ufa. This is the one list of the others, data only.

Source: the administrative centre of each federal subject, plus cities of about
half a million people or more, each with the zone tzdata's ``zone1970.tab``
gives its region (the regions' times as set by Federal Law No. 107-FZ «Об
исчислении времени», as amended to 2020: Volgograd back on Moscow time). A city
CLDR already names (Москва, Самара, Екатеринбург, Омск, Новосибирск…) is left to
CLDR; a test checks the two never disagree. Kazakhstan's are tzdata's ``zone1970.tab`` too:
Asia/Almaty for "most of Kazakhstan" (all of it on UTC+5 since March 2024, but each region keeps
its zone), Asia/Qostanay, Asia/Aqtau for their regions' cities.
"""

from __future__ import annotations

from typing import Final

#: IANA zone → the cities in it, as written in Russian (folded when read: case, «ё», hyphens).
CITIES_BY_ZONE: Final[dict[str, tuple[str, ...]]] = {
    "Europe/Moscow": (
        "Санкт-Петербург", "Петербург", "Белгород", "Брянск", "Владимир", "Воронеж", "Иваново",
        "Калуга", "Кострома", "Курск", "Липецк", "Орёл", "Рязань", "Смоленск", "Тамбов", "Тверь",
        "Тула", "Ярославль", "Архангельск", "Вологда", "Череповец", "Мурманск", "Великий Новгород",
        "Псков", "Петрозаводск", "Сыктывкар", "Нарьян-Мар", "Нижний Новгород", "Йошкар-Ола",
        "Саранск", "Чебоксары", "Казань", "Набережные Челны", "Пенза", "Краснодар", "Сочи",
        "Майкоп", "Элиста", "Ростов-на-Дону", "Ставрополь", "Махачкала", "Магас", "Нальчик",
        "Черкесск", "Владикавказ", "Грозный",
    ),
    "Europe/Simferopol": ("Севастополь",),
    "Europe/Samara": ("Тольятти", "Ижевск"),
    "Asia/Yekaterinburg": (
        "Уфа", "Пермь", "Челябинск", "Магнитогорск", "Курган", "Тюмень", "Оренбург",
        "Ханты-Мансийск", "Сургут", "Салехард",
    ),
    "Asia/Barnaul": ("Горно-Алтайск",),
    "Asia/Novokuznetsk": ("Кемерово",),
    "Asia/Krasnoyarsk": ("Абакан", "Кызыл", "Норильск"),
    "Asia/Irkutsk": ("Улан-Удэ",),
    "Asia/Yakutsk": ("Благовещенск",),
    "Asia/Vladivostok": ("Хабаровск", "Биробиджан"),
    "Asia/Sakhalin": ("Южно-Сахалинск",),
    # Kazakhstan's largest cities, as its Russian writes them: «Шымкент» was "unknown time zone"
    # while «Астана» was read (:data:`greeter.timezones.OTHER_CITIES`). Those of the regions with
    # zones of their own (Актобе, Атырау, Костанай, Кызылорда, Уральск, Актау) CLDR names.
    "Asia/Almaty": (
        "Шымкент", "Караганда", "Павлодар", "Усть-Каменогорск", "Тараз", "Семей", "Семипалатинск",
        "Туркестан", "Талдыкорган", "Кокшетау", "Экибастуз", "Темиртау", "Жезказган", "Конаев",
        "Петропавл",
    ),
    "Asia/Qostanay": ("Рудный",),
    "Asia/Aqtau": ("Жанаозен",),
}  # fmt: skip
