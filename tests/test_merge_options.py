"""Which occasions merge, and how far from their day: ``merge`` and ``merge_max_days_late/early``.

Two defects users found in merging (``frequency_cap.min_gap_days``):

* A New Year greeting rode 13 days late, then was lost with its carrier: New Year
  (29 December) and a first-deal anniversary (11 January) formed one group led by the
  first deal, so the New Year wishes left on 11 January; when that letter was then
  refused by the cap or expired (downtime), the New Year occasion went with it, saying
  only "expired: more than 3 days ago".
* An Estonian team's Christmas (24 December) was folded into an 11 December birthday
  letter («eelseisvate jõulude», two weeks early) and the Christmas letter skipped as
  ``merged``; there was no way to keep an occasion as its own letter.

Each case: the contact's dates, the occasions' settings, the journal's history and
``now`` → what the planner decides for each occasion.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.errors import ConfigError
from greeter.plan_types import PastGreeting
from greeter.planner import plan, plan_window
from tests.conftest import TODAY, MakeProject
from tests.test_send_e2e import greeter_process

MSK = ZoneInfo("Europe/Moscow")
D = date

#: birthday > first deal > New Year (> Christmas, only where a case adds it: ``christmas``);
#: a case's settings are appended to an occasion's mapping.
CONFIG = """\
sender: {{name: Shop, email: hello@shop.example}}
defaults: {{timezone: Europe/Moscow, country: RU}}
contacts:
  path: c.csv
  dates: {{birthday: B, first_deal: D}}
occasions:
  - {{name: birthday, field: birthday, template: birthday{birthday}}}
  - {{name: first_deal, field: first_deal, template: first_deal{first_deal}}}
  - {{name: new_year, date: "12-29", template: new_year{new_year}}}
{christmas}frequency_cap: {{max_count: 6, window_days: 365, min_gap_days: 14}}
send_window:
  hours: {{start: "10:00", end: "18:00"}}
  lunch: {{start: "13:00", end: "14:00"}}
  friday_cutoff: "15:00"
  end_margin_minutes: 30
catch_up_days: 3
"""
CHRISTMAS = "  - {{name: christmas, template: holiday{0}}}\n"
#: Their priorities, unless a case sets one: birthday > first deal > New Year > Christmas.
PRIORITY = {"birthday": 100, "first_deal": 70, "new_year": 60, "christmas": 40}


def config(settings: dict[str, str]) -> str:
    """:data:`CONFIG` with ``settings`` by occasion (``christmas``: the occasion is added)."""
    own = {
        name: ("" if "priority:" in settings.get(name, "") else f", priority: {p}") + settings.get(name, "")
        for name, p in PRIORITY.items()
    }
    christmas = own.pop("christmas")
    if "date:" not in christmas:
        christmas = ', date: "12-24"' + christmas
    christmas = CHRISTMAS.format(christmas) if "christmas" in settings else ""
    return CONFIG.format(**own, christmas=christmas)


#: (status, reason, merged_into, a part of the detail) by occasion.
Expected = dict[str, tuple[str, str | None, str | None, str]]


def decisions(
    settings: dict[str, str], dates: dict[str, date], past: list[PastGreeting], now: datetime
) -> dict[str, tuple[str, str | None, str | None, str]]:
    """What the planner decides from ``now`` over December and January, by occasion."""
    s = parse_settings(config(settings), "g.yaml", today=TODAY)
    contact = Contact(id="1", email="a@example.com", first_name="Kati", dates=MappingProxyType(dates))
    pw = plan_window(s, now=now, start=D(2026, 12, 1), days=50)
    got = {}
    for item in plan([contact], pw, history={"1": past}):
        got[item.hit.occasion] = (item.status, item.reason, item.merged_into, item.detail)
    return got


def sent(day: date, occasion: str = "earlier") -> PastGreeting:
    """A letter the journal holds as sent on ``day`` (another occasion's, to the same client)."""
    return PastGreeting("1", occasion, day, day)


BEFORE = datetime(2026, 12, 1, 9, tzinfo=MSK)
DEAL_11_01 = {"first_deal": D(2020, 1, 11)}
ESTONIAN = {"christmas": ", merge: false"}
#: New Year in an 11 January letter: 13 days late, past its default bound (catch_up_days, 3).
NEW_YEAR_NOT_CARRIED = (
    "skip", "frequency_cap", None,
    "the first_deal letter of 2027-01-11 would carry it 13 days after its day (merge_max_days_late 3); "
    "alone it would come only 13 days from the greeting of 2027-01-11 (min_gap_days 14)",
)  # fmt: skip
#: A birthday greeted in advance brings bad luck (Russia): the birthday's own max_days_early.
NOT_IN_ADVANCE = {"birthday": ", max_days_early: 0"}


@pytest.mark.parametrize(
    ("settings", "dates", "past", "now", "expected"),
    [
        # By default the design's rule: within the gap they merge, New Year in the 11 January
        # first-deal letter (a belated wish rather than none).
        pytest.param(
            {}, DEAL_11_01, [], BEFORE,
            {"new_year": ("skip", "merged", "first_deal", "sent with first_deal"),
             "first_deal": ("send", None, None, "")},
            id="by-default-new-year-rides-in-the-11-january-letter",
        ),
        # Defect 1, bounded: New Year at most 3 days late. The first deal of 11 January (a higher
        # priority) leads its letter as before, but no longer carries the New Year wishes 13 days
        # late: they are skipped up front, saying why — not lost later with it.
        pytest.param(
            {"new_year": ", merge_max_days_late: 3"}, DEAL_11_01, [], BEFORE,
            {"first_deal": ("send", None, None, ""), "new_year": NEW_YEAR_NOT_CARRIED},
            id="new-year-does-not-ride-13-days-late",
        ),
        pytest.param(  # the same on New Year's day itself: the plan keeps its shape
            {"new_year": ", merge_max_days_late: 3"}, DEAL_11_01, [], datetime(2026, 12, 29, 9, tzinfo=MSK),
            {"first_deal": ("send", None, None, ""), "new_year": NEW_YEAR_NOT_CARRIED},
            id="new-year-not-carried-on-its-day-either",
        ),
        pytest.param(  # New Year before New Year: give it the higher priority, and it leads (its
            # bound is its own: the first deal, a date column's, may ride early)
            {"new_year": ", priority: 75, merge_max_days_late: 3"}, DEAL_11_01, [], BEFORE,
            {"new_year": ("send", None, None, ""),
             "first_deal": ("skip", "merged", "new_year", "sent with new_year")},
            id="new-year-of-a-higher-priority-leads-before-new-year",
        ),
        pytest.param(  # …unless the first deal may not be greeted so early either
            {"new_year": ", priority: 75", "first_deal": ", merge_max_days_early: 3"}, DEAL_11_01, [], BEFORE,
            {"new_year": ("send", None, None, ""),
             "first_deal": ("skip", "frequency_cap", None,
                            "the new_year letter of 2026-12-29 would carry it 13 days before its day "
                            "(merge_max_days_early 3); alone it would come only 13 days from the "
                            "greeting of 2026-12-29 (min_gap_days 14)")},
            id="merge-max-days-early",
        ),
        pytest.param(  # merge_max_days_late: null asks for the old way: New Year rides 13 days late
            {"new_year": ", merge_max_days_late: null"}, DEAL_11_01, [], BEFORE,
            {"new_year": ("skip", "merged", "first_deal", "sent with first_deal"),
             "first_deal": ("send", None, None, "")},
            id="unbounded-new-year-rides-late",
        ),
        pytest.param(  # a bound that 13 days keeps: as before
            {"new_year": ", merge_max_days_late: 13"}, DEAL_11_01, [], BEFORE,
            {"new_year": ("skip", "merged", "first_deal", "sent with first_deal"),
             "first_deal": ("send", None, None, "")},
            id="bound-of-13-days-keeps-it",
        ),
        pytest.param(  # a birthday letter on 11 January does not carry it either
            {"new_year": ", merge_max_days_late: 3"}, {"birthday": D(1980, 1, 11)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "new_year": ("skip", "frequency_cap", None,
                          "the birthday letter of 2027-01-11 would carry it 13 days after its day")},
            id="birthday-letter-13-days-later",
        ),
        # The birthday refused by the cap (a letter on 20 January): New Year leads in its place
        # and carries it 13 days early — unless the birthday may not be greeted in advance (its
        # max_days_early 0, the merge's default early bound), when it says why it is not carried.
        pytest.param(  # merge_max_days_early: null lets it ride early all the same
            {"birthday": ", max_days_early: 0, merge_max_days_early: null"}, {"birthday": D(1980, 1, 11)},
            [sent(D(2027, 1, 20))], BEFORE,
            {"new_year": ("send", None, None, ""),
             "birthday": ("skip", "merged", "new_year", "sent with new_year")},
            id="refused-birthday-rides-early-in-new-year-if-allowed",
        ),
        pytest.param(
            NOT_IN_ADVANCE, {"birthday": D(1980, 1, 11)}, [sent(D(2027, 1, 20))], BEFORE,
            {"new_year": ("send", None, None, ""),
             "birthday": ("skip", "frequency_cap", None,
                          "the new_year letter of 2026-12-29 would carry it 13 days before its day "
                          "(merge_max_days_early 0); alone it would come only 13 days from the greeting "
                          "of 2026-12-29 (min_gap_days 14)")},
            id="max-days-early-is-the-merge-early-bound",
        ),
        pytest.param(  # a birthday the day after New Year: one day late is within a bound of 1
            {"new_year": ", merge_max_days_late: 1"}, {"birthday": D(1980, 12, 30)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "new_year": ("skip", "merged", "birthday", "sent with birthday")},
            id="a-day-late-still-merges",
        ),
        pytest.param(  # lateness counts from its own day, not from the day a day off moved it ahead
            # to: Sunday 27 December greeted on Friday the 25th is 1 day late on Monday the 28th
            {"christmas": ', date: "12-27", merge_max_days_late: 1'}, {"birthday": D(1980, 12, 28)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "christmas": ("skip", "merged", "birthday", "sent with birthday"),
             "new_year": ("skip", "merged", "birthday", "sent with birthday")},
            id="late-from-its-own-day-not-the-day-off-move",
        ),
        pytest.param(  # …and not within a bound of 0 ("1 day", not "1 days")
            {"new_year": ", merge_max_days_late: 0"}, {"birthday": D(1980, 12, 30)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "new_year": ("skip", "frequency_cap", None,
                          "the birthday letter of 2026-12-30 would carry it 1 day after its day "
                          "(merge_max_days_late 0); alone it would come only 1 day from the greeting "
                          "of 2026-12-30 (min_gap_days 14)")},
            id="bound-of-0-days",
        ),
        # The old way's loss, made explicit: the carrier refused by the cap on its day (a letter
        # to the client on 5 January), New Year, past its catch-up, says why no letter carries it.
        pytest.param(
            {"new_year": ", merge_max_days_late: null"}, DEAL_11_01, [sent(D(2027, 1, 5))],
            datetime(2027, 1, 11, 9, tzinfo=MSK),
            {"new_year": ("skip", "expired", None,
                          "no letter of its group could carry it (first_deal of 2027-01-11: only 6 days "
                          "from the greeting of 2027-01-05 (min_gap_days 14))"),
             "first_deal": ("skip", "frequency_cap", None, "only 6 days from the greeting of 2027-01-05")},
            id="carrier-refused-by-the-cap-says-so",
        ),
        pytest.param(  # …and when the carrier itself expired (downtime from 11 to 18 January)
            {"new_year": ", merge_max_days_late: null"}, DEAL_11_01, [],
            datetime(2027, 1, 18, 9, tzinfo=MSK),
            {"new_year": ("skip", "expired", None,
                          "no letter of its group could carry it (first_deal of 2027-01-11: expired too)"),
             "first_deal": ("skip", "expired", None, "")},
            id="carrier-expired-says-so",
        ),
        pytest.param(  # a 2 January birthday a day off moved to 30 December, both expired in a
            # downtime over the New Year break: named by its own day, not the day it was to leave
            {}, {"birthday": D(1980, 1, 2)}, [], datetime(2027, 1, 6, 9, tzinfo=MSK),
            {"new_year": ("skip", "expired", None,
                          "no letter of its group could carry it (birthday of 2027-01-02: expired too)"),
             "birthday": ("skip", "expired", None, "")},
            id="expired-carrier-named-by-its-own-day",
        ),
        # Defect 2: merge: false keeps Christmas out of the 11 December birthday letter. The two
        # cannot both go within min_gap_days: the lower priority (Christmas) is skipped, saying why.
        pytest.param(
            ESTONIAN, {"birthday": D(1980, 12, 11)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "christmas": ("skip", "frequency_cap", None, "only 13 days from the greeting of 2026-12-11"),
             "new_year": ("send", None, None, "")},
            id="merge-false-is-not-folded-into-an-earlier-letter",
        ),
        pytest.param(  # merged as before with merge: true, the default («eelseisvate jõulude»)
            {"christmas": ", merge: true"}, {"birthday": D(1980, 12, 11)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "christmas": ("skip", "merged", "birthday", "sent with birthday"),
             "new_year": ("send", None, None, "")},
            id="merged-without-it",
        ),
        pytest.param(  # far enough from the birthday: its own letter; New Year, 5 days later and
            # of a lower priority here, is refused by the gap (it may not ride in it either)
            {"christmas": ", merge: false, priority: 65"}, {"birthday": D(1980, 12, 1)}, [], BEFORE,
            {"birthday": ("send", None, None, ""), "christmas": ("send", None, None, ""),
             "new_year": ("skip", "frequency_cap", None, "only 5 days from the greeting of 2026-12-24")},
            id="merge-false-its-own-letter",
        ),
        pytest.param(  # Christmas first, New Year and a birthday after it: the lower priority yields,
            # though it comes first — the client is not left without a birthday letter for Christmas
            ESTONIAN, {"birthday": D(1980, 12, 30)}, [], BEFORE,
            {"christmas": ("skip", "frequency_cap", None,
                           "its own letter (merge: false) on 2026-12-24 would come only 5 days before "
                           "the new_year greeting of 2026-12-29, of a higher priority (min_gap_days 14)"),
             "birthday": ("send", None, None, ""),
             "new_year": ("skip", "merged", "birthday", "sent with birthday")},
            id="merge-false-yields-to-a-later-higher-priority",
        ),
        pytest.param(  # nor does it carry: a merge: false birthday leaves New Year to the cap
            {"birthday": ", merge: false"}, {"birthday": D(1980, 12, 22)}, [], BEFORE,
            {"birthday": ("send", None, None, ""),
             "new_year": ("skip", "frequency_cap", None, "only 7 days from the greeting of 2026-12-22")},
            id="merge-false-carries-nothing",
        ),
        pytest.param(  # a merge: false letter of a higher priority later: the earlier letter yields
            {"new_year": ", merge: false, priority: 120"}, {"birthday": D(1980, 12, 18)}, [], BEFORE,
            {"birthday": ("skip", "frequency_cap", None,
                          "leading the letter on 2026-12-18, it would come only 11 days before the "
                          "new_year greeting of 2026-12-29, of a higher priority (min_gap_days 14)"),
             "new_year": ("send", None, None, "")},
            id="an-earlier-letter-yields-to-a-merge-false-of-higher-priority",
        ),
    ],
)  # fmt: skip
def test_merge_settings_table(
    settings: dict[str, str],
    dates: dict[str, date],
    past: list[PastGreeting],
    now: datetime,
    expected: Expected,
) -> None:
    got = decisions(settings, dates, past, now)
    assert set(got) == set(expected), got
    for name, (status, reason, merged_into, detail) in expected.items():
        assert got[name][:3] == (status, reason, merged_into), (name, got[name])
        assert detail in got[name][3], (name, got[name][3])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("merge: false, merge_max_days_late: 3",
         "occasions.2.merge_max_days_late: merge_max_days_late bounds how far another letter may carry "
         "new_year, and merge: false means none ever does: it would do nothing"),
        ("merge_max_days_early: -1", "occasions.2.merge_max_days_early: Input should be greater than or equal to 0"),
        ("merge: perhaps", "occasions.2.merge: write true or false (got 'perhaps')"),
    ],
)  # fmt: skip
def test_merge_settings_are_checked(setting: str, message: str) -> None:
    text = config({"new_year": f", {setting}"})
    with pytest.raises(ConfigError) as raised:
        parse_settings(text, "g.yaml", today=TODAY)
    assert message in str(raised.value)


def test_preview_json_new_year_is_not_carried_13_days_late(make_project: MakeProject) -> None:
    """End to end with the example config (New Year below the first deal) and New Year's
    ``merge_max_days_late: 3``: the 11 January first-deal letter goes alone, and New Year is
    skipped on its own day saying why — not carried 13 days late and lost with that letter
    when it is refused or expires."""
    row = "1;f1@example.com;Попова;Елена;Викторовна;;ООО «Лента»;Europe/Moscow;ru;regular;;10.06.1981;;11.01.2020;Россия"
    config = make_project([row])
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    (new_year,) = (o for o in data["occasions"] if o["name"] == "new_year")
    new_year["merge_max_days_late"] = 3
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    for now in ("2026-12-01T10:00", "2026-12-29T10:00"):
        run = greeter_process(
            config, "preview", "--now", now, "--from", "2026-12-20", "--days", "30", "--format", "json"
        )
        assert run.returncode == 0, run.stderr
        items: list[dict[str, Any]] = json.loads(run.stdout)
        got = {i["occasion"]: (i["status"], i["reason"], i["merged_with"]) for i in items}
        assert got == {
            "new_year": ("skip", "frequency_cap", []),
            "first_deal_anniversary": ("send", None, []),
        }, now
        new_year = next(i for i in items if i["occasion"] == "new_year")
        assert new_year["detail"] == (
            "the first_deal_anniversary letter of 2027-01-11 would carry it 13 days after its day "
            "(merge_max_days_late 3); alone it would come only 13 days from the greeting of 2027-01-11 "
            "(min_gap_days 14)"
        )
        deal = next(i for i in items if i["occasion"] == "first_deal_anniversary")
        assert deal["send_at"].startswith("2027-01-11") and "Новым" not in deal["text"], deal["text"]


def test_example_config_documents_the_settings() -> None:
    """config.example.yaml shows the new settings (commented), as it does every other one."""
    text = (Path(__file__).parent.parent / "config.example.yaml").read_text(encoding="utf-8")
    assert "merge: false" in text and "merge_max_days_late" in text


@pytest.mark.parametrize(
    ("occasion", "key"), [("new_year", "merge_max_days_late"), ("womens_day", "merge_max_days_early")]
)
def test_each_merge_bound_is_a_commented_key_of_the_example_that_works_uncommented(
    occasion: str, key: str
) -> None:
    """Each bound is shown on an occasion, commented, as docs/config.md's examples set it: the
    early one was only named in the occasions' header comment, never shown on an occasion."""
    root = Path(__file__).parent.parent
    text = (root / "config.example.yaml").read_text(encoding="utf-8")
    line = f"    # {key}: 3 "
    assert text.count(line) == 1, f"{key} is not shown commented on an occasion"
    settings = parse_settings(text.replace(line, f"    {key}: 3 # "), "greeter.yaml", root, today=TODAY)
    (found,) = [o for o in settings.occasions if getattr(o, key) is not None]
    assert found.name == occasion and getattr(found, key) == 3
    assert key in (root / "docs" / "config.md").read_text(encoding="utf-8")
