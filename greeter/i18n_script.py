"""A Serbian name in the script of its letter: Marko Petrović is «Марко Петровић» in a Cyrillic one — pure.

A CRM holds a Serbian client's name as it was typed, often in Latin; a letter in
Cyrillic (``sr``, ``sr_RS``, ``sr_Cyrl``) that printed it so read «Поштовани
господине Petroviću» — two scripts in one line, which Serbian text never mixes
for a Serbian name. Serbian Latin and Cyrillic are one alphabet in two scripts,
letter for letter, the digraphs lj, nj, dž being one letter each (љ, њ, џ): so a
name typed in Serbian Latin is written in Cyrillic for a Cyrillic letter, and one
typed in Cyrillic in Latin for a ``sr_Latn`` letter (:mod:`greeter.serbian_script`,
whose table this inverts: one table, both ways). False digraphs («konjugacija»:
n+j) do not occur in Serbian names; a foreign one that has them (Benjamin) stays Latin.

Which Latin names are Serbian? English, German or Hungarian names are mostly
spelled with letters Serbian Latin has too («John Smith» would become «Јохн
Смитх»), so the letters alone cannot tell. The rule: a name is taken for Serbian
Latin when every letter in it is a letter of the Serbian Latin alphabet (no q,
w, x, y, no ä, é, ő…) *and* it has at least one of č, ć, đ, š, ž, lj, nj, which no
English name has: «Marko Petrović», «Đorđe Jovanov», «Ljubomir Njegovan». A
Serbian name without them («Dragan Jovanov»), or typed without its diacritics
(«Djordjevic»), stays in Latin — a foreign-looking name in a Cyrillic letter, as
«Romashka LLC» is, rather than a wrong one; a company's name is kept as
registered unless every word of it is Serbian («Džonić Trade d.o.o.» stays).
The rules are :func:`greeter.serbian_script.serbian_latin_name`'s. The
decision is made for the whole name at once (:func:`names_in_script`), so a
first name and a surname are never written in two scripts.

A company's legal form is written in the script of the text: Serbian Cyrillic
business text writes «д.о.о.», «а.д.» (the Business Registers Agency's Cyrillic
entries; the CRM's own «Јовановић д.о.о.»), so «Petrović d.o.o.» becomes
«Петровић д.о.о.» as a whole.

The libraries for this (``cyrtranslit``, MIT, maintained) write «NJEGOŠ» as
«НЈЕГОШ» and «Wolfgang» as «Wолфганг», and decide nothing about which names are
Serbian; this is the 30-letter table :mod:`greeter.serbian_script` already keeps.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from greeter.i18n import language_and_script, script_of
from greeter.serbian_script import serbian_latin_name, to_latin, whole_to_latin

__all__ = ["is_serbian_latin_name", "names_in_script", "to_cyrillic"]

#: Serbian Cyrillic, lower case (Правопис српскога језика): its Latin forms give the table back.
_CYRILLIC_ALPHABET: Final = "абвгдђежзијклљмнњопрстћуфхцчџш"
#: Serbian Latin → Cyrillic, lower case: "lj" → "љ", "č" → "ч", … (the inverse of serbian_script's).
_TO_CYRILLIC: Final[dict[str, str]] = {to_latin(ch): ch for ch in _CYRILLIC_ALPHABET}
#: One Serbian Latin letter: a digraph first (Lj, LJ, lj, Nj, Dž …), else a single letter.
_LETTER: Final = re.compile("|".join(sorted(_TO_CYRILLIC, key=len, reverse=True)), re.IGNORECASE)


def to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic: "Ljubiša NJEGOŠ" → "Љубиша ЊЕГОШ"; anything else as written.

    Use it on text :func:`is_serbian_latin_name` accepts: it converts every Serbian
    Latin letter it finds, and "John" would become "Јохн".
    """

    def letter(match: re.Match[str]) -> str:
        found = match.group()
        cyrillic = _TO_CYRILLIC[found.lower()]
        return cyrillic.upper() if found[0].isupper() else cyrillic

    return _LETTER.sub(letter, text)


def is_serbian_latin_name(text: str) -> bool:
    """Whether ``text`` is a name in Serbian Latin: only its letters, with č, ć, đ, š, ž, lj or nj among them.

    See the module docstring: «Petrović» yes, «John Smith» and «Dragan Jovanov»
    no (no letter says Serbian), «Müller» and «Đorđe Wolf» no (not Serbian letters).
    The rule is :func:`greeter.serbian_script.serbian_latin_name`'s.
    """
    return serbian_latin_name(text)


@lru_cache(maxsize=256)
def _serbian_script(locale: str) -> str | None:
    """ "Cyrl" or "Latn" for a Serbian letter's locale (``sr`` Cyrillic, ``sr_ME`` Latin); None otherwise."""
    language, _ = language_and_script(locale)
    if language != "sr":
        return None
    return "Latn" if script_of(locale) == "Latn" else "Cyrl"


def names_in_script(names: tuple[str, ...], locale: str | None, *, company: bool = False) -> tuple[str, ...]:
    """``names`` (one person's, or one company's) in the script of a letter in ``locale``.

    In a Cyrillic Serbian letter, names written in Serbian Latin
    (:func:`is_serbian_latin_name`, decided on all of them together) are written
    in Cyrillic; in a Latin one, Serbian Cyrillic is written in Latin
    (:func:`greeter.serbian_script.whole_to_latin`, decided on all of them together: «Иван
    Щукин» is Russian and stays as typed, never «Ivan Щукин» half in Latin).
    A letter in any other language gets them as typed. Names are data: only
    their letters are replaced, nothing is read as markup or code. A
    ``company`` name in Latin is kept as registered unless each of its words
    is Serbian («Petrović d.o.o.», not «Džonić Trade d.o.o.»).
    """
    script = _serbian_script(locale) if locale else None
    if script == "Latn":
        whole = " ".join(names)
        return names if whole_to_latin(whole) == whole else tuple(whole_to_latin(name) for name in names)
    if script == "Cyrl" and serbian_latin_name(" ".join(names), company=company):
        return tuple(to_cyrillic(name) for name in names)
    return names
