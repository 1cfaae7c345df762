"""``check``'s row problems: counted by a kind without the cell's value, and dates judged at the planner's age.

Why: ``row_problems`` in ``check --json`` had keys such as ``"birthday
18.12.2025 gives 1 year": 1`` and ``"Sheet!L4": 1`` — a birth date (personal
data) in a summary meant to be counted; ``check`` warned "13 years (fewer
than min_years 14)" of a client born 12.01.2013 whom preview greeted at 14
in January; a birthday typed "18.12" this year was only "in the future",
without the hint of the typed-without-its-year case.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.check_report import problem_kind
from greeter.cli import main
from greeter.contacts import invisible_chars
from greeter.gallery_words import russian_detail
from greeter.occasions import implausible, next_years
from tests.conftest import MakeProject, contact_row, skipped_greetings, xlsx_contacts

TODAY = date(2026, 12, 4)
SKIPPED = "; birthday greetings are skipped"
TYPED = ": a day typed without its year gets the year it was typed in; write it as {day} or {iso}"


def _implausible(original: date) -> str:
    """The planner's words for ``original``, as ``check`` puts them at the row."""
    message = implausible("birthday", original, next_years(original, TODAY), TODAY, 120, 14)
    assert message is not None
    return message + SKIPPED


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (_implausible(date(2025, 12, 18)), "birthday gives fewer years than min_years"),
        (_implausible(date(1900, 12, 20)), "birthday gives more years than max_years"),
        (_implausible(date(1890, 5, 1)), "birthday gives more years than max_years"),
        (_implausible(date(2026, 12, 18)), "birthday is in the future"),
        (_implausible(date(2030, 12, 18)), "birthday is in the future"),
        # greeter/sources/xlsx_source.py's words, a sheet cell first
        ("Лист1!G2: a formula Excel never calculated (=DATE(1980,12,17)), so the cell reads as empty: open the"
         " file in Excel or LibreOffice and save it (or export values, not formulas)" + SKIPPED,
         "a formula Excel never calculated"),
        ("Sheet!L4: a formula Excel never calculated (=TODAY()), so the cell reads as empty",
         "a formula Excel never calculated"),
        # greeter/sources/rows.py's words for a cell with an invisible character
        (f"'Иван\u200bов' has {invisible_chars('Иван' + chr(0x200B) + 'ов')}: removed ('Иванов')",
         "has an invisible U+200B ZERO WIDTH SPACE"),
        (f"'ab\u2060' has {invisible_chars('ab' + chr(0x2060))}: removed ('ab')",
         "has an invisible U+2060 WORD JOINER"),
        ("6 fields, the header has 15 — an unquoted delimiter inside a value?",
         "N fields, the header has N — an unquoted delimiter inside a value?"),
        # the keys that were already value-free stay as they were
        ("'1/1/1975' does not match contacts.date_formats (%d.%m.%Y); read as \"%d/%m/%Y\" it is 1 January 1975",
         "does not match contacts.date_formats"),
        ("duplicate id '5' (first seen on row 2)", "duplicate id"),
        # a value and a colon first (greeter/sources/email_notes.py, name_cells.py): the kind was blank
        ("'sidorov@gmial.com': the domain 'gmial.com' looks like a typo of 'gmail.com' (sidorov@gmail.com?);"
         " the letter goes to the address as written: correct it in the CRM if so",
         "the domain looks like a typo of a mail provider's"),
        ("'Иван (Ваня)': the text in brackets '(Ваня)' is not part of the name",
         "the text in brackets is not part of the name"),
        # greeter/sources/garbled_names.py's: the '?' quoted is the kind's word (the summary said
        # "3 × has where letters were"); a one-letter value is still a value
        ("\"Д?р'я\" has '?' where letters were; the row is not loaded: export the file as UTF-8",
         "has '?' where letters were"),
        ("duplicate id 'a' (first seen on row 2)", "duplicate id"),
    ],
)  # fmt: skip
def test_a_row_problems_kind_has_no_date_position_or_cell(message: str, kind: str) -> None:
    assert problem_kind(message) == kind


def test_check_json_counts_the_date_and_cell_problems_without_their_values(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The persona's XLSX through the CLI: dates of every kind, a formula never calculated, a ZWSP."""
    config = make_project([], contacts={"source": "xlsx", "path": "data/contacts.xlsx"})
    born: list[object] = [date(2025, 12, 18), date(1900, 12, 20), date(2026, 12, 18), date(2026, 12, 19),
                          "=DATE(1980,12,17)", date(1980, 4, 13)]  # fmt: skip
    rows: list[list[object]] = []
    for n, day in enumerate(born, 1):
        row: list[object] = contact_row(str(n), f"c{n}@example.com").split(";")
        row[11] = day
        if n == len(born):
            row[3] = "Ив\u200bан"
        rows.append(row)
    xlsx_contacts(tmp_path / "data" / "contacts.xlsx", rows)
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2026-12-04T09:00", "--json"]
    )
    kinds = json.loads(result.stdout)["row_problems"]
    assert kinds == {
        "birthday is in the future": 2,
        "birthday gives fewer years than min_years": 1,
        "birthday gives more years than max_years": 1,
        "a formula Excel never calculated": 1,
        "has an invisible U+200B ZERO WIDTH SPACE": 1,
    }
    assert [k for k in kinds if re.search(r"\d\d\.\d\d|position|!", k)] == []


@pytest.mark.parametrize(
    ("original", "today", "leap_day", "years"),
    [
        (date(2013, 1, 12), TODAY, "feb28", 14),  # ahead next year: greeted at 14 in January
        (date(2013, 12, 20), TODAY, "feb28", 13),  # still ahead this year
        (date(2013, 12, 4), TODAY, "feb28", 13),  # today: greeted today
        (date(2013, 12, 3), TODAY, "feb28", 14),  # passed yesterday: the next is next year's
        (date(2026, 12, 4), TODAY, "feb28", 1),  # the day itself is no anniversary
        (date(2012, 2, 29), date(2027, 2, 28), "feb28", 15),  # moved to 28 February: today
        (date(2012, 2, 29), date(2027, 3, 1), "feb28", 16),  # moved to 28 February: passed
        (date(2012, 2, 29), date(2027, 3, 1), "mar1", 15),  # moved to 1 March: today
    ],
)
def test_next_years_is_the_age_of_the_next_anniversary(
    original: date, today: date, leap_day: str, years: int
) -> None:
    assert next_years(original, today, leap_day) == years


def test_check_judges_min_years_at_the_age_preview_greets(make_project: MakeProject) -> None:
    """Born 12.01.2013 and 03.12.2013, min_years 14, on 4 Dec 2026: both are greeted at 14 next time;
    20.12.2013 is greeted at 13 this month and stays a warning."""
    rows = [
        contact_row("1", "jan@example.com", birthday="12.01.2013"),
        contact_row("2", "passed@example.com", birthday="03.12.2013"),
        contact_row("3", "ahead@example.com", birthday="20.12.2013"),
    ]
    config = make_project(rows)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-04T09:00"])
    assert result.exit_code == 0, result.output
    warned = skipped_greetings(result.output)
    assert warned == [
        "row 4: Дата рождения: warning: birthday 20.12.2013 gives 13 years (fewer than min_years 14)"
        + TYPED.format(day="20.12", iso="--12-20") + SKIPPED
    ]  # fmt: skip
    preview = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--from", "2027-01-10", "--days", "5", "--format", "json",
         "--now", "2026-12-04T09:00:00+03:00"],
    )  # fmt: skip
    assert preview.exit_code == 0, preview.output
    [jan] = [d for d in json.loads(preview.stdout) if d["occasion"] == "birthday"]
    assert (jan["contact_id"], jan["years"], jan["reason"]) == ("1", 14, None)


def test_a_birthday_ahead_this_year_is_in_the_future_with_the_typed_without_its_year_hint() -> None:
    """18.12.2026 on 4 Dec 2026 is most often "18.12" typed this year; a date of a later year is not."""
    ahead = implausible("birthday", date(2026, 12, 18), 0, TODAY, 120, 14)
    assert ahead == "birthday 18.12.2026 is in the future" + TYPED.format(day="18.12", iso="--12-18")
    assert implausible("birthday", date(2027, 1, 5), -1, TODAY, 120) == "birthday 05.01.2027 is in the future"
    assert russian_detail(ahead, {}) == (
        "поле birthday: 18.12.2026 — дата в будущем; похоже, день ввели без года, и он получил год ввода:"
        " запишите его как 18.12 или --12-18"
    )
