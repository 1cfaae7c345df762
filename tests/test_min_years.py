"""An occasion's ``min_years``: a date too recent to be true is a data error, as one too old is.

Why: a sales manager types only "21.12" into an Excel date cell and Excel
stores 21.12.<the year typed>; greeter greeted that client's birthday «с
1-летием» without a word. ``max_years`` caught only the other end. Both are
data checks (``invalid_contact``, a row warning in ``greeter check``), not
``audience.min_years``, a targeting filter (``outside_audience``). A year
1900 (or an Excel epoch) is CRMs' and Excel's "year unknown": the too-old
message says so.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.check_forms import _possible_years
from greeter.cli import main
from greeter.config import Audience, Occasion
from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.gallery_words import russian_detail
from greeter.occasions import implausible
from greeter.sources.dates import YEARLESS_YEAR
from tests.conftest import MakeProject, contact_row, skipped_greetings, xlsx_contacts

TODAY = date(2026, 12, 4)
TYPED = ": a day typed without its year gets the year it was typed in; write it as {day} or {iso}"
UNKNOWN = ": {year} is often a placeholder for an unknown year; write the day without a year ({day} or {iso})"


@pytest.mark.parametrize(
    ("original", "years", "max_years", "min_years", "expected"),
    [
        (date(2025, 12, 21), 1, 120, 14,
         "birthday 21.12.2025 gives 1 year (fewer than min_years 14)" + TYPED.format(day="21.12", iso="--12-21")),
        (date(2024, 3, 5), 2, 120, 14,
         "birthday 05.03.2024 gives 2 years (fewer than min_years 14)" + TYPED.format(day="05.03", iso="--03-05")),
        (date(2026, 3, 5), 0, 120, 14,  # typed this spring: no anniversary yet, still no true birthday
         "birthday 05.03.2026 gives 0 years (fewer than min_years 14)" + TYPED.format(day="05.03", iso="--03-05")),
        (date(2012, 12, 21), 14, 120, 14, None),  # exactly min_years: plausible
        (date(2025, 12, 21), 1, 120, 0, None),  # the default: no lower bound
        (date(2025, 12, 21), 1, 120, 1, None),
        (date(2027, 1, 5), -1, 120, 14, "birthday 05.01.2027 is in the future"),  # the future's words stay
        (date(YEARLESS_YEAR, 12, 21), TODAY.year - YEARLESS_YEAR, 120, 14, None),  # no year: no age at all
        (date(1900, 12, 25), 126, 120, 14,
         "birthday 25.12.1900 gives 126 years (more than 120)" + UNKNOWN.format(year=1900, day="25.12", iso="--12-25")),
        (date(1899, 12, 31), 127, 120, 0,
         "birthday 31.12.1899 gives 127 years (more than 120)" + UNKNOWN.format(year=1899, day="31.12", iso="--12-31")),
        (date(1904, 1, 1), 122, 120, 0,
         "birthday 01.01.1904 gives 122 years (more than 120)" + UNKNOWN.format(year=1904, day="01.01", iso="--01-01")),
        (date(1890, 5, 1), 136, 120, 0, "birthday 01.05.1890 gives 136 years (more than 120)"),  # no placeholder
        (date(1900, 12, 25), 126, 300, 0, None),  # a company founded in 1900 is no error
    ],
)  # fmt: skip
def test_implausible_says_why_a_date_cannot_be_true(
    original: date, years: int, max_years: int, min_years: int, expected: str | None
) -> None:
    assert implausible("birthday", original, years, TODAY, max_years, min_years) == expected


def test_min_years_is_an_occasions_data_check_and_audience_min_years_stays_a_filter() -> None:
    """The two keys read alike; their descriptions (``greeter schema``) say which does what."""
    mine = Occasion.model_fields["min_years"]
    assert mine.default == 0
    assert mine.description is not None and "data error" in mine.description
    assert "audience.min_years" in mine.description
    audience = Audience.model_fields["min_years"].description
    assert audience is not None and "outside_audience" in audience


MINIMAL = """\
sender:
  name: Shop
  email: hello@shop.example
contacts:
  path: contacts.csv
  dates:
    birthday: Birthday
occasions:
  - name: birthday
    field: birthday
    template: birthday
    min_years: 14
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    min_years: 14", "    min_yeras: 14",
         "greeter.yaml:12:5: occasions.0.min_yeras: unknown key, did you mean `min_years`?"),
        ("    min_years: 14", "    min_years: -1",
         "greeter.yaml:12:5: occasions.0.min_years: Input should be greater than or equal to 0 (got -1)"),
        ("    min_years: 14", "    min_years: 120",
         "greeter.yaml:12:5: occasions.0.min_years: min_years 120 is not below max_years 120: every date would be"
         " a data error (to greet only older anniversaries, use audience.min_years)"),
        ("    field: birthday\n", "    date: '12-29'\n",
         "greeter.yaml:12:5: occasions.0.min_years: min_years checks the dates of a date column (field:),"
         " and birthday has none: it would do nothing"),
        ("    field: birthday\n    template: birthday\n    min_years: 14",
         "    date: '12-29'\n    template: birthday\n    audience:\n      min_years: 5",
         "greeter.yaml:13:7: occasions.0.audience.min_years: audience.min_years counts the years of a date"
         " column's anniversary (field:), and birthday has none: every letter would be outside_audience"),
        ("    min_years: 14", "    audience:\n      max_years: 100",
         "greeter.yaml:13:7: occasions.0.audience.max_years: `max_years` is a setting of"
         " `occasions.0`, not of `occasions.0.audience`: un-indent it to line up with `audience:`"),
    ],
)  # fmt: skip
def test_a_wrong_min_years_is_a_located_config_error(old: str, new: str, expected: str) -> None:
    parse_settings(MINIMAL, "greeter.yaml", today=TODAY)  # as written, it loads
    with pytest.raises(ConfigError) as info:
        parse_settings(MINIMAL.replace(old, new), "greeter.yaml", today=TODAY)
    problems = [str(p) for p in info.value.problems]
    assert any(p.startswith(expected) for p in problems), problems


def test_letter_forms_are_not_tried_for_years_below_min_years() -> None:
    """``greeter check`` renders "for years=N" forms; a 1-year-old birthday is a data error, never a letter."""
    birthday = Occasion(name="birthday", template="birthday", field="birthday", min_years=14)
    assert _possible_years(birthday) == [21, 50, 55, 100]
    assert _possible_years(birthday.model_copy(update={"min_years": 0})) == [1, 2, 5, 11, 21, 50, 55, 100]


def test_check_warns_at_the_row_of_a_birthday_typed_without_its_year(make_project: MakeProject) -> None:
    """The example sets birthday min_years: 14; row 3 was typed as "21.12" in 2025, row 4 has 1900 for
    "year unknown". Warnings: the contacts keep their other greetings, and --strict fails on them."""
    rows = [
        contact_row("1", "ok@example.com", birthday="13.04.1980"),
        contact_row("2", "typed@example.com", birthday="21.12.2025"),
        contact_row("3", "unknown@example.com", birthday="25.12.1900"),
    ]
    result = CliRunner().invoke(
        main, ["--config", str(make_project(rows)), "check", "--now", "2026-12-04T09:00"]
    )
    assert result.exit_code == 0, result.output
    warned = skipped_greetings(result.output)
    assert warned == [
        "row 3: Дата рождения: warning: birthday 21.12.2025 gives 1 year (fewer than min_years 14)"
        + TYPED.format(day="21.12", iso="--12-21") + "; birthday greetings are skipped",
        "row 4: Дата рождения: warning: birthday 25.12.1900 gives 126 years (more than 120)"
        + UNKNOWN.format(year=1900, day="25.12", iso="--12-25") + "; birthday greetings are skipped",
    ]  # fmt: skip


def test_check_warns_at_the_row_of_an_excel_date_cell_typed_without_its_year(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The persona's own case: an .xlsx whose birthday cell is a real Excel date, 21.12.2025."""
    config = make_project([], contacts={"source": "xlsx", "path": "data/contacts.xlsx"})
    rows: list[list[object]] = []
    for cid, born in (("1", date(1980, 4, 13)), ("2", date(2025, 12, 21))):
        row: list[object] = contact_row(cid, f"c{cid}@example.com").split(";")
        row[11] = born
        rows.append(row)
    xlsx_contacts(tmp_path / "data" / "contacts.xlsx", rows)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-04T09:00"])
    assert result.exit_code == 0, result.output  # a warning: the contact keeps its other greetings
    assert "contacts: 2 loaded from 2 rows, 0 rejected, 1 warning(s)" in result.output.splitlines()
    warned = [
        line.partition("contacts.xlsx:")[2] for line in result.output.splitlines() if "min_years" in line
    ]
    assert warned == [
        "row 3: Дата рождения: warning: birthday 21.12.2025 gives 1 year (fewer than min_years 14)"
        + TYPED.format(day="21.12", iso="--12-21") + "; birthday greetings are skipped"
    ]  # fmt: skip


def test_preview_skips_a_one_year_old_birthday_as_invalid_contact(make_project: MakeProject) -> None:
    """It was previewed as a birthday greeting «с 1-летием»; the New Year letter still goes."""
    rows = [
        contact_row("1", "ok@example.com", birthday="20.12.1980"),
        contact_row("2", "typed@example.com", birthday="21.12.2025"),
        contact_row("3", "yearless@example.com", birthday="--12-22"),  # no year: greeted, no age
    ]
    result = CliRunner().invoke(
        main,
        ["--config", str(make_project(rows)), "preview", "--from", "2026-12-14", "--days", "16", "--format",
         "json", "--now", "2026-12-14T09:00:00+03:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    drafts = json.loads(result.stdout)
    birthdays = {d["contact_id"]: d for d in drafts if d["occasion"] == "birthday"}
    assert birthdays["2"]["status"] != "send" and birthdays["2"]["reason"] == "invalid_contact"
    assert birthdays["2"]["detail"].startswith("birthday 21.12.2025 gives 1 year (fewer than min_years 14)")
    assert birthdays["1"]["reason"] is None and birthdays["1"]["years"] == 46
    assert birthdays["3"]["reason"] is None and birthdays["3"]["years"] is None
    assert {d["occasion"] for d in drafts if d["contact_id"] == "2" and d["status"] == "send"} == {"new_year"}


@pytest.mark.parametrize(
    ("sentence", "russian"),
    [
        (implausible("birthday", date(2025, 12, 21), 1, TODAY, 120, 14),
         "поле birthday: 21.12.2025 — это 1 год (меньше 14: min_years); похоже, день ввели без года, и он"
         " получил год ввода: запишите его как 21.12 или --12-21"),
        (implausible("birthday", date(2023, 3, 5), 3, TODAY, 120, 14),
         "поле birthday: 05.03.2023 — это 3 года (меньше 14: min_years); похоже, день ввели без года, и он"
         " получил год ввода: запишите его как 05.03 или --03-05"),
        (implausible("birthday", date(1900, 12, 25), 126, TODAY, 120),
         "поле birthday: 25.12.1900 — это 126 лет (больше 120: max_years); 1900 год часто ставят вместо"
         " неизвестного года: запишите день без года (25.12 или --12-25)"),
    ],
)  # fmt: skip
def test_the_gallery_words_a_too_recent_or_placeholder_date_in_russian(
    sentence: str | None, russian: str
) -> None:
    assert russian_detail(sentence, {}) == russian
