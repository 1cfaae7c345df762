"""``greeter suppress`` and ``unsuppress``: the do-not-contact list through the real CLI and journal.

The lists are what CRMs export (UTF-8 with BOM and ``;``, Windows-1251, a bare
column of addresses); every address is checked as contacts' are, a bad line
is reported as ``file:row N: column: message`` and skipped, and what is stored
is what the planner matches: ``greeter preview`` shows those clients as
``suppressed``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.journal import Journal
from tests.conftest import MakeProject, contact_row

#: A Monday; every contact below has a birthday on it.
DAY = "2027-04-12"
NOW = f"{DAY}T09:00"
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="12.04.1980") for i in range(1, 13)] + [
    contact_row("13", "Ivan@Пример.РФ", birthday="12.04.1980")  # an internationalised domain
]
#: The file of the report: Russian CRMs export UTF-8 with a BOM and ``;``.
CRM_EXPORT = (
    "Email;Причина;Дата\n"
    "client05@example.com;просил не писать;01.12.2026\n"
    "Client06@Example.COM;отписался по телефону;02.12.2026\n"
    "client07@example.com;;03.12.2026\n"
)


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def listed(config: Path) -> dict[str, str]:
    """The list as ``greeter suppress --list --format json`` shows it: address → reason."""
    result = greeter(config, "suppress", "--list", "--format", "json")
    if result.exit_code == 2 and result.stderr.startswith("no journal at "):
        return {}  # nothing was ever stored: not even the journal was made
    assert result.exit_code == 0, result.output
    return {row["email"]: row["reason"] for row in json.loads(result.stdout)}


def preview_reasons(config: Path) -> dict[str, str | None]:
    """Each contact's birthday on DAY as ``greeter preview`` plans it: None (send) or the skip reason."""
    result = greeter(config, "preview", "--from", DAY, "--days", "1", "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.output
    return {d["email"]: d["reason"] for d in json.loads(result.stdout) if d["occasion"] == "birthday"}


def test_a_crm_export_with_bom_and_semicolons_suppresses_the_addresses_not_the_lines(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text(CRM_EXPORT, encoding="utf-8-sig")
    assert preview_reasons(config)["client05@example.com"] is None  # greeted before

    result = greeter(config, "suppress", "--from-csv", str(dnc))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "suppressed 3 new address(es); 0 already on the list\n"
    assert listed(config) == {
        "client05@example.com": "просил не писать",
        "client06@example.com": "отписался по телефону",
        "client07@example.com": "imported from dnc.csv",  # no reason on its line
    }
    reasons = preview_reasons(config)
    assert {e for e, r in reasons.items() if r == "suppressed"} == {
        "client05@example.com",
        "client06@example.com",  # Client06@Example.COM in the file: compared without case
        "client07@example.com",
    }
    assert reasons["client08@example.com"] is None

    again = greeter(config, "suppress", "--from-csv", str(dnc))
    assert again.exit_code == 0 and again.stdout == "suppressed 0 new address(es); 3 already on the list\n"


def test_a_windows_1251_export_with_a_russian_header(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "стоп-лист.csv"
    lines = ["Электронная почта;Причина", "client03@example.com;Жалоба на рассылку", "client04@example.com;"]
    dnc.write_bytes("\r\n".join([*lines, "IVAN@пример.рф;просил не писать", ""]).encode("cp1251"))
    result = greeter(config, "suppress", "--from-csv", str(dnc), "--reason", "стоп-лист отдела продаж")
    assert result.exit_code == 0, result.output
    assert listed(config) == {
        "client03@example.com": "Жалоба на рассылку",
        "client04@example.com": "стоп-лист отдела продаж",  # --reason for lines without their own
        "ivan@xn--e1afmkfd.xn--p1ai": "просил не писать",  # the domain in its ASCII form, as sent
    }
    reasons = preview_reasons(config)
    assert {e for e, r in reasons.items() if r == "suppressed"} == {
        "client03@example.com",
        "client04@example.com",
        "Ivan@xn--e1afmkfd.xn--p1ai",  # the contact's address as loaded (punycode domain): the same one
    }


def test_a_single_column_without_header_is_a_list_of_addresses(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "list.txt"
    dnc.write_text("client08@example.com\n\nCLIENT09@EXAMPLE.COM\nclient08@example.com\n", encoding="utf-8")
    result = greeter(config, "suppress", "--from-csv", str(dnc))
    assert result.exit_code == 0, result.output
    assert result.stdout == "suppressed 2 new address(es); 0 already on the list\n"
    assert set(listed(config)) == {"client08@example.com", "client09@example.com"}


def test_bad_lines_are_reported_with_their_row_and_skipped_the_rest_stored_exit_1(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text(
        CRM_EXPORT
        + "client10@example.com;просил не писать;04.11.2026\n"
        + "client12@example.com, client11@example.com;двое;05.11.2026\n"
        + ";без адреса;06.11.2026\n"
        + "client11@example.com;;07.11.2026\n",
        encoding="utf-8-sig",
    )
    result = greeter(config, "suppress", "--from-csv", str(dnc))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{dnc}:row 6: Email: warning: 'client12@example.com, client11@example.com' holds 2 addresses:"
        " 'client12@example.com', 'client11@example.com'; each is put on the do-not-contact list",
        f"{dnc}:row 7: Email: no e-mail address; the line is skipped",
    ]
    assert result.stdout == "suppressed 6 new address(es); 0 already on the list; 1 rejected (see above)\n"
    assert set(listed(config)) == {f"client{i:02d}@example.com" for i in (5, 6, 7, 10, 11, 12)}
    assert preview_reasons(config)["client12@example.com"] == "suppressed"
    assert listed(config)["client12@example.com"] == "двое"  # the row's own reason, for both


def test_no_whole_line_is_ever_stored_as_an_address(make_project: MakeProject) -> None:
    """The defect: the first column of a ``;`` file was the whole line, stored as an "address"."""
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text(CRM_EXPORT, encoding="utf-8-sig")
    assert greeter(config, "suppress", "--from-csv", str(dnc)).exit_code == 0
    with Journal.open(f"sqlite:///{config.parent}/data/journal.sqlite3", now=datetime.now(UTC)) as journal:
        stored = journal.suppressed()
    assert stored == {"client05@example.com", "client06@example.com", "client07@example.com"}
    assert not any(";" in address for address in stored)


def test_invalid_arguments_are_reported_and_not_stored_exit_1(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    result = greeter(config, "suppress", "nonsense", "client12@example.com;")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "argument 1: 'nonsense' is not a valid e-mail address; not suppressed"
        " (a contact? greeter suppress --contact nonsense)",
        "argument 2: 'client12@example.com;' is not a valid e-mail address; not suppressed",
    ]
    assert result.stdout == "suppressed 0 new address(es); 0 already on the list; 2 rejected (see above)\n"
    assert listed(config) == {}

    mixed = greeter(config, "suppress", "Client01@Example.com", "client02@", "--reason", "звонил")
    assert mixed.exit_code == 1
    assert mixed.stderr == (
        "argument 2: 'client02@' is not a valid e-mail address: nothing after the @ (the domain, like mail.ru,"
        " is missing); not suppressed\n"
    )
    assert listed(config) == {"client01@example.com": "звонил"}


def test_addresses_on_the_command_line_and_unsuppress_keep_working(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    result = greeter(config, "suppress", "client01@example.com", "CLIENT02@example.com")
    assert result.exit_code == 0 and result.stderr == ""
    assert listed(config) == {"client01@example.com": "manual", "client02@example.com": "manual"}
    assert preview_reasons(config)["client02@example.com"] == "suppressed"
    removed = greeter(config, "unsuppress", "Client02@Example.COM")
    assert removed.exit_code == 0 and removed.stdout == "removed 1 address(es) from the do-not-contact list\n"
    assert set(listed(config)) == {"client01@example.com"}
    assert preview_reasons(config)["client02@example.com"] is None


def test_list_as_table_json_and_csv(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    none_yet = greeter(config, "suppress", "--list", "--format", "json")  # no journal: not an empty list
    assert none_yet.exit_code == 2 and "no journal at " in none_yet.stderr
    assert json.loads(none_yet.stdout) == {"config_error": none_yet.stderr.rstrip("\n")}  # not a list
    dnc = config.parent / "dnc.csv"
    dnc.write_text(CRM_EXPORT, encoding="utf-8-sig")
    assert greeter(config, "suppress", "--from-csv", str(dnc)).exit_code == 0

    table = greeter(config, "suppress", "--list")
    assert table.exit_code == 0, table.output
    assert "do-not-contact list in journal " in table.stdout and ": 3 address(es)" in table.stdout
    lines = [line for line in table.stdout.splitlines() if "client05@example.com" in line]
    assert len(lines) == 1 and "просил не писать" in lines[0]
    # the opt-out's date in the file (its Дата column), not today: its start in Moscow, in UTC
    assert "2026-11-30 21:00" in lines[0]

    rows = json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout)
    assert [sorted(r) for r in rows] == [
        ["contact_ids", "created_at", "email", "opted_out_from", "reason"]
    ] * 3
    assert [r["contact_ids"] for r in rows] == [[]] * 3  # a file's lines list the address only
    assert datetime.fromisoformat(rows[0]["created_at"]).tzinfo is not None

    csv_out = greeter(config, "suppress", "--list", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "email,reason,created_at,contact_ids,opted_out_from"  # added columns last
    assert sorted(line.split(",")[0] for line in csv_out[1:]) == [
        "client05@example.com",
        "client06@example.com",
        "client07@example.com",
    ]


def test_list_and_format_are_checked_as_usage(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "--list", "a@example.com").exit_code == 2
    assert greeter(config, "suppress", "--format", "json", "a@example.com").exit_code == 2
    assert greeter(config, "suppress").exit_code == 2


def test_a_file_that_cannot_be_read_is_one_line_and_exit_2(make_project: MakeProject) -> None:
    config = make_project(CLIENTS)
    folder = config.parent
    (folder / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "no-email.csv").write_text("Имя;Телефон\nИван;+7 900 000-00-00\n", encoding="utf-8")
    (folder / "empty.csv").write_bytes(b"")
    (folder / "book.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    expected = {
        "missing.csv": "missing.csv: file not found",
        "binary.csv": "binary.csv: not a text file (it holds NUL bytes); open it in Excel/LibreOffice and save"
        " it as CSV",
        "no-email.csv": "no-email.csv: no e-mail column: the header row has 'Имя', 'Телефон'; name the column"
        " Email or Почта (or give one address per line)",
        "empty.csv": "empty.csv: the file is empty (no addresses)",
        "book.csv": "book.csv: an XLSX workbook, not a CSV file; open it in Excel/LibreOffice and save it as CSV",
        "data": "data: cannot open (Is a directory)",
    }
    for name, message in expected.items():
        result = greeter(config, "suppress", "client01@example.com", "--from-csv", str(folder / name))
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr == f"{folder}/{message}\n", name
        assert "Traceback" not in result.output
    assert listed(config) == {}  # nothing stored, not even the good argument


def test_a_report_title_above_the_header_is_skipped_with_a_warning_as_for_contacts(
    make_project: MakeProject,
) -> None:
    """A CRM's stop-list report: a title, then the header with the e-mail column, then the addresses."""
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_bytes(
        "Стоп-лист на 01.12.2026\r\nФИО;Email;Причина\r\nТест;client05@example.com;по телефону\r\n"
        ";client06@example.com;\r\n".encode()
    )
    result = greeter(config, "suppress", "--from-csv", str(dnc))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{dnc}: warning: row 1 above the header is skipped (the header is row 2, the first with an"
        " e-mail column): 'Стоп-лист на 01.12.2026'\n"
    )
    assert result.stdout == "suppressed 2 new address(es); 0 already on the list\n"
    assert listed(config) == {
        "client05@example.com": "по телефону",
        "client06@example.com": "imported from dnc.csv",
    }


def test_a_title_then_a_header_without_an_e_mail_column_is_exit_2_and_stores_nothing(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text("Стоп-лист на 01.12.2026\nФИО;Телефон\nТест;+7 900 000-00-00\n", encoding="utf-8")
    result = greeter(config, "suppress", "client01@example.com", "--from-csv", str(dnc))
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"{dnc}: no e-mail column: the header row (row 2) has 'ФИО', 'Телефон'; name the column Email or"
        " Почта (or give one address per line)\n"
    )
    assert listed(config) == {}


def test_a_plain_list_whose_first_line_is_not_an_address_still_reports_that_line(
    make_project: MakeProject,
) -> None:
    """No header with an e-mail column anywhere: a one-column file is a list, its first line a bad address."""
    config = make_project(CLIENTS)
    dnc = config.parent / "list.txt"
    dnc.write_text("client08.example.com\nclient09@example.com\n", encoding="utf-8")
    result = greeter(config, "suppress", "--from-csv", str(dnc))
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"{dnc}:row 1: column 1: 'client08.example.com' is not a valid e-mail address; the line is skipped\n"
    )
    assert set(listed(config)) == {"client09@example.com"}


def test_unsuppress_says_which_addresses_it_did_not_remove_and_exits_1(make_project: MakeProject) -> None:
    """A typo (``exampel.com``) or junk printed ``removed 0 address(es)``, exit 0: read as done."""
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client01@example.com", "client02@example.com").exit_code == 0
    result = greeter(config, "unsuppress", "client01@exampel.com", "junk", "CLIENT02@example.com")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "argument 1: 'client01@exampel.com' is not on the do-not-contact list;"
        " did you mean 'client01@example.com'?",
        "argument 2: 'junk' is not a valid e-mail address; nothing removed",
    ]
    assert result.stdout == "removed 1 address(es) from the do-not-contact list; 2 not removed (see above)\n"
    assert set(listed(config)) == {"client01@example.com"}  # the good one is removed all the same
    again = greeter(config, "unsuppress", "client02@example.com")
    assert again.exit_code == 1 and "not on the do-not-contact list" in again.stderr


def test_unsuppress_never_offers_another_persons_address(make_project: MakeProject) -> None:
    """``unsuppress client17@…`` answered "did you mean 'client27@…'?": another client's opt-out."""
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client07@example.com", "client08@example.com").exit_code == 0
    result = greeter(config, "unsuppress", "client17@example.com", "client08@exampel.com")
    assert result.stderr.splitlines() == [
        "argument 1: 'client17@example.com' is not on the do-not-contact list",
        "argument 2: 'client08@exampel.com' is not on the do-not-contact list; did you mean 'client08@example.com'?",
    ]
    assert set(listed(config)) == {"client07@example.com", "client08@example.com"}


def test_a_named_address_is_suppressed_with_a_warning_as_a_contacts_cell_is_read(
    make_project: MakeProject,
) -> None:
    """``Антон <a@x.ru>`` is what a mail client copies: the contacts loader takes it, so the list does too."""
    config = make_project(CLIENTS)

    result = greeter(
        config, "suppress", "Антон <client02@example.com>", "client03@example.com, client04@example.com"
    )

    assert result.exit_code == 0, result.output  # warnings only: every address named is on the list
    assert result.stderr.splitlines() == [
        "argument 1: warning: 'Антон <client02@example.com>' is not a bare address (a name with the address);"
        " taken as 'client02@example.com': write only the address",
        "argument 2: warning: 'client03@example.com, client04@example.com' holds 2 addresses:"
        " 'client03@example.com', 'client04@example.com'; each is put on the do-not-contact list",
    ]
    assert listed(config) == {f"client{i:02d}@example.com": "manual" for i in (2, 3, 4)}
    assert preview_reasons(config)["client02@example.com"] == "suppressed"


def test_unsuppress_reads_an_argument_as_suppress_does(make_project: MakeProject) -> None:
    """``suppress 'Антон <a@x.ru>'`` was taken, but ``unsuppress`` of the same words was refused:
    the address copied from a mail client could be put on the list and not taken off it."""
    config = make_project(CLIENTS)
    assert greeter(config, "suppress", "client02@example.com", "client03@example.com").exit_code == 0

    result = greeter(
        config, "unsuppress", "Антон <Client02@example.com>", "client03@example.com, x@example.com"
    )

    assert result.exit_code == 1, result.output  # x@example.com was never on the list
    assert result.stderr.splitlines() == [
        "argument 1: warning: 'Антон <Client02@example.com>' is not a bare address (a name with the address);"
        " taken as 'Client02@example.com': write only the address",
        "argument 2: warning: 'client03@example.com, x@example.com' holds 2 addresses:"
        " 'client03@example.com', 'x@example.com'; each is taken off the list",
        "argument 2: 'x@example.com' is not on the do-not-contact list",
    ]
    assert result.stdout == "removed 2 address(es) from the do-not-contact list; 1 not removed (see above)\n"
    assert listed(config) == {}


def test_a_named_address_in_a_list_file_is_taken_with_a_warning_two_in_a_cell_both(
    make_project: MakeProject,
) -> None:
    config = make_project(CLIENTS)
    dnc = config.parent / "dnc.csv"
    dnc.write_text(
        'Email;Причина\n"Антон Петров" <client05@example.com>;просил\n'
        '"client06@example.com, client07@example.com";оба\n<client08@example.com>;\n',
        encoding="utf-8-sig",
    )

    result = greeter(config, "suppress", "--from-csv", str(dnc))

    assert result.exit_code == 0, result.output
    assert result.stdout == "suppressed 4 new address(es); 0 already on the list\n"
    lines = result.stderr.splitlines()
    assert (
        lines[0].startswith(f"{dnc}:row 2: Email: warning: ")
        and "taken as 'client05@example.com'" in lines[0]
    )
    assert lines[1].startswith(
        f"{dnc}:row 3: Email: warning: 'client06@example.com, client07@example.com' holds 2 addresses"
    )
    assert lines[1].endswith("; each is put on the do-not-contact list")
    assert lines[2].startswith(f"{dnc}:row 4: Email: warning: '<client08@example.com>' is not a bare address")
    assert listed(config) == {
        "client05@example.com": "просил",
        "client06@example.com": "оба",
        "client07@example.com": "оба",
        "client08@example.com": "imported from dnc.csv",
    }
