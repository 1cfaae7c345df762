"""What the daemon's HTTP listener tells a client it cannot vouch for: the states, not the internals.

A security re-test read from ``/healthz``, as anyone who reaches it could:
``delivery_problem`` with the SMTP login name and the relay's host and port
(``SMTP AUTH as 'greeter' refused by localhost:24587: 535 …``),
``config_problems`` with file paths and setting names, and on every
response ``Server: Python/3.11 aiohttp/3.14.5`` — a version to look up.
This listener is the one behind the public proxy (the unsubscribe links).

What a product does: the words go to whoever runs the host, the states to
everyone. So ``/healthz`` keeps every field and its status code for every
client (a probe and an alert key on ``status``, ``delivery``, ``config``,
and on ``delivery_problem`` being null or not), and only a *local* client
(:func:`local_client`) is given the words of ``delivery_problem`` and the
places of ``config_problems``; any other is given the reply code and a
pointer to the log (:func:`public_health`). The daemon's log has the words
as always. ``Server`` is ``greeter`` (:func:`generic_server_header`), no version.

Local means a loopback peer whose request carries no proxy header
(``Forwarded``, ``X-Forwarded-For``, ``X-Real-IP``): a reverse proxy on the
same host connects from 127.0.0.1 too, and the public's requests through it
must not count as the node's own.
"""

from __future__ import annotations

import ipaddress
import re

from aiohttp import web

__all__ = ["LOG_HAS_IT", "generic_server_header", "local_client", "public_health"]

#: What a client that is not local reads in place of a problem's words.
LOG_HAS_IT = "the daemon's log has the words (and /healthz from the host itself)"
#: Headers a reverse proxy adds: a request carrying one came from elsewhere through it.
_PROXIED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
#: An SMTP reply code in a delivery problem's words: ``535``, ``421``.
_REPLY_CODE = re.compile(r"\b[245][0-9][0-9]\b")


def local_client(request: web.Request) -> bool:
    """Whether ``request`` comes from this host itself: a loopback peer, not through a proxy."""
    if any(name in request.headers for name in _PROXIED):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


def public_health(body: dict[str, object]) -> dict[str, object]:
    """``/healthz``'s body for a client that is not local: the same keys, states and times; the
    mail server's words reduced to its reply code, the config problems to how many. Pure."""
    shown = dict(body)
    problem = body.get("delivery_problem")
    if isinstance(problem, str):
        code = _REPLY_CODE.search(problem)
        shown["delivery_problem"] = f"{code.group()}: {LOG_HAS_IT}" if code else LOG_HAS_IT
    if body.get("config_file") is not None:  # a path on this host: whose project it is, to its own
        shown["config_file"] = None
    places = body.get("config_problems")
    if isinstance(places, list) and places:
        shown["config_problems"] = [f"{len(places)} problem(s): {LOG_HAS_IT}"]
    return shown


async def generic_server_header(_request: web.Request, response: web.StreamResponse) -> None:
    """``Server: greeter`` on every response the application makes, not aiohttp's and Python's versions."""
    response.headers["Server"] = "greeter"
