"""The preview gallery's and the calendar's words in Hungarian (:mod:`greeter.gallery_lang`).

Why a module of its own: a language's table is two hundred lines, and
:mod:`greeter.gallery_lang` holds the lookups and the first two languages.

The wording is a Hungarian product's, in the impersonal register Hungarian
software uses for a formal reader: commands are verbal nouns ("Levél
megnyitása", "Keresés"), states are participles ("elküldve", "kihagyva"), and
nothing addresses the reader with "te". A letter is a *levél*, an occasion an
*alkalom*, a greeting an *üdvözlet*, approving *jóváhagyás*. Hungarian's
article a/az agrees with the sound that follows it, and an occasion's title is
the config's word: so no sentence puts an article before a title — the title
follows a colon or stands in parentheses («levél: „Születésnap”»), never
«a(z)». A count takes the singular ("3 ügyfél", "14 nap"), so CLDR's
``one|other`` are the same word. Dates are CLDR's Hungarian, "2026. december
25., péntek", numeric "2026. 12. 25."; a range is "… – …", because "-tól/-ig"
would need endings that depend on the number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["HUNGARIAN"]

#: Hungarian (``hu``, ``hu_HU``): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
HUNGARIAN: Final[Mapping[str, str]] = {
    "locale": "hu",
    "date.long_day": "y. MMMM d., EEEE",
    "date.short_day": "MMM d., EEE",
    "date.date": "y. MM. dd.",
    "date.day_month": "MMM d.",
    "reason.frequency_cap": "gyakorisági korlát",
    "reason.merged": "összevonva",
    "reason.suppressed": "tiltólistán",
    "reason.no_email": "nincs e-mail-cím",
    "reason.invalid_contact": "hibás ügyféladat",
    "reason.already_sent": "már elküldve",
    "reason.expired": "lejárt",
    "reason.outside_audience": "célcsoporton kívül",
    "reason.render_error": "sablonhiba",
    "reason.awaiting_approval": "jóváhagyásra vár",
    "approval.awaiting_approval": "jóváhagyásra vár",
    "approval.awaiting_approval.means": "jóváhagyásig nem megy ki (greeter approve)",
    "approval.changed_since_approval": "jóváhagyás után módosult",
    "approval.changed_since_approval.means": (
        "a szöveg a jóváhagyás után megváltozott: a jóváhagyás érvényét vesztette, és a levél csak újbóli"
        " jóváhagyás után megy ki"
    ),
    "approval.approval_outdated": "korábbi verzióban jóváhagyva",
    "approval.approval_outdated.means": (
        "a greeter korábbi verziójában adott jóváhagyás nem terjedt ki a címzettre és a feladóra: a levél"
        " csak újbóli jóváhagyás után megy ki"
    ),
    "approval.approved": "jóváhagyva",
    "approval.approved.means": "időben kimegy: pontosan ezt a levelet hagyták jóvá",
    "filter.all": "Összes",
    "filter.send": "Küldendő",
    "filter.sent": "Elküldve",
    "filter.merged": "Összevonva",
    "filter.skip": "Kihagyva",
    "filter.error": "Hibák",
    "filter.failed": "Nem kézbesített",
    "filter.pending": "Nem megerősített",
    "toolbar.label": "Szűrők",
    "toolbar.status": "Állapot",
    "toolbar.approval": "Jóváhagyás",
    "toolbar.search_label": "Keresés név, e-mail-cím, alkalom és tárgy szerint (/ billentyű)",
    # no "( / )" hint: it did not fit the field beside the review filters (the label above says "/")
    "toolbar.search": "név, e-mail, alkalom, tárgy",
    "script.shown": "Megjelenítve: ",
    "script.of": " / ",
    "stat.send": "küldendő",
    "stat.sent": "elküldve",
    "stat.merged": "összevonva",
    "stat.skip": "kihagyva",
    "stat.error.forms": "sablonhiba|sablonhiba",
    "stat.failed": "nem kézbesített",
    "stat.pending": "nem megerősített",
    "stat.combined": "{n} összevont alkalmakkal",
    "stat.belated": "{n} az alkalom napja után",
    "stat.by_journal": "a küldési napló szerint",
    "stat.rode": "; más levelekben: {n}",
    "stat.merged_note": "az alkalmak más levelekbe kerültek",
    "stat.error_note": "a levelek nem készültek el",
    "day.send": "küldendő",
    "day.sent": "elküldve",
    "day.merged": "összevonva",
    "day.skip": "kihagyva",
    "day.error": "hibák",
    "day.failed": "nem kézbesített",
    "day.pending": "nem megerősített",
    "day.quota": "kvóta: {allowed} / {total}",
    "day.quota_later": "később",
    "day.quota_lost": "nem mennek ki",
    "page.title": "Üdvözletek: előnézet",
    "header.title": "Üdvözletek",
    "header.pill": "előnézet",
    "header.range": "<b>{start}</b> – <b>{end}</b> ({days})\n · készült: <b>{as_of}</b>",
    "header.days.forms": "nap|nap",
    "day.part": " · {part}. rész ({parts} közül)",
    "day.range": "a nap üdvözletei{part}",
    "day.whole": "az egész nap: {counts}",
    "nav.all_days": "← Összes nap",
    "nav.all_greetings": "← Összes üdvözlet",
    "day.off": "munkaszüneti nap",
    "script.all": "Mind megjelenítve: {n}",
    "toolbar.search_word": "Keresés",
    "nav.back": "Vissza a galériához",
    "nav.letters": "Előző és következő levél",
    "nav.letters_end": "Előző és következő levél (az oldal alján)",
    "nav.prev": "előző levél",
    "nav.next": "következő levél",
    "badge.tip": "naplókhoz és JSON-hoz: {words}",
    "nothing_planned": "Erre az időszakra nincs tervezett üdvözlet.",
    "no_match": "Nincs találat.",
    "footer": "greeter preview · a küldési időpontok a címzettek saját időzónája szerint értendők",
    "contact_errors": "Hibák az ügyféladatokban",
    "contact_errors.note": (
        "ezekre az alkalmakra addig nem küldhető üdvözlet, amíg az ügyfél sorában a dátumot nem javítják"
    ),
    "rejected.title": "Be nem töltött ügyfélsorok: {n}",
    "rejected.note": "ezek az ügyfelek semmit sem kapnak, amíg a sort nem javítják",
    "alert.contact_errors": "hibák az ügyféladatokban: {n}",
    "alert.rejected": "be nem töltött ügyfélsorok: {n}",
    "alert.listed": "{links} – a lista {where}",
    "alert.elsewhere": "külön oldalon található",
    "alert.below": "a levelek után, az oldal alján található",
    "no_email": "nincs e-mail-cím",
    "badge.send": "küldendő",
    "badge.sent": "elküldve",
    "badge.error": "sablonhiba",
    "badge.skip": "kihagyva: {reason}",
    "belated": "az alkalom napja után",
    "belated.tip": "az alkalom napja után megy ki",
    "own_day.tip": "az alkalom napja: a levél más napon megy ki",
    "when.occasion": "az alkalom dátuma",
    "when.sent": "kiment (a küldési napló szerint), a címzett helyi ideje szerint",
    "when.send": "küldési időpont a címzett helyi ideje szerint",
    "open": "Levél megnyitása →",
    "open.carrier": "„{letter}” levél megnyitása →",
    "carried.planned": "az üdvözlet ebbe a levélbe kerül: „{letter}”",
    "carried.failed_render": (
        "az üdvözlet ebbe a levélbe került volna: „{letter}”, de a levelet nem sikerült elkészíteni: {why}"
    ),
    "journal.failed.badge": "nem kézbesített: a szerver elutasította",
    "journal.failed.note": "a szerver elutasította",
    "journal.failed.detail": (
        "a címzett szervere elutasította a levelet: nem lett kézbesítve, és a greeter magától nem küldi újra"
    ),
    "journal.uncertain.badge": "kézbesítés bizonytalan",
    "journal.uncertain.note": "kézbesítés bizonytalan",
    "journal.uncertain.detail": (
        "a kapcsolat a levél átadása után megszakadt: lehet, hogy megérkezett, lehet, hogy nem; a greeter"
        " magától nem küldi újra (greeter uncertain resend vagy dismiss)"
    ),
    "journal.retry.badge": "újraküldés",
    "journal.retry.note": "újraküldés",
    "journal.retry.detail": "a szerver átmenetileg nem fogadta a levelet: a greeter újra elküldi",
    "journal.claimed.badge": "küldés folyamatban",
    "journal.claimed.note": "küldés folyamatban",
    "journal.claimed.detail": (
        "a levél átadása a szervernek most zajlik (vagy a küldés megszakadt: ekkor „kézbesítés"
        " bizonytalan” jelölést kap)"
    ),
    "journal.skipped.badge": "kihagyva: küldéskor kihagyva",
    "journal.skipped.note": "küldéskor kihagyva",
    "journal.skipped.detail": "a levél küldéskor nem ment ki (az okát a greeter history mutatja)",
    "journal.skipped.why": "a levél küldéskor nem ment ki: {why}",
    "journal.dismissed.detail": (
        "egy operátor kézbesítettnek jelölte a levelet: a kapcsolat az átadás után megszakadt, és a"
        " levél megérkezhetett; a greeter nem küldi el újra (greeter history)"
    ),
    "journal.baseline.badge": "kihagyva: a greeter előtt elküldve (baseline)",
    "journal.baseline.note": "a greeter előtt elküldve",
    "journal.baseline.detail": (
        "a greeter nem küldte el ezt a levelet:"
        " a greeter baseline az előző eszköz által elküldöttként rögzítette (lásd greeter history)"
    ),
    "carried.baseline.badge": "kihagyva: a(z) „{letter}” levél a greeter előtt elküldve (baseline)",
    "carried.baseline.note": "a greeter előtt elküldött levelekben",
    "carried.baseline.detail": (
        "a köszöntés a(z) „{letter}” levélben volt, amelyet nem a greeter küldött el:"
        " a greeter baseline az előző eszköz által elküldöttként rögzítette (lásd greeter history)"
    ),
    "carried.sent.badge": "elküldve (levél: „{letter}”)",
    "carried.sent.note": "más alkalmak leveleiben",
    "carried.sent.detail": "az üdvözlet ebben a levélben ment ki: „{letter}”",
    "carried.failed.badge": "nem kézbesített (levél: „{letter}”)",
    "carried.failed.note": "más alkalmak leveleiben",
    "carried.failed.detail": (
        "az üdvözlet ebben a levélben volt: „{letter}”, amelyet a címzett szervere elutasított"
    ),
    "carried.uncertain.badge": "kézbesítés bizonytalan (levél: „{letter}”)",
    "carried.uncertain.note": "kézbesítés bizonytalan",
    "carried.uncertain.detail": "az üdvözlet ebben a levélben volt: „{letter}”; nem tudni, megérkezett-e",
    "carried.retry.badge": "újraküldés (levél: „{letter}”)",
    "carried.retry.note": "újraküldés",
    "carried.retry.detail": "az üdvözlet ebben a levélben van: „{letter}”, amelyet a greeter újra elküld",
    "carried.claimed.badge": "küldés folyamatban (levél: „{letter}”)",
    "carried.claimed.note": "küldés folyamatban",
    "carried.claimed.detail": "az üdvözlet ebben a levélben van: „{letter}”, amelynek küldése most zajlik",
    "carried.skipped.badge": "kihagyva: a levél nem ment ki („{letter}”)",
    "carried.skipped.note": "a levél nem ment ki",
    "carried.skipped.detail": "az üdvözlet ebben a levélben volt: „{letter}”, amely nem ment ki",
    "carried.expired.badge": "kihagyva: a levél lejárt („{letter}”)",
    "carried.expired.note": "a levél lejárt",
    "carried.expired.detail": (
        "az üdvözlet ebben a levélben volt: „{letter}”, amely nem ment ki, mert lejárt a határideje"
    ),
    "meta.from": "Feladó",
    "meta.to": "Címzett",
    "meta.when": "Küldés",
    "meta.template": "Sablon",
    "meta.approval": "Jóváhagyás",
    "page.no_html": "Ennek a sablonnak nincs HTML-változata: a címzett csak a szöveget látja.",
    "page.html_title": "A levél HTML-változata",
    "page.text": "Szöveg",
    "pager.label": "Részek",
    "pager.label_end": "Részek (az oldal alján)",
    "pager.parts": "Részek: {links}",
    "overview.caption": "Napok: levelek és kihagyások naponként, minden nap külön oldalon",
    "overview.day": "Nap",
    "overview.outside": "célcsoporton kívül",
    "overview.parts": "Részek",
    "clients.forms": "ügyfél|ügyfél",
    "fold.badge": "kihagyva: célcsoporton kívül",
    "fold.line": "{clients} az alkalom célcsoportján kívül, nincs levél",
    "fold.list": "lista →",
    "fold.title": "Célcsoporton kívül: {day}",
    "fold.heading": "{title}: célcsoporton kívül",
    "fold.range": (
        "{day} · az alkalom célcsoportján kívül (címkék vagy feltételek miatt):\n {clients}, nincs levél."
        " Az ok minden sorban szerepel."
    ),
    "ics.summary": "Üdvözlet: {who} – {occasions}",
    "ics.leaves": "Küldés: {day}, {time} {label}, a címzett helyi ideje szerint ({zone})",
    "ics.occasion": "Alkalom: {occasion}",
    "ics.also": "Ugyanebben a levélben: {occasion}",
    "ics.to": "Címzett: {who} <{email}> (azonosító: {id})",
    "ics.company": "Cég: {company}",
    "ics.moved": "{day} (idén {moved})",
    "ics.day_summary": "Üdvözletek: {letters} – {occasions}",
    "ics.letters.forms": "levél|levél",
}
