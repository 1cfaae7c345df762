"""A cap on the connections one client address holds at once on the daemon's HTTP listener.

The listener's global cap (:data:`greeter.http_api.MAX_CONNECTIONS`) keeps
the process from running out of descriptors, but one client alone could take
all of it: a security re-test opened 40 s of half-open requests (``GET /livez
HTTP/1.1\\r\\n`` and nothing more) from one address, the 256 places stayed
full, and 17 of 19 ``/livez`` probes failed — a liveness probe that fails
restarts the pod, and the unsubscribe links behind the proxy failed as well.
So each address may hold at most :data:`MAX_PER_ADDRESS` connections (a
quarter of the whole); one more from it is closed at once, as one beyond the
global cap is, and the other addresses keep their places.

Loopback is capped like any address: a probe usually comes from the node
(the kubelet, a local curl), not from the flooding client, and an exception
for 127.0.0.1 would exempt the very reverse proxy the flood comes through.
IPv6 addresses are counted by their /64: one host is given a whole /64 and
picks any address in it. Behind a reverse proxy every connection comes from
the proxy's address, so the proxy may hold :data:`MAX_PER_ADDRESS` at once —
far more than a greeting service's clicks need; docs/operations.md says so (*What greeter
writes, and what its HTTP listener tells*).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from greeter.logs import get_logger

log = get_logger(component="http")

#: Connections one client address (an IPv6 /64) holds at once: a quarter of the listener's 256.
MAX_PER_ADDRESS = 64
#: Seconds between two warnings that an address was refused at its cap.
WARNING_SECONDS = 60.0


def client_key(peername: object) -> str:
    """The address a connection is counted under: its IP (IPv4-mapped IPv6 as IPv4), an IPv6's /64.

    ``peername`` is asyncio's ``get_extra_info("peername")``: a tuple whose
    first item is the host, or None (a UNIX socket), counted together as ``""``.
    """
    if not isinstance(peername, tuple) or not peername:
        return ""
    try:
        ip = ipaddress.ip_address(str(peername[0]).split("%", 1)[0])
    except ValueError:
        return str(peername[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class Refusals:
    """Connections refused at a cap, counted, and when to warn of them: at the first refusal and at
    most once every ``every`` seconds after, each warning with how many were refused since the last.

    A flood of refusals is not a flood of log lines. One count for both caps, the listener's
    (:class:`~greeter.http_api.ConnectionGate`) and each address's (:class:`PeerCap`), so that
    their warnings are spaced alike.
    """

    def __init__(self, every: float, clock: Callable[[], float]) -> None:
        #: Every refusal so far.
        self.total = 0
        self._every = every
        self._clock = clock
        self._warned_at: float | None = None
        self._unsaid = 0

    def refuse(self) -> int:
        """Count one refusal; how many to warn of now (those since the last warning), else 0."""
        self.total += 1
        self._unsaid += 1
        now = self._clock()
        if self._warned_at is not None and now - self._warned_at < self._every:
            return 0
        unsaid, self._warned_at, self._unsaid = self._unsaid, now, 0
        return unsaid


class PeerCap:
    """Counts each client address's open connections; refuses one beyond ``limit``, warning now and then.

    The warning (``http_connections_refused_per_address``) names the address:
    the operator needs to know who floods. It comes at the first refusal and
    at most once every ``every`` seconds after, with how many were refused.
    """

    def __init__(
        self,
        limit: int = MAX_PER_ADDRESS,
        *,
        every: float = WARNING_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.open: dict[str, int] = {}
        self.refusals = Refusals(every, clock)

    def admit(self, key: str) -> bool:
        """Take a place for a new connection from ``key``; False when that address holds ``limit``."""
        held = self.open.get(key, 0)
        if held < self.limit:
            self.open[key] = held + 1
            return True
        if unsaid := self.refusals.refuse():
            log.warning("http_connections_refused_per_address", address=key, refused=unsaid, limit=self.limit)
        return False

    def release(self, key: str) -> None:
        """A connection ``key`` was admitted for closed; an address with none left is forgotten."""
        held = self.open.get(key, 0) - 1
        if held > 0:
            self.open[key] = held
        else:
            self.open.pop(key, None)
