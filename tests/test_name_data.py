"""What a CRM administrator's real exports put into name cells, and what greeter now makes of it.

1. A MariaDB row written through a ``latin1`` connection into a right utf8mb4 column reads
   ``ÐŸÑ‘Ñ‚Ñ€``: the advice to convert the column in contacts.query is right only when every row of
   it reads so. Followed on a column whose other rows are right, it turned each right name into
   ``????`` and ``check`` said OK. The row's advice now names both cases, the column's note (every
   row read) says which it is, and a name of ``?`` where letters were rejects its row.
2. Emoji in a name went into letters («Уважаемая Анна 🌸 Сергеевна!», «Здравствуйте, 😀!»): they are
   dropped from the name with a warning; a name of only emoji is no name (the impersonal opening).
3. Bitrix24's «Обращение» (г-н, г-жа) and the other forms of address are a gender, not a guess.

Unit tables over the row parser, the CLI (``check`` and ``preview --format json``) on a CSV, and a
real MariaDB (``tests/databases.py``: a throw-away database) for item 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact, Gender
from greeter.errors import Problem
from greeter.sources import load_contacts
from greeter.sources.name_cells import GENDERS, without_pictographs
from greeter.sources.rows import RowParser
from tests import databases
from tests.conftest import MakeProject
from tests.faults import greeter

#: New Year (12-29) for everyone: each loaded contact gets one letter to read.
PREVIEW = ("preview", "--format", "json", "--from", "2026-12-25", "--days", "14", "--now", "2026-12-01T09:00")
COLUMNS = Columns(gender="gender", company="company")
HEADER = ("id", "email", "first_name", "patronymic", "last_name", "gender", "company")


def _parse(
    rows: Sequence[Sequence[str]], kind: str = "csv", query: str = "SELECT 1"
) -> tuple[list[Contact | None], list[Problem], list[Problem]]:
    """Each row's contact (None: rejected), the rows' problems and the columns' notes, as a source of ``kind`` reads them."""
    if kind == "sql":
        cfg = ContactsSource(source="sql", url="mysql://u@db/crm", query=query, columns=COLUMNS)
    else:
        cfg = ContactsSource(path=Path("c.csv"), columns=COLUMNS)
    parser = RowParser(cfg, HEADER, "crm")
    contacts: list[Contact | None] = []
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=2):
        contact, found = parser.parse(row, line)
        contacts.append(contact)
        problems += found
    return contacts, problems, parser.column_problems()


def _row(
    cid: str, first: str, patronymic: str = "", last: str = "", gender: str = "", company: str = ""
) -> list[str]:
    return [cid, f"c{cid}@example.com", first, patronymic, last, gender, company]


# --- 3: forms of address are a gender ----------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "gender"),
    [
        ("г-н", Gender.MALE), ("Г-Н", Gender.MALE), ("г.", Gender.MALE), ("господин", Gender.MALE),
        ("Mr", Gender.MALE), ("Mr.", Gender.MALE), ("Herr", Gender.MALE), ("gospodin", Gender.MALE),
        ("g-din", Gender.MALE), ("г-дин", Gender.MALE), ("Господин", Gender.MALE),
        ("г-жа", Gender.FEMALE), ("госпожа", Gender.FEMALE), ("Mrs", Gender.FEMALE), ("Mrs.", Gender.FEMALE),
        ("Ms", Gender.FEMALE), ("Miss", Gender.FEMALE), ("Frau", Gender.FEMALE), ("gospođa", Gender.FEMALE),
        ("gospodja", Gender.FEMALE), ("gđa", Gender.FEMALE), ("gospođica", Gender.FEMALE),
        ("госпођа", Gender.FEMALE), ("гђа", Gender.FEMALE), ("госпођица", Gender.FEMALE),
        ("м", Gender.MALE), ("Ж", Gender.FEMALE),  # as before
        # a German CRM's «Anrede» as a letter heads it, with a title after it; French, Spanish (QA)
        ("Herrn", Gender.MALE), ("Hr.", Gender.MALE), ("Fr.", Gender.FEMALE), ("Frau Dr.", Gender.FEMALE),
        ("Herr Prof. Dr.", Gender.MALE), ("Mme", Gender.FEMALE), ("Mlle", Gender.FEMALE),
        ("M.", Gender.MALE), ("Sr.", Gender.MALE), ("Sra.", Gender.FEMALE),
    ],
)  # fmt: skip
def test_a_form_of_address_in_the_gender_column_is_its_gender_without_a_warning(
    said: str, gender: Gender
) -> None:
    # «Саша» and no patronymic: nothing else tells the gender.
    contacts, problems, _ = _parse([_row("1", "Саша", gender=said)])
    assert contacts[0] is not None and contacts[0].gender is gender
    assert not problems, problems


# A name after it is no title. «Dr.» alone is one, and no gender: tests/test_dotless_titles.py.
@pytest.mark.parametrize("said", ["директор", "Frau Müller"])
def test_a_word_that_is_no_gender_is_still_said(said: str) -> None:
    contacts, problems, _ = _parse([_row("1", "Саша", gender=said)])
    assert contacts[0] is not None and contacts[0].gender is None
    assert [p.message for p in problems] == [
        f"'{said}' is not a gender value (м/ж, M/F, male/female, мужской/женский, ч/ж, чоловіча/жіноча, mees/naine, férfi/nő,"
        " männlich/weiblich, muški/ženski, Mr/Mrs, Herr/Frau…); guessed from the name: map it with"
        " contacts.gender_values"
    ]


def test_the_config_tells_a_form_of_address_as_the_gender_to_write() -> None:
    """``genders: [Mrs]`` reads the same table: told to write ``female``, not taken silently."""
    assert GENDERS["mrs"] is Gender.FEMALE and GENDERS["г-н"] is Gender.MALE


# --- 2: emoji and pictographs in a name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "name", "removed"),
    [
        ("Анна 🌸", "Анна", "🌸"),
        ("😀", "", "😀"),
        ("🌸🌸 Анна 🌸", "Анна", "🌸🌸🌸"),
        ("👩\u200d💻 Ирина", "Ирина", "👩\u200d💻"),  # a ZWJ sequence goes whole
        ("Пётр👍🏽", "Пётр", "👍🏽"),  # a skin tone (Sk) with its emoji
        ("Мария ❤️", "Мария", "❤️"),  # a variation selector with its symbol
        ("🏳️\u200d🌈Маша", "Маша", "🏳️\u200d🌈"),
        ("1️⃣ Иван", "Иван", "1️⃣"),  # a keycap takes its digit
        ("Иван ★", "Иван", "★"),
        ("Weiß™", "Weiß™", ""),  # a trade mark is a brand's, not a decoration
        # Not pictographs: letters, apostrophes and their stand-ins, joiners inside a word.
        ("Иван", "Иван", ""),
        ("O´Brien", "O´Brien", ""),
        ("D`Artagnan", "D`Artagnan", ""),
        ("Дем'ян", "Дем'ян", ""),
        ("می\u200cخواهم", "می\u200cخواهم", ""),
        ("Иван 2", "Иван 2", ""),
    ],
)
def test_pictographs_are_told_from_a_name(cell: str, name: str, removed: str) -> None:
    assert without_pictographs(cell) == (name, removed)


@pytest.mark.parametrize(
    ("first", "patronymic", "last", "read", "field", "warning"),
    [
        ("Анна 🌸", "Сергеевна", "Петрова", ("Анна", "Сергеевна", "Петрова"), "first_name",
         "'Анна 🌸' holds emoji or pictographs ('🌸'), left out of the name: read as 'Анна'"),
        ("Анна", "Сергеевна 🌸", "Петрова", ("Анна", "Сергеевна", "Петрова"), "patronymic",
         "'Сергеевна 🌸' holds emoji or pictographs ('🌸'), left out of the name: read as 'Сергеевна'"),
        ("Анна", "Сергеевна", "🔥", ("Анна", "Сергеевна", ""), "last_name",
         "'🔥' is only emoji or pictographs, no name"),
        ("😀", "", "Смайлов", ("", "", "Смайлов"), "first_name",
         "'😀' is only emoji or pictographs, no name: letters to this contact are impersonal"
         " («Здравствуйте!»); write the name in the CRM"),
    ],
)  # fmt: skip
def test_a_name_with_emoji_is_read_without_them_and_warned(
    first: str, patronymic: str, last: str, read: tuple[str, str, str], field: str, warning: str
) -> None:
    contacts, problems, _ = _parse([_row("1", first, patronymic, last, company="Цветы 🌸")])
    contact = contacts[0]
    assert contact is not None
    assert (contact.first_name, contact.patronymic, contact.last_name) == read
    assert contact.company == "Цветы 🌸"  # a company's name is its own, ™ and all
    assert [(p.field, p.severity, p.message) for p in problems] == [(field, "warning", warning)]


def test_each_row_of_a_repeated_emoji_name_is_warned() -> None:
    """The cell is read once (names repeat, and are cached); its warning is each row's."""
    contacts, problems, _ = _parse([_row("1", "Анна 🌸", "Сергеевна"), _row("2", "Анна 🌸", "Сергеевна")])
    assert [c.first_name for c in contacts if c is not None] == ["Анна", "Анна"]
    assert [(p.line, p.field) for p in problems] == [(2, "first_name"), (3, "first_name")]


def test_a_full_name_with_emoji_is_read_without_them() -> None:
    cfg = ContactsSource(
        path=Path("c.csv"), columns=Columns(first_name=None, patronymic=None, last_name=None, full_name="fio")
    )
    parser = RowParser(cfg, ("id", "email", "fio"), "crm")
    contact, problems = parser.parse(["1", "a@example.com", "Петрова Анна Сергеевна 💐"], 2)
    assert contact is not None and (contact.last_name, contact.first_name, contact.patronymic) == (
        "Петрова",
        "Анна",
        "Сергеевна",
    )
    assert [p.message for p in problems] == [
        "'Петрова Анна Сергеевна 💐' holds emoji or pictographs ('💐'), left out of the name:"
        " read as 'Петрова Анна Сергеевна'"
    ]
    contact, problems = parser.parse(["2", "b@example.com", "🎉🎉"], 3)
    assert contact is not None and not contact.first_name and not contact.last_name
    assert [p.message for p in problems] == [
        "'🎉🎉' is only emoji or pictographs, no name: letters to this contact are impersonal"
        " («Здравствуйте!»); write the name in the CRM"
    ]


# --- 1b: '?' where letters were ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "company", "lost"),
    [
        ("????", "????????", "", ("first_name", "last_name")),
        ("Пётр", "????????", "", ("last_name",)),
        ("?", "Петров", "", ("first_name",)),
        ("Анна ?", "Петрова", "", ("first_name",)),  # «Анна 🌸» through a latin1 connection
        ("Jürgen", "M?ller", "", ("last_name",)),  # ü lost to ascii
        ("Иван", "Петров", "??? «????»", ("company",)),  # «ООО «Ромб»» through latin1 («» are in it)
        # A question mark, not a lost letter.
        ("Иван", "Петров", "Что? Где? Когда?", ()),
        ("Иван", "Петров", "What's up?", ()),
        ("Иван", "Петров", "", ()),
    ],
)
def test_a_name_of_question_marks_rejects_its_row_naming_the_lost_conversion(
    first: str, last: str, company: str, lost: tuple[str, ...]
) -> None:
    contacts, problems, _ = _parse([_row("1", first, "", last, company=company)])
    assert (contacts[0] is None) == bool(lost)
    assert tuple(p.field for p in problems if p.severity == "error") == lost
    for problem in problems:
        assert "has '?' where letters were; the row is not loaded" in problem.message, problem
        assert "a character set without these letters" in problem.message
        assert "(latin1, ascii)" in problem.message or "(ASCII, Latin-1)" in problem.message


def test_question_marks_from_a_latin1_conversion_in_the_query_name_it() -> None:
    query = "SELECT id, CONVERT(BINARY CONVERT(first_name USING latin1) USING utf8mb4) AS first_name FROM c"
    contacts, problems, _ = _parse([_row("1", "????", "", "Петров")], "sql", query)
    assert contacts == [None]
    assert [p.field for p in problems] == ["first_name"]
    assert "contacts.query converts through latin1" in problems[0].message
    assert "right only for a column every row of which is garbled" in problems[0].message
    _, problems, _ = _parse([_row("1", "????", "", "Петров")], "sql", "SELECT * FROM c")
    assert "a conversion to a character set without these letters (latin1, ascii)" in problems[0].message


# --- 1a: UTF-8 read as Latin-1: the column or the row? ---------------------------------------------

#: «Пётр» written through a latin1 connection, as MariaDB gives it back.
GARBLED = "ÐŸÑ‘Ñ‚Ñ€"


@pytest.mark.parametrize(
    ("firsts", "verdict"),
    [
        # Every non-ASCII name garbled (ASCII ones read alike either way): the column's reading.
        ((GARBLED, "John", GARBLED), "every non-ASCII name in this column (2) is UTF-8 text read as Latin-1"),
        # One garbled among right names: that row, and converting the column would ruin the rest.
        (("Иван", GARBLED, "Мария", "John"), "1 name(s) in this column are UTF-8 text read as Latin-1 (row(s) 3),"
         " while its other non-ASCII names read right (e.g. row 2: 'Иван'): those rows were stored garbled"),
        # The right name may come after: the note waits for every row.
        ((GARBLED, "John", "Мария"), "1 name(s) in this column are UTF-8 text read as Latin-1 (row(s) 2),"
         " while its other non-ASCII names read right (e.g. row 4: 'Мария')"),
        ((), None),
        (("Иван", "Мария"), None),
    ],
)  # fmt: skip
def test_the_column_note_says_whether_the_column_or_its_rows_are_garbled(
    firsts: tuple[str, ...], verdict: str | None
) -> None:
    rows = [_row(str(i), first) for i, first in enumerate(firsts)]
    contacts, problems, notes = _parse(rows, "sql")
    assert [c is None for c in contacts] == [first == GARBLED for first in firsts]
    for problem in problems:  # each row's advice names both cases, and where the answer is
        assert "if every row of this column reads like this" in problem.message
        assert "this row itself was stored garbled: fix it in the CRM" in problem.message
        assert "the note on the column says which" in problem.message
    shown = [(n.kind, n.field, n.message) for n in notes]
    if verdict is None:
        assert not shown
        return
    assert len(shown) == 1 and shown[0][:2] == ("column", "first_name")
    assert verdict in shown[0][2], shown
    if verdict.startswith("every"):
        assert "CONVERT(BINARY CONVERT(col USING latin1) USING utf8mb4)" in shown[0][2]
    else:
        assert (
            "do not convert the column in contacts.query: that would turn its right names into '????'"
            in (shown[0][2])
        )


# --- the CLI on a CSV --------------------------------------------------------------------------


def _csv_row(cid: str, first: str, patronymic: str, last: str, gender: str) -> str:
    fields = [
        cid,
        f"c{cid}@example.com",
        last,
        first,
        patronymic,
        gender,
        "ООО «Тест»",
        "Europe/Moscow",
        "ru",
    ]
    return ";".join([*fields, "regular", "", "", "", "", ""])


def test_check_and_preview_of_a_crm_export(make_project: MakeProject) -> None:
    config = make_project(
        [
            _csv_row("1", "Анна 🌸", "Сергеевна", "Петрова", "г-жа"),
            _csv_row("2", "😀", "", "Смайлов", ""),
            _csv_row("3", "????", "", "????????", "г-н"),
            _csv_row("4", GARBLED, "", "Сидоров", ""),
            _csv_row("5", "Саша", "Петрович", "Орлов", "г-н"),
            _csv_row("6", "Саша", "Петровна", "Орлова", "Mrs"),
        ]
    )
    checked = greeter(config, "check")
    err = checked.stderr
    assert checked.returncode == 1, err  # rows 4 and 5 (the header is row 1) are rejected
    assert "row 2: Имя: warning: 'Анна 🌸' holds emoji or pictographs ('🌸'), left out of the name" in err
    assert "row 3: Имя: warning: '😀' is only emoji or pictographs, no name: letters to this contact" in err
    assert "row 4: Имя: '????' has '?' where letters were; the row is not loaded" in err
    assert "row 4: Фамилия: '????????' has '?' where letters were; the row is not loaded" in err
    assert f"row 5: Имя: '{GARBLED}' is UTF-8 text read as Latin-1 (most likely 'Пётр')" in err
    assert "Имя: warning: 1 name(s) in this column are UTF-8 text read as Latin-1 (row(s) 5)" in err
    assert "is not a gender value" not in err and "but the patronymic" not in err  # г-н and Mrs are read
    assert "contacts: 4 loaded from 6 rows, 2 rejected" in checked.stdout + err

    shown = greeter(config, *PREVIEW)
    assert shown.returncode in (0, 1), shown.stderr
    letters = {d["contact_id"]: d for d in json.loads(shown.stdout) if d["occasion"] == "new_year"}
    assert sorted(letters) == ["1", "2", "5", "6"]  # never «????», nor «ÐŸÑ‘Ñ‚Ñ€»
    assert letters["1"]["subject"].startswith("Анна Сергеевна,")
    assert letters["1"]["text"].startswith("Уважаемая Анна Сергеевна!")
    assert letters["2"]["text"].startswith("Здравствуйте!")
    assert letters["5"]["text"].startswith("Уважаемый Саша Петрович!")
    assert letters["6"]["text"].startswith("Уважаемая Саша Петровна!")
    for letter in letters.values():
        assert not {"🌸", "😀", "?"} & set(letter["subject"] + letter["name"]), letter
        assert not {"🌸", "😀"} & set(letter["text"]) and "??" not in letter["text"], letter


# --- a real MariaDB ------------------------------------------------------------------------------


@pytest.fixture
def maria() -> Iterator[tuple[str, str]]:
    """(source URL, database name) of a fresh MariaDB database."""
    with databases.mysql_database() as made:
        yield made


def test_mariadb_one_row_stored_garbled_is_that_row_and_converting_the_column_is_refused(
    maria: tuple[str, str],
) -> None:
    """The administrator's table: right utf8mb4 rows, one inserted under ``SET NAMES latin1``."""
    url, name = maria
    with databases.mysql_connect(name) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE clients (id INT PRIMARY KEY, email VARCHAR(99), first_name VARCHAR(50),"
            " last_name VARCHAR(50), legacy VARCHAR(99) CHARACTER SET latin1) DEFAULT CHARSET=utf8mb4"
        )
        cur.execute(
            "INSERT INTO clients VALUES (1, 'a@example.com', 'Иван', 'Иванов', 'Vektor'),"
            " (2, 'b@example.com', 'Мария', 'Волкова', 'Volna'), (3, 'c@example.com', 'John', 'Smith', NULL)"
        )
        cur.execute("SET NAMES latin1")  # the CRM's PHP: UTF-8 bytes said to be latin1
        cur.execute("INSERT INTO clients VALUES (8, 'p@example.com', 'Пётр', 'Сидоров', 'ООО «Ромб»')")
    columns = Columns(patronymic=None, company="company")
    plain = "SELECT id, email, first_name, last_name, legacy AS company FROM clients ORDER BY id"
    cfg = ContactsSource(source="sql", url=url, query=plain, columns=columns)
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.id for c in contacts] == ["1", "2", "3"]
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.line, p.field) for p in errors] == [(4, "first_name"), (4, "last_name"), (4, "company")]
    assert "(most likely 'Пётр')" in errors[0].message
    assert (
        "if its other rows read right, this row itself was stored garbled: fix it in the CRM"
        in errors[0].message
    )
    notes = {p.field: p.message for p in report.problems if p.kind == "column"}
    # The utf8mb4 columns: that row. The latin1 column holding UTF-8 bytes: the whole column.
    assert notes["first_name"].startswith(
        "1 name(s) in this column are UTF-8 text read as Latin-1 (row(s) 4)"
    )
    assert "do not convert the column in contacts.query" in notes["first_name"]
    assert notes["last_name"].startswith("1 name(s) in this column")
    assert notes["company"].startswith(
        "every non-ASCII name in this column (1) is UTF-8 text read as Latin-1"
    )

    # Following the advice on the whole table anyway: the right names come back as '?'s, and are refused.
    converted = (
        "SELECT id, email, CONVERT(BINARY CONVERT(first_name USING latin1) USING utf8mb4) AS first_name,"
        " CONVERT(BINARY CONVERT(last_name USING latin1) USING utf8mb4) AS last_name,"
        " CONVERT(BINARY CONVERT(legacy USING latin1) USING utf8mb4) AS company FROM clients ORDER BY id"
    )
    contacts, report = load_contacts(cfg.model_copy(update={"query": converted}), Defaults())
    assert [(c.id, c.first_name, c.last_name, c.company) for c in contacts] == [
        ("3", "John", "Smith", ""),
        ("8", "Пётр", "Сидоров", "ООО «Ромб»"),
    ]
    lost = [(p.line, p.field) for p in report.problems if p.severity == "error"]
    assert lost == [(1, "first_name"), (1, "last_name"), (2, "first_name"), (2, "last_name")]
    assert all(
        "contacts.query converts through latin1" in p.message
        for p in report.problems
        if p.severity == "error"
    )
