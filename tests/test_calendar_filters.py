"""``greeter calendar`` at volume: ``--occasion``/``--contact`` filters, review states, a summary per day.

A year-end reviewer with 8,000 contacts exported 17 days: 7,621 events, about 6,500 on one day,
none saying whether its letter was approved, and no way to ask for one occasion or one client.
Real processes, a real config and journal (``approve`` records the approvals).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ical.calendar_stream import IcsCalendarStream

from greeter.ics_export import day_uid
from greeter.plan_types import Hit
from tests.conftest import MakeProject, contact_row
from tests.test_ics_export import IVAN, MSK, build_calendar, events, greeter, letter

SPAN = ("--from", "2026-12-28", "--days", "14", "--now", "2026-12-20T10:00")


def three(make_project: MakeProject, **changes: object) -> Path:
    """Ivan's 7 January birthday letter carries the New Year (it leaves on 30 December); Anna's and
    Pyotr's letters are the New Year's alone."""
    return make_project(
        [
            contact_row("1001", "ivan@example.com", birthday="07.01.1960"),
            contact_row("1002", "anna@example.com", first="Анна", last="Смирнова", birthday="15.05.1970"),
            contact_row("1003", "petr@example.com", first="Пётр", last="Кузнецов", birthday="20.05.1975"),
        ],
        **changes,
    )


def exported(config: Path, *args: str) -> tuple[list[dict[str, str]], str]:
    result = greeter(config, "calendar", *SPAN, "-o", "-", *args)
    assert result.returncode == 0, result.stderr
    return events(result.stdout.encode()), result.stderr


def recipients(found: list[dict[str, str]]) -> list[str]:
    return sorted(e["DESCRIPTION"].split("(id ")[1].split(")")[0] for e in found)


def test_occasion_and_contact_filters_keep_only_those_letters(make_project: MakeProject) -> None:
    config = three(make_project)
    every, _ = exported(config)
    assert recipients(every) == ["1001", "1002", "1003"]
    birthdays, _ = exported(config, "--occasion", "birthday")
    assert recipients(birthdays) == ["1001"]
    # a title, as preview's table shows it; a letter carrying it merged into another's counts
    new_year, _ = exported(config, "--occasion", "Новый год")
    assert recipients(new_year) == ["1001", "1002", "1003"]
    # repeatable: either occasion
    both, _ = exported(config, "--occasion", "birthday", "--occasion", "defender_day")
    assert recipients(both) == ["1001"]
    anna, said = exported(config, "--contact", "Смирнова")  # a name, as the CRM shows it
    assert recipients(anna) == ["1002"]
    assert "--contact Смирнова: contact 1002" in said
    by_id, _ = exported(config, "--contact", "1003", "--occasion", "new_year")
    assert recipients(by_id) == ["1003"]
    none = greeter(config, "calendar", *SPAN, "-o", "-", "--contact", "Смирнова", "--occasion", "birthday")
    assert none.returncode == 0 and events(none.stdout.encode()) == []
    assert (
        "no greetings: nothing planned for 2026-12-28 … 2027-01-10 matching --occasion birthday and --contact 1002"
        in none.stderr
    )
    typo = greeter(config, "calendar", *SPAN, "-o", "-", "--occasion", "new_yaer")
    assert typo.returncode == 2 and typo.stdout == ""
    assert "no occasion 'new_yaer' in the config, did you mean 'new_year'" in typo.stderr
    nobody = greeter(config, "calendar", *SPAN, "-o", "-", "--contact", "Сидоров")
    assert nobody.returncode == 2 and nobody.stdout == ""
    assert "no contact has id or name 'Сидоров'" in nobody.stderr


def test_each_event_says_its_letters_review_state(make_project: MakeProject) -> None:
    """Under ``review: required`` a manager's calendar listed letters the gate will hold as if they
    were leaving: nothing said which wait for an approval, nor whose approval one lost."""
    config = three(make_project, review="required")
    for cid, by in (("1001", "anna"), ("1002", "boris")):
        approved = greeter(config, "approve", "--contact", cid, "--by", by, *SPAN)
        assert approved.returncode == 0, approved.stderr
    contacts = config.parent / "data" / "contacts.csv"
    rows = contacts.read_text(encoding="utf-8-sig").splitlines()
    rows[2] = rows[2].replace("Петрович", "Павлович")  # Anna's row changes after its approval
    contacts.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    found, _ = exported(config)
    state = {recipients([e])[0]: e["DESCRIPTION"].splitlines()[-1] for e in found}
    assert state["1001"].startswith("Одобрение: одобрено — уйдёт в срок: одобрено ровно это письмо (anna, ")
    assert state["1001"].endswith(" UTC)")
    assert state["1002"].startswith("Одобрение: изменено после одобрения — ")
    assert "(boris, " in state["1002"]
    assert state["1003"] == "Одобрение: ждёт одобрения — не уйдёт, пока его не одобрят (greeter approve)"
    # the summary per day counts the states (in the order the gallery's filters list them)
    days = greeter(config, "calendar", *SPAN, "-o", "-", "--summary-per-day")
    assert days.returncode == 0, days.stderr
    lines = {e.dtstart: e.description for e in IcsCalendarStream.calendar_from_ics(days.stdout).events}
    assert lines == {
        date(2026, 12, 29): "Новый год: 2\n"
        "Одобрение: ждёт одобрения 1, изменено после одобрения 1\n"
        "greeter preview --from 2026-12-29 --days 1",
        date(2026, 12, 30): "День рождения: 1\nНовый год: 1\nОдобрение: одобрено 1\n"
        "greeter preview --from 2026-12-30 --days 1",
    }


def test_a_summary_per_day_counts_each_days_letters_under_one_stable_event(make_project: MakeProject) -> None:
    """One all-day event per send day, its UID the day's: a re-import (other counts, other
    filters) updates it instead of adding a second; the letters' own events are not written."""
    config = three(make_project)
    out = config.parent / "year-end.ics"
    result = greeter(config, "calendar", *SPAN, "-o", str(out), "--summary-per-day")
    assert result.returncode == 0, result.stderr
    assert f"wrote {out} (3 greetings in 2 day events)" in result.stderr
    days = IcsCalendarStream.calendar_from_ics(out.read_text(encoding="utf-8")).events
    assert [(e.dtstart, e.dtend, e.summary) for e in days] == [
        (date(2026, 12, 29), date(2026, 12, 30), "Поздравления: 2 письма — Новый год 2"),
        (date(2026, 12, 30), date(2026, 12, 31), "Поздравления: 1 письмо — День рождения 1, Новый год 1"),
    ]
    domain = next(e.uid for e in days).split("@", 1)[1]
    assert [e.uid for e in days] == [day_uid(date(2026, 12, 29), domain), day_uid(date(2026, 12, 30), domain)]
    only, _ = exported(config, "--summary-per-day", "--occasion", "birthday")
    assert [(e["UID"], e["SUMMARY"]) for e in only] == [
        (day_uid(date(2026, 12, 30), domain), "Поздравления: 1 письмо — День рождения 1, Новый год 1")
    ]


def test_a_summary_per_day_speaks_the_teams_language_and_counts_a_merged_occasion_under_each() -> None:
    items = [letter(date(2027, 1, 7), also=(Hit(IVAN, "new_year", date(2026, 12, 29), None, 60, "new_year"),)),
             letter(date(2027, 1, 7)), letter(date(2027, 1, 8))]  # fmt: skip
    data = build_calendar(
        items, now=datetime(2026, 12, 2, 9, 0, tzinfo=MSK), domain="romashka.example", name="t",
        titles={"birthday": "Birthday", "new_year": "New Year"}, locale="en", per_day=True,
    )  # fmt: skip
    found = events(data)
    assert [e["SUMMARY"] for e in found] == [
        "Greetings: 2 letters — Birthday 2, New Year 1",
        "Greetings: 1 letter — Birthday 1",
    ]
    assert found[0]["DESCRIPTION"] == "Birthday: 2\nNew Year: 1\ngreeter preview --from 2027-01-07 --days 1"
    assert found[0]["UID"] == day_uid(date(2027, 1, 7), "romashka.example")
