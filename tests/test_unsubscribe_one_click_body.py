"""A one-click POST with a genuine link is taken whatever its Content-Type; one refused is logged.

RFC 8058 §3.1: the body SHOULD be multipart/form-data and MAY be urlencoded, but some
clients post the bare ``List-Unsubscribe=One-Click`` with no Content-Type or as
``text/plain``. Those got ``400 expected List-Unsubscribe=One-Click``, the address stayed
on the list, and the daemon said nothing (only forged links were logged). Through a real
``greeter run``'s HTTP listener, with raw requests (urllib adds a form Content-Type itself).
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from greeter.unsubscribe import make_token
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon import run_args
from tests.test_send_e2e import people
from tests.test_unsubscribe import NEW, ONE_CLICK, suppressed, unsubscribe


def post(url: str, body: bytes, content_type: str | None) -> int:
    """The status of a POST of ``body`` with exactly this Content-Type (None: no such header)."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=10)
    try:
        connection.putrequest("POST", where.path)
        if content_type is not None:
            connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_bare_one_click_body_unsubscribes_and_a_refused_post_is_logged_without_token_or_address(
    make_project: MakeProject,
) -> None:
    config = make_project(people(9), **unsubscribe())
    token = {n: make_token(NEW.encode(), f"client{n}@example.com") for n in range(1, 10)}
    big = b"List-Unsubscribe=One-Click" + b" " * (1024 * 1024)  # over aiohttp's 1 MiB, as before
    posts = [
        (1, ONE_CLICK, None, 200),
        (2, ONE_CLICK + b"\r\n", "text/plain", 200),
        (3, ONE_CLICK, "text/plain; charset=utf-8", 200),
        (4, ONE_CLICK, "application/x-www-form-urlencoded", 200),  # as it always was
        (5, b"", "text/plain", 400),
        (6, b"unsubscribe me", None, 400),
        (7, b"List-Unsubscribe=Two-Clicks", "application/x-www-form-urlencoded", 400),
        (8, ONE_CLICK, "application/x-www-form-urlencoded; charset=nonesuch", 400),
        (9, big, "text/plain", 413),
    ]
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        daemon.wait_for("run")
        statuses = [
            (n, post(daemon.url(f"/unsubscribe/{token[n]}"), body, kind)) for n, body, kind, _ in posts
        ]
        assert statuses == [(n, status) for n, _, _, status in posts], daemon.output()
        daemon.wait_for("unsubscribe_bad_request", lambda e: e.get("reason") == "too_large")
        assert daemon.stop() == 0
        refused = daemon.named("unsubscribe_bad_request")
        output = daemon.output()
    assert suppressed(config) == {f"client{n}@example.com" for n in (1, 2, 3, 4)}
    assert [(e["level"], e["request"], e["reason"], e["content_type"]) for e in refused] == [
        ("warning", "one-click", "no_body", "text/plain"),
        ("warning", "one-click", "not_one_click", "application/octet-stream"),
        ("warning", "one-click", "not_one_click", "application/x-www-form-urlencoded"),
        ("warning", "one-click", "unreadable_form", "application/x-www-form-urlencoded"),
        ("warning", "one-click", "too_large", "text/plain"),
    ], output
    assert all(
        "List-Unsubscribe=One-Click" in e["why"] or "form" in e["why"] or "larger" in e["why"]
        for e in refused
    )
    assert not daemon.named("unsubscribe_rejected")  # every link was genuine
    for n in range(5, 10):
        for secret_or_personal in (token[n], token[n].split(".")[0], f"client{n}@example.com", NEW):
            assert secret_or_personal not in output
