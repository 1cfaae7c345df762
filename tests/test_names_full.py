"""A ФИО column (``contacts.columns.full_name``) read reliably, and told apart from a first-name column.

The order «Фамилия Имя Отчество» is documented, but a cell typed the other
way round ("Мария Ивановна Кузнецова") was split by position and greeted
«Ивановна Кузнецова» with ``check: OK``. The words decide now, and every
cell not read the documented way is a row warning that says how it was read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.names import read_full_name, split_full_name
from greeter.sources import load_contacts
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("full", "parts", "order"),
    [
        # The documented order, read as before, with no warning.
        ("Иванов Иван Петрович", ("Иванов", "Иван", "Петрович"), ""),
        ("Петрова Анна", ("Петрова", "Анна", ""), ""),
        ("Алиев Гусейн Рашид оглы", ("Алиев", "Гусейн", "Рашид оглы"), ""),
        ("Петрова-Водкина Анна-Мария Олеговна", ("Петрова-Водкина", "Анна-Мария", "Олеговна"), ""),
        ("Шостакович Дмитрий Дмитриевич", ("Шостакович", "Дмитрий", "Дмитриевич"), ""),
        ("Марина Галина", ("Марина", "Галина", ""), ""),  # two first names: as documented
        ("Иван", ("", "Иван", ""), ""),
        # A patronymic second: «Имя Отчество [Фамилия]».
        ("Мария Ивановна Кузнецова", ("Кузнецова", "Мария", "Ивановна"), "first name, patronymic, last name"),
        ("Пётр Ильич Чайковский", ("Чайковский", "Пётр", "Ильич"), "first name, patronymic, last name"),
        ("Дмитрий Дмитриевич Шостакович", ("Шостакович", "Дмитрий", "Дмитриевич"), "first name, patronymic, last name"),
        ("Ольга Викторовна", ("", "Ольга", "Викторовна"), "first name, patronymic"),
        ("Гусейн Рашид оглы Алиев", ("Алиев", "Гусейн", "Рашид оглы"), "first name, patronymic, last name"),
        # A known first name before a word that is not one: «Имя Фамилия».
        ("Анна Петрова", ("Петрова", "Анна", ""), "first name, last name"),
        ("Анна-Мария Петрова-Водкина", ("Петрова-Водкина", "Анна-Мария", ""), "first name, last name"),
    ],
)  # fmt: skip
def test_the_order_is_read_from_the_words(full: str, parts: tuple[str, str, str], order: str) -> None:
    reading = read_full_name(full)
    assert (tuple(reading.parts), reading.order) == (parts, order)
    assert (reading.initials, reading.bracketed) == ("", "")
    assert tuple(split_full_name(full)) == parts


@pytest.mark.parametrize(
    ("full", "parts", "initials", "bracketed"),
    [
        ("Иванов И.И.", ("Иванов", "", ""), "И.И.", ""),
        ("Иванов И. И.", ("Иванов", "", ""), "И. И.", ""),
        ("И.И. Иванов", ("Иванов", "", ""), "И.И.", ""),
        ("Иванов Иван П.", ("Иванов", "Иван", ""), "П.", ""),
        ("Иванов Иван (бухгалтер)", ("Иванов", "Иван", ""), "", "(бухгалтер)"),
        ("Иванов Иван Петрович [VIP]", ("Иванов", "Иван", "Петрович"), "", "[VIP]"),
        ("Иванов Иван (бухгалтер", ("Иванов", "Иван", ""), "", "(бухгалтер"),
        ("(уволен)", ("", "", ""), "", "(уволен)"),
        ("{% for x in range(3) %}", ("{%", "for", "x in range(3) %}"), "", ""),  # data, as typed
    ],
)
def test_initials_and_brackets_are_no_name(
    full: str, parts: tuple[str, str, str], initials: str, bracketed: str
) -> None:
    reading = read_full_name(full)
    assert (tuple(reading.parts), reading.initials, reading.bracketed) == (parts, initials, bracketed)


def _load(tmp_path: Path, lines: list[str], **columns: str | None) -> tuple[list[object], list[str]]:
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cols = Columns(id="ID", email="Email", **columns)  # type: ignore[arg-type]
    cfg = ContactsSource(source="csv", path=path, columns=cols)
    contacts, report = load_contacts(cfg, Defaults())
    return list(contacts), [str(p).removeprefix(f"{path}:").strip() for p in report.problems]


FIO = {"full_name": "ФИО", "first_name": None, "patronymic": None, "last_name": None}


def test_a_full_name_not_in_the_documented_order_is_a_row_warning_saying_how_it_was_read(
    tmp_path: Path,
) -> None:
    rows = [
        "ID;Email;ФИО",
        "1;a@example.com;Иванов Иван Петрович",
        "2;b@example.com;Мария Ивановна Кузнецова",
        "3;c@example.com;Анна Петрова",
        "4;d@example.com;Иванов Иван (бухгалтер)",
        "5;e@example.com;Иванов И.И.",
        "6;f@example.com;Иванов Иван П.",
    ]
    contacts, problems = _load(tmp_path, rows, **FIO)
    assert [(c.last_name, c.first_name, c.patronymic) for c in contacts] == [  # type: ignore[attr-defined]
        ("Иванов", "Иван", "Петрович"),
        ("Кузнецова", "Мария", "Ивановна"),
        ("Петрова", "Анна", ""),
        ("Иванов", "Иван", ""),
        ("Иванов", "", ""),
        ("Иванов", "Иван", ""),
    ]
    assert problems == [
        "row 3: ФИО: warning: 'Мария Ивановна Кузнецова' read as first name 'Мария', patronymic 'Ивановна',"
        " last name 'Кузнецова' (not in Фамилия Имя Отчество order)",
        "row 4: ФИО: warning: 'Анна Петрова' read as first name 'Анна', last name 'Петрова' (not in Фамилия"
        " Имя Отчество order)",
        "row 5: ФИО: warning: 'Иванов Иван (бухгалтер)': the text in brackets '(бухгалтер)' is not part of"
        " the name",
        "row 6: ФИО: warning: 'Иванов И.И.' has initials ('И.И.') instead of a first name: letters to this"
        " contact are impersonal («Здравствуйте!»); write the name in full in the CRM",
        "row 7: ФИО: warning: 'Иванов Иван П.' has initials ('П.'), left out of the name: write the name in"
        " full in the CRM",
    ]


def test_a_first_name_column_holding_whole_names_is_one_warning_for_the_file(tmp_path: Path) -> None:
    rows = [
        "ID;Email;ФИО",
        "1;a@example.com;Петрова Анна Сергеевна",
        "2;b@example.com;Иванов Иван Петрович",
        "3;c@example.com;Анна Сергеевна",  # «Имя Отчество», no patronymic column: read so (test_crm_exports)
        "4;d@example.com;Анна Мария",  # a double first name: no patronymic, still a first name
        "5;e@example.com;Олег",
    ]
    contacts, problems = _load(tmp_path, rows, first_name="ФИО", patronymic=None, last_name=None)
    assert len(contacts) == 5
    assert problems == [
        "ФИО: warning: 2 of 5 first names look like a whole name (e.g. row 2: 'Петрова Анна Сергеевна'), and"
        " letters would address people by all of it; if the column holds «Фамилия Имя Отчество», set"
        " contacts.columns.full_name: ФИО and first_name: null"
    ]


def test_full_name_wins_over_name_columns_also_configured(tmp_path: Path) -> None:
    rows = ["ID;Email;ФИО;Имя", "1;a@example.com;Петрова Анна Сергеевна;Аня"]
    contacts, problems = _load(
        tmp_path, rows, full_name="ФИО", first_name="Имя", patronymic=None, last_name=None
    )
    assert (contacts[0].first_name, contacts[0].last_name) == ("Анна", "Петрова")  # type: ignore[attr-defined]
    assert problems == []


def _project(tmp_path: Path, rows: list[str], columns: dict[str, str | None]) -> Path:
    """The example project with a Bitrix-style contacts file: one ФИО cell instead of three columns."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "data").mkdir()
    header = "ID;Email;ФИО;Пол;Язык;Дата рождения;Дата основания компании;Первая сделка"
    (tmp_path / "data" / "contacts.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    yaml = YAML()
    config = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    cols = config["contacts"]["columns"]
    for key in ("company", "timezone", "country", "tier", "tags"):
        del cols[key]
    cols["locale"] = "Язык"
    cols.update(columns)
    path = tmp_path / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


BITRIX_ROWS = [
    "1;a@example.com;Кузнецова Мария Ивановна;;ru;20.12.1980;;",
    "2;b@example.com;Мария Ивановна Кузнецова;;ru;20.12.1980;;",
    "3;c@example.com;Пётр Ильич Чайковский;;ru;20.12.1980;;",
    "4;d@example.com;Ольга Викторовна;;ru;20.12.1980;;",
    "5;e@example.com;Анна Петрова;;ru;20.12.1980;;",
    "6;f@example.com;Иванов И.И.;;ru;20.12.1980;;",
    "7;g@example.com;Иванов Иван (бухгалтер);;ru;20.12.1980;;",
]
PREVIEW = ("preview", "--from", "2026-12-15", "--days", "10", "--now", "2026-12-01T09:00", "--format", "json")


def test_check_and_preview_read_a_bitrix_fio_column_by_its_words(tmp_path: Path) -> None:
    config = _project(
        tmp_path, BITRIX_ROWS, {"full_name": "ФИО", "first_name": None, "patronymic": None, "last_name": None}
    )
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 0, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert (
        "contacts.csv:row 3: ФИО: warning: 'Мария Ивановна Кузнецова' read as first name 'Мария', patronymic"
        " 'Ивановна', last name 'Кузнецова' (not in Фамилия Имя Отчество order)"
    ) in said
    for row in (4, 5, 6, 7, 8):
        assert f"contacts.csv:row {row}: ФИО: warning: " in said, said
    assert "contacts.csv:row 2:" not in said
    result = CliRunner().invoke(main, ["--config", str(config), *PREVIEW])
    assert result.exit_code == 0, result.stderr
    letters = {i["contact_id"]: i["text"] for i in json.loads(result.stdout) if i["occasion"] == "birthday"}
    assert letters["1"].startswith("Уважаемая Мария Ивановна!")
    assert letters["2"].startswith("Уважаемая Мария Ивановна!")
    assert letters["3"].startswith("Уважаемый Пётр Ильич!")
    assert letters["4"].startswith("Уважаемая Ольга Викторовна!")
    assert letters["5"].startswith("Здравствуйте, Анна!")
    assert letters["6"].startswith("Здравствуйте!")
    assert letters["7"].startswith("Здравствуйте, Иван!")


def test_check_warns_at_name_columns_written_beside_full_name(tmp_path: Path) -> None:
    config = _project(tmp_path, BITRIX_ROWS[:1], {"full_name": "ФИО", "first_name": "Имя"})
    lines = config.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "first_name: Имя" in text)
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    said = result.stdout + result.stderr
    assert (
        f"greeter.yaml:{line}:5: contacts.columns.first_name: warning: contacts.columns.full_name is set, so"
        " names are read from column 'ФИО' only and column 'Имя' is not read: remove this setting (or write"
        " first_name: null)"
    ) in said
    assert "contacts.columns.patronymic: warning" in said  # the example's «Отчество», still written
    assert result.exit_code == 0, said


def test_check_warns_once_when_first_name_is_mapped_to_the_fio_column(tmp_path: Path) -> None:
    """The newcomer's mapping: every letter said «Петрова Анна Сергеевна, с днём рождения!», check OK."""
    config = _project(tmp_path, BITRIX_ROWS, {"first_name": "ФИО", "patronymic": None, "last_name": None})
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    said = result.stdout + result.stderr
    warnings = [line.removeprefix(str(tmp_path)) for line in said.splitlines() if "a whole name" in line]
    assert warnings == [
        "/data/contacts.csv: ФИО: warning: 3 of 7 first names look like a whole name (e.g. row 2: 'Кузнецова"
        " Мария Ивановна'), and letters would address people by all of it; if the column holds «Фамилия Имя"
        " Отчество», set contacts.columns.full_name: ФИО and first_name: null"
    ], said


def test_initials_and_brackets_in_a_first_name_column_are_row_warnings(tmp_path: Path) -> None:
    rows = [
        "ID;Email;Фамилия;Имя",
        "1;a@example.com;Иванов;И.",
        "2;b@example.com;Петрова;Анна (бухгалтер)",
        "3;c@example.com;Сидоров;Олег",
    ]
    contacts, problems = _load(tmp_path, rows, first_name="Имя", last_name="Фамилия", patronymic=None)
    assert [c.first_name for c in contacts] == ["", "Анна", "Олег"]  # type: ignore[attr-defined]
    assert problems == [
        "row 2: Имя: warning: 'И.' has initials ('И.') instead of a first name: letters to this contact are"
        " impersonal («Здравствуйте!»); write the first name in full in the CRM",
        "row 3: Имя: warning: 'Анна (бухгалтер)': the text in brackets '(бухгалтер)' is not part of the name",
    ]
