"""Contacts as CRMs export them: encodings, delimiters, Russian headers, and every bad-row kind.

Excel workbooks are in tests/test_contacts_excel.py, how dates and names are read in
tests/test_contacts_dates_and_names.py; both use this module's helpers (source, write, load).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Gender
from greeter.errors import ContactsError, UnsafeHeaderError
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


def test_a_row_rejected_for_its_address_does_not_make_its_id_taken(tmp_path: Path) -> None:
    """A later row with the id of a row rejected for a bad e-mail is loaded, not a duplicate of it
    (the parser claims an id as it checks it, and releases it when the row's address rejects it)."""
    lines = [
        RU_HEADER,
        "1;not-an-email;Сидоров;Пётр;;;01.01.1970;;;",  # row 2: invalid e-mail (error)
        "1;petr@example.com;Сидоров;Пётр;;;01.01.1970;;;",  # row 3: loaded
        "1;again@example.com;Сидоров;Пётр;;;01.01.1970;;;",  # row 4: a duplicate of row 3
    ]
    contacts, report = load(write(tmp_path, lines))
    assert [(c.id, c.row) for c in contacts] == [("1", 3)]
    assert [(p.line, p.field, p.severity) for p in report.problems] == [
        (2, "Email", "error"),
        (4, "ID", "error"),
    ]
    assert report.problems[1].message == "duplicate id '1' (first seen on row 3)"


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


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("uz-Latn-UZ", "uz_Latn"),
        ("uz-Cyrl-UZ", "uz_Cyrl"),
        ("sr-Latn-RS", "sr_Latn"),
        ("sr-latn-rs", "sr_Latn"),
        ("UZ-LATN-UZ", "uz_Latn"),
        ("uz-Latn", "uz_Latn"),
        ("ru_RU.UTF-8", "ru_RU"),
    ],
)
def test_a_windows_style_locale_of_three_parts_is_read_within_one_subtag(
    tmp_path: Path, written: str, kept: str
) -> None:
    """``uz-Latn-UZ`` (a Windows-style CRM) was "not a language code; the default applies", and ``check``
    counted the client among those with no language of their own: read as ``init --locale`` reads
    ``sr-latn-RS`` (``sr_Latn``), without a warning."""
    # A Russian contact's name in Cyrillic: a Latin one is warned of (name_cells.other_script_note).
    name = "Исмоилова;Камола" if kept.startswith("ru") else "Ismoilova;Kamola"
    contacts, report = load(write(tmp_path, [RU_HEADER, f"1;k@example.com;{name};;;;;{written};"]))
    assert [c.locale for c in contacts] == [kept]
    assert report.problems == []
