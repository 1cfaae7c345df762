"""Letter case of names as CRMs export them — pure.

Names typed in capitals or in lower case ("ИВАНОВ ИВАН", "мария") would reach
the letter as typed ("Уважаемый ИВАН ПЕТРОВИЧ!"). Such a name is written the
usual way; a name with any mixed case ("McDonald", "де Голль") is the client's
own spelling and is never touched.

Written the usual way in the name's own alphabet: Georgian has no capitals
(Mtavruli is an all-caps style, never a name's first letter), so «ბერიძე
ნინო» stays as typed where ``upper()`` wrote «Ბერიძე Ნინო»; Azerbaijani and
Turkish Latin have a dotted and a dotless i (İ/i, I/ı), so «ƏLİYEV» is
«Əliyev», not «Əli̇yev» with a combining dot, and «QASIMOVA» is «Qasımova».
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from greeter.names import LETTERS, NOT_NAME, locale_language
from greeter.patronymics import turkic_particle

__all__ = ["normalise_case", "turkic_case"]

_APOSTROPHES: Final = "'’ʼ"
#: Languages whose Latin letters pair İ with i and I with ı: Azerbaijani and Turkish.
_TURKIC_CASE_LANGUAGES: Final = frozenset({"az", "tr"})
#: Letters only the Turkic Latin alphabets write (Azerbaijani ə, and the dotted İ and dotless ı of
#: Azerbaijani, Turkish, Crimean Tatar, Gagauz, Kazakh Latin): a name with one is cased by their rule.
_TURKIC_LETTERS: Final = frozenset("əƏıİ")
#: Turkic lower case: I is ı, İ is i (Python's ``lower()`` writes i and a combining dot U+0307).
_TURKIC_LOWER: Final = str.maketrans({"I": "ı", "İ": "i"})


@lru_cache(maxsize=64)
def turkic_case(locale: str | None) -> bool:
    """Whether a contact of ``locale`` writes Latin letters by the Turkic case rule (I↔ı, İ↔i): az, tr.

    Cached: the row parser asks once per row, and a source has a few locales.
    """
    return locale_language(locale) in _TURKIC_CASE_LANGUAGES


def normalise_case(name: str, locale: str | None = None) -> str:
    """``"АННА-МАРИЯ"`` → "Анна-Мария", ``"гусейн оглы"`` → "Гусейн оглы"; mixed case unchanged.

    Only a name written entirely in capitals or entirely in lower case, with
    at least two letters and nothing but letters, spaces, hyphens,
    apostrophes and dots, is re-cased: each word, each hyphenated part and
    each initial ("И.П.") capitalised; the Turkic particles (оглы, кызы, улы,
    уулу, кизи, …) lower case after the first word; after an apostrophe, a
    capital only in the Latin O'Brien / D'Artagnan pattern, not in Дем'ян.
    The common case — a name written normally — costs two C-level tests.

    A word's first letter is its title case, as ``str.title`` writes it: a
    Georgian letter has none and stays as it is (a Mtavruli name typed in
    capitals is written in Mkhedruli); Armenian has case and is capitalised.
    The Turkic rule (I↔ı, İ↔i) applies when the contact's ``locale`` is
    Azerbaijani or Turkish, or when the name itself writes a letter only
    those alphabets have (ə, ı, İ: :data:`_TURKIC_LETTERS`), so «ƏLİYEV
    RƏŞAD» is right in any contact's row; «QASIMOVA» has no such letter, and
    is «Qasımova» only for an az/tr contact («Qasimova» otherwise). The one
    cost: a foreign name in capitals of an az/tr contact («SMITH») gets a ı.
    The particles are lower case whatever the locale, Latin ones too (oğlu,
    qızı, oglu, qizi: :func:`greeter.patronymics.turkic_particle`).
    """
    if not (name.isupper() or name.islower()):
        return name
    if sum(len(run) for run in LETTERS.findall(name)) < 2 or NOT_NAME.search(name):
        return name
    turkic = turkic_case(locale) or not _TURKIC_LETTERS.isdisjoint(name)
    lower = name.translate(_TURKIC_LOWER).lower() if turkic else name.lower()
    out: list[str] = []
    end = 0
    previous: re.Match[str] | None = None
    for run in LETTERS.finditer(lower):
        before, word = lower[end : run.start()], run.group()
        if previous is not None and turkic_particle(word):
            capital = False
        elif before and before[-1] in _APOSTROPHES:
            capital = before in _APOSTROPHES and _latin_initial(lower, previous)
        else:
            capital = True
        out.append(before + (_capital(word[:1], turkic) + word[1:] if capital else word))
        end, previous = run.end(), run
    out.append(lower[end:])
    return "".join(out)


def _latin_initial(text: str, run: re.Match[str] | None) -> bool:
    """Whether ``run`` is one Latin letter starting a word, as the O of O'Brien."""
    if run is None or len(run.group()) != 1 or not run.group().isascii():
        return False
    return run.start() == 0 or text[run.start() - 1] in " -"


def _capital(letter: str, turkic: bool) -> str:
    """A word's first ``letter`` as a capital: its title case (none for Georgian), İ for a Turkic i."""
    return "İ" if turkic and letter == "i" else letter.title()
