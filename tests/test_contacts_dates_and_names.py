"""How a contact's dates and names are read: a time of day, a date that is not read and why;
the gender column against the patronymic, full names, names in capitals.

Moved out of tests/test_contacts_load.py, whose helpers it uses.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from greeter.config_contacts import Columns
from greeter.names import split_full_name
from tests.test_contacts_load import RU_HEADER, load, write

# --------------------------------------------------------------------------- dates with a time of day


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


# --------------------------------------------------------------------------- a full-name column


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


# --------------------------------------------------------------------------- gender column against patronymic


NEUTRAL = "one of the two cells is wrong, so the letter takes no gender from the column: "


def test_a_gender_column_contradicting_the_patronymic_is_warned_and_wins_only_over_a_turkic_one(
    tmp_path: Path,
) -> None:
    """Against a plain -вич/-вна the letter is neutral (QA re-test 11: «Уважаемая Иван Петрович!»,
    one of the cells certainly wrong); a Turkic patronymic's column still corrects the guess."""
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
        f"{path}:row 2: Пол: warning: says male, but the patronymic 'Петровна' is female; {NEUTRAL}"
        'the letter will say "Здравствуйте, Мария Петровна" and its HTML version is headed '
        '"Марии Петровне Ивановой"; check the row',
        f"{path}:row 3: Пол: warning: says female, but the patronymic 'Петрович' is male; {NEUTRAL}"
        'the letter will say "Здравствуйте, Пётр Петрович" and its HTML version is headed '
        '"Петру Петровичу Петрову"; check the row',
        f"{path}:row 4: Пол: warning: says male, but the patronymic 'Рашид кызы' is female; "
        'the letter will say "Уважаемый Лейла Рашид кызы" and its HTML version is headed '
        '"Лейле Рашид кызы Мамедове"; check the row',
        f"{path}:row 6: Имя: warning: no first name: letters to this contact are impersonal («Здравствуйте!»)",
        f"{path}:row 6: Пол: warning: says male, but the patronymic 'Петровна' is female; "
        f"{NEUTRAL}the name will be declined as its words say; check the row",
    ]
    assert salutation(contacts[0]) == "Здравствуйте, Мария Петровна"  # neither cell is sure
    assert salutation(contacts[2]) == "Уважаемый Лейла Рашид кызы"  # the column corrects a Turkic one


def test_the_gender_warning_quotes_the_salutation_in_the_letters_language(tmp_path: Path) -> None:
    """A Ukrainian row's warning quoted a Russian «Уважаемая Сергій Іванович» (QA re-test 11); its
    letter opens «Добрий день, Сергію Івановичу» — neutral, in the vocative."""
    path = write(tmp_path, [RU_HEADER, "2005;u5@example.com;Мельник;Сергій;Іванович;ж;;Europe/Kyiv;uk;"])
    [contact], report = load(path)
    [warning] = [p.message for p in report.problems]
    assert contact.locale == "uk"
    assert warning == (
        f"says female, but the patronymic 'Іванович' is male; {NEUTRAL}"
        'the letter will say "Добрий день, Сергію Івановичу"; check the row'
    )


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
    assert quoted == ["Здравствуйте, Мария Петровна", "Марии Петровне Ивановой"]
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
    from greeter.name_case import normalise_case

    assert normalise_case(name) == expected
