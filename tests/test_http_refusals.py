"""The HTTP listener's two caps warn of refused connections alike: at the first, then spaced.

The listener's cap (:class:`~greeter.http_api.ConnectionGate`) and each address's
(:class:`~greeter.http_peers.PeerCap`) each carried its own copy of the spacing;
one count (:class:`~greeter.http_peers.Refusals`) now serves both. The clock is
a list of moments handed out in turn: no sleeping, no timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from structlog.testing import capture_logs

from greeter.http_api import ConnectionGate
from greeter.http_peers import PeerCap, Refusals


def clock(*moments: float) -> Callable[[], float]:
    """A clock that reads ``moments`` one after another, one a refusal."""
    ticks: Iterator[float] = iter(moments)
    return lambda: next(ticks)


def test_a_refusal_is_said_at_once_then_at_most_once_every_period_with_those_since() -> None:
    refusals = Refusals(60.0, clock(0.0, 1.0, 59.0, 60.0, 61.0, 130.0))
    assert [refusals.refuse() for _ in range(6)] == [1, 0, 0, 3, 0, 2]
    assert refusals.total == 6


def test_the_listeners_cap_and_an_addresss_cap_space_their_warnings_alike() -> None:
    gate = ConnectionGate(1, every=60.0, clock=clock(0.0, 30.0, 60.0))
    peers = PeerCap(1, every=60.0, clock=clock(0.0, 30.0, 60.0))
    with capture_logs() as logs:
        assert gate.admit() and peers.admit("192.0.2.7")
        for _ in range(3):  # at 0, 30 and 60 s
            assert not gate.admit() and not peers.admit("192.0.2.7")
    said = [(e["event"], e["refused"]) for e in logs]
    assert said == [
        ("http_connections_refused", 1),
        ("http_connections_refused_per_address", 1),
        ("http_connections_refused", 2),
        ("http_connections_refused_per_address", 2),
    ]
    assert gate.refusals.total == peers.refusals.total == 3
