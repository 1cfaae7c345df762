"""Legal forms of Kyrgyzstan, Uzbekistan and Azerbaijan in a Russian letter: the form is the noun.

An Almaty office's letters said «партнёром компании ОсОО «Ала-Тоо Импэкс»»,
«компании OOO «Samarqand Invest»», «компании MChJ «Buxoro Tekstil»» and
«компании ЧП «Юсупова Д.»» — the company twice, as «компании ООО «Тест3»»
would — and a bare «ОсОО Ала-Тоо Импэкс» was quoted whole.
"""

from __future__ import annotations

import pytest

from greeter.company_names import company_in, company_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Kyrgyzstan: the form outside the quotes, put first when the CRM wrote it after
        ("ОсОО Ала-Тоо Импэкс", "ОсОО «Ала-Тоо Импэкс»"),
        ("Ала-Тоо Импэкс ОсОО", "ОсОО «Ала-Тоо Импэкс»"),
        ("ОсОО «Ала-Тоо Импэкс»", "ОсОО «Ала-Тоо Импэкс»"),
        # Uzbekistan in Cyrillic: private enterprise, joint-stock company; persons take no quotes
        ("ХК Навоий", "ХК «Навоий»"),
        ("АЖ Узбектелеком", "АЖ «Узбектелеком»"),
        ("ЯТТ Юсупова Д.", "ЯТТ Юсупова Д."),
        ("ЧП Юсупова Д.", "ЧП Юсупова Д."),
        ("ЧП «Юсупова Д.»", "ЧП «Юсупова Д.»"),
        # Latin letters: as written
        ("OOO «Samarqand Invest»", "OOO «Samarqand Invest»"),
        ("MChJ Buxoro Tekstil", "MChJ Buxoro Tekstil"),
        ("Azersun Trade MMC", "Azersun Trade MMC"),
    ],
)
def test_company_name(name: str, expected: str) -> None:
    assert company_name(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ОсОО «Ала-Тоо Импэкс»", "ОсОО «Ала-Тоо Импэкс»"),
        ("ОсОО Ала-Тоо Импэкс", "ОсОО «Ала-Тоо Импэкс»"),
        ("ХК «Навоий»", "ХК «Навоий»"),
        ("ЧП «Юсупова Д.»", "ЧП «Юсупова Д.»"),
        ("ЯТТ Юсупова Д.", "ЯТТ Юсупова Д."),
        ("OOO «Samarqand Invest»", "OOO «Samarqand Invest»"),
        ("MChJ «Buxoro Tekstil»", "MChJ «Buxoro Tekstil»"),
        ("QK Farg'ona Nur", "QK Farg'ona Nur"),
        ("YaTT Yusupova D.", "YaTT Yusupova D."),
        ("MMC «Azersun Trade»", "MMC «Azersun Trade»"),
        ("ASC Azərsu", "ASC Azərsu"),
        # the form after a Latin name is the name's own end, as in Kats GmbH
        ("Azersun Trade MMC", "компании Azersun Trade MMC"),
        # a form alone is no name to stand for
        ("MMC", "компании MMC"),
    ],
)
def test_the_form_stands_for_companiya(name: str, expected: str) -> None:
    assert company_in(name, "genitive") == expected


@pytest.mark.parametrize(
    ("name", "expected", "in_genitive"),
    [
        # Tajikistan: ҷамъияти дорои масъулияти маҳдуд (an LLC), ҷамъияти саҳомии кушода (an open JSC)
        ("ҶДММ Сомон", "ҶДММ «Сомон»", "ҶДММ «Сомон»"),
        ("Сомон ҶДММ", "ҶДММ «Сомон»", "ҶДММ «Сомон»"),
        ("Сомон, ҶДММ", "ҶДММ «Сомон»", "ҶДММ «Сомон»"),
        ("ҶДММ «Сомон»", "ҶДММ «Сомон»", "ҶДММ «Сомон»"),
        ("ҶСК Барқи Тоҷик", "ҶСК «Барқи Тоҷик»", "ҶСК «Барқи Тоҷик»"),
    ],
)
def test_tajik_forms_count_as_ooo_does(name: str, expected: str, in_genitive: str) -> None:
    """A Dushanbe client's «Сомон ҶДММ» was quoted whole, «компании «Сомон ҶДММ»»: the company twice."""
    assert company_name(name) == expected
    assert company_in(name, "genitive") == in_genitive


@pytest.mark.parametrize(
    "name", ["Buxoro Tekstil MChJ", "Buxoro Tekstil, MChJ", "Navoiy Savdo XK", "O'zbektelekom AJ", "Nur QK"]
)
def test_an_uzbek_form_after_the_name_stands_for_companiya_too(name: str) -> None:
    """Uzbekistan writes its form after the name («"Buxoro Tekstil" MChJ»), as registered: the letter
    said «компании Buxoro Tekstil MChJ», the company twice, where «MChJ Buxoro Tekstil» said it once."""
    assert company_name(name) == name  # Latin letters: as written
    assert company_in(name, "genitive") == name
    assert company_in(name, "instrumental") == name
