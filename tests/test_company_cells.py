"""Quotes a CRM put around a company name, taken off before the letter writes it.

A Moscow B2B CRM held «ООО "Ромашка"» (the legal form inside outer guillemets),
which the 23 February letter wrote «…компании «ООО „Ромашка“»», and
:data:`DOUBLED` (an export that doubled its quotes twice), written «ООО
«Торговый дом „„Луч““»». Both are ООО «…» as ``ООО "Ромашка"`` gives.
"""

from __future__ import annotations

import json

import pytest

from greeter.company_names import company_in, company_name
from tests.conftest import MakeProject, contact_row
from tests.faults import greeter

DOUBLED = 'ООО "Торговый дом ""Луч"""'


@pytest.mark.parametrize(
    ("cell", "ru", "dative", "sr"),
    [
        ('«ООО "Ромашка"»', "ООО «Ромашка»", "ООО «Ромашка»", "ООО „Ромашка“"),
        ('"ООО «Ромашка»"', "ООО «Ромашка»", "ООО «Ромашка»", "ООО „Ромашка“"),
        ("«ООО «Ромашка»»", "ООО «Ромашка»", "ООО «Ромашка»", "ООО „Ромашка“"),
        ("«ООО Ромашка»", "ООО «Ромашка»", "ООО «Ромашка»", "ООО „Ромашка“"),
        ('"ИП Кузнецов Д. С."', "ИП Кузнецов Д. С.", "ИП Кузнецову Д. С.", "ИП Кузнецов Д. С."),
        (DOUBLED, "ООО «Торговый дом «Луч»»", "ООО «Торговый дом «Луч»»", "ООО „Торговый дом „Луч““"),
        ('ООО ""Луч""', "ООО «Луч»", "ООО «Луч»", "ООО „Луч“"),
        ('"ООО ""Луч"""', "ООО «Луч»", "ООО «Луч»", "ООО „Луч“"),
    ],
)
def test_quotes_the_crm_added_are_taken_off(cell: str, ru: str, dative: str, sr: str) -> None:
    assert (company_name(cell), company_name(cell, "sr")) == (ru, sr)
    assert company_in(cell, "dative") == dative  # the legal form is the noun: no «компании»


@pytest.mark.parametrize(
    ("cell", "ru"),
    [
        ('ООО "Ромашка"', "ООО «Ромашка»"),  # the reference
        ('ООО "Завод "Прогресс""', "ООО «Завод «Прогресс»»"),  # nested, closing twice: no doubling
        ("«Рога и Копыта»", "«Рога и Копыта»"),  # no legal form inside: the quotes are the name's
        ("«ООО»", "«ООО»"),  # a form and no name
        ('"ООО" и "Ромашка"', "«ООО» и «Ромашка»"),  # two pairs, not one around it all
        ('Труба 12"" ООО', 'Труба 12"" ООО'),  # no doubled quote before a letter
    ],
)
def test_quotes_of_the_name_stay(cell: str, ru: str) -> None:
    assert company_name(cell) == ru


def test_the_letter_says_ooo_once_in_its_own_quotes(make_project: MakeProject) -> None:
    """Through the CSV reader and a real template, as the persona's 23 February letter was made."""
    rows = []
    for cid, company in (("1", '"«ООО ""Вектор""»"'), ("2", '"ООО ""Торговый дом """"Луч"""""""')):
        cells = contact_row(cid, f"{cid}@example.com", birthday="20.02.1980").split(";")
        cells[6] = company
        rows.append(";".join(cells))
    config = make_project(rows)
    result = greeter(
        config,
        "preview",
        "--from",
        "2027-02-15",
        "--days",
        "14",
        "--now",
        "2027-02-01T09:00",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    texts = {i["contact_id"]: i["text"] for i in json.loads(result.stdout) if i["occasion"] == "birthday"}
    assert "ООО «Вектор»" in texts["1"] and "«ООО" not in texts["1"], texts["1"]  # the sender's is «Ромашка»
    assert "ООО «Торговый дом „Луч“»" in texts["2"] and "„„" not in texts["2"], texts["2"]
