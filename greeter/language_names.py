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

import gc
from collections.abc import Iterator
from contextlib import contextmanager
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
    from babel import Locale

    parsed = Locale.parse(locale)
    with _collector_paused():
        languages = parsed.languages
    have = _locales_with_data()
    names: dict[str, str] = {}
    for code, name in languages.items():
        if code.strip().lower() in have:  # babel.localedata.exists(code), without a scan per code
            names.setdefault(_folded(name), code)
    if parsed.script:
        names[_folded(languages[parsed.language])] = locale
    return names


@cache
def _locales_with_data() -> frozenset[str]:
    """The locales Babel has data for, lower-cased: :func:`babel.localedata.exists` is true of a
    name exactly when it is one of these, and each call of it reads the list (1,100 names) anew —
    for each of the 600 languages a locale names."""
    from babel import localedata

    return frozenset(name.lower() for name in localedata.locale_identifiers())


@cache
def _own_name(language: str) -> str:
    """A language's name for itself, case-folded ("українська"); "" if Babel has none.

    Read from the language's own data file, not through :class:`babel.Locale`: an unknown name
    is compared with the own name of every language of its script (64 for a Latin one, 99 for
    one without letters), and Babel merged each whole file into a copy of its root locale and
    kept the result — the first unknown name cost 0.2–0.3 s of CPU (0.5–0.9 s on a busy
    machine) and 90 MB that stayed. A file's own value is what Babel's merge would give, the
    child's entry winning; only a name the file does not hold itself (``nb``'s and ``nn``'s,
    inherited from ``no``) is asked of Babel.
    """
    from babel import Locale

    parsed = Locale.parse(language)
    own = _file_languages(str(parsed)).get(parsed.language)
    if not isinstance(own, str):
        with _collector_paused():
            own = parsed.languages.get(parsed.language, "")
    return _folded(own)


def _file_languages(locale: str) -> dict[object, object]:
    """The language names of ``locale``'s own data file, as Babel stores them; {} if none."""
    import pickle

    from babel import localedata

    try:
        with open(localedata.resolve_locale_filename(locale), "rb") as file, _collector_paused():
            data = pickle.load(file)  # Babel's own data, as babel.localedata loads it
    except (OSError, ValueError, pickle.UnpicklingError):
        return {}
    languages = data.get("languages") if isinstance(data, dict) else None
    return languages if isinstance(languages, dict) else {}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while Babel's data is unpickled: a locale is ~30,000 new
    dicts and strings, none of them in a cycle, and the collections they set off took three
    quarters of the time."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
