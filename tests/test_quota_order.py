"""Under ``delivery.rate_limit.per_day`` the scarce slots go to the letters lost first.

Slots handed out in contact-id order with retries last sent New-Year letters that
could still leave tomorrow while birthdays that expired tonight were left
``quota_unsent``. :func:`~greeter.quota_plan.quota_rank` orders them: earliest
deadline, then higher priority, then contact id. The end-to-end case runs real
``send --once`` processes against a real SMTP sink and SQLite journal.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from greeter.quota_plan import id_order, in_quota_order, quota_rank
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_day_quota import per_day, send_json
from tests.test_send_e2e import NOW, people

MSK = ZoneInfo("Europe/Moscow")
TONIGHT = datetime(2026, 12, 30, tzinfo=MSK)
TOMORROW = TONIGHT + timedelta(days=1)
DAY = date(2026, 12, 29)


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        # (name, deadline, priorities, contact id): the birthday expiring tonight goes first.
        ([("ny", TOMORROW, (60,), "1"), ("bd", TONIGHT, (100,), "9")], ["bd", "ny"]),
        # a lower priority expiring sooner still goes first: it is the one lost otherwise
        ([("bd", TOMORROW, (100,), "1"), ("ny", TONIGHT, (60,), "2")], ["ny", "bd"]),
        # the same deadline: the higher priority, whatever the contact id
        ([("ny", TONIGHT, (60,), "1"), ("bd", TONIGHT, (100,), "2")], ["bd", "ny"]),
        # a merged letter counts its highest priority
        ([("ny", TONIGHT, (60,), "1"), ("ny+bd", TONIGHT, (60, 100), "2")], ["ny+bd", "ny"]),
        # the same deadline and priority: by contact id, not by the list's order
        ([("b", TONIGHT, (60,), "2"), ("a", TONIGHT, (60,), "1")], ["a", "b"]),
        # deadlines in other zones compare as moments: 22:00 Moscow (19:00 UTC) before 01:00 in
        # Yekaterinburg (20:00 UTC), though contact 1 is the Yekaterinburg one
        (
            [
                ("ekb", datetime(2026, 12, 30, 1, tzinfo=ZoneInfo("Asia/Yekaterinburg")), (60,), "1"),
                ("msk", datetime(2026, 12, 29, 22, tzinfo=MSK), (60,), "2"),
            ],
            ["msk", "ekb"],
        ),
        ([], []),
    ],
)
def test_quota_order_earliest_deadline_then_priority_then_contact(
    letters: list[tuple[str, datetime, tuple[int, ...], str]], expected: list[str]
) -> None:
    ordered = in_quota_order(letters, lambda x: quota_rank(x[1], x[2], (x[3], x[0], DAY)))
    assert [name for name, *_ in ordered] == expected


def test_quota_rank_without_priorities_counts_zero() -> None:
    assert quota_rank(TONIGHT, (), ("7", "birthday", DAY)) == (TONIGHT, 0, (0, 7, "7"), "birthday", DAY)


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["10", "9", "2"], ["2", "9", "10"]),  # numbers as numbers, not "10" before "2"
        (["b7", "10", "a", "007"], ["007", "10", "a", "b7"]),  # numeric first, the rest as text
        (["٣", "2"], ["2", "٣"]),  # an Arabic-Indic digit is not an ASCII number: text
    ],
)
def test_contact_ids_order_numerically_then_as_text(ids: list[str], expected: list[str]) -> None:
    assert sorted(ids, key=id_order) == expected


def test_send_once_under_the_quota_sends_the_letters_that_expire_first(make_project: MakeProject) -> None:
    """Contacts 1-5 had their birthday yesterday, 6-10 the day before (their catch-up period
    ends a day sooner); a quota of 5 sent 1-5 and left 6-10 to run out of time first."""
    rows = people(5, day="13.04.1980") + [
        contact_row(str(i), f"client{i}@example.com", birthday="12.04.1980") for i in range(6, 11)
    ]
    with SmtpSink() as sink:
        config = make_project(rows, **per_day(sink.port, 5))
        first = send_json(config, NOW)
        assert (first["due"], first["sent"], first["quota_unsent"]) == (10, 5, 5)
        got = sorted(str(m.parsed()["To"]).split("client")[1].split("@")[0] for m in sink.messages)
        assert got == sorted(["6", "7", "8", "9", "10"])


def test_a_due_retry_is_not_starved_by_fresh_letters_that_can_wait(make_project: MakeProject) -> None:
    """Contact 1's birthday letter (12 April: its catch-up ends a day before the others') is put
    off by a 451; when the quota frees its slots the next day, six of them, the retry and six
    fresh letters of 13 April want them. Retries went last: the slots went to contacts 8–13."""
    rows = [contact_row("1", "client1@example.com", birthday="12.04.1980")] + [
        contact_row(str(i), f"client{i}@example.com", birthday="13.04.1980") for i in range(2, 14)
    ]
    with SmtpSink() as sink:
        config = make_project(rows, **per_day(sink.port, 6))
        sink.reject("client1@example.com", 451)
        first = send_json(config, NOW)
        # The refused letter takes no slot (the provider's cap counts accepted letters): six go.
        assert (first["sent"], first["retry"], first["quota_unsent"]) == (6, 1, 6), first
        sink.reset()
        # The journal's six sends fill the quota: nothing at 11:02, the retry's backoff over or not.
        spent = send_json(config, "2027-04-14T11:02:00+03:00")
        assert (spent["sent"], spent["quota_unsent"]) == (0, 7), spent
        # A day later the six slots free: the retry goes first, one fresh letter is left.
        later = send_json(config, "2027-04-15T11:01:00+03:00")
        assert (later["sent"], later["quota_unsent"]) == (6, 1), later
        assert any("client1@" in str(m.parsed()["To"]) for m in sink.messages), sink.messages
