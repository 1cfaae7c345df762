"""``greeter calendar``'s events: UIDs that survive a corrected birthday, a SEQUENCE that grows, honest dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from greeter.contacts import Contact
from greeter.ics_export import build_calendar
from greeter.plan_types import Hit, PlanItem

MSK = ZoneInfo("Europe/Moscow")
IVAN = Contact(
    id="1002", email="ivan@example.com", first_name="Иван", patronymic="Петрович", last_name="Иванов"
)


def letter(day: date, also: tuple[Hit, ...] = ()) -> PlanItem:
    hit = Hit(IVAN, "birthday", day, 47, 100, "birthday")
    send_at = datetime.combine(day, datetime.min.time(), MSK).replace(hour=11)
    return PlanItem(hit, "send", send_at=send_at, also=also)


def events(data: bytes) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in e.items()} for e in Calendar.from_ical(data).walk("VEVENT")]


def export(item: PlanItem, now: datetime) -> dict[str, str]:
    (event,) = events(
        build_calendar([item], now=now, domain="romashka.example", name="t", yearly={"birthday"})
    )
    return event


def test_a_birthday_corrected_in_the_crm_moves_its_event_instead_of_adding_one() -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=MSK)
    before = export(letter(date(2027, 1, 5)), now)
    after = export(letter(date(2027, 1, 3)), now + timedelta(days=1))
    assert before["UID"] == after["UID"], "one event per contact, occasion and year"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) >= 0, "the newer export is the newer version"
    next_year = export(letter(date(2028, 1, 3)), now)
    assert next_year["UID"] != after["UID"]
    # An occasion that is not a date column's anniversary keeps the day in its UID.
    holiday = PlanItem(Hit(IVAN, "womens_day", date(2027, 3, 8), None, 30, "holiday"), "send",
                       send_at=datetime(2027, 3, 5, 11, 0, tzinfo=MSK))  # fmt: skip
    (one,) = events(
        build_calendar([holiday], now=now, domain="romashka.example", name="t", yearly={"birthday"})
    )
    assert one["UID"] != before["UID"]


def test_each_merged_occasion_is_described_with_its_own_date() -> None:
    new_year = Hit(IVAN, "new_year", date(2026, 12, 29), None, 60, "new_year")
    event = export(letter(date(2027, 1, 7), also=(new_year,)), datetime(2026, 12, 2, 9, 0, tzinfo=MSK))
    description = event["DESCRIPTION"]
    assert "Occasion: birthday on 2027-01-07 (47)" in description
    assert "With it: new_year on 2026-12-29" in description
    assert "birthday, new_year on 2027-01-07" not in description


def test_events_name_occasions_as_the_config_titles_them() -> None:
    new_year = Hit(IVAN, "new_year", date(2026, 12, 29), None, 60, "new_year")
    item = letter(date(2027, 1, 7), also=(new_year,))
    data = build_calendar(
        [item], now=datetime(2026, 12, 2, 9, 0, tzinfo=MSK), domain="romashka.example", name="t",
        titles={"birthday": "День рождения", "new_year": "Новый год"},
    )  # fmt: skip
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]).endswith(": День рождения, Новый год (47)")
    assert "Occasion: День рождения on 2027-01-07 (47)" in event["DESCRIPTION"]
    assert "With it: Новый год on 2026-12-29" in event["DESCRIPTION"]
