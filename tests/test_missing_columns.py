"""A CRM export without several configured columns: ``greeter check`` names them all in one run.

A first-day user's export lacked Пол, Язык, Страна and Теги; ``check`` named
one column per run, so each took a fix-and-rerun round. And its did-you-mean
offered a header cell another setting already reads («Теги» → «Категория»,
the tier column) in place of the hint that fixes it (``tags: null``).
The example config and data, with columns dropped from the file, through
the CLI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.test_bad_inputs import greeter_in_process

#: The columns a CRM export of the persona's lacked.
DROPPED = ("Пол", "Язык", "Страна", "Теги")


def example_project(tmp_path: Path, drop: tuple[str, ...], rename: dict[str, str] | None = None) -> Path:
    """config.example.yaml and its data, with the columns ``drop`` left out of data/contacts.csv."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "config.example.yaml", tmp_path / "greeter.yaml")
    csv = tmp_path / "data" / "contacts.csv"
    rows = [line.split(";") for line in csv.read_text(encoding="utf-8-sig").splitlines()]
    keep = [i for i, cell in enumerate(rows[0]) if cell not in drop]
    rows[0] = [(rename or {}).get(cell, cell) for cell in rows[0]]
    csv.write_text("".join(";".join(row[i] for i in keep) + "\n" for row in rows), encoding="utf-8")
    return tmp_path / "greeter.yaml"


def set_columns(config: Path, **columns: str | None) -> None:
    """Set ``contacts.columns`` entries of ``config`` (None: the column does not exist)."""
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    data["contacts"]["columns"].update(columns)
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def check(config: Path) -> tuple[int, str]:
    code, out, err = greeter_in_process(config, "check")
    assert "Traceback" not in err, err
    return code, out + err


def contacts_line(out: str) -> str:
    """The one line ``check`` says about the contacts file."""
    lines = [x for x in out.splitlines() if x.startswith("data/contacts.csv")]
    assert len(lines) == 1, out
    return lines[0]


HEADER_LEFT = (
    "the header has: ID, Email, Фамилия, Имя, Отчество, Компания, Часовой пояс, Категория, Дата рождения,"
    " Дата основания компании, Первая сделка"
)


def test_every_missing_column_is_named_in_one_run_and_following_the_hint_loads(tmp_path: Path) -> None:
    config = example_project(tmp_path, DROPPED)
    code, out = check(config)
    assert code == 2, out
    line = contacts_line(out)
    assert line.startswith(
        "data/contacts.csv: 4 configured columns not found: 'Пол' (contacts.columns.gender), 'Язык'"
        " (contacts.columns.locale), 'Страна' (contacts.columns.country), 'Теги' (contacts.columns.tags);"
        f" {HEADER_LEFT}; if the file has no gender, locale, country or tags column, write gender: null,"
        " locale: null, country: null, tags: null under contacts.columns."
    ), line
    assert "did you mean" not in line, line

    set_columns(config, gender=None, locale=None, country=None, tags=None)
    code, out = check(config)
    assert code == 0, out
    assert "contacts: 30 loaded from 30 rows, 0 rejected" in out, out


def test_a_did_you_mean_never_offers_a_cell_another_setting_reads(tmp_path: Path) -> None:
    """Only Теги missing: «Категория» is columns.tier's; the header list and ``tags: null`` are the hint."""
    config = example_project(tmp_path, DROPPED)
    set_columns(config, gender=None, locale=None, country=None)
    code, out = check(config)
    assert code == 2, out
    line = contacts_line(out)
    assert line.startswith(
        f"data/contacts.csv: column 'Теги' (contacts.columns.tags) not found ({HEADER_LEFT});"
        " if the file has no such column, write tags: null under contacts.columns."
    ), line
    assert "Категория'?" not in line, line


def test_a_did_you_mean_still_offers_a_cell_nobody_reads_and_the_others_keep_their_hints(
    tmp_path: Path,
) -> None:
    """Теги spelled Тэги, Email spelled E-mail, Пол missing: three columns, each with its own hint."""
    config = example_project(tmp_path, ("Пол",), rename={"Теги": "Тэги", "Email": "E-mail"})
    code, out = check(config)
    assert code == 2, out
    line = contacts_line(out)
    assert line.startswith(
        "data/contacts.csv: 3 configured columns not found: 'Email' (contacts.columns.email, did you mean"
        " 'E-mail'?), 'Пол' (contacts.columns.gender), 'Теги' (contacts.columns.tags, did you mean 'Тэги'?);"
        " the header has: ID, E-mail, "
    ), line
    assert "; if the file has no gender column, write gender: null under contacts.columns." in line, line
    assert "tags: null" not in line and "email: null" not in line, line


def test_two_missing_columns_are_not_both_offered_the_same_cell(tmp_path: Path) -> None:
    """tier and tags set to 'Теги 1' and 'Теги 2': the one unused cell Теги is offered once, to the first."""
    config = example_project(tmp_path, ("Пол", "Язык", "Страна"))
    set_columns(config, gender=None, locale=None, country=None, tier="Теги 1", tags="Теги 2")
    code, out = check(config)
    assert code == 2, out
    line = contacts_line(out)
    assert "'Теги 1' (contacts.columns.tier, did you mean 'Теги'?)" in line, line
    assert line.count("'Теги'?") == 1, line
