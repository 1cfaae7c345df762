"""Birthdays without a year ("27.12", "--12-27", Outlook's 1604): greeted on the day, without an age.

CRM exports keep a birthday the client would not give the year of as a day
and a month. Such a value was skipped with "it has no year: write the whole
date, with the year, in the CRM"; a client expects the greeting anyway. It is
read as that day in :data:`~greeter.sources.dates.YEARLESS_YEAR`
(:func:`~greeter.sources.dates.is_yearless`), recurs every year with ``years``
None, is never in a round-years audience, is a note in ``check`` (not a
warning), and its placeholder year is never shown.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

from greeter.config import Defaults, Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact, Gender
from greeter.occasions import implausible
from greeter.plan_types import Hit, PlanItem
from greeter.planner import plan, plan_window
from greeter.render import Renderer
from greeter.sources import load_contacts
from greeter.sources.dates import YEARLESS_YEAR, DateParser, day_month, is_yearless, iso_day_month
from greeter.sources.sql_source import to_text
from tests.conftest import TODAY
from tests.test_bad_inputs import PREVIEW, greeter_in_process, project
from tests.test_render import SENDER, TEMPLATES, person

#: The formats a project has by default (config.py's ``date_formats``).
DEFAULT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("text", "month_day"),
    [
        ("27.12", (12, 27)),
        ("27.12.", (12, 27)),
        ("27/12", (12, 27)),
        ("7/1", (1, 7)),
        ("27-12", (12, 27)),
        ("--12-27", (12, 27)),  # ISO 8601 reduced, extended (vCard 3, Outlook)
        ("--1227", (12, 27)),  # … and basic (vCard 4's BDAY)
        ("1604-12-27", (12, 27)),  # Outlook's placeholder year
        ("27.12.1604", (12, 27)),
        ("27.12.0000", (12, 27)),  # a year of zeros
        ("0000-12-27", (12, 27)),
        ("27.12.0000 0:00:00", (12, 27)),  # as 1C exports a date with its time of day
        ("29.02", (2, 29)),  # any year has 29 February
        ("--02-29", (2, 29)),
        ("29.02.0000", (2, 29)),
    ],
)
def test_a_day_and_month_without_a_year_is_read_as_one(text: str, month_day: tuple[int, int]) -> None:
    day = DateParser(DEFAULT_FORMATS).parse(text)
    assert day is not None and is_yearless(day), text
    assert (day.month, day.day) == month_day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.02", "is not a real date: February has no 31st"),
        ("13.13", "is not a real date: there is no month 13"),
        ("--02-30", "is not a real date: February has no 30th"),
        ("--13-01", "is not a real date: there is no month 13"),
        ("32.01", "is not a real date: no month has 32 days"),
        ("00.12", "is not a real date: there is no day 0"),
        ("31.02.0000", "is not a real date: February has no 31st"),
        ("3.5", "does not match contacts.date_formats (%d.%m.%Y, %Y-%m-%d, %d/%m/%Y)"),  # a number
    ],
)
def test_what_is_no_day_is_still_refused_and_says_why(text: str, reason: str) -> None:
    parser = DateParser(DEFAULT_FORMATS)
    assert parser.parse(text) is None
    assert parser.problem(text) == reason


def test_the_configured_order_of_day_and_month_decides_a_yearless_value() -> None:
    """``12/27`` is ``%m/%d/%Y`` without its year; under it ``27/12`` would be month 27, refused."""
    us = DateParser(["%m/%d/%Y"])
    assert us.parse("12/27") == date(YEARLESS_YEAR, 12, 27)
    assert us.parse("27/12") is None and us.problem("27/12") == "is not a real date: there is no month 27"
    assert DateParser(DEFAULT_FORMATS).parse("12/27") is None


def test_dated_values_and_a_real_early_year_are_not_taken_for_yearless() -> None:
    parser = DateParser(DEFAULT_FORMATS)
    assert parser.parse("27.12.1980") == date(1980, 12, 27)
    # 0001-01-01 is a database's "no date" (.NET's MinValue), not a birthday without its year: the
    # parser reads it as the day it is, and the row parser as an empty cell (tests/test_date_columns.py).
    early = parser.parse(to_text(date(1, 1, 1)))
    assert early == date(1, 1, 1) and not is_yearless(early)


def test_an_sql_date_of_1604_is_yearless_as_the_text_is() -> None:
    """A DATE column arrives as ISO text (:func:`to_text`), read by the SQL source's implied ``%Y-%m-%d``."""
    parser = DateParser(["%d.%m.%Y"], implied=("%Y-%m-%d",))
    day = parser.parse(to_text(date(1604, 12, 27)))
    assert day is not None and is_yearless(day)


def test_csv_and_xlsx_text_cells_load_yearless_birthdays_without_a_problem(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from greeter.config_contacts import ContactsSource

    header = ["ID", "Email", "Дата рождения"]
    cells = ["27.12", "--12-27", "--1227", "1604-12-27", "27.12.0000", "31.02"]
    rows = [[str(n), f"c{n}@example.com", text] for n, text in enumerate(cells, 1)]
    csv = tmp_path / "c.csv"
    csv.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in [header, *rows]:
        sheet.append(r)
    xlsx = tmp_path / "c.xlsx"
    book.save(xlsx)
    names = {"first_name": None, "patronymic": None, "last_name": None}
    for path, source in ((csv, "csv"), (xlsx, "xlsx")):
        cfg = ContactsSource(
            source=source,
            path=path,
            columns={"id": "ID", "email": "Email", **names},
            dates={"birthday": "Дата рождения"},
        )
        contacts, report = load_contacts(cfg, Defaults(), {"birthday": ("birthday",)})
        read = [c.dates.get("birthday") for c in contacts]
        assert read == [date(YEARLESS_YEAR, 12, 27)] * 5 + [None], source
        problems = [str(p) for p in report.problems]
        assert len(problems) == 1 and "'31.02' is not a real date: February has no 31st" in problems[0]


def test_a_yearless_date_is_shown_without_its_placeholder_year() -> None:
    day = date(YEARLESS_YEAR, 12, 27)
    assert (day_month(day), iso_day_month(day)) == ("27.12", "--12-27")
    assert implausible("birthday", day, TODAY.year - YEARLESS_YEAR, TODAY, 120) is None


# --------------------------------------------------------------------------- planning (pure)

CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Europe/Moscow, country: RU}
contacts:
  path: c.csv
  dates: {birthday: B}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 14}
send_window:
  hours: {start: "10:00", end: "18:00"}
  lunch: {start: "13:00", end: "14:00"}
  friday_cutoff: "15:00"
catch_up_days: 3
"""


def settings_of(text: str = CONFIG) -> Settings:
    return parse_settings(text, "g.yaml", today=TODAY)


def contact(cid: str, birthday: date) -> Contact:
    return Contact(id=cid, email=f"{cid}@example.com", first_name="Иван", patronymic="Петрович",
                   dates=MappingProxyType({"birthday": birthday}))  # fmt: skip


def planned(settings: Settings, contacts: list[Contact], start: date, days: int) -> list[PlanItem]:
    now = datetime(start.year, start.month, start.day, 6, tzinfo=UTC)
    return list(plan(contacts, plan_window(settings, now=now, start=start, days=days)))


def test_a_yearless_birthday_is_greeted_on_its_day_every_year_without_years() -> None:
    settings = settings_of()
    people = [contact("y", date(YEARLESS_YEAR, 3, 10)), contact("d", date(1980, 3, 10))]
    for year in (2027, 2031):
        items = planned(settings, people, date(year, 3, 1), 20)
        got = {(i.hit.contact.id, i.hit.date, i.hit.years, i.status, i.reason) for i in items}
        assert got == {
            ("y", date(year, 3, 10), None, "send", None),
            ("d", date(year, 3, 10), year - 1980, "send", None),
        }


@pytest.mark.parametrize(
    ("leap_day", "year", "greeted"),
    [
        ("feb28", 2027, date(2027, 2, 28)),
        ("mar1", 2027, date(2027, 3, 1)),
        ("feb28", 2028, date(2028, 2, 29)),
    ],
)
def test_a_yearless_29_february_moves_like_a_dated_one(leap_day: str, year: int, greeted: date) -> None:
    settings = settings_of(CONFIG + f"leap_day: {leap_day}\n")
    people = [contact("y", date(YEARLESS_YEAR, 2, 29)), contact("d", date(1980, 2, 29))]
    items = planned(settings, people, date(year, 2, 20), 15)
    assert sorted((i.hit.contact.id, i.hit.date, i.hit.years) for i in items) == [
        ("d", greeted, year - 1980),
        ("y", greeted, None),
    ]
    assert all(i.status == "send" for i in items)


def test_a_round_years_audience_does_not_greet_a_yearless_birthday() -> None:
    """Whether it is the 50th is unknown: outside the audience, as an occasion without years is."""
    text = CONFIG.replace(
        "template: birthday, priority: 100}",
        "template: birthday, priority: 100, audience: {round_years: 10}}",
    )
    people = [contact("y", date(YEARLESS_YEAR, 3, 10)), contact("d", date(1977, 3, 10))]
    items = planned(settings_of(text), people, date(2027, 3, 1), 20)
    got = {i.hit.contact.id: (i.status, i.reason, i.detail, i.hit.years) for i in items}
    assert got == {
        "d": ("send", None, "", 50),
        "y": (
            "skip",
            "outside_audience",
            "round_years needs years to count, and this occasion has none",
            None,
        ),
    }


# --------------------------------------------------------------------------- letters


@pytest.mark.parametrize("locale", ["ru", "en", "de", "et", "hu", "sr"])
def test_every_language_s_birthday_letter_reads_without_an_age(locale: str) -> None:
    who = person("p", "Анна", "Ильинична", "Смирнова", locale=locale, gender=Gender.FEMALE)
    renderer = Renderer(TEMPLATES, SENDER)
    hit = Hit(who, "birthday", date(2026, 12, 27), None, 100, "birthday")
    new_year = Hit(who, "new_year", date(2026, 12, 29), None, 60, "new_year")
    for item in (
        PlanItem(hit=hit, status="send"),
        PlanItem(hit=hit, status="send", belated=True),
        PlanItem(hit=hit, status="send", also=(new_year,)),
    ):
        out = renderer.render(item)
        letter = f"{out.subject}\n{out.text}\n{out.html or ''}"
        assert "None" not in letter and "1604" not in letter
        assert (
            re.search(r"\b\d{1,3}(-?лет|\.? ?(years|Geburtstag|sünnipäev|születésnap|рођендан))", letter)
            is None
        )


def test_preview_json_greets_27_12_and_iso_yearless_without_age_or_placeholder(tmp_path: Path) -> None:
    config = project(tmp_path)
    (tmp_path / "data" / "contacts.csv").write_text(
        "ID;Email;Фамилия;Имя;Отчество;Часовой пояс;Дата рождения\n"
        "1;ivan@example.com;Иванов;Иван;Петрович;Europe/Moscow;27.12\n"
        "2;anna@example.com;Смирнова;Анна;Ильинична;Europe/Moscow;--12-27\n"
        "3;oleg@example.com;Петров;Олег;Игоревич;Europe/Moscow;27.12.1976\n",
        encoding="utf-8",
    )
    code, out, err = greeter_in_process(config, *PREVIEW)
    assert code == 0, err
    assert "no year" not in err and "1604" not in err
    drafts = json.loads(out)
    birthdays = {d["contact_id"]: d for d in drafts if d["occasion"] == "birthday"}
    assert {cid: (d["occasion_date"], d["years"], d["status"]) for cid, d in birthdays.items()} == {
        "1": ("2026-12-27", None, "send"),
        "2": ("2026-12-27", None, "send"),
        "3": ("2026-12-27", 50, "send"),
    }
    for cid in ("1", "2"):
        letter = f"{birthdays[cid]['subject']}\n{birthdays[cid]['text']}"
        assert "днём рождения" in letter, letter
        assert re.search(r"\d+-лет|юбиле", letter) is None, letter
    assert "50-летием" in birthdays["3"]["text"] or "юбиле" in birthdays["3"]["text"]
    assert "1604" not in out and "0004" not in out


@pytest.mark.parametrize(
    ("fmt", "locale", "expected"),
    [
        ("long", "ru", "27 декабря"),
        ("full", "ru", "27 декабря"),
        ("short", "en", "December 27"),
        ("day_month", "de", "27. Dezember"),
    ],
)
def test_the_date_filter_writes_a_yearless_contact_date_without_the_placeholder_year(
    fmt: str, locale: str, expected: str
) -> None:
    """``{{ contact.dates.birthday|date }}`` in a marketer's own template printed «27 декабря 1604 г.»."""
    from jinja2 import DictLoader

    from greeter.template_env import make_environment

    env = make_environment(DictLoader({"t": "{{ d|date(fmt, locale) }}"}), html=False)
    yearless = env.get_template("t").render(d=date(YEARLESS_YEAR, 12, 27), fmt=fmt, locale=locale)
    assert yearless == expected
    dated = env.get_template("t").render(d=date(1976, 12, 27), fmt=fmt, locale=locale)
    assert "1976" in dated or "76" in dated or fmt == "day_month"
