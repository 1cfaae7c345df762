"""What a letter says around its message, per language: salutation, its punctuation, closing.

One table, :data:`FORMS`, holds every language's rules; a letter's locale picks
its row (:func:`forms_for`), and a language without a row is written in
English, as before — unless its helper file (``_pl.j2``) words the salutation
and closing itself (:mod:`greeter.template_hooks`), which a marketer can
write without Python. Each row gives:

* ``address`` — the salutation from the contact's name parts and gender,
  without punctuation, in the formal business register of the language;
* ``end`` — the mark after it ("!" or ","), which the layout prints;
* ``closing`` — the complimentary close above the sender's name.

The rule everywhere is the one :mod:`greeter.addressing` follows for Russian:
**a neutral form beats a wrong one.** Where the language needs a gender the
data does not give, or a grammatical form no library here produces reliably,
the salutation drops the name rather than print it in the wrong form. Gender is
:func:`greeter.names.gender_of` (the explicit column, else the patronymic, else,
in a language without patronymics, a first name of one gender only: Marko,
Јелена — never Saša).

The forms chosen, and why (the sources are the languages' own style guides):

``ru``
    "Уважаемый Иван Петрович" / "Уважаемая Анна Ильинична"; with the gender
    unknown "Здравствуйте, Иван Петрович"; without a patronymic
    "Здравствуйте, Иван"; without a first name "Здравствуйте". Mark "!",
    closing "С уважением,".
``uk``
    Ukrainian addresses in the vocative case, and the nominative ("Шановний
    Іван Петрович") is the classic error of Russian-speakers, so names are
    declined by `shevchenko-py` (a port of shevchenko-js): "Шановний Іване
    Петровичу" / "Шановна Олено Іванівно"; without a patronymic "Шановний
    пане Іване" / "Шановна пані Олено" (пан/пані go with a first name, never
    with name + patronymic); gender unknown "Добрий день, Іване Петровичу";
    a name the library cannot decline for certain (no gender and no
    patronymic: Валя is Вале or Валю), or no first name: "Добрий день".
    Mark "!", closing "З повагою,".
``sr`` (Cyrillic) and ``sr_Latn`` (``sr-Latn``, and ``sr_ME`` which Babel writes in Latin)
    Serbian business letters address a man as "Поштовани господине
    Петровићу" — title and *surname in the vocative* — and a woman as
    "Поштована госпођо Петровић": Serbian women's surnames ending in a
    consonant or in -е, -и, -о do not decline (Odbor za standardizaciju
    srpskog jezika, Odluka 30; pismenica.rs "Ženska prezimena"). A first name
    is not used: its vocative depends on the accent (Милане, but Јелена stays),
    which no rule can read from spelling. The male vocative is built for
    surnames in -ић/-ić (-ићу/-iću), the regular and by far the most common
    type; any other man's surname stays in the nominative, which usage accepts
    ("Поштовани господине Јованов", "господине Бугарски", "gospodine Tesla":
    :func:`_sr_male_vocative`); a woman's surname in -а gives "Поштована
    госпођо". Gender unknown: "Поштовани", the form
    Serbian business mail uses for an addressee it cannot name
    (startuj.infostud.com, "Poslovna komunikacija: kako se piše imejl").
    Mark "," (the next line starts with a capital, as after the Russian "!"),
    closing "С поштовањем," / "S poštovanjem,". The surname is written in the
    letter's script: a Petrović typed in Latin is "господине Петровићу" in a
    Cyrillic letter (:mod:`greeter.i18n_script` says which Latin names are Serbian).
``hu``
    "Tisztelt Nagy Éva" — family name first, as Hungarian writes names; the
    full name suits either gender and is the Hungarian spelling rules' own
    example (AkH. 254: "Tisztelt Kovács Béla!"). Surname only: "Tisztelt Nagy
    Úr" for a man (AkH. 147), else "Tisztelt Hölgyem" / "Tisztelt Uram" /
    "Tisztelt Hölgyem/Uram" (the formula for an unknown addressee). First
    name only: "Kedves Éva" (the less formal form, as the Russian
    "Здравствуйте, Иван" without a patronymic). Mark "!" (AkH. 254), closing
    "Tisztelettel:" — the close that answers "Tisztelt …!" in a formal
    (magázó) letter, with the colon Hungarian puts after a closing formula,
    since the signature below completes it ("Tisztelettel: Kovács Béla");
    "Üdvözlettel," was a less formal close with the English comma.
``et``
    "Lugupeetud Mari Tamm" (no gender; EKI keeleabi, "Kuidas vormistada
    ametikirja"); surname only with a known gender "Lugupeetud härra Tamm" /
    "Lugupeetud proua Tamm"; first name only "Tere, Mari"; nothing: "Tere".
    Mark "!" — Estonian puts "!" or nothing after the salutation, never the
    English comma (Eesti keele käsiraamat, "Hüüumärk"); closing
    "Lugupidamisega" without a comma (EKI keelenõuanne "Vahemärgid kirja
    alguses ja lõpus").
``de``
    "Sehr geehrter Herr Schulz" / "Sehr geehrte Frau Schulz"; gender unknown
    "Guten Tag Karin Schulz" (the gender-neutral form DIN 5008 suggests); no
    first name and no gender: "Sehr geehrte Damen und Herren", as English has
    "Dear Sir or Madam". Mark "," — note that German then
    continues in lower case ("Sehr geehrte Frau Schulz, / zu Ihrem …"), which
    is the template's text; closing "Mit freundlichen Grüßen" without a comma
    (DIN 5008; Duden, "Richtiges und gutes Deutsch"). Academic titles typed in
    either name column (or after Herr/Frau in the gender column: "Frau Prof.")
    stand before the surname, Prof. and Dr. only, Dr. once and without its
    faculty: "Sehr geehrter Herr Prof. Dr. Schäfer", "Frau Dr. Doe" for a Dr.
    med. ``de_AT`` (its own row): Austria names its degrees too, the highest
    one — "Sehr geehrter Herr DI Gruber", "Herr Mag. Huber", "Herr Ing. Wolf"
    (:func:`greeter.contacts.salutation_titles` cites the rules of both).
``en``
    Two registers, chosen by ``sender.by_locale``'s ``addressing``. By the
    first name (the default): "Dear John" / "Dear Sir or Madam" (a title typed
    before the first name is left out: "Dear Anna" for «Dr. Anna»). Formal:
    "Dear Ms Smith" / "Dear Mr. Doe" (the full stop in American and Canadian
    letters), "Dear Dr Carter", "Dear Professor Smith", "Dear Jane Smith"
    without a gender, "Dear Sir or Madam" without a name; the shipped
    subjects name the client the same way (:func:`english_name` cites the
    guides). Mark ",", closing "Kind regards,".
``ka``
    "პატივცემულო ბატონო გიორგი" / "პატივცემულო ქალბატონო ნინო": ბატონი (Mr)
    and ქალბატონი (Ms) in the vocative (-ო), then the first name — the formula
    of Georgian business letters, the surname without a first name less often
    ("ბატონო ბერიძე"). The name itself is written as the CRM has it, never in
    the vocative: with a proper name the vocative -ო sounds condescending
    («Zurab», not «*Zurabo»; Wikipedia, "Georgian grammar", the vocative
    case; "Batoni (title)": the title goes in the vocative and precedes the
    first name, more often, or the surname), and the form a passport writes
    («დავით», «ზურაბ», «გიორგი») is the one said after ბატონო. Georgian
    has no grammatical gender: პატივცემულო (respected) suits anyone, only the
    title needs one, so with the gender unknown "პატივცემულო გიორგი
    ბერიძე" (the full name, as Estonian's "Lugupeetud Mari Tamm"); a first
    name alone "გამარჯობათ, გიორგი" (the polite hello, as Russian's
    "Здравствуйте, Иван"); nothing: "გამარჯობათ". A patronymic (შალვას ძე)
    is a document's, never an address's: left out. Subjects name the client
    as "ბატონო გიორგი" (``name``), or not at all without a gender. Mark ",",
    closing "პატივისცემით,".

Names are data: nothing here formats or evaluates contact text; a name the
rules do not recognise is left out or left as typed, never altered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from markupsafe import escape

from greeter.contacts import Contact, Gender, academic_titles, ordered_name, salutation_titles
from greeter.i18n import language_and_script
from greeter.i18n_script import names_in_script
from greeter.names import gender_of
from greeter.patronymics import is_turkic

__all__ = [
    "FALLBACK",
    "FORMS",
    "SWISS_GERMAN",
    "LetterForms",
    "Person",
    "addressed",
    "closing",
    "english_name",
    "english_salutation",
    "forms_for",
    "salutation",
    "salutation_end",
    "without_eszett",
]


def _clean(text: str) -> str:
    """Collapse the stray spaces spreadsheets leave in names."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Person:
    """The parts of a contact a salutation is built from, cleaned of stray spaces."""

    first: str
    patronymic: str
    last: str
    gender: Gender

    @classmethod
    def of(cls, contact: Contact) -> Person:
        first, patronymic, last = contact.first_name, contact.patronymic, contact.last_name
        return cls(_clean(first), _clean(patronymic), _clean(last), gender_of(contact))


@dataclass(frozen=True, slots=True)
class LetterForms:
    """One language's row of :data:`FORMS`."""

    #: The salutation without punctuation: "Уважаемый Иван Петрович".
    address: Callable[[Person], str]
    #: What follows the salutation: "!" or ",".
    end: str
    #: The complimentary close, on the line above the sender's name.
    closing: str
    #: How a subject names the client (``addressee``), where the language has its own way:
    #: Georgian's title and first name, «ბატონო გიორგი». None: the first name.
    name: Callable[[Person], str] | None = None


M, F = Gender.MALE, Gender.FEMALE


# --------------------------------------------------------------------------- Russian


def _ru(p: Person) -> str:
    if not p.first:
        return "Здравствуйте"  # a bare surname needs господин/госпожа, and so a gender
    if not p.patronymic:
        return f"Здравствуйте, {p.first}"  # "Уважаемый Иван" reads as too familiar or too stiff
    if p.gender is M:
        return f"Уважаемый {p.first} {p.patronymic}"
    if p.gender is F:
        return f"Уважаемая {p.first} {p.patronymic}"
    return f"Здравствуйте, {p.first} {p.patronymic}"


# --------------------------------------------------------------------------- Ukrainian

_SHEVCHENKO_GENDER: Final = {M: "masculine", F: "feminine"}


@lru_cache(maxsize=8192)
def _uk_vocative(first: str, patronymic: str, gender: str | None) -> str | None:
    """Іван Петрович → "Іване Петровичу"; ``None`` when the vocative is not certain.

    Without a known gender the library reads it from the patronymic; its guess
    from a first name alone is an ending heuristic (Валя: Вале or Валю?), so
    without a patronymic the name is used only if its male and female vocatives
    agree. A Turkic patronymic ("Рашид оглы") is kept as written, as in Russian
    letters.
    """
    import shevchenko  # here, not at the top: 10 ms of import, paid only by Ukrainian letters

    fields = {"given_name": first}
    keep = patronymic if patronymic and is_turkic(patronymic) else ""
    if patronymic and not keep:
        fields["patronymic_name"] = patronymic
    try:
        if gender is None and "patronymic_name" in fields:
            gender = shevchenko.detect_gender(patronymic_name=fields["patronymic_name"])
        if gender is None:
            as_male = shevchenko.in_vocative(gender="masculine", **fields)
            if as_male != shevchenko.in_vocative(gender="feminine", **fields):
                return None
            declined = as_male
        else:
            declined = shevchenko.in_vocative(gender=gender, **fields)
    except ValueError:  # the library's InputValidationError: nothing it can read as a name
        return None
    words = [declined.get("given_name", ""), declined.get("patronymic_name", ""), keep]
    return " ".join(w for w in words if w) or None


def uk_vocative_name(first: str, patronymic: str, gender: Gender | None, parts: str) -> str:
    """``{{ contact|name('vocative') }}`` in a Ukrainian letter: «Олександре Петровичу» («Олександре»
    for ``parts`` "first"); the name as written where its vocative is not certain (:func:`_uk_vocative`).

    Why: a Ukrainian subject line is addressed in the vocative («Олександре Петровичу, з днем
    народження!»); the nominative there reads as a mistake. The salutation has it already
    (:func:`_uk`); the other parts (a family name) are not addressed so and are refused.
    """
    if parts not in ("first_patronymic", "first"):
        raise ValueError(
            f"name('vocative', {parts!r}): a Ukrainian letter addresses the first name and patronymic"
            " in the vocative: name('vocative') or name('vocative', 'first')"
        )
    written = " ".join(w for w in (first, patronymic if parts == "first_patronymic" else "") if w)
    if not first:
        return written
    # The patronymic says the gender even when only the first name is printed (Тарас Григорович: Тарасе).
    declined = _uk_vocative(first, patronymic, _SHEVCHENKO_GENDER.get(gender) if gender else None)
    if declined is None:
        return written
    return declined if parts == "first_patronymic" else " ".join(declined.split()[: len(first.split())])


#: A Latvian word, of Latin letters (ā č ē ģ ī ķ ļ ņ š ū ž among them): :func:`lv_vocative_name`'s.
_LATVIAN_WORD: Final = re.compile(r"[A-Za-zĀ-ž]+")


def lv_vocative_name(first: str, gender: Gender | None, parts: str) -> str:
    """``{{ contact|name('vocative') }}`` in a Latvian letter: «Jāni» for Jānis, by the regular rule.

    A Riga office writes «Cienījamais Jāni!» and hand-wrote a macro for it: a masculine name
    drops its -s or -š (Jānis → Jāni, Kārlis → Kārli, Ģirts → Ģirt, Rūdolfs → Rūdolf), -us
    gives -u (Ingus → Ingu), a feminine -a/-e name is unchanged (Līga, Ilze), and so is a woman's
    name in -s (Agnes: ``gender`` female) and a word not in Latin letters (a Russian-speaking
    client's «Иван»). Each word of a double name (Jānis Pēteris → Jāni Pēteri). A patronymic,
    with ``parts`` "first_patronymic", is printed as written; a family name is not addressed so.
    """
    if parts not in ("first_patronymic", "first"):
        raise ValueError(
            f"name('vocative', {parts!r}): a Latvian letter addresses the first name in the vocative:"
            " name('vocative') or name('vocative', 'first')"
        )
    words = first.split()
    if gender is not Gender.FEMALE:
        words = [w[:-1] if len(w) > 2 and w[-1] in "sš" and _LATVIAN_WORD.fullmatch(w) else w for w in words]
    return " ".join(words)


def _uk(p: Person) -> str:
    name = _uk_vocative(p.first, p.patronymic, _SHEVCHENKO_GENDER.get(p.gender)) if p.first else None
    if name is None:
        return "Добрий день"
    if p.patronymic:
        return {M: f"Шановний {name}", F: f"Шановна {name}"}.get(p.gender, f"Добрий день, {name}")
    return {M: f"Шановний пане {name}", F: f"Шановна пані {name}"}.get(p.gender, f"Добрий день, {name}")


# --------------------------------------------------------------------------- Serbian

_WORDS: Final = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True)
class _SerbianWords:
    dear_m: str
    dear_f: str
    mister: str  # vocative of господин
    missis: str  # vocative of госпођа


def _sr_male_vocative(last: str) -> str | None:
    """ "Петровић" → "Петровићу", "Petrović" → "Petroviću"; any other surname as written; ``None`` for none.

    -ић/-ić takes -у/-u. Every other man's surname keeps the nominative, which
    Serbian usage accepts: in -ов/-ев/-ин the nominative is the standard's
    doublet of the vocative («драги Новакове ≈ драги Новаков», «Предине ≈
    Предин»: Српска енциклопедија, «Вокатив»), so «господине Јованов», «Pupin»;
    -ски/-чки are adjectives, whose vocative is the nominative («господине
    Бугарски»); men's names in -а keep it too («господине Тесла», «Калаба»,
    «Koštunica»). «Djordjevic», «PETROVIC» — an -ić typed without its
    diacritic — stay as typed: «Djordjeviću» would spell a name nobody has.
    A double surname («Петровић-Његош») or one with other than letters is
    not attempted (``None``): its parts decline one by one.
    """
    if not last or _WORDS.search(last) or not last.replace("'", "").replace("’", "").isalpha():
        return None  # double surnames decline part by part: not attempted
    for ending, suffix in (("ић", "у"), ("ić", "u")):
        if last.lower().endswith(ending):
            return last + (suffix.upper() if last.isupper() else suffix)
    return last


def _sr_female_surname(last: str) -> str | None:
    """The surname itself when it does not decline (ends in a consonant or -е, -и, -о), else ``None``."""
    parts = [w for w in _WORDS.split(last) if w]
    if parts and all(w[-1].isalpha() and w[-1].lower() not in "аa" for w in parts):
        return last
    return None


def _serbian(words: _SerbianWords, script: str) -> Callable[[Person], str]:
    def address(p: Person) -> str:
        # The surname in the letter's script: «господине Петровићу» for a Petrović typed in Latin.
        last = names_in_script((p.first, p.last), script)[1]
        if p.gender is M:
            vocative = _sr_male_vocative(last)
            return f"{words.dear_m} {words.mister}" + (f" {vocative}" if vocative else "")
        if p.gender is F:
            surname = _sr_female_surname(last)
            return f"{words.dear_f} {words.missis}" + (f" {surname}" if surname else "")
        return words.dear_m

    return address


# ------------------------------------------------------------------ Hungarian, Estonian, German, English


def _hu(p: Person) -> str:
    if p.last and p.first:
        return f"Tisztelt {ordered_name(p.first, '', p.last, 'hu')}"  # family name first, as everywhere
    if p.last and p.gender is M:
        return f"Tisztelt {p.last} Úr"
    if p.first:
        return f"Kedves {p.first}"
    return {M: "Tisztelt Uram", F: "Tisztelt Hölgyem"}.get(p.gender, "Tisztelt Hölgyem/Uram")


def _et(p: Person) -> str:
    if p.first and p.last:
        return f"Lugupeetud {p.first} {p.last}"
    if p.last and p.gender in (M, F):
        return f"Lugupeetud {'härra' if p.gender is M else 'proua'} {p.last}"
    return f"Tere, {p.first}" if p.first else "Tere"


def _ka_named(p: Person) -> str:
    """ "ბატონო გიორგი" / "ქალბატონო ნინო" (the surname without a first name); "" without a gender."""
    title = {M: "ბატონო", F: "ქალბატონო"}.get(p.gender)
    name = p.first or p.last
    return f"{title} {name}" if title and name else ""


def _ka(p: Person) -> str:
    named = _ka_named(p)
    if named:
        return f"პატივცემულო {named}"
    if p.first and p.last:
        return f"პატივცემულო {p.first} {p.last}"  # no title without a gender: the full name
    return f"გამარჯობათ, {p.first}" if p.first else "გამარჯობათ"


def _german(*, austria: bool) -> Callable[[Person], str]:
    """German salutations; ``austria``: with the degrees Austrians name («Herr DI Gruber»)."""

    def address(p: Person) -> str:
        # Titles from either name column, between Herr/Frau and the surname: «Herr Prof. Dr. Schäfer».
        titles, first, last = academic_titles(p.first, p.last)
        named = salutation_titles(titles, austria=austria)
        surname = " ".join(filter(None, (named, last)))
        if last and p.gender is M:
            return f"Sehr geehrter Herr {surname}"
        if last and p.gender is F:
            return f"Sehr geehrte Frau {surname}"
        if first:  # DIN 5008's neutral form, titles included: «Guten Tag Dr. Karin Schulz»
            return "Guten Tag " + " ".join(filter(None, (named if last else "", first, last)))
        return "Sehr geehrte Damen und Herren"  # "Guten Tag Schulz" would be curt

    return address


def _en(p: Person) -> str:
    # The first-name register, the default: «Dear Anna», never «Dear Dr. Anna» (a title goes with
    # a surname). The formal one is sender.by_locale's `addressing: formal` (english_name).
    return english_salutation(p, "en", formal=False)


#: Territories whose English writes Mr., Ms., Dr. with a full stop: the United States (and the
#: territories that write its English) and Canada. Everywhere else — en_GB, en_IE, en_AU, CLDR's
#: international en_001 and an English letter of no country — writes Mr, Ms, Dr without one.
_DOTTED: Final = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP", "UM"})


def english_name(p: Person, locale: str | None, *, formal: bool) -> str:
    """How an English letter names the client: in its salutation ("Dear …") and in its subject.

    The first-name register: the first name without the titles a CRM typed
    into it ("Anna" for «Dr. Anna»); "" without one. The formal register
    (``sender.by_locale``'s ``addressing: formal``) is the one British and
    American business-writing guides teach: a title and the surname, "Ms
    Smith", "Mr Doe". An academic title typed in a name column takes the
    place of Mr/Ms, "Dr Carter", and a professor is "Professor Smith",
    written out: the guides call the short "Prof" less respectful, or slang
    (copyeditor.se, "How to start and end a letter or an email";
    usingenglish.com, "How to start and end letters and emails in AE").
    American and Canadian letters put a full stop after Mr., Ms., Dr.;
    British English and the rest write them without (ego4u.com, "Business
    letter: salutation"). Ms whatever the gender cell says (Mrs, Miss): it
    presumes no marital status. Without a gender or a title, the full name,
    "Jane Smith", the form the same guides give for a reader whose gender is
    not known — a known name is never "Sir or Madam"; with no surname, the
    first name alone; "" with nothing to name the client by.
    """
    titles, first, last = academic_titles(p.first, p.last)
    if not formal:
        return first
    said = salutation_titles(titles)  # "Prof. Dr." → the professorship; Dipl.-Ing. is no salutation title
    dot = "." if _territory(locale) in _DOTTED else ""
    if "Prof." in said:
        title = "Professor"
    elif "Dr." in said:
        title = f"Dr{dot}"
    else:
        title = {M: f"Mr{dot}", F: f"Ms{dot}"}.get(p.gender, "")
    if last and title:
        return f"{title} {last}"
    return " ".join(n for n in (first, last) if n) if first else ""


def _territory(locale: str | None) -> str:
    """The country of a letter's locale as written (``en_US`` → ``US``, ``en-GB`` → ``GB``); "" for none."""
    parts = (locale or "").replace("-", "_").split("_")[1:]
    return next((part.upper() for part in parts if len(part) == 2 and part.isalpha()), "")


def english_salutation(p: Person, locale: str | None, *, formal: bool) -> str:
    """ "Dear Jane" / "Dear Ms Smith" / "Dear Sir or Madam": the English salutation in a register."""
    name = english_name(p, locale, formal=formal)
    return f"Dear {name}" if name else "Dear Sir or Madam"


# --------------------------------------------------------------------------- the table

#: Every language's forms, keyed by language, or language_Script where the script changes the words,
#: or language_TERRITORY where the country does (Austria names its degrees in a salutation).
FORMS: Final[dict[str, LetterForms]] = {
    "ru": LetterForms(_ru, "!", "С уважением,"),
    "uk": LetterForms(_uk, "!", "З повагою,"),
    "sr": LetterForms(
        _serbian(_SerbianWords("Поштовани", "Поштована", "господине", "госпођо"), "sr"), ",", "С поштовањем,"
    ),
    "sr_Latn": LetterForms(
        _serbian(_SerbianWords("Poštovani", "Poštovana", "gospodine", "gospođo"), "sr_Latn"),
        ",",
        "S poštovanjem,",
    ),
    "hu": LetterForms(_hu, "!", "Tisztelettel:"),
    "et": LetterForms(_et, "!", "Lugupidamisega"),
    "de": LetterForms(_german(austria=False), ",", "Mit freundlichen Grüßen"),
    "de_AT": LetterForms(_german(austria=True), ",", "Mit freundlichen Grüßen"),
    "en": LetterForms(_en, ",", "Kind regards,"),
    "ka": LetterForms(_ka, ",", "პატივისცემით,", name=_ka_named),
}
#: The row for a language :data:`FORMS` lacks (a ``fr`` letter): English, the lingua franca.
FALLBACK: Final = "en"


@lru_cache(maxsize=512)
def forms_for(locale: str | None) -> LetterForms:
    """The row of :data:`FORMS` for a letter's locale: ``sr-Latn-RS`` → ``sr_Latn``, ``de_AT`` →
    ``de_AT``, ``de_CH`` → ``de``.

    A locale Babel cannot read (an odd CRM cell) is Russian, the product's home
    language, as everywhere else; a language without a row is English.
    """
    language, script = language_and_script(locale, "ru")
    territory = next((p.upper() for p in (locale or "").replace("-", "_").split("_")[1:] if len(p) == 2), "")
    found = (
        FORMS.get(f"{language}_{script}")
        or (FORMS.get(f"{language}_{territory}") if territory else None)
        or FORMS.get(language)
    )
    return found if found is not None else FORMS[FALLBACK]


def salutation(contact: Contact, locale: str | None = "ru") -> str:
    """The opening words of the letter in its language, without the mark after them.

    See the module docstring for every language's forms; in short, Russian:

    * name + patronymic, gender known → "Уважаемый Иван Петрович" / "Уважаемая Анна Ильинична";
    * name + patronymic, gender unknown → "Здравствуйте, Иван Петрович";
    * name without patronymic → "Здравствуйте, Иван";
    * no first name → "Здравствуйте".

    Turkic patronymics are kept as written: "Уважаемый Гусейн Рашид оглы".
    A language without its own forms gets English: "Dear Ivan", or "Dear Sir
    or Madam" without a first name.
    """
    return forms_for(locale).address(Person.of(contact))


def addressed(person: Person, locale: str | None, *, formal: bool = False) -> tuple[str, str]:
    """A letter's salutation and how it names the client elsewhere (``addressee`` in templates).

    English letters (and those of a language without forms of its own, written
    in English) in their register (``formal``: ``sender.by_locale``'s
    ``addressing``): ("Dear Jane", "Jane") or ("Dear Ms Smith", "Ms Smith")
    — :func:`english_name`. Every other language's salutation is its row's,
    and the name its first name without titles, as subjects wrote it before;
    their own subjects decline it (``contact|name``) — but where the row has a
    ``name`` of its own: Georgian's «ბატონო გიორგი», "" without a gender.
    """
    forms = forms_for(locale)
    if forms is FORMS[FALLBACK]:
        return english_salutation(person, locale, formal=formal), english_name(person, locale, formal=formal)
    if forms.name is not None:  # Georgian: «ბატონო გიორგი»
        return forms.address(person), forms.name(person)
    return forms.address(person), academic_titles(person.first, person.last).first


def salutation_end(locale: str | None = "ru") -> str:
    """The mark after the salutation: "!" (ru, uk, hu, et) or "," (sr, de, en, ka)."""
    return forms_for(locale).end


def closing(locale: str | None = "ru") -> str:
    """The complimentary close: "С уважением,", "Mit freundlichen Grüßen", "Kind regards,"."""
    return forms_for(locale).closing


#: The locales of Swiss Standard German (Switzerland, Liechtenstein), as a letter's locale is spelt:
#: written without ß (:func:`without_eszett`).
SWISS_GERMAN: Final = frozenset({"de_CH", "de_LI"})
#: ß, ẞ and HTML's ``&szlig;``, and a token they must not be changed in: a link or an address
#: (``straße@…``, an IDN ``https://straße.example`` — ss there is another mailbox, another domain).
_ESZETT: Final = re.compile(r"[^\s\"'<>]*(?:@|://)[^\s\"'<>]*|[ßẞ]|&szlig;")
#: What each becomes; a link or an address is left as it is.
_SWISS_SS: Final = {"ß": "ss", "ẞ": "SS", "&szlig;": "ss"}


def without_eszett(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` as Swiss Standard German writes it: ß is ss, the capital ẞ is SS — but in ``names``.

    Switzerland and Liechtenstein have not written ß since the 1930s
    («Außerdem» is «Ausserdem», «Mit freundlichen Grüßen» «Mit freundlichen
    Grüssen»): a German template and the built-in closing are spelt so in a
    Swiss letter. ``names`` — the contact's first name, last name, patronymic
    and company — are printed as the CRM has them, ß and all: names are data,
    never altered (module docstring), and a Strauß is «Strauß» in the letter
    as in its To: header, whatever the letter's spelling. Each is kept where
    it stands exactly as typed or HTML-escaped (``&amp;`` in «Strauß &
    Söhne»), and without the titles a salutation may leave out. Links and
    addresses keep theirs too (``straße@…``, an IDN ``https://straße.example``:
    ss there is another mailbox, another domain).
    :meth:`greeter.render.Renderer.render` applies it to every part of a
    letter whose locale is in :data:`SWISS_GERMAN`.
    """
    if "ß" not in text and "ẞ" not in text and "&szlig;" not in text:
        return text
    return _swiss_pattern(tuple(n for n in names if "ß" in n or "ẞ" in n)).sub(
        lambda m: _SWISS_SS.get(m[0], m[0]), text
    )


@lru_cache(maxsize=256)
def _swiss_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """:data:`_ESZETT`, matching ``names`` (and their HTML-escaped forms) first, longest first, so that
    :func:`without_eszett` leaves them as they are."""
    if not names:
        return _ESZETT
    bare = (academic_titles(n, "").first for n in names)  # «Strauß» of «Mag. Dr. Strauß»: «Herr Dr. Strauß»
    kept = sorted({form for n in (*names, *bare) if n for form in (n, str(escape(n)))}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kept)) + "|" + _ESZETT.pattern)
