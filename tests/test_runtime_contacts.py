"""``Inputs(keep_contacts=True)``: the contacts stay in memory while the file is unchanged (``--contact`` NAME).

The kept contacts must be indistinguishable from a fresh read: the same
contacts, and the same :class:`~greeter.sources.LoadReport` (counts and
problems replayed) on every run; a changed file, changed contacts settings or
a file rewritten while it was being read mean a fresh read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import greeter.runtime
from greeter.config_contacts import ContactsSource
from greeter.contacts import Contact
from greeter.runtime import Inputs, _file_key, load_inputs
from greeter.sources import LoadReport
from tests.conftest import TODAY, MakeProject, contact_row, edit_keeping_size_and_mtime, xlsx_contacts

ROWS = [
    contact_row("1", "a@example.com", birthday="13.04.1980"),
    contact_row("2", "not an address", birthday="13.04.1980"),  # rejected: an error in the report
    contact_row("3", "", birthday="14.04.1981"),  # loaded, with a warning
]


def run(inputs: Inputs) -> tuple[list[Contact], LoadReport]:
    report = inputs.new_report()
    return list(inputs.contacts(report)), report


def summary(report: LoadReport) -> tuple[int, int, list[str]]:
    return report.rows_read, report.loaded, [str(p) for p in report.problems]


def csv_of(config: Path) -> Path:
    return config.parent / "data" / "contacts.csv"


def test_without_the_option_every_run_reads_the_file(make_project: MakeProject, reads: list[int]) -> None:
    inputs = load_inputs(make_project(ROWS), today=TODAY)
    run(inputs)
    run(inputs)
    assert reads[0] == 2


def test_kept_contacts_and_report_are_those_of_a_fresh_read(
    make_project: MakeProject, reads: list[int]
) -> None:
    config = make_project(ROWS)
    fresh_contacts, fresh_report = run(load_inputs(config, today=TODAY))
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    for _ in range(3):
        contacts, report = run(inputs)
        assert contacts == fresh_contacts
        assert summary(report) == summary(fresh_report)
    assert reads[0] == 2  # the fresh read above, and one for the three kept runs
    assert summary(fresh_report)[:2] == (3, 2) and len(fresh_report.problems) == 2
    assert [c.id for c in inputs.contacts(inputs.new_report(), only="3")] == ["3"]


def test_a_changed_file_is_read_again(make_project: MakeProject, reads: list[int]) -> None:
    config = make_project(ROWS)
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    run(inputs)
    with csv_of(config).open("a", encoding="utf-8") as fh:
        fh.write(contact_row("4", "d@example.com", birthday="01.05.1990") + "\n")
    contacts, report = run(inputs)
    assert [c.id for c in contacts] == ["1", "3", "4"] and report.rows_read == 4
    assert reads[0] == 2


def test_same_size_but_a_new_mtime_is_read_again(make_project: MakeProject, reads: list[int]) -> None:
    config = make_project(ROWS)
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    run(inputs)
    path = csv_of(config)
    text = path.read_text(encoding="utf-8-sig").replace("13.04.1980", "14.04.1980")
    path.write_text(text, encoding="utf-8-sig")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    contacts, _ = run(inputs)
    assert contacts[0].dates["birthday"].day == 14
    assert reads[0] == 2


def test_changed_contacts_settings_mean_a_fresh_read(make_project: MakeProject, reads: list[int]) -> None:
    inputs = load_inputs(make_project(ROWS), today=TODAY, keep_contacts=True)
    run(inputs)
    contacts_cfg = inputs.settings.contacts.model_copy(update={"date_formats": ["%Y-%m-%d"]})
    inputs.settings = inputs.settings.model_copy(update={"contacts": contacts_cfg})
    contacts, _ = run(inputs)
    assert reads[0] == 2
    assert all("birthday" not in c.dates for c in contacts)  # dd.mm.yyyy no longer parses


def test_a_file_rewritten_while_it_is_read_is_not_kept(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project(ROWS)
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    real = greeter.runtime.iter_contacts
    calls = [0]

    def rewritten_midway(*args: Any) -> Iterator[Contact]:
        calls[0] += 1
        for i, contact in enumerate(real(*args)):
            if i == 0 and calls[0] == 1:  # the CRM export lands while we read
                st = csv_of(config).stat()
                os.utime(csv_of(config), ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
            yield contact

    monkeypatch.setattr(greeter.runtime, "iter_contacts", rewritten_midway)
    run(inputs)
    run(inputs)
    run(inputs)
    assert calls[0] == 2  # the torn read was used once, then the file was read again and kept


def test_only_files_are_kept(tmp_path: Path) -> None:
    sql = ContactsSource.model_construct(source="sql", url="postgresql://x/y", query="SELECT 1", path=None)
    assert _file_key(sql) is None
    missing = ContactsSource.model_construct(source="csv", path=tmp_path / "missing.csv")
    assert _file_key(missing) is None


@pytest.mark.parametrize("keep", [False, True])
def test_a_rejected_row_asked_for_by_id_says_why_also_when_served_from_memory(
    make_project: MakeProject, keep: bool
) -> None:
    """``--contact`` of a rejected row names the row and its errors, told from the report's records.

    The kept contacts' report did not carry which rows were rejected, so the
    daemon's way of loading said "no contact has id" for a row that exists.
    """
    inputs = load_inputs(make_project(ROWS), today=TODAY, keep_contacts=keep)
    for _ in range(2):
        report = inputs.new_report()
        assert list(inputs.contacts(report, only="2")) == []
        assert report.missing == ["2"]
        assert report.problems[-1].message == (
            "contact '2' (row 3) was not loaded: Email: 'not an address' is not a valid e-mail address"
        )


def test_one_contact_is_looked_up_without_reading_the_rows_after_it(make_project: MakeProject) -> None:
    """``Inputs.contact`` (``greeter history --contact``) stops at the contact's row.

    A row after it that cannot be read (a field over the CSV module's limit)
    proves it: a look-up that read on would fail and know no contact.
    """
    config = make_project(ROWS)
    with csv_of(config).open("a", encoding="utf-8") as fh:
        fh.write("4;d@example.com;" + "x" * 200_000 + "\n")
    inputs = load_inputs(config, today=TODAY)
    found = inputs.contact("1")
    assert found is not None and found.email == "a@example.com"
    assert inputs.contact("3") is not None and inputs.contact("3").email is None  # type: ignore[union-attr]
    assert inputs.contact("2") is None  # rejected
    assert inputs.contact("9") is None  # the broken row is reached: unreadable is None, not an error


def test_an_edit_of_the_same_size_with_the_mtime_put_back_is_read_again(
    make_project: MakeProject, reads: list[int]
) -> None:
    """(size, mtime, inode) all as before — an edit within the file system's mtime granularity, or
    an mtime put back — and the content differs: the SHA-256 of the bytes tells, and it is read."""
    config = make_project(ROWS)
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    run(inputs)
    edit_keeping_size_and_mtime(csv_of(config), "13.04.1980", "14.04.1980")  # in place, same inode and size
    contacts, _ = run(inputs)
    assert contacts[0].dates["birthday"].day == 14
    assert reads[0] == 2
    run(inputs)
    assert reads[0] == 2  # the new content is kept in its turn


def test_kept_notes_are_those_of_a_fresh_read(make_project: MakeProject) -> None:
    """``check``'s notes (1C's empty date 01.01.0001 read as no date) come with the kept report too."""
    config = make_project([*ROWS, contact_row("4", "d@example.com", birthday="01.01.0001")])
    fresh = run(load_inputs(config, today=TODAY))[1].notes
    assert fresh  # the row gives a note
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    assert [run(inputs)[1].notes for _ in range(2)] == [fresh, fresh]


def test_a_csv_of_more_lines_than_kept_is_streamed_each_time(
    make_project: MakeProject, reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(greeter.runtime, "KEEP_AT_MOST", 3)  # the header and three rows: four lines
    config = make_project(ROWS)
    fresh_contacts, fresh_report = run(load_inputs(config, today=TODAY))
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    for _ in range(2):
        contacts, report = run(inputs)
        assert contacts == fresh_contacts and summary(report) == summary(fresh_report)
    assert reads[0] == 3 and inputs._snapshot is None


def test_a_workbook_of_more_contacts_than_kept_is_streamed_whole_and_not_kept(
    tmp_path: Path, make_project: MakeProject, reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xlsx has no lines to count first: the contacts read past the most kept are let go, and the
    rest of the file streams into the same report — the same contacts and report as a fresh read."""
    monkeypatch.setattr(greeter.runtime, "KEEP_AT_MOST", 1)
    book = xlsx_contacts(tmp_path / "contacts.xlsx", [row.split(";") for row in ROWS])
    config = make_project([], contacts={"source": "xlsx", "path": str(book)})
    fresh_contacts, fresh_report = run(load_inputs(config, today=TODAY))
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    for _ in range(2):
        contacts, report = run(inputs)
        assert contacts == fresh_contacts and summary(report) == summary(fresh_report)
    assert [c.id for c in fresh_contacts] == ["1", "3"]
    assert reads[0] == 3 and inputs._snapshot is None
    assert inputs._unkept is not None  # this version is streamed from now on, not gathered first
    calls: list[int] = []
    monkeypatch.setattr(greeter.runtime, "islice", lambda *args: calls.append(1) or [])
    assert run(inputs)[0] == fresh_contacts and calls == []
