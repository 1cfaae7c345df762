"""The legal forms a Russian letter knows in a client's company name, as tables — pure data.

Why a module of its own: :mod:`greeter.company_names` (how a name is written and declined)
grew past what one module should hold as the region's markets' forms were added (Kazakhstan,
Belarus, Ukraine, Uzbekistan, Kyrgyzstan, Tajikistan); the tables are data its rules read.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ABBREVIATIONS", "ORGANISATION_FORMS", "PERSON_FORMS"]

#: Legal forms of organisations, abbreviated (capitals) or spelled out (any case).
ORGANISATION_FORMS: Final[tuple[str, ...]] = (
    # commercial companies
    "ООО",
    "АО",
    "ЗАО",
    "ОАО",
    "ПАО",
    "НАО",
    "ТОО",  # Kazakhstan
    "ОДО",  # Belarus
    # Ukraine
    "ТОВ",
    "ТДВ",
    "АТ",
    "ПрАТ",
    "ПАТ",
    "ДП",
    # Kazakhstan (in Kazakh), Belarus (in Belarusian), Uzbekistan (in Cyrillic Uzbek)
    "ЖШС",
    "АҚ",
    "ТАА",
    "МЧЖ",
    "ХК",  # Uzbekistan: хусусий корхона (a private enterprise)
    "АЖ",  # Uzbekistan: акциядорлик жамияти (a joint-stock company)
    "ОсОО",  # Kyrgyzstan: общество с ограниченной ответственностью
    "ҶДММ",  # Tajikistan: ҷамъияти дорои масъулияти маҳдуд (a limited liability company)
    "ҶСК",  # Tajikistan: ҷамъияти саҳомии кушода (an open joint-stock company)
    # unitary enterprises and state institutions
    "ГУП",
    "МУП",
    "ФГУП",
    "УП",
    "ЧУП",
    "ГБУ",
    "ГАУ",
    "ГКУ",
    "МБУ",
    "МАУ",
    "МКУ",
    "ФГБУ",
    "ФГАУ",
    "ФГКУ",
    # non-profits and partnerships
    "НКО",
    "АНО",
    "НП",
    "ТСЖ",
    "СНТ",
    "Общество с ограниченной ответственностью",
    "Акционерное общество",
    "Публичное акционерное общество",
    "Непубличное акционерное общество",
    "Закрытое акционерное общество",
    "Открытое акционерное общество",
    "Товарищество с ограниченной ответственностью",
    "Государственное унитарное предприятие",
    "Муниципальное унитарное предприятие",
    "Федеральное государственное унитарное предприятие",
    "Автономная некоммерческая организация",
    "Некоммерческое партнёрство",
    "Некоммерческое партнерство",
    "Товариство з обмеженою відповідальністю",
    "Товариство з додатковою відповідальністю",
    "Акціонерне товариство",
    "Приватне акціонерне товариство",
    "Публічне акціонерне товариство",
    "Державне підприємство",
    "Жауапкершілігі шектеулі серіктестік",
    "Акционерлік қоғам",
)
#: Legal forms of a person trading under his own name: no quotes at all.
PERSON_FORMS: Final[tuple[str, ...]] = (
    "ИП",
    "Индивидуальный предприниматель",
    "Глава КФХ",
    "ФОП",  # Ukraine: фізична особа-підприємець
    "Фізична особа-підприємець",
    "ФЛП",  # the same, as a Russian-speaking Ukrainian CRM writes it: физическое лицо-предприниматель
    "ЧП",  # частный предприниматель, as Russian-speaking CRMs of the region write it
    "ЯТТ",  # Uzbekistan: якка тартибдаги тадбиркор (an individual entrepreneur)
    "Физическое лицо-предприниматель",
)

#: Spelled-out legal forms (lower case, single spaces) → the abbreviation a letter writes.
ABBREVIATIONS: Final[dict[str, str]] = {
    "общество с ограниченной ответственностью": "ООО",
    "акционерное общество": "АО",
    "публичное акционерное общество": "ПАО",
    "непубличное акционерное общество": "НАО",
    "закрытое акционерное общество": "ЗАО",
    "открытое акционерное общество": "ОАО",
    "товарищество с ограниченной ответственностью": "ТОО",
    "государственное унитарное предприятие": "ГУП",
    "муниципальное унитарное предприятие": "МУП",
    "федеральное государственное унитарное предприятие": "ФГУП",
    "автономная некоммерческая организация": "АНО",
    "некоммерческое партнёрство": "НП",
    "некоммерческое партнерство": "НП",
    "индивидуальный предприниматель": "ИП",
    "товариство з обмеженою відповідальністю": "ТОВ",
    "товариство з додатковою відповідальністю": "ТДВ",
    "акціонерне товариство": "АТ",
    "приватне акціонерне товариство": "ПрАТ",
    "публічне акціонерне товариство": "ПАТ",
    "державне підприємство": "ДП",
    "жауапкершілігі шектеулі серіктестік": "ЖШС",
    "акционерлік қоғам": "АҚ",
    "фізична особа-підприємець": "ФОП",
    "физическое лицо-предприниматель": "ФЛП",
}
