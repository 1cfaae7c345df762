"""Restoring a journal backup as docs/operations.md says, end to end: real SQLite files, real CLI runs.

A backup is the journal as it was. The do-not-contact list saved before the
restore (``suppress --list --format csv``) and read back (``suppress --from-csv``)
must bring back the person-level opt-outs too, not only the addresses: a client
who opted out and whose CRM address changed since is otherwise greeted at the
new one. And the letters sent after the backup was taken would all go again:
``send --once --dry-run`` shows them, ``baseline --through DATE`` records them
as handled — in words true of a restore, not "handled before greeter".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.test_baseline import history, invoke, outbox, row
from tests.test_optout_person import CLIENTS, NOW, greeter, moved, planned


def journal_file(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


def restore(config: Path, backup: Path) -> None:
    """Step 2 of the procedure: greeter stopped, the stale ``-wal``/``-shm`` deleted, the copy put back."""
    journal = journal_file(config)
    for suffix in ("-wal", "-shm"):
        journal.with_name(journal.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, journal)


def save_list(config: Path, how: str, folder: Path) -> Path:
    """Step 1: the list saved as the docs say (stdout CSV), or as Excel opens it (``-o FILE.csv``)."""
    saved = folder / "dnc-before-restore.csv"
    if how == "stdout":
        shown = greeter(config, "suppress", "--list", "--format", "csv")
        assert shown.exit_code == 0, shown.output
        saved.write_text(shown.stdout, encoding="utf-8")
    else:
        written = greeter(config, "suppress", "--list", "-o", str(saved))
        assert written.exit_code == 0, written.output
    return saved


@pytest.mark.parametrize("how", ["stdout", "excel"])
def test_a_list_moved_to_a_restored_journal_keeps_the_persons_opt_out(
    make_project: MakeProject, tmp_path: Path, how: str
) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    backup = tmp_path / "Mon.sqlite3"
    assert greeter(config, "backup", str(backup)).exit_code == 0
    opted = greeter(config, "suppress", "client01@example.com", "--reason", "complaint (ARF)")
    assert "1 contact id(s) opted out as persons" in opted.stdout
    saved = save_list(config, how, tmp_path)
    restore(config, backup)

    moved_back = greeter(config, "suppress", "--from-csv", str(saved))

    assert moved_back.exit_code == 0, moved_back.output
    assert moved_back.stdout == (
        "suppressed 1 new address(es); 0 already on the list;"
        " 1 contact id(s) opted out as persons (not greeted at any address)\n"
    )
    moved(config, "client01@example.com", "ivan.new@example.org")
    reasons = planned(config)
    reason, detail = reasons["1"]
    assert reason == "suppressed"
    assert detail is not None
    assert "from client01@example.com (complaint (ARF))" in detail
    assert "ivan.new@example.org is not greeted either" in detail
    assert reasons["2"][0] is None
    # Read twice (the step repeated): nothing new, the first binding kept.
    again = greeter(config, "suppress", "--from-csv", str(saved))
    assert again.stdout == "suppressed 0 new address(es); 1 already on the list\n"


def test_the_persons_opt_out_keeps_its_date_and_a_lifted_one_stays_lifted(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Only the ids the export names are bound (not every contact greeted at the address), dated as listed."""
    config = make_project(CLIENTS)
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    saved = tmp_path / "dnc.csv"
    saved.write_text(
        "email,reason,created_at,contact_ids\n"
        "client01@example.com,asked by phone,2027-03-01T10:00:00+00:00,\n"
        "client02@example.com,unsubscribed (one-click),2027-03-02T10:00:00+00:00,2\n",
        encoding="utf-8",
    )

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", NOW)

    assert done.exit_code == 0, done.output
    assert "; 1 contact id(s) opted out as persons" in done.stdout
    moved(config, "client01@example.com", "anna.new@example.org")
    moved(config, "client02@example.com", "petr.new@example.org")
    reasons = planned(config)
    assert reasons["1"][0] is None  # greeted at client01 once, but its opt-out had been lifted
    reason, detail = reasons["2"]
    assert reason == "suppressed" and detail is not None
    assert "opted out on 2027-03-02 from client02@example.com (unsubscribed (one-click))" in detail


def test_a_crms_column_of_ids_binds_no_one(make_project: MakeProject, tmp_path: Path) -> None:
    """Only greeter's own header is read for bindings: a CRM's ids are not the contacts an opt-out binds."""
    config = make_project(CLIENTS)
    saved = tmp_path / "crm.csv"
    saved.write_text("Email;contact_ids;Причина\nclient02@example.com;2;отписался\n", encoding="utf-8")

    done = greeter(config, "suppress", "--from-csv", str(saved))

    assert done.exit_code == 0, done.output
    assert done.stdout == "suppressed 1 new address(es); 0 already on the list\n"
    moved(config, "client02@example.com", "petr.new@example.org")
    assert planned(config)["2"][0] is None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_restore_opt_outs_binds_as_recorded_and_keeps_a_binding_there(backend: str, tmp_path: Path) -> None:
    """The journal's side on both backends: each id with its own address, reason and date; one bound
    already keeps its own (the older evidence), and is not counted."""
    from datetime import UTC, datetime

    from greeter.journal_store import PersonOptOut
    from tests import databases

    now = datetime(2027, 4, 12, 14, 29, tzinfo=UTC)
    march = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    with databases.journal_on(backend, tmp_path / "journal.sqlite3", now) as journal:
        journal.opt_out(["kept@example.com"], "manual", now, {"kept@example.com": ["7"]})

        new = journal.restore_opt_outs(
            [
                PersonOptOut("1001", "Ivan@Example.com", "complaint (ARF)", march),
                PersonOptOut("7", "other@example.com", "imported", march),
            ]
        )

        assert new == 1
        bound = journal.opted_out_contacts()
        assert bound["1001"] == PersonOptOut("1001", "ivan@example.com", "complaint (ARF)", march)
        assert (bound["7"].email, bound["7"].created_at) == ("kept@example.com", now)
        assert journal.suppressed() == {"kept@example.com"}  # the list itself is suppress_dated's


#: Tuesday 1 December 2026 (client 1's birthday, before the backup) and Thursday the 3rd (client 2's,
#: sent after it), 17:00 in Moscow: inside the send window.
TUESDAY, THURSDAY = "2026-12-01T17:00:00+03:00", "2026-12-03T17:00:00+03:00"
#: Thursday, after the restore.
RESTORED = "2026-12-03T17:10:00+03:00"


def test_the_letters_sent_after_the_backup_are_recorded_as_handled_and_not_sent_again(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project([row("1", "01.12.1980"), row("2", "03.12.1980")])
    assert invoke(config, "send", "--once", "--now", TUESDAY)[0] == 0
    backup = tmp_path / "Wed.sqlite3"
    assert invoke(config, "backup", str(backup))[0] == 0
    assert invoke(config, "send", "--once", "--now", THURSDAY)[0] == 0
    assert outbox(config) == ["client1@example.com", "client2@example.com"]
    restore(config, backup)

    code, due, _ = invoke(config, "send", "--once", "--dry-run", "--now", RESTORED)
    assert code == 0 and "<client2@example.com>  birthday" in due  # would go again
    code, dry, _ = invoke(config, "baseline", "--through", "2026-12-03", "--dry-run", "--now", RESTORED)
    assert (
        code == 0 and "would record  2026-12-03 17:10 MSK  2  client2@example.com  birthday 2026-12-03" in dry
    )
    code, out, err = invoke(config, "baseline", "--through", "2026-12-03", "--now", RESTORED)

    assert code == 0, err
    assert out == (
        "recorded 1 greeting(s) as handled (occasions 2026-12-03); the next send --once sends none of them\n"
    )
    assert "or for the letters sent after the backup a restored journal came from" in err
    rows = {r["contact_id"]: r for r in history(config)}
    assert rows["2"]["reason"] == "baseline: recorded as handled (baseline at 2026-12-03 14:10 UTC)"
    assert rows["1"]["state"] == "sent"
    code, _, err = invoke(config, "send", "--once", "--now", RESTORED)
    assert code == 0, err
    assert outbox(config) == ["client1@example.com", "client2@example.com"]  # no second letter
    preview = greeter(config, "preview", "--from", "2026-12-03", "--days", "1", "--json", "--now", RESTORED)
    (item,) = [
        d for d in json.loads(preview.stdout) if d["contact_id"] == "2" and d["occasion"] == "birthday"
    ]
    assert item["detail"].endswith("(recorded as handled by greeter baseline, not sent from this journal)")
