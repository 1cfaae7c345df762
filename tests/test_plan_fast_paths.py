"""The loader's and planner's cheaper paths (record factories, the generated cell reader, the
common contact decided without :func:`~greeter.policy.decide`) change nothing.

A plan over a generated CRM export (bench/gen_contacts.py: Cyrillic names, six zones, broken rows
on purpose) is compared, item by item and problem by problem, with the same plan made through the
classes' own constructors — what the code did before the factories — and through ``decide()``
for every contact; a property compares the fast path with ``decide()`` over caps, gaps, merge
settings, day-off policies, 29 February, zones and journal history.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from greeter import occasions, planner
from greeter.config import FrequencyCap, Settings
from greeter.config_loader import load_settings, parse_settings
from greeter.contacts import Contact, new_contact
from greeter.plan_tables import OccasionDay
from greeter.plan_types import Hit, OwnDays, PastGreeting, PlanItem, new_hit, new_item
from greeter.planner import plan, plan_window
from greeter.policy import CandidateKey, decide
from greeter.slots_init import maker, slots_init
from greeter.sources import LoadReport, iter_contacts
from greeter.sources import rows as source_rows
from greeter.sources.columns import cell_reader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gen_contacts import write_contacts  # noqa: E402

NOW = datetime(2027, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_a_factory_makes_the_record_its_class_makes() -> None:
    contact = new_contact("7", "a@b.example", first_name="Анна")
    assert type(contact) is Contact and contact == Contact("7", "a@b.example", first_name="Анна")
    assert contact.dates == {} and contact.tags == frozenset()
    hit = new_hit(contact, "birthday", date(2027, 3, 8), 40, 100, "birthday")
    assert type(hit) is Hit and hit == Hit(contact, "birthday", date(2027, 3, 8), 40, 100, "birthday")
    assert (hit.problem, hit.moved, hit.dated, hit.outside) == (None, False, True, None)
    item = new_item(hit, "send", detail="x")
    assert type(item) is PlanItem and item == PlanItem(hit, "send", detail="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.detail = "y"  # type: ignore[misc]
    assert dataclasses.replace(item, detail="y").detail == "y"
    assert maker(OccasionDay)(date(2027, 1, 1), 1, date(2027, 1, 1), False, None, b"") == OccasionDay(
        date(2027, 1, 1), 1, date(2027, 1, 1), False, None, b""
    )


def test_a_factory_runs_default_factories_per_record() -> None:
    @slots_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Rec:
        a: int
        b: list[int] = dataclasses.field(default_factory=list)
        c: str = "x"

    make = maker(Rec)
    one, two = make(1), make(1)
    assert type(one) is Rec and one == Rec(1) and one.b is not two.b
    assert make(2, [3], c="y") == Rec(2, [3], "y")
    with pytest.raises(TypeError):
        make()  # type: ignore[call-arg]


def test_own_days_are_the_dict_the_planner_built() -> None:
    contact = Contact("7", "a@b.example")
    days = [date(2026, 12, 29), date(2027, 1, 2), date(2027, 2, 28)]
    cands = [(Hit(contact, f"o{i}", d, None, 1, "t"), None, False, True, None) for i, d in enumerate(days)]
    own = OwnDays(cands)
    assert dict(own) == {k: cands[k][0].date.toordinal() for k in range(3)}
    assert own.get(1) == date(2027, 1, 2).toordinal() and own.get(3, -1) == -1 and own.get(-1) is None
    assert bool(own) and not OwnDays([])


def test_the_cell_reader_is_the_comprehension_it_replaces() -> None:
    fields = (("id", 0), ("email", 3), ("email.1", 2), ('it\'s \\ "Имя"', 1), ("{x}", 3))
    row = [" 7 ", "\tАнна ", "b@c.example", " a@b.example\r\n", "extra"]
    assert cell_reader(fields)(row) == {name: row[i].strip() for name, i in fields}
    assert list(cell_reader(fields)(row)) == [name for name, _ in fields]
    assert cell_reader(())(row) == {}
    with pytest.raises(TypeError):
        cell_reader((("id", "0]; import os; x = [0"),))  # type: ignore[arg-type]


def _plan(csv_path: Path, days: int) -> tuple[list[str], list[str]]:
    """Every plan item and every load problem of ``csv_path``, as text."""
    s = load_settings(ROOT / "config.example.yaml", today=NOW.date())
    settings = s.model_copy(update={"contacts": s.contacts.model_copy(update={"path": csv_path})})
    report = LoadReport(source=str(csv_path))
    contacts = iter_contacts(settings.contacts, settings.defaults, report)
    pw = plan_window(settings, now=NOW, start=date(2027, 1, 1), days=days)
    items = [repr(i) for i in plan(contacts, pw)]
    return items, [repr(p) for p in report.problems]


@pytest.mark.parametrize("days", [365, 14])
def test_a_generated_export_plans_as_through_the_classes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: int
) -> None:
    csv_path = tmp_path / "contacts.csv"
    write_contacts(csv_path, 3000)
    fast = _plan(csv_path, days)
    monkeypatch.setattr(occasions, "_hit", Hit)
    monkeypatch.setattr(planner, "_item", PlanItem)
    monkeypatch.setattr(source_rows, "_contact", Contact)
    monkeypatch.setattr(
        source_rows, "cell_reader", lambda fields: lambda row: {n: row[i].strip() for n, i in fields}
    )
    plain = _plan(csv_path, days)
    assert len(fast[0]) > (300 if days == 14 else 15_000) and fast[1]  # a real plan, broken rows reported
    for a, b in itertools.zip_longest(fast[0], plain[0]):
        assert a == b
    assert fast[1] == plain[1]


# --- plan_contact's fast path (planner._each_alone): decide() skipped where it would send each ---

FAST_CONFIG = """\
sender: {{name: Shop, email: hello@shop.example}}
defaults: {{timezone: Europe/Moscow, country: RU}}
contacts:
  path: c.csv
  dates: {{birthday: B, first_deal: D, founded: F}}
occasions:
  - {{name: birthday, field: birthday, template: t, priority: 100}}
  - {{name: first_deal, field: first_deal, template: t, priority: 70{first_deal}}}
  - {{name: founded, field: founded, template: t, days_before: {days_before}, audience: {{round_years: 5}}}}
  - {{name: new_year, date: "12-29", template: t, priority: 60}}
  - {{name: womens_day, holiday: "International Women's Day", template: t}}
frequency_cap: {{max_count: {max_count}, window_days: 365, min_gap_days: {min_gap}}}
catch_up_days: 3
leap_day: {leap_day}
send_window: {{day_off_policy: {policy}}}
"""
#: first_deal's merge settings: none, its own letter always, or carried at most 3 days late.
MERGES = ("", ", merge: false", ", merge_max_days_late: 3")
FAST_ZONES = [None, "Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad", "America/New_York"]


@functools.lru_cache(maxsize=256)
def fast_config(
    leap_day: str, days_before: int, max_count: int, min_gap: int, first_deal: str, policy: str
) -> Settings:
    text = FAST_CONFIG.format(
        leap_day=leap_day,
        days_before=days_before,
        max_count=max_count,
        min_gap=min_gap,
        first_deal=first_deal,
        policy=policy,
    )
    return parse_settings(text, "g.yaml", today=date(2027, 1, 1))


FAST_DATES = st.one_of(
    st.sampled_from([date(1984, 2, 29), date(1980, 2, 28), date(1980, 3, 1), date(1990, 12, 31)]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)),
)
FAST_FIELDS = ("birthday", "first_deal", "founded")


@st.composite
def fast_contacts(draw: st.DrawFn, cid: str) -> Contact:
    dates = {name: draw(FAST_DATES) for name in FAST_FIELDS if draw(st.booleans())}
    return Contact(
        id=cid,
        email=f"{cid}@example.com" if draw(st.integers(0, 19)) else "",
        timezone=draw(st.sampled_from(FAST_ZONES)),
        dates=MappingProxyType(dates),
    )


@st.composite
def past_rows(draw: st.DrawFn, cid: str, first: date) -> list[PastGreeting]:
    """A few journal rows of ``cid`` around ``first``: sent, failed, merged into another, baseline."""
    rows: list[PastGreeting] = []
    for _ in range(draw(st.integers(1, 3))):
        occasion = draw(st.sampled_from(["birthday", "first_deal", "new_year"]))
        day = first + timedelta(days=draw(st.integers(-60, 20)))
        kind = draw(st.sampled_from(["sent", "failed", "merged", "baseline"]))
        at = datetime.combine(day, time(10), UTC) if kind == "sent" else None
        rows.append(
            PastGreeting(
                cid,
                occasion,
                day,
                day,
                "skipped" if kind == "merged" else "sent" if kind == "baseline" else kind,
                sent_at=at,
                merged_into="birthday" if kind == "merged" else None,
                baseline=kind == "baseline",
            )
        )
    return rows


@st.composite
def fast_cases(draw: st.DrawFn) -> tuple[planner.PlanWindow, list[tuple[Contact, list[PastGreeting]]]]:
    settings = fast_config(
        draw(st.sampled_from(["feb28", "mar1"])),
        draw(st.sampled_from([0, 9])),
        draw(st.sampled_from([1, 2, 6])),
        draw(st.sampled_from([0, 3, 14, 40])),
        draw(st.sampled_from(MERGES)),
        draw(st.sampled_from(["before", "after", "on_day"])),
    )
    first = draw(st.dates(min_value=date(2026, 12, 1), max_value=date(2029, 3, 31)))
    days = draw(st.sampled_from([1, 7, 14, 40, 365]))
    at = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 59])))
    now = datetime.combine(first + timedelta(days=draw(st.integers(-30, 15))), at, UTC)
    people = []
    for i in range(draw(st.integers(1, 6))):
        past = draw(past_rows(f"c{i}", first)) if draw(st.integers(0, 3)) == 0 else []
        people.append((draw(fast_contacts(f"c{i}")), past))
    return plan_window(settings, now=now, start=first, days=days), people


#: How often the fast path answered over the property's examples: it must be exercised.
_TAKEN: Counter[bool] = Counter()


@hypothesis_settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(fast_cases())
def test_the_fast_path_plans_as_decide_does(
    case: tuple[planner.PlanWindow, list[tuple[Contact, list[PastGreeting]]]],
) -> None:
    """Caps of one and two letters, gaps of 0 to 40 days, ``merge: false`` and merge bounds, all
    three day-off policies, 29 February, five zones, journal history: each contact's plan with the
    fast path is its plan through :func:`~greeter.policy.decide`."""
    pw, people = case
    each_alone = planner._each_alone

    def counted(*args: Any) -> bool:
        answer = each_alone(*args)
        _TAKEN[answer] += 1
        return answer

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(planner, "_each_alone", counted)
        fast = [planner.plan_contact(c, pw, past) for c, past in people]
        mp.setattr(planner, "_each_alone", lambda *args: False)
        slow = [planner.plan_contact(c, pw, past) for c, past in people]
    assert fast == slow


def test_the_property_took_the_fast_path_and_the_slow_one() -> None:
    """Both of _each_alone's answers were seen many times over the property's examples, so the
    property compared the fast path with decide() (run here when it has not run in this process)."""
    if not _TAKEN:
        test_the_fast_path_plans_as_decide_does()
    assert _TAKEN[True] > 100 and _TAKEN[False] > 100, _TAKEN


@pytest.mark.parametrize("days", [365, 14])
def test_a_generated_export_plans_as_through_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: int
) -> None:
    """The bench's export (six zones, broken rows): the fast path changes no item."""
    csv_path = tmp_path / "contacts.csv"
    write_contacts(csv_path, 3000)
    fast = _plan(csv_path, days)
    monkeypatch.setattr(planner, "_each_alone", lambda *args: False)
    slow = _plan(csv_path, days)
    assert len(fast[0]) > (300 if days == 14 else 15_000)
    for a, b in itertools.zip_longest(fast[0], slow[0]):
        assert a == b


def test_each_alone_answers_only_what_decide_sends() -> None:
    """Nothing taken, no late candidate: far-apart candidates are each sent (the expired skipped);
    a pair within the gap, more letters than ``max_count``, or a ``merge: false`` occasion is not."""
    cap = FrequencyCap(max_count=2, window_days=365, min_gap_days=14)
    d = date(2027, 3, 1).toordinal()
    one: CandidateKey = (d, -100, "birthday", 0, d, -1, False)
    far: CandidateKey = (d + 14, -70, "first_deal", 1, d + 14, -1, False)
    near: CandidateKey = (d + 13, -70, "first_deal", 1, d + 13, -1, False)
    gone: CandidateKey = (d - 30, -60, "new_year", 2, d - 30, -1, True)
    third: CandidateKey = (d + 40, -60, "new_year", 2, d + 40, -1, False)
    assert planner._each_alone([one], 14, 2, False)
    assert planner._each_alone([far, one, gone], 14, 2, False)
    assert [x[1] for x in decide([one, far, gone], [], cap)] == ["skip", "send", "send"]
    assert not planner._each_alone([one, near], 14, 2, False)
    assert [x[1:3] for x in decide([one, near], [], cap)] == [("send", None), ("skip", "merged")]
    assert not planner._each_alone([one, far, third], 14, 2, False)
    assert [x[2] for x in decide([one, far, third], [], cap)][-1] == "frequency_cap"
    assert not planner._each_alone([one, far], 14, 2, True)
    assert planner._each_alone([one, (d + 1, -70, "first_deal", 1, d + 1, -1, False)], 0, 2, False)
