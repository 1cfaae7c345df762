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
