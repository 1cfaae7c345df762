"""Contacts as CRMs export them: encodings, delimiters, Russian headers, and every bad-row kind."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Gender
from greeter.errors import ContactsError, UnsafeHeaderError
from greeter.names import split_full_name
from greeter.sources import LoadReport, iter_contacts, load_contacts

RU_HEADER = "ID;Email;Фамилия;Имя;Отчество;Пол;Дата рождения;Часовой пояс;Язык;Теги"
RU_COLUMNS = Columns(
    id="ID", email="Email", last_name="Фамилия", first_name="Имя", patronymic="Отчество",
    gender="Пол", timezone="Часовой пояс", locale="Язык", tags="Теги",
)  # fmt: skip


def source(path: Path, **kw: object) -> ContactsSource:
    return ContactsSource(
        path=path,
        columns=kw.pop("columns", RU_COLUMNS),
        dates=kw.pop("dates", {"birthday": "Дата рождения"}),
        **kw,
    )  # type: ignore[arg-type]


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def load(path: Path, **kw: object) -> tuple[list, LoadReport]:  # type: ignore[type-arg]
    return load_contacts(source(path, **kw), Defaults())


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8", "\t"), ("cp1251", ",")],
)
def test_encodings_and_delimiters_are_detected(tmp_path: Path, encoding: str, delimiter: str) -> None:
    lines = [
        RU_HEADER.replace(";", delimiter),
        delimiter.join(
            ["1", "ivan@example.com", "Иванов", "Иван", "Петрович", "м", "15.12.1980", "", "", ""]
        ),
        delimiter.join(
            ["2", "anna@example.com", "Петрова", "Анна", "Ильинична", "ж", "1985-03-08", "", "", ""]
        ),
    ]
    contacts, report = load(write(tmp_path, lines, encoding))
    assert report.problems == []
    assert [(c.first_name, c.patronymic, c.last_name) for c in contacts] == [
        ("Иван", "Петрович", "Иванов"),
        ("Анна", "Ильинична", "Петрова"),
    ]
    assert contacts[0].dates["birthday"] == date(1980, 12, 15)
    assert contacts[1].dates["birthday"] == date(1985, 3, 8)
    assert contacts[0].gender is Gender.MALE and contacts[1].gender is Gender.FEMALE


LATIN_COLUMNS = Columns(id="ID", email="Email", last_name="Prezime", first_name="Ime", patronymic=None)


@pytest.mark.parametrize(
    ("encoding", "names", "warned"),
    [
        # Serbian Latin / Croatian Excel export: cp1250 is a clear winner, no warning.
        ("cp1250", [("Jovanović", "Jelena"), ("Đorđević", "Žarko"), ("Šćekić", "Čedomir")], None),
        # Hungarian: cp1250, cp1257 and Latin-1 score alike, but only cp1250 reads every word as a
        # language's ('Szőke'; not 'Szõke'): no warning (tests/test_hungarian_names.py).
        ("cp1250", [("Szőke", "Éva"), ("Kovács", "Béla"), ("Nagy", "Ödön")], None),
        # Estonian: cp1257, with Latin-1 close behind, but 'Ðõmina' is no word of a language.
        ("cp1257", [("Tamm", "Mari"), ("Kask", "Jüri"), ("Šõmina", "Žanna")], None),
    ],
)
def test_central_european_and_baltic_code_pages_are_detected(
    tmp_path: Path, encoding: str, names: list[tuple[str, str]], warned: str | None
) -> None:
    """Windows-1250/1257 exports are not read as Latin-1 (Jovanoviæ, Szõke); a coin toss is a warning."""
    lines = ["ID;Email;Prezime;Ime;Datum"] + [
        f"{i};p{i}@example.com;{last};{first};01.02.1980" for i, (last, first) in enumerate(names, 1)
    ]
    path = write(tmp_path, lines, encoding)
    contacts, report = load(path, columns=LATIN_COLUMNS, dates={"birthday": "Datum"})
    assert [(c.last_name, c.first_name) for c in contacts] == names
    assert report.loaded == 3
    if warned is None:
        assert report.problems == []
        return
    [problem] = report.problems
    assert problem.severity == "warning"
    assert str(problem).startswith(
        f"{path}: warning: encoding: auto read this file as {encoding}, but it may be "
    )
    assert warned in problem.message and f"else set encoding: {encoding} to silence this" in problem.message
    _, quiet = load(path, columns=LATIN_COLUMNS, dates={"birthday": "Datum"}, encoding=encoding)
    assert quiet.problems == []


def test_explicit_encoding_and_delimiter_override_detection(tmp_path: Path) -> None:
    lines = [RU_HEADER.replace(";", "|"), "1|a@example.com|Иванов|Иван|Петрович||01.01.1990|||"]
    contacts, _ = load(write(tmp_path, lines, "cp1251"), encoding="cp1251", delimiter="|")
    assert contacts[0].last_name == "Иванов"


def test_every_bad_row_kind_is_reported_with_its_row_and_the_rest_load(tmp_path: Path) -> None:
    lines = [
        RU_HEADER,
        "1;ok1@example.com;Иванов;Иван;Петрович;;15.12.1980;;;",  # row 2: fine
        "2;zina@example.com;Кузнецова;Зинаида;Павловна;;31.02.1980;;;",  # row 3: impossible date (warning)
        "3;not-an-email;Сидоров;Пётр;;;01.01.1970;;;",  # row 4: invalid e-mail (error)
        "4;;Орлова;Ирина;;;01.01.1970;;;",  # row 5: no e-mail (warning)
        "1;dup@example.com;Дубль;Дмитрий;;;01.01.1970;;;",  # row 6: duplicate id (error)
        "6;OK1@example.com;Дубль;Денис;;;01.01.1970;;;",  # row 7: row 2's address (warning: loaded without it)
        ";noid@example.com;Безымянный;Борис;;;01.01.1970;;;",  # row 8: empty id (error)
        "9;sp ace@example.com;Пробелов;Павел;;;01.01.1970;;;",  # row 9: e-mail with a space (error)
        "10;zero@example.com;Нулёв;Нил;;;00.00.1980;;;",  # row 10: a year without its day (warning)
        "11;ok2@example.com;Петрова;Анна;Ильинична;;08.03.1985;;;",  # row 11: fine
    ]
    contacts, report = load(write(tmp_path, lines, "cp1251"))
    assert [c.id for c in contacts] == ["1", "2", "4", "6", "10", "11"]
    found = {(p.line, p.field, p.severity) for p in report.problems}
    assert found == {
        (3, "Дата рождения", "warning"),
        (4, "Email", "error"),
        (5, "Email", "warning"),
        (6, "ID", "error"),
        (7, "Email", "warning"),
        (8, "ID", "error"),
        (9, "Email", "error"),
        (10, "Дата рождения", "warning"),
    }
    assert (report.rows_read, report.loaded, report.rejected) == (10, 6, 4)
    by_row = {p.line: str(p) for p in report.problems}
    assert by_row[3].endswith(
        "c.csv:row 3: Дата рождения: warning: '31.02.1980' is not a real date: February has no 31st; birthday greetings are skipped for this contact"
    )
    assert "first seen on row 2" in by_row[6] and "contact '1' (row 2), which keeps it" in by_row[7]
    zina = next(c for c in contacts if c.id == "2")
    assert "birthday" not in zina.dates and "31.02.1980" in zina.bad_dates["birthday"]
    assert next(c for c in contacts if c.id == "4").email is None
    assert next(c for c in contacts if c.id == "6").email is None


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("Иван\r\nBcc: x@evil.example", "line break"), ("Иван\x00", "NUL"), ("Ив\u2028ан", "U+2028")],
)
def test_control_characters_reject_the_row(tmp_path: Path, name: str, fragment: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        f'{RU_HEADER}\n1;a@example.com;Иванов;"{name}";;;;;;\n2;b@example.com;Петров;Пётр;;;;;;\n', "utf-8"
    )
    contacts, report = load(path)
    assert [c.id for c in contacts] == ["2"]
    assert len(report.problems) == 1 and fragment in report.problems[0].message
    assert report.problems[0].line == 2 and report.problems[0].field == "Имя"


def test_load_rejects_exactly_what_a_header_refuses(tmp_path: Path) -> None:
    """A name ``send`` would hold (C1 controls such as U+008E, DEL, U+2028…) is rejected at load.

    Each character up to U+3000 is tried in a first name: the row is rejected at load exactly when
    :func:`greeter.message.validate_header_value` would refuse it, so ``check`` and ``preview``
    show the row a ``send`` holds ("\x8earko": Žarko, a cp1250 file read as Latin-1).
    """
    from greeter.message import validate_header_value

    # Not '?' either: one inside a word (Ж?arko) is a letter lost to a character set, rejected as such.
    chars = [chr(c) for c in range(0x3000) if chr(c) not in '";?']
    rows = [f'{i};a{i}@example.com;Иванов;"Ж{ch}arko";;;;;;' for i, ch in enumerate(chars, 1)]
    path = tmp_path / "c.csv"
    path.write_text("\n".join([RU_HEADER, *rows]) + "\n", "utf-8", newline="")
    contacts, report = load(path)
    loaded = {c.id for c in contacts}
    refused = set()
    for i, ch in enumerate(chars, 1):
        try:
            validate_header_value("name", f"Ж{ch}arko")
        except UnsafeHeaderError:
            refused.add(str(i))
    assert {chr(c) for c in range(0x7F, 0xA0)} <= {chars[int(i) - 1] for i in refused}
    assert loaded == {str(i) for i in range(1, len(chars) + 1)} - refused
    assert {str(p.line - 1) for p in report.problems if p.severity == "error"} == refused
    zarko = next(str(p) for p in report.problems if p.line - 1 == chars.index("\x8e") + 1)
    assert zarko.endswith("Имя: contains a control character U+008E: 'Ж\\x8earko'")


def test_a_language_babel_does_not_know_is_a_row_warning_with_what_was_meant(tmp_path: Path) -> None:
    """``RS``, ``rs``, ``srb`` (country codes) silently got the default (Russian) letter.

    A language's name is no such value: ``Serbian`` is read as ``sr`` (the
    column reads names as the country column does).
    """
    values = ["RS", "rs", "srb", "Serbian", "xx", "sr", "HU", "sr-latn"]
    rows = [f"{i};p{i}@example.com;Петровић;Милан;;;;;{v};" for i, v in enumerate(values, 1)]
    contacts, report = load(write(tmp_path, [RU_HEADER, *rows]))
    assert [c.locale for c in contacts] == [None, None, None, "sr", None, "sr", "hu", "sr_latn"]
    serbia = "looks like the country code of Serbia (RS): its language is sr_Latn or sr"
    assert [(p.line, p.field, p.severity, p.message) for p in report.problems] == [
        (
            2,
            "Язык",
            "warning",
            f"'RS' is not a language code Babel knows ('RS' {serbia}); the default applies",
        ),
        (
            3,
            "Язык",
            "warning",
            f"'rs' is not a language code Babel knows ('rs' {serbia}); the default applies",
        ),
        (
            4,
            "Язык",
            "warning",
            f"'srb' is not a language code Babel knows ('srb' {serbia}); the default applies",
        ),
        (6, "Язык", "warning", "'xx' is not a language code Babel knows; the default applies"),
    ]


def test_template_code_in_data_is_just_text(tmp_path: Path) -> None:
    path = write(tmp_path, [RU_HEADER, "1;a@example.com;{% for x in y %};{{ 7*7 }};;;;;;"])
    contacts, report = load(path)
    assert report.problems == []
    assert (contacts[0].first_name, contacts[0].last_name) == ("{{ 7*7 }}", "{% for x in y %}")


def test_multiline_quoted_field_keeps_record_numbering(tmp_path: Path) -> None:
    lines = [
        RU_HEADER + ";Заметка",
        '1;a@example.com;Иванов;Иван;;;;;;;"строка 1\nстрока 2"',
        "2;bad-email;Петров;Пётр;;;;;;;",
    ]
    contacts, report = load(write(tmp_path, lines))
    assert contacts[0].extra["Заметка"] == "строка 1\nстрока 2"
    assert [p.line for p in report.problems] == [3]


def test_idn_email_is_valid(tmp_path: Path) -> None:
    """An IDN domain is loaded as punycode; a Cyrillic local part cannot be sent (tests/test_idn_addresses.py)."""
    lines = [RU_HEADER, "1;ivan@пример.рф;Иванов;Иван;;;;;;", "2;иван@пример.рф;Иванов;Пётр;;;;;;"]
    contacts, report = load(write(tmp_path, lines))
    assert [c.email for c in contacts] == ["ivan@xn--e1afmkfd.xn--p1ai", None]
    assert [(p.line, p.severity) for p in report.problems] == [(3, "warning")]


def test_optional_columns_are_validated_as_warnings(tmp_path: Path) -> None:
    lines = [RU_HEADER, "1;a@example.com;Иванов;Иван;;x;;Mars/Base;RU-ru;vip, 23feb ;;"]
    contacts, report = load(write(tmp_path, lines))
    c = contacts[0]
    assert (c.gender, c.timezone, c.locale, c.tags) == (None, None, "ru_ru", frozenset({"vip", "23feb"}))
    assert {p.field for p in report.problems} == {"Пол", "Часовой пояс"}
    assert all(p.severity == "warning" for p in report.problems)


def test_custom_date_format(tmp_path: Path) -> None:
    contacts, _ = load(
        write(tmp_path, [RU_HEADER, "1;a@example.com;И;И;;;15/12/80;;;"]), date_formats=["%d/%m/%y"]
    )
    assert contacts[0].dates["birthday"] == date(1980, 12, 15)


def test_missing_column_suggests_the_closest_header(tmp_path: Path) -> None:
    path = write(tmp_path, [RU_HEADER.replace("Отчество", "Отчесво"), "1;a@example.com;И;И;;;;;;"])
    with pytest.raises(ContactsError, match=r"column 'Отчество' .* not found, did you mean 'Отчесво'"):
        load(path)


def test_a_missing_date_column_names_the_setting_that_says_it(tmp_path: Path) -> None:
    """``contacts.dates.birthday`` is the key to fix; the message said ``contacts.columns.dates.birthday``."""
    path = write(tmp_path, [RU_HEADER.replace("Дата рождения", "Дата рожденья"), "1;a@example.com;И;И;;;;;;"])
    with pytest.raises(ContactsError) as info:
        load(path)
    assert str(info.value).startswith(
        f"{path}: column 'Дата рождения' (contacts.dates.birthday) not found, did you mean 'Дата рожденья'?"
    )
    with pytest.raises(ContactsError, match=r"\(contacts\.columns\.email\) not found"):
        load(write(tmp_path, [RU_HEADER.replace("Email", "Mail"), "1;a@example.com;И;И;;;;;;"]))


def test_whole_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ContactsError, match="not found"):
        load(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ContactsError, match="empty"):
        load(empty)
    xlsx_as_csv = tmp_path / "book.csv"
    xlsx_as_csv.write_bytes(b"PK\x03\x04rest-of-a-zip")
    with pytest.raises(ContactsError, match="XLSX"):
        load(xlsx_as_csv)


def test_full_name_column(tmp_path: Path) -> None:
    cols = Columns(id="ID", email="Email", full_name="ФИО", first_name=None, patronymic=None, last_name=None)
    path = write(
        tmp_path, ["ID;Email;ФИО;Дата рождения", "1;a@example.com;Алиев  Гусейн Рашид оглы;01.01.1980"]
    )
    contacts, report = load(path, columns=cols)
    assert report.problems == []
    assert (contacts[0].last_name, contacts[0].first_name, contacts[0].patronymic) == (
        "Алиев",
        "Гусейн",
        "Рашид оглы",
    )


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Иванов Иван Петрович", ("Иванов", "Иван", "Петрович")),
        ("  Иванов   Иван  ", ("Иванов", "Иван", "")),
        ("Иван", ("", "Иван", "")),
        ("", ("", "", "")),
        ("Петрова-Водкина Анна-Мария Олеговна", ("Петрова-Водкина", "Анна-Мария", "Олеговна")),
        ("Мамедова Лейла Рашид кызы", ("Мамедова", "Лейла", "Рашид кызы")),
    ],
)
def test_split_full_name(full: str, parts: tuple[str, str, str]) -> None:
    assert tuple(split_full_name(full)) == parts


def test_xlsx_with_date_cells_text_dates_and_a_bad_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(RU_HEADER.split(";"))
    ws.append(
        [42.0, "ivan@example.com", "Иванов", "Иван", "Петрович", "м", date(1980, 12, 15), None, None, None]
    )
    ws.append([43, "bad email", "Петров", "Пётр", None, None, "01.01.1970", None, None, None])
    ws.append([None] * 10)
    ws.append([44, "anna@example.com", "Петрова", "Анна", "Ильинична", "ж", "08.03.1985", None, None, None])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    contacts, report = load(path, source="xlsx")
    assert [(c.id, c.dates.get("birthday")) for c in contacts] == [
        ("42", date(1980, 12, 15)),
        ("44", date(1985, 3, 8)),
    ]
    assert [(p.line, p.field) for p in report.problems] == [(3, "Email")]
    assert contacts[1].row == 5  # Excel's own row number, blank row included


def test_xlsx_merged_cells_give_their_value_to_every_row_of_the_merge(tmp_path: Path) -> None:
    """A report-style export merges a company's name (and tier) down over the rows of its people.

    Only the merge's top cell holds the value in the file; every other row lost it
    silently. Each row of a merge now has it, in its own column; a title merged
    across the columns above the header stays one cell (it is not a column's value).
    """
    from openpyxl import Workbook

    header = ["ID", "Email", "Фамилия", "Имя", "Компания", "Уровень", "Дата рождения"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Клиенты по компаниям"])
    ws.merge_cells("A1:G1")  # a title across the columns
    ws.append(header)
    ws.append([1, "a@example.com", "Иванов", "Иван", "ООО Ромашка", "VIP", date(1980, 12, 15)])
    ws.append([2, "b@example.com", "Петров", "Пётр", None, None, "01.01.1970"])
    ws.append([3, "c@example.com", "Сидоров", "Сидор", None, "basic", "02.02.1971"])
    ws.append([4, "d@example.com", "Орлова", "Ирина", "АО Лютик", None, "03.03.1972"])
    ws.merge_cells("E3:E5")  # ООО Ромашка over rows 3-5
    ws.merge_cells("F3:F4")  # VIP over rows 3-4 only: row 5 has its own tier
    path = tmp_path / "c.xlsx"
    wb.save(path)
    cols = Columns(
        id="ID", email="Email", last_name="Фамилия", first_name="Имя", patronymic=None,
        company="Компания", tier="Уровень",
    )  # fmt: skip
    contacts, report = load(path, source="xlsx", columns=cols)
    assert [(c.id, c.company, c.tier) for c in contacts] == [
        ("1", "ООО Ромашка", "VIP"),
        ("2", "ООО Ромашка", "VIP"),
        ("3", "ООО Ромашка", "basic"),
        ("4", "АО Лютик", None),
    ]
    assert contacts[0].dates["birthday"] == date(1980, 12, 15)
    # The title row is one warning quoting the title once, not once per merged column.
    (title,) = report.problems
    assert "'Клиенты по компаниям'" in title.message and "Клиенты по компаниям Клиенты" not in title.message


def test_merged_ranges_are_found_after_the_rows_whatever_the_namespace_prefix() -> None:
    """Other writers than Excel prefix the elements (``x:mergeCell``); a cell's text may say "mergeCells"."""
    import io

    from greeter.sources.xlsx_source import merged_down

    xml = (
        b'<x:worksheet xmlns:x="s"><x:sheetData><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>'
        b"mergeCells</x:t></x:is></x:c></x:row></x:sheetData>"
        b'<x:mergeCells count="3"><x:mergeCell ref="B2:B5"/><x:mergeCell ref="A1:G1"/>'
        b'<x:mergeCell ref="AA7:AB9"/></x:mergeCells></x:worksheet>'
    )
    assert merged_down(io.BytesIO(xml)) == {2: [(1, 5)], 7: [(26, 9)]}


def test_a_long_or_unprintable_bad_value_is_quoted_visibly_and_shortened(tmp_path: Path) -> None:
    """A marketer must be able to find the value: quoted, control characters shown, a long one cut."""
    long_gender = "неизвестно " * 30
    lines = [
        RU_HEADER,
        f"1;a@example.com;Иванов;Иван;;{long_gender};;;;",
        '2;b@example.com;Петров;"Пётр\tПетрович";;;;;;',
        f"3;{'x' * 300}@;Сидоров;Сидор;;;;;;",
    ]
    _, report = load(write(tmp_path, lines))
    by_row = {p.line: p.message for p in report.problems}
    shown = repr(long_gender[:59] + "…")
    assert by_row[2].startswith(f"{shown} is not a gender value (") and long_gender not in by_row[2]
    assert by_row[3] == "contains a control character U+0009: 'Пётр\\tПетрович'"
    assert by_row[4].startswith("'xxxxxxxx") and "…' is not a valid e-mail address" in by_row[4]
    assert all(len(m) < 200 for m in (by_row[3], by_row[4]))  # the gender's names what is read
    assert all(m.isprintable() for m in by_row.values())


def test_a_shared_mailbox_keeps_its_first_contact_and_names_it_for_the_others(tmp_path: Path) -> None:
    """Two directors, one secretary's address: the first keeps it, the second loads without it."""
    lines = [
        RU_HEADER,
        "Д-1;office@example.com;Иванов;Иван;;;15.12.1980;;;",
        "Д-2;OFFICE@example.com;Петров;Пётр;;;01.01.1970;;;",
        "Д-3;Office@Example.com;Сидоров;Сидор;;;02.02.1971;;;",
    ]
    contacts, report = load(write(tmp_path, lines))
    assert [(c.id, c.email) for c in contacts] == [
        ("Д-1", "office@example.com"),
        ("Д-2", None),
        ("Д-3", None),
    ]
    assert (report.rejected, [p.severity for p in report.problems]) == (0, ["warning", "warning"])
    assert all("of contact 'Д-1' (row 2), which keeps it" in p.message for p in report.problems)


def test_the_id_log_gives_back_every_id_across_its_blocks() -> None:
    from greeter.sources.seen import _ID_BLOCK, IdLog

    log = IdLog()
    ids = [f"Д-{i}" for i in range(2 * _ID_BLOCK + 5)]
    assert [log.add(i) for i in ids] == list(range(len(ids)))
    assert [log.get(n) for n in range(len(ids))] == ids


def test_rejected_rows_are_recorded_with_their_id_and_errors(tmp_path: Path) -> None:
    """``--contact`` of a rejected row is told from this record, never from a message's wording."""
    lines = [
        RU_HEADER,
        "1;a@example.com;Иванов;Иван;;;;;;",
        "2;not an address;Петров;Пётр;;;31.02.1980;;;",
        "1;c@example.com;Сидоров;Сидор;;;;;;",
        ";d@example.com;Орлова;Ирина;;;;;;",
    ]
    _, report = load(write(tmp_path, lines))
    assert [(r.row, r.contact_id, [p.field for p in r.errors]) for r in report.rejections] == [
        (3, "2", ["Email"]),
        (4, "1", ["ID"]),
        (5, "", ["ID"]),
    ]


def test_streaming_reports_as_it_goes(tmp_path: Path) -> None:
    lines = [RU_HEADER] + [f"{i};c{i}@example.com;Иванов;Иван;;;;;;" for i in range(1, 501)]
    report = LoadReport(source="c.csv")
    stream = iter_contacts(source(write(tmp_path, lines)), Defaults(), report)
    next(stream)
    assert report.loaded == 1  # nothing read ahead into memory
    assert sum(1 for _ in stream) == 499


def test_random_bytes_never_crash_the_loader(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    path = tmp_path / "fuzz.csv"
    for i in range(300):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        data = (RU_HEADER.encode("utf-8") + b"\n" + body) if i % 2 else body
        path.write_bytes(data)
        try:
            _, report = load(path)
        except ContactsError as exc:  # a clear, whole-file error is an acceptable answer to garbage
            assert str(exc) and "\n" not in str(exc)
            continue
        rows = [p for p in report.problems if p.kind == "row"]
        assert all(p.line is not None and p.line >= 2 for p in rows)
        assert all(p.kind == "column" and p.line is None for p in report.problems if p not in rows)


def test_seen_index_across_many_flushes_and_merges() -> None:
    from greeter.sources.seen import SeenIndex

    index = SeenIndex()
    for row in range(2, 150_002):
        key = f"client{row}@example.com"
        assert index.get(key) is None
        index.add(key, row)
    assert len(index) == 150_000
    assert [index.get(f"client{row}@example.com") for row in (2, 40_000, 99_999, 150_001)] == [
        2,
        40_000,
        99_999,
        150_001,
    ]
    assert index.get("client1@example.com") is None and index.get("nobody@example.com") is None


# --------------------------------------------------------------------------- files that are not what the config says

EXCEL = Path(__file__).resolve().parent / "data" / "excel"


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("source_kind", "fixture", "name", "expected"),
    [
        # A real Excel 97-2003 workbook (BIFF8 in an OLE2 file, written by xlwt), under either source.
        (
            "xlsx",
            "old.xls",
            "c.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        (
            "csv",
            "old.xls",
            "c.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        # Renamed: the content decides, not the extension.
        (
            "xlsx",
            "old.xls",
            "c.xlsx",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        (
            "csv",
            "old.xls",
            "c.csv",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        # A password-protected .xlsx is an OLE2 file too (written by msoffcrypto-tool, password "secret").
        (
            "xlsx",
            "encrypted.xlsx",
            "c.xlsx",
            "a password-protected Excel workbook; open it in Excel, remove the password and save as .xlsx (or export CSV)",
        ),
    ],
)
def test_old_and_protected_excel_files_are_one_clear_error(
    tmp_path: Path, source_kind: str, fixture: str, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes((EXCEL / fixture).read_bytes())
    with pytest.raises(ContactsError) as info:
        load(path, source=source_kind)
    assert str(info.value) == f"{path}: {expected}"


def test_a_csv_file_under_source_xlsx_says_to_set_source_csv(tmp_path: Path) -> None:
    path = write(tmp_path, [RU_HEADER, "1;a@example.com;Иванов;Иван;;;;;;"], name="c.csv")
    with pytest.raises(ContactsError) as info:
        load(path, source="xlsx")
    assert (
        str(info.value)
        == f"{path}: a text file, not an XLSX workbook (a CSV export?); set contacts.source: csv"
    )
    renamed = path.rename(tmp_path / "c.xlsx")  # the extension does not fool it either
    with pytest.raises(ContactsError, match="a text file, not an XLSX workbook"):
        load(renamed, source="xlsx")


def test_an_html_page_saved_as_xls_is_named_for_what_it_is(tmp_path: Path) -> None:
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>ID</td></tr></table></body></html>", encoding="utf-8")
    for kind in ("xlsx", "csv"):
        with pytest.raises(ContactsError, match=r"a web page \(HTML\), not a spreadsheet"):
            load(page, source=kind)


def test_a_real_xlsx_named_xls_loads(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xls", [RU_HEADER.split(";"), [1, "a@example.com", "Иванов", "Иван"]])
    contacts, report = load(path, source="xlsx")
    assert [c.last_name for c in contacts] == ["Иванов"] and report.problems == []


# --------------------------------------------------------------------------- dates with a time of day


def test_xlsx_datetime_cells_are_their_dates(tmp_path: Path) -> None:
    from datetime import datetime

    path = _xlsx(
        tmp_path / "c.xlsx",
        [
            RU_HEADER.split(";"),
            [1, "a@example.com", "Иванов", "Иван", "", "", datetime(2025, 9, 8, 14, 30)],
            [2, "b@example.com", "Петров", "Пётр", "", "", datetime(1981, 2, 12)],
            [3, "c@example.com", "Сидоров", "Олег", "", "", "12.02.1981 0:00:00"],
        ],
    )
    # The date cells are read whatever date_formats say (they describe dates typed as text).
    contacts, report = load(path, source="xlsx", date_formats=["%d.%m.%Y"])
    assert report.problems == []
    assert [c.dates["birthday"] for c in contacts] == [date(2025, 9, 8), date(1981, 2, 12), date(1981, 2, 12)]
    contacts, report = load(path, source="xlsx", date_formats=["%Y-%m-%d"])
    assert [c.dates.get("birthday") for c in contacts][:2] == [date(2025, 9, 8), date(1981, 2, 12)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.02.1981 0:00:00", date(1981, 2, 12)),  # 1C
        ("12.02.1981 00:00", date(1981, 2, 12)),
        ("2025-09-08 14:30", date(2025, 9, 8)),
        ("2025-09-08 14:30:15", date(2025, 9, 8)),
        ("2025-09-08T14:30:00", date(2025, 9, 8)),
        ("12.02.1981  23:59:59", date(1981, 2, 12)),
        ("12.02.1981 24:00", None),  # not a time of day
        ("12.02.1981 14:60", None),
        ("0:00:00", None),
    ],
)
def test_a_text_date_with_a_time_of_day_is_read_by_its_date(
    tmp_path: Path, text: str, expected: date | None
) -> None:
    contacts, report = load(write(tmp_path, [RU_HEADER, f"1;a@example.com;Иванов;Иван;;;{text};;;"]))
    assert contacts[0].dates.get("birthday") == expected
    assert bool(report.problems) == (expected is None)


# --------------------------------------------------------------------------- why a date is not read


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "1960/01/07",
            "'1960/01/07' does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d); read as \"%Y/%m/%d\" it is"
            " 7 January 1960 (add it to contacts.date_formats if the CRM writes dates so)",
        ),
        ("первое мая", "'первое мая' does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d)"),
        ("31.02.1980", "'31.02.1980' is not a real date: February has no 31st"),
        ("31.04.1980", "'31.04.1980' is not a real date: April has no 31st"),
        ("29.02.1981", "'29.02.1981' is not a real date: 1981 is not a leap year"),
        ("1980-13-01", "'1980-13-01' is not a real date: there is no month 13"),
        ("00.00.1980", "'00.00.1980' is not a real date: there is no month 0"),  # 00.00.0000: no date
        ("00.01.1980", "'00.01.1980' is not a real date: there is no day 0"),
        ("32.01.1980", "'32.01.1980' is not a real date: no month has 32 days"),
        ("31.02.1980 0:00:00", "'31.02.1980 0:00:00' is not a real date: February has no 31st"),
        # A number from a column Excel saved as numbers: its day is said, never guessed into a date.
        (
            "29221",
            "'29221' looks like an Excel serial date (1980-01-01), not a date: format the column as dates"
            " in Excel before exporting it (or export dates as text)",
        ),
        (
            "45000.5",
            "'45000.5' looks like an Excel serial date (2023-03-15), not a date: format the column as dates in Excel before exporting it (or export dates as text)",
        ),
        ("1980", "'1980' does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d)"),  # a year, not a serial
    ],
)
def test_a_date_in_another_format_and_an_impossible_date_are_told_apart(
    tmp_path: Path, text: str, words: str
) -> None:
    lines = [
        RU_HEADER,
        f"1;a@example.com;Иванов;Иван;;;{text};;;",
        "2;b@example.com;Петров;Пётр;;;07.01.1960;;;",
    ]
    contacts, report = load(write(tmp_path, lines), date_formats=["%d.%m.%Y", "%Y-%m-%d"])
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'c.csv'}:row 2: Дата рождения: warning: {words}; birthday greetings are skipped for this contact"
    ]
    assert contacts[0].bad_dates["birthday"].startswith(words)


def _dates_file(tmp_path: Path, dates: list[str]) -> Path:
    rows = [f"{i};c{i}@example.com;Иванов;Иван;;;{d};;;" for i, d in enumerate(dates, start=1)]
    return write(tmp_path, [RU_HEADER, *rows])


def test_a_date_column_in_an_unconfigured_format_is_one_error_with_the_format_that_reads_it(
    tmp_path: Path,
) -> None:
    dates = ["1960/01/07", "1979/01/02", "1974/01/31", "1981/02/12", "1988/02/24", "1967/03/20"]
    path = _dates_file(tmp_path, dates)
    contacts, report = load(path, date_formats=["%d.%m.%Y", "%Y-%m-%d"])
    assert len(contacts) == 6
    rows = [p for p in report.problems if p.kind == "row"]
    assert len(rows) == 6 and all(p.severity == "warning" for p in rows)  # each row says so, as before
    [summary] = [p for p in report.problems if p.kind == "column"]
    assert summary.severity == "error"
    assert str(summary) == (
        f"{path}: Дата рождения: 6 of 6 values could not be read as dates (contacts.date_formats: %d.%m.%Y, %Y-%m-%d); "
        "they look like \"%Y/%m/%d\" (e.g. '1960/01/07'): add it to contacts.date_formats; "
        "no birthday greetings for these contacts"
    )
    # With the suggested format the same file loads cleanly.
    contacts, report = load(path, date_formats=["%d.%m.%Y", "%Y/%m/%d"])
    assert report.problems == [] and contacts[0].dates["birthday"] == date(1960, 1, 7)


def test_month_first_dates_under_a_day_first_format_are_told_to_swap_it(tmp_path: Path) -> None:
    # US order: the values with a day above 12 fail, the others are silently misread.
    path = _dates_file(tmp_path, ["12/25/1980", "01/02/1975", "03/30/1990", "11/17/1985", "07/04/1970"])
    _, report = load(path, date_formats=["%d/%m/%Y"])
    [summary, misread] = [p for p in report.problems if p.kind == "column"]
    assert "2 other dates that read either way" in misread.message  # tests/test_date_columns.py
    assert summary.message.startswith(
        "3 of 5 values could not be read as dates (contacts.date_formats: %d/%m/%Y); "
    )
    assert 'they look like "%m/%d/%Y" (e.g. \'12/25/1980\'): use it instead of "%d/%m/%Y"' in summary.message


@pytest.mark.parametrize(
    ("dates", "column_error"),
    [
        (["первое мая"], True),  # every non-empty value fails, however few
        (["31.02.1980", "", ""], True),
        (["31.02.1980", "07.01.1960"], False),  # fewer than 5 values: only "every value" counts
        (["31.02.1980", "x", "y", "07.01.1960", "08.01.1960"], True),  # 3 of 5
        (["31.02.1980", "x", "07.01.1960", "08.01.1960", "09.01.1960"], False),  # 2 of 5: typos
        (["", "07.01.1960"], False),
    ],
)
def test_the_column_error_needs_all_or_most_values_to_fail(
    tmp_path: Path, dates: list[str], column_error: bool
) -> None:
    _, report = load(_dates_file(tmp_path, dates))
    assert any(p.kind == "column" for p in report.problems) == column_error
    if column_error:
        [summary] = [p for p in report.problems if p.kind == "column"]
        assert "check the values and contacts.date_formats" in summary.message  # no common format reads them


# --------------------------------------------------------------------------- gender column against patronymic


def test_a_gender_column_contradicting_the_patronymic_is_warned_and_still_wins(tmp_path: Path) -> None:
    from greeter.addressing import salutation

    lines = [
        RU_HEADER,
        "1;a@example.com;Иванова;Мария;Петровна;м;;;;",
        "2;b@example.com;Петров;Пётр;Петрович;Ж;;;;",
        "3;c@example.com;Мамедова;Лейла;Рашид кызы;м;;;;",
        "4;d@example.com;Иванов;Иван;Петрович;м;;;;",  # agrees: nothing to say
        "5;e@example.com;Орлова;;Петровна;м;;;;",  # no first name: no "Уважаемый" to quote
        "6;f@example.com;Ким;Саша;;ж;;;;",  # no patronymic: nothing to compare
    ]
    path = write(tmp_path, lines)
    contacts, report = load(path)
    assert [str(p) for p in report.problems] == [
        f"{path}:row 2: Пол: warning: says male, but the patronymic 'Петровна' is female; "
        'the letter will say "Уважаемый Мария Петровна" and its HTML version is headed '
        '"Марие Петровна Иванове"; check the row',
        f"{path}:row 3: Пол: warning: says female, but the patronymic 'Петрович' is male; "
        'the letter will say "Уважаемая Пётр Петрович" and its HTML version is headed '
        '"Пётр Петровичу Петров"; check the row',
        f"{path}:row 4: Пол: warning: says male, but the patronymic 'Рашид кызы' is female; "
        'the letter will say "Уважаемый Лейла Рашид кызы" and its HTML version is headed '
        '"Лейле Рашид кызы Мамедове"; check the row',
        f"{path}:row 6: Имя: warning: no first name: letters to this contact are impersonal («Здравствуйте!»)",
        f"{path}:row 6: Пол: warning: says male, but the patronymic 'Петровна' is female; "
        "the name will be declined as male; check the row",
    ]
    assert salutation(contacts[0]) == "Уважаемый Мария Петровна"  # the explicit column stays authoritative


def test_the_gender_warning_quotes_what_the_letter_really_says(tmp_path: Path) -> None:
    """The warning quoted only the salutation; the HTML letter's name line was the worse part
    («Марие Петровна Иванове», review #13d). It now quotes both, from the letter itself."""
    from greeter.plan_types import Hit, PlanItem
    from greeter.render import Renderer
    from tests.test_render import SENDER, TEMPLATES

    path = write(tmp_path, [RU_HEADER, "1;a@example.com;Иванова;Мария;Петровна;м;;;;"])
    [contact], report = load(path)
    [warning] = [p.message for p in report.problems]
    quoted = re.findall(r'"([^"]+)"', warning)
    letter = Renderer(TEMPLATES, SENDER).render(
        PlanItem(Hit(contact, "birthday", date(2026, 12, 15), 40, 100, "birthday"), "send")
    )
    assert letter.html is not None
    assert quoted == ["Уважаемый Мария Петровна", "Марие Петровна Иванове"]
    assert letter.text.startswith(quoted[0] + "!") and f">{quoted[1]}</td>" in letter.html


# --------------------------------------------------------------------------- names in capitals or lower case


def test_names_in_capitals_or_lower_case_are_written_the_usual_way(tmp_path: Path) -> None:
    from greeter.addressing import salutation

    lines = [
        RU_HEADER,
        "1;a@example.com;ИВАНОВ;ИВАН;ПЕТРОВИЧ;;;;;",
        "2;b@example.com;иванова;мария;ивановна;;;;;",
        "3;c@example.com;ПЕТРОВА-ВОДКИНА;АННА-МАРИЯ;ОЛЕГОВНА;;;;;",
        "4;d@example.com;МАМЕДОВ;ЭЛЬДАР;ГУСЕЙН ОГЛЫ;;;;;",
        "5;e@example.com;McDonald;Ли;де Голль;;;;;",  # mixed case: the client's own spelling
        "6;f@example.com;ИВАНОВ;И;;;;;;",  # one letter: an initial, as typed
    ]
    contacts, report = load(write(tmp_path, lines))
    assert report.problems == []
    assert [(c.last_name, c.first_name, c.patronymic) for c in contacts] == [
        ("Иванов", "Иван", "Петрович"),
        ("Иванова", "Мария", "Ивановна"),
        ("Петрова-Водкина", "Анна-Мария", "Олеговна"),
        ("Мамедов", "Эльдар", "Гусейн оглы"),
        ("McDonald", "Ли", "де Голль"),
        ("Иванов", "И", ""),
    ]
    assert salutation(contacts[0]) == "Уважаемый Иван Петрович"


def test_a_full_name_column_in_capitals_is_written_the_usual_way(tmp_path: Path) -> None:
    cols = Columns(id="ID", email="Email", full_name="ФИО", first_name=None, patronymic=None, last_name=None)
    lines = [
        "ID;Email;ФИО;Дата рождения",
        "1;a@example.com;МАМЕДОВ ЭЛЬДАР ГУСЕЙН ОГЛЫ;",
        "2;b@example.com;алиева лейла рашид кызы;",
        "3;c@example.com;ИВАНОВ Иван Петрович;",  # mixed as a whole: left as typed
    ]
    contacts, _ = load(write(tmp_path, lines), columns=cols)
    assert [(c.last_name, c.first_name, c.patronymic) for c in contacts] == [
        ("Мамедов", "Эльдар", "Гусейн оглы"),
        ("Алиева", "Лейла", "Рашид кызы"),
        ("ИВАНОВ", "Иван", "Петрович"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ИВАНОВ", "Иванов"),
        ("иван", "Иван"),
        ("АННА-МАРИЯ", "Анна-Мария"),
        ("МАМЕДОВ ЭЛЬДАР ГУСЕЙН ОГЛЫ", "Мамедов Эльдар Гусейн оглы"),
        ("РАШИД-ОГЛЫ", "Рашид-оглы"),
        ("АСАН УУЛУ", "Асан уулу"),
        ("ЕРЛАН УЛЫ", "Ерлан улы"),
        ("ЖАНАР ЕРЛАН КИЗИ", "Жанар Ерлан кизи"),
        ("ИВАНОВ И.П.", "Иванов И.П."),
        ("O'BRIEN", "O'Brien"),
        ("ДЕМ'ЯН", "Дем'ян"),
        ("JEAN-LUC", "Jean-Luc"),
        ("ЛИ", "Ли"),
        # never touched
        ("McDonald", "McDonald"),
        ("де Голль", "де Голль"),
        ("Ли", "Ли"),
        ("И", "И"),
        ("", ""),
        ("{{ ''.__class__ }}", "{{ ''.__class__ }}"),
        ("ИВАН2", "ИВАН2"),
    ],
)
def test_normalise_case(name: str, expected: str) -> None:
    from greeter.names import normalise_case

    assert normalise_case(name) == expected


def test_an_exports_totals_line_is_not_a_contact_nor_a_rejected_row(tmp_path: Path) -> None:
    """A CRM export ending in "Итого: 2 клиента" loaded a contact called "Итого…" (a tester's report)."""
    path = write(
        tmp_path,
        [
            RU_HEADER,
            "1;ivan@example.com;Иванов;Иван;Петрович;;01.02.1980;;;",
            "2;anna@example.com;Петрова;Анна;Ильинична;;03.04.1985;;;",
            "Итого: 2 клиента;;;;;;;;;",
        ],
    )
    contacts, report = load(path)
    assert [c.id for c in contacts] == ["1", "2"] and report.rejected == 0
    (problem,) = report.problems
    assert problem.severity == "warning" and problem.line == 4 and ":row 4: ID: " in str(problem)
    assert "'Итого: 2 клиента' is a totals line, not a contact; skipped" in str(problem)
    # An id that only starts like one, with an e-mail, is a contact.
    path = write(tmp_path, [RU_HEADER, "Totally-7;t@example.com;Smith;John;;;01.02.1980;;;"], name="d.csv")
    contacts, report = load(path)
    assert [c.id for c in contacts] == ["Totally-7"] and not report.problems
