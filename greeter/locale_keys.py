"""A ``by_locale`` key written as a country code (``kz``, ``rs``, ``ee``): which language was meant — pure.

A marketer keys ``title_by_locale`` and ``sender.by_locale`` by where the
clients are: ``kz:``, ``rs:``, ``ee:``. Most such codes are no language
(Babel refused ``kz`` as "not a locale Babel knows", which says nothing to a
marketer); some are another language (``ee`` is Ewe), accepted silently while
every Estonian letter took the default. The country's language comes from
CLDR (Babel's territory data), not from a hand list.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["country_code_message", "country_languages", "country_meant"]


@lru_cache(maxsize=256)
def country_languages(code: str) -> tuple[tuple[str, str], ...]:
    """(language code, English name) of the country ``code`` names, its own languages first.

    ``KZ`` → ``(("kk", "Kazakh"),)``: of a country's official languages, those
    CLDR places in that country (a Kazakh's likely country is Kazakhstan,
    Russian's is Russia); all of them when none is (Switzerland). ``()`` when
    ``code`` is no country or CLDR lists no official language.
    """
    from babel import Locale
    from babel.core import get_global
    from babel.languages import get_official_languages

    upper = code.strip().upper()
    english = Locale("en")
    if len(upper) != 2 or not upper.isalpha() or upper not in english.territories:
        return ()
    likely = get_global("likely_subtags")
    listed = get_official_languages(upper) or get_official_languages(upper, de_facto=True)  # US: de facto
    official = list(dict.fromkeys(lang.split("_")[0] for lang in listed))
    own = [lang for lang in official if likely.get(lang, "").split("_")[-1] == upper]
    return tuple((lang, english.languages.get(lang, lang)) for lang in own or official)


def country_code_message(key: str) -> str:
    """``'kz' is a country code; Kazakh is 'kk'`` for a key Babel does not know that is a country, else ""."""
    code = key.replace("-", "_").split("_")[0]
    languages = country_languages(code)
    if not languages or code.lower() in {lang for lang, _ in languages}:
        return ""
    said = " or ".join(f"{name} is {lang!r}" for lang, name in languages)
    return f"{code!r} is a country code; {said}"


def country_meant(key: str) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    """For a key that is a language and a country of another language (``ee``: Ewe; Estonia's is et):
    (the language's English name, the country's English name, its languages); else ``None``."""
    from babel import Locale

    code = key.replace("-", "_").split("_")[0].lower()
    if len(code) != 2:
        return None
    languages = country_languages(code)
    if not languages or code in {lang for lang, _ in languages}:
        return None
    english = Locale("en")
    name = english.languages.get(code)
    if name is None:
        return None
    return name, english.territories[code.upper()], languages
