"""How a letter addresses its contact: gender, salutation and declined names.

The product promise is a letter addressed by name and patronymic ("Уважаемый
Иван Петрович"), never "Dear customers". Getting that wrong is worse than being
neutral — "Уважаемый Анна Ильинична" offends — so every function here prefers
a neutral form whenever the data does not settle the question:

* Gender for wording comes from an explicit column or from the patronymic, the
  one part of a Russian name that encodes gender by construction. A Russian
  first name is not used (Саша, Женя, Валя are both), so no patronymic means
  neutral wording ("Здравствуйте, Иван"); only in a language without
  patronymics does a first name of one gender say it (Serbian "Marko":
  :func:`greeter.names.gender_of`).
* Turkic patronymics ("Рашид оглы", "Лутфияр кызы") are addressed exactly as
  given — "Уважаемый Гусейн Рашид оглы". Russifying them to "Рашидович" would be
  inventing a name the client does not use; Russian business and official usage
  keeps the particle form and does not decline it ("Гусейну Рашид оглы").
* Declension is delegated to pytrovich (the petrovich rule set), never to
  hand-written endings. When the gender stays unknown even after pytrovich's
  own detector, a word is declined only if its male and female declensions
  agree (Саша → Саше either way); otherwise it is left in the nominative,
  which reads as an indeclinable name rather than as a wrong one.
* The rules are the *letter's* language's, not the contact's: a Ukrainian
  contact whose letter falls back to the Russian template is written about in
  Russian ("Тарасу Григоровичу Шевченко": -енко does not decline in Russian),
  and gets Ukrainian declension only in a Ukrainian letter ("Шевченку"). A
  word spelled with letters Russian does not have (і, ї, є, ґ: "Олексій",
  "Юріївна") is read by the Ukrainian rules even in a Russian letter: its
  spelling says how it declines, and pytrovich misreads it ("Юріївне"). An
  «і» alone is also Kazakh: in a Kazakh name («Динара Ахметкызы Серікова»,
  «Мөлдір Жүсіпова») it is no Ukrainian spelling, and the Russian rules decline
  it («Серіковой», not «Серіковій»): :func:`_i_is_ukrainian`.
* A name in Belarusian spelling («Дар'я Уладзіміраўна», «Мікола Пятровіч»:
  :func:`belarusian_spelling`) is printed as written in every case: neither
  rule set knows Belarusian, and each misread it («Дар'е Уладзіміраўні»,
  «Міколі Пятровічу»). ``greeter check`` says so for the letters it reaches.
* Names are data: anything without Cyrillic letters (John, "{{ 7*7 }}") is
  returned unchanged, and nothing here evaluates or formats contact text.
* The salutation in every language a letter may be written in, with the mark
  after it and the closing, is one table in :mod:`greeter.letter_forms`;
  :func:`salutation` and :func:`gender_of` (from :mod:`greeter.names`) are
  re-exported here, where callers have always found them.

Everything is pure; declension is cached per word and per name because a
planner renders up to millions of greetings and names repeat heavily.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as PCase
from pytrovich.enums import Gender as PGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from greeter.contacts import Contact, Gender, family_name_first, ordered_name
from greeter.given_names import given_name_gender
from greeter.letter_forms import salutation
from greeter.names import gender_of
from greeter.patronymics import cyrillic_word, is_turkic, patronymic_gender

__all__ = [
    "CASES",
    "PARTS",
    "UNDECLINED_CASES",
    "belarusian_spelling",
    "canonical_case",
    "decline",
    "gender_of",
    "salutation",
]

#: The six Russian grammatical cases, by their English names (the canonical spelling).
CASES: Final[tuple[str, ...]] = (
    "nominative",
    "genitive",
    "dative",
    "accusative",
    "instrumental",
    "prepositional",
)

#: Which parts of the name :func:`decline` returns, in natural order.
PARTS: Final[tuple[str, ...]] = ("first_patronymic", "full", "first", "last")

_PYTROVICH_CASE: Final[dict[str, PCase]] = {
    "nominative": PCase.NOMINATIVE,
    "genitive": PCase.GENITIVE,
    "dative": PCase.DATIVE,
    "accusative": PCase.ACCUSATIVE,
    "instrumental": PCase.INSTRUMENTAL,
    "prepositional": PCase.PREPOSITIONAL,
}

# Template authors write cases in English, in Russian, or abbreviated.
_CASE_ALIASES: Final[dict[str, str]] = {
    **{name: name for name in CASES},
    **dict(zip(("nom", "gen", "dat", "acc", "ins", "pre"), CASES, strict=True)),
    **dict(
        zip(
            ("именительный", "родительный", "дательный", "винительный", "творительный", "предложный"),
            CASES,
            strict=True,
        )
    ),
    **dict(zip(("им", "род", "дат", "вин", "твор", "пред"), CASES, strict=True)),
}

#: Real grammatical cases (of Russian, Ukrainian, Polish, Serbian, Hungarian, Estonian…) that
#: :func:`decline` does not make, as a template may write them: named so when asked for, never
#: answered with a case spelt alike (``'vocative'``: "did you mean 'dative'?" sent a marketer
#: after the wrong case). Lower case.
UNDECLINED_CASES: Final[dict[str, str]] = {
    **dict.fromkeys(("vocative", "voc", "vok", "vokativ", "звательный", "кличний", "вокатив"), "vocative"),
    **dict.fromkeys(("locative", "loc", "lokativ", "местный", "місцевий", "локатив"), "locative"),
    **dict.fromkeys(("partitive", "part", "partitiv", "разделительный", "партитив"), "partitive"),
    **{
        case: case
        for case in (
            "ablative", "abessive", "adessive", "allative", "comitative", "delative", "elative",
            "essive", "illative", "inessive", "instructive", "sublative", "superessive",
            "terminative", "translative", "ergative", "absolutive", "causal-final", "sociative",
        )
    },
}  # fmt: skip

_CYRILLIC: Final = re.compile(r"[\u0400-\u04ff]")
#: Letters of Ukrainian (and Belarusian) spelling that Russian does not have.
_UKRAINIAN_SPELLING: Final = re.compile("[іїєґІЇЄҐ]")
#: Of those, the ones only Ukrainian has: «і» is also a Kazakh and a Belarusian letter.
_UKRAINIAN_ONLY: Final = re.compile("[їєґЇЄҐ]")
#: Letters of Kazakh (ғ, қ, ҳ also Uzbek) that no Slavic alphabet has: a name with any is Turkic.
_KAZAKH_LETTERS: Final = re.compile("[әғқңөұүһҳӘҒҚҢӨҰҮҺҲ]")
#: The letters of Belarusian spelling (with its apostrophes and the hyphen): a word with any other
#: (и, щ, ъ, ї, є, ґ, Uzbek ў's қ, ғ, ҳ) is not written the Belarusian way.
_BELARUSIAN_LETTERS: Final = frozenset("абвгдеёжзійклмнопрстуўфхцчшыьэюя'’ʼ-")
#: Letters Belarusian shares with Russian and Ukrainian lacks: with «і» or an apostrophe, Belarusian.
_NOT_UKRAINIAN: Final = frozenset("ыэё")
#: Belarusian patronymic endings no Russian or Ukrainian one has: Міхайлавіч, Ільінічна, Іванаўна.
_BELARUSIAN_PATRONYMIC: Final = ("віч", "ічна", "ўна")

# Cache keys below are plain strings, not enums: Enum.__hash__ is Python code
# and would dominate the cost of a cache hit.
_PGENDER: Final[dict[str, PGender]] = {"male": PGender.MALE, "female": PGender.FEMALE}
_PART: Final[dict[str, NamePart]] = {
    "firstname": NamePart.FIRSTNAME,
    "middlename": NamePart.MIDDLENAME,
    "lastname": NamePart.LASTNAME,
}


def _clean(text: str) -> str:
    """Collapse the stray spaces spreadsheets leave in names."""
    return " ".join(text.split())


def canonical_case(case: str) -> str:
    """A case as a template may write it (``dat``, ``дательный``, ``Dative``) → its name in :data:`CASES`."""
    # As written most of the time (a template's "dative"): the aliases are stripped lower case.
    key = _CASE_ALIASES.get(case) if type(case) is str else None
    if key is None and isinstance(case, str):
        key = _CASE_ALIASES.get(case.strip().lower())
    if key is None:
        real = UNDECLINED_CASES.get(case.strip().lower()) if isinstance(case, str) else None
        if real is not None:
            raise ValueError(_undeclined(case, real))
        raise ValueError(
            f"unknown grammatical case {case!r}; expected one of: {', '.join(CASES)} "
            "(or nom/gen/dat/acc/ins/pre, or the Russian names: именительный … предложный)"
        )
    return key


def _undeclined(case: str, real: str) -> str:
    """Why a real grammatical case greeter does not decline in is refused, and what to write instead."""
    declined = ", ".join(CASES)
    said = f"{case!r} is the {real} case, which greeter does not decline names or titles in"
    said += f" (it declines: {declined})"
    if real == "vocative":
        return (
            f"{said}: a name in the vocative belongs in the salutation — greeter writes the Ukrainian one "
            "there itself («Шановний Іване Петровичу», greeter/letter_forms.py), and name('vocative') "
            "gives it in a Ukrainian or Latvian letter; for another language "
            "write it in the salutation macro of the language's helper file (_pl.j2 for Polish: see "
            '"Adding a language" in docs/templates.md)'
        )
    return f"{said}: write the name as it is ({{{{ contact.first_name }}}}) and word the sentence around it"


@cache
def _maker() -> PetrovichDeclinationMaker:
    # Built lazily: the constructor reads pytrovich's rule file, and importing
    # this module (e.g. for ``greeter schema``) should not.
    return PetrovichDeclinationMaker()


@cache
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _detect(**part: str) -> PGender:
    """pytrovich's detector on one name part (one at a time, so it never logs a conflict)."""
    result: PGender = _detector().detect(**part)  # type: ignore[no-untyped-call]
    return result


#: How to decline a name: a gender ("male"/"female") and whether it is known
#: (explicit or from the patronymic) or merely detected; ``None`` means undecidable.
_Basis = tuple[str | None, bool]


@lru_cache(maxsize=8192)
def _basis(first: str, patronymic: str, last: str, explicit: str | None) -> _Basis:
    """Choose the gender pytrovich declines with.

    Explicit or patronymic gender is a fact (``known``); otherwise pytrovich's
    detector is asked part by part, most reliable first: its own patronymic
    lists (wider than ours), then the surname (-ов/-ова, -ский/-ская). The
    first name says a gender only when the name lists give it one
    (:func:`~greeter.given_names.given_name_gender`: Иван, Асель): pytrovich's
    detector guesses by the ending, and called Georgian Тамар (a woman's name,
    not declined) male — «Тамару Капанадзе». Failing all, ``None``: only the
    words whose declension does not depend on the gender are declined.
    """
    if explicit is not None and explicit != Gender.UNKNOWN.value:
        return explicit, True
    if explicit is None:
        derived = patronymic_gender(patronymic)
        if derived is not Gender.UNKNOWN:
            return derived.value, True
    for key, value in (("middlename", patronymic), ("lastname", last)):
        if value:
            detected = _detect(**{key: value})
            if detected is not PGender.ANDROGYNOUS:
                return ("male" if detected is PGender.MALE else "female"), False
    return (given_name_gender(first) if first else None), False


@lru_cache(maxsize=32768)
def _decline_word(word: str, part: str, gender: str | None, known: bool, case: str) -> str:
    """Decline one space-free word (it may be hyphenated: pytrovich declines each half).

    With ``gender=None`` the word is declined only if the male and the female
    declension agree; otherwise it stays as given. pytrovich copies the input's
    letter case only up to the changed ending ("ИВАН" → "ИВАНу"), so an
    all-capitals word is upper-cased again.
    """
    if not _CYRILLIC.search(word):
        return word
    maker, name_part, pcase = _maker(), _PART[part], _PYTROVICH_CASE[case]
    if gender is None:
        as_male = maker.make(name_part, PGender.MALE, pcase, word, True)
        as_female = maker.make(name_part, PGender.FEMALE, pcase, word, True)
        result = as_male if as_male == as_female else word
    else:
        result = maker.make(name_part, _PGENDER[gender], pcase, word, known)
    if part == "firstname" and gender == "female" and "ь" in word.lower():
        # A woman's name in -ь declines as «ночь» (3rd declension): Асели, Аселью. pytrovich
        # knows this for Любовь and Нинель but leaves most -ль names (Асель, Гузель) as given.
        halves, declined = word.split("-"), result.split("-")
        if len(halves) == len(declined):
            soft = [h[-1:].lower() == "ь" and h[-2:-1].lower() in _CONSONANT_LETTERS for h in halves]
            result = "-".join(
                h[:-1] + _THIRD_DECLENSION[case] if s else d
                for h, d, s in zip(halves, declined, soft, strict=True)
            )
    if part == "lastname":
        result = kept_vowel(word, result)
    return result.upper() if word.isupper() else result


#: The ending that replaces the «ь» of a woman's first name in each case (Асель: Асели, Аселью).
_THIRD_DECLENSION: Final[dict[str, str]] = {
    "nominative": "ь",
    "genitive": "и",
    "dative": "и",
    "accusative": "ь",
    "instrumental": "ью",
    "prepositional": "и",
}


#: Russian consonant letters (ь, ъ and й are none: Кузнец's «зн» is a cluster, «ль» is not).
_CONSONANT_LETTERS: Final = frozenset("бвгджзклмнпрстфхцчшщ")


def kept_vowel(word: str, declined: str) -> str:
    """``declined`` with the «е» of a surname in -ец put back where dropping it left a cluster.

    pytrovich drops the fleeting «е» of -нец/-вец surnames as in common nouns
    (Кравец → Кравцу, Гребенец → Гребенцу: usage allows both), and so also
    where the word cannot be said without it: Кузнец → «Кузнцу», Жнец → «Жнцу».
    Between two consonants and «ц» the vowel stays, as a surname keeps its
    form: «Кузнецу», «Жнецу». Pure; any other word comes back as declined.
    """
    halves, declined_halves = word.split("-"), declined.split("-")
    if len(halves) > 1 and len(halves) == len(declined_halves):  # Кузнец-Жнец: each half as a word
        return "-".join(kept_vowel(h, d) for h, d in zip(halves, declined_halves, strict=True))
    low = word.lower()
    if (
        len(low) >= 4
        and low.endswith("ец")
        and low[-4] in _CONSONANT_LETTERS
        and low[-3] in _CONSONANT_LETTERS
        and declined.lower().startswith(low[:-2] + "ц")
    ):
        return word + declined[len(word) - 1 :]
    return declined


def _language(locale: str | None) -> str:
    """The language part of a locale, lower case: ``"kk"`` for ``kk-KZ``, ``""`` for none."""
    return (locale or "").replace("-", "_").partition("_")[0].lower()


def _turkic_name(first: str, patronymic: str, last: str) -> bool:
    """Whether a letter only Kazakh (or Uzbek) has is anywhere in the name (ә, ғ, қ, ң, ө, ұ, ү, һ:
    «Мөлдір Жүсіпова»), or its patronymic is a Turkic one («Ахметкызы», «Серікұлы»)."""
    return any(_KAZAKH_LETTERS.search(text) for text in (first, patronymic, last)) or is_turkic(patronymic)


def _kazakh_contact(locale: str | None, country: str | None) -> bool:
    """Whether the contact is Kazakh: language ``kk`` or country KZ."""
    return _language(locale) == "kk" or (country or "").strip().upper() == "KZ"


@lru_cache(maxsize=8192)
def _i_is_ukrainian(first: str, patronymic: str, last: str, locale: str | None, country: str | None) -> bool:
    """Whether an «і» (without ї, є or ґ) in this name says Ukrainian spelling.

    «і» is a Ukrainian letter, but also a Kazakh one: «Динара Ахметкызы Серікова» and
    «Мөлдір Жүсіпова», read by the Ukrainian rules, became «Серіковій», «Жүсіповій». A
    contact whose language is Ukrainian (``locale``) keeps it Ukrainian («Віктор Іваненко»);
    a name with Kazakh letters or a Turkic patronymic (:func:`_turkic_name`) is Kazakh
    whoever has it; a «ї», «є» or «ґ» anywhere in the name says Ukrainian («Наталія Юріївна»
    of country KZ); else a Kazakh contact's «і» is Kazakh (:func:`_kazakh_contact`). Otherwise
    the «і» still counts: «Олексій Іванович» in a Russian letter is «Олексію», «Олексієм»,
    where the Russian rules misread «Олексіем». Pure; cached as names repeat.
    """
    if _is_ukrainian(locale):
        return True
    if _turkic_name(first, patronymic, last):
        return False
    if any(_UKRAINIAN_ONLY.search(text) for text in (first, patronymic, last)):
        return True
    return not _kazakh_contact(locale, country)


def _decline_part(text: str, part: str, basis: _Basis, case: str, i_ukrainian: bool = True) -> str:
    if part == "middlename" and is_turkic(text):
        return text  # "Рашид оглы" is not declined in Russian: "Гусейну Рашид оглы".
    gender, known = basis
    spelling = _UKRAINIAN_SPELLING if i_ukrainian else _UKRAINIAN_ONLY  # Kazakh «Серікова»: «Серіковой»
    if spelling.search(text):  # "Юріївна" in a Russian letter: "Юріївні", not "Юріївне"
        # The gender is the one the whole name settled on; "unknown" stops the Ukrainian
        # path re-deriving it from a patronymic it is not given.
        sex = gender if gender is not None else Gender.UNKNOWN.value
        parts = {"firstname": (text, "", ""), "middlename": ("", text, ""), "lastname": ("", "", text)}[part]
        return _decline_uk(*parts, sex, case, _UK_PARTS[part])
    return " ".join(_decline_word(word, part, gender, known, case) for word in text.split())


@lru_cache(maxsize=16384)
def _decline_name(
    first: str,
    patronymic: str,
    last: str,
    explicit: str | None,
    case: str,
    parts: str,
    i_ukrainian: bool = True,
) -> str:
    """The name's ``parts`` in ``case``: Russian rules, Ukrainian spelling by its own (:func:`_decline_part`).

    ``i_ukrainian``: whether an «і» alone says Ukrainian spelling (:func:`_i_is_ukrainian`).
    """
    first, patronymic, last = _clean(first), _clean(patronymic), _clean(last)
    chosen: list[tuple[str, str]]
    if parts == "first_patronymic":
        chosen = [(first, "firstname"), (patronymic, "middlename")]
    elif parts == "full":
        chosen = [(first, "firstname"), (patronymic, "middlename"), (last, "lastname")]
    elif parts == "first":
        chosen = [(first, "firstname")]
    else:
        chosen = [(last, "lastname")]
    chosen = [(text, part) for text, part in chosen if text]
    if case == "nominative":
        return " ".join(text for text, _ in chosen)
    basis = _basis(first, patronymic, last, explicit)
    return " ".join(_decline_part(text, part, basis, case, i_ukrainian) for text, part in chosen)


@lru_cache(maxsize=16384)
def belarusian_spelling(first: str, patronymic: str, last: str, locale: str | None = None) -> bool:
    """Whether a name is written the Belarusian way: «Дар'я Уладзіміраўна», «Мікола Пятровіч», «Ірына».

    A word of Belarusian letters only (:data:`_BELARUSIAN_LETTERS`) says so with «ў», with «і»
    or an apostrophe beside «ы», «э» or «ё» (Ukrainian has none of these), or with a
    Belarusian patronymic's ending (-віч, -ічна, -ўна); with «і» or an apostrophe alone
    («Мікола», «Дар'я») only for a contact whose language is Belarusian (``locale``). A Latin
    «i» typed for «і» counts as the «і» (:func:`greeter.patronymics.cyrillic_word`). A Kazakh
    name has «і» beside «ы» too, and is none: one with Kazakh letters or a Turkic patronymic
    (:func:`_turkic_name`: «Динара Серіккызы»), or a contact whose language is Kazakh («Ерік
    Тілеуберды» in ``kk``). A country KZ alone does not say it: «Ірына» is Belarusian in Almaty
    too. Pure.
    """
    language = _language(locale)
    belarusian = language == "be"
    if language == "kk" or _turkic_name(first, patronymic, last):
        return False
    for text in (first, patronymic, last):
        for word in text.lower().split():
            word = cyrillic_word(word)
            if not set(word) <= _BELARUSIAN_LETTERS or not _CYRILLIC.search(word):
                continue
            if "ў" in word or word.endswith(_BELARUSIAN_PATRONYMIC):
                return True
            marked = "і" in word or "'" in word or "’" in word or "ʼ" in word
            if marked and (belarusian or not _NOT_UKRAINIAN.isdisjoint(word)):
                return True
    return False


def decline(
    contact: Contact, case: str, *, parts: str = "first_patronymic", language: str | None = None
) -> str:
    """The contact's name in a grammatical case: ``decline(c, "dative")`` → "Ивану Петровичу".

    ``case`` is one of :data:`CASES`, an abbreviation (nom, gen, dat, acc, ins,
    pre) or the Russian name (дательный, …), case-insensitive. ``parts`` is one
    of :data:`PARTS`: ``"first_patronymic"`` (default, the form letters use),
    ``"full"`` (natural order "Имя Отчество Фамилия"), ``"first"`` or
    ``"last"``. Missing parts are skipped; a contact without any of the chosen
    parts yields ``""``. An unknown ``case`` or ``parts`` raises
    :class:`ValueError` naming the valid values, which the renderer reports as a
    template error.

    Gender for declension is the explicit column or the patronymic; failing
    those (including an explicit "unknown", which only means "do not choose
    Уважаемый/Уважаемая"), pytrovich's detector; failing that, only words whose
    declension does not depend on gender are declined.

    ``language`` is the language of the letter the name is written into
    (``"ru"``, ``"uk"``, a locale such as ``"uk_UA"``): its rules decline the
    name, so a Ukrainian contact in a Russian letter is "Тарасу Григоровичу
    Шевченко", in a Ukrainian one "Тарасу Григоровичу Шевченку". ``None``
    (a caller with no letter) takes the contact's own locale.
    """
    key = canonical_case(case)
    if parts not in PARTS:
        raise ValueError(f"unknown name parts {parts!r}; expected one of: {', '.join(PARTS)}")
    # A column contradicting a plain -вич/-вна is no gender (gender_of): "unknown", the detector's.
    explicit = None if contact.gender is None else gender_of(contact).value
    if parts == "full" and family_name_first(written := contact.written_locale):  # "Kovács Béla", as greeted
        return ordered_name(contact.first_name, contact.patronymic, contact.last_name, written)
    if key != "nominative" and belarusian_spelling(
        contact.first_name, contact.patronymic, contact.last_name, contact.locale
    ):  # no declension rules for it: «Дар'я Уладзіміраўна» as written, never «Дар'е Уладзіміраўні»
        key = "nominative"
    if _is_ukrainian(contact.locale if language is None else language):
        return _decline_uk(contact.first_name, contact.patronymic, contact.last_name, explicit, key, parts)
    first, patronymic, last = contact.first_name, contact.patronymic, contact.last_name
    i_ukrainian = _i_is_ukrainian(first, patronymic, last, contact.locale, contact.country)
    return _decline_name(first, patronymic, last, explicit, key, parts, i_ukrainian)


# --------------------------------------------------------------------------- Ukrainian

#: Our case names → shevchenko's: Ukrainian has the same six (and a vocative, used by the salutation).
_UK_CASE: Final[dict[str, str]] = {
    "nominative": "nominative",
    "genitive": "genitive",
    "dative": "dative",
    "accusative": "accusative",
    "instrumental": "ablative",
    "prepositional": "locative",
}
#: The ``parts`` of :func:`_decline_uk` that declines one name part given alone.
_UK_PARTS: Final[dict[str, str]] = {
    "firstname": "first",
    "middlename": "first_patronymic",
    "lastname": "last",
}
_UK_FIELD: Final[dict[str, str]] = {
    "firstname": "given_name",
    "middlename": "patronymic_name",
    "lastname": "family_name",
}


def _is_ukrainian(locale: str | None) -> bool:
    return locale is not None and locale.replace("-", "_").partition("_")[0].lower() == "uk"


@lru_cache(maxsize=8192)
def _decline_uk(first: str, patronymic: str, last: str, explicit: str | None, case: str, parts: str) -> str:
    """A Ukrainian contact's name by Ukrainian rules (shevchenko): Наталії Юріївні, not Наталіе Юріївне.

    pytrovich's Russian rules misread Ukrainian spelling (Олена → "Олены",
    Юріївна → "Юріївне"). The gender rules are the Russian path's: the
    explicit column or the patronymic is a fact, then the library's detector;
    with none, a part is declined only where the male and female forms agree.
    A Turkic patronymic stays as written, as the salutation keeps it.
    """
    import shevchenko  # here, not at the top: 10 ms of import, paid only by Ukrainian letters

    first, patronymic, last = _clean(first), _clean(patronymic), _clean(last)
    chosen = {
        "first_patronymic": [(first, "firstname"), (patronymic, "middlename")],
        "full": [(first, "firstname"), (patronymic, "middlename"), (last, "lastname")],
        "first": [(first, "firstname")],
        "last": [(last, "lastname")],
    }[parts]
    chosen = [(text, part) for text, part in chosen if text]
    keep = {part for text, part in chosen if part == "middlename" and is_turkic(text)}
    fields = {_UK_FIELD[part]: text for text, part in chosen if part not in keep and _CYRILLIC.search(text)}
    if case == "nominative" or not fields:
        return " ".join(text for text, _ in chosen)
    gender = explicit if explicit in ("male", "female") else None
    if gender is None and explicit is None:
        derived = patronymic_gender(patronymic)
        gender = None if derived is Gender.UNKNOWN else derived.value
    try:
        if gender is None:
            detected = shevchenko.detect_gender(
                **{k: v for k, v in fields.items() if k != "family_name"} or fields
            )
            gender = {"masculine": "male", "feminine": "female"}.get(detected or "")
        if gender is None:
            as_male = shevchenko.in_case(_UK_CASE[case], gender="masculine", **fields)
            as_female = shevchenko.in_case(_UK_CASE[case], gender="feminine", **fields)
            declined = {k: v for k, v in as_male.items() if as_female.get(k) == v}
        else:
            sex = "masculine" if gender == "male" else "feminine"
            declined = shevchenko.in_case(_UK_CASE[case], gender=sex, **fields)
    except ValueError:  # the library's InputValidationError: nothing it can read as a name
        declined = {}
    words = [declined.get(_UK_FIELD[part], text) if part not in keep else text for text, part in chosen]
    return " ".join(w.upper() if text.isupper() else w for w, (text, _) in zip(words, chosen, strict=True))
