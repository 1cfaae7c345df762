"""A client's company name as Russian text writes it: ООО «Ромашка», ИП Кузнецов Д. С. — pure.

Russian puts the organisation's own name in «guillemets» and leaves the
abbreviated legal form outside them: ООО «Тест3», not «ООО Тест3». An
individual entrepreneur has no company name at all, only his own: ИП Кузнецов
Д. С. takes no quotes. A name written in the Latin (or any non-Cyrillic) script
takes no quotes either — Kats GmbH, Acme Inc., Jovanović d.o.o. — as Russian
typography leaves names in a foreign script unquoted. CRMs hold all these
spellings (bare "Рога и Копыта", "ООО Тест3", "ООО «Вектор»"), so the letter
decides, from one table (:func:`company_name`):

* quotes a CRM added first taken off (:mod:`greeter.company_cells`): an outer pair
  around a legal form and its name («ООО "Ромашка"» → ООО "Ромашка"), and straight
  quotes an export doubled twice;
* already quoted (any of « » " “ ” „ ' ‘ ’) → as written, but for straight double
  quotes, which a plain-text CRM field has for want of others: they become the
  letter's own — ``ООО "Вектор"`` → ООО «Вектор» (:func:`_typographic`), after a
  person's form as well (``ИП "Оглы"`` → ИП «Оглы», no quotes of its own) — and, in
  a letter quoting with «», English and German double quotes: ООО “Вектор” → ООО «Вектор»;
* a legal form for an organisation (:data:`~greeter.company_forms.ORGANISATION_FORMS`) first, then the
  name → the form, then the name in guillemets;
* a legal form for a person (:data:`~greeter.company_forms.PERSON_FORMS`) first → as written;
* a legal form and nothing after it → as written;
* a name without a Cyrillic letter (and with some letter) → as written;
* anything else → the whole name in guillemets: «Рога и Копыта».

Inside a sentence a letter needs more than the name: *whose* partner, *to
whom* prosperity — and :func:`company_in` gives the words for a grammatical
case. «Компания» is right only for a name that says nothing of what it is:
«компании «Рога и Копыта»», «компании Kats GmbH». A Russian legal form is
itself the noun — «компании ООО «Тест3»» says it twice, and an individual
entrepreneur is a person, not a «компания» — so the form stands alone, and
abbreviated: «партнёром ООО «Тест3»», «Вам и ИП Кузнецов Д. С.». An
abbreviation does not decline, so it fits every case; a spelled-out form would
have to («Обществу с ограниченной ответственностью»), and no greeting spells
it out anyway, so it is abbreviated (:data:`~greeter.company_forms.ABBREVIATIONS`). The name after ИП
is declined only when its patronymic gives the gender (below); initials do not.

A letter in another language names the company as that language does
(:func:`company_name`'s ``language``; :data:`LEGAL_FORMS` has the forms):

* Serbian quotes the organisation's own name and leaves its legal form outside
  the quotes, where the CRM put it: „Дунав“ д.о.о., „Dunav“ d.o.o., ДОО „Дунав“,
  and ООО „Вектор“ for a Russian company — as Russian does with ООО «Тест3». A
  form the tables know is outside whatever its market (Kats GmbH → „Kats“ GmbH);
  a name without one is quoted whole („Дунав“), a person's (ИП, e.K.) not at all.
* Hungarian, German and Estonian write a company name bare, with its legal form
  (Duna Kft., Müller GmbH, Tallinna Vesi AS, Põld OÜ) and without one (Duna,
  Müller, Põld): their style guides treat it as a proper name, told by its
  capitals — the Hungarian rules (AkH.) quote no institution or firm name, Duden
  and DIN 5008 leave firm names unquoted (in German „…“ around a name reads as
  irony or emphasis), and EKI's handbook says firm names take no quotes (AS
  Tallinna Vesi). Quotes the CRM typed are the registrant's and stay.
* An English letter writes the name as it is.

In Serbian, Hungarian, German and Estonian letters, quotes the CRM typed are
re-marked as the letter's language writes them, when they pair up: „Müller“
GmbH → „Müller” GmbH in Hungarian, ООО «Вектор» → ООО „Вектор“ in Serbian
(:func:`_requoted`). Only Russian (and Ukrainian, Belarusian) leaves a Latin
name bare and quotes a bare Cyrillic one.

The markets' own forms are in the tables too: Ukrainian (ТОВ, ПрАТ, АТ; ФОП
is a person), Kazakh (ТОО, ЖШС, АҚ), Belarusian (ОДО, ТАА), Kyrgyz (ОсОО), Uzbek
(МЧЖ, ХК, АЖ; ЯТТ and ЧП are persons; in Latin letters :data:`LATIN_LEADING_FORMS`). A
Latin-script form (GmbH, d.o.o., Kft., OÜ, AS, LLC) needs no entry: the name
is foreign to a Russian sentence whatever its form, so it stays bare after
«компании» — «компании Duna Kft.».

Abbreviations are recognised only as written (ООО, ПрАТ), spelled-out
forms in any case. Forms that are also common words or trade names (ПК is a
"персональный компьютер" as often as a "производственный кооператив") are not
in the table: a name the table does not know is quoted whole, as before. One
exception: a name written *entirely* in lower case (ооо «сидоров», a CRM field
typed in a hurry) has no capitals to tell an abbreviation by, and nothing in it
is written "as registered" — there the form is recognised in any case and
written as the table has it, and the name gets its capital: ООО «Сидоров».

CRMs also write the form *after* the name, as registers sort them: "Ромашка
ООО", "Ромашка, ООО", "Банк ВТБ (ПАО)" (VTB's registered name is «Банк ВТБ
(публичное акционерное общество)»). The letter puts it first, abbreviated, as
everywhere else: ООО «Ромашка», ПАО «Банк ВТБ» (:func:`_form_first`) — only a
form from the tables, only at the very end, after a space or a comma or in
brackets, and only when the rest is a name (no stray quote: 'Труба 12" ООО'
stays as typed). "Банк" in «ПАО «Банк ВТБ»» stays part of the name: it is how
the bank writes itself, and the generic-noun rule below is for a name *in
quotes* only, which «Банк ВТБ» is not until the form is put first.

English quotes typed into a Russian name (ООО “Лебедь”, ООО „Лебедь“) become
«ёлочки» too when they pair up, as straight ones do (a letter in another
language re-marks them its own way, above).

A name that starts with a common noun saying what the organisation is —
Галерея «Холст», Театр «Моссовет», Группа компаний «Самолёт», Торговый дом
«Луч» — needs no «компании» either: the noun is the «компания» of the sentence,
declined and in lower case, as Russian writes the generic word before a name in
quotes: «галерее «Холст»», «партнёром театра «Моссовет»», «группы компаний
«Самолёт»», «торговому дому «Луч»» (:func:`_generic_in`). Declining a common
noun needs a dictionary, pymorphy3's (OpenCorpora), loaded only when a name
has such a phrase. It is trusted only when it is sure: the phrase is Cyrillic
words before one quoted name; the head is a known inanimate noun whose
nominative singular readings all decline alike, with no reading as a surname,
first name, place or organisation (Петров, Альфа, Бизнес-центр); the words
before it are adjectives agreeing with it, the words after it have a genitive
reading (группа *компаний*) and stay as they are. Anything else — an unknown
word, an acronym (ТЦ, НПО), a plural, two genders — is «компании «…»» as before:
an undeclined name reads as a name, a wrongly declined one as an error.

The name after ИП is a person's, and is declined with greeter's own name
declension (:func:`greeter.addressing.decline`) when it is a full «Фамилия Имя
Отчество» whose patronymic gives the gender: «партнёром ИП Ковальчука Николая
Ильича», «Вам и ИП Ковальчуку Николаю Ильичу». With initials, or alone, the surname is
declined by the gender its ending tells («ИП Кузнецова Д. С.», «ИП Волковой
М. А.», «а ИП Козлову — процветания»), and one that tells none (ИП Ким И. О., ИП Шевчук Т. Г.) is left as
registered, as is a name without a patronymic that says the gender. A
Ukrainian ФОП and the other person forms are left as registered too: their
names are in the letter's other language more often than not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Final

from greeter.addressing import decline, gender_of
from greeter.company_cells import unmangled
from greeter.company_forms import ABBREVIATIONS, ORGANISATION_FORMS, PERSON_FORMS
from greeter.contacts import Contact, Gender
from greeter.name_case import normalise_case
from greeter.russian_morph import GRAMMEME, common_readings, inflected

__all__ = [
    "COMPANY",
    "LATIN_LEADING_FORMS",
    "LEGAL_FORMS",
    "LOCALE_QUOTES",
    "UZBEK_TRAILING_FORMS",
    "company_in",
    "company_name",
    "held_together",
]


#: «Компания» in each grammatical case (:data:`greeter.addressing.CASES`), for a name without a form.
COMPANY: Final[dict[str, str]] = {
    "nominative": "компания",
    "genitive": "компании",
    "dative": "компании",
    "accusative": "компанию",
    "instrumental": "компанией",
    "prepositional": "компании",
}

_QUOTES: Final = frozenset("«»\"“”„'‘’")

#: The region's legal forms in Latin letters, written before the name: Uzbekistan's (MChJ, QK, XK,
#: AJ, YaTT; and OOO, Russia's ООО in Latin letters), Azerbaijan's (MMC, ASC, QSC). The name stays
#: as written, Latin being foreign to a Russian sentence, but the form is its noun, as a Cyrillic
#: one is: «партнёром MChJ «Buxoro Tekstil»», not «партнёром компании MChJ …». After the name
#: (Azersun Trade MMC) it is the name's own end, as in Kats GmbH: «компании Azersun Trade MMC».
LATIN_LEADING_FORMS: Final = frozenset(
    {"OOO", "MChJ", "MCHJ", "QK", "XK", "AJ", "YaTT", "YATT", "MMC", "ASC", "QSC"}
)
#: Uzbekistan's organisations' forms, which it writes after the name («"Buxoro Tekstil" MChJ», as
#: registered): there too the form is the noun, the name kept as written — «компании Buxoro
#: Tekstil MChJ» said the company twice. Not Azerbaijan's (Azersun Trade MMC: the name's end).
UZBEK_TRAILING_FORMS: Final = frozenset({"MChJ", "MCHJ", "QK", "XK", "AJ"})


def _pattern(form: str) -> str:
    """An abbreviation (one word: ООО, ПрАТ) matches as written, a spelled-out form in any case."""
    words = r"\s+".join(re.escape(word) for word in form.split())
    return words if form.isupper() or " " not in form else f"(?i:{words})"


def _forms_regex(forms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first: "Публичное акционерное общество" wins over "Акционерное общество".
    alternatives = "|".join(_pattern(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?=\s|$)")


_ORGANISATION: Final = _forms_regex(ORGANISATION_FORMS)
_PERSON: Final = _forms_regex(PERSON_FORMS)


#: Every legal form by its lower case, single-spaced: a name's last (or, all in lower case, first)
#: words are looked up here — more regexes of all the forms would be compiled at every start.
_FORMS: Final[dict[str, str]] = {" ".join(f.lower().split()): f for f in ORGANISATION_FORMS + PERSON_FORMS}
_PERSON_KEYS: Final = frozenset(" ".join(f.lower().split()) for f in PERSON_FORMS)
_LONGEST_FORM: Final = max(len(f.split()) for f in _FORMS)


def _as_form(words: list[str], any_case: bool) -> str | None:
    """The table's form these words are, or None: as :func:`_pattern` matches, or in any case.

    Abbreviations count as written (ООО, ПрАТ), spelled-out forms in any case;
    with ``any_case`` (a name all in lower case) abbreviations too, and the
    table's spelling is returned for them: ооо → ООО.
    """
    written = " ".join(words)
    form = _FORMS.get(written.lower())
    if form is None:
        return None
    if form.isupper() or " " not in form:
        return form if any_case or written == form else None
    return written


_OPENING_QUOTES: Final = frozenset('«"“„')
_CLOSING_QUOTES: Final = frozenset('»"”“')


def _all_lower_case(text: str) -> bool:
    """Some cased letter, and no capital: ооо «сидоров», not ООО «Сидоров», not "123"."""
    return text == text.lower() and text != text.upper()


def _capitalised(name: str) -> str:
    """The first letter in capitals, quotes before it kept: «сидоров» → «Сидоров»."""
    for i, char in enumerate(name):
        if char.isalpha():
            return name[:i] + char.upper() + name[i + 1 :]
    return name


def _is_a_name(name: str) -> bool:
    """Something to put after a form: no quote but one pair around it all (not 'Труба 12"')."""
    if _QUOTES.isdisjoint(name):
        return True
    return name[0] in _OPENING_QUOTES and name[-1] in _CLOSING_QUOTES


@lru_cache(maxsize=4096)
def _form_first(text: str) -> str:
    """The name with its legal form first, as :data:`~greeter.company_forms.ORGANISATION_FORMS`
    writes it; else as given.

    "Ромашка ООО", "Ромашка, ООО" → "ООО Ромашка"; "Банк ВТБ (публичное акционерное
    общество)" → "ПАО Банк ВТБ" (a form moved to the front is ours, so abbreviated);
    all in lower case, "ооо «сидоров»" → "ООО «Сидоров»", "ип кузнецов д. с." → "ИП
    Кузнецов Д. С.". ``text`` has its spaces collapsed. Why: the module docstring.
    """
    lower = _all_lower_case(text)
    if not lower and (_PERSON.match(text) or _ORGANISATION.match(text)):
        return text
    words = text.split()
    form, rest = None, ""
    for size in range(min(_LONGEST_FORM, len(words)), 0, -1) if lower else ():
        if form := _as_form(words[:size], any_case=True):
            rest = " ".join(words[size:])
            break
    else:
        form, rest = _trailing_form(text, words, lower)
        if form is None:
            return text
        form = ABBREVIATIONS.get(form.lower(), form)
    if lower:
        rest = normalise_case(rest) if form.lower() in _PERSON_KEYS else _capitalised(rest)
    return f"{form} {rest}" if rest else form


def _trailing_form(text: str, words: list[str], any_case: bool) -> tuple[str | None, str]:
    """``Ромашка ООО``, ``Ромашка, ООО``, ``Банк ВТБ (ПАО)`` → the form and the name; else (None, "")."""
    if text.endswith(")") and "(" in text:
        split = text.rindex("(")
        form, name = _as_form(text[split + 1 : -1].split(), any_case), text[:split].rstrip(" ,")
    else:
        form, name = None, ""
        for size in range(min(_LONGEST_FORM, len(words) - 1), 0, -1):
            if form := _as_form(words[-size:], any_case):
                name = " ".join(words[:-size]).rstrip(" ,")
                break
    return (form, name) if form and name and _is_a_name(name) else (None, "")


def _foreign_script(text: str) -> bool:
    """Some letter, and no Cyrillic one: Kats GmbH, Türk A.Ş. — not «3 кота», not "123"."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(unicodedata.name(c, "").startswith("CYRILLIC") for c in letters)


#: Opening and closing quotes of the languages with their own rules (CLDR's, which Babel does not
#: ship). Russian's guillemets and rules are :func:`company_name`'s default.
LOCALE_QUOTES: Final = {
    "sr": ("„", "“"),
    "hu": ("„", "”"),
    "et": ("„", "“"),
    "de": ("„", "“"),
    "ka": ("„", "“"),
}
#: Of those, the languages that put a company's own name in quotes (the form outside): Serbian.
#: Hungarian, German and Estonian write it bare (the module docstring says why).
_QUOTING: Final = frozenset({"sr"})
#: Languages that leave a company name as written.
_BARE: Final = frozenset({"en"})

#: Legal forms of the other markets, as CRMs spell them (each spelling listed: "e.V." is a German
#: association, "E.V." a Hungarian sole trader) → True for an organisation, False for a person
#: trading under his own name (no quotes at all). Written after the name, and some before it
#: (:data:`_LEADING`). Used for letters in :data:`LOCALE_QUOTES`' languages only: a Russian
#: letter leaves a Latin name bare whatever its form, and quotes a Cyrillic one it does not know.
LEGAL_FORMS: Final[dict[str, bool]] = {
    # Serbian, Cyrillic and Latin: društvo s ograničenom odgovornošću, akcionarsko društvo
    # (… za osiguranje), ortačko and komanditno društvo, javno (komunalno) preduzeće
    **dict.fromkeys(
        ("д.о.о.", "д.о.о", "Д.О.О.", "ДОО", "доо", "d.o.o.", "d.o.o", "D.O.O.", "DOO", "doo"), True
    ),
    **dict.fromkeys(("а.д.", "А.Д.", "АД", "ад", "a.d.", "A.D.", "AD", "ad"), True),
    **dict.fromkeys(
        ("а.д.о.", "АДО", "a.d.o.", "ADO", "о.д.", "ОД", "o.d.", "OD", "к.д.", "КД", "k.d.", "KD"), True
    ),
    **dict.fromkeys(("ЈП", "ЈКП", "JP", "JKP"), True),
    # Hungarian: korlátolt felelősségű társaság, (nyilvánosan működő) zártkörű részvénytársaság, …
    **dict.fromkeys(("Kft.", "Kft", "KFT", "KFT.", "kft.", "Nonprofit Kft.", "Nonprofit Zrt."), True),
    **dict.fromkeys(("Zrt.", "Zrt", "ZRT", "zrt.", "Nyrt.", "Nyrt", "NYRT", "nyrt."), True),
    **dict.fromkeys(
        ("Bt.", "Bt", "BT", "bt.", "Kkt.", "Kkt", "KKT", "kkt.", "Rt.", "RT", "rt.", "Kht."), True
    ),
    **dict.fromkeys(("e.v.", "E.V.", "ev."), False),  # egyéni vállalkozó
    # German (and Austrian)
    **dict.fromkeys(
        ("GmbH", "GMBH", "gGmbH", "mbH", "AG", "KG", "KGaA", "OHG", "oHG", "GbR", "SE", "eG"), True
    ),
    **dict.fromkeys(("UG", "UG (haftungsbeschränkt)", "PartG", "PartG mbB", "e.V."), True),
    **dict.fromkeys(
        ("GmbH & Co. KG", "GmbH & Co. KGaA", "AG & Co. KG", "UG (haftungsbeschränkt) & Co. KG"), True
    ),
    **dict.fromkeys(("e.K.", "e.Kfm.", "e.Kfr."), False),  # eingetragener Kaufmann
    # Estonian: osaühing, aktsiaselts, mittetulundusühing, sihtasutus, tulundus- and usaldusühing
    **dict.fromkeys(("OÜ", "AS", "MTÜ", "SA", "TÜ", "UÜ"), True),
    "FIE": False,  # füüsilisest isikust ettevõtja
    # English, as CRMs everywhere have them
    **dict.fromkeys(("LLC", "L.L.C.", "Ltd", "Ltd.", "LTD", "Limited", "Inc", "Inc.", "INC"), True),
    **dict.fromkeys(("Corp", "Corp.", "PLC", "plc", "LLP"), True),
    # Georgian, written before the name: შეზღუდული პასუხისმგებლობის საზოგადოება (LLC),
    # სააქციო საზოგადოება (JSC), სოლიდარული and კომანდიტური საზოგადოება, ააიპ (a non-profit)
    **dict.fromkeys(("შპს", "სს", "სპს", "კს", "ააიპ"), True),
    **dict.fromkeys(("ი/მ", "ი.მ."), False),  # ინდივიდუალური მეწარმე, a sole trader
}
#: The forms also written before the name: ДОО „Дунав“, JKP „Beograd“, AS „Tallinna Vesi“,
#: შპს „მთის წყარო“ (Georgian's always).
_LEADING: Final = frozenset(
    ("ДОО", "АД", "АДО", "ЈП", "ЈКП", "DOO", "AD", "ADO", "JP", "JKP", "AS", "OÜ", "MTÜ", "SA")
) | frozenset(("შპს", "სს", "სპს", "კს", "ააიპ", "ი/მ", "ი.მ."))
_LONGEST_LEGAL_FORM: Final = max(len(f.split()) for f in LEGAL_FORMS)
#: Double quotes of any language; single ones are apostrophes as often (McDonald's), and stay.
_DOUBLE_QUOTES: Final = frozenset('«»"“”„')


@lru_cache(maxsize=4096)
def company_name(name: str, language: str = "ru") -> str:
    """``"ООО Тест3"`` → "ООО «Тест3»", ``"Рога и Копыта"`` → "«Рога и Копыта»", "ИП Кузнецов" as is.

    Stray spaces are collapsed; an empty name stays empty. See the module
    docstring for the rules. ``language`` is the letter's: ``"sr"`` →
    „Дунав“ д.о.о., ``"hu"`` → Duna Kft., ``"en"`` → as written; a language
    without its own rule quotes as Russian does.
    """
    text = " ".join(name.split())
    if not text or language in _BARE:
        return text
    text = _form_first(unmangled(text, _starts_with_form))
    if language in _ABBREVIATING:
        text = _abbreviated(text)
    if _PERSON.match(text):  # no quotes added to a person's name, but the CRM's straight ones re-marked
        if language in LOCALE_QUOTES:
            return _requoted(text, *LOCALE_QUOTES[language])
        return text if _QUOTES.isdisjoint(text) else _typographic(text, "«", "»")
    if language in LOCALE_QUOTES:
        return _in_language(text, *LOCALE_QUOTES[language], quoting=language in _QUOTING)
    opening, closing = "«", "»"
    if not _QUOTES.isdisjoint(text):
        return _typographic(text, opening, closing)
    form = _ORGANISATION.match(text)
    if form is None:
        return text if _foreign_script(text) else f"{opening}{text}{closing}"
    rest = text[form.end() :].strip()
    return f"{form.group()} {opening}{rest}{closing}" if rest else text


#: Before an initial (Кузнецов Д. С., «А. Б. Групп»): a capital and its full stop, as a word.
_BEFORE_INITIAL: Final = re.compile(r"(?<=\S) (?=[A-ZА-ЯЁ]\.(?:\s|$))")


@lru_cache(maxsize=4096)
def held_together(words: str) -> str:
    """``words`` naming a company ("ООО «Ромашка»", "ИП Кузнецову Д. С.", "„Дунав“ д.о.о.",
    "AS „Tallinna Vesi“") with a no-break space (U+00A0) where a line must not break: after a
    leading legal form, before a trailing one, and before an initial; else as they are.

    Why: Russian typography keeps the form with its name and a surname with its initials, and
    a phone's narrow column wrapped «ООО» alone at a line's end. For the HTML part only (the
    renderer's): the text part keeps plain spaces — it is what a mail client searches, quotes
    in a reply and copies out (a search for «ООО Ромашка» missed the no-break space in some),
    and a plain-text reader's client wraps it as it likes anyway. Pure.
    """
    form = _ORGANISATION.match(words) or _PERSON.match(words)
    split = words.split(" ")
    if form is not None:
        end = form.end()
    elif len(split) > 1 and (split[0] in _LEADING or split[0] in LATIN_LEADING_FORMS):
        end = len(split[0])
    else:
        end = -1
    if 0 < end < len(words) and words[end] == " ":
        words = f"{words[:end]}\u00a0{words[end + 1 :]}"
    for size in range(min(_LONGEST_LEGAL_FORM, len(split) - 1), 0, -1):
        tail = " ".join(split[-size:])
        if tail in LEGAL_FORMS or tail in UZBEK_TRAILING_FORMS:
            cut = len(words) - len(tail) - 1
            if words[cut] == " ":
                words = f"{words[:cut]}\u00a0{tail}"
            break
    return _BEFORE_INITIAL.sub("\u00a0", words)


#: Languages whose letters abbreviate a spelled-out legal form even where no case is asked:
#: Ukrainian, whose letters cannot ask one (``company('genitive')`` declines Russian only) and
#: printed «Товариство з обмеженою відповідальністю «Млин»» where a Russian letter's
#: ``company('genitive')`` says «ТОВ «Млин»».
_ABBREVIATING: Final = frozenset({"uk"})


def _abbreviated(text: str) -> str:
    """``text`` with its leading spelled-out legal form abbreviated
    (:data:`~greeter.company_forms.ABBREVIATIONS`): «Фізична особа-підприємець Коваленко» →
    «ФОП Коваленко»; else as it is."""
    form = _PERSON.match(text) or _ORGANISATION.match(text)
    if form is None:
        return text
    short = ABBREVIATIONS.get(" ".join(form.group().lower().split()))
    rest = text[form.end() :].strip()
    return f"{short} {rest}" if short and rest else text


def _starts_with_form(text: str) -> bool:
    """Whether ``text`` is a legal form of the tables and a name after it: «ООО "Ромашка"»'s inside."""
    form = _ORGANISATION.match(text) or _PERSON.match(text)
    return form is not None and bool(text[form.end() :].strip())


def _in_language(text: str, opening: str, closing: str, quoting: bool) -> str:
    """The name as a letter in :data:`LOCALE_QUOTES`' language writes it: see the module docstring.

    ``quoting`` (Serbian): „Дунав“ д.о.о., ООО „Вектор“, „Дунав“; otherwise bare
    (Duna Kft.). Either way quotes the CRM typed are re-marked the language's way.
    """
    if not quoting or text in LEGAL_FORMS:
        return _requoted(text, opening, closing)
    russian = _ORGANISATION.match(text)
    if russian is not None:
        form, rest, first = russian.group(), text[russian.end() :].strip(), True
    else:
        split = _legal_form(text)
        if split is None:
            return _in_quotes(text, opening, closing)
        form, rest, first = split
        if not LEGAL_FORMS[form]:  # a person trading under his own name
            return _requoted(text, opening, closing)
    if not rest:
        return text
    quoted = _in_quotes(rest, opening, closing)
    return f"{form} {quoted}" if first else f"{quoted} {form}"


def _legal_form(text: str) -> tuple[str, str, bool] | None:
    """``Дунав д.о.о.``, ``Дунав, д.о.о.`` → ("д.о.о.", "Дунав", False); ``ДОО Дунав`` → (…, True); or None.

    The longest :data:`LEGAL_FORMS` spelling at the very end (after a space or a
    comma), or one of :data:`_LEADING` first; the rest must be a name — no stray
    double quote ('Truba 12" d.o.o.' is not split), an apostrophe is a letter's
    (McDonald's d.o.o.) — much as :func:`_is_a_name` asks of a Russian one.
    """
    words = text.split()
    if len(words) > 1 and words[0] in _LEADING:
        return words[0], " ".join(words[1:]), True
    for size in range(min(_LONGEST_LEGAL_FORM, len(words) - 1), 0, -1):
        form = " ".join(words[-size:])
        if form in LEGAL_FORMS:
            rest = " ".join(words[:-size]).rstrip(" ,")
            whole = _DOUBLE_QUOTES.isdisjoint(rest) or (
                rest[0] in _OPENING_QUOTES and rest[-1] in _CLOSING_QUOTES
            )
            return (form, rest, False) if rest and whole else None
    return None


def _opens(char: str, top: str, after_space: bool) -> bool | None:
    """Whether a double quote opens (True) or closes (False) a pair, or None: not a pair at all.

    ``top`` is the innermost open quote ("" for none), ``after_space`` whether the
    quote follows a space, a bracket, an opening quote or nothing. „ always opens;
    « opens, but closes a »…« (Serbian and Hungarian write those too); » closes a
    «, “ a „ (German), ” anything; otherwise a quote after a space opens, and “ or
    " elsewhere closes what is open (English “…”, straight "…").
    """
    if char == "„":
        return True
    if char == "«":
        return top != "»"  # closes »…« (Serbian and Hungarian write that way too), opens otherwise
    if (char == "»" and top == "«") or (char == "“" and top == "„") or (char == "”" and top):
        return False
    if after_space:
        return True
    return False if top and char in '“"' else None


def _in_quotes(name: str, opening: str, closing: str) -> str:
    """„Дунав“; a name the CRM quoted keeps its quotes, re-marked (:func:`_requoted`).

    One in single quotes (‘Вектор’) is left as typed, as a Russian letter leaves
    it: those may be apostrophes; one inside a name (McDonald's) is.
    """
    if len(name) > 1 and name[0] in "‘'" and name[-1] in "’'":
        return name
    if _DOUBLE_QUOTES.isdisjoint(name):
        return f"{opening}{name}{closing}"
    return _requoted(name, opening, closing)


def _requoted(text: str, opening: str, closing: str) -> str:
    """Every pair of double quotes, of whatever language, as ``opening`` and ``closing``; else as typed.

    "…", «…», »…«, “…”, „…“, „…” and ”…” all pair up — nested too: ``ООО "Завод
    "Прогресс""`` → ООО „Завод „Прогресс““ in Serbian (the nesting as typed, as
    the Russian letters have it). Which quote opens and which closes:
    :func:`_opens`. Quotes that do not pair up are not quotes around a name (12"
    pipes) and stay as typed, as :func:`_typographic` leaves them in Russian.
    """
    if _DOUBLE_QUOTES.isdisjoint(text):
        return text
    out: list[str] = []
    stack: list[str] = []
    for i, char in enumerate(text):
        if char not in _DOUBLE_QUOTES:
            out.append(char)
            continue
        after_space = not i or text[i - 1].isspace() or text[i - 1] in "([" or out[-1] == opening
        opens = _opens(char, stack[-1] if stack else "", after_space)
        if opens is None:
            return text
        if opens:
            stack.append(char)
            out.append(opening)
        else:
            stack.pop()
            out.append(closing)
    return "".join(out) if not stack else text


def _typographic(text: str, opening: str, closing: str) -> str:
    """Straight double quotes, as a CRM's plain-text field has them, as the letter's language quotes.

    ``ООО "Вектор; плюс"`` → ООО «Вектор; плюс»; nested, ``ООО "Завод "Прогресс""``
    → ООО «Завод «Прогресс»» (business Russian nests «ёлочки» in «ёлочки»). A quote
    opens after the start, a space, a bracket or an opening quote, and closes
    otherwise; quotes that do not pair up that way are left as typed (a sign of
    something other than a quoted name: 12" pipes), and so are typographic ones —
    but for English “…” and German „…“ in a letter quoting with «»
    (:func:`_curly_to_guillemets`).
    """
    if opening == "«":
        text = _curly_to_guillemets(text)
    if '"' not in text:
        return text
    out: list[str] = []
    depth = 0
    for i, char in enumerate(text):
        if char != '"':
            out.append(char)
            continue
        before = text[i - 1] if i else " "
        if before.isspace() or before in "([" or (out and out[-1] == opening):
            out.append(opening)
            depth += 1
        elif depth:
            out.append(closing)
            depth -= 1
        else:
            return text
    return "".join(out) if depth == 0 else text


def _curly_to_guillemets(text: str) -> str:
    """``ООО “Лебедь”``, ``ООО „Лебедь“`` → ООО «Лебедь»; nested pairs too; unpaired: as typed.

    „ always opens; “ closes a „ (German) and otherwise opens (English); ” closes
    either. Any other sequence is not a pair of quotes around a name, and stays.
    """
    if "“" not in text and "„" not in text and "”" not in text:
        return text
    out: list[str] = []
    stack: list[str] = []
    for char in text:
        if char == "„" or (char == "“" and (not stack or stack[-1] != "„")):
            stack.append(char)
            out.append("«")
        elif char in "“”":
            if not stack:
                return text
            stack.pop()
            out.append("»")
        else:
            out.append(char)
    return "".join(out) if not stack else text


@lru_cache(maxsize=4096)
def company_in(name: str, case: str) -> str:
    """The words naming the client's organisation in a grammatical ``case`` (one of ``COMPANY``'s keys).

    ``"Рога и Копыта"`` → "компании «Рога и Копыта»" (genitive, dative),
    ``"Kats GmbH"`` → "компании Kats GmbH", ``"ООО Тест3"`` → "ООО «Тест3»",
    ``"Общество с ограниченной ответственностью Ромашка"`` → "ООО «Ромашка»",
    ``"ИП Кузнецов Дмитрий Сергеевич"`` → "ИП Кузнецову Дмитрию Сергеевичу" (dative),
    ``"ИП Кузнецов Д. С."`` → "ИП Кузнецов Д. С.", ``"Галерея «Холст»"`` → "галерее
    «Холст»" (dative); an empty name stays empty. Why the legal form or the generic
    noun replaces «компания»: see the module docstring.
    """
    if case not in COMPANY:
        raise ValueError(f"unknown grammatical case {case!r}; expected one of: {', '.join(COMPANY)}")
    text = " ".join(name.split())
    if not text:
        return ""
    text = _form_first(unmangled(text, _starts_with_form))
    form = _PERSON.match(text) or _ORGANISATION.match(text)
    if form is None and _latin_led(text):
        return company_name(text)
    if form is None:
        quoted = company_name(text)
        return _generic_in(quoted, case) or f"{COMPANY[case]} {quoted}"
    short = ABBREVIATIONS.get(" ".join(form.group().lower().split()), form.group())
    rest = text[form.end() :].strip()
    if short == "ИП" and rest:  # straight quotes re-marked, as company_name does: ИП «Оглы»
        declined = f"ИП {_entrepreneur_in(rest, case)}"
        return declined if _QUOTES.isdisjoint(declined) else _typographic(declined, "«", "»")
    return company_name(f"{short} {rest}" if rest else short)


def _latin_led(text: str) -> bool:
    """A name led by a foreign legal form (:data:`LATIN_LEADING_FORMS`), or ended by an Uzbek one
    (:data:`UZBEK_TRAILING_FORMS`): written as registered, the form standing for «компании»."""
    if " " not in text:
        return False
    return text.split(" ", 1)[0] in LATIN_LEADING_FORMS or text.rsplit(" ", 1)[1] in UZBEK_TRAILING_FORMS


def looks_up_words(name: str | None) -> bool:
    """Whether :func:`company_in` asks the dictionary about ``name`` (Галерея «Холст»: a phrase before one
    quoted name, no legal form), in any case — the route it takes, without the lookup.

    Why: the dictionary (:func:`greeter.russian_morph.analyser`, ~0.1 s) is loaded on a
    letter's first need. :meth:`greeter.render.Renderer.warm` renders, before the build
    workers fork, one letter of such a company per template and locale, so that it is
    loaded there once, not once in every worker.
    """
    if not name or ("«" not in name and '"' not in name and "„" not in name and "“" not in name):
        return False  # no quoted name (company_name writes every quote it turns into «…» from these)
    text = _form_first(unmangled(" ".join(name.split()), _starts_with_form))
    if _PERSON.match(text) or _ORGANISATION.match(text) or _latin_led(text):
        return False
    return _generic_match(company_name(text)) is not None


#: A word of a full name: Cyrillic, capitalised, maybe hyphenated (Петрова-Водкина); no initials.
#: (Patterns here are compiled on first use, by re's own cache: most runs never need them.)
_NAME_WORD: Final = r"[А-ЯЁ][А-ЯЁа-яё]*(?:-[А-ЯЁ][А-ЯЁа-яё]*)*"


#: «Кузнецов Д. С.», «Кузнецов Д.С.», «Кузнецов Д.»: a surname, then one or two initials.
_SURNAME_INITIALS: Final = rf"(?P<last>{_NAME_WORD}) (?P<initials>[А-ЯЁ]\.(?: ?[А-ЯЁ]\.)?)"


#: A surname alone whose ending says the gender (Козлов, Козлова, Петрова-Водкина, Вяземский): no
#: initials after it say it is a person's, so only the endings of Russian surnames are declined —
#: Шевчук, Ким, a word such as Ромашка stay as registered.
_GENDERED_SURNAME: Final = (
    r"(?:[А-ЯЁ][а-яё]*(?:[оеё]в|[иы]н|[сц]к(?:ий|ой))(?:а|ая)?-)?"
    r"[А-ЯЁ][а-яё]*(?:[оеё]в|[иы]н)а?|[А-ЯЁ][а-яё]*[сц]к(?:ий|ой|ая)"
)


def _entrepreneur_in(name: str, case: str) -> str:
    """«Ковальчук Николай Ильич» in ``case`` (Ковальчуку Николаю Ильичу), or as registered.

    Declined by :func:`greeter.addressing.decline` as a full «Фамилия Имя
    Отчество» whose patronymic gives the gender; or, with initials or none (ИП
    Козлов), the surname alone, by the gender its own ending tells (pytrovich's detector: Кузнецов,
    Волкова) — «команду ИП Кузнецова Д. С.», «Вам и ИП Волковой М. А.», as
    Russian declines a person's name after «ИП» (Грамота.ру: «договор с ИП
    Ивановым»); a surname whose ending tells no gender and declines differently
    for the two (Шевчук, Ким: «Шевчуку» or «Шевчук») stays as registered. A
    missing or Turkic patronymic, another script: as registered, which reads as
    a name, not an error.
    """
    if case == "nominative":
        return name
    initials = re.fullmatch(_SURNAME_INITIALS, name)
    if initials is not None:
        person = Contact(id="", email=None, last_name=initials["last"])
        return f"{decline(person, case, parts='last')} {initials['initials']}"
    if re.fullmatch(_GENDERED_SURNAME, name):  # alone: «ИП Козлов» → «а ИП Козлову — процветания»
        return decline(Contact(id="", email=None, last_name=name), case, parts="last")
    words = name.split()
    if len(words) != 3 or not all(re.fullmatch(_NAME_WORD, w) for w in words):
        return name
    last, first, patronymic = words
    person = Contact(id="", email=None, first_name=first, patronymic=patronymic, last_name=last)
    if gender_of(person) is Gender.UNKNOWN:
        return name
    return f"{decline(person, case, parts='last')} {decline(person, case, parts='first_patronymic')}"


# --------------------------------------------------------------------------- generic nouns

#: A phrase of Cyrillic words, then one name in guillemets to the end: Группа компаний «Самолёт».
_GENERIC: Final = (
    r"(?P<phrase>[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*(?: [А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*){0,3}) (?P<name>«.+»)"
)


def _one_quoted_name(name: str) -> bool:
    """«Холст», «Завод «Прогресс»» — not «Холст» и «Мольберт»: the first « closes at the end."""
    depth = 0
    for i, char in enumerate(name):
        depth += (char == "«") - (char == "»")
        if depth == 0 and i != len(name) - 1:
            return False
    return depth == 0


def _generic_match(quoted: str) -> re.Match[str] | None:
    """A phrase of Cyrillic words before one quoted name (:data:`_GENERIC`), in ``quoted`` as
    :func:`company_name` writes it; None for anything else."""
    match = re.fullmatch(_GENERIC, quoted)
    return match if match is not None and _one_quoted_name(match["name"]) else None


def _generic_in(quoted: str, case: str) -> str | None:
    """``Галерея «Холст»`` (as :func:`company_name` writes it) → "галерее «Холст»" (dative), or None.

    None unless the words before the quoted name are a common noun phrase the
    dictionary is sure of (:func:`_declined_phrase`): then «компании» is not said.
    """
    match = _generic_match(quoted)
    if match is None:
        return None
    phrase = _declined_phrase(tuple(match["phrase"].split()), case)
    return None if phrase is None else f"{phrase} {match['name']}"


@lru_cache(maxsize=1024)
def _declined_phrase(words: tuple[str, ...], case: str) -> str | None:
    """Agreeing adjectives, the head noun, its genitive complements: in ``case``, lower case; or None.

    The head is the first word with a nominative singular noun reading; it must
    be inanimate, of one gender and decline one way whatever the reading. The
    words before it must be adjectives (or participles) agreeing with it, the
    words after it must have a genitive reading and stay as written. Any doubt
    is None: the caller says «компании» and leaves the name as registered.
    """
    readings = [common_readings(word) for word in words]
    if not all(readings):
        return None
    head = next(
        (i for i, parses in enumerate(readings) if any(_noun_nominative(p) for p in parses)),
        None,
    )
    if head is None:
        return None
    nouns = [p for p in readings[head] if _noun_nominative(p)]
    genders = {p.tag.gender for p in nouns}
    if len(genders) != 1 or any(p.tag.animacy != "inan" for p in nouns):
        return None
    gender, grammeme = genders.pop(), GRAMMEME[case]
    noun = inflected(nouns, {"sing", grammeme})
    wanted = {"sing", gender, grammeme} | ({"inan"} if gender == "masc" and grammeme == "accs" else set())
    adjectives = [
        inflected(
            [
                p
                for p in parses
                if p.tag.POS in ("ADJF", "PRTF") and {"sing", "nomn", gender} <= p.tag.grammemes
            ],
            wanted,
        )
        for parses in readings[:head]
    ]
    complements_ok = all(any("gent" in p.tag.grammemes for p in parses) for parses in readings[head + 1 :])
    if noun is None or None in adjectives or not complements_ok:
        return None
    return " ".join([*(a for a in adjectives if a), noun, *(w.lower() for w in words[head + 1 :])])


def _noun_nominative(parse: Any) -> bool:
    return bool(parse.tag.POS == "NOUN" and {"sing", "nomn"} <= parse.tag.grammemes)
