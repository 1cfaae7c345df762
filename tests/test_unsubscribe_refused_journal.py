"""A one-click opt-out the daemon must not write where it would be lost: a journal copied away, or newer.

Found by reading: ``copy-journal`` marks its source copied (greeter.journal_moved) and
``send`` refuses it, but a daemon left running on a PostgreSQL journal copied elsewhere
recorded the next one-click opt-out into that old journal — no longer the live one — and
answered "You are unsubscribed": the person's "no" was missing from the journal greeter
sent from. A shared journal a newer greeter upgraded got the older daemon's row too.
Real pieces: ``greeter run`` subprocesses with their listener, a real PostgreSQL schema,
real SQLite files, ``greeter copy-journal``.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

from greeter.unsubscribe import make_token, render_page
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_daemon import run_args
from tests.test_ops_probes import _get
from tests.test_pg_rolling_upgrade import migrate_elsewhere
from tests.test_send_e2e import greeter_process, people
from tests.test_unsubscribe import NEW, ONE_CLICK, suppressed, unsubscribe

ADDRESS = "client1@example.com"
ENGLISH = {"Accept-Language": "en"}


def optouts_in(schema: str) -> int:
    with databases.pg_admin() as conn:
        return int(conn.execute(f"SELECT count(*) FROM {schema}.suppression").fetchone()[0])


def test_a_daemon_left_on_a_journal_copied_away_records_no_opt_out_there_and_says_what_to_do(
    make_project: MakeProject, tmp_path: Path
) -> None:
    link = make_token(NEW.encode(), ADDRESS)
    live = tmp_path / "live.sqlite3"
    with databases.pg_schema() as (url, schema):
        config = make_project(people(2), storage={"url": url}, **unsubscribe())
        with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
            daemon.wait_for("run")
            before = optouts_in(schema)
            copied = greeter_process(config, "copy-journal", f"sqlite:///{live}")
            assert copied.returncode == 0, copied.stdout + copied.stderr

            status, page = http(daemon.url(f"/unsubscribe/{link}"), ONE_CLICK, ENGLISH)
            refused = daemon.wait_for("unsubscribe_refused")
            health_status, health, _ = _get(daemon.url("/healthz"))
            daemon.send_signal(signal.SIGHUP)  # a reload runs again: the run refuses the journal too
            run_failed = daemon.wait_for("run_failed")
            moved = daemon.wait_for("journal_moved")
            assert daemon.stop() == 0
            output = daemon.output()
        assert optouts_in(schema) == before  # nothing written into the journal no greeter reads
    # Not "done", not "try again in a minute", not "this link is not valid": how else to unsubscribe.
    assert status == 503
    assert page == render_page("unrecorded", "en", mailto="unsubscribe@romashka.example")
    assert "could not be recorded" in page and "mailto:unsubscribe@romashka.example" in page
    assert (refused["level"], refused["reason"]) == ("warning", "journal_moved"), refused
    # As storage.url takes it: the bare path the action said before was refused when pasted.
    assert f"set storage.url to sqlite:///{live} and" in refused["action"], refused
    assert "restart greeter run" in refused["action"] and "was not recorded" in refused["error"], refused
    said = json.loads(health)
    assert (health_status, said["journal"], said["journal_problem"]) == (503, "failing", "journal_moved")
    assert "was copied to" in run_failed["error"] and "nothing was sent" in run_failed["error"], run_failed
    assert "restart greeter run" in moved["action"], moved
    for personal in (ADDRESS, link, link.split(".")[0]):
        assert personal not in output

    # The operator's step: the daemon on the live journal. The mail client's retry (503) lands there.
    config = make_project(people(2), storage={"url": f"sqlite:///{live}"}, **unsubscribe())
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        daemon.wait_for("run")
        assert http(daemon.url(f"/unsubscribe/{link}"), ONE_CLICK, ENGLISH)[0] == 200
        assert daemon.stop() == 0
    assert ADDRESS in suppressed(config)


def test_an_older_daemon_records_no_opt_out_in_a_journal_a_newer_greeter_upgraded(
    make_project: MakeProject,
) -> None:
    link = make_token(NEW.encode(), ADDRESS)
    with databases.pg_schema() as (url, schema):
        config = make_project(people(2), storage={"url": url}, **unsubscribe())
        with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
            daemon.wait_for("run")
            before = optouts_in(schema)
            migrate_elsewhere(schema)
            status, page = http(daemon.url(f"/unsubscribe/{link}"), ONE_CLICK, ENGLISH)
            refused = daemon.wait_for("unsubscribe_refused")
            assert daemon.stop() == 0
        assert optouts_in(schema) == before
    assert status == 503 and "could not be recorded" in page
    assert refused["reason"] == "journal_newer" and "upgrade greeter" in refused["action"], refused
