"""``/healthz`` and ``/metrics`` on a journal that answers reads but fails every write.

Found by an operator: with the journal's disk full, every run failed
(``"status": "unhealthy"``, ``last_error: journal …: database or disk is
full``) while ``/healthz`` said ``"journal": "ok"`` — its probe only reads —
so an alert on ``journal`` never fired. Real pieces: ``greeter run`` as a
subprocess, the test PostgreSQL whose ``greetings`` table refuses writes with
SQLSTATE 53100 (disk_full, as a full disk answers), and the aiosmtpd sink.
"""

from __future__ import annotations

import json

from greeter.http_health import journal_health
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_ops_probes import _get, _metric
from tests.test_send_e2e import NOW, greeter_process, people, smtp

_DISK_FULL = """
CREATE FUNCTION {schema}.disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON {schema}.greetings
    FOR EACH ROW EXECUTE FUNCTION {schema}.disk_full();
"""


def test_healthz_and_metrics_say_the_journal_fails_when_runs_fail_writing_it(
    make_project: MakeProject,
) -> None:
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(people(2), storage={"url": url}, **smtp(sink.port))
        made = greeter_process(config, "suppress", "nobody@example.com")  # the journal's tables exist now
        assert made.returncode == 0, made.stderr
        with databases.pg_admin() as conn:
            conn.execute(_DISK_FULL.format(schema=schema))
        with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
            failed = daemon.wait_for("run_failed")
            status, body, _ = _get(daemon.url("/healthz"))
            _, metrics, _ = _get(daemon.url("/metrics"))
    assert "disk_full" in failed["error"] or "No space left" in failed["error"], failed
    health = json.loads(body)
    assert (status, health["status"], health["journal"]) == (503, "unhealthy", "failing"), health
    # The kind of error, not its words (the public listener: they are in the run_failed line above).
    assert health["journal_problem"] == "journal_unavailable", health
    assert "No space left" not in body, body
    assert _metric(metrics, "greeter_journal_up") == 0.0, metrics
    assert sink.messages == []


def test_the_probe_s_read_comes_first_and_a_completed_run_clears_the_journal() -> None:
    """Pure: unreachable (the probe) before failing (the last run), ok when neither."""
    assert journal_health("no_answer", "journal_unavailable") == ("unreachable", "no_answer")
    assert journal_health(None, "journal_unavailable") == ("failing", "journal_unavailable")
    assert journal_health(None, None) == ("ok", None)
