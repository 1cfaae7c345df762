"""The daemon's next wake-up survives a long run and a reload (real daemon, real SMTP sink, SQLite).

Found by an operator, both on a once-a-day cron:

* a run that outlasted its own next planned send (a slow server) went to
  sleep until the next cron tick — tomorrow — and the rest of the day's
  greetings waited for it;
* a successful SIGHUP forgot the next planned send (``/healthz``
  ``next_send_at`` became null) and the daemon slept until the next cron tick.

The rule itself is :func:`greeter.cron.next_wake` (its table is in test_daemon).
"""

from __future__ import annotations

import json
import signal
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people, smtp

DAILY = {"cron": "0 3 * * *"}
LISTEN = ("--listen", "127.0.0.1:0")
MOSCOW = ZoneInfo("Europe/Moscow")


def test_a_run_that_outlasts_its_next_send_runs_again_at_once(make_project: MakeProject) -> None:
    """The first letter is refused for now (451, retried a rehearsal minute later); the other three
    take a real second each, three rehearsal minutes: the retry's time has passed when the run ends."""
    with SmtpSink() as sink:
        sink.fail_next(1, 451)
        sink.delay(1.0)
        changes = smtp(sink.port, pool_size=1)
        changes["delivery"]["retry"] = {"initial_seconds": 60}
        config = make_project(people(4), schedule=DAILY, **changes)
        # a rehearsal minute a real second: the next cron tick (03:00 tomorrow) is 16 real minutes away
        with DaemonProcess(config, "--now", NOW, "--speed", "60", *LISTEN) as daemon:
            first = daemon.wait_for("run")
            assert (first["due"], first["sent"], first["retry"]) == (4, 3, 1)
            assert first["next_send"] is not None, "the retry's time"
            again = daemon.wait_for("run", lambda e: e["now"] > first["now"])
            assert again["sent"] == 1, again
            # it woke because the retry's time had passed during the first run, not for a cron tick
            assert datetime.fromisoformat(again["now"]) >= datetime.fromisoformat(first["next_send"])
            assert datetime.fromisoformat(again["now"]).astimezone(MOSCOW).date().isoformat() == "2027-04-14"
            assert daemon.stop() == 0
        assert len(sink.messages) == 4


def test_a_reload_keeps_the_next_send_and_the_day_s_letters_go_out(make_project: MakeProject) -> None:
    """Started at 09:00 on the birthday, before the window opens (10:00): the first run plans, a SIGHUP
    reloads, and the letters still leave that day, not at the next cron tick (03:00 the next day)."""
    with SmtpSink() as sink:
        rows = [contact_row(str(i), f"client{i}@example.com", birthday="14.04.1980") for i in range(1, 6)]
        config = make_project(rows, schedule=DAILY, **smtp(sink.port))
        # half an hour of rehearsal a real second: 10:00 is 2 s away, 03:00 tomorrow 36 s
        with DaemonProcess(
            config, "--now", "2027-04-14T09:00:00+03:00", "--speed", "1800", *LISTEN
        ) as daemon:
            first = daemon.wait_for("run")
            assert first["due"] == 0 and first["next_send"] is not None
            daemon.send_signal(signal.SIGHUP)
            daemon.wait_for("reloaded")
            for _ in range(10):  # a second (half an hour here) after the reload, it is still known
                health = json.loads(http(daemon.url("/healthz"))[1])
                assert health["next_send_at"] is not None, "the reload forgot the next send"
                time.sleep(0.1)
            daemon.wait_for("run", lambda e: e["now"] > first["now"])  # planned again
            sent = daemon.wait_for("run", lambda e: e["sent"] > 0)
            assert daemon.stop() == 0
    local = datetime.fromisoformat(sent["now"]).astimezone(MOSCOW)
    assert local.date().isoformat() == "2027-04-14" and 10 <= local.hour < 18, sent
    assert sink.messages
