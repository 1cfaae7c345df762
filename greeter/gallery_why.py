"""The planner's skip sentences in a German, Estonian, Hungarian, Serbian, Croatian or Bosnian gallery.

Why: the planner explains each skip in English (``only 6 days from the
greeting of 2026-12-30 (min_gap_days 14)``) — the words of the command line,
the JSON, the journal and the logs, which operators grep, and which stay so.
A German team's gallery read «übersprungen: Häufigkeitslimit» on the badge and
then an English sentence under it. Its cards now say the sentence in the
gallery's language; the planner's own stays in the badge's tooltip.

How: each sentence the planner writes is one *form* (:data:`FORMS`: a key and
the pattern of its English, whose named groups are its values), and each
language is a table of those keys (:data:`SENTENCES`), ``{name}`` where a value
goes. A value is said by its group's name: ``date…`` a day in the language's
date (:meth:`greeter.gallery_lang.Ui.short_date`), ``days…`` a count with the
language's plural (``{days}`` with the table's ``days.forms``, ``{days:Tag|Tagen}``
with the forms a phrase needs — German «innerhalb von 365 Tagen» takes the
dative), ``years…`` an age (:meth:`~greeter.gallery_lang.Ui.years`),
``occasion…`` the occasion's title, ``state`` a journal state (``state.*``),
``then…`` a sentence of its own, said the same way; any other group as the
planner wrote it (a setting, a list of tags). A sentence whose form, or a part
of it, a table lacks is shown as the planner wrote it: better English than a
guess, and never half of each.

Serbian Latin is the Cyrillic table's sentence transliterated, with the values
in it (an occasion's Cyrillic title), as the Latin team's letters are.

Russian has its own, older translator (:func:`greeter.gallery_words.russian_detail`),
which also words the contacts loader's sentences about a bad date cell.

Pure: patterns and tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from greeter.gallery_lang_hr import bosnian
from greeter.i18n import plural
from greeter.serbian_script import to_latin

if TYPE_CHECKING:
    from greeter.gallery_lang import Ui

__all__ = ["FORMS", "SENTENCES", "table_detail"]

_DATE: Final = r"\d{4}-\d{2}-\d{2}"
_DAY: Final = r"\d\d\.\d\d"


def _carry(side: str, setting: str) -> str:
    """The pattern of "the birthday letter of 2026-12-30 would carry it 5 days after its day (…)"."""
    return (
        rf"the (?P<occasion>\w+) letter of (?P<date>{_DATE}) would carry it (?P<days>\d+) days?"
        rf" {side} its day \((?P<setting>merge_max_days_{setting}) (?P<n>\d+)\)"
    )


#: Each planner sentence's form: its key and its English, whole (tried in order: the longer first).
FORMS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        # the audience (greeter.audience.AudienceRule.why_not)
        ("tier_none", r"tier '\(none\)' is not one of: (?P<list>.*)"),
        ("tier", r"tier '(?P<tier>.*)' is not one of: (?P<list>.*)"),
        ("tags_none", r"has none of the tags (?P<list>.*) \(the contact's tags: none\)"),
        ("tags", r"has none of the tags (?P<list>.*) \(the contact's tags: (?P<tags>.*)\)"),
        ("contacts", r"not one of the audience's contacts"),
        (
            "needs_years",
            r"(?P<setting>round_years|min_years) needs years to count, and this occasion has none",
        ),
        ("country", r"the client's country (?P<country>.*) is not one of: (?P<list>.*)"),
        ("locale", r"the letter's locale (?P<locale>.*) is not one of: (?P<list>.*)"),
        ("round_years", r"(?P<years>\d+) years is not a multiple of (?P<n>\d+) \(round_years\)"),
        ("min_years", r"(?P<years>\d+) years is fewer than (?P<n>\d+) \(min_years\)"),
        # the journal and the do-not-contact list (greeter.planner, greeter.suppression)
        ("journal", r"the journal already has this greeting \((?P<state>\w+)\)(?:[: ].*)?"),
        ("crm_do_not_contact", r"the CRM marks this contact do-not-contact \(column «(?P<column>.*)»\)"),
        ("do_not_contact", r"(?P<who>.*) is on the do-not-contact list"),
        ("no_email", r"the contact has no e-mail address"),
        # the frequency cap and merging (greeter.policy)
        (
            "too_close",
            rf"only (?P<days>\d+) days? from the greeting of (?P<date>{_DATE}) \(min_gap_days (?P<gap>\d+)\)",
        ),
        (
            "max_count",
            r"would be greeting no\. (?P<n>\d+) within (?P<days>\d+) days \(max_count (?P<max>\d+)\)",
        ),
        ("on_its_day", rf"on its day (?P<date>{_DATE}): (?P<then>.*)"),
        ("carry_after_alone", rf"{_carry('after', 'late')}; alone it would come (?P<then>.*)"),
        ("carry_before_alone", rf"{_carry('before', 'early')}; alone it would come (?P<then>.*)"),
        ("carry_after", _carry("after", "late")),
        ("carry_before", _carry("before", "early")),
        # expiry (greeter.planner)
        ("expired_then", r"more than (?P<days>\d+) days ago; (?P<then>.*)"),
        ("expired", r"more than (?P<days>\d+) days ago"),
        (
            "expired_after",
            rf"more than (?P<days>\d+) days after (?P<day>{_DAY}), the day it was meant to leave",
        ),
        (
            "missed_for",
            rf"missed; the next window \((?P<next>{_DAY})\) is more than (?P<days>\d+) days after"
            rf" (?P<day>{_DAY}), the day it was meant for",
        ),
        (
            "missed_leave",
            rf"missed; the next window \((?P<next>{_DAY})\) is more than (?P<days>\d+) days after"
            rf" (?P<day>{_DAY}), the day it was meant to leave",
        ),
    )
)

#: German (the tables' keys are :data:`FORMS`' and ``days.forms``, ``state.*``).
GERMAN: Final[Mapping[str, str]] = {
    "days.forms": "Tag|Tage",
    "state.sent": "versendet",
    "state.claimed": "wird versendet",
    "state.retry": "wartet auf erneuten Versand",
    "state.failed": "vom Server abgelehnt",
    "state.uncertain": "nicht bestätigt",
    "state.skipped": "übersprungen",
    "state.expired": "abgelaufen",
    "tier_none": "der Kontakt hat keine Kategorie, nötig ist eine von: {list}",
    "tier": "die Kategorie „{tier}“ ist keine von: {list}",
    "tags_none": "keines der Tags {list} (der Kontakt hat keine Tags)",
    "tags": "keines der Tags {list} (Tags des Kontakts: {tags})",
    "contacts": "nicht in der Kontaktliste dieses Anlasses (audience.contacts)",
    "needs_years": "{setting} zählt Jahre, dieser Anlass hat aber keine",
    "country": "das Land des Kunden, {country}, ist keines von: {list}",
    "locale": "die Sprache der Nachricht, {locale}, ist keine von: {list}",
    "round_years": "{years} – kein runder Jahrestag (Vielfache von {n}: round_years)",
    "min_years": "{years} – weniger als {n} (min_years)",
    "journal": "dieser Glückwunsch steht bereits im Versandprotokoll ({state})",
    "crm_do_not_contact": "laut CRM darf der Kontakt nicht angeschrieben werden (Spalte „{column}“)",
    "do_not_contact": "{who} steht auf der Sperrliste",
    "no_email": "der Kontakt hat keine E-Mail-Adresse",
    "too_close": "nur {days} Abstand zum Glückwunsch vom {date} (min_gap_days {gap})",
    "max_count": "wäre Glückwunsch Nr. {n} innerhalb von {days:Tag|Tagen} (max_count {max})",
    "on_its_day": "an seinem eigenen Tag ({date}): {then}",
    "carry_after_alone": (
        "die Nachricht „{occasion}“ vom {date} brächte den Glückwunsch {days} nach seinem Tag"
        " ({setting} {n}); als eigene Nachricht: {then}"
    ),
    "carry_before_alone": (
        "die Nachricht „{occasion}“ vom {date} brächte den Glückwunsch {days} vor seinem Tag"
        " ({setting} {n}); als eigene Nachricht: {then}"
    ),
    "carry_after": (
        "die Nachricht „{occasion}“ vom {date} brächte den Glückwunsch {days} nach seinem Tag ({setting} {n})"
    ),
    "carry_before": (
        "die Nachricht „{occasion}“ vom {date} brächte den Glückwunsch {days} vor seinem Tag ({setting} {n})"
    ),
    "expired_then": "der Tag des Anlasses liegt mehr als {days} zurück; {then}",
    "expired": "der Tag des Anlasses liegt mehr als {days} zurück",
    "expired_after": "mehr als {days} nach dem {day}, dem Tag, an dem die Nachricht versendet werden sollte",
    "missed_for": (
        "verpasst: das nächste Versandfenster ({next}) liegt mehr als {days} nach dem {day},"
        " dem Tag, für den die Nachricht bestimmt war"
    ),
    "missed_leave": (
        "verpasst: das nächste Versandfenster ({next}) liegt mehr als {days} nach dem {day},"
        " dem Tag, an dem die Nachricht versendet werden sollte"
    ),
}

#: Estonian: «üle 3 päeva», «365 päeva jooksul» take the partitive or the genitive, «päeva» in both.
ESTONIAN: Final[Mapping[str, str]] = {
    "days.forms": "päev|päeva",
    "state.sent": "saadetud",
    "state.claimed": "saatmisel",
    "state.retry": "ootab uuesti saatmist",
    "state.failed": "server keeldus",
    "state.uncertain": "kinnitamata",
    "state.skipped": "vahele jäetud",
    "state.expired": "aegunud",
    "tier_none": "kontaktil pole kategooriat, vaja on üht neist: {list}",
    "tier": "kategooria „{tier}“ ei ole üks neist: {list}",
    "tags_none": "pole ühtegi silti {list} (kontaktil silte pole)",
    "tags": "pole ühtegi silti {list} (kontakti sildid: {tags})",
    "contacts": "ei ole selle tähtpäeva kontaktide loendis (audience.contacts)",
    "needs_years": "{setting} loeb aastaid, aga sellel tähtpäeval neid pole",
    "country": "kliendi riik {country} ei ole üks neist: {list}",
    "locale": "kirja keel {locale} ei ole üks neist: {list}",
    "round_years": "{years} – pole ümmargune tähtpäev (arvu {n} kordne: round_years)",
    "min_years": "{years} – vähem kui {n} (min_years)",
    "journal": "see õnnitlus on juba saatmislogis ({state})",
    "crm_do_not_contact": "CRM-i järgi ei tohi kontaktile kirjutada (veerg „{column}“)",
    "do_not_contact": "{who} on keelunimekirjas",
    "no_email": "kontaktil pole e-posti aadressi",
    "too_close": "vahe õnnitlusega {date} on vaid {days} (min_gap_days {gap})",
    "max_count": "oleks {n}. õnnitlus {days:päeva|päeva} jooksul (max_count {max})",
    "on_its_day": "oma päeval ({date}): {then}",
    "carry_after_alone": (
        "kiri „{occasion}“ ({date}) viiks õnnitluse {days:päeva|päeva} pärast selle päeva ({setting} {n});"
        " eraldi kirjana: {then}"
    ),
    "carry_before_alone": (
        "kiri „{occasion}“ ({date}) viiks õnnitluse {days:päeva|päeva} enne selle päeva ({setting} {n});"
        " eraldi kirjana: {then}"
    ),
    "carry_after": (
        "kiri „{occasion}“ ({date}) viiks õnnitluse {days:päeva|päeva} pärast selle päeva ({setting} {n})"
    ),
    "carry_before": (
        "kiri „{occasion}“ ({date}) viiks õnnitluse {days:päeva|päeva} enne selle päeva ({setting} {n})"
    ),
    "expired_then": "tähtpäevast on möödunud üle {days:päeva|päeva}; {then}",
    "expired": "tähtpäevast on möödunud üle {days:päeva|päeva}",
    "expired_after": "üle {days:päeva|päeva} pärast kuupäeva {day}, mil kiri pidi välja minema",
    "missed_for": (
        "vahele jäänud: järgmine saatmisaken ({next}) on üle {days:päeva|päeva} pärast kuupäeva {day},"
        " mille jaoks kiri oli mõeldud"
    ),
    "missed_leave": (
        "vahele jäänud: järgmine saatmisaken ({next}) on üle {days:päeva|päeva} pärast kuupäeva {day},"
        " mil kiri pidi välja minema"
    ),
}

#: Hungarian: a noun after a number stays singular («3 nap»), «nappal» where a phrase wants it.
HUNGARIAN: Final[Mapping[str, str]] = {
    "days.forms": "nap|nap",
    "state.sent": "elküldve",
    "state.claimed": "küldés alatt",
    "state.retry": "újraküldésre vár",
    "state.failed": "a szerver elutasította",
    "state.uncertain": "nem megerősített",
    "state.skipped": "kihagyva",
    "state.expired": "lejárt",
    "tier_none": "a kontaktnak nincs kategóriája, ezek egyike kell: {list}",
    "tier": "a kategória („{tier}”) nem ezek egyike: {list}",
    "tags_none": "egyik címke sincs meg ezek közül: {list} (a kontaktnak nincs címkéje)",
    "tags": "egyik címke sincs meg ezek közül: {list} (a kontakt címkéi: {tags})",
    "contacts": "nincs az alkalom kontaktlistáján (audience.contacts)",
    "needs_years": "a(z) {setting} éveket számol, de ennél az alkalomnál nincs évszám",
    "country": "az ügyfél országa ({country}) nem ezek egyike: {list}",
    "locale": "a levél nyelve ({locale}) nem ezek egyike: {list}",
    "round_years": "{years} – nem kerek évforduló ({n} többszöröse kell: round_years)",
    "min_years": "{years} – kevesebb mint {n} (min_years)",
    "journal": "ez az üdvözlet már szerepel a küldési naplóban ({state})",
    "crm_do_not_contact": "a CRM szerint a kontaktnak nem szabad írni („{column}” oszlop)",
    "do_not_contact": "{who} tiltólistán van",
    "no_email": "a kontaktnak nincs e-mail-címe",
    "too_close": "csak {days} választja el egy másik üdvözlettől ({date}; min_gap_days {gap})",
    "max_count": "ez lenne a(z) {n}. üdvözlet {days} alatt (max_count {max})",
    "on_its_day": "a saját napján ({date}): {then}",
    "carry_after_alone": (
        "a(z) „{occasion}” levél ({date}) {days:nappal|nappal} az alkalom napja után vinné ({setting} {n});"
        " külön levélként: {then}"
    ),
    "carry_before_alone": (
        "a(z) „{occasion}” levél ({date}) {days:nappal|nappal} az alkalom napja előtt vinné ({setting} {n});"
        " külön levélként: {then}"
    ),
    "carry_after": (
        "a(z) „{occasion}” levél ({date}) {days:nappal|nappal} az alkalom napja után vinné ({setting} {n})"
    ),
    "carry_before": (
        "a(z) „{occasion}” levél ({date}) {days:nappal|nappal} az alkalom napja előtt vinné ({setting} {n})"
    ),
    "expired_then": "az alkalom napja óta több mint {days} telt el; {then}",
    "expired": "az alkalom napja óta több mint {days} telt el",
    "expired_after": "több mint {days} telt el a levél tervezett kiküldési napja ({day}) óta",
    "missed_for": (
        "elmaradt: a következő küldési ablak ({next}) több mint {days:nappal|nappal} később van,"
        " mint a nap, amelyre a levél szólt ({day})"
    ),
    "missed_leave": (
        "elmaradt: a következő küldési ablak ({next}) több mint {days:nappal|nappal} később van,"
        " mint a levél tervezett kiküldési napja ({day})"
    ),
}

#: Serbian (Cyrillic; the Latin is this transliterated): «у року од 365 дана», «више од 1 дана»:
#: the genitive.
SERBIAN: Final[Mapping[str, str]] = {
    "days.forms": "дан|дана|дана",
    "state.sent": "послато",
    "state.claimed": "шаље се",
    "state.retry": "чека поновно слање",
    "state.failed": "сервер је одбио",
    "state.uncertain": "непотврђено",
    "state.skipped": "прескочено",
    "state.expired": "истекло",
    "tier_none": "контакт нема категорију, потребна је једна од: {list}",
    "tier": "категорија „{tier}“ није међу: {list}",
    "tags_none": "нема ниједну од ознака {list} (контакт нема ознаке)",
    "tags": "нема ниједну од ознака {list} (ознаке контакта: {tags})",
    "contacts": "није на списку контаката овог повода (audience.contacts)",
    "needs_years": "{setting} броји године, а овај повод их нема",
    "country": "земља клијента {country} није међу: {list}",
    "locale": "језик писма {locale} није међу: {list}",
    "round_years": "{years} – није округли јубилеј (умножак броја {n}: round_years)",
    "min_years": "{years} – мање од {n} (min_years)",
    "journal": "ова честитка је већ у дневнику слања ({state})",
    "crm_do_not_contact": "према CRM-у контакту се не пише (колона „{column}“)",
    "do_not_contact": "{who} је на листи искључених",
    "no_email": "контакт нема адресу е-поште",
    "too_close": "само {days} од честитке {date} (min_gap_days {gap})",
    "max_count": "била би {n}. честитка у року од {days:дана|дана|дана} (max_count {max})",
    "on_its_day": "на свој дан ({date}): {then}",
    "carry_after_alone": (
        "писмо „{occasion}“ ({date}) однело би честитку {days} после њеног дана ({setting} {n});"
        " као засебно писмо: {then}"
    ),
    "carry_before_alone": (
        "писмо „{occasion}“ ({date}) однело би честитку {days} пре њеног дана ({setting} {n});"
        " као засебно писмо: {then}"
    ),
    "carry_after": "писмо „{occasion}“ ({date}) однело би честитку {days} после њеног дана ({setting} {n})",
    "carry_before": "писмо „{occasion}“ ({date}) однело би честитку {days} пре њеног дана ({setting} {n})",
    "expired_then": "од дана повода прошло је више од {days:дана|дана|дана}; {then}",
    "expired": "од дана повода прошло је више од {days:дана|дана|дана}",
    "expired_after": "прошло је више од {days:дана|дана|дана} од {day}, дана када је писмо требало да оде",
    "missed_for": (
        "пропуштено: следећи термин слања ({next}) је више од {days:дана|дана|дана} после {day},"
        " дана за који је писмо намењено"
    ),
    "missed_leave": (
        "пропуштено: следећи термин слања ({next}) је више од {days:дана|дана|дана} после {day},"
        " дана када је писмо требало да оде"
    ),
}

#: Croatian: ijekavian, with Croatian's words (:mod:`greeter.gallery_lang_hr`); Bosnian: it in Bosnian's.
CROATIAN: Final[Mapping[str, str]] = {
    "days.forms": "dan|dana|dana",
    "state.sent": "poslano",
    "state.claimed": "šalje se",
    "state.retry": "čeka ponovno slanje",
    "state.failed": "poslužitelj je odbio",
    "state.uncertain": "nepotvrđeno",
    "state.skipped": "preskočeno",
    "state.expired": "isteklo",
    "tier_none": "kontakt nema kategoriju, potrebna je jedna od: {list}",
    "tier": "kategorija „{tier}” nije među: {list}",
    "tags_none": "nema nijednu od oznaka {list} (kontakt nema oznaka)",
    "tags": "nema nijednu od oznaka {list} (oznake kontakta: {tags})",
    "contacts": "nije na popisu kontakata ovog povoda (audience.contacts)",
    "needs_years": "{setting} broji godine, a ovaj povod ih nema",
    "country": "zemlja klijenta {country} nije među: {list}",
    "locale": "jezik pisma {locale} nije među: {list}",
    "round_years": "{years} – nije okrugla obljetnica (višekratnik broja {n}: round_years)",
    "min_years": "{years} – manje od {n} (min_years)",
    "journal": "ova je čestitka već u dnevniku slanja ({state})",
    "crm_do_not_contact": "prema CRM-u kontaktu se ne piše (stupac „{column}”)",
    "do_not_contact": "{who} je na popisu isključenih",
    "no_email": "kontakt nema adresu e-pošte",
    "too_close": "samo {days} od čestitke {date} (min_gap_days {gap})",
    "max_count": "bila bi {n}. čestitka u roku od {days:dana|dana|dana} (max_count {max})",
    "on_its_day": "na svoj dan ({date}): {then}",
    "carry_after_alone": (
        "pismo „{occasion}” ({date}) odnijelo bi čestitku {days} nakon njezina dana ({setting} {n});"
        " kao zasebno pismo: {then}"
    ),
    "carry_before_alone": (
        "pismo „{occasion}” ({date}) odnijelo bi čestitku {days} prije njezina dana ({setting} {n});"
        " kao zasebno pismo: {then}"
    ),
    "carry_after": (
        "pismo „{occasion}” ({date}) odnijelo bi čestitku {days} nakon njezina dana ({setting} {n})"
    ),
    "carry_before": (
        "pismo „{occasion}” ({date}) odnijelo bi čestitku {days} prije njezina dana ({setting} {n})"
    ),
    "expired_then": "od dana povoda prošlo je više od {days:dana|dana|dana}; {then}",
    "expired": "od dana povoda prošlo je više od {days:dana|dana|dana}",
    "expired_after": "prošlo je više od {days:dana|dana|dana} od {day}, dana kada je pismo trebalo otići",
    "missed_for": (
        "propušteno: sljedeći termin slanja ({next}) više je od {days:dana|dana|dana} nakon {day},"
        " dana za koji je pismo namijenjeno"
    ),
    "missed_leave": (
        "propušteno: sljedeći termin slanja ({next}) više je od {days:dana|dana|dana} nakon {day},"
        " dana kada je pismo trebalo otići"
    ),
}

#: The tables by the gallery's language (:attr:`greeter.gallery_lang.Ui.tag`); ``sr-Latn`` reads
#: Serbian's, transliterated (see the module's doc).
SENTENCES: Final[Mapping[str, Mapping[str, str]]] = {
    "de": GERMAN,
    "et": ESTONIAN,
    "hu": HUNGARIAN,
    "sr": SERBIAN,
    "sr-Latn": SERBIAN,
    "hr": CROATIAN,
    "bs": {key: bosnian(text) for key, text in CROATIAN.items()},
}


@dataclass(frozen=True, slots=True)
class _Count:
    """A number of days and its plural: ``{days}`` in ``days.forms``, ``{days:Tag|Tagen}`` in these."""

    n: int
    forms: str
    locale: str

    def __format__(self, spec: str) -> str:
        return f"{self.n} {plural(self.n, spec or self.forms, self.locale)}"


class _Unknown(Exception):
    """A part of the sentence the table has no words for: the whole stays as the planner wrote it."""


def _say(sentence: str, table: Mapping[str, str], ui: Ui, title: Callable[[str], str]) -> str:
    """``sentence`` in ``table``'s words; :class:`_Unknown` when its form, or a part of it, is not there."""
    for key, pattern in FORMS:
        if (m := pattern.fullmatch(sentence)) is not None and key in table:
            return table[key].format(
                **{name: _value(name, text, table, ui, title) for name, text in m.groupdict().items()}
            )
    raise _Unknown(sentence)


def _value(name: str, text: str, table: Mapping[str, str], ui: Ui, title: Callable[[str], str]) -> object:
    """One of the sentence's values as the language says it (by its group's name: the module's doc)."""
    if name.startswith("date"):
        return ui.short_date(date.fromisoformat(text))
    if name.startswith("days"):
        return _Count(int(text), table["days.forms"], ui.locale)
    if name.startswith("years"):
        return ui.years(int(text))
    if name.startswith("occasion"):
        return title(text)
    if name == "state":
        if (said := table.get(f"state.{text}")) is None:
            raise _Unknown(text)
        return said
    if name.startswith("then"):
        return _say(text, table, ui, title)
    return text


def table_detail(sentence: str | None, titles: Mapping[str, str], ui: Ui) -> str | None:
    """The planner's ``sentence`` in ``ui``'s language, by its table; as written when it has none for it."""
    table = SENTENCES.get(ui.tag)
    if not sentence or table is None:
        return sentence
    try:
        said = _say(sentence, table, ui, lambda name: titles.get(name, name))
    except _Unknown:
        return sentence
    return to_latin(said) if ui.tag == "sr-Latn" else said
