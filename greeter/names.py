"""Names as CRMs export them, made fit to address a person — pure.

* Splitting a single full-name column, "Фамилия Имя Отчество", into parts.
  CRMs such as 1C and Bitrix often export one ФИО column. The order is fixed
  (surname first); what varies is the number of words: a two-word name (no
  patronymic), a hyphenated surname (still one word), and Turkic patronymics
  written as two words ("Рашид оглы"), which must stay together.
* Gender from the patronymic, the one part of a Russian name that encodes it
  by construction. The letter's wording (:mod:`greeter.addressing`) and the
  loader's check of an explicit gender column both use this one rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, NamedTuple

from greeter.contacts import Gender

__all__ = [
    "TURKIC_PARTICLES",
    "NameParts",
    "is_turkic",
    "patronymic_gender",
    "split_full_name",
]

# Turkic patronymic particles ("son of" / "daughter of"), as separate words:
# Azerbaijani/Turkish оглы/оглу, гызы/кызы; Kazakh улы; Kyrgyz уулу;
# Uzbek угли/углы, кизи; Kazakh кзы.
TURKIC_MALE: Final = frozenset({"оглы", "оглу", "улы", "уулу", "угли", "углы"})
TURKIC_FEMALE: Final = frozenset({"кызы", "гызы", "кизи", "кзы"})
TURKIC_PARTICLES: Final = TURKIC_MALE | TURKIC_FEMALE
_WORD_SEPARATORS: Final = re.compile(r"[\s\-]+")
# -вна (Петровна), -чна (Ильинична, Кузьминична, Саввична), -шна (Лукинишна).
_FEMALE_PATRONYMIC_ENDINGS: Final = ("вна", "чна", "шна")
# -вич (Петрович) and -ич (Ильич, Кузьмич, Лукич).
_MALE_PATRONYMIC_ENDINGS: Final = ("ич",)


class NameParts(NamedTuple):
    last_name: str
    first_name: str
    patronymic: str


def split_full_name(full: str) -> NameParts:
    """``"Алиев Гусейн Рашид оглы"`` → (Алиев, Гусейн, "Рашид оглы"); extra spaces ignored.

    One word is taken as a first name (a greeting needs a name to address),
    two as surname + first name, three or more as surname, first name and the
    rest as the patronymic.
    """
    words = full.split()
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", words[0], "")
    if len(words) == 2:
        return NameParts(words[0], words[1], "")
    return NameParts(words[0], words[1], " ".join(words[2:]))


def _patronymic_words(patronymic: str) -> list[str]:
    return [w for w in _WORD_SEPARATORS.split(patronymic.strip().lower()) if w]


def is_turkic(patronymic: str) -> bool:
    """Whether the patronymic is a Turkic one with its particle ("Рашид оглы", "Рашид-оглы")."""
    return any(w in TURKIC_PARTICLES for w in _patronymic_words(patronymic))


@lru_cache(maxsize=8192)
def patronymic_gender(patronymic: str) -> Gender:
    """The gender a patronymic says, or ``UNKNOWN``; any letter case.

    Matched on its last word (-вич/-ич male; -вна, -чна, -шна female), or on a
    Turkic particle written as a separate word ("Рашид оглы", "Лутфияр
    кызы", also hyphenated "Рашид-оглы"). Cached: patronymics repeat heavily.
    """
    words = _patronymic_words(patronymic)
    if not words:
        return Gender.UNKNOWN
    if any(w in TURKIC_MALE for w in words):
        return Gender.MALE
    if any(w in TURKIC_FEMALE for w in words):
        return Gender.FEMALE
    last = words[-1]
    if last.endswith(_MALE_PATRONYMIC_ENDINGS):
        return Gender.MALE
    if last.endswith(_FEMALE_PATRONYMIC_ENDINGS):
        return Gender.FEMALE
    return Gender.UNKNOWN
