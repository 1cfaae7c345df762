"""The planner's skip sentences in the German … Georgian galleries (de, et, hu, sr, hr, bs, uk, ka).

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
date (:meth:`greeter.gallery_lang.Ui.short_date`), ``day`` and ``next`` a day of
the year (the planner's «24.12»: the language's «24.12.», «dec. 24.», «24. 12.»,
:meth:`~greeter.gallery_lang.Ui.day_month`), ``days…`` a count with the
language's plural (``{days}`` with the table's ``days.forms``, ``{days:Tag|Tagen}``
with the forms a phrase needs — German «innerhalb von 365 Tagen» takes the
dative), ``years…`` an age (:meth:`~greeter.gallery_lang.Ui.years`),
``occasion…`` the occasion's title, ``state`` a journal state (``state.*``),
``then…`` a sentence of its own, said the same way; ``leaving`` the day a belated
letter now leaves, in the table's ``leaving`` words (a clause put after the letter's day,
empty for a letter on time); any other group as the
planner wrote it (a setting, a list of tags). A sentence whose form, or a part
of it, a table lacks is shown as the planner wrote it: better English than a
guess, and never half of each.

Serbian Latin is the Cyrillic table's sentence transliterated, with the values
in it (an occasion's Cyrillic title), as the Latin team's letters are.

The contacts loader's sentences about a bad cell (an ``invalid_contact``
card: a date that is no date, a birthday in the future or giving too few or
too many years) are forms too (:data:`greeter.contact_forms.CONTACT_FORMS`,
shared with Russian's translator), worded in :mod:`greeter.gallery_why_contacts`.

Russian has its own, older translator (:func:`greeter.gallery_words.russian_detail`).

Pure: patterns and tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from babel.dates import get_month_names

from greeter import gallery_why_contacts as contacts
from greeter.contact_forms import CONTACT_FORMS, MONTHS_EN, spoken_day
from greeter.gallery_lang_hr import bosnian
from greeter.gallery_why_ka import GEORGIAN
from greeter.gallery_why_uk import UKRAINIAN
from greeter.i18n import plural
from greeter.serbian_script import to_latin

if TYPE_CHECKING:
    from greeter.gallery_lang import Ui

__all__ = ["FORMS", "SENTENCES", "table_detail"]

_DATE: Final = r"\d{4}-\d{2}-\d{2}"
_DAY: Final = r"\d\d\.\d\d"
#: The groups that are a day of the year as the planner writes it (``_DAY``: «24.12», no year).
_DAYS_OF_YEAR: Final = frozenset({"day", "next"})
#: The year a day of the year is read in: any, but one with a 29 February.
_LEAP_YEAR: Final = 2000


def _carry(side: str, setting: str) -> str:
    """The pattern of "the birthday letter of 2026-12-30 would carry it 5 days after its day (…)";
    a belated letter's also says the day it now leaves (``leaving``: the table's ``leaving``)."""
    return (
        rf"the (?P<occasion>\w+) letter of (?P<date>{_DATE})"
        rf"(?: \(belated: now leaving (?P<leaving>{_DATE})\))? would carry it (?P<days>\d+) days?"
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
        # the journal and the do-not-contact list (greeter.precheck, greeter.planner, greeter.suppression)
        ("journal", r"the journal already has this greeting \((?P<state>\w+)\)(?:[: ].*)?"),
        ("crm_do_not_contact", r"the CRM marks this contact do-not-contact \(column «(?P<column>.*)»\)"),
        (
            "bounced",
            rf"(?P<who>\S+) bounced on (?P<date>{_DATE}) \(the server said: (?P<reply>.*)\);"
            r" it is not written to again",
        ),
        ("do_not_contact", r"(?P<who>.*) is on the do-not-contact list"),
        ("no_email", r"the contact has no e-mail address"),
        # the frequency cap and merging (greeter.cap_rules, greeter.policy)
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
        # an expiry the journal holds (greeter.preview.journal_expiries) and its why
        (
            "journal_expired_then",
            r"the journal recorded it as expired: past its catch-up period, it was never sent; (?P<then>.*)",
        ),
        (
            "journal_expired",
            r"the journal recorded it as expired: past its catch-up period, it was never sent",
        ),
        (
            "quota_held",
            rf"the daily quota \(delivery\.rate_limit\.per_day\) held it back on (?P<day>{_DAY})"
            r" until its catch-up period ended",
        ),
        # the contacts loader's, about a bad cell (greeter.contact_forms)
        *CONTACT_FORMS,
    )
)

#: German (the tables' keys are :data:`FORMS`' and ``days.forms``, ``state.*``).
GERMAN: Final[Mapping[str, str]] = {
    "days.forms": "Tag|Tage",
    "state.sent": "versendet",
    "state.claimed": "wird gesendet",
    "state.retry": "wird erneut gesendet",
    "state.failed": "vom Server abgelehnt",
    "state.uncertain": "Zustellung unklar",
    "state.skipped": "übersprungen",
    "state.expired": "abgelaufen",
    "tier_none": "der Kontakt hat keine Kategorie (zugelassen: {list})",
    "tier": "die Kategorie „{tier}“ ist nicht unter den zugelassenen: {list}",
    "tags_none": "keines der Tags {list} vorhanden (der Kontakt hat keine Tags)",
    "tags": "keines der Tags {list} vorhanden (Tags des Kontakts: {tags})",
    "contacts": "nicht in der Kontaktliste dieses Anlasses (audience.contacts)",
    "needs_years": "{setting} braucht eine Anzahl Jahre, dieser Anlass hat aber keine",
    "country": "das Land des Kunden, {country}, ist nicht unter den zugelassenen: {list}",
    "locale": "die Sprache der Nachricht, {locale}, ist nicht unter den zugelassenen: {list}",
    "round_years": "{years} – kein rundes Jubiläum (kein Vielfaches von {n}: round_years)",
    "min_years": "{years} – weniger als {n} (min_years)",
    "journal": "dieser Glückwunsch steht bereits im Versandprotokoll ({state})",
    "crm_do_not_contact": "laut CRM darf der Kontakt nicht angeschrieben werden (Spalte „{column}“)",
    "bounced": (
        "{who}: Zustellung am {date} gescheitert (der Server antwortete: {reply});"
        " an diese Adresse wird nicht mehr geschrieben"
    ),
    "do_not_contact": "{who} steht auf der Sperrliste",
    "no_email": "der Kontakt hat keine E-Mail-Adresse",
    "too_close": "nur {days} Abstand zum Glückwunsch vom {date} (min_gap_days {gap})",
    "max_count": "wäre Glückwunsch Nr. {n} innerhalb von {days:Tag|Tagen} (max_count {max})",
    "on_its_day": "am Tag des Anlasses ({date}): {then}",
    "leaving": " (verspätet: geht jetzt am {date} hinaus)",
    "carry_after_alone": (
        "mit der Nachricht „{occasion}“ vom {date}{leaving}"
        " käme der Glückwunsch {days} nach dem Tag des Anlasses"
        " ({setting} {n}); als eigene Nachricht: {then}"
    ),
    "carry_before_alone": (
        "mit der Nachricht „{occasion}“ vom {date}{leaving}"
        " käme der Glückwunsch {days} vor dem Tag des Anlasses"
        " ({setting} {n}); als eigene Nachricht: {then}"
    ),
    "carry_after": (
        "mit der Nachricht „{occasion}“ vom {date}{leaving}"
        " käme der Glückwunsch {days} nach dem Tag des Anlasses"
        " ({setting} {n})"
    ),
    "carry_before": (
        "mit der Nachricht „{occasion}“ vom {date}{leaving}"
        " käme der Glückwunsch {days} vor dem Tag des Anlasses"
        " ({setting} {n})"
    ),
    "expired_then": "der Tag des Anlasses liegt mehr als {days} zurück; {then}",
    "expired": "der Tag des Anlasses liegt mehr als {days} zurück",
    "expired_after": "mehr als {days} nach dem geplanten Versandtag ({day})",
    "missed_for": (
        "verpasst: das nächste Versandfenster ({next}) liegt mehr als {days} nach dem Tag, für den die"
        " Nachricht bestimmt war ({day})"
    ),
    "missed_leave": (
        "verpasst: das nächste Versandfenster ({next}) liegt mehr als {days} nach dem geplanten"
        " Versandtag ({day})"
    ),
    "journal_expired_then": (
        "laut Versandprotokoll abgelaufen:"
        " die Nachholfrist ist vorbei, die Nachricht wurde nie versendet; {then}"
    ),
    "journal_expired": (
        "laut Versandprotokoll abgelaufen: die Nachholfrist ist vorbei, die Nachricht wurde nie versendet"
    ),
    "quota_held": (
        "das Tageskontingent (delivery.rate_limit.per_day) hielt sie am {day} zurück, bis"
        " ihre Nachholfrist ablief"
    ),
}

#: Estonian: «üle 3 päeva», «365 päeva jooksul» take the partitive or the genitive, «päeva» in both.
#: «1 päev pärast tähtpäeva» takes the count as it stands (``days.forms``).
ESTONIAN: Final[Mapping[str, str]] = {
    "days.forms": "päev|päeva",
    "state.sent": "saadetud",
    "state.claimed": "saatmisel",
    "state.retry": "saadetakse uuesti",
    "state.failed": "server keeldus",
    "state.uncertain": "kättetoimetamine teadmata",
    "state.skipped": "vahele jäetud",
    "state.expired": "aegunud",
    "tier_none": "kontaktil pole kategooriat; lubatud on: {list}",
    "tier": "kategooria „{tier}“ ei ole lubatute hulgas: {list}",
    "tags_none": "pole ühtki neist siltidest: {list} (kontaktil silte pole)",
    "tags": "pole ühtki neist siltidest: {list} (kontakti sildid: {tags})",
    "contacts": "ei ole selle tähtpäeva kontaktide loendis (audience.contacts)",
    "needs_years": "{setting} vajab aastate arvu, aga sellel tähtpäeval seda pole",
    "country": "kliendi riik {country} ei ole lubatute hulgas: {list}",
    "locale": "kirja keel {locale} ei ole lubatute hulgas: {list}",
    "round_years": "{years} – pole ümmargune tähtpäev (ei ole arvu {n} kordne: round_years)",
    "min_years": "{years} – vähem kui {n} (min_years)",
    "journal": "see õnnitlus on juba saatmislogis ({state})",
    "crm_do_not_contact": "CRM-i järgi ei tohi kontaktile kirjutada (veerg „{column}“)",
    "bounced": (
        "{who}: kiri tuli {date} tagasi (server vastas: {reply}); sellele aadressile enam ei kirjutata"
    ),
    "do_not_contact": "{who} on keelunimekirjas",
    "no_email": "kontaktil pole e-posti aadressi",
    "too_close": "vahe õnnitlusega {date} on vaid {days} (min_gap_days {gap})",
    "max_count": "oleks {n}. õnnitlus {days:päeva|päeva} jooksul (max_count {max})",
    "on_its_day": "tähtpäeval ({date}): {then}",
    "leaving": "; hilinenud, läheb nüüd teele {date}",
    "carry_after_alone": (
        "kirjaga „{occasion}“ ({date}{leaving}) jõuaks õnnitlus kohale {days} pärast tähtpäeva"
        " ({setting} {n}); eraldi kirjana: {then}"
    ),
    "carry_before_alone": (
        "kirjaga „{occasion}“ ({date}{leaving}) jõuaks õnnitlus kohale {days} enne tähtpäeva"
        " ({setting} {n}); eraldi kirjana: {then}"
    ),
    "carry_after": (
        "kirjaga „{occasion}“ ({date}{leaving})"
        " jõuaks õnnitlus kohale {days} pärast tähtpäeva ({setting} {n})"
    ),
    "carry_before": (
        "kirjaga „{occasion}“ ({date}{leaving}) jõuaks õnnitlus kohale {days} enne tähtpäeva ({setting} {n})"
    ),
    "expired_then": "tähtpäevast on möödunud üle {days:päeva|päeva}; {then}",
    "expired": "tähtpäevast on möödunud üle {days:päeva|päeva}",
    "expired_after": "kavandatud saatmispäevast ({day}) on möödunud üle {days:päeva|päeva}",
    "missed_for": (
        "jäi saatmata: järgmine saatmisaken ({next}) on üle {days:päeva|päeva} hiljem kui päev, mille"
        " jaoks kiri oli mõeldud ({day})"
    ),
    "missed_leave": (
        "jäi saatmata: järgmine saatmisaken ({next}) on üle {days:päeva|päeva} hiljem kui kavandatud"
        " saatmispäev ({day})"
    ),
    "journal_expired_then": (
        "saatmislogi järgi aegunud: hilinenud saatmise aeg on möödas, kirja ei saadetud; {then}"
    ),
    "journal_expired": "saatmislogi järgi aegunud: hilinenud saatmise aeg on möödas, kirja ei saadetud",
    "quota_held": (
        "päevakvoot (delivery.rate_limit.per_day) hoidis kirja {day} kinni, kuni hilinenud"
        " saatmise aeg möödus"
    ),
}

#: Hungarian: a noun after a number stays singular («3 nap»), «nappal», «napon» where a phrase wants it;
#: no «a(z)» before a title or a number (:mod:`greeter.gallery_lang_hu`): they follow «ebben a levélben».
HUNGARIAN: Final[Mapping[str, str]] = {
    "days.forms": "nap|nap",
    "state.sent": "elküldve",
    "state.claimed": "küldés folyamatban",
    "state.retry": "újraküldésre vár",
    "state.failed": "a szerver elutasította",
    "state.uncertain": "kézbesítés bizonytalan",
    "state.skipped": "kihagyva",
    "state.expired": "lejárt",
    "tier_none": "az ügyfélnek nincs kategóriája (engedélyezett: {list})",
    "tier": "a kategória („{tier}”) nem szerepel az engedélyezettek között: {list}",
    "tags_none": "egyik címke sincs meg ezek közül: {list} (az ügyfélnek nincs címkéje)",
    "tags": "egyik címke sincs meg ezek közül: {list} (az ügyfél címkéi: {tags})",
    "contacts": "nem szerepel az alkalom ügyféllistáján (audience.contacts)",
    "needs_years": "a {setting} beállításhoz évek száma kell, de ennél az alkalomnál nincs ilyen",
    "country": "az ügyfél országa ({country}) nem szerepel az engedélyezettek között: {list}",
    "locale": "a levél nyelve ({locale}) nem szerepel az engedélyezettek között: {list}",
    "round_years": "{years} – nem kerek évforduló ({n} többszöröse kell: round_years)",
    "min_years": "{years} – kevesebb mint {n} (min_years)",
    "journal": "ez az üdvözlet már szerepel a küldési naplóban ({state})",
    "crm_do_not_contact": "a CRM szerint az ügyfélnek nem szabad írni („{column}” oszlop)",
    "bounced": (
        "{who}: a levél {date} visszapattant (a szerver válasza: {reply}); erre a címre többé nem írunk"
    ),
    "do_not_contact": "{who} a tiltólistán van",
    "no_email": "az ügyfélnek nincs e-mail-címe",
    "too_close": "csak {days} választja el egy másik üdvözlettől ({date}; min_gap_days {gap})",
    "max_count": "{days:napon|napon} belül {n}. üdvözletként menne ki (max_count {max})",
    "on_its_day": "az alkalom napján ({date}): {then}",
    "leaving": "; késve, új küldési nap: {date}",
    "carry_after_alone": (
        "ebben a levélben („{occasion}”, {date}{leaving})"
        " az üdvözlet {days:nappal|nappal} az alkalom napja után"
        " menne ki ({setting} {n}); külön levélként: {then}"
    ),
    "carry_before_alone": (
        "ebben a levélben („{occasion}”, {date}{leaving})"
        " az üdvözlet {days:nappal|nappal} az alkalom napja előtt"
        " menne ki ({setting} {n}); külön levélként: {then}"
    ),
    "carry_after": (
        "ebben a levélben („{occasion}”, {date}{leaving})"
        " az üdvözlet {days:nappal|nappal} az alkalom napja után"
        " menne ki ({setting} {n})"
    ),
    "carry_before": (
        "ebben a levélben („{occasion}”, {date}{leaving})"
        " az üdvözlet {days:nappal|nappal} az alkalom napja előtt"
        " menne ki ({setting} {n})"
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
    "journal_expired_then": (
        "a küldési napló szerint lejárt: a pótlólagos küldés ideje letelt, a levél nem ment ki; {then}"
    ),
    "journal_expired": (
        "a küldési napló szerint lejárt: a pótlólagos küldés ideje letelt, a levél nem ment ki"
    ),
    "quota_held": (
        "a napi kvóta (delivery.rate_limit.per_day) {day} visszatartotta, amíg a pótlólagos"
        " küldés ideje le nem telt"
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
    "state.uncertain": "непознато да ли је стигло",
    "state.skipped": "прескочено",
    "state.expired": "истекло",
    "tier_none": "контакт нема категорију, потребна је једна од: {list}",
    "tier": "категорија „{tier}“ није међу дозвољенима: {list}",
    "tags_none": "нема ниједне од ознака {list} (контакт нема ознака)",
    "tags": "нема ниједне од ознака {list} (ознаке контакта: {tags})",
    "contacts": "није на списку контаката овог повода (audience.contacts)",
    "needs_years": "за {setting} је потребан број година, а овај повод га нема",
    "country": "земља клијента {country} није међу дозвољенима: {list}",
    "locale": "језик писма {locale} није међу дозвољенима: {list}",
    "round_years": "{years} – није округли јубилеј (умножак броја {n}: round_years)",
    "min_years": "{years} – мање од {n} (min_years)",
    "journal": "ова честитка је већ у дневнику слања ({state})",
    "crm_do_not_contact": "према CRM-у контакту се не сме писати (колона „{column}“)",
    "bounced": "{who}: писмо се {date} вратило (сервер је одговорио: {reply}); на ову адресу се више не пише",
    "do_not_contact": "{who} је на листи искључених",
    "no_email": "контакт нема адресу е-поште",
    "too_close": "само {days} размака од честитке {date} (min_gap_days {gap})",
    "max_count": "била би {n}. честитка у року од {days:дана|дана|дана} (max_count {max})",
    "on_its_day": "на дан повода ({date}): {then}",
    "leaving": "; закаснело, сада полази {date}",
    "carry_after_alone": (
        "у писму „{occasion}“ ({date}{leaving}) честитка би била послата {days} после дана повода ({setting}"
        " {n}); као засебно писмо: {then}"
    ),
    "carry_before_alone": (
        "у писму „{occasion}“ ({date}{leaving})"
        " честитка би била послата {days} пре дана повода ({setting} {n});"
        " као засебно писмо: {then}"
    ),
    "carry_after": (
        "у писму „{occasion}“ ({date}{leaving})"
        " честитка би била послата {days} после дана повода ({setting} {n})"
    ),
    "carry_before": (
        "у писму „{occasion}“ ({date}{leaving})"
        " честитка би била послата {days} пре дана повода ({setting} {n})"
    ),
    "expired_then": "од дана повода прошло је више од {days:дана|дана|дана}; {then}",
    "expired": "од дана повода прошло је више од {days:дана|дана|дана}",
    "expired_after": "од планираног дана слања ({day}) прошло је више од {days:дана|дана|дана}",
    "missed_for": (
        "пропуштено: следећи термин слања ({next}) је више од {days:дана|дана|дана} после дана за који"
        " је писмо намењено ({day})"
    ),
    "missed_leave": (
        "пропуштено: следећи термин слања ({next}) је више од {days:дана|дана|дана} после планираног"
        " дана слања ({day})"
    ),
    "journal_expired_then": (
        "у дневнику слања истекло: рок за накнадно слање је прошао, писмо није послато; {then}"
    ),
    "journal_expired": "у дневнику слања истекло: рок за накнадно слање је прошао, писмо није послато",
    "quota_held": (
        "дневна квота (delivery.rate_limit.per_day) задржала га је {day} док није истекао рок"
        " за накнадно слање"
    ),
}

#: Croatian: ijekavian, with Croatian's words (:mod:`greeter.gallery_lang_hr`); Bosnian: it in Bosnian's.
CROATIAN: Final[Mapping[str, str]] = {
    "days.forms": "dan|dana|dana",
    "state.sent": "poslano",
    "state.claimed": "šalje se",
    "state.retry": "čeka ponovno slanje",
    "state.failed": "poslužitelj je odbio",
    "state.uncertain": "nepoznato je li stiglo",
    "state.skipped": "preskočeno",
    "state.expired": "isteklo",
    "tier_none": "kontakt nema kategoriju, potrebna je jedna od: {list}",
    "tier": "kategorija „{tier}” nije među dopuštenima: {list}",
    "tags_none": "nema nijedne od oznaka {list} (kontakt nema oznaka)",
    "tags": "nema nijedne od oznaka {list} (oznake kontakta: {tags})",
    "contacts": "nije na popisu kontakata ovog povoda (audience.contacts)",
    "needs_years": "za {setting} potreban je broj godina, a ovaj povod ga nema",
    "country": "država klijenta {country} nije među dopuštenima: {list}",
    "locale": "jezik pisma {locale} nije među dopuštenima: {list}",
    "round_years": "{years} – nije okrugla obljetnica (višekratnik broja {n}: round_years)",
    "min_years": "{years} – manje od {n} (min_years)",
    "journal": "ova je čestitka već u dnevniku slanja ({state})",
    "crm_do_not_contact": "prema CRM-u kontaktu se ne smije pisati (stupac „{column}”)",
    "bounced": (
        "{who}: pismo se {date} vratilo (poslužitelj je odgovorio: {reply}); na ovu adresu se više ne piše"
    ),
    "do_not_contact": "{who} je na popisu isključenih",
    "no_email": "kontakt nema adresu e-pošte",
    "too_close": "samo {days} razmaka od čestitke {date} (min_gap_days {gap})",
    "max_count": "bila bi {n}. čestitka u roku od {days:dana|dana|dana} (max_count {max})",
    "on_its_day": "na dan povoda ({date}): {then}",
    "leaving": "; zakašnjelo, sada odlazi {date}",
    "carry_after_alone": (
        "u pismu „{occasion}” ({date}{leaving}) čestitka bi bila poslana {days} nakon dana povoda ({setting}"
        " {n}); kao zasebno pismo: {then}"
    ),
    "carry_before_alone": (
        "u pismu „{occasion}” ({date}{leaving}) čestitka bi bila poslana {days} prije dana povoda ({setting}"
        " {n}); kao zasebno pismo: {then}"
    ),
    "carry_after": (
        "u pismu „{occasion}” ({date}{leaving})"
        " čestitka bi bila poslana {days} nakon dana povoda ({setting} {n})"
    ),
    "carry_before": (
        "u pismu „{occasion}” ({date}{leaving})"
        " čestitka bi bila poslana {days} prije dana povoda ({setting} {n})"
    ),
    "expired_then": "od dana povoda prošlo je više od {days:dana|dana|dana}; {then}",
    "expired": "od dana povoda prošlo je više od {days:dana|dana|dana}",
    "expired_after": "od planiranog dana slanja ({day}) prošlo je više od {days:dana|dana|dana}",
    "missed_for": (
        "propušteno: sljedeći termin slanja ({next}) više je od {days:dana|dana|dana} nakon dana za koji"
        " je pismo namijenjeno ({day})"
    ),
    "missed_leave": (
        "propušteno: sljedeći termin slanja ({next}) više je od {days:dana|dana|dana} nakon planiranog"
        " dana slanja ({day})"
    ),
    "journal_expired_then": (
        "u dnevniku slanja isteklo: rok za naknadno slanje je prošao, pismo nije poslano; {then}"
    ),
    "journal_expired": "u dnevniku slanja isteklo: rok za naknadno slanje je prošao, pismo nije poslano",
    "quota_held": (
        "dnevna kvota (delivery.rate_limit.per_day) zadržala ga je {day} dok nije istekao rok"
        " za naknadno slanje"
    ),
}

#: The tables by the gallery's language (:attr:`greeter.gallery_lang.Ui.tag`); ``sr-Latn`` reads
#: Serbian's, transliterated (see the module's doc).
#: Each with the contacts loader's sentences (:mod:`greeter.gallery_why_contacts`).
SENTENCES: Final[Mapping[str, Mapping[str, str]]] = {
    "de": {**GERMAN, **contacts.GERMAN},
    "et": {**ESTONIAN, **contacts.ESTONIAN},
    "hu": {**HUNGARIAN, **contacts.HUNGARIAN},
    "sr": {**SERBIAN, **contacts.SERBIAN},
    "sr-Latn": {key: to_latin(text) for key, text in {**SERBIAN, **contacts.SERBIAN}.items()},
    "hr": {**CROATIAN, **contacts.CROATIAN},
    "bs": {key: bosnian(text) for key, text in {**CROATIAN, **contacts.CROATIAN}.items()},
    "uk": UKRAINIAN,  # its own module, planner and contacts sentences both
    "ka": GEORGIAN,  # as Ukrainian's
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
            values = {name: _value(name, text, table, ui, title) for name, text in m.groupdict().items()}
            return table[key].format(leap_day=ui.day_month(date(_LEAP_YEAR, 2, 29)), **values)
    raise _Unknown(sentence)


def _value(
    name: str, text: str | None, table: Mapping[str, str], ui: Ui, title: Callable[[str], str]
) -> object:
    """One of the sentence's values as the language says it (by its group's name: the module's doc)."""
    if text is None or (not text and name.startswith("then")):
        return ""  # an optional part the sentence has not (a bad date's other reading, its advice)
    try:
        return _said(name, text, table, ui, title)
    except ValueError as e:  # a day the loader wrote that is no day here (year 0): as written
        raise _Unknown(text) from e


def _said(name: str, text: str, table: Mapping[str, str], ui: Ui, title: Callable[[str], str]) -> object:
    """:func:`_value` of a value the sentence has."""
    if name.startswith("date"):
        return ui.short_date(date.fromisoformat(text))
    if name.startswith("days"):
        return _Count(int(text), table["days.forms"], ui.locale)
    if name in _DAYS_OF_YEAR:
        day, month = map(int, text.split("."))
        return ui.day_month(date(_LEAP_YEAR, month, day))
    if name.startswith("years"):
        return ui.years(int(text))
    if name.startswith("occasion"):
        return title(text)
    if name == "state":
        if (said := table.get(f"state.{text}")) is None:
            raise _Unknown(text)
        return said
    if name == "leaving":  # a belated letter's new day, in the words the table puts after its day
        if (said := table.get("leaving")) is None:
            raise _Unknown(text)
        return said.format(date=ui.short_date(date.fromisoformat(text)))
    if name.startswith("then"):
        return _say(text, table, ui, title)
    if name == "greetings":  # "birthday, name_day and new_year": each by its title, quoted
        quoted = [table["quote"].format(title(each)) for each in re.split(r", | and ", text)]
        return table["list.and"].join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1 else quoted[0]
    if name.startswith("spoken"):
        return ui.short_date(date(*spoken_day(text)))
    if name == "dotted":
        day, month, year = map(int, text.split("."))
        return ui.short_date(date(year, month, day))
    if name == "month":
        return get_month_names("wide", context="stand-alone", locale=ui.locale)[MONTHS_EN.index(text) + 1]
    if name == "language":
        if (language := table.get(f"language.{text}")) is None:
            raise _Unknown(text)
        return language
    return text


def table_detail(sentence: str | None, titles: Mapping[str, str], ui: Ui) -> str | None:
    """The planner's ``sentence`` in ``ui``'s language, by its table; as written when it has none for it."""
    table = SENTENCES.get(ui.tag)
    if not sentence or table is None:
        return sentence
    try:
        # The table is in the page's script already; a title is put in it whole (Ui.in_script), so a
        # Russian title in a Serbian Latin sentence stays «Новый год», never «Новый god».
        return _say(sentence, table, ui, lambda name: ui.in_script(titles.get(name, name)))
    except _Unknown:
        return sentence
