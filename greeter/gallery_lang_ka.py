"""The preview gallery's and the calendar's words in Georgian (:mod:`greeter.gallery_lang`).

Why: a Tbilisi office (``greeter init --locale ka``) read its plan in English — the one
language of a locale without a table — though every letter in it was Georgian. A module of
its own, as each language's table is two hundred lines.

The wording is a Georgian business product's: an occasion is a *მიზეზი* (the reason to
write), a greeting a *მილოცვა*, a letter a *წერილი*, approving *დამტკიცება*; states are
participles and nouns («გაგზავნილია», «გამოტოვებულია», «ელოდება დამტკიცებას»), commands
the polite imperative («გახსენით წერილი»). A noun after a number is singular in Georgian, so
both of CLDR's forms (``one|other``) are the same word: 1 კლიენტი, 5 კლიენტი. Dates are CLDR's
Georgian («პარასკევი, 25 დეკემბერი 2026», the numeric day «25.12»). Georgian has no capital
letters (Mtavruli is a display style, not a sentence's capital), so nothing here is
capitalised and :class:`greeter.gallery_lang.Ui` leaves it so. Quotes are „…“, as Georgian
typography writes them. The skip sentences under a badge are said in Georgian by their own
table (:mod:`greeter.gallery_why_ka`, read by :mod:`greeter.gallery_why`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["GEORGIAN"]

#: Georgian (``ka``, ``ka_GE``): the keys are English's (:data:`greeter.gallery_lang.ENGLISH`).
GEORGIAN: Final[Mapping[str, str]] = {
    "locale": "ka",
    "date.long_day": "cccc, d MMMM y",
    "date.short_day": "ccc dd.MM",
    "date.date": "dd.MM.y",
    "date.day_month": "dd.MM",
    "reason.frequency_cap": "სიხშირის ლიმიტი",
    "reason.merged": "გაერთიანებულია",
    "reason.suppressed": "სტოპ-სიაშია",
    "reason.no_email": "ელფოსტა არ არის",
    "reason.invalid_contact": "შეცდომა კონტაქტში",
    "reason.already_sent": "უკვე გაგზავნილია",
    "reason.expired": "ვადაგასულია",
    "reason.outside_audience": "აუდიტორიის გარეთ",
    "reason.render_error": "შაბლონის შეცდომა",
    "reason.awaiting_approval": "ელოდება დამტკიცებას",
    "approval.awaiting_approval": "ელოდება დამტკიცებას",
    "approval.awaiting_approval.means": "არ გაიგზავნება, სანამ არ დაამტკიცებენ (greeter approve)",
    "approval.changed_since_approval": "შეიცვალა დამტკიცების შემდეგ",
    "approval.changed_since_approval.means": (
        "ტექსტი შეიცვალა დამტკიცების შემდეგ: დამტკიცება გაუქმდა, წერილი არ გაიგზავნება, "
        "სანამ ხელახლა არ დაამტკიცებენ"
    ),
    "approval.approval_outdated": "დამტკიცებულია ძველი ვერსიით",
    "approval.approval_outdated.means": (
        "greeter-ის ძველი ვერსიის დამტკიცება არ მოიცავდა მიმღებსა და გამგზავნს: წერილი არ "
        "გაიგზავნება, სანამ ხელახლა არ დაამტკიცებენ"
    ),
    "approval.approved": "დამტკიცებულია",
    "approval.approved.means": "გაიგზავნება დროულად: დამტკიცებულია სწორედ ეს წერილი",
    "filter.all": "ყველა",
    "filter.send": "გასაგზავნი",
    "filter.sent": "გაგზავნილი",
    "filter.merged": "გაერთიანებული",
    "filter.skip": "გამოტოვებული",
    "filter.error": "შეცდომები",
    "filter.failed": "მიუწოდებელი",
    "filter.pending": "დაუდასტურებელი",
    "toolbar.label": "ფილტრები",
    "toolbar.status": "მდგომარეობა",
    "toolbar.approval": "დამტკიცება",
    "toolbar.search_label": "ძებნა სახელით, ელფოსტით, მიზეზითა და თემით (ღილაკი /)",
    "toolbar.search": "სახელი, ელფოსტა, მიზეზი, თემა…  ( / )",
    "script.shown": "ნაჩვენებია ",
    "script.of": " / ",
    "stat.send": "გასაგზავნი",
    "stat.sent": "გაგზავნილი",
    "stat.merged": "გაერთიანებული",
    "stat.skip": "გამოტოვებული",
    "stat.error.forms": "შაბლონის შეცდომა|შაბლონის შეცდომა",
    "stat.failed": "მიუწოდებელი",
    "stat.pending": "დაუდასტურებელი",
    "stat.combined": "{n} გაერთიანებული მიზეზებით",
    "stat.belated": "{n} მიზეზის დღის შემდეგ",
    "stat.by_journal": "ჟურნალის მიხედვით",
    "stat.rode": "; სხვა წერილებში შევიდა: {n}",
    "stat.merged_note": "მიზეზები სხვა წერილებში შევიდა",
    "stat.error_note": "წერილები ვერ აიწყო",
    "day.send": "გასაგზავნი",
    "day.sent": "გაგზავნილი",
    "day.merged": "გაერთიანებული",
    "day.skip": "გამოტოვებული",
    "day.error": "შეცდომები",
    "day.failed": "მიუწოდებელი",
    "day.pending": "დაუდასტურებელი",
    "day.quota": "კვოტით გაიგზავნება: {allowed} / {total}",
    "day.quota_later": "მოგვიანებით",
    "day.quota_lost": "არ გაიგზავნება",
    "page.title": "მილოცვები: წინასწარი ნახვა",
    "header.title": "მილოცვები",
    "header.pill": "წინასწარი ნახვა",
    "header.range": "<b>{start}</b> — <b>{end}</b> ({days})\n · მდგომარეობა: <b>{as_of}</b>",
    "header.days.forms": "დღე|დღე",
    "day.part": " · ნაწილი {part} / {parts}",
    "day.range": "ამ დღის მილოცვები{part}",
    "day.whole": "მთელი დღე: {counts}",
    "nav.all_days": "← ყველა დღე",
    "nav.all_greetings": "← ყველა მილოცვა",
    "day.off": "დასვენების დღე",
    "script.all": "ნაჩვენებია ყველა {n}",
    "toolbar.search_word": "ძებნა",
    "nav.back": "გალერეაში დაბრუნება",
    "nav.letters": "მეზობელი წერილები",
    "nav.letters_end": "მეზობელი წერილები (გვერდის ბოლოს)",
    "nav.prev": "წინა წერილი",
    "nav.next": "შემდეგი წერილი",
    "badge.tip": "ჟურნალებისა და JSON-ისთვის: {words}",
    "nothing_planned": "ამ პერიოდში არაფერია დაგეგმილი.",
    "no_match": "ვერაფერი მოიძებნა.",
    "footer": "greeter preview · გაგზავნის დრო მითითებულია მიმღების სასაათო სარტყლით",
    "contact_errors": "შეცდომები კონტაქტებში",
    "contact_errors.note": "ამ მიზეზებით ვერ მივულოცავთ, სანამ კონტაქტის სტრიქონში თარიღი არ გასწორდება",
    "rejected.title": "კონტაქტების ჩაუტვირთავი სტრიქონები: {n}",
    "rejected.note": "ამ კლიენტებს არაფერი მიუვათ, სანამ სტრიქონი არ გასწორდება",
    "alert.contact_errors": "შეცდომები კონტაქტებში: {n}",
    "alert.rejected": "კონტაქტების ჩაუტვირთავი სტრიქონები: {n}",
    "alert.listed": "{links} — სია {where}",
    "alert.elsewhere": "ცალკე გვერდზე",
    "alert.below": "წერილების შემდეგ, გვერდის ბოლოში",
    "no_email": "ელფოსტა არ არის",
    "badge.send": "გაგზავნა",
    "badge.sent": "გაგზავნილია",
    "badge.error": "შაბლონის შეცდომა",
    "badge.skip": "გამოტოვება: {reason}",
    "belated": "მიზეზის დღის შემდეგ",
    "belated.tip": "იგზავნება მიზეზის დღის შემდეგ",
    "own_day.tip": "მიზეზის დღე: წერილი სხვა დღეს იგზავნება",
    "when.occasion": "მიზეზის თარიღი",
    "when.sent": "გაგზავნილია (ჟურნალის მიხედვით), მიმღების დროით",
    "when.send": "გაგზავნა მიმღების დროით",
    "open": "წერილის გახსნა →",
    "open.carrier": "წერილის „{letter}“ გახსნა →",
    "carried.planned": "მილოცვა გაიგზავნება წერილში „{letter}“",
    "carried.failed_render": "მილოცვა უნდა გაგზავნილიყო წერილში „{letter}“, რომელიც ვერ აიწყო: {why}",
    "journal.failed.badge": "მიუწოდებელია: სერვერმა უარი თქვა",
    "journal.failed.note": "სერვერმა უარი თქვა",
    "journal.failed.detail": (
        "მიმღების სერვერმა წერილი არ მიიღო: ის არ მიწოდებულა და თავისით ხელახლა არ გაიგზავნება"
    ),
    "journal.uncertain.badge": "უცნობია, მივიდა თუ არა",
    "journal.uncertain.note": "უცნობია, მივიდა თუ არა",
    "journal.uncertain.detail": (
        "კავშირი წერილის გადაცემის შემდეგ გაწყდა: შეიძლება მივიდა, შეიძლება არა; greeter მას"
        " თავისით არ გაიმეორებს (greeter uncertain resend ან dismiss)"
    ),
    "journal.retry.badge": "ხელახალი გაგზავნა",
    "journal.retry.note": "ხელახალი გაგზავნა",
    "journal.retry.detail": "სერვერმა წერილი დროებით არ მიიღო: greeter მას ხელახლა გაგზავნის",
    "journal.claimed.badge": "იგზავნება",
    "journal.claimed.note": "იგზავნება",
    "journal.claimed.detail": (
        "წერილი ახლა გადაეცემა სერვერს (ან გაგზავნა შეწყდა: მაშინ მას მონიშნავენ"
        " როგორც „უცნობია, მივიდა თუ არა“)"
    ),
    "journal.skipped.badge": "გამოტოვება: გამოტოვებულია გაგზავნისას",
    "journal.skipped.note": "გამოტოვებულია გაგზავნისას",
    "journal.skipped.detail": "გაგზავნისას წერილი არ გაიგზავნა (რატომ — greeter history-ში)",
    "journal.skipped.why": "გაგზავნისას წერილი არ გაიგზავნა: {why}",
    "journal.dismissed.detail": (
        "ოპერატორმა წერილი მიღებულად მონიშნა: კავშირი გადაცემის შემდეგ გაწყდა და წერილი შეიძლება მივიდა;"
        " greeter მას ხელახლა არ გაგზავნის (greeter history)"
    ),
    "journal.baseline.badge": "გამოტოვება: გაგზავნილია greeter-მდე (baseline)",
    "journal.baseline.note": "გაგზავნილია greeter-მდე",
    "journal.baseline.detail": (
        "ეს წერილი greeter-ს არ გაუგზავნია:"
        " greeter baseline-მა ის წინა ინსტრუმენტით გაგზავნილად ჩაწერა (იხ. greeter history)"
    ),
    "carried.baseline.badge": "გამოტოვება: წერილი „{letter}“ გაგზავნილია greeter-მდე (baseline)",
    "carried.baseline.note": "greeter-მდე გაგზავნილ წერილებში",
    "carried.baseline.detail": (
        "მილოცვა იყო წერილში „{letter}“, რომელიც greeter-ს არ გაუგზავნია:"
        " greeter baseline-მა ის წინა ინსტრუმენტით გაგზავნილად ჩაწერა (იხ. greeter history)"
    ),
    "carried.sent.badge": "გაგზავნილია წერილში „{letter}“",
    "carried.sent.note": "სხვა მიზეზების წერილებში",
    "carried.sent.detail": "მილოცვა გაიგზავნა წერილში „{letter}“",
    "carried.failed.badge": "მიუწოდებელია (წერილში „{letter}“)",
    "carried.failed.note": "სხვა მიზეზების წერილებში",
    "carried.failed.detail": "მილოცვა იყო წერილში „{letter}“, რომელიც მიმღების სერვერმა არ მიიღო",
    "carried.uncertain.badge": "უცნობია, მივიდა თუ არა (წერილში „{letter}“)",
    "carried.uncertain.note": "უცნობია, მივიდა თუ არა",
    "carried.uncertain.detail": "მილოცვა იყო წერილში „{letter}“: უცნობია, მივიდა თუ არა",
    "carried.retry.badge": "ხელახალი გაგზავნა (წერილში „{letter}“)",
    "carried.retry.note": "ხელახალი გაგზავნა",
    "carried.retry.detail": "მილოცვა წერილშია „{letter}“, რომელსაც greeter ხელახლა გაგზავნის",
    "carried.claimed.badge": "იგზავნება (წერილში „{letter}“)",
    "carried.claimed.note": "იგზავნება",
    "carried.claimed.detail": "მილოცვა წერილშია „{letter}“, რომელიც ახლა იგზავნება",
    "carried.skipped.badge": "გამოტოვება: წერილი „{letter}“ არ გაიგზავნა",
    "carried.skipped.note": "წერილი არ გაიგზავნა",
    "carried.skipped.detail": "მილოცვა იყო წერილში „{letter}“, რომელიც არ გაიგზავნა",
    "carried.expired.badge": "გამოტოვება: წერილი „{letter}“ ვადაგასულია",
    "carried.expired.note": "წერილი ვადაგასულია",
    "carried.expired.detail": "მილოცვა იყო წერილში „{letter}“, რომელიც ასე და არ გაიგზავნა: მისი ვადა გავიდა",
    "meta.from": "ვისგან",
    "meta.to": "ვის",
    "meta.when": "გაგზავნა",
    "meta.template": "შაბლონი",
    "meta.approval": "დამტკიცება",
    "page.no_html": "ამ შაბლონს HTML-ვერსია არ აქვს: მიმღები მხოლოდ ტექსტს დაინახავს.",
    "page.html_title": "წერილის HTML-ვერსია",
    "page.text": "ტექსტი",
    "pager.label": "ნაწილები",
    "pager.label_end": "ნაწილები (გვერდის ბოლოს)",
    "pager.parts": "ნაწილები: {links}",
    "overview.caption": "დღეები: წერილები და გამოტოვებები დღეების მიხედვით, თითოეულ დღეს — თავისი გვერდი",
    "overview.day": "დღე",
    "overview.outside": "აუდიტორიის გარეთ",
    "overview.parts": "ნაწილები",
    "clients.forms": "კლიენტი|კლიენტი",
    "fold.badge": "გამოტოვება: აუდიტორიის გარეთ",
    "fold.line": "{clients} მიზეზის აუდიტორიაში არ არის, წერილები არ არის",
    "fold.list": "სია →",
    "fold.title": "აუდიტორიის გარეთ: {day}",
    "fold.heading": "{title}: აუდიტორიის გარეთ",
    "fold.range": (
        "{day} · მიზეზის აუდიტორიაში არ არის (მისი თეგები ან პირობები):\n {clients}, წერილები არ არის."
        " მიზეზი — თითოეულის სტრიქონში."
    ),
    "ics.summary": "მილოცვა: {who} — {occasions}",
    "ics.leaves": "წერილი იგზავნება {day}, {time} საათზე, მიმღების დროით ({label}, {zone})",
    "ics.occasion": "მიზეზი: {occasion}",
    "ics.also": "იმავე წერილში: {occasion}",
    "ics.to": "ვის: {who} <{email}> (id {id})",
    "ics.company": "კომპანია: {company}",
    "ics.moved": "{day} (წელს — {moved})",
    "ics.day_summary": "მილოცვები: {letters} — {occasions}",
    "ics.letters.forms": "წერილი|წერილი",
}
