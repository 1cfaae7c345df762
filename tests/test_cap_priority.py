"""The frequency cap keeps the higher priority letters: a letter gives way to later ones it would
leave no slot (policy._gives_way) — the Almaty marketer's six holidays before a birthday.

Pure tables over :func:`~greeter.policy.apply_cap`, and one plan of the same case day by day
against the whole range (:func:`~greeter.planner.plan_window`'s ``cap_end``).
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.config import FrequencyCap
from greeter.contacts import Contact
from greeter.plan_types import Hit, PastGreeting, PlanItem
from greeter.policy import Candidate, Verdict, apply_cap

CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)

#: The persona's year in miniature: six holidays of priority 30 (Independence Day to Capital
#: Day), then her birthday (100) and Republic Day (30) on 25 October, inside one 365-day window.
HOLIDAYS = [
    ("independence", date(2026, 12, 15)),
    ("new_year", date(2026, 12, 29)),
    ("womens_day", date(2027, 3, 5)),
    ("nauryz", date(2027, 3, 19)),
    ("unity", date(2027, 4, 30)),
    ("capital", date(2027, 7, 5)),
]
BIRTHDAY = date(2027, 10, 25)


def cand(name: str, day: date, priority: int) -> Candidate:
    contact = Contact(id="2028", email="m@example.kz")
    return Candidate(Hit(contact, name, day, None, priority, name), day)


def persona(birthday_priority: int = 100) -> list[Candidate]:
    cands = [cand(name, day, 30) for name, day in HOLIDAYS]
    return [*cands, cand("birthday", BIRTHDAY, birthday_priority), cand("republic", BIRTHDAY, 30)]


def outcome(verdicts: list[Verdict]) -> dict[str, tuple[str, str | None]]:
    return {v.candidate.hit.occasion: (v.status, v.reason) for v in verdicts}


def test_the_birthday_keeps_its_slot_and_the_latest_holiday_gives_way() -> None:
    verdicts = apply_cap(persona(), [], CAP)
    got = outcome(verdicts)
    assert got["birthday"] == ("send", None)
    assert got["republic"] == ("skip", "merged")  # merged first, then capped: one letter
    assert got["capital"] == ("skip", "frequency_cap")
    assert [n for n, (s, _) in got.items() if s == "send"] == [*(n for n, _ in HOLIDAYS[:5]), "birthday"]
    detail = next(v.detail for v in verdicts if v.candidate.hit.occasion == "capital")
    assert detail == (
        "gave way to the birthday greeting of 2027-10-25, of a higher priority (max_count 6 per 365 days)"
    )


@pytest.mark.parametrize(
    ("case", "priority", "sent_last", "skipped"),
    [
        # Ties: between letters of one rank the earlier goes, as before — the birthday is refused.
        ("tie", 30, "capital", "birthday"),
        # A lower priority birthday never takes a holiday's slot.
        ("lower", 20, "capital", "birthday"),
        # Any higher priority does.
        ("higher", 31, "birthday", "capital"),
    ],
)
def test_priority_table(case: str, priority: int, sent_last: str, skipped: str) -> None:
    got = outcome(apply_cap(persona(priority), [], CAP))
    sent = [n for n, (s, _) in got.items() if s == "send"]
    assert len(sent) == 6 and sent[-1] == sent_last, case
    assert got[skipped] == ("skip", "frequency_cap"), case


def test_history_counts_and_is_never_undone() -> None:
    """Five holidays already sent (the journal): the capital letter still gives way — and with all
    six sent the birthday is refused, since what left is never taken back."""
    past = [PastGreeting("2028", name, day, day) for name, day in HOLIDAYS[:5]]
    got = outcome(apply_cap(persona()[5:], past, CAP))
    assert got["capital"] == ("skip", "frequency_cap")
    assert got["birthday"] == ("send", None)
    past = [PastGreeting("2028", name, day, day) for name, day in HOLIDAYS]
    verdicts = apply_cap(persona()[6:], past, CAP)
    assert outcome(verdicts)["birthday"] == ("skip", "frequency_cap")
    assert "would be greeting no. 7" in verdicts[0].detail


def test_two_higher_letters_take_two_slots_and_two_holidays_give_way() -> None:
    cands = [*persona(), cand("first_deal", date(2027, 9, 1), 70)]
    got = outcome(apply_cap(cands, [], CAP))
    assert got["birthday"] == ("send", None) and got["first_deal"] == ("send", None)
    assert got["capital"] == ("skip", "frequency_cap") and got["unity"] == ("skip", "frequency_cap")
    assert sum(s == "send" for s, _ in got.values()) == 6


def test_a_higher_letter_the_cap_refuses_anyway_reserves_nothing() -> None:
    """A letter still in flight five days before the birthday (the journal) refuses the birthday by
    the gap whatever the holidays do: the unity letter, the sixth, keeps its slot."""
    past = [PastGreeting("2028", name, day, day) for name, day in HOLIDAYS[:4]]
    past.append(PastGreeting("2028", "claimed", date(2027, 10, 20), date(2027, 10, 20), state="claimed"))
    got = outcome(apply_cap(persona()[4:], past, CAP))
    assert got["unity"] == ("send", None)  # the sixth of the window: 4 + claimed + unity
    assert got["capital"] == ("skip", "frequency_cap")  # the seventh
    assert got["birthday"] == ("skip", "frequency_cap")


def test_outside_the_window_nothing_is_reserved() -> None:
    """A birthday 365 days or more after a holiday shares no window with it: no reason to yield."""
    cands = [cand(name, day, 30) for name, day in HOLIDAYS]
    cands.append(cand("birthday", date(2027, 12, 15), 100))  # exactly 365 days after the first
    got = outcome(apply_cap(cands, [], CAP))
    assert all(s == "send" for s, _ in got.values())


def test_a_letter_that_gave_way_on_its_day_does_not_come_back_belated() -> None:
    """Planned for day 30 it gave way to the birthday of day 33 (window 30 days, 2 letters, one
    sent on day 5). Missed (a weekend, downtime) and late on day 35, its window no longer holds
    day 5 and it would fit: it stays skipped, saying what it gave way to on its day — found by
    the ten-year simulation, where a letter that gave way went out as a belated one."""
    cap = FrequencyCap(max_count=2, window_days=30, min_gap_days=0)
    base = date(2027, 1, 1)

    def on(n: int) -> date:
        return date.fromordinal(base.toordinal() + n)

    contact = Contact(id="2028", email="m@example.kz")
    late = Candidate(Hit(contact, "holiday", on(30), None, 30, "holiday"), on(35), True, planned_day=on(30))
    past = [PastGreeting("2028", "earlier", on(5), on(5))]
    verdicts = apply_cap([late, cand("birthday", on(33), 100)], past, cap)
    got = {v.candidate.hit.occasion: v for v in verdicts}
    assert (got["holiday"].status, got["holiday"].reason) == ("skip", "frequency_cap")
    assert got["holiday"].detail == (
        "on its day 2027-01-31: gave way to the birthday greeting of 2027-02-03, of a higher priority"
        " (max_count 2 per 30 days)"
    )
    assert got["birthday"].status == "send"
    on_time = Candidate(late.hit, on(30))  # on its day: the same decision
    assert outcome(apply_cap([on_time, cand("birthday", on(33), 100)], past, cap))["holiday"] == (
        "skip",
        "frequency_cap",
    )


def test_day_by_day_decides_as_the_whole_range() -> None:
    """Deciding each day with the journal of the days before and the candidates from that day on
    (the daemon) gives the letters deciding all at once does (preview)."""
    cands = [*persona(), cand("first_deal", date(2027, 9, 1), 70), cand("late", date(2027, 11, 20), 30)]
    whole = outcome(apply_cap(cands, [], CAP))
    past: list[PastGreeting] = []
    daily: dict[str, tuple[str, str | None]] = {}
    for c in sorted(cands, key=lambda c: c.day):
        if c.hit.occasion in daily:
            continue
        today = [x for x in cands if x.day >= c.day and x.hit.occasion not in daily]
        for v in apply_cap(today, past, CAP):
            if v.candidate.day == c.day:
                daily[v.candidate.hit.occasion] = (v.status, v.reason)
                if v.status == "send":
                    past.append(PastGreeting("2028", v.candidate.hit.occasion, c.day, c.day))
    assert daily == whole


# --- the planner: a year's preview and the daemon's day-by-day runs decide alike -----------------

KZ = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Asia/Almaty, country: KZ}
send_window: {public_holidays: false}
contacts:
  path: c.csv
  dates: {birthday: B}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: independence, date: "12-16", template: holiday, priority: 30}
  - {name: new_year, date: "12-30", template: holiday, priority: 30}
  - {name: womens_day, date: "03-08", template: holiday, priority: 30}
  - {name: nauryz, date: "03-22", template: holiday, priority: 30}
  - {name: unity, date: "05-01", template: holiday, priority: 30}
  - {name: capital, date: "07-06", template: holiday, priority: 30}
  - {name: republic, date: "10-25", template: holiday, priority: 30}
"""


def _kz_plan() -> tuple[dict[str, str], dict[str, str]]:
    """The persona's year as a 365-day preview, and as the daemon sends it day by day (each run
    planning through lookahead_end with the journal of the letters before): occasion → outcome."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from greeter.config_loader import parse_settings
    from greeter.planner import lookahead_end, plan_contact, plan_window

    settings = parse_settings(KZ, "g.yaml", today=date(2026, 12, 1))
    zone = ZoneInfo("Asia/Almaty")
    contact = Contact(id="2028", email="m@example.kz", dates={"birthday": date(1985, 10, 20)})
    first = date(2026, 12, 8)

    def at(day: date) -> datetime:
        return datetime.combine(day, time(7), zone)

    def said(item: PlanItem) -> str:
        return f"{item.status}:{item.reason}" if item.reason else item.status

    whole_pw = plan_window(settings, now=at(first), start=first, days=365)
    whole = {f"{i.hit.occasion} {i.hit.date}": said(i) for i in plan_contact(contact, whole_pw)}
    past: list[PastGreeting] = []
    daily: dict[str, str] = {}
    for n in range(365):
        day = first + timedelta(days=n)
        cal = plan_window(settings, now=at(day), start=day, days=1, look_ahead=False).calendar
        end = lookahead_end(settings, cal, day)
        pw = plan_window(settings, now=at(day), start=day, days=(end - day).days + 1, look_ahead=False)
        for i in plan_contact(contact, pw, past):
            leaves = i.send_at.date() if i.send_at is not None else None
            key = f"{i.hit.occasion} {i.hit.date}"
            if i.status == "send" and leaves == day:
                past.append(PastGreeting("2028", i.hit.occasion, i.hit.date, day))
                daily[key] = said(i)
            elif i.reason == "merged" and leaves == day:
                past.append(PastGreeting("2028", i.hit.occasion, i.hit.date, day, "skipped", merged_into="x"))
                daily[key] = said(i)
            elif i.status == "skip" and i.reason != "merged" and key not in daily and i.hit.date == day:
                daily[key] = said(i)  # a skip is final on the occasion's day
    return whole, daily


def test_a_years_preview_and_the_daemons_days_agree() -> None:
    whole, daily = _kz_plan()
    assert whole["birthday 2027-10-20"] == "send"
    assert whole["capital 2027-07-06"] == "skip:frequency_cap"
    assert daily == whole
