"""Which reading of a file's bytes is text of a language — pure, for ``encoding: auto``'s near-ties.

A single-byte code page decodes any bytes, and charset-normalizer scores a
short Hungarian export the same in cp1250, cp1257 and Latin-1: its measures
(chaos, and coherence from each language's 26 most frequent letters) do not
see ő and ű, which only cp1250 of the three has. But a wrong code page gives
itself away in the words: Hungarian cp1250 bytes read as cp1257 are
«Azonosķtó», «Idõzóna», «Kovįcs» — letters of Latvian, Estonian and
Lithuanian in one word, a word of no language — and read as Latin-1 «Szõke»,
«Ernõ». So each reading is scored by its words: the share of the words with
a letter beyond ASCII that are wholly in one language's alphabet
(:func:`fit`). The letters are each language's own, as its alphabet (and its
usual loanwords and names) writes them; for a language written in Latin
letters any ASCII letter is in it too, for one written in Cyrillic none is
(«Kovбcs», Hungarian read as cp1251, is no Russian word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

__all__ = ["ALPHABETS", "fit", "written_in"]

_RUSSIAN: Final = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
#: Each language's letters beyond ASCII (lower case), for those written in Latin letters; the whole
#: alphabet for those written in Cyrillic. The languages whose text the code pages ``encoding: auto``
#: tells apart carry (:data:`greeter.sources.csv_source._CODE_PAGES`): Central European (cp1250),
#: Baltic (cp1257), Turkish (cp1254), Western (Latin-1) and Cyrillic (cp1251, KOI8-R, cp866).
ALPHABETS: Final[Mapping[str, str]] = {
    "hu": "áéíóöőúüű",
    "et": "äöõüšž",
    "lv": "āčēģīķļņšūž",
    "lt": "ąčęėįšųūž",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "sl": "čćšž",
    "hr": "čćđšž",  # and Serbian and Bosnian in Latin letters
    "ro": "ăâîșțşţ",
    "tr": "âçğıîöşûü",
    "az": "çəğıöşü",
    "sq": "çë",
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "es": "áéíñóúü",
    "pt": "áàâãçéêíóôõú",
    "it": "àèéìíîòóù",
    "nl": "áéíóúäëïöü",
    "da": "æøåé",  # and Norwegian
    "sv": "åäöé",
    "fi": "åäöšž",
    "is": "áðéíóúýþæö",
    "ca": "àçéèíïòóúü",
    "ru": _RUSSIAN,
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "kk": _RUSSIAN + "әғқңөұүһі",
}
_CYRILLIC: Final = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk"})
_ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
_LETTERS: Final = {
    language: frozenset(letters) | (frozenset() if language in _CYRILLIC else _ASCII_LETTERS)
    for language, letters in ALPHABETS.items()
}
_WORD: Final = re.compile(r"[^\W\d_]+")


def fit(text: str, languages: Iterable[str] = ()) -> tuple[float, float]:
    """How much ``text`` reads as a language: (the best share of its words, the best among ``languages``).

    A share is of the words with a letter beyond ASCII (all-ASCII words are
    the same in every code page: they tell nothing) that are wholly written in
    one language's letters; 0.0 for a text without such words. ``languages``:
    the ones the config says its clients use (``defaults.locale``'s, "hu"),
    which settle a reading that fits two languages as well («Tõnu» in cp1257 is
    Estonian, «Tőnu» in cp1250 Hungarian); unknown ones count as none.
    """
    words: Counter[frozenset[str]] = Counter(
        frozenset(word) for word in _WORD.findall(text.lower()) if not word.isascii()
    )
    total = sum(words.values())
    if not total:
        return 0.0, 0.0
    shares = {
        language: sum(n for letters, n in words.items() if letters <= alphabet) / total
        for language, alphabet in _LETTERS.items()
    }
    own = [shares[language] for language in languages if language in shares]
    return max(shares.values()), max(own, default=0.0)


def written_in(word: str, languages: Iterable[str]) -> bool:
    """Whether ``word`` is wholly written in the letters of one of ``languages`` (any letter case).

    Unknown languages count as none. Pure: ``written_in("Јован", ("sr", "mk"))`` is true,
    ``written_in("Јлия", ("sr", "mk"))`` false (neither has «я»).
    """
    letters = frozenset(word.lower())
    return any(letters <= _LETTERS[language] for language in languages if language in _LETTERS)
