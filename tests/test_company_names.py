"""Company names in Russian letters: the legal form outside the guillemets, no quotes for a person.

And the words a sentence names the company with (:func:`company_in`): «компании» only
before a name that does not say what it is itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter.company_forms import ABBREVIATIONS, ORGANISATION_FORMS, PERSON_FORMS
from greeter.company_names import _QUOTES, COMPANY, company_in, company_name
from tests.conftest import ROOT
from tests.test_send_e2e import greeter_process


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # an organisation's legal form stays outside the quotes
        ("ООО Тест3", "ООО «Тест3»"),
        ("ООО Рога и Копыта", "ООО «Рога и Копыта»"),
        ("АО Бета", "АО «Бета»"),
        ("ЗАО Альфа", "ЗАО «Альфа»"),  # not read as "З" + "АО"
        ("ПАО Газпром", "ПАО «Газпром»"),
        ("НАО Север", "НАО «Север»"),
        ("ОАО РЖД", "ОАО «РЖД»"),
        ("АНО Развитие", "АНО «Развитие»"),
        ("НКО Фонд", "НКО «Фонд»"),
        ("ТОО Астана Трейд", "ТОО «Астана Трейд»"),
        ("ГУП Водоканал", "ГУП «Водоканал»"),
        ("МУП Горэлектросеть", "МУП «Горэлектросеть»"),
        ("ФГУП Почта России", "ФГУП «Почта России»"),
        ("ФГБУ Росгидромет", "ФГБУ «Росгидромет»"),
        (
            "Общество с ограниченной ответственностью Ромашка",
            "Общество с ограниченной ответственностью «Ромашка»",
        ),
        (
            "общество с ограниченной ответственностью Ромашка",
            "общество с ограниченной ответственностью «Ромашка»",
        ),
        ("Публичное акционерное общество Сбербанк", "Публичное акционерное общество «Сбербанк»"),
        ("Акционерное общество Бета", "Акционерное общество «Бета»"),
        # a person trading under his own name: no quotes at all
        ("ИП Кузнецов Д. С.", "ИП Кузнецов Д. С."),
        ("ИП Кузнецов Дмитрий Сергеевич", "ИП Кузнецов Дмитрий Сергеевич"),
        ("Индивидуальный предприниматель Кузнецов Д. С.", "Индивидуальный предприниматель Кузнецов Д. С."),
        ("ИП Глава КФХ Петров А. А.", "ИП Глава КФХ Петров А. А."),
        ("Глава КФХ Петров А. А.", "Глава КФХ Петров А. А."),
        # already quoted: exactly as written
        ("ООО «Вектор»", "ООО «Вектор»"),
        # …but straight double quotes, a plain-text field's, become Russian «ёлочки»
        ('ООО "Вектор"', "ООО «Вектор»"),
        ('ООО "Вектор; плюс"', "ООО «Вектор; плюс»"),
        ('ООО "Завод "Прогресс""', "ООО «Завод «Прогресс»»"),
        ('"Рога и Копыта"', "«Рога и Копыта»"),
        ('ТОВ "Кобзар"', "ТОВ «Кобзар»"),
        ('ООО "Вектор', 'ООО "Вектор'),  # unpaired: as typed
        ('Труба 12" ООО', 'Труба 12" ООО'),  # not a quote around a name
        ('ООО «Вектор" плюс»', 'ООО «Вектор" плюс»'),
        ("«Рога и Копыта»", "«Рога и Копыта»"),
        # …and so do English and German double quotes, when they pair up
        ("ООО “Вектор”", "ООО «Вектор»"),
        ("ООО “Лебедь”", "ООО «Лебедь»"),
        ("АО „Бета“", "АО «Бета»"),
        ("АО „Бета”", "АО «Бета»"),
        ("ООО “Завод “Прогресс””", "ООО «Завод «Прогресс»»"),
        ("ООО „Завод „Прогресс““", "ООО «Завод «Прогресс»»"),
        ('ООО “Завод "Прогресс"”', "ООО «Завод «Прогресс»»"),
        ("Галерея “Холст”", "Галерея «Холст»"),
        ("ООО “Вектор", "ООО “Вектор"),  # unpaired: as typed
        ("ООО Вектор”", "ООО Вектор”"),
        ("ООО ‘Вектор’", "ООО ‘Вектор’"),  # single quotes: apostrophes as often, as typed
        # a legal form after the name goes first, abbreviated
        ("Ромашка ООО", "ООО «Ромашка»"),
        ("Ромашка, ООО", "ООО «Ромашка»"),
        ("Ромашка (ООО)", "ООО «Ромашка»"),
        ("Ромашка(ООО)", "ООО «Ромашка»"),
        ("«Ромашка» ООО", "ООО «Ромашка»"),
        ('"Ромашка", ООО', "ООО «Ромашка»"),
        ("Рога и Копыта ЗАО", "ЗАО «Рога и Копыта»"),
        ("Банк ВТБ (ПАО)", "ПАО «Банк ВТБ»"),
        ("Банк ВТБ (публичное акционерное общество)", "ПАО «Банк ВТБ»"),
        ("Ромашка Общество с ограниченной ответственностью", "ООО «Ромашка»"),
        ("Кузнецов Д. С., ИП", "ИП Кузнецов Д. С."),
        ("Smart Solutions ООО", "ООО «Smart Solutions»"),
        ("Ромашка ООО Плюс", "«Ромашка ООО Плюс»"),  # not at the end: a word of the name
        ("ООО Ромашка ООО", "ООО «Ромашка ООО»"),  # the first one is the form
        ("Ромашка Ооо", "«Ромашка Ооо»"),  # abbreviations count only in capitals
        ("(ООО)", "«(ООО)»"),  # no name before it
        # all in lower case: the form in capitals, the name with its capital
        ("ооо «сидоров»", "ООО «Сидоров»"),
        ("ооо сидоров", "ООО «Сидоров»"),
        ('ооо "сидоров"', "ООО «Сидоров»"),
        ("ромашка ооо", "ООО «Ромашка»"),
        ("ромашка (пао)", "ПАО «Ромашка»"),
        ("прат оболонь", "ПрАТ «Оболонь»"),
        ("ип кузнецов д. с.", "ИП Кузнецов Д. С."),
        ("ип кузнецов дмитрий сергеевич", "ИП Кузнецов Дмитрий Сергеевич"),
        (
            "общество с ограниченной ответственностью ромашка",
            "общество с ограниченной ответственностью «Ромашка»",
        ),
        ("ооо", "ООО"),
        ("ипподром", "«ипподром»"),
        ("рога и копыта", "«рога и копыта»"),  # no form: nothing to say it is not written so on purpose
        # no legal form: the whole name in guillemets, as before
        ("Рога и Копыта", "«Рога и Копыта»"),
        ("Каспий", "«Каспий»"),
        # a name in the Latin (or any non-Cyrillic) script: no quotes, whatever its legal form
        ("Müller GmbH", "Müller GmbH"),
        ("Kats GmbH", "Kats GmbH"),
        ("Shevchuk LLC", "Shevchuk LLC"),
        ("Jovanović d.o.o.", "Jovanović d.o.o."),
        ("Acme Inc.", "Acme Inc."),
        ("Smith Imports Ltd", "Smith Imports Ltd"),
        ("Türk A.Ş.", "Türk A.Ş."),
        ("3M", "3M"),
        ("ООО Smart Solutions", "ООО «Smart Solutions»"),  # a Russian form: the name in «» as registered
        ("123", "«123»"),  # no letters at all: quoted as before
        ("Кофе Like", "«Кофе Like»"),  # any Cyrillic: a Russian name
        ("Ао Бета", "«Ао Бета»"),  # abbreviations count only in capitals
        ("прат Оболонь", "«прат Оболонь»"),  # …or as written, when mixed
        ("ооо Сидоров", "«ооо Сидоров»"),  # …and not all in lower case
        ("ЖК Солнечный", "«ЖК Солнечный»"),  # a housing estate as often as a sole trader: not in the table
        ("ООО-Сервис", "«ООО-Сервис»"),  # not a separate word
        ("ПК Мастер", "«ПК Мастер»"),  # ПК is a computer as often as a cooperative: not in the table
        ("Ипподром", "«Ипподром»"),
        # a legal form alone, spaces, nothing
        ("ООО", "ООО"),
        ("ИП", "ИП"),
        ("  ООО   Тест3  ", "ООО «Тест3»"),
        ("", ""),
        ("   ", ""),
        # data, never code
        ("ООО {{ 7*7 }}", "ООО «{{ 7*7 }}»"),
        ("Рога & Копыта <ООО>", "«Рога & Копыта <ООО>»"),
    ],
)
def test_company_name(name: str, expected: str) -> None:
    assert company_name(name) == expected


@pytest.mark.parametrize("form", ORGANISATION_FORMS)
def test_every_organisation_form_stays_outside_the_quotes(form: str) -> None:
    assert company_name(f"{form} Тест") == f"{form} «Тест»"


@pytest.mark.parametrize("form", PERSON_FORMS)
def test_every_person_form_takes_no_quotes(form: str) -> None:
    assert company_name(f"{form} Иванов И. И.") == f"{form} Иванов И. И."


@pytest.mark.parametrize(
    ("language", "case", "expected"),
    [
        ("ru", "nominative", "ИП «Оглы»"),
        ("uk", "nominative", "ИП «Оглы»"),
        ("sr", "nominative", "ИП „Оглы“"),
        ("en", "nominative", 'ИП "Оглы"'),
        ("ru", "dative", "ИП «Оглы»"),
    ],
)
def test_a_persons_form_takes_no_quotes_of_its_own_but_re_marks_the_crms(
    language: str, case: str, expected: str
) -> None:
    """QA re-test 13c: ``ИП "Оглы"`` kept straight quotes while ``ООО "Вектор"`` became ООО «Вектор»."""
    written = company_name('ИП "Оглы"', language) if case == "nominative" else company_in('ИП "Оглы"', case)
    assert written == expected
    assert company_name("ИП Кузнецов Д. С.", language) == "ИП Кузнецов Д. С."


def _words(text: str) -> list[str]:
    return sorted(re.findall(r"\w+", text))


@given(st.text(alphabet=st.sampled_from('ООО ооо Ab"«»“”„(), \t'), max_size=30) | st.text(max_size=30))
def test_the_name_is_never_lost_or_changed(name: str) -> None:
    """Quotes are added or made typographic, a form after the name put first: the words stay.

    As written, in the same letter case — but for a name all in lower case, whose
    form is written in capitals and the name with its capital.
    """
    text, out = " ".join(name.split()), company_name(name)
    if text == text.lower():
        assert _words(out.lower()) == _words(text)
    else:
        assert _words(out) == _words(text)
    if _QUOTES.isdisjoint(text) and "(" not in text:
        assert out.replace("«", "").replace("»", "") in (text, *_reorderings(text))


def _reorderings(text: str) -> list[str]:
    """``Ромашка ООО`` → ``ООО Ромашка``: each split of the words, and without a comma before the form."""
    words = text.split()
    out = []
    for i in range(1, len(words)):
        name, form = " ".join(words[:i]).rstrip(","), " ".join(words[i:])
        out += [f"{form} {name}", f"{form.upper()} {name.capitalize()}", f"{form.upper()} {name}"]
    return [" ".join(o.split()) for o in out]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "ООО «Вектор; плюс»"),
        ("uk", "ООО «Вектор; плюс»"),
        ("de", "ООО „Вектор; плюс“"),
        ("en", 'ООО "Вектор; плюс"'),
    ],
)
def test_straight_quotes_become_the_letters_own(language: str, expected: str) -> None:
    """An English letter writes the name as it is; the others quote as their language does."""
    assert company_name('ООО "Вектор; плюс"', language) == expected


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("ООО “Лебедь”", "uk", "ООО «Лебедь»"),
        ("ООО “Лебедь”", "sr", "ООО „Лебедь“"),  # a letter quoting „…“ itself: its own marks
        ("ООО „Лебедь“", "de", "ООО „Лебедь“"),
        ("ООО “Лебедь”", "en", "ООО “Лебедь”"),
        ("Ромашка ООО", "sr", "ООО „Ромашка“"),
        ("Ромашка ООО", "en", "Ромашка ООО"),  # an English letter: as written
        ("ооо сидоров", "de", "ООО Сидоров"),  # German writes a firm name with its form bare
    ],
)
def test_curly_quotes_and_forms_after_the_name_in_other_letters(
    name: str, language: str, expected: str
) -> None:
    assert company_name(name, language) == expected


#: Real-looking CRM values → how a sentence names the company in the genitive and dative
#: ("партнёром …", "а … — процветания"): the two cases «компании» has alike.
IN_A_SENTENCE = [
    # no legal form: «компании» says what it is
    ("Рога и Копыта", "компании «Рога и Копыта»"),
    ("«Вектор»", "компании «Вектор»"),
    ('"Вектор"', "компании «Вектор»"),
    # a foreign form: «компании», and a Latin name takes no quotes
    ("Kats GmbH", "компании Kats GmbH"),
    ("Shevchuk LLC", "компании Shevchuk LLC"),
    ("Jovanović d.o.o.", "компании Jovanović d.o.o."),
    ("Acme Inc.", "компании Acme Inc."),
    ("Smith Imports Ltd", "компании Smith Imports Ltd"),
    # a Russian form is the noun itself: no «компании ООО»
    ("ООО Тест3", "ООО «Тест3»"),
    ("ООО «Вектор»", "ООО «Вектор»"),
    ('ООО "Вектор; плюс"', "ООО «Вектор; плюс»"),
    ("АО «Северсталь-Сервис»", "АО «Северсталь-Сервис»"),
    ("ПАО Газпром", "ПАО «Газпром»"),
    ("ТОО Астана Трейд", "ТОО «Астана Трейд»"),
    ("ООО “Лебедь”", "ООО «Лебедь»"),
    # …written after the name, or all in lower case: the form first, in capitals
    ("Ромашка ООО", "ООО «Ромашка»"),
    ("Ромашка, ООО", "ООО «Ромашка»"),
    ("Банк ВТБ (ПАО)", "ПАО «Банк ВТБ»"),
    ("ооо «сидоров»", "ООО «Сидоров»"),
    ("ромашка ооо", "ООО «Ромашка»"),
    # …and a spelled-out one is abbreviated: an abbreviation fits every case, the full form does not
    ("Общество с ограниченной ответственностью Ромашка", "ООО «Ромашка»"),
    (
        "Общество с ограниченной ответственностью «Научно-производственное объединение»",
        "ООО «Научно-производственное объединение»",
    ),
    ("публичное акционерное общество Сбербанк", "ПАО «Сбербанк»"),
    ("Непубличное акционерное общество Север", "НАО «Север»"),
    ("Автономная некоммерческая организация «Развитие»", "АНО «Развитие»"),
    # an individual entrepreneur is a person, not a «компания» (a surname with initials is declined by
    # its ending: ENTREPRENEURS); a surname whose ending tells no gender: as registered
    ("ИП Ким И. О.", "ИП Ким И. О."),
    ("ИП Шевчук Т. Г.", "ИП Шевчук Т. Г."),
    ("ИП Кузнецов Дмитрий", "ИП Кузнецов Дмитрий"),  # no patronymic: no gender
    ("ИП Алиев Гусейн Рашид оглы", "ИП Алиев Гусейн Рашид оглы"),
    ("ИП Дмитрий Сергеевич Кузнецов", "ИП Дмитрий Сергеевич Кузнецов"),  # not «Фамилия Имя Отчество»
    ("ИП Ковальчук Ніна Іванівна", "ИП Ковальчук Ніна Іванівна"),  # Ukrainian spelling: not Russian rules
    ("Глава КФХ Петров А. А.", "Глава КФХ Петров А. А."),
    # the markets' own forms: Ukrainian, Kazakh, Belarusian, Uzbek — the noun itself, like ООО
    ("ТОВ «Кобзар»", "ТОВ «Кобзар»"),
    ("ТОВ Кобзар", "ТОВ «Кобзар»"),
    ("Товариство з обмеженою відповідальністю «Кобзар»", "ТОВ «Кобзар»"),
    ("ПрАТ Оболонь", "ПрАТ «Оболонь»"),
    ("Приватне акціонерне товариство «Оболонь»", "ПрАТ «Оболонь»"),
    ("АТ Укрзалізниця", "АТ «Укрзалізниця»"),
    ("ДП Антонов", "ДП «Антонов»"),
    ("ТОО «Астана Трейд»", "ТОО «Астана Трейд»"),
    ("ЖШС Алма", "ЖШС «Алма»"),
    ("АҚ Қазақтелеком", "АҚ «Қазақтелеком»"),
    ("ТАА Мілавіца", "ТАА «Мілавіца»"),
    ("МЧЖ Навоий", "МЧЖ «Навоий»"),
    # a Ukrainian sole trader is a person: no quotes, no «компании»
    ("ФОП Шевченко Т. Г.", "ФОП Шевченко Т. Г."),
    ("Фізична особа-підприємець Шевченко Т. Г.", "ФОП Шевченко Т. Г."),
    ("ФЛП Шевченко Т. Г.", "ФЛП Шевченко Т. Г."),
    # Latin-script forms: a foreign name, bare after «компании»
    ("Duna Kft.", "компании Duna Kft."),
    ("Tallinna Vesi AS", "компании Tallinna Vesi AS"),
    ("Põhjala OÜ", "компании Põhjala OÜ"),
    ("Dunav d.o.o.", "компании Dunav d.o.o."),
    # no common noun the dictionary is sure of before a quoted name: «компании», the name as registered
    ("Ромашка", "компании «Ромашка»"),
    ("Галерея Холст", "компании «Галерея Холст»"),  # no quoted name: the words are the name
    ("Петров и партнёры «Право»", "компании Петров и партнёры «Право»"),  # a surname, a conjunction
    ("Петров «Право»", "компании Петров «Право»"),  # a surname
    ("Альфа «Капитал»", "компании Альфа «Капитал»"),  # a letter, and a first name (Альф)
    ("Свет «Луч»", "компании Свет «Луч»"),  # …and Света
    ("Бизнес-центр «Сити»", "компании Бизнес-центр «Сити»"),  # the dictionary's organisation name
    ("Сбер «Бизнес»", "компании Сбер «Бизнес»"),  # animate and inanimate readings
    ("ТЦ «Мега»", "компании ТЦ «Мега»"),  # an acronym
    ("ГАЛЕРЕЯ «ХОЛСТ»", "компании ГАЛЕРЕЯ «ХОЛСТ»"),  # capitals may be an acronym's
    ("Фотостудия «Кадр»", "компании Фотостудия «Кадр»"),  # not in the dictionary
    ("Мастерские «Лес»", "компании Мастерские «Лес»"),  # plural
    ("Рога и Копыта «Вектор»", "компании Рога и Копыта «Вектор»"),
    ("Стали «Урала»", "компании Стали «Урала»"),  # a verb (стали) as often
    ("Столовая посуда «Дом»", "компании Столовая посуда «Дом»"),  # посуда is no genitive
    ("Галерея «Холст» и «Мольберт»", "компании Галерея «Холст» и «Мольберт»"),  # two names
    ("Gallery «Art»", "компании Gallery «Art»"),
    # nothing: nothing (the template says «Вашей компании» itself)
    ("", ""),
    ("  ", ""),
]


@pytest.mark.parametrize(("name", "expected"), IN_A_SENTENCE)
@pytest.mark.parametrize("case", ["genitive", "dative"])
def test_a_sentence_names_the_company_without_saying_company_twice(
    name: str, case: str, expected: str
) -> None:
    assert company_in(name, case) == expected


def test_the_other_cases_decline_companiya_and_leave_a_legal_form_alone() -> None:
    assert company_in("Рога и Копыта", "nominative") == "компания «Рога и Копыта»"
    assert company_in("Kats GmbH", "instrumental") == "компанией Kats GmbH"
    assert company_in("Рога и Копыта", "accusative") == "компанию «Рога и Копыта»"
    assert company_in("ООО Тест3", "instrumental") == "ООО «Тест3»"
    with pytest.raises(ValueError, match="unknown grammatical case 'dat'"):
        company_in("ООО Тест3", "dat")  # aliases are the template filter's business


#: Spelled-out forms (several words); "Глава КФХ" is an abbreviation already.
SPELLED_OUT = [f for f in ORGANISATION_FORMS + PERSON_FORMS if " " in f and f != "Глава КФХ"]


@pytest.mark.parametrize("form", SPELLED_OUT)
def test_every_spelled_out_form_has_its_abbreviation(form: str) -> None:
    short = ABBREVIATIONS[form.lower()]
    assert short in ORGANISATION_FORMS + PERSON_FORMS
    assert company_in(f"{form} Тест", "dative") in (f"{short} «Тест»", f"{short} Тест")


def test_companiya_has_every_case() -> None:
    from greeter.addressing import CASES

    assert tuple(COMPANY) == CASES


CASE_NAMES = ("nominative", "genitive", "dative", "accusative", "instrumental", "prepositional")

#: «Галерея «Холст»» in the six cases, however the CRM quotes the name.
HOLST = (
    "галерея «Холст»",
    "галереи «Холст»",
    "галерее «Холст»",
    "галерею «Холст»",
    "галереей «Холст»",
    "галерее «Холст»",
)
#: A common noun naming what the organisation is, before its name in quotes: the noun is the
#: sentence's «компания», declined and in lower case (agreeing adjectives too, a genitive after it stays).
GENERIC_NOUNS = [
    (
        "Галерея «Холст»",
        HOLST,
    ),
    (
        'Галерея "Холст"',
        HOLST,
    ),
    (
        "Галерея “Холст”",
        HOLST,
    ),
    (
        "Театр «Моссовет»",
        (
            "театр «Моссовет»",
            "театра «Моссовет»",
            "театру «Моссовет»",
            "театр «Моссовет»",
            "театром «Моссовет»",
            "театре «Моссовет»",
        ),
    ),
    (
        "Группа компаний «Самолёт»",
        (
            "группа компаний «Самолёт»",
            "группы компаний «Самолёт»",
            "группе компаний «Самолёт»",
            "группу компаний «Самолёт»",
            "группой компаний «Самолёт»",
            "группе компаний «Самолёт»",
        ),
    ),
    (
        "Группа Компаний «ПИК»",
        (
            "группа компаний «ПИК»",
            "группы компаний «ПИК»",
            "группе компаний «ПИК»",
            "группу компаний «ПИК»",
            "группой компаний «ПИК»",
            "группе компаний «ПИК»",
        ),
    ),
    (
        "Банк «Открытие»",
        (
            "банк «Открытие»",
            "банка «Открытие»",
            "банку «Открытие»",
            "банк «Открытие»",
            "банком «Открытие»",
            "банке «Открытие»",
        ),
    ),
    (
        "Фонд «Сколково»",
        (
            "фонд «Сколково»",
            "фонда «Сколково»",
            "фонду «Сколково»",
            "фонд «Сколково»",
            "фондом «Сколково»",
            "фонде «Сколково»",
        ),
    ),
    (
        "Торговый дом «Луч»",
        (
            "торговый дом «Луч»",
            "торгового дома «Луч»",
            "торговому дому «Луч»",
            "торговый дом «Луч»",
            "торговым домом «Луч»",
            "торговом доме «Луч»",
        ),
    ),
    (
        "Агентство «Старт»",
        (
            "агентство «Старт»",
            "агентства «Старт»",
            "агентству «Старт»",
            "агентство «Старт»",
            "агентством «Старт»",
            "агентстве «Старт»",
        ),
    ),
    ("Ателье «Мода»", ("ателье «Мода»",) * 6),  # indeclinable, and the dictionary knows it
    (
        "Объединённая авиастроительная корпорация «Север»",
        (
            "объединённая авиастроительная корпорация «Север»",
            "объединённой авиастроительной корпорации «Север»",
            "объединённой авиастроительной корпорации «Север»",
            "объединённую авиастроительную корпорацию «Север»",
            "объединённой авиастроительной корпорацией «Север»",
            "объединённой авиастроительной корпорации «Север»",
        ),
    ),
    (
        "Компания «Рога и Копыта»",
        (
            "компания «Рога и Копыта»",
            "компании «Рога и Копыта»",
            "компании «Рога и Копыта»",
            "компанию «Рога и Копыта»",
            "компанией «Рога и Копыта»",
            "компании «Рога и Копыта»",
        ),
    ),
    (
        "Салон красоты «Лиса»",
        (
            "салон красоты «Лиса»",
            "салона красоты «Лиса»",
            "салону красоты «Лиса»",
            "салон красоты «Лиса»",
            "салоном красоты «Лиса»",
            "салоне красоты «Лиса»",
        ),
    ),
    (
        "Завод «Прогресс» ",
        (
            "завод «Прогресс»",
            "завода «Прогресс»",
            "заводу «Прогресс»",
            "завод «Прогресс»",
            "заводом «Прогресс»",
            "заводе «Прогресс»",
        ),
    ),
    (
        'Завод "Завод "Прогресс""',
        (
            "завод «Завод «Прогресс»»",
            "завода «Завод «Прогресс»»",
            "заводу «Завод «Прогресс»»",
            "завод «Завод «Прогресс»»",
            "заводом «Завод «Прогресс»»",
            "заводе «Завод «Прогресс»»",
        ),
    ),
]


@pytest.mark.parametrize(("name", "expected"), GENERIC_NOUNS)
def test_a_common_noun_before_the_name_is_declined_instead_of_saying_company(
    name: str, expected: tuple[str, ...]
) -> None:
    assert tuple(company_in(name, case) for case in CASE_NAMES) == expected


#: ИП with a full «Фамилия Имя Отчество»: the patronymic gives the gender, greeter's declension does the rest.
ENTREPRENEURS = [
    (
        "ИП Ковальчук Николай Ильич",
        (
            "ИП Ковальчук Николай Ильич",
            "ИП Ковальчука Николая Ильича",
            "ИП Ковальчуку Николаю Ильичу",
            "ИП Ковальчука Николая Ильича",
            "ИП Ковальчуком Николаем Ильичом",
            "ИП Ковальчуке Николае Ильиче",
        ),
    ),
    (
        "ИП Ковальчук Анна Ильинична",
        (
            "ИП Ковальчук Анна Ильинична",
            "ИП Ковальчук Анны Ильиничны",
            "ИП Ковальчук Анне Ильиничне",
            "ИП Ковальчук Анну Ильиничну",
            "ИП Ковальчук Анной Ильиничной",
            "ИП Ковальчук Анне Ильиничне",
        ),
    ),
    (
        "Индивидуальный предприниматель Петрова-Водкина Анна-Мария Олеговна",
        (
            "ИП Петрова-Водкина Анна-Мария Олеговна",
            "ИП Петровой-Водкиной Анны-Марии Олеговны",
            "ИП Петровой-Водкиной Анне-Марии Олеговне",
            "ИП Петрову-Водкину Анну-Марию Олеговну",
            "ИП Петровой-Водкиной Анной-Марией Олеговной",
            "ИП Петровой-Водкиной Анне-Марии Олеговне",
        ),
    ),
    (
        "ип кузнецов дмитрий сергеевич",
        (
            "ИП Кузнецов Дмитрий Сергеевич",
            "ИП Кузнецова Дмитрия Сергеевича",
            "ИП Кузнецову Дмитрию Сергеевичу",
            "ИП Кузнецова Дмитрия Сергеевича",
            "ИП Кузнецовым Дмитрием Сергеевичем",
            "ИП Кузнецове Дмитрии Сергеевиче",
        ),
    ),
    ("ИП Ким И. О.", ("ИП Ким И. О.",) * 6),  # a surname that tells no gender: as registered
    ("ИП Черных Н. С.", ("ИП Черных Н. С.",) * 6),
    # initials: the surname declined by the gender its ending tells («договор с ИП Ивановым»)
    (
        "ИП Кузнецов Д. С.",
        (
            "ИП Кузнецов Д. С.",
            "ИП Кузнецова Д. С.",
            "ИП Кузнецову Д. С.",
            "ИП Кузнецова Д. С.",
            "ИП Кузнецовым Д. С.",
            "ИП Кузнецове Д. С.",
        ),
    ),
    (
        "Индивидуальный предприниматель Волкова М.А.",
        (
            "ИП Волкова М.А.",
            "ИП Волковой М.А.",
            "ИП Волковой М.А.",
            "ИП Волкову М.А.",
            "ИП Волковой М.А.",
            "ИП Волковой М.А.",
        ),
    ),
    (
        "ИП Петрова-Водкина А. О.",
        (
            "ИП Петрова-Водкина А. О.",
            *("ИП Петровой-Водкиной А. О.",) * 2,
            "ИП Петрову-Водкину А. О.",
            *("ИП Петровой-Водкиной А. О.",) * 2,
        ),
    ),
    (
        "ИП Толстой Л.",
        (
            "ИП Толстой Л.",
            "ИП Толстого Л.",
            "ИП Толстому Л.",
            "ИП Толстого Л.",
            "ИП Толстым Л.",
            "ИП Толстом Л.",
        ),
    ),
    # the surname alone (a recipient's finding: «а ИП Козлов — процветания», «партнёром ИП
    # Козлов»): declined by the gender its ending tells, as with initials; one that tells none
    # stays as registered
    (
        "ИП Козлов",
        (
            "ИП Козлов",
            "ИП Козлова",
            "ИП Козлову",
            "ИП Козлова",
            "ИП Козловым",
            "ИП Козлове",
        ),
    ),
    ("ИП Козлова", ("ИП Козлова", *("ИП Козловой",) * 2, "ИП Козлову", *("ИП Козловой",) * 2)),
    (
        "ип петрова-водкина",
        (
            "ИП Петрова-Водкина",
            *("ИП Петровой-Водкиной",) * 2,
            "ИП Петрову-Водкину",
            *("ИП Петровой-Водкиной",) * 2,
        ),
    ),
    ("ИП Шевчук", ("ИП Шевчук",) * 6),
    ("ИП Ким", ("ИП Ким",) * 6),
    ("ИП Ромашка", ("ИП Ромашка",) * 6),  # no surname's ending: not declined as one
    ("ИП Вяземская", ("ИП Вяземская", *("ИП Вяземской",) * 2, "ИП Вяземскую", *("ИП Вяземской",) * 2)),
]


@pytest.mark.parametrize(("name", "expected"), ENTREPRENEURS)
def test_an_entrepreneurs_full_name_is_declined(name: str, expected: tuple[str, ...]) -> None:
    assert tuple(company_in(name, case) for case in CASE_NAMES) == expected


@pytest.mark.parametrize(
    "name",
    [
        "Ромашка",
        "Рога и Копыта",
        "Kats GmbH",
        "Петров и партнёры «Право»",
        "Альфа «Капитал»",
        "ТЦ «Мега»",
        "Фотостудия «Кадр»",
    ],
)
def test_a_name_the_dictionary_is_not_sure_of_is_a_companiya_in_every_case(name: str) -> None:
    assert [company_in(name, case) for case in CASE_NAMES] == [
        f"{COMPANY[case]} {company_name(name)}" for case in CASE_NAMES
    ]


def test_the_dictionary_is_loaded_only_for_a_name_that_needs_it() -> None:
    """greeter's start-up is measured: pymorphy3 (~0.1 s with its dictionary) only when a name asks."""
    script = (
        "import sys\n"
        "from greeter.company_names import company_in, company_name\n"
        "for name in ('ООО Тест3', 'Рога и Копыта', 'Kats GmbH', 'ИП Ковальчук Николай Ильич', 'Ромашка ООО',"
        " 'ооо «сидоров»', 'ООО “Лебедь”', '«Вектор»'):\n"
        "    company_name(name); company_in(name, 'dative')\n"
        "print('pymorphy3' in sys.modules)\n"
        "company_in('Галерея «Холст»', 'dative')\n"
        "print('pymorphy3' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert run.stdout.split() == ["False", "True"]


def test_the_shipped_example_congratulates_the_gallery_not_the_company_galereya(tmp_path: Path) -> None:
    """Contact 1007 of the shipped example, «Галерея «Холст»»: «а компании Галерея «Холст» — процветания».

    The example as shipped (config, templates, contacts), copied so the preview's
    journal lands in tmp_path; each letter names the gallery in its template's case.
    """
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "contacts.csv", tmp_path / "data" / "contacts.csv")
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "greeter.yaml")
    run = greeter_process(
        tmp_path / "greeter.yaml",
        "preview", "--contact", "1007", "--from", "2027-01-01", "--days", "365",
        "--format", "json", "--now", "2026-12-31T10:00:00+03:00",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    letters = {g["occasion"]: g for g in json.loads(run.stdout) if g["status"] == "send"}
    expected = {
        "birthday": "а галерее «Холст» — процветания",  # dative
        "womens_day": "а галерее «Холст» — процветания",
        "new_year": "быть партнёром галереи «Холст». Пусть",  # genitive
        "first_deal_anniversary": "всю команду галереи «Холст» за доверие",
    }
    assert set(expected) <= set(letters), sorted(letters)
    for occasion, words in expected.items():
        assert words in letters[occasion]["text"], (occasion, letters[occasion]["text"])
        assert words in letters[occasion]["html"], occasion
    for letter in letters.values():
        assert "компани" not in letter["subject"] + letter["text"].replace("Вашей компании", ""), letter[
            "text"
        ]
