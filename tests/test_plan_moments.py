"""Every planned moment is the plain definition: the letter's key spread over its day's send periods.

The planner spreads a letter's moment only when a shown item needs it (a merged
member takes its carrier's, a simulated letter none), from per-run tables of
send periods. Whatever it skips or caches, each ``send`` item's ``send_at``
must be :func:`~greeter.calendar_rules.send_time` of its own key
(``id␟occasion␟date``) on its day, and each ``merged`` item's the moment of the
letter carrying it — on DST days and for a 29 February birthday too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.calendar_rules import send_time
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.plan_types import PlanItem
from greeter.planner import PlanWindow, plan, plan_window
from tests.conftest import TODAY
from tests.test_planner import CONFIG

#: Zones with DST (north and south, and Lord Howe's half hour) and without.
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Vladivostok", None]

#: Birthdays and first deals on DST days of 2027 (28.03 and 31.10 in Europe, 14.03 and 07.11 in
#: the USA, 04.04 and 03.10 at Lord Howe), on 29 February, and close enough to merge.
DATES = [
    {"birthday": date(1980, 3, 28), "first_deal": date(2015, 3, 14)},
    {"birthday": date(1984, 2, 29), "first_deal": date(2016, 2, 29)},
    {"birthday": date(1975, 10, 31), "first_deal": date(2010, 11, 7)},
    {"birthday": date(1990, 4, 4), "first_deal": date(2012, 10, 3)},
    {"birthday": date(1970, 12, 31), "first_deal": date(2011, 12, 20)},
]


def _contacts() -> list[Contact]:
    return [
        Contact(id=f"{n}-{zone}", email="a@example.com", timezone=zone, dates=MappingProxyType(dates))
        for n, dates in enumerate(DATES)
        for zone in ZONES
    ]


def _defined(item: PlanItem, pw: PlanWindow) -> datetime:
    """``send_time`` of ``item``'s own key on the day it leaves (the plain definition)."""
    assert item.send_at is not None
    hit = item.hit
    tz = ZoneInfo(hit.contact.timezone or pw.settings.defaults.timezone)
    key = f"{hit.contact.id}\x1f{hit.occasion}\x1f{hit.date.isoformat()}"
    return send_time(item.send_at.date(), tz, pw.settings.send_window, key, pw.calendar_for(None))


@pytest.mark.parametrize("start", [date(2027, 1, 1), date(2027, 3, 20)])
def test_each_moment_is_its_keys_spread_and_a_merged_one_its_carriers(start: date) -> None:
    settings = parse_settings(CONFIG, "g.yaml", today=TODAY)
    pw = plan_window(settings, now=datetime(2026, 12, 31, 12, tzinfo=UTC), start=start, days=365)
    items = list(plan(_contacts(), pw))
    sends = [i for i in items if i.status == "send"]
    merged = [i for i in items if i.reason == "merged"]
    assert len(sends) > 50 and merged  # the table makes letters, and some carry others
    leap = [
        i for i in sends if (d := i.hit.contact.dates.get(i.hit.occasion)) and (d.month, d.day) == (2, 29)
    ]
    assert leap  # a 29 February birthday or first deal (moved in 2027, its own day in 2028)
    for zone in ZONES[:3]:  # letters on both sides of each DST change
        offsets = {i.send_at.utcoffset() for i in sends if i.send_at and i.hit.contact.timezone == zone}
        assert len(offsets) == 2, zone
    for item in sends:
        assert item.send_at == _defined(item, pw), item.hit
    for item in merged:
        carrier = next(i for i in sends if i.hit.contact.id == item.hit.contact.id and item.hit in i.also)
        assert item.send_at == carrier.send_at
        assert item.send_at.utcoffset() == carrier.send_at.utcoffset()  # type: ignore[union-attr]
