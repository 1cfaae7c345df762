"""A client's company name as Russian text writes it: ООО «Ромашка», ИП Кузнецов Д. С. — pure.

Russian puts the organisation's own name in «guillemets» and leaves the
abbreviated legal form outside them: ООО «Тест3», not «ООО Тест3». An
individual entrepreneur has no company name at all, only his own: ИП Кузнецов
Д. С. takes no quotes. CRMs hold all three spellings (bare "Рога и Копыта",
"ООО Тест3", "ООО «Вектор»"), so the letter decides, from one table:

* already quoted (any of « » " “ ” „ ' ‘ ’) → exactly as written;
* a legal form for an organisation (:data:`ORGANISATION_FORMS`) first, then the
  name → the form, then the name in guillemets;
* a legal form for a person (:data:`PERSON_FORMS`) first → as written;
* a legal form and nothing after it → as written;
* anything else → the whole name in guillemets: «Рога и Копыта».

Abbreviations are recognised only in capitals (as they are written), spelled-out
forms in any case. Forms that are also common words or trade names (ПК is a
"персональный компьютер" as often as a "производственный кооператив") are not
in the table: a name the table does not know is quoted whole, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

__all__ = ["ORGANISATION_FORMS", "PERSON_FORMS", "company_name"]

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
)
#: Legal forms of a person trading under his own name: no quotes at all.
PERSON_FORMS: Final[tuple[str, ...]] = (
    "ИП",
    "Индивидуальный предприниматель",
    "Глава КФХ",
)

_QUOTES: Final = frozenset("«»\"“”„'‘’")


def _pattern(form: str) -> str:
    words = r"\s+".join(re.escape(word) for word in form.split())
    return words if form.isupper() else f"(?i:{words})"


def _forms_regex(forms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first: "Публичное акционерное общество" wins over "Акционерное общество".
    alternatives = "|".join(_pattern(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?=\s|$)")


_ORGANISATION: Final = _forms_regex(ORGANISATION_FORMS)
_PERSON: Final = _forms_regex(PERSON_FORMS)


@lru_cache(maxsize=4096)
def company_name(name: str) -> str:
    """``"ООО Тест3"`` → "ООО «Тест3»", ``"Рога и Копыта"`` → "«Рога и Копыта»", "ИП Кузнецов" as is.

    Stray spaces are collapsed; an empty name stays empty. See the module
    docstring for the rules.
    """
    text = " ".join(name.split())
    if not text or not _QUOTES.isdisjoint(text) or _PERSON.match(text):
        return text
    form = _ORGANISATION.match(text)
    if form is None:
        return f"«{text}»"
    rest = text[form.end() :].strip()
    return f"{form.group()} «{rest}»" if rest else text
