"""What a patronymic says — pure: its gender, its Turkic particle, its look-alike letters.

Moved out of :mod:`greeter.names` (which reads whole names) as it neared the
900-line limit. The patronymic is the one part of a Russian name that encodes
the gender by construction (and of a Turkic one: "Рашид оглы", "Болатұлы"),
in Cyrillic or Latin letters; the letter's wording (:mod:`greeter.addressing`),
:func:`greeter.names.gender_of` and the loader's check of an explicit gender
column all use this one rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from greeter.contacts import Gender

__all__ = [
    "TURKIC_PARTICLES",
    "cyrillic_word",
    "is_turkic",
    "joined_particle",
    "lookalike_latin",
    "patronymic_gender",
    "plain_patronymic_gender",
    "turkic_particle",
]

# Turkic patronymic particles ("son of" / "daughter of"), as separate words:
# Azerbaijani/Turkish оглы/оглу (оғлы/оғлу), гызы/кызы; Kazakh ұлы/улы, қызы/кызы (also кзы);
# Kyrgyz and Tatar уулу/улы, кызы; Bashkir улы, ҡыҙы; Uzbek ўғли (ўгли, уғли, угли, углы), қизи/кизи.
# Tajik (Persian, not Turkic, but written and read alike) писари/духтари, before the father's name
# («духтари Рустам»): a Dushanbe office's patronymics said no gender. Its -зода («Рустамзода», a
# surname or a patronymic, "born of") is carried by men and women alike: no particle, no gender.
TURKIC_MALE: Final = frozenset(
    {"оглы", "оглу", "оғлы", "оғлу", "улы", "ұлы", "уулу", "ўғли", "ўгли", "уғли", "угли", "углы", "писари"}
)
TURKIC_FEMALE: Final = frozenset({"кызы", "қызы", "гызы", "ҡыҙы", "кизи", "қизи", "кзы", "духтари"})
TURKIC_PARTICLES: Final = TURKIC_MALE | TURKIC_FEMALE
#: Georgian's patronymic, the father's name in the genitive and a word of its own: ძე, son
#: («შალვას ძე»), ასული, daughter («შალვას ასული»). Only as a separate word: -ძე joined is a
#: surname's ending (ბერიძე).
_GEORGIAN_PATRONYMIC: Final[dict[str, Gender]] = {"ძე": Gender.MALE, "ასული": Gender.FEMALE}
#: The particles also written joined to the father's name, as one word: Kazakh Болатұлы,
#: Маратулы, Нұрланқызы, Ерланкызы (and in Latin letters Bolatuly, Nurlanqyzy, Erlankyzy). Their
#: gender is the particle's (:data:`TURKIC_MALE`, :data:`_LATIN_TURKIC_MALE`…). Such a word is a
#: patronymic only where a patronymic stands — the patronymic column, or the patronymic's place in
#: a name cell («Серик Болатұлы Жумабаев») — never alone: since the 1990s many Kazakhs carry the
#: same form as their surname (Жаксыбекулы, Нұрланұлы), which says nothing about a first name.
_JOINED_TURKIC: Final = ("ұлы", "улы", "қызы", "кызы", "uly", "qyzy", "kyzy")
#: Letters at least before a joined particle: the father's name («Болатұлы»), not a word that merely
#: ends so (Russian «акулы», «скулы»; "duly", "July").
_JOINED_STEM: Final = 3
_WORD_SEPARATORS: Final = re.compile(r"[\s\-]+")
# -вна (Петровна), -чна (Ильинична, Кузьминична, Саввична), -шна (Лукинишна); Belarusian -ўна
# (Іванаўна, Сяргееўна, Паўлаўна: a Minsk office's women were all of unknown gender) and -ічна.
_FEMALE_PATRONYMIC_ENDINGS: Final = ("вна", "чна", "шна", "ўна")
# -вич (Петрович) and -ич (Ильич, Кузьмич, Лукич); -іч is the Ukrainian Ілліч (Belarusian -віч).
_MALE_PATRONYMIC_ENDINGS: Final = ("ич", "іч")

#: A Russian patronymic in Latin letters, as the languages greeter writes letters in (and its
#: neighbours) transliterate -ич (Ильич, Петрович): English and Spanish -ich (Ilyich, Petrovich), French
#: -itch, German -itsch, Estonian and Finnish -itš (-itsh without the háček), Czech, Slovak and
#: Serbo-Croatian -ič, Latvian -ičs, Turkish -iç, Hungarian -ics (Iljics), Polish -icz, Romanian and
#: Moldovan -ici; and -ична/-ишна (Ильинична, Лукинишна) in the same spellings.
_LATIN_MALE_PATRONYMIC_ENDINGS: Final = (
    "ich", "itch", "itsch", "itš", "itsh", "ič", "ičs", "iç", "ics", "icz", "ici",
)  # fmt: skip
#: -вна (Petrovna; German and Polish Petrowna) and -ична/-ишна (Ilyinichna, Iljinitšna, Lukinishna).
_LATIN_FEMALE_PATRONYMIC_ENDINGS: Final = (
    "vna", "wna", "chna", "tšna", "tshna", "tschna", "čna", "çna", "csna", "czna", "shna", "šna", "schna",
)  # fmt: skip
#: The Turkic particles in Latin letters, as separate words: Azerbaijani oğlu/oglu, qızı/gızı; Turkish
#: oğlu, kızı; Kazakh uly, qyzy; Kyrgyz uulu, kyzy; Uzbek o‘g‘li (ogli once its apostrophes are
#: dropped), qizi; and the English spellings of the Russian forms, ogly, kyzy.
_LATIN_TURKIC_MALE: Final = frozenset({"oglu", "oğlu", "ogly", "oglı", "ogli", "uly", "ulı", "uulu", "ugli"})
_LATIN_TURKIC_FEMALE: Final = frozenset(
    {"kyzy", "kyzi", "kızı", "kizi", "qizi", "qızı", "qyzy", "gyzy", "gızı", "gizi"}
)
_LATIN_TURKIC_PARTICLES: Final = _LATIN_TURKIC_MALE | _LATIN_TURKIC_FEMALE
#: Apostrophes of Uzbek Latin (o‘g‘li, oʻgʻli, o'g'li): dropped before the particles are looked up.
_TURKIC_APOSTROPHES: Final = str.maketrans("", "", "'‘’ʼʻ`")
#: Cyrillic letters that look like Latin ones, in a word otherwise Latin ("Petrovnа" with a Cyrillic
#: «а», as a keyboard switched mid-word types it): read as the Latin letters they show.
_LOOKALIKES: Final = str.maketrans("аеорсхуіјѕһ", "aeopcxyijsh")
_LATIN_LETTER: Final = re.compile(r"[a-zß-öø-ɏ]")
#: Latin letters that look like Cyrillic ones, in a word otherwise Cyrillic: «Мiхайлавiч» with a Latin
#: «i» (a Russian keyboard has no «і»: Belarusians and Ukrainians type the Latin one), «Aлександр»
#: with a Latin «A». Read as the Cyrillic letters they show (:func:`cyrillic_word`).
_CYRILLIC_LOOKALIKES: Final = str.maketrans("aeopcxyiAEOPCXYIKMHTB", "аеорсхуіАЕОРСХУІКМНТВ")
_CYRILLIC_LETTER: Final = re.compile(r"[\u0400-\u04ff]")
_ASCII_LETTER: Final = re.compile(r"[A-Za-z]")


def turkic_particle(word: str) -> bool:
    """Whether ``word`` is a Turkic particle written as a word of its own, any case, Cyrillic or Latin.

    «оглы», «кызы», and Azerbaijani «oğlu», «qızı» (also «oglu», «qizi» as a
    keyboard without ğ and ı types them), Turkish «kızı», Uzbek «o‘g‘li»: the
    end of a patronymic («Elçin qızı»), wherever the contact's language puts
    the surname, and never a word to capitalise (:func:`greeter.name_case.normalise_case`).
    """
    lower = word.lower()
    return lower in TURKIC_PARTICLES or lower.translate(_TURKIC_APOSTROPHES) in _LATIN_TURKIC_PARTICLES


def _patronymic_words(patronymic: str) -> list[str]:
    return [cyrillic_word(w) for w in _WORD_SEPARATORS.split(patronymic.strip().lower()) if w]


def lookalike_latin(word: str) -> str:
    """The Latin look-alike letters of a word otherwise Cyrillic («Мiхайлавiч» → "i"), each once; "".

    A word is "otherwise Cyrillic" when it has more Cyrillic letters than Latin ones and
    every Latin one looks like a Cyrillic letter (:data:`_CYRILLIC_LOOKALIKES`): a keyboard
    switched mid-word, or a Russian keyboard's Latin «i» standing for Belarusian «і».
    """
    if word.isascii() or not _ASCII_LETTER.search(word):
        return ""
    latin = _ASCII_LETTER.findall(word)
    if len(_CYRILLIC_LETTER.findall(word)) <= len(latin):
        return ""
    if any(ch.translate(_CYRILLIC_LOOKALIKES) == ch for ch in latin):
        return ""  # a Latin letter no Cyrillic one looks like: not a slip of the keyboard
    return "".join(dict.fromkeys(latin))


def cyrillic_word(word: str) -> str:
    """``word``, its Latin look-alikes made Cyrillic when it is otherwise Cyrillic (:func:`lookalike_latin`).

    «Мiхайлавiч» (Latin «i») → «Міхайлавіч», so its -віч says male as the typed «і» does;
    a word of another make comes back unchanged. Pure.
    """
    return word.translate(_CYRILLIC_LOOKALIKES) if lookalike_latin(word) else word


def is_turkic(patronymic: str) -> bool:
    """Whether the patronymic is a Turkic one with its particle ("Рашид оглы", "Рашид-оглы", "Болатұлы").

    Such a patronymic is written as given and never declined in Russian
    ("Серику Болатұлы", "Гусейну Рашид оглы").
    """
    words = _patronymic_words(patronymic)
    return any(w in TURKIC_PARTICLES for w in words) or (
        bool(words) and joined_particle(words[-1]) in TURKIC_PARTICLES
    )


@lru_cache(maxsize=8192)
def patronymic_gender(patronymic: str, *, latin: bool = True) -> Gender:
    """The gender a patronymic says, or ``UNKNOWN``; any letter case.

    Matched on its last word (-вич/-ич/-іч male; -вна, -чна, -шна female), or on a
    Turkic particle written as a separate word ("Рашид оглы", "Лутфияр
    кызы", "Шавкат ўғли", also hyphenated "Рашид-оглы"), or joined to the
    father's name as Kazakh writes it ("Болатұлы", "Нұрланқызы":
    :data:`_JOINED_TURKIC`). Cached: patronymics repeat heavily.

    A patronymic in Latin letters says it the same way (:func:`_latin_gender`):
    an Estonian or English CRM keeps "Petrovna", "Ivanovitš", "Rashid oglu" in
    its patronymic column, and left neutral they cost the client a «Dear
    Anna Petrovna» worded for nobody. ``latin=False`` is the Cyrillic rule
    alone, for the guesses about which word of a name cell is the patronymic
    (:func:`greeter.names.read_full_name`, a first-name cell's «Имя Отчество»): there a Latin
    -vich, -wicz or -vics is as often a surname (Abramovich, Mickiewicz,
    Petrovics) — only the patronymic column says that a word is one.
    """
    words = _patronymic_words(patronymic)
    if not words:
        return Gender.UNKNOWN
    if any(w in TURKIC_MALE for w in words):
        return Gender.MALE
    if any(w in TURKIC_FEMALE for w in words):
        return Gender.FEMALE
    last = words[-1]
    if len(words) > 1 and last in _GEORGIAN_PATRONYMIC:  # «შალვას ძე»: the father's name, then the word
        return _GEORGIAN_PATRONYMIC[last]
    if last.endswith(_MALE_PATRONYMIC_ENDINGS):
        return Gender.MALE
    if last.endswith(_FEMALE_PATRONYMIC_ENDINGS):
        return Gender.FEMALE
    joined = joined_particle(last)  # "Болатұлы", "Нұрланқызы"; a Latin "Bolatuly" is read below
    if joined in TURKIC_MALE:
        return Gender.MALE
    if joined in TURKIC_FEMALE:
        return Gender.FEMALE
    return _latin_gender(words) if latin else Gender.UNKNOWN


def joined_particle(word: str) -> str:
    """The Turkic particle a lower-case ``word`` ends in as one word ("болатұлы" → "ұлы"), or ""."""
    for particle in _JOINED_TURKIC:
        if word.endswith(particle) and len(word) - len(particle) >= _JOINED_STEM:
            return particle
    return ""


def _latin_gender(words: list[str]) -> Gender:
    """The gender a patronymic's lower-case ``words`` say in Latin letters, or ``UNKNOWN``.

    A word without a Latin letter is left alone, so a Cyrillic patronymic
    reads exactly as the Cyrillic rule reads it; Cyrillic look-alike letters in
    a Latin word are read as the Latin ones (:data:`_LOOKALIKES`).
    """
    latin = [w.translate(_LOOKALIKES) for w in words if _LATIN_LETTER.search(w)]
    if not latin:
        return Gender.UNKNOWN
    particles = {w.translate(_TURKIC_APOSTROPHES) for w in latin}
    if particles & _LATIN_TURKIC_MALE:
        return Gender.MALE
    if particles & _LATIN_TURKIC_FEMALE:
        return Gender.FEMALE
    last = words[-1].translate(_LOOKALIKES) if _LATIN_LETTER.search(words[-1]) else ""
    if last.endswith(_LATIN_MALE_PATRONYMIC_ENDINGS):
        return Gender.MALE
    if last.endswith(_LATIN_FEMALE_PATRONYMIC_ENDINGS):
        return Gender.FEMALE
    joined = joined_particle(last)  # "Bolatuly", "Nurlanqyzy"
    if joined in _LATIN_TURKIC_MALE:
        return Gender.MALE
    if joined in _LATIN_TURKIC_FEMALE:
        return Gender.FEMALE
    return Gender.UNKNOWN


@lru_cache(maxsize=8192)
def plain_patronymic_gender(patronymic: str) -> Gender:
    """The gender a Cyrillic -вич/-ич or -вна/-чна ending says beyond doubt, else ``UNKNOWN``.

    A Turkic particle («Рашид оглы») or a Latin spelling is no such certainty: a CRM
    keeps those as often where the gender column is the right one, and :func:`greeter.names.gender_of`
    lets the column win there.
    """
    words = _patronymic_words(patronymic)
    if not words or any(w in TURKIC_PARTICLES for w in words):
        return Gender.UNKNOWN
    if words[-1].endswith(_MALE_PATRONYMIC_ENDINGS):
        return Gender.MALE
    if words[-1].endswith(_FEMALE_PATRONYMIC_ENDINGS):
        return Gender.FEMALE
    return Gender.UNKNOWN
