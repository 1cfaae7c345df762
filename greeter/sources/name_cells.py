"""What a contact row's name and gender cells say, and the warnings about how they were read.

Split from :mod:`greeter.sources.rows` (the row parser): reading a name
cell is the parser's largest share of wording — initials, bracketed notes,
a whole ФИО in the first-name column, an order the row's language makes
doubtful — and it depends on the cell's text alone. The parser caches each
distinct cell's reading (names repeat), so these run once per distinct name,
not per row; :data:`GENDERS` is also the config's word list for
``genders:``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from greeter.contacts import Gender, title_words
from greeter.names import FullName, first_and_patronymic, initials_in, usual_order, without_brackets
from greeter.patronymics import patronymic_gender
from greeter.sources.quote import quoted

__all__ = [
    "GENDERS",
    "NO_NAME",
    "PERSON_NAME_FIELDS",
    "address_form",
    "first_name_cell",
    "full_name_note",
    "gender_key",
    "gender_titles",
    "gender_word",
    "lookalike_note",
    "mixed_scripts_note",
    "order_to_check",
    "other_script_note",
    "pictograph_note",
    "unknown_gender_warning",
    "whole_name",
    "whole_names_warning",
    "without_pictographs",
]

#: The blocks of emoji and pictographs (Unicode's So symbols a name is decorated with): ‼ ⁉ ℹ,
#: arrows, technical symbols, enclosed alphanumerics, box drawing, shapes, miscellaneous symbols,
#: dingbats (U+2190–U+27BF), symbols and arrows (U+2B00–U+2BFF), 〰 〽 ㊗ ㊙, and U+1F000–U+1FBFF
#: (emoticons, pictographs, flags' regional indicators, skin tones — Sk). Not every So: © ® ™ are
#: trade marks, part of the brand names they stand in («Weiß™ GmbH»), not a decoration; Tibetan,
#: CJK-radical and other script-specific signs are not decoration either; and the ASCII and Latin-1
#: Sk (` ´ ^) stand in for apostrophes in names (D`Artagnan).
_PICTOGRAPHS = (
    "\u203c\u2049\u2139\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001fbff"
)
#: What turns characters into an emoji's presentation, never a letter's: variation selectors 15/16,
#: the keycap and the tag characters of subdivision flags.
_EMOJI_MODIFIERS = "\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f"
#: One emoji sequence: pictographs and modifiers with the zero-width joiners between them
#: (👩‍💻, 👍🏽, 🏳️‍🌈, 1️⃣). A joiner elsewhere stays: Persian and Indic names need it.
_EMOJI_RUN = re.compile(
    f"(?:[0-9#*]\ufe0f?\u20e3|[{_PICTOGRAPHS}{_EMOJI_MODIFIERS}])"  # a keycap (1️⃣) takes its digit along
    f"(?:[{_PICTOGRAPHS}{_EMOJI_MODIFIERS}]|\u200d(?=[{_PICTOGRAPHS}]))*"
)
#: How a name cell of nothing but pictographs is said (:func:`pictograph_note`).
NO_NAME = "is only emoji or pictographs, no name"
#: The fields that name the person: a pictograph is dropped from them. A company's ™ or ® is part
#: of its name, and its cell is left as the CRM has it.
PERSON_NAME_FIELDS = ("first_name", "patronymic", "last_name", "full_name")

#: A gender cell as CRMs write it, case-folded and without a final dot: Russian, English (``w``:
#: German), Serbian Cyrillic (мушки/женски, whose м/ж are the Russian letters) and Serbian Latin or
#: Croatian (m/ž, muški/ženski; ``z`` where an export lost the háček). Also the forms of address a
#: CRM keeps in a salutation column that exports are mapped to ``gender`` from — Bitrix24's
#: «Обращение» (г-н, г-жа), English (Mr, Mrs, Ms, Miss), German (Herr, Frau), Serbian (gospodin,
#: gospođa, gospođica and their abbreviations, in both scripts; ``dj`` for a lost ``đ``), German
#: CRMs' «Anrede» as letters head it (Herrn, Hr., Fr.), French (M., Mme, Mlle) and Spanish (Sr.,
#: Sra.): they say the gender as plainly as м/ж, and reading them as unknown left it to a guess
#: from the name. A title after the form of address («Frau Dr.», «Herr Mag.») does not hide it, and
#: is the contact's title too (:func:`gender_word`, :func:`gender_titles`).
#: And the whole words of the languages greeter writes letters in, which say one gender in any
#: language: Estonian mees/naine, Latvian vīrietis/sieviete (vīr./siev.), Lithuanian vyras/moteris
#: (vyr./mot.), Hungarian férfi/nő, German männlich/weiblich, Polish
#: mężczyzna/kobieta and Czech muž/žena; and Polish and Czech forms of address, pan/pani (paní).
#: Polish K (kobieta) too: no language's K is a man, and its M is everyone's. Not their letters:
#: Estonian's M/N and Hungarian's F/N (F is férfi, *male*) contradict English's F and each other, so a
#: CRM that writes them says what they mean in ``contacts.gender_values`` (:func:`gender_word`).
#: Nor Latvian's and Lithuanian's V (vīrietis, vyras: male), which is Dutch's female (vrouw, M/V),
#: and Lithuanian's M (moteris), female; Latvian S (sieviete) is left with its V.
GENDERS = {
    **dict.fromkeys(
        ("м", "муж", "мужской", "мужчина", "мушки", "мушко",
         "m", "male", "man", "muški", "muško", "muski", "musko",
         "mees", "férfi", "ferfi", "männlich", "maennlich", "mannlich", "männl",
         "vīrietis", "virietis", "vīr", "vyras", "vyr",
         "mężczyzna", "mezczyzna", "pan", "muž", "muz",
         "г-н", "г", "господин", "mr", "herr", "herrn", "hr", "monsieur", "m", "sr", "señor", "senhor",
         "gospodin", "g-din", "gdin", "г-дин", "гдин"),
        Gender.MALE,
    ),
    **dict.fromkeys(
        ("ж", "жен", "женский", "женщина", "женски", "женско", "f", "female", "woman", "w",
         "ž", "žen", "ženski", "žensko", "z", "zen", "zenski", "zensko",
         "naine", "nő", "weiblich", "weibl",
         "sieviete", "siev", "moteris", "mot",
         "kobieta", "k", "pani", "paní", "žena", "zena",
         "г-жа", "госпожа", "mrs", "ms", "miss", "frau", "fr", "madame", "mme", "mademoiselle", "mlle",
         "sra", "señora", "srta", "señorita", "senhora", "senhorita", "doña", "dña", "dona",
         "gospođa", "gospodja", "gđa", "g-đa", "gospođica", "gospodjica", "gđica",
         "госпођа", "гђа", "г-ђа", "госпођица", "гђица"),
        Gender.FEMALE,
    ),
    # The words of the Turkic languages of Central Asia and the Caucasus, as a Kazakh, Uzbek, Kyrgyz
    # or Azerbaijani CRM writes them: Kazakh ер/әйел (ер адам, әйел адам), Uzbek эркак/аёл (erkak/ayol),
    # Kyrgyz эркек/аял, Azerbaijani kişi/qadın (киши/гадын).
    **dict.fromkeys(
        ("ер", "ер адам", "эркак", "erkak", "эркек", "kişi", "kisi", "киши"), Gender.MALE
    ),
    **dict.fromkeys(
        ("әйел", "әйел адам", "аёл", "ayol", "аял", "qadın", "qadin", "гадын"), Gender.FEMALE
    ),
    # Ukrainian, as a Kyiv CRM writes the column «Стать»: ч/ж, чол./жін., чоловіча/жіноча (стать is
    # feminine), чоловік/жінка, and the forms of address пан/пані; its ж is Russian's.
    **dict.fromkeys(
        ("ч", "чол", "чоловік", "чоловіча", "чоловічий", "чоловіча стать", "пан"), Gender.MALE
    ),
    **dict.fromkeys(("жін", "жінка", "жіноча", "жіночий", "жіноча стать", "пані"), Gender.FEMALE),
    # Belarusian, as a Minsk CRM writes the column «Пол»: муж/жан, мужчынскі/жаночы (пол is masculine),
    # мужчына/жанчына, and the forms of address спадар/спадарыня; its м/ж/муж are Russian's.
    **dict.fromkeys(
        ("мужчынскі", "мужчынская", "мужчына", "спадар"), Gender.MALE
    ),
    **dict.fromkeys(
        ("жан", "жаночы", "жаночая", "жанчына", "спадарыня"), Gender.FEMALE
    ),
    # Georgian, as a Tbilisi CRM writes it: კაცი/ქალი (man/woman) and their first letters კ/ქ (no
    # other language's: the script is Georgian's alone), მამაკაცი, მამრობითი/მდედრობითი (male/
    # female), and the forms of address ბატონი/ქალბატონი (Mr/Mrs).
    **dict.fromkeys(("კაცი", "კ", "მამაკაცი", "მამრობითი", "ბატონი"), Gender.MALE),
    **dict.fromkeys(("ქალი", "ქ", "მდედრობითი", "ქალბატონი"), Gender.FEMALE),
}  # fmt: skip


def gender_key(text: str) -> str:
    """A gender cell (or a ``contacts.gender_values`` key) as it is looked up: NFC, case-folded,
    without the spaces around it and a final dot. NFC: a Mac's "z" + combining caron is "ž"."""
    return unicodedata.normalize("NFC", text).casefold().strip().rstrip(".")


def gender_word(text: str, values: Mapping[str, Gender] | None = None) -> Gender | None:
    """The gender a gender cell says: the config's ``values`` (``contacts.gender_values``, keyed by
    :func:`gender_key`) first, then :data:`GENDERS` — the whole cell, else its first word when the
    rest is academic titles (German «Anrede» columns hold «Frau Dr.», «Herr Prof. Dr.», Austrian
    ones «Herr Mag.», «Herr DI», «Frau Ing.»: :func:`gender_titles`). Pure.

    The config's values come first because a letter means what the CRM means by
    it: a Hungarian CRM's ``F`` is férfi, male, though English's is female.
    """
    key = gender_key(text)
    if values and (mapped := values.get(key)) is not None:
        return mapped
    cell = unicodedata.normalize("NFC", text).casefold()
    gender = GENDERS.get(key)
    if gender is not None:
        return gender
    first, _, rest = cell.strip().partition(" ")
    if rest and (all(word.rstrip(".") in _TITLE_WORDS for word in rest.split()) or gender_titles(text)):
        return GENDERS.get(first.rstrip("."))
    return None


@lru_cache(maxsize=256)
def gender_titles(text: str) -> str:
    """The academic titles a gender cell names after its form of address: «Herr Mag.» → "Mag.",
    «Frau Prof. Dr.» → "Prof. Dr.", «Herr DI» → "DI", «Herr Dr» → "Dr."; «Dr», «Prof.», «Professor»
    alone → "Dr.", "Prof.", "Prof.": a title and no gender; "" for none. Pure.

    A German or Austrian CRM's «Anrede» column holds the title with Herr/Frau,
    and the letter needs both: the gender, and the title its salutation and
    address name (:func:`greeter.contacts.with_titles` puts it before the
    surname, where the name columns' titles are read from). Recognised as the
    name columns' titles are (:func:`greeter.contacts.title_words`), the
    dotless forms of :data:`_TITLE_WORDS` with their dot («Professor» as «Prof.»:
    the title then reads as one wherever it goes, even before no surname).

    An English CRM's salutation column («Title»: Mr, Ms, Dr) may hold the
    title alone: the cell then carries the title and says no gender, as
    «Dr» presumes none — the formal English letter says «Dear Dr Carter».
    """
    form, _, rest = text.strip().partition(" ")
    if rest and GENDERS.get(gender_key(form)) is None:
        form, rest = "", text  # «Prof. Dr.»: titles alone, or no gender cell greeter reads
    if not rest:
        form, rest = "", form  # «Dr»: one word, a title or nothing
    words = [_dotted(w) for w in rest.split()]
    return title_words(" ".join(words))


#: The forms of address a first-name cell may start with: «Herr DI Franz», «Mrs Emma»; Portuguese and
#: Spanish «Sr. João», «Sra. Ana», «Srta.», «Dona Maria», «Dña. Carmen» (a São Paulo CRM's «Sr. João»
#: kept it in the name, of unknown gender); Georgian «ბატონი», «ქალბატონი». Not «D.» (Dom or Dona
#: in Portuguese) nor «Dr.»/«Dra.», titles :func:`greeter.contacts.academic_titles` reads or leaves.
_FIRST_NAME_FORMS = frozenset(
    {"herr", "frau", "mr", "mrs", "ms", "miss"}
    | {"sr", "sra", "srta", "senhor", "senhora", "senhorita", "dona"}
    | {"señor", "señora", "señorita", "doña", "dña"}
    | {"ბატონი", "ქალბატონი"}
)


def address_form(cell: str) -> tuple[Gender, str] | None:
    """«Herr DI Franz» → (male, "DI Franz"): a first-name cell that starts with Herr, Frau, Mr, Mrs,
    Ms or Miss, Sr., Sra. or Srta., Georgian's ბატონი, ქალბატონი («ქალბატონი ნინო»)
    (:data:`_FIRST_NAME_FORMS`; with or without the dot), read as a gender cell would be, and the
    name after it; else None. Pure.

    A CRM whose form has no «Anrede» field gets it typed before the first
    name, and the letter then said «Guten Tag Herr DI Franz Gruber». Only
    these words, and only before another word: a first name is never one
    (an «M» or «F» may be an initial, «F. Scott»), and a cell «Frau» alone
    is left as typed.
    """
    form, _, rest = cell.strip().partition(" ")
    key = gender_key(form)
    rest = rest.strip()
    return (GENDERS[key], rest) if key in _FIRST_NAME_FORMS and rest else None


#: How the gender column's accepted values are named in its warning: a pair per language (Russian's
#: and Serbian's м/ж first), and the forms of address.
_ACCEPTED = (
    "м/ж, M/F, male/female, мужской/женский, ч/ж, чоловіча/жіноча, mees/naine, férfi/nő,"
    " männlich/weiblich, muški/ženski, Mr/Mrs, Herr/Frau…"
)
#: A gender cell short enough to be a CRM's code for a gender (N, W, 1): its warning's example maps it.
_PLAIN_KEY = re.compile(r"[^\W_]{1,3}")
#: Short cells that are titles, never a gender's code: no example maps them (Dr, Prof are read as titles).
_NO_GENDER_KEYS = frozenset({"dr", "di", "mag", "ing", "dkfm", "phd", "md"})


def unknown_gender_warning(text: str) -> str:
    """The row warning for a gender cell ``text`` neither :data:`GENDERS` nor the config reads.

    In English, as every row warning is, naming what is read and the setting
    that reads the rest: a CRM's own letters (Estonian N for naine) are not
    guessed from a table, since the same letter means the other gender in
    another language (Hungarian F is férfi), so the user says what they mean.
    The value comes first, quoted, and the kind after it stays the same
    whatever the value (``row_problems``' key in ``check --json``); a short
    value is the example's key, a long one is no gender to map, and nor is
    a title's abbreviation greeter does not read as one («Mag», «Ing»
    without their dot): a title says no gender. The example names no gender
    of its own: «{Pan: female}» was taken for advice.
    """
    cell = text.strip()
    plain = _PLAIN_KEY.fullmatch(cell) and gender_key(cell) not in _NO_GENDER_KEYS
    # Which gender the CRM's code is, only its user knows: an example naming one was copied as it
    # stood («Pan», Mr, mapped to female). "male or female" is refused at its line if copied.
    example = f", e.g. {{{cell}: male or female}}" if plain else ""
    return (
        f"{quoted(text)} is not a gender value ({_ACCEPTED}); guessed from the name:"
        f" map it with contacts.gender_values{example}"
    )


#: Academic titles that may follow a form of address in a gender cell, case-folded, without their dot.
_TITLE_WORDS = frozenset({"dr", "prof", "dr.-ing", "dipl.-ing", "med", "phil", "rer", "nat"})


def _dotted(word: str) -> str:
    """A gender cell's title word as :func:`gender_titles` passes it on: «Dr» → "Dr.", «Professor» →
    "Prof." (a name column's «Professor Tom» is read as the same title: greeter.contacts)."""
    if word.casefold() == "professor":
        return "Prof."
    return word if word.endswith(".") or word.casefold() not in _TITLE_WORDS else f"{word}."


def full_name_note(text: str, reading: FullName, locale: str | None) -> str:
    """The row warning for a full-name cell ``text`` read as ``reading``, or "".

    It says how a cell not in «Фамилия Имя Отчество» order was read, and
    what was dropped from it (initials, text in brackets), so that ``check``
    shows what the letter will say instead of ``OK``.
    """
    notes: list[str] = []
    if reading.order:
        last, first, patronymic = reading.parts
        parts = {"first name": first, "patronymic": patronymic, "last name": last}
        said = ", ".join(f"{what} {value!r}" for what, value in parts.items() if value)
        notes.append(f"{quoted(text)} read as {said} (not in {usual_order(locale, text)})")
    if reading.doubt:  # a Hungarian name whose words do not say where its given names begin
        last, first, _ = reading.parts
        notes.append(
            f"{quoted(text)} read as last name {last!r}, first name {first!r} (Hungarian order; "
            f"{reading.doubt}): the letters name the whole name, but where its first name is used"
            " alone (contact.first_name) it may be wrong: check which words are family names in the CRM"
        )
    if reading.bracketed:
        notes.append(f"{quoted(text)}: the text in brackets {reading.bracketed!r} is not part of the name")
    if reading.initials and reading.parts.first_name:
        notes.append(
            f"{quoted(text)} has initials ({reading.initials!r}), left out of the name: write the"
            " name in full in the CRM"
        )
    elif reading.initials:  # the row's one warning, with the impersonal opening (see RowParser.parse)
        notes.append(f"{quoted(text)} has initials ({reading.initials!r}) instead of a first name")
    elif reading.alone:  # likewise: "Кузнецов" greeted «Здравствуйте, Кузнецов!» by position
        word = reading.parts.last_name or reading.parts.patronymic
        notes.append(f"{quoted(text)} read as {reading.alone} {word!r}, no first name")
    return "; ".join(notes)


def order_to_check(reading: FullName, locale: str | None) -> str:
    """The warning for a two-word full name read as «Фамилия Имя» only because that is the documented order.

    Neither word is a known first name (:func:`greeter.given_names.is_first_name`)
    and the contact's language writes names first name first as often as not:
    "Tamm Kask" may well greet «Tere, Kask!» a Mr Tamm. Said once per row so
    that ``check`` shows how it was read; the fix is in the CRM.
    """
    last, first, _ = reading.parts
    return (
        f"{quoted(f'{last} {first}')} read as last name {last!r}, first name {first!r} (Фамилия Имя, the"
        f" order of Russian CRMs), but this contact's language is {locale}: check the order in the CRM"
    )


def first_name_cell(first: str) -> tuple[str, str]:
    """A first-name cell without bracketed notes, or "" for initials; and the row's warning, or "".

    As in a full-name cell (:func:`greeter.names.read_full_name`): «Здравствуйте,
    И.!» and «Уважаемый Иван (бухгалтер)!» are worse than an impersonal letter
    or the name alone.
    """
    rest, bracketed = without_brackets(first)
    initials = initials_in(rest)
    if initials:
        return "", f"{quoted(first)} has initials ({initials!r}) instead of a first name"
    if bracketed:
        return " ".join(
            rest.split()
        ), f"{quoted(first)}: the text in brackets {bracketed!r} is not part of the name"
    return first, ""


def without_pictographs(text: str) -> tuple[str, str]:
    """``text`` without its emoji and pictographs, spaces collapsed; and those removed, or "".

    «Анна 🌸» went into letters as «Уважаемая Анна 🌸 Сергеевна!», and «😀»
    as «Здравствуйте, 😀!»: a CRM's decoration, or a manager's note, is no
    part of the name a letter addresses someone by. What a marketer wants is
    the name without them (an impersonal letter when nothing is left), and a
    warning, so that the CRM can be cleaned.
    """
    removed = _EMOJI_RUN.findall(text)
    if not removed:
        return text, ""
    return " ".join(_EMOJI_RUN.sub("", text).split()), "".join(removed)


def pictograph_note(text: str, name: str, removed: str) -> str:
    """The warning for a name cell ``text`` whose pictographs ``removed`` were dropped, leaving ``name``.

    It quotes what the letters will say, as the other name warnings do, so
    that ``check`` shows it instead of ``OK``.
    """
    if name:
        left_out = f"holds emoji or pictographs ({removed!r}), left out of the name"
        return f"{quoted(text)} {left_out}: read as {quoted(name)}"
    return f"{quoted(text)} {NO_NAME}"


def lookalike_note(text: str) -> str:
    """The warning for a name cell whose Cyrillic words hold Latin look-alike letters, or "".

    «Мiхайлавiч» (a Russian keyboard's Latin «i» for Belarusian «і»), «Aлександр» (a Latin «A»):
    the letter prints the name as typed, a search for it in the CRM misses it, and before greeter
    read such a patronymic as no gender. Each word named with its Latin letters
    (:func:`greeter.patronymics.lookalike_latin`); gender and addressing read them as the Cyrillic
    ones they show (:func:`greeter.patronymics.cyrillic_word`).
    """
    from greeter.patronymics import lookalike_latin

    found = [(word, latin) for word in text.split() if (latin := lookalike_latin(word))]
    if not found:
        return ""
    words = ", ".join(f"{quoted(word)} ({', '.join(latin)})" for word, latin in found)
    return (
        f"has Latin look-alike letters among Cyrillic ones: {words}; read as the Cyrillic letters they show,"
        " printed as typed: retype them in Cyrillic in the CRM"
    )


#: The scripts names are written in whose mixing in one cell is told (:func:`mixed_scripts_note`),
#: by code point range: (first, last, script). Letters of other scripts, and modifier letters
#: (Uzbek «Oʻtkir»'s ʻ), belong to none and are not counted.
_NAME_SCRIPT_RANGES: Final = (
    (0x0041, 0x005A, "Latin"),
    (0x0061, 0x007A, "Latin"),
    (0x00C0, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1C90, 0x1CBF, "Georgian"),
)
_SCRIPT_OF: Final[Mapping[str, str]] = {
    chr(point): script
    for lo, hi, script in _NAME_SCRIPT_RANGES
    for point in range(lo, hi + 1)
    if chr(point).isalpha()
}


_WORD_MARKS: Final = str.maketrans("", "", "-'’ʼ.")


def _word_script(word: str) -> str:
    """The script most of ``word``'s letters are in among :data:`_NAME_SCRIPT_RANGES`'s; "" if none,
    or if the word is not one of letters (``%}Ы{%``: data, not a name's word)."""
    if not word.strip(',()«»"').translate(_WORD_MARKS).isalpha():
        return ""
    counts: dict[str, int] = {}
    for ch in word:
        if script := _SCRIPT_OF.get(ch):
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""


def mixed_scripts_note(text: str) -> str:
    """The warning for a name cell whose words are in two scripts or more («אבי Маркович»), or "".

    Hebrew, Arabic, Greek, Georgian and Armenian as well as Cyrillic and Latin: a word
    is in the script most of its letters are (a Cyrillic word with a Latin look-alike,
    «Aлександр», is Cyrillic: :func:`lookalike_note` says that one), and the letter prints
    the name as typed, half in a script its reader may not read. Each word named with its
    script; a cell in one script (Latin-script Azerbaijani and Uzbek names, Georgian) is
    never told. Pure; an ASCII cell costs one test.
    """
    if text.isascii():
        return ""
    found = [(word, script) for word in text.split() if (script := _word_script(word))]
    if len({script for _, script in found}) < 2:
        return ""
    words = ", ".join(f"{quoted(word)} ({script})" for word, script in found)
    return (
        f"is written in two scripts or more: {words};"
        " printed as typed: write the name in one script in the CRM"
    )


#: The ISO 15924 code of each script :data:`_NAME_SCRIPT_RANGES` names (CLDR names a language's scripts so).
_SCRIPT_CODES: Final[Mapping[str, str]] = {
    "Latin": "Latn",
    "Greek": "Grek",
    "Cyrillic": "Cyrl",
    "Armenian": "Armn",
    "Hebrew": "Hebr",
    "Arabic": "Arab",
    "Georgian": "Geor",
}

#: The language a name in a script of one language is most likely in: the letters to offer such a client.
_SCRIPT_LANGUAGE: Final[Mapping[str, str]] = {
    "Latin": "en",
    "Greek": "el",
    "Armenian": "hy",
    "Hebrew": "he",
    "Georgian": "ka",
}


def other_script_note(first: str, locale: str, patronymic: bool = False) -> str:
    """The warning for a first name in a script its contact's own language is not written in, or "".

    A Riga office's «Ivans Petrovs» (a Russian-speaking Latvian, in Latvian transliteration)
    with the locale ``ru`` got «Здравствуйте, Ivans!», a Tbilisi office's «გიორგი» «Здравствуйте,
    გიორგი!» and its «Георгий» with the locale ``ka`` «ბატონო Георгий»: the letter prints the name
    as typed. Which scripts a language is written in is CLDR's
    (:func:`greeter.check_name_script.language_scripts`): a language written in Latin too
    (``sr``, ``uz``, ``az``: «Leyla») is not told of a Latin name. A Latin transliteration in a
    Georgian letter («ბატონო Giorgi») is told as «Ivans» in a Russian one is: the same slip,
    one script inside another; a client who reads Latin better is given ``en``. Not told: a
    language written in Latin (an English letter to «Иван»: a client abroad given English for
    want of their own language, :meth:`greeter.check_reach.Reach._check_script` speaks of those),
    a name in two scripts (:func:`mixed_scripts_note`'s), and a Latin name of a row with a
    ``patronymic`` (its Latin ФИО is read as the Russian one: «Уважаемая Anna Petrovna»). Pure;
    cached by the caller.
    """
    words = {script for word in first.split() if (script := _word_script(word))}
    if len(words) != 1:
        return ""
    (written,) = words
    if patronymic and written == "Latin":
        return ""
    from greeter.check_name_script import language_scripts  # Babel: a name of another script only

    language = locale.replace("-", "_").split("_")[0]
    scripts = language_scripts(language)
    if not scripts or _SCRIPT_CODES[written] in scripts or "Latn" in scripts:
        return ""
    from babel import Locale

    english = Locale("en")
    named = english.languages.get(language, language)
    shown = " or ".join(sorted(english.scripts.get(code, code) for code in scripts))
    other = _SCRIPT_LANGUAGE.get(written)
    offer = (
        f", or give the contact a language written in {written} script ({other})"
        f" for {_a_or_an(english.languages.get(other, other))} letter"
        if other is not None
        else ""
    )
    return (
        f"{quoted(first)} is in {written} script, but the contact's language {language!r} is written in"
        f" {shown}: its letters print the name as typed («{first}» in {_a_or_an(named)} letter);"
        f" write it in {shown} in the CRM{offer}"
    )


def _a_or_an(word: str) -> str:
    """``word`` after its English article: "an Armenian", "an English", "a Georgian"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def whole_name(first: str) -> bool:
    """Whether a first-name cell holds a whole name: three words or more (:data:`_GIVEN_NAME_PARTICLES`
    aside), or a patronymic after the first.

    A double first name ("Анна Мария") is two words without a patronymic, and
    stays a first name, as does a Latin second word ending as a patronymic does in
    Latin letters ("Ivan Abramovich": as often a surname,
    :func:`~greeter.patronymics.patronymic_gender`); words that are not all letters are
    data of another kind.
    """
    words = first.split()
    if not all(w.replace("-", "").isalpha() for w in words):  # "{{ 7*7 }}" is data, not a name
        return False
    named = [w for w in words if w not in _GIVEN_NAME_PARTICLES]  # «Maria da Conceição»: two names
    return len(named) > 2 or any(patronymic_gender(w, latin=False) is not Gender.UNKNOWN for w in words[1:])


#: The small words inside a Portuguese or Spanish compound given name — «Maria da Conceição», «Maria
#: das Graças», «María de la Luz», «José e Silva» — lower-case as typed: no sign of a whole ФИО (a São
#: Paulo export's «Maria da Conceição» was warned of as «Фамилия Имя Отчество»). Not counted as words.
_GIVEN_NAME_PARTICLES: Final = frozenset(
    {"da", "das", "de", "do", "dos", "e", "del", "la", "las", "los", "y"}
)


def whole_names_warning(
    whole: int, filled: int, row: int, sample: str, column: str, patronymic: str | None = None
) -> str:
    """The file's one warning for a first-name ``column`` ``whole`` of whose ``filled`` cells are whole names.

    Mapping ``first_name`` to a ФИО column (as a newcomer copying the
    example does) greets every contact «Петрова Анна Сергеевна, с днём
    рождения!» without a word: once per file, not per row, it names a
    sample (the first, on ``row``) and the setting meant. A sample that is
    «Имя Отчество» ("Иван Петрович", amoCRM's «Имя» beside its «Фамилия») is
    split when no ``patronymic`` column is mapped; with one mapped it is not,
    and mapping the column as ``full_name`` would drop the surname column:
    the advice is the patronymic column instead.
    """
    if patronymic is not None and first_and_patronymic(sample) is not None:
        return (
            f"{whole} of {filled} first names hold a first name and a patronymic (e.g. row {row}:"
            f" {quoted(sample)}), and letters would address people by both as the first name;"
            f" contacts.columns.patronymic ({patronymic}) is mapped, so they are not split: move the"
            f" patronymic to {patronymic!r} in the CRM, or set contacts.columns.patronymic: null and"
            f" greeter reads it from {column!r}"
        )
    return (
        f"{whole} of {filled} first names look like a whole name (e.g. row"
        f" {row}: {quoted(sample)}), and letters would address people by all of it; if the column"
        f" holds «Фамилия Имя Отчество», set contacts.columns.full_name: {column} and first_name: null"
    )
