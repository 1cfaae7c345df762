"""One way to do each thing: what several modules share is written once, in a module named for it.

A refactoring pinned here (the behaviour is pinned by the tests of each
module): the contacts file is opened by one helper for both file sources, the
writes of ``forget`` are one SQL for both journals, the SMTP reply classifier
lives in :mod:`greeter.reply_classes`, and the errors callers catch across
modules live in :mod:`greeter.errors`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import greeter.errors
import greeter.transport
from greeter.erasure_records import Erasure
from greeter.errors import ContactsError, GreeterError, NoSuchSheet, TemplateLoadError, UnsafeHeaderError
from greeter.journal_sql import JournalSql
from greeter.message import validate_header_value
from greeter.reply_classes import classify_reply
from greeter.sources import csv_source, xlsx_source
from greeter.sources.sniff import open_contacts_file
from tests import databases

MOMENT = datetime(2027, 4, 12, 7, 0, tzinfo=UTC)
KEY = ("1", "birthday", date(2027, 4, 12))


def test_forget_writes_the_same_sql_on_both_journals(tmp_path: Path) -> None:
    """The statements differ only in how a parameter is written (``:name`` against ``%(name)s``)."""
    found = Erasure("a@example.com", (KEY,), ("sent",), 1, None, contact_ids=("1", "7"))
    said = {}
    for backend in ("sqlite", "postgresql"):
        with databases.journal_on(backend, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
            assert isinstance(journal, JournalSql)
            writes = journal._forget_writes(found, MOMENT)
        said[backend] = [
            (re.sub(r":(\w+)", r"%(\1)s", statement), [sorted(p) for p in params])
            for statement, params in writes
        ]
    assert said["sqlite"] == said["postgresql"]
    statements = [statement for statement, _ in said["sqlite"]]
    # The list and the person's binding, the earlier opt-out events' reasons replaced and the erasure's
    # own events recorded (greeter.journal_optout_events), the greetings and the approvals deleted.
    assert [s.split(" ")[0] for s in statements] == [
        "INSERT", "INSERT", "UPDATE", "INSERT", "INSERT", "DELETE", "DELETE"
    ]  # fmt: skip
    assert statements[-1] == "DELETE FROM approvals WHERE contact_id IN (%(c0)s, %(c1)s)"


def test_forget_of_no_contact_deletes_no_approval(tmp_path: Path) -> None:
    """``IN ()`` is no SQL to PostgreSQL: with no contact id the approvals are not asked about."""
    found = Erasure("a@example.com", (), (), 0, None)
    with databases.journal_on("sqlite", tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        assert isinstance(journal, JournalSql)
        writes = journal._forget_writes(found, MOMENT)
        tables = [re.search(r"(?:INTO|UPDATE|FROM) (\w+)", statement)[1] for statement, _ in writes]  # type: ignore[index]
    events = ["optout_events"] * 3  # the earlier events' reasons, the erasure's own two
    assert tables == ["suppression", "suppressed_contacts", *events, "greetings"]


def test_both_file_sources_refuse_a_missing_file_and_a_folder_alike(tmp_path: Path) -> None:
    missing = tmp_path / "contacts.xlsx"
    said = []
    for read in (csv_source.read_rows, xlsx_source.read_rows):
        for path in (missing, tmp_path):
            with pytest.raises(ContactsError) as caught:
                next(iter(read(path)))
            said.append(str(caught.value))
    assert said == [f"{missing}: contacts file not found", f"{tmp_path} is a folder, not a file"] * 2


def test_a_list_is_opened_whatever_it_is_and_named_as_a_file(tmp_path: Path) -> None:
    """``--from-csv <(…)`` may be a pipe: a list is not refused unopened, as the contacts file is."""
    with pytest.raises(ContactsError, match=r"cannot open \(Is a directory\)$"):
        open_contacts_file(tmp_path, "file", only_files=False)
    with pytest.raises(ContactsError, match=r"list\.csv: file not found$"):
        open_contacts_file(tmp_path / "list.csv", "file", only_files=False)


def test_the_reply_classifier_has_one_home() -> None:
    assert not hasattr(greeter.transport, "classify_reply")
    assert not hasattr(greeter.transport, "setup_refusal")
    assert classify_reply(KEY, 550, "5.1.1 no such user").unknown_user


@pytest.mark.parametrize(
    "name",
    [
        "SettingError",
        "JournalStateError",
        "UnsafeHeaderError",
        "ContactNotLoadedError",
        "UnknownContactError",
        "HeaderNotFound",
        "QueryError",
        "NoSuchSheet",
        "TemplateLoadError",
        "ClaimedNowError",
        "Abandoned",
    ],
)
def test_the_errors_callers_catch_across_modules_are_defined_in_errors(name: str) -> None:
    assert getattr(greeter.errors, name).__module__ == "greeter.errors"


def test_the_moved_errors_are_what_the_code_raises(tmp_path: Path) -> None:
    with pytest.raises(UnsafeHeaderError, match="U\\+000A"):
        validate_header_value("To", "a\nb")
    book = Workbook()
    book.worksheets[0].title = "Контакты"
    book.save(tmp_path / "crm.xlsx")
    with pytest.raises(NoSuchSheet, match="did you mean 'Контакты'") as caught:
        next(iter(xlsx_source.read_rows(tmp_path / "crm.xlsx", sheet="контакты")))
    assert caught.value.exit_code == 2
    # A template that cannot be used is a one-line error (exit 1), with or without a contact.
    gone = TemplateLoadError("x.j2", None, "gone")
    assert isinstance(gone, GreeterError) and gone.exit_code == 1
    assert str(gone.for_contact("42")) == "x.j2: gone (contact 42)"
    assert gone.problem().message == "gone"
