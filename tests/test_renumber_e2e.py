"""A CRM re-export that renumbers its clients, end to end: the CLI, a real SQLite journal and the
file transport. The journal keys a greeting by contact id; the same person at the same address
under a new id must not get the same letter again, and the run must say that ids changed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from greeter.journal_mark import note_path
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter

AN_HOUR_LATER = "2027-04-14T12:00:00+03:00"
WARNING = "under another contact id"


def renumber(config: Path, old_to_new: dict[str, str]) -> None:
    """Rewrite the contacts file as a re-export would: the same rows, other ids."""
    csv = config.parent / "data" / "contacts.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    for i, line in enumerate(lines):
        cid, _, rest = line.partition(";")
        if cid in old_to_new:
            lines[i] = f"{old_to_new[cid]};{rest}"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


#: Where each project's journal is: None for the config's own SQLite file, else a PostgreSQL schema.
SCHEMAS: dict[Path, str] = {}


@contextmanager
def project(backend: str, make_project: MakeProject, rows: Sequence[str]) -> Iterator[Path]:
    """A project of ``rows`` whose journal is the SQLite file, or a PostgreSQL schema of its own."""
    if backend == "sqlite":
        yield make_project(rows)
        return
    with databases.pg_schema() as (url, name):
        config = make_project(rows, storage={"url": url})
        SCHEMAS[config] = name
        try:
            yield config
        finally:
            SCHEMAS.pop(config, None)


def journal(config: Path, sql: str, *args: str) -> None:
    """Change the journal behind greeter's back, as a crash or an older greeter left it."""
    if config in SCHEMAS:
        with databases.pg_admin() as conn:
            conn.execute(sql.replace("greetings", f"{SCHEMAS[config]}.greetings").replace("?", "%s"), args)
        return
    path = config.parent / "data" / "journal.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(sql, args)
    # A row rewritten by hand is no restore: without this, a letter un-sent here reads as a journal
    # put back from an older copy (greeter.journal_mark), which send rightly refuses.
    note_path(path).unlink(missing_ok=True)


BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])


def letters(config: Path) -> list[str]:
    return sorted(p.name for p in (config.parent / "data" / "outbox").glob("*.eml"))


@BACKENDS
def test_a_renumbered_export_sends_nothing_again_and_says_so_in_one_line(
    make_project: MakeProject, backend: str
) -> None:
    """Base: nothing was sent again, but silently — nothing told the operator the ids changed."""
    rows = [contact_row(str(1000 + i), f"client{i}@example.com", birthday="13.04.1980") for i in range(1, 4)]
    with project(backend, make_project, rows) as config:
        renumbered_once_and_said(config)


def renumbered_once_and_said(config: Path) -> None:
    first = greeter(config, "send", "--once", "--json", "--now", NOW)
    assert json.loads(first.stdout)["sent"] == 3, first.stderr
    assert len(letters(config)) == 3
    renumber(config, {"1001": "71", "1002": "72", "1003": "73"})
    csv = config.parent / "data" / "contacts.csv"  # and one address now in other capitals
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace("client3@", "Client3@"), encoding="utf-8-sig")

    again = greeter(config, "send", "--once", "--json", "--now", AN_HOUR_LATER)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["sent"] == 0
    assert len(letters(config)) == 3
    said = [line for line in again.stderr.splitlines() if WARNING in line]
    assert said == [
        f"{config.parent / 'data' / 'contacts.csv'}: warning: 3 greetings of 3 contacts the journal already has to the same "
        "address under another contact id (e.g. contact 71: birthday of 13.04.2027, sent to "
        "client1@example.com under contact id 1001): was the CRM renumbered? They are not sent again "
        "(already_sent); greeter history --email ADDRESS lists each one's letters"
    ], again.stderr

    preview = greeter(config, "preview", "--format", "json", "--from", "2027-04-13", "--days", "2",
                      "--now", AN_HOUR_LATER)  # fmt: skip
    assert sum(WARNING in line for line in preview.stderr.splitlines()) == 1, preview.stderr
    shown = {i["contact_id"]: i for i in json.loads(preview.stdout) if i["occasion"] == "birthday"}
    assert (shown["73"]["status"], shown["73"]["detail"]) == (
        "sent", "sent to client3@example.com under contact id 1003: was the CRM renumbered?",
    )  # fmt: skip


@BACKENDS
def test_an_uncertain_letter_under_the_old_id_is_not_sent_under_the_new_one(
    make_project: MakeProject, backend: str
) -> None:
    with project(backend, make_project, [contact_row("1005", "ivan@x.ru", birthday="13.04.1980")]) as config:
        assert json.loads(greeter(config, "send", "--once", "--json", "--now", NOW).stdout)["sent"] == 1
        journal(config, "UPDATE greetings SET state = 'uncertain', sent_at = NULL")  # a crash after DATA
        renumber(config, {"1005": "77"})
        again = greeter(config, "send", "--once", "--json", "--now", AN_HOUR_LATER)
        assert json.loads(again.stdout)["sent"] == 0 and len(letters(config)) == 1, again.stderr
        preview = greeter(config, "preview", "--format", "json", "--from", "2027-04-13", "--days", "2",
                          "--now", AN_HOUR_LATER)  # fmt: skip
        [item] = [i for i in json.loads(preview.stdout) if i["occasion"] == "birthday"]
        assert (item["contact_id"], item["status"], item["reason"]) == ("77", "skip", "already_sent")
        assert item["detail"].startswith(
            "the journal already has this greeting (uncertain) to ivan@x.ru under contact id 1005 "
            "(was the CRM renumbered?)"
        )


@BACKENDS
def test_a_letter_that_failed_under_the_old_id_is_sent_under_the_new_one(
    make_project: MakeProject, backend: str
) -> None:
    """Base: the failed row under 1005 kept 77 from being greeted at all — a letter that never
    reached the mailbox is no greeting; the old id's own row stays as it was."""
    with project(backend, make_project, [contact_row("1005", "ivan@x.ru", birthday="13.04.1980")]) as config:
        assert json.loads(greeter(config, "send", "--once", "--json", "--now", NOW).stdout)["sent"] == 1
        journal(config, "UPDATE greetings SET state = 'failed', sent_at = NULL")
        renumber(config, {"1005": "77"})
        again = greeter(config, "send", "--once", "--json", "--now", AN_HOUR_LATER)
        assert json.loads(again.stdout)["sent"] == 1, again.stderr
        assert WARNING not in again.stderr
        assert len(letters(config)) == 2


@BACKENDS
def test_a_journal_row_an_older_greeter_wrote_with_the_domain_as_typed_is_found(
    make_project: MakeProject, backend: str
) -> None:
    """An older greeter stored ``olga@пример.рф`` as typed; contacts now load it in punycode, so the
    row was not found by address and the renumbered client got the letter again (base: 2 letters)."""
    with project(
        backend, make_project, [contact_row("1005", "olga@пример.рф", birthday="13.04.1980")]
    ) as config:
        assert json.loads(greeter(config, "send", "--once", "--json", "--now", NOW).stdout)["sent"] == 1
        journal(config, "UPDATE greetings SET email = ?", "olga@пример.рф")
        renumber(config, {"1005": "77"})
        again = greeter(config, "send", "--once", "--json", "--now", AN_HOUR_LATER)
        assert json.loads(again.stdout)["sent"] == 0, again.stderr
        assert len(letters(config)) == 1
