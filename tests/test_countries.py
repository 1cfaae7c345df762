"""A contact's country: its public holidays are the contact's days off (pure, as tables)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Defaults, Settings, config_countries
from greeter.config_contacts import Columns, ContactsSource
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.countries import parse_country, regional_days_off
from greeter.planner import plan, plan_window
from greeter.sources import load_contacts
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_contacts_load import source
from tests.test_planner import CONFIG, local_ok

MSK = ZoneInfo("Europe/Moscow")
#: A CRM export with a country column (cells: codes, names, regions) and a zone column.
COUNTRY_HEADER = "ID;Email;Имя;Страна;Часовой пояс;Дата рождения"
COUNTRY_COLUMNS = Columns(
    id="ID", email="Email", first_name="Имя", patronymic=None, last_name=None, country="Страна",
    timezone="Часовой пояс",
)  # fmt: skip


@pytest.fixture(scope="module")
def settings() -> Settings:
    return parse_settings(
        CONFIG.replace("  dates:", "  columns: {country: C}\n  dates:"), "g.yaml", today=TODAY
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("KZ", "KZ"),
        ("kz", "KZ"),
        (" Казахстан ", "KZ"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Великобритания", "GB"),
        ("РФ", "RU"),
        ("Россия", "RU"),
        ("Германия", "DE"),
        ("Сербия", "RS"),
        ("Венгрия", "HU"),
        ("Эстония", "EE"),
        # a region, as ISO 3166-2 writes it, and the UK's nations by name
        ("GB-ENG", "GB-ENG"),
        ("gb-sct", "GB-SCT"),
        ("UK-WLS", "GB-WLS"),
        ("US-NY", "US-NY"),
        ("DE-BY", "DE-BY"),
        ("Англия", "GB-ENG"),
        ("England", "GB-ENG"),
        ("Шотландия", "GB-SCT"),
        ("Northern Ireland", "GB-NIR"),
        # the three-letter codes some CRMs export (ISO 3166-1 alpha-3)
        ("RUS", "RU"),
        ("isr", "IL"),
        ("DEU", "DE"),
        ("USA", "US"),
        ("", None),
    ],
)
def test_codes_and_names_crms_export_are_understood(raw: str, code: str | None) -> None:
    assert parse_country(raw) == (code, "")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("Нарния", "is not a country code"),
        ("XX", "no public-holiday calendar for country 'XX'"),
        ("GB-XXX", "GB has no region 'XXX' in its public-holiday calendar (its regions: GB-ENG, GB-NIR,"),
        ("RU-MOW", "RU has one public-holiday calendar for the whole country: write 'RU'"),
    ],
)
def test_an_unknown_country_is_said_why(raw: str, why: str) -> None:
    code, message = parse_country(raw)
    assert code is None and why in message


def person(cid: str, tz: str, country: str | None, **dates: date) -> Contact:
    return Contact(
        id=cid, email=f"{cid}@example.com", first_name="Иван", timezone=tz, country=country,
        dates=MappingProxyType(dates),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("tz", "country", "birthday", "leaves"),
    [
        # 23 February 2027 (Tuesday): a day off in Russia, a working day in London and Berlin
        ("Europe/Moscow", None, date(1980, 2, 23), date(2027, 2, 19)),  # the Friday before (22nd is off)
        ("Europe/Moscow", "RU", date(1980, 2, 23), date(2027, 2, 19)),
        ("Europe/London", "GB", date(1980, 2, 23), date(2027, 2, 23)),
        ("Europe/Berlin", "DE", date(1980, 2, 23), date(2027, 2, 23)),
        # Nauryz, 22 March 2027 (Monday), is a day off in Kazakhstan, not in Russia
        ("Asia/Almaty", "KZ", date(1980, 3, 22), date(2027, 3, 19)),
        ("Asia/Almaty", None, date(1980, 3, 22), date(2027, 3, 22)),
        # Good Friday, 26 March 2027, a bank holiday in the whole United Kingdom
        ("Europe/London", "GB", date(1980, 3, 26), date(2027, 3, 25)),
        ("Europe/London", None, date(1980, 3, 26), date(2027, 3, 26)),
        # Easter Monday, 29 March 2027: a bank holiday in England, not in Scotland — and not in
        # the UK-wide calendar (what `greeter check` warns about)
        ("Europe/London", "GB-ENG", date(1980, 3, 29), date(2027, 3, 25)),  # Good Friday is off too
        ("Europe/London", "GB-SCT", date(1980, 3, 29), date(2027, 3, 29)),
        ("Europe/London", "GB", date(1980, 3, 29), date(2027, 3, 29)),
        # the late summer bank holiday, 30 August 2027 in England (Scotland's was on the 2nd)
        ("Europe/London", "GB-ENG", date(1980, 8, 30), date(2027, 8, 27)),
    ],
)
def test_a_birthday_on_the_recipients_day_off_leaves_on_their_last_working_day(
    settings: Settings, tz: str, country: str | None, birthday: date, leaves: date
) -> None:
    pw = plan_window(settings, now=datetime(2027, 2, 1, 9, tzinfo=MSK), start=date(2027, 2, 1), days=240)
    [item] = [i for i in plan([person("c", tz, country, birthday=birthday)], pw) if i.status == "send"]
    assert item.send_at is not None and item.send_at.date() == leaves
    assert str(item.send_at.tzinfo) == tz
    local_ok(item.send_at, friday=leaves.weekday() == 4)


def test_without_public_holidays_no_country_has_any(settings: Settings) -> None:
    off = settings.model_copy(
        update={"send_window": settings.send_window.model_copy(update={"public_holidays": False})}
    )
    pw = plan_window(off, now=datetime(2027, 3, 1, 9, tzinfo=MSK), start=date(2027, 3, 1), days=30)
    [item] = [
        i
        for i in plan([person("k", "Asia/Almaty", "KZ", birthday=date(1980, 3, 22))], pw)
        if i.status == "send"
    ]
    assert item.send_at is not None and item.send_at.date() == date(2027, 3, 22)


def test_a_country_column_is_read_and_an_unknown_country_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "ID;Email;Имя;Страна;Дата рождения\n"
        "1;a@example.com;Айгуль;Казахстан;22.03.1980\n"
        "2;b@example.com;John;GB;23.02.1980\n"
        "3;c@example.com;Иван;;23.02.1980\n"
        "4;d@example.com;Пётр;Нарния;23.02.1980\n",
        encoding="utf-8",
    )
    cfg = ContactsSource(
        path=path,
        columns=Columns(
            id="ID", email="Email", first_name="Имя", patronymic=None, last_name=None, country="Страна"
        ),
        dates={"birthday": "Дата рождения"},
    )
    contacts, report = load_contacts(cfg, Defaults())
    assert [c.country for c in contacts] == ["KZ", "GB", None, None]  # no row is lost
    [problem] = report.problems
    assert (problem.line, problem.field, problem.severity) == (5, "Страна", "warning")
    assert "'Нарния' is not a country code" in problem.message
    assert "defaults.country apply" in problem.message


@pytest.mark.parametrize(
    ("country", "lacks"),
    [
        ("GB", ["Easter Monday", "Late Summer Bank Holiday"]),  # off in England, Wales and N. Ireland
        ("GB-ENG", []),  # the region's own calendar has them
        ("US", []),  # each state's own days are off in a minority of states
        ("DE", []),  # Reformation Day: 9 of 17 regions, not two thirds
        ("RU", []),  # no regions
    ],
)
def test_days_off_most_regions_have_and_the_country_wide_calendar_lacks(
    country: str, lacks: list[str]
) -> None:
    assert [gap.name for gap in regional_days_off(country, 2027)] == lacks


def test_check_warns_about_a_country_without_its_region_at_the_country_column(
    make_project: MakeProject,
) -> None:
    rows = [
        contact_row("1", "a@example.com", country="Великобритания"),
        contact_row("2", "b@example.com", country="UK"),
        contact_row("3", "c@example.com", country="Англия"),
    ]
    config = make_project(rows)
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-03-01T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    warnings = [line for line in result.stderr.splitlines() if "without a region" in line]
    assert len(warnings) == 1, result.stderr
    assert ": contacts.columns.country: warning: 2 contact(s) have country GB without a region" in warnings[0]
    assert "Easter Monday (29.03.2027, 3 of 4 regions)" in warnings[0]
    assert "(GB-ENG, GB-NIR, GB-SCT, GB-WLS)" in warnings[0]
    assert result.returncode == 0, result.stderr  # a warning: check still passes


def test_a_russian_name_is_found_without_reading_the_english_names() -> None:
    """Each language's names are its whole Babel locale data: English is read only when needed."""
    code = (
        "from greeter.countries import _names, parse_country\n"
        "assert parse_country('Казахстан') == ('KZ', '') and parse_country('РФ') == ('RU', '')\n"
        "print(_names.cache_info().currsize)\n"
        "assert parse_country('Germany') == ('DE', '')\n"
        "print(_names.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "2"]


def test_names_answer_as_one_table_of_both_languages_russian_spellings_first() -> None:
    """What the single merged table (Russian, then English, then CRM spellings) answered, name by name."""
    from babel import Locale

    from greeter.countries import _UK_NATIONS, _by_name

    merged: dict[str, str] = {}
    for language in ("ru", "en"):
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                merged.setdefault(name.casefold().replace("ё", "е"), code)
    merged.update({"рф": "RU", "российская федерация": "RU", "usa": "US", "сша": "US"})
    for code, spellings in _UK_NATIONS.items():
        merged.update(dict.fromkeys(spellings, code))
    assert len(merged) > 400
    assert {name: _by_name(name) for name in merged} == merged
    assert _by_name("atlantis") is None


def test_the_config_tells_a_three_letter_code_as_the_code_to_write(make_project: MakeProject) -> None:
    """``working_days_by_country: {ISR: …}`` got only "should be a two-letter country code" (QA)."""
    config = make_project(
        [], send_window={"working_days_by_country": {"ISR": ["sun", "mon", "tue", "wed", "thu"]}}
    )
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check"], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stderr
    assert (
        "send_window.working_days_by_country.ISR.[key]: 'ISR': write the country's code here, 'IL'"
        in result.stderr
    )


def test_check_cites_the_next_regional_days_off_not_this_years_past_ones(make_project: MakeProject) -> None:
    """At 6 December 2026 this year's Easter Monday (06.04) and August bank holiday are past:
    the warning cited them, while the days a plain-GB client is next greeted on are 2027's."""
    config = make_project([contact_row("1", "a@example.com", country="UK")])
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2026-12-06T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    (warning,) = [line for line in result.stderr.splitlines() if "without a region" in line]
    assert "Easter Monday (29.03.2027, 3 of 4 regions)" in warning
    assert "Late Summer Bank Holiday (30.08.2027, 3 of 4 regions)" in warning
    assert "2026" not in warning


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # Germany's Länder as a German office's CRM writes them, in English and in Russian too:
        # ISO 3166-2's names (pycountry) and the holidays library's own aliases, not a list of ours.
        ("Bayern", "DE-BY"),
        ("Bavaria", "DE-BY"),
        ("Бавария", "DE-BY"),
        ("Sachsen", "DE-SN"),
        ("Nordrhein-Westfalen", "DE-NW"),
        ("nordrhein-westfalen", "DE-NW"),
        ("Burgenland", "AT-1"),
        ("Scotland", "GB-SCT"),
    ],
)
def test_a_region_written_by_name_is_its_iso_3166_2_code(raw: str, code: str) -> None:
    assert parse_country(raw, code.partition("-")[0]) == (code, "")


@pytest.mark.parametrize(
    ("raw", "within", "code"),
    [
        ("Córdoba", "ES", "ES-AN"),  # the province (ES-CO) keeps Andalusia's days off; not Argentina's AR-X
        ("Cordoba", "ES", "ES-AN"),  # without the accent
        ("Cordoba", "AR", "AR-X"),
        ("Punjab", "PK", "PK"),  # not India's IN-PB: the library has no regions of Pakistan
        (
            "Војводина",
            "RS",
            "RS",
        ),  # a Serbian CRM in Cyrillic: iso-codes' sr translation (Serbia's one calendar)
        ("Vojvodina", "RS", "RS"),
        ("Бајерн", "DE", "DE-BY"),
        ("Baden-Wurttemberg", "DE", "DE-BW"),  # without the umlaut
        ("Bayern", "DE", "DE-BY"),
    ],
)
def test_a_region_name_is_read_within_the_rows_country(raw: str, within: str, code: str) -> None:
    assert parse_country(raw, within) == (code, "")


@pytest.mark.parametrize(
    ("raw", "within", "code"),
    [
        # QA: read before (iso-codes' sr translation), and still
        ("Војводина", "RS", "RS"),
        ("Бајерн", "DE", "DE-BY"),
        ("Саксонија", "DE", "DE-SN"),
        ("Република Српска", "BA", "BA-SRP"),
        # QA: warned "not a country code": the usual Serbian names, in both scripts
        ("Баварска", "DE", "DE-BY"),
        ("Bavarska", "DE", "DE-BY"),
        ("Хесен", "DE", "DE-HE"),
        ("Тирингија", "DE", "DE-TH"),
        ("Tiringija", "DE", "DE-TH"),
        ("Баден-Виртемберг", "DE", "DE-BW"),  # iso-codes writes «Баден Виртемберг»
        ("Baden-Virtemberg", "DE", "DE-BW"),
        ("Saksonija", "DE", "DE-SN"),  # iso-codes' sr@latin
        ("АП Војводина", "RS", "RS"),
        ("Аутономна Покрајина Војводина", "RS", "RS"),
        ("AP Vojvodina", "RS", "RS"),
        ("Kosovo i Metohija", "RS", "RS"),  # its Cyrillic was read, its Latin warned
        ("Косово и Метохија", "RS", "RS"),
        ("Корушка", "AT", "AT-2"),
    ],
)
def test_serbian_region_names_are_read_in_both_scripts(raw: str, within: str, code: str) -> None:
    """QA: «Бајерн» (iso-codes' transliteration of Bayern) was read, «Баварска» (the Serbian word)
    and every Latin spelling but ISO's own were "not a country code"."""
    assert parse_country(raw, within) == (code, "")


@pytest.mark.parametrize(
    ("raw", "within", "suggested"),
    [
        ("Bayern", "RU", "DE-BY (Bayern)"),
        ("Bayern", None, "DE-BY (Bayern)"),
        ("Central", "GB", "or 4 more?"),  # a region of eight countries, Solomon Islands among them
        ("Western", "RU", "GH (Western)"),
        ("Coast", "GB", "GQ-LI (Littoral)"),
        ("Distrito Federal", "RU", "BR-DF (Distrito Federal)"),
        ("Córdoba", "RU", "AR-X (Córdoba), CO (Córdoba) or ES-AN (Andalucía)"),  # the calendars to write
    ],
)
def test_a_region_name_of_another_country_is_no_region_but_a_suggestion(
    raw: str, within: str | None, suggested: str
) -> None:
    """QA: «Central» made a London client Solomon Islands' SB-CE, «Córdoba» in Spain Argentina's AR-X."""
    code, why = parse_country(raw, within)
    assert code is None
    assert why.startswith(f"{raw!r} is not a country code (like 'KZ') or a country name; did you mean ")
    assert suggested in why


def test_a_region_name_of_several_countries_is_the_one_of_the_rows_zones_country() -> None:
    """ "La Rioja" is Spain's (ES-RI) and Argentina's (AR-F): the zone says; without one, both are named."""
    assert parse_country("La Rioja", "ES") == ("ES-RI", "")
    assert parse_country("La Rioja", "AR") == ("AR-F", "")
    code, why = parse_country("La Rioja")
    assert code is None
    assert why == (
        "'La Rioja' is not a country code (like 'KZ') or a country name; did you mean AR-F (La Rioja)"
        " or ES-RI (La Rioja)?"
    )


def test_a_german_state_in_the_country_column_gives_its_days_off_not_the_defaults(tmp_path: Path) -> None:
    """«Bayern» warned "is not a country code … defaults.country apply": Russian days off in Munich."""
    path = tmp_path / "c.csv"
    path.write_text(
        COUNTRY_HEADER + "\n"
        "1;a@example.com;Anna;Bayern;Europe/Berlin;22.03.1980\n"
        "2;b@example.com;Jonas;Sachsen;Europe/Berlin;23.02.1980\n"
        "3;c@example.com;Lea;La Rioja;Europe/Madrid;23.02.1980\n"
        "4;d@example.com;Pablo;La Rioja;;23.02.1980\n"
        "5;e@example.com;Пётр;Нарния;;23.02.1980\n",
        encoding="utf-8",
    )
    contacts, report = load_contacts(source(path, columns=COUNTRY_COLUMNS), Defaults())
    assert [c.country for c in contacts] == ["DE-BY", "DE-SN", "ES-RI", None, None]
    assert [(p.line, p.severity) for p in report.problems] == [(5, "warning"), (6, "warning")]
    assert "did you mean AR-F (La Rioja) or ES-RI (La Rioja)?" in report.problems[0].message
    assert "'Нарния' is not a country code" in report.problems[1].message


def _region_rows(
    tmp_path: Path, rows: str, countries: tuple[str, ...] = ()
) -> tuple[list[str | None], list[str | None], list[str]]:
    """The countries, zones and warnings of contacts whose country cells hold ``rows``' (country;zone)."""
    path = tmp_path / "c.csv"
    lines = "".join(f"{n};c{n}@example.com;X;{row};22.03.1980\n" for n, row in enumerate(rows.split("|"), 1))
    path.write_text(COUNTRY_HEADER + "\n" + lines, encoding="utf-8")
    defaults = Defaults(timezone="Europe/Moscow", country="RU")
    contacts, report = load_contacts(
        source(path, columns=COUNTRY_COLUMNS), defaults, region_countries=countries
    )
    return [c.country for c in contacts], [c.timezone for c in contacts], [p.message for p in report.problems]


def test_region_names_are_read_within_the_rows_zones_country_or_the_defaults(tmp_path: Path) -> None:
    """QA: a region name of one country moved a contact abroad whatever the zone said, and «Central»
    with no zone gave the contact Pacific/Guadalcanal's clock."""
    countries, zones, warnings = _region_rows(
        tmp_path,
        "Córdoba;Europe/Madrid|Punjab;Asia/Karachi|Bayern;Europe/Berlin|Central;Europe/London|Central;"
        "|Western;|Coast;Europe/London|Distrito Federal;|Bayern;",
    )
    assert countries == ["ES-AN", "PK", "DE-BY", None, None, None, None, None, None]
    assert zones[4:6] == [None, None]  # no zone invented from a region name
    assert len(warnings) == 6
    assert all("is not a country code" in w for w in warnings)
    assert "did you mean DE-BY (Bayern)?" in warnings[-1]


def test_a_region_name_without_a_zone_is_read_in_a_country_the_config_names(tmp_path: Path) -> None:
    """A Russian company greeting German clients on German holidays (an occasion's country DE):
    «Bayern» without a zone is theirs, not a warning; a Spanish name is still refused."""
    countries, _, warnings = _region_rows(tmp_path, "Bayern;|Córdoba;", ("DE",))
    assert countries == ["DE-BY", None]
    assert len(warnings) == 1
    assert "did you mean AR-X (Córdoba), CO (Córdoba) or ES-AN (Andalucía)?" in warnings[0]


def test_the_countries_the_config_names_for_region_names(settings: Settings) -> None:
    """Occasions' countries and regional_days_off's keys, as countries."""
    occasion = settings.occasions[0]
    days = settings.send_window.regional_days_off
    named = settings.model_copy(
        update={
            "occasions": [
                occasion.model_copy(update={"country": "DE"}),
                occasion.model_copy(
                    update={"audience": occasion.audience.model_copy(update={"countries": ["AT"]})}
                ),
            ],
            "send_window": settings.send_window.model_copy(update={"regional_days_off": {"RU-TA": days}}),
        }
    )
    assert config_countries(named) == ("AT", "DE", "RU")
    assert config_countries(settings) == ()
