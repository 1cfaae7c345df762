"""A Belgrade client-care team (clients in RS, ME, BA, HU) writes Serbian the way Serbians do.

What went wrong for them: a holiday typed in Latin Serbian («Dan državnosti»)
matched Montenegro's calendar, named in Latin, and not Serbia's, named by the
library in Cyrillic — the 25 Serbian clients got nothing, ``check`` said OK;
«Božić» was "Croatia's", «Vaskrs» and «Bozic» refused with a list of Cyrillic
names. Dates read «Ваш рођендан је 12. децембар» where Serbian says
«12. децембра». «Република Српска» in the country column was no country. And
Orthodox Christmas reached the Vojvodina Hungarians, with no way to say
"only letters in Serbian".
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.audience import AudienceRule
from greeter.check_holidays import holiday_collisions
from greeter.config import Audience, Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.countries import parse_country
from greeter.errors import ConfigError
from greeter.holiday_names import meant_holiday, unknown_holiday
from greeter.i18n import format_date
from greeter.occasions import countries_having, holiday_country, holiday_dates
from greeter.planner import plan, plan_window
from tests.conftest import TODAY

YEARS = [2027, 2028]
UTC = ZoneInfo("UTC")

# --- 1. Serbia's holidays by their Latin names ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "having"),
    [
        # Latin Serbian: Serbia's too, not only its Latin-named neighbours'.
        ("Dan državnosti", ["RS", "ME", "HR"]),  # «Дан државности Србије», said without the country
        ("Дан државности", ["RS"]),
        ("Dan državnosti Srbije", ["RS"]),
        ("Praznik rada", ["RS", "ME", "HR"]),
        ("Božić", ["RS", "HR"]),
        ("Vaskrs", ["RS"]),
        ("Drugi dan Vaskrsa", ["RS"]),
        ("Veliki petak", ["RS"]),
        ("Nova godina", ["RS", "ME", "HR"]),
        ("Dan primirja u Prvom svetskom ratu", ["RS"]),
        # typed without diacritics: Serbia's only (its neighbours' names keep theirs)
        ("Bozic", ["RS"]),
        ("Dan drzavnosti", ["RS"]),
        ("bozic", ["RS"]),
        # as before
        ("Божић", ["RS"]),
        ("Orthodox Christmas Day", ["RS"]),
        ("Statehood Day", ["RS", "ME", "HR"]),
        ("Praznik rada (slobodan dan)", []),  # a moved day off is no holiday name, in Latin either
        ("Dan drzavnosti Hrvatske", []),
    ],
)
def test_serbian_holidays_are_found_by_their_latin_names(name: str, having: list[str]) -> None:
    assert countries_having(name, ["RS", "ME", "HR", "HU"], YEARS) == having


@pytest.mark.parametrize(
    ("name", "client", "whose", "days"),
    [
        # one name, each client's own country's day
        ("Dan državnosti", "RS", "RS", (date(2027, 2, 15),)),
        ("Dan državnosti", "ME", "ME", (date(2027, 7, 13),)),
        ("Dan državnosti", "HR", "HR", (date(2027, 5, 30),)),
        ("Dan drzavnosti", "ME", "RS", (date(2027, 2, 15),)),  # ME has no such spelling: the default's
        ("Božić", "RS", "RS", (date(2027, 1, 7),)),
        ("Božić", "HR", "HR", (date(2027, 12, 25),)),
        ("Bozic", "RS", "RS", (date(2027, 1, 7),)),
        ("Vaskrs", "RS", "RS", (date(2027, 5, 2),)),
        ("Praznik rada", "RS", "RS", (date(2027, 5, 1),)),
        ("Praznik rada", "ME", "ME", (date(2027, 5, 1),)),
    ],
)
def test_a_holiday_name_is_dated_by_each_clients_country(
    name: str, client: str, whose: str, days: tuple[date, ...]
) -> None:
    calendar = holiday_country(name, client, "RS", range(2027, 2028))
    assert (calendar, holiday_dates(calendar, name, 2027)) == (whose, days)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Bozc", "Bozic"),
        ("Vaskrsx", "Vaskrs"),
        ("Dan drzavnost", "Dan drzavnosti"),
        ("Božic", "Božić"),
        ("Дан државност", "Дан државности"),
        ("7. јануара", "Божић"),  # a day in the genitive, as Serbian writes it
        ("15. фебруар", "Дан државности Србије"),  # the Cyrillic name, not a Latin one after it
    ],
)
def test_a_misspelt_serbian_holiday_is_told_the_one_meant(typed: str, meant: str) -> None:
    assert meant_holiday(typed, "RS", YEARS) == meant


def test_the_list_of_serbias_holidays_names_them_in_latin_too() -> None:
    refusal = unknown_holiday("Slava", "RS", YEARS) or ""
    assert "Orthodox Christmas Day / Божић / Božić;" in refusal, refusal
    assert "Easter Sunday / Васкрс / Vaskrs;" in refusal, refusal
    assert "Bozic" not in refusal, refusal  # accepted, not listed: it only drops the diacritics


SERBIAN_CONFIG = """\
sender: {name: Dunav, email: cestitke@dunav.example}
defaults: {country: RS, locale: sr, timezone: Europe/Belgrade}
contacts: {path: c.csv, columns: {country: Country, locale: Jezik}}
occasions:
%s
"""


def serbian_settings(*occasions: str) -> Settings:
    return parse_settings(SERBIAN_CONFIG % "\n".join(f"  - {o}" for o in occasions), "g.yaml", today=TODAY)


def client(cid: str, country: str | None, locale: str | None = None) -> Contact:
    return Contact(id=cid, email=f"c{cid}@example.com", first_name="A", country=country, locale=locale)


def sent_days(settings: Settings, clients: list[Contact], start: date, days: int) -> dict[str, list[date]]:
    pw = plan_window(
        settings, now=datetime(start.year, start.month, start.day, tzinfo=UTC), start=start, days=days
    )
    out: dict[str, list[date]] = {c.id: [] for c in clients}
    for item in plan(clients, pw):
        if item.status == "send":
            out[item.hit.contact.id].append(item.hit.date)
    return out


def test_statehood_day_in_latin_greets_serbian_clients_on_serbias_day() -> None:
    """The persona's config: 25 Serbian clients got nothing, the 2 Montenegrin ones 13 July."""
    s = serbian_settings('{name: drzavnost, holiday: "Dan državnosti", template: holiday}')
    clients = [client("rs", "RS"), client("me", "ME"), client("none", None)]
    got = sent_days(s, clients, date(2027, 2, 1), 180)
    assert got == {"rs": [date(2027, 2, 15)], "me": [date(2027, 7, 13)], "none": [date(2027, 2, 15)]}


# --- 2. Serbian dates in the genitive --------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "fmt", "day", "expected"),
    [
        ("sr", "day_month", date(2026, 12, 12), "12. децембра"),
        ("sr", "on_day", date(2026, 12, 12), "12. децембра"),
        ("sr", "day_month", date(2027, 1, 2), "2. јануара"),
        ("sr", "day_month", date(2027, 5, 1), "1. маја"),
        ("sr", "day_month", date(2027, 9, 30), "30. септембра"),
        ("sr", "long", date(2026, 12, 12), "12. децембра 2026."),
        ("sr", "full", date(2026, 12, 12), "субота, 12. децембра 2026."),
        ("sr", "short", date(2026, 12, 12), "12. 12. 2026."),
        ("sr_Latn", "day_month", date(2027, 2, 15), "15. februara"),
        ("sr_Latn", "on_day", date(2027, 1, 20), "20. januara"),
        ("sr_Latn", "day_month", date(2027, 8, 3), "3. avgusta"),
        ("sr-Latn", "day_month", date(2027, 10, 3), "3. oktobra"),
        ("sr_ME", "day_month", date(2027, 7, 13), "13. jula"),  # Montenegro's Serbian: Latin
        ("sr_Cyrl_BA", "day_month", date(2027, 6, 28), "28. јуна"),
        # other languages as CLDR has them
        ("ru", "day_month", date(2026, 12, 12), "12 декабря"),
        ("ru", "long", date(2026, 12, 12), "12 декабря 2026 г."),
        ("hu", "day_month", date(2026, 12, 12), "december 12."),
        ("hu", "on_day", date(2026, 12, 12), "december 12-én"),
        ("et", "day_month", date(2026, 12, 12), "12. detsember"),
        ("de", "day_month", date(2026, 12, 12), "12. Dezember"),
        ("hr", "day_month", date(2026, 12, 12), "12. prosinca"),
        ("en", "day_month", date(2026, 12, 12), "December 12"),
    ],
)
def test_serbian_dates_take_the_genitive(locale: str, fmt: str, day: date, expected: str) -> None:
    assert format_date(day, locale, fmt) == expected


# --- 4. Republika Srpska in the country column -----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Republika Srpska", "BA-SRP"),
        ("Република Српска", "BA-SRP"),
        ("REPUBLIKA SRPSKA", "BA-SRP"),
        ("Brčko distrikt", "BA-BRC"),
        ("Brcko distrikt", "BA-BRC"),
        ("Federacija Bosne i Hercegovine", "BA-BIH"),
        ("FBiH", "BA-BIH"),
        # as before
        ("BiH", "BA"),
        ("Crna Gora", "ME"),
        ("Szerbia", "RS"),
    ],
)
def test_bosnias_entities_are_read_by_name(written: str, code: str) -> None:
    assert parse_country(written) == (code, "")


# --- 5. audience.locales ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locales", "contact_locale", "admitted"),
    [
        (["sr", "sr_Latn"], "sr", True),
        (["sr", "sr_Latn"], "sr_Latn", True),
        (["sr", "sr_Latn"], "hu", False),
        (["sr", "sr_Latn"], "bs", False),
        (["sr", "sr_Latn"], None, True),  # no locale: the letter is in defaults.locale (sr)
        (["sr"], "sr_Latn", True),  # as sender.by_locale: sr takes Serbian in either script
        (["sr"], "sr-Latn-RS", True),
        (["sr_Latn"], "sr", False),  # but sr_Latn is Latin only
        (["sr_Latn"], "sr_Latn_RS", True),
        (["hu"], "hu_HU", True),
        (["hu"], None, False),
        (["hu_HU"], "hu", True),  # the key of the same language and script, as keys_for has it
        (["sr-Latn"], "sr_Latn", True),  # written as a BCP 47 tag
    ],
)
def test_audience_locales_takes_letters_in_those_locales(
    locales: list[str], contact_locale: str | None, admitted: bool
) -> None:
    rule = AudienceRule.of(Audience(locales=locales), "RS", "sr")
    contact = client("1", "RS", contact_locale)
    assert rule.admits(contact, None) is admitted
    assert (rule.why_not(contact, None) == "") is admitted


def test_orthodox_christmas_skips_the_vojvodina_hungarians() -> None:
    s = serbian_settings(
        '{name: christmas, holiday: "Božić", template: holiday, audience: {locales: [sr, sr_Latn]}}'
    )
    clients = [
        client("cyr", "RS", "sr"),
        client("lat", "RS", "sr_Latn"),
        client("none", "RS"),
        client("hu", "RS", "hu"),
    ]
    pw = plan_window(s, now=datetime(2027, 1, 1, tzinfo=UTC), start=date(2027, 1, 1), days=10)
    got = {item.hit.contact.id: (item.status, item.reason, item.detail) for item in plan(clients, pw)}
    assert got == {
        "cyr": ("send", None, ""),
        "lat": ("send", None, ""),
        "none": ("send", None, ""),
        "hu": ("skip", "outside_audience", "the letter's locale hu is not one of: sr, sr_Latn"),
    }


@pytest.mark.parametrize(
    ("locales", "error"),
    [
        ("[]", "an empty list greets no one"),
        ("[sr, rs]", r"audience\.locales\.1: 'rs' is a country code; Serbian is 'sr'"),
        ("[sr, xx]", r"audience\.locales\.1: 'xx' is not a locale Babel knows"),
        ("[sr, sr-Latn, sr_Latn]", r"audience\.locales\.2: 'sr_Latn' is the locale 'sr_Latn' again"),
        ("[Serbian]", r"audience\.locales\.0: should be a language code: Serbian is sr"),
    ],
)
def test_audience_locales_are_locales(locales: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        serbian_settings(f"{{name: x, date: '03-02', template: t, audience: {{locales: {locales}}}}}")


def test_two_christmas_occasions_for_other_locales_may_not_meet(tmp_path: Path) -> None:
    """«Božić» for Serbian letters and "Orthodox Christmas Day" for Hungarian ones: one holiday (its
    Latin name counts), but no client is in both audiences: a letter's locale is of one language."""
    text = SERBIAN_CONFIG % "\n".join(
        [
            '  - {name: bozic, holiday: "Božić", template: holiday, audience: {locales: [sr, sr_Latn]}}',
            '  - {name: karacsony, holiday: "Orthodox Christmas Day", template: holiday, audience: {locales: [hu]}}',
        ]
    )
    config = tmp_path / "g.yaml"
    config.write_text(text, encoding="utf-8")
    settings = parse_settings(text, str(config), today=TODAY)
    # Serbian and Hungarian letters: no letter is in both audiences, so no collision (srcheck).
    assert holiday_collisions(settings, config, {"RS": 3}, date(2026, 12, 10)) == []
