"""The planner's skip sentences, and the contacts loader's about a bad cell, in a Georgian gallery.

Why: with the gallery's own words Georgian (:mod:`greeter.gallery_lang_ka`), a skipped card said
«გამოტოვება: სიხშირის ლიმიტი» and then the planner's English, ``only 6 days from the greeting
of 2026-12-30 (min_gap_days 14)``: one page half in each language. These are the words of
:data:`greeter.gallery_why.FORMS` and :data:`greeter.contact_forms.CONTACT_FORMS`, said the way
:func:`greeter.gallery_why.table_detail` says every table's (the module's doc there), in the
gallery's wording (a *მიზეზი* is the occasion, a *მილოცვა* the greeting, a *წერილი* the letter;
the polite imperative: «ჩაწერეთ», «დაამატეთ»).

Georgian declines its nouns, and a number's noun is singular (5 დღე), so ``{days}`` is said
with the case its phrase wants — ``{days:დღის|დღის}`` «5 დღის შემდეგ» (after 5 days),
``{days:დღით|დღით}`` «1 დღით» (by a day), ``{days:დღეზე|დღეზე}`` «3 დღეზე მეტი» (more than 3
days) — both of CLDR's forms (``one|other``) the same word. A value no ending can be put on
(``{date}``: «28.12.2026»; ``{occasion}``: a title) stands in brackets or quotes, in the
nominative; ``{month}`` only in «31 თებერვალი», the nominative a Georgian date is written in.
A number takes its ending after a hyphen, as Georgian writes digits: «5-ის ჯერადი», «14-ზე
ნაკლები», the ordinal «მე-7» (``max_count`` is at least 1, so the greeting refused is at least
the 2nd: never «1-ლი»). The settings (``min_gap_days``) and the formats to type stay as written:
they are what the config and the CRM hold.

Pure: tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["GEORGIAN"]

#: The planner's sentences (:data:`greeter.gallery_why.FORMS`' keys, ``days.forms``, ``state.*``).
_PLANNER: Final[Mapping[str, str]] = {
    "days.forms": "დღე|დღე",
    "state.sent": "გაგზავნილია",
    "state.claimed": "იგზავნება",
    "state.retry": "ელოდება ხელახლა გაგზავნას",
    "state.failed": "სერვერმა უარი თქვა",
    "state.uncertain": "უცნობია, მივიდა თუ არა",
    "state.skipped": "გამოტოვებულია",
    "state.expired": "ვადაგასულია",
    "tier_none": "კონტაქტს კატეგორია არ აქვს, საჭიროა ერთ-ერთი: {list}",
    "tier": "კატეგორია „{tier}“ არ არის დაშვებულთა შორის: {list}",
    "tags_none": "არ აქვს არცერთი ამ თეგიდან: {list} (კონტაქტს თეგები არ აქვს)",
    "tags": "არ აქვს არცერთი ამ თეგიდან: {list} (კონტაქტის თეგები: {tags})",
    "contacts": "არ არის ამ მიზეზის კონტაქტების სიაში (audience.contacts)",
    "needs_years": "{setting} წლების რაოდენობას მოითხოვს, ამ მიზეზს კი ის არ აქვს",
    "country": "კლიენტის ქვეყანა {country} არ არის დაშვებულთა შორის: {list}",
    "locale": "წერილის ენა {locale} არ არის დაშვებულთა შორის: {list}",
    "round_years": "{years} — არ არის საიუბილეო თარიღი (უნდა იყოს {n}-ის ჯერადი: round_years)",
    "min_years": "{years} — {n}-ზე ნაკლებია (min_years)",
    "journal": "ეს მილოცვა ჟურნალში უკვე ჩაწერილია ({state})",
    "crm_do_not_contact": "CRM-ის მიხედვით ამ კონტაქტს არ უნდა მივწეროთ (სვეტი „{column}“)",
    "bounced": "{who}: წერილი {date} დაბრუნდა (სერვერის პასუხი: {reply}); ამ მისამართზე აღარ ვწერთ",
    "do_not_contact": "{who} სტოპ-სიაშია",
    "no_email": "კონტაქტს ელფოსტის მისამართი არ აქვს",
    "too_close": "სხვა მილოცვიდან ({date}) დაშორებულია მხოლოდ {days:დღით|დღით} (min_gap_days {gap})",
    "max_count": "{days:დღის|დღის} განმავლობაში ეს იქნებოდა მე-{n} მილოცვა (max_count {max})",
    "on_its_day": "მიზეზის დღეს ({date}): {then}",
    "leaving": "; დაგვიანებით, ახლა გაიგზავნება {date}",
    "carry_after_alone": (
        "მილოცვა გაიგზავნებოდა წერილში „{occasion}“ ({date}{leaving}), მიზეზის დღიდან {days:დღის|დღის} შემდეგ"
        " ({setting} {n}); ცალკე წერილით: {then}"
    ),
    "carry_before_alone": (
        "მილოცვა გაიგზავნებოდა წერილში „{occasion}“ ({date}{leaving}), მიზეზის დღეზე {days:დღით|დღით} ადრე"
        " ({setting} {n}); ცალკე წერილით: {then}"
    ),
    "carry_after": (
        "მილოცვა გაიგზავნებოდა წერილში „{occasion}“ ({date}{leaving}), მიზეზის დღიდან {days:დღის|დღის} შემდეგ"
        " ({setting} {n})"
    ),
    "carry_before": (
        "მილოცვა გაიგზავნებოდა წერილში „{occasion}“ ({date}{leaving}), მიზეზის დღეზე {days:დღით|დღით} ადრე"
        " ({setting} {n})"
    ),
    "expired_then": "მიზეზის დღიდან {days:დღეზე|დღეზე} მეტი გავიდა; {then}",
    "expired": "მიზეზის დღიდან {days:დღეზე|დღეზე} მეტი გავიდა",
    "expired_after": "წერილის გაგზავნის დაგეგმილი დღიდან ({day}) {days:დღეზე|დღეზე} მეტი გავიდა",
    "missed_for": (
        "გამოტოვებულია: გაგზავნის შემდეგი შესაძლებლობა ({next}) {days:დღეზე|დღეზე} მეტით გვიანაა,"
        " ვიდრე დღე, რომლისთვისაც წერილი იყო განკუთვნილი ({day})"
    ),
    "missed_leave": (
        "გამოტოვებულია: გაგზავნის შემდეგი შესაძლებლობა ({next}) {days:დღეზე|დღეზე} მეტით გვიანაა,"
        " ვიდრე წერილის გაგზავნის დაგეგმილი დღე ({day})"
    ),
    "journal_expired_then": (
        "ჟურნალის მიხედვით ვადაგასულია: დაგვიანებით გაგზავნის ვადა ამოიწურა, წერილი საერთოდ არ"
        " გაიგზავნა; {then}"
    ),
    "journal_expired": (
        "ჟურნალის მიხედვით ვადაგასულია: დაგვიანებით გაგზავნის ვადა ამოიწურა, წერილი საერთოდ არ გაიგზავნა"
    ),
    "quota_held": (
        "დღიურმა კვოტამ (delivery.rate_limit.per_day) წერილი შეაკავა ({day}), სანამ დაგვიანებით"
        " გაგზავნის ვადა არ ამოიწურა"
    ),
}

#: The contacts loader's sentences (:data:`greeter.contact_forms.CONTACT_FORMS`' keys).
_CONTACTS: Final[Mapping[str, str]] = {
    "quote": "„{}“",
    "list.and": " და ",
    "language.Russian": "რუსულ",  # «თვეების რუსულ სახელებს»: an adjective before a dative noun
    "bad_date": "{value} — {then}; ამ კონტაქტს არ გაეგზავნება მილოცვები: {greetings}",
    "not_real": "ასეთი თარიღი არ არსებობს: {then}{then_reading}",
    "excel_serial": (
        "ჰგავს რიცხვად შენახულ Excel-ის თარიღს ({date}): ექსპორტამდე Excel-ში სვეტს მიანიჭეთ თარიღის"
        " ფორმატი (ან თარიღები ტექსტად გამოიტანეთ)"
    ),
    "no_format": "არ ემთხვევა contacts.date_formats-ის არცერთ ფორმატს ({list}){then_reading}",
    "no_month": "თვე ნომრით {n} არ არსებობს",
    "no_day_0": "თვის 0 რიცხვი არ არსებობს",
    "no_such_day": "არცერთ თვეში არ არის {n} დღე",
    "not_leap": "{year} წელი ნაკიანი არ არის, მასში 29 თებერვალი არ არის",
    "month_short": "კალენდარში {n} {month} არ არის",
    "no_year_0": "ნულოვანი წელი არ არსებობს",
    "reading_add": (
        "; ეს არის {spoken}, თვე სიტყვით წერია: დაამატეთ „{format}“ contacts.date_formats-ში, თუ CRM"
        " თარიღებს ასე წერს"
    ),
    "reading_spelled": (
        "; ეს არის {spoken}, თვე სიტყვით ისე წერია, რომ მას ვერცერთი თარიღის ფორმატი ვერ კითხულობს:"
        " CRM-იდან თარიღები ციფრებით გამოიტანეთ (დდ.თთ.წწწწ)"
    ),
    "reading_language": (
        "; ეს არის {spoken}, თვე სიტყვით წერია, თვეების {language} სახელებს კი ვერცერთი თარიღის ფორმატი"
        " ვერ კითხულობს: CRM-იდან თარიღები ციფრებით გამოიტანეთ (დდ.თთ.წწწწ)"
    ),
    "reading_two": "; ფორმატით „{format}“ ეს არის {spoken}, ფორმატით „{format2}“ — {spoken2}{then_advice}",
    "reading_one": "; ფორმატით „{format}“ ეს არის {spoken}{then_advice}",
    "advice_it": " (დაამატეთ ის contacts.date_formats-ში, თუ CRM თარიღებს ასე წერს)",
    "advice_one": " (დაამატეთ contacts.date_formats-ში ის, რომლითაც CRM წერს)",
    "future_typed": (
        "ველი {field}: {dotted} — მომავლის თარიღია; როგორც ჩანს, დღე წლის გარეშე შეიყვანეს და მას"
        " შეყვანის წელი მიენიჭა: ჩაწერეთ ასე: {write} ან {write2}"
    ),
    "future": "ველი {field}: {dotted} — მომავლის თარიღია",
    "too_old_placeholder": (
        "ველი {field}: {dotted} — გამოდის {years} ({n}-ზე მეტი: max_years); {year} წელს ხშირად უცნობი"
        " წლის ნაცვლად წერენ: ჩაწერეთ დღე წლის გარეშე ({write} ან {write2})"
    ),
    "too_old": "ველი {field}: {dotted} — გამოდის {years} ({n}-ზე მეტი: max_years)",
    "too_young": (
        "ველი {field}: {dotted} — გამოდის {years} ({n}-ზე ნაკლები: min_years); როგორც ჩანს, დღე წლის"
        " გარეშე შეიყვანეს და მას შეყვანის წელი მიენიჭა: ჩაწერეთ ასე: {write} ან {write2}"
    ),
}

#: Georgian (``ka``): the table :data:`greeter.gallery_why.SENTENCES` reads for a Georgian gallery.
GEORGIAN: Final[Mapping[str, str]] = {**_PLANNER, **_CONTACTS}
