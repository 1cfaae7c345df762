"""Company names in Russian letters: the legal form outside the guillemets, no quotes for a person.

And the words a sentence names the company with (:func:`company_in`): «компании» only
before a name that does not say what it is itself.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter.company_names import (
    ABBREVIATIONS,
    COMPANY,
    ORGANISATION_FORMS,
    PERSON_FORMS,
    company_in,
    company_name,
)


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
        ("ООО “Вектор”", "ООО “Вектор”"),
        ("«Рога и Копыта»", "«Рога и Копыта»"),
        ("АО „Бета“", "АО „Бета“"),
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


@given(st.text(alphabet=st.sampled_from('ООО Ab"«» \t'), max_size=30) | st.text(max_size=30))
def test_the_name_is_never_lost_or_changed(name: str) -> None:
    """Only quotes are added, or straight ones made typographic: the letters stay as written."""
    text, out = " ".join(name.split()), company_name(name)
    straight = out.replace("«", '"').replace("»", '"')
    assert (
        out == text
        or out.replace("«", "", 1).replace("»", "", 1) == text
        or ('"' in text and straight == text.replace("«", '"').replace("»", '"'))
    )


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
    # …and a spelled-out one is abbreviated: an abbreviation fits every case, the full form does not
    ("Общество с ограниченной ответственностью Ромашка", "ООО «Ромашка»"),
    (
        "Общество с ограниченной ответственностью «Научно-производственное объединение»",
        "ООО «Научно-производственное объединение»",
    ),
    ("публичное акционерное общество Сбербанк", "ПАО «Сбербанк»"),
    ("Непубличное акционерное общество Север", "НАО «Север»"),
    ("Автономная некоммерческая организация «Развитие»", "АНО «Развитие»"),
    # an individual entrepreneur is a person, not a «компания»
    ("ИП Кузнецов Д. С.", "ИП Кузнецов Д. С."),
    ("Индивидуальный предприниматель Кузнецов Д. С.", "ИП Кузнецов Д. С."),
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
