"""A client's company name as Russian text writes it: ООО «Ромашка», ИП Кузнецов Д. С. — pure.

Russian puts the organisation's own name in «guillemets» and leaves the
abbreviated legal form outside them: ООО «Тест3», not «ООО Тест3». An
individual entrepreneur has no company name at all, only his own: ИП Кузнецов
Д. С. takes no quotes. A name written in the Latin (or any non-Cyrillic) script
takes no quotes either — Kats GmbH, Acme Inc., Jovanović d.o.o. — as Russian
typography leaves names in a foreign script unquoted. CRMs hold all these
spellings (bare "Рога и Копыта", "ООО Тест3", "ООО «Вектор»"), so the letter
decides, from one table (:func:`company_name`):

* already quoted (any of « » " “ ” „ ' ‘ ’) → as written, but for straight double
  quotes, which a plain-text CRM field has for want of others: they become the
  letter's own — ``ООО "Вектор"`` → ООО «Вектор» (:func:`_typographic`);
* a legal form for an organisation (:data:`ORGANISATION_FORMS`) first, then the
  name → the form, then the name in guillemets;
* a legal form for a person (:data:`PERSON_FORMS`) first → as written;
* a legal form and nothing after it → as written;
* a name without a Cyrillic letter (and with some letter) → as written;
* anything else → the whole name in guillemets: «Рога и Копыта».

Inside a sentence a letter needs more than the name: *whose* partner, *to
whom* prosperity — and :func:`company_in` gives the words for a grammatical
case. «Компания» is right only for a name that says nothing of what it is:
«компании «Рога и Копыта»», «компании Kats GmbH». A Russian legal form is
itself the noun — «компании ООО «Тест3»» says it twice, and an individual
entrepreneur is a person, not a «компания» — so the form stands alone, and
abbreviated: «партнёром ООО «Тест3»», «Вам и ИП Кузнецов Д. С.». An
abbreviation does not decline, so it fits every case; a spelled-out form would
have to («Обществу с ограниченной ответственностью»), and no greeting spells
it out anyway, so it is abbreviated (:data:`ABBREVIATIONS`). The name after ИП
is left as registered: declining it needs a gender its initials do not give.

A letter in another language quotes as that language does
(:func:`company_name`'s ``language``): Serbian and Estonian „Дунав д.о.о.“,
Hungarian „Duna Kft.”, German „Kats GmbH“ — the whole name, whatever its
script (those letters quote foreign names too); an English letter writes the
name as it is. Only Russian (and Ukrainian, Belarusian) leaves a Latin name bare.

The markets' own forms are in the tables too: Ukrainian (ТОВ, ПрАТ, АТ; ФОП
is a person), Kazakh (ТОО, ЖШС, АҚ), Belarusian (ОДО, ТАА), Uzbek (МЧЖ). A
Latin-script form (GmbH, d.o.o., Kft., OÜ, AS, LLC) needs no entry: the name
is foreign to a Russian sentence whatever its form, so it stays bare after
«компании» — «компании Duna Kft.».

Abbreviations are recognised only as written (ООО, ПрАТ), spelled-out
forms in any case. Forms that are also common words or trade names (ПК is a
"персональный компьютер" as often as a "производственный кооператив") are not
in the table: a name the table does not know is quoted whole, as before.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["ABBREVIATIONS", "COMPANY", "ORGANISATION_FORMS", "PERSON_FORMS", "company_in", "company_name"]

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

#: «Компания» in each grammatical case (:data:`greeter.addressing.CASES`), for a name without a form.
COMPANY: Final[dict[str, str]] = {
    "nominative": "компания",
    "genitive": "компании",
    "dative": "компании",
    "accusative": "компанию",
    "instrumental": "компанией",
    "prepositional": "компании",
}

_QUOTES: Final = frozenset("«»\"“”„'‘’")


def _pattern(form: str) -> str:
    """An abbreviation (one word: ООО, ПрАТ) matches as written, a spelled-out form in any case."""
    words = r"\s+".join(re.escape(word) for word in form.split())
    return words if form.isupper() or " " not in form else f"(?i:{words})"


def _forms_regex(forms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first: "Публичное акционерное общество" wins over "Акционерное общество".
    alternatives = "|".join(_pattern(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?=\s|$)")


_ORGANISATION: Final = _forms_regex(ORGANISATION_FORMS)
_PERSON: Final = _forms_regex(PERSON_FORMS)


def _foreign_script(text: str) -> bool:
    """Some letter, and no Cyrillic one: Kats GmbH, Türk A.Ş. — not «3 кота», not "123"."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(unicodedata.name(c, "").startswith("CYRILLIC") for c in letters)


#: Opening and closing quotes of the languages that quote a company's whole name (CLDR's, which
#: Babel does not ship). Russian's guillemets and rules are :func:`company_name`'s default.
LOCALE_QUOTES: Final = {
    "sr": ("„", "“"),
    "hu": ("„", "”"),
    "et": ("„", "“"),
    "de": ("„", "“"),
}
#: Languages that leave a company name unquoted.
_BARE: Final = frozenset({"en"})


@lru_cache(maxsize=4096)
def company_name(name: str, language: str = "ru") -> str:
    """``"ООО Тест3"`` → "ООО «Тест3»", ``"Рога и Копыта"`` → "«Рога и Копыта»", "ИП Кузнецов" as is.

    Stray spaces are collapsed; an empty name stays empty. See the module
    docstring for the rules. ``language`` is the letter's: ``"sr"`` →
    „Дунав д.о.о.“, ``"hu"`` → „Duna Kft.”, ``"en"`` → as written; a language
    without its own rule quotes as Russian does.
    """
    text = " ".join(name.split())
    if not text or _PERSON.match(text) or language in _BARE:
        return text
    opening, closing = LOCALE_QUOTES.get(language, ("«", "»"))
    if not _QUOTES.isdisjoint(text):
        return _typographic(text, opening, closing)
    form = _ORGANISATION.match(text)
    if form is None:
        russian = language not in LOCALE_QUOTES  # a Latin name stays bare in a Russian sentence
        return text if russian and _foreign_script(text) else f"{opening}{text}{closing}"
    rest = text[form.end() :].strip()
    return f"{form.group()} {opening}{rest}{closing}" if rest else text


def _typographic(text: str, opening: str, closing: str) -> str:
    """Straight double quotes, as a CRM's plain-text field has them, as the letter's language quotes.

    ``ООО "Вектор; плюс"`` → ООО «Вектор; плюс»; nested, ``ООО "Завод "Прогресс""``
    → ООО «Завод «Прогресс»» (business Russian nests «ёлочки» in «ёлочки»). A quote
    opens after the start, a space, a bracket or an opening quote, and closes
    otherwise; quotes that do not pair up that way are left as typed (a sign of
    something other than a quoted name: 12" pipes), and so are typographic ones.
    """
    if '"' not in text:
        return text
    out: list[str] = []
    depth = 0
    for i, char in enumerate(text):
        if char != '"':
            out.append(char)
            continue
        before = text[i - 1] if i else " "
        if before.isspace() or before in "([" or (out and out[-1] == opening):
            out.append(opening)
            depth += 1
        elif depth:
            out.append(closing)
            depth -= 1
        else:
            return text
    return "".join(out) if depth == 0 else text


@lru_cache(maxsize=4096)
def company_in(name: str, case: str) -> str:
    """The words naming the client's organisation in a grammatical ``case`` (one of ``COMPANY``'s keys).

    ``"Рога и Копыта"`` → "компании «Рога и Копыта»" (genitive, dative),
    ``"Kats GmbH"`` → "компании Kats GmbH", ``"ООО Тест3"`` → "ООО «Тест3»",
    ``"Общество с ограниченной ответственностью Ромашка"`` → "ООО «Ромашка»",
    ``"ИП Кузнецов Д. С."`` → "ИП Кузнецов Д. С."; an empty name stays empty.
    Why the legal form replaces «компания»: see the module docstring.
    """
    if case not in COMPANY:
        raise ValueError(f"unknown grammatical case {case!r}; expected one of: {', '.join(COMPANY)}")
    text = " ".join(name.split())
    if not text:
        return ""
    form = _PERSON.match(text) or _ORGANISATION.match(text)
    if form is None:
        return f"{COMPANY[case]} {company_name(text)}"
    short = ABBREVIATIONS.get(form.group().lower(), form.group())
    return company_name(f"{short}{text[form.end() :]}")
