"""A journal written by an older greeter keeps working after an upgrade: nothing due is forgotten.

Journals from before migration 5 (the ``occasions`` table) have greetings but
no record of since when each occasion exists. Read as never planned, the first
send after the upgrade dated every occasion ``catch_up_days`` back, as a new
journal's, and a letter still inside its catch-up was never sent, with no row
and exit 0 (the upgrading operator's lost birthday). Through the real CLI on a
real SQLite journal built by the first four migrations, as that greeter left it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.journal_schema import MIGRATIONS, migrate
from tests.conftest import MakeProject, contact_row

#: 1: greeted by the old greeter on Monday 7 December; 2: born on Saturday 12 December,
#: greeted on the Monday after (day_off_policy: after), still inside catch-up on the 16th.
PEOPLE = [
    contact_row("1", "client1@example.com", birthday="07.12.1970"),
    contact_row("2", "client2@example.com", birthday="12.12.1980"),
]


def old_journal(path: Path) -> None:
    """A journal at schema 4 with the letter the old greeter sent on 7 December."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, now_iso="2026-11-23T09:00:00+00:00", migrations=MIGRATIONS[:4]) == 4
    conn.execute(
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, created_at,"
        " updated_at, sent_at) VALUES ('1', 'birthday', '2026-12-07', 'sent', 'client1@example.com',"
        " '2026-12-07T12:00:00+00:00', '2026-12-07T12:00:00+00:00', '2026-12-07T12:00:00+00:00')"
    )
    conn.close()


def test_the_first_send_after_the_upgrade_sends_what_is_still_due(make_project: MakeProject) -> None:
    config = make_project(PEOPLE, send_window={"day_off_policy": "after"})
    old_journal(config.parent / "data" / "journal.sqlite3")
    result = CliRunner().invoke(
        main, ["--config", str(config), "send", "--once", "--json", "--now", "2026-12-16T12:00:00+03:00"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sent"] == 1
    result = CliRunner().invoke(main, ["--config", str(config), "history", "--format", "json"])
    rows = {(r["contact_id"], r["occasion_date"]): r["state"] for r in json.loads(result.stdout)}
    assert rows == {("1", "2026-12-07"): "sent", ("2", "2026-12-12"): "sent"}
