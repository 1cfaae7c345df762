"""Hungarian endings a template cannot spell by itself: after a day, after a number, before a name.

Hungarian marks "on that day", "in that year" and "the" by the *sound* of the
word they attach to, and a number or a name is written in digits or letters
that do not show the sound:

* a day of the month takes the superessive of its ordinal, written after a
  hyphen in place of the ordinal's dot: "január 2-án" (másodikán), "március
  15-én" (tizenötödikén), "május 1-jén" (elsején) — :data:`DAY_ENDINGS`;
* a number takes a suffix in the vowel harmony of the *last word spoken*:
  "2027-ben" (kétezer-huszonhét), "2030-ban" (kétezer-harminc), "2000-ben"
  (kétezer), "2100-ban" (kétezer-egyszáz) — :func:`number_suffix`;
* the definite article is "az" before a vowel sound and "a" before a consonant:
  "az Alfa Kft.", "a Duna Kft." — :func:`article`.

Babel (CLDR) has none of this: it writes "január 2." and has no case
endings, and CLDR's Hungarian ordinal categories (``one`` for 1 and 5 only)
do not reach "az 50." (ötvenedik). So the rules are written here, small
enough to check by hand, and each is tested number by number
(tests/test_hungarian_letters.py). The written forms follow the Hungarian
spelling rules (AkH.): a suffix joins a number written in digits with a
hyphen, and an ordinal's dot is dropped before it ("március 15-én",
"május 1-jén").

All functions are pure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Final, Literal

__all__ = ["DAY_ENDINGS", "article", "harmony", "number_suffix", "on_day"]

#: The ending of each day of the month, as the ordinal is spoken with "-n" (on): 1. elsején,
#: 2. másodikán, 3. harmadikán, 4. negyedikén, 5. ötödikén, 6. hatodikán, 7. hetedikén,
#: 8. nyolcadikán, 9. kilencedikén, 10. tizedikén, 20. huszadikán, 30. harmincadikán; from 11
#: on the last word decides (tizenegyedikén, huszonkettedikén…), and only the first of the
#: month takes -jén (11-én, 21-én, 31-én: tizenegyedikén, not *tizenelsején).
DAY_ENDINGS: Final[Mapping[int, str]] = {
    1: "jén", 2: "án", 3: "án", 4: "én", 5: "én", 6: "án", 7: "én", 8: "án", 9: "én", 10: "én",
    11: "én", 12: "én", 13: "án", 14: "én", 15: "én", 16: "án", 17: "én", 18: "án", 19: "én",
    20: "án", 21: "én", 22: "én", 23: "án", 24: "én", 25: "én", 26: "án", 27: "én", 28: "án",
    29: "én", 30: "án", 31: "én",
}  # fmt: skip

#: The harmony of a word a number ends with: back ("három" → -ban, -hoz), front
#: unrounded ("hét" → -ben, -hez) or front rounded ("öt", "kettő" → -ben, -höz).
Harmony = Literal["back", "front", "rounded"]

#: The last word of a number ending in that digit: 1 egy, 2 kettő, 3 három, 4 négy, 5 öt,
#: 6 hat, 7 hét, 8 nyolc, 9 kilenc.
_UNITS: Final[Mapping[int, Harmony]] = {
    1: "front", 2: "rounded", 3: "back", 4: "front", 5: "rounded",
    6: "back", 7: "front", 8: "back", 9: "front",
}  # fmt: skip
#: …ending in that many tens: 10 tíz, 20 húsz, 30 harminc, 40 negyven, 50 ötven, 60 hatvan,
#: 70 hetven, 80 nyolcvan, 90 kilencven (the last vowel decides: ötven is unrounded, "ötvenhez").
_TENS: Final[Mapping[int, Harmony]] = {
    1: "front", 2: "back", 3: "back", 4: "front", 5: "front",
    6: "back", 7: "front", 8: "back", 9: "front",
}  # fmt: skip
#: …ending in a round hundred, thousand, million, billion: száz, ezer, millió, milliárd.
_POWERS: Final[tuple[tuple[int, Harmony], ...]] = (
    (10**9, "back"), (10**6, "back"), (1000, "front"), (100, "back"),
)  # fmt: skip


def harmony(n: int) -> Harmony:
    """The vowel harmony of ``n`` as Hungarian says it, by its last word: 2027 → "front" (hét).

    The last non-zero digit names the last word: a unit (…7: hét), else a ten
    (…30: harminc), else the round hundred, thousand, million or billion the
    number ends in (2100: száz, 2000: ezer, 3 000 000: millió). 0 is "nulla".
    The sign does not change the last word ("mínusz öt").
    """
    n = abs(n)
    if n == 0:
        return "back"
    if n % 10:
        return _UNITS[n % 10]
    if n % 100:
        return _TENS[n % 100 // 10]
    for power, sound in _POWERS:
        if n % power == 0 and (n // power) % 1000:
            return sound
    return "back"  # a multiple of 10**12 and more: billió, trillió…


def number_suffix(n: int, forms: str) -> str:
    """``n`` with the form of a suffix its sound takes: (2027, "ban|ben") → "2027-ben", 2030 → "2030-ban".

    ``forms``: the back and the front form ("ban|ben", "ra|re", "nak|nek",
    "ból|ből"), or back, front and front rounded ("hoz|hez|höz": "3-hoz",
    "7-hez", "5-höz"). Only suffixes that join a number as they are: one that
    takes a linking vowel or assimilates (-t, -n, -val/-vel: "5-öt", "7-tel")
    needs the word's last sound, not only its harmony, and is not offered.
    Any other number of forms is a :class:`ValueError` (a template mistake).
    """
    items = [form.strip() for form in forms.split("|")]
    if len(items) not in (2, 3) or not all(items):
        raise ValueError(
            f"hu_suffix needs 'back|front' or 'back|front|rounded' forms, e.g. 'ban|ben' or "
            f"'hoz|hez|höz'; got {forms!r}"
        )
    sound = harmony(n)
    index = {"back": 0, "front": 1, "rounded": len(items) - 1}[sound]
    return f"{n}-{items[index]}"


def on_day(d: date, month: str) -> str:
    """A day as a sentence says something happens on it: "január 2-án", ``month`` being its name.

    The name comes from CLDR (:func:`greeter.i18n.format_date`), the ending
    from :data:`DAY_ENDINGS`.
    """
    return f"{month} {d.day}-{DAY_ENDINGS[d.day]}"


#: Consonant letters whose Hungarian names begin with a vowel (ef, el, em, en, er, es, iksz,
#: ipszilon): an abbreviation read letter by letter takes "az" ("az MKB"), one read as a word "a"
#: ("a MOL"), and the spelling does not say which.
_SPELLED_WITH_A_VOWEL: Final = frozenset("FLMNRSXY")
#: What may open a name before its first letter: quotes of any language, brackets.
_OPENERS: Final = "\"'„“”«»‚‘’‹›([ "


def article(text: str) -> str:
    """The definite article for a name, "a" or "az"; "" where the spelling does not tell.

    "az" before a vowel letter ("az Alfa Kft.", "az OTP Bank", "az „Ész” Bt."),
    "a" before a consonant ("a Duna Kft.", "a BKV"). "" for a name opening with
    a digit ("a 4iG", but "az 1. Kerületi", "az 5 Kontinens"), with a letter
    outside the Latin script (a Cyrillic title has no Hungarian reading), and
    with an abbreviation in capitals whose first letter's name begins with a
    vowel ("a MOL" read as a word, "az MKB" letter by letter): a template then
    says it without the name, as a wrong "a"/"az" would be worse.
    """
    word = text.lstrip(_OPENERS).split(maxsplit=1)
    if not word:
        return ""
    first = word[0][0]
    if not first.isalpha() or not unicodedata.name(first, "").startswith("LATIN"):
        return ""
    base = unicodedata.normalize("NFD", first)[0].lower()
    if base in "aeiou":
        return "az"
    letters = "".join(c for c in word[0] if c.isalpha())
    if letters.isupper() and first.upper() in _SPELLED_WITH_A_VOWEL:
        return ""
    return "a"
