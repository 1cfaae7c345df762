"""What the frequency cap saw of one client's letters (greeter.cap_seen), table by table — pure.

The rows are the journal's as ``history`` reads them; the readings are the cap's
own (:func:`greeter.cap_seen.cap_day`), checked against what the planner's
journal read (:meth:`~greeter.journal_store.JournalStore.greeted_dates`) and
:func:`greeter.policy.past_days` count on a real SQLite journal.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.cap_seen import CAP_FIELDS, Seen, cap_day, cap_seen
from greeter.config import FrequencyCap
from greeter.journal_store import JournalEntry, decision_reason
from greeter.policy import past_days

CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
MOMENT = datetime(2027, 1, 1, 9, tzinfo=UTC)


def row(
    occasion: str,
    day: str,
    state: str = "sent",
    *,
    send_day: str | None = None,
    reason: str | None = None,
    contact: str = "1",
    sent_at: datetime | None = None,
) -> JournalEntry:
    """A journal row of ``contact``'s ``occasion`` on ``day`` (its letter's day ``send_day``)."""
    left = send_day or day
    at = sent_at or (datetime.fromisoformat(f"{left}T09:00:00+00:00") if state == "sent" else None)
    return JournalEntry(
        contact, occasion, date.fromisoformat(day), state, "one@example.com", None, 1, None, reason,
        None, date.fromisoformat(send_day) if send_day else None, None, (), None, MOMENT, MOMENT, at,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("entry", "counted"),
    [
        (row("birthday", "2027-04-13"), date(2027, 4, 13)),
        (row("birthday", "2027-04-13", send_day="2027-04-14"), date(2027, 4, 14)),  # the letter's day
        (row("birthday", "2027-04-13", "claimed"), date(2027, 4, 13)),
        (row("birthday", "2027-04-13", "retry", reason="421 busy"), date(2027, 4, 13)),
        (row("birthday", "2027-04-13", "uncertain"), date(2027, 4, 13)),
        (row("birthday", "2027-04-13", "skipped", reason="baseline: sent by the old CRM"), date(2027, 4, 13)),
        (row("birthday", "2027-04-13", "retry", reason=decision_reason("requeued", "ops")), None),
        (row("birthday", "2027-04-13", "failed", reason="550 no such user"), None),
        (row("birthday", "2027-04-13", "expired"), None),
        (row("birthday", "2027-04-13", "skipped", reason="merged into new_year"), None),
        (row("birthday", "2027-04-13", "skipped", reason="frequency_cap: only 6 days from …"), None),
        (row("birthday", "2027-04-13", "skipped", reason=decision_reason("dismissed", "ops")), None),
    ],
    ids=(
        [
            "sent",
            "sent-late",
            "claimed",
            "retry",
            "uncertain",
            "baseline",
            "requeued",
            "failed",
            "expired",
            "merged",
            "capped",
            "dismissed",
        ]
    ),
)
def test_what_counts_and_on_which_day(entry: JournalEntry, counted: date | None) -> None:
    assert cap_day(entry) == counted


@pytest.mark.parametrize(
    ("rows", "cap", "expected"),
    [
        # three letters: the gaps on the client's clock, the window filling up
        (
            [
                row("womens_day", "2027-03-08"),
                row("birthday", "2027-04-13", send_day="2027-04-14"),
                row("first_deal", "2027-05-20"),
            ],
            CAP,
            [Seen(True, None, 1), Seen(True, 37, 2), Seen(True, 36, 3)],
        ),
        # a failed letter neither counts nor breaks the run: the next one's gap is to the one before it
        (
            [
                row("womens_day", "2027-03-08"),
                row("birthday", "2027-04-13", "failed"),
                row("first_deal", "2027-05-20"),
            ],
            CAP,
            [Seen(True, None, 1), Seen(False), Seen(True, 73, 2)],
        ),
        # the window is window_days ending on the letter's day: a letter 365 days before is out of it
        (
            [row("birthday", "2026-04-13"), row("birthday", "2027-04-12"), row("birthday", "2027-04-13")],
            FrequencyCap(max_count=6, window_days=365, min_gap_days=0),
            [Seen(True, None, 1), Seen(True, 364, 2), Seen(True, 1, 2)],
        ),
        # two letters on one day (0 apart), in the order they left; the day's count holds both
        (
            [
                row("b", "2027-04-13", sent_at=MOMENT + timedelta(days=102)),
                row("a", "2027-04-13", sent_at=MOMENT + timedelta(days=101)),
            ],
            CAP,
            [Seen(True, 0, 2), Seen(True, None, 2)],
        ),
        # rows given out of order are read in the order of their days
        (
            [row("first_deal", "2027-05-20"), row("womens_day", "2027-03-08")],
            FrequencyCap(max_count=2, window_days=90, min_gap_days=14),
            [Seen(True, 73, 2), Seen(True, None, 1)],
        ),
    ],
    ids=["three-letters", "failed-between", "window-edge", "same-day", "out-of-order"],
)
def test_gap_and_window_count_per_row(
    rows: list[JournalEntry], cap: FrequencyCap, expected: list[Seen]
) -> None:
    view = cap_seen(rows, cap)
    assert [view.seen[r.key] for r in rows] == expected


@pytest.mark.parametrize(
    ("seen", "text"),
    [
        (Seen(True, None, 1), "first; 1 of 6 in 365 days"),
        (Seen(True, 14, 3), "14 days after the last; 3 of 6 in 365 days"),
        (Seen(True, 1, 2), "only 1 day after the last (min_gap_days 14); 2 of 6 in 365 days"),
        # Over max_count (lowered since, or letters from elsewhere): marked as a short gap is.
        (Seen(True, 30, 7), "30 days after the last; 7 of 6 in 365 days (over max_count 6)"),
        (Seen(True, 30, 6), "30 days after the last; 6 of 6 in 365 days"),
        (
            Seen(True, 2, 8),
            "only 2 days after the last (min_gap_days 14); 8 of 6 in 365 days (over max_count 6)",
        ),
        (Seen(False), "not counted"),
    ],
)
def test_the_table_says_it_in_words(seen: Seen, text: str) -> None:
    entry = row("birthday", "2027-04-13")
    view = cap_seen([], CAP)
    view = type(view)(CAP, {entry.key: seen})
    assert view.text(entry) == text
    assert view.fields(entry) == dict(
        zip(CAP_FIELDS, (seen.counted, seen.gap_days, seen.window_count), strict=True)
    )


def test_a_row_not_in_the_view_has_empty_fields() -> None:
    view = cap_seen([], CAP)
    entry = row("birthday", "2027-04-13")
    assert (view.text(entry), view.fields(entry)) == ("", dict.fromkeys(CAP_FIELDS))


def test_it_counts_what_the_planners_journal_read_counts(tmp_path: Path) -> None:
    """The same rows in a real SQLite journal: the days :func:`cap_day` counts are those
    ``greeted_dates`` gives the planner and :func:`~greeter.policy.past_days` counts."""
    from greeter.journal import open_journal

    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=MOMENT)
    try:
        cases = {
            "sent": ("sent", None), "failed": ("failed", "550 no such user"),
            "uncertain": ("uncertain", None), "expired": ("expired", None),
            "baseline": ("skipped", "baseline: sent by the old CRM"),
            "requeued": ("retry", decision_reason("requeued", "ops")), "retry": ("retry", "421 busy"),
        }  # fmt: skip
        day = date(2027, 1, 4)
        with journal._db() as db:  # the rows as any sender leaves them; the schema is the journal's own
            for n, (occasion, (state, reason)) in enumerate(cases.items()):
                sent_day = day + timedelta(days=20 * n)
                db.execute(
                    "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, attempts,"
                    " reason, send_day, merged, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, '[]', ?, ?)",
                    ("1", occasion, sent_day.isoformat(), state, "one@example.com", reason,
                     sent_day.isoformat(), MOMENT.isoformat(), MOMENT.isoformat()),
                )  # fmt: skip
        planner = past_days(
            list(
                journal.greeted_dates(
                    date(2026, 1, 1),
                    states=("sent", "claimed", "retry", "uncertain", "failed", "skipped", "expired"),
                )
            )
        )
        mine = sorted(d.toordinal() for e in journal.history(contact_id="1") if (d := cap_day(e)) is not None)
    finally:
        journal.close()
    assert mine == planner
    assert len(mine) == 4  # sent, uncertain, baseline, retry


def test_the_view_agrees_with_the_planners_refusal() -> None:
    """Each letter as ``history --contact`` shows it says what the planner would have said of it,
    deciding it after the letters before it: "only N days after the last (min_gap_days …)" exactly
    when the planner refuses it by the gap, "N of M" past ``max_count`` exactly when it refuses it
    as "greeting no. N" — one window and one gap rule (:mod:`greeter.cap_rules`), not two.
    Histories the cap would not have made: sent by hand, an old CRM's, a cap changed since."""
    from greeter.cap_rules import _refusal

    rng = random.Random(7)
    start = date(2026, 1, 1)
    for _ in range(300):
        cap = FrequencyCap(
            max_count=rng.randint(1, 6),
            window_days=rng.choice([30, 90, 365]),
            min_gap_days=rng.randint(0, 20),
        )
        days = sorted(rng.sample(range(400), rng.randint(1, 12)))  # one letter a day at most
        rows = [row(f"o{n}", (start + timedelta(days=d)).isoformat()) for n, d in enumerate(days)]
        view = cap_seen(rows, cap)
        for n, entry in enumerate(rows):
            before = [start.toordinal() + d for d in days[:n]]
            planner = _refusal(start.toordinal() + days[n], before, cap)
            seen, text = view.seen[entry.key], view.text(entry)
            assert text.startswith("only") == planner.startswith("only"), (text, planner)
            if planner.startswith("only"):
                assert f"only {seen.gap_days} day" in text and f"only {seen.gap_days} day" in planner
            elif planner:
                assert planner.startswith(f"would be greeting no. {seen.window_count} within"), (
                    text,
                    planner,
                )
                assert text.endswith(f"(over max_count {cap.max_count})"), (text, planner)
            else:
                assert "over max_count" not in text, (text, planner)
                assert seen.window_count is not None and seen.window_count <= cap.max_count, (text, planner)
