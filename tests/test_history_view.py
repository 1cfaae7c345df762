"""``greeter history`` rows carry preview's machine word for a skip (``reason_code``), beside the sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from greeter.history_view import COLUMNS, entry_dict, reason_code
from greeter.journal_store import JournalEntry

AT = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)


def entry(state: str, reason: str | None) -> JournalEntry:
    return JournalEntry(
        contact_id="1001", occasion="new_year", occasion_date=date(2026, 12, 29), state=state,
        email="ivan@example.com", message_id=None, attempts=0, last_reply=None, reason=reason,
        planned_at=None, send_day=None, next_attempt_at=None, merged=(), content_hash=None,
        created_at=AT, updated_at=AT, sent_at=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("state", "reason", "code"),
    [
        ("skipped", "merged into birthday", "merged"),
        (
            "skipped",
            "frequency_cap: only 13 days from the greeting of 2026-12-16 (min_gap_days 14)",
            "frequency_cap",
        ),
        ("expired", "expired", "expired"),
        ("skipped", "something an older greeter wrote", None),
        ("sent", None, None),
        ("uncertain", "interrupted between claim and the server's reply", None),
    ],
)
def test_a_skip_reads_as_the_word_preview_uses(state: str, reason: str | None, code: str | None) -> None:
    assert reason_code(entry(state, reason)) == code
    row = entry_dict(entry(state, reason))
    assert list(row) == list(COLUMNS) and row["reason_code"] == code and row["reason"] == reason
