"""Who holds the HTTP port the daemon cannot listen on: its own previous daemon, another greeter, a program.

"The port is already in use (another greeter may still be stopping)", exit
75, was said of every taken port: another brand's daemon given the same
``http.port``, the SMTP sink's port, any program's. systemd restarted such a
daemon for ever, while only one case passes by itself: this project's
previous daemon still stopping. So the holder is asked, once, what greeter
would answer: ``GET /healthz`` over loopback, one request, its answer read up
to :data:`_MOST` bytes within :data:`PATIENCE` seconds — cheap, and harmless to
a program that speaks something else (it reads a line it does not understand).
A greeter answers ``Server: greeter`` with its ``instance`` and, to a client
on its own host, its ``config_file`` (:mod:`greeter.http_disclosure`).
"""

from __future__ import annotations

import errno
import json
import socket
from dataclasses import dataclass
from pathlib import Path

#: Seconds the holder has to connect and answer.
PATIENCE = 2.0
#: The most of its answer read: a /healthz body is well under 2 KiB.
_MOST = 65_536


@dataclass(frozen=True)
class Holder:
    """What the port's holder answered. ``greeter`` False: a program that is not a greeter daemon."""

    greeter: bool
    instance: str | None = None
    config_file: str | None = None

    def same_project(self, config_file: Path) -> bool:
        """Whether the holder runs ``config_file`` (both resolved: a symbolic link, a ``..``)."""
        if self.config_file is None:
            return False
        return Path(self.config_file).resolve() == config_file.resolve()


def probe_address(host: str) -> str:
    """Where to ask the holder of ``host``'s port: the loopback address for "every address". Pure."""
    if host in ("*", "0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def read_holder(answer: bytes) -> Holder:
    """``answer`` (a raw HTTP response, or whatever came back) as :class:`Holder`. Pure."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return Holder(greeter=False)
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("server") != "greeter":
        return Holder(greeter=False)
    try:
        health = json.loads(body.decode("utf-8"))
    except ValueError:  # an older greeter's, cut short: a greeter all the same
        return Holder(greeter=True)
    if not isinstance(health, dict):
        return Holder(greeter=True)
    instance, config_file = health.get("instance"), health.get("config_file")
    return Holder(
        greeter=True,
        instance=instance if isinstance(instance, str) else None,
        config_file=config_file if isinstance(config_file, str) else None,
    )


def ask_holder(host: str, port: int, patience: float = PATIENCE) -> Holder | None:
    """Ask whoever listens on ``host:port`` for greeter's ``/healthz``; None if nobody answered.

    None when the connection is refused (the port has been freed meanwhile)
    or the holder says nothing within ``patience`` (a stopping daemon whose
    loop is busy, a program that waits for the client to speak first: SMTP
    speaks first, and is told apart by its answer).
    """
    where = probe_address(host)
    request = f"GET /healthz HTTP/1.0\r\nHost: {where}:{port}\r\nConnection: close\r\n\r\n".encode()
    answer = b""
    try:
        with socket.create_connection((where, port), timeout=patience) as conn:
            conn.sendall(request)
            while len(answer) < _MOST and (chunk := conn.recv(_MOST - len(answer))):
                answer += chunk
                if not answer.startswith(b"HTTP/"[: len(answer)]):
                    break  # not HTTP (an SMTP server's greeting): that is all there is to know
    except OSError:  # refused, reset, timed out: what came before, if anything, still tells
        pass
    return read_holder(answer) if answer else None


def taken_why(holder: Holder | None, config_file: Path | None) -> tuple[str, bool]:
    """Why the port is taken, in words, and whether trying again later may help. Pure.

    Only this project's own previous daemon (the same config file) goes away by
    itself; another greeter project or another program holds the port until
    someone changes a config: a configuration error, which systemd must not
    restart for ever. A holder that did not answer, or a greeter that does not
    say its config (an older version), may be this project's own, stopping.
    (This project's daemon still running there is the same answer: with a
    SQLite journal the second one stops at the journal's lock first, and two
    daemons of one PostgreSQL project on one host each need a ``--listen``.)
    """
    if holder is None:  # refused meanwhile (freed), or silent
        why = f"the port is already in use, and its holder did not answer within {PATIENCE:g} s"
        return f"{why} (another greeter may still be stopping)", True
    if not holder.greeter:
        return "the port is already in use by a program that is not greeter: choose a free port", False
    name = f" {holder.instance!r}" if holder.instance else ""
    if config_file is not None and holder.same_project(config_file):
        return f"this project's own daemon (instance{name}) holds the port: a previous one stopping?", True
    if holder.config_file is None:
        return f"the port is already in use by another greeter{name} (it may still be stopping)", True
    return (
        f"the port is already in use by greeter instance{name} of another project ({holder.config_file}):"
        " give each project a port of its own",
        False,
    )


def port_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` is taken now: a bind as the daemon's (``SO_REUSEADDR``), at once let go.

    ``*`` is tried on IPv4's every address: a holder of either family's is
    what the daemon's own bind would run into first.
    """
    where = "" if host in ("*", "") else host
    family = socket.AF_INET6 if ":" in where else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as trial:
        trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            trial.bind((where, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False
