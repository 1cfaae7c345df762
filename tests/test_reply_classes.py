"""What an SMTP refusal means for the client and for us: no such mailbox, a policy block, or our
own authentication (SPF/DKIM/DMARC) refused.

A "no such mailbox" suppresses the address; a spam or policy block must not (it is about our
mail, not the client); a refusal of our mail as unauthenticated (RFC 7372 5.7.2x) is neither a
final ``failed`` nor a suppression: the letters wait in ``retry`` while the DNS is fixed, the
batch stops pushing into the block, and delivery reads as degraded with the cause named.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from greeter.delivery_health import delivery_problem
from greeter.delivery_summary import Summary
from greeter.journal import Journal
from greeter.reply_classes import classify_reply
from greeter.testing import SmtpSink
from greeter.transport import Outcome, held_back
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_ops_probes import _get
from tests.test_send_e2e import LATER, NOW, greeter_process, history, people, smtp

KEY = ("1", "birthday", date(2027, 4, 13))
GMAIL_DMARC = (
    "5.7.26 This mail has been blocked because the sender is unauthenticated. "
    "Gmail requires all senders to authenticate with either SPF or DKIM."
)

#: Replies that say the mailbox does not exist or is disabled: the address goes on the list.
NO_MAILBOX = [
    (550, "5.7.1 No such user!"),  # Yandex
    (550, "5.2.1 The email account that you tried to reach is disabled."),  # Gmail
    (550, "5.2.1 <***@att.net>... Addressee unknown, relay=[1.2.3.4]"),  # AT&T
    (550, "5.4.1 Recipient address rejected: Access denied. AS(201806281)"),  # Exchange Online DBEB
    (552, "5.2.1 <x@anonaddy.me>: Recipient address rejected: User disabled"),
    (550, "Message was not accepted -- invalid mailbox"),  # Mail.ru
    (550, "user not found"),  # Mail.ru
    (554, "5.7.1 <x@example.com>: User unknown in virtual mailbox table"),
    (550, "5.1.1 The email account that you tried to reach does not exist."),  # Gmail, as before
    (553, "5.1.3 Mailbox name not allowed"),
    (550, "No such user here"),  # RFC 5321's words, no enhanced status
]

#: Refusals of our mail (spam, policy, reputation, authentication): never a suppression.
NOT_NO_MAILBOX = [
    (554, "5.7.1 Message rejected as spam"),
    (550, "5.7.1 Service unavailable; client host [1.2.3.4] blocked using zen.spamhaus.org"),
    (550, "5.7.1 Message rejected under suspicion of SPAM"),
    (550, "5.7.26 " + GMAIL_DMARC[7:]),
    (550, "5.4.1 No answer from host"),  # 5.4.1 alone is routing, not DBEB
    (554, "5.7.1 <x@example.com>: Recipient address rejected: Access denied"),  # a Postfix policy REJECT
    (552, "5.2.2 Mailbox full"),
    (550, "5.2.0 Message rejected: too many recipients"),
    # RFC 7504's 521: the host refuses *us* (AOL's IP block), its 5.2.1 is no disabled mailbox
    (521, "5.2.1 : AOL will not accept delivery of this message."),
    (521, "5.2.1 Service unavailable. Please try again later."),
]

#: RFC 7372 (and RFC 7505's 5.7.27): our sender authentication failed.
SENDER_AUTH = [
    (550, GMAIL_DMARC),
    (550, "5.7.20 No passing DKIM signature found"),
    (550, "5.7.21 No acceptable DKIM signature found"),
    (550, "5.7.22 No valid author-matched DKIM signature found"),
    (550, "5.7.23 SPF validation failed"),
    (550, "5.7.24 SPF validation error"),
    (550, "5.7.25 Reverse DNS validation failed"),
    (550, "5.7.27 Sender address has null MX"),
    # DMARC named in words behind a generic 5.7.1 (Gmail; Exim), and Exchange Online's own codes
    (550, "5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"),
    (550, "5.7.1 This message was not accepted due to domain owner DMARC policy (RFC 7489)"),
    (550, "5.7.509 Access denied, sending domain example.com does not pass DMARC verification"),
    (550, "5.7.515 Access denied, sending domain example.com doesn't meet the required authentication level"),
]


#: 4xx replies: a retry, whatever the words say.
TEMPORARY = [
    (451, "4.2.1 No such user, try later"),
    (421, "user unknown"),
    (451, "4.7.24 SPF validation error"),
]


def test_which_replies_suppress_the_address() -> None:
    """One table: each reply, at RCPT and after DATA, and whether it suppresses the address.

    A server may refuse a mailbox only at the final dot: the words say the same then. The
    spam, policy and authentication refusals are there to show the words never reach them.
    """
    table = [(code, text, True) for code, text in NO_MAILBOX]
    table += [(code, text, False) for code, text in NOT_NO_MAILBOX + TEMPORARY + SENDER_AUTH]
    wrong = [
        (code, text, accepted)
        for code, text, unknown in table
        for accepted in (False, True)
        if classify_reply(KEY, code, text, recipient_accepted=accepted).unknown_user != unknown
    ]
    assert wrong == []
    assert {classify_reply(KEY, code, text).outcome for code, text in NO_MAILBOX} == {Outcome.PERMANENT}


@pytest.mark.parametrize(("code", "text"), SENDER_AUTH)
def test_our_failed_authentication_is_a_retry_and_a_server_fault_never_a_suppression(
    code: int, text: str
) -> None:
    result = classify_reply(KEY, code, text, recipient_accepted=True)
    assert result.outcome is Outcome.TEMPORARY and not result.unknown_user
    assert result.fault == result.reply == f"{code} {text}"  # the breaker counts it; the summary shows it


def test_a_run_refused_as_unauthenticated_is_degraded_with_the_cause_named() -> None:
    """Even with letters sent (another domain's server checks less): they wait for a DNS fix."""
    reply = f"550 {GMAIL_DMARC}"
    summary = Summary()
    summary.counts.update(sent=3, retry=6)
    summary.replies[("retry", reply)] += 2
    summary.replies[("retry", held_back(reply))] += 4
    problem = delivery_problem(summary)
    assert problem is not None
    assert problem.startswith(
        f"the receiving server rejects our mail as unauthenticated (SPF/DKIM/DMARC: {reply})"
    )
    assert "fix the sender domain's DNS records or delivery.dkim" in problem
    assert problem.endswith("the letters are retried until their deadline")
    plain = Summary()  # a 4xx among letters sent: the server works, the retry goes out by itself
    plain.counts.update(sent=3, retry=1)
    plain.replies[("retry", "451 4.7.1 greylisted")] += 1
    assert delivery_problem(plain) is None


# --- end to end: the real CLI, a real SMTP server, a real journal --------------------------------


def _suppressed(config: Any) -> set[str]:
    url = f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}"
    with Journal.open(url, now=datetime.fromisoformat(NOW)) as journal:
        return set(journal.suppressed())


@pytest.mark.parametrize("at", ["RCPT", "DATA"])
def test_a_server_refusing_our_mail_as_unauthenticated_leaves_every_letter_in_retry(
    make_project: MakeProject, at: str
) -> None:
    """A broken SPF/DMARC on the first New Year send made every letter a final ``failed``, with
    no command to send it again: now they wait in ``retry`` (until their deadline), nobody is
    suppressed, the batch stops after the pool's worth of refusals, and the run exits 75."""
    with SmtpSink() as sink:
        if at == "RCPT":
            for n in range(1, 7):
                sink.reject(f"client{n}@example.com", 550, GMAIL_DMARC)
        else:
            sink.fail_next(6, 550, GMAIL_DMARC)
        config = make_project(people(6), **smtp(sink.port, pool_size=2))
        result = greeter_process(config, "send", "--once", "--now", NOW)
        refused = len(sink.refused)
    assert result.returncode == 75, result.stdout + result.stderr
    assert "sent: 0; retry: 6; failed: 0" in result.stdout, result.stdout
    assert refused == 2  # the breaker stopped handing letters into the block
    lines = [  # one reason; with it, perhaps what to fix (never "failed"); a new journal's first-run line
        line  # and the example config's sender, said before the run
        for line in result.stderr.splitlines()
        if not line.startswith(("first run on a new journal:", "warning: letters go out by SMTP"))
    ]
    assert lines[0] == f"retry ×6: 550 {GMAIL_DMARC} (2 tried, 4 not attempted after that)", lines
    assert all(line.startswith("the receiving server rejects our mail") for line in lines[1:]), lines
    rows = history(config)
    assert {r["state"] for r in rows} == {"retry"}
    assert {r["last_reply"] for r in rows} == {
        f"550 {GMAIL_DMARC}",
        f"not attempted: 550 {GMAIL_DMARC}; retried later",
    }
    assert _suppressed(config) == set()


def test_a_yandex_no_such_user_is_suppressed_and_a_spam_block_is_not(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        sink.reject("client1@example.com", 550, "5.7.1 No such user!")
        sink.reject("client2@example.com", 554, "5.7.1 Message rejected as spam")
        config = make_project(people(3), **smtp(sink.port))
        result = greeter_process(config, "send", "--once", "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "sent: 1; retry: 0; failed: 2" in result.stdout, result.stdout
    assert _suppressed(config) == {"client1@example.com"}


def test_the_daemon_is_degraded_and_names_the_cause_while_our_mail_is_refused_as_unauthenticated(
    make_project: MakeProject,
) -> None:
    """One client's server checks DMARC and refuses, another's takes the letter: the daemon still
    says "degraded", with what to fix — that retry waits for a DNS fix no retry brings."""
    with SmtpSink() as sink:
        sink.reject("client2@example.com", 550, GMAIL_DMARC)
        config = make_project(people(2), **smtp(sink.port))
        with DaemonProcess(config, "--now", LATER, "--listen", "127.0.0.1:0") as daemon:
            run = daemon.wait_for("run")
            status, body, _ = _get(daemon.url("/healthz"))
            assert daemon.stop() == 0
    assert (run["sent"], run["retry"], run["failed"]) == (1, 1, 0), run
    assert run["delivery"] == "degraded", run
    problem = json.loads(body)["delivery_problem"]
    assert status == 503 and problem == run["delivery_problem"], body
    assert problem.startswith(
        "the receiving server rejects our mail as unauthenticated (SPF/DKIM/DMARC: 550 5.7.26"
    )
    assert _suppressed(config) == set()
