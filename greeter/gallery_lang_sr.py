"""The preview gallery's and the calendar's words in Serbian, in both scripts (:mod:`greeter.gallery_lang`).

Why a module of its own: a language's table is two hundred lines, and
:mod:`greeter.gallery_lang` holds the lookups and the first two languages.

The words are written once, in Cyrillic (:data:`SERBIAN`), and the Latin table
(:data:`SERBIAN_LATIN`) is made from them by the official letter-for-letter
transliteration the letters already use (:func:`greeter.serbian_script.to_latin`):
Serbian is one alphabet in two scripts, so two hand-kept tables could only
drift apart. The command names (``greeter approve``) and ``HTML`` are Latin
in both, as Serbian technical text writes them.

The wording is a Serbian product's, ekavian («послато», «примаоца»), formal:
links address the reader in the plural («Отворите писмо», as «Сазнајте
више»). A letter is a *писмо*, an occasion a *повод*, a greeting a
*честитка*, e-mail *е-пошта*. Counts take CLDR's three forms,
``one|few|other`` (1 клијент, 2 клијента, 5 клијената); a sentence whose verb
would have to agree with a count puts the count after a colon instead. Dates
are CLDR's Serbian, «петак, 25. децембар 2026.» (a heading's first letter
capitalised by :class:`~greeter.gallery_lang.Ui`), numeric «25. 12. 2026.»;
the calendar's sentences take :func:`greeter.i18n.format_date`'s genitive,
«30. децембра 2026.».
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from greeter.serbian_script import to_latin

__all__ = ["SERBIAN", "SERBIAN_LATIN"]

#: Serbian in Cyrillic (``sr``, ``sr_RS``, ``sr_Cyrl``): the keys are English's
#: (:data:`greeter.gallery_lang.ENGLISH`).
SERBIAN: Final[Mapping[str, str]] = {
    "locale": "sr",
    "date.long_day": "EEEE, d. MMMM y.",
    "date.short_day": "EEE d. M.",
    "date.date": "d. M. y.",
    "date.day_month": "d. M.",
    "reason.frequency_cap": "ограничење учесталости",
    "reason.merged": "спојено",
    "reason.suppressed": "на листи искључених",
    "reason.no_email": "нема адресе е-поште",
    "reason.invalid_contact": "грешка у контакту",
    "reason.already_sent": "већ послато",
    "reason.expired": "истекло",
    "reason.outside_audience": "изван циљне групе",
    "reason.render_error": "грешка у шаблону",
    "reason.awaiting_approval": "чека одобрење",
    "approval.awaiting_approval": "чека одобрење",
    "approval.awaiting_approval.means": "неће бити послато док не буде одобрено (greeter approve)",
    "approval.changed_since_approval": "измењено након одобрења",
    "approval.changed_since_approval.means": (
        "текст је измењен након одобрења: одобрење је повучено, а писмо неће бити послато док не буде"
        " поново одобрено"
    ),
    "approval.approval_outdated": "одобрено у старијој верзији",
    "approval.approval_outdated.means": (
        "одобрење из старије верзије програма greeter није обухватало примаоца и пошиљаоца: писмо неће"
        " бити послато док не буде поново одобрено"
    ),
    "approval.approved": "одобрено",
    "approval.approved.means": "биће послато на време: одобрено је управо ово писмо",
    "filter.all": "Све",
    "filter.send": "За слање",
    "filter.sent": "Послато",
    "filter.merged": "Спојено",
    "filter.skip": "Прескочено",
    "filter.error": "Грешке",
    "filter.failed": "Није испоручено",
    "filter.pending": "Непотврђено",
    "toolbar.label": "Филтери",
    "toolbar.status": "Стање",
    "toolbar.approval": "Одобрење",
    "toolbar.search_label": "Претрага по имену, е-пошти, поводу и теми (тастер /)",
    # no "( / )" hint: it did not fit the field beside the review filters (the label above says "/")
    "toolbar.search": "име, е-пошта, повод, тема",
    "script.shown": "Приказано ",
    "script.of": " од ",
    "stat.send": "за слање",
    "stat.sent": "послато",
    "stat.merged": "спојено",
    "stat.skip": "прескочено",
    "stat.error.forms": "грешка у шаблону|грешке у шаблонима|грешака у шаблонима",
    "stat.failed": "није испоручено",
    "stat.pending": "непотврђено",
    "stat.combined": "{n} са спојеним поводима",
    "stat.belated": "{n} после дана повода",
    "stat.by_journal": "према дневнику слања",
    "stat.rode": "; у другим писмима: {n}",
    "stat.merged_note": "поводи су укључени у друга писма",
    "stat.error_note": "писма нису састављена",
    "day.send": "за слање",
    "day.sent": "послато",
    "day.merged": "спојено",
    "day.skip": "прескочено",
    "day.error": "грешке",
    "day.failed": "није испоручено",
    "day.pending": "непотврђено",
    "day.quota": "квота: {allowed} од {total}",
    "day.quota_later": "касније",
    "day.quota_lost": "неће отићи",
    "page.title": "Честитке: преглед",
    "header.title": "Честитке",
    "header.pill": "преглед",
    "header.range": "од <b>{start}</b> до <b>{end}</b> ({days})\n · стање на дан <b>{as_of}</b>",
    "header.days.forms": "дан|дана|дана",
    "day.part": " · део {part} од {parts}",
    "day.range": "честитке за овај дан{part}",
    "day.whole": "цео дан: {counts}",
    "nav.all_days": "← Сви дани",
    "nav.all_greetings": "← Све честитке",
    "day.off": "нерадни дан",
    "script.all": "Приказано свих {n}",
    "toolbar.search_word": "Претрага",
    "nav.back": "Назад у галерију",
    "nav.letters": "Претходно и следеће писмо",
    "nav.letters_end": "Претходно и следеће писмо (дно странице)",
    "nav.prev": "претходно писмо",
    "nav.next": "следеће писмо",
    "badge.tip": "за записе и JSON: {words}",
    "nothing_planned": "У овом периоду ништа није планирано.",
    "no_match": "Нема резултата.",
    "footer": "greeter preview · време слања је по временској зони сваког примаоца",
    "contact_errors": "Грешке у контактима",
    "contact_errors.note": (
        "за ове поводе честитка не може бити послата док се не исправи датум у реду контакта"
    ),
    "rejected.title": "Неучитани редови контаката: {n}",
    "rejected.note": "ови клијенти неће ништа добити док се ред не исправи",
    "alert.contact_errors": "грешке у контактима: {n}",
    "alert.rejected": "неучитани редови контаката: {n}",
    "alert.listed": "{links} – списак {where}",
    "alert.elsewhere": "на посебној страници",
    "alert.below": "после писама, на дну странице",
    "no_email": "нема адресе е-поште",
    "badge.send": "за слање",
    "badge.sent": "послато",
    "badge.error": "грешка у шаблону",
    "badge.skip": "прескочено: {reason}",
    "belated": "после дана повода",
    "belated.tip": "шаље се после дана повода",
    "own_day.tip": "дан повода: писмо се шаље другог дана",
    "when.occasion": "датум повода",
    "when.sent": "послато (према дневнику слања), по времену примаоца",
    "when.send": "време слања по времену примаоца",
    "open": "Отворите писмо →",
    "open.carrier": "Отворите писмо „{letter}“ →",
    "carried.planned": "честитка ће бити послата у писму „{letter}“",
    "carried.failed_render": (
        "честитка је требало да буде послата у писму „{letter}“, које није могло да се састави: {why}"
    ),
    "journal.failed.badge": "није испоручено: сервер је одбио",
    "journal.failed.note": "сервер је одбио",
    "journal.failed.detail": (
        "сервер примаоца је одбио писмо: није испоручено, а greeter га неће сам поново послати"
    ),
    "journal.uncertain.badge": "непознато да ли је стигло",
    "journal.uncertain.note": "непознато да ли је стигло",
    "journal.uncertain.detail": (
        "веза је прекинута након предаје писма: можда је стигло, а можда и није; greeter га неће сам"
        " поново послати (greeter uncertain resend или dismiss)"
    ),
    "journal.retry.badge": "поновно слање",
    "journal.retry.note": "поновно слање",
    "journal.retry.detail": "сервер привремено није примио писмо: greeter ће га поново послати",
    "journal.claimed.badge": "шаље се",
    "journal.claimed.note": "шаље се",
    "journal.claimed.detail": (
        "писмо се управо предаје серверу (или је слање прекинуто: тада ће бити означено као „непознато"
        " да ли је стигло“)"
    ),
    "journal.skipped.badge": "прескочено: прескочено при слању",
    "journal.skipped.note": "прескочено при слању",
    "journal.skipped.detail": "писмо није послато при слању (разлог наводи greeter history)",
    "journal.skipped.why": "писмо није послато при слању: {why}",
    "journal.dismissed.detail": (
        "оператер је означио писмо као достављено: веза је прекинута након предаје и писмо је можда"
        " стигло; greeter га неће поново послати (greeter history)"
    ),
    "journal.baseline.badge": "прескочено: послато пре greeter-а (baseline)",
    "journal.baseline.note": "послато пре greeter-а",
    "journal.baseline.detail": (
        "greeter није послао ово писмо:"
        " greeter baseline га је забележио као послато претходним алатом (види greeter history)"
    ),
    "carried.baseline.badge": "прескочено: писмо „{letter}“ послато пре greeter-а (baseline)",
    "carried.baseline.note": "у писмима послатим пре greeter-а",
    "carried.baseline.detail": (
        "честитка је била у писму „{letter}“, које greeter није послао:"
        " greeter baseline га је забележио као послато претходним алатом (види greeter history)"
    ),
    "carried.sent.badge": "послато у писму „{letter}“",
    "carried.sent.note": "у писмима других повода",
    "carried.sent.detail": "честитка је послата у писму „{letter}“",
    "carried.failed.badge": "није испоручено (у писму „{letter}“)",
    "carried.failed.note": "у писмима других повода",
    "carried.failed.detail": "честитка је била у писму „{letter}“, које је сервер примаоца одбио",
    "carried.uncertain.badge": "непознато да ли је стигло (у писму „{letter}“)",
    "carried.uncertain.note": "непознато да ли је стигло",
    "carried.uncertain.detail": "честитка је била у писму „{letter}“: непознато је да ли је стигло",
    "carried.retry.badge": "поновно слање (у писму „{letter}“)",
    "carried.retry.note": "поновно слање",
    "carried.retry.detail": "честитка је у писму „{letter}“, које ће greeter поново послати",
    "carried.claimed.badge": "шаље се (у писму „{letter}“)",
    "carried.claimed.note": "шаље се",
    "carried.claimed.detail": "честитка је у писму „{letter}“, које се управо шаље",
    "carried.skipped.badge": "прескочено: писмо „{letter}“ није послато",
    "carried.skipped.note": "писмо није послато",
    "carried.skipped.detail": "честитка је била у писму „{letter}“, које није послато",
    "carried.expired.badge": "прескочено: писму „{letter}“ је истекао рок",
    "carried.expired.note": "писму је истекао рок",
    "carried.expired.detail": (
        "честитка је била у писму „{letter}“, које никада није послато: истекао му је рок"
    ),
    "meta.from": "Од",
    "meta.to": "За",
    "meta.when": "Слање",
    "meta.template": "Шаблон",
    "meta.approval": "Одобрење",
    "page.no_html": "Овај шаблон нема HTML верзију: прималац ће видети само текст.",
    "page.html_title": "HTML верзија писма",
    "page.text": "Текст",
    "pager.label": "Делови",
    "pager.label_end": "Делови (дно странице)",
    "pager.parts": "Делови: {links}",
    "overview.caption": "Дани: писма и прескочени поводи по данима, сваки дан на посебној страници",
    "overview.day": "Дан",
    "overview.outside": "изван циљне групе",
    "overview.parts": "Делови",
    "clients.forms": "клијент|клијента|клијената",
    "fold.badge": "прескочено: изван циљне групе",
    "fold.line": "изван циљне групе повода: {clients}, нема писама",
    "fold.list": "списак →",
    "fold.title": "Изван циљне групе: {day}",
    "fold.heading": "{title}: изван циљне групе",
    "fold.range": (
        "{day} · изван циљне групе повода (његове ознаке или услови):\n {clients}, нема писама."
        " Разлог је наведен у сваком реду."
    ),
    "ics.summary": "Честитка: {who} – {occasions}",
    "ics.leaves": "Писмо се шаље {day} у {time} {label} по времену примаоца ({zone})",
    "ics.occasion": "Повод: {occasion}",
    "ics.also": "У истом писму: {occasion}",
    "ics.to": "За: {who} <{email}> (ID {id})",
    "ics.company": "Предузеће: {company}",
    "ics.moved": "{day} (ове године {moved})",
    "ics.day_summary": "Честитке: {letters} – {occasions}",
    "ics.letters.forms": "писмо|писма|писама",
}

#: Babel's locale and patterns, not words: the same in both scripts but for the locale.
_NOT_WORDS: Final = frozenset({"locale", "date.long_day", "date.short_day", "date.date", "date.day_month"})

#: Serbian in Latin (``sr_Latn``, ``sr_ME``): :data:`SERBIAN` letter for letter; Babel writes its dates.
SERBIAN_LATIN: Final[Mapping[str, str]] = {
    **{key: text if key in _NOT_WORDS else to_latin(text) for key, text in SERBIAN.items()},
    "locale": "sr_Latn",
}
