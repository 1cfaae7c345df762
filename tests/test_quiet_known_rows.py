"""``send --once --quiet`` in cron with a CRM export that has a rejected row.

An operator's 150,000-contact export had 99 rejected rows: every five-minute
run exited 1 (the contract: a row was rejected) and so printed its summary
(`due 0; sent: 0; … 454 contact row problem(s) unchanged since …`) — cron
mailed it 288 times a day though nothing had changed. The exit code stays 1;
stdout stays empty while the only reason for it is that set of rows, already
said and unchanged. New problems, or anything else a person must see to, print
as before.

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.journal import Journal
from tests.conftest import MakeProject, contact_row

GOOD = contact_row("1", "client1@example.com", birthday="13.04.1980")
NO_ID = contact_row("", "client4@example.com", birthday="13.04.1980")  # rejected: exit 1
BAD_MAIL = contact_row("5", "not an address", birthday="13.04.1980")  # rejected too


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def quiet_send(config: Path, now: str) -> tuple[int, str, str]:
    return run(config, "send", "--once", "--quiet", "--now", now)


def test_a_rejected_row_already_said_keeps_a_quiet_cron_run_silent_but_exit_1(
    make_project: MakeProject,
) -> None:
    config = make_project([GOOD, NO_ID])
    code, out, err = quiet_send(config, "2027-04-14T11:00:00+03:00")
    assert code == 1
    assert "row 3: ID: empty id" in err  # new: said on stderr
    assert out.startswith("2027-04-14 11:00 MSK: due 1; sent: 1;"), out

    for minute in ("05", "10"):  # the same rows, said before: nothing to mail, the exit code still 1
        assert quiet_send(config, f"2027-04-14T11:{minute}:00+03:00") == (1, "", "")

    # Without --quiet the run still says why it exits 1.
    code, out, err = run(config, "send", "--once", "--now", "2027-04-14T11:15:00+03:00")
    assert code == 1 and err == "", err
    assert "; 1 contact row problem(s) unchanged since 2027-04-14 11:00 MSK, 1 of them rejected row(s)" in out


def test_new_row_problems_still_print_under_quiet(make_project: MakeProject) -> None:
    config = make_project([GOOD, NO_ID])
    assert quiet_send(config, "2027-04-14T11:00:00+03:00")[0] == 1
    assert quiet_send(config, "2027-04-14T11:05:00+03:00") == (1, "", "")
    contacts = config.parent / "data" / "contacts.csv"
    contacts.write_text(contacts.read_text(encoding="utf-8-sig") + BAD_MAIL + "\n", encoding="utf-8-sig")

    code, out, err = quiet_send(config, "2027-04-14T11:10:00+03:00")
    assert code == 1
    assert "row 4: Email: 'not an address' is not a valid e-mail address" in err
    assert "row 3: ID: empty id" in err  # the new set, in full
    assert out.startswith("2027-04-14 11:10 MSK: due 0; sent: 0;"), out
    assert quiet_send(config, "2027-04-14T11:15:00+03:00") == (1, "", "")  # said once


def test_a_letter_needing_a_person_still_prints_the_summary_beside_known_rows(
    make_project: MakeProject,
) -> None:
    """Rows unchanged, but the run recorded a crashed run's claim uncertain: that needs a person."""
    config = make_project([GOOD, NO_ID])
    assert quiet_send(config, "2027-04-14T11:00:00+03:00")[0] == 1
    moment = datetime.fromisoformat("2027-04-14T11:02:00+03:00")
    journal = config.parent / "data" / "journal.sqlite3"
    with Journal.open(str(journal), now=moment) as dead:  # what kill -9 between claim and reply leaves
        dead.lock_sender()
        assert dead.claim(
            ("1", "birthday", date(2028, 4, 13)), email="client1@example.com", message_id="<1@t>",
            planned_at=moment, now=moment,
        )  # fmt: skip

    code, out, err = quiet_send(config, "2027-04-14T11:05:00+03:00")
    assert code == 1
    assert "1 interrupted claim(s) marked uncertain" in out, out
    assert "1 contact row problem(s) unchanged since 2027-04-14 11:00 MSK, 1 of them rejected row(s)" in out
    assert "row 3" not in err  # the rows themselves were said before


def test_a_known_bad_row_moved_down_by_a_new_contact_above_it_is_not_news(
    make_project: MakeProject,
) -> None:
    """QA re-test: the fingerprint hashed the row numbers, so a daily export with one client more
    near the top moved every known bad row down and the quiet cron run mailed again."""
    config = make_project([GOOD, BAD_MAIL])
    assert quiet_send(config, "2027-04-14T11:00:00+03:00")[0] == 1
    assert quiet_send(config, "2027-04-14T11:05:00+03:00") == (1, "", "")
    contacts = config.parent / "data" / "contacts.csv"
    header, *rows = contacts.read_text(encoding="utf-8-sig").splitlines()
    newcomer = contact_row("7", "client7@example.com", birthday="01.06.1985")
    contacts.write_text("\n".join([header, newcomer, *rows]) + "\n", encoding="utf-8-sig")

    assert quiet_send(config, "2027-04-14T11:10:00+03:00") == (1, "", "")
