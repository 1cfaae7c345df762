"""``send --once --json`` prints its summary on stdout whatever stopped it, so ``| jq`` pipelines work.

Found by an SRE: with the SQLite journal held by another sender, or the
PostgreSQL journal down, ``send --once --json`` exited 75 with only a line
of text on stderr and nothing on stdout — a ``jq`` after it failed on empty
input instead of reading the reason. Now the summary has the shape of every
other outcome, with the reason in ``journal_unavailable`` (as ``login_refused``
carries a refused login's); a contacts database that does not answer, in
``contacts_unavailable`` (tests/test_contacts_down.py).
"""

from __future__ import annotations

import json
from typing import Any

from greeter.testing import SmtpSink, free_port
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, greeter_process, people, smtp

#: Every key of the summary, whatever the outcome (``letters``: null unless --dry-run).
KEYS = {
    "now", "dry_run", "due", "recovered_uncertain", "sent", "retry", "failed", "uncertain",
    "render_error", "render_error_merged", "skipped", "replies", "rows_rejected", "contact_problems",
    "stopped_by", "left_unsent",
    "expired", "quota_unsent", "quota_expiring", "quota_free_at", "throttled", "throttle_unsent", "throttled_until", "next_send", "next_letter", "planned_through",
    "awaiting_approval_before_next", "next_letter_held",
    "login_refused", "login_mismatch", "security_mismatch", "relay_denied", "helo_rejected", "sender_rejected",
    "host_blocked",
    "journal_unavailable", "contacts_unavailable",
    "config_error", "letters", "first_run",
}  # fmt: skip


def _summary(stdout: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdout)
    assert set(data) == KEYS, sorted(set(data) ^ KEYS)
    return data


def test_the_summary_of_a_send_that_ran_has_every_key(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        result = greeter_process(config, "send", "--once", "--now", NOW, "--json")
    assert result.returncode == 0, result.stderr
    summary = _summary(result.stdout)
    assert (summary["due"], summary["sent"], summary["journal_unavailable"]) == (2, 2, None)
    assert summary["contacts_unavailable"] is None


def test_a_journal_held_by_another_sender_is_said_in_the_json_summary(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW) as daemon:  # the other sender, holding the journal
            daemon.wait_for("run")
            result = greeter_process(config, "send", "--once", "--now", NOW, "--json")
            assert daemon.stop() == 0
    assert result.returncode == 75, result.stderr
    summary = _summary(result.stdout)
    assert summary["journal_unavailable"].startswith("another greeter is already sending"), summary
    assert (summary["due"], summary["sent"], summary["retry"]) == (None, 0, 0)
    assert "another greeter is already sending" in result.stderr  # and said for a person, as before


def test_a_postgresql_journal_that_is_down_is_said_in_the_json_summary(make_project: MakeProject) -> None:
    down = f"postgresql://greeter@127.0.0.1:{free_port()}/test?schema=nowhere"  # nothing listens there
    with SmtpSink() as sink:
        config = make_project(people(1), storage={"url": down}, **smtp(sink.port))
        result = greeter_process(config, "send", "--once", "--now", NOW, "--json")
        assert not sink.messages
    assert result.returncode == 75, result.stderr
    summary = _summary(result.stdout)
    assert "nothing was sent" in summary["journal_unavailable"], summary
    assert "127.0.0.1" in summary["journal_unavailable"] and summary["sent"] == 0
