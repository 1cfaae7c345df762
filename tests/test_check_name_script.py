"""``greeter check`` warns when contacts with no language of their own have names in another script.

A user moving from mailmerge gave greeter London and Berlin clients with no
language column filled: John Smith got «John, с днём рождения!» and ``check``
said OK. A client abroad may read Russian, so it is a warning, named where to
fix it (the language column's setting), with the first few contacts.
"""

from __future__ import annotations

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def row_without_language(cid: str, first: str, last: str) -> str:
    """A contact row as :func:`contact_row` makes it, its language cell («Язык») left empty."""
    cells = contact_row(
        cid, f"c{cid}@example.com", first=first, last=last, patronymic="", birthday="05.03.1970"
    )
    parts = cells.split(";")
    parts[8] = ""
    return ";".join(parts)


def check(config: object) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-03-01T10:00"])
    return result.exit_code, [
        line for line in result.output.splitlines() if "no language of their own" in line
    ]


def test_latin_names_without_a_language_are_warned_about(make_project: MakeProject) -> None:
    rows = [
        row_without_language("1", "John", "Smith"),
        row_without_language("2", "Anna", "Müller"),
        row_without_language("3", "Иван", "Петров"),  # Cyrillic under a Russian default: fine
        contact_row("4", "lee@example.com", first="Lee", last="Chen", patronymic=""),  # "ru" said outright
        row_without_language("5", "Lee", "Chen"),
        row_without_language("6", "Mary", "Jones"),
        row_without_language("7", "Tom", "Brown"),
    ]
    config = make_project(rows)
    code, warnings = check(config)
    assert code == 0  # a warning: check --strict refuses it, check does not
    # the setting's own line in the config (config.example.yaml grows: not a fixed number)
    line = next(
        n for n, text in enumerate(config.read_text().splitlines(), 1) if text.startswith("    locale:")
    )
    assert warnings == [
        f"{config}:{line}:5: contacts.columns.locale: warning: 5 contact(s) with no language of their own"
        " have names not written in Cyrillic, the script of defaults.locale 'ru' (1 John Smith, 2 Anna Müller,"
        " 5 Lee Chen and 2 more): they get Russian letters; if they do not read Russian, fill the column"
        " 'Язык' for them (en, de, …)"
    ]


def test_no_warning_when_every_name_fits_or_has_a_language(make_project: MakeProject) -> None:
    rows = [row_without_language("1", "Иван", "Петров"), contact_row("2", "b@example.com", first="John")]
    assert check(make_project(rows)) == (0, [])


def test_a_latin_name_with_a_cyrillic_language_of_its_own_is_a_row_warning(make_project: MakeProject) -> None:
    """A Riga office's «Ivans Petrovs» (Latvian transliteration) with the locale ``ru`` got «Здравствуйте,
    Ivans!» in silence: the check above skips contacts with a language of their own. A row warning
    now names the row and column; Cyrillic names, and Latin ones of a Latin-script language, are not told."""
    rows = [
        contact_row("1", "ivans@example.lv", first="Ivans", last="Petrovs", patronymic=""),
        contact_row("2", "ivan@example.lv", first="Иван", last="Петров", patronymic=""),
        ";".join(
            cell if i != 8 else "lv"
            for i, cell in enumerate(row_without_language("3", "Jānis", "Kalniņš").split(";"))
        ),
    ]
    config = make_project(rows)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-03-01T10:00"])
    assert result.exit_code == 0, result.output
    said = [
        line.partition("contacts.csv:")[2] for line in result.stderr.splitlines() if "Latin script" in line
    ]
    assert said == [
        "row 2: Имя: warning: 'Ivans' is in Latin script, but the contact's language 'ru' is written in"
        " Cyrillic: its letters print the name as typed («Ivans» in a Russian letter); write it in Cyrillic"
        " in the CRM, or give the contact a language written in Latin script (en) for an English letter"
    ], result.stderr


def test_a_name_in_a_script_its_language_is_not_written_in_is_a_row_warning(
    make_project: MakeProject,
) -> None:
    """A Tbilisi office: «Здравствуйте, გიორგი!» (locale ru) and «ბატონო Георгий» (ka) went out in
    silence — the row warning knew only Latin names in Cyrillic-only languages. Script names, not
    ISO codes. A Latin transliteration in a Georgian letter is told as «Ivans» in a Russian one;
    a Cyrillic name in an English letter, and a Georgian one with its patronymic, are not."""

    def row(cid: str, first: str, locale: str, patronymic: str = "") -> str:
        cells = contact_row(cid, f"c{cid}@example.ge", first=first, last="Беридзе", patronymic=patronymic)
        return cells.replace(";ru;", f";{locale};")

    rows = [
        row("1", "გიორგი", "ru"),
        row("2", "Георгий", "ka"),
        row("3", "Giorgi", "ka"),
        row("4", "Георгий", "en"),
        row("5", "გიორგი", "ka", patronymic="შალვას ძე"),
        row("6", "Giorgi", "ru", patronymic="Shalvovich"),  # a Latin ФИО: read as the Russian one
    ]
    config = make_project(rows)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2027-03-01T10:00"])
    said = [
        line.partition("contacts.csv:")[2] for line in result.stderr.splitlines() if " script, but" in line
    ]
    assert said == [
        "row 2: Имя: warning: 'გიორგი' is in Georgian script, but the contact's language 'ru' is written in"
        " Cyrillic: its letters print the name as typed («გიორგი» in a Russian letter); write it in Cyrillic"
        " in the CRM, or give the contact a language written in Georgian script (ka) for a Georgian letter",
        "row 3: Имя: warning: 'Георгий' is in Cyrillic script, but the contact's language 'ka' is written in"
        " Georgian: its letters print the name as typed («Георгий» in a Georgian letter); write it in"
        " Georgian in the CRM",
        "row 4: Имя: warning: 'Giorgi' is in Latin script, but the contact's language 'ka' is written in"
        " Georgian: its letters print the name as typed («Giorgi» in a Georgian letter); write it in Georgian"
        " in the CRM, or give the contact a language written in Latin script (en) for an English letter",
    ], result.stderr
