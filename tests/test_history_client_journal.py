"""``greeter history`` as a sales manager's client journal: what a manager ran into with a year of it.

A CRM that renumbered a client (the whole journal showed its old rows nameless, on Moscow's clock),
a client on the do-not-contact list or erased (history said nothing of why the letters stopped, or
"(yet)"), an address changed in the CRM (no pointer to the greetings sent before), a date typed as
the contacts file writes it (01.11.2026), the occasion's title the table shows ("8 Марта"), a last
name given as --contact. Each test runs the real CLI against a real SQLite journal the real
``send``, ``suppress`` and ``forget`` wrote.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import HEADER, MakeProject, contact_row
from tests.tables import table_rows
from tests.test_send_e2e import greeter, history

#: Client 1 in Novosibirsk (UTC+7, shown "+07"), client 2 in Moscow: both greeted for their birthday.
NOVOSIBIRSK = contact_row("1", "morozov@example.com", last="Морозов", first="Алексей",
                          patronymic="Игоревич", birthday="13.04.1980", tz="Asia/Novosibirsk")  # fmt: skip
MOSCOW = contact_row("2", "vinogradova@example.com", last="Виноградова", first="Людмила",
                     patronymic="Борисовна", birthday="13.04.1980")  # fmt: skip
#: Client 1's letter is due by the first (Tuesday, 16:00 in Novosibirsk), client 2's by the second.
SENDS = ("2027-04-13T12:00:00+03:00", "2027-04-13T17:25:00+03:00")
COLUMN = "Не писать"


@pytest.fixture
def sent(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose journal holds two sent birthday greetings, one per client."""
    monkeypatch.delenv("COLUMNS", raising=False)  # piped: one row per line
    config = make_project([NOVOSIBIRSK, MOSCOW])
    for now in SENDS:
        run = greeter(config, "send", "--once", "--now", now)
        assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    return config


def contacts(config: Path, *rows: str, header: str = HEADER) -> None:
    """The CRM's export as it is now."""
    (config.parent / "data" / "contacts.csv").write_text(
        "\n".join([header, *rows]) + "\n", encoding="utf-8-sig"
    )


def rows_of(table: str) -> list[list[str]]:
    """The table's rows as lists of cells."""
    return table_rows(table, "contact")


def listed_since(config: Path, table: str, key: str) -> str:
    """The day (UTC, as history says it) a row of the journal's ``table`` was written: suppress and
    forget take the real clock."""
    with sqlite3.connect(config.parent / "data" / "journal.sqlite3") as db:
        (moment,) = db.execute(f"SELECT created_at FROM {table} WHERE {key}").fetchone()
    return str(moment)[:10]


# 1. A renumbered client: the whole listing links its old rows as --contact does.


def test_the_whole_listing_shows_a_renumbered_clients_old_rows_as_its_current_contact(sent: Path) -> None:
    contacts(sent, NOVOSIBIRSK.replace("1;", "3010;", 1), MOSCOW)  # the CRM renumbered client 1
    table = greeter(sent, "history")
    assert table.returncode == 0 and table.stderr == "", table.stderr
    rows = rows_of(table.stdout)
    assert [r[:2] for r in rows] == [
        ["3010 (journal: contact 1) Алексей Игоревич Морозов", "ООО «Тест»"],
        ["2 Людмила Борисовна Виноградова", "ООО «Тест»"],
    ]
    assert rows[0][7] == "2027-04-13 16:00 +07"  # the client's clock, not the default zone's 12:00 MSK
    assert rows_of(greeter(sent, "history", "--contact", "3010").stdout)[0][:8] == rows[0][:8]
    one, two = history(sent)
    assert (one["contact_id"], one["current_contact_id"], one["name"], one["company"]) == (
        "1", "3010", "Алексей Игоревич Морозов", "ООО «Тест»",
    )  # fmt: skip
    assert (one["timezone"], one["when_local"][:16], one["when_local"][-6:]) == (
        "Asia/Novosibirsk", "2027-04-13T16:00", "+07:00",
    )  # fmt: skip
    assert (two["contact_id"], two["current_contact_id"]) == ("2", None)
    out = sent.parent / "history.csv"
    assert greeter(sent, "history", "-o", str(out)).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        first = next(csv.DictReader(fh, delimiter=";"))
    assert (first["current_contact_id"], first["name"], first["timezone"]) == (
        "3010", "Алексей Игоревич Морозов", "Asia/Novosibirsk",
    )  # fmt: skip


def test_a_row_whose_id_is_still_a_contact_stays_that_contacts(sent: Path) -> None:
    """Client 1's mailbox went to a colleague (contact 7) while client 1 stays in the CRM with a new
    address: the letter was client 1's, and the listing keeps it so."""
    colleague = contact_row("7", "morozov@example.com", last="Петров", birthday="01.01.1980")
    contacts(sent, NOVOSIBIRSK.replace("morozov@", "a.morozov@", 1), MOSCOW, colleague)
    one, _ = history(sent)
    assert (one["contact_id"], one["current_contact_id"], one["name"]) == (
        "1",
        None,
        "Алексей Игоревич Морозов",
    )


# 2. Why greetings stopped: the do-not-contact list, the CRM's column, an erasure.


def test_a_suppressed_client_history_says_since_when_and_why(sent: Path) -> None:
    done = greeter(sent, "suppress", "vinogradova@example.com", "--reason", "просила не писать")
    assert done.returncode == 0, done.stderr
    day = listed_since(sent, "suppression", "email = 'vinogradova@example.com'")
    said = (
        f"greetings stopped: vinogradova@example.com is on the do-not-contact list since {day}"
        " (reason: просила не писать)"
    )
    for flag, value in (("--contact", "2"), ("--email", "Vinogradova@example.com")):
        table = greeter(sent, "history", flag, value)
        assert table.returncode == 0 and len(rows_of(table.stdout)) == 1, table.stderr
        assert table.stderr.splitlines() == [said]
        as_json = greeter(sent, "history", flag, value, "--format", "json")
        assert [r["contact_id"] for r in json.loads(as_json.stdout)] == ["2"]  # still a list of rows
        assert as_json.stderr.splitlines() == [said]
    assert "greetings stopped" not in greeter(sent, "history", "--contact", "1").stderr


def test_the_crms_do_not_contact_column_is_said(sent: Path, make_project: MakeProject) -> None:
    assert make_project([], contacts={"columns": {"do_not_contact": COLUMN}}) == sent  # the same project
    contacts(sent, NOVOSIBIRSK + ";", MOSCOW + ";да", header=f"{HEADER};{COLUMN}")
    shown = greeter(sent, "history", "--contact", "2")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.splitlines() == [
        "greetings stopped: the CRM marks this contact do-not-contact (column «Не писать»)"
    ]


def test_an_erased_clients_history_says_it_was_erased_not_yet(sent: Path) -> None:
    done = greeter(sent, "forget", "vinogradova@example.com", "--yes")
    assert done.returncode == 0, done.stderr
    day = listed_since(sent, "suppression", "email = 'vinogradova@example.com'")
    erased = (
        f"vinogradova@example.com was erased on {day} at the client's request (greeter forget): its"
        " greetings were deleted from the journal, and none is sent again"
    )
    shown = greeter(sent, "history", "--contact", "2")  # the CRM still holds the client
    assert shown.returncode == 0 and "(yet)" not in shown.stderr, shown.stderr
    assert shown.stderr.splitlines() == [
        "the journal has no greeting for --contact 2 nor for its address vinogradova@example.com under"
        " another id",
        f"greetings stopped: {erased}",
    ]
    contacts(sent, NOVOSIBIRSK)  # and once the CRM has dropped the client too
    gone = greeter(sent, "history", "--contact", "2")
    assert gone.stderr.splitlines() == [
        "the journal has no greeting for --contact 2",
        f"greetings stopped: contact 2 {erased.removeprefix('vinogradova@example.com ')}",
    ]


# 3. An address changed in the CRM: where the client's earlier greetings are.


def test_a_new_address_points_to_the_contacts_greetings_at_its_old_one(sent: Path) -> None:
    contacts(sent, NOVOSIBIRSK, MOSCOW.replace("vinogradova@", "l.vinogradova@", 1))
    shown = greeter(sent, "history", "--email", "l.vinogradova@example.com")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.splitlines() == [
        "the journal has no greeting for --email l.vinogradova@example.com (yet)",
        "contact 2 has 1 greeting(s) to other addresses: greeter history --contact 2",
    ]
    assert [r["email"] for r in history(sent, "--contact", "2")] == ["vinogradova@example.com"]
    nobodys = greeter(sent, "history", "--email", "nobody@example.com")
    assert nobodys.stderr.splitlines() == ["the journal has no greeting for --email nobody@example.com (yet)"]


# 4. Dates as the contacts file writes them, and whole months.


@pytest.mark.parametrize(
    ("since", "until", "count"),
    [
        ("13.04.2027", "13.04.2027", 2),
        ("14.04.2027", None, 0),
        ("2027-04", "2027-04", 2),  # the whole of April
        (None, "2027-03", 0),  # up to 31 March
        ("2027-05", None, 0),
        (None, "12.04.2027", 0),
        ("13.4.2027", "13.4.2027", 2),  # one digit, as %d.%m.%Y reads it and a manager types it
        ("1.4.2027", "2027-04", 2),
        (None, "1.4.2027", 0),
    ],
)
def test_since_and_until_take_dd_mm_yyyy_and_whole_months(
    sent: Path, since: str | None, until: str | None, count: int
) -> None:
    args = [*(("--since", since) if since else ()), *(("--until", until) if until else ())]
    assert len(history(sent, *args)) == count


def test_a_month_ends_on_its_last_day_and_other_forms_are_refused(sent: Path) -> None:
    feb = greeter(sent, "history", "--since", "2027-03", "--until", "2027-02")
    assert feb.returncode == 2 and "--since 2027-03-01 is after --until 2027-02-28" in feb.stderr
    # In the config's words (greeter.day_text.not_a_day_form): of the day meant where it is clear.
    usual = "2027-03-15, 15.03.2027 or a month like 2027-03"
    for bad, why in (
        ("1.11.26", usual),
        ("001.11.2026", usual),
        ("31.02.2027", None),
        ("2027-13", f"{usual}: there is no month 13"),
        ("11/01/2026", "2026-01-11, 11.01.2026 or a month like 2026-01"),
    ):
        refused = greeter(sent, "history", "--since", bad)
        assert refused.returncode == 2, bad
        said = f"'{bad}' is not a date like {why}\n"
        if why is None:  # a day in a form taken that is none: in the config's words (day_text.not_a_day)
            said = f"{bad} is not a real date: February has no 31st\n"
        assert refused.stderr.endswith(said), refused.stderr
    # The other commands' date options share the parser: DD.MM.YYYY too, but no month for a day.
    plan = greeter(sent, "preview", "--from", "13.04.2027", "--days", "1", "--format", "json")
    assert plan.returncode == 0, plan.stderr
    month = greeter(sent, "preview", "--from", "2027-04", "--days", "1")
    assert month.returncode == 2 and "'2027-04' is not a date like 2027-04-01 or 01.04.2027" in month.stderr


def test_a_pasted_contact_or_address_is_trimmed_and_a_blank_one_refused(sent: Path) -> None:
    """``--contact " 1 "`` pasted from a spreadsheet found nothing ("no greeting … (yet)")."""
    assert [r["contact_id"] for r in history(sent, "--contact", " 1 ")] == ["1"]
    assert [r["contact_id"] for r in history(sent, "--contact", "\t2\n")] == ["2"]
    assert [r["contact_id"] for r in history(sent, "--email", " Vinogradova@example.com ")] == ["2"]
    for option in ("--contact", "--email"):
        blank = greeter(sent, "history", option, "  ")  # "$ID" unset: not the whole journal
        assert (blank.returncode, blank.stdout) == (2, ""), blank.stdout
        assert (
            f"Invalid value for '{option}': an empty value; give one, or leave {option} out" in blank.stderr
        )


# 5. The occasion's title (a name given as --contact: tests/test_history_names.py).


def test_occasion_takes_the_title_the_table_shows_in_any_case(sent: Path) -> None:
    assert len(history(sent, "--occasion", "день РОЖДЕНИЯ")) == 2
    assert len(history(sent, "--occasion", " Birthday ")) == 2  # a name in any case too (QA re-test)
    assert history(sent, "--occasion", "Новый год") == []  # a title of a configured occasion
    refused = greeter(sent, "history", "--occasion", "xmas")
    assert refused.returncode == 2
    assert "(known: birthday (День рождения), " in refused.stderr
    assert "womens_day (8 Марта)" in refused.stderr
    typo = greeter(sent, "history", "--occasion", "8 Марьа")
    assert typo.returncode == 2 and "did you mean 'womens_day' (8 Марта)?" in typo.stderr
