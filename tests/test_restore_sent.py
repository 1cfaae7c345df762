"""A restore drill as docs/operations.md says it, end to end: the saved history's letters put back.

Found in a disaster-recovery drill: step 1 saved what the live journal had
sent (``history -o FILE.csv``), but no step put it back. ``baseline
--through`` took only the letters still within ``catch_up_days``; the next
send recorded the others ``expired, never sent`` (the clients had them),
exited 1 advising cron every 10 minutes, and the cap forgot them. A backup
taken mid-batch came back with ``claimed`` rows, made ``uncertain`` though
the saved history had them sent. ``baseline --sent-from FILE`` records them
as they left. Real pieces: ``greeter`` CLI processes, real SQLite files, the
aiosmtpd sink; birthdays on the working days from Monday 12 April 2027 to
Tuesday the 20th, the backup taken after Tuesday the 13th's letters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.journal import Journal
from greeter.journal_store import ClaimRequest
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_restore_journal import journal_file, restore
from tests.test_send_e2e import greeter, history, smtp

#: The clients' birthdays, one a working day; sent at 10:59 Moscow time each day,
#: the window's end (catch_up_days: 3).
DAYS = ["12.04", "13.04", "14.04", "15.04", "16.04", "19.04", "20.04"]
CLIENTS = [contact_row(str(n), f"client{n}@example.com", birthday=f"{d}.1980") for n, d in enumerate(DAYS, 1)]
BEFORE_BACKUP = ["2027-04-12", "2027-04-13"]
AFTER_BACKUP = ["2027-04-14", "2027-04-15", "2027-04-16", "2027-04-19"]
#: Tuesday the 20th, after the restore: the letters of the 14th and 15th are past catch_up_days.
RESTORED = "2027-04-20T09:30:00+03:00"
NEXT_SEND = "2027-04-20T10:59:00+03:00"


#: Every letter of a day leaves by 10:59, when the send runs (its moment spread within the hour).
WINDOW = {
    "send_window": {"hours": {"start": "10:00", "end": "11:00"}, "lunch": None, "end_margin_minutes": 0}
}


def project(make_project: MakeProject, port: int) -> Path:
    return make_project(CLIENTS, **smtp(port), **WINDOW)


def send_on(config: Path, day: str) -> None:
    sent = greeter(config, "send", "--once", "--now", f"{day}T10:59:00+03:00")
    assert sent.returncode == 0 and "sent: 1" in sent.stdout, sent.stdout + sent.stderr


def drill(config: Path, tmp_path: Path, how: str = "excel") -> tuple[Path, Path]:
    """Send days 1-2, back up, send days 3-6, save the history (step 1), restore (step 2)."""
    for day in BEFORE_BACKUP:
        send_on(config, day)
    backup = tmp_path / "Tue.sqlite3"
    assert greeter(config, "backup", str(backup)).returncode == 0
    for day in AFTER_BACKUP:
        send_on(config, day)
    saved = save_history(config, tmp_path, how)
    restore(config, backup)
    return backup, saved


def save_history(config: Path, tmp_path: Path, how: str) -> Path:
    """Step 1: the live journal's history, as Excel opens it (``-o``) or as scripts read it."""
    if how == "excel":
        saved = tmp_path / "history-before-restore.csv"
        written = greeter(config, "history", "--state", "sent", "-o", str(saved))
        assert written.returncode == 0, written.stderr
        return saved
    fmt = "json" if how == "json" else "csv"
    saved = tmp_path / f"history-before-restore.{fmt}"
    shown = greeter(config, "history", "--format", fmt)
    assert shown.returncode == 0, shown.stderr
    saved.write_text(shown.stdout, encoding="utf-8")
    return saved


def sent_rows(config: Path) -> dict[str, dict[str, object]]:
    return {r["contact_id"]: r for r in history(config) if r["state"] == "sent"}


@pytest.mark.parametrize("how", ["excel", "json", "csv"])
def test_the_drill_puts_the_sent_letters_back_and_the_next_send_sends_none_and_expires_none(
    make_project: MakeProject, tmp_path: Path, how: str
) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port)
        _, saved = drill(config, tmp_path, how)
        before = sent_rows(config)
        assert set(before) == {"1", "2"}  # the backup's
        assert len(sink.messages) == 6

        dry = greeter(config, "baseline", "--sent-from", str(saved), "--dry-run", "--now", RESTORED)
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert (
            "would record  2027-04-14 10:59 MSK  3  client3@example.com  birthday 2027-04-14  (no row)"
            in (dry.stdout)
        ), dry.stdout
        assert dry.stdout.count("would record  ") == 4
        assert "would put back 4 letter(s) as sent" in dry.stdout and "2 held as sent already" in dry.stdout
        assert set(sent_rows(config)) == {"1", "2"}  # a dry run records nothing

        # Restore step 5: the letters put back, the restored journal accepted.
        put = greeter(config, "baseline", "--sent-from", str(saved), "--now", RESTORED)
        assert put.returncode == 0, put.stdout + put.stderr
        assert put.stdout == (
            "put back 4 letter(s) as sent, at the moment each left (2027-04-14 … 2027-04-19 UTC; in the"
            " journal: 4 absent); 2 held as sent already; the next send --once sends none of them\n"
        ), put.stdout
        assert "accepted as restored" in put.stderr, put.stderr
        again = greeter(config, "baseline", "--sent-from", str(saved), "--now", RESTORED)
        assert again.returncode == 0, again.stdout + again.stderr
        assert again.stdout.startswith("nothing was put back: the journal holds every letter"), again.stdout
        assert "6 held as sent already" in again.stdout

        # Step 6: baseline --through for what the saved history cannot hold — nothing is left.
        through = greeter(config, "baseline", "--through", "2027-04-19", "--now", RESTORED)
        assert through.returncode == 0, through.stdout + through.stderr
        assert through.stdout.startswith("nothing was recorded"), through.stdout

        after = greeter(config, "send", "--once", "--now", NEXT_SEND)
        assert after.returncode == 0, after.stdout + after.stderr
        assert "sent: 1" in after.stdout, after.stdout  # client 7's birthday, today's only
    assert len(sink.messages) == 7
    assert sorted(sink.message_ids()) == sorted(set(sink.message_ids()))  # none twice
    rows = history(config)
    by_id = {r["contact_id"]: r for r in rows}
    assert [r for r in rows if r["state"] == "expired"] == []
    assert {r["contact_id"]: r["state"] for r in rows} == {str(n): "sent" for n in range(1, 8)}
    assert {cid: by_id[cid] for cid in before} == before  # the backup's rows untouched
    for cid, day in zip(("3", "4", "5", "6"), AFTER_BACKUP, strict=True):
        assert by_id[cid]["sent_at"] == f"{day}T07:59:00+00:00", by_id[cid]  # when it really left
        assert by_id[cid]["message_id"], by_id[cid]
        assert by_id[cid]["email"] == f"client{cid}@example.com"
    assert len({r["message_id"] for r in rows}) == 7


def test_a_claim_the_backup_caught_mid_batch_is_put_back_sent_not_uncertain(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The backup holds client 3's letter ``claimed`` (taken mid-batch); the saved history has it sent."""
    with SmtpSink() as sink:
        config = project(make_project, sink.port)
        for day in BEFORE_BACKUP:
            send_on(config, day)
        backup = tmp_path / "Tue.sqlite3"
        assert greeter(config, "backup", str(backup)).returncode == 0
        for day in AFTER_BACKUP:
            send_on(config, day)
        saved = save_history(config, tmp_path, "excel")
        letter = sent_rows(config)["3"]
        claimed_at = datetime(2027, 4, 14, 7, 59, tzinfo=UTC)
        with Journal.open(f"sqlite:///{backup}", now=claimed_at) as journal:  # the mid-batch snapshot
            request = ClaimRequest(
                ("3", "birthday", date(2027, 4, 14)),
                "client3@example.com",
                str(letter["message_id"]),
                claimed_at,
            )
            assert journal.claim_many([request], now=claimed_at) == [True]
        restore(config, backup)

        put = greeter(config, "baseline", "--sent-from", str(saved), "--now", RESTORED)
        assert put.returncode == 0, put.stdout + put.stderr
        assert "put back 4 letter(s) as sent" in put.stdout and "3 absent, 1 claimed" in put.stdout, (
            put.stdout
        )
        after = greeter(config, "send", "--once", "--now", NEXT_SEND)
        assert after.returncode == 0, after.stdout + after.stderr
        assert "uncertain: 0" in after.stdout and "marked uncertain" not in after.stderr, (
            after.stdout + after.stderr
        )
    rows = {r["contact_id"]: r for r in history(config)}
    assert rows["3"]["state"] == "sent" and rows["3"]["sent_at"] == letter["sent_at"]
    assert rows["3"]["message_id"] == letter["message_id"]
    assert len(sink.messages) == 7


def test_what_the_journal_holds_as_sent_is_never_touched_and_a_gone_contact_is_still_recorded(
    tmp_path: Path,
) -> None:
    """The journal side: a sent row keeps its own values; a contact the config no longer has is recorded."""
    from greeter.restore_sent import parse_saved, run_put_back

    now = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)
    with Journal.open(f"sqlite:///{tmp_path / 'j.sqlite3'}", now=now) as journal:
        key = ("1", "birthday", date(2026, 12, 1))
        journal.claim_many([ClaimRequest(key, "one@example.com", "<own@x>", now)], now=now)
        journal.mark_sent(key, "250 ok", now)
        text = (
            "contact_id,occasion,occasion_date,state,email,attempts,planned_at,sent_at,last_reply,reason,"
            "reason_code,merged,message_id,updated_at,current_contact_id,name,company,occasion_title,"
            "timezone,when_local,subject\n"
            "1,birthday,2026-12-01,sent,other@example.com,1,,2026-12-01T08:00:00+00:00,250,,,,<other@x>,,,,,,UTC,,\n"
            "gone,name_day,2026-12-02,sent,gone@example.com,2,,2026-12-02T21:30:00+00:00,250,,,new_year,"
            "<gone@x>,,,,,,Asia/Vladivostok,,Hi\n"
            "2,birthday,2026-12-02,failed,two@example.com,1,,,550,,,,,,,,,,UTC,,\n"
        )
        saved = parse_saved(text, "saved.csv")
        done = run_put_back(journal, saved, now=now, dry_run=False, name="saved.csv")
        assert (len(done.letters), done.held, done.rode_unknown, saved.other) == (1, 1, 1, 1)
        rows = {e.contact_id: e for e in journal.history()}
    assert (rows["1"].email, rows["1"].message_id) == ("one@example.com", "<own@x>")
    gone = rows["gone"]
    assert (gone.state, gone.email, gone.message_id, gone.merged) == (
        "sent",
        "gone@example.com",
        "<gone@x>",
        ("new_year",),
    )
    assert gone.sent_at == datetime(2026, 12, 2, 21, 30, tzinfo=UTC)
    assert gone.send_day == date(2026, 12, 3)  # Vladivostok's day: the cap counts it then
    assert (gone.attempts, gone.subject) == (2, "Hi")
    assert "2" not in rows  # a failed row of the file is not a letter that left


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Email;Name\nclient@example.com;Ivan\n",
            "saved.csv:1: not a greeter history export: its first line",
        ),
        (
            "contact_id;occasion;occasion_date;state;email;merged;message_id;sent_at_utc\n"
            "1;birthday;2026-12-01;sent;a@example.com;;<m@x>;yesterday\n",
            "saved.csv:2: column sent_at_utc: 'yesterday' is not a moment",
        ),
        (
            "contact_id;occasion;occasion_date;state;email;merged;message_id;sent_at_utc\n"
            "1;birthday;2026-12-01;sent;a@example.com;;<m@x>;2026-12-01 08:00:00\n"
            "2;birthday;01.12.2026;sent;b@example.com;;<n@x>;2026-12-01 08:00:00\n",
            "saved.csv:3: column occasion_date: '01.12.2026' is not a day",
        ),
        ('[{"contact_id": "1"}]', "saved.csv: row 1: no occasion"),
    ],
)
def test_a_file_that_is_not_a_history_export_is_refused_naming_the_line_and_column(
    make_project: MakeProject, tmp_path: Path, text: str, said: str
) -> None:
    config = make_project(CLIENTS)
    saved = tmp_path / "saved.csv"
    saved.write_text(text, encoding="utf-8")
    refused = greeter(config, "baseline", "--sent-from", str(saved))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert said in refused.stderr.replace(str(tmp_path) + "/", ""), refused.stderr
    assert not journal_file(config).exists()  # refused before the journal was opened (or made)


def test_sent_from_and_through_are_two_steps(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(CLIENTS)
    both = greeter(config, "baseline", "--sent-from", str(tmp_path / "x.csv"), "--through", "2026-12-01")
    assert both.returncode == 2 and "two steps" in both.stderr, both.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_put_back_sent_on_both_journals(backend: str, tmp_path: Path) -> None:
    """Both backends: inserted when absent, moved from an expired or baseline row, never over a sent one."""
    from greeter.baseline import handled_reason
    from greeter.journal_store import SentLetter
    from tests import databases

    now = datetime(2027, 4, 20, 7, 0, tzinfo=UTC)
    left = datetime(2027, 4, 14, 7, 59, 3, tzinfo=UTC)

    def letter(cid: str) -> SentLetter:
        key = (cid, "birthday", date(2027, 4, 14))
        return SentLetter(key, f"c{cid}@example.com", left, date(2027, 4, 14), f"<{cid}@x>", ("new_year",))

    with databases.journal_on(backend, tmp_path / "journal.sqlite3", now) as journal:
        journal.mark_expired(letter("2").key, now, email="c2@example.com", why="missed")
        journal.record_handled(letter("3").key, handled_reason(now), now, email="c3@example.com")
        journal.claim_many([ClaimRequest(letter("4").key, "c4@example.com", "<own@x>", now)], now=now)
        journal.mark_sent(letter("4").key, "250 ok", now)

        done = [journal.put_back_sent(letter(cid), now) for cid in ("1", "2", "3", "4")]

        assert done == [True, True, True, False]
        rows = {e.contact_id: e for e in journal.history()}
        assert journal.put_back_sent(letter("1"), now) is False  # a second time: nothing
    for cid in ("1", "2", "3"):
        row = rows[cid]
        assert (row.state, row.sent_at, row.message_id, row.reason) == ("sent", left, f"<{cid}@x>", None)
        assert (row.send_day, row.merged, row.email) == (
            date(2027, 4, 14),
            ("new_year",),
            f"c{cid}@example.com",
        )
    assert (rows["4"].message_id, rows["4"].sent_at) == ("<own@x>", now)


def test_the_occasions_that_rode_in_a_letter_come_back_when_the_file_has_their_rows(tmp_path: Path) -> None:
    """A whole history (not ``--state sent``) holds the ``merged into …`` rows: they are put back with it."""
    from greeter.restore_sent import parse_saved, run_put_back

    now = datetime(2027, 1, 10, 7, 0, tzinfo=UTC)
    text = (
        "contact_id;occasion;occasion_date;state;email;merged;message_id;sent_at_utc;reason;timezone\n"
        "1;birthday;2027-01-02;sent;one@example.com;new_year;<b@x>;2027-01-02 07:00:00;;Europe/Moscow\n"
        "1;new_year;2027-01-01;skipped;one@example.com;;;;merged into birthday;Europe/Moscow\n"
        "2;new_year;2027-01-01;skipped;two@example.com;;;;merged into birthday;Europe/Moscow\n"
    )
    saved = parse_saved(text, "history.csv")
    with Journal.open(f"sqlite:///{tmp_path / 'j.sqlite3'}", now=now) as journal:
        dry = run_put_back(journal, saved, now=now, dry_run=True, name="history.csv")
        assert "would record 1 occasion(s) carried in them as merged" in dry.text()
        assert journal.history() == []
        done = run_put_back(journal, saved, now=now, dry_run=False, name="history.csv")
        rows = {(e.contact_id, e.occasion): e for e in journal.history()}
    assert (len(done.letters), len(done.rode), done.rode_unknown) == (1, 1, 0)
    assert rows[("1", "new_year")].state == "skipped"
    assert rows[("1", "new_year")].reason == "merged into birthday"
    assert ("2", "new_year") not in rows  # its carrier is not in the file: not this letter's
