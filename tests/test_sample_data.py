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


@pytest.mark.parametrize(("leap_day", "greeted"), [("feb28", date(2027, 2, 26)), ("mar1", date(2027, 3, 1))])
def test_the_sample_leap_day_client_is_never_told_her_birthday_is_the_28th(  # type: ignore[no-untyped-def]
    sample, leap_day: str, greeted: date
) -> None:
    """Лейла Рашид кызы (1006), born 29.02.1988: in 2027 her greeting moves (Sunday 28 February →
    Friday 26th, or Monday 1 March); the letter must not say «28 февраля — Ваш праздник» (review #7)."""
    from greeter.render import Renderer

    settings, contacts, _ = sample
    settings = settings.model_copy(update={"leap_day": leap_day})
    leila = [c for c in contacts if c.id == "1006"]
    msk = ZoneInfo("Europe/Moscow")
    for year, moved in ((2027, True), (2028, False)):
        pw = plan_window(settings, now=datetime(year, 2, 1, 9, tzinfo=msk), start=date(year, 2, 1), days=40)
        [birthday] = [i for i in plan(leila, pw) if i.hit.occasion == "birthday" and i.status == "send"]
        text = Renderer.of(settings).render(birthday).text
        assert "28 февраля" not in text and "1 марта" not in text
        assert birthday.hit.moved is moved
        if moved:
            assert birthday.send_at is not None and birthday.send_at.date() == greeted


def test_the_sample_english_clients_are_written_to_by_romashka_llc(sample) -> None:  # type: ignore[no-untyped-def]
    """John Smith (1015) and Anna Miller (1027) read English letters: signed and sent by
    "Romashka LLC" (config.example.yaml's sender.by_locale), not «ООО «Ромашка»» (review #13c)."""
    from greeter.message import build_message
    from greeter.render import Renderer
    from greeter.testing import parse

    settings, contacts, _ = sample
    english = [c for c in contacts if c.id in ("1015", "1027")]
    msk = ZoneInfo("Europe/Moscow")
    pw = plan_window(settings, now=datetime(2026, 12, 1, 9, tzinfo=msk), start=date(2026, 12, 1), days=366)
    letters = [i for i in plan(english, pw) if i.status == "send"]
    assert {i.hit.contact.id for i in letters} == {"1015", "1027"}
    renderer = Renderer.of(settings)
    for letter in letters:
        out = renderer.render(letter)
        assert "\n\nKind regards,\nRomashka LLC\n\n" in out.text and "Ромашка" not in out.text
        data = build_message(
            out, to_email="x@example.com", to_name="X", sender=settings.sender,
            message_id="<a@romashka.example>", date=datetime(2026, 12, 1, 9, tzinfo=msk),
        )  # fmt: skip
        assert parse(data)["From"] == "Romashka LLC <greetings@romashka.example>"
