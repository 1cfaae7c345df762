"""A relay that refuses greeter's *host* — a DNS blocklist, a client check — stops the batch.

Real ``greeter send --once`` processes against an in-process aiosmtpd that answers
the refusal at RCPT TO (Postfix's ``reject_rbl_client`` with its default
``smtpd_delay_reject=yes``), at MAIL FROM or at EHLO, and a real SQLite journal.
Before, a ``554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using
zen.spamhaus.org`` at RCPT TO marked every letter of the batch ``failed`` one after
another (exit 1, no retry): 40,000 New Year letters lost to one listing of one IP.
Now it is a halt like a relay denial: exit 2, the letters left unsent for the run
after the listing is gone, and ``host_blocked`` in ``--json`` says what to do.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import LATER, NOW, greeter_process, history, people, smtp
from tests.test_send_relay_halt import HALT_WORDS, MailFromRefused, refused_at_ehlo_then_fixed

#: The ``send --json`` key (the ``delivery_halted`` line's ``reason``) and the summary line's words:
#: spelled out, not imported — they are the contract scripts read.
HOST_BLOCKED = "host_blocked"
HOST_WORDS = "the server refuses greeter's host (blocklist or client check)"
#: What every host_blocked message ends with: where to turn, whichever list or check it was.
HOST_FIX = (
    "ask the relay's admin to accept this host, or send through the relay this network is "
    "authorised to use (delivery.smtp.host)"
)

RBL = "5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.5"


@pytest.mark.parametrize(
    "reply",
    [
        # Postfix reject_rbl_client (default_rbl_reply); Exchange Online words it with a comma.
        f"554 {RBL}",
        "550 5.7.1 Service unavailable, Client host [203.0.113.5] blocked using Spamhaus. To request "
        "removal from this list see https://www.spamhaus.org/query/lookup/ (AS16012611)",
        "554 Service unavailable; Client host [127.0.0.2] blocked using socks.relays.osirusoft.com; Proxy List Test",
        # Postfix reject_unknown_client_hostname / check_client_access, said as a 5xx.
        "550 5.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]",
        "554 5.7.1 <unknown[203.0.113.5]>: Client host rejected: Access denied",
        # Exim's default dnslists message.
        "550 rejected because 203.0.113.5 is in a black list at zen.spamhaus.org",
        # Sendmail FEATURE(dnsbl).
        "550 5.7.1 Rejected: 203.0.113.5 listed at zen.spamhaus.org",
        # Exchange Online Protection: banned sending IP (5.7.606-5.7.608), tenant IP (5.7.708).
        "550 5.7.606 Access denied, banned sending IP [203.0.113.5]. To request removal from this list "
        "please visit https://sender.office.com/ and follow the directions.",
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
        # Outlook.com.
        "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet "
        "service provider since part of their network is on our block list (S3150).",
        # Gmail, to a host in a range not meant to send mail directly (Spamhaus PBL and the like).
        "550 5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to send email "
        "directly to our servers. Please use the SMTP relay at your service provider instead.",
        # Yahoo.
        "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip is in "
        "Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
        # RFC 7504, whatever its words (AOL's 5.2.1 would otherwise read "mailbox disabled").
        "521 5.2.1 : AOL will not accept delivery of this message",
        "521 Host does not accept mail",
    ],
    ids=[
        "postfix-rbl",
        "eop-spamhaus",
        "postfix-rbl-no-status",
        "postfix-unknown-client",
        "postfix-client-access",
        "exim-dnslists",
        "sendmail-dnsbl",
        "microsoft-banned-ip",
        "microsoft-tenant-ip",
        "outlook-s3150",
        "gmail-not-authorized-ip",
        "yahoo-bl21",
        "aol-521",
        "rfc7504-521",
    ],
)
def test_a_refusal_of_greeters_host_is_host_blocked(reply: str) -> None:
    from greeter.reply_classes import setup_refusal

    code, text = reply.split(" ", 1)
    assert setup_refusal(int(code), text) == HOST_BLOCKED


@pytest.mark.parametrize(
    "reply",
    [
        "550 5.1.1 User unknown",
        "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in relay recipient table",
        "554 5.7.1 spam content rejected",
        "554 5.7.1 Message rejected as spam",
        "550 5.2.1 The email account that you tried to reach is disabled",
        # Postfix's reject_rhsbl_recipient: the *recipient's* domain is on the list, one letter's matter.
        "554 5.7.1 Service unavailable; Recipient address [b.example] blocked using dbl.spamhaus.org",
        # A recipient's own block list, not ours.
        "550 5.7.1 <a@b.example>: Recipient address rejected: sender is on the user's block list",
        # 4xx: the server's passing trouble (a DNS timeout in its client check), retried as today.
        "450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]",
        "451 4.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
        # Reverse DNS failed (RFC 7372 5.7.25): a sender-authentication refusal, with its own handling.
        "550 5.7.25 Client host rejected: cannot find your hostname, [203.0.113.5]",
    ],
)
def test_a_refusal_of_one_letter_or_a_4xx_is_no_host_block(reply: str) -> None:
    from greeter.reply_classes import setup_refusal

    code, text = reply.split(" ", 1)
    assert setup_refusal(int(code), text) != HOST_BLOCKED


@pytest.mark.parametrize(
    ("reply", "check"),
    [
        (f"554 {RBL}", "check this host's IP address on zen.spamhaus.org and ask for its removal"),
        ("550 rejected because 203.0.113.5 is in a black list at zen.spamhaus.org", "on zen.spamhaus.org"),
        (
            "550 5.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]",
            "is on a blocklist or lacks reverse DNS",
        ),
    ],
)
def test_the_fix_names_the_list_the_reply_names(reply: str, check: str) -> None:
    from greeter.reply_classes import setup_fix
    from greeter.transport import HOST_BLOCKED as KIND

    fix = setup_fix(KIND, reply, sender="", return_path=False, ehlo=None, logged_in=False)
    assert fix.startswith(f"the server refuses greeter's host ({reply}): "), fix
    assert check in fix and fix.endswith(HOST_FIX), fix


def test_an_rbl_refusal_at_rcpt_stops_the_batch_and_a_later_run_sends_each_letter_once(
    make_project: MakeProject,
) -> None:
    """Was: ``failed ×8: 554 5.7.1 Service unavailable; Client host … blocked using zen.spamhaus.org``,
    exit 1, every letter lost for good. Now: exit 2, nothing recorded, ``host_blocked`` naming the
    list, the next run says how many wait, and once delisted the run after sends each letter once."""
    with SmtpSink() as sink:
        config = make_project(people(8), **smtp(sink.port, pool_size=2))
        for i in range(1, 9):
            sink.reject(f"client{i}@example.com", 554, RBL)
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        refusals = len(sink.refused)
        states = Counter(r["state"] for r in history(config))
        again = greeter_process(config, "send", "--once", "--now", NOW)
        sink.reset()  # the IP is delisted: the relay takes every letter
        fixed = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        delivered = Counter(rcpt for message in sink.messages for rcpt in message.rcpt_tos)
        after = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        delivered_after = len(sink.messages)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["failed"], summary["uncertain"]) == (0, 0, 0, 0)
    assert states == {}, "never at DATA: given back, no attempt counted, nothing failed"
    assert refusals <= 2, "one refusal per pooled connection at most, not one per letter"
    words = summary[HOST_BLOCKED]
    assert words is not None and words.startswith("127.0.0.1:"), words
    assert "blocked using zen.spamhaus.org" in words and "on zen.spamhaus.org" in words, words
    assert HOST_FIX in words, words
    assert all(summary[other] is None for other in HALT_WORDS if other != HOST_BLOCKED), summary
    assert "the batch stopped there" in refused.stderr, refused.stderr
    assert again.returncode == 2, again.stdout + again.stderr
    assert "failed: 0; uncertain: 0" in again.stdout, again.stdout
    assert f"{HOST_WORDS}: 8 left unsent for the next run" in again.stdout, again.stdout
    assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 8, fixed.stdout + fixed.stderr
    assert delivered == {f"client{i}@example.com": 1 for i in range(1, 9)}, delivered
    assert after.returncode == 0 and json.loads(after.stdout)["sent"] == 0, after.stdout + after.stderr
    assert delivered_after == 8 and {r["state"] for r in history(config)} == {"sent"}  # none suppressed


def test_a_banned_ip_at_mail_from_stops_the_batch(make_project: MakeProject) -> None:
    """Exchange Online's banned sending IP said to MAIL FROM: was every letter in ``retry`` as a
    refused sender, run after run, until they expired. Now ``host_blocked``, exit 2."""
    refusal = (
        "550 5.7.606 Access denied, banned sending IP [203.0.113.5]. To request removal see sender.office.com"
    )
    with MailFromRefused(refusal) as sink:
        config = make_project(people(6), **smtp(sink.port, pool_size=2))
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        asked, rows = sink.mail_froms, history(config)
        sink.refusal = None
        fixed = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        delivered = len(sink.messages)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["failed"]) == (0, 0, 0), summary
    assert rows == [] and asked <= 2, (rows, asked)
    assert summary[HOST_BLOCKED] is not None and "banned sending IP" in summary[HOST_BLOCKED], summary
    assert fixed.returncode == 0 and delivered == 6, fixed.stdout + fixed.stderr


def test_a_client_check_said_at_ehlo_stops_the_batch_claiming_nothing(make_project: MakeProject) -> None:
    """Postfix with ``smtpd_delay_reject=no`` says a client restriction at EHLO: was "refused the
    connection", every letter in ``retry``. Now ``host_blocked``, nothing claimed."""
    refusal = "554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied"
    refused, rows, fixed, delivered = refused_at_ehlo_then_fixed(make_project, refusal, 4)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    words = summary[HOST_BLOCKED]
    assert words is not None and f"({refusal}): " in words and HOST_FIX in words, words
    assert rows == [], "nothing claimed"
    assert fixed.returncode == 0 and delivered == 4, fixed.stdout + fixed.stderr


def test_a_4xx_client_check_stays_a_retry(make_project: MakeProject) -> None:
    """Conservative: Postfix's ``450 4.7.1 Client host rejected: cannot find your hostname`` is its
    DNS's passing trouble as often as ours: the letters go to ``retry`` as before, no halt."""
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port, pool_size=1))
        for i in (1, 2):
            sink.reject(
                f"client{i}@example.com", 450, "4.7.1 Client host rejected: cannot find your hostname"
            )
        result = greeter_process(config, "send", "--once", "--json", "--now", NOW)
    summary = json.loads(result.stdout)
    assert result.returncode == 75, result.stdout + result.stderr
    assert (summary["retry"], summary["failed"], summary[HOST_BLOCKED]) == (2, 0, None), summary


def test_check_finds_a_host_block_at_mail_from(make_project: MakeProject) -> None:
    """``check``'s probe says MAIL FROM as a send would: a host refused there is a problem, exit 1."""
    with MailFromRefused(f"554 {RBL}") as server:
        config = make_project(people(2), **smtp(server.port))
        checked = greeter_process(config, "check")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    line = next(line for line in checked.stdout.splitlines() if line.startswith("mail server:"))
    assert HOST_FIX in line and "on zen.spamhaus.org" in line, line
    assert "the server refuses greeter's host (554 5.7.1 Service unavailable; Client host" in checked.stderr
    assert "send would stop at it" in checked.stderr, checked.stderr


def test_the_daemon_logs_delivery_halted_with_reason_host_blocked(make_project: MakeProject) -> None:
    """``greeter run``: each run stops at the first refusal and logs one ``delivery_halted`` error
    (``reason: host_blocked``) with the fix, recording nothing."""
    from tests.test_daemon import run_args, states

    with SmtpSink() as sink:
        config = make_project(people(6), schedule={"cron": "* * * * *"}, **smtp(sink.port, pool_size=2))
        for i in range(1, 7):
            sink.reject(f"client{i}@example.com", 554, RBL)
        with DaemonProcess(config, *run_args(NOW, "--speed", "60")) as daemon:
            daemon.wait_for("run")
            time.sleep(1.0)
            assert daemon.stop() == 0, daemon.output()
            halted = daemon.named("delivery_halted")
        assert sink.messages == []
    assert halted and {e["reason"] for e in halted} == {HOST_BLOCKED}, daemon.output()
    assert all(HOST_FIX in e["error"] for e in halted), halted
    assert states(config) == {}, "never at DATA: given back, not failed"
