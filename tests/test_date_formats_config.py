"""Dates without a year: refused in ``contacts.date_formats``, read as yearless values, never "1900".

strptime reads ``13.04`` under ``%d.%m`` as 13 April 1900, so a config that
let such a format through skipped every birthday as "126 years" and 29.02 as
no date at all, while ``greeter check`` said OK.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import ContactsSource
from greeter.occasions import implausible
from greeter.sources import load_contacts
from tests.test_bad_inputs import greeter_in_process, project
from tests.test_config import MINIMAL, errors_of

NO_YEAR = (
    "has no year (%Y, or %y for two digits): a date read without one is taken for 1900, and ages and"
    " anniversaries are counted from the year; export dates with the year from the CRM and write the"
    " format with it, e.g."
)
HEADER = "ID;Email;Фамилия;Имя;Отчество;Часовой пояс;Дата рождения"


@pytest.mark.parametrize(
    ("formats", "index", "bad", "meant"),
    [
        ('["%d.%m"]', 0, "%d.%m", "%d.%m.%Y"),
        ('["%d.%m.%Y", "%m/%d"]', 1, "%m/%d", "%m/%d/%Y"),
        ('["%d %B"]', 0, "%d %B", "%d %B %Y"),
        ('["%d.%m."]', 0, "%d.%m.", "%d.%m.%Y"),
        ('["%d.%m.%%Y"]', 0, "%d.%m.%%Y", "%d.%m.%%Y.%Y"),  # "%%Y" is the text "%Y", not a year
    ],
)
def test_a_date_format_without_a_year_is_refused_where_it_is(
    formats: str, index: int, bad: str, meant: str
) -> None:
    text = MINIMAL.replace("  path: contacts.csv\n", f"  path: contacts.csv\n  date_formats: {formats}\n", 1)
    col = text.splitlines()[5].index(f'"{bad}"') + 1
    assert errors_of(text) == [
        f'greeter.yaml:6:{col}: contacts.date_formats.{index}: {bad!r} {NO_YEAR} "{meant}"'
    ]


@pytest.mark.parametrize("formats", ['["%d.%m.%y"]', '["%Y%m%d", "%d %B %Y"]', '["%x"]'])
def test_formats_with_a_year_are_accepted(formats: str) -> None:
    from greeter.config_loader import parse_settings
    from tests.conftest import TODAY

    text = MINIMAL.replace("  path: contacts.csv\n", f"  path: contacts.csv\n  date_formats: {formats}\n", 1)
    assert parse_settings(text, "greeter.yaml", today=TODAY).contacts.date_formats


def write_project(tmp_path: Path, birthdays: list[str], formats: str | None = None) -> Path:
    """The bad-inputs project with a contacts file of these birthdays (and ``date_formats``, if given)."""
    config = project(tmp_path)
    if formats is not None:
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace(
                "  path: data/contacts.csv\n", f"  path: data/contacts.csv\n  date_formats: {formats}\n"
            ),
            encoding="utf-8",
        )
    rows = [
        f"{n};p{n}@example.com;Иванов;Иван;Петрович;Europe/Moscow;{b}" for n, b in enumerate(birthdays, 1)
    ]
    (tmp_path / "data" / "contacts.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return config


YEARLESS = ["13.04", "29.02", "14.04", "15.04", "16.04"]


def test_check_refuses_a_yearless_format_at_its_line(tmp_path: Path) -> None:
    config = write_project(tmp_path, YEARLESS, '["%d.%m"]')
    code, out, err = greeter_in_process(config, "check")
    assert code == 2, out + err
    line = next(
        n for n, t in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "date_formats" in t
    )
    assert f"greeter.yaml:{line}:18: contacts.date_formats.0: '%d.%m' {NO_YEAR} \"%d.%m.%Y\"" in out + err
    assert "1900" not in out.replace("taken for 1900", "") + err.replace("taken for 1900", "")


def test_a_column_of_dates_without_a_year_is_read_and_check_notes_it(tmp_path: Path) -> None:
    """Day and month without a year are birthdays greeted without an age, no longer an unreadable column.

    The column's error ("they have no year … write the whole date") became one
    note in ``check``'s summary; ``--strict`` passes, and no "1900" or "1604" is shown.
    """
    config = write_project(tmp_path, YEARLESS)
    cfg = ContactsSource(
        path=tmp_path / "data" / "contacts.csv",
        columns={
            "id": "ID",
            "email": "Email",
            "first_name": "Имя",
            "patronymic": "Отчество",
            "last_name": "Фамилия",
        },
        dates={"birthday": "Дата рождения"},
    )
    contacts, report = load_contacts(cfg, Defaults(), {"birthday": ("birthday",)})
    assert [p for p in report.problems if p.kind == "column"] == []
    assert [(c.dates["birthday"].month, c.dates["birthday"].day) for c in contacts] == [
        (4, 13), (2, 29), (4, 14), (4, 15), (4, 16)
    ]  # fmt: skip
    for unused in ("company_anniversary", "first_deal", "holiday"):  # their warnings would fail --strict
        for path in (tmp_path / "templates").glob(f"{unused}*.j2"):
            path.unlink()
    # As the starters bound it: unbounded, a birthday letter could carry New Year 13+ days late, a warning.
    text = config.read_text(encoding="utf-8")
    assert "\n  min_gap_days: 14\n" in text
    config.write_text(
        text.replace("\n  min_gap_days: 14\n", "\n  min_gap_days: 14\n  holiday_merge_max_days_late: 7\n"),
        encoding="utf-8",
    )
    code, out, err = greeter_in_process(config, "check", "--strict")
    assert code == 0, out + err
    assert (
        "contacts: Дата рождения: 5 of 5 dates have no year (e.g. 13.04): greeted on the day, without an age"
        in out
    )
    assert "1900" not in out + err and "1604" not in out + err


def test_a_year_below_1000_is_quoted_with_its_four_digits(tmp_path: Path) -> None:
    """``13.04.0080`` is a typo of the CRM's; "13.04.80" in the message would read as 1980."""
    assert implausible("birthday", date(80, 4, 13), 1946, date(2026, 4, 13), 120) == (
        "birthday 13.04.0080 gives 1946 years (more than 120)"
    )
    assert implausible("birthday", date(2999, 1, 1), -973, date(2026, 4, 13), 120) == (
        "birthday 01.01.2999 is in the future"
    )
    config = write_project(tmp_path, ["13.04.0080", "13.04.1980"])
    _, out, err = greeter_in_process(config, "check")
    assert "birthday 13.04.0080 gives" in out + err, out + err
    assert "13.04.80 " not in out + err


def test_the_example_reads_the_dates_the_default_reads() -> None:
    """The starter listed ``["%d.%m.%Y", "%Y-%m-%d"]``, narrower than unset (its own comment said
    unset also takes ``%d/%m/%Y``): a ``07/12/1975`` export lost every birthday."""
    from greeter.config_loader import load_settings
    from tests.conftest import ROOT, TODAY

    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    default = ContactsSource.model_fields["date_formats"].get_default(call_default_factory=True)
    assert settings.contacts.date_formats == default
    assert "%d/%m/%Y" in settings.contacts.date_formats
