"""A relay that refuses greeter itself — its host, its EHLO name, its envelope sender — stops the batch.

Real ``greeter send --once`` processes against an in-process aiosmtpd that answers
the refusal at RCPT TO (as Postfix does with ``smtpd_delay_reject=yes``, the
default) or at MAIL FROM, and a real SQLite journal. Before, every letter of the
batch was marked ``failed`` one after another (``failed ×8: 554 5.7.1 <***@…>:
Relay access denied``, exit 1): on 29 December, 40,000 New Year letters lost to
one setting. Now it is a halt of the 530 family: the letter that got it is given
back (it never reached DATA), the rest left unsent, exit 2, a line naming the
setting to fix, and the run after the fix sends every letter.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from typing import Any

import pytest

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import LATER, NOW, greeter_process, history, people, smtp

#: The ``send --json`` keys of the kinds (the ``delivery_halted`` line's ``reason``), and the words
#: of the summary line's clause. Spelled out, not imported: they are the contract scripts read.
RELAY_DENIED, HELO_REJECTED, SENDER_REJECTED = "relay_denied", "helo_rejected", "sender_rejected"
HALT_WORDS = {
    "login_refused": "login refused",
    "login_mismatch": "login settings do not fit the server",
    "security_mismatch": "security setting does not fit the server",
    RELAY_DENIED: "the server does not relay for this host",
    HELO_REJECTED: "the server refuses greeter's EHLO name",
    SENDER_REJECTED: "the server refuses the sender",
    "host_blocked": "the server refuses greeter's host (blocklist or client check)",
}

SENDER = "greetings@romashka.example"  # config.example.yaml's sender.email: the envelope sender

RELAY_FIX = "add it to the relay's trusted networks (Postfix mynetworks) or log in (delivery.smtp.username)"
HELO_FIX = "set delivery.smtp.helo_name to this host's fully qualified name"
SENDER_FIX = "check sender.email (or delivery.return_path) and the domain's DNS"


class MailFromRefused(SmtpSink):
    """A sink that refuses MAIL FROM with ``refusal`` (until :attr:`refusal` is set to None)."""

    def __init__(self, refusal: str) -> None:
        super().__init__()
        self.refusal: str | None = refusal
        self.mail_froms = 0

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.refusal is None:
            return await super().handle_MAIL(server, session, envelope, address, mail_options)
        self.mail_froms += 1
        return self.refusal


@pytest.mark.parametrize(
    ("code", "text", "kind", "said", "fix"),
    [
        (
            554,
            "5.7.1 <{rcpt}>: Relay access denied",  # Postfix reject_unauth_destination
            RELAY_DENIED,
            "the server does not relay for this host (554 5.7.1 <***@example.com>: Relay access denied)",
            RELAY_FIX,
        ),
        (
            550,
            "5.7.54 SMTP; Unable to relay recipient in non-accepted domain",  # Exchange
            RELAY_DENIED,
            "the server does not relay for this host (550 5.7.54 SMTP; Unable to relay recipient in "
            "non-accepted domain)",
            RELAY_FIX,
        ),
        (
            550,
            "5.7.1 <{rcpt}>... Relaying denied",  # Sendmail
            RELAY_DENIED,
            "(550 5.7.1 <***@example.com>... Relaying denied)",
            RELAY_FIX,
        ),
        (
            504,
            "5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",  # Postfix
            HELO_REJECTED,
            "(504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname)",
            HELO_FIX,
        ),
        (
            553,
            f"5.7.1 <{SENDER}>: Sender address rejected: not owned by user greeter",  # Postfix
            SENDER_REJECTED,
            f"the server refuses the sender <{SENDER}> (553 5.7.1 <***@romashka.example>: "
            "Sender address rejected: not owned by user greeter)",
            SENDER_FIX,
        ),
        (
            550,
            f"5.1.0 <{SENDER}>: Sender address rejected: Domain not found",  # a 5.1.x: was "unknown user"
            SENDER_REJECTED,
            "Sender address rejected: Domain not found)",
            SENDER_FIX,
        ),
    ],
    ids=[
        "postfix-relay",
        "exchange-relay",
        "sendmail-relay",
        "postfix-helo",
        "sender-owner",
        "sender-domain",
    ],
)
def test_a_relay_refusing_greeter_at_rcpt_stops_the_batch_gives_back_the_letters_and_exits_2(
    make_project: MakeProject, code: int, text: str, kind: str, said: str, fix: str
) -> None:
    """Every recipient gets the refusal at RCPT TO: was 8 × ``failed`` (a 5.1.0 sender refusal even
    suppressed the recipients' addresses), exit 1. Now the batch stops at the first, nothing is
    recorded, the JSON key of the kind says what to fix, and the run after the fix sends all 8."""
    with SmtpSink() as sink:
        config = make_project(people(8), **smtp(sink.port, pool_size=2))
        for i in range(1, 9):
            rcpt = f"client{i}@example.com"
            sink.reject(rcpt, code, text.format(rcpt=rcpt))
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        refusals = len(sink.refused)
        states = Counter(r["state"] for r in history(config))
        again = greeter_process(config, "send", "--once", "--now", NOW)
        sink.reset()  # the relay's setting is fixed: it takes every letter
        fixed = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        delivered = len(sink.messages)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["failed"], summary["uncertain"]) == (0, 0, 0, 0)
    assert states == {}, "never at DATA: given back, no attempt counted, nothing failed"
    assert refusals <= 2, "one refusal per pooled connection at most, not one per letter"
    words = summary[kind]
    assert words is not None and said in words and fix in words, words
    assert words.startswith("127.0.0.1:"), words
    assert all(summary[other] is None for other in HALT_WORDS if other != kind), summary
    assert "client1@example.com" not in refused.stdout + refused.stderr  # the recipient stays masked
    assert said in refused.stderr and "the batch stopped there" in refused.stderr, refused.stderr
    assert again.returncode == 2, again.stdout + again.stderr
    assert "failed: 0; uncertain: 0" in again.stdout, again.stdout
    assert f"{HALT_WORDS[kind]}: 8 left unsent for the next run" in again.stdout, again.stdout
    assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 8, fixed.stdout + fixed.stderr
    assert delivered == 8 and {r["state"] for r in history(config)} == {"sent"}  # none suppressed


@pytest.mark.parametrize(
    "refusal",
    [
        f"553 5.1.8 <{SENDER}>... Domain of sender address {SENDER} does not exist",  # Sendmail
        f"553 5.7.1 <{SENDER}>: Sender address rejected: Access denied",  # Postfix check_sender_access
    ],
    ids=["sendmail", "postfix"],
)
def test_a_sender_refused_at_mail_from_stops_the_batch_instead_of_retrying_every_letter(
    make_project: MakeProject, refusal: str
) -> None:
    """A refused envelope sender at MAIL FROM put every letter in retry, run after run, until they
    expired (exit 75). Now the batch stops there: exit 2, ``sender_rejected`` names the sender."""
    with MailFromRefused(refusal) as sink:
        config = make_project(people(6), **smtp(sink.port, pool_size=2))
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        asked = sink.mail_froms
        states = Counter(r["state"] for r in history(config))
        sink.refusal = None
        fixed = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        delivered = len(sink.messages)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["failed"], summary["uncertain"]) == (0, 0, 0, 0)
    assert states == {} and asked <= 2, (states, asked)
    words = summary[SENDER_REJECTED]
    assert words is not None and f"the server refuses the sender <{SENDER}>" in words, words
    assert SENDER_FIX in words, words
    assert summary[RELAY_DENIED] is None and summary["login_mismatch"] is None
    assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 6, fixed.stdout + fixed.stderr
    assert delivered == 6


class EhloRefused(SmtpSink):
    """A sink that refuses EHLO itself (Postfix's HELO restrictions with ``smtpd_delay_reject=no``)."""

    def __init__(self, refusal: str) -> None:
        super().__init__()
        self.refusal: str | None = refusal

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        if self.refusal is None:
            return await super().handle_EHLO(server, session, envelope, hostname, responses)
        return [self.refusal]


def refused_at_ehlo_then_fixed(
    make_project: MakeProject, refusal: str, letters: int
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]], subprocess.CompletedProcess[str], int]:
    """A send to a sink that refuses EHLO with ``refusal``, then one after it stops refusing: the
    first send, the journal's rows after it, the second send, and the letters the sink received."""
    with EhloRefused(refusal) as sink:
        config = make_project(people(letters), **smtp(sink.port, pool_size=2))
        refused = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        rows = history(config)
        sink.refusal = None
        fixed = greeter_process(config, "send", "--once", "--json", "--now", LATER)
        return refused, rows, fixed, len(sink.messages)


def test_an_ehlo_name_refused_at_ehlo_itself_stops_the_batch_too(make_project: MakeProject) -> None:
    """The same HELO restriction said at EHLO (``smtpd_delay_reject=no``) was "cannot open a
    connection": every letter in retry, exit 75. Now it is ``helo_rejected``, claiming nothing."""
    refusal = "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname"
    refused, rows, fixed, delivered = refused_at_ehlo_then_fixed(make_project, refusal, 6)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["sent"], summary["retry"], summary["failed"], summary["uncertain"]) == (0, 0, 0, 0)
    words = summary[HELO_REJECTED]
    assert words is not None and f"({refusal}): {HELO_FIX}" in words, words
    assert rows == [], "nothing claimed"
    assert fixed.returncode == 0 and delivered == 6, fixed.stdout + fixed.stderr


def test_a_refusal_of_one_letter_stays_that_letters_failed(make_project: MakeProject) -> None:
    """Conservative: a recipient's own refusals — an unknown user (Postfix's "in relay recipient
    table" names the relay, not a denial), a 5.7.1 spam block — fail that letter alone, as before."""
    with SmtpSink() as sink:
        config = make_project(people(4), **smtp(sink.port, pool_size=2))
        sink.reject(
            "client1@example.com",
            550,
            "5.1.1 <client1@example.com>: Recipient address rejected: User unknown in relay recipient table",
        )
        sink.reject("client2@example.com", 554, "5.7.1 Message rejected as spam")
        result = greeter_process(config, "send", "--once", "--json", "--now", NOW)
        assert len(sink.messages) == 2
    summary = json.loads(result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (summary["sent"], summary["failed"]) == (2, 2), summary
    assert all(summary.get(kind) is None for kind in HALT_WORDS), summary


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("554 5.7.1 <a@b.example>: Relay access denied", RELAY_DENIED),
        ("550 relay not permitted", RELAY_DENIED),  # Exim's default configuration
        ("550 5.7.64 TenantAttribution; Relay Access Denied", RELAY_DENIED),  # Exchange Online
        ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", RELAY_DENIED),  # qmail
        ("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", HELO_REJECTED),
        ("550 HELO/EHLO must contain a FQDN", HELO_REJECTED),
        ("550 5.1.0 <f@x.example>: Sender address rejected: Domain not found", SENDER_REJECTED),
        ("550 Sender verify failed", SENDER_REJECTED),  # Exim
        ("550 5.7.60 SMTP; Client does not have permissions to send as this sender", SENDER_REJECTED),
        ("553 5.1.7 The sender address <x> is not a valid RFC-5321 address", SENDER_REJECTED),
        ("550 5.1.1 user unknown", None),
        ("550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in relay recipient table", None),
        ("554 5.7.1 Message rejected as spam", None),
        # The client host on a blocklist: a halt of its own now (tests/test_host_blocked.py).
        ("550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org", "host_blocked"),
        ("550 5.2.1 Relay access denied", None),  # a mailbox status: not the relay's words
        ("550 5.7.26 Unauthenticated email from example.com is not accepted; relay access denied", None),
        ("454 4.7.1 <a@b.example>: Relay access denied", None),  # 4xx: the server's passing trouble
    ],
)
def test_what_counts_as_a_refusal_of_greeter_itself(reply: str, kind: str | None) -> None:
    from greeter.reply_classes import setup_refusal

    code, text = reply.split(" ", 1)
    assert setup_refusal(int(code), text) == kind


def test_the_daemon_stops_each_run_at_a_relay_denial_logs_one_error_and_claims_nothing(
    make_project: MakeProject,
) -> None:
    """``greeter run`` as for a 530: each run stops at the first relay denial, logs one
    ``delivery_halted`` error (``reason: relay_denied``) naming the setting, records nothing, and
    wakes again at the cron's time only — not a ``failed`` per letter, run after run."""
    from tests.test_daemon import run_args, states

    with SmtpSink() as sink:
        config = make_project(people(10), schedule={"cron": "* * * * *"}, **smtp(sink.port, pool_size=2))
        for i in range(1, 11):
            sink.reject(f"client{i}@example.com", 554, f"5.7.1 <client{i}@example.com>: Relay access denied")
        with DaemonProcess(config, *run_args(NOW, "--speed", "60")) as daemon:
            daemon.wait_for("run")
            time.sleep(2.0)  # a cron minute is a real second: a few more runs
            assert daemon.stop() == 0, daemon.output()
            runs, halted = daemon.finished_runs(), daemon.named("delivery_halted")
        assert sink.messages == []
    assert runs and len(runs) <= len(halted) <= len(daemon.named("run")), daemon.output()
    assert len(runs) <= 5, daemon.output()  # on the schedule, not again at once
    assert {e["level"] for e in halted} == {"error"} and {e["reason"] for e in halted} == {RELAY_DENIED}
    assert all(RELAY_FIX in e["error"] and "the batch stopped there" in e["error"] for e in halted), halted
    assert "client1@example.com" not in daemon.output()
    assert not daemon.named("greeting_problem")
    assert all(e["delivery"] == "degraded" and e["failed"] == e["uncertain"] == 0 for e in runs), runs
    assert states(config) == {}, "never at DATA: given back, not failed"


@pytest.mark.parametrize(
    ("sink", "kind", "fix"),
    [
        (lambda: MailFromRefused(f"553 5.7.1 <{SENDER}>: Sender address rejected: not owned by user g"),
         SENDER_REJECTED, SENDER_FIX),
        (lambda: EhloRefused("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname"),
         HELO_REJECTED, HELO_FIX),
    ],
    ids=["sender-at-mail-from", "ehlo"],
)  # fmt: skip
def test_check_finds_the_refusals_a_send_would_stop_at(
    make_project: MakeProject, sink: Any, kind: str, fix: str
) -> None:
    """QA: ``check`` said ``mail server: …: OK`` (or a mere "cannot connect" warning) and exit 0
    for a relay that ``send`` then stopped at with exit 2 and the fix."""
    with sink() as server:
        config = make_project(people(2), **smtp(server.port))
        checked = greeter_process(config, "check")
    assert checked.returncode == 1, checked.stdout + checked.stderr  # a problem, as the 530 mismatch
    line = next(line for line in checked.stdout.splitlines() if line.startswith("mail server:"))
    assert fix in line and "send would stop at it" not in line, line
    assert f"delivery.smtp: {HALT_WORDS[kind]}" in checked.stderr or HALT_WORDS[kind] in checked.stderr
    assert "send would stop at it" in checked.stderr, checked.stderr
