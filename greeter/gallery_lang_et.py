"""The preview gallery's and the calendar's words in Estonian (:mod:`greeter.gallery_lang`).

Why a module of its own: a language's table is two hundred lines, and
:mod:`greeter.gallery_lang` holds the lookups and the first two languages.

The wording is an Estonian product's: a letter is a *kiri*, an occasion a
*tähtpäev* (a birthday, a holiday, a company's day alike), approving
*heakskiit* — not *kinnitamine*, which the delivery's "kinnitamata"
(unconfirmed) already says. Links are the singular imperative Estonian web
pages use ("Ava kiri", as "Loe lähemalt"). A count takes the partitive
singular ("3 klienti", "14 päeva"): CLDR's ``one|other``. Dates are CLDR's
Estonian, "reede, 25. detsember 2026" (a heading's first letter capitalised
by :class:`~greeter.gallery_lang.Ui`), numeric "25.12.2026"; the calendar
says "Saatmisaeg: 30. detsember 2026 …" because a date inside a sentence
would need the adessive ("30. detsembril") that Babel does not give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["ESTONIAN"]

#: Estonian (``et``, ``et_EE``): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
ESTONIAN: Final[Mapping[str, str]] = {
    "locale": "et",
    "date.long_day": "EEEE, d. MMMM y",
    "date.short_day": "EEE, dd.MM",
    "date.date": "dd.MM.y",
    "date.day_month": "dd.MM",
    "reason.frequency_cap": "sageduspiirang",
    "reason.merged": "ühendatud",
    "reason.suppressed": "keelunimekirjas",
    "reason.no_email": "e-posti aadress puudub",
    "reason.invalid_contact": "viga kontaktandmetes",
    "reason.already_sent": "juba saadetud",
    "reason.expired": "aegunud",
    "reason.outside_audience": "väljaspool sihtrühma",
    "reason.render_error": "malli viga",
    "reason.awaiting_approval": "ootab heakskiitu",
    "approval.awaiting_approval": "ootab heakskiitu",
    "approval.awaiting_approval.means": "saadetakse alles pärast heakskiitu (greeter approve)",
    "approval.changed_since_approval": "muudetud pärast heakskiitu",
    "approval.changed_since_approval.means": (
        "tekst muutus pärast heakskiitu: heakskiit on tühistatud ja kiri saadetakse alles pärast uut"
        " heakskiitu"
    ),
    "approval.approval_outdated": "heaks kiidetud vanemas versioonis",
    "approval.approval_outdated.means": (
        "greeteri vanema versiooni heakskiit ei hõlmanud saajat ega saatjat: kiri saadetakse alles pärast"
        " uut heakskiitu"
    ),
    "approval.approved": "heaks kiidetud",
    "approval.approved.means": "saadetakse õigel ajal: heaks on kiidetud täpselt see kiri",
    "filter.all": "Kõik",
    "filter.send": "Saatmiseks",
    "filter.sent": "Saadetud",
    "filter.merged": "Ühendatud",
    "filter.skip": "Vahele jäetud",
    "filter.error": "Vead",
    "filter.failed": "Kätte toimetamata",
    "filter.pending": "Kinnitamata",
    "toolbar.label": "Filtrid",
    "toolbar.status": "Olek",
    "toolbar.approval": "Heakskiit",
    "toolbar.search_label": "Otsi nime, e-posti, tähtpäeva ja teema järgi (klahv /)",
    "toolbar.search": "nimi, e-post, tähtpäev, teema…  ( / )",
    "script.shown": "Näidatud ",
    "script.of": ", kokku ",
    "stat.send": "saatmiseks",
    "stat.sent": "saadetud",
    "stat.merged": "ühendatud",
    "stat.skip": "vahele jäetud",
    "stat.error.forms": "malli viga|malli viga",
    "stat.failed": "kätte toimetamata",
    "stat.pending": "kinnitamata",
    "stat.combined": "{n} ühendatud tähtpäevadega",
    "stat.belated": "{n} pärast tähtpäeva",
    "stat.by_journal": "saatmislogi järgi",
    "stat.rode": "; teistes kirjades: {n}",
    "stat.merged_note": "tähtpäevad lisati teistesse kirjadesse",
    "stat.error_note": "kirjad jäid koostamata",
    "day.send": "saatmiseks",
    "day.sent": "saadetud",
    "day.merged": "ühendatud",
    "day.skip": "vahele jäetud",
    "day.error": "vead",
    "day.failed": "kätte toimetamata",
    "day.pending": "kinnitamata",
    "day.quota": "kvoot: {allowed}/{total}",
    "day.quota_later": "hiljem",
    "day.quota_lost": "jäävad saatmata",
    "page.title": "Õnnitlused: eelvaade",
    "header.title": "Õnnitlused",
    "header.pill": "eelvaade",
    "header.range": "<b>{start}</b> kuni <b>{end}</b> ({days})\n · seisuga <b>{as_of}</b>",
    "header.days.forms": "päev|päeva",
    "day.part": " · osa {part}/{parts}",
    "day.range": "selle päeva õnnitlused{part}",
    "day.whole": "kogu päev: {counts}",
    "nav.all_days": "← Kõik päevad",
    "nav.all_greetings": "← Kõik õnnitlused",
    "day.off": "puhkepäev",
    "script.all": "Näidatud kõik {n}",
    "toolbar.search_word": "Otsi",
    "nav.back": "Tagasi galeriisse",
    "nav.letters": "Eelmine ja järgmine kiri",
    "nav.letters_end": "Eelmine ja järgmine kiri (lehe lõpus)",
    "nav.prev": "eelmine kiri",
    "nav.next": "järgmine kiri",
    "badge.tip": "logide ja JSON-i jaoks: {words}",
    "nothing_planned": "Selles vahemikus pole midagi planeeritud.",
    "no_match": "Midagi ei leitud.",
    "footer": "greeter preview · saatmisajad on iga saaja enda ajavööndis",
    "contact_errors": "Vead kontaktandmetes",
    "contact_errors.note": (
        "nende tähtpäevade puhul ei saa õnnitleda enne, kui kontakti real olev kuupäev on parandatud"
    ),
    "rejected.title": "Laadimata kontaktiread: {n}",
    "rejected.note": "need kliendid ei saa midagi enne, kui rida on parandatud",
    "alert.contact_errors": "vead kontaktandmetes: {n}",
    "alert.rejected": "laadimata kontaktiread: {n}",
    "alert.listed": "{links} – loetelu {where}",
    "alert.elsewhere": "eraldi lehel",
    "alert.below": "kirjade järel, lehe lõpus",
    "no_email": "e-posti aadress puudub",
    "badge.send": "saatmiseks",
    "badge.sent": "saadetud",
    "badge.error": "malli viga",
    "badge.skip": "vahele jäetud: {reason}",
    "belated": "pärast tähtpäeva",
    "belated.tip": "saadetakse pärast tähtpäeva",
    "own_day.tip": "tähtpäev: kiri saadetakse teisel päeval",
    "when.occasion": "tähtpäeva kuupäev",
    "when.sent": "saadetud (saatmislogi järgi), saaja kohaliku aja järgi",
    "when.send": "saatmisaeg saaja kohaliku aja järgi",
    "open": "Ava kiri →",
    "open.carrier": "Ava kiri „{letter}“ →",
    "carried.planned": "õnnitlus saadetakse kirjas „{letter}“",
    "carried.failed_render": "õnnitlus pidi minema kirjas „{letter}“, mida ei õnnestunud koostada: {why}",
    "journal.failed.badge": "kätte toimetamata: server keeldus",
    "journal.failed.note": "server keeldus",
    "journal.failed.detail": (
        "saaja server keeldus kirja vastu võtmast: kiri jäi kätte toimetamata ja seda ei saadeta"
        " automaatselt uuesti"
    ),
    "journal.uncertain.badge": "kättetoimetamine teadmata",
    "journal.uncertain.note": "kättetoimetamine teadmata",
    "journal.uncertain.detail": (
        "ühendus katkes pärast kirja üleandmist: kiri võis kohale jõuda, aga ei pruukinud; greeter ei"
        " saada seda ise uuesti (greeter uncertain resend või dismiss)"
    ),
    "journal.retry.badge": "saadetakse uuesti",
    "journal.retry.note": "saadetakse uuesti",
    "journal.retry.detail": "server ei võtnud kirja ajutiselt vastu: greeter saadab selle uuesti",
    "journal.claimed.badge": "saatmisel",
    "journal.claimed.note": "saatmisel",
    "journal.claimed.detail": (
        "kirja antakse praegu serverile üle (või katkestati saatmine: siis märgitakse see olekuga"
        " „kättetoimetamine teadmata“)"
    ),
    "journal.skipped.badge": "vahele jäetud: jäeti saatmisel vahele",
    "journal.skipped.note": "jäeti saatmisel vahele",
    "journal.skipped.detail": "kirja ei saadetud saatmise käigus (põhjuse näitab greeter history)",
    "journal.skipped.why": "kirja ei saadetud saatmise käigus: {why}",
    "journal.dismissed.detail": (
        "operaator märkis kirja kohale jõudnuks: ühendus katkes pärast üleandmist ja kiri võis kohale"
        " jõuda; greeter seda uuesti ei saada (greeter history)"
    ),
    "journal.baseline.badge": "vahele jäetud: saadetud enne greeterit (baseline)",
    "journal.baseline.note": "saadetud enne greeterit",
    "journal.baseline.detail": (
        "greeter seda kirja ei saatnud:"
        " greeter baseline märkis selle eelmise tööriista saadetuks (vt greeter history)"
    ),
    "carried.baseline.badge": "vahele jäetud: kiri „{letter}“ saadetud enne greeterit (baseline)",
    "carried.baseline.note": "enne greeterit saadetud kirjades",
    "carried.baseline.detail": (
        "õnnitlus oli kirjas „{letter}“, mida greeter ei saatnud:"
        " greeter baseline märkis selle eelmise tööriista saadetuks (vt greeter history)"
    ),
    "carried.sent.badge": "saadetud kirjas „{letter}“",
    "carried.sent.note": "teiste tähtpäevade kirjades",
    "carried.sent.detail": "õnnitlus saadeti kirjas „{letter}“",
    "carried.failed.badge": "kätte toimetamata (kirjas „{letter}“)",
    "carried.failed.note": "teiste tähtpäevade kirjades",
    "carried.failed.detail": "õnnitlus oli kirjas „{letter}“, mille saaja server tagasi lükkas",
    "carried.uncertain.badge": "kättetoimetamine teadmata (kirjas „{letter}“)",
    "carried.uncertain.note": "kättetoimetamine teadmata",
    "carried.uncertain.detail": "õnnitlus oli kirjas „{letter}“: pole teada, kas see jõudis kohale",
    "carried.retry.badge": "saadetakse uuesti (kirjas „{letter}“)",
    "carried.retry.note": "saadetakse uuesti",
    "carried.retry.detail": "õnnitlus on kirjas „{letter}“, mille greeter saadab uuesti",
    "carried.claimed.badge": "saatmisel (kirjas „{letter}“)",
    "carried.claimed.note": "saatmisel",
    "carried.claimed.detail": "õnnitlus on kirjas „{letter}“, mida praegu saadetakse",
    "carried.skipped.badge": "vahele jäetud: kirja „{letter}“ ei saadetud",
    "carried.skipped.note": "kirja ei saadetud",
    "carried.skipped.detail": "õnnitlus oli kirjas „{letter}“, mida ei saadetud",
    "carried.expired.badge": "vahele jäetud: kiri „{letter}“ aegus",
    "carried.expired.note": "kiri aegus",
    "carried.expired.detail": "õnnitlus oli kirjas „{letter}“, mis jäi saatmata, sest selle tähtaeg möödus",
    "meta.from": "Saatja",
    "meta.to": "Saaja",
    "meta.when": "Saatmine",
    "meta.template": "Mall",
    "meta.approval": "Heakskiit",
    "page.no_html": "Sellel mallil pole HTML-versiooni: saaja näeb ainult teksti.",
    "page.html_title": "Kirja HTML-versioon",
    "page.text": "Tekst",
    "pager.label": "Osad",
    "pager.label_end": "Osad (lehe lõpus)",
    "pager.parts": "Osad: {links}",
    "overview.caption": "Päevad: kirjad ja vahelejäetud tähtpäevad päevade kaupa, igal päeval oma leht",
    "overview.day": "Päev",
    "overview.outside": "väljaspool sihtrühma",
    "overview.parts": "Osad",
    "clients.forms": "klient|klienti",
    "fold.badge": "vahele jäetud: väljaspool sihtrühma",
    "fold.line": "{clients} väljaspool tähtpäeva sihtrühma, kirju ei saadeta",
    "fold.list": "loetelu →",
    "fold.title": "Väljaspool sihtrühma: {day}",
    "fold.heading": "{title}: väljaspool sihtrühma",
    "fold.range": (
        "{day} · väljaspool tähtpäeva sihtrühma (selle sildid või tingimused):\n {clients}, kirju ei"
        " saadeta. Põhjus on kirjas igaühe real."
    ),
    "ics.summary": "Õnnitlus: {who} – {occasions}",
    "ics.leaves": "Saatmisaeg: {day} kell {time} {label} saaja kohaliku aja järgi ({zone})",
    "ics.occasion": "Tähtpäev: {occasion}",
    "ics.also": "Samas kirjas: {occasion}",
    "ics.to": "Saaja: {who} <{email}> (ID {id})",
    "ics.company": "Ettevõte: {company}",
    "ics.moved": "{day} (tänavu {moved})",
    "ics.day_summary": "Õnnitlused: {letters} – {occasions}",
    "ics.letters.forms": "kiri|kirja",
}
