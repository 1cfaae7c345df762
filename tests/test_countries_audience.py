"""Clients in several countries: a national holiday reaches its own country's clients, once a year."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.addressing import decline
from greeter.company_names import company_name
from greeter.config import Sender, Settings
from greeter.config_loader import load_settings, parse_settings
from greeter.contacts import Contact
from greeter.country_zones import country_zone
from greeter.letter_forms import salutation
from greeter.occasions import holiday_dates
from greeter.plan_types import Hit, PlanItem
from greeter.planner import plan, plan_window
from greeter.render import Renderer
from greeter.review import Envelope
from greeter.sources import load_contacts
from tests.conftest import TODAY, MakeProject, contact_row

UTC = ZoneInfo("UTC")
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "i18n"
SENDER = Sender(name="ООО «Ромашка»", email="hello@romashka.example", company="ООО «Ромашка»")

CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
contacts: {path: c.csv, columns: {country: Country}}
occasions:
%s
"""


def settings_of(*occasions: str) -> Settings:
    return parse_settings(CONFIG % "\n".join(f"  - {o}" for o in occasions), "g.yaml", today=TODAY)


def client(cid: str, country: str | None) -> Contact:
    return Contact(id=cid, email=f"c{cid}@example.com", first_name="A", country=country)


CLIENTS = [
    client("ru", "RU"),
    client("rs", "RS"),
    client("hu", "HU"),
    client("ee", "EE"),
    client("none", None),
]


def planned(
    settings: Settings, start: date, days: int
) -> dict[tuple[str, str], list[tuple[date, str, str | None]]]:
    pw = plan_window(
        settings, now=datetime(start.year, start.month, start.day, tzinfo=UTC), start=start, days=days
    )
    out: dict[tuple[str, str], list[tuple[date, str, str | None]]] = {}
    for item in plan(CLIENTS, pw):
        out.setdefault((item.hit.contact.id, item.hit.occasion), []).append(
            (item.hit.date, item.status, item.reason)
        )
    return out


def test_a_national_holiday_reaches_only_its_countrys_clients() -> None:
    s = settings_of('{name: rs_statehood, holiday: "Statehood Day", country: RS, template: holiday}')
    got = planned(s, date(2027, 2, 10), 14)
    assert got[("rs", "rs_statehood")] == [(date(2027, 2, 15), "send", None)]
    for other in ("ru", "hu", "ee", "none"):  # a contact without a country is in defaults.country (RU)
        assert got[(other, "rs_statehood")] == [(date(2027, 2, 15), "skip", "outside_audience")]


def test_audience_countries_filters_any_occasion() -> None:
    s = settings_of('{name: promo, date: "03-02", template: t, audience: {countries: [HU, EE]}}')
    got = planned(s, date(2027, 3, 1), 3)
    assert {cid for (cid, _), items in got.items() if items[0][1] == "send"} == {"hu", "ee"}
    assert got[("ru", "promo")][0][2] == "outside_audience"


def test_the_skip_says_which_country() -> None:
    s = settings_of('{name: rs_statehood, holiday: "Statehood Day", country: RS, template: holiday}')
    pw = plan_window(s, now=datetime(2027, 2, 10, tzinfo=UTC), start=date(2027, 2, 10), days=14)
    [item] = list(plan([client("hu", "HU")], pw))
    assert item.detail == "the client's country HU is not one of: RS"


def test_a_holiday_without_country_is_each_clients_own() -> None:
    """Christmas is 25 December in Hungary and Estonia, 7 January in Russia (the default)."""
    s = settings_of('{name: christmas, holiday: "Christmas Day", template: holiday}')
    got = planned(s, date(2026, 12, 20), 25)
    days = {
        c.id: [d for d, status, _ in got.get((c.id, "christmas"), []) if status == "send"] for c in CLIENTS
    }
    assert days["hu"] == [date(2026, 12, 25)]
    assert days["ee"] == [date(2026, 12, 25)]
    assert days["ru"] == days["none"] == [date(2027, 1, 7)]
    # Serbia calls it "Orthodox Christmas Day": no holiday of that name, the default country's date.
    assert days["rs"] == [date(2027, 1, 7)]


def test_a_holiday_of_several_days_is_one_occasion_on_its_first_day() -> None:
    assert holiday_dates("RS", "Statehood Day", 2027) == (date(2027, 2, 15),)
    assert holiday_dates("RS", "Дан државности Србије", 2027) == (date(2027, 2, 15),)
    # 1–6 and 8 January, Christmas on the 7th between them: one holiday.
    assert holiday_dates("RU", "Новогодние каникулы", 2027) == (date(2027, 1, 1),)
    assert holiday_dates("RS", "New Year's Day", 2027) == (date(2027, 1, 1),)
    assert holiday_dates("HU", "Christmas Day", 2027) == (date(2027, 12, 25),)


def test_a_holiday_of_several_days_is_one_letter() -> None:
    s = settings_of('{name: ny, holiday: "Новогодние каникулы", template: holiday}')
    got = planned(s, date(2026, 12, 28), 14)
    items = got[("ru", "ny")]
    assert [(d, st) for d, st, _ in items] == [(date(2027, 1, 1), "send")]


@pytest.mark.parametrize("text", ["{countries: [RS]}", "{countries: [GB-ENG, RS]}"])
def test_audience_countries_is_a_known_key(text: str) -> None:
    s = settings_of(f'{{name: x, date: "03-02", template: t, audience: {text}}}')
    assert s.occasions[0].countries is not None


# --------------------------------------------------------------------------- a zone from the country


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("RS", "Europe/Belgrade"),
        ("HU", "Europe/Budapest"),
        ("EE", "Europe/Tallinn"),
        ("DE", "Europe/Berlin"),  # Büsingen's zone keeps Berlin's time
        ("GB-ENG", "Europe/London"),
        ("RU", None),  # eleven times: the default stays
        ("US", None),
        (None, None),
    ],
)
def test_a_country_of_one_time_gives_its_zone(country: str | None, zone: str | None) -> None:
    assert country_zone(country) == zone


def test_a_row_without_a_zone_takes_its_countrys(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "a@example.com", tz="", country="Венгрия"),
        contact_row("2", "b@example.com", tz="", country="EE"),
        contact_row("3", "c@example.com", tz="Europe/Moscow", country="HU"),  # the row's own zone wins
        contact_row("4", "d@example.com", tz="", country="US"),
        contact_row("5", "e@example.com", tz="", country="Соединенные Штаты"),
        contact_row("6", "f@example.com", tz=""),
    ]
    config = make_project(rows)
    settings = load_settings(config, today=TODAY)
    contacts, _ = load_contacts(settings.contacts, settings.defaults)
    assert [c.timezone for c in contacts] == [
        "Europe/Budapest",
        "Europe/Tallinn",
        "Europe/Moscow",
        None,
        None,
        None,
    ]
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-03-01T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    warnings = [line for line in result.stderr.splitlines() if "no time zone" in line]
    assert len(warnings) == 1, result.stderr
    assert (
        ": contacts.columns.timezone: warning: 2 contact(s) in US have no time zone, and US has several time "
        "zones (America/New_York, America/Detroit, America/Kentucky/Louisville, America/Kentucky/Monticello "
        "and 25 more): their letters are timed in defaults.timezone Europe/Moscow; fill the column 'Часовой пояс'"
    ) in warnings[0]
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- the sender in a letter's language


def test_a_by_locale_key_signs_letters_of_its_language_and_script() -> None:
    sender = Sender(
        name="ООО «Ромашка»",
        email="hello@romashka.example",
        company="ООО «Ромашка»",
        by_locale={"hu_HU": {"name": "Romashka Kft."}, "sr_Latn": {"name": "Romashka d.o.o."}, "et": {}},
    )
    assert sender.in_locale("hu") == ("Romashka Kft.", "ООО «Ромашка»")  # a hu_HU key, a hu letter
    assert sender.in_locale("hu_HU") == ("Romashka Kft.", "ООО «Ромашка»")
    assert sender.in_locale("sr_Latn_RS") == ("Romashka d.o.o.", "ООО «Ромашка»")
    assert sender.in_locale("sr") == ("ООО «Ромашка»", "ООО «Ромашка»")  # Cyrillic: never the Latin key
    assert sender.in_locale("ru") == ("ООО «Ромашка»", "ООО «Ромашка»")


def hungarian(cid: str, email: str, locale: str = "hu") -> str:
    cells = contact_row(cid, email, last="Kovács", first="Béla", patronymic="", birthday="02.03.1980").split(
        ";"
    )
    cells[8] = locale  # the locale column
    return ";".join(cells)


def test_check_warns_where_letters_are_signed_in_another_script(make_project: MakeProject) -> None:
    rows = [
        hungarian("1", "a@example.hu"),
        hungarian("2", "b@example.hu", "hu_HU"),
        contact_row("3", "c@x.ru"),
        # config.example.yaml signs Cyrillic Serbian letters "Romashka LLC" on purpose: no warning for those.
        hungarian("4", "d@example.rs", "sr"),
    ]
    config = make_project(rows)
    # The example signs Hungarian letters "Romashka LLC" (sender.by_locale.hu): this project does not.
    unsigned, found = re.subn(r"\n    hu:[^\n]*\n      name: [^\n]*\n      company: [^\n]*", "",
                              config.read_text(encoding="utf-8"))  # fmt: skip
    assert found == 1
    config.write_text(unsigned, encoding="utf-8")
    shutil.copy(DATA / "birthday.hu.j2", config.parent / "templates")
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-03-01T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    warnings = [line for line in result.stderr.splitlines() if "signed with" in line]
    assert len(warnings) == 1, result.stderr
    assert (
        ": sender.by_locale: warning: 2 contact(s) get letters in 'hu' (written in Latin) signed with "
        "sender.name 'ООО «Ромашка»' and sender.company 'ООО «Ромашка»': add sender.by_locale.hu"
    ) in warnings[0]
    assert result.returncode == 0, result.stderr
    # A key as the CRM writes the locale (hu_HU) signs the bare 'hu' letters too: no warning.
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "  by_locale:\n", "  by_locale:\n    hu_HU: {name: Romashka Kft., company: Romashka Kft.}\n"
        ),
        encoding="utf-8",
    )
    again = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-03-01T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert "signed with" not in again.stderr, again.stderr
    assert again.returncode == 0, again.stderr


# --------------------------------------------------------------------------- Hungarian name order


def test_a_hungarian_name_is_family_name_first_everywhere(tmp_path: Path) -> None:
    """The salutation said "Tisztelt Kovács Béla" while the To: header and {{ contact }} said "Béla Kovács"."""
    bela = Contact(id="1", email="bela@example.hu", first_name="Béla", last_name="Kovács", locale="hu_HU")
    ivan = Contact(id="2", email="i@x.ru", first_name="Иван", patronymic="Петрович", last_name="Сидоров")
    assert bela.display_name == "Kovács Béla"
    assert ivan.display_name == "Иван Петрович Сидоров"
    assert decline(bela, "nominative", parts="full") == "Kovács Béla"
    assert decline(ivan, "genitive", parts="full") == "Ивана Петровича Сидорова"
    assert salutation(bela, "hu") == "Tisztelt Kovács Béla"
    assert Envelope.of(bela, SENDER, "hu").to_name == "Kovács Béla"
    (tmp_path / "t.hu.j2").write_text(
        "{% block subject %}{{ contact }}{% endblock %}"
        "{% block text %}{{ contact.full_name }} / {{ contact|name('nominative', 'full') }}{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "t.j2").write_text("{% block subject %}x{% endblock %}{% block text %}x{% endblock %}")
    hit = Hit(bela, "t", date(2027, 3, 2), None, 50, "t")
    rendered = Renderer(tmp_path, SENDER).render(PlanItem(hit, "send"))
    assert (rendered.subject, rendered.text.strip()) == ("Kovács Béla", "Kovács Béla / Kovács Béla")


# --------------------------------------------------------------------------- company names quoted as the letter's language does


@pytest.mark.parametrize(
    ("name", "language", "written"),
    [
        ("Дунав д.о.о.", "sr", "„Дунав“ д.о.о."),  # the legal form outside the quotes
        ("Sava d.o.o.", "sr", "„Sava“ d.o.o."),  # a Serbian letter quotes a Latin name too
        ("Duna Kft.", "hu", "Duna Kft."),  # Hungarian and Estonian write a firm name bare
        ("Tallinna Kaubamaja AS", "et", "Tallinna Kaubamaja AS"),
        ("ООО Тест3", "sr", "ООО „Тест3“"),
        ("Kats GmbH", "en", "Kats GmbH"),
        ("Рога и Копыта", "ru", "«Рога и Копыта»"),  # Russian as before
        ("Kats GmbH", "ru", "Kats GmbH"),
        ("ИП Кузнецов Д. С.", "sr", "ИП Кузнецов Д. С."),
    ],
)
def test_a_company_is_quoted_as_the_letters_language_quotes(name: str, language: str, written: str) -> None:
    assert company_name(name, language) == written


def test_the_shipped_serbian_template_quotes_the_serbian_way() -> None:
    serbian = {"sr": {"name": "Ромашка д.о.о.", "company": "Ромашка д.о.о."}}
    renderer = Renderer(
        ROOT / "templates", Sender.model_validate({**SENDER.model_dump(), "by_locale": serbian})
    )
    for company, quoted in (("Дунав д.о.о.", "„Дунав“ д.о.о."), ("Sava d.o.o.", "„Sava“ d.o.o.")):
        milan = Contact(id="1", email="m@example.rs", first_name="Милан", last_name="Петровић", company=company,
                        locale="sr")  # fmt: skip
        text = renderer.render(
            PlanItem(Hit(milan, "birthday", date(2027, 12, 4), 52, 100, "birthday"), "send")
        ).text
        assert f"компанији {quoted} даљи раст" in text
        assert "«" not in text


def test_check_warns_about_an_occasions_country_no_contact_is_in(make_project: MakeProject) -> None:
    config = make_project(
        [contact_row("1", "a@example.com", country="RS"), contact_row("2", "b@example.com")]
    )
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "# The rule of six",
            '- {name: me_statehood, holiday: "Statehood Day", country: ME, template: holiday}\n'
            '- {name: promo, date: "05-20", template: holiday, audience: {countries: [RS, HU]}}\n'
            "# The rule of six",
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-03-01T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    warnings = [line for line in result.stderr.splitlines() if "no contact is in country" in line]
    assert len(warnings) == 2, result.stderr
    assert (
        ": occasions.6.country: warning: no contact is in country 'ME' (the contacts' countries: RS, RU)"
        in (warnings[0])
    )
    assert ": occasions.7.audience.countries: warning: no contact is in country 'HU'" in warnings[1]
    assert result.returncode == 0, result.stderr
