"""After a relay denial, the daemon's probe must ask what the batch was refused, not just say EHLO.

A real ``greeter run`` subprocess, an in-process aiosmtpd that answers every RCPT TO with
Postfix's ``554 5.7.1 <…>: Relay access denied``, and a real SQLite journal. The batch halts
(``relay_denied``) and the daemon is degraded. Then a lunch break in the send window leaves
runs with nothing due, and those runs probe the server.
The probe only connected and said EHLO, which a relay still refusing every letter answers: the
daemon turned "ok" (``/healthz`` 200, ``greeter_delivery_degraded 0``) while nothing could leave.
Now the probe goes as far as the halt did — MAIL FROM and RCPT TO, then RSET, no DATA — so the
daemon stays degraded until the relay takes the envelope, then the held letters leave once.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_daemon import run_args, states
from tests.test_send_e2e import greeter_process, people, smtp

#: Forty minutes before the lunch break (Wednesday, Moscow): start-up takes a few minutes at 600×.
BEFORE_LUNCH = "2027-04-14T12:20:00+03:00"
#: Half an hour with nothing due: three seconds of runs at 600×.
LUNCH = {"send_window": {"lunch": {"start": "13:00", "end": "13:30"}}}
RELAY_WORDS = "the server does not relay for this host (554 5.7.1 <***@example.com>: Relay access denied)"


def relay_denying(sink: SmtpSink, make_project: MakeProject) -> Path:
    """A project of three clients, each refused by ``sink`` at RCPT TO as a relay refuses a host it
    does not relay for; a run every five minutes and a half-hour lunch with nothing due."""
    for i in (1, 2, 3):
        sink.reject(f"client{i}@example.com", 554, f"5.7.1 <client{i}@example.com>: Relay access denied")
    return make_project(people(3), schedule={"cron": "*/5 * * * *"}, **LUNCH, **smtp(sink.port))


def _idle(event: dict[str, object]) -> bool:
    return event["due"] == 0 and "interrupted" not in event


def test_a_relay_still_refusing_keeps_the_daemon_degraded_until_it_takes_the_envelope(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = relay_denying(sink, make_project)
        # 10 minutes of schedule a real second: a run every half second
        with DaemonProcess(config, *run_args(BEFORE_LUNCH, "--speed", "600")) as daemon:
            halted = daemon.wait_for("run", lambda e: e["due"] > 0)
            first = daemon.wait_for("run", lambda e: _idle(e) and e["now"] > halted["now"])  # lunch: probed
            asked = len(sink.refused)
            second = daemon.wait_for("run", lambda e: _idle(e) and e["now"] > first["now"])
            status, body = http(daemon.url("/healthz"))
            metrics = http(daemon.url("/metrics"))[1]
            probed = len(sink.refused) - asked  # only the probes of idle runs since
            sink.reset()  # the relay now trusts greeter's host
            back = daemon.wait_for("run", lambda e: e["delivery"] == "ok" and e["now"] > second["now"])
            sent = daemon.wait_for("run", lambda e: e["sent"] > 0)
            time.sleep(1.0)  # a few more runs: nothing is sent twice
            assert daemon.stop() == 0, daemon.output()
            delivered = sorted(m.rcpt_tos for m in sink.messages)
    assert halted["delivery"] == "degraded" and halted["sent"] == 0, halted
    for idle in (first, second):
        assert idle["delivery"] == "degraded", daemon.output()
        assert RELAY_WORDS in str(idle["delivery_problem"]), idle
    health = json.loads(body)
    assert status == 503 and health["status"] == "degraded", body
    assert RELAY_WORDS in str(health["delivery_problem"]), body
    assert re.search(r"^greeter_delivery_degraded 1\.0$", metrics, re.M), metrics
    assert probed >= 1, "the idle run's probe went as far as RCPT TO"
    assert back["level"] == "info" and back.get("delivery_problem") is None, back
    assert sent["delivery"] == "ok" and sent["sent"] == 3, sent
    assert delivered == [("client1@example.com",), ("client2@example.com",), ("client3@example.com",)]
    assert states(config) == {"sent": 3}


def test_the_probe_never_puts_an_address_erased_since_in_its_envelope(make_project: MakeProject) -> None:
    """The probe kept sending RCPT TO the halted batch's first address after ``greeter forget`` had
    erased it and put it on the do-not-contact list (QA): an erased address went to the relay on
    every idle run. Now the probe leaves it out (it stops at MAIL FROM)."""
    with SmtpSink() as sink:
        config = relay_denying(sink, make_project)
        with DaemonProcess(config, *run_args(BEFORE_LUNCH, "--speed", "600")) as daemon:
            halted = daemon.wait_for("run", lambda e: e["due"] > 0)
            first = daemon.wait_for("run", lambda e: _idle(e) and e["now"] > halted["now"])
            probed = len(sink.refused)
            erased = greeter_process(
                config, "forget", "--yes", *(f"client{i}@example.com" for i in (1, 2, 3))
            )
            assert erased.returncode == 0, erased.stdout + erased.stderr
            # a run that began before the erasure may still have probed; the next one begins after it
            later = daemon.wait_for("run", lambda e: _idle(e) and e["now"] > first["now"])
            asked = len(sink.refused)
            next_run = daemon.wait_for("run", lambda e: _idle(e) and e["now"] > later["now"])
            daemon.wait_for("run", lambda e: _idle(e) and e["now"] > next_run["now"])
            after = sink.refused[asked:]
            assert daemon.stop() == 0, daemon.output()
    assert probed >= 2, "the halt, then an idle run's probe, each refused at RCPT TO"
    assert after == [], f"RCPT TO an erased address: {after}"
