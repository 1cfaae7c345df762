"""A '?' ending a word, where a letter was: «Jovanovi? d.o.o.» from a Windows-1251 export is rejected.

A marketer's contacts.csv saved from a Russian Excel as «CSV (разделители —
запятые)» (Windows-1251, ';') had the Serbian «Jovanović d.o.o.» as
«Jovanovi? d.o.o.» — Windows-1251 has no «ć», Excel writes '?' — and the
Serbian letter greeted «партнери компаније „Jovanovi?“ d.o.o.» after
``check: OK``. A '?' inside a word («M?ller GmbH») was rejected already;
one ending a word passed, on purpose, for company names like «Что? Где?
Когда?». Now a person's name holds no '?' at all, and in a company's a '?'
before a word in lower case, or ending a Latin word in a file whose
encoding has no accented Latin letters, is a lost letter; the advice names
the code page the file was read in rather than "ASCII, Latin-1".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.errors import Problem
from greeter.sources import LoadReport, load_contacts
from greeter.sources.lost_letters import lacks_latin
from greeter.sources.rows import RowParser

HEADER = ("id", "email", "first_name", "patronymic", "last_name", "full_name", "company")
COLUMNS = Columns(company="company")
#: One ФИО cell instead of the three (Bitrix24, 1C).
FULL_NAME = Columns(
    company="company", full_name="full_name", first_name=None, patronymic=None, last_name=None
)
LOST = "has '?' where letters were; the row is not loaded"
#: The advice of a file read as UTF-8 (or a parser built alone): the letters were lost before it.
OLD_ADVICE = "(ASCII, Latin-1)"
EXCEL_UTF8 = "save it as «CSV UTF-8 (разделитель — запятая)» or export it as UTF-8"


def _parse(cells: dict[str, str], encoding: str | None = None) -> tuple[Contact | None, list[Problem]]:
    """The contact of one row holding ``cells`` (the rest empty), read from a file in ``encoding``."""
    columns = FULL_NAME if "full_name" in cells else COLUMNS
    parser = RowParser(ContactsSource(path=Path("c.csv"), columns=columns), HEADER, "crm")
    parser.encoding = encoding
    row = ["1", "c1@example.com", *(cells.get(name, "") for name in HEADER[2:])]
    return parser.parse(row, 2)


# --- 1: a person's name holds no question mark ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("last_name", "Jovanovi?"),  # «Jovanović»
        ("first_name", "Ana?"),
        ("patronymic", "Petrovi?"),
        ("full_name", "Nikoli? Milan"),
        ("full_name", "Szab? Anna"),
        ("first_name", "Ivan?"),  # a '?' typed after a name is no name either
    ],
)
@pytest.mark.parametrize("encoding", [None, "utf-8", "cp1251"])
def test_any_question_mark_in_a_persons_name_rejects_its_row(
    field: str, value: str, encoding: str | None
) -> None:
    cells = (
        {field: value}
        if field == "full_name"
        else {"first_name": "Милан", "last_name": "Јовановић", field: value}
    )
    contact, problems = _parse(cells, encoding)
    assert contact is None
    assert [(p.field, p.severity) for p in problems] == [(field, "error")], problems
    assert LOST in problems[0].message


# --- 2: a company's '?' that ends a word ----------------------------------------------------------


@pytest.mark.parametrize(
    "company",
    [
        "Jovanovi? d.o.o.",  # the marketer's row: a question is not followed by lower case
        "Nikoli? i sinovi",
        "Kova? és társa Kft.",
        "Петрови? и сыновья",  # a Cyrillic letter the code page lacks goes the same way
    ],
)
@pytest.mark.parametrize("encoding", [None, "utf-8", "cp1250", "cp1251"])
def test_a_question_mark_before_a_word_in_lower_case_is_a_lost_letter_in_any_file(
    company: str, encoding: str | None
) -> None:
    contact, problems = _parse({"first_name": "Milan", "company": company}, encoding)
    assert contact is None
    assert [p.field for p in problems] == ["company"]
    assert LOST in problems[0].message


@pytest.mark.parametrize(
    "company", ["Szab? Kft.", "Jovanovi?", "«Jovanovi?» d.o.o.", "Caf? Pushkin", "Why? Inc."]
)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "ascii"])
def test_a_question_mark_ending_a_latin_word_is_a_lost_letter_in_a_file_without_accented_letters(
    company: str, encoding: str
) -> None:
    """Windows-1251 cannot write «ó»: «Szab? Kft.» is Szabó's. «Why? Inc.» reads the same, so the
    message says how a question mark meant so loads: from the file saved as UTF-8 (below)."""
    contact, problems = _parse({"first_name": "Anna", "company": company}, encoding)
    assert contact is None
    assert [p.field for p in problems] == ["company"]
    assert LOST in problems[0].message
    assert "a '?' ending a Latin word is a lost letter" in problems[0].message
    assert "if it is a question mark, the file saved as UTF-8 loads it" in problems[0].message


#: Questions in company names, as they read: a '?' after a Cyrillic letter (Windows-1251 has them all)…
CYRILLIC_QUESTIONS = ["Что? Где? Когда?", "Кто? Что? ООО", "Клуб «Что? Где? Когда?»"]
#: …and after a Latin one, which loads from any file that could have written an accented letter.
LATIN_QUESTIONS = ["Why? Inc.", "What's up?", "Who? Media Group", "Got Milk? Ltd"]
ANY_FILE = [None, "utf-8", "utf-8-sig", "cp1250", "cp1257", "latin_1", "cp1251"]


@pytest.mark.parametrize(
    ("company", "encoding"),
    [(c, e) for c in CYRILLIC_QUESTIONS for e in ANY_FILE]
    + [(c, e) for c in LATIN_QUESTIONS for e in ANY_FILE if e != "cp1251"],
)
def test_a_question_in_a_company_name_still_loads(company: str, encoding: str | None) -> None:
    contact, problems = _parse({"first_name": "Иван", "company": company}, encoding)
    assert problems == []
    assert contact is not None and contact.company == company


@pytest.mark.parametrize(
    ("encoding", "lacks"),
    [
        ("cp1251", True), ("koi8-r", True), ("cp866", True), ("mac_cyrillic", True), ("ascii", True),
        ("utf-8", False), ("utf-16", False), ("cp1250", False), ("cp1257", False), ("latin-1", False),
        ("cp1252", False), (None, False), ("no-such-codec", False),
    ],
)  # fmt: skip
def test_which_encodings_lack_accented_latin_letters(encoding: str | None, lacks: bool) -> None:
    assert lacks_latin(encoding) is lacks


# --- 3: the advice names the code page the file was read in ---------------------------------------

CSV_HEADER = "ID;Email;Фамилия;Имя;Компания;Язык"
CSV_COLUMNS = Columns(
    id="ID", email="Email", last_name="Фамилия", first_name="Имя", patronymic=None, company="Компания",
    locale="Язык",
)  # fmt: skip


def _load(
    tmp_path: Path, rows: list[str], encoding: str, setting: str = "auto"
) -> tuple[list[Contact], LoadReport]:
    """The contacts of a real CSV file written in ``encoding`` (Excel's '?' for what it lacks), read with
    ``contacts.encoding: setting``."""
    path = tmp_path / "contacts.csv"
    path.write_bytes("\r\n".join([CSV_HEADER, *rows]).encode(encoding, errors="replace") + b"\r\n")
    cfg = ContactsSource(path=path, encoding=setting, columns=CSV_COLUMNS, dates={})
    return load_contacts(cfg, Defaults())


EXCEL_ROWS = [
    "1001;c1@example.com;Иванов;Иван;ООО «Вектор»;ru",
    "1016;c16@example.com;Јовановић;Милан;Jovanović d.o.o.;sr",
    "1027;c27@example.com;Müller;Anna;Müller GmbH;de",
    "1030;c30@example.com;Szabó;Anna;Szabó Kft.;hu",
    "1035;c35@example.com;Орлов;Олег;Что? Где? Когда?;ru",
]


@pytest.mark.parametrize("setting", ["auto", "cp1251", "windows-1251"])
def test_a_windows_1251_export_rejects_the_latin_names_it_lost_and_says_so(
    tmp_path: Path, setting: str
) -> None:
    contacts, report = _load(tmp_path, EXCEL_ROWS, "cp1251", setting)
    assert sorted(c.id for c in contacts) == ["1001", "1035"]
    errors = {(p.line, p.field): p.message for p in report.problems if p.severity == "error"}
    # «Müller» (last name) and «Szabó» lost a letter inside or at the end of a person's name too.
    assert sorted(errors) == [
        (3, "Компания"),
        (4, "Компания"),
        (4, "Фамилия"),
        (5, "Компания"),
        (5, "Фамилия"),
    ]
    first, *later = errors.values()
    assert LOST in first
    assert "the file is in Windows-1251" in first
    assert "which has no «ć», «ó», «ü» nor other letters beyond its own Cyrillic and plain Latin" in first
    assert "«CSV (разделители — запятые)»" in first and EXCEL_UTF8 in first
    for message in later:  # the advice once per file: later cells say it in a few words
        assert LOST in message and OLD_ADVICE not in message
        assert (
            "the file is in Windows-1251, which has no such letters: save it as UTF-8 (row 3 says more)"
            in message
        )
    assert "'Jovanovi? d.o.o.' has '?' where letters were" in errors[(3, "Компания")]


def test_the_same_export_saved_as_utf8_loads_every_name(tmp_path: Path) -> None:
    contacts, report = _load(
        tmp_path, [*EXCEL_ROWS, "1040;c40@example.com;Brown;Emily;Why? Inc.;en"], "utf-8"
    )
    assert [p for p in report.problems if p.severity == "error"] == []
    assert {c.id: c.company for c in contacts}["1016"] == "Jovanović d.o.o."
    assert {c.id: c.company for c in contacts}["1040"] == "Why? Inc."


def test_a_utf8_file_with_lost_letters_keeps_the_advice_on_the_export(tmp_path: Path) -> None:
    """Read as UTF-8, the file could hold the letters: the export before it lost them (ASCII, Latin-1)."""
    _, report = _load(tmp_path, ["1;c1@example.com;M?ller;Anna;M?ller GmbH;de"], "utf-8")
    messages = [p.message for p in report.problems if p.severity == "error"]
    assert len(messages) == 2
    for message in messages:
        assert OLD_ADVICE in message and "Windows-1251" not in message


def test_a_central_european_code_page_is_named_without_excels_russian_menu(tmp_path: Path) -> None:
    """A Serbian Excel's Windows-1250 holds «ć» but no Cyrillic: «Ива? d.o.o.» came out as «???? d.o.o.»."""
    path = tmp_path / "contacts.csv"
    lines = ["ID;Email;Prezime;Ime;Firma;Jezik", "1;c1@example.com;Jovanović;Milan;Ива? d.o.o.;sr"]
    path.write_bytes("\r\n".join(lines).encode("cp1250", errors="replace") + b"\r\n")
    columns = Columns(
        id="ID",
        email="Email",
        last_name="Prezime",
        first_name="Ime",
        patronymic=None,
        company="Firma",
        locale="Jezik",
    )
    _, report = load_contacts(
        ContactsSource(path=path, encoding="cp1250", columns=columns, dates={}), Defaults()
    )
    [problem] = [p for p in report.problems if p.severity == "error"]
    assert "'???? d.o.o.' has '?' where letters were" in problem.message
    assert "the file is in Windows-1250: it, or the export before it, had no such letters" in problem.message
    assert "«CSV UTF-8»" in problem.message and "разделители" not in problem.message


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Болат?лы", "«қ», «ғ», «ҳ», «ұ»"),  # Kazakh Cyrillic lost: not «ć», «ó», «ü»
        ("Нурлан?ызы", "«қ», «ғ», «ҳ», «ұ»"),
        ("Szab?", "«ć», «ó», «ü»"),
        ("????", "«қ», «ғ», «ć», «ó»"),  # nothing beside it to tell by: both kinds
    ],
)
def test_the_letters_a_cyrillic_code_page_lacks_are_named_of_the_kind_lost(value: str, named: str) -> None:
    """A Tashkent CRM's Windows-1251 export lost «қ», «ғ», «ҳ», «ұ», and the message said the file has
    no letters beyond Cyrillic and plain Latin («ć», «ó», «ü»…)."""
    from greeter.sources.lost_letters import lost_among, lost_fix

    fix = lost_fix("csv", "cp1251", False, lost_among(value))
    assert f"which has no {named} nor other letters beyond its own Cyrillic and plain Latin" in fix


def test_the_advice_is_given_once_per_file(tmp_path: Path) -> None:
    """An Almaty CRM's Windows-1251 export lost Kazakh letters in 63 cells: 63 times the same 60 words."""
    rows = [
        "1;c1@example.kz;Нұрланова;Әлия;ТОО «Алтын Дән»;ru",
        "2;c2@example.kz;Ахметов;Нұрлан;АО «Қазақтелеком»;ru",
        "3;c3@example.kz;Жұмабаев;Ержан;ТОО «Дала Трейд»;ru",
    ]
    contacts, report = _load(tmp_path, rows, "cp1251", "auto")
    assert contacts == []
    messages = [p.message for p in report.problems if p.severity == "error"]
    assert len(messages) == 6 and all(LOST in m for m in messages)
    advised = [m for m in messages if EXCEL_UTF8 in m]
    assert advised == [messages[0]]
    assert "which has no «қ», «ғ», «ҳ», «ұ» nor other letters" in messages[0]
    again = "the file is in Windows-1251, which has no such letters: save it as UTF-8 (row 2 says more)"
    assert all(m.endswith(again) for m in messages[1:])
    assert sum(map(len, messages)) < 2 * len(messages[0]) + 5 * 150
