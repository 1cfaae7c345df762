"""The advice after greetings a run recorded expired follows what expired them.

Support simulated months of operation with an SMTP server that was down for
days: the greeting expired after every attempt was refused ("cannot connect to
…", as ``history`` says), yet ``send``'s stderr advised running ``send --once``
every few minutes instead of once a day. The real CLI in-process, a real SQLite
journal, a port nothing listens on.
"""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.send_report import EXPIRED_HINT
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import smtp

#: A Moscow client whose birthday is Wednesday 9 December 2026.
VERA = contact_row("1029", "client29@example.com", birthday="09.12.1981")


def closed_port() -> int:
    """A local port nothing listens on: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def send(config: Path, now: str) -> Result:
    return CliRunner().invoke(
        main, ["--config", str(config), "send", "--once", "--now", now, "--really-deliver"]
    )


def test_a_greeting_the_server_refused_until_it_expired_is_said_so_not_the_cron_advice(
    make_project: MakeProject,
) -> None:
    config = make_project([VERA], **smtp(closed_port()))
    for day in ("09", "10", "11"):  # the afternoon each working day: every attempt refused
        run = send(config, f"2026-12-{day}T16:00:00+03:00")
        assert "expired" not in run.stderr, (day, run.stderr)
    lost = send(config, "2026-12-14T16:00:00+03:00")  # Monday: past catch_up_days 3
    assert lost.exit_code == 1, lost.output
    assert "expired ×1 (never sent: " in lost.stderr, lost.stderr
    assert EXPIRED_HINT not in lost.stderr and "every 10 minutes or more often" not in lost.stderr, (
        lost.stderr
    )
    said = lost.stderr.splitlines()[-1]
    assert said.startswith(
        "expired waiting to retry: the mail server refused or could not be reached at every attempt"
        " (last reply: cannot connect to 127.0.0.1:"
    ), said
    assert said.endswith(
        "check it and delivery.smtp (greeter history --state expired shows each one's reply)"
    )


def test_greetings_expired_some_after_refusals_some_never_tried_get_both_advices() -> None:
    from datetime import UTC, date, datetime

    from greeter.journal_store import JournalEntry
    from greeter.send_report import expired_hints

    def row(cid: str, attempts: int, reply: str | None, hour: int) -> JournalEntry:
        at = datetime(2026, 12, 14, hour, tzinfo=UTC)
        return JournalEntry(cid, "birthday", date(2026, 12, 9), "expired", "a@example.com", None, attempts,
                            reply, "expired", None, None, None, (), None, at, at, None)  # fmt: skip

    tried = [row("1", 3, "421 4.7.0 try later", 9), row("2", 2, "cannot connect to x:25", 10)]
    both = expired_hints([*tried, row("3", 0, None, 11)])
    assert both[0].startswith("2 of them expired waiting to retry: ")
    assert "(last reply: cannot connect to x:25)" in both[0]  # the latest reply
    assert both[1] == f"the others: {EXPIRED_HINT}"
    assert expired_hints([row("3", 0, None, 11)]) == [EXPIRED_HINT]
    assert expired_hints([]) == [EXPIRED_HINT]  # the journal could not say: the usual cause
