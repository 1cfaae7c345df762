"""A greeting that expires is named and exits 1; uncertain letters say what to do, runs later too.

Found by a user migrating from mailmerge: ``greeter send --once`` from a daily
cron at 10:05 Moscow time, as their old job ran. A recipient in London has
their send window (10:00–18:00 London) closed at that hour, so their letters
are never due when the run happens; once ``catch_up_days`` have passed they
were recorded ``expired`` with only ``skipped: expired 3`` in the summary, no
names, exit 0 on every run — cron told nobody. And after a crash, the run that
recorded the interrupted claims ``uncertain`` did not say what to do, while
the runs after it said nothing of them at all.

The real CLI in-process, the example config's file transport, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.journal import Journal
from tests.conftest import MakeProject, contact_row

#: Three London recipients with birthdays on 8, 9 and 10 December 2026 (Tuesday to Thursday).
LONDON = [
    contact_row(cid, f"client{cid}@example.com", birthday=f"{day}.12.1980", tz="Europe/London")
    for cid, day in (("1005", "08"), ("1006", "09"), ("1007", "10"))
]
NAMES = (
    "expired ×3 (never sent: not sent within catch_up_days 3 of the day it was meant to leave): "
    "1005 birthday 2026-12-08, 1006 birthday 2026-12-09, 1007 birthday 2026-12-10"
)
CURE = "run greeter send --once every 10 minutes or more often (cron */5) or greeter run, not once a day"
#: The daily cron's moment: 07:05 in London, before its window opens.
CRON = "T10:05:00+03:00"


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def cron(config: Path, day: str, *more: str) -> Result:
    """``send --once`` as the daily cron runs it, on ``day`` of December 2026."""
    return greeter(config, "send", "--once", "--now", f"2026-12-{day}{CRON}", *more)


def expired_rows(config: Path) -> list[tuple[str, str]]:
    shown = greeter(config, "history", "--state", "expired", "--format", "json")
    assert shown.exit_code == 0, shown.output
    return [(row["contact_id"], row["occasion_date"]) for row in json.loads(shown.stdout)]


def test_a_daily_cron_outside_a_recipients_window_names_the_greetings_it_lost_and_exits_1(
    make_project: MakeProject,
) -> None:
    config = make_project(LONDON)
    for day in ("07", "08", "09", "10", "11"):  # never inside London's window: nothing due, nothing lost yet
        quiet = cron(config, day)
        assert quiet.exit_code == 0, quiet.output
        assert "expired" not in quiet.output, quiet.output
    lost = cron(config, "14")  # Monday: the 8th's to 10th's catch-up periods are over
    assert lost.exit_code == 1, lost.output
    assert "skipped: expired 3" in lost.stdout, lost.stdout
    assert NAMES in lost.stderr.splitlines(), lost.stderr
    hint = lost.stderr.splitlines()[-1]
    assert hint.startswith("a greeting expires when no send runs inside its recipient's send window"), hint
    assert "usually" in hint and hint.endswith(CURE), hint
    assert expired_rows(config) == [("1005", "2026-12-08"), ("1006", "2026-12-09"), ("1007", "2026-12-10")]
    after = cron(config, "15")  # recorded once, said once: the next run has nothing new to say
    assert after.exit_code == 0, after.output
    assert "expired" not in after.output, after.output


def test_the_dry_run_names_them_without_recording_and_json_lists_them(make_project: MakeProject) -> None:
    """Twelve lost: the line names the first ten, and ``--json`` has all of them in ``expired``."""
    days = [f"{8 + i % 3:02d}" for i in range(12)]
    rows = [
        contact_row(f"{2000 + i}", f"c{i}@example.com", birthday=f"{day}.12.1980", tz="Europe/London")
        for i, day in enumerate(days)
    ]
    config = make_project(rows)
    assert cron(config, "07").exit_code == 0  # the journal starts before their days
    dry = cron(config, "14", "--dry-run")
    assert dry.exit_code == 1, dry.output  # what the send would exit with
    assert "12 would be recorded skipped, not sent (expired 12)" in dry.stdout, dry.stdout
    (line,) = [line for line in dry.stderr.splitlines() if line.startswith("expired ×12 ")]
    assert line.endswith(" and 2 more (greeter history --state expired lists them)"), line
    assert line.count(" birthday 2026-12-") == 10 and "2000 birthday 2026-12-08" in line, line
    assert expired_rows(config) == []  # a dry run records nothing

    sent = cron(config, "14", "--json")
    assert sent.exit_code == 1, sent.output
    summary = json.loads(sent.stdout)
    assert summary["skipped"] == {"expired": 12}
    assert sorted(summary["expired"], key=lambda e: e["contact_id"]) == [
        {"contact_id": f"{2000 + i}", "occasion": "birthday", "occasion_date": f"2026-12-{day}"}
        for i, day in enumerate(days)
    ]
    assert len(expired_rows(config)) == 12
    later = json.loads(cron(config, "15", "--json").stdout)
    assert later["expired"] == []


def crashed(make_project: MakeProject) -> Path:
    """A project whose sender died between claiming contact 1's letter and the server's reply."""
    config = make_project([contact_row("1", "client1@example.com", birthday="16.12.1980")])
    first = greeter(config, "send", "--once", "--now", "2026-12-15T11:00:00+03:00")
    assert first.exit_code == 0 and "uncertain await" not in first.stdout, first.output
    moment = datetime.fromisoformat("2026-12-16T11:00:00+03:00")
    journal = config.parent / "data" / "journal.sqlite3"
    with Journal.open(str(journal), now=moment) as dead:  # what kill -9 between claim and reply leaves
        dead.lock_sender()
        assert dead.claim(
            ("1", "birthday", date(2026, 12, 16)), email="client1@example.com", message_id="<1@t>",
            planned_at=moment, now=moment,
        )  # fmt: skip
    return config


def test_the_run_that_records_a_crashs_claims_uncertain_says_what_to_do(make_project: MakeProject) -> None:
    config = crashed(make_project)
    recovered = greeter(config, "send", "--once", "--now", "2026-12-16T11:05:00+03:00")
    assert recovered.exit_code == 1, recovered.output
    assert (
        "; 1 interrupted claim(s) marked uncertain: they may have arrived; decide with greeter uncertain"
        " resend|dismiss (greeter history --state uncertain lists them)" in recovered.stdout
    ), recovered.stdout
    assert "uncertain await" not in recovered.stdout  # the same letter, said once


def test_the_runs_after_it_say_how_many_still_wait_until_someone_decides(make_project: MakeProject) -> None:
    """They exit 0, as before (nothing new needs a person), but no longer say nothing of them."""
    config = crashed(make_project)
    assert greeter(config, "send", "--once", "--now", "2026-12-16T11:05:00+03:00").exit_code == 1
    later = greeter(config, "send", "--once", "--now", "2026-12-16T11:10:00+03:00")
    assert later.exit_code == 0, later.output
    assert "; 1 uncertain await a decision (greeter uncertain resend|dismiss)" in later.stdout, later.stdout

    decided = greeter(config, "uncertain", "dismiss", "--all", "--now", "2026-12-16T11:12:00+03:00")
    assert decided.exit_code == 0, decided.output
    done = greeter(config, "send", "--once", "--now", "2026-12-16T11:15:00+03:00")
    assert done.exit_code == 0 and "uncertain await" not in done.stdout, done.output


def test_a_journals_first_run_names_what_expired_before_it_and_exits_0(make_project: MakeProject) -> None:
    """The README's first `send --once` on a fresh clone, late in a day: a greeting of three days ago
    whose last window had just closed read "lost", with the cron advice, exit 1 — greeter was not
    there to send it. Named as such, exit 0; the same on the next day's first run of a dry run."""
    config = make_project([LONDON[0]])
    dry = greeter(config, "send", "--once", "--dry-run", "--now", "2026-12-11T21:00:00+03:00")
    assert dry.exit_code == 0, dry.output
    first = greeter(config, "send", "--once", "--now", "2026-12-11T21:00:00+03:00")
    assert first.exit_code == 0, first.output
    said = (
        "expired ×1 (never sent: its last window within catch_up_days 3 of the day it was meant to leave"
        " had passed before this run, the journal's first (greeter was not there to send it)):"
        " 1005 birthday 2026-12-08"
    )
    assert said in first.stderr and said in dry.stderr
    assert CURE not in first.stderr
    assert expired_rows(config) == [("1005", "2026-12-08")]  # recorded all the same, in its history


def test_a_dry_runs_new_letters_say_whom_they_greet_and_their_subject(make_project: MakeProject) -> None:
    """A migrating user read `due  2026-12-07 10:30 MSK  1  ivanov@…  birthday` and had to open the
    preview to know who gets what: the line and the JSON name the client and the Subject as built."""
    config = make_project([contact_row("1029", "vera@example.com", first="Вера", patronymic="Константиновна",
                                       last="Гусева", birthday="09.12.1980")])  # fmt: skip
    now = "2026-12-09T14:30:00+03:00"
    text = greeter(config, "send", "--once", "--dry-run", "--now", now)
    assert text.exit_code == 0, text.output
    (line,) = [line for line in text.stdout.splitlines() if line.startswith("due ")]
    assert "  1029  Вера Константиновна Гусева <vera@example.com>  birthday  «" in line, line
    data = json.loads(greeter(config, "send", "--once", "--dry-run", "--json", "--now", now).stdout)
    (letter,) = data["letters"]
    assert letter["name"] == "Вера Константиновна Гусева"
    assert letter["subject"] and f"«{letter['subject']}»" in line


def test_a_downtime_of_weeks_records_and_names_what_it_cost(make_project: MakeProject) -> None:
    """QA: a birthday on 8 December, the run before it on the 7th, the next one on the 27th. The run
    looked back a fixed 17 days (catch-up and cap gap): the birthday was neither sent, recorded nor
    named, and the run exited 0 — the longer greeter was down, the less it said. It looks back to
    the last run's day now (:data:`greeter.send.LAST_PLAN`)."""
    config = make_project([contact_row("1", "client1@example.com", birthday="08.12.1960")])
    first = greeter(config, "send", "--once", "--now", "2026-12-07T10:00:00+03:00")
    assert first.exit_code == 0, first.output
    assert "next letter due 2026-12-08" in first.output
    later = greeter(config, "send", "--once", "--now", "2026-12-27T12:00:00+03:00")
    assert later.exit_code == 1, later.output
    assert "expired ×1" in later.output and "1 birthday 2026-12-08" in later.output
    assert expired_rows(config) == [("1", "2026-12-08")]
    again = greeter(config, "send", "--once", "--now", "2026-12-27T12:10:00+03:00")
    assert again.exit_code == 0, again.output  # recorded once: the next run has nothing to say of it
    assert "expired" not in again.output
    assert expired_rows(config) == [("1", "2026-12-08")]
