"""``suppress --list`` exports every opt-out, ``--from-csv`` gives every one back: a round trip.

The docs move the do-not-contact list with ``suppress --list`` → a file →
``suppress --from-csv`` (operations.md's restore). The list was the addresses
only: a person-level opt-out ``suppress --contact`` made (a client who said no
by phone; no address listed) was named on stderr after it, so an operator who
moved the list lost every such client — and greeter greeted them again. Here
every kind of opt-out is made (an address given by hand, ``--address-only``,
``--contact`` by id, for a rejected row, for an id only the journal has,
``--force``, the one-click unsubscribe's own function, a bounce listed before
the person's own request), the list is exported as CSV (stdout and the
Excel file) and JSON, read into a fresh journal, and both tables and
``preview`` must be as before. Real SQLite files, real CLI runs.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from greeter.config_loader import load_settings
from greeter.journal import open_journal
from greeter.journal_store import PersonOptOut, Suppression
from greeter.unsubscribe import unsubscribe_person
from tests.conftest import MakeProject, contact_row
from tests.test_optout_person import LATER, LATER_NOW, NOW, greeter

#: Clients 1–5 and 7 have their birthday on DAY; 6's e-mail cell is broken (its row rejected).
CLIENTS = [
    contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in (1, 2, 3, 4, 5, 7)
]
BROKEN = contact_row("6", "client06@@example", birthday="12.04.1980")
#: Whole seconds: the list writes its dates to the second.
BOUNCED_AT, ASKED_AT = "2027-04-12T18:00:00+03:00", "2027-04-13T10:15:30+03:00"
CLICKED = datetime.fromisoformat("2027-04-12T20:45:10+03:00")


def contacts_file(config: Path) -> Path:
    return config.parent / "data" / "contacts.csv"


def opt_outs(config: Path) -> tuple[list[Suppression], dict[str, PersonOptOut]]:
    """Both tables of the config's journal, as the journal reads them (dates compared as instants)."""
    url = load_settings(config, today=date(2027, 4, 12)).storage.url
    journal = open_journal(url, now=CLICKED, readonly_ok=True)
    try:
        listed = sorted(journal.suppression_list(), key=lambda s: s.email)
        return listed, journal.opted_out_contacts()
    finally:
        journal.close()


def planned(config: Path) -> dict[str, tuple[str | None, str | None]]:
    """Each contact's birthday a year on, as ``preview`` plans it: contact id → (reason, detail)."""
    shown = greeter(config, "preview", "--from", LATER, "--days", "1", "--format", "json", "--now", LATER_NOW)
    assert shown.exit_code in (0, 1), shown.output  # 1: the rejected row, named on stderr
    return {d["contact_id"]: (d["reason"], d.get("detail")) for d in json.loads(shown.stdout)}


def planned_both(config: Path) -> tuple[dict[str, tuple[str | None, str | None]], ...]:
    """:func:`planned` as the contacts are, and once the CRM gave every client a new address (and
    mended row 6): then only the person-level opt-outs skip a contact, by its id."""
    text = contacts_file(config).read_text(encoding="utf-8-sig")
    now = planned(config)
    moved = text.replace("@example.com", "@new.example.org").replace(
        "client06@@example", "client06@new.example.org"
    )
    contacts_file(config).write_text(moved, encoding="utf-8-sig")
    try:
        return now, planned(config)
    finally:
        contacts_file(config).write_text(text, encoding="utf-8-sig")


def suppressed(plan: dict[str, tuple[str | None, str | None]]) -> set[str]:
    return {cid for cid, (reason, _) in plan.items() if reason == "suppressed"}


def made(config: Path, *args: str) -> str:
    done = greeter(config, "suppress", *args)
    assert done.exit_code == 0, done.output
    return done.stdout


@pytest.fixture
def every_kind(make_project: MakeProject) -> Path:
    """A project whose journal holds an opt-out of every kind."""
    config = make_project([*CLIENTS, BROKEN])
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.exit_code == 1 and "sent: 6;" in sent.stdout, sent.output  # 1: the rejected row
    made(config, "client01@example.com", "--reason", "complaint (ARF)", "--now", ASKED_AT)
    made(config, "--address-only", "client02@example.com", "--reason", "mailbox gone", "--now", ASKED_AT)
    assert "contact 3 (its address client03@example.com) opted out as a person" in made(
        config, "--contact", "3", "--reason", "called", "--now", ASKED_AT
    )
    # 4: greeted, then gone from the export: an id only the journal has; back in the export after.
    text = contacts_file(config).read_text(encoding="utf-8-sig")
    row4 = next(line for line in text.splitlines() if line.startswith("4;"))
    contacts_file(config).write_text(text.replace(row4 + "\n", ""), encoding="utf-8-sig")
    made(config, "--contact", "4", "--reason", "left the company", "--now", ASKED_AT)
    contacts_file(config).write_text(text, encoding="utf-8-sig")
    made(config, "--contact", "6", "--reason", "complaint by phone", "--now", ASKED_AT)
    made(config, "--contact", "1099", "--force", "--reason", "not exported yet", "--now", ASKED_AT)
    # 7: the address listed by a bounce first, then the person's own request: its own reason and date.
    made(config, "--address-only", "client07@example.com", "--reason", "bounced: 550", "--now", BOUNCED_AT)
    made(config, "client07@example.com", "--reason", "asked by phone", "--now", ASKED_AT)
    url = load_settings(config, today=date(2027, 4, 12)).storage.url
    journal = open_journal(url, now=CLICKED)
    try:
        assert unsubscribe_person(journal, "client05@example.com", CLICKED, url) == 1  # what the POST calls
    finally:
        journal.close()
    return config


def exported(config: Path, how: str, folder: Path) -> Path:
    """The list as a file: stdout's CSV (``> file``), or the file Excel opens (``-o FILE.csv``)."""
    saved = folder / f"dnc-{how}.csv"
    if how == "stdout":
        shown = greeter(config, "suppress", "--list", "--format", "csv")
        assert shown.exit_code == 0, shown.output
        saved.write_text(shown.stdout, encoding="utf-8")
    else:
        written = greeter(config, "suppress", "--list", "-o", str(saved))
        assert written.exit_code == 0, written.output
        assert "(4 address(es), 5 person-level opt-out(s), csv)" in written.stderr
    return saved


@pytest.mark.parametrize("how", ["stdout", "excel"])
def test_every_opt_out_survives_list_and_from_csv_into_a_fresh_journal(
    every_kind: Path, tmp_path: Path, how: str
) -> None:
    config = every_kind
    before = opt_outs(config)
    skipped = planned_both(config)
    assert set(before[1]) == {"1", "3", "4", "5", "6", "7", "1099"}
    assert suppressed(skipped[0]) == {"1", "2", "3", "4", "5", "7"}
    assert suppressed(skipped[1]) == {"1", "3", "4", "5", "6", "7"}  # 2: only its address was at fault
    saved = exported(config, how, tmp_path)
    # A fresh journal (a new server's): the old one moved away with its lock file and note, which
    # would otherwise refuse a missing journal as lost.
    for old in (config.parent / "data").glob("journal.sqlite3*"):
        shutil.move(old, tmp_path / old.name)

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", LATER_NOW)

    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "suppressed 4 new address(es); 0 already on the list;"
        " 7 contact id(s) opted out as persons (not greeted at any address)\n"
    )
    assert opt_outs(config) == before
    assert planned_both(config) == skipped


def test_the_json_and_the_csv_list_the_same_opt_outs(every_kind: Path) -> None:
    """JSON has every row CSV has: the person-level ones with an empty email and their own id."""
    shown = greeter(every_kind, "suppress", "--list", "--json")
    as_csv = greeter(every_kind, "suppress", "--list", "--format", "csv")
    assert shown.exit_code == as_csv.exit_code == 0, shown.output + as_csv.output

    records = json.loads(shown.stdout)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))

    assert [list(r) for r in rows[:1]] == [["email", "reason", "created_at", "contact_ids", "opted_out_from"]]
    assert [{**r, "contact_ids": [c for c in r["contact_ids"].split(";") if c]} for r in rows] == records
    persons = {r["contact_ids"][0]: r for r in records if not r["email"]}
    assert set(persons) == {"1099", "3", "4", "6", "7"}
    assert persons["3"]["opted_out_from"] == "client03@example.com"
    assert persons["6"]["opted_out_from"] == "" and persons["6"]["reason"] == "complaint by phone"
    assert persons["7"]["reason"] == "asked by phone"  # its address's row says "bounced: 550"
    assert shown.stderr == ""  # the list is complete: no opt-out named only on stderr


def test_the_table_shows_the_person_level_opt_outs_as_rows(every_kind: Path) -> None:
    shown = greeter(every_kind, "suppress", "--list")

    assert shown.exit_code == 0, shown.output
    assert "4 address(es), 5 person-level opt-out(s)" in " ".join(shown.stdout.split())
    assert "6 (person, by id)" in shown.stdout
    assert "3 (person, from" in shown.stdout


def test_a_person_line_without_an_id_is_still_a_line_without_an_address(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """An empty email and no contact id is no opt-out at all: reported and skipped, as before."""
    config = make_project(CLIENTS)
    saved = tmp_path / "dnc.csv"
    saved.write_text(
        "email,reason,created_at,contact_ids,opted_out_from\n"
        ",called,2027-03-01T10:00:00+00:00,,\n"
        ",called,2027-03-01T10:00:00+00:00,3,client03@example.com\n",
        encoding="utf-8",
    )

    done = greeter(config, "suppress", "--from-csv", str(saved), "--now", NOW)

    assert done.exit_code == 1, done.output
    assert "row 2: email: no e-mail address; the line is skipped" in done.stderr
    assert done.stdout.startswith("suppressed 0 new address(es); 0 already on the list; 1 contact id(s)")
    listed, bound = opt_outs(config)
    assert listed == []
    assert bound == {
        "3": PersonOptOut(
            "3", "client03@example.com", "called", datetime.fromisoformat("2027-03-01T10:00:00+00:00")
        )
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--list", "--format", "jsn"), "'jsn' is not one of 'table', 'json', 'csv', 'xlsx'"),
        (("--lsit",), "Did you mean '--list'?"),
        (("--list", "--fromat", "csv"), "'--format'"),
    ],
)
def test_a_mistyped_list_option_names_the_choices_or_the_option_meant(
    make_project: MakeProject, args: tuple[str, ...], expected: str
) -> None:
    config = make_project(CLIENTS)
    done = greeter(config, "suppress", *args)

    assert done.exit_code == 2
    assert expected in done.stderr, done.stderr
