"""Names as CRMs export them, made fit to address a person — pure.

* Splitting a single full-name column, "Фамилия Имя Отчество", into parts.
  CRMs such as 1C and Bitrix often export one ФИО column. The order is fixed
  (surname first); what varies is the number of words: a two-word name (no
  patronymic), a hyphenated surname (still one word), and Turkic patronymics
  written as two words ("Рашид оглы"), which must stay together.
* Gender from the patronymic, the one part of a Russian name that encodes it
  by construction. The letter's wording (:mod:`greeter.addressing`) and the
  loader's check of an explicit gender column both use this one rule.
* Letter case: names typed in capitals or in lower case ("ИВАНОВ ИВАН",
  "мария") would reach the letter as typed ("Уважаемый ИВАН ПЕТРОВИЧ!").
  Such a name is written the usual way; a name with any mixed case
  ("McDonald", "де Голль") is the client's own spelling and is never touched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, NamedTuple

from greeter.contacts import Contact, Gender

__all__ = [
    "TURKIC_PARTICLES",
    "NameParts",
    "gender_of",
    "is_turkic",
    "normalise_case",
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
# -вич (Петрович) and -ич (Ильич, Кузьмич, Лукич); -іч is the Ukrainian Ілліч (Belarusian -віч).
_MALE_PATRONYMIC_ENDINGS: Final = ("ич", "іч")

#: Anything but letters, spaces, hyphens, apostrophes and dots: text that is not a plain name
#: (digits, "{{ 7*7 }}") is data of another kind and stays exactly as typed.
_NOT_NAME: Final = re.compile(r"[^\w\s\-'’ʼ.]|[\d_]")
_LETTERS: Final = re.compile(r"[^\W\d_]+")
_APOSTROPHES: Final = "'’ʼ"


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

    Matched on its last word (-вич/-ич/-іч male; -вна, -чна, -шна female), or on a
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


def gender_of(contact: Contact) -> Gender:
    """The gender to word a letter by: the explicit column, else the patronymic, else unknown.

    An explicit value (including an explicit ``UNKNOWN``) always wins over the
    patronymic, so a manager can correct a wrong guess. The patronymic is
    matched case-insensitively on its last word (-вич/-ич male; -вна, -чна,
    -шна female), or on a Turkic particle written as a separate word ("Рашид
    оглы", "Лутфияр кызы", also hyphenated "Рашид-оглы"). First names are
    deliberately ignored: an unknown gender costs a neutral "Здравствуйте", a
    wrong one costs the client.
    """
    if contact.gender is not None:
        return contact.gender
    return patronymic_gender(contact.patronymic)


def normalise_case(name: str) -> str:
    """``"АННА-МАРИЯ"`` → "Анна-Мария", ``"гусейн оглы"`` → "Гусейн оглы"; mixed case unchanged.

    Only a name written entirely in capitals or entirely in lower case, with
    at least two letters and nothing but letters, spaces, hyphens,
    apostrophes and dots, is re-cased: each word, each hyphenated part and
    each initial ("И.П.") capitalised; the Turkic particles (оглы, кызы, улы,
    уулу, кизи, …) lower case after the first word; after an apostrophe, a
    capital only in the Latin O'Brien / D'Artagnan pattern, not in Дем'ян.
    The common case — a name written normally — costs two C-level tests.
    """
    if not (name.isupper() or name.islower()):
        return name
    if sum(len(run) for run in _LETTERS.findall(name)) < 2 or _NOT_NAME.search(name):
        return name
    lower = name.lower()
    out: list[str] = []
    end = 0
    previous: re.Match[str] | None = None
    for run in _LETTERS.finditer(lower):
        before, word = lower[end : run.start()], run.group()
        if previous is not None and word in TURKIC_PARTICLES:
            capital = False
        elif before and before[-1] in _APOSTROPHES:
            capital = before in _APOSTROPHES and _latin_initial(lower, previous)
        else:
            capital = True
        out.append(before + (word[:1].upper() + word[1:] if capital else word))
        end, previous = run.end(), run
    out.append(lower[end:])
    return "".join(out)


def _latin_initial(text: str, run: re.Match[str] | None) -> bool:
    """Whether ``run`` is one Latin letter starting a word, as the O of O'Brien."""
    if run is None or len(run.group()) != 1 or not run.group().isascii():
        return False
    return run.start() == 0 or text[run.start() - 1] in " -"
