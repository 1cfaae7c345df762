"""Company names in Russian letters: the legal form outside the guillemets, no quotes for a person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greeter.company_names import ORGANISATION_FORMS, PERSON_FORMS, company_name


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
        ('ООО "Вектор"', 'ООО "Вектор"'),
        ("ООО “Вектор”", "ООО “Вектор”"),
        ("«Рога и Копыта»", "«Рога и Копыта»"),
        ("АО „Бета“", "АО „Бета“"),
        # no legal form: the whole name in guillemets, as before
        ("Рога и Копыта", "«Рога и Копыта»"),
        ("Каспий", "«Каспий»"),
        ("Müller GmbH", "«Müller GmbH»"),
        ("Ао Бета", "«Ао Бета»"),  # abbreviations count only in capitals
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


@given(st.text(max_size=30))
def test_the_name_is_never_lost_or_changed(name: str) -> None:
    text, out = " ".join(name.split()), company_name(name)
    assert out == text or out.replace("«", "", 1).replace("»", "", 1) == text
