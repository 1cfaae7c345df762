"""Holiday names the tables had wrong: a day off named as a holiday, a name missing, a name misspelt.

Japan's 振替休日 ("Substitute Holiday", a Monday off for a holiday that fell on a Sunday) was a holiday
to greet, offer and name («it calls 06.05 'Substitute Holiday'»); Kazakhstan's calendar had no
Russian names, an official language there, so a Russian letter of an untitled International
Women's Day named no feast; Georgia's Mtskhetoba was named in the genitive («მცხეთობის»). And a
region closed on its own country's Carnival was closed on the Monday alone. Real library tables,
real projects (the shipped config and templates copied) where a letter is rendered.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.calendar_rules import build_calendar
from greeter.config_loader import parse_settings
from greeter.holiday_names import unknown_holiday
from greeter.holiday_tables import days_of, greeted_days_of, names_in
from greeter.occasions import holiday_dates, holiday_near, holiday_title, known_holidays
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_config import MINIMAL
from tests.test_holiday_library_titles import MTSKHETOBA, georgian_project, subjects

# --------------------------------------------------------------------------- Japan's substitute days


@pytest.mark.parametrize(
    ("country", "day", "name"),
    [
        ("JP", date(2026, 5, 6), "Substitute Holiday"),  # Constitution Day fell on a Sunday
        ("JP", date(2027, 3, 22), "振替休日"),  # the Vernal Equinox Day's, by its Japanese name
        ("JP", date(2026, 9, 22), "National Holiday"),  # 国民の休日: a weekday between two holidays
        ("BW", date(2027, 5, 3), "Labour Day Holiday"),  # Labour Day fell on a Saturday
    ],
)
def test_a_day_off_the_observed_rule_adds_under_its_own_name_is_no_holiday(
    country: str, day: date, name: str
) -> None:
    """As "Victory Day (observed)" is: a day off (the send window keeps it), not a holiday to greet,
    to offer, or to name as the holiday a client's calendar has on a day."""
    (moved,) = greeted_days_of(country, day.year)[day]
    assert name in moved.names and moved.substitute
    assert day in days_of(country, day.year)
    assert not build_calendar(
        parse_settings(MINIMAL, "greeter.yaml", today=TODAY).send_window, country, [day.year]
    ).is_working_day(day)
    assert holiday_dates(country, name, day.year) == ()
    assert not [n for n in known_holidays(country, [day.year]) if name in n]
    assert unknown_holiday(name, country, [day.year]) is not None
    assert holiday_near(country, day, 0) is None  # «JP's calendar … it calls 06.05 'Substitute Holiday'»


def test_japans_own_holidays_stay_holidays() -> None:
    """Only the days the observed rule adds: Constitution Day itself is greeted on its Sunday."""
    assert holiday_dates("JP", "Constitution Day", 2026) == (date(2026, 5, 3),)
    assert holiday_near("JP", date(2026, 5, 6), 1) == ("Children's Day", date(2026, 5, 5))


# --------------------------------------------------------------------------- Russian names


def test_kazakhstans_womens_day_has_its_russian_name() -> None:
    """The library has no Russian of Kazakhstan's calendar: the name is its Russian of the same
    English name in the other calendars where Russian is official (Russia's, Kyrgyzstan's)."""
    (womens_day,) = greeted_days_of("KZ", 2027)[date(2027, 3, 8)]
    assert dict(womens_day.named)["ru"] == "Международный женский день"
    assert holiday_title("International Women's Day", "KZ", "KZ", date(2027, 3, 8), "ru") == (
        "Международный женский день"
    )
    assert unknown_holiday("Международный женский день", "KZ", [2027]) is None
    assert holiday_dates("KZ", "Международный женский день", 2027) == (date(2027, 3, 8),)


def test_a_russian_name_one_other_calendar_alone_gives_is_not_taken() -> None:
    """Kyrgyzstan's "Independence Day" is «День независимости Кыргызской Республики»: not Kazakhstan's."""
    (independence,) = greeted_days_of("KZ", 2027)[date(2027, 12, 16)]
    assert "ru" not in dict(independence.named)
    assert not [n for n in independence.names if "Кыргыз" in n]


def test_kyrgyzstans_calendar_is_named_in_its_russian() -> None:
    """The library translates Kyrgyzstan's calendar into ``ru_KG``, not ``ru``: it was not asked."""
    (womens_day,) = greeted_days_of("KG", 2027)[date(2027, 3, 8)]
    assert dict(womens_day.named)["ru"] == "Международный женский день"


def test_names_in_gives_the_tables_russian_where_the_library_has_no_russian_of_the_calendar() -> None:
    """``names_in`` (``init``'s example titles in the other languages) asked the library alone, which
    has no ``ru`` of Kazakhstan's calendar and names Kyrgyzstan's ``ru_KG``: the Russian names the
    tables carry (and letters use, :func:`holiday_title`) were never offered where Russian was asked."""
    womens_day = "Международный женский день"
    assert names_in("KZ", "International Women's Day", 2027, ["ru"]) == {"ru": womens_day}
    assert names_in("KZ", womens_day, 2027, ["en", "ru"]) == {
        "en": "International Women's Day",
        "ru": womens_day,
    }
    assert names_in("KG", "International Women's Day", 2027, ["ru"]) == {"ru": womens_day}
    assert names_in("KZ", "Independence Day", 2027, ["ru"]) == {}  # the tables take no Russian of it
    assert names_in("RS", "Дан државности", 2027, ["en", "ru"]) == {"en": "Statehood Day"}  # none there


#: A Russian holiday letter that names the holiday by its title.
HOLIDAY_RU = """\
{% extends "_layout.html.j2" %}
{% block subject %}Поздравляем: {{ occasion_title }}!{% endblock %}
{% block heading %}{{ occasion_title }}{% endblock %}
{% block message %}
Поздравляем с праздником — {{ occasion_title }}!
{% endblock %}
"""


def test_a_russian_letter_names_kazakhstans_womens_day(make_project: MakeProject) -> None:
    """An Almaty office's untitled occasion: its Russian letter named no feast."""
    rows = [contact_row("r1", "r1@example.kz", tz="Asia/Almaty", country="KZ")]
    occasion = {"name": "womens", "holiday": "International Women's Day", "template": "named", "priority": 40}
    config = make_project(rows, occasions=[occasion], defaults={"country": "KZ", "timezone": "Asia/Almaty"})
    (config.parent / "templates" / "named.j2").write_text(HOLIDAY_RU, encoding="utf-8")
    assert subjects(config, date(2028, 3, 8))["r1"] == "Поздравляем: Международный женский день!"


# --------------------------------------------------------------------------- Georgia's Mtskhetoba


def test_mtskhetoba_is_named_not_in_the_genitive() -> None:
    """holidays 0.109 names 14 October «მცხეთობის» (of Mtskhetoba): the feast is «მცხეთობა»; the
    library's word stays a name of it."""
    (mtskhetoba,) = greeted_days_of("GE", 2027)[date(2027, 10, 14)]
    assert mtskhetoba.names[:2] == (MTSKHETOBA, "მცხეთობა")
    assert dict(mtskhetoba.named)["ka"] == "მცხეთობა"
    for name in ("მცხეთობა", "მცხეთობის", MTSKHETOBA):
        assert unknown_holiday(name, "GE", [2027]) is None, name
        assert holiday_dates("GE", name, 2027) == (date(2027, 10, 14),), name


def test_a_georgian_letter_names_mtskhetoba(make_project: MakeProject) -> None:
    """«გილოცავთ: მცხეთობის!» («Congratulations: of Mtskhetoba!») was the Georgian letter's subject."""
    config = georgian_project(
        make_project, {"name": "mtskhetoba", "holiday": MTSKHETOBA, "template": "holiday", "priority": 40}
    )
    assert subjects(config, date(2027, 10, 14))["k1"] == "გილოცავთ: მცხეთობა!"


# --------------------------------------------------------------------------- Brazil's Carnival

CARNIVAL = """\
send_window:
  regional_days_off:
    BR: {holidays_of: {country: BR, names: ["Carnival"]}}
"""


@pytest.mark.parametrize("day", [date(2027, 2, 8), date(2027, 2, 9), date(2028, 2, 28), date(2028, 2, 29)])
def test_an_office_closed_for_its_own_carnival_is_closed_both_days(day: date) -> None:
    """``holidays_of`` naming the region's own country's holiday: every day of it (a São Paulo office's
    Carnival Tuesday was a working day); another country's stays its first day (Kazan's Eid)."""
    window = parse_settings(MINIMAL + CARNIVAL, "greeter.yaml", today=TODAY).send_window
    assert not build_calendar(window, "BR", range(2027, 2029)).is_working_day(day)
    assert not build_calendar(window, "BR", range(2020, 2021)).is_working_day(day)  # a year not built
    assert build_calendar(window, "BR", range(2027, 2029)).is_working_day(date(2027, 2, 10))  # Ash Wednesday


def test_carnival_is_greeted_once() -> None:
    """The letter of a two-day holiday leaves once, on its first day (as Russia's New Year holidays)."""
    assert holiday_dates("BR", "Carnival", 2027) == (date(2027, 2, 8),)


# --------------------------------------------------------------------------- Serbia's Latin names


def test_serbias_latin_names_keep_each_holidays_day_off_flag() -> None:
    """``_serbian_latin`` rebuilt each holiday from its names, substitute and estimate flags alone:
    ``day_off`` fell back to its default, so a day Serbia celebrates at work (a ``workday``
    category's, as Ukraine's are) would have become a day off the send window skips. Serbia's days
    off stay days off, whatever script a config names them in."""
    from greeter.holiday_naming import Holiday, _serbian_latin

    at_work = Holiday(("Some Day", "Неки дан"), day_off=False, named=(("en", "Some Day"), ("sr", "Неки дан")))
    off = Holiday(("Orthodox Christmas Day", "Божић"), named=(("en", "Orthodox Christmas Day"),))
    table = _serbian_latin({date(2027, 1, 7): (off,), date(2027, 6, 1): (at_work,)})
    assert [h.day_off for h in table[date(2027, 6, 1)]] == [False]
    assert [(h.day_off, h.named) for h in table[date(2027, 1, 7)]] == [(True, off.named)]
    assert "Neki dan" in table[date(2027, 6, 1)][0].names
    christmas = date(2027, 1, 7)
    assert christmas in days_of("RS", 2027)
    window = parse_settings(MINIMAL, "greeter.yaml", today=TODAY).send_window
    assert not build_calendar(window, "RS", [2027]).is_working_day(christmas)
    assert holiday_dates("RS", "Božić", 2027) == holiday_dates("RS", "Божић", 2027) == (christmas,)
