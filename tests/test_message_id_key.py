"""A greeting's Message-ID is keyed by its journal's own secret: no one outside can compute it.

It used to be ``sha256(contact id, occasion, date)``, and ``greeter suppress
--from-bounces`` believes a report whose returned Message-ID is that of a
greeting to the same address: anyone who knew a CRM id (often sequential) and
a birthday could compute the id and forge a bounce that suppressed the
client. Now the id is an HMAC under a random key each journal makes on first
need and keeps, so it is still the same for the same greeting in every run and
process (a resend is recognised as a duplicate), but another journal — or an
attacker — gets another one. Greetings journaled before the upgrade keep the
ids they were sent with. Real SQLite files, a real PostgreSQL schema, the real
CLI, the file transport and an in-process SMTP server.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from greeter.journal import Journal
from greeter.journal_pg import PgJournal
from greeter.journal_store import JournalKey
from greeter.message import make_message_id
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_bounce_forged import suppress_from, with_message_id
from tests.test_bounce_import import DAY, dsn, greeter, listed, sent_letters
from tests.test_send_e2e import NOW, history, people, smtp
from tests.test_send_e2e import greeter as run

if TYPE_CHECKING:
    from multiprocessing import Queue
    from multiprocessing.synchronize import Barrier

DOMAIN = "romashka.example"
#: Greeted on DAY (13 April 2026); client 2's birthday is the Monday after.
CONTACTS = [
    contact_row("1", "client01@example.com", birthday="13.04.1980"),
    contact_row("2", "client02@example.com", birthday="20.04.1985"),
]
BIRTHDAY_1: JournalKey = ("1", "birthday", date(2026, 4, 13))
BIRTHDAY_2: JournalKey = ("2", "birthday", date(2026, 4, 20))
UNKNOWN = "smtp; 550 5.1.1 <client01@example.com>: Recipient address rejected: User unknown"


def unkeyed_id(key: JournalKey, domain: str = DOMAIN) -> str:
    """The Message-ID greeter gave a greeting before it was keyed: computable from the key alone."""
    contact_id, occasion, day = key
    digest = hashlib.sha256(f"{contact_id}\x1f{occasion}\x1f{day.isoformat()}".encode()).hexdigest()
    return f"<greeter.{digest[:32]}@{domain}>"


def journal_file(config: Path) -> Path:
    return config.parent / "data" / "journal.sqlite3"


def journal_key(config: Path) -> bytes:
    with Journal.open(str(journal_file(config)), now=datetime.now(UTC)) as journal:
        key = journal.message_key(create=False)
    assert key is not None, "the send made the journal's key"
    return key


def outbox(config: Path) -> dict[str, Message]:
    """The letters the file transport wrote, by recipient."""
    letters = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in (config.parent / "data" / "outbox").glob("*.eml")
    ]
    return {parseaddr(str(m["To"]))[1]: m for m in letters}


@pytest.fixture(params=["sqlite", "postgresql"])
def config(request: pytest.FixtureRequest, make_project: MakeProject) -> Iterator[Path]:
    """A project whose journal is a SQLite file, or a fresh schema of the test PostgreSQL."""
    with databases.project_on(request.param, make_project, CONTACTS) as path:
        yield path


def test_a_forged_bounce_with_the_id_computed_from_the_key_is_ignored(config: Path, tmp_path: Path) -> None:
    letters = sent_letters(config)
    real = letters["client01@example.com"]
    assert str(real["Message-ID"]) != unkeyed_id(BIRTHDAY_1)
    guessed = with_message_id(real, unkeyed_id(BIRTHDAY_1))  # all an attacker knows: id and birthday
    code, stdout, stderr = suppress_from(
        config,
        tmp_path / "forged",
        [
            dsn(
                "client01@example.com",
                "failed",
                "5.1.1",
                UNKNOWN,
                letter=guessed,
                report_id="<f.1@evil.example>",
            )
        ],
    )
    assert (code, stderr) == (0, "1 report(s) not about greeter's letters: ignored (client01@example.com)\n")
    assert listed(config) == {}
    # The relay's real bounce returns the letter as it left: that one is still believed.
    bounced = dsn(
        "client01@example.com", "failed", "5.1.1", UNKNOWN, letter=real, report_id="<b.1@relay.example>"
    )
    code, stdout, stderr = suppress_from(config, tmp_path / "real", [bounced])
    assert code == 0 and stderr == "", stdout + stderr
    assert list(listed(config)) == ["client01@example.com"]


def test_two_journals_give_one_greeting_two_ids_and_one_journal_always_the_same(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CONTACTS)
    other = tmp_path / "other"  # a second project, the same contacts: a journal of its own
    other.mkdir()
    twin_config = other / "greeter.yaml"
    twin_config.write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    (other / "data").mkdir()
    (other / "data" / "contacts.csv").write_bytes((config.parent / "data" / "contacts.csv").read_bytes())
    (other / "templates").symlink_to(config.parent / "templates")

    # No journal yet: a preview's .eml carries a sample id, and says so.
    out = tmp_path / "eml-before"
    shown = greeter(
        config, "preview", "--format", "eml", "--out", str(out), "--days", "1", "--now", f"{DAY}T09:00"
    )
    assert shown.exit_code == 0 and "wrote 1 .eml" in shown.stdout, shown.output
    assert "Message-IDs are samples" in shown.stderr
    assert not journal_file(config).exists()  # and makes no journal to give one

    for project in (config, twin_config):
        assert greeter(project, "send", "--once", "--now", f"{DAY}T17:25").exit_code == 0
    first, second = outbox(config)["client01@example.com"], outbox(twin_config)["client01@example.com"]
    assert str(first["Message-ID"]) != str(second["Message-ID"])  # not computable from the key alone
    assert str(first["Message-ID"]) == make_message_id(BIRTHDAY_1, DOMAIN, journal_key(config))
    assert journal_key(config) != journal_key(twin_config)
    (row,) = [r for r in history(config) if r["contact_id"] == "1"]
    assert row["message_id"] == str(first["Message-ID"])
    assert journal_key(config).hex() not in run(config, "history", "--format", "json").stdout

    # The next letter: preview (another process) shows the id the send (another one) gives it.
    out = tmp_path / "eml-after"
    shown = greeter(config, "preview", "--format", "eml", "--out", str(out), "--now", "2026-04-20T09:00")
    assert shown.exit_code == 0 and "wrote 1 .eml" in shown.stdout, shown.output
    assert "samples" not in shown.stderr
    (draft,) = (message_from_bytes(p.read_bytes(), policy=policy.default) for p in out.glob("*.eml"))
    assert str(draft["Message-ID"]) == make_message_id(BIRTHDAY_2, DOMAIN, journal_key(config))
    leaves = draft["Date"].datetime.isoformat()  # the moment the plan sends it at
    assert greeter(config, "send", "--once", "--now", leaves).exit_code == 0
    assert str(outbox(config)["client02@example.com"]["Message-ID"]) == str(draft["Message-ID"])


def test_letters_journaled_before_the_upgrade_go_again_with_their_first_ids(
    make_project: MakeProject,
) -> None:
    """An ``uncertain`` letter resent and a ``failed`` one put back in line (written afresh) carry
    the unkeyed ids they first went with: the server and the bounces recognise them."""
    uncertain, failed = ("1", "birthday", date(2027, 4, 13)), ("2", "birthday", date(2027, 4, 13))
    moment = datetime.fromisoformat(NOW)
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        # As the greeter before the upgrade left them (a journal without a key).
        with Journal.open(str(journal_file(config)), now=moment) as journal:
            letter = (
                f"From: shop@romashka.example\r\nTo: client1@example.com\r\nSubject: hi\r\n"
                f"Message-ID: {unkeyed_id(uncertain)}\r\n\r\nhello\r\n"
            ).encode()
            for key, mid in ((uncertain, unkeyed_id(uncertain)), (failed, unkeyed_id(failed))):
                email = f"client{key[0]}@example.com"
                assert journal.claim(
                    key, email=email, message_id=mid, planned_at=moment, payload=letter, now=moment
                )
            journal.mark_uncertain(uncertain, "connection lost after DATA", moment)
            journal.mark_failed(failed, "554 5.7.1 rejected as spam", moment)
            assert journal.message_key(create=False) is None
        assert run(config, "uncertain", "resend", "--contact", "1").returncode == 0
        assert run(config, "failed", "resend", "--contact", "2", "--now", NOW).returncode == 0
        sent = run(config, "send", "--once", "--now", "2027-04-14T11:05:00+03:00")
        assert "sent: 2" in sent.stdout, sent.stdout + sent.stderr
        assert sorted(sink.message_ids()) == sorted([unkeyed_id(uncertain), unkeyed_id(failed)])
    rows = {r["contact_id"]: (r["state"], r["message_id"]) for r in history(config)}
    assert rows == {"1": ("sent", unkeyed_id(uncertain)), "2": ("sent", unkeyed_id(failed))}


def _make_key(path: str, start: Barrier, keys: Queue[bytes]) -> None:
    """In a process of its own: open the journal, wait for the others, and make (or find) its key."""
    with Journal.open(path, now=datetime.now(UTC)) as journal:
        start.wait(timeout=30)
        key = journal.message_key()
        assert key is not None
        keys.put(key)


def test_processes_making_the_key_of_one_sqlite_journal_at_once_agree(tmp_path: Path) -> None:
    path = str(tmp_path / "journal.sqlite3")
    Journal.open(path, now=datetime.now(UTC)).close()  # migrated, no key yet
    context = multiprocessing.get_context("fork")
    start, keys = context.Barrier(4), context.Queue()
    workers = [context.Process(target=_make_key, args=(path, start, keys)) for _ in range(4)]
    for worker in workers:
        worker.start()
    found = [keys.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert len(set(found)) == 1 and len(found[0]) == 32
    with Journal.open(path, now=datetime.now(UTC)) as journal:
        assert journal.message_key(create=False) == found[0]


def test_senders_making_the_key_of_one_postgresql_journal_at_once_agree() -> None:
    with databases.pg_schema() as (url, _):
        PgJournal.open(url, now=datetime.now(UTC)).close()
        journals = [PgJournal.open(url, now=datetime.now(UTC)) for _ in range(4)]
        start = threading.Barrier(len(journals))
        found: list[bytes | None] = [None] * len(journals)

        def make(i: int) -> None:
            start.wait(timeout=30)
            found[i] = journals[i].message_key()

        threads = [threading.Thread(target=make, args=(i,)) for i in range(len(journals))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for journal in journals:
            journal.close()
        assert found[0] is not None and len(found[0]) == 32 and found == [found[0]] * len(journals)
        with PgJournal.open(url, now=datetime.now(UTC)) as again:
            assert again.message_key(create=False) == found[0]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_reader_gets_no_key_where_none_was_made(backend: str, tmp_path: Path) -> None:
    with databases.journal_on(backend, tmp_path / "journal.sqlite3", now=datetime.now(UTC)) as journal:
        assert journal.message_key(create=False) is None
        assert journal.message_key(create=False) is None  # and asking made none
        made = journal.message_key()
        assert made is not None and journal.message_key(create=False) == made == journal.message_key()


@pytest.mark.parametrize("size", [32, 63, 64, 65, 200])
def test_the_message_id_is_hmac_sha256_of_the_key_whatever_its_length(size: int) -> None:
    """The id is RFC 2104's HMAC-SHA256 (from hashes the key is fed into once): as ``hmac.digest`` makes it."""
    import hmac

    from greeter.message import make_message_id

    secret = bytes(range(256))[:size]
    for key in [("c-1", "birthday", date(2027, 4, 13)), ("Ω 2", "new_year", date(2028, 1, 1))]:
        text = f"{key[0]}\x1f{key[1]}\x1f{key[2].isoformat()}".encode()
        expected = f"<greeter.{hmac.digest(secret, text, 'sha256').hex()[:32]}@example.com>"
        assert make_message_id(key, "example.com", secret) == expected
