"""The loader's and planner's cheaper paths (record factories, the generated cell reader) change nothing.

A plan over a generated CRM export (bench/gen_contacts.py: Cyrillic names, six zones, broken rows
on purpose) is compared, item by item and problem by problem, with the same plan made through the
classes' own constructors — what the code did before the factories.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter import occasions, planner
from greeter.config_loader import load_settings
from greeter.contacts import Contact, new_contact
from greeter.plan_tables import OccasionDay
from greeter.plan_types import Hit, OwnDays, PlanItem, new_hit, new_item
from greeter.planner import plan, plan_window
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
