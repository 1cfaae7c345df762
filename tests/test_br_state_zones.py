"""A Brazilian state's clients get its zone, as a Russian region's do (greeter.country_zones.BR_STATE_ZONES).

A São Paulo office's export names the state in «País» (BR-SP, BR-MG, BR-BA): check warned «8
contact(s) in BR have no time zone, and BR has several» and timed them in defaults.timezone, though
each state but Amazonas keeps one clock. Real tzdata and rows.
"""

from __future__ import annotations

import holidays

from greeter.config_loader import load_settings
from greeter.country_zones import BR_STATE_ZONES, country_zone, zones_of
from greeter.sources import load_contacts
from tests.conftest import TODAY, MakeProject, contact_row

#: ISO 3166-2:BR, as the holidays library lists Brazil's subdivisions: 26 states and the Federal District.
#: (It lists the city of São Paulo too, by its name: a municipality, no ISO code.)
STATES = frozenset(s for s in holidays.country_holidays("BR").subdivisions if len(s) == 2)


def test_every_state_but_amazonas_has_one_zone_of_brazil() -> None:
    assert len(STATES) == 27
    assert set(BR_STATE_ZONES) == STATES - {"AM"}  # Amazonas: Manaus UTC-4, Eirunepe UTC-5
    assert set(BR_STATE_ZONES.values()) <= set(zones_of("BR"))


def test_a_state_keeps_its_zone_and_brazil_none() -> None:
    assert country_zone("BR-SP") == "America/Sao_Paulo"
    assert country_zone("BR-BA") == "America/Bahia"
    assert country_zone("BR-AC") == "America/Rio_Branco"
    assert country_zone("BR-AM") is None  # two clocks: the default and check's warning stay
    assert country_zone("BR") is None  # four clocks, as before


def test_a_row_in_a_state_takes_its_zone(make_project: MakeProject) -> None:
    rows = [
        contact_row("1", "a@example.com", tz="", country="BR-SP"),
        contact_row("2", "b@example.com", tz="", country="BR-MT"),
        contact_row("3", "c@example.com", tz="Europe/Lisbon", country="BR-SP"),  # the row's own zone wins
    ]
    settings = load_settings(make_project(rows), today=TODAY)
    contacts, _ = load_contacts(settings.contacts, settings.defaults)
    assert [c.timezone for c in contacts] == ["America/Sao_Paulo", "America/Cuiaba", "Europe/Lisbon"]
