"""The public HTTP listener publishes no file's content, and slow or many clients cannot exhaust it.

Found by a penetration test of ``greeter run`` with ``http.enabled: true``:

* ``/healthz`` carried the words of the last run's error and of a refused
  reload's problems, and some quote a file the config names: ``contacts.path``
  at a DKIM key with ``header_row: 3`` showed line 3 of the key ("the header
  has: …"), ``send_window.days_off_ics`` at the SMTP password file showed the
  password ("it starts with '…'"). Whoever may edit the YAML could read any
  file the daemon can with curl. Now ``/healthz`` has the kind of the error
  and the place of each problem; the log keeps the words — and those two
  messages no longer quote a line that is no table's header or a secret-like start.
* No header timeout and no connection cap: 300 clients sending a header line
  every 10 s held 300 descriptors, the next run failed with "Too many open
  files" and asyncio logged its failed ``accept()`` 279,945 times in 80 s.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from greeter.http_api import ApiContext, make_app, start_site
from greeter.ics_days import not_ics
from greeter.journal import open_journal
from greeter.logs import ACCEPT_FAILED, RepeatLimit
from greeter.metrics import RunStats
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people, smtp

#: A run every real second (a cron minute at ``--speed 60``), answering on a free port.
ARGS = ("--now", NOW, "--speed", "60", "--listen", "127.0.0.1:0")
#: What a secrets file holds: it must never be in ``/healthz``.
PASSWORD = "SuperSecretSMTPpassw0rd-XYZ"
#: A line of a file that is read as a CSV header: the log may quote it, ``/healthz`` never.
SECRET_ROW = "qBZI5HW1-secret-one,qBZI5HW2-secret-two,qBZI5HW3-secret-three"


def test_healthz_names_the_kind_and_place_of_problems_the_log_has_the_words(
    make_project: MakeProject, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "smtp_password").write_text(PASSWORD + "\n", encoding="utf-8")
    (secrets / "table.csv").write_text(f"line one\nline two\n{SECRET_ROW}\n", encoding="utf-8")
    with SmtpSink() as sink:
        base = {"schedule": {"cron": "* * * * *"}, **smtp(sink.port)}
        rows = people(1)
        ics = make_project(rows, send_window={"days_off_ics": str(secrets / "smtp_password")}, **base)
        ics_text = ics.read_text(encoding="utf-8")
        table = make_project(rows, contacts={"path": str(secrets / "table.csv"), "header_row": 3}, **base)
        table_text = table.read_text(encoding="utf-8")
        config = make_project(rows, **base)
        with DaemonProcess(config, *ARGS) as daemon:
            daemon.wait_for("run")

            config.write_text(ics_text, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            refused = daemon.wait_for("reload_failed_keeping_old_config")
            _, refused_body = http(daemon.url("/healthz"))

            config.write_text(table_text, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            daemon.wait_for("reloaded")
            failed = daemon.wait_for("run_failed")
            status, failed_body = http(daemon.url("/healthz"))
            _, metrics = http(daemon.url("/metrics"))
            raw = daemon.output()
            assert daemon.stop() == 0

    # A reload refused for a "calendar" that is the password file: the place, never the start.
    health = json.loads(refused_body)
    assert health["config"] == "reload_failed", health
    assert health["config_problems"] == [f"{secrets / 'smtp_password'}: send_window.days_off_ics"], health
    assert health["details"] and "log" in health["details"], health
    assert any("not a valid iCalendar file" in p for p in refused["problems"]), refused
    assert PASSWORD not in refused_body and PASSWORD not in raw  # the message quotes no secret-like start

    # A run failed on a "header" that is line 3 of another file: the log has the words, /healthz the kind.
    health = json.loads(failed_body)
    assert status == 503 and health["status"] == "unhealthy", health
    assert health["last_error"] == "header_not_found", health  # a ContactsError: its class, not its words
    assert "qBZI5HW1" in str(failed["error"]), failed  # the operator's log keeps the full text
    assert "qBZI5HW" not in failed_body and "the header has" not in failed_body, failed_body
    assert "qBZI5HW" not in metrics and PASSWORD not in metrics


def test_a_header_row_of_one_field_and_a_secret_like_calendar_start_are_not_quoted() -> None:
    from greeter.config_contacts import ContactsSource
    from greeter.sources.columns import header_problem

    cfg = ContactsSource(path="x.csv", header_row=3)
    one = header_problem(cfg, ["qBZI5HW1xJ9kLmN0pQrS"], "key.pem", 3)
    assert one is not None and "qBZI5HW1" not in one, one
    assert "row 3 is not a header of this file's delimiter" in one, one
    table = header_problem(cfg, ["Name", "Mail"], "c.csv", 1)
    assert table is not None and "Name" in table, table  # a CSV's header is still shown

    secret = not_ics(f"{PASSWORD}\n".encode(), ValueError("x"))
    assert PASSWORD not in secret and "does not start with BEGIN:VCALENDAR" in secret, secret
    page = not_ics(b"<html><head><title>Holidays</title>\n", ValueError("x"))
    assert "'<html'" in page, page
    words = not_ics(b"Office holidays 2027\n", ValueError("x"))
    assert "'Office holidays 2027'" in words, words


def _slow_client(port: int) -> socket.socket:
    """A client that sends the start of a request's headers and never their end."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /livez HTTP/1.1\r\nHost: greeter\r\n")
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (reset or FIN), None if it is still open after ``seconds``."""
    start = time.monotonic()
    sock.settimeout(seconds)
    try:
        data = sock.recv(1024)
    except (ConnectionResetError, BrokenPipeError):
        return time.monotonic() - start
    except TimeoutError:
        return None
    return time.monotonic() - start if data == b"" or data.startswith(b"HTTP/1.1 4") else None


def test_slow_headers_are_cut_off_and_connections_beyond_the_cap_refused_while_livez_answers(
    tmp_path: Path,
) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    ctx = ApiContext(journal=journal, stats=RunStats(started_at=now), clock=lambda: now, secret=None)

    async def scenario() -> None:
        runner, port = await start_site(make_app(ctx), "127.0.0.1", 0, max_connections=3, header_seconds=2.0)
        loop = asyncio.get_running_loop()
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
                url = f"http://127.0.0.1:{port}/livez"
                async with session.get(url) as answer:  # its connection stays open: one of the 3
                    assert answer.status == 200
                slow = [await loop.run_in_executor(None, _slow_client, port) for _ in range(2)]
                extra = await loop.run_in_executor(None, _slow_client, port)
                refused = await loop.run_in_executor(None, _closed_within, extra, 1.0)
                assert refused is not None, "a connection beyond the cap was accepted"
                async with session.get(url) as answer:  # the connection it had still answers
                    assert answer.status == 200
                cut = [await loop.run_in_executor(None, _closed_within, s, 5.0) for s in slow]
                assert all(c is not None for c in cut), cut  # dropped at the header timeout
                for s in (*slow, extra):
                    s.close()
            async with aiohttp.ClientSession() as fresh, fresh.get(url) as answer:
                assert answer.status == 200  # their places are free again
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
    finally:
        journal.close()


def test_asyncio_accept_failures_are_logged_once_a_minute_not_each_time() -> None:
    moments = iter([0.0] * 1000 + [61.0])
    limit = RepeatLimit(ACCEPT_FAILED, every=60.0, clock=lambda: next(moments))
    logger = logging.getLogger("tests.accept_flood")
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep()
    logger.addHandler(handler)
    logger.addFilter(limit)
    try:
        for _ in range(1000):
            logger.error(f"{ACCEPT_FAILED}\nprotocol: …")
        logger.error("something else")
        logger.error(f"{ACCEPT_FAILED}\nprotocol: …")
    finally:
        logger.removeFilter(limit)
        logger.removeHandler(handler)
    assert len(seen) == 3, seen
    assert seen[1] == "something else" and "999 more like it not logged" in seen[2], seen
    assert any(isinstance(f, RepeatLimit) for f in logging.getLogger("asyncio").filters)  # installed
