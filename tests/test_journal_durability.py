"""The SQLite journal's durability settings: claims always fsync; verdicts may skip the wait."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.errors import JournalError
from greeter.journal import Journal

NOW = datetime(2027, 4, 14, 8, tzinfo=UTC)
FULL = 2


def _synchronous(journal: Journal) -> int:
    with journal._db() as db:  # reading the connection's own pragma is the point
        value: int = db.execute("PRAGMA synchronous").fetchone()[0]
    return value


def test_claims_stay_fully_synchronous_after_a_verdict_and_after_an_error(tmp_path: Path) -> None:
    with Journal.open(f"sqlite:///{tmp_path / 'j.sqlite3'}", now=NOW) as journal:
        assert _synchronous(journal) == FULL
        key = ("1", "birthday", date(2027, 4, 13))
        assert journal.claim(key, email="a@example.com", message_id="<m@x>", planned_at=NOW, now=NOW)
        journal.mark_sent(key, "250 ok", NOW)
        assert _synchronous(journal) == FULL  # the verdict's NORMAL commit did not leak
        with pytest.raises(JournalError):
            journal.mark_sent(key, "250 again", NOW)  # not claimed any more: refused
        assert _synchronous(journal) == FULL
        assert journal.history()[0].state == "sent"
