"""The cap's look-ahead (PlanWindow.cap_until) is paid only for clients whose letters could
overflow max_count: the others' plans stop at sim_end, as before the priority rule."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.occasions import OccasionTable
from greeter.planner import _hits, plan_window

CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Asia/Almaty, country: KZ}
send_window: {public_holidays: false}
contacts:
  path: c.csv
  dates: {birthday: B, founded: F}
frequency_cap: {max_count: 3, window_days: 365, min_gap_days: 14}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: founded, field: founded, template: birthday, priority: 80, days_before: 3}
  - {name: new_year, date: "12-30", template: holiday, priority: 30}
  - {name: spring, date: "03-22", template: holiday, priority: 50, audience: {tags: [spring]}}
"""
START = date(2027, 1, 10)


def _window(days: int = 14):  # type: ignore[no-untyped-def]
    settings = parse_settings(CONFIG, "g.yaml", today=START)
    now = datetime.combine(START, time(7), ZoneInfo("Asia/Almaty"))
    return plan_window(settings, now=now, start=START, days=days)


def test_hits_cut_at_until_are_a_table_ending_there() -> None:
    """``hits(…, until)`` is the list of a table ending on ``until``, in the same (config) order:
    days_before shifts the cut as it shifts the range."""
    settings = parse_settings(CONFIG, "g.yaml", today=START)
    contact = Contact(
        id="1", email="a@x.kz", dates={"birthday": date(1980, 6, 1), "founded": date(2001, 2, 1)}
    )
    lo, until, hi = date(2026, 12, 1), date(2027, 7, 1), date(2028, 12, 31)
    long = OccasionTable(settings, lo, hi)
    short = OccasionTable(settings, lo, until)
    assert long.hits(contact, START, until) == short.hits(contact, START)
    assert len(long.hits(contact, START)) > len(short.hits(contact, START))


def test_a_client_whose_letters_fit_the_cap_plans_no_look_ahead() -> None:
    pw = _window()
    assert pw.cap_until is not None and pw.cap_until > pw.sim_end
    zone_today = START
    few = Contact(id="1", email="a@x.kz", dates={"birthday": date(1980, 6, 1)})
    # Birthday and New Year until cap_until: at most 4 hits, but new_year's (the lowest priority)
    # past sim_end are never candidates: 2 or 3 letters in all fit max_count 3.
    hits = _hits(pw, few, zone_today, [])
    assert hits and all(h.date - pw.tables.occasions[h.occasion].before <= pw.sim_end for h in hits)
    assert hits == pw.tables.hits.hits(few, zone_today, pw.sim_end)


def test_a_client_whose_letters_could_overflow_keeps_the_look_ahead() -> None:
    pw = _window()
    many = Contact(
        id="2",
        email="b@x.kz",
        dates={"birthday": date(1980, 6, 1), "founded": date(2001, 9, 1)},
        tags=frozenset({"spring"}),
    )
    assert _hits(pw, many, START, []) == pw.tables.hits.hits(many, START)
    # Birthday, founding day, the New Year of sim_end's range and spring: 4 > max_count 3.
    # The audience counts: without the tag the spring letter is no candidate, and the rest fit.
    fewer = Contact(id="3", email="c@x.kz", dates={"birthday": date(1980, 6, 1), "founded": date(2001, 9, 1)})
    assert _hits(pw, fewer, START, []) == pw.tables.hits.hits(fewer, START, pw.sim_end)
