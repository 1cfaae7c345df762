"""``/healthz`` gives the words of its problems to the host itself only; no response names versions.

The security re-test read from ``/healthz``: ``delivery_problem`` with the
SMTP login and the relay's host:port, ``config_problems`` with file paths and
setting names, and ``Server: Python/3.11 aiohttp/…`` on every response. Now a
client that is not local (another address, or anyone through a reverse proxy
on the host: a proxy header) reads the states, the reply code and where the
words are; ``Server`` is ``greeter``. The real listener, real sockets.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from greeter.http_api import ApiContext, make_app, start_site
from greeter.journal import open_journal
from greeter.metrics import RunStats

PROBLEM = "SMTP AUTH as 'greeter' refused by localhost:24587: 535 5.7.8 Authentication credentials invalid"
PLACES = ("/srv/greeter/greeter.yaml:12:3: schedule.cron", "/srv/greeter/templates/birthday.j2:4")


def test_healthz_words_go_to_the_host_only_and_server_names_no_version(tmp_path: Path) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    stats = RunStats(started_at=now)
    stats.delivery_problem = PROBLEM
    stats.reload_failed_at = now
    stats.reload_problems = PLACES
    ctx = ApiContext(journal=journal, stats=stats, clock=lambda: now, secret=None)

    async def scenario() -> None:
        runner, port = await start_site(make_app(ctx), "127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{base}/healthz") as local:
                    assert local.status == 503 and local.headers["Server"] == "greeter"
                    mine = await local.json()
                assert (mine["delivery_problem"], mine["config_problems"]) == (PROBLEM, list(PLACES))
                for proxied in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}):
                    async with session.get(f"{base}/healthz", headers=proxied) as public:
                        assert public.status == 503 and public.headers["Server"] == "greeter"
                        text = await public.text()
                        body = await public.json()
                    for secret in ("greeter'", "24587", "localhost", "/srv", "schedule.cron", "birthday.j2"):
                        assert secret not in text, (secret, text)
                    assert body["delivery"] == "degraded" and body["config"] == "reload_failed"
                    assert body["delivery_problem"].startswith("535: the daemon's log has the words")
                    assert body["config_problems"] == ["2 problem(s): the daemon's log has the words"
                                                       " (and /healthz from the host itself)"]  # fmt: skip
                for path in ("/livez", "/metrics", "/unsubscribe/nonsense"):
                    async with session.get(base + path) as answer:
                        assert answer.headers["Server"] == "greeter", (path, answer.headers.get("Server"))
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
    finally:
        journal.close()
