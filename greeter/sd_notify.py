"""systemd's start-up, reload and watchdog messages (sd_notify(3)), for a ``Type=notify`` unit.

Why: under ``Type=simple`` systemd counts the daemon started the moment its
process exists — before it has read the config, opened the journal or bound
its HTTP port — so ``systemctl start greeter`` succeeds for a daemon that exits
a second later on a broken config, and a unit ordered ``After=greeter`` starts
too soon. And a daemon whose event loop hangs (a call that blocks it, a lost
database that never answers) looks alive for ever: the process is there, no
letter leaves. Under ``Type=notify`` with ``WatchdogSec=`` systemd waits for
``READY=1`` and restarts a daemon that stops saying ``WATCHDOG=1``; the pings
come from a task on the event loop, so they stop exactly when the loop does.

The protocol is one datagram of ``KEY=value`` lines to the ``AF_UNIX`` socket
named by ``$NOTIFY_SOCKET`` — a few lines of :mod:`socket`, where
``systemd-python`` needs libsystemd's headers to build and ``sdnotify`` has not
been released since 2017. Outside systemd (no ``$NOTIFY_SOCKET``: a terminal,
a container) every call does nothing. A socket that has gone away is reported
once and then ignored: systemd's bookkeeping never stops a greeting.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from greeter.logs import get_logger

log = get_logger(component="daemon")


def notify_address(env: Mapping[str, str]) -> str | None:
    """The socket address ``$NOTIFY_SOCKET`` names, as :meth:`socket.socket.sendto` takes it, or None.

    A path (``/run/systemd/notify``) or an abstract name (``@/org/…``: a NUL in
    its place); anything else — unset, empty, a ``vsock:`` address systemd uses
    for virtual machines — is None: nothing is sent.
    """
    value = env.get("NOTIFY_SOCKET", "")
    if value.startswith("/"):
        return value
    if value.startswith("@") and len(value) > 1:
        return "\0" + value[1:]
    return None


def watchdog_seconds(env: Mapping[str, str], pid: int) -> float | None:
    """How often to say ``WATCHDOG=1``: half of ``$WATCHDOG_USEC`` (sd_watchdog_enabled(3)), or None.

    None when the unit has no ``WatchdogSec=``, the value is not a positive
    number, or ``$WATCHDOG_PID`` names another process (the variables were
    inherited from a parent they were meant for).
    """
    owner = env.get("WATCHDOG_PID", "")
    if owner and owner != str(pid):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 2_000_000 if usec > 0 else None


def message(**fields: str | int) -> bytes:
    """One notification: ``READY=1``, ``STATUS=…`` lines. A line break in a value would start a
    line of its own — a field systemd was never meant to be told — so it is a space."""
    return "\n".join(f"{key}={' '.join(str(value).splitlines())}" for key, value in fields.items()).encode()


@dataclass
class Notifier:
    """Sends notifications to ``address`` (:func:`notify_address`); does nothing when it is None.

    No I/O is done until the first :meth:`send`; the socket is opened per
    message, as sd_notify(3) does, so a systemd restarted meanwhile is reached.
    """

    address: str | None
    #: The watchdog's interval (:func:`watchdog_seconds`); None: no pings.
    watchdog: float | None = None
    _failed: bool = field(default=False, repr=False)

    @classmethod
    def from_environment(cls) -> Notifier:
        return cls(notify_address(os.environ), watchdog_seconds(os.environ, os.getpid()))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, **fields: str | int) -> None:
        """Send one notification (``ready=1`` is not a key: pass ``READY=1`` as ``READY=1``)."""
        if self.address is None:
            return
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(message(**fields), self.address)
        except OSError as exc:
            if not self._failed:  # once: a socket that is gone stays gone, each ping would repeat it
                self._failed = True
                socket_name = "@" + self.address[1:] if self.address.startswith("\0") else self.address
                log.warning(
                    "systemd_notify_failed",
                    socket=socket_name,
                    error=f"{type(exc).__name__}: {exc.strerror or exc}",
                )

    def ready(self, status: str) -> None:
        self.send(READY=1, STATUS=status)

    def reloading(self) -> None:
        """Before a reload: systemd 253's ``Type=notify-reload`` wants the monotonic time with it."""
        self.send(RELOADING=1, MONOTONIC_USEC=time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000)

    def stopping(self, status: str) -> None:
        self.send(STOPPING=1, STATUS=status)

    async def keep_alive(self) -> None:
        """Say ``WATCHDOG=1`` every :attr:`watchdog` seconds until cancelled (nothing without one)."""
        if self.watchdog is None or self.address is None:
            return
        while True:
            self.send(WATCHDOG=1)
            await asyncio.sleep(self.watchdog)
