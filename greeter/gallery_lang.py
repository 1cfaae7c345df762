"""The words of what a team reads about its plan — the preview gallery and the calendar — by language.

Why: the gallery and ``greeter calendar`` were written in Russian whatever the
config said, and an Estonian team (``defaults.locale: et``) got pages and
events it could not read. They now speak the team's language: ``team_language``, else the
language of ``defaults.locale`` (:meth:`greeter.config.Settings.review_locale`; a Russian-speaking
office writing to Georgian clients reads its gallery in Russian): each language is one table of
words (:data:`RUSSIAN`, :data:`ENGLISH` here; German, Estonian, Hungarian, Serbian,
Ukrainian and Georgian — the languages ``greeter init --locale`` starts a team in — each in a
module of its own,
:mod:`greeter.gallery_lang_de` …; Croatian and Bosnian, whose clients greeter
writes to, in :mod:`greeter.gallery_lang_hr`), and a locale with no table of its own gets
English — one whole language, never a page half in one and half in another.
Another language is one more table with the same keys (``tests/test_gallery_lang``
holds every table to English's keys and placeholders).

Serbian is written in two scripts: a team whose locale is written in Latin
(``sr_Latn``, ``sr_ME``: :func:`greeter.serbian_script.is_serbian_latin`, the
rule its letters follow) reads the Latin table, ``sr-Latn``, which is the
Cyrillic one transliterated (:mod:`greeter.gallery_lang_sr`).

What is *not* here: the letters (each stays in its contact's language), the
occasions' titles (the config's own words), and the planner's sentences —
the command line's English, which a Russian gallery reads in Russian through
:func:`greeter.gallery_words.russian_detail` (a language's translator,
:data:`_TRANSLATORS`), every other language with a table here (German …
Georgian, Croatian, Bosnian) through its table of the planner's sentences
(:data:`greeter.gallery_why.SENTENCES`), and English as the planner wrote them.

Dates are Babel patterns per language (``date.*`` keys), so a day reads as
the language writes it: «Понедельник, 7 декабря 2026», "Monday, 7 December
2026". English is CLDR's international English (``en_001``, day before
month): a team in Tallinn does not read American dates.

Pure: tables and lookups; the formatted days are cached (a plan repeats a few
hundred days a million times).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Final, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.dates import get_day_names

from greeter.gallery_lang_de import GERMAN
from greeter.gallery_lang_et import ESTONIAN
from greeter.gallery_lang_hr import BOSNIAN, CROATIAN
from greeter.gallery_lang_hu import HUNGARIAN
from greeter.gallery_lang_ka import GEORGIAN
from greeter.gallery_lang_sr import SERBIAN, SERBIAN_LATIN
from greeter.gallery_lang_uk import UKRAINIAN
from greeter.gallery_why import table_detail
from greeter.gallery_words import russian_detail
from greeter.i18n import language_of, plural, years_phrase
from greeter.serbian_script import is_serbian_latin, whole_to_latin

__all__ = [
    "BOSNIAN",
    "CROATIAN",
    "ENGLISH",
    "ESTONIAN",
    "FALLBACK",
    "GEORGIAN",
    "GERMAN",
    "HUNGARIAN",
    "RUSSIAN",
    "SERBIAN",
    "SERBIAN_LATIN",
    "TABLES",
    "UKRAINIAN",
    "Ui",
    "ui_for",
]

#: A language's words: a key (``filter.send``) → the text, ``{name}`` where a value goes (str.format).
#: Plural forms (``*.forms``) are ``|``-separated in CLDR's order (:func:`greeter.i18n.plural`).
Words = Mapping[str, str]

#: Russian: the gallery's and the calendar's first language.
RUSSIAN: Final[Words] = {
    "locale": "ru",
    # Babel patterns: weekdays stand-alone («понедельник», capitalised by Ui), months in the genitive
    "date.long_day": "cccc, d MMMM y",
    "date.short_day": "ccc dd.MM",
    "date.date": "dd.MM.y",
    "date.day_month": "dd.MM",
    # the planner's reasons for a skip, as its badge says them
    "reason.frequency_cap": "лимит частоты",
    "reason.merged": "объединено",
    "reason.suppressed": "в стоп-листе",
    "reason.no_email": "нет e-mail",
    "reason.invalid_contact": "ошибка в контакте",
    "reason.already_sent": "уже отправлено",
    "reason.expired": "просрочено",
    "reason.outside_audience": "вне аудитории",
    "reason.render_error": "ошибка шаблона",
    "reason.awaiting_approval": "ждёт одобрения",
    # review states (greeter.gallery_card_html.APPROVAL_LABELS): the label, and what it means
    "approval.awaiting_approval": "ждёт одобрения",
    "approval.awaiting_approval.means": "не уйдёт, пока его не одобрят (greeter approve)",
    "approval.changed_since_approval": "изменено после одобрения",
    "approval.changed_since_approval.means": (
        "текст изменился после одобрения: оно снято, письмо не уйдёт, пока его не одобрят снова"
    ),
    "approval.approval_outdated": "одобрено старой версией",
    "approval.approval_outdated.means": (
        "одобрение старой версии greeter не покрывало адресата и отправителя: письмо не уйдёт, "
        "пока его не одобрят снова"
    ),
    "approval.approved": "одобрено",
    "approval.approved.means": "уйдёт в срок: одобрено ровно это письмо",
    # the index's filter buttons
    "filter.all": "Все",
    "filter.send": "К отправке",
    "filter.sent": "Отправлено",
    "filter.merged": "Объединено",
    "filter.skip": "Пропущено",
    "filter.error": "Ошибки",
    "filter.failed": "Не доставлено",
    "filter.pending": "Не подтверждено",
    "toolbar.label": "Фильтры",
    "toolbar.status": "Состояние",
    "toolbar.approval": "Одобрение",
    "toolbar.search_label": "Поиск по имени, e-mail, поводу и теме (клавиша /)",
    "toolbar.search": "имя, e-mail, повод, тема…  ( / )",
    # the index's script (greeter/gallery_index.js): these are the literals the file is written with
    "script.shown": "Показано ",
    "script.of": " из ",
    # the summary tiles
    "stat.send": "к отправке",
    "stat.sent": "отправлено",
    "stat.merged": "объединено",
    "stat.skip": "пропущено",
    "stat.error.forms": "ошибка шаблона|ошибки шаблонов|ошибок шаблонов",
    "stat.failed": "не доставлено",
    "stat.pending": "не подтверждено",
    "stat.combined": "{n} с объединёнными поводами",
    "stat.belated": "{n} после дня повода",
    "stat.by_journal": "по журналу",
    "stat.rode": "; вошли в другие письма: {n}",
    "stat.merged_note": "поводы вошли в другие письма",
    "stat.error_note": "письма не собраны",
    # a day's summary (its heading, the overview's columns)
    "day.send": "к отправке",
    "day.sent": "отправлено",
    "day.merged": "объединено",
    "day.skip": "пропущено",
    "day.error": "ошибки",
    "day.failed": "не доставлено",
    "day.pending": "не подтверждено",
    "day.quota": "по квоте уйдут: {allowed} из {total}",
    "day.quota_later": "позже",
    "day.quota_lost": "не уйдут",
    # headers, pages
    "page.title": "Поздравления: предпросмотр",
    "header.title": "Поздравления",
    "header.pill": "предпросмотр",
    "header.range": "с <b>{start}</b> по <b>{end}</b> ({days})\n · по состоянию на <b>{as_of}</b>",
    "header.days.forms": "дн.|дн.|дн.",
    "day.part": " · часть {part} из {parts}",
    "day.range": "поздравления этого дня{part}",
    "day.whole": "весь день: {counts}",
    "nav.all_days": "← Все дни",
    "nav.all_greetings": "← Все поздравления",
    "day.off": "выходной",
    "script.all": "Показаны все {n}",
    "toolbar.search_word": "Поиск",
    "nav.back": "Обратно в галерею",
    "nav.letters": "Соседние письма",
    "nav.letters_end": "Соседние письма (внизу страницы)",
    "nav.prev": "предыдущее письмо",
    "nav.next": "следующее письмо",
    "badge.tip": "для журналов и JSON: {words}",
    "nothing_planned": "В этом диапазоне ничего не запланировано.",
    "no_match": "Ничего не найдено.",
    "footer": "greeter preview · время отправки указано по часовому поясу получателя",
    "contact_errors": "Ошибки в контактах",
    "contact_errors.note": "эти поводы не поздравить, пока дата в строке контакта не исправлена",
    "rejected.title": "Строки контактов не загружены: {n}",
    "rejected.note": "этим клиентам ничего не отправится, пока строка не исправлена",
    "alert.contact_errors": "ошибки в контактах: {n}",
    "alert.rejected": "строки контактов не загружены: {n}",
    "alert.listed": "{links} — список {where}",
    "alert.elsewhere": "на отдельной странице",
    "alert.below": "после писем, внизу страницы",
    # a card
    "no_email": "нет e-mail",
    "badge.send": "отправка",
    "badge.sent": "отправлено",
    "badge.error": "ошибка шаблона",
    "badge.skip": "пропуск: {reason}",
    "belated": "после дня повода",
    "belated.tip": "уходит после дня повода",
    "own_day.tip": "день повода: письмо уходит в другой день",
    "when.occasion": "дата повода",
    "when.sent": "ушло (по журналу), по времени получателя",
    "when.send": "отправка по времени получателя",
    "open": "Открыть письмо →",
    "open.carrier": "Открыть письмо «{letter}» →",
    "carried.planned": "поздравление уйдёт в письмо «{letter}»",
    "carried.failed_render": "поздравление шло в письмо «{letter}», которое не удалось собрать: {why}",
    # a greeting the journal already holds, by its state: the badge, the summary's word, the card's words
    "journal.failed.badge": "не доставлено: отказ сервера",
    "journal.failed.note": "отказ сервера",
    "journal.failed.detail": (
        "сервер получателя отказался принять письмо: оно не доставлено и само повторно не уйдёт"
    ),
    "journal.uncertain.badge": "неизвестно, дошло ли",
    "journal.uncertain.note": "неизвестно, дошло ли",
    "journal.uncertain.detail": (
        "связь прервалась после передачи письма: оно могло дойти, а могло и нет; greeter само его"
        " не повторит (greeter uncertain resend или dismiss)"
    ),
    "journal.retry.badge": "повторная отправка",
    "journal.retry.note": "повторная отправка",
    "journal.retry.detail": "сервер временно не принял письмо: greeter отправит его повторно",
    "journal.claimed.badge": "отправляется",
    "journal.claimed.note": "отправляется",
    "journal.claimed.detail": (
        "письмо передаётся серверу сейчас (или отправку прервали: тогда его отметят «неизвестно, дошло ли»)"
    ),
    "journal.skipped.badge": "пропуск: пропущено при отправке",
    "journal.skipped.note": "пропущено при отправке",
    "journal.skipped.detail": "при отправке письмо не отправили (почему — в greeter history)",
    "journal.skipped.why": "при отправке письмо не отправили: {why}",
    "journal.dismissed.detail": (
        "оператор отметил письмо как полученное: связь прервалась после передачи, и оно могло дойти;"
        " greeter его не повторит (greeter history)"
    ),
    "journal.baseline.badge": "пропуск: отправлено до greeter (baseline)",
    "journal.baseline.note": "отправлено до greeter",
    "journal.baseline.detail": (
        "greeter это письмо не отправлял:"
        " greeter baseline записал его как отправленное прежним инструментом (см. greeter history)"
    ),
    # an occasion that rode in another occasion's letter, by that letter's state ({letter}: its title)
    "carried.baseline.badge": "пропуск: письмо «{letter}» отправлено до greeter (baseline)",
    "carried.baseline.note": "в письмах, отправленных до greeter",
    "carried.baseline.detail": (
        "поздравление было в письме «{letter}», которое greeter не отправлял:"
        " greeter baseline записал его как отправленное прежним инструментом (см. greeter history)"
    ),
    "carried.sent.badge": "отправлено в письме «{letter}»",
    "carried.sent.note": "в письмах других поводов",
    "carried.sent.detail": "поздравление ушло в письме «{letter}»",
    "carried.failed.badge": "не доставлено (в письме «{letter}»)",
    "carried.failed.note": "в письмах других поводов",
    "carried.failed.detail": "поздравление было в письме «{letter}», которое сервер получателя не принял",
    "carried.uncertain.badge": "неизвестно, дошло ли (в письме «{letter}»)",
    "carried.uncertain.note": "неизвестно, дошло ли",
    "carried.uncertain.detail": "поздравление было в письме «{letter}»: неизвестно, дошло ли оно",
    "carried.retry.badge": "повторная отправка (в письме «{letter}»)",
    "carried.retry.note": "повторная отправка",
    "carried.retry.detail": "поздравление в письме «{letter}», которое greeter отправит повторно",
    "carried.claimed.badge": "отправляется (в письме «{letter}»)",
    "carried.claimed.note": "отправляется",
    "carried.claimed.detail": "поздравление в письме «{letter}», которое сейчас отправляется",
    "carried.skipped.badge": "пропуск: письмо «{letter}» не отправлено",
    "carried.skipped.note": "письмо не отправлено",
    "carried.skipped.detail": "поздравление было в письме «{letter}», которое не отправили",
    "carried.expired.badge": "пропуск: письмо «{letter}» просрочено",
    "carried.expired.note": "письмо просрочено",
    "carried.expired.detail": "поздравление было в письме «{letter}», которое так и не ушло: прошёл его срок",
    # a letter's page
    "meta.from": "От",
    "meta.to": "Кому",
    "meta.when": "Отправка",
    "meta.template": "Шаблон",
    "meta.approval": "Одобрение",
    "page.no_html": "У этого шаблона нет HTML-версии: получатель увидит только текст.",
    "page.html_title": "HTML-версия письма",
    "page.text": "Текст",
    # the overview of a big gallery, and the lists of contacts outside an occasion's audience
    "pager.label": "Части",
    "pager.label_end": "Части (внизу страницы)",
    "pager.parts": "Части: {links}",
    "overview.caption": "Дни: письма и пропуски по дням, у каждого дня — своя страница",
    "overview.day": "День",
    "overview.outside": "вне аудитории",
    "overview.parts": "Части",
    "clients.forms": "клиент|клиента|клиентов",
    "fold.badge": "пропуск: вне аудитории",
    "fold.line": "{clients} не в аудитории повода, писем нет",
    "fold.list": "список →",
    "fold.title": "Вне аудитории: {day}",
    "fold.heading": "{title}: вне аудитории",
    "fold.range": (
        "{day} · не в аудитории повода (его теги или условия):\n {clients}, писем нет."
        " Причина — у каждого в строке."
    ),
    # the calendar's events (greeter calendar)
    "ics.summary": "Поздравление: {who} — {occasions}",
    "ics.leaves": "Письмо уходит {day} в {time} {label} по времени получателя ({zone})",
    "ics.occasion": "Повод: {occasion}",
    "ics.also": "В том же письме: {occasion}",
    "ics.to": "Кому: {who} <{email}> (id {id})",
    "ics.company": "Компания: {company}",
    "ics.moved": "{day} (в этом году — {moved})",
    "ics.day_summary": "Поздравления: {letters} — {occasions}",
    "ics.letters.forms": "письмо|письма|писем",
}

#: English: every language without a table of its own (see the module's doc).
ENGLISH: Final[Words] = {
    "locale": "en_001",
    "date.long_day": "EEEE, d MMMM y",
    "date.short_day": "EEE d MMM",
    "date.date": "d MMM y",
    "date.day_month": "d MMM",
    "reason.frequency_cap": "frequency cap",
    "reason.merged": "merged",
    "reason.suppressed": "on the do-not-contact list",
    "reason.no_email": "no e-mail",
    "reason.invalid_contact": "error in the contact",
    "reason.already_sent": "already sent",
    "reason.expired": "expired",
    "reason.outside_audience": "outside the audience",
    "reason.render_error": "template error",
    "reason.awaiting_approval": "awaiting approval",
    "approval.awaiting_approval": "awaiting approval",
    "approval.awaiting_approval.means": "will not leave until it is approved (greeter approve)",
    "approval.changed_since_approval": "changed since approval",
    "approval.changed_since_approval.means": (
        "the text changed after it was approved: the approval is withdrawn, and the letter will not leave"
        " until it is approved again"
    ),
    "approval.approval_outdated": "approved by an older version",
    "approval.approval_outdated.means": (
        "an older greeter's approval did not cover the recipient and the sender: the letter will not leave"
        " until it is approved again"
    ),
    "approval.approved": "approved",
    "approval.approved.means": "will leave on time: exactly this letter was approved",
    "filter.all": "All",
    "filter.send": "To send",
    "filter.sent": "Sent",
    "filter.merged": "Merged",
    "filter.skip": "Skipped",
    "filter.error": "Errors",
    "filter.failed": "Not delivered",
    "filter.pending": "Unconfirmed",
    "toolbar.label": "Filters",
    "toolbar.status": "Status",
    "toolbar.approval": "Approval",
    "toolbar.search_label": "Search by name, e-mail, occasion and subject (key /)",
    "toolbar.search": "name, e-mail, occasion, subject…  ( / )",
    "script.shown": "Showing ",
    "script.of": " of ",
    "stat.send": "to send",
    "stat.sent": "sent",
    "stat.merged": "merged",
    "stat.skip": "skipped",
    "stat.error.forms": "template error|template errors",
    "stat.failed": "not delivered",
    "stat.pending": "unconfirmed",
    "stat.combined": "{n} with merged occasions",
    "stat.belated": "{n} after the occasion's day",
    "stat.by_journal": "by the journal",
    "stat.rode": "; in other letters: {n}",
    "stat.merged_note": "occasions went into other letters",
    "stat.error_note": "letters not rendered",
    "day.send": "to send",
    "day.sent": "sent",
    "day.merged": "merged",
    "day.skip": "skipped",
    "day.error": "errors",
    "day.failed": "not delivered",
    "day.pending": "unconfirmed",
    "day.quota": "within the quota: {allowed} of {total}",
    "day.quota_later": "later",
    "day.quota_lost": "never sent",
    "page.title": "Greetings: preview",
    "header.title": "Greetings",
    "header.pill": "preview",
    "header.range": "from <b>{start}</b> to <b>{end}</b> ({days})\n · as of <b>{as_of}</b>",
    "header.days.forms": "day|days",
    "day.part": " · part {part} of {parts}",
    "day.range": "this day's greetings{part}",
    "day.whole": "the whole day: {counts}",
    "nav.all_days": "← All days",
    "nav.all_greetings": "← All greetings",
    "day.off": "day off",
    "script.all": "Showing all {n}",
    "toolbar.search_word": "Search",
    "nav.back": "Back to the gallery",
    "nav.letters": "Previous and next letter",
    "nav.letters_end": "Previous and next letter (end of the page)",
    "nav.prev": "previous letter",
    "nav.next": "next letter",
    "badge.tip": "as logs and JSON say it: {words}",
    "nothing_planned": "Nothing is planned in this range.",
    "no_match": "Nothing found.",
    "footer": "greeter preview · send times are in each recipient's time zone",
    "contact_errors": "Errors in contacts",
    "contact_errors.note": (
        "these occasions cannot be greeted until the date in the contact's row is corrected"
    ),
    "rejected.title": "Contact rows not loaded: {n}",
    "rejected.note": "these clients get nothing until the row is corrected",
    "alert.contact_errors": "errors in contacts: {n}",
    "alert.rejected": "contact rows not loaded: {n}",
    "alert.listed": "{links} — listed {where}",
    "alert.elsewhere": "on a page of their own",
    "alert.below": "after the letters, at the bottom of the page",
    "no_email": "no e-mail",
    "badge.send": "to send",
    "badge.sent": "sent",
    "badge.error": "template error",
    "badge.skip": "skipped: {reason}",
    "belated": "after the occasion's day",
    "belated.tip": "leaves after the occasion's day",
    "own_day.tip": "the occasion's day: the letter leaves on another day",
    "when.occasion": "the occasion's date",
    "when.sent": "left (by the journal), in the recipient's time",
    "when.send": "sending time, in the recipient's time",
    "open": "Open the letter →",
    "open.carrier": "Open the “{letter}” letter →",
    "carried.planned": "the greeting goes in the “{letter}” letter",
    "carried.failed_render": "the greeting was to go in the “{letter}” letter, which failed to render: {why}",
    "journal.failed.badge": "not delivered: refused by the server",
    "journal.failed.note": "refused by the server",
    "journal.failed.detail": (
        "the recipient's server refused the letter: it was not delivered and will not be resent by itself"
    ),
    "journal.uncertain.badge": "delivery unknown",
    "journal.uncertain.note": "delivery unknown",
    "journal.uncertain.detail": (
        "the connection broke after the letter was handed over: it may or may not have arrived; greeter"
        " will not resend it by itself (greeter uncertain resend or dismiss)"
    ),
    "journal.retry.badge": "to be resent",
    "journal.retry.note": "to be resent",
    "journal.retry.detail": "the server did not take the letter for now: greeter will send it again",
    "journal.claimed.badge": "sending",
    "journal.claimed.note": "sending",
    "journal.claimed.detail": (
        "the letter is being handed to the server now (or the sending was interrupted: it will then be"
        " marked “delivery unknown”)"
    ),
    "journal.skipped.badge": "skipped: skipped when sending",
    "journal.skipped.note": "skipped when sending",
    "journal.skipped.detail": "the letter was not sent when sending (greeter history says why)",
    "journal.skipped.why": "the letter was not sent when sending: {why}",
    "journal.dismissed.detail": (
        "an operator marked the letter as delivered: the connection broke after it was handed over, and"
        " it may have arrived; greeter will not send it again (greeter history)"
    ),
    "journal.baseline.badge": "skipped: sent before greeter (baseline)",
    "journal.baseline.note": "sent before greeter",
    "journal.baseline.detail": (
        "greeter did not send this letter:"
        " greeter baseline recorded it as sent by the tool before greeter (see greeter history)"
    ),
    "carried.baseline.badge": "skipped: the “{letter}” letter was sent before greeter (baseline)",
    "carried.baseline.note": "in letters sent before greeter",
    "carried.baseline.detail": (
        "the greeting was in the “{letter}” letter, which greeter did not send:"
        " greeter baseline recorded it as sent by the tool before greeter (see greeter history)"
    ),
    "carried.sent.badge": "sent in the “{letter}” letter",
    "carried.sent.note": "in other occasions' letters",
    "carried.sent.detail": "the greeting went in the “{letter}” letter",
    "carried.failed.badge": "not delivered (in the “{letter}” letter)",
    "carried.failed.note": "in other occasions' letters",
    "carried.failed.detail": (
        "the greeting was in the “{letter}” letter, which the recipient's server refused"
    ),
    "carried.uncertain.badge": "delivery unknown (in the “{letter}” letter)",
    "carried.uncertain.note": "delivery unknown",
    "carried.uncertain.detail": "the greeting was in the “{letter}” letter: it is unknown whether it arrived",
    "carried.retry.badge": "to be resent (in the “{letter}” letter)",
    "carried.retry.note": "to be resent",
    "carried.retry.detail": "the greeting is in the “{letter}” letter, which greeter will send again",
    "carried.claimed.badge": "sending (in the “{letter}” letter)",
    "carried.claimed.note": "sending",
    "carried.claimed.detail": "the greeting is in the “{letter}” letter, which is being sent now",
    "carried.skipped.badge": "skipped: the “{letter}” letter was not sent",
    "carried.skipped.note": "letter not sent",
    "carried.skipped.detail": "the greeting was in the “{letter}” letter, which was not sent",
    "carried.expired.badge": "skipped: the “{letter}” letter expired",
    "carried.expired.note": "letter expired",
    "carried.expired.detail": "the greeting was in the “{letter}” letter, which never left: its time ran out",
    "meta.from": "From",
    "meta.to": "To",
    "meta.when": "Sending",
    "meta.template": "Template",
    "meta.approval": "Approval",
    "page.no_html": "This template has no HTML version: the recipient will see only the text.",
    "page.html_title": "The letter's HTML version",
    "page.text": "Text",
    "pager.label": "Parts",
    "pager.label_end": "Parts (end of the page)",
    "pager.parts": "Parts: {links}",
    "overview.caption": "Days: letters and skips by day, each day on a page of its own",
    "overview.day": "Day",
    "overview.outside": "outside the audience",
    "overview.parts": "Parts",
    "clients.forms": "client|clients",
    "fold.badge": "skipped: outside the audience",
    "fold.line": "{clients} not in the occasion's audience, no letters",
    "fold.list": "list →",
    "fold.title": "Outside the audience: {day}",
    "fold.heading": "{title}: outside the audience",
    "fold.range": (
        "{day} · not in the occasion's audience (its tags or conditions):\n {clients}, no letters."
        " Each line says why."
    ),
    "ics.summary": "Greeting: {who} — {occasions}",
    "ics.leaves": "The letter leaves on {day} at {time} {label}, the recipient's time ({zone})",
    "ics.occasion": "Occasion: {occasion}",
    "ics.also": "In the same letter: {occasion}",
    "ics.to": "To: {who} <{email}> (id {id})",
    "ics.company": "Company: {company}",
    "ics.moved": "{day} ({moved} this year)",
    "ics.day_summary": "Greetings: {letters} — {occasions}",
    "ics.letters.forms": "letter|letters",
}

#: The tables by language (a locale's bare language code: ``ru`` for ``ru_RU``), and by script where
#: a language has two (``sr-Latn``: :func:`ui_for`). The key is the pages' ``<html lang>`` (BCP 47).
TABLES: Final[Mapping[str, Words]] = {
    "ru": RUSSIAN,
    "en": ENGLISH,
    "de": GERMAN,
    "et": ESTONIAN,
    "hu": HUNGARIAN,
    "sr": SERBIAN,
    "sr-Latn": SERBIAN_LATIN,
    "hr": CROATIAN,
    "bs": BOSNIAN,
    "uk": UKRAINIAN,
    "ka": GEORGIAN,
}

#: Serbian written in Latin: the table of a team whose Serbian locale is written in it.
_SERBIAN_LATIN_TAG: Final = "sr-Latn"

#: The language of a locale without a table.
FALLBACK: Final = "en"

#: What a language reads the planner's (English) sentences in; a language not here reads them by its
#: table of them (:func:`greeter.gallery_why.table_detail`), or as written.
_TRANSLATORS: Final[Mapping[str, Callable[[str | None, Mapping[str, str]], str | None]]] = {
    "ru": russian_detail,
}


#: The Babel pattern letters of a weekday: a day that opens with one opens with a capital.
_WEEKDAY_FIELDS: Final = frozenset("Ec")


@lru_cache(maxsize=4096)
def _day(d: date, pattern: str, locale: str) -> str:
    """``d`` by a Babel pattern; a weekday opening it capitalised, as a heading or a card opens.

    CLDR writes Russian, Estonian and Serbian weekdays in lower case («пятница»,
    "reede", «петак»): mid-sentence forms, where a heading's first word takes a
    capital. Only a weekday: a Hungarian day opens with its month (CLDR's
    "dec. 25., P"), which stays lower case, in a tooltip's "(dec. 25.)" too.
    """
    text = _babel_format_date(d, pattern, locale=locale)
    return _capital(text) if pattern[:1] in _WEEKDAY_FIELDS else text


def _capital(text: str) -> str:
    """``text`` with its first letter a capital: its title case, which Georgian has none of.

    Not :meth:`str.upper`: since Unicode 11 it turns Georgian's Mkhedruli into Mtavruli
    («Პარასკევი»), an all-caps display style, never a sentence's or a heading's first letter.
    """
    return text[:1].title() + text[1:]


#: A weekday field of a Babel pattern (``EEE``, ``cccc``), or a quoted literal (kept as it is).
_WEEKDAY_RUN: Final = re.compile(r"'(?:[^']|'')*'|E+|c+")
#: A weekday field's width, by its length (CLDR: 1–3 abbreviated, 4 wide, 5 narrow, 6 short).
_Width = Literal["abbreviated", "narrow", "short", "wide"]
_WIDTHS: Final[Mapping[int, _Width]] = {
    1: "abbreviated",
    2: "abbreviated",
    3: "abbreviated",
    4: "wide",
    5: "narrow",
    6: "short",
}


#: Languages whose weekday abbreviations are capitals even mid-sentence: Estonian's one-letter
#: E T K N R L P are written so (a lower-case «t» reads as a typo), though its names are not.
_CAPITAL_ABBREVIATIONS = frozenset({"et"})


@lru_cache(maxsize=1024)
def _weekday_in_sentence(weekday: int, width: _Width, locale: str) -> str:
    """A weekday's name as a sentence goes on with it: CLDR's format-context form (not the
    stand-alone one a heading or a calendar column uses), in lower case where the language writes
    weekdays so — CLDR's full name is («уторак», "kedd", "teisipäev"; not "Dienstag", "Tuesday").

    CLDR abbreviates Hungarian and Estonian weekdays with a capital ("Sze", "T") even so (Estonian's
    stay so: :data:`_CAPITAL_ABBREVIATIONS`), and
    :func:`_day` capitalises a day that opens with its weekday: a merged card's «…, Уто 29. 12.
    10:14» read as a new sentence. Only the weekday's own name is lowered, never other text.
    """
    name = str(get_day_names(width, context="format", locale=locale)[weekday])
    wide = str(get_day_names("wide", context="format", locale=locale)[weekday])
    if locale.split("_")[0] in _CAPITAL_ABBREVIATIONS and name != wide:
        return name
    return name[:1].lower() + name[1:] if wide[:1].islower() else name


@lru_cache(maxsize=4096)
def _day_in_sentence(d: date, pattern: str, locale: str) -> str:
    """``d`` by a Babel pattern, mid-sentence: its weekday as :func:`_weekday_in_sentence` says it."""

    def field(m: re.Match[str]) -> str:
        run = m[0]
        if run.startswith("'"):
            return run
        name = _weekday_in_sentence(d.weekday(), _WIDTHS.get(len(run), "abbreviated"), locale)
        return "'" + name.replace("'", "''") + "'"

    return _babel_format_date(d, _WEEKDAY_RUN.sub(field, pattern), locale=locale)


@lru_cache(maxsize=256)
def _years(n: int, locale: str) -> str:
    return years_phrase(n, locale)


@dataclass(frozen=True, slots=True)
class Ui:
    """One language's words and dates, as the gallery's pages and the calendar's events say them."""

    #: The language's code: its table's key, and the pages' ``<html lang>``.
    tag: str
    #: Its table (one per language: compared and hashed by ``tag``, so a Ui can key a cache).
    words: Words = field(compare=False, repr=False)
    #: The team's territory, where Babel has the language's words for it (``AT``: :func:`ui_for`).
    territory: str = ""

    @property
    def locale(self) -> str:
        """Babel's locale for the language's dates and plurals: the table's (``en_001``: international
        English), in the team's territory where CLDR has one (``de_AT``: «Jänner», not «Januar»)."""
        return _regional(self.words["locale"], self.territory)

    def say(self, key: str, **values: object) -> str:
        """The words of ``key``, ``values`` put in their places."""
        text = self.words[key]
        return text.format(**values) if values else text

    def label(self, key: str) -> str:
        """The words of ``key`` opening a button: the first letter capitalised, the rest as written.

        Not :meth:`str.capitalize`, which lowers the rest: a German button read
        "Nach freigabe geändert" (nouns keep their capital in German).
        """
        return _capital(self.words[key])

    def get(self, key: str) -> str | None:
        """The words of ``key``, None when the language has none (a machine word with no label)."""
        return self.words.get(key)

    def form(self, n: int, key: str) -> str:
        """The form of ``key``'s plural (``*.forms``) that agrees with ``n``: «клиента» (3), "client" (1)."""
        return plural(n, self.words[key], self.locale)

    def count(self, n: int, key: str) -> str:
        """``n`` and its word (:meth:`form`): «3 клиента», "1 client"."""
        return f"{n} {self.form(n, key)}"

    def years(self, n: int) -> str:
        """Years in words with their plural: «50 лет», "25 years", "1 year"."""
        return _years(n, self.locale)

    def long_day(self, d: date) -> str:
        """A day heading: «Пятница, 25 декабря 2026», "Friday, 25 December 2026"."""
        return _day(d, self.words["date.long_day"], self.locale)

    def short_day(self, d: date) -> str:
        """A day on a card: «Сб 05.12», "Sat 5 Dec"."""
        return _day(d, self.words["date.short_day"], self.locale)

    def moment(self, at: datetime) -> str:
        """A send moment on a card, in the recipient's own time: «Ср 30.12 10:15», "Wed 30 Dec 10:15"."""
        return f"{self.short_day(at.date())} {at:%H:%M}"

    def moment_in_sentence(self, at: datetime) -> str:
        """:meth:`moment` after words of a sentence (a merged card's «…, уто 29. 12. 10:14»): the
        weekday in the case the language writes it there (:func:`_weekday_in_sentence`)."""
        return f"{_day_in_sentence(at.date(), self.words['date.short_day'], self.locale)} {at:%H:%M}"

    def short_date(self, d: date) -> str:
        """A date with its year: «05.12.2026», "5 Dec 2026"."""
        return _day(d, self.words["date.date"], self.locale)

    def day_month(self, d: date) -> str:
        """A day of the year, in a tooltip or beside a badge: «05.12», "5 Dec"."""
        return _day(d, self.words["date.day_month"], self.locale)

    def in_script(self, text: str) -> str:
        """``text`` (an occasion's title, a company) in the script of the language: Latin for ``sr-Latn``.

        Why: a Serbian Latin team's calendar read «Čestitka: Марко Петровић – Нова
        година», and its gallery «u pismu „Рођендан“»: half in each script, the config's
        titles and the CRM's names written in Cyrillic. Its letters are transliterated
        (:func:`greeter.serbian_script.whole_to_latin`), so are its pages and events. No way
        back: a Cyrillic team's Latin title stays as written, and so does a Russian title
        («Новый год», not «Новый god»): a title is in one script or the other, never both.
        """
        return whole_to_latin(text) if self.tag == _SERBIAN_LATIN_TAG else text

    def detail(self, sentence: str | None, titles: Mapping[str, str]) -> str | None:
        """One of the planner's sentences as this language's page shows it (translated, or as written)."""
        translate = _TRANSLATORS.get(self.tag)
        return translate(sentence, titles) if translate is not None else table_detail(sentence, titles, self)


@lru_cache(maxsize=64)
def _regional(locale: str, territory: str) -> str:
    """``locale`` (a table's) in ``territory`` where Babel knows that variant, else ``locale`` itself.

    Why: a territory's own words are the team's, not another region's — Austria
    writes January «Jänner», and «5. Januar» in a Viennese team's gallery and
    calendar read as German from Germany. The table's script is kept
    (``sr_Latn`` in ``ME`` is ``sr_Latn_ME``).
    """
    if not territory:
        return locale
    base = Locale.parse(locale)
    if base.territory and base.territory.isdigit():  # en_001: international English stays so
        return locale
    regional = "_".join(p for p in (base.language, base.script, territory) if p)
    try:
        Locale.parse(regional)
    except (UnknownLocaleError, ValueError):
        return locale
    return regional


def _territory(locale: str) -> str:
    """The territory of a team's locale (``AT`` of ``de_AT``, ``de-AT``); "" for none or no locale."""
    try:
        return Locale.parse(locale.replace("-", "_")).territory or ""
    except (UnknownLocaleError, ValueError):
        return ""


@lru_cache(maxsize=64)
def spoken_languages() -> tuple[str, ...]:
    """The codes a team's language may be written as to get a table of its own (``sr_Latn``: Latin)."""
    return tuple(code.replace("-", "_") for code in TABLES)


def ui_for(locale: str | None) -> Ui:
    """The words for a team whose language (``team_language``, else ``defaults.locale``) is ``locale``:
    its language's, else English.

    ``ru``, ``ru_RU``, ``ru-RU`` → Russian; ``de_AT`` → German, ``hu_HU`` →
    Hungarian; ``fi``, ``en_GB``, a locale Babel does not know → English. A
    territory does not pick another table: the pages are one language's
    words, not a region's. A script does, for Serbian only: ``sr``, ``sr_RS``,
    ``sr_Cyrl_ME`` → Cyrillic (``sr``); ``sr_Latn``, ``sr-Latn-RS`` and
    ``sr_ME`` (Montenegro writes Latin, CLDR says) → Latin (``sr-Latn``) — by
    :func:`greeter.serbian_script.is_serbian_latin`, so the team reads its plan
    in the script its Serbian letters are written in.

    The dates and month names follow the locale's territory where CLDR has its
    own (``de_AT``: «Jänner»; :func:`_regional`); a language without a table
    reads international English, whatever its territory.
    """
    language = language_of(locale, FALLBACK) if locale else FALLBACK
    if language == "sr" and locale and is_serbian_latin(locale):
        return Ui(_SERBIAN_LATIN_TAG, TABLES[_SERBIAN_LATIN_TAG], _territory(locale))
    if language not in TABLES or not locale:
        return Ui(FALLBACK, TABLES[FALLBACK])
    return Ui(language, TABLES[language], _territory(locale))
