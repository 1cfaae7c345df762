"""A retry's "next retry due" is when it can really leave: inside its recipient's send window.

Found by an operator at 17:25 with the window closing at 17:30 (18:00 less the last half hour):
the server answered 451, and ``send`` said ``next retry due 17:41:01`` — then, at 17:45,
``next retry due 17:57:01`` — while the letter really waited for the window to open at 10:00
the next morning. The daemon woke at those moments for nothing, and ``next_send`` in the JSON
(what a wrapper sleeps until) said the same. Through the real CLI, a real SMTP server's 4xx.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from click.testing import CliRunner

from greeter.cli import main
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_send_e2e import people, smtp

#: Wednesday 14 April 2027, 17:25 in Moscow (the config's zone); the window ends at 17:30.
EVENING = "2027-04-14T17:25:00+03:00"
#: When the window opens next: Thursday 10:00.
OPENS = datetime.fromisoformat("2027-04-15T10:00:00+03:00")


def test_a_retry_refused_near_the_window_s_end_is_due_when_the_window_opens(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        settings = smtp(sink.port)
        settings["delivery"]["retry"] = {"initial_seconds": 960}  # 16 minutes: past 17:30
        config = make_project(people(1, day="14.04.1980"), **settings)
        sink.fail_next(1, 451)
        runner = CliRunner()
        result = runner.invoke(main, ["--config", str(config), "send", "--once", "--now", EVENING])
        assert result.exit_code == 75, result.output  # every letter got a 4xx
        assert "next retry due 2027-04-15 10:00" in result.stdout, result.stdout
        stored = sqlite3.connect(config.parent / "data" / "journal.sqlite3")
        (raw,) = stored.execute("SELECT next_attempt_at FROM greetings").fetchone()
        stored.close()
        assert datetime.fromisoformat(raw) < OPENS, "the journal keeps the backoff's own moment"
        # Twenty minutes later, the window closed: nothing goes, and the next try is still tomorrow.
        later = runner.invoke(
            main, ["--config", str(config), "send", "--once", "--json", "--now", "2027-04-14T17:45:00+03:00"]
        )
        assert later.exit_code == 0, later.output
        report = json.loads(later.stdout)
        assert report["sent"] == 0
        assert datetime.fromisoformat(report["next_send"]) == OPENS
    assert len(sink.messages) == 0
