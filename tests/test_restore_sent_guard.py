"""``baseline --sent-from FILE`` refuses the wrong file: a QA re-test of the restore's step 5.

Found: a header-only or ``[]`` history "accepted the restored journal" (its
``.sent`` note rewritten) though it held none of the letters the note names,
lifting the guard against a careless restore (now: its letters, if any, put
back — they did leave — but the journal not accepted, exit 1); another project's history was
put back, a letter to someone else's address recorded as a real client's
(who would then never be greeted); a letter "sent" two months ahead was put
back; ``--dry-run`` did not say it would accept the restored journal; and a
second ``--sent-from`` silently won over the first. Real pieces: ``greeter``
CLI processes, real SQLite files, the aiosmtpd sink.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.journal_mark import note_path
from greeter.journal_store import SentLetter
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_restore_journal import journal_file, restore
from tests.test_restore_sent import CLIENTS, RESTORED, project, save_history, send_on, sent_rows
from tests.test_send_e2e import greeter

#: The ``-o FILE.csv`` columns the refusals' files are written in.
#: The restore, the morning after the lost letter (client 2's) left; client 3's is due that day.
MORNING = "2027-04-14T09:30:00+03:00"
NEXT = "2027-04-14T10:59:00+03:00"
HEADER = "contact_id;occasion;occasion_date;state;email;merged;message_id;sent_at_utc\n"


def restored_project(make_project: MakeProject, tmp_path: Path, port: int) -> tuple[Path, Path, Path]:
    """Client 1 greeted, a backup, client 2 greeted, the history saved then, the backup restored:
    the journal lacks client 2's letter, which its note names. The config, the history saved before
    the restore, and one saved at the backup (older than the journal was)."""
    config = project(make_project, port)
    send_on(config, "2027-04-12")
    backup = tmp_path / "Mon.sqlite3"
    assert greeter(config, "backup", str(backup)).returncode == 0
    (tmp_path / "old").mkdir()
    older = save_history(config, tmp_path / "old", "excel")
    send_on(config, "2027-04-13")
    saved = save_history(config, tmp_path, "excel")
    restore(config, backup)
    return config, saved, older


def test_a_file_that_does_not_reach_the_notes_letter_does_not_accept_the_restored_journal(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        config, saved, older = restored_project(make_project, tmp_path, sink.port)
        note = note_path(journal_file(config))
        noted = note.read_text(encoding="utf-8")
        header_only = tmp_path / "hdr.csv"
        header_only.write_text(HEADER, encoding="utf-8")
        empty = tmp_path / "empty.json"
        empty.write_text("[]", encoding="utf-8")
        for wrong in (header_only, empty, older):
            for dry in ((), ("--dry-run",)):
                refused = greeter(config, "baseline", "--sent-from", str(wrong), *dry, "--now", MORNING)
                assert refused.returncode == 1, (wrong, dry, refused.stdout + refused.stderr)
                assert "does not reach the letter" in refused.stderr, refused.stderr
                assert "2 birthday 2027-04-13" in refused.stderr, refused.stderr
                assert "greeter baseline --through DATE" in refused.stderr, refused.stderr
                assert "journal is not accepted as restored" in refused.stderr, refused.stderr
            assert note.read_text(encoding="utf-8") == noted  # the guard stays
            assert set(sent_rows(config)) == {"1"}  # nothing these files hold was missing
        # Its letters are put back all the same (they did leave); the journal is still not accepted.
        partial = tmp_path / "partial.csv"
        partial.write_text(
            HEADER + "7;birthday;2027-04-10;sent;client7@example.com;;<p@x>;2027-04-10 07:59:00\n",
            encoding="utf-8",
        )
        kept = greeter(config, "baseline", "--sent-from", str(partial), "--now", MORNING)
        assert kept.returncode == 1, kept.stdout + kept.stderr
        assert kept.stdout.startswith("put back 1 letter(s) as sent"), kept.stdout
        assert "were put back (they did leave), but the journal is not accepted" in kept.stderr
        assert set(sent_rows(config)) == {"1", "7"}
        assert note.read_text(encoding="utf-8") == noted
        still = greeter(config, "send", "--once", "--now", NEXT)
        assert still.returncode == 75, still.stdout + still.stderr

        # The dry run of the right file says it would accept the journal (it did not say so).
        dry = greeter(config, "baseline", "--sent-from", str(saved), "--dry-run", "--now", MORNING)
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert "baseline without --dry-run would accept it as restored" in dry.stderr, dry.stderr
        assert note.read_text(encoding="utf-8") == noted

        put = greeter(config, "baseline", "--sent-from", str(saved), "--now", MORNING)
        assert put.returncode == 0, put.stdout + put.stderr
        assert "accepted as restored" in put.stderr, put.stderr
        assert set(sent_rows(config)) == {"1", "2", "7"}
        after = greeter(config, "send", "--once", "--now", NEXT)
        assert after.returncode == 0, after.stdout + after.stderr
    assert len(sink.messages) == 3  # the 12th's, 13th's and 14th's: none twice


def test_another_projects_letters_are_refused_naming_line_contact_and_both_addresses(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    other = tmp_path / "other.csv"
    other.write_text(
        HEADER
        + "1;birthday;2027-04-12;sent;client1@example.com;;<a@x>;2027-04-12 07:59:00\n"
        + "3;birthday;2027-04-14;sent;someone.else@branch.example;;<b@x>;2027-04-14 07:59:00\n"
        + "6002;birthday;2027-04-14;sent;j.doe@example.org;;<c@x>;2027-04-14 08:00:00\n",
        encoding="utf-8",
    )
    refused = greeter(config, "baseline", "--sent-from", str(other), "--now", RESTORED)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"{other}:3: contact 3 birthday 2027-04-14 sent to someone.else@branch.example" in refused.stderr
    assert "gives 3 the address client3@example.com" in refused.stderr, refused.stderr
    assert "--force" in refused.stderr
    assert sent_rows(config) == {}  # nothing recorded

    forced = greeter(config, "baseline", "--sent-from", str(other), "--force", "--now", RESTORED)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "put back 3 letter(s)" in forced.stdout, forced.stdout
    assert (
        "1 letter(s) in" in forced.stderr and "neither the contacts source nor the journal" in forced.stderr
    )
    assert set(sent_rows(config)) == {"1", "3", "6002"}


def test_an_address_the_journal_greeted_the_contact_at_is_the_contacts() -> None:
    """Pure: a client whose address changed since is not another project's letter."""
    from greeter.restore_sent import Saved, foreign_letters

    left = datetime(2027, 4, 14, 7, 59, tzinfo=UTC)
    letter = SentLetter(("3", "birthday", date(2027, 4, 14)), "Old@Example.com", left, left.date(), None, ())
    saved = Saved([letter], where={letter.key: "h.csv:2"})
    current: dict[str, str | None] = {"3": "new@example.com"}
    assert foreign_letters(saved, current, {"3": ["old@example.com"]}, name="h.csv") == ([], 0)
    conflicts, unknown = foreign_letters(saved, current, {}, name="h.csv")
    assert unknown == 0 and conflicts[0].startswith("h.csv:2: contact 3 birthday 2027-04-14 sent to Old@")
    assert foreign_letters(saved, {}, {}, name="h.csv") == ([], 1)  # gone from the CRM: counted


@pytest.mark.parametrize(("sent_at", "ok"), [("2027-01-26 12:00:00", False), ("2027-01-26 08:04:00", True)])
def test_a_letter_sent_after_now_is_refused_naming_the_line_and_moment(
    make_project: MakeProject, tmp_path: Path, sent_at: str, ok: bool
) -> None:
    config = make_project(CLIENTS)
    saved = tmp_path / "before.csv"
    saved.write_text(
        HEADER
        + "1;birthday;2027-01-20;sent;client1@example.com;;<a@x>;2027-01-20 07:59:00\n"
        + f"2;birthday;2027-01-26;sent;client2@example.com;;<b@x>;{sent_at}\n",
        encoding="utf-8",
    )
    run = greeter(config, "baseline", "--sent-from", str(saved), "--now", "2027-01-26T08:00:00+00:00")
    if ok:  # within the clock tolerance (CLOCK_TOLERANCE, 5 minutes)
        assert run.returncode == 0, run.stdout + run.stderr
        return
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"{saved}:3: a letter sent at 2027-01-26 12:00:00 UTC, after now" in run.stderr, run.stderr
    assert not journal_file(config).exists()  # refused before the journal was made


def test_sent_from_twice_is_a_usage_error(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(CLIENTS)
    twice = greeter(config, "baseline", "--sent-from", str(tmp_path / "a.csv"), "--sent-from", "b.csv")
    assert twice.returncode == 2 and "--sent-from given 2 times" in twice.stderr, twice.stderr
    alone = greeter(config, "baseline", "--force")
    assert alone.returncode == 2 and "--force is for --sent-from" in alone.stderr, alone.stderr


def test_a_history_re_saved_as_windows_1251_is_read_as_the_contacts_file_is(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Excel re-saves ``-o FILE.csv`` in the ANSI code page: names in Windows-1251, not UTF-8."""
    config = make_project(CLIENTS)
    saved = tmp_path / "excel.csv"
    saved.write_bytes(
        (
            HEADER.replace("\n", ";name\n")
            + "1;birthday;2027-04-12;sent;client1@example.com;;<a@x>;2027-04-12 07:59:00;Григорий Зайцев\n"
        ).encode("cp1251")
    )
    put = greeter(config, "baseline", "--sent-from", str(saved), "--now", RESTORED)
    assert put.returncode == 0, put.stdout + put.stderr
    assert put.stdout.startswith("put back 1 letter(s) as sent"), put.stdout
    assert set(sent_rows(config)) == {"1"}
