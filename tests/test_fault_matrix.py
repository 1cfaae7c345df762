"""The fault matrix against a real MTA: Postfix's smtp-sink misbehaving in every way it can.

Each fault of ``tests/faults.py`` runs the real ``greeter send --once`` three
times (fault on; again before the retry backoff; after it, against a healthy
sink) on 50 due greetings, then compares the journal with the sinks' dumps.
``bench/fault_matrix.py`` prints the same matrix as a table.
"""

from __future__ import annotations

import asyncio
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from greeter.config import SmtpSettings
from greeter.smtp_transport import SmtpTransport
from greeter.testing import SMTP_SINK, DumpedMessage, SmtpSink
from greeter.transport import Outcome, SendResult
from tests.faults import FAULT_IDS, FAULTS, NOW, Fault, Result, SinkFaults, run_fault, table


def need_smtp_sink() -> None:
    """Skip (visibly) without Postfix's smtp-sink — except in CI, where it must be there."""
    if SMTP_SINK.exists():
        return
    reason = f"{SMTP_SINK} is not installed (Debian package postfix; .ci/run installs it in CI)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
def test_fault(fault: Fault, tmp_path: Path) -> None:
    need_smtp_sink()
    result = run_fault(fault, tmp_path, n=50)
    row = result.row()
    report = f"{fault.options}\n{table([row])}\nruns: {result.runs}\nstderr: {result.stderr[0][-2000:]}"
    print(report)
    # The invariants, spelled out (Result.violations checks each of them, and the fault's own rules).
    assert row["due"] == 50, report
    assert row["dup"] == 0, "a greeting was delivered twice\n" + report
    assert row["lost"] == 0, "a greeting was silently lost\n" + report
    assert result.violations() == [], report


def test_a_bare_550_after_data_refuses_the_letter_not_the_mailbox() -> None:
    """smtp-sink -A answers a bare ``550`` once the recipient was accepted: no reason to suppress them."""
    key = ("c-1", "birthday", date(2027, 4, 13))
    with SmtpSink() as sink:
        sink.fail_next(1, 550, "This violates SMTP")
        sink.reject("gone@example.com", 550, "User unknown")  # a bare 550 *at RCPT* still is one
        settings = SmtpSettings(host=sink.host, port=sink.port, pool_size=1, timeout_seconds=5)
        transport = SmtpTransport(settings, None, local_hostname="greeter.test")
        data = b"Subject: hi\r\nMessage-ID: <m1@romashka.example>\r\n\r\nhello\r\n"

        async def run() -> list[SendResult]:
            try:
                return [
                    await transport.send("hello@romashka.example", rcpt, data, key)
                    for rcpt in ("client1@example.com", "gone@example.com")
                ]
            finally:
                await transport.close()

        after_data, at_rcpt = asyncio.run(run())
    assert (after_data.outcome, after_data.code, after_data.unknown_user) == (Outcome.PERMANENT, 550, False)
    assert (at_rcpt.outcome, at_rcpt.unknown_user) == (Outcome.PERMANENT, True)


def test_the_checks_catch_a_duplicate_a_silent_loss_and_a_resent_uncertain_greeting() -> None:
    """The matrix is only as good as its checks: feed them a journal and a dump that break each rule."""

    def row(cid: str, state: str, mid: str, reply: str | None = "250 2.0.0 Ok") -> dict[str, Any]:
        email = f"client{cid}@example.com"
        return {"contact_id": cid, "state": state, "message_id": mid, "attempts": 1, "last_reply": reply,
                "email": email, "occasion": "birthday", "occasion_date": "2027-04-13"}  # fmt: skip

    def dump(mid: str, *, complete: bool = True, refused: bool = False) -> DumpedMessage:
        return DumpedMessage(Path(mid), mid, (), complete, refused)

    runs = [{"due": 5, "sent": 4, "uncertain": 1, "now": NOW}]
    runs += [{"due": 0, "now": NOW + timedelta(minutes=m)} for m in (1, 10)]
    journal = [
        row("1", "sent", "<a>"),  # received twice: a duplicate
        row("2", "sent", "<b>"),  # only a truncated and a refused copy arrived: lost
        row("3", "uncertain", "<c>", "connection lost"),  # left uncertain by run 1, yet sent by run 3
        row("4", "retry", "<d>", None),  # retry without the server's reply: lost
    ]  # contact 5: due, never journaled: lost
    dumps = [
        [dump("<a>"), dump("<a>"), dump("<b>", complete=False), dump("<c>")],
        [],
        [dump("<b>", refused=True), dump("<c>")],
    ]
    fault = Fault("x", "x", SinkFaults(), first=frozenset({"sent", "uncertain"}), every=True)
    result = Result(fault, 5, runs, journal, dumps, [[], [], []], uncertain_in={"<c>": 0})
    problems = "\n".join(result.violations())
    assert "duplicate: <a> received 2×" in problems
    assert "2: sent, but <b> is not in the dump" in problems
    assert "<c>: uncertain after run 1, but sent again by run 3" in problems
    assert "contact 4: retry without the server's reply" in problems
    assert "contact 5: due, but not in the journal" in problems
    assert "run 1: 5 due, expected 5" not in problems
    assert "duplicate: <c> received 2×" in problems
    assert (result.row()["dup"], result.row()["lost"], result.row()["received"]) == (2, 3, 2)
