"""What a reload and a failed run tell an operator in the log.

Found by an SRE: a SIGHUP after moving ``http.port`` logged just
``reloaded`` (the daemon went on listening on the old port), and
``storage_url_change_needs_restart`` did not say which URL was in force;
a failed run wrote ``run_failed`` without ``now``, so README's "one line per
run" query dropped failed runs.
"""

from __future__ import annotations

import signal
from datetime import datetime

from greeter.testing import SmtpSink, free_port
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people, smtp


def test_a_reload_that_moves_the_http_address_or_the_journal_says_each_needs_a_restart(
    make_project: MakeProject,
) -> None:
    listening, wanted = free_port(), free_port()
    with SmtpSink() as sink:
        config = make_project(
            people(1), http={"enabled": True, "host": "127.0.0.1", "port": listening}, **smtp(sink.port)
        )
        with DaemonProcess(config, "--now", NOW) as daemon:
            daemon.wait_for("run")
            text = config.read_text(encoding="utf-8")
            text = text.replace(f"port: {listening}", f"port: {wanted}")
            text = text.replace(
                "url: sqlite:///data/journal.sqlite3", "url: postgresql://greeter:s3cret@db.example/crm"
            )
            config.write_text(text, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            daemon.wait_for("reloaded")
            status, _ = http(f"http://127.0.0.1:{listening}/healthz")  # still where it was
            assert daemon.stop() == 0
            raw = daemon.output()
    assert status == 200
    (moved,) = daemon.named("http_change_needs_restart")
    assert moved["level"] == "warning", moved
    assert (moved["in_force"], moved["new"]) == (f"127.0.0.1:{listening}", f"127.0.0.1:{wanted}"), moved
    (journal,) = daemon.named("storage_url_change_needs_restart")
    assert journal["in_force"] == f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", journal
    assert journal["new"] == "postgresql://greeter@db.example/crm", journal
    assert "s3cret" not in raw


def test_a_reload_that_changes_neither_warns_of_neither(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
            daemon.wait_for("run")
            # --listen decides where it listens: the http section's address does not matter
            config.write_text(config.read_text(encoding="utf-8").replace("port: 8025", "port: 8026"))
            daemon.send_signal(signal.SIGHUP)
            daemon.wait_for("reloaded")
            assert daemon.stop() == 0
    assert not daemon.named("http_change_needs_restart")
    assert not daemon.named("storage_url_change_needs_restart")


def test_a_failed_run_logs_the_run_fields_so_one_query_finds_every_run(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), schedule={"cron": "* * * * *"}, **smtp(sink.port))
        with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:  # a run every real second
            daemon.wait_for("run")
            (config.parent / "data" / "contacts.csv").unlink()  # the CRM export is gone: runs fail
            failed = daemon.wait_for("run_failed")
            assert daemon.stop() == 0
    runs = [e for e in daemon.events if e["event"] in ("run", "run_failed")]  # README's jq query
    assert runs[0]["event"] == "run" and failed in runs
    assert failed["level"] == "error" and "contacts.csv" in failed["error"], failed
    for run in runs:
        assert {"now", "seconds", "due"} <= set(run), run
    assert datetime.fromisoformat(failed["now"]) > datetime.fromisoformat(runs[0]["now"])
    assert failed["due"] is None  # it failed while planning: how many were due is not known
