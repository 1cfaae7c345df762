"""A contact's language written as a name ("vene", "Eesti keel", "русский", "English") → its code.

Why: CRMs fill a language column with what their users pick from a list in
their own language — an Estonian CRM's «Keel» says ``vene`` or ``eesti``, a
Russian one's «Язык» ``русский`` — while greeter wants a code (``ru``, ``et``).
The country column already reads names (:mod:`greeter.countries`); this reads
languages the same way, through Babel's display names, so no list is kept here:

* the names of every language in the languages greeter ships letters in
  (:data:`NAMING_LOCALES`: Russian, English, Estonian, Serbian in both
  scripts, Hungarian, German — the languages a CRM that greeter's letters suit
  is likely set up in), in that order;
* each language's own name ("українська", "қазақ тілі", "magyar"), for the
  languages official in some country and written in the name's script (as
  :func:`greeter.countries.name_languages` chooses them: "українська" reads the
  Cyrillic ones, not the hundred others).

A trailing word for "language" ("Eesti keel", "русский язык", "magyar nyelv")
is dropped only when the whole text is no name Babel has ("қазақ тілі" is
Babel's own name for Kazakh, kept as it is). Pure lookups, cached: a file
names a handful of languages.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

__all__ = ["NAMING_LOCALES", "language_by_name"]

#: The locales whose names for languages are read, in the order they are tried: the languages of
#: the shipped templates (``templates/*.{ru,en,et,sr,hu,de}.j2``), Serbian in both of its scripts.
NAMING_LOCALES: Final = ("ru", "en", "et", "sr", "sr_Latn", "hu", "de")
#: The word for "language" that CRMs write after the name, case-folded: Estonian, Russian,
#: Hungarian, English, German, Serbian (both scripts), Ukrainian.
_LANGUAGE_WORDS: Final = frozenset({"keel", "язык", "nyelv", "language", "sprache", "jezik", "језик", "мова"})


@lru_cache(maxsize=512)
def language_by_name(text: str) -> str | None:
    """The locale a language's name means ("vene" → ``ru``, "srpski" → ``sr_Latn``), or None.

    Any case, "ё" as "е", spaces as one. A name is a language Babel has
    letters' data for (:func:`babel.localedata.exists`), so the code found is
    one the renderer uses, never the default in disguise.
    """
    name = _folded(text)
    if not name:
        return None
    found = _lookup(name)
    if found is None:
        head, _, last = name.rpartition(" ")
        if head and last in _LANGUAGE_WORDS:
            found = _lookup(head)
    return found


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


def _lookup(name: str) -> str | None:
    for locale in NAMING_LOCALES:
        found = _names_in(locale).get(name)
        if found is not None:
            return found
    from greeter.countries import name_languages  # the languages a name in its script may be in

    for language in name_languages(name):
        if _own_name(language) == name:
            return language
    return None


@cache
def _names_in(locale: str) -> dict[str, str]:
    """Language names as ``locale`` spells them (case-folded) → the language's code.

    A script-variant locale's name for its own language is that variant:
    "srpski", Serbian written in Latin letters, is ``sr_Latn``, as a client
    whose CRM writes the name so reads Latin letters.
    """
    from babel import Locale, localedata

    parsed = Locale.parse(locale)
    names: dict[str, str] = {}
    for code, name in parsed.languages.items():
        if localedata.exists(code):
            names.setdefault(_folded(name), code)
    if parsed.script:
        names[_folded(parsed.languages[parsed.language])] = locale
    return names


@cache
def _own_name(language: str) -> str:
    """A language's name for itself, case-folded ("українська"); "" if Babel has none."""
    from babel import Locale

    parsed = Locale.parse(language)
    return _folded(parsed.languages.get(parsed.language, ""))
