"""A login problem in the middle of a batch: the letters it caught before DATA are given back.

``greeter send --once`` (the real CLI) against an in-process aiosmtpd server
(:class:`greeter.testing.SmtpSink`) that takes a number of letters and then
answers every MAIL FROM with ``530 5.7.0 Authentication required`` — a relay
whose policy changed under a running sender, or a login that expired. The
batch stops at the first 530 (``Deliverer.halt``); the letters already
claimed at that moment — one per pooled connection at most — never reached
DATA, and used to be recorded ``retry`` with an attempt and a backoff.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import LATER, NOW, greeter, history, people, smtp

#: Past the retries' backoff (``retry.initial_seconds`` 60) after :data:`LATER`.
LAST = "2027-04-14T11:10:00+03:00"


class LoginDemandedAfter(SmtpSink):
    """Takes the first ``free`` MAIL FROM commands, then answers each with a 530 (no AUTH offered)."""

    def __init__(self, free: float) -> None:
        super().__init__()
        self.free = free
        self.mails = 0

    async def handle_MAIL(  # aiosmtpd hook names are upper-case
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        with self._lock:
            self.mails += 1
            allowed = self.mails <= self.free
        if not allowed:
            return "530 5.7.0 Authentication required"
        return str(await super().handle_MAIL(server, session, envelope, address, mail_options))


def test_letters_caught_by_a_530_mid_batch_are_given_back_not_put_in_retry(make_project: MakeProject) -> None:
    """10 letters go out, then the server demands a login: the letters claimed when the 530 came
    were journaled ``retry`` (attempt 1, a backoff) though the server never got them. Now they
    are unclaimed like the rest; after the fix every letter leaves on its first attempt."""
    with LoginDemandedAfter(free=10) as sink:
        config = make_project(people(30), **smtp(sink.port, pool_size=4))
        halted = greeter(config, "send", "--once", "--json", "--now", NOW)
        assert halted.returncode == 2, halted.stdout + halted.stderr
        assert len(sink.messages) == 10 and sink.mails > 10, "the 530 came mid-batch"
        summary = json.loads(halted.stdout)
        states = Counter(r["state"] for r in history(config))
        assert states == {"sent": 10}, states  # nothing in retry: no attempt counted for a 530
        assert (summary["sent"], summary["retry"], summary["failed"], summary["uncertain"]) == (10, 0, 0, 0)
        text = greeter(config, "send", "--once", "--now", NOW)
        assert text.returncode == 2 and re.search(r"\b20 left unsent for the next run", text.stdout), (
            text.stdout
        )
        sink.free = math.inf  # the operator fixed it
        fixed = greeter(
            config, "send", "--once", "--json", "--now", NOW
        )  # at once: nothing waits for a backoff
        assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 20, fixed.stdout + fixed.stderr
        ids = sink.message_ids()
    assert len(ids) == len(set(ids)) == 30
    rows = history(config)
    assert {r["state"] for r in rows} == {"sent"} and {r["attempts"] for r in rows} == {1}


def test_a_due_retry_caught_by_a_530_keeps_its_attempt_count_and_stays_due(make_project: MakeProject) -> None:
    """A retry whose second attempt met the 530 was counted as that attempt (2) and put off by
    another backoff: now it stays at attempt 1, due, and the run after the fix sends it."""
    with SmtpSink() as first:
        config = make_project(people(3), **smtp(first.port, pool_size=1))
        first.fail_next(3, 451)
        assert greeter(config, "send", "--once", "--now", NOW).returncode == 75
    assert {(r["state"], r["attempts"]) for r in history(config)} == {("retry", 1)}
    with LoginDemandedAfter(free=0) as sink:
        make_project(people(3), **smtp(sink.port, pool_size=1))
        halted = greeter(config, "send", "--once", "--json", "--now", LATER)
        assert halted.returncode == 2, halted.stdout + halted.stderr
        assert sink.mails >= 1 and sink.messages == []
        assert json.loads(halted.stdout)["retry"] == 0
        rows = history(config)
        assert {(r["state"], r["attempts"], r["last_reply"]) for r in rows} == {
            ("retry", 1, rows[0]["last_reply"])
        }
        assert rows[0]["last_reply"].startswith("451"), "the server's real answer, not the 530"
        sink.free = math.inf
        fixed = greeter(config, "send", "--once", "--json", "--now", LATER)  # still due: no new backoff
        assert fixed.returncode == 0 and json.loads(fixed.stdout)["sent"] == 3, fixed.stdout + fixed.stderr
    assert {(r["state"], r["attempts"]) for r in history(config)} == {("sent", 2)}
