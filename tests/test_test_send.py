"""``greeter test-send``: one client's real letter in the tester's own mailbox, and nowhere else.

Client 1029's birthday is 9 December; the plan is made as of 1 December
(``--now``), so her next letter is that birthday letter, leaving on Wednesday
9 December. Everything goes through the real CLI, a real SMTP server
(aiosmtpd in-process: :class:`~greeter.testing.SmtpSink`) or the file
transport, and a real SQLite journal.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import socket
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import dkim
import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.journal import Journal
from greeter.journal_store import JournalEntry
from greeter.message import make_message_id
from greeter.testing import SmtpSink
from greeter.unsubscribe import unsubscribe_url
from tests.conftest import MakeProject, contact_row
from tests.mime_oracle import unflowed
from tests.test_check_reads_once import opened
from tests.test_send_e2e import smtp

NOW = "2026-12-01T09:00:00+03:00"
#: The afternoon of the birthday: the real letter is due by then.
DUE = "2026-12-09T17:00:00+03:00"
TESTER = "me@company.ru"
CLIENT = "client29@example.com"
VERA = contact_row(
    "1029", CLIENT, last="Гусева", first="Вера", patronymic="Константиновна", birthday="09.12.1981"
)
OTHER = contact_row("1030", "client30@example.com", birthday="10.12.1970")
BIRTHDAY = ("1029", "birthday", date(2026, 12, 9))


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def trial(config: Path, *args: str) -> tuple[int, str, str]:
    """``greeter test-send`` of 1029's letter to the tester, planned as of :data:`NOW`."""
    return invoke(config, "test-send", "--contact", "1029", "--to", TESTER, "--now", NOW, *args)


def parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return unflowed(str(body.get_content()).replace("\r\n", "\n"))  # as a format=flowed reader shows it


def preview_text(config: Path, occasion: str) -> str:
    code, out, err = invoke(config, "preview", "--contact", "1029", "--days", "365", "--now", NOW, "--json")
    assert code == 0, err
    return str(
        next(d for d in json.loads(out) if d["occasion"] == occasion and d["status"] == "send")["text"]
    )


def journal_rows(config: Path, contact_id: str) -> list[JournalEntry]:
    with Journal.open(
        f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=datetime.fromisoformat(DUE)
    ) as j:
        return list(j.history(contact_id=contact_id))


def journal_key(config: Path) -> bytes:
    """The journal's Message-ID key (made by the first send)."""
    with Journal.open(
        f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=datetime.fromisoformat(DUE)
    ) as j:
        key = j.message_key(create=False)
    assert key is not None
    return key


def test_the_letter_reaches_the_tester_only_and_the_real_one_still_goes_once(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA, OTHER], **smtp(sink.port))
        code, out, err = trial(config)
        assert code == 0, out + err
        (sent,) = sink.messages
        assert sent.rcpt_tos == (TESTER,)  # the envelope: the tester, never the client
        letter = sent.parsed()
        name, address = parseaddr(str(letter["To"]))
        assert (address, name) == (TESTER, "Вера Константиновна Гусева")
        assert str(letter["Subject"]) == "[TEST] Вера Константиновна, с днём рождения!"
        assert text_of(letter).startswith("Уважаемая Вера Константиновна!")
        assert text_of(letter).strip() == preview_text(config, "birthday").strip()  # the letter preview shows
        assert CLIENT not in sent.data.decode("ascii")  # nor in any header or link
        assert str(letter["Message-ID"]).startswith("<greeter-test.")  # not the real letter's
        assert "test letter sent to me@company.ru: 250" in out
        assert "the real letter leaves 2026-12-09" in out and CLIENT in out
        assert not (config.parent / "data" / "journal.sqlite3").exists()  # no claim, no row, no journal

        code, out, err = invoke(config, "send", "--once", "--now", DUE)
        assert code == 0, out + err
        real = [m for m in sink.messages if m is not sent]
        assert [m.rcpt_tos for m in real] == [(CLIENT,)]  # 1030's birthday is tomorrow
        vera = real[0].parsed()
        assert str(vera["Message-ID"]) == make_message_id(BIRTHDAY, "romashka.example", journal_key(config))
        assert str(vera["Subject"]) == "Вера Константиновна, с днём рождения!"
        # the same headers (List-Unsubscribe, Auto-Submitted…), and the digest naming whose test it was
        assert set(vera.keys()) | {"X-Greeter-Test-Of"} == set(letter.keys())
        assert invoke(config, "send", "--once", "--now", DUE)[0] == 0
        assert sum(m.rcpt_tos == (CLIENT,) for m in sink.messages) == 1
        assert {r for m in sink.messages for r in m.rcpt_tos} == {TESTER, CLIENT}
    assert [(r.state, r.email) for r in journal_rows(config, "1029")] == [("sent", CLIENT)]


def test_the_file_transport_writes_a_test_eml_beside_the_real_letter(make_project: MakeProject) -> None:
    config = make_project([VERA])
    outbox = config.parent / "data" / "outbox"
    code, out, err = trial(config)
    assert code == 0, out + err
    (written,) = outbox.glob("*.eml")
    assert written.name.startswith("test-")
    letter = parsed(written.read_bytes())
    assert parseaddr(str(letter["To"]))[1] == TESTER
    assert str(letter["Subject"]).startswith("[TEST] ")
    assert not (config.parent / "data" / "journal.sqlite3").exists()
    code, out, err = invoke(config, "send", "--once", "--now", DUE)
    assert code == 0 and "sent: 1" in out, out + err
    real = [p for p in outbox.glob("*.eml") if not p.name.startswith("test-")]
    assert len(real) == 1 and parseaddr(str(parsed(real[0].read_bytes())["To"]))[1] == CLIENT


def test_an_unknown_contact_is_exit_2_with_preview_s_words_and_nothing_sent(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        code, out, err = invoke(config, "test-send", "--contact", "9999", "--to", TESTER, "--now", NOW)
        assert code == 2, out + err
        assert err.strip().endswith("contacts.csv: no contact has id or name '9999' (--contact)")
        assert "Traceback" not in out + err
        assert sink.messages == []


def test_a_550_from_the_server_is_exit_1_with_its_reply(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        sink.reject(TESTER, 550, "5.1.1 <me@company.ru>: no such user here")
        code, out, err = trial(config)
        assert code == 1, out + err
        refused = (
            "the server refused the test letter to me@company.ru: 550 5.1.1 <me@company.ru>: no such user"
        )
        assert f"{refused} here" in err
        assert sink.messages == [] and sink.refused == [(TESTER, 550)]
        # Nobody suppressed, nothing recorded.
        assert not (config.parent / "data" / "journal.sqlite3").exists()


def test_an_unreachable_server_is_exit_75(make_project: MakeProject) -> None:
    with socket.socket() as probe:  # bound, never listening, kept for the test: refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        config = make_project([VERA], **smtp(port))
        code, out, err = trial(config)
    assert code == 75, out + err
    assert "the test letter was not sent: cannot connect" in err


def test_a_letter_the_review_gate_holds_is_sent_with_a_note(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], review="required", **smtp(sink.port))
        code, out, err = trial(config)
        assert code == 0, out + err
        assert [m.rcpt_tos for m in sink.messages] == [(TESTER,)]
        assert "held by the review gate: awaiting approval" in out


def test_a_skipped_letter_can_be_tested_and_says_it_will_not_be_sent(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        assert invoke(config, "suppress", CLIENT)[0] == 0
        code, out, err = trial(config, "--occasion", "birthday")
        assert code == 0, out + err
        assert [m.rcpt_tos for m in sink.messages] == [(TESTER,)]
        assert "the real letter is skipped (suppressed" in out and "will not be sent" in out
        assert text_of(sink.messages[0].parsed()).startswith("Уважаемая Вера Константиновна!")
    assert journal_rows(config, "1029") == []  # the test left no row, not even a skip


def test_a_merged_occasion_is_tested_as_the_letter_that_carries_it(make_project: MakeProject) -> None:
    config = make_project(
        [contact_row("1029", CLIENT, first="Вера", patronymic="Константиновна", birthday="30.12.1981")]
    )
    code, out, err = trial(config, "--occasion", "new_year")
    assert code == 0, out + err
    assert "new_year 2026-12-29 goes inside the birthday 2026-12-30 letter (merged)" in out
    (written,) = (config.parent / "data" / "outbox").glob("test-*birthday*.eml")
    assert "Новым годом" in text_of(parsed(written.read_bytes()))


def test_the_to_address_is_checked_and_a_line_break_is_refused(make_project: MakeProject) -> None:
    config = make_project([VERA])
    for bad in ("me@company.ru\r\nBcc: all@company.ru", "Me <me@company.ru>", "not-an-address"):
        code, out, err = invoke(config, "test-send", "--contact", "1029", "--to", bad, "--now", NOW)
        assert code == 2 and "Invalid value for '--to'" in err, (bad, out + err)
    assert not (config.parent / "data" / "outbox").exists()


def test_help_says_the_subject_prefix_and_the_exit_codes() -> None:
    result = CliRunner().invoke(main, ["test-send", "--help"])
    said = " ".join(result.stdout.split())
    assert result.exit_code == 0 and '"[TEST] "' in said and "Nothing is journaled" in said
    assert "75 try again later" in said


def test_the_test_is_dkim_signed_and_its_unsubscribe_links_are_the_tester_s(
    make_project: MakeProject, keypair: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A click on "unsubscribe" in the test must never put the client on the do-not-contact list."""
    key, der = keypair
    secret = "s" * 40
    monkeypatch.setenv("GREETER_TEST_UNSUB_SECRET", secret)
    base = "https://greet.example.com/unsubscribe"
    config = make_project(
        [VERA],
        unsubscribe={"url": base, "secret_env": "GREETER_TEST_UNSUB_SECRET"},
        delivery={"dkim": {"domain": "romashka.example", "selector": "greet", "key_file": str(key)}},
    )
    with opened() as paths:
        code, out, err = trial(config)
    assert code == 0, out + err
    assert [p for p in paths if p.endswith(str(key))] == [f"open {key}"]  # for its refusals, signed with
    (written,) = (config.parent / "data" / "outbox").glob("test-*.eml")
    data = written.read_bytes()
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
    assert dkim.verify(data, dnsfunc=lambda name, timeout=5: record)
    letter = parsed(data)
    mine, theirs = (unsubscribe_url(base, secret.encode(), a) for a in (TESTER, CLIENT))
    assert mine is not None and theirs is not None
    assert f"<{mine}>" in str(letter["List-Unsubscribe"]) and letter["List-Unsubscribe-Post"]
    assert mine in text_of(letter) and theirs not in data.decode("ascii") + text_of(letter)


def test_forget_erases_the_clients_test_letters_too(make_project: MakeProject) -> None:
    """A test letter is addressed to the tester but carries the client's name, company and words:
    `greeter forget CLIENT` left it in the outbox, found by no `To:` (an erasure persona)."""
    config = make_project([VERA])
    outbox = config.parent / "data" / "outbox"
    code, out, err = trial(config)
    assert code == 0, out + err
    (written,) = outbox.glob("test-*.eml")
    assert CLIENT.encode() not in written.read_bytes()  # named by a digest, not the address
    code, out, err = invoke(config, "send", "--once", "--now", DUE)  # the real letter: the journal
    assert code == 0 and "sent: 1" in out, out + err
    code, out, err = invoke(config, "forget", CLIENT, "--yes")
    assert code == 0, out + err
    assert not written.exists() and str(written) in out
    assert list(outbox.glob("*.eml")) == []  # the real letter's file went too
