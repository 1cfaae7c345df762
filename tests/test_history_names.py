"""``greeter history`` for a sales manager: the client's name and company, the occasion's title, the
client's own clock, and a CSV file Excel opens — the journal itself keeps no names.

Each test runs the real CLI against a real SQLite journal the real ``send`` filled.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import HEADER, MakeProject, contact_row
from tests.test_send_e2e import greeter, history

#: Client 1 in Vladivostok (UTC+10, no abbreviation: "+10"), client 2 in Kaliningrad (EET, UTC+2).
VLADIVOSTOK = contact_row("1", "one@example.com", birthday="13.04.1980", tz="Asia/Vladivostok")
KALININGRAD = contact_row(
    "2", "two@example.com", last="Петрова", first="Анна", patronymic="Сергеевна", birthday="13.04.1980",
    tz="Europe/Kaliningrad",
)  # fmt: skip
#: Each client's send window is open at one of these (12:00 in Vladivostok, 10:00 in Kaliningrad).
SENDS = ("2027-04-14T05:00:00+03:00", "2027-04-14T11:00:00+03:00")
#: The fields history always had, in their order: scripts read them by name or by position.
OLD_COLUMNS = [
    "contact_id", "occasion", "occasion_date", "state", "email", "attempts", "planned_at", "sent_at",
    "last_reply", "reason", "reason_code", "merged", "message_id", "updated_at", "current_contact_id",
]  # fmt: skip


@pytest.fixture
def sent(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose journal holds two sent birthday greetings, one to each zone."""
    monkeypatch.delenv("COLUMNS", raising=False)  # piped: one row per line (greeter.console.table_console)
    config = make_project([VLADIVOSTOK, KALININGRAD])
    for now in SENDS:
        run = greeter(config, "send", "--once", "--now", now)
        assert run.returncode == 0 and "sent: 1" in run.stdout, run.stdout + run.stderr
    return config


def rows_of(table: str) -> dict[str, list[str]]:
    """The table's rows by contact id (the first word of the contact cell), as lists of cells."""
    found = {}
    for line in table.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│ ").split("│")]
            found[cells[0].split()[0]] = cells
    return found


def contacts_file(config: Path) -> Path:
    return config.parent / "data" / "contacts.csv"


def test_the_table_names_the_client_the_company_the_occasions_title_and_the_clients_time(sent: Path) -> None:
    table = greeter(sent, "history")
    assert table.returncode == 0 and table.stderr == "", table.stderr
    rows = rows_of(table.stdout)
    assert rows["1"][:4] == ["1 Иван Петрович Иванов", "ООО «Тест»", "one@example.com", "День рождения"]
    assert rows["2"][:2] == ["2 Анна Сергеевна Петрова", "ООО «Тест»"]
    # sent at 02:00 and 08:00 UTC: noon in Vladivostok, ten in Kaliningrad, each with its zone
    assert rows["1"][7] == "2027-04-14 12:00 +10" and rows["2"][7] == "2027-04-14 10:00 EET"
    assert "when (client's time)" in table.stdout and "when (UTC)" not in table.stdout


def test_json_adds_the_names_title_and_local_time_and_keeps_every_field_it_had(sent: Path) -> None:
    one, two = history(sent)
    assert list(one)[: len(OLD_COLUMNS)] == OLD_COLUMNS
    assert (one["contact_id"], one["occasion"], one["sent_at"][-6:]) == ("1", "birthday", "+00:00")
    assert (one["name"], one["company"], one["occasion_title"]) == (
        "Иван Петрович Иванов",
        "ООО «Тест»",
        "День рождения",
    )
    assert (one["timezone"], one["when_local"][:16], one["when_local"][-6:]) == (
        "Asia/Vladivostok", "2027-04-14T12:00", "+10:00",
    )  # fmt: skip
    assert (two["name"], two["timezone"], two["when_local"][:16], two["when_local"][-6:]) == (
        "Анна Сергеевна Петрова", "Europe/Kaliningrad", "2027-04-14T10:00", "+02:00",
    )  # fmt: skip
    stdout_csv = greeter(sent, "history", "--format", "csv").stdout
    header, *lines = list(csv.reader(io.StringIO(stdout_csv)))  # stdout stays comma-separated, no BOM
    assert header[: len(OLD_COLUMNS)] == OLD_COLUMNS and not stdout_csv.startswith("\ufeff")
    assert dict(zip(header, lines[0], strict=True))["name"] == "Иван Петрович Иванов"


def test_a_contact_no_longer_in_the_source_has_no_name_and_is_no_error(sent: Path) -> None:
    contacts_file(sent).write_text(f"{HEADER}\n{KALININGRAD}\n", encoding="utf-8-sig")
    table = greeter(sent, "history")
    assert table.returncode == 0 and table.stderr == "", table.stderr
    rows = rows_of(table.stdout)
    assert rows["1"][:2] == ["1", ""] and rows["2"][0] == "2 Анна Сергеевна Петрова"
    assert rows["1"][7] == "2027-04-14 05:00 MSK"  # its zone unknown now: the config's default
    one, two = history(sent)
    assert (one["name"], one["company"], one["timezone"]) == (None, None, "Europe/Moscow")
    assert two["name"] == "Анна Сергеевна Петрова"


def test_a_source_that_cannot_be_read_costs_the_names_only_said_once_on_stderr(sent: Path) -> None:
    contacts_file(sent).unlink()  # a copy of the journal on a machine without the CRM export
    for fmt in ("table", "json"):
        shown = greeter(sent, "history", "--format", fmt)
        assert shown.returncode == 0, shown.stderr
        (note,) = shown.stderr.splitlines()
        assert note.startswith("names and companies are not shown: the contacts source cannot be read")
        assert "contacts.csv" in note
    assert [(r["contact_id"], r["state"], r["name"]) for r in json.loads(shown.stdout)] == [
        ("1", "sent", None),
        ("2", "sent", None),
    ]
    nothing = greeter(sent, "history", "--contact", "9999")  # no row shown: the source is not read
    assert "names and companies" not in nothing.stderr and nothing.returncode == 0


def test_the_source_is_read_only_as_far_as_the_shown_rows_contacts(sent: Path) -> None:
    """A row after the shown contacts' rows that cannot be read is never reached."""
    unreadable = "9;x@example.com;" + "x" * 200_000  # longer than the csv module's field limit
    contacts_file(sent).write_text(f"{HEADER}\n{VLADIVOSTOK}\n{unreadable}\n", encoding="utf-8-sig")
    one = greeter(sent, "history", "--contact", "1")
    assert one.returncode == 0 and one.stderr == "", one.stderr
    assert rows_of(one.stdout)["1"][0] == "1 Иван Петрович Иванов"
    every = greeter(sent, "history")  # contact 2 is not before that row: the source is read to it
    assert every.returncode == 0 and "names and companies are not shown" in every.stderr


def test_a_renumbered_client_is_named_by_its_current_contact(sent: Path) -> None:
    renumbered = contact_row("5001", "One@Example.com", last="Сидоров", birthday="13.04.1980")
    contacts_file(sent).write_text(f"{HEADER}\n{renumbered}\n{KALININGRAD}\n", encoding="utf-8-sig")
    table = greeter(sent, "history", "--contact", "5001")
    assert "5001 (as contact 1) Иван Петрович Сидоров" in table.stdout, table.stdout + table.stderr
    (row,) = history(sent, "--contact", "5001")
    assert (row["current_contact_id"], row["name"], row["timezone"]) == (
        "5001",
        "Иван Петрович Сидоров",
        "Europe/Moscow",
    )


def test_out_writes_a_csv_file_excel_opens_and_never_over_greeters_own_files(sent: Path) -> None:
    out = sent.parent / "clients.csv"
    out.write_text("an older export", encoding="utf-8")  # replaced, as a report run again expects
    wrote = greeter(sent, "history", "-o", str(out))
    assert wrote.returncode == 0 and wrote.stdout == "", wrote.stderr
    assert f"wrote {out} (2 greeting(s), csv)" in wrote.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the BOM Excel needs, its line ends
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    # Excel's file: the same columns in the same places, the journal's timestamps named for their zone.
    utc = ("planned_at", "sent_at", "updated_at")
    assert list(rows[0])[: len(OLD_COLUMNS)] == [f"{c}_utc" if c in utc else c for c in OLD_COLUMNS]
    assert [(r["contact_id"], r["name"], r["company"], r["occasion_title"]) for r in rows] == [
        ("1", "Иван Петрович Иванов", "ООО «Тест»", "День рождения"),
        ("2", "Анна Сергеевна Петрова", "ООО «Тест»", "День рождения"),
    ]
    as_json = sent.parent / "clients.json"
    assert greeter(sent, "history", "-o", str(as_json)).returncode == 0  # the format from the suffix
    assert next(r["name"] for r in json.loads(as_json.read_text(encoding="utf-8"))) == "Иван Петрович Иванов"
    before = contacts_file(sent).read_bytes()
    refused = greeter(sent, "history", "-o", str(contacts_file(sent)))
    assert refused.returncode == 2 and "is the contacts source: choose another file" in refused.stderr
    assert contacts_file(sent).read_bytes() == before
    assert "UTF-8 with a BOM" in greeter(sent, "history", "--help").stdout
