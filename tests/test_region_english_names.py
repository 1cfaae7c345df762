"""A Russian region written in English in a contact's country cell ("Tatarstan", "Moscow Oblast").

CRMs export the region in English as often as in Russian: «Татарстан» was RU-TA,
while "Tatarstan", "Republic of Tatarstan" and "Moscow Oblast" were "not a
country code … or a country name", and ISO 3166-2's own romanization
("Tatarstan, Respublika") put the client on all Russia's calendar though the
config declared RU-TA's days off. A name spelt close to a region's ("Tatarstn")
said nothing of the region meant.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.config_loader import parse_settings
from greeter.countries import parse_country
from greeter.ru_regions import RU_REGIONS, region_by_name
from tests.conftest import TODAY, MakeProject, birthday_sends, contact_row
from tests.test_config import MINIMAL

DECLARED = """\
send_window:
  regional_days_off:
    RU-TA: {days: [2027-08-30]}
    RU-MOS: {days: [2027-08-31]}
    RU-MOW: {days: [2027-09-01]}
"""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Tatarstan", "RU-TA"),
        ("Republic of Tatarstan", "RU-TA"),
        ("  republic of  TATARSTAN ", "RU-TA"),
        ("Moscow", "RU-MOW"),
        ("Moscow Oblast", "RU-MOS"),
        ("Moscow Region", "RU-MOS"),
        ("Saint Petersburg", "RU-SPE"),
        ("St. Petersburg", "RU-SPE"),
        ("Bashkortostan", "RU-BA"),
        ("Yakutia", "RU-SA"),
        ("Sakha (Yakutia)", "RU-SA"),
        ("North Ossetia–Alania", "RU-SE"),
        ("North Ossetia-Alania", "RU-SE"),
        ("Khanty-Mansi Autonomous Okrug – Yugra", "RU-KHM"),
        ("Krasnoyarsk Territory", "RU-KYA"),
        ("Jewish Autonomous Oblast", "RU-YEV"),
        ("Altai", None),  # the republic or the krai: not guessed, as «Алтай»
    ],
)
def test_a_russian_region_s_english_name_is_known(name: str, code: str | None) -> None:
    assert region_by_name(name) == code


def test_every_region_has_an_english_name_and_none_names_a_country() -> None:
    from greeter.ru_regions import ENGLISH_NAMES

    assert set(ENGLISH_NAMES) == set(RU_REGIONS)
    parse_settings(MINIMAL, "greeter.yaml", today=TODAY)
    for names in ENGLISH_NAMES.values():
        for name in names:
            assert parse_country(name)[0] is None or "-" in str(parse_country(name)[0]), name


def test_declared_regions_english_and_iso_names_are_their_country_cells() -> None:
    parse_settings(MINIMAL + DECLARED, "greeter.yaml", today=TODAY)
    for name, code in [
        ("Tatarstan", "RU-TA"),
        ("Republic of Tatarstan", "RU-TA"),
        ("Tatarstan, Respublika", "RU-TA"),  # ISO 3166-2's romanization
        ("Moscow", "RU-MOW"),
        ("Moskva", "RU-MOW"),
        ("Moscow Oblast", "RU-MOS"),
        ("Moskovskaya oblast'", "RU-MOS"),
    ]:
        assert parse_country(name, within="RU") == (code, ""), name


def test_an_undeclared_region_s_english_name_says_how_to_declare() -> None:
    parse_settings(MINIMAL, "greeter.yaml", today=TODAY)
    assert parse_country("Tatarstan", within="RU") == (
        None,
        "'Tatarstan' is a region of RU (RU-TA) whose own days off the config does not declare: write"
        " 'RU', or declare them in send_window.regional_days_off as RU-TA: {days: [YYYY-MM-DD, …]}"
        " (see docs/config.md)",
    )


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Tatarstan, Respublika", "RU-TA"),
        ("Moskovskaya oblast'", "RU-MOS"),
        ("Sankt-Peterburg", "RU-SPE"),
        ("Moskva", "RU-MOW"),
    ],
)
def test_an_undeclared_region_s_iso_romanization_says_how_to_declare_as_its_english_name_does(
    cell: str, code: str
) -> None:
    """It loaded as plain RU, with all Russia's calendar and no word, while "Tatarstan" warned."""
    parse_settings(MINIMAL, "greeter.yaml", today=TODAY)
    for within in ("RU", None):
        assert parse_country(cell, within=within) == (
            None,
            f"{cell!r} is a region of RU ({code}) whose own days off the config does not declare:"
            " write 'RU', or declare them in send_window.regional_days_off as"
            f" {code}: {{days: [YYYY-MM-DD, …]}} (see docs/config.md)",
        ), within


@pytest.mark.parametrize(
    ("cell", "meant"),
    [
        ("Tatarstn", "RU-TA (Tatarstan)"),
        ("Moscow Oblst", "RU-MOS (Moscow Oblast)"),
        ("Татарсан", "RU-TA (Республика Татарстан)"),
    ],
)
def test_a_name_spelt_like_a_russian_region_says_which(cell: str, meant: str) -> None:
    parse_settings(MINIMAL + DECLARED, "greeter.yaml", today=TODAY)
    assert parse_country(cell, within="RU") == (
        None,
        f"{cell!r} is not a country code (like 'KZ') or a country name; did you mean {meant}?",
    )
    # Not for a row of another country: a Berlin client's typo is no Russian region.
    assert "did you mean" not in parse_country(cell, within="DE")[1]


def test_preview_greets_an_english_named_region_s_client_by_its_days_off(make_project: MakeProject) -> None:
    """Monday 30 August 2027 is Tatarstan's day off: the birthday letter leaves on Friday 27th."""
    rows = [
        contact_row("kazan", "a@example.com", country="Tatarstan", birthday="30.08.1980"),
        contact_row("moscow", "b@example.com", country="RU", birthday="30.08.1982"),
    ]
    config = make_project(
        rows,
        defaults={"country": "RU"},
        send_window={"regional_days_off": {"RU-TA": {"days": ["2027-08-30"]}}},
    )
    sent = birthday_sends(config, "2027-08-23", 30, "2027-08-01T09:00")
    assert {cid: at.date() for cid, at in sent.items()} == {
        "kazan": date(2027, 8, 27),
        "moscow": date(2027, 8, 30),
    }
