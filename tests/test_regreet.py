"""A yearly occasion greeted for one date is not greeted again for a corrected date of it.

The journal's key is (contact, occasion, occasion date): a birthday greeted on 21.01 for 20.01,
which the CRM then corrected to 05.03, was a new key on 05.03 — the client got a second birthday
letter six weeks after the first, and ``preview --contact`` over both days showed only the second.
The rule (:func:`greeter.precheck.greeted_before`) is pure and asked by the planner that preview,
check, calendar, send and the daemon share; the last test runs it through ``send --once`` on a
real SQLite journal and the ``file`` transport.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Settings
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.plan_journal import journal_letters
from greeter.plan_types import Hit, PastGreeting, PlanItem
from greeter.planner import plan, plan_window
from greeter.precheck import REGREET_DAYS, greeted_before
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_send_e2e import greeter, history

MSK = ZoneInfo("Europe/Moscow")

#: min_gap_days 1: the cap refuses none of the letters below by coincidence — only the rule does.
CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {timezone: Europe/Moscow, country: RU}
contacts:
  path: c.csv
  dates: {birthday: B, first_deal: D}
occasions:
  - {name: birthday, field: birthday, template: birthday, priority: 100}
  - {name: first_deal, field: first_deal, template: first_deal, priority: 70}
  - {name: womens_day, date: "03-08", template: holiday, priority: 30}
  - {name: defender_day, holiday: "Defender of the Fatherland Day", template: holiday, priority: 30}
frequency_cap: {max_count: 6, window_days: 365, min_gap_days: 1}
send_window:
  hours: {start: "10:00", end: "18:00"}
  day_off_policy: on_day
catch_up_days: 30
leap_day: LEAP
"""


def settings(leap_day: str = "feb28") -> Settings:
    return parse_settings(CONFIG.replace("LEAP", leap_day), "g.yaml", today=TODAY)


def person(cid: str = "1019", email: str = "client@example.com", **dates: date) -> Contact:
    return Contact(
        id=cid, email=email, first_name="Иван", patronymic="Петрович", dates=MappingProxyType(dates)
    )


def row(
    occasion_date: date,
    day: date | None = None,
    state: str = "sent",
    occasion: str = "birthday",
    cid: str = "1019",
    **kw: object,
) -> PastGreeting:
    """A journal row as the journal gives it (a sent one with its moment, noon UTC of its day)."""
    day = day or occasion_date
    sent_at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) if state == "sent" else None
    return PastGreeting(cid, occasion, occasion_date, day, state, "client@example.com", sent_at, **kw)  # type: ignore[arg-type]


def hit(when: date, occasion: str = "birthday") -> Hit:
    return Hit(person(), occasion, when, 47, 100, occasion)


# --------------------------------------------------------------------------- the rule, pure

JAN20, MAR5 = date(2027, 1, 20), date(2027, 3, 5)
SENT_BIRTHDAY_20_01 = row(JAN20, date(2027, 1, 21))


@pytest.mark.parametrize(
    ("hit_date", "past", "counted"),
    [
        pytest.param(MAR5, [SENT_BIRTHDAY_20_01], True, id="corrected-later-by-weeks"),
        pytest.param(date(2026, 12, 30), [SENT_BIRTHDAY_20_01], True, id="corrected-earlier-across-new-year"),
        pytest.param(date(2027, 7, 20), [SENT_BIRTHDAY_20_01], True, id="181-days-later-same-birthday"),
        pytest.param(date(2027, 7, 21), [SENT_BIRTHDAY_20_01], True, id="182-days-later-same-birthday"),
        pytest.param(date(2027, 7, 22), [SENT_BIRTHDAY_20_01], False, id="183-days-later-next-years"),
        pytest.param(date(2028, 1, 20), [SENT_BIRTHDAY_20_01], False, id="next-year-same-date"),
        pytest.param(date(2028, 1, 10), [SENT_BIRTHDAY_20_01], False, id="next-year-moved-10-days-earlier"),
        pytest.param(date(2028, 3, 5), [SENT_BIRTHDAY_20_01], False, id="moved-by-a-year-and-weeks"),
        pytest.param(JAN20, [SENT_BIRTHDAY_20_01], False, id="same-key-is-precheck-s"),
        pytest.param(
            date(2027, 3, 1), [row(date(2027, 2, 28), date(2027, 2, 26))], True, id="leap-feb28-to-mar1"
        ),
        pytest.param(date(2027, 2, 28), [row(date(2027, 3, 1))], True, id="leap-mar1-to-feb28"),
        pytest.param(
            date(2028, 2, 29), [row(date(2027, 2, 28), date(2027, 2, 26))], False, id="leap-next-year"
        ),
        pytest.param(MAR5, [row(JAN20, state="retry")], True, id="retry-counts"),
        pytest.param(MAR5, [row(JAN20, state="claimed")], True, id="claimed-counts"),
        pytest.param(MAR5, [row(JAN20, state="uncertain")], True, id="uncertain-counts"),
        pytest.param(MAR5, [row(JAN20, state="failed")], False, id="failed-does-not"),
        pytest.param(MAR5, [row(JAN20, state="expired")], False, id="expired-does-not"),
        pytest.param(MAR5, [row(JAN20, state="skipped")], False, id="plain-skip-does-not"),
        pytest.param(MAR5, [row(JAN20, occasion="first_deal")], False, id="another-occasion-does-not"),
        pytest.param(
            MAR5,
            [
                row(JAN20, state="skipped", merged_into="first_deal"),
                row(date(2027, 1, 25), occasion="first_deal", merged=("birthday",)),
            ],
            True,
            id="merged-into-a-sent-letter-counts",
        ),
        pytest.param(
            MAR5,
            [
                row(JAN20, state="skipped", merged_into="first_deal"),
                row(date(2027, 1, 25), state="failed", occasion="first_deal", merged=("birthday",)),
            ],
            False,
            id="merged-into-a-failed-letter-does-not",
        ),
        pytest.param(
            MAR5, [row(JAN20, state="skipped", merged_into="first_deal")], False, id="merged-carrier-unknown"
        ),
    ],
)
def test_the_rule(hit_date: date, past: list[PastGreeting], counted: bool) -> None:
    found = greeted_before(hit(hit_date), past)
    assert (found is not None) == counted, found
    if found is not None:
        assert abs((found.row.occasion_date - hit_date).days) < REGREET_DAYS


def test_the_detail_says_when_for_which_day_and_what_the_source_says_now() -> None:
    found = greeted_before(hit(MAR5), [SENT_BIRTHDAY_20_01])
    assert found is not None and found.state == "sent"
    assert (
        found.detail(hit(MAR5))
        == "greeted for this occasion on 2027-01-21 (for 20.01; the contacts source now says 05.03)"
    )
    retry = greeted_before(hit(MAR5), [row(JAN20, date(2027, 1, 21), state="retry")])
    assert retry is not None and retry.state == "retry"
    assert retry.detail(hit(MAR5)) == (
        "the journal holds this occasion's greeting (retry: greeter send sends it again when its retry"
        " is due), for 20.01; the contacts source now says 05.03"
    )
    merged = [
        row(JAN20, state="skipped", merged_into="first_deal"),
        row(date(2027, 1, 25), occasion="first_deal", merged=("birthday",)),
    ]
    rode = greeted_before(hit(MAR5), merged)
    assert rode is not None and rode.state == "sent"
    assert rode.detail(hit(MAR5)) == (
        "greeted for this occasion on 2027-01-25 in the first_deal letter (for 20.01; the contacts source now says 05.03)"
    )
    across = greeted_before(hit(date(2027, 1, 5)), [row(date(2026, 12, 20))])
    assert across is not None
    assert "(for 20.12.2026; the contacts source now says 05.01.2027)" in across.detail(hit(date(2027, 1, 5)))


# --------------------------------------------------------------------------- the planner


def verdicts(
    contact: Contact,
    past: list[PastGreeting],
    now: datetime,
    start: date,
    days: int,
    leap_day: str = "feb28",
    by_email: dict[str, list[PastGreeting]] | None = None,
) -> dict[tuple[str, date], PlanItem]:
    pw = plan_window(settings(leap_day), now=now, start=start, days=days)
    history = {contact.id: past} if past else {}
    items = plan([contact], pw, history, by_email=by_email)
    return {(i.hit.occasion, i.hit.date): i for i in items}


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=MSK)


@pytest.mark.parametrize(
    ("birthday", "past", "now", "key", "expected"),
    [
        # Greeted on 21.01 for 20.01; on 25.01 the CRM says 05.03.
        pytest.param(date(1980, 3, 5), [SENT_BIRTHDAY_20_01], date(2027, 1, 25), ("birthday", MAR5),
                     ("skip", "already_sent"), id="corrected-later-by-weeks"),
        # Greeted on 05.03; on 10.03 the CRM says 19.02, 19 days back, within catch_up_days: was a belated letter.
        pytest.param(date(1980, 2, 19), [row(MAR5)], date(2027, 3, 10), ("birthday", date(2027, 2, 19)),
                     ("skip", "already_sent"), id="corrected-earlier-by-weeks"),
        # Last year's letter (01.03.2026): this year's corrected birthday is greeted.
        pytest.param(date(1980, 3, 5), [row(date(2026, 3, 1))], date(2027, 2, 20), ("birthday", MAR5),
                     ("send", None), id="moved-by-a-year"),
        pytest.param(date(1980, 3, 5), [row(date(2026, 9, 1))], date(2027, 2, 20), ("birthday", MAR5),
                     ("send", None), id="half-a-year-and-more-before"),
        pytest.param(date(1980, 3, 5), [row(JAN20, date(2027, 1, 21), "retry")], date(2027, 1, 25),
                     ("birthday", MAR5), ("skip", "already_sent"), id="retry-row-counts"),
        pytest.param(date(1980, 3, 5), [row(JAN20, date(2027, 1, 21), "failed")], date(2027, 1, 25),
                     ("birthday", MAR5), ("send", None), id="failed-row-does-not"),
        pytest.param(date(1980, 3, 5), [row(JAN20, date(2027, 1, 21), "expired")], date(2027, 1, 25),
                     ("birthday", MAR5), ("send", None), id="expired-row-does-not"),
        # Fixed-date and holiday occasions: another day of them is another occasion, never a correction.
        pytest.param(date(1980, 6, 1), [row(date(2027, 3, 7), occasion="womens_day")], date(2027, 3, 7),
                     ("womens_day", date(2027, 3, 8)), ("send", None), id="fixed-date-unaffected"),
        pytest.param(date(1980, 6, 1), [row(date(2027, 2, 20), occasion="defender_day")], date(2027, 2, 21),
                     ("defender_day", date(2027, 2, 23)), ("send", None), id="holiday-unaffected"),
    ],
)  # fmt: skip
def test_the_planner_skips_a_corrected_date_as_already_sent(
    birthday: date,
    past: list[PastGreeting],
    now: date,
    key: tuple[str, date],
    expected: tuple[str, str | None],
) -> None:
    items = verdicts(person(birthday=birthday), past, at(now), now - timedelta(days=30), 90)
    item = items[key]
    assert (item.status, item.reason) == expected, item
    if expected[1] == "already_sent":
        assert item.journal_state == past[0].state and "the contacts source now says" in item.detail


@pytest.mark.parametrize(
    ("was", "now_rule", "greeted", "then"),
    [
        ("feb28", "mar1", date(2027, 2, 28), date(2027, 3, 1)),
        ("mar1", "feb28", date(2027, 3, 1), date(2027, 2, 28)),
    ],
)
def test_a_leap_day_rule_changed_after_the_letter_does_not_greet_again(
    was: str, now_rule: str, greeted: date, then: date
) -> None:
    """29 February greeted on 28.02 (``leap_day: feb28``), then the config says ``mar1``: one letter."""
    contact = person(birthday=date(1980, 2, 29))
    first = verdicts(contact, [], at(date(2027, 2, 20)), date(2027, 2, 20), 20, leap_day=was)
    assert first[("birthday", greeted)].status == "send"
    past = [row(greeted, date(2027, 2, 26))]
    items = verdicts(contact, past, at(date(2027, 2, 27)), date(2027, 2, 27), 5, leap_day=now_rule)
    assert (items[("birthday", then)].status, items[("birthday", then)].reason) == ("skip", "already_sent")
    # ... and next year's 29 February is greeted
    later = verdicts(contact, past, at(date(2028, 2, 20)), date(2028, 2, 20), 15, leap_day=now_rule)
    assert later[("birthday", date(2028, 2, 29))].status == "send"


def test_a_renumbered_client_s_corrected_birthday_is_linked_by_address() -> None:
    """The journal's letter under the old id, to the same address: linked as for the same key."""
    old = row(JAN20, date(2027, 1, 21), cid="7001")
    renumbered = person("9001", email="Client@example.com", birthday=date(1980, 3, 5))
    items = verdicts(
        renumbered, [], at(date(2027, 1, 25)), date(2027, 1, 25), 60, by_email={"client@example.com": [old]}
    )
    item = items[("birthday", MAR5)]
    assert (item.status, item.reason) == ("skip", "already_sent")
    assert item.detail == (
        "greeted for this occasion on 2027-01-21 to client@example.com as contact 7001"
        " (for 20.01; the contacts source now says 05.03)"
    )


def test_every_range_decides_alike() -> None:
    """Preview over two months, a daemon's few days, the day itself: the same verdict."""
    contact, past = person(birthday=date(1980, 3, 5)), [SENT_BIRTHDAY_20_01]
    for now, start, days in [
        (date(2027, 1, 25), date(2027, 1, 1), 75),
        (date(2027, 3, 3), date(2027, 3, 3), 3),
        (date(2027, 3, 5), date(2027, 3, 5), 1),
    ]:
        item = verdicts(contact, past, at(now), start, days)[("birthday", MAR5)]
        assert (item.status, item.reason) == ("skip", "already_sent"), (now, start, days)


def test_journal_letters_lists_the_letter_the_plan_no_longer_makes() -> None:
    contact = person(birthday=date(1980, 3, 5))
    pw = plan_window(settings(), now=at(date(2027, 1, 25)), start=date(2027, 1, 1), days=75)
    (letter,) = journal_letters(contact, [SENT_BIRTHDAY_20_01], {("birthday", MAR5)}, pw)
    assert (letter.status, letter.hit.date, letter.journal_state) == ("sent", JAN20, "sent")
    assert letter.send_at == datetime(2027, 1, 21, 12, tzinfo=MSK)
    assert letter.detail == "from the journal: sent for 20.01; the contacts source now says 05.03"
    # a letter the plan still makes is the plan's; one outside the range is not listed
    assert journal_letters(contact, [SENT_BIRTHDAY_20_01], {("birthday", JAN20)}, pw) == []
    assert journal_letters(contact, [row(date(2026, 12, 20))], set(), pw) == []


# --------------------------------------------------------------------------- end to end


def _rewrite_birthday(config: Path, cid: str, birthday: str) -> None:
    """The CRM's correction: the contact's birthday cell in the example's CSV, rewritten."""
    path = config.parent / "data" / "contacts.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    column = rows[0].index("Дата рождения")
    for r in rows[1:]:
        if r[0] == cid:
            r[column] = birthday
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8-sig")


@pytest.mark.parametrize("window_days", [365, 1])
def test_send_once_does_not_greet_a_corrected_birthday_again(
    make_project: MakeProject, window_days: int
) -> None:
    """``window_days: 1``: the journal's history read for the cap alone ended days before the letter
    of 21.01 — it must reach back half a year whatever the cap's window (runtime.history_reach)."""
    rows = [contact_row("1019", "client@example.com", birthday="20.01.1980")]
    config = make_project(rows, frequency_cap={"window_days": window_days})
    outbox = config.parent / "data" / "outbox"
    first = greeter(config, "send", "--once", "--now", "2027-01-21T11:00:00+03:00")  # belated by a day
    assert first.returncode == 0 and "sent: 1" in first.stdout, first.stdout + first.stderr
    assert len(list(outbox.glob("*.eml"))) == 1
    _rewrite_birthday(config, "1019", "05.03.1980")  # on 25.01 the CRM corrects it

    second = greeter(config, "send", "--once", "--now", "2027-03-05T11:00:00+03:00")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "sent: 1" not in second.stdout, second.stdout
    assert len(list(outbox.glob("*.eml"))) == 1  # no second birthday letter
    assert [(e["occasion_date"], e["state"]) for e in history(config)] == [("2027-01-20", "sent")]

    run = greeter(config, "preview", "--contact", "1019", "--from", "2027-01-01", "--days", "75",
                  "--now", "2027-03-05T11:05:00+03:00", "--format", "json")  # fmt: skip
    assert run.returncode == 0, run.stderr
    items = [
        (i["occasion_date"], i["status"], i["reason"], i["journal_state"], i["detail"])
        for i in json.loads(run.stdout)
        if i["occasion"] == "birthday"  # the holidays in the range are outside its audience
    ]
    assert items == [
        ("2027-01-20", "sent", None, "sent", "from the journal: sent for 20.01; the contacts source now says 05.03"),
        ("2027-03-05", "skip", "already_sent", "sent",
         "greeted for this occasion on 2027-01-21 (for 20.01; the contacts source now says 05.03)"),
    ]  # fmt: skip
    table = greeter(config, "preview", "--contact", "1019", "--from", "2027-01-01", "--days", "75",
                    "--now", "2027-03-05T11:05:00+03:00").stdout  # fmt: skip
    assert "from the journal" in table and "already_sent" in table, table
    years = {i["occasion_date"]: i["years"] for i in json.loads(run.stdout) if i["occasion"] == "birthday"}
    assert years == {"2027-01-20": 47, "2027-03-05": 47}  # the journal's letter counts its years too (QA)
    # test-send of the letter preview lists from the journal finds it (QA: "has no birthday letter
    # for 2027-01-20", pointing back at the preview that listed it)
    trial = greeter(config, "test-send", "--contact", "1019", "--occasion", "birthday", "--date", "20.01.2027",
                    "--to", "me@example.org", "--now", "2027-03-05T11:10:00+03:00")  # fmt: skip
    assert trial.returncode == 0, trial.stdout + trial.stderr
    assert "already left" in trial.stdout + trial.stderr, trial.stdout + trial.stderr
