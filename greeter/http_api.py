"""The daemon's HTTP listener: ``/healthz``, ``/metrics`` and the one-click unsubscribe page.

Built on aiohttp in the daemon's own event loop. The unsubscribe endpoint is
what the ``List-Unsubscribe`` header's https link points to (RFC 8058): a
``POST`` with ``List-Unsubscribe=One-Click`` suppresses the address at once;
a ``GET`` (a person clicking the link) shows a page with a button that posts
the same. Tokens are HMAC-signed (:mod:`greeter.unsubscribe`) and checked in
constant time; a forged or damaged token gets 404 and changes nothing.
"""

from __future__ import annotations

import errno
import html
import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from greeter.errors import EXIT_TEMPFAIL, EXIT_USAGE, GreeterError, ListenError
from greeter.history_view import counts_as_found
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.metrics import RunStats, render_metrics
from greeter.unsubscribe import verify_token

log = get_logger(component="http")

_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}}
button{{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#8a3b12;color:#fff;
cursor:pointer}}
</style></head><body><h1>{title}</h1>{body}</body></html>"""


@dataclass
class ApiContext:
    """What the handlers need; owned by the daemon, which swaps ``journal`` on reload."""

    journal: JournalStore
    stats: RunStats
    clock: Callable[[], datetime]
    secret: bytes | None


def _page(title: str, body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=_PAGE.format(title=html.escape(title), body=body), content_type="text/html", status=status
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def health_status(s: RunStats, *, journal_ok: bool) -> str:
    """``ok``; ``unhealthy`` (the journal does not answer, or the last run failed); or ``degraded``
    (runs complete, but the letters due could not be handed to the mail server). Only ``ok`` is 200.

    Degraded is its own word so that an alert can say which: greeter is broken,
    or greeter is fine and the mail server is not.
    """
    failing = s.last_error is not None and (
        s.last_success_at is None or (s.last_run_at is not None and s.last_run_at > s.last_success_at)
    )
    if not journal_ok or failing:
        return "unhealthy"
    return "degraded" if s.delivery_problem is not None else "ok"


def make_app(ctx: ApiContext) -> web.Application:
    """The aiohttp application; pure wiring, no sockets (the daemon starts the site)."""

    async def healthz(_request: web.Request) -> web.Response:
        s = ctx.stats
        try:
            ctx.journal.counts_by_state()
            journal_ok = True
        except GreeterError as exc:
            journal_ok = False
            log.warning("healthz_journal_unreachable", error=str(exc))
        status = health_status(s, journal_ok=journal_ok)
        body = {
            "status": status,
            "journal": "ok" if journal_ok else "unreachable",
            "delivery": "degraded" if s.delivery_problem is not None else "ok",
            "delivery_problem": s.delivery_problem,
            "degraded_since": _iso(s.degraded_since),
            "started_at": s.started_at.isoformat(),
            "last_run_at": _iso(s.last_run_at),
            "last_success_at": _iso(s.last_success_at),
            "last_delivery_at": _iso(s.last_delivery_at),
            "last_error": s.last_error,
            "next_send_at": _iso(s.next_send_at),
            "runs": s.runs,
        }
        return web.json_response(body, status=200 if status == "ok" else 503, dumps=json.dumps)

    async def metrics(_request: web.Request) -> web.Response:
        data = render_metrics(lambda: counts_as_found(ctx.journal), ctx.stats)
        return web.Response(body=data, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

    def _address(request: web.Request) -> str:
        token = request.match_info["token"]
        address = verify_token(ctx.secret, token) if ctx.secret else None
        if address is None:
            raise web.HTTPNotFound(text="no such unsubscribe link")
        return address

    async def unsubscribe_page(request: web.Request) -> web.Response:
        _address(request)
        form = (
            "<p>Вы больше не будете получать от нас поздравления.</p>"
            '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
            "<button>Отписаться</button></form>"
        )
        return _page("Отписаться от поздравлений", form)

    async def unsubscribe(request: web.Request) -> web.Response:
        address = _address(request)
        form = await request.post()
        if form.get("List-Unsubscribe") != "One-Click":
            raise web.HTTPBadRequest(text="expected List-Unsubscribe=One-Click")
        added = ctx.journal.suppress([address], "unsubscribed (one-click)", ctx.clock())
        log.info("unsubscribed", new=bool(added))  # the address itself stays out of the logs
        return _page("Готово", "<p>Вы отписаны. Больше писем не будет.</p>")

    app = web.Application()
    app.add_routes(
        [
            web.get("/healthz", healthz),
            web.get("/metrics", metrics),
            web.get("/unsubscribe/{token}", unsubscribe_page),
            web.post("/unsubscribe/{token}", unsubscribe),
        ]
    )
    return app


#: Socket errors that may pass: the port is taken (another greeter may still be stopping there),
#: the kernel is short of buffers or memory. Anything else will not bind on a retry either.
_PASSING_BIND_ERRNOS = frozenset({errno.EADDRINUSE, errno.ENOBUFS, errno.ENOMEM})


def listen_error(exc: OSError, host: str, port: int, setting: str) -> ListenError:
    """Why ``host:port`` cannot be listened on, in one line, with its exit code.

    :data:`~greeter.errors.EXIT_TEMPFAIL` when trying again later may work (the
    port is in use, a name server did not answer), else
    :data:`~greeter.errors.EXIT_USAGE`: an address that is not this machine's, a
    privileged port, a host name that does not resolve are configuration errors.
    ``setting`` names where the address came from (``--listen``, ``http.host``…).
    """
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    code = exc.errno
    temporary = False
    if isinstance(exc, socket.gaierror):
        temporary = code == socket.EAI_AGAIN
        why = f"cannot resolve {host!r} ({exc.strerror or exc})"
    elif code == errno.EADDRINUSE:
        temporary = True
        why = "the port is already in use (another greeter may still be stopping)"
    elif code == errno.EADDRNOTAVAIL:
        why = f"{host} is not an address of this machine"
    elif code in (errno.EACCES, errno.EPERM):
        why = f"not allowed to listen on port {port} (ports below 1024 need privileges)"
    else:
        temporary = code in _PASSING_BIND_ERRNOS
        why = os.strerror(code) if code else str(exc)
    return ListenError(
        f"cannot listen on {where} ({setting}): {why}",
        exit_code=EXIT_TEMPFAIL if temporary else EXIT_USAGE,
    )


async def start_site(
    app: web.Application, host: str, port: int, *, setting: str = "--listen"
) -> tuple[web.AppRunner, int]:
    """Listen on ``host:port`` (0 picks a free port); returns the runner and the bound port.

    An address that cannot be bound is a :class:`~greeter.errors.ListenError`
    (:func:`listen_error`), not a raw ``OSError``: the daemon's ``cannot_start``
    line says which address, where it was configured (``setting``) and why.
    """
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise listen_error(exc, host, port, setting) from exc
    bound = int(runner.addresses[0][1]) if runner.addresses else port
    return runner, bound
