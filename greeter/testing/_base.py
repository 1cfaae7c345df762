"""What the test doubles share: parsing a letter, free ports, and the with-statement lifecycle."""

from __future__ import annotations

import socket
from abc import ABC, abstractmethod
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from types import TracebackType
from typing import Self


def parse(data: bytes) -> EmailMessage:
    """Parse message bytes the way a modern mail reader would (``policy=default``)."""
    msg = BytesParser(policy=default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def free_port(host: str = "127.0.0.1") -> int:
    """A loopback TCP port nobody listens on right now (for servers that cannot report a port 0 bind)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Served(ABC):
    """A server a test starts and stops, or uses in a ``with`` block (stopped — and closed — on exit)."""

    @abstractmethod
    def start(self) -> None:
        """Start serving; return once the server accepts connections."""

    @abstractmethod
    def stop(self) -> None:
        """Stop serving (safe to call twice)."""

    def close(self) -> None:
        """Stop, and free what outlives a stop (a subclass with files to remove says so)."""
        self.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
