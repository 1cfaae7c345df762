"""The fast __init__ of the records built by the million (greeter.slots_init), and the index and
fraction the planner and loader compute faster: same results as the plain versions."""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import random
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import (
    build_calendar,
    day_slots,
    spread,
    spread_fraction,
    spread_fraction_of,
    spread_keyed,
)
from greeter.config_window import SendWindow
from greeter.contacts import Contact
from greeter.plan_tables import spread_key_tail
from greeter.plan_types import Hit, PlanItem
from greeter.slots_init import slots_init
from greeter.sources import seen


def test_records_keep_their_dataclass_behaviour() -> None:
    contact = Contact("7", "a@b.example", first_name="Анна")
    hit = Hit(contact, "birthday", date(2027, 3, 8), 40, 100, "birthday")
    assert (hit.problem, hit.moved, hit.dated) == (None, False, True)
    assert hit == Hit(contact=contact, occasion="birthday", date=date(2027, 3, 8), years=40, priority=100,
                      template="birthday")  # fmt: skip
    assert hit == dataclasses.replace(hit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.years = 41  # type: ignore[misc]
    assert dataclasses.replace(hit, years=41).years == 41
    item = PlanItem(hit, "send")
    assert (item.reason, item.also, item.detail) == (None, (), "")
    assert contact.dates == {} and contact.row == 0 and contact.first_name == "Анна"
    assert [p.name for p in inspect.signature(Contact).parameters.values()] == [
        f.name for f in dataclasses.fields(Contact)
    ]


def test_slots_init_fills_defaults_and_factories_and_refuses_other_classes() -> None:
    @slots_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Rec:
        a: int
        b: list[int] = dataclasses.field(default_factory=list)
        c: str = "x"

    one, two = Rec(1), Rec(1)
    assert one == Rec(a=1, b=[], c="x") and one.b is not two.b
    assert Rec(2, [3], "y") == Rec(a=2, b=[3], c="y")
    with pytest.raises(TypeError):
        Rec()  # type: ignore[call-arg]

    @dataclasses.dataclass(slots=True)
    class Mutable:
        a: int

    with pytest.raises(TypeError):
        slots_init(Mutable)


def test_spread_fraction_of_encoded_parts_is_the_string_keys_fraction() -> None:
    rng = random.Random(3)
    for n in range(20_000):
        cid = "".join(rng.choice("0123456789abcЖё-_ ") for _ in range(rng.randint(1, 12)))
        day = date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + n % 800)
        key = f"{cid}\x1fbirthday\x1f{day.isoformat()}"
        assert spread_fraction_of(cid.encode() + spread_key_tail("birthday", day)) == spread_fraction(key)
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        assert spread_fraction(key) == int.from_bytes(digest, "big") / 2**64  # the old formula


#: Send windows spread_keyed() must spread as spread() does: the default (a lunch break: two
#: periods), hours with microseconds (no POSIX starts: spread() walks), one period (no lunch).
SPREAD_WINDOWS = [
    SendWindow(),
    SendWindow.model_validate({"hours": {"start": time(9, 0, 0, 250_000), "end": time(18)}}),
    SendWindow.model_validate({"lunch": None}),
]


@pytest.mark.parametrize("window", SPREAD_WINDOWS, ids=["lunch", "microseconds", "one_period"])
def test_spread_keyed_is_spread_of_the_keys_fraction(window: SendWindow) -> None:
    """The planner's one-call spread gives every letter the very moment the two calls gave: working
    days (two periods around lunch: either), Fridays (cut-off), days off (no period), DST days,
    29 February."""
    rng = random.Random(5)
    for zone in ("Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Vladivostok"):
        tz = ZoneInfo(zone)
        cal = build_calendar(window, "RU", range(2027, 2030))
        for day in [date(2028, 2, 29), date(2027, 3, 28), date(2027, 10, 31), date(2027, 3, 14)] + [
            date(2027, 1, 1) + timedelta(days=n) for n in range(0, 730, 17)
        ]:
            slots = day_slots(day, tz, window, cal)
            for _ in range(20):
                key = f"{rng.randrange(10**6)}\x1fbirthday\x1f{day.isoformat()}".encode()
                one, two = spread_keyed(slots, key, tz), spread(slots, spread_fraction_of(key), tz)
                assert one == two and one.isoformat() == two.isoformat()
                assert (one.tzinfo, one.fold) == (two.tzinfo, two.fold)


def test_seen_index_merges_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen, "_BUFFER", 64)
    monkeypatch.setattr(seen, "_MAX_RUN", 64 * seen._FAN_IN)
    index = seen.SeenIndex()
    keys = [f"client{n}@example.com" for n in range(5_000)]
    for row, key in enumerate(keys, 2):
        assert index.get(key) is None
        index.add(key, row)
    runs = [len(k) for k, _ in index._runs]
    assert max(runs) == 64 * seen._FAN_IN and len(index) == 5_000
    assert all(list(k) == sorted(k) for k, _ in index._runs)
    assert [index.get(key) for key in keys] == list(range(2, 5_002))
    assert index.get("nobody@example.com") is None


def test_records_leave_init_as_their_own_class_and_frozen() -> None:
    """The open twin the fast ``__init__`` fills the slots through (greeter.slots_init) never shows:
    the record is its own class after it, compared, copied and refused a store as before."""
    contact = Contact("7", "a@b.example", "Анна", "Ильинична", "Петрова", row=3)
    hit = Hit(contact, "birthday", date(2027, 3, 8), 40, 100, "birthday", moved=True)
    item = PlanItem(hit, "skip", "merged", None, (), "new_year", False, "sent with new_year")
    for record, cls, field in ((contact, Contact, "id"), (hit, Hit, "years"), (item, PlanItem, "detail")):
        assert type(record) is cls and "_Open" not in repr(record)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, "x")
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(record, field)
    assert (contact.first_name, contact.patronymic, contact.last_name, contact.row) == ("Анна", "Ильинична",
                                                                                      "Петрова", 3)  # fmt: skip
    assert hit == Hit(contact, "birthday", date(2027, 3, 8), 40, 100, "birthday", moved=True)
    assert item == PlanItem(hit=hit, status="skip", reason="merged", merged_into="new_year",
                            detail="sent with new_year")  # fmt: skip
    copied = dataclasses.replace(item, detail="")
    assert type(copied) is PlanItem and copied == PlanItem(hit, "skip", "merged", None, (), "new_year")


def test_a_subclass_instance_keeps_its_class() -> None:
    @slots_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Rec:
        a: int
        b: str = "x"

    class Sub(Rec):
        __slots__ = ()

        def twice(self) -> int:
            return self.a * 2

    sub = Sub(4)
    assert type(sub) is Sub and (sub.a, sub.b, sub.twice()) == (4, "x", 8)
    assert type(Rec(4)) is Rec and Rec(4) == Rec(4, "x") and Rec(4) != sub
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.a = 5  # type: ignore[misc]
