"""``greeter suppress --from-bounces``: a relay's late bounces (RFC 3464 DSNs) onto the do-not-contact list.

greeter hands its letters to a relay that answers ``250``; the recipient's
refusal comes back days later by mail. These reports are built with the
``email`` package the way Postfix, Exchange Online and Gmail write them, put in a
real Maildir, an mbox and loose .eml files, and read by the real CLI into a
real SQLite journal: only a mailbox that does not exist goes on the list (never
a DMARC refusal, which is greeter's own problem), and the next year's plan
skips those clients as ``suppressed``.
"""

from __future__ import annotations

import json
import mailbox
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import parseaddr
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

#: A Monday; every contact below has a birthday on it. The bounces come the next day. Both lie in
#: the past: ``suppress`` dates an entry by its report unless that date is ahead of the real clock.
DAY = "2026-04-13"
NEXT_YEAR = "2027-04-13"
CLIENTS = [contact_row(f"{i}", f"client{i:02d}@example.com", birthday="13.04.1980") for i in range(1, 9)]
REPORT_DATE = "Tue, 14 Apr 2026 10:15:00 +0300"


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def listed(config: Path) -> dict[str, str]:
    """The list as ``greeter suppress --list --format json`` shows it: address → reason."""
    result = greeter(config, "suppress", "--list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["email"]: row["reason"] for row in json.loads(result.stdout)}


def next_year(config: Path) -> dict[str, str | None]:
    """Each contact's birthday a year on as ``greeter preview`` plans it: None (send) or the skip reason."""
    now = f"{NEXT_YEAR}T09:00"
    result = greeter(config, "preview", "--from", NEXT_YEAR, "--days", "1", "--format", "json", "--now", now)
    assert result.exit_code == 0, result.output
    return {d["email"]: d["reason"] for d in json.loads(result.stdout) if d["occasion"] == "birthday"}


def sent_letters(config: Path) -> dict[str, Message]:
    """Greet everyone on DAY (file transport) and return each address's letter as the relay got it."""
    result = greeter(config, "send", "--once", "--now", f"{DAY}T17:25")
    assert result.exit_code == 0, result.output
    outbox = (config.parent / "data" / "outbox").glob("*.eml")
    letters = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox]
    return {parseaddr(str(m["To"]))[1]: m for m in letters}


def _headers_of(letter: Message) -> str:
    return "".join(f"{k}: {v}\n" for k, v in letter.items())


def dsn(
    recipient: str,
    action: str,
    status: str,
    diagnostic: str | None,
    *,
    letter: Message | None = None,
    report_id: str,
    style: str = "postfix",
    final: str | None = None,
) -> MIMEMultipart:
    """A delivery status notification as ``style``'s MTA writes it (RFC 3464 multipart/report)."""
    report = MIMEMultipart("report", report_type="delivery-status")
    mta = {"postfix": "relay.romashka.example", "exchange": "AM0PR01MB1234.eurprd01.prod.outlook.com"}
    report["From"] = "MAILER-DAEMON@relay.romashka.example (Mail Delivery System)"
    report["To"] = "greetings@example.com"
    report["Subject"] = {
        "postfix": "Undelivered Mail Returned to Sender",
        "exchange": "Undeliverable: С днём рождения!",
        "gmail": "Delivery Status Notification (Failure)",
    }.get(style, "Delivery Status Notification (Delay)")
    report["Date"] = REPORT_DATE
    report["Message-ID"] = report_id
    if style == "postfix":
        report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText(f"This is the mail system at host {mta.get(style, 'mx.google.com')}.\n", "plain"))
    status_part = MIMEBase("message", "delivery-status")
    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {mta.get(style, 'mx.google.com')}"
    per_message["Arrival-Date"] = REPORT_DATE
    block = Message()
    if style == "postfix":
        block["Original-Recipient"] = f"rfc822;{recipient}"
    block["Final-Recipient"] = final if final is not None else f"rfc822; {recipient}"
    block["Action"] = action
    block["Status"] = status
    if diagnostic is not None:
        block["Remote-MTA"] = "dns; mx.example.com"
        block["Diagnostic-Code"] = diagnostic
    status_part.set_payload([per_message, block])
    report.attach(status_part)
    if letter is not None:
        if style == "postfix":  # Postfix returns the headers only
            report.attach(MIMEText(_headers_of(letter), "rfc822-headers"))
        else:  # Exchange and Gmail return the letter
            report.attach(MIMEMessage(letter))
    return report


def autoreply() -> MIMEText:
    """An out-of-office answer: mail in the bounce mailbox that is no bounce."""
    reply = MIMEText("Я в отпуске до 20 апреля. Текст письма не должен попасть в журнал.", "plain", "utf-8")
    reply["From"] = "client08@example.com"
    reply["To"] = "greetings@example.com"
    reply["Subject"] = "Автоответ: С днём рождения!"
    reply["Auto-Submitted"] = "auto-replied"
    reply["Date"] = REPORT_DATE
    reply["Message-ID"] = "<ooo.1@example.com>"
    return reply


def reports(letters: dict[str, Message]) -> list[Message]:
    """What a month of a relay's bounce mailbox holds."""
    return [
        dsn(  # Postfix: a mailbox that does not exist
            "client01@example.com",
            "failed",
            "5.1.1",
            "smtp; 550 5.1.1 <client01@example.com>: Recipient address rejected: User unknown in"
            " virtual mailbox table",
            letter=letters["client01@example.com"],
            report_id="<20260414071500.AB12C3@relay.romashka.example>",
        ),
        dsn(  # Exchange Online: 5.1.10, the address in another case
            "Client02@Example.COM",
            "failed",
            "5.1.10",
            "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            letter=letters["client02@example.com"],
            report_id="<f3b1@AM0PR01MB1234.eurprd01.prod.outlook.com>",
            style="exchange",
        ),
        dsn(  # Gmail: a multi-line reply, folded
            "client03@example.com",
            "failed",
            "5.1.1",
            "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
            " 550-5.1.1 double-checking the recipient's email address for typos or\n"
            " 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser",
            letter=letters["client03@example.com"],
            report_id="<gmail.dsn.3@mx.google.com>",
            style="gmail",
        ),
        dsn(  # still trying: not a bounce yet
            "client04@example.com",
            "delayed",
            "4.4.1",
            "smtp; 421 4.4.1 Connection timed out",
            letter=letters["client04@example.com"],
            report_id="<delay.4@relay.romashka.example>",
            style="delay",
        ),
        dsn(  # DMARC: our own authentication problem, never the client's
            "client05@example.com",
            "failed",
            "5.7.26",
            "smtp; 550 5.7.26 This mail has been blocked because the sender is unauthenticated.",
            letter=letters["client05@example.com"],
            report_id="<gmail.dsn.5@mx.google.com>",
            style="gmail",
        ),
        autoreply(),
    ]


def in_maildir(folder: Path, messages: list[Message]) -> Path:
    box = mailbox.Maildir(folder / "Maildir", create=True)
    for message in messages:
        box.add(message)
    return folder / "Maildir"


def in_mbox(folder: Path, messages: list[Message]) -> Path:
    box = mailbox.mbox(folder / "bounces.mbox", create=True)
    for message in messages:
        box.add(message)
    box.close()
    return folder / "bounces.mbox"


def in_eml_folder(folder: Path, messages: list[Message]) -> Path:
    (folder / "eml").mkdir()
    for number, message in enumerate(messages, 1):
        (folder / "eml" / f"{number:02d}.eml").write_bytes(message.as_bytes())
    return folder / "eml"


STORES: dict[str, Callable[[Path, list[Message]], Path]] = {
    "maildir": in_maildir,
    "mbox": in_mbox,
    "eml folder": in_eml_folder,
}
SUMMARY = (
    "5 bounce report(s) read: 3 address(es) bounced for good (0 already on the list), 1 temporary,"
    " 1 refused for other reasons (policy, spam, authentication: not suppressed), 1 message(s) not a"
    " bounce report\n"
    "suppressed 3 new address(es); 0 already on the list\n"
)


@pytest.mark.parametrize("kind", list(STORES))
def test_bounce_reports_suppress_the_missing_mailboxes_and_nothing_else(
    make_project: MakeProject, tmp_path: Path, kind: str
) -> None:
    config = make_project(CLIENTS)
    letters = sent_letters(config)
    path = STORES[kind](tmp_path, reports(letters))

    result = greeter(config, "suppress", "--from-bounces", str(path))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == SUMMARY
    stored = listed(config)
    assert set(stored) == {"client01@example.com", "client02@example.com", "client03@example.com"}
    assert stored["client01@example.com"] == (
        "bounced: 550 5.1.1 <client01@example.com>: Recipient address rejected: User unknown in virtual"
        " mailbox table (report of 2026-04-14, Message-ID <20260414071500.AB12C3@relay.romashka.example>;"
        " greeting 1 birthday 2026-04-13)"
    )
    assert stored["client02@example.com"] == (
        "bounced: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
        " (report of 2026-04-14, Message-ID <f3b1@AM0PR01MB1234.eurprd01.prod.outlook.com>;"
        " greeting 2 birthday 2026-04-13)"
    )
    assert stored["client03@example.com"] == (  # Gmail's three lines as one reply
        "bounced: 550 5.1.1 The email account that you tried to reach does not exist. Please try"
        " double-checking the recipient's email address for typos or unnecessary spaces."
        " https://support.google.com/mail/?p=NoSuchUser (report of 2026-04-14, Message-ID"
        " <gmail.dsn.3@mx.google.com>; greeting 3 birthday 2026-04-13)"
    )
    assert "отпуске" not in result.output  # no message text is printed
    entries = json.loads(greeter(config, "suppress", "--list", "--format", "json").stdout)
    assert {e["created_at"] for e in entries} == {"2026-04-14T07:15:00+00:00"}  # the report's date

    plan = next_year(config)
    assert {e for e, r in plan.items() if r == "suppressed"} == {
        "client01@example.com",
        "client02@example.com",
        "client03@example.com",
    }
    assert plan["client04@example.com"] is None  # delayed, delivered since
    assert plan["client05@example.com"] is None  # refused for DMARC: greeter's problem, not hers

    again = greeter(config, "suppress", "--from-bounces", str(path))
    assert again.exit_code == 0, again.output
    assert "3 address(es) bounced for good (3 already on the list)" in again.stdout
    assert again.stdout.endswith("suppressed 0 new address(es); 3 already on the list\n")


def test_a_later_send_skips_the_bounced_client_as_suppressed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    letters = sent_letters(config)
    report = dsn(
        "client01@example.com",
        "failed",
        "5.1.1",
        "smtp; 550 5.1.1 User unknown",
        letter=letters["client01@example.com"],
        report_id="<one@relay.romashka.example>",
    )
    single = tmp_path / "bounce.eml"
    single.write_bytes(report.as_bytes())
    result = greeter(config, "suppress", "--from-bounces", str(single))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 bounce report(s) read: 1 address(es) bounced for good")

    assert next_year(config)["client01@example.com"] == "suppressed"
    sent = greeter(config, "send", "--once", "--json", "--now", f"{NEXT_YEAR}T17:25")
    # A year without a run: its New Year letters are recorded and named as what the downtime cost
    # (exit 1), the bounced client's among none of them — it is on the do-not-contact list.
    assert sent.exit_code == 1, sent.output
    summary = json.loads(sent.stdout)
    assert summary["sent"] == len(CLIENTS) - 1
    expired = sorted((e["contact_id"], e["occasion"]) for e in summary["expired"])
    assert expired == [(f"{i}", "new_year") for i in range(2, 9)]

    def greeted(address: str) -> list[str]:
        history = greeter(config, "history", "--email", address, "--format", "json")
        return sorted(r["occasion_date"] for r in json.loads(history.stdout) if r["state"] == "sent")

    assert greeted("client01@example.com") == [DAY]  # not again
    assert greeted("client02@example.com") == [DAY, NEXT_YEAR]


def test_broken_reports_are_named_with_their_file_and_the_rest_go_on(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(CLIENTS)
    letter = sent_letters(config)["client06@example.com"]  # a report is only believed about greeter's letter
    good = dsn(
        "client06@example.com",
        "failed",
        "5.1.1",
        "smtp; 550 5.1.1 User unknown",
        letter=letter,
        report_id="<g@r>",
    )
    truncated = good.as_bytes()
    truncated = truncated[: truncated.index(b"Content-Type: message/delivery-status")]
    no_recipient = dsn(
        "client07@example.com", "failed", "5.1.1", "smtp; 550 5.1.1 User unknown", report_id="<n@r>", final=""
    )
    del no_recipient.get_payload()[1].get_payload()[1]["Original-Recipient"]
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "1-garbage.eml").write_bytes(b"\x00\x9f\xff\xfe binary junk \x00\x01\r\n\r\n\x00")
    (folder / "2-truncated.eml").write_bytes(truncated)
    (folder / "3-no-recipient.eml").write_bytes(no_recipient.as_bytes())
    (folder / "4-good.eml").write_bytes(good.as_bytes())
    (folder / "notes.txt").write_text("not a message, not read", encoding="utf-8")

    result = greeter(config, "suppress", "--from-bounces", str(folder))

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{folder / '1-garbage.eml'}: not an e-mail message (no header lines); skipped",
        f"{folder / '2-truncated.eml'}: a delivery status report with no message/delivery-status part;"
        " skipped",
        f"{folder / '3-no-recipient.eml'}: recipient 1: no valid Final-Recipient address; not suppressed",
    ]
    assert result.stdout.startswith("2 bounce report(s) read: 1 address(es) bounced for good")
    assert result.stdout.endswith(
        "suppressed 1 new address(es); 0 already on the list; 3 rejected (see above)\n"
    )
    assert set(listed(config)) == {"client06@example.com"}


def test_a_path_that_is_no_mailbox_is_one_line_and_exit_2(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(CLIENTS)
    missing = greeter(config, "suppress", "--from-bounces", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2, missing.output
    assert len(missing.stderr.splitlines()) == 1 and str(tmp_path / "nowhere") in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = greeter(config, "suppress", "--from-bounces", str(tmp_path / "empty"))
    assert empty.exit_code == 2, empty.output
    assert (
        empty.stderr == f"{tmp_path / 'empty'}: neither a Maildir (cur/, new/) nor a folder of .eml files\n"
    )
    listing = greeter(config, "suppress", "--list", "--from-bounces", str(tmp_path))
    assert listing.exit_code == 2


@pytest.mark.parametrize(
    ("diagnostic", "bounced"),
    [
        ("smtp; 550 Requested action not taken: mailbox unavailable", True),  # bare 550: as at RCPT
        ("smtp; 550 5.7.1 Message rejected as spam", False),  # its own status decides
        ("smtp; 521 5.2.1 : AOL will not accept delivery of this message.", False),  # a host's block
        ("X-Postfix; mail for example.com loops back to myself", False),  # no reply of a server
    ],
)
def test_postfix_filler_status_5_0_0_leaves_a_bare_reply_to_mean_what_it_says(
    diagnostic: str, bounced: bool
) -> None:
    """Postfix reports a server's reply without an enhanced status as ``Status: 5.0.0``: a bare
    ``550`` there was read as 5.0.0 ("other") and never suppressed, though the same reply at RCPT is."""
    from datetime import UTC, datetime

    from greeter.bounces import Tally, read_report

    report = dsn("client01@example.com", "failed", "5.0.0", diagnostic, report_id="<dsn.500@relay>")
    tally = Tally()
    read_report(report.as_bytes(), "500.eml", datetime(2026, 4, 20, tzinfo=UTC), tally)
    assert tally.problems == []
    assert ([b.address for b in tally.bounces], tally.refused) == (
        (["client01@example.com"], 0) if bounced else ([], 1)
    )


def test_an_mbox_being_written_is_waited_for_and_then_said_to_be_busy(tmp_path: Path) -> None:
    """The MTA appending a bounce holds the mbox (dot-lock and fcntl): reading then gave half a
    report. The reader waits for both; past its patience it says so (exit 75), having read nothing."""
    import subprocess
    import sys

    from greeter.bounces import messages
    from greeter.errors import ContactsUnavailableError

    report = dsn(
        "client01@example.com", "failed", "5.1.1", "smtp; 550 5.1.1 no such user", report_id="<m1@r>"
    )
    box = in_mbox(tmp_path, [report])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'r+b');"
         " fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", str(box)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(ContactsUnavailableError, match="the mailbox is being written") as busy:
            list(messages(box, patience=0.3))
        assert busy.value.exit_code == 75
    finally:
        holder.kill()
        holder.wait()
    dotlock = box.with_name(box.name + ".lock")
    dotlock.write_text("4242\n")  # procmail's, or Postfix's dotlock: the same wait
    with pytest.raises(ContactsUnavailableError):
        list(messages(box, patience=0.2))
    dotlock.unlink()
    ((name, raw),) = list(messages(box, patience=0.2))
    assert name == f"{box}: message 1" and isinstance(raw, bytes) and b"5.1.1" in raw
