"""The shipped sample: loads cleanly and always has greetings to show, whatever the date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.config_loader import load_settings
from greeter.planner import plan, plan_window
from greeter.sources import load_contacts
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    contacts, report = load_contacts(settings.contacts, settings.defaults)
    return settings, contacts, report


def test_sample_loads_with_exactly_the_two_documented_warnings(sample) -> None:  # type: ignore[no-untyped-def]
    _, contacts, report = sample
    assert len(contacts) == 30 and report.rejected == 0
    assert [(p.line, p.field, p.severity) for p in report.problems] == [
        (22, "Дата рождения", "warning"),
        (25, "Email", "warning"),
    ]
    zina = next(c for c in contacts if c.row == 22)
    assert (zina.last_name, zina.first_name, zina.patronymic) == ("Кузнецова", "Зинаида", "Павловна")


@pytest.mark.parametrize("year", [2027, 2028])
def test_every_day_of_the_year_has_greetings_in_the_next_30_days(sample, year: int) -> None:  # type: ignore[no-untyped-def]
    settings, contacts, _ = sample
    msk = ZoneInfo("Europe/Moscow")
    sends: list[date] = []
    pw = plan_window(
        settings, now=datetime(year - 1, 12, 1, 9, tzinfo=msk), start=date(year - 1, 12, 1), days=450
    )
    sends = sorted(i.send_at.date() for i in plan(contacts, pw) if i.status == "send" and i.send_at)
    day = date(year, 1, 1)
    thin = []
    while day.year == year:
        ahead = [d for d in sends if day <= d < day + timedelta(days=30)]
        if len(ahead) < 3:
            thin.append((day, len(ahead)))
        day += timedelta(days=1)
    assert thin == []
