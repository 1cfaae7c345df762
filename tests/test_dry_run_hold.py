"""``send --once --dry-run`` says what the daily quota or a provider's throttle would let through.

Before, a dry run said "8 greeting(s) due … nothing claimed or sent" while
``delivery.rate_limit.per_day`` had room for 3 of them, or while an earlier run's throttle
(``451 4.7.1 Rate limit exceeded``) held every letter back: the operator checking before a
rush read that all would go. Real ``send --once`` (in-process CLI), a real SMTP sink refusing
after its quota, a real SQLite journal, dumped before and after: the dry run writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_provider_throttle import RATE, project, send
from tests.test_send_e2e import NOW
from tests.test_sent_address import invoke


def dump(config: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the project's SQLite journal (read-only)."""
    db = sqlite3.connect(f"file:{config.parent / 'data' / 'journal.sqlite3'}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        db.close()


def dry_run(config: Path, now: datetime, *json_flag: str) -> tuple[int, str]:
    code, out, err = invoke(config, "send", "--once", "--dry-run", *json_flag, "--now", now.isoformat())
    assert out, err
    return code, out


def test_a_dry_run_says_how_many_the_daily_quota_lets_go_and_that_the_rest_wait(
    make_project: MakeProject,
) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        config.write_text(config.read_text().replace("per_day: 500", "per_day: 5"))
        code, first = send(config, start)  # 5 go, 3 wait for the quota
        assert (code, first["sent"], first["quota_unsent"]) == (0, 5, 3), first
        before = dump(config)
        later = start + timedelta(hours=1)
        code, text = dry_run(config, later)
        assert code == 0, text
        assert "dry run: 3 greeting(s) due" in text
        assert (
            "; 0 would go now, then daily quota used up (delivery.rate_limit.per_day): 3 left unsent" in text
        )
        code, out = dry_run(config, later, "--json")
        summary = json.loads(out)
        assert (summary["due"], summary["quota_unsent"]) == (3, 3), summary
        assert summary["quota_free_at"] == first["quota_free_at"], "the slot the first 5 sends free"
        assert dump(config) == before, "a dry run writes nothing"
        assert len(sink.messages) == 5


def test_a_dry_run_before_a_rush_says_the_quota_lets_some_go(make_project: MakeProject) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        config.write_text(config.read_text().replace("per_day: 500", "per_day: 3"))
        code, out = dry_run(config, start, "--json")
        summary = json.loads(out)
        assert (code, summary["due"], summary["quota_unsent"], summary["throttled"]) == (0, 8, 5, None)
        assert datetime.fromisoformat(summary["quota_free_at"]) >= start + timedelta(days=1)
        _, text = dry_run(config, start)
        assert "dry run: 8 greeting(s) due" in text and "; 3 would go now, then daily quota used up" in text
        assert not sink.messages


def test_a_dry_run_says_a_throttle_holds_everything_until_its_back_off(make_project: MakeProject) -> None:
    start = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 451, RATE)
        code, first = send(config, start)
        assert (code, first["sent"], first["throttle_unsent"]) == (75, 3, 4), first
        before = dump(config)
        held = start + timedelta(seconds=30)
        code, text = dry_run(config, held)
        assert code == 75, "as the send would: letters wait for the provider's back-off"
        assert "dry run: 4 greeting(s) due" in text
        assert f"; 0 would go now, then the provider throttled sending (451 {RATE}): 4 left unsent" in text
        code, out = dry_run(config, held, "--json")
        summary = json.loads(out)
        assert (summary["throttled"], summary["throttle_unsent"]) == (f"451 {RATE}", 4), summary
        assert summary["throttled_until"] == first["throttled_until"]
        assert dump(config) == before, "a dry run writes nothing, not even the throttle's notice"
        # After the back-off the dry run says nothing of it: the send would try again.
        _, out = dry_run(config, start + timedelta(minutes=5), "--json")
        assert json.loads(out)["throttled"] is None
        assert sink.refused == [("DATA", 451)] and len(sink.messages) == 3
