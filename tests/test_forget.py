"""``greeter forget`` and the access side of the do-not-contact list, on real journals and a real outbox.

An erasure request (152-ФЗ, GDPR art. 17) must leave nothing of the person
in greeter's journal or outbox but the bare address on the do-not-contact
list — the one thing that keeps the next CRM export from greeting them
again. An access request asks "is this person on the list, since when,
why", and an export/import of the list must keep the opt-out dates, the
evidence the list holds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.erasure_records import erased_reason
from greeter.errors import ClaimedNowError
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest, JournalStore, Suppression
from greeter.transport import eml_name
from tests import databases
from tests.conftest import MakeProject, contact_row

#: A Monday; every contact below has a birthday on it.
DAY = "2027-04-12"
NOW = f"{DAY}T17:29:00+03:00"
#: Ids 1…12: forgetting contact "1" must not take the letters of "10", "11", "12" along.
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in range(1, 13)]
GONE = "client01@example.com"
BIRTHDAY = ("1", "birthday", date(2027, 4, 12))
MOMENT = datetime(2027, 4, 12, 7, 0, tzinfo=UTC)


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def history(config: Path, email: str) -> list[dict[str, str]]:
    result = greeter(config, "history", "--email", email, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, str]] = json.loads(result.stdout)
    return rows


def preview_reasons(config: Path) -> dict[str, str | None]:
    result = greeter(config, "preview", "--from", DAY, "--days", "1", "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.output
    return {d["email"]: d["reason"] for d in json.loads(result.stdout) if d["occasion"] == "birthday"}


def sent(config: Path) -> Path:
    """Send the day's letters through the file transport; the outbox they are in."""
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.exit_code == 0, result.output
    outbox = config.parent / "data" / "outbox"
    assert len(list(outbox.glob("*.eml"))) == len(CLIENTS)
    return outbox


def test_forget_erases_the_history_and_the_letters_and_the_next_send_skips_the_address(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    outbox = sent(config)
    mine = outbox / eml_name(BIRTHDAY)
    others = sorted(p.name for p in outbox.glob("*.eml") if p != mine)
    assert mine.is_file() and len(history(config, GONE)) == 1

    result = greeter(config, "forget", "Client01@Example.com", "--yes")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        f"{GONE}: erased 1 greeting(s), 0 approval(s), 1 .eml file(s); "
        "put on the do-not-contact list (erasure request)",
        "  greeting: contact 1 birthday 2027-04-12 (sent)",
        f"  file: {mine}",
    ]
    assert "greeter cannot erase: the contacts source itself" in result.stdout
    assert history(config, GONE) == []
    assert not mine.exists()
    assert sorted(p.name for p in outbox.glob("*.eml")) == others  # ids 10, 11, 12 keep theirs
    assert preview_reasons(config)[GONE] == "suppressed"
    again = greeter(config, "send", "--once", "--now", NOW)
    assert again.exit_code == 0, again.output
    assert not mine.exists() and history(config, GONE) == []  # never greeted again
    listed = greeter(config, "suppress", "--list", GONE, "--format", "json")
    assert [(r["email"], r["reason"]) for r in json.loads(listed.stdout)] == [(GONE, "erasure request")]


def test_dry_run_lists_what_would_go_and_removes_nothing(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    outbox = sent(config)

    result = greeter(config, "forget", GONE, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"{GONE}: would erase 1 greeting(s), 0 approval(s), 1 .eml file(s); would put on the do-not-contact"
    )
    assert (outbox / eml_name(BIRTHDAY)).is_file()
    assert len(history(config, GONE)) == 1
    assert greeter(config, "suppress", "--list", GONE).exit_code == 1  # not put on the list either


def test_forget_before_the_first_send_lists_the_address_and_the_first_send_skips_it(
    make_project: MakeProject,
) -> None:
    """A CRM sync that forwarded an erasure before greeter's first send got exit 2 "no journal" and lost
    it: the first send then greeted the person. ``suppress`` made the journal; ``forget`` now does too."""
    config = make_project(CLIENTS)
    journal = config.parent / "data" / "journal.sqlite3"

    rehearsed = greeter(config, "forget", GONE, "--dry-run")
    assert rehearsed.exit_code == 0, rehearsed.output
    assert rehearsed.stdout.startswith(
        f"{GONE}: would erase 0 greeting(s), 0 approval(s), 0 .eml file(s); would put on the do-not-contact"
    )
    assert "person: contact(s) 1 would be opted out" in rehearsed.stdout
    assert not journal.exists()  # a dry run makes nothing

    result = greeter(config, "forget", GONE, "--yes")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"{GONE}: erased 0 greeting(s), 0 approval(s), 0 .eml file(s); put on the do-not-contact list"
    )
    listed = json.loads(greeter(config, "suppress", "--list", GONE, "--json").stdout)
    assert [(row["email"], row["reason"], row["contact_ids"]) for row in listed] == [
        (GONE, "erasure request", ["1"])
    ]
    assert preview_reasons(config)[GONE] == "suppressed"
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    assert not (config.parent / "data" / "outbox" / eml_name(BIRTHDAY)).exists()


def test_unsuppress_of_an_erased_address_is_done_but_never_silently(make_project: MakeProject) -> None:
    """``unsuppress`` took an ``erasure request`` entry off the list without a word: the person asked
    to be erased, and a CRM still holding them has them greeted again. Now it is refused without
    --force (tests/test_optout_events.py); with it, done with a warning."""
    config = make_project(CLIENTS)
    sent(config)
    assert greeter(config, "forget", GONE, "--yes").exit_code == 0
    assert greeter(config, "suppress", "client02@example.com").exit_code == 0

    result = greeter(config, "unsuppress", GONE.upper(), "client02@example.com", "--force")

    assert result.exit_code == 0, result.output  # an operator's decision: done, with a warning
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"argument 1: warning: '{GONE}' was put on the list by an erasure request on ")
    assert line.endswith("taken off, greeter writes to it again if the contacts still hold it")
    assert result.stdout == "removed 2 address(es) from the do-not-contact list\n"
    assert preview_reasons(config)[GONE] is None  # erased and listed no more: greeted again, as warned


def test_without_a_terminal_forget_needs_yes_and_erases_nothing(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    sent(config)

    result = greeter(config, "forget", GONE)

    assert result.exit_code == 2
    assert result.stderr == (
        "forget erases for good and asks first, but there is no terminal to ask on: add --yes"
        " (see what would go with --dry-run)\n"
    )
    assert len(history(config, GONE)) == 1


def test_a_greeting_a_running_sender_holds_is_refused_in_one_line(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    sent(config)
    path = config.parent / "data" / "journal.sqlite3"
    key = ("2", "birthday", date(2027, 4, 13))
    request = ClaimRequest(key, "client02@example.com", "<m@x>", MOMENT)
    with Journal.open(f"sqlite:///{path}", now=MOMENT) as sender:
        sender.lock_sender()  # a send is running…
        assert sender.claim_many([request], now=MOMENT) == [True]  # …and handing this letter over

        result = greeter(config, "forget", "client02@example.com", "--yes")

        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [
            "client02@example.com: a greeting to it is being sent right now (contact 2 birthday"
            " 2027-04-13 claimed by a running sender); nothing erased for it — run forget again once"
            " that send has finished"
        ]
        assert len(history(config, "client02@example.com")) == 2
    # The sender died with its claim: nobody hands it over any more, so it is erased with the rest,
    # and named as history names it (it said "claimed", which history shows as uncertain).
    result = greeter(config, "forget", "client02@example.com", "--yes")
    assert result.exit_code == 0, result.output
    assert "  greeting: contact 2 birthday 2027-04-13 (uncertain)" in result.stdout.splitlines(), (
        result.stdout
    )
    assert history(config, "client02@example.com") == []


def test_suppress_list_with_addresses_answers_an_access_request(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client03@example.com", "--reason", "asked by phone").exit_code == 0
    assert greeter(config, "suppress", "client04@example.com").exit_code == 0

    found = greeter(config, "suppress", "--list", "Client03@Example.com", "--format", "json")
    assert found.exit_code == 0, found.output
    (row,) = json.loads(found.stdout)
    assert (row["email"], row["reason"]) == ("client03@example.com", "asked by phone")

    missing = greeter(config, "suppress", "--list", "client03@example.com", "client05@example.com")
    assert missing.exit_code == 1
    assert missing.stderr == "argument 2: 'client05@example.com' is not on the do-not-contact list\n"
    assert "client03@example.com" in missing.stdout and "client04@example.com" not in missing.stdout


def test_an_exported_list_imported_into_a_new_journal_keeps_its_dates(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    path = config.parent / "data" / "journal.sqlite3"
    opted_out = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    with Journal.open(f"sqlite:///{path}", now=opted_out) as journal:
        journal.suppress(["client05@example.com"], "unsubscribed", opted_out)
    exported = greeter(config, "suppress", "--list", "--format", "csv")
    assert exported.exit_code == 0, exported.output
    dump = tmp_path / "dnc.csv"
    dump.write_text(exported.stdout, encoding="utf-8")
    config = make_project(CLIENTS, storage={"url": "sqlite:///data/new-journal.sqlite3"})

    result = greeter(config, "suppress", "--from-csv", str(dump))

    assert result.exit_code == 0, result.output
    listed = json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout)
    assert [(r["email"], r["reason"], r["created_at"]) for r in listed] == [
        ("client05@example.com", "unsubscribed", opted_out.isoformat())
    ]


def test_a_crm_opt_out_date_is_kept_and_an_unreadable_one_is_a_warning(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    crm = config.parent / "crm.csv"
    crm.write_text(
        "Email;Причина;Дата отписки\n"
        "client05@example.com;просил не писать;01.12.2025\n"
        "client06@example.com;;2025-11-30\n"
        "client07@example.com;;вчера\n",
        encoding="utf-8-sig",
    )
    before = datetime.now(UTC).replace(microsecond=0)  # the list writes whole seconds

    result = greeter(config, "suppress", "--from-csv", str(crm))

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{crm}:row 4: Дата отписки: warning: 'вчера' is not a date (ISO 8601 or %d.%m.%Y, %Y-%m-%d, %d/%m/%Y);"
        " stored with the import's time"
    ]
    rows = json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout)
    since = {r["email"]: datetime.fromisoformat(r["created_at"]) for r in rows}
    moscow = ZoneInfo("Europe/Moscow")  # defaults.timezone: a day alone starts there
    assert since["client05@example.com"] == datetime(2025, 12, 1, tzinfo=moscow)
    assert since["client06@example.com"] == datetime(2025, 11, 30, tzinfo=moscow)
    assert since["client07@example.com"] >= before


def test_the_suppress_csv_export_names_the_column_the_import_reads() -> None:
    from greeter.suppression import COLUMNS, DATE_HEADERS, _name

    header = next(csv.reader(io.StringIO(",".join(COLUMNS))))
    assert _name(header[COLUMNS.index("created_at")]) in DATE_HEADERS
    assert _name("created_at_utc") in DATE_HEADERS  # the name -o FILE.csv gives it


# --- the journal's part, on both backends -------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        yield journal


def claim(journal: JournalStore, key: tuple[str, str, date], email: str) -> None:
    assert journal.claim_many([ClaimRequest(key, email, f"<{key[0]}@x>", MOMENT)], now=MOMENT) == [True]


def test_forget_deletes_the_rows_and_approvals_and_lists_the_address(journal: JournalStore) -> None:
    claim(journal, BIRTHDAY, "Иван@Пример.РФ")
    journal.mark_sent(BIRTHDAY, "250 ok", MOMENT)
    noted = ("1", "new_year", date(2027, 1, 1))
    journal.mark_skipped(noted, "frequency_cap: …", MOMENT)  # no address: contact 1's all the same
    other = ("1", "first_deal", date(2027, 2, 1))
    journal.mark_skipped(other, "merged into birthday", MOMENT, email="new@example.com")  # another address
    keep = ("10", "birthday", date(2027, 4, 12))
    claim(journal, keep, "client10@example.com")
    journal.approve([(BIRTHDAY, "h1"), (keep, "h2")], "anna", MOMENT)

    planned = journal.erasure("иван@пример.рф")
    done = journal.forget("иван@пример.рф", MOMENT)

    assert planned == done
    # contact 1's rows whatever address they name: the one to new@ is theirs too, and said so
    assert done.greetings == (BIRTHDAY, other, noted) and done.states == ("sent", "skipped", "skipped")
    assert done.former == ((other, "new@example.com"),) and done.contact_ids == ("1",)
    assert done.approvals == 1 and done.listed is None
    assert {(e.contact_id, e.occasion) for e in journal.history()} == {("10", "birthday")}
    assert journal.approvals_since(date(2020, 1, 1)).hashes == {keep: "h2"}
    assert journal.is_suppressed("ИВАН@ПРИМЕР.РФ")
    assert journal.erasure("иван@пример.рф").greetings == ()


def test_an_address_already_listed_keeps_its_older_entry(journal: JournalStore) -> None:
    """Its date, the older evidence; its reason (free text) gives way to the erasure's record."""
    earlier = MOMENT - timedelta(days=90)
    journal.suppress([GONE], "unsubscribed", earlier)
    done = journal.forget(GONE, MOMENT)
    assert done.listed is not None and done.listed.reason == "unsubscribed"
    assert journal.suppression_list() == [Suppression(GONE, erased_reason(MOMENT.date()), earlier)]


def test_a_live_claim_refuses_and_changes_nothing(journal: JournalStore) -> None:
    journal.lock_sender()  # this process is the running sender (SQLite: the lock; PostgreSQL: the lease)
    claim(journal, BIRTHDAY, GONE)
    with pytest.raises(ClaimedNowError, match="being sent right now"):
        journal.forget(GONE, MOMENT)
    assert [e.state for e in journal.history(email=GONE)] == ["claimed"]
    assert not journal.is_suppressed(GONE)


def test_an_imported_list_keeps_each_date(journal: JournalStore) -> None:
    first = Suppression("a@example.com", "unsubscribed", MOMENT - timedelta(days=400))
    second = Suppression("B@example.com", "asked by phone", MOMENT - timedelta(days=3))
    assert journal.suppress_dated([first, second, Suppression("b@example.com", "dup", MOMENT)]) == 2
    assert journal.suppression_list() == [
        first,
        Suppression("b@example.com", "asked by phone", second.created_at),
    ]


def test_forget_on_postgresql_end_to_end(make_project: MakeProject) -> None:
    with databases.pg_schema() as (url, _):
        config = make_project(CLIENTS, storage={"url": url})
        outbox = sent(config)
        result = greeter(config, "forget", GONE, "--yes")
        assert result.exit_code == 0, result.output
        assert history(config, GONE) == []
        assert not (outbox / eml_name(BIRTHDAY)).exists()
        assert preview_reasons(config)[GONE] == "suppressed"


def test_a_bad_argument_to_forget_says_nothing_was_erased(make_project: MakeProject) -> None:
    """It said "not suppressed", the words of ``suppress``."""
    config = make_project(CLIENTS)
    sent(config)
    result = greeter(config, "forget", "bogus", "--dry-run")
    assert "argument 1: 'bogus' is not a valid e-mail address; nothing erased" in result.stderr, result.output
    assert "not suppressed" not in result.output
