"""The preview gallery's and the calendar's words in Croatian and Bosnian (:mod:`greeter.gallery_lang`).

Why: greeter writes to Croatian and Bosnian clients (their letters fall back to
the Serbian Latin ones: :func:`greeter.i18n.kindred_serbian`), but a team whose
``defaults.locale`` is ``hr`` or ``bs`` read its plan in English. They are close
to Serbian Latin, not the same: both are ijekavian («vrijeme», «izmijenjeno»,
«poslije», where Serbian writes «vreme», «izmenjeno», «posle»), and Croatian has
words of its own — a recipient is a *primatelj* (Serbian «primalac»), a
template a *predložak* («šablon»), an error a *pogreška*, a server a
*poslužitelj*, a list a *popis*, a target group a *ciljna skupina*, sent
*poslano* («poslato»). So Croatian is a table of its own (:data:`CROATIAN`),
and Bosnian is Croatian with the words where Bosnian goes with Serbian
(:data:`_BOSNIAN_WORDS`: *primalac*, *greška*, *šablon*, *server*, *spisak*,
*ciljna grupa*, *uslovi*), the rest — ijekavian, *poslano* — shared.

Dates are CLDR's (Babel's), not written here: Croatian months are its own
(«25. prosinca 2026.», the genitive), Bosnian's «25. decembar 2026.». Counts
take CLDR's three forms, ``one|few|other`` (1 klijent, 2 klijenta, 5
klijenata). As in Serbian, links address the reader in the plural
(«Otvorite pismo»), and a sentence whose verb would have to agree with a count
puts the count after a colon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

__all__ = ["BOSNIAN", "CROATIAN", "bosnian"]

#: Croatian (``hr``, ``hr_HR``, ``hr_BA``): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
CROATIAN: Final[Mapping[str, str]] = {
    "locale": "hr",
    "date.long_day": "EEEE, d. MMMM y.",
    "date.short_day": "EEE d. M.",
    "date.date": "d. M. y.",
    "date.day_month": "d. M.",
    "reason.frequency_cap": "ograničenje učestalosti",
    "reason.merged": "spojeno",
    "reason.suppressed": "na popisu isključenih",
    "reason.no_email": "nema adrese e-pošte",
    "reason.invalid_contact": "pogreška u kontaktu",
    "reason.already_sent": "već poslano",
    "reason.expired": "isteklo",
    "reason.outside_audience": "izvan ciljne skupine",
    "reason.render_error": "pogreška u predlošku",
    "reason.awaiting_approval": "čeka odobrenje",
    "approval.awaiting_approval": "čeka odobrenje",
    "approval.awaiting_approval.means": "neće biti poslano dok ne bude odobreno (greeter approve)",
    "approval.changed_since_approval": "izmijenjeno nakon odobrenja",
    "approval.changed_since_approval.means": (
        "tekst je izmijenjen nakon odobrenja: odobrenje je povučeno, a pismo neće biti poslano dok ne"
        " bude ponovno odobreno"
    ),
    "approval.approval_outdated": "odobreno u starijoj verziji",
    "approval.approval_outdated.means": (
        "odobrenje iz starije verzije programa greeter nije obuhvaćalo primatelja i pošiljatelja: pismo"
        " neće biti poslano dok ne bude ponovno odobreno"
    ),
    "approval.approved": "odobreno",
    "approval.approved.means": "bit će poslano na vrijeme: odobreno je upravo ovo pismo",
    "filter.all": "Sve",
    "filter.send": "Za slanje",
    "filter.sent": "Poslano",
    "filter.merged": "Spojeno",
    "filter.skip": "Preskočeno",
    "filter.error": "Pogreške",
    "filter.failed": "Nije isporučeno",
    "filter.pending": "Nepotvrđeno",
    "toolbar.label": "Filtri",
    "toolbar.status": "Stanje",
    "toolbar.approval": "Odobrenje",
    "toolbar.search_label": "Pretraživanje po imenu, e-pošti, povodu i predmetu (tipka /)",
    "toolbar.search": "ime, e-pošta, povod, predmet…  ( / )",
    "script.shown": "Prikazano ",
    "script.of": " od ",
    "stat.send": "za slanje",
    "stat.sent": "poslano",
    "stat.merged": "spojeno",
    "stat.skip": "preskočeno",
    "stat.error.forms": "pogreška u predlošku|pogreške u predlošcima|pogrešaka u predlošcima",
    "stat.failed": "nije isporučeno",
    "stat.pending": "nepotvrđeno",
    "stat.combined": "{n} sa spojenim povodima",
    "stat.belated": "{n} nakon dana povoda",
    "stat.by_journal": "prema dnevniku slanja",
    "stat.rode": "; u drugim pismima: {n}",
    "stat.merged_note": "povodi su uključeni u druga pisma",
    "stat.error_note": "pisma nisu sastavljena",
    "day.send": "za slanje",
    "day.sent": "poslano",
    "day.merged": "spojeno",
    "day.skip": "preskočeno",
    "day.error": "pogreške",
    "day.failed": "nije isporučeno",
    "day.pending": "nepotvrđeno",
    "day.quota": "kvota: {allowed} od {total}",
    "day.quota_later": "kasnije",
    "day.quota_lost": "neće otići",
    "page.title": "Čestitke: pregled",
    "header.title": "Čestitke",
    "header.pill": "pregled",
    "header.range": "od <b>{start}</b> do <b>{end}</b> ({days})\n · stanje na dan <b>{as_of}</b>",
    "header.days.forms": "dan|dana|dana",
    "day.part": " · dio {part} od {parts}",
    "day.range": "čestitke za ovaj dan{part}",
    "day.whole": "cijeli dan: {counts}",
    "nav.all_days": "← Svi dani",
    "nav.all_greetings": "← Sve čestitke",
    "day.off": "neradni dan",
    "script.all": "Prikazano svih {n}",
    "toolbar.search_word": "Pretraživanje",
    "nav.back": "Natrag u galeriju",
    "nav.letters": "Prethodno i sljedeće pismo",
    "nav.letters_end": "Prethodno i sljedeće pismo (dno stranice)",
    "nav.prev": "prethodno pismo",
    "nav.next": "sljedeće pismo",
    "badge.tip": "za zapise i JSON: {words}",
    "nothing_planned": "U ovom razdoblju ništa nije planirano.",
    "no_match": "Nema rezultata.",
    "footer": "greeter preview · vrijeme slanja je po vremenskoj zoni svakog primatelja",
    "contact_errors": "Pogreške u kontaktima",
    "contact_errors.note": (
        "za ove povode čestitka ne može biti poslana dok se ne ispravi datum u retku kontakta"
    ),
    "rejected.title": "Neučitani retci kontakata: {n}",
    "rejected.note": "ovi klijenti neće ništa dobiti dok se redak ne ispravi",
    "alert.contact_errors": "pogreške u kontaktima: {n}",
    "alert.rejected": "neučitani retci kontakata: {n}",
    "alert.listed": "{links} – popis {where}",
    "alert.elsewhere": "na zasebnoj stranici",
    "alert.below": "nakon pisama, na dnu stranice",
    "no_email": "nema adrese e-pošte",
    "badge.send": "za slanje",
    "badge.sent": "poslano",
    "badge.error": "pogreška u predlošku",
    "badge.skip": "preskočeno: {reason}",
    "belated": "nakon dana povoda",
    "belated.tip": "šalje se nakon dana povoda",
    "own_day.tip": "dan povoda: pismo se šalje drugoga dana",
    "when.occasion": "datum povoda",
    "when.sent": "poslano (prema dnevniku slanja), po vremenu primatelja",
    "when.send": "vrijeme slanja po vremenu primatelja",
    "open": "Otvorite pismo →",
    "open.carrier": "Otvorite pismo „{letter}” →",
    "carried.planned": "čestitka će biti poslana u pismu „{letter}”",
    "carried.failed_render": (
        "čestitka je trebala biti poslana u pismu „{letter}”, koje se nije moglo sastaviti: {why}"
    ),
    "journal.failed.badge": "nije isporučeno: poslužitelj je odbio",
    "journal.failed.note": "poslužitelj je odbio",
    "journal.failed.detail": (
        "poslužitelj primatelja odbio je pismo: nije isporučeno, a greeter ga neće sam ponovno poslati"
    ),
    "journal.uncertain.badge": "nepoznato je li stiglo",
    "journal.uncertain.note": "nepoznato je li stiglo",
    "journal.uncertain.detail": (
        "veza je prekinuta nakon predaje pisma: možda je stiglo, a možda i nije; greeter ga neće sam"
        " ponovno poslati (greeter uncertain resend ili dismiss)"
    ),
    "journal.retry.badge": "ponovno slanje",
    "journal.retry.note": "ponovno slanje",
    "journal.retry.detail": "poslužitelj privremeno nije primio pismo: greeter će ga ponovno poslati",
    "journal.claimed.badge": "šalje se",
    "journal.claimed.note": "šalje se",
    "journal.claimed.detail": (
        "pismo se upravo predaje poslužitelju (ili je slanje prekinuto: tada će biti označeno kao"
        " „nepoznato je li stiglo”)"
    ),
    "journal.skipped.badge": "preskočeno: preskočeno pri slanju",
    "journal.skipped.note": "preskočeno pri slanju",
    "journal.skipped.detail": "pismo nije poslano pri slanju (razlog navodi greeter history)",
    "journal.skipped.why": "pismo nije poslano pri slanju: {why}",
    "journal.dismissed.detail": (
        "operater je označio pismo kao dostavljeno: veza je prekinuta nakon predaje i pismo je možda"
        " stiglo; greeter ga neće ponovno poslati (greeter history)"
    ),
    "journal.baseline.badge": "preskočeno: poslano prije greetera (baseline)",
    "journal.baseline.note": "poslano prije greetera",
    "journal.baseline.detail": (
        "greeter nije poslao ovo pismo:"
        " greeter baseline zabilježio ga je kao poslano prethodnim alatom (vidi greeter history)"
    ),
    "carried.baseline.badge": "preskočeno: pismo „{letter}” poslano prije greetera (baseline)",
    "carried.baseline.note": "u pismima poslanima prije greetera",
    "carried.baseline.detail": (
        "čestitka je bila u pismu „{letter}”, koje greeter nije poslao:"
        " greeter baseline zabilježio ga je kao poslano prethodnim alatom (vidi greeter history)"
    ),
    "carried.sent.badge": "poslano u pismu „{letter}”",
    "carried.sent.note": "u pismima drugih povoda",
    "carried.sent.detail": "čestitka je poslana u pismu „{letter}”",
    "carried.failed.badge": "nije isporučeno (u pismu „{letter}”)",
    "carried.failed.note": "u pismima drugih povoda",
    "carried.failed.detail": "čestitka je bila u pismu „{letter}”, koje je poslužitelj primatelja odbio",
    "carried.uncertain.badge": "nepoznato je li stiglo (u pismu „{letter}”)",
    "carried.uncertain.note": "nepoznato je li stiglo",
    "carried.uncertain.detail": "čestitka je bila u pismu „{letter}”: nepoznato je je li stiglo",
    "carried.retry.badge": "ponovno slanje (u pismu „{letter}”)",
    "carried.retry.note": "ponovno slanje",
    "carried.retry.detail": "čestitka je u pismu „{letter}”, koje će greeter ponovno poslati",
    "carried.claimed.badge": "šalje se (u pismu „{letter}”)",
    "carried.claimed.note": "šalje se",
    "carried.claimed.detail": "čestitka je u pismu „{letter}”, koje se upravo šalje",
    "carried.skipped.badge": "preskočeno: pismo „{letter}” nije poslano",
    "carried.skipped.note": "pismo nije poslano",
    "carried.skipped.detail": "čestitka je bila u pismu „{letter}”, koje nije poslano",
    "carried.expired.badge": "preskočeno: pismu „{letter}” istekao je rok",
    "carried.expired.note": "pismu je istekao rok",
    "carried.expired.detail": (
        "čestitka je bila u pismu „{letter}”, koje nikada nije poslano: istekao mu je rok"
    ),
    "meta.from": "Od",
    "meta.to": "Za",
    "meta.when": "Slanje",
    "meta.template": "Predložak",
    "meta.approval": "Odobrenje",
    "page.no_html": "Ovaj predložak nema HTML verziju: primatelj će vidjeti samo tekst.",
    "page.html_title": "HTML verzija pisma",
    "page.text": "Tekst",
    "pager.label": "Dijelovi",
    "pager.label_end": "Dijelovi (dno stranice)",
    "pager.parts": "Dijelovi: {links}",
    "overview.caption": "Dani: pisma i preskočeni povodi po danima, svaki dan na zasebnoj stranici",
    "overview.day": "Dan",
    "overview.outside": "izvan ciljne skupine",
    "overview.parts": "Dijelovi",
    "clients.forms": "klijent|klijenta|klijenata",
    "fold.badge": "preskočeno: izvan ciljne skupine",
    "fold.line": "izvan ciljne skupine povoda: {clients}, nema pisama",
    "fold.list": "popis →",
    "fold.title": "Izvan ciljne skupine: {day}",
    "fold.heading": "{title}: izvan ciljne skupine",
    "fold.range": (
        "{day} · izvan ciljne skupine povoda (njegove oznake ili uvjeti):\n {clients}, nema pisama."
        " Razlog je naveden u svakom retku."
    ),
    "ics.summary": "Čestitka: {who} – {occasions}",
    "ics.leaves": "Pismo se šalje {day} u {time} {label} po vremenu primatelja ({zone})",
    "ics.occasion": "Povod: {occasion}",
    "ics.also": "U istom pismu: {occasion}",
    "ics.to": "Za: {who} <{email}> (ID {id})",
    "ics.company": "Tvrtka: {company}",
    "ics.moved": "{day} (ove godine {moved})",
    "ics.day_summary": "Čestitke: {letters} – {occasions}",
    "ics.letters.forms": "pismo|pisma|pisama",
}

#: Where Bosnian goes with Serbian's word, not Croatian's (each whole word, as written in Croatian's).
_BOSNIAN_WORDS: Final[Mapping[str, str]] = {
    "primatelja": "primaoca",
    "primatelj": "primalac",
    "pošiljatelja": "pošiljaoca",
    "pogreška": "greška",
    "pogreške": "greške",
    "pogrešaka": "grešaka",
    "Pogreške": "Greške",
    "predložak": "šablon",
    "predlošku": "šablonu",
    "predlošcima": "šablonima",
    "Predložak": "Šablon",
    "poslužitelj": "server",
    "poslužitelju": "serveru",
    "Poslužitelj": "Server",
    "popis": "spisak",
    "popisu": "spisku",
    "skupine": "grupe",
    "skupina": "grupa",
    "Filtri": "Filteri",
    "Pretraživanje": "Pretraga",
    "uvjeti": "uslovi",
    "obuhvaćalo": "obuhvatalo",
    "Tvrtka": "Preduzeće",
    "razdoblju": "periodu",
    "retku": "redu",
    "retci": "redovi",
    "redak": "red",
    "drugoga": "drugog",
    "stupac": "kolona",
    "obljetnica": "godišnjica",
    "višekratnik": "umnožak",
    "njezina": "njenog",
    "dopuštenima": "dozvoljenima",
}
_WORD: Final = re.compile(r"\w+")


def bosnian(text: str) -> str:
    """Croatian ``text`` with Bosnian's words (:data:`_BOSNIAN_WORDS`), word by whole word."""
    return _WORD.sub(lambda m: _BOSNIAN_WORDS.get(m[0], m[0]), text)


#: Bosnian (``bs``, ``bs_BA``): Croatian with Bosnian's words (see the module's doc).
BOSNIAN: Final[Mapping[str, str]] = {
    **{key: text if key.startswith("date.") else bosnian(text) for key, text in CROATIAN.items()},
    "locale": "bs",
}
