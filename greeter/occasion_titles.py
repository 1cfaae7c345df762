"""An occasion's Russian title in a grammatical case: «День менеджера» → «Днём менеджера» — pure.

Why: a marketer adds ``manager_day`` with ``title: День менеджера`` and no
words of its own in the templates; the letters said «с праздником «День
менеджера»», and a merged name day «и с наступающим праздником «Именины»» —
correct, but no Russian writes it so: «с Днём менеджера», «с наступающими
именинами». The title is a noun phrase in the nominative, and declining it
needs the head noun, the adjectives before it agreeing with it, and the words
after it (its genitive complement, «менеджера», «России») left as they are.

Only what the dictionary is sure of (:mod:`greeter.russian_morph`) is declined:
Cyrillic words; the head the first with a nominative noun reading, a plural
one only for a word that has no singular (именины, святки); every reading of
it declines alike; the words before it adjectives of its gender and number;
the words after it with a genitive reading. Anything else — a digit («8
Марта»), Latin letters, quotes, an unknown word — is None, and the template
says «праздником «…»» as before: an undeclined title reads as a name, a wrongly
declined one as an error. The case of each word's first letter is kept
(«Старым Новым годом», «Днём менеджера»: a holiday's name), but for the first
word of a title whose head is a common noun: «с годовщиной договора», «с именинами»
(:data:`_COMMON_HEADS`). Other languages' titles: :func:`mid_sentence`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

from greeter.addressing import canonical_case
from greeter.russian_morph import GRAMMEME, analyser, common_readings, inflected

#: A title made only of Cyrillic words (hyphenated too), one space apart.
_CYRILLIC_WORDS: Final = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*(?: [А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*)*")

#: How a template agrees with the head noun: pymorphy3's gender, or ``p`` for a plural head.
_AGREEMENT: Final = {"masc": "m", "femn": "f", "neut": "n"}


def title_in_case(title: str, case: str) -> tuple[str, str] | None:
    """``(agreement, words)``: the title in ``case`` and how a word before it agrees — ``m``,
    ``f``, ``n`` or ``p`` (plural) — or None when the dictionary is not sure (see the module).

    ``title_in_case("День менеджера", "instrumental")`` → ``("m", "Днём менеджера")``;
    ``("Именины", "instrumental")`` → ``("p", "Именинами")``; ``("8 Марта", …)`` → None.
    ``case``: any name :func:`~greeter.addressing.canonical_case` takes (``ins``, ``творительный``).
    """
    return _declined(" ".join(title.split()), canonical_case(case))


@lru_cache(maxsize=256)
def _declined(title: str, case: str) -> tuple[str, str] | None:
    if not _CYRILLIC_WORDS.fullmatch(title):
        return None
    words = title.split()
    readings = [common_readings(word.lower()) for word in words]
    head = next((i for i, parses in enumerate(readings) if _heads(parses)), None)
    if head is None or not all(readings[: head + 1]):
        return None
    nouns = _heads(readings[head])
    numbers = {"plur" if "plur" in p.tag.grammemes else "sing" for p in nouns}
    genders = {p.tag.gender for p in nouns}
    if len(numbers) != 1 or (numbers == {"sing"} and len(genders) != 1):
        return None
    number, grammeme = numbers.pop(), GRAMMEME[case]
    gender = genders.pop() if number == "sing" else None
    noun = inflected(nouns, {number, grammeme})
    agree = {number, grammeme} | ({gender} if gender else set())
    if case == "accusative":  # an inanimate head: «Международный день» → «Международный день»
        agree |= {"inan"}
    adjectives = [
        inflected([p for p in parses if _agrees(p, number, gender)], agree) for parses in readings[:head]
    ]
    # An adjective after its noun agrees as one before it does: «Рождество Христово» → «Рождеством
    # Христовым», «Пасха Христова» → «Пасхой Христовой» (read as a genitive, «Пасхой Христова»).
    after = head + 1
    while after < len(words) and (agreeing := [p for p in readings[after] if _agrees(p, number, gender)]):
        adjectives.append(inflected(agreeing, agree))
        after += 1
    complements = all(
        any("gent" in p.tag.grammemes for p in analyser().parse(word)) for word in words[after:]
    )
    forms = [a for a in adjectives if a is not None]
    if noun is None or len(forms) < len(adjectives) or not complements:
        return None
    declined = [*forms[:head], noun, *forms[head:]]  # the words up to ``after``, in their order
    kept = [_as_written(form, word) for form, word in zip(declined, words, strict=False)]
    if _common_noun(words[head].lower(), words[head + 1 : head + 2]):
        kept[0] = kept[0][:1].lower() + kept[0][1:]  # «Годовщина договора» → «с годовщиной договора»
    agreement = "p" if gender is None else _AGREEMENT.get(gender)
    return None if agreement is None else (agreement, " ".join([*kept, *words[after:]]))


#: Head nouns that make a title a common noun phrase, lower case in Russian mid-sentence: «с
#: годовщиной договора», «с юбилеем компании», «с днём рождения компании». A closed list, as the
#: dictionary cannot tell a holiday's name from a common noun (it lists «пурим» and «курбан-байрам»
#: in lower case, as it does «годовщина»): any other head keeps the capital the title is written with
#: («Днём менеджера», «Пуримом», «Курбан-байрамом») — a capital too many reads as a name, a holiday's
#: name lower-cased as a mistake about the client's faith.
_COMMON_HEADS: Final = frozenset(
    [
        "годовщина",
        "юбилей",
        "именины",
        "свадьба",
        "новоселье",
        "помолвка",
        "дата",
        "основание",
        "подписание",
        "заключение",
        "сотрудничество",
        "партнёрство",
        "партнерство",
        "святки",  # a season, lower case by the spelling rules (Розенталь), unlike Рождество
    ]
)
#: «День рождения», «День ангела»: a person's day, not a holiday's name.
_PERSONAL_DAYS: Final = frozenset({"рождения", "ангела"})


def _common_noun(head: str, after: list[str]) -> bool:
    """Whether a title with this head noun (and the word after it) is lower case mid-sentence."""
    return head in _COMMON_HEADS or (head == "день" and bool(after) and after[0].lower() in _PERSONAL_DAYS)


#: First words of a title that make it a common noun phrase, lower case mid-sentence, by language;
#: a closed list, as without a dictionary only these are sure: "Contract anniversary" → "a happy
#: contract anniversary", never "christmas" or "romashka's 25th anniversary". German capitalises
#: every noun; Russian is the dictionary's (:func:`title_in_case`). Any other title stays as written:
#: a marketer writes it lower case in ``title_by_locale`` (docs/templates.md).
_COMMON_FIRST: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        [
            "anniversary",
            "annual",
            "birthday",
            "business",
            "client",
            "company",
            "contract",
            "cooperation",
            "customer",
            "deal",
            "first",
            "founding",
            "name",
            "partnership",
            "signing",
            "team",
            "wedding",
        ]
    ),
    # Hungarian writes holidays lower case but for a proper noun in them (AkH.: karácsony, nemzeti
    # ünnep, a munka ünnepe, but Szent István ünnepe): the first words of Hungary's calendar names
    # (the holidays library capitalises them: «A Munka ünnepe», «Nemzeti ünnep») and of common
    # days. «Szent» is not here: it opens a name. A given name («István napja») is in no such list.
    "hu": frozenset(
        [
            "cégalapítás",
            "cég",
            "évforduló",
            "együttműködés",
            "szerződés",
            "szerződéskötés",
            "születésnap",
            "névnap",
            "újév",
            "nemzeti",
            "munka",
            "államalapítás",
            "karácsony",
            "szenteste",
            "húsvét",
            "húsvéthétfő",
            "nagypéntek",
            "pünkösd",
            "pünkösdhétfő",
            "mindenszentek",
            "szilveszter",
            "nőnap",
            "anyák",
            "magyar",
            "forradalom",
        ]
    ),
    "et": frozenset(
        ["ettevõtte", "firma", "koostöö", "lepingu", "sünnipäev", "nimepäev", "aastapäev", "vabariigi"]
    ),
    "sr": frozenset(["годишњица", "рођендан", "јубилеј", "godišnjica", "rođendan", "jubilej"]),
}


#: How an Estonian holiday's one-word name ends («jaanipäev», «võidupüha», «jõulud», «nelipühad»):
#: such a title is a holiday's name, which Estonian writes in lower case mid-sentence.
_ET_DAYS: Final = re.compile(r"(?:päev|püha|pühad|jõulud)$", re.IGNORECASE)


def mid_sentence(title: str, language: str) -> str:
    """``title`` as it reads inside a sentence of ``language``: "Contract anniversary" → "contract
    anniversary"; "Christmas", "Independence Day", "Romashka's 25th anniversary" as written.

    Lowered only where the title is in sentence case (its other words lower case: "Independence
    Day" is a name) and its first word is one of :data:`_COMMON_FIRST`'s for the language — or,
    in Estonian, which writes holidays in lower case (ÕS: «jaanipäev», «võidupüha», «jõulud»),
    the title is one compound word ending in a holiday's word (:data:`_ET_DAYS`): "Jaanipäev" →
    "jaanipäev"; "Eesti Vabariigi aastapäev" keeps the capitals of its names.
    """
    words = title.split(" ")
    first = words[0]
    lang = language.replace("-", "_").partition("_")[0].lower()
    common = _COMMON_FIRST.get(lang, frozenset())
    if (
        first[:1].isupper()
        and first[1:] == first[1:].lower()
        and (first.lower() in common or (lang == "et" and len(words) == 1 and _ET_DAYS.search(first)))
        and all(not w[:1].isupper() for w in words[1:])
    ):
        return first.lower() + title[len(first) :]
    return title


#: A Hungarian title's own definite article: «Az államalapítás ünnepe», «A Munka ünnepe».
_HU_ARTICLE: Final = re.compile(r"(?:a|az) (?=\S)", re.IGNORECASE)


def hungarian_title(title: str) -> tuple[str, str]:
    """``(article, words)``: a title as a Hungarian sentence names it, its article apart — "a"/"az",
    or "" where the spelling does not tell (:func:`greeter.hungarian.article`).

    The calendar's names open with their article («Az államalapítás ünnepe», «A Munka
    ünnepe»), and the config says to title a holiday so: the letters put an article before
    a title, and said «az Az államalapítás ünnepe». The title's own article is dropped (the
    sentence puts one, or «közelgő» stands between: «a közelgő államalapítás ünnepe»), and
    the rest reads as :func:`mid_sentence` has it: the first word lower case where it is a
    common word (AkH.: «a munka ünnepe», «nemzeti ünnep», «karácsony») and the title's other
    words are lower case; a capital after it marks a name («Szent István ünnepe»), kept.
    """
    from greeter.hungarian import article

    text = " ".join(title.split())
    found = _HU_ARTICLE.match(text)
    words = mid_sentence(text[found.end() :] if found else text, "hu")
    return article(words), words


def _heads(parses: list[Any]) -> list[Any]:
    """The readings of a word as a head noun: nominative singular, or plural of a plural-only noun."""
    return [
        p
        for p in parses
        if p.tag.POS == "NOUN"
        and "nomn" in p.tag.grammemes
        and ("sing" in p.tag.grammemes or "Pltm" in p.tag.grammemes)
    ]


def _agrees(parse: Any, number: str, gender: str | None) -> bool:
    """An adjective (or participle) reading in the nominative that agrees with the head."""
    wanted = {number, "nomn"} | ({gender} if gender else set())
    return bool(parse.tag.POS in ("ADJF", "PRTF") and wanted <= parse.tag.grammemes)


def _as_written(form: str, word: str) -> str:
    """``form`` with ``word``'s capital first letter, if it had one (День → Днём, день → днём)."""
    return form[:1].upper() + form[1:] if word[:1].isupper() else form


#: Consonants: «с» becomes «со» before с, з, ж, ш followed by one (со Старым, со звоном).
_CONSONANTS: Final = frozenset("бвгджзйклмнпрстфхцчшщ")


def with_s(phrase: str, *, start: bool = False) -> str:
    """``phrase`` after the preposition «с» as Russian says it: «со» before a cluster it cannot
    open — «со Старым Новым годом», «со 100-летием», «со Всемирным днём», «со вторым» — else «с».

    The letters write «с {{ … }}» before occasion words that are fixed (днём
    рождения, Новым годом) or come from config: a title declined by
    :func:`title_in_case` (Старый Новый год) and an anniversary's number (100-летием,
    read «столетием») are where «с» goes wrong. ``start``: a capital, for a heading.
    """
    words = phrase.split(maxsplit=1)
    first = words[0].lower() if words else ""
    so = (
        re.match(r"1\d\d(?!\d)", first) is not None  # сто…: со 100-летием, со 150-летием
        or first in ("мной", "мною")
        or first.startswith(("вс", "втор", "щ"))  # со всеми, со Всемирным, со вторым, со щедростью
        or (first[:1] in "сзжш" and first[1:2] in _CONSONANTS)
    )
    preposition = "со" if so else "с"
    return f"{preposition.capitalize() if start else preposition} {phrase}"


#: Ukrainian consonants: «з» becomes «зі» before a sibilant followed by one (зі святом, зі Сретенням).
_UK_CONSONANTS: Final = frozenset("бвгґджзйклмнпрстфхцчшщ")


def with_z(phrase: str, *, start: bool = False) -> str:
    """``phrase`` after the Ukrainian preposition «з», which ``with_s`` writes in a Ukrainian letter:
    «зі» before с, з, ш, щ, ц, ч followed by a consonant (зі святом, зі Світлим Різдвом, зі 100-річчям,
    read «сторіччям»), else «з» (з Різдвом, з днем народження, з Новим роком).

    Why: a Kyiv office's letters said «с Різдвом», «со святом» — Russian. Ukrainian also has «із»
    between consonants for euphony; kept simple here (the two forms above), as the letters' phrases
    follow a vowel or a comma at most.
    """
    words = phrase.split(maxsplit=1)
    first = words[0].lower() if words else ""
    zi = re.match(r"1\d\d(?!\d)", first) is not None or (
        first[:1] in "сзшщцч" and first[1:2] in _UK_CONSONANTS
    )
    preposition = "зі" if zi else "з"
    return f"{preposition.capitalize() if start else preposition} {phrase}"
