"""Names as CRMs export them, made fit to address a person — pure.

* Splitting a single full-name column, "Фамилия Имя Отчество", into parts.
  CRMs such as 1C and Bitrix often export one ФИО column. The documented
  order is surname first; what varies is the number of words: a two-word
  name (no patronymic), a hyphenated surname (still one word), and Turkic
  patronymics written as two words ("Рашид оглы"), which must stay together.
  A cell typed in another order ("Мария Ивановна Кузнецова") is recognised
  by its patronymic or its first name, and the loader warns about it.
* Gender from the patronymic, the one part of a Russian name that encodes it
  by construction (and of a Turkic one: "Рашид оглы", "Болатұлы"): read by
  :mod:`greeter.patronymics`, whose rule the letter's wording
  (:mod:`greeter.addressing`) and the loader's check of an explicit gender
  column both use. A contact of a language without patronymics (Serbian) has
  none: their first name says it where it names one gender only
  (:func:`gender_of`).
* Letter case is :mod:`greeter.name_case`'s.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Literal, NamedTuple

from greeter.contacts import Contact, Gender, academic_titles
from greeter.iberian_names import IBERIAN_COUNTRIES, IBERIAN_LANGUAGES, iberian_name_gender
from greeter.patronymics import joined_particle, patronymic_gender, plain_patronymic_gender, turkic_particle

__all__ = [
    "CONTRADICTED",
    "LETTERS",
    "NAME_UNREAD",
    "NOT_NAME",
    "UNSAID",
    "AudienceGender",
    "FullName",
    "NameParts",
    "audience_gender",
    "first_and_patronymic",
    "first_name_says",
    "gender_of",
    "gender_source",
    "given_name_first",
    "initials_in",
    "latin_foreign_name",
    "locale_language",
    "native_order",
    "read_full_name",
    "split_full_name",
    "usual_order",
    "without_brackets",
]

#: Anything but letters, spaces, hyphens, apostrophes and dots: text that is not a plain name
#: (digits, "{{ 7*7 }}") is data of another kind and stays exactly as typed. Public: the one
#: rule of what is a name, shared with :mod:`greeter.name_case`, which then leaves its case alone.
NOT_NAME: Final = re.compile(r"[^\w\s\-'’ʼ.]|[\d_]")
#: A run of letters of any alphabet (no digits, no ``_``): the words of a name, as this module
#: and :mod:`greeter.name_case` (which cases each run) read them.
LETTERS: Final = re.compile(r"[^\W\d_]+")


class NameParts(NamedTuple):
    last_name: str
    first_name: str
    patronymic: str


class FullName(NamedTuple):
    """How one full-name cell was read: its parts, and what a row warning must say about it.

    ``order`` is the order the words were found in when it is not the documented
    «Фамилия Имя Отчество» ("first name, patronymic, last name"), else "".
    ``initials`` are the abbreviated words dropped ("И.И."): never a name to
    address anyone by. ``bracketed`` is the text in brackets dropped
    ("(бухгалтер)"): a note in the cell, not a part of the name.
    ``alone`` is what a one-word cell that is no known first name was read as
    ("last name", "patronymic"): the contact has no first name. ``unconfirmed``
    is a two-word cell read in the documented order though neither word is a
    known first name ("Tamm Kask"): right for a Russian CRM, a guess for a
    contact of another language (:func:`native_order`). ``doubt`` is what the
    words of a Hungarian cell could not settle (which are family names and which
    given names: :func:`_hungarian`), for the row's warning; "" when they did.
    """

    parts: NameParts
    order: str = ""
    initials: str = ""
    bracketed: str = ""
    alone: str = ""
    unconfirmed: bool = False
    doubt: str = ""


#: An initial or a run of them: one letter and a dot ("И.", "И.И.", "И.И").
_INITIALS: Final = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")
#: Text in round or square brackets, or an unclosed bracket to the end of the cell.
_BRACKETED: Final = re.compile(r"\([^)]*(?:\)|$)|\[[^\]]*(?:\]|$)")


def split_full_name(full: str) -> NameParts:
    """``"Алиев Гусейн Рашид оглы"`` → (Алиев, Гусейн, "Рашид оглы"); extra spaces ignored.

    The parts of :func:`read_full_name`, for callers that need no warning.
    """
    return read_full_name(full).parts


#: Languages whose names are written family name first, as the documented order: "Kovács János",
#: "Tanaka Taro", "Kim Minjun", "Wang Wei".
_FAMILY_NAME_FIRST: Final = frozenset({"hu", "ja", "ko", "zh"})
#: Languages in which «Фамилия Имя» is how names are written: the documented order needs no check.
_NATIVE_ORDER: Final = _FAMILY_NAME_FIRST | {"ru"}
#: Languages whose contacts a CRM keeps in the documented «Фамилия Имя Отчество» order, so that order
#: is how a cell is read unless its words say otherwise: Russian and the languages of the countries
#: whose CRMs and documents follow it, and Serbian and Estonian, whose first names
#: :mod:`greeter.given_names` lists. In any other language (English, German, French…) a name is
#: written first name first, and the documented order read "John Smith" as «Smith John».
_DOCUMENTED_ORDER: Final = _NATIVE_ORDER | {
    "uk", "be", "kk", "ky", "uz", "tg", "tk", "tt", "ba", "cv", "az", "hy", "ka", "mn", "sr", "et",
}  # fmt: skip


#: Documented-order languages written in Cyrillic only: a name of such a contact written in Latin
#: letters ("John Smith") is a foreign name, written as its own language writes it, first name first.
_CYRILLIC_LANGUAGES: Final = frozenset({"ru", "uk", "be", "kk", "ky", "tg", "tt", "ba", "cv", "mn"})
#: A letter that is not Latin (Basic Latin, Latin-1, Latin Extended-A/B, Latin Extended Additional).
_NOT_LATIN_LETTER: Final = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
#: How a Russian (or Kazakh) surname in Latin letters ends: "Ivanov Ivan" is surname first, as documented.
_LATIN_SURNAME_ENDINGS: Final = (
    "ov",
    "ova",
    "ev",
    "eva",
    "yov",
    "yova",
    "sky",
    "skiy",
    "skii",
    "skaya",
    "enko",
)
#: A Kazakh surname of the patronymic's form in Latin letters (Abishuly, Nurlanqyzy): a first word
#: so ending is a surname too; a last word so ending is no surname but the patronymic's place
#: ("Zhumabaev Serik Bolatuly"), so :func:`_latin_surname_first` reads the two apart.
_LATIN_TURKIC_SURNAME_ENDINGS: Final = ("uly", "qyzy", "kyzy")
#: How a surname ends in Russia, Azerbaijan, Georgia and Armenia, in their scripts and in Latin letters:
#: -ov/-ova and -ev/-eva (-yev, -yeva); Azerbaijani -li/-lı/-lu/-lü and -zadə (Cəfərli, Hüseynzadə);
#: Georgian -dze and -shvili (Beridze, ბერიძე; Gelashvili, გელაშვილი); Armenian -yan (Petrosyan,
#: Петросян, Պետրոսյան). A two-word cell whose first word so ends and whose second does not is
#: surname first, as documented («Nəsibova Şəbnəm»): no guess, so no warning (:attr:`FullName.unconfirmed`).
_SURNAME_ENDINGS: Final = (
    "ов", "ова", "ев", "ева", "ov", "ova", "ev", "eva",
    "li", "lı", "lu", "lü", "ли", "лы", "zadə", "zade", "заде",
    "dze", "shvili", "дзе", "швили", "ძე", "შვილი",
    "yan", "ян", "յան",
)  # fmt: skip
#: Letters at least before a surname's ending: «Cəfərli», not the first names «Vəli», «Qulu», «Лев».
_SURNAME_STEM: Final = 3


def locale_language(locale: str | None) -> str:
    """A contact's language as the name rules key it: ``sr_Latn_RS``/``az-AZ`` → ``sr``/``az``;
    None (no locale on the row) → ``ru``, the documented default. A plain split, not Babel's
    parse (:func:`greeter.i18n.language_of`, which reads a code Babel does not know as the
    default): a name rule keyed by a language must not fire for a locale that merely is not
    Babel's. Public: :mod:`greeter.name_case` keys its Turkic case rule by it too."""
    return (locale or "ru").replace("-", "_").partition("_")[0].lower()


def native_order(locale: str | None) -> bool:
    """Whether «Фамилия Имя» is how a contact of ``locale`` writes a name (None: Russian, the default).

    The documented order is a Russian CRM convention, and Hungarian names are
    written family name first too ("Kovács János"). Elsewhere a two-word
    cell is as likely «Имя Фамилия» ("Jaan Kask"), so a reading the words
    could not confirm is worth a warning.
    """
    return locale_language(locale) in _NATIVE_ORDER


def given_name_first(locale: str | None) -> bool:
    """Whether a full-name cell of a contact of ``locale`` is read «Имя Фамилия» by default (None: Russian).

    True for the languages outside :data:`_DOCUMENTED_ORDER`: "John Smith"
    written by an English client's manager is John, not Mr John. The words
    can still say otherwise: a known first name second ("Петров Иван"), or a
    patronymic ("Петров Иван Сергеевич"), is read in the documented order.
    """
    return locale_language(locale) not in _DOCUMENTED_ORDER


def latin_foreign_name(text: str, locale: str | None) -> bool:
    """Whether ``text`` is a name in Latin script of a contact whose language is written in Cyrillic.

    "John Smith" in a Russian CRM without a language column: such a name is
    written in the order of the language it comes from, first name first,
    not in the CRM's «Фамилия Имя» (which greeted «Smith, с наступающим!»).
    """
    return (
        locale_language(locale) in _CYRILLIC_LANGUAGES
        and LETTERS.search(text) is not None
        and _NOT_LATIN_LETTER.search(text) is None
        and NOT_NAME.search(text) is None  # "{% for x in range(3) %}" is data, read as ever
    )


def usual_order(locale: str | None, text: str = "") -> str:
    """The order a cell ``text`` of ``locale`` is read in by default, as a row's warning names it."""
    if latin_foreign_name(text, locale):
        return "the first name, last name order of names in Latin script"
    if given_name_first(locale):
        return f"the first name, last name order of {locale_language(locale)!r} names"
    return "Фамилия Имя Отчество order"


def read_full_name(full: str, locale: str | None = None) -> FullName:
    """A full-name cell's parts, read in the order its words show, and what was not as documented.

    The documented order is «Фамилия Имя Отчество»; two words are surname and
    first name, three or more surname, first name and the rest the patronymic
    ("Рашид оглы" stays together). Read purely by position, a cell typed the
    other way round greeted «Ивановна Кузнецова» or «Петрова», so the words
    themselves decide first, by the patronymic (:func:`~greeter.patronymics.patronymic_gender`,
    the rule the letter's wording uses):

    * a patronymic second ("Мария Ивановна Кузнецова", "Пётр Ильич
      Чайковский", "Гусейн Рашид оглы Алиев") is «Имя Отчество Фамилия»; with
      two words ("Ольга Викторовна") there is no surname;
    * two words without one are «Имя Фамилия» only when the first is a
      common first name and the second is not (:func:`is_first_name`):
      "Анна Петрова", "Јелена Николић", "Jaan Kask", but "Петрова Анна" and
      "Марина Галина" as documented; never for a ``locale`` whose names are
      written family name first ("Tanaka Taro" as documented);
      with neither word a known first name the reading is ``unconfirmed``;
    * a Hungarian contact's cell is read as Hungarian writes names, a prefix
      (dr., ifj.), one or two family names, one or two given names, and no
      patronymic (:func:`_hungarian`: "Kovácsné Szabó Éva", "Kiss Anna
      Mária"; "Martin Kovács" family name first);
    * for a ``locale`` whose names are written first name first
      (:func:`given_name_first`: English, German…) the default is the other
      way round: the first word is the first name and the rest the last name
      ("John Smith", "Ludwig van Beethoven", "José García López"), unless the
      second word is a known first name and the first is not ("Петров Иван";
      "Huber Thomas" of a German client, "Smith John" of an English one:
      :func:`_own_names_after_surname`), or the third a patronymic ("Петров
      Иван Сергеевич");
    * one word is a patronymic ("Ивановна"), a first name if it is a known
      one ("Анна"), else a surname ("Кузнецов", "Kask"): greeting «Здравствуйте,
      Кузнецов!» by position addressed a surname as a first name.

    Initials ("Иванов И.И.") are no name to address: the first name is left
    empty, so the letter opens impersonally. Text in brackets
    ("Иванов Иван (бухгалтер)") is a note, dropped.
    """
    from greeter.given_names import is_first_name

    rest, bracketed = without_brackets(full)
    words = rest.split()
    if not words:
        return FullName(NameParts("", "", ""), bracketed=bracketed)
    initials = initials_in(rest)
    latin = latin_foreign_name(rest, locale)
    given_first = latin or given_name_first(locale)
    if initials:
        names = [w for w in words if not _INITIALS.fullmatch(w)]
        if _INITIALS.fullmatch(words[0]):  # "И.И. Иванов": the surname comes last
            return FullName(NameParts(names[-1] if names else "", "", ""), "", initials, bracketed)
        if given_first and len(names) > 1 and not _surname_first(names):  # "John F. Kennedy"
            return FullName(NameParts(" ".join(names[1:]), names[0], ""), "", initials, bracketed)
        first = words[1] if len(words) > 1 and not _INITIALS.fullmatch(words[1]) else ""
        patronymic = " ".join(names[2:]) if first else ""
        return FullName(NameParts(words[0], first, patronymic), "", initials, bracketed)
    if locale_language(locale) == "hu" and len(words) > 1 and _NOT_LATIN_LETTER.search(rest) is None:
        return _hungarian(words, bracketed)
    if len(words) == 1:
        word = words[0]
        if _is_patronymic(word) and not joined_particle(word.lower()):  # "Жаксыбекулы": a surname
            return FullName(NameParts("", "", word), bracketed=bracketed, alone="patronymic")
        if is_first_name(word):
            return FullName(NameParts("", word, ""), bracketed=bracketed)
        return FullName(NameParts(word, "", ""), bracketed=bracketed, alone="last name")
    first_order = "first name, patronymic, last name" if len(words) > 2 else "first name, patronymic"
    if _is_patronymic(words[1]):
        return FullName(NameParts(" ".join(words[2:]), words[0], words[1]), first_order, "", bracketed)
    if len(words) > 2 and turkic_particle(words[2]):  # "Гусейн Рашид оглы [Алиев]", "Aysel Elçin qızı"
        patronymic = " ".join(words[1:3])
        return FullName(NameParts(" ".join(words[3:]), words[0], patronymic), first_order, "", bracketed)
    if given_first:
        if _surname_first(words) or (latin and _latin_surname_first(words)):  # "Петров Иван", "Ivanov Ivan"
            order = "last name, first name" + (", patronymic" if len(words) > 2 else "")
            return FullName(NameParts(words[0], words[1], " ".join(words[2:])), order, "", bracketed)
        if not latin and _own_names_after_surname(words, locale):  # "Huber Thomas" of a German client
            order = "last name, first name"
            return FullName(NameParts(words[0], " ".join(words[1:]), ""), order, "", bracketed)
        return FullName(NameParts(" ".join(words[1:]), words[0], ""), bracketed=bracketed)
    if len(words) == 2:
        first_known, second_known = is_first_name(words[0]), is_first_name(words[1])
        if first_known and not second_known and locale_language(locale) not in _FAMILY_NAME_FIRST:
            return FullName(NameParts(words[1], words[0], ""), "first name, last name", "", bracketed)
        by_ending = _surname_by_ending(words[0]) and not _surname_by_ending(words[1])  # "Nəsibova Şəbnəm"
        unconfirmed = not (first_known or second_known or by_ending)
        return FullName(NameParts(words[0], words[1], ""), bracketed=bracketed, unconfirmed=unconfirmed)
    return FullName(NameParts(words[0], words[1], " ".join(words[2:])), bracketed=bracketed)


#: What Hungarian writes before a name, as part of it: a doctorate or professorship («dr. Nagy Éva»,
#: «Dr. Horváth Ödön»), the younger or the elder of a father and son of one name («ifj. Kovács
#: János», «id. Kovács János») and a widow's «özv.» («özv. Nagy Péterné»). Kept with the family name,
#: before it, as every place the name is written whole writes it.
_HUNGARIAN_PREFIXES: Final = frozenset({"dr.", "prof.", "ifj.", "id.", "özv."})
#: The ending of a married woman's name formed from her husband's: «Kovácsné» (Mrs Kovács, before
#: her own «Szabó Éva»), «Nagy Péterné» (the wife of Nagy Péter: her whole name).
_MARRIED: Final = "né"
#: At most this many words are family names, and this many given names, in a Hungarian name.
_HUNGARIAN_MOST: Final = 2


def _hungarian(words: list[str], bracketed: str) -> FullName:
    """A Hungarian full-name cell, read as Hungarian writes names: prefix, family name(s), given name(s).

    «Kovács János»; «Dr. Horváth Ödön» (the title stays with the family name,
    :func:`greeter.contacts.ordered_name` writes it first); «Kiss Anna Mária»
    (two given names); «Fülöp Ürmös Gyöngyvér» (a double family name);
    «Kovácsné Szabó Éva» (Mrs Kovács, born Szabó Éva: the married form first
    is a family name, and so is the next word); «Nagy Péterné» (the wife of
    Nagy Péter: «Péterné» in the given name's place) and «Nagy Péterné Kiss
    Éva» (…born Kiss Éva). No word is ever a patronymic: read by the
    «Фамилия Имя Отчество» rule the third word of «Kovácsné Szabó Éva» was
    one, and the letter, whose salutation leaves a patronymic out, greeted
    «Tisztelt Kovácsné Szabó!». Every word is in the family or the given name,
    so the salutation and every place the name is written whole carry it all.

    Where the words do not say where the given names begin — three words,
    neither the second nor the third a known given name
    (:func:`greeter.given_names.is_hungarian_given_name`), or more words than
    two family and two given names — the given names are read from the second
    word (or the last two) and ``doubt`` says so, for the row's warning.
    """
    from greeter.given_names import is_hungarian_given_name

    at = 0
    while at < len(words) - 1 and words[at].lower() in _HUNGARIAN_PREFIXES:
        at += 1
    prefix, names = words[:at], words[at:]

    def read(given_from: int, doubt: str = "") -> FullName:
        last = " ".join(prefix + names[:given_from])
        return FullName(NameParts(last, " ".join(names[given_from:]), ""), bracketed=bracketed, doubt=doubt)

    if len(names) == 1:  # «Dr. Kovács»: a family name alone
        return FullName(NameParts(" ".join(words), "", ""), bracketed=bracketed, alone="last name")
    married = [i for i, w in enumerate(names) if _married(w)]
    if married and married[0] > 0:  # «Nagy Péterné», «Nagy Péterné Kiss Éva»: the last word is hers
        return read(len(names) - 1 if married[0] < len(names) - 1 else married[0])
    if married:  # «Kovácsné Szabó Éva»: Mrs Kovács, born Szabó
        return read(min(2, len(names) - 1))
    if len(names) == 2:
        return read(1)
    if len(names) == 3:
        if is_hungarian_given_name(names[1]):  # «Kiss Anna Mária»
            return read(1)
        if is_hungarian_given_name(names[2]):  # «Fülöp Ürmös Gyöngyvér»
            return read(2)
        return read(1, f"neither {names[1]!r} nor {names[2]!r} is a known given name")
    if len(names) == 2 * _HUNGARIAN_MOST:
        return read(2, "" if is_hungarian_given_name(names[2]) else f"{names[2]!r} is no known given name")
    return read(len(names) - _HUNGARIAN_MOST, f"{len(names)} words: more than two family and two given names")


def _married(word: str) -> bool:
    """Whether ``word`` is a married woman's name formed with -né: «Kovácsné», «Péterné», «Kovács-Szabóné»."""
    return len(word) > len(_MARRIED) + 2 and word.endswith(_MARRIED) and word[0].isupper()


#: The languages whose own first names say a cell is surname first (:func:`_own_names_after_surname`).
_OWN_NAMES_DECIDE = frozenset({"de"})


def _own_names_after_surname(words: list[str], locale: str | None) -> bool:
    """Whether a cell of a contact whose language writes first names first is a surname, then first names.

    Every word after the first is a common first name of the contact's own
    language ("Huber Thomas", "Müller Hans Peter" of a German client) and the
    first is a first name in no list: the documented promise that a known first
    name second is read surname first, kept for the names of the language itself
    (:func:`greeter.given_names.is_own_first_name`), not only for Russian ones.
    Read so, with the row's warning saying so.

    German only (:data:`_OWN_NAMES_DECIDE`): English surnames are first names as often
    as not (Thomas, James, John, Grace), and English first names are far more than any
    list holds, so "Brooke Thomas", "Elton John" and "Kelly Grace" were read as Mr Thomas,
    Mr John and Ms Grace — written first name first, as English CRMs write them.
    """
    from greeter.given_names import is_listed_first_name, is_own_first_name

    language = locale_language(locale)
    if language not in _OWN_NAMES_DECIDE:
        return False
    if not all(is_own_first_name(word, language) for word in words[1:]):
        return False
    return not is_listed_first_name(words[0])


def _latin_surname_first(words: list[str]) -> bool:
    """Whether a Latin name's first word ends as a transliterated Russian surname and its last does not.

    "Ivanov Ivan", "Smirnova Olga": a Russian client written in Latin letters,
    most likely in the CRM's «Фамилия Имя» order. Read so, with the row's
    warning: the one case where the order of a Latin name is a real question.
    """
    first = words[0].lower().endswith(_LATIN_SURNAME_ENDINGS + _LATIN_TURKIC_SURNAME_ENDINGS)
    return first and not words[-1].lower().endswith(_LATIN_SURNAME_ENDINGS)


def _surname_first(words: list[str]) -> bool:
    """Whether a cell's words say «Фамилия Имя [Отчество]» in a language that writes the first name first.

    The second word is a known first name and the first is not ("Петров
    Иван"), or the third is a patronymic ("Петров Иван Сергеевич", "Алиев
    Гусейн Рашид оглы"): a client from a Russian CRM written the CRM's way.
    """
    from greeter.given_names import is_first_name

    if len(words) > 2 and _is_patronymic(words[2]):
        return True
    if len(words) > 3 and turkic_particle(words[3]):  # "Cəfərli Aysel Elçin qızı"
        return True
    return is_first_name(words[1]) and not is_first_name(words[0])


def first_and_patronymic(cell: str) -> tuple[str, str] | None:
    """``"Иван Петрович"`` → ("Иван", "Петрович"): a first-name cell holding «Имя Отчество», else None.

    amoCRM and others keep «Иван Петрович» in their first-name field beside a
    surname field. The second word is a patronymic by its ending (or a Turkic
    one with its particle: "Гусейн Рашид оглы"), which a second first name
    ("Анна Мария") or a surname is not, so the split is unambiguous; a first
    word that is itself a patronymic ("Петрович Иван") is no such cell.
    """
    words = cell.split()
    if len(words) == 2 and _is_patronymic(words[1]) and not _is_patronymic(words[0]):
        return words[0], words[1]
    if len(words) == 3 and turkic_particle(words[2]) and not _is_patronymic(words[0]):
        return words[0], f"{words[1]} {words[2]}"
    return None


def without_brackets(text: str) -> tuple[str, str]:
    """``"Иван (бухгалтер)"`` → ("Иван ", "(бухгалтер)"): the text without its bracketed notes, and the notes.

    CRM users annotate names ("(бухгалтер)", "[VIP]"); an unclosed bracket
    runs to the end of the cell. The notes are no part of a name to address.
    A text that is not a plain name outside its brackets ("{% for x in
    range(3) %}") is data of another kind and stays exactly as typed.
    """
    if "(" not in text and "[" not in text:
        return text, ""
    rest = _BRACKETED.sub(" ", text)
    if NOT_NAME.search(rest):
        return text, ""
    return rest, " ".join(m.group().strip() for m in _BRACKETED.finditer(text))


def initials_in(text: str) -> str:
    """The initials among the words of ``text`` ("И.И.", "И. П."), or "": abbreviations, not names."""
    if "." not in text:
        return ""
    return " ".join(w for w in text.split() if _INITIALS.fullmatch(w))


def _is_patronymic(word: str) -> bool:
    """Whether one word is a patronymic (-вич, -ич, -вна, -чна, -шна, -ұлы, -қызы), not a lone particle."""
    return not turkic_particle(word) and patronymic_gender(word, latin=False) is not Gender.UNKNOWN


def _surname_by_ending(word: str) -> bool:
    """Whether ``word`` ends as a surname does (:data:`_SURNAME_ENDINGS`), after a stem of a few letters."""
    lower = word.lower()
    return any(len(lower) - len(end) >= _SURNAME_STEM and lower.endswith(end) for end in _SURNAME_ENDINGS)


def gender_of(contact: Contact) -> Gender:
    """The gender to word a letter by: the explicit column, else the patronymic, else the first name.

    An explicit value (including an explicit ``UNKNOWN``) wins over the
    patronymic, so a manager can correct a wrong guess — a Turkic particle, a
    Latin spelling — and the loader warns about a row whose column contradicts
    the patronymic. But not over a plain Slavic -вич/-вна
    (:func:`~greeter.patronymics.plain_patronymic_gender`): «Иван Петрович» with «ж» in
    the column is a typo in one of the two cells, and
    «Уважаемая Иван Петрович!» is wrong whichever it is; such a contact is of
    unknown gender, its letter neutral («Здравствуйте, Иван Петрович!», «Добрий
    день, Сергію Івановичу!»). A men's or women's
    day does not follow the column there: :func:`audience_gender`. The patronymic is
    matched case-insensitively on its last word (-вич/-ич male; -вна, -чна,
    -шна female), or on a Turkic particle written as a separate word ("Рашид
    оглы", "Лутфияр кызы", also hyphenated "Рашид-оглы") or joined to the
    father's name ("Болатұлы", "Нұрланқызы"), in Cyrillic or in Latin letters
    (Petrovna, Ivanovitš, Rashid oglu, Bolatuly). A surname of that form
    ("Жаксыбекулы") says nothing: only the patronymic is read.

    With no patronymic at all, the first name of a contact whose language has
    none (Serbian, Estonian, Hungarian, German…) says it when
    :func:`greeter.given_names.given_name_gender` gives it one gender only
    ("Marko", "Јелена", "Snezana"; never "Saša"): a Serbian CRM has no
    patronymic, and without this every Serbian letter opened «Поштовани,»
    with no name. A Ukrainian contact's is too (:data:`_NAME_WORDED_LANGUAGES`):
    the letter says «Шановна пані Олено!», and the vocative of «Олег» needs
    the gender. A Russian contact's first name is not used (nor a
    Kazakh's… — :data:`_PATRONYMIC_LANGUAGES`): their letter
    without a patronymic is "Здравствуйте, Анна" whatever the gender, as
    Russian business etiquette has it, so the name would change no wording,
    only admit them to a men's or women's day (``audience.genders``) on a
    guess, which the product leaves to the gender column. A contact with no
    language (``None``, the default's) is read by a name that is no Russian
    one ("Марко", "Jaan": ``patronymic_names=False``). Unknown costs a
    neutral "Здравствуйте"; a wrong gender costs the client.
    """
    if contact.gender is not None:
        column = contact.gender
        if column is not Gender.UNKNOWN and plain_patronymic_gender(contact.patronymic) not in (
            Gender.UNKNOWN,
            column,
        ):
            return Gender.UNKNOWN  # «Иван Петрович», Пол «ж»: one is a typo; neither gender is sure
        return column
    derived = patronymic_gender(contact.patronymic)
    if derived is not Gender.UNKNOWN or contact.patronymic.strip():
        return derived
    return first_name_says(contact)


#: What :func:`gender_source` names as where a letter's gender came from.
GenderSource = Literal["column", "patronymic", "first_name", "contradicted", "none"]


def gender_source(contact: Contact) -> tuple[Gender, GenderSource]:
    """:func:`gender_of`'s gender and which cell said it, for ``preview``'s JSON and ``check``.

    A wrong «m» in the CRM reads as a right one in a letter's «Mr Miller»: the
    reviewer sees the salutation, not why. ``contradicted``: the column and a
    plain -вич/-вна disagree, and the letter takes no gender from either.
    """
    gender = gender_of(contact)
    if contact.gender is not None:
        return gender, "contradicted" if gender is not contact.gender else "column"
    if gender is Gender.UNKNOWN:
        return gender, "none"
    return gender, "first_name" if not contact.patronymic.strip() else "patronymic"


def first_name_says(contact: Contact) -> Gender:
    """The gender ``contact``'s first name alone says by the lists letters use, as :func:`gender_of`
    reads it with no column and no patronymic (``UNKNOWN`` where it would not read it)."""
    if not contact.first_name:
        return Gender.UNKNOWN
    return _first_name_gender(contact.first_name, contact.locale, contact.country, contact.default_locale)


#: Why :func:`audience_gender` found no gender for a men's or women's day (:class:`AudienceGender`).
#: Nothing says it: the gender column, the patronymic and the first name are empty, unread or of both genders.
UNSAID: Final = "unsaid"
#: The gender column and the patronymic say opposite genders («ПЕТРОВ Иван Сергеевич», Пол «Ж»).
CONTRADICTED: Final = "contradicted"
#: Only the first name says it, and :func:`gender_of` does not read it there: a Russian or Kazakh
#: name, or a contact of a language with patronymics, or one whose patronymic cell says nothing.
NAME_UNREAD: Final = "name_unread"


class AudienceGender(NamedTuple):
    """The gender a men's or women's day goes by, and, when it is unknown, why (:func:`audience_gender`).

    ``why`` is "" for a known gender, else :data:`UNSAID`, :data:`CONTRADICTED` or
    :data:`NAME_UNREAD`; ``column`` and ``patronymic`` are the genders the two
    sources said when they contradict each other (else ``UNKNOWN``).
    """

    gender: Gender
    why: str = ""
    column: Gender = Gender.UNKNOWN
    patronymic: Gender = Gender.UNKNOWN


def audience_gender(contact: Contact) -> AudienceGender:
    """The gender ``audience.genders`` goes by: :func:`gender_of`'s, unless the row contradicts itself.

    The letter's wording follows the gender column where it and a Turkic or Latin
    patronymic disagree (:func:`gender_of`: the column corrects a guess, and the row
    is warned about; against a plain -вич/-вна the letter is neutral). A men's or
    women's day must not follow the column anywhere: one of the two is a typo,
    most often the column's (the patronymic is grammar), and greeting a man
    «с 8 Марта» — or a woman «с 23 Февраля» — costs the client more than a
    missed letter. So such a contact's gender is unknown to the audience, as a
    contact's whose gender nothing says, and ``why`` tells the two apart for
    the skip's detail and for ``greeter check``.
    """
    column = contact.gender
    if column is not None and column is not Gender.UNKNOWN:
        said = patronymic_gender(contact.patronymic)
        if said is not Gender.UNKNOWN and said is not column:
            return AudienceGender(Gender.UNKNOWN, CONTRADICTED, column, said)
    gender = gender_of(contact)
    if gender is not Gender.UNKNOWN:
        return AudienceGender(gender)
    if (
        contact.gender is None
        and contact.first_name
        and _name_gender(contact.first_name, True) is not Gender.UNKNOWN
    ):
        return AudienceGender(Gender.UNKNOWN, NAME_UNREAD)
    return AudienceGender(Gender.UNKNOWN, UNSAID)


#: Languages whose people carry a patronymic, as their CRMs keep it: the patronymic, not the
#: first name, says their gender (:func:`gender_of`).
_PATRONYMIC_LANGUAGES: Final = _DOCUMENTED_ORDER - _FAMILY_NAME_FIRST - {"sr", "et"}


#: Languages of :data:`_PATRONYMIC_LANGUAGES` whose letter without a patronymic is still worded by
#: the gender, so :func:`gender_of` reads their first name: Ukrainian, «Шановний пане Олеже!» /
#: «Шановна пані Олено!» (:func:`greeter.letter_forms._uk`). Without it a Kyiv office's «Олег»
#: got «Добрий день!» with no name (his vocative, Олеже or Олего, needs the gender). Georgian,
#: «პატივცემულო ბატონო გიორგი» / «ქალბატონო ნინო»: its patronymic (შალვას ძე) is a document's,
#: a CRM rarely has it, and the title needs the gender.
_NAME_WORDED_LANGUAGES: Final = frozenset({"uk", "ka"})


#: Languages (and their countries) whose first names say the gender by their ending: Latvian
#: -s/-š (Jānis, Ģirts, Kārlis, Rūdolfs) and -a/-e (Līga, Ilze), Lithuanian -s (Jonas, Vytautas,
#: Jurgis) and -a/-ė (Ona, Eglė). A Riga office's «Ģirts Ķēniņš» got the neutral opening; its
#: ``_lv.j2`` words «Cienījamais Ģirt!» / «Cienījamā Līga!» by the gender.
_BALTIC: Final = {"lv": "LV", "lt": "LT"}
_BALTIC_MALE: Final = ("s", "š")
_BALTIC_FEMALE: Final = ("a", "e", "ė")


@lru_cache(maxsize=8192)
def _first_name_gender(
    first: str, locale: str | None, country: str | None = None, default: str | None = None
) -> Gender:
    """The gender :func:`gender_of` reads from a first name alone; cached, as names repeat.

    A contact of ``lv`` or ``lt`` — its own ``locale``, else the ``default`` its row falls
    back to (``defaults.locale``), or in Latvia or Lithuania (``country``) without a language
    of its own — is read by the first word's ending (:data:`_BALTIC`), a Latin one; another
    by the lists. A Portuguese or Spanish one likewise (``pt``, ``es``, or in Brazil, Portugal,
    Spain…): :func:`~greeter.iberian_names.iberian_name_gender`, whose silence falls to the lists.
    """
    language = locale_language(locale) if locale is not None else None
    if language in _PATRONYMIC_LANGUAGES and language not in _NAME_WORDED_LANGUAGES:
        return Gender.UNKNOWN
    spoken = language or (default and locale_language(default))  # its own language, else the default's
    region = country.split("-")[0] if language is None and country is not None else None
    if spoken in _BALTIC or region in _BALTIC.values():
        words = first.split()
        word = words[0].casefold() if words else ""
        if word.isalpha() and _NOT_LATIN_LETTER.search(word) is None:
            if word.endswith(_BALTIC_MALE):
                return Gender.MALE
            if word.endswith(_BALTIC_FEMALE):
                return Gender.FEMALE
    if spoken in IBERIAN_LANGUAGES or region in IBERIAN_COUNTRIES:
        said = iberian_name_gender(academic_titles(first, "").first)
        if said is not None:
            return said
    return _name_gender(first, locale is not None)


@lru_cache(maxsize=8192)
def _name_gender(first: str, patronymic_names: bool) -> Gender:
    """The gender the first name says by :func:`~greeter.given_names.given_name_gender`'s lists.

    ``patronymic_names``: whether the Russian and Kazakh lists count. With them,
    whatever language the contact has, :func:`audience_gender` learns that a
    name :func:`gender_of` leaves unread («Анна» of a Russian client) says one.
    """
    from greeter.given_names import given_name_gender

    # «Prof. Dr. Klaus», «DI Franz»: the name after the titles a CRM typed before it.
    words = academic_titles(first, "").first.split()
    if not words:
        return Gender.UNKNOWN
    # "Ana Marija": the first word is the name addressed; both words must agree if both answer.
    said = [given_name_gender(w, patronymic_names=patronymic_names) for w in words]
    found = {gender for gender in said if gender is not None}
    if len(found) != 1 or said[0] is None:
        return Gender.UNKNOWN
    return Gender(found.pop())
