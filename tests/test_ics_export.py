"""``greeter calendar``'s events: UIDs that survive a corrected birthday, a SEQUENCE that grows, honest dates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from greeter.contacts import Contact
from greeter.ics_export import calendar_chunks
from greeter.plan_types import Hit, PlanItem
from tests.conftest import MakeProject, contact_row

MSK = ZoneInfo("Europe/Moscow")
IVAN = Contact(
    id="1002", email="ivan@example.com", first_name="Иван", patronymic="Петрович", last_name="Иванов"
)


def build_calendar(items: Any, **options: Any) -> bytes:
    """The whole calendar as the command writes it, piece by piece (:func:`calendar_chunks`)."""
    return b"".join(calendar_chunks(items, **options))


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
    assert "Повод: birthday 7 января (47 лет)" in description
    assert "В том же письме: new_year 29 декабря" in description
    assert "birthday, new_year" not in description


def test_events_name_occasions_as_the_config_titles_them() -> None:
    new_year = Hit(IVAN, "new_year", date(2026, 12, 29), None, 60, "new_year")
    item = letter(date(2027, 1, 7), also=(new_year,))
    data = build_calendar(
        [item], now=datetime(2026, 12, 2, 9, 0, tzinfo=MSK), domain="romashka.example", name="t",
        titles={"birthday": "День рождения", "new_year": "Новый год"},
    )  # fmt: skip
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]).endswith(" — Новый год 29 декабря, День рождения 7 января (47 лет)")
    assert "Повод: День рождения 7 января (47 лет)" in event["DESCRIPTION"]
    assert "В том же письме: Новый год 29 декабря" in event["DESCRIPTION"]
    # a holiday the config titles by its own day is not given the day twice
    defender = PlanItem(Hit(IVAN, "defender_day", date(2027, 2, 23), None, 30, "holiday"), "send",
                        send_at=datetime(2027, 2, 22, 11, 0, tzinfo=MSK))  # fmt: skip
    data = build_calendar(
        [defender], now=datetime(2027, 2, 1, 9, 0, tzinfo=MSK), domain="romashka.example", name="t",
        titles={"defender_day": "23 Февраля"},
    )  # fmt: skip
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Поздравление: Иван Петрович Иванов — 23 Февраля"


def greeter(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip


def test_an_event_on_the_send_day_is_titled_as_the_greeting_with_the_occasions_own_day(
    make_project: MakeProject,
) -> None:
    """On 30 December the event said «Иван Петрович Иванов: День рождения, Новый год (67)»: a
    manager read "Ivan's birthday is today" (it is on 7 January) and the 67 as the New Year's;
    its description was English under a Russian title."""
    config = make_project([contact_row("1001", "ivan@example.com", birthday="07.01.1960")])
    out = config.parent / "greetings.ics"
    result = greeter(config, "calendar", "--from", "2026-12-28", "--days", "14", "-o", str(out),
                     "--now", "2026-12-20T10:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    [event] = IcsCalendarStream.calendar_from_ics(out.read_text(encoding="utf-8")).events
    assert event.dtstart == date(2026, 12, 30)  # the letter leaves before the New Year holidays
    assert (
        event.summary
        == "Поздравление: Иван Петрович Иванов — Новый год 29 декабря, День рождения 7 января (67 лет)"
    )
    assert event.description is not None
    lines = event.description.splitlines()
    assert lines[0].startswith("Письмо уходит 30 декабря 2026 г. в ")
    assert lines[0].endswith(" по времени получателя (Europe/Moscow)")
    assert lines[1:] == [
        "Повод: День рождения 7 января (67 лет)",
        "В том же письме: Новый год 29 декабря",
        "Кому: Иван Петрович Иванов <ivan@example.com> (id 1001)",
        "Компания: ООО «Тест»",
    ]


def test_a_range_with_nothing_planned_is_still_a_valid_calendar_and_says_so(
    make_project: MakeProject,
) -> None:
    """An empty range wrote a VCALENDAR with no component at all, which RFC 5545 (3.4, 3.6:
    ``1*component``) forbids and strict importers reject. It now holds the config's time zone."""
    config = make_project([contact_row("1", "a@example.com", birthday="13.04.1980")])
    out = config.parent / "empty.ics"
    out.write_text("an older export listing letters no longer planned", encoding="utf-8")
    result = greeter(config, "calendar", "--from", "2027-08-10", "--days", "3", "-o", str(out),
                     "--now", "2027-08-01T10:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    cal = IcsCalendarStream.calendar_from_ics(text)  # an independent parser (not icalendar)
    assert cal.events == [] and [tz.tz_id for tz in cal.timezones] == ["Europe/Moscow"]
    body = text.splitlines()[1:-1]  # inside BEGIN:VCALENDAR … END:VCALENDAR
    assert sum(line.startswith("BEGIN:") for line in body) >= 1, "RFC 5545: at least one component"
    assert (
        "wrote " in result.stderr
        and "(0 greetings): nothing planned for 2027-08-10 … 2027-08-12" in result.stderr
    )
    piped = greeter(
        config, "calendar", "--from", "2027-08-10", "--days", "3", "-o", "-", "--now", "2027-08-01T10:00"
    )
    assert piped.returncode == 0 and piped.stdout == text
    assert "no greetings: nothing planned for 2027-08-10 … 2027-08-12" in piped.stderr
    assert "a past range" not in piped.stderr  # a range to come: nothing more to say


def test_an_empty_past_range_points_to_the_journal(make_project: MakeProject) -> None:
    """A manager asking the calendar about last month read "nothing planned" though letters went out."""
    config = make_project([contact_row("1", "a@example.com", birthday="13.04.1980")])
    result = greeter(config, "calendar", "--from", "2027-06-01", "--days", "30", "-o", "-",
                     "--now", "2027-08-01T10:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        "nothing planned for 2027-06-01 … 2027-06-30 (a past range: greeter history --since 2027-06-01"
        " --until 2027-06-30 lists what was sent)" in result.stderr
    )


def test_a_letter_whose_template_fails_is_left_out_and_said_as_preview_says_it(
    make_project: MakeProject,
) -> None:
    """A misspelt filter in birthday.j2: preview said ``render_error``, exit 1, while the calendar
    listed the letter that will never leave, said nothing and exited 0."""
    config = make_project([
        contact_row("1001", "ivan@example.com", birthday="07.01.1960"),  # birthday + New Year: fails
        contact_row("1002", "anna@example.com", first="Анна", birthday="15.05.1970"),  # New Year only
    ])  # fmt: skip
    birthday = config.parent / "templates" / "birthday.j2"
    source = birthday.read_text(encoding="utf-8")
    assert source.splitlines()[9].count("contact|name }}") == 1  # line 10
    birthday.write_text(source.replace("contact|name }}", "contact|nme }}"), encoding="utf-8")
    span = ("--from", "2026-12-28", "--days", "14", "--now", "2026-12-20T10:00")
    out = config.parent / "greetings.ics"
    result = greeter(config, "calendar", "-o", str(out), *span)
    preview = greeter(config, "preview", "--format", "json", *span)
    assert preview.returncode == 1  # preview's code for a render error (README: Exit codes)
    going = {d["contact_id"] for d in json.loads(preview.stdout) if d["status"] == "send"}
    assert going == {"1002"}
    assert result.returncode == 1, result.stderr
    events = IcsCalendarStream.calendar_from_ics(out.read_text(encoding="utf-8")).events
    assert [e.description.splitlines()[-2] for e in events if e.description] == [
        "Кому: Анна Петрович Иванов <anna@example.com> (id 1002)"
    ]
    assert "wrote " in result.stderr and "(1 greeting)" in result.stderr
    assert "left out 1 letter whose template fails to render, and 1 occasion merged into it" in result.stderr
    assert "birthday.j2:10:1: No filter named 'nme', did you mean 'name'? (contact 1001)" in result.stderr


def test_a_rehearsed_future_export_does_not_outrank_the_real_ones_after_it(make_project: MakeProject) -> None:
    """SEQUENCE (and DTSTAMP) came from ``--now``: a rehearsal for 2030 imported once made a
    calendar ignore every real export after it (their SEQUENCE was lower). Now the real clock."""
    config = make_project([contact_row("1", "a@example.com", birthday="13.04.1980")])
    before = datetime.now(ZoneInfo("UTC"))
    rehearsed = greeter(config, "calendar", "--from", "2030-04-10", "--days", "7", "-o", "-",
                        "--now", "2030-04-01T10:00")  # fmt: skip
    real = greeter(config, "calendar", "--from", "2030-04-10", "--days", "7", "-o", "-")
    after = datetime.now(ZoneInfo("UTC"))
    assert rehearsed.returncode == real.returncode == 0, rehearsed.stderr + real.stderr
    (first,), (second,) = events(rehearsed.stdout.encode()), events(real.stdout.encode())
    assert int(second["SEQUENCE"]) >= int(first["SEQUENCE"]), "the later export is the newer version"
    epoch = datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    for event in (first, second):
        assert (
            (before - epoch).total_seconds() - 1 <= int(event["SEQUENCE"]) <= (after - epoch).total_seconds()
        )
    assert first["UID"] == second["UID"]


def test_a_29_february_greeted_on_the_28th_keeps_its_own_day_in_the_title() -> None:
    """«День рождения 28 февраля» told a manager the client was born on the 28th."""
    hit = Hit(IVAN, "birthday", date(2027, 2, 28), 43, 100, "birthday", moved=True)
    item = PlanItem(hit, "send", send_at=datetime(2027, 2, 26, 11, 0, tzinfo=MSK))
    (event,) = events(build_calendar([item], now=datetime(2027, 2, 1, tzinfo=MSK), domain="r.example",
                                     name="t", titles={"birthday": "День рождения"}))  # fmt: skip
    assert "День рождения 29 февраля (в этом году — 28 февраля) (43 года)" in event["SUMMARY"], event


def june_letter() -> PlanItem:
    """A letter leaving on 22 June for a birthday on the 24th, carrying a company's day on the 25th and
    a name day on the 23rd (merged in that order: by priority, not by day)."""
    company = Hit(IVAN, "company_anniversary", date(2027, 6, 25), 10, 40, "company")
    name_day = Hit(IVAN, "name_day", date(2027, 6, 23), None, 60, "name_day")
    lead = Hit(IVAN, "birthday", date(2027, 6, 24), 47, 100, "birthday")
    return PlanItem(lead, "send", send_at=datetime(2027, 6, 22, 11, 1, tzinfo=MSK), also=(company, name_day))


def test_a_letters_occasions_are_listed_by_their_days() -> None:
    """The event listed the 24th before the 23rd: a manager reading «24 июня, 23 июня» took one for a typo."""
    (event,) = events(build_calendar([june_letter()], now=datetime(2027, 6, 1, tzinfo=MSK), domain="r.example",
                                     name="t"))  # fmt: skip
    assert event["SUMMARY"] == (
        "Поздравление: Иван Петрович Иванов — name_day 23 июня, birthday 24 июня (47 лет),"
        " company_anniversary 25 июня (10 лет)"
    )
    # the letter's own occasion first (its template), then those riding in it, by their days
    assert event["DESCRIPTION"].splitlines()[1:4] == [
        "Повод: birthday 24 июня (47 лет)",
        "В том же письме: name_day 23 июня",
        "В том же письме: company_anniversary 25 июня (10 лет)",
    ]


def test_a_team_of_another_language_reads_its_calendar_in_english() -> None:
    """An Estonian team (defaults.locale et) got «Поздравление: …», «Письмо уходит 22 июня 2027 г. в
    11:01 по времени получателя»: English is the calendar's language for a locale without a table of
    its own (Finnish; Estonian has one now)."""
    now = datetime(2027, 6, 1, tzinfo=MSK)
    (event,) = events(build_calendar([june_letter()], now=now, domain="r.example", name="t", locale="fi"))
    assert event["SUMMARY"] == (
        "Greeting: Иван Петрович Иванов — name_day 23 June, birthday 24 June (47 years),"
        " company_anniversary 25 June (10 years)"
    )
    assert event["DESCRIPTION"].splitlines() == [
        "The letter leaves on 22 June 2027 at 11:01 MSK, the recipient's time (Europe/Moscow)",
        "Occasion: birthday 24 June (47 years)",
        "In the same letter: name_day 23 June",
        "In the same letter: company_anniversary 25 June (10 years)",
        "To: Иван Петрович Иванов <ivan@example.com> (id 1002)",
    ]
    first = Hit(IVAN, "first_deal", date(2028, 2, 28), 1, 100, "first_deal", moved=True)
    item = PlanItem(first, "send", send_at=datetime(2028, 2, 28, 11, 0, tzinfo=MSK))
    (event,) = events(build_calendar([item], now=now, domain="r.example", name="t", locale="fi_FI"))
    assert (
        event["SUMMARY"]
        == "Greeting: Иван Петрович Иванов — first_deal 29 February (28 February this year) (1 year)"
    )


#: The June letter's event (:func:`june_letter`) in each language with a table of its own: the summary,
#: the first line (the day as a sentence writes it: Serbian's genitive «22. јуна»), the occasion, the to-line.
CALENDARS = {
    "de": ("Glückwunsch: Иван Петрович Иванов – name_day 23. Juni, birthday 24. Juni (47 Jahre),"
           " company_anniversary 25. Juni (10 Jahre)",
           "Versand am 22. Juni 2027 um 11:01 Uhr MSK, Ortszeit des Empfängers (Europe/Moscow)",
           "Anlass: birthday 24. Juni (47 Jahre)", "An: Иван Петрович Иванов <ivan@example.com> (ID 1002)"),
    "et": ("Õnnitlus: Иван Петрович Иванов – name_day 23. juuni, birthday 24. juuni (47 aastat),"
           " company_anniversary 25. juuni (10 aastat)",
           "Saatmisaeg: 22. juuni 2027 kell 11:01 MSK saaja kohaliku aja järgi (Europe/Moscow)",
           "Tähtpäev: birthday 24. juuni (47 aastat)",
           "Saaja: Иван Петрович Иванов <ivan@example.com> (ID 1002)"),
    "hu_HU": ("Üdvözlet: Иван Петрович Иванов – name_day június 23., birthday június 24. (47 év),"
              " company_anniversary június 25. (10 év)",
              "Küldés: 2027. június 22., 11:01 MSK, a címzett helyi ideje szerint (Europe/Moscow)",
              "Alkalom: birthday június 24. (47 év)",
              "Címzett: Иван Петрович Иванов <ivan@example.com> (azonosító: 1002)"),
    "sr": ("Честитка: Иван Петрович Иванов – name_day 23. јуна, birthday 24. јуна (47 година),"
           " company_anniversary 25. јуна (10 година)",
           "Писмо се шаље 22. јуна 2027. у 11:01 MSK по времену примаоца (Europe/Moscow)",
           "Повод: birthday 24. јуна (47 година)", "За: Иван Петрович Иванов <ivan@example.com> (ID 1002)"),
    # the Latin team's events write names in its script, as its letters do (names_in_script)
    "sr_Latn_RS": ("Čestitka: Ivan Petrovič Ivanov – name_day 23. juna, birthday 24. juna (47 godina),"
                   " company_anniversary 25. juna (10 godina)",
                   "Pismo se šalje 22. juna 2027. u 11:01 MSK po vremenu primaoca (Europe/Moscow)",
                   "Povod: birthday 24. juna (47 godina)",
                   "Za: Ivan Petrovič Ivanov <ivan@example.com> (ID 1002)"),
}  # fmt: skip


@pytest.mark.parametrize("locale", sorted(CALENDARS))
def test_a_team_with_a_table_reads_its_calendar_in_its_language(locale: str) -> None:
    """German, Estonian, Hungarian and Serbian teams read «Greeting: …», "The letter leaves on …"."""
    summary, leaves, occasion, to = CALENDARS[locale]
    now = datetime(2027, 6, 1, tzinfo=MSK)
    (event,) = events(build_calendar([june_letter()], now=now, domain="r.example", name="t", locale=locale))
    assert event["SUMMARY"] == summary
    lines = event["DESCRIPTION"].splitlines()
    assert (lines[0], lines[1], lines[-1]) == (leaves, occasion, to)
    assert len(lines) == 5


def test_a_letter_in_the_hour_dst_repeats_says_which_01_38_it_is() -> None:
    """St. John's clocks read 01:38 twice on 7 November 2027: «at 01:38, the recipient's time
    (America/St_Johns)» did not say which; the zone's abbreviation does, as the table's «01:38 NDT»."""
    zone = ZoneInfo("America/St_Johns")
    now = datetime(2027, 11, 1, tzinfo=zone)
    said = []
    for fold in (0, 1):
        item = letter(date(2027, 11, 7))
        item = PlanItem(item.hit, "send", send_at=datetime(2027, 11, 7, 1, 38, tzinfo=zone, fold=fold))
        for locale in ("en", "ru"):
            (event,) = events(build_calendar([item], now=now, domain="r.example", name="t", locale=locale))
            said.append(event["DESCRIPTION"].splitlines()[0])
    assert said == [
        "The letter leaves on 7 November 2027 at 01:38 NDT, the recipient's time (America/St_Johns)",
        "Письмо уходит 7 ноября 2027 г. в 01:38 NDT по времени получателя (America/St_Johns)",
        "The letter leaves on 7 November 2027 at 01:38 NST, the recipient's time (America/St_Johns)",
        "Письмо уходит 7 ноября 2027 г. в 01:38 NST по времени получателя (America/St_Johns)",
    ]
