"""A contacts file read while the CRM's export job rewrites it: a cut last row, a file changed mid-read.

Found by an operator testing filesystem faults: ``data/contacts.csv`` cut in
the middle of a row (``5100;c100@example.co``, no line break after it) loaded
that row with a "truncated line?" warning, and ``send --once`` sent its New
Year letter to ``c100@example.co`` — a real, different domain. Once the whole
file was back, the journal counted that greeting as done, and
``c100@example.com`` never got it. Real files, a real SQLite journal and the
file transport; the CLI in-process (CliRunner).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.contacts import Contact
from greeter.errors import EXIT_TEMPFAIL, ContactsUnavailableError
from greeter.journal import open_journal
from greeter.plan_types import PlanItem
from greeter.planner import PlanWindow
from greeter.runtime import Inputs, load_inputs
from greeter.send import send_once
from greeter.sources import LoadReport, changed_while_read, file_version, iter_contacts, load_contacts
from tests.conftest import HEADER, TODAY, MakeProject, contact_row

#: 29 December, late in the send window (it closes at 17:30): every New Year letter is due at once.
NEW_YEAR = "2026-12-29T17:25:00+03:00"
LATER = "2026-12-29T17:28:00+03:00"
ROWS = [contact_row("5001", "c1@example.com"), contact_row("5002", "c2@example.com")]
#: The last row whole, and cut where the export job had got to: 2 of the header's 15 fields.
WHOLE = contact_row("5100", "c100@example.com")
CUT = "5100;c100@example.co"
REJECTED = (
    "row 4: Фамилия: the file ends in the middle of this row (2 of 15 fields, the last one"
    " 'c100@example.co', no line break after it): it was probably still being written; the row is not"
    " loaded (greeter reads it again next run; if the file is complete, end it with a line break)"
)
WARNED = (
    "row 4: Фамилия: warning: only 2 of 15 fields (a truncated line?); the line ends with"
    " 'c100@example.co'; the missing columns are taken as empty"
)


def write(config: Path, rows: Iterable[str], *, newline: str = "\n", end: str = "") -> Path:
    """The project's contacts file: the header and ``rows``, each ended by ``newline`` but the last (``end``)."""
    path = config.parent / "data" / "contacts.csv"
    path.write_bytes((newline.join([HEADER, *rows]) + end).encode("utf-8"))
    return path


def load(config: Path) -> tuple[list[Contact], LoadReport]:
    """The project's contacts as every command loads them."""
    settings = load_inputs(config, today=TODAY).settings
    return load_contacts(settings.contacts, settings.defaults)


# --- 1: the file's last row, cut short with no line break after it, is not loaded ----------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_file_ending_in_the_middle_of_its_last_row_does_not_load_that_row(
    make_project: MakeProject, newline: str
) -> None:
    config = make_project(ROWS)
    write(config, [*ROWS, CUT], newline=newline)
    contacts, report = load(config)
    assert [c.id for c in contacts] == ["5001", "5002"]
    assert [str(p) for p in report.problems] == [f"{report.source}:{REJECTED}"]
    assert report.problems[0].severity == "error"
    assert (report.rows_read, report.loaded, report.rejected) == (3, 2, 1)
    ((row, cid),) = [(r.row, r.contact_id) for r in report.rejections]
    assert (row, cid) == (4, "5100")


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_short_row_a_line_break_ends_keeps_its_warning_and_loads(
    make_project: MakeProject, newline: str
) -> None:
    """A CRM or Excel dropping a row's trailing empty cells is common: the line ended, nothing was cut."""
    config = make_project(ROWS)
    write(config, [*ROWS, CUT], newline=newline, end=newline)
    contacts, report = load(config)
    assert [(c.id, c.email) for c in contacts][-1] == ("5100", "c100@example.co")
    assert f"{report.source}:{WARNED}" in [str(p) for p in report.problems]
    assert report.rejected == 0
    write(config, [ROWS[0], CUT, ROWS[1]], newline=newline)  # in the middle, the last row ending the file
    contacts, report = load(config)
    assert [c.id for c in contacts] == ["5001", "5100", "5002"]
    assert f"{report.source}:{WARNED.replace('row 4', 'row 3')}" in [str(p) for p in report.problems]
    assert report.rejected == 0


def test_a_whole_last_row_without_a_line_break_loads(make_project: MakeProject) -> None:
    """Many exporters write no line break after the last row: every field is there, so it loads."""
    config = make_project(ROWS)
    write(config, [*ROWS, WHOLE])
    contacts, report = load(config)
    assert [(c.id, c.email) for c in contacts][-1] == ("5100", "c100@example.com")
    assert report.problems == [] and report.rejected == 0


# --- 2: send --once with the cut file, then with the whole one ------------------------------------


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def outbox(config: Path) -> Counter[str]:
    """How many letters the file transport wrote to each address."""
    files = (config.parent / "data" / "outbox").glob("*.eml")
    letters = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]
    return Counter(parseaddr(str(m["To"]))[1] for m in letters)


def test_send_sends_nothing_to_a_cut_address_and_the_real_one_later_gets_its_letter_once(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS)
    write(config, [*ROWS, CUT])
    cut = greeter(config, "send", "--once", "--now", NEW_YEAR)
    assert cut.exit_code == 1, cut.output  # a row was not loaded: a person may need to look
    assert REJECTED in cut.stderr, cut.stderr
    assert outbox(config) == Counter({"c1@example.com": 1, "c2@example.com": 1})
    write(config, [*ROWS, WHOLE], end="\n")  # the export job has finished
    whole = greeter(config, "send", "--once", "--now", LATER)
    assert whole.exit_code == 0, whole.output
    assert outbox(config) == Counter({"c1@example.com": 1, "c2@example.com": 1, "c100@example.com": 1})


# --- 3: a file that changed while it was being read -----------------------------------------------


def test_what_changed_in_a_file_between_two_looks_is_said(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    path = write(config, ROWS, end="\n")
    cfg = load_inputs(config, today=TODAY).settings.contacts
    before = file_version(cfg)
    assert before is not None and changed_while_read(before, file_version(cfg)) is None
    write(config, [*ROWS, WHOLE], end="\n")
    size = f"{path.stat().st_size:,}"
    grown = f"its size went from {before[0]:,} to {size} bytes"
    assert changed_while_read(before, file_version(cfg)) == (
        f"the file changed while it was being read (being rewritten?): {grown}"
    )
    before = file_version(cfg)
    assert before is not None
    os.utime(path, ns=(before[1] + 1_000_000_000, before[1] + 1_000_000_000))  # rewritten, same size
    assert changed_while_read(before, file_version(cfg)) == (
        "the file changed while it was being read (being rewritten?): it was modified"
    )
    before = file_version(cfg)
    fresh = path.with_name("contacts.csv.new")
    fresh.write_bytes(path.read_bytes())
    fresh.replace(path)  # an export job writing a new file and renaming it over the old one
    said = changed_while_read(before, file_version(cfg))
    assert said is not None and said.endswith(": another file took its place"), said
    before = file_version(cfg)
    path.unlink()
    said = changed_while_read(before, file_version(cfg))
    assert said is not None and said.endswith(": it is gone now"), said


def test_contacts_read_from_a_file_rewritten_meanwhile_come_with_a_warning(make_project: MakeProject) -> None:
    """preview and check load the contacts as they are, and say so."""
    config = make_project(ROWS)
    write(config, ROWS, end="\n")
    settings = load_inputs(config, today=TODAY).settings
    report = LoadReport(source=str(settings.contacts.path))
    stream = iter_contacts(settings.contacts, settings.defaults, report)
    assert next(stream).id == "5001"
    write(config, [*ROWS, WHOLE], end="\n")  # the export job starts over while greeter reads on
    list(stream)  # the rows after the first: of the old version, or of the new one
    assert report.changed is not None and "being rewritten?): its size went from" in report.changed
    advice = "what was read may be half a file: run again once it is written in full"
    assert [str(p) for p in report.problems] == [f"{report.source}: warning: {report.changed}; {advice}"]


class _RewrittenWhilePlanned(Inputs):
    """The project's inputs, whose contacts file the export job rewrites once the first contact is planned."""

    def plan(self, contacts: Iterable[Contact], pw: PlanWindow) -> Iterator[PlanItem]:
        return super().plan(self._rewriting(contacts), pw)

    def _rewriting(self, contacts: Iterable[Contact]) -> Iterator[Contact]:
        for number, contact in enumerate(contacts):
            yield contact
            if number == 0:
                write(self.config_file, [*ROWS, WHOLE], end="\n")


def test_send_plans_and_sends_nothing_from_a_file_rewritten_while_it_was_read(
    make_project: MakeProject,
) -> None:
    """As for a contacts database that does not answer: exit 75, and the next run reads the file whole."""
    config = make_project(ROWS)
    write(config, ROWS, end="\n")
    now = datetime.fromisoformat(NEW_YEAR)
    settings = load_inputs(config, today=now.date()).settings
    inputs = _RewrittenWhilePlanned(settings=settings, config_file=config)
    with open_journal(settings.storage.url, now=now) as journal:
        journal.lock_sender()
        with pytest.raises(ContactsUnavailableError) as refused:
            send_once(inputs, journal, now=now)
    assert refused.value.exit_code == EXIT_TEMPFAIL
    message = str(refused.value)
    assert message.startswith(f"{settings.contacts.path}: the file changed while it was being read"), message
    assert message.endswith("; none of its rows was planned"), message
    assert outbox(config) == Counter()
    listed = greeter(config, "history", "--format", "json")
    assert listed.exit_code == 0 and listed.stdout.strip() == "[]", listed.output
    again = greeter(config, "send", "--once", "--now", LATER)  # the next run: the file is whole now
    assert again.exit_code == 0, again.output
    assert outbox(config) == Counter({"c1@example.com": 1, "c2@example.com": 1, "c100@example.com": 1})
