"""The cap's choices, end to end: ``send --once`` on the days the daemon would run, ``preview`` between.

Two defects a sales-ops manager found with real data:

* H1 — greeter was down on Friday 6 March (Monday the 9th a holiday); the 8 March
  letter went out belated on the 10th and took the place of the birthday letter
  planned on time for the 20th («только 10 дней»): the client got «с прошедшим
  Международным женским днём!» and no birthday greeting.
* H2 — a first-deal anniversary a week after a birthday letter (refused) led the
  merge group {first_deal 17.12, new_year 29.12} and took the New Year letter down
  with its own reason ("only 7 days from the greeting of 2026-12-10", false for
  29 December); from the 18th preview said New Year went alone, from the 24th that
  it carried the first-deal wishes: a plan that changed shape from day to day.
* The fix of H2 had its own cost: the New Year letter leading in the refused first
  deal's place came 13 days before a VIP's 10th company anniversary (11 January), which
  the cap then refused — the client lost the higher-priority letter to a lower one's
  shuffle. A stand-in lead gives way to a later letter of a higher priority.
* M — a client with a first deal on 15 December and a birthday on Monday 28 December got a
  birthday letter «с прошедшим 6-летием нашего сотрудничества» and nothing for New Year
  (29 December: "only 1 days from the greeting of 2026-12-28"): the merge group was
  anchored on the 15th, and its window ended before New Year, one day after the letter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import MakeProject
from tests.test_send_e2e import greeter, history

#: Анна-Мария (VIP, tag 8mar, Kaliningrad): 8 March and her birthday on Friday 20 March 2026.
ANNA = "1007;client07@example.com;Петрова-Водкина;Анна-Мария;Олеговна;ж;Галерея «Холст»;Europe/Kaliningrad;ru;VIP;8mar;20.03.1967;22.07.2015;19.11.2019;Россия"
#: Ольга (VIP): birthday 10 December, the company founded 11 January 2017; first deal filled in later.
OLGA = "2;f2@example.com;Смирнова;Ольга;Игоревна;;ООО «Обь»;Europe/Moscow;ru;VIP;;10.12.1981;11.01.2017;{deal};Россия"
#: Иван: birthday on Monday 28 December, first deal 15 December (the config's New Year: the 29th).
IVAN = (
    "3;f3@example.com;Иванов;Иван;Петрович;м;ООО «Вектор»;Europe/Moscow;ru;regular;;28.12.1980;;{deal};Россия"
)
#: Елена: birthday 10 December; the CRM fills in her first deal (17 December) afterwards.
ELENA = "1;f1@example.com;Попова;Елена;Викторовна;;ООО «Лента»;Europe/Moscow;ru;regular;;10.12.1981;;{deal};Россия"


def preview(config: Path, now: str, start: str, days: int) -> list[dict[str, Any]]:
    run = greeter(config, "preview", "--now", now, "--from", start, "--days", str(days), "--format", "json")
    assert run.returncode == 0, run.stderr
    items: list[dict[str, Any]] = json.loads(run.stdout)
    return items


def send(config: Path, now: str) -> str:
    run = greeter(config, "send", "--once", "--now", now)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_belated_letter_does_not_take_the_place_of_a_timely_birthday(make_project: MakeProject) -> None:
    config = make_project([ANNA])
    before = {i["occasion"]: i["status"] for i in preview(config, "2026-03-02T10:00", "2026-03-01", 25)}
    assert before == {"womens_day": "send", "birthday": "send"}
    # Back on Tuesday the 10th: the 8 March letter would leave 10 days before the birthday one.
    for now in ("2026-03-10T10:00", "2026-03-11T10:00"):
        items = {i["occasion"]: i for i in preview(config, now, "2026-03-01", 25)}
        assert (items["womens_day"]["status"], items["womens_day"]["reason"]) == ("skip", "frequency_cap"), (
            now
        )
        assert "before the birthday greeting of 2026-03-20" in items["womens_day"]["detail"]
        assert items["birthday"]["status"] == "send", now
    assert "skipped: frequency_cap 1" in send(config, "2026-03-10T12:00")
    assert "sent: 1" in send(config, "2026-03-20T12:00")
    rows = {(r["occasion"], r["state"]) for r in history(config)}
    assert rows == {("womens_day", "skipped"), ("birthday", "sent")}


def test_a_refused_lead_rides_in_the_new_year_letter_at_every_now(make_project: MakeProject) -> None:
    config = make_project([ELENA.format(deal="")])
    assert "sent: 1" in send(config, "2026-12-10T16:00")
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    contacts.write_text(text.replace(";10.12.1981;;;", ";10.12.1981;;17.12.2020;"), encoding="utf-8-sig")
    expected = {
        "first_deal_anniversary": ("skip", "merged", ["new_year"], "sent with new_year"),
        "new_year": ("send", None, ["first_deal_anniversary"], None),
    }
    for now in ("2026-12-10T17:00", "2026-12-15T10:00", "2026-12-17T10:00", "2026-12-18T10:00",
                "2026-12-24T10:00", "2026-12-29T10:00"):  # fmt: skip
        got = {
            i["occasion"]: (i["status"], i["reason"], i["merged_with"], i["detail"])
            for i in preview(config, now, "2026-12-11", 25)
        }
        assert got == expected, now
    # The daemon's runs agree: nothing journaled on the 17th, both wishes in one letter on the 29th.
    for now in ("2026-12-17T12:00", "2026-12-18T12:00", "2026-12-24T12:00"):
        assert "due 0" in send(config, now) and not [
            r for r in history(config) if r["occasion"] != "birthday"
        ]
    assert "sent: 1" in send(config, "2026-12-29T16:00")
    rows = {(r["occasion"], r["state"]) for r in history(config)}
    assert rows == {("birthday", "sent"), ("first_deal_anniversary", "skipped"), ("new_year", "sent")}


def test_a_stand_in_lead_does_not_cost_a_later_letter_of_a_higher_priority(make_project: MakeProject) -> None:
    config = make_project([OLGA.format(deal="")])
    assert "sent: 1" in send(config, "2026-12-10T16:00")
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    contacts.write_text(text.replace(";11.01.2017;;", ";11.01.2017;17.12.2020;"), encoding="utf-8-sig")
    items = {i["occasion"]: i for i in preview(config, "2026-12-17T10:00", "2026-12-11", 35)}
    assert (items["new_year"]["status"], items["new_year"]["reason"]) == ("skip", "frequency_cap")
    assert items["new_year"]["detail"] == (
        "leading the letter on 2026-12-29, it would come only 13 days before the company_anniversary "
        "greeting of 2027-01-11, of a higher priority (min_gap_days 14)"
    )
    assert items["company_anniversary"]["status"] == "send"
    for now in ("2026-12-17T12:00", "2026-12-24T12:00", "2026-12-28T12:00", "2026-12-29T16:00"):
        assert "due 0" in send(config, now), now
    assert "sent: 1" in send(config, "2027-01-11T16:00")
    rows = {r["occasion"]: r for r in history(config)}
    assert {name: r["state"] for name, r in rows.items() if name != "first_deal_anniversary"} == {
        "birthday": "sent",
        "new_year": "skipped",
        "company_anniversary": "sent",
    }
    # the anniversary letter of 11 January does not carry New Year 13 days on (the example's
    # frequency_cap.holiday_merge_max_days_late: 7): skipped, not merged
    assert rows["new_year"]["reason_code"] == "frequency_cap"
    assert rows["first_deal_anniversary"]["state"] != "sent"


def test_the_birthday_letter_carries_new_year_the_next_day_and_the_first_deal(
    make_project: MakeProject,
) -> None:
    config = make_project([IVAN.format(deal="15.12.2020")])
    # greeter runs from the 10th on: the 15th's anniversary is no occasion before its first run
    # (a preview without a journal plans as that first run would, greeter.planner.occasion_starts).
    assert "due 0" in send(config, "2026-12-10T09:00")
    for now in ("2026-12-10T10:00", "2026-12-16T10:00", "2026-12-28T09:00"):
        items = {i["occasion"]: i for i in preview(config, now, "2026-12-10", 30)}
        assert {name: (i["status"], i["reason"], i["merged_with"]) for name, i in items.items()} == {
            "first_deal_anniversary": ("skip", "merged", ["birthday"]),
            "birthday": ("send", None, ["first_deal_anniversary", "new_year"]),
            "new_year": ("skip", "merged", ["birthday"]),
        }, now
        text = items["birthday"]["text"]
        assert "6-летием нашего сотрудничества" in text and "Новым годом" in text, text
        assert items["new_year"]["send_at"] == items["birthday"]["send_at"]
    # The daemon's runs agree: one letter on the 28th, nothing more on the 29th.
    assert "due 0" in send(config, "2026-12-15T16:00")
    assert "sent: 1" in send(config, "2026-12-28T16:00")
    assert "due 0" in send(config, "2026-12-29T16:00")
    rows = {(r["occasion"], r["state"], r["reason_code"]) for r in history(config)}
    assert rows == {
        ("birthday", "sent", None),
        ("first_deal_anniversary", "skipped", "merged"),
        ("new_year", "skipped", "merged"),
    }


def test_without_the_first_deal_the_birthday_letter_carries_new_year_as_before(
    make_project: MakeProject,
) -> None:
    config = make_project([IVAN.format(deal="")])
    items = {i["occasion"]: i for i in preview(config, "2026-12-10T10:00", "2026-12-10", 30)}
    assert {name: (i["status"], i["reason"], i["merged_with"]) for name, i in items.items()} == {
        "birthday": ("send", None, ["new_year"]),
        "new_year": ("skip", "merged", ["birthday"]),
    }
