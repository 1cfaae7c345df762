"""The planner's skip sentences, and the contacts loader's about a bad cell, in a Ukrainian gallery.

Why: with the gallery's own words Ukrainian (:mod:`greeter.gallery_lang_uk`), a card said
«пропуск: ліміт частоти» and then the planner's English, ``only 6 days from the greeting of
2026-12-30 (min_gap_days 14)``: one page half in each language. These are the words of
:data:`greeter.gallery_why.FORMS` and :data:`greeter.contact_forms.CONTACT_FORMS`, said the
way :func:`greeter.gallery_why.table_detail` says every table's (the module's doc there):
``{days}`` with ``days.forms`` (CLDR's ``one|few|many``: 1 день, 2 дні, 5 днів — after
«понад», «за», «через» the same forms), ``{date}`` the gallery's date, ``{occasion}`` the
occasion's title, ``{month}`` the month's stand-alone name (so never after «у», which
would want the locative: «місяць лютий не має 31-го числа»). The settings (``min_gap_days``)
and the formats to type stay as written: they are what the config and the CRM hold.

Pure: tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["UKRAINIAN"]

#: The planner's sentences (:data:`greeter.gallery_why.FORMS`' keys, ``days.forms``, ``state.*``).
_PLANNER: Final[Mapping[str, str]] = {
    "days.forms": "день|дні|днів",
    "state.sent": "надіслано",
    "state.claimed": "надсилається",
    "state.retry": "чекає повтору",
    "state.failed": "відмова сервера",
    "state.uncertain": "не підтверджено",
    "state.skipped": "пропущено",
    "state.expired": "прострочено",
    "tier_none": "у контакту немає категорії, потрібна одна з: {list}",
    "tier": "категорія «{tier}» не з: {list}",
    "tags_none": "немає жодного з тегів {list} (теги контакту: немає)",
    "tags": "немає жодного з тегів {list} (теги контакту: {tags})",
    "contacts": "не в списку контактів цього приводу (audience.contacts)",
    "needs_years": "{setting} рахує роки, а в цього приводу їх немає",
    "country": "країна клієнта {country} не з: {list}",
    "locale": "мова листа {locale} не з: {list}",
    "round_years": "{years} — не кругла дата (кратні {n}: round_years)",
    "min_years": "{years} — менше ніж {n} (min_years)",
    "journal": "у журналі вже є це привітання ({state})",
    "crm_do_not_contact": "у CRM контакту не пишуть: позначка в стовпці «{column}»",
    "bounced": "{who}: лист повернувся {date} (сервер відповів: {reply}); на цю адресу більше не пишемо",
    "do_not_contact": "{who} у стоп-листі",
    "no_email": "у контакту немає адреси e-mail",
    "too_close": "лише {days} від привітання {date} (min_gap_days {gap})",
    "max_count": "було б {n}-м привітанням за {days} (max_count {max})",
    "on_its_day": "у свій день, {date}: {then}",
    "leaving": " (із запізненням: тепер піде {date})",
    "carry_after_alone": (
        "лист «{occasion}» {date}{leaving} привітав би з ним через {days} після його дня ({setting} {n});"
        " окремим листом: {then}"
    ),
    "carry_before_alone": (
        "лист «{occasion}» {date}{leaving} привітав би з ним за {days} до його дня ({setting} {n});"
        " окремим листом: {then}"
    ),
    "carry_after": (
        "лист «{occasion}» {date}{leaving} привітав би з ним через {days} після його дня ({setting} {n})"
    ),
    "carry_before": (
        "лист «{occasion}» {date}{leaving} привітав би з ним за {days} до його дня ({setting} {n})"
    ),
    "expired_then": "день приводу минув понад {days} тому; {then}",
    "expired": "день приводу минув понад {days} тому",
    "expired_after": "минуло понад {days} після {day}, дня, коли лист мав піти",
    "missed_for": (
        "пропущено: наступне вікно надсилання ({next}) більш ніж через {days} після {day}, дня, до якого"
        " лист приурочено"
    ),
    "missed_leave": (
        "пропущено: наступне вікно надсилання ({next}) більш ніж через {days} після {day}, дня, коли"
        " лист мав піти"
    ),
    "journal_expired_then": (
        "за журналом прострочено: строк надсилання із запізненням минув, лист так і не пішов; {then}"
    ),
    "journal_expired": "за журналом прострочено: строк надсилання із запізненням минув, лист так і не пішов",
    "quota_held": (
        "денна квота (delivery.rate_limit.per_day) затримала його {day}, доки не минув строк"
        " надсилання із запізненням"
    ),
}

#: The contacts loader's sentences (:data:`greeter.contact_forms.CONTACT_FORMS`' keys).
_CONTACTS: Final[Mapping[str, str]] = {
    "quote": "«{}»",
    "list.and": " і ",
    "language.Russian": "російські",
    "bad_date": "{value} — {then}; привітання {greetings} для цього контакту пропускаються",
    "not_real": "такої дати немає: {then}{then_reading}",
    "excel_serial": (
        "схоже на дату Excel, збережену числом ({date}): задайте стовпцю формат дати в Excel перед"
        " вивантаженням (або вивантажуйте дати текстом)"
    ),
    "no_format": "не підходить під жоден формат contacts.date_formats ({list}){then_reading}",
    "no_month": "місяця з номером {n} не буває",
    "no_day_0": "нульового числа не буває",
    "no_such_day": "{n}-го числа не буває в жодному місяці",
    "not_leap": "{year} рік не високосний, 29 лютого в ньому немає",
    "month_short": "місяць {month} не має {n}-го числа",
    "no_year_0": "нульового року не буває",
    "reading_add": (
        "; це {spoken}, місяць записано словом: додайте «{format}» до contacts.date_formats, якщо CRM"
        " пише дати так"
    ),
    "reading_spelled": (
        "; це {spoken}, місяць записано словом так, що його не читає жоден формат дати: вивантажуйте"
        " з CRM дати числами (дд.мм.рррр)"
    ),
    "reading_language": (
        "; це {spoken}, місяць записано словом, а {language} назви місяців не читає жоден формат дати:"
        " вивантажуйте з CRM дати числами (дд.мм.рррр)"
    ),
    "reading_two": "; у форматі «{format}» це {spoken}, у форматі «{format2}» — {spoken2}{then_advice}",
    "reading_one": "; у форматі «{format}» це {spoken}{then_advice}",
    "advice_it": " (додайте його до contacts.date_formats, якщо CRM пише дати так)",
    "advice_one": " (додайте до contacts.date_formats той, яким пише CRM)",
    "future_typed": (
        "поле {field}: {dotted} — дата в майбутньому; схоже, день ввели без року, і він отримав рік"
        " введення: запишіть його як {write} або {write2}"
    ),
    "future": "поле {field}: {dotted} — дата в майбутньому",
    "too_old_placeholder": (
        "поле {field}: {dotted} — це {years} (більше ніж {n}: max_years); {year} рік часто ставлять замість"
        " невідомого: запишіть день без року ({write} або {write2})"
    ),
    "too_old": "поле {field}: {dotted} — це {years} (більше ніж {n}: max_years)",
    "too_young": (
        "поле {field}: {dotted} — це {years} (менше ніж {n}: min_years); схоже, день ввели без року, і він"
        " отримав рік введення: запишіть його як {write} або {write2}"
    ),
}

#: Ukrainian (``uk``): the table :data:`greeter.gallery_why.SENTENCES` reads for a Ukrainian gallery.
UKRAINIAN: Final[Mapping[str, str]] = {**_PLANNER, **_CONTACTS}
