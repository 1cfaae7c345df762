"""Localised numbers, dates and plurals for templates, on top of Babel (CLDR).

Why Babel and not hand-written rules: Russian plurals ("1 год", "3 года",
"11 лет", "21 год") and month forms ("15 декабря", genitive) are exactly the
kind of rule that hand-written code gets wrong at the edges; CLDR has them for
every locale a contact may carry.

Two deliberate deviations from raw Babel output, both for mail:

* Non-breaking spaces that CLDR puts into patterns (U+202F before "г." in
  "15 декабря 2026 г.", U+00A0 as the Russian thousands separator) are turned
  into plain spaces. They render as boxes in some mail clients, get
  RFC 2047-encoded into subjects, and make template authors' comparisons fail;
  a line break before "г." in a greeting costs nothing.
* A bad locale string never raises: it falls back to the caller's default,
  because the locale usually comes from a contact row, and one odd cell must not
  stop a mailing.

All functions are pure (Babel's locale data is read-only after loading).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.dates import format_skeleton as _babel_format_skeleton
from babel.units import format_unit as _babel_format_unit

from greeter.hungarian import on_day as _hu_on_day

__all__ = [
    "DATE_FORMATS",
    "bcp47",
    "format_date",
    "keys_for",
    "kindred_locale",
    "language_and_script",
    "language_of",
    "letter_default",
    "locale_hint",
    "normalize_locale",
    "one_subtag",
    "ordinal",
    "plural",
    "regional_locale",
    "script_of",
    "years_phrase",
]

#: Names accepted by :func:`format_date`; the first four are CLDR's own widths.
DATE_FORMATS: tuple[str, ...] = ("full", "long", "medium", "short", "day_month", "on_day")

#: CLDR orders plural categories like this; a locale uses a subset plus "other".
_PLURAL_ORDER: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")

_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
#: POSIX locale suffixes Babel does not need: "ru_RU.UTF-8" → "ru_RU".
_ENCODING = re.compile(r"\.[^@]*")
#: POSIX's names for "no locale at all".
_NO_LOCALE = frozenset({"C", "POSIX"})


def _plain_spaces(text: str) -> str:
    return text.translate(_ODD_SPACES)


@lru_cache(maxsize=512)
def _parse(value: str) -> Locale | None:
    """Parse one cleaned-up locale string, or ``None`` when Babel does not know it."""
    cleaned = _ENCODING.sub("", value.strip()).replace("-", "_")
    # "C" and "POSIX" mean "no locale" in a CRM export; recent Babel maps them to
    # en_US_POSIX (seen with Babel 2.19), which would silently switch a contact to English.
    if not cleaned or cleaned.upper() in _NO_LOCALE:
        return None
    try:
        return Locale.parse(cleaned)
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def normalize_locale(value: str | None, default: str) -> str:
    """Return ``value`` as a Babel locale identifier, or ``default`` if it is unusable.

    Contacts' locale columns hold whatever the CRM exports: ``ru_RU``,
    ``ru-RU``, ``RU``, ``ru_RU.UTF-8``, empty cells, typos. All usable spellings
    become Babel's canonical one (``ru_RU``, ``ru``); anything Babel does not
    know yields ``default`` unchanged (the caller's default is trusted, not
    validated, so a misconfigured default surfaces as a Babel error where it is
    used rather than being silently replaced).
    """
    if not isinstance(value, str):
        return default
    canonical = _canonical(value)
    return default if canonical is None else canonical


@lru_cache(maxsize=512)
def _canonical(value: str) -> str | None:
    """``str()`` of :func:`_parse`'s locale: Babel builds the identifier in Python on every call.

    Once per letter (the contact's locale), so cached beside ``_parse``, on the
    same key and bound: a few spellings per contacts file, 512 at most.
    """
    locale = _parse(value)
    return None if locale is None else str(locale)


@lru_cache(maxsize=256)
def locale_hint(value: str) -> str:
    """What ``value``, a language code Babel does not know (or not the one meant), probably meant.

    CRMs fill a "language" column with country codes (``RS``, ``UA``, ``srb``)
    and language names (``Serbian``, ``сербский``); the letter then silently
    falls back to the default language. From CLDR data, not a hand list: a
    country code (two or three letters) names the country's official languages
    (``RS`` → "'RS' looks like the country code of Serbia (RS): its language
    is sr_Latn or sr"); a language name in English or Russian names its code ("Serbian is
    sr"). A code Babel does know for another language than the country's
    (``EE``: Ewe, Estonia's is et) is told both. "" when nothing fits.
    """
    from babel.core import get_global
    from babel.languages import get_official_languages

    text = value.strip()
    code = re.split(r"[_\-.@]", text, maxsplit=1)[0]
    known = _parse(code)
    upper = code.upper()
    if len(upper) == 3:
        aliases = get_global("territory_aliases").get(upper, ())
        upper = aliases[0] if len(aliases) == 1 else upper
    english = Locale("en")
    country = english.territories.get(upper) if upper.isalpha() and len(upper) == 2 else None
    official = get_official_languages(upper) if country else ()
    if country and official and (known is None or known.language not in {o.split("_")[0] for o in official}):
        languages = " or ".join(official)
        if known is None:
            return f"{code!r} looks like the country code of {country} ({upper}): its language is {languages}"
        name = english.languages.get(known.language, known.language)
        return f"{code!r} is {name}; if {country} ({upper}) was meant, its language is {languages}"
    if known is None and len(text) > 3:
        wanted = text.casefold()
        for names in (english.languages, Locale("ru").languages):
            for lang, name in names.items():
                if name.casefold() == wanted and "_" not in lang:
                    return f"{english.languages.get(lang, name)} is {lang}"
    return ""


def _locale(value: str | None, default: str) -> Locale:
    parsed = _parse(value) if isinstance(value, str) else None
    return parsed if parsed is not None else Locale.parse(default)


def locale_chain(locale: str) -> list[str]:
    """``sr_Latn_RS`` → ``["sr_Latn_RS", "sr_Latn", "sr"]``: a locale, then each less specific one."""
    parts = [part for part in locale.split("_") if part]
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


#: A locale of one subtag at most, as ``defaults.locale`` and a contact's locale are kept.
_ONE_SUBTAG: Final = re.compile(r"[a-z]{2,3}(?:_[A-Za-z]{2,4})?")


def one_subtag(canonical: str) -> str:
    """``sr_Latn_RS`` → ``sr_Latn``, ``uz_Cyrl_UZ`` → ``uz_Cyrl``: Babel's locale within one subtag.

    Why: greeter keeps a locale as a language and one subtag (the script where
    one is named, else the territory), so that a Windows-style CRM's
    ``uz-Latn-UZ`` reads as ``greeter init --locale sr-latn-RS`` does
    (``sr_Latn``), not as no language at all. ``canonical`` is
    :func:`normalize_locale`'s; the most specific of its :func:`locale_chain`
    that fits is returned (the language alone if none does).
    """
    chain = locale_chain(canonical)
    return next((loc for loc in chain if _ONE_SUBTAG.fullmatch(loc)), chain[-1] if chain else canonical)


#: Languages a Serbian letter serves, near enough, when there is no file in their own: Bosnian and
#: Croatian. Montenegrin needs no entry: Babel reads ``cnr`` as ``sr_Latn_ME``.
_KINDRED_OF_SERBIAN: Final = frozenset({"bs", "hr"})


@lru_cache(maxsize=256)
def kindred_locale(locale: str) -> str | None:
    """The Serbian locale a ``bs`` or ``hr`` letter falls back to: ``sr_Latn`` (``sr`` for ``bs_Cyrl``).

    A Bosnian or Croatian client without a template of their own got the
    default Serbian letter in Cyrillic, their Latin name written in Cyrillic
    too — a faux pas where Serbian in Latin script is read as near their own.
    The script is the one their locale is written in (CLDR: ``bs`` is Latin,
    ``bs_Cyrl`` Cyrillic); ``None`` for any other language.
    """
    language = locale.replace("-", "_").split("_")[0].lower()
    if language not in _KINDRED_OF_SERBIAN:
        return None
    return "sr" if script_of(locale) == "Cyrl" else "sr_Latn"


@lru_cache(maxsize=256)
def letter_default(locale: str) -> str:
    """The locale the default (unsuffixed) templates write in under ``defaults.locale: locale``.

    ``defaults.locale`` itself (canonical), except Bosnian and Croatian: no
    template is written in them unless the team adds ``.hr.j2`` files, so a
    team that sets ``hr`` (for the gallery in Croatian) writes its letters in
    Serbian, Latin script (:func:`kindred_locale`) — salutation, script and
    dates together. A letter worded in ``hr`` read «Dear Марко, Ваш рођендан
    је 12. prosinca»: English, Cyrillic and Croatian in two lines.
    """
    canonical = normalize_locale(locale, locale)
    return kindred_locale(canonical) or canonical


@lru_cache(maxsize=256)
def keys_for(locale: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Which of ``keys`` (locales: ``sender.by_locale``'s) apply to a letter in ``locale``, the last winning.

    ``sr_Latn_RS`` → ``("sr", "sr_Latn", "sr_Latn_RS")`` of those listed: the
    chain template files fall back along (:func:`locale_chain`), general first.
    If none is listed, the key of the same language and script (the shortest):
    ``hu_HU`` for a ``hu`` letter, never ``sr_Latn`` for a Cyrillic ``sr`` one.
    Asked twice per letter, so kept.
    """
    chain = [key for key in reversed(locale_chain(locale)) if key in keys]
    if chain or not locale:
        return tuple(chain)
    own = _written(locale)
    return tuple(sorted((k for k in keys if _written(k) == own), key=len)[:1])


def _written(locale: str) -> tuple[str, str]:
    """A locale's language and script, the script filled in (``hu`` → ``("hu", "Latn")``)."""
    return locale.replace("-", "_").split("_")[0].lower(), script_of(locale)


def bcp47(locale: str) -> str:
    """A letter's locale (``sr_Latn``, ``en_US``) as the BCP 47 tag ``lang`` takes (``sr-Latn``); "" unknown.

    Why: a screen reader reads a text with the voice its ``lang`` names (WCAG
    3.1.1, 3.1.2), and a tag it cannot parse is worse than none. One
    conversion for every place that tags a letter's words — the letter's own
    ``<html lang>`` (the renderer's ``lang_tag``) and the gallery's subject,
    title and text — so a Serbian letter in Latin is ``sr-Latn`` in both.
    """
    return locale.replace("_", "-").strip("-")


@lru_cache(maxsize=256)
def text_direction(locale: str) -> str:
    """``"rtl"`` for a locale whose script runs right to left (he, ar, fa, ur, yi), else ``"ltr"``.

    Why: a Hebrew letter tagged only ``<html lang="he">`` is laid out left to
    right — its lines flush left, its "!" and "," at the wrong end. CLDR's
    ``character_order`` decides, not a hand list; an unknown locale is ``"ltr"``.
    """
    parsed = _parse(locale)
    return "rtl" if parsed is not None and parsed.character_order == "right-to-left" else "ltr"


def language_of(locale: str | None, default: str = "ru") -> str:
    """The bare language code (``"ru"`` for ``"ru-RU"``), for choosing wording."""
    return _locale(locale, default).language


def language_and_script(locale: str | None, default: str = "ru") -> tuple[str, str | None]:
    """The language and, where the locale names or implies one, the script.

    ``("sr", "Latn")`` for ``"sr-Latn-RS"`` and for ``"sr_ME"`` (Babel knows
    Montenegrin Serbian is written in Latin), ``("sr", "Cyrl")`` for
    ``"sr_RS"``, ``("sr", None)`` for a bare ``"sr"`` (its default script,
    Cyrillic), ``("ru", None)`` for ``"ru_RU"``. For wording that differs by
    script as well as by language: Serbian is written in both.
    """
    parsed = _locale(locale, default)
    return parsed.language, parsed.script


@lru_cache(maxsize=256)
def script_of(locale: str | None, default: str = "ru") -> str:
    """The script a locale is written in, stated or the likely one: ``hu`` → ``Latn``, ``sr`` → ``Cyrl``.

    For telling whether a name fits a letter: a Cyrillic «ООО «Ромашка»» under a
    Hungarian letter does not. CLDR's likely subtags fill in what the locale
    leaves out (``sr_ME`` → ``Latn``); "" for a language CLDR has no script for.
    """
    from babel.core import get_global

    parsed = _locale(locale, default)
    if parsed.script:
        return parsed.script
    likely: Mapping[str, str] = get_global("likely_subtags")
    for key in (f"{parsed.language}_{parsed.territory}" if parsed.territory else "", parsed.language):
        full = likely.get(key) if key else None
        if full is not None:
            return next((part for part in full.split("_")[1:] if len(part) == 4), "")
    return ""


def script_name(script: str) -> str:
    """A script's English name ("Latin", "Cyrillic", "Georgian") for a message, not its ISO 15924
    code ("Latn"): people read the one, not the other. CLDR's (Babel); the code for one it does not name."""
    from babel import Locale

    return str(Locale("en").scripts.get(script, script))


@lru_cache(maxsize=256)
def regional_locale(locale: str, country: str | None) -> str:
    """An English letter's locale made regional by the client's country: ``en`` + ``GB`` → ``en_GB``.

    CLDR's bare ``en`` is American English ("May 4"); a client in London reads
    "4 May". So an ``en`` letter (a locale without a territory) to a client
    whose country is known takes ``en_<country>`` where CLDR has it (``en_GB``,
    ``en_US``, ``en_CA``, ``en_DE``), else ``en_001``, CLDR's international
    English that every non-American English derives from (day before month):
    a client in Russia or Serbia reading English does not expect American
    dates. A locale that names its territory (``en_US``) is the client's own
    choice and stays; a letter in another language is left as it is (its
    dates do not differ by country in the languages greeter writes).
    ``country`` is a code as contacts carry it (``GB``, ``GB-ENG``); ``None``:
    unknown, the locale stays.
    """
    parsed = _parse(locale)
    if parsed is None or parsed.language != "en" or parsed.territory or not country:
        return locale
    code = country.partition("-")[0].upper()
    regional = _canonical(f"en_{code}") if code.isalpha() and len(code) == 2 else None
    return regional if regional is not None and regional.startswith("en_") else "en_001"


#: Ordinal suffixes by language and CLDR ordinal plural category (Babel's
#: :meth:`~babel.core.Locale.ordinal_form` knows which number takes which: 11 → other, 21 → one).
_ORDINAL_SUFFIX: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    # The number and a dot, whatever the number: "25. évfordulója", "25. aastapäev",
    # "25. Jubiläum", "25. годишњица" (the dot is the ordinal; the noun after it is declined).
    "hu": {"other": "."},
    "et": {"other": "."},
    "de": {"other": "."},
    "sr": {"other": "."},
    # The masculine ordinal indicator, as the nouns of an anniversary are (o aniversário, el
    # aniversario): «40º aniversário», Spanish «40.º aniversario» (the RAE's point before it). A
    # feminine noun takes ª, which a filter cannot see: such a template writes {{ years }}ª.
    "pt": {"other": "º"},
    "es": {"other": ".º"},
}


def ordinal(n: int, locale: str | None = "en", *, default: str = "en") -> str:
    """``n`` as an ordinal number: "1st", "2nd", "3rd", "11th", "21st", "112th"; "25." in hu, et, de, sr;
    "40º" in pt, "40.º" in es; Georgian «პირველი» (1st), «მე-25» (as «მე-20 საუკუნე»: the prefix alone marks
    the digits an ordinal; «მე-25-ე» marks it twice).

    Babel formats no ordinals, but CLDR's ordinal plural rules say which
    ending a number takes; only the endings are written here. A language
    without endings here is a :class:`ValueError` naming those there are (a
    template mistake: Russian "21-й" agrees with its noun, which a filter
    cannot see).
    """
    loc = _locale(locale, default)
    if loc.language == "ka":  # a prefix, not an ending: «მე-25 წლისთავი»; the first a word of its own
        return "პირველი" if n == 1 else f"მე-{n}"
    suffixes = _ORDINAL_SUFFIX.get(loc.language)
    if suffixes is None:
        raise ValueError(
            f"no ordinal numbers for language {loc.language!r}; known: {', '.join(_ORDINAL_SUFFIX)}"
        )
    return f"{n}{suffixes.get(loc.ordinal_form(n), suffixes['other'])}"


def years_phrase(n: int, locale: str | None = "ru", *, default: str = "ru") -> str:
    """``n`` years in words with the correct plural: "1 год", "3 года", "15 лет", "21 год".

    Uses CLDR's ``duration-year`` unit so every locale gets its own plural
    rules and number formatting ("1 000 лет", "1,000 years").
    """
    loc = normalize_locale(locale, default)
    return _plain_spaces(_babel_format_unit(n, "duration-year", length="long", locale=loc))


#: Serbian months in the genitive, by the nominative CLDR gives, in both scripts: a date in a
#: sentence says «рођендан је 12. децембра» («12th of December»). CLDR has the nominative for sr
#: in both month contexts — "format" (the one a pattern with a day takes: Russian «декабря»,
#: Croatian «prosinca») as well as "stand-alone" — so Babel writes «12. децембар» / «12. decembar»,
#: which reads as a heading, not a sentence. Keyed by CLDR's word: should CLDR take up the
#: genitive, nothing here matches and its own word stands.
SERBIAN_GENITIVE: Final[Mapping[str, str]] = {
    "јануар": "јануара", "фебруар": "фебруара", "март": "марта", "април": "априла",
    "мај": "маја", "јун": "јуна", "јул": "јула", "август": "августа",
    "септембар": "септембра", "октобар": "октобра", "новембар": "новембра", "децембар": "децембра",
    "januar": "januara", "februar": "februara", "mart": "marta", "april": "aprila",
    "maj": "maja", "jun": "juna", "jul": "jula", "avgust": "avgusta",
    "septembar": "septembra", "oktobar": "oktobra", "novembar": "novembra", "decembar": "decembra",
}  # fmt: skip
#: A run of letters (of any script).
_WORD: Final = re.compile(r"[^\W\d_]+")


def _serbian_genitive(text: str) -> str:
    """A Serbian day and month with the month in the genitive: «12. децембар» → «12. децембра»."""
    return _WORD.sub(lambda m: SERBIAN_GENITIVE.get(m.group(), m.group()), text)


def format_date(d: date, locale: str | None = "ru", fmt: str = "long", *, default: str = "ru") -> str:
    """A date as words for a letter: "15 декабря 2026 г.", "December 15, 2026".

    ``fmt`` is one of :data:`DATE_FORMATS`. ``"day_month"`` ("15 декабря",
    "December 15") is built from the CLDR skeleton ``MMMMd`` so the order and the
    month's grammatical form are the locale's own; it is what a birthday letter
    says, since the year would reveal the age. ``"on_day"`` is the day and month
    as a sentence says something happens *on* it: Hungarian marks that on the
    date itself ("január 2-án", "március 15-én", "május 1-jén":
    :func:`greeter.hungarian.on_day`, where CLDR's "január 2." would need its
    ending typed by hand and by ear); every other language says it with
    ``day_month`` and the template's own words ("on 15 December", "15 декабря"),
    so there ``on_day`` is ``day_month``. Georgian marks it on the month, its dative
    (:func:`_ka_on_day`: «8 დეკემბერს», «28 აგვისტოს»). Serbian (either script) writes a
    day's month in the genitive, «12. децембра», «12. децембра 2026.», which
    CLDR lacks (:data:`SERBIAN_GENITIVE`). An unknown ``fmt`` is a
    :class:`ValueError` naming the valid ones (a template mistake, not data).
    """
    loc = normalize_locale(locale, default)
    language = _locale(loc, default).language
    if fmt == "on_day" and language == "hu":
        return _hu_on_day(d, _babel_format_date(d, format="MMMM", locale=loc))
    if fmt == "on_day" and language == "ka":
        return _ka_on_day(_plain_spaces(_babel_format_skeleton("MMMMd", d, locale=loc)))
    if fmt in ("day_month", "on_day"):
        text = _babel_format_skeleton("MMMMd", d, locale=loc)
    elif fmt in DATE_FORMATS:
        text = _babel_format_date(d, format=fmt, locale=loc)
    else:
        raise ValueError(f"unknown date format {fmt!r}; expected one of: {', '.join(DATE_FORMATS)}")
    return _plain_spaces(_serbian_genitive(text) if language == "sr" else text)


def _ka_on_day(day_month: str) -> str:
    """A Georgian day and month (CLDR's «8 დეკემბერი») as a sentence says something happens on it:
    the month in the dative, its final -ი dropped and -ს added («8 დეკემბერს»); a month ending in
    a vowel kept (აგვისტო → «28 აგვისტოს»)."""
    return f"{day_month.removesuffix('ი')}ს"


def _split_forms(forms: str | Sequence[str]) -> list[str]:
    items = forms.split("|") if isinstance(forms, str) else list(forms)
    items = [item.strip() for item in items]
    if not items or not any(items):
        raise ValueError("plural forms are empty; expected e.g. 'клиент|клиента|клиентов'")
    return items


#: Whole numbers whose categories a count needs words for (CLDR rules repeat within 0-999;
#: beyond, only rare categories such as French "many" for millions differ).
_COUNTS: range = range(1000)
#: Forms to show in the message for a wrong number of forms, by language.
_EXAMPLE_FORMS: dict[str, str] = {
    "ru": "год|года|лет",
    "uk": "рік|роки|років",
    "be": "год|гады|гадоў",
    "en": "year|years",
    "de": "Jahr|Jahre",
}


@lru_cache(maxsize=256)
def plural_categories(locale: Locale) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The locale's plural categories: (those whole numbers use, all of them), in CLDR order.

    Russian: ``(one, few, many)`` and ``(one, few, many, other)`` (``other``
    is for fractions); English: ``(one, other)`` twice. A template lists one
    form per category of the first tuple (or of the second).
    """
    rule = locale.plural_form
    whole = {rule(n) for n in _COUNTS}
    every = set(rule.tags) | {"other"}
    return tuple(c for c in _PLURAL_ORDER if c in whole), tuple(c for c in _PLURAL_ORDER if c in every)


def plural(n: int, forms: str | Sequence[str], locale: str | None = "ru", *, default: str = "ru") -> str:
    """Pick the word form that agrees with ``n``: ``plural(3, "клиент|клиента|клиентов")`` → "клиента".

    ``forms`` (a ``|``-separated string, convenient inside templates, or a
    sequence) lists the forms in CLDR category order, one per category the
    locale's whole numbers use: Russian ``one|few|many`` (1 клиент, 2 клиента,
    5 клиентов — the order Russian grammars and gettext users already know),
    English ``one|other`` ("client|clients"). Only the word is returned; the
    template places the number, which keeps number formatting under its control.

    Any other number of forms is a :class:`ValueError` naming the forms the
    locale needs, whatever ``n`` is: "год|года" reads right for 1 and 3 and
    gives "46 года", so it must fail in ``greeter check``, not in a letter.
    The locale's full list of CLDR categories is accepted too, and the error
    names it: Russian's fractional ``other`` as a fourth form, and the
    ``many`` of Portuguese, Spanish, French and Italian, the form of a
    round million («1.000.000 de anos»: "ano|de anos|anos" is one|many|other).
    """
    items = _split_forms(forms)
    loc = _locale(locale, default)
    whole, every = plural_categories(loc)
    if len(items) == len(whole):
        used = whole
    elif len(items) == len(every):
        used = every
    else:
        example = _EXAMPLE_FORMS.get(loc.language)
        hint = f", e.g. {example!r}" if example else ""
        # The language, not the locale ("Serbian", not "Serbian (Latin)"): sr, sr_Latn and sr_RS
        # contacts share the file and the rule, so check reports the mistake once for all of them.
        # The full list is accepted too, so the message names it where it differs: Portuguese's
        # "a|b|c|d" was told "needs 2 forms (one|other)", though 3 (one|many|other) were taken.
        full = f", or {len(every)} ({'|'.join(every)})" if every != whole else ""
        raise ValueError(
            f"plural needs {len(whole)} form{'s' if len(whole) != 1 else ''} in "
            f"{loc.get_language_name('en')} ({'|'.join(whole)}{hint}){full}, "
            f"got {len(items)}: {'|'.join(items)!r}"
        )
    category = loc.plural_form(n)
    # A category outside the list (French "many" for millions with two forms) takes the last form.
    return items[used.index(category)] if category in used else items[-1]
