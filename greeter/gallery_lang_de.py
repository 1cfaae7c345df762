"""The preview gallery's and the calendar's words in German (:mod:`greeter.gallery_lang`).

Why a module of its own: a language's table is two hundred lines, and
:mod:`greeter.gallery_lang` holds the lookups and the first two languages.

The wording is a German product's: a letter is a *Nachricht* (the word for an
e-mail in DACH software, the same gender in Germany and Austria, where "die/das
E-Mail" differ), an occasion an *Anlass*, approving *freigeben*; commands are
infinitives ("Nachricht öffnen"), and the reader is never addressed by name,
so no sentence needs "Sie" — nor starts a clause after a colon with "Sie"/"Ihre",
which would read as the formal address. Dates are CLDR's German: "Freitag,
25. Dezember 2026", numeric "25.12.2026". Plurals: CLDR's ``one|other``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["GERMAN"]

#: German (``de``, ``de_AT``, ``de_CH``…): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
GERMAN: Final[Mapping[str, str]] = {
    "locale": "de",
    "date.long_day": "EEEE, d. MMMM y",
    "date.short_day": "EEE, dd.MM.",
    "date.date": "dd.MM.y",
    "date.day_month": "dd.MM.",
    "reason.frequency_cap": "Häufigkeitslimit",
    "reason.merged": "zusammengeführt",
    "reason.suppressed": "auf der Sperrliste",
    "reason.no_email": "keine E-Mail-Adresse",
    "reason.invalid_contact": "Fehler im Kontakt",
    "reason.already_sent": "bereits versendet",
    "reason.expired": "abgelaufen",
    "reason.outside_audience": "außerhalb der Zielgruppe",
    "reason.render_error": "Vorlagenfehler",
    "reason.awaiting_approval": "Freigabe ausstehend",
    "approval.awaiting_approval": "Freigabe ausstehend",
    "approval.awaiting_approval.means": "wird erst nach der Freigabe versendet (greeter approve)",
    "approval.changed_since_approval": "nach Freigabe geändert",
    "approval.changed_since_approval.means": (
        "der Text wurde nach der Freigabe geändert; die Freigabe ist damit aufgehoben, und die Nachricht"
        " wird erst nach erneuter Freigabe versendet"
    ),
    "approval.approval_outdated": "Freigabe aus älterer Version",
    "approval.approval_outdated.means": (
        "die Freigabe einer älteren greeter-Version umfasste Empfänger und Absender nicht; die Nachricht"
        " wird erst nach erneuter Freigabe versendet"
    ),
    "approval.approved": "freigegeben",
    "approval.approved.means": "wird planmäßig versendet: Genau diese Nachricht wurde freigegeben",
    "filter.all": "Alle",
    "filter.send": "Zum Versand",
    "filter.sent": "Versendet",
    "filter.merged": "Zusammengeführt",
    "filter.skip": "Übersprungen",
    "filter.error": "Fehler",
    "filter.failed": "Nicht zugestellt",
    "filter.pending": "Unbestätigt",
    "toolbar.label": "Filter",
    "toolbar.status": "Status",
    "toolbar.approval": "Freigabe",
    "toolbar.search_label": "Suche nach Name, E-Mail, Anlass und Betreff (Taste /)",
    # no "( / )" hint: it did not fit the field beside the review filters (the label above says "/")
    "toolbar.search": "Name, E-Mail, Anlass, Betreff",
    "script.shown": "Angezeigt: ",
    "script.of": " von ",
    "stat.send": "zum Versand",
    "stat.sent": "versendet",
    "stat.merged": "zusammengeführt",
    "stat.skip": "übersprungen",
    "stat.error.forms": "Vorlagenfehler|Vorlagenfehler",
    "stat.failed": "nicht zugestellt",
    "stat.pending": "unbestätigt",
    "stat.combined": "{n} mit zusammengeführten Anlässen",
    "stat.belated": "{n} nach dem Anlass",
    "stat.by_journal": "laut Versandprotokoll",
    "stat.rode": "; in anderen Nachrichten: {n}",
    "stat.merged_note": "Anlässe in andere Nachrichten übernommen",
    "stat.error_note": "Nachrichten nicht erstellt",
    "day.send": "zum Versand",
    "day.sent": "versendet",
    "day.merged": "zusammengeführt",
    "day.skip": "übersprungen",
    "day.error": "Fehler",
    "day.failed": "nicht zugestellt",
    "day.pending": "unbestätigt",
    "day.quota": "Tageskontingent: {allowed} von {total}",
    "day.quota_later": "später",
    "day.quota_lost": "nie versendet",
    "page.title": "Glückwünsche: Vorschau",
    "header.title": "Glückwünsche",
    "header.pill": "Vorschau",
    "header.range": "vom <b>{start}</b> bis <b>{end}</b> ({days})\n · Stand: <b>{as_of}</b>",
    "header.days.forms": "Tag|Tage",
    "day.part": " · Teil {part} von {parts}",
    "day.range": "Glückwünsche dieses Tages{part}",
    "day.whole": "der ganze Tag: {counts}",
    "nav.all_days": "← Alle Tage",
    "nav.all_greetings": "← Alle Glückwünsche",
    "day.off": "arbeitsfrei",
    "script.all": "Alle {n} angezeigt",
    "toolbar.search_word": "Suche",
    "nav.back": "Zurück zur Galerie",
    "nav.letters": "Vorherige und nächste Nachricht",
    "nav.letters_end": "Vorherige und nächste Nachricht (Seitenende)",
    "nav.prev": "vorherige Nachricht",
    "nav.next": "nächste Nachricht",
    "badge.tip": "für Protokolle und JSON: {words}",
    "nothing_planned": "In diesem Zeitraum ist nichts geplant.",
    "no_match": "Keine Treffer.",
    "footer": "greeter preview · Versandzeiten in der Zeitzone des jeweiligen Empfängers",
    "contact_errors": "Fehler in Kontaktdaten",
    "contact_errors.note": (
        "zu diesen Anlässen kann erst gratuliert werden, wenn das Datum in der Kontaktzeile korrigiert ist"
    ),
    "rejected.title": "Nicht geladene Kontaktzeilen: {n}",
    "rejected.note": "diese Kunden erhalten nichts, bis die Zeile korrigiert ist",
    "alert.contact_errors": "Fehler in Kontaktdaten: {n}",
    "alert.rejected": "nicht geladene Kontaktzeilen: {n}",
    "alert.listed": "{links} – aufgelistet {where}",
    "alert.elsewhere": "auf einer eigenen Seite",
    "alert.below": "nach den Nachrichten, unten auf der Seite",
    "no_email": "keine E-Mail-Adresse",
    "badge.send": "zum Versand",
    "badge.sent": "versendet",
    "badge.error": "Vorlagenfehler",
    "badge.skip": "übersprungen: {reason}",
    "belated": "nach dem Anlass",
    "belated.tip": "wird nach dem Tag des Anlasses versendet",
    "own_day.tip": "Tag des Anlasses: Die Nachricht wird an einem anderen Tag versendet",
    "when.occasion": "Datum des Anlasses",
    "when.sent": "versendet (laut Versandprotokoll), Ortszeit des Empfängers",
    "when.send": "Versandzeit, Ortszeit des Empfängers",
    "open": "Nachricht öffnen →",
    "open.carrier": "Nachricht „{letter}“ öffnen →",
    "carried.planned": "der Glückwunsch wird mit der Nachricht „{letter}“ versendet",
    "carried.failed_render": (
        "der Glückwunsch sollte mit der Nachricht „{letter}“ versendet werden, die sich nicht erstellen"
        " ließ: {why}"
    ),
    "journal.failed.badge": "nicht zugestellt: vom Server abgelehnt",
    "journal.failed.note": "vom Server abgelehnt",
    "journal.failed.detail": (
        "der Server des Empfängers hat die Nachricht abgelehnt; sie wurde nicht zugestellt und wird nicht"
        " automatisch erneut gesendet"
    ),
    "journal.uncertain.badge": "Zustellung unklar",
    "journal.uncertain.note": "Zustellung unklar",
    "journal.uncertain.detail": (
        "die Verbindung brach nach der Übergabe der Nachricht ab; ob sie angekommen ist, ist unklar, und"
        " greeter sendet sie nicht von sich aus erneut (greeter uncertain resend oder dismiss)"
    ),
    "journal.retry.badge": "wird erneut gesendet",
    "journal.retry.note": "wird erneut gesendet",
    "journal.retry.detail": (
        "der Server hat die Nachricht vorübergehend nicht angenommen; greeter sendet sie erneut"
    ),
    "journal.claimed.badge": "wird gesendet",
    "journal.claimed.note": "wird gesendet",
    "journal.claimed.detail": (
        "die Nachricht wird gerade an den Server übergeben (oder der Versand wurde unterbrochen; dann wird"
        " sie als „Zustellung unklar“ markiert)"
    ),
    "journal.skipped.badge": "übersprungen: beim Versand übersprungen",
    "journal.skipped.note": "beim Versand übersprungen",
    "journal.skipped.detail": (
        "die Nachricht wurde beim Versand nicht gesendet (den Grund nennt greeter history)"
    ),
    "journal.skipped.why": "die Nachricht wurde beim Versand nicht gesendet: {why}",
    "journal.dismissed.detail": (
        "ein Operator hat die Nachricht als zugestellt markiert: die Verbindung brach nach der Übergabe"
        " ab, sie kann angekommen sein; greeter sendet sie nicht erneut (greeter history)"
    ),
    "journal.baseline.badge": "übersprungen: vor greeter versendet (baseline)",
    "journal.baseline.note": "vor greeter versendet",
    "journal.baseline.detail": (
        "greeter hat diesen Brief nicht versendet:"
        " greeter baseline hat ihn als vom vorherigen Werkzeug versendet vermerkt (siehe greeter history)"
    ),
    "carried.baseline.badge": "übersprungen: Nachricht „{letter}“ vor greeter versendet (baseline)",
    "carried.baseline.note": "in vor greeter versendeten Nachrichten",
    "carried.baseline.detail": (
        "der Glückwunsch war in der Nachricht „{letter}“, die greeter nicht versendet hat:"
        " greeter baseline hat sie als vom vorherigen Werkzeug versendet vermerkt (siehe greeter history)"
    ),
    "carried.sent.badge": "versendet in der Nachricht „{letter}“",
    "carried.sent.note": "in Nachrichten anderer Anlässe",
    "carried.sent.detail": "der Glückwunsch wurde mit der Nachricht „{letter}“ versendet",
    "carried.failed.badge": "nicht zugestellt (in der Nachricht „{letter}“)",
    "carried.failed.note": "in Nachrichten anderer Anlässe",
    "carried.failed.detail": (
        "der Glückwunsch war in der Nachricht „{letter}“, die der Server des Empfängers abgelehnt hat"
    ),
    "carried.uncertain.badge": "Zustellung unklar (in der Nachricht „{letter}“)",
    "carried.uncertain.note": "Zustellung unklar",
    "carried.uncertain.detail": (
        "der Glückwunsch war in der Nachricht „{letter}“; ob sie angekommen ist, ist unklar"
    ),
    "carried.retry.badge": "wird erneut gesendet (in der Nachricht „{letter}“)",
    "carried.retry.note": "wird erneut gesendet",
    "carried.retry.detail": "der Glückwunsch ist in der Nachricht „{letter}“, die greeter erneut sendet",
    "carried.claimed.badge": "wird gesendet (in der Nachricht „{letter}“)",
    "carried.claimed.note": "wird gesendet",
    "carried.claimed.detail": "der Glückwunsch ist in der Nachricht „{letter}“, die gerade gesendet wird",
    "carried.skipped.badge": "übersprungen: Nachricht „{letter}“ nicht gesendet",
    "carried.skipped.note": "Nachricht nicht gesendet",
    "carried.skipped.detail": "der Glückwunsch war in der Nachricht „{letter}“, die nicht gesendet wurde",
    "carried.expired.badge": "übersprungen: Nachricht „{letter}“ abgelaufen",
    "carried.expired.note": "Nachricht abgelaufen",
    "carried.expired.detail": (
        "der Glückwunsch war in der Nachricht „{letter}“, die nie versendet wurde, weil ihre Frist"
        " abgelaufen ist"
    ),
    "meta.from": "Von",
    "meta.to": "An",
    "meta.when": "Versand",
    "meta.template": "Vorlage",
    "meta.approval": "Freigabe",
    "page.no_html": "Diese Vorlage hat keine HTML-Version; der Empfänger sieht nur den Text.",
    "page.html_title": "HTML-Version der Nachricht",
    "page.text": "Text",
    "pager.label": "Teile",
    "pager.label_end": "Teile (Seitenende)",
    "pager.parts": "Teile: {links}",
    "overview.caption": (
        "Tage: Nachrichten und übersprungene Anlässe pro Tag, jeder Tag auf einer eigenen Seite"
    ),
    "overview.day": "Tag",
    "overview.outside": "außerhalb der Zielgruppe",
    "overview.parts": "Teile",
    "clients.forms": "Kunde|Kunden",
    "fold.badge": "übersprungen: außerhalb der Zielgruppe",
    "fold.line": "{clients} außerhalb der Zielgruppe des Anlasses, keine Nachrichten",
    "fold.list": "Liste →",
    "fold.title": "Außerhalb der Zielgruppe: {day}",
    "fold.heading": "{title}: außerhalb der Zielgruppe",
    "fold.range": (
        "{day} · außerhalb der Zielgruppe des Anlasses (Tags oder Bedingungen):\n {clients}, keine"
        " Nachrichten. Der Grund steht jeweils in der Zeile."
    ),
    "ics.summary": "Glückwunsch: {who} – {occasions}",
    "ics.leaves": "Versand am {day} um {time} Uhr {label}, Ortszeit des Empfängers ({zone})",
    "ics.occasion": "Anlass: {occasion}",
    "ics.also": "In derselben Nachricht: {occasion}",
    "ics.to": "An: {who} <{email}> (ID {id})",
    "ics.company": "Unternehmen: {company}",
    "ics.moved": "{day} (dieses Jahr am {moved})",
    "ics.day_summary": "Glückwünsche: {letters} – {occasions}",
    "ics.letters.forms": "Nachricht|Nachrichten",
}
