"""The preview gallery's and the calendar's words in Ukrainian (:mod:`greeter.gallery_lang`).

Why: a Kyiv office (``greeter init --locale uk``, or ``--country UA``) read its plan in
English — the one language of a locale without a table — though every letter in it was
Ukrainian. A module of its own, as each language's table is two hundred lines.

The wording is a Ukrainian business product's: an occasion is a *привід*, a greeting a
*привітання*, a letter a *лист*, approving *схвалення*; states are short participles and
nouns («надіслано», «пропущено», «очікує схвалення»), commands the imperative of the
polite «Ви» («Відкрити лист»). Counts take CLDR's three forms (``one|few|many``:
1 клієнт, 2 клієнти, 5 клієнтів). Dates are CLDR's Ukrainian: weekdays stand-alone
(«вівторок», capitalised where a heading opens with one), months in the genitive
(«22 грудня 2026»), the numeric day «22.12». Quotes are the «ялинки» Ukrainian typography
uses. The skip sentences under a badge are said in Ukrainian by their own table
(:mod:`greeter.gallery_why_uk`, read by :mod:`greeter.gallery_why`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["UKRAINIAN"]

#: Ukrainian (``uk``, ``uk_UA``): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
UKRAINIAN: Final[Mapping[str, str]] = {
    "locale": "uk",
    "date.long_day": "cccc, d MMMM y",
    "date.short_day": "ccc dd.MM",
    "date.date": "dd.MM.y",
    "date.day_month": "dd.MM",
    "reason.frequency_cap": "ліміт частоти",
    "reason.merged": "об’єднано",
    "reason.suppressed": "у стоп-листі",
    "reason.no_email": "немає e-mail",
    "reason.invalid_contact": "помилка в контакті",
    "reason.already_sent": "уже надіслано",
    "reason.expired": "прострочено",
    "reason.outside_audience": "поза аудиторією",
    "reason.render_error": "помилка шаблону",
    "reason.awaiting_approval": "очікує схвалення",
    "approval.awaiting_approval": "очікує схвалення",
    "approval.awaiting_approval.means": "не буде надіслано, доки його не схвалять (greeter approve)",
    "approval.changed_since_approval": "змінено після схвалення",
    "approval.changed_since_approval.means": (
        "текст змінився після схвалення: схвалення знято, лист не буде надіслано, доки його не схвалять знову"
    ),
    "approval.approval_outdated": "схвалено старою версією",
    "approval.approval_outdated.means": (
        "схвалення старої версії greeter не охоплювало адресата й відправника: лист не буде надіслано, "
        "доки його не схвалять знову"
    ),
    "approval.approved": "схвалено",
    "approval.approved.means": "буде надіслано вчасно: схвалено саме цей лист",
    "filter.all": "Усі",
    "filter.send": "До надсилання",
    "filter.sent": "Надіслано",
    "filter.merged": "Об’єднано",
    "filter.skip": "Пропущено",
    "filter.error": "Помилки",
    "filter.failed": "Не доставлено",
    "filter.pending": "Не підтверджено",
    "toolbar.label": "Фільтри",
    "toolbar.status": "Стан",
    "toolbar.approval": "Схвалення",
    "toolbar.search_label": "Пошук за ім’ям, e-mail, приводом і темою (клавіша /)",
    "toolbar.search": "ім’я, e-mail, привід, тема…  ( / )",
    "script.shown": "Показано ",
    "script.of": " з ",
    "stat.send": "до надсилання",
    "stat.sent": "надіслано",
    "stat.merged": "об’єднано",
    "stat.skip": "пропущено",
    "stat.error.forms": "помилка шаблону|помилки шаблонів|помилок шаблонів",
    "stat.failed": "не доставлено",
    "stat.pending": "не підтверджено",
    "stat.combined": "{n} з об’єднаними приводами",
    "stat.belated": "{n} після дня приводу",
    "stat.by_journal": "за журналом",
    "stat.rode": "; увійшли в інші листи: {n}",
    "stat.merged_note": "приводи увійшли в інші листи",
    "stat.error_note": "листи не зібрано",
    "day.send": "до надсилання",
    "day.sent": "надіслано",
    "day.merged": "об’єднано",
    "day.skip": "пропущено",
    "day.error": "помилки",
    "day.failed": "не доставлено",
    "day.pending": "не підтверджено",
    "day.quota": "за квотою підуть: {allowed} з {total}",
    "day.quota_later": "пізніше",
    "day.quota_lost": "не підуть",
    "page.title": "Привітання: попередній перегляд",
    "header.title": "Привітання",
    "header.pill": "попередній перегляд",
    "header.range": "з <b>{start}</b> по <b>{end}</b> ({days})\n · станом на <b>{as_of}</b>",
    "header.days.forms": "дн.|дн.|дн.",
    "day.part": " · частина {part} з {parts}",
    "day.range": "привітання цього дня{part}",
    "day.whole": "увесь день: {counts}",
    "nav.all_days": "← Усі дні",
    "nav.all_greetings": "← Усі привітання",
    "day.off": "вихідний",
    "script.all": "Показано всі {n}",
    "toolbar.search_word": "Пошук",
    "nav.back": "Назад до галереї",
    "nav.letters": "Сусідні листи",
    "nav.letters_end": "Сусідні листи (унизу сторінки)",
    "nav.prev": "попередній лист",
    "nav.next": "наступний лист",
    "badge.tip": "для журналів і JSON: {words}",
    "nothing_planned": "У цьому діапазоні нічого не заплановано.",
    "no_match": "Нічого не знайдено.",
    "footer": "greeter preview · час надсилання вказано за часовим поясом одержувача",
    "contact_errors": "Помилки в контактах",
    "contact_errors.note": "з цими приводами не привітати, доки дату в рядку контакту не виправлено",
    "rejected.title": "Рядки контактів не завантажено: {n}",
    "rejected.note": "цим клієнтам нічого не надійде, доки рядок не виправлено",
    "alert.contact_errors": "помилки в контактах: {n}",
    "alert.rejected": "рядки контактів не завантажено: {n}",
    "alert.listed": "{links} — список {where}",
    "alert.elsewhere": "на окремій сторінці",
    "alert.below": "після листів, унизу сторінки",
    "no_email": "немає e-mail",
    "badge.send": "надсилання",
    "badge.sent": "надіслано",
    "badge.error": "помилка шаблону",
    "badge.skip": "пропуск: {reason}",
    "belated": "після дня приводу",
    "belated.tip": "іде після дня приводу",
    "own_day.tip": "день приводу: лист іде іншого дня",
    "when.occasion": "дата приводу",
    "when.sent": "надіслано (за журналом), за часом одержувача",
    "when.send": "надсилання за часом одержувача",
    "open": "Відкрити лист →",
    "open.carrier": "Відкрити лист «{letter}» →",
    "carried.planned": "привітання піде в листі «{letter}»",
    "carried.failed_render": "привітання мало піти в листі «{letter}», який не вдалося зібрати: {why}",
    "journal.failed.badge": "не доставлено: відмова сервера",
    "journal.failed.note": "відмова сервера",
    "journal.failed.detail": (
        "сервер одержувача відмовився прийняти лист: його не доставлено, і сам повторно він не піде"
    ),
    "journal.uncertain.badge": "невідомо, чи дійшов",
    "journal.uncertain.note": "невідомо, чи дійшов",
    "journal.uncertain.detail": (
        "зв’язок обірвався після передачі листа: він міг дійти, а міг і ні; greeter сам його"
        " не повторить (greeter uncertain resend або dismiss)"
    ),
    "journal.retry.badge": "повторне надсилання",
    "journal.retry.note": "повторне надсилання",
    "journal.retry.detail": "сервер тимчасово не прийняв лист: greeter надішле його повторно",
    "journal.claimed.badge": "надсилається",
    "journal.claimed.note": "надсилається",
    "journal.claimed.detail": (
        "лист передається серверу зараз (або надсилання перервали: тоді його позначать «невідомо, чи дійшов»)"
    ),
    "journal.skipped.badge": "пропуск: пропущено під час надсилання",
    "journal.skipped.note": "пропущено під час надсилання",
    "journal.skipped.detail": "під час надсилання лист не надіслали (чому — у greeter history)",
    "journal.skipped.why": "під час надсилання лист не надіслали: {why}",
    "journal.dismissed.detail": (
        "оператор позначив лист як отриманий: зв’язок обірвався після передачі, і лист міг дійти;"
        " greeter не надсилатиме його повторно (greeter history)"
    ),
    "journal.baseline.badge": "пропуск: надіслано до greeter (baseline)",
    "journal.baseline.note": "надіслано до greeter",
    "journal.baseline.detail": (
        "greeter цей лист не надсилав:"
        " greeter baseline записав його як надісланий попереднім інструментом (див. greeter history)"
    ),
    "carried.baseline.badge": "пропуск: лист «{letter}» надіслано до greeter (baseline)",
    "carried.baseline.note": "у листах, надісланих до greeter",
    "carried.baseline.detail": (
        "привітання було в листі «{letter}», який greeter не надсилав:"
        " greeter baseline записав його як надісланий попереднім інструментом (див. greeter history)"
    ),
    "carried.sent.badge": "надіслано в листі «{letter}»",
    "carried.sent.note": "у листах інших приводів",
    "carried.sent.detail": "привітання пішло в листі «{letter}»",
    "carried.failed.badge": "не доставлено (у листі «{letter}»)",
    "carried.failed.note": "у листах інших приводів",
    "carried.failed.detail": "привітання було в листі «{letter}», який сервер одержувача не прийняв",
    "carried.uncertain.badge": "невідомо, чи дійшов (у листі «{letter}»)",
    "carried.uncertain.note": "невідомо, чи дійшов",
    "carried.uncertain.detail": "привітання було в листі «{letter}»: невідомо, чи дійшов він",
    "carried.retry.badge": "повторне надсилання (у листі «{letter}»)",
    "carried.retry.note": "повторне надсилання",
    "carried.retry.detail": "привітання в листі «{letter}», який greeter надішле повторно",
    "carried.claimed.badge": "надсилається (у листі «{letter}»)",
    "carried.claimed.note": "надсилається",
    "carried.claimed.detail": "привітання в листі «{letter}», який надсилається зараз",
    "carried.skipped.badge": "пропуск: лист «{letter}» не надіслано",
    "carried.skipped.note": "лист не надіслано",
    "carried.skipped.detail": "привітання було в листі «{letter}», який не надіслали",
    "carried.expired.badge": "пропуск: лист «{letter}» прострочено",
    "carried.expired.note": "лист прострочено",
    "carried.expired.detail": "привітання було в листі «{letter}», який так і не пішов: минув його строк",
    "meta.from": "Від",
    "meta.to": "Кому",
    "meta.when": "Надсилання",
    "meta.template": "Шаблон",
    "meta.approval": "Схвалення",
    "page.no_html": "Цей шаблон не має HTML-версії: одержувач побачить лише текст.",
    "page.html_title": "HTML-версія листа",
    "page.text": "Текст",
    "pager.label": "Частини",
    "pager.label_end": "Частини (унизу сторінки)",
    "pager.parts": "Частини: {links}",
    "overview.caption": "Дні: листи й пропуски за днями, у кожного дня — своя сторінка",
    "overview.day": "День",
    "overview.outside": "поза аудиторією",
    "overview.parts": "Частини",
    "clients.forms": "клієнт|клієнти|клієнтів",
    "fold.badge": "пропуск: поза аудиторією",
    "fold.line": "{clients} не в аудиторії приводу, листів немає",
    "fold.list": "список →",
    "fold.title": "Поза аудиторією: {day}",
    "fold.heading": "{title}: поза аудиторією",
    "fold.range": (
        "{day} · не в аудиторії приводу (його теги чи умови):\n {clients}, листів немає."
        " Причина — у кожного в рядку."
    ),
    "ics.summary": "Привітання: {who} — {occasions}",
    "ics.leaves": "Лист іде {day} о {time} {label} за часом одержувача ({zone})",
    "ics.occasion": "Привід: {occasion}",
    "ics.also": "У тому ж листі: {occasion}",
    "ics.to": "Кому: {who} <{email}> (id {id})",
    "ics.company": "Компанія: {company}",
    "ics.moved": "{day} (цього року — {moved})",
    "ics.day_summary": "Привітання: {letters} — {occasions}",
    "ics.letters.forms": "лист|листи|листів",
}
