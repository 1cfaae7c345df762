"""The letter a claim keeps until its greeting is final: compressed, and read back byte for byte.

The journal keeps each letter's bytes from its claim (committed before DATA)
to its verdict, so that a retry, or an operator's resend of an uncertain
letter, repeats exactly the message that may already have arrived. Kept as
they were, a ~10 KB letter spilled into SQLite's overflow pages and left one
row a page: ~29 KB of ``-wal`` written a letter. Kept compressed (zlib behind
a NUL-led marker no letter begins with) it is ~14 KB. A row an older greeter
wrote raw must still read back, and go out, as it is. Each test runs on a
SQLite file and on the test PostgreSQL; the end-to-end ones as the real CLI
against a real SMTP server (:class:`~greeter.testing.SmtpSink`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

import pytest

from greeter.errors import JournalError
from greeter.journal import open_journal
from greeter.journal_sql import COMPRESSED_LETTER, JournalSql
from greeter.journal_store import ClaimRequest, JournalKey, JournalStore
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_journal import KEY, NOW, claim
from tests.test_send_e2e import greeter, history, people, smtp
from tests.test_suppress_retry import storage as storage  # the fixture: SQLite and PostgreSQL

SENT_AT = "2027-04-14T11:00:00+03:00"
LATER = "2027-04-14T11:02:00+03:00"  # past the first retry's backoff (60 s)
E2E_KEY: JournalKey = ("1", "birthday", date(2027, 4, 13))


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "data" / "journal.sqlite3", now=NOW) as journal:
        yield journal


def letter() -> bytes:
    """A letter like greeter's: multipart text and HTML, Cyrillic, base64, CRLF."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "ООО «Ромашка» <greetings@romashka.example>"
    msg["To"] = "Иван Петрович <ivan@example.com>"
    msg["Subject"] = "Иван Петрович, с днём рождения!"
    text = "Уважаемый Иван Петрович!\n\nПримите наши поздравления с днём рождения!\n" * 40
    msg.set_content(text, cte="base64")
    msg.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html", cte="base64")
    return msg.as_bytes()


def stored_column(journal: JournalStore, key: JournalKey) -> bytes:
    """The ``payload`` column as the database holds it."""
    assert isinstance(journal, JournalSql)
    params = {"cid": key[0], "occ": key[1], "day": journal._day(key[2])}
    ((value,),) = journal._fetch(f"SELECT payload FROM greetings WHERE {journal._key_where()}", params)
    return bytes(value)


def write_column(journal: JournalStore, key: JournalKey, value: bytes) -> None:
    """Put ``value`` in the row's ``payload`` column, as another greeter (an older one) wrote it."""
    assert isinstance(journal, JournalSql)
    params = {"cid": key[0], "occ": key[1], "day": journal._day(key[2]), "value": value}
    query = f"UPDATE greetings SET payload = {journal._p('value')} WHERE {journal._key_where()}"
    assert journal._change_all([(query, params)]) == [1]


@pytest.mark.parametrize(
    "data",
    [letter(), random.Random(5).randbytes(12_000), b""],
    ids=["letter", "incompressible", "empty"],
)
def test_a_claimed_letter_is_kept_compressed_and_read_back_exactly(
    journal: JournalStore, data: bytes
) -> None:
    assert claim(journal, payload=data)
    kept = stored_column(journal, KEY)
    assert kept.startswith(COMPRESSED_LETTER)
    assert journal.payload(KEY) == data
    if data == letter():
        assert len(kept) < len(data) / 2, "a letter's base64 parts compress"


def test_a_row_written_raw_by_an_older_greeter_reads_back_and_its_retry_keeps_it(
    journal: JournalStore,
) -> None:
    raw = letter()
    assert claim(journal, payload=b"replaced below")
    write_column(journal, KEY, raw)  # as greeter wrote it before letters were compressed
    journal.mark_retry(KEY, "451 4.3.0 try later", NOW + timedelta(minutes=1), NOW)
    assert journal.payload(KEY) == raw
    later = NOW + timedelta(minutes=2)
    (entry,) = journal.due_retries(later)
    assert entry.email and entry.message_id and entry.planned_at
    again = ClaimRequest(entry.key, entry.email, entry.message_id, entry.planned_at, entry.merged, retry=True)
    assert journal.claim_many([again], now=later) == [True]  # as the delivery claims a due retry
    assert stored_column(journal, KEY) == raw, "a retry's claim leaves the stored letter as it is"
    assert journal.payload(KEY) == raw


def test_a_damaged_compressed_letter_is_an_error_naming_its_greeting(journal: JournalStore) -> None:
    assert claim(journal, payload=letter())
    kept = stored_column(journal, KEY)
    write_column(journal, KEY, kept[:-20])  # cut short: zlib's stream is incomplete
    with pytest.raises(JournalError, match=r"stored letter of c-1's birthday \(2025-03-14\) is damaged"):
        journal.payload(KEY)


def test_a_retry_sends_the_bytes_of_its_first_claim(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), storage=storage, **smtp(sink.port))
        sink.fail_next(1, 451)  # the first attempt's final dot: a temporary refusal (not recorded)
        first = greeter(config, "send", "--once", "--now", SENT_AT)
        assert "retry: 1" in first.stdout, first.stdout + first.stderr
        with open_journal(storage["url"], now=datetime.fromisoformat(SENT_AT)) as journal:
            assert stored_column(journal, E2E_KEY).startswith(COMPRESSED_LETTER)
            (entry,) = journal.history()
            kept_hash = entry.content_hash  # SHA-256 of the bytes the first attempt sent
        retried = greeter(config, "send", "--once", "--now", LATER)
        assert "sent: 1" in retried.stdout, retried.stdout + retried.stderr
        (message,) = sink.messages
    assert hashlib.sha256(message.data).hexdigest() == kept_hash
    assert [(r["state"], r["attempts"]) for r in history(config)] == [("sent", 2)]


@pytest.mark.parametrize("written", ["compressed", "raw"])
def test_a_resent_uncertain_letter_is_the_same_bytes_even_from_a_row_written_raw(
    make_project: MakeProject, storage: dict[str, Any], written: str
) -> None:
    """``raw``: the letter was claimed by a greeter from before compression, and the upgraded one resends it."""
    with SmtpSink() as sink:
        config = make_project(people(1), storage=storage, **smtp(sink.port))
        sink.drop_next(1)  # the letter arrived, but the server hung up before answering
        first = greeter(config, "send", "--once", "--now", SENT_AT)
        assert "uncertain: 1" in first.stdout, first.stdout + first.stderr
        if written == "raw":
            with open_journal(storage["url"], now=datetime.fromisoformat(SENT_AT)) as journal:
                data = journal.payload(E2E_KEY)
                assert data is not None
                write_column(journal, E2E_KEY, data)
                assert journal.payload(E2E_KEY) == data
        decided = greeter(config, "uncertain", "resend", "--contact", "1")
        assert decided.returncode == 0, decided.stderr
        resent = greeter(config, "send", "--once", "--now", "2027-04-14T11:10:00+03:00")
        assert "sent: 1" in resent.stdout, resent.stdout + resent.stderr
        dropped, again = sink.messages
    assert dropped.dropped and not again.dropped
    assert again.data == dropped.data
    assert [r["state"] for r in history(config)] == ["sent"]
