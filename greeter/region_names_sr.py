"""The Serbian names of regions that iso-codes' Serbian translation does not give as Serbs write them.

Why: a Serbian CRM's country cell holds the region as a Serb writes it, in either
script: «Баварска» or "Bavarska", «АП Војводина». pycountry's ``sr`` and
``sr@latin`` translations of ISO 3166-2 (:mod:`greeter.region_names`, read first)
give most names — «Саксонија», «Северна Рајна-Вестфалија», «Доња Аустрија»,
"Kosovo i Metohija" — but a few only as the German name transliterated («Бајерн»
for Bayern, «Есен» for Hessen) or not at all (Thüringen): a QA re-test saw
«Баварска», "Bavarska", «Хесен» and «Тирингија» warned "not a country code".
Neither babel (CLDR has no subdivision names) nor the holidays library names
them in Serbian, so the usual forms of those few are here, in Cyrillic only:
the Latin spelling is their transliteration (:func:`greeter.serbian_script.to_latin`),
as it is for everything greeter writes in Serbian Latin.

Kept to regions greeter has calendars of (Germany's and Austria's Länder) whose
Serbian name differs from the translation; the translation's names are read too.
"""

from __future__ import annotations

from typing import Final

#: ISO 3166-2 code → its usual Serbian (Cyrillic) names where the iso-codes translation differs.
USUAL_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "DE-BY": ("Баварска",),
    "DE-HE": ("Хесен",),
    "DE-TH": ("Тирингија",),
    "DE-NI": ("Доња Саксонија",),
    "DE-RP": ("Рајна-Палатинат",),
    "DE-MV": ("Мекленбург-Западна Померанија", "Мекленбург-Предња Померанија"),
    "AT-2": ("Корушка",),
    "AT-6": ("Штајерска",),
}

#: How Serbian writes an autonomous province's kind before its name («АП Војводина»,
#: «Аутономна Покрајина Косово и Метохија»): read for ISO 3166-2's subdivisions of that type.
PROVINCE_PREFIXES: Final = ("АП", "Аутономна Покрајина", "Аутономна покрајина")

#: ISO 3166-2's (pycountry's) type of the subdivisions :data:`PROVINCE_PREFIXES` are read for.
PROVINCE_TYPE: Final = "Autonomous province"
