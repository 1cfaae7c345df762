"""Russian words declined by a dictionary (pymorphy3's, OpenCorpora): the few calls greeter makes.

Shared by the company names (:mod:`greeter.company_names`: «галерее «Холст»») and
the occasions' titles (:mod:`greeter.occasion_titles`: «с Днём менеджера»), which
both decline a short common-noun phrase and both must say "not sure" rather
than guess: a word left as written reads as a name, a wrongly declined one as
an error. The dictionary is loaded on first use (~0.1 s), never by a run that
declines no such word.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

#: pymorphy3's case grammemes for greeter's case names (:data:`greeter.addressing.CASES`).
GRAMMEME: Final[dict[str, str]] = {
    "nominative": "nomn",
    "genitive": "gent",
    "dative": "datv",
    "accusative": "accs",
    "instrumental": "ablt",
    "prepositional": "loct",
}
#: Readings that make a word a name rather than a common noun (Петров, Альфа, Моссовет, ТЦ).
NOT_COMMON: Final = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})


@cache
def analyser() -> Any:
    """pymorphy3's analyser, built once and only for a word that needs it (~0.1 s, its dictionary)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def common_readings(word: str) -> list[Any]:
    """The dictionary's readings of ``word``; none for an acronym, an unknown word or a proper name."""
    if len(word) > 1 and word[1:] != word[1:].lower():
        return []  # ДОМ, ТЦ, НПО: capitals may be an acronym's
    parses: list[Any] = analyser().parse(word)
    if any(not p.is_known or NOT_COMMON & p.tag.grammemes for p in parses):
        return []
    return parses


def inflected(parses: list[Any], grammemes: set[str]) -> str | None:
    """The one form all ``parses`` inflect to with ``grammemes``; None if there are none, or they differ."""
    forms = {None if (form := p.inflect(grammemes)) is None else str(form.word) for p in parses}
    return forms.pop() if len(forms) == 1 else None
