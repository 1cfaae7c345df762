"""A name cell whose words are in two scripts («אבי Маркович») is a row warning, naming row, column and words.

Persona test (a Tel Aviv office): «אבי Маркович» — a Hebrew first name beside a
Cyrillic surname in one cell — was read in silence, though the letter prints it
half in a script its reader may not read; only Latin look-alikes inside a
Cyrillic word were told. One-script names (Latin Azerbaijani and Uzbek with
their ə, ı and ʻ, Georgian in Mkhedruli and Mtavruli, Greek, Armenian) are not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.sources.name_cells import mixed_scripts_note
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-07T10:00:00+03:00"


def check_json(config: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW, "--json"])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_name_cell_in_two_scripts_is_a_row_warning(make_project: MakeProject) -> None:
    config = make_project(
        [
            contact_row("1", "c1@example.com", last="Коэн", first="Ави", patronymic=""),
            contact_row("2", "c2@example.com", last="Маркович", first="אבי Маркович", patronymic=""),
            contact_row("3", "c3@example.com", last="Petrosyan Արամ", first="Արամ", patronymic=""),
        ]
    )
    data = check_json(config)
    said = [p.partition("contacts.csv:")[2] for p in data["problems"] if "two scripts" in p]
    assert said == [
        "row 3: Имя: warning: is written in two scripts or more: 'אבי' (Hebrew), 'Маркович' (Cyrillic);"
        " printed as typed: write the name in one script in the CRM",
        "row 4: Фамилия: warning: is written in two scripts or more: 'Petrosyan' (Latin), 'Արամ' (Armenian);"
        " printed as typed: write the name in one script in the CRM",
    ]
    assert data["row_problems"]["is written in two scripts or more"] == 2


@pytest.mark.parametrize(
    "name",
    [
        "Qasımova Leyla Rəşid qızı",  # Azerbaijani, Latin
        "Oʻtkir Bekzod oʻgʻli",  # Uzbek, Latin with its modifier letter ʻ
        "ნინო ბერიძე",  # Georgian
        "ᲜᲘᲜᲝ ბერიძე",  # Georgian capitals (Mtavruli) beside Mkhedruli: one script
        "Ελένη Παπαδοπούλου",
        "Aлександр Петров",  # a Latin look-alike «A»: lookalike_note's, said once
        "Дар'я Лукашэвіч",
        "John Smith",
        "{% for x in range(3) %}Ы{% endfor %}",  # data, not words of a name (tests/data/bad)
    ],
)
def test_a_name_in_one_script_is_not_told(name: str) -> None:
    assert mixed_scripts_note(name) == ""


@pytest.mark.parametrize(
    ("name", "scripts"),
    [
        ("אבי Маркович", ("Hebrew", "Cyrillic")),
        ("محمد Ali", ("Arabic", "Latin")),
        ("Нино ბერიძე", ("Cyrillic", "Georgian")),
        ("Ελένη Ivanova", ("Greek", "Latin")),
    ],
)
def test_each_pair_of_name_scripts_is_told(name: str, scripts: tuple[str, str]) -> None:
    note = mixed_scripts_note(name)
    assert all(f"({s})" in note for s in scripts), note
