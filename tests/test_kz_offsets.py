"""A UTC offset in a contact's time-zone cell, read in the client's country first.

An Almaty office's CRM: ``UTC+6`` for a client in Kazakhstan was read by the
clock alone, as Russia's Asia/Omsk ("write Asia/Omsk in the CRM") — an hour
off, Kazakhstan keeping UTC+5 since 1 March 2024 — and ``UTC+5`` as
Asia/Yekaterinburg: the right clock, the wrong advice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.country_zones import offset_zone
from greeter.sources import load_contacts

STALE = "UTC+06:00 is Kazakhstan's time before 1 March 2024, Asia/Almaty's; it is UTC+05:00 now"
KZ_NOW = "the zone of the row's country KZ at that offset"


def _load(
    tmp_path: Path, rows: list[tuple[str, str]], country: str = "RU"
) -> tuple[list[str | None], list[str]]:
    path = tmp_path / "c.csv"
    lines = [f"{i};c{i}@example.kz;{zone};{where}" for i, (zone, where) in enumerate(rows, 1)]
    path.write_text("ID;Email;Часовой пояс;Страна\n" + "\n".join(lines) + "\n", encoding="utf-8")
    columns = Columns(id="ID", email="Email", timezone="Часовой пояс", country="Страна", first_name=None,
                      patronymic=None, last_name=None)  # fmt: skip
    contacts, report = load_contacts(ContactsSource(path=path, columns=columns), Defaults(country=country))
    return [c.timezone for c in contacts], [p.message for p in report.problems if p.field == "Часовой пояс"]


@pytest.mark.parametrize("written", ["UTC+6", "+06:00", "GMT+6", "UTC+06:00"])
def test_kazakhstans_old_offset_is_read_as_almaty_and_said_stale(tmp_path: Path, written: str) -> None:
    zones, said = _load(tmp_path, [(written, "Казахстан")])
    assert zones == ["Asia/Almaty"]
    assert said == [f"{written!r} read as Asia/Almaty ({STALE}); write Asia/Almaty in the CRM"]


def test_kazakhstans_offset_now_is_read_as_almaty_not_yekaterinburg(tmp_path: Path) -> None:
    zones, said = _load(tmp_path, [("UTC+5", "KZ")])
    assert zones == ["Asia/Almaty"]
    assert said == [f"'UTC+5' read as Asia/Almaty ({KZ_NOW}); write Asia/Almaty in the CRM"]


def test_the_default_country_is_the_country_of_a_row_without_one(tmp_path: Path) -> None:
    zones, said = _load(tmp_path, [("UTC+6", "")], country="KZ")
    assert zones == ["Asia/Almaty"]
    assert said == [f"'UTC+6' read as Asia/Almaty ({STALE}); write Asia/Almaty in the CRM"]


def test_russia_and_a_country_without_the_offset_keep_russias_reading(tmp_path: Path) -> None:
    """A Russian client's UTC+7 stays Krasnoyarsk (the offset's representative); Kazakhstan never had
    UTC+3 since 2000, and a country whose zones of an offset keep different clocks says no one zone."""
    zones, said = _load(tmp_path, [("UTC+7", "RU"), ("UTC+3", "KZ"), ("UTC+6", "")])
    assert zones == ["Asia/Krasnoyarsk", "Europe/Moscow", "Asia/Omsk"]
    assert said[2] == (
        "'UTC+6' read as Asia/Omsk (Russia's zone of UTC+06:00, the same clock as Etc/GMT-6); write Asia/Omsk in the CRM"
    )
    assert offset_zone("US", -5 * 60) is None  # New York's winter, Chicago's summer
