"""A holiday named as one country calls it: the clients of the others are skipped, saying why.

The ``holidays`` library names 21 March "Nowruz" only in Uzbekistan:
"Nowruz Holiday" in Kazakhstan, "Nooruz Holiday" in Kyrgyzstan, "Spring
Festival" in Azerbaijan. An Almaty office (``defaults.country: KZ``) wrote
``holiday: "Nowruz"``: the Uzbek clients were greeted, and the Kazakh ones
had no row at all in ``preview`` — not even a skipped one. A client whose
calendar has no holiday of that name, under a default country without one
either, now gets an ``outside_audience`` skip on the day of the country the
name is, naming what their own calendar calls that day.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.gallery_words import russian_detail
from greeter.occasions import not_in_calendar
from greeter.plan_types import PastGreeting
from greeter.planner import plan, plan_window
from tests.conftest import MakeProject, contact_row

TODAY = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)

CONFIG = """\
sender: {name: Евразия, email: greet@evrazia.example}
defaults: {timezone: Asia/Almaty, country: %(default)s}
contacts: {path: c.csv, columns: {country: Страна}, dates: {birthday: B}}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: nauryz, holiday: "%(holiday)s", template: holiday, priority: 40%(extra)s}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 14}
send_window: {day_off_policy: on_day}
"""

KZ_NOWRUZ = "KZ's calendar has no holiday named 'Nowruz'; it calls 21.03 'Nowruz Holiday'"


def client(cid: str, country: str | None, **dates: date) -> Contact:
    return Contact(
        id=cid,
        email=f"{cid}@example.com",
        first_name="Айгерим",
        country=country,
        dates=MappingProxyType(dates),
    )


def rows(
    holiday: str,
    countries: list[str | None],
    *,
    default: str = "KZ",
    extra: str = "",
    past: dict[str, list[PastGreeting]] | None = None,
    birthday: date | None = None,
) -> list[tuple[str, str | None, str, str, str | None, str]]:
    """The plan of March 2027 for one client per country: (id, country, day, status, reason, detail)."""
    settings = parse_settings(
        CONFIG % {"default": default, "holiday": holiday, "extra": extra}, "g.yaml", today=TODAY
    )
    dates = {"birthday": birthday} if birthday else {}
    contacts = [client(f"c{i}", country, **dates) for i, country in enumerate(countries)]
    pw = plan_window(settings, now=NOW, start=date(2027, 3, 1), days=31)
    return [
        (
            item.hit.contact.id,
            item.hit.contact.country,
            f"{item.hit.date:%d.%m}",
            item.status,
            item.reason,
            item.detail,
        )
        for item in plan(contacts, pw, past or {})
        if item.hit.occasion == "nauryz"
    ]


@pytest.mark.parametrize(
    ("holiday", "default", "extra", "countries", "expected"),
    [
        # The persona's: the Kazakh clients (their own country, and the default's without a column)
        # are skipped on Uzbekistan's day, with their calendar's name; the Uzbek one is greeted.
        (
            "Nowruz",
            "KZ",
            "",
            ["KZ", None, "UZ"],
            [
                ("c0", "KZ", "21.03", "skip", "outside_audience", KZ_NOWRUZ),
                ("c1", None, "21.03", "skip", "outside_audience", KZ_NOWRUZ),
                ("c2", "UZ", "21.03", "send", None, ""),
            ],
        ),
        # The listed countries say whose day it is; each calendar's own name (AZ's begins on the 20th).
        (
            "Nowruz",
            "KZ",
            ", audience: {countries: [KZ, KG, UZ, AZ]}",
            ["KG", "AZ", "UZ"],
            [
                (
                    "c0",
                    "KG",
                    "21.03",
                    "skip",
                    "outside_audience",
                    "KG's calendar has no holiday named 'Nowruz'; it calls 21.03 'Nooruz Holiday'",
                ),
                (
                    "c1",
                    "AZ",
                    "21.03",
                    "skip",
                    "outside_audience",
                    "AZ's calendar has no holiday named 'Nowruz'; it calls 21.03 'Spring Festival'",
                ),
                ("c2", "UZ", "21.03", "send", None, ""),
            ],
        ),
        # A country the audience leaves out is told so, not about its calendar.
        (
            "Nowruz",
            "KZ",
            ", audience: {countries: [UZ]}",
            ["KZ"],
            [("c0", "KZ", "21.03", "skip", "outside_audience", "the client's country KZ is not one of: UZ")],
        ),
        # The default country has it: everyone is greeted on its day, as before — no skip.
        (
            "Nowruz Holiday",
            "KZ",
            "",
            ["UZ", "KG", None],
            [
                ("c0", "UZ", "21.03", "send", None, ""),
                ("c1", "KG", "21.03", "send", None, ""),
                ("c2", None, "21.03", "send", None, ""),
            ],
        ),
        # country: is that country's holiday, for its clients only (as before): the others are
        # outside its audience, told by the audience's words, not about their calendar.
        (
            "Nowruz",
            "KZ",
            ", country: UZ",
            ["KZ", None, "UZ"],
            [
                (
                    "c0",
                    "KZ",
                    "21.03",
                    "skip",
                    "outside_audience",
                    "the client's country KZ is not one of: UZ",
                ),
                (
                    "c1",
                    None,
                    "21.03",
                    "skip",
                    "outside_audience",
                    "the client's country KZ is not one of: UZ",
                ),
                ("c2", "UZ", "21.03", "send", None, ""),
            ],
        ),
    ],
)
def test_a_client_whose_calendar_lacks_the_holiday_is_skipped_on_its_day(
    holiday: str,
    default: str,
    extra: str,
    countries: list[str | None],
    expected: list[tuple[str, str | None, str, str, str | None, str]],
) -> None:
    assert rows(holiday, countries, default=default, extra=extra) == expected


def test_the_skip_does_not_count_against_the_cap() -> None:
    """A birthday on 22 March, a day after the refused Nowruz: sent, not kept off by min_gap_days."""
    settings = parse_settings(
        CONFIG % {"default": "KZ", "holiday": "Nowruz", "extra": ""}, "g.yaml", today=TODAY
    )
    pw = plan_window(settings, now=NOW, start=date(2027, 3, 1), days=31)
    items = list(plan([client("c0", "KZ", birthday=date(1980, 3, 22))], pw))
    found = [(i.hit.occasion, i.status, i.reason) for i in items]
    assert found == [("nauryz", "skip", "outside_audience"), ("birthday", "send", None)]


@pytest.mark.parametrize(
    ("extra", "day", "srpska"),
    [
        # The config names the Serbian countries: «Božić» is Serbia's, 7 January. Republika Srpska
        # calls that day «Božić (Pravoslavni)» (in English, as holiday: takes it, Orthodox Christmas Day).
        (", audience: {countries: [RS, ME, BA-SRP]}", "07.01", "; it calls 07.01 'Orthodox Christmas Day'"),
        # It names neither: Croatia's «Božić» — 25 December, the library's first to have the name
        # (Republika Srpska's calendar has Catholic Christmas on it).
        ("", "25.12", "; it calls 25.12 'Catholic Christmas Day'"),
    ],
)
def test_the_serbian_holiday_under_a_russian_default(extra: str, day: str, srpska: str) -> None:
    """«Božić» is Serbia's Latin name: Montenegro's calendar has no holiday of that name, Republika
    Srpska's says «Božić (Pravoslavni)»: both are skipped, saying so; the client in Serbia is greeted."""
    settings = parse_settings(
        CONFIG % {"default": "RU", "holiday": "Božić", "extra": extra}, "g.yaml", today=date(2026, 12, 1)
    )
    pw = plan_window(settings, now=datetime(2026, 12, 1, 6, tzinfo=UTC), start=date(2026, 12, 1), days=45)
    items = list(plan([client("c0", "ME"), client("c1", "BA-SRP"), client("c2", "RS")], pw))
    found = [(i.hit.contact.country, f"{i.hit.date:%d.%m}", i.status, i.reason, i.detail) for i in items]
    assert found == [
        ("ME", day, "skip", "outside_audience", "ME's calendar has no holiday named 'Božić'"),
        (
            "BA-SRP",
            day,
            "skip",
            "outside_audience",
            f"BA-SRP's calendar has no holiday named 'Božić'{srpska}",
        ),
        ("RS", "07.01", "send", None, ""),
    ]


def test_the_words_in_a_russian_gallery() -> None:
    assert russian_detail(not_in_calendar("KZ", "Nowruz", date(2027, 3, 21))) == (
        "в календаре KZ нет праздника «Nowruz»; 21.03 в нём — «Nowruz Holiday»"
    )
    assert russian_detail("ME's calendar has no holiday named 'Božić'") == (
        "в календаре ME нет праздника «Božić»"
    )


def test_preview_shows_the_kazakh_client_skipped(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(
        [
            contact_row("1", "kz@example.com", tz="Asia/Almaty", country="KZ"),
            contact_row("2", "uz@example.com", tz="Asia/Tashkent", country="UZ"),
        ],
        defaults={"country": "KZ", "timezone": "Asia/Almaty"},
        occasions=[{"name": "nauryz", "holiday": "Nowruz", "template": "holiday", "priority": 40}],
    )
    result = CliRunner().invoke(
        main,
        [
            "preview",
            "--config",
            str(config),
            "--json",
            "--now",
            "2027-03-01T09:00:00+05:00",
            "--from",
            "2027-03-15",
            "--days",
            "14",
            "--occasion",
            "nauryz",
        ],
    )
    assert result.exit_code == 0, result.output
    items = {i["contact_id"]: i for i in json.loads(result.stdout)}
    assert items["1"]["status"] == "skip", items
    assert items["1"]["reason"] == "outside_audience"
    assert items["1"]["detail"] == KZ_NOWRUZ
    assert items["2"]["status"] == "send"
