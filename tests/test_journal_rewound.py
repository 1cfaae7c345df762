"""A SQLite journal put back from an older copy is refused until the operator says it was meant.

Found on a restore: the journal copied back from the morning's backup had
lost the letters sent since, and the next ``send --once`` sent every one of
them again (greeter sees a journal replaced only while the daemon runs).
Real pieces: ``greeter`` CLI processes, real SQLite files, the aiosmtpd sink,
``greeter run`` as a subprocess. Birthdays on 13 April (due at ``NOW``) and
15 April 2027 (a day late at ``NEXT_DAY``); the backup is taken between the two.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from greeter.journal_mark import SentMark, note_path, note_text, parse_note, rewound_problem
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row, file_mode
from tests.daemon_harness import DaemonProcess
from tests.test_ops_probes import _get
from tests.test_restore_journal import journal_file, restore
from tests.test_send_e2e import LATER, NOW, greeter_process, history, smtp

NEXT_DAY = "2027-04-16T11:00:00+03:00"
CLIENTS = [
    contact_row("1", "client1@example.com", birthday="13.04.1980"),
    contact_row("2", "client2@example.com", birthday="13.04.1981"),
    contact_row("3", "client3@example.com", birthday="15.04.1982"),
]


def sent_then_rewound(config: Path, tmp_path: Path) -> Path:
    """Two letters sent, the journal backed up, a third sent, the backup put back; the backup's path."""
    first = greeter_process(config, "send", "--once", "--now", NOW)
    assert first.returncode == 0 and "sent: 2" in first.stdout, first.stdout + first.stderr
    backup = tmp_path / "morning.sqlite3"
    assert greeter_process(config, "backup", str(backup)).returncode == 0
    second = greeter_process(config, "send", "--once", "--now", NEXT_DAY)
    assert second.returncode == 0 and "sent: 1" in second.stdout, second.stdout + second.stderr
    restore(config, backup)
    return backup


def test_a_journal_put_back_from_an_older_copy_is_refused_until_baseline_accepts_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        config = make_project(CLIENTS, **smtp(sink.port))
        sent_then_rewound(config, tmp_path)
        note = note_path(journal_file(config))
        assert file_mode(note) == 0o600  # it names a client id and a birthday: greeter's alone

        refused = greeter_process(config, "send", "--once", "--now", "2027-04-16T11:05:00+03:00")

        assert refused.returncode == 75, refused.stdout + refused.stderr
        said = refused.stderr
        assert f"journal {journal_file(config).resolve()} holds letters sent up to 2027-04-14" in said, said
        assert f"but {note} says it held one sent at 2027-04-16" in said, said
        assert "put back from an older copy" in said and "nothing was sent" in said, said
        assert "greeter baseline --through DATE" in said and f"delete {note}" in said, said
        assert len(sink.messages) == 3  # client 3's letter did not go again
        # --json: the summary with the reason, as for a journal that cannot be written
        as_json = greeter_process(config, "send", "--once", "--json", "--now", "2027-04-16T11:05:00+03:00")
        assert as_json.returncode == 75
        assert "put back from an older copy" in json.loads(as_json.stdout)["journal_unavailable"]

        # What only reads says it as a warning: the dry run (restore step 5), preview, check.
        dry = greeter_process(config, "send", "--once", "--dry-run", "--now", "2027-04-16T11:05:00+03:00")
        assert dry.returncode != 75 and "warning: send refuses it: journal" in dry.stderr, dry.stderr
        shown = greeter_process(config, "preview", "--days", "1", "--now", "2027-04-16T11:05:00+03:00")
        assert "warning: send refuses it: journal" in shown.stderr, shown.stderr
        checked = greeter_process(config, "check", "--now", "2027-04-16T11:05:00+03:00")
        assert "send refuses it: journal" in checked.stdout + checked.stderr, checked.stdout + checked.stderr
        assert checked.returncode == 0  # a warning
        assert len(sink.messages) == 3

        # Its dry run says it found the rewound journal and that baseline would accept it; writes nothing.
        foreseen = greeter_process(
            config, "baseline", "--dry-run", "--through", "2027-04-15", "--now", "2027-04-16T11:10:00+03:00"
        )
        assert foreseen.returncode == 0, foreseen.stdout + foreseen.stderr
        assert "(put back from an older copy)" in foreseen.stderr, foreseen.stderr
        assert "baseline without --dry-run would accept it as restored" in foreseen.stderr, foreseen.stderr
        still = greeter_process(config, "send", "--once", "--now", "2027-04-16T11:05:00+03:00")
        assert still.returncode == 75, still.stdout + still.stderr  # the note was not rewritten

        # Restore step 6: baseline records client 3's letter as handled and accepts the journal.
        accepted = greeter_process(
            config, "baseline", "--through", "2027-04-15", "--now", "2027-04-16T11:10:00+03:00"
        )
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
        assert "accepted as restored" in accepted.stderr, accepted.stderr
        after = greeter_process(config, "send", "--once", "--now", "2027-04-16T11:15:00+03:00")
        assert after.returncode == 0, after.stdout + after.stderr
        assert "due 0" in after.stdout, after.stdout
    assert len(sink.messages) == 3
    assert sorted(sink.message_ids()) == sorted(set(sink.message_ids()))  # none twice


def test_without_the_note_there_is_no_check_and_the_lost_letters_go_again(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Deleting the note is how an operator asks for the resend (and a first run has none)."""
    with SmtpSink() as sink:
        config = make_project(CLIENTS, **smtp(sink.port))
        sent_then_rewound(config, tmp_path)
        note_path(journal_file(config)).unlink()
        again = greeter_process(config, "send", "--once", "--now", "2027-04-16T11:05:00+03:00")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "sent: 1" in again.stdout
        assert len(sink.messages) == 4
    assert note_path(journal_file(config)).exists()  # the run noted its newest letter


def test_forget_of_the_newest_letter_rewrites_the_note_no_false_alarm(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(CLIENTS, **smtp(sink.port))
        assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
        assert greeter_process(config, "send", "--once", "--now", NEXT_DAY).returncode == 0
        erased = greeter_process(config, "forget", "client3@example.com", "--yes")
        assert erased.returncode == 0, erased.stdout + erased.stderr
        assert "3" not in {row["contact_id"] for row in history(config)}
        after = greeter_process(config, "send", "--once", "--now", "2027-04-16T11:05:00+03:00")
        assert after.returncode == 0, after.stdout + after.stderr
        noted = parse_note(note_path(journal_file(config)).read_text(encoding="utf-8"))
        assert noted is not None and noted.key[0] != "3"  # the erased person is not in it either
    assert len(sink.messages) == 3


def old_letters(make_project: MakeProject, port: int, **changes: object) -> Path:
    """A project whose two letters left in April 2024: past a 600-day retention now."""
    config = make_project(CLIENTS[:2], **smtp(port), **changes)
    sent = greeter_process(config, "send", "--once", "--now", "2024-04-15T11:00:00+03:00")
    assert sent.returncode == 0 and "sent: 2" in sent.stdout, sent.stdout + sent.stderr
    assert note_path(journal_file(config)).exists()
    return config


def test_purge_of_the_newest_letter_rewrites_the_note_no_false_alarm(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = old_letters(make_project, sink.port)
        purged = greeter_process(config, "purge", "--older-than", "600")
        assert purged.returncode == 0, purged.stdout + purged.stderr
        assert history(config) == []
        after = greeter_process(config, "send", "--once")  # the real clock: due 0 (expiries: exit 1)
        assert after.returncode in (0, 1) and "older copy" not in after.stderr, after.stdout + after.stderr
        assert not note_path(journal_file(config)).exists()  # no sent letter left: nothing to note
    assert len(sink.messages) == 2


def test_the_daemon_s_retention_purge_rewrites_the_note_no_false_alarm(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = old_letters(make_project, sink.port, storage={"retention_days": 600})
        with DaemonProcess(config) as daemon:
            daemon.wait_for("purged", lambda e: e.get("greetings") == 2)
            daemon.wait_for("run")
        after = greeter_process(config, "send", "--once")
        assert after.returncode in (0, 1) and "older copy" not in after.stderr, after.stdout + after.stderr
        assert not note_path(journal_file(config)).exists()
    assert len(sink.messages) == 2


def test_the_daemon_refuses_a_rewound_journal_keeps_running_and_healthz_says_why(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        config = make_project(CLIENTS, **smtp(sink.port))
        sent_then_rewound(config, tmp_path)
        with DaemonProcess(config, "--now", "2027-04-16T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
            failed = daemon.wait_for("run_failed")
            status, body, _ = _get(daemon.url("/healthz"))
            assert daemon.proc is not None and daemon.proc.poll() is None  # it keeps running, and retries
    assert "put back from an older copy" in failed["error"], failed
    health = json.loads(body)
    said = (status, health["journal"], health["journal_problem"])
    assert said == (503, "failing", "journal_rewound"), health
    assert len(sink.messages) == 3


def test_rewound_problem_is_about_letters_the_journal_lost() -> None:
    """Pure: refused only when the journal holds neither the noted letter nor a later one."""
    at = datetime(2027, 4, 15, 8, 0, tzinfo=UTC)
    noted = SentMark(at, ("3", "birthday", date(2027, 4, 15)))
    older = SentMark(at - timedelta(days=1), ("1", "birthday", date(2027, 4, 13)))
    journal, note = Path("/srv/j.sqlite3"), Path("/srv/j.sqlite3.sent")
    said = rewound_problem(journal, note, noted, older, holds_noted=False)
    assert said is not None and "holds letters sent up to 2027-04-1" in said and f"delete {note}" in said
    assert rewound_problem(journal, note, noted, None, holds_noted=False) is not None  # all lost
    assert "holds no sent letter at all" in (rewound_problem(journal, note, noted, None, False) or "")
    assert rewound_problem(journal, note, noted, older, holds_noted=True) is None  # re-dated, not lost
    assert rewound_problem(journal, note, noted, noted, holds_noted=True) is None
    later = SentMark(at + timedelta(minutes=1), ("2", "birthday", date(2027, 4, 15)))
    assert rewound_problem(journal, note, noted, later, holds_noted=False) is None  # erased, then more sent
    assert parse_note(note_text(journal, noted)) == noted
    assert parse_note("not json") is None and parse_note('{"sent_at": "2027-04-15T08:00:00"}') is None


def test_a_lost_journal_s_fresh_start_names_the_note_to_delete_too(make_project: MakeProject) -> None:
    """Deleting only what the refusal of a lost journal named left the note: the fresh journal was refused."""
    with SmtpSink() as sink:
        config = make_project(CLIENTS, **smtp(sink.port))
        assert greeter_process(config, "send", "--once", "--now", NOW).returncode == 0
        journal_file(config).unlink()
        lost = greeter_process(config, "send", "--once", "--now", LATER)
        note = note_path(journal_file(config))
        assert lost.returncode == 2 and f"and its note {note}" in lost.stderr, lost.stderr
        for told in lost.stderr.rsplit(" delete ", 1)[1].strip().replace(" and its note ", ", ").split(", "):
            Path(told).unlink()
        fresh = greeter_process(config, "send", "--once", "--now", LATER)
        assert fresh.returncode == 0 and "sent: 2" in fresh.stdout, fresh.stdout + fresh.stderr


def test_baseline_help_says_its_dry_run_names_a_journal_it_would_accept() -> None:
    from click.testing import CliRunner

    from greeter.cli import main

    said = " ".join(CliRunner().invoke(main, ["baseline", "--help"]).output.split())
    assert (
        "--dry-run rewrites nothing, and says when it found such a journal that baseline would accept" in said
    )
